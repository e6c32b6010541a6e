//! One test per ordering rule, on small explicit schemas. Every plan also runs
//! on the simulated database of [`crate::testing::run`], which refuses what a
//! database refuses and requires the desired schema at the end.

use super::*;
use crate::diff::Renames;
use crate::model::*;
use crate::testing::*;

/// The steps, one short line each.
fn steps(
    current: &Schema,
    desired: &Schema,
    renames: &Renames,
    caps: &Capabilities,
) -> Vec<String> {
    run(current, desired, renames, caps)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(summary)
        .collect()
}

fn plain(current: &Schema, desired: &Schema) -> Vec<String> {
    steps(current, desired, &Renames::default(), &Capabilities::FULL)
}

fn summary(step: &Step) -> String {
    use Change::*;
    let change = match step {
        Step::Rebuild {
            from,
            renamed_columns,
            ..
        } => return format!("rebuild {} {renamed_columns:?}", from.name),
        Step::Change(c) => c,
    };
    match change {
        CreateNamespace(n) => format!("create namespace {n}"),
        DropNamespace(n) => format!("drop namespace {n}"),
        CreateEnum(e) => format!("create enum {}", e.name),
        DropEnum(e) => format!("drop enum {}", e.name),
        AlterEnum { to, .. } => format!("alter enum {}", to.name),
        CreateSequence(s) => format!("create sequence {} owned by {:?}", s.name, owner(s)),
        DropSequence(s) => format!("drop sequence {} owned by {:?}", s.name, owner(s)),
        AlterSequence { to, .. } => format!("alter sequence {} owned by {:?}", to.name, owner(to)),
        CreateTable(t) => {
            let keys: Vec<&str> = t
                .foreign_keys
                .iter()
                .filter_map(|k| k.name.as_deref())
                .collect();
            format!("create table {} {keys:?}", t.name)
        }
        DropTable(t) => format!("drop table {}", t.name),
        RenameTable { from, to } => format!("rename table {from} to {to}"),
        AlterTable { to, .. } => format!("alter table {}", to.name),
        AddColumn { table, column, .. } => format!("add column {table}.{}", column.name),
        DropColumn { table, column, .. } => format!("drop column {table}.{}", column.name),
        AlterColumn { table, to, .. } => format!("alter column {table}.{}", to.name),
        RenameColumn { table, from, to } => format!("rename column {table}.{from} to {to}"),
        AddPrimaryKey { table, .. } => format!("add primary key {table}"),
        DropPrimaryKey { table, .. } => format!("drop primary key {table}"),
        AddUnique { table, unique } => format!("add unique {table}.{}", n(&unique.name)),
        DropUnique { table, unique } => format!("drop unique {table}.{}", n(&unique.name)),
        AddForeignKey { table, key } => format!("add foreign key {table}.{}", n(&key.name)),
        DropForeignKey { table, key } => format!("drop foreign key {table}.{}", n(&key.name)),
        AddCheck { table, check } => format!("add check {table}.{}", n(&check.name)),
        DropCheck { table, check } => format!("drop check {table}.{}", n(&check.name)),
        AddExclusion { table, exclusion } => format!("add exclusion {table}.{}", exclusion.name),
        DropExclusion { table, exclusion } => format!("drop exclusion {table}.{}", exclusion.name),
        RenameConstraint { table, from, to } => format!("rename constraint {table}.{from} to {to}"),
        CreateIndex { table, index } => format!("create index {table}.{}", index.name),
        DropIndex { table, index } => format!("drop index {table}.{}", index.name),
        RenameIndex { table, from, to } => format!("rename index {table}.{from} to {to}"),
        CreateTrigger { table, trigger } => format!("create trigger {table}.{}", trigger.name),
        DropTrigger { table, trigger } => format!("drop trigger {table}.{}", trigger.name),
        CreateView(v) => format!("create view {}", v.name),
        DropView(v) => format!("drop view {}", v.name),
    }
}

