//! Foreign keys that stand in the way of a change although they do not change
//! themselves: a key whose own or referenced column changes type (MySQL refuses
//! the change, PostgreSQL may find the two sides incompatible halfway), or takes
//! its table's default character set or collation (MySQL's `charset` and
//! `collation` table options) when that changes, a key
//! whose referenced primary key, unique constraint or unique index is dropped,
//! and, where the database needs an index for each foreign key (MySQL), a key
//! whose index is dropped. Each is dropped before and added back after, under
//! its own name (a key of a table that is dropped is only dropped first).
//!
//! Owns finding those keys, only where the database can drop and add a foreign
//! key in place (elsewhere the table is rebuilt).

use std::collections::{BTreeMap, BTreeSet};

use super::{reshapes, Capabilities};
use crate::change::Change;
use crate::model::{ForeignKey, Index, IndexKey, QualifiedName, Schema, Table};

/// Adds the drop and re-add of every foreign key in `renamed` (the current
/// schema with the renames done) that a change in `changes` is blocked by.
/// A blocked key's rename becomes part of its re-add.
pub(super) fn unblock(
    changes: &mut Vec<Change>,
    renamed: &Schema,
    desired: &Schema,
    caps: &Capabilities,
    rebuilt: &BTreeSet<QualifiedName>,
) {
    let mut extra = Vec::new();
    let mut renames_done = Vec::new();
    let desired_tables: BTreeMap<&QualifiedName, &Table> =
        desired.tables.iter().map(|t| (&t.name, t)).collect();
    for table in &renamed.tables {
        if rebuilt.contains(&table.name) {
            continue;
        }
        let desired_table = desired_tables.get(&table.name);
        for key in &table.foreign_keys {
            let dropped = changes.iter().any(|c| {
                matches!(c, Change::DropForeignKey { table: t, key: k }
                    if t == &table.name && same_key(k, key))
            });
            if dropped || !blocked(key, &table.name, changes, caps) {
                continue;
            }
            let rename = changes.iter().position(|c| {
                matches!(c, Change::RenameConstraint { table: t, from, .. }
                    if t == &table.name && Some(from) == key.name.as_ref())
            });
            let new_name = match rename {
                Some(at) => match &changes[at] {
                    Change::RenameConstraint { to, .. } => Some(to.clone()),
                    _ => None,
                },
                None => key.name.clone(),
            };
            let drop = Change::DropForeignKey {
                table: table.name.clone(),
                key: key.clone(),
            };
            let Some(desired_table) = desired_table else {
                // A dropped table's key goes first, out of its DROP TABLE.
                for change in changes.iter_mut() {
                    if let Change::DropTable(t) = change {
                        t.foreign_keys
                            .retain(|k| !(t.name == table.name && k == key));
                    }
                }
                extra.push(drop);
                continue;
            };
            let desired_key = desired_table.foreign_keys.iter().find(|k| {
                if new_name.is_some() {
                    k.name == new_name
                } else {
                    *k == key
                }
            });
            let Some(desired_key) = desired_key else {
                continue;
            };
            renames_done.extend(rename);
            extra.push(drop);
            extra.push(Change::AddForeignKey {
                table: table.name.clone(),
                key: desired_key.clone(),
            });
        }
    }
    let mut index = 0..;
    changes.retain(|_| !renames_done.contains(&index.next().unwrap_or_default()));
    changes.extend(extra);
}

fn same_key(a: &ForeignKey, b: &ForeignKey) -> bool {
    match (&a.name, &b.name) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn blocked(
    key: &ForeignKey,
    table: &QualifiedName,
    changes: &[Change],
    caps: &Capabilities,
) -> bool {
    let referenced = &key.referenced_table;
    let same_set = |columns: &[String]| {
        let a: BTreeSet<&String> = columns.iter().collect();
        let b: BTreeSet<&String> = key.referenced_columns.iter().collect();
        a == b
    };
    let leads_with_key = |columns: &[String]| columns.starts_with(&key.columns);
    changes.iter().any(|change| match change {
        Change::AlterColumn { table: t, from, to } if reshapes(from, to) => {
            (t == table && key.columns.contains(&from.name))
                || (t == referenced && key.referenced_columns.contains(&from.name))
        }
        Change::AlterTable { from, to } if text_defaults_change(from, to) => {
            let takes_default = |column: &String| {
                to.column(column)
                    .is_some_and(|c| c.charset.is_none() && c.collation.is_none())
            };
            (&to.name == table && key.columns.iter().any(takes_default))
                || (&to.name == referenced && key.referenced_columns.iter().any(takes_default))
        }
        Change::DropPrimaryKey { table: t, key: k } => {
            (t == referenced && same_set(&k.columns))
                || (caps.foreign_keys_need_an_index && t == table && leads_with_key(&k.columns))
        }
        Change::DropUnique { table: t, unique } => {
            (t == referenced && same_set(&unique.columns))
                || (caps.foreign_keys_need_an_index
                    && t == table
                    && leads_with_key(&unique.columns))
        }
        Change::DropIndex { table: t, index } => {
            let columns = index_columns(index);
            let plain = columns.len() == index.parts.len();
            (t == referenced
                && index.unique
                && plain
                && index.predicate.is_none()
                && same_set(&columns))
                || (caps.foreign_keys_need_an_index && t == table && leads_with_key(&columns))
        }
        _ => false,
    })
}

/// Whether a table's default character set or collation (the MySQL table
/// options), which its text columns without their own take, changes.
fn text_defaults_change(from: &Table, to: &Table) -> bool {
    ["charset", "collation"]
        .iter()
        .any(|option| from.option(option) != to.option(option))
}

/// The leading plain columns of an index (up to its first expression).
fn index_columns(index: &Index) -> Vec<String> {
    index
        .parts
        .iter()
        .map_while(|p| match &p.key {
            IndexKey::Column(c) => Some(c.clone()),
            IndexKey::Expression(_) => None,
        })
        .collect()
}
