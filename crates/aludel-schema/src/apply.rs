//! The schema a change leaves, computed on the values: what a database would
//! hold after running the change. [`crate::diff`] uses it to apply rename hints
//! to the current schema, [`crate::plan`] to follow the state between steps, and
//! the tests to prove that the changes of a diff lead from one schema to the
//! other and back.
//!
//! Owns the effect of each change on the model, nothing else: it checks that
//! the object a change names exists (or does not yet), not whether a database
//! would accept the change at that point (dependencies are the plan's concern).
//! A rename follows every reference a database follows by itself: a renamed
//! table in other tables' foreign keys, sequences' `OWNED BY` and views'
//! dependencies; a renamed column in its table's keys, indexes and foreign keys
//! and in the foreign keys of other tables that reference it. Texts that embed a
//! name (expressions, view and trigger definitions) are kept as they are.

use crate::change::Change;
use crate::model::{QualifiedName, Schema, Table};

/// A change that cannot apply to a schema: the object it names is missing, or
/// the one it creates is already there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyError(pub String);

impl std::fmt::Display for ApplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ApplyError {}

fn missing(what: &str, name: impl std::fmt::Display) -> ApplyError {
    ApplyError(format!("{what} {name} does not exist"))
}

fn exists(what: &str, name: impl std::fmt::Display) -> ApplyError {
    ApplyError(format!("{what} {name} already exists"))
}

