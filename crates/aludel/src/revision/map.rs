//! The revision map: revisions indexed in load order, with their edges, heads,
//! bases, branch labels and the traversal primitives everything else builds on.
//!
//! Building follows Alembic's `RevisionMap._revision_map` step by step (self-loop
//! checks, branch-label keys, dependency resolution, child links, normalised
//! dependencies, cycle detection, label propagation) so that every derived set is the
//! same. Where Alembic iterates a Python set, this map uses load order instead, which
//! makes every result deterministic. Pure: no I/O, no knowledge of files or databases.

use std::collections::HashMap;

use super::error::{CycleKind, CycleOrigin, RevisionError};

/// Index of a revision in the map; equal to its position in load order.
pub type RevIdx = usize;

/// One revision as declared by its file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevisionSpec {
    pub revision: String,
    pub down_revisions: Vec<String>,
    pub branch_labels: Vec<String>,
    pub depends_on: Vec<String>,
    /// Where the revision comes from (a file path), for error messages.
    pub source: String,
    /// Where in `source` its header keys are, for error messages.
    pub lines: HeaderLines,
}

/// The 1-based lines of a revision's header keys in its source (`None`: unknown or
/// absent), so that graph errors can point at the line to fix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeaderLines {
    pub revision: Option<usize>,
    pub revises: Option<usize>,
    pub depends_on: Option<usize>,
}

