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
