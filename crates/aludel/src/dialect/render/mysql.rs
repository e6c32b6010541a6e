//! MySQL/MariaDB DDL for each schema change. Types, defaults, expressions and
//! definitions are written back as the server printed them on the side they come
//! from (the desired schema for what is created, the current one for what the
//! downgrade re-creates), so a created object describes equal to the one it was
//! read from. DDL commits by itself here, so every rendered statement is one
//! statement that either happens or not (several clauses of one `ALTER TABLE` where
//! they belong together).
//!
//! - A column change is `MODIFY` (a rename `CHANGE`) restating the whole column as
//!   the target schema has it: type, character set and collation, NOT NULL,
//!   default, `ON UPDATE`, `AUTO_INCREMENT`, generation, comment. Rewriting an
//!   `ENUM`/`SET` value list this way keeps each row's label, wherever new values
//!   are inserted.
//! - A check named after a column of its table is that column's own check (MariaDB
//!   names a column-level `CHECK`, and `JSON`'s `json_valid`, after the column). A
//!   `MODIFY` without it would drop it and `DROP CONSTRAINT` cannot, so it is
//!   written with its column: inline in `CREATE TABLE` and `ADD COLUMN`, restated by
//!   every `MODIFY`/`CHANGE` of the column, and added, dropped or renamed by a
//!   `MODIFY` that restates the column as the target schema has it (so these
//!   statements give the same result in any order). A table-level check that a
//!   user named after a column is taken for the column's own (a known limit).
//! - Foreign keys: a foreign key blocks a type change of its columns on either
//!   side ("Cannot change column … used in a foreign key constraint"). The renderer
//!   writes the `MODIFY` alone; the plan must drop such keys before the change and
//!   add them again (under their own names) after it. Likewise the index a foreign
//!   key needs is created before the key and dropped after it. A renamed foreign
//!   key (MariaDB has no `RENAME CONSTRAINT`) is dropped and added again in one
//!   statement, from its definition in the schemas of the [`RenderContext`].
//!   `RENAME TABLE` renames the `<table>_ibfk_<n>` keys by itself: the plan gives
//!   those renames as [`Change::RenameConstraint`]s right after the table's
//!   (the only constraint renames it leaves to this database), which write
//!   nothing. Every index is
//!   written out, the one a key needs too; an index InnoDB made by itself for a key
//!   (in a database loaded by hand) is replaced by MariaDB when a key on the same
//!   columns is added, and named after that key: so a key is added together with
//!   `RENAME INDEX i TO i` for each index it can use, which makes them ordinary
//!   indexes that keep their names.
//! - A change of the table's default character set or collation restates, in the
//!   same statement, every text column that takes the table's (they would keep the
//!   old one otherwise).

use aludel_schema::model::{
    Check, Column, ForeignKey, Identity, Index, IndexKey, QualifiedName, Schema, Table, Unique,
    View,
};
use aludel_schema::Change;

use super::{
    action, constraint_prefix, quoted_names, RenderContext, RenderedStatement, Unsupported,
};
use crate::dialect::mysql::MySqlSql;
use crate::dialect::SqlDialect;

type Out = Vec<RenderedStatement>;

const DATABASE: &str = "MySQL/MariaDB";

fn ident(name: &str) -> String {
    MySqlSql.quote_ident(name)
}

fn name(name: &QualifiedName) -> String {
    match &name.schema {
        Some(schema) => format!("{}.{}", ident(schema), ident(&name.name)),
        None => ident(&name.name),
    }
}

fn literal(text: &str) -> String {
    MySqlSql.string_literal(text)
}

fn idents(names: &[String]) -> String {
    quoted_names(&MySqlSql, names)
}

fn unsupported(what: String) -> Unsupported {
    Unsupported {
        what,
        database: DATABASE,
    }
}

/// One `ALTER TABLE table clauses…` statement.
fn alter(table: &QualifiedName, clauses: &[String]) -> RenderedStatement {
    RenderedStatement::new(format!(
        "ALTER TABLE {} {}",
        name(table),
        clauses.join(", ")
    ))
}

