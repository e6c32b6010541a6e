//! The SQLite renderer: a described schema created from its values describes
//! equal; the rebuild recipe changes what ALTER TABLE cannot, keeps every row,
//! re-creates indexes and triggers, fires no ON DELETE action on other tables, and
//! fails on a foreign-key violation.

use aludel::config::{DatabaseUrl, Dialect};
use aludel::dialect::describe::{sqlite, DescribeScope};
use aludel::dialect::render::{sqlite as render, RenderContext, RenderedStatement};
use aludel::dialect::{connect, ConnectOptions, Connection};
use aludel_schema::model::{Check, QualifiedName};
use aludel_schema::{Change, Schema};

mod support;

async fn open(dir: &tempfile::TempDir, file: &str) -> Box<dyn Connection> {
    let url =
        DatabaseUrl::parse(&format!("sqlite:///{}", dir.path().join(file).display())).unwrap();
    connect(&url, &ConnectOptions::default(), &mut |_| {})
        .await
        .unwrap()
}

async fn run(conn: &mut dyn Connection, statements: &[RenderedStatement]) -> Result<(), String> {
    for s in statements {
        conn.execute(&s.sql)
            .await
            .map_err(|e| format!("{}\nfailed: {}", s.sql, e.message))?;
    }
    Ok(())
}

async fn load(conn: &mut dyn Connection, ddl: &str) {
    for statement in aludel::sql::split_statements(Dialect::Sqlite, ddl) {
        conn.execute(&statement.sql).await.unwrap();
    }
}

async fn describe(conn: &mut dyn Connection) -> Schema {
    sqlite::describe(conn, &DescribeScope::default())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_schema_created_from_its_description_describes_equal() {
    let dir = tempfile::tempdir().unwrap();
    let mut original = open(&dir, "a.db").await;
    load(original.as_mut(), support::SQLITE_DDL).await;
    let schema = describe(original.as_mut()).await;
    let mut copy = open(&dir, "b.db").await;
    let empty = Schema::default();
    let ctx = RenderContext {
        from: &empty,
        to: &schema,
    };
    let mut tables = schema.tables.clone();
    tables.sort_by_key(|t| t.foreign_keys.iter().any(|k| k.referenced_table != t.name));
    for change in tables
        .into_iter()
        .map(Change::CreateTable)
        .chain(schema.views.iter().cloned().map(Change::CreateView))
    {
        run(copy.as_mut(), &render::render(&change, ctx).unwrap())
            .await
            .unwrap();
    }
    assert_eq!(describe(copy.as_mut()).await, schema);
}

#[tokio::test]
async fn a_rebuild_changes_the_table_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = open(&dir, "r.db").await;
    load(
        conn.as_mut(),
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
         CREATE TABLE orders (id INTEGER PRIMARY KEY,
             user_id INTEGER REFERENCES users (id) ON DELETE CASCADE, total INTEGER);
         CREATE INDEX orders_user ON orders (user_id);
         CREATE TRIGGER orders_total AFTER INSERT ON orders BEGIN SELECT 1; END;
         INSERT INTO users VALUES (1, 'ann'), (2, 'bob');
         INSERT INTO orders VALUES (10, 1, 5), (11, 2, NULL);",
    )
    .await;
    let before = describe(conn.as_mut()).await;
    let name = QualifiedName::local("orders");
    let from = before.table(&name).unwrap().clone();
    let mut to = from.clone();
    // A column renamed, one made NOT NULL with a default, a check added: none of
    // which ALTER TABLE can do together.
    to.columns[2].name = "amount".into();
    to.columns[2].nullable = false;
    to.columns[2].default = Some("0".into());
    to.checks.push(Check {
        name: Some("amount_positive".into()),
        expression: "amount >= 0".into(),
    });
    let err = render::render(
        &Change::AlterColumn {
            table: name.clone(),
            from: from.columns[2].clone(),
            to: to.columns[2].clone(),
        },
        RenderContext {
            from: &before,
            to: &before,
        },
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "aludel cannot generate a change of column orders.amount without rebuilding the table on SQLite yet"
    );

    // The NULL total cannot become NOT NULL: the copy fails, nothing changes.
    let statements = render::rebuild(&from, &to, &[("total".into(), "amount".into())]);
    conn.execute("BEGIN").await.unwrap();
    let failed = run(conn.as_mut(), &statements).await.unwrap_err();
    assert!(failed.contains("NOT NULL constraint failed"), "{failed}");
    conn.execute("ROLLBACK").await.unwrap();
    conn.execute("UPDATE orders SET total = 7 WHERE total IS NULL")
        .await
        .unwrap();

    run(conn.as_mut(), &statements).await.unwrap();
    let after = describe(conn.as_mut()).await;
    assert_eq!(after.table(&name).unwrap(), &to);
    assert_eq!(
        conn.query_rows("SELECT id, user_id, amount FROM orders ORDER BY id")
            .await
            .unwrap(),
        [
            vec![Some("10".into()), Some("1".into()), Some("5".into())],
            vec![Some("11".into()), Some("2".into()), Some("7".into())],
        ]
    );

    // Rebuilding the referenced table fires no ON DELETE CASCADE on orders.
    let users_name = QualifiedName::local("users");
    let users = after.table(&users_name).unwrap().clone();
    let mut users_to = users.clone();
    users_to.columns[1].nullable = false;
    run(conn.as_mut(), &render::rebuild(&users, &users_to, &[]))
        .await
        .unwrap();
    assert_eq!(
        conn.query_column("SELECT count(*) FROM orders")
            .await
            .unwrap(),
        [Some("2".to_string())]
    );

    // A rebuild that leaves a dangling reference fails.
    conn.execute("INSERT INTO orders VALUES (12, 99, 1)")
        .await
        .unwrap();
    let orders = describe(conn.as_mut()).await.table(&name).unwrap().clone();
    let mut statements = render::rebuild(&orders, &orders, &[]);
    statements.extend(render::foreign_key_check(&["orders"]));
    let failed = run(conn.as_mut(), &statements).await.unwrap_err();
    assert!(failed.contains("CHECK constraint failed"), "{failed}");
}

#[tokio::test]
async fn the_check_after_rebuilds_covers_the_tables_that_reference_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = open(&dir, "children.db").await;
    load(
        conn.as_mut(),
        "CREATE TABLE tags (name TEXT COLLATE NOCASE PRIMARY KEY);\n\
         CREATE TABLE uses (id INTEGER PRIMARY KEY, tag TEXT REFERENCES tags (name));\n\
         CREATE TABLE other (id INTEGER PRIMARY KEY, tag TEXT REFERENCES tags (name));\n\
         INSERT INTO tags VALUES ('rust');\n\
         INSERT INTO uses VALUES (1, 'RUST');",
    )
    .await;
    let name = QualifiedName::local("tags");
    let tags = describe(conn.as_mut()).await.table(&name).unwrap().clone();
    let mut binary = tags.clone();
    binary.columns[0].collation = None;

    // Nothing is checked when nothing was rebuilt.
    assert!(render::foreign_key_check(&[]).is_empty());
    // 'RUST' referenced 'rust' without regard to case; no longer.
    let mut statements = render::rebuild(&tags, &binary, &[]);
    statements.extend(render::foreign_key_check(&["tags"]));
    let failed = run(conn.as_mut(), &statements).await.unwrap_err();
    assert!(failed.contains("CHECK constraint failed"), "{failed}");
}