/// Applies `change` to `schema` in place.
pub fn apply(schema: &mut Schema, change: &Change) -> Result<(), ApplyError> {
    use Change::*;
    match change {
        CreateNamespace(name) => {
            if schema.namespaces.contains(name) {
                return Err(exists("schema", name));
            }
            schema.namespaces.push(name.clone());
        }
        DropNamespace(name) => {
            let at = position(&schema.namespaces, |n| n == name, "schema", name)?;
            schema.namespaces.remove(at);
        }
        CreateEnum(e) => {
            if schema.enum_type(&e.name).is_some() {
                return Err(exists("type", &e.name));
            }
            schema.enums.push(e.clone());
        }
        DropEnum(e) => {
            let at = position(&schema.enums, |x| x.name == e.name, "type", &e.name)?;
            schema.enums.remove(at);
        }
        AlterEnum { from, to } => {
            let at = position(&schema.enums, |x| x.name == from.name, "type", &from.name)?;
            schema.enums[at] = to.clone();
        }
        CreateSequence(s) => {
            if schema.sequence(&s.name).is_some() {
                return Err(exists("sequence", &s.name));
            }
            schema.sequences.push(s.clone());
        }
        DropSequence(s) => {
            let at = position(&schema.sequences, |x| x.name == s.name, "sequence", &s.name)?;
            schema.sequences.remove(at);
        }
        AlterSequence { from, to } => {
            let at = position(
                &schema.sequences,
                |x| x.name == from.name,
                "sequence",
                &from.name,
            )?;
            schema.sequences[at] = to.clone();
        }
        CreateTable(t) => {
            if schema.table(&t.name).is_some() {
                return Err(exists("table", &t.name));
            }
            schema.tables.push(t.clone());
        }
        DropTable(t) => {
            let at = position(&schema.tables, |x| x.name == t.name, "table", &t.name)?;
            schema.tables.remove(at);
        }
        RenameTable { from, to } => rename_table(schema, from, to)?,
        AlterTable { from, to } => {
            let table = table_mut(schema, &from.name)?;
            table.comment = to.comment.clone();
            table.options = to.options.clone();
        }
        AddColumn {
            table,
            column,
            after,
        } => {
            let t = table_mut(schema, table)?;
            if t.column(&column.name).is_some() {
                return Err(exists("column", format!("{table}.{}", column.name)));
            }
            let at = match after {
                None => 0,
                Some(after) => 1 + position(&t.columns, |c| &c.name == after, "column", after)?,
            };
            t.columns.insert(at, column.clone());
        }
        DropColumn { table, column, .. } => {
            let t = table_mut(schema, table)?;
            let at = position(
                &t.columns,
                |c| c.name == column.name,
                "column",
                &column.name,
            )?;
            t.columns.remove(at);
        }
        AlterColumn { table, from, to } => {
            let t = table_mut(schema, table)?;
            let at = position(&t.columns, |c| c.name == from.name, "column", &from.name)?;
            t.columns[at] = to.clone();
        }
        RenameColumn { table, from, to } => rename_column(schema, table, from, to)?,
        AddPrimaryKey { table, key } => {
            let t = table_mut(schema, table)?;
            if t.primary_key.is_some() {
                return Err(exists("primary key of", table));
            }
            t.primary_key = Some(key.clone());
        }
        DropPrimaryKey { table, .. } => {
            let t = table_mut(schema, table)?;
            if t.primary_key.take().is_none() {
                return Err(missing("primary key of", table));
            }
        }
        AddUnique { table, unique } => {
            add_named(&mut table_mut(schema, table)?.uniques, unique, |u| {
                u.name.as_deref()
            })?
        }
        DropUnique { table, unique } => {
            drop_named(&mut table_mut(schema, table)?.uniques, unique, |u| {
                u.name.as_deref()
            })?
        }
        AddForeignKey { table, key } => {
            add_named(&mut table_mut(schema, table)?.foreign_keys, key, |k| {
                k.name.as_deref()
            })?
        }
        DropForeignKey { table, key } => {
            drop_named(&mut table_mut(schema, table)?.foreign_keys, key, |k| {
                k.name.as_deref()
            })?
        }
        AddCheck { table, check } => {
            add_named(&mut table_mut(schema, table)?.checks, check, |c| {
                c.name.as_deref()
            })?
        }
        DropCheck { table, check } => {
            drop_named(&mut table_mut(schema, table)?.checks, check, |c| {
                c.name.as_deref()
            })?
        }
        AddExclusion { table, exclusion } => {
            add_named(&mut table_mut(schema, table)?.exclusions, exclusion, |x| {
                Some(&x.name)
            })?
        }
        DropExclusion { table, exclusion } => {
            drop_named(&mut table_mut(schema, table)?.exclusions, exclusion, |x| {
                Some(&x.name)
            })?
        }
        RenameConstraint { table, from, to } => {
            rename_constraint(table_mut(schema, table)?, from, to)?
        }
        CreateIndex { table, index } => {
            add_named(&mut table_mut(schema, table)?.indexes, index, |i| {
                Some(&i.name)
            })?
        }
        DropIndex { table, index } => {
            drop_named(&mut table_mut(schema, table)?.indexes, index, |i| {
                Some(&i.name)
            })?
        }
        RenameIndex { table, from, to } => {
            let t = table_mut(schema, table)?;
            if t.indexes.iter().any(|i| &i.name == to) {
                return Err(exists("index", to));
            }
            let at = position(&t.indexes, |i| &i.name == from, "index", from)?;
            t.indexes[at].name = to.clone();
        }
        CreateTrigger { table, trigger } => {
            add_named(&mut table_mut(schema, table)?.triggers, trigger, |x| {
                Some(&x.name)
            })?
        }
        DropTrigger { table, trigger } => {
            drop_named(&mut table_mut(schema, table)?.triggers, trigger, |x| {
                Some(&x.name)
            })?
        }
        CreateView(v) => {
            if schema.view(&v.name).is_some() {
                return Err(exists("view", &v.name));
            }
            schema.views.push(v.clone());
        }
        DropView(v) => {
            let at = position(&schema.views, |x| x.name == v.name, "view", &v.name)?;
            schema.views.remove(at);
        }
    }
    Ok(())
}

fn position<T>(
    items: &[T],
    matches: impl Fn(&T) -> bool,
    what: &str,
    name: impl std::fmt::Display,
) -> Result<usize, ApplyError> {
    items
        .iter()
        .position(matches)
        .ok_or_else(|| missing(what, name))
}

fn table_mut<'a>(
    schema: &'a mut Schema,
    name: &QualifiedName,
) -> Result<&'a mut Table, ApplyError> {
    schema
        .tables
        .iter_mut()
        .find(|t| &t.name == name)
        .ok_or_else(|| missing("table", name))
}

/// Adds a constraint, index or trigger; a named one must not clash.
fn add_named<T: Clone>(
    items: &mut Vec<T>,
    item: &T,
    name: impl Fn(&T) -> Option<&str>,
) -> Result<(), ApplyError> {
    if let Some(n) = name(item) {
        if items.iter().any(|x| name(x) == Some(n)) {
            return Err(exists("constraint or index", n));
        }
    }
    items.push(item.clone());
    Ok(())
}

