//! Autogenerate round trips on SQLite (support/roundtrip.rs), one per change
//! kind SQLite has and per trap of its table-rebuild recipe: every change
//! `ALTER TABLE` cannot make rebuilds the table (rows copied, indexes, triggers
//! and views re-created, foreign keys checked), and a rebuild must fire no
//! `ON DELETE` action on other tables.

mod support;

use support::roundtrip::{round_trip, Case};
use support::Db;

fn sqlite(case: &Case) {
    round_trip(case, &Db::sqlite(), &Db::sqlite());
}

// ---- tables ----

#[test]
fn tables_created_and_dropped_with_their_indexes() {
    sqlite(&Case {
        name: "tables created and dropped",
        from: "CREATE TABLE gone (id INTEGER PRIMARY KEY, note TEXT);\n\
               CREATE INDEX gone_note ON gone (note);\n\
               CREATE TABLE kept (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n\
               INSERT INTO gone VALUES (1, 'x');\n\
               INSERT INTO kept VALUES (1, 'ann'), (2, 'bob');",
        to: "CREATE TABLE kept (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n\
             CREATE TABLE added (id INTEGER PRIMARY KEY, kept_id INTEGER REFERENCES kept (id));\n\
             CREATE INDEX added_kept ON added (kept_id);",
        renames: &[],
        rows: &[(
            "SELECT id, name FROM kept ORDER BY id",
            "SELECT id, name FROM kept ORDER BY id",
        )],
    });
}

#[test]
fn a_table_renamed_that_other_tables_reference() {
    sqlite(&Case {
        name: "table renamed, referenced by a foreign key",
        from: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n\
               CREATE TABLE posts (id INTEGER PRIMARY KEY, \
               user_id INTEGER REFERENCES users (id) ON DELETE CASCADE);\n\
               INSERT INTO users VALUES (1, 'ann'), (2, 'bob');\n\
               INSERT INTO posts VALUES (10, 1), (11, 2), (12, 1);",
        to: "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT);\n\
             CREATE TABLE posts (id INTEGER PRIMARY KEY, \
             user_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE);",
        renames: &["users=accounts"],
        rows: &[
            (
                "SELECT id, name FROM users ORDER BY id",
                "SELECT id, name FROM accounts ORDER BY id",
            ),
            (
                "SELECT id, user_id FROM posts ORDER BY id",
                "SELECT id, user_id FROM posts ORDER BY id",
            ),
        ],
    });
}

#[test]
fn a_column_referenced_by_another_table_renamed() {
    sqlite(&Case {
        name: "referenced column renamed",
        from: "CREATE TABLE users (uid INTEGER PRIMARY KEY, name TEXT);\n\
               CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (uid));\n\
               INSERT INTO users VALUES (1, 'ann'), (2, 'bob');\n\
               INSERT INTO posts VALUES (10, 1), (11, 2);",
        to: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n\
             CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));",
        renames: &["users.uid=users.id"],
        rows: &[
            (
                "SELECT uid, name FROM users ORDER BY uid",
                "SELECT id, name FROM users ORDER BY id",
            ),
            (
                "SELECT id, user_id FROM posts ORDER BY id",
                "SELECT id, user_id FROM posts ORDER BY id",
            ),
        ],
    });
}

#[test]
fn a_table_and_its_column_renamed_together() {
    sqlite(&Case {
        name: "table and column renamed",
        from: "CREATE TABLE people (id INTEGER PRIMARY KEY, nm TEXT NOT NULL);\n\
               CREATE INDEX people_nm ON people (nm);\n\
               INSERT INTO people VALUES (1, 'ann'), (2, 'bob');",
        to: "CREATE TABLE persons (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n\
             CREATE INDEX people_nm ON persons (name);",
        renames: &["people=persons", "persons.nm=persons.name"],
        rows: &[(
            "SELECT id, nm FROM people ORDER BY id",
            "SELECT id, name FROM persons ORDER BY id",
        )],
    });
}

// ---- columns ----

#[test]
fn a_column_type_changed_rebuilds_the_table() {
    sqlite(&Case {
        name: "column type changed",
        from: "CREATE TABLE items (id INTEGER PRIMARY KEY, price INTEGER, label TEXT);\n\
               CREATE INDEX items_label ON items (label);\n\
               INSERT INTO items VALUES (1, 10, 'a'), (2, 20, 'b'), (3, NULL, NULL);",
        to: "CREATE TABLE items (id INTEGER PRIMARY KEY, price NUMERIC(10, 2), label TEXT);\n\
             CREATE INDEX items_label ON items (label);",
        renames: &[],
        rows: &[(
            "SELECT id, price, label FROM items ORDER BY id",
            "SELECT id, price, label FROM items ORDER BY id",
        )],
    });
}

#[test]
fn a_column_made_not_null_and_back() {
    sqlite(&Case {
        name: "nullability changed",
        from: "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, note TEXT NOT NULL);\n\
               INSERT INTO items VALUES (1, 'a', 'x'), (2, 'b', 'y');",
        to: "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT);",
        renames: &[],
        rows: &[(
            "SELECT id, name, note FROM items ORDER BY id",
            "SELECT id, name, note FROM items ORDER BY id",
        )],
    });
}

#[test]
fn defaults_added_changed_and_dropped() {
    sqlite(&Case {
        name: "defaults",
        from: "CREATE TABLE items (id INTEGER PRIMARY KEY, a TEXT, b INTEGER DEFAULT 1, \
               c TEXT DEFAULT 'x', d TEXT DEFAULT CURRENT_TIMESTAMP);\n\
               INSERT INTO items (id, a, b, c, d) VALUES (1, 'p', 2, 'q', '2020-01-01');",
        to: "CREATE TABLE items (id INTEGER PRIMARY KEY, a TEXT DEFAULT 'none', b INTEGER DEFAULT 2, \
             c TEXT, d TEXT DEFAULT (datetime('now')));",
        renames: &[],
        rows: &[(
            "SELECT id, a, b, c, d FROM items ORDER BY id",
            "SELECT id, a, b, c, d FROM items ORDER BY id",
        )],
    });
}

