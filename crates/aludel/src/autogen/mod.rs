//! Autogenerate's work with databases (docs/design/autogenerate.md): the desired
//! schema loaded into a shadow database and described, the current schema read
//! from the target, and the verification of a generated migration on a shadow
//! copy. The comparison itself is pure (`aludel_schema`); the SQL comes from
//! `dialect::render`. Nothing here formats for a terminal.

pub mod desired;
mod generate;

use std::path::PathBuf;

use aludel_schema::{Change, DiffError};

pub use generate::{
    autogenerate, check, render_plan, AutogenOptions, Generated, NoQuestions, RenameQuestions,
};

use crate::dialect::render::Unsupported;
use crate::dialect::DbError;

/// Adds a `--rename` hint to `renames`: `old=new` renames a table (`schema.old`
/// for another schema), `table.old=table.new` a column (the same table on both
/// sides, which is how a column rename is told from a table rename).
pub fn add_rename(renames: &mut aludel_schema::Renames, hint: &str) -> Result<(), AutogenError> {
    use aludel_schema::model::QualifiedName;
    let invalid = || AutogenError::InvalidRenameHint(hint.to_string());
    let (from, to) = hint.split_once('=').ok_or_else(invalid)?;
    let (from, to) = (from.trim(), to.trim());
    if from.is_empty() || to.is_empty() {
        return Err(invalid());
    }
    let name = |text: &str| match text.split_once('.') {
        Some((schema, name)) => QualifiedName::in_schema(schema, name),
        None => QualifiedName::local(text),
    };
    match (from.rsplit_once('.'), to.rsplit_once('.')) {
        (Some((table, old)), Some((same, new))) if table == same => {
            if old.is_empty() || new.is_empty() {
                return Err(invalid());
            }
            renames.column(name(table), old, new);
        }
        _ => {
            renames.table(name(from), name(to));
        }
    }
    Ok(())
}

/// Which part of the verification on a shadow copy failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyStage {
    /// The generated upgrade.
    Upgrade,
    /// The generated downgrade.
    Downgrade,
}

impl VerifyStage {
    pub fn as_str(self) -> &'static str {
        match self {
            VerifyStage::Upgrade => "upgrade",
            VerifyStage::Downgrade => "downgrade",
        }
    }
}

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

    /// The target database is not at its heads: a migration generated against
    /// it would repeat or miss what the pending revisions do.
    #[error("Target database is not up to date.")]
    NotUpToDate {
        current: Vec<String>,
        heads: Vec<String>,
    },

    /// `shadow_database_url` is not a database URL.
    #[error("shadow_database_url is not a usable database URL: {0}")]
    ShadowUrl(String),

    /// `--offline`: the revision history did not apply to a shadow database.
    #[error("the revision history does not apply to a shadow database: {0}")]
    Replay(String),

    /// A `--rename` hint that is not `old=new` or `table.old=table.new`.
    #[error("--rename {0}: write old=new for a table or table.old=table.new for a column")]
    InvalidRenameHint(String),

    /// A `--rename` hint names something that does not exist.
    #[error(transparent)]
    Rename(#[from] DiffError),

    /// A change the database (or aludel, yet) cannot make.
    #[error(transparent)]
    Unsupported(#[from] Unsupported),

    /// A generated statement failed on the shadow copy.
    #[error("the generated {} failed on a shadow copy of the database: {}", .stage.as_str(), .source.message)]
    VerifyStatement {
        stage: VerifyStage,
        statement: String,
        source: Box<DbError>,
    },

    /// `check`: the database differs from the desired schema.
    #[error("New upgrade operations detected.")]
    DiffsDetected { changes: Vec<String> },

    /// After the generated statements ran on the shadow copy, its schema still
    /// differs from the one expected: these changes are left.
    #[error("the generated {} does not reach the expected schema on a shadow copy ({} difference(s) left)", .stage.as_str(), .remaining.len())]
    Verification {
        stage: VerifyStage,
        remaining: Vec<Change>,
    },
}

impl AutogenError {
    /// The details under the message: the statement, the changes found or left.
    pub fn reason(&self) -> Option<String> {
        match self {
            AutogenError::DesiredStatement { statement, .. }
            | AutogenError::VerifyStatement { statement, .. } => {
                Some(format!("statement: {statement}"))
            }
            AutogenError::NotUpToDate { current, heads } => Some(format!(
                "the database is at {}; the revisions' heads are {}",
                if current.is_empty() {
                    "base (nothing applied)".to_string()
                } else {
                    current.join(", ")
                },
                heads.join(", ")
            )),
            AutogenError::DiffsDetected { changes } => Some(changes.join("\n")),
            AutogenError::Verification { remaining, .. } => Some(
                remaining
                    .iter()
                    .map(|c| format!("left: {c}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            _ => None,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            AutogenError::SchemaMissing { .. } => {
                "set [autogenerate] schema to a .sql file or a folder of them".to_string()
            }
            AutogenError::DesiredStatement { .. } => {
                "fix that statement of the desired schema; nothing was written".to_string()
            }
            AutogenError::NotUpToDate { .. } => {
                "run 'aludel upgrade heads' first, or compare with the revision history alone: --offline"
                    .to_string()
            }
            AutogenError::ShadowUrl(_) => "fix shadow_database_url in [autogenerate]".to_string(),
            AutogenError::Replay(_) => {
                "fix the revision that fails, or autogenerate against the database instead of --offline"
                    .to_string()
            }
            AutogenError::InvalidRenameHint(_) | AutogenError::Rename(_) => {
                "a --rename hint names the old name as it is now and the new name as the desired schema has it"
                    .to_string()
            }
            AutogenError::Unsupported(_) => {
                "write this part of the migration by hand: aludel revision -m MESSAGE".to_string()
            }
            AutogenError::DiffsDetected { .. } => {
                "generate the migration with 'aludel revision --autogenerate -m MESSAGE', review it, then 'aludel upgrade head'"
                    .to_string()
            }
            AutogenError::VerifyStatement { .. } | AutogenError::Verification { .. } => {
                "nothing was written; please report this with the schemas involved, and write this \
                 migration by hand meanwhile"
                    .to_string()
            }
        })
    }
}
