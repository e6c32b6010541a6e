//! The MariaDB renderer on a real server. Every object of a described schema,
//! created from its values into an empty database, describes equal to the
//! original (hostile names too), and dropped again in reverse leaves nothing. Each
//! kind of change, applied to a database with rows in it, leaves exactly what a
//! fresh load of the desired schema describes, keeps the rows, and its reverse
//! brings the first schema back with the rows still there. The SQL of each case is
//! a snapshot.

use aludel::config::DatabaseUrl;
use aludel::dialect::describe::{mysql, DescribeScope};
use aludel::dialect::render::{mysql as render, RenderContext};
use aludel::dialect::{connect, ConnectOptions, TableRef};
use aludel_schema::model::{QualifiedName, Schema, Table};
use aludel_schema::Change;
use aludel_testdb::{Server, TestDb};

mod support;

/// Names that must be quoted: reserved words, spaces, backticks, unicode.
const HOSTILE_DDL: &str = r#"
CREATE TABLE `order` (
    `select` int NOT NULL AUTO_INCREMENT,
    `back``tick` varchar(20) DEFAULT 'a`b',
    `naïve column` json,
    flags bit(3) DEFAULT b'101',
    `Qty` int,
    PRIMARY KEY (`select`),
    UNIQUE KEY `key with space` (`back``tick`),
    CONSTRAINT `check``quote` CHECK (`Qty` > 0)
) COMMENT='it''s a \\ table';
CREATE TABLE `línea de pedido` (
    id int NOT NULL PRIMARY KEY,
    `order` int,
    CONSTRAINT `fk ``order``` FOREIGN KEY (`order`) REFERENCES `order` (`select`) ON DELETE SET NULL
);
CREATE VIEW `order view` AS SELECT `select`, `back``tick` FROM `order`;
"#;

fn scope() -> DescribeScope {
    DescribeScope {
        schemas: Vec::new(),
        exclude_tables: vec!["spatial_ref_sys".into()],
        own_tables: vec![TableRef::new(None, "aludel_version")],
    }
}

async fn describe(db: &TestDb) -> Schema {
    let url = DatabaseUrl::parse(db.url()).unwrap();
    let mut conn = connect(&url, &ConnectOptions::default(), &mut |_| {})
        .await
        .unwrap();
    mysql::describe(conn.as_mut(), &scope()).await.unwrap()
}

/// Renders and runs `changes` one statement at a time, as a revision runs on
/// MySQL; returns the SQL as a revision file would hold it.
async fn apply(db: &TestDb, changes: &[Change], ctx: RenderContext<'_>) -> String {
    let url = DatabaseUrl::parse(db.url()).unwrap();
    let mut conn = connect(&url, &ConnectOptions::default(), &mut |_| {})
        .await
        .unwrap();
    let mut file = String::new();
    for change in changes {
        let statements = render::render(change, ctx).unwrap_or_else(|e| panic!("{change:?}: {e}"));
        for statement in statements {
            if let Err(e) = conn.execute(&statement.sql).await {
                panic!("{change:?}\n{}\nfailed: {}", statement.sql, e.message);
            }
            if statement.drops_data {
                file.push_str("-- WARNING: drops data\n");
            }
            file.push_str(&statement.sql);
            file.push_str(";\n");
        }
    }
    file
}

/// Everything of `schema` as changes, referenced tables before the tables that
/// reference them and views after what they read (the plan's job; done here by
/// hand).
fn creations(schema: &Schema) -> Vec<Change> {
    let mut done: Vec<QualifiedName> = Vec::new();
    let mut out = Vec::new();
    let mut tables: Vec<&Table> = schema.tables.iter().collect();
    while !tables.is_empty() {
        let (ready, rest): (Vec<&Table>, Vec<&Table>) = tables.into_iter().partition(|t| {
            t.foreign_keys
                .iter()
                .all(|k| k.referenced_table == t.name || done.contains(&k.referenced_table))
        });
        assert!(!ready.is_empty(), "foreign keys in a cycle");
        for t in ready {
            done.push(t.name.clone());
            out.push(Change::CreateTable(t.clone()));
        }
        tables = rest;
    }
    let mut views: Vec<_> = schema.views.iter().collect();
    while !views.is_empty() {
        let (ready, rest): (Vec<_>, Vec<_>) = views
            .into_iter()
            .partition(|v| v.depends_on.iter().all(|d| done.contains(d)));
        assert!(!ready.is_empty(), "views in a cycle");
        for v in ready {
            done.push(v.name.clone());
            out.push(Change::CreateView(v.clone()));
        }
        views = rest;
    }
    out
}

