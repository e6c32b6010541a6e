//! Property tests of the splitter: statements generated from a small grammar per
//! dialect (names, quoted strings and identifiers holding `;` and quotes, comments,
//! dollar-quoted bodies, routine bodies) and joined with `;`, blanks and comments come
//! back exactly, with their lines; arbitrary text never makes it panic, and no
//! character of it outside blanks, comments and terminators is lost.

use proptest::prelude::*;
use proptest::strategy::Union;

use super::lexer::{self, Kind};
use super::split::pieces;
use super::*;

use Dialect::{MySql, Postgres, Sqlite};

fn dialect() -> impl Strategy<Value = Dialect> {
    prop_oneof![Just(Postgres), Just(MySql), Just(Sqlite)]
}

fn join(parts: Vec<String>) -> String {
    parts.concat()
}

/// Text inside quotes and comments: words, and everything that would end a statement
/// or open a quote outside them. `exclude` lists what must not appear (the closing
/// quote of the surrounding literal, say).
fn tricky(exclude: &'static [&'static str]) -> impl Strategy<Value = String> {
    let fragments = [
        ";",
        "'",
        "\"",
        "`",
        "--",
        "#",
        "/*",
        "*/",
        "$$",
        "$a$",
        "[",
        "]",
        "\n",
        "\r\n",
        " ",
        "END;",
        "BEGIN",
        "CASE",
        "DELIMITER $$",
        "é",
        "\\",
    ];
    let allowed: Vec<&'static str> = fragments
        .into_iter()
        .filter(|f| !exclude.iter().any(|x| f.contains(x) || x.contains(f)))
        .collect();
    prop::collection::vec(
        prop_oneof![
            3 => "[a-z]{1,4}".prop_map(String::from),
            2 => prop::sample::select(allowed).prop_map(String::from),
        ],
        0..6,
    )
    .prop_map(join)
}

/// Blanks between tokens.
fn blank() -> impl Strategy<Value = String> {
    prop::sample::select(vec![" ", "  ", "\n", "\r\n", "\t", " \n  "]).prop_map(String::from)
}

/// One token (or a few that belong together) of a statement, for `dialect`. Never
/// starts or ends with a blank; a line comment carries its line break.
fn piece(dialect: Dialect) -> BoxedStrategy<String> {
    let mut choices: Vec<BoxedStrategy<String>> = vec![
        "c_[a-z0-9]{0,6}".prop_map(String::from).boxed(),
        "[0-9]{1,4}".prop_map(String::from).boxed(),
        prop::sample::select(vec!["+", "*", "=", "<", ">", ",", "<>"])
            .prop_map(String::from)
            .boxed(),
        // Quotes doubled inside, and no backslash (an escape in MySQL only).
        tricky(&["'", "\\"])
            .prop_map(|s| format!("'{s}''{s}'"))
            .boxed(),
        tricky(&["\"", "\\"])
            .prop_map(|s| format!("\"{s}\"\"x\""))
            .boxed(),
        tricky(&["*/", "/*"])
            .prop_map(|s| format!("/* {s} */"))
            .boxed(),
        tricky(&["\n", "\r\n"])
            .prop_map(|s| format!("-- {s}\n"))
            .boxed(),
        "c_[a-z]{0,3}"
            .prop_map(|c| format!("(CASE WHEN {c} THEN 1 ELSE 'x;' END)"))
            .boxed(),
        "[0-9]{1,3}".prop_map(|n| format!("(c_a, {n})")).boxed(),
    ];
    match dialect {
        Postgres => {
            // No `$` at all in an untagged body (`$a$` + `$a$` holds `$$`); a tag the
            // fragments cannot spell in a tagged one.
            choices.push(tricky(&["$"]).prop_map(|s| format!("$${s}$$")).boxed());
            choices.push(tricky(&[]).prop_map(|s| format!("$T1${s}$T1$")).boxed());
            choices.push(
                tricky(&["'", "\\"])
                    .prop_map(|s| format!("E'{s}\\'{s}'"))
                    .boxed(),
            );
        }
        MySql => {
            choices.push(tricky(&["`"]).prop_map(|s| format!("`{s}``x`")).boxed());
            choices.push(
                tricky(&["'"])
                    .prop_map(|s| format!("'{}\\';'", s.replace('\\', "\\\\")))
                    .boxed(),
            );
            choices.push(
                tricky(&["\n", "\r\n"])
                    .prop_map(|s| format!("# {s}\n"))
                    .boxed(),
            );
            choices.push(
                tricky(&["*/", "/*"])
                    .prop_map(|s| format!("/*!40101 {s} */"))
                    .boxed(),
            );
        }
        Sqlite => {
            choices.push(tricky(&["`"]).prop_map(|s| format!("`{s}``x`")).boxed());
            choices.push(tricky(&["]"]).prop_map(|s| format!("[{s}]")).boxed());
        }
    }
    Union::new(choices).boxed()
}

