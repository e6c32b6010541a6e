//! The PostgreSQL describer on a real server: DDL loaded into a fresh database
//! must come back as the schema values it declares, names included (implicit
//! ones too), with aludel's own tables and excluded tables left out.

use aludel::config::DatabaseUrl;
use aludel::dialect::describe::{postgres, DescribeScope};
use aludel::dialect::{connect, ConnectOptions, TableRef};
use aludel_schema::model::*;
use aludel_testdb::{Server, TestDb};

mod support;
use support::POSTGRES_DDL as DDL;

async fn describe(db: &TestDb, schemas: &[&str]) -> Schema {
    let url = DatabaseUrl::parse(db.url()).unwrap();
    let mut conn = connect(&url, &ConnectOptions::default(), &mut |_| {})
        .await
        .unwrap();
    let scope = DescribeScope {
        schemas: schemas.iter().map(|s| s.to_string()).collect(),
        exclude_tables: vec!["spatial_ref_sys".into()],
        own_tables: vec![TableRef::new(None, "aludel_version")],
    };
    let alone = postgres::describe(conn.as_mut(), None, &scope)
        .await
        .unwrap();
    // With a second connection sharing the reads, the answer is the same.
    let mut second = connect(&url, &ConnectOptions::default(), &mut |_| {})
        .await
        .unwrap();
    let shared = postgres::describe(conn.as_mut(), Some(second.as_mut()), &scope)
        .await
        .unwrap();
    assert_eq!(shared, alone, "two connections read what one reads");
    second.close().await;
    conn.close().await;
    alone
}

#[tokio::test]
async fn describes_what_the_ddl_declares() {
    let Some(db) = TestDb::create(Server::Postgres) else {
        return;
    };
    db.execute(DDL);
    let schema = describe(&db, &["billing"]).await;

    let names: Vec<String> = schema.tables.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(names, ["orders", "users", "billing.invoices"]);
    assert_eq!(schema.namespaces, ["billing"]);

    let users = schema.table(&QualifiedName::local("users")).unwrap();
    let cols: Vec<&str> = users.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        cols,
        [
            "id",
            "email",
            "Display Name",
            "feeling",
            "score",
            "score_x2",
            "created"
        ]
    );
    let id = users.column("id").unwrap();
    assert_eq!(id.data_type, "integer");
    assert!(!id.nullable);
    let Some(Identity::Always(seq)) = &id.identity else {
        panic!("identity: {:?}", id.identity);
    };
    assert_eq!((seq.start, seq.increment), (10, 5));
    let email = users.column("email").unwrap();
    assert_eq!(email.data_type, "character varying(200)");
    assert_eq!(email.comment.as_deref(), Some("login"));
    let display = users.column("Display Name").unwrap();
    assert_eq!(display.collation.as_deref(), Some("C"));
    assert_eq!(display.default.as_deref(), Some("'anon'::text"));
    assert_eq!(
        users.column("feeling").unwrap().default.as_deref(),
        Some("'ok'::mood")
    );
    let generated = users.column("score_x2").unwrap();
    assert_eq!(
        generated.generated,
        Some(Generated {
            expression: "(score * (2)::numeric)".into(),
            stored: true
        })
    );
    assert_eq!(generated.default, None);
    assert_eq!(users.comment.as_deref(), Some("people"));
    assert_eq!(
        users.primary_key,
        Some(PrimaryKey {
            name: Some("users_pkey".into()),
            columns: vec!["id".into()]
        })
    );
    assert_eq!(users.uniques[0].name.as_deref(), Some("users_email_key"));
    assert_eq!(users.checks[0].name.as_deref(), Some("users_score_check"));
    assert_eq!(users.checks[0].expression, "((score >= (0)::numeric))");
    let index_names: Vec<&str> = users.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(index_names, ["users_lower_email", "users_name_c"]);
    assert_eq!(
        users.indexes[0].parts[0].key,
        IndexKey::Expression("lower(email::text)".into())
    );
    assert!(users.indexes[0].unique);
    assert_eq!(users.indexes[1].method.as_deref(), Some("hash"));

    let orders = schema.table(&QualifiedName::local("orders")).unwrap();
    assert_eq!(
        orders.options,
        [("fillfactor".to_string(), "70".to_string())]
    );
    let id = orders.column("id").unwrap();
    assert_eq!(
        id.default.as_deref(),
        Some("nextval('orders_id_seq'::regclass)")
    );
    let fks: Vec<(&str, Deferrable, ReferentialAction, ReferentialAction)> = orders
        .foreign_keys
        .iter()
        .map(|f| {
            (
                f.name.as_deref().unwrap(),
                f.deferrable,
                f.on_delete,
                f.on_update,
            )
        })
        .collect();
    assert_eq!(
        fks,
        [
            (
                "orders_parent",
                Deferrable::No,
                ReferentialAction::NoAction,
                ReferentialAction::SetNull
            ),
            (
                "orders_user_id_fkey",
                Deferrable::InitiallyDeferred,
                ReferentialAction::Cascade,
                ReferentialAction::NoAction
            ),
        ]
    );
    assert_eq!(orders.foreign_keys[0].match_kind.as_deref(), Some("FULL"));
    assert_eq!(
        orders.foreign_keys[1].referenced_table,
        QualifiedName::local("users")
    );
    assert!(orders.uniques[0].nulls_not_distinct);
    let partial = &orders.indexes[0];
    assert_eq!(partial.name, "orders_partial");
    assert_eq!(partial.predicate.as_deref(), Some("total > 0"));
    assert_eq!(partial.include, ["parent_id"]);
    assert!(partial.parts[0].descending);
    assert_eq!(partial.parts[0].nulls_first, Some(false));
    assert_eq!(orders.triggers[0].name, "orders_touch");
    // The trigger's function comes first: a trigger is created with it.
    let (function, trigger) = orders.triggers[0]
        .definition
        .split_once(";\nCREATE TRIGGER ")
        .expect("the function, then the trigger");
    assert!(
        function.starts_with("CREATE OR REPLACE FUNCTION public.touch()"),
        "{function}"
    );
    assert!(trigger.starts_with("orders_touch BEFORE UPDATE ON orders"));

    let sequences: Vec<String> = schema
        .sequences
        .iter()
        .map(|s| s.name.to_string())
        .collect();
    assert_eq!(sequences, ["orders_id_seq", "billing.numbers"]);
    assert_eq!(
        schema.sequences[0].owned_by,
        Some((QualifiedName::local("orders"), "id".into()))
    );
    assert!(schema.sequences[1].options.cycle);
    assert_eq!(schema.sequences[1].options.start, 100);

    assert_eq!(schema.enums[0].values, ["sad", "ok", "happy"]);
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
            ("bigger_orders".to_string(), vec!["big_orders".to_string()]),
        ]
    );
}

#[tokio::test]
async fn the_same_ddl_twice_describes_equal_and_scope_limits() {
    let (Some(a), Some(b)) = (
        TestDb::create(Server::Postgres),
        TestDb::create(Server::Postgres),
    ) else {
        return;
    };
    a.execute(DDL);
    b.execute(DDL);
    assert_eq!(
        describe(&a, &["billing"]).await,
        describe(&b, &["billing"]).await
    );
    let only_default = describe(&a, &[]).await;
    assert!(only_default.namespaces.is_empty());
    assert!(only_default.tables.iter().all(|t| t.name.schema.is_none()));
    assert!(only_default
        .sequences
        .iter()
        .all(|s| s.name.schema.is_none()));
}
