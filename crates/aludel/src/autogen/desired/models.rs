//! `sqlalchemy:MODULE:ATTR` sources: the DDL of a project's SQLAlchemy / SQLModel
//! models, compiled by SQLAlchemy itself for the target's dialect. The project's
//! Python ([`crate::python`]) runs the loader shipped in the binary (`loader.py`,
//! which documents its protocol) with the project folder and `python_path` on
//! `sys.path`; its report becomes statements or an [`AutogenError`] a user can act
//! on. One Python start per source.

use serde::Deserialize;

use super::{DesiredStatement, Sources, StatementOrigin};
use crate::autogen::AutogenError;
use crate::config::SchemaSource;
use crate::python::{last_lines, Python, PythonError};
use crate::sql::Statement;

/// The loader, run with `python -c`.
const LOADER: &str = include_str!("loader.py");

/// Lines of a Python's standard error shown when the loader gave no report.
const STDERR_LINES: usize = 10;

/// The loader's report (its standard output).
#[derive(Debug, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
enum Problem {
    SqlalchemyMissing,
    ImportFailed {
        exception: String,
        sys_path: Vec<String>,
    },
    AttributeMissing {
        message: String,
        candidates: Vec<String>,
    },
    NotMetadata {
        message: String,
        candidates: Vec<String>,
    },
    CompileFailed {
        exception: String,
    },
}

#[derive(Debug, Deserialize)]
struct Compiled {
    statements: Vec<String>,
}

pub(super) fn statements(
    sources: &Sources,
    source: &SchemaSource,
    module: &str,
    attr: &str,
) -> Result<Vec<DesiredStatement>, AutogenError> {
    let source_name = source.to_string();
    let dir = sources.shell.dir();
    let python = Python::find(dir, sources.python.as_deref()).map_err(|e| match e {
        PythonError::NotFound { tried } => AutogenError::PythonNotFound {
            source_name: source_name.clone(),
            tried,
        },
        other => AutogenError::PythonFailed {
            source_name: source_name.clone(),
            python: sources.python.clone().unwrap_or_default().into(),
            reason: other.to_string(),
            output: String::new(),
        },
    })?;
    let mut args = vec![
        module.to_string(),
        attr.to_string(),
        sources.dialect_name.to_string(),
    ];
    args.extend(sources.server_version.clone());
    let failed = |reason: String, stderr: &str| AutogenError::PythonFailed {
        source_name: source_name.clone(),
        python: python.program.clone(),
        reason,
        output: sources.shell.mask(&last_lines(stderr, STDERR_LINES)),
    };
    let (stdout, stderr, status) =
        match python.run_script(LOADER, &args, dir, &sources.python_path, &[]) {
            Ok(out) => (out.stdout, out.stderr, None),
            Err(PythonError::Failed {
                stdout,
                stderr,
                status,
                ..
            }) => (stdout, stderr, Some(status)),
            Err(other) => return Err(failed(other.to_string(), "")),
        };
    let stdout = sources.shell.mask(&stdout);
    if status.is_none() {
        return match serde_json::from_str::<Compiled>(&stdout) {
            Ok(compiled) => Ok(compiled
                .statements
                .into_iter()
                .enumerate()
                .map(|(i, sql)| DesiredStatement {
                    origin: StatementOrigin::Models {
                        source_name: source_name.clone(),
                        statement: i + 1,
                    },
                    statement: Statement { sql, line: 1 },
                })
                .collect()),
            Err(e) => Err(failed(format!("its report is unreadable ({e})"), &stderr)),
        };
    }
    let problem = serde_json::from_str::<Problem>(&stdout).map_err(|_| {
        failed(
            format!(
                "it exited with {} without a report",
                status.unwrap_or_default()
            ),
            &stderr,
        )
    })?;
    let mask = |text: String| sources.shell.mask(&text);
    Err(match problem {
        Problem::SqlalchemyMissing => AutogenError::SqlAlchemyMissing {
            source_name,
            python: python.program,
        },
        Problem::ImportFailed {
            exception,
            sys_path,
        } => AutogenError::ModelImport {
            source_name,
            module: module.to_string(),
            python: python.program,
            exception: mask(exception),
            sys_path,
        },
        Problem::AttributeMissing {
            message,
            candidates,
        }
        | Problem::NotMetadata {
            message,
            candidates,
        } => AutogenError::ModelAttribute {
            source_name,
            module: module.to_string(),
            problem: message,
            candidates,
        },
        Problem::CompileFailed { exception } => AutogenError::ModelCompile {
            source_name,
            dialect: sources.dialect_name.to_string(),
            exception: mask(exception),
        },
    })
}
