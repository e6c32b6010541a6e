//! The PostgreSQL renderer on a real server: every object of a described schema,
//! created from its values into an empty database, describes equal to the
//! original (names, defaults, identities, indexes, views and all); dropped again
//! in reverse, nothing is left.

use aludel::config::DatabaseUrl;
use aludel::dialect::describe::{postgres, DescribeScope};
use aludel::dialect::render::{postgres as render, RenderContext};
use aludel::dialect::{connect, ConnectOptions};
use aludel_schema::{Change, Schema};
use aludel_testdb::{Server, TestDb};

mod support;

async fn describe(db: &TestDb) -> Schema {
    let url = DatabaseUrl::parse(db.url()).unwrap();
    let mut conn = connect(&url, &ConnectOptions::default(), &mut |_| {})
        .await
        .unwrap();
    let scope = DescribeScope {
        schemas: vec!["billing".into()],
        ..DescribeScope::default()
    };
    postgres::describe(conn.as_mut(), &scope).await.unwrap()
}

/// Everything of `schema` as changes, in an order that creates what is used
/// before its users (the plan's job; done by hand for this one schema).
fn creations(schema: &Schema) -> Vec<Change> {
    let mut out: Vec<Change> = schema
        .namespaces
        .iter()
        .cloned()
        .map(Change::CreateNamespace)
        .collect();
    out.extend(schema.enums.iter().cloned().map(Change::CreateEnum));
    out.extend(schema.sequences.iter().cloned().map(Change::CreateSequence));
    let mut tables = schema.tables.clone();
    // users before orders, which references it.
    tables.sort_by_key(|t| t.foreign_keys.iter().any(|k| k.referenced_table != t.name));
    out.extend(tables.into_iter().map(Change::CreateTable));
    out.extend(schema.views.iter().cloned().map(Change::CreateView));
    out
}

async fn apply(db: &TestDb, changes: &[Change], ctx: RenderContext<'_>) {
    let url = DatabaseUrl::parse(db.url()).unwrap();
    let mut conn = connect(&url, &ConnectOptions::default(), &mut |_| {})
        .await
        .unwrap();
    for change in changes {
        for statement in render::render(change, ctx).unwrap() {
            if let Err(e) = conn.execute(&statement.sql).await {
                panic!("{change:?}\n{}\nfailed: {}", statement.sql, e.message);
            }
        }
    }
}

#[tokio::test]
async fn a_schema_created_from_its_description_describes_equal() {
    let (Some(original), Some(copy)) = (
        TestDb::create(Server::Postgres),
        TestDb::create(Server::Postgres),
    ) else {
        return;
    };
    original.execute(support::POSTGRES_DDL);
    let schema = describe(&original).await;
    // Functions are not part of the model: the trigger's function exists first.
    copy.execute(
        "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    );
    let empty = Schema::default();
    let ctx = RenderContext {
        from: &empty,
        to: &schema,
    };
    apply(&copy, &creations(&schema), ctx).await;
    assert_eq!(describe(&copy).await, schema);

    let drops: Vec<Change> = creations(&schema)
        .iter()
        .rev()
        .map(Change::reverse)
        .collect();
    let back = RenderContext {
        from: &schema,
        to: &empty,
    };
    apply(&copy, &drops, back).await;
    assert_eq!(describe(&copy).await, empty);
}
