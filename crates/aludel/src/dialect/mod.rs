//! Everything that differs between databases, behind two traits the rest of aludel
//! talks to: [`SqlDialect`] (pure: the SQL text of the version and history tables,
//! quoting, literals, transaction statements; used online and offline alike) and
//! [`Connection`] (a live connection: execute, query, transactions, the lock).
//!
//! One module per database (`postgres`, `mysql`, `sqlite`). No other module may ask
//! which database it talks to: `runtime` and `command` only call these traits.

pub mod describe;
mod error;
pub mod flavour;
mod keywords;
mod mysql;
mod postgres;
mod raw;
pub mod render;
pub mod shadow;
mod sqlite;
mod tables;

use std::time::Duration;

use async_trait::async_trait;

pub use self::error::{DbError, DbErrorKind};
pub use self::tables::{
    add_missing_history_columns, check_table_names, create_history_table, create_version_table,
    select_history, select_unfinished, select_versions, version_change_sql, HistoryRecord,
    HistoryRow, HistoryTypes, NameLimit, NameRefusal, Outcome, Progress, TableRef,
    PRIMARY_KEY_SUFFIX,
};

use crate::config::{DatabaseUrl, Dialect};

/// The SQL a database needs from aludel, as text. Pure.
pub trait SqlDialect: Send + Sync {
    fn dialect(&self) -> Dialect;

    /// The database's name for messages (`PostgreSQL`, `MySQL/MariaDB`, `SQLite`).
    fn database_name(&self) -> &'static str;

    /// An identifier, quoted only when it must be (as SQLAlchemy prints them): when
    /// it is not a plain lower-case identifier, or is one of the database's reserved
    /// words.
    fn quote_ident(&self, ident: &str) -> String;

    /// The longest name the database accepts; `None`: no limit.
    fn name_limit(&self) -> Option<NameLimit> {
        None
    }

    /// Why the database would refuse a table of this name, and what to do (beyond
    /// the checks every dialect shares: [`check_table_names`]).
    fn refuse_table_name(&self, _name: &str) -> Option<(String, String)> {
        None
    }

    /// A string literal (`'it''s'`; MySQL also doubles backslashes).
    fn string_literal(&self, text: &str) -> String {
        format!("'{}'", text.replace('\'', "''"))
    }

    /// Whether an offline script wraps steps in `BEGIN;` / `COMMIT;` (Alembic's
    /// `transactional_ddl`: PostgreSQL only).
    fn offline_transactions(&self) -> bool;

    /// One statement of an offline script with what ends it for the database's
    /// command-line client (`;`, unless the client needs more).
    fn offline_statement(&self, statement: &str) -> String {
        format!("{statement};")
    }

    /// Whether DDL inside a transaction rolls back with it (PostgreSQL, SQLite; not
    /// MySQL/MariaDB, where each DDL statement commits by itself).
    fn transactional_ddl(&self) -> bool;

    /// A query whose one value is the server's version as it reports it
    /// (`10.11.6-MariaDB`, `15.4 (Debian …)`, SQLite's library version).
    fn server_version_sql(&self) -> &'static str;

    /// The column type of `version_num`.
    fn version_column_type(&self) -> &'static str {
        "VARCHAR(255)"
    }

    /// The column types of the history table.
    fn history_types(&self) -> HistoryTypes;

    /// A boolean literal.
    fn bool_literal(&self, value: bool) -> &'static str {
        if value {
            "TRUE"
        } else {
            "FALSE"
        }
    }
}

/// The SQL text of a dialect.
pub fn sql_dialect(dialect: Dialect) -> &'static dyn SqlDialect {
    match dialect {
        Dialect::Postgres => &postgres::PostgresSql,
        Dialect::MySql => &mysql::MySqlSql,
        Dialect::Sqlite => &sqlite::SqliteSql,
    }
}

/// How long a command holds the migration lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockScope {
    /// From [`Connection::lock`] to [`Connection::unlock`]: the whole command.
    Session,
    /// Only inside each transaction (SQLite: `BEGIN IMMEDIATE`). Another process may
    /// move the version table between two transactions, so the runtime re-reads it at
    /// the start of each one.
    Transaction,
}

/// Who holds the migration lock, as far as the database can tell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockHolder {
    pub description: Option<String>,
}

/// Told that the migration lock is held by another connection (and by whom, where
/// the database can tell) before [`Connection::lock`] starts waiting for it.
pub type LockWaiting<'a> = dyn FnMut(Option<String>) + Send + 'a;

/// Told why a connection attempt failed before [`connect`] tries again (`--wait`).
pub type ConnectRetry<'a> = dyn FnMut(&DbError) + Send + 'a;

/// Who runs a migration, for the history table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionInfo {
    pub user: Option<String>,
}

