//! Tables whose changes the database cannot make with `ALTER TABLE` (SQLite:
//! a type, nullability or default change, a key or constraint added or dropped)
//! are rebuilt: all the changes to such a table become one [`Step::Rebuild`]
//! from the table as it is to the desired table, which the dialect renders as
//! its table-rebuild recipe (new table, rows copied, old table dropped, new one
//! renamed, indexes and triggers re-created).
//!
//! Owns which tables are rebuilt and what a rebuild carries. Table renames stay
//! separate steps before the rebuild (a database's own rename keeps other
//! tables' foreign keys pointing at the table), and so do column renames where
//! the database can rename a column in place; where it cannot, they are folded
//! into the rebuild as `renamed_columns` (rows are copied from the old column to
//! the new one).

use std::collections::BTreeSet;

use super::{Capabilities, Step};
use crate::apply::apply;
use crate::change::Change;
use crate::model::{Column, QualifiedName, Schema};

/// Whether the database cannot make `change` in place.
pub(crate) fn needs_rebuild(change: &Change, caps: &Capabilities) -> bool {
    use Change::*;
    match change {
        AlterColumn { .. } => !caps.alter_column,
        RenameColumn { .. } => !caps.rename_column,
        DropColumn { .. } => !caps.drop_column,
        AddColumn { column, .. } => !can_add(column, caps),
        AddPrimaryKey { .. } | DropPrimaryKey { .. } => !caps.alter_primary_key,
        AddUnique { .. } | DropUnique { .. } => !caps.alter_unique,
        AddForeignKey { .. } | DropForeignKey { .. } => !caps.alter_foreign_key,
        AddCheck { .. } | DropCheck { .. } => !caps.alter_check,
        AlterTable { from, to } => from.options != to.options && !caps.alter_table_options,
        _ => false,
    }
}

fn can_add(column: &Column, caps: &Capabilities) -> bool {
    let default = column.default.as_deref().filter(|d| !is_null(d));
    let not_null_without_default =
        !column.nullable && default.is_none() && column.generated.is_none();
    let expression_default = default.is_some_and(|d| !is_literal(d));
    let stored = column.generated.as_ref().is_some_and(|g| g.stored);
    (caps.add_column_not_null || !not_null_without_default)
        && (caps.add_column_expression_default || !expression_default)
        && (caps.add_column_stored_generated || !stored)
}

/// The tables (existing on both sides) that at least one change forces to be
/// rebuilt.
pub(super) fn tables(changes: &[Change], caps: &Capabilities) -> BTreeSet<QualifiedName> {
    changes
        .iter()
        .filter(|c| needs_rebuild(c, caps))
        .filter_map(|c| c.table().cloned())
        .collect()
}

/// Replaces every change to a table in `rebuilt` by one rebuild of that table
/// (in name order), except the table's renames that the database makes in
/// place. `current` is the schema before any change.
pub(super) fn fold(
    changes: &mut Vec<Change>,
    rebuilt: &BTreeSet<QualifiedName>,
    current: &Schema,
    desired: &Schema,
    caps: &Capabilities,
) -> Vec<Step> {
    if rebuilt.is_empty() {
        return Vec::new();
    }
    let in_place = |c: &Change| match c {
        Change::RenameTable { .. } => true,
        Change::RenameColumn { .. } => caps.rename_column,
        _ => false,
    };
    // The state each rebuild starts from: the renames made in place, done.
    let mut before = current.clone();
    for change in changes.iter().filter(|c| in_place(c)) {
        // Renames from the diff apply to the schema they were found in.
        let _ = apply(&mut before, change);
    }
    let mut steps = Vec::new();
    for name in rebuilt {
        let (Some(from), Some(to)) = (before.table(name), desired.table(name)) else {
            continue;
        };
        let renamed_columns = changes
            .iter()
            .filter_map(|c| match c {
                Change::RenameColumn { table, from, to } if table == name && !in_place(c) => {
                    Some((from.clone(), to.clone()))
                }
                _ => None,
            })
            .collect();
        steps.push(Step::Rebuild {
            from: from.clone(),
            to: to.clone(),
            renamed_columns,
        });
    }
    changes.retain(|c| in_place(c) || !c.table().is_some_and(|t| rebuilt.contains(t)));
    steps
}

fn is_null(text: &str) -> bool {
    unparenthesised(text).eq_ignore_ascii_case("null")
}

/// A constant that needs no evaluation: a number, a quoted string, a blob
/// (`X'00'`), `TRUE`/`FALSE`/`NULL`, optionally signed and parenthesised. Not
/// `CURRENT_TIMESTAMP` nor any other expression (SQLite cannot add a column
/// with such a default).
pub fn is_literal(text: &str) -> bool {
    let text = unparenthesised(text);
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text).trim_start();
    let quoted = |s: &str| {
        s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'') && {
            let inner = &s[1..s.len() - 1];
            !inner.replace("''", "").contains('\'')
        }
    };
    let number = !unsigned.is_empty()
        && unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned.parse::<f64>().is_ok();
    let hex = unsigned
        .strip_prefix("0x")
        .or_else(|| unsigned.strip_prefix("0X"))
        .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()));
    let blob = text.len() > 1 && text[..1].eq_ignore_ascii_case("x") && quoted(&text[1..]);
    let keyword = ["true", "false", "null"]
        .iter()
        .any(|k| text.eq_ignore_ascii_case(k));
    number || hex || quoted(text) || blob || keyword
}

fn unparenthesised(mut text: &str) -> &str {
    loop {
        text = text.trim();
        match text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            Some(inner) => text = inner,
            None => return text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_literal;

    #[test]
    fn literals_are_constants_and_expressions_are_not() {
        for literal in [
            "0", "-1.5", "(42)", "'a''b'", "X'00ff'", "NULL", "true", "0x1F", "1e3",
        ] {
            assert!(is_literal(literal), "{literal}");
        }
        for expression in [
            "CURRENT_TIMESTAMP",
            "(datetime('now'))",
            "'a' || 'b'",
            "'a' 'b'",
            "random()",
            "",
            "1 + 1",
        ] {
            assert!(!is_literal(expression), "{expression}");
        }
    }
}
