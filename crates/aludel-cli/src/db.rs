//! The database commands of the CLI: builds a tokio runtime, connects, calls the
//! library's migrate commands and renders their results (text as Alembic prints it,
//! or JSON). Offline (`--sql`) forms print the library's script to stdout.

use aludel::command::{self, MigrateOptions, OfflineOptions};
use aludel::config::{Config, Dialect};
use aludel::dialect::{Access, Connection};
use aludel::display::LineOptions;
use aludel::error::{CommandError, Error, Result};
use aludel::project::Project;
use aludel::revision::RevIdx;
use aludel::runtime::{Resume, RunReport};
use serde_json::json;

use crate::args::{Cli, Command, DialectArg, OfflineArgs, ResumeArg};
use crate::render::{line_or_entry, revisions_json, Out};

/// The async runtime and the database connection of one command. Started before
/// the project's revision files are read, so that connecting (a server round trip,
/// or SQLite's worker thread) and loading the files overlap: `current` is mostly
/// these two. The connection is only used once the project has loaded without
/// error, so a malformed file is still reported before anything touches the
/// database.
pub struct Database {
    /// `Some` until dropped: dropping shuts it down without waiting for a
    /// connection attempt still in flight (a `--wait` retry, a DNS lookup).
    runtime: Option<tokio::runtime::Runtime>,
    connecting: tokio::task::JoinHandle<Result<Box<dyn Connection>>>,
}

impl Database {
    /// Starts connecting to `config`'s database in the background. Connecting
    /// creates nothing (a new SQLite file is created by the first write), so a
    /// project that fails to load leaves nothing behind.
    pub fn start(cli: &Cli, config: &Config, access: Access, out: &Out) -> Result<Database> {
        // One worker thread makes the connection while this thread reads files.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| Error::command(format!("Cannot start the async runtime: {e}")))?;
        let config = config.clone();
        let wait = cli.wait;
        let mut progress = out.progress.clone();
        let connecting = runtime.spawn(async move {
            command::connect_with_config(&config, wait, access, &mut progress).await
        });
        Ok(Database {
            runtime: Some(runtime),
            connecting,
        })
    }

