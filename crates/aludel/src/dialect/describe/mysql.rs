//! MariaDB's (and MySQL's) catalog as a [`Schema`]: seven queries over
//! `information_schema` for the current database, sent in one round trip. Each
//! answers one row per object, `(kind, JSON object)`, rather than one JSON array:
//! MariaDB builds `JSON_ARRAYAGG` under `group_concat_max_len` (1 MB by default)
//! and would cut a large database's answer short. Order is restored from the
//! positions the rows carry, not from `ORDER BY` (the catalog sorts names without
//! regard to case, and table names are case-sensitive).
//!
//! Texts are the server's: `COLUMN_TYPE` (`int(11)`, `enum('a','b')`), defaults as
//! MariaDB prints them (`'abc'`, `5`, `current_timestamp()`, `(1 + 2)`; `None` for no
//! default, which MariaDB reports as the text `NULL`), generation and check
//! expressions (`` `score` * 2 ``), view definitions with the database's own name
//! taken out (`` `db`.`t` `` → `` `t` ``, as `SHOW CREATE VIEW` prints them), so two
//! databases with the same schema describe equal whatever they are called.
//!
//! A `UNIQUE` key is a constraint and an index at once: it is described as a
//! [`Unique`] (named as its index), unless a part of it needs an index's detail
//! (a prefix length, `DESC`, a method other than `BTREE`), then as a unique
//! [`Index`]. The index InnoDB adds for a foreign key that has none is an ordinary
//! index, named as the constraint. Triggers are written out from their parts
//! (`CREATE TRIGGER name BEFORE UPDATE ON table FOR EACH ROW …`, no `DEFINER`).
//!
//! Only MariaDB is tested; the queries avoid what MySQL 8 lacks (`CHECK_CONSTRAINTS`
//! has no `TABLE_NAME` there, `VIEWS` no `ALGORITHM`) and read its expression
//! indexes, and its unquoted literal defaults are quoted as MariaDB prints them.

use std::collections::{HashMap, HashSet};

use aludel_schema::model::{
    Check, Column, ForeignKey, Generated, Identity, Index, IndexKey, IndexPart, PrimaryKey,
    QualifiedName, ReferentialAction, Schema, Table, Trigger, Unique, View,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::{json_rows, DescribeScope};
use crate::config::Dialect;
use crate::dialect::{Connection, DbError, DbErrorKind, SqlDialect};
use crate::sql::{name_tokens, NameToken};

/// Reads the schema of the database `conn` is connected to (`DATABASE()`).
pub async fn describe(conn: &mut dyn Connection, scope: &DescribeScope) -> Result<Schema, DbError> {
    let sql = conn.sql();
    let first = conn.query_rows("SELECT DATABASE(), VERSION()").await?;
    let mut first = first.into_iter().next().unwrap_or_default().into_iter();
    let (Some(database), version) = (first.next().flatten(), first.next().flatten()) else {
        return Err(DbError::new(
            DbErrorKind::Other,
            "reading the database's schema: the connection has no database selected; \
             name one in the URL (mysql://user@host/DATABASE)",
        ));
    };
    let flavor = if version.unwrap_or_default().contains("MariaDB") {
        Flavor::MariaDb
    } else {
        Flavor::MySql
    };
    let rows = conn.query_rows(&queries(flavor).join(";\n")).await?;
    let mut answers: HashMap<String, Vec<String>> = HashMap::new();
    for row in rows {
        let mut row = row.into_iter();
        if let (Some(Some(kind)), Some(Some(object))) = (row.next(), row.next()) {
            answers.entry(kind).or_default().push(object);
        }
    }
    let mut take = |kind: &str| answers.remove(kind).unwrap_or_default();
    let catalog = Catalog {
        database,
        flavor,
        tables: objects("tables", take("table"))?,
        columns: objects("columns", take("column"))?,
        index_keys: objects("indexes", take("index"))?,
        foreign_keys: objects("foreign keys", take("foreign_key"))?,
        checks: objects("check constraints", take("check"))?,
        views: objects("views", take("view"))?,
        triggers: objects("triggers", take("trigger"))?,
    };
    Ok(catalog.into_schema(sql, scope))
}

/// Which server answers: their catalogs differ in a few columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    MariaDb,
    MySql,
}

