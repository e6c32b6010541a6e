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

/// A MariaDB schema touching every object kind and option the describer reads
/// (with aludel's version table and an excluded table, which are not described).
pub const MYSQL_DDL: &str = r#"
CREATE TABLE users (
    id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email varchar(200) NOT NULL COMMENT 'login',
    `order` int DEFAULT 5,
    `Display Name` varchar(50) CHARACTER SET latin1 DEFAULT 'anon',
    nick varchar(50) COLLATE utf8mb4_bin,
    mood enum('sad','ok','happy') NOT NULL DEFAULT 'ok',
    flags set('a','b','c') DEFAULT 'a,b',
    score decimal(10,2) CHECK (score >= 0),
    score_x2 decimal(12,2) AS (score * 2) VIRTUAL,
    score_x3 decimal(12,2) AS (score * 3) STORED,
    created timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    updated datetime(3) NULL ON UPDATE CURRENT_TIMESTAMP(3),
    bio text,
    note varchar(10) DEFAULT 'it''s',
    literal_null varchar(10) DEFAULT 'NULL',
    three int NOT NULL DEFAULT (1 + 2),
    UNIQUE KEY users_email (email),
    UNIQUE KEY users_name_prefix (`Display Name`(10)),
    KEY users_order_desc (`order` DESC, nick(5)),
    FULLTEXT KEY users_bio (bio),
    CONSTRAINT users_score_max CHECK (score < 1000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC COMMENT='people';
CREATE TABLE `café` (
    `clé` int NOT NULL,
    part int NOT NULL,
    user_id int,
    PRIMARY KEY (`clé`, part),
    CONSTRAINT `café_user` FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE orders (
    id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
    cafe_cle int,
    cafe_part int,
    total int,
    UNIQUE KEY (cafe_cle, cafe_part, total),
    FOREIGN KEY (cafe_cle, cafe_part) REFERENCES `café` (`clé`, part) ON DELETE NO ACTION
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE places (
    id int NOT NULL PRIMARY KEY,
    spot point NOT NULL,
    SPATIAL KEY places_spot (spot)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW bigger_orders AS
    SELECT id, total FROM big_orders WHERE total > 1000 WITH LOCAL CHECK OPTION;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW SET NEW.total = NEW.total + 1;
CREATE TRIGGER `café_log` AFTER INSERT ON `café` FOR EACH ROW SET @n = NEW.part;
CREATE TABLE aludel_version (version_num varchar(32) NOT NULL PRIMARY KEY);
CREATE TABLE spatial_ref_sys (id int);
"#;
