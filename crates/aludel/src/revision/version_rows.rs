//! The version table as a set of rows, and how each step changes it (Alembic's
//! `HeadMaintainer.update_to_step`, ALEMBIC.md §2.9).
//!
//! The rows are the heads of the applied subgraph. For every step this module decides
//! the statements (INSERT, DELETE, UPDATE) that keep them so, in Alembic's order.
//! Where Alembic takes an order from a Python set, the order here is the revision's
//! declared order (§10 #13). A change that cannot apply (a row that is not there) is an
//! error, never a panic. Pure: the runtime executes the changes.

use serde::Serialize;

use super::error::RevisionError;
use super::map::{Edges, RevIdx, RevisionMap};

/// One statement against the version table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum VersionChange {
    Insert { version: String },
    Delete { version: String },
    Update { from: String, to: String },
}

/// What a step does to the graph position: run a revision up or down, or move the
/// rows without running anything (stamp).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepAction {
    Revision {
        rev: RevIdx,
        upgrade: bool,
    },
    Stamp {
        from: Vec<String>,
        to: Vec<String>,
        upgrade: bool,
        branch_move: bool,
    },
}

/// The current rows of a version table, in the order they were added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionRows {
    rows: Vec<String>,
}

impl VersionRows {
    pub fn new(rows: &[String]) -> Self {
        let mut out = VersionRows::default();
        for r in rows {
            if !out.contains(r) {
                out.rows.push(r.clone());
            }
        }
        out
    }

    pub fn rows(&self) -> &[String] {
        &self.rows
    }

    pub fn contains(&self, rev: &str) -> bool {
        self.rows.iter().any(|r| r == rev)
    }

    fn insert(&mut self, version: &str, out: &mut Vec<VersionChange>) -> Result<(), RevisionError> {
        if self.contains(version) {
            return Err(self.inconsistent(format!("cannot insert {version}: it is already a row")));
        }
        self.rows.push(version.to_string());
        out.push(VersionChange::Insert {
            version: version.to_string(),
        });
        Ok(())
    }

    fn delete(&mut self, version: &str, out: &mut Vec<VersionChange>) -> Result<(), RevisionError> {
        let Some(pos) = self.rows.iter().position(|r| r == version) else {
            return Err(self.inconsistent(format!("cannot delete {version}: it is not a row")));
        };
        self.rows.remove(pos);
        out.push(VersionChange::Delete {
            version: version.to_string(),
        });
        Ok(())
    }

    fn update(
        &mut self,
        from: &str,
        to: &str,
        out: &mut Vec<VersionChange>,
    ) -> Result<(), RevisionError> {
        if self.contains(to) {
            return Err(self.inconsistent(format!(
                "cannot update {from} to {to}: {to} is already a row"
            )));
        }
        let Some(pos) = self.rows.iter().position(|r| r == from) else {
            return Err(
                self.inconsistent(format!("cannot update {from} to {to}: {from} is not a row"))
            );
        };
        self.rows[pos] = to.to_string();
        out.push(VersionChange::Update {
            from: from.to_string(),
            to: to.to_string(),
        });
        Ok(())
    }

    fn inconsistent(&self, what: String) -> RevisionError {
        RevisionError::other(format!(
            "Version table bookkeeping failed: {what} (rows: {})",
            if self.rows.is_empty() {
                "none".to_string()
            } else {
                self.rows.join(", ")
            }
        ))
    }

    /// Ancestors (dependencies included) of the current rows other than `except`.
    fn ancestors_of_other_rows(
        &self,
        map: &RevisionMap,
        except: &[String],
    ) -> Result<Option<Vec<bool>>, RevisionError> {
        let mut others = Vec::new();
        for row in self.rows.iter().filter(|r| !except.contains(r)) {
            others.extend(map.resolve_revisions(row)?);
        }
        if others.is_empty() {
            return Ok(None);
        }
        Ok(Some(map.related_set(&others, Edges::NormalizedDown)))
    }

    /// Alembic's `_unmerge_to_revisions`: the down revisions a downgrade of `rev`
    /// must leave as rows. Alembic drops those implied by other rows, or (with no other
    /// rows) those implied by another down revision; both filters apply here, so a
    /// parent that is also an ancestor of another parent never becomes a second row
    /// (ALEMBIC.md §10 #18).
    fn unmerge_to(&self, map: &RevisionMap, rev: RevIdx) -> Result<Vec<RevIdx>, RevisionError> {
        let r = map.rev(rev);
        let mut implied = self
            .ancestors_of_other_rows(map, std::slice::from_ref(&r.id))?
            .unwrap_or_else(|| vec![false; map.len()]);
        for &to in &r.normalized_down {
            for a in map.iterate_related(&[to], Edges::NormalizedDown) {
                if a != to {
                    implied[a] = true;
                }
            }
        }
        Ok(r.normalized_down
            .iter()
            .copied()
            .filter(|&d| !implied[d])
            .collect())
    }

