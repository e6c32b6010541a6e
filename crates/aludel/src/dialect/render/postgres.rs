//! PostgreSQL DDL for each schema change. Types, defaults, expressions and
//! definitions are written back exactly as the server printed them on the side
//! they come from (the desired schema for what is created, the current one for
//! what the downgrade re-creates), so a created object describes equal to the
//! one it was read from. Notable recipes:
//!
//! - a column type change drops the default first (its text carries the old
//!   type's cast), converts with `USING column::type`, then sets the new default;
//! - a `serial` column that becomes an identity keeps counting from its rows
//!   (`setval` after `ADD GENERATED`, which leaves the schema's `START` alone);
//! - enum values only added are `ALTER TYPE … ADD VALUE` (which must commit before
//!   use); removed or reordered values rebuild the type under its name, converting
//!   every column that uses it through `text`;
//! - a column that gets a generated expression, or another one, is dropped and
//!   added again (PostgreSQL 17's `SET EXPRESSION` is not used, to run on older
//!   servers), so it moves to the end of the table; one that loses its
//!   expression keeps its values (`DROP EXPRESSION`);
//! - printed expressions go through [`super::postgres_text`], which writes the
//!   one printed form the server does not print the same again (`IN` lists on
//!   `varchar`) as it was written.

use aludel_schema::model::{
    Column, Deferrable, EnumType, ForeignKey, Identity, Index, IndexKey, QualifiedName, Sequence,
    SequenceOptions, Table, Unique, View,
};
use aludel_schema::Change;

use super::postgres_text::reparseable;
use super::{
    action, constraint_prefix, quoted_names, RenderContext, RenderedStatement, Unsupported,
};
use crate::dialect::postgres::PostgresSql;
use crate::dialect::SqlDialect;

type Out = Vec<RenderedStatement>;

fn ident(name: &str) -> String {
    PostgresSql.quote_ident(name)
}

fn name(name: &QualifiedName) -> String {
    match &name.schema {
        Some(schema) => format!("{}.{}", ident(schema), ident(&name.name)),
        None => ident(&name.name),
    }
}

/// An object of a table's schema (indexes, constraints live there).
fn sibling(table: &QualifiedName, object: &str) -> String {
    name(&QualifiedName {
        schema: table.schema.clone(),
        name: object.to_string(),
    })
}

fn literal(text: &str) -> String {
    PostgresSql.string_literal(text)
}

fn idents(names: &[String]) -> String {
    quoted_names(&PostgresSql, names)
}

