//! One change between two schemas, as a value that carries both the state before
//! and the state after, so that [`Change::reverse`] is the change that undoes it
//! (the downgrade) and a renderer can restate whatever it must (MySQL's `MODIFY`
//! restates the whole column; a SQLite rebuild needs the whole table).
//!
//! Owns the vocabulary of changes and their reversal. It does not find changes
//! (that is `diff`), order them (`plan`) or render them (each dialect).

use crate::model::{
    Check, Column, EnumType, Exclusion, ForeignKey, Index, PrimaryKey, QualifiedName, Sequence,
    Table, Trigger, Unique, View,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    CreateNamespace(String),
    DropNamespace(String),

    CreateEnum(EnumType),
    DropEnum(EnumType),
    /// Values added, removed or reordered (PostgreSQL can only add in place; the
    /// renderer decides when the type must be rebuilt).
    AlterEnum {
        from: EnumType,
        to: EnumType,
    },

    CreateSequence(Sequence),
    DropSequence(Sequence),
    AlterSequence {
        from: Sequence,
        to: Sequence,
    },

    /// The whole table, with its keys, indexes and constraints (foreign keys that
    /// the plan moves out to break a cycle are separate [`Change::AddForeignKey`]s).
    CreateTable(Table),
    DropTable(Table),
    RenameTable {
        from: QualifiedName,
        to: QualifiedName,
    },
    /// Comment or storage options of a table.
    AlterTable {
        from: Table,
        to: Table,
    },

    /// `after` is the column it follows (`None`: first), so a dialect that can
    /// place it (MySQL `AFTER`) keeps the desired order.
    AddColumn {
        table: QualifiedName,
        column: Column,
        after: Option<String>,
    },
    /// `after` as in [`Change::AddColumn`], for the reverse.
    DropColumn {
        table: QualifiedName,
        column: Column,
        after: Option<String>,
    },
    /// Same name, anything else changed.
    AlterColumn {
        table: QualifiedName,
        from: Column,
        to: Column,
    },
    RenameColumn {
        table: QualifiedName,
        from: String,
        to: String,
    },

    AddPrimaryKey {
        table: QualifiedName,
        key: PrimaryKey,
    },
    DropPrimaryKey {
        table: QualifiedName,
        key: PrimaryKey,
    },
    AddUnique {
        table: QualifiedName,
        unique: Unique,
    },
    DropUnique {
        table: QualifiedName,
        unique: Unique,
    },
    AddForeignKey {
        table: QualifiedName,
        key: ForeignKey,
    },
    DropForeignKey {
        table: QualifiedName,
        key: ForeignKey,
    },
    AddCheck {
        table: QualifiedName,
        check: Check,
    },
    DropCheck {
        table: QualifiedName,
        check: Check,
    },
    AddExclusion {
        table: QualifiedName,
        exclusion: Exclusion,
    },
    DropExclusion {
        table: QualifiedName,
        exclusion: Exclusion,
    },
    /// A constraint (primary key, unique, foreign key, check, exclusion) that is
    /// the same but for its name: the implicit names that follow a rename.
    RenameConstraint {
        table: QualifiedName,
        from: String,
        to: String,
    },

    CreateIndex {
        table: QualifiedName,
        index: Index,
    },
    DropIndex {
        table: QualifiedName,
        index: Index,
    },
    RenameIndex {
        table: QualifiedName,
        from: String,
        to: String,
    },

    CreateTrigger {
        table: QualifiedName,
        trigger: Trigger,
    },
    DropTrigger {
        table: QualifiedName,
        trigger: Trigger,
    },

    CreateView(View),
    DropView(View),
}

