//! aludel: database schema migrations with Alembic's semantics.
#[cfg(feature = "wip-config")]
pub mod config;
#[cfg(feature = "wip-config")]
pub mod init;
#[cfg(feature = "wip-revision")]
pub mod revision;
#[cfg(feature = "wip-script")]
pub mod script;
