//! Identifier resolution and relative walks (ALEMBIC.md §2.3–2.6): `head`, `heads`,
//! `base`, ids, unique prefixes, labels, `label@…`, `+N`, `-N`, `rev±N`, and the
//! parsing of upgrade and downgrade targets.
//!
//! Each function mirrors the Alembic function named in its doc, including the order
//! in which failures are detected, so that the same input fails with the same error.
//! Places where Alembic crashes with a traceback (§10 #18) return a clean
//! [`RevisionError`] instead. Pure: no I/O.

use super::error::{RevisionError, WalkWay};
use super::map::{Edges, RevIdx, RevisionMap};

/// A point of the graph a walk can stand on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// Below every root (Alembic's `"base"` marker).
    Base,
    Rev(RevIdx),
}

impl Node {
    pub fn rev(self) -> Option<RevIdx> {
        match self {
            Node::Rev(r) => Some(r),
            Node::Base => None,
        }
    }
}

/// A revision argument: one string (a symbol typed by the user) or several ids
/// (the rows of a version table). Alembic passes both through `util.to_tuple`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevArg {
    One(String),
    Many(Vec<String>),
}

impl RevArg {
    pub fn one(s: &str) -> RevArg {
        RevArg::One(s.to_string())
    }
    pub fn many(rows: &[String]) -> RevArg {
        RevArg::Many(rows.to_vec())
    }
    pub fn to_tuple(&self) -> Vec<String> {
        match self {
            RevArg::One(s) => vec![s.clone()],
            RevArg::Many(v) => v.clone(),
        }
    }
    /// How Alembic prints the argument in a range error.
    pub fn display(&self) -> String {
        match self {
            RevArg::One(s) => s.clone(),
            RevArg::Many(v) if v.is_empty() => "base".to_string(),
            RevArg::Many(v) => v.join(", "),
        }
    }
}

/// A relative identifier split like Alembic's `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)`,
/// matched at the start of the string only (trailing text is ignored, as there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relative<'a> {
    pub branch_label: Option<&'a str>,
    pub symbol: Option<&'a str>,
    /// The signed number as written, e.g. `+2` or `-1`.
    pub relative: &'a str,
    pub steps: i64,
}

impl Relative<'_> {
    /// Tells an ambiguous-walk error which identifier asked for the walk, when it
    /// has no branch label (a label would narrow the walk, so the error can
    /// suggest one).
    fn unlabelled(&self, err: RevisionError) -> RevisionError {
        if self.branch_label.is_some() {
            return err;
        }
        err.in_unlabelled_relative(format!("{}{}", self.symbol.unwrap_or(""), self.relative))
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `(\w+)?((?:\+|-)\d+)` at the start of `s`.
fn match_symbol_relative(s: &str) -> Option<(Option<&str>, &str)> {
    let word_end = s
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    let (symbol, rest) = s.split_at(word_end);
    let mut chars = rest.char_indices();
    match chars.next() {
        Some((_, '+')) | Some((_, '-')) => {}
        _ => return None,
    }
    let digits_end = rest[1..]
        .char_indices()
        .find(|&(_, c)| !c.is_ascii_digit())
        .map(|(i, _)| i + 1)
        .unwrap_or(rest.len());
    if digits_end == 1 {
        return None;
    }
    let symbol = if symbol.is_empty() {
        None
    } else {
        Some(symbol)
    };
    Some((symbol, &rest[..digits_end]))
}

pub fn parse_relative(s: &str) -> Option<Relative<'_>> {
    // The optional `label@` group is tried first, shortest label first.
    let mut candidates: Vec<(Option<&str>, &str)> = s
        .char_indices()
        .filter(|&(i, c)| c == '@' && i > 0)
        .map(|(i, _)| (Some(&s[..i]), &s[i + 1..]))
        .collect();
    candidates.push((None, s));
    for (label, rest) in candidates {
        if let Some((symbol, relative)) = match_symbol_relative(rest) {
            let steps = python_int(relative).unwrap_or(0);
            return Some(Relative {
                branch_label: label,
                symbol,
                relative,
                steps,
            });
        }
    }
    None
}

/// Python's `int(s)` for the forms that matter here: optional sign, digits, `_`
/// between digits, surrounding whitespace.
fn python_int(s: &str) -> Option<i64> {
    let t = s.trim();
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return None;
    }
    let mut value: i64 = 0;
    for c in digits.chars().filter(|c| *c != '_') {
        value = value
            .saturating_mul(10)
            .saturating_add(i64::from(c.to_digit(10).unwrap_or(0) as u8));
    }
    Some(if negative { -value } else { value })
}

