//! SQLite's schema as a [`Schema`]. The structure comes from SQLite itself: the
//! `pragma_table_xinfo`, `pragma_index_list`, `pragma_index_xinfo` and
//! `pragma_foreign_key_list` table functions joined over `sqlite_schema`, one query
//! per object kind for the whole database. What SQLite keeps only in the stored
//! `CREATE TABLE` text (constraint names, `CHECK` expressions, generated-column
//! expressions, `COLLATE`, `AUTOINCREMENT`, `WITHOUT ROWID`, `STRICT`) is read from
//! that text with sqlparser; expressions are printed back by sqlparser, so both
//! sides of a comparison print them the same way. Index, trigger and view
//! definitions are the stored text, which is what SQLite re-creates them from.

use std::collections::{BTreeMap, HashMap};

use aludel_schema::model::{
    Check, Column, ForeignKey, Generated, Identity, Index, IndexKey, IndexPart, PrimaryKey,
    QualifiedName, ReferentialAction, Schema, Table, Trigger, Unique, View,
};
use serde::Deserialize;
use sqlparser::ast::{self as ast, ColumnOption, Statement, TableConstraint};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::Parser;

use super::{json_rows, DescribeScope};
use crate::dialect::{Connection, DbError, DbErrorKind};

/// Reads the schema of the `main` database of `conn`.
pub async fn describe(conn: &mut dyn Connection, scope: &DescribeScope) -> Result<Schema, DbError> {
    let objects: Vec<ObjectRow> = json_rows("schema", conn.query_rows(OBJECTS).await?)?;
    let columns: Vec<ColumnRow> = json_rows("columns", conn.query_rows(COLUMNS).await?)?;
    let index_keys: Vec<IndexKeyRow> = json_rows("indexes", conn.query_rows(INDEX_KEYS).await?)?;
    let foreign_keys: Vec<ForeignKeyRow> =
        json_rows("foreign keys", conn.query_rows(FOREIGN_KEYS).await?)?;
    build(objects, columns, index_keys, foreign_keys, scope)
}

const OBJECTS: &str = "SELECT json_group_array(json_object(\
    'type', type, 'name', name, 'table', tbl_name, 'sql', sql)) \
    FROM (SELECT * FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name)";

const COLUMNS: &str = "SELECT json_group_array(json_object(\
    'table', t, 'name', name, 'type', type, 'not_null', \"notnull\", \
    'default', dflt_value, 'pk', pk, 'hidden', hidden)) \
    FROM (SELECT m.name AS t, p.* FROM sqlite_schema m, pragma_table_xinfo(m.name) p \
          WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
          ORDER BY m.name, p.cid)";

/// Every key of every index, with the index's origin (`c` CREATE INDEX, `u`
/// UNIQUE constraint, `pk`), uniqueness and partiality.
const INDEX_KEYS: &str = "SELECT json_group_array(json_object(\
    'table', t, 'index', i, 'unique', u, 'origin', o, 'partial', pa, \
    'seq', x.seqno, 'cid', x.cid, 'column', x.name, 'desc', x.\"desc\", 'collation', x.coll)) \
    FROM (SELECT m.name AS t, l.name AS i, l.\"unique\" AS u, l.origin AS o, l.partial AS pa \
          FROM sqlite_schema m, pragma_index_list(m.name) l \
          WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'), \
         pragma_index_xinfo(i) x WHERE x.key = 1 ORDER BY t, i, x.seqno";

const FOREIGN_KEYS: &str = "SELECT json_group_array(json_object(\
    'table', m.name, 'id', f.id, 'seq', f.seq, 'references', f.\"table\", \
    'from', f.\"from\", 'to', f.\"to\", 'on_update', f.on_update, \
    'on_delete', f.on_delete, 'match', f.\"match\")) \
    FROM sqlite_schema m, pragma_foreign_key_list(m.name) f \
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

/// SQLite keeps the text as it was sent, blanks before the `;` included (a
/// batch may leave a line break): trimmed, the same object reads the same.
fn stored_text(sql: &Option<String>) -> String {
    sql.as_deref().unwrap_or_default().trim_end().to_string()
}

#[derive(Deserialize)]
struct ObjectRow {
    #[serde(rename = "type")]
    kind: String,
    name: String,
    table: String,
    sql: Option<String>,
}

#[derive(Deserialize)]
struct ColumnRow {
    table: String,
    name: String,
    #[serde(rename = "type")]
    data_type: String,
    not_null: i64,
    default: Option<String>,
    pk: i64,
    hidden: i64,
}

