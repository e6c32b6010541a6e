//! Runs the parsed command through the library and renders the result: Alembic's
//! text formats, or one JSON document per command (fields in docs/json-output.md).

use std::io::Write;
use std::path::{Path, PathBuf};

use aludel::command::{self, InitAction, InitOptions, MergeOptions, RevisionOptions};
use aludel::config::{Config, ConfigOptions, Environment};
use aludel::display::{log_entry, revision_json, revision_line, LineOptions};
use aludel::error::{CommandError, Error, Result};
use aludel::project::Project;
use aludel::revision::RevIdx;
use serde_json::{json, Value};

use crate::args::{Cli, Command};
use crate::db;
use crate::progress::Progress;

/// What a command shows: standard output, buffered (history of 10,000 revisions is
/// one write, not 10,000; flushed when dropped, and before anything slow happens,
/// [`Out::flush`]), its one JSON document, and the progress on stderr.
pub(crate) struct Out {
    json: bool,
    quiet: bool,
    stdout: std::cell::RefCell<std::io::BufWriter<std::io::StdoutLock<'static>>>,
    /// The command's JSON document, written by [`Out::finish`] (with the error, if
    /// the command fails after making it: one document either way).
    document: std::cell::RefCell<Option<Value>>,
    pub(crate) progress: Progress,
}

impl Drop for Out {
    fn drop(&mut self) {
        self.flush();
    }
}

impl Out {
    pub(crate) fn new(json: bool, quiet: bool, progress: Progress) -> Out {
        Out {
            json,
            quiet,
            stdout: std::cell::RefCell::new(std::io::BufWriter::new(std::io::stdout().lock())),
            document: std::cell::RefCell::new(None),
            progress,
        }
    }
    pub(crate) fn flush(&self) {
        let _ = self.stdout.borrow_mut().flush();
    }
    /// Writes raw text (an offline script).
    pub(crate) fn raw(&self, text: &str) {
        let _ = self.stdout.borrow_mut().write_all(text.as_bytes());
    }
    pub(crate) fn text(&self, line: &str) {
        if !self.quiet && !self.json {
            let _ = writeln!(self.stdout.borrow_mut(), "{line}");
        }
    }
    pub(crate) fn is_json(&self) -> bool {
        self.json
    }
    /// Sets the JSON document `doc` makes, in JSON mode only (building it for a
    /// 10,000-revision history would cost more than the text output itself).
    pub(crate) fn json(&self, doc: impl FnOnce() -> Value) {
        if self.json {
            *self.document.borrow_mut() = Some(doc());
        }
    }
    /// Writes the JSON document: the command's, the error's (`{"error": …}`), or
    /// the command's with the error added under `"error"` when it failed after
    /// making one (`current --check-heads`).
    pub(crate) fn finish(&self, error: Option<&Error>) {
        let doc = self.document.borrow_mut().take();
        let doc = match (doc, error) {
            (Some(Value::Object(mut doc)), Some(err)) => {
                doc.insert("error".into(), error_json(err));
                Some(Value::Object(doc))
            }
            (_, Some(err)) => Some(json!({ "error": error_json(err) })),
            (doc, None) => doc,
        };
        if let Some(doc) = doc {
            let _ = writeln!(self.stdout.borrow_mut(), "{doc}");
        }
        self.flush();
    }
}

fn cwd() -> Result<PathBuf> {
    std::env::current_dir().map_err(|e| {
        CommandError::new(format!("Cannot read the working directory: {e}"))
            .with_kind("working_directory_unreadable")
            .into()
    })
}

/// Opens the project for the rest of the process. It is leaked on purpose: the
/// process ends right after the command, and freeing every parsed revision one by
/// one (a third of `heads` on 10,000 files) would only delay the exit.
fn open_project(cli: &Cli) -> Result<&'static Project> {
    open_loaded(load_config(cli)?)
}

fn open_loaded(config: Config) -> Result<&'static Project> {
    Ok(Box::leak(Box::new(Project::open(config)?)))
}

fn load_config(cli: &Cli) -> Result<Config> {
    let cwd = cwd()?;
    let env = Environment::from_process(&cwd)?;
    let opts = ConfigOptions {
        config_path: cli.config_file(),
        name: cli.name.clone(),
        url: cli.url.clone(),
        x_args: cli.x.clone(),
        cwd,
    };
    Ok(Config::load(&opts, &env)?)
}

pub(crate) fn revisions_json(project: &Project, revs: &[RevIdx]) -> Vec<Value> {
    revs.iter()
        .map(|&r| {
            serde_json::to_value(revision_json(&project.map, r, project.text(r)))
                .unwrap_or(Value::Null)
        })
        .collect()
}

