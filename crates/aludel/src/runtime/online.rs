//! The online sink: runs prepared steps on a connection.
//!
//! - A step whose statements can all roll back (transactional DDL, no
//!   `transaction=false`) runs in a transaction together with its version-table
//!   change and its history row: all of it commits, or none of it. By default each
//!   step commits on its own; with `transaction_per_migration = false` the run is one
//!   transaction.
//! - Otherwise (MySQL/MariaDB DDL, `transaction=false` sections) statements run one by
//!   one, each followed by a progress update of the step's history row; the version
//!   table moves when the last statement has run. A re-run after a failure resumes
//!   after the last statement that succeeded, if those statements are unchanged.
//! - Where the lock only lasts a transaction (SQLite), the version table is read
//!   again at the start of each one and the plan recomputed if another process moved
//!   it meanwhile.
//!
//! The caller holds the session lock (where the dialect has one) around [`run`].

use std::time::Instant;

use chrono::Utc;

use super::{
    prepare_steps, progress_checksum, Events, PreparedStep, Resume, RunOptions, RunReport,
    RunningChecksum, StepReport, Tables,
};
use crate::dialect::{
    add_missing_history_columns, create_history_table, select_history, select_unfinished,
    select_versions, version_change_sql, BeginError, Connection, DbError, HistoryRecord,
    HistoryRow, LockScope, Outcome, Progress, SqlDialect,
};
use crate::error::{CommandError, Error, MigrationFailure, Result, UncertainStatement};
use crate::project::Project;
use crate::revision::{Plan, VersionChange};

/// Wraps a database error with what aludel was doing.
pub(crate) fn db_error(context: impl Into<String>) -> impl FnOnce(DbError) -> Error {
    let context = context.into();
    move |source| Error::Database {
        context,
        source: Box::new(source),
    }
}

/// The rows of the version table (none when it does not exist).
pub async fn read_version_rows(conn: &mut dyn Connection, tables: &Tables) -> Result<Vec<String>> {
    let context = || format!("reading the version table {}", tables.version.name);
    if !conn
        .table_exists(&tables.version)
        .await
        .map_err(db_error(context()))?
    {
        return Ok(Vec::new());
    }
    let sql = select_versions(conn.sql(), &tables.version);
    let rows = conn.query_column(&sql).await.map_err(db_error(context()))?;
    Ok(rows.into_iter().flatten().collect())
}

/// Every row of the history table, oldest first (none when it does not exist).
pub async fn read_history(
    conn: &mut dyn Connection,
    tables: &Tables,
    revision: Option<&str>,
) -> Result<Vec<HistoryRow>> {
    query_history(conn, tables, |sql, columns| {
        select_history(sql, &tables.history, revision, columns)
    })
    .await
}

/// The history rows of steps that did not succeed and are the newest row of their
/// revision, with at least one statement run or started: the candidates for a step
/// left part-way (none when the table does not exist). Cheap: it reads only such
/// rows, not the whole history.
pub async fn read_unfinished(
    conn: &mut dyn Connection,
    tables: &Tables,
) -> Result<Vec<HistoryRow>> {
    let rows = query_history(conn, tables, |sql, columns| {
        select_unfinished(sql, &tables.history, columns)
    })
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.statements_done > 0 || r.statement_started.is_some())
        .collect())
}

/// Runs the history query that `select` writes for the table's columns. No columns:
/// no table, no rows. A table of an older aludel lacks the newer columns (read as
/// NULL: a read-only command never alters it).
async fn query_history(
    conn: &mut dyn Connection,
    tables: &Tables,
    select: impl FnOnce(&dyn SqlDialect, &[String]) -> String,
) -> Result<Vec<HistoryRow>> {
    let context = || format!("reading the history table {}", tables.history.name);
    let columns = conn
        .column_names(&tables.history)
        .await
        .map_err(db_error(context()))?;
    if columns.is_empty() {
        return Ok(Vec::new());
    }
    let sql = select(conn.sql(), &columns);
    let rows = conn.query_rows(&sql).await.map_err(db_error(context()))?;
    Ok(rows
        .iter()
        .filter_map(|r| HistoryRow::from_text(r))
        .collect())
}

