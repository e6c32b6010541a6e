//! Splitting the SQL of a revision-file section into the statements to execute, per
//! dialect, with sqlparser's tokenizer (PRODUCT.md §2).
//!
//! Owns the splitting rules: statements end at a `;` outside quotes (single, double,
//! backtick, bracket, PostgreSQL dollar quotes, `E'…'`), comments and the `BEGIN … END`
//! bodies of triggers, procedures, functions and events; the MySQL client's
//! `DELIMITER` command; the line each statement starts on. Pure: no I/O, no database,
//! no parsing beyond tokens. It never loses text: when the tokenizer cannot read the
//! rest of a section (an unterminated quote, say), that rest becomes one statement,
//! exactly as written, so the database reports the real error. It also lends its
//! tokenizer to readers of server-printed SQL (`name_tokens`, `words`: the names in
//! a view definition).
//!
//! What it must not do: decide whether a statement is valid SQL, or rewrite one.

mod lexer;
mod split;

use crate::config::Dialect;

/// One statement of a revision-file section, ready to execute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement text without its terminating `;` (or custom delimiter), trimmed;
    /// leading comments and blank lines before its first token are NOT part of it;
    /// comments inside it are kept verbatim.
    pub sql: String,
    /// 1-based line, within the input text, of the statement's first token.
    pub line: usize,
}

impl Statement {
    /// Whether the statement only changes rows (`INSERT`, `UPDATE`, `DELETE`,
    /// `REPLACE`, or a `WITH …` form of them), judged by its first word: such a
    /// statement can commit in one transaction with a record of its progress. Any
    /// other statement may commit by itself (MySQL's DDL) or refuse a transaction
    /// (`CREATE INDEX CONCURRENTLY`), so it is not.
    pub fn changes_rows_only(&self) -> bool {
        let words = self.leading_words(1);
        ["INSERT", "UPDATE", "DELETE", "REPLACE", "WITH"]
            .iter()
            .any(|k| words.first().is_some_and(|w| w.eq_ignore_ascii_case(k)))
    }

    /// Whether the statement starts, ends or abandons a transaction (`BEGIN`,
    /// `START TRANSACTION`, `COMMIT`, `END`, `ROLLBACK`, `ABORT`): in a section that
    /// runs in aludel's transaction it would break the step's atomicity. `ROLLBACK
    /// TO SAVEPOINT` and MariaDB's `BEGIN NOT ATOMIC … END` block are not.
    pub fn controls_transaction(&self) -> bool {
        let words = self.leading_words(3);
        let is = |i: usize, k: &str| words.get(i).is_some_and(|w| w.eq_ignore_ascii_case(k));
        if is(0, "BEGIN") {
            return !is(1, "NOT");
        }
        if is(0, "ROLLBACK") {
            return !(is(1, "TO") || is(2, "TO"));
        }
        is(0, "COMMIT")
            || is(0, "END")
            || is(0, "ABORT")
            || (is(0, "START") && is(1, "TRANSACTION"))
    }

    /// Whether the statement is `COPY … FROM STDIN`, whose rows come from the client
    /// (psql's protocol), which aludel does not speak.
    pub fn is_copy_from_stdin(&self) -> bool {
        let upper = self.sql.to_ascii_uppercase();
        self.leading_words(1)
            .first()
            .is_some_and(|w| w.eq_ignore_ascii_case("COPY"))
            && upper
                .split_whitespace()
                .collect::<Vec<_>>()
                .windows(2)
                .any(|w| w[0] == "FROM" && (w[1] == "STDIN" || w[1].starts_with("STDIN;")))
    }

    /// The first `n` words of the statement (letters only), after any opening
    /// parentheses.
    fn leading_words(&self, n: usize) -> Vec<&str> {
        self.sql
            .trim_start_matches(|c: char| c == '(' || c.is_whitespace())
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty())
            .take(n)
            .collect()
    }
}

