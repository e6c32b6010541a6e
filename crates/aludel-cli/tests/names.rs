//! Unusual names against real SQLite, PostgreSQL and MariaDB: reserved words, mixed
//! case and non-ASCII letters as the version table and its schema (online, and as
//! `--sql` scripts applied with the real clients `psql`, `mariadb` and `sqlite3`), the
//! names aludel refuses before touching a database (the history table's name, names
//! over the database's limit), and revision ids that could never be addressed.

mod support;

use aludel_testdb::Server;
use support::{create, drop, strings, Db, Project};

/// The names every dialect must handle as a version table (and, where the test can
/// create one, as its schema): reserved words, `user` (reserved on PostgreSQL only),
/// a mixed-case and a non-ASCII name.
const NAMES: [&str; 5] = ["select", "order", "user", "Versions", "versión"];

/// `name` quoted for hand-written SQL on `db`.
fn q(db: &Db, name: &str) -> String {
    if db.is_mysql() {
        format!("`{name}`")
    } else {
        format!("\"{name}\"")
    }
}

fn two_revisions(p: &Project) {
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    p.rev(2, "b", &["a"], &create("tb"), &drop("tb"));
}

/// Upgrade, current, downgrade with the version table `table` (in `schema`), checking
/// the rows in the table under exactly that name.
fn round_trip(db: &Db, p: &Project, table: &str, schema: Option<&str>) {
    let d = db.dialect();
    let qualified = match schema {
        Some(s) => format!("{}.{}", q(db, s), q(db, table)),
        None => q(db, table),
    };
    p.ok(db, &["upgrade", "head"]);
    assert_eq!(
        db.column(&format!("SELECT version_num FROM {qualified}")),
        strings(&["b"]),
        "{d} {qualified}"
    );
    assert_eq!(p.ok(db, &["current"]), "b (head)\n", "{d} {qualified}");
    p.ok(db, &["downgrade", "a"]);
    assert_eq!(
        db.column(&format!("SELECT version_num FROM {qualified}")),
        strings(&["a"]),
        "{d} {qualified}"
    );
    p.ok(db, &["downgrade", "base"]);
    assert!(
        db.column(&format!("SELECT version_num FROM {qualified}"))
            .is_empty(),
        "{d} {qualified}"
    );
    let named = match schema {
        Some(s) => format!("{s}.{table}"),
        None => table.to_string(),
    };
    assert_eq!(
        p.ok(db, &["current"]),
        format!("No revision applied (the version table {named} is empty or missing)\n"),
        "{d} {qualified}"
    );
}

#[test]
fn reserved_mixed_case_and_unicode_version_table_names_work_online() {
    for db in Db::all() {
        for name in NAMES {
            let p = Project::new(&format!("version_table = \"{name}\""));
            two_revisions(&p);
            round_trip(&db, &p, name, None);
            assert!(db.has_table(name), "{} {name}", db.dialect());
        }
        assert!(db.has_table("aludel_history"), "{}", db.dialect());
        assert!(!db.has_table("aludel_version"), "{}", db.dialect());
    }
}

#[test]
fn reserved_mixed_case_and_unicode_schema_names_work_online_on_postgres() {
    let Some(db) = Db::server(Server::Postgres) else {
        return;
    };
    for schema in NAMES {
        db.query(&format!("CREATE SCHEMA \"{schema}\""));
        let table = if schema == "user" { "select" } else { "user" };
        let p = Project::new(&format!(
            "version_table = \"{table}\"\nversion_table_schema = \"{schema}\""
        ));
        two_revisions(&p);
        round_trip(&db, &p, table, Some(schema));
        let in_schema = db.column(&format!(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = '{schema}'"
        ));
        assert_eq!(in_schema, strings(&["aludel_history", table]), "{schema}");
    }
}

/// A database of its own on the MariaDB server (a MariaDB schema), dropped at the end.
struct MariaDbSchema<'a> {
    db: &'a Db,
    name: String,
}

impl Drop for MariaDbSchema<'_> {
    fn drop(&mut self) {
        self.db
            .query(&format!("DROP DATABASE IF EXISTS `{}`", self.name));
    }
}

