//! Test support for aludel: each test gets its own fresh, empty database on a real
//! PostgreSQL or MariaDB (MySQL protocol) server, dropped again when the test ends.
//!
//! This crate owns creating, inspecting and dropping those per-test databases. It does
//! not start servers (that is `scripts/db.sh`, used by `scripts/test.sh`) and it knows
//! nothing about aludel itself: tests hand [`TestDb::url`] to aludel like a user would.
//!
//! # Environment
//!
//! - `ALUDEL_TEST_POSTGRES_URL`, for example `postgres://aludel@127.0.0.1:5432/postgres`:
//!   an admin URL of a PostgreSQL server (13 or newer) whose user may create and drop
//!   databases.
//! - `ALUDEL_TEST_MYSQL_URL`, for example `mysql://aludel:pw@127.0.0.1:3306/mysql`: the
//!   same for MariaDB or MySQL; the user needs `CREATE`, `DROP` and `PROCESS`/`SUPER`
//!   (to end sessions left on a test database), `GRANT ALL ON *.*` covers it.
//! - `CI`: when it is set (to anything but empty, `0` or `false`), a missing variable
//!   or an unreachable server makes [`TestDb::create`] panic, so the test fails. A
//!   suite that silently skips its database tests proves nothing. Outside CI a missing
//!   variable makes it print a loud `SKIPPED: …` line to stderr and return `None`, so a
//!   developer without servers can still run the rest of the suite.
//!
//! `scripts/test.sh` starts a throw-away server of each kind, exports both variables and
//! runs the whole suite. To run database tests by hand against the same kind of
//! throw-away servers:
//!
//! ```text
//! source scripts/db.sh
//! start_test_databases        # exports ALUDEL_TEST_POSTGRES_URL and ALUDEL_TEST_MYSQL_URL
//! cargo test -p aludel-testdb # or any other cargo test
//! stop_test_databases
//! ```
//!
//! # How it works
//!
//! The API is synchronous so plain `#[test]`s and `#[tokio::test]`s can both use it.
//! All database work runs on one private current-thread tokio runtime on its own thread;
//! the calling thread only waits for the answer, so calling from inside another tokio
//! runtime does not panic. Every call opens its own connection and closes it again:
//! session settings (`SET …`, temporary tables) do not carry over from one call to the
//! next, and no connection of this crate stays open on a test database.
//!
//! [`TestDb::query`] sends the SQL as a plain text query (PostgreSQL's simple query
//! protocol, MySQL's `COM_QUERY`), so every value arrives in the server's own text form
//! and is returned as that string: integers as digits; booleans as `t`/`f` on
//! PostgreSQL and `1`/`0` on MariaDB (where `BOOLEAN` is `TINYINT(1)`); timestamps as
//! `2024-05-01 12:30:00` (PostgreSQL adds `+00` style offsets to `timestamptz` and
//! fractional seconds when there are any); PostgreSQL `bytea` as `\x…` hex; MariaDB
//! binary strings lossily as UTF-8; SQL `NULL` (and MariaDB's zero dates) as `None`.

use std::fmt;
use std::future::Future;
use std::sync::mpsc;
use std::sync::OnceLock;
use std::time::Duration;

use futures_util::StreamExt;
use sqlx::{
    AssertSqlSafe, Connection, Decode, Either, MySql, MySqlConnection, PgConnection, Postgres, Row,
    ValueRef,
};

/// How long creating a database may take before [`TestDb::create`] panics.
const CREATE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long one [`TestDb::query`] or [`TestDb::execute`] may take before it panics
/// (a lock wait in a test then fails the test instead of hanging the suite).
const QUERY_TIMEOUT: Duration = Duration::from_secs(120);
/// How long dropping a database may take before `Drop` gives up with a warning.
const DROP_TIMEOUT: Duration = Duration::from_secs(5);

/// A database server the tests can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    Postgres,
    MySql,
}

impl Server {
    /// Every kind of server, in a fixed order.
    pub const ALL: [Server; 2] = [Server::Postgres, Server::MySql];

    /// The environment variable holding this server's admin URL.
    pub fn env_var(self) -> &'static str {
        match self {
            Server::Postgres => "ALUDEL_TEST_POSTGRES_URL",
            Server::MySql => "ALUDEL_TEST_MYSQL_URL",
        }
    }

    /// The admin URL from the environment, when the variable is set and not empty.
    fn admin_url(self) -> Option<String> {
        std::env::var(self.env_var()).ok().filter(|v| !v.is_empty())
    }
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Server::Postgres => "PostgreSQL",
            Server::MySql => "MySQL/MariaDB",
        })
    }
}

