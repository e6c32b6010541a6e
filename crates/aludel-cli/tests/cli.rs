//! The `aludel` binary end to end on temporary projects: output, files written,
//! exit codes and error messages.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn aludel(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("aludel").expect("binary");
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("ALUDEL_CONFIG");
    cmd
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    aludel(dir.path()).arg("init").assert().success();
    dir
}

fn write_rev(dir: &Path, name: &str, id: &str, revises: &str, extra: &str) {
    let text = format!(
        "-- {name}\n--\n-- Revision ID: {id}\n-- Revises: {revises}\n-- Create Date: 2026-11-21 10:00:00+00:00\n{extra}\n-- aludel:upgrade\nSELECT 1;\n\n-- aludel:downgrade\nSELECT 2;\n"
    );
    std::fs::write(
        dir.join("migrations/versions")
            .join(format!("{id}_{name}.sql")),
        text,
    )
    .expect("write");
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("utf8")
}

#[test]
fn init_creates_the_project_and_refuses_a_non_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    aludel(dir.path()).arg("init").assert().success().stdout(
        predicate::str::contains("Generating").and(predicate::str::contains("aludel.toml")),
    );
    for f in [
        "aludel.toml",
        "schema.sql",
        "migrations/script.sql.tmpl",
        "migrations/README.md",
    ] {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
    assert!(dir.path().join("migrations/versions").is_dir());
    let before = std::fs::read(dir.path().join("aludel.toml")).unwrap();
    aludel(dir.path())
        .arg("init")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists and is not empty"));
    assert_eq!(
        std::fs::read(dir.path().join("aludel.toml")).unwrap(),
        before
    );
}

#[test]
fn revision_writes_a_file_that_history_and_heads_list() {
    let dir = project();
    aludel(dir.path())
        .args(["revision", "-m", "create users", "--rev-id", "aaa1"])
        .assert()
        .success()
        .stdout(predicate::str::contains("aaa1_create_users.sql ...  done"));
    aludel(dir.path())
        .args(["revision", "-m", "add email", "--rev-id", "bbb2"])
        .assert()
        .success();
    let history = stdout(aludel(dir.path()).arg("history"));
    assert_eq!(
        history,
        "aaa1 -> bbb2 (head), add email\n<base> -> aaa1, create users\n"
    );
    assert_eq!(stdout(aludel(dir.path()).arg("heads")), "bbb2 (head)\n");
    let files: Vec<_> = std::fs::read_dir(dir.path().join("migrations/versions"))
        .unwrap()
        .collect();
    assert_eq!(files.len(), 2);
}

#[test]
fn branches_merges_and_labels() {
    let dir = project();
    write_rev(dir.path(), "a", "a000", "", "");
    write_rev(dir.path(), "b", "b000", "a000", "");
    write_rev(dir.path(), "c1", "c100", "b000", "-- Branch Labels: left\n");
    write_rev(dir.path(), "c2", "c200", "b000", "");
    assert_eq!(
        stdout(aludel(dir.path()).arg("heads")),
        "c100 (left) (head)\nc200 (head)\n"
    );
    assert_eq!(
        stdout(aludel(dir.path()).arg("branches")),
        "b000 (branchpoint)\n     -> c100 (left) (head)\n     -> c200 (head)\n\n"
    );
    aludel(dir.path())
        .args(["revision", "-m", "x"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.",
        ));
    aludel(dir.path())
        .args(["merge", "heads", "-m", "join", "--rev-id", "m000"])
        .assert()
        .success();
    assert_eq!(
        stdout(aludel(dir.path()).arg("heads")),
        "m000 (left) (head)\n"
    );
    let history = stdout(aludel(dir.path()).args(["history", "-r", "left@head:"]));
    assert!(
        history.starts_with("c100, c200 -> m000 (left) (head) (mergepoint), join\n"),
        "{history}"
    );
}