#[derive(Deserialize)]
struct IndexKeyRow {
    table: String,
    index: String,
    unique: i64,
    origin: String,
    partial: i64,
    cid: i64,
    column: Option<String>,
    desc: i64,
    collation: Option<String>,
}

#[derive(Deserialize)]
struct ForeignKeyRow {
    table: String,
    id: i64,
    references: String,
    from: String,
    to: Option<String>,
    on_update: String,
    on_delete: String,
    #[serde(rename = "match")]
    match_kind: String,
}

fn build(
    objects: Vec<ObjectRow>,
    columns: Vec<ColumnRow>,
    index_keys: Vec<IndexKeyRow>,
    foreign_keys: Vec<ForeignKeyRow>,
    scope: &DescribeScope,
) -> Result<Schema, DbError> {
    let mut tables: BTreeMap<String, (Table, TableText)> = BTreeMap::new();
    for o in objects.iter().filter(|o| o.kind == "table") {
        if scope.excludes(None, &o.name, None) {
            continue;
        }
        let text = TableText::parse(&o.name, o.sql.as_deref().unwrap_or_default())?;
        let mut table = Table::new(QualifiedName::local(&o.name));
        if text.without_rowid {
            table.options.push(("without_rowid".into(), "true".into()));
        }
        if text.strict {
            table.options.push(("strict".into(), "true".into()));
        }
        tables.insert(o.name.clone(), (table, text));
    }

    let mut primary: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for c in columns {
        let Some((table, text)) = tables.get_mut(&c.table) else {
            continue;
        };
        let mut column = Column::new(&c.name, &c.data_type);
        column.nullable = c.not_null == 0;
        let parsed = text.columns.get(&c.name);
        column.collation = parsed.and_then(|p| p.collation.clone());
        if c.hidden == 2 || c.hidden == 3 {
            column.generated =
                parsed
                    .and_then(|p| p.generated.clone())
                    .map(|expression| Generated {
                        expression,
                        stored: c.hidden == 3,
                    });
        } else {
            column.default = c.default;
        }
        if parsed.is_some_and(|p| p.autoincrement) {
            column.identity = Some(Identity::AutoIncrement);
        }
        if c.pk > 0 {
            primary
                .entry(c.table.clone())
                .or_default()
                .push((c.pk, c.name.clone()));
        }
        table.columns.push(column);
    }
    for (name, mut keys) in primary {
        if let Some((table, text)) = tables.get_mut(&name) {
            keys.sort();
            table.primary_key = Some(PrimaryKey {
                name: text.primary_key_name.clone(),
                columns: keys.into_iter().map(|(_, c)| c).collect(),
            });
        }
    }

    let sql_of: HashMap<&str, &str> = objects
        .iter()
        .filter(|o| o.kind == "index")
        .filter_map(|o| Some((o.name.as_str(), o.sql.as_deref()?.trim_end())))
        .collect();
    let mut by_index: BTreeMap<(String, String), Vec<IndexKeyRow>> = BTreeMap::new();
    for key in index_keys {
        by_index
            .entry((key.table.clone(), key.index.clone()))
            .or_default()
            .push(key);
    }
    for ((table_name, index_name), keys) in by_index {
        let Some((table, text)) = tables.get_mut(&table_name) else {
            continue;
        };
        let first = &keys[0];
        let columns: Vec<String> = keys.iter().filter_map(|k| k.column.clone()).collect();
        match first.origin.as_str() {
            "pk" => {}
            "u" => table.uniques.push(Unique {
                name: text.unique_names.get(&columns).cloned().flatten(),
                columns,
                nulls_not_distinct: false,
                deferrable: Default::default(),
            }),
            _ => {
                let sql = sql_of.get(index_name.as_str()).copied().unwrap_or_default();
                table.indexes.push(index(&index_name, sql, &keys)?);
            }
        }
    }

    let mut by_key: BTreeMap<(String, i64), Vec<ForeignKeyRow>> = BTreeMap::new();
    for f in foreign_keys {
        by_key.entry((f.table.clone(), f.id)).or_default().push(f);
    }
    // pragma_foreign_key_list numbers keys from the last one declared.
    for ((table_name, _), rows) in by_key.into_iter().rev() {
        let Some((table, text)) = tables.get_mut(&table_name) else {
            continue;
        };
        let first = &rows[0];
        let columns: Vec<String> = rows.iter().map(|r| r.from.clone()).collect();
        let name = text
            .foreign_key_names
            .get(&(first.references.to_lowercase(), columns.clone()))
            .cloned()
            .flatten();
        table.foreign_keys.push(ForeignKey {
            name,
            columns,
            referenced_table: QualifiedName::local(&first.references),
            referenced_columns: rows.iter().filter_map(|r| r.to.clone()).collect(),
            on_delete: action(&first.on_delete),
            on_update: action(&first.on_update),
            match_kind: (first.match_kind != "NONE").then(|| first.match_kind.clone()),
            deferrable: Default::default(),
        });
    }

    for o in objects.iter().filter(|o| o.kind == "trigger") {
        if let Some((table, _)) = tables.get_mut(&o.table) {
            table.triggers.push(Trigger {
                name: o.name.clone(),
                definition: stored_text(&o.sql),
            });
        }
    }

    let relations: Vec<&str> = objects
        .iter()
        .filter(|o| o.kind == "table" || o.kind == "view")
        .map(|o| o.name.as_str())
        .collect();
    let views = objects
        .iter()
        .filter(|o| o.kind == "view")
        .map(|o| {
            let sql = stored_text(&o.sql);
            View {
                name: QualifiedName::local(&o.name),
                depends_on: crate::sql::words(crate::config::Dialect::Sqlite, &sql)
                    .into_iter()
                    .filter(|w| !w.eq_ignore_ascii_case(&o.name))
                    .filter_map(|w| relations.iter().find(|r| r.eq_ignore_ascii_case(&w)))
                    .map(|r| QualifiedName::local(*r))
                    .collect(),
                definition: sql,
                options: Vec::new(),
                comment: None,
            }
        })
        .collect();

    Ok(Schema {
        namespaces: Vec::new(),
        tables: tables
            .into_values()
            .map(|(mut table, text)| {
                table.checks = text.checks;
                table
            })
            .collect(),
        views,
        enums: Vec::new(),
        sequences: Vec::new(),
    }
    .canonical())
}

