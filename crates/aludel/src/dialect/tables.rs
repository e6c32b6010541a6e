//! The SQL of aludel's two tables, shared by every dialect: the version table in
//! Alembic's exact shape (ALEMBIC.md §5.4: the same DDL layout, the same INSERT,
//! UPDATE and DELETE texts) and the history table `aludel_history` (one row per step).
//!
//! Values are written as literals, as Alembic does, so an offline script is exactly
//! what an online run executes. Pure.

use chrono::{DateTime, Utc};

use super::SqlDialect;
use crate::revision::VersionChange;

/// Name of the history table (in the version table's schema).
pub const HISTORY_TABLE: &str = "aludel_history";

/// A table, optionally in a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRef {
    pub schema: Option<String>,
    pub name: String,
}

impl TableRef {
    pub fn new(schema: Option<&str>, name: &str) -> Self {
        TableRef {
            schema: schema.map(str::to_string),
            name: name.to_string(),
        }
    }

    /// The history table that goes with a version table.
    pub fn history_for(version_table: &TableRef) -> TableRef {
        TableRef {
            schema: version_table.schema.clone(),
            name: HISTORY_TABLE.to_string(),
        }
    }

    /// `schema.name`, each part quoted where needed.
    pub fn qualified(&self, sql: &dyn SqlDialect) -> String {
        match &self.schema {
            Some(s) => format!("{}.{}", sql.quote_ident(s), sql.quote_ident(&self.name)),
            None => sql.quote_ident(&self.name),
        }
    }
}

/// Quotes `ident` with `quote` unless it is a plain lower-case identifier that is
/// not one of the database's `reserved` words (lower-case, sorted: see
/// `keywords`). This is SQLAlchemy's rule, so names print as Alembic prints them:
/// `alembic_version` bare, `"select"`, `"Versions"`, `"versión"` quoted.
pub(crate) fn quote_if_needed(ident: &str, quote: char, reserved: &[&str]) -> String {
    let plain = ident
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && ident
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain && !super::keywords::is_reserved(reserved, ident) {
        ident.to_string()
    } else {
        let doubled = ident.replace(quote, &format!("{quote}{quote}"));
        format!("{quote}{doubled}{quote}")
    }
}

/// The suffix of the version table's primary-key constraint (`<table>_pkc`, as
/// Alembic names it).
pub const PRIMARY_KEY_SUFFIX: &str = "_pkc";

/// How long a name may be on a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameLimit {
    /// PostgreSQL: `NAMEDATALEN - 1` bytes of UTF-8.
    Bytes(usize),
    /// MySQL/MariaDB: characters.
    Chars(usize),
}

impl NameLimit {
    fn max(self) -> usize {
        match self {
            NameLimit::Bytes(n) | NameLimit::Chars(n) => n,
        }
    }
    fn length(self, name: &str) -> usize {
        match self {
            NameLimit::Bytes(_) => name.len(),
            NameLimit::Chars(_) => name.chars().count(),
        }
    }
    fn unit(self) -> &'static str {
        match self {
            NameLimit::Bytes(_) => "bytes",
            NameLimit::Chars(_) => "characters",
        }
    }
}

/// Why a configured table or schema name cannot be used on a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRefusal {
    /// `version_table` or `version_table_schema`.
    pub key: &'static str,
    pub reason: String,
    pub hint: String,
}

