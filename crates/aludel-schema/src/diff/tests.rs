//! One test per comparator and per rule of rename hints, on small explicit
//! schemas; each checks that the changes lead from one schema to the other.

use super::*;
use crate::apply::apply;
use crate::model::*;
use crate::testing::*;

fn changes(current: &Schema, desired: &Schema) -> Vec<Change> {
    diff(current, desired, &Renames::default()).unwrap().changes
}

fn with_hints(current: &Schema, desired: &Schema, renames: &Renames) -> Vec<Change> {
    let d = diff(current, desired, renames).unwrap();
    // Whatever the diff says, its changes lead from one schema to the other.
    let mut state = current.clone().canonical();
    for change in &d.changes {
        apply(&mut state, change).unwrap();
    }
    assert_eq!(state.canonical(), desired.clone().canonical());
    d.changes
}

fn users() -> Table {
    let mut t = table(
        "users",
        &[("id", "integer"), ("name", "text"), ("email", "text")],
    );
    t.primary_key = pk("users_pkey", &["id"]);
    t.uniques.push(unique("users_email_key", &["email"]));
    t.indexes.push(index("users_name_idx", &["name"]));
    t.checks
        .push(check("users_name_check", "(length(name) > 0)"));
    t
}

fn orders() -> Table {
    let mut t = table("orders", &[("id", "integer"), ("user_id", "integer")]);
    t.primary_key = pk("orders_pkey", &["id"]);
    t.foreign_keys
        .push(fk("orders_user_id_fkey", &["user_id"], "users", &["id"]));
    t
}

#[test]
fn the_same_schema_in_another_order_has_no_changes() {
    let a = schema(vec![users(), orders()]);
    let b = schema(vec![orders(), users()]);
    assert_eq!(diff(&a, &b, &Renames::default()).unwrap(), Diff::default());
}

#[test]
fn columns_are_added_after_their_predecessor_dropped_and_altered() {
    let a = schema(vec![table(
        "t",
        &[("a", "integer"), ("b", "text"), ("c", "text")],
    )]);
    let mut t = table(
        "t",
        &[
            ("x", "integer"),
            ("a", "integer"),
            ("c", "text"),
            ("y", "text"),
        ],
    );
    t.columns[2].nullable = false;
    let b = schema(vec![t.clone()]);
    let got = with_hints(&a, &b, &Renames::default());
    assert_eq!(
        got,
        [
            Change::DropColumn {
                table: name("t"),
                column: column("b", "text"),
                after: Some("a".into()),
            },
            Change::AddColumn {
                table: name("t"),
                column: column("x", "integer"),
                after: None,
            },
            Change::AddColumn {
                table: name("t"),
                column: column("y", "text"),
                after: Some("c".into()),
            },
            Change::AlterColumn {
                table: name("t"),
                from: column("c", "text"),
                to: t.columns[2].clone(),
            },
        ]
    );
}

