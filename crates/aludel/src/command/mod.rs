//! One function per CLI command: the API programs call and the CLI formats.
//!
//! Commands take plain options and return plain values (revision indexes, paths,
//! plans); they never print. Graph errors are worded here, per command, as Alembic
//! words them. Commands that need a database (`migrate`) are async and hand plans to the runtime.

mod edit;
mod generate;
mod hooks;
mod inspect;
mod migrate;
pub(crate) mod shell;

pub use crate::init::{init, list_templates, InitAction, InitOptions, InitReport, TemplateInfo};
pub use edit::{edit, editor_from_env};
pub(crate) use generate::mark_outside_transaction;
pub use generate::{
    merge, revision, revision_with_body, GeneratedRevision, MergeOptions, RevisionBody,
    RevisionOptions,
};
pub use inspect::{
    branches, heads, history, history_with_current, parse_history_range, show, BranchPoint,
};
pub use migrate::{
    connect, connect_with_config, current, downgrade, downgrade_sql, ensure_version,
    ensure_version_sql, is_at_heads, stamp, stamp_sql, status, upgrade, upgrade_sql, Current,
    Drift, MigrateOptions, OfflineOptions, PartialStep, Status,
};
