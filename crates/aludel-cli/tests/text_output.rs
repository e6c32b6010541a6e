//! Snapshots of the read-only commands' text and JSON output, and of their errors,
//! on one graph with a branch point, a merge, labels and a dependency (Alembic's
//! formats, ALEMBIC.md §1.5). Paths are replaced by `[PROJECT]`.

mod support;

use support::{create, drop, Db, Project};

fn project() -> Project {
    let p = Project::new("");
    p.rev(1, "a1", &[], &create("ta"), &drop("ta"));
    p.rev(2, "b2", &["a1"], &create("tb"), &drop("tb"));
    p.rev_full(3, "c3", &["b2"], &["feat"], &[], &create("tc"), &drop("tc"));
    p.rev(4, "d4", &["b2"], &create("td"), &drop("td"));
    p.rev_full(5, "e5", &[], &["lib"], &[], &create("te"), &drop("te"));
    p.rev_full(
        6,
        "f6",
        &["c3", "d4"],
        &[],
        &["e5"],
        &create("tf"),
        &drop("tf"),
    );
    p
}

/// Runs a command (no database needed) and returns stdout, or `error:` + stderr.
fn run(p: &Project, args: &[&str]) -> String {
    let db = Db::sqlite();
    let out = p.run(&db, args);
    let text = if out.status.success() {
        String::from_utf8_lossy(&out.stdout).into_owned()
    } else {
        format!(
            "exit {:?}\n{}{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let root = p.path().canonicalize().unwrap();
    text.replace(&root.display().to_string(), "[PROJECT]")
        .replace(&p.path().display().to_string(), "[PROJECT]")
}

#[test]
fn graph_commands() {
    let p = project();
    let cases: &[(&str, &[&str])] = &[
        ("heads", &["heads"]),
        ("heads_verbose", &["heads", "-v"]),
        (
            "heads_resolve_dependencies",
            &["heads", "--resolve-dependencies"],
        ),
        ("branches", &["branches"]),
        ("branches_verbose", &["branches", "-v"]),
        ("history", &["history"]),
        ("history_verbose_range", &["history", "-v", "-r", "b2:c3"]),
        ("history_relative", &["history", "-r", "-1:"]),
        ("history_label", &["history", "-r", "feat@base:feat@head"]),
        ("show_head_label", &["show", "feat@head"]),
        ("show_merge", &["show", "f6"]),
        ("heads_json", &["--format", "json", "heads"]),
    ];
    for (name, args) in cases {
        insta::assert_snapshot!(*name, run(&p, args));
    }
}

#[test]
fn graph_errors() {
    let p = project();
    let cases: &[(&str, &[&str])] = &[
        ("unknown_revision", &["show", "zzzz"]),
        ("ambiguous_prefix", &["show", "b"]),
        ("history_range_without_colon", &["history", "-r", "a1"]),
        ("not_ancestor", &["history", "-r", "c3:d4"]),
        ("multiple_heads", &["upgrade", "head", "--sql"]),
        ("relative_too_far", &["upgrade", "a1:a1+9", "--sql"]),
        ("error_json", &["--format", "json", "show", "zzzz"]),
    ];
    for (name, args) in cases {
        insta::assert_snapshot!(*name, run(&p, args));
    }
}

#[test]
fn malformed_files_and_config() {
    let p = project();
    std::fs::write(
        p.path().join("migrations/versions/0007_bad.sql"),
        "-- bad\n--\n-- Revision ID: g7\n-- Revises: f6\n-- Colour: blue\n\n-- aludel:upgrade\nSELECT 1;\n",
    )
    .unwrap();
    insta::assert_snapshot!("unknown_header_key", run(&p, &["heads"]));
    std::fs::remove_file(p.path().join("migrations/versions/0007_bad.sql")).unwrap();
    std::fs::write(
        p.path().join("migrations/versions/0007_missing.sql"),
        "-- missing parent\n--\n-- Revision ID: g7\n-- Revises: nope\n\n-- aludel:upgrade\nSELECT 1;\n",
    )
    .unwrap();
    insta::assert_snapshot!("missing_parent", run(&p, &["history"]));
    std::fs::remove_file(p.path().join("migrations/versions/0007_missing.sql")).unwrap();
    std::fs::write(
        p.path().join("aludel.toml"),
        "[aludel]\nscript_location = \"migrations\"\nlock_timeout = \"soon\"\n",
    )
    .unwrap();
    insta::assert_snapshot!("bad_config_value", run(&p, &["heads"]));
    std::fs::write(
        p.path().join("aludel.toml"),
        "[aludel]\nscript_location = \"migrations\"\nversion_tabel = \"x\"\n",
    )
    .unwrap();
    insta::assert_snapshot!("unknown_config_key", run(&p, &["heads"]));
}

/// Every loop in the graph names the files and header lines that close it, under
/// Alembic's first line; a self-loop that is also a duplicate id reports both.
#[test]
fn cycles_name_their_files() {
    let cycle = Project::new("");
    cycle.rev(1, "root", &[], &create("ta"), &drop("ta"));
    cycle.rev(2, "aaa111", &["bbb222"], &create("tb"), &drop("tb"));
    cycle.rev(3, "bbb222", &["aaa111"], &create("tc"), &drop("tc"));
    cycle.rev(4, "tip", &["root"], &create("td"), &drop("td"));
    insta::assert_snapshot!("cycle", run(&cycle, &["heads"]));

    let self_loop = Project::new("");
    self_loop.rev(1, "root", &[], &create("ta"), &drop("ta"));
    self_loop.rev(2, "loop1", &["loop1"], &create("tb"), &drop("tb"));
    insta::assert_snapshot!("self_loop", run(&self_loop, &["heads"]));

    let dependency_loop = Project::new("");
    dependency_loop.rev_full(1, "dep1", &[], &[], &["dep1"], &create("ta"), &drop("ta"));
    insta::assert_snapshot!("dependency_self_loop", run(&dependency_loop, &["heads"]));

    let dependency_cycle = Project::new("");
    dependency_cycle.rev(1, "a1", &[], &create("ta"), &drop("ta"));
    dependency_cycle.rev_full(2, "b2", &["a1"], &[], &["c3"], &create("tb"), &drop("tb"));
    dependency_cycle.rev(3, "c3", &["b2"], &create("tc"), &drop("tc"));
    dependency_cycle.rev(4, "d4", &[], &create("td"), &drop("td"));
    insta::assert_snapshot!("dependency_cycle", run(&dependency_cycle, &["heads"]));

    let duplicate_loop = Project::new("");
    duplicate_loop.rev(1, "dup1", &[], &create("ta"), &drop("ta"));
    duplicate_loop.rev(2, "dup1", &["dup1"], &create("tb"), &drop("tb"));
    insta::assert_snapshot!("duplicate_and_self_loop", run(&duplicate_loop, &["heads"]));
}

/// `downgrade -1` at a merge point and `upgrade +1` at a branch point say where
/// the walk forks and what to type instead; what they suggest then works.
#[test]
fn ambiguous_walks_name_the_fork_and_the_way_out() {
    let p = Project::new("");
    p.rev(1, "a1", &[], &create("ta"), &drop("ta"));
    p.rev(2, "b2", &["a1"], &create("tb"), &drop("tb"));
    p.rev_full(3, "c3", &["b2"], &["feat"], &[], &create("tc"), &drop("tc"));
    p.rev(4, "d4", &["b2"], &create("td"), &drop("td"));
    p.rev(5, "m5", &["c3", "d4"], &create("tm"), &drop("tm"));
    let db = Db::sqlite();
    p.ok(&db, &["upgrade", "head"]);
    assert_eq!(
        p.fails(&db, &["downgrade", "-1"]),
        "error: Ambiguous walk\n  \
         reason: m5 is a merge point: one step down from it leads to c3 or d4\n  \
         hint: name the revision to go to instead of a relative step, e.g. 'c3' or 'd4'\n"
    );
    assert_eq!(db.version_rows(), ["m5"], "nothing ran");
    p.ok(&db, &["downgrade", "c3"]);
    assert_eq!(db.version_rows(), ["c3", "d4"]);

    p.ok(&db, &["downgrade", "b2"]);
    assert_eq!(
        p.fails(&db, &["upgrade", "+1"]),
        "error: Ambiguous walk\n  \
         reason: b2 is a branch point: one step up from it leads to c3 or d4\n  \
         hint: name the revision to go to instead of a relative step, e.g. 'c3' or 'd4', \
         or step along one branch: 'feat@+1'\n"
    );
    p.ok(&db, &["upgrade", "feat@+1"]);
    assert_eq!(db.version_rows(), ["c3"]);
}
