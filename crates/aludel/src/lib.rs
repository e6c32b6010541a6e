//! aludel: database schema migrations with Alembic's semantics.
//!
//! Data flows one way: files are read into values ([`config`], [`script`]), pure code
//! decides ([`revision`]), and [`command`] functions return results that the CLI (or
//! any program) renders ([`display`]). See docs/architecture.md.

pub mod command;
pub mod config;
pub mod display;
pub mod error;
pub mod init;
pub mod project;
pub mod revision;
pub mod script;
pub mod sql;

pub use error::{Error, Result};
