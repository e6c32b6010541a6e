//! Tests of aludel-testdb against the real servers named by ALUDEL_TEST_POSTGRES_URL and
//! ALUDEL_TEST_MYSQL_URL (scripts/test.sh starts both): databases are separate, values
//! come back as text, and a dropped TestDb leaves no database behind, even when a
//! session is still connected to it or the test panicked.

use aludel_testdb::{all_servers, Server, TestDb};
use sqlx::{Connection, MySqlConnection, PgConnection};

fn cell(s: &str) -> Option<String> {
    Some(s.to_owned())
}

/// Whether database `name` exists, asked through a connection of the test's own to the
/// admin URL (not through aludel-testdb).
async fn database_exists(server: Server, name: &str) -> bool {
    let admin = std::env::var(server.env_var()).expect("the server's URL is set");
    match server {
        Server::Postgres => {
            let mut conn = PgConnection::connect(&admin).await.expect("admin connects");
            let found: Option<String> =
                sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname = $1")
                    .bind(name)
                    .fetch_optional(&mut conn)
                    .await
                    .expect("pg_database is readable");
            found.is_some()
        }
        Server::MySql => {
            let mut conn = MySqlConnection::connect(&admin)
                .await
                .expect("admin connects");
            let found: Option<String> = sqlx::query_scalar(
                "SELECT schema_name FROM information_schema.schemata WHERE schema_name = ?",
            )
            .bind(name)
            .fetch_optional(&mut conn)
            .await
            .expect("information_schema is readable");
            found.is_some()
        }
    }
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

#[test]
fn each_test_database_is_separate_and_is_dropped() {
    for server in all_servers() {
        let a = TestDb::create(server).expect("the server is available");
        let b = TestDb::create(server).expect("the server is available");
        assert_eq!(a.server(), server);
        assert_ne!(a.name(), b.name());
        for db in [&a, &b] {
            assert!(db.name().starts_with("t_"), "{}", db.name());
            assert_eq!(db.name().len(), 14, "{}", db.name());
            assert!(db.url().ends_with(&format!("/{}", db.name())), "{db:?}");
        }
        assert_eq!(a.tables(), Vec::<String>::new());

        a.execute("CREATE TABLE zebra (id INTEGER); CREATE TABLE apple (id INTEGER)");
        b.execute("CREATE TABLE other (id INTEGER)");
        assert_eq!(a.tables(), ["apple", "zebra"]);
        assert_eq!(b.tables(), ["other"]);

        let name = a.name().to_owned();
        assert!(block_on(database_exists(server, &name)));
        drop(a);
        assert!(
            !block_on(database_exists(server, &name)),
            "{server}: {name} remains"
        );
        assert_eq!(b.tables(), ["other"], "dropping one leaves the other alone");
    }
}

#[test]
fn values_of_each_type_come_back_as_text() {
    for server in all_servers() {
        let db = TestDb::create(server).expect("the server is available");
        let (bool_type, timestamp_type) = match server {
            Server::Postgres => ("BOOLEAN", "TIMESTAMP"),
            Server::MySql => ("BOOLEAN", "DATETIME"),
        };
        db.execute(&format!(
            "CREATE TABLE v (t TEXT, vc VARCHAR(20), i INTEGER, big BIGINT, neg INTEGER, \
             b {bool_type}, ts {timestamp_type}, n INTEGER)"
        ));
        db.execute(
            "INSERT INTO v VALUES ('héllo', 'x y', 42, 9000000000, -7, TRUE, \
             '2024-05-01 12:30:00', NULL)",
        );
        let rows = db.query("SELECT t, vc, i, big, neg, b, ts, n FROM v");
        let truth = match server {
            Server::Postgres => "t",
            Server::MySql => "1",
        };
        assert_eq!(
            rows,
            vec![vec![
                cell("héllo"),
                cell("x y"),
                cell("42"),
                cell("9000000000"),
                cell("-7"),
                cell(truth),
                cell("2024-05-01 12:30:00"),
                None,
            ]],
            "{server}"
        );
    }
}

#[test]
fn query_returns_the_rows_of_the_last_statement() {
    for server in all_servers() {
        let db = TestDb::create(server).expect("the server is available");
        let rows = db.query(
            "CREATE TABLE r (n INTEGER); INSERT INTO r VALUES (2), (1); \
             SELECT 'not this'; SELECT n FROM r ORDER BY n",
        );
        assert_eq!(rows, vec![vec![cell("1")], vec![cell("2")]], "{server}");
        assert_eq!(
            db.query("SELECT n FROM r; DELETE FROM r"),
            Vec::<Vec<Option<String>>>::new(),
            "{server}: a last statement without rows gives no rows"
        );
        assert_eq!(
            db.query("SELECT 1 AS a, NULL AS b, 'c' AS c"),
            vec![vec![cell("1"), None, cell("c")]],
            "{server}"
        );
    }
}

#[test]
fn failing_sql_panics_with_the_statement() {
    for server in all_servers() {
        let db = TestDb::create(server).expect("the server is available");
        let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            db.query("SELECT * FROM no_such_table")
        }))
        .expect_err("a missing table is an error");
        let message = panic
            .downcast_ref::<String>()
            .expect("the panic message is a String");
        assert!(message.contains("no_such_table"), "{server}: {message}");
    }
}

#[test]
fn the_database_is_dropped_when_the_test_panics() {
    for server in all_servers() {
        let mut name = String::new();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let db = TestDb::create(server).expect("the server is available");
            name = db.name().to_owned();
            panic!("the test fails while holding {}", db.name());
        }));
        assert!(outcome.is_err());
        assert!(!name.is_empty());
        assert!(
            !block_on(database_exists(server, &name)),
            "{server}: {name} remains"
        );
    }
}

/// Also shows that the synchronous API works from inside a tokio runtime.
#[tokio::test]
async fn drop_ends_sessions_still_connected_to_the_database() {
    for server in all_servers() {
        let db = TestDb::create(server).expect("the server is available");
        db.execute("CREATE TABLE held (id INTEGER)");
        let name = db.name().to_owned();
        // A session that a test forgot, in an open transaction holding a lock.
        let leftover: Box<dyn std::any::Any + Send> = match server {
            Server::Postgres => {
                let mut conn = PgConnection::connect(db.url()).await.expect("connects");
                sqlx::raw_sql("BEGIN; LOCK TABLE held")
                    .execute(&mut conn)
                    .await
                    .expect("locks");
                Box::new(conn)
            }
            Server::MySql => {
                let mut conn = MySqlConnection::connect(db.url()).await.expect("connects");
                sqlx::raw_sql("BEGIN; SELECT * FROM held FOR UPDATE")
                    .execute(&mut conn)
                    .await
                    .expect("locks");
                Box::new(conn)
            }
        };
        drop(db);
        assert!(
            !database_exists(server, &name).await,
            "{server}: {name} remains"
        );
        drop(leftover);
    }
}

#[test]
fn url_with_password_replaces_only_the_password() {
    for server in all_servers() {
        let db = TestDb::create(server).expect("the server is available");
        let wrong = db.url_with_password("wrong-pw");
        assert!(wrong.contains(":wrong-pw@"), "{wrong}");
        assert!(wrong.ends_with(&format!("/{}", db.name())), "{wrong}");
        if server == Server::MySql {
            assert!(
                !db.url().contains("wrong-pw"),
                "the test database's own URL is unchanged"
            );
        }
    }
}
