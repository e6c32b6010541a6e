//! Which revisions a command runs, in which order, and what each step does to the
//! version table: Alembic's `_collect_upgrade_revisions`,
//! `_collect_downgrade_revisions`, `_topological_sort` and `_stamp_revs`
//! (ALEMBIC.md §2.7, §2.8, §2.10), plus the plans that combine them with
//! [`VersionRows`].
//!
//! Alembic bugs fixed here (documented in docs/alembic-differences.md): `stamp` with
//! several targets no longer merges unrelated rows into one target (§10 #3); an empty
//! range start means base (#5); set orders are load or declared orders (#13).
//! Pure: no I/O.

use serde::Serialize;

use super::error::RevisionError;
use super::map::{Edges, RevIdx, RevisionMap};
use super::resolve::{Node, RevArg};
use super::version_rows::{StepAction, VersionChange, VersionRows};

/// A step of a plan and the version-table statements it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStep {
    pub action: StepAction,
    pub changes: Vec<VersionChange>,
}

/// Direction of a step, as Alembic names its migration functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    Upgrade,
    Downgrade,
    Stamp,
}

impl StepKind {
    /// `upgrade`, `downgrade` or `stamp` (as the history table and messages say it).
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Upgrade => "upgrade",
            StepKind::Downgrade => "downgrade",
            StepKind::Stamp => "stamp",
        }
    }
}

impl PlannedStep {
    pub fn kind(&self) -> StepKind {
        match &self.action {
            StepAction::Revision { upgrade: true, .. } => StepKind::Upgrade,
            StepAction::Revision { upgrade: false, .. } => StepKind::Downgrade,
            StepAction::Stamp { .. } => StepKind::Stamp,
        }
    }

    /// The revision this step runs (`None` for a stamp).
    pub fn revision(&self) -> Option<RevIdx> {
        match self.action {
            StepAction::Revision { rev, .. } => Some(rev),
            StepAction::Stamp { .. } => None,
        }
    }

    /// `from -> to` as Alembic logs it: versioned down revisions, no dependencies.
    pub fn from_to(&self, map: &RevisionMap) -> (Vec<String>, Vec<String>) {
        match &self.action {
            StepAction::Revision { rev, upgrade } => {
                let r = map.rev(*rev);
                let downs = map.ids(&r.down);
                if *upgrade {
                    (downs, vec![r.id.clone()])
                } else {
                    (vec![r.id.clone()], downs)
                }
            }
            StepAction::Stamp { from, to, .. } => (from.clone(), to.clone()),
        }
    }

    /// Alembic's step name: `upgrade`, `downgrade` or `stamp_revision`.
    pub fn name(&self) -> &'static str {
        match self.kind() {
            StepKind::Upgrade => "upgrade",
            StepKind::Downgrade => "downgrade",
            StepKind::Stamp => "stamp_revision",
        }
    }

    /// `upgrade a -> b` (Alembic's `short_log`; the offline comment is `-- Running ` + this).
    pub fn short_log(&self, map: &RevisionMap) -> String {
        let (from, to) = self.from_to(map);
        format!("{} {} -> {}", self.name(), from.join(", "), to.join(", "))
    }
}

/// The steps of a command from a given set of version-table rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub steps: Vec<PlannedStep>,
    /// Warnings Alembic prints for the same request.
    pub warnings: Vec<String>,
    pub starting_rows: Vec<String>,
    /// The rows once every step has run.
    pub final_rows: Vec<String>,
}

/// A fixed-size set of revisions.
#[derive(Clone)]
struct RevSet(Vec<u64>);