/// A fresh, empty database on a test server, dropped (with everything in it) when this
/// value is dropped.
pub struct TestDb {
    server: Server,
    name: String,
    url: String,
    admin_url: String,
}

impl TestDb {
    /// Creates `t_<random 12 hex>` on the server named by `ALUDEL_TEST_POSTGRES_URL` /
    /// `ALUDEL_TEST_MYSQL_URL`. Returns `None` (after printing a loud `SKIPPED: …` line
    /// to stderr naming the variable and `scripts/test.sh`) when the variable is unset
    /// and the `CI` variable is not set; PANICS with a clear message when `CI` is set
    /// and the variable is unset, and whenever the variable is set but the database
    /// cannot be created (server unreachable, wrong credentials, …).
    pub fn create(server: Server) -> Option<TestDb> {
        let Some(admin_url) = server.admin_url() else {
            if in_ci() {
                panic!(
                    "aludel-testdb: {} is not set but CI is: the {server} tests cannot run. \
                     Run the suite with scripts/test.sh, which starts the servers and sets it.",
                    server.env_var()
                );
            }
            skip_notice(server);
            return None;
        };
        let name = format!("t_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
        let url = with_database(&admin_url, &name).unwrap_or_else(|e| {
            panic!(
                "aludel-testdb: {} = {} is not a usable URL: {e}",
                server.env_var(),
                mask_password(&admin_url)
            )
        });
        let sql = match server {
            Server::Postgres => format!("CREATE DATABASE \"{name}\""),
            Server::MySql => format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4"),
        };
        if let Err(e) = run_on_worker(
            CREATE_TIMEOUT,
            run_sql(server, admin_url.clone(), sql.clone()),
        ) {
            panic!(
                "aludel-testdb: cannot create a test database on the {server} server {} \
                 (from {}): {e}. Is the server running? scripts/test.sh starts one; by hand: \
                 `source scripts/db.sh; start_test_databases`.",
                mask_password(&admin_url),
                server.env_var()
            );
        }
        Some(TestDb {
            server,
            name,
            url,
            admin_url,
        })
    }

    /// URL of the new database (contains the password for MySQL; tests pass it to aludel).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The same URL with another password (for the "wrong password is never shown"
    /// tests). Note that the throw-away PostgreSQL of `scripts/test.sh` trusts every
    /// local connection, so there a wrong password still connects; only MariaDB then
    /// refuses it.
    pub fn url_with_password(&self, password: &str) -> String {
        let mut url = url::Url::parse(&self.url).expect("the URL was parsed when it was made");
        url.set_password(Some(password))
            .expect("a database URL with a host takes a password");
        url.to_string()
    }

    /// Which kind of server the database lives on.
    pub fn server(&self) -> Server {
        self.server
    }

    /// The database's name, `t_` and 12 hex digits.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs SQL (may hold several statements separated by `;`) on the test database and
    /// returns the rows of the LAST statement as strings (NULL as `None`), for assertions
    /// such as `db.query("SELECT version_num FROM aludel_version ORDER BY 1")`. The
    /// strings are the server's own text form of each value (see the crate docs).
    /// Panics, naming the SQL, when the SQL fails.
    pub fn query(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        match run_on_worker(
            QUERY_TIMEOUT,
            run_sql(self.server, self.url.clone(), sql.to_owned()),
        ) {
            Ok(rows) => rows,
            Err(e) => panic!(
                "aludel-testdb: SQL failed on {} database {}: {e}\n--- SQL ---\n{sql}",
                self.server, self.name
            ),
        }
    }

    /// Runs SQL (may hold several statements separated by `;`) without results.
    /// Panics, naming the SQL, when the SQL fails.
    pub fn execute(&self, sql: &str) {
        self.query(sql);
    }

    /// The server's own command-line client (`psql`, or `mariadb`, else `mysql`)
    /// connected to the test database, reading a script on stdin and stopping at
    /// its first error; the password travels in the environment (`PGPASSWORD`,
    /// `MYSQL_PWD`), never on the command line.
    pub fn client(&self) -> std::process::Command {
        let url = url::Url::parse(&self.url).expect("the URL was parsed when it was made");
        let password = url
            .password()
            .map(|p| {
                percent_encoding::percent_decode_str(p)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .unwrap_or_default();
        let host = url.host_str().unwrap_or("127.0.0.1").to_string();
        let user = url.username().to_string();
        let mut cmd;
        match self.server {
            Server::Postgres => {
                cmd = std::process::Command::new("psql");
                cmd.args([
                    "-X",
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-h",
                    &host,
                    "-U",
                    &user,
                ])
                .args(["-p", &url.port().unwrap_or(5432).to_string()])
                .args(["-d", &self.name])
                .env("PGPASSWORD", password);
            }
            Server::MySql => {
                let program = if which("mariadb") { "mariadb" } else { "mysql" };
                cmd = std::process::Command::new(program);
                cmd.args(["--batch", "-h", &host, "-u", &user])
                    .args(["-P", &url.port().unwrap_or(3306).to_string()])
                    .arg(&self.name)
                    .env("MYSQL_PWD", password);
            }
        }
        cmd
    }

    /// Table names (base tables, not views) of the test database's default schema
    /// (`public` on PostgreSQL, the database itself on MariaDB), sorted.
    pub fn tables(&self) -> Vec<String> {
        let sql = match self.server {
            Server::Postgres => {
                "SELECT table_name FROM information_schema.tables \
                 WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            }
            Server::MySql => {
                "SELECT table_name FROM information_schema.tables \
                 WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'"
            }
        };
        let mut names: Vec<String> = self
            .query(sql)
            .into_iter()
            .filter_map(|row| row.into_iter().next().flatten())
            .collect();
        names.sort();
        names
    }
}

impl fmt::Debug for TestDb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestDb")
            .field("server", &self.server)
            .field("name", &self.name)
            .field("url", &mask_password(&self.url))
            .finish()
    }
}

impl Drop for TestDb {
    /// Drops the database, also when the test panicked: first ending every other
    /// session on it, so a connection the test leaked cannot block the drop. Never
    /// panics and never waits longer than a few seconds; on failure it prints a warning.
    fn drop(&mut self) {
        let result = run_on_worker(
            DROP_TIMEOUT,
            drop_database(self.server, self.admin_url.clone(), self.name.clone()),
        );
        if let Err(e) = result {
            loud(&format!(
                "WARNING: aludel-testdb could not drop {} test database {} on {}: {e}",
                self.server,
                self.name,
                mask_password(&self.admin_url)
            ));
        }
    }
}

/// Every server that is available (both in CI), for tests that loop over dialects.
/// Outside CI a server whose variable is unset is left out after a loud `SKIPPED: …`
/// line on stderr; in CI both are returned, so a missing one fails in [`TestDb::create`].
pub fn all_servers() -> Vec<Server> {
    Server::ALL
        .into_iter()
        .filter(|&server| {
            let available = in_ci() || server.admin_url().is_some();
            if !available {
                skip_notice(server);
            }
            available
        })
        .collect()
}

/// Whether `program` is on the PATH.
fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Whether the `CI` variable says this is a CI run.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false" | "FALSE"))
}

fn skip_notice(server: Server) {
    loud(&format!(
        "SKIPPED: {server} database tests: {} is not set. Run scripts/test.sh (starts \
         throw-away servers), or `source scripts/db.sh; start_test_databases` before \
         cargo test. With CI set this is a failure.",
        server.env_var()
    ));
}

/// Writes a line straight to the process's stderr. `eprintln!` inside a test is
/// captured by the test harness and shown only when the test fails; a skip or a
/// database left behind must be seen also when the test passes.
fn loud(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "\n{line}");
}

