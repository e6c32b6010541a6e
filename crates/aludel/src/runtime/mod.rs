//! Carries out a plan: turns each planned step into the statements it runs (the
//! section of its revision file, split per dialect, plus the version-table changes),
//! then hands them to one of two sinks: [`online`] executes them on a connection
//! (lock, transactions, history rows, resume), [`offline`] prints them as the
//! script an online run would execute (Alembic's `--sql` shape).
//!
//! Preparation ([`prepare_steps`]) is pure and shared by both sinks, so `--sql` shows
//! exactly the statements an online run executes. Must not ask which database it
//! talks to: everything dialect-specific comes from [`crate::dialect`].

pub mod offline;
pub mod online;

use std::path::PathBuf;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::dialect::{version_change_sql, SqlDialect, TableRef};
use crate::error::{CommandError, Error, Result};
use crate::project::Project;
use crate::revision::{Plan, StepKind, VersionChange};
use crate::sql::{split_statements, Statement};

/// The two tables aludel keeps in a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    pub version: TableRef,
    pub history: TableRef,
}

impl Tables {
    /// The tables a project's configuration names.
    pub fn for_project(project: &Project) -> Tables {
        let version = TableRef::new(
            project.config.version_table_schema.as_deref(),
            &project.config.version_table,
        );
        let history = TableRef::history_for(&version);
        Tables { version, history }
    }
}

/// How a run behaves, beyond its plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Commit after every step (the default); `false`: one transaction for the run.
    pub transaction_per_migration: bool,
    /// Downgrade through revisions that have no downgrade section.
    pub allow_irreversible: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            transaction_per_migration: true,
            allow_irreversible: false,
        }
    }
}

/// One step, ready to run: what it executes and what it writes to the version table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedStep {
    pub kind: StepKind,
    /// The revision run (`None` for a stamp).
    pub revision: Option<String>,
    /// Alembic's `upgrade a -> b` text.
    pub short_log: String,
    /// The revision's doc (first paragraph of its message); empty for a stamp.
    pub doc: String,
    pub from: Vec<String>,
    pub to: Vec<String>,
    /// The revision file (`None` for a stamp).
    pub path: Option<PathBuf>,
    /// The statements of the section, with their lines in the file.
    pub statements: Vec<Statement>,
    /// SHA-256 of the executed section's text (`None` for a stamp).
    pub checksum: Option<String>,
    /// Whether the section may run inside a transaction (`transaction=false` says no).
    pub transactional: bool,
    /// The version-table changes and their SQL.
    pub version_changes: Vec<(VersionChange, String)>,
    /// The version-table rows once this step has run.
    pub rows_after: Vec<String>,
}

/// Lower-case hex of bytes.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// SHA-256 of a text, in lower-case hex.
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// The checksum of the first statements of a step (what a resumed run checks).
pub fn progress_checksum(statements: &[Statement]) -> String {
    RunningChecksum::of(statements).value()
}

/// [`progress_checksum`] of a prefix that grows one statement at a time: each new
/// value costs the added statement, not the whole prefix again (a step of 100,000
/// statements would otherwise hash its text 50,000 times over).
#[derive(Clone)]
pub(crate) struct RunningChecksum(Sha256);

impl RunningChecksum {
    pub(crate) fn of(statements: &[Statement]) -> Self {
        let mut running = RunningChecksum(Sha256::new());
        for s in statements {
            running.push(s);
        }
        running
    }

    pub(crate) fn push(&mut self, statement: &Statement) {
        self.0.update(statement.sql.as_bytes());
        self.0.update([0u8]);
    }

    pub(crate) fn value(&self) -> String {
        hex(&self.0.clone().finalize())
    }
}

/// Applies version-table changes to a set of rows.
fn apply_changes(rows: &mut Vec<String>, changes: &[VersionChange]) {
    for change in changes {
        match change {
            VersionChange::Insert { version } => rows.push(version.clone()),
            VersionChange::Delete { version } => rows.retain(|r| r != version),
            VersionChange::Update { from, to } => {
                for r in rows.iter_mut().filter(|r| *r == from) {
                    *r = to.clone();
                }
            }
        }
    }
}