/// An index from its keys (pragma) and its stored `CREATE INDEX` text (for
/// expressions and the `WHERE` condition, which only the text holds).
fn index(name: &str, sql: &str, keys: &[IndexKeyRow]) -> Result<Index, DbError> {
    let parsed = match parse_one(sql) {
        Some(Statement::CreateIndex(create)) => Some(create),
        _ => None,
    };
    let mut parts = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let expression = parsed
            .as_ref()
            .and_then(|c| c.columns.get(i))
            .map(|c| c.column.expr.to_string());
        parts.push(IndexPart {
            key: match (&key.column, key.cid) {
                (Some(column), cid) if cid >= 0 || cid == -1 => IndexKey::Column(column.clone()),
                _ => IndexKey::Expression(expression.ok_or_else(|| unreadable(name, sql))?),
            },
            descending: key.desc != 0,
            nulls_first: None,
            collation: key
                .collation
                .clone()
                .filter(|c| !c.eq_ignore_ascii_case("BINARY")),
            opclass: None,
            prefix_length: None,
        });
    }
    let predicate = if keys[0].partial != 0 {
        Some(
            parsed
                .as_ref()
                .and_then(|c| c.predicate.as_ref())
                .map(|p| p.to_string())
                .ok_or_else(|| unreadable(name, sql))?,
        )
    } else {
        None
    };
    Ok(Index {
        name: name.to_string(),
        unique: keys[0].unique != 0,
        parts,
        method: None,
        predicate,
        include: Vec::new(),
        nulls_not_distinct: false,
        options: Vec::new(),
        definition: Some(sql.to_string()),
    })
}

/// What only a table's stored `CREATE TABLE` text says.
#[derive(Default)]
struct TableText {
    columns: HashMap<String, ColumnText>,
    primary_key_name: Option<String>,
    /// Constraint names of UNIQUE constraints, by their columns.
    unique_names: HashMap<Vec<String>, Option<String>>,
    /// Constraint names of foreign keys, by (referenced table in lower case, columns).
    foreign_key_names: HashMap<(String, Vec<String>), Option<String>>,
    checks: Vec<Check>,
    without_rowid: bool,
    strict: bool,
}

#[derive(Default)]
struct ColumnText {
    collation: Option<String>,
    generated: Option<String>,
    autoincrement: bool,
}