/// The statements that make `change`.
pub fn render(change: &Change, ctx: RenderContext<'_>) -> Result<Out, Unsupported> {
    let one = |sql: String| Ok(vec![RenderedStatement::new(sql)]);
    match change {
        Change::CreateNamespace(n) => one(format!("CREATE SCHEMA {}", ident(n))),
        Change::DropNamespace(n) => one(format!("DROP SCHEMA {}", ident(n))),
        Change::CreateEnum(e) => one(create_enum(e)),
        Change::DropEnum(e) => one(format!("DROP TYPE {}", name(&e.name))),
        Change::AlterEnum { from, to } => Ok(alter_enum(from, to, ctx)),
        Change::CreateSequence(s) => Ok(create_sequence(s)),
        // A sequence a column owns goes with its table or column, which may have
        // been dropped already.
        Change::DropSequence(s) => one(format!(
            "DROP SEQUENCE {}{}",
            if s.owned_by.is_some() {
                "IF EXISTS "
            } else {
                ""
            },
            name(&s.name)
        )),
        Change::AlterSequence { from, to } => Ok(alter_sequence(from, to)),
        Change::CreateTable(t) => Ok(create_table(t)),
        Change::DropTable(t) => Ok(vec![RenderedStatement::new(format!(
            "DROP TABLE {}",
            name(&t.name)
        ))
        .dropping()]),
        Change::RenameTable { from, to } => Ok(rename_table(from, to)),
        Change::AlterTable { from, to } => Ok(alter_table(from, to)),
        Change::AddColumn { table, column, .. } => {
            let mut out = vec![RenderedStatement::new(format!(
                "ALTER TABLE {} ADD COLUMN {}",
                name(table),
                column_definition(column)
            ))];
            out.extend(column_comment(table, column));
            Ok(out)
        }
        Change::DropColumn { table, column, .. } => Ok(vec![RenderedStatement::new(format!(
            "ALTER TABLE {} DROP COLUMN {}",
            name(table),
            ident(&column.name)
        ))
        .dropping()]),
        Change::AlterColumn { table, from, to } => alter_column(table, from, to),
        Change::RenameColumn { table, from, to } => one(format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            name(table),
            ident(from),
            ident(to)
        )),
        Change::AddPrimaryKey { table, key } => one(format!(
            "ALTER TABLE {} ADD {}PRIMARY KEY ({})",
            name(table),
            constraint_name(key.name.as_deref()),
            idents(&key.columns)
        )),
        Change::AddUnique { table, unique } => one(format!(
            "ALTER TABLE {} ADD {}",
            name(table),
            unique_clause(unique)
        )),
        Change::AddForeignKey { table, key } => one(format!(
            "ALTER TABLE {} ADD {}",
            name(table),
            foreign_key_clause(key)
        )),
        Change::AddCheck { table, check } => one(format!(
            "ALTER TABLE {} ADD {}CHECK {}",
            name(table),
            constraint_name(check.name.as_deref()),
            reparseable(&check.expression)
        )),
        Change::AddExclusion { table, exclusion } => one(format!(
            "ALTER TABLE {} ADD CONSTRAINT {} {}",
            name(table),
            ident(&exclusion.name),
            reparseable(&exclusion.definition)
        )),
        Change::DropPrimaryKey { table, key } => drop_constraint(table, key.name.as_deref()),
        Change::DropUnique { table, unique } => drop_constraint(table, unique.name.as_deref()),
        Change::DropForeignKey { table, key } => drop_constraint(table, key.name.as_deref()),
        Change::DropCheck { table, check } => drop_constraint(table, check.name.as_deref()),
        Change::DropExclusion { table, exclusion } => drop_constraint(table, Some(&exclusion.name)),
        Change::RenameConstraint { table, from, to } => one(format!(
            "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
            name(table),
            ident(from),
            ident(to)
        )),
        Change::CreateIndex { table, index } => one(create_index(table, index)),
        Change::DropIndex { table, index } => {
            one(format!("DROP INDEX {}", sibling(table, &index.name)))
        }
        Change::RenameIndex { table, from, to } => one(format!(
            "ALTER INDEX {} RENAME TO {}",
            sibling(table, from),
            ident(to)
        )),
        // The definition carries the trigger's function first (see the describer).
        Change::CreateTrigger { trigger, .. } => Ok(crate::sql::split_statements(
            crate::config::Dialect::Postgres,
            &trigger.definition,
        )
        .into_iter()
        .map(|s| RenderedStatement::new(s.sql))
        .collect()),
        Change::DropTrigger { table, trigger } => one(format!(
            "DROP TRIGGER {} ON {}",
            ident(&trigger.name),
            name(table)
        )),
        Change::CreateView(v) => Ok(create_view(v)),
        Change::DropView(v) => one(format!("DROP VIEW {}", name(&v.name))),
    }
}

fn create_enum(e: &EnumType) -> String {
    let values: Vec<String> = e.values.iter().map(|v| literal(v)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        name(&e.name),
        values.join(", ")
    )
}

