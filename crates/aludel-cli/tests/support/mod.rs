//! Shared set-up of the database tests: a scratch project with revision files, the
//! `aludel` binary run against it, and a fresh database per test on every dialect
//! (a SQLite file always; PostgreSQL and MariaDB from `aludel-testdb`).

#![allow(dead_code)]

pub mod models;
pub mod roundtrip;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aludel_testdb::{Server, TestDb};
use tempfile::TempDir;

/// A fresh database of one dialect.
pub enum Db {
    Sqlite { _dir: TempDir, path: PathBuf },
    Server(TestDb),
}

impl Db {
    pub fn sqlite() -> Db {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("test.db");
        Db::Sqlite { _dir: dir, path }
    }

    pub fn server(server: Server) -> Option<Db> {
        TestDb::create(server).map(Db::Server)
    }

    /// SQLite plus every server that is available (all of them in CI).
    pub fn all() -> Vec<Db> {
        let mut out = vec![Db::sqlite()];
        for server in [Server::Postgres, Server::MySql] {
            out.extend(Db::server(server));
        }
        out
    }

    pub fn dialect(&self) -> &'static str {
        match self {
            Db::Sqlite { .. } => "sqlite",
            Db::Server(db) => match db.server() {
                Server::Postgres => "postgresql",
                Server::MySql => "mysql",
            },
        }
    }

    pub fn is_mysql(&self) -> bool {
        self.dialect() == "mysql"
    }

    pub fn url(&self) -> String {
        match self {
            Db::Sqlite { path, .. } => format!("sqlite:///{}", path.display()),
            Db::Server(db) => db.url().to_string(),
        }
    }

    /// The database's own command-line client (`sqlite3 -bail`, `psql`, `mariadb`),
    /// reading a script on stdin and stopping at its first error.
    pub fn client(&self) -> Command {
        match self {
            Db::Sqlite { path, .. } => {
                let mut cmd = Command::new("sqlite3");
                cmd.arg("-bail").arg(path);
                cmd
            }
            Db::Server(db) => db.client(),
        }
    }

    /// Pipes `script` into [`Db::client`]; panics with the client's output when it
    /// fails.
    pub fn run_script(&self, script: &str) {
        use std::io::Write;
        let mut child = self
            .client()
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("[{}] cannot start the client: {e}", self.dialect()));
        child
            .stdin
            .take()
            .unwrap()
            .write_all(script.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "[{}] the client refused the script:\n{}{}\n--- script ---\n{script}",
            self.dialect(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn query(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        match self {
            Db::Sqlite { path, .. } => sqlite_query(path, sql),
            Db::Server(db) => db.query(sql),
        }
    }

    /// Runs a statement.
    pub fn execute(&self, sql: &str) {
        match self {
            Db::Server(t) => t.execute(sql),
            Db::Sqlite { path, .. } => {
                // A statement may be the first write: the file is created then.
                with_sqlite(path, true, async |conn| {
                    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                        .execute(conn)
                        .await
                        .expect("sqlite statement");
                });
            }
        }
    }

    /// Whether a table (in the default schema) has a column.
    pub fn has_column(&self, table: &str, column: &str) -> bool {
        let sql = match self {
            Db::Sqlite { .. } => format!(
                "SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'"
            ),
            Db::Server(_) if self.is_mysql() => format!(
                "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
                 AND TABLE_NAME = '{table}' AND COLUMN_NAME = '{column}'"
            ),
            Db::Server(_) => format!(
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND table_name = '{table}' AND column_name = '{column}'"
            ),
        };
        self.column(&sql) != vec!["0".to_string()]
    }

    /// The first column of every row, sorted.
    pub fn column(&self, sql: &str) -> Vec<String> {
        let mut v: Vec<String> = self
            .query(sql)
            .into_iter()
            .map(|r| r.into_iter().next().flatten().unwrap_or_default())
            .collect();
        v.sort();
        v
    }

    pub fn version_rows(&self) -> Vec<String> {
        self.version_rows_of("aludel_version")
    }

    pub fn version_rows_of(&self, table: &str) -> Vec<String> {
        self.column(&format!("SELECT version_num FROM {table}"))
    }

    /// Tables of the database, sorted, aludel's own excluded.
    pub fn user_tables(&self) -> Vec<String> {
        let all = match self {
            Db::Sqlite { .. } => self.column(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            ),
            Db::Server(db) => db.tables(),
        };
        all.into_iter()
            .filter(|t| !t.starts_with("aludel_"))
            .collect()
    }

    /// Whether a table exists (aludel's own included).
    pub fn has_table(&self, name: &str) -> bool {
        match self {
            // No file yet (aludel creates it with its first write): no table.
            Db::Sqlite { path, .. } if !path.exists() => false,
            Db::Sqlite { .. } => !self
                .column(&format!(
                    "SELECT name FROM sqlite_master WHERE name = '{name}'"
                ))
                .is_empty(),
            Db::Server(db) => db.tables().iter().any(|t| t == name),
        }
    }

    /// `(revision, direction, success)` of every history row, oldest first.
    pub fn history(&self) -> Vec<(String, String, Option<String>)> {
        self.query("SELECT revision, direction, success FROM aludel_history ORDER BY id")
            .into_iter()
            .map(|r| {
                (
                    r[0].clone().unwrap_or_default(),
                    r[1].clone().unwrap_or_default(),
                    r[2].clone().map(|s| normalize_bool(&s)),
                )
            })
            .collect()
    }
}

fn normalize_bool(s: &str) -> String {
    match s {
        "1" | "t" | "true" | "TRUE" => "true".into(),
        "0" | "f" | "false" | "FALSE" => "false".into(),
        other => other.into(),
    }
}

/// Runs `work` on a new connection to the SQLite file at `path` (created if
/// missing when `create`), on a runtime of its own.
fn with_sqlite<T>(
    path: &Path,
    create: bool,
    work: impl AsyncFnOnce(&mut sqlx::SqliteConnection) -> T,
) -> T {
    use sqlx::{ConnectOptions, Connection};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(create)
            // Tests read while aludel writes: wait for its write lock like a client.
            .busy_timeout(std::time::Duration::from_secs(30))
            .connect()
            .await
            .expect("open sqlite");
        let result = work(&mut conn).await;
        conn.close().await.expect("close sqlite");
        result
    })
}