/// Clears every step left part-way (a stamp says where the database stands, so the
/// next upgrade of such a revision starts at its first statement): a history row
/// per step that says so. Returns what was cleared, in words.
pub async fn clear_partial_steps(
    conn: &mut dyn Connection,
    tables: &Tables,
    command: &str,
) -> Result<Vec<String>> {
    let partial = read_unfinished(conn, tables).await?;
    let sql = conn.sql();
    let db_user = conn.session_info().await.ok().and_then(|s| s.user);
    let mut cleared = Vec::new();
    for row in partial {
        let what = format!(
            "the part-way {} of {} ({} of {} statements ran, in a run started {})",
            row.direction, row.revision, row.statements_done, row.statements_total, row.started_at
        );
        let record = HistoryRecord {
            run_id: uuid::Uuid::new_v4().to_string(),
            revision: row.revision.clone(),
            direction: "stamp".to_string(),
            from_revisions: Vec::new(),
            to_revisions: Vec::new(),
            checksum: None,
            statements_total: row.statements_total as usize,
            started_at: Utc::now(),
            db_user: db_user.clone(),
            client_host: hostname(),
            note: Some(format!(
                "'{command}' cleared {what}; a later {} starts it at statement 1",
                row.direction
            )),
        };
        let outcome = Outcome {
            statements_done: 0,
            progress_checksum: None,
            finished_at: Utc::now(),
            duration_ms: 0,
            error: None,
        };
        conn.execute(&record.insert_finished(sql, &tables.history, &outcome))
            .await
            .map_err(db_error("writing the history table"))?;
        cleared.push(format!(
            "cleared {what}: a later {} starts it at statement 1",
            row.direction
        ));
    }
    Ok(cleared)
}

/// Creates the version and history tables where missing. Returns whether the version
/// table was created.
pub async fn ensure_tables(conn: &mut dyn Connection, tables: &Tables) -> Result<bool> {
    let context = "creating aludel's tables";
    conn.begin().await.map_err(|e| {
        // Where the lock is each transaction's (SQLite), this is the lock wait.
        if e.kind == crate::dialect::DbErrorKind::LockTimeout {
            db_error("cannot take the migration lock")(e)
        } else {
            db_error(context)(e)
        }
    })?;
    let result = create_missing(conn, tables).await;
    match result {
        Ok(created) => {
            conn.commit().await.map_err(db_error(context))?;
            Ok(created)
        }
        Err(e) => {
            let _ = conn.rollback().await;
            Err(db_error(context)(e))
        }
    }
}

async fn create_missing(conn: &mut dyn Connection, tables: &Tables) -> Result<bool, DbError> {
    let sql = conn.sql();
    let mut created = false;
    if !conn.table_exists(&tables.version).await? {
        conn.execute(&crate::dialect::create_version_table(sql, &tables.version))
            .await?;
        created = true;
    }
    if !conn.table_exists(&tables.history).await? {
        conn.execute(&create_history_table(sql, &tables.history))
            .await?;
    } else {
        let columns = conn.column_names(&tables.history).await?;
        for alter in add_missing_history_columns(sql, &tables.history, &columns) {
            conn.execute(&alter).await?;
        }
    }
    Ok(created)
}

fn hostname() -> Option<String> {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
}

fn sorted(rows: &[String]) -> Vec<String> {
    let mut v = rows.to_vec();
    v.sort();
    v
}

/// Runs the plan that `planner` computes from the version table's rows.
pub async fn run(
    conn: &mut dyn Connection,
    project: &Project,
    tables: &Tables,
    planner: &dyn Fn(&[String]) -> Result<Plan>,
    options: &RunOptions,
    events: &mut dyn Events,
) -> Result<RunReport> {
    let mut runner = Runner::new(conn, project, tables, options).await;
    let mut report = RunReport::default();
    match runner.run(planner, events, &mut report).await {
        Ok(()) => Ok(report),
        Err(e) => {
            if runner.tx_open {
                let _ = runner.conn.rollback().await;
            }
            report.steps.truncate(runner.committed);
            Err(e.after_steps(report.steps))
        }
    }
}

