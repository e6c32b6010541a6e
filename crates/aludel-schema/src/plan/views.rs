//! Views in the way of a change: a view reading a table whose columns change
//! shape, are dropped or renamed, or that is renamed, dropped or rebuilt
//! (PostgreSQL refuses such a change while the view exists; a SQLite rebuild
//! drops the table under it), or reading a table with a column of an enum type
//! that is rebuilt; and, transitively, every view reading a view that is
//! dropped. Each is dropped before the changes and created again after them,
//! even when the view itself does not change. Also the order of views among
//! themselves: a view is dropped before the views it reads and created after
//! them.
//!
//! Owns which views are in the way and their order; the views that change
//! themselves come from the diff.

use std::collections::{BTreeMap, BTreeSet};

use super::order::dependency_order;
use super::reshapes;
use crate::change::Change;
use crate::model::{EnumType, QualifiedName, Schema, Table, View};

/// Adds a drop and a create for every view in the way, and returns the view
/// drops and creates in their order (the drops carry the views as `current`
/// has them, before any rename). `renamed` is `current` with the renames done.
pub(super) fn unblock(
    changes: &mut Vec<Change>,
    current: &Schema,
    renamed: &Schema,
    desired: &Schema,
    rebuilt: &BTreeSet<QualifiedName>,
) -> (Vec<Change>, Vec<Change>) {
    let changed = changed_tables(changes, renamed, rebuilt);
    let mut dropped: BTreeSet<QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropView(v) => Some(v.name.clone()),
            _ => None,
        })
        .collect();
    loop {
        let before = dropped.len();
        for view in &renamed.views {
            if view
                .depends_on
                .iter()
                .any(|d| changed.contains(d) || dropped.contains(d))
            {
                dropped.insert(view.name.clone());
            }
        }
        if dropped.len() == before {
            break;
        }
    }
    let mut created: BTreeSet<QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateView(v) => Some(v.name.clone()),
            _ => None,
        })
        .collect();
    for name in &dropped {
        if desired.view(name).is_some() {
            created.insert(name.clone());
        }
    }
    changes.retain(|c| !matches!(c, Change::DropView(_) | Change::CreateView(_)));

    // Dropped in reverse dependency order, as current has them (the drops run
    // before the renames).
    let drop_views: Vec<&View> = dropped.iter().filter_map(|n| current.view(n)).collect();
    let drops = in_order(&drop_views)
        .into_iter()
        .rev()
        .map(|v| Change::DropView(v.clone()))
        .collect();
    let create_views: Vec<&View> = created.iter().filter_map(|n| desired.view(n)).collect();
    let creates = in_order(&create_views)
        .into_iter()
        .map(|v| Change::CreateView(v.clone()))
        .collect();
    (drops, creates)
}

/// Views, each after the views it reads.
fn in_order<'a>(views: &[&'a View]) -> Vec<&'a View> {
    let graph: BTreeMap<QualifiedName, BTreeSet<QualifiedName>> = views
        .iter()
        .map(|v| (v.name.clone(), v.depends_on.iter().cloned().collect()))
        .collect();
    dependency_order(&graph)
        .order
        .iter()
        .filter_map(|n| views.iter().find(|v| &v.name == n).copied())
        .collect()
}

/// The tables (by their names after the renames) that a view reading them is
/// in the way of.
fn changed_tables(
    changes: &[Change],
    renamed: &Schema,
    rebuilt: &BTreeSet<QualifiedName>,
) -> BTreeSet<QualifiedName> {
    let mut changed = rebuilt.clone();
    for change in changes {
        match change {
            Change::RenameTable { to, .. } => {
                changed.insert(to.clone());
            }
            Change::DropTable(t) => {
                changed.insert(t.name.clone());
            }
            Change::RenameColumn { table, .. } | Change::DropColumn { table, .. } => {
                changed.insert(table.clone());
            }
            Change::AlterColumn { table, from, to } if reshapes(from, to) => {
                changed.insert(table.clone());
            }
            Change::AlterEnum { from, to } if !to.values.starts_with(&from.values) => {
                let users = renamed.tables.iter().filter(|t| uses_type(t, from));
                changed.extend(users.map(|t| t.name.clone()));
            }
            _ => {}
        }
    }
    changed
}

/// Whether a column of `table` is of the enum type (or an array of it).
pub(super) fn uses_type(table: &Table, enum_type: &EnumType) -> bool {
    table
        .columns
        .iter()
        .any(|c| type_is(&c.data_type, &enum_type.name))
}

/// Whether a type as the server prints it names `name`: `mood`, `"Mood"`,
/// `public.mood`, `mood[]`.
fn type_is(data_type: &str, name: &QualifiedName) -> bool {
    let mut base = data_type.trim();
    while let Some(inner) = base.strip_suffix("[]") {
        base = inner.trim_end();
    }
    let quoted = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut spellings = vec![name.name.clone(), quoted(&name.name)];
    if let Some(schema) = &name.schema {
        for s in [schema.clone(), quoted(schema)] {
            for n in [name.name.clone(), quoted(&name.name)] {
                spellings.push(format!("{s}.{n}"));
            }
        }
    }
    spellings.iter().any(|s| s == base)
}
