//! SQLAlchemy models as the desired schema, judged by SQLAlchemy and Alembic
//! themselves (`models_judge.py`, run with the tests' virtualenv): what
//! `metadata.create_all()` gives on an empty database, and whether Alembic's own
//! comparison finds anything left between a database and the models.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use aludel_schema::Schema;

use super::Db;

const JUDGE: &str = include_str!("models_judge.py");

/// The tests' Python (SQLAlchemy 2.x, SQLModel, Alembic, drivers), or `None`
/// outside CI when scripts/pyenv.sh was not run.
pub fn python() -> Option<PathBuf> {
    aludel_testdb::Python::Current.interpreter()
}

/// The URL of `db` in SQLAlchemy's form, with the drivers the virtualenv has.
pub fn sqlalchemy_url(db: &Db) -> String {
    let url = db.url();
    match db.dialect() {
        "postgresql" => url.replacen("postgres://", "postgresql+psycopg2://", 1),
        "mysql" => {
            let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
            format!("mysql+pymysql://{rest}")
        }
        _ => url,
    }
}

fn judge(python: &Path, dir: &Path, command: &str, target: &str, db: &Db) -> String {
    let out = Command::new(python)
        .arg("-c")
        .arg(JUDGE)
        .arg(command)
        .arg(target)
        .arg(sqlalchemy_url(db))
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run the judge");
    assert!(
        out.status.success(),
        "[{}] models_judge {command} {target} failed:\n{}",
        db.dialect(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `metadata.create_all()` of `target` (`module:Attr`, importable from `dir`) on
/// the empty database `db`.
pub fn create_all(python: &Path, dir: &Path, target: &str, db: &Db) {
    judge(python, dir, "create_all", target, db);
}

/// What Alembic's `compare_metadata` finds between `db` and the models of
/// `target`: one line per difference.
pub fn alembic_differences(python: &Path, dir: &Path, target: &str, db: &Db) -> Vec<String> {
    judge(python, dir, "compare", target, db)
        .lines()
        .map(str::to_string)
        .collect()
}

/// `schema` with each table's columns by name where a new column can only be
/// appended (PostgreSQL, SQLite: docs/autogenerate.md, known limits), so a column
/// added in the middle of a model compares equal with `create_all()`; MariaDB
/// places it (`AFTER`), so the order is compared there.
pub fn in_comparable_order(db: &Db, mut schema: Schema) -> Schema {
    if !db.is_mysql() {
        for table in &mut schema.tables {
            table.columns.sort_by(|a, b| a.name.cmp(&b.name));
        }
    }
    schema
}
