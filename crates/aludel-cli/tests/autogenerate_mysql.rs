//! Autogenerate round trips on MariaDB (support/roundtrip.rs): every change kind
//! the schema model has for MySQL/MariaDB, and the traps of the dialect: a
//! `MODIFY`/`CHANGE` restates the whole column, a foreign key blocks a type
//! change of its columns, the index a foreign key needs, `ENUM`/`SET` values
//! inserted in the middle, views on `SELECT *`, table options, column character
//! sets and collations, `ON UPDATE`, `FULLTEXT` and prefix indexes, checks named
//! after their column, `RENAME TABLE` and the `<table>_ibfk_<n>` keys; hostile
//! identifiers; rows in every table.

mod support;

use aludel_testdb::Server;
use support::roundtrip::{load, round_trip, schema_of, Case};
use support::{Db, Project};

/// Runs `case` on MariaDB.
fn on_mariadb(case: &Case) {
    let (Some(db), Some(fresh)) = (Db::server(Server::MySql), Db::server(Server::MySql)) else {
        return;
    };
    round_trip(case, &db, &fresh);
}

/// A case without renames.
fn case<'a>(name: &'a str, from: &'a str, to: &'a str, rows: &'a [(&'a str, &'a str)]) -> Case<'a> {
    Case {
        name,
        from,
        to,
        renames: &[],
        rows,
    }
}

/// The same query before and after.
macro_rules! same {
    ($($q:expr),* $(,)?) => { &[$(($q, $q)),*] };
}

#[test]
fn tables_with_options_created_and_dropped() {
    on_mariadb(&case(
        "tables with options created and dropped",
        "CREATE TABLE gone (id INT PRIMARY KEY, note VARCHAR(20)) ENGINE=MyISAM COMMENT='old';\n\
         CREATE TABLE kept (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL);\n\
         INSERT INTO gone VALUES (1, 'x');\nINSERT INTO kept VALUES (1, 'ann'), (2, 'bob');",
        "CREATE TABLE kept (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL);\n\
         CREATE TABLE added (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, \
         label VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT 'x' COMMENT 'the label') \
         ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=COMPACT \
         COMMENT='a new table';",
        same!("SELECT id, name FROM kept ORDER BY id"),
    ));
}

#[test]
fn a_type_change_keeps_not_null_default_comment_and_check() {
    on_mariadb(&case(
        "type change keeps the rest of the column",
        "CREATE TABLE t (id INT PRIMARY KEY, \
         qty INT NOT NULL DEFAULT 3 COMMENT 'how many' CHECK (qty >= 0), \
         code VARCHAR(10) NOT NULL DEFAULT 'a');\n\
         INSERT INTO t VALUES (1, 5, 'x'), (2, 0, 'yy');",
        "CREATE TABLE t (id INT PRIMARY KEY, \
         qty BIGINT NOT NULL DEFAULT 3 COMMENT 'how many' CHECK (qty >= 0), \
         code VARCHAR(40) NOT NULL DEFAULT 'a');",
        same!("SELECT id, qty, code FROM t ORDER BY id"),
    ));
}

#[test]
fn nullability_and_defaults_change() {
    on_mariadb(&case(
        "nullability and defaults",
        "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10) NULL, b INT NOT NULL DEFAULT 1, \
         c INT DEFAULT 7, d DATETIME NULL);\n\
         INSERT INTO t VALUES (1, 'x', 2, 3, '2026-01-02 03:04:05'), (2, 'y', 4, NULL, NULL);",
        "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10) NOT NULL DEFAULT 'none', b INT NULL, \
         c INT, d DATETIME NULL DEFAULT CURRENT_TIMESTAMP);",
        same!("SELECT id, a, b, c, d FROM t ORDER BY id"),
    ));
}

#[test]
fn auto_increment_added_and_removed() {
    on_mariadb(&case(
        "auto_increment added and removed",
        "CREATE TABLE a (id INT NOT NULL PRIMARY KEY, v INT);\n\
         CREATE TABLE b (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'key', v INT);\n\
         INSERT INTO a VALUES (1, 1), (5, 2);\nINSERT INTO b VALUES (3, 1), (4, 2);",
        "CREATE TABLE a (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v INT);\n\
         CREATE TABLE b (id INT NOT NULL PRIMARY KEY COMMENT 'key', v INT);",
        same!(
            "SELECT id, v FROM a ORDER BY id",
            "SELECT id, v FROM b ORDER BY id"
        ),
    ));
}

#[test]
fn generated_columns_added_changed_and_dropped() {
    on_mariadb(&case(
        "generated columns",
        "CREATE TABLE t (id INT PRIMARY KEY, price INT NOT NULL, \
         doubled INT AS (price * 2) VIRTUAL, gone INT AS (price + 1) PERSISTENT);\n\
         INSERT INTO t (id, price) VALUES (1, 10), (2, 20);",
        "CREATE TABLE t (id INT PRIMARY KEY, price INT NOT NULL, \
         doubled INT AS (price * 3) VIRTUAL, taxed INT AS (price + price DIV 5) STORED);",
        same!("SELECT id, price FROM t ORDER BY id"),
    ));
}

#[test]
fn column_character_sets_collations_and_comments_change() {
    on_mariadb(&case(
        "column charset, collation and comment",
        "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(20), b VARCHAR(20) COLLATE utf8mb4_bin, \
         c TEXT CHARACTER SET latin1, d INT COMMENT 'old comment') DEFAULT CHARSET=utf8mb4;\n\
         INSERT INTO t VALUES (1, 'abc', 'B', 'plain', 4), (2, NULL, 'b', NULL, NULL);",
        "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(20) COLLATE utf8mb4_bin, b VARCHAR(20), \
         c TEXT CHARACTER SET utf8mb4, d INT COMMENT 'new comment') DEFAULT CHARSET=utf8mb4;",
        same!("SELECT id, a, b, c, d FROM t ORDER BY id"),
    ));
}

#[test]
fn on_update_current_timestamp_added_and_removed() {
    on_mariadb(&case(
        "on update current_timestamp",
        "CREATE TABLE t (id INT PRIMARY KEY, \
         changed TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, \
         seen DATETIME(3) NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3));\n\
         INSERT INTO t VALUES (1, '2026-01-01 00:00:00', '2026-01-01 00:00:00.123');",
        "CREATE TABLE t (id INT PRIMARY KEY, \
         changed TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, \
         seen DATETIME(3) NULL DEFAULT CURRENT_TIMESTAMP(3));",
        same!("SELECT id, changed, seen FROM t ORDER BY id"),
    ));
}

