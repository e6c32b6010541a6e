//! The SQL autogenerate writes for each kind of change, on each database: the
//! upgrade and the downgrade of one small schema change, planned and rendered
//! exactly as `revision --autogenerate` does (no database involved), as insta
//! snapshots. Whether the SQL works is the round trips' job (aludel-cli's
//! tests/autogenerate_*.rs); these show what a reviewer reads.

use aludel::autogen::render_plan;
use aludel::config::Dialect;
use aludel::dialect::flavour::schema_flavour;
use aludel_schema::model::*;
use aludel_schema::{diff, Renames, Schema};

fn users() -> Table {
    let mut t = Table::new(QualifiedName::local("users"));
    let mut id = Column::new("id", "integer");
    id.nullable = false;
    let mut email = Column::new("email", "varchar(100)");
    email.nullable = false;
    t.columns = vec![id, email, Column::new("name", "text")];
    t.primary_key = Some(PrimaryKey {
        name: Some("users_pkey".into()),
        columns: vec!["id".into()],
    });
    t.uniques = vec![Unique {
        name: Some("users_email_key".into()),
        columns: vec!["email".into()],
        nulls_not_distinct: false,
        deferrable: Deferrable::No,
    }];
    t.indexes = vec![Index {
        name: "users_name".into(),
        unique: false,
        parts: vec![IndexPart {
            key: IndexKey::Column("name".into()),
            descending: false,
            nulls_first: None,
            collation: None,
            opclass: None,
            prefix_length: None,
        }],
        method: None,
        predicate: None,
        include: vec![],
        nulls_not_distinct: false,
        options: vec![],
        definition: None,
    }];
    t
}

fn orders() -> Table {
    let mut t = Table::new(QualifiedName::local("orders"));
    t.columns = vec![
        Column::new("id", "integer"),
        Column::new("user_id", "integer"),
    ];
    t.columns[0].nullable = false;
    t.primary_key = Some(PrimaryKey {
        name: Some("orders_pkey".into()),
        columns: vec!["id".into()],
    });
    t
}

fn schema(tables: Vec<Table>) -> Schema {
    Schema {
        tables,
        ..Schema::default()
    }
}

/// The upgrade and downgrade of `from` → `to` on `dialect`.
fn rendered(dialect: Dialect, from: &Schema, to: &Schema, renames: &Renames) -> String {
    let flavour = schema_flavour(dialect);
    let mut out = String::new();
    for (label, a, b, hints) in [
        ("upgrade", from, to, renames.clone()),
        ("downgrade", to, from, renames.reversed()),
    ] {
        let changes = diff(a, b, &hints).unwrap().changes;
        out.push_str(&format!("-- {label}\n"));
        for statement in render_plan(flavour, changes, a, b).unwrap() {
            if statement.drops_data {
                out.push_str("-- WARNING: drops data\n");
            }
            out.push_str(&statement.sql);
            out.push_str(";\n");
        }
        out.push('\n');
    }
    out
}

#[test]
fn every_change_kind_on_every_database() {
    let base = schema(vec![users()]);
    let with = |change: &dyn Fn(&mut Table)| {
        let mut t = users();
        change(&mut t);
        schema(vec![t])
    };
    let mut rename_table = Renames::default();
    rename_table.table(
        QualifiedName::local("users"),
        QualifiedName::local("accounts"),
    );
    let mut rename_column = Renames::default();
    rename_column.column(QualifiedName::local("users"), "name", "full_name");
    let mut with_fk = orders();
    with_fk.foreign_keys = vec![ForeignKey {
        name: Some("orders_user_id_fkey".into()),
        columns: vec!["user_id".into()],
        referenced_table: QualifiedName::local("users"),
        referenced_columns: vec!["id".into()],
        on_delete: ReferentialAction::Cascade,
        on_update: ReferentialAction::NoAction,
        match_kind: None,
        deferrable: Deferrable::No,
    }];
    let cases: Vec<(&str, Schema, Schema, Renames)> = vec![
        (
            "create_table",
            Schema::default(),
            base.clone(),
            Renames::default(),
        ),
        (
            "rename_table",
            base.clone(),
            with(&|t| {
                t.name = QualifiedName::local("accounts");
                t.primary_key.as_mut().unwrap().name = Some("accounts_pkey".into());
            }),
            rename_table,
        ),
        (
            "add_column",
            base.clone(),
            with(&|t| t.columns.push(Column::new("age", "integer"))),
            Renames::default(),
        ),
        (
            "drop_column",
            base.clone(),
            with(&|t| {
                t.columns.pop();
                t.indexes.clear();
            }),
            Renames::default(),
        ),
        (
            "change_column_type_nullability_default",
            base.clone(),
            with(&|t| {
                t.columns[2].data_type = "varchar(50)".into();
                t.columns[2].nullable = false;
                t.columns[2].default = Some("'anon'".into());
            }),
            Renames::default(),
        ),
        (
            "rename_column",
            base.clone(),
            with(&|t| {
                t.columns[2].name = "full_name".into();
                t.indexes[0].parts[0].key = IndexKey::Column("full_name".into());
            }),
            rename_column,
        ),
        (
            "unique_and_index",
            base.clone(),
            with(&|t| {
                t.uniques.clear();
                t.indexes[0].unique = true;
                t.indexes[0].name = "users_name_key".into();
            }),
            Renames::default(),
        ),
        (
            "check",
            base.clone(),
            with(&|t| {
                t.checks.push(Check {
                    name: Some("users_name_check".into()),
                    expression: "(name <> '')".into(),
                })
            }),
            Renames::default(),
        ),
        (
            "foreign_key",
            schema(vec![users(), orders()]),
            schema(vec![users(), with_fk]),
            Renames::default(),
        ),
        (
            "view",
            base.clone(),
            Schema {
                views: vec![View {
                    name: QualifiedName::local("named_users"),
                    definition: "SELECT id, name FROM users WHERE name IS NOT NULL".into(),
                    depends_on: vec![QualifiedName::local("users")],
                    options: vec![],
                    comment: None,
                }],
                ..base.clone()
            },
            Renames::default(),
        ),
    ];
    for (name, from, to, renames) in &cases {
        for (dialect, label) in [
            (Dialect::Postgres, "postgresql"),
            (Dialect::MySql, "mysql"),
            (Dialect::Sqlite, "sqlite"),
        ] {
            insta::assert_snapshot!(
                format!("{name}__{label}"),
                rendered(dialect, from, to, renames)
            );
        }
    }
}
