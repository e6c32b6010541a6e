//! Property tests of the graph on random DAGs: branch points, merges, several roots,
//! labels and dependencies.

use proptest::prelude::*;

use super::*;

/// A random DAG: revision `i` may revise and depend on earlier revisions only.
fn dag() -> impl Strategy<Value = Vec<RevisionSpec>> {
    (1usize..28).prop_flat_map(|n| {
        let nodes: Vec<_> = (0..n)
            .map(|i| {
                (
                    proptest::collection::vec(0..i.max(1), 0..=if i == 0 { 0 } else { 2 }),
                    proptest::option::weighted(0.2, 0..i.max(1)),
                    proptest::bool::weighted(0.15),
                    proptest::bool::weighted(0.25),
                )
            })
            .collect();
        nodes.prop_map(move |choices| {
            choices
                .into_iter()
                .enumerate()
                .map(|(i, (mut downs, dep, labelled, root))| {
                    downs.sort_unstable();
                    downs.dedup();
                    if i == 0 || root {
                        downs.clear();
                    }
                    let mut spec = RevisionSpec {
                        revision: format!("r{i:03}"),
                        down_revisions: downs.iter().map(|d| format!("r{d:03}")).collect(),
                        ..Default::default()
                    };
                    if let Some(d) = dep.filter(|d| i > 0 && !downs.contains(d)) {
                        spec.depends_on = vec![format!("r{d:03}")];
                    }
                    if labelled {
                        spec.branch_labels = vec![format!("lbl{i}")];
                    }
                    spec
                })
                .collect()
        })
    })
}

/// The heads of a set of revisions through normalised edges: Alembic's row set.
fn heads_of(map: &RevisionMap, applied: &[bool]) -> Vec<String> {
    let mut below = vec![false; map.len()];
    for i in (0..map.len()).filter(|&i| applied[i]) {
        for a in map.iterate_related(&[i], Edges::NormalizedDown) {
            if a != i {
                below[a] = true;
            }
        }
    }
    let mut out: Vec<String> = (0..map.len())
        .filter(|&i| applied[i] && !below[i])
        .map(|i| map.id(i).to_string())
        .collect();
    out.sort();
    out
}

