//! Test helpers: short builders for schema values, and a generator of pairs of
//! related schemas for the property tests (drawn from small pools of names, so
//! that the two sides share, change, rename and drop objects).

use crate::change::Change;
use crate::diff::{diff, Renames};
use crate::model::*;
use crate::plan::{plan, Capabilities, Step};

pub fn name(n: &str) -> QualifiedName {
    QualifiedName::local(n)
}

pub fn column(n: &str, data_type: &str) -> Column {
    Column::new(n, data_type)
}

pub fn table(n: &str, columns: &[(&str, &str)]) -> Table {
    let mut t = Table::new(name(n));
    t.columns = columns.iter().map(|(c, ty)| column(c, ty)).collect();
    t
}

pub fn pk(n: &str, columns: &[&str]) -> Option<PrimaryKey> {
    Some(PrimaryKey {
        name: Some(n.into()),
        columns: strings(columns),
    })
}

pub fn unique(n: &str, columns: &[&str]) -> Unique {
    Unique {
        name: Some(n.into()),
        columns: strings(columns),
        nulls_not_distinct: false,
        deferrable: Deferrable::No,
    }
}

pub fn fk(n: &str, columns: &[&str], to: &str, to_columns: &[&str]) -> ForeignKey {
    ForeignKey {
        name: Some(n.into()),
        columns: strings(columns),
        referenced_table: name(to),
        referenced_columns: strings(to_columns),
        on_delete: ReferentialAction::NoAction,
        on_update: ReferentialAction::NoAction,
        match_kind: None,
        deferrable: Deferrable::No,
    }
}

pub fn check(n: &str, expression: &str) -> Check {
    Check {
        name: Some(n.into()),
        expression: expression.into(),
    }
}

pub fn index(n: &str, columns: &[&str]) -> Index {
    Index {
        name: n.into(),
        unique: false,
        parts: columns
            .iter()
            .map(|c| IndexPart {
                key: IndexKey::Column((*c).into()),
                descending: false,
                nulls_first: None,
                collation: None,
                opclass: None,
                prefix_length: None,
            })
            .collect(),
        method: None,
        predicate: None,
        include: vec![],
        nulls_not_distinct: false,
        options: vec![],
        definition: None,
    }
}

pub fn view(n: &str, definition: &str, depends_on: &[&str]) -> View {
    View {
        name: name(n),
        definition: definition.into(),
        depends_on: depends_on.iter().map(|d| name(d)).collect(),
        options: vec![],
        comment: None,
    }
}

pub fn sequence(n: &str, owned_by: Option<(&str, &str)>) -> Sequence {
    Sequence {
        name: name(n),
        options: SequenceOptions {
            data_type: "integer".into(),
            start: 1,
            increment: 1,
            min: 1,
            max: i32::MAX as i64,
            cache: 1,
            cycle: false,
        },
        owned_by: owned_by.map(|(t, c)| (name(t), c.to_owned())),
    }
}

pub fn enum_type(n: &str, values: &[&str]) -> EnumType {
    EnumType {
        name: name(n),
        values: strings(values),
    }
}

pub fn trigger(n: &str, definition: &str) -> Trigger {
    Trigger {
        name: n.into(),
        definition: definition.into(),
    }
}

