//! The desired schema: every source of `[autogenerate] schema` (SQL files, a
//! project's SQLAlchemy / SQLModel models, a command's output) read into
//! statements that know where they came from ([`Sources::read`]), then run on a
//! shadow database in the order the sources are listed ([`load`]). A statement the
//! database refuses is reported with its origin (file and line, or the source and
//! the statement's place in its output) and the database's message.
//!
//! Reading a source may start a process (Python, a shell command) and blocks; it
//! never touches a database. Loading never starts a process.

mod command;
mod files;
mod models;

use std::fmt;
use std::path::PathBuf;

pub use files::{schema_files, sql_file_statements};

use super::AutogenError;
use crate::command::shell::Shell;
use crate::config::{DatabaseUrl, Dialect, SchemaSource};
use crate::dialect::Connection;
use crate::project::Project;
use crate::sql::Statement;

/// Where a statement of the desired schema comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatementOrigin {
    /// A line of a `.sql` file.
    File { path: PathBuf, line: usize },
    /// A line of what a `command:` source printed.
    CommandOutput { source_name: String, line: usize },
    /// The n-th statement (1-based) a `sqlalchemy:` source compiled.
    Models {
        source_name: String,
        statement: usize,
    },
}

impl fmt::Display for StatementOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatementOrigin::File { path, line } => write!(f, "{}:{line}", path.display()),
            StatementOrigin::CommandOutput { source_name, line } => {
                write!(f, "{source_name} (line {line} of its output)")
            }
            StatementOrigin::Models {
                source_name,
                statement,
            } => write!(f, "{source_name} (statement {statement})"),
        }
    }
}

/// One statement of the desired schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredStatement {
    pub origin: StatementOrigin,
    pub statement: Statement,
}

/// The sources of a project's desired schema, with what reading them needs;
/// owned, so they can be read on a thread of their own while a shadow database is
/// made.
#[derive(Debug, Clone)]
pub struct Sources {
    sources: Vec<SchemaSource>,
    dialect: Dialect,
    /// The dialect as SQLAlchemy and `{dialect}` name it.
    dialect_name: &'static str,
    url: DatabaseUrl,
    python: Option<String>,
    python_path: Vec<PathBuf>,
    /// The shadow server's version, for `sqlalchemy:` sources (see
    /// [`Sources::want_server_version`]).
    server_version: Option<String>,
    shell: Shell,
}

impl Sources {
    /// `[autogenerate] schema` of `project`, for the database at `url`.
    pub fn for_project(project: &Project, url: &DatabaseUrl) -> Sources {
        let config = &project.config.autogenerate;
        Sources {
            sources: config.schema.clone(),
            dialect: url.dialect(),
            dialect_name: dialect_name(url),
            url: url.clone(),
            python: config.python.clone(),
            python_path: config.python_path.clone(),
            server_version: None,
            shell: Shell::for_project(project),
        }
    }

    /// Whether a source compiles DDL for a server (`sqlalchemy:`), and so should
    /// know its version: SQLAlchemy takes some choices from it (MariaDB's native
    /// `UUID` and sequences, MySQL 8's default functions).
    pub fn want_server_version(&self) -> bool {
        self.sources
            .iter()
            .any(|s| matches!(s, SchemaSource::SqlAlchemy { .. }))
    }

    /// The version the shadow database reports (its `server_version_sql`).
    pub fn with_server_version(mut self, version: Option<String>) -> Sources {
        self.server_version = version;
        self
    }

    /// Every statement of every source, in order. Runs the processes that
    /// `sqlalchemy:` and `command:` sources need (one each).
    pub fn read(&self) -> Result<Vec<DesiredStatement>, AutogenError> {
        let mut out = Vec::new();
        for source in &self.sources {
            match source {
                SchemaSource::Sql(path) => {
                    out.extend(sql_file_statements(&schema_files(path)?, self.dialect)?)
                }
                SchemaSource::SqlAlchemy { module, attr } => {
                    out.extend(models::statements(self, source, module, attr)?)
                }
                SchemaSource::Command(line) => out.extend(command::statements(self, source, line)?),
            }
        }
        Ok(out)
    }
}

/// The name SQLAlchemy gives the database of `url` (`{dialect}` in `command:`
/// sources): `postgresql`, `mysql` (`mariadb` when the URL says so), `sqlite`.
pub fn dialect_name(url: &DatabaseUrl) -> &'static str {
    match url.dialect() {
        Dialect::Sqlite => "sqlite",
        Dialect::Postgres => "postgresql",
        Dialect::MySql if url.scheme().starts_with("mariadb") => "mariadb",
        Dialect::MySql => "mysql",
    }
}

/// Runs `statements` on `conn` (a shadow database), in order. Where DDL is
/// transactional (PostgreSQL, SQLite) the whole schema goes in one transaction,
/// sent as one batch where the driver can (one commit, one round trip); if that
/// fails it is rolled back and the statements run one by one, so the error names
/// the statement that fails on its own (and a schema holding a statement that
/// cannot run inside a transaction still loads).
pub async fn load(
    conn: &mut dyn Connection,
    statements: &[DesiredStatement],
) -> Result<(), AutogenError> {
    let transactional = conn.sql().transactional_ddl()
        && !statements
            .iter()
            .any(|s| s.statement.controls_transaction());
    if transactional {
        let batch: Vec<String> = statements.iter().map(|s| s.statement.sql.clone()).collect();
        match conn.begin_and_execute_batch(&batch).await {
            Ok(_) if conn.commit().await.is_ok() => return Ok(()),
            Err((None, _)) => {}
            // A failed statement, or a failed COMMIT (SQLite keeps its transaction
            // open then): nothing of the batch stays.
            _ => {
                let _ = conn.rollback().await;
            }
        }
    }
    for s in statements {
        if let Err(source) = conn.execute(&s.statement.sql).await {
            return Err(AutogenError::DesiredStatement {
                origin: s.origin.clone(),
                statement: s.statement.sql.clone(),
                source: Box::new(source),
            });
        }
    }
    Ok(())
}