fn n(name: &Option<String>) -> &str {
    name.as_deref().unwrap_or("(unnamed)")
}

fn owner(s: &Sequence) -> Option<String> {
    s.owned_by.as_ref().map(|(t, c)| format!("{t}.{c}"))
}

/// A table `name` with an `id` primary key and `columns`.
fn keyed(name: &str, columns: &[(&str, &str)]) -> Table {
    let mut all = vec![("id", "integer")];
    all.extend_from_slice(columns);
    let mut t = table(name, &all);
    t.primary_key = pk(&format!("{name}_pkey"), &["id"]);
    t
}

#[test]
fn types_and_sequences_come_first_and_go_last() {
    let mut current = schema(vec![table("t", &[("a", "text")])]);
    current.enums = vec![enum_type("old", &["x"])];
    current.sequences = vec![sequence("old_seq", None)];
    let mut desired = schema(vec![table("t", &[("a", "mood"), ("n", "integer")])]);
    desired.tables[0].columns[1].default = Some("nextval('s'::regclass)".into());
    desired.namespaces = vec!["app".into()];
    desired.enums = vec![enum_type("mood", &["sad"])];
    desired.sequences = vec![sequence("s", None)];
    assert_eq!(
        plain(&current, &desired),
        [
            "create namespace app",
            "create enum mood",
            "create sequence s owned by None",
            "add column t.n",
            "alter column t.a",
            "drop sequence old_seq owned by None",
            "drop enum old",
        ]
    );
    // And back: the namespace goes last.
    assert_eq!(
        plain(&desired, &current).last().map(String::as_str),
        Some("drop namespace app")
    );
}

#[test]
fn referenced_tables_are_created_first_and_dropped_last() {
    let mut a = keyed("a", &[("b_id", "integer")]);
    a.foreign_keys = vec![fk("a_b_fkey", &["b_id"], "b", &["id"])];
    let mut b = keyed("b", &[("c_id", "integer")]);
    b.foreign_keys = vec![fk("b_c_fkey", &["c_id"], "c", &["id"])];
    let c = keyed("c", &[]);
    let empty = schema(vec![]);
    let chain = schema(vec![a, b, c]);
    assert_eq!(
        plain(&empty, &chain),
        [
            r#"create table c []"#,
            r#"create table b ["b_c_fkey"]"#,
            r#"create table a ["a_b_fkey"]"#,
        ]
    );
    assert_eq!(
        plain(&chain, &empty),
        ["drop table a", "drop table b", "drop table c"]
    );
}

#[test]
fn a_cycle_of_foreign_keys_is_broken_by_adding_keys_after_the_tables() {
    let mut a = keyed("a", &[("b_id", "integer"), ("parent", "integer")]);
    a.foreign_keys = vec![
        fk("a_b_fkey", &["b_id"], "b", &["id"]),
        fk("a_parent_fkey", &["parent"], "a", &["id"]),
    ];
    let mut b = keyed("b", &[("a_id", "integer")]);
    b.foreign_keys = vec![fk("b_a_fkey", &["a_id"], "a", &["id"])];
    let empty = schema(vec![]);
    let cycle = schema(vec![a, b]);
    // The key to itself stays in a's CREATE TABLE.
    assert_eq!(
        plain(&empty, &cycle),
        [
            r#"create table a ["a_parent_fkey"]"#,
            r#"create table b ["b_a_fkey"]"#,
            "add foreign key a.a_b_fkey",
        ]
    );
    assert_eq!(
        plain(&cycle, &empty),
        [
            "drop foreign key a.a_b_fkey",
            "drop table b",
            "drop table a"
        ]
    );
    // SQLite does not check references in CREATE TABLE: the cycle stays whole.
    let sqlite = steps(&empty, &cycle, &Renames::default(), &SQLITE);
    assert_eq!(
        sqlite,
        [
            r#"create table a ["a_b_fkey", "a_parent_fkey"]"#,
            r#"create table b ["b_a_fkey"]"#,
        ]
    );
}

