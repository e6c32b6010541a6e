//! Views, by name: any difference (definition, options, comment, what they
//! read) is a drop and a create, since no database alters a view's columns in
//! place. The views that must be re-created because a table under them changes
//! are the plan's concern, not this comparator's.

use crate::change::Change;
use crate::model::View;

/// The drops, then the creates, each in name order.
pub(super) fn compare(current: &[View], desired: &[View]) -> Vec<Change> {
    let drops = current
        .iter()
        .filter(|c| !desired.contains(c))
        .map(|c| Change::DropView(c.clone()));
    let creates = desired
        .iter()
        .filter(|d| !current.contains(d))
        .map(|d| Change::CreateView(d.clone()));
    drops.chain(creates).collect()
}