#[test]
fn plain_columns_added_and_dropped_in_place() {
    sqlite(&Case {
        name: "columns added and dropped in place",
        from: "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, old TEXT);\n\
               INSERT INTO items VALUES (1, 'a', 'x'), (2, 'b', NULL);",
        to: "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, \
             qty INTEGER NOT NULL DEFAULT 0, note TEXT DEFAULT 'n/a');",
        renames: &[],
        rows: &[(
            "SELECT id, name FROM items ORDER BY id",
            "SELECT id, name FROM items ORDER BY id",
        )],
    });
}

#[test]
fn columns_that_alter_table_cannot_add() {
    sqlite(&Case {
        name: "columns added by a rebuild",
        from: "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);\n\
               INSERT INTO items VALUES (1, 'a'), (2, 'b');",
        to: "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, \
             created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, \
             code TEXT UNIQUE, \
             upper_name TEXT GENERATED ALWAYS AS (upper(name)) STORED);",
        renames: &[],
        rows: &[(
            "SELECT id, name FROM items ORDER BY id",
            "SELECT id, name FROM items ORDER BY id",
        )],
    });
}

#[test]
fn a_column_used_by_an_index_dropped() {
    sqlite(&Case {
        name: "indexed column dropped",
        from: "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, sku TEXT);\n\
               CREATE INDEX items_sku ON items (sku, name);\n\
               CREATE UNIQUE INDEX items_name ON items (name);\n\
               INSERT INTO items VALUES (1, 'a', 's1'), (2, 'b', 's2');",
        to: "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);\n\
             CREATE UNIQUE INDEX items_name ON items (name);",
        renames: &[],
        rows: &[(
            "SELECT id, name FROM items ORDER BY id",
            "SELECT id, name FROM items ORDER BY id",
        )],
    });
}

#[test]
fn a_column_used_by_a_foreign_key_dropped() {
    sqlite(&Case {
        name: "foreign key column dropped",
        from: "CREATE TABLE users (id INTEGER PRIMARY KEY);\n\
               CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT, \
               author INTEGER REFERENCES users (id));\n\
               INSERT INTO users VALUES (1), (2);\n\
               INSERT INTO posts VALUES (1, 't1', 1), (2, 't2', 2);",
        to: "CREATE TABLE users (id INTEGER PRIMARY KEY);\n\
             CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT);",
        renames: &[],
        rows: &[(
            "SELECT id, title FROM posts ORDER BY id",
            "SELECT id, title FROM posts ORDER BY id",
        )],
    });
}

#[test]
fn a_column_renamed_with_its_index_and_check() {
    sqlite(&Case {
        name: "column renamed with its index and check",
        from: "CREATE TABLE items (id INTEGER PRIMARY KEY, qty INTEGER CHECK (qty >= 0));\n\
               CREATE INDEX items_qty ON items (qty);\n\
               INSERT INTO items VALUES (1, 5), (2, 0);",
        to:
            "CREATE TABLE items (id INTEGER PRIMARY KEY, quantity INTEGER CHECK (quantity >= 0));\n\
             CREATE INDEX items_qty ON items (quantity);",
        renames: &["items.qty=items.quantity"],
        rows: &[(
            "SELECT id, qty FROM items ORDER BY id",
            "SELECT id, quantity FROM items ORDER BY id",
        )],
    });
}

#[test]
fn a_column_renamed_while_its_type_changes() {
    sqlite(&Case {
        name: "column renamed and retyped",
        from: "CREATE TABLE items (id INTEGER PRIMARY KEY, cost INTEGER);\n\
               INSERT INTO items VALUES (1, 5), (2, 7);",
        to: "CREATE TABLE items (id INTEGER PRIMARY KEY, price REAL NOT NULL DEFAULT 0);",
        renames: &["items.cost=items.price"],
        rows: &[(
            "SELECT id, cost FROM items ORDER BY id",
            "SELECT id, CAST(price AS INTEGER) FROM items ORDER BY id",
        )],
    });
}

#[test]
fn collations_of_columns_changed() {
    sqlite(&Case {
        name: "collation",
        from: "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT, slug TEXT COLLATE NOCASE);\n\
               INSERT INTO tags VALUES (1, 'Alpha', 'a'), (2, 'beta', 'B');",
        to: "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE, slug TEXT COLLATE RTRIM);",
        renames: &[],
        rows: &[(
            "SELECT id, name, slug FROM tags ORDER BY id",
            "SELECT id, name, slug FROM tags ORDER BY id",
        )],
    });
}

#[test]
fn generated_columns_virtual_and_stored() {
    sqlite(&Case {
        name: "generated columns",
        from: "CREATE TABLE boxes (id INTEGER PRIMARY KEY, w INTEGER, h INTEGER, \
               area INTEGER GENERATED ALWAYS AS (w * h) VIRTUAL, \
               perimeter INTEGER GENERATED ALWAYS AS (2 * (w + h)) STORED);\n\
               INSERT INTO boxes (id, w, h) VALUES (1, 2, 3), (2, 4, 5);",
        to: "CREATE TABLE boxes (id INTEGER PRIMARY KEY, w INTEGER, h INTEGER, \
             area INTEGER GENERATED ALWAYS AS (w * h * 1) STORED, \
             perimeter INTEGER GENERATED ALWAYS AS (w + w + h + h) VIRTUAL, \
             label TEXT AS ('box ' || id));",
        renames: &[],
        rows: &[(
            "SELECT id, w, h, area, perimeter FROM boxes ORDER BY id",
            "SELECT id, w, h, area, perimeter FROM boxes ORDER BY id",
        )],
    });
}

#[test]
fn a_virtual_generated_column_added_in_place() {
    sqlite(&Case {
        name: "virtual column added",
        from: "CREATE TABLE boxes (id INTEGER PRIMARY KEY, w INTEGER);\n\
               INSERT INTO boxes VALUES (1, 2), (2, 3);",
        to: "CREATE TABLE boxes (id INTEGER PRIMARY KEY, w INTEGER, \
             twice INTEGER GENERATED ALWAYS AS (w * 2) VIRTUAL);",
        renames: &[],
        rows: &[(
            "SELECT id, w FROM boxes ORDER BY id",
            "SELECT id, w FROM boxes ORDER BY id",
        )],
    });
}

// ---- table options ----

#[test]
fn without_rowid_added() {
    sqlite(&Case {
        name: "WITHOUT ROWID",
        from: "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT);\n\
               INSERT INTO kv VALUES ('a', '1'), ('b', '2');",
        to: "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;",
        renames: &[],
        rows: &[(
            "SELECT k, v FROM kv ORDER BY k",
            "SELECT k, v FROM kv ORDER BY k",
        )],
    });
}