#[test]
fn columns_added_in_the_middle_and_dropped() {
    on_mariadb(&case(
        "columns added in place and dropped",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, gone VARCHAR(5), z INT);\n\
         CREATE INDEX t_gone ON t (gone, a);\n\
         INSERT INTO t VALUES (1, 2, 'g', 3), (2, NULL, NULL, 4);",
        "CREATE TABLE t (first_one INT NOT NULL DEFAULT 0, id INT PRIMARY KEY, a INT, \
         mid VARCHAR(10) NOT NULL DEFAULT 'm', z INT, created DATETIME DEFAULT CURRENT_TIMESTAMP, \
         total INT AS (a + z) STORED);",
        &[(
            "SELECT id, a, z FROM t ORDER BY id",
            "SELECT id, a, z FROM t ORDER BY id",
        )],
    ));
}

#[test]
fn a_renamed_column_keeps_everything() {
    on_mariadb(&Case {
        name: "renamed column keeps its definition",
        from: "CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'id', \
               qty INT NOT NULL DEFAULT 1 COMMENT 'count' CHECK (qty > 0), note TEXT);\n\
               CREATE INDEX t_qty ON t (qty);\n\
               INSERT INTO t VALUES (1, 2, 'a'), (2, 3, NULL);",
        to: "CREATE TABLE t (ident INT NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'id', \
             amount INT NOT NULL DEFAULT 1 COMMENT 'count' CHECK (amount > 0), note TEXT);\n\
             CREATE INDEX t_qty ON t (amount);",
        renames: &["t.id=t.ident", "t.qty=t.amount"],
        rows: &[(
            "SELECT id, qty, note FROM t ORDER BY id",
            "SELECT ident, amount, note FROM t ORDER BY ident",
        )],
    });
}

#[test]
fn a_renamed_and_retyped_column() {
    on_mariadb(&Case {
        name: "renamed and retyped column",
        from: "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL DEFAULT '');\n\
               INSERT INTO t VALUES (1, 'ann'), (2, '');",
        to: "CREATE TABLE t (id INT PRIMARY KEY, full_name VARCHAR(80) NOT NULL DEFAULT '');",
        renames: &["t.name=t.full_name"],
        rows: &[(
            "SELECT id, name FROM t ORDER BY id",
            "SELECT id, full_name FROM t ORDER BY id",
        )],
    });
}

#[test]
fn primary_keys_changed_added_and_dropped() {
    on_mariadb(&case(
        "primary keys",
        "CREATE TABLE a (x INT NOT NULL, y INT NOT NULL, PRIMARY KEY (x));\n\
         CREATE TABLE b (id INT NOT NULL, v INT);\n\
         CREATE TABLE c (id INT NOT NULL PRIMARY KEY, v INT);\n\
         INSERT INTO a VALUES (1, 1), (2, 1);\nINSERT INTO b VALUES (1, 1);\nINSERT INTO c VALUES (1, 2);",
        "CREATE TABLE a (x INT NOT NULL, y INT NOT NULL, PRIMARY KEY (y, x));\n\
         CREATE TABLE b (id INT NOT NULL PRIMARY KEY, v INT);\n\
         CREATE TABLE c (id INT NOT NULL, v INT);",
        same!(
            "SELECT x, y FROM a ORDER BY x",
            "SELECT id, v FROM b",
            "SELECT id, v FROM c"
        ),
    ));
}

#[test]
fn unique_keys_added_dropped_changed_and_renamed() {
    on_mariadb(&case(
        "unique keys",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, c INT, \
         CONSTRAINT u_gone UNIQUE (a), CONSTRAINT u_change UNIQUE (b), CONSTRAINT u_old UNIQUE (c));\n\
         INSERT INTO t VALUES (1, 1, 1, 1), (2, 2, 2, 2);",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, c INT, \
         CONSTRAINT u_change UNIQUE (b, a), CONSTRAINT u_new UNIQUE (c), \
         CONSTRAINT u_added UNIQUE (a, c));",
        same!("SELECT id, a, b, c FROM t ORDER BY id"),
    ));
}

#[test]
fn indexes_of_every_kind() {
    on_mariadb(&case(
        "indexes of every kind",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, b VARCHAR(100), body TEXT, \
         g INT, d DATE) ENGINE=InnoDB;\n\
         CREATE INDEX t_old ON t (a);\nCREATE INDEX t_changes ON t (a, g);\n\
         CREATE INDEX t_renamed ON t (d);\n\
         INSERT INTO t VALUES (1, 1, 'hello', 'some text', 3, '2026-01-01'), \
         (2, 2, 'world', 'more text', 4, NULL);",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, b VARCHAR(100), body TEXT, \
         g INT, d DATE) ENGINE=InnoDB;\n\
         CREATE INDEX t_changes ON t (g, a DESC);\n\
         CREATE INDEX t_new_name ON t (d);\n\
         CREATE INDEX t_prefix ON t (b(10));\n\
         CREATE UNIQUE INDEX t_unique_prefix ON t (b(20), a);\n\
         CREATE FULLTEXT INDEX t_fulltext ON t (body);\n\
         CREATE INDEX t_multi ON t (a, b, d);",
        same!("SELECT id, a, b, body, g, d FROM t ORDER BY id"),
    ));
}

#[test]
fn foreign_keys_added_changed_and_dropped() {
    on_mariadb(&case(
        "foreign keys added, changed, dropped",
        "CREATE TABLE p (id INT PRIMARY KEY, code VARCHAR(5) NOT NULL, UNIQUE KEY p_code (code));\n\
         CREATE TABLE c (id INT PRIMARY KEY, p_id INT, p_code VARCHAR(5), other INT, \
         CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id), \
         CONSTRAINT c_gone FOREIGN KEY (other) REFERENCES p (id) ON DELETE CASCADE);\n\
         INSERT INTO p VALUES (1, 'a'), (2, 'b');\nINSERT INTO c VALUES (1, 1, 'a', 2), (2, 2, NULL, NULL);",
        "CREATE TABLE p (id INT PRIMARY KEY, code VARCHAR(5) NOT NULL, UNIQUE KEY p_code (code));\n\
         CREATE TABLE c (id INT PRIMARY KEY, p_id INT, p_code VARCHAR(5), other INT, \
         CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE SET NULL ON UPDATE CASCADE, \
         CONSTRAINT c_code FOREIGN KEY (p_code) REFERENCES p (code) ON UPDATE CASCADE);",
        same!(
            "SELECT id, code FROM p ORDER BY id",
            "SELECT id, p_id, p_code, other FROM c ORDER BY id"
        ),
    ));
}

