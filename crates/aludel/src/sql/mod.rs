//! Interim statement splitter (semicolons at line ends); replaced by the tokenizer-based
//! splitter from the `sql` branch.

use crate::config::Dialect;

/// One statement of a revision-file section, ready to execute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sql: String,
    pub line: usize,
}

/// Splits a section's SQL into statements for the given dialect.
pub fn split_statements(_dialect: Dialect, text: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if current.trim().is_empty() && (trimmed.is_empty() || trimmed.starts_with("--")) {
            continue;
        }
        if current.trim().is_empty() {
            start = i + 1;
        }
        current.push_str(line);
        current.push('\n');
        if trimmed.ends_with(';') {
            let sql = current.trim().trim_end_matches(';').trim().to_string();
            if !sql.is_empty() {
                out.push(Statement { sql, line: start });
            }
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(Statement {
            sql: current.trim().to_string(),
            line: start,
        });
    }
    out
}