#[test]
fn strict_added_and_without_rowid_dropped() {
    sqlite(&Case {
        name: "STRICT",
        from: "CREATE TABLE kv (k TEXT NOT NULL PRIMARY KEY, v INT) WITHOUT ROWID;\n\
               INSERT INTO kv VALUES ('a', 1), ('b', 2);",
        to: "CREATE TABLE kv (k TEXT NOT NULL PRIMARY KEY, v INT) STRICT;",
        renames: &[],
        rows: &[(
            "SELECT k, v FROM kv ORDER BY k",
            "SELECT k, v FROM kv ORDER BY k",
        )],
    });
}

#[test]
fn autoincrement_added() {
    sqlite(&Case {
        name: "AUTOINCREMENT",
        from: "CREATE TABLE events (id INTEGER PRIMARY KEY, what TEXT);\n\
               INSERT INTO events VALUES (1, 'a'), (7, 'b');",
        to: "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT);",
        renames: &[],
        rows: &[(
            "SELECT id, what FROM events ORDER BY id",
            "SELECT id, what FROM events ORDER BY id",
        )],
    });
}

// ---- keys and constraints ----

#[test]
fn primary_key_changed_to_a_composite_one() {
    sqlite(&Case {
        name: "primary key changed",
        from: "CREATE TABLE memberships (id INTEGER PRIMARY KEY, team INTEGER NOT NULL, \
               person INTEGER NOT NULL);\n\
               INSERT INTO memberships VALUES (1, 1, 1), (2, 1, 2), (3, 2, 1);",
        to:
            "CREATE TABLE memberships (id INTEGER, team INTEGER NOT NULL, person INTEGER NOT NULL, \
             CONSTRAINT memberships_pk PRIMARY KEY (team, person));",
        renames: &[],
        rows: &[(
            "SELECT id, team, person FROM memberships ORDER BY id",
            "SELECT id, team, person FROM memberships ORDER BY id",
        )],
    });
}

#[test]
fn unique_constraints_named_and_unnamed() {
    sqlite(&Case {
        name: "unique constraints",
        from: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, a INTEGER, b INTEGER);\n\
               INSERT INTO users VALUES (1, 'a@x', 1, 1), (2, 'b@x', 1, 2);",
        to: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, a INTEGER, b INTEGER, \
             CONSTRAINT users_ab UNIQUE (a, b), UNIQUE (email, a));",
        renames: &[],
        rows: &[(
            "SELECT id, email, a, b FROM users ORDER BY id",
            "SELECT id, email, a, b FROM users ORDER BY id",
        )],
    });
}

#[test]
fn check_constraints_named_and_unnamed() {
    sqlite(&Case {
        name: "checks",
        from: "CREATE TABLE items (id INTEGER PRIMARY KEY, qty INTEGER CHECK (qty > 0), \
               price REAL, CONSTRAINT price_positive CHECK (price > 0));\n\
               INSERT INTO items VALUES (1, 1, 2.5), (2, 3, 1.0);",
        to: "CREATE TABLE items (id INTEGER PRIMARY KEY, qty INTEGER CHECK (qty >= 0), \
             price REAL, CONSTRAINT price_not_negative CHECK (price >= 0), \
             CONSTRAINT qty_small CHECK (qty < 1000));",
        renames: &[],
        rows: &[(
            "SELECT id, qty, price FROM items ORDER BY id",
            "SELECT id, qty, price FROM items ORDER BY id",
        )],
    });
}

#[test]
fn a_named_check_renamed() {
    sqlite(&Case {
        name: "check renamed",
        from: "CREATE TABLE items (id INTEGER PRIMARY KEY, qty INTEGER, \
               CONSTRAINT ck_old CHECK (qty > 0));\n\
               INSERT INTO items VALUES (1, 1), (2, 2);",
        to: "CREATE TABLE items (id INTEGER PRIMARY KEY, qty INTEGER, \
             CONSTRAINT ck_new CHECK (qty > 0));",
        renames: &[],
        rows: &[(
            "SELECT id, qty FROM items ORDER BY id",
            "SELECT id, qty FROM items ORDER BY id",
        )],
    });
}

// ---- foreign keys ----

#[test]
fn a_foreign_key_added_to_a_table_with_rows() {
    sqlite(&Case {
        name: "foreign key added",
        from: "CREATE TABLE users (id INTEGER PRIMARY KEY);\n\
               CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER);\n\
               INSERT INTO users VALUES (1), (2);\n\
               INSERT INTO posts VALUES (1, 1), (2, 2), (3, NULL);",
        to:
            "CREATE TABLE users (id INTEGER PRIMARY KEY);\n\
             CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER, \
             CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL);",
        renames: &[],
        rows: &[(
            "SELECT id, user_id FROM posts ORDER BY id",
            "SELECT id, user_id FROM posts ORDER BY id",
        )],
    });
}

#[test]
fn foreign_key_actions_changed() {
    sqlite(&Case {
        name: "foreign key actions",
        from: "CREATE TABLE users (id INTEGER PRIMARY KEY);\n\
               CREATE TABLE posts (id INTEGER PRIMARY KEY, \
               user_id INTEGER REFERENCES users (id) ON DELETE CASCADE);\n\
               INSERT INTO users VALUES (1), (2);\n\
               INSERT INTO posts VALUES (1, 1), (2, 2);",
        to: "CREATE TABLE users (id INTEGER PRIMARY KEY);\n\
             CREATE TABLE posts (id INTEGER PRIMARY KEY, \
             user_id INTEGER REFERENCES users (id) ON DELETE RESTRICT ON UPDATE CASCADE);",
        renames: &[],
        rows: &[(
            "SELECT id, user_id FROM posts ORDER BY id",
            "SELECT id, user_id FROM posts ORDER BY id",
        )],
    });
}

