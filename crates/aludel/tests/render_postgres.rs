//! The PostgreSQL renderer on a real server: every object of a described schema,
//! created from its values into an empty database, describes equal to the
//! original (names, defaults, identities, indexes, views and all); dropped again
//! in reverse, nothing is left.

use aludel::config::DatabaseUrl;
use aludel::config::Dialect;
use aludel::dialect::describe::{postgres, DescribeScope};
use aludel::dialect::flavour::schema_flavour;
use aludel::dialect::render::RenderContext;
use aludel::dialect::{connect, ConnectOptions};
use aludel_schema::{diff, plan, Renames, Schema, Step};
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
    postgres::describe(conn.as_mut(), None, &scope)
        .await
        .unwrap()
}

/// The planned steps from `from` to `to`, as autogenerate orders them.
fn steps(from: &Schema, to: &Schema) -> Vec<Step> {
    let flavour = schema_flavour(Dialect::Postgres);
    let changes = diff(from, to, &Renames::default()).unwrap().changes;
    plan(changes, from, to, &flavour.capabilities())
}

async fn apply(db: &TestDb, steps: &[Step], ctx: RenderContext<'_>) {
    let url = DatabaseUrl::parse(db.url()).unwrap();
    let mut conn = connect(&url, &ConnectOptions::default(), &mut |_| {})
        .await
        .unwrap();
    let flavour = schema_flavour(Dialect::Postgres);
    for step in steps {
        for statement in flavour.render(step, ctx).unwrap() {
            if let Err(e) = conn.execute(&statement.sql).await {
                panic!("{step:?}\n{}\nfailed: {}", statement.sql, e.message);
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
    apply(&copy, &steps(&empty, &schema), ctx).await;
    assert_eq!(describe(&copy).await, schema);

    let back = RenderContext {
        from: &schema,
        to: &empty,
    };
    apply(&copy, &steps(&schema, &empty), back).await;
    assert_eq!(describe(&copy).await, empty);
}
