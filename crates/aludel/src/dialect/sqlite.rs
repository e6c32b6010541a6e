//! SQLite: transactional DDL online, but (as Alembic) no `BEGIN;` in offline scripts;
//! the migration lock is the write lock of each `BEGIN IMMEDIATE` transaction, waited
//! for with SQLite's busy timeout. Foreign keys stay off, as in the sqlite3 client and
//! Alembic (sqlx would turn them on).

use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{Sqlite, SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions as _, Connection as _};

use super::keywords;
use super::tables::{quote_if_needed, HistoryTypes};
use super::{
    raw, Access, BeginError, ConnectOptions, Connection, DbError, DbErrorKind, LockScope,
    LockWaiting, SessionInfo, SqlDialect, TableRef,
};
use crate::config::{DatabaseUrl, Dialect, SqliteTarget};

pub(crate) struct SqliteSql;

impl SqlDialect for SqliteSql {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
    fn database_name(&self) -> &'static str {
        "SQLite"
    }
    fn quote_ident(&self, ident: &str) -> String {
        quote_if_needed(ident, '"', keywords::SQLITE)
    }
    fn refuse_table_name(&self, name: &str) -> Option<(String, String)> {
        // SQLite keeps names starting with `sqlite_` for itself.
        name.get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("sqlite_"))
            .then(|| {
                (
                    format!(
                        "'{name}' starts with 'sqlite_', which SQLite reserves for its own tables"
                    ),
                    "choose a version_table that does not start with 'sqlite_'".to_string(),
                )
            })
    }
    fn offline_transactions(&self) -> bool {
        false
    }
    fn transactional_ddl(&self) -> bool {
        true
    }
    fn server_version_sql(&self) -> &'static str {
        "SELECT sqlite_version()"
    }
    fn history_types(&self) -> HistoryTypes {
        HistoryTypes {
            id: "INTEGER PRIMARY KEY AUTOINCREMENT",
            timestamp: "TEXT",
            boolean: "BOOLEAN",
            text: "TEXT",
        }
    }
}

pub(crate) struct SqliteConn {
    /// `None` until the first statement when the file did not exist: it is created
    /// then, so that a command that fails before writing leaves no file behind.
    conn: Option<SqliteConnection>,
    /// How to open (and create) the file, for a connection not opened yet.
    options: SqliteConnectOptions,
    lock_timeout: Duration,
    file: String,
    /// This connection created the file (removed again at close if still empty).
    created: Option<PathBuf>,
}

/// Who holds SQLite's write lock, as far as aludel can tell.
const OTHER_WRITER: &str =
    "another connection writing to this SQLite file (SQLite cannot say which)";

/// SQLITE_BUSY and its extended codes.
fn is_busy(e: &DbError) -> bool {
    e.code
        .as_deref()
        .and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| c & 0xff == 5)
}

/// Opens the database a SQLite URL names. A missing file is an error for
/// [`Access::Read`]; for [`Access::Write`] it is created by the first statement, not
/// now.
pub(crate) async fn connect(
    url: &DatabaseUrl,
    options: &ConnectOptions,
) -> Result<SqliteConn, DbError> {
    let base = SqliteConnectOptions::new()
        .foreign_keys(false)
        .busy_timeout(options.lock_timeout)
        .disable_statement_logging();
    let (opts, file) = match url.sqlite_target() {
        Some(SqliteTarget::File(path)) => {
            let file = path.display().to_string();
            if !path.exists() {
                if options.access == Access::Read {
                    return Err(missing_file(&path));
                }
                return Ok(SqliteConn {
                    conn: None,
                    options: base.filename(&path).create_if_missing(true),
                    lock_timeout: options.lock_timeout,
                    file,
                    created: None,
                });
            }
            // Without create: a file removed meanwhile is not created again.
            (base.filename(&path), file)
        }
        _ => (base.in_memory(true), ":memory:".to_string()),
    };
    let conn = open(&opts, &file).await?;
    Ok(SqliteConn {
        conn: Some(conn),
        options: opts,
        lock_timeout: options.lock_timeout,
        file,
        created: None,
    })
}

async fn open(options: &SqliteConnectOptions, file: &str) -> Result<SqliteConnection, DbError> {
    options.connect().await.map_err(|e| {
        let mut err = DbError::from_sqlx(e, None).at_connect();
        err.message = format!("cannot open SQLite database {file}: {}", err.message);
        err
    })
}

