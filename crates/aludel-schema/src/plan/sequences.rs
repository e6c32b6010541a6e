//! Sequences owned by a column (`OWNED BY`, a `serial` column's sequence) whose
//! owner is created or dropped in the same plan. A sequence must exist before
//! the column whose default reads it, but `OWNED BY` needs the column: such a
//! sequence is created without an owner before the tables and given its owner
//! after them. Dropping a table or column drops the sequences it owns, so a
//! sequence that is dropped (or that changes owner) loses its dropped owner
//! before the tables change, and is dropped after them.
//!
//! Owns the split of sequence changes into the part before the table changes
//! and the part after.

use crate::change::Change;
use crate::model::{Column, Identity, QualifiedName, Sequence};

/// The sequence changes to run before the table changes (creates, option
/// changes, owners removed) and after them (owners given). Sequence drops stay
/// in `changes` (they run after the table changes anyway, with their owner
/// removed where it is dropped).
pub(super) fn split(changes: &mut Vec<Change>) -> (Vec<Change>, Vec<Change>) {
    let created_owner = |owner: &Option<(QualifiedName, String)>| {
        owner.as_ref().is_some_and(|(table, column)| {
            changes.iter().any(|c| match c {
                Change::CreateTable(t) => &t.name == table,
                Change::AddColumn {
                    table: t,
                    column: c,
                    ..
                } => t == table && &c.name == column,
                _ => false,
            })
        })
    };
    let dropped_owner = |owner: &Option<(QualifiedName, String)>| {
        owner.as_ref().is_some_and(|(table, column)| {
            changes.iter().any(|c| match c {
                Change::DropTable(t) => &t.name == table,
                Change::DropColumn {
                    table: t,
                    column: c,
                    ..
                } => t == table && &c.name == column,
                _ => false,
            })
        })
    };
    let unowned = |s: &Sequence| Sequence {
        owned_by: None,
        ..s.clone()
    };
    let (mut before, mut after, mut kept) = (Vec::new(), Vec::new(), Vec::new());
    for change in changes.iter() {
        match change {
            // An identity dropped (PostgreSQL's, whose sequence is named like
            // the `serial` sequence that may replace it) goes first, before any
            // sequence is created; the rest of the column's change stays.
            Change::AlterColumn { table, from, to }
                if matches!(
                    from.identity,
                    Some(Identity::Always(_) | Identity::ByDefault(_))
                ) && to.identity.is_none() =>
            {
                let plain = Column {
                    identity: None,
                    default: None,
                    ..from.clone()
                };
                before.insert(
                    0,
                    Change::AlterColumn {
                        table: table.clone(),
                        from: from.clone(),
                        to: plain.clone(),
                    },
                );
                if plain != *to {
                    kept.push(Change::AlterColumn {
                        table: table.clone(),
                        from: plain,
                        to: to.clone(),
                    });
                }
            }
            Change::CreateSequence(s) if created_owner(&s.owned_by) => {
                before.push(Change::CreateSequence(unowned(s)));
                after.push(Change::AlterSequence {
                    from: unowned(s),
                    to: s.clone(),
                });
            }
            Change::CreateSequence(_) => before.push(change.clone()),
            Change::AlterSequence { from, to } => {
                let mut middle = to.clone();
                if created_owner(&to.owned_by) {
                    middle.owned_by = if dropped_owner(&from.owned_by) {
                        None
                    } else {
                        from.owned_by.clone()
                    };
                }
                if *from != middle {
                    before.push(Change::AlterSequence {
                        from: from.clone(),
                        to: middle.clone(),
                    });
                }
                if middle != *to {
                    after.push(Change::AlterSequence {
                        from: middle,
                        to: to.clone(),
                    });
                }
            }
            Change::DropSequence(s) if dropped_owner(&s.owned_by) => {
                before.push(Change::AlterSequence {
                    from: s.clone(),
                    to: unowned(s),
                });
                kept.push(Change::DropSequence(unowned(s)));
            }
            _ => kept.push(change.clone()),
        }
    }
    *changes = kept;
    (before, after)
}