/// Drops a constraint, index or trigger: by name, or by value when unnamed.
fn drop_named<T: PartialEq>(
    items: &mut Vec<T>,
    item: &T,
    name: impl Fn(&T) -> Option<&str>,
) -> Result<(), ApplyError> {
    let at = match name(item) {
        Some(n) => items.iter().position(|x| name(x) == Some(n)),
        None => items.iter().position(|x| x == item),
    };
    let at = at.ok_or_else(|| missing("constraint or index", name(item).unwrap_or("(unnamed)")))?;
    items.remove(at);
    Ok(())
}

fn rename_table(
    schema: &mut Schema,
    from: &QualifiedName,
    to: &QualifiedName,
) -> Result<(), ApplyError> {
    if schema.table(to).is_some() {
        return Err(exists("table", to));
    }
    table_mut(schema, from)?.name = to.clone();
    for table in &mut schema.tables {
        for key in &mut table.foreign_keys {
            if &key.referenced_table == from {
                key.referenced_table = to.clone();
            }
        }
    }
    for sequence in &mut schema.sequences {
        if let Some((owner, _)) = &mut sequence.owned_by {
            if owner == from {
                *owner = to.clone();
            }
        }
    }
    for view in &mut schema.views {
        for dependency in &mut view.depends_on {
            if dependency == from {
                *dependency = to.clone();
            }
        }
    }
    Ok(())
}

fn rename_column(
    schema: &mut Schema,
    table: &QualifiedName,
    from: &str,
    to: &str,
) -> Result<(), ApplyError> {
    let rename = |names: &mut Vec<String>| {
        for name in names.iter_mut().filter(|n| *n == from) {
            *name = to.to_owned();
        }
    };
    let t = table_mut(schema, table)?;
    if t.column(to).is_some() {
        return Err(exists("column", format!("{table}.{to}")));
    }
    let at = position(
        &t.columns,
        |c| c.name == from,
        "column",
        format!("{table}.{from}"),
    )?;
    t.columns[at].name = to.to_owned();
    if let Some(key) = &mut t.primary_key {
        rename(&mut key.columns);
    }
    for unique in &mut t.uniques {
        rename(&mut unique.columns);
    }
    for key in &mut t.foreign_keys {
        rename(&mut key.columns);
    }
    for index in &mut t.indexes {
        rename(&mut index.include);
        for part in &mut index.parts {
            if let crate::model::IndexKey::Column(name) = &mut part.key {
                if name == from {
                    *name = to.to_owned();
                }
            }
        }
    }
    for other in &mut schema.tables {
        for key in &mut other.foreign_keys {
            if &key.referenced_table == table {
                rename(&mut key.referenced_columns);
            }
        }
    }
    for sequence in &mut schema.sequences {
        if let Some((owner, column)) = &mut sequence.owned_by {
            if owner == table && column == from {
                *column = to.to_owned();
            }
        }
    }
    Ok(())
}

fn rename_constraint(table: &mut Table, from: &str, to: &str) -> Result<(), ApplyError> {
    let mut names: Vec<&mut Option<String>> = Vec::new();
    if let Some(key) = &mut table.primary_key {
        names.push(&mut key.name);
    }
    names.extend(table.uniques.iter_mut().map(|u| &mut u.name));
    names.extend(table.foreign_keys.iter_mut().map(|k| &mut k.name));
    names.extend(table.checks.iter_mut().map(|c| &mut c.name));
    if names.iter().any(|n| n.as_deref() == Some(to))
        || table.exclusions.iter().any(|x| x.name == to)
    {
        return Err(exists("constraint", to));
    }
    if let Some(name) = names.into_iter().find(|n| n.as_deref() == Some(from)) {
        *name = Some(to.to_owned());
        return Ok(());
    }
    match table.exclusions.iter_mut().find(|x| x.name == from) {
        Some(exclusion) => {
            exclusion.name = to.to_owned();
            Ok(())
        }
        None => Err(missing("constraint", format!("{} on {}", from, table.name))),
    }
}