#[test]
fn mixed_case_and_unicode_schema_names_work_online_on_mariadb() {
    let Some(db) = Db::server(Server::MySql) else {
        return;
    };
    // A MariaDB schema is a database of the server, shared by every test run: the
    // names are unique, so reserved words (which cannot be) are covered as tables.
    let suffix = &uuid_like();
    for base in ["Meta_", "esquemá_"] {
        let schema = MariaDbSchema {
            db: &db,
            name: format!("{base}{suffix}"),
        };
        db.query(&format!("CREATE DATABASE `{}`", schema.name));
        let p = Project::new(&format!(
            "version_table = \"order\"\nversion_table_schema = \"{}\"",
            schema.name
        ));
        two_revisions(&p);
        round_trip(&db, &p, "order", Some(&schema.name));
        let in_schema = db.column(&format!(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = '{}'",
            schema.name
        ));
        assert_eq!(in_schema, strings(&["aludel_history", "order"]));
    }
}

/// 12 hex digits from the clock and the process id (no extra dependency).
fn uuid_like() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{:012x}",
        (nanos ^ (u128::from(std::process::id()) << 40)) & 0xffff_ffff_ffff
    )
}

#[test]
fn offline_scripts_with_unusual_names_apply_with_the_real_clients() {
    for db in Db::all() {
        let d = db.dialect();
        for name in NAMES {
            let p = Project::new(&format!("version_table = \"{name}\""));
            two_revisions(&p);
            let up = p.ok(&db, &["upgrade", "head", "--sql"]);
            db.run_script(&up);
            assert!(db.has_table(name), "{d} {name}");
            assert_eq!(
                db.column(&format!("SELECT version_num FROM {}", q(&db, name))),
                strings(&["b"]),
                "{d} {name}"
            );
            // The online commands read what the script wrote.
            assert_eq!(p.ok(&db, &["current"]), "b (head)\n", "{d} {name}");
            let down = p.ok(&db, &["downgrade", "b:base", "--sql"]);
            db.run_script(&down);
            assert!(
                db.column(&format!("SELECT version_num FROM {}", q(&db, name)))
                    .is_empty(),
                "{d} {name}"
            );
            assert!(!db.has_table("ta"), "{d} {name}");
        }
    }
}

#[test]
fn offline_scripts_with_unusual_schema_names_apply_with_psql() {
    let Some(db) = Db::server(Server::Postgres) else {
        return;
    };
    for schema in NAMES {
        db.query(&format!("CREATE SCHEMA \"{schema}\""));
        let p = Project::new(&format!(
            "version_table = \"select\"\nversion_table_schema = \"{schema}\""
        ));
        two_revisions(&p);
        db.run_script(&p.ok(&db, &["upgrade", "head", "--sql"]));
        assert_eq!(
            db.column(&format!("SELECT version_num FROM \"{schema}\".\"select\"")),
            strings(&["b"]),
            "{schema}"
        );
        assert_eq!(p.ok(&db, &["current"]), "b (head)\n", "{schema}");
        db.run_script(&p.ok(&db, &["downgrade", "b:base", "--sql"]));
        assert!(db
            .column(&format!("SELECT version_num FROM \"{schema}\".\"select\""))
            .is_empty());
    }
}

#[test]
fn ordinary_names_are_printed_bare_as_alembic_prints_them() {
    let db = Db::sqlite();
    let p = Project::new("version_table = \"alembic_version\"");
    p.rev(1, "abc", &[], "SELECT 1;", "");
    for dialect in ["postgresql", "mysql", "sqlite"] {
        let script = p.ok(&db, &["upgrade", "abc", "--sql", "--dialect", dialect]);
        assert!(
            script.contains("CREATE TABLE alembic_version (\n")
                && script.contains("CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)")
                && script.contains("INSERT INTO alembic_version (version_num) VALUES ('abc');"),
            "{dialect}: {script}"
        );
    }
    let p = Project::new("version_table = \"user\"");
    p.rev(1, "abc", &[], "SELECT 1;", "");
    let script = p.ok(&db, &["upgrade", "abc", "--sql", "--dialect", "postgresql"]);
    assert!(
        script.contains("CREATE TABLE \"user\" (\n")
            && script.contains("CONSTRAINT user_pkc PRIMARY KEY (version_num)")
            && script.contains("INSERT INTO \"user\" (version_num) VALUES ('abc');"),
        "{script}"
    );
    let script = p.ok(&db, &["upgrade", "abc", "--sql", "--dialect", "mysql"]);
    assert!(
        script.contains("INSERT INTO user (version_num) VALUES ('abc');"),
        "{script}"
    );
}

/// Runs with `--url` and asserts exit 1 and that nothing was created; returns stderr.
fn refused(db: &Db, p: &Project, args: &[&str]) -> String {
    let err = p.fails(db, args);
    match db {
        // Not even the database file.
        Db::Sqlite { path, .. } => assert!(!path.exists(), "{err}"),
        Db::Server(_) => {
            assert!(db.user_tables().is_empty(), "{}: {err}", db.dialect());
            assert!(!db.has_table("aludel_history"), "{}: {err}", db.dialect());
        }
    }
    err
}

