//! The environment aludel reads: process variables overlaid on a `.env` file, and the
//! `${VAR}` expansion used in `aludel.toml`.
//!
//! This module owns reading `.env` (process variables win; a missing file is fine; a
//! malformed one is an error naming the file and line) and the expansion grammar. It
//! must not modify the process environment, and it must never put a variable's value
//! in an error or in `Debug` output (values are often secrets).

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use thiserror::Error;

use super::ConfigError;

/// A snapshot of the variables aludel may read.
#[derive(Clone, Default)]
pub struct Environment {
    vars: HashMap<String, String>,
}

/// Why `${...}` expansion failed. The caller adds the key and file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExpandError {
    #[error("environment variable '{name}' is not set")]
    Undefined { name: String },

    #[error("'${{' at character {position} is not closed by '}}'")]
    Unterminated { position: usize },

    #[error("'${{{name}}}' does not name an environment variable")]
    InvalidName { name: String },
}

impl ExpandError {
    /// What to do about the error.
    pub fn hint(&self) -> &'static str {
        match self {
            ExpandError::Undefined { .. } => {
                "set it in the environment or in .env, or write $$ for a literal $"
            }
            ExpandError::Unterminated { .. } => "write ${NAME}, or $$ for a literal $",
            ExpandError::InvalidName { .. } => {
                "names are letters, digits and '_', not starting with a digit; write $$ for a literal $"
            }
        }
    }
}

impl Environment {
    /// The process environment overlaid on `<cwd>/.env`. Process variables win.
    /// Variables whose name or value is not valid Unicode are ignored.
    pub fn from_process(cwd: &Path) -> Result<Self, ConfigError> {
        let mut vars = read_dotenv(&cwd.join(".env"))?;
        for (name, value) in std::env::vars_os() {
            if let (Ok(name), Ok(value)) = (name.into_string(), value.into_string()) {
                vars.insert(name, value);
            }
        }
        Ok(Environment { vars })
    }

    /// An environment holding exactly these variables (for tests and embedding).
    pub fn from_map(vars: HashMap<String, String>) -> Self {
        Environment { vars }
    }

    /// The value of a variable, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Expands `${NAME}` in `text`. `$$` is a literal `$`; a `$` followed by anything
    /// else is kept as written. `${NAME:-default}` gives `default` when `NAME` is unset
    /// or empty. A variable that is set to the empty string expands to nothing.
    pub fn expand(&self, text: &str) -> Result<String, ExpandError> {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        let mut offset = 0;
        while let Some(dollar) = rest.find('$') {
            out.push_str(&rest[..dollar]);
            let after = &rest[dollar + 1..];
            if let Some(tail) = after.strip_prefix('$') {
                out.push('$');
                offset += dollar + 2;
                rest = tail;
            } else if let Some(inner) = after.strip_prefix('{') {
                let close = inner.find('}').ok_or(ExpandError::Unterminated {
                    position: text[..offset + dollar].chars().count() + 1,
                })?;
                let body = &inner[..close];
                let (name, default) = match body.split_once(":-") {
                    Some((name, default)) => (name, Some(default)),
                    None => (body, None),
                };
                if !is_var_name(name) {
                    return Err(ExpandError::InvalidName {
                        name: name.to_string(),
                    });
                }
                match (self.get(name), default) {
                    (Some(""), Some(d)) => out.push_str(d),
                    (Some(v), _) => out.push_str(v),
                    (None, Some(d)) => out.push_str(d),
                    (None, None) => {
                        return Err(ExpandError::Undefined {
                            name: name.to_string(),
                        })
                    }
                }
                let consumed = dollar + 2 + close + 1;
                offset += consumed;
                rest = &rest[consumed..];
            } else {
                out.push('$');
                offset += dollar + 1;
                rest = after;
            }
        }
        out.push_str(rest);
        Ok(out)
    }
}

impl fmt::Debug for Environment {
    /// Names only: values are often secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&str> = self.vars.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("Environment")
            .field("names", &names)
            .finish()
    }
}

