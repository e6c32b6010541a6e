//! Shadow databases: the scratch databases autogenerate loads schemas into
//! (PRODUCT.md §6). SQLite: a database in memory. PostgreSQL and MySQL/MariaDB: a
//! database `aludel_shadow_<random>` created next to the target, with the
//! target's encoding and collation, and always dropped again; or the database of
//! `shadow_database_url` (for users who may not create databases), which must be
//! empty and is emptied again afterwards.
//!
//! Owns creating, checking, emptying and dropping them. "Always" includes early
//! returns, errors and panics: a [`ShadowDatabase`] that is not discarded cleans
//! up when dropped (on a thread of its own, as drop cannot wait for a future); a
//! caller that handles Ctrl-C lets the future unwind, which drops it. Only a
//! process killed outright leaves one behind, named so that it is recognised.

use std::time::Duration;

use super::{connect, sql_dialect, Access, ConnectOptions, Connection, DbError, DbErrorKind};
use crate::config::{DatabaseUrl, Dialect};

/// The prefix of every shadow database aludel creates.
pub const SHADOW_PREFIX: &str = "aludel_shadow_";

/// How long cleanup may take before it gives up (with a warning).
const CLEANUP_TIMEOUT: Duration = Duration::from_secs(20);

/// A scratch database, open. Discard it with [`ShadowDatabase::discard`].
pub struct ShadowDatabase {
    conn: Option<Box<dyn Connection>>,
    /// A second connection for reads that can share the work (PostgreSQL's
    /// describe), opened when first asked for.
    second: Option<Box<dyn Connection>>,
    cleanup: Option<Cleanup>,
}

/// What must happen when the shadow database is no longer needed.
#[derive(Clone)]
enum Cleanup {
    /// Drop the database `name`, connecting with `admin`.
    Drop { admin: DatabaseUrl, name: String },
    /// Empty the configured shadow database.
    Empty { url: DatabaseUrl },
}

