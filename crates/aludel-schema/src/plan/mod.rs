//! The changes of a diff in an order a database can run: `plan(changes,
//! current, desired, capabilities)`. Owns the order, the objects that must be
//! dropped and re-created around a change although they do not change
//! themselves (foreign keys and views in the way), and which tables a database
//! without a full `ALTER TABLE` rebuilds (from [`Capabilities`], which the
//! dialect gives). Must not render SQL, and must not add or lose a change: the
//! steps, applied in order ([`Step::apply`]), lead from `current` to `desired`.
//!
//! # Order
//!
//! 1. Namespaces created.
//! 2. Views dropped: changed or gone ones, and every view in the way of a change
//!    below (reading a table renamed, dropped or rebuilt, or whose columns are
//!    renamed, dropped or change type; reading a table using an enum type whose
//!    values are removed or reordered; reading a view dropped here). Views that
//!    read others are dropped first.
//! 3. Tables renamed (with the keys the database renames with them, see
//!    [`Capabilities::table_rename_renames_ibfk_keys`]), then columns renamed.
//! 4. Enum types created or altered (new values exist before any use);
//!    sequences created or altered (a sequence owned by a column created below
//!    is created without its owner; one whose owner is dropped below loses it).
//! 5. Triggers dropped.
//! 6. Foreign keys dropped: the changed or gone ones, those in the way of a
//!    change (see `foreign_keys`), and those that break a cycle among dropped
//!    tables.
//! 7. Indexes and constraints dropped (before the columns they use).
//!    Indexes whose text a rename rewrites (see `index_text`) are dropped here
//!    and created again in 10.
//! 8. Indexes and constraints renamed; then enum types rebuilt (values removed
//!    or reordered), their partial and expression indexes and checks dropped in
//!    7 and created again in 10 (see `enums`).
//! 9. Columns added (each after its predecessor), altered, dropped; table
//!    comments and options altered.
//! 10. Primary keys, unique constraints, indexes, checks and exclusions added to
//!     existing tables (before new tables whose foreign keys reference them).
//! 11. Tables created, each after the tables it references; a cycle is broken
//!     by leaving keys out (added in 14).
//! 12. Tables rebuilt ([`Step::Rebuild`]).
//! 13. Tables dropped, each before the tables it references.
//! 14. Foreign keys added: new ones, re-added ones, and those left out of a
//!     cycle.
//! 15. Sequences given their owner.
//! 16. Sequences and enum types dropped (after the columns using them changed).
//! 17. Triggers created (those of created tables too).
//! 18. Views created, each after the views it reads.
//! 19. Namespaces dropped.
//!
//! Within a step, changes keep the diff's order (by name).

mod enums;
mod foreign_keys;
mod index_text;
mod order;
mod rebuild;
pub use rebuild::is_literal;
#[cfg(test)]
pub(crate) use rebuild::needs_rebuild;
mod sequences;
mod tables;
mod views;

use crate::apply::{apply, ApplyError};
use crate::change::Change;
use crate::model::{Column, QualifiedName, Schema, Table};

/// What a database can change in place with `ALTER TABLE` (`true`), and what
/// needs the table rebuilt (`false`). Each database's value is a constant here
/// ([`Capabilities::FULL`] for PostgreSQL, [`Capabilities::MYSQL`],
/// [`Capabilities::SQLITE`]), so that the plan's tests and the dialects use the
/// same values.
///
/// ```
/// use aludel_schema::Capabilities;
/// assert_ne!(Capabilities::SQLITE, Capabilities::FULL);
/// assert!(!Capabilities::SQLITE.alter_column && Capabilities::MYSQL.alter_column);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// A column's type, nullability, default, identity, generation or
    /// collation changes ([`Change::AlterColumn`]).
    pub alter_column: bool,
    /// A column is renamed, and the database follows the rename in other
    /// tables' foreign keys ([`Change::RenameColumn`]). Without it the rename is
    /// part of the table's rebuild, which does not follow it elsewhere: foreign
    /// keys of other tables that reference the column are left as they are.
    pub rename_column: bool,
    /// A column is dropped (its indexes and constraints are dropped before).
    pub drop_column: bool,
    /// A `NOT NULL` column without a default is added.
    pub add_column_not_null: bool,
    /// A column is added whose default is an expression, not a literal
    /// (`CURRENT_TIMESTAMP`).
    pub add_column_expression_default: bool,
    /// A stored generated column is added.
    pub add_column_stored_generated: bool,
    /// A primary key is added or dropped.
    pub alter_primary_key: bool,
    /// A unique constraint is added or dropped.
    pub alter_unique: bool,
    /// A foreign key is added or dropped. Without it, cycles of foreign keys
    /// stay inside `CREATE TABLE` (the database must not check references
    /// there).
    pub alter_foreign_key: bool,
    /// A check constraint is added or dropped.
    pub alter_check: bool,
    /// A constraint is renamed. Without it, a rename is a drop and an add.
    pub rename_constraint: bool,
    /// An index is renamed. Without it, a rename is a drop and a create.
    pub rename_index: bool,
    /// A table's storage options change ([`Change::AlterTable`]).
    pub alter_table_options: bool,
    /// Every foreign key needs an index leading with its columns (MySQL): a key
    /// whose index is dropped is dropped and added back around it.
    pub foreign_keys_need_an_index: bool,
    /// A rename of a table or column leaves the text an index is described by
    /// as a fresh `CREATE INDEX` would have it. Without it (SQLite keeps each
    /// index as the text it was given and a rename rewrites the names in it
    /// its own way: `ON "accounts"`), the indexes of a table renamed, or whose
    /// columns are renamed, are created again from the desired text.
    pub renames_keep_index_text: bool,
    /// Renaming a table renames its foreign keys called `<old>_ibfk_<n>` to
    /// `<new>_ibfk_<n>` (MySQL/InnoDB): such a rename is part of the table's,
    /// a [`Change::RenameConstraint`] right after it that the database has
    /// already made.
    pub table_rename_renames_ibfk_keys: bool,
}

