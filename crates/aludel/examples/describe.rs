//! Reads the schema of a database the way `aludel check` reads both sides (one
//! catalog query per object kind, on two connections where the dialect can), and
//! prints what it found and how long the reading took. `bench/autogenerate.sh` times it on a 5,000-table PostgreSQL
//! database; it is the introspection alone, without the shadow database.
//!
//! ```text
//! cargo run --release -p aludel --example describe -- URL
//! ```
//!
//! The URL is any aludel accepts (also from `DATABASE_URL`); the default schema is
//! read, aludel's own tables left out.

use std::time::Instant;

use aludel::config::DatabaseUrl;
use aludel::dialect::describe::DescribeScope;
use aludel::dialect::flavour::describe_on;
use aludel::dialect::{connect, ConnectOptions, TableRef};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("DATABASE_URL").ok())
        .ok_or("usage: describe URL (or DATABASE_URL)")?;
    let url = DatabaseUrl::parse(&url)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut conn = connect(&url, &ConnectOptions::default(), &mut |_| {}).await?;
        let scope = DescribeScope {
            schemas: Vec::new(),
            exclude_tables: Vec::new(),
            own_tables: vec![
                TableRef::new(None, "aludel_version"),
                TableRef::new(None, "aludel_history"),
            ],
        };
        let start = Instant::now();
        // As `check` reads the target: a second connection shares the work where
        // the dialect can (PostgreSQL).
        let mut second = connect(&url, &ConnectOptions::default(), &mut |_| {})
            .await
            .ok();
        let helper = second
            .as_deref_mut()
            .map(|c| -> &mut dyn aludel::dialect::Connection { c });
        let schema = describe_on(conn.as_mut(), helper, &scope).await?;
        let elapsed = start.elapsed();
        let columns: usize = schema.tables.iter().map(|t| t.columns.len()).sum();
        let indexes: usize = schema.tables.iter().map(|t| t.indexes.len()).sum();
        let keys: usize = schema.tables.iter().map(|t| t.foreign_keys.len()).sum();
        println!(
            "{} tables, {columns} columns, {indexes} indexes, {keys} foreign keys read in {:.1} ms",
            schema.tables.len(),
            elapsed.as_secs_f64() * 1000.0
        );
        Ok(())
    })
}