/// Values only added (the old ones keep their order): `ADD VALUE` in place.
/// Otherwise the type is rebuilt and every column using it converted.
fn alter_enum(from: &EnumType, to: &EnumType, ctx: RenderContext<'_>) -> Out {
    let kept: Vec<&String> = to
        .values
        .iter()
        .filter(|v| from.values.contains(v))
        .collect();
    let only_added =
        kept.len() == from.values.len() && kept.iter().zip(&from.values).all(|(a, b)| *a == b);
    if only_added {
        let mut out = Vec::new();
        for (i, value) in to.values.iter().enumerate() {
            if from.values.contains(value) {
                continue;
            }
            let place = match to
                .values
                .get(i + 1)
                .filter(|next| from.values.contains(next))
            {
                Some(next) => format!(" BEFORE {}", literal(next)),
                None => match i.checked_sub(1).and_then(|p| to.values.get(p)) {
                    Some(prev) => format!(" AFTER {}", literal(prev)),
                    None => String::new(),
                },
            };
            let mut statement = RenderedStatement::new(format!(
                "ALTER TYPE {} ADD VALUE {}{place}",
                name(&to.name),
                literal(value)
            ));
            statement.commit_before_use = true;
            out.push(statement);
        }
        return out;
    }
    let old = QualifiedName {
        schema: to.name.schema.clone(),
        name: format!("{}_old", to.name.name),
    };
    let mut out = vec![
        RenderedStatement::new(format!(
            "ALTER TYPE {} RENAME TO {}",
            name(&to.name),
            ident(&old.name)
        )),
        RenderedStatement::new(create_enum(to)),
    ];
    // The columns that use the type now; a column the migration keeps gets its
    // new default back.
    for table in &ctx.from.tables {
        for column in &table.columns {
            if !uses_type(&column.data_type, &to.name) {
                continue;
            }
            let col = ident(&column.name);
            let t = name(&table.name);
            if column.default.is_some() {
                out.push(RenderedStatement::new(format!(
                    "ALTER TABLE {t} ALTER COLUMN {col} DROP DEFAULT"
                )));
            }
            out.push(
                RenderedStatement::new(format!(
                    "ALTER TABLE {t} ALTER COLUMN {col} TYPE {type} USING {col}::text::{type}",
                    type = column.data_type
                ))
                .dropping(),
            );
            let kept = ctx
                .to
                .table(&table.name)
                .and_then(|t| t.column(&column.name));
            // A column the migration drops later needs no default (its old
            // one may name a value the new type lacks).
            let default = kept
                .and_then(|kept| kept.default.as_ref())
                .filter(|_| column.default.is_some());
            if let Some(default) = default {
                out.push(RenderedStatement::new(format!(
                    "ALTER TABLE {t} ALTER COLUMN {col} SET DEFAULT {default}"
                )));
            }
        }
    }
    out.push(RenderedStatement::new(format!("DROP TYPE {}", name(&old))));
    out
}

/// Whether a column type (as `format_type` prints it) is the enum `enum_name` or
/// an array of it.
fn uses_type(data_type: &str, enum_name: &QualifiedName) -> bool {
    let base = data_type.trim_end_matches("[]");
    base == name(enum_name) || base == enum_name.to_string()
}

/// `AS type INCREMENT BY …`; without `AS type` for an identity, whose sequence
/// has the column's type.
fn sequence_clauses(o: &SequenceOptions) -> String {
    format!("AS {} {}", o.data_type, identity_sequence_clauses(o))
}

fn identity_sequence_clauses(o: &SequenceOptions) -> String {
    format!(
        "INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {}{}",
        o.increment,
        o.min,
        o.max,
        o.start,
        o.cache,
        if o.cycle { " CYCLE" } else { " NO CYCLE" }
    )
}

/// A sequence, and its owner when it has one already (the plan creates a
/// sequence whose owner is created later without it, and sets it after).
fn create_sequence(s: &Sequence) -> Out {
    let mut out = vec![RenderedStatement::new(format!(
        "CREATE SEQUENCE {} {}",
        name(&s.name),
        sequence_clauses(&s.options)
    ))];
    if s.owned_by.is_some() {
        out.push(RenderedStatement::new(owned_by(s)));
    }
    out
}

fn alter_sequence(from: &Sequence, to: &Sequence) -> Out {
    let mut out = Vec::new();
    if from.options != to.options {
        out.push(RenderedStatement::new(format!(
            "ALTER SEQUENCE {} {}",
            name(&to.name),
            sequence_clauses(&to.options)
        )));
    }
    if from.owned_by != to.owned_by {
        out.push(RenderedStatement::new(owned_by(to)));
    }
    out
}

