//! Alembic's text formats for revisions (ALEMBIC.md §1.5): the one-line form used by
//! `history`, `heads`, `branches` and `current`, and the log entry used by `-v` and
//! `show`; plus the JSON shape of a revision for `--format json`.
//!
//! Pure functions of the graph and the revision's documentation; the CLI prints what
//! they return. Field names of [`RevisionJson`] are a stable interface (documented in
//! docs/json-output.md).

use std::path::Path;

use serde::Serialize;

use crate::revision::{RevIdx, RevisionMap};

/// What a revision's file says about it beyond the graph.
#[derive(Debug, Clone, Copy)]
pub struct RevisionText<'a> {
    /// First paragraph of the message.
    pub doc: &'a str,
    /// The whole header text.
    pub longdoc: &'a str,
    pub path: &'a Path,
}

/// Which pieces the one-line form includes (Alembic's `_head_only` flags).
#[derive(Debug, Clone, Copy, Default)]
pub struct LineOptions {
    pub include_branches: bool,
    pub include_doc: bool,
    pub include_parents: bool,
    pub tree_indicators: bool,
    pub current: bool,
}

impl LineOptions {
    /// `history`: parents, labels, markers and doc.
    pub fn history() -> Self {
        LineOptions {
            include_branches: true,
            include_doc: true,
            include_parents: true,
            tree_indicators: true,
            current: false,
        }
    }
    /// `heads`: labels and head markers, no branch/merge markers.
    pub fn heads() -> Self {
        LineOptions {
            include_branches: true,
            ..Default::default()
        }
    }
}

fn format_down(map: &RevisionMap, idx: RevIdx) -> String {
    let rev = map.rev(idx);
    if rev.down.is_empty() {
        "<base>".to_string()
    } else {
        map.ids(&rev.down).join(", ")
    }
}

/// The one-line form, e.g. `e100 (l100) -> f200 (feat1) (head), uses lib`.
pub fn revision_line(
    map: &RevisionMap,
    idx: RevIdx,
    text: RevisionText<'_>,
    opts: LineOptions,
) -> String {
    let rev = map.rev(idx);
    let mut out = String::new();
    if opts.include_parents {
        out.push_str(&format_down(map, idx));
        if !rev.declared_depends_on.is_empty() {
            out.push_str(&format!(" ({})", rev.declared_depends_on.join(", ")));
        }
        out.push_str(" -> ");
    }
    out.push_str(&rev.id);
    let labels = map.branch_labels(idx);
    if opts.include_branches && !labels.is_empty() {
        out.push_str(&format!(" ({})", labels.join(", ")));
    }
    if rev.is_real_head() {
        out.push_str(" (head)");
    }
    if rev.is_effective_head() {
        out.push_str(" (effective head)");
    }
    if opts.current {
        out.push_str(" (current)");
    }
    if opts.tree_indicators {
        if rev.is_branch_point() {
            out.push_str(" (branchpoint)");
        }
        if rev.is_merge_point() {
            out.push_str(" (mergepoint)");
        }
    }
    if opts.include_doc {
        out.push_str(", ");
        out.push_str(text.doc);
    }
    out
}

/// The log entry of `show` and `-v`, ending with a newline (Alembic's `log_entry`).
pub fn log_entry(map: &RevisionMap, idx: RevIdx, text: RevisionText<'_>, current: bool) -> String {
    let rev = map.rev(idx);
    let mut out = format!(
        "Rev: {}{}{}{}{}\n",
        rev.id,
        if rev.is_head() { " (head)" } else { "" },
        if rev.is_branch_point() {
            " (branchpoint)"
        } else {
            ""
        },
        if rev.is_merge_point() {
            " (mergepoint)"
        } else {
            ""
        },
        if current { " (current)" } else { "" },
    );
    if rev.is_merge_point() {
        out.push_str(&format!("Merges: {}\n", format_down(map, idx)));
    } else {
        out.push_str(&format!("Parent: {}\n", format_down(map, idx)));
    }
    if !rev.declared_depends_on.is_empty() {
        out.push_str(&format!(
            "Also depends on: {}\n",
            rev.declared_depends_on.join(", ")
        ));
    }
    if rev.is_branch_point() {
        out.push_str(&format!(
            "Branches into: {}\n",
            map.ids(&rev.nextrev).join(", ")
        ));
    }
    let labels = map.branch_labels(idx);
    if !labels.is_empty() {
        out.push_str(&format!("Branch names: {}\n", labels.join(", ")));
    }
    out.push_str(&format!("Path: {}\n", text.path.display()));
    let body: Vec<String> = text.longdoc.lines().map(|l| format!("    {l}")).collect();
    out.push_str(&format!("\n{}\n", body.join("\n")));
    out
}

/// A revision in `--format json` output.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionJson {
    pub revision: String,
    pub down_revisions: Vec<String>,
    pub depends_on: Vec<String>,
    pub branch_labels: Vec<String>,
    /// No child of any kind.
    pub is_head: bool,
    /// A versioned head that another revision depends on.
    pub is_effective_head: bool,
    pub is_branch_point: bool,
    pub is_merge_point: bool,
    /// Versioned children.
    pub children: Vec<String>,
    pub doc: String,
    pub path: String,
    /// Only with `history -i` / `show current`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_current: Option<bool>,
}

pub fn revision_json(map: &RevisionMap, idx: RevIdx, text: RevisionText<'_>) -> RevisionJson {
    let rev = map.rev(idx);
    RevisionJson {
        revision: rev.id.clone(),
        down_revisions: map.ids(&rev.down),
        depends_on: rev.declared_depends_on.clone(),
        branch_labels: map.branch_labels(idx),
        is_head: rev.is_real_head(),
        is_effective_head: rev.is_effective_head(),
        is_branch_point: rev.is_branch_point(),
        is_merge_point: rev.is_merge_point(),
        children: map.ids(&rev.nextrev),
        doc: text.doc.to_string(),
        path: text.path.display().to_string(),
        is_current: None,
    }
}
