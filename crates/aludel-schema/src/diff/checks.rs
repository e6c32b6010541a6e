//! Check constraints of one table, compared by their server-printed condition:
//! kept, renamed (same condition, other name), dropped or added. A condition
//! that names a renamed column differs in text, so it is dropped and added.

use super::matching::{pair, Named};
use super::tables::TableChanges;
use crate::change::Change;
use crate::model::{Check, Table};

impl Named for Check {
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    fn body(&self) -> Self {
        Check {
            name: None,
            ..self.clone()
        }
    }
}

pub(super) fn compare(c: &Table, d: &Table, out: &mut TableChanges) {
    let table = &d.name;
    out.push(
        pair(&c.checks, &d.checks),
        |check| Change::DropCheck {
            table: table.clone(),
            check,
        },
        |from, to| super::keys::rename(table, from, to),
        |check| Change::AddCheck {
            table: table.clone(),
            check,
        },
        |x| x.name(),
    );
}