fn truthy(label: Option<&str>) -> Option<&str> {
    label.filter(|l| !l.is_empty())
}

impl RevisionMap {
    /// `_resolve_revision_number`: symbols to ids, plus the branch label if any.
    pub(crate) fn resolve_revision_number(
        &self,
        id: Option<&str>,
    ) -> Result<(Vec<String>, Option<String>), RevisionError> {
        let (label, id) = match id {
            Some(s) => match s.split_once('@') {
                Some((l, rest)) => (Some(l.to_string()), Some(rest)),
                None => (None, Some(s)),
            },
            None => (None, None),
        };
        match id {
            Some("heads") => {
                if let Some(l) = truthy(label.as_deref()) {
                    let heads = self.filter_for_lineage(self.heads(), l, false)?;
                    Ok((self.ids(&heads), label))
                } else {
                    Ok((self.ids(self.real_heads()), label))
                }
            }
            Some("head") => {
                let head = self.get_current_head(truthy(label.as_deref()))?;
                Ok((
                    head.map(|h| vec![self.id(h).to_string()])
                        .unwrap_or_default(),
                    label,
                ))
            }
            Some("base") | None => Ok((Vec::new(), label)),
            Some(other) => Ok((vec![other.to_string()], label)),
        }
    }

    /// `get_current_head`: the one versioned head (on a branch, if a label is given).
    pub fn get_current_head(&self, label: Option<&str>) -> Result<Option<RevIdx>, RevisionError> {
        let heads = match truthy(label) {
            Some(l) => self.filter_for_lineage(self.heads(), l, false)?,
            None => self.heads().to_vec(),
        };
        if heads.len() > 1 {
            let argument = match truthy(label) {
                Some(l) => format!("{l}@head"),
                None => "head".to_string(),
            };
            return Err(self.multiple_heads(&heads, argument));
        }
        Ok(heads.first().copied())
    }

    /// The error for `argument` naming several `heads`, with the label of each head
    /// that no other of them carries (what `label@head` would name it by).
    fn multiple_heads(&self, heads: &[RevIdx], argument: String) -> RevisionError {
        let labels = heads
            .iter()
            .map(|&h| {
                self.branch_labels(h).into_iter().find(|label| {
                    heads
                        .iter()
                        .all(|&other| other == h || !self.has_label(other, label))
                })
            })
            .collect();
        RevisionError::MultipleHeads {
            heads: self.ids(heads),
            argument,
            labels,
        }
    }

    /// `filter_for_lineage`: the targets that share lineage with what `check_against`
    /// names (its label and its revisions).
    pub fn filter_for_lineage(
        &self,
        targets: &[RevIdx],
        check_against: &str,
        include_dependencies: bool,
    ) -> Result<Vec<RevIdx>, RevisionError> {
        let (ids, label) = self.resolve_revision_number(Some(check_against))?;
        let mut shares = Vec::new();
        if let Some(l) = truthy(label.as_deref()) {
            shares.push(l.to_string());
        }
        shares.extend(ids);
        if shares.is_empty() {
            return Ok(targets.to_vec());
        }
        let mut against = Vec::with_capacity(shares.len());
        for s in &shares {
            if let Some(r) = self.revision_for_ident(Some(s), None)? {
                against.push(r);
            }
        }
        let lineage = self.lineage_set(&against, include_dependencies);
        Ok(targets.iter().copied().filter(|&t| lineage[t]).collect())
    }

    /// `_resolve_branch`: a label, or else any revision identifier.
    pub(crate) fn resolve_branch(&self, label: &str) -> Result<RevIdx, RevisionError> {
        if let Some(r) = self.lookup(label) {
            return Ok(r);
        }
        match self.revision_for_ident(Some(label), None) {
            Ok(Some(r)) => Ok(r),
            Ok(None) | Err(RevisionError::Resolution { .. }) => Err(RevisionError::resolution(
                format!("No such branch: '{label}'"),
                label,
            )),
            Err(other) => Err(other),
        }
    }

