//! `revision --autogenerate` and `check`: runs the library's autogenerate on a
//! runtime of its own, asks on a terminal whether a drop and an add of the same
//! shape are a rename, and renders the result. Ctrl-C lets the work unwind, so
//! the shadow databases it created are dropped before the process ends.

use std::io::{BufRead, IsTerminal, Write};

use aludel::autogen::{self, AutogenError, AutogenOptions, Generated, RenameQuestions};
use aludel::command::{self, RevisionOptions};
use aludel::error::{Error, Result};
use aludel::project::Project;
use aludel_schema::{RenameCandidate, Renames};
use serde_json::json;

use crate::args::{AutogenArgs, RevisionArgs};
use crate::render::Out;

/// Asks on the terminal: "Did you rename users.name to users.full_name? [y/N]".
struct TerminalQuestions;

impl RenameQuestions for TerminalQuestions {
    fn is_rename(&mut self, candidate: &RenameCandidate) -> bool {
        let question = match candidate {
            RenameCandidate::Table { from, to } => format!("Did you rename {from} to {to}?"),
            RenameCandidate::Column { table, from, to } => {
                format!("Did you rename {table}.{from} to {table}.{to}?")
            }
        };
        let mut stderr = std::io::stderr();
        let _ = write!(stderr, "{question} [y/N] ");
        let _ = stderr.flush();
        let mut answer = String::new();
        if std::io::stdin().lock().read_line(&mut answer).is_err() {
            return false;
        }
        matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES")
    }
}

/// Runs autogenerate for `args`, asking about renames only when a person can
/// answer (both standard input and standard error are terminals, and the output
/// is not JSON).
fn generate(
    project: &Project,
    args: &AutogenArgs,
    changes_only: bool,
    out: &Out,
) -> Result<Generated> {
    let mut renames = Renames::default();
    for hint in &args.rename {
        autogen::add_rename(&mut renames, hint)?;
    }
    let options = AutogenOptions {
        renames,
        offline: args.offline,
        changes_only,
    };
    let interactive =
        !out.is_json() && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::command(format!("Cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let work = async {
            if interactive {
                autogen::autogenerate(project, &options, &mut TerminalQuestions).await
            } else {
                autogen::autogenerate(project, &options, &mut autogen::NoQuestions).await
            }
        };
        tokio::select! {
            result = work => result,
            _ = tokio::signal::ctrl_c() => Err(Error::command("Interrupted: nothing was written")),
        }
    })
}

/// Warns about each drop and add that may have been a rename.
fn warn_unconfirmed(generated: &Generated) {
    for candidate in &generated.unconfirmed_renames {
        let (what, gone) = match candidate {
            RenameCandidate::Table { from, to } => (format!("table {to}"), format!("table {from}")),
            RenameCandidate::Column { table, from, to } => (
                format!("column {table}.{to}"),
                format!("column {table}.{from}"),
            ),
        };
        eprintln!(
            "warning: {gone} is dropped (its data is lost) and {what} added; if it is a rename, \
             run again with --rename {candidate} to keep the data"
        );
    }
}

/// `revision --autogenerate`.
pub fn revision(
    project: &Project,
    args: &RevisionArgs,
    options: RevisionOptions,
    out: &Out,
) -> Result<()> {
    let generated = generate(project, &args.autogen, false, out)?;
    warn_unconfirmed(&generated);
    if generated.is_empty() && !args.allow_empty {
        out.text("No changes detected.");
        out.json(|| json!({"revision": null, "changes": []}));
        return Ok(());
    }
    let written = command::revision_with_body(project, &options, generated.body())?;
    out.text(&format!(
        "Generating {} ...  done",
        std::path::absolute(&written.path)
            .unwrap_or_else(|_| written.path.clone())
            .display()
    ));
    for line in &written.hook_output {
        let line = line.trim_end();
        if !line.is_empty() {
            out.text(line);
        }
    }
    let changes: Vec<String> = generated.changes.iter().map(|c| c.to_string()).collect();
    out.json(|| {
        json!({
            "revision": written.revision,
            "path": std::path::absolute(&written.path).unwrap_or(written.path.clone()).display().to_string(),
            "changes": changes,
        })
    });
    Ok(())
}

/// `check`: exit 0 when nothing differs, else exit 1 with the differences;
/// `--sql` prints the upgrade instead.
pub fn check(project: &Project, args: &AutogenArgs, sql: bool, out: &Out) -> Result<()> {
    // Without `--sql` only the changes are wanted: nothing is rendered or verified.
    let generated = generate(project, args, !sql, out)?;
    warn_unconfirmed(&generated);
    if generated.is_empty() {
        out.text("No new upgrade operations detected.");
        out.json(|| json!({"changes": []}));
        return Ok(());
    }
    let changes: Vec<String> = generated.changes.iter().map(|c| c.to_string()).collect();
    if sql {
        let script = format!("{}\n", generated.body().upgrade);
        if out.is_json() {
            out.json(|| json!({ "sql": script }));
        } else {
            out.raw(&script);
        }
        return Ok(());
    }
    Err(AutogenError::DiffsDetected { changes }.into())
}