struct Runner<'a> {
    conn: &'a mut dyn Connection,
    project: &'a Project,
    tables: &'a Tables,
    options: &'a RunOptions,
    sql: &'static dyn SqlDialect,
    db_user: Option<String>,
    host: Option<String>,
    tx_open: bool,
    /// History-table statements of the open transaction, sent with its `COMMIT`
    /// (one round trip fewer per step; they commit or roll back with it anyway).
    pending_history: Vec<String>,
    /// Whether `--resume` answered something in this run.
    resume_used: bool,
    /// How many of the run's first steps have committed.
    committed: usize,
}

/// What ended a pass over the plan.
enum Pass {
    Done(Vec<String>),
    /// Another process moved the version table: plan again.
    Replan,
}

impl<'a> Runner<'a> {
    async fn new(
        conn: &'a mut dyn Connection,
        project: &'a Project,
        tables: &'a Tables,
        options: &'a RunOptions,
    ) -> Runner<'a> {
        let db_user = conn.session_info().await.ok().and_then(|s| s.user);
        let sql = conn.sql();
        Runner {
            conn,
            project,
            tables,
            options,
            sql,
            db_user,
            host: hostname(),
            tx_open: false,
            pending_history: Vec::new(),
            resume_used: false,
            committed: 0,
        }
    }

    fn per_transaction_lock(&self) -> bool {
        self.conn.lock_scope() == LockScope::Transaction
    }

    async fn begin(&mut self) -> Result<()> {
        self.conn
            .begin()
            .await
            .map_err(db_error("starting a transaction"))?;
        self.tx_open = true;
        Ok(())
    }

    /// Commits the open transaction, with the history rows it wrote.
    async fn commit(&mut self) -> Result<()> {
        self.tx_open = false;
        let history = std::mem::take(&mut self.pending_history);
        match self.conn.execute_and_commit(&history).await {
            Ok(()) => Ok(()),
            Err((k, db)) if k < history.len() => Err(db_error("writing the history table")(db)),
            Err((_, db)) => Err(db_error("committing")(db)),
        }
    }

    /// Opens the transaction of a step under a per-transaction lock and reads the
    /// version table in it, in one round trip.
    async fn begin_and_read_versions(&mut self) -> Result<Vec<String>> {
        // The table exists: the first read of this run saw or made it.
        let sql = select_versions(self.sql, &self.tables.version);
        match self.conn.begin_and_query(&sql).await {
            Ok(column) => {
                self.tx_open = true;
                Ok(column.into_iter().flatten().collect())
            }
            Err(BeginError::Begin(e)) => Err(db_error("starting a transaction")(e)),
            Err(BeginError::Query(e)) => Err(db_error("reading the version table")(e)),
        }
    }

    /// Runs the plan, filling `report` as steps finish (on error, the steps that
    /// finished; [`Runner::committed`] says how many of them committed).
    async fn run(
        &mut self,
        planner: &dyn Fn(&[String]) -> Result<Plan>,
        events: &mut dyn Events,
        report: &mut RunReport,
    ) -> Result<()> {
        let mut first = true;
        loop {
            if self.per_transaction_lock() && !self.tx_open {
                self.begin().await?;
            }
            let stored = read_version_rows(self.conn, self.tables).await?;
            let (rows, redundant) = self.project.map.split_redundant_rows(&stored);
            let plan = planner(&rows)?;
            if first {
                report.starting_rows = stored.clone();
                report.warnings = redundant_warning(&self.tables.version.name, &redundant)
                    .into_iter()
                    .chain(plan.warnings.iter().cloned())
                    .collect();
                first = false;
            }
            let mut steps =
                prepare_steps(self.project, &plan, self.sql, self.tables, self.options)?;
            // The first change writes the table back as the heads it stands for.
            if let Some(step) = steps.first_mut() {
                let deletes = redundant.iter().map(|version| {
                    let change = VersionChange::Delete {
                        version: version.clone(),
                    };
                    let sql = version_change_sql(self.sql, &self.tables.version, &change);
                    (change, sql)
                });
                step.version_changes.splice(0..0, deletes);
            }
            match self.pass(&steps, rows, report, events).await? {
                Pass::Done(rows) => {
                    if self.tx_open {
                        self.commit().await?;
                    }
                    self.committed = report.steps.len();
                    if let Some(resume) = self.options.resume.filter(|_| !self.resume_used) {
                        report.warnings.push(format!(
                            "{} had no effect: no step of this run was left part-way by an earlier one",
                            resume.flag()
                        ));
                    }
                    report.final_rows = rows;
                    return Ok(());
                }
                Pass::Replan => continue,
            }
        }
    }

    async fn pass(
        &mut self,
        steps: &[PreparedStep],
        mut expected: Vec<String>,
        report: &mut RunReport,
        events: &mut dyn Events,
    ) -> Result<Pass> {
        let total = steps.len();
        for (i, step) in steps.iter().enumerate() {
            let atomic =
                step.statements.is_empty() || (self.sql.transactional_ddl() && step.transactional);
            let started = Instant::now();
            let resumed_after = if atomic {
                // Under a session lock the transaction opens with the step's batch.
                let mut begin_with_batch = false;
                if !self.tx_open {
                    if self.per_transaction_lock() {
                        let now = self.begin_and_read_versions().await?;
                        let (now, _) = self.project.map.split_redundant_rows(&now);
                        if sorted(&now) != sorted(&expected) {
                            // Another process ran this step: say nothing of it.
                            return Ok(Pass::Replan);
                        }
                    } else {
                        begin_with_batch = true;
                    }
                }
                events.step_started(i + 1, total, step);
                self.atomic_step(step, begin_with_batch).await?;
                if self.options.transaction_per_migration {
                    self.commit().await?;
                }
                0
            } else {
                if self.tx_open {
                    self.commit().await?;
                    self.committed = report.steps.len();
                }
                events.step_started(i + 1, total, step);
                self.stepwise(step, events).await?
            };
            let took = started.elapsed();
            events.step_finished(i + 1, total, step, took);
            report.steps.push(StepReport {
                kind: step.kind,
                revision: step.revision.clone(),
                from: step.from.clone(),
                to: step.to.clone(),
                statements: step.statements.len(),
                resumed_after,
                duration_ms: took.as_millis() as u64,
            });
            if !self.tx_open {
                self.committed = report.steps.len();
            }
            expected = step.rows_after.clone();
        }
        Ok(Pass::Done(expected))
    }

    fn record(&self, step: &PreparedStep) -> HistoryRecord {
        HistoryRecord {
            run_id: uuid::Uuid::new_v4().to_string(),
            revision: step.revision.clone().unwrap_or_else(|| step.to.join(",")),
            direction: step.kind.name().to_string(),
            from_revisions: step.from.clone(),
            to_revisions: step.to.clone(),
            checksum: step.checksum.clone(),
            statements_total: step.statements.len(),
            started_at: Utc::now(),
            db_user: self.db_user.clone(),
            client_host: self.host.clone(),
            note: None,
        }
    }

    /// Statements, version change and history row in one transaction (opened here
    /// when `begin`, else already open). The statements and the version-table
    /// changes go in one batch (one round trip where the driver can, with the
    /// `BEGIN`), so a failure still names its statement exactly; the history row
    /// goes with the `COMMIT`.
    async fn atomic_step(&mut self, step: &PreparedStep, begin: bool) -> Result<()> {
        let record = self.record(step);
        let started = Instant::now();
        let n = step.statements.len();
        let batch: Vec<String> = step
            .statements
            .iter()
            .map(|s| s.sql.clone())
            .chain(step.version_changes.iter().map(|(_, sql)| sql.clone()))
            .collect();
        let result = if begin {
            self.conn.begin_and_execute_batch(&batch).await
        } else {
            self.conn
                .execute_batch(&batch)
                .await
                .map_err(|(k, e)| (Some(k), e))
        };
        if let Err((None, db)) = result {
            return Err(db_error("starting a transaction")(db));
        }
        if begin {
            self.tx_open = true;
        }
        match result.map_err(|(k, e)| (k.unwrap_or(0), e)) {
            Ok(counts) => self.check_version_counts(step, &counts[n.min(counts.len())..])?,
            Err((k, db)) if k < n => {
                let _ = self.conn.rollback().await;
                self.tx_open = false;
                self.pending_history.clear();
                let outcome = Outcome {
                    statements_done: 0,
                    progress_checksum: None,
                    finished_at: Utc::now(),
                    duration_ms: started.elapsed().as_millis() as u64,
                    error: Some(db.to_string()),
                };
                self.record_failure(&record, &outcome).await;
                return Err(self.failure(step, k, db, None).await);
            }
            Err((_, db)) => {
                return Err(db_error(format!(
                    "updating the version table {}",
                    self.tables.version.name
                ))(db))
            }
        }
        let outcome = Outcome {
            statements_done: n,
            progress_checksum: Some(progress_checksum(&step.statements)),
            finished_at: Utc::now(),
            duration_ms: started.elapsed().as_millis() as u64,
            error: None,
        };
        let insert = record.insert_finished(self.sql, &self.tables.history, &outcome);
        self.pending_history.push(insert);
        Ok(())
    }

    /// Writes a failed step's history row in a transaction of its own. Best effort:
    /// the statement's own error is what the user must see.
    async fn record_failure(&mut self, record: &HistoryRecord, outcome: &Outcome) {
        let insert = record.insert_finished(self.sql, &self.tables.history, outcome);
        if self.conn.begin().await.is_ok() {
            if self.conn.execute(&insert).await.is_ok() {
                let _ = self.conn.commit().await;
            } else {
                let _ = self.conn.rollback().await;
            }
        }
    }

    /// The error of statement `k` of a step; `applied`: how many of the step's
    /// statements stay applied (`None`: the whole step rolled back).
    async fn failure(
        &mut self,
        step: &PreparedStep,
        k: usize,
        db: DbError,
        applied: Option<usize>,
    ) -> Error {
        let statement = &step.statements[k];
        let version_rows = read_version_rows(self.conn, self.tables)
            .await
            .unwrap_or_default();
        Error::Migration(Box::new(MigrationFailure {
            kind: step.kind,
            revision: step.revision.clone().unwrap_or_default(),
            path: step.path.clone().unwrap_or_default(),
            line: statement.line,
            statement_number: k + 1,
            statement_count: step.statements.len(),
            statement: statement.sql.clone(),
            db,
            rolled_back: applied.is_none(),
            statements_applied: applied.unwrap_or(0),
            version_rows,
        }))
    }

    /// The version-table statements of a step, one by one, checked.
    async fn version_changes(&mut self, step: &PreparedStep) -> Result<()> {
        let mut counts = Vec::with_capacity(step.version_changes.len());
        for (_, text) in &step.version_changes {
            counts.push(self.conn.execute(text).await.map_err(db_error(format!(
                "updating the version table {}",
                self.tables.version.name
            )))?);
        }
        self.check_version_counts(step, &counts)
    }

    /// Checks that each UPDATE and DELETE of the version table matched exactly one row
    /// (another migrator, or a hand edit, otherwise), as Alembic does.
    fn check_version_counts(&self, step: &PreparedStep, counts: &[u64]) -> Result<()> {
        let table = &self.tables.version.name;
        for ((change, _), &n) in step.version_changes.iter().zip(counts) {
            let mismatch = match change {
                VersionChange::Insert { .. } => None,
                VersionChange::Update { from, to } => (n != 1).then(|| {
                    format!("Online migration expected to match one row when updating '{from}' to '{to}' in '{table}'; {n} found")
                }),
                VersionChange::Delete { version } => (n != 1).then(|| {
                    format!("Online migration expected to match one row when deleting '{version}' in '{table}'; {n} found")
                }),
            };
            if let Some(message) = mismatch {
                return Err(CommandError::new(message)
                    .with_hint("another process or a hand edit changed the version table; run 'aludel current' to see where it is")
                    .with_kind("version_table_changed")
                    .into());
            }
        }
        Ok(())
    }

    /// Where an interrupted or failed earlier run of this step stopped. The newest
    /// history row of the revision says it (a resumed run starts its own row from
    /// that point, so any number of interruptions keep it). A statement sent without
    /// its completion recorded stops the run unless the user said what happened to
    /// it (`--resume rerun|skip`).
    async fn resume_point(&mut self, step: &PreparedStep) -> Result<ResumePoint> {
        let start = ResumePoint {
            skip: 0,
            note: None,
        };
        let Some(revision) = &step.revision else {
            return Ok(start);
        };
        let rows = read_history(self.conn, self.tables, Some(revision)).await?;
        let Some(last) = rows.last() else {
            return Ok(start);
        };
        let direction = step.kind.name();
        if last.direction != direction
            || last.success == Some(true)
            || (last.statements_done == 0 && last.statement_started.is_none())
        {
            return Ok(start);
        }
        let total = step.statements.len();
        let done = (last.statements_done as usize).min(total);
        // The uncertain statement, if any, is always the one after those done.
        let uncertain = last.statement_started.is_some() && done < total;
        let covered = done + usize::from(uncertain);
        let path = step
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        if self.options.resume == Some(Resume::Restart) {
            self.resume_used = true;
            return Ok(ResumePoint {
                skip: 0,
                note: Some(format!(
                    "started over at statement 1 ({}); the run of {} left {done} of {total} statements done{}",
                    Resume::Restart.flag(),
                    last.started_at,
                    if uncertain { " and the next one uncertain" } else { "" }
                )),
            });
        }
        if last.progress_checksum.as_deref()
            != Some(progress_checksum(&step.statements[..covered]).as_str())
        {
            return Err(CommandError::new(format!(
                "Cannot resume {direction} {revision}: its first {covered} statements ran in an earlier run that stopped part-way, and they have changed in {path} since"
            ))
            .with_reason(format!("the history table records {done} of {} statements done{}, with a different checksum", last.statements_total, if uncertain { " and the next one started" } else { "" }))
            .with_hint(format!("restore those statements as they ran and run again; or undo by hand what they did and run again with '{}' (the step starts over at statement 1); or, if the database already is as {revision} leaves it, record that with 'aludel stamp {revision}'", Resume::Restart.flag()))
            .with_kind("resume_statements_changed")
            .with_revision(revision.clone())
            .with_location(step.path.as_deref(), None)
            .into());
        }
        if !uncertain {
            return Ok(ResumePoint {
                skip: done,
                note: None,
            });
        }
        let statement = &step.statements[done];
        let number = done + 1;
        let place = format!("statement {number} of {total} ({path}:{})", statement.line);
        self.resume_used = self.options.resume.is_some();
        match self.options.resume {
            None => Err(Error::Uncertain(Box::new(UncertainStatement {
                kind: step.kind,
                revision: revision.clone(),
                path: step.path.clone().unwrap_or_default(),
                line: statement.line,
                statement_number: number,
                statement_count: total,
                statement: statement.sql.clone(),
                interrupted_at: last.started_at.clone(),
            }))),
            Some(Resume::Restart) => unreachable!("handled above"),
            Some(Resume::Rerun) => Ok(ResumePoint {
                skip: done,
                note: Some(format!(
                    "{place}, left uncertain by an interrupted run, was run again ({})",
                    Resume::Rerun.flag()
                )),
            }),
            Some(Resume::Skip) => Ok(ResumePoint {
                skip: number,
                note: Some(format!(
                    "{place}, left uncertain by an interrupted run, was counted as done without running it again ({})",
                    Resume::Skip.flag()
                )),
            }),
        }
    }

    /// Statements outside a transaction of the step, with their progress recorded
    /// in the step's history row so that a later run resumes exactly:
    /// - a run of row changes (INSERT, UPDATE, …) commits in one transaction together
    ///   with the progress record, so it either ran and is recorded, or did not run;
    /// - any other statement (DDL on MySQL, anything in a `transaction=false`
    ///   section) cannot share a transaction with the record: the record says it is
    ///   about to run before it is sent, and that it ran once it returned. A run that
    ///   finds such a statement started but not confirmed stops and asks
    ///   ([`Runner::resume_point`]); no statement is ever re-run silently.
    ///
    /// The version-table change and the history row's success commit together at the
    /// end. Returns how many statements an earlier run had already executed.
    async fn stepwise(&mut self, step: &PreparedStep, events: &mut dyn Events) -> Result<usize> {
        let resume = self.resume_point(step).await?;
        let skip = resume.skip;
        if skip > 0 {
            events.step_resumed(step, skip);
        }
        let mut record = self.record(step);
        record.note = resume.note;
        let history = self.tables.history.clone();
        let statements = &step.statements;
        let units = units(statements, skip);
        // The checksum of the statements done; `at` derives the progress record
        // from it (plus the started statement, when the next unit is one).
        let mut done_checksum = RunningChecksum::of(&statements[..skip]);
        let at = |done: usize, checksum: &RunningChecksum, next: Option<&Unit>| -> Progress {
            let started = next.filter(|u| !u.rows_only).map(|u| u.range.start + 1);
            let mut covered = checksum.clone();
            if started.is_some() {
                covered.push(&statements[done]);
            }
            Progress {
                done,
                checksum: Some(covered.value()),
                started,
            }
        };
        let first = at(skip, &done_checksum, units.first());
        self.conn
            .execute(&record.insert_started(self.sql, &history, &first))
            .await
            .map_err(db_error("writing the history table"))?;
        let started = Instant::now();
        for (u, unit) in units.iter().enumerate() {
            let (a, b) = (unit.range.start, unit.range.end);
            let mut after = done_checksum.clone();
            for st in &statements[a..b] {
                after.push(st);
            }
            let progress =
                record.update_progress(self.sql, &history, &at(b, &after, units.get(u + 1)));
            let failed = if unit.rows_only {
                let mut batch: Vec<String> =
                    statements[a..b].iter().map(|s| s.sql.clone()).collect();
                batch.push(progress);
                match self.conn.begin_and_execute_batch(&batch).await {
                    Ok(_) => {
                        self.tx_open = true;
                        self.commit().await?;
                        None
                    }
                    Err((None, db)) => return Err(db_error("starting a transaction")(db)),
                    Err((Some(k), db)) => {
                        let _ = self.conn.rollback().await;
                        if k == b - a {
                            return Err(db_error("writing the history table")(db));
                        }
                        Some((a + k, db))
                    }
                }
            } else {
                match self.conn.execute(&statements[a].sql).await {
                    Ok(_) => {
                        self.conn
                            .execute(&progress)
                            .await
                            .map_err(db_error("writing the history table"))?;
                        None
                    }
                    Err(db) => Some((a, db)),
                }
            };
            if let Some((k, db)) = failed {
                // Nothing of the failed unit took effect: a row-change run rolled
                // back, a statement the database refused did not run.
                let outcome = Outcome {
                    statements_done: a,
                    progress_checksum: Some(done_checksum.value()),
                    finished_at: Utc::now(),
                    duration_ms: started.elapsed().as_millis() as u64,
                    error: Some(db.to_string()),
                };
                let _ = self
                    .conn
                    .execute(&record.update_finished(self.sql, &history, &outcome))
                    .await;
                return Err(self.failure(step, k, db, Some(a)).await);
            }
            done_checksum = after;
        }
        self.begin().await?;
        self.version_changes(step).await?;
        let outcome = Outcome {
            statements_done: statements.len(),
            progress_checksum: Some(done_checksum.value()),
            finished_at: Utc::now(),
            duration_ms: started.elapsed().as_millis() as u64,
            error: None,
        };
        self.pending_history
            .push(record.update_finished(self.sql, &history, &outcome));
        self.commit().await?;
        Ok(skip)
    }
}