/// Turns a plan into the statements each step runs. Fails (before anything runs) on
/// a downgrade through a revision without a downgrade section, unless allowed.
pub fn prepare_steps(
    project: &Project,
    plan: &Plan,
    sql: &dyn SqlDialect,
    tables: &Tables,
    options: &RunOptions,
) -> Result<Vec<PreparedStep>> {
    let map = &project.map;
    let mut rows = plan.starting_rows.clone();
    let mut out = Vec::with_capacity(plan.steps.len());
    for step in &plan.steps {
        let (from, to) = step.from_to(map);
        let kind = step.kind();
        let (revision, path, doc, section) = match step.revision() {
            Some(idx) => {
                let file = project.file(idx);
                let section = match kind {
                    StepKind::Upgrade => Some(&file.upgrade),
                    _ => file.downgrade.as_ref(),
                };
                (
                    Some(map.rev(idx).id.clone()),
                    Some(file.path.clone()),
                    file.doc.clone(),
                    section,
                )
            }
            None => (None, None, String::new(), None),
        };
        let statements = section
            .map(|s| {
                let mut stmts = split_statements(sql.dialect(), &s.sql);
                for st in &mut stmts {
                    st.line += s.first_line - 1;
                }
                stmts
            })
            .unwrap_or_default();
        // A downgrade with nothing to run undoes an upgrade that ran nothing (a merge,
        // say); it is irreversible only when the upgrade did something.
        let irreversible = kind == StepKind::Downgrade
            && statements.is_empty()
            && step.revision().is_some_and(|idx| {
                !split_statements(sql.dialect(), &project.file(idx).upgrade.sql).is_empty()
            });
        if irreversible && !options.allow_irreversible {
            let rev = revision.clone().unwrap_or_default();
            let shown = path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            return Err(Error::Command(
                CommandError::new(format!(
                    "Revision {rev} is irreversible: it has no downgrade section"
                ))
                .with_reason(format!("{shown} has an empty or missing '-- aludel:downgrade' section"))
                .with_hint(
                    "write its downgrade, or pass --allow-irreversible to move the version table past it without running anything",
                ),
            ));
        }
        let version_changes = step
            .changes
            .iter()
            .map(|c| (c.clone(), version_change_sql(sql, &tables.version, c)))
            .collect();
        apply_changes(&mut rows, &step.changes);
        out.push(PreparedStep {
            kind,
            revision,
            short_log: step.short_log(map),
            doc,
            from,
            to,
            path,
            checksum: section.map(|s| sha256_hex(&s.sql)),
            transactional: section.is_none_or(|s| s.options.transaction),
            statements,
            version_changes,
            rows_after: rows.clone(),
        });
    }
    Ok(out)
}

/// What a run reports while it goes (the CLI shows progress from these).
pub trait Events: Send {
    /// Step `n` (1-based) of `total` starts.
    fn step_started(&mut self, _n: usize, _total: usize, _step: &PreparedStep) {}
    /// Step `n` finished.
    fn step_finished(&mut self, _n: usize, _total: usize, _step: &PreparedStep, _took: Duration) {}
    /// A step resumes after statements that ran in an earlier, interrupted run.
    fn step_resumed(&mut self, _step: &PreparedStep, _skipped: usize) {}
}

/// Events that go nowhere.
pub struct NoEvents;
impl Events for NoEvents {}

/// One step that ran.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StepReport {
    pub kind: StepKind,
    pub revision: Option<String>,
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub statements: usize,
    /// Statements skipped because an earlier run had executed them.
    pub resumed_after: usize,
    pub duration_ms: u64,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RunReport {
    pub steps: Vec<StepReport>,
    pub starting_rows: Vec<String>,
    pub final_rows: Vec<String>,
    pub warnings: Vec<String>,
}
