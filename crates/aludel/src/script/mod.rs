//! Revision files on disk: find and load them in load order, parse their header and
//! sections, name new ones, render them from the template, and write them safely.
//!
//! This module owns the file format of PRODUCT §2 and nothing else: it hands the
//! revision graph plain [`RevisionFile`] values and must not resolve references
//! between revisions, split SQL into statements, or touch a database.

mod discover;
mod error;
mod file;
mod naming;
mod template;
mod write;

pub use discover::{load_revision_files, revision_file_paths};
pub use error::{Location, ScriptError, HEADER_KEYS};
pub use file::{
    parse_revision_bytes, parse_revision_file, RevisionFile, Section, SectionOptions, Unrendered,
    UNRENDERED_MARKER,
};
pub use naming::{
    new_revision_id, render_file_name, slugify, validate_branch_label, validate_dependency,
    validate_revision_id, CreateDate, DEFAULT_FILE_TEMPLATE, DEFAULT_TRUNCATE_SLUG_LENGTH,
    MAX_REVISION_ID_LEN, SYMBOLIC_REVISIONS,
};
pub use template::{render_template, TemplateVars, DEFAULT_TEMPLATE};
pub use write::write_new_file;
