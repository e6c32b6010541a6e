//! Schemas shared by the describe and render tests.

#![allow(dead_code)]

/// A PostgreSQL schema touching every object kind and option the describer reads.
pub const POSTGRES_DDL: &str = r#"
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE SCHEMA billing;
CREATE TABLE users (
    id integer GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5) PRIMARY KEY,
    email varchar(200) NOT NULL UNIQUE,
    "Display Name" text COLLATE "C" DEFAULT 'anon',
    feeling mood DEFAULT 'ok',
    score numeric(10, 2) CHECK (score >= 0),
    score_x2 numeric GENERATED ALWAYS AS (score * 2) STORED,
    created timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE users IS 'people';
COMMENT ON COLUMN users.email IS 'login';
CREATE TABLE orders (
    id serial PRIMARY KEY,
    user_id integer REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    parent_id integer,
    total integer,
    CONSTRAINT orders_parent FOREIGN KEY (parent_id) REFERENCES orders (id) MATCH FULL ON UPDATE SET NULL,
    CONSTRAINT orders_pair UNIQUE NULLS NOT DISTINCT (user_id, total)
) WITH (fillfactor = 70);
CREATE INDEX orders_partial ON orders (total DESC NULLS LAST) INCLUDE (parent_id) WHERE total > 0;
CREATE UNIQUE INDEX users_lower_email ON users (lower(email));
CREATE INDEX users_name_c ON users USING hash (email);
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, amount integer);
CREATE SEQUENCE billing.numbers START 100 CYCLE;
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
CREATE VIEW bigger_orders AS SELECT id FROM big_orders WHERE total > 1000;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE aludel_version (version_num varchar(255) PRIMARY KEY);
CREATE TABLE spatial_ref_sys (id integer);
"#;

/// A SQLite schema touching every object kind and option the describer reads.
pub const SQLITE_DDL: &str = r#"
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(200) NOT NULL CONSTRAINT users_email_key UNIQUE,
    "Display Name" TEXT COLLATE NOCASE DEFAULT 'anon',
    score NUMERIC CONSTRAINT score_positive CHECK (score >= 0),
    score_x2 NUMERIC GENERATED ALWAYS AS (score * 2) STORED,
    "order" INTEGER,
    created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE orders (
    id INTEGER NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    parent_id INTEGER,
    total INTEGER,
    CONSTRAINT orders_pk PRIMARY KEY (id),
    CONSTRAINT orders_parent FOREIGN KEY (parent_id) REFERENCES orders (id) ON UPDATE SET NULL,
    CONSTRAINT orders_pair UNIQUE (user_id, total),
    CHECK (total > 0)
) WITHOUT ROWID, STRICT;
CREATE INDEX orders_partial ON orders (total DESC) WHERE total > 0;
CREATE UNIQUE INDEX users_lower_email ON users (lower(email));
CREATE INDEX "café idx" ON users ("Display Name" COLLATE BINARY, "order");
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
CREATE VIEW "bigger orders" AS SELECT id FROM big_orders WHERE total > 1000;
CREATE TRIGGER orders_touch AFTER UPDATE ON orders BEGIN SELECT 1; END;
CREATE TABLE aludel_version (version_num VARCHAR(255) PRIMARY KEY);
CREATE TABLE spatial_ref_sys (id INTEGER);
"#;
