//! Errors of the revision graph, one variant per failure Alembic distinguishes.
//!
//! The texts are Alembic's own (`RevisionError` and its subclasses), because the
//! command layer maps them to Alembic's user-facing messages and shows the precise
//! text as the reason. This module formats nothing for the terminal.

use thiserror::Error;

/// Which kind of loop a cycle error reports; the words are Alembic's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CycleKind {
    Cycle,
    DependencyCycle,
    SelfLoop,
    DependencySelfLoop,
}

impl CycleKind {
    fn words(self) -> &'static str {
        match self {
            CycleKind::Cycle => "Cycle",
            CycleKind::DependencyCycle => "Dependency cycle",
            CycleKind::SelfLoop => "Self-loop",
            CycleKind::DependencySelfLoop => "Dependency self-loop",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RevisionError {
    /// `lower` is not below `upper`. `lower` may be a free text such as
    /// "Nothing to drop", exactly as in Alembic.
    #[error("Revision {} is not an ancestor of revision {}", .lower.as_deref().unwrap_or("base"), .upper.as_deref().unwrap_or("base"))]
    RangeNotAncestor {
        lower: Option<String>,
        upper: Option<String>,
    },

    /// A symbol that must name one revision names several.
    #[error("Multiple heads are present for given argument '{argument}'; {}", .heads.join(", "))]
    MultipleHeads {
        heads: Vec<String>,
        argument: String,
    },

    /// An identifier that does not resolve; `argument` is the part that failed.
    #[error("{message}")]
    Resolution { message: String, argument: String },

    #[error("{} is detected in revisions ({})", .kind.words(), .revisions.join(", "))]
    Cycle {
        kind: CycleKind,
        revisions: Vec<String>,
    },

    /// A branch label used twice, or colliding with a revision id.
    #[error("Branch name '{label}' in revision {revision} already used by revision {existing}")]
    BranchNameInUse {
        label: String,
        revision: String,
        existing: String,
    },

    /// Two files declare the same revision id.
    #[error("Revision {revision} is present more than once: {first} and {second}")]
    DuplicateRevision {
        revision: String,
        first: String,
        second: String,
    },

    /// `Revises:` or `Depends On:` names something that does not exist.
    #[error("Revision {missing} referenced from revision {revision} ({field}) is not present")]
    MissingReference {
        missing: String,
        revision: String,
        field: &'static str,
        source_path: String,
    },

    /// Any other graph error, with Alembic's text ("Ambiguous walk", "Walked too far", ...).
    #[error("{0}")]
    Other(String),
}

impl RevisionError {
    pub(crate) fn other(text: impl Into<String>) -> Self {
        RevisionError::Other(text.into())
    }

    pub(crate) fn resolution(message: impl Into<String>, argument: impl Into<String>) -> Self {
        RevisionError::Resolution {
            message: message.into(),
            argument: argument.into(),
        }
    }

    pub(crate) fn relative_too_short(relative: &str, steps: u64) -> Self {
        RevisionError::Other(format!(
            "Relative revision {relative} didn't produce {steps} migrations"
        ))
    }
}
