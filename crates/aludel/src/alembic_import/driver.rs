//! Running the shipped Alembic driver (`driver.py`) once with the Alembic project's
//! Python, and the plain values it reports: the project's settings and, per
//! revision, its metadata and the SQL (or the reason there is none) of its upgrade
//! and downgrade.
//!
//! This module only runs Python and reads its answer; it decides nothing about the
//! aludel project (see `settings` and `revision_text`) and writes no file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{CommandError, Result};
use crate::python::{last_lines, Python, PythonError, PythonOrigin};

/// The driver, shipped inside the binary.
const DRIVER: &str = include_str!("driver.py");

/// What the driver reports about an Alembic project.
#[derive(Debug, Clone, Deserialize)]
pub struct AlembicProject {
    /// The SQLAlchemy dialect the SQL was rendered for.
    pub dialect: String,
    /// `sqlalchemy.url`, interpolated (`%(here)s`), as written otherwise.
    pub url: Option<String>,
    /// Main-section options of the ini file, as Alembic reads them.
    pub options: AlembicOptions,
    /// Absolute version locations, in Alembic's order.
    pub version_locations: Vec<PathBuf>,
    pub recursive_version_locations: bool,
    /// The names listed by `[post_write_hooks] hooks`.
    pub post_write_hooks: Vec<String>,
    /// What env.py passes to `context.configure()`.
    pub env: EnvSettings,
    /// Every revision, heads first (Alembic's `walk_revisions`).
    pub revisions: Vec<AlembicRevision>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AlembicOptions {
    pub file_template: Option<String>,
    pub timezone: Option<String>,
    pub truncate_slug_length: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EnvSettings {
    pub version_table: Option<String>,
    pub version_table_schema: Option<String>,
    /// Where env.py's `target_metadata` lives, when it is found.
    #[serde(default)]
    pub models: Option<ModelsSource>,
    /// Why env.py could not be run (its settings are then unknown).
    pub warning: Option<String>,
}

/// env.py's `target_metadata` as an aludel `sqlalchemy:` source.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelsSource {
    /// `sqlalchemy:MODULE:ATTR`.
    pub source: String,
    /// The folder the module is imported from, relative to alembic.ini's (`.`
    /// when it is that folder).
    pub path: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AlembicRevision {
    pub revision: String,
    pub down_revisions: Vec<String>,
    pub branch_labels: Vec<String>,
    pub depends_on: Vec<String>,
    pub message: String,
    pub create_date: String,
    /// The revision's `.py` file (absolute).
    pub path: PathBuf,
    pub upgrade: RenderedSection,
    pub downgrade: RenderedSection,
}

/// One function of a revision run offline.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RenderedSection {
    /// The SQL it emitted; `outside_transaction` when it used `autocommit_block()`.
    Sql {
        sql: String,
        outside_transaction: bool,
    },
    /// It could not run offline: the reason, its line in the revision file, and
    /// the function's source.
    Unrenderable {
        error: String,
        line: Option<usize>,
        source: String,
    },
}

#[derive(Deserialize)]
struct Failure {
    kind: String,
    error: String,
    #[serde(default)]
    detail: String,
}

/// Finds the Python for an Alembic project in `project_dir` (`python` wins: an
/// absolute path or a command name).
pub fn find_python(project_dir: &Path, python: Option<&str>) -> Result<Python> {
    Python::find(project_dir, python).map_err(|e| {
        CommandError::new(format!("import-alembic needs the Alembic project's Python: {e}"))
            .with_hint("pass --python PATH (the interpreter that has Alembic installed, e.g. .venv/bin/python)")
            .with_kind("python_not_found")
            .into()
    })
}

/// Runs the driver on `ini` for `dialect` (empty: the dialect of `sqlalchemy.url`).
pub fn run(
    python: &Python,
    ini: &Path,
    dialect: &str,
    x_args: &[String],
) -> Result<AlembicProject> {
    let dir = ini.parent().unwrap_or(Path::new("."));
    let x = serde_json::to_string(x_args).unwrap_or_else(|_| "[]".to_string());
    let args = [ini.display().to_string(), dialect.to_string(), x];
    let which = match python.origin {
        PythonOrigin::Configured => "the Python given",
        PythonOrigin::ProjectVenv => "the project's virtualenv",
        PythonOrigin::Path => "python3 on the PATH",
    };
    let output = match python.run_script(DRIVER, &args, dir, &[], &[]) {
        Ok(out) => out.stdout,
        Err(PythonError::Failed { status, stderr, .. }) => {
            return Err(CommandError::new(format!(
                "The Alembic project could not be read: {} ({which}) exited with {status}",
                python.program.display()
            ))
            .with_reason(last_lines(&stderr, 6))
            .with_hint("run 'alembic heads' in the same folder to see whether Alembic itself can read the project")
            .with_kind("alembic_import_failed")
            .into())
        }
        Err(e) => {
            return Err(CommandError::new(format!("The Alembic project could not be read: {e}"))
                .with_hint("pass --python PATH (the interpreter that has Alembic installed)")
                .with_kind("python_not_found")
                .into())
        }
    };
    if let Ok(project) = serde_json::from_str::<AlembicProject>(&output) {
        return Ok(project);
    }
    let failure: Failure = serde_json::from_str(&output).map_err(|e| {
        CommandError::new(format!(
            "The Alembic importer's answer could not be read ({e})"
        ))
        .with_reason(last_lines(&output, 3))
        .with_kind("alembic_import_failed")
    })?;
    let (message, hint, kind) = match failure.kind.as_str() {
        "alembic_not_installed" => (
            failure.error,
            format!("install Alembic in {} ({which}), or pass --python PATH to the interpreter that has it", python.program.display()),
            "alembic_not_installed",
        ),
        "no_dialect" => (
            format!("Cannot tell which dialect to render the SQL for: {}", failure.error),
            "pass --dialect postgresql, mysql, mariadb or sqlite (or --url with the database's URL)".to_string(),
            "no_dialect",
        ),
        _ => (
            format!("Alembic could not read the project {}: {}", ini.display(), failure.error),
            "run 'alembic heads' in the same folder to see the same error; fix it there, then import again".to_string(),
            "alembic_import_failed",
        ),
    };
    let mut error = CommandError::new(message).with_hint(hint).with_kind(kind);
    if !failure.detail.is_empty() {
        error = error.with_reason(failure.detail);
    }
    Err(error.into())
}