/// Checks the names of aludel's tables before anything touches a database (online
/// and `--sql` alike), so that a name the database would refuse, truncate or confuse
/// with another table fails with the setting named instead of half-way through:
///
/// - the version table may not be called `aludel_history` (in any case: SQLite and
///   some MySQL servers compare table names case-insensitively), the history table
///   that lives next to it;
/// - no name may hold a NUL character;
/// - a name must fit the database's limit ([`SqlDialect::name_limit`]); the version
///   table's name must leave room for the `_pkc` of its primary key, which
///   PostgreSQL would otherwise truncate (at 63 bytes, onto the table's own name).
///   Over-long names are refused rather than shortened: a shortened name would no
///   longer be the one configured, nor the one Alembic uses (SQLAlchemy refuses an
///   over-long constraint name too);
/// - the dialect's own rules ([`SqlDialect::refuse_table_name`]).
pub fn check_table_names(sql: &dyn SqlDialect, version: &TableRef) -> Result<(), NameRefusal> {
    let table = version.name.as_str();
    if table.eq_ignore_ascii_case(HISTORY_TABLE) {
        return Err(NameRefusal {
            key: "version_table",
            reason: format!(
                "'{table}' is the name of aludel's history table, which aludel creates next to the version table"
            ),
            hint: "choose another version_table, such as \"aludel_version\"".to_string(),
        });
    }
    let names = version
        .schema
        .as_deref()
        .map(|s| ("version_table_schema", s))
        .into_iter()
        .chain([("version_table", table)]);
    for (key, name) in names {
        if name.contains('\0') {
            return Err(NameRefusal {
                key,
                reason: format!(
                    "'{}' contains a NUL character, which no database accepts in a name",
                    name.escape_default()
                ),
                hint: format!("remove the NUL character from {key}"),
            });
        }
        if let Some(limit) = sql.name_limit() {
            let (max, unit, len) = (limit.max(), limit.unit(), limit.length(name));
            let db = sql.database_name();
            if key == "version_table" && len + PRIMARY_KEY_SUFFIX.len() > max {
                let allowed = max - PRIMARY_KEY_SUFFIX.len();
                return Err(NameRefusal {
                    key,
                    reason: format!(
                        "'{name}' is {len} {unit} long; {db} allows {max} {unit} in a name, and aludel \
                         also names the table's primary key '{name}{PRIMARY_KEY_SUFFIX}', so the \
                         version table's name may have at most {allowed} {unit}"
                    ),
                    hint: format!("choose a version_table of at most {allowed} {unit}"),
                });
            }
            if len > max {
                return Err(NameRefusal {
                    key,
                    reason: format!(
                        "'{name}' is {len} {unit} long; {db} allows at most {max} {unit} in a name"
                    ),
                    hint: format!("choose a {key} of at most {max} {unit}"),
                });
            }
        }
        if key == "version_table" {
            if let Some((reason, hint)) = sql.refuse_table_name(name) {
                return Err(NameRefusal { key, reason, hint });
            }
        }
    }
    Ok(())
}

/// `CREATE TABLE` of the version table, laid out as Alembic prints it (including
/// the space after `NOT NULL,`), without terminator.
pub fn create_version_table(sql: &dyn SqlDialect, table: &TableRef) -> String {
    let pk = sql.quote_ident(&format!("{}{PRIMARY_KEY_SUFFIX}", table.name));
    format!(
        "CREATE TABLE {} (\n    version_num {} NOT NULL, \n    CONSTRAINT {pk} PRIMARY KEY (version_num)\n)",
        table.qualified(sql),
        sql.version_column_type()
    )
}

/// The statement of one version-table change, in Alembic's text.
pub fn version_change_sql(
    sql: &dyn SqlDialect,
    table: &TableRef,
    change: &VersionChange,
) -> String {
    let t = table.qualified(sql);
    match change {
        VersionChange::Insert { version } => format!(
            "INSERT INTO {t} (version_num) VALUES ({})",
            sql.string_literal(version)
        ),
        VersionChange::Update { from, to } => format!(
            "UPDATE {t} SET version_num={} WHERE {t}.version_num = {}",
            sql.string_literal(to),
            sql.string_literal(from)
        ),
        VersionChange::Delete { version } => format!(
            "DELETE FROM {t} WHERE {t}.version_num = {}",
            sql.string_literal(version)
        ),
    }
}

/// `SELECT version_num FROM …`.
pub fn select_versions(sql: &dyn SqlDialect, table: &TableRef) -> String {
    format!("SELECT version_num FROM {}", table.qualified(sql))
}

/// The width a `character_maximum_length` query returned (its first value).
pub(crate) fn width(column: Vec<Option<String>>) -> Option<usize> {
    column
        .into_iter()
        .flatten()
        .next()
        .and_then(|w| w.trim().parse().ok())
}

/// Column types of the history table, per dialect.
pub struct HistoryTypes {
    pub id: &'static str,
    pub timestamp: &'static str,
    pub boolean: &'static str,
    pub text: &'static str,
}

