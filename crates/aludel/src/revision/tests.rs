//! Examples of ALEMBIC.md §2 (verified against Alembic there) as unit tests.

use super::*;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn map(specs: Vec<RevisionSpec>) -> RevisionMap {
    RevisionMap::build(specs).expect("valid graph")
}

fn ids(m: &RevisionMap, idxs: &[RevIdx]) -> Vec<String> {
    m.ids(idxs)
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// a000→b000→c000, c000→d100→e100→f200 (f200 depends on l100), c000→d200,
/// m100 merges d200+f200, l100→l200, m200 merges l200+m100. Load order = listed.
fn exp2() -> RevisionMap {
    map(vec![
        RevisionSpec::new("l100", &[]),
        RevisionSpec::new("a000", &[]),
        RevisionSpec::new("b000", &["a000"]),
        RevisionSpec::new("c000", &["b000"]),
        RevisionSpec::new("d100", &["c000"]),
        RevisionSpec::new("e100", &["d100"]),
        RevisionSpec::new("f200", &["e100"]).with_depends_on(&["l100"]),
        RevisionSpec::new("d200", &["c000"]),
        RevisionSpec::new("m100", &["d200", "f200"]),
        RevisionSpec::new("l200", &["l100"]),
        RevisionSpec::new("m200", &["l200", "m100"]),
    ])
}

#[test]
fn exp2_upgrade_from_base_runs_in_alembic_order_with_alembic_row_changes() {
    let m = exp2();
    let plan = m.plan_upgrade(&[], "heads").unwrap();
    let logs: Vec<String> = plan.steps.iter().map(|st| st.short_log(&m)).collect();
    assert_eq!(
        logs,
        vec![
            "upgrade  -> l100",
            "upgrade  -> a000",
            "upgrade a000 -> b000",
            "upgrade b000 -> c000",
            "upgrade c000 -> d100",
            "upgrade d100 -> e100",
            "upgrade e100 -> f200",
            "upgrade c000 -> d200",
            "upgrade d200, f200 -> m100",
            "upgrade l100 -> l200",
            "upgrade l200, m100 -> m200",
        ]
    );
    use VersionChange::*;
    let changes: Vec<Vec<VersionChange>> = plan.steps.iter().map(|st| st.changes.clone()).collect();
    let ins = |v: &str| Insert { version: v.into() };
    let del = |v: &str| Delete { version: v.into() };
    let upd = |f: &str, t: &str| Update {
        from: f.into(),
        to: t.into(),
    };
    assert_eq!(changes[0], vec![ins("l100")]);
    assert_eq!(changes[1], vec![ins("a000")]);
    assert_eq!(changes[2], vec![upd("a000", "b000")]);
    assert_eq!(changes[6], vec![del("e100"), upd("l100", "f200")]);
    assert_eq!(changes[7], vec![ins("d200")]);
    assert_eq!(changes[8], vec![del("d200"), upd("f200", "m100")]);
    assert_eq!(changes[9], vec![ins("l200")]);
    assert_eq!(changes[10], vec![del("l200"), upd("m100", "m200")]);
    assert_eq!(plan.final_rows, s(&["m200"]));
}

/// a→b; b branches to c1→d1 (label left, loaded first) and c2→d2 (label right);
/// z1 a separate root.
fn two_branches() -> RevisionMap {
    map(vec![
        RevisionSpec::new("a", &[]),
        RevisionSpec::new("b", &["a"]),
        RevisionSpec::new("c1", &["b"]).with_labels(&["left"]),
        RevisionSpec::new("d1", &["c1"]),
        RevisionSpec::new("c2", &["b"]).with_labels(&["right"]),
        RevisionSpec::new("d2", &["c2"]),
        RevisionSpec::new("z1", &[]),
    ])
}

#[test]
fn the_branch_whose_head_loaded_first_is_applied_last() {
    let m = two_branches();
    let revs = m.upgrade_revisions("heads", &[]).unwrap();
    assert_eq!(ids(&m, &revs), s(&["z1", "a", "b", "c2", "d2", "c1", "d1"]));
}

#[test]
fn stamp_results_match_alembic_and_fix_the_heads_bug() {
    let m = two_branches();
    let cases: &[(&[&str], &[&str], &[&str])] = &[
        (&[], &["d1"], &["d1"]),
        (&["d1"], &["d2"], &["d1", "d2"]),
        (&["d1", "d2"], &["b"], &["b"]),
        (&["d1", "d2", "z1"], &["base"], &[]),
        (&["d1", "d2"], &["left@base"], &["d2"]),
        (&[], &["d1", "d2"], &["d1", "d2"]),
        (&["d1", "z1"], &["a"], &["a", "z1"]),
        (&["c1"], &["heads"], &["d1", "d2", "z1"]),
        // Alembic loses d1 here (§10 #3); aludel keeps every row.
        (&["d1", "c2"], &["heads"], &["d1", "d2", "z1"]),
    ];
    for (current, targets, expected) in cases {
        let plan = m.plan_stamp(&s(current), &s(targets)).unwrap();
        assert_eq!(
            sorted(plan.final_rows.clone()),
            s(expected),
            "stamp {targets:?} from {current:?}"
        );
    }
}

#[test]
fn normalized_down_revisions_drop_dependencies_of_ancestors() {
    let m = map(vec![
        RevisionSpec::new("a1", &[]),
        RevisionSpec::new("a2", &["a1"]),
        RevisionSpec::new("a3", &["a2"]),
        RevisionSpec::new("b1", &[]),
        RevisionSpec::new("b2", &["b1"]).with_depends_on(&["a3"]),
        RevisionSpec::new("b3", &["b2"]),
        RevisionSpec::new("b4", &["b3"]).with_depends_on(&["a3"]),
        RevisionSpec::new("b5", &["b4"]).with_depends_on(&["b4"]),
    ]);
    let b4 = m.index_of("b4").unwrap();
    assert_eq!(ids(&m, &m.rev(b4).all_down), s(&["b3", "a3"]));
    assert_eq!(ids(&m, &m.rev(b4).normalized_down), s(&["b3"]));
    let b5 = m.index_of("b5").unwrap();
    assert_eq!(ids(&m, &m.rev(b5).normalized_down), s(&["b4"]));
}

fn diamond() -> RevisionMap {
    map(vec![
        RevisionSpec::new("a", &[]),
        RevisionSpec::new("b1", &["a"]),
        RevisionSpec::new("b2", &["a"]),
        RevisionSpec::new("c", &["b1", "b2"]),
        RevisionSpec::new("d", &["c"]),
    ])
}

#[test]
fn downgrade_below_one_parent_of_a_merge_leaves_both_parents() {
    let m = diamond();
    let plan = m.plan_downgrade(&s(&["d"]), "b1").unwrap();
    let steps: Vec<String> = plan.steps.iter().map(|st| st.short_log(&m)).collect();
    assert_eq!(steps, vec!["downgrade d -> c", "downgrade c -> b1, b2"]);
    assert_eq!(sorted(plan.final_rows), s(&["b1", "b2"]));
}

#[test]
fn downgrade_to_a_branch_point_collapses_the_rows() {
    let m = two_branches();
    let plan = m.plan_downgrade(&s(&["d1", "d2"]), "b").unwrap();
    assert_eq!(plan.final_rows, s(&["b"]));
    assert_eq!(plan.steps.len(), 4);
}

#[test]
fn downgrade_of_a_label_drops_only_that_branch() {
    let m = two_branches();
    let plan = m.plan_downgrade(&s(&["d1", "d2"]), "right@b").unwrap();
    let dropped: Vec<String> = plan
        .steps
        .iter()
        .map(|st| m.id(st.revision().unwrap()).to_string())
        .collect();
    assert_eq!(dropped, s(&["d2", "c2"]));
    assert_eq!(plan.final_rows, s(&["d1"]));
}

#[test]
fn downgrade_through_a_dependency_drops_the_dependants() {
    let m = map(vec![
        RevisionSpec::new("x1", &[]).with_labels(&["x"]),
        RevisionSpec::new("x2", &["x1"]),
        RevisionSpec::new("y1", &[]),
        RevisionSpec::new("y2", &["y1"]).with_depends_on(&["x1"]),
    ]);
    let plan = m.plan_upgrade(&[], "heads").unwrap();
    assert_eq!(sorted(plan.final_rows.clone()), s(&["x2", "y2"]));
    let plan = m.plan_downgrade(&s(&["x2", "y2"]), "x@base").unwrap();
    let dropped: Vec<String> = plan
        .steps
        .iter()
        .map(|st| m.id(st.revision().unwrap()).to_string())
        .collect();
    assert_eq!(dropped, s(&["x2", "y2", "x1"]));
    assert_eq!(plan.final_rows, s(&["y1"]));
}

#[test]
fn upgrading_to_an_unrelated_branch_adds_a_row_and_older_is_a_no_op() {
    let m = two_branches();
    let plan = m.plan_upgrade(&s(&["d1"]), "d2").unwrap();
    let logs: Vec<String> = plan.steps.iter().map(|st| st.short_log(&m)).collect();
    assert_eq!(logs, vec!["upgrade b -> c2", "upgrade c2 -> d2"]);
    assert_eq!(plan.final_rows, s(&["d1", "d2"]));
    assert!(m.plan_upgrade(&s(&["d1"]), "b").unwrap().steps.is_empty());
}

#[test]
fn heads_real_heads_and_effective_heads() {
    let m = exp2();
    // f200 depends on l100, but l100 has a versioned child l200, so no effective head.
    assert_eq!(ids(&m, m.heads()), s(&["m200"]));
    let m = map(vec![
        RevisionSpec::new("lib1", &[]),
        RevisionSpec::new("app1", &[]).with_depends_on(&["lib1"]),
    ]);
    assert_eq!(ids(&m, m.heads()), s(&["lib1", "app1"]));
    assert_eq!(ids(&m, m.real_heads()), s(&["app1"]));
    assert!(m.rev(m.index_of("lib1").unwrap()).is_effective_head());
    let err = m.get_current_head(None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Multiple heads are present for given argument 'head'; lib1, app1"
    );
    assert_eq!(
        ids(&m, &m.resolve_revisions("heads").unwrap()),
        s(&["app1"])
    );
}

#[test]
fn resolution_of_every_identifier_form() {
    let m = map(vec![
        RevisionSpec::new("aaaa1111", &[]),
        RevisionSpec::new("bbbb2222", &["aaaa1111"]).with_labels(&["feature"]),
        RevisionSpec::new("cccc3333", &["bbbb2222"]),
        RevisionSpec::new("d100", &["cccc3333"]),
        RevisionSpec::new("d200", &["cccc3333"]),
    ]);
    let one = |id: &str| ids(&m, &m.resolve_revisions(id).unwrap());
    assert_eq!(one("a"), s(&["aaaa1111"]), "no minimum prefix length");
    assert_eq!(one("bbbb"), s(&["bbbb2222"]));
    assert_eq!(
        one("feature"),
        s(&["bbbb2222"]),
        "a bare label names its revision"
    );
    assert_eq!(one("heads"), s(&["d100", "d200"]));
    assert_eq!(one("base"), Vec::<String>::new());
    assert_eq!(one("feature@heads"), s(&["d100", "d200"]));
    assert_eq!(one("-1"), s(&["cccc3333", "cccc3333"]));
    assert_eq!(one("bbbb2222@cccc"), s(&["cccc3333"]));

    let err = |id: &str| m.get_revisions(id).unwrap_err().to_string();
    assert_eq!(
        err("xyz"),
        "No such revision or branch 'xyz'; please ensure at least four characters are present for partial revision identifier matches"
    );
    assert_eq!(err("zzzzz"), "No such revision or branch 'zzzzz'");
    assert_eq!(
        err("d"),
        "Multiple revisions start with 'd': 'd100', 'd200'..."
    );
    assert_eq!(err("nolabel@head"), "No such revision or branch 'nolabel'");
    let e = m.get_revision("head").unwrap_err();
    assert!(matches!(e, RevisionError::MultipleHeads { .. }));
}

#[test]
fn branch_membership_is_checked() {
    let m = two_branches();
    let e = m.get_revisions("left@d2").unwrap_err().to_string();
    assert_eq!(e, "Revision d2 is not a member of branch 'left'");
    let e = m.get_revisions("nosuch@d2").unwrap_err().to_string();
    assert_eq!(e, "No such branch: 'nosuch'");
    // An unlabelled revision before '@' means "on the same line as".
    assert_eq!(ids(&m, &m.resolve_revisions("d1@b").unwrap()), s(&["b"]));
}

#[test]
fn labels_propagate_to_descendants_and_down_to_the_branch_point() {
    let m = two_branches();
    let labels = |id: &str| m.branch_labels(m.index_of(id).unwrap());
    assert_eq!(labels("c1"), s(&["left"]));
    assert_eq!(labels("d1"), s(&["left"]));
    assert!(
        labels("b").is_empty(),
        "b is a branch point: the walk stops there"
    );
    let m = map(vec![
        RevisionSpec::new("r1", &[]),
        RevisionSpec::new("r2", &["r1"]).with_labels(&["main"]),
        RevisionSpec::new("r3", &["r2"]),
    ]);
    for id in ["r1", "r2", "r3"] {
        assert_eq!(
            m.branch_labels(m.index_of(id).unwrap()),
            s(&["main"]),
            "{id}"
        );
    }
}

#[test]
fn relative_upgrades_and_downgrades() {
    let m = map(vec![
        RevisionSpec::new("a", &[]),
        RevisionSpec::new("b", &["a"]),
        RevisionSpec::new("c", &["b"]),
        RevisionSpec::new("d", &["c"]),
    ]);
    let up = |cur: &[&str], t: &str| ids(&m, &m.upgrade_revisions(t, &s(cur)).unwrap());
    assert_eq!(up(&[], "+2"), s(&["a", "b"]));
    assert_eq!(up(&["b"], "+1"), s(&["c"]));
    assert_eq!(up(&[], "b+1"), s(&["a", "b", "c"]));
    assert_eq!(up(&[], "head-1"), s(&["a", "b", "c"]));
    assert_eq!(
        m.upgrade_revisions("+5", &s(&["b"]))
            .unwrap_err()
            .to_string(),
        "Relative revision +5 didn't produce 5 migrations"
    );
    let mut w = Vec::new();
    let down = |cur: &[&str], t: &str, w: &mut Vec<String>| {
        ids(&m, &m.downgrade_revisions(t, &s(cur), w).unwrap())
    };
    assert_eq!(down(&["d"], "-2", &mut w), s(&["d", "c"]));
    assert_eq!(down(&["d"], "base", &mut w), s(&["d", "c", "b", "a"]));
    assert_eq!(
        m.downgrade_revisions("-5", &s(&["b"]), &mut w)
            .unwrap_err()
            .to_string(),
        "Relative revision -5 didn't produce 5 migrations"
    );
    assert_eq!(
        m.downgrade_revisions("c", &s(&["b"]), &mut w)
            .unwrap_err()
            .to_string(),
        "Revision Nothing to drop is not an ancestor of revision b"
    );
}

#[test]
fn cycles_and_loops_are_detected_with_alembic_messages() {
    let e = RevisionMap::build(vec![RevisionSpec::new("a", &["a"])]).unwrap_err();
    assert_eq!(e.to_string(), "Self-loop is detected in revisions (a)");
    let e =
        RevisionMap::build(vec![RevisionSpec::new("a", &[]).with_depends_on(&["a"])]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Dependency self-loop is detected in revisions (a)"
    );
    let e = RevisionMap::build(vec![
        RevisionSpec::new("r", &[]),
        RevisionSpec::new("x", &["r"]),
        RevisionSpec::new("c", &["b"]),
        RevisionSpec::new("b", &["c"]),
        RevisionSpec::new("h", &["x"]),
    ])
    .unwrap_err();
    assert_eq!(e.to_string(), "Cycle is detected in revisions (b, c)");
    let e = RevisionMap::build(vec![
        RevisionSpec::new("a", &[]),
        RevisionSpec::new("b", &["a"]).with_depends_on(&["c"]),
        RevisionSpec::new("c", &["b"]),
        RevisionSpec::new("d", &[]),
    ])
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("Dependency cycle is detected in revisions"),
        "{e}"
    );
    let e = RevisionMap::build(vec![RevisionSpec::new("a", &["zz"])]).unwrap_err();
    assert!(matches!(e, RevisionError::MissingReference { .. }));
    let e = RevisionMap::build(vec![
        RevisionSpec::new("a", &[]).with_labels(&["x"]),
        RevisionSpec::new("b", &["a"]).with_labels(&["x"]),
    ])
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Branch name 'x' in revision b already used by revision a"
    );
}