/// A command that only reads found no database file.
fn missing_file(path: &Path) -> DbError {
    let mut err = DbError::new(
        DbErrorKind::Rejected,
        format!("SQLite database file {} does not exist", path.display()),
    );
    let place = if path.is_relative() {
        match std::env::current_dir() {
            Ok(dir) => format!(
                " (a relative path is relative to the working directory, {})",
                dir.display()
            ),
            Err(_) => " (a relative path is relative to the working directory)".to_string(),
        }
    } else {
        String::new()
    };
    err.hint = Some(format!(
        "a command that only reads does not create it; check the path in the URL{place}, \
         or create the database with 'aludel upgrade' or 'aludel ensure-version'"
    ));
    err
}

/// Takes a connection out of an application's pool (the pool opens a replacement).
pub(crate) async fn from_pool(
    pool: &sqlx::SqlitePool,
    lock_timeout: Duration,
) -> Result<SqliteConn, DbError> {
    let options = pool.connect_options();
    let file = options.get_filename().display().to_string();
    let conn = pool
        .acquire()
        .await
        .map_err(|e| DbError::from_sqlx(e, None).at_connect())?
        .detach();
    Ok(SqliteConn {
        conn: Some(conn),
        options: (*options).clone(),
        lock_timeout,
        file,
        created: None,
    })
}

/// SQLite copies the unprepared rest of a multi-statement text before preparing
/// each statement (sqlx gives it no terminating NUL), so a piece costs its
/// statement count times its length: pieces stay small. A handful of statements is
/// still one hand-over to the worker thread.
const BATCH: raw::BatchLimits = raw::BatchLimits {
    statements: 100,
    bytes: 16 * 1024,
};

/// Takes SQLite's write lock at once, so that waiting happens here (up to the busy
/// timeout) and not at the first write.
const BEGIN: &str = "BEGIN IMMEDIATE";

impl SqliteConn {
    /// The open connection; opens (and creates) the file on first use.
    async fn conn(&mut self) -> Result<&mut SqliteConnection, DbError> {
        if self.conn.is_none() {
            let path = self.options.get_filename().to_path_buf();
            let existed = path.exists();
            let conn = open(&self.options, &self.file).await?;
            if !existed {
                self.created = Some(path);
            }
            self.conn = Some(conn);
        }
        match self.conn.as_mut() {
            Some(conn) => Ok(conn),
            None => Err(DbError::new(
                DbErrorKind::Other,
                format!("the SQLite database {} is not open", self.file),
            )),
        }
    }

    /// A failed `BEGIN IMMEDIATE`: busy means another writer held the file for the
    /// whole lock timeout.
    fn begin_failed(&self, e: DbError) -> DbError {
        if is_busy(&e) {
            DbError::lock_timeout(&self.file, self.lock_timeout, Some(OTHER_WRITER.into()))
        } else {
            e
        }
    }
}

/// Whether nothing was ever committed to the database file at `path`: no schema
/// object, and not a byte in the file.
async fn nothing_committed(conn: &mut SqliteConnection, path: &Path) -> bool {
    let objects = raw::query_rows::<Sqlite>(conn, "SELECT count(*) FROM sqlite_master", None).await;
    let empty = matches!(objects.as_deref(), Ok([row]) if row.first().cloned().flatten().as_deref() == Some("0"));
    empty && std::fs::metadata(path).is_ok_and(|m| m.len() == 0)
}

