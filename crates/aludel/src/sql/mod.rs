//! Splits the SQL of a revision-file section into statements, per dialect, with
//! sqlparser's tokenizer: a `;` inside a string, a quoted identifier, a comment, a
//! dollar-quoted body or the `BEGIN … END` body of a trigger, procedure, function or
//! event does not end a statement. MySQL's client `DELIMITER` command is honoured.
//!
//! Text the tokenizer cannot read (an unterminated string, say) is not lost: the
//! statements before it are split normally and the rest is one statement, exactly as
//! written, so the database reports the real error. Pure; never fails.

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use sqlparser::dialect::{
    Dialect as ParserDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect,
};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer};

use crate::config::Dialect;

/// One statement of a revision-file section, ready to execute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement as written, trimmed, without its terminator and without the
    /// comments before its first token.
    pub sql: String,
    /// 1-based line of the statement's first token in the text given.
    pub line: usize,
}

/// Splits a section's SQL into statements for the given dialect.
pub fn split_statements(dialect: Dialect, text: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    if dialect == Dialect::MySql {
        for segment in delimiter_segments(text) {
            let start = out.len();
            if segment.delimiter == ";" {
                split_tokens(&MySqlDialect {}, segment.text, &mut out);
            } else {
                split_on_delimiter(segment.text, segment.delimiter, &mut out);
            }
            for s in &mut out[start..] {
                s.line += segment.first_line - 1;
            }
        }
    } else if dialect == Dialect::Postgres {
        split_tokens(&PostgreSqlDialect {}, text, &mut out);
    } else {
        split_tokens(&SQLiteDialect {}, text, &mut out);
    }
    out
}

/// A piece of text between MySQL `DELIMITER` lines.
struct Segment<'a> {
    text: &'a str,
    delimiter: &'a str,
    /// 1-based line of the segment's first line in the whole text.
    first_line: usize,
}

/// Cuts the text at `DELIMITER x` lines (which are not statements themselves).
fn delimiter_segments(text: &str) -> Vec<Segment<'_>> {
    let mut segments = Vec::new();
    let mut delimiter = ";";
    let mut seg_start = 0;
    let mut seg_line = 1;
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        let mut words = trimmed.split_whitespace();
        let is_delimiter = words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("delimiter"));
        if is_delimiter {
            if let (Some(new), None) = (words.next(), words.next()) {
                segments.push(Segment {
                    text: &text[seg_start..offset],
                    delimiter,
                    first_line: seg_line,
                });
                delimiter = new;
                seg_start = offset + line.len();
                seg_line = i + 2;
            }
        }
        offset += line.len();
    }
    segments.push(Segment {
        text: &text[seg_start..],
        delimiter,
        first_line: seg_line,
    });
    segments
}

/// Splits at a custom delimiter (after `DELIMITER $$`): the body between two
/// delimiters is one statement, as the mysql client sends it.
fn split_on_delimiter(text: &str, delimiter: &str, out: &mut Vec<Statement>) {
    let mut rest = text;
    let mut consumed = 0;
    while !rest.is_empty() {
        let (piece, next) = match rest.find(delimiter) {
            Some(i) => (&rest[..i], i + delimiter.len()),
            None => (rest, rest.len()),
        };
        push_piece(text, consumed, piece, out);
        consumed += next;
        rest = &rest[next..];
    }
}

/// Adds `piece` (found at byte `at` of `text`) without leading comments and blanks.
fn push_piece(text: &str, at: usize, piece: &str, out: &mut Vec<Statement>) {
    let skip = leading_noise(piece);
    let sql = piece[skip..].trim();
    if !sql.is_empty() {
        out.push(Statement {
            sql: sql.to_string(),
            line: line_of(text, at + skip),
        });
    }
}