    /// `_revision_for_ident`: exact id or label, else a unique prefix; with a branch,
    /// the revision must share lineage with it.
    pub(crate) fn revision_for_ident(
        &self,
        resolved_id: Option<&str>,
        check_branch: Option<&str>,
    ) -> Result<Option<RevIdx>, RevisionError> {
        let check_branch = truthy(check_branch);
        let branch_rev = match check_branch {
            Some(b) => Some(self.resolve_branch(b)?),
            None => None,
        };
        let Some(resolved_id) = resolved_id else {
            return Ok(None);
        };
        let revision = match self.lookup(resolved_id) {
            Some(r) => r,
            None => {
                let lineage = branch_rev.map(|b| self.lineage_set(&[b], false));
                let (candidates, names): (Vec<RevIdx>, Vec<&str>) = self
                    .keys_in_order()
                    .iter()
                    .filter(|(key, idx)| {
                        key.chars().count() > 3
                            && key.starts_with(resolved_id)
                            && lineage.as_ref().is_none_or(|l| l[*idx])
                    })
                    .map(|(key, idx)| (*idx, key.as_str()))
                    .unzip();
                match candidates.len() {
                    0 => {
                        let hint = if resolved_id.chars().count() < 4 {
                            "; please ensure at least four characters are present for partial revision identifier matches"
                        } else {
                            ""
                        };
                        return Err(RevisionError::resolution(
                            format!("No such revision or branch '{resolved_id}'{hint}"),
                            resolved_id,
                        ));
                    }
                    1 => candidates[0],
                    _ => {
                        let listed: Vec<String> =
                            names.iter().take(3).map(|n| format!("'{n}'")).collect();
                        return Err(RevisionError::resolution(
                            format!(
                                "Multiple revisions start with '{resolved_id}': {}...",
                                listed.join(", ")
                            ),
                            resolved_id,
                        ));
                    }
                }
            }
        };
        if let (Some(branch), Some(b)) = (check_branch, branch_rev) {
            if !self.shares_lineage(revision, &[b], false) {
                return Err(RevisionError::resolution(
                    format!(
                        "Revision {} is not a member of branch '{branch}'",
                        self.id(revision)
                    ),
                    resolved_id,
                ));
            }
        }
        Ok(Some(revision))
    }

    /// `get_revisions` for one identifier. Elements are `None` where a `-N` walk
    /// went past the graph, exactly where Alembic puts `None`.
    pub fn get_revisions(&self, id: &str) -> Result<Vec<Option<Node>>, RevisionError> {
        let (ids, label) = self.resolve_revision_number(Some(id))?;
        if ids.len() == 1 {
            if let Some(n) = python_int(&ids[0]) {
                if n < 0 {
                    let mut heads = self.real_heads().to_vec();
                    if let Some(l) = label.as_deref() {
                        heads.retain(|&h| self.has_label(h, l));
                    }
                    let mut out = Vec::with_capacity(heads.len());
                    for h in heads {
                        out.push(self.walk(Some(Node::Rev(h)), n, None, true)?);
                    }
                    return Ok(out);
                }
            }
        }
        let mut out = Vec::with_capacity(ids.len());
        for rid in &ids {
            out.push(
                self.revision_for_ident(Some(rid), label.as_deref())?
                    .map(Node::Rev),
            );
        }
        Ok(out)
    }

    /// `get_revisions` on a tuple: the concatenation over its elements.
    pub fn get_revisions_arg(&self, arg: &RevArg) -> Result<Vec<Option<Node>>, RevisionError> {
        let mut out = Vec::new();
        for s in arg.to_tuple() {
            out.extend(self.get_revisions(&s)?);
        }
        Ok(out)
    }

    /// Resolves to revisions only: what commands such as `show` need. A walk past
    /// the graph is an error here (Alembic crashes on it).
    pub fn resolve_revisions(&self, id: &str) -> Result<Vec<RevIdx>, RevisionError> {
        let mut out = Vec::new();
        for node in self.get_revisions(id)? {
            match node {
                Some(Node::Rev(r)) => out.push(r),
                Some(Node::Base) => {}
                None => return Err(RevisionError::other("Walked too far")),
            }
        }
        Ok(out)
    }

