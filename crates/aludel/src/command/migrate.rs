//! The commands that need a database: `upgrade`, `downgrade`, `stamp`, `current`,
//! `ensure-version`, and their offline (`--sql`) forms.
//!
//! Each online command takes the migration lock first (when it writes), reads the
//! version table, plans with [`crate::revision`] and hands the plan to
//! [`crate::runtime`]. Offline forms plan from the range's start instead of a database
//! and render the same prepared steps as a script. Graph errors are worded as
//! Alembic's commands word them.

use std::time::{Duration, Instant};

use crate::config::{Config, Dialect};
use crate::dialect::{connect as connect_db, sql_dialect, Access, ConnectOptions, Connection};
use crate::error::{Catch, CommandError, Error, Result};
use crate::project::Project;
use crate::revision::{Plan, RevIdx, VersionChange};
use crate::runtime::online::{self, db_error, ensure_tables, read_version_rows};
use crate::runtime::{
    offline, prepare_steps, Events, NoEvents, Resume, RunOptions, RunReport, Tables, Wait,
};

/// Connects to the project's database (`--url`, `DATABASE_URL` or `database_url`)
/// to write to it. `wait` retries while the server does not answer yet.
pub async fn connect(project: &Project, wait: Option<Duration>) -> Result<Box<dyn Connection>> {
    connect_with_config(&project.config, wait, Access::Write, &mut NoEvents).await
}

/// [`connect`] with only the configuration, so that connecting can start before
/// the revision files are read (the CLI overlaps the two). With [`Access::Read`] a
/// missing SQLite file is an error; with [`Access::Write`] it is created by the
/// first write only, and a SQLite URL with an empty path (an in-memory database,
/// whose changes would be lost at exit) is refused. While `wait` retries, `events`
/// hear what is awaited ([`Wait::Server`]) and when it answered.
pub async fn connect_with_config(
    config: &Config,
    wait: Option<Duration>,
    access: Access,
    events: &mut dyn Events,
) -> Result<Box<dyn Connection>> {
    let url = config.database_url()?;
    if access == Access::Write && url.sqlite_path_is_empty() {
        return Err(CommandError::new(format!(
            "The database URL '{}' names no SQLite file",
            url.masked()
        ))
        .with_reason(
            "an empty path is an in-memory database: every change would be lost when aludel exits",
        )
        .with_hint(
            "name a file: sqlite:///app.db (relative to the working directory) or \
             sqlite:////var/db/app.db (absolute); write sqlite::memory: if memory is really meant",
        )
        .with_kind("sqlite_memory_url")
        .into());
    }
    // A table name the database cannot use fails before connecting.
    Tables::for_config(config, sql_dialect(url.dialect()))?;
    let options = ConnectOptions {
        wait,
        lock_timeout: config.lock_timeout,
        access,
    };
    let target = url.masked();
    let mut waiting_since = None;
    let connected = connect_db(&url, &options, &mut |e| {
        waiting_since.get_or_insert_with(Instant::now);
        events.waiting(&Wait::Server {
            target: target.clone(),
            last_error: e.to_string(),
            limit: wait.unwrap_or_default(),
        });
    })
    .await
    .map_err(db_error(format!("cannot connect to {target}")))?;
    if let Some(since) = waiting_since {
        events.wait_over(since.elapsed());
    }
    Ok(connected)
}

/// Takes the migration lock; a wait for another holder is told to `events`.
/// Returns the lock's name (to release it).
async fn take_lock(
    conn: &mut dyn Connection,
    project: &Project,
    events: &mut dyn Events,
) -> Result<String> {
    let name = lock_name(project);
    let limit = project.config.lock_timeout;
    let mut waiting_since = None;
    conn.lock(&name, limit, &mut |holder| {
        waiting_since = Some(Instant::now());
        events.waiting(&Wait::Lock { holder, limit });
    })
    .await
    .map_err(db_error("cannot take the migration lock"))?;
    if let Some(since) = waiting_since {
        events.wait_over(since.elapsed());
    }
    Ok(name)
}

