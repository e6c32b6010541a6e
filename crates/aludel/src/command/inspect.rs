//! Read-only commands over the graph: `heads`, `branches`, `history`, `show`.

use crate::error::{Catch, CommandError, Result};
use crate::project::Project;
use crate::revision::{RevArg, RevIdx};

/// `heads`: versioned heads in load order, or with `resolve_dependencies` the real
/// heads (effective heads excluded).
pub fn heads(project: &Project, resolve_dependencies: bool) -> Result<Vec<RevIdx>> {
    if resolve_dependencies {
        Ok(project.map.resolve_revisions("heads")?)
    } else {
        Ok(project.map.heads().to_vec())
    }
}

/// A branch point and its versioned children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchPoint {
    pub revision: RevIdx,
    pub children: Vec<RevIdx>,
}

/// `branches`: every branch point, in history order (newest first).
pub fn branches(project: &Project) -> Result<Vec<BranchPoint>> {
    let map = &project.map;
    let all = map.walk_revisions("base", "heads").map_err(|e| {
        Catch {
            start: Some("base"),
            end: Some("heads"),
            ..Default::default()
        }
        .map(e)
    })?;
    Ok(all
        .into_iter()
        .filter(|&r| map.rev(r).is_branch_point())
        .map(|r| BranchPoint {
            revision: r,
            children: map.rev(r).nextrev.clone(),
        })
        .collect())
}

/// Splits `[start]:[end]` into its two sides with Alembic's defaults (`base`, `heads`).
pub fn parse_history_range(range: Option<&str>) -> Result<(String, String)> {
    let Some(range) = range else {
        return Ok(("base".into(), "heads".into()));
    };
    let parts: Vec<&str> = range.trim().split(':').collect();
    match parts.as_slice() {
        [start, end] => Ok((
            if start.is_empty() { "base" } else { start }.to_string(),
            if end.is_empty() { "heads" } else { end }.to_string(),
        )),
        [_] => Err(
            CommandError::new("History range requires [start]:[end], [start]:, or :[end]")
                .with_kind("invalid_range")
                .with_argument(range)
                .into(),
        ),
        _ => Err(
            CommandError::new(format!("History range '{range}' has more than one ':'"))
                .with_hint("write [start]:[end], [start]:, or :[end]")
                .with_kind("invalid_range")
                .with_argument(range)
                .into(),
        ),
    }
}

/// `history -r RANGE`: the revisions of the range, newest first.
pub fn history(project: &Project, range: Option<&str>) -> Result<Vec<RevIdx>> {
    let (start, end) = parse_history_range(range)?;
    project.map.walk_revisions(&start, &end).map_err(|e| {
        Catch {
            start: Some(&start),
            end: Some(&end),
            ..Default::default()
        }
        .map(e)
    })
}

/// `history -r RANGE` where a side may be `current`: it stands for the database's
/// rows (`rows`), as in Alembic (no rows: the side's default, `base` or `heads`).
pub fn history_with_current(
    project: &Project,
    range: Option<&str>,
    rows: &[String],
) -> Result<Vec<RevIdx>> {
    let (start, end) = parse_history_range(range)?;
    let map = &project.map;
    let catch = |e| {
        Catch {
            start: Some(&start),
            end: Some(&end),
            ..Default::default()
        }
        .map(e)
    };
    if end == "current" && !rows.is_empty() {
        let base = if start == "current" {
            "base"
        } else {
            start.as_str()
        };
        let mut all: Vec<RevIdx> = Vec::new();
        let mut tops: Vec<RevIdx> = Vec::new();
        for row in rows {
            all.extend(map.walk_revisions(base, row).map_err(catch)?);
            tops.extend(map.index_of(row));
        }
        all.sort_unstable();
        all.dedup();
        return Ok(map.topological_sort(&all, &tops));
    }
    let end = if end == "current" {
        "heads".to_string()
    } else {
        end.clone()
    };
    if start == "current" && !rows.is_empty() {
        return map
            .walk_revisions_from(&RevArg::many(rows), &end)
            .map_err(catch);
    }
    let start = if start == "current" {
        "base".to_string()
    } else {
        start.clone()
    };
    map.walk_revisions(&start, &end).map_err(catch)
}

/// `show REV`: every revision the identifier names (`heads` names several, `base` none).
pub fn show(project: &Project, rev: &str) -> Result<Vec<RevIdx>> {
    Ok(project.map.resolve_revisions(rev)?)
}