#[tokio::test]
async fn a_schema_created_from_its_description_describes_equal() {
    let (Some(original), Some(copy)) =
        (TestDb::create(Server::MySql), TestDb::create(Server::MySql))
    else {
        return;
    };
    original.execute(support::MYSQL_DDL);
    original.execute(HOSTILE_DDL);
    let schema = describe(&original).await;
    for hostile in ["order", "línea de pedido"] {
        assert!(schema.table(&QualifiedName::local(hostile)).is_some());
    }
    let empty = Schema::default();
    let created = apply(
        &copy,
        &creations(&schema),
        RenderContext {
            from: &empty,
            to: &schema,
        },
    )
    .await;
    assert_eq!(describe(&copy).await, schema, "{created}");
    insta::assert_snapshot!("create_all", created);

    let drops: Vec<Change> = creations(&schema)
        .iter()
        .rev()
        .map(Change::reverse)
        .collect();
    let dropped = apply(
        &copy,
        &drops,
        RenderContext {
            from: &schema,
            to: &empty,
        },
    )
    .await;
    assert_eq!(describe(&copy).await, empty);
    assert!(dropped.contains("-- WARNING: drops data\nDROP TABLE `order`;\n"));
}

/// Orders changes as the plan does: what depends on an object is dropped before
/// the object changes and made again after it (foreign keys, views and triggers
/// last, then keys and indexes around the column changes).
fn planned(mut changes: Vec<Change>) -> Vec<Change> {
    changes.sort_by_key(|c| match c {
        Change::DropForeignKey { .. } | Change::DropView(_) | Change::DropTrigger { .. } => 0,
        Change::DropCheck { .. }
        | Change::DropUnique { .. }
        | Change::DropIndex { .. }
        | Change::DropPrimaryKey { .. } => 1,
        Change::RenameTable { .. }
        | Change::AlterTable { .. }
        | Change::AddColumn { .. }
        | Change::AlterColumn { .. }
        | Change::RenameColumn { .. }
        | Change::DropColumn { .. } => 2,
        Change::AddForeignKey { .. } | Change::CreateView(_) | Change::CreateTrigger { .. } => 4,
        _ => 3,
    });
    changes
}

/// What `a` has and `b` has not.
fn gone<'a, T: PartialEq + Clone>(a: &'a [T], b: &'a [T]) -> impl Iterator<Item = T> + 'a {
    a.iter().filter(|x| !b.contains(x)).cloned()
}

