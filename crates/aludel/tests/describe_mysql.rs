//! The MariaDB describer on a real server: DDL loaded into a fresh database must
//! come back as the schema values it declares, names included (implicit ones too),
//! with aludel's own tables and excluded tables left out.

use aludel::config::DatabaseUrl;
use aludel::dialect::describe::{mysql, DescribeScope};
use aludel::dialect::{connect, ConnectOptions, TableRef};
use aludel_schema::model::*;
use aludel_testdb::{Server, TestDb};

mod support;
use support::MYSQL_DDL as DDL;

async fn describe(db: &TestDb) -> Schema {
    let url = DatabaseUrl::parse(db.url()).unwrap();
    let mut conn = connect(&url, &ConnectOptions::default(), &mut |_| {})
        .await
        .unwrap();
    let scope = DescribeScope {
        schemas: Vec::new(),
        exclude_tables: vec!["spatial_ref_sys".into()],
        own_tables: vec![TableRef::new(None, "aludel_version")],
    };
    mysql::describe(conn.as_mut(), &scope).await.unwrap()
}

fn column(name: &str, data_type: &str, nullable: bool) -> Column {
    Column {
        nullable,
        ..Column::new(name, data_type)
    }
}

fn part(column: &str, descending: bool, prefix_length: Option<u32>) -> IndexPart {
    IndexPart {
        key: IndexKey::Column(column.into()),
        descending,
        nulls_first: None,
        collation: None,
        opclass: None,
        prefix_length,
    }
}

fn index(name: &str, unique: bool, parts: Vec<IndexPart>, method: Option<&str>) -> Index {
    Index {
        name: name.into(),
        unique,
        parts,
        method: method.map(str::to_string),
        predicate: None,
        include: Vec::new(),
        nulls_not_distinct: false,
        options: Vec::new(),
        definition: None,
    }
}

fn primary(columns: &[&str]) -> Option<PrimaryKey> {
    Some(PrimaryKey {
        name: Some("PRIMARY".into()),
        columns: strings(columns),
    })
}

fn unique(name: &str, columns: &[&str]) -> Unique {
    Unique {
        name: Some(name.into()),
        columns: strings(columns),
        nulls_not_distinct: false,
        deferrable: Deferrable::No,
    }
}

fn foreign_key(
    name: &str,
    columns: &[&str],
    table: &str,
    referenced: &[&str],
    on_delete: ReferentialAction,
    on_update: ReferentialAction,
) -> ForeignKey {
    ForeignKey {
        name: Some(name.into()),
        columns: strings(columns),
        referenced_table: QualifiedName::local(table),
        referenced_columns: strings(referenced),
        on_delete,
        on_update,
        match_kind: None,
        deferrable: Deferrable::No,
    }
}

