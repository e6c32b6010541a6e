//! MySQL and MariaDB: DDL commits by itself (so steps run statement by statement with
//! recorded progress), no `BEGIN;` in offline scripts, backslash-escaping string
//! literals, `DELIMITER` around routines in offline scripts, and the migration lock as
//! `GET_LOCK` on the migration connection.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::mysql::{MySql, MySqlConnectOptions, MySqlConnection};
use sqlx::{ConnectOptions as _, Connection as _};

use super::keywords;
use super::tables::{quote_if_needed, HistoryTypes};
use super::{
    raw, ConnectOptions, Connection, DbError, DbErrorKind, LockScope, LockWaiting, NameLimit,
    SessionInfo, SqlDialect, TableRef,
};
use crate::config::{DatabaseUrl, Dialect};

pub(crate) struct MySqlSql;

impl SqlDialect for MySqlSql {
    fn dialect(&self) -> Dialect {
        Dialect::MySql
    }
    fn database_name(&self) -> &'static str {
        "MySQL/MariaDB"
    }
    fn quote_ident(&self, ident: &str) -> String {
        quote_if_needed(ident, '`', keywords::MYSQL)
    }
    fn name_limit(&self) -> Option<NameLimit> {
        Some(NameLimit::Chars(64))
    }
    fn string_literal(&self, text: &str) -> String {
        format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
    }
    fn offline_transactions(&self) -> bool {
        false
    }
    /// A statement with `;` of its own (a routine's body) is written between
    /// `DELIMITER` lines, as the `mysql` and `mariadb` clients need.
    fn offline_statement(&self, statement: &str) -> String {
        match crate::sql::mysql_client_delimiter(statement) {
            None => format!("{statement};"),
            Some(d) => format!("DELIMITER {d}\n{statement}{d}\nDELIMITER ;"),
        }
    }
    fn transactional_ddl(&self) -> bool {
        false
    }
    fn server_version_sql(&self) -> &'static str {
        "SELECT VERSION()"
    }
    fn history_types(&self) -> HistoryTypes {
        HistoryTypes {
            id: "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY",
            timestamp: "DATETIME(6)",
            boolean: "BOOLEAN",
            text: "TEXT",
        }
    }
}

pub(crate) struct MySqlConn {
    conn: MySqlConnection,
    secret: Option<String>,
}

pub(crate) async fn connect(
    url: &DatabaseUrl,
    _options: &ConnectOptions,
) -> Result<MySqlConn, DbError> {
    let secret = url.password().map(str::to_string);
    // Leave the session as the mysql client would: no PIPES_AS_CONCAT, the server's
    // time zone (sqlx changes both by default, which would change what migrations mean).
    let options = MySqlConnectOptions::from_str(&url.connection_string())
        .map_err(|e| DbError::from_sqlx(e, secret.as_deref()))?
        .pipes_as_concat(false)
        .timezone(None)
        .disable_statement_logging();
    let conn = options.connect().await.map_err(|e| {
        let mut err = DbError::from_sqlx(e, secret.as_deref()).at_connect();
        if err.kind == DbErrorKind::Unreachable && (url.host().is_none() || url.port().is_none()) {
            // The URL does not say where: say where the defaults led.
            err.message = format!("{} (tried {})", err.message, target(&options));
        }
        err
    })?;
    Ok(MySqlConn { conn, secret })
}

/// Where sqlx connects for these options: a Unix socket path, or `host:port`.
fn target(options: &MySqlConnectOptions) -> String {
    match options.get_socket() {
        Some(path) => format!("the Unix socket {}", path.display()),
        None if options.get_host().contains(':') && !options.get_host().starts_with('[') => {
            format!("[{}]:{}", options.get_host(), options.get_port())
        }
        None => format!("{}:{}", options.get_host(), options.get_port()),
    }
}

/// See [`super::client_env`]: the variables the `mariadb`/`mysql` clients read. They
/// read no variable for the user name (and `mariadb-dump` none for the host): hooks
/// pass `-h {host} -P {port} -u {user}`.
pub(crate) fn client_env(url: &DatabaseUrl) -> Vec<(&'static str, String)> {
    let Ok(options) = MySqlConnectOptions::from_str(&url.connection_string()) else {
        return Vec::new();
    };
    let host = options
        .get_host()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = options.get_port().to_string();
    let mut env = vec![
        ("MYSQL_HOST", host.clone()),
        ("MYSQL_TCP_PORT", port.clone()),
        ("ALUDEL_DATABASE_HOST", host),
        ("ALUDEL_DATABASE_PORT", port),
        ("ALUDEL_DATABASE_USER", options.get_username().to_string()),
    ];
    if let Some(socket) = options.get_socket() {
        env.push(("MYSQL_UNIX_PORT", socket.display().to_string()));
    }
    if let Some(password) = url.client_password() {
        env.push(("MYSQL_PWD", password));
    }
    env
}

/// Takes a connection out of an application's pool (the pool opens a replacement).
pub(crate) async fn from_pool(pool: &sqlx::MySqlPool) -> Result<MySqlConn, DbError> {
    let conn = pool
        .acquire()
        .await
        .map_err(|e| DbError::from_sqlx(e, None).at_connect())?
        .detach();
    Ok(MySqlConn { conn, secret: None })
}

