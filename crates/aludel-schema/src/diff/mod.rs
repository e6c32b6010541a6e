//! The changes from the current schema to the desired one: `diff(current,
//! desired, renames)`. Both schemas are put in canonical order, the rename hints
//! are applied to the current one (see [`Renames`]), then one comparator per kind
//! of object finds what to create, drop, alter or rename.
//!
//! Owns what changed, not in which order a database can run it (that is
//! [`crate::plan`]) nor how it is written in SQL (each dialect). The changes come
//! in a fixed order so that applied one after the other to the current schema's
//! values ([`crate::apply::apply`]) they give the desired schema, and their
//! reverses applied in the reverse order give the current one back:
//!
//! 1. the hinted renames (tables, then columns);
//! 2. namespaces created; enum types and sequences created or altered;
//! 3. tables in name order, each either created, dropped, or changed part by part
//!    (its drops, then renames, then columns, then additions, then
//!    comment/options);
//! 4. views dropped, then views created (a changed view is both);
//! 5. sequences, enum types and namespaces dropped.
//!
//! What is compared is the text the server prints (see [`crate::model`]).
//! Objects equal but for their name become renames (`users_pkey` →
//! `accounts_pkey` after `--rename users=accounts`). Texts that embed a renamed
//! name (a check's condition, an index expression, a view or trigger definition)
//! are not rewritten: such an object is dropped and created again, which still
//! leaves exactly the desired schema.

mod candidates;
mod checks;
mod columns;
mod enums;
mod exclusions;
mod foreign_keys;
mod indexes;
mod keys;
mod matching;
mod namespaces;
mod options;
mod renames;
mod sequences;
mod tables;
mod triggers;
mod views;

pub use candidates::RenameCandidate;
pub use renames::Renames;

use crate::change::Change;
use crate::model::Schema;

/// What [`diff`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// In the order described in the module documentation, not yet in an order a
    /// database can run (see [`crate::plan::plan`]).
    pub changes: Vec<Change>,
    /// Drops and adds that could be renames the user did not declare.
    pub rename_candidates: Vec<RenameCandidate>,
}

impl Diff {
    /// No change at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// A rename hint that does not fit the schemas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffError {
    /// The hint as `--rename` takes it (`users=accounts`).
    pub hint: String,
    /// What is missing or in the way.
    pub problem: String,
}

impl std::fmt::Display for DiffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot rename {}: {}", self.hint, self.problem)
    }
}

impl std::error::Error for DiffError {}

/// The changes that turn `current` into `desired`, given the renames the user
/// declared.
pub fn diff(current: &Schema, desired: &Schema, renames: &Renames) -> Result<Diff, DiffError> {
    let mut current = current.clone().canonical();
    let desired = desired.clone().canonical();
    let mut changes = renames::apply_hints(&mut current, &desired, renames)?;
    let current = current.canonical();

    let (namespaces_created, namespaces_dropped) =
        namespaces::compare(&current.namespaces, &desired.namespaces);
    let (enums_early, enums_dropped) = enums::compare(&current.enums, &desired.enums);
    let (sequences_early, sequences_dropped) =
        sequences::compare(&current.sequences, &desired.sequences);
    changes.extend(namespaces_created);
    changes.extend(enums_early);
    changes.extend(sequences_early);
    tables::compare(&current.tables, &desired.tables, &mut changes);
    changes.extend(views::compare(&current.views, &desired.views));
    changes.extend(sequences_dropped);
    changes.extend(enums_dropped);
    changes.extend(namespaces_dropped);

    let rename_candidates = candidates::find(&changes);
    Ok(Diff {
        changes,
        rename_candidates,
    })
}

#[cfg(test)]
mod tests;