/// `CREATE TABLE aludel_history (…)` with the dialect's column types.
pub fn create_history_table(sql: &dyn SqlDialect, table: &TableRef) -> String {
    let types = sql.history_types();
    format!(
        "CREATE TABLE {table} (\n    \
            id {id}, \n    \
            run_id VARCHAR(36) NOT NULL, \n    \
            revision VARCHAR(255) NOT NULL, \n    \
            direction VARCHAR(16) NOT NULL, \n    \
            from_revisions {text} NOT NULL, \n    \
            to_revisions {text} NOT NULL, \n    \
            checksum VARCHAR(64), \n    \
            statements_total INTEGER NOT NULL, \n    \
            statements_done INTEGER NOT NULL, \n    \
            progress_checksum VARCHAR(64), \n    \
            started_at {ts} NOT NULL, \n    \
            finished_at {ts}, \n    \
            duration_ms BIGINT, \n    \
            success {boolean}, \n    \
            error {text}, \n    \
            db_user VARCHAR(255), \n    \
            client_host VARCHAR(255), \n    \
            aludel_version VARCHAR(32) NOT NULL, \n    \
            statement_started INTEGER, \n    \
            note {text}\n)",
        table = table.qualified(sql),
        id = types.id,
        text = types.text,
        ts = types.timestamp,
        boolean = types.boolean,
    )
}

/// Columns added to the history table after its first release: `(name, type)` with
/// the type as `create_history_table` writes it (`{text}` stands for the dialect's
/// text type). A table created by an older aludel gets them with `ALTER TABLE`.
pub(crate) const ADDED_HISTORY_COLUMNS: &[(&str, &str)] =
    &[("statement_started", "INTEGER"), ("note", "{text}")];

/// `ALTER TABLE … ADD COLUMN` for each of [`ADDED_HISTORY_COLUMNS`] missing from
/// `existing` (the table's column names, any case): what brings a history table
/// created by an older aludel to today's layout.
pub fn add_missing_history_columns(
    sql: &dyn SqlDialect,
    table: &TableRef,
    existing: &[String],
) -> Vec<String> {
    let types = sql.history_types();
    ADDED_HISTORY_COLUMNS
        .iter()
        .filter(|(name, _)| !existing.iter().any(|e| e.eq_ignore_ascii_case(name)))
        .map(|(name, ty)| {
            format!(
                "ALTER TABLE {} ADD COLUMN {name} {}",
                table.qualified(sql),
                ty.replace("{text}", types.text)
            )
        })
        .collect()
}

/// Where a step that runs statement by statement stands: how many of its statements
/// are known to have run, their checksum, and the statement (1-based) that was sent
/// to the database without its completion being recorded yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub checksum: Option<String>,
    /// Set just before a statement that cannot commit together with its progress
    /// record runs (DDL on MySQL, anything in a `transaction=false` section but row
    /// changes); cleared when its completion is recorded.
    pub started: Option<usize>,
}

/// One row of the history table, as aludel writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRecord {
    /// Identifies the row for later updates (a UUID).
    pub run_id: String,
    /// The revision run; for a stamp, the target rows joined with `,`.
    pub revision: String,
    /// `upgrade`, `downgrade` or `stamp`.
    pub direction: String,
    pub from_revisions: Vec<String>,
    pub to_revisions: Vec<String>,
    /// SHA-256 (hex) of the executed section; `None` for a stamp.
    pub checksum: Option<String>,
    pub statements_total: usize,
    pub started_at: DateTime<Utc>,
    pub db_user: Option<String>,
    pub client_host: Option<String>,
    /// How this run continued an interrupted one (`--resume`), if it did.
    pub note: Option<String>,
}

fn timestamp_literal(sql: &dyn SqlDialect, t: &DateTime<Utc>) -> String {
    sql.string_literal(&t.format("%Y-%m-%d %H:%M:%S%.6f").to_string())
}

fn opt_literal(sql: &dyn SqlDialect, v: Option<&str>) -> String {
    v.map_or_else(|| "NULL".to_string(), |s| sql.string_literal(s))
}

impl HistoryRecord {
    /// The INSERT of a step that has not finished yet (`success` NULL), starting
    /// from `progress` (a resumed run carries the earlier run's progress on, so a
    /// second interruption does not lose it).
    pub fn insert_started(
        &self,
        sql: &dyn SqlDialect,
        table: &TableRef,
        progress: &Progress,
    ) -> String {
        self.insert(sql, table, Err(progress))
    }

    /// The INSERT of a step that finished (or failed) in one go.
    pub fn insert_finished(
        &self,
        sql: &dyn SqlDialect,
        table: &TableRef,
        outcome: &Outcome,
    ) -> String {
        self.insert(sql, table, Ok(outcome))
    }