/// The catalog queries, each answering rows of `(kind, JSON object)`.
fn queries(flavor: Flavor) -> Vec<String> {
    let (check_source, expression, algorithm) = match flavor {
        Flavor::MariaDb => (
            "information_schema.CHECK_CONSTRAINTS cc \
             WHERE cc.CONSTRAINT_SCHEMA = DATABASE()",
            "NULL",
            "v.ALGORITHM",
        ),
        Flavor::MySql => (
            "information_schema.CHECK_CONSTRAINTS cc \
             JOIN information_schema.TABLE_CONSTRAINTS tc \
               ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA \
              AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK' \
             WHERE cc.CONSTRAINT_SCHEMA = DATABASE()",
            "s.EXPRESSION",
            "NULL",
        ),
    };
    let check_table = match flavor {
        Flavor::MariaDb => "cc.TABLE_NAME",
        Flavor::MySql => "tc.TABLE_NAME",
    };
    vec![
        "SELECT 'table', JSON_OBJECT(\
           'name', t.TABLE_NAME, 'type', t.TABLE_TYPE, 'engine', t.ENGINE, \
           'collation', t.TABLE_COLLATION, 'charset', co.CHARACTER_SET_NAME, \
           'create_options', t.CREATE_OPTIONS, 'comment', t.TABLE_COMMENT) \
         FROM information_schema.TABLES t \
         LEFT JOIN information_schema.COLLATIONS co ON co.COLLATION_NAME = t.TABLE_COLLATION \
         WHERE t.TABLE_SCHEMA = DATABASE()"
            .to_string(),
        "SELECT 'column', JSON_OBJECT(\
           'table', c.TABLE_NAME, 'position', c.ORDINAL_POSITION, 'name', c.COLUMN_NAME, \
           'type', c.COLUMN_TYPE, 'nullable', c.IS_NULLABLE, 'default', c.COLUMN_DEFAULT, \
           'extra', c.EXTRA, 'generation', c.GENERATION_EXPRESSION, \
           'charset', c.CHARACTER_SET_NAME, 'collation', c.COLLATION_NAME, \
           'comment', c.COLUMN_COMMENT) \
         FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = DATABASE()"
            .to_string(),
        format!(
            "SELECT 'index', JSON_OBJECT(\
               'table', s.TABLE_NAME, 'name', s.INDEX_NAME, 'position', s.SEQ_IN_INDEX, \
               'column', s.COLUMN_NAME, 'expression', {expression}, \
               'non_unique', s.NON_UNIQUE, 'order', s.COLLATION, 'sub_part', s.SUB_PART, \
               'type', s.INDEX_TYPE) \
             FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = DATABASE()"
        ),
        "SELECT 'foreign_key', JSON_OBJECT(\
           'table', k.TABLE_NAME, 'name', k.CONSTRAINT_NAME, 'position', k.ORDINAL_POSITION, \
           'column', k.COLUMN_NAME, 'ref_schema', k.REFERENCED_TABLE_SCHEMA, \
           'ref_table', k.REFERENCED_TABLE_NAME, 'ref_column', k.REFERENCED_COLUMN_NAME, \
           'on_update', r.UPDATE_RULE, 'on_delete', r.DELETE_RULE) \
         FROM information_schema.KEY_COLUMN_USAGE k \
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME \
          AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
         WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL"
            .to_string(),
        format!(
            "SELECT 'check', JSON_OBJECT(\
               'table', {check_table}, 'name', cc.CONSTRAINT_NAME, \
               'clause', cc.CHECK_CLAUSE) \
             FROM {check_source}"
        ),
        format!(
            "SELECT 'view', JSON_OBJECT(\
               'name', v.TABLE_NAME, 'definition', v.VIEW_DEFINITION, \
               'check_option', v.CHECK_OPTION, 'security', v.SECURITY_TYPE, \
               'algorithm', {algorithm}) \
             FROM information_schema.VIEWS v WHERE v.TABLE_SCHEMA = DATABASE()"
        ),
        "SELECT 'trigger', JSON_OBJECT(\
           'table', g.EVENT_OBJECT_TABLE, 'name', g.TRIGGER_NAME, \
           'timing', g.ACTION_TIMING, 'event', g.EVENT_MANIPULATION, \
           'statement', g.ACTION_STATEMENT) \
         FROM information_schema.TRIGGERS g \
         WHERE g.TRIGGER_SCHEMA = DATABASE() AND g.EVENT_OBJECT_SCHEMA = DATABASE()"
            .to_string(),
    ]
}

