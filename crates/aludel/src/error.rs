//! The library's error type: what went wrong, the precise reason where the headline
//! is Alembic's generic text, and what to do.
//!
//! Graph errors are mapped here exactly as Alembic's `_catch_revision_errors` maps
//! them (so the first line is Alembic's message), keeping the precise text Alembic
//! hides as [`Error::reason`] (ALEMBIC.md §10 #1). The CLI renders an `Error` once.

use thiserror::Error;

use std::path::{Path, PathBuf};

mod fields;
pub use fields::ErrorFields;

use crate::autogen::AutogenError;
use crate::config::ConfigError;
use crate::dialect::DbError;
use crate::init::InitError;
use crate::revision::{RevisionError, StepKind, WalkWay};
use crate::runtime::StepReport;
use crate::script::ScriptError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A failure with everything a user needs to act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandError {
    pub message: String,
    pub reason: Option<String>,
    pub hint: Option<String>,
    /// Kind (`command` unless [`with_kind`](CommandError::with_kind)) and fields.
    pub fields: Box<ErrorFields>,
}

impl CommandError {
    pub fn new(message: impl Into<String>) -> Self {
        CommandError {
            message: message.into(),
            reason: None,
            hint: None,
            fields: Box::new(ErrorFields::new("command")),
        }
    }
    /// The stable name of this error (docs/json-output.md).
    pub fn with_kind(mut self, kind: &'static str) -> Self {
        self.fields.kind = kind;
        self
    }
    pub fn with_revision(mut self, revision: impl Into<String>) -> Self {
        self.fields.revision = Some(revision.into());
        self
    }
    /// The file the error is about and, when known, the line.
    pub fn with_location(mut self, path: Option<&Path>, line: Option<usize>) -> Self {
        *self.fields = std::mem::take(&mut *self.fields).at(path, line);
        self
    }
    pub fn with_argument(mut self, argument: impl Into<String>) -> Self {
        self.fields.argument = Some(argument.into());
        self
    }
    pub fn with_heads(mut self, heads: Vec<String>) -> Self {
        self.fields.heads = Some(heads);
        self
    }
    pub fn with_version_rows(mut self, rows: Vec<String>) -> Self {
        self.fields.version_rows = Some(rows);
        self
    }
    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Script(#[from] ScriptError),
    #[error(transparent)]
    Init(#[from] InitError),
    #[error("{}", .0.message)]
    Command(CommandError),
    /// Talking to the database failed (connecting, the lock, aludel's own tables).
    #[error("{context}: {source}")]
    Database {
        context: String,
        #[source]
        source: Box<DbError>,
    },
    /// A statement of a revision file failed.
    #[error("{}", .0.headline())]
    Migration(Box<MigrationFailure>),
    /// An interrupted run left a statement whose effect is unknown.
    #[error("{}", .0.headline())]
    Uncertain(Box<UncertainStatement>),
    /// A run failed after some of its steps had committed (they stay applied).
    #[error("{}", .0.error)]
    Run(Box<RunFailure>),
    /// Autogenerate or `check` could not produce a verified migration.
    #[error(transparent)]
    Autogen(Box<AutogenError>),
}

impl From<AutogenError> for Error {
    fn from(err: AutogenError) -> Self {
        Error::Autogen(Box::new(err))
    }
}

/// The error that stopped a run, and the steps of the run committed before it.
#[derive(Debug)]
pub struct RunFailure {
    pub error: Error,
    /// Never empty (a run that committed nothing fails with its error alone).
    pub committed: Vec<StepReport>,
}

impl Error {
    /// `self`, with the steps a run committed before it (unchanged when none).
    pub fn after_steps(self, committed: Vec<StepReport>) -> Error {
        if committed.is_empty() {
            self
        } else {
            Error::Run(Box::new(RunFailure {
                error: self,
                committed,
            }))
        }
    }

    /// The error itself, without the steps a run committed before it.
    pub fn cause(&self) -> &Error {
        match self {
            Error::Run(run) => run.error.cause(),
            other => other,
        }
    }
}

/// A statement that an earlier, interrupted run sent to the database without its
/// completion being recorded (it cannot share a transaction with the record: DDL
/// on MySQL, a `transaction=false` section). It may or may not have taken effect,
/// so aludel neither re-runs nor skips it without the user's word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UncertainStatement {
    pub kind: StepKind,
    pub revision: String,
    pub path: PathBuf,
    /// 1-based line of the statement in the file.
    pub line: usize,
    /// 1-based number of the statement in its section, and how many the section has.
    pub statement_number: usize,
    pub statement_count: usize,
    pub statement: String,
    /// When the interrupted run started the step (as the history table has it).
    pub interrupted_at: String,
}

impl UncertainStatement {
    fn headline(&self) -> String {
        format!(
            "{} {} was interrupted at {}:{} (statement {} of {}), which may or may not have taken effect",
            self.kind.name(),
            self.revision,
            self.path.display(),
            self.line,
            self.statement_number,
            self.statement_count
        )
    }

