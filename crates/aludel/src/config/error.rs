//! The errors of configuration loading: `Display` says what is wrong and where (file,
//! table, key); [`ConfigError::hint`] says what to do (the CLI prints it on its own
//! `hint:` line).
//!
//! This module only defines and formats errors. It must never format a secret: URLs
//! arrive here already masked (see `config::url`), and `.env` lines and variable
//! values are never quoted.

use std::path::PathBuf;

use thiserror::Error;

use crate::error::ErrorFields;

use super::env::ExpandError;
use super::url::UrlError;

/// An error while finding, reading or interpreting `aludel.toml`, `.env` or the
/// database URL.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot determine the working directory: {source}")]
    CurrentDir {
        #[source]
        source: std::io::Error,
    },

    #[error("No config file '{}' found", .path.display())]
    NotFound { path: PathBuf },

    #[error("cannot read config file '{}': {source}", .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{}:{line}:{column}: invalid TOML: {message}", .path.display())]
    Toml {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("No config file '{}' found, or file has no '[{name}]' section", .path.display())]
    MissingSection {
        path: PathBuf,
        name: String,
        available: Vec<String>,
    },

    #[error("'{name}' cannot be used with -n: [{name}] is a shared table, not a database")]
    ReservedName { name: String },

    #[error("No 'script_location' key found in configuration. (file '{}', table [{table}])", .path.display())]
    MissingScriptLocation { path: PathBuf, table: String },

    #[error("{}: unknown key '{key}' in {table}{}", .path.display(), suggestion_text(.suggestion))]
    UnknownKey {
        path: PathBuf,
        /// `[aludel]`, `[aludel.autogenerate]` or `the file's top level`.
        table: String,
        key: String,
        suggestion: Option<String>,
        known: Vec<String>,
    },

    #[error("{}: key '{key}' in {table} must be {expected}, found {found}", .path.display())]
    WrongType {
        path: PathBuf,
        table: String,
        key: String,
        expected: &'static str,
        found: &'static str,
    },

    #[error("{}: key '{key}' in {table}: {reason}", .path.display())]
    InvalidValue {
        path: PathBuf,
        table: String,
        key: String,
        reason: String,
    },

    /// A value aludel cannot use on the database it talks to (known once the
    /// dialect is: a table name the database would refuse, say).
    #[error("{}: key '{key}' in {table}: {reason}", .path.display())]
    Unusable {
        path: PathBuf,
        table: String,
        key: &'static str,
        reason: String,
        hint: String,
    },

    #[error("{}: key '{key}' in {table}: {source}", .path.display())]
    Expand {
        path: PathBuf,
        table: String,
        key: String,
        #[source]
        source: ExpandError,
    },

    #[error("cannot read '{}': {source}", .path.display())]
    DotenvRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{}:{line}: malformed .env file: {reason}", .path.display())]
    DotenvParse {
        path: PathBuf,
        line: usize,
        reason: String,
    },

    #[error("-x '{arg}' has an empty key")]
    InvalidXArg { arg: String },

    /// `env_url_ignored`: `DATABASE_URL` is set, but `table` is not `[aludel]`.
    #[error("no database URL is configured for [{table}] in '{}'{}", .path.display(), env_url_ignored_text(*.env_url_ignored))]
    NoDatabaseUrl {
        path: PathBuf,
        table: String,
        env_url_ignored: bool,
    },

    /// `origin` is `--url`, `DATABASE_URL` or `database_url in <file>`.
    #[error("invalid database URL from {origin}: {source}")]
    InvalidUrl {
        origin: String,
        #[source]
        source: UrlError,
    },
}

impl ConfigError {
    /// What to do about the error, for the CLI's `hint:` line.
    pub fn hint(&self) -> Option<String> {
        match self {
            ConfigError::CurrentDir { .. } => None,
            ConfigError::NotFound { .. } => {
                Some("run 'aludel init' to create a project, or pass -c FILE (without -c, aludel.toml is looked for in the working directory and its parents)".to_string())
            }
            ConfigError::Read { .. } => {
                Some("check that the file is readable by this user".to_string())
            }
            ConfigError::Toml { .. } => Some(
                "fix the TOML syntax at that position (strings need double quotes, tables are [name])"
                    .to_string(),
            ),
            ConfigError::MissingSection { available, .. } => Some(section_hint(available)),
            ConfigError::ReservedName { .. } => {
                Some("pass -n with the name of a database table".to_string())
            }
            ConfigError::MissingScriptLocation { table, .. } => Some(format!(
                "add script_location = \"migrations\" to [{table}]"
            )),
            ConfigError::UnknownKey {
                suggestion: None,
                known,
                ..
            } if known.is_empty() => Some(
                "only tables belong at the top level: put keys inside a table such as [aludel]"
                    .to_string(),
            ),
            ConfigError::UnknownKey {
                suggestion, known, ..
            } => Some(unknown_key_hint(suggestion, known)),
            ConfigError::WrongType { key, expected, .. } => {
                Some(format!("give '{key}' {expected}"))
            }
            ConfigError::InvalidValue { .. } => None,
            ConfigError::Unusable { hint, .. } => Some(hint.clone()),
            ConfigError::Expand { source, .. } => Some(source.hint().to_string()),
            ConfigError::DotenvRead { .. } => {
                Some("check that the .env file is readable by this user".to_string())
            }
            ConfigError::DotenvParse { .. } => Some(
                "lines must look like NAME=value; quote values containing spaces or '#', and close every quote"
                    .to_string(),
            ),
            ConfigError::InvalidXArg { .. } => Some("write -x key=value".to_string()),
            ConfigError::NoDatabaseUrl { table, path, .. } => {
                Some(no_database_url_hint(table, path))
            }
            ConfigError::InvalidUrl { source, .. } => source.hint(),
        }
    }
}