#[test]
fn a_type_change_of_both_columns_of_a_foreign_key() {
    on_mariadb(&case(
        "type change of a foreign key's columns",
        "CREATE TABLE p (id INT NOT NULL PRIMARY KEY, name VARCHAR(10));\n\
         CREATE TABLE c (id INT PRIMARY KEY, p_id INT NOT NULL COMMENT 'parent', \
         CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE);\n\
         INSERT INTO p VALUES (1, 'a'), (2, 'b');\nINSERT INTO c VALUES (10, 1), (11, 2), (12, 2);",
        "CREATE TABLE p (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(10));\n\
         CREATE TABLE c (id INT PRIMARY KEY, p_id BIGINT NOT NULL COMMENT 'parent', \
         CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE);",
        same!(
            "SELECT id, name FROM p ORDER BY id",
            "SELECT id, p_id FROM c ORDER BY id"
        ),
    ));
}

#[test]
fn a_charset_change_of_a_referenced_string_key() {
    on_mariadb(&case(
        "string foreign key columns change length",
        "CREATE TABLE p (code VARCHAR(10) NOT NULL PRIMARY KEY);\n\
         CREATE TABLE c (id INT PRIMARY KEY, code VARCHAR(10), \
         CONSTRAINT c_code FOREIGN KEY (code) REFERENCES p (code));\n\
         INSERT INTO p VALUES ('a'), ('bb');\nINSERT INTO c VALUES (1, 'a'), (2, 'bb');",
        "CREATE TABLE p (code VARCHAR(30) NOT NULL PRIMARY KEY);\n\
         CREATE TABLE c (id INT PRIMARY KEY, code VARCHAR(30), \
         CONSTRAINT c_code FOREIGN KEY (code) REFERENCES p (code));",
        same!(
            "SELECT code FROM p ORDER BY code",
            "SELECT id, code FROM c ORDER BY id"
        ),
    ));
}

#[test]
fn composite_self_referencing_foreign_keys() {
    on_mariadb(&case(
        "composite and self-referencing keys",
        "CREATE TABLE node (id INT PRIMARY KEY, parent INT);\n\
         CREATE TABLE region (country CHAR(2) NOT NULL, code INT NOT NULL, PRIMARY KEY (country, code));\n\
         CREATE TABLE site (id INT PRIMARY KEY, country CHAR(2), code INT);\n\
         INSERT INTO node VALUES (1, NULL), (2, 1), (3, 2);\n\
         INSERT INTO region VALUES ('fr', 1), ('de', 2);\nINSERT INTO site VALUES (1, 'fr', 1), (2, NULL, NULL);",
        "CREATE TABLE node (id INT PRIMARY KEY, parent INT, \
         CONSTRAINT node_parent FOREIGN KEY (parent) REFERENCES node (id) ON DELETE CASCADE);\n\
         CREATE TABLE region (country CHAR(2) NOT NULL, code INT NOT NULL, PRIMARY KEY (country, code));\n\
         CREATE TABLE site (id INT PRIMARY KEY, country CHAR(2), code INT, \
         CONSTRAINT site_region FOREIGN KEY (country, code) REFERENCES region (country, code));",
        same!(
            "SELECT id, parent FROM node ORDER BY id",
            "SELECT country, code FROM region ORDER BY country",
            "SELECT id, country, code FROM site ORDER BY id"
        ),
    ));
}

#[test]
fn cyclic_foreign_keys_between_new_and_dropped_tables() {
    on_mariadb(&case(
        "cyclic keys",
        "CREATE TABLE old_a (id INT PRIMARY KEY, b_id INT);\n\
         CREATE TABLE old_b (id INT PRIMARY KEY, a_id INT, CONSTRAINT old_b_a FOREIGN KEY (a_id) REFERENCES old_a (id));\n\
         ALTER TABLE old_a ADD CONSTRAINT old_a_b FOREIGN KEY (b_id) REFERENCES old_b (id);\n\
         CREATE TABLE keep (id INT PRIMARY KEY);\n\
         INSERT INTO old_a VALUES (1, NULL);\nINSERT INTO old_b VALUES (1, 1);\nUPDATE old_a SET b_id = 1;\n\
         INSERT INTO keep VALUES (1), (2);",
        "CREATE TABLE keep (id INT PRIMARY KEY);\n\
         CREATE TABLE new_a (id INT PRIMARY KEY, b_id INT, keep_id INT REFERENCES keep (id));\n\
         CREATE TABLE new_b (id INT PRIMARY KEY, a_id INT, CONSTRAINT new_b_a FOREIGN KEY (a_id) REFERENCES new_a (id));\n\
         ALTER TABLE new_a ADD CONSTRAINT new_a_b FOREIGN KEY (b_id) REFERENCES new_b (id);",
        same!("SELECT id FROM keep ORDER BY id"),
    ));
}

#[test]
fn a_cycle_closed_between_existing_tables() {
    on_mariadb(&case(
        "cycle closed between existing tables",
        "CREATE TABLE emp (id INT PRIMARY KEY, dept INT);\n\
         CREATE TABLE dept (id INT PRIMARY KEY, boss INT, CONSTRAINT dept_boss FOREIGN KEY (boss) REFERENCES emp (id));\n\
         INSERT INTO emp VALUES (1, 10), (2, 10);\nINSERT INTO dept VALUES (10, 1);",
        "CREATE TABLE emp (id INT PRIMARY KEY, dept INT);\n\
         CREATE TABLE dept (id INT PRIMARY KEY, boss INT, CONSTRAINT dept_boss FOREIGN KEY (boss) REFERENCES emp (id));\n\
         ALTER TABLE emp ADD CONSTRAINT emp_dept FOREIGN KEY (dept) REFERENCES dept (id);",
        same!(
            "SELECT id, dept FROM emp ORDER BY id",
            "SELECT id, boss FROM dept ORDER BY id"
        ),
    ));
}

#[test]
fn the_index_a_foreign_key_needs() {
    on_mariadb(&case(
        "the index a foreign key needs",
        "CREATE TABLE p (id INT PRIMARY KEY);\n\
         CREATE TABLE c (id INT PRIMARY KEY, p_id INT, q_id INT, r_id INT, \
         KEY c_p_idx (p_id), KEY c_q_idx (q_id), \
         CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id), \
         CONSTRAINT c_q FOREIGN KEY (q_id) REFERENCES p (id));\n\
         INSERT INTO p VALUES (1), (2);\nINSERT INTO c VALUES (1, 1, 2, 1), (2, 2, NULL, 2);",
        "CREATE TABLE p (id INT PRIMARY KEY);\n\
         CREATE TABLE c (id INT PRIMARY KEY, p_id INT, q_id INT, r_id INT, \
         KEY c_p_wide (p_id, q_id), KEY c_r_idx (r_id), \
         CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id), \
         CONSTRAINT c_r FOREIGN KEY (r_id) REFERENCES p (id));",
        same!("SELECT id, p_id, q_id, r_id FROM c ORDER BY id"),
    ));
}

