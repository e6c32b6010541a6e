//! Where statements end: one pass over the tokens of [`super::lexer`], with the state
//! the native clients keep (the `mysql` client's terminator, `psql`'s parenthesis and
//! `BEGIN … END` nesting, `sqlite3_complete()`'s `; END ;`) and nothing more.
//!
//! Owns the rules of [`super::split_statements`]; it reads the input only through
//! token offsets (and the raw rest of a `DELIMITER` line, which the client reads raw
//! too). It never re-scans text it has passed, so it runs in linear time, and it never
//! drops text: what the tokenizer cannot read becomes one last statement, as written.

use super::lexer::{self, Kind, Tok};
use super::Statement;
use crate::config::Dialect;

/// Words of `CREATE …` that make the statement a routine whose body may hold `;`.
const ROUTINES: [&str; 4] = ["TRIGGER", "PROCEDURE", "FUNCTION", "EVENT"];
/// Words allowed between `CREATE` and the routine word (besides `DEFINER = user`).
const CREATE_MODIFIERS: [&str; 8] = [
    "OR",
    "REPLACE",
    "TEMP",
    "TEMPORARY",
    "CONSTRAINT",
    "AGGREGATE",
    "EDITIONABLE",
    "NONEDITIONABLE",
];
/// Words after which a statement of a routine body starts, so that a following
/// `IF`/`LOOP`/`WHILE`/`REPEAT` is a compound statement (besides `;` and a label's `:`).
const STATEMENT_STARTERS: [&str; 8] = [
    "BEGIN", "THEN", "ELSE", "DO", "LOOP", "REPEAT", "ROW", "ATOMIC",
];
/// Words that may follow `END` as part of it (`END IF`, `END LOOP`, …).
const END_SUFFIXES: [&str; 5] = ["IF", "LOOP", "WHILE", "REPEAT", "CASE"];
/// How many tokens a `DEFINER = user` clause may take before the routine word.
const MAX_DEFINER_TOKENS: u8 = 8;

/// Splits `text`; see [`super::split_statements`].
pub(super) fn split(dialect: Dialect, text: &str) -> Vec<Statement> {
    pieces(dialect, text)
        .into_iter()
        .map(|p| Statement {
            sql: text.get(p.start..p.end).unwrap_or("").to_string(),
            line: p.line,
        })
        .collect()
}

/// Where a statement is in the text: `text[start..end]` is its SQL (never empty),
/// `line` the line of `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Piece {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) line: usize,
}

/// The statements of `text` as [`Piece`]s, in order.
pub(super) fn pieces(dialect: Dialect, text: &str) -> Vec<Piece> {
    let mut splitter = Splitter::new(text, dialect);
    let failed_at = lexer::tokenize(dialect, text, |t| splitter.push(t));
    splitter.finish(failed_at)
}

/// What the leading tokens of a statement say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// No significant token yet.
    Start,
    /// `CREATE` and modifiers so far.
    Create,
    /// Inside `CREATE … DEFINER = user`, after this many tokens of it.
    Definer(u8),
    /// MariaDB `BEGIN`, maybe of `BEGIN NOT ATOMIC`.
    Begin,
    /// `BEGIN NOT`.
    BeginNot,
    /// An ordinary statement: the first `;` (outside parentheses, in PostgreSQL) ends it.
    Plain,
    /// A routine (or a MariaDB compound statement): `;` ends it at nesting depth 0
    /// only, or, for a SQLite trigger, after `; END`.
    Block,
}

/// An `IF` where a statement starts, followed by `(`: a compound `IF (cond) THEN` opens
/// a block, MySQL's `IF(cond, a, b)` function does not. Decided at the closing `)`.
#[derive(Debug, Clone, Copy)]
struct PendingIf {
    parens: usize,
    comma: bool,
}

/// `IF` or `REPEAT` where a statement starts, waiting for the next token to say
/// whether it is a compound statement or a function call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opener {
    If,
    Repeat,
}