/// `[aludel]` may take its URL from `DATABASE_URL`; any other table needs its own
/// `database_url`, conventionally from a variable named after the table.
fn no_database_url_hint(table: &str, path: &std::path::Path) -> String {
    if table == super::DEFAULT_NAME {
        return format!(
            "pass --url URL, set DATABASE_URL, or add database_url = \"...\" to [{table}] in '{}'",
            path.display()
        );
    }
    let variable: String = table
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "add database_url = \"${{{variable}_DATABASE_URL}}\" to [{table}] in '{}' and set {variable}_DATABASE_URL, or pass --url URL",
        path.display()
    )
}

fn env_url_ignored_text(ignored: bool) -> &'static str {
    if ignored {
        ": it has no database_url, and DATABASE_URL applies only to [aludel]"
    } else {
        ""
    }
}

impl ConfigError {
    /// The stable name of this error and its fields, for programs
    /// (docs/json-output.md).
    pub fn fields(&self) -> ErrorFields {
        let file = |kind, path: &PathBuf| ErrorFields::new(kind).at(Some(path), None);
        // Some messages name the table `[aludel]`: the field holds its name.
        let keyed = |kind, path: &PathBuf, table: &str, key: &str| ErrorFields {
            table: Some(
                table
                    .strip_prefix('[')
                    .and_then(|t| t.strip_suffix(']'))
                    .unwrap_or(table)
                    .to_string(),
            ),
            key: Some(key.to_string()),
            ..file(kind, path)
        };
        match self {
            ConfigError::CurrentDir { .. } => ErrorFields::new("working_directory_unreadable"),
            ConfigError::NotFound { path } => file("config_not_found", path),
            ConfigError::Read { path, .. } => file("config_unreadable", path),
            ConfigError::Toml {
                path, line, column, ..
            } => ErrorFields {
                column: Some(*column),
                ..ErrorFields::new("config_syntax").at(Some(path), Some(*line))
            },
            ConfigError::MissingSection { path, name, .. } => ErrorFields {
                table: Some(name.clone()),
                ..file("config_missing_table", path)
            },
            ConfigError::ReservedName { name } => ErrorFields {
                table: Some(name.clone()),
                ..ErrorFields::new("config_reserved_name")
            },
            ConfigError::MissingScriptLocation { path, table } => {
                keyed("config_missing_key", path, table, "script_location")
            }
            ConfigError::UnknownKey {
                path, table, key, ..
            } => keyed("config_unknown_key", path, table, key),
            ConfigError::WrongType {
                path, table, key, ..
            } => keyed("config_wrong_type", path, table, key),
            ConfigError::InvalidValue {
                path, table, key, ..
            } => keyed("config_invalid_value", path, table, key),
            ConfigError::Unusable {
                path, table, key, ..
            } => keyed("config_unusable_value", path, table, key),
            ConfigError::Expand {
                path, table, key, ..
            } => keyed("config_undefined_variable", path, table, key),
            ConfigError::DotenvRead { path, .. } => file("dotenv_unreadable", path),
            ConfigError::DotenvParse { path, line, .. } => {
                ErrorFields::new("dotenv_syntax").at(Some(path), Some(*line))
            }
            ConfigError::InvalidXArg { .. } => ErrorFields::new("invalid_x_argument"),
            ConfigError::NoDatabaseUrl { path, table, .. } => ErrorFields {
                table: Some(table.clone()),
                ..file("no_database_url", path)
            },
            ConfigError::InvalidUrl { .. } => ErrorFields::new("invalid_database_url"),
        }
    }
}

fn section_hint(available: &[String]) -> String {
    if available.is_empty() {
        "the file has no database tables; add one such as [aludel] with script_location = \"migrations\"".to_string()
    } else {
        format!(
            "the file has these database tables: {}; choose one with -n NAME",
            available.join(", ")
        )
    }
}

fn suggestion_text(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!("; did you mean '{s}'?"),
        None => String::new(),
    }
}

fn unknown_key_hint(suggestion: &Option<String>, known: &[String]) -> String {
    match suggestion {
        Some(s) => format!("rename it to '{s}', or remove it"),
        None => format!("remove it; known keys are: {}", known.join(", ")),
    }
}
