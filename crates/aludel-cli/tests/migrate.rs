//! Database commands against real SQLite, PostgreSQL and MariaDB: version-table row
//! sets, history rows, failures and resume, concurrency, kill -9, hostile input.
//! Servers come from `scripts/test.sh` (ALUDEL_TEST_POSTGRES_URL / _MYSQL_URL); in CI a
//! missing server fails the test.

mod support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use aludel_testdb::Server;
use support::{create, drop, strings, Db, Project};

/// a -> b -> {c1 (feat), c2} -> m (merge); x: a second root that depends on c1.
fn branchy(p: &Project) {
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    p.rev(2, "b", &["a"], &create("tb"), &drop("tb"));
    p.rev_full(
        3,
        "c1",
        &["b"],
        &["feat"],
        &[],
        &create("tc1"),
        &drop("tc1"),
    );
    p.rev(4, "c2", &["b"], &create("tc2"), &drop("tc2"));
    p.rev_full(5, "x", &[], &[], &["c1"], &create("tx"), &drop("tx"));
    p.rev(6, "m", &["c1", "c2"], &create("tm"), &drop("tm"));
}

#[test]
fn upgrade_downgrade_and_stamp_keep_alembic_row_sets() {
    for db in Db::all() {
        let p = Project::new("");
        branchy(&p);
        let d = db.dialect();

        p.ok(&db, &["upgrade", "c1"]);
        assert_eq!(db.version_rows(), strings(&["c1"]), "{d}");
        assert_eq!(db.user_tables(), strings(&["ta", "tb", "tc1"]), "{d}");

        p.ok(&db, &["upgrade", "heads"]);
        assert_eq!(db.version_rows(), strings(&["m", "x"]), "{d}");
        assert_eq!(
            db.user_tables(),
            strings(&["ta", "tb", "tc1", "tc2", "tm", "tx"]),
            "{d}"
        );
        // One history row per step, all successful.
        let history = db.history();
        assert_eq!(history.len(), 6, "{d}: {history:?}");
        assert!(history
            .iter()
            .all(|h| h.1 == "upgrade" && h.2.as_deref() == Some("true")));

        // Down to b: x depends on c1, so it goes too.
        p.ok(&db, &["downgrade", "b"]);
        assert_eq!(db.version_rows(), strings(&["b"]), "{d}");
        assert_eq!(db.user_tables(), strings(&["ta", "tb"]), "{d}");

        // Upgrading x brings its dependency c1, whose row x then absorbs (§2.9: the
        // normalised down revisions include dependencies).
        p.ok(&db, &["upgrade", "x"]);
        assert_eq!(db.version_rows(), strings(&["x"]), "{d}");
        assert_eq!(db.user_tables(), strings(&["ta", "tb", "tc1", "tx"]), "{d}");

        p.ok(&db, &["downgrade", "base"]);
        assert_eq!(db.version_rows(), Vec::<String>::new(), "{d}");
        assert_eq!(db.user_tables(), Vec::<String>::new(), "{d}");

        // Stamp moves rows without running anything.
        p.ok(&db, &["stamp", "c2", "c1"]);
        assert_eq!(db.version_rows(), strings(&["c1", "c2"]), "{d}");
        assert_eq!(db.user_tables(), Vec::<String>::new(), "{d}");
        p.ok(&db, &["stamp", "m"]);
        assert_eq!(db.version_rows(), strings(&["m"]), "{d}");
        p.ok(&db, &["stamp", "base"]);
        assert_eq!(db.version_rows(), Vec::<String>::new(), "{d}");
        let stamps = db.history().into_iter().filter(|h| h.1 == "stamp").count();
        assert!(stamps >= 3, "{d}: stamps are recorded");
    }
}