/// The objects of one kind, each the text of one JSON object.
fn objects<T: DeserializeOwned>(what: &str, objects: Vec<String>) -> Result<Vec<T>, DbError> {
    json_rows(what, vec![vec![Some(format!("[{}]", objects.join(",")))]])
}

#[derive(Deserialize)]
struct TableRow {
    name: String,
    #[serde(rename = "type")]
    table_type: String,
    engine: Option<String>,
    collation: Option<String>,
    charset: Option<String>,
    create_options: Option<String>,
    comment: Option<String>,
}

#[derive(Deserialize)]
struct ColumnRow {
    table: String,
    position: u64,
    name: String,
    #[serde(rename = "type")]
    data_type: String,
    nullable: String,
    default: Option<String>,
    extra: String,
    generation: Option<String>,
    charset: Option<String>,
    collation: Option<String>,
    comment: String,
}

/// One key part of an index.
#[derive(Deserialize)]
struct IndexKeyRow {
    table: String,
    name: String,
    position: u64,
    column: Option<String>,
    expression: Option<String>,
    non_unique: i64,
    /// `A`, `D` (descending), or NULL (not ordered: `FULLTEXT`, `HASH`).
    order: Option<String>,
    sub_part: Option<u32>,
    #[serde(rename = "type")]
    index_type: String,
}

/// One column of a foreign key.
#[derive(Deserialize)]
struct ForeignKeyRow {
    table: String,
    name: String,
    position: u64,
    column: String,
    ref_schema: String,
    ref_table: String,
    ref_column: String,
    on_update: String,
    on_delete: String,
}

#[derive(Deserialize)]
struct CheckRow {
    table: String,
    name: String,
    clause: String,
}

#[derive(Deserialize)]
struct ViewRow {
    name: String,
    definition: String,
    check_option: String,
    security: String,
    algorithm: Option<String>,
}

#[derive(Deserialize)]
struct TriggerRow {
    table: String,
    name: String,
    timing: String,
    event: String,
    statement: String,
}

/// The answers of the catalog queries, before they become a [`Schema`].
struct Catalog {
    database: String,
    flavor: Flavor,
    tables: Vec<TableRow>,
    columns: Vec<ColumnRow>,
    index_keys: Vec<IndexKeyRow>,
    foreign_keys: Vec<ForeignKeyRow>,
    checks: Vec<CheckRow>,
    views: Vec<ViewRow>,
    triggers: Vec<TriggerRow>,
}

