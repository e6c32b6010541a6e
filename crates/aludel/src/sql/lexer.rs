//! The tokens of one section, as byte ranges of the input: sqlparser's tokenizer run
//! once over the whole text, its (line, column) spans turned into byte offsets, its
//! tokens sorted into the few kinds the splitter looks at.
//!
//! Owns the per-dialect tokenizer settings ([`TokenDialect`]) and nothing else: it does
//! not decide where a statement ends (that is [`super::split`]), and it never reads
//! text itself beyond mapping the tokenizer's positions back onto it.

use std::any::TypeId;
use std::iter::Peekable;
use std::str::Chars;

use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer, Whitespace, Word};

use crate::config::Dialect;

/// What the splitter needs to know about a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Spaces, tabs, line breaks.
    Blank,
    /// A line or block comment (never an executable MySQL `/*! … */` one).
    Comment,
    /// `;`
    Semi,
    /// An unquoted word: keyword or identifier.
    Word,
    LParen,
    RParen,
    Comma,
    Colon,
    Period,
    /// A string or quoted identifier of any form (`'…'`, `"…"`, `` `…` ``, `[…]`,
    /// `$tag$…$tag$`, `E'…'`, …), or a MySQL executable comment `/*! … */`: text in
    /// which no terminator is ever looked for.
    Literal,
    /// Any other token (numbers, operators, parameters, unknown characters).
    Other,
}

impl Kind {
    /// Not blank and not a comment: part of a statement.
    pub(super) fn is_significant(self) -> bool {
        !matches!(self, Kind::Blank | Kind::Comment)
    }

    /// Significant and not quoted: where a custom MySQL delimiter may appear.
    pub(super) fn is_code(self) -> bool {
        self.is_significant() && self != Kind::Literal
    }
}

/// One token: its kind, its byte range in the input and the 1-based line it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tok {
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) line: usize,
    /// Neither a word nor a period: the tokenizer's only look-behind ("was the last
    /// token a word, or a period") sees no difference between this token and none, so
    /// tokenizing may restart right after it.
    restart_after: bool,
}

/// How many bytes the tokenizer reads at a time (doubled while a token does not fit).
/// Small enough that its token buffer stays in cache instead of growing with the text.
const WINDOW: usize = 32 * 1024;
/// How far past a token the tokenizer may have looked to decide where it ends (three
/// characters at most, 12 bytes), with room to spare.
const LOOKAHEAD: usize = 16;

/// Tokenizes `text` for `dialect`, handing the tokens to `sink` in order; they are
/// contiguous from offset 0. Returns `None` when they cover the whole text, or the
/// offset where the tokenizer stopped on text it cannot read (an unterminated quote or
/// comment, …), which is the end of the last token.
///
/// The text is tokenized in windows so that memory does not grow with the text (the
/// tokenizer keeps every token it reads): a window's tokens are handed on up to its
/// last token that ends at least [`LOOKAHEAD`] bytes before the window's end and after
/// which the tokenizer may restart ([`Tok::restart_after`]); the next window starts
/// right after that token. Every token up to there was decided on text inside the
/// window, so it is the token the whole text gives. When a window has no such token
/// (one token longer than it, or text the tokenizer cannot read), it is read again
/// twice as long, so the work stays linear.
pub(super) fn tokenize(dialect: Dialect, text: &str, mut sink: impl FnMut(Tok)) -> Option<usize> {
    let tokenizer_dialect = tokenizer_dialect(dialect);
    let mysql = dialect == Dialect::MySql;
    let mut kept = Vec::new();
    let mut window = Vec::new();
    let (mut from, mut line, mut size): (usize, usize, usize) = (0, 1, WINDOW);
    loop {
        let mut to = from.saturating_add(size).min(text.len());
        while !text.is_char_boundary(to) {
            to += 1;
        }
        let piece = text.get(from..to).unwrap_or("");
        let mut cursor = Cursor::new(piece, from, line);
        window.clear();
        kept.clear();
        let complete = run(&*tokenizer_dialect, piece, &mut kept, |t| {
            window.push(cursor.token(&t, mysql));
            husk(t.token)
        });
        if to == text.len() {
            window.iter().for_each(|t| sink(*t));
            let stop = cursor.offset();
            return (!complete || stop < text.len()).then_some(stop);
        }
        let trusted = window
            .iter()
            .rposition(|t| t.restart_after && t.end + LOOKAHEAD <= to);
        match trusted {
            Some(last) => {
                window[..=last].iter().for_each(|t| sink(*t));
                let last = window[last];
                let breaks = text.get(last.start..last.end).unwrap_or("");
                line = last.line + breaks.matches('\n').count();
                from = last.end;
                size = WINDOW;
            }
            None => size = size.saturating_mul(2),
        }
    }
}

