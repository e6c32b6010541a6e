//! The splitter's rules, per dialect (written from PRODUCT.md §2).

use super::{split_statements, Statement};
use crate::config::Dialect::{self, MySql, Postgres, Sqlite};

fn split(dialect: Dialect, text: &str) -> Vec<(String, usize)> {
    split_statements(dialect, text)
        .into_iter()
        .map(|Statement { sql, line }| (sql, line))
        .collect()
}

fn sqls(dialect: Dialect, text: &str) -> Vec<String> {
    split(dialect, text).into_iter().map(|(s, _)| s).collect()
}

#[test]
fn plain_statements_with_lines_and_no_leading_comments() {
    let text = "-- first\nCREATE TABLE a (id INT);\n\n/* two\nlines */ INSERT INTO a VALUES (1);\nSELECT 1";
    for d in [Postgres, MySql, Sqlite] {
        assert_eq!(
            split(d, text),
            vec![
                ("CREATE TABLE a (id INT)".to_string(), 2),
                ("INSERT INTO a VALUES (1)".to_string(), 5),
                ("SELECT 1".to_string(), 6),
            ],
            "{d}"
        );
    }
}

#[test]
fn empty_statements_and_comment_only_text_are_dropped() {
    for d in [Postgres, MySql, Sqlite] {
        assert!(split(d, "  ;; -- nothing\n/* here */\n").is_empty(), "{d}");
        assert_eq!(
            sqls(d, ";SELECT 1;;SELECT 2;"),
            vec!["SELECT 1", "SELECT 2"]
        );
    }
}

#[test]
fn semicolons_in_strings_identifiers_and_comments_do_not_split() {
    let text =
        "INSERT INTO t VALUES ('a;b', 'it''s;');\n-- c;omment\nSELECT \"we;ird\" FROM t /* x; */;";
    for d in [Postgres, Sqlite] {
        assert_eq!(
            sqls(d, text),
            vec![
                "INSERT INTO t VALUES ('a;b', 'it''s;')",
                "SELECT \"we;ird\" FROM t /* x; */"
            ],
            "{d}"
        );
    }
    assert_eq!(
        sqls(MySql, "SELECT `a;b` FROM t; SELECT 'x\\';y';"),
        vec!["SELECT `a;b` FROM t", "SELECT 'x\\';y'"]
    );
}

#[test]
fn postgres_dollar_quoted_bodies() {
    let text = "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql;\n\nDO $body$ BEGIN PERFORM 1; END $body$;\nSELECT E'a\\';b';";
    assert_eq!(
        split(Postgres, text),
        vec![
            (
                "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql".to_string(),
                1
            ),
            ("DO $body$ BEGIN PERFORM 1; END $body$".to_string(), 7),
            ("SELECT E'a\\';b'".to_string(), 8),
        ]
    );
}

#[test]
fn postgres_begin_atomic_body() {
    let text = "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE SQL\nBEGIN ATOMIC\n  SELECT a + b;\nEND;\nSELECT 2;";
    assert_eq!(
        sqls(Postgres, text),
        vec![
            "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE SQL\nBEGIN ATOMIC\n  SELECT a + b;\nEND",
            "SELECT 2"
        ]
    );
}

#[test]
fn transaction_statements_are_their_own_statements() {
    for d in [Postgres, MySql, Sqlite] {
        assert_eq!(
            sqls(
                d,
                "BEGIN;\nCREATE TABLE a (id INT);\nCOMMIT;\nSTART TRANSACTION;\nEND;"
            ),
            vec![
                "BEGIN",
                "CREATE TABLE a (id INT)",
                "COMMIT",
                "START TRANSACTION",
                "END"
            ],
            "{d}"
        );
    }
}

#[test]
fn case_expressions_outside_routines() {
    let text = "SELECT CASE WHEN a THEN 1 ELSE 2 END FROM t;\nSELECT 3;";
    for d in [Postgres, MySql, Sqlite] {
        assert_eq!(sqls(d, text).len(), 2, "{d}");
    }
}

#[test]
fn sqlite_trigger_bodies() {
    let text = "CREATE TRIGGER trg AFTER INSERT ON a\nBEGIN\n  INSERT INTO log VALUES (new.id);\n  UPDATE c SET n = n + 1;\nEND;\nSELECT 1;";
    assert_eq!(
        split(Sqlite, text),
        vec![
            (
                "CREATE TRIGGER trg AFTER INSERT ON a\nBEGIN\n  INSERT INTO log VALUES (new.id);\n  UPDATE c SET n = n + 1;\nEND".to_string(),
                1
            ),
            ("SELECT 1".to_string(), 6),
        ]
    );
}

#[test]
fn mysql_procedures_with_nested_blocks() {
    let text = "CREATE DEFINER=`root`@`%` PROCEDURE p(IN n INT)\nBEGIN\n  DECLARE i INT DEFAULT 0;\n  IF n > 0 THEN\n    SET i = 1;\n  END IF;\n  l: LOOP\n    SET i = i + 1;\n    IF i > n THEN LEAVE l; END IF;\n  END LOOP;\n  CASE i WHEN 1 THEN SET i = 2; ELSE SET i = 3; END CASE;\nEND;\nCALL p(3);";
    let got = split(MySql, text);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got[0].0.ends_with("END CASE;\nEND"));
    assert_eq!(got[1], ("CALL p(3)".to_string(), 13));
}

#[test]
fn mysql_delimiter_command() {
    let text = "CREATE TABLE a (id INT);\nDELIMITER $$\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW\nBEGIN\n  SET NEW.id = 1;\nEND$$\nDELIMITER ;\nINSERT INTO a VALUES (2);";
    assert_eq!(
        split(MySql, text),
        vec![
            ("CREATE TABLE a (id INT)".to_string(), 1),
            (
                "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW\nBEGIN\n  SET NEW.id = 1;\nEND"
                    .to_string(),
                3
            ),
            ("INSERT INTO a VALUES (2)".to_string(), 8),
        ]
    );
}

#[test]
fn unreadable_text_is_kept_as_written() {
    let text = "CREATE TABLE a (id INT);\nINSERT INTO a VALUES ('unterminated);\nSELECT 1;";
    for d in [Postgres, MySql, Sqlite] {
        assert_eq!(
            split(d, text),
            vec![
                ("CREATE TABLE a (id INT)".to_string(), 1),
                (
                    "INSERT INTO a VALUES ('unterminated);\nSELECT 1;".to_string(),
                    2
                ),
            ],
            "{d}"
        );
    }
    let text = "SELECT 1;\nCREATE FUNCTION f() AS $$ never closed;";
    assert_eq!(
        split(Postgres, text),
        vec![
            ("SELECT 1".to_string(), 1),
            ("CREATE FUNCTION f() AS $$ never closed;".to_string(), 2)
        ]
    );
}

#[test]
fn lines_survive_crlf_and_multiline_tokens() {
    let text = "SELECT 'a\r\nb';\r\n/* x\r\n y */\r\nSELECT $$\r\n$$;\r\nSELECT 3;";
    assert_eq!(
        split(Postgres, text)
            .into_iter()
            .map(|(_, l)| l)
            .collect::<Vec<_>>(),
        vec![1, 5, 7]
    );
}

#[test]
fn a_column_named_begin_does_not_open_a_block() {
    let text = "CREATE TABLE spans (begin INT, \"end\" INT);\nSELECT 1;";
    assert_eq!(sqls(Postgres, text).len(), 2);
}
