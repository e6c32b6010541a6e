//! A database migrated by real Alembic (fixtures in crates/aludel/tests/fixtures/alembic,
//! made by Alembic 1.20.1) is continued by aludel with `version_table = "alembic_version"`.

mod support;

use std::path::{Path, PathBuf};

use aludel_testdb::Server;
use support::{strings, Db};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../aludel/tests/fixtures/alembic")
}

/// A copy of the fixture's aludel project (aludel.toml + migrations/) in a temp dir.
fn project_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture().join("aludel.toml"),
        dir.path().join("aludel.toml"),
    )
    .unwrap();
    let versions = dir.path().join("migrations/versions");
    std::fs::create_dir_all(&versions).unwrap();
    for entry in std::fs::read_dir(fixture().join("migrations/versions")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), versions.join(entry.file_name())).unwrap();
    }
    dir
}

fn aludel(dir: &Path, url: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aludel"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .args(["--url", url])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "aludel {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn continue_from_alembic(db: &Db, project: &Path) {
    let url = db.url();
    let d = db.dialect();
    assert_eq!(
        db.version_rows_of("alembic_version"),
        strings(&["3c9e5f1a4b33"]),
        "{d}"
    );
    assert_eq!(
        aludel(project, &url, &["current"]),
        "3c9e5f1a4b33\n",
        "{d}: aludel reads Alembic's table"
    );
    aludel(project, &url, &["upgrade", "head"]);
    assert_eq!(
        db.version_rows_of("alembic_version"),
        strings(&["5e8b3c9d6f55"]),
        "{d}"
    );
    let tables = db.user_tables();
    for t in ["users", "orders", "payments", "alembic_version"] {
        assert!(tables.iter().any(|x| x == t), "{d}: {t} in {tables:?}");
    }
    // Only the two new revisions ran; going back past them works too.
    let history = db.history();
    assert_eq!(history.len(), 2, "{d}: {history:?}");
    aludel(project, &url, &["downgrade", "3c9e5f1a4b33"]);
    assert_eq!(
        db.version_rows_of("alembic_version"),
        strings(&["3c9e5f1a4b33"]),
        "{d}"
    );
    assert!(!db.user_tables().iter().any(|t| t == "payments"), "{d}");
}

#[test]
fn sqlite_database_migrated_by_alembic_is_continued() {
    let project = project_copy();
    let db = Db::sqlite();
    let Db::Sqlite { path, .. } = &db else {
        unreachable!()
    };
    std::fs::copy(fixture().join("alembic_sqlite.db"), path).unwrap();
    continue_from_alembic(&db, project.path());
}

#[test]
fn server_databases_migrated_by_alembic_are_continued() {
    for (server, script) in [
        (Server::Postgres, "alembic_postgresql.sql"),
        (Server::MySql, "alembic_mysql.sql"),
    ] {
        let Some(db) = Db::server(server) else {
            continue;
        };
        let sql = std::fs::read_to_string(fixture().join(script)).unwrap();
        let Db::Server(t) = &db else { unreachable!() };
        t.execute(&sql);
        let project = project_copy();
        continue_from_alembic(&db, project.path());
    }
}
