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

/// One header line of a revision in a cycle: `revision`'s `field` (`Revises` or
/// `Depends On`), at `line` of `source`, names `targets`, which are in the cycle too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleOrigin {
    pub revision: String,
    pub source: String,
    pub line: Option<usize>,
    pub field: &'static str,
    pub targets: Vec<String>,
}

/// One revision an ambiguous walk could step to, with the branch labels it carries
/// (its own and inherited ones), which can narrow a walk to one branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkWay {
    pub revision: String,
    pub labels: Vec<String>,
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

    /// A symbol that must name one revision names several. `labels` has one entry
    /// per head: a branch label that head carries and no other of them does (so
    /// `label@head` names it alone), or `None`.
    #[error("Multiple heads are present for given argument '{argument}'; {}", .heads.join(", "))]
    MultipleHeads {
        heads: Vec<String>,
        argument: String,
        labels: Vec<Option<String>>,
    },

    /// An identifier that does not resolve; `argument` is the part that failed.
    #[error("{message}")]
    Resolution { message: String, argument: String },

    /// A loop; the text is Alembic's. `origins` are the header lines that close
    /// it; `also` is a second error of the same file (a duplicate id).
    #[error("{} is detected in revisions ({})", .kind.words(), .revisions.join(", "))]
    Cycle {
        kind: CycleKind,
        revisions: Vec<String>,
        origins: Vec<CycleOrigin>,
        also: Option<Box<RevisionError>>,
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
        /// The line of that header key in `source_path`.
        line: Option<usize>,
    },

    /// A relative step (`-1`, `+2`, `rev-1`, …) met a fork: going down, a merge
    /// point (or several heads); going up, a branch point (or several roots).
    /// `from` is where the walk stood (`None`: below the roots going up, above the
    /// heads going down); `ways` are the revisions it could step to; `steps` is the
    /// number of steps asked for; `relative` is the identifier that asked for
    /// them without a branch label (`+2`, `a1+2`), where one would narrow the walk.
    /// The text is Alembic's.
    #[error("Ambiguous walk")]
    AmbiguousWalk {
        from: Option<String>,
        up: bool,
        steps: i64,
        ways: Vec<WalkWay>,
        relative: Option<String>,
    },

    /// Any other graph error, with Alembic's text ("Walked too far", ...).
    #[error("{0}")]
    Other(String),
}

impl RevisionError {
    /// For [`RevisionError::MultipleHeads`] whose heads each have a label of their
    /// own (separate labelled branches, such as a schema line and a seed-data line):
    /// `(label, head)` per head. `None` otherwise.
    pub fn labelled_heads(&self) -> Option<Vec<(&str, &str)>> {
        match self {
            RevisionError::MultipleHeads { heads, labels, .. } => heads
                .iter()
                .zip(labels)
                .map(|(head, label)| Some((label.as_deref()?, head.as_str())))
                .collect(),
            _ => None,
        }
    }

    pub(crate) fn other(text: impl Into<String>) -> Self {
        RevisionError::Other(text.into())
    }

    pub(crate) fn resolution(message: impl Into<String>, argument: impl Into<String>) -> Self {
        RevisionError::Resolution {
            message: message.into(),
            argument: argument.into(),
        }
    }

    /// Names the unlabelled relative identifier (`+2`, `a1+2`) whose walk this
    /// error ended, so that the error can suggest its labelled forms.
    pub(crate) fn in_unlabelled_relative(mut self, identifier: String) -> Self {
        if let RevisionError::AmbiguousWalk { relative, .. } = &mut self {
            *relative = Some(identifier);
        }
        self
    }

    pub(crate) fn relative_too_short(relative: &str, steps: u64) -> Self {
        RevisionError::Other(format!(
            "Relative revision {relative} didn't produce {steps} migrations"
        ))
    }
}
