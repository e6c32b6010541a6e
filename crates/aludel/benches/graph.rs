//! Criterion benchmarks on a generated 10,000-revision history with branches, merges,
//! labels and dependencies: loading the files, building the map, heads, history and
//! the full upgrade plan. Run: `cargo bench -p aludel --bench graph`.

use std::fmt::Write as _;
use std::path::Path;

use aludel::revision::{RevisionMap, RevisionSpec};
use aludel::script::load_revision_files;
use criterion::{criterion_group, criterion_main, Criterion};

const N: usize = 10_000;

/// Every 50th revision opens a side branch of 5 revisions that a merge closes; every
/// 200th has a label; every 97th depends on a revision 30 back.
fn generate(dir: &Path) -> usize {
    let versions = dir.join("versions");
    std::fs::create_dir_all(&versions).expect("create versions");
    let mut prev = String::new();
    let mut side: Option<String> = None;
    let mut count = 0;
    let write = |id: &str, revises: &str, extra: &str, count: &mut usize| {
        let mut text = String::new();
        let _ = write!(
            text,
            "-- revision {id}\n--\n-- Revision ID: {id}\n-- Revises: {revises}\n-- Create Date: 2026-11-21 10:00:00+00:00\n{extra}\n-- aludel:upgrade\nCREATE TABLE t_{id} (id INTEGER PRIMARY KEY);\n\n-- aludel:downgrade\nDROP TABLE t_{id};\n"
        );
        std::fs::write(versions.join(format!("{:06}_{id}.sql", *count)), text).expect("write");
        *count += 1;
    };
    let mut i = 0;
    while count < N {
        let id = format!("r{i:05}");
        let mut extra = String::new();
        if i % 200 == 0 {
            let _ = writeln!(extra, "-- Branch Labels: lbl{i}");
        }
        if i % 97 == 0 && i > 30 {
            let _ = writeln!(extra, "-- Depends On: r{:05}", i - 30);
        }
        let revises = match side.take() {
            Some(s) if i % 50 == 10 => format!("{prev}, {s}"),
            Some(s) => {
                side = Some(s);
                prev.clone()
            }
            None => prev.clone(),
        };
        write(&id, &revises, &extra, &mut count);
        if i % 50 == 1 && count < N {
            let mut sp = prev.clone();
            for k in 0..5 {
                let sid = format!("s{i:05}_{k}");
                write(&sid, &sp, "", &mut count);
                sp = sid;
            }
            side = Some(sp);
        }
        prev = id;
        i += 1;
    }
    count
}

fn specs(dir: &Path) -> Vec<RevisionSpec> {
    load_revision_files(&[dir.join("versions")], false)
        .expect("load")
        .into_iter()
        .map(|f| RevisionSpec {
            revision: f.revision,
            down_revisions: f.down_revisions,
            branch_labels: f.branch_labels,
            depends_on: f.depends_on,
            source: f.path.display().to_string(),
            lines: f.header_lines,
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    generate(tmp.path());
    let loaded = specs(tmp.path());
    assert_eq!(loaded.len(), N);
    let map = RevisionMap::build(loaded.clone()).expect("valid graph");

    c.bench_function("load 10k files", |b| b.iter(|| specs(tmp.path())));
    c.bench_function("build map 10k", |b| {
        b.iter(|| RevisionMap::build(loaded.clone()).expect("map"))
    });
    c.bench_function("heads 10k (load + build + heads)", |b| {
        b.iter(|| {
            RevisionMap::build(specs(tmp.path()))
                .expect("map")
                .heads()
                .len()
        })
    });
    c.bench_function("history 10k (walk base:heads)", |b| {
        b.iter(|| map.walk_revisions("base", "heads").expect("history").len())
    });
    c.bench_function("upgrade plan 10k (base to heads, with rows)", |b| {
        b.iter(|| map.plan_upgrade(&[], "heads").expect("plan").steps.len())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