#[test]
fn a_composite_foreign_key_added() {
    sqlite(&Case {
        name: "composite foreign key",
        from:
            "CREATE TABLE rooms (building TEXT, number INTEGER, PRIMARY KEY (building, number));\n\
               CREATE TABLE bookings (id INTEGER PRIMARY KEY, building TEXT, room INTEGER);\n\
               INSERT INTO rooms VALUES ('A', 1), ('A', 2), ('B', 1);\n\
               INSERT INTO bookings VALUES (1, 'A', 2), (2, 'B', 1);",
        to: "CREATE TABLE rooms (building TEXT, number INTEGER, PRIMARY KEY (building, number));\n\
             CREATE TABLE bookings (id INTEGER PRIMARY KEY, building TEXT, room INTEGER, \
             CONSTRAINT bookings_room FOREIGN KEY (building, room) \
             REFERENCES rooms (building, number) ON DELETE CASCADE);\n\
             CREATE INDEX bookings_room_idx ON bookings (building, room);",
        renames: &[],
        rows: &[(
            "SELECT id, building, room FROM bookings ORDER BY id",
            "SELECT id, building, room FROM bookings ORDER BY id",
        )],
    });
}

#[test]
fn a_self_referencing_foreign_key_added() {
    sqlite(&Case {
        name: "self-referencing foreign key",
        from: "CREATE TABLE staff (id INTEGER PRIMARY KEY, name TEXT, boss INTEGER);\n\
               INSERT INTO staff VALUES (1, 'ceo', NULL), (2, 'cto', 1), (3, 'dev', 2);",
        to: "CREATE TABLE staff (id INTEGER PRIMARY KEY, name TEXT, \
             boss INTEGER REFERENCES staff (id) ON DELETE SET NULL);",
        renames: &[],
        rows: &[(
            "SELECT id, name, boss FROM staff ORDER BY id",
            "SELECT id, name, boss FROM staff ORDER BY id",
        )],
    });
}

#[test]
fn cyclic_foreign_keys_created_and_dropped() {
    sqlite(&Case {
        name: "cyclic foreign keys",
        from: "CREATE TABLE keep (id INTEGER PRIMARY KEY);\nINSERT INTO keep VALUES (1);",
        to: "CREATE TABLE keep (id INTEGER PRIMARY KEY);\n\
             CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b (id));\n\
             CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id));",
        renames: &[],
        rows: &[("SELECT id FROM keep", "SELECT id FROM keep")],
    });
}

#[test]
fn a_parent_rebuilt_fires_no_cascade_on_its_children() {
    sqlite(&Case {
        name: "rebuild of a parent keeps ON DELETE CASCADE / SET NULL children",
        from: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n\
               CREATE TABLE posts (id INTEGER PRIMARY KEY, \
               user_id INTEGER REFERENCES users (id) ON DELETE CASCADE);\n\
               CREATE TABLE notes (id INTEGER PRIMARY KEY, \
               user_id INTEGER REFERENCES users (id) ON DELETE SET NULL ON UPDATE CASCADE);\n\
               INSERT INTO users VALUES (1, 'ann'), (2, 'bob');\n\
               INSERT INTO posts VALUES (10, 1), (11, 2), (12, 2);\n\
               INSERT INTO notes VALUES (20, 1), (21, 2);",
        to: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n\
             CREATE TABLE posts (id INTEGER PRIMARY KEY, \
             user_id INTEGER REFERENCES users (id) ON DELETE CASCADE);\n\
             CREATE TABLE notes (id INTEGER PRIMARY KEY, \
             user_id INTEGER REFERENCES users (id) ON DELETE SET NULL ON UPDATE CASCADE);",
        renames: &[],
        rows: &[
            (
                "SELECT id, name FROM users ORDER BY id",
                "SELECT id, name FROM users ORDER BY id",
            ),
            (
                "SELECT id, user_id FROM posts ORDER BY id",
                "SELECT id, user_id FROM posts ORDER BY id",
            ),
            (
                "SELECT id, user_id FROM notes ORDER BY id",
                "SELECT id, user_id FROM notes ORDER BY id",
            ),
        ],
    });
}

#[test]
fn a_referenced_column_retyped() {
    sqlite(&Case {
        name: "referenced column type changed",
        from: "CREATE TABLE codes (code INTEGER PRIMARY KEY, label TEXT);\n\
               CREATE TABLE uses (id INTEGER PRIMARY KEY, \
               code INTEGER REFERENCES codes (code) ON DELETE CASCADE);\n\
               INSERT INTO codes VALUES (1, 'one'), (2, 'two');\n\
               INSERT INTO uses VALUES (1, 1), (2, 2), (3, 1);",
        to: "CREATE TABLE codes (code BIGINT NOT NULL PRIMARY KEY, label TEXT);\n\
             CREATE TABLE uses (id INTEGER PRIMARY KEY, \
             code BIGINT REFERENCES codes (code) ON DELETE CASCADE);",
        renames: &[],
        rows: &[
            (
                "SELECT code, label FROM codes ORDER BY code",
                "SELECT code, label FROM codes ORDER BY code",
            ),
            (
                "SELECT id, code FROM uses ORDER BY id",
                "SELECT id, code FROM uses ORDER BY id",
            ),
        ],
    });
}

// ---- indexes ----

#[test]
fn indexes_of_every_kind() {
    sqlite(&Case {
        name: "indexes",
        from: "CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, body TEXT, \
               deleted INTEGER DEFAULT 0, rank INTEGER);\n\
               CREATE INDEX docs_title ON docs (title);\n\
               INSERT INTO docs VALUES (1, 'A', 'x', 0, 1), (2, 'b', 'y', 1, 2);",
        to: "CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, body TEXT, \
             deleted INTEGER DEFAULT 0, rank INTEGER);\n\
             CREATE INDEX docs_title ON docs (title COLLATE NOCASE);\n\
             CREATE UNIQUE INDEX docs_live_title ON docs (title) WHERE deleted = 0;\n\
             CREATE INDEX docs_lower ON docs (lower(body), length(title));\n\
             CREATE INDEX docs_rank ON docs (rank DESC, id);",
        renames: &[],
        rows: &[(
            "SELECT id, title, body, deleted, rank FROM docs ORDER BY id",
            "SELECT id, title, body, deleted, rank FROM docs ORDER BY id",
        )],
    });
}

#[test]
fn an_index_renamed() {
    sqlite(&Case {
        name: "index renamed",
        from: "CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT);\n\
               CREATE INDEX ix_old ON docs (title);\n\
               INSERT INTO docs VALUES (1, 'a');",
        to: "CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT);\n\
             CREATE INDEX ix_new ON docs (title);",
        renames: &[],
        rows: &[(
            "SELECT id, title FROM docs ORDER BY id",
            "SELECT id, title FROM docs ORDER BY id",
        )],
    });
}

