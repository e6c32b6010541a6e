//! SQLite DDL for schema changes. `ALTER TABLE` does little on SQLite (rename a
//! table or column, add a plain column, drop a column nothing uses): every other
//! change of a table is the rebuild recipe ([`rebuild`]), which the plan asks for
//! per table. Tables are written from their values (constraint names, checks,
//! `AUTOINCREMENT`, `WITHOUT ROWID`, `STRICT` included), so a created table
//! describes equal to the one it came from; indexes, triggers and views are
//! written as SQLite stored them.
//!
//! Migrations run with foreign keys off (as in the `sqlite3` client), so a
//! rebuild's `DROP TABLE` fires no `ON DELETE` action on other tables; the keys
//! are checked after the rebuild and a violation fails the migration.

use aludel_schema::model::{
    Column, ForeignKey, Identity, Index, IndexKey, QualifiedName, ReferentialAction, Table,
};
use aludel_schema::plan::is_literal;
use aludel_schema::Change;

use super::{
    action, constraint_prefix, quoted_names, RenderContext, RenderedStatement, Unsupported,
};
use crate::dialect::sqlite::SqliteSql;
use crate::dialect::SqlDialect;

type Out = Vec<RenderedStatement>;

fn ident(name: &str) -> String {
    SqliteSql.quote_ident(name)
}

fn idents(names: &[String]) -> String {
    quoted_names(&SqliteSql, names)
}

fn unsupported(what: String) -> Unsupported {
    Unsupported {
        what,
        database: "SQLite",
    }
}

/// The statements that make `change`, where `ALTER TABLE` or a plain statement
/// can; a change that needs the rebuild recipe is [`Unsupported`] here (the plan
/// turns those into [`rebuild`]s).
pub fn render(change: &Change, _ctx: RenderContext<'_>) -> Result<Out, Unsupported> {
    let one = |sql: String| Ok(vec![RenderedStatement::new(sql)]);
    match change {
        Change::CreateTable(t) => Ok(create_table(t, &t.name.name)),
        Change::DropTable(t) => Ok(vec![RenderedStatement::new(format!(
            "DROP TABLE {}",
            ident(&t.name.name)
        ))
        .dropping()]),
        Change::RenameTable { from, to } => one(format!(
            "ALTER TABLE {} RENAME TO {}",
            ident(&from.name),
            ident(&to.name)
        )),
        Change::AddColumn { table, column, .. } if can_add(column) => one(format!(
            "ALTER TABLE {} ADD COLUMN {}",
            ident(&table.name),
            column_definition(column, None)
        )),
        Change::DropColumn { table, column, .. } => Ok(vec![RenderedStatement::new(format!(
            "ALTER TABLE {} DROP COLUMN {}",
            ident(&table.name),
            ident(&column.name)
        ))
        .dropping()]),
        Change::RenameColumn { table, from, to } => one(format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            ident(&table.name),
            ident(from),
            ident(to)
        )),
        Change::CreateIndex { table, index } => one(create_index(table, index)),
        Change::DropIndex { index, .. } => one(format!("DROP INDEX {}", ident(&index.name))),
        Change::CreateTrigger { trigger, .. } => one(trigger.definition.clone()),
        Change::DropTrigger { trigger, .. } => {
            one(format!("DROP TRIGGER {}", ident(&trigger.name)))
        }
        Change::CreateView(v) => one(v.definition.clone()),
        Change::DropView(v) => one(format!("DROP VIEW {}", ident(&v.name.name))),
        other => Err(unsupported(format!(
            "{} without rebuilding the table",
            describe_change(other)
        ))),
    }
}

/// Whether `ALTER TABLE … ADD COLUMN` can add the column: SQLite refuses a
/// primary key, a unique column, a non-constant default, a stored generated
/// column, and NOT NULL without a default.
pub fn can_add(column: &Column) -> bool {
    column.default.as_deref().is_none_or(is_literal)
        && column.identity.is_none()
        && !column.generated.as_ref().is_some_and(|g| g.stored)
        && (column.nullable || column.default.is_some())
}

