//! Exact resume of steps that run statement by statement (MariaDB, whose DDL commits
//! by itself, and `transaction=false` sections): kill -9 at random moments, many
//! trials, with DDL and with row changes; a second interruption of a resumed run; the
//! uncertain statement named, and `--resume rerun|skip`; `current` and `history -i`
//! showing a step left part-way; a history table of an older aludel.
//!
//! The invariant every test checks: afterwards each statement has run exactly once,
//! or the run stopped naming the statement that may or may not have run.

mod support;

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use aludel_testdb::Server;
use support::{strings, Db, Project};

/// A small deterministic random source (the seed is printed, so a failing trial
/// can be replayed).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn seed() -> u64 {
    let seed = std::env::var("ALUDEL_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("seed {seed} (ALUDEL_TEST_SEED={seed} replays it)");
    seed
}

fn mysql() -> Option<Db> {
    Db::server(Server::MySql)
}

/// The log table every revision writes a tag to, once per INSERT that ran: a
/// statement run twice shows as a duplicate tag.
const LOG: &str = "CREATE TABLE applied (tag VARCHAR(20) NOT NULL);";

/// Revisions `d1..dN` mixing DDL and row changes; returns every tag they log.
fn ddl_project(p: &Project, n: usize) -> Vec<String> {
    p.rev(0, "d0", &[], LOG, "DROP TABLE applied;");
    let mut tags = Vec::new();
    for i in 1..=n {
        let id = format!("d{i}");
        let prev = format!("d{}", i - 1);
        p.rev(
            i,
            &id,
            &[&prev],
            &format!(
                "CREATE TABLE t{i} (id INT PRIMARY KEY, v INT);\n\
                 INSERT INTO applied VALUES ('{i}.1');\n\
                 INSERT INTO applied VALUES ('{i}.2');\n\
                 ALTER TABLE t{i} ADD COLUMN w INT;\n\
                 INSERT INTO t{i} VALUES (1, 1, 1);\n\
                 INSERT INTO applied VALUES ('{i}.3');\n\
                 CREATE INDEX i{i} ON t{i} (v);"
            ),
            &format!("DROP TABLE t{i};"),
        );
        tags.extend((1..=3).map(|k| format!("{i}.{k}")));
    }
    tags.sort();
    tags
}

/// Revisions `m1..mN` of row changes only; returns every tag they log.
fn dml_project(p: &Project, n: usize, per: usize) -> Vec<String> {
    p.rev(0, "m0", &[], LOG, "DROP TABLE applied;");
    let mut tags = Vec::new();
    for i in 1..=n {
        let id = format!("m{i}");
        let prev = format!("m{}", i - 1);
        let body: Vec<String> = (1..=per)
            .map(|k| format!("INSERT INTO applied VALUES ('{i}.{k}');"))
            .collect();
        p.rev(
            i,
            &id,
            &[&prev],
            &body.join("\n"),
            &format!("DELETE FROM applied WHERE tag LIKE '{i}.%';"),
        );
        tags.extend((1..=per).map(|k| format!("{i}.{k}")));
    }
    tags.sort();
    tags
}

/// The version table's rows; none when a kill came before it was created.
fn version_rows(db: &Db) -> Vec<String> {
    if db.has_table("aludel_version") {
        db.version_rows()
    } else {
        Vec::new()
    }
}