/// The statements that make `change`.
pub fn render(change: &Change, ctx: RenderContext<'_>) -> Result<Out, Unsupported> {
    let one = |statement: RenderedStatement| Ok(vec![statement]);
    match change {
        Change::CreateNamespace(n) | Change::DropNamespace(n) => Err(unsupported(format!(
            "schema {n} (PostgreSQL only: a MySQL/MariaDB schema is a database)"
        ))),
        Change::CreateEnum(e) | Change::DropEnum(e) | Change::AlterEnum { to: e, .. } => {
            Err(unsupported(format!(
                "enum type {} (PostgreSQL only: MySQL/MariaDB writes ENUM in the column)",
                e.name
            )))
        }
        Change::CreateSequence(s)
        | Change::DropSequence(s)
        | Change::AlterSequence { to: s, .. } => Err(unsupported(format!(
            "sequence {} (PostgreSQL only: MySQL/MariaDB uses AUTO_INCREMENT)",
            s.name
        ))),
        Change::AddExclusion { table, exclusion } | Change::DropExclusion { table, exclusion } => {
            Err(unsupported(format!(
                "exclusion constraint {} of {table} (PostgreSQL only)",
                exclusion.name
            )))
        }
        Change::CreateTable(t) => create_table(t),
        Change::DropTable(t) => {
            one(RenderedStatement::new(format!("DROP TABLE {}", name(&t.name))).dropping())
        }
        Change::RenameTable { from, to } => one(RenderedStatement::new(format!(
            "RENAME TABLE {} TO {}",
            name(from),
            name(to)
        ))),
        Change::AlterTable { from, to } => alter_table(from, to),
        Change::AddColumn {
            table,
            column,
            after,
        } => {
            let place = match after {
                Some(prev) => format!(" AFTER {}", ident(prev)),
                None => " FIRST".to_string(),
            };
            let check = column_check(ctx.to.table(table), &column.name);
            one(alter(
                table,
                &[format!(
                    "ADD COLUMN {}{place}",
                    column_definition(column, check)
                )],
            ))
        }
        Change::DropColumn { table, column, .. } => {
            one(alter(table, &[format!("DROP COLUMN {}", ident(&column.name))]).dropping())
        }
        Change::AlterColumn { table, from, to } => {
            let check = column_check(ctx.to.table(table), &to.name);
            let statement = alter(
                table,
                &[format!("MODIFY COLUMN {}", column_definition(to, check))],
            );
            // Another character set may not hold every character.
            let charset = |schema: &Schema, c: &Column| {
                c.charset.clone().or_else(|| {
                    let table = schema.table(table)?;
                    table.option("charset").map(str::to_string)
                })
            };
            let lossy = loses_values(&from.data_type, &to.data_type)
                || (is_text(&to.data_type) && charset(ctx.from, from) != charset(ctx.to, to));
            one(if lossy {
                statement.dropping()
            } else {
                statement
            })
        }
        Change::RenameColumn { table, from, to } => {
            let (column, check) = target_column(table, from, to, ctx)?;
            one(alter(
                table,
                &[format!(
                    "CHANGE COLUMN {} {}",
                    ident(from),
                    column_definition(&column, check)
                )],
            ))
        }
        Change::AddPrimaryKey { table, key } => one(alter(
            table,
            &[format!("ADD PRIMARY KEY ({})", idents(&key.columns))],
        )),
        Change::DropPrimaryKey { table, .. } => {
            one(alter(table, &["DROP PRIMARY KEY".to_string()]))
        }
        Change::AddUnique { table, unique } => {
            one(alter(table, &[format!("ADD {}", unique_clause(unique))]))
        }
        Change::DropUnique { table, unique } => {
            let index = required_name(unique.name.as_deref(), "unique key", table)?;
            one(alter(table, &[format!("DROP INDEX {}", ident(index))]))
        }
        Change::AddForeignKey { table, key } => {
            let mut clauses = keep_index_names(ctx.to.table(table), key);
            clauses.push(format!("ADD {}", foreign_key_clause(key)));
            one(alter(table, &clauses))
        }
        Change::DropForeignKey { table, key } => {
            let key = required_name(key.name.as_deref(), "foreign key", table)?;
            one(alter(table, &[format!("DROP FOREIGN KEY {}", ident(key))]))
        }
        Change::AddCheck { table, check } => one(alter(table, &[add_check(table, check, ctx)])),
        Change::DropCheck { table, check } => {
            let name = required_name(check.name.as_deref(), "check constraint", table)?;
            Ok(drop_check(table, name, ctx)
                .map(|clause| alter(table, &[clause]))
                .into_iter()
                .collect())
        }
        Change::RenameConstraint { table, from, to } => rename_constraint(table, from, to, ctx),
        Change::CreateIndex { table, index } => {
            one(alter(table, &[format!("ADD {}", index_clause(index))]))
        }
        Change::DropIndex { table, index } => one(alter(
            table,
            &[format!("DROP INDEX {}", ident(&index.name))],
        )),
        Change::RenameIndex { table, from, to } => one(alter(
            table,
            &[format!("RENAME INDEX {} TO {}", ident(from), ident(to))],
        )),
        Change::CreateTrigger { trigger, .. } => {
            one(RenderedStatement::new(trigger.definition.clone()))
        }
        Change::DropTrigger { table, trigger } => one(RenderedStatement::new(format!(
            "DROP TRIGGER {}",
            name(&QualifiedName {
                schema: table.schema.clone(),
                name: trigger.name.clone(),
            })
        ))),
        Change::CreateView(v) => Ok(vec![create_view(v)?]),
        Change::DropView(v) => one(RenderedStatement::new(format!(
            "DROP VIEW {}",
            name(&v.name)
        ))),
    }
}

