//! Examples of every splitting rule of [`split_statements`], per dialect.

use super::*;

use Dialect::{MySql, Postgres, Sqlite};

const ALL: [Dialect; 3] = [Postgres, MySql, Sqlite];

/// The statements as (text, line) pairs.
fn split(dialect: Dialect, text: &str) -> Vec<(String, usize)> {
    split_statements(dialect, text)
        .into_iter()
        .map(|s| (s.sql, s.line))
        .collect()
}

/// Expected (text, line) pairs.
fn want(pairs: &[(&str, usize)]) -> Vec<(String, usize)> {
    pairs.iter().map(|(s, l)| (s.to_string(), *l)).collect()
}

fn check(dialect: Dialect, text: &str, expected: &[(&str, usize)]) {
    assert_eq!(
        split(dialect, text),
        want(expected),
        "{dialect} on:\n{text}"
    );
}

fn check_all(text: &str, expected: &[(&str, usize)]) {
    for dialect in ALL {
        check(dialect, text, expected);
    }
}

// ---------------------------------------------------------------------------------
// All dialects

#[test]
fn splits_at_semicolons_with_lines() {
    check_all(
        "SELECT 1;\nSELECT 2;\n\n\nSELECT 3;",
        &[("SELECT 1", 1), ("SELECT 2", 2), ("SELECT 3", 5)],
    );
}

#[test]
fn several_statements_on_one_line() {
    check_all(
        "SELECT 1; SELECT 2;SELECT 3",
        &[("SELECT 1", 1), ("SELECT 2", 1), ("SELECT 3", 1)],
    );
}

#[test]
fn the_product_example() {
    let text = "ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT false;\n";
    check_all(
        text,
        &[(
            "ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT false",
            1,
        )],
    );
}

#[test]
fn final_statement_without_semicolon_is_kept() {
    check_all("SELECT 1;\nSELECT 2\n", &[("SELECT 1", 1), ("SELECT 2", 2)]);
    check_all("  SELECT 1  ", &[("SELECT 1", 1)]);
}

#[test]
fn empty_statements_are_dropped() {
    check_all(";;  ;\n-- only a comment;\n;/* and ; another */;\n\n", &[]);
    check_all("", &[]);
    check_all("   \n\t\r\n", &[]);
    check_all(
        "SELECT 1;;;\n;SELECT 2;;",
        &[("SELECT 1", 1), ("SELECT 2", 2)],
    );
}

#[test]
fn single_quoted_strings_hide_semicolons() {
    check_all(
        "INSERT INTO t VALUES ('a;b', 'it''s; fine');\nSELECT ';'",
        &[
            ("INSERT INTO t VALUES ('a;b', 'it''s; fine')", 1),
            ("SELECT ';'", 2),
        ],
    );
}

#[test]
fn double_quoted_names_hide_semicolons() {
    check_all(
        "SELECT \"a;b\" FROM \"t;\"\"x\";\nSELECT 2;",
        &[("SELECT \"a;b\" FROM \"t;\"\"x\"", 1), ("SELECT 2", 2)],
    );
}

#[test]
fn line_comments_hide_semicolons_and_quotes() {
    check_all(
        "SELECT 1 -- it's; not 'the end\n  , 2;\nSELECT 3;",
        &[
            ("SELECT 1 -- it's; not 'the end\n  , 2", 1),
            ("SELECT 3", 3),
        ],
    );
}

#[test]
fn block_comments_hide_semicolons_and_quotes() {
    check_all(
        "SELECT 1 /* it's; \"not\n the end */ + 2;\nSELECT 3;",
        &[
            ("SELECT 1 /* it's; \"not\n the end */ + 2", 1),
            ("SELECT 3", 3),
        ],
    );
}

#[test]
fn leading_comments_and_blank_lines_are_not_part_of_a_statement() {
    check_all(
        "-- first; comment\n\n/* block;\n comment */\n\n  SELECT 1;\n-- between\nSELECT 2;",
        &[("SELECT 1", 6), ("SELECT 2", 8)],
    );
}

#[test]
fn trailing_comments_are_not_part_of_a_statement() {
    check_all(
        "SELECT 1 -- about one\n;\nSELECT 2 /* about two */;\nSELECT 3 -- about three\n",
        &[("SELECT 1", 1), ("SELECT 2", 3), ("SELECT 3", 4)],
    );
}