impl RevSet {
    fn new(n: usize) -> Self {
        RevSet(vec![0; n.div_ceil(64)])
    }
    fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn remove(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }
    fn contains(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
}

fn members(set: &[bool]) -> Vec<RevIdx> {
    (0..set.len()).filter(|&i| set[i]).collect()
}

fn only_revisions(nodes: &[Option<Node>]) -> Vec<RevIdx> {
    nodes.iter().filter_map(|n| n.and_then(Node::rev)).collect()
}

impl RevisionMap {
    /// `rev` and its ancestors through normalised edges, as a bit set. The set is
    /// its own visited mark: a merge-heavy history asks for thousands of these.
    fn ancestors_bits(&self, rev: RevIdx) -> RevSet {
        let mut set = RevSet::new(self.len());
        let mut stack = vec![rev];
        while let Some(r) = stack.pop() {
            if set.contains(r) {
                continue;
            }
            set.insert(r);
            stack.extend(
                self.edges(r, Edges::NormalizedDown)
                    .iter()
                    .copied()
                    .filter(|&p| !set.contains(p)),
            );
        }
        set
    }

    /// Alembic's `_topological_sort`: `revisions` newest first, walking one line at a
    /// time from `heads` and switching lines where another pending line still needs
    /// the candidate. Ties break by load order.
    pub fn topological_sort(&self, revisions: &[RevIdx], heads: &[RevIdx]) -> Vec<RevIdx> {
        let mut todo = vec![false; self.len()];
        let mut remaining = 0usize;
        for &r in revisions {
            if !todo[r] {
                todo[r] = true;
                remaining += 1;
            }
        }
        let mut current_heads: Vec<RevIdx> = heads.iter().copied().filter(|&h| todo[h]).collect();
        current_heads.sort_unstable();
        current_heads.dedup();
        let mut ancestors: Vec<RevSet> = current_heads
            .iter()
            .map(|&h| self.ancestors_bits(h))
            .collect();
        let mut output = Vec::with_capacity(remaining);
        let mut idx = 0usize;
        // A DAG always terminates; the guard keeps a broken map from hanging.
        let mut guard = (self.len() + 1).saturating_mul(heads.len() + revisions.len() + 4);
        while !current_heads.is_empty() && guard > 0 {
            guard -= 1;
            let candidate = current_heads[idx];
            if let Some(j) = ancestors
                .iter()
                .enumerate()
                .position(|(j, a)| j != idx && a.contains(candidate))
            {
                idx = j;
                continue;
            }
            if todo[candidate] {
                output.push(candidate);
                todo[candidate] = false;
                remaining -= 1;
            }
            let rev = self.rev(candidate);
            let to_add: Vec<RevIdx> = rev
                .normalized_down
                .iter()
                .copied()
                .filter(|&p| todo[p] && !current_heads.contains(&p))
                .collect();
            if to_add.is_empty() {
                current_heads.remove(idx);
                ancestors.remove(idx);
                idx = idx.saturating_sub(1);
            } else if rev.normalized_deps.is_empty() && rev.down.len() == 1 {
                current_heads[idx] = to_add[0];
                ancestors[idx].remove(candidate);
            } else {
                current_heads[idx] = to_add[0];
                ancestors[idx] = self.ancestors_bits(to_add[0]);
                for &p in &to_add[1..] {
                    current_heads.push(p);
                    ancestors.push(self.ancestors_bits(p));
                }
            }
        }
        if remaining > 0 {
            // Revisions the walk from the heads cannot reach (Alembic asserts here):
            // sort them too, rather than lose them.
            let rest = members(&todo);
            output.extend(self.topological_sort(&rest, &rest));
        }
        output
    }