#[test]
fn current_reports_rows_and_checks_heads() {
    for db in Db::all() {
        let p = Project::new("");
        branchy(&p);
        let d = db.dialect();
        if let Db::Sqlite { path, .. } = &db {
            // No file: an error, and still no file (see faults.rs).
            let err = p.fails(&db, &["current"]);
            assert!(err.contains("does not exist"), "{err}");
            assert!(!path.exists());
            std::fs::write(path, "").unwrap();
        }
        // No version table yet: says so, exit 0, and nothing created.
        assert_eq!(
            p.ok(&db, &["current"]),
            "No revision applied (the version table aludel_version is empty or missing)\n",
            "{d}"
        );
        assert_eq!(
            p.ok(&db, &["--format", "json", "current"]),
            "{\"at_heads\":false,\"current\":[],\"drift\":[],\"partial\":[],\"rows\":[],\"warnings\":[]}\n",
            "{d}"
        );
        assert!(!db.user_tables().contains(&"aludel_version".to_string()));
        p.fails(&db, &["current", "--check-heads"]);

        p.ok(&db, &["upgrade", "m"]);
        assert_eq!(p.ok(&db, &["current"]), "m (head) (mergepoint)\n", "{d}");
        let err = p.fails(&db, &["current", "--check-heads"]);
        assert!(
            err.contains("Database is not on all head revisions"),
            "{d}: {err}"
        );
        // JSON: one document, the current one with the error in it.
        let out = p.run(&db, &["--format", "json", "current", "--check-heads"]);
        assert_eq!(out.status.code(), Some(1), "{d}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(stdout.lines().count(), 1, "{d}: {stdout}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json["rows"], serde_json::json!(["m"]), "{d}");
        assert_eq!(json["at_heads"], false, "{d}");
        assert_eq!(json["error"]["kind"], "not_at_heads", "{d}");
        assert_eq!(
            json["error"]["version_rows"],
            serde_json::json!(["m"]),
            "{d}"
        );
        assert_eq!(json["error"]["heads"].as_array().unwrap().len(), 2, "{d}");

        p.ok(&db, &["upgrade", "heads"]);
        p.ok(&db, &["current", "--check-heads"]);
        let json: serde_json::Value =
            serde_json::from_str(&p.ok(&db, &["--format", "json", "current"])).unwrap();
        assert_eq!(json["at_heads"], true, "{d}");
        assert_eq!(json["rows"].as_array().unwrap().len(), 2, "{d}");

        // history -i marks the database's rows.
        let history = p.ok(&db, &["history", "-i"]);
        assert!(
            history.contains("c1, c2 -> m (feat) (head) (current) (mergepoint), revision m"),
            "{d}: {history}"
        );
        assert!(
            history.contains("<base> (c1) -> x (head) (current), revision x"),
            "{d}: {history}"
        );
        assert!(history.contains("b -> c2, revision c2"), "{d}: {history}");
        let since = p.ok(&db, &["history", "-r", "c1:current"]);
        assert!(since.lines().count() >= 2, "{d}: {since}");
    }
}

