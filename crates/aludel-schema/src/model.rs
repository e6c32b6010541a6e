//! The schema of one database, as its catalog describes it: tables with their
//! columns, keys, indexes, constraints and triggers; views; PostgreSQL enum types
//! and sequences. Plain values, built by a dialect's describer (the catalog
//! queries live in `aludel::dialect`) and compared by [`crate::diff`].
//!
//! Owns the shape of a schema and its canonical order, nothing else: it runs no
//! query, parses no SQL and renders no DDL. Texts that the server normalises
//! (types, defaults, expressions, definitions) are kept exactly as the server
//! prints them, because both sides of a comparison are read from a server (the
//! target, and a shadow database loaded with the desired schema): equal text
//! means equal object. Every object keeps its name, implicit ones included
//! (`users_pkey`): a migration must leave exactly the names a fresh load gives.

/// A name in a database: `schema` is `None` for the connection's default schema
/// (PostgreSQL's `current_schema()`, the MySQL database itself, SQLite's `main`),
/// so the same project compares equal whatever the default schema is called.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    pub schema: Option<String>,
    pub name: String,
}

impl QualifiedName {
    /// A name in the default schema.
    pub fn local(name: impl Into<String>) -> Self {
        QualifiedName {
            schema: None,
            name: name.into(),
        }
    }

    pub fn in_schema(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualifiedName {
            schema: Some(schema.into()),
            name: name.into(),
        }
    }
}

impl std::fmt::Display for QualifiedName {
    /// `schema.name`, or `name` in the default schema; unquoted (for messages).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(schema) => write!(f, "{schema}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// Everything autogenerate compares in one database (after `include_schemas` and
/// `exclude_tables`; aludel's version and history tables are never part of it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// Schemas other than the default one that the project uses (PostgreSQL).
    pub namespaces: Vec<String>,
    pub tables: Vec<Table>,
    pub views: Vec<View>,
    /// PostgreSQL `CREATE TYPE … AS ENUM`.
    pub enums: Vec<EnumType>,
    /// Sequences that are not a column's identity (PostgreSQL; a `serial` column's
    /// sequence is here, owned by its column).
    pub sequences: Vec<Sequence>,
}

impl Schema {
    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.tables.iter().find(|t| &t.name == name)
    }

    pub fn view(&self, name: &QualifiedName) -> Option<&View> {
        self.views.iter().find(|v| &v.name == name)
    }

    pub fn enum_type(&self, name: &QualifiedName) -> Option<&EnumType> {
        self.enums.iter().find(|e| &e.name == name)
    }

    pub fn sequence(&self, name: &QualifiedName) -> Option<&Sequence> {
        self.sequences.iter().find(|s| &s.name == name)
    }

    /// The canonical order, so that two descriptions of the same schema are equal
    /// whatever order the catalog returned them in: everything by name, except
    /// what has an order of its own (columns, key columns, index parts, enum
    /// values), which is kept.
    pub fn canonical(mut self) -> Schema {
        self.namespaces.sort();
        self.namespaces.dedup();
        self.tables.sort_by(|a, b| a.name.cmp(&b.name));
        for table in &mut self.tables {
            table.sort();
        }
        self.views.sort_by(|a, b| a.name.cmp(&b.name));
        for view in &mut self.views {
            view.depends_on.sort();
            view.depends_on.dedup();
        }
        self.enums.sort_by(|a, b| a.name.cmp(&b.name));
        self.sequences.sort_by(|a, b| a.name.cmp(&b.name));
        self
    }
}

/// A table and everything that belongs to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: QualifiedName,
    /// In their order in the table (`ordinal_position`).
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    pub uniques: Vec<Unique>,
    /// Indexes that do not back a primary key or unique constraint.
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    pub checks: Vec<Check>,
    /// PostgreSQL `EXCLUDE` constraints.
    pub exclusions: Vec<Exclusion>,
    pub triggers: Vec<Trigger>,
    pub comment: Option<String>,
    /// Storage options, by name, as the dialect defines them: SQLite
    /// `without_rowid`, `strict`; MySQL/MariaDB `engine`, `charset`, `collation`,
    /// `row_format`. Sorted by name.
    pub options: Vec<(String, String)>,
}