/// A default as a column definition takes it: SQLite reports an expression
/// default without the parentheses it needs (`DEFAULT (datetime('now'))` reads
/// `datetime('now')`), so all but literals and the `CURRENT_…` keywords are
/// written in parentheses again, which SQLite leaves out when it reports them.
fn default_clause(default: &str) -> String {
    let keyword = ["CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME"]
        .iter()
        .any(|k| default.trim().eq_ignore_ascii_case(k));
    if keyword || is_literal(default) {
        format!(" DEFAULT {default}")
    } else {
        format!(" DEFAULT ({default})")
    }
}

fn describe_change(change: &Change) -> String {
    match change {
        Change::AlterColumn { table, to, .. } => format!("a change of column {table}.{}", to.name),
        Change::AddColumn { table, column, .. } => {
            format!("adding column {table}.{}", column.name)
        }
        Change::AddPrimaryKey { table, .. } | Change::DropPrimaryKey { table, .. } => {
            format!("a change of the primary key of {table}")
        }
        Change::AddUnique { table, .. } | Change::DropUnique { table, .. } => {
            format!("a change of a unique constraint of {table}")
        }
        Change::AddForeignKey { table, .. } | Change::DropForeignKey { table, .. } => {
            format!("a change of a foreign key of {table}")
        }
        Change::AddCheck { table, .. } | Change::DropCheck { table, .. } => {
            format!("a change of a check constraint of {table}")
        }
        Change::RenameConstraint { table, from, .. } => {
            format!("renaming constraint {from} of {table}")
        }
        Change::AlterTable { to, .. } => format!("a change of the options of {}", to.name),
        Change::RenameIndex { from, .. } => format!("renaming index {from}"),
        other => other.to_string(),
    }
}

fn column_definition(c: &Column, inline_key: Option<&str>) -> String {
    let mut out = ident(&c.name);
    if !c.data_type.is_empty() {
        out.push(' ');
        out.push_str(&c.data_type);
    }
    if let Some(key) = inline_key {
        out.push_str(key);
    }
    if !c.nullable {
        out.push_str(" NOT NULL");
    }
    if let Some(collation) = &c.collation {
        out.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(default) = &c.default {
        out.push_str(&default_clause(default));
    }
    if let Some(generated) = &c.generated {
        out.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            generated.expression,
            if generated.stored {
                "STORED"
            } else {
                "VIRTUAL"
            }
        ));
    }
    out
}

fn constraint_name(name: Option<&str>) -> String {
    constraint_prefix(&SqliteSql, name)
}

fn foreign_key_clause(k: &ForeignKey) -> String {
    let mut out = format!(
        "{}FOREIGN KEY ({}) REFERENCES {}",
        constraint_name(k.name.as_deref()),
        idents(&k.columns),
        ident(&k.referenced_table.name)
    );
    if !k.referenced_columns.is_empty() {
        out.push_str(&format!(" ({})", idents(&k.referenced_columns)));
    }
    if k.on_update != ReferentialAction::NoAction {
        out.push_str(&format!(" ON UPDATE {}", action(k.on_update)));
    }
    if k.on_delete != ReferentialAction::NoAction {
        out.push_str(&format!(" ON DELETE {}", action(k.on_delete)));
    }
    if let Some(m) = &k.match_kind {
        out.push_str(&format!(" MATCH {m}"));
    }
    out
}

/// `CREATE TABLE` for `t` under the name `as_name`, then its indexes and
/// triggers.
fn create_table(t: &Table, as_name: &str) -> Out {
    let mut out = vec![RenderedStatement::new(create_table_statement(t, as_name))];
    out.extend(
        t.indexes
            .iter()
            .map(|i| RenderedStatement::new(create_index(&t.name, i))),
    );
    out.extend(
        t.triggers
            .iter()
            .map(|tr| RenderedStatement::new(tr.definition.clone())),
    );
    out
}

