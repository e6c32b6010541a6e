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

use crate::config::Config;
use crate::dialect::{check_table_names, version_change_sql, SqlDialect, TableRef};
use crate::error::{CommandError, Error, Result};
use crate::project::Project;
use crate::revision::{Plan, StepKind, VersionChange};
use crate::script::{Section, UNRENDERED_MARKER};
use crate::sql::{split_statements, Statement};

/// The two tables aludel keeps in a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    pub version: TableRef,
    pub history: TableRef,
}

impl Tables {
    /// The tables a project's configuration names, once checked for the database
    /// `sql` writes for ([`check_table_names`]): a name it cannot use fails here,
    /// naming the setting, before anything touches the database.
    pub fn for_project(project: &Project, sql: &dyn SqlDialect) -> Result<Tables> {
        Tables::for_config(&project.config, sql)
    }

    /// [`Tables::for_project`] with only the configuration (checked before
    /// connecting).
    pub fn for_config(config: &Config, sql: &dyn SqlDialect) -> Result<Tables> {
        let version = TableRef::new(
            config.version_table_schema.as_deref(),
            &config.version_table,
        );
        check_table_names(sql, &version)
            .map_err(|refusal| config.unusable(refusal.key, refusal.reason, refusal.hint))?;
        let history = TableRef::history_for(&version);
        Ok(Tables { version, history })
    }
}

/// How a run behaves, beyond its plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Commit after every step (the default); `false`: one transaction for the run.
    pub transaction_per_migration: bool,
    /// Downgrade through revisions that have no downgrade section.
    pub allow_irreversible: bool,
    /// What to do with a statement an interrupted run sent without learning whether
    /// it took effect (`None`: stop and ask).
    pub resume: Option<Resume>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            transaction_per_migration: true,
            allow_irreversible: false,
            resume: None,
        }
    }
}

/// The user's answer for a statement that an interrupted run sent to the database
/// without recording whether it completed (`--resume rerun|skip`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Resume {
    /// It did not take effect: run it again.
    Rerun,
    /// It took effect: count it as done and go on with the next one.
    Skip,
    /// Start the step over at its first statement (after undoing by hand what the
    /// interrupted or failed run did): the way out when statements that ran have
    /// been edited since.
    Restart,
}

impl Resume {
    /// The option as typed.
    pub fn flag(self) -> &'static str {
        match self {
            Resume::Rerun => "--resume rerun",
            Resume::Skip => "--resume skip",
            Resume::Restart => "--resume restart",
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

/// The statements of a revision-file section, with their lines in the file.
pub fn section_statements(section: &Section, sql: &dyn SqlDialect) -> Vec<Statement> {
    let mut stmts = split_statements(sql.dialect(), &section.sql);
    for st in &mut stmts {
        st.line += section.first_line - 1;
    }
    stmts
}

/// Refuses, before anything runs, statements aludel cannot run as written: transaction
/// control in a section that runs in aludel's transaction, and `COPY … FROM STDIN`.
fn check_statements(
    statements: &[Statement],
    section: &Section,
    path: &std::path::Path,
    kind: StepKind,
) -> Result<()> {
    let marker = format!("-- aludel:{}", kind.name());
    for st in statements {
        let place = format!("{}:{}", path.display(), st.line);
        let first_line = st.sql.lines().next().unwrap_or("");
        if section.options.transaction && st.controls_transaction() {
            return Err(CommandError::new(format!(
                "{place}: '{first_line}' controls the transaction, which aludel runs the {} section in",
                kind.name()
            ))
            .with_reason("each step's statements, version-table change and history row commit together; a COMMIT or BEGIN of its own would commit part of the step and leave the rest to roll back alone")
            .with_hint(format!("remove it (aludel opens and commits the transaction), or mark the section '{marker} transaction=false' to run its statements one by one outside a transaction"))
            .with_kind("transaction_control")
            .with_location(Some(path), Some(st.line))
            .into());
        }
        if st.is_copy_from_stdin() {
            return Err(CommandError::new(format!(
                "{place}: '{first_line}' reads its rows from the client (psql's COPY protocol), which aludel does not speak"
            ))
            .with_hint("write the rows as INSERT statements, or COPY FROM a file the database server can read")
            .with_kind("copy_from_stdin")
            .with_location(Some(path), Some(st.line))
            .into());
        }
    }
    Ok(())
}

/// Refuses a section marked `-- aludel:unrendered`: its SQL is still to be written.
fn refuse_unrendered(
    section: &Section,
    path: &std::path::Path,
    revision: &str,
    kind: StepKind,
) -> Result<()> {
    let Some(unrendered) = &section.unrendered else {
        return Ok(());
    };
    let mut error = CommandError::new(format!(
        "{}:{}: the {} section of revision {revision} has no SQL yet, so it cannot run",
        path.display(),
        unrendered.line,
        kind.name()
    ));
    if !unrendered.reason.is_empty() {
        error = error.with_reason(format!(
            "it is marked '{UNRENDERED_MARKER}': {}",
            unrendered.reason
        ));
    }
    Err(error
        .with_hint(format!(
            "write the section's SQL in {} (the code it came from is quoted there), then delete the '{UNRENDERED_MARKER}' line; nothing ran",
            path.display()
        ))
        .with_kind("unrendered_section")
        .with_revision(revision)
        .with_location(Some(path), Some(unrendered.line))
        .into())
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
            .map(|s| section_statements(s, sql))
            .unwrap_or_default();
        if let (Some(section), Some(path)) = (section, &path) {
            refuse_unrendered(section, path, revision.as_deref().unwrap_or_default(), kind)?;
            check_statements(&statements, section, path, kind)?;
        }
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
                )
                .with_kind("irreversible")
                .with_revision(rev)
                .with_location(path.as_deref(), None),
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

/// What a command reports while it goes (the CLI shows progress from these).
pub trait Events: Send {
    /// Step `n` (1-based) of `total` starts.
    fn step_started(&mut self, _n: usize, _total: usize, _step: &PreparedStep) {}
    /// Step `n` finished.
    fn step_finished(&mut self, _n: usize, _total: usize, _step: &PreparedStep, _took: Duration) {}
    /// A step resumes after statements that ran in an earlier, interrupted run.
    fn step_resumed(&mut self, _step: &PreparedStep, _skipped: usize) {}
    /// The command waits for something it needs; called again (with news, such as
    /// the latest connection error) while the wait goes on.
    fn waiting(&mut self, _wait: &Wait) {}
    /// What the command waited for came after `waited` (a failed wait ends with
    /// the command's error instead).
    fn wait_over(&mut self, _waited: Duration) {}
}

/// What a command waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wait {
    /// The database server does not answer yet (`--wait`).
    Server {
        /// The database URL, password masked.
        target: String,
        /// Why the last attempt failed (password masked).
        last_error: String,
        /// How long the command waits at most.
        limit: Duration,
    },
    /// Another connection holds the migration lock.
    Lock {
        /// Who holds it, where the database can tell.
        holder: Option<String>,
        /// How long the command waits at most (`lock_timeout`).
        limit: Duration,
    },
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