#[test]
fn comments_inside_a_statement_are_kept_verbatim() {
    check_all(
        "SELECT a, -- the a; column\n       /* b ; */ b\nFROM t;",
        &[("SELECT a, -- the a; column\n       /* b ; */ b\nFROM t", 1)],
    );
}

#[test]
fn case_end_in_a_select_does_not_nest() {
    check_all(
        "SELECT CASE WHEN a > 0 THEN 'x;' ELSE 'y' END AS c FROM t;\nSELECT CASE a WHEN 1 THEN 2 END;\nSELECT 3;",
        &[
            ("SELECT CASE WHEN a > 0 THEN 'x;' ELSE 'y' END AS c FROM t", 1),
            ("SELECT CASE a WHEN 1 THEN 2 END", 2),
            ("SELECT 3", 3),
        ],
    );
}

#[test]
fn transaction_statements_are_their_own_statements() {
    check_all(
        "BEGIN;\nCREATE TABLE t (a INT);\nCOMMIT;\nSTART TRANSACTION;\nINSERT INTO t VALUES (1);\nROLLBACK;",
        &[
            ("BEGIN", 1),
            ("CREATE TABLE t (a INT)", 2),
            ("COMMIT", 3),
            ("START TRANSACTION", 4),
            ("INSERT INTO t VALUES (1)", 5),
            ("ROLLBACK", 6),
        ],
    );
    check_all(
        "BEGIN TRANSACTION;\nSELECT 1;\nEND;\nbegin work;\nSELECT 2;\ncommit work;",
        &[
            ("BEGIN TRANSACTION", 1),
            ("SELECT 1", 2),
            ("END", 3),
            ("begin work", 4),
            ("SELECT 2", 5),
            ("commit work", 6),
        ],
    );
}

#[test]
fn keywords_are_case_insensitive() {
    check_all(
        "create trigger trg after insert on t for each row begin\n  insert into log values (1);\nend;\nselect 1;",
        &[
            (
                "create trigger trg after insert on t for each row begin\n  insert into log values (1);\nend",
                1,
            ),
            ("select 1", 4),
        ],
    );
}

#[test]
fn quoted_words_are_not_keywords() {
    // `"begin"` and `'BEGIN'` open nothing, even in a trigger.
    check_all(
        "CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW BEGIN\n  INSERT INTO \"begin\" VALUES ('BEGIN');\nEND;\nSELECT 1;",
        &[
            (
                "CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW BEGIN\n  INSERT INTO \"begin\" VALUES ('BEGIN');\nEND",
                1,
            ),
            ("SELECT 1", 4),
        ],
    );
}

#[test]
fn crlf_line_endings() {
    check_all(
        "SELECT 1;\r\nSELECT 'a\r\nb';\r\n\r\n-- c\r\nSELECT 3;\r\n",
        &[("SELECT 1", 1), ("SELECT 'a\r\nb'", 2), ("SELECT 3", 6)],
    );
}

#[test]
fn lines_after_multi_line_strings_and_comments() {
    check_all(
        "SELECT 'one\ntwo\nthree';\n/* four\nfive */ SELECT 6;\n\n-- eight\nSELECT 9\n  ; SELECT 10;",
        &[
            ("SELECT 'one\ntwo\nthree'", 1),
            ("SELECT 6", 5),
            ("SELECT 9", 8),
            ("SELECT 10", 9),
        ],
    );
}

#[test]
fn non_ascii_text() {
    check_all(
        "INSERT INTO t VALUES ('café; crème', 'ü');\n-- ∞;\nSELECT 'ß' AS \"größe\";",
        &[
            ("INSERT INTO t VALUES ('café; crème', 'ü')", 1),
            ("SELECT 'ß' AS \"größe\"", 3),
        ],
    );
}

#[test]
fn unterminated_string_becomes_one_last_statement() {
    check_all(
        "SELECT 1;\nSELECT 'abc;\nSELECT 2;\n",
        &[("SELECT 1", 1), ("SELECT 'abc;\nSELECT 2;", 2)],
    );
    check_all("SELECT 'abc", &[("SELECT 'abc", 1)]);
}

#[test]
fn unreadable_text_at_a_statement_start_keeps_its_own_line() {
    check_all(
        "SELECT 1;\n-- a comment\n\n'abc; SELECT 2",
        &[("SELECT 1", 1), ("'abc; SELECT 2", 4)],
    );
}