    /// The INSERT of a finished step (`Ok`) or of one that starts (`Err`: its
    /// progress so far).
    fn insert(
        &self,
        sql: &dyn SqlDialect,
        table: &TableRef,
        state: Result<&Outcome, &Progress>,
    ) -> String {
        let outcome = state.ok();
        let (done, progress, started) = match state {
            Ok(o) => (o.statements_done, o.progress_checksum.as_deref(), None),
            Err(p) => (p.done, p.checksum.as_deref(), p.started),
        };
        let finished = outcome.map_or("NULL".to_string(), |o| {
            timestamp_literal(sql, &o.finished_at)
        });
        let duration = outcome.map_or("NULL".to_string(), |o| o.duration_ms.to_string());
        let success = outcome.map_or("NULL", |o| sql.bool_literal(o.error.is_none()));
        let error = opt_literal(sql, outcome.and_then(|o| o.error.as_deref()));
        let progress = opt_literal(sql, progress);
        let started = started.map_or("NULL".to_string(), |n| n.to_string());
        let note = opt_literal(sql, self.note.as_deref());
        format!(
            "INSERT INTO {} (run_id, revision, direction, from_revisions, to_revisions, checksum, \
             statements_total, statements_done, progress_checksum, started_at, finished_at, \
             duration_ms, success, error, db_user, client_host, aludel_version, \
             statement_started, note) VALUES \
             ({}, {}, {}, {}, {}, {}, {}, {done}, {progress}, {}, {finished}, {duration}, {success}, \
             {error}, {}, {}, {}, {started}, {note})",
            table.qualified(sql),
            sql.string_literal(&self.run_id),
            sql.string_literal(&self.revision),
            sql.string_literal(&self.direction),
            sql.string_literal(&self.from_revisions.join(",")),
            sql.string_literal(&self.to_revisions.join(",")),
            opt_literal(sql, self.checksum.as_deref()),
            self.statements_total,
            timestamp_literal(sql, &self.started_at),
            opt_literal(sql, self.db_user.as_deref()),
            opt_literal(sql, self.client_host.as_deref()),
            sql.string_literal(env!("CARGO_PKG_VERSION")),
        )
    }

    /// Records where the step stands now.
    pub fn update_progress(
        &self,
        sql: &dyn SqlDialect,
        table: &TableRef,
        progress: &Progress,
    ) -> String {
        format!(
            "UPDATE {} SET statements_done = {}, progress_checksum = {}, statement_started = {} \
             WHERE run_id = {}",
            table.qualified(sql),
            progress.done,
            opt_literal(sql, progress.checksum.as_deref()),
            progress
                .started
                .map_or("NULL".to_string(), |n| n.to_string()),
            sql.string_literal(&self.run_id)
        )
    }

    /// Records how a step that was inserted as started ended.
    pub fn update_finished(
        &self,
        sql: &dyn SqlDialect,
        table: &TableRef,
        outcome: &Outcome,
    ) -> String {
        format!(
            "UPDATE {} SET statements_done = {}, progress_checksum = {}, finished_at = {}, \
             duration_ms = {}, success = {}, error = {}, statement_started = NULL \
             WHERE run_id = {}",
            table.qualified(sql),
            outcome.statements_done,
            opt_literal(sql, outcome.progress_checksum.as_deref()),
            timestamp_literal(sql, &outcome.finished_at),
            outcome.duration_ms,
            sql.bool_literal(outcome.error.is_none()),
            opt_literal(sql, outcome.error.as_deref()),
            sql.string_literal(&self.run_id)
        )
    }
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub statements_done: usize,
    pub progress_checksum: Option<String>,
    pub finished_at: DateTime<Utc>,
    pub duration_ms: u64,
    /// `None` for success.
    pub error: Option<String>,
}

/// A row of the history table as read back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoryRow {
    pub revision: String,
    pub direction: String,
    pub from_revisions: String,
    pub to_revisions: String,
    pub checksum: Option<String>,
    pub statements_total: u64,
    pub statements_done: u64,
    pub progress_checksum: Option<String>,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub duration_ms: Option<u64>,
    /// `None`: the step never finished (interrupted, or still running).
    pub success: Option<bool>,
    pub error: Option<String>,
    pub db_user: Option<String>,
    pub client_host: Option<String>,
    pub aludel_version: String,
    /// The statement (1-based) sent to the database without its completion being
    /// recorded: it may or may not have taken effect.
    pub statement_started: Option<u64>,
    /// How the run continued an interrupted one, if it did.
    pub note: Option<String>,
}