impl Catalog {
    fn into_schema(mut self, sql: &dyn SqlDialect, scope: &DescribeScope) -> Schema {
        let database = Some(self.database.as_str());
        let mut tables: Vec<Table> = Vec::new();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for row in &self.tables {
            let is_table = matches!(row.table_type.as_str(), "BASE TABLE" | "SYSTEM VERSIONED");
            if !is_table || scope.excludes(database, &row.name, database) {
                continue;
            }
            by_name.insert(row.name.clone(), tables.len());
            tables.push(table(row));
        }
        let table_at = |name: &str| by_name.get(name).copied();

        self.columns.sort_by_key(|c| c.position);
        for row in &self.columns {
            if let Some(t) = table_at(&row.table) {
                let defaults = (
                    tables[t].option("charset").map(str::to_string),
                    tables[t].option("collation").map(str::to_string),
                );
                tables[t]
                    .columns
                    .push(column(row, &defaults, self.flavor, sql));
            }
        }

        self.index_keys.sort_by_key(|k| k.position);
        for keys in grouped(&self.index_keys, |k| (&k.table, &k.name)) {
            if let Some(t) = table_at(&keys[0].table) {
                add_index(&mut tables[t], &keys);
            }
        }

        self.foreign_keys.sort_by_key(|k| k.position);
        for keys in grouped(&self.foreign_keys, |k| (&k.table, &k.name)) {
            if let Some(t) = table_at(&keys[0].table) {
                tables[t].foreign_keys.push(self.foreign_key(&keys));
            }
        }

        for row in &self.checks {
            if let Some(t) = table_at(&row.table) {
                tables[t].checks.push(Check {
                    name: Some(row.name.clone()),
                    expression: row.clause.clone(),
                });
            }
        }

        for row in &self.triggers {
            if let Some(t) = table_at(&row.table) {
                tables[t].triggers.push(Trigger {
                    name: row.name.clone(),
                    definition: format!(
                        "CREATE TRIGGER {} {} {} ON {} FOR EACH ROW {}",
                        sql.quote_ident(&row.name),
                        row.timing,
                        row.event,
                        sql.quote_ident(&row.table),
                        row.statement
                    ),
                });
            }
        }

        let relations: HashSet<&str> = self.tables.iter().map(|t| t.name.as_str()).collect();
        let views = self
            .views
            .iter()
            .map(|v| self.view(v, &relations))
            .collect();
        Schema {
            namespaces: Vec::new(),
            tables,
            views,
            enums: Vec::new(),
            sequences: Vec::new(),
        }
        .canonical()
    }

    /// The foreign key whose columns are `keys`, in their order.
    fn foreign_key(&self, keys: &[&ForeignKeyRow]) -> ForeignKey {
        let first = keys[0];
        ForeignKey {
            name: Some(first.name.clone()),
            columns: keys.iter().map(|k| k.column.clone()).collect(),
            referenced_table: self.name(&first.ref_schema, &first.ref_table),
            referenced_columns: keys.iter().map(|k| k.ref_column.clone()).collect(),
            on_delete: action(&first.on_delete),
            on_update: action(&first.on_update),
            match_kind: None,
            deferrable: Default::default(),
        }
    }

    fn view(&self, row: &ViewRow, relations: &HashSet<&str>) -> View {
        let (definition, names) = unqualify(&row.definition, &self.database);
        let mut options = Vec::new();
        if let Some(algorithm) = row.algorithm.as_deref().filter(|a| *a != "UNDEFINED") {
            options.push(format!("ALGORITHM={algorithm}"));
        }
        if row.security != "DEFINER" {
            options.push(format!("SQL SECURITY {}", row.security));
        }
        if row.check_option != "NONE" {
            options.push(format!("WITH {} CHECK OPTION", row.check_option));
        }
        View {
            name: QualifiedName::local(&row.name),
            definition,
            depends_on: names
                .into_iter()
                .filter(|n| relations.contains(n.as_str()))
                .map(QualifiedName::local)
                .collect(),
            options,
            comment: None,
        }
    }

    /// A table's name: local in this database, qualified in another.
    fn name(&self, schema: &str, name: &str) -> QualifiedName {
        if schema == self.database {
            QualifiedName::local(name)
        } else {
            QualifiedName::in_schema(schema, name)
        }
    }
}

