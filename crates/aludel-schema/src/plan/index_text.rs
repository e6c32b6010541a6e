//! Indexes whose text a rename rewrites: where the database keeps an index as
//! the `CREATE INDEX` text it was given and rewrites the names in it on a
//! rename (SQLite: `ON "accounts"` after `ALTER TABLE users RENAME TO
//! accounts`), the index would no longer read as a fresh load of the desired
//! schema reads it. Each index of a table that is renamed, or whose columns
//! are renamed, that no other change touches and whose desired text differs
//! from its current one is dropped and created again from the desired text.
//!
//! Owns which indexes are restated; the drops and creates take their places
//! in the order like any other.

use std::collections::BTreeSet;

use crate::change::Change;
use crate::model::{Index, QualifiedName, Schema};

/// Adds a drop and a create for each index to restate. `renamed` is the
/// current schema with the renames done.
pub(super) fn restate(changes: &mut Vec<Change>, renamed: &Schema, desired: &Schema) {
    let tables: BTreeSet<&QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::RenameTable { to, .. } => Some(to),
            Change::RenameColumn { table, .. } => Some(table),
            _ => None,
        })
        .collect();
    let touched = |table: &QualifiedName, name: &str| {
        changes.iter().any(|c| match c {
            Change::CreateIndex { table: t, index } | Change::DropIndex { table: t, index } => {
                t == table && index.name == name
            }
            Change::RenameIndex { table: t, from, to } => {
                t == table && (from == name || to == name)
            }
            _ => false,
        })
    };
    let mut restated = Vec::new();
    for name in tables {
        let (Some(current), Some(wanted)) = (renamed.table(name), desired.table(name)) else {
            continue;
        };
        for index in &current.indexes {
            let Some(new) = wanted.indexes.iter().find(|i| i.name == index.name) else {
                continue;
            };
            if new.definition != index.definition
                && body(new) == body(index)
                && !touched(name, &index.name)
            {
                restated.push(Change::DropIndex {
                    table: name.clone(),
                    index: index.clone(),
                });
                restated.push(Change::CreateIndex {
                    table: name.clone(),
                    index: new.clone(),
                });
            }
        }
    }
    changes.extend(restated);
}

/// An index without its text.
fn body(index: &Index) -> Index {
    Index {
        definition: None,
        ..index.clone()
    }
}
