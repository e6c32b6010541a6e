//! Shadow databases on real servers: created next to the target, usable, and gone
//! afterwards, whether discarded, dropped on an early return, or after a panic; a
//! configured shadow database must be empty and is emptied again.

use aludel::config::DatabaseUrl;
use aludel::dialect::shadow::ShadowDatabase;
use aludel_testdb::{Server, TestDb};

fn exists(db: &TestDb, name: &str) -> bool {
    let sql = match db.server() {
        Server::Postgres => format!("SELECT count(*) FROM pg_database WHERE datname = '{name}'"),
        Server::MySql => {
            format!("SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{name}'")
        }
    };
    db.query(&sql)[0][0].as_deref() == Some("1")
}

async fn create_use_and_check(db: &TestDb) -> String {
    let target = DatabaseUrl::parse(db.url()).unwrap();
    let mut shadow = ShadowDatabase::create(&target, None).await.unwrap();
    let name = shadow.created_name().unwrap().to_string();
    assert!(name.starts_with("aludel_shadow_"));
    assert!(exists(db, &name));
    shadow
        .connection()
        .execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        .await
        .unwrap();
    assert!(db.tables().is_empty(), "the target is untouched");
    shadow.discard().await.unwrap();
    assert!(!exists(db, &name));
    name
}

#[tokio::test]
async fn a_shadow_database_is_created_next_to_the_target_and_dropped() {
    for server in aludel_testdb::all_servers() {
        let Some(db) = TestDb::create(server) else {
            continue;
        };
        create_use_and_check(&db).await;

        // Dropped without discard (an early return, an error): still removed.
        let target = DatabaseUrl::parse(db.url()).unwrap();
        let name = {
            let shadow = ShadowDatabase::create(&target, None).await.unwrap();
            shadow.created_name().unwrap().to_string()
        };
        assert!(
            !exists(&db, &name),
            "[{server}] dropped shadow {name} remains"
        );

        // After a panic in a task that held it.
        let url = target.clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(async move {
            let shadow = ShadowDatabase::create(&url, None).await.unwrap();
            tx.send(shadow.created_name().unwrap().to_string()).unwrap();
            panic!("boom");
        });
        assert!(task.await.is_err());
        let name = rx.await.unwrap();
        assert!(
            !exists(&db, &name),
            "[{server}] shadow {name} outlived a panic"
        );
    }
}

#[tokio::test]
async fn a_configured_shadow_database_must_be_empty_and_is_emptied() {
    for server in aludel_testdb::all_servers() {
        let (Some(db), Some(scratch)) = (TestDb::create(server), TestDb::create(server)) else {
            continue;
        };
        let target = DatabaseUrl::parse(db.url()).unwrap();
        let configured = DatabaseUrl::parse(scratch.url()).unwrap();
        let mut shadow = ShadowDatabase::create(&target, Some(&configured))
            .await
            .unwrap();
        assert_eq!(shadow.created_name(), None);
        let conn = shadow.connection();
        conn.execute("CREATE TABLE a (id INTEGER PRIMARY KEY)")
            .await
            .unwrap();
        conn.execute("CREATE TABLE b (id INTEGER REFERENCES a (id))")
            .await
            .unwrap();
        conn.execute("CREATE VIEW v AS SELECT id FROM b")
            .await
            .unwrap();
        shadow.discard().await.unwrap();
        assert!(scratch.tables().is_empty(), "[{server}] emptied");

        scratch.execute("CREATE TABLE keep_me (id INTEGER)");
        let err = match ShadowDatabase::create(&target, Some(&configured)).await {
            Err(e) => e,
            Ok(_) => panic!("[{server}] a non-empty shadow database was accepted"),
        };
        assert!(
            err.message
                .contains("is not empty (1 tables, views or types)"),
            "{}",
            err.message
        );
        if configured.has_password() {
            assert!(
                err.message.contains(":***@"),
                "password shown: {}",
                err.message
            );
        }
        assert_eq!(scratch.tables(), ["keep_me"], "[{server}] nothing removed");
    }
}

#[tokio::test]
async fn sqlite_shadows_live_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let target =
        DatabaseUrl::parse(&format!("sqlite:///{}", dir.path().join("t.db").display())).unwrap();
    let mut shadow = ShadowDatabase::create(&target, None).await.unwrap();
    shadow
        .connection()
        .execute("CREATE TABLE t (id INTEGER)")
        .await
        .unwrap();
    shadow.discard().await.unwrap();
    assert!(
        !dir.path().join("t.db").exists(),
        "the target file is not created"
    );
}