fn owned_by(s: &Sequence) -> String {
    let owner = match &s.owned_by {
        Some((table, column)) => format!("{}.{}", name(table), ident(column)),
        None => "NONE".to_string(),
    };
    format!("ALTER SEQUENCE {} OWNED BY {owner}", name(&s.name))
}

fn column_definition(c: &Column) -> String {
    let mut out = format!("{} {}", ident(&c.name), c.data_type);
    if let Some(collation) = &c.collation {
        out.push_str(&format!(" COLLATE {}", ident(collation)));
    }
    if let Some(generated) = &c.generated {
        out.push_str(&format!(
            " GENERATED ALWAYS AS ({}) STORED",
            reparseable(&generated.expression)
        ));
    } else if let Some(identity) = &c.identity {
        out.push_str(&identity_clause(identity));
    } else if let Some(default) = &c.default {
        out.push_str(&format!(" DEFAULT {default}"));
    }
    if !c.nullable {
        out.push_str(" NOT NULL");
    }
    out
}

fn identity_clause(identity: &Identity) -> String {
    match identity {
        Identity::Always(o) => format!(
            " GENERATED ALWAYS AS IDENTITY ({})",
            identity_sequence_clauses(o)
        ),
        Identity::ByDefault(o) => format!(
            " GENERATED BY DEFAULT AS IDENTITY ({})",
            identity_sequence_clauses(o)
        ),
        Identity::AutoIncrement => String::new(),
    }
}

fn constraint_name(name: Option<&str>) -> String {
    constraint_prefix(&PostgresSql, name)
}

fn deferrable(d: Deferrable) -> &'static str {
    match d {
        Deferrable::No => "",
        Deferrable::InitiallyImmediate => " DEFERRABLE INITIALLY IMMEDIATE",
        Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
    }
}

fn unique_clause(u: &Unique) -> String {
    format!(
        "{}UNIQUE{} ({}){}",
        constraint_name(u.name.as_deref()),
        if u.nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        },
        idents(&u.columns),
        deferrable(u.deferrable)
    )
}

fn foreign_key_clause(k: &ForeignKey) -> String {
    format!(
        "{}FOREIGN KEY ({}) REFERENCES {} ({}){} ON UPDATE {} ON DELETE {}{}",
        constraint_name(k.name.as_deref()),
        idents(&k.columns),
        name(&k.referenced_table),
        idents(&k.referenced_columns),
        k.match_kind
            .as_deref()
            .map(|m| format!(" MATCH {m}"))
            .unwrap_or_default(),
        action(k.on_update),
        action(k.on_delete),
        deferrable(k.deferrable)
    )
}

fn drop_constraint(table: &QualifiedName, constraint: Option<&str>) -> Result<Out, Unsupported> {
    let Some(constraint) = constraint else {
        return Err(Unsupported {
            what: format!("dropping an unnamed constraint of {table}"),
            database: "PostgreSQL",
        });
    };
    Ok(vec![RenderedStatement::new(format!(
        "ALTER TABLE {} DROP CONSTRAINT {}",
        name(table),
        ident(constraint)
    ))])
}

fn create_table(t: &Table) -> Out {
    let mut parts: Vec<String> = t.columns.iter().map(column_definition).collect();
    if let Some(pk) = &t.primary_key {
        parts.push(format!(
            "{}PRIMARY KEY ({})",
            constraint_name(pk.name.as_deref()),
            idents(&pk.columns)
        ));
    }
    parts.extend(t.uniques.iter().map(unique_clause));
    parts.extend(t.checks.iter().map(|c| {
        format!(
            "{}CHECK {}",
            constraint_name(c.name.as_deref()),
            reparseable(&c.expression)
        )
    }));
    parts.extend(t.exclusions.iter().map(|e| {
        format!(
            "CONSTRAINT {} {}",
            ident(&e.name),
            reparseable(&e.definition)
        )
    }));
    parts.extend(t.foreign_keys.iter().map(foreign_key_clause));
    let options = if t.options.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = t.options.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!(" WITH ({})", list.join(", "))
    };
    let mut out = vec![RenderedStatement::new(format!(
        "CREATE TABLE {} (\n    {}\n){options}",
        name(&t.name),
        parts.join(",\n    ")
    ))];
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
    if let Some(comment) = &t.comment {
        out.push(RenderedStatement::new(format!(
            "COMMENT ON TABLE {} IS {}",
            name(&t.name),
            literal(comment)
        )));
    }
    for column in &t.columns {
        out.extend(column_comment(&t.name, column));
    }
    out
}