impl Change {
    /// The change that undoes this one.
    pub fn reverse(&self) -> Change {
        use Change::*;
        match self.clone() {
            CreateNamespace(n) => DropNamespace(n),
            DropNamespace(n) => CreateNamespace(n),
            CreateEnum(e) => DropEnum(e),
            DropEnum(e) => CreateEnum(e),
            AlterEnum { from, to } => AlterEnum { from: to, to: from },
            CreateSequence(s) => DropSequence(s),
            DropSequence(s) => CreateSequence(s),
            AlterSequence { from, to } => AlterSequence { from: to, to: from },
            CreateTable(t) => DropTable(t),
            DropTable(t) => CreateTable(t),
            RenameTable { from, to } => RenameTable { from: to, to: from },
            AlterTable { from, to } => AlterTable { from: to, to: from },
            AddColumn {
                table,
                column,
                after,
            } => DropColumn {
                table,
                column,
                after,
            },
            DropColumn {
                table,
                column,
                after,
            } => AddColumn {
                table,
                column,
                after,
            },
            AlterColumn { table, from, to } => AlterColumn {
                table,
                from: to,
                to: from,
            },
            RenameColumn { table, from, to } => RenameColumn {
                table,
                from: to,
                to: from,
            },
            AddPrimaryKey { table, key } => DropPrimaryKey { table, key },
            DropPrimaryKey { table, key } => AddPrimaryKey { table, key },
            AddUnique { table, unique } => DropUnique { table, unique },
            DropUnique { table, unique } => AddUnique { table, unique },
            AddForeignKey { table, key } => DropForeignKey { table, key },
            DropForeignKey { table, key } => AddForeignKey { table, key },
            AddCheck { table, check } => DropCheck { table, check },
            DropCheck { table, check } => AddCheck { table, check },
            AddExclusion { table, exclusion } => DropExclusion { table, exclusion },
            DropExclusion { table, exclusion } => AddExclusion { table, exclusion },
            RenameConstraint { table, from, to } => RenameConstraint {
                table,
                from: to,
                to: from,
            },
            CreateIndex { table, index } => DropIndex { table, index },
            DropIndex { table, index } => CreateIndex { table, index },
            RenameIndex { table, from, to } => RenameIndex {
                table,
                from: to,
                to: from,
            },
            CreateTrigger { table, trigger } => DropTrigger { table, trigger },
            DropTrigger { table, trigger } => CreateTrigger { table, trigger },
            CreateView(v) => DropView(v),
            DropView(v) => CreateView(v),
        }
    }

    /// The table a change is made to, for the changes to a part of a table
    /// (columns, keys, constraints, indexes, triggers, comment and options);
    /// `None` for whole tables, views, types, sequences and namespaces. After a
    /// [`Change::RenameTable`] the table has its new name.
    pub fn table(&self) -> Option<&QualifiedName> {
        use Change::*;
        match self {
            AlterTable { to, .. } => Some(&to.name),
            AddColumn { table, .. }
            | DropColumn { table, .. }
            | AlterColumn { table, .. }
            | RenameColumn { table, .. }
            | AddPrimaryKey { table, .. }
            | DropPrimaryKey { table, .. }
            | AddUnique { table, .. }
            | DropUnique { table, .. }
            | AddForeignKey { table, .. }
            | DropForeignKey { table, .. }
            | AddCheck { table, .. }
            | DropCheck { table, .. }
            | AddExclusion { table, .. }
            | DropExclusion { table, .. }
            | RenameConstraint { table, .. }
            | CreateIndex { table, .. }
            | DropIndex { table, .. }
            | RenameIndex { table, .. }
            | CreateTrigger { table, .. }
            | DropTrigger { table, .. } => Some(table),
            CreateNamespace(_)
            | DropNamespace(_)
            | CreateEnum(_)
            | DropEnum(_)
            | AlterEnum { .. }
            | CreateSequence(_)
            | DropSequence(_)
            | AlterSequence { .. }
            | CreateTable(_)
            | DropTable(_)
            | RenameTable { .. }
            | CreateView(_)
            | DropView(_) => None,
        }
    }

    /// Whether applying the change loses rows or values: a dropped table or
    /// column (the rendered statement carries `-- WARNING: drops data`). A type
    /// change may lose values too; its renderer says so where it casts.
    pub fn drops_data(&self) -> bool {
        matches!(self, Change::DropTable(_) | Change::DropColumn { .. })
    }
}