pub fn run(cli: &Cli, out: &Out) -> Result<()> {
    match &cli.command {
        Command::Init {
            directory,
            template,
        } => {
            let cwd = cwd()?;
            let config_path = cli
                .config_file()
                .or_else(|| std::env::var_os("ALUDEL_CONFIG").map(PathBuf::from))
                .unwrap_or_else(|| PathBuf::from("aludel.toml"));
            let report = command::init(&InitOptions {
                directory: directory.clone(),
                template: template.clone(),
                config_path,
                cwd,
            })?;
            let mut actions = Vec::new();
            for action in &report.actions {
                let (kind, path, line) = match action {
                    InitAction::CreatedDirectory(p) => (
                        "created_directory",
                        p,
                        format!("Creating directory {} ...  done", p.display()),
                    ),
                    InitAction::GeneratedFile(p) => (
                        "generated_file",
                        p,
                        format!("Generating {} ...  done", p.display()),
                    ),
                    InitAction::SkippedExisting(p) => (
                        "skipped_existing",
                        p,
                        format!("File {} already exists, skipping", p.display()),
                    ),
                };
                out.text(&line);
                actions.push(json!({"action": kind, "path": path.display().to_string()}));
            }
            out.text(&format!(
                "Please edit configuration/connection settings in {} before proceeding.",
                report.config_path.display()
            ));
            out.json(
                || json!({"actions": actions, "config": report.config_path.display().to_string()}),
            );
        }
        Command::ListTemplates => {
            let templates = command::list_templates();
            out.text("Available templates:\n");
            for t in &templates {
                out.text(&format!("{} - {}", t.name, t.description));
            }
            out.text("\nTemplates are used via the 'init' command, e.g.:\n\n  aludel init --template generic ./migrations");
            out.json(|| json!({"templates": templates.iter().map(|t| json!({"name": t.name, "description": t.description})).collect::<Vec<_>>()}));
        }
        Command::Revision(a) => {
            let project = open_project(cli)?;
            let options = RevisionOptions {
                message: a.message.clone(),
                rev_id: a.rev_id.clone(),
                head: a.head.clone(),
                splice: a.splice,
                branch_labels: a.branch_label.clone(),
                depends_on: a.depends_on.clone(),
                version_path: a.version_path.clone(),
                cwd: cwd()?,
            };
            if a.autogenerate {
                crate::autogen::revision(project, a, options, out)?;
            } else {
                if !a.autogen.rename.is_empty() || a.autogen.offline {
                    return Err(Error::command(
                        "--rename and --offline only go with --autogenerate",
                    ));
                }
                let generated = command::revision(project, &options)?;
                report_generated(out, &generated);
            }
        }
        Command::Check { sql, autogen } => {
            let project = open_project(cli)?;
            crate::autogen::check(project, autogen, *sql, out)?;
        }
        Command::Merge(a) => {
            let project = open_project(cli)?;
            let generated = command::merge(
                project,
                &MergeOptions {
                    revisions: a.revisions.clone(),
                    message: a.message.clone(),
                    branch_labels: a.branch_label.clone(),
                    rev_id: a.rev_id.clone(),
                    splice: a.splice,
                    cwd: cwd()?,
                },
            )?;
            report_generated(out, &generated);
        }
        Command::Heads {
            resolve_dependencies,
        } => {
            let verbose = &cli.verbose;
            let project = open_project(cli)?;
            let heads = command::heads(project, *resolve_dependencies)?;
            for &h in &heads {
                out.text(&line_or_entry(project, h, *verbose, LineOptions::heads()));
            }
            out.json(|| json!({"heads": revisions_json(project, &heads)}));
        }
        Command::Branches => {
            let verbose = &cli.verbose;
            let project = open_project(cli)?;
            let points = command::branches(project)?;
            let map = &project.map;
            let mut docs = Vec::new();
            for bp in &points {
                let head = line_or_entry(
                    project,
                    bp.revision,
                    *verbose,
                    LineOptions {
                        include_branches: true,
                        tree_indicators: true,
                        ..Default::default()
                    },
                );
                let pad = " ".repeat(map.id(bp.revision).chars().count());
                let children: Vec<String> = bp
                    .children
                    .iter()
                    .map(|&c| {
                        let opts = LineOptions {
                            include_branches: true,
                            include_doc: *verbose,
                            tree_indicators: true,
                            ..Default::default()
                        };
                        format!("{pad} -> {}", revision_line(map, c, project.text(c), opts))
                    })
                    .collect();
                out.text(&format!("{head}\n{}\n", children.join("\n")));
                docs.push(json!({
                    "revision": revisions_json(project, &[bp.revision]).pop(),
                    "children": revisions_json(project, &bp.children),
                }));
            }
            out.json(|| json!({"branch_points": docs}));
        }
        Command::History {
            rev_range,
            indicate_current,
        } => {
            let verbose = &cli.verbose;
            let project = open_project(cli)?;
            let uses_current = rev_range
                .as_deref()
                .is_some_and(|r| r.split(':').any(|side| side == "current"));
            let (rows, partial) = if *indicate_current || uses_current {
                let state = db::current_state(cli, project, out)?;
                (state.rows, state.partial)
            } else {
                Default::default()
            };
            let partial_of = |r: RevIdx| {
                partial
                    .iter()
                    .find(|p| *indicate_current && p.revision == project.map.id(r))
            };
            let revs = if uses_current {
                command::history_with_current(project, rev_range.as_deref(), &rows)?
            } else {
                command::history(project, rev_range.as_deref())?
            };
            for &r in &revs {
                let current = *indicate_current && rows.iter().any(|row| row == project.map.id(r));
                let opts = LineOptions {
                    current,
                    ..LineOptions::history()
                };
                out.text(&line_or_entry(project, r, *verbose, opts));
                if let Some(p) = partial_of(r) {
                    out.text(&format!("    partially applied: {}", p.describe()));
                }
            }
            out.json(|| {
                let mut docs = revisions_json(project, &revs);
                if *indicate_current {
                    for (doc, &r) in docs.iter_mut().zip(&revs) {
                        doc["current"] = json!(rows.iter().any(|row| row == project.map.id(r)));
                        if let Some(p) = partial_of(r) {
                            doc["partial"] = json!(p);
                        }
                    }
                }
                json!({"revisions": docs})
            });
        }
        Command::Upgrade { .. }
        | Command::Downgrade { .. }
        | Command::Current { .. }
        | Command::Stamp { .. }
        | Command::EnsureVersion { .. } => {
            let config = load_config(cli)?;
            let db = if db::connects(&cli.command) {
                Some(db::Database::start(
                    cli,
                    &config,
                    db::access(&cli.command),
                    out,
                )?)
            } else {
                None
            };
            let project = open_loaded(config)?;
            db::run(cli, project, out, db)?;
        }
        Command::Show { rev } => {
            let project = open_project(cli)?;
            let revs = if rev == "current" {
                db::current_revisions(cli, project, out)?
            } else {
                command::show(project, rev)?
            };
            for &r in &revs {
                out.text(&log_entry(&project.map, r, project.text(r), false));
            }
            out.json(|| json!({"revisions": revisions_json(project, &revs)}));
        }
        Command::ImportAlembic(args) => crate::import::run(cli, args, out, cwd()?)?,
        Command::Edit { rev } => {
            let project = open_project(cli)?;
            let editor = command::editor_from_env();
            let opened = if rev == "current" {
                let revs = db::current_revisions(cli, project, out)?;
                if revs.is_empty() {
                    return Err(Error::command("No current revisions"));
                }
                let mut opened = Vec::new();
                for id in project.map.ids(&revs) {
                    opened.extend(command::edit(project, &id, editor.as_deref())?);
                }
                opened
            } else {
                command::edit(project, rev, editor.as_deref())?
            };
            out.json(|| json!({"opened": opened.iter().map(|p| p.display().to_string()).collect::<Vec<_>>()}));
        }
    }
    Ok(())
}