/// Why [`Connection::begin_and_query`] failed.
#[derive(Debug)]
pub enum BeginError {
    /// The transaction could not be opened (or the lock taken).
    Begin(DbError),
    /// The query failed; the transaction was rolled back.
    Query(DbError),
}

/// A live connection to one database.
#[async_trait]
pub trait Connection: Send {
    fn sql(&self) -> &'static dyn SqlDialect;

    /// Runs one statement; returns the number of rows it changed.
    async fn execute(&mut self, sql: &str) -> Result<u64, DbError>;

    /// Runs a query and returns the first column of every row as text (NULL as None).
    async fn query_column(&mut self, sql: &str) -> Result<Vec<Option<String>>, DbError> {
        let rows = self.query_rows(sql).await?;
        Ok(rows
            .into_iter()
            .map(|r| r.into_iter().next().flatten())
            .collect())
    }

    /// Runs statements in order, stopping at the first failure; returns each one's
    /// changed-row count, or the index of the failed statement and its error. Drivers
    /// that can send them in one round trip do.
    async fn execute_batch(&mut self, statements: &[String]) -> Result<Vec<u64>, (usize, DbError)> {
        let mut counts = Vec::with_capacity(statements.len());
        for (i, statement) in statements.iter().enumerate() {
            counts.push(self.execute(statement).await.map_err(|e| (i, e))?);
        }
        Ok(counts)
    }

    /// Runs a query and returns every column of every row as text (NULL as None).
    async fn query_rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, DbError>;

    /// Whether a table exists.
    async fn table_exists(&mut self, table: &TableRef) -> Result<bool, DbError>;

    /// The column names of an existing table, in order.
    async fn column_names(&mut self, table: &TableRef) -> Result<Vec<String>, DbError>;

    /// How many characters the `version_num` column of an existing version table
    /// holds (a table Alembic created has `VARCHAR(32)`); `None` when the database
    /// does not enforce a width (SQLite, `TEXT`) or the column is not found.
    async fn version_column_width(&mut self, _table: &TableRef) -> Result<Option<usize>, DbError> {
        Ok(None)
    }

    /// Opens a transaction. With [`LockScope::Transaction`] this also takes the lock,
    /// waiting up to the lock timeout.
    async fn begin(&mut self) -> Result<(), DbError> {
        self.execute("BEGIN").await.map(|_| ())
    }
    async fn commit(&mut self) -> Result<(), DbError> {
        self.execute("COMMIT").await.map(|_| ())
    }

    /// [`begin`](Connection::begin), then `query` in the new transaction, returning
    /// its first column: one round trip where the driver can. On any error no
    /// transaction is left open.
    async fn begin_and_query(&mut self, query: &str) -> Result<Vec<Option<String>>, BeginError> {
        self.begin().await.map_err(BeginError::Begin)?;
        match self.query_column(query).await {
            Ok(column) => Ok(column),
            Err(e) => {
                let _ = self.rollback().await;
                Err(BeginError::Query(e))
            }
        }
    }

    /// [`begin`](Connection::begin), then `statements` as
    /// [`execute_batch`](Connection::execute_batch): one round trip where the driver
    /// batches. On failure, `None` when the transaction did not open, or the index
    /// of the failed statement (the transaction is then open).
    async fn begin_and_execute_batch(
        &mut self,
        statements: &[String],
    ) -> Result<Vec<u64>, (Option<usize>, DbError)> {
        self.begin().await.map_err(|e| (None, e))?;
        self.execute_batch(statements)
            .await
            .map_err(|(k, e)| (Some(k), e))
    }

    /// Runs `statements`, then commits: one round trip where the driver batches.
    /// On failure, the index of the failed statement (`statements.len()` for the
    /// commit itself); the transaction is then still open. A dialect that overrides
    /// [`commit`](Connection::commit) must override this too.
    async fn execute_and_commit(&mut self, statements: &[String]) -> Result<(), (usize, DbError)> {
        let mut batch = Vec::with_capacity(statements.len() + 1);
        batch.extend_from_slice(statements);
        batch.push("COMMIT".to_owned());
        self.execute_batch(&batch).await.map(|_| ())
    }
    async fn rollback(&mut self) -> Result<(), DbError> {
        self.execute("ROLLBACK").await.map(|_| ())
    }

    fn lock_scope(&self) -> LockScope;

    /// Whether the database does not exist yet and the first statement creates it
    /// (a new SQLite file). Commands then check what they can before writing, so
    /// that one that fails leaves nothing behind.
    fn is_new(&self) -> bool {
        false
    }

    /// Takes the migration lock named `key`, waiting up to `timeout`. When another
    /// connection holds it, `waiting` is called once, with the holder where the
    /// database can tell, before the wait starts. On time-out the error names the
    /// holder too.
    async fn lock(
        &mut self,
        key: &str,
        timeout: Duration,
        waiting: &mut LockWaiting<'_>,
    ) -> Result<(), DbError>;
    async fn unlock(&mut self, key: &str) -> Result<(), DbError>;

