//! Standalone sequences, by name: created, dropped, or altered when their
//! options or their `OWNED BY` column differ.

use crate::change::Change;
use crate::model::Sequence;

/// `(creates and alters, drops)`, each in name order.
pub(super) fn compare(current: &[Sequence], desired: &[Sequence]) -> (Vec<Change>, Vec<Change>) {
    super::matching::by_name(
        current,
        desired,
        |s| &s.name,
        Change::CreateSequence,
        |from, to| Change::AlterSequence { from, to },
        Change::DropSequence,
    )
}