/// An ordinary statement: a keyword, pieces, and a last name (so that it ends with a
/// token, not a comment).
fn plain(dialect: Dialect) -> impl Strategy<Value = String> {
    prop::collection::vec((piece(dialect), blank()), 0..6).prop_map(|pieces| {
        let mut s = String::from("SELECT ");
        for (p, b) in pieces {
            s.push_str(&p);
            s.push_str(&b);
        }
        s.push_str("c_end");
        s
    })
}

/// Statements of a routine body, each with its `;`.
fn body(dialect: Dialect) -> impl Strategy<Value = String> {
    prop::collection::vec((plain(dialect), blank()), 1..4).prop_map(|stmts| {
        stmts
            .into_iter()
            .map(|(s, b)| format!("{s};{b}"))
            .collect::<String>()
    })
}

/// A routine whose body holds `;`.
fn routine(dialect: Dialect) -> BoxedStrategy<String> {
    match dialect {
        Postgres => prop_oneof![
            body(dialect).prop_map(|b| format!(
                "CREATE FUNCTION c_f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n{b}END"
            )),
            body(dialect).prop_map(|b| format!(
                "CREATE OR REPLACE FUNCTION c_f() RETURNS trigger AS $B0$\nBEGIN\n{b}END;\n$B0$ LANGUAGE plpgsql"
            )),
        ]
        .boxed(),
        MySql => (body(dialect), body(dialect), body(dialect))
            .prop_map(|(a, b, c)| {
                format!(
                    "CREATE DEFINER=`app`@`%` PROCEDURE c_p()\nBEGIN\n{a}IF c_a THEN\n{b}ELSE\n{c}END IF;\nlbl: LOOP\n{a}END LOOP lbl;\nEND"
                )
            })
            .boxed(),
        Sqlite => body(dialect)
            .prop_map(|b| format!("CREATE TEMP TRIGGER c_t AFTER INSERT ON c_x\nBEGIN\n{b}END"))
            .boxed(),
    }
}

fn statement(dialect: Dialect) -> impl Strategy<Value = String> {
    prop_oneof![4 => plain(dialect), 1 => routine(dialect)]
}

/// What may come between statements besides blanks: comments and empty statements.
/// Comments start with a blank so that `--` never follows a token directly.
fn filler(dialect: Dialect) -> impl Strategy<Value = String> {
    let mut items = vec![" ", "\n", "\r\n", "\t", " -- c;'\n", " /* c; \" */", ";"];
    if dialect == MySql {
        items.push(" # c;`\n");
    }
    prop::collection::vec(prop::sample::select(items), 0..4).prop_map(|v| v.concat())
}

/// A section: statements separated by `;` and filler, and what the splitter must
/// return for it.
fn section(dialect: Dialect) -> impl Strategy<Value = (String, Vec<(String, usize)>)> {
    (
        filler(dialect),
        prop::collection::vec((statement(dialect), filler(dialect), filler(dialect)), 0..6),
        any::<bool>(),
    )
        .prop_map(|(lead, stmts, last_terminated)| {
            let mut text = lead.replace(';', " ");
            let mut expected = Vec::new();
            let count = stmts.len();
            for (i, (stmt, before, after)) in stmts.into_iter().enumerate() {
                let line = text.matches('\n').count() + 1;
                text.push_str(&stmt);
                expected.push((stmt, line));
                if i + 1 < count || last_terminated {
                    text.push_str(&before);
                    text.push(';');
                    text.push_str(&after);
                } else {
                    // Nothing but blanks and comments after an unterminated last one.
                    text.push_str(&before.replace(';', " "));
                }
            }
            (text, expected)
        })
}

/// A MySQL section that switches to a custom delimiter and back.
fn delimited_section() -> impl Strategy<Value = (String, Vec<(String, usize)>)> {
    (
        prop::sample::select(vec!["$$", "//", ";;", "|"]),
        prop::collection::vec((plain(MySql), blank(), filler(MySql)), 1..5),
        prop::collection::vec(plain(MySql), 0..3),
    )
        .prop_map(|(delimiter, custom, standard)| {
            let mut text = format!("DELIMITER {delimiter}\n");
            let mut expected = Vec::new();
            for (stmt, inner, after) in custom {
                // With a custom delimiter, `;` is an ordinary character.
                let stmt = format!("{stmt};{inner}c_more");
                let line = text.matches('\n').count() + 1;
                text.push_str(&stmt);
                expected.push((stmt, line));
                text.push(' ');
                text.push_str(delimiter);
                text.push_str(&after.replace(';', " "));
            }
            text.push_str("\nDELIMITER ;\n");
            for stmt in standard {
                let line = text.matches('\n').count() + 1;
                text.push_str(&stmt);
                expected.push((stmt, line));
                text.push_str(";\n");
            }
            (text, expected)
        })
}

fn split_pairs(dialect: Dialect, text: &str) -> Vec<(String, usize)> {
    split_statements(dialect, text)
        .into_iter()
        .map(|s| (s.sql, s.line))
        .collect()
}

