//! PostgreSQL exclusion constraints of one table, compared by definition:
//! kept, renamed (same definition, other name), dropped or added.

use super::matching::{pair, Named};
use super::tables::TableChanges;
use crate::change::Change;
use crate::model::{Exclusion, Table};

impl Named for Exclusion {
    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
    fn body(&self) -> Self {
        Exclusion {
            name: String::new(),
            ..self.clone()
        }
    }
}

pub(super) fn compare(c: &Table, d: &Table, out: &mut TableChanges) {
    let table = &d.name;
    out.push(
        pair(&c.exclusions, &d.exclusions),
        |exclusion| Change::DropExclusion {
            table: table.clone(),
            exclusion,
        },
        |from, to| super::keys::rename(table, from, to),
        |exclusion| Change::AddExclusion {
            table: table.clone(),
            exclusion,
        },
        |x| x.name(),
    );
}
