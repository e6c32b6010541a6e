//! Dependency order of objects that refer to each other by name (tables through
//! their foreign keys, views through what they read): each after what it
//! depends on, ties in name order, cycles broken at the first name.
//!
//! Owns the ordering algorithm only; the callers say what depends on what and
//! what a broken dependency becomes.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::QualifiedName;

/// The order and the dependencies left out to break cycles.
pub(super) struct Ordered {
    pub order: Vec<QualifiedName>,
    /// `(object, dependency)` pairs ignored to break a cycle: the object comes
    /// before its dependency.
    pub cut: Vec<(QualifiedName, QualifiedName)>,
}

/// Orders the keys of `depends_on` so that each comes after its dependencies
/// among the keys (dependencies on itself or on objects outside are ignored).
/// When every remaining object waits for another (a cycle), the first one by
/// name goes next and its waits are recorded as cut.
pub(super) fn dependency_order(
    depends_on: &BTreeMap<QualifiedName, BTreeSet<QualifiedName>>,
) -> Ordered {
    let mut waiting: BTreeMap<&QualifiedName, BTreeSet<&QualifiedName>> = depends_on
        .iter()
        .map(|(node, deps)| {
            let deps = deps
                .iter()
                .filter(|d| *d != node && depends_on.contains_key(*d))
                .collect();
            (node, deps)
        })
        .collect();
    let mut ordered = Ordered {
        order: Vec::new(),
        cut: Vec::new(),
    };
    while let Some(first) = waiting.keys().next().copied() {
        let next = waiting
            .iter()
            .find(|(_, deps)| deps.is_empty())
            .map(|(node, _)| *node);
        let next = match next {
            Some(node) => node,
            None => {
                for dependency in &waiting[first] {
                    ordered.cut.push((first.clone(), (*dependency).clone()));
                }
                first
            }
        };
        waiting.remove(next);
        for deps in waiting.values_mut() {
            deps.remove(next);
        }
        ordered.order.push(next.clone());
    }
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &[&str])]) -> BTreeMap<QualifiedName, BTreeSet<QualifiedName>> {
        edges
            .iter()
            .map(|(n, deps)| {
                let deps = deps.iter().map(|d| QualifiedName::local(*d)).collect();
                (QualifiedName::local(*n), deps)
            })
            .collect()
    }

    fn names(order: &[QualifiedName]) -> Vec<&str> {
        order.iter().map(|n| n.name.as_str()).collect()
    }

    #[test]
    fn dependencies_come_first_and_ties_go_by_name() {
        let o = dependency_order(&graph(&[
            ("a", &["c"]),
            ("b", &[]),
            ("c", &["b", "outside", "c"]),
        ]));
        assert_eq!(names(&o.order), ["b", "c", "a"]);
        assert!(o.cut.is_empty());
    }

    #[test]
    fn a_cycle_is_cut_at_the_first_name() {
        let o = dependency_order(&graph(&[
            ("a", &["b"]),
            ("b", &["c"]),
            ("c", &["a"]),
            ("d", &["a"]),
        ]));
        assert_eq!(names(&o.order), ["a", "c", "b", "d"]);
        assert_eq!(
            o.cut,
            [(QualifiedName::local("a"), QualifiedName::local("b"))]
        );
    }
}