#[test]
fn foreign_keys_to_a_dropped_table_are_dropped_before_it() {
    let parent = keyed("parent", &[]);
    let mut kept = keyed("kept", &[("parent_id", "integer")]);
    kept.foreign_keys = vec![fk("kept_parent_fkey", &["parent_id"], "parent", &["id"])];
    let current = schema(vec![parent, kept.clone()]);
    kept.foreign_keys.clear();
    let desired = schema(vec![kept]);
    assert_eq!(
        plain(&current, &desired),
        [
            "drop foreign key kept.kept_parent_fkey",
            "drop table parent"
        ]
    );
}

#[test]
fn views_in_the_way_of_a_column_change_are_dropped_and_created_again() {
    let mut current = schema(vec![table("t", &[("a", "integer"), ("b", "text")])]);
    current.views = vec![
        view("v", "SELECT a FROM t", &["t"]),
        view("w", "SELECT a FROM v", &["v"]),
        view("unrelated", "SELECT 1", &[]),
    ];
    let mut desired = current.clone();
    desired.tables[0].columns[0].data_type = "bigint".into();
    assert_eq!(
        plain(&current, &desired),
        [
            "drop view w",
            "drop view v",
            "alter column t.a",
            "create view v",
            "create view w",
        ]
    );
    // A default changes nothing a view reads: no view is touched.
    let mut desired = current.clone();
    desired.tables[0].columns[1].default = Some("'x'".into());
    assert_eq!(plain(&current, &desired), ["alter column t.b"]);
    // A dropped column, a changed view under another view.
    let mut desired = current.clone();
    desired.tables[0].columns.pop();
    desired.views[1].definition = "SELECT a + 1 FROM t".into();
    assert_eq!(
        plain(&current, &desired),
        [
            "drop view w",
            "drop view v",
            "drop column t.b",
            "create view v",
            "create view w",
        ]
    );
}

#[test]
fn views_on_a_renamed_table_are_dropped_before_the_rename() {
    let mut current = schema(vec![keyed("users", &[])]);
    current.views = vec![view("v", "SELECT id FROM users", &["users"])];
    let mut desired = schema(vec![keyed("accounts", &[])]);
    desired.views = vec![view("v", "SELECT id FROM accounts", &["accounts"])];
    let mut hints = Renames::default();
    hints.table(name("users"), name("accounts"));
    assert_eq!(
        steps(&current, &desired, &hints, &Capabilities::FULL),
        [
            "drop view v",
            "rename table users to accounts",
            "rename constraint accounts.users_pkey to accounts_pkey",
            "create view v",
        ]
    );
}

#[test]
fn indexes_and_constraints_go_before_their_columns_and_come_after_them() {
    let mut with_b = table("t", &[("a", "integer"), ("b", "integer")]);
    with_b.indexes = vec![index("t_b_idx", &["b"])];
    with_b.uniques = vec![unique("t_b_key", &["b"])];
    with_b.checks = vec![check("t_b_check", "(b > 0)")];
    let without_b = schema(vec![table("t", &[("a", "integer")])]);
    let with_b = schema(vec![with_b]);
    assert_eq!(
        plain(&with_b, &without_b),
        [
            "drop unique t.t_b_key",
            "drop index t.t_b_idx",
            "drop check t.t_b_check",
            "drop column t.b",
        ]
    );
    assert_eq!(
        plain(&without_b, &with_b),
        [
            "add column t.b",
            "add unique t.t_b_key",
            "create index t.t_b_idx",
            "add check t.t_b_check",
        ]
    );
}

