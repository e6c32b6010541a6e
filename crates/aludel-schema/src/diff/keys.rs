//! Primary keys and unique constraints of one table: kept, renamed (equal but
//! for the name, as after a table rename: `users_pkey` → `accounts_pkey`),
//! dropped or added.

use super::matching::{pair, Named};
use super::tables::TableChanges;
use crate::change::Change;
use crate::model::{PrimaryKey, Table, Unique};

impl Named for PrimaryKey {
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    fn body(&self) -> Self {
        PrimaryKey {
            name: None,
            ..self.clone()
        }
    }
}

impl Named for Unique {
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    fn body(&self) -> Self {
        Unique {
            name: None,
            ..self.clone()
        }
    }
}

pub(super) fn compare(c: &Table, d: &Table, out: &mut TableChanges) {
    let table = &d.name;
    let current: Vec<PrimaryKey> = c.primary_key.iter().cloned().collect();
    let desired: Vec<PrimaryKey> = d.primary_key.iter().cloned().collect();
    out.push(
        pair(&current, &desired),
        |key| Change::DropPrimaryKey {
            table: table.clone(),
            key,
        },
        |from, to| rename(table, from, to),
        |key| Change::AddPrimaryKey {
            table: table.clone(),
            key,
        },
        |k| k.name(),
    );
    out.push(
        pair(&c.uniques, &d.uniques),
        |unique| Change::DropUnique {
            table: table.clone(),
            unique,
        },
        |from, to| rename(table, from, to),
        |unique| Change::AddUnique {
            table: table.clone(),
            unique,
        },
        |u| u.name(),
    );
}

pub(super) fn rename(table: &crate::model::QualifiedName, from: String, to: String) -> Change {
    Change::RenameConstraint {
        table: table.clone(),
        from,
        to,
    }
}
