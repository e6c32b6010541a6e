//! What could be a rename the user did not declare: a dropped table and a
//! created table of the same shape (the same column names and types), or, in
//! one table, a dropped column and an added column of the same type. The CLI
//! asks about each ("Did you rename users.name to users.full_name? [y/N]") and,
//! on yes, runs the diff again with the hint; without a terminal it warns with
//! the hint that would keep the data.
//!
//! Owns the guess only: the changes themselves stay a drop and an add.

use super::Renames;
use crate::change::Change;
use crate::model::{QualifiedName, Table};

/// A drop and an add that may be one rename.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RenameCandidate {
    Table {
        from: QualifiedName,
        to: QualifiedName,
    },
    Column {
        table: QualifiedName,
        from: String,
        to: String,
    },
}

impl RenameCandidate {
    /// Declares this rename in `renames` (the user said yes).
    pub fn accept(&self, renames: &mut Renames) {
        match self {
            RenameCandidate::Table { from, to } => renames.table(from.clone(), to.clone()),
            RenameCandidate::Column { table, from, to } => {
                renames.column(table.clone(), from.clone(), to.clone())
            }
        };
    }
}

impl std::fmt::Display for RenameCandidate {
    /// The hint as `--rename` takes it: `users=accounts`, `users.name=users.full_name`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenameCandidate::Table { from, to } => write!(f, "{from}={to}"),
            RenameCandidate::Column { table, from, to } => {
                write!(f, "{table}.{from}={table}.{to}")
            }
        }
    }
}

/// Every pair of a drop and an add of the same shape among `changes`, sorted.
/// A table or column can be in several candidates; once one is accepted the
/// diff runs again and the others are found afresh.
pub(super) fn find(changes: &[Change]) -> Vec<RenameCandidate> {
    let mut found = Vec::new();
    let dropped_tables = changes.iter().filter_map(|c| match c {
        Change::DropTable(t) => Some(t),
        _ => None,
    });
    for dropped in dropped_tables {
        for change in changes {
            if let Change::CreateTable(created) = change {
                if !dropped.columns.is_empty() && shape(dropped) == shape(created) {
                    found.push(RenameCandidate::Table {
                        from: dropped.name.clone(),
                        to: created.name.clone(),
                    });
                }
            }
        }
    }
    for change in changes {
        let Change::DropColumn { table, column, .. } = change else {
            continue;
        };
        for other in changes {
            if let Change::AddColumn {
                table: added_to,
                column: added,
                ..
            } = other
            {
                if added_to == table && added.data_type == column.data_type {
                    found.push(RenameCandidate::Column {
                        table: table.clone(),
                        from: column.name.clone(),
                        to: added.name.clone(),
                    });
                }
            }
        }
    }
    found.sort();
    found
}

/// Column names and types, in name order.
fn shape(table: &Table) -> Vec<(&str, &str)> {
    let mut shape: Vec<(&str, &str)> = table
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.data_type.as_str()))
        .collect();
    shape.sort();
    shape
}
