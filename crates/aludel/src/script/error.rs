//! The one error type of the `script` module, [`ScriptError`], and its hints.
//!
//! Every failure of reading, parsing, naming, rendering or writing a revision file
//! is a variant here, carrying what a user needs to act: the file, the 1-based line
//! when one applies (`Display` is then `<path>:<line>: <what is wrong>`), and the
//! offending text. [`ScriptError::hint`] says what to do about it. This module
//! formats errors; it must not print, log, or decide anything.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// The header keys a revision file may use, in the order aludel writes them.
pub const HEADER_KEYS: [&str; 5] = [
    "Revision ID",
    "Revises",
    "Create Date",
    "Branch Labels",
    "Depends On",
];

/// A place in a file: the file and a 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
}

impl Location {
    pub fn new(path: &Path, line: usize) -> Location {
        Location {
            path: path.to_path_buf(),
            line,
        }
    }
}

/// Renders `"<path>:<line>: "`, or nothing when there is no location.
struct At<'a>(&'a Option<Location>);

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(at) => write!(f, "{}:{}: ", at.path.display(), at.line),
            None => Ok(()),
        }
    }
}

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ScriptError {
    // ----- reading and writing files -----
    /// A revision file could not be opened or read.
    #[error("{}: cannot read file: {source}", .path.display())]
    Read { path: PathBuf, source: io::Error },

    /// A version location (or a directory below it) could not be listed.
    #[error("{}: cannot list directory: {source}", .path.display())]
    ReadDir { path: PathBuf, source: io::Error },

    /// A version location names something that exists but is not a directory.
    #[error("{}: version location is not a directory", .path.display())]
    NotADirectory { path: PathBuf },

    /// A new revision file (or its directory) could not be written.
    #[error("{}: cannot write file: {source}", .path.display())]
    Write { path: PathBuf, source: io::Error },

    /// A new revision file would replace an existing one.
    #[error("{}: file already exists; aludel does not overwrite it", .path.display())]
    FileExists { path: PathBuf },

    // ----- the revision file format -----
    /// The file's bytes are not UTF-8; `line` holds the first bad byte.
    #[error("{}:{line}: file is not valid UTF-8", .path.display())]
    NotUtf8 { path: PathBuf, line: usize },

    /// The file does not start with a `--` comment header.
    #[error("{}:{line}: no header: a revision file must start with '--' comment lines holding its message and metadata", .path.display())]
    NoHeader { path: PathBuf, line: usize },

    /// A line of the metadata paragraph is not `Key: value`.
    #[error("{}:{line}: expected a 'Key: value' metadata line in the header's last paragraph, found '{text}'", .path.display())]
    MalformedMetadata {
        path: PathBuf,
        line: usize,
        text: String,
    },

    /// A metadata key that is not one of [`HEADER_KEYS`].
    #[error("{}:{line}: unknown header key '{key}'; expected one of: {}", .path.display(), HEADER_KEYS.join(", "))]
    UnknownKey {
        path: PathBuf,
        line: usize,
        key: String,
        /// The closest known key, when one is close.
        suggestion: Option<&'static str>,
    },

    /// A metadata key given twice.
    #[error("{}:{line}: header key '{key}' is given twice (first on line {first_line})", .path.display())]
    DuplicateKey {
        path: PathBuf,
        line: usize,
        key: &'static str,
        first_line: usize,
    },

    /// A required metadata key (`Revision ID`, `Revises`) is absent; `line` is the
    /// first line of the metadata paragraph.
    #[error("{}:{line}: the header has no '{key}:' line", .path.display())]
    MissingKey {
        path: PathBuf,
        line: usize,
        key: &'static str,
    },

    /// A revision identifier with characters outside `[A-Za-z0-9_]`. The text after
    /// the location is Alembic's.
    #[error("{}Character(s) '{chars}' not allowed in revision identifier '{id}'", At(.at))]
    InvalidRevisionId {
        at: Option<Location>,
        id: String,
        /// The offending characters, sorted, unique, joined by `", "`.
        chars: String,
    },

    /// An empty revision identifier.
    #[error("{}revision identifier must not be empty", At(.at))]
    EmptyRevisionId { at: Option<Location> },

    /// `head`, `heads`, `base` or `current`: names that revision arguments resolve
    /// to positions in the graph, so a revision with that id could never be named.
    #[error("{}revision identifier '{id}' is a reserved name", At(.at))]
    SymbolicRevisionId { at: Option<Location>, id: String },

    /// Longer than the version table's `version_num` column.
    #[error("{}revision identifier '{id}' is {len} characters long; the version table holds at most {max}", At(.at), len = .id.len())]
    RevisionIdTooLong {
        at: Option<Location>,
        id: String,
        max: usize,
    },

    /// A branch label that is empty or holds `@ - + : ,` or whitespace.
    #[error("{}Character(s) '{chars}' not allowed in branch label '{label}'", At(.at))]
    InvalidBranchLabel {
        at: Option<Location>,
        label: String,
        chars: String,
    },

    /// An empty branch label.
    #[error("{}branch label must not be empty", At(.at))]
    EmptyBranchLabel { at: Option<Location> },

    /// A `Depends On` item that is neither a possible revision id nor a possible label.
    #[error("{}Character(s) '{chars}' not allowed in dependency '{item}'", At(.at))]
    InvalidDependency {
        at: Option<Location>,
        item: String,
        chars: String,
    },

    /// The same item twice in one `Revises`, `Branch Labels` or `Depends On` list.
    #[error("{}:{line}: '{key}' lists '{item}' twice", .path.display())]
    DuplicateItem {
        path: PathBuf,
        line: usize,
        key: &'static str,
        item: String,
    },

    /// A `-- aludel:<word>` line whose word is not `upgrade` or `downgrade`.
    #[error("{}:{line}: unknown marker '-- aludel:{marker}'; expected '-- aludel:upgrade' or '-- aludel:downgrade'", .path.display())]
    UnknownMarker {
        path: PathBuf,
        line: usize,
        marker: String,
    },

    /// `-- aludel:unrendered` before the first section marker.
    #[error("{}:{line}: '-- aludel:unrendered' must be inside an '-- aludel:upgrade' or '-- aludel:downgrade' section", .path.display())]
    UnrenderedOutsideSection { path: PathBuf, line: usize },

    /// A section marker given twice.
    #[error("{}:{line}: '-- aludel:{marker}' appears twice (first on line {first_line})", .path.display())]
    DuplicateMarker {
        path: PathBuf,
        line: usize,
        marker: &'static str,
        first_line: usize,
    },

    /// An option after a section marker that is unknown, malformed, has a bad
    /// value, or is repeated; `problem` says which.
    #[error("{}:{line}: invalid option '{option}' on '-- aludel:{marker}': {problem}", .path.display())]
    SectionOption {
        path: PathBuf,
        line: usize,
        marker: &'static str,
        option: String,
        problem: &'static str,
    },

    /// The file has no `-- aludel:upgrade` marker.
    #[error("{}: no '-- aludel:upgrade' marker", .path.display())]
    MissingUpgrade { path: PathBuf },

    /// Text that is neither blank nor a `--` comment between the header and the
    /// first section marker.
    #[error("{}:{line}: text between the header and the first '-- aludel:' marker", .path.display())]
    TextBeforeMarker { path: PathBuf, line: usize },

    // ----- naming and templates -----
    /// An IANA time zone name chrono-tz does not know. The text is Alembic's.
    #[error("Can't locate timezone: {timezone}")]
    UnknownTimezone { timezone: String },

    /// `file_template` has an unknown token or a malformed spec, or renders to a
    /// path aludel would not find again.
    #[error("file_template '{template}': {problem}")]
    FileTemplate {
        template: String,
        /// The token or spec at fault, as written in the template.
        token: String,
        problem: String,
    },

    /// A new-file template names a token that has no value.
    #[error("{}:{line}: unknown token '{{{token}}}' in template", .path.display())]
    UnknownTemplateToken {
        path: PathBuf,
        line: usize,
        token: String,
    },

    /// A new-file template with an unbalanced `{` or `}`.
    #[error("{}:{line}: {problem}", .path.display())]
    TemplateSyntax {
        path: PathBuf,
        line: usize,
        problem: &'static str,
    },
}