/// `RENAME INDEX i TO i` for each index of `table` that leads with `key`'s
/// columns: an index InnoDB made for a key is replaced (and renamed after the
/// key) when a key is added on its columns; renamed to itself, it is an
/// ordinary index and stays as it is.
fn keep_index_names(table: Option<&Table>, key: &ForeignKey) -> Vec<String> {
    let leads = |index: &Index| {
        index.parts.len() >= key.columns.len()
            && index
                .parts
                .iter()
                .zip(&key.columns)
                .all(|(p, c)| p.key == IndexKey::Column(c.clone()))
    };
    table
        .map(|t| t.indexes.iter().filter(|i| leads(i)).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|i| format!("RENAME INDEX {} TO {}", ident(&i.name), ident(&i.name)))
        .collect()
}

fn required_name<'a>(
    name: Option<&'a str>,
    what: &str,
    table: &QualifiedName,
) -> Result<&'a str, Unsupported> {
    name.ok_or_else(|| unsupported(format!("dropping an unnamed {what} of {table}")))
}

/// The check of `table` that is `column`'s own (named after it), if any.
fn column_check<'a>(table: Option<&'a Table>, column: &str) -> Option<&'a Check> {
    table?
        .checks
        .iter()
        .find(|c| c.name.as_deref() == Some(column))
}

/// The column a rename gives, as the target schema has it (with its own check),
/// or as the current one had it, renamed.
fn target_column<'a>(
    table: &QualifiedName,
    from: &str,
    to: &str,
    ctx: RenderContext<'a>,
) -> Result<(Column, Option<&'a Check>), Unsupported> {
    let target = ctx.to.table(table);
    if let Some(column) = target.and_then(|t| t.column(to)) {
        return Ok((column.clone(), column_check(target, to)));
    }
    let source = ctx.from.table(table);
    match source.and_then(|t| t.column(from)) {
        Some(column) => Ok((
            Column {
                name: to.to_string(),
                ..column.clone()
            },
            None,
        )),
        None => Err(unsupported(format!(
            "renaming column {table}.{from} to {to} (the column is in neither schema)"
        ))),
    }
}

