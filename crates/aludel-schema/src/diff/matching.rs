//! Pairs the named objects of one kind in one table (keys, constraints,
//! indexes) between the current and the desired table: equal objects are kept,
//! objects equal but for their name are renamed, the rest is dropped and added.
//!
//! Owns the pairing rule, shared by every comparator of named objects; it does
//! not know which [`crate::Change`] each outcome becomes.

use std::collections::BTreeMap;

use crate::model::QualifiedName;

/// An object that has a name and a body compared apart from it.
pub(super) trait Named: Clone + PartialEq {
    fn name(&self) -> Option<&str>;
    /// The object with its name, and whatever else is not compared, cleared.
    fn body(&self) -> Self;
}

/// The outcome of pairing one kind of object.
pub(super) struct Matched<T> {
    /// In the current table only.
    pub dropped: Vec<T>,
    /// Equal but for the name, one to one: (current, desired).
    pub renamed: Vec<(T, T)>,
    /// In the desired table only.
    pub added: Vec<T>,
}

/// Pairs `current` with `desired`. Equal objects (same name, same body) are
/// kept. Of the rest, an object becomes a rename only when both are named and
/// each is the only object on the other side with its body: two candidates for
/// one name are ambiguous, and an ambiguous pair is dropped and added.
pub(super) fn pair<T: Named>(current: &[T], desired: &[T]) -> Matched<T> {
    let same = |a: &T, b: &T| a.name() == b.name() && a.body() == b.body();
    let mut desired_kept = vec![false; desired.len()];
    let mut current_left = Vec::new();
    for c in current {
        match (0..desired.len()).find(|&i| !desired_kept[i] && same(c, &desired[i])) {
            Some(i) => desired_kept[i] = true,
            None => current_left.push(c),
        }
    }
    let desired_left: Vec<&T> = desired
        .iter()
        .zip(&desired_kept)
        .filter(|(_, kept)| !**kept)
        .map(|(d, _)| d)
        .collect();
    let could_rename =
        |a: &T, b: &T| a.name().is_some() && b.name().is_some() && a.body() == b.body();

    let mut renamed = Vec::new();
    let mut current_renamed = vec![false; current_left.len()];
    let mut desired_renamed = vec![false; desired_left.len()];
    for (ci, c) in current_left.iter().enumerate() {
        let targets: Vec<usize> = (0..desired_left.len())
            .filter(|&di| could_rename(c, desired_left[di]))
            .collect();
        let [di] = targets[..] else { continue };
        let sources = current_left
            .iter()
            .filter(|other| could_rename(other, desired_left[di]))
            .count();
        if sources == 1 {
            current_renamed[ci] = true;
            desired_renamed[di] = true;
            renamed.push(((*c).clone(), desired_left[di].clone()));
        }
    }
    Matched {
        dropped: unmarked(&current_left, &current_renamed),
        renamed,
        added: unmarked(&desired_left, &desired_renamed),
    }
}

fn unmarked<T: Clone>(items: &[&T], marked: &[bool]) -> Vec<T> {
    items
        .iter()
        .zip(marked)
        .filter(|(_, m)| !**m)
        .map(|(x, _)| (*x).clone())
        .collect()
}

/// Pairs schema-level objects (enum types, sequences) by their qualified name:
/// `(creates and alters, drops)`, each in the order given.
pub(super) fn by_name<T: Clone + PartialEq>(
    current: &[T],
    desired: &[T],
    name: impl Fn(&T) -> &QualifiedName,
    create: impl Fn(T) -> crate::Change,
    alter: impl Fn(T, T) -> crate::Change,
    drop: impl Fn(T) -> crate::Change,
) -> (Vec<crate::Change>, Vec<crate::Change>) {
    let (current_by_name, desired_by_name) = (keyed(current, &name), keyed(desired, &name));
    let mut early = Vec::new();
    for d in desired {
        match current_by_name.get(name(d)) {
            None => early.push(create(d.clone())),
            Some(c) if *c != d => early.push(alter((*c).clone(), d.clone())),
            Some(_) => {}
        }
    }
    let drops = current
        .iter()
        .filter(|c| !desired_by_name.contains_key(name(c)))
        .map(|c| drop(c.clone()))
        .collect();
    (early, drops)
}

/// Schema-level objects by their qualified name.
pub(super) fn keyed<'a, T>(
    items: &'a [T],
    name: impl Fn(&'a T) -> &'a QualifiedName,
) -> BTreeMap<&'a QualifiedName, &'a T> {
    items.iter().map(|x| (name(x), x)).collect()
}