impl std::fmt::Display for Change {
    /// One line for people: `add column users.age (integer)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use Change::*;
        let column = |t: &QualifiedName, c: &str| format!("{t}.{c}");
        match self {
            CreateNamespace(n) => write!(f, "add schema {n}"),
            DropNamespace(n) => write!(f, "drop schema {n}"),
            CreateEnum(e) => write!(f, "add enum type {} ({})", e.name, e.values.join(", ")),
            DropEnum(e) => write!(f, "drop enum type {}", e.name),
            AlterEnum { from, to } => write!(
                f,
                "change enum type {}: ({}) -> ({})",
                to.name,
                from.values.join(", "),
                to.values.join(", ")
            ),
            CreateSequence(s) => write!(f, "add sequence {}", s.name),
            DropSequence(s) => write!(f, "drop sequence {}", s.name),
            AlterSequence { from, to } => {
                let owner = |s: &Sequence| match &s.owned_by {
                    Some((t, c)) => format!("{t}.{c}"),
                    None => "none".to_string(),
                };
                let mut what = Vec::new();
                if from.options != to.options {
                    what.push("options".to_string());
                }
                if from.owned_by != to.owned_by {
                    what.push(format!("owner {} -> {}", owner(from), owner(to)));
                }
                write!(f, "change sequence {}: {}", to.name, what.join(", "))
            }
            CreateTable(t) => write!(f, "add table {}", t.name),
            DropTable(t) => write!(f, "drop table {}", t.name),
            RenameTable { from, to } => write!(f, "rename table {from} to {to}"),
            AlterTable { to, .. } => write!(f, "change comment or options of table {}", to.name),
            AddColumn {
                table, column: c, ..
            } => {
                write!(f, "add column {} ({})", column(table, &c.name), c.data_type)
            }
            DropColumn {
                table, column: c, ..
            } => {
                write!(f, "drop column {}", column(table, &c.name))
            }
            AlterColumn { table, from, to } => {
                let mut what = Vec::new();
                if from.data_type != to.data_type {
                    what.push(format!("type {} -> {}", from.data_type, to.data_type));
                }
                if from.nullable != to.nullable {
                    what.push(if to.nullable { "nullable" } else { "not null" }.to_string());
                }
                if from.default != to.default {
                    what.push(format!(
                        "default {} -> {}",
                        from.default.as_deref().unwrap_or("none"),
                        to.default.as_deref().unwrap_or("none")
                    ));
                }
                if from.identity != to.identity {
                    what.push("identity".to_string());
                }
                if from.generated != to.generated {
                    what.push("generated expression".to_string());
                }
                if from.collation != to.collation || from.charset != to.charset {
                    what.push("collation".to_string());
                }
                if from.comment != to.comment {
                    what.push("comment".to_string());
                }
                if from.on_update != to.on_update {
                    what.push("on update".to_string());
                }
                write!(
                    f,
                    "change column {}: {}",
                    column(table, &to.name),
                    what.join(", ")
                )
            }
            RenameColumn { table, from, to } => {
                write!(f, "rename column {} to {to}", column(table, from))
            }
            AddPrimaryKey { table, .. } => write!(f, "add primary key of {table}"),
            DropPrimaryKey { table, .. } => write!(f, "drop primary key of {table}"),
            AddUnique { table, unique } => write!(
                f,
                "add unique constraint {}on {table} ({})",
                named(&unique.name),
                unique.columns.join(", ")
            ),
            DropUnique { table, unique } => write!(
                f,
                "drop unique constraint {}on {table}",
                named(&unique.name)
            ),
            AddForeignKey { table, key } => write!(
                f,
                "add foreign key {}on {table} ({}) -> {}",
                named(&key.name),
                key.columns.join(", "),
                key.referenced_table
            ),
            DropForeignKey { table, key } => {
                write!(f, "drop foreign key {}on {table}", named(&key.name))
            }
            AddCheck { table, check } => write!(
                f,
                "add check constraint {}on {table}: {}",
                named(&check.name),
                check.expression
            ),
            DropCheck { table, check } => {
                write!(f, "drop check constraint {}on {table}", named(&check.name))
            }
            AddExclusion { table, exclusion } => {
                write!(f, "add exclusion constraint {} on {table}", exclusion.name)
            }
            DropExclusion { table, exclusion } => {
                write!(f, "drop exclusion constraint {} on {table}", exclusion.name)
            }
            RenameConstraint { table, from, to } => {
                write!(f, "rename constraint {from} on {table} to {to}")
            }
            CreateIndex { table, index } => write!(
                f,
                "add {}index {} on {table}",
                if index.unique { "unique " } else { "" },
                index.name
            ),
            DropIndex { table, index } => write!(f, "drop index {} on {table}", index.name),
            RenameIndex { table, from, to } => {
                write!(f, "rename index {from} on {table} to {to}")
            }
            CreateTrigger { table, trigger } => {
                write!(f, "add trigger {} on {table}", trigger.name)
            }
            DropTrigger { table, trigger } => {
                write!(f, "drop trigger {} on {table}", trigger.name)
            }
            CreateView(v) => write!(f, "add view {}", v.name),
            DropView(v) => write!(f, "drop view {}", v.name),
        }
    }
}

/// `name ` for a named constraint, nothing for an unnamed one.
fn named(name: &Option<String>) -> String {
    name.as_ref().map(|n| format!("{n} ")).unwrap_or_default()
}