    /// `_collect_upgrade_revisions`: the revisions to apply and the targets.
    pub fn collect_upgrade(
        &self,
        upper: &str,
        lower: Option<&RevArg>,
        inclusive: bool,
        implicit_base: bool,
        assert_relative_length: bool,
        warnings: &mut Vec<String>,
    ) -> Result<(Vec<RevIdx>, Vec<RevIdx>), RevisionError> {
        let empty = RevArg::Many(Vec::new());
        let lower_arg = lower.unwrap_or(&empty);
        let mut targets = Vec::new();
        for node in self.parse_upgrade_target(lower_arg, upper, assert_relative_length)? {
            match node {
                Some(Node::Rev(r)) => targets.push(r),
                Some(Node::Base) => {}
                None => return Err(RevisionError::other("Walked too far")),
            }
        }

        if let Some(RevArg::One(l)) = lower {
            if let Some((branch, _)) = l.split_once('@') {
                let mut branch = branch.to_string();
                if let Some(br) = self.get_revision(&branch)? {
                    if self.id(br) == branch {
                        let labels = self.branch_labels(br);
                        if labels.len() != 1 {
                            return Err(RevisionError::other(format!(
                                "Revision {branch} has {} branch labels{}; write the branch label before '@' in '{l}'",
                                labels.len(),
                                if labels.is_empty() { String::new() } else { format!(" ({})", labels.join(", ")) }
                            )));
                        }
                        branch = labels[0].clone();
                    }
                }
                targets.retain(|&t| self.has_label(t, &branch));
            }
        }

        let mut required = vec![false; self.len()];
        for r in self.iterate_related_checked(&targets, Edges::NormalizedDown)? {
            required[r] = true;
        }

        let mut current = match lower {
            Some(arg) => self.get_revisions_arg(arg)?,
            None => Vec::new(),
        };
        let range_error = || RevisionError::RangeNotAncestor {
            lower: lower.map(RevArg::display),
            upper: Some(upper.to_string()),
        };
        if !implicit_base {
            for node in current.iter().flatten() {
                match node {
                    Node::Rev(r) if !required[*r] => return Err(range_error()),
                    Node::Base => return Err(range_error()),
                    Node::Rev(_) => {}
                }
            }
        }
        let mut lower_now: Option<RevArg> = lower.cloned();
        if current.first() == Some(&None) {
            let lower_text = match lower {
                Some(RevArg::One(s)) => s.clone(),
                _ => return Err(RevisionError::other("Walked too far")),
            };
            let (_, rev) = self.parse_downgrade_target(
                &RevArg::one(upper),
                Some(&lower_text),
                assert_relative_length,
                warnings,
            )?;
            match rev {
                None => return Err(RevisionError::other("Walked too far")),
                Some(Node::Base) => {
                    current = Vec::new();
                    lower_now = None;
                }
                Some(Node::Rev(r)) => {
                    current = vec![Some(Node::Rev(r))];
                    lower_now = Some(RevArg::one(self.id(r)));
                }
            }
        }
        let current_revs = only_revisions(&current);
        let mut current_set = vec![false; self.len()];
        for r in self.iterate_related_checked(&current_revs, Edges::NormalizedDown)? {
            current_set[r] = true;
        }
        let mut needs: Vec<bool> = (0..self.len())
            .map(|i| required[i] && !current_set[i])
            .collect();
        if inclusive {
            if let Some(arg) = &lower_now {
                for r in only_revisions(&self.get_revisions_arg(arg)?) {
                    needs[r] = true;
                }
            }
        }
        if !current_revs.is_empty() && !implicit_base {
            let mut below = vec![false; self.len()];
            for r in self.iterate_related_checked(&current_revs, Edges::Next)? {
                below[r] = true;
            }
            for (i, need) in needs.iter_mut().enumerate() {
                *need = *need && below[i];
            }
        }
        Ok((members(&needs), targets))
    }