impl RevisionSpec {
    pub fn new(revision: &str, down_revisions: &[&str]) -> Self {
        RevisionSpec {
            revision: revision.to_string(),
            down_revisions: down_revisions.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    pub fn with_labels(mut self, labels: &[&str]) -> Self {
        self.branch_labels = labels.iter().map(|s| s.to_string()).collect();
        self
    }

    pub fn with_depends_on(mut self, deps: &[&str]) -> Self {
        self.depends_on = deps.iter().map(|s| s.to_string()).collect();
        self
    }
}

/// A revision inside the map, with every derived edge set of ALEMBIC.md §2.1.
#[derive(Debug, Clone)]
pub struct Revision {
    pub id: String,
    /// `Revises:` (versioned down revisions), in declared order.
    pub down: Vec<RevIdx>,
    /// `Depends On:` exactly as declared (ids, partial ids or labels).
    pub declared_depends_on: Vec<String>,
    /// Dependencies resolved to revisions, declared order (may repeat, as Alembic).
    pub resolved_deps: Vec<RevIdx>,
    /// Resolved dependencies minus those a versioned ancestor already depends on.
    pub normalized_deps: Vec<RevIdx>,
    /// `down` + resolved dependencies, de-duplicated.
    pub all_down: Vec<RevIdx>,
    /// `down` + normalised dependencies, de-duplicated: what traversal uses.
    pub normalized_down: Vec<RevIdx>,
    /// Children through `Revises:` only, in load order.
    pub nextrev: Vec<RevIdx>,
    /// Children through `Revises:` or `Depends On:`, in load order.
    pub all_nextrev: Vec<RevIdx>,
    /// Labels declared on this revision.
    pub own_labels: Vec<String>,
    /// Labels after propagation, as a set of label ids (see [`RevisionMap::branch_labels`]).
    label_bits: Vec<u64>,
    pub source: String,
    pub lines: HeaderLines,
}

impl Revision {
    /// No versioned children.
    pub fn is_head(&self) -> bool {
        self.nextrev.is_empty()
    }
    /// No children of any kind.
    pub fn is_real_head(&self) -> bool {
        self.all_nextrev.is_empty()
    }
    /// A versioned head that some revision depends on.
    pub fn is_effective_head(&self) -> bool {
        self.is_head() && !self.is_real_head()
    }
    pub fn is_base(&self) -> bool {
        self.down.is_empty()
    }
    pub fn is_real_base(&self) -> bool {
        self.down.is_empty() && self.declared_depends_on.is_empty()
    }
    pub fn is_branch_point(&self) -> bool {
        self.nextrev.len() > 1
    }
    pub fn is_real_branch_point(&self) -> bool {
        self.all_nextrev.len() > 1
    }
    pub fn is_merge_point(&self) -> bool {
        self.down.len() > 1
    }
}

/// Which edges a traversal follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edges {
    /// Parents through `Revises:` only.
    VersionedDown,
    /// Parents through `Revises:` and normalised dependencies.
    NormalizedDown,
    /// Parents through `Revises:` and all resolved dependencies.
    AllDown,
    /// Children through `Revises:` only.
    Next,
    /// Children through either kind of edge.
    AllNext,
}

impl Edges {
    /// Ancestors: with dependencies (normalised) or versioned only.
    pub fn ancestors(include_dependencies: bool) -> Edges {
        if include_dependencies {
            Edges::NormalizedDown
        } else {
            Edges::VersionedDown
        }
    }
    /// Descendants: with dependants or versioned only.
    pub fn descendants(include_dependencies: bool) -> Edges {
        if include_dependencies {
            Edges::AllNext
        } else {
            Edges::Next
        }
    }
}

/// The revision graph of a project.
#[derive(Debug, Clone, Default)]
pub struct RevisionMap {
    revs: Vec<Revision>,
    /// Revision ids and branch labels.
    keys: HashMap<String, RevIdx>,
    /// The same keys in Alembic's dict order (ids in load order, then labels), for
    /// prefix matching.
    key_order: Vec<(String, RevIdx)>,
    heads: Vec<RevIdx>,
    real_heads: Vec<RevIdx>,
    bases: Vec<RevIdx>,
    real_bases: Vec<RevIdx>,
    /// Every declared label, in load order; a label's id is its index here.
    label_names: Vec<String>,
}

fn push_unique(list: &mut Vec<RevIdx>, idx: RevIdx) {
    if !list.contains(&idx) {
        list.push(idx);
    }
}

fn dedupe(list: impl IntoIterator<Item = RevIdx>) -> Vec<RevIdx> {
    let mut out = Vec::new();
    for idx in list {
        push_unique(&mut out, idx);
    }
    out
}

impl RevisionMap {
    /// Builds the map from revisions in load order.
    pub fn build(specs: Vec<RevisionSpec>) -> Result<RevisionMap, RevisionError> {
        let mut map = RevisionMap::default();
        map.revs.reserve(specs.len());
        map.keys.reserve(specs.len());

        // Revisions, in load order; a self-loop fails at once, as in Alembic (and
        // a duplicate of that file's id is reported with it).
        for spec in &specs {
            let self_loop = if spec.down_revisions.iter().any(|d| d == &spec.revision) {
                Some((CycleKind::SelfLoop, "Revises", spec.lines.revises))
            } else if spec.depends_on.iter().any(|d| d == &spec.revision) {
                Some((
                    CycleKind::DependencySelfLoop,
                    "Depends On",
                    spec.lines.depends_on,
                ))
            } else {
                None
            };
            if let Some((kind, field, line)) = self_loop {
                let mut same_id = specs.iter().filter(|s| s.revision == spec.revision);
                let also = match (same_id.next(), same_id.next()) {
                    (Some(first), Some(second)) => {
                        Some(Box::new(RevisionError::DuplicateRevision {
                            revision: spec.revision.clone(),
                            first: first.source.clone(),
                            second: second.source.clone(),
                        }))
                    }
                    _ => None,
                };
                return Err(RevisionError::Cycle {
                    kind,
                    revisions: vec![spec.revision.clone()],
                    origins: vec![CycleOrigin {
                        revision: spec.revision.clone(),
                        source: spec.source.clone(),
                        line,
                        field,
                        targets: vec![spec.revision.clone()],
                    }],
                    also,
                });
            }
            let idx = map.revs.len();
            if let Some(&existing) = map.keys.get(&spec.revision) {
                return Err(RevisionError::DuplicateRevision {
                    revision: spec.revision.clone(),
                    first: map.revs[existing].source.clone(),
                    second: spec.source.clone(),
                });
            }
            map.keys.insert(spec.revision.clone(), idx);
            map.key_order.push((spec.revision.clone(), idx));
            map.revs.push(Revision {
                id: spec.revision.clone(),
                down: Vec::new(),
                declared_depends_on: spec.depends_on.clone(),
                resolved_deps: Vec::new(),
                normalized_deps: Vec::new(),
                all_down: Vec::new(),
                normalized_down: Vec::new(),
                nextrev: Vec::new(),
                all_nextrev: Vec::new(),
                own_labels: dedupe_strings(&spec.branch_labels),
                label_bits: Vec::new(),
                source: spec.source.clone(),
                lines: spec.lines,
            });
        }

        // Branch labels become keys too; a collision is an error.
        for idx in 0..map.revs.len() {
            for label in map.revs[idx].own_labels.clone() {
                if let Some(&existing) = map.keys.get(&label) {
                    return Err(RevisionError::BranchNameInUse {
                        label,
                        revision: map.revs[idx].id.clone(),
                        existing: map.revs[existing].id.clone(),
                    });
                }
                map.keys.insert(label.clone(), idx);
                map.key_order.push((label.clone(), idx));
                map.label_names.push(label);
            }
        }

        // Down revisions name ids; dependencies name ids or labels.
        for (idx, spec) in specs.iter().enumerate() {
            let mut down = Vec::with_capacity(spec.down_revisions.len());
            for name in &spec.down_revisions {
                match map.revs_index_of_id(name) {
                    Some(d) => down.push(d),
                    None => {
                        return Err(RevisionError::MissingReference {
                            missing: name.clone(),
                            revision: spec.revision.clone(),
                            field: "Revises",
                            source_path: spec.source.clone(),
                            line: spec.lines.revises,
                        })
                    }
                }
            }
            let mut deps = Vec::with_capacity(spec.depends_on.len());
            for name in &spec.depends_on {
                match map.keys.get(name) {
                    Some(&d) => deps.push(d),
                    None => {
                        return Err(RevisionError::MissingReference {
                            missing: name.clone(),
                            revision: spec.revision.clone(),
                            field: "Depends On",
                            source_path: spec.source.clone(),
                            line: spec.lines.depends_on,
                        })
                    }
                }
            }
            let rev = &mut map.revs[idx];
            rev.all_down = dedupe(down.iter().chain(deps.iter()).copied());
            rev.down = down;
            rev.resolved_deps = deps;
        }

        // Child links.
        for idx in 0..map.revs.len() {
            for i in 0..map.revs[idx].all_down.len() {
                let parent = map.revs[idx].all_down[i];
                let versioned = map.revs[idx].down.contains(&parent);
                push_unique(&mut map.revs[parent].all_nextrev, idx);
                if versioned {
                    push_unique(&mut map.revs[parent].nextrev, idx);
                }
            }
        }

        map.normalize_dependencies();
        map.heads = (0..map.revs.len())
            .filter(|&i| map.revs[i].is_head())
            .collect();
        map.real_heads = (0..map.revs.len())
            .filter(|&i| map.revs[i].is_real_head())
            .collect();
        map.bases = (0..map.revs.len())
            .filter(|&i| map.revs[i].is_base())
            .collect();
        map.real_bases = (0..map.revs.len())
            .filter(|&i| map.revs[i].is_real_base())
            .collect();
        map.detect_cycles()?;
        map.propagate_branch_labels();
        Ok(map)
    }

