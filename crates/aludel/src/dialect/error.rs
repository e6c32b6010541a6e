//! A database error as aludel reports it: built from the driver error's fields (the
//! database's code, message, detail, hint), never from the driver's `Display`, and with
//! the connection password removed from every piece of text.

use std::fmt;

/// What kind of failure, for deciding what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbErrorKind {
    /// The database rejected a statement.
    Statement,
    /// The server could not be reached (refused, DNS, timeout): `--wait` retries these.
    Unreachable,
    /// The server answered but refused the connection (authentication, unknown database).
    Rejected,
    /// The migration lock was not granted in time.
    LockTimeout,
    /// Anything else (protocol, I/O after connecting, bad configuration).
    Other,
}

/// A failure reported by (or while talking to) a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbError {
    pub kind: DbErrorKind,
    /// The database's own code: SQLSTATE on PostgreSQL, `number (SQLSTATE)` on MySQL,
    /// the extended result code on SQLite.
    pub code: Option<String>,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
}

impl DbError {
    /// Whether the database refused the statement because it ran inside a
    /// transaction (PostgreSQL's SQLSTATE 25001, e.g. `CREATE INDEX CONCURRENTLY`;
    /// SQLite's `VACUUM`).
    pub fn refuses_transaction(&self) -> bool {
        self.code.as_deref() == Some("25001")
            || self.message.contains("inside a transaction block")
            || self.message.contains("from within a transaction")
    }

    pub fn new(kind: DbErrorKind, message: impl Into<String>) -> Self {
        DbError {
            kind,
            code: None,
            message: message.into(),
            detail: None,
            hint: None,
        }
    }

    /// Converts a driver error; `secret` (the password) is replaced by `***` wherever
    /// it appears.
    pub(crate) fn from_sqlx(err: sqlx::Error, secret: Option<&str>) -> Self {
        let mut out = match err {
            sqlx::Error::Database(db) => {
                if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                    DbError {
                        kind: DbErrorKind::Statement,
                        code: Some(pg.code().to_string()),
                        message: pg.message().to_string(),
                        detail: pg.detail().map(str::to_string),
                        hint: pg.hint().map(str::to_string),
                    }
                } else if let Some(my) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
                    let code = match my.code() {
                        Some(state) => format!("{} ({state})", my.number()),
                        None => my.number().to_string(),
                    };
                    DbError {
                        kind: DbErrorKind::Statement,
                        code: Some(code),
                        message: my.message().to_string(),
                        detail: None,
                        hint: None,
                    }
                } else {
                    DbError {
                        kind: DbErrorKind::Statement,
                        code: db.code().map(|c| c.to_string()),
                        message: db.message().to_string(),
                        detail: None,
                        hint: None,
                    }
                }
            }
            sqlx::Error::Io(io) => DbError::new(DbErrorKind::Unreachable, io.to_string()),
            sqlx::Error::Tls(e) => DbError::new(DbErrorKind::Rejected, format!("TLS: {e}")),
            sqlx::Error::PoolTimedOut => DbError::new(
                DbErrorKind::Unreachable,
                "timed out waiting for a connection",
            ),
            sqlx::Error::Configuration(e) => {
                DbError::new(DbErrorKind::Other, format!("bad connection settings: {e}"))
            }
            sqlx::Error::Protocol(p) => DbError::new(DbErrorKind::Other, format!("protocol: {p}")),
            other => DbError::new(DbErrorKind::Other, other.to_string()),
        };
        if let Some(secret) = secret.filter(|s| !s.is_empty()) {
            out.message = out.message.replace(secret, "***");
            out.detail = out.detail.map(|d| d.replace(secret, "***"));
            out.hint = out.hint.map(|h| h.replace(secret, "***"));
        }
        out
    }

    /// The migration lock was not granted within `timeout`; `holder` says who has it.
    pub(crate) fn lock_timeout(
        name: &str,
        timeout: std::time::Duration,
        holder: Option<String>,
    ) -> Self {
        DbError {
            kind: DbErrorKind::LockTimeout,
            code: None,
            message: format!(
                "another process holds the migration lock on '{name}' (waited {})",
                super::humanize(timeout)
            ),
            detail: Some(match holder {
                Some(h) => format!("held by {h}"),
                None => "the holder could not be identified".to_string(),
            }),
            hint: Some("wait for it to finish, or raise lock_timeout in aludel.toml".to_string()),
        }
    }

    /// A connection-time error: a database error here means the server refused us.
    pub(crate) fn at_connect(mut self) -> Self {
        if self.kind == DbErrorKind::Statement {
            self.kind = DbErrorKind::Rejected;
        }
        self
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message)?,
            None => f.write_str(&self.message)?,
        }
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DbError {}