/// The table itself, without its columns and keys: options `engine`, `charset`,
/// `collation`, and `row_format` where `CREATE TABLE` set one.
fn table(row: &TableRow) -> Table {
    let mut table = Table::new(QualifiedName::local(&row.name));
    table.comment = row.comment.clone().filter(|c| !c.is_empty());
    let options = [
        ("engine", row.engine.clone()),
        ("charset", row.charset.clone()),
        ("collation", row.collation.clone()),
        ("row_format", create_option(row, "row_format")),
    ];
    table.options = options
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_string(), v?)))
        .collect();
    table
}

/// The value of `key` in `CREATE_OPTIONS` (`row_format=DYNAMIC stats_persistent=0`).
fn create_option(row: &TableRow, key: &str) -> Option<String> {
    row.create_options
        .as_deref()?
        .split_whitespace()
        .filter_map(|o| o.split_once('='))
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.to_string())
}

/// A column; `table_defaults` are the table's character set and collation, which a
/// column only records where its own differ.
fn column(
    row: &ColumnRow,
    table_defaults: &(Option<String>, Option<String>),
    flavor: Flavor,
    sql: &dyn SqlDialect,
) -> Column {
    let mut column = Column::new(&row.name, &row.data_type);
    column.nullable = row.nullable == "YES";
    let extra = row.extra.to_ascii_lowercase();
    if extra.contains("generated") && !extra.contains("default_generated") {
        column.generated = row.generation.clone().map(|expression| Generated {
            expression,
            stored: extra.contains("stored"),
        });
    } else {
        column.default = default(row, &extra, flavor, sql);
    }
    if extra.contains("auto_increment") {
        column.identity = Some(Identity::AutoIncrement);
    }
    column.on_update = extra
        .find("on update ")
        .map(|at| row.extra[at + "on update ".len()..].trim().to_string());
    column.charset = row
        .charset
        .clone()
        .filter(|c| Some(c) != table_defaults.0.as_ref());
    column.collation = row
        .collation
        .clone()
        .filter(|c| Some(c) != table_defaults.1.as_ref());
    column.comment = Some(row.comment.clone()).filter(|c| !c.is_empty());
    column
}

/// The default as MariaDB prints it, `None` for none: MariaDB reports a nullable
/// column without a default as the text `NULL` (a string default is quoted, so
/// `'NULL'` stays). MySQL prints literals unquoted and marks expressions
/// `DEFAULT_GENERATED`; its literals are quoted here, as MariaDB prints them.
fn default(row: &ColumnRow, extra: &str, flavor: Flavor, sql: &dyn SqlDialect) -> Option<String> {
    let text = row.default.as_deref()?;
    match flavor {
        Flavor::MariaDb => (text != "NULL").then(|| text.to_string()),
        Flavor::MySql if extra.contains("default_generated") => Some(text.to_string()),
        Flavor::MySql => Some(sql.string_literal(text)),
    }
}

/// Adds the index whose key parts are `keys` (in order) to `table`: as its primary
/// key, a unique constraint, or an index (see the module documentation).
fn add_index(table: &mut Table, keys: &[&IndexKeyRow]) {
    let first = keys[0];
    let name = first.name.clone();
    let method = (first.index_type != "BTREE").then(|| first.index_type.clone());
    let spatial = first.index_type == "SPATIAL";
    let parts: Vec<IndexPart> = keys
        .iter()
        .map(|k| IndexPart {
            key: match (&k.column, &k.expression) {
                (Some(column), _) => IndexKey::Column(column.clone()),
                (None, expression) => IndexKey::Expression(expression.clone().unwrap_or_default()),
            },
            descending: k.order.as_deref() == Some("D"),
            nulls_first: None,
            collation: None,
            opclass: None,
            // The server gives spatial keys a length of its own, which it refuses
            // to be given back.
            prefix_length: k.sub_part.filter(|_| !spatial),
        })
        .collect();
    let unique = first.non_unique == 0;
    let plain_columns: Option<Vec<String>> = parts
        .iter()
        .map(|p| match &p.key {
            IndexKey::Column(c) if !p.descending && p.prefix_length.is_none() => Some(c.clone()),
            _ => None,
        })
        .collect();
    match plain_columns {
        Some(columns) if name == "PRIMARY" => {
            table.primary_key = Some(PrimaryKey {
                name: Some(name),
                columns,
            });
        }
        Some(columns) if unique && method.is_none() => table.uniques.push(Unique {
            name: Some(name),
            columns,
            nulls_not_distinct: false,
            deferrable: Default::default(),
        }),
        _ => table.indexes.push(Index {
            name,
            unique,
            parts,
            method,
            predicate: None,
            include: Vec::new(),
            nulls_not_distinct: false,
            options: Vec::new(),
            definition: None,
        }),
    }
}