    fn reason(&self) -> String {
        let before = match self.statement_number {
            1 => "no statement before it had run".to_string(),
            n => format!("statements 1 to {} had run and stay applied", n - 1),
        };
        format!(
            "a run started {} sent this statement to the database and stopped before its completion was recorded ({before}); it cannot be rolled back\nstatement: {}",
            self.interrupted_at,
            shorten(&self.statement)
        )
    }

    fn hint(&self) -> String {
        format!(
            "check the database, then run the same command again with '--resume rerun' if the statement did not take effect (it runs again), or with '--resume skip' if it did (the run goes on at statement {}); the history table records the choice",
            self.statement_number + 1
        )
    }
}

/// A statement cut to a length that fits an error message.
fn shorten(statement: &str) -> String {
    const LIMIT: usize = 400;
    let mut out: String = statement.chars().take(LIMIT).collect();
    if statement.chars().count() > LIMIT {
        out.push_str(" …");
    }
    out
}

/// A statement of a revision file that the database rejected, and where that left
/// the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFailure {
    pub kind: StepKind,
    pub revision: String,
    pub path: PathBuf,
    /// 1-based line of the statement in the file.
    pub line: usize,
    /// 1-based number of the statement in its section, and how many the section has.
    pub statement_number: usize,
    pub statement_count: usize,
    pub statement: String,
    pub db: DbError,
    /// Whether the step ran inside a transaction (and so was rolled back whole).
    pub rolled_back: bool,
    /// How many of the step's statements ran and stay applied (a step that runs
    /// statement by statement; statements before the failed one in the same
    /// transaction of row changes rolled back with it).
    pub statements_applied: usize,
    /// The version table after the failure.
    pub version_rows: Vec<String>,
}

impl MigrationFailure {
    fn headline(&self) -> String {
        format!(
            "{} {} failed at {}:{} (statement {} of {})",
            self.kind.name(),
            self.revision,
            self.path.display(),
            self.line,
            self.statement_number,
            self.statement_count
        )
    }

    fn reason(&self) -> String {
        let statement = shorten(&self.statement);
        let mut out = format!("database error {}", self.db);
        if let Some(hint) = &self.db.hint {
            out.push_str(&format!("\ndatabase hint: {hint}"));
        }
        out.push_str(&format!("\nstatement: {statement}"));
        out
    }