#[test]
fn checksum_drift_is_reported() {
    for db in Db::all() {
        let p = Project::new("");
        p.rev(1, "a", &[], &create("ta"), &drop("ta"));
        let b = p.rev(2, "b", &["a"], &create("tb"), &drop("tb"));
        p.ok(&db, &["upgrade", "head"]);
        let clean = p.run(&db, &["current", "-v"]);
        assert!(!String::from_utf8_lossy(&clean.stderr).contains("changed since"));
        let text = std::fs::read_to_string(&b).unwrap();
        std::fs::write(
            &b,
            text.replace(
                "CREATE TABLE tb (id INTEGER PRIMARY KEY);",
                "CREATE TABLE tb (id INTEGER PRIMARY KEY, x INTEGER);",
            ),
        )
        .unwrap();
        let out = p.run(&db, &["current", "-v"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("warning: revision b changed since it was applied"),
            "{}: {err}",
            db.dialect()
        );
    }
}

/// Five migrations; the third fails at its second statement.
fn five_with_failure(p: &Project) -> std::path::PathBuf {
    p.rev(1, "r1", &[], &create("t1"), &drop("t1"));
    p.rev(2, "r2", &["r1"], &create("t2"), &drop("t2"));
    let bad = p.rev(
        3,
        "r3",
        &["r2"],
        "CREATE TABLE t3a (id INTEGER PRIMARY KEY);\n\nINSERT INTO missing_table VALUES (1);\n\nCREATE TABLE t3b (id INTEGER PRIMARY KEY);",
        "DROP TABLE t3b;\nDROP TABLE t3a;",
    );
    p.rev(4, "r4", &["r3"], &create("t4"), &drop("t4"));
    p.rev(5, "r5", &["r4"], &create("t5"), &drop("t5"));
    bad
}

#[test]
fn a_failing_statement_stops_the_run_and_the_fixed_file_completes_it() {
    for db in Db::all() {
        let p = Project::new("");
        let bad = five_with_failure(&p);
        let d = db.dialect();
        let err = p.fails(&db, &["upgrade", "head"]);
        // The error names the file and line, the statement and the database's code.
        assert!(err.contains("error: upgrade r3 failed at"), "{d}: {err}");
        assert!(
            err.contains("0003_r3.sql:10 (statement 2 of 3)"),
            "{d}: {err}"
        );
        assert!(err.contains("INSERT INTO missing_table"), "{d}: {err}");
        let code = match d {
            "postgresql" => "42P01",
            "mysql" => "1146 (42S02)",
            _ => "database error 1:",
        };
        assert!(err.contains(code), "{d}: {err}");
        // The first two committed; the version table says so.
        assert_eq!(db.version_rows(), strings(&["r2"]), "{d}");
        let history = db.history();
        let last = history.last().unwrap();
        assert_eq!((last.0.as_str(), last.1.as_str()), ("r3", "upgrade"), "{d}");
        assert_eq!(last.2.as_deref(), Some("false"), "{d}: failure recorded");
        let recorded_error = db.column(
            "SELECT error FROM aludel_history WHERE success IS NOT NULL AND revision = 'r3'",
        );
        assert!(
            recorded_error.iter().any(|e| e.contains("missing_table")),
            "{d}: {recorded_error:?}"
        );
        if db.is_mysql() {
            // DDL committed by itself: the first statement stays, and is recorded.
            assert_eq!(db.user_tables(), strings(&["t1", "t2", "t3a"]), "{d}");
        } else {
            assert_eq!(db.user_tables(), strings(&["t1", "t2"]), "{d}");
        }

        // Fix the file: the run completes (on MariaDB without re-running statement 1,
        // which would fail because t3a exists).
        let text = std::fs::read_to_string(&bad).unwrap();
        std::fs::write(
            &bad,
            text.replace(
                "INSERT INTO missing_table VALUES (1);",
                "INSERT INTO t3a VALUES (1);",
            ),
        )
        .unwrap();
        let out = p.run(&db, &["upgrade", "head"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{d}: {stderr}");
        if db.is_mysql() {
            assert!(
                stderr.contains("Resuming upgrade r2 -> r3 after statement 1 of 3"),
                "{d}: {stderr}"
            );
        }
        assert_eq!(db.version_rows(), strings(&["r5"]), "{d}");
        assert_eq!(
            db.user_tables(),
            strings(&["t1", "t2", "t3a", "t3b", "t4", "t5"]),
            "{d}"
        );
        assert_eq!(db.column("SELECT id FROM t3a"), vec!["1"], "{d}");
    }
}

#[test]
fn resume_refuses_statements_that_changed_after_they_ran() {
    let Some(db) = Db::server(Server::MySql) else {
        return;
    };
    let p = Project::new("");
    let bad = five_with_failure(&p);
    p.fails(&db, &["upgrade", "head"]);
    let text = std::fs::read_to_string(&bad).unwrap();
    std::fs::write(
        &bad,
        text.replace(
            "CREATE TABLE t3a (id INTEGER PRIMARY KEY);",
            "CREATE TABLE t3a (id BIGINT PRIMARY KEY);",
        ),
    )
    .unwrap();
    let err = p.fails(&db, &["upgrade", "head"]);
    assert!(err.contains("Cannot resume upgrade r3"), "{err}");
    assert_eq!(db.version_rows(), strings(&["r2"]));
}

#[test]
fn eight_concurrent_upgrades_apply_each_migration_once() {
    for db in Db::all() {
        let p = Project::new("");
        p.rev(
            0,
            "r00",
            &[],
            "CREATE TABLE applied (rev VARCHAR(10));",
            "DROP TABLE applied;",
        );
        let mut prev = "r00".to_string();
        for i in 1..=15 {
            let id = format!("r{i:02}");
            p.rev(
                i,
                &id,
                &[&prev],
                &format!("CREATE TABLE t{i} (id INTEGER PRIMARY KEY);\nINSERT INTO applied VALUES ('{id}');"),
                &format!("DROP TABLE t{i};"),
            );
            prev = id;
        }
        let children: Vec<_> = (0..8)
            .map(|_| {
                p.command(&db, &["upgrade", "head"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut said = Vec::new();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            assert!(out.status.success(), "[{}] {stderr}", db.dialect());
            said.extend(
                stderr
                    .lines()
                    .filter(|l| l.starts_with("Running upgrade"))
                    .map(str::to_string),
            );
        }
        // Each step is announced once, by the process that ran it.
        said.sort();
        assert_eq!(said.len(), 16, "{}: {said:#?}", db.dialect());
        said.dedup();
        assert_eq!(said.len(), 16, "{}: announced twice", db.dialect());
        let applied = db.column("SELECT rev FROM applied");
        let expected: Vec<String> = (1..=15).map(|i| format!("r{i:02}")).collect();
        assert_eq!(applied, expected, "{}: each exactly once", db.dialect());
        assert_eq!(db.version_rows(), strings(&["r15"]));
        let upgrades = db.column("SELECT revision FROM aludel_history WHERE direction = 'upgrade'");
        assert_eq!(
            upgrades.len(),
            16,
            "{}: one history row per step",
            db.dialect()
        );
    }
}

#[test]
fn kill_9_part_way_leaves_a_consistent_database() {
    let mut dbs = vec![Db::sqlite()];
    dbs.extend(Db::server(Server::Postgres));
    for db in dbs {
        let p = Project::new("");
        let slow = match db.dialect() {
            "postgresql" => "SELECT pg_sleep(0.03);".to_string(),
            _ => "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 60000) SELECT count(*) FROM c;".to_string(),
        };
        let mut prev: Option<String> = None;
        for i in 1..=60 {
            let id = format!("k{i:02}");
            let down: Vec<&str> = prev.iter().map(String::as_str).collect();
            p.rev(
                i,
                &id,
                &down,
                &format!("CREATE TABLE t{i:02} (id INTEGER PRIMARY KEY);\n{slow}\nINSERT INTO t{i:02} VALUES (1);"),
                &format!("DROP TABLE t{i:02};"),
            );
            prev = Some(id);
        }
        let mut child = p
            .command(&db, &["-q", "upgrade", "head"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until some steps have committed, then kill -9.
        let start = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(50));
            let applied = if db.has_table("aludel_history") {
                db.column("SELECT count(*) FROM aludel_history")
                    .first()
                    .and_then(|c| c.parse::<usize>().ok())
                    .unwrap_or(0)
            } else {
                0
            };
            if applied >= 3 || start.elapsed() > Duration::from_secs(20) {
                break;
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let d = db.dialect();
        // The version table matches the schema: every table up to the recorded
        // revision exists (with its row), none after it.
        let rows = db.version_rows();
        assert_eq!(rows.len(), 1, "{d}: {rows:?}");
        let n: usize = rows[0][1..].parse().unwrap();
        assert!(n < 60, "{d}: killed before the end (at {n})");
        eprintln!("{d}: killed after {n} of 60 steps");
        let expected: Vec<String> = (1..=n).map(|i| format!("t{i:02}")).collect();
        assert_eq!(db.user_tables(), expected, "{d}");
        // And the next run completes.
        p.ok(&db, &["-q", "upgrade", "head"]);
        assert_eq!(db.version_rows(), strings(&["k60"]), "{d}");
        assert_eq!(db.user_tables().len(), 60, "{d}");
    }
}

#[test]
fn unknown_revision_in_the_version_table_is_explained_and_purge_fixes_it() {
    for db in Db::all() {
        let p = Project::new("");
        p.rev(1, "a", &[], &create("ta"), &drop("ta"));
        p.ok(&db, &["upgrade", "head"]);
        db.execute("UPDATE aludel_version SET version_num = 'zzzz9999'");
        let err = p.fails(&db, &["upgrade", "head"]);
        assert!(
            err.contains("Can't locate revision identified by 'zzzz9999'"),
            "{err}"
        );
        assert!(err.contains("no revision file defines"), "{err}");
        assert!(err.contains("stamp --purge"), "{err}");
        p.fails(&db, &["current"]);
        p.ok(&db, &["stamp", "--purge", "a"]);
        assert_eq!(db.version_rows(), strings(&["a"]), "{}", db.dialect());
        assert_eq!(p.ok(&db, &["current"]), "a (head)\n");
    }
}

#[test]
fn irreversible_downgrade_is_refused_unless_allowed() {
    for db in Db::all() {
        let p = Project::new("");
        p.rev(1, "a", &[], &create("ta"), &drop("ta"));
        p.rev(2, "b", &["a"], &create("tb"), "");
        p.ok(&db, &["upgrade", "head"]);
        let err = p.fails(&db, &["downgrade", "base"]);
        assert!(err.contains("Revision b is irreversible"), "{err}");
        assert_eq!(db.version_rows(), strings(&["b"]), "nothing ran");
        p.ok(&db, &["downgrade", "--allow-irreversible", "base"]);
        assert_eq!(db.version_rows(), Vec::<String>::new());
        assert_eq!(db.user_tables(), strings(&["tb"]), "{}", db.dialect());
    }
}

#[test]
fn wrong_password_is_never_shown() {
    for server in [Server::Postgres, Server::MySql] {
        let Some(Db::Server(t)) = Db::server(server) else {
            continue;
        };
        let db = Db::Server(t);
        let p = Project::new("");
        p.rev(1, "a", &[], &create("ta"), &drop("ta"));
        let url = match &db {
            Db::Server(t) => t.url_with_password("S3cr3t-Wr0ng"),
            Db::Sqlite { .. } => unreachable!(),
        };
        if server == Server::Postgres {
            // The test server trusts local users: a password is not checked there.
            continue;
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_aludel"))
            .current_dir(p.path())
            .args(["--url", &url, "upgrade", "head"])
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(1), "{all}");
        assert!(!all.contains("S3cr3t-Wr0ng"), "{all}");
        assert!(all.contains("***"), "the URL is shown masked: {all}");
        assert!(all.contains("1045"), "MariaDB's access-denied code: {all}");
    }
}

#[test]
fn unreachable_server_is_retried_with_wait() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let p = Project::new("");
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    let url = format!("postgres://aludel:pw@127.0.0.1:{port}/nowhere");
    let start = Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aludel"))
        .current_dir(p.path())
        .args(["--url", &url, "--wait", "1s", "current"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(start.elapsed() >= Duration::from_secs(1), "it waited");
    assert!(err.contains("still unreachable after waiting 1s"), "{err}");
    assert!(err.contains("postgres://aludel:***@127.0.0.1"), "{err}");
    assert!(!err.contains(":pw@"), "{err}");
}

#[test]
fn lock_timeout_names_the_holder() {
    for server in [Server::Postgres, Server::MySql] {
        let Some(db) = Db::server(server) else {
            continue;
        };
        let p = Project::new("");
        let sleep = match server {
            Server::Postgres => "SELECT pg_sleep(4);",
            Server::MySql => "SELECT SLEEP(4);",
        };
        p.rev(1, "a", &[], sleep, "");
        std::fs::write(
            p.path().join("short.toml"),
            "[aludel]\nscript_location = \"migrations\"\nlock_timeout = \"500ms\"\n",
        )
        .unwrap();
        let mut holder = p
            .command(&db, &["-q", "upgrade", "head"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(1500));
        let err = p.fails(&db, &["-c", "short.toml", "upgrade", "head"]);
        assert!(
            err.contains("another process holds the migration lock"),
            "{err}"
        );
        match server {
            Server::Postgres => assert!(err.contains("application 'aludel'"), "{err}"),
            Server::MySql => assert!(err.contains("connection id"), "{err}"),
        }
        assert!(holder.wait().unwrap().success());
    }
}

#[test]
fn transaction_false_sections_run_outside_a_transaction() {
    let Some(db) = Db::server(Server::Postgres) else {
        return;
    };
    let p = Project::new("");
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    let path = p.rev(
        2,
        "b",
        &["a"],
        "CREATE INDEX CONCURRENTLY ix_ta ON ta (id);",
        "DROP INDEX ix_ta;",
    );
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "-- aludel:upgrade\n",
            "-- aludel:upgrade transaction=false\n",
        ),
    )
    .unwrap();
    p.ok(&db, &["upgrade", "head"]);
    assert_eq!(db.version_rows(), strings(&["b"]));
    assert_eq!(
        db.column("SELECT indexname FROM pg_indexes WHERE indexname = 'ix_ta'"),
        vec!["ix_ta"]
    );
}

#[test]
fn one_transaction_for_the_run_rolls_everything_back() {
    let mut dbs = vec![Db::sqlite()];
    dbs.extend(Db::server(Server::Postgres));
    for db in dbs {
        let p = Project::new("transaction_per_migration = false");
        five_with_failure(&p);
        p.fails(&db, &["upgrade", "head"]);
        assert_eq!(db.user_tables(), Vec::<String>::new(), "{}", db.dialect());
        assert_eq!(db.version_rows(), Vec::<String>::new(), "{}", db.dialect());
    }
}

#[test]
fn pre_upgrade_hook_runs_before_an_upgrade_with_work() {
    let db = Db::sqlite();
    let p = Project::new("");
    std::fs::write(
        p.path().join("aludel.toml"),
        "[aludel]\nscript_location = \"migrations\"\n\n[hooks]\npre_upgrade = [\"echo backup {timestamp} >> hook.log\"]\n",
    )
    .unwrap();
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    p.ok(&db, &["upgrade", "head"]);
    p.ok(&db, &["upgrade", "head"]);
    let log = std::fs::read_to_string(p.path().join("hook.log")).unwrap();
    assert_eq!(log.lines().count(), 1, "only the run with steps: {log}");
    assert!(log.starts_with("backup 20"), "{log}");
}

#[test]
fn json_output_of_upgrade() {
    let db = Db::sqlite();
    let p = Project::new("");
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    p.rev(2, "b", &["a"], &create("tb"), &drop("tb"));
    let out = p.ok(&db, &["--format", "json", "upgrade", "head"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["final_rows"], serde_json::json!(["b"]));
    assert_eq!(doc["steps"][0]["revision"], "a");
    assert_eq!(doc["steps"][1]["kind"], "upgrade");
    assert_eq!(doc["steps"][1]["from"], serde_json::json!(["a"]));
}

#[test]
fn ensure_version_creates_the_tables_and_show_current_reads_them() {
    for db in Db::all() {
        let p = Project::new("");
        p.rev(1, "a", &[], &create("ta"), &drop("ta"));
        let d = db.dialect();
        let json: serde_json::Value =
            serde_json::from_str(&p.ok(&db, &["--format", "json", "ensure-version"])).unwrap();
        assert_eq!(json["created"], true, "{d}");
        assert!(
            db.has_table("aludel_version") && db.has_table("aludel_history"),
            "{d}"
        );
        assert_eq!(db.version_rows(), Vec::<String>::new(), "{d}");
        let again: serde_json::Value =
            serde_json::from_str(&p.ok(&db, &["--format", "json", "ensure-version"])).unwrap();
        assert_eq!(again["created"], false, "{d}");
        p.ok(&db, &["upgrade", "head"]);
        let shown = p.ok(&db, &["show", "current"]);
        assert!(shown.starts_with("Rev: a (head)"), "{d}: {shown}");
    }
}

#[test]
fn version_table_in_its_own_schema_with_its_own_name() {
    let Some(db) = Db::server(Server::Postgres) else {
        return;
    };
    db.execute("CREATE SCHEMA meta");
    let p = Project::new("version_table = \"deploy_versions\"\nversion_table_schema = \"meta\"");
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    p.rev(2, "b", &["a"], &create("tb"), &drop("tb"));
    p.ok(&db, &["upgrade", "head"]);
    assert_eq!(db.version_rows_of("meta.deploy_versions"), strings(&["b"]));
    assert_eq!(
        db.column("SELECT count(*) FROM meta.aludel_history"),
        vec!["2"]
    );
    assert_eq!(p.ok(&db, &["current"]), "b (head)\n");
    let script = p.ok(&db, &["downgrade", "b:a", "--sql"]);
    assert!(
        script.contains("UPDATE meta.deploy_versions SET version_num='a' WHERE meta.deploy_versions.version_num = 'b';"),
        "{script}"
    );
}

#[test]
fn overlapping_rows_left_by_alembic_are_read_as_heads_and_written_back() {
    for db in Db::all() {
        let d = db.dialect();
        let p = Project::new("");
        p.rev(1, "r1", &[], &create("t1"), &drop("t1"));
        p.rev(2, "r2", &["r1"], &create("t2"), &drop("t2"));
        p.rev(3, "r3", &["r2"], &create("t3"), &drop("t3"));
        p.ok(&db, &["-q", "upgrade", "r2"]);
        // r1 is an ancestor of r2: Alembic can leave such a table behind.
        db.execute("INSERT INTO aludel_version (version_num) VALUES ('r1')");
        let warning = "warning: the version table aludel_version also holds r1, which is an ancestor of another row (Alembic can leave such rows); read as the heads of what it says is applied, and written back without it at the next change";

        let out = p.run(&db, &["current"]);
        assert!(out.status.success(), "{d}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "r2\n", "{d}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(warning),
            "{d}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value =
            serde_json::from_str(&p.ok(&db, &["--format", "json", "current"])).unwrap();
        assert_eq!(json["rows"].as_array().unwrap().len(), 2, "{d}");
        assert!(json["warnings"][0]
            .as_str()
            .unwrap()
            .contains("also holds r1"));

        let out = p.run(&db, &["upgrade", "head"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{d}: {stderr}");
        assert!(stderr.contains(warning), "{d}: {stderr}");
        assert_eq!(
            db.version_rows(),
            strings(&["r3"]),
            "{d}: an antichain again"
        );
        assert_eq!(db.user_tables(), strings(&["t1", "t2", "t3"]), "{d}");
        let out = p.run(&db, &["current"]);
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("warning"),
            "{d}"
        );
    }
}

#[test]
fn transaction_control_in_a_transactional_section_is_refused_before_anything_runs() {
    for db in Db::all() {
        let d = db.dialect();
        let p = Project::new("");
        let file = p.rev(
            1,
            "r1",
            &[],
            "BEGIN;\nCREATE TABLE t1 (id INTEGER PRIMARY KEY);\nCOMMIT;\nCREATE TABLE t2 (id INTEGER PRIMARY KEY);",
            "DROP TABLE t2;\nDROP TABLE t1;",
        );
        let err = p.fails(&db, &["upgrade", "head"]);
        assert!(
            err.contains(&format!(
                "error: {}:8: 'BEGIN' controls the transaction, which aludel runs the upgrade section in",
                file.display()
            )),
            "{d}: {err}"
        );
        assert!(
            err.contains("hint: remove it (aludel opens and commits the transaction), or mark the section '-- aludel:upgrade transaction=false' to run its statements one by one outside a transaction"),
            "{d}: {err}"
        );
        match &db {
            // Not even the SQLite file is created.
            Db::Sqlite { path, .. } => assert!(!path.exists(), "{d}: nothing was created"),
            Db::Server(_) => {
                assert!(db.user_tables().is_empty(), "{d}: nothing ran");
                assert!(!db.has_table("aludel_version"), "{d}: nothing was created");
            }
        }
        // The offline script is refused the same way.
        let out = p.run(&db, &["upgrade", "head", "--sql"]);
        assert_eq!(out.status.code(), Some(1), "{d}");
        // Marked transaction=false, the section runs as written.
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(
            &file,
            text.replace(
                "-- aludel:upgrade\n",
                "-- aludel:upgrade transaction=false\n",
            ),
        )
        .unwrap();
        p.ok(&db, &["-q", "upgrade", "head"]);
        assert_eq!(db.user_tables(), strings(&["t1", "t2"]), "{d}");
    }
}

#[test]
fn a_statement_that_refuses_a_transaction_gets_the_transaction_false_hint() {
    let Some(db) = Db::server(Server::Postgres) else {
        return;
    };
    let p = Project::new("");
    p.rev(
        1,
        "r1",
        &[],
        "CREATE TABLE t1 (id INTEGER);\nCREATE INDEX CONCURRENTLY i1 ON t1 (id);",
        "DROP TABLE t1;",
    );
    let err = p.fails(&db, &["upgrade", "head"]);
    assert!(err.contains("(statement 2 of 2)"), "{err}");
    assert!(err.contains("25001"), "{err}");
    assert!(
        err.contains("hint: this step was rolled back; the version table is empty. The statement cannot run inside a transaction: move it to a section marked '-- aludel:upgrade transaction=false' (statements run one by one there), then run the command again"),
        "{err}"
    );
}

#[test]
fn copy_from_stdin_is_refused_before_anything_runs() {
    let Some(db) = Db::server(Server::Postgres) else {
        return;
    };
    let p = Project::new("");
    let file = p.rev(
        1,
        "r1",
        &[],
        "CREATE TABLE t1 (id INTEGER);\nCOPY t1 (id) FROM stdin;",
        "DROP TABLE t1;",
    );
    let err = p.fails(&db, &["upgrade", "head"]);
    assert!(
        err.contains(&format!(
            "error: {}:9: 'COPY t1 (id) FROM stdin' reads its rows from the client (psql's COPY protocol), which aludel does not speak",
            file.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("hint: write the rows as INSERT statements, or COPY FROM a file the database server can read"),
        "{err}"
    );
    assert!(db.user_tables().is_empty());
}

/// A seed-data revision: 100,000 one-row INSERTs in one section.
const SEED_ROWS: usize = 100_000;

/// The upgrade section of the seed revision; statement `bad` (1-based) names a
/// table that does not exist.
fn seed_inserts(bad: Option<usize>) -> String {
    let mut sql = String::with_capacity(SEED_ROWS * 48);
    for i in 1..=SEED_ROWS {
        if Some(i) == bad {
            sql.push_str("INSERT INTO missing_table VALUES (1);\n");
        } else {
            sql.push_str(&format!("INSERT INTO seed VALUES ({i}, 'row {i}');\n"));
        }
    }
    sql
}

#[test]
fn a_revision_of_100000_statements_runs_and_its_failing_statement_is_named() {
    for db in Db::all() {
        let d = db.dialect();
        let p = Project::new("");
        p.rev(
            1,
            "table",
            &[],
            "CREATE TABLE seed (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);",
            "DROP TABLE seed;",
        );
        let seed = p.rev(
            2,
            "seed",
            &["table"],
            &seed_inserts(Some(99_990)),
            "DELETE FROM seed;",
        );

        // Statement 99,990 fails: the header takes 7 lines, one statement a line.
        let err = p.fails(&db, &["upgrade", "head"]);
        assert!(
            err.contains("error: upgrade seed failed at")
                && err.contains("0002_seed.sql:99997 (statement 99990 of 100000)"),
            "{d}: {err}"
        );
        assert!(
            err.contains("statement: INSERT INTO missing_table VALUES (1)"),
            "{d}: {err}"
        );
        let rows = db.column("SELECT count(*) FROM seed");
        if db.is_mysql() {
            // Row changes commit 1,000 at a time with their progress: the 99 full
            // transactions before it stay, recorded; its own rolled back.
            assert_eq!(rows, vec!["99000"], "{d}");
            assert!(
                err.contains("hint: statements 1 to 99000 of this step ran and stay applied (recorded in the history table); statements 99001 to 99989 ran in one transaction with the failed one and were rolled back with it; the version table is at table. Fix the failing statement, then run the command again: it resumes at statement 99001"),
                "{d}: {err}"
            );
        } else {
            // Nothing of the step stays.
            assert_eq!(rows, vec!["0"], "{d}");
            assert!(err.contains("this step was rolled back"), "{d}: {err}");
        }
        assert_eq!(db.version_rows(), strings(&["table"]), "{d}");

        // Fixed, the revision runs to the end (MariaDB resumes at statement 99,001).
        let text = std::fs::read_to_string(&seed).unwrap();
        std::fs::write(
            &seed,
            text.replace(&seed_inserts(Some(99_990)), &seed_inserts(None)),
        )
        .unwrap();
        p.ok(&db, &["upgrade", "head"]);
        assert_eq!(db.version_rows(), strings(&["seed"]), "{d}");
        assert_eq!(
            db.column("SELECT count(*) FROM seed"),
            vec!["100000"],
            "{d}"
        );
        assert_eq!(
            db.column("SELECT name FROM seed WHERE id = 99990"),
            vec!["row 99990"],
            "{d}"
        );
    }
}

#[test]
fn a_syntax_error_names_its_file_line_and_statement_and_is_recorded() {
    for db in Db::all() {
        let d = db.dialect();
        let p = Project::new("");
        p.rev(1, "r1", &[], &create("t0"), &drop("t0"));
        let file = p.rev(
            2,
            "r2",
            &["r1"],
            "CREATE TABLE t1 (id INTEGER PRIMARY KEY);\n\nCREAT TABLE x (id INT);\n\nCREATE TABLE t2 (id INTEGER PRIMARY KEY);",
            "DROP TABLE t2;\nDROP TABLE t1;",
        );
        let err = p.fails(&db, &["upgrade", "head"]);
        assert!(
            err.contains(&format!(
                "error: upgrade r2 failed at {}:10 (statement 2 of 3)",
                file.display()
            )),
            "{d}: {err}"
        );
        assert!(
            err.contains("statement: CREAT TABLE x (id INT)"),
            "{d}: {err}"
        );
        let code = match d {
            "postgresql" => "42601",
            "mysql" => "1064 (42000)",
            _ => "database error 1:",
        };
        assert!(err.contains(code), "{d}: {err}");
        assert!(!err.contains("starting a transaction"), "{d}: {err}");
        assert_eq!(db.version_rows(), strings(&["r1"]), "{d}");
        let recorded = db.column(
            "SELECT error FROM aludel_history WHERE revision = 'r2' AND success IS NOT NULL",
        );
        assert!(
            recorded.iter().any(|e| e.contains("CREAT")),
            "{d}: the failure is recorded: {recorded:?}"
        );
        let out = p.run(&db, &["--format", "json", "upgrade", "head"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            json["error"]["reason"]
                .as_str()
                .is_some_and(|r| r.contains(code)),
            "{d}: {json}"
        );
    }
}