/// Options of `upgrade` and `downgrade`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrateOptions {
    /// Downgrade through revisions without a downgrade section.
    pub allow_irreversible: bool,
    /// The answer for a statement an interrupted run left uncertain.
    pub resume: Option<Resume>,
}

fn run_options(project: &Project, opts: &MigrateOptions) -> RunOptions {
    RunOptions {
        transaction_per_migration: project.config.transaction_per_migration,
        allow_irreversible: opts.allow_irreversible,
        resume: opts.resume,
    }
}

/// The name of the migration lock: one per version table of a database.
fn lock_name(project: &Project) -> String {
    let db = project
        .config
        .database_url()
        .ok()
        .and_then(|u| u.database().map(str::to_string))
        .unwrap_or_default();
    let schema = project
        .config
        .version_table_schema
        .as_deref()
        .map(|s| format!("{s}."))
        .unwrap_or_default();
    format!("{db}/{schema}{}", project.config.version_table)
}

/// Checks that every version-table row names a known revision (the error says how
/// to repair the table otherwise).
fn check_rows_known(project: &Project, rows: &[String], tables: &Tables) -> Result<()> {
    for row in rows {
        if project.map.index_of(row).is_none() {
            return Err(CommandError::new(format!(
                "Can't locate revision identified by '{row}'"
            ))
            .with_reason(format!(
                "the version table {} holds '{row}', which no revision file defines",
                tables.version.name
            ))
            .with_hint(
                "restore that revision file, or reset the table with 'aludel stamp --purge <revision>'",
            )
            .with_kind("unknown_version_row")
            .with_revision(row.clone())
            .with_version_rows(rows.to_vec())
            .into());
        }
    }
    Ok(())
}

fn no_range(target: &str) -> Result<()> {
    if target.contains(':') {
        return Err(CommandError::new("Range revision not allowed")
            .with_hint("a start:end range is only allowed with --sql")
            .with_kind("range_not_allowed")
            .with_argument(target)
            .into());
    }
    Ok(())
}

/// Which way a planner moves.
#[derive(Clone, Copy)]
enum Direction {
    Up,
    Down,
}

/// Plans `upgrade`/`downgrade TARGET` from the rows, with Alembic's wording of errors.
fn planner<'a>(
    project: &'a Project,
    tables: &'a Tables,
    target: &'a str,
    direction: Direction,
) -> impl Fn(&[String]) -> Result<Plan> + 'a {
    move |rows: &[String]| {
        check_rows_known(project, rows, tables)?;
        let (planned, ancestor) = match direction {
            Direction::Up => (
                project.map.plan_upgrade(rows, target),
                "Destination {end} is not a valid upgrade target from current head(s)",
            ),
            Direction::Down => (
                project.map.plan_downgrade(rows, target),
                "Destination {end} is not a valid downgrade target from current head(s)",
            ),
        };
        planned.map_err(|e| {
            Catch {
                ancestor: Some(ancestor),
                end: Some(target),
                ..Default::default()
            }
            .map(e)
        })
    }
}

fn stamp_catch() -> Catch<'static> {
    Catch {
        multiple_heads: Some("Multiple heads are present; please specify a single target revision"),
        ..Default::default()
    }
}

/// Refuses, before anything runs, a plan that would write a revision id longer
/// than the existing version table's `version_num` column holds (a table Alembic
/// created has `VARCHAR(32)`; aludel's own ids fit, hand-written ones may not).
fn check_width(project: &Project, tables: &Tables, plan: &Plan, width: usize) -> Result<()> {
    let written = plan
        .steps
        .iter()
        .flat_map(|s| &s.changes)
        .filter_map(|c| match c {
            VersionChange::Insert { version } | VersionChange::Update { to: version, .. } => {
                Some(version)
            }
            VersionChange::Delete { .. } => None,
        });
    for id in written {
        if id.chars().count() <= width {
            continue;
        }
        let file = project
            .map
            .index_of(id)
            .map(|idx| project.file(idx).path.display().to_string())
            .unwrap_or_default();
        return Err(CommandError::new(format!(
            "Revision {id} does not fit the version table {}",
            tables.version.name
        ))
        .with_reason(format!(
            "{file} defines revision id '{id}' of {} characters; the version table's version_num column holds at most {width}",
            id.chars().count()
        ))
        .with_hint(format!(
            "give the revision a shorter id (in its file and in every 'Revises:' naming it), or widen {}.version_num to VARCHAR(255)",
            tables.version.name
        ))
        .with_kind("revision_id_too_wide")
        .with_revision(id.clone())
        .into());
    }
    Ok(())
}