/// `rows` in groups of equal `key`, each group in the order of `rows`, the groups
/// in the order their first row appears.
fn grouped<'a, T, K: Eq + std::hash::Hash>(
    rows: &'a [T],
    key: impl Fn(&'a T) -> K,
) -> Vec<Vec<&'a T>> {
    let mut groups: Vec<Vec<&T>> = Vec::new();
    let mut at: HashMap<K, usize> = HashMap::new();
    for row in rows {
        let i = *at.entry(key(row)).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[i].push(row);
    }
    groups
}

/// `REFERENTIAL_CONSTRAINTS.UPDATE_RULE` / `DELETE_RULE`. MariaDB reports an
/// action left unsaid as `RESTRICT`.
fn action(rule: &str) -> ReferentialAction {
    match rule {
        "RESTRICT" => ReferentialAction::Restrict,
        "CASCADE" => ReferentialAction::Cascade,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

/// A view definition without `database`'s name where it qualifies a name
/// (`` `db`.`orders`.`id` `` → `` `orders`.`id` ``), and the names it qualified so:
/// the server writes every table and view a view reads that way. (A table named
/// as its own database, written `` `db`.`column` ``, would lose its name too.)
fn unqualify(definition: &str, database: &str) -> (String, Vec<String>) {
    let tokens = name_tokens(Dialect::MySql, definition);
    let mut text = String::with_capacity(definition.len());
    let mut names = Vec::new();
    let mut copied = 0;
    let mut i = 0;
    while i + 2 < tokens.len() {
        match (&tokens[i], &tokens[i + 1].0, &tokens[i + 2].0) {
            ((NameToken::Name(db), range), NameToken::Period, NameToken::Name(name))
                if db == database =>
            {
                text.push_str(&definition[copied..range.start]);
                copied = tokens[i + 1].1.end;
                names.push(name.clone());
                i += 3;
            }
            _ => i += 1,
        }
    }
    text.push_str(&definition[copied..]);
    (text, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unqualify_drops_the_database_and_names_the_relations() {
        let (text, names) = unqualify(
            "select `d`.`t`.`id` AS `id` from `d`.`t` join `d`.`d` on `x`.`d` = 'd'.`d` \
             where `e`.`u`.`a` = 1",
            "d",
        );
        assert_eq!(
            text,
            "select `t`.`id` AS `id` from `t` join `d` on `x`.`d` = 'd'.`d` \
             where `e`.`u`.`a` = 1"
        );
        assert_eq!(names, ["t", "t", "d"]);
    }

    #[test]
    fn create_options_give_the_row_format_only() {
        let row = TableRow {
            name: "t".into(),
            table_type: "BASE TABLE".into(),
            engine: Some("InnoDB".into()),
            collation: Some("utf8mb4_bin".into()),
            charset: Some("utf8mb4".into()),
            create_options: Some("stats_persistent=0 row_format=COMPRESSED".into()),
            comment: Some(String::new()),
        };
        let table = table(&row);
        assert_eq!(table.option("row_format"), Some("COMPRESSED"));
        assert_eq!(table.option("stats_persistent"), None);
        assert_eq!(table.comment, None);
    }
}