/// Bytes of whitespace and `--`/`#`/`/* */` comments at the start of a piece.
fn leading_noise(piece: &str) -> usize {
    let mut i = 0;
    let bytes = piece.as_bytes();
    loop {
        while i < bytes.len() && (bytes[i] as char).is_ascii_whitespace() {
            i += 1;
        }
        if piece[i..].starts_with("--") || piece[i..].starts_with('#') {
            i += piece[i..].find('\n').map_or(piece.len() - i, |n| n + 1);
        } else if piece[i..].starts_with("/*") {
            i += piece[i..].find("*/").map_or(piece.len() - i, |n| n + 2);
        } else {
            return i;
        }
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    1 + text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Byte offsets of line starts, to turn tokenizer locations into offsets.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The byte offset of a (1-based line, 1-based char column) location.
    fn offset(&self, loc: Location) -> usize {
        let line = (loc.line.max(1) as usize - 1).min(self.starts.len() - 1);
        let start = self.starts[line];
        let col = loc.column.max(1) as usize - 1;
        self.text[start..]
            .char_indices()
            .nth(col)
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    fn line_start(&self, line: usize) -> usize {
        self.starts[(line.max(1) - 1).min(self.starts.len() - 1)]
    }
}

fn tokenize(dialect: &dyn ParserDialect, text: &str) -> Result<Vec<TokenWithSpan>, Location> {
    Tokenizer::new(dialect, text)
        .tokenize_with_location()
        .map_err(|e| e.location)
}

/// Splits with the tokenizer; on a tokenizer error, splits the longest readable
/// prefix and keeps the rest (from the statement the error is in) as one statement.
fn split_tokens(dialect: &dyn ParserDialect, text: &str, out: &mut Vec<Statement>) {
    let index = LineIndex::new(text);
    let mut end = text.len();
    for _ in 0..64 {
        match tokenize(dialect, &text[..end]) {
            Ok(tokens) => {
                let rest = split_token_stream(&tokens, &index, text, out);
                // The statement still open where the prefix ends, and everything after it.
                let from = rest.unwrap_or(end);
                if from < text.len() {
                    push_piece(text, from, &text[from..], out);
                }
                return;
            }
            Err(loc) => {
                // Retry with the text before the error's line (or one line less).
                let mut cut = index.line_start(loc.line.max(1) as usize);
                if cut >= end {
                    cut = index.line_start(line_of(text, end.saturating_sub(1)).saturating_sub(1));
                }
                if cut >= end || cut == 0 {
                    break;
                }
                end = cut;
            }
        }
    }
    push_piece(text, 0, text, out);
}

/// Splits a token stream at top-level semicolons into `out`. Returns the byte offset
/// where a statement without its `;` starts, if the stream ends inside one.
fn split_token_stream(
    tokens: &[TokenWithSpan],
    index: &LineIndex<'_>,
    text: &str,
    out: &mut Vec<Statement>,
) -> Option<usize> {
    let mut stmt = StatementScan::default();
    for (i, t) in tokens.iter().enumerate() {
        match &t.token {
            Token::Whitespace(_) | Token::EOF => continue,
            Token::SemiColon if stmt.depth == 0 => {
                if let Some(start) = stmt.start.take() {
                    let from = index.offset(start);
                    let to = index.offset(t.span.start);
                    push_statement(text, from, to, start.line as usize, out);
                }
                stmt = StatementScan::default();
            }
            token => {
                if stmt.start.is_none() {
                    stmt.start = Some(t.span.start);
                }
                stmt.see(token, next_significant(tokens, i));
            }
        }
    }
    stmt.start.map(|start| index.offset(start))
}

fn next_significant(tokens: &[TokenWithSpan], i: usize) -> Option<&Token> {
    tokens[i + 1..]
        .iter()
        .map(|t| &t.token)
        .find(|t| !matches!(t, Token::Whitespace(_)))
}

fn push_statement(text: &str, from: usize, to: usize, line: usize, out: &mut Vec<Statement>) {
    let sql = text[from..to.max(from)].trim();
    if !sql.is_empty() {
        out.push(Statement {
            sql: sql.to_string(),
            line,
        });
    }
}

/// What the scan knows about the statement being read.
#[derive(Default)]
struct StatementScan {
    start: Option<Location>,
    /// Significant tokens seen so far.
    seen: usize,
    /// `CREATE … TRIGGER|PROCEDURE|FUNCTION|EVENT`: its body may hold `;`.
    routine: bool,
    starts_with_create: bool,
    /// Open `BEGIN`/`CASE` blocks of a routine body.
    depth: usize,
    /// The previous token was `END` (so `CASE` in `END CASE` closes, not opens).
    after_end: bool,
}

impl StatementScan {
    fn see(&mut self, token: &Token, next: Option<&Token>) {
        self.seen += 1;
        let after_end = std::mem::take(&mut self.after_end);
        let Token::Word(word) = token else {
            return;
        };
        if word.quote_style.is_some() {
            return;
        }
        let keyword = word.keyword;
        if self.seen == 1 {
            self.starts_with_create = keyword == Keyword::CREATE;
            return;
        }
        if self.starts_with_create
            && !self.routine
            && matches!(
                keyword,
                Keyword::TRIGGER | Keyword::PROCEDURE | Keyword::FUNCTION | Keyword::EVENT
            )
        {
            self.routine = true;
            return;
        }
        if !self.routine {
            return;
        }
        match keyword {
            Keyword::BEGIN | Keyword::CASE if !after_end => self.depth += 1,
            Keyword::END => {
                self.after_end = true;
                let closes_other = matches!(
                    next,
                    Some(Token::Word(w)) if ["IF", "LOOP", "WHILE", "REPEAT"]
                        .iter()
                        .any(|k| w.value.eq_ignore_ascii_case(k))
                );
                if !closes_other {
                    self.depth = self.depth.saturating_sub(1);
                }
            }
            _ => {}
        }
    }
}