#[test]
fn a_new_table_can_reference_a_key_added_to_an_existing_one() {
    let current = schema(vec![table("users", &[("id", "integer")])]);
    let mut users = table("users", &[("id", "integer"), ("email", "text")]);
    users.uniques = vec![unique("users_email_key", &["email"])];
    let mut orders = table("orders", &[("email", "text")]);
    orders.foreign_keys = vec![fk("orders_email_fkey", &["email"], "users", &["email"])];
    assert_eq!(
        plain(&current, &schema(vec![users, orders])),
        [
            "add column users.email",
            "add unique users.users_email_key",
            r#"create table orders ["orders_email_fkey"]"#,
        ]
    );
}

#[test]
fn a_foreign_key_in_the_way_of_a_type_change_is_dropped_and_added_back() {
    let parent = keyed("parent", &[]);
    let mut child = keyed("child", &[("parent_id", "integer")]);
    child.foreign_keys = vec![fk(
        "child_parent_id_fkey",
        &["parent_id"],
        "parent",
        &["id"],
    )];
    let current = schema(vec![parent, child]);
    let mut desired = current.clone();
    for t in &mut desired.tables {
        for c in &mut t.columns {
            c.data_type = "bigint".into();
        }
    }
    assert_eq!(
        plain(&current, &desired),
        [
            "drop foreign key child.child_parent_id_fkey",
            "alter column child.id",
            "alter column child.parent_id",
            "alter column parent.id",
            "add foreign key child.child_parent_id_fkey",
        ]
    );
    // SQLite rebuilds both tables instead, the keys inside.
    assert_eq!(
        steps(&current, &desired, &Renames::default(), &SQLITE),
        ["rebuild child []", "rebuild parent []"]
    );
}

#[test]
fn a_foreign_key_on_a_dropped_key_is_dropped_and_added_back() {
    let mut parent = keyed("parent", &[("code", "text")]);
    parent.uniques = vec![unique("parent_code_key", &["code"])];
    let mut child = keyed("child", &[("code", "text")]);
    child.foreign_keys = vec![fk("child_code_fkey", &["code"], "parent", &["code"])];
    let current = schema(vec![parent.clone(), child.clone()]);
    parent.uniques.clear();
    let mut by_index = index("parent_code_idx", &["code"]);
    by_index.unique = true;
    parent.indexes = vec![by_index];
    let desired = schema(vec![parent, child]);
    assert_eq!(
        plain(&current, &desired),
        [
            "drop foreign key child.child_code_fkey",
            "drop unique parent.parent_code_key",
            "create index parent.parent_code_idx",
            "add foreign key child.child_code_fkey",
        ]
    );
}

#[test]
fn where_foreign_keys_need_an_index_one_whose_index_goes_is_dropped_and_added_back() {
    let parent = keyed("parent", &[]);
    let mut child = keyed("child", &[("parent_id", "integer"), ("at", "text")]);
    child.foreign_keys = vec![fk(
        "child_parent_id_fkey",
        &["parent_id"],
        "parent",
        &["id"],
    )];
    child.indexes = vec![index("child_parent_id_idx", &["parent_id"])];
    let current = schema(vec![parent.clone(), child.clone()]);
    child.indexes = vec![index("child_parent_id_at_idx", &["parent_id", "at"])];
    let desired = schema(vec![parent, child]);
    assert_eq!(
        plain(&current, &desired),
        [
            "drop index child.child_parent_id_idx",
            "create index child.child_parent_id_at_idx",
        ]
    );
    assert_eq!(
        steps(&current, &desired, &Renames::default(), &MYSQL),
        [
            "drop foreign key child.child_parent_id_fkey",
            "drop index child.child_parent_id_idx",
            "create index child.child_parent_id_at_idx",
            "add foreign key child.child_parent_id_fkey",
        ]
    );
}