/// A `DELIMITER xx` line being read: a command only if its tokens end with its line.
#[derive(Debug)]
struct DelimiterLine {
    word: Tok,
    next_line: usize,
    argument: String,
    tokens: Vec<Tok>,
}

/// Where a SQLite trigger is in the `; END ;` that ends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TriggerEnd {
    Body,
    Semi,
    SemiEnd,
}

struct Splitter<'a> {
    text: &'a str,
    dialect: Dialect,
    out: Vec<Piece>,
    /// The MySQL client's custom delimiter in force, if not `;`.
    delimiter: Option<String>,
    /// Offset and line of the current statement's first token.
    start: Option<(usize, usize)>,
    /// End of the current statement's last significant text.
    sig_end: usize,
    shape: Shape,
    /// `BEGIN`/`CASE`/… nesting in a routine body (PostgreSQL, MySQL).
    depth: usize,
    /// Parenthesis nesting (PostgreSQL only, as `psql`: `CREATE RULE … DO (…; …)`).
    parens: usize,
    /// SQLite triggers end at `; END ;`, as `sqlite3_complete()` says.
    trigger_end: TriggerEnd,
    /// The last token was a `.`: a word now is part of a name, never a keyword.
    after_period: bool,
    /// The last token was a block-closing `END`.
    after_end: bool,
    /// The next token starts a statement of a routine body.
    statement_position: bool,
    pending_if: Option<PendingIf>,
    pending_opener: Option<Opener>,
    delimiter_line: Option<DelimiterLine>,
    /// A `DELIMITER` before this offset is not a command (its line was not one).
    no_command_before: usize,
    /// Custom delimiter mode: the run of adjacent code tokens being read ends here…
    run_end: usize,
    /// …and its text before this offset is already spoken for (a delimiter matched)…
    live: usize,
    /// …and the statement's significant text ended here before `live`.
    sig_end_before_live: usize,
}

impl<'a> Splitter<'a> {
    fn new(text: &'a str, dialect: Dialect) -> Self {
        Splitter {
            text,
            dialect,
            out: Vec::new(),
            delimiter: None,
            start: None,
            sig_end: 0,
            shape: Shape::Start,
            depth: 0,
            parens: 0,
            trigger_end: TriggerEnd::Body,
            after_period: false,
            after_end: false,
            statement_position: false,
            pending_if: None,
            pending_opener: None,
            delimiter_line: None,
            no_command_before: 0,
            run_end: usize::MAX,
            live: 0,
            sig_end_before_live: 0,
        }
    }

    /// Takes the next token.
    fn push(&mut self, t: Tok) {
        let Some(line) = &mut self.delimiter_line else {
            self.handle(t);
            return;
        };
        if t.end < line.next_line {
            line.tokens.push(t);
            return;
        }
        let Some(line) = self.delimiter_line.take() else {
            return;
        };
        if t.end == line.next_line {
            self.delimiter = (line.argument != ";").then_some(line.argument);
            self.run_end = usize::MAX;
        } else {
            self.not_a_command(line);
            self.handle(t);
        }
    }

    /// A `DELIMITER` line that turned out not to be a command: its tokens are SQL.
    fn not_a_command(&mut self, line: DelimiterLine) {
        self.no_command_before = line.next_line;
        self.handle(line.word);
        for t in line.tokens {
            self.handle(t);
        }
    }

    fn handle(&mut self, t: Tok) {
        if !t.kind.is_significant() {
            return;
        }
        if self.start.is_none()
            && self.dialect == Dialect::MySql
            && t.start >= self.no_command_before
            && self.word_is(&t, "DELIMITER")
        {
            if let Some(line) = self.delimiter_command(t) {
                self.delimiter_line = Some(line);
                return;
            }
        }
        if self.delimiter.is_some() {
            self.custom_delimited(t);
        } else {
            self.semicolon_delimited(t);
        }
    }

