//! The SQLite describer: DDL loaded into a fresh file must come back as the
//! schema values it declares, constraint names included, with aludel's own tables
//! and excluded tables left out.

use aludel::config::DatabaseUrl;
use aludel::dialect::describe::{sqlite, DescribeScope};
use aludel::dialect::{connect, ConnectOptions, TableRef};
use aludel_schema::model::*;

mod support;
use support::SQLITE_DDL as DDL;

async fn load_and_describe(ddl: &str) -> Schema {
    let dir = tempfile::tempdir().unwrap();
    let url =
        DatabaseUrl::parse(&format!("sqlite:///{}", dir.path().join("t.db").display())).unwrap();
    let mut conn = connect(&url, &ConnectOptions::default(), &mut |_| {})
        .await
        .unwrap();
    for statement in aludel::sql::split_statements(aludel::config::Dialect::Sqlite, ddl) {
        conn.execute(&statement.sql).await.unwrap();
    }
    let scope = DescribeScope {
        schemas: vec![],
        exclude_tables: vec!["spatial_ref_sys".into()],
        own_tables: vec![TableRef::new(None, "aludel_version")],
    };
    sqlite::describe(conn.as_mut(), &scope).await.unwrap()
}

#[tokio::test]
async fn describes_what_the_ddl_declares() {
    let schema = load_and_describe(DDL).await;
    let names: Vec<String> = schema.tables.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(names, ["orders", "users"]);

    let users = schema.table(&QualifiedName::local("users")).unwrap();
    let cols: Vec<&str> = users.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        cols,
        [
            "id",
            "email",
            "Display Name",
            "score",
            "score_x2",
            "order",
            "created"
        ]
    );
    assert_eq!(
        users.column("id").unwrap().identity,
        Some(Identity::AutoIncrement)
    );
    let email = users.column("email").unwrap();
    assert_eq!(email.data_type, "VARCHAR(200)");
    assert!(!email.nullable);
    let display = users.column("Display Name").unwrap();
    assert_eq!(display.collation.as_deref(), Some("NOCASE"));
    assert_eq!(display.default.as_deref(), Some("'anon'"));
    assert_eq!(
        users.column("created").unwrap().default.as_deref(),
        Some("CURRENT_TIMESTAMP")
    );
    assert_eq!(
        users.column("score_x2").unwrap().generated,
        Some(Generated {
            expression: "score * 2".into(),
            stored: true
        })
    );
    assert_eq!(
        users.primary_key,
        Some(PrimaryKey {
            name: None,
            columns: vec!["id".into()]
        })
    );
    assert_eq!(users.uniques.len(), 1);
    assert_eq!(users.uniques[0].name.as_deref(), Some("users_email_key"));
    assert_eq!(users.uniques[0].columns, ["email"]);
    assert_eq!(
        users.checks,
        [Check {
            name: Some("score_positive".into()),
            expression: "score >= 0".into()
        }]
    );
    let index_names: Vec<&str> = users.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(index_names, ["café idx", "users_lower_email"]);
    assert_eq!(
        users.indexes[1].parts[0].key,
        IndexKey::Expression("lower(email)".into())
    );
    assert!(users.indexes[1].unique);
    assert_eq!(
        users.indexes[0].parts[0].key,
        IndexKey::Column("Display Name".into())
    );

    let orders = schema.table(&QualifiedName::local("orders")).unwrap();
    assert_eq!(
        orders.options,
        [
            ("strict".to_string(), "true".to_string()),
            ("without_rowid".to_string(), "true".to_string())
        ]
    );
    assert_eq!(
        orders.primary_key.as_ref().unwrap().name.as_deref(),
        Some("orders_pk")
    );
    let fks: Vec<(Option<&str>, &str, ReferentialAction, ReferentialAction)> = orders
        .foreign_keys
        .iter()
        .map(|f| {
            (
                f.name.as_deref(),
                f.referenced_table.name.as_str(),
                f.on_delete,
                f.on_update,
            )
        })
        .collect();
    assert_eq!(
        fks,
        [
            (
                None,
                "users",
                ReferentialAction::Cascade,
                ReferentialAction::NoAction
            ),
            (
                Some("orders_parent"),
                "orders",
                ReferentialAction::NoAction,
                ReferentialAction::SetNull
            ),
        ]
    );
    assert_eq!(orders.uniques[0].name.as_deref(), Some("orders_pair"));
    assert_eq!(orders.uniques[0].columns, ["user_id", "total"]);
    assert_eq!(orders.checks[0].expression, "total > 0");
    let partial = &orders.indexes[0];
    assert_eq!(partial.predicate.as_deref(), Some("total > 0"));
    assert!(partial.parts[0].descending);
    assert_eq!(
        partial.definition.as_deref(),
        Some("CREATE INDEX orders_partial ON orders (total DESC) WHERE total > 0")
    );
    assert_eq!(orders.triggers[0].name, "orders_touch");

    let views: Vec<(String, Vec<String>)> = schema
        .views
        .iter()
        .map(|v| {
            (
                v.name.to_string(),
                v.depends_on.iter().map(|d| d.to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(
        views,
        [
            ("big_orders".to_string(), vec!["orders".to_string()]),
            ("bigger orders".to_string(), vec!["big_orders".to_string()]),
        ]
    );
}

#[tokio::test]
async fn the_same_ddl_twice_describes_equal() {
    assert_eq!(load_and_describe(DDL).await, load_and_describe(DDL).await);
}

#[tokio::test]
async fn an_unreadable_definition_is_an_error_not_a_guess() {
    let dir = tempfile::tempdir().unwrap();
    let url =
        DatabaseUrl::parse(&format!("sqlite:///{}", dir.path().join("t.db").display())).unwrap();
    let mut conn = connect(&url, &ConnectOptions::default(), &mut |_| {})
        .await
        .unwrap();
    // SQLite accepts a table constraint's conflict clause, which sqlparser cannot read.
    conn.execute("CREATE TABLE odd (a INTEGER, PRIMARY KEY (a ASC) ON CONFLICT REPLACE)")
        .await
        .unwrap();
    let err = sqlite::describe(conn.as_mut(), &DescribeScope::default())
        .await
        .unwrap_err();
    assert!(
        err.message
            .starts_with("cannot read the definition of 'odd'"),
        "{}",
        err.message
    );
}
