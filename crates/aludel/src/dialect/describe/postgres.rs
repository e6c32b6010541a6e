//! PostgreSQL's catalog as a [`Schema`]: nine queries over `pg_catalog`, sent in
//! one round trip, each answering with one JSON array. Texts come from the
//! server's own printers (`format_type`, `pg_get_expr`, `pg_get_constraintdef`,
//! `pg_get_indexdef`, `pg_get_viewdef`, `pg_get_triggerdef`), so two databases
//! with the same schema describe equal. Partitions, inherited constraints and
//! internal triggers are left out: they follow from their parents.
//!
//! A trigger's definition starts with its function's (`pg_get_functiondef`,
//! then `;`) unless the function is built in or an extension's: the model has
//! no functions, and a trigger can only be created where its function exists,
//! so the function goes with the trigger (and a changed function body is a
//! changed trigger).

use std::collections::HashMap;

use aludel_schema::model::{
    Check, Column, Deferrable, EnumType, Exclusion, ForeignKey, Generated, Identity, Index,
    IndexKey, IndexPart, PrimaryKey, QualifiedName, ReferentialAction, Schema, Sequence,
    SequenceOptions, Table, Trigger, Unique, View,
};
use serde::Deserialize;

use super::{json_rows, DescribeScope};
use crate::dialect::{Connection, DbError, SqlDialect};

/// Reads the schema of the database `conn` is connected to; with `second`, a
/// second connection to the same database, the columns and tables are read there
/// at the same time as the rest on `conn` (the server works on both: the column
/// query is about a third of the work). Each query reads its own snapshot either
/// way (READ COMMITTED), so two connections are no less consistent than one.
pub async fn describe(
    conn: &mut dyn Connection,
    second: Option<&mut dyn Connection>,
    scope: &DescribeScope,
) -> Result<Schema, DbError> {
    let sql = conn.sql();
    let version: i64 = conn
        .query_column("SELECT current_setting('server_version_num')")
        .await?
        .into_iter()
        .flatten()
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let namespaces = namespace_filter(sql, scope);
    let queries = queries(&namespaces, version >= 150000);
    let mut rows = match second {
        None => conn.query_rows(&queries.join(";\n")).await?.into_iter(),
        Some(second) => {
            let (apart, rest): (Vec<_>, Vec<_>) = queries
                .iter()
                .enumerate()
                .partition(|(i, _)| SECOND_CONNECTION.contains(i));
            let joined = |part: &[(usize, &String)]| {
                part.iter()
                    .map(|(_, q)| q.as_str())
                    .collect::<Vec<_>>()
                    .join(";\n")
            };
            let (apart, rest) = (joined(&apart), joined(&rest));
            let (apart_rows, rest_rows) =
                tokio::join!(second.query_rows(&apart), conn.query_rows(&rest));
            // Back in the order of `queries`.
            let mut apart_rows = apart_rows?.into_iter();
            let mut rest_rows = rest_rows?.into_iter();
            let merged: Vec<_> = (0..queries.len())
                .map(|i| {
                    if SECOND_CONNECTION.contains(&i) {
                        apart_rows.next()
                    } else {
                        rest_rows.next()
                    }
                })
                .collect::<Option<Vec<_>>>()
                .unwrap_or_default();
            merged.into_iter()
        }
    };
    let mut next = || rows.next().map(|r| vec![r]).unwrap_or_default();
    let default_schema: Vec<String> = json_rows("default schema", next())?;
    let catalog = Catalog {
        default_schema: default_schema.into_iter().next().unwrap_or_default(),
        namespaces: json_rows("schemas", next())?,
        tables: json_rows("tables", next())?,
        columns: json_rows("columns", next())?,
        sequences: json_rows("sequences", next())?,
        constraints: json_rows("constraints", next())?,
        indexes: json_rows("indexes", next())?,
        enums: json_rows("enum types", next())?,
        views: json_rows("views", next())?,
        triggers: json_rows("triggers", next())?,
    };
    Ok(catalog.into_schema(scope))
}

/// The queries (indexes into [`queries`]) read on the second connection when
/// there is one: tables and columns.
const SECOND_CONNECTION: [usize; 2] = [2, 3];

/// `(current_schema(), 'a', 'b')`: the schemas described.
fn namespace_filter(sql: &dyn SqlDialect, scope: &DescribeScope) -> String {
    let mut parts = vec!["current_schema()".to_string()];
    parts.extend(scope.schemas.iter().map(|s| sql.string_literal(s)));
    format!("({})", parts.join(", "))
}