/// A revision as `-v` shows it (the log entry) or as one line, both marking it
/// current when `opts.current`.
pub(crate) fn line_or_entry(
    project: &Project,
    rev: RevIdx,
    verbose: bool,
    opts: LineOptions,
) -> String {
    if verbose {
        log_entry(&project.map, rev, project.text(rev), opts.current)
    } else {
        revision_line(&project.map, rev, project.text(rev), opts)
    }
}

fn report_generated(out: &Out, generated: &command::GeneratedRevision) {
    out.text(&format!(
        "Generating {} ...  done",
        absolute(&generated.path).display()
    ));
    for o in &generated.hook_output {
        let o = o.trim_end();
        if !o.is_empty() {
            out.text(o);
        }
    }
    out.json(|| json!({"revision": generated.revision, "path": absolute(&generated.path).display().to_string()}));
}

pub(crate) fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// `error: message`, then the precise reason and a hint when there are.
pub fn error_text(err: &Error, color: bool) -> String {
    let label = if color {
        "\x1b[1;31merror:\x1b[0m"
    } else {
        "error:"
    };
    let mut s = format!("{label} {err}\n");
    if let Some(reason) = err.reason() {
        for (i, line) in reason.lines().enumerate() {
            s.push_str(if i == 0 { "  reason: " } else { "          " });
            s.push_str(line);
            s.push('\n');
        }
    }
    if let Some(hint) = err.hint() {
        s.push_str(&format!("  hint: {hint}\n"));
    }
    s
}

/// The `"error"` object of a JSON document: `kind`, `message`, `reason`, `hint`,
/// and the error's fields (docs/json-output.md).
pub fn error_json(err: &Error) -> Value {
    let mut doc = serde_json::to_value(err.fields()).unwrap_or_else(|_| json!({}));
    if let Value::Object(map) = &mut doc {
        map.insert("message".into(), json!(err.to_string()));
        map.insert("reason".into(), json!(err.reason()));
        map.insert("hint".into(), json!(err.hint()));
    }
    doc
}