/// Columns read by [`select_history`], in [`HistoryRow`] order.
const HISTORY_COLUMNS: &[&str] = &[
    "revision",
    "direction",
    "from_revisions",
    "to_revisions",
    "checksum",
    "statements_total",
    "statements_done",
    "progress_checksum",
    "started_at",
    "finished_at",
    "duration_ms",
    "success",
    "error",
    "db_user",
    "client_host",
    "aludel_version",
    "statement_started",
    "note",
];

/// The columns [`HistoryRow::from_text`] reads, each qualified with `alias`; one
/// that a table of an older aludel lacks (not in `existing`) is read as NULL.
fn history_columns(existing: &[String], alias: &str) -> String {
    let columns: Vec<String> = HISTORY_COLUMNS
        .iter()
        .map(|&c| {
            if existing.iter().any(|e| e.eq_ignore_ascii_case(c)) {
                format!("{alias}.{c}")
            } else {
                "NULL".to_string()
            }
        })
        .collect();
    columns.join(", ")
}

/// Every history row, oldest first; with `revision`, only that revision's rows.
/// `existing` are the table's columns.
pub fn select_history(
    sql: &dyn SqlDialect,
    table: &TableRef,
    revision: Option<&str>,
    existing: &[String],
) -> String {
    let filter = revision
        .map(|r| format!(" WHERE h.revision = {}", sql.string_literal(r)))
        .unwrap_or_default();
    format!(
        "SELECT {} FROM {} h{filter} ORDER BY h.id",
        history_columns(existing, "h"),
        table.qualified(sql)
    )
}

/// The rows of steps that did not succeed (failed, or never finished) and that no
/// later row of the same revision follows, oldest first.
pub fn select_unfinished(sql: &dyn SqlDialect, table: &TableRef, existing: &[String]) -> String {
    let t = table.qualified(sql);
    format!(
        "SELECT {} FROM {t} h WHERE (h.success IS NULL OR h.success = {}) \
         AND NOT EXISTS (SELECT 1 FROM {t} later WHERE later.revision = h.revision AND later.id > h.id) \
         ORDER BY h.id",
        history_columns(existing, "h"),
        sql.bool_literal(false)
    )
}

