//! What autogenerate asks of a database, in one place: what it can change in
//! place ([`Capabilities`], for the plan), how a planned step is written
//! ([`SchemaFlavour::render`]) and how its schema is read ([`describe`]). The
//! rest of aludel reaches the per-database modules of `describe` and `render`
//! only through here.

use aludel_schema::{Capabilities, Schema, Step};

use super::describe::{self, DescribeScope};
use super::render::{self, RenderContext, RenderedStatement, Unsupported};
use super::{Connection, DbError};
use crate::config::Dialect;

/// A database's side of autogenerate.
pub trait SchemaFlavour: Send + Sync {
    /// What the database changes in place; the plan rebuilds the rest.
    fn capabilities(&self) -> Capabilities;

    /// The statements of one planned step.
    fn render(
        &self,
        step: &Step,
        ctx: RenderContext<'_>,
    ) -> Result<Vec<RenderedStatement>, Unsupported>;

    /// Statements after all the steps of a migration (`steps`, in order).
    fn finish(&self, _steps: &[Step]) -> Vec<RenderedStatement> {
        Vec::new()
    }
}

struct Postgres;
struct MySql;
struct Sqlite;

impl SchemaFlavour for Postgres {
    fn capabilities(&self) -> Capabilities {
        Capabilities::FULL
    }

    fn render(
        &self,
        step: &Step,
        ctx: RenderContext<'_>,
    ) -> Result<Vec<RenderedStatement>, Unsupported> {
        match step {
            Step::Change(change) => render::postgres::render(change, ctx),
            Step::Rebuild { to, .. } => Err(Unsupported {
                what: format!("a rebuild of table {}", to.name),
                database: "PostgreSQL",
            }),
        }
    }
}

impl SchemaFlavour for MySql {
    /// Everything in place but constraint renames (MariaDB has no `RENAME
    /// CONSTRAINT`: a drop and an add); every foreign key needs an index;
    /// `RENAME TABLE` renames the `<table>_ibfk_<n>` keys.
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            rename_constraint: false,
            foreign_keys_need_an_index: true,
            table_rename_renames_ibfk_keys: true,
            ..Capabilities::FULL
        }
    }

    fn render(
        &self,
        step: &Step,
        ctx: RenderContext<'_>,
    ) -> Result<Vec<RenderedStatement>, Unsupported> {
        match step {
            Step::Change(change) => render::mysql::render(change, ctx),
            Step::Rebuild { to, .. } => Err(Unsupported {
                what: format!("a rebuild of table {}", to.name),
                database: "MySQL/MariaDB",
            }),
        }
    }
}

impl SchemaFlavour for Sqlite {
    /// `ALTER TABLE` renames tables and columns, adds plain columns and drops
    /// columns nothing uses; everything else rebuilds the table.
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            alter_column: false,
            rename_column: true,
            drop_column: true,
            add_column_not_null: false,
            add_column_expression_default: false,
            add_column_stored_generated: false,
            alter_primary_key: false,
            alter_unique: false,
            alter_foreign_key: false,
            alter_check: false,
            rename_constraint: false,
            rename_index: false,
            alter_table_options: false,
            foreign_keys_need_an_index: false,
            renames_keep_index_text: false,
            table_rename_renames_ibfk_keys: false,
        }
    }

    fn render(
        &self,
        step: &Step,
        ctx: RenderContext<'_>,
    ) -> Result<Vec<RenderedStatement>, Unsupported> {
        match step {
            Step::Change(change) => render::sqlite::render(change, ctx),
            Step::Rebuild {
                from,
                to,
                renamed_columns,
            } => Ok(render::sqlite::rebuild(from, to, renamed_columns)),
        }
    }

    /// The foreign keys of and to the rebuilt tables are checked once all of
    /// them are rebuilt.
    fn finish(&self, steps: &[Step]) -> Vec<RenderedStatement> {
        let rebuilt: Vec<&str> = steps
            .iter()
            .filter_map(|s| match s {
                Step::Rebuild { to, .. } => Some(to.name.name.as_str()),
                Step::Change(_) => None,
            })
            .collect();
        render::sqlite::foreign_key_check(&rebuilt)
    }
}

/// The flavour of a database.
pub fn schema_flavour(dialect: Dialect) -> &'static dyn SchemaFlavour {
    match dialect {
        Dialect::Postgres => &Postgres,
        Dialect::MySql => &MySql,
        Dialect::Sqlite => &Sqlite,
    }
}

/// Reads the schema of the database `conn` is connected to.
pub async fn describe(conn: &mut dyn Connection, scope: &DescribeScope) -> Result<Schema, DbError> {
    match conn.sql().dialect() {
        Dialect::Postgres => describe::postgres::describe(conn, scope).await,
        Dialect::MySql => describe::mysql::describe(conn, scope).await,
        Dialect::Sqlite => describe::sqlite::describe(conn, scope).await,
    }
}