/// Text made of the characters and words the splitter cares about.
fn sqlish() -> impl Strategy<Value = String> {
    let fragments = vec![
        "'",
        "\"",
        "`",
        "[",
        "]",
        "$",
        "$$",
        "$a$",
        ";",
        ";;",
        "--",
        "-- ",
        "#",
        "/*",
        "*/",
        "/*!",
        "\n",
        "\r\n",
        "\r",
        " ",
        "\t",
        "BEGIN",
        "end",
        "END IF",
        "CASE",
        "IF",
        "IF(",
        "LOOP",
        "REPEAT",
        "WHILE",
        "(",
        ")",
        ",",
        ":",
        ".",
        "CREATE TRIGGER t ",
        "CREATE PROCEDURE p() ",
        "CREATE FUNCTION f() ",
        "DEFINER=",
        "ATOMIC",
        "NOT",
        "DELIMITER ",
        "DELIMITER $$\n",
        "DELIMITER ;\n",
        "E'",
        "\\",
        "_",
        "1",
        "x",
        "é",
        "∞",
        "\u{a0}",
        "\u{2028}",
        "SELECT ",
        "._",
        "1e",
        "0x",
    ];
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(fragments).prop_map(String::from),
            1 => any::<char>().prop_map(String::from),
        ],
        0..40,
    )
    .prop_map(join)
}

/// The invariants of any split: pieces in order, not overlapping, trimmed, non-empty,
/// on the right lines; and every significant token outside them is a terminator (a
/// `;`, or in MySQL a custom delimiter or a `DELIMITER` line), while what the
/// tokenizer could not read is all inside the last piece.
fn check_invariants(dialect: Dialect, text: &str) -> Result<(), TestCaseError> {
    let pieces = pieces(dialect, text);
    let statements = split_statements(dialect, text);
    prop_assert_eq!(pieces.len(), statements.len());
    let line_count = text.matches('\n').count() + 1;
    let mut at = 0;
    for (p, s) in pieces.iter().zip(&statements) {
        prop_assert!(at <= p.start && p.start < p.end && p.end <= text.len());
        let sql = &text[p.start..p.end];
        prop_assert_eq!(sql, s.sql.as_str());
        prop_assert_eq!(sql, sql.trim());
        prop_assert_eq!(p.line, text[..p.start].matches('\n').count() + 1);
        prop_assert!(p.line >= 1 && p.line <= line_count);
        prop_assert_eq!(p.line, s.line);
        at = p.end;
    }

    let covered = |start: usize, end: usize| {
        pieces
            .iter()
            .any(|p| p.start <= start && end <= p.end && start < end)
    };
    let mut toks = Vec::new();
    let failed_at = lexer::tokenize(dialect, text, |t| toks.push(t));
    let mysql_delimiters = dialect == MySql && text.to_ascii_lowercase().contains("delimiter");
    for t in toks.iter().filter(|t| t.kind.is_significant()) {
        let token = &text[t.start..t.end];
        let trimmed = token.trim();
        let from = t.start + (token.len() - token.trim_start().len());
        if trimmed.is_empty() || covered(from, from + trimmed.len()) || t.kind == Kind::Semi {
            continue;
        }
        // Custom delimiters and DELIMITER lines (MySQL) are not statements either.
        prop_assert!(
            mysql_delimiters,
            "{:?} at {} lost from {:?}: {:?}",
            token,
            t.start,
            text,
            statements
        );
    }
    if let Some(failed) = failed_at {
        let rest = &text[failed..];
        if rest.trim().is_empty() {
            return Ok(());
        }
        let rest_start = failed + (rest.len() - rest.trim_start().len());
        let rest_end = text.trim_end().len();
        prop_assert!(
            pieces
                .last()
                .is_some_and(|p| p.start <= rest_start && p.end == rest_end),
            "unreadable text after {} lost from {:?}: {:?}",
            failed,
            text,
            statements
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_sections_split_back_into_their_statements(
        (dialect, (text, expected)) in dialect().prop_flat_map(|d| (Just(d), section(d)))
    ) {
        prop_assert_eq!(split_pairs(dialect, &text), expected, "{} on {:?}", dialect, text);
    }

    #[test]
    fn mysql_custom_delimiters_split_back((text, expected) in delimited_section()) {
        prop_assert_eq!(split_pairs(MySql, &text), expected, "on {:?}", text);
    }

    #[test]
    fn sql_like_text_keeps_the_invariants(dialect in dialect(), text in sqlish()) {
        check_invariants(dialect, &text)?;
    }

    #[test]
    fn arbitrary_text_keeps_the_invariants(dialect in dialect(), text in any::<String>()) {
        check_invariants(dialect, &text)?;
    }

    #[test]
    fn generated_sections_with_damage_keep_the_invariants(
        (dialect, (text, _)) in dialect().prop_flat_map(|d| (Just(d), section(d))),
        cut in any::<prop::sample::Index>(),
        insert in prop::sample::select(vec!["'", "\"", "$$", "/*", "`", "[", "BEGIN ", "END;", "DELIMITER $$\n"]),
    ) {
        let mut at = cut.index(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let damaged = format!("{}{insert}{}", &text[..at], &text[at..]);
        check_invariants(dialect, &damaged)?;
    }
}