/// Runs a planner under the lock, creating aludel's tables first.
async fn run_locked(
    conn: &mut dyn Connection,
    project: &Project,
    tables: &Tables,
    planner: &dyn Fn(&[String]) -> Result<Plan>,
    options: &RunOptions,
    events: &mut dyn Events,
    stamp: Option<Stamp>,
) -> Result<RunReport> {
    if conn.is_new() {
        // Nothing to create the database for if the plan fails.
        planner(&[])?;
    }
    let name = take_lock(conn, project, events).await?;
    let result = async {
        ensure_tables(conn, tables).await?;
        let width = conn
            .version_column_width(&tables.version)
            .await
            .map_err(db_error(format!(
                "reading the version table {}",
                tables.version.name
            )))?;
        let planner = |rows: &[String]| {
            let plan = planner(rows)?;
            if let Some(width) = width {
                check_width(project, tables, &plan, width)?;
            }
            Ok(plan)
        };
        if stamp.as_ref().is_some_and(|s| s.purge) {
            let sql = format!("DELETE FROM {}", tables.version.qualified(conn.sql()));
            conn.execute(&sql)
                .await
                .map_err(db_error("emptying the version table"))?;
        }
        let mut report = online::run(conn, project, tables, &planner, options, events).await?;
        if let Some(stamp) = &stamp {
            let cleared = online::clear_partial_steps(conn, tables, &stamp.command).await?;
            report.warnings.extend(cleared);
        }
        Ok::<_, Error>(report)
    }
    .await;
    let unlocked = conn.unlock(&name).await;
    let report = result?;
    unlocked.map_err(db_error("releasing the migration lock"))?;
    Ok(report)
}

/// `upgrade TARGET`: runs every revision up to TARGET that has not run yet.
pub async fn upgrade(
    conn: &mut dyn Connection,
    project: &Project,
    target: &str,
    opts: &MigrateOptions,
    events: &mut dyn Events,
) -> Result<RunReport> {
    no_range(target)?;
    let tables = Tables::for_project(project, conn.sql())?;
    let planner = planner(project, &tables, target, Direction::Up);
    let options = run_options(project, opts);
    let plan = check_before_running(conn, project, &tables, &planner, &options).await?;
    if !project.config.hooks.pre_upgrade.is_empty() && !plan.steps.is_empty() {
        super::hooks::run_pre_upgrade_hooks(project)?;
    }
    run_locked(conn, project, &tables, &planner, &options, events, None).await
}

/// Plans from the version table as it is now and prepares the steps, without the
/// lock and without writing: what aludel refuses to run (an irreversible downgrade,
/// transaction control in a transactional section, …) is refused before anything
/// is created. The run plans again under the lock.
async fn check_before_running(
    conn: &mut dyn Connection,
    project: &Project,
    tables: &Tables,
    planner: &dyn Fn(&[String]) -> Result<Plan>,
    options: &RunOptions,
) -> Result<Plan> {
    let stored = read_version_rows(conn, tables).await?;
    let plan = planner(&project.map.split_redundant_rows(&stored).0)?;
    prepare_steps(project, &plan, conn.sql(), tables, options)?;
    Ok(plan)
}