#[test]
fn dropped_columns_go_last_first_so_their_reverses_apply() {
    let a = schema(vec![table(
        "t",
        &[("a", "integer"), ("b", "text"), ("c", "text")],
    )]);
    let b = schema(vec![table("t", &[("a", "integer")])]);
    let got = changes(&a, &b);
    let dropped: Vec<&str> = got
        .iter()
        .map(|c| match c {
            Change::DropColumn { column, .. } => column.name.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(dropped, ["c", "b"]);
    let mut state = b.canonical();
    for change in got.iter().rev() {
        apply(&mut state, &change.reverse()).unwrap();
    }
    assert_eq!(state, a.canonical());
}

#[test]
fn a_table_hint_renames_the_table_and_its_implicit_names() {
    let mut users = users();
    users
        .foreign_keys
        .push(fk("users_boss_fkey", &["id"], "users", &["id"]));
    let a = schema(vec![users, orders()]);
    let mut accounts = table(
        "accounts",
        &[("id", "integer"), ("name", "text"), ("email", "text")],
    );
    accounts.primary_key = pk("accounts_pkey", &["id"]);
    accounts
        .uniques
        .push(unique("accounts_email_key", &["email"]));
    accounts.indexes.push(index("accounts_name_idx", &["name"]));
    accounts
        .checks
        .push(check("accounts_name_check", "(length(name) > 0)"));
    accounts
        .foreign_keys
        .push(fk("accounts_boss_fkey", &["id"], "accounts", &["id"]));
    let mut orders = orders();
    orders.foreign_keys[0].referenced_table = name("accounts");
    let b = schema(vec![accounts, orders]);

    let mut hints = Renames::default();
    hints.table(name("users"), name("accounts"));
    let rename = |from: &str, to: &str| Change::RenameConstraint {
        table: name("accounts"),
        from: from.into(),
        to: to.into(),
    };
    assert_eq!(
        with_hints(&a, &b, &hints),
        [
            Change::RenameTable {
                from: name("users"),
                to: name("accounts"),
            },
            rename("users_pkey", "accounts_pkey"),
            rename("users_email_key", "accounts_email_key"),
            Change::RenameIndex {
                table: name("accounts"),
                from: "users_name_idx".into(),
                to: "accounts_name_idx".into(),
            },
            rename("users_boss_fkey", "accounts_boss_fkey"),
            rename("users_name_check", "accounts_name_check"),
        ]
    );
    // Without the hint: a drop, a create, and the question.
    let plain = diff(&a, &b, &Renames::default()).unwrap();
    assert!(plain
        .changes
        .contains(&Change::DropTable(a.table(&name("users")).unwrap().clone())));
    assert_eq!(
        plain.rename_candidates,
        [RenameCandidate::Table {
            from: name("users"),
            to: name("accounts"),
        }]
    );
    assert_eq!(plain.rename_candidates[0].to_string(), "users=accounts");
}

#[test]
fn a_name_is_freed_by_its_drop_before_a_rename_takes_it() {
    let mut a_t = table("t", &[("a", "integer"), ("b", "integer")]);
    a_t.uniques.push(unique("u1", &["a"]));
    a_t.uniques.push(unique("u2", &["b"]));
    let mut b_t = table("t", &[("a", "integer"), ("b", "integer")]);
    b_t.uniques.push(unique("u2", &["a"]));
    let got = with_hints(
        &schema(vec![a_t.clone()]),
        &schema(vec![b_t]),
        &Renames::default(),
    );
    assert_eq!(
        got,
        [
            Change::DropUnique {
                table: name("t"),
                unique: unique("u2", &["b"]),
            },
            Change::RenameConstraint {
                table: name("t"),
                from: "u1".into(),
                to: "u2".into(),
            },
        ]
    );
}

#[test]
fn a_column_hint_renames_the_column_everywhere_and_the_implicit_names() {
    let mut users = users();
    users.uniques.push(unique("users_name_key", &["name"]));
    let mut orders = orders();
    orders.columns.push(column("user_name", "text"));
    orders.foreign_keys.push(fk(
        "orders_user_name_fkey",
        &["user_name"],
        "users",
        &["name"],
    ));
    let mut a = schema(vec![users.clone(), orders.clone()]);
    a.sequences
        .push(sequence("users_name_seq", Some(("users", "name"))));

    let mut renamed = users;
    renamed.columns[1].name = "full_name".into();
    renamed.indexes = vec![index("users_full_name_idx", &["full_name"])];
    renamed.uniques = vec![
        unique("users_email_key", &["email"]),
        unique("users_full_name_key", &["full_name"]),
    ];
    renamed.checks = vec![check("users_full_name_check", "(length(full_name) > 0)")];
    orders.foreign_keys[1].referenced_columns = vec!["full_name".into()];
    let mut b = schema(vec![renamed, orders]);
    b.sequences
        .push(sequence("users_name_seq", Some(("users", "full_name"))));

    let mut hints = Renames::default();
    hints.column(name("users"), "name", "full_name");
    let got = with_hints(&a, &b, &hints);
    assert_eq!(
        got,
        [
            Change::RenameColumn {
                table: name("users"),
                from: "name".into(),
                to: "full_name".into(),
            },
            // The condition's text names the column: dropped and added.
            Change::DropCheck {
                table: name("users"),
                check: check("users_name_check", "(length(name) > 0)"),
            },
            Change::RenameConstraint {
                table: name("users"),
                from: "users_name_key".into(),
                to: "users_full_name_key".into(),
            },
            Change::RenameIndex {
                table: name("users"),
                from: "users_name_idx".into(),
                to: "users_full_name_idx".into(),
            },
            Change::AddCheck {
                table: name("users"),
                check: check("users_full_name_check", "(length(full_name) > 0)"),
            },
        ]
    );
    // The reverse hint undoes it.
    let back = with_hints(&b, &a, &hints.reversed());
    assert_eq!(
        back[0],
        Change::RenameColumn {
            table: name("users"),
            from: "full_name".into(),
            to: "name".into(),
        }
    );
}

#[test]
fn a_column_hint_may_name_the_table_by_its_new_name() {
    let a = schema(vec![table("users", &[("id", "integer"), ("name", "text")])]);
    let b = schema(vec![table(
        "accounts",
        &[("id", "integer"), ("full_name", "text")],
    )]);
    for table_named in ["users", "accounts"] {
        let mut hints = Renames::default();
        hints.table(name("users"), name("accounts"));
        hints.column(name(table_named), "name", "full_name");
        assert_eq!(
            with_hints(&a, &b, &hints),
            [
                Change::RenameTable {
                    from: name("users"),
                    to: name("accounts"),
                },
                Change::RenameColumn {
                    table: name("accounts"),
                    from: "name".into(),
                    to: "full_name".into(),
                },
            ]
        );
        let back = with_hints(&b, &a, &hints.reversed());
        assert_eq!(back.len(), 2, "{back:#?}");
    }
}

#[test]
fn hints_that_do_not_fit_are_errors_that_say_what_is_missing() {
    let a = schema(vec![table("users", &[("id", "integer"), ("name", "text")])]);
    let b = schema(vec![
        table("accounts", &[("id", "integer"), ("full_name", "text")]),
        table("users", &[("id", "integer")]),
    ]);
    let err = |hints: &Renames| diff(&a, &b, hints).unwrap_err().to_string();
    let mut h = Renames::default();
    h.table(name("people"), name("accounts"));
    assert_eq!(
        err(&h),
        "cannot rename people=accounts: there is no table people in the current schema"
    );
    let mut h = Renames::default();
    h.table(name("users"), name("members"));
    assert_eq!(
        err(&h),
        "cannot rename users=members: there is no table members in the desired schema"
    );
    let mut h = Renames::default();
    h.column(name("users"), "nick", "full_name");
    assert_eq!(
        err(&h),
        "cannot rename users.nick=users.full_name: there is no column nick in table users of the current schema"
    );
    let mut h = Renames::default();
    h.column(name("users"), "name", "full_name");
    assert_eq!(
        err(&h),
        "cannot rename users.name=users.full_name: there is no column full_name in table users of the desired schema"
    );
    let mut h = Renames::default();
    h.column(name("users"), "name", "id");
    assert_eq!(
        err(&h),
        "cannot rename users.name=users.id: a column id already exists in table users of the current schema"
    );
    let mut h = Renames::default();
    h.column(name("orders"), "name", "id");
    assert_eq!(
        err(&h),
        "cannot rename orders.name=orders.id: there is no table orders in the current schema"
    );
    let c = schema(vec![a.tables[0].clone(), table("accounts", &[])]);
    let mut h = Renames::default();
    h.table(name("users"), name("accounts"));
    assert_eq!(
        diff(&c, &b, &h).unwrap_err().to_string(),
        "cannot rename users=accounts: a table accounts already exists in the current schema"
    );
}

#[test]
fn ambiguous_renames_are_a_drop_and_an_add() {
    let mut a_t = table("t", &[("a", "integer")]);
    a_t.indexes = vec![index("i1", &["a"]), index("i2", &["a"])];
    let mut b_t = table("t", &[("a", "integer")]);
    b_t.indexes = vec![index("j1", &["a"]), index("j2", &["a"])];
    let got = with_hints(&schema(vec![a_t]), &schema(vec![b_t]), &Renames::default());
    assert!(got
        .iter()
        .all(|c| matches!(c, Change::DropIndex { .. } | Change::CreateIndex { .. })));
    assert_eq!(got.len(), 4);

    // Unnamed constraints (SQLite) are never renamed.
    let mut a_t = table("t", &[("a", "integer")]);
    a_t.checks = vec![Check {
        name: None,
        expression: "a > 0".into(),
    }];
    let mut b_t = a_t.clone();
    b_t.checks[0].name = Some("positive".into());
    let got = with_hints(&schema(vec![a_t]), &schema(vec![b_t]), &Renames::default());
    assert!(
        matches!(got[..], [Change::DropCheck { .. }, Change::AddCheck { .. }]),
        "{got:#?}"
    );
}

#[test]
fn an_object_that_keeps_its_name_but_changes_is_dropped_and_added() {
    let mut a_t = table("t", &[("a", "integer"), ("b", "integer")]);
    a_t.foreign_keys = vec![fk("t_fk", &["a"], "t", &["b"])];
    a_t.indexes = vec![index("t_i", &["a"])];
    let mut b_t = a_t.clone();
    b_t.foreign_keys[0].on_delete = ReferentialAction::Cascade;
    b_t.indexes[0].unique = true;
    // The index's own text is not compared: it names the table.
    a_t.indexes[0].definition = Some("CREATE INDEX t_i ON public.t USING btree (a)".into());
    let got = with_hints(
        &schema(vec![a_t.clone()]),
        &schema(vec![b_t.clone()]),
        &Renames::default(),
    );
    assert_eq!(got.len(), 4, "{got:#?}");
    let mut c_t = a_t.clone();
    c_t.indexes[0].definition = None;
    assert!(changes(&schema(vec![a_t]), &schema(vec![c_t])).is_empty());
}

#[test]
fn column_rename_candidates_need_the_same_type() {
    let a = schema(vec![table(
        "t",
        &[("a", "integer"), ("b", "text"), ("c", "text")],
    )]);
    let b = schema(vec![table(
        "t",
        &[("a", "integer"), ("x", "text"), ("y", "bigint")],
    )]);
    let d = diff(&a, &b, &Renames::default()).unwrap();
    let expected = [
        RenameCandidate::Column {
            table: name("t"),
            from: "b".into(),
            to: "x".into(),
        },
        RenameCandidate::Column {
            table: name("t"),
            from: "c".into(),
            to: "x".into(),
        },
    ];
    assert_eq!(d.rename_candidates, expected);
    assert_eq!(expected[0].to_string(), "t.b=t.x");
    // Accepting one and diffing again leaves no question about it.
    let mut hints = Renames::default();
    expected[0].accept(&mut hints);
    let again = diff(&a, &b, &hints).unwrap();
    assert_eq!(
        again.changes[0],
        Change::RenameColumn {
            table: name("t"),
            from: "b".into(),
            to: "x".into(),
        }
    );
    assert!(
        again.rename_candidates.is_empty(),
        "{:?}",
        again.rename_candidates
    );
}

#[test]
fn schema_level_objects_are_created_altered_and_dropped() {
    let mut a = schema(vec![]);
    a.namespaces = vec!["old".into(), "kept".into()];
    a.enums = vec![enum_type("mood", &["sad", "ok"]), enum_type("gone", &["x"])];
    a.sequences = vec![sequence("s", None), sequence("gone_seq", None)];
    a.views = vec![view("v", "SELECT 1", &[]), view("w", "SELECT 2", &[])];
    let mut b = schema(vec![]);
    b.namespaces = vec!["kept".into(), "new".into()];
    b.enums = vec![
        enum_type("mood", &["sad", "ok", "happy"]),
        enum_type("fresh", &["y"]),
    ];
    let mut s = sequence("s", None);
    s.options.increment = 2;
    b.sequences = vec![s.clone(), sequence("new_seq", None)];
    b.views = vec![view("v", "SELECT 10", &[]), view("w", "SELECT 2", &[])];
    let got = with_hints(&a, &b, &Renames::default());
    assert_eq!(
        got,
        [
            Change::CreateNamespace("new".into()),
            Change::CreateEnum(enum_type("fresh", &["y"])),
            Change::AlterEnum {
                from: enum_type("mood", &["sad", "ok"]),
                to: enum_type("mood", &["sad", "ok", "happy"]),
            },
            Change::CreateSequence(sequence("new_seq", None)),
            Change::AlterSequence {
                from: sequence("s", None),
                to: s,
            },
            Change::DropView(view("v", "SELECT 1", &[])),
            Change::CreateView(view("v", "SELECT 10", &[])),
            Change::DropSequence(sequence("gone_seq", None)),
            Change::DropEnum(enum_type("gone", &["x"])),
            Change::DropNamespace("old".into()),
        ]
    );
}

#[test]
fn triggers_comments_and_options() {
    let mut a_t = table("t", &[("a", "integer")]);
    a_t.triggers = vec![trigger("tr", "AFTER INSERT"), trigger("kept", "x")];
    let mut b_t = a_t.clone();
    b_t.triggers[0].definition = "AFTER UPDATE".into();
    b_t.comment = Some("hello".into());
    b_t.options = vec![("strict".into(), "1".into())];
    let got = with_hints(
        &schema(vec![a_t.clone()]),
        &schema(vec![b_t.clone()]),
        &Renames::default(),
    );
    assert_eq!(
        got,
        [
            Change::DropTrigger {
                table: name("t"),
                trigger: trigger("tr", "AFTER INSERT"),
            },
            Change::CreateTrigger {
                table: name("t"),
                trigger: trigger("tr", "AFTER UPDATE"),
            },
            Change::AlterTable {
                from: a_t.canonical_table(),
                to: b_t.canonical_table(),
            },
        ]
    );
}

trait CanonicalTable {
    fn canonical_table(self) -> Table;
}

impl CanonicalTable for Table {
    fn canonical_table(self) -> Table {
        schema(vec![self]).canonical().tables.remove(0)
    }
}

#[test]
fn primary_keys_are_renamed_added_and_dropped() {
    let mut a_t = table("t", &[("a", "integer"), ("b", "integer")]);
    a_t.primary_key = pk("t_pkey", &["a"]);
    let mut b_t = a_t.clone();
    b_t.primary_key = pk("t_pk", &["a"]);
    assert_eq!(
        changes(&schema(vec![a_t.clone()]), &schema(vec![b_t])),
        [Change::RenameConstraint {
            table: name("t"),
            from: "t_pkey".into(),
            to: "t_pk".into(),
        }]
    );
    let mut c_t = a_t.clone();
    c_t.primary_key = pk("t_pkey", &["a", "b"]);
    assert_eq!(
        with_hints(
            &schema(vec![a_t.clone()]),
            &schema(vec![c_t.clone()]),
            &Renames::default()
        ),
        [
            Change::DropPrimaryKey {
                table: name("t"),
                key: a_t.primary_key.clone().unwrap(),
            },
            Change::AddPrimaryKey {
                table: name("t"),
                key: c_t.primary_key.clone().unwrap(),
            },
        ]
    );
}

#[test]
fn names_that_swap_are_dropped_and_added_not_renamed() {
    let mut unique_b = index("i2", &["b"]);
    unique_b.unique = true;
    let mut a_t = table("t", &[("b", "integer")]);
    a_t.indexes = vec![index("i1", &["b"]), unique_b.clone()];
    let mut b_t = a_t.clone();
    b_t.indexes[0].name = "i2".into();
    b_t.indexes[1].name = "i1".into();
    let got = with_hints(&schema(vec![a_t]), &schema(vec![b_t]), &Renames::default());
    let kinds: Vec<&str> = got
        .iter()
        .map(|c| match c {
            Change::DropIndex { .. } => "drop",
            Change::CreateIndex { .. } => "create",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["drop", "drop", "create", "create"]);
}