fn create_table_statement(t: &Table, as_name: &str) -> String {
    // AUTOINCREMENT is only written on the column, with its primary key.
    let inline = t.primary_key.as_ref().and_then(|pk| {
        let column = t.column(pk.columns.first()?)?;
        (pk.columns.len() == 1 && column.identity == Some(Identity::AutoIncrement))
            .then(|| (column.name.clone(), pk.name.clone()))
    });
    let mut parts: Vec<String> = t
        .columns
        .iter()
        .map(|c| match &inline {
            Some((name, key_name)) if name == &c.name => {
                let key = format!(
                    " {}PRIMARY KEY AUTOINCREMENT",
                    constraint_name(key_name.as_deref())
                );
                column_definition(c, Some(key.trim_end()))
            }
            _ => column_definition(c, None),
        })
        .collect();
    if let (Some(pk), None) = (&t.primary_key, &inline) {
        parts.push(format!(
            "{}PRIMARY KEY ({})",
            constraint_name(pk.name.as_deref()),
            idents(&pk.columns)
        ));
    }
    parts.extend(t.uniques.iter().map(|u| {
        format!(
            "{}UNIQUE ({})",
            constraint_name(u.name.as_deref()),
            idents(&u.columns)
        )
    }));
    parts.extend(t.checks.iter().map(|c| {
        format!(
            "{}CHECK ({})",
            constraint_name(c.name.as_deref()),
            c.expression
        )
    }));
    parts.extend(t.foreign_keys.iter().map(foreign_key_clause));
    let mut options = Vec::new();
    if t.option("without_rowid").is_some() {
        options.push("WITHOUT ROWID");
    }
    if t.option("strict").is_some() {
        options.push("STRICT");
    }
    let mut sql = format!(
        "CREATE TABLE {} (\n    {}\n)",
        ident(as_name),
        parts.join(",\n    ")
    );
    if !options.is_empty() {
        sql.push(' ');
        sql.push_str(&options.join(", "));
    }
    sql
}

/// SQLite's stored text where the index was read from one; composed otherwise.
fn create_index(table: &QualifiedName, index: &Index) -> String {
    if let Some(definition) = &index.definition {
        return definition.clone();
    }
    let parts: Vec<String> = index
        .parts
        .iter()
        .map(|p| {
            let mut s = match &p.key {
                IndexKey::Column(c) => ident(c),
                IndexKey::Expression(e) => e.clone(),
            };
            if let Some(collation) = &p.collation {
                s.push_str(&format!(" COLLATE {collation}"));
            }
            if p.descending {
                s.push_str(" DESC");
            }
            s
        })
        .collect();
    let mut sql = format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        ident(&index.name),
        ident(&table.name),
        parts.join(", ")
    );
    if let Some(predicate) = &index.predicate {
        sql.push_str(&format!(" WHERE {predicate}"));
    }
    sql
}

/// The name a table is built under during its rebuild.
fn rebuild_name(table: &str) -> String {
    format!("aludel_rebuild_{table}")
}