/// The changes between the tables both schemas have, and their views, without
/// renames (a small stand-in for the diff).
fn changes(before: &Schema, after: &Schema) -> Vec<Change> {
    let mut out = Vec::new();
    for to in &after.tables {
        let Some(from) = before.table(&to.name) else {
            continue;
        };
        let table = &to.name;
        for (i, column) in to.columns.iter().enumerate() {
            match from.column(&column.name) {
                Some(old) if old != column => out.push(Change::AlterColumn {
                    table: table.clone(),
                    from: old.clone(),
                    to: column.clone(),
                }),
                Some(_) => {}
                None => out.push(Change::AddColumn {
                    table: table.clone(),
                    column: column.clone(),
                    after: i.checked_sub(1).map(|p| to.columns[p].name.clone()),
                }),
            }
        }
        for (i, column) in from.columns.iter().enumerate() {
            if to.column(&column.name).is_none() {
                out.push(Change::DropColumn {
                    table: table.clone(),
                    column: column.clone(),
                    after: i.checked_sub(1).map(|p| from.columns[p].name.clone()),
                });
            }
        }
        if from.options != to.options || from.comment != to.comment {
            out.push(Change::AlterTable {
                from: from.clone(),
                to: to.clone(),
            });
        }
        if from.primary_key != to.primary_key {
            if let Some(key) = from.primary_key.clone() {
                out.push(Change::DropPrimaryKey {
                    table: table.clone(),
                    key,
                });
            }
            if let Some(key) = to.primary_key.clone() {
                out.push(Change::AddPrimaryKey {
                    table: table.clone(),
                    key,
                });
            }
        }
        macro_rules! both_ways {
            ($field:ident, $add:ident, $drop:ident, $value:ident) => {
                out.extend(gone(&from.$field, &to.$field).map(|$value| Change::$drop {
                    table: table.clone(),
                    $value,
                }));
                out.extend(gone(&to.$field, &from.$field).map(|$value| Change::$add {
                    table: table.clone(),
                    $value,
                }));
            };
        }
        both_ways!(uniques, AddUnique, DropUnique, unique);
        both_ways!(indexes, CreateIndex, DropIndex, index);
        both_ways!(foreign_keys, AddForeignKey, DropForeignKey, key);
        both_ways!(checks, AddCheck, DropCheck, check);
        both_ways!(triggers, CreateTrigger, DropTrigger, trigger);
    }
    out.extend(gone(&before.views, &after.views).map(Change::DropView));
    out.extend(gone(&after.views, &before.views).map(Change::CreateView));
    out
}

/// Loads `from` and `rows` into a database and `to` into another (the desired
/// schema's shadow); applies `up` (the changes between their descriptions) to the
/// first, which must then describe as the second, with the rows kept (`rows_query`
/// reads them before, `rows_query_after` after); then the reverse, which must
/// bring the first schema back, rows kept.
async fn migrate(
    snapshot: &str,
    (from, rows, to): (&str, &str, &str),
    (rows_query, rows_query_after): (&str, &str),
    up: impl Fn(&Schema, &Schema) -> Vec<Change>,
) {
    let (Some(db), Some(shadow)) = (TestDb::create(Server::MySql), TestDb::create(Server::MySql))
    else {
        return;
    };
    db.execute(from);
    db.execute(rows);
    shadow.execute(to);
    let (before, after) = (describe(&db).await, describe(&shadow).await);
    assert_ne!(before, after, "the case changes nothing");
    let kept = db.query(rows_query);
    assert!(!kept.is_empty(), "the case has no rows");

    let up = planned(up(&before, &after));
    let upgrade = apply(
        &db,
        &up,
        RenderContext {
            from: &before,
            to: &after,
        },
    )
    .await;
    assert_eq!(describe(&db).await, after, "after the upgrade:\n{upgrade}");
    assert_eq!(db.query(rows_query_after), kept, "rows after the upgrade");

    let down = planned(up.iter().rev().map(Change::reverse).collect());
    let downgrade = apply(
        &db,
        &down,
        RenderContext {
            from: &after,
            to: &before,
        },
    )
    .await;
    assert_eq!(
        describe(&db).await,
        before,
        "after the downgrade:\n{downgrade}"
    );
    assert_eq!(db.query(rows_query), kept, "rows after the downgrade");
    insta::assert_snapshot!(
        snapshot,
        format!("-- upgrade\n{upgrade}\n-- downgrade\n{downgrade}")
    );
}

/// The same query before and after.
fn same(query: &str) -> (&str, &str) {
    (query, query)
}