#[test]
fn history_ranges() {
    let m = map(vec![
        RevisionSpec::new("a", &[]),
        RevisionSpec::new("b", &["a"]),
        RevisionSpec::new("c", &["b"]),
    ]);
    let h = |base: &str, head: &str| ids(&m, &m.walk_revisions(base, head).unwrap());
    assert_eq!(h("base", "heads"), s(&["c", "b", "a"]));
    assert_eq!(h("b", "heads"), s(&["c", "b"]));
    assert_eq!(h("base", "b"), s(&["b", "a"]));
    assert_eq!(h("-5", "c"), s(&["c", "b", "a"]), "overshoot is tolerated");
    assert_eq!(h("-1", "heads"), s(&["c", "b"]));
    let e = m.walk_revisions("c", "a").unwrap_err();
    assert!(matches!(e, RevisionError::RangeNotAncestor { .. }));
}

#[test]
fn criss_cross_dependencies_order_dependencies_first() {
    let m = map(vec![
        RevisionSpec::new("a1", &[]),
        RevisionSpec::new("b1", &[]),
        RevisionSpec::new("a2", &["a1"]).with_depends_on(&["b1"]),
        RevisionSpec::new("b2", &["b1"]).with_depends_on(&["a1"]),
        RevisionSpec::new("a3", &["a2"]).with_depends_on(&["b2"]),
    ]);
    let order = ids(&m, &m.upgrade_revisions("heads", &[]).unwrap());
    let pos = |x: &str| order.iter().position(|o| o == x).unwrap();
    for (before, after) in [
        ("a1", "a2"),
        ("b1", "a2"),
        ("b1", "b2"),
        ("a1", "b2"),
        ("b2", "a3"),
        ("a2", "a3"),
    ] {
        assert!(
            pos(before) < pos(after),
            "{before} before {after} in {order:?}"
        );
    }
    let plan = m.plan_upgrade(&[], "heads").unwrap();
    assert_eq!(plan.final_rows, s(&["a3"]));
}