#[test]
fn partial_and_expression_indexes_kept_across_a_rebuild() {
    sqlite(&Case {
        name: "indexes kept by a rebuild",
        from: "CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, deleted INTEGER);\n\
               CREATE UNIQUE INDEX docs_live ON docs (title) WHERE deleted IS NULL;\n\
               CREATE INDEX docs_upper ON docs (upper(title) DESC);\n\
               INSERT INTO docs VALUES (1, 'a', NULL), (2, 'a', 1);",
        to: "CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT NOT NULL, deleted INTEGER);\n\
             CREATE UNIQUE INDEX docs_live ON docs (title) WHERE deleted IS NULL;\n\
             CREATE INDEX docs_upper ON docs (upper(title) DESC);",
        renames: &[],
        rows: &[(
            "SELECT id, title, deleted FROM docs ORDER BY id",
            "SELECT id, title, deleted FROM docs ORDER BY id",
        )],
    });
}

// ---- views and triggers ----

#[test]
fn a_view_blocks_a_rebuild_and_is_created_again() {
    sqlite(&Case {
        name: "view reading a rebuilt table",
        from: "CREATE TABLE orders_ (id INTEGER PRIMARY KEY, total INTEGER, state TEXT);\n\
               CREATE VIEW open_orders AS SELECT id, total FROM orders_ WHERE state = 'open';\n\
               INSERT INTO orders_ VALUES (1, 10, 'open'), (2, 20, 'closed');",
        to: "CREATE TABLE orders_ (id INTEGER PRIMARY KEY, total REAL NOT NULL DEFAULT 0, state TEXT);\n\
             CREATE VIEW open_orders AS SELECT id, total FROM orders_ WHERE state = 'open';",
        renames: &[],
        rows: &[(
            "SELECT id, total FROM open_orders ORDER BY id",
            "SELECT id, CAST(total AS INTEGER) FROM open_orders ORDER BY id",
        )],
    });
}

#[test]
fn views_on_views_over_a_changed_table() {
    sqlite(&Case {
        name: "views on views",
        from: "CREATE TABLE sales (id INTEGER PRIMARY KEY, amount INTEGER, region TEXT);\n\
               CREATE VIEW big_sales AS SELECT id, amount, region FROM sales WHERE amount > 5;\n\
               CREATE VIEW big_by_region AS SELECT region, sum(amount) AS total FROM big_sales GROUP BY region;\n\
               INSERT INTO sales VALUES (1, 10, 'n'), (2, 3, 'n'), (3, 7, 's');",
        to: "CREATE TABLE sales (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, region TEXT);\n\
             CREATE VIEW big_sales AS SELECT id, amount, region FROM sales WHERE amount > 6;\n\
             CREATE VIEW big_by_region AS SELECT region, sum(amount) AS total FROM big_sales GROUP BY region;\n\
             CREATE VIEW regions AS SELECT DISTINCT region FROM big_by_region;",
        renames: &[],
        rows: &[(
            "SELECT id, amount, region FROM sales ORDER BY id",
            "SELECT id, amount, region FROM sales ORDER BY id",
        )],
    });
}

#[test]
fn a_view_over_a_renamed_column() {
    sqlite(&Case {
        name: "view over a renamed column",
        from: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n\
               CREATE VIEW v AS SELECT id, a FROM t;\n\
               INSERT INTO t VALUES (1, 'x');",
        to: "CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT);\n\
             CREATE VIEW v AS SELECT id, b FROM t;",
        renames: &["t.a=t.b"],
        rows: &[("SELECT id, a FROM v", "SELECT id, b FROM v")],
    });
}

#[test]
fn triggers_kept_by_a_rebuild_added_and_changed() {
    sqlite(&Case {
        name: "triggers",
        from: "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER, updated TEXT);\n\
               CREATE TABLE audit (id INTEGER PRIMARY KEY, account INTEGER, what TEXT);\n\
               CREATE TRIGGER accounts_audit AFTER UPDATE ON accounts BEGIN \
               INSERT INTO audit (account, what) VALUES (new.id, 'update'); END;\n\
               CREATE TRIGGER audit_guard BEFORE DELETE ON audit BEGIN SELECT 1; END;\n\
               INSERT INTO accounts VALUES (1, 100, NULL), (2, 50, NULL);\n\
               INSERT INTO audit VALUES (1, 1, 'open');",
        to: "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL DEFAULT 0, updated TEXT);\n\
             CREATE TABLE audit (id INTEGER PRIMARY KEY, account INTEGER, what TEXT);\n\
             CREATE TRIGGER accounts_audit AFTER UPDATE ON accounts BEGIN \
             INSERT INTO audit (account, what) VALUES (new.id, 'update'); END;\n\
             CREATE TRIGGER audit_guard BEFORE DELETE ON audit BEGIN SELECT 2; END;\n\
             CREATE TRIGGER accounts_insert AFTER INSERT ON accounts BEGIN \
             INSERT INTO audit (account, what) VALUES (new.id, 'insert'); END;",
        renames: &[],
        rows: &[
            (
                "SELECT id, balance FROM accounts ORDER BY id",
                "SELECT id, balance FROM accounts ORDER BY id",
            ),
            (
                "SELECT id, account, what FROM audit ORDER BY id",
                "SELECT id, account, what FROM audit ORDER BY id",
            ),
        ],
    });
}

// ---- hostile identifiers ----

#[test]
fn reserved_words_as_names_through_a_rebuild() {
    sqlite(&Case {
        name: "reserved words",
        from: "CREATE TABLE \"order\" (\"select\" INTEGER PRIMARY KEY, \"from\" TEXT, \"group\" INTEGER);\n\
               CREATE TABLE \"user\" (id INTEGER PRIMARY KEY, \
               \"order\" INTEGER REFERENCES \"order\" (\"select\") ON DELETE CASCADE);\n\
               CREATE INDEX \"index\" ON \"order\" (\"from\");\n\
               INSERT INTO \"order\" VALUES (1, 'a', 1), (2, 'b', 2);\n\
               INSERT INTO \"user\" VALUES (1, 1), (2, 2);",
        to: "CREATE TABLE \"order\" (\"select\" INTEGER PRIMARY KEY, \"from\" TEXT NOT NULL, \"group\" TEXT);\n\
             CREATE TABLE \"user\" (id INTEGER PRIMARY KEY, \
             \"order\" INTEGER REFERENCES \"order\" (\"select\") ON DELETE CASCADE);\n\
             CREATE INDEX \"index\" ON \"order\" (\"from\");\n\
             CREATE VIEW \"where\" AS SELECT \"select\", \"from\" FROM \"order\";",
        renames: &[],
        rows: &[
            (
                "SELECT \"select\", \"from\", \"group\" FROM \"order\" ORDER BY 1",
                "SELECT \"select\", \"from\", CAST(\"group\" AS INTEGER) FROM \"order\" ORDER BY 1",
            ),
            (
                "SELECT id, \"order\" FROM \"user\" ORDER BY id",
                "SELECT id, \"order\" FROM \"user\" ORDER BY id",
            ),
        ],
    });
}

