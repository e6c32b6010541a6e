//! Foreign keys of one table: kept, renamed (equal but for the name, as
//! `users_org_id_fkey` → `accounts_org_id_fkey` after a table rename), dropped
//! or added. A rename of the referenced table or column is already in the
//! current side (applied with the hints), so it is no change here.

use super::matching::{pair, Named};
use super::tables::TableChanges;
use crate::change::Change;
use crate::model::{ForeignKey, Table};

impl Named for ForeignKey {
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    fn body(&self) -> Self {
        ForeignKey {
            name: None,
            ..self.clone()
        }
    }
}

pub(super) fn compare(c: &Table, d: &Table, out: &mut TableChanges) {
    let table = &d.name;
    out.push(
        pair(&c.foreign_keys, &d.foreign_keys),
        |key| Change::DropForeignKey {
            table: table.clone(),
            key,
        },
        |from, to| super::keys::rename(table, from, to),
        |key| Change::AddForeignKey {
            table: table.clone(),
            key,
        },
        |k| k.name(),
    );
}
