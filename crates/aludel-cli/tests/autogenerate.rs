//! Autogenerate round trips on every dialect (support/roundtrip.rs): for each
//! change kind, from a schema with rows to another, through `check`,
//! `revision --autogenerate`, `upgrade`, `check`, `downgrade`.

mod support;

use aludel_testdb::Server;
use support::roundtrip::{round_trip, Case};
use support::Db;

/// Runs `case` on SQLite and on every server available.
fn everywhere(case: &Case) {
    round_trip(case, &Db::sqlite(), &Db::sqlite());
    for server in [Server::Postgres, Server::MySql] {
        if let (Some(db), Some(fresh)) = (Db::server(server), Db::server(server)) {
            round_trip(case, &db, &fresh);
        }
    }
}

#[test]
fn tables_created_and_dropped() {
    everywhere(&Case {
        name: "tables created and dropped",
        from: "CREATE TABLE gone (id INTEGER PRIMARY KEY, note VARCHAR(20));\n\
               CREATE TABLE kept (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);\n\
               INSERT INTO gone VALUES (1, 'x');\nINSERT INTO kept VALUES (1, 'ann'), (2, 'bob');",
        to: "CREATE TABLE kept (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);\n\
             CREATE TABLE added (id INTEGER PRIMARY KEY, kept_id INTEGER REFERENCES kept (id));\n\
             CREATE INDEX added_kept ON added (kept_id);",
        renames: &[],
        rows: &[(
            "SELECT id, name FROM kept ORDER BY id",
            "SELECT id, name FROM kept ORDER BY id",
        )],
    });
}

#[test]
fn a_column_renamed_and_one_added() {
    everywhere(&Case {
        name: "column renamed and added",
        from: "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50));\n\
               INSERT INTO users VALUES (1, 'ann'), (2, NULL);",
        to: "CREATE TABLE users (id INTEGER PRIMARY KEY, full_name VARCHAR(50), age INTEGER);",
        renames: &["users.name=users.full_name"],
        rows: &[(
            "SELECT id, name FROM users ORDER BY id",
            "SELECT id, full_name FROM users ORDER BY id",
        )],
    });
}

/// Ctrl-C while the desired schema loads: the shadow database is dropped before
/// the process ends, and nothing is written. (The run's connections carry an
/// application name of their own, so its shadow database is told from those of
/// tests running at the same time.)
#[test]
fn an_interrupted_check_drops_its_shadow_database() {
    let Some(db) = Db::server(Server::Postgres) else {
        return;
    };
    let tag = format!("ctrlc{}", std::process::id());
    let ours = |db: &Db| {
        db.column(&format!(
            "SELECT DISTINCT datname FROM pg_stat_activity \
             WHERE application_name = '{tag}' AND datname LIKE 'aludel\\_shadow\\_%'"
        ))
    };
    let p = support::Project::new("");
    std::fs::write(
        p.path().join("schema.sql"),
        "CREATE TABLE t (id INTEGER);\nSELECT pg_sleep(60);\n",
    )
    .unwrap();
    let url = format!("{}?application_name={tag}", db.url());
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_aludel"))
        .current_dir(p.path())
        .env_remove("DATABASE_URL")
        .args(["--url", &url, "check"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let shadow = loop {
        if let Some(name) = ours(&db).into_iter().next() {
            break name;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "no shadow database appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Interrupted: nothing was written"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left = db.column(&format!(
        "SELECT count(*) FROM pg_database WHERE datname = '{shadow}'"
    ));
    assert_eq!(left, ["0"], "the shadow database {shadow} outlived Ctrl-C");
}