#[test]
fn a_unique_key_under_a_foreign_key_replaced() {
    on_mariadb(&case(
        "unique key a foreign key uses replaced by an index",
        "CREATE TABLE p (id INT PRIMARY KEY);\n\
         CREATE TABLE c (id INT PRIMARY KEY, p_id INT, UNIQUE KEY c_one (p_id), \
         CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id));\n\
         INSERT INTO p VALUES (1), (2);\nINSERT INTO c VALUES (1, 1), (2, 2);",
        "CREATE TABLE p (id INT PRIMARY KEY);\n\
         CREATE TABLE c (id INT PRIMARY KEY, p_id INT, KEY c_many (p_id), \
         CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id));",
        same!("SELECT id, p_id FROM c ORDER BY id"),
    ));
}

#[test]
fn checks_added_dropped_and_changed() {
    on_mariadb(&case(
        "checks",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT CHECK (a > 0), b INT, c INT, \
         CONSTRAINT t_gone CHECK (b < 100), CONSTRAINT t_changed CHECK (c <> 5));\n\
         INSERT INTO t VALUES (1, 1, 2, 3), (2, 5, NULL, 4);",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT CHECK (a >= 0), b INT CHECK (b IS NULL OR b > 1), c INT, \
         CONSTRAINT t_changed CHECK (c <> 6), CONSTRAINT t_new CHECK (a + c < 1000));",
        same!("SELECT id, a, b, c FROM t ORDER BY id"),
    ));
}

#[test]
fn a_column_check_survives_a_type_change_and_json_keeps_json_valid() {
    on_mariadb(&case(
        "column check and json_valid survive a MODIFY",
        "CREATE TABLE t (id INT PRIMARY KEY, score SMALLINT NOT NULL CHECK (score BETWEEN 0 AND 100), \
         doc JSON, note VARCHAR(10));\n\
         INSERT INTO t VALUES (1, 50, '{\"a\": 1}', 'x'), (2, 0, '[]', NULL);",
        "CREATE TABLE t (id INT PRIMARY KEY, score INT NOT NULL CHECK (score BETWEEN 0 AND 100), \
         doc JSON NOT NULL DEFAULT '{}', note VARCHAR(10) COMMENT 'note');",
        same!("SELECT id, score, doc, note FROM t ORDER BY id"),
    ));
}

#[test]
fn enum_and_set_values_inserted_in_the_middle() {
    on_mariadb(&case(
        "enum and set values inserted in the middle",
        "CREATE TABLE t (id INT PRIMARY KEY, mood ENUM('sad','happy') NOT NULL DEFAULT 'happy', \
         tags SET('a','c') DEFAULT 'a', kind VARCHAR(10));\n\
         INSERT INTO t VALUES (1, 'sad', 'a,c', 'x'), (2, 'happy', 'c', 'y'), (3, 'happy', '', 'x');",
        "CREATE TABLE t (id INT PRIMARY KEY, mood ENUM('sad','meh','happy') NOT NULL DEFAULT 'happy', \
         tags SET('a','b','c') DEFAULT 'a', kind ENUM('x','y'));",
        same!("SELECT id, mood, tags, kind FROM t ORDER BY id"),
    ));
}

#[test]
fn a_view_on_select_star_is_recreated_when_its_table_gains_a_column() {
    on_mariadb(&case(
        "view on select star",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT);\n\
         CREATE VIEW v AS SELECT * FROM t;\n\
         CREATE VIEW vv AS SELECT id FROM v WHERE a > 0;\n\
         INSERT INTO t VALUES (1, 1), (2, -1);",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, b VARCHAR(5) DEFAULT 'b');\n\
         CREATE VIEW v AS SELECT * FROM t;\n\
         CREATE VIEW vv AS SELECT id FROM v WHERE a > 0;",
        &[
            (
                "SELECT id, a FROM v ORDER BY id",
                "SELECT id, a FROM v ORDER BY id",
            ),
            ("SELECT id FROM vv", "SELECT id FROM vv"),
        ],
    ));
}

#[test]
fn views_on_views_changed_added_and_dropped() {
    on_mariadb(&case(
        "views on views",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT);\n\
         CREATE VIEW base AS SELECT id, a FROM t;\n\
         CREATE VIEW top AS SELECT id FROM base WHERE a > 1;\n\
         CREATE VIEW gone AS SELECT b FROM t;\n\
         INSERT INTO t VALUES (1, 1, 1), (2, 2, 2);",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT);\n\
         CREATE VIEW base AS SELECT id, a, b FROM t WHERE b IS NOT NULL;\n\
         CREATE VIEW top AS SELECT id FROM base WHERE a > 1;\n\
         CREATE VIEW added AS SELECT id FROM top WITH CHECK OPTION;",
        same!("SELECT id, a, b FROM t ORDER BY id"),
    ));
}

#[test]
fn a_view_over_a_column_that_changes_type_or_is_renamed() {
    on_mariadb(&Case {
        name: "views over changed columns",
        from: "CREATE TABLE t (id INT PRIMARY KEY, a SMALLINT, name VARCHAR(10));\n\
               CREATE VIEW v AS SELECT id, a, name FROM t;\n\
               INSERT INTO t VALUES (1, 1, 'x');",
        to: "CREATE TABLE t (id INT PRIMARY KEY, a BIGINT, title VARCHAR(10));\n\
             CREATE VIEW v AS SELECT id, a, title FROM t;",
        renames: &["t.name=t.title"],
        rows: &[("SELECT id, a, name FROM t", "SELECT id, a, title FROM t")],
    });
}

#[test]
fn triggers_added_changed_and_dropped() {
    on_mariadb(&case(
        "triggers",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, log INT DEFAULT 0);\n\
         CREATE TRIGGER t_gone BEFORE INSERT ON t FOR EACH ROW SET NEW.log = 1;\n\
         CREATE TRIGGER t_changed BEFORE UPDATE ON t FOR EACH ROW SET NEW.log = NEW.log + 1;\n\
         INSERT INTO t (id, a) VALUES (1, 1), (2, 2);",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, log INT DEFAULT 0);\n\
         CREATE TRIGGER t_changed BEFORE UPDATE ON t FOR EACH ROW SET NEW.log = NEW.log + 2;\n\
         CREATE TRIGGER t_added BEFORE INSERT ON t FOR EACH ROW BEGIN\n  SET NEW.a = COALESCE(NEW.a, 0);\nEND;",
        same!("SELECT id, a, log FROM t ORDER BY id"),
    ));
}

