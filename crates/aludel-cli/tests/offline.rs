//! Offline (`--sql`) scripts per dialect, as snapshots: Alembic's shape (ALEMBIC.md
//! §5.5) with aludel's version table. No database is touched.

mod support;

use support::{create, drop, Db, Project};

/// a -> b -> {c1, c2} -> m, and x depending on c1.
fn project(extra: &str) -> Project {
    let p = Project::new(extra);
    p.rev(1, "a", &[], &create("ta"), &drop("ta"));
    p.rev(
        2,
        "b",
        &["a"],
        "ALTER TABLE ta ADD COLUMN x INTEGER;\n\tINSERT INTO ta (id, x) VALUES (1, 2);",
        "ALTER TABLE ta DROP COLUMN x;",
    );
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
    p.rev(6, "m", &["c1", "c2"], "", "");
    p
}

fn sql(p: &Project, args: &[&str]) -> String {
    // The URL is never used offline except for its dialect.
    let db = Db::sqlite();
    p.ok(&db, args)
}

#[test]
fn upgrade_heads_per_dialect() {
    let p = project("");
    for dialect in ["postgresql", "mysql", "sqlite"] {
        let out = sql(&p, &["upgrade", "heads", "--sql", "--dialect", dialect]);
        insta::assert_snapshot!(format!("upgrade_heads_{dialect}"), out);
    }
}

#[test]
fn one_transaction_for_the_whole_script() {
    let p = project("transaction_per_migration = false");
    let out = sql(&p, &["upgrade", "b", "--sql", "--dialect", "postgresql"]);
    insta::assert_snapshot!(out);
}

#[test]
fn ranges_downgrades_and_stamps() {
    let p = project("");
    let pg = ["--dialect", "postgresql"];
    let cases: [(&str, Vec<&str>); 6] = [
        ("upgrade_range", vec!["upgrade", "b:c1", "--sql"]),
        ("upgrade_empty_start", vec!["upgrade", ":b", "--sql"]),
        ("downgrade_range", vec!["downgrade", "m:b", "--sql"]),
        ("stamp_from_start", vec!["stamp", "b:c1", "b:c2", "--sql"]),
        ("stamp_base_to_heads", vec!["stamp", "heads", "--sql"]),
        ("ensure_version", vec!["ensure-version", "--sql"]),
    ];
    for (name, mut args) in cases {
        args.extend(pg);
        insta::assert_snapshot!(name, sql(&p, &args));
    }
}

#[test]
fn non_transactional_section_leaves_the_transaction() {
    let p = project("");
    let path = p.rev(
        7,
        "n",
        &["m"],
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
    let out = sql(&p, &["upgrade", "m:n", "--sql", "--dialect", "postgresql"]);
    insta::assert_snapshot!(out);
}

#[test]
fn offline_errors_are_alembics() {
    let p = project("");
    let db = Db::sqlite();
    let err = p.fails(&db, &["downgrade", "base", "--sql"]);
    assert!(
        err.contains("downgrade with --sql requires <fromrev>:<torev>"),
        "{err}"
    );
    let err = p.fails(&db, &["stamp", "a:b", "b:c1", "--sql"]);
    assert!(
        err.contains(
            "Stamp operation with --sql only supports a single starting revision at a time"
        ),
        "{err}"
    );
    let err = p.fails(&db, &["stamp", "--purge", "b", "--sql"]);
    assert!(err.contains("Can't use --purge with --sql mode"), "{err}");
    let err = p.fails(&db, &["upgrade", "a:b"]);
    assert!(err.contains("Range revision not allowed"), "{err}");
}

#[test]
fn offline_start_is_one_revision_as_alembic_resolves_it() {
    let p = project("");
    let db = Db::sqlite();
    // Found by bench/conformance: Alembic resolves the start with get_revision.
    let err = p.fails(&db, &["upgrade", "heads:m", "--sql"]);
    assert!(
        err.contains("Multiple head revisions are present for given argument 'heads'"),
        "{err}"
    );
    let err = p.fails(&db, &["downgrade", "--sql", "--", "-1:a"]);
    assert!(
        err.contains("Can't locate revision identified by '-1'"),
        "{err}"
    );
}

/// A MySQL routine whose body holds `;` is written between `DELIMITER` lines, with
/// a delimiter its text does not contain; other statements keep `;`.
#[test]
fn mysql_routines_get_a_client_delimiter() {
    let p = Project::new("");
    p.rev(
        1,
        "r1",
        &[],
        "CREATE TABLE t (id INT, note VARCHAR(10));\n\
         CREATE PROCEDURE p() BEGIN SELECT '$$'; SELECT 2; END;",
        "DROP PROCEDURE p;\nDROP TABLE t;",
    );
    let out = sql(&p, &["upgrade", "r1", "--sql", "--dialect", "mysql"]);
    assert!(
        out.contains(
            "-- Running upgrade  -> r1\n\n\
             CREATE TABLE t (id INT, note VARCHAR(10));\n\n\
             DELIMITER //\n\
             CREATE PROCEDURE p() BEGIN SELECT '$$'; SELECT 2; END//\n\
             DELIMITER ;\n\n\
             INSERT INTO aludel_version (version_num) VALUES ('r1');\n"
        ),
        "{out}"
    );
}