/// sqlparser's dialect for `dialect`, as the tokenizer should see it.
fn tokenizer_dialect(dialect: Dialect) -> Box<dyn SqlDialect> {
    match dialect {
        Dialect::Postgres => Box::new(TokenDialect::new(PostgreSqlDialect {})),
        Dialect::MySql => Box::new(TokenDialect::new(MySqlDialect {})),
        Dialect::Sqlite => Box::new(TokenDialect {
            dollar_placeholders: true,
            ..TokenDialect::new(SQLiteDialect {})
        }),
    }
}

/// Runs the tokenizer over `text`, handing each token to `record` as it is read;
/// `false` when it stopped on text it cannot read.
fn run(
    dialect: &dyn SqlDialect,
    text: &str,
    kept: &mut Vec<TokenWithSpan>,
    record: impl FnMut(TokenWithSpan) -> TokenWithSpan,
) -> bool {
    Tokenizer::new(dialect, text)
        .with_unescape(false)
        .tokenize_with_location_into_buf_with_mapper(kept, record)
        .is_ok()
}

/// What the tokenizer needs to keep of a token it has read: whether it was a word or a
/// period (its only look-behind). Anything else becomes the cheapest token there is.
fn husk(token: Token) -> TokenWithSpan {
    TokenWithSpan::wrap(match token {
        Token::Word(_) => Token::Word(Word {
            value: String::new(),
            quote_style: None,
            keyword: Keyword::NoKeyword,
        }),
        Token::Period => Token::Period,
        _ => Token::EOF,
    })
}

fn kind_of(token: &Token, mysql: bool) -> Kind {
    match token {
        Token::Whitespace(Whitespace::Space | Whitespace::Newline | Whitespace::Tab) => Kind::Blank,
        Token::Whitespace(Whitespace::SingleLineComment { .. }) => Kind::Comment,
        // MySQL runs `/*! … */` (and MariaDB `/*M! … */`) as code: keep it as a statement
        // of its own, but never look for a terminator inside it.
        Token::Whitespace(Whitespace::MultiLineComment(body))
            if mysql && (body.starts_with('!') || body.starts_with("M!")) =>
        {
            Kind::Literal
        }
        Token::Whitespace(Whitespace::MultiLineComment(_)) => Kind::Comment,
        Token::SemiColon => Kind::Semi,
        Token::Word(w) if w.quote_style.is_none() => Kind::Word,
        Token::Word(_) => Kind::Literal,
        Token::LParen => Kind::LParen,
        Token::RParen => Kind::RParen,
        Token::Comma => Kind::Comma,
        Token::Colon => Kind::Colon,
        Token::Period => Kind::Period,
        Token::SingleQuotedString(_)
        | Token::DoubleQuotedString(_)
        | Token::TripleSingleQuotedString(_)
        | Token::TripleDoubleQuotedString(_)
        | Token::DollarQuotedString(_)
        | Token::SingleQuotedByteStringLiteral(_)
        | Token::DoubleQuotedByteStringLiteral(_)
        | Token::TripleSingleQuotedByteStringLiteral(_)
        | Token::TripleDoubleQuotedByteStringLiteral(_)
        | Token::SingleQuotedRawStringLiteral(_)
        | Token::DoubleQuotedRawStringLiteral(_)
        | Token::TripleSingleQuotedRawStringLiteral(_)
        | Token::TripleDoubleQuotedRawStringLiteral(_)
        | Token::NationalStringLiteral(_)
        | Token::QuoteDelimitedStringLiteral(_)
        | Token::NationalQuoteDelimitedStringLiteral(_)
        | Token::EscapedStringLiteral(_)
        | Token::UnicodeStringLiteral(_)
        | Token::HexStringLiteral(_) => Kind::Literal,
        _ => Kind::Other,
    }
}

