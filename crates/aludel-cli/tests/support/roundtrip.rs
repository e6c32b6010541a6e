//! The autogenerate round trip, as users (and the hidden corpus) run it: a fresh
//! project (`aludel init migrations`), a base revision that loads the "from"
//! schema and its rows, the "to" schema in schema.sql, then `check` (exit 1),
//! `revision --autogenerate` (standard input closed), `upgrade head`, `check`
//! (exit 0), and the database must equal a fresh load of "to" (described the
//! same, names included) with every row kept; `downgrade -1` must bring back the
//! "from" schema and rows exactly.

#![allow(dead_code)]

use std::process::{Command, Output, Stdio};

use aludel::config::DatabaseUrl;
use aludel::dialect::describe::DescribeScope;
use aludel::dialect::flavour::describe;
use aludel::dialect::{connect, ConnectOptions, TableRef};
use aludel_schema::Schema;

use super::Db;

/// One round trip.
pub struct Case<'a> {
    pub name: &'a str,
    /// The schema before, with the rows to keep (INSERTs).
    pub from: &'a str,
    /// The desired schema.
    pub to: &'a str,
    /// `--rename` hints.
    pub renames: &'a [&'a str],
    /// Queries whose answers must be the same before the upgrade (`.0`, on the
    /// "from" names) and after it (`.1`, on the "to" names); `.0` again after the
    /// downgrade.
    pub rows: &'a [(&'a str, &'a str)],
}

/// `aludel -c aludel.toml --url URL ARGS` in `dir`, standard input closed.
pub fn aludel(dir: &std::path::Path, db: &Db, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aludel"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("ALUDEL_CONFIG")
        .arg("-c")
        .arg("aludel.toml")
        .arg("--url")
        .arg(db.url())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run aludel")
}

/// Requires exit status `code`; returns stdout and stderr.
pub fn expect(out: &Output, code: i32, what: &str) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(code), "{what}:\n{text}");
    text
}

/// The schema of `db` as aludel describes it (its own tables left out).
pub fn schema_of(db: &Db) -> Schema {
    schema_in(db, &[])
}

/// The schema of `db` with the schemas `include_schemas` names besides the
/// default one.
pub fn schema_in(db: &Db, include_schemas: &[&str]) -> Schema {
    described(
        db,
        DescribeScope {
            schemas: include_schemas.iter().map(|s| s.to_string()).collect(),
            own_tables: vec![
                TableRef::new(None, "aludel_version"),
                TableRef::new(None, "aludel_history"),
            ],
            ..DescribeScope::default()
        },
    )
}

/// The schema of `db` as aludel describes it within `scope`.
pub fn described(db: &Db, scope: DescribeScope) -> Schema {
    let url = DatabaseUrl::parse(&db.url()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut conn = connect(&url, &ConnectOptions::default(), &mut |_| {})
            .await
            .unwrap();
        let schema = describe(conn.as_mut(), &scope).await.unwrap();
        conn.close().await;
        schema
    })
}

/// Loads `ddl` statement by statement into `db`.
pub fn load(db: &Db, ddl: &str) {
    let dialect = match db.dialect() {
        "postgresql" => aludel::config::Dialect::Postgres,
        "mysql" => aludel::config::Dialect::MySql,
        _ => aludel::config::Dialect::Sqlite,
    };
    for statement in aludel::sql::split_statements(dialect, ddl) {
        db.execute(&statement.sql);
    }
}

fn answers(db: &Db, queries: &[&str]) -> Vec<Vec<Vec<Option<String>>>> {
    queries.iter().map(|q| db.query(q)).collect()
}

/// Runs the round trip of `case` on `db` (empty), with `fresh` an empty
/// database of the same kind for the fresh load of "to".
pub fn round_trip(case: &Case, db: &Db, fresh: &Db) {
    round_trip_in_schemas(case, &[], db, fresh);
}

/// [`round_trip`] with `include_schemas` set in aludel.toml's `[autogenerate]`
/// (and those schemas compared too).
pub fn round_trip_in_schemas(case: &Case, include_schemas: &[&str], db: &Db, fresh: &Db) {
    let schema_of = |db: &Db| schema_in(db, include_schemas);
    let context = format!("[{}] {}", db.dialect(), case.name);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    expect(&aludel(path, db, &["init", "migrations"]), 0, "init");
    if !include_schemas.is_empty() {
        let config = std::fs::read_to_string(path.join("aludel.toml")).unwrap();
        let list: Vec<String> = include_schemas.iter().map(|s| format!("{s:?}")).collect();
        let setting = format!("[autogenerate]\ninclude_schemas = [{}]\n", list.join(", "));
        assert!(config.contains("[autogenerate]\n"), "{config}");
        let config = config.replacen("[autogenerate]\n", &setting, 1);
        std::fs::write(path.join("aludel.toml"), config).unwrap();
    }
    let base = format!(
        "-- base\n--\n-- Revision ID: base0001\n-- Revises:\n-- Create Date: 2026-12-01 00:00:00+00:00\n\n\
         -- aludel:upgrade\n{}\n\n-- aludel:downgrade\n",
        case.from
    );
    std::fs::write(
        path.join("migrations/versions/0001_base0001_base.sql"),
        base,
    )
    .unwrap();
    expect(
        &aludel(path, db, &["upgrade", "head"]),
        0,
        &format!("{context}: upgrade base"),
    );
    let from_schema = schema_of(db);
    let before: Vec<&str> = case.rows.iter().map(|(b, _)| *b).collect();
    let after: Vec<&str> = case.rows.iter().map(|(_, a)| *a).collect();
    let rows_before = answers(db, &before);

    std::fs::write(path.join("schema.sql"), case.to).unwrap();
    let mut args: Vec<String> = vec![];
    for hint in case.renames {
        args.push("--rename".into());
        args.push(hint.to_string());
    }
    let mut check: Vec<&str> = vec!["check"];
    check.extend(args.iter().map(String::as_str));
    expect(
        &aludel(path, db, &check),
        1,
        &format!("{context}: check before"),
    );
    let mut revision: Vec<&str> = vec!["revision", "--autogenerate", "-m", "change"];
    revision.extend(args.iter().map(String::as_str));
    expect(
        &aludel(path, db, &revision),
        0,
        &format!("{context}: autogenerate"),
    );
    let file = std::fs::read_dir(path.join("migrations/versions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("_change"))
        .expect("the generated file");
    let generated = std::fs::read_to_string(&file).unwrap();
    expect(
        &aludel(path, db, &["upgrade", "head"]),
        0,
        &format!("{context}: upgrade\n{generated}"),
    );
    let text = expect(
        &aludel(path, db, &["check"]),
        0,
        &format!("{context}: check after\n{generated}"),
    );
    assert!(
        text.contains("No new upgrade operations detected."),
        "{context}: {text}"
    );

    load(fresh, case.to);
    assert_eq!(
        schema_of(db),
        schema_of(fresh),
        "{context}: the upgraded schema differs from a fresh load\n{generated}"
    );
    assert_eq!(
        answers(db, &after),
        rows_before,
        "{context}: rows after upgrade\n{generated}"
    );

    expect(
        &aludel(path, db, &["downgrade", "-1"]),
        0,
        &format!("{context}: downgrade\n{generated}"),
    );
    assert_eq!(
        schema_of(db),
        from_schema,
        "{context}: the downgrade does not restore the schema\n{generated}"
    );
    assert_eq!(
        answers(db, &before),
        rows_before,
        "{context}: rows after downgrade\n{generated}"
    );
}