    async fn session_info(&mut self) -> Result<SessionInfo, DbError>;

    async fn close(self: Box<Self>);
}

/// What a command will do with the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Only read (`current`, `history -i`): a missing SQLite file is an error, never
    /// created.
    Read,
    /// Write (`upgrade`, `stamp`, ...): a missing SQLite file is created by the first
    /// statement (not when connecting), and removed at close if nothing was written.
    Write,
}

/// How to connect.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Retry a connection the server refuses (not yet up) for this long.
    pub wait: Option<Duration>,
    /// How long to wait for the migration lock (also SQLite's busy timeout).
    pub lock_timeout: Duration,
    pub access: Access,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            wait: None,
            lock_timeout: Duration::from_secs(60),
            access: Access::Write,
        }
    }
}

/// Opens a connection to the database a URL names. While the server does not
/// answer and `options.wait` allows, `retry` hears each failure before the next
/// attempt.
pub async fn connect(
    url: &DatabaseUrl,
    options: &ConnectOptions,
    retry: &mut ConnectRetry<'_>,
) -> Result<Box<dyn Connection>, DbError> {
    let deadline = options.wait.map(|w| tokio::time::Instant::now() + w);
    loop {
        let attempt: Result<Box<dyn Connection>, DbError> = match url.dialect() {
            Dialect::Postgres => postgres::connect(url, options)
                .await
                .map(|c| Box::new(c) as Box<dyn Connection>),
            Dialect::MySql => mysql::connect(url, options)
                .await
                .map(|c| Box::new(c) as Box<dyn Connection>),
            Dialect::Sqlite => sqlite::connect(url, options)
                .await
                .map(|c| Box::new(c) as Box<dyn Connection>),
        };
        match attempt {
            Ok(conn) => return Ok(conn),
            Err(e) if e.kind == DbErrorKind::Unreachable => match deadline {
                Some(d) if tokio::time::Instant::now() < d => {
                    retry(&e);
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Some(_) => {
                    return Err(DbError {
                        message: format!(
                            "{} (still unreachable after waiting {})",
                            e.message,
                            humanize(options.wait.unwrap_or_default())
                        ),
                        ..e
                    })
                }
                None => return Err(e),
            },
            Err(e) => return Err(e),
        }
    }
}

/// The environment a database client started by a hook needs to reach the database
/// aludel uses, without a password on its command line: the variables that
/// dialect's clients read (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGPASSWORD`;
/// `MYSQL_HOST`, `MYSQL_TCP_PORT`, `MYSQL_UNIX_PORT`, `MYSQL_PWD`) and aludel's own
/// `ALUDEL_DATABASE_HOST`, `ALUDEL_DATABASE_PORT`, `ALUDEL_DATABASE_USER`. Host, port
/// and user are the ones aludel connects with, defaults included. Nothing for SQLite.
pub(crate) fn client_env(url: &DatabaseUrl) -> Vec<(&'static str, String)> {
    match url.dialect() {
        Dialect::Postgres => postgres::client_env(url),
        Dialect::MySql => mysql::client_env(url),
        Dialect::Sqlite => Vec::new(),
    }
}

/// A connection taken from an application's existing sqlx pool (it leaves the pool,
/// which opens a replacement; close it when done).
pub enum Pool<'a> {
    Postgres(&'a sqlx::PgPool),
    MySql(&'a sqlx::MySqlPool),
    /// With the lock timeout to report (the pool's busy timeout is what waits).
    Sqlite(&'a sqlx::SqlitePool, Duration),
}

/// Uses a connection of an existing pool.
///
/// ```no_run
/// # async fn run(pool: sqlx::PgPool) -> Result<(), aludel::Error> {
/// let mut conn = aludel::dialect::from_pool(aludel::dialect::Pool::Postgres(&pool)).await?;
/// let project = aludel::project::Project::from_dir(".")?;
/// let mut events = aludel::runtime::NoEvents;
/// aludel::command::upgrade(conn.as_mut(), &project, "heads", &Default::default(), &mut events).await?;
/// conn.close().await;
/// # Ok(()) }
/// ```
pub async fn from_pool(pool: Pool<'_>) -> Result<Box<dyn Connection>, DbError> {
    Ok(match pool {
        Pool::Postgres(p) => Box::new(postgres::from_pool(p).await?),
        Pool::MySql(p) => Box::new(mysql::from_pool(p).await?),
        Pool::Sqlite(p, timeout) => Box::new(sqlite::from_pool(p, timeout).await?),
    })
}

/// `1.5s`, `2m`, as a user wrote it.
pub fn humanize(d: Duration) -> String {
    if d.as_millis() % 1000 == 0 {
        let s = d.as_secs();
        if s % 60 == 0 && s > 0 {
            format!("{}m", s / 60)
        } else {
            format!("{s}s")
        }
    } else {
        format!("{}ms", d.as_millis())
    }
}