#[test]
fn a_trigger_on_a_table_whose_column_changes() {
    on_mariadb(&case(
        "trigger kept over a column change",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT);\n\
         CREATE TRIGGER t_a BEFORE INSERT ON t FOR EACH ROW SET NEW.b = NEW.a;\n\
         INSERT INTO t (id, a) VALUES (1, 4);",
        "CREATE TABLE t (id INT PRIMARY KEY, a BIGINT, b BIGINT);\n\
         CREATE TRIGGER t_a BEFORE INSERT ON t FOR EACH ROW SET NEW.b = NEW.a;",
        same!("SELECT id, a, b FROM t ORDER BY id"),
    ));
}

#[test]
fn table_options_change() {
    on_mariadb(&case(
        "table options",
        "CREATE TABLE a (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB ROW_FORMAT=DYNAMIC COMMENT='a';\n\
         CREATE TABLE b (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=MyISAM;\n\
         CREATE TABLE c (id INT PRIMARY KEY, v VARCHAR(10), w VARCHAR(10) COLLATE utf8mb4_bin, t TEXT) \
         DEFAULT CHARSET=latin1;\n\
         INSERT INTO a VALUES (1, 'a');\nINSERT INTO b VALUES (1, 'b');\nINSERT INTO c VALUES (1, 'c', 'W', 'text');",
        "CREATE TABLE a (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB ROW_FORMAT=COMPRESSED COMMENT='the a';\n\
         CREATE TABLE b (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB;\n\
         CREATE TABLE c (id INT PRIMARY KEY, v VARCHAR(10), w VARCHAR(10) COLLATE utf8mb4_bin, t TEXT) \
         DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;",
        same!(
            "SELECT id, v FROM a",
            "SELECT id, v FROM b",
            "SELECT id, v, w, t FROM c"
        ),
    ));
}

#[test]
fn a_table_renamed_keeps_its_ibfk_keys() {
    on_mariadb(&Case {
        name: "table rename and ibfk names",
        from: "CREATE TABLE parent (id INT PRIMARY KEY);\n\
               CREATE TABLE child (id INT PRIMARY KEY, p INT, q INT, \
               FOREIGN KEY (p) REFERENCES parent (id), FOREIGN KEY (q) REFERENCES parent (id) ON DELETE SET NULL);\n\
               INSERT INTO parent VALUES (1), (2);\nINSERT INTO child VALUES (1, 1, 2), (2, 2, NULL);",
        to: "CREATE TABLE parent (id INT PRIMARY KEY);\n\
             CREATE TABLE kid (id INT PRIMARY KEY, p INT, q INT, \
             FOREIGN KEY (p) REFERENCES parent (id), FOREIGN KEY (q) REFERENCES parent (id) ON DELETE SET NULL);",
        renames: &["child=kid"],
        rows: &[(
            "SELECT id, p, q FROM child ORDER BY id",
            "SELECT id, p, q FROM kid ORDER BY id",
        )],
    });
}

#[test]
fn a_referenced_table_renamed_with_a_view_on_it() {
    on_mariadb(&Case {
        name: "referenced table renamed",
        from: "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20));\n\
               CREATE TABLE posts (id INT PRIMARY KEY, author INT, \
               CONSTRAINT posts_author FOREIGN KEY (author) REFERENCES users (id));\n\
               CREATE VIEW names AS SELECT name FROM users;\n\
               INSERT INTO users VALUES (1, 'ann');\nINSERT INTO posts VALUES (1, 1), (2, NULL);",
        to: "CREATE TABLE accounts (id INT PRIMARY KEY, name VARCHAR(20));\n\
             CREATE TABLE posts (id INT PRIMARY KEY, author INT, \
             CONSTRAINT posts_author FOREIGN KEY (author) REFERENCES accounts (id));\n\
             CREATE VIEW names AS SELECT name FROM accounts;",
        renames: &["users=accounts"],
        rows: &[
            (
                "SELECT id, name FROM users",
                "SELECT id, name FROM accounts",
            ),
            (
                "SELECT id, author FROM posts ORDER BY id",
                "SELECT id, author FROM posts ORDER BY id",
            ),
        ],
    });
}

#[test]
fn a_foreign_key_renamed() {
    on_mariadb(&case(
        "foreign key renamed",
        "CREATE TABLE p (id INT PRIMARY KEY);\n\
         CREATE TABLE c (id INT PRIMARY KEY, p_id INT, CONSTRAINT c_old FOREIGN KEY (p_id) REFERENCES p (id));\n\
         INSERT INTO p VALUES (1);\nINSERT INTO c VALUES (1, 1);",
        "CREATE TABLE p (id INT PRIMARY KEY);\n\
         CREATE TABLE c (id INT PRIMARY KEY, p_id INT, CONSTRAINT c_new FOREIGN KEY (p_id) REFERENCES p (id));",
        same!("SELECT id, p_id FROM c"),
    ));
}

#[test]
fn column_types_widened_narrowed_and_converted() {
    on_mariadb(&case(
        "column types",
        "CREATE TABLE t (id INT PRIMARY KEY, price DECIMAL(8,2), flag TINYINT(1), code CHAR(3), \
         body VARCHAR(200), n INT UNSIGNED, bits BIT(4), at DATE);\n\
         INSERT INTO t VALUES (1, 12.5, 1, 'abc', 'hello', 7, b'1010', '2026-02-03'), \
         (2, NULL, 0, 'x', NULL, NULL, NULL, NULL);",
        "CREATE TABLE t (id INT PRIMARY KEY, price DECIMAL(12,4), flag BOOLEAN, code VARCHAR(3), \
         body MEDIUMTEXT, n BIGINT UNSIGNED, bits BIT(8), at DATETIME);",
        &[(
            "SELECT id, price + 0, flag, code, body, n, bits + 0, DATE(at) FROM t ORDER BY id",
            "SELECT id, ROUND(price, 2), flag, code, body, n, bits + 0, DATE(at) FROM t ORDER BY id",
        )],
    ));
}

#[test]
fn a_text_column_becomes_an_enum() {
    on_mariadb(&case(
        "text to enum",
        "CREATE TABLE t (id INT PRIMARY KEY, status VARCHAR(10) NOT NULL DEFAULT 'new');\n\
         INSERT INTO t VALUES (1, 'new'), (2, 'done');",
        "CREATE TABLE t (id INT PRIMARY KEY, status ENUM('new','done') NOT NULL DEFAULT 'new');",
        same!("SELECT id, status FROM t ORDER BY id"),
    ));
}