#[test]
fn mixed_case_spaces_unicode_and_quotes_in_names() {
    sqlite(&Case {
        name: "hostile names",
        from: "CREATE TABLE \"Mixed Case\" (\"Id\" INTEGER PRIMARY KEY, \"first name\" TEXT, \
               \"naïve\" TEXT, \"say \"\"hi\"\"\" TEXT);\n\
               CREATE INDEX \"ix \"\"q\"\"\" ON \"Mixed Case\" (\"first name\");\n\
               INSERT INTO \"Mixed Case\" VALUES (1, 'ann', 'é', 'hi'), (2, 'bob', 'ü', NULL);",
        to: "CREATE TABLE \"Mixed Case\" (\"Id\" INTEGER PRIMARY KEY, \"first name\" TEXT NOT NULL, \
             \"naïve\" TEXT COLLATE NOCASE, \"say \"\"hi\"\"\" TEXT, \
             CONSTRAINT \"ck \"\"name\"\"\" CHECK (length(\"first name\") > 0));\n\
             CREATE INDEX \"ix \"\"q\"\"\" ON \"Mixed Case\" (\"first name\", \"naïve\");\n\
             CREATE TABLE \"Ünïcødé\" (\"ключ\" INTEGER PRIMARY KEY, \
             \"ref\" INTEGER REFERENCES \"Mixed Case\" (\"Id\"));",
        renames: &[],
        rows: &[(
            "SELECT \"Id\", \"first name\", \"naïve\", \"say \"\"hi\"\"\" FROM \"Mixed Case\" ORDER BY 1",
            "SELECT \"Id\", \"first name\", \"naïve\", \"say \"\"hi\"\"\" FROM \"Mixed Case\" ORDER BY 1",
        )],
    });
}

#[test]
fn hostile_names_renamed() {
    sqlite(&Case {
        name: "hostile renames",
        from: "CREATE TABLE \"Old Table\" (\"Key\" INTEGER PRIMARY KEY, \"va\"\"l\" TEXT);\n\
               CREATE TABLE child (id INTEGER PRIMARY KEY, \
               k INTEGER REFERENCES \"Old Table\" (\"Key\"));\n\
               INSERT INTO \"Old Table\" VALUES (1, 'a'), (2, 'b');\n\
               INSERT INTO child VALUES (1, 2);",
        to: "CREATE TABLE \"New Täble\" (\"Key\" INTEGER PRIMARY KEY, \"select\" TEXT);\n\
             CREATE TABLE child (id INTEGER PRIMARY KEY, \
             k INTEGER REFERENCES \"New Täble\" (\"Key\"));",
        renames: &["Old Table=New Täble", "New Täble.va\"l=New Täble.select"],
        rows: &[
            (
                "SELECT \"Key\", \"va\"\"l\" FROM \"Old Table\" ORDER BY 1",
                "SELECT \"Key\", \"select\" FROM \"New Täble\" ORDER BY 1",
            ),
            ("SELECT id, k FROM child", "SELECT id, k FROM child"),
        ],
    });
}

// ---- several tables at once ----

#[test]
fn several_tables_rebuilt_in_one_revision() {
    sqlite(&Case {
        name: "several rebuilds",
        from: "CREATE TABLE a (id INTEGER PRIMARY KEY, x INTEGER);\n\
               CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id) ON DELETE CASCADE, y TEXT);\n\
               CREATE TABLE c (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b (id) ON DELETE CASCADE);\n\
               INSERT INTO a VALUES (1, 1), (2, 2);\n\
               INSERT INTO b VALUES (1, 1, 'p'), (2, 2, 'q');\n\
               INSERT INTO c VALUES (1, 1), (2, 2);",
        to: "CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT);\n\
             CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER NOT NULL REFERENCES a (id) ON DELETE CASCADE, y TEXT);\n\
             CREATE TABLE c (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b (id) ON DELETE CASCADE, z INTEGER CHECK (z IS NULL OR z > 0));",
        renames: &[],
        rows: &[
            ("SELECT id, CAST(x AS INTEGER) FROM a ORDER BY id", "SELECT id, CAST(x AS INTEGER) FROM a ORDER BY id"),
            ("SELECT id, a_id, y FROM b ORDER BY id", "SELECT id, a_id, y FROM b ORDER BY id"),
            ("SELECT id, b_id FROM c ORDER BY id", "SELECT id, b_id FROM c ORDER BY id"),
        ],
    });
}

#[test]
fn a_table_dropped_that_another_references() {
    sqlite(&Case {
        name: "referenced table dropped with its reference",
        from: "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);\n\
               CREATE TABLE posts (id INTEGER PRIMARY KEY, tag INTEGER REFERENCES tags (id), title TEXT);\n\
               INSERT INTO tags VALUES (1, 't');\n\
               INSERT INTO posts VALUES (1, 1, 'x'), (2, NULL, 'y');",
        to: "CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT);",
        renames: &[],
        rows: &[(
            "SELECT id, title FROM posts ORDER BY id",
            "SELECT id, title FROM posts ORDER BY id",
        )],
    });
}