fn spawn_upgrade(p: &Project, db: &Db) -> Child {
    p.command(db, &["-q", "upgrade", "head"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn kill_9(mut child: Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Whether the statement an uncertain-statement error names took effect, judged
/// from the schema (the DDL of [`ddl_project`]).
fn took_effect(db: &Db, statement: &str) -> bool {
    let words: Vec<&str> = statement.split_whitespace().collect();
    let count = |sql: String| db.column(&sql).first().cloned().unwrap_or_default() != "0";
    match (words[0], words[1]) {
        ("CREATE", "TABLE") => db.has_table(words[2]),
        ("ALTER", "TABLE") => count(format!(
            "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_NAME = '{}' AND COLUMN_NAME = '{}'",
            words[2], words[5]
        )),
        ("CREATE", "INDEX") => count(format!(
            "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
             AND INDEX_NAME = '{}'",
            words[2]
        )),
        _ => panic!("no way to tell whether this ran: {statement}"),
    }
}

/// The statement text of an uncertain-statement error.
fn uncertain_statement(stderr: &str) -> Option<String> {
    if !stderr.contains("which may or may not have taken effect") {
        return None;
    }
    let line = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("statement: "))?;
    Some(line.to_string())
}

/// Runs `upgrade head` until it completes, answering each uncertain statement from
/// the database's real state. Returns how many uncertain statements it met.
fn finish(p: &Project, db: &Db) -> usize {
    let mut resume: Option<&str> = None;
    for answered in 0..5 {
        let mut args = vec!["-q", "upgrade", "head"];
        if let Some(r) = resume.take() {
            args.extend(["--resume", r]);
        }
        let out = p.run(db, &args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if out.status.success() {
            return answered;
        }
        let Some(statement) = uncertain_statement(&stderr) else {
            panic!("resume failed instead of completing or asking:\n{stderr}");
        };
        assert!(
            stderr.contains("--resume rerun") && stderr.contains("--resume skip"),
            "{stderr}"
        );
        resume = Some(if took_effect(db, &statement) {
            "skip"
        } else {
            "rerun"
        });
    }
    panic!("upgrade head did not complete after answering five times");
}

fn assert_complete_ddl(db: &Db, tags: &[String], n: usize) {
    assert_eq!(
        &db.column("SELECT tag FROM applied"),
        tags,
        "each INSERT once"
    );
    assert_eq!(db.version_rows(), strings(&[&format!("d{n}")]));
    for i in 1..=n {
        assert_eq!(
            db.column(&format!("SELECT CONCAT(id, v, w) FROM t{i}")),
            vec!["111"]
        );
    }
}

#[test]
fn kill_9_at_random_moments_of_a_mariadb_upgrade_with_ddl() {
    let mut rng = Lcg(seed());
    let (mut interrupted, mut asked) = (0, 0);
    for trial in 0..12 {
        let Some(db) = mysql() else { return };
        let p = Project::new("");
        let tags = ddl_project(&p, 5);
        // Up to three kills per trial: the later ones hit resumed runs.
        for _ in 0..1 + rng.below(3) {
            let child = spawn_upgrade(&p, &db);
            std::thread::sleep(Duration::from_millis(20 + rng.below(400)));
            kill_9(child);
            if version_rows(&db) != strings(&["d5"]) {
                interrupted += 1;
            }
            // A run after a kill either goes on or asks; answer only in `finish`.
            if db.has_table("aludel_history") && rng.below(2) == 0 {
                let out = p.run(&db, &["-q", "current"]);
                assert!(out.status.success(), "trial {trial}: current failed");
            }
        }
        asked += finish(&p, &db);
        assert_complete_ddl(&db, &tags, 5);
    }
    eprintln!("{interrupted} kills interrupted a run; {asked} uncertain statements answered");
    assert!(
        interrupted > 0,
        "no kill landed part-way: the test proved nothing"
    );
}

#[test]
fn kill_9_at_random_moments_of_a_mariadb_upgrade_with_row_changes_never_asks() {
    let mut rng = Lcg(seed());
    let mut interrupted = 0;
    for _trial in 0..10 {
        let Some(db) = mysql() else { return };
        let p = Project::new("");
        let tags = dml_project(&p, 4, 1500);
        // The log table's DDL first: only row changes are left to interrupt.
        p.ok(&db, &["-q", "upgrade", "m0"]);
        for _ in 0..1 + rng.below(3) {
            let child = spawn_upgrade(&p, &db);
            std::thread::sleep(Duration::from_millis(30 + rng.below(500)));
            kill_9(child);
            if version_rows(&db) != strings(&["m4"]) {
                interrupted += 1;
            }
        }
        // Row changes commit with their progress: the next run never has to ask.
        p.ok(&db, &["-q", "upgrade", "head"]);
        assert_eq!(db.column("SELECT tag FROM applied"), tags, "each row once");
        assert_eq!(db.version_rows(), strings(&["m4"]));
    }
    assert!(
        interrupted > 0,
        "no kill landed part-way: the test proved nothing"
    );
}

/// Waits until `rows` unfinished history rows say statement `n` was sent (the
/// newest of them is the running step's), then kills.
fn kill_while_statement_runs(db: &Db, child: Child, n: usize, rows: usize) {
    let start = Instant::now();
    loop {
        let count = if db.has_table("aludel_history") {
            db.column(&format!(
                "SELECT COUNT(*) FROM aludel_history WHERE success IS NULL AND statement_started = {n}"
            ))
        } else {
            Vec::new()
        };
        if count
            .first()
            .is_some_and(|c| c.parse::<usize>().unwrap() >= rows)
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "statement {n} never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    kill_9(child);
}

/// r1: a table, a failing or slow statement, then more.
fn three_statements(p: &Project, second: &str) -> std::path::PathBuf {
    p.rev(0, "r0", &[], LOG, "DROP TABLE applied;");
    p.rev(
        1,
        "r1",
        &["r0"],
        &format!(
            "CREATE TABLE t1 (id INT PRIMARY KEY);\n\n{second}\n\nINSERT INTO applied VALUES ('after');"
        ),
        "DROP TABLE t1;",
    )
}

#[test]
fn an_uncertain_statement_stops_the_run_and_resume_answers_it() {
    for answer in ["skip", "rerun"] {
        let Some(db) = mysql() else { return };
        let p = Project::new("");
        let file = three_statements(&p, "DO SLEEP(3);");
        let child = spawn_upgrade(&p, &db);
        kill_while_statement_runs(&db, child, 2, 1);

        // The next run stops, naming the statement, what ran before it and the way on.
        let err = p.fails(&db, &["upgrade", "head"]);
        let path = file.display();
        assert!(
            err.contains(&format!(
                "error: upgrade r1 was interrupted at {path}:10 (statement 2 of 3), which may or may not have taken effect"
            )),
            "{err}"
        );
        assert!(
            err.contains("(statements 1 to 1 had run and stay applied); it cannot be rolled back"),
            "{err}"
        );
        assert!(err.contains("statement: DO SLEEP(3)"), "{err}");
        assert!(
            err.contains("run the same command again with '--resume rerun' if the statement did not take effect (it runs again), or with '--resume skip' if it did (the run goes on at statement 3)"),
            "{err}"
        );
        assert_eq!(db.version_rows(), strings(&["r0"]), "nothing moved");
        // Asking again changes nothing.
        p.fails(&db, &["upgrade", "head"]);

        // current shows where the step stands.
        let current = p.ok(&db, &["current"]);
        assert!(
            current.contains(&format!(
                "partially applied: r1 (upgrade): 1 of 3 statements applied, interrupted while statement 2 ({path}:10) ran: it may or may not have taken effect"
            )),
            "{current}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&p.ok(&db, &["--format", "json", "current"])).unwrap();
        let partial = &json["partial"][0];
        assert_eq!(partial["revision"], "r1");
        assert_eq!(partial["statements_done"], 1);
        assert_eq!(partial["statements_total"], 3);
        assert_eq!(partial["next_statement"], 2);
        assert_eq!(partial["uncertain"], true);
        assert_eq!(partial["state"], "interrupted");
        assert_eq!(partial["line"], 10);
        let history = p.ok(&db, &["history", "-i"]);
        assert!(
            history.contains("    partially applied: r1 (upgrade): 1 of 3"),
            "{history}"
        );

        // The uncertain statement is covered by the checksum of what ran.
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, text.replace("SLEEP(3)", "SLEEP(1)")).unwrap();
        let err = p.fails(&db, &["upgrade", "head", "--resume", answer]);
        assert!(
            err.contains("error: Cannot resume upgrade r1: its first 2 statements ran in an earlier run that stopped part-way, and they have changed"),
            "{err}"
        );
        std::fs::write(&file, &text).unwrap();

        // The answer: the step goes on, statement 1 is not run again (it would fail:
        // t1 exists), and the history row says what was chosen.
        let out = p.run(&db, &["upgrade", "head", "--resume", answer]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        let skipped = if answer == "skip" { 2 } else { 1 };
        assert!(
            stderr.contains(&format!(
                "Resuming upgrade r0 -> r1 after statement {skipped} of 3"
            )),
            "{stderr}"
        );
        assert_eq!(db.version_rows(), strings(&["r1"]));
        assert_eq!(db.column("SELECT tag FROM applied"), vec!["after"]);
        let note = db.column("SELECT note FROM aludel_history WHERE note IS NOT NULL");
        let expected = if answer == "skip" {
            format!("statement 2 of 3 ({path}:10), left uncertain by an interrupted run, was counted as done without running it again (--resume skip)")
        } else {
            format!("statement 2 of 3 ({path}:10), left uncertain by an interrupted run, was run again (--resume rerun)")
        };
        assert_eq!(note, vec![expected]);
        let current = p.ok(&db, &["current"]);
        assert!(!current.contains("partially applied"), "{current}");
    }
}

#[test]
fn a_second_interruption_keeps_the_resume_point() {
    let Some(db) = mysql() else { return };
    let p = Project::new("");
    let file = three_statements(&p, "INSERT INTO missing VALUES (1);");
    // Statement 2 fails: statement 1 (DDL) ran and is recorded.
    let err = p.fails(&db, &["upgrade", "head"]);
    assert!(err.contains("(statement 2 of 3)"), "{err}");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("INSERT INTO missing VALUES (1);", "DO SLEEP(3);"),
    )
    .unwrap();

    // The resumed run is killed while statement 2 runs, and the answered run again.
    let child = spawn_upgrade(&p, &db);
    kill_while_statement_runs(&db, child, 2, 1);
    let err = p.fails(&db, &["upgrade", "head"]);
    assert!(
        err.contains("(statement 2 of 3), which may or may not"),
        "{err}"
    );
    let child = p
        .command(&db, &["-q", "upgrade", "head", "--resume", "rerun"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    kill_while_statement_runs(&db, child, 2, 2);

    // Still at statement 2: statement 1 is never run again (it would fail: t1 exists).
    let err = p.fails(&db, &["upgrade", "head"]);
    assert!(
        err.contains("(statement 2 of 3), which may or may not"),
        "{err}"
    );
    assert!(!err.contains("already exists"), "{err}");
    p.ok(&db, &["-q", "upgrade", "head", "--resume", "rerun"]);
    assert_eq!(db.version_rows(), strings(&["r1"]));
    assert_eq!(db.column("SELECT tag FROM applied"), vec!["after"]);
}

#[test]
fn a_failed_step_shows_in_current_with_its_statement_and_error() {
    let Some(db) = mysql() else { return };
    let p = Project::new("");
    let file = three_statements(&p, "INSERT INTO missing VALUES (1);");
    p.fails(&db, &["upgrade", "head"]);
    let current = p.ok(&db, &["current"]);
    let path = file.display();
    assert!(
        current.contains(&format!(
            "partially applied: r1 (upgrade): 1 of 3 statements applied, failed at statement 2 ({path}:10): 1146 (42S02): Table"
        )),
        "{current}"
    );
    let verbose = p.ok(&db, &["current", "-v"]);
    assert!(
        verbose.contains("partially applied: r1 (upgrade): 1 of 3"),
        "{verbose}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&p.ok(&db, &["--format", "json", "history", "-i"])).unwrap();
    let r1 = json["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["revision"] == "r1")
        .unwrap();
    assert_eq!(r1["partial"]["state"], "failed");
    assert_eq!(r1["partial"]["uncertain"], false);
    // Once the step completes, nothing is partial any more.
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("INSERT INTO missing VALUES (1);", "")).unwrap();
    p.ok(&db, &["-q", "upgrade", "head"]);
    assert!(!p.ok(&db, &["current"]).contains("partially"));
}

#[test]
fn a_transaction_false_section_on_postgresql_resumes_exactly() {
    let Some(db) = Db::server(Server::Postgres) else {
        return;
    };
    let p = Project::new("");
    p.rev(0, "r0", &[], LOG, "DROP TABLE applied;");
    let file = p.rev(
        1,
        "r1",
        &["r0"],
        "CREATE TABLE t1 (id INT);\nSELECT pg_sleep(3);\nINSERT INTO applied VALUES ('x');\nCREATE INDEX CONCURRENTLY i1 ON t1 (id);",
        "DROP TABLE t1;",
    );
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace(
            "-- aludel:upgrade\n",
            "-- aludel:upgrade transaction=false\n",
        ),
    )
    .unwrap();
    let child = spawn_upgrade(&p, &db);
    kill_while_statement_runs(&db, child, 2, 1);
    let err = p.fails(&db, &["upgrade", "head"]);
    assert!(
        err.contains("(statement 2 of 4), which may or may not"),
        "{err}"
    );
    p.ok(&db, &["-q", "upgrade", "head", "--resume", "skip"]);
    assert_eq!(db.version_rows(), strings(&["r1"]));
    assert_eq!(db.column("SELECT tag FROM applied"), vec!["x"]);
    assert_eq!(
        db.column("SELECT indexname FROM pg_indexes WHERE tablename = 't1'"),
        vec!["i1"]
    );
}

#[test]
fn a_history_table_of_an_older_aludel_is_read_and_brought_up_to_date() {
    for db in Db::all() {
        let d = db.dialect();
        let p = Project::new("");
        p.rev(1, "r1", &[], "CREATE TABLE t1 (id INT);", "DROP TABLE t1;");
        p.rev(
            2,
            "r2",
            &["r1"],
            "CREATE TABLE t2 (id INT);",
            "DROP TABLE t2;",
        );
        p.ok(&db, &["-q", "upgrade", "r1"]);
        // The layout before statement_started and note existed.
        for column in ["statement_started", "note"] {
            db.execute(&format!("ALTER TABLE aludel_history DROP COLUMN {column}"));
        }
        // Read-only commands read it as it is, and leave it so.
        assert!(p.ok(&db, &["current", "-v"]).contains("r1"), "{d}");
        p.ok(&db, &["history", "-i"]);
        assert!(!db.has_column("aludel_history", "statement_started"), "{d}");
        // A writing command adds the columns and goes on.
        p.ok(&db, &["-q", "upgrade", "head"]);
        assert_eq!(db.version_rows(), strings(&["r2"]), "{d}");
        assert!(db.has_column("aludel_history", "statement_started"), "{d}");
        assert!(db.has_column("aludel_history", "note"), "{d}");
        assert_eq!(
            db.column("SELECT COUNT(statement_started) FROM aludel_history"),
            vec!["0"],
            "{d}"
        );
        assert_eq!(
            db.column("SELECT COUNT(*) FROM aludel_history WHERE direction = 'upgrade'"),
            vec!["2"],
            "{d}"
        );
    }
}

#[test]
fn edited_statements_that_ran_have_two_ways_out_restart_and_stamp() {
    for way in ["restart", "stamp"] {
        let Some(db) = mysql() else { return };
        let p = Project::new("");
        let file = three_statements(&p, "INSERT INTO missing VALUES (1);");
        p.fails(&db, &["upgrade", "head"]);
        // Statement 1 (which ran) is edited, and the failing one fixed.
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(
            &file,
            text.replace("INSERT INTO missing VALUES (1);", "")
                .replace("t1 (id INT PRIMARY KEY)", "t1 (id BIGINT PRIMARY KEY)"),
        )
        .unwrap();
        let err = p.fails(&db, &["upgrade", "head"]);
        assert!(err.contains("error: Cannot resume upgrade r1"), "{err}");
        assert!(
            err.contains("hint: restore those statements as they ran and run again; or undo by hand what they did and run again with '--resume restart' (the step starts over at statement 1); or, if the database already is as r1 leaves it, record that with 'aludel stamp r1'"),
            "{err}"
        );
        // The user undoes what ran.
        db.execute("DROP TABLE t1");
        if way == "restart" {
            p.ok(&db, &["-q", "upgrade", "head", "--resume", "restart"]);
            let note = db.column("SELECT note FROM aludel_history WHERE note IS NOT NULL");
            assert_eq!(note.len(), 1);
            assert!(
                note[0].starts_with("started over at statement 1 (--resume restart); the run of "),
                "{note:?}"
            );
        } else {
            // A stamp clears the part-way state: the next upgrade starts at statement 1.
            let out = p.run(&db, &["stamp", "r0"]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{stderr}");
            assert!(
                stderr.contains("warning: cleared the part-way upgrade of r1 (1 of 3 statements ran, in a run started "),
                "{stderr}"
            );
            assert!(!p.ok(&db, &["current"]).contains("partially"));
            let note = db.column("SELECT note FROM aludel_history WHERE note IS NOT NULL");
            assert!(
                note[0].starts_with("'stamp r0' cleared the part-way upgrade of r1"),
                "{note:?}"
            );
            p.ok(&db, &["-q", "upgrade", "head"]);
        }
        assert_eq!(db.version_rows(), strings(&["r1"]), "{way}");
        assert_eq!(db.column("SELECT tag FROM applied"), vec!["after"], "{way}");
        // --resume with nothing to resume says so.
        let out = p.run(&db, &["upgrade", "head", "--resume", "skip"]);
        assert!(out.status.success(), "{way}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("warning: --resume skip had no effect: no step of this run was left part-way by an earlier one"),
            "{way}"
        );
    }
}
