//! Every error kind of `--format json` (docs/json-output.md), each triggered as a
//! user would, its one JSON document snapshotted: kind, message, reason, hint and
//! the structured fields. The documented list of kinds and the cases here must be
//! the same list.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use aludel_testdb::Server;
use support::{Db, SqliteWriteLock};

/// Kinds no command can produce (documented, and kept in the library for its
/// callers), with the reason.
const UNREACHABLE: &[(&str, &str)] = &[
    (
        "unknown_timezone",
        "aludel.toml's timezone is checked when the config loads (config_invalid_value)",
    ),
    (
        "cannot_generate",
        "every change the three databases' descriptions can hold is written today; the kind stays for databases and objects added later",
    ),
    (
        "verification_failed",
        "a generated migration that fails its own verification is a bug of aludel's; none is known to trigger it",
    ),
];

const BASE_CONFIG: &str = "[aludel]\nscript_location = \"migrations\"\n\
                           database_url = \"sqlite:///app.db\"\nlock_timeout = \"300ms\"\n";

/// A project: aludel.toml (SQLite `app.db`), revisions `a` and `b` (`a -> b`).
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        f.write("aludel.toml", BASE_CONFIG);
        f.rev(
            "a",
            "",
            "CREATE TABLE ta (id INTEGER PRIMARY KEY);",
            "DROP TABLE ta;",
        );
        f.rev(
            "b",
            "a",
            "CREATE TABLE tb (id INTEGER PRIMARY KEY);",
            "DROP TABLE tb;",
        );
        f
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn append(&self, name: &str, text: &str) {
        let old = std::fs::read_to_string(self.path().join(name)).unwrap_or_default();
        self.write(name, &format!("{old}{text}"));
    }

    /// `migrations/versions/<id>.sql`.
    fn rev(&self, id: &str, revises: &str, upgrade: &str, downgrade: &str) {
        self.rev_text(
            id,
            &format!(
                "-- {id}\n--\n-- Revision ID: {id}\n-- Revises: {revises}\n\n\
                 -- aludel:upgrade\n{upgrade}\n\n-- aludel:downgrade\n{downgrade}\n"
            ),
        );
    }

    fn rev_text(&self, id: &str, text: &str) {
        self.write(&format!("migrations/versions/{id}.sql"), text);
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_aludel"));
        cmd.current_dir(self.path())
            .env_remove("DATABASE_URL")
            .env_remove("ALUDEL_CONFIG")
            .env_remove("EDITOR")
            .env_remove("VISUAL")
            .args(["--format", "json"])
            .args(args);
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run aludel")
    }

    /// Runs a command that must succeed (a step of a case's set-up).
    fn ok(&self, args: &[&str]) {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "set-up {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The project's SQLite database, for SQL of the test's own.
    fn sqlite(&self) -> Db {
        Db::Sqlite {
            _dir: tempfile::tempdir().unwrap(),
            path: self.path().join("app.db"),
        }
    }
}