#[test]
fn a_table_with_triggers_renamed() {
    sqlite(&Case {
        name: "table with triggers renamed",
        from: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n\
               CREATE TABLE log (id INTEGER PRIMARY KEY, what TEXT);\n\
               CREATE INDEX users_name ON users (name);\n\
               CREATE TRIGGER users_log AFTER INSERT ON users BEGIN \
               INSERT INTO log (what) VALUES (new.name); END;\n\
               CREATE TRIGGER log_guard BEFORE DELETE ON log BEGIN \
               SELECT count(*) FROM users; END;\n\
               INSERT INTO users VALUES (1, 'ann');\n\
               INSERT INTO log VALUES (9, 'old');",
        to: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);\n\
             CREATE TABLE log (id INTEGER PRIMARY KEY, what TEXT);\n\
             CREATE INDEX users_name ON people (name);\n\
             CREATE TRIGGER users_log AFTER INSERT ON people BEGIN \
             INSERT INTO log (what) VALUES (new.name); END;\n\
             CREATE TRIGGER log_guard BEFORE DELETE ON log BEGIN \
             SELECT count(*) FROM people; END;",
        renames: &["users=people"],
        rows: &[
            (
                "SELECT id, name FROM users ORDER BY id",
                "SELECT id, name FROM people ORDER BY id",
            ),
            (
                "SELECT id, what FROM log ORDER BY id",
                "SELECT id, what FROM log ORDER BY id",
            ),
        ],
    });
}

#[test]
fn a_view_blocks_dropping_a_column_it_reads() {
    sqlite(&Case {
        name: "view over a dropped column",
        from: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);\n\
               CREATE VIEW v AS SELECT id, a, b FROM t;\n\
               CREATE VIEW w AS SELECT id FROM v;\n\
               INSERT INTO t VALUES (1, 'x', 'y');",
        to: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n\
             CREATE VIEW v AS SELECT id, a FROM t;\n\
             CREATE VIEW w AS SELECT id FROM v;",
        renames: &[],
        rows: &[("SELECT id, a FROM t", "SELECT id, a FROM t")],
    });
}

#[test]
fn a_view_left_alone_over_a_table_rebuilt_for_another_reason() {
    sqlite(&Case {
        name: "unchanged view over a rebuilt table and a renamed one",
        from: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n\
               CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INTEGER);\n\
               CREATE VIEW tu AS SELECT t.a, u.id FROM t JOIN u ON u.t_id = t.id;\n\
               INSERT INTO t VALUES (1, 'x');\nINSERT INTO u VALUES (5, 1);",
        to: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL);\n\
             CREATE TABLE u2 (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t (id));\n\
             CREATE VIEW tu AS SELECT t.a, u2.id FROM t JOIN u2 ON u2.t_id = t.id;",
        renames: &["u=u2"],
        rows: &[("SELECT a, id FROM tu", "SELECT a, id FROM tu")],
    });
}

#[test]
fn a_renamed_and_rebuilt_table_keeps_its_children() {
    sqlite(&Case {
        name: "parent renamed and rebuilt",
        from: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n\
               CREATE INDEX users_email ON users (email);\n\
               CREATE TABLE posts (id INTEGER PRIMARY KEY, \
               user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE);\n\
               INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x');\n\
               INSERT INTO posts VALUES (1, 1), (2, 2);",
        to: "CREATE TABLE members (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);\n\
             CREATE INDEX users_email ON members (email);\n\
             CREATE TABLE posts (id INTEGER PRIMARY KEY, \
             user_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE);",
        renames: &["users=members"],
        rows: &[
            (
                "SELECT id, email FROM users ORDER BY id",
                "SELECT id, email FROM members ORDER BY id",
            ),
            (
                "SELECT id, user_id FROM posts ORDER BY id",
                "SELECT id, user_id FROM posts ORDER BY id",
            ),
        ],
    });
}

#[test]
fn a_child_table_rebuilt_under_its_parent() {
    sqlite(&Case {
        name: "child rebuilt, self and parent references kept",
        from: "CREATE TABLE folders (id INTEGER PRIMARY KEY, name TEXT);\n\
               CREATE TABLE files (id INTEGER PRIMARY KEY, \
               folder INTEGER REFERENCES folders (id) ON DELETE CASCADE, \
               copy_of INTEGER REFERENCES files (id) ON DELETE SET NULL, size INTEGER);\n\
               INSERT INTO folders VALUES (1, 'root');\n\
               INSERT INTO files VALUES (1, 1, NULL, 10), (2, 1, 1, 10);",
        to: "CREATE TABLE folders (id INTEGER PRIMARY KEY, name TEXT);\n\
             CREATE TABLE files (id INTEGER PRIMARY KEY, \
             folder INTEGER REFERENCES folders (id) ON DELETE CASCADE, \
             copy_of INTEGER REFERENCES files (id) ON DELETE SET NULL, size BIGINT NOT NULL DEFAULT 0);",
        renames: &[],
        rows: &[(
            "SELECT id, folder, copy_of, size FROM files ORDER BY id",
            "SELECT id, folder, copy_of, size FROM files ORDER BY id",
        )],
    });
}

#[test]
fn autoincrement_counter_kept_by_a_rebuild() {
    sqlite(&Case {
        name: "AUTOINCREMENT counter kept",
        from: "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT);\n\
               INSERT INTO events (what) VALUES ('a'), ('b'), ('c'), ('d');\n\
               DELETE FROM events WHERE id > 2;",
        to: "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT NOT NULL DEFAULT '');",
        renames: &[],
        rows: &[
            (
                "SELECT id, what FROM events ORDER BY id",
                "SELECT id, what FROM events ORDER BY id",
            ),
            (
                "SELECT name, seq FROM sqlite_sequence WHERE name = 'events'",
                "SELECT name, seq FROM sqlite_sequence WHERE name = 'events'",
            ),
        ],
    });
}

/// Both tables are rebuilt; the child's key only fits the parent's new key.
fn key_widened(parent: &str, child: &str) -> String {
    format!(
        "CREATE TABLE {parent} (a INTEGER NOT NULL, b INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (a, b));\n\
         CREATE TABLE {child} (id INTEGER PRIMARY KEY, pa INTEGER, pb INTEGER, \
         FOREIGN KEY (pa, pb) REFERENCES {parent} (a, b) ON DELETE CASCADE);"
    )
}

fn key_narrow(parent: &str, child: &str) -> String {
    format!(
        "CREATE TABLE {parent} (a INTEGER NOT NULL PRIMARY KEY, b INTEGER NOT NULL DEFAULT 0);\n\
         CREATE TABLE {child} (id INTEGER PRIMARY KEY, pa INTEGER REFERENCES {parent} (a) ON DELETE CASCADE, pb INTEGER);\n\
         INSERT INTO {parent} VALUES (1, 0), (2, 0);\n\
         INSERT INTO {child} VALUES (1, 1, 0), (2, 2, 0), (3, NULL, NULL);"
    )
}