impl ShadowDatabase {
    /// A fresh shadow database for a target: `configured` is the
    /// `shadow_database_url`, if any.
    pub async fn create(
        target: &DatabaseUrl,
        configured: Option<&DatabaseUrl>,
    ) -> Result<ShadowDatabase, DbError> {
        if let Some(url) = configured {
            return Self::configured(url).await;
        }
        if target.dialect() == Dialect::Sqlite {
            let memory = DatabaseUrl::parse("sqlite::memory:")
                .map_err(|e| DbError::new(DbErrorKind::Other, e.to_string()))?;
            let conn = connect(&memory, &write_options(), &mut |_| {}).await?;
            return Ok(ShadowDatabase {
                conn: Some(conn),
                second: None,
                cleanup: None,
            });
        }
        let name = format!(
            "{SHADOW_PREFIX}{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        let mut admin = connect(target, &write_options(), &mut |_| {}).await?;
        let created = create_database(admin.as_mut(), target.dialect(), &name).await;
        admin.close().await;
        created.map_err(|e| cannot_create(e, target))?;
        let cleanup = Cleanup::Drop {
            admin: target.clone(),
            name: name.clone(),
        };
        let mut shadow = ShadowDatabase {
            conn: None,
            second: None,
            cleanup: Some(cleanup),
        };
        shadow.conn =
            Some(connect(&target.with_database(&name), &write_options(), &mut |_| {}).await?);
        Ok(shadow)
    }

    async fn configured(url: &DatabaseUrl) -> Result<ShadowDatabase, DbError> {
        let mut conn = connect(url, &write_options(), &mut |_| {}).await?;
        if let Some(query) = objects_query(url.dialect()) {
            let count = conn.query_column(query).await?;
            let objects: i64 = count
                .into_iter()
                .flatten()
                .next()
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            if objects > 0 {
                conn.close().await;
                let mut err = DbError::new(
                    DbErrorKind::Other,
                    format!(
                        "the shadow database {} is not empty ({objects} tables, views or types): \
                         aludel loads the desired schema into it and empties it afterwards",
                        url.masked()
                    ),
                );
                err.hint = Some(
                    "point shadow_database_url at an empty database that only aludel uses"
                        .to_string(),
                );
                return Err(err);
            }
        }
        Ok(ShadowDatabase {
            conn: Some(conn),
            second: None,
            cleanup: Some(Cleanup::Empty { url: url.clone() }),
        })
    }

    /// The name of the database aludel created (`None` in memory or when it is
    /// the configured one).
    pub fn created_name(&self) -> Option<&str> {
        match &self.cleanup {
            Some(Cleanup::Drop { name, .. }) => Some(name),
            _ => None,
        }
    }

    /// The connection to the shadow database.
    pub fn connection(&mut self) -> &mut dyn Connection {
        self.conn
            .as_deref_mut()
            .expect("a shadow database keeps its connection until it is discarded")
    }

    /// The connection, and a second one to the same database where the server
    /// can share a read between two (PostgreSQL): see
    /// [`describe_on`](crate::dialect::flavour::describe_on). A second connection
    /// that cannot be opened is no error: the read then runs on one.
    pub async fn connections(&mut self) -> (&mut dyn Connection, Option<&mut dyn Connection>) {
        if self.second.is_none() {
            let url = match &self.cleanup {
                Some(Cleanup::Drop { admin, name }) => Some(admin.with_database(name)),
                Some(Cleanup::Empty { url }) => Some(url.clone()),
                None => None,
            };
            if let Some(url) = url.filter(|u| u.dialect() == Dialect::Postgres) {
                self.second = connect(&url, &write_options(), &mut |_| {}).await.ok();
            }
        }
        let conn = self
            .conn
            .as_deref_mut()
            .expect("a shadow database keeps its connection until it is discarded");
        let second = self
            .second
            .as_deref_mut()
            .map(|c| -> &mut dyn Connection { c });
        (conn, second)
    }

    /// Closes the connections and drops (or empties) the database.
    pub async fn discard(mut self) -> Result<(), DbError> {
        if let Some(conn) = self.second.take() {
            conn.close().await;
        }
        if let Some(conn) = self.conn.take() {
            conn.close().await;
        }
        match self.cleanup.take() {
            Some(cleanup) => cleanup.run().await,
            None => Ok(()),
        }
    }
}

impl Drop for ShadowDatabase {
    fn drop(&mut self) {
        let Some(cleanup) = self.cleanup.take() else {
            return;
        };
        // The connection cannot be closed here (that needs a future); the drop
        // statements end it on the server side (PostgreSQL `WITH (FORCE)`).
        drop(self.conn.take());
        drop(self.second.take());
        let worker = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| DbError::new(DbErrorKind::Other, e.to_string()))?;
            runtime.block_on(cleanup.run())
        });
        if let Ok(Err(e)) = worker.join() {
            tracing::warn!("could not clean up the shadow database: {}", e.message);
        }
    }
}

impl Cleanup {
    async fn run(self) -> Result<(), DbError> {
        let work = async {
            match self {
                Cleanup::Drop { admin, name } => {
                    let mut conn = connect(&admin, &write_options(), &mut |_| {}).await?;
                    let result = conn.execute(&drop_database(admin.dialect(), &name)).await;
                    conn.close().await;
                    result.map(|_| ())
                }
                Cleanup::Empty { url } => {
                    let mut conn = connect(&url, &write_options(), &mut |_| {}).await?;
                    let result = empty_database(conn.as_mut(), url.dialect()).await;
                    conn.close().await;
                    result
                }
            }
        };
        match tokio::time::timeout(CLEANUP_TIMEOUT, work).await {
            Ok(result) => result,
            Err(_) => Err(DbError::new(
                DbErrorKind::Other,
                "cleaning up the shadow database timed out",
            )),
        }
    }
}

fn write_options() -> ConnectOptions {
    ConnectOptions {
        access: Access::Write,
        ..ConnectOptions::default()
    }
}