fn is_antichain(map: &RevisionMap, rows: &[String]) -> bool {
    let idx: Vec<RevIdx> = rows.iter().filter_map(|r| map.index_of(r)).collect();
    idx.iter().all(|&a| {
        map.iterate_related(&[a], Edges::NormalizedDown)
            .into_iter()
            .all(|anc| anc == a || !idx.contains(&anc))
    })
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn upgrade_heads_applies_parents_first_and_leaves_the_heads(specs in dag()) {
        let map = RevisionMap::build(specs).unwrap();
        let plan = map.plan_upgrade(&[], "heads").unwrap();
        let mut applied = vec![false; map.len()];
        let mut rows = VersionRows::new(&[]);
        for step in &plan.steps {
            let rev = step.revision().unwrap();
            for &d in &map.rev(rev).normalized_down {
                prop_assert!(applied[d], "{} before its parent {}", map.id(rev), map.id(d));
            }
            prop_assert!(!applied[rev], "{} applied twice", map.id(rev));
            applied[rev] = true;
            rows.apply(&map, &step.action).unwrap();
            prop_assert_eq!(sorted(rows.rows().to_vec()), heads_of(&map, &applied));
            prop_assert!(is_antichain(&map, rows.rows()));
        }
        prop_assert!(applied.iter().all(|&a| a), "every revision applied");
        prop_assert_eq!(sorted(plan.final_rows.clone()), heads_of(&map, &applied));

        let down = map.plan_downgrade(&plan.final_rows, "base").unwrap();
        prop_assert!(down.final_rows.is_empty(), "rows left after downgrade base: {:?}", down.final_rows);
        prop_assert_eq!(down.steps.len(), map.len());
        let mut removed = vec![false; map.len()];
        for step in &down.steps {
            let rev = step.revision().unwrap();
            for &child in &map.rev(rev).all_nextrev {
                prop_assert!(removed[child], "{} undone before its dependant {}", map.id(rev), map.id(child));
            }
            removed[rev] = true;
        }
    }

    #[test]
    fn upgrade_to_any_revision_then_heads_keeps_rows_equal_to_applied_heads(specs in dag(), pick in any::<prop::sample::Index>()) {
        let map = RevisionMap::build(specs).unwrap();
        let target = pick.index(map.len());
        let plan = map.plan_upgrade(&[], map.id(target)).unwrap();
        let expected = map.related_set(&[target], Edges::NormalizedDown);
        prop_assert_eq!(sorted(plan.final_rows.clone()), heads_of(&map, &expected));
        let rest = map.plan_upgrade(&plan.final_rows, "heads").unwrap();
        let all = vec![true; map.len()];
        prop_assert_eq!(sorted(rest.final_rows.clone()), heads_of(&map, &all));
        prop_assert_eq!(plan.steps.len() + rest.steps.len(), map.len());

        // downgrading to the target from everything leaves the target's lineage rows
        let back = map.plan_downgrade(&rest.final_rows, map.id(target));
        if let Ok(back) = back {
            prop_assert!(is_antichain(&map, &back.final_rows));
            // the target stays applied: a row or implied by one (a dependant that is
            // not its versioned child stays, as in Alembic)
            let rows: Vec<RevIdx> = back.final_rows.iter().filter_map(|r| map.index_of(r)).collect();
            prop_assert!(map.related_set(&rows, Edges::NormalizedDown)[target]);
        }
    }

    #[test]
    fn stamp_then_upgrade_matches_a_real_upgrade(specs in dag(), pick in any::<prop::sample::Index>()) {
        let map = RevisionMap::build(specs).unwrap();
        let target = pick.index(map.len());
        let stamped = map.plan_stamp(&[], &[map.id(target).to_string()]).unwrap();
        prop_assert_eq!(stamped.final_rows.clone(), vec![map.id(target).to_string()]);
        let upgraded = map.plan_upgrade(&stamped.final_rows, "heads").unwrap();
        prop_assert!(is_antichain(&map, &upgraded.final_rows));
        let purged = map.plan_stamp(&upgraded.final_rows, &["base".to_string()]).unwrap();
        prop_assert!(purged.final_rows.is_empty());
    }

    #[test]
    fn history_lists_every_revision_once_children_first(specs in dag()) {
        let map = RevisionMap::build(specs).unwrap();
        let order = map.walk_revisions("base", "heads").unwrap();
        prop_assert_eq!(order.len(), map.len());
        let pos: std::collections::HashMap<RevIdx, usize> = order.iter().enumerate().map(|(i, &r)| (r, i)).collect();
        for r in 0..map.len() {
            for &d in &map.rev(r).normalized_down {
                prop_assert!(pos[&r] < pos[&d]);
            }
        }
    }

    /// `_get_all_current` as Alembic defines it (the rows and their ancestors, less
    /// every member with a versioned descendant in the set), walked member by member,
    /// against the map's one-pass version.
    #[test]
    fn all_current_keeps_the_members_without_a_versioned_descendant_in_the_set(
        specs in dag(),
        picks in proptest::collection::vec(any::<prop::sample::Index>(), 0..4),
    ) {
        let map = RevisionMap::build(specs).unwrap();
        let rows: Vec<String> = picks.iter().map(|p| map.id(p.index(map.len())).to_string()).collect();
        let mut set = vec![false; map.len()];
        let top: Vec<RevIdx> = rows.iter().filter_map(|r| map.index_of(r)).collect();
        for r in map.iterate_related(&top, Edges::NormalizedDown) {
            set[r] = true;
        }
        let expected: Vec<RevIdx> = (0..map.len())
            .filter(|&r| set[r])
            .filter(|&r| {
                !map.iterate_related(&[r], Edges::Next)
                    .into_iter()
                    .any(|d| d != r && set[d])
            })
            .collect();
        prop_assert_eq!(map.get_all_current(&rows).unwrap(), expected);
    }
}