    /// Waits for the connection, runs `work`, and closes the connection whatever
    /// happened.
    fn with_connection<T>(
        mut self,
        work: impl AsyncFnOnce(&mut dyn Connection) -> Result<T>,
    ) -> Result<T> {
        let Some(runtime) = self.runtime.take() else {
            return Err(Error::command("The async runtime has already shut down"));
        };
        let connecting = &mut self.connecting;
        let result = runtime.block_on(async {
            let mut conn = connecting
                .await
                .map_err(|e| Error::command(format!("The connection attempt stopped: {e}")))??;
            let result = work(conn.as_mut()).await;
            conn.close().await;
            result
        });
        runtime.shutdown_background();
        result
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Connects (unless `db` already is) and runs `work` on the connection.
fn with_connection<T>(
    cli: &Cli,
    project: &Project,
    out: &Out,
    db: Option<Database>,
    work: impl AsyncFnOnce(&mut dyn Connection) -> Result<T>,
) -> Result<T> {
    let db = match db {
        Some(db) => db,
        None => Database::start(cli, &project.config, access(&cli.command), out)?,
    };
    db.with_connection(work)
}

/// The version table's rows and the steps left part-way (for `history -i` and
/// `-r current:`).
pub fn current_state(cli: &Cli, project: &Project, out: &Out) -> Result<command::Current> {
    with_connection(cli, project, out, None, async |conn| {
        command::current(conn, project, false).await
    })
}

/// The revisions `current` names (for `show current`, `edit current`).
pub fn current_revisions(cli: &Cli, project: &Project, out: &Out) -> Result<Vec<RevIdx>> {
    with_connection(cli, project, out, None, async |conn| {
        let rows = command::current(conn, project, false).await?.rows;
        Ok(rows
            .iter()
            .filter_map(|r| project.map.index_of(r))
            .collect())
    })
}

fn offline_options(args: &OfflineArgs) -> OfflineOptions {
    OfflineOptions {
        dialect: args.dialect.map(|d| match d {
            DialectArg::Postgresql => Dialect::Postgres,
            DialectArg::Mysql => Dialect::MySql,
            DialectArg::Sqlite => Dialect::Sqlite,
        }),
    }
}

fn resume_choice(arg: ResumeArg) -> Resume {
    match arg {
        ResumeArg::Rerun => Resume::Rerun,
        ResumeArg::Skip => Resume::Skip,
        ResumeArg::Restart => Resume::Restart,
    }
}

fn print_script(out: &Out, script: &str) {
    if out.is_json() {
        out.json(|| json!({ "sql": script }));
    } else {
        out.raw(script);
    }
}

fn report_run(out: &Out, report: &RunReport) {
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    out.progress.summary(report);
    out.json(|| serde_json::to_value(report).unwrap_or_default());
}

/// `upgrade`, `downgrade`, `current`, `stamp`, `ensure-version`.
/// Whether `command` will talk to the database (not an offline `--sql` form), so
/// that connecting can start before the project is read.
pub fn connects(command: &Command) -> bool {
    match command {
        Command::Upgrade { offline, .. }
        | Command::Downgrade { offline, .. }
        | Command::Stamp { offline, .. }
        | Command::EnsureVersion { offline } => !offline.sql,
        Command::Current { .. } => true,
        _ => false,
    }
}

/// What `command` does with the database: `current`, `history -i`, `show current`
/// and `edit current` only read it.
pub fn access(command: &Command) -> Access {
    match command {
        Command::Upgrade { .. }
        | Command::Downgrade { .. }
        | Command::Stamp { .. }
        | Command::EnsureVersion { .. } => Access::Write,
        _ => Access::Read,
    }
}

/// Runs a database command; `db` is the connection started early, if any.
pub fn run(cli: &Cli, project: &Project, out: &Out, db: Option<Database>) -> Result<()> {
    let mut progress = out.progress.clone();
    match &cli.command {
        Command::Upgrade {
            revision,
            offline,
            resume,
        } => {
            let opts = MigrateOptions {
                resume: resume.map(resume_choice),
                ..Default::default()
            };
            if offline.sql {
                let script =
                    command::upgrade_sql(project, revision, &opts, &offline_options(offline))?;
                print_script(out, &script);
                return Ok(());
            }
            let report = with_connection(cli, project, out, db, async |conn| {
                command::upgrade(conn, project, revision, &opts, &mut progress).await
            })?;
            report_run(out, &report);
        }
        Command::Downgrade {
            revision,
            offline,
            allow_irreversible,
            resume,
        } => {
            let opts = MigrateOptions {
                allow_irreversible: *allow_irreversible,
                resume: resume.map(resume_choice),
            };
            if offline.sql {
                let script =
                    command::downgrade_sql(project, revision, &opts, &offline_options(offline))?;
                print_script(out, &script);
                return Ok(());
            }
            let report = with_connection(cli, project, out, db, async |conn| {
                command::downgrade(conn, project, revision, &opts, &mut progress).await
            })?;
            report_run(out, &report);
        }
        Command::Stamp {
            revisions,
            offline,
            purge,
        } => {
            if offline.sql {
                let script =
                    command::stamp_sql(project, revisions, *purge, &offline_options(offline))?;
                print_script(out, &script);
                return Ok(());
            }
            let report = with_connection(cli, project, out, db, async |conn| {
                command::stamp(conn, project, revisions, *purge, &mut progress).await
            })?;
            report_run(out, &report);
        }
        Command::EnsureVersion { offline } => {
            if offline.sql {
                let script = command::ensure_version_sql(project, &offline_options(offline))?;
                print_script(out, &script);
                return Ok(());
            }
            let created = with_connection(cli, project, out, db, async |conn| {
                command::ensure_version(conn, project, &mut progress).await
            })?;
            out.json(
                || json!({ "created": created, "version_table": project.config.version_table }),
            );
        }
        Command::Current { check_heads } => {
            current(cli, project, out, db, cli.verbose, *check_heads)?
        }
        _ => unreachable!("db::run is only called for database commands"),
    }
    Ok(())
}

fn current(
    cli: &Cli,
    project: &Project,
    out: &Out,
    db: Option<Database>,
    verbose: bool,
    check_heads: bool,
) -> Result<()> {
    let current = with_connection(cli, project, out, db, async |conn| {
        command::current(conn, project, verbose).await
    })?;
    if !out.is_json() {
        for w in &current.warnings {
            eprintln!("warning: {w}");
        }
    }
    if verbose {
        let url = project.config.database_url()?;
        out.text(&format!("Current revision(s) for {}:", url.masked()));
    }
    if current.rows.is_empty() {
        let table = match &project.config.version_table_schema {
            Some(schema) => format!("{schema}.{}", project.config.version_table),
            None => project.config.version_table.clone(),
        };
        out.text(&format!(
            "No revision applied (the version table {table} is empty or missing)"
        ));
    }
    for &r in &current.current {
        let opts = LineOptions {
            tree_indicators: true,
            ..Default::default()
        };
        out.text(&line_or_entry(project, r, verbose, opts));
    }
    for p in &current.partial {
        out.text(&format!("partially applied: {}", p.describe()));
    }
    if verbose || !current.drift.is_empty() {
        for d in &current.drift {
            let line = format!(
                "warning: revision {} changed since it was applied ({})",
                d.revision, d.path
            );
            if out.is_json() {
                continue;
            }
            eprintln!("{line}");
        }
    }
    let at_heads = command::is_at_heads(project, &current.rows);
    out.json(|| {
        json!({
            "rows": current.rows,
            "current": revisions_json(project, &current.current),
            "at_heads": at_heads,
            "drift": current.drift,
            "partial": current.partial,
            "warnings": current.warnings,
        })
    });
    if check_heads && !at_heads {
        let heads = project.map.ids(project.map.real_heads());
        return Err(CommandError::new("Database is not on all head revisions")
            .with_kind("not_at_heads")
            .with_heads(heads.clone())
            .with_version_rows(current.rows.clone())
            .with_reason(format!(
                "the database is at {}; the heads are {}",
                if current.rows.is_empty() {
                    "no revision".to_string()
                } else {
                    current.rows.join(", ")
                },
                heads.join(", ")
            ))
            .with_hint("run 'aludel upgrade heads'")
            .into());
    }
    Ok(())
}
