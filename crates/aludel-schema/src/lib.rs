//! aludel's schema model and the changes between two schemas: what autogenerate
//! compares and what it turns into a migration. Pure: no database, no I/O, no
//! async, so that Cargo itself keeps it pure and it is tested exhaustively and fast.
//!
//! - [`model`]: one database's schema, as its catalog describes it.
//! - [`change`]: one change between two schemas, reversible.
//! - [`apply`]: the schema a change leaves, on the values.
//! - [`diff`]: the changes from the current schema to the desired one.
//! - [`plan`]: those changes in an order a database can run.
//!
//! The catalog queries that build a [`model::Schema`] and the DDL that renders a
//! [`change::Change`] live per dialect in `aludel::dialect`.

pub mod apply;
pub mod change;
pub mod diff;
pub mod model;
pub mod plan;

pub use change::Change;
pub use diff::{diff, Diff, DiffError, RenameCandidate, Renames};
pub use model::Schema;
pub use plan::{after_renames, plan, Capabilities, Step};

#[cfg(test)]
mod properties;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