#[test]
fn a_sequence_owned_by_a_new_table_gets_its_owner_after_the_table() {
    let mut t = keyed("t", &[]);
    t.columns[0].default = Some("nextval('t_id_seq'::regclass)".into());
    let mut desired = schema(vec![t]);
    desired.sequences = vec![sequence("t_id_seq", Some(("t", "id")))];
    let empty = schema(vec![]);
    assert_eq!(
        plain(&empty, &desired),
        [
            "create sequence t_id_seq owned by None",
            r#"create table t []"#,
            r#"alter sequence t_id_seq owned by Some("t.id")"#,
        ]
    );
    assert_eq!(
        plain(&desired, &empty),
        [
            "alter sequence t_id_seq owned by None",
            "drop table t",
            "drop sequence t_id_seq owned by None",
        ]
    );
}

#[test]
fn a_sequence_changing_owner_from_a_dropped_to_a_new_column() {
    let mut current = schema(vec![keyed("t", &[("old", "integer")])]);
    current.sequences = vec![sequence("s", Some(("t", "old")))];
    let mut desired = schema(vec![keyed("t", &[("new", "integer")])]);
    desired.sequences = vec![sequence("s", Some(("t", "new")))];
    assert_eq!(
        plain(&current, &desired),
        [
            "alter sequence s owned by None",
            "add column t.new",
            "drop column t.old",
            r#"alter sequence s owned by Some("t.new")"#,
        ]
    );
}

#[test]
fn an_enum_whose_values_are_rebuilt_drops_the_views_on_its_tables() {
    let mut current = schema(vec![table("t", &[("m", "mood")])]);
    current.enums = vec![enum_type("mood", &["sad", "ok"])];
    current.views = vec![view("v", "SELECT m FROM t", &["t"])];
    let mut desired = current.clone();
    desired.enums = vec![enum_type("mood", &["ok", "sad"])];
    assert_eq!(
        plain(&current, &desired),
        ["drop view v", "alter enum mood", "create view v"]
    );
    // Values only added: nothing to rebuild, the view stays.
    desired.enums = vec![enum_type("mood", &["sad", "ok", "happy"])];
    assert_eq!(plain(&current, &desired), ["alter enum mood"]);
}

#[test]
fn triggers_of_new_tables_come_after_all_new_tables() {
    let mut a = keyed("a", &[]);
    a.triggers = vec![trigger("a_log", "AFTER INSERT ON a … INSERT INTO b …")];
    let desired = schema(vec![a, keyed("b", &[])]);
    assert_eq!(
        plain(&schema(vec![]), &desired),
        [
            "create table a []",
            "create table b []",
            "create trigger a.a_log"
        ]
    );
}