impl Table {
    /// An empty table (no columns yet) called `name`.
    pub fn new(name: QualifiedName) -> Table {
        Table {
            name,
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
            exclusions: Vec::new(),
            triggers: Vec::new(),
            comment: None,
            options: Vec::new(),
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sorts what has no order of its own by name (unnamed constraints, possible
    /// on SQLite only, by their text).
    fn sort(&mut self) {
        self.uniques
            .sort_by(|a, b| (&a.name, &a.columns).cmp(&(&b.name, &b.columns)));
        self.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        self.foreign_keys
            .sort_by(|a, b| (&a.name, &a.columns).cmp(&(&b.name, &b.columns)));
        self.checks
            .sort_by(|a, b| (&a.name, &a.expression).cmp(&(&b.name, &b.expression)));
        self.exclusions.sort_by(|a, b| a.name.cmp(&b.name));
        self.triggers.sort_by(|a, b| a.name.cmp(&b.name));
        self.options.sort();
    }
}

/// A column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// The type as the server prints it: PostgreSQL `format_type()`
    /// (`character varying(20)`, `public.mood`, `integer[]`), MySQL `COLUMN_TYPE`
    /// (`int(11)`, `enum('a','b')`, `varchar(20)`), SQLite the declared type.
    pub data_type: String,
    pub nullable: bool,
    /// The default expression as the server prints it (PostgreSQL `pg_get_expr`,
    /// with its casts: `'a'::character varying`); `None` when there is none.
    pub default: Option<String>,
    pub identity: Option<Identity>,
    pub generated: Option<Generated>,
    /// Set only where it differs from what the column would get by default (the
    /// type's, or the table's on MySQL).
    pub collation: Option<String>,
    /// MySQL/MariaDB: set only where it differs from the table's.
    pub charset: Option<String>,
    pub comment: Option<String>,
    /// MySQL/MariaDB `ON UPDATE CURRENT_TIMESTAMP[(n)]`.
    pub on_update: Option<String>,
}

impl Column {
    /// A nullable column of `data_type` with nothing else set.
    pub fn new(name: impl Into<String>, data_type: impl Into<String>) -> Column {
        Column {
            name: name.into(),
            data_type: data_type.into(),
            nullable: true,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            charset: None,
            comment: None,
            on_update: None,
        }
    }
}

/// How a column numbers its rows by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// PostgreSQL `GENERATED ALWAYS AS IDENTITY`.
    Always(SequenceOptions),
    /// PostgreSQL `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault(SequenceOptions),
    /// MySQL/MariaDB `AUTO_INCREMENT`; SQLite `INTEGER PRIMARY KEY AUTOINCREMENT`.
    AutoIncrement,
}

/// A sequence's options, as the catalog reports them (defaults included, so that
/// equal sequences compare equal however they were written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceOptions {
    /// `smallint`, `integer` or `bigint`.
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub cache: i64,
    pub cycle: bool,
}

/// A generated (computed) column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub expression: String,
    /// `STORED` (PostgreSQL has only these); `false` for `VIRTUAL`.
    pub stored: bool,
}

/// When a constraint is checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Deferrable {
    #[default]
    No,
    InitiallyImmediate,
    InitiallyDeferred,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimaryKey {
    /// `None` only on SQLite, where a key can be unnamed.
    pub name: Option<String>,
    pub columns: Vec<String>,
}

/// A `UNIQUE` constraint (a unique index is an [`Index`] with `unique`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unique {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// PostgreSQL 15 `NULLS NOT DISTINCT`.
    pub nulls_not_distinct: bool,
    pub deferrable: Deferrable,
}

/// What a foreign key does when the referenced row changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReferentialAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub referenced_table: QualifiedName,
    pub referenced_columns: Vec<String>,
    pub on_delete: ReferentialAction,
    pub on_update: ReferentialAction,
    /// `MATCH FULL` (or `PARTIAL`); `None` for the default `MATCH SIMPLE`.
    pub match_kind: Option<String>,
    pub deferrable: Deferrable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: Option<String>,
    /// The condition without `CHECK`, as the server prints it.
    pub expression: String,
}

/// A PostgreSQL `EXCLUDE` constraint, compared and re-created by its definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    pub name: String,
    /// `pg_get_constraintdef()`: `EXCLUDE USING gist (…) …`.
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    pub parts: Vec<IndexPart>,
    /// The access method when it is not the default one: PostgreSQL `gin`,
    /// `gist`, `hash`, …; MySQL `FULLTEXT`, `SPATIAL`, `HASH`.
    pub method: Option<String>,
    /// A partial index's `WHERE` condition.
    pub predicate: Option<String>,
    /// PostgreSQL `INCLUDE (…)` columns.
    pub include: Vec<String>,
    /// PostgreSQL `NULLS NOT DISTINCT` (unique indexes).
    pub nulls_not_distinct: bool,
    /// Storage parameters as the server prints them (`fillfactor=70`).
    pub options: Vec<String>,
    /// The server's own text of the whole `CREATE INDEX` (PostgreSQL
    /// `pg_get_indexdef`, SQLite's stored SQL), where it has one: an index is
    /// re-created exactly so. Not compared (it names the table).
    pub definition: Option<String>,
}

/// One key of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexPart {
    pub key: IndexKey,
    pub descending: bool,
    /// `Some(true)` for `NULLS FIRST`, `Some(false)` for `NULLS LAST`, where that
    /// is not the default for the direction.
    pub nulls_first: Option<bool>,
    pub collation: Option<String>,
    /// A PostgreSQL operator class that is not the type's default.
    pub opclass: Option<String>,
    /// MySQL/MariaDB prefix length (`name(10)`).
    pub prefix_length: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexKey {
    Column(String),
    Expression(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub name: String,
    /// The server's text of the whole `CREATE TRIGGER` (PostgreSQL
    /// `pg_get_triggerdef`, MySQL's `SHOW CREATE TRIGGER`, SQLite's stored SQL).
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub name: QualifiedName,
    /// The query as the server prints it.
    pub definition: String,
    /// Tables and views it reads, for ordering (views on views) and for finding
    /// the views that block a change to a table.
    pub depends_on: Vec<QualifiedName>,
    /// `WITH [CASCADED | LOCAL] CHECK OPTION` and the like, as text.
    pub options: Vec<String>,
    pub comment: Option<String>,
}

/// A PostgreSQL enum type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    pub name: QualifiedName,
    /// In their sort order.
    pub values: Vec<String>,
}

/// A standalone PostgreSQL sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    pub name: QualifiedName,
    pub options: SequenceOptions,
    /// `OWNED BY table.column` (a `serial` column's sequence).
    pub owned_by: Option<(QualifiedName, String)>,
}