#[tokio::test]
async fn a_type_change_keeps_the_whole_column() {
    migrate(
        "retype",
        (
            "CREATE TABLE counters (
                id int NOT NULL AUTO_INCREMENT COMMENT 'key' PRIMARY KEY,
                n int NOT NULL DEFAULT 7 COMMENT 'count' CHECK (n >= 0),
                label varchar(10) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL DEFAULT 'x' COMMENT 'l',
                seen timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
                code varchar(10)
            )",
            "INSERT INTO counters (n, label, seen, code) VALUES (1, 'a', '2020-01-01 00:00:00', 'x'), (2, 'b', '2021-01-01 00:00:00', NULL)",
            "CREATE TABLE counters (
                id bigint NOT NULL AUTO_INCREMENT COMMENT 'key' PRIMARY KEY,
                n bigint NOT NULL DEFAULT 7 COMMENT 'count' CHECK (n >= 0),
                label varchar(50) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL DEFAULT 'x' COMMENT 'l',
                seen datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
                code varchar(10) CHARACTER SET latin1
            )",
        ),
        same("SELECT id, n, label, DATE_FORMAT(seen, '%Y-%m-%d %T'), code FROM counters ORDER BY id"),
        changes,
    )
    .await;
}

#[tokio::test]
async fn enum_and_set_values_inserted_mid_list_keep_each_rows_label() {
    migrate(
        "enum_values",
        (
            "CREATE TABLE moods (
                id int PRIMARY KEY,
                mood enum('sad','happy') NOT NULL DEFAULT 'happy',
                tags set('a','c') DEFAULT 'a,c'
            )",
            "INSERT INTO moods VALUES (1, 'sad', 'a'), (2, 'happy', 'c'), (3, 'happy', 'a,c')",
            "CREATE TABLE moods (
                id int PRIMARY KEY,
                mood enum('sad','ok','happy') NOT NULL DEFAULT 'happy',
                tags set('a','b','c') DEFAULT 'a,c'
            )",
        ),
        same("SELECT id, mood, tags FROM moods ORDER BY id"),
        changes,
    )
    .await;
}

#[tokio::test]
async fn a_renamed_column_keeps_everything() {
    migrate(
        "rename_column",
        (
            "CREATE TABLE people (
                id int PRIMARY KEY,
                score int NOT NULL DEFAULT 5 COMMENT 'points so far' CHECK (score >= 0),
                KEY people_score (score DESC)
            )",
            "INSERT INTO people VALUES (1, 10), (2, 0)",
            "CREATE TABLE people (
                id int PRIMARY KEY,
                points int NOT NULL DEFAULT 5 COMMENT 'points so far' CHECK (points >= 0),
                KEY people_score (points DESC)
            )",
        ),
        same("SELECT * FROM people ORDER BY id"),
        |_, _| {
            let table = QualifiedName::local("people");
            vec![
                Change::RenameColumn {
                    table: table.clone(),
                    from: "score".into(),
                    to: "points".into(),
                },
                // The column's own check follows its name.
                Change::RenameConstraint {
                    table,
                    from: "score".into(),
                    to: "points".into(),
                },
            ]
        },
    )
    .await;
}

#[tokio::test]
async fn added_columns_take_their_place() {
    migrate(
        "add_column",
        (
            "CREATE TABLE items (id int PRIMARY KEY, name varchar(20))",
            "INSERT INTO items VALUES (1, 'pen'), (2, NULL)",
            "CREATE TABLE items (
                first_col int NOT NULL DEFAULT 0,
                id int PRIMARY KEY,
                middle int NOT NULL DEFAULT 3 COMMENT 'm' CHECK (middle > 0),
                name varchar(20),
                last_col json
            )",
        ),
        same("SELECT id, name FROM items ORDER BY id"),
        changes,
    )
    .await;
}