/// The warning for version-table rows that are ancestors of other rows.
pub(crate) fn redundant_warning(table: &str, redundant: &[String]) -> Option<String> {
    (!redundant.is_empty()).then(|| {
        format!(
            "the version table {table} also holds {}, which {} an ancestor of another row (Alembic can leave such rows); read as the heads of what it says is applied, and written back without {} at the next change",
            redundant.join(", "),
            if redundant.len() == 1 { "is" } else { "are each" },
            if redundant.len() == 1 { "it" } else { "them" },
        )
    })
}

/// Where a stepwise step starts, and how it continued an interrupted run.
struct ResumePoint {
    skip: usize,
    note: Option<String>,
}

/// What a stepwise step sends at once: a run of row changes (one transaction with
/// its progress record), or one other statement.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Unit {
    range: std::ops::Range<usize>,
    rows_only: bool,
}

/// Row changes per transaction of a stepwise step, at most (and at most
/// [`UNIT_BYTES`] of SQL), so a seed-data step of 100,000 INSERTs commits in
/// bounded pieces, each with its progress.
const UNIT_STATEMENTS: usize = 1000;
const UNIT_BYTES: usize = 1 << 20;

/// The units of `statements[skip..]`, in order.
fn units(statements: &[crate::sql::Statement], skip: usize) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    let mut bytes = 0;
    for (k, st) in statements.iter().enumerate().skip(skip) {
        let rows_only = st.changes_rows_only();
        match out.last_mut() {
            Some(last)
                if rows_only
                    && last.rows_only
                    && last.range.len() < UNIT_STATEMENTS
                    && bytes + st.sql.len() <= UNIT_BYTES =>
            {
                last.range.end = k + 1;
                bytes += st.sql.len();
            }
            _ => {
                out.push(Unit {
                    range: k..k + 1,
                    rows_only,
                });
                bytes = st.sql.len();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::Statement;

    fn st(sql: &str) -> Statement {
        Statement {
            sql: sql.to_string(),
            line: 1,
        }
    }

    #[test]
    fn row_changes_group_and_other_statements_stand_alone() {
        let s = [
            st("CREATE TABLE t (a INT)"),
            st("INSERT INTO t VALUES (1)"),
            st("INSERT INTO t VALUES (2)"),
            st("UPDATE t SET a = 3"),
            st("ALTER TABLE t ADD b INT"),
            st("ALTER TABLE t ADD c INT"),
            st("DELETE FROM t"),
        ];
        let got: Vec<(std::ops::Range<usize>, bool)> = units(&s, 0)
            .into_iter()
            .map(|u| (u.range, u.rows_only))
            .collect();
        assert_eq!(
            got,
            vec![
                (0..1, false),
                (1..4, true),
                (4..5, false),
                (5..6, false),
                (6..7, true)
            ]
        );
        let got: Vec<_> = units(&s, 2).into_iter().map(|u| u.range).collect();
        assert_eq!(got, vec![2..4, 4..5, 5..6, 6..7]);
        assert!(units(&s, 7).is_empty());
    }

    #[test]
    fn a_long_run_of_row_changes_is_cut_into_bounded_units() {
        let s: Vec<Statement> = (0..2500)
            .map(|i| st(&format!("INSERT INTO t VALUES ({i})")))
            .collect();
        let got: Vec<_> = units(&s, 0).into_iter().map(|u| u.range).collect();
        assert_eq!(got, vec![0..1000, 1000..2000, 2000..2500]);
        let big = "x".repeat(UNIT_BYTES / 2);
        let s: Vec<Statement> = (0..3)
            .map(|_| st(&format!("INSERT INTO t VALUES ('{big}')")))
            .collect();
        let got: Vec<_> = units(&s, 0).into_iter().map(|u| u.range).collect();
        assert_eq!(got, vec![0..1, 1..2, 2..3]);
    }
}