    fn revs_index_of_id(&self, id: &str) -> Option<RevIdx> {
        self.keys
            .get(id)
            .copied()
            .filter(|&idx| self.revs[idx].id == id)
    }

    /// `_normalized_resolved_dependencies`: drop every dependency that a versioned
    /// ancestor already declares.
    fn normalize_dependencies(&mut self) {
        for idx in 0..self.revs.len() {
            if self.revs[idx].resolved_deps.is_empty() {
                self.revs[idx].normalized_down = self.revs[idx].down.clone();
                continue;
            }
            let mut inherited = vec![false; self.revs.len()];
            for anc in self.iterate_related(&[idx], Edges::VersionedDown) {
                if anc != idx {
                    for &dep in &self.revs[anc].resolved_deps {
                        inherited[dep] = true;
                    }
                }
            }
            let normalized = dedupe(
                self.revs[idx]
                    .resolved_deps
                    .iter()
                    .copied()
                    .filter(|&d| !inherited[d]),
            );
            let rev = &mut self.revs[idx];
            rev.normalized_down = dedupe(rev.down.iter().chain(normalized.iter()).copied());
            rev.normalized_deps = normalized;
        }
    }

    fn detect_cycles(&self) -> Result<(), RevisionError> {
        if self.revs.is_empty() {
            return Ok(());
        }
        let all = || (0..self.revs.len()).collect::<Vec<_>>();
        let outside = |heads: &[RevIdx], down: Edges, bases: &[RevIdx], up: Edges| {
            let mut from_heads = vec![false; self.revs.len()];
            for i in self.iterate_related(heads, down) {
                from_heads[i] = true;
            }
            let mut inside = vec![false; self.revs.len()];
            for i in self.iterate_related(bases, up) {
                inside[i] = from_heads[i];
            }
            let mut cut: Vec<RevIdx> = (0..self.revs.len()).filter(|&i| !inside[i]).collect();
            cut.sort_by(|&a, &b| self.revs[a].id.cmp(&self.revs[b].id));
            cut
        };
        let cut = if self.heads.is_empty() || self.bases.is_empty() {
            all()
        } else {
            outside(&self.heads, Edges::VersionedDown, &self.bases, Edges::Next)
        };
        if !cut.is_empty() {
            return Err(self.cycle(CycleKind::Cycle, cut));
        }
        let cut = if self.real_heads.is_empty() || self.real_bases.is_empty() {
            all()
        } else {
            outside(
                &self.real_heads,
                Edges::AllDown,
                &self.real_bases,
                Edges::AllNext,
            )
        };
        if !cut.is_empty() {
            return Err(self.cycle(CycleKind::DependencyCycle, cut));
        }
        Ok(())
    }