/// Statements per multi-statement query: the runtime's units of row changes (1,000
/// statements, 1 MiB) fit in one, well under the server's default packet limit.
const BATCH: raw::BatchLimits = raw::BatchLimits {
    statements: 1000,
    bytes: 1 << 20,
};

/// The schema (database) of a table as an SQL expression: its own, else the
/// connection's.
fn schema_of(table: &TableRef) -> String {
    match &table.schema {
        Some(s) => MySqlSql.string_literal(s),
        None => "DATABASE()".to_string(),
    }
}

/// `GET_LOCK` names are limited to 64 characters.
fn lock_name(name: &str) -> String {
    let full = format!("aludel:{name}");
    full.chars().take(64).collect()
}

impl MySqlConn {
    /// `GET_LOCK` of the quoted lock name: whether it was granted within `timeout`.
    async fn get_lock(&mut self, lock: &str, timeout: Duration) -> Result<bool, DbError> {
        let seconds = timeout.as_secs_f64();
        let got = self
            .query_column(&format!("SELECT GET_LOCK({lock}, {seconds:.3})"))
            .await?;
        Ok(got.into_iter().flatten().next().as_deref() == Some("1"))
    }

    /// Who holds the quoted lock name: connection id, user, client, busy time.
    async fn lock_holder(&mut self, lock: &str) -> Option<String> {
        self.query_rows(&format!(
            "SELECT p.ID, p.USER, p.HOST, p.TIME FROM information_schema.PROCESSLIST p \
             WHERE p.ID = IS_USED_LOCK({lock})"
        ))
        .await
        .ok()
        .and_then(|rows| rows.into_iter().next())
        .map(|row| {
            let get = |i: usize| row.get(i).cloned().flatten().unwrap_or_else(|| "?".into());
            format!(
                "connection id {}, user {}, client {}, busy for {} s",
                get(0),
                get(1),
                get(2),
                get(3)
            )
        })
    }
}

#[async_trait]
impl Connection for MySqlConn {
    fn sql(&self) -> &'static dyn SqlDialect {
        &MySqlSql
    }

    async fn execute(&mut self, sql: &str) -> Result<u64, DbError> {
        raw::execute::<MySql>(&mut self.conn, sql, self.secret.as_deref()).await
    }

    /// Multi-statement round trips (the connection allows several statements per
    /// query): a stepwise step's run of row changes goes in one.
    async fn execute_batch(&mut self, statements: &[String]) -> Result<Vec<u64>, (usize, DbError)> {
        raw::execute_batch::<MySql>(&mut self.conn, statements, BATCH, self.secret.as_deref()).await
    }

    async fn query_rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, DbError> {
        raw::query_rows::<MySql>(&mut self.conn, sql, self.secret.as_deref()).await
    }

    async fn table_exists(&mut self, table: &TableRef) -> Result<bool, DbError> {
        let sql = format!(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = {} AND TABLE_NAME = {}",
            schema_of(table),
            MySqlSql.string_literal(&table.name)
        );
        let count = self.query_column(&sql).await?;
        Ok(count.into_iter().flatten().next().is_some_and(|c| c != "0"))
    }

    async fn column_names(&mut self, table: &TableRef) -> Result<Vec<String>, DbError> {
        let sql = format!(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = {} \
             AND TABLE_NAME = {} ORDER BY ORDINAL_POSITION",
            schema_of(table),
            MySqlSql.string_literal(&table.name)
        );
        Ok(self
            .query_column(&sql)
            .await?
            .into_iter()
            .flatten()
            .collect())
    }

    async fn version_column_width(&mut self, table: &TableRef) -> Result<Option<usize>, DbError> {
        let sql = format!(
            "SELECT CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS \
             WHERE TABLE_SCHEMA = {} AND TABLE_NAME = {} AND COLUMN_NAME = 'version_num'",
            schema_of(table),
            MySqlSql.string_literal(&table.name)
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
        let lock = MySqlSql.string_literal(&lock_name(name));
        // First without waiting, so that a wait is announced with its holder.
        if self.get_lock(&lock, Duration::ZERO).await? {
            return Ok(());
        }
        waiting(self.lock_holder(&lock).await);
        if self.get_lock(&lock, timeout).await? {
            return Ok(());
        }
        let holder = self.lock_holder(&lock).await;
        Err(DbError::lock_timeout(name, timeout, holder))
    }

    async fn unlock(&mut self, name: &str) -> Result<(), DbError> {
        let lock = MySqlSql.string_literal(&lock_name(name));
        self.query_column(&format!("SELECT RELEASE_LOCK({lock})"))
            .await
            .map(|_| ())
    }

    async fn session_info(&mut self) -> Result<SessionInfo, DbError> {
        let user = self.query_column("SELECT CURRENT_USER()").await?;
        Ok(SessionInfo {
            user: user.into_iter().flatten().next(),
        })
    }

    async fn close(self: Box<Self>) {
        let _ = self.conn.close().await;
    }
}
