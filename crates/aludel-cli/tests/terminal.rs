//! What a run shows on stderr, on a terminal and piped: steps with their elapsed
//! time ticking, waits for the server (`--wait`) and for the migration lock (with
//! its holder), the progress line ended before an error, and the summary line.
//!
//! A terminal is util-linux `script -qec CMD /dev/null` (a pseudo-terminal for the
//! command's stdin, stdout and stderr; its output is what the terminal shows).

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use aludel_testdb::Server;
use support::{create, drop, Db, Project, SqliteWriteLock};

/// Runs aludel with `args` on a pseudo-terminal in the project's folder; returns
/// its exit code and what the terminal received (`\r\n` as `\n`, other `\r` kept).
fn on_terminal(p: &Project, db: &Db, args: &[&str]) -> (Option<i32>, String) {
    typed_on_terminal(p, db, args, "")
}

/// [`on_terminal`] with `typed` typed at the terminal.
fn typed_on_terminal(p: &Project, db: &Db, args: &[&str], typed: &str) -> (Option<i32>, String) {
    use std::io::Write;
    let mut line = shell_quote(env!("CARGO_BIN_EXE_aludel"));
    for arg in ["--url", &db.url()].iter().chain(args) {
        line.push(' ');
        line.push_str(&shell_quote(arg));
    }
    let mut out = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(p.path())
        .env_remove("DATABASE_URL")
        .env_remove("ALUDEL_CONFIG")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("util-linux script runs");
    let mut stdin = out.stdin.take().unwrap();
    stdin.write_all(typed.as_bytes()).unwrap();
    std::mem::drop(stdin);
    let out = out.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    (out.status.code(), text)
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The lines of a terminal's text as they end up on the screen: each `\r` starts
/// the line over, and `ESC[K` (erase to its end) is dropped.
fn screen(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            l.rsplit('\r')
                .next()
                .unwrap_or_default()
                .replace("\x1b[K", "")
        })
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Replaces every run of digits (and a decimal point between them) with `N`.
fn numbers_as_n(text: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in text.chars() {
        if c.is_ascii_digit() || (in_number && c == '.') {
            if !in_number {
                out.push('N');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

#[test]
fn a_run_on_a_terminal_shows_steps_and_a_summary_and_piped_output_stays_plain() {
    let db = Db::sqlite();
    let p = Project::new("");
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    p.rev(2, "b", &["a"], &create("tb"), &drop("tb"));

    let (code, text) = on_terminal(&p, &db, &["upgrade", "head"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(
        numbers_as_n(&screen(&text).join("\n")),
        "[N/N Ns] Running upgrade  -> a, revision a ... done in Ns\n\
         [N/N Ns] Running upgrade a -> b, revision b ... done in Ns\n\
         Done: N upgrade steps in Ns; the database is at b",
        "{text:?}"
    );
    let (code, text) = on_terminal(&p, &db, &["upgrade", "head"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(text, "Nothing to do: the database is at b\n");
    let (code, text) = on_terminal(&p, &db, &["downgrade", "base"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(
        numbers_as_n(screen(&text).last().unwrap()),
        "Done: N downgrade steps in Ns; the database is at base (no revision applied)",
        "{text:?}"
    );
    // -q shows nothing.
    let (code, text) = on_terminal(&p, &db, &["upgrade", "head", "-q"]);
    assert_eq!((code, text.as_str()), (Some(0), ""));

    // Piped: Alembic's plain lines, no redraws, no summary.
    let out = p.run(&db, &["downgrade", "base"]);
    assert!(out.status.success());
    assert_eq!(
        stderr(&out),
        "Running downgrade b -> a, revision b\nRunning downgrade a -> , revision a\n"
    );
}

#[test]
fn an_error_starts_on_its_own_line_after_the_failed_step() {
    let db = Db::sqlite();
    let p = Project::new("");
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    p.rev(2, "b", &["a"], "SELECT nothing FROM nowhere;", "");
    let (code, text) = on_terminal(&p, &db, &["upgrade", "head"]);
    assert_eq!(code, Some(1), "{text}");
    let lines = screen(&text);
    let error = lines
        .iter()
        .position(|l| l.starts_with("error: upgrade b failed at "))
        .unwrap_or_else(|| panic!("no error line: {text:?}"));
    assert_eq!(
        numbers_as_n(&lines[error - 1]),
        "[N/N Ns] Running upgrade a -> b, revision b ... failed after Ns",
        "{text:?}"
    );
    // The step that committed is listed as done, and no summary is printed.
    assert!(numbers_as_n(&lines[0]).ends_with("revision a ... done in Ns"));
    assert!(!text.contains("Done:"), "{text:?}");
}

/// The slow statement of each server.
fn sleep_sql(db: &Db, seconds: u32) -> String {
    if db.is_mysql() {
        format!("SELECT SLEEP({seconds});")
    } else {
        format!("SELECT pg_sleep({seconds});")
    }
}

#[test]
fn a_long_step_ticks_its_elapsed_seconds_on_a_terminal() {
    let Some(db) = Db::server(Server::Postgres) else {
        return;
    };
    let p = Project::new("");
    p.rev(1, "a", &[], &sleep_sql(&db, 3), "");
    let (code, text) = on_terminal(&p, &db, &["upgrade", "head"]);
    assert_eq!(code, Some(0), "{text}");
    // Redrawn in place: "... 1s", "... 2s", then the end of the step.
    for tick in [" ... 1s\x1b[K", " ... 2s\x1b[K"] {
        assert!(
            text.contains(&format!("] Running upgrade  -> a, revision a{tick}")),
            "{tick}: {text:?}"
        );
    }
    assert_eq!(
        numbers_as_n(&screen(&text)[0]),
        "[N/N Ns] Running upgrade  -> a, revision a ... done in Ns",
        "{text:?}"
    );
}

/// Starts `aludel upgrade head` in the background and returns once its first step
/// runs (so it holds the migration lock); the child's stderr is drained.
fn start_holder(p: &Project, db: &Db) -> std::process::Child {
    let mut child = p
        .command(db, &["upgrade", "head"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start aludel");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let started = Instant::now();
    for line in lines.by_ref() {
        if line.expect("read stderr").starts_with("Running upgrade") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "holder hung");
    }
    std::thread::spawn(move || lines.for_each(|_| {}));
    child
}

#[test]
fn a_run_waiting_for_the_lock_names_its_holder_then_goes_on() {
    for server in [Server::Postgres, Server::MySql] {
        let Some(db) = Db::server(server) else {
            continue;
        };
        let p = Project::new("");
        p.rev(1, "a", &[], &sleep_sql(&db, 3), "SELECT 1;");
        p.rev(2, "b", &["a"], &create("tb"), &drop("tb"));

        // Piped: one line when the wait starts, one when it is over.
        let mut holder = start_holder(&p, &db);
        let out = p.run(&db, &["upgrade", "head"]);
        assert!(holder.wait().unwrap().success());
        assert!(out.status.success(), "{}", stderr(&out));
        let text = numbers_as_n(&stderr(&out));
        let held_by = if db.is_mysql() {
            "connection id N, user "
        } else {
            "PostgreSQL backend pid N, application '"
        };
        assert!(
            text.starts_with(&format!(
                "Waiting for the migration lock, held by {held_by}"
            )),
            "[{}] {text}",
            db.dialect()
        );
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].ends_with("(up to Nm, lock_timeout)"),
            "[{}] {text}",
            db.dialect()
        );
        assert_eq!(
            lines[1..],
            ["Acquired the migration lock after Ns"],
            "[{}] {text}: the holder ran both steps",
            db.dialect()
        );
        assert_eq!(db.version_rows(), vec!["b".to_string()]);

        // On a terminal: the wait ticks, then says it acquired the lock.
        p.ok(&db, &["downgrade", "base"]);
        let mut holder = start_holder(&p, &db);
        let (code, text) = on_terminal(&p, &db, &["upgrade", "head"]);
        assert!(holder.wait().unwrap().success());
        assert_eq!(code, Some(0), "{text}");
        assert!(
            text.contains(" ... 1s\x1b[K"),
            "[{}] {text:?}",
            db.dialect()
        );
        let screen = screen(&text);
        assert!(
            numbers_as_n(&screen[0]).ends_with("(up to Nm, lock_timeout) ... acquired after Ns"),
            "[{}] {text:?}",
            db.dialect()
        );
        assert_eq!(
            screen[1..],
            ["Nothing to do: the database is at b"],
            "[{}] {text:?}",
            db.dialect()
        );
    }
}

#[test]
fn a_sqlite_run_waiting_for_the_write_lock_says_so() {
    let db = Db::sqlite();
    let p = Project::new("");
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    p.ok(&db, &["ensure-version"]);
    let Db::Sqlite { path, .. } = &db else {
        unreachable!()
    };
    // Another connection holds the write lock for two seconds.
    let lock = SqliteWriteLock::hold(path);
    let holder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(2));
        std::mem::drop(lock);
    });
    let out = p.run(&db, &["upgrade", "head"]);
    holder.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        numbers_as_n(&stderr(&out)),
        "Waiting for the migration lock, held by another connection writing to this SQLite \
         file (SQLite cannot say which) (up to Nm, lock_timeout)\n\
         Acquired the migration lock after Ns\n\
         Running upgrade  -> a, revision a\n"
    );
}

#[test]
fn wait_says_which_server_it_waits_for_and_why_without_the_password() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let p = Project::new("");
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    let url = format!("postgres://someone:S3cret@127.0.0.1:{port}/app");
    let out = Command::new(env!("CARGO_BIN_EXE_aludel"))
        .current_dir(p.path())
        .env_remove("DATABASE_URL")
        .args(["--url", &url, "current", "--wait", "1s"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(!text.contains("S3cret"), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "Waiting for the database at postgres://someone:***@127.0.0.1:{port}/app to answer \
             (up to 1s): Connection refused (os error 111)"
        ),
        "{text}"
    );
    // The same error is not repeated while the wait goes on.
    assert!(lines[1].starts_with("error: cannot connect to "), "{text}");
}

/// On a terminal, a dropped and an added column of the same type is a question;
/// yes makes it a rename that keeps the data, no a drop and an add with a
/// warning naming the hint.
#[test]
fn autogenerate_asks_whether_a_column_was_renamed() {
    for (answer, renamed) in [("y\n", true), ("n\n", false)] {
        let p = Project::new("");
        p.rev(
            1,
            "a1",
            &[],
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO users VALUES (1, 'ann');",
            "DROP TABLE users;",
        );
        std::fs::write(
            p.path().join("schema.sql"),
            "CREATE TABLE users (id INTEGER PRIMARY KEY, full_name TEXT);\n",
        )
        .unwrap();
        let db = Db::sqlite();
        p.ok(&db, &["upgrade", "head"]);
        let (code, text) =
            typed_on_terminal(&p, &db, &["revision", "--autogenerate", "-m", "r"], answer);
        assert_eq!(code, Some(0), "{text}");
        assert!(
            text.contains("Did you rename users.name to users.full_name? [y/N]"),
            "{text}"
        );
        let file = std::fs::read_dir(p.path().join("migrations/versions"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|f| f.to_string_lossy().ends_with("_r.sql"))
            .unwrap();
        let written = std::fs::read_to_string(file).unwrap();
        assert_eq!(
            written.contains("ALTER TABLE users RENAME COLUMN name TO full_name;"),
            renamed,
            "{written}"
        );
        assert_eq!(
            text.contains(
                "warning: column users.name is dropped (its data is lost) and column \
                 users.full_name added; if it is a rename, run again with --rename \
                 users.name=users.full_name to keep the data"
            ),
            !renamed,
            "{text}"
        );
        p.ok(&db, &["upgrade", "head"]);
        let names = db.query("SELECT full_name FROM users");
        let expected = if renamed {
            Some("ann".to_string())
        } else {
            None
        };
        assert_eq!(names, [vec![expected]]);
    }
}
