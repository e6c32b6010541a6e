//! Indexes of one table (those that do not back a key): kept, renamed (equal
//! but for the name: `users_name_idx` → `users_full_name_idx` after a column
//! rename), dropped or created. The server's text of the whole index
//! (`Index::definition`) is not compared: it names the table and the index.

use super::matching::{pair, Named};
use super::tables::TableChanges;
use crate::change::Change;
use crate::model::{Index, Table};

impl Named for Index {
    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
    fn body(&self) -> Self {
        Index {
            name: String::new(),
            definition: None,
            ..self.clone()
        }
    }
}

pub(super) fn compare(c: &Table, d: &Table, out: &mut TableChanges) {
    let table = &d.name;
    out.push(
        pair(&c.indexes, &d.indexes),
        |index| Change::DropIndex {
            table: table.clone(),
            index,
        },
        |from, to| Change::RenameIndex {
            table: table.clone(),
            from,
            to,
        },
        |index| Change::CreateIndex {
            table: table.clone(),
            index,
        },
        |i| i.name(),
    );
}