#[test]
fn unknown_revisions_and_ranges_have_alembic_messages_and_reasons() {
    let dir = project();
    write_rev(dir.path(), "a", "aaaa1111", "", "");
    aludel(dir.path())
        .args(["show", "zzz"])
        .assert()
        .code(1)
        .stderr(predicate::str::diff(
            "error: Can't locate revision identified by 'zzz'\n  reason: No such revision or branch 'zzz'; please ensure at least four characters are present for partial revision identifier matches\n",
        ));
    aludel(dir.path())
        .args(["history", "-r", "aaaa1111"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "History range requires [start]:[end], [start]:, or :[end]",
        ));
    let json = stdout(aludel(dir.path()).args(["--format", "json", "show", "aaaa"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["revisions"][0]["revision"], "aaaa1111");
    let out = aludel(dir.path())
        .args(["--format", "json", "show", "nope"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v["error"]["message"],
        "Can't locate revision identified by 'nope'"
    );
}

#[test]
fn malformed_files_are_reported_with_file_and_line_and_nothing_is_written() {
    let dir = project();
    write_rev(dir.path(), "a", "a000", "", "");
    std::fs::write(
        dir.path().join("migrations/versions/bad.sql"),
        "-- bad\n--\n-- Revision ID: b000\n-- Revises: a000\n-- Revison: x\n\n-- aludel:upgrade\n",
    )
    .unwrap();
    aludel(dir.path())
        .arg("heads")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.sql:5"));
    aludel(dir.path())
        .args(["revision", "-m", "new"])
        .assert()
        .code(1);
    let count = std::fs::read_dir(dir.path().join("migrations/versions"))
        .unwrap()
        .count();
    assert_eq!(count, 2, "no new file after a failed command");
}

#[test]
fn duplicate_branch_label_is_refused_before_writing() {
    let dir = project();
    write_rev(dir.path(), "a", "a000", "", "-- Branch Labels: core\n");
    aludel(dir.path())
        .args(["revision", "-m", "b", "--branch-label", "core"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Branch name 'core' in revision"));
    let count = std::fs::read_dir(dir.path().join("migrations/versions"))
        .unwrap()
        .count();
    assert_eq!(count, 1);
}

#[test]
fn missing_config_and_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    aludel(dir.path())
        .arg("heads")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("No config file"));
    aludel(dir.path()).arg("no-such-command").assert().code(2);
}

#[test]
fn global_options_work_after_the_command_and_c_before_it() {
    let dir = project();
    write_rev(dir.path(), "one", "r1", "", "");
    write_rev(dir.path(), "two", "r2", "r1", "");
    let url = format!("sqlite:///{}", dir.path().join("app.db").display());
    // --url and -q after the command: applied, and nothing printed.
    let out = aludel(dir.path())
        .args(["upgrade", "head", "--url", &url, "-q"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(
        (out.stdout.as_slice(), out.stderr.as_slice()),
        (&b""[..], &b""[..])
    );
    let current = stdout(aludel(dir.path()).args(["current", "--url", &url]));
    assert_eq!(current, "r2 (head)\n");
    // A relative revision and a global flag, in both orders.
    aludel(dir.path())
        .args(["downgrade", "-1", "-q", "--url", &url])
        .assert()
        .success()
        .stderr("");
    aludel(dir.path())
        .args(["downgrade", "-q", "--url", &url, "-1"])
        .assert()
        .success()
        .stderr("");
    assert_eq!(
        stdout(aludel(dir.path()).args(["current", "--url", &url])),
        "No revision applied (the version table aludel_version is empty or missing)\n"
    );
    // --format and -v after the command.
    let heads = stdout(aludel(dir.path()).args(["heads", "--format", "json"]));
    assert!(heads.starts_with("{\"heads\":[{"), "{heads}");
    let verbose = stdout(aludel(dir.path()).args(["heads", "-v"]));
    assert!(verbose.starts_with("Rev: r2 (head)\n"), "{verbose}");
    assert_eq!(verbose, stdout(aludel(dir.path()).args(["-v", "heads"])));
    // -c FILE before the command; after it, current -c is --check-heads (as in
    // Alembic), and --config FILE works anywhere.
    std::fs::rename(
        dir.path().join("aludel.toml"),
        dir.path().join("other.toml"),
    )
    .unwrap();
    let heads = stdout(aludel(dir.path()).args(["-c", "other.toml", "heads"]));
    assert_eq!(heads, "r2 (head)\n");
    assert_eq!(
        stdout(aludel(dir.path()).args(["heads", "--config", "other.toml"])),
        heads
    );
    aludel(dir.path())
        .args(["current", "--config", "other.toml", "--url", &url, "-c"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: Database is not on all head revisions\n",
        ));
}

#[test]
fn the_config_file_is_found_in_a_parent_folder() {
    let dir = project();
    write_rev(dir.path(), "one", "r1", "", "");
    let deep = dir.path().join("app/api");
    std::fs::create_dir_all(&deep).unwrap();
    assert_eq!(stdout(aludel(&deep).arg("heads")), "r1 (head)\n");
    // New revisions go to the project's migrations, not next to the working folder.
    aludel(&deep)
        .args(["revision", "-m", "two", "--rev-id", "r2"])
        .assert()
        .success();
    assert_eq!(stdout(aludel(dir.path()).arg("heads")), "r2 (head)\n");
    assert!(!deep.join("migrations").exists());
    // Messages name the file as reached from the working folder.
    std::fs::write(
        dir.path().join("aludel.toml"),
        "[aludel]\nscript_location = 1\n",
    )
    .unwrap();
    aludel(&deep).arg("heads").assert().code(1).stderr(
        "error: ../../aludel.toml: key 'script_location' in [aludel] must be a string, found integer\n  hint: give 'script_location' a string\n",
    );
}

#[test]
fn help_says_what_each_argument_is() {
    let dir = tempfile::tempdir().unwrap();
    let help = |args: &[&str]| stdout(aludel(dir.path()).args(args));
    let ensure = help(&["ensure-version", "--help"]);
    assert!(
        ensure.contains("Print the SQL script instead of running it"),
        "{ensure}"
    );
    assert!(!ensure.to_lowercase().contains("range"), "{ensure}");
    let upgrade = help(&["upgrade", "--help"]);
    assert!(
        upgrade.contains("<REVISION>\n          Target: `head`, `heads`, an id or prefix"),
        "{upgrade}"
    );
    let merge = help(&["merge", "--help"]);
    assert!(
        merge.contains("-m, --message <MESSAGE>")
            && merge.contains("Message (the first line names the file)"),
        "{merge}"
    );
    let history = help(&["history", "--help"]);
    assert!(
        history.contains("mark with `(current)` the revisions its")
            && history.contains("version table holds"),
        "{history}"
    );
}