/// A column as `CREATE TABLE`, `ADD`, `MODIFY` and `CHANGE` write it, with its
/// own check.
fn column_definition(c: &Column, check: Option<&Check>) -> String {
    let mut out = format!("{} {}", ident(&c.name), c.data_type);
    if let Some(charset) = &c.charset {
        out.push_str(&format!(" CHARACTER SET {}", ident(charset)));
    }
    if let Some(collation) = &c.collation {
        out.push_str(&format!(" COLLATE {}", ident(collation)));
    }
    if let Some(generated) = &c.generated {
        // A generated column takes neither NULL nor NOT NULL.
        out.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            generated.expression,
            if generated.stored {
                "STORED"
            } else {
                "VIRTUAL"
            }
        ));
    } else {
        out.push_str(if c.nullable { " NULL" } else { " NOT NULL" });
        if let Some(default) = &c.default {
            out.push_str(&format!(" DEFAULT {}", default_expression(default)));
        }
        if let Some(on_update) = &c.on_update {
            out.push_str(&format!(" ON UPDATE {on_update}"));
        }
        if c.identity == Some(Identity::AutoIncrement) {
            out.push_str(" AUTO_INCREMENT");
        }
    }
    if let Some(comment) = &c.comment {
        out.push_str(&format!(" COMMENT {}", literal(comment)));
    }
    if let Some(check) = check {
        out.push_str(&format!(" CHECK ({})", check.expression));
    }
    out
}

/// A default as the server printed it: a string or number as it is, anything
/// else (`b'101'`, `current_timestamp()`, `concat(…)`, `(1 + 2)`) in parentheses,
/// which the server accepts for every expression and takes off when it prints it.
fn default_expression(default: &str) -> String {
    let digits = default.strip_prefix('-').unwrap_or(default);
    let number = digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    if default.starts_with('\'') || number {
        default.to_string()
    } else {
        format!("({default})")
    }
}

/// Whether changing a column's type from `from` to `to` can lose values: anything
/// but the same type, an `ENUM`/`SET` gaining values, a longer string type, or a
/// wider integer of the same signedness.
fn loses_values(from: &str, to: &str) -> bool {
    let (from, to) = (from.to_ascii_lowercase(), to.to_ascii_lowercase());
    if from == to {
        return false;
    }
    let split = |t: &str| -> (String, String, String) {
        let (base, rest) = t.split_once('(').unwrap_or((t, ""));
        let (args, suffix) = rest.rsplit_once(')').unwrap_or(("", rest));
        (
            base.trim().to_string(),
            args.to_string(),
            suffix.trim().to_string(),
        )
    };
    let ((from_base, from_args, from_suffix), (to_base, to_args, to_suffix)) =
        (split(&from), split(&to));
    if from_suffix != to_suffix {
        return true;
    }
    const INTEGERS: [&str; 5] = ["tinyint", "smallint", "mediumint", "int", "bigint"];
    let rank = |base: &str| INTEGERS.iter().position(|i| *i == base);
    match (from_base.as_str(), to_base.as_str()) {
        ("enum", "enum") | ("set", "set") => {
            let kept = quoted_values(&to_args);
            !quoted_values(&from_args).iter().all(|v| kept.contains(v))
        }
        (a, b) if a == b && ["varchar", "char", "varbinary", "binary"].contains(&a) => {
            let length = |args: &str| args.trim().parse::<u64>().ok();
            !matches!((length(&from_args), length(&to_args)), (Some(x), Some(y)) if y >= x)
        }
        (a, b) => !matches!((rank(a), rank(b)), (Some(x), Some(y)) if y >= x),
    }
}

/// The values of an `ENUM`/`SET` type's list (`'a','it''s'`), unquoted.
fn quoted_values(list: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut chars = list.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut value = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    value.push('\'');
                }
                '\'' => break,
                '\\' => value.extend(chars.next()),
                c => value.push(c),
            }
        }
        values.push(value);
    }
    values
}

