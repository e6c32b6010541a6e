//! The order of created and dropped tables: a table is created after the tables
//! its foreign keys reference and dropped before them. A cycle of foreign keys
//! across tables is broken by creating a table without its keys to the tables
//! of the cycle not created yet and adding those keys after all tables exist
//! (and, for drops, by dropping those keys first). A key to the table itself
//! stays in its `CREATE TABLE`. Where the database cannot add or drop a foreign
//! key in place (SQLite, which does not check references when it creates a
//! table), a cycle keeps its keys and is created in name order.
//!
//! A created table's triggers are created after all tables (a trigger may use
//! another new table).

use std::collections::{BTreeMap, BTreeSet};

use super::order::dependency_order;
use super::Capabilities;
use crate::change::Change;
use crate::model::{QualifiedName, Table};

/// Created and dropped tables in their order, and what breaking cycles and
/// moving triggers out adds.
#[derive(Default)]
pub(super) struct Tables {
    pub creates: Vec<Change>,
    pub drops: Vec<Change>,
    /// Keys of dropped tables, dropped before the tables.
    pub drop_keys: Vec<Change>,
    /// Keys of created tables, added after all tables.
    pub add_keys: Vec<Change>,
    /// Triggers of created tables.
    pub triggers: Vec<Change>,
}

/// Takes the `CreateTable` and `DropTable` changes out of `changes` and orders
/// them.
pub(super) fn order(changes: &mut Vec<Change>, caps: &Capabilities) -> Tables {
    let mut created = Vec::new();
    let mut dropped = Vec::new();
    changes.retain(|c| match c {
        Change::CreateTable(t) => {
            created.push(t.clone());
            false
        }
        Change::DropTable(t) => {
            dropped.push(t.clone());
            false
        }
        _ => true,
    });
    let mut out = Tables::default();

    let (order, cut) = by_references(created, caps);
    for mut table in order {
        let (keys, kept) = split_keys(&table, &cut);
        table.foreign_keys = kept;
        out.add_keys
            .extend(keys.into_iter().map(|key| Change::AddForeignKey {
                table: table.name.clone(),
                key,
            }));
        for trigger in std::mem::take(&mut table.triggers) {
            out.triggers.push(Change::CreateTrigger {
                table: table.name.clone(),
                trigger,
            });
        }
        out.creates.push(Change::CreateTable(table));
    }

    let (order, cut) = by_references(dropped, caps);
    for mut table in order.into_iter().rev() {
        let (keys, kept) = split_keys(&table, &cut);
        table.foreign_keys = kept;
        out.drop_keys
            .extend(keys.into_iter().map(|key| Change::DropForeignKey {
                table: table.name.clone(),
                key,
            }));
        out.drops.push(Change::DropTable(table));
    }
    out
}

/// The tables, each after the ones it references, and the references cut to
/// break cycles (none where foreign keys cannot be added in place).
fn by_references(
    tables: Vec<Table>,
    caps: &Capabilities,
) -> (Vec<Table>, Vec<(QualifiedName, QualifiedName)>) {
    let graph: BTreeMap<QualifiedName, BTreeSet<QualifiedName>> = tables
        .iter()
        .map(|t| {
            let refs = t.foreign_keys.iter().map(|k| k.referenced_table.clone());
            (t.name.clone(), refs.collect())
        })
        .collect();
    let ordered = dependency_order(&graph);
    let mut by_name: BTreeMap<QualifiedName, Table> =
        tables.into_iter().map(|t| (t.name.clone(), t)).collect();
    let order = ordered
        .order
        .iter()
        .filter_map(|n| by_name.remove(n))
        .collect();
    let cut = if caps.alter_foreign_key {
        ordered.cut
    } else {
        Vec::new()
    };
    (order, cut)
}

/// The keys of `table` that `cut` moves out, and the ones that stay.
fn split_keys(
    table: &Table,
    cut: &[(QualifiedName, QualifiedName)],
) -> (Vec<crate::model::ForeignKey>, Vec<crate::model::ForeignKey>) {
    table.foreign_keys.iter().cloned().partition(|k| {
        cut.iter()
            .any(|(from, to)| *from == table.name && *to == k.referenced_table)
    })
}
