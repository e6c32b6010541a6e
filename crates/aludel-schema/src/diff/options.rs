//! A table's comment and storage options: any difference is one
//! [`Change::AlterTable`] carrying both tables.

use super::tables::TableChanges;
use crate::change::Change;
use crate::model::Table;

pub(super) fn compare(c: &Table, d: &Table, out: &mut TableChanges) {
    if c.comment != d.comment || c.options != d.options {
        out.table.push(Change::AlterTable {
            from: c.clone(),
            to: d.clone(),
        });
    }
}