#[tokio::test]
async fn keys_indexes_and_checks_are_added_and_dropped() {
    migrate(
        "keys",
        (
            "CREATE TABLE parents (id int PRIMARY KEY, code varchar(20) NOT NULL, bio text);
             CREATE TABLE kids (id int PRIMARY KEY, parent_id int, age int);
             CREATE TABLE logs (id int NOT NULL, n int)",
            "INSERT INTO parents VALUES (1, 'abcdefg', 'likes tea'), (2, 'hij', NULL);
             INSERT INTO kids VALUES (1, 1, 4), (2, NULL, 7);
             INSERT INTO logs VALUES (1, 1)",
            "CREATE TABLE parents (
                id int PRIMARY KEY, code varchar(20) NOT NULL CHECK (code <> ''), bio text,
                UNIQUE KEY parents_code (code),
                KEY parents_code_prefix (code(5) DESC),
                FULLTEXT KEY parents_bio (bio)
             );
             CREATE TABLE kids (
                id int PRIMARY KEY, parent_id int, age int,
                CONSTRAINT kids_parent FOREIGN KEY (parent_id) REFERENCES parents (id) ON DELETE CASCADE,
                CONSTRAINT kids_age CHECK (age >= 0)
             );
             CREATE TABLE logs (id int NOT NULL PRIMARY KEY, n int);
             CREATE TRIGGER logs_n BEFORE INSERT ON logs FOR EACH ROW SET NEW.n = NEW.n + 1",
        ),
        same("SELECT p.id, p.code, p.bio, k.id, k.age, l.n FROM parents p
         LEFT JOIN kids k ON k.parent_id = p.id CROSS JOIN logs l ORDER BY p.id, k.id"),
        changes,
    )
    .await;
}

#[tokio::test]
async fn indexes_and_constraints_are_renamed() {
    migrate(
        "rename_constraints",
        (
            "CREATE TABLE accounts (
                id int PRIMARY KEY, email varchar(50), owner int,
                KEY acc_owner_idx (owner),
                UNIQUE KEY acc_email (email),
                CONSTRAINT acc_owner FOREIGN KEY (owner) REFERENCES accounts (id) ON DELETE SET NULL,
                CONSTRAINT acc_id_positive CHECK (id > 0)
            )",
            "INSERT INTO accounts VALUES (1, 'a@x', NULL), (2, 'b@x', 1)",
            "CREATE TABLE accounts (
                id int PRIMARY KEY, email varchar(50), owner int,
                KEY accounts_owner_idx (owner),
                UNIQUE KEY accounts_email (email),
                CONSTRAINT accounts_owner FOREIGN KEY (owner) REFERENCES accounts (id) ON DELETE SET NULL,
                CONSTRAINT accounts_id_positive CHECK (id > 0)
            )",
        ),
        same("SELECT * FROM accounts ORDER BY id"),
        |_, _| {
            let table = QualifiedName::local("accounts");
            let rename = |from: &str, to: &str| Change::RenameConstraint {
                table: table.clone(),
                from: from.into(),
                to: to.into(),
            };
            vec![
                Change::RenameIndex {
                    table: table.clone(),
                    from: "acc_owner_idx".into(),
                    to: "accounts_owner_idx".into(),
                },
                rename("acc_email", "accounts_email"),
                rename("acc_owner", "accounts_owner"),
                rename("acc_id_positive", "accounts_id_positive"),
            ]
        },
    )
    .await;
}

#[tokio::test]
async fn a_renamed_table_renames_its_foreign_keys_with_it() {
    migrate(
        "rename_table",
        (
            "CREATE TABLE p (id int PRIMARY KEY);
             CREATE TABLE kids (id int PRIMARY KEY, pid int, FOREIGN KEY (pid) REFERENCES p (id))",
            "INSERT INTO p VALUES (1); INSERT INTO kids VALUES (1, 1), (2, NULL)",
            "CREATE TABLE p (id int PRIMARY KEY);
             CREATE TABLE children (id int PRIMARY KEY, pid int, FOREIGN KEY (pid) REFERENCES p (id))",
        ),
        (
            "SELECT k.id, k.pid FROM kids k ORDER BY k.id",
            "SELECT k.id, k.pid FROM children k ORDER BY k.id",
        ),
        |_, _| {
            vec![Change::RenameTable {
                from: QualifiedName::local("kids"),
                to: QualifiedName::local("children"),
            }]
        },
    )
    .await;
}

