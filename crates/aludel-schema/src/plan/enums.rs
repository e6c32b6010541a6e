//! Enum types rebuilt (values removed or reordered: PostgreSQL renames the old
//! type, creates the new one and converts every column through `text`). The
//! conversion re-creates the indexes and checks of the columns, and one whose
//! predicate, expression or condition compares with a value of the type then
//! compares the new type with the old one, which PostgreSQL refuses. So the
//! partial and expression indexes and the checks of every table using the type
//! are dropped before the rebuild and created again after it, and the rebuild
//! runs after the other index and constraint drops (an index the migration
//! drops is gone before it).
//!
//! Owns which indexes and checks are in the way of a rebuild. One that the
//! migration renames is left alone (known limit: its rebuild may be refused).

use super::views::uses_type;
use super::Capabilities;
use crate::change::Change;
use crate::model::{EnumType, Schema};

/// Whether the change of an enum type rebuilds it (as `views` decides too).
fn rebuilds(from: &EnumType, to: &EnumType) -> bool {
    !to.values.starts_with(&from.values)
}

/// Takes the enum rebuilds out of `changes` (returned, to run after the index
/// and constraint drops) and adds a drop and a create for each index and check
/// in their way. `renamed` is the current schema with the renames done. Only
/// where checks change in place (`caps.alter_check`; enum types are
/// PostgreSQL's), and not on a table the migration drops.
pub(super) fn unblock(
    changes: &mut Vec<Change>,
    renamed: &Schema,
    desired: &Schema,
    caps: &Capabilities,
) -> Vec<Change> {
    let (rebuilt, rest): (Vec<Change>, Vec<Change>) = std::mem::take(changes)
        .into_iter()
        .partition(|c| matches!(c, Change::AlterEnum { from, to } if rebuilds(from, to)));
    *changes = rest;
    let mut added = Vec::new();
    if !caps.alter_check {
        return rebuilt;
    }
    for change in &rebuilt {
        let Change::AlterEnum { from, .. } = change else {
            continue;
        };
        for table in renamed.tables.iter().filter(|t| uses_type(t, from)) {
            let Some(wanted) = desired.table(&table.name) else {
                continue;
            };
            let indexes = table.indexes.iter().filter(|i| {
                i.predicate.is_some()
                    || i.parts
                        .iter()
                        .any(|p| matches!(p.key, crate::model::IndexKey::Expression(_)))
            });
            for index in indexes {
                let touched = changes.iter().chain(&added).any(|c| {
                    matches!(c, Change::DropIndex { table: t, index: i }
                        | Change::CreateIndex { table: t, index: i }
                        if t == &table.name && i.name == index.name)
                        || matches!(c, Change::RenameIndex { table: t, from, .. }
                        if t == &table.name && from == &index.name)
                });
                if touched {
                    continue;
                }
                added.push(Change::DropIndex {
                    table: table.name.clone(),
                    index: index.clone(),
                });
                let kept = wanted.indexes.iter().find(|i| i.name == index.name);
                if let Some(kept) = kept {
                    added.push(Change::CreateIndex {
                        table: table.name.clone(),
                        index: kept.clone(),
                    });
                }
            }
            for check in table.checks.iter().filter(|k| k.name.is_some()) {
                let touched = changes.iter().chain(&added).any(|c| {
                    matches!(c, Change::DropCheck { table: t, check: k }
                        | Change::AddCheck { table: t, check: k }
                        if t == &table.name && k.name == check.name)
                        || matches!(c, Change::RenameConstraint { table: t, from, .. }
                        if t == &table.name && Some(from) == check.name.as_ref())
                });
                if touched {
                    continue;
                }
                added.push(Change::DropCheck {
                    table: table.name.clone(),
                    check: check.clone(),
                });
                let kept = wanted.checks.iter().find(|k| k.name == check.name);
                if let Some(kept) = kept {
                    added.push(Change::AddCheck {
                        table: table.name.clone(),
                        check: kept.clone(),
                    });
                }
            }
        }
    }
    changes.extend(added);
    rebuilt
}