fn constraint_name(name: Option<&str>) -> String {
    constraint_prefix(&MySqlSql, name)
}

/// Both actions are written: an action left unsaid is `RESTRICT` on MariaDB, and
/// `NO ACTION` is kept as written.
fn foreign_key_clause(k: &ForeignKey) -> String {
    format!(
        "{}FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE {} ON UPDATE {}",
        constraint_name(k.name.as_deref()),
        idents(&k.columns),
        name(&k.referenced_table),
        idents(&k.referenced_columns),
        action(k.on_delete),
        action(k.on_update)
    )
}

fn check_clause(c: &Check) -> String {
    format!(
        "{}CHECK ({})",
        constraint_name(c.name.as_deref()),
        c.expression
    )
}

fn unique_clause(u: &Unique) -> String {
    let name = u
        .name
        .as_deref()
        .map(|n| format!("{} ", ident(n)))
        .unwrap_or_default();
    format!("UNIQUE KEY {name}({})", idents(&u.columns))
}

/// `[UNIQUE | FULLTEXT | SPATIAL] KEY name (parts) [USING method]`, as `CREATE
/// TABLE` and `ALTER TABLE … ADD` write it.
fn index_clause(index: &Index) -> String {
    let method = index.method.as_deref();
    let kind = match method {
        Some(m) if m.eq_ignore_ascii_case("FULLTEXT") => "FULLTEXT KEY",
        Some(m) if m.eq_ignore_ascii_case("SPATIAL") => "SPATIAL KEY",
        _ if index.unique => "UNIQUE KEY",
        _ => "KEY",
    };
    let using = match method {
        Some(m) if !m.eq_ignore_ascii_case("FULLTEXT") && !m.eq_ignore_ascii_case("SPATIAL") => {
            format!(" USING {m}")
        }
        _ => String::new(),
    };
    let parts: Vec<String> = index
        .parts
        .iter()
        .map(|p| {
            let mut s = match &p.key {
                IndexKey::Column(c) => ident(c),
                IndexKey::Expression(e) => format!("({e})"),
            };
            if let Some(length) = p.prefix_length {
                s.push_str(&format!("({length})"));
            }
            if p.descending {
                s.push_str(" DESC");
            }
            s
        })
        .collect();
    format!(
        "{kind} {} ({}){using}",
        ident(&index.name),
        parts.join(", ")
    )
}

/// `ENGINE=…` and the like for a table option as the describer names it.
fn table_option(table: &QualifiedName, key: &str, value: &str) -> Result<String, Unsupported> {
    Ok(match key {
        "engine" => format!("ENGINE={value}"),
        "charset" => format!("DEFAULT CHARSET={value}"),
        "collation" => format!("COLLATE={value}"),
        "row_format" => format!("ROW_FORMAT={value}"),
        other => {
            return Err(unsupported(format!(
                "the table option {other}={value} of {table}"
            )))
        }
    })
}

/// A table's options in the order `SHOW CREATE TABLE` writes them: the engine,
/// the character set and collation, then the rest.
fn ordered_options(t: &Table) -> impl Iterator<Item = (&str, &str)> {
    const FIRST: [&str; 3] = ["engine", "charset", "collation"];
    let rank = |k: &str| FIRST.iter().position(|f| *f == k).unwrap_or(FIRST.len());
    let mut options: Vec<(&str, &str)> = t
        .options
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    options.sort_by_key(|(k, _)| rank(k));
    options.into_iter()
}

