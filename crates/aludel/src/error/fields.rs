//! The structured side of an error, for programs: a stable `kind` per error (one
//! snake_case name per variant, listed in docs/json-output.md) and the fields a
//! program acts on (revision, file, line, statement, database code, …), so that
//! nobody has to parse a message. Only fields that apply are set.
//!
//! This module only describes errors; the CLI renders these fields as JSON.

use std::path::{Path, PathBuf};

use crate::autogen::desired::StatementOrigin;
use crate::autogen::AutogenError;
use crate::dialect::{DbError, DbErrorKind};
use crate::runtime::StepReport;

use super::{Error, MigrationFailure, UncertainStatement};

/// What a program needs to act on an error. `None` fields do not apply to its kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ErrorFields {
    /// Which error: a stable snake_case name (docs/json-output.md lists them).
    pub kind: &'static str,
    /// The revision the error is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// `upgrade`, `downgrade` or `stamp`: the step that failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<&'static str>,
    /// The file the error is about (a revision file, the config file, `.env`).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "lossy_path")]
    pub path: Option<PathBuf>,
    /// 1-based line in `path`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column in `path`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// 1-based number of the statement in its section, and how many it has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_count: Option<usize>,
    /// The database's own error code (SQLSTATE, `number (SQLSTATE)`, SQLite's code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_code: Option<String>,
    /// Whether the failed step was rolled back whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rolled_back: Option<bool>,
    /// How many statements of the failed step ran and stay applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statements_applied: Option<usize>,
    /// The version table after the failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_rows: Option<Vec<String>>,
    /// The key of a header or configuration table at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The configuration table (`[aludel]`, `-n NAME`'s) at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The revision argument as typed (a range, an identifier).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub argument: Option<String>,
    /// The heads involved (several heads where one was needed; the heads a
    /// database is not at).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heads: Option<Vec<String>>,
    /// Schema changes: those `check` found, or those a generated migration
    /// failed to make on the shadow copy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Vec<String>>,
    /// The revisions an ambiguous relative step could go to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ways: Option<Vec<String>>,
    /// The desired-schema source at fault (`sqlalchemy:app.models:Base`,
    /// `command:…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The Python interpreter that ran a `sqlalchemy:` source.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "lossy_path")]
    pub interpreter: Option<PathBuf>,
    /// The steps of the failed run that committed before the failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub committed_steps: Option<Vec<StepReport>>,
}

/// A path as text, whatever its bytes (a name that is not UTF-8 is an error kind
/// of its own, so it must still serialize).
fn lossy_path<S: serde::Serializer>(path: &Option<PathBuf>, out: S) -> Result<S::Ok, S::Error> {
    match path {
        Some(p) => out.serialize_str(&p.to_string_lossy()),
        None => out.serialize_none(),
    }
}

impl ErrorFields {
    /// Fields of `kind`, nothing else set.
    pub fn new(kind: &'static str) -> Self {
        ErrorFields {
            kind,
            ..Default::default()
        }
    }

    /// With a file and, when known, a line.
    pub fn at(mut self, path: Option<&Path>, line: Option<usize>) -> Self {
        self.path = path.map(Path::to_path_buf);
        self.line = line;
        self
    }
}

impl Error {
    /// The error's kind and structured fields.
    pub fn fields(&self) -> ErrorFields {
        match self {
            Error::Config(e) => e.fields(),
            Error::Script(e) => ErrorFields::new(e.kind()).at(e.path(), e.line()),
            Error::Init(e) => e.fields(),
            Error::Command(c) => (*c.fields).clone(),
            Error::Database { source, .. } => database_fields(source),
            Error::Migration(m) => migration_fields(m),
            Error::Uncertain(u) => uncertain_fields(u),
            Error::Run(run) => ErrorFields {
                committed_steps: Some(run.committed.clone()),
                ..run.error.fields()
            },
            Error::Autogen(e) => autogen_fields(e),
        }
    }
}