#[test]
fn the_history_table_name_is_refused_as_version_table_before_anything_is_created() {
    for db in Db::all() {
        for name in ["aludel_history", "Aludel_History"] {
            let p = Project::new(&format!("version_table = \"{name}\""));
            two_revisions(&p);
            let expected = format!(
                "error: aludel.toml: key 'version_table' in [aludel]: '{name}' is the name of \
                 aludel's history table, which aludel creates next to the version table\n  \
                 hint: choose another version_table, such as \"aludel_version\"\n"
            );
            for args in [
                &["upgrade", "head"][..],
                &["current"],
                &["stamp", "a"],
                &["ensure-version"],
                &["upgrade", "head", "--sql"],
            ] {
                assert_eq!(
                    refused(&db, &p, args),
                    expected,
                    "{} {args:?}",
                    db.dialect()
                );
            }
        }
    }
}

#[test]
fn names_over_the_database_limit_are_refused_with_the_limit_named() {
    for db in Db::all() {
        let d = db.dialect();
        let (longest, unit, limit) = match d {
            "postgresql" => (59, "bytes", "PostgreSQL allows 63 bytes in a name"),
            "mysql" => (
                60,
                "characters",
                "MySQL/MariaDB allows 64 characters in a name",
            ),
            _ => (300, "", ""),
        };
        // The longest name that fits works, primary key included.
        let fits = "v".repeat(longest);
        let p = Project::new(&format!("version_table = \"{fits}\""));
        two_revisions(&p);
        p.ok(&db, &["upgrade", "head"]);
        assert_eq!(db.version_rows_of(&fits), strings(&["b"]), "{d}");
        p.ok(&db, &["downgrade", "base"]);
        if d == "sqlite" {
            continue;
        }
        db.query(&format!("DROP TABLE {fits}"));
        db.query("DROP TABLE aludel_history");

        let long = "v".repeat(longest + 1);
        let p = Project::new(&format!("version_table = \"{long}\""));
        two_revisions(&p);
        let expected = format!(
            "error: aludel.toml: key 'version_table' in [aludel]: '{long}' is {} {unit} long; \
             {limit}, and aludel also names the table's primary key '{long}_pkc', so the version \
             table's name may have at most {longest} {unit}\n  \
             hint: choose a version_table of at most {longest} {unit}\n",
            longest + 1
        );
        assert_eq!(refused(&db, &p, &["upgrade", "head"]), expected, "{d}");
        assert_eq!(
            refused(&db, &p, &["upgrade", "head", "--sql"]),
            expected,
            "{d}"
        );
        let offline = p.fails(&Db::sqlite(), &["upgrade", "head", "--sql", "--dialect", d]);
        assert_eq!(offline, expected, "{d}");

        let schema = "s".repeat(longest + 5);
        let p = Project::new(&format!("version_table_schema = \"{schema}\""));
        two_revisions(&p);
        let expected = format!(
            "error: aludel.toml: key 'version_table_schema' in [aludel]: '{schema}' is {} {unit} \
             long; {}\n  hint: choose a version_table_schema of at most {} {unit}\n",
            longest + 5,
            limit.replace("allows", "allows at most"),
            longest + 4
        );
        assert_eq!(refused(&db, &p, &["upgrade", "head"]), expected, "{d}");
    }
    // PostgreSQL counts bytes: 30 two-byte letters are 60 bytes.
    let db = Db::sqlite();
    let p = Project::new(&format!("version_table = \"{}\"", "é".repeat(30)));
    let err = p.fails(
        &db,
        &["upgrade", "head", "--sql", "--dialect", "postgresql"],
    );
    assert!(err.contains("is 60 bytes long"), "{err}");
    let p = Project::new(&format!("version_table = \"{}\"", "é".repeat(60)));
    p.rev(1, "a", &[], "SELECT 1;", "");
    p.ok(&db, &["upgrade", "head", "--sql", "--dialect", "mysql"]);
}

#[test]
fn sqlite_internal_table_names_are_refused() {
    let db = Db::sqlite();
    let p = Project::new("version_table = \"sqlite_versions\"");
    two_revisions(&p);
    assert_eq!(
        refused(&db, &p, &["upgrade", "head"]),
        "error: aludel.toml: key 'version_table' in [aludel]: 'sqlite_versions' starts with \
         'sqlite_', which SQLite reserves for its own tables\n  \
         hint: choose a version_table that does not start with 'sqlite_'\n"
    );
}

