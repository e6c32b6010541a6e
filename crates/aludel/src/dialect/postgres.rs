//! PostgreSQL: transactional DDL, `BEGIN;`/`COMMIT;` in offline scripts, and the
//! migration lock as a session advisory lock held on a connection of its own (so it
//! outlives every transaction of the migration connection and dies with the process).

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgConnection, Postgres};
use sqlx::{ConnectOptions as _, Connection as _};

use super::keywords;
use super::tables::{quote_if_needed, HistoryTypes};
use super::{
    raw, ConnectOptions, Connection, DbError, DbErrorKind, LockScope, LockWaiting, NameLimit,
    SessionInfo, SqlDialect, TableRef,
};
use crate::config::{DatabaseUrl, Dialect};

pub(crate) struct PostgresSql;

impl SqlDialect for PostgresSql {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
    fn database_name(&self) -> &'static str {
        "PostgreSQL"
    }
    fn quote_ident(&self, ident: &str) -> String {
        quote_if_needed(ident, '"', keywords::POSTGRES)
    }
    fn name_limit(&self) -> Option<NameLimit> {
        Some(NameLimit::Bytes(63))
    }
    fn offline_transactions(&self) -> bool {
        true
    }
    fn transactional_ddl(&self) -> bool {
        true
    }
    fn server_version_sql(&self) -> &'static str {
        "SHOW server_version"
    }
    fn history_types(&self) -> HistoryTypes {
        HistoryTypes {
            id: "BIGSERIAL PRIMARY KEY",
            timestamp: "TIMESTAMP",
            boolean: "BOOLEAN",
            text: "TEXT",
        }
    }
}

pub(crate) struct PgConn {
    conn: PgConnection,
    options: PgConnectOptions,
    secret: Option<String>,
    /// The connection that holds the advisory lock, while it is held.
    lock_conn: Option<PgConnection>,
}

pub(crate) async fn connect(
    url: &DatabaseUrl,
    _options: &ConnectOptions,
) -> Result<PgConn, DbError> {
    let secret = url.password().map(str::to_string);
    let mut options = PgConnectOptions::from_str(&url.connection_string())
        .map_err(|e| DbError::from_sqlx(e, secret.as_deref()))?
        .disable_statement_logging();
    if options.get_application_name().is_none() {
        options = options.application_name("aludel");
    }
    let conn = options.connect().await.map_err(|e| {
        let mut err = DbError::from_sqlx(e, secret.as_deref()).at_connect();
        // "the database system is starting up": not there yet, as for --wait.
        if err.code.as_deref() == Some("57P03") {
            err.kind = DbErrorKind::Unreachable;
        }
        if err.kind == DbErrorKind::Unreachable && (url.host().is_none() || url.port().is_none()) {
            // The URL does not say where: say where the defaults led.
            err.message = format!("{} (tried {})", err.message, target(&options));
        }
        err
    })?;
    Ok(PgConn {
        conn,
        options,
        secret,
        lock_conn: None,
    })
}

/// Where sqlx connects for these options: a Unix socket path, or `host:port`.
fn target(options: &PgConnectOptions) -> String {
    let port = options.get_port();
    match options.get_socket() {
        Some(dir) => format!("the Unix socket {}/.s.PGSQL.{port}", dir.display()),
        None if options.get_host().starts_with('/') => {
            format!("the Unix socket {}/.s.PGSQL.{port}", options.get_host())
        }
        None if options.get_host().contains(':') => format!("[{}]:{port}", options.get_host()),
        None => format!("{}:{port}", options.get_host()),
    }
}

/// See [`super::client_env`]: libpq's variables, for `pg_dump`, `psql`...
pub(crate) fn client_env(url: &DatabaseUrl) -> Vec<(&'static str, String)> {
    let Ok(options) = PgConnectOptions::from_str(&url.connection_string()) else {
        return Vec::new();
    };
    let host = match options.get_socket() {
        Some(dir) => dir.display().to_string(),
        None => options
            .get_host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string(),
    };
    let port = options.get_port().to_string();
    let user = options.get_username().to_string();
    let mut env = vec![
        ("PGHOST", host.clone()),
        ("PGPORT", port.clone()),
        ("PGUSER", user.clone()),
        ("ALUDEL_DATABASE_HOST", host),
        ("ALUDEL_DATABASE_PORT", port),
        ("ALUDEL_DATABASE_USER", user),
    ];
    if let Some(db) = options.get_database() {
        env.push(("PGDATABASE", db.to_string()));
    }
    if let Some(password) = url.client_password() {
        env.push(("PGPASSWORD", password));
    }
    env
}

/// Takes a connection out of an application's pool (the pool opens a replacement);
/// the lock connection is opened with the pool's options.
pub(crate) async fn from_pool(pool: &sqlx::PgPool) -> Result<PgConn, DbError> {
    let conn = pool
        .acquire()
        .await
        .map_err(|e| DbError::from_sqlx(e, None).at_connect())?
        .detach();
    Ok(PgConn {
        conn,
        options: (*pool.connect_options()).clone(),
        secret: None,
        lock_conn: None,
    })
}

/// The server parses a whole multi-statement text before running any of it and
/// keeps every parsed statement until the text ends: pieces of a few thousand
/// statements keep that memory bounded, and each costs one round trip.
const BATCH: raw::BatchLimits = raw::BatchLimits {
    statements: 2_000,
    bytes: 1024 * 1024,
};

