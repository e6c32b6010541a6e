//! PostgreSQL enum types, by name: created, dropped, or altered when their
//! values differ (added, removed, renamed or reordered: the renderer decides
//! how, the change carries both lists).

use crate::change::Change;
use crate::model::EnumType;

/// `(creates and alters, drops)`, each in name order.
pub(super) fn compare(current: &[EnumType], desired: &[EnumType]) -> (Vec<Change>, Vec<Change>) {
    super::matching::by_name(
        current,
        desired,
        |e| &e.name,
        Change::CreateEnum,
        |from, to| Change::AlterEnum { from, to },
        Change::DropEnum,
    )
}