/// Several heads: each gets the label that names it alone, if it has one; the
/// user-facing hint names them by label (separate lines such as schema and seed
/// data) or suggests a merge (an unlabelled fork).
#[test]
fn multiple_heads_carry_the_labels_that_tell_them_apart() {
    let hint = |e: RevisionError| crate::error::Catch::default().map(e).hint().unwrap();

    // A schema line and a seed line (a root depending on the schema).
    let m = map(vec![
        RevisionSpec::new("s1", &[]).with_labels(&["schema"]),
        RevisionSpec::new("s2", &["s1"]),
        RevisionSpec::new("seed1", &[])
            .with_labels(&["seed"])
            .with_depends_on(&["s2"]),
    ]);
    let e = m.get_current_head(None).unwrap_err();
    assert_eq!(
        e.labelled_heads(),
        Some(vec![("schema", "s2"), ("seed", "seed1")])
    );
    assert_eq!(
        hint(e),
        "the heads are on separate labelled branches, schema (s2), seed (seed1): name all of them with 'heads', or one with 'schema@head' or 'seed@head'"
    );
    let e = m.get_revision("head").unwrap_err();
    assert!(e.labelled_heads().is_some(), "{e:?}");
    // s2 is only a dependency (an effective head): `heads` is the seed alone.
    assert_eq!(m.get_revision("heads").unwrap(), m.index_of("seed1"));
    let catch = crate::error::Catch {
        option: Some("--head"),
        ..Default::default()
    };
    assert_eq!(
        catch.map(m.get_current_head(None).unwrap_err()).hint().unwrap(),
        "the heads are on separate labelled branches, schema (s2), seed (seed1): choose one with --head schema@head or --head seed@head"
    );

    // Three labelled lines.
    let m = two_branches();
    let m3 = map(vec![
        RevisionSpec::new("a", &[]).with_labels(&["x"]),
        RevisionSpec::new("b", &[]).with_labels(&["y"]),
        RevisionSpec::new("c", &[]).with_labels(&["z"]),
    ]);
    assert_eq!(
        m3.get_revision("heads").unwrap_err().labelled_heads(),
        Some(vec![("x", "a"), ("y", "b"), ("z", "c")])
    );
    assert_eq!(
        hint(m3.get_current_head(None).unwrap_err()),
        "the heads are on separate labelled branches, x (a), y (b), z (c): name all of them with 'heads', or one with 'x@head', 'y@head' or 'z@head'"
    );

    // Two labelled forks and an unlabelled root: not every head has its own label.
    let e = m.get_current_head(None).unwrap_err();
    assert_eq!(e.labelled_heads(), None);
    assert!(matches!(
        &e,
        RevisionError::MultipleHeads { labels, .. }
            if labels == &[Some("left".to_string()), Some("right".to_string()), None]
    ));
    assert_eq!(
        hint(e),
        "merge them with 'aludel merge heads', or name one head"
    );

    // A fork inside one labelled line: both heads carry the same label.
    let m = map(vec![
        RevisionSpec::new("a", &[]).with_labels(&["lib"]),
        RevisionSpec::new("b1", &["a"]),
        RevisionSpec::new("b2", &["a"]),
    ]);
    let e = m.get_current_head(Some("lib")).unwrap_err();
    assert_eq!(e.labelled_heads(), None);
    assert_eq!(
        hint(e),
        "merge them with 'aludel merge heads', or name one head"
    );
}
