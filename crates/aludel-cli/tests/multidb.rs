//! A `multidb` project (`aludel init -t multidb`) with `DATABASE_URL` set, as nearly
//! every web project has it: `-n NAME` must migrate NAME's own database, never the one
//! `DATABASE_URL` names (which stands in for `[aludel]`'s URL only); `--url` still
//! overrides. On SQLite files, asserting which file holds which version rows.

mod support;

use std::path::Path;
use std::process::{Command, Output};

/// `aludel` in `dir` with `DATABASE_URL` as given (`None`: unset in the process; a
/// `.env` file may still set it).
fn aludel(dir: &Path, database_url: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aludel"));
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("ALUDEL_CONFIG")
        .env_remove("PRIMARY_DATABASE_URL")
        .env_remove("ANALYTICS_DATABASE_URL")
        .args(args);
    if let Some(url) = database_url {
        cmd.env("DATABASE_URL", url);
    }
    cmd.output().expect("run aludel")
}

fn ok(dir: &Path, database_url: Option<&str>, args: &[&str]) -> String {
    let out = aludel(dir, database_url, args);
    assert!(
        out.status.success(),
        "aludel {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn fails(dir: &Path, args: &[&str]) -> String {
    let out = aludel(dir, None, args);
    assert_eq!(out.status.code(), Some(1), "aludel {args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A revision of database `name` creating `table`, written with `revision` and
/// filled in as a user would.
fn add_revision(dir: &Path, name: &str, id: &str, table: &str) {
    ok(
        dir,
        None,
        &["-n", name, "revision", "-m", table, "--rev-id", id],
    );
    let versions = dir.join("migrations").join(name).join("versions");
    let file = std::fs::read_dir(&versions)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains(id))
        .expect("the new revision file");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text
        .replace(
            "-- aludel:upgrade\n",
            &format!("-- aludel:upgrade\nCREATE TABLE {table} (id INTEGER PRIMARY KEY);\n"),
        )
        .replace(
            "-- aludel:downgrade\n",
            &format!("-- aludel:downgrade\nDROP TABLE {table};\n"),
        );
    std::fs::write(&file, text).unwrap();
}

/// The version rows and user tables of a SQLite file, or `None` when it does not
/// exist.
fn state(path: &Path) -> Option<(Vec<String>, Vec<String>)> {
    if !path.exists() {
        return None;
    }
    let column = |sql: &str| -> Vec<String> {
        let mut v: Vec<String> = support::sqlite_query(path, sql)
            .into_iter()
            .map(|r| r[0].clone().unwrap_or_default())
            .collect();
        v.sort();
        v
    };
    Some((
        column("SELECT version_num FROM aludel_version"),
        column(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'aludel_%'",
        ),
    ))
}

fn rows(versions: &[&str], tables: &[&str]) -> Option<(Vec<String>, Vec<String>)> {
    Some((support::strings(versions), support::strings(tables)))
}

#[test]
fn named_tables_ignore_database_url_and_keep_their_own() {
    for from_process in [false, true] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        ok(dir, None, &["init", "-t", "multidb"]);
        add_revision(dir, "primary", "pr1", "users");
        add_revision(dir, "analytics", "an1", "events");
        // DATABASE_URL names the main database, as in a web project's .env (or its
        // environment); each table of the multidb template reads its own variable.
        let mut dotenv = String::from(
            "PRIMARY_DATABASE_URL=sqlite://main.db\nANALYTICS_DATABASE_URL=sqlite://analytics.db\n",
        );
        if !from_process {
            dotenv.push_str("DATABASE_URL=sqlite://main.db\n");
        }
        std::fs::write(dir.join(".env"), dotenv).unwrap();
        let database_url = from_process.then_some("sqlite://main.db");
        let case = if from_process { "environment" } else { ".env" };

        ok(dir, database_url, &["-n", "analytics", "upgrade", "head"]);
        assert_eq!(
            state(&dir.join("analytics.db")),
            rows(&["an1"], &["events"]),
            "{case}"
        );
        assert_eq!(state(&dir.join("main.db")), None, "{case}: main.db touched");
        assert_eq!(
            ok(dir, database_url, &["-n", "analytics", "current"]),
            "an1 (head)\n",
            "{case}"
        );

        ok(dir, database_url, &["-n", "primary", "upgrade", "head"]);
        assert_eq!(
            state(&dir.join("main.db")),
            rows(&["pr1"], &["users"]),
            "{case}"
        );
        assert_eq!(
            state(&dir.join("analytics.db")),
            rows(&["an1"], &["events"]),
            "{case}"
        );

        // --url overrides every other source, for a named table too.
        ok(
            dir,
            database_url,
            &[
                "-n",
                "analytics",
                "--url",
                "sqlite://copy.db",
                "upgrade",
                "head",
            ],
        );
        assert_eq!(
            state(&dir.join("copy.db")),
            rows(&["an1"], &["events"]),
            "{case}"
        );
        assert_eq!(
            state(&dir.join("main.db")),
            rows(&["pr1"], &["users"]),
            "{case}"
        );
    }
}

#[test]
fn a_named_table_without_database_url_is_not_given_database_url() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(dir, None, &["init", "-t", "multidb"]);
    let config = std::fs::read_to_string(dir.join("aludel.toml")).unwrap();
    let config = config.replace(
        "database_url = \"${ANALYTICS_DATABASE_URL}\"\n",
        "# no database_url\n",
    );
    std::fs::write(dir.join("aludel.toml"), config).unwrap();
    std::fs::write(dir.join(".env"), "DATABASE_URL=sqlite://main.db\n").unwrap();

    assert_eq!(
        fails(dir, &["-n", "analytics", "upgrade", "head"]),
        "error: no database URL is configured for [analytics] in 'aludel.toml': it has no \
         database_url, and DATABASE_URL applies only to [aludel]\n  hint: add database_url = \
         \"${ANALYTICS_DATABASE_URL}\" to [analytics] in 'aludel.toml' and set \
         ANALYTICS_DATABASE_URL, or pass --url URL\n"
    );
    assert_eq!(state(&dir.join("main.db")), None);
}