impl Capabilities {
    /// Everything in place, no index needed for foreign keys (PostgreSQL).
    pub const FULL: Capabilities = Capabilities {
        alter_column: true,
        rename_column: true,
        drop_column: true,
        add_column_not_null: true,
        add_column_expression_default: true,
        add_column_stored_generated: true,
        alter_primary_key: true,
        alter_unique: true,
        alter_foreign_key: true,
        alter_check: true,
        rename_constraint: true,
        rename_index: true,
        alter_table_options: true,
        foreign_keys_need_an_index: false,
        renames_keep_index_text: true,
        table_rename_renames_ibfk_keys: false,
    };

    /// MySQL/MariaDB: everything in place but constraint renames (no `RENAME
    /// CONSTRAINT`: a drop and an add); every foreign key needs an index;
    /// `RENAME TABLE` renames the `<table>_ibfk_<n>` keys by itself.
    pub const MYSQL: Capabilities = Capabilities {
        rename_constraint: false,
        foreign_keys_need_an_index: true,
        table_rename_renames_ibfk_keys: true,
        ..Capabilities::FULL
    };

    /// SQLite: `ALTER TABLE` renames tables and columns, adds plain columns and
    /// drops columns nothing uses; everything else rebuilds the table, and a
    /// rename rewrites the stored text of the table's indexes.
    pub const SQLITE: Capabilities = Capabilities {
        alter_column: false,
        rename_column: true,
        drop_column: true,
        add_column_not_null: false,
        add_column_expression_default: false,
        add_column_stored_generated: false,
        alter_primary_key: false,
        alter_unique: false,
        alter_foreign_key: false,
        alter_check: false,
        rename_constraint: false,
        rename_index: false,
        alter_table_options: false,
        foreign_keys_need_an_index: false,
        renames_keep_index_text: false,
        table_rename_renames_ibfk_keys: false,
    };
}

/// `schema` as the table and column renames among `changes` leave it. A plan
/// runs them first, so every other step (and its rendering) sees these names.
pub fn after_renames(schema: &Schema, changes: &[Change]) -> Schema {
    let mut renamed = schema.clone();
    for change in changes {
        if matches!(
            change,
            Change::RenameTable { .. } | Change::RenameColumn { .. }
        ) {
            // The diff's renames apply to the schema it compared.
            let _ = apply(&mut renamed, change);
        }
    }
    renamed
}

/// One step of a migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Change(Change),
    /// The table-rebuild recipe: a table `to` is created under another name,
    /// the rows of `from` are copied into it (each column of `to` from the
    /// column of `from` with the same name, or the one `renamed_columns`, as
    /// `(old, new)`, names), `from` is dropped and the new table takes its name;
    /// then `to`'s indexes and triggers are created. `from` and `to` have the
    /// same name. The views reading the table are dropped before and created
    /// after by steps of their own.
    Rebuild {
        from: Table,
        to: Table,
        renamed_columns: Vec<(String, String)>,
    },
}

impl Step {
    /// The schema this step leaves, in place.
    pub fn apply(&self, schema: &mut Schema) -> Result<(), ApplyError> {
        match self {
            Step::Change(change) => apply(schema, change),
            Step::Rebuild { from, to, .. } => {
                let table = schema.tables.iter_mut().find(|t| t.name == from.name);
                let table = table
                    .ok_or_else(|| ApplyError(format!("table {} does not exist", from.name)))?;
                *table = to.clone();
                Ok(())
            }
        }
    }
}