fn create_table(t: &Table) -> Result<Out, Unsupported> {
    let mut parts: Vec<String> = t
        .columns
        .iter()
        .map(|c| column_definition(c, column_check(Some(t), &c.name)))
        .collect();
    if let Some(pk) = &t.primary_key {
        parts.push(format!("PRIMARY KEY ({})", idents(&pk.columns)));
    }
    parts.extend(t.uniques.iter().map(unique_clause));
    parts.extend(t.indexes.iter().map(index_clause));
    parts.extend(t.foreign_keys.iter().map(foreign_key_clause));
    parts.extend(
        t.checks
            .iter()
            .filter(|c| c.name.as_deref().is_none_or(|n| t.column(n).is_none()))
            .map(check_clause),
    );
    let mut options = ordered_options(t)
        .map(|(k, v)| table_option(&t.name, k, v))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(comment) = &t.comment {
        options.push(format!("COMMENT={}", literal(comment)));
    }
    let mut sql = format!(
        "CREATE TABLE {} (\n    {}\n)",
        name(&t.name),
        parts.join(",\n    ")
    );
    if !options.is_empty() {
        sql.push(' ');
        sql.push_str(&options.join(" "));
    }
    let mut out = vec![RenderedStatement::new(sql)];
    out.extend(
        t.triggers
            .iter()
            .map(|tr| RenderedStatement::new(tr.definition.clone())),
    );
    Ok(out)
}

/// Whether a column type holds text in a character set.
fn is_text(data_type: &str) -> bool {
    let base = data_type
        .split(['(', ' '])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    matches!(
        base.as_str(),
        "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" | "enum" | "set"
    )
}

/// Options and comment changed in one statement; a new default character set or
/// collation restates the text columns that take the table's.
fn alter_table(from: &Table, to: &Table) -> Result<Out, Unsupported> {
    let mut clauses = Vec::new();
    for (key, value) in ordered_options(to) {
        if from.option(key) != Some(value) {
            clauses.push(table_option(&to.name, key, value)?);
        }
    }
    for (key, _) in &from.options {
        if to.option(key).is_none() {
            match key.as_str() {
                "row_format" => clauses.push("ROW_FORMAT=DEFAULT".to_string()),
                other => {
                    return Err(unsupported(format!(
                        "removing the table option {other} of {}",
                        to.name
                    )))
                }
            }
        }
    }
    if from.comment != to.comment {
        clauses.push(format!(
            "COMMENT={}",
            literal(to.comment.as_deref().unwrap_or(""))
        ));
    }
    let text_defaults = ["charset", "collation"];
    if text_defaults.iter().any(|k| from.option(k) != to.option(k)) {
        for column in &to.columns {
            if column.collation.is_none()
                && is_text(&column.data_type)
                && from.column(&column.name).is_some()
            {
                clauses.push(format!(
                    "MODIFY COLUMN {}",
                    column_definition(column, column_check(Some(to), &column.name))
                ));
            }
        }
    }
    if clauses.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![alter(&to.name, &clauses)])
}

/// `MODIFY` restating `column` as the target schema has it, with its own check
/// there (or without one).
fn restate(table: &QualifiedName, column: &str, ctx: RenderContext<'_>) -> Option<String> {
    let target = ctx.to.table(table)?;
    let column = target.column(column)?;
    Some(format!(
        "MODIFY COLUMN {}",
        column_definition(column, column_check(Some(target), &column.name))
    ))
}

/// The clause that adds `check`: a column's own check comes with its column.
fn add_check(table: &QualifiedName, check: &Check, ctx: RenderContext<'_>) -> String {
    check
        .name
        .as_deref()
        .and_then(|column| {
            let target = ctx.to.table(table)?;
            let c = target.column(column)?;
            Some(format!(
                "MODIFY COLUMN {}",
                column_definition(c, Some(check))
            ))
        })
        .unwrap_or_else(|| format!("ADD {}", check_clause(check)))
}