impl ScriptError {
    /// What the user should do about this error, in one or two sentences.
    pub fn hint(&self) -> String {
        match self {
            ScriptError::Read { .. } => {
                "check that the file exists and is readable by this user".to_owned()
            }
            ScriptError::ReadDir { .. } => {
                "check that the version location exists and is readable by this user".to_owned()
            }
            ScriptError::NotADirectory { .. } => {
                "version_locations must name directories holding revision files".to_owned()
            }
            ScriptError::Write { .. } => {
                "check that the version location is writable; nothing was left behind".to_owned()
            }
            ScriptError::FileExists { .. } => {
                "choose another --rev-id or message, or move the existing file away".to_owned()
            }
            ScriptError::NotUtf8 { .. } => {
                "save the file as UTF-8 (a byte-order mark is accepted)".to_owned()
            }
            ScriptError::NoHeader { .. } => "start the file with a header such as:\n\
                 -- <message>\n--\n-- Revision ID: <id>\n-- Revises: <parent id, or nothing for a root>"
                .to_owned(),
            ScriptError::MalformedMetadata { .. } => format!(
                "the header's last paragraph holds only metadata ({}); put message text above it and \
                 separate the two with a line holding only '--'",
                HEADER_KEYS.join(", ")
            ),
            ScriptError::UnknownKey { suggestion, .. } => match suggestion {
                Some(key) => format!("did you mean '{key}'?"),
                None => format!(
                    "use only {}; put other text in the message paragraphs above the metadata, \
                     separated by a line holding only '--'",
                    HEADER_KEYS.join(", ")
                ),
            },
            ScriptError::DuplicateKey { key, .. } => {
                format!("keep one '{key}:' line; lists are comma-separated on one line")
            }
            ScriptError::MissingKey { key, .. } => match *key {
                "Revises" => "write 'Revises:' with nothing after it for a root revision, \
                              or the parent revision id(s), comma-separated"
                    .to_owned(),
                _ => format!("add '-- {key}: <value>' to the header's last paragraph"),
            },
            ScriptError::InvalidRevisionId { .. } => {
                "revision identifiers may use only letters, digits and '_'".to_owned()
            }
            ScriptError::EmptyRevisionId { .. } => {
                "give a revision identifier of letters, digits and '_'".to_owned()
            }
            ScriptError::SymbolicRevisionId { .. } => {
                "'head', 'heads', 'base' and 'current' name positions in the revision graph, \
                 so a revision with that id could never be addressed; choose another id"
                    .to_owned()
            }
            ScriptError::RevisionIdTooLong { max, .. } => {
                format!("choose an id of at most {max} characters")
            }
            ScriptError::InvalidBranchLabel { .. } | ScriptError::EmptyBranchLabel { .. } => {
                "branch labels must be non-empty and contain none of '@ - + : ,' or whitespace"
                    .to_owned()
            }
            ScriptError::InvalidDependency { .. } => {
                "'Depends On' lists revision ids, id prefixes or branch labels, comma-separated"
                    .to_owned()
            }
            ScriptError::DuplicateItem { item, .. } => format!("remove the second '{item}'"),
            ScriptError::UnknownMarker { marker, .. } => {
                let word = marker.trim_start_matches(|c: char| !c.is_alphanumeric());
                if word.starts_with("up") || word.starts_with("down") {
                    "write the marker exactly as '-- aludel:upgrade' or '-- aludel:downgrade' \
                     (no space after the colon), options after a space"
                        .to_owned()
                } else {
                    "the only markers are '-- aludel:upgrade' and '-- aludel:downgrade'; \
                     write other comments without 'aludel:'"
                        .to_owned()
                }
            }
            ScriptError::DuplicateMarker { marker, .. } => {
                format!("keep one '-- aludel:{marker}' section and merge the SQL into it")
            }
            ScriptError::UnrenderedOutsideSection { .. } => {
                "move the line below the section marker it is about, or delete it once the section holds its SQL"
                    .to_owned()
            }
            ScriptError::SectionOption { .. } => {
                "the only option is transaction=true (the default) or transaction=false".to_owned()
            }
            ScriptError::MissingUpgrade { .. } => {
                "add a line '-- aludel:upgrade' followed by the upgrade SQL".to_owned()
            }
            ScriptError::TextBeforeMarker { .. } => {
                "move the SQL below '-- aludel:upgrade', or make it a '--' comment".to_owned()
            }
            ScriptError::UnknownTimezone { .. } => {
                "use an IANA time zone name such as 'UTC' or 'Europe/Paris'".to_owned()
            }
            ScriptError::FileTemplate { .. } => {
                "file_template tokens are rev, slug, epoch, year, month, day, hour, minute, second, \
                 written '{rev}' or '%(rev)s'; write '%%' for a literal '%' in the printf form"
                    .to_owned()
            }
            ScriptError::UnknownTemplateToken { token, .. } => match token.strip_prefix("x.") {
                Some(key) => format!("pass -x {key}=<value>, or remove '{{{token}}}' from the template"),
                None => "template tokens are message, up_revision, down_revision, create_date, \
                         branch_labels, depends_on, upgrades, downgrades and x.<key>; \
                         write '{{' and '}}' for literal braces"
                    .to_owned(),
            },
            ScriptError::TemplateSyntax { .. } => {
                "write '{{' and '}}' for literal braces in the template".to_owned()
            }
        }
    }

