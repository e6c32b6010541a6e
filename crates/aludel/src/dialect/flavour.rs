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

/// A database that changes its tables in place is never planned a rebuild.
fn no_rebuild(table: &aludel_schema::model::QualifiedName, database: &'static str) -> Unsupported {
    Unsupported {
        what: format!("a rebuild of table {table}"),
        database,
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
            Step::Rebuild { to, .. } => Err(no_rebuild(&to.name, "PostgreSQL")),
        }
    }
}

impl SchemaFlavour for MySql {
    fn capabilities(&self) -> Capabilities {
        Capabilities::MYSQL
    }

    fn render(
        &self,
        step: &Step,
        ctx: RenderContext<'_>,
    ) -> Result<Vec<RenderedStatement>, Unsupported> {
        match step {
            Step::Change(change) => render::mysql::render(change, ctx),
            Step::Rebuild { to, .. } => Err(no_rebuild(&to.name, "MySQL/MariaDB")),
        }
    }
}

impl SchemaFlavour for Sqlite {
    fn capabilities(&self) -> Capabilities {
        Capabilities::SQLITE
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
    describe_on(conn, None, scope).await
}

/// [`describe`], sharing the work with `second`, another connection to the same
/// database, where the dialect can (PostgreSQL); others ignore it.
pub async fn describe_on(
    conn: &mut dyn Connection,
    second: Option<&mut dyn Connection>,
    scope: &DescribeScope,
) -> Result<Schema, DbError> {
    match conn.sql().dialect() {
        Dialect::Postgres => describe::postgres::describe(conn, second, scope).await,
        Dialect::MySql => describe::mysql::describe(conn, scope).await,
        Dialect::Sqlite => describe::sqlite::describe(conn, scope).await,
    }
}
