//! Tables: created, dropped, and for a table on both sides the changes of its
//! parts, each found by its own comparator (columns, keys, indexes, foreign
//! keys, checks, exclusions, triggers, comment and options).
//!
//! Owns which tables are created or dropped and the order of one table's
//! changes: drops, then renames, then columns, then additions, so that the
//! changes apply in the order given (a name is freed before it is reused) and
//! their reverses apply in the reverse order. Must not order changes across
//! tables for execution (that is the plan).

use std::collections::BTreeSet;

use super::matching::{keyed, Matched};
use super::{checks, columns, exclusions, foreign_keys, indexes, keys, options, triggers};
use crate::change::Change;
use crate::model::{QualifiedName, Table};

/// One table's changes, by kind of step.
#[derive(Default)]
pub(super) struct TableChanges {
    pub drops: Vec<Change>,
    renames: Vec<Renamed>,
    pub columns: Vec<Change>,
    pub adds: Vec<Change>,
    pub table: Vec<Change>,
}

/// A rename, with the drop and the add it stands for.
struct Renamed {
    from: String,
    to: String,
    rename: Change,
    drop: Change,
    add: Change,
}

impl TableChanges {
    /// Records the pairing of one kind of object as drops, renames and adds.
    pub fn push<T>(
        &mut self,
        matched: Matched<T>,
        drop: impl Fn(T) -> Change,
        rename: impl Fn(String, String) -> Change,
        add: impl Fn(T) -> Change,
        name: impl Fn(&T) -> Option<&str>,
    ) {
        self.drops.extend(matched.dropped.into_iter().map(&drop));
        for (from, to) in matched.renamed {
            if let (Some(old), Some(new)) = (name(&from), name(&to)) {
                let (old, new) = (old.to_owned(), new.to_owned());
                self.renames.push(Renamed {
                    rename: rename(old.clone(), new.clone()),
                    from: old,
                    to: new,
                    drop: drop(from),
                    add: add(to),
                });
            }
        }
        self.adds.extend(matched.added.into_iter().map(add));
    }

    /// The changes in their order. A rename to a name that another rename
    /// frees (a swap, a chain) would need the name before it is free: it is a
    /// drop and an add instead.
    fn into_changes(mut self) -> Vec<Change> {
        let sources: Vec<String> = self.renames.iter().map(|r| r.from.clone()).collect();
        let mut renames = Vec::new();
        for r in self.renames {
            if sources.contains(&r.to) {
                self.drops.push(r.drop);
                self.adds.push(r.add);
            } else {
                renames.push(r.rename);
            }
        }
        let mut out = self.drops;
        out.extend(renames);
        out.extend(self.columns);
        out.extend(self.adds);
        out.extend(self.table);
        out
    }
}

/// Compares the tables of both schemas.
pub(super) fn compare(current: &[Table], desired: &[Table], out: &mut Vec<Change>) {
    let current = keyed(current, |t| &t.name);
    let desired = keyed(desired, |t| &t.name);
    let names: BTreeSet<&QualifiedName> = current.keys().chain(desired.keys()).copied().collect();
    for name in names {
        match (current.get(name), desired.get(name)) {
            (Some(c), None) => out.push(Change::DropTable((*c).clone())),
            (None, Some(d)) => out.push(Change::CreateTable((*d).clone())),
            (Some(c), Some(d)) if c != d => out.extend(table(c, d).into_changes()),
            _ => {}
        }
    }
}

/// The changes that turn table `c` into `d` (same name).
fn table(c: &Table, d: &Table) -> TableChanges {
    let mut out = TableChanges::default();
    columns::compare(c, d, &mut out);
    keys::compare(c, d, &mut out);
    indexes::compare(c, d, &mut out);
    foreign_keys::compare(c, d, &mut out);
    checks::compare(c, d, &mut out);
    exclusions::compare(c, d, &mut out);
    triggers::compare(c, d, &mut out);
    options::compare(c, d, &mut out);
    out
}