    /// Standard mode: a `;` outside nesting ends the statement.
    fn semicolon_delimited(&mut self, t: Tok) {
        let sqlite_trigger = self.shape == Shape::Block && self.dialect == Dialect::Sqlite;
        if t.kind == Kind::Semi
            && if sqlite_trigger {
                self.trigger_end == TriggerEnd::SemiEnd
            } else {
                self.depth == 0 && self.parens == 0
            }
        {
            self.end_statement();
            return;
        }
        if self.start.is_none() {
            self.start = Some((t.start, t.line));
        }
        self.sig_end = t.end;
        if self.dialect == Dialect::Postgres {
            match t.kind {
                Kind::LParen => self.parens += 1,
                Kind::RParen => self.parens = self.parens.saturating_sub(1),
                _ => {}
            }
        }
        match self.shape {
            Shape::Plain => {}
            Shape::Block if sqlite_trigger => {
                self.trigger_end = match (self.trigger_end, t.kind) {
                    (_, Kind::Semi) => TriggerEnd::Semi,
                    (TriggerEnd::Semi, _) if self.keyword_is(&t, "END") => TriggerEnd::SemiEnd,
                    _ => TriggerEnd::Body,
                }
            }
            Shape::Block => self.nest(t),
            _ => self.classify(t),
        }
        self.after_period = t.kind == Kind::Period;
    }

    /// Reads the statement's leading tokens until its [`Shape`] is known.
    fn classify(&mut self, t: Tok) {
        let word = self.word(&t);
        let is = |k: &str| word.is_some_and(|w| w.eq_ignore_ascii_case(k));
        let any = |ks: &[&str]| ks.iter().any(|k| is(k));
        self.shape = match self.shape {
            Shape::Start if is("CREATE") => Shape::Create,
            Shape::Start if self.dialect == Dialect::MySql && is("BEGIN") => Shape::Begin,
            // SQLite has triggers only; a SQLite `CREATE FUNCTION` is an error to
            // report, not a reason to read on to a `; END ;` that never comes.
            Shape::Create | Shape::Definer(_)
                if any(&ROUTINES) && (self.dialect != Dialect::Sqlite || is("TRIGGER")) =>
            {
                Shape::Block
            }
            Shape::Create if any(&CREATE_MODIFIERS) => Shape::Create,
            Shape::Create if is("DEFINER") => Shape::Definer(0),
            Shape::Definer(_) if is("AGGREGATE") => Shape::Create,
            Shape::Definer(n) if n < MAX_DEFINER_TOKENS && !any(&["VIEW", "ALGORITHM", "SQL"]) => {
                Shape::Definer(n + 1)
            }
            Shape::Begin if is("NOT") => Shape::BeginNot,
            Shape::BeginNot if is("ATOMIC") => {
                self.depth = 1;
                self.statement_position = true;
                Shape::Block
            }
            _ => Shape::Plain,
        };
    }

    /// Inside a routine: tracks `BEGIN`/`CASE`/`IF`/`LOOP`/`WHILE`/`REPEAT` … `END`.
    fn nest(&mut self, t: Tok) {
        let word = self.keyword(&t);
        let is = |k: &str| word.is_some_and(|w| w.eq_ignore_ascii_case(k));
        let any = |ks: &[&str]| ks.iter().any(|k| is(k));

        if std::mem::take(&mut self.after_end) && any(&END_SUFFIXES) {
            self.statement_position = false;
            return;
        }
        match (self.pending_opener.take(), t.kind) {
            (Some(Opener::If), Kind::LParen) => {
                self.pending_if = Some(PendingIf {
                    parens: 0,
                    comma: false,
                })
            }
            (Some(Opener::Repeat), Kind::LParen) | (None, _) => {}
            (Some(_), _) => self.depth += 1,
        }
        if let Some(p) = &mut self.pending_if {
            match t.kind {
                Kind::LParen => p.parens += 1,
                Kind::Comma if p.parens == 1 => p.comma = true,
                Kind::RParen => {
                    p.parens = p.parens.saturating_sub(1);
                    if p.parens == 0 {
                        if !p.comma {
                            self.depth += 1;
                        }
                        self.pending_if = None;
                    }
                }
                _ => {}
            }
        }
        let at_statement_start = self.statement_position;
        self.statement_position =
            matches!(t.kind, Kind::Semi | Kind::Colon) || any(&STATEMENT_STARTERS);

        if is("BEGIN") || is("CASE") {
            self.depth += 1;
        } else if is("END") {
            if self.depth > 0 {
                self.depth -= 1;
                self.after_end = true;
            }
        } else if at_statement_start && self.pending_if.is_none() {
            if is("IF") {
                self.pending_opener = Some(Opener::If);
            } else if is("REPEAT") {
                self.pending_opener = Some(Opener::Repeat);
            } else if is("LOOP") || is("WHILE") {
                self.depth += 1;
            }
        }
    }

