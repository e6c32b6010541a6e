//! Under faults and bad input: hooks never see the password on a command line and
//! never print it; URLs that say too little are explained; a command that fails or
//! only reads creates no SQLite file.

mod support;

use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use aludel_testdb::{Server, TestDb};
use support::{create, drop, Project, SqliteWriteLock};

/// A login of its own, with a password, on a test database; dropped at the end.
struct PasswordUser {
    db: TestDb,
    user: String,
    password: String,
}

impl PasswordUser {
    fn create(db: TestDb) -> PasswordUser {
        let user = format!("{}_hook", db.name());
        // Distinctive, with characters a URL must encode.
        let password = format!("S3cr@t/{}", &db.name()[2..]);
        match db.server() {
            Server::Postgres => db.execute(&format!(
                "CREATE ROLE {user} LOGIN PASSWORD '{password}'; \
                 GRANT ALL ON DATABASE {0} TO {user}; GRANT ALL ON SCHEMA public TO {user}",
                db.name()
            )),
            Server::MySql => db.execute(&format!(
                "CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'; \
                 GRANT ALL ON {}.* TO '{user}'@'%'",
                db.name()
            )),
        }
        PasswordUser { db, user, password }
    }

    /// The test database's URL with this user and its password (percent-encoded).
    fn url(&self) -> String {
        let admin = self.db.url();
        let (scheme, rest) = admin.split_once("://").unwrap();
        let host = &rest[rest.rfind('@').unwrap() + 1..];
        let encoded = self.password.replace('@', "%40").replace('/', "%2F");
        format!("{scheme}://{}:{encoded}@{host}", self.user)
    }
}

impl std::ops::Drop for PasswordUser {
    fn drop(&mut self) {
        let user = &self.user;
        match self.db.server() {
            Server::Postgres => self
                .db
                .execute(&format!("DROP OWNED BY {user}; DROP ROLE IF EXISTS {user}")),
            Server::MySql => self
                .db
                .execute(&format!("DROP USER IF EXISTS '{user}'@'%'")),
        }
    }
}

fn all_output(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every process's command line, NULs as spaces.
fn command_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if let Ok(bytes) = std::fs::read(entry.path().join("cmdline")) {
            let text = String::from_utf8_lossy(&bytes).replace('\0', " ");
            if !text.trim().is_empty() {
                lines.push(text);
            }
        }
    }
    lines
}

