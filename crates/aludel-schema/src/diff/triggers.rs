//! Triggers of one table, by name: a changed definition is a drop and a create
//! (no database alters a trigger in place). Triggers are never paired as
//! renames: their definition names them.

use super::tables::TableChanges;
use crate::change::Change;
use crate::model::Table;

pub(super) fn compare(c: &Table, d: &Table, out: &mut TableChanges) {
    let table = &d.name;
    for trigger in &c.triggers {
        if !d.triggers.contains(trigger) {
            out.drops.push(Change::DropTrigger {
                table: table.clone(),
                trigger: trigger.clone(),
            });
        }
    }
    for trigger in &d.triggers {
        if !c.triggers.contains(trigger) {
            out.adds.push(Change::CreateTrigger {
                table: table.clone(),
                trigger: trigger.clone(),
            });
        }
    }
}