#[tokio::test]
async fn table_options_change_and_text_columns_follow_the_table() {
    migrate(
        "table_options",
        (
            "CREATE TABLE notes (
                id int PRIMARY KEY,
                body varchar(100) NOT NULL DEFAULT '' COMMENT 'text',
                tag varchar(10) COLLATE utf8mb4_bin
             ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC COMMENT='old'",
            "INSERT INTO notes VALUES (1, 'hello', 'x'), (2, 'world', NULL)",
            "CREATE TABLE notes (
                id int PRIMARY KEY,
                body varchar(100) NOT NULL DEFAULT '' COMMENT 'text',
                tag varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin
             ) ENGINE=MyISAM DEFAULT CHARSET=latin1 COLLATE=latin1_bin COMMENT='new'",
        ),
        same("SELECT * FROM notes ORDER BY id"),
        changes,
    )
    .await;
}

#[tokio::test]
async fn a_changed_view_is_created_again() {
    migrate(
        "view",
        (
            "CREATE TABLE t (id int PRIMARY KEY, total int);
             CREATE VIEW v AS SELECT id FROM t",
            "INSERT INTO t VALUES (1, 5), (2, 0)",
            "CREATE TABLE t (id int PRIMARY KEY, total int);
             CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW v AS
                 SELECT id, total FROM t WHERE total > 0 WITH CASCADED CHECK OPTION",
        ),
        same("SELECT * FROM t ORDER BY id"),
        changes,
    )
    .await;
}

#[tokio::test]
async fn a_type_change_of_a_foreign_key_goes_between_dropping_and_adding_the_key() {
    let from = "CREATE TABLE parents (id int PRIMARY KEY);
        CREATE TABLE kids (id int PRIMARY KEY, pid int,
            CONSTRAINT kids_parent FOREIGN KEY (pid) REFERENCES parents (id))";
    let to = "CREATE TABLE parents (id bigint PRIMARY KEY);
        CREATE TABLE kids (id int PRIMARY KEY, pid bigint,
            CONSTRAINT kids_parent FOREIGN KEY (pid) REFERENCES parents (id))";
    let rows = "INSERT INTO parents VALUES (1); INSERT INTO kids VALUES (1, 1)";
    // Alone, the MODIFY is refused on either side of the key: the plan must drop
    // and re-add it around the change.
    if let (Some(db), Some(shadow)) = (TestDb::create(Server::MySql), TestDb::create(Server::MySql))
    {
        db.execute(from);
        shadow.execute(to);
        let (before, after) = (describe(&db).await, describe(&shadow).await);
        let ctx = RenderContext {
            from: &before,
            to: &after,
        };
        let url = DatabaseUrl::parse(db.url()).unwrap();
        let mut conn = connect(&url, &ConnectOptions::default(), &mut |_| {})
            .await
            .unwrap();
        for change in changes(&before, &after) {
            let Change::AlterColumn { .. } = change else {
                continue;
            };
            let statement = &render::render(&change, ctx).unwrap()[0];
            let err = conn.execute(&statement.sql).await.unwrap_err();
            assert!(
                err.message.contains("used in a foreign key constraint"),
                "{}",
                err.message
            );
        }
    }
    migrate(
        "foreign_key_retype",
        (from, rows, to),
        same("SELECT * FROM kids"),
        |before, after| {
            let table = QualifiedName::local("kids");
            let key = before.table(&table).unwrap().foreign_keys[0].clone();
            let mut out = changes(before, after);
            out.push(Change::DropForeignKey {
                table: table.clone(),
                key: key.clone(),
            });
            out.push(Change::AddForeignKey { table, key });
            out
        },
    )
    .await;
}

#[test]
fn postgresql_only_objects_are_refused_by_name() {
    let empty = Schema::default();
    let ctx = RenderContext {
        from: &empty,
        to: &empty,
    };
    let err = render::render(&Change::CreateNamespace("billing".into()), ctx).unwrap_err();
    assert_eq!(
        err.to_string(),
        "aludel cannot generate schema billing (PostgreSQL only: a MySQL/MariaDB schema is \
         a database) on MySQL/MariaDB yet"
    );
    let err = render::render(
        &Change::RenameConstraint {
            table: QualifiedName::local("t"),
            from: "a".into(),
            to: "b".into(),
        },
        ctx,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "aludel cannot generate renaming constraint a of t to b (no unique key, foreign key \
         or check of that name in either schema) on MySQL/MariaDB yet"
    );
}