#[test]
fn a_referenced_key_widened_with_the_key_referencing_it() {
    for (parent, child) in [("a_parent", "b_child"), ("p_parent", "c_child")] {
        sqlite(&Case {
            name: &format!("key widened ({parent}, {child})"),
            from: &key_narrow(parent, child),
            to: &key_widened(parent, child),
            renames: &[],
            rows: &[
                (
                    &format!("SELECT a, b FROM {parent} ORDER BY a"),
                    &format!("SELECT a, b FROM {parent} ORDER BY a"),
                ),
                (
                    &format!("SELECT id, pa, pb FROM {child} ORDER BY id"),
                    &format!("SELECT id, pa, pb FROM {child} ORDER BY id"),
                ),
            ],
        });
    }
}

#[test]
fn a_strict_table_retyped() {
    sqlite(&Case {
        name: "STRICT table retyped",
        from: "CREATE TABLE m (id INTEGER PRIMARY KEY, v INTEGER, note TEXT) STRICT;\n\
               INSERT INTO m VALUES (1, 5, 'a'), (2, 6, NULL);",
        to: "CREATE TABLE m (id INTEGER PRIMARY KEY, v REAL, note ANY) STRICT;",
        renames: &[],
        rows: &[(
            "SELECT id, CAST(v AS INTEGER), note FROM m ORDER BY id",
            "SELECT id, CAST(v AS INTEGER), note FROM m ORDER BY id",
        )],
    });
}

#[test]
fn a_without_rowid_table_with_a_composite_key_and_an_index_rebuilt() {
    sqlite(&Case {
        name: "WITHOUT ROWID rebuilt",
        from: "CREATE TABLE pairs (a TEXT NOT NULL, b INTEGER NOT NULL, v TEXT, \
               PRIMARY KEY (a, b)) WITHOUT ROWID;\n\
               CREATE INDEX pairs_v ON pairs (v DESC);\n\
               INSERT INTO pairs VALUES ('x', 1, 'p'), ('x', 2, 'q');",
        to: "CREATE TABLE pairs (a TEXT NOT NULL, b INTEGER NOT NULL, v TEXT NOT NULL DEFAULT '', \
             PRIMARY KEY (b, a)) WITHOUT ROWID;\n\
             CREATE INDEX pairs_v ON pairs (v DESC);",
        renames: &[],
        rows: &[(
            "SELECT a, b, v FROM pairs ORDER BY a, b",
            "SELECT a, b, v FROM pairs ORDER BY a, b",
        )],
    });
}

#[test]
fn an_indexed_column_renamed_in_place() {
    sqlite(&Case {
        name: "indexed column renamed in place",
        from: "CREATE TABLE t (id INTEGER PRIMARY KEY, \"Old Name\" TEXT, other TEXT);\n\
               CREATE INDEX t_name ON t (\"Old Name\", other);\n\
               CREATE UNIQUE INDEX t_lower ON t (lower(\"Old Name\")) WHERE other IS NOT NULL;\n\
               INSERT INTO t VALUES (1, 'a', 'x'), (2, 'b', NULL);",
        to: "CREATE TABLE t (id INTEGER PRIMARY KEY, new_name TEXT, other TEXT);\n\
             CREATE INDEX t_name ON t (new_name, other);\n\
             CREATE UNIQUE INDEX t_lower ON t (lower(new_name)) WHERE other IS NOT NULL;",
        renames: &["t.Old Name=t.new_name"],
        rows: &[(
            "SELECT id, \"Old Name\", other FROM t ORDER BY id",
            "SELECT id, new_name, other FROM t ORDER BY id",
        )],
    });
}

#[test]
fn a_table_dropped_with_the_view_and_trigger_reading_it() {
    sqlite(&Case {
        name: "table dropped with its view and trigger",
        from: "CREATE TABLE kept (id INTEGER PRIMARY KEY, n INTEGER);\n\
               CREATE TABLE gone (id INTEGER PRIMARY KEY, k INTEGER REFERENCES kept (id));\n\
               CREATE VIEW gone_view AS SELECT g.id, k.n FROM gone g JOIN kept k ON k.id = g.k;\n\
               CREATE TRIGGER gone_trigger AFTER DELETE ON gone WHEN old.k IS NOT NULL BEGIN \
               UPDATE kept SET n = n - 1 WHERE id = old.k; END;\n\
               INSERT INTO kept VALUES (1, 1);\nINSERT INTO gone VALUES (1, 1);",
        to: "CREATE TABLE kept (id INTEGER PRIMARY KEY, n INTEGER);",
        renames: &[],
        rows: &[(
            "SELECT id, n FROM kept ORDER BY id",
            "SELECT id, n FROM kept ORDER BY id",
        )],
    });
}

#[test]
fn a_trigger_with_a_condition_on_a_rebuilt_table() {
    sqlite(&Case {
        name: "conditional trigger kept by a rebuild",
        from: "CREATE TABLE stock (id INTEGER PRIMARY KEY, qty INTEGER);\n\
               CREATE TABLE alerts (id INTEGER PRIMARY KEY, stock_id INTEGER);\n\
               CREATE TRIGGER low_stock AFTER UPDATE OF qty ON stock WHEN new.qty < 5 BEGIN \
               INSERT INTO alerts (stock_id) VALUES (new.id); END;\n\
               INSERT INTO stock VALUES (1, 10), (2, 3);\nINSERT INTO alerts VALUES (1, 2);",
        to: "CREATE TABLE stock (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL CHECK (qty >= 0));\n\
             CREATE TABLE alerts (id INTEGER PRIMARY KEY, stock_id INTEGER);\n\
             CREATE TRIGGER low_stock AFTER UPDATE OF qty ON stock WHEN new.qty < 5 BEGIN \
             INSERT INTO alerts (stock_id) VALUES (new.id); END;",
        renames: &[],
        rows: &[
            (
                "SELECT id, qty FROM stock ORDER BY id",
                "SELECT id, qty FROM stock ORDER BY id",
            ),
            (
                "SELECT id, stock_id FROM alerts ORDER BY id",
                "SELECT id, stock_id FROM alerts ORDER BY id",
            ),
        ],
    });
}