#[test]
fn unterminated_block_comment_is_kept_as_written() {
    check_all(
        "SELECT 1;\nSELECT 2 /* never closed;\nSELECT 3;",
        &[("SELECT 1", 1), ("SELECT 2 /* never closed;\nSELECT 3;", 2)],
    );
    check_all(
        "SELECT 1;\n/* never closed; SELECT 2;",
        &[("SELECT 1", 1), ("/* never closed; SELECT 2;", 2)],
    );
}

#[test]
fn unterminated_quoted_name_is_kept_as_written() {
    check_all(
        "SELECT 1;\r\n\r\nSELECT \"abc; FROM t;\r\n",
        &[("SELECT 1", 1), ("SELECT \"abc; FROM t;", 3)],
    );
}

#[test]
fn unreadable_text_inside_a_routine_body() {
    check_all(
        "SELECT 0;\nCREATE TRIGGER trg AFTER INSERT ON t BEGIN\n  SELECT 'oops;\nEND;\nSELECT 1;",
        &[
            ("SELECT 0", 1),
            (
                "CREATE TRIGGER trg AFTER INSERT ON t BEGIN\n  SELECT 'oops;\nEND;\nSELECT 1;",
                2,
            ),
        ],
    );
}

// ---------------------------------------------------------------------------------
// PostgreSQL

#[test]
fn pg_function_with_dollar_body() {
    let text = "\
CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $$
BEGIN
  NEW.updated_at := now();  -- it's; fine
  IF NEW.x THEN RETURN NEW; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW EXECUTE FUNCTION touch();
SELECT 1;";
    check(
        Postgres,
        text,
        &[
            (
                &text[..text.find("$$ LANGUAGE").unwrap_or(0) + "$$ LANGUAGE plpgsql".len()],
                1,
            ),
            (
                "CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW EXECUTE FUNCTION touch()",
                8,
            ),
            ("SELECT 1", 9),
        ],
    );
}

#[test]
fn pg_function_with_tagged_dollar_body() {
    check(
        Postgres,
        "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $fn$\n  SELECT '$$;' || $x$;$x$;\n$fn$;\nSELECT 2;",
        &[
            (
                "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $fn$\n  SELECT '$$;' || $x$;$x$;\n$fn$",
                1,
            ),
            ("SELECT 2", 4),
        ],
    );
}

#[test]
fn pg_do_block() {
    check(
        Postgres,
        "DO $$\nBEGIN\n  RAISE NOTICE 'x;';\n  PERFORM 1;\nEND\n$$;\nSELECT 1;",
        &[
            (
                "DO $$\nBEGIN\n  RAISE NOTICE 'x;';\n  PERFORM 1;\nEND\n$$",
                1,
            ),
            ("SELECT 1", 7),
        ],
    );
    check(
        Postgres,
        "DO LANGUAGE plpgsql $body$ BEGIN PERFORM 1; END $body$;",
        &[("DO LANGUAGE plpgsql $body$ BEGIN PERFORM 1; END $body$", 1)],
    );
}

#[test]
fn pg_begin_atomic_body() {
    let body = "CREATE FUNCTION h(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT a + 1;\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\nEND";
    check(
        Postgres,
        &format!("{body};\nSELECT 3;"),
        &[(body, 1), ("SELECT 3", 6)],
    );
    let procedure = "CREATE OR REPLACE PROCEDURE p()\nLANGUAGE sql\nBEGIN ATOMIC\n  INSERT INTO t VALUES (1);\n  INSERT INTO t VALUES (2);\nEND";
    check(
        Postgres,
        &format!("{procedure};\nCALL p();"),
        &[(procedure, 1), ("CALL p()", 7)],
    );
}

#[test]
fn pg_escape_strings() {
    check(
        Postgres,
        "SELECT E'it\\'s; here', e'\\\\';\nSELECT 2;",
        &[("SELECT E'it\\'s; here', e'\\\\'", 1), ("SELECT 2", 2)],
    );
}

#[test]
fn pg_standard_strings_do_not_escape_backslashes() {
    // In a standard string a backslash is an ordinary character.
    check(
        Postgres,
        "SELECT 'a\\';\nSELECT 2;",
        &[("SELECT 'a\\'", 1), ("SELECT 2", 2)],
    );
}

#[test]
fn pg_nested_block_comments() {
    check(
        Postgres,
        "/* outer /* inner; */ still; comment */ SELECT 1; SELECT 2;",
        &[("SELECT 1", 1), ("SELECT 2", 1)],
    );
}