fn column_comment(table: &QualifiedName, column: &Column) -> Option<RenderedStatement> {
    column.comment.as_ref().map(|comment| {
        RenderedStatement::new(format!(
            "COMMENT ON COLUMN {}.{} IS {}",
            name(table),
            ident(&column.name),
            literal(comment)
        ))
    })
}

/// The server's own text where the index was read from one; composed otherwise.
fn create_index(table: &QualifiedName, index: &Index) -> String {
    if let Some(definition) = &index.definition {
        return reparseable(definition).into_owned();
    }
    let parts: Vec<String> = index
        .parts
        .iter()
        .map(|p| {
            let mut s = match &p.key {
                IndexKey::Column(c) => ident(c),
                IndexKey::Expression(e) => format!("({e})"),
            };
            if let Some(collation) = &p.collation {
                s.push_str(&format!(" COLLATE {}", ident(collation)));
            }
            if let Some(opclass) = &p.opclass {
                s.push_str(&format!(" {opclass}"));
            }
            if p.descending {
                s.push_str(" DESC");
            }
            match p.nulls_first {
                Some(true) => s.push_str(" NULLS FIRST"),
                Some(false) => s.push_str(" NULLS LAST"),
                None => {}
            }
            s
        })
        .collect();
    let mut sql = format!(
        "CREATE {}INDEX {} ON {}{} ({})",
        if index.unique { "UNIQUE " } else { "" },
        ident(&index.name),
        name(table),
        index
            .method
            .as_deref()
            .map(|m| format!(" USING {m}"))
            .unwrap_or_default(),
        parts.join(", ")
    );
    if !index.include.is_empty() {
        sql.push_str(&format!(" INCLUDE ({})", idents(&index.include)));
    }
    if index.nulls_not_distinct {
        sql.push_str(" NULLS NOT DISTINCT");
    }
    if !index.options.is_empty() {
        sql.push_str(&format!(" WITH ({})", index.options.join(", ")));
    }
    if let Some(predicate) = &index.predicate {
        sql.push_str(&format!(" WHERE {predicate}"));
    }
    sql
}

fn rename_table(from: &QualifiedName, to: &QualifiedName) -> Out {
    let mut out = Vec::new();
    let mut current = from.clone();
    if from.schema != to.schema {
        let schema = to.schema.clone().unwrap_or_else(|| "public".to_string());
        out.push(RenderedStatement::new(format!(
            "ALTER TABLE {} SET SCHEMA {}",
            name(from),
            ident(&schema)
        )));
        current.schema = to.schema.clone();
    }
    if from.name != to.name {
        out.push(RenderedStatement::new(format!(
            "ALTER TABLE {} RENAME TO {}",
            name(&current),
            ident(&to.name)
        )));
    }
    out
}

fn alter_table(from: &Table, to: &Table) -> Out {
    let mut out = Vec::new();
    let t = name(&to.name);
    if from.comment != to.comment {
        out.push(RenderedStatement::new(format!(
            "COMMENT ON TABLE {t} IS {}",
            to.comment
                .as_deref()
                .map(literal)
                .unwrap_or_else(|| "NULL".to_string())
        )));
    }
    let set: Vec<String> = to
        .options
        .iter()
        .filter(|o| !from.options.contains(o))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if !set.is_empty() {
        out.push(RenderedStatement::new(format!(
            "ALTER TABLE {t} SET ({})",
            set.join(", ")
        )));
    }
    let reset: Vec<String> = from
        .options
        .iter()
        .filter(|(k, _)| to.option(k).is_none())
        .map(|(k, _)| k.clone())
        .collect();
    if !reset.is_empty() {
        out.push(RenderedStatement::new(format!(
            "ALTER TABLE {t} RESET ({})",
            reset.join(", ")
        )));
    }
    out
}