/// `downgrade TARGET`: runs the downgrade sections down to TARGET.
pub async fn downgrade(
    conn: &mut dyn Connection,
    project: &Project,
    target: &str,
    opts: &MigrateOptions,
    events: &mut dyn Events,
) -> Result<RunReport> {
    no_range(target)?;
    let tables = Tables::for_project(project, conn.sql())?;
    let planner = planner(project, &tables, target, Direction::Down);
    let options = run_options(project, opts);
    check_before_running(conn, project, &tables, &planner, &options).await?;
    run_locked(conn, project, &tables, &planner, &options, events, None).await
}

/// `stamp TARGET...`: moves the version table without running anything. `purge`
/// empties it first (the repair for rows naming unknown revisions).
pub async fn stamp(
    conn: &mut dyn Connection,
    project: &Project,
    targets: &[String],
    purge: bool,
    events: &mut dyn Events,
) -> Result<RunReport> {
    let tables = Tables::for_project(project, conn.sql())?;
    let planner = |rows: &[String]| {
        check_rows_known(project, rows, &tables)?;
        project
            .map
            .plan_stamp(rows, targets)
            .map_err(|e| stamp_catch().map(e))
    };
    let options = run_options(project, &MigrateOptions::default());
    let stamp = Stamp {
        purge,
        command: format!(
            "stamp {}{}",
            if purge { "--purge " } else { "" },
            targets.join(" ")
        ),
    };
    run_locked(
        conn,
        project,
        &tables,
        &planner,
        &options,
        events,
        Some(stamp),
    )
    .await
}

/// What a stamp does besides moving the version table.
struct Stamp {
    /// Empty the version table first.
    purge: bool,
    /// The command as typed, for the history rows that clear steps left part-way.
    command: String,
}

/// `ensure-version`: creates the version (and history) table if missing. Returns
/// whether the version table was created.
pub async fn ensure_version(
    conn: &mut dyn Connection,
    project: &Project,
    events: &mut dyn Events,
) -> Result<bool> {
    let tables = Tables::for_project(project, conn.sql())?;
    let name = take_lock(conn, project, events).await?;
    let result = ensure_tables(conn, &tables).await;
    let unlocked = conn.unlock(&name).await;
    let created = result?;
    unlocked.map_err(db_error("releasing the migration lock"))?;
    Ok(created)
}

/// The version table's rows and what they mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    /// The rows, as stored.
    pub rows: Vec<String>,
    /// Alembic's "current" revisions: the rows' applied set reduced to its heads.
    pub current: Vec<RevIdx>,
    /// Applied revisions whose upgrade section changed since it ran (only computed
    /// when asked: it reads the whole history table).
    pub drift: Vec<Drift>,
    /// Steps that ran part of their statements and stopped (MySQL/MariaDB, or a
    /// `transaction=false` section): the version table does not show them.
    pub partial: Vec<PartialStep>,
    /// What is wrong with the version table but still readable (rows that are
    /// ancestors of other rows).
    pub warnings: Vec<String>,
}

/// A step of which some statements ran, and which neither finished nor rolled back:
/// what a person repairing a failed deploy needs to see.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PartialStep {
    pub revision: String,
    /// `upgrade` or `downgrade`.
    pub direction: String,
    pub statements_done: u64,
    pub statements_total: u64,
    /// `failed` (the database refused the next statement) or `interrupted` (the
    /// run stopped without a word: killed, connection lost).
    pub state: &'static str,
    /// The statement the step stopped at (1-based): the failed one, or the next.
    pub next_statement: u64,
    /// Whether that statement was sent without its completion being recorded (it
    /// may or may not have taken effect: `--resume rerun|skip`).
    pub uncertain: bool,
    /// The revision file, and the line of that statement in it (when the file still
    /// has it).
    pub path: Option<String>,
    pub line: Option<usize>,
    /// The database's error, for a failed step.
    pub error: Option<String>,
    /// When the run that left it started.
    pub started_at: String,
}