/// Walks a piece of the text along the tokenizer's locations. The tokenizer counts a
/// line at each `\n` and a column at every other character (`\r` included), so its
/// locations map onto the text one character at a time; tokens are contiguous, so the
/// walk visits each character once.
struct Cursor<'a> {
    rest: Chars<'a>,
    /// Offset of the piece in the whole text, and the piece's length.
    base: usize,
    len: usize,
    /// Line in the whole text, and the tokenizer's line and column in the piece.
    line: usize,
    piece_line: u64,
    column: u64,
}

impl<'a> Cursor<'a> {
    fn new(piece: &'a str, base: usize, line: usize) -> Self {
        Cursor {
            rest: piece.chars(),
            base,
            len: piece.len(),
            line,
            piece_line: 1,
            column: 1,
        }
    }

    /// Offset in the whole text.
    fn offset(&self) -> usize {
        self.base + self.len - self.rest.as_str().len()
    }

    /// The token the tokenizer just read, which starts where the previous one ended.
    fn token(&mut self, t: &TokenWithSpan, mysql: bool) -> Tok {
        let start = self.offset();
        let line = self.line;
        self.advance_to(t.span.end);
        Tok {
            kind: kind_of(&t.token, mysql),
            start,
            end: self.offset(),
            line,
            restart_after: !matches!(t.token, Token::Word(_) | Token::Period),
        }
    }

    fn advance_to(&mut self, to: Location) {
        while (self.piece_line, self.column) < (to.line, to.column) {
            match self.rest.next() {
                Some('\n') => {
                    self.line += 1;
                    self.piece_line += 1;
                    self.column = 1;
                }
                Some(_) => self.column += 1,
                None => break,
            }
        }
    }
}

/// The tokenizer dialect: sqlparser's own, with two changes. MySQL's optimizer-hint
/// expansion is off, so that `/*! … */` stays one token whose position is its own
/// (expanded hints get positions that do not match the text, and a hint the tokenizer
/// cannot read would fail the whole section). SQLite gets `$name` parameters instead
/// of PostgreSQL's dollar quotes, which SQLite does not have.
///
/// Every method the tokenizer consults is forwarded, and the type id is the inner
/// dialect's so that the tokenizer's `dialect_of!` checks see through the wrapper. The
/// test `token_dialect_matches_sqlparser` checks that the wrapper tokenizes exactly as
/// the inner dialect apart from these two changes.
#[derive(Debug)]
struct TokenDialect<D> {
    inner: D,
    dollar_placeholders: bool,
}

impl<D: SqlDialect> TokenDialect<D> {
    fn new(inner: D) -> Self {
        TokenDialect {
            inner,
            dollar_placeholders: false,
        }
    }
}