/// `admin_url` with its database (path) replaced by `name`; query parameters stay.
fn with_database(admin_url: &str, name: &str) -> Result<String, url::ParseError> {
    let mut url = url::Url::parse(admin_url)?;
    if !url.has_host() {
        return Err(url::ParseError::EmptyHost);
    }
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

/// The URL with its password, if any, shown as `***`.
fn mask_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "(unparsable URL)".to_owned(),
    }
}

/// Why work sent to the worker runtime did not give an answer.
#[derive(Debug)]
enum WorkerError {
    Sql(sqlx::Error),
    TimedOut(Duration),
    Panicked,
}

impl fmt::Display for WorkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkerError::Sql(e) => write!(f, "{e}"),
            WorkerError::TimedOut(limit) => write!(f, "no answer within {limit:?}"),
            WorkerError::Panicked => f.write_str("the database task panicked"),
        }
    }
}

/// The private runtime: a current-thread tokio runtime driven by its own thread for the
/// life of the process. Work is spawned onto it through the handle.
fn worker() -> &'static tokio::runtime::Handle {
    static HANDLE: OnceLock<tokio::runtime::Handle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("aludel-testdb: cannot build a tokio runtime");
        let handle = runtime.handle().clone();
        std::thread::Builder::new()
            .name("aludel-testdb".to_owned())
            .spawn(move || runtime.block_on(std::future::pending::<()>()))
            .expect("aludel-testdb: cannot start the runtime thread");
        handle
    })
}