#[test]
fn backup_hooks_get_the_password_through_the_environment_only() {
    for server in [Server::Postgres, Server::MySql] {
        let Some(test_db) = TestDb::create(server) else {
            continue;
        };
        let user = PasswordUser::create(test_db);
        let db_name = user.db.name().to_string();
        let p = Project::new("");
        p.rev(1, "a", &[], &create("ta"), &drop("ta"));
        p.rev(2, "b", &["a"], &create("tb"), &drop("tb"));
        // The backup recipes of the README.
        let recipe = match server {
            Server::Postgres => "pg_dump {url} > backup_{timestamp}.sql",
            Server::MySql => {
                "mariadb-dump -h {host} -P {port} -u {user} {database} > backup_{timestamp}.sql"
            }
        };
        std::fs::write(
            p.path().join("hooks.toml"),
            format!(
                "[aludel]\nscript_location = \"migrations\"\n\n[hooks]\npre_upgrade = [\n  \
                 \"env > hook.env\",\n  \
                 \"sh -c 'sleep 2; true' sleeper {{url}} {{user}} {{host}} {{port}} {{database}}\",\n  \
                 \"{recipe}\",\n]\n"
            ),
        )
        .unwrap();
        let run = |args: &[&str]| {
            let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_aludel"));
            command
                .current_dir(p.path())
                // Not --url: aludel's own command line would show the password.
                .env("DATABASE_URL", user.url())
                .env_remove("PGPASSWORD")
                .env_remove("MYSQL_PWD")
                .args(args);
            command
        };
        let out = run(&["upgrade", "a"]).output().unwrap();
        assert!(out.status.success(), "{}", all_output(&out));

        let mut child = run(&["-c", "hooks.toml", "upgrade", "head"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let mut saw_the_hook = false;
        while child.try_wait().unwrap().is_none() {
            for line in command_lines() {
                assert!(
                    !line.contains(&user.password) && !line.contains("S3cr%40t"),
                    "[{server}] a password on a command line: {line}"
                );
                if line.contains("sleeper") && line.contains(&db_name) {
                    saw_the_hook = true;
                }
            }
            assert!(started.elapsed() < Duration::from_secs(60), "hung");
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = child.wait_with_output().unwrap();
        let text = all_output(&out);
        assert!(out.status.success(), "[{server}] {text}");
        assert!(!text.contains("S3cr"), "[{server}] {text}");
        assert!(saw_the_hook, "[{server}] the scan saw the hook running");

        // What the hook saw: {url} without the password, the password in the
        // client's variable.
        let env = std::fs::read_to_string(p.path().join("hook.env")).unwrap();
        let var = |name: &str| {
            env.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}=")))
                .unwrap_or_else(|| panic!("[{server}] {name} is not set:\n{env}"))
                .to_string()
        };
        let host_port = user.url().rsplit_once('@').unwrap().1.to_string();
        let (host, port) = host_port
            .split_once('/')
            .unwrap()
            .0
            .split_once(':')
            .unwrap();
        let scheme = match server {
            Server::Postgres => "postgres",
            Server::MySql => "mysql",
        };
        assert_eq!(
            var("ALUDEL_DATABASE_URL"),
            format!("{scheme}://{}@{host_port}", user.user)
        );
        assert_eq!(var("ALUDEL_DATABASE"), db_name);
        assert_eq!(var("ALUDEL_DATABASE_USER"), user.user);
        assert_eq!(var("ALUDEL_DATABASE_HOST"), host);
        assert_eq!(var("ALUDEL_DATABASE_PORT"), port);
        match server {
            Server::Postgres => {
                assert_eq!(var("PGPASSWORD"), user.password);
                assert_eq!(var("PGUSER"), user.user);
                assert_eq!(var("PGHOST"), host);
                assert_eq!(var("PGPORT"), port);
                assert_eq!(var("PGDATABASE"), db_name);
            }
            Server::MySql => {
                assert_eq!(var("MYSQL_PWD"), user.password);
                assert_eq!(var("MYSQL_HOST"), host);
                assert_eq!(var("MYSQL_TCP_PORT"), port);
            }
        }

        // The backup holds the database as it was before the upgrade.
        let backups: Vec<_> = std::fs::read_dir(p.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("backup_"))
            .collect();
        assert_eq!(backups.len(), 1, "[{server}]");
        let dump = std::fs::read_to_string(backups[0].path()).unwrap();
        assert!(dump.contains("CREATE TABLE"), "[{server}] {dump}");
        assert!(dump.contains("ta"), "[{server}] {dump}");
        assert!(
            !dump.contains("tb"),
            "[{server}] backed up before b ran: {dump}"
        );
    }
}

#[test]
fn a_failing_hook_that_prints_the_password_shows_stars() {
    let Some(test_db) = TestDb::create(Server::Postgres) else {
        return;
    };
    let user = PasswordUser::create(test_db);
    let p = Project::new("");
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    // The password as the client reads it, and URL-encoded as a tool may print it.
    let encoded = user.password.replace('@', "%40").replace('/', "%2F");
    let hook = format!(
        "echo \\\"cannot stat postgres://u:{encoded}@db, password $PGPASSWORD\\\" >&2; exit 3"
    );
    std::fs::write(
        p.path().join("aludel.toml"),
        format!(
            "[aludel]\nscript_location = \"migrations\"\n\n[hooks]\npre_upgrade = [\"{hook}\"]\n"
        ),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aludel"))
        .current_dir(p.path())
        .env_remove("DATABASE_URL")
        .args(["--url", &user.url(), "upgrade", "head"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: pre_upgrade hook 'echo \"cannot stat postgres://u:***@db, password $PGPASSWORD\" >&2; exit 3' failed (exit status: 3)\n  \
         reason: cannot stat postgres://u:***@db, password ***\n  \
         hint: nothing was upgraded; fix the hook or the tool it runs\n"
    );
    assert_eq!(user.db.tables(), Vec::<String>::new(), "nothing ran");
}

#[test]
fn post_write_hook_output_shows_stars() {
    let p = Project::new("");
    std::fs::write(
        p.path().join("aludel.toml"),
        "[aludel]\nscript_location = \"migrations\"\ndatabase_url = \"postgresql://app:hunter%402@db/prod\"\n\n\
         [hooks]\npost_write = [\"grep ^database_url aludel.toml\", \"echo hunter@2\"]\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aludel"))
        .current_dir(p.path())
        .env_remove("DATABASE_URL")
        .args(["revision", "-m", "first", "--rev-id", "a1"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", all_output(&out));
    let lines: Vec<&str> = stdout.lines().skip(1).collect();
    assert_eq!(
        lines,
        ["database_url = \"postgresql://app:***@db/prod\"", "***"],
        "{stdout}"
    );
}

/// Runs `aludel --url URL current` with the given PG* variables only.
fn current_with(url: &str, vars: &[(&str, &str)]) -> Output {
    let p = Project::new("");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_aludel"));
    command.current_dir(p.path()).env_remove("DATABASE_URL");
    for var in ["PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGPASSWORD"] {
        command.env_remove(var);
    }
    command.envs(vars.iter().copied());
    command.args(["--url", url, "current"]).output().unwrap()
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn a_url_without_a_host_says_where_it_tried() {
    let dir = tempfile::tempdir().unwrap();
    let nowhere = dir.path().join("nowhere");
    let nowhere = nowhere.to_str().unwrap();
    let port = free_port().to_string();
    type Case<'a> = (String, Vec<(&'a str, &'a str)>, String);
    let cases: Vec<Case> = vec![
        (
            "postgres:///app".into(),
            vec![("PGHOST", nowhere)],
            format!(
                "error: cannot connect to postgres:///app: No such file or directory (os error 2) \
                 (tried the Unix socket {nowhere}/.s.PGSQL.5432)\n"
            ),
        ),
        (
            "postgresql://u:S3cret@/app".into(),
            vec![("PGHOST", nowhere), ("PGPORT", &port)],
            format!(
                "error: cannot connect to postgresql://u:***@/app: No such file or directory (os error 2) \
                 (tried the Unix socket {nowhere}/.s.PGSQL.{port})\n"
            ),
        ),
        (
            format!("postgres://:{port}/app"),
            // (So that the default host is not a local server's socket.)
            vec![("PGPORT", &port)],
            format!(
                "error: cannot connect to postgres://:{port}/app: Connection refused (os error 111) \
                 (tried localhost:{port})\n"
            ),
        ),
        (
            format!("mysql://u:S3cret@:{port}/app"),
            vec![],
            format!(
                "error: cannot connect to mysql://u:***@:{port}/app: Connection refused (os error 111) \
                 (tried localhost:{port})\n"
            ),
        ),
        (
            format!("mysql:///app?socket={nowhere}/mysqld.sock"),
            vec![],
            format!(
                "error: cannot connect to mysql:///app?socket={nowhere}/mysqld.sock: No such file or directory (os error 2) \
                 (tried the Unix socket {nowhere}/mysqld.sock)\n"
            ),
        ),
    ];
    for (url, vars, expected) in cases {
        let out = current_with(&url, &vars);
        assert_eq!(out.status.code(), Some(1), "{url}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), expected, "{url}");
    }
}

/// The files of `dir` but the configuration and the migrations folder.
fn stray_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !matches!(n.as_str(), "aludel.toml" | "hooks.toml" | "migrations"))
        .collect()
}

fn run_in(p: &Project, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_aludel"))
        .current_dir(p.path())
        .env_remove("DATABASE_URL")
        .env_remove("ALUDEL_CONFIG")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn commands_that_only_read_never_create_a_sqlite_file() {
    let p = Project::new("");
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    let expected = format!(
        "error: cannot connect to sqlite:///app.db: SQLite database file app.db does not exist\n  \
         hint: a command that only reads does not create it; check the path in the URL \
         (a relative path is relative to the working directory, {}), or create the database \
         with 'aludel upgrade' or 'aludel ensure-version'\n",
        p.path().display()
    );
    for args in [
        &["current"][..],
        &["current", "-v"],
        &["current", "--check-heads"],
        &["history", "-i"],
        &["history", "-r", "current:"],
        &["show", "current"],
        &["edit", "current"],
    ] {
        let mut all = vec!["--url", "sqlite:///app.db"];
        all.extend_from_slice(args);
        let out = run_in(&p, &all);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), expected, "{args:?}");
        assert_eq!(stray_files(p.path()), Vec::<String>::new(), "{args:?}");
    }
    // An absolute path: no word about the working directory.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.db");
    let out = run_in(
        &p,
        &["--url", &format!("sqlite:///{}", file.display()), "current"],
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: cannot connect to sqlite:///{0}: SQLite database file {0} does not exist\n  \
             hint: a command that only reads does not create it; check the path in the URL, \
             or create the database with 'aludel upgrade' or 'aludel ensure-version'\n",
            file.display()
        )
    );
    assert!(!file.exists());
}

#[test]
fn a_malformed_revision_file_leaves_no_sqlite_file() {
    let p = Project::new("");
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    std::fs::write(
        p.path().join("migrations/versions/0002_b.sql"),
        "-- Revision ID: b\n-- Revises: nowhere\n\n-- aludel:upgrade\nSELECT 1;\n-- aludel:upgrade\n",
    )
    .unwrap();
    // Connecting overlaps loading the files: the race left a file in 10 of 50 runs.
    for i in 0..50 {
        for command in [&["upgrade", "head"][..], &["current"], &["stamp", "a"]] {
            let mut args = vec!["--url", "sqlite:///app.db"];
            args.extend_from_slice(command);
            let out = run_in(&p, &args);
            assert_eq!(out.status.code(), Some(1), "{command:?}");
            assert_eq!(
                stray_files(p.path()),
                Vec::<String>::new(),
                "run {i} of {command:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn a_writing_command_that_fails_before_writing_leaves_no_sqlite_file() {
    let p = Project::new("");
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    std::fs::write(
        p.path().join("hooks.toml"),
        "[aludel]\nscript_location = \"migrations\"\n\n[hooks]\npre_upgrade = [\"exit 4\"]\n",
    )
    .unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["upgrade", "nosuch"],
            "error: Can't locate revision identified by 'nosuch'\n  reason: No such revision or branch 'nosuch'\n",
        ),
        (
            &["stamp", "nosuch"],
            "error: Can't locate revision identified by 'nosuch'\n  reason: No such revision or branch 'nosuch'\n",
        ),
        (
            &["downgrade", "nosuch"],
            "error: Can't locate revision identified by 'nosuch'\n  reason: No such revision or branch 'nosuch'\n",
        ),
        (
            &["downgrade", "a"],
            "error: Destination a is not a valid downgrade target from current head(s)\n",
        ),
        (
            &["-c", "hooks.toml", "upgrade", "head"],
            "error: pre_upgrade hook 'exit 4' failed (exit status: 4)\n  hint: nothing was upgraded; fix the hook or the tool it runs\n",
        ),
    ];
    for (command, expected) in cases {
        let mut args = vec!["--url", "sqlite:///app.db"];
        args.extend_from_slice(command);
        let out = run_in(&p, &args);
        assert_eq!(out.status.code(), Some(1), "{command:?}");
        // (The headline: the reason of a range error is the graph module's.)
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with(expected), "{command:?}: {stderr}");
        assert_eq!(stray_files(p.path()), Vec::<String>::new(), "{command:?}");
    }
    // The README's SQLite backup recipe copes with the first upgrade.
    std::fs::write(
        p.path().join("hooks.toml"),
        "[aludel]\nscript_location = \"migrations\"\n\n[hooks]\npre_upgrade = \
         [\"test ! -e {database} || cp {database} {database}.{timestamp}.bak\"]\n",
    )
    .unwrap();
    let out = run_in(
        &p,
        &[
            "--url",
            "sqlite:///app.db",
            "-c",
            "hooks.toml",
            "upgrade",
            "head",
        ],
    );
    assert!(out.status.success(), "{}", all_output(&out));
    assert_eq!(stray_files(p.path()), ["app.db"]);
    p.rev(2, "b", &["a"], &create("tb"), &drop("tb"));
    let out = run_in(
        &p,
        &[
            "--url",
            "sqlite:///app.db",
            "-c",
            "hooks.toml",
            "upgrade",
            "head",
        ],
    );
    assert!(out.status.success(), "{}", all_output(&out));
    let mut files = stray_files(p.path());
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files[1].starts_with("app.db.20") && files[1].ends_with(".bak"),
        "{files:?}"
    );
}

#[test]
fn an_empty_sqlite_path_is_refused_for_writing() {
    let p = Project::new("");
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    for url in ["sqlite://", "sqlite:///"] {
        for command in [
            &["upgrade", "head"][..],
            &["downgrade", "base"],
            &["stamp", "a"],
            &["ensure-version"],
        ] {
            let mut args = vec!["--url", url];
            args.extend_from_slice(command);
            let out = run_in(&p, &args);
            assert_eq!(out.status.code(), Some(1), "{url} {command:?}");
            assert_eq!(
                String::from_utf8_lossy(&out.stderr),
                format!(
                    "error: The database URL '{url}' names no SQLite file\n  \
                     reason: an empty path is an in-memory database: every change would be lost when aludel exits\n  \
                     hint: name a file: sqlite:///app.db (relative to the working directory) or \
                     sqlite:////var/db/app.db (absolute); write sqlite::memory: if memory is really meant\n"
                ),
                "{url} {command:?}"
            );
        }
        // Reading an empty in-memory database is harmless.
        let out = run_in(&p, &["--url", url, "current"]);
        assert!(out.status.success(), "{url}: {}", all_output(&out));
    }
    // Written out, memory is what was meant.
    let out = run_in(&p, &["--url", "sqlite::memory:", "upgrade", "head"]);
    assert!(out.status.success(), "{}", all_output(&out));
    assert_eq!(stray_files(p.path()), Vec::<String>::new());
}

#[test]
fn sqlite_lock_time_out_while_creating_the_tables_is_a_lock_time_out() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("busy.db");
    let p = Project::new("");
    std::fs::write(
        p.path().join("aludel.toml"),
        "[aludel]\nscript_location = \"migrations\"\nlock_timeout = \"300ms\"\n",
    )
    .unwrap();
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    // Another writer holds the file for the whole run.
    let holder = SqliteWriteLock::hold(&file);
    let url = format!("sqlite:///{}", file.display());
    for command in [
        &["upgrade", "head"][..],
        &["ensure-version"],
        &["stamp", "a"],
    ] {
        let mut args = vec!["--url", &url];
        args.extend_from_slice(command);
        let out = run_in(&p, &args);
        assert_eq!(out.status.code(), Some(1), "{command:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!(
                "Waiting for the migration lock, held by another connection writing to this \
                 SQLite file (SQLite cannot say which) (up to 300ms, lock_timeout)\n\
                 error: cannot take the migration lock: another process holds the migration lock \
                 on '{}' (waited 300ms) (held by another connection writing to this SQLite file \
                 (SQLite cannot say which))\n  hint: wait for it to finish, or raise lock_timeout \
                 in aludel.toml\n",
                file.display()
            ),
            "{command:?}"
        );
    }
    std::mem::drop(holder);
}
