//! Property tests over generated pairs of related schemas (see
//! [`crate::testing::schema_pair`]): the diff of a schema with itself is empty;
//! the changes of a diff lead from one schema to the other as values, and their
//! reverses back; every plan runs on a simulated database that refuses what a
//! database refuses (foreign keys before their table, tables dropped under
//! foreign keys, columns changed under views…) and ends at the desired schema,
//! both ways, with renames too.

use proptest::prelude::*;

use crate::apply::apply;
use crate::change::Change;
use crate::diff::{diff, Renames};
use crate::model::{QualifiedName, Schema};
use crate::plan::{plan, Capabilities, Step};
use crate::testing::{name, run, schema_pair, MYSQL, SQLITE};

fn numbers() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(any::<u32>(), 0..1000)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 500,
        ..ProptestConfig::default()
    }
}

/// `desired` with one of its tables (present in `current` under the same name)
/// renamed, and one column of another renamed, with the hints that say so; the
/// implicit primary key name follows the table's new name.
fn with_renames(current: &Schema, desired: &Schema, pick: u32) -> (Schema, Renames) {
    let mut desired = desired.clone();
    let mut hints = Renames::default();
    let common: Vec<QualifiedName> = desired
        .tables
        .iter()
        .filter(|t| current.table(&t.name).is_some())
        .map(|t| t.name.clone())
        .collect();
    if common.is_empty() {
        return (desired, hints);
    }
    let table = common[pick as usize % common.len()].clone();
    let new = name(&format!("r{}", table.name));
    apply(
        &mut desired,
        &Change::RenameTable {
            from: table.clone(),
            to: new.clone(),
        },
    )
    .unwrap();
    let t = desired.tables.iter_mut().find(|t| t.name == new).unwrap();
    if let Some(key) = &mut t.primary_key {
        key.name = Some(format!("r{}_pkey", table.name));
    }
    hints.table(table, new.clone());
    let other = common[(pick as usize / 7) % common.len()].clone();
    let target = hints.tables.get(&other).unwrap_or(&other).clone();
    let column = desired
        .table(&target)
        .and_then(|t| t.columns.get(1 + pick as usize % 4))
        .map(|c| c.name.clone());
    let exists_before = |c: &str| current.table(&other).is_some_and(|t| t.column(c).is_some());
    if let Some(column) = column.filter(|c| exists_before(c)) {
        let renamed = format!("{column}_renamed");
        apply(
            &mut desired,
            &Change::RenameColumn {
                table: target.clone(),
                from: column.clone(),
                to: renamed.clone(),
            },
        )
        .unwrap();
        hints.column(target, column, renamed);
    }
    (desired.canonical(), hints)
}

fn apply_all<'a>(schema: &Schema, changes: impl Iterator<Item = &'a Change>) -> Schema {
    let mut state = schema.clone();
    for change in changes {
        apply(&mut state, change).unwrap_or_else(|e| panic!("{e}: {change:#?}"));
    }
    state.canonical()
}