impl TableText {
    fn parse(table: &str, sql: &str) -> Result<TableText, DbError> {
        // sqlparser does not know STRICT: read the options after the column list
        // here and parse the rest.
        let close = sql.rfind(')').unwrap_or(sql.len());
        let options = sql[close.min(sql.len())..].to_ascii_uppercase();
        let mut text = TableText {
            without_rowid: options.contains("WITHOUT") && options.contains("ROWID"),
            strict: options
                .split(|c: char| !c.is_ascii_alphabetic())
                .any(|w| w == "STRICT"),
            ..TableText::default()
        };
        let body = &sql[..(close + 1).min(sql.len())];
        let Some(Statement::CreateTable(create)) = parse_one(body) else {
            return Err(unreadable(table, sql));
        };
        for column in &create.columns {
            let mut col = ColumnText::default();
            for option in &column.options {
                let constraint_name = option.name.as_ref().map(|n| n.value.clone());
                match &option.option {
                    ColumnOption::Collation(name) => col.collation = Some(name.to_string()),
                    ColumnOption::Generated {
                        generation_expr: Some(expr),
                        ..
                    } => col.generated = Some(expr.to_string()),
                    ColumnOption::DialectSpecific(tokens) => {
                        col.autoincrement |= tokens
                            .iter()
                            .any(|t| t.to_string().eq_ignore_ascii_case("AUTOINCREMENT"));
                    }
                    ColumnOption::PrimaryKey(pk) => {
                        text.primary_key_name =
                            constraint_name.or(pk.name.as_ref().map(|n| n.value.clone()));
                    }
                    ColumnOption::Unique(unique) => {
                        text.unique_names.insert(
                            vec![column.name.value.clone()],
                            constraint_name.or(unique.name.as_ref().map(|n| n.value.clone())),
                        );
                    }
                    ColumnOption::ForeignKey(fk) => {
                        text.foreign_key_names.insert(
                            (
                                last_part(&fk.foreign_table),
                                vec![column.name.value.clone()],
                            ),
                            constraint_name.or(fk.name.as_ref().map(|n| n.value.clone())),
                        );
                    }
                    ColumnOption::Check(check) => text.checks.push(Check {
                        name: constraint_name.or(check.name.as_ref().map(|n| n.value.clone())),
                        expression: check.expr.to_string(),
                    }),
                    _ => {}
                }
            }
            text.columns.insert(column.name.value.clone(), col);
        }
        for constraint in &create.constraints {
            match constraint {
                TableConstraint::PrimaryKey(pk) => {
                    text.primary_key_name = pk.name.as_ref().map(|n| n.value.clone());
                }
                TableConstraint::Unique(unique) => {
                    text.unique_names.insert(
                        unique.columns.iter().map(key_name).collect(),
                        unique.name.as_ref().map(|n| n.value.clone()),
                    );
                }
                TableConstraint::ForeignKey(fk) => {
                    text.foreign_key_names.insert(
                        (
                            last_part(&fk.foreign_table),
                            fk.columns.iter().map(|c| c.value.clone()).collect(),
                        ),
                        fk.name.as_ref().map(|n| n.value.clone()),
                    );
                }
                TableConstraint::Check(check) => text.checks.push(Check {
                    name: check.name.as_ref().map(|n| n.value.clone()),
                    expression: check.expr.to_string(),
                }),
                _ => {}
            }
        }
        Ok(text)
    }
}

/// A key of a UNIQUE or PRIMARY KEY clause as a column name (`"a b"` → `a b`).
fn key_name(column: &ast::IndexColumn) -> String {
    match &column.column.expr {
        ast::Expr::Identifier(ident) => ident.value.clone(),
        other => other.to_string(),
    }
}

/// The unqualified name of a referenced table, in lower case (SQLite compares
/// table names without regard to ASCII case).
fn last_part(name: &ast::ObjectName) -> String {
    name.0
        .last()
        .and_then(|p| p.as_ident())
        .map(|i| i.value.to_lowercase())
        .unwrap_or_default()
}

fn parse_one(sql: &str) -> Option<Statement> {
    Parser::parse_sql(&SQLiteDialect {}, sql)
        .ok()?
        .into_iter()
        .next()
}

fn unreadable(object: &str, sql: &str) -> DbError {
    DbError::new(
        DbErrorKind::Other,
        format!(
            "cannot read the definition of '{object}' stored in the database, so its schema \
             cannot be compared: {sql}"
        ),
    )
}

/// `pragma_foreign_key_list`'s action words.
fn action(word: &str) -> ReferentialAction {
    match word {
        "RESTRICT" => ReferentialAction::Restrict,
        "CASCADE" => ReferentialAction::Cascade,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}