#[test]
fn a_dropped_table_referenced_by_another_dropped_table() {
    on_mariadb(&case(
        "dropped tables that reference each other",
        "CREATE TABLE a (id INT PRIMARY KEY);\n\
         CREATE TABLE b (id INT PRIMARY KEY, a_id INT REFERENCES a (id));\n\
         CREATE TABLE c (id INT PRIMARY KEY, b_id INT, CONSTRAINT c_b FOREIGN KEY (b_id) REFERENCES b (id));\n\
         CREATE TABLE keep (id INT PRIMARY KEY);\n\
         INSERT INTO a VALUES (1);\nINSERT INTO b VALUES (1, 1);\nINSERT INTO c VALUES (1, 1);\n\
         INSERT INTO keep VALUES (5);",
        "CREATE TABLE keep (id INT PRIMARY KEY);",
        same!("SELECT id FROM keep"),
    ));
}

#[test]
fn hostile_identifiers_everywhere() {
    on_mariadb(&Case {
        name: "hostile identifiers",
        from: "CREATE TABLE `order` (`select` INT PRIMARY KEY, `user` VARCHAR(20) NOT NULL, \
               `Mixed Case` INT, `it's` VARCHAR(5) DEFAULT 'it''s');\n\
               CREATE TABLE `café` (`id` INT PRIMARY KEY, `order` INT, `a``b` INT, \
               CONSTRAINT `café→order` FOREIGN KEY (`order`) REFERENCES `order` (`select`));\n\
               CREATE INDEX `idx user` ON `order` (`user`);\n\
               CREATE VIEW `the view` AS SELECT `select`, `user` FROM `order`;\n\
               INSERT INTO `order` VALUES (1, 'ann', 2, 'q'), (2, 'bob', NULL, NULL);\n\
               INSERT INTO `café` VALUES (1, 1, 3), (2, 2, NULL);",
        to: "CREATE TABLE `order` (`select` BIGINT NOT NULL PRIMARY KEY, `group` VARCHAR(40) NOT NULL, \
             `Mixed Case` INT COMMENT 'it''s \"quoted\"', `it's` VARCHAR(9) DEFAULT 'it''s', \
             `where` ENUM('a''b','c') DEFAULT 'a''b', CHECK (`Mixed Case` <> 0));\n\
             CREATE TABLE `café` (`id` INT PRIMARY KEY, `order` BIGINT, `a``b` INT CHECK (`a``b` > 0), \
             CONSTRAINT `café→order` FOREIGN KEY (`order`) REFERENCES `order` (`select`) ON DELETE CASCADE);\n\
             CREATE INDEX `idx group` ON `order` (`group`, `Mixed Case`);\n\
             CREATE UNIQUE INDEX `ünïque` ON `café` (`a``b`);\n\
             CREATE VIEW `the view` AS SELECT `select`, `group` FROM `order`;\n\
             CREATE TRIGGER `trg ``x``` BEFORE INSERT ON `café` FOR EACH ROW SET NEW.`a``b` = 1;",
        renames: &["order.user=order.group"],
        rows: &[
            (
                "SELECT `select`, `user`, `Mixed Case`, `it's` FROM `order` ORDER BY `select`",
                "SELECT `select`, `group`, `Mixed Case`, `it's` FROM `order` ORDER BY `select`",
            ),
            (
                "SELECT `id`, `order`, `a``b` FROM `café` ORDER BY `id`",
                "SELECT `id`, `order`, `a``b` FROM `café` ORDER BY `id`",
            ),
        ],
    });
}

#[test]
fn a_hostile_table_renamed_with_its_keys() {
    on_mariadb(&Case {
        name: "hostile table renamed",
        from: "CREATE TABLE `User Accounts` (`ID` INT PRIMARY KEY, `e-mail` VARCHAR(30), \
               UNIQUE KEY `e-mail` (`e-mail`));\n\
               CREATE TABLE `Posts` (`id` INT PRIMARY KEY, `by` INT, FOREIGN KEY (`by`) REFERENCES `User Accounts` (`ID`));\n\
               INSERT INTO `User Accounts` VALUES (1, 'a@x'), (2, NULL);\nINSERT INTO `Posts` VALUES (1, 2);",
        to: "CREATE TABLE `Kunden—Konten` (`ID` INT PRIMARY KEY, `e-mail` VARCHAR(30), \
             UNIQUE KEY `e-mail` (`e-mail`));\n\
             CREATE TABLE `Posts` (`id` INT PRIMARY KEY, `by` INT, FOREIGN KEY (`by`) REFERENCES `Kunden—Konten` (`ID`));",
        renames: &["User Accounts=Kunden—Konten"],
        rows: &[
            (
                "SELECT `ID`, `e-mail` FROM `User Accounts` ORDER BY `ID`",
                "SELECT `ID`, `e-mail` FROM `Kunden—Konten` ORDER BY `ID`",
            ),
            ("SELECT `id`, `by` FROM `Posts`", "SELECT `id`, `by` FROM `Posts`"),
        ],
    });
}

#[test]
fn expression_defaults_and_blob_columns() {
    on_mariadb(&case(
        "expression defaults",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT DEFAULT 1, b BLOB);\n\
         INSERT INTO t VALUES (1, 5, 'bytes'), (2, NULL, NULL);",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT DEFAULT (1 + 2), b BLOB, \
         c VARCHAR(36) DEFAULT (uuid()), d DOUBLE DEFAULT -1.5, e BIT(3) DEFAULT b'101', \
         f TEXT DEFAULT 'plain');",
        same!("SELECT id, a, b FROM t ORDER BY id"),
    ));
}

#[test]
fn a_column_with_its_foreign_key_and_index_dropped_and_a_new_key_with_its_index_added() {
    on_mariadb(&case(
        "foreign key columns dropped and added",
        "CREATE TABLE p (id INT PRIMARY KEY);\n\
         CREATE TABLE c (id INT PRIMARY KEY, old_p INT, KEY c_old (old_p), \
         CONSTRAINT c_old_p FOREIGN KEY (old_p) REFERENCES p (id));\n\
         INSERT INTO p VALUES (1), (2);\nINSERT INTO c VALUES (1, 1), (2, 2);",
        "CREATE TABLE p (id INT PRIMARY KEY);\n\
         CREATE TABLE c (id INT PRIMARY KEY, new_p INT NOT NULL DEFAULT 1, KEY c_new (new_p), \
         CONSTRAINT c_new_p FOREIGN KEY (new_p) REFERENCES p (id) ON DELETE CASCADE);",
        same!("SELECT id FROM c ORDER BY id"),
    ));
}