fn alter_column(table: &QualifiedName, from: &Column, to: &Column) -> Result<Out, Unsupported> {
    let t = name(table);
    let c = ident(&to.name);
    let alter =
        |what: String| RenderedStatement::new(format!("ALTER TABLE {t} ALTER COLUMN {c} {what}"));
    let mut out = Vec::new();
    if from.generated != to.generated {
        if to.generated.is_some() {
            // PostgreSQL before 17 cannot give a column a (new) expression: the
            // column is dropped and added again (last in the table), computed anew.
            out.push(RenderedStatement::new(format!("ALTER TABLE {t} DROP COLUMN {c}")).dropping());
            out.push(RenderedStatement::new(format!(
                "ALTER TABLE {t} ADD COLUMN {}",
                column_definition(to)
            )));
            out.extend(column_comment(table, to));
            return Ok(out);
        }
        // The column keeps its computed values as plain ones.
        out.push(alter("DROP EXPRESSION".into()));
        let mut plain = from.clone();
        plain.generated = None;
        out.extend(alter_column(table, &plain, to)?);
        return Ok(out);
    }
    let retyped = from.data_type != to.data_type || from.collation != to.collation;
    let default_changes = from.default != to.default;
    // A default is dropped before a type change (its text carries the old type)
    // and before an identity is added (a column cannot have both).
    let gains_identity = from.identity.is_none() && to.identity.is_some();
    if from.default.is_some() && (retyped || default_changes || gains_identity) {
        out.push(alter("DROP DEFAULT".into()));
    }
    match (&from.identity, &to.identity) {
        (Some(_), None) => out.push(alter("DROP IDENTITY".into())),
        (Some(Identity::Always(a)), Some(Identity::ByDefault(b)))
        | (Some(Identity::ByDefault(a)), Some(Identity::Always(b))) => {
            let kind = if matches!(to.identity, Some(Identity::Always(_))) {
                "ALWAYS"
            } else {
                "BY DEFAULT"
            };
            out.push(alter(format!("SET GENERATED {kind}")));
            if a != b {
                out.push(alter(identity_options(b)));
            }
        }
        (Some(Identity::Always(a)), Some(Identity::Always(b)))
        | (Some(Identity::ByDefault(a)), Some(Identity::ByDefault(b)))
            if a != b =>
        {
            out.push(alter(identity_options(b)));
        }
        _ => {}
    }
    if retyped {
        let collate = to
            .collation
            .as_deref()
            .map(|x| format!(" COLLATE {}", ident(x)))
            .unwrap_or_default();
        let mut retype = alter(format!(
            "TYPE {}{collate} USING {c}::{}",
            to.data_type, to.data_type
        ));
        retype.drops_data = loses_values(&from.data_type, &to.data_type);
        out.push(retype);
    }
    if from.nullable != to.nullable {
        out.push(alter(if to.nullable {
            "DROP NOT NULL".into()
        } else {
            "SET NOT NULL".into()
        }));
    }
    if let (None, Some(identity)) = (&from.identity, &to.identity) {
        out.push(alter(format!("ADD{}", identity_clause(identity))));
        // A column that had values (a serial one, say) goes on counting after them.
        out.push(RenderedStatement::new(format!(
            "SELECT setval(pg_get_serial_sequence({}, {}), coalesce(max({c}), 0) + 1, false) FROM {t}",
            literal(&t),
            literal(&to.name)
        )));
    }
    if let Some(default) = &to.default {
        if from.default.is_none() || retyped || default_changes || gains_identity {
            out.push(alter(format!("SET DEFAULT {default}")));
        }
    }
    if from.comment != to.comment {
        out.push(RenderedStatement::new(format!(
            "COMMENT ON COLUMN {t}.{c} IS {}",
            to.comment
                .as_deref()
                .map(literal)
                .unwrap_or_else(|| "NULL".to_string())
        )));
    }
    Ok(out)
}

