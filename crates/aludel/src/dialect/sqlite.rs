//! SQLite: transactional DDL online, but (as Alembic) no `BEGIN;` in offline scripts;
//! the migration lock is the write lock of each `BEGIN IMMEDIATE` transaction, waited
//! for with SQLite's busy timeout. Foreign keys stay off, as in the sqlite3 client and
//! Alembic (sqlx would turn them on).

use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{Sqlite, SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions as _, Connection as _};

use super::keywords;
use super::tables::{quote_if_needed, HistoryTypes};
use super::{
    raw, BeginError, ConnectOptions, Connection, DbError, LockScope, SessionInfo, SqlDialect,
    TableRef,
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
    conn: SqliteConnection,
    lock_timeout: Duration,
    file: String,
}

/// SQLITE_BUSY and its extended codes.
fn is_busy(e: &DbError) -> bool {
    e.code
        .as_deref()
        .and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| c & 0xff == 5)
}

pub(crate) async fn connect(
    url: &DatabaseUrl,
    options: &ConnectOptions,
) -> Result<SqliteConn, DbError> {
    let base = SqliteConnectOptions::new()
        .foreign_keys(false)
        .busy_timeout(options.lock_timeout)
        .disable_statement_logging();
    let (opts, file) = match url.sqlite_target() {
        Some(SqliteTarget::File(path)) => (
            base.filename(&path).create_if_missing(true),
            path.display().to_string(),
        ),
        _ => (base.in_memory(true), ":memory:".to_string()),
    };
    let conn = opts.connect().await.map_err(|e| {
        let mut err = DbError::from_sqlx(e, None).at_connect();
        err.message = format!("cannot open SQLite database {file}: {}", err.message);
        err
    })?;
    Ok(SqliteConn {
        conn,
        lock_timeout: options.lock_timeout,
        file,
    })
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
        conn,
        lock_timeout,
        file,
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
    /// A failed `BEGIN IMMEDIATE`: busy means another writer held the file for the
    /// whole lock timeout.
    fn begin_failed(&self, e: DbError) -> DbError {
        if is_busy(&e) {
            DbError::lock_timeout(
                &self.file,
                self.lock_timeout,
                Some(
                    "another connection writing to this SQLite file (SQLite cannot say which)"
                        .into(),
                ),
            )
        } else {
            e
        }
    }
}

#[async_trait]
impl Connection for SqliteConn {
    fn sql(&self) -> &'static dyn SqlDialect {
        &SqliteSql
    }

    async fn execute(&mut self, sql: &str) -> Result<u64, DbError> {
        raw::execute::<Sqlite>(&mut self.conn, sql, None).await
    }

    async fn execute_batch(&mut self, statements: &[String]) -> Result<Vec<u64>, (usize, DbError)> {
        raw::execute_batch::<Sqlite>(&mut self.conn, statements, BATCH, None).await
    }

    async fn query_rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, DbError> {
        raw::query_rows::<Sqlite>(&mut self.conn, sql, None).await
    }

    async fn table_exists(&mut self, table: &TableRef) -> Result<bool, DbError> {
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
        match self.execute(BEGIN).await {
            Ok(_) => Ok(()),
            Err(e) => Err(self.begin_failed(e)),
        }
    }

    /// One round trip to SQLite's worker thread instead of two: a migration of
    /// 1,000 steps spends more time handing work between threads than in SQLite.
    async fn begin_and_query(&mut self, query: &str) -> Result<Vec<Option<String>>, BeginError> {
        match raw::begin_and_query_column::<Sqlite>(&mut self.conn, BEGIN, query).await {
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

    async fn lock(&mut self, _name: &str, _timeout: Duration) -> Result<(), DbError> {
        Ok(())
    }
    async fn unlock(&mut self, _name: &str) -> Result<(), DbError> {
        Ok(())
    }

    async fn session_info(&mut self) -> Result<SessionInfo, DbError> {
        Ok(SessionInfo {
            user: std::env::var("USER").ok().filter(|u| !u.is_empty()),
        })
    }

    async fn close(self: Box<Self>) {
        let _ = self.conn.close().await;
    }
}