impl PartialStep {
    /// `r3 (upgrade): 3 of 6 statements applied, failed at statement 4 (path:12): …`.
    pub fn describe(&self) -> String {
        let place = match (&self.path, self.line) {
            (Some(p), Some(l)) => format!("statement {} ({p}:{l})", self.next_statement),
            _ => format!("statement {}", self.next_statement),
        };
        let what = match (self.state, self.uncertain) {
            ("failed", _) => format!(
                "failed at {place}: {}",
                self.error
                    .as_deref()
                    .unwrap_or("")
                    .lines()
                    .next()
                    .unwrap_or("")
            ),
            (_, true) => {
                format!("interrupted while {place} ran: it may or may not have taken effect")
            }
            _ => format!("interrupted before {place}"),
        };
        format!(
            "{} ({}): {} of {} statements applied, {what}",
            self.revision, self.direction, self.statements_done, self.statements_total
        )
    }
}

/// An applied revision whose file no longer matches what ran.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Drift {
    pub revision: String,
    pub path: String,
    pub applied_checksum: String,
    pub file_checksum: String,
}

/// `current`: reads the version table (never creates it); with `check_drift`, also
/// the history table, to find applied revisions whose file changed since (`-v`).
pub async fn current(
    conn: &mut dyn Connection,
    project: &Project,
    check_drift: bool,
) -> Result<Current> {
    let tables = Tables::for_project(project, conn.sql())?;
    let rows = read_version_rows(conn, &tables).await?;
    check_rows_known(project, &rows, &tables)?;
    let current = project.map.get_all_current(&rows)?;
    let drift = if check_drift {
        drift(conn, project, &tables, &rows).await?
    } else {
        Vec::new()
    };
    let partial = partial_steps(conn, project, &tables, &rows).await?;
    let warnings = online::redundant_warning(
        &tables.version.name,
        &project.map.split_redundant_rows(&rows).1,
    )
    .into_iter()
    .collect();
    Ok(Current {
        rows,
        current,
        drift,
        partial,
        warnings,
    })
}

/// The steps left part-way: the newest history row of a revision that neither
/// succeeded nor ran nothing, and that the version table does not contradict (a
/// part-way upgrade of a revision that is not applied, a downgrade of one that is).
async fn partial_steps(
    conn: &mut dyn Connection,
    project: &Project,
    tables: &Tables,
    rows: &[String],
) -> Result<Vec<PartialStep>> {
    let history = online::read_unfinished(conn, tables).await?;
    if history.is_empty() {
        return Ok(Vec::new());
    }
    let map = &project.map;
    let row_idx: Vec<RevIdx> = rows.iter().filter_map(|r| map.index_of(r)).collect();
    let applied = map.related_set(&row_idx, crate::revision::Edges::ancestors(true));
    let sql = conn.sql();
    let mut out = Vec::new();
    for h in history {
        let kind = match h.direction.as_str() {
            "upgrade" => crate::revision::StepKind::Upgrade,
            "downgrade" => crate::revision::StepKind::Downgrade,
            _ => continue,
        };
        let idx = map.index_of(&h.revision);
        let is_applied = idx.is_some_and(|i| applied[i]);
        if (kind == crate::revision::StepKind::Upgrade) == is_applied {
            continue;
        }
        let uncertain = h.success.is_none() && h.statement_started.is_some();
        let next = h.statements_done + 1;
        let (path, line) = match idx {
            Some(i) => {
                let file = project.file(i);
                let section = match kind {
                    crate::revision::StepKind::Upgrade => Some(&file.upgrade),
                    _ => file.downgrade.as_ref(),
                };
                let line = section.and_then(|s| {
                    crate::runtime::section_statements(s, sql)
                        .get(h.statements_done as usize)
                        .map(|st| st.line)
                });
                (Some(file.path.display().to_string()), line)
            }
            None => (None, None),
        };
        out.push(PartialStep {
            revision: h.revision,
            direction: h.direction,
            statements_done: h.statements_done,
            statements_total: h.statements_total,
            state: if h.success == Some(false) {
                "failed"
            } else {
                "interrupted"
            },
            next_statement: next,
            uncertain,
            path,
            line,
            error: h.error,
            started_at: h.started_at,
        });
    }
    Ok(out)
}

