//! Rename hints (`--rename users=accounts`, `--rename users.name=users.full_name`):
//! checked against both schemas, then applied to the current schema, so that the
//! ordinary comparison sees the renamed objects as kept. Each hint becomes a
//! [`Change::RenameTable`] or [`Change::RenameColumn`], first in the diff.
//!
//! Owns the meaning of a hint and its errors. Must not guess renames (that is
//! `candidates`) nor parse the command line (the CLI builds a [`Renames`]).

use std::collections::BTreeMap;

use super::DiffError;
use crate::apply::apply;
use crate::change::Change;
use crate::model::{QualifiedName, Schema};

/// The renames the user declared, from the current schema to the desired one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    /// Old table name → new table name.
    pub tables: BTreeMap<QualifiedName, QualifiedName>,
    /// (table, old column) → new column. The table may be named as the current
    /// schema names it or, if a table hint renames it, by its new name.
    pub columns: BTreeMap<(QualifiedName, String), String>,
}

impl Renames {
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty() && self.columns.is_empty()
    }

    /// Adds `--rename from=to` (a table).
    pub fn table(&mut self, from: QualifiedName, to: QualifiedName) -> &mut Self {
        self.tables.insert(from, to);
        self
    }

    /// Adds `--rename table.from=table.to` (a column).
    pub fn column(
        &mut self,
        table: QualifiedName,
        from: impl Into<String>,
        to: impl Into<String>,
    ) -> &mut Self {
        self.columns.insert((table, from.into()), to.into());
        self
    }

    /// The same renames from the desired schema back to the current one (for
    /// the downgrade, which is `diff(desired, current, &renames.reversed())`).
    pub fn reversed(&self) -> Renames {
        let tables = self
            .tables
            .iter()
            .map(|(from, to)| (to.clone(), from.clone()))
            .collect();
        let columns = self
            .columns
            .iter()
            .map(|((table, from), to)| {
                let table = self.tables.get(table).unwrap_or(table).clone();
                ((table, to.clone()), from.clone())
            })
            .collect();
        Renames { tables, columns }
    }
}

fn table_hint(from: &QualifiedName, to: &QualifiedName) -> String {
    format!("{from}={to}")
}

fn column_hint(table: &QualifiedName, from: &str, to: &str) -> String {
    format!("{table}.{from}={table}.{to}")
}

fn error(hint: String, problem: String) -> DiffError {
    DiffError { hint, problem }
}

/// Checks every hint, applies them to `current` (table renames first, then
/// column renames) and returns the rename changes in that order.
pub(super) fn apply_hints(
    current: &mut Schema,
    desired: &Schema,
    renames: &Renames,
) -> Result<Vec<Change>, DiffError> {
    let mut changes = Vec::new();
    for (from, to) in &renames.tables {
        let hint = || table_hint(from, to);
        if current.table(from).is_none() {
            return Err(error(
                hint(),
                format!("there is no table {from} in the current schema"),
            ));
        }
        if desired.table(to).is_none() {
            return Err(error(
                hint(),
                format!("there is no table {to} in the desired schema"),
            ));
        }
        if current.table(to).is_some() {
            return Err(error(
                hint(),
                format!("a table {to} already exists in the current schema"),
            ));
        }
        changes.push(Change::RenameTable {
            from: from.clone(),
            to: to.clone(),
        });
    }
    for change in &changes {
        apply(current, change).map_err(|e| error(describe(change), e.to_string()))?;
    }
    let mut columns = Vec::new();
    for ((named, from), to) in &renames.columns {
        let hint = || column_hint(named, from, to);
        let table = renames.tables.get(named).unwrap_or(named);
        let Some(current_table) = current.table(table) else {
            return Err(error(
                hint(),
                format!("there is no table {named} in the current schema"),
            ));
        };
        if current_table.column(from).is_none() {
            return Err(error(
                hint(),
                format!("there is no column {from} in table {named} of the current schema"),
            ));
        }
        if current_table.column(to).is_some() {
            return Err(error(
                hint(),
                format!("a column {to} already exists in table {named} of the current schema"),
            ));
        }
        match desired.table(table) {
            Some(t) if t.column(to).is_some() => {}
            Some(_) => {
                return Err(error(
                    hint(),
                    format!("there is no column {to} in table {table} of the desired schema"),
                ))
            }
            None => {
                return Err(error(
                    hint(),
                    format!("there is no table {table} in the desired schema"),
                ))
            }
        }
        columns.push((table.clone(), from.clone(), to.clone()));
    }
    // By table and old name, whatever name the hint used for the table.
    columns.sort();
    for (table, from, to) in columns {
        let change = Change::RenameColumn { table, from, to };
        apply(current, &change).map_err(|e| error(describe(&change), e.to_string()))?;
        changes.push(change);
    }
    Ok(changes)
}

/// The hint a rename change stands for, as the user would write it.
fn describe(change: &Change) -> String {
    match change {
        Change::RenameColumn { table, from, to } => column_hint(table, from, to),
        Change::RenameTable { from, to } => table_hint(from, to),
        _ => String::new(),
    }
}