    /// A cycle error over `members` (in the order Alembic prints them: load order
    /// when the graph has no head or no base, else sorted), with for each member the
    /// header lines whose edges stay inside the cycle (`Revises:`, and
    /// for a dependency cycle `Depends On:`).
    fn cycle(&self, kind: CycleKind, members: Vec<RevIdx>) -> RevisionError {
        let mut inside = vec![false; self.revs.len()];
        for &i in &members {
            inside[i] = true;
        }
        let mut origins = Vec::new();
        for &i in &members {
            let rev = &self.revs[i];
            let ids = |edges: &mut dyn Iterator<Item = &RevIdx>| -> Vec<String> {
                let mut out: Vec<String> = Vec::new();
                for &p in edges.filter(|&&p| inside[p]) {
                    if !out.contains(&self.revs[p].id) {
                        out.push(self.revs[p].id.clone());
                    }
                }
                out
            };
            let revises = ids(&mut rev.down.iter());
            if !revises.is_empty() {
                origins.push(CycleOrigin {
                    revision: rev.id.clone(),
                    source: rev.source.clone(),
                    line: rev.lines.revises,
                    field: "Revises",
                    targets: revises,
                });
            }
            if kind == CycleKind::DependencyCycle {
                let depends = ids(&mut rev.resolved_deps.iter());
                if !depends.is_empty() {
                    origins.push(CycleOrigin {
                        revision: rev.id.clone(),
                        source: rev.source.clone(),
                        line: rev.lines.depends_on,
                        field: "Depends On",
                        targets: depends,
                    });
                }
            }
        }
        RevisionError::Cycle {
            kind,
            revisions: members.iter().map(|&i| self.revs[i].id.clone()).collect(),
            origins,
            also: None,
        }
    }

