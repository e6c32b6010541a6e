//! Schemas (namespaces) other than the default one: created or dropped.

use crate::change::Change;

/// `(creates, drops)`, each in name order.
pub(super) fn compare(current: &[String], desired: &[String]) -> (Vec<Change>, Vec<Change>) {
    let creates = desired
        .iter()
        .filter(|n| !current.contains(n))
        .map(|n| Change::CreateNamespace(n.clone()))
        .collect();
    let drops = current
        .iter()
        .filter(|n| !desired.contains(n))
        .map(|n| Change::DropNamespace(n.clone()))
        .collect();
    (creates, drops)
}
