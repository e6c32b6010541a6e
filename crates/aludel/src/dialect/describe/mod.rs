//! Reading a database's schema into [`aludel_schema::Schema`]: the target's, and a
//! shadow database's loaded with the desired schema, with the same code, so both
//! sides are normalised by the server itself.
//!
//! One module per database. Each reads the whole database with one catalog query
//! per object kind (never one per table: Alembic's table-by-table reflection took
//! 70 minutes on 8,477 tables), each query returning its rows as one JSON array,
//! which serde turns into row structs. Owns the catalog queries and their mapping
//! to the model; it compares nothing and renders nothing.

pub mod mysql;
pub mod postgres;
pub mod sqlite;

use serde::de::DeserializeOwned;

use super::{DbError, DbErrorKind, TableRef};

/// What part of a database is described.
#[derive(Debug, Clone, Default)]
pub struct DescribeScope {
    /// Schemas to read besides the default one (PostgreSQL `include_schemas`);
    /// empty: the default schema only.
    pub schemas: Vec<String>,
    /// Tables left out (`exclude_tables`): a bare name matches in every schema,
    /// `schema.name` in that one.
    pub exclude_tables: Vec<String>,
    /// aludel's own version and history tables, never part of a schema.
    pub own_tables: Vec<TableRef>,
}

impl DescribeScope {
    /// Whether the table `schema.name` (`schema` as the catalog names it, `None`
    /// where the database has none) is left out.
    pub fn excludes(&self, schema: Option<&str>, name: &str, default_schema: Option<&str>) -> bool {
        let is_default = schema == default_schema;
        let own = self.own_tables.iter().any(|t| {
            t.name == name
                && match &t.schema {
                    Some(s) => Some(s.as_str()) == schema,
                    None => is_default,
                }
        });
        own || self.exclude_tables.iter().any(|e| match e.split_once('.') {
            Some((s, n)) => Some(s) == schema && n == name,
            None => e == name,
        })
    }
}

/// The rows of a query that returned one JSON array (or NULL for none).
pub(crate) fn json_rows<T: DeserializeOwned>(
    what: &str,
    rows: Vec<Vec<Option<String>>>,
) -> Result<Vec<T>, DbError> {
    let Some(text) = rows
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .flatten()
    else {
        return Ok(Vec::new());
    };
    serde_json::from_str(&text).map_err(|e| {
        DbError::new(
            DbErrorKind::Other,
            format!("reading the database's {what}: unexpected catalog answer ({e})"),
        )
    })
}