    /// `get_revision`: at most one revision; several is a `MultipleHeads` error.
    pub fn get_revision(&self, id: &str) -> Result<Option<RevIdx>, RevisionError> {
        let (ids, label) = self.resolve_revision_number(Some(id))?;
        if ids.len() > 1 {
            let heads: Option<Vec<RevIdx>> = ids.iter().map(|h| self.index_of(h)).collect();
            return Err(match heads {
                Some(heads) => self.multiple_heads(&heads, id.to_string()),
                None => RevisionError::MultipleHeads {
                    labels: vec![None; ids.len()],
                    heads: ids,
                    argument: id.to_string(),
                },
            });
        }
        self.revision_for_ident(ids.first().map(String::as_str), label.as_deref())
    }

    /// `_walk`: `steps` up (positive) or down (negative) from `start`; `None` start
    /// means "below the roots". Returns `None` when the walk runs out and
    /// `no_overwalk` is set, otherwise where it stopped.
    pub fn walk(
        &self,
        start: Option<Node>,
        steps: i64,
        branch_label: Option<&str>,
        no_overwalk: bool,
    ) -> Result<Option<Node>, RevisionError> {
        let mut initial = start;
        for _ in 0..steps.unsigned_abs() {
            let children: Vec<Node> = if steps > 0 {
                let walk_up: Vec<RevIdx> = match initial {
                    None => self.bases().to_vec(),
                    Some(Node::Rev(r)) => self.rev(r).nextrev.clone(),
                    Some(Node::Base) => return Err(RevisionError::other("Walked too far")),
                };
                let walk_up = match truthy(branch_label) {
                    Some(l) => self.filter_for_lineage(&walk_up, l, false)?,
                    None => walk_up,
                };
                walk_up.into_iter().map(Node::Rev).collect()
            } else {
                match initial {
                    Some(Node::Base) => Vec::new(),
                    None => self.heads().iter().map(|&h| Node::Rev(h)).collect(),
                    Some(Node::Rev(r)) => {
                        let down = &self.rev(r).down;
                        if down.is_empty() {
                            vec![Node::Base]
                        } else {
                            down.iter().map(|&d| Node::Rev(d)).collect()
                        }
                    }
                }
            };
            if children.is_empty() {
                return Ok(if no_overwalk { None } else { initial });
            }
            if children.len() > 1 {
                return Err(self.ambiguous_walk(initial, steps, &children));
            }
            initial = Some(children[0]);
        }
        Ok(initial)
    }

    /// The error of a walk that stands at `from` and could step to each of
    /// `children`: which revisions, and the labels that tell their branches apart.
    fn ambiguous_walk(&self, from: Option<Node>, steps: i64, children: &[Node]) -> RevisionError {
        let ways = children
            .iter()
            .filter_map(|c| match c {
                Node::Rev(r) => Some(WalkWay {
                    revision: self.id(*r).to_string(),
                    labels: self.branch_labels(*r),
                }),
                Node::Base => None,
            })
            .collect();
        RevisionError::AmbiguousWalk {
            from: match from {
                Some(Node::Rev(r)) => Some(self.id(r).to_string()),
                _ => None,
            },
            up: steps > 0,
            steps,
            ways,
            relative: None,
        }
    }

    /// `_get_all_current`: the given revisions and their ancestors, reduced to those
    /// with no versioned descendant in that set. In load order.
    pub fn get_all_current(&self, rows: &[String]) -> Result<Vec<RevIdx>, RevisionError> {
        let mut top = Vec::new();
        for row in rows {
            for node in self.get_revisions(row)? {
                if let Some(Node::Rev(r)) = node {
                    top.push(r);
                }
            }
        }
        let mut set = vec![false; self.len()];
        for r in self.iterate_related(&top, Edges::NormalizedDown) {
            set[r] = true;
        }
        // The set holds every ancestor of its members, so a member has a versioned
        // descendant in it exactly when one of its versioned children is in it: one
        // look at each member's children, not a walk per member.
        Ok((0..self.len())
            .filter(|&r| set[r] && !self.rev(r).nextrev.iter().any(|&child| set[child]))
            .collect())
    }

    /// Splits the rows of a version table into those that stand for what is
    /// applied and the redundant ones: ancestors of another row (Alembic can leave
    /// such a table behind), so what the table says is applied is the same without
    /// them. Rows naming no known revision are kept, for the caller to report.
    pub fn split_redundant_rows(&self, rows: &[String]) -> (Vec<String>, Vec<String>) {
        let known: Vec<String> = rows
            .iter()
            .filter(|r| self.index_of(r).is_some())
            .cloned()
            .collect();
        let current = self.get_all_current(&known).unwrap_or_default();
        rows.iter().cloned().partition(|r| {
            self.index_of(r)
                .is_none_or(|i| current.is_empty() || current.contains(&i))
        })
    }

