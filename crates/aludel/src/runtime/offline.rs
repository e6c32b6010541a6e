//! The offline sink: prepared steps as the SQL script an online run executes, in
//! Alembic's `--sql` shape (ALEMBIC.md §5.5): blocks separated by a blank line,
//! `BEGIN;`/`COMMIT;` where the dialect has transactional DDL (per step, or around
//! the whole run when `transaction_per_migration = false`), `CREATE TABLE` of the
//! version table when the script starts from nothing, a `-- Running upgrade a -> b`
//! comment per step, then its statements and version-table changes.
//!
//! History rows are not part of a script: nothing is executed, so nothing happened.
//! Pure.

use super::{PreparedStep, RunOptions, Tables};
use crate::dialect::{create_version_table, SqlDialect};

/// Renders a script. `create_version_table` is true when the script starts from no
/// revision (no `start:` in the range), as Alembic does.
pub fn render_script(
    sql: &dyn SqlDialect,
    tables: &Tables,
    steps: &[PreparedStep],
    create_table: bool,
    options: &RunOptions,
) -> String {
    let mut out = Script::default();
    let transactions = sql.offline_transactions();
    let per_step = options.transaction_per_migration;
    if transactions {
        out.block("BEGIN;");
    }
    if create_table {
        out.statement(sql, &create_version_table(sql, &tables.version));
    }
    for (i, step) in steps.iter().enumerate() {
        if transactions && per_step && i > 0 {
            out.block("BEGIN;");
        }
        out.block(&format!("-- Running {}", step.short_log));
        let autocommit = transactions && !step.transactional;
        if autocommit {
            out.block("COMMIT;");
        }
        for statement in &step.statements {
            out.statement(sql, &statement.sql);
        }
        if autocommit {
            out.block("BEGIN;");
        }
        for (_, text) in &step.version_changes {
            out.statement(sql, text);
        }
        if transactions && per_step && i + 1 < steps.len() {
            out.block("COMMIT;");
        }
    }
    if transactions {
        out.block("COMMIT;");
    }
    out.0
}

#[derive(Default)]
struct Script(String);

impl Script {
    /// A block as written, then a blank line.
    fn block(&mut self, text: &str) {
        self.0.push_str(text);
        self.0.push_str("\n\n");
    }

    /// A statement: tabs as four spaces, stripped, with what ends it for the
    /// database's client, then a blank line.
    fn statement(&mut self, sql: &dyn SqlDialect, text: &str) {
        let text = text.replace('\t', "    ");
        self.0.push_str(&sql.offline_statement(text.trim()));
        self.0.push_str("\n\n");
    }
}
