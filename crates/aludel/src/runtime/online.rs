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
    prepare_steps, progress_checksum, Events, PreparedStep, RunOptions, RunReport, StepReport,
    Tables,
};
use crate::dialect::{
    select_history, select_versions, BeginError, Connection, DbError, HistoryRecord, HistoryRow,
    LockScope, Outcome, SqlDialect,
};
use crate::error::{CommandError, Error, MigrationFailure, Result};
use crate::project::Project;
use crate::revision::{Plan, StepKind, VersionChange};

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
    let context = || format!("reading the history table {}", tables.history.name);
    if !conn
        .table_exists(&tables.history)
        .await
        .map_err(db_error(context()))?
    {
        return Ok(Vec::new());
    }
    let sql = select_history(conn.sql(), &tables.history, revision);
    let rows = conn.query_rows(&sql).await.map_err(db_error(context()))?;
    Ok(rows
        .iter()
        .filter_map(|r| HistoryRow::from_text(r))
        .collect())
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
        conn.execute(&sql.create_history_table(&tables.history))
            .await?;
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
    let result = runner.run(planner, events).await;
    if result.is_err() && runner.tx_open {
        let _ = runner.conn.rollback().await;
    }
    result
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

    async fn run(
        &mut self,
        planner: &dyn Fn(&[String]) -> Result<Plan>,
        events: &mut dyn Events,
    ) -> Result<RunReport> {
        let mut report = RunReport::default();
        let mut first = true;
        loop {
            if self.per_transaction_lock() && !self.tx_open {
                self.begin().await?;
            }
            let rows = read_version_rows(self.conn, self.tables).await?;
            let plan = planner(&rows)?;
            if first {
                report.starting_rows = rows.clone();
                report.warnings = plan.warnings.clone();
                first = false;
            }
            let steps = prepare_steps(self.project, &plan, self.sql, self.tables, self.options)?;
            match self.pass(&steps, rows, &mut report, events).await? {
                Pass::Done(rows) => {
                    if self.tx_open {
                        self.commit().await?;
                    }
                    report.final_rows = rows;
                    return Ok(report);
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
            events.step_started(i + 1, total, step);
            let resumed_after = if atomic {
                // Under a session lock the transaction opens with the step's batch.
                let mut begin_with_batch = false;
                if !self.tx_open {
                    if self.per_transaction_lock() {
                        let now = self.begin_and_read_versions().await?;
                        if sorted(&now) != sorted(&expected) {
                            return Ok(Pass::Replan);
                        }
                    } else {
                        begin_with_batch = true;
                    }
                }
                self.atomic_step(step, begin_with_batch).await?;
                if self.options.transaction_per_migration {
                    self.commit().await?;
                }
                0
            } else {
                if self.tx_open {
                    self.commit().await?;
                }
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
            expected = step.rows_after.clone();
        }
        Ok(Pass::Done(expected))
    }

    fn record(&self, step: &PreparedStep) -> HistoryRecord {
        HistoryRecord {
            run_id: uuid::Uuid::new_v4().to_string(),
            revision: step.revision.clone().unwrap_or_else(|| step.to.join(",")),
            direction: match step.kind {
                StepKind::Upgrade => "upgrade",
                StepKind::Downgrade => "downgrade",
                StepKind::Stamp => "stamp",
            }
            .to_string(),
            from_revisions: step.from.clone(),
            to_revisions: step.to.clone(),
            checksum: step.checksum.clone(),
            statements_total: step.statements.len(),
            started_at: Utc::now(),
            db_user: self.db_user.clone(),
            client_host: self.host.clone(),
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
                return Err(self.failure(step, k, db, true).await);
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

    async fn failure(
        &mut self,
        step: &PreparedStep,
        k: usize,
        db: DbError,
        rolled_back: bool,
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
            rolled_back,
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
                    .into());
            }
        }
        Ok(())
    }

    /// Where an interrupted earlier run of this step stopped: the number of its
    /// statements that already ran, if they are unchanged.
    async fn resume_point(&mut self, step: &PreparedStep) -> Result<usize> {
        let Some(revision) = &step.revision else {
            return Ok(0);
        };
        let rows = read_history(self.conn, self.tables, Some(revision)).await?;
        let Some(last) = rows.last() else {
            return Ok(0);
        };
        let direction = self.record(step).direction;
        if last.direction != direction || last.success == Some(true) || last.statements_done == 0 {
            return Ok(0);
        }
        let done = (last.statements_done as usize).min(step.statements.len());
        if last.progress_checksum.as_deref()
            == Some(progress_checksum(&step.statements[..done]).as_str())
        {
            return Ok(done);
        }
        let path = step
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        Err(CommandError::new(format!(
            "Cannot resume {direction} {revision}: its first {done} statements ran in an earlier run that stopped part-way, and they have changed in {path} since"
        ))
        .with_reason(format!("the history table records {done} of {} statements done, with a different checksum", last.statements_total))
        .with_hint("restore those statements as they ran, or bring the database to the state you want by hand and move the version table with 'aludel stamp'")
        .into())
    }

    /// Statements one by one outside a transaction, recording progress after each.
    /// Returns how many statements an earlier run had already executed.
    async fn stepwise(&mut self, step: &PreparedStep, events: &mut dyn Events) -> Result<usize> {
        let skip = self.resume_point(step).await?;
        if skip > 0 {
            events.step_resumed(step, skip);
        }
        let record = self.record(step);
        let history = self.tables.history.clone();
        self.conn
            .execute(&record.insert_started(self.sql, &history))
            .await
            .map_err(db_error("writing the history table"))?;
        let started = Instant::now();
        for k in skip..step.statements.len() {
            if let Err(db) = self.conn.execute(&step.statements[k].sql).await {
                let outcome = Outcome {
                    statements_done: k,
                    progress_checksum: Some(progress_checksum(&step.statements[..k])),
                    finished_at: Utc::now(),
                    duration_ms: started.elapsed().as_millis() as u64,
                    error: Some(db.to_string()),
                };
                let _ = self
                    .conn
                    .execute(&record.update_finished(self.sql, &history, &outcome))
                    .await;
                return Err(self.failure(step, k, db, false).await);
            }
            let progress = record.update_progress(
                self.sql,
                &history,
                k + 1,
                &progress_checksum(&step.statements[..=k]),
            );
            self.conn
                .execute(&progress)
                .await
                .map_err(db_error("writing the history table"))?;
        }
        self.begin().await?;
        self.version_changes(step).await?;
        let outcome = Outcome {
            statements_done: step.statements.len(),
            progress_checksum: Some(progress_checksum(&step.statements)),
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