/// The clause that drops the check `name`, if one is needed: a column's own check
/// goes by restating its column (or with its column, dropped or renamed).
fn drop_check(table: &QualifiedName, name: &str, ctx: RenderContext<'_>) -> Option<String> {
    let source = ctx.from.table(table).or_else(|| ctx.to.table(table));
    if source.is_some_and(|t| t.column(name).is_some()) {
        return restate(table, name, ctx);
    }
    // The own check of a column renamed since (named after the column it
    // reads, which is gone) went with the `CHANGE` that renamed it, which
    // restates the column with the target's check. The server prints every
    // column of an expression in backquotes.
    let column = format!("`{}`", name.replace('`', "``"));
    let own_of_renamed = |t: &Table| {
        t.column(name).is_none()
            && t.checks
                .iter()
                .any(|c| c.name.as_deref() == Some(name) && c.expression.contains(&column))
    };
    if ctx.from.table(table).is_some_and(own_of_renamed) {
        return None;
    }
    Some(format!("DROP CONSTRAINT {}", ident(name)))
}

/// A constraint under its new name, as a rename re-creates it.
enum Renamed {
    /// A unique key, which is an index.
    Index,
    ForeignKey(ForeignKey),
    Check(Check),
}

/// The constraint `named` of `table` in `schema`, under the name `new_name`.
fn renamed(schema: &Schema, table: &QualifiedName, named: &str, new_name: &str) -> Option<Renamed> {
    let t = schema.table(table)?;
    let is = |n: &Option<String>| n.as_deref() == Some(named);
    let new_name = Some(new_name.to_string());
    if t.uniques.iter().any(|u| is(&u.name)) {
        return Some(Renamed::Index);
    }
    if let Some(k) = t.foreign_keys.iter().find(|k| is(&k.name)) {
        return Some(Renamed::ForeignKey(ForeignKey {
            name: new_name,
            ..k.clone()
        }));
    }
    t.checks.iter().find(|c| is(&c.name)).map(|c| {
        Renamed::Check(Check {
            name: new_name,
            ..c.clone()
        })
    })
}

/// MariaDB has no `RENAME CONSTRAINT`: a unique key is an index and is renamed as
/// one; a foreign key or check is dropped and added under the new name, in one
/// statement, from its definition in the target schema (or the current one). A
/// primary key is always `PRIMARY`.
fn rename_constraint(
    table: &QualifiedName,
    from: &str,
    to: &str,
    ctx: RenderContext<'_>,
) -> Result<Out, Unsupported> {
    if renamed_with_its_table(table, from, to) {
        return Ok(Vec::new());
    }
    let found = renamed(ctx.to, table, to, to).or_else(|| renamed(ctx.from, table, from, to));
    let clauses = match found {
        Some(Renamed::Index) => vec![format!("RENAME INDEX {} TO {}", ident(from), ident(to))],
        Some(Renamed::ForeignKey(key)) => vec![
            format!("DROP FOREIGN KEY {}", ident(from)),
            format!("ADD {}", foreign_key_clause(&key)),
        ],
        Some(Renamed::Check(check)) => drop_check(table, from, ctx)
            .into_iter()
            .chain([add_check(table, &check, ctx)])
            .collect(),
        None => {
            return Err(unsupported(format!(
                "renaming constraint {from} of {table} to {to} (no unique key, foreign key \
                 or check of that name in either schema)"
            )))
        }
    };
    Ok(vec![alter(table, &clauses)])
}

/// Whether renaming `from` to `to` in `table` is what `RENAME TABLE` did to an
/// InnoDB key named after the table: `<old>_ibfk_<n>` to `<table>_ibfk_<n>`.
fn renamed_with_its_table(table: &QualifiedName, from: &str, to: &str) -> bool {
    let number = |name: &str| {
        let (_, n) = name.rsplit_once("_ibfk_")?;
        n.parse::<u32>().ok().map(|_| n.to_string())
    };
    let generated = format!("{}_ibfk_", table.name);
    to.starts_with(&generated)
        && !from.starts_with(&generated)
        && number(to).is_some()
        && number(from) == number(to)
}