    fn hint(&self) -> String {
        let rows = if self.version_rows.is_empty() {
            "empty".to_string()
        } else {
            format!("at {}", self.version_rows.join(", "))
        };
        if self.rolled_back && self.db.refuses_transaction() {
            format!(
                "this step was rolled back; the version table is {rows}. The statement cannot run inside a transaction: move it to a section marked '-- aludel:{} transaction=false' (statements run one by one there), then run the command again",
                self.kind.name()
            )
        } else if self.rolled_back {
            format!(
                "this step was rolled back; the version table is {rows}. Fix the statement, then run the command again"
            )
        } else {
            let applied = self.statements_applied;
            let failed = self.statement_number;
            let kept = match applied {
                0 => "no statement of this step stays applied".to_string(),
                n => format!(
                    "statements 1 to {n} of this step ran and stay applied (recorded in the history table)"
                ),
            };
            let undone = if failed > applied + 1 {
                format!(
                    "; statements {} to {} ran in one transaction with the failed one and were rolled back with it",
                    applied + 1,
                    failed - 1
                )
            } else {
                String::new()
            };
            format!(
                "{kept}{undone}; the version table is {rows}. Fix the failing statement, then run the command again: it resumes at statement {}",
                applied + 1
            )
        }
    }
}

impl From<CommandError> for Error {
    fn from(e: CommandError) -> Self {
        Error::Command(e)
    }
}

impl Error {
    pub fn command(message: impl Into<String>) -> Self {
        Error::Command(CommandError::new(message))
    }

    /// The precise cause where the message is a generic one.
    pub fn reason(&self) -> Option<String> {
        match self {
            Error::Command(c) => c.reason.clone(),
            Error::Migration(m) => Some(m.reason()),
            Error::Uncertain(u) => Some(u.reason()),
            Error::Run(run) => run.error.reason(),
            Error::Autogen(e) => e.reason(),
            _ => None,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Command(c) => c.hint.clone(),
            Error::Script(e) => Some(e.hint()),
            Error::Config(e) => e.hint().map(|h| h.to_string()),
            Error::Init(e) => e.hint().map(|h| h.to_string()),
            Error::Migration(m) => Some(m.hint()),
            Error::Uncertain(u) => Some(u.hint()),
            Error::Database { source, .. } => source.hint.clone(),
            Error::Run(run) => run.error.hint(),
            Error::Autogen(e) => e.hint(),
        }
    }
}

/// How a command words graph errors: Alembic's `_catch_revision_errors` arguments.
#[derive(Debug, Clone, Default)]
pub struct Catch<'a> {
    /// Message for a range error, with `{start}` and `{end}`.
    pub ancestor: Option<&'a str>,
    /// Message for several heads, with `{head_arg}`.
    pub multiple_heads: Option<&'a str>,
    pub start: Option<&'a str>,
    pub end: Option<&'a str>,
    /// The option that takes the revision (`--head` for `revision`), for hints
    /// that say what to type; `None` when it is a positional argument.
    pub option: Option<&'a str>,
}

