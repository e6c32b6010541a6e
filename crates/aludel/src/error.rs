//! The library's error type: what went wrong, the precise reason where the headline
//! is Alembic's generic text, and what to do.
//!
//! Graph errors are mapped here exactly as Alembic's `_catch_revision_errors` maps
//! them (so the first line is Alembic's message), keeping the precise text Alembic
//! hides as [`Error::reason`] (ALEMBIC.md §10 #1). The CLI renders an `Error` once.

use thiserror::Error;

use crate::config::ConfigError;
use crate::init::InitError;
use crate::revision::RevisionError;
use crate::script::ScriptError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A failure with everything a user needs to act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandError {
    pub message: String,
    pub reason: Option<String>,
    pub hint: Option<String>,
}

impl CommandError {
    pub fn new(message: impl Into<String>) -> Self {
        CommandError {
            message: message.into(),
            reason: None,
            hint: None,
        }
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
    pub fn reason(&self) -> Option<&str> {
        match self {
            Error::Command(c) => c.reason.as_deref(),
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
}

impl Catch<'_> {
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
            RevisionError::MultipleHeads { heads, argument } => {
                let head_arg = self.end.unwrap_or(argument);
                let template = self.multiple_heads.unwrap_or(
                    "Multiple head revisions are present for given argument '{head_arg}'; please specify a specific target revision, '<branchname>@{head_arg}' to narrow to a specific head, or 'heads' for all heads",
                );
                CommandError::new(template.replace("{head_arg}", head_arg))
                    .with_reason(format!("heads: {}", heads.join(", ")))
                    .with_hint("merge them with 'aludel merge heads', or name one head")
            }
            RevisionError::Resolution { argument, .. } => {
                CommandError::new(format!("Can't locate revision identified by '{argument}'"))
                    .with_reason(precise)
            }
            RevisionError::MissingReference { source_path, .. } => CommandError::new(precise)
                .with_reason(format!("in {source_path}"))
                .with_hint("fix the header of that file, or restore the missing revision file"),
            RevisionError::DuplicateRevision { .. } => CommandError::new(precise).with_hint(
                "every revision file needs its own 'Revision ID:'; give one of them a new id",
            ),
            RevisionError::BranchNameInUse { .. } => CommandError::new(precise)
                .with_hint("branch labels must be unique and differ from every revision id"),
            RevisionError::Cycle { .. } | RevisionError::Other(_) => CommandError::new(precise),
        };
        Error::Command(command)
    }
}

impl From<RevisionError> for Error {
    fn from(err: RevisionError) -> Self {
        Catch::default().map(err)
    }
}