    /// `_collect_downgrade_revisions`: the revisions to drop and the current heads.
    pub fn collect_downgrade(
        &self,
        upper: &RevArg,
        lower: Option<&str>,
        inclusive: bool,
        implicit_base: bool,
        assert_relative_length: bool,
        warnings: &mut Vec<String>,
    ) -> Result<(Vec<RevIdx>, Vec<RevIdx>), RevisionError> {
        let (label, target) =
            self.parse_downgrade_target(upper, lower, assert_relative_length, warnings)?;
        let target = target.and_then(Node::rev);
        let (mut roots, listed) = match target {
            None => {
                let bases = self.bases().to_vec();
                // Alembic lists a labelled root once per map key (id and labels).
                let listed: usize = bases
                    .iter()
                    .map(|&b| 1 + self.rev(b).own_labels.len())
                    .sum();
                (bases, listed)
            }
            Some(t) if inclusive => (vec![t], 1),
            Some(t) => {
                let next = self.rev(t).nextrev.clone();
                let n = next.len();
                (next, n)
            }
        };
        if let Some(l) = label.as_deref().filter(|l| !l.is_empty()) {
            if listed > 1 {
                let branch = self.resolve_branch(l)?;
                let below = self.related_set(&[branch], Edges::VersionedDown);
                roots.retain(|&r| below[r]);
                if roots.is_empty() {
                    return Err(RevisionError::other(
                        "Not a valid downgrade target from current heads",
                    ));
                }
            }
        }
        let heads = only_revisions(&self.get_revisions_arg(upper)?);
        let dependants = self.related_set(&roots, Edges::AllNext);
        let active = self.related_set(&heads, Edges::NormalizedDown);
        let mut drop: Vec<bool> = (0..self.len())
            .map(|i| dependants[i] && active[i])
            .collect();
        if implicit_base {
            let below_roots = self.related_set(&roots, Edges::NormalizedDown);
            for i in 0..self.len() {
                drop[i] = drop[i] || (active[i] && !below_roots[i]);
            }
        }
        if let Some(t) = target {
            if !drop.iter().any(|&d| d) && !heads.contains(&t) {
                return Err(RevisionError::RangeNotAncestor {
                    lower: Some("Nothing to drop".to_string()),
                    upper: Some(upper.display()),
                });
            }
        }
        Ok((members(&drop), heads))
    }

    /// `walk_revisions(base, head)`: what `history -r base:head` lists, newest first.
    pub fn walk_revisions(&self, base: &str, head: &str) -> Result<Vec<RevIdx>, RevisionError> {
        self.walk_revisions_from(&RevArg::one(base), head)
    }

    /// [`RevisionMap::walk_revisions`] from several revisions (`history -r current:`
    /// with several rows).
    pub fn walk_revisions_from(
        &self,
        base: &RevArg,
        head: &str,
    ) -> Result<Vec<RevIdx>, RevisionError> {
        let mut warnings = Vec::new();
        let (needs, targets) =
            self.collect_upgrade(head, Some(base), true, false, false, &mut warnings)?;
        Ok(self.topological_sort(&needs, &targets))
    }

    /// `_upgrade_revs`: revisions to apply from `current` rows, in execution order.
    pub fn upgrade_revisions(
        &self,
        destination: &str,
        current: &[String],
    ) -> Result<Vec<RevIdx>, RevisionError> {
        let mut warnings = Vec::new();
        let (needs, targets) = self.collect_upgrade(
            destination,
            Some(&RevArg::many(current)),
            false,
            true,
            true,
            &mut warnings,
        )?;
        let mut order = self.topological_sort(&needs, &targets);
        order.reverse();
        Ok(order)
    }

    /// `_downgrade_revs`: revisions to undo from `current` rows, in execution order.
    pub fn downgrade_revisions(
        &self,
        destination: &str,
        current: &[String],
        warnings: &mut Vec<String>,
    ) -> Result<Vec<RevIdx>, RevisionError> {
        let (drop, heads) = self.collect_downgrade(
            &RevArg::many(current),
            Some(destination),
            false,
            false,
            true,
            warnings,
        )?;
        Ok(self.topological_sort(&drop, &heads))
    }