/// `CREATE [ALGORITHM=…] [SQL SECURITY …] VIEW name AS … [WITH … CHECK OPTION]`.
fn create_view(v: &View) -> Result<RenderedStatement, Unsupported> {
    if v.comment.is_some() {
        return Err(unsupported(format!(
            "a comment on view {} (MySQL/MariaDB views have none)",
            v.name
        )));
    }
    let (tail, head): (Vec<&String>, Vec<&String>) =
        v.options.iter().partition(|o| o.starts_with("WITH "));
    let mut sql = String::from("CREATE ");
    for option in head {
        sql.push_str(option);
        sql.push(' ');
    }
    sql.push_str(&format!(
        "VIEW {} AS {}",
        name(&v.name),
        v.definition.trim_end_matches(';')
    ));
    for option in tail {
        sql.push(' ');
        sql.push_str(option);
    }
    Ok(RenderedStatement::new(sql))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_changes_that_keep_every_value_are_not_marked() {
        for (from, to) in [
            ("int(11)", "bigint(20)"),
            ("int(10) unsigned", "bigint(20) unsigned"),
            ("varchar(20)", "varchar(200)"),
            ("enum('a','c')", "enum('a','b','c')"),
            ("enum('a,b','c')", "enum('a,b','x','c')"),
            ("set('x')", "set('x','y')"),
        ] {
            assert!(!loses_values(from, to), "{from} -> {to}");
        }
        for (from, to) in [
            ("bigint(20)", "int(11)"),
            ("int(11)", "int(10) unsigned"),
            ("varchar(200)", "varchar(20)"),
            ("enum('a','b','c')", "enum('a','c')"),
            ("enum('a,b','c')", "enum('a','b','c')"),
            ("int(11)", "varchar(20)"),
            ("text", "varchar(20)"),
        ] {
            assert!(loses_values(from, to), "{from} -> {to}");
        }
    }

    #[test]
    fn only_the_keys_a_table_rename_renamed_are_left_alone() {
        let kid = QualifiedName::local("kid");
        assert!(renamed_with_its_table(&kid, "child_ibfk_1", "kid_ibfk_1"));
        assert!(!renamed_with_its_table(&kid, "child_ibfk_1", "kid_ibfk_2"));
        assert!(!renamed_with_its_table(&kid, "kid_ibfk_1", "kid_ibfk_2"));
        assert!(!renamed_with_its_table(&kid, "child_fk", "kid_ibfk_1"));
        assert!(!renamed_with_its_table(&kid, "child_ibfk_x", "kid_ibfk_x"));
    }

    #[test]
    fn the_own_check_of_a_renamed_column_went_with_its_change() {
        let table = QualifiedName::local("t");
        let with = |column: &str, checks: Vec<Check>| {
            let mut t = Table::new(table.clone());
            t.columns = vec![Column::new(column, "int(11)")];
            t.checks = checks;
            Schema {
                tables: vec![t],
                ..Schema::default()
            }
        };
        let check = |name: &str, expression: &str| Check {
            name: Some(name.into()),
            expression: expression.into(),
        };
        // The current schema with the rename done, its check still under the old name.
        let renamed = with("amount", vec![check("qty", "`qty` > 0")]);
        let desired = with("amount", vec![check("amount", "`amount` > 0")]);
        let ctx = RenderContext {
            from: &renamed,
            to: &desired,
        };
        assert_eq!(drop_check(&table, "qty", ctx), None);
        // A table-level check is dropped by name.
        let renamed = with("amount", vec![check("t_positive", "`amount` > 0")]);
        let ctx = RenderContext {
            from: &renamed,
            to: &desired,
        };
        assert_eq!(
            drop_check(&table, "t_positive", ctx).as_deref(),
            Some("DROP CONSTRAINT t_positive")
        );
    }

    #[test]
    fn defaults_other_than_strings_go_in_parentheses() {
        assert_eq!(default_expression("'it''s'"), "'it''s'");
        assert_eq!(default_expression("5"), "5");
        assert_eq!(default_expression("-1.5e3"), "-1.5e3");
        assert_eq!(default_expression("b'101'"), "(b'101')");
        assert_eq!(
            default_expression("current_timestamp()"),
            "(current_timestamp())"
        );
        assert_eq!(default_expression("(1 + 2)"), "((1 + 2))");
    }
}