#[test]
fn a_primary_key_a_foreign_key_leans_on_reordered() {
    on_mariadb(&case(
        "primary key under a foreign key reordered",
        "CREATE TABLE p (id INT PRIMARY KEY);\n\
         CREATE TABLE link (p_id INT NOT NULL, n INT NOT NULL, PRIMARY KEY (p_id, n), \
         CONSTRAINT link_p FOREIGN KEY (p_id) REFERENCES p (id));\n\
         INSERT INTO p VALUES (1), (2);\nINSERT INTO link VALUES (1, 1), (1, 2), (2, 1);",
        "CREATE TABLE p (id INT PRIMARY KEY);\n\
         CREATE TABLE link (p_id INT NOT NULL, n INT NOT NULL, PRIMARY KEY (n, p_id), \
         KEY link_p_idx (p_id), CONSTRAINT link_p FOREIGN KEY (p_id) REFERENCES p (id));",
        same!("SELECT p_id, n FROM link ORDER BY p_id, n"),
    ));
}

#[test]
fn a_renamed_table_whose_ibfk_key_column_changes_type() {
    on_mariadb(&Case {
        name: "renamed table, retyped ibfk key",
        from: "CREATE TABLE parent (id INT PRIMARY KEY);\n\
               CREATE TABLE child (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES parent (id));\n\
               CREATE TRIGGER child_touch BEFORE INSERT ON child FOR EACH ROW SET NEW.p = COALESCE(NEW.p, 1);\n\
               INSERT INTO parent VALUES (1), (2);\nINSERT INTO child VALUES (1, 2), (2, 1);",
        to: "CREATE TABLE parent (id BIGINT PRIMARY KEY);\n\
             CREATE TABLE kid (id INT PRIMARY KEY, p BIGINT, FOREIGN KEY (p) REFERENCES parent (id));\n\
             CREATE TRIGGER child_touch BEFORE INSERT ON kid FOR EACH ROW SET NEW.p = COALESCE(NEW.p, 1);",
        renames: &["child=kid"],
        rows: &[
            (
                "SELECT id, p FROM child ORDER BY id",
                "SELECT id, p FROM kid ORDER BY id",
            ),
            ("SELECT id FROM parent ORDER BY id", "SELECT id FROM parent ORDER BY id"),
        ],
    });
}

#[test]
fn a_referenced_column_renamed() {
    on_mariadb(&Case {
        name: "referenced column renamed",
        from: "CREATE TABLE p (id INT PRIMARY KEY, code CHAR(3) NOT NULL, UNIQUE KEY p_code (code));\n\
               CREATE TABLE c (id INT PRIMARY KEY, code CHAR(3), \
               CONSTRAINT c_code FOREIGN KEY (code) REFERENCES p (code) ON UPDATE CASCADE);\n\
               INSERT INTO p VALUES (1, 'abc');\nINSERT INTO c VALUES (1, 'abc'), (2, NULL);",
        to: "CREATE TABLE p (id INT PRIMARY KEY, iso CHAR(3) NOT NULL, UNIQUE KEY p_code (iso));\n\
             CREATE TABLE c (id INT PRIMARY KEY, code CHAR(3), \
             CONSTRAINT c_code FOREIGN KEY (code) REFERENCES p (iso) ON UPDATE CASCADE);",
        renames: &["p.code=p.iso"],
        rows: &[
            ("SELECT id, code FROM p", "SELECT id, iso FROM p"),
            (
                "SELECT id, code FROM c ORDER BY id",
                "SELECT id, code FROM c ORDER BY id",
            ),
        ],
    });
}

#[test]
fn enum_values_removed_and_reordered() {
    on_mariadb(&case(
        "enum values removed and reordered",
        "CREATE TABLE t (id INT PRIMARY KEY, size ENUM('s','m','l','xl') DEFAULT 'm', \
         flags SET('x','y','z'));\n\
         INSERT INTO t VALUES (1, 's', 'x,z'), (2, 'l', NULL), (3, NULL, 'y');",
        "CREATE TABLE t (id INT PRIMARY KEY, size ENUM('l','m','s') DEFAULT 'm', \
         flags SET('z','y','x'));",
        same!(
            "SELECT id, size, FIND_IN_SET('x', flags) > 0, FIND_IN_SET('y', flags) > 0, \
             FIND_IN_SET('z', flags) > 0 FROM t ORDER BY id"
        ),
    ));
}

#[test]
fn a_view_blocks_nothing_but_follows_a_dropped_column() {
    on_mariadb(&case(
        "view over a dropped column",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, gone INT);\n\
         CREATE VIEW v AS SELECT id, a, gone FROM t;\n\
         CREATE VIEW w AS SELECT id FROM v;\n\
         INSERT INTO t VALUES (1, 2, 3);",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT);\n\
         CREATE VIEW v AS SELECT id, a FROM t;\n\
         CREATE VIEW w AS SELECT id FROM v;",
        same!("SELECT id, a FROM t"),
    ));
}

#[test]
fn a_table_character_set_change_under_a_string_foreign_key() {
    on_mariadb(&case(
        "table charset change under a string foreign key",
        "CREATE TABLE p (code VARCHAR(10) NOT NULL PRIMARY KEY, name VARCHAR(20)) DEFAULT CHARSET=latin1;\n\
         CREATE TABLE c (id INT PRIMARY KEY, code VARCHAR(10), \
         CONSTRAINT c_code FOREIGN KEY (code) REFERENCES p (code)) DEFAULT CHARSET=latin1;\n\
         INSERT INTO p VALUES ('a', 'x'), ('b', NULL);\nINSERT INTO c VALUES (1, 'a'), (2, 'b');",
        "CREATE TABLE p (code VARCHAR(10) NOT NULL PRIMARY KEY, name VARCHAR(20)) DEFAULT CHARSET=utf8mb4;\n\
         CREATE TABLE c (id INT PRIMARY KEY, code VARCHAR(10), \
         CONSTRAINT c_code FOREIGN KEY (code) REFERENCES p (code)) DEFAULT CHARSET=utf8mb4;",
        same!(
            "SELECT code, name FROM p ORDER BY code",
            "SELECT id, code FROM c ORDER BY id"
        ),
    ));
}

#[test]
fn a_column_collation_change_under_a_string_foreign_key() {
    on_mariadb(&case(
        "column collation change under a string foreign key",
        "CREATE TABLE p (code VARCHAR(10) NOT NULL PRIMARY KEY, id INT);\n\
         CREATE TABLE c (id INT PRIMARY KEY, code VARCHAR(10), \
         CONSTRAINT c_code FOREIGN KEY (code) REFERENCES p (code));\n\
         INSERT INTO p VALUES ('a', 1), ('B', 2);\nINSERT INTO c VALUES (1, 'a'), (2, 'B');",
        "CREATE TABLE p (code VARCHAR(10) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY, id INT);\n\
         CREATE TABLE c (id INT PRIMARY KEY, code VARCHAR(10) COLLATE utf8mb4_bin, \
         CONSTRAINT c_code FOREIGN KEY (code) REFERENCES p (code));",
        same!(
            "SELECT code FROM p ORDER BY id",
            "SELECT id, code FROM c ORDER BY id"
        ),
    ));
}