#[test]
fn sqlite_rebuilds_what_it_cannot_alter_and_keeps_the_rest_in_place() {
    let mut t = keyed("t", &[("a", "integer"), ("b", "text")]);
    t.indexes = vec![index("t_b_idx", &["b"])];
    let mut current = schema(vec![t.clone()]);
    current.views = vec![view("v", "SELECT a FROM t", &["t"])];
    let mut desired = current.clone();
    let to = &mut desired.tables[0];
    to.columns[1].data_type = "text".into();
    to.columns[2].name = "bb".into();
    to.indexes = vec![index("t_bb_idx", &["bb"])];
    let mut hints = Renames::default();
    hints.column(name("t"), "b", "bb");
    let got = run(&current, &desired, &hints, &SQLITE).unwrap();
    assert_eq!(
        got.iter().map(summary).collect::<Vec<_>>(),
        [
            "drop view v",
            "rename column t.b to bb",
            "rebuild t []",
            "create view v",
        ]
    );
    let Step::Rebuild { from, to, .. } = &got[2] else {
        unreachable!()
    };
    assert_eq!(
        from.columns[2].name, "bb",
        "the rebuild starts after the rename"
    );
    assert_eq!(from.indexes[0].name, "t_b_idx");
    assert_eq!(to, &desired.tables[0]);

    // Without renaming columns in place, the rename is part of the rebuild.
    let old = Capabilities {
        rename_column: false,
        ..SQLITE
    };
    assert_eq!(
        steps(&current, &desired, &hints, &old),
        ["drop view v", r#"rebuild t [("b", "bb")]"#, "create view v"]
    );

    // An index renamed alone is dropped and created, no rebuild.
    let mut renamed_index = schema(vec![t.clone()]);
    renamed_index.tables[0].indexes[0].name = "t_b_index".into();
    assert_eq!(
        steps(
            &schema(vec![t]),
            &renamed_index,
            &Renames::default(),
            &SQLITE
        ),
        ["drop index t.t_b_idx", "create index t.t_b_index"]
    );
}

#[test]
fn sqlite_adds_a_column_in_place_only_when_it_can() {
    let current = schema(vec![keyed("t", &[])]);
    let with = |f: fn(&mut Column)| {
        let mut c = column("c", "text");
        f(&mut c);
        let mut s = current.clone();
        s.tables[0].columns.push(c);
        steps(&current, &s, &Renames::default(), &SQLITE)
    };
    assert_eq!(with(|_| {}), ["add column t.c"]);
    assert_eq!(
        with(|c| {
            c.nullable = false;
            c.default = Some("'x'".into());
        }),
        ["add column t.c"]
    );
    assert_eq!(with(|c| c.nullable = false), ["rebuild t []"]);
    assert_eq!(
        with(|c| c.default = Some("CURRENT_TIMESTAMP".into())),
        ["rebuild t []"]
    );
    assert_eq!(
        with(|c| {
            c.generated = Some(Generated {
                expression: "id * 2".into(),
                stored: true,
            })
        }),
        ["rebuild t []"]
    );
}

#[test]
fn where_constraints_cannot_be_renamed_they_are_dropped_and_added() {
    let mut t = keyed("t", &[("a", "integer")]);
    t.checks = vec![check("t_a_check", "(a > 0)")];
    let current = schema(vec![t.clone()]);
    t.checks[0].name = Some("a_positive".into());
    let desired = schema(vec![t]);
    assert_eq!(
        plain(&current, &desired),
        ["rename constraint t.t_a_check to a_positive"]
    );
    assert_eq!(
        steps(&current, &desired, &Renames::default(), &MYSQL),
        ["drop check t.t_a_check", "add check t.a_positive"]
    );
    assert_eq!(
        steps(&current, &desired, &Renames::default(), &SQLITE),
        ["rebuild t []"]
    );
}

#[test]
fn a_renamed_foreign_key_in_the_way_is_added_back_under_its_new_name() {
    let parent = keyed("parent", &[]);
    let mut child = keyed("child", &[("p", "integer")]);
    child.foreign_keys = vec![fk("child_p_fkey", &["p"], "parent", &["id"])];
    let current = schema(vec![parent, child]);
    let mut desired = current.clone();
    let c = desired
        .tables
        .iter_mut()
        .find(|t| t.name.name == "child")
        .unwrap();
    c.columns[1].data_type = "bigint".into();
    c.foreign_keys[0].name = Some("child_parent_fk".into());
    assert_eq!(
        plain(&current, &desired),
        [
            "drop foreign key child.child_p_fkey",
            "alter column child.p",
            "add foreign key child.child_parent_fk",
        ]
    );
}

#[test]
fn an_enum_rebuild_runs_between_the_partial_indexes_and_checks_of_its_columns() {
    let mut t = keyed("t", &[("m", "mood")]);
    let mut partial = index("t_sad", &["id"]);
    partial.predicate = Some("(m = 'sad'::mood)".into());
    t.indexes = vec![partial, index("t_m", &["m"])];
    t.checks = vec![check("t_not_meh", "(m <> 'meh'::mood)")];
    let mut current = schema(vec![t.clone()]);
    current.enums = vec![enum_type("mood", &["sad", "meh", "happy"])];
    let mut desired = schema(vec![t]);
    desired.tables[0].checks = vec![check("t_not_meh", "(m IS NOT NULL)")];
    desired.enums = vec![enum_type("mood", &["sad", "happy"])];
    assert_eq!(
        plain(&current, &desired),
        [
            "drop check t.t_not_meh",
            "drop index t.t_sad",
            "alter enum mood",
            "add check t.t_not_meh",
            "create index t.t_sad",
        ]
    );
    // Values only added: the type changes in place, before everything else.
    desired.enums = vec![enum_type("mood", &["sad", "meh", "happy", "glad"])];
    desired.tables[0].checks = current.tables[0].checks.clone();
    assert_eq!(plain(&current, &desired), ["alter enum mood"]);
}

#[test]
fn sqlite_restates_the_indexes_whose_text_a_rename_rewrites() {
    let defined = |n: &str, columns: &[&str], sql: &str| Index {
        definition: Some(sql.into()),
        ..index(n, columns)
    };
    let mut users = table("users", &[("nm", "text"), ("age", "integer")]);
    users.indexes = vec![
        defined("users_nm", &["nm"], "CREATE INDEX users_nm ON users (nm)"),
        defined(
            "users_age",
            &["age"],
            "CREATE INDEX users_age ON users (age)",
        ),
    ];
    let mut other = table("other", &[("x", "text")]);
    other.indexes = vec![defined(
        "other_x",
        &["x"],
        "CREATE INDEX other_x ON other (x)",
    )];
    let current = schema(vec![users, other.clone()]);
    let mut accounts = table("accounts", &[("name", "text"), ("age", "integer")]);
    accounts.indexes = vec![
        defined(
            "users_nm",
            &["name"],
            "CREATE INDEX users_nm ON accounts (name)",
        ),
        defined(
            "users_age",
            &["age"],
            "CREATE INDEX users_age ON accounts (age DESC)",
        ),
    ];
    accounts.indexes[1].parts[0].descending = true;
    let desired = schema(vec![accounts, other]);
    let mut hints = Renames::default();
    hints.table(name("users"), name("accounts"));
    hints.column(name("accounts"), "nm", "name");
    // The index that changes anyway is not restated twice; the other table's
    // index is left alone.
    assert_eq!(
        steps(&current, &desired, &hints, &SQLITE),
        [
            "rename table users to accounts",
            "rename column accounts.nm to name",
            "drop index accounts.users_age",
            "drop index accounts.users_nm",
            "create index accounts.users_age",
            "create index accounts.users_nm",
        ]
    );
    // Where a rename keeps the text right, only the changed index is restated.
    // (The simulated database does not rewrite texts: the plan alone.)
    let changes = crate::diff::diff(&current, &desired, &hints)
        .unwrap()
        .changes;
    let full: Vec<String> = plan(changes, &current, &desired, &Capabilities::FULL)
        .iter()
        .map(summary)
        .collect();
    assert!(!full.iter().any(|s| s.contains("users_nm")), "{full:?}");
}

#[test]
fn where_a_table_rename_renames_its_ibfk_keys_those_renames_follow_it() {
    let mysql_table = |name: &str, parent_type: &str| {
        let mut t = table(name, &[("id", "int(11)"), ("p", parent_type)]);
        t.primary_key = pk("PRIMARY", &["id"]);
        t
    };
    let mut child = mysql_table("child", "int(11)");
    child.foreign_keys = vec![
        fk("child_ibfk_1", &["p"], "parent", &["id"]),
        fk("child_named", &["id"], "parent", &["id"]),
    ];
    let mut kid = mysql_table("kid", "int(11)");
    kid.foreign_keys = vec![
        fk("kid_ibfk_1", &["p"], "parent", &["id"]),
        fk("kid_named", &["id"], "parent", &["id"]),
    ];
    let parent = mysql_table("parent", "int(11)");
    let current = schema(vec![parent.clone(), child]);
    let desired = schema(vec![parent.clone(), kid.clone()]);
    let mut hints = Renames::default();
    hints.table(name("child"), name("kid"));
    assert_eq!(
        steps(&current, &desired, &hints, &MYSQL),
        [
            "rename table child to kid",
            "rename constraint kid.child_ibfk_1 to kid_ibfk_1",
            "drop foreign key kid.child_named",
            "add foreign key kid.kid_named",
        ]
    );
    let elsewhere = Capabilities {
        table_rename_renames_ibfk_keys: false,
        ..MYSQL
    };
    assert_eq!(
        steps(&current, &desired, &hints, &elsewhere),
        [
            "rename table child to kid",
            "drop foreign key kid.child_ibfk_1",
            "drop foreign key kid.child_named",
            "add foreign key kid.kid_ibfk_1",
            "add foreign key kid.kid_named",
        ]
    );
    // A key in the way of a type change is dropped under the name the table's
    // rename gave it.
    let mut retyped = kid;
    retyped.columns[1].data_type = "bigint(20)".into();
    let mut parent = parent;
    parent.columns[0].data_type = "bigint(20)".into();
    let desired = schema(vec![parent, retyped]);
    let plan = steps(&current, &desired, &hints, &MYSQL);
    assert_eq!(
        plan[..2],
        [
            "rename table child to kid",
            "rename constraint kid.child_ibfk_1 to kid_ibfk_1",
        ]
    );
    let at = |step: &str| plan.iter().position(|s| s == step);
    let (drop, alter, add) = (
        at("drop foreign key kid.kid_ibfk_1"),
        at("alter column kid.p"),
        at("add foreign key kid.kid_ibfk_1"),
    );
    assert!(drop.is_some() && drop < alter && alter < add, "{plan:?}");
}

#[test]
fn a_foreign_key_on_columns_that_take_a_changed_table_character_set_is_dropped_and_added_back() {
    let with_charset = |charset: &str| {
        let mysql_table = |name: &str| {
            let mut t = table(name, &[("id", "int(11)"), ("code", "varchar(10)")]);
            t.primary_key = pk("PRIMARY", &["code"]);
            t.options = vec![("charset".into(), charset.into())];
            t
        };
        let parent = mysql_table("parent");
        let mut child = mysql_table("child");
        child.foreign_keys = vec![fk("child_code", &["code"], "parent", &["code"])];
        let mut other = mysql_table("other");
        other.columns[1].charset = Some("latin1".into());
        other.foreign_keys = vec![fk("other_code", &["code"], "child", &["code"])];
        schema(vec![parent, child, other])
    };
    let (latin1, utf8mb4) = (with_charset("latin1"), with_charset("utf8mb4"));
    // other's column has a character set of its own, child's takes its table's:
    // both keys read a column that changes.
    assert_eq!(
        steps(&latin1, &utf8mb4, &Renames::default(), &MYSQL),
        [
            "drop foreign key child.child_code",
            "drop foreign key other.other_code",
            "alter table child",
            "alter table other",
            "alter table parent",
            "add foreign key child.child_code",
            "add foreign key other.other_code",
        ]
    );
}

#[test]
fn an_identity_is_dropped_before_the_serial_sequence_of_the_same_name_is_created() {
    let options = SequenceOptions {
        data_type: "integer".into(),
        start: 1,
        increment: 1,
        min: 1,
        max: 2147483647,
        cache: 1,
        cycle: false,
    };
    let mut t = table("t", &[("id", "integer")]);
    t.columns[0].identity = Some(Identity::ByDefault(options));
    let current = schema(vec![t.clone()]);
    let mut serial = t;
    serial.columns[0].identity = None;
    serial.columns[0].default = Some("nextval('t_id_seq'::regclass)".into());
    let mut desired = schema(vec![serial]);
    desired.sequences = vec![sequence("t_id_seq", Some(("t", "id")))];
    assert_eq!(
        plain(&current, &desired),
        [
            "alter column t.id",
            "create sequence t_id_seq owned by Some(\"t.id\")",
            "alter column t.id",
        ]
    );
}