    /// Alembic's `_add_branches`: a label goes to the labelled revision and all its
    /// versioned descendants; then, from the last descendant the walk produced, down
    /// the line until a real branch point or a merge point.
    fn propagate_branch_labels(&mut self) {
        let words = self.label_names.len().div_ceil(64);
        for rev in &mut self.revs {
            rev.label_bits = vec![0; words];
        }
        let mut next_id = 0usize;
        for idx in 0..self.revs.len() {
            for _ in 0..self.revs[idx].own_labels.len() {
                self.revs[idx].label_bits[next_id / 64] |= 1 << (next_id % 64);
                next_id += 1;
            }
        }
        for idx in 0..self.revs.len() {
            if self.revs[idx].own_labels.is_empty() {
                continue;
            }
            let labels = self.revs[idx].label_bits.clone();
            let descendants = self.iterate_related(&[idx], Edges::Next);
            for &node in &descendants {
                add_labels(&mut self.revs[node].label_bits, &labels);
            }
            let mut parent = descendants.last().copied();
            while let Some(p) = parent {
                let rev = &self.revs[p];
                if rev.is_real_branch_point() || rev.is_merge_point() {
                    break;
                }
                let next = rev.down.first().copied();
                add_labels(&mut self.revs[p].label_bits, &labels);
                parent = next;
            }
        }
    }

    /// The branch labels of a revision after propagation: its own labels first, then
    /// inherited ones in the order they were declared (load order).
    pub fn branch_labels(&self, idx: RevIdx) -> Vec<String> {
        let rev = &self.revs[idx];
        let mut out = rev.own_labels.clone();
        for (id, name) in self.label_names.iter().enumerate() {
            if rev
                .label_bits
                .get(id / 64)
                .is_some_and(|w| w & (1 << (id % 64)) != 0)
                && !out.contains(name)
            {
                out.push(name.clone());
            }
        }
        out
    }

    /// Whether a revision carries `label` (declared or inherited).
    pub fn has_label(&self, idx: RevIdx, label: &str) -> bool {
        match self.label_names.iter().position(|n| n == label) {
            Some(id) => self.revs[idx]
                .label_bits
                .get(id / 64)
                .is_some_and(|w| w & (1 << (id % 64)) != 0),
            None => false,
        }
    }

    /// Alembic's `_iterate_related_revisions` without the overlap check: a depth-first
    /// walk from each target (children popped last-pushed first), each revision once.
    pub fn iterate_related(&self, targets: &[RevIdx], edges: Edges) -> Vec<RevIdx> {
        let mut seen = vec![false; self.revs.len()];
        let mut out = Vec::new();
        let mut stack = Vec::new();
        for &target in targets {
            stack.push(target);
            while let Some(rev) = stack.pop() {
                if seen[rev] {
                    continue;
                }
                seen[rev] = true;
                stack.extend_from_slice(self.edges(rev, edges));
                out.push(rev);
            }
        }
        out
    }

