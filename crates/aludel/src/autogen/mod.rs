//! Autogenerate's work with databases (docs/design/autogenerate.md): the desired
//! schema loaded into a shadow database and described, the current schema read
//! from the target, and the verification of a generated migration on a shadow
//! copy. The comparison itself is pure (`aludel_schema`); the SQL comes from
//! `dialect::render`. Nothing here formats for a terminal.

pub mod desired;
mod error;
mod generate;

pub use error::AutogenError;

pub use generate::{
    autogenerate, check, render_plan, AutogenOptions, Generated, NoQuestions, RenameQuestions,
};

/// Adds a `--rename` hint to `renames`: `old=new` renames a table (`schema.old`
/// for another schema), `table.old=table.new` a column (the same table on both
/// sides, which is how a column rename is told from a table rename).
pub fn add_rename(renames: &mut aludel_schema::Renames, hint: &str) -> Result<(), AutogenError> {
    use aludel_schema::model::QualifiedName;
    let invalid = || AutogenError::InvalidRenameHint(hint.to_string());
    let (from, to) = hint.split_once('=').ok_or_else(invalid)?;
    let (from, to) = (from.trim(), to.trim());
    if from.is_empty() || to.is_empty() {
        return Err(invalid());
    }
    let name = |text: &str| match text.split_once('.') {
        Some((schema, name)) => QualifiedName::in_schema(schema, name),
        None => QualifiedName::local(text),
    };
    match (from.rsplit_once('.'), to.rsplit_once('.')) {
        (Some((table, old)), Some((same, new))) if table == same => {
            if old.is_empty() || new.is_empty() {
                return Err(invalid());
            }
            renames.column(name(table), old, new);
        }
        _ => {
            renames.table(name(from), name(to));
        }
    }
    Ok(())
}

/// Which part of the verification on a shadow copy failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyStage {
    /// The generated upgrade.
    Upgrade,
    /// The generated downgrade.
    Downgrade,
}

impl VerifyStage {
    pub fn as_str(self) -> &'static str {
        match self {
            VerifyStage::Upgrade => "upgrade",
            VerifyStage::Downgrade => "downgrade",
        }
    }
}
