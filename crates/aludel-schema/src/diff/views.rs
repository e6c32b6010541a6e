//! Views, by name: any difference (definition, options, comment, what they
//! read) is a drop and a create, since no database alters a view's columns in
//! place. The views that must be re-created because a table under them changes
//! are the plan's concern, not this comparator's.

use super::matching::keyed;
use crate::change::Change;
use crate::model::View;

/// The drops, then the creates, each in name order.
pub(super) fn compare(current: &[View], desired: &[View]) -> Vec<Change> {
    let current_by_name = keyed(current, |v| &v.name);
    let desired_by_name = keyed(desired, |v| &v.name);
    let drops = current
        .iter()
        .filter(|c| desired_by_name.get(&c.name) != Some(c))
        .map(|c| Change::DropView(c.clone()));
    let creates = desired
        .iter()
        .filter(|d| current_by_name.get(&d.name) != Some(d))
        .map(|d| Change::CreateView(d.clone()));
    drops.chain(creates).collect()
}