/// The table-rebuild recipe: the table `to` is created under a scratch name, the
/// rows of `from` copied into it (columns matched by name, or by `renamed`
/// pairs `(old, new)`; columns new to the table take their defaults), the old
/// table dropped, the new one renamed into place, its indexes and triggers
/// created. Views that read the table are the plan's to drop before and
/// re-create after; the foreign keys are checked after every rebuild
/// ([`foreign_key_check`]).
pub fn rebuild(from: &Table, to: &Table, renamed: &[(String, String)]) -> Out {
    let scratch = rebuild_name(&to.name.name);
    let mut out = vec![RenderedStatement::new(create_table_statement(to, &scratch))];
    let copied: Vec<(String, String)> = to
        .columns
        .iter()
        .filter(|c| c.generated.is_none())
        .filter_map(|c| {
            let old = renamed
                .iter()
                .find(|(_, new)| new == &c.name)
                .map(|(old, _)| old.clone())
                .unwrap_or_else(|| c.name.clone());
            from.column(&old)
                .filter(|o| o.generated.is_none())
                .map(|_| (old, c.name.clone()))
        })
        .collect();
    let loses_columns = from
        .columns
        .iter()
        .any(|c| c.generated.is_none() && !copied.iter().any(|(old, _)| old == &c.name));
    if !copied.is_empty() {
        let targets: Vec<String> = copied.iter().map(|(_, new)| new.clone()).collect();
        let sources: Vec<String> = copied.iter().map(|(old, _)| old.clone()).collect();
        out.push(RenderedStatement::new(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            ident(&scratch),
            idents(&targets),
            idents(&sources),
            ident(&from.name.name)
        )));
    }
    if to
        .columns
        .iter()
        .any(|c| c.identity == Some(Identity::AutoIncrement))
    {
        out.extend(keep_autoincrement_counter(&from.name.name, &scratch));
    }
    let mut drop = RenderedStatement::new(format!("DROP TABLE {}", ident(&from.name.name)));
    drop.drops_data = loses_columns;
    out.push(drop);
    out.push(RenderedStatement::new(format!(
        "ALTER TABLE {} RENAME TO {}",
        ident(&scratch),
        ident(&to.name.name)
    )));
    out.extend(
        to.indexes
            .iter()
            .map(|i| RenderedStatement::new(create_index(&to.name, i))),
    );
    out.extend(
        to.triggers
            .iter()
            .map(|tr| RenderedStatement::new(tr.definition.clone())),
    );
    out
}

/// An `AUTOINCREMENT` table never hands out an id twice, because
/// `sqlite_sequence` remembers the highest id it gave: the rebuilt table keeps
/// the old table's counter where that is higher than what the rows copied left
/// (rows were deleted), and the rename carries it over to the table's name.
fn keep_autoincrement_counter(table: &str, scratch: &str) -> Out {
    let (table, scratch) = (
        SqliteSql.string_literal(table),
        SqliteSql.string_literal(scratch),
    );
    let old = format!("(SELECT max(seq) FROM sqlite_sequence WHERE name = {table})");
    vec![
        RenderedStatement::new(format!(
            "UPDATE sqlite_sequence SET seq = {old} WHERE name = {scratch} AND seq < {old}"
        )),
        RenderedStatement::new(format!(
            "INSERT INTO sqlite_sequence (name, seq) SELECT {scratch}, seq FROM sqlite_sequence \
             WHERE name = {table} AND NOT EXISTS \
             (SELECT 1 FROM sqlite_sequence WHERE name = {scratch})"
        )),
    ]
}

/// Fails the migration when rows break a foreign key of a table in `tables`
/// or a foreign key of another table that references one of them (a rebuild
/// may have changed the key they reference: its type, its collation). Runs
/// once after all the rebuilds of a migration, when every table has its new
/// keys (checked between two rebuilds, a key could reference one that is not
/// there yet). `pragma_foreign_key_check` only lists the rows, so their count
/// goes through a CHECK constraint of a temporary table.
pub fn foreign_key_check(tables: &[&str]) -> Out {
    if tables.is_empty() {
        return Vec::new();
    }
    let check = ident("aludel_foreign_key_check");
    let names = tables
        .iter()
        .map(|t| SqliteSql.string_literal(t))
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        RenderedStatement::new(format!(
            "CREATE TEMP TABLE {check} (violations INTEGER CHECK (violations = 0))"
        )),
        RenderedStatement::new(format!(
            "INSERT INTO {check} SELECT count(*) FROM sqlite_schema m, \
             pragma_foreign_key_check(m.name) v WHERE m.type = 'table' \
             AND (m.name IN ({names}) OR m.name IN (SELECT c.name FROM sqlite_schema c, \
             pragma_foreign_key_list(c.name) k WHERE c.type = 'table' \
             AND k.\"table\" COLLATE NOCASE IN ({names}))) \
             AND (m.name IN ({names}) OR v.parent COLLATE NOCASE IN ({names}))"
        )),
        RenderedStatement::new(format!("DROP TABLE {check}")),
    ]
}