/// The catalog queries, in the order [`describe`] reads their answers.
fn queries(ns: &str, has_nulls_not_distinct: bool) -> Vec<String> {
    let index_nulls = if has_nulls_not_distinct {
        "i.indnullsnotdistinct"
    } else {
        "false"
    };
    // Comments are joined (a hash join), not looked up row by row with
    // obj_description / col_description: a third of the column query's time.
    let class_comment = "LEFT JOIN pg_description ds ON ds.objoid = c.oid \
         AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0";
    let relation = format!(
        "JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname IN {ns}"
    );
    vec![
        "SELECT json_build_array(current_schema())::text".to_string(),
        format!(
            "SELECT json_agg(nspname ORDER BY nspname)::text FROM pg_namespace \
             WHERE nspname IN {ns} AND nspname <> current_schema()"
        ),
        format!(
            "SELECT json_agg(json_build_object(\
               'oid', c.oid::bigint, 'schema', n.nspname, 'name', c.relname, \
               'comment', ds.description, \
               'options', coalesce(c.reloptions, '{{}}')))::text \
             FROM pg_class c {class_comment} {relation}"
        ),
        format!(
            "SELECT json_agg(json_build_object(\
               'table', a.attrelid::bigint, 'position', a.attnum, 'name', a.attname, \
               'type', format_type(a.atttypid, a.atttypmod), 'not_null', a.attnotnull, \
               'default', pg_get_expr(d.adbin, d.adrelid), \
               'identity', a.attidentity::text, 'generated', a.attgenerated::text, \
               'collation', CASE WHEN a.attcollation <> t.typcollation THEN co.collname END, \
               'comment', ds.description) \
               ORDER BY a.attrelid, a.attnum)::text \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
             JOIN pg_type t ON t.oid = a.atttypid \
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             LEFT JOIN pg_collation co ON co.oid = a.attcollation \
             LEFT JOIN pg_description ds ON ds.objoid = a.attrelid \
               AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum \
             {relation} AND a.attnum > 0 AND NOT a.attisdropped"
        ),
        format!(
            "SELECT json_agg(json_build_object(\
               'schema', n.nspname, 'name', c.relname, 'type', format_type(s.seqtypid, NULL), \
               'start', s.seqstart, 'increment', s.seqincrement, 'min', s.seqmin, \
               'max', s.seqmax, 'cache', s.seqcache, 'cycle', s.seqcycle, \
               'owner', d.deptype::text, 'owner_table', d.refobjid::bigint, \
               'owner_schema', own.nspname, 'owner_name', oc.relname, \
               'owner_column', oa.attname))::text \
             FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid \
               AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 \
               AND d.deptype IN ('a', 'i') \
             LEFT JOIN pg_class oc ON oc.oid = d.refobjid \
             LEFT JOIN pg_namespace own ON own.oid = oc.relnamespace \
             LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid \
             WHERE n.nspname IN {ns}"
        ),
        format!(
            "SELECT json_agg(json_build_object(\
               'table', con.conrelid::bigint, 'name', con.conname, 'kind', con.contype::text, \
               'definition', CASE WHEN con.contype IN ('u', 'c', 'x') \
                 THEN pg_get_constraintdef(con.oid) ELSE '' END, \
               'deferrable', con.condeferrable, 'deferred', con.condeferred, \
               'columns', (SELECT json_agg(a.attname ORDER BY k.o) \
                 FROM unnest(con.conkey) WITH ORDINALITY k(n, o) \
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n), \
               'ref_schema', fn.nspname, 'ref_table', fc.relname, \
               'ref_columns', (SELECT json_agg(a.attname ORDER BY k.o) \
                 FROM unnest(con.confkey) WITH ORDINALITY k(n, o) \
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n), \
               'on_update', con.confupdtype::text, 'on_delete', con.confdeltype::text, \
               'match', con.confmatchtype::text))::text \
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
             LEFT JOIN pg_class fc ON fc.oid = con.confrelid \
             LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace \
             {relation} AND con.contype IN ('p', 'u', 'f', 'c', 'x') \
               AND con.conparentid = 0 AND con.coninhcount = 0"
        ),
        format!(
            "SELECT json_agg(json_build_object(\
               'table', i.indrelid::bigint, 'name', ic.relname, \
               'definition', pg_get_indexdef(i.indexrelid), 'unique', i.indisunique, \
               'method', am.amname, 'predicate', pg_get_expr(i.indpred, i.indrelid, true), \
               'key_count', i.indnkeyatts, 'nulls_not_distinct', {index_nulls}, \
               'options', coalesce(ic.reloptions, '{{}}'), \
               'keys', (SELECT json_agg(json_build_object(\
                   'text', CASE WHEN k.n = 0 \
                     THEN pg_get_indexdef(i.indexrelid, k.o::int, true) ELSE '' END, \
                   'column', ka.attname, \
                   'option', i.indoption[(k.o - 1)::int], \
                   'opclass', (SELECT oc.opcname FROM pg_opclass oc \
                     WHERE oc.oid = i.indclass[(k.o - 1)::int] AND NOT oc.opcdefault), \
                   'collation', (SELECT kc.collname FROM pg_collation kc \
                     WHERE kc.oid = i.indcollation[(k.o - 1)::int] \
                       AND kc.oid <> coalesce(ka.attcollation, 0) \
                       AND (ka.attname IS NOT NULL OR kc.collname <> 'default'))) \
                 ORDER BY k.o) \
                 FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o) \
                 LEFT JOIN pg_attribute ka ON ka.attrelid = i.indrelid AND ka.attnum = k.n \
                   AND k.n <> 0)))::text \
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
             JOIN pg_am am ON am.oid = ic.relam JOIN pg_class c ON c.oid = i.indrelid \
             {relation} AND NOT EXISTS (SELECT 1 FROM pg_constraint con \
               WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid \
                 AND con.contype IN ('p', 'u', 'x'))"
        ),
        format!(
            "SELECT json_agg(json_build_object(\
               'schema', n.nspname, 'name', t.typname, \
               'values', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) \
                 FROM pg_enum e WHERE e.enumtypid = t.oid)))::text \
             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
             WHERE t.typtype = 'e' AND n.nspname IN {ns}"
        ),
        format!(
            "SELECT json_agg(json_build_object(\
               'schema', n.nspname, 'name', c.relname, \
               'definition', pg_get_viewdef(c.oid, true), \
               'options', coalesce(c.reloptions, '{{}}'), \
               'comment', ds.description, \
               'depends', (SELECT json_agg(DISTINCT jsonb_build_object(\
                   'schema', dn.nspname, 'name', dc.relname)) \
                 FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass \
                   AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass \
                 JOIN pg_class dc ON dc.oid = d.refobjid \
                 JOIN pg_namespace dn ON dn.oid = dc.relnamespace \
                 WHERE r.ev_class = c.oid AND dc.oid <> c.oid)))::text \
             FROM pg_class c {class_comment} JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'v' AND n.nspname IN {ns}"
        ),
        format!(
            "SELECT json_agg(json_build_object(\
               'table', t.tgrelid::bigint, 'name', t.tgname, \
               'definition', CASE WHEN p.pronamespace = 'pg_catalog'::regnamespace \
                 OR EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass \
                   AND e.objid = p.oid AND e.deptype = 'e') \
                 THEN '' ELSE pg_get_functiondef(p.oid) || E';\\n' END \
                 || pg_get_triggerdef(t.oid, true)))::text \
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
             JOIN pg_proc p ON p.oid = t.tgfoid \
             {relation} AND NOT t.tgisinternal"
        ),
    ]
}