    /// `_stamp_revs`: the stamp steps that move `current` rows to `targets`.
    ///
    /// Fix of Alembic §10 #3: each destination considers only the current rows that
    /// share lineage with that destination, so unrelated rows are never merged away.
    pub fn stamp_actions(
        &self,
        targets: &[String],
        current: &[String],
    ) -> Result<Vec<StepAction>, RevisionError> {
        let head_revs = only_revisions(&self.get_revisions_arg(&RevArg::many(current))?);
        let targets: Vec<String> = if targets.is_empty() {
            vec!["base".to_string()]
        } else {
            targets.to_vec()
        };
        let mut filtered: Vec<RevIdx> = Vec::new();
        for t in targets.iter().filter(|t| !t.is_empty()) {
            for h in self.filter_for_lineage(&head_revs, t, true)? {
                if !filtered.contains(&h) {
                    filtered.push(h);
                }
            }
        }
        let mut dests: Vec<Option<RevIdx>> = Vec::new();
        for t in &targets {
            for node in self.get_revisions(t)? {
                match node {
                    Some(Node::Rev(r)) => dests.push(Some(r)),
                    _ => return Err(RevisionError::other("Walked too far")),
                }
            }
        }
        if dests.is_empty() {
            dests.push(None);
        }
        let mut steps = Vec::new();
        for dest in dests {
            let Some(dest) = dest else {
                for &h in &filtered {
                    steps.push(StepAction::Stamp {
                        from: vec![self.id(h).to_string()],
                        to: Vec::new(),
                        upgrade: false,
                        branch_move: true,
                    });
                }
                continue;
            };
            let lineage = self.lineage_set(&[dest], true);
            let related: Vec<RevIdx> = filtered.iter().copied().filter(|&h| lineage[h]).collect();
            if related.contains(&dest) {
                continue;
            }
            let descendants = self.related_set(&[dest], Edges::AllNext);
            let ancestors = self.related_set(&[dest], Edges::NormalizedDown);
            let from: Vec<String> = self.ids(&related);
            let to = vec![self.id(dest).to_string()];
            if related.iter().any(|&h| descendants[h]) {
                steps.push(StepAction::Stamp {
                    from,
                    to,
                    upgrade: false,
                    branch_move: false,
                });
            } else if related.iter().any(|&h| ancestors[h]) {
                steps.push(StepAction::Stamp {
                    from,
                    to,
                    upgrade: true,
                    branch_move: false,
                });
            } else {
                steps.push(StepAction::Stamp {
                    from: Vec::new(),
                    to,
                    upgrade: true,
                    branch_move: true,
                });
            }
        }
        Ok(steps)
    }

    fn plan_from(
        &self,
        current: &[String],
        actions: Vec<StepAction>,
        warnings: Vec<String>,
    ) -> Result<Plan, RevisionError> {
        let mut rows = VersionRows::new(current);
        let mut steps = Vec::with_capacity(actions.len());
        for action in actions {
            let changes = rows.apply(self, &action)?;
            steps.push(PlannedStep { action, changes });
        }
        Ok(Plan {
            steps,
            warnings,
            starting_rows: current.to_vec(),
            final_rows: rows.rows().to_vec(),
        })
    }

    /// `upgrade DESTINATION` from the given rows.
    pub fn plan_upgrade(
        &self,
        current: &[String],
        destination: &str,
    ) -> Result<Plan, RevisionError> {
        let revs = self.upgrade_revisions(destination, current)?;
        let actions = revs
            .into_iter()
            .map(|rev| StepAction::Revision { rev, upgrade: true })
            .collect();
        self.plan_from(current, actions, Vec::new())
    }

    /// `downgrade DESTINATION` from the given rows.
    pub fn plan_downgrade(
        &self,
        current: &[String],
        destination: &str,
    ) -> Result<Plan, RevisionError> {
        let mut warnings = Vec::new();
        let revs = self.downgrade_revisions(destination, current, &mut warnings)?;
        let actions = revs
            .into_iter()
            .map(|rev| StepAction::Revision {
                rev,
                upgrade: false,
            })
            .collect();
        self.plan_from(current, actions, warnings)
    }

    /// `stamp TARGET...` from the given rows.
    pub fn plan_stamp(
        &self,
        current: &[String],
        targets: &[String],
    ) -> Result<Plan, RevisionError> {
        let actions = self.stamp_actions(targets, current)?;
        self.plan_from(current, actions, Vec::new())
    }
}