pub fn sqlite_query(path: &Path, sql: &str) -> Vec<Vec<Option<String>>> {
    use sqlx::Row;
    with_sqlite(path, false, async |conn| {
        let rows = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_all(conn)
            .await
            .expect("sqlite query");
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| row.try_get_unchecked::<Option<String>, usize>(i).unwrap())
                    .collect()
            })
            .collect()
    })
}

/// A project folder with an aludel.toml and revision files.
pub struct Project {
    pub dir: TempDir,
}

impl Project {
    /// `extra` is appended to the `[aludel]` table.
    pub fn new(extra: &str) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("migrations/versions")).unwrap();
        std::fs::write(
            dir.path().join("aludel.toml"),
            format!(
                "[aludel]\nscript_location = \"migrations\"\nlock_timeout = \"60s\"\n{extra}\n"
            ),
        )
        .unwrap();
        Project { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a revision file `NNN_<id>.sql` (`order` sets the load order).
    pub fn rev(
        &self,
        order: usize,
        id: &str,
        down: &[&str],
        upgrade: &str,
        downgrade: &str,
    ) -> PathBuf {
        self.rev_full(order, id, down, &[], &[], upgrade, downgrade)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn rev_full(
        &self,
        order: usize,
        id: &str,
        down: &[&str],
        labels: &[&str],
        depends: &[&str],
        upgrade: &str,
        downgrade: &str,
    ) -> PathBuf {
        let mut text = format!(
            "-- revision {id}\n--\n-- Revision ID: {id}\n-- Revises: {}\n-- Create Date: 2026-11-21 10:00:00+00:00\n",
            down.join(", ")
        );
        if !labels.is_empty() {
            text.push_str(&format!("-- Branch Labels: {}\n", labels.join(", ")));
        }
        if !depends.is_empty() {
            text.push_str(&format!("-- Depends On: {}\n", depends.join(", ")));
        }
        text.push_str(&format!(
            "\n-- aludel:upgrade\n{upgrade}\n\n-- aludel:downgrade\n{downgrade}\n"
        ));
        let path = self
            .path()
            .join(format!("migrations/versions/{order:04}_{id}.sql"));
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn command(&self, db: &Db, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_aludel"));
        cmd.current_dir(self.path())
            .env_remove("DATABASE_URL")
            .env_remove("ALUDEL_CONFIG")
            .arg("--url")
            .arg(db.url())
            .args(args);
        cmd
    }

    pub fn run(&self, db: &Db, args: &[&str]) -> Output {
        self.command(db, args).output().expect("run aludel")
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, db: &Db, args: &[&str]) -> String {
        let out = self.run(db, args);
        assert!(
            out.status.success(),
            "[{}] aludel {:?} failed:\n{}{}",
            db.dialect(),
            args,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs and asserts exit 1; returns stderr.
    pub fn fails(&self, db: &Db, args: &[&str]) -> String {
        let out = self.run(db, args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "[{}] aludel {:?} should fail:\n{}{}",
            db.dialect(),
            args,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

/// `CREATE TABLE name (id INTEGER PRIMARY KEY)` / its drop.
pub fn create(name: &str) -> String {
    format!("CREATE TABLE {name} (id INTEGER PRIMARY KEY);")
}
pub fn drop(name: &str) -> String {
    format!("DROP TABLE {name};")
}

pub fn strings(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

/// Another connection writing to the SQLite file at `path` (created if missing):
/// it holds the write lock (`BEGIN IMMEDIATE` and a pending INSERT) until dropped.
pub struct SqliteWriteLock {
    release: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SqliteWriteLock {
    /// Returns once the lock is held.
    pub fn hold(path: &Path) -> SqliteWriteLock {
        let path = path.to_path_buf();
        let (locked_tx, locked_rx) = std::sync::mpsc::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            with_sqlite(&path, true, async |conn| {
                sqlx::raw_sql(
                    "CREATE TABLE IF NOT EXISTS other_writer (id INTEGER); BEGIN IMMEDIATE; \
                     INSERT INTO other_writer VALUES (1)",
                )
                .execute(&mut *conn)
                .await
                .expect("take the write lock");
                locked_tx.send(()).expect("report the lock");
                let _ = released.recv();
                sqlx::raw_sql("ROLLBACK")
                    .execute(&mut *conn)
                    .await
                    .expect("rollback");
            })
        });
        locked_rx.recv().expect("the lock is held");
        SqliteWriteLock {
            release: Some(release),
            thread: Some(thread),
        }
    }
}

impl Drop for SqliteWriteLock {
    fn drop(&mut self) {
        self.release.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
