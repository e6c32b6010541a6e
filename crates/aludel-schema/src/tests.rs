use crate::change::Change;
use crate::model::*;

fn users() -> Table {
    let mut t = Table::new(QualifiedName::local("users"));
    t.columns.push(Column::new("id", "integer"));
    t.columns.push(Column::new("email", "text"));
    t.indexes.push(Index {
        name: "users_email".into(),
        unique: true,
        parts: vec![IndexPart {
            key: IndexKey::Column("email".into()),
            descending: false,
            nulls_first: None,
            collation: None,
            opclass: None,
            prefix_length: None,
        }],
        method: None,
        predicate: None,
        include: vec![],
        nulls_not_distinct: false,
        options: vec![],
        definition: None,
    });
    t
}

#[test]
fn reverse_twice_is_the_change() {
    let t = users();
    let changes = [
        Change::CreateTable(t.clone()),
        Change::RenameTable {
            from: t.name.clone(),
            to: QualifiedName::local("accounts"),
        },
        Change::AddColumn {
            table: t.name.clone(),
            column: Column::new("age", "integer"),
            after: Some("email".into()),
        },
        Change::AlterColumn {
            table: t.name.clone(),
            from: Column::new("email", "text"),
            to: Column::new("email", "character varying(100)"),
        },
        Change::CreateIndex {
            table: t.name.clone(),
            index: t.indexes[0].clone(),
        },
    ];
    for change in changes {
        assert_ne!(change.reverse(), change);
        assert_eq!(change.reverse().reverse(), change);
    }
}

#[test]
fn dropping_a_column_keeps_its_place_for_the_reverse() {
    let drop = Change::DropColumn {
        table: QualifiedName::local("users"),
        column: Column::new("email", "text"),
        after: Some("id".into()),
    };
    assert!(drop.drops_data());
    let Change::AddColumn { after, .. } = drop.reverse() else {
        panic!("the reverse of a drop is an add");
    };
    assert_eq!(after.as_deref(), Some("id"));
    assert!(!drop.reverse().drops_data());
}

#[test]
fn canonical_order_ignores_catalog_order_but_keeps_column_order() {
    let mut a = Schema::default();
    let mut t = users();
    t.indexes.push(Index {
        name: "a_first".into(),
        ..t.indexes[0].clone()
    });
    a.tables.push(t.clone());
    a.tables.push(Table::new(QualifiedName::local("orders")));
    let mut b = Schema::default();
    let mut t2 = t.clone();
    t2.indexes.reverse();
    b.tables.push(Table::new(QualifiedName::local("orders")));
    b.tables.push(t2);
    assert_ne!(a, b);
    let (a, b) = (a.canonical(), b.canonical());
    assert_eq!(a, b);
    assert_eq!(a.tables[0].name.name, "orders");
    assert_eq!(
        a.tables[1].columns[0].name, "id",
        "columns keep their order"
    );
}