#[test]
fn pg_unterminated_dollar_quote_is_kept_as_written() {
    check(
        Postgres,
        "SELECT 1;\nCREATE FUNCTION f() RETURNS int AS $$\nSELECT 1;\n",
        &[
            ("SELECT 1", 1),
            ("CREATE FUNCTION f() RETURNS int AS $$\nSELECT 1;", 2),
        ],
    );
}

#[test]
fn pg_semicolons_inside_parentheses_do_not_split() {
    // As in `psql`: a rule's actions are `;`-separated inside parentheses.
    let rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (\n  INSERT INTO a VALUES (1);\n  INSERT INTO b VALUES (2)\n)";
    check(
        Postgres,
        &format!("{rule};\nSELECT 1;"),
        &[(rule, 1), ("SELECT 1", 5)],
    );
    // An unclosed parenthesis: the final `;` is inside it, so part of the text.
    check(
        Postgres,
        "SELECT (1;\nSELECT 2;",
        &[("SELECT (1;\nSELECT 2;", 1)],
    );
    // MySQL and SQLite clients do not count parentheses.
    for dialect in [MySql, Sqlite] {
        check(
            dialect,
            "SELECT (1;\nSELECT 2;",
            &[("SELECT (1", 1), ("SELECT 2", 2)],
        );
    }
}

#[test]
fn pg_positional_parameters_and_casts() {
    check(
        Postgres,
        "PREPARE q AS SELECT $1::int;\nEXECUTE q(1);",
        &[("PREPARE q AS SELECT $1::int", 1), ("EXECUTE q(1)", 2)],
    );
}

#[test]
fn pg_delimiter_is_not_a_command() {
    check(
        Postgres,
        "DELIMITER //\nSELECT 1;",
        &[("DELIMITER //\nSELECT 1", 1)],
    );
}

// ---------------------------------------------------------------------------------
// MySQL / MariaDB

const MYSQL_PROCEDURE: &str = "\
CREATE PROCEDURE count_to(IN n INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  lbl: LOOP
    SET i = i + 1;
    IF i > n THEN
      LEAVE lbl;
    ELSEIF i = 2 THEN
      SELECT 'two;';
    ELSE
      ITERATE lbl;
    END IF;
  END LOOP lbl;
  WHILE i > 0 DO
    SET i = i - 1;
  END WHILE;
  REPEAT
    SET i = i + 1;
  UNTIL i > 3 END REPEAT;
  CASE i
    WHEN 1 THEN SELECT 1;
    ELSE BEGIN SELECT 2; END;
  END CASE;
END";

#[test]
fn mysql_procedure_with_nested_blocks() {
    check(
        MySql,
        &format!("{MYSQL_PROCEDURE};\nCALL count_to(3);\n"),
        &[(MYSQL_PROCEDURE, 1), ("CALL count_to(3)", 25)],
    );
}

#[test]
fn mysql_procedure_with_delimiter() {
    let text = format!("DELIMITER $$\n{MYSQL_PROCEDURE}$$\nDELIMITER ;\nCALL count_to(3);\n");
    check(
        MySql,
        &text,
        &[(MYSQL_PROCEDURE, 2), ("CALL count_to(3)", 27)],
    );
}

#[test]
fn mysql_delimiter_commands() {
    let text = "\
SELECT 0;
DELIMITER $$
CREATE PROCEDURE p()
BEGIN
  SELECT 1;
END$$
CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; END $$
DELIMITER ;
SELECT 2;
delimiter //
SELECT 3; SELECT 4 //
DELIMITER ;
SELECT 5;";
    check(
        MySql,
        text,
        &[
            ("SELECT 0", 1),
            ("CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND", 3),
            (
                "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; END",
                7,
            ),
            ("SELECT 2", 9),
            ("SELECT 3; SELECT 4", 11),
            ("SELECT 5", 13),
        ],
    );
}

#[test]
fn mysql_custom_delimiter_ignores_quotes_and_comments() {
    check(
        MySql,
        "DELIMITER $$\nSELECT '$$' $$\nSELECT 1 -- $$ here\n$$\nSELECT `a$$b` /* $$ */ $$\nDELIMITER ;",
        &[
            ("SELECT '$$'", 2),
            ("SELECT 1", 3),
            ("SELECT `a$$b`", 5),
        ],
    );
}