fn is_var_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads a `.env` file; a missing file is an empty map.
fn read_dotenv(path: &Path) -> Result<HashMap<String, String>, ConfigError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(source) => {
            return Err(ConfigError::DotenvRead {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let text = String::from_utf8(bytes).map_err(|e| ConfigError::DotenvParse {
        path: path.to_path_buf(),
        line: 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count(),
        reason: "the line is not valid UTF-8".to_string(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut vars = HashMap::new();
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            // As in dotenvy's own loader, the first definition of a name wins.
            Ok((name, value)) => {
                vars.entry(name).or_insert(value);
            }
            Err(dotenvy::Error::LineParse(line, index)) => {
                let line_no = line_number_of(text, &line);
                let column = line.get(..index).map_or(index, |s| {
                    s.rsplit('\n').next().map_or(0, |l| l.chars().count())
                }) + 1;
                return Err(ConfigError::DotenvParse {
                    path: path.to_path_buf(),
                    line: line_no,
                    reason: format!("cannot parse the line at column {column}"),
                });
            }
            Err(dotenvy::Error::Io(source)) => {
                return Err(ConfigError::DotenvRead {
                    path: path.to_path_buf(),
                    source,
                })
            }
            Err(_) => {
                return Err(ConfigError::DotenvParse {
                    path: path.to_path_buf(),
                    line: 0,
                    reason: "cannot read a variable substitution".to_string(),
                })
            }
        }
    }
    Ok(vars)
}

/// The 1-based line where `logical_line` (a line, or several for a quoted multi-line
/// value, as dotenvy reports it) starts in `text`.
fn line_number_of(text: &str, logical_line: &str) -> usize {
    let needle = logical_line.trim_end_matches(['\n', '\r']);
    let start = if needle.is_empty() {
        None
    } else {
        text.find(needle)
    };
    match start {
        Some(pos) => 1 + text[..pos].matches('\n').count(),
        // Not found verbatim (should not happen): report the last line.
        None => text.lines().count().max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Environment {
        Environment::from_map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn expansion() {
        let e = env(&[("A", "1"), ("EMPTY", ""), ("URL", "postgres://u:p@h/d")]);
        assert_eq!(e.expand("plain").unwrap(), "plain");
        assert_eq!(e.expand("${A}").unwrap(), "1");
        assert_eq!(e.expand("x${A}y${A}z").unwrap(), "x1y1z");
        assert_eq!(
            e.expand("${URL}?sslmode=require").unwrap(),
            "postgres://u:p@h/d?sslmode=require"
        );
        assert_eq!(e.expand("$$").unwrap(), "$");
        assert_eq!(e.expand("$${A}").unwrap(), "${A}");
        assert_eq!(e.expand("$$$${A}").unwrap(), "$${A}");
        assert_eq!(e.expand("pa$word $HOME $").unwrap(), "pa$word $HOME $");
        assert_eq!(e.expand("[${EMPTY}]").unwrap(), "[]");
        assert_eq!(
            e.expand("${MISSING:-sqlite://app.db}").unwrap(),
            "sqlite://app.db"
        );
        assert_eq!(e.expand("${EMPTY:-d}").unwrap(), "d");
        assert_eq!(e.expand("${A:-d}").unwrap(), "1");
        assert_eq!(e.expand("é${A}é").unwrap(), "é1é");
    }

    #[test]
    fn expansion_errors() {
        let e = env(&[("SECRET", "hunter2")]);
        assert_eq!(
            e.expand("${NOPE}").unwrap_err(),
            ExpandError::Undefined {
                name: "NOPE".into()
            }
        );
        assert_eq!(
            e.expand("${NOPE}").unwrap_err().to_string(),
            "environment variable 'NOPE' is not set"
        );
        assert_eq!(
            e.expand("ab${SECRET").unwrap_err(),
            ExpandError::Unterminated { position: 3 }
        );
        assert!(matches!(
            e.expand("${}").unwrap_err(),
            ExpandError::InvalidName { .. }
        ));
        assert!(matches!(
            e.expand("${1A}").unwrap_err(),
            ExpandError::InvalidName { .. }
        ));
        assert!(matches!(
            e.expand("${A B}").unwrap_err(),
            ExpandError::InvalidName { .. }
        ));
    }

    #[test]
    fn dotenv_overlay_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        // Missing .env is fine.
        let e = Environment::from_process(dir.path()).unwrap();
        assert!(e.get("ALUDEL_TEST_DOTENV_ONLY").is_none());

        std::fs::write(
            dir.path().join(".env"),
            "\u{feff}# comment\nALUDEL_TEST_DOTENV_ONLY=from-dotenv\nexport ALUDEL_TEST_QUOTED=\"a b\"\nPATH=/not/the/path\n",
        )
        .unwrap();
        let e = Environment::from_process(dir.path()).unwrap();
        assert_eq!(e.get("ALUDEL_TEST_DOTENV_ONLY"), Some("from-dotenv"));
        assert_eq!(e.get("ALUDEL_TEST_QUOTED"), Some("a b"));
        // Process variables win over .env.
        if let Ok(path) = std::env::var("PATH") {
            assert_eq!(e.get("PATH"), Some(path.as_str()));
        }
        assert!(!format!("{e:?}").contains("from-dotenv"));

        std::fs::write(
            dir.path().join(".env"),
            "A=1\n# fine\nB=2\nthis line is wrong secret=hunter2\nC=3\n",
        )
        .unwrap();
        let err = Environment::from_process(dir.path()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains(".env:4:"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");

        std::fs::write(dir.path().join(".env"), "A=1\nB=\"unclosed\nC=3\n").unwrap();
        let text = Environment::from_process(dir.path())
            .unwrap_err()
            .to_string();
        assert!(text.contains(".env:2:"), "{text}");

        std::fs::write(dir.path().join(".env"), b"A=1\nB=\xff\n").unwrap();
        let text = Environment::from_process(dir.path())
            .unwrap_err()
            .to_string();
        assert!(text.contains(".env:2:"), "{text}");
    }
}