type Case = (&'static str, Box<dyn Fn(&Fixture) -> Output>);

fn case(kind: &'static str, run: impl Fn(&Fixture) -> Output + 'static) -> Case {
    (kind, Box::new(run))
}

/// An Alembic project in `sub/` (its alembic.ini) and a stand-in for its Python
/// at `sub/python` that prints `answer` (what the import driver would print) and
/// exits with `status`, so that the import's errors need no Alembic installed.
fn alembic_stand_in(f: &Fixture, answer: &str, status: i32) {
    f.write("sub/alembic.ini", "[alembic]\nscript_location = alembic\n");
    f.write(
        "sub/python",
        &format!(
            "#!/bin/sh\ncat <<'EOF'\n{answer}\nEOF\necho 'Traceback: boom' >&2\nexit {status}\n"
        ),
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        f.path().join("sub/python"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
}

/// The driver's answer for a project with one revision `r1` (labelled `label`),
/// whose upgrade is `upgrade` (a JSON object).
fn alembic_answer(f: &Fixture, label: &str, upgrade: &str) -> String {
    let dir = f.path().join("sub/alembic/versions");
    format!(
        r#"{{"ok": true, "dialect": "sqlite", "url": null, "options": {{}}, "version_locations": ["{d}"], "recursive_version_locations": false, "post_write_hooks": [], "env": {{}}, "revisions": [{{"revision": "r1", "down_revisions": [], "branch_labels": ["{label}"], "depends_on": [], "message": "m", "create_date": "", "path": "{d}/r1_m.py", "upgrade": {upgrade}, "downgrade": {{"sql": "", "outside_transaction": false}}}}]}}"#,
        d = dir.display()
    )
}

fn import_with_stand_in(f: &Fixture, extra: &[&str]) -> Output {
    let mut args = vec![
        "import-alembic",
        "sub/alembic.ini",
        "--python",
        "sub/python",
    ];
    args.extend_from_slice(extra);
    f.run(&args)
}

/// A revision file `x` as written.
fn bad_file(f: &Fixture, text: &str) {
    f.rev_text("x", text);
}

fn cases() -> Vec<Case> {
    vec![
        case("command", |f| f.run(&["stamp", "--purge", "--sql", "head"])),
        case("working_directory_unreadable", |f| {
            std::fs::create_dir(f.path().join("gone")).unwrap();
            Command::new("sh")
                .args([
                    "-c",
                    "cd gone && rmdir ../gone && exec \"$0\" --format json heads",
                    env!("CARGO_BIN_EXE_aludel"),
                ])
                .current_dir(f.path())
                .output()
                .unwrap()
        }),
        case("config_not_found", |f| {
            std::fs::remove_file(f.path().join("aludel.toml")).unwrap();
            f.run(&["heads"])
        }),
        case("config_unreadable", |f| {
            f.run(&["-c", "migrations", "heads"])
        }),
        case("config_syntax", |f| {
            f.write("aludel.toml", "[aludel]\nscript_location = migrations\n");
            f.run(&["heads"])
        }),
        case("config_missing_table", |f| {
            f.run(&["-n", "analytics", "heads"])
        }),
        case("config_reserved_name", |f| f.run(&["-n", "hooks", "heads"])),
        case("config_missing_key", |f| {
            f.write(
                "aludel.toml",
                "[aludel]\ndatabase_url = \"sqlite:///app.db\"\n",
            );
            f.run(&["heads"])
        }),
        case("config_unknown_key", |f| {
            f.append("aludel.toml", "script_locations = \"x\"\n");
            f.run(&["heads"])
        }),
        case("config_wrong_type", |f| {
            f.append("aludel.toml", "truncate_slug_length = \"forty\"\n");
            f.run(&["heads"])
        }),
        case("config_invalid_value", |f| {
            f.write(
                "aludel.toml",
                &BASE_CONFIG.replace("lock_timeout = \"300ms\"", "lock_timeout = \"soon\""),
            );
            f.run(&["heads"])
        }),
        case("config_unusable_value", |f| {
            f.append("aludel.toml", "version_table = \"aludel_history\"\n");
            f.run(&["current"])
        }),
        case("config_undefined_variable", |f| {
            f.write(
                "aludel.toml",
                &BASE_CONFIG.replace("sqlite:///app.db", "${ALUDEL_TEST_UNSET_URL}"),
            );
            f.run(&["current"])
        }),
        case("dotenv_unreadable", |f| {
            std::fs::create_dir(f.path().join(".env")).unwrap();
            f.run(&["heads"])
        }),
        case("dotenv_syntax", |f| {
            f.write(".env", "A=1\nB=\"unclosed\n");
            f.run(&["heads"])
        }),
        case("invalid_x_argument", |f| f.run(&["-x", "=value", "heads"])),
        case("no_database_url", |f| {
            f.write(
                "aludel.toml",
                "[aludel]\nscript_location = \"migrations\"\n",
            );
            f.run(&["current"])
        }),
        case("invalid_database_url", |f| {
            f.run(&["--url", "oracle://db/app", "current"])
        }),
        case("script_location_missing", |f| {
            std::fs::remove_dir_all(f.path().join("migrations")).unwrap();
            f.run(&["heads"])
        }),
        case("file_unreadable", |f| {
            std::os::unix::fs::symlink("/nonexistent", f.path().join("migrations/versions/x.sql"))
                .unwrap();
            f.run(&["heads"])
        }),
        case("directory_unreadable", |f| {
            std::os::unix::fs::symlink("loop", f.path().join("loop")).unwrap();
            f.append("aludel.toml", "version_locations = [\"loop\"]\n");
            f.run(&["heads"])
        }),
        case("version_location_not_a_directory", |f| {
            f.write("afile", "");
            f.append("aludel.toml", "version_locations = [\"afile\"]\n");
            f.run(&["heads"])
        }),
        case("file_write_failed", |f| {
            f.write("migrations/versions/c", "a file where a folder is needed\n");
            f.append(
                "aludel.toml",
                "file_template = \"{rev}/new\"\nrecursive_version_locations = true\n",
            );
            f.run(&["revision", "-m", "new", "--rev-id", "c"])
        }),
        case("file_exists", |f| {
            std::fs::create_dir(f.path().join("migrations/versions/c.sql")).unwrap();
            f.append("aludel.toml", "file_template = \"{rev}\"\n");
            f.run(&["revision", "-m", "new", "--rev-id", "c"])
        }),
        case("file_not_utf8", |f| {
            std::fs::write(
                f.path().join("migrations/versions/x.sql"),
                b"-- x\n--\n-- Revision ID: x\n-- Revises: b\n\n-- aludel:upgrade\nSELECT '\xff';\n",
            )
            .unwrap();
            f.run(&["heads"])
        }),
        case("no_header", |f| {
            bad_file(f, "CREATE TABLE x (id INTEGER);\n");
            f.run(&["heads"])
        }),
        case("malformed_metadata", |f| {
            bad_file(
                f,
                "-- x\n--\n-- Revision ID: x\n-- Revises b\n\n-- aludel:upgrade\n",
            );
            f.run(&["heads"])
        }),
        case("unknown_header_key", |f| {
            bad_file(
                f,
                "-- x\n--\n-- Revison ID: x\n-- Revises: b\n\n-- aludel:upgrade\n",
            );
            f.run(&["heads"])
        }),
        case("duplicate_header_key", |f| {
            bad_file(
                f,
                "-- x\n--\n-- Revision ID: x\n-- Revises: b\n-- Revises: a\n\n-- aludel:upgrade\n",
            );
            f.run(&["heads"])
        }),
        case("missing_header_key", |f| {
            bad_file(f, "-- x\n--\n-- Revision ID: x\n\n-- aludel:upgrade\n");
            f.run(&["heads"])
        }),
        case("duplicate_header_item", |f| {
            bad_file(
                f,
                "-- x\n--\n-- Revision ID: x\n-- Revises: b, b\n\n-- aludel:upgrade\n",
            );
            f.run(&["heads"])
        }),
        case("invalid_revision_id", |f| {
            f.run(&["revision", "-m", "new", "--rev-id", "a-b"])
        }),
        case("empty_revision_id", |f| {
            f.run(&["revision", "-m", "new", "--rev-id", ""])
        }),
        case("reserved_revision_id", |f| {
            f.run(&["revision", "-m", "new", "--rev-id", "heads"])
        }),
        case("revision_id_too_long", |f| {
            f.run(&["revision", "-m", "new", "--rev-id", &"r".repeat(256)])
        }),
        case("invalid_branch_label", |f| {
            bad_file(
                f,
                "-- x\n--\n-- Revision ID: x\n-- Revises: b\n-- Branch Labels: api@v2\n\n-- aludel:upgrade\n",
            );
            f.run(&["heads"])
        }),
        case("empty_branch_label", |f| {
            f.run(&["revision", "-m", "new", "--branch-label", ""])
        }),
        case("invalid_dependency", |f| {
            bad_file(
                f,
                "-- x\n--\n-- Revision ID: x\n-- Revises: b\n-- Depends On: a@head\n\n-- aludel:upgrade\n",
            );
            f.run(&["heads"])
        }),
        case("unknown_marker", |f| {
            bad_file(
                f,
                "-- x\n--\n-- Revision ID: x\n-- Revises: b\n\n-- aludel:upgade\n",
            );
            f.run(&["heads"])
        }),
        case("duplicate_marker", |f| {
            bad_file(
                f,
                "-- x\n--\n-- Revision ID: x\n-- Revises: b\n\n-- aludel:upgrade\n\n-- aludel:upgrade\n",
            );
            f.run(&["heads"])
        }),
        case("invalid_section_option", |f| {
            bad_file(
                f,
                "-- x\n--\n-- Revision ID: x\n-- Revises: b\n\n-- aludel:upgrade transaction=maybe\n",
            );
            f.run(&["heads"])
        }),
        case("missing_upgrade_section", |f| {
            bad_file(f, "-- x\n--\n-- Revision ID: x\n-- Revises: b\n");
            f.run(&["heads"])
        }),
        case("text_before_marker", |f| {
            bad_file(
                f,
                "-- x\n--\n-- Revision ID: x\n-- Revises: b\n\nSELECT 1;\n-- aludel:upgrade\n",
            );
            f.run(&["heads"])
        }),
        case("invalid_file_template", |f| {
            f.append("aludel.toml", "file_template = \"{rev}_{nope}\"\n");
            f.run(&["revision", "-m", "new"])
        }),
        case("unknown_template_token", |f| {
            f.write("migrations/script.sql.tmpl", "-- {message}\n-- {nope}\n");
            f.run(&["revision", "-m", "new"])
        }),
        case("template_syntax", |f| {
            f.write("migrations/script.sql.tmpl", "-- {message}\n-- {unclosed\n");
            f.run(&["revision", "-m", "new"])
        }),
        case("unknown_template", |f| f.run(&["init", "-t", "nope", "db"])),
        case("directory_not_empty", |f| f.run(&["init", "migrations"])),
        case("init_path_not_a_directory", |f| {
            f.write("afile", "");
            f.run(&["init", "afile"])
        }),
        case("config_path_is_directory", |f| {
            f.run(&["-c", "migrations", "init", "db"])
        }),
        case("path_not_utf8", |f| {
            use std::os::unix::ffi::OsStrExt;
            f.command(&["init"])
                .arg(std::ffi::OsStr::from_bytes(b"db\xff"))
                .output()
                .unwrap()
        }),
        case("init_write_failed", |f| {
            std::os::unix::fs::symlink("/nonexistent/db", f.path().join("link")).unwrap();
            f.run(&["init", "link/migrations"])
        }),
        case("unknown_revision", |f| f.run(&["show", "zzzz"])),
        case("multiple_heads", |f| {
            f.rev("c", "a", "SELECT 1;", "SELECT 1;");
            f.run(&["show", "head"])
        }),
        case("not_an_ancestor", |f| f.run(&["history", "-r", "b:a"])),
        case("cycle", |f| {
            f.rev("a", "b", "SELECT 1;", "SELECT 1;");
            f.run(&["heads"])
        }),
        case("duplicate_revision", |f| {
            f.run(&["revision", "-m", "new", "--rev-id", "a"])
        }),
        case("branch_label_in_use", |f| {
            f.run(&[
                "revision",
                "-m",
                "new",
                "--rev-id",
                "c",
                "--branch-label",
                "b",
            ])
        }),
        case("missing_reference", |f| {
            f.rev("c", "nope", "SELECT 1;", "SELECT 1;");
            f.run(&["heads"])
        }),
        case("desired_schema_missing", |f| {
            f.ok(&["upgrade", "head"]);
            f.append("aludel.toml", "[autogenerate]\nschema = \"nope.sql\"\n");
            f.run(&["check"])
        }),
        case("desired_schema_statement", |f| {
            f.ok(&["upgrade", "head"]);
            f.write(
                "schema.sql",
                "CREATE TABLE ta (id INTEGER PRIMARY KEY);\nCREAT TABLE x (id INT);\n",
            );
            f.run(&["check"])
        }),
        case("python_not_found", |f| {
            f.ok(&["upgrade", "head"]);
            f.append(
                "aludel.toml",
                "[autogenerate]\nschema = \"sqlalchemy:app.models:Base\"\npython = \"nope/python\"\n",
            );
            f.run(&["check"])
        }),
        case("python_failed", |f| {
            f.ok(&["upgrade", "head"]);
            f.write("bin/python", "#!/bin/sh\necho 'not a Python' >&2\nexit 1\n");
            make_executable(&f.path().join("bin/python"));
            f.append(
                "aludel.toml",
                "[autogenerate]\nschema = \"sqlalchemy:app.models:Base\"\npython = \"bin/python\"\n",
            );
            f.run(&["check"])
        }),
        case("schema_command_failed", |f| {
            f.ok(&["upgrade", "head"]);
            f.append(
                "aludel.toml",
                "[autogenerate]\nschema = \"command:echo no such model >&2; exit 2\"\n",
            );
            f.run(&["check"])
        }),
        case("schema_command_empty", |f| {
            f.ok(&["upgrade", "head"]);
            f.append("aludel.toml", "[autogenerate]\nschema = \"command:true\"\n");
            f.run(&["check"])
        }),
        case("not_up_to_date", |f| {
            f.ok(&["upgrade", "a"]);
            f.write("schema.sql", "CREATE TABLE ta (id INTEGER PRIMARY KEY);\n");
            f.run(&["revision", "--autogenerate", "-m", "next"])
        }),
        case("invalid_shadow_database_url", |f| {
            f.ok(&["upgrade", "head"]);
            f.write("schema.sql", "CREATE TABLE ta (id INTEGER PRIMARY KEY);\n");
            f.append(
                "aludel.toml",
                "[autogenerate]\nshadow_database_url = \"nonsense\"\n",
            );
            f.run(&["check"])
        }),
        case("offline_replay_failed", |f| {
            f.rev("c", "b", "CREAT TABLE tc (id INT);", "SELECT 1;");
            f.write("schema.sql", "CREATE TABLE ta (id INTEGER PRIMARY KEY);\n");
            f.run(&["check", "--offline"])
        }),
        case("invalid_rename", |f| {
            f.ok(&["upgrade", "head"]);
            f.write("schema.sql", "CREATE TABLE ta (id INTEGER PRIMARY KEY);\n");
            f.run(&["check", "--rename", "ta"])
        }),
        case("differences_found", |f| {
            f.ok(&["upgrade", "head"]);
            f.write(
                "schema.sql",
                "CREATE TABLE ta (id INTEGER PRIMARY KEY, name TEXT);\nCREATE TABLE tc (id INTEGER);\n",
            );
            f.run(&["check"])
        }),
        case("ambiguous_walk", |f| {
            f.rev("c", "a", "SELECT 1;", "SELECT 1;");
            f.run(&["upgrade", "--sql", "a:a+1"])
        }),
        case("revision_graph", |f| f.run(&["upgrade", "--sql", "a:+5"])),
        case("not_a_head", |f| {
            f.run(&["revision", "-m", "new", "--head", "a"])
        }),
        case("range_not_allowed", |f| f.run(&["upgrade", "a:b"])),
        case("range_required", |f| f.run(&["downgrade", "--sql", "a"])),
        case("invalid_range", |f| f.run(&["history", "-r", "a:b:c"])),
        case("no_revision_files", |f| f.run(&["edit", "base"])),
        case("no_editor", |f| f.run(&["edit", "a"])),
        case("editor_failed", |f| {
            f.command(&["edit", "a"])
                .env("EDITOR", "false")
                .output()
                .unwrap()
        }),
        case("hook_failed", |f| {
            f.append("aludel.toml", "\n[hooks]\npost_write = [\"exit 3\"]\n");
            f.run(&["revision", "-m", "new", "--rev-id", "c"])
        }),
        case("sqlite_memory_url", |f| {
            f.run(&["--url", "sqlite://", "upgrade", "head"])
        }),
        case("irreversible", |f| {
            f.rev("b", "a", "CREATE TABLE tb (id INTEGER PRIMARY KEY);", "");
            f.ok(&["upgrade", "head"]);
            f.run(&["downgrade", "base"])
        }),
        case("transaction_control", |f| {
            f.rev(
                "b",
                "a",
                "BEGIN;\nCREATE TABLE tb (id INTEGER);\nCOMMIT;",
                "",
            );
            f.run(&["upgrade", "head"])
        }),
        case("unrendered_section", |f| {
            f.rev(
                "b",
                "a",
                "-- aludel:unrendered Alembic's upgrade() cannot be rendered as SQL offline: reads the database",
                "DROP TABLE tb;",
            );
            f.run(&["upgrade", "head"])
        }),
        case("unrendered_outside_section", |f| {
            bad_file(
                f,
                "-- x\n--\n-- Revision ID: x\n-- Revises: b\n\n-- aludel:unrendered\n-- aludel:upgrade\n",
            );
            f.run(&["heads"])
        }),
        case("unrendered_revisions", |f| {
            let answer = alembic_answer(
                f,
                "lib",
                r#"{"error": "reads the database: executes `SELECT id FROM t`", "line": 19, "source": "def upgrade():\n    pass\n"}"#,
            );
            alembic_stand_in(f, &answer, 0);
            import_with_stand_in(f, &[])
        }),
        case("config_exists", |f| {
            alembic_stand_in(f, "{}", 0);
            f.write("sub/aludel.toml", BASE_CONFIG);
            import_with_stand_in(f, &[])
        }),
        case("alembic_ini_missing", |f| f.run(&["import-alembic"])),
        case("python_not_found@import_alembic", |f| {
            alembic_stand_in(f, "{}", 0);
            f.run(&[
                "import-alembic",
                "sub/alembic.ini",
                "--python",
                "sub/no-such-python",
            ])
        }),
        case("alembic_not_installed", |f| {
            alembic_stand_in(
                f,
                r#"{"ok": false, "kind": "alembic_not_installed", "error": "Alembic or SQLAlchemy cannot be imported by sub/python: ModuleNotFoundError: No module named 'alembic'", "detail": ""}"#,
                0,
            );
            import_with_stand_in(f, &[])
        }),
        case("no_dialect", |f| {
            alembic_stand_in(
                f,
                r#"{"ok": false, "kind": "no_dialect", "error": "SQLAlchemy has no dialect 'driver': NoSuchModuleError: Can't load plugin: sqlalchemy.dialects:driver", "detail": ""}"#,
                0,
            );
            import_with_stand_in(f, &[])
        }),
        case("alembic_import_failed", |f| {
            alembic_stand_in(f, "", 1);
            import_with_stand_in(f, &["--dialect", "sqlite"])
        }),
        case("alembic_revision_not_importable", |f| {
            let answer =
                alembic_answer(f, "api@v2", r#"{"sql": "", "outside_transaction": false}"#);
            alembic_stand_in(f, &answer, 0);
            import_with_stand_in(f, &[])
        }),
        case("copy_from_stdin", |f| {
            f.rev("b", "a", "COPY ta FROM STDIN;", "");
            f.run(&["upgrade", "head"])
        }),
        case("unknown_version_row", |f| {
            f.ok(&["upgrade", "a"]);
            f.sqlite()
                .execute("UPDATE aludel_version SET version_num = 'gone'");
            f.run(&["upgrade", "head"])
        }),
        case("version_table_changed", |f| {
            f.rev("b", "a", "DELETE FROM aludel_version;", "");
            f.run(&["upgrade", "head"])
        }),
        case("resume_statements_changed", |f| {
            let b = |first: &str| {
                format!(
                    "-- b\n--\n-- Revision ID: b\n-- Revises: a\n\n\
                     -- aludel:upgrade transaction=false\n{first}\nSELECT nothing FROM nowhere;\n"
                )
            };
            f.rev_text("b", &b("CREATE TABLE tb (id INTEGER);"));
            assert_eq!(f.run(&["upgrade", "head"]).status.code(), Some(1));
            f.rev_text("b", &b("CREATE TABLE tb2 (id INTEGER);"));
            f.run(&["upgrade", "head"])
        }),
        case("not_at_heads", |f| {
            f.ok(&["upgrade", "a"]);
            f.run(&["current", "--check-heads"])
        }),
        case("database_unreachable", |f| {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let out = f.run(&[
                "--url",
                &format!("postgres://app@127.0.0.1:{port}/app"),
                "current",
            ]);
            // The port differs per run.
            let text = String::from_utf8_lossy(&out.stdout).replace(&port.to_string(), "PORT");
            Output {
                stdout: text.into_bytes(),
                ..out
            }
        }),
        case("database_rejected", |f| f.run(&["current"])),
        case("lock_timeout", |f| {
            f.ok(&["ensure-version"]);
            let _lock = SqliteWriteLock::hold(&f.path().join("app.db"));
            f.run(&["upgrade", "head"])
        }),
        case("database", |f| {
            f.ok(&["ensure-version"]);
            f.sqlite().execute("DROP TABLE aludel_version");
            f.sqlite()
                .execute("CREATE TABLE aludel_version (other INTEGER)");
            f.run(&["current"])
        }),
        case("migration_failed", |f| {
            f.rev(
                "b",
                "a",
                "CREATE TABLE tb (id INTEGER);\nSELECT nothing FROM nowhere;",
                "",
            );
            f.run(&["upgrade", "head"])
        }),
    ]
}

type ServerCase = (&'static str, fn(&Fixture, &Db) -> Output);

/// Cases that need a database server (PostgreSQL): what SQLite cannot show. The
/// fixture's URL is the server's.
fn server_cases() -> Vec<ServerCase> {
    vec![
        ("revision_id_too_wide", |f, db| {
            // An Alembic-made version table: VARCHAR(32).
            f.append("aludel.toml", "version_table = \"alembic_version\"\n");
            f.ok(&["upgrade", "a"]);
            db.execute(
                "DROP TABLE alembic_version; \
                 CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL); \
                 INSERT INTO alembic_version VALUES ('a')",
            );
            let long = "r".repeat(40);
            f.rev(&long, "b", "SELECT 1;", "SELECT 1;");
            f.run(&["upgrade", "head"])
        }),
        ("uncertain_statement", |f, db| {
            f.rev_text(
                "b",
                "-- b\n--\n-- Revision ID: b\n-- Revises: a\n\n\
                 -- aludel:upgrade transaction=false\nSELECT pg_sleep(20);\n",
            );
            f.ok(&["ensure-version"]);
            // Killed while the statement runs: it may or may not have run.
            let mut child = f
                .command(&["upgrade", "head"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let started = Instant::now();
            while db.column(
                "SELECT count(*) FROM aludel_history WHERE statement_started IS NOT NULL \
                 AND revision = 'b'",
            ) != vec!["1".to_string()]
            {
                assert!(started.elapsed() < Duration::from_secs(30), "never started");
                std::thread::sleep(Duration::from_millis(50));
            }
            child.kill().unwrap();
            child.wait().unwrap();
            db.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            );
            f.run(&["upgrade", "head"])
        }),
    ]
}

type PythonCase = (&'static str, fn(&Fixture, &str) -> Output);

/// Cases that need the tests' Python (SQLAlchemy installed): the fixture runs
/// `check` with `[autogenerate]` naming `app.models` and that Python.
fn python_cases() -> Vec<PythonCase> {
    fn models(f: &Fixture, python: &str, schema: &str, models: &str) -> Output {
        check_models(f, python, schema, models, &[])
    }
    /// `url`: `--url` and its value, or nothing (the fixture's SQLite file).
    fn check_models(f: &Fixture, python: &str, schema: &str, models: &str, url: &[&str]) -> Output {
        f.ok(&["upgrade", "head"]);
        f.write("app/__init__.py", "");
        f.write("app/models.py", models);
        f.append(
            "aludel.toml",
            &format!("[autogenerate]\nschema = \"{schema}\"\npython = {python:?}\n"),
        );
        f.run(&[url, &["check"]].concat())
    }
    const BASE: &str = "from sqlalchemy import Column, Integer, String\n\
                        from sqlalchemy.orm import declarative_base\n\
                        Base = declarative_base()\n\
                        class T(Base):\n    __tablename__ = 't'\n    \
                        id = Column(Integer, primary_key=True)\n    name = Column(String)\n";
    vec![
        ("sqlalchemy_not_installed", |f, python| {
            f.write(
                "bin/python",
                &format!("#!/bin/sh\nexec {python} -S \"$@\"\n"),
            );
            make_executable(&f.path().join("bin/python"));
            models(f, "bin/python", "sqlalchemy:app.models:Base", BASE)
        }),
        ("model_import_failed", |f, python| {
            models(f, python, "sqlalchemy:app.modelz:Base", BASE)
        }),
        ("model_attribute_invalid", |f, python| {
            models(f, python, "sqlalchemy:app.models:T.id", BASE)
        }),
        ("model_compile_failed", |f, python| {
            // Compiled for MySQL before any connection (the server is not there).
            let url = ["--url", "mysql://app@127.0.0.1:1/app"];
            check_models(f, python, "sqlalchemy:app.models:Base", BASE, &url)
        }),
    ]
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// The text with the fixture's folder as `[DIR]`.
fn stable(f: &Fixture, text: &str) -> String {
    text.replace(&f.path().display().to_string(), "[DIR]")
}

/// Runs one case; checks it fails with exit 1 and exactly one JSON document of its
/// kind; returns the document, pretty-printed and stable.
fn document(kind: &str, f: &Fixture, out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{kind}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.lines().count(), 1, "{kind}: one document: {stdout}");
    let mut doc: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{kind}: not JSON ({e}): {stdout}"));
    assert_eq!(doc["error"]["kind"], kind_of(kind), "{kind}: {stdout}");
    let steps = doc
        .get_mut("error")
        .and_then(|e| e.get_mut("committed_steps"))
        .and_then(|s| s.as_array_mut());
    if let Some(steps) = steps {
        for step in steps {
            step["duration_ms"] = serde_json::json!(0);
        }
    }
    stable(f, &serde_json::to_string_pretty(&doc).unwrap())
}

/// A case's label is its kind, or `kind@where` for a second command that reports
/// the same kind (its snapshot is `kind_where`).
fn kind_of(label: &str) -> &str {
    label.split('@').next().unwrap_or(label)
}

fn snapshot(kind: &str, doc: &str) {
    let kind = kind.replace('@', "_");
    let kind = kind.as_str();
    insta::with_settings!({
        filters => vec![
            (r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}(:?\d{2})?|Z| UTC)?", "[TIME]"),
        ],
    }, {
        insta::assert_snapshot!(kind, doc);
    });
}

#[test]
fn every_error_kind_without_a_server() {
    for (kind, run) in cases() {
        let f = Fixture::new();
        let out = run(&f);
        snapshot(kind, &document(kind, &f, &out));
    }
}

#[test]
fn error_kinds_that_need_a_server() {
    let Some(db) = Db::server(Server::Postgres) else {
        return;
    };
    let url = db.url();
    let Db::Server(test_db) = &db else {
        unreachable!()
    };
    let name = test_db.name().to_string();
    for (kind, run) in server_cases() {
        // Each case on a database of its own state.
        db.execute(
            "DROP TABLE IF EXISTS alembic_version, aludel_version, aludel_history, ta, tb, tg",
        );
        let f = Fixture::new();
        f.write(
            "aludel.toml",
            &BASE_CONFIG.replace("sqlite:///app.db", &url),
        );
        let out = run(&f, &db);
        let doc = document(kind, &f, &out).replace(&name, "[DB]");
        snapshot(kind, &doc);
    }
}

#[test]
fn error_kinds_that_need_python() {
    let Some(python) = aludel_testdb::Python::Current.interpreter() else {
        return;
    };
    let python = python.display().to_string();
    for (kind, run) in python_cases() {
        let f = Fixture::new();
        let out = run(&f, &python);
        // The interpreter's and the folder's real paths differ per machine.
        let real = std::fs::canonicalize(f.path()).unwrap();
        let text = String::from_utf8_lossy(&out.stdout)
            .replace(&real.display().to_string(), &f.path().display().to_string())
            .replace(&python, "[PYTHON]");
        let out = Output {
            stdout: text.into_bytes(),
            ..out
        };
        snapshot(kind, &document(kind, &f, &out));
    }
}

/// The kinds docs/json-output.md lists, in its kinds table.
fn documented_kinds() -> BTreeSet<String> {
    let doc = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/json-output.md");
    let text = std::fs::read_to_string(doc).unwrap();
    let table = text
        .split("| kind | when | fields |")
        .nth(1)
        .expect("the kinds table");
    table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| l.split('`').nth(1).map(str::to_string))
        .collect()
}

#[test]
fn every_documented_kind_has_a_case_and_every_case_is_documented() {
    let tested: BTreeSet<String> = cases()
        .into_iter()
        .map(|(kind, _)| kind)
        .chain(server_cases().into_iter().map(|(kind, _)| kind))
        .chain(python_cases().into_iter().map(|(kind, _)| kind))
        .map(|label| kind_of(label).to_string())
        .chain(UNREACHABLE.iter().map(|(kind, _)| kind.to_string()))
        .collect();
    assert_eq!(documented_kinds(), tested);
}