#[test]
fn an_auto_increment_key_widened_under_its_references() {
    on_mariadb(&case(
        "auto_increment key widened",
        "CREATE TABLE p (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, n VARCHAR(5));\n\
         CREATE TABLE c (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, p_id INT NOT NULL, \
         KEY c_p (p_id), CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE) \
         AUTO_INCREMENT=100;\n\
         INSERT INTO p (n) VALUES ('a'), ('b');\nINSERT INTO c (p_id) VALUES (1), (2), (2);",
        "CREATE TABLE p (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, n VARCHAR(5));\n\
         CREATE TABLE c (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, p_id BIGINT UNSIGNED NOT NULL, \
         KEY c_p (p_id), CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE);",
        same!(
            "SELECT id, n FROM p ORDER BY id",
            "SELECT id, p_id FROM c ORDER BY id"
        ),
    ));
}

#[test]
fn checks_and_generated_columns_over_a_renamed_column() {
    on_mariadb(&Case {
        name: "checks and generated columns over a renamed column",
        from: "CREATE TABLE t (id INT PRIMARY KEY, lo INT, hi INT, \
               CONSTRAINT t_order CHECK (lo <= hi), width INT AS (hi - lo) VIRTUAL);\n\
               CREATE TRIGGER t_fix BEFORE INSERT ON t FOR EACH ROW SET NEW.hi = GREATEST(NEW.hi, NEW.lo);\n\
               INSERT INTO t (id, lo, hi) VALUES (1, 1, 5), (2, 3, 3);",
        to: "CREATE TABLE t (id INT PRIMARY KEY, low INT, hi INT, \
             CONSTRAINT t_order CHECK (low <= hi), width INT AS (hi - low) VIRTUAL);\n\
             CREATE TRIGGER t_fix BEFORE INSERT ON t FOR EACH ROW SET NEW.hi = GREATEST(NEW.hi, NEW.low);",
        renames: &["t.lo=t.low"],
        rows: &[(
            "SELECT id, lo, hi, width FROM t ORDER BY id",
            "SELECT id, low, hi, width FROM t ORDER BY id",
        )],
    });
}

#[test]
fn a_column_dropped_under_a_table_check() {
    on_mariadb(&case(
        "column dropped under a table check",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, CONSTRAINT t_ab CHECK (a < b), \
         CONSTRAINT t_a CHECK (a > 0));\n\
         INSERT INTO t VALUES (1, 1, 2), (2, 3, 9);",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, CONSTRAINT t_a CHECK (a > 0));",
        same!("SELECT id, a FROM t ORDER BY id"),
    ));
}

#[test]
fn spatial_and_descending_unique_indexes() {
    on_mariadb(&case(
        "spatial and descending unique indexes",
        "CREATE TABLE place (id INT PRIMARY KEY, at POINT NOT NULL, name VARCHAR(30));\n\
         INSERT INTO place VALUES (1, POINT(1, 2), 'a'), (2, POINT(3, 4), 'b');",
        "CREATE TABLE place (id INT PRIMARY KEY, at POINT NOT NULL, name VARCHAR(30), \
         SPATIAL KEY place_at (at), UNIQUE KEY place_name (name DESC));",
        same!("SELECT id, ST_AsText(at), name FROM place ORDER BY id"),
    ));
}

#[test]
fn a_reserved_word_table_renamed_with_its_ibfk_keys() {
    on_mariadb(&Case {
        name: "reserved-word table renamed with ibfk keys",
        from: "CREATE TABLE `user` (`id` INT PRIMARY KEY);\n\
               CREATE TABLE `order` (`id` INT PRIMARY KEY, `user` INT, `by` INT, \
               FOREIGN KEY (`user`) REFERENCES `user` (`id`), FOREIGN KEY (`by`) REFERENCES `user` (`id`));\n\
               INSERT INTO `user` VALUES (1), (2);\nINSERT INTO `order` VALUES (1, 1, 2);",
        to: "CREATE TABLE `user` (`id` INT PRIMARY KEY);\n\
             CREATE TABLE `Select Me` (`id` INT PRIMARY KEY, `user` INT, `by` INT, \
             FOREIGN KEY (`user`) REFERENCES `user` (`id`), FOREIGN KEY (`by`) REFERENCES `user` (`id`));",
        renames: &["order=Select Me"],
        rows: &[(
            "SELECT `id`, `user`, `by` FROM `order`",
            "SELECT `id`, `user`, `by` FROM `Select Me`",
        )],
    });
}

/// DDL commits by itself on MariaDB: a generated upgrade that fails part-way
/// (on rows the shadow copy has not) leaves what ran, and once the rows are
/// fixed the same command goes on after the last statement that succeeded.
#[test]
fn a_generated_upgrade_that_fails_part_way_resumes_after_its_last_good_statement() {
    let (Some(db), Some(fresh)) = (Db::server(Server::MySql), Db::server(Server::MySql)) else {
        return;
    };
    let from = "CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(20));\n\
                INSERT INTO t VALUES (1, 'a'), (2, 'a');";
    let to = "CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(20), \
              name VARCHAR(10) NOT NULL DEFAULT '', UNIQUE KEY t_email (email));\n\
              CREATE TABLE log (id INT PRIMARY KEY);";
    let p = Project::new("\n[autogenerate]\nschema = \"schema.sql\"");
    p.rev(1, "base0001", &[], from, "");
    p.ok(&db, &["upgrade", "head"]);
    let from_schema = schema_of(&db);
    std::fs::write(p.path().join("schema.sql"), to).unwrap();
    p.ok(&db, &["revision", "--autogenerate", "-m", "change"]);

    let err = p.fails(&db, &["upgrade", "head"]);
    assert!(err.contains("Duplicate entry"), "{err}");
    assert!(err.contains("ADD UNIQUE KEY t_email"), "{err}");
    // The column was added and stays; the table after the failure was not made.
    assert!(db.has_column("t", "name"));
    assert!(!db.has_table("log"));

    db.execute("UPDATE t SET email = 'b' WHERE id = 2");
    p.ok(&db, &["upgrade", "head"]);
    let out = p.ok(&db, &["check"]);
    assert!(out.contains("No new upgrade operations detected."), "{out}");
    load(&fresh, to);
    assert_eq!(schema_of(&db), schema_of(&fresh));
    assert_eq!(
        db.query("SELECT id, email, name FROM t ORDER BY id"),
        [
            [Some("1".into()), Some("a".into()), Some(String::new())],
            [Some("2".into()), Some("b".into()), Some(String::new())],
        ]
    );
    p.ok(&db, &["downgrade", "-1"]);
    assert_eq!(schema_of(&db), from_schema);
}