#[derive(Deserialize)]
struct TableRow {
    oid: i64,
    schema: String,
    name: String,
    comment: Option<String>,
    options: Vec<String>,
}

#[derive(Deserialize)]
struct ColumnRow {
    table: i64,
    name: String,
    #[serde(rename = "type")]
    data_type: String,
    not_null: bool,
    default: Option<String>,
    identity: String,
    generated: String,
    collation: Option<String>,
    comment: Option<String>,
}

#[derive(Deserialize)]
struct SequenceRow {
    schema: String,
    name: String,
    #[serde(rename = "type")]
    data_type: String,
    start: i64,
    increment: i64,
    min: i64,
    max: i64,
    cache: i64,
    cycle: bool,
    owner: Option<String>,
    owner_table: Option<i64>,
    owner_schema: Option<String>,
    owner_name: Option<String>,
    owner_column: Option<String>,
}

#[derive(Deserialize)]
struct ConstraintRow {
    table: i64,
    name: String,
    kind: String,
    /// `pg_get_constraintdef`, read only where it says more than the other
    /// fields (unique, check and exclusion constraints); empty otherwise.
    definition: String,
    deferrable: bool,
    deferred: bool,
    columns: Option<Vec<String>>,
    ref_schema: Option<String>,
    ref_table: Option<String>,
    ref_columns: Option<Vec<String>>,
    on_update: String,
    on_delete: String,
    #[serde(rename = "match")]
    match_kind: String,
}

#[derive(Deserialize)]
struct IndexRow {
    table: i64,
    name: String,
    definition: String,
    unique: bool,
    method: String,
    predicate: Option<String>,
    key_count: usize,
    nulls_not_distinct: bool,
    options: Vec<String>,
    keys: Vec<IndexKeyRow>,
}