pub fn schema(tables: Vec<Table>) -> Schema {
    Schema {
        tables,
        ..Schema::default()
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Reads choices from a list of numbers drawn by proptest; past its end every
/// choice is 0, the simplest (so shrinking towards zeros simplifies schemas).
pub struct Choices<'a> {
    numbers: &'a [u32],
    at: usize,
}

impl<'a> Choices<'a> {
    pub fn new(numbers: &'a [u32]) -> Self {
        Choices { numbers, at: 0 }
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u32) -> u32 {
        let x = self.numbers.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        x % n
    }

    pub fn flip(&mut self) -> bool {
        self.below(2) == 1
    }

    /// Per side: (in current, in desired), mostly on both.
    pub fn sides(&mut self) -> (bool, bool) {
        match self.below(4) {
            0 | 1 => (true, true),
            2 => (true, false),
            _ => (false, true),
        }
    }
}

pub const TABLES: usize = 6;
pub const COLUMNS: usize = 5;

/// Two related schemas (current, desired), from the numbers: up to six tables of
/// up to five columns (`id` always first and the primary key), with indexes,
/// uniques, foreign keys (self and cyclic ones too), checks, triggers, comments
/// and options; views on tables and views; enum types and sequences (owned by a
/// table's `id` or not); a namespace. Column order is the pool's on both sides
/// (the diff does not compare it).
pub fn schema_pair(numbers: &[u32]) -> (Schema, Schema) {
    let mut ch = Choices::new(numbers);
    let mut sides = [Schema::default(), Schema::default()];
    let on = |side: usize, p: (bool, bool)| if side == 0 { p.0 } else { p.1 };
    for e in 0..2 {
        let p = ch.sides();
        for (side, schema) in sides.iter_mut().enumerate() {
            let values: Vec<&str> = ["a", "b", "c"]
                .into_iter()
                .filter(|_| ch.below(3) != 0)
                .collect();
            if on(side, p) {
                schema.enums.push(enum_type(&format!("e{e}"), &values));
            }
        }
    }
    let present: Vec<(bool, bool)> = (0..TABLES).map(|_| ch.sides()).collect();
    for v in 0..3 {
        let p = ch.sides();
        for (side, schema) in sides.iter_mut().enumerate() {
            let definition = ["select 1", "select 2"][ch.below(2) as usize];
            let mut depends_on = Vec::new();
            for _ in 0..ch.below(3) {
                let t = ch.below(TABLES as u32) as usize;
                if on(side, present[t]) {
                    depends_on.push(format!("t{t}"));
                }
            }
            if v > 0 && ch.flip() {
                let on_view = format!("v{}", ch.below(v));
                if schema.view(&name(&on_view)).is_some() {
                    depends_on.push(on_view);
                }
            }
            let deps: Vec<&str> = depends_on.iter().map(String::as_str).collect();
            if on(side, p) {
                schema.views.push(view(&format!("v{v}"), definition, &deps));
            }
        }
    }
    for s in 0..2 {
        let p = ch.sides();
        for (side, schema) in sides.iter_mut().enumerate() {
            let t = ch.below(TABLES as u32) as usize;
            let owner = format!("t{t}");
            let owned = ch.flip() && on(side, present[t]);
            let mut seq = sequence(&format!("s{s}"), owned.then_some((owner.as_str(), "id")));
            seq.options.start = [1, 10][ch.below(2) as usize];
            if on(side, p) {
                schema.sequences.push(seq);
            }
        }
    }
    for (t, &p) in present.iter().enumerate() {
        let tn = format!("t{t}");
        let mut tables = [Table::new(name(&tn)), Table::new(name(&tn))];
        let mut id = Column::new("id", "integer");
        id.nullable = false;
        let pk_names = [ch.below(2), ch.below(2)];
        for (side, table) in tables.iter_mut().enumerate() {
            table.columns.push(id.clone());
            let suffix = ["pkey", "pk"][pk_names[side] as usize];
            table.primary_key = pk(&format!("{tn}_{suffix}"), &["id"]);
        }
        for c in 1..COLUMNS {
            let cp = ch.sides();
            let cn = format!("c{c}");
            let base = ch.below(4) as usize;
            for (side, table) in tables.iter_mut().enumerate() {
                let changed = ch.below(4) == 0;
                let kind = if changed { (base + 1) % 4 } else { base };
                let ty = ["integer", "text", "bigint", "e0"][kind];
                let mut col = Column::new(&cn, ty);
                col.nullable = ch.below(4) != 0;
                col.default = (ch.below(4) == 0).then(|| "0".to_owned());
                let enum_ok = ty != "e0" || sides[side].enum_type(&name("e0")).is_some();
                if on(side, cp) && enum_ok {
                    table.columns.push(col);
                }
            }
        }
        for (side, table) in tables.iter_mut().enumerate() {
            let has = |table: &Table, c: u32| table.column(&format!("c{c}")).is_some();
            for _ in 0..ch.below(3) {
                let c = 1 + ch.below(COLUMNS as u32 - 1);
                let alt = ["idx", "i2"][ch.below(2) as usize];
                let mut i = index(&format!("{tn}_c{c}_{alt}"), &[&format!("c{c}")]);
                i.unique = ch.below(3) == 0;
                if has(table, c) && table.indexes.iter().all(|x| x.name != i.name) {
                    table.indexes.push(i);
                }
            }
            if ch.below(3) == 0 {
                let c = 1 + ch.below(COLUMNS as u32 - 1);
                let alt = ["key", "uq"][ch.below(2) as usize];
                if has(table, c) {
                    table
                        .uniques
                        .push(unique(&format!("{tn}_c{c}_{alt}"), &[&format!("c{c}")]));
                }
            }
            for _ in 0..ch.below(3) {
                let c = 1 + ch.below(COLUMNS as u32 - 1);
                let to = ch.below(TABLES as u32) as usize;
                let mut key = fk(
                    &format!("{tn}_c{c}_fkey"),
                    &[&format!("c{c}")],
                    &format!("t{to}"),
                    &["id"],
                );
                if ch.flip() {
                    key.on_delete = ReferentialAction::Cascade;
                }
                let fresh = table.foreign_keys.iter().all(|k| k.name != key.name);
                if has(table, c) && on(side, present[to]) && fresh {
                    table.foreign_keys.push(key);
                }
            }
            if ch.below(3) == 0 {
                let c = 1 + ch.below(COLUMNS as u32 - 1);
                let named = ["check", "ck"][ch.below(2) as usize];
                if has(table, c) {
                    let mut k = check(&format!("{tn}_{named}"), &format!("(c{c} > 0)"));
                    if ch.below(4) == 0 {
                        k.name = None;
                    }
                    table.checks.push(k);
                }
            }
            if ch.below(3) == 0 {
                let body = ["AFTER INSERT", "AFTER UPDATE"][ch.below(2) as usize];
                table.triggers.push(trigger(&format!("{tn}_trg"), body));
            }
            table.comment = ch.flip().then(|| "note".to_owned());
            if ch.below(4) == 0 {
                table.options.push(("strict".into(), "1".into()));
            }
        }
        for (side, table) in tables.into_iter().enumerate() {
            if on(side, p) {
                sides[side].tables.push(table);
            }
        }
    }
    let p = ch.sides();
    for (side, schema) in sides.iter_mut().enumerate() {
        if on(side, p) && ch.flip() {
            schema.namespaces.push("app".into());
        }
    }
    let [current, desired] = sides;
    (current.canonical(), desired.canonical())
}

/// The databases' capabilities, under the names the tests use.
pub const MYSQL: Capabilities = Capabilities::MYSQL;
pub const SQLITE: Capabilities = Capabilities::SQLITE;

/// Diffs, plans and runs the plan on a simulated database that refuses what a
/// database refuses (see [`refusal`]); the result must be `desired`. Returns
/// the steps, or what went wrong.
pub fn run(
    current: &Schema,
    desired: &Schema,
    renames: &Renames,
    caps: &Capabilities,
) -> Result<Vec<Step>, String> {
    let changes = diff(current, desired, renames)
        .map_err(|e| e.to_string())?
        .changes;
    let steps = plan(changes, current, desired, caps);
    let mut state = current.clone().canonical();
    for (i, step) in steps.iter().enumerate() {
        if let Some(why) = refusal(&state, step, caps) {
            return Err(format!(
                "step {i} refused: {why}\n{step:?}\nsteps:\n{}",
                steps
                    .iter()
                    .map(|s| format!("{s:?}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        }
        step.apply(&mut state)
            .map_err(|e| format!("step {i} does not apply: {e}\n{step:#?}"))?;
    }
    let state = state.canonical();
    let desired = desired.clone().canonical();
    if state != desired {
        return Err(format!(
            "the plan leads elsewhere:\n{state:#?}\ninstead of\n{desired:#?}\nsteps: {steps:#?}"
        ));
    }
    Ok(steps)
}

/// Why a database in `state` would refuse `step` (or, for a change the
/// database cannot make in place, that it appears at all). References are
/// checked only where foreign keys can be altered (SQLite does not check them
/// when tables are created or dropped).
pub fn refusal(state: &Schema, step: &Step, caps: &Capabilities) -> Option<String> {
    let checks_references = caps.alter_foreign_key;
    let views_on = |t: &QualifiedName| state.views.iter().any(|v| v.depends_on.contains(t));
    let referenced_by_others = |t: &QualifiedName, column: Option<&str>| {
        state.tables.iter().any(|other| {
            other.foreign_keys.iter().any(|k| {
                &k.referenced_table == t
                    && (other.name != *t || column.is_some())
                    && column.is_none_or(|c| k.referenced_columns.iter().any(|r| r == c))
            })
        })
    };
    let owns_sequence = |t: &QualifiedName, column: Option<&str>| {
        state.sequences.iter().any(|s| {
            s.owned_by
                .as_ref()
                .is_some_and(|(o, c)| o == t && column.is_none_or(|x| x == c))
        })
    };
    let types_exist = |columns: &[Column]| {
        columns.iter().all(|c| {
            !c.data_type.starts_with('e') || state.enum_type(&name(&c.data_type)).is_some()
        })
    };
    let step = match step {
        Step::Rebuild { from, to, .. } => {
            if state.table(&from.name) != Some(from) {
                return Some(format!(
                    "the rebuild starts from another table than {}",
                    from.name
                ));
            }
            if views_on(&from.name) {
                return Some(format!("a view reads the rebuilt table {}", from.name));
            }
            if !types_exist(&to.columns) {
                return Some("a column type does not exist".into());
            }
            return None;
        }
        Step::Change(change) => change,
    };
    if crate::plan::needs_rebuild(step, caps) {
        return Some("a change the database cannot make in place".into());
    }
    match step {
        Change::CreateTable(t) => {
            if !types_exist(&t.columns) {
                return Some("a column type does not exist".into());
            }
            if let Some(schema) = &t.name.schema {
                if !state.namespaces.contains(schema) {
                    return Some(format!("namespace {schema} does not exist"));
                }
            }
            if checks_references {
                for key in &t.foreign_keys {
                    if key.referenced_table != t.name {
                        if let Some(why) = unreferencable(state, key) {
                            return Some(why);
                        }
                    }
                }
            }
        }
        Change::AddForeignKey { key, .. } if checks_references => {
            return unreferencable(state, key);
        }
        Change::DropTable(t) => {
            if checks_references && referenced_by_others(&t.name, None) {
                return Some(format!("a foreign key references {}", t.name));
            }
            if views_on(&t.name) {
                return Some(format!("a view reads {}", t.name));
            }
            if owns_sequence(&t.name, None) {
                return Some(format!(
                    "{} owns a sequence, dropping it drops the sequence",
                    t.name
                ));
            }
        }
        Change::DropColumn { table, column, .. } => {
            let t = state.table(table)?;
            let c = column.name.as_str();
            let named = |cols: &[String]| cols.iter().any(|x| x == c);
            let used = t.primary_key.as_ref().is_some_and(|k| named(&k.columns))
                || t.uniques.iter().any(|u| named(&u.columns))
                || t.foreign_keys.iter().any(|k| named(&k.columns))
                || t.checks
                    .iter()
                    .any(|k| k.expression.contains(&format!("({c} ")))
                || t.indexes.iter().any(|i| {
                    named(&i.include) || i.parts.iter().any(|p| p.key == IndexKey::Column(c.into()))
                });
            if used {
                return Some(format!("{table}.{c} is used by a key, index or check"));
            }
            if checks_references && referenced_by_others(table, Some(c)) {
                return Some(format!("a foreign key references {table}.{c}"));
            }
            if views_on(table) {
                return Some(format!("a view reads {table}"));
            }
            if owns_sequence(table, Some(c)) {
                return Some(format!("{table}.{c} owns a sequence"));
            }
        }
        Change::AddColumn { column, .. } if !types_exist(std::slice::from_ref(column)) => {
            return Some("a column type does not exist".into());
        }
        Change::AlterColumn { table, from, to } => {
            if !types_exist(std::slice::from_ref(to)) {
                return Some("a column type does not exist".into());
            }
            let reshaped = from.data_type != to.data_type;
            if reshaped && views_on(table) {
                return Some(format!("a view reads {table}"));
            }
            let in_key = state.tables.iter().any(|t| {
                t.foreign_keys.iter().any(|k| {
                    (&t.name == table && k.columns.contains(&from.name))
                        || (&k.referenced_table == table
                            && k.referenced_columns.contains(&from.name))
                })
            });
            if reshaped && checks_references && in_key {
                return Some(format!("a foreign key uses {table}.{}", from.name));
            }
        }
        Change::RenameTable { from: table, .. } | Change::RenameColumn { table, .. }
            if views_on(table) =>
        {
            return Some(format!("a view reads {table}"));
        }
        Change::DropPrimaryKey { table, .. }
        | Change::DropUnique { table, .. }
        | Change::DropIndex { table, .. }
            if checks_references =>
        {
            let mut after = state.clone();
            crate::apply::apply(&mut after, step).ok()?;
            for other in &after.tables {
                for key in other
                    .foreign_keys
                    .iter()
                    .filter(|k| &k.referenced_table == table)
                {
                    if let Some(why) = unreferencable(&after, key) {
                        return Some(format!("dropping a key of {table}: {why}"));
                    }
                }
            }
        }
        Change::DropView(v) if views_on(&v.name) => {
            return Some(format!("a view reads {}", v.name));
        }
        Change::CreateView(v) => {
            for d in &v.depends_on {
                if state.table(d).is_none() && state.view(d).is_none() {
                    return Some(format!("view {} reads {d}, which does not exist", v.name));
                }
            }
        }
        Change::DropEnum(e)
            if state
                .tables
                .iter()
                .any(|t| t.columns.iter().any(|c| c.data_type == e.name.name)) =>
        {
            return Some(format!("a column uses type {}", e.name));
        }
        Change::CreateSequence(s) | Change::AlterSequence { to: s, .. } => {
            if let Some((t, c)) = &s.owned_by {
                if state.table(t).and_then(|t| t.column(c)).is_none() {
                    return Some(format!("owner {t}.{c} of {} does not exist", s.name));
                }
            }
        }
        Change::DropNamespace(n) => {
            let inside = state
                .tables
                .iter()
                .any(|t| t.name.schema.as_ref() == Some(n));
            if inside {
                return Some(format!("namespace {n} is not empty"));
            }
        }
        _ => {}
    }
    None
}

/// Why `key` cannot reference its table in `state`: the table or a key over
/// exactly the referenced columns is missing.
fn unreferencable(state: &Schema, key: &ForeignKey) -> Option<String> {
    let Some(t) = state.table(&key.referenced_table) else {
        return Some(format!("{} does not exist yet", key.referenced_table));
    };
    let mut wanted = key.referenced_columns.clone();
    wanted.sort();
    let same = |columns: &[String]| {
        let mut c = columns.to_vec();
        c.sort();
        c == wanted
    };
    let covered = t.primary_key.as_ref().is_some_and(|k| same(&k.columns))
        || t.uniques.iter().any(|u| same(&u.columns))
        || t.indexes.iter().any(|i| {
            let columns: Vec<String> = i
                .parts
                .iter()
                .filter_map(|p| match &p.key {
                    IndexKey::Column(c) => Some(c.clone()),
                    IndexKey::Expression(_) => None,
                })
                .collect();
            i.unique && i.predicate.is_none() && columns.len() == i.parts.len() && same(&columns)
        });
    (!covered).then(|| format!("no key of {} covers {:?}", t.name, key.referenced_columns))
}