/// Applied revisions (the rows and all their ancestors) whose last successful
/// upgrade ran a section with a different checksum than the file has now.
async fn drift(
    conn: &mut dyn Connection,
    project: &Project,
    tables: &Tables,
    rows: &[String],
) -> Result<Vec<Drift>> {
    let history = online::read_history(conn, tables, None).await?;
    if history.is_empty() {
        return Ok(Vec::new());
    }
    let map = &project.map;
    let row_idx: Vec<RevIdx> = rows.iter().filter_map(|r| map.index_of(r)).collect();
    let applied = map.related_set(&row_idx, crate::revision::Edges::ancestors(true));
    let mut last: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for h in &history {
        if h.direction == "upgrade" && h.success == Some(true) {
            if let Some(sum) = &h.checksum {
                last.insert(&h.revision, sum);
            }
        }
    }
    let mut out = Vec::new();
    for (idx, is_applied) in applied.iter().enumerate() {
        if !is_applied {
            continue;
        }
        let file = project.file(idx);
        let Some(applied_sum) = last.get(map.id(idx)) else {
            continue;
        };
        let now = crate::runtime::sha256_hex(&file.upgrade.sql);
        if *applied_sum != now {
            out.push(Drift {
                revision: map.id(idx).to_string(),
                path: file.path.display().to_string(),
                applied_checksum: applied_sum.to_string(),
                file_checksum: now,
            });
        }
    }
    Ok(out)
}

/// Where a database stands against the project, for a health endpoint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Status {
    /// The version table's rows.
    pub current: Vec<String>,
    /// The heads the project expects (real heads).
    pub expected: Vec<String>,
    /// Revisions `upgrade heads` would run, in order.
    pub pending: Vec<String>,
    pub up_to_date: bool,
}

/// Compares the database with the project: what is applied, what is expected, what
/// `upgrade heads` would run. Reads only.
///
/// ```no_run
/// # async fn health(conn: &mut dyn aludel::dialect::Connection, project: &aludel::project::Project) -> aludel::Result<()> {
/// let status = aludel::command::status(conn, project).await?;
/// if !status.up_to_date {
///     eprintln!("pending: {:?}", status.pending);
/// }
/// # Ok(()) }
/// ```
pub async fn status(conn: &mut dyn Connection, project: &Project) -> Result<Status> {
    let tables = Tables::for_project(project, conn.sql())?;
    let rows = read_version_rows(conn, &tables).await?;
    check_rows_known(project, &rows, &tables)?;
    let pending = planner(project, &tables, "heads", Direction::Up)(
        &project.map.split_redundant_rows(&rows).0,
    )?
    .steps
    .iter()
    .filter_map(|s| s.revision().map(|r| project.map.id(r).to_string()))
    .collect::<Vec<_>>();
    Ok(Status {
        up_to_date: is_at_heads(project, &rows),
        expected: project.map.ids(project.map.real_heads()),
        current: rows,
        pending,
    })
}

/// `current --check-heads`: whether the rows are exactly the real heads (Alembic
/// compares with the versioned heads, so an effective head always failed: §10 #4).
pub fn is_at_heads(project: &Project, rows: &[String]) -> bool {
    let mut heads: Vec<String> = project.map.ids(project.map.real_heads());
    let mut rows = rows.to_vec();
    heads.sort();
    rows.sort();
    rows.dedup();
    heads == rows
}

/// Options of the offline commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfflineOptions {
    /// The dialect to render (`--dialect`), else the URL's.
    pub dialect: Option<Dialect>,
}

fn offline_dialect(project: &Project, opts: &OfflineOptions) -> Result<Dialect> {
    match opts.dialect {
        Some(d) => Ok(d),
        None => Ok(project.config.database_url()?.dialect()),
    }
}

/// Splits `start:end` (either side may be empty; an empty start is base: §10 #5).
fn split_range(range: &str) -> (Option<&str>, &str) {
    match range.split_once(':') {
        Some((start, end)) => ((!start.is_empty()).then_some(start), end),
        None => (None, range),
    }
}