/// Runs `work` on the private runtime and waits for it, at most `limit`.
fn run_on_worker<T, F>(limit: Duration, work: F) -> Result<T, WorkerError>
where
    T: Send + 'static,
    F: Future<Output = Result<T, sqlx::Error>> + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    worker().spawn(async move {
        let outcome = tokio::time::timeout(limit, work).await;
        let _ = tx.send(outcome);
    });
    // The runtime enforces the limit; the extra second only guards against a stuck
    // runtime thread.
    match rx.recv_timeout(limit + Duration::from_secs(1)) {
        Ok(Ok(Ok(value))) => Ok(value),
        Ok(Ok(Err(e))) => Err(WorkerError::Sql(e)),
        Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Timeout) => Err(WorkerError::TimedOut(limit)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(WorkerError::Panicked),
    }
}

type Rows = Vec<Vec<Option<String>>>;

/// Connects to `url`, runs `sql` as one text query and returns the last statement's rows.
async fn run_sql(server: Server, url: String, sql: String) -> Result<Rows, sqlx::Error> {
    match server {
        Server::Postgres => {
            let mut conn = PgConnection::connect(&url).await?;
            let rows = last_statement_rows(&mut conn, sql, pg_cell).await;
            let _ = conn.close().await;
            rows
        }
        Server::MySql => {
            let mut conn = MySqlConnection::connect(&url).await?;
            let rows = last_statement_rows(&mut conn, sql, mysql_cell).await;
            let _ = conn.close().await;
            rows
        }
    }
}

/// Runs `sql` (one or more statements) and keeps the rows of the last statement: the
/// driver reports each statement's rows followed by its result, so every result starts
/// a new, empty set of rows.
async fn last_statement_rows<C, R>(
    conn: &mut C,
    sql: String,
    cell: fn(&R, usize) -> Result<Option<String>, sqlx::Error>,
) -> Result<Rows, sqlx::Error>
where
    R: Row,
    for<'c> &'c mut C: sqlx::Executor<'c, Database = R::Database>,
    R::Database: sqlx::Database<Row = R>,
{
    let mut stream = sqlx::raw_sql(AssertSqlSafe(sql)).fetch_many(conn);
    let mut last = Vec::new();
    let mut current = Vec::new();
    let mut current_is_new = true;
    while let Some(item) = stream.next().await {
        match item? {
            Either::Left(_done) => {
                last = std::mem::take(&mut current);
                current_is_new = true;
            }
            Either::Right(row) => {
                current_is_new = false;
                let cells = (0..row.len())
                    .map(|i| cell(&row, i))
                    .collect::<Result<Vec<_>, _>>()?;
                current.push(cells);
            }
        }
    }
    // Rows after the last result (a driver that does not close the last statement with
    // a result) belong to the last statement.
    if !current_is_new {
        last = current;
    }
    Ok(last)
}

fn decode_error(i: usize, e: sqlx::error::BoxDynError) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: i.to_string(),
        source: e,
    }
}

/// One PostgreSQL value in text form (the simple query protocol sends only text).
fn pg_cell(row: &sqlx::postgres::PgRow, i: usize) -> Result<Option<String>, sqlx::Error> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(None);
    }
    <&str as Decode<Postgres>>::decode(raw)
        .map(|s| Some(s.to_owned()))
        .map_err(|e| decode_error(i, e))
}