    /// The file this error is about, when it is about one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            ScriptError::Read { path, .. }
            | ScriptError::ReadDir { path, .. }
            | ScriptError::NotADirectory { path }
            | ScriptError::Write { path, .. }
            | ScriptError::FileExists { path }
            | ScriptError::NotUtf8 { path, .. }
            | ScriptError::NoHeader { path, .. }
            | ScriptError::MalformedMetadata { path, .. }
            | ScriptError::UnknownKey { path, .. }
            | ScriptError::DuplicateKey { path, .. }
            | ScriptError::MissingKey { path, .. }
            | ScriptError::DuplicateItem { path, .. }
            | ScriptError::UnknownMarker { path, .. }
            | ScriptError::DuplicateMarker { path, .. }
            | ScriptError::UnrenderedOutsideSection { path, .. }
            | ScriptError::SectionOption { path, .. }
            | ScriptError::MissingUpgrade { path }
            | ScriptError::TextBeforeMarker { path, .. }
            | ScriptError::UnknownTemplateToken { path, .. }
            | ScriptError::TemplateSyntax { path, .. } => Some(path),
            ScriptError::InvalidRevisionId { at, .. }
            | ScriptError::EmptyRevisionId { at }
            | ScriptError::SymbolicRevisionId { at, .. }
            | ScriptError::RevisionIdTooLong { at, .. }
            | ScriptError::InvalidBranchLabel { at, .. }
            | ScriptError::EmptyBranchLabel { at }
            | ScriptError::InvalidDependency { at, .. } => at.as_ref().map(|at| at.path.as_path()),
            ScriptError::UnknownTimezone { .. } | ScriptError::FileTemplate { .. } => None,
        }
    }

    /// The stable name of this error for programs (docs/json-output.md).
    pub fn kind(&self) -> &'static str {
        match self {
            ScriptError::Read { .. } => "file_unreadable",
            ScriptError::ReadDir { .. } => "directory_unreadable",
            ScriptError::NotADirectory { .. } => "version_location_not_a_directory",
            ScriptError::Write { .. } => "file_write_failed",
            ScriptError::FileExists { .. } => "file_exists",
            ScriptError::NotUtf8 { .. } => "file_not_utf8",
            ScriptError::NoHeader { .. } => "no_header",
            ScriptError::MalformedMetadata { .. } => "malformed_metadata",
            ScriptError::UnknownKey { .. } => "unknown_header_key",
            ScriptError::DuplicateKey { .. } => "duplicate_header_key",
            ScriptError::MissingKey { .. } => "missing_header_key",
            ScriptError::InvalidRevisionId { .. } => "invalid_revision_id",
            ScriptError::EmptyRevisionId { .. } => "empty_revision_id",
            ScriptError::SymbolicRevisionId { .. } => "reserved_revision_id",
            ScriptError::RevisionIdTooLong { .. } => "revision_id_too_long",
            ScriptError::InvalidBranchLabel { .. } => "invalid_branch_label",
            ScriptError::EmptyBranchLabel { .. } => "empty_branch_label",
            ScriptError::InvalidDependency { .. } => "invalid_dependency",
            ScriptError::DuplicateItem { .. } => "duplicate_header_item",
            ScriptError::UnknownMarker { .. } => "unknown_marker",
            ScriptError::DuplicateMarker { .. } => "duplicate_marker",
            ScriptError::UnrenderedOutsideSection { .. } => "unrendered_outside_section",
            ScriptError::SectionOption { .. } => "invalid_section_option",
            ScriptError::MissingUpgrade { .. } => "missing_upgrade_section",
            ScriptError::TextBeforeMarker { .. } => "text_before_marker",
            ScriptError::UnknownTimezone { .. } => "unknown_timezone",
            ScriptError::FileTemplate { .. } => "invalid_file_template",
            ScriptError::UnknownTemplateToken { .. } => "unknown_template_token",
            ScriptError::TemplateSyntax { .. } => "template_syntax",
        }
    }

    /// The 1-based line this error is about, when one applies.
    pub fn line(&self) -> Option<usize> {
        match self {
            ScriptError::NotUtf8 { line, .. }
            | ScriptError::NoHeader { line, .. }
            | ScriptError::MalformedMetadata { line, .. }
            | ScriptError::UnknownKey { line, .. }
            | ScriptError::DuplicateKey { line, .. }
            | ScriptError::MissingKey { line, .. }
            | ScriptError::DuplicateItem { line, .. }
            | ScriptError::UnknownMarker { line, .. }
            | ScriptError::DuplicateMarker { line, .. }
            | ScriptError::UnrenderedOutsideSection { line, .. }
            | ScriptError::SectionOption { line, .. }
            | ScriptError::TextBeforeMarker { line, .. }
            | ScriptError::UnknownTemplateToken { line, .. }
            | ScriptError::TemplateSyntax { line, .. } => Some(*line),
            ScriptError::InvalidRevisionId { at, .. }
            | ScriptError::EmptyRevisionId { at }
            | ScriptError::SymbolicRevisionId { at, .. }
            | ScriptError::RevisionIdTooLong { at, .. }
            | ScriptError::InvalidBranchLabel { at, .. }
            | ScriptError::EmptyBranchLabel { at }
            | ScriptError::InvalidDependency { at, .. } => at.as_ref().map(|at| at.line),
            _ => None,
        }
    }

    /// Attaches a file location to the identifier and label errors, which are
    /// raised without one by the validators in `naming`. Other errors are returned
    /// unchanged.
    pub(crate) fn located(mut self, path: &Path, line: usize) -> ScriptError {
        match &mut self {
            ScriptError::InvalidRevisionId { at, .. }
            | ScriptError::EmptyRevisionId { at }
            | ScriptError::SymbolicRevisionId { at, .. }
            | ScriptError::RevisionIdTooLong { at, .. }
            | ScriptError::InvalidBranchLabel { at, .. }
            | ScriptError::EmptyBranchLabel { at }
            | ScriptError::InvalidDependency { at, .. } => *at = Some(Location::new(path, line)),
            _ => {}
        }
        self
    }
}