#[test]
fn mysql_custom_delimiter_inside_words() {
    check(
        MySql,
        "DELIMITER $$\nSELECT 1$$SELECT 2$$ $$\nSELECT 3$$",
        &[("SELECT 1", 2), ("SELECT 2", 2), ("SELECT 3", 3)],
    );
    check(
        MySql,
        "DELIMITER //\nSELECT 1//SELECT 2//\n",
        &[("SELECT 1", 2), ("SELECT 2", 2)],
    );
}

#[test]
fn mysql_delimiter_of_two_semicolons() {
    check(
        MySql,
        "DELIMITER ;;\nSELECT 1; SELECT 2;;\nDELIMITER ;\nSELECT 3;",
        &[("SELECT 1; SELECT 2", 2), ("SELECT 3", 4)],
    );
}

#[test]
fn mysql_delimiter_argument_forms() {
    // A quoted argument loses its quotes; a comment after the argument is ignored.
    check(
        MySql,
        "DELIMITER '$$'\nSELECT 1$$\nDELIMITER ; -- back\nSELECT 2;",
        &[("SELECT 1", 2), ("SELECT 2", 4)],
    );
}

#[test]
fn mysql_delimiter_with_crlf() {
    check(
        MySql,
        "DELIMITER $$\r\nSELECT 1; SELECT 2$$\r\nDELIMITER ;\r\nSELECT 3;\r\n",
        &[("SELECT 1; SELECT 2", 2), ("SELECT 3", 4)],
    );
}

#[test]
fn mysql_delimiter_only_at_a_statement_start() {
    // A column named `delimiter` is not a command.
    check(
        MySql,
        "CREATE TABLE t (\n  delimiter VARCHAR(10)\n);\nSELECT 1;",
        &[
            ("CREATE TABLE t (\n  delimiter VARCHAR(10)\n)", 1),
            ("SELECT 1", 4),
        ],
    );
}

#[test]
fn mysql_delimiter_line_that_is_not_a_command_is_sql() {
    // No argument.
    check(MySql, "DELIMITER\nSELECT 1;", &[("DELIMITER\nSELECT 1", 1)]);
    // A quote on the line runs past its end: the line is SQL.
    check(
        MySql,
        "DELIMITER $$ 'a\nb';\nSELECT 1;",
        &[("DELIMITER $$ 'a\nb'", 1), ("SELECT 1", 3)],
    );
    // An unterminated quote: everything from the line on is one statement.
    check(
        MySql,
        "SELECT 0;\nDELIMITER '\nSELECT 1;",
        &[("SELECT 0", 1), ("DELIMITER '\nSELECT 1;", 2)],
    );
}

#[test]
fn mysql_delimiter_lines_are_not_statements() {
    check(MySql, "DELIMITER $$\nDELIMITER ;\n", &[]);
    check(MySql, "DELIMITER $$", &[]);
}

#[test]
fn mysql_backticks_and_hash_comments() {
    check(
        MySql,
        "SELECT `a;b` FROM `t``;`; # it's; a comment\nSELECT 2;",
        &[("SELECT `a;b` FROM `t``;`", 1), ("SELECT 2", 2)],
    );
}

#[test]
fn mysql_backslash_escapes_in_strings() {
    check(
        MySql,
        "SELECT 'c\\';d', \"a\\\";b\";\nSELECT 2;",
        &[("SELECT 'c\\';d', \"a\\\";b\"", 1), ("SELECT 2", 2)],
    );
}

#[test]
fn mysql_double_dash_needs_a_space() {
    // `1--1` is arithmetic in MySQL, not a comment.
    check(
        MySql,
        "SELECT 1--1;\nSELECT 2;",
        &[("SELECT 1--1", 1), ("SELECT 2", 2)],
    );
}

#[test]
fn mysql_if_and_repeat_functions_do_not_nest() {
    let trigger = "\
CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW
BEGIN
  SET NEW.a = IF(NEW.b > 0, 1, 0);
  SET NEW.c = CASE WHEN NEW.d THEN IF(NEW.e, 1, 2) ELSE REPEAT('x', 2) END;
  IF (NEW.f > 0) THEN SET NEW.g = 1; END IF;
  IF NOT EXISTS (SELECT 1 FROM u WHERE u.id IN (1, 2)) THEN SET NEW.h = 1; END IF;
END";
    check(
        MySql,
        &format!("{trigger};\nSELECT 1;"),
        &[(trigger, 1), ("SELECT 1", 8)],
    );
}

