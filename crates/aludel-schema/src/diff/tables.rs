//! Tables: created, dropped, and for a table on both sides the changes of its
//! parts, each found by its own comparator (columns, keys, indexes, foreign
//! keys, checks, exclusions, triggers, comment and options).
//!
//! Owns which tables are created or dropped and the order of one table's
//! changes: drops, then renames, then columns, then additions, so that the
//! changes apply in the order given (a name is freed before it is reused) and
//! their reverses apply in the reverse order. Must not order changes across
//! tables for execution (that is the plan).

use super::matching::Matched;
use super::{checks, columns, exclusions, foreign_keys, indexes, keys, options, triggers};
use crate::change::Change;
use crate::model::{QualifiedName, Table};

/// One table's changes, by kind of step.
#[derive(Default)]
pub(super) struct TableChanges {
    pub drops: Vec<Change>,
    pub renames: Vec<Change>,
    pub columns: Vec<Change>,
    pub adds: Vec<Change>,
    pub table: Vec<Change>,
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
        self.drops.extend(matched.dropped.into_iter().map(drop));
        for (from, to) in &matched.renamed {
            if let (Some(from), Some(to)) = (name(from), name(to)) {
                self.renames.push(rename(from.to_owned(), to.to_owned()));
            }
        }
        self.adds.extend(matched.added.into_iter().map(add));
    }

    fn into_changes(self) -> impl Iterator<Item = Change> {
        self.drops
            .into_iter()
            .chain(self.renames)
            .chain(self.columns)
            .chain(self.adds)
            .chain(self.table)
    }
}

/// Compares the tables of both schemas (each sorted by name).
pub(super) fn compare(current: &[Table], desired: &[Table], out: &mut Vec<Change>) {
    let mut names: Vec<&QualifiedName> = current.iter().chain(desired).map(|t| &t.name).collect();
    names.sort();
    names.dedup();
    for name in names {
        let c = current.iter().find(|t| &t.name == name);
        let d = desired.iter().find(|t| &t.name == name);
        match (c, d) {
            (Some(c), None) => out.push(Change::DropTable(c.clone())),
            (None, Some(d)) => out.push(Change::CreateTable(d.clone())),
            (Some(c), Some(d)) => out.extend(table(c, d).into_changes()),
            (None, None) => {}
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