#[derive(Deserialize)]
struct IndexKeyRow {
    /// An expression key's text; empty for a column key (`column` names it).
    text: String,
    column: Option<String>,
    option: Option<i64>,
    opclass: Option<String>,
    collation: Option<String>,
}

#[derive(Deserialize)]
struct EnumRow {
    schema: String,
    name: String,
    values: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct ViewRow {
    schema: String,
    name: String,
    definition: String,
    options: Vec<String>,
    comment: Option<String>,
    depends: Option<Vec<NameRow>>,
}

#[derive(Deserialize)]
struct NameRow {
    schema: String,
    name: String,
}

#[derive(Deserialize)]
struct TriggerRow {
    table: i64,
    name: String,
    definition: String,
}

/// The answers of the catalog queries, before they become a [`Schema`].
struct Catalog {
    default_schema: String,
    namespaces: Vec<String>,
    tables: Vec<TableRow>,
    columns: Vec<ColumnRow>,
    sequences: Vec<SequenceRow>,
    constraints: Vec<ConstraintRow>,
    indexes: Vec<IndexRow>,
    enums: Vec<EnumRow>,
    views: Vec<ViewRow>,
    triggers: Vec<TriggerRow>,
}

impl Catalog {
    fn name(&self, schema: &str, name: &str) -> QualifiedName {
        if schema == self.default_schema {
            QualifiedName::local(name)
        } else {
            QualifiedName::in_schema(schema, name)
        }
    }

    fn into_schema(self, scope: &DescribeScope) -> Schema {
        let mut tables: Vec<Table> = Vec::new();
        let mut by_oid: HashMap<i64, usize> = HashMap::new();
        for row in &self.tables {
            if scope.excludes(Some(&row.schema), &row.name, Some(&self.default_schema)) {
                continue;
            }
            let mut table = Table::new(self.name(&row.schema, &row.name));
            table.comment = row.comment.clone();
            table.options = row.options.iter().map(|o| split_option(o)).collect();
            by_oid.insert(row.oid, tables.len());
            tables.push(table);
        }
        let identities = self.identity_sequences();
        for row in &self.columns {
            let Some(&t) = by_oid.get(&row.table) else {
                continue;
            };
            tables[t]
                .columns
                .push(column(row, identities.get(&(row.table, &row.name))));
        }
        for row in &self.constraints {
            if let Some(&t) = by_oid.get(&row.table) {
                self.add_constraint(&mut tables[t], row);
            }
        }
        for row in &self.indexes {
            if let Some(&t) = by_oid.get(&row.table) {
                tables[t].indexes.push(index(row));
            }
        }
        for row in &self.triggers {
            if let Some(&t) = by_oid.get(&row.table) {
                tables[t].triggers.push(Trigger {
                    name: row.name.clone(),
                    definition: row.definition.clone(),
                });
            }
        }
        let sequences = self
            .sequences
            .iter()
            .filter(|s| s.owner.as_deref() != Some("i"))
            // A sequence goes with the table that owns it (aludel's history
            // table's, an excluded table's).
            .filter(|s| match (&s.owner_schema, &s.owner_name) {
                (Some(schema), Some(table)) => {
                    !scope.excludes(Some(schema), table, Some(&self.default_schema))
                }
                _ => true,
            })
            .map(|s| Sequence {
                name: self.name(&s.schema, &s.name),
                options: sequence_options(s),
                owned_by: match (&s.owner_schema, &s.owner_name, &s.owner_column) {
                    (Some(schema), Some(table), Some(column)) => {
                        Some((self.name(schema, table), column.clone()))
                    }
                    _ => None,
                },
            })
            .collect();
        let enums = self
            .enums
            .iter()
            .map(|e| EnumType {
                name: self.name(&e.schema, &e.name),
                values: e.values.clone().unwrap_or_default(),
            })
            .collect();
        let views = self
            .views
            .iter()
            .map(|v| View {
                name: self.name(&v.schema, &v.name),
                definition: v.definition.clone(),
                depends_on: v
                    .depends
                    .iter()
                    .flatten()
                    .map(|d| self.name(&d.schema, &d.name))
                    .collect(),
                options: v.options.clone(),
                comment: v.comment.clone(),
            })
            .collect();
        Schema {
            namespaces: self.namespaces.clone(),
            tables,
            views,
            enums,
            sequences,
        }
        .canonical()
    }