/// The promises of the issue, checked on the steps themselves: no foreign key
/// is created before the table it references, and no table is dropped before
/// the foreign keys of other tables that reference it.
fn check_foreign_key_order(steps: &[Step], current: &Schema) {
    let created_at = |t: &QualifiedName| {
        steps
            .iter()
            .position(|s| matches!(s, Step::Change(Change::CreateTable(x)) if &x.name == t))
    };
    for (i, step) in steps.iter().enumerate() {
        let keys: Vec<(&QualifiedName, &QualifiedName)> = match step {
            Step::Change(Change::AddForeignKey { table, key }) => {
                vec![(table, &key.referenced_table)]
            }
            Step::Change(Change::CreateTable(t)) => t
                .foreign_keys
                .iter()
                .map(|k| (&t.name, &k.referenced_table))
                .collect(),
            _ => vec![],
        };
        for (table, referenced) in keys {
            if table != referenced {
                if let Some(at) = created_at(referenced) {
                    assert!(
                        at < i,
                        "step {i} references {referenced} before it is created"
                    );
                }
            }
        }
        if let Step::Change(Change::DropTable(dropped)) = step {
            // Names as the renames before the drop leave them.
            let renamed = |t: &QualifiedName| {
                steps[..i].iter().fold(t.clone(), |t, s| match s {
                    Step::Change(Change::RenameTable { from, to }) if *from == t => to.clone(),
                    _ => t,
                })
            };
            for other in current
                .tables
                .iter()
                .filter(|t| renamed(&t.name) != dropped.name)
            {
                let other_name = renamed(&other.name);
                let keys = other.foreign_keys.iter();
                for key in keys.filter(|k| renamed(&k.referenced_table) == dropped.name) {
                    let key_gone = steps[..i].iter().any(|s| match s {
                        Step::Change(Change::DropForeignKey { table, key: k }) => {
                            *table == other_name && k.name == key.name
                        }
                        Step::Change(Change::DropTable(t)) => t.name == other_name,
                        _ => false,
                    });
                    assert!(
                        key_gone,
                        "{} dropped before {:?} of {}",
                        dropped.name, key.name, other.name
                    );
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_schema_has_no_difference_with_itself(numbers in numbers()) {
        let (a, b) = schema_pair(&numbers);
        for s in [a, b] {
            let d = diff(&s, &s, &Renames::default()).unwrap();
            prop_assert!(d.changes.is_empty(), "{:#?}", d.changes);
            prop_assert!(d.rename_candidates.is_empty());
        }
    }

    #[test]
    fn the_changes_lead_there_and_their_reverses_back(numbers in numbers(), pick in any::<u32>(), rename in any::<bool>()) {
        let (a, b) = schema_pair(&numbers);
        let (b, hints) = if rename { with_renames(&a, &b, pick) } else { (b, Renames::default()) };
        let changes = diff(&a, &b, &hints).unwrap().changes;
        prop_assert_eq!(apply_all(&a, changes.iter()), b.clone());
        let reverses: Vec<Change> = changes.iter().rev().map(Change::reverse).collect();
        prop_assert_eq!(apply_all(&b, reverses.iter()), a.clone());
        // The diff the other way, with the hints reversed, is as good.
        let back = diff(&b, &a, &hints.reversed()).unwrap().changes;
        prop_assert_eq!(apply_all(&b, back.iter()), a);
    }

    #[test]
    fn every_plan_runs_and_arrives_both_ways(numbers in numbers(), pick in any::<u32>(), rename in any::<bool>()) {
        let (a, b) = schema_pair(&numbers);
        let (b, hints) = if rename { with_renames(&a, &b, pick) } else { (b, Renames::default()) };
        for caps in [Capabilities::FULL, MYSQL, SQLITE] {
            let up = run(&a, &b, &hints, &caps).map_err(TestCaseError::fail)?;
            let down = run(&b, &a, &hints.reversed(), &caps).map_err(TestCaseError::fail)?;
            if caps.alter_foreign_key {
                check_foreign_key_order(&up, &a);
                check_foreign_key_order(&down, &b);
            }
        }
    }

    #[test]
    fn the_plan_is_the_same_whatever_order_the_catalog_gave(numbers in numbers()) {
        let (a, b) = schema_pair(&numbers);
        let mut shuffled = b.clone();
        shuffled.tables.reverse();
        shuffled.views.reverse();
        let changes = diff(&a, &b, &Renames::default()).unwrap().changes;
        let again = diff(&a, &shuffled, &Renames::default()).unwrap().changes;
        prop_assert_eq!(&changes, &again);
        prop_assert_eq!(
            plan(changes, &a, &b, &Capabilities::FULL),
            plan(again, &a, &shuffled, &Capabilities::FULL)
        );
    }
}
