//! The errors of autogenerate and check: what went wrong between the schema
//! sources and a verified migration, each with the details under its message
//! ([`AutogenError::reason`]) and what to do ([`AutogenError::hint`]).

use std::path::PathBuf;

use aludel_schema::{Change, DiffError};

use super::desired::StatementOrigin;
use super::VerifyStage;
use crate::dialect::render::Unsupported;
use crate::dialect::DbError;

/// What can go wrong between a schema source and a described schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AutogenError {
    /// `[autogenerate] schema` names nothing readable.
    #[error("cannot read the desired schema {}: {reason}", .path.display())]
    SchemaMissing { path: PathBuf, reason: String },

    /// A statement of the desired schema failed on the shadow database.
    #[error("a statement of the desired schema failed at {origin}: {}", .source.message)]
    DesiredStatement {
        origin: StatementOrigin,
        statement: String,
        source: Box<DbError>,
    },

    /// A `sqlalchemy:` source, and no Python to load it with.
    #[error("{source_name} needs Python, and none was found (looked for {})", .tried.join(", "))]
    PythonNotFound {
        source_name: String,
        tried: Vec<String>,
    },

    /// The Python of a `sqlalchemy:` source did not run the loader to its end
    /// (it could not start, or died without a report).
    #[error("{source_name}: {} did not run aludel's model loader: {reason}", .python.display())]
    PythonFailed {
        source_name: String,
        python: PathBuf,
        reason: String,
        /// The end of what it printed on standard error.
        output: String,
    },

    /// The Python of a `sqlalchemy:` source cannot import SQLAlchemy.
    #[error("{source_name}: SQLAlchemy is not installed in {}", .python.display())]
    SqlAlchemyMissing {
        source_name: String,
        python: PathBuf,
    },

    /// The module of a `sqlalchemy:` source raised an exception on import.
    #[error("{source_name}: module {module} does not import: {}", last_line(.exception))]
    ModelImport {
        source_name: String,
        module: String,
        python: PathBuf,
        /// The last frames and the exception, as Python prints them.
        exception: String,
        /// The `sys.path` entries that could hold the project's code.
        sys_path: Vec<String>,
    },

    /// The ATTR of a `sqlalchemy:` source is missing or holds no metadata;
    /// `candidates` are the names in the module that do.
    #[error("{source_name}: {problem}")]
    ModelAttribute {
        source_name: String,
        module: String,
        problem: String,
        candidates: Vec<String>,
    },

    /// SQLAlchemy could not compile the models for the target's dialect.
    #[error("{source_name}: SQLAlchemy cannot compile the models for {dialect}: {}", last_line(.exception))]
    ModelCompile {
        source_name: String,
        dialect: String,
        exception: String,
    },

    /// A `command:` source could not start or exited non-zero.
    #[error("{source_name} failed ({status})")]
    SchemaCommandFailed {
        source_name: String,
        status: String,
        /// The end of its standard error (masked).
        stderr: String,
    },

    /// A `command:` source printed nothing on its standard output.
    #[error("{source_name} printed no DDL on its standard output")]
    SchemaCommandEmpty { source_name: String },

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
            AutogenError::PythonFailed { output, .. } if !output.is_empty() => Some(output.clone()),
            AutogenError::ModelImport {
                exception,
                sys_path,
                ..
            } => {
                // The exception's own line is the message already.
                let mut reason = match exception.trim_end().rsplit_once('\n') {
                    Some((frames, _)) => format!("{frames}\n"),
                    None => String::new(),
                };
                reason.push_str("sys.path (the project's part): ");
                reason.push_str(&if sys_path.is_empty() {
                    "(none)".to_string()
                } else {
                    sys_path.join(", ")
                });
                Some(reason)
            }
            AutogenError::ModelCompile { exception, .. } => exception
                .trim_end()
                .rsplit_once('\n')
                .map(|(before, _)| before.to_string()),
            AutogenError::SchemaCommandFailed { stderr, .. } if !stderr.is_empty() => {
                Some(stderr.clone())
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
            AutogenError::PythonNotFound { .. } => {
                "set [autogenerate] python to the interpreter that has your models' packages, \
                 e.g. python = \".venv/bin/python\"; nothing was written"
                    .to_string()
            }
            AutogenError::PythonFailed { .. } => {
                "check that [autogenerate] python names a working Python 3 interpreter; nothing was written"
                    .to_string()
            }
            AutogenError::SqlAlchemyMissing { python, .. } => format!(
                "install it in the project's virtualenv ({} -m pip install sqlalchemy), or set \
                 [autogenerate] python to the interpreter that has it; nothing was written",
                python.display()
            ),
            AutogenError::ModelImport { .. } => {
                "if the missing module is your code, add the folder that holds it to [autogenerate] \
                 python_path (relative to aludel.toml), e.g. python_path = [\"src\"]; if it is a \
                 package, install it in the interpreter aludel runs ([autogenerate] python); \
                 nothing was written"
                    .to_string()
            }
            AutogenError::ModelAttribute {
                module, candidates, ..
            } => {
                if candidates.is_empty() {
                    format!(
                        "name a declarative base, a SQLModel class or a MetaData of {module} \
                         (sqlalchemy:{module}:ATTR); nothing was written"
                    )
                } else {
                    let forms: Vec<String> = candidates
                        .iter()
                        .map(|c| format!("\"sqlalchemy:{module}:{c}\""))
                        .collect();
                    format!(
                        "{module} holds models in: schema = {}; nothing was written",
                        forms.join(" or ")
                    )
                }
            }
            AutogenError::ModelCompile { .. } => {
                "change the model so this database can hold it (a type it has, or \
                 .with_variant() for it); nothing was written"
                    .to_string()
            }
            AutogenError::SchemaCommandFailed { .. } => {
                "run the command in the folder of aludel.toml to see why ({url} holds no password: \
                 clients read it from PGPASSWORD / MYSQL_PWD); nothing was written"
                    .to_string()
            }
            AutogenError::SchemaCommandEmpty { .. } => {
                "the command must print the desired schema's DDL on its standard output; \
                 nothing was written"
                    .to_string()
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

/// The last non-empty line of `text` (an exception's own line).
fn last_line(text: &str) -> &str {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}