/// Splits a section's SQL into statements for the given dialect.
///
/// - Statements end at `;` tokens outside nesting; a `;` inside a string, quoted
///   identifier, dollar-quoted body or comment never splits. Empty statements are
///   dropped; a last statement without `;` is kept.
/// - A statement runs from its first token to its last one: comments before it and
///   after it (up to the `;`) are not part of it, comments inside it are. MySQL's
///   executable comments (`/*! … */`, `/*M! … */`) are code, not comments.
/// - Routines: in `CREATE [OR REPLACE] [DEFINER = …] [TEMP] TRIGGER | PROCEDURE |
///   FUNCTION | EVENT` statements (and MariaDB's `BEGIN NOT ATOMIC`), `BEGIN`/`CASE` …
///   `END` and, where a statement of the body starts, `IF`/`LOOP`/`WHILE`/`REPEAT` …
///   `END IF` (`END LOOP`, …) nest, and only a `;` outside them ends the statement.
///   `IF(…, …)` and `REPEAT(…)` written as functions do not nest, nor does a word
///   after a `.` (`NEW.end` is a column). SQLite triggers end at `; END ;`, which is
///   `sqlite3_complete()`'s rule (SQLite accepts `end` as a column name). Anywhere
///   else `BEGIN;`, `END;` and `CASE … END` are ordinary tokens.
/// - PostgreSQL: as in `psql`, a `;` inside parentheses does not split
///   (`CREATE RULE … DO ALSO (…; …)`).
/// - MySQL: a `DELIMITER xx` line at the start of a statement changes the terminator
///   until the next `DELIMITER ;` line, as in the `mysql` client; the delimiter then
///   ends a statement wherever it appears outside quotes and comments (also in
///   `END$$`), and nesting is not tracked. The `DELIMITER` lines are not statements.
/// - If the tokenizer cannot read the text from some point on, the statements before
///   that point are split as above and everything from the start of the statement in
///   progress (or from the unreadable text) to the end is one statement, as written.
///
/// Linear in the length of `text`.
pub fn split_statements(dialect: Dialect, text: &str) -> Vec<Statement> {
    split::split(dialect, text)
}

/// The delimiter the `mysql`/`mariadb` client needs around one statement: `None`
/// when `;` ends it, or, when it holds a `;` of its own outside quotes and comments
/// (a routine's `BEGIN … END` body), a delimiter that appears nowhere in its text,
/// for a script to switch to with the client's `DELIMITER` command. Unreadable text
/// (an unterminated quote) counts as holding one when it has a `;`.
pub fn mysql_client_delimiter(sql: &str) -> Option<String> {
    let mut inner = false;
    let unreadable_from = lexer::tokenize(Dialect::MySql, sql, |t| {
        inner |= t.kind == lexer::Kind::Semi;
    });
    inner |= unreadable_from.is_some_and(|from| sql[from..].contains(';'));
    if !inner {
        return None;
    }
    let delimiter = ["$$", "//", "@@"]
        .into_iter()
        .find(|d| !sql.contains(d))
        .map(str::to_string)
        .unwrap_or_else(|| {
            let mut longer = "$$$".to_string();
            while sql.contains(longer.as_str()) {
                longer.push('$');
            }
            longer
        });
    Some(delimiter)
}

/// A significant token of a text, as [`name_tokens`] sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NameToken {
    /// An unquoted word (keyword or identifier), or a quoted identifier
    /// (`"…"`, `` `…` ``, `[…]`) without its quotes, a doubled quote read as one.
    Name(String),
    /// `.`
    Period,
    /// Anything else: strings, numbers, operators, punctuation.
    Other,
}

/// The tokens of a text that are neither blanks nor comments, each with its byte
/// range, for finding the names it mentions (`db`.`table`, the tables a view
/// reads). Text the tokenizer cannot read (an unterminated quote) ends the list.
pub(crate) fn name_tokens(
    dialect: Dialect,
    text: &str,
) -> Vec<(NameToken, std::ops::Range<usize>)> {
    let mut tokens = Vec::new();
    lexer::tokenize(dialect, text, |t| {
        let piece = &text[t.start..t.end];
        let token = match t.kind {
            lexer::Kind::Word => NameToken::Name(piece.to_string()),
            lexer::Kind::Literal => match quoted_identifier(piece) {
                Some(name) => NameToken::Name(name),
                None => NameToken::Other,
            },
            lexer::Kind::Period => NameToken::Period,
            kind if !kind.is_significant() => return,
            _ => NameToken::Other,
        };
        tokens.push((token, t.start..t.end));
    });
    tokens
}

/// The names [`name_tokens`] finds, in order.
pub fn words(dialect: Dialect, text: &str) -> Vec<String> {
    name_tokens(dialect, text)
        .into_iter()
        .filter_map(|(t, _)| match t {
            NameToken::Name(name) => Some(name),
            _ => None,
        })
        .collect()
}

/// The name inside a quoted identifier token; `None` for a string.
fn quoted_identifier(piece: &str) -> Option<String> {
    let close = match piece.chars().next()? {
        '"' => '"',
        '`' => '`',
        '[' => ']',
        _ => return None,
    };
    if piece.len() < 2 || !piece.ends_with(close) {
        return None;
    }
    let doubled: String = [close, close].iter().collect();
    Some(piece[1..piece.len() - 1].replace(&doubled, &close.to_string()))
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
