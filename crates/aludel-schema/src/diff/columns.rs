//! Columns of one table, by name: a column on both sides that differs in
//! anything is altered, a new one is added after the column that precedes it in
//! the desired table, a gone one is dropped (remembering its place, for the
//! reverse). The order of columns is not compared: PostgreSQL can only append.
//!
//! Must not decide whether a drop and an add are a rename (that is a hint, or a
//! question: see `candidates`).

use super::tables::TableChanges;
use crate::change::Change;
use crate::model::Table;

pub(super) fn compare(c: &Table, d: &Table, out: &mut TableChanges) {
    let table = &d.name;
    // Dropped last column first, so that each one's `after` still exists when
    // the reverses (adds) run in reverse order.
    for (i, column) in c.columns.iter().enumerate().rev() {
        if d.column(&column.name).is_none() {
            out.columns.push(Change::DropColumn {
                table: table.clone(),
                column: column.clone(),
                after: preceding(c, i),
            });
        }
    }
    for (i, column) in d.columns.iter().enumerate() {
        if c.column(&column.name).is_none() {
            out.columns.push(Change::AddColumn {
                table: table.clone(),
                column: column.clone(),
                after: preceding(d, i),
            });
        }
    }
    for column in &d.columns {
        if let Some(from) = c.column(&column.name) {
            if from != column {
                out.columns.push(Change::AlterColumn {
                    table: table.clone(),
                    from: from.clone(),
                    to: column.clone(),
                });
            }
        }
    }
}

fn preceding(table: &Table, i: usize) -> Option<String> {
    i.checked_sub(1).map(|p| table.columns[p].name.clone())
}