/// Creates `name` with the encoding and collation of the database `admin` is on.
async fn create_database(
    admin: &mut dyn Connection,
    dialect: Dialect,
    name: &str,
) -> Result<(), DbError> {
    let sql = sql_dialect(dialect);
    let quoted = sql.quote_ident(name);
    let statement = match dialect {
        Dialect::Postgres => {
            let rows = admin
                .query_rows(
                    "SELECT pg_encoding_to_char(encoding), datcollate, datctype \
                     FROM pg_database WHERE datname = current_database()",
                )
                .await?;
            let row = rows.into_iter().next().unwrap_or_default();
            let get = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
            format!(
                "CREATE DATABASE {quoted} TEMPLATE template0 ENCODING {} LC_COLLATE {} LC_CTYPE {}",
                sql.string_literal(&get(0)),
                sql.string_literal(&get(1)),
                sql.string_literal(&get(2))
            )
        }
        Dialect::MySql => {
            let rows = admin
                .query_rows(
                    "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME \
                     FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()",
                )
                .await?;
            match rows.into_iter().next() {
                Some(row) => format!(
                    "CREATE DATABASE {quoted} CHARACTER SET {} COLLATE {}",
                    row.first()
                        .cloned()
                        .flatten()
                        .unwrap_or_else(|| "utf8mb4".into()),
                    row.get(1)
                        .cloned()
                        .flatten()
                        .unwrap_or_else(|| "utf8mb4_general_ci".into())
                ),
                None => format!("CREATE DATABASE {quoted}"),
            }
        }
        Dialect::Sqlite => return Ok(()),
    };
    admin.execute(&statement).await.map(|_| ())
}

fn drop_database(dialect: Dialect, name: &str) -> String {
    let quoted = sql_dialect(dialect).quote_ident(name);
    match dialect {
        Dialect::Postgres => format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"),
        _ => format!("DROP DATABASE IF EXISTS {quoted}"),
    }
}

/// Counts what a configured shadow database holds (it must hold nothing).
fn objects_query(dialect: Dialect) -> Option<&'static str> {
    match dialect {
        Dialect::Postgres => Some(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' \
             AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')",
        ),
        Dialect::MySql => Some(
            "SELECT (SELECT count(*) FROM information_schema.TABLES \
                     WHERE TABLE_SCHEMA = DATABASE()) \
                  + (SELECT count(*) FROM information_schema.ROUTINES \
                     WHERE ROUTINE_SCHEMA = DATABASE())",
        ),
        Dialect::Sqlite => None,
    }
}

/// Removes everything from a configured shadow database.
async fn empty_database(conn: &mut dyn Connection, dialect: Dialect) -> Result<(), DbError> {
    let sql = sql_dialect(dialect);
    let statements: Vec<String> = match dialect {
        Dialect::Postgres => {
            let schemas = conn
                .query_column(
                    "SELECT nspname FROM pg_namespace WHERE nspname <> 'information_schema' \
                     AND nspname NOT LIKE 'pg\\_%' ORDER BY nspname",
                )
                .await?;
            let mut out: Vec<String> = schemas
                .into_iter()
                .flatten()
                .map(|s| format!("DROP SCHEMA {} CASCADE", sql.quote_ident(&s)))
                .collect();
            out.push("CREATE SCHEMA IF NOT EXISTS public".to_string());
            out
        }
        Dialect::MySql => {
            let rows = conn
                .query_rows(
                    "SELECT TABLE_TYPE, TABLE_NAME FROM information_schema.TABLES \
                     WHERE TABLE_SCHEMA = DATABASE() \
                     UNION ALL SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES \
                     WHERE ROUTINE_SCHEMA = DATABASE()",
                )
                .await?;
            let mut out = vec!["SET FOREIGN_KEY_CHECKS = 0".to_string()];
            for row in rows {
                let (Some(Some(kind)), Some(Some(name))) = (row.first(), row.get(1)) else {
                    continue;
                };
                let what = match kind.as_str() {
                    "VIEW" => "VIEW",
                    "PROCEDURE" => "PROCEDURE",
                    "FUNCTION" => "FUNCTION",
                    "SEQUENCE" => "SEQUENCE",
                    _ => "TABLE",
                };
                out.push(format!("DROP {what} IF EXISTS {}", sql.quote_ident(name)));
            }
            out.push("SET FOREIGN_KEY_CHECKS = 1".to_string());
            out
        }
        Dialect::Sqlite => Vec::new(),
    };
    for statement in statements {
        conn.execute(&statement).await?;
    }
    Ok(())
}

/// A refused `CREATE DATABASE`, with the way out.
fn cannot_create(mut err: DbError, target: &DatabaseUrl) -> DbError {
    err.message = format!(
        "cannot create a shadow database on {}: {}",
        target.masked(),
        err.message
    );
    err.hint = Some(
        "autogenerate needs a scratch database: grant the user CREATEDB (PostgreSQL) or \
         CREATE/DROP (MySQL), or set shadow_database_url in [autogenerate] to an empty \
         database it may use"
            .to_string(),
    );
    err
}