#[test]
fn mysql_trigger_body_without_begin() {
    check(
        MySql,
        "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1;\nSELECT 1;",
        &[
            (
                "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1",
                1,
            ),
            ("SELECT 1", 2),
        ],
    );
    check(
        MySql,
        "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW IF NEW.a THEN SET NEW.b = 1; END IF;\nSELECT 1;",
        &[
            (
                "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW IF NEW.a THEN SET NEW.b = 1; END IF",
                1,
            ),
            ("SELECT 1", 2),
        ],
    );
}

#[test]
fn mysql_definer_and_other_routine_headers() {
    for header in [
        "CREATE DEFINER=`root`@`localhost` PROCEDURE p()",
        "CREATE DEFINER = 'app'@'%' TRIGGER trg BEFORE INSERT ON t FOR EACH ROW",
        "CREATE DEFINER=root@localhost FUNCTION f() RETURNS INT DETERMINISTIC",
        "CREATE OR REPLACE DEFINER=CURRENT_USER() FUNCTION f() RETURNS INT",
        "CREATE DEFINER=CURRENT_USER AGGREGATE FUNCTION f(x INT) RETURNS INT",
        "CREATE FUNCTION IF NOT EXISTS f() RETURNS INT",
        "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO",
    ] {
        let routine = format!("{header}\nBEGIN\n  SELECT 1;\n  RETURN 1;\nEND");
        check(
            MySql,
            &format!("{routine};\nSELECT 2;"),
            &[(&routine, 1), ("SELECT 2", 6)],
        );
    }
}

#[test]
fn qualified_names_are_not_keywords() {
    // `NEW.end`, `t.begin`, `x.case` are columns, whatever their names.
    let trigger = "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN\n  SET NEW.end = NEW.begin + 1;\n  SET NEW.loop = (SELECT x.case FROM x);\nEND";
    check(
        MySql,
        &format!("{trigger};\nSELECT 1;"),
        &[(trigger, 1), ("SELECT 1", 5)],
    );
    let function =
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT t.end FROM t;\nEND";
    check(
        Postgres,
        &format!("{function};\nSELECT 1;"),
        &[(function, 1), ("SELECT 1", 5)],
    );
}

#[test]
fn mysql_view_with_definer_is_an_ordinary_statement() {
    check(
        MySql,
        "CREATE DEFINER=root@localhost SQL SECURITY INVOKER VIEW v AS SELECT CASE WHEN 1 THEN 2 END AS c;\nSELECT 3;",
        &[
            (
                "CREATE DEFINER=root@localhost SQL SECURITY INVOKER VIEW v AS SELECT CASE WHEN 1 THEN 2 END AS c",
                1,
            ),
            ("SELECT 3", 2),
        ],
    );
}

#[test]
fn mysql_event_with_body() {
    let event = "CREATE EVENT purge ON SCHEDULE EVERY 1 DAY DO BEGIN\n  DELETE FROM t;\n  INSERT INTO log VALUES ('purged;');\nEND";
    check(
        MySql,
        &format!("{event};\nSELECT 1;"),
        &[(event, 1), ("SELECT 1", 5)],
    );
}

#[test]
fn mariadb_begin_not_atomic() {
    let block =
        "BEGIN NOT ATOMIC\n  DECLARE x INT;\n  SET x = 1;\n  IF x THEN SELECT x; END IF;\nEND";
    check(
        MySql,
        &format!("{block};\nSELECT 1;\nBEGIN;\nSELECT 2;"),
        &[(block, 1), ("SELECT 1", 6), ("BEGIN", 7), ("SELECT 2", 8)],
    );
}

#[test]
fn mysql_executable_comments_are_statements() {
    check(
        MySql,
        "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n/*!40101 SET NAMES utf8mb4; */;\nCREATE TABLE t (a INT) /*!50100 PARTITION BY HASH (a) */;",
        &[
            ("/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */", 1),
            ("/*!40101 SET NAMES utf8mb4; */", 2),
            ("CREATE TABLE t (a INT) /*!50100 PARTITION BY HASH (a) */", 3),
        ],
    );
    // Elsewhere they are comments.
    check(
        Postgres,
        "/*!40101 SET NAMES utf8mb4 */;\nSELECT 1;",
        &[("SELECT 1", 2)],
    );
}