const SYMBOLIC_HINT: &str = "  hint: 'head', 'heads', 'base' and 'current' name positions in the \
     revision graph, so a revision with that id could never be addressed; choose another id\n";

#[test]
fn symbolic_names_are_refused_as_rev_id_before_writing_a_file() {
    let db = Db::sqlite();
    // A 255-character id would not fit in a file name with the default template.
    let p = Project::new("file_template = \"{slug}\"");
    for id in ["head", "heads", "base", "current"] {
        for command in [&["revision", "-m", "x"][..], &["merge", "-m", "x", "heads"]] {
            let mut args = command.to_vec();
            args.extend(["--rev-id", id]);
            let err = p.fails(&db, &args);
            assert_eq!(
                err,
                format!("error: revision identifier '{id}' is a reserved name\n{SYMBOLIC_HINT}"),
                "{args:?}"
            );
        }
    }
    let long = "a".repeat(256);
    assert_eq!(
        p.fails(&db, &["revision", "-m", "x", "--rev-id", &long]),
        format!(
            "error: revision identifier '{long}' is 256 characters long; the version table holds \
             at most 255\n  hint: choose an id of at most 255 characters\n"
        )
    );
    let versions = p.path().join("migrations/versions");
    assert_eq!(std::fs::read_dir(versions).unwrap().count(), 0);
    // The longest id that fits is accepted, and runs.
    let fits = "a".repeat(255);
    p.ok(&db, &["revision", "-m", "x", "--rev-id", &fits]);
    p.ok(&db, &["upgrade", "head"]);
    assert_eq!(db.version_rows(), strings(&[&fits]));
}

#[test]
fn symbolic_and_over_long_ids_in_a_file_header_are_load_errors_naming_file_and_line() {
    let db = Db::sqlite();
    let p = Project::new("");
    p.rev(1, "a", &[], "SELECT 1;", "");
    let path = p.rev(2, "current", &["a"], "SELECT 1;", "");
    let shown = path.display().to_string();
    assert_eq!(
        p.fails(&db, &["heads"]),
        format!(
            "error: {shown}:3: revision identifier 'current' is a reserved name\n{SYMBOLIC_HINT}"
        )
    );
    std::fs::remove_file(path).unwrap();
    let long = "b".repeat(256);
    std::fs::write(
        p.path().join("migrations/versions/0002_long.sql"),
        format!(
            "-- long\n--\n-- Revision ID: {long}\n-- Revises: a\n\n-- aludel:upgrade\nSELECT 1;\n"
        ),
    )
    .unwrap();
    assert_eq!(
        p.fails(&db, &["upgrade", "head"]),
        format!(
            "error: {}:3: revision identifier '{long}' is 256 characters long; the version \
             table holds at most 255\n  hint: choose an id of at most 255 characters\n",
            p.path().join("migrations/versions/0002_long.sql").display()
        )
    );
    // Nothing was created, not even the SQLite file.
    let Db::Sqlite { path, .. } = &db else {
        unreachable!("a SQLite database")
    };
    assert!(!path.exists());
}

#[test]
fn an_id_wider_than_an_existing_version_column_is_refused_before_anything_runs() {
    for server in [Server::Postgres, Server::MySql] {
        let Some(db) = Db::server(server) else {
            continue;
        };
        let d = db.dialect();
        // The version table as Alembic creates it.
        db.query(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, \
             CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
        );
        let p = Project::new("version_table = \"alembic_version\"");
        let long = "c".repeat(40);
        p.rev(1, "a", &[], &create("ta"), &drop("ta"));
        let path = p.rev(2, &long, &["a"], &create("tb"), &drop("tb"));
        let expected = format!(
            "error: Revision {long} does not fit the version table alembic_version\n  \
             reason: {} defines revision id '{long}' of 40 characters; the version table's \
             version_num column holds at most 32\n  \
             hint: give the revision a shorter id (in its file and in every 'Revises:' naming \
             it), or widen alembic_version.version_num to VARCHAR(255)\n",
            path.display()
        );
        assert_eq!(p.fails(&db, &["upgrade", "head"]), expected, "{d}");
        assert_eq!(p.fails(&db, &["stamp", &long]), expected, "{d}");
        // Nothing ran, not even the revision before it.
        assert_eq!(db.user_tables(), strings(&["alembic_version"]), "{d}");
        assert!(db.version_rows_of("alembic_version").is_empty(), "{d}");
        // Ids that fit still run.
        p.ok(&db, &["upgrade", "a"]);
        assert_eq!(
            db.version_rows_of("alembic_version"),
            strings(&["a"]),
            "{d}"
        );
    }
}