/// The rows an offline script starts from: the range's start, resolved as Alembic
/// resolves it (one revision, no relative forms: `get_revision`); none for base.
fn start_rows(project: &Project, start: Option<&str>) -> Result<Vec<String>> {
    match start {
        None | Some("base") => Ok(Vec::new()),
        Some(s) => match project.map.get_revision(s) {
            Ok(Some(idx)) => Ok(vec![project.map.id(idx).to_string()]),
            Ok(None) => Ok(Vec::new()),
            Err(e) => Err(Catch::default().map(e)),
        },
    }
}

fn render(project: &Project, dialect: Dialect, plan: &Plan, run: &RunOptions) -> Result<String> {
    let sql = sql_dialect(dialect);
    let tables = Tables::for_project(project, sql)?;
    let steps = prepare_steps(project, plan, sql, &tables, run)?;
    Ok(offline::render_script(
        sql,
        &tables,
        &steps,
        plan.starting_rows.is_empty(),
        run,
    ))
}

/// `upgrade [START:]END --sql`.
pub fn upgrade_sql(
    project: &Project,
    range: &str,
    opts: &MigrateOptions,
    offline: &OfflineOptions,
) -> Result<String> {
    let dialect = offline_dialect(project, offline)?;
    let (start, end) = split_range(range);
    let rows = start_rows(project, start)?;
    let tables = Tables::for_project(project, sql_dialect(dialect))?;
    let plan = planner(project, &tables, end, Direction::Up)(&rows)?;
    render(project, dialect, &plan, &run_options(project, opts))
}

/// `downgrade START:END --sql` (the range is required, as in Alembic).
pub fn downgrade_sql(
    project: &Project,
    range: &str,
    opts: &MigrateOptions,
    offline: &OfflineOptions,
) -> Result<String> {
    let Some((start, end)) = range.split_once(':') else {
        return Err(
            CommandError::new("downgrade with --sql requires <fromrev>:<torev>")
                .with_kind("range_required")
                .with_argument(range)
                .into(),
        );
    };
    let dialect = offline_dialect(project, offline)?;
    let rows = start_rows(project, (!start.is_empty()).then_some(start))?;
    let tables = Tables::for_project(project, sql_dialect(dialect))?;
    let plan = planner(project, &tables, end, Direction::Down)(&rows)?;
    render(project, dialect, &plan, &run_options(project, opts))
}

/// `stamp [START:]TARGET... --sql`.
pub fn stamp_sql(
    project: &Project,
    targets: &[String],
    purge: bool,
    offline: &OfflineOptions,
) -> Result<String> {
    if purge {
        return Err(CommandError::new("Can't use --purge with --sql mode").into());
    }
    let dialect = offline_dialect(project, offline)?;
    let mut start: Option<Option<&str>> = None;
    let mut ends = Vec::with_capacity(targets.len());
    for t in targets {
        let (s, e) = split_range(t);
        let s = if t.contains(':') { s } else { None };
        match start {
            Some(prev) if prev != s => {
                return Err(CommandError::new(
                    "Stamp operation with --sql only supports a single starting revision at a time",
                )
                .into())
            }
            _ => start = Some(s),
        }
        ends.push(e.to_string());
    }
    let rows = start_rows(project, start.flatten())?;
    let plan = project
        .map
        .plan_stamp(&rows, &ends)
        .map_err(|e| stamp_catch().map(e))?;
    render(
        project,
        dialect,
        &plan,
        &run_options(project, &MigrateOptions::default()),
    )
}

/// `ensure-version --sql`: the version table's DDL.
pub fn ensure_version_sql(project: &Project, offline: &OfflineOptions) -> Result<String> {
    let dialect = offline_dialect(project, offline)?;
    let plan = Plan::default();
    render(
        project,
        dialect,
        &plan,
        &run_options(project, &MigrateOptions::default()),
    )
}

impl From<crate::dialect::DbError> for Error {
    fn from(source: crate::dialect::DbError) -> Self {
        Error::Database {
            context: "database error".to_string(),
            source: Box::new(source),
        }
    }
}
