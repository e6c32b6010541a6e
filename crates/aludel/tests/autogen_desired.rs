//! The desired schema from SQL files: a folder's `.sql` files in path order, run
//! statement by statement on a shadow database; a refused statement names its
//! file and line.

use aludel::autogen::{desired, AutogenError};
use aludel::config::{DatabaseUrl, Dialect};
use aludel::dialect::describe::{sqlite, DescribeScope};
use aludel::dialect::shadow::ShadowDatabase;

#[tokio::test]
async fn a_folder_loads_in_path_order_and_a_failure_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema");
    std::fs::create_dir_all(schema.join("b")).unwrap();
    std::fs::write(
        schema.join("a_tables.sql"),
        "-- users first\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n",
    )
    .unwrap();
    std::fs::write(
        schema.join("b/orders.sql"),
        "CREATE TABLE orders (\n  id INTEGER PRIMARY KEY,\n  user_id INTEGER REFERENCES users (id)\n);\nCREATE INDEX orders_user ON orders (user_id);\n",
    )
    .unwrap();
    std::fs::write(schema.join("notes.txt"), "not SQL").unwrap();
    let files = desired::schema_files(&schema).unwrap();
    assert_eq!(
        files,
        [schema.join("a_tables.sql"), schema.join("b/orders.sql")]
    );

    let target = DatabaseUrl::parse("sqlite:///unused.db").unwrap();
    let mut shadow = ShadowDatabase::create(&target, None).await.unwrap();
    let statements = desired::sql_file_statements(&files, Dialect::Sqlite).unwrap();
    desired::load(shadow.connection(), &statements)
        .await
        .unwrap();
    let described = sqlite::describe(shadow.connection(), &DescribeScope::default())
        .await
        .unwrap();
    let names: Vec<&str> = described
        .tables
        .iter()
        .map(|t| t.name.name.as_str())
        .collect();
    assert_eq!(names, ["orders", "users"]);
    shadow.discard().await.unwrap();

    std::fs::write(
        schema.join("b/orders.sql"),
        "CREATE TABLE orders (id INTEGER);\n\nCREAT INDEX x ON orders (id);\n",
    )
    .unwrap();
    let mut shadow = ShadowDatabase::create(&target, None).await.unwrap();
    let statements = desired::sql_file_statements(&files, Dialect::Sqlite).unwrap();
    let err = desired::load(shadow.connection(), &statements)
        .await
        .unwrap_err();
    let AutogenError::DesiredStatement {
        origin, statement, ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(
        origin,
        &desired::StatementOrigin::File {
            path: schema.join("b/orders.sql"),
            line: 3
        }
    );
    assert_eq!(statement, "CREAT INDEX x ON orders (id)");
    assert!(
        err.to_string()
            .contains("orders.sql:3: near \"CREAT\": syntax error"),
        "{err}"
    );
    shadow.discard().await.unwrap();

    let missing = desired::schema_files(&dir.path().join("nope.sql")).unwrap_err();
    assert!(
        missing
            .to_string()
            .starts_with("cannot read the desired schema"),
        "{missing}"
    );
}