    /// `_parse_upgrade_target`: the revisions an upgrade goes to.
    pub(crate) fn parse_upgrade_target(
        &self,
        current: &RevArg,
        target: &str,
        assert_relative_length: bool,
    ) -> Result<Vec<Option<Node>>, RevisionError> {
        let Some(rel) = parse_relative(target) else {
            return self.get_revisions(target);
        };
        let current_tuple = current.to_tuple();
        let label = rel.branch_label;
        if rel.steps > 0 {
            if let Some(symbol) = rel.symbol {
                let start = self.get_revision(symbol)?.map(Node::Rev);
                return Ok(vec![self
                    .walk(start, rel.steps, label, assert_relative_length)
                    .map_err(|e| rel.unlabelled(e))?]);
            }
            let mut start_revs: Vec<Option<Node>> = Vec::new();
            let mut unresolved: Vec<&str> = current_tuple.iter().map(String::as_str).collect();
            if unresolved.is_empty() {
                start_revs.push(None);
            }
            if let Some(l) = truthy(label) {
                unresolved.clear();
                let mut current_revs = Vec::new();
                for c in &current_tuple {
                    for node in self.get_revisions(c)? {
                        if let Some(Node::Rev(r)) = node {
                            current_revs.push(r);
                        }
                    }
                }
                let on_branch = self.filter_for_lineage(&current_revs, l, false)?;
                start_revs = on_branch.iter().map(|&r| Some(Node::Rev(r))).collect();
                if start_revs.is_empty() {
                    let active = self.iterate_related(&current_revs, Edges::NormalizedDown);
                    let active_on_branch = self.filter_for_lineage(&active, l, false)?;
                    let mut is_down = vec![false; self.len()];
                    for &r in &active_on_branch {
                        for &d in &self.rev(r).normalized_down {
                            is_down[d] = true;
                        }
                    }
                    let mut tips: Vec<RevIdx> = active_on_branch
                        .iter()
                        .copied()
                        .filter(|&r| !is_down[r])
                        .collect();
                    tips.sort_unstable();
                    tips.dedup();
                    start_revs = tips.into_iter().map(|r| Some(Node::Rev(r))).collect();
                    if start_revs.is_empty() {
                        start_revs = vec![None];
                    }
                }
            }
            if unresolved.len() > 1 {
                return Err(RevisionError::other(
                    "Ambiguous upgrade from multiple current revisions",
                ));
            }
            if let Some(only) = unresolved.first() {
                start_revs = vec![self.get_revision(only)?.map(Node::Rev)];
            }
            if start_revs.len() > 1 {
                return Err(RevisionError::other(
                    "Ambiguous upgrade from multiple current revisions",
                ));
            }
            let start = start_revs.into_iter().next().flatten();
            let walked = self
                .walk(start, rel.steps, label, assert_relative_length)
                .map_err(|e| rel.unlabelled(e))?;
            return match walked {
                None => Err(RevisionError::relative_too_short(
                    rel.relative,
                    rel.steps.unsigned_abs(),
                )),
                found => Ok(vec![found]),
            };
        }
        let Some(symbol) = rel.symbol else {
            return Err(RevisionError::relative_too_short(
                rel.relative,
                rel.steps.unsigned_abs(),
            ));
        };
        let start = match label {
            None => self.get_revision(symbol)?,
            Some(l) => self.get_revision(&format!("{l}@{symbol}"))?,
        };
        Ok(vec![self.walk(
            start.map(Node::Rev),
            rel.steps,
            None,
            assert_relative_length,
        )?])
    }