impl HistoryRow {
    /// Reads a row of [`select_history`] (every value as text).
    pub fn from_text(values: &[Option<String>]) -> Option<HistoryRow> {
        let text = |i: usize| values.get(i).cloned().flatten();
        let num = |i: usize| text(i).and_then(|v| v.trim().parse::<u64>().ok());
        let boolean = |i: usize| {
            text(i).map(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "t" | "true"))
        };
        Some(HistoryRow {
            revision: text(0)?,
            direction: text(1)?,
            from_revisions: text(2).unwrap_or_default(),
            to_revisions: text(3).unwrap_or_default(),
            checksum: text(4),
            statements_total: num(5).unwrap_or(0),
            statements_done: num(6).unwrap_or(0),
            progress_checksum: text(7),
            started_at: text(8).unwrap_or_default(),
            finished_at: text(9),
            duration_ms: num(10),
            success: boolean(11),
            error: text(12),
            db_user: text(13),
            client_host: text(14),
            aludel_version: text(15).unwrap_or_default(),
            statement_started: num(16),
            note: text(17),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Dialect;
    use crate::dialect::sql_dialect;

    const ALL: [Dialect; 3] = [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite];

    fn check(dialect: Dialect, schema: Option<&str>, name: &str) -> Result<(), NameRefusal> {
        check_table_names(sql_dialect(dialect), &TableRef::new(schema, name))
    }

    #[test]
    fn plain_lower_case_names_stay_bare_as_alembic_prints_them() {
        for d in ALL {
            let sql = sql_dialect(d);
            assert_eq!(sql.quote_ident("alembic_version"), "alembic_version");
            assert_eq!(sql.quote_ident("_v2"), "_v2");
        }
    }

    #[test]
    fn reserved_words_are_quoted_per_database() {
        let (pg, my, lite) = (
            sql_dialect(Dialect::Postgres),
            sql_dialect(Dialect::MySql),
            sql_dialect(Dialect::Sqlite),
        );
        for word in ["select", "order"] {
            assert_eq!(pg.quote_ident(word), format!("\"{word}\""));
            assert_eq!(my.quote_ident(word), format!("`{word}`"));
            assert_eq!(lite.quote_ident(word), format!("\"{word}\""));
        }
        // `user` is reserved on PostgreSQL only; `temp` is an SQLite keyword only.
        assert_eq!(pg.quote_ident("user"), "\"user\"");
        assert_eq!(my.quote_ident("user"), "user");
        assert_eq!(lite.quote_ident("user"), "user");
        assert_eq!(lite.quote_ident("temp"), "\"temp\"");
        assert_eq!(pg.quote_ident("temp"), "temp");
    }

    #[test]
    fn other_names_are_quoted_with_quotes_doubled() {
        let (pg, my) = (sql_dialect(Dialect::Postgres), sql_dialect(Dialect::MySql));
        assert_eq!(pg.quote_ident("Versions"), "\"Versions\"");
        assert_eq!(pg.quote_ident("versión"), "\"versión\"");
        assert_eq!(pg.quote_ident("1st"), "\"1st\"");
        assert_eq!(pg.quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(my.quote_ident("a`b"), "`a``b`");
    }

    #[test]
    fn the_version_table_ddl_quotes_a_reserved_name_and_its_primary_key_stays_bare() {
        let sql = sql_dialect(Dialect::Postgres);
        assert_eq!(
            create_version_table(sql, &TableRef::new(Some("user"), "select")),
            "CREATE TABLE \"user\".\"select\" (\n    version_num VARCHAR(255) NOT NULL, \n    \
             CONSTRAINT select_pkc PRIMARY KEY (version_num)\n)"
        );
    }

    #[test]
    fn the_version_column_holds_the_longest_revision_id() {
        for d in ALL {
            assert_eq!(
                sql_dialect(d).version_column_type(),
                format!("VARCHAR({})", crate::script::MAX_REVISION_ID_LEN)
            );
        }
    }

    #[test]
    fn the_history_table_name_is_refused_in_any_case() {
        for d in ALL {
            for name in ["aludel_history", "ALUDEL_HISTORY"] {
                let e = check(d, None, name).unwrap_err();
                assert_eq!(e.key, "version_table");
                assert_eq!(
                    e.reason,
                    format!("'{name}' is the name of aludel's history table, which aludel creates next to the version table")
                );
            }
        }
    }

    #[test]
    fn postgres_limits_names_to_63_bytes_leaving_room_for_pkc() {
        let ok = "v".repeat(59);
        assert_eq!(check(Dialect::Postgres, None, &ok), Ok(()));
        let long = "v".repeat(60);
        let e = check(Dialect::Postgres, None, &long).unwrap_err();
        assert_eq!(e.key, "version_table");
        assert_eq!(
            e.reason,
            format!(
                "'{long}' is 60 bytes long; PostgreSQL allows 63 bytes in a name, and aludel also \
                 names the table's primary key '{long}_pkc', so the version table's name may have \
                 at most 59 bytes"
            )
        );
        assert_eq!(e.hint, "choose a version_table of at most 59 bytes");
        // Bytes, not characters: 30 two-byte letters are 60 bytes.
        assert!(check(Dialect::Postgres, None, &"é".repeat(30)).is_err());
        assert_eq!(check(Dialect::Postgres, Some(&"s".repeat(63)), "v"), Ok(()));
        let e = check(Dialect::Postgres, Some(&"s".repeat(64)), "v").unwrap_err();
        assert_eq!(e.key, "version_table_schema");
        assert_eq!(e.hint, "choose a version_table_schema of at most 63 bytes");
    }

    #[test]
    fn mysql_limits_names_to_64_characters_and_sqlite_has_no_limit() {
        assert_eq!(check(Dialect::MySql, None, &"é".repeat(60)), Ok(()));
        let e = check(Dialect::MySql, None, &"v".repeat(61)).unwrap_err();
        assert!(
            e.reason
                .contains("MySQL/MariaDB allows 64 characters in a name"),
            "{}",
            e.reason
        );
        assert_eq!(e.hint, "choose a version_table of at most 60 characters");
        assert_eq!(
            check(Dialect::Sqlite, Some(&"s".repeat(300)), &"v".repeat(300)),
            Ok(())
        );
    }

    #[test]
    fn sqlite_internal_names_and_nul_characters_are_refused() {
        let e = check(Dialect::Sqlite, None, "SQLite_versions").unwrap_err();
        assert_eq!(
            e.reason,
            "'SQLite_versions' starts with 'sqlite_', which SQLite reserves for its own tables"
        );
        assert_eq!(check(Dialect::Postgres, None, "sqlite_versions"), Ok(()));
        let e = check(Dialect::Postgres, Some("a\0b"), "v").unwrap_err();
        assert_eq!(e.key, "version_table_schema");
        assert_eq!(
            e.reason,
            "'a\\u{0}b' contains a NUL character, which no database accepts in a name"
        );
    }
}