/// Orders `changes` (from [`crate::diff::diff`] of `current` and `desired`) for
/// a database that can do what `caps` says.
pub fn plan(
    changes: Vec<Change>,
    current: &Schema,
    desired: &Schema,
    caps: &Capabilities,
) -> Vec<Step> {
    let current = current.clone().canonical();
    let desired = desired.clone().canonical();
    let mut changes = changes;
    let keys_renamed_with_tables = if caps.table_rename_renames_ibfk_keys {
        keys_renamed_with_tables(&mut changes)
    } else {
        Vec::new()
    };
    // The other changes name tables, columns and those keys as the renames
    // leave them.
    let mut renamed = after_renames(&current, &changes);
    for change in &keys_renamed_with_tables {
        let _ = apply(&mut renamed, change);
    }

    let mut changes = without_unsupported_renames(changes, &renamed, &desired, caps);
    if !caps.renames_keep_index_text {
        index_text::restate(&mut changes, &renamed, &desired);
    }
    let rebuilt = rebuild::tables(&changes, caps);
    if caps.alter_foreign_key {
        foreign_keys::unblock(&mut changes, &renamed, &desired, caps, &rebuilt);
    }
    let (view_drops, view_creates) =
        views::unblock(&mut changes, &current, &renamed, &desired, &rebuilt);
    let enum_rebuilds = enums::unblock(&mut changes, &renamed, &desired, caps);
    let rebuilds = rebuild::fold(&mut changes, &rebuilt, &current, &desired, caps);
    let (sequences_before, sequences_after) = sequences::split(&mut changes);
    let tables = tables::order(&mut changes, caps);

    let mut steps: Vec<(Phase, Step)> = changes
        .into_iter()
        .map(|c| (phase(&c), Step::Change(c)))
        .collect();
    let mut push = |phase: Phase, changes: Vec<Change>| {
        steps.extend(changes.into_iter().map(|c| (phase, Step::Change(c))));
    };
    push(Phase::ViewDrops, view_drops);
    push(Phase::Renames, keys_renamed_with_tables);
    push(Phase::Types, sequences_before);
    push(Phase::EnumRebuilds, enum_rebuilds);
    push(Phase::ForeignKeyDrops, tables.drop_keys);
    push(Phase::TableCreates, tables.creates);
    push(Phase::TableDrops, tables.drops);
    push(Phase::ForeignKeyAdds, tables.add_keys);
    push(Phase::Owners, sequences_after);
    push(Phase::TriggerCreates, tables.triggers);
    push(Phase::ViewCreates, view_creates);
    steps.extend(rebuilds.into_iter().map(|s| (Phase::Rebuilds, s)));
    // Stable: within a phase, the diff's order, then the order above.
    steps.sort_by_key(|(phase, _)| *phase);
    steps.into_iter().map(|(_, step)| step).collect()
}

/// The steps of the order in the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    NamespaceCreates,
    ViewDrops,
    Renames,
    Types,
    TriggerDrops,
    ForeignKeyDrops,
    KeyDrops,
    KeyRenames,
    EnumRebuilds,
    ColumnAdds,
    ColumnAlters,
    ColumnDrops,
    TableAlters,
    KeyAdds,
    TableCreates,
    Rebuilds,
    TableDrops,
    ForeignKeyAdds,
    Owners,
    TypeDrops,
    TriggerCreates,
    ViewCreates,
    NamespaceDrops,
}

/// The phase of a change that no other rule places.
fn phase(change: &Change) -> Phase {
    use Change::*;
    match change {
        CreateNamespace(_) => Phase::NamespaceCreates,
        DropNamespace(_) => Phase::NamespaceDrops,
        RenameTable { .. } | RenameColumn { .. } => Phase::Renames,
        CreateEnum(_) | AlterEnum { .. } | CreateSequence(_) | AlterSequence { .. } => Phase::Types,
        DropEnum(_) | DropSequence(_) => Phase::TypeDrops,
        DropTrigger { .. } => Phase::TriggerDrops,
        CreateTrigger { .. } => Phase::TriggerCreates,
        DropForeignKey { .. } => Phase::ForeignKeyDrops,
        AddForeignKey { .. } => Phase::ForeignKeyAdds,
        DropIndex { .. }
        | DropExclusion { .. }
        | DropCheck { .. }
        | DropUnique { .. }
        | DropPrimaryKey { .. } => Phase::KeyDrops,
        RenameConstraint { .. } | RenameIndex { .. } => Phase::KeyRenames,
        AddColumn { .. } => Phase::ColumnAdds,
        AlterColumn { .. } => Phase::ColumnAlters,
        DropColumn { .. } => Phase::ColumnDrops,
        AlterTable { .. } => Phase::TableAlters,
        AddPrimaryKey { .. }
        | AddUnique { .. }
        | CreateIndex { .. }
        | AddCheck { .. }
        | AddExclusion { .. } => Phase::KeyAdds,
        CreateTable(_) => Phase::TableCreates,
        DropTable(_) => Phase::TableDrops,
        DropView(_) => Phase::ViewDrops,
        CreateView(_) => Phase::ViewCreates,
    }
}