    /// Custom delimiter mode (MySQL client `DELIMITER`): the delimiter ends a statement
    /// wherever it appears outside quotes and comments, even inside a word (`END$$`);
    /// nesting does not matter.
    fn custom_delimited(&mut self, t: Tok) {
        let Some(delimiter) = self.delimiter.take() else {
            return;
        };
        self.custom_token(t, delimiter.as_bytes());
        self.delimiter = Some(delimiter);
    }

    fn custom_token(&mut self, t: Tok, needle: &[u8]) {
        if !t.kind.is_code() {
            if self.start.is_none() {
                self.start = Some((t.start, t.line));
            }
            self.sig_end = t.end;
            return;
        }
        if t.start != self.run_end {
            self.live = t.start;
            self.sig_end_before_live = self.sig_end;
        }
        self.run_end = t.end;
        let bytes = self.text.as_bytes();
        let mut lines = LineCounter {
            text: self.text,
            at: t.start,
            line: t.line,
        };
        // A match may begin in the run's earlier tokens (`//` is two tokens).
        let mut from = self
            .live
            .max(t.start.saturating_sub(needle.len().saturating_sub(1)));
        while let Some(m) = find(bytes, needle, from, t.end) {
            if m > self.live {
                if self.start.is_none() {
                    self.start = Some((self.live, lines.line_of(self.live)));
                }
                self.sig_end = m;
            } else {
                // The match began in an earlier token of the run, which counted as text.
                self.sig_end = self.sig_end_before_live;
            }
            self.end_statement();
            self.live = m + needle.len();
            self.sig_end_before_live = self.live;
            from = self.live;
        }
        let rest = self.live.max(t.start);
        if rest < t.end {
            if self.start.is_none() {
                self.start = Some((rest, lines.line_of(rest)));
            }
            self.sig_end = t.end;
        }
    }

    /// A MySQL client `DELIMITER xx` line at the start of a statement, if it has an
    /// argument. It is a command only if the tokenizer's tokens end with its line
    /// (see [`Splitter::push`]); an unterminated quote on it, say, makes it SQL.
    fn delimiter_command(&mut self, word: Tok) -> Option<DelimiterLine> {
        let rest = self.text.get(word.end..)?;
        if !rest.starts_with([' ', '\t']) {
            return None;
        }
        let line_end = word.end + rest.find('\n').unwrap_or(rest.len());
        let next_line = (line_end + 1).min(self.text.len());
        let Some(argument) = delimiter_argument(self.text.get(word.end..line_end)?) else {
            // Not a command, and neither is a later `DELIMITER` on this line.
            self.no_command_before = next_line;
            return None;
        };
        Some(DelimiterLine {
            word,
            next_line,
            argument: argument.to_string(),
            tokens: Vec::new(),
        })
    }

