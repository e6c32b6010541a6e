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