fn options(engine: &str, charset: &str, collation: &str) -> Vec<(String, String)> {
    [
        ("charset", charset),
        ("collation", collation),
        ("engine", engine),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn users() -> Table {
    let with = |mut c: Column, f: &dyn Fn(&mut Column)| {
        f(&mut c);
        c
    };
    let mut table = Table::new(QualifiedName::local("users"));
    table.columns = vec![
        with(column("id", "int(11)", false), &|c| {
            c.identity = Some(Identity::AutoIncrement)
        }),
        with(column("email", "varchar(200)", false), &|c| {
            c.comment = Some("login".into())
        }),
        with(column("order", "int(11)", true), &|c| {
            c.default = Some("5".into())
        }),
        with(column("Display Name", "varchar(50)", true), &|c| {
            c.default = Some("'anon'".into());
            c.charset = Some("latin1".into());
            c.collation = Some("latin1_swedish_ci".into());
        }),
        with(column("nick", "varchar(50)", true), &|c| {
            c.collation = Some("utf8mb4_bin".into())
        }),
        with(column("mood", "enum('sad','ok','happy')", false), &|c| {
            c.default = Some("'ok'".into())
        }),
        with(column("flags", "set('a','b','c')", true), &|c| {
            c.default = Some("'a,b'".into())
        }),
        column("score", "decimal(10,2)", true),
        with(column("score_x2", "decimal(12,2)", true), &|c| {
            c.generated = Some(Generated {
                expression: "`score` * 2".into(),
                stored: false,
            })
        }),
        with(column("score_x3", "decimal(12,2)", true), &|c| {
            c.generated = Some(Generated {
                expression: "`score` * 3".into(),
                stored: true,
            })
        }),
        with(column("created", "timestamp", false), &|c| {
            c.default = Some("current_timestamp()".into());
            c.on_update = Some("current_timestamp()".into());
        }),
        with(column("updated", "datetime(3)", true), &|c| {
            c.on_update = Some("current_timestamp(3)".into())
        }),
        column("bio", "text", true),
        with(column("note", "varchar(10)", true), &|c| {
            c.default = Some("'it''s'".into())
        }),
        with(column("literal_null", "varchar(10)", true), &|c| {
            c.default = Some("'NULL'".into())
        }),
        with(column("three", "int(11)", false), &|c| {
            c.default = Some("(1 + 2)".into())
        }),
    ];
    table.primary_key = primary(&["id"]);
    table.uniques = vec![unique("users_email", &["email"])];
    table.indexes = vec![
        index(
            "users_bio",
            false,
            vec![part("bio", false, None)],
            Some("FULLTEXT"),
        ),
        index(
            "users_name_prefix",
            true,
            vec![part("Display Name", false, Some(10))],
            None,
        ),
        index(
            "users_order_desc",
            false,
            vec![part("order", true, None), part("nick", false, Some(5))],
            None,
        ),
    ];
    table.checks = vec![
        Check {
            name: Some("score".into()),
            expression: "`score` >= 0".into(),
        },
        Check {
            name: Some("users_score_max".into()),
            expression: "`score` < 1000".into(),
        },
    ];
    table.comment = Some("people".into());
    table.options = options("InnoDB", "utf8mb4", "utf8mb4_unicode_ci");
    table.options.push(("row_format".into(), "DYNAMIC".into()));
    table
}

fn cafe() -> Table {
    let mut table = Table::new(QualifiedName::local("café"));
    table.columns = vec![
        column("clé", "int(11)", false),
        column("part", "int(11)", false),
        column("user_id", "int(11)", true),
    ];
    table.primary_key = primary(&["clé", "part"]);
    // The index InnoDB made for the foreign key, named as it.
    table.indexes = vec![index(
        "café_user",
        false,
        vec![part("user_id", false, None)],
        None,
    )];
    table.foreign_keys = vec![foreign_key(
        "café_user",
        &["user_id"],
        "users",
        &["id"],
        ReferentialAction::Cascade,
        ReferentialAction::SetNull,
    )];
    table.triggers = vec![Trigger {
        name: "café_log".into(),
        definition:
            "CREATE TRIGGER `café_log` AFTER INSERT ON `café` FOR EACH ROW SET @n = NEW.part".into(),
    }];
    table.options = options("InnoDB", "utf8mb4", "utf8mb4_general_ci");
    table
}

fn orders() -> Table {
    let mut table = Table::new(QualifiedName::local("orders"));
    table.columns = vec![
        Column {
            identity: Some(Identity::AutoIncrement),
            ..column("id", "bigint(20) unsigned", false)
        },
        column("cafe_cle", "int(11)", true),
        column("cafe_part", "int(11)", true),
        column("total", "int(11)", true),
    ];
    table.primary_key = primary(&["id"]);
    table.uniques = vec![unique("cafe_cle", &["cafe_cle", "cafe_part", "total"])];
    // An action left unsaid is RESTRICT on MariaDB.
    table.foreign_keys = vec![foreign_key(
        "orders_ibfk_1",
        &["cafe_cle", "cafe_part"],
        "café",
        &["clé", "part"],
        ReferentialAction::NoAction,
        ReferentialAction::Restrict,
    )];
    table.triggers = vec![Trigger {
        name: "orders_touch".into(),
        definition:
            "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW SET NEW.total = NEW.total + 1"
                .into(),
    }];
    table.options = options("InnoDB", "utf8mb4", "utf8mb4_general_ci");
    table
}

fn places() -> Table {
    let mut table = Table::new(QualifiedName::local("places"));
    table.columns = vec![
        column("id", "int(11)", false),
        column("spot", "point", false),
    ];
    table.primary_key = primary(&["id"]);
    // The server's own key length on a spatial key (32) is not a prefix.
    table.indexes = vec![index(
        "places_spot",
        false,
        vec![part("spot", false, None)],
        Some("SPATIAL"),
    )];
    table.options = options("MyISAM", "latin1", "latin1_swedish_ci");
    table
}

fn views() -> Vec<View> {
    vec![
        View {
            name: QualifiedName::local("big_orders"),
            definition: "select `orders`.`id` AS `id`,`orders`.`total` AS `total` \
                         from `orders` where `orders`.`total` > 100"
                .into(),
            depends_on: vec![QualifiedName::local("orders")],
            options: Vec::new(),
            comment: None,
        },
        View {
            name: QualifiedName::local("bigger_orders"),
            definition: "select `big_orders`.`id` AS `id`,`big_orders`.`total` AS `total` \
                         from `big_orders` where `big_orders`.`total` > 1000"
                .into(),
            depends_on: vec![QualifiedName::local("big_orders")],
            options: strings(&[
                "ALGORITHM=MERGE",
                "SQL SECURITY INVOKER",
                "WITH LOCAL CHECK OPTION",
            ]),
            comment: None,
        },
    ]
}

#[tokio::test]
async fn describes_what_the_ddl_declares() {
    let Some(db) = TestDb::create(Server::MySql) else {
        return;
    };
    db.execute(DDL);
    let schema = describe(&db).await;

    let names: Vec<String> = schema.tables.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(names, ["café", "orders", "places", "users"]);
    for expected in [users(), cafe(), orders(), places()] {
        assert_eq!(schema.table(&expected.name), Some(&expected));
    }
    assert_eq!(schema.views, views());
    assert!(schema.namespaces.is_empty());
    assert!(schema.enums.is_empty() && schema.sequences.is_empty());
}

#[tokio::test]
async fn the_same_ddl_in_two_databases_describes_equal() {
    let (Some(a), Some(b)) = (TestDb::create(Server::MySql), TestDb::create(Server::MySql)) else {
        return;
    };
    a.execute(DDL);
    b.execute(DDL);
    assert_ne!(a.name(), b.name());
    let schema = describe(&a).await;
    assert_eq!(schema, describe(&b).await);
    assert_eq!(schema.tables.len(), 4);
}

#[tokio::test]
async fn a_connection_without_a_database_is_told_to_name_one() {
    let Some(db) = TestDb::create(Server::MySql) else {
        return;
    };
    let without = db.url().replace(&format!("/{}", db.name()), "/");
    let url = DatabaseUrl::parse(&without).unwrap();
    let mut conn = connect(&url, &ConnectOptions::default(), &mut |_| {})
        .await
        .unwrap();
    let err = mysql::describe(conn.as_mut(), &DescribeScope::default())
        .await
        .unwrap_err();
    assert_eq!(
        err.message,
        "reading the database's schema: the connection has no database selected; \
         name one in the URL (mysql://user@host/DATABASE)"
    );
}