/// One MySQL value in text form (`COM_QUERY` sends only text); binary strings that
/// are not UTF-8 are converted lossily.
fn mysql_cell(row: &sqlx::mysql::MySqlRow, i: usize) -> Result<Option<String>, sqlx::Error> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(None);
    }
    <&[u8] as Decode<MySql>>::decode(raw)
        .map(|bytes| Some(String::from_utf8_lossy(bytes).into_owned()))
        .map_err(|e| decode_error(i, e))
}

/// Ends every other session on database `name`, then drops it.
async fn drop_database(server: Server, admin_url: String, name: String) -> Result<(), sqlx::Error> {
    match server {
        Server::Postgres => {
            // WITH (FORCE) (PostgreSQL 13+) terminates the other sessions itself.
            run_sql(
                server,
                admin_url,
                format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            )
            .await?;
        }
        Server::MySql => {
            let sessions = run_sql(
                server,
                admin_url.clone(),
                format!(
                    "SELECT id FROM information_schema.processlist \
                     WHERE db = '{name}' AND id <> CONNECTION_ID()"
                ),
            )
            .await?;
            for id in sessions
                .into_iter()
                .filter_map(|row| row.into_iter().next().flatten())
            {
                // A session may end by itself meanwhile and KILL of a gone id is an
                // error, so each KILL runs alone and its error is ignored.
                let _ = run_sql(server, admin_url.clone(), format!("KILL {id}")).await;
            }
            run_sql(
                server,
                admin_url,
                format!("DROP DATABASE IF EXISTS `{name}`"),
            )
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_replaces_the_path_and_keeps_the_rest() {
        assert_eq!(
            with_database(
                "postgres://aludel@127.0.0.1:5432/postgres",
                "t_0123456789ab"
            )
            .unwrap(),
            "postgres://aludel@127.0.0.1:5432/t_0123456789ab"
        );
        assert_eq!(
            with_database(
                "mysql://u:p%40w@localhost:3306/mysql?ssl-mode=disabled",
                "t_x"
            )
            .unwrap(),
            "mysql://u:p%40w@localhost:3306/t_x?ssl-mode=disabled"
        );
        assert_eq!(
            with_database("mysql://u:p@localhost:3306", "t_x").unwrap(),
            "mysql://u:p@localhost:3306/t_x"
        );
        assert!(with_database("not a url", "t_x").is_err());
    }

    #[test]
    fn passwords_are_masked() {
        assert_eq!(
            mask_password("mysql://aludel:secret@127.0.0.1:3306/mysql"),
            "mysql://aludel:***@127.0.0.1:3306/mysql"
        );
        assert_eq!(
            mask_password("postgres://aludel@127.0.0.1:5432/postgres"),
            "postgres://aludel@127.0.0.1:5432/postgres"
        );
        assert!(!mask_password("nonsense secret").contains("secret"));
    }
}

/// The Python environments scripts/pyenv.sh makes for tests that run Python
/// (model sources, `import-alembic`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Python {
    /// SQLAlchemy 2.x, SQLModel, Alembic, psycopg2 and PyMySQL (`ALUDEL_TEST_PYTHON`).
    Current,
    /// SQLAlchemy 1.4 and an Alembic that runs on it (`ALUDEL_TEST_PYTHON_SA14`).
    SqlAlchemy14,
}

impl Python {
    pub fn env_var(self) -> &'static str {
        match self {
            Python::Current => "ALUDEL_TEST_PYTHON",
            Python::SqlAlchemy14 => "ALUDEL_TEST_PYTHON_SA14",
        }
    }

    /// The interpreter, or `None` (after a loud `SKIPPED: …` line) when its variable
    /// is unset outside CI; PANICS in CI when it is unset or names no file.
    pub fn interpreter(self) -> Option<std::path::PathBuf> {
        let Some(path) = std::env::var_os(self.env_var()).filter(|p| !p.is_empty()) else {
            if in_ci() {
                panic!(
                    "aludel-testdb: {} is not set but CI is: the Python tests cannot run. \
                     Run the suite with scripts/test.sh, which makes the virtualenvs.",
                    self.env_var()
                );
            }
            loud(&format!(
                "SKIPPED: Python tests: {} is not set. Run scripts/test.sh, or \
                 `source scripts/pyenv.sh && ensure_test_python` before cargo test.",
                self.env_var()
            ));
            return None;
        };
        let path = std::path::PathBuf::from(path);
        assert!(
            path.is_file(),
            "aludel-testdb: {} = {} is not a file",
            self.env_var(),
            path.display()
        );
        Some(path)
    }
}
