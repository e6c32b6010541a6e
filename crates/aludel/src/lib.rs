//! aludel: database schema migrations with Alembic's semantics.
//!
//! Data flows one way: files are read into values ([`config`], [`script`]), pure code
//! decides ([`revision`]), and [`command`] functions return results that the CLI (or
//! any program) renders ([`display`]). Database work goes through [`dialect`] (one
//! module per database behind two traits) and [`runtime`] (runs a plan online, or
//! renders it as SQL offline). See docs/architecture.md.
//!
//! Everything the `aludel` command line does is a function here. Upgrading at
//! application start-up:
//!
//! ```no_run
//! use aludel::command::{self, MigrateOptions};
//! use aludel::project::Project;
//! use aludel::runtime::NoEvents;
//!
//! # async fn start() -> aludel::Result<()> {
//! let project = Project::from_dir("./db")?;            // aludel.toml, revision files
//! let mut conn = command::connect(&project, None).await?; // URL from config or DATABASE_URL
//! command::upgrade(conn.as_mut(), &project, "heads", &MigrateOptions::default(), &mut NoEvents)
//!     .await?;                                          // under the migration lock
//! let status = command::status(conn.as_mut(), &project).await?;
//! assert!(status.up_to_date);
//! conn.close().await;
//! # Ok(()) }
//! ```
//!
//! An existing sqlx pool can be used instead of a URL ([`dialect::from_pool`]), and the
//! SQL of a run can be rendered without a database ([`command::upgrade_sql`]). A
//! runnable program is `examples/health.rs`.

pub mod alembic_import;
pub mod autogen;
pub mod command;
pub mod config;
pub mod dialect;
pub mod display;
pub mod error;
pub mod init;
pub mod project;
pub mod python;
pub mod revision;
pub mod runtime;
pub mod script;
pub mod sql;

pub use error::{Error, Result};