    /// `_parse_downgrade_target`: `(branch label, target)`; a target of `None` or
    /// `Some(Node::Base)` means base. Warnings Alembic would print are collected.
    pub(crate) fn parse_downgrade_target(
        &self,
        current: &RevArg,
        target: Option<&str>,
        assert_relative_length: bool,
        warnings: &mut Vec<String>,
    ) -> Result<(Option<String>, Option<Node>), RevisionError> {
        let Some(target) = target else {
            return Ok((None, None));
        };
        if let Some(rel) = parse_relative(target) {
            let mut label = rel.branch_label.map(str::to_string);
            if rel.steps >= 0 {
                let Some(symbol) = rel.symbol else {
                    return Err(RevisionError::relative_too_short(
                        rel.relative,
                        rel.steps.unsigned_abs(),
                    ));
                };
                let start = self.get_revision(symbol)?.map(Node::Rev);
                let walked = self
                    .walk(start, rel.steps, label.as_deref(), assert_relative_length)
                    .map_err(|e| rel.unlabelled(e))?;
                return match walked {
                    None => Err(RevisionError::other("Walked too far")),
                    found => Ok((label, found)),
                };
            }
            let relative_revision = rel.symbol.is_none();
            let symbol: String = match rel.symbol {
                Some(s) => s.to_string(),
                None => {
                    let current_tuple = current.to_tuple();
                    if let Some(l) = truthy(label.as_deref()) {
                        let mut current_revs = Vec::new();
                        for c in &current_tuple {
                            if let Some(r) = self.revision_for_ident(Some(c), None)? {
                                current_revs.push(r);
                            }
                        }
                        let mut on_branch = self.filter_for_lineage(&current_revs, l, false)?;
                        if on_branch.is_empty() {
                            let all_current = self.get_all_current(&current_tuple)?;
                            on_branch = self.filter_for_lineage(&all_current, l, false)?;
                        }
                        if on_branch.len() != 1 {
                            return Err(RevisionError::other(format!(
                                "Relative revision {target} is ambiguous: {} current revisions are on branch '{l}'{}",
                                on_branch.len(),
                                if on_branch.is_empty() {
                                    String::new()
                                } else {
                                    format!(" ({})", self.ids(&on_branch).join(", "))
                                }
                            )));
                        }
                        self.id(on_branch[0]).to_string()
                    } else {
                        if current_tuple.is_empty() {
                            return Err(RevisionError::relative_too_short(
                                rel.relative,
                                rel.steps.unsigned_abs(),
                            ));
                        }
                        let first = current_tuple[0].clone();
                        if current_tuple.iter().any(|c| c != &first) {
                            warnings.push(
                                "downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release."
                                    .to_string(),
                            );
                        }
                        label = Some(first.clone());
                        first
                    }
                }
            };
            let start = match label.as_deref() {
                None => self.get_revision(&symbol)?,
                Some(l) => self.get_revision(&format!("{l}@{symbol}"))?,
            };
            return match self.walk(
                start.map(Node::Rev),
                rel.steps,
                None,
                assert_relative_length,
            )? {
                None if relative_revision => Err(RevisionError::relative_too_short(
                    rel.relative,
                    rel.steps.unsigned_abs(),
                )),
                None => Err(RevisionError::other("Walked too far")),
                found => Ok((label, found)),
            };
        }
        let (label, symbol) = match target.rfind('@') {
            Some(i) => (Some(&target[..i]), &target[i + 1..]),
            None => (None, target),
        };
        let label = label.filter(|l| !l.is_empty()).map(str::to_string);
        Ok((label, self.get_revision(symbol)?.map(Node::Rev)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_forms_split_like_alembic() {
        let r = parse_relative("+2").unwrap();
        assert_eq!(
            (r.branch_label, r.symbol, r.relative, r.steps),
            (None, None, "+2", 2)
        );
        let r = parse_relative("ae10-1").unwrap();
        assert_eq!(
            (r.branch_label, r.symbol, r.steps),
            (None, Some("ae10"), -1)
        );
        let r = parse_relative("shoppingcart@head-1").unwrap();
        assert_eq!(
            (r.branch_label, r.symbol, r.steps),
            (Some("shoppingcart"), Some("head"), -1)
        );
        let r = parse_relative("lbl@-3").unwrap();
        assert_eq!((r.branch_label, r.symbol, r.steps), (Some("lbl"), None, -3));
        // matched at the start only: trailing text is ignored
        let r = parse_relative("a-1b").unwrap();
        assert_eq!((r.symbol, r.relative), (Some("a"), "-1"));
        assert!(parse_relative("head").is_none());
        assert!(parse_relative("abc@def").is_none());
        assert!(parse_relative("x-").is_none());
    }

    #[test]
    fn python_int_accepts_what_int_accepts() {
        assert_eq!(python_int("-3"), Some(-3));
        assert_eq!(python_int(" 12 "), Some(12));
        assert_eq!(python_int("1_000"), Some(1000));
        assert_eq!(python_int("a1"), None);
        assert_eq!(python_int("-"), None);
        assert_eq!(python_int("1__0"), None);
    }
}
