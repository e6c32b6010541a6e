//! Offline scripts (`--sql`) as their readers use them: piped into the database's
//! own command-line client (`sqlite3`, `psql`, `mariadb`), for every fixture
//! project, upgrade and then downgrade. The client must accept the script as it is,
//! and leave the database where an online run leaves it: the same version rows,
//! tables and routine results; the downgrade script must empty it again.

mod support;

use std::path::Path;

use support::{Db, Project};

/// Runs aludel in `dir` against `db`'s URL (offline commands never connect).
fn aludel(dir: &Path, db: &Db, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aludel"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("ALUDEL_CONFIG")
        .arg("--url")
        .arg(db.url())
        .args(args)
        .output()
        .expect("run aludel");
    assert!(
        out.status.success(),
        "[{}] aludel {args:?} failed:\n{}",
        db.dialect(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Upgrades one fresh database with the offline script through the client and
/// another online, compares them (`probes` are queries whose answers must agree),
/// then downgrades the first to base with offline scripts, head by head.
fn check_fixture(name: &str, dir: &Path, make_db: impl Fn() -> Option<Db>, probes: &[&str]) {
    let (Some(offline), Some(online)) = (make_db(), make_db()) else {
        return;
    };
    let script = aludel(dir, &offline, &["upgrade", "heads", "--sql"]);
    offline.run_script(&script);
    aludel(dir, &online, &["upgrade", "heads"]);
    let context = format!("[{}] fixture {name}", offline.dialect());
    assert!(!online.version_rows().is_empty(), "{context}: nothing ran");
    assert_eq!(offline.version_rows(), online.version_rows(), "{context}");
    assert_eq!(offline.user_tables(), online.user_tables(), "{context}");
    for probe in probes {
        assert_eq!(
            offline.query(probe),
            online.query(probe),
            "{context}: {probe}"
        );
    }

    for _ in 0..10 {
        let Some(head) = offline.version_rows().into_iter().next() else {
            break;
        };
        let range = format!("{head}:base");
        let script = aludel(dir, &offline, &["downgrade", &range, "--sql"]);
        offline.run_script(&script);
    }
    assert_eq!(offline.version_rows(), Vec::<String>::new(), "{context}");
    assert_eq!(offline.user_tables(), Vec::<String>::new(), "{context}");
}

fn server(server: aludel_testdb::Server) -> impl Fn() -> Option<Db> {
    move || Db::server(server)
}

/// Every dialect's maker of fresh databases.
fn every_dialect() -> Vec<Box<dyn Fn() -> Option<Db>>> {
    vec![
        Box::new(|| Some(Db::sqlite())),
        Box::new(server(aludel_testdb::Server::Postgres)),
        Box::new(server(aludel_testdb::Server::MySql)),
    ]
}

/// A copy of a fixture folder's migrations with an aludel.toml of our own.
fn copy_project(migrations: &Path) -> Project {
    let p = Project::new("");
    let versions = migrations.join("versions");
    for entry in std::fs::read_dir(&versions).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            p.path()
                .join("migrations/versions")
                .join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    p
}

#[test]
fn bundled_fixtures_through_every_client() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let fixtures = [
        (
            "alembic",
            root.join("crates/aludel/tests/fixtures/alembic/migrations"),
        ),
        ("examples/shop", root.join("examples/shop/migrations")),
    ];
    for (name, migrations) in fixtures {
        let p = copy_project(&migrations);
        for make_db in every_dialect() {
            check_fixture(name, p.path(), make_db, &[]);
        }
    }
}

/// MySQL routines: procedures, a function and a trigger whose bodies hold `;`,
/// one written with `DELIMITER //` in its file, strings holding `;`, `$$` and
/// `//`, a `transaction=false` section calling a procedure.
#[test]
fn mysql_routines_through_the_client() {
    let p = Project::new("");
    p.rev(
        1,
        "r1",
        &[],
        "CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL, note VARCHAR(100));\n\
         CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(100));\n\
         INSERT INTO accounts VALUES (1, 10, 'a;b $$ // @@');",
        "DROP TABLE audit;\nDROP TABLE accounts;",
    );
    p.rev(
        2,
        "r2",
        &["r1"],
        "CREATE PROCEDURE deposit(acc INT, amount INT)\nBEGIN\n  \
           UPDATE accounts SET balance = balance + amount WHERE id = acc;\n  \
           INSERT INTO audit (what) VALUES (CONCAT('deposit;', amount));\nEND;\n\n\
         CREATE FUNCTION doubled(x INT) RETURNS INT DETERMINISTIC\nBEGIN\n  \
           DECLARE y INT;\n  SET y = x * 2;\n  RETURN y;\nEND;\n\n\
         CREATE TRIGGER accounts_bi BEFORE INSERT ON accounts FOR EACH ROW\nBEGIN\n  \
           IF NEW.balance < 0 THEN\n    SET NEW.balance = 0;\n  END IF;\nEND;",
        "DROP TRIGGER accounts_bi;\nDROP FUNCTION doubled;\nDROP PROCEDURE deposit;",
    );
    p.rev(
        3,
        "r3",
        &["r2"],
        "DELIMITER //\n\
         CREATE PROCEDURE note_it(t VARCHAR(100))\nBEGIN\n  \
           INSERT INTO audit (what) VALUES (CONCAT('$$;', t));\n  \
           INSERT INTO audit (what) VALUES ('two');\nEND//\n\
         DELIMITER ;\n\
         INSERT INTO accounts VALUES (2, -5, 'clamped by the trigger');",
        "DELETE FROM accounts WHERE id = 2;\nDROP PROCEDURE note_it;",
    );
    p.rev(
        4,
        "r4",
        &["r3"],
        "CALL deposit(1, 5);\nCALL note_it('x');",
        "DELETE FROM audit;\nUPDATE accounts SET balance = balance - 5 WHERE id = 1;",
    );
    let section = p.path().join("migrations/versions/0004_r4.sql");
    let text = std::fs::read_to_string(&section).unwrap();
    std::fs::write(
        &section,
        text.replace("-- aludel:upgrade", "-- aludel:upgrade transaction=false"),
    )
    .unwrap();
    check_fixture(
        "mysql routines",
        p.path(),
        server(aludel_testdb::Server::MySql),
        &[
            "SELECT id, balance, note FROM accounts ORDER BY id",
            "SELECT what FROM audit ORDER BY id",
            "SELECT doubled(21)",
        ],
    );
}

/// PostgreSQL: a PL/pgSQL function and trigger, a `DO` block, a rule whose action
/// list holds `;` in parentheses, `CREATE INDEX CONCURRENTLY` outside the
/// transaction.
#[test]
fn postgresql_routines_through_the_client() {
    let p = Project::new("");
    p.rev(
        1,
        "r1",
        &[],
        "CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL, note TEXT);\n\
         CREATE TABLE audit (id SERIAL PRIMARY KEY, what TEXT);\n\
         CREATE FUNCTION clamp() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  \
           IF NEW.balance < 0 THEN NEW.balance := 0; END IF;\n  RETURN NEW;\nEND;\n$$;\n\
         CREATE TRIGGER accounts_bi BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION clamp();\n\
         CREATE RULE audit_accounts AS ON UPDATE TO accounts DO ALSO \
           (INSERT INTO audit (what) VALUES ('update;1'); INSERT INTO audit (what) VALUES ('update;2'));\n\
         DO $body$ BEGIN INSERT INTO accounts VALUES (1, -3, 'a;b $$'); END $body$;\n\
         UPDATE accounts SET note = 'c;d' WHERE id = 1;",
        "DROP TABLE accounts;\nDROP TABLE audit;\nDROP FUNCTION clamp();",
    );
    p.rev(
        2,
        "r2",
        &["r1"],
        "CREATE INDEX CONCURRENTLY accounts_note ON accounts (note);",
        "DROP INDEX CONCURRENTLY accounts_note;",
    );
    let section = p.path().join("migrations/versions/0002_r2.sql");
    let text = std::fs::read_to_string(&section).unwrap();
    std::fs::write(
        &section,
        text.replace("-- aludel:upgrade", "-- aludel:upgrade transaction=false")
            .replace(
                "-- aludel:downgrade",
                "-- aludel:downgrade transaction=false",
            ),
    )
    .unwrap();
    check_fixture(
        "postgresql routines",
        p.path(),
        server(aludel_testdb::Server::Postgres),
        &[
            "SELECT id, balance, note FROM accounts ORDER BY id",
            "SELECT what FROM audit ORDER BY id",
            "SELECT indexname FROM pg_indexes WHERE tablename = 'accounts' ORDER BY 1",
        ],
    );
}

/// SQLite: a trigger whose body holds several statements.
#[test]
fn sqlite_trigger_through_the_client() {
    let p = Project::new("");
    p.rev(
        1,
        "r1",
        &[],
        "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL, note TEXT);\n\
         CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT);\n\
         CREATE TRIGGER accounts_ai AFTER INSERT ON accounts BEGIN\n  \
           INSERT INTO audit (what) VALUES ('insert;' || NEW.id);\n  \
           UPDATE accounts SET balance = MAX(balance, 0) WHERE id = NEW.id;\nEND;\n\
         INSERT INTO accounts VALUES (1, -3, 'a;b');",
        "DROP TRIGGER accounts_ai;\nDROP TABLE audit;\nDROP TABLE accounts;",
    );
    check_fixture(
        "sqlite trigger",
        p.path(),
        || Some(Db::sqlite()),
        &[
            "SELECT id, balance, note FROM accounts ORDER BY id",
            "SELECT what FROM audit ORDER BY id",
        ],
    );
}
