//! Autogenerate's work with databases (docs/design/autogenerate.md): the desired
//! schema loaded into a shadow database and described, the current schema read
//! from the target, and the verification of a generated migration on a shadow
//! copy. The comparison itself is pure (`aludel_schema`); the SQL comes from
//! `dialect::render`. Nothing here formats for a terminal.

pub mod desired;

use std::path::PathBuf;

use crate::dialect::DbError;

/// What can go wrong between a schema source and a described schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AutogenError {
    /// `[autogenerate] schema` names nothing readable.
    #[error("cannot read the desired schema {}: {reason}", .path.display())]
    SchemaMissing { path: PathBuf, reason: String },

    /// A statement of the desired schema failed on the shadow database.
    #[error("a statement of the desired schema failed at {}:{line}: {}", .file.display(), .source.message)]
    DesiredStatement {
        file: PathBuf,
        line: usize,
        statement: String,
        source: Box<DbError>,
    },
}