impl Catch<'_> {
    /// Heads on separate labelled branches (a schema line and a seed-data line) are
    /// meant to stay apart: merging them would tie them together for good, so the
    /// hint names each one by its label instead.
    fn labelled_heads_hint(&self, labelled: &[(&str, &str)]) -> String {
        let branches = labelled
            .iter()
            .map(|(label, head)| format!("{label} ({head})"))
            .collect::<Vec<_>>();
        let targets = labelled
            .iter()
            .map(|(label, _)| match self.option {
                Some(option) => format!("{option} {label}@head"),
                None => format!("'{label}@head'"),
            })
            .collect::<Vec<_>>();
        let one = match targets.split_last() {
            Some((last, first)) if !first.is_empty() => format!("{} or {last}", first.join(", ")),
            _ => targets.concat(),
        };
        match self.option {
            Some(_) => format!(
                "the heads are on separate labelled branches, {}: choose one with {one}",
                branches.join(", ")
            ),
            None => format!(
                "the heads are on separate labelled branches, {}: name all of them with 'heads', or one with {one}",
                branches.join(", ")
            ),
        }
    }

    /// Maps a graph error to the user-facing error.
    pub fn map(&self, err: RevisionError) -> Error {
        let precise = err.to_string();
        let command = match &err {
            RevisionError::RangeNotAncestor { lower, upper } => {
                let start = self
                    .start
                    .map(str::to_string)
                    .unwrap_or_else(|| lower.clone().unwrap_or_else(|| "None".into()));
                let end = self
                    .end
                    .map(str::to_string)
                    .unwrap_or_else(|| upper.clone().unwrap_or_else(|| "None".into()));
                let template = self.ancestor.unwrap_or(
                    "Requested range {start}:{end} does not refer to ancestor/descendant revisions along the same branch",
                );
                CommandError::new(template.replace("{start}", &start).replace("{end}", &end))
                    .with_reason(precise)
            }
            RevisionError::MultipleHeads {
                heads, argument, ..
            } => {
                let head_arg = self.end.unwrap_or(argument);
                let template = self.multiple_heads.unwrap_or(
                    "Multiple head revisions are present for given argument '{head_arg}'; please specify a specific target revision, '<branchname>@{head_arg}' to narrow to a specific head, or 'heads' for all heads",
                );
                let hint = match err.labelled_heads() {
                    Some(labelled) => self.labelled_heads_hint(&labelled),
                    None => "merge them with 'aludel merge heads', or name one head".to_string(),
                };
                CommandError::new(template.replace("{head_arg}", head_arg))
                    .with_reason(format!("heads: {}", heads.join(", ")))
                    .with_hint(hint)
            }
            RevisionError::Resolution { argument, .. } => {
                CommandError::new(format!("Can't locate revision identified by '{argument}'"))
                    .with_reason(precise)
            }
            RevisionError::MissingReference {
                source_path, line, ..
            } => CommandError::new(precise)
                .with_reason(format!("in {}", located(source_path, *line)))
                .with_hint("fix the header of that file, or restore the missing revision file"),
            RevisionError::DuplicateRevision { .. } => CommandError::new(precise).with_hint(
                "every revision file needs its own 'Revision ID:'; give one of them a new id",
            ),
            RevisionError::BranchNameInUse { .. } => CommandError::new(precise)
                .with_hint("branch labels must be unique and differ from every revision id"),
            RevisionError::Cycle { origins, also, .. } => {
                let mut reason: Vec<String> = origins
                    .iter()
                    .take(MAX_CYCLE_LINES)
                    .map(|o| {
                        let verb = if o.field == "Revises" {
                            "revises"
                        } else {
                            "depends on"
                        };
                        let targets = if o.targets == [o.revision.clone()] {
                            "itself".to_string()
                        } else {
                            o.targets.join(", ")
                        };
                        format!(
                            "{}: {} {verb} {targets}",
                            located(&o.source, o.line),
                            o.revision
                        )
                    })
                    .collect();
                if origins.len() > MAX_CYCLE_LINES {
                    reason.push(format!(
                        "… and {} more header lines",
                        origins.len() - MAX_CYCLE_LINES
                    ));
                }
                let mut hint = "a revision can only revise or depend on revisions that do not \
                                lead back to it: fix the Revises: or Depends On: line of one \
                                of these files"
                    .to_string();
                if let Some(also) = also {
                    reason.push(format!("also: {also}"));
                    hint.push_str(
                        "; and give one of the files with the same 'Revision ID:' a new id",
                    );
                }
                let command = CommandError::new(precise).with_hint(hint);
                if reason.is_empty() {
                    command
                } else {
                    command.with_reason(reason.join("\n"))
                }
            }
            RevisionError::AmbiguousWalk {
                from,
                up,
                ways,
                relative,
                ..
            } => CommandError::new(precise)
                .with_reason(ambiguous_walk_reason(from.as_deref(), *up, ways))
                .with_hint(ambiguous_walk_hint(relative.as_deref(), ways)),
            RevisionError::Other(_) => CommandError::new(precise),
        };
        Error::Command(CommandError {
            fields: Box::new(graph_fields(&err)),
            ..command
        })
    }
}