#[test]
fn mysql_begin_and_start_transaction() {
    check(
        MySql,
        "START TRANSACTION;\nBEGIN WORK;\nBEGIN;\nCOMMIT;",
        &[
            ("START TRANSACTION", 1),
            ("BEGIN WORK", 2),
            ("BEGIN", 3),
            ("COMMIT", 4),
        ],
    );
}

// ---------------------------------------------------------------------------------
// SQLite

#[test]
fn sqlite_trigger_body() {
    let trigger = "\
CREATE TRIGGER trg AFTER INSERT ON t
BEGIN
  INSERT INTO log VALUES (new.id, 'a;b');
  UPDATE c SET n = CASE WHEN n IS NULL THEN 1 ELSE n + 1 END;
END";
    check(
        Sqlite,
        &format!("{trigger};\nSELECT 1;"),
        &[(trigger, 1), ("SELECT 1", 6)],
    );
}

#[test]
fn sqlite_temp_trigger_with_when_clause() {
    let trigger = "CREATE TEMP TRIGGER IF NOT EXISTS trg BEFORE UPDATE ON t\nWHEN (SELECT CASE WHEN old.a THEN 1 END)\nBEGIN\n  SELECT RAISE(ABORT, 'no;');\n  DELETE FROM u;\nEND";
    check(
        Sqlite,
        &format!("{trigger};\nSELECT 1;"),
        &[(trigger, 1), ("SELECT 1", 7)],
    );
}

#[test]
fn sqlite_trigger_ends_at_semicolon_end_semicolon() {
    // As `sqlite3_complete()`: `end` and `begin` are valid column names in SQLite.
    let trigger = "CREATE TRIGGER trg AFTER UPDATE ON spans\nBEGIN\n  UPDATE spans SET end = new.end, begin = 1 WHERE id = new.id;\n  SELECT CASE WHEN end THEN 1 END FROM spans;\nEND";
    check(
        Sqlite,
        &format!("{trigger};\nSELECT 1;"),
        &[(trigger, 1), ("SELECT 1", 6)],
    );
    check(
        Sqlite,
        "CREATE TRIGGER trg AFTER INSERT ON t BEGIN SELECT 1; /* c */ end /* d */ ; SELECT 2;",
        &[
            (
                "CREATE TRIGGER trg AFTER INSERT ON t BEGIN SELECT 1; /* c */ end",
                1,
            ),
            ("SELECT 2", 1),
        ],
    );
}

#[test]
fn sqlite_has_no_other_routines() {
    check(
        Sqlite,
        "CREATE FUNCTION f() RETURNS int BEGIN SELECT 1; END;\nSELECT 2;",
        &[
            ("CREATE FUNCTION f() RETURNS int BEGIN SELECT 1", 1),
            ("END", 1),
            ("SELECT 2", 2),
        ],
    );
}

#[test]
fn sqlite_bracket_names() {
    check(
        Sqlite,
        "SELECT [a;b], `c;d` FROM [t;];\nSELECT 2;",
        &[("SELECT [a;b], `c;d` FROM [t;]", 1), ("SELECT 2", 2)],
    );
}

#[test]
fn sqlite_transactions() {
    check(
        Sqlite,
        "BEGIN IMMEDIATE;\nSELECT 1;\nEND TRANSACTION;\nBEGIN EXCLUSIVE TRANSACTION;\nCOMMIT;",
        &[
            ("BEGIN IMMEDIATE", 1),
            ("SELECT 1", 2),
            ("END TRANSACTION", 3),
            ("BEGIN EXCLUSIVE TRANSACTION", 4),
            ("COMMIT", 5),
        ],
    );
}

#[test]
fn sqlite_has_no_dollar_quotes() {
    check(
        Sqlite,
        "SELECT $$; SELECT $a$;",
        &[("SELECT $$", 1), ("SELECT $a$", 1)],
    );
}

// ---------------------------------------------------------------------------------
// Found by the property tests and the fuzzer

#[test]
fn white_space_that_tokenizes_as_a_word_is_trimmed_with_its_line() {
    // MySQL and PostgreSQL read a no-break space as (the start of) a word.
    check(MySql, "\u{a0}\n'", &[("'", 2)]);
    check(Postgres, "\u{a0}\n'", &[("'", 2)]);
}