    /// Emits the current statement (if it has any text) and resets the per-statement
    /// state.
    fn end_statement(&mut self) {
        if let Some((start, line)) = self.start.take() {
            self.emit(start, self.sig_end, line);
        }
        self.shape = Shape::Start;
        self.depth = 0;
        self.parens = 0;
        self.trigger_end = TriggerEnd::Body;
        self.after_period = false;
        self.after_end = false;
        self.statement_position = false;
        self.pending_if = None;
        self.pending_opener = None;
    }

    /// The last statement: up to its last token, or, when the tokenizer gave up,
    /// everything from the statement's start (or the unreadable text) to the end.
    fn finish(mut self, failed_at: Option<usize>) -> Vec<Piece> {
        if let Some(line) = self.delimiter_line.take() {
            self.not_a_command(line);
        }
        if let Some(failed) = failed_at {
            if self.start.is_none() {
                let rest = self.text.get(failed..).unwrap_or("");
                let at = self.text.len() - rest.trim_start().len();
                let line = line_at(self.text, at);
                self.start = Some((at, line));
            }
            self.sig_end = self.text.len();
        }
        self.end_statement();
        self.out
    }

    /// Records `text[start..end]`, trimmed, as a statement unless that is empty.
    fn emit(&mut self, start: usize, end: usize, line: usize) {
        let raw = self.text.get(start..end).unwrap_or("");
        let sql = raw.trim();
        if !sql.is_empty() {
            // A first token can start with white space (MySQL and PostgreSQL take a
            // no-break space for a word); the statement starts after it.
            let blank = &raw[..raw.len() - raw.trim_start().len()];
            self.out.push(Piece {
                start: start + blank.len(),
                end: start + blank.len() + sql.len(),
                line: line + blank.matches('\n').count(),
            });
        }
    }

    /// The text of an unquoted word token.
    fn word(&self, t: &Tok) -> Option<&'a str> {
        if t.kind == Kind::Word {
            self.text.get(t.start..t.end)
        } else {
            None
        }
    }

    fn word_is(&self, t: &Tok, keyword: &str) -> bool {
        self.word(t)
            .is_some_and(|w| w.eq_ignore_ascii_case(keyword))
    }

    /// The text of an unquoted word that may be a keyword: not after a `.`
    /// (`NEW.end` is a column).
    fn keyword(&self, t: &Tok) -> Option<&'a str> {
        if self.after_period {
            None
        } else {
            self.word(t)
        }
    }

    fn keyword_is(&self, t: &Tok, keyword: &str) -> bool {
        self.keyword(t)
            .is_some_and(|w| w.eq_ignore_ascii_case(keyword))
    }
}

/// Lines of offsets inside one token, counted forward only (a word may hold many
/// statements: `a$$b$$c$$`).
struct LineCounter<'a> {
    text: &'a str,
    at: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// The line of `offset`; offsets before the token's start are on its first line.
    fn line_of(&mut self, offset: usize) -> usize {
        if offset > self.at {
            let skipped = self.text.get(self.at..offset).unwrap_or("");
            self.line += skipped.matches('\n').count();
            self.at = offset;
        }
        self.line
    }
}

/// The first occurrence of `needle` starting at or after `from` and ending by `to`.
fn find(haystack: &[u8], needle: &[u8], from: usize, to: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack
        .get(from..to)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// The argument of a `DELIMITER` command, read as the MySQL client does from the rest
/// of its line: the first word, or a quoted string without its quotes. `None` when
/// there is none, or when it holds a backslash (which the client rejects).
fn delimiter_argument(rest: &str) -> Option<&str> {
    let rest = rest.strip_suffix('\r').unwrap_or(rest);
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let argument = match trimmed.chars().next()? {
        q @ ('\'' | '"' | '`') => {
            let inner = &trimmed[1..];
            inner.find(q).map_or(inner, |end| &inner[..end])
        }
        _ => trimmed.split(char::is_whitespace).next().unwrap_or(trimmed),
    };
    (!argument.is_empty() && !argument.contains('\\')).then_some(argument)
}

/// The 1-based line of byte `offset`.
fn line_at(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}