/// Whether a column change changes what the column holds (type, collation,
/// character set, generation): what views and foreign keys are in the way of.
fn reshapes(from: &Column, to: &Column) -> bool {
    from.data_type != to.data_type
        || from.collation != to.collation
        || from.charset != to.charset
        || from.generated != to.generated
}

/// Takes out of `changes` the renames of foreign keys `<old>_ibfk_<n>` to
/// `<new>_ibfk_<n>` of a table renamed from `<old>` to `<new>`, which the
/// table's rename makes (see [`Capabilities::table_rename_renames_ibfk_keys`]).
fn keys_renamed_with_tables(changes: &mut Vec<Change>) -> Vec<Change> {
    let tables: Vec<(QualifiedName, QualifiedName)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::RenameTable { from, to } => Some((from.clone(), to.clone())),
            _ => None,
        })
        .collect();
    let follows = |change: &Change| match change {
        Change::RenameConstraint { table, from, to } => tables.iter().any(|(old, new)| {
            new == table
                && from
                    .strip_prefix(&format!("{}_ibfk_", old.name))
                    .zip(to.strip_prefix(&format!("{}_ibfk_", new.name)))
                    .is_some_and(|(a, b)| a == b && a.parse::<u32>().is_ok())
        }),
        _ => false,
    };
    let (follow, rest): (Vec<Change>, Vec<Change>) = changes.drain(..).partition(follows);
    *changes = rest;
    follow
}

/// Renames of constraints and indexes the database cannot make, as a drop of
/// the old object and an add of the new one.
fn without_unsupported_renames(
    changes: Vec<Change>,
    renamed: &Schema,
    desired: &Schema,
    caps: &Capabilities,
) -> Vec<Change> {
    let mut out = Vec::with_capacity(changes.len());
    for change in changes {
        let replaced = match &change {
            Change::RenameConstraint { table, from, to } if !caps.rename_constraint => {
                let old = renamed.table(table).and_then(|t| constraint(t, from));
                let new = desired.table(table).and_then(|t| constraint(t, to));
                old.zip(new.map(|drop| drop.reverse()))
            }
            Change::RenameIndex { table, from, to } if !caps.rename_index => {
                let index = |schema: &Schema, name: &str| {
                    schema
                        .table(table)
                        .and_then(|t| t.indexes.iter().find(|i| i.name == name))
                        .cloned()
                };
                index(renamed, from)
                    .zip(index(desired, to))
                    .map(|(old, new)| {
                        (
                            Change::DropIndex {
                                table: table.clone(),
                                index: old,
                            },
                            Change::CreateIndex {
                                table: table.clone(),
                                index: new,
                            },
                        )
                    })
            }
            _ => None,
        };
        match replaced {
            Some((drop, add)) => out.extend([drop, add]),
            None => out.push(change),
        }
    }
    out
}

/// The drop of the constraint called `name` in `table`.
fn constraint(table: &Table, name: &str) -> Option<Change> {
    let t = table.name.clone();
    let named = |n: &Option<String>| n.as_deref() == Some(name);
    if let Some(key) = table.primary_key.clone().filter(|k| named(&k.name)) {
        return Some(Change::DropPrimaryKey { table: t, key });
    }
    if let Some(unique) = table.uniques.iter().find(|u| named(&u.name)).cloned() {
        return Some(Change::DropUnique { table: t, unique });
    }
    if let Some(key) = table.foreign_keys.iter().find(|k| named(&k.name)).cloned() {
        return Some(Change::DropForeignKey { table: t, key });
    }
    if let Some(check) = table.checks.iter().find(|c| named(&c.name)).cloned() {
        return Some(Change::DropCheck { table: t, check });
    }
    let exclusion = table.exclusions.iter().find(|x| x.name == name).cloned()?;
    Some(Change::DropExclusion {
        table: t,
        exclusion,
    })
}

#[cfg(test)]
mod tests;