impl<D: SqlDialect> SqlDialect for TokenDialect<D> {
    fn dialect(&self) -> TypeId {
        self.inner.dialect()
    }
    fn is_identifier_start(&self, ch: char) -> bool {
        self.inner.is_identifier_start(ch)
    }
    fn is_identifier_part(&self, ch: char) -> bool {
        self.inner.is_identifier_part(ch)
    }
    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        self.inner.is_delimited_identifier_start(ch)
    }
    fn is_nested_delimited_identifier_start(&self, ch: char) -> bool {
        self.inner.is_nested_delimited_identifier_start(ch)
    }
    fn peek_nested_delimited_identifier_quotes(
        &self,
        chars: Peekable<Chars<'_>>,
    ) -> Option<(char, Option<char>)> {
        self.inner.peek_nested_delimited_identifier_quotes(chars)
    }
    fn is_custom_operator_part(&self, ch: char) -> bool {
        self.inner.is_custom_operator_part(ch)
    }
    fn ignores_wildcard_escapes(&self) -> bool {
        self.inner.ignores_wildcard_escapes()
    }
    fn requires_single_line_comment_whitespace(&self) -> bool {
        self.inner.requires_single_line_comment_whitespace()
    }
    fn supports_dollar_as_money_prefix(&self) -> bool {
        self.inner.supports_dollar_as_money_prefix()
    }
    fn supports_dollar_placeholder(&self) -> bool {
        self.dollar_placeholders || self.inner.supports_dollar_placeholder()
    }
    fn supports_geometric_types(&self) -> bool {
        self.inner.supports_geometric_types()
    }
    fn supports_multiline_comment_hints(&self) -> bool {
        false
    }
    fn supports_nested_comments(&self) -> bool {
        self.inner.supports_nested_comments()
    }
    fn supports_numeric_literal_underscores(&self) -> bool {
        self.inner.supports_numeric_literal_underscores()
    }
    fn supports_numeric_prefix(&self) -> bool {
        self.inner.supports_numeric_prefix()
    }
    fn supports_pipe_operator(&self) -> bool {
        self.inner.supports_pipe_operator()
    }
    fn supports_quote_delimited_string(&self) -> bool {
        self.inner.supports_quote_delimited_string()
    }
    fn supports_string_escape_constant(&self) -> bool {
        self.inner.supports_string_escape_constant()
    }
    fn supports_string_literal_backslash_escape(&self) -> bool {
        self.inner.supports_string_literal_backslash_escape()
    }
    fn supports_triple_quoted_string(&self) -> bool {
        self.inner.supports_triple_quoted_string()
    }
    fn supports_unicode_string_literal(&self) -> bool {
        self.inner.supports_unicode_string_literal()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(dialect: &dyn SqlDialect, text: &str) -> Result<Vec<TokenWithSpan>, String> {
        Tokenizer::new(dialect, text)
            .with_unescape(false)
            .tokenize_with_location()
            .map_err(|e| e.to_string())
    }

    /// The wrapper must not change how anything but hints (MySQL) and `$` (SQLite)
    /// tokenizes; a new tokenizer setting in a future sqlparser shows up here.
    #[test]
    fn token_dialect_matches_sqlparser() {
        let samples = [
            "SELECT 'a;b', \"c;d\", `e;f`, [g;h] FROM t -- x;\n/* y; /* z */ */;",
            "SELECT E'it\\'s', U&'\\0041', B'0101', X'0F', N'n', $1, $tag$ ; $tag$, $$;$$",
            "SELECT 1.5e3, 0x1F, 1_000, a::int, a->>'k', a #> '{b}', a @> b, a ?| b, ~* x",
            "SELECT `a``b`, 'c\\'d', \"e\\\"f\", # comment ;\n @v, @@global.x, 1abc, t.1c",
            "CREATE TRIGGER t BEGIN SELECT CASE WHEN 1 THEN 2 END; END; x<=>y || z !~ w",
            "SELECT 'unterminated ; FROM t",
            "SELECT \"unterminated ; FROM t",
            "SELECT 1 /* unterminated ; comment",
            "SELECT $$ unterminated ; dollar",
        ];
        let cases: [(&dyn SqlDialect, &dyn SqlDialect); 3] = [
            (
                &PostgreSqlDialect {},
                &TokenDialect::new(PostgreSqlDialect {}),
            ),
            (&MySqlDialect {}, &TokenDialect::new(MySqlDialect {})),
            (&SQLiteDialect {}, &TokenDialect::new(SQLiteDialect {})),
        ];
        for (plain, wrapped) in cases {
            for sample in samples {
                assert_eq!(
                    tokens(plain, sample),
                    tokens(wrapped, sample),
                    "{plain:?} on {sample:?}"
                );
            }
        }
    }

    fn lex(dialect: Dialect, text: &str) -> (Vec<Tok>, Option<usize>) {
        let mut toks = Vec::new();
        let failed_at = tokenize(dialect, text, |t| toks.push(t));
        (toks, failed_at)
    }

    /// Tokens are contiguous from 0, with the right lines, up to `failed_at`.
    fn check_cover(text: &str, toks: &[Tok], failed_at: Option<usize>) {
        let (mut at, mut line) = (0, 1);
        for t in toks {
            assert_eq!((t.start, t.line), (at, line));
            line += text[t.start..t.end].matches('\n').count();
            at = t.end;
        }
        assert_eq!(failed_at.unwrap_or(text.len()), at);
    }

    #[test]
    fn mysql_hints_stay_one_literal_token() {
        let (toks, failed_at) = lex(Dialect::MySql, "/*!40101 SET a=1; */ x");
        let kinds: Vec<Kind> = toks.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [Kind::Literal, Kind::Blank, Kind::Word]);
        assert_eq!((toks[0].start, toks[0].end), (0, 20));
        assert_eq!(failed_at, None);
    }

    #[test]
    fn sqlite_has_no_dollar_quotes() {
        let (toks, _) = lex(Dialect::Sqlite, "SELECT $$;$$");
        assert!(toks.iter().any(|t| t.kind == Kind::Semi), "{toks:?}");
    }

    #[test]
    fn byte_offsets_cover_the_text() {
        let text = "SELECT 'é\r\n;' -- ü\r\n, \"ß\" /* ∞\n */;\r\n";
        for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
            let (toks, failed_at) = lex(dialect, text);
            assert_eq!(failed_at, None);
            check_cover(text, &toks, failed_at);
        }
    }

    #[test]
    fn failure_offset_is_where_unreadable_text_starts() {
        let text = "SELECT 1;\nSELECT 'abc";
        let (toks, failed_at) = lex(Dialect::Postgres, text);
        assert_eq!(failed_at, Some(text.find('\'').unwrap_or(0)));
        check_cover(text, &toks, failed_at);
    }

    /// Windows give the tokens one pass over the whole text gives, across every kind
    /// of token that can straddle a window's end.
    #[test]
    fn windows_match_one_pass() {
        let unit = "SELECT 'a;\r\nb' AS \"x y\", $f$ body; $f$, E'\\'' -- c;\r\n/* m\n */ 1.5e3 \
                    t._c, t.1e3, 1abc, x .5, \"q\".1e2, a+b-c*d ";
        let mut text = String::new();
        while text.len() < 5 * WINDOW {
            text.push_str(unit);
            text.push_str(&"é".repeat(text.len() % 7));
            text.push_str(&"w".repeat(text.len() % 13));
        }
        let long_token = format!("{text} '{}' {text}", "s".repeat(3 * WINDOW));
        for text in [text, long_token] {
            for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
                let (toks, failed_at) = lex(dialect, &text);
                check_cover(&text, &toks, failed_at);
                let mut one_pass = Vec::new();
                let mut cursor = Cursor::new(&text, 0, 1);
                run(&*tokenizer_dialect(dialect), &text, &mut Vec::new(), |t| {
                    one_pass.push(cursor.token(&t, dialect == Dialect::MySql));
                    t
                });
                assert_eq!(toks, one_pass, "{dialect}");
            }
        }
    }

    #[test]
    fn unreadable_text_after_many_windows() {
        let text = format!("{}SELECT 'open", "SELECT 1; ".repeat(WINDOW));
        let (toks, failed_at) = lex(Dialect::Postgres, &text);
        assert_eq!(failed_at, text.rfind('\''));
        check_cover(&text, &toks, failed_at);
    }
}
