//! aludel's schema model and the changes between two schemas: what autogenerate
//! compares and what it turns into a migration. Pure: no database, no I/O, no
//! async, so that Cargo itself keeps it pure and it is tested exhaustively and fast.
//!
//! - [`model`]: one database's schema, as its catalog describes it.
//! - [`change`]: one change between two schemas, reversible.
//!
//! The catalog queries that build a [`model::Schema`] and the DDL that renders a
//! [`change::Change`] live per dialect in `aludel::dialect`.

pub mod change;
pub mod model;

pub use change::Change;
pub use model::Schema;

#[cfg(test)]
mod tests;