#[async_trait]
impl Connection for SqliteConn {
    fn sql(&self) -> &'static dyn SqlDialect {
        &SqliteSql
    }

    async fn execute(&mut self, sql: &str) -> Result<u64, DbError> {
        raw::execute::<Sqlite>(self.conn().await?, sql, None).await
    }

    async fn execute_batch(&mut self, statements: &[String]) -> Result<Vec<u64>, (usize, DbError)> {
        let conn = self.conn().await.map_err(|e| (0, e))?;
        raw::execute_batch::<Sqlite>(conn, statements, BATCH, None).await
    }

    async fn query_rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, DbError> {
        raw::query_rows::<Sqlite>(self.conn().await?, sql, None).await
    }

    fn is_new(&self) -> bool {
        self.conn.is_none()
    }

    async fn table_exists(&mut self, table: &TableRef) -> Result<bool, DbError> {
        if self.conn.is_none() {
            // No file yet: no table; reading must not create it.
            return Ok(false);
        }
        let master = match &table.schema {
            Some(s) => format!("{}.sqlite_master", SqliteSql.quote_ident(s)),
            None => "sqlite_master".to_string(),
        };
        let sql = format!(
            "SELECT count(*) FROM {master} WHERE type = 'table' AND name = {}",
            SqliteSql.string_literal(&table.name)
        );
        let count = self.query_column(&sql).await?;
        Ok(count.into_iter().flatten().next().is_some_and(|c| c != "0"))
    }

    async fn column_names(&mut self, table: &TableRef) -> Result<Vec<String>, DbError> {
        let schema = table
            .schema
            .as_deref()
            .map(|s| format!(", {}", SqliteSql.string_literal(s)))
            .unwrap_or_default();
        let sql = format!(
            "SELECT name FROM pragma_table_info({}{schema}) ORDER BY cid",
            SqliteSql.string_literal(&table.name)
        );
        Ok(self
            .query_column(&sql)
            .await?
            .into_iter()
            .flatten()
            .collect())
    }

    async fn begin(&mut self) -> Result<(), DbError> {
        let result = raw::execute::<Sqlite>(self.conn().await?, BEGIN, None).await;
        match result {
            Ok(_) => Ok(()),
            Err(e) => Err(self.begin_failed(e)),
        }
    }

    /// One round trip to SQLite's worker thread instead of two: a migration of
    /// 1,000 steps spends more time handing work between threads than in SQLite.
    async fn begin_and_query(&mut self, query: &str) -> Result<Vec<Option<String>>, BeginError> {
        let conn = self.conn().await.map_err(BeginError::Begin)?;
        match raw::begin_and_query_column::<Sqlite>(conn, BEGIN, query).await {
            Ok(column) => Ok(column),
            Err(BeginError::Begin(e)) => Err(BeginError::Begin(self.begin_failed(e))),
            Err(BeginError::Query(e)) => {
                let _ = self.rollback().await;
                Err(BeginError::Query(e))
            }
        }
    }

    fn lock_scope(&self) -> LockScope {
        LockScope::Transaction
    }

    /// The write lock is taken by each transaction's `BEGIN IMMEDIATE` (waiting in
    /// SQLite's busy handler, which cannot say that it waits). This probes it first
    /// without waiting, so that a wait for another writer is announced, and polls
    /// until the file is free; the transactions then take the lock themselves.
    async fn lock(
        &mut self,
        _name: &str,
        timeout: Duration,
        waiting: &mut LockWaiting<'_>,
    ) -> Result<(), DbError> {
        let restore = format!("PRAGMA busy_timeout = {}", self.lock_timeout.as_millis());
        let Some(conn) = self.conn.as_mut() else {
            // No file yet: nobody else writes to it.
            return Ok(());
        };
        raw::execute::<Sqlite>(conn, "PRAGMA busy_timeout = 0", None).await?;
        let deadline = tokio::time::Instant::now() + timeout;
        let mut told = false;
        let result = loop {
            match raw::execute::<Sqlite>(conn, BEGIN, None).await {
                Ok(_) => {
                    break raw::execute::<Sqlite>(conn, "ROLLBACK", None)
                        .await
                        .map(|_| ())
                }
                Err(e) if is_busy(&e) => {
                    if tokio::time::Instant::now() >= deadline {
                        break Err(e);
                    }
                    if !told {
                        waiting(Some(OTHER_WRITER.to_string()));
                        told = true;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => break Err(e),
            }
        };
        raw::execute::<Sqlite>(conn, &restore, None).await?;
        result.map_err(|e| self.begin_failed(e))
    }
    async fn unlock(&mut self, _name: &str) -> Result<(), DbError> {
        Ok(())
    }

    async fn session_info(&mut self) -> Result<SessionInfo, DbError> {
        Ok(SessionInfo {
            user: std::env::var("USER").ok().filter(|u| !u.is_empty()),
        })
    }

    /// Closes; a file this connection created and nobody wrote to (a command that
    /// failed before writing) is removed again, with its journal files.
    async fn close(self: Box<Self>) {
        let SqliteConn { conn, created, .. } = *self;
        let Some(mut conn) = conn else {
            return;
        };
        let remove = match &created {
            Some(path) => nothing_committed(&mut conn, path).await,
            None => false,
        };
        let _ = conn.close().await;
        if let (true, Some(path)) = (remove, created) {
            let _ = std::fs::remove_file(&path);
            for suffix in ["-journal", "-wal", "-shm"] {
                let mut side = path.clone().into_os_string();
                side.push(suffix);
                let _ = std::fs::remove_file(side);
            }
        }
    }
}