/// The advisory-lock key of a lock name: the first 8 bytes of its SHA-256.
fn lock_key(name: &str) -> i64 {
    let digest = Sha256::digest(format!("aludel:{name}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

impl PgConn {
    fn secret(&self) -> Option<&str> {
        self.secret.as_deref()
    }

    /// Who holds the advisory lock `key`: pid, application name, client address.
    async fn lock_holder(&mut self, key: i64) -> Option<String> {
        let (hi, lo) = ((key as u64 >> 32) as u32, key as u64 as u32);
        let sql = format!(
            "SELECT a.pid::text, a.application_name, host(a.client_addr), a.usename::text, \
             to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS') \
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.classid = {hi} \
             AND l.objid = {lo} AND l.objsubid = 1"
        );
        let rows = raw::query_rows::<Postgres>(&mut self.conn, &sql, self.secret.as_deref())
            .await
            .ok()?;
        let row = rows.first()?;
        let get = |i: usize| row.get(i).cloned().flatten();
        Some(format!(
            "PostgreSQL backend pid {}, application '{}', client {}, user {}, connected since {}",
            get(0).unwrap_or_else(|| "?".into()),
            get(1).unwrap_or_default(),
            get(2).unwrap_or_else(|| "local socket".into()),
            get(3).unwrap_or_else(|| "?".into()),
            get(4).unwrap_or_else(|| "?".into()),
        ))
    }
}

#[async_trait]
impl Connection for PgConn {
    fn sql(&self) -> &'static dyn SqlDialect {
        &PostgresSql
    }

    async fn execute(&mut self, sql: &str) -> Result<u64, DbError> {
        raw::execute::<Postgres>(&mut self.conn, sql, self.secret.as_deref()).await
    }

    async fn execute_batch(&mut self, statements: &[String]) -> Result<Vec<u64>, (usize, DbError)> {
        raw::execute_batch::<Postgres>(&mut self.conn, statements, BATCH, self.secret.as_deref())
            .await
    }

    async fn begin_and_execute_batch(
        &mut self,
        statements: &[String],
    ) -> Result<Vec<u64>, (Option<usize>, DbError)> {
        let mut batch = Vec::with_capacity(statements.len() + 1);
        batch.push("BEGIN".to_owned());
        batch.extend_from_slice(statements);
        match self.execute_batch(&batch).await {
            Ok(mut counts) => {
                counts.remove(0);
                Ok(counts)
            }
            Err((0, e)) => Err((None, e)),
            Err((k, e)) => Err((Some(k - 1), e)),
        }
    }

    async fn query_rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, DbError> {
        raw::query_rows::<Postgres>(&mut self.conn, sql, self.secret.as_deref()).await
    }

    async fn table_exists(&mut self, table: &TableRef) -> Result<bool, DbError> {
        let name = table.qualified(&PostgresSql);
        let sql = format!(
            "SELECT to_regclass({})::text",
            PostgresSql.string_literal(&name)
        );
        Ok(self
            .query_column(&sql)
            .await?
            .into_iter()
            .flatten()
            .next()
            .is_some())
    }

    async fn column_names(&mut self, table: &TableRef) -> Result<Vec<String>, DbError> {
        let name = PostgresSql.string_literal(&table.qualified(&PostgresSql));
        let sql = format!(
            "SELECT attname::text FROM pg_attribute WHERE attrelid = to_regclass({name}) \
             AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
        );
        Ok(self
            .query_column(&sql)
            .await?
            .into_iter()
            .flatten()
            .collect())
    }

    async fn version_column_width(&mut self, table: &TableRef) -> Result<Option<usize>, DbError> {
        let schema = match &table.schema {
            Some(s) => PostgresSql.string_literal(s),
            None => "current_schema()".to_string(),
        };
        let sql = format!(
            "SELECT character_maximum_length::text FROM information_schema.columns \
             WHERE table_schema = {schema} AND table_name = {} AND column_name = 'version_num'",
            PostgresSql.string_literal(&table.name)
        );
        Ok(super::tables::width(self.query_column(&sql).await?))
    }

    fn lock_scope(&self) -> LockScope {
        LockScope::Session
    }

    async fn lock(
        &mut self,
        name: &str,
        timeout: Duration,
        waiting: &mut LockWaiting<'_>,
    ) -> Result<(), DbError> {
        let key = lock_key(name);
        let mut lock_conn = self
            .options
            .connect()
            .await
            .map_err(|e| DbError::from_sqlx(e, self.secret()).at_connect())?;
        let try_lock = format!("SELECT pg_try_advisory_lock({key})::text");
        let deadline = tokio::time::Instant::now() + timeout;
        let mut told = false;
        loop {
            let rows =
                raw::query_rows::<Postgres>(&mut lock_conn, &try_lock, self.secret()).await?;
            let granted = rows
                .first()
                .and_then(|r| r.first().cloned().flatten())
                .is_some_and(|v| v == "true" || v == "t");
            if granted {
                self.lock_conn = Some(lock_conn);
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                let holder = self.lock_holder(key).await;
                let _ = lock_conn.close().await;
                return Err(DbError::lock_timeout(name, timeout, holder));
            }
            if !told {
                waiting(self.lock_holder(key).await);
                told = true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn unlock(&mut self, name: &str) -> Result<(), DbError> {
        if let Some(mut conn) = self.lock_conn.take() {
            let sql = format!("SELECT pg_advisory_unlock({})::text", lock_key(name));
            let result = raw::query_rows::<Postgres>(&mut conn, &sql, self.secret()).await;
            let _ = conn.close().await;
            result?;
        }
        Ok(())
    }

    async fn session_info(&mut self) -> Result<SessionInfo, DbError> {
        let user = self.query_column("SELECT current_user::text").await?;
        Ok(SessionInfo {
            user: user.into_iter().flatten().next(),
        })
    }

    async fn close(self: Box<Self>) {
        let this = *self;
        if let Some(lock) = this.lock_conn {
            let _ = lock.close().await;
        }
        let _ = this.conn.close().await;
    }
}