    /// Identity columns' sequences, by (table oid, column name).
    fn identity_sequences(&self) -> HashMap<(i64, &str), SequenceOptions> {
        self.sequences
            .iter()
            .filter(|s| s.owner.as_deref() == Some("i"))
            .filter_map(|s| {
                Some((
                    (s.owner_table?, s.owner_column.as_deref()?),
                    sequence_options(s),
                ))
            })
            .collect()
    }

    fn add_constraint(&self, table: &mut Table, row: &ConstraintRow) {
        let columns = row.columns.clone().unwrap_or_default();
        let deferrable = match (row.deferrable, row.deferred) {
            (false, _) => Deferrable::No,
            (true, false) => Deferrable::InitiallyImmediate,
            (true, true) => Deferrable::InitiallyDeferred,
        };
        let name = Some(row.name.clone());
        match row.kind.as_str() {
            "p" => table.primary_key = Some(PrimaryKey { name, columns }),
            "u" => table.uniques.push(Unique {
                name,
                columns,
                nulls_not_distinct: row.definition.contains("NULLS NOT DISTINCT"),
                deferrable,
            }),
            "f" => table.foreign_keys.push(ForeignKey {
                name,
                columns,
                referenced_table: self.name(
                    row.ref_schema.as_deref().unwrap_or_default(),
                    row.ref_table.as_deref().unwrap_or_default(),
                ),
                referenced_columns: row.ref_columns.clone().unwrap_or_default(),
                on_delete: action(&row.on_delete),
                on_update: action(&row.on_update),
                match_kind: match row.match_kind.as_str() {
                    "f" => Some("FULL".into()),
                    "p" => Some("PARTIAL".into()),
                    _ => None,
                },
                deferrable,
            }),
            "c" => table.checks.push(Check {
                name,
                expression: row
                    .definition
                    .strip_prefix("CHECK ")
                    .unwrap_or(&row.definition)
                    .to_string(),
            }),
            _ => table.exclusions.push(Exclusion {
                name: row.name.clone(),
                definition: row.definition.clone(),
            }),
        }
    }
}

fn column(row: &ColumnRow, identity: Option<&SequenceOptions>) -> Column {
    let mut column = Column::new(&row.name, &row.data_type);
    column.nullable = !row.not_null;
    column.collation = row.collation.clone();
    column.comment = row.comment.clone();
    if row.generated == "s" {
        column.generated = row.default.clone().map(|expression| Generated {
            expression,
            stored: true,
        });
    } else {
        column.default = row.default.clone();
    }
    column.identity = identity
        .cloned()
        .and_then(|options| match row.identity.as_str() {
            "a" => Some(Identity::Always(options)),
            "d" => Some(Identity::ByDefault(options)),
            _ => None,
        });
    column
}

fn index(row: &IndexRow) -> Index {
    let mut parts = Vec::new();
    let mut include = Vec::new();
    for (i, key) in row.keys.iter().enumerate() {
        if i >= row.key_count {
            include.push(key.column.clone().unwrap_or_else(|| key.text.clone()));
            continue;
        }
        let option = key.option.unwrap_or(0);
        let descending = option & 1 != 0;
        let nulls_first = option & 2 != 0;
        parts.push(IndexPart {
            key: match &key.column {
                Some(c) => IndexKey::Column(c.clone()),
                None => IndexKey::Expression(key.text.clone()),
            },
            descending,
            nulls_first: (nulls_first != descending).then_some(nulls_first),
            collation: key.collation.clone(),
            opclass: key.opclass.clone(),
            prefix_length: None,
        });
    }
    Index {
        name: row.name.clone(),
        unique: row.unique,
        parts,
        method: (row.method != "btree").then(|| row.method.clone()),
        predicate: row.predicate.clone(),
        include,
        nulls_not_distinct: row.nulls_not_distinct,
        options: row.options.clone(),
        definition: Some(row.definition.clone()),
    }
}

fn sequence_options(s: &SequenceRow) -> SequenceOptions {
    SequenceOptions {
        data_type: s.data_type.clone(),
        start: s.start,
        increment: s.increment,
        min: s.min,
        max: s.max,
        cache: s.cache,
        cycle: s.cycle,
    }
}

/// `pg_constraint.confupdtype` / `confdeltype`.
fn action(code: &str) -> ReferentialAction {
    match code {
        "r" => ReferentialAction::Restrict,
        "c" => ReferentialAction::Cascade,
        "n" => ReferentialAction::SetNull,
        "d" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

/// `fillfactor=70` → (`fillfactor`, `70`).
fn split_option(option: &str) -> (String, String) {
    match option.split_once('=') {
        Some((k, v)) => (k.to_string(), v.to_string()),
        None => (option.to_string(), String::new()),
    }
}