    /// Applies one step and returns the statements it takes.
    pub fn apply(
        &mut self,
        map: &RevisionMap,
        action: &StepAction,
    ) -> Result<Vec<VersionChange>, RevisionError> {
        let mut out = Vec::new();
        match action {
            StepAction::Revision { rev, upgrade } => {
                self.apply_revision(map, *rev, *upgrade, &mut out)?
            }
            StepAction::Stamp {
                from,
                to,
                upgrade,
                branch_move,
            } => self.apply_stamp(from, to, *upgrade, *branch_move, &mut out)?,
        }
        Ok(out)
    }

    fn apply_revision(
        &mut self,
        map: &RevisionMap,
        rev: RevIdx,
        upgrade: bool,
        out: &mut Vec<VersionChange>,
    ) -> Result<(), RevisionError> {
        let r = map.rev(rev);
        let id = r.id.as_str();
        let downs: Vec<String> = map.ids(&r.normalized_down);
        let downs_in_rows = downs.iter().filter(|d| self.contains(d)).count();
        let is_row = self.contains(id);

        if !upgrade && is_row && (downs.is_empty() || self.unmerge_to(map, rev)?.is_empty()) {
            return self.delete(id, out);
        }
        if upgrade && (downs.is_empty() || downs_in_rows == 0) {
            return self.insert(id, out);
        }
        if upgrade && downs.len() > 1 && downs_in_rows > 1 {
            let mut from: Vec<String> = match self.ancestors_of_other_rows(map, &downs)? {
                Some(implied) => r
                    .normalized_down
                    .iter()
                    .filter(|&&d| !implied[d])
                    .map(|&d| map.id(d).to_string())
                    .collect(),
                None => downs.clone(),
            };
            // Only rows can be deleted or updated (Alembic fails here when a parent
            // is an ancestor of another parent, §10 #18).
            from.retain(|d| self.contains(d));
            let Some((last, rest)) = from.split_last() else {
                return Err(self.inconsistent(format!("cannot merge into {id}")));
            };
            for d in rest {
                self.delete(d, out)?;
            }
            return self.update(last, id, out);
        }
        if !upgrade && is_row && downs.len() > 1 {
            let to = self.unmerge_to(map, rev)?;
            let Some((last, rest)) = to.split_last() else {
                return Err(self.inconsistent(format!("cannot unmerge {id}")));
            };
            for &d in rest {
                self.insert(map.id(d), out)?;
            }
            return self.update(id, map.id(*last), out);
        }
        let down = if downs.len() == 1 {
            downs[0].clone()
        } else {
            let present: Vec<&String> = downs.iter().filter(|d| self.contains(d)).collect();
            if present.len() != 1 {
                return Err(RevisionError::other(
                    "Can't do an UPDATE because downrevision is ambiguous",
                ));
            }
            present[0].clone()
        };
        if upgrade {
            self.update(&down, id, out)
        } else {
            self.update(id, &down, out)
        }
    }

    fn apply_stamp(
        &mut self,
        from: &[String],
        to: &[String],
        upgrade: bool,
        branch_move: bool,
        out: &mut Vec<VersionChange>,
    ) -> Result<(), RevisionError> {
        if !upgrade && branch_move {
            let [only] = from else {
                return Err(self.inconsistent("stamp deletes exactly one row".to_string()));
            };
            return self.delete(only, out);
        }
        let from_missing = from.iter().any(|f| !self.contains(f));
        let to_missing = to.iter().any(|t| !self.contains(t));
        if upgrade && (branch_move || from_missing) && to_missing {
            let [only] = to else {
                return Err(self.inconsistent("stamp inserts exactly one row".to_string()));
            };
            return self.insert(only, out);
        }
        if let (Some((last, rest)), Some(target)) = (from.split_last(), to.first()) {
            if !rest.is_empty() {
                for f in rest {
                    self.delete(f, out)?;
                }
                return self.update(last, target, out);
            }
        }
        if let (Some((last, rest)), Some(source)) = (to.split_last(), from.first()) {
            if !rest.is_empty() {
                for t in rest {
                    self.insert(t, out)?;
                }
                return self.update(source, last, out);
            }
        }
        match (from.first(), to.first()) {
            (Some(f), Some(t)) => self.update(f, t, out),
            _ => Err(self.inconsistent("stamp has nothing to move".to_string())),
        }
    }
}