fn autogen_fields(e: &AutogenError) -> ErrorFields {
    match e {
        AutogenError::SchemaMissing { path, .. } => {
            ErrorFields::new("desired_schema_missing").at(Some(path), None)
        }
        AutogenError::DesiredStatement { origin, source, .. } => {
            let fields = ErrorFields {
                database_code: source.code.clone(),
                ..ErrorFields::new("desired_schema_statement")
            };
            match origin {
                StatementOrigin::File { path, line } => fields.at(Some(path), Some(*line)),
                StatementOrigin::CommandOutput { source_name, line } => ErrorFields {
                    source: Some(source_name.clone()),
                    line: Some(*line),
                    ..fields
                },
                StatementOrigin::Models {
                    source_name,
                    statement,
                } => ErrorFields {
                    source: Some(source_name.clone()),
                    statement: Some(*statement),
                    ..fields
                },
            }
        }
        AutogenError::PythonNotFound { source_name, .. } => {
            model_fields("python_not_found", source_name, None)
        }
        AutogenError::PythonFailed {
            source_name,
            python,
            ..
        } => model_fields("python_failed", source_name, Some(python)),
        AutogenError::SqlAlchemyMissing {
            source_name,
            python,
        } => model_fields("sqlalchemy_not_installed", source_name, Some(python)),
        AutogenError::ModelImport {
            source_name,
            python,
            ..
        } => model_fields("model_import_failed", source_name, Some(python)),
        AutogenError::ModelAttribute { source_name, .. } => {
            model_fields("model_attribute_invalid", source_name, None)
        }
        AutogenError::ModelCompile { source_name, .. } => {
            model_fields("model_compile_failed", source_name, None)
        }
        AutogenError::SchemaCommandFailed { source_name, .. } => {
            model_fields("schema_command_failed", source_name, None)
        }
        AutogenError::SchemaCommandEmpty { source_name } => {
            model_fields("schema_command_empty", source_name, None)
        }
        AutogenError::NotUpToDate { current, heads } => ErrorFields {
            version_rows: Some(current.clone()),
            heads: Some(heads.clone()),
            ..ErrorFields::new("not_up_to_date")
        },
        AutogenError::ShadowUrl(_) => ErrorFields {
            key: Some("shadow_database_url".to_string()),
            ..ErrorFields::new("invalid_shadow_database_url")
        },
        AutogenError::Replay(_) => ErrorFields::new("offline_replay_failed"),
        AutogenError::InvalidRenameHint(_) | AutogenError::Rename(_) => {
            ErrorFields::new("invalid_rename")
        }
        AutogenError::Unsupported(_) => ErrorFields::new("cannot_generate"),
        AutogenError::VerifyStatement { source, .. } => ErrorFields {
            database_code: source.code.clone(),
            ..ErrorFields::new("verification_failed")
        },
        AutogenError::Verification { remaining, .. } => ErrorFields {
            changes: Some(remaining.iter().map(|c| c.to_string()).collect()),
            ..ErrorFields::new("verification_failed")
        },
        AutogenError::DiffsDetected { changes } => ErrorFields {
            changes: Some(changes.clone()),
            ..ErrorFields::new("differences_found")
        },
    }
}

/// The fields of an error about a `sqlalchemy:` or `command:` source.
fn model_fields(kind: &'static str, source: &str, python: Option<&Path>) -> ErrorFields {
    ErrorFields {
        source: Some(source.to_string()),
        interpreter: python.map(Path::to_path_buf),
        ..ErrorFields::new(kind)
    }
}

fn database_fields(db: &DbError) -> ErrorFields {
    let kind = match db.kind {
        DbErrorKind::Unreachable => "database_unreachable",
        DbErrorKind::Rejected => "database_rejected",
        DbErrorKind::LockTimeout => "lock_timeout",
        DbErrorKind::Statement | DbErrorKind::Other => "database",
    };
    ErrorFields {
        database_code: db.code.clone(),
        ..ErrorFields::new(kind)
    }
}

fn migration_fields(m: &MigrationFailure) -> ErrorFields {
    ErrorFields {
        revision: Some(m.revision.clone()),
        direction: Some(m.kind.name()),
        statement: Some(m.statement_number),
        statement_count: Some(m.statement_count),
        database_code: m.db.code.clone(),
        rolled_back: Some(m.rolled_back),
        statements_applied: Some(m.statements_applied),
        version_rows: Some(m.version_rows.clone()),
        ..ErrorFields::new("migration_failed").at(Some(&m.path), Some(m.line))
    }
}

fn uncertain_fields(u: &UncertainStatement) -> ErrorFields {
    ErrorFields {
        revision: Some(u.revision.clone()),
        direction: Some(u.kind.name()),
        statement: Some(u.statement_number),
        statement_count: Some(u.statement_count),
        ..ErrorFields::new("uncertain_statement").at(Some(&u.path), Some(u.line))
    }
}