/// Whether a type change (types as `format_type` prints them) can lose values:
/// anything but a longer `character varying`/`character`, any string type to
/// `text`, a wider integer, an integer to `numeric`, or a `numeric` with room for
/// as many digits on each side of the point.
fn loses_values(from: &str, to: &str) -> bool {
    if from == to || to == "text" && is_string(from) {
        return false;
    }
    // Scale may exceed precision or be negative (PostgreSQL 15): signed.
    let split = |t: &str| -> (String, Vec<i64>) {
        let (base, rest) = t.split_once('(').unwrap_or((t, ""));
        let args = rest
            .trim_end_matches(')')
            .split(',')
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        (base.trim().to_string(), args)
    };
    let ((from_base, from_args), (to_base, to_args)) = (split(from), split(to));
    const INTEGERS: [&str; 3] = ["smallint", "integer", "bigint"];
    let rank = |base: &str| INTEGERS.iter().position(|i| *i == base);
    match (from_base.as_str(), to_base.as_str()) {
        (a, b) if a == b && is_string(a) => {
            !matches!((from_args.first(), to_args.first()), (Some(x), Some(y)) if y >= x)
                && !to_args.is_empty()
        }
        (a, "numeric") if rank(a).is_some() => !to_args.is_empty(),
        ("numeric", "numeric") => match (from_args.as_slice(), to_args.as_slice()) {
            (_, []) => false,
            ([p1, s1], [p2, s2]) => s2 < s1 || p2 - s2 < p1 - s1,
            ([p1], [p2, s2]) => p2 - s2 < *p1,
            _ => true,
        },
        (a, b) => !matches!((rank(a), rank(b)), (Some(x), Some(y)) if y >= x),
    }
}

fn is_string(base: &str) -> bool {
    let base = base.split('(').next().unwrap_or(base).trim();
    matches!(
        base,
        "character varying" | "character" | "varchar" | "char" | "text"
    )
}

/// `SET …` options of an identity column's sequence.
fn identity_options(o: &SequenceOptions) -> String {
    format!(
        "SET INCREMENT BY {} SET MINVALUE {} SET MAXVALUE {} SET START WITH {} SET CACHE {} SET{} CYCLE",
        o.increment,
        o.min,
        o.max,
        o.start,
        o.cache,
        if o.cycle { "" } else { " NO" }
    )
}

fn create_view(v: &View) -> Out {
    let options = if v.options.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", v.options.join(", "))
    };
    let mut out = vec![RenderedStatement::new(format!(
        "CREATE VIEW {}{options} AS\n{}",
        name(&v.name),
        reparseable(v.definition.trim_end_matches(';'))
    ))];
    if let Some(comment) = &v.comment {
        out.push(RenderedStatement::new(format!(
            "COMMENT ON VIEW {} IS {}",
            name(&v.name),
            literal(comment)
        )));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::loses_values;

    #[test]
    fn only_changes_that_can_lose_values_are_marked() {
        for (from, to) in [
            ("character varying(20)", "character varying(50)"),
            ("character varying(20)", "character varying"),
            ("character varying(20)", "text"),
            ("smallint", "integer"),
            ("integer", "bigint"),
            ("integer", "numeric"),
            ("numeric(10,2)", "numeric(12,2)"),
            ("numeric(10,2)", "numeric(12,4)"),
            ("numeric(10,2)", "numeric"),
        ] {
            assert!(!loses_values(from, to), "{from} -> {to}");
        }
        for (from, to) in [
            ("character varying(50)", "character varying(20)"),
            ("text", "character varying(20)"),
            ("bigint", "integer"),
            ("numeric(12,2)", "numeric(10,2)"),
            ("numeric(10,2)", "numeric(10,4)"),
            ("numeric", "numeric(10,2)"),
            ("text", "integer"),
            ("timestamp without time zone", "date"),
            ("integer", "numeric(5,2)"),
        ] {
            assert!(loses_values(from, to), "{from} -> {to}");
        }
    }
}
