//! The revision graph: Alembic's `RevisionMap` semantics as pure functions over
//! values (ALEMBIC.md §2). Building the map, resolving identifiers, walking, ordering
//! steps, planning upgrade/downgrade/stamp and the version-table row changes.
//!
//! Nothing here touches a file or a database: revisions come in as
//! [`RevisionSpec`] values in load order, plans go out as values the runtime carries
//! out. Fast and exhaustively testable for that reason.

mod error;
mod map;
mod plan;
mod resolve;
mod version_rows;

pub use error::{CycleKind, CycleOrigin, RevisionError, WalkWay};
pub use map::{Edges, HeaderLines, RevIdx, Revision, RevisionMap, RevisionSpec};
pub use plan::{Plan, PlannedStep, StepKind};
pub use resolve::{parse_relative, Node, Relative, RevArg};
pub use version_rows::{StepAction, VersionChange, VersionRows};

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
