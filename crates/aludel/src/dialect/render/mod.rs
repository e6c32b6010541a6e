//! DDL for schema changes, per database: each module turns one
//! [`aludel_schema::Change`] into the statements that make it, with every name
//! quoted by that database's rules. Owns the SQL text of changes; the order of
//! changes is the plan's, and what changes is the diff's.
//!
//! A change a database cannot make (or that aludel cannot render yet) is an
//! [`Unsupported`] error naming the object, never a silent omission.

pub mod mysql;
pub mod postgres;
mod postgres_text;
pub mod sqlite;

use aludel_schema::model::ReferentialAction;
use aludel_schema::Schema;

use crate::dialect::SqlDialect;

/// One rendered statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedStatement {
    /// Without a terminating `;`.
    pub sql: String,
    /// The statement loses rows or values: the file marks it
    /// `-- WARNING: drops data`.
    pub drops_data: bool,
    /// The statement must be committed before a later one can use what it made
    /// (PostgreSQL's `ALTER TYPE … ADD VALUE`): the section that holds it runs
    /// outside a transaction.
    pub commit_before_use: bool,
}

impl RenderedStatement {
    pub fn new(sql: impl Into<String>) -> Self {
        RenderedStatement {
            sql: sql.into(),
            drops_data: false,
            commit_before_use: false,
        }
    }

    pub(crate) fn dropping(mut self) -> Self {
        self.drops_data = true;
        self
    }
}

/// The two schemas a change goes between, for what a change needs to know
/// beyond itself (the columns that use an enum, the sequences a column owns).
/// `from` is the schema as the migration's renames leave it (they run first).
#[derive(Debug, Clone, Copy)]
pub struct RenderContext<'a> {
    pub from: &'a Schema,
    pub to: &'a Schema,
}

/// A change that cannot be rendered for a database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("aludel cannot generate {what} on {database} yet")]
pub struct Unsupported {
    pub what: String,
    pub database: &'static str,
}

/// Names quoted by `sql`'s rules, joined with `, `.
fn quoted_names(sql: &dyn SqlDialect, names: &[String]) -> String {
    names
        .iter()
        .map(|n| sql.quote_ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CONSTRAINT name ` before a constraint's clause; nothing for an unnamed one.
fn constraint_prefix(sql: &dyn SqlDialect, name: Option<&str>) -> String {
    name.map(|n| format!("CONSTRAINT {} ", sql.quote_ident(n)))
        .unwrap_or_default()
}

/// The words of a foreign key's `ON DELETE` / `ON UPDATE` action.
fn action(a: ReferentialAction) -> &'static str {
    match a {
        ReferentialAction::NoAction => "NO ACTION",
        ReferentialAction::Restrict => "RESTRICT",
        ReferentialAction::Cascade => "CASCADE",
        ReferentialAction::SetNull => "SET NULL",
        ReferentialAction::SetDefault => "SET DEFAULT",
    }
}