    /// The same walk with Alembic's `check=True`: a target reached from another
    /// requested target is an error.
    pub fn iterate_related_checked(
        &self,
        targets: &[RevIdx],
        edges: Edges,
    ) -> Result<Vec<RevIdx>, RevisionError> {
        let mut seen = vec![false; self.revs.len()];
        let mut out = Vec::new();
        let mut stack = Vec::new();
        for &target in targets {
            stack.push(target);
            let mut per_target = Vec::new();
            while let Some(rev) = stack.pop() {
                per_target.push(rev);
                if seen[rev] {
                    continue;
                }
                seen[rev] = true;
                stack.extend_from_slice(self.edges(rev, edges));
                out.push(rev);
            }
            let mut overlaps: Vec<RevIdx> = targets
                .iter()
                .copied()
                .filter(|&t| t != target && per_target.contains(&t))
                .collect();
            overlaps.sort_unstable();
            overlaps.dedup();
            if !overlaps.is_empty() {
                return Err(RevisionError::other(format!(
                    "Requested revision {} overlaps with other requested revisions {}",
                    self.revs[target].id,
                    overlaps
                        .iter()
                        .map(|&o| self.revs[o].id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        Ok(out)
    }

    /// A membership vector of the walk's result.
    pub fn related_set(&self, targets: &[RevIdx], edges: Edges) -> Vec<bool> {
        let mut set = vec![false; self.revs.len()];
        for i in self.iterate_related(targets, edges) {
            set[i] = true;
        }
        set
    }

    pub fn edges(&self, rev: RevIdx, edges: Edges) -> &[RevIdx] {
        let r = &self.revs[rev];
        match edges {
            Edges::VersionedDown => &r.down,
            Edges::NormalizedDown => &r.normalized_down,
            Edges::AllDown => &r.all_down,
            Edges::Next => &r.nextrev,
            Edges::AllNext => &r.all_nextrev,
        }
    }

    /// Whether `target` is an ancestor or descendant of (or equal to) any of `against`.
    /// An empty `against` shares lineage with everything, as in Alembic.
    pub fn shares_lineage(
        &self,
        target: RevIdx,
        against: &[RevIdx],
        include_dependencies: bool,
    ) -> bool {
        if against.is_empty() {
            return true;
        }
        let lineage = self.lineage_set(against, include_dependencies);
        lineage[target]
    }

    /// Every revision that shares lineage with one of `revs`: their ancestors and
    /// descendants (reachability is symmetric, so this answers `shares_lineage` for
    /// many targets at once).
    pub fn lineage_set(&self, revs: &[RevIdx], include_dependencies: bool) -> Vec<bool> {
        let mut set = self.related_set(revs, Edges::ancestors(include_dependencies));
        for i in self.iterate_related(revs, Edges::descendants(include_dependencies)) {
            set[i] = true;
        }
        set
    }

    pub fn len(&self) -> usize {
        self.revs.len()
    }
    pub fn is_empty(&self) -> bool {
        self.revs.is_empty()
    }
    pub fn rev(&self, idx: RevIdx) -> &Revision {
        &self.revs[idx]
    }
    pub fn revisions(&self) -> &[Revision] {
        &self.revs
    }
    pub fn id(&self, idx: RevIdx) -> &str {
        &self.revs[idx].id
    }
    pub fn ids(&self, idxs: &[RevIdx]) -> Vec<String> {
        idxs.iter().map(|&i| self.revs[i].id.clone()).collect()
    }
    /// Exact lookup of a revision id or branch label.
    pub fn lookup(&self, key: &str) -> Option<RevIdx> {
        self.keys.get(key).copied()
    }
    /// Exact lookup of a revision id (not a label).
    pub fn index_of(&self, id: &str) -> Option<RevIdx> {
        self.revs_index_of_id(id)
    }
    pub(crate) fn keys_in_order(&self) -> &[(String, RevIdx)] {
        &self.key_order
    }
    /// Versioned heads (no child through `Revises:`), in load order.
    pub fn heads(&self) -> &[RevIdx] {
        &self.heads
    }
    /// Real heads (no child of any kind), in load order.
    pub fn real_heads(&self) -> &[RevIdx] {
        &self.real_heads
    }
    /// Revisions without `Revises:`, in load order.
    pub fn bases(&self) -> &[RevIdx] {
        &self.bases
    }
    /// Bases that also have no dependencies.
    pub fn real_bases(&self) -> &[RevIdx] {
        &self.real_bases
    }
}

fn add_labels(target: &mut [u64], labels: &[u64]) {
    for (t, l) in target.iter_mut().zip(labels) {
        *t |= l;
    }
}

fn dedupe_strings(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    out
}
