//! The forms of `[autogenerate] schema`: where the desired schema comes from.
//!
//! This module owns reading one value (`schema.sql`, a folder, `sqlalchemy:MODULE:ATTR`,
//! `command:CMD`) into a [`SchemaSource`] and showing it again. It does not read
//! files or run anything (that is `autogen::desired`).

use std::fmt;
use std::path::{Path, PathBuf};

/// One source of the desired schema, in the order `schema` lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaSource {
    /// A `.sql` file or a folder of them (absolute).
    Sql(PathBuf),
    /// `sqlalchemy:MODULE:ATTR`: the metadata of a project's models, compiled to
    /// DDL by SQLAlchemy with the project's Python. `attr` may be dotted.
    SqlAlchemy { module: String, attr: String },
    /// `command:CMD`: a shell command whose standard output is the DDL.
    Command(String),
}

const SQLALCHEMY: &str = "sqlalchemy:";
const COMMAND: &str = "command:";

impl SchemaSource {
    /// Reads one value of `schema`; a path is relative to `base_dir` (the folder of
    /// aludel.toml). The error says what is wrong and the form expected.
    pub fn parse(text: &str, base_dir: &Path) -> Result<SchemaSource, String> {
        if let Some(rest) = text.strip_prefix(SQLALCHEMY) {
            let expected = "write sqlalchemy:MODULE:ATTR, e.g. \"sqlalchemy:app.models:Base\" \
                            (ATTR is a declarative base, a SQLModel class or a MetaData)";
            let Some((module, attr)) = rest.split_once(':') else {
                return Err(format!("'{text}' names no ATTR: {expected}"));
            };
            let dotted = |s: &str| {
                !s.is_empty()
                    && s.split('.').all(|part| {
                        !part.is_empty()
                            && !part.starts_with(|c: char| c.is_ascii_digit())
                            && part.chars().all(|c| c == '_' || c.is_alphanumeric())
                    })
            };
            if !dotted(module) || !dotted(attr) {
                return Err(format!(
                    "'{text}' is not a Python module and attribute: {expected}"
                ));
            }
            return Ok(SchemaSource::SqlAlchemy {
                module: module.to_string(),
                attr: attr.to_string(),
            });
        }
        if let Some(command) = text.strip_prefix(COMMAND) {
            if command.trim().is_empty() {
                return Err(format!(
                    "'{text}' names no command: write command:CMD, e.g. \"command:cat schema.sql\""
                ));
            }
            return Ok(SchemaSource::Command(command.trim().to_string()));
        }
        if text.trim().is_empty() {
            return Err(
                "an empty value names no schema: write a .sql file or folder, \
                 \"sqlalchemy:MODULE:ATTR\" or \"command:CMD\""
                    .to_string(),
            );
        }
        Ok(SchemaSource::Sql(super::normalize(&base_dir.join(text))))
    }
}

impl fmt::Display for SchemaSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaSource::Sql(path) => write!(f, "{}", path.display()),
            SchemaSource::SqlAlchemy { module, attr } => write!(f, "{SQLALCHEMY}{module}:{attr}"),
            SchemaSource::Command(command) => write!(f, "{COMMAND}{command}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_is_read_and_shown_as_written() {
        let base = Path::new("/p");
        let parse = |t: &str| SchemaSource::parse(t, base);
        assert_eq!(
            parse("db/schema.sql"),
            Ok(SchemaSource::Sql(PathBuf::from("/p/db/schema.sql")))
        );
        assert_eq!(
            parse("sqlalchemy:app.models:Base"),
            Ok(SchemaSource::SqlAlchemy {
                module: "app.models".into(),
                attr: "Base".into()
            })
        );
        assert_eq!(
            parse("sqlalchemy:app:db.Model").unwrap().to_string(),
            "sqlalchemy:app:db.Model"
        );
        assert_eq!(
            parse("command: cat schema.sql").unwrap().to_string(),
            "command:cat schema.sql"
        );
    }

    #[test]
    fn a_malformed_value_says_the_form_expected() {
        let base = Path::new("/p");
        let err = |t: &str| SchemaSource::parse(t, base).unwrap_err();
        assert_eq!(
            err("sqlalchemy:app.models"),
            "'sqlalchemy:app.models' names no ATTR: write sqlalchemy:MODULE:ATTR, e.g. \
             \"sqlalchemy:app.models:Base\" (ATTR is a declarative base, a SQLModel class or a MetaData)"
        );
        assert!(err("sqlalchemy:app.models:").contains("is not a Python module and attribute"));
        assert!(err("sqlalchemy:app/models.py:Base").contains("is not a Python module"));
        assert_eq!(
            err("command:  "),
            "'command:  ' names no command: write command:CMD, e.g. \"command:cat schema.sql\""
        );
        assert!(err("").starts_with("an empty value names no schema"));
    }
}