/// The kind and fields of a graph error.
fn graph_fields(err: &RevisionError) -> ErrorFields {
    match err {
        RevisionError::RangeNotAncestor { .. } => ErrorFields::new("not_an_ancestor"),
        RevisionError::MultipleHeads {
            heads, argument, ..
        } => ErrorFields {
            heads: Some(heads.clone()),
            argument: Some(argument.clone()),
            ..ErrorFields::new("multiple_heads")
        },
        RevisionError::Resolution { argument, .. } => ErrorFields {
            argument: Some(argument.clone()),
            ..ErrorFields::new("unknown_revision")
        },
        RevisionError::Cycle { .. } => ErrorFields::new("cycle"),
        RevisionError::BranchNameInUse { revision, .. } => ErrorFields {
            revision: Some(revision.clone()),
            ..ErrorFields::new("branch_label_in_use")
        },
        RevisionError::DuplicateRevision { revision, .. } => ErrorFields {
            revision: Some(revision.clone()),
            ..ErrorFields::new("duplicate_revision")
        },
        RevisionError::MissingReference {
            revision,
            source_path,
            line,
            ..
        } => ErrorFields {
            revision: Some(revision.clone()),
            ..ErrorFields::new("missing_reference").at(Some(Path::new(source_path)), *line)
        },
        RevisionError::AmbiguousWalk {
            from,
            ways,
            relative,
            ..
        } => ErrorFields {
            revision: from.clone(),
            argument: relative.clone(),
            ways: Some(ways.iter().map(|w| w.revision.clone()).collect()),
            ..ErrorFields::new("ambiguous_walk")
        },
        RevisionError::Other(_) => ErrorFields::new("revision_graph"),
    }
}

/// Where an ambiguous walk stood and where it could go.
fn ambiguous_walk_reason(from: Option<&str>, up: bool, ways: &[WalkWay]) -> String {
    let list = or_list(ways.iter().map(|w| w.revision.as_str()));
    match (from, up) {
        (Some(from), true) => {
            format!("{from} is a branch point: one step up from it leads to {list}")
        }
        (Some(from), false) => {
            format!("{from} is a merge point: one step down from it leads to {list}")
        }
        (None, true) => format!("the walk starts below {} roots: {list}", ways.len()),
        (None, false) => format!("the walk starts above {} heads: {list}", ways.len()),
    }
}

/// What to type instead of an ambiguous relative step: a revision id, or the
/// same step along one labelled branch (when the label narrows the walk).
fn ambiguous_walk_hint(relative: Option<&str>, ways: &[WalkWay]) -> String {
    let ids = or_list(ways.iter().map(|w| format!("'{}'", w.revision)));
    let mut hint = format!("name the revision to go to instead of a relative step, e.g. {ids}");
    // A label narrows the walk when it is on some of the ways but not on all.
    let mut telling: Vec<&str> = Vec::new();
    for way in ways {
        for label in &way.labels {
            let on_all = ways.iter().all(|w| w.labels.contains(label));
            if !on_all && !telling.contains(&label.as_str()) {
                telling.push(label);
            }
        }
    }
    if let (Some(relative), false) = (relative, telling.is_empty()) {
        let forms = or_list(telling.iter().map(|l| format!("'{l}@{relative}'")));
        hint.push_str(&format!(", or step along one branch: {forms}"));
    }
    hint
}

/// `a`, `a or b`, `a, b or c`.
fn or_list<S: AsRef<str>>(items: impl Iterator<Item = S>) -> String {
    let items: Vec<S> = items.collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.as_ref().to_string(),
        Some((last, rest)) => format!(
            "{} or {}",
            rest.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// At most this many header lines are listed for a cycle (a graph without heads
/// lists every revision).
const MAX_CYCLE_LINES: usize = 20;

/// `path:line`, or the path alone when the line is unknown.
fn located(path: &str, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{path}:{line}"),
        None => path.to_string(),
    }
}

impl From<RevisionError> for Error {
    fn from(err: RevisionError) -> Self {
        Catch::default().map(err)
    }
}