#[test]
fn row_changes_are_told_apart_from_everything_else() {
    let st = |sql: &str| Statement {
        sql: sql.to_string(),
        line: 1,
    };
    for sql in [
        "INSERT INTO t VALUES (1)",
        "insert into t values (1)",
        "UPDATE t SET a = 1",
        "DELETE FROM t",
        "REPLACE INTO t VALUES (1)",
        "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x",
        "(\n  UPDATE t SET a = 1)",
    ] {
        assert!(st(sql).changes_rows_only(), "{sql}");
    }
    for sql in [
        "CREATE TABLE t (id INT)",
        "ALTER TABLE t ADD COLUMN a INT",
        "DROP TABLE t",
        "TRUNCATE t",
        "CREATE INDEX CONCURRENTLY i ON t (a)",
        "INSERTX INTO t",
        "CALL p()",
        "SELECT setval('s', 1)",
        "",
    ] {
        assert!(!st(sql).changes_rows_only(), "{sql}");
    }
}

#[test]
fn transaction_control_and_copy_from_stdin_are_recognised() {
    let st = |sql: &str| Statement {
        sql: sql.to_string(),
        line: 1,
    };
    for sql in [
        "BEGIN",
        "begin transaction",
        "BEGIN IMMEDIATE",
        "START TRANSACTION",
        "COMMIT",
        "commit work",
        "END",
        "ROLLBACK",
        "ABORT",
        "COMMIT PREPARED 'x'",
    ] {
        assert!(st(sql).controls_transaction(), "{sql}");
    }
    for sql in [
        "BEGIN NOT ATOMIC SELECT 1; END",
        "ROLLBACK TO SAVEPOINT a",
        "ROLLBACK WORK TO a",
        "SAVEPOINT a",
        "CREATE TABLE begin_log (id INT)",
        "START SLAVE",
        "UPDATE t SET committed = 1",
    ] {
        assert!(!st(sql).controls_transaction(), "{sql}");
    }
    assert!(st("COPY t (a, b) FROM stdin").is_copy_from_stdin());
    assert!(st("copy t from STDIN with (format csv)").is_copy_from_stdin());
    assert!(!st("COPY t FROM '/tmp/data.csv'").is_copy_from_stdin());
    assert!(!st("COPY t TO STDOUT").is_copy_from_stdin());
    assert!(!st("INSERT INTO t VALUES ('FROM STDIN')").is_copy_from_stdin());
}

#[test]
fn mysql_client_delimiter_only_where_a_semicolon_is_code() {
    use super::mysql_client_delimiter as delimiter;
    assert_eq!(delimiter("CREATE TABLE t (a INT)"), None);
    assert_eq!(delimiter("INSERT INTO t VALUES ('a;b', \"c;d\")"), None);
    assert_eq!(delimiter("SELECT 1 /* ; */ -- ;\n + `x;y`"), None);
    let routine = "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END";
    assert_eq!(delimiter(routine).as_deref(), Some("$$"));
    // The delimiter never occurs in the statement, even in its strings.
    assert_eq!(
        delimiter("CREATE PROCEDURE p() BEGIN SELECT '$$'; END").as_deref(),
        Some("//")
    );
    assert_eq!(
        delimiter("CREATE PROCEDURE p() BEGIN SELECT '$$ // @@ $$$'; END").as_deref(),
        Some("$$$$")
    );
    // Unreadable text (an unterminated quote) with a `;` gets one too.
    assert_eq!(delimiter("SELECT 'a; b").as_deref(), Some("$$"));
}

#[test]
fn words_are_names_not_strings_or_comments() {
    let words = super::words(
        Dialect::Sqlite,
        "SELECT a, \"b \"\"c\"\"\" FROM [t x] JOIN `u` -- v\n WHERE x = 'w' /* y */",
    );
    assert_eq!(
        words,
        ["SELECT", "a", "b \"c\"", "FROM", "t x", "JOIN", "u", "WHERE", "x"]
    );
}

#[test]
fn mysql_name_tokens_read_names_periods_and_skip_blanks() {
    let text = "select `d`.`ca``fé`.x /* c */ from 'd.t' -- z\n, y";
    let tokens = name_tokens(MySql, text);
    let kinds: Vec<&NameToken> = tokens.iter().map(|(t, _)| t).collect();
    let name = |s: &str| NameToken::Name(s.to_string());
    assert_eq!(
        kinds,
        [
            &name("select"),
            &name("d"),
            &NameToken::Period,
            &name("ca`fé"),
            &NameToken::Period,
            &name("x"),
            &name("from"),
            &NameToken::Other,
            &NameToken::Other,
            &name("y"),
        ]
    );
    assert_eq!(&text[tokens[3].1.clone()], "`ca``fé`");
}
