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

/// Quotes `ident` with `quote` unless it is a plain lower-case identifier.
pub(crate) fn quote_if_needed(ident: &str, quote: char) -> String {
    let plain = ident
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && ident
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        ident.to_string()
    } else {
        let doubled = ident.replace(quote, &format!("{quote}{quote}"));
        format!("{quote}{doubled}{quote}")
    }
}

/// `CREATE TABLE` of the version table, laid out as Alembic prints it (including
/// the space after `NOT NULL,`), without terminator.
pub fn create_version_table(sql: &dyn SqlDialect, table: &TableRef) -> String {
    let pk = sql.quote_ident(&format!("{}_pkc", table.name));
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
