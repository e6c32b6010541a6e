//! `import-alembic` against real Alembic (ALUDEL_TEST_PYTHON: Alembic 1.20.1,
//! psycopg2, PyMySQL): an Alembic project written here (two branches, a merge, branch
//! labels, a dependency, a seed-data revision; a variant with a revision that reads
//! the database) is imported, and on SQLite, PostgreSQL and MariaDB a database
//! upgraded by aludel from the imported files equals one upgraded by Alembic from
//! the originals (catalog and rows), a database Alembic half-migrated is continued
//! by aludel, and the unrenderable revision is refused or, when allowed, refuses to
//! run.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aludel::dialect::describe::DescribeScope;
use aludel::dialect::TableRef;
use aludel_schema::Schema;
use aludel_testdb::Python;
use support::{strings, Db};

const INI: &str = "\
[alembic]
script_location = %(here)s/alembic
sqlalchemy.url = sqlite:///app.db
file_template = %%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s
timezone = Europe/Berlin

[post_write_hooks]
hooks = black
black.type = console_scripts
black.entrypoint = black
";

/// Online: the URL of TEST_URL; offline (the import): the ini's.
const ENV_PY: &str = r#"
import os

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config
url = os.environ.get("TEST_URL") or config.get_main_option("sqlalchemy.url")

if context.is_offline_mode():
    context.configure(url=url, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
"#;

/// (file name, revision, down_revision, branch_labels, depends_on, message, body).
type Rev = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const REVISIONS: &[Rev] = &[
    (
        "20260105_a1000_create_users.py",
        "a1000",
        "None",
        "None",
        "None",
        "create users",
        r#"
def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
    )
    op.create_index("ix_users_name", "users", ["name"])


def downgrade():
    op.drop_index("ix_users_name", table_name="users")
    op.drop_table("users")
"#,
    ),
    (
        "20260106_b2000_create_orders.py",
        "b2000",
        "'a1000'",
        "('shop',)",
        "None",
        "create orders",
        r#"
def upgrade():
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("total", sa.Numeric(10, 2), server_default="0", nullable=False),
    )


def downgrade():
    op.drop_table("orders")
"#,
    ),
    (
        "20260107_c3000_add_email.py",
        "c3000",
        "'a1000'",
        "None",
        "None",
        "add email to users",
        r#"
def upgrade():
    op.add_column("users", sa.Column("email", sa.String(100), nullable=True))


def downgrade():
    op.drop_column("users", "email")
"#,
    ),
    (
        "20260108_l1000_audit_log.py",
        "l1000",
        "None",
        "('audit',)",
        "None",
        "audit log",
        r#"
def upgrade():
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event", sa.String(200), nullable=False),
    )


def downgrade():
    op.drop_table("audit_log")
"#,
    ),
    (
        "20260109_d4000_merge_and_seed.py",
        "d4000",
        "('b2000', 'c3000')",
        "None",
        "None",
        "merge shop and email; seed users\n\nRows every installation starts with.",
        r#"
def upgrade():
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("email", sa.String))
    op.bulk_insert(users, [
        {"id": 1, "name": "Ann", "email": "ann@example.com"},
        {"id": 2, "name": "O'Brien", "email": None},
    ])
    op.execute("INSERT INTO orders (id, user_id, total) VALUES (10, 1, 12.50)")


def downgrade():
    op.execute("DELETE FROM orders WHERE id = 10")
    op.execute("DELETE FROM users WHERE id IN (1, 2)")
"#,
    ),
    (
        "20260110_e5000_order_status.py",
        "e5000",
        "'d4000'",
        "None",
        "'l1000'",
        "order status",
        r#"
def upgrade():
    op.add_column("orders", sa.Column("status", sa.String(20), server_default="new", nullable=False))
    op.execute("INSERT INTO audit_log (id, event) VALUES (1, 'status added')")


def downgrade():
    op.execute("DELETE FROM audit_log WHERE id = 1")
    op.drop_column("orders", "status")
"#,
    ),
];

/// A data migration that reads rows to compute what it writes.
const READS_DATABASE: Rev = (
    "20260111_f6000_normalise_names.py",
    "f6000",
    "'e5000'",
    "None",
    "None",
    "normalise names",
    r#"
def upgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name FROM users")).fetchall()
    for id_, name in rows:
        bind.execute(sa.text("UPDATE users SET name = :n WHERE id = :i"), {"n": name.upper(), "i": id_})


def downgrade():
    pass
"#,
);

fn python() -> Option<PathBuf> {
    Python::Current.interpreter()
}

/// An Alembic project in a temporary folder, with `revisions`.
fn alembic_project(revisions: &[Rev]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("alembic.ini"), INI).unwrap();
    let versions = dir.path().join("alembic/versions");
    std::fs::create_dir_all(&versions).unwrap();
    std::fs::write(dir.path().join("alembic/env.py"), ENV_PY).unwrap();
    for (file, rev, down, labels, depends, message, body) in revisions {
        let shown_down = down.trim_matches(|c| "()'".contains(c)).replace("'", "");
        let text = format!(
            "\"\"\"{message}\n\nRevision ID: {rev}\nRevises: {}\nCreate Date: 2026-01-05 09:00:00.000000\n\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = '{rev}'\ndown_revision = {down}\nbranch_labels = {labels}\ndepends_on = {depends}\n\n{body}",
            if *down == "None" { String::new() } else { shown_down }
        );
        std::fs::write(versions.join(file), text).unwrap();
    }
    dir
}

fn alembic(python: &Path, project: &Path, db: &Db, args: &[&str]) {
    let out = Command::new(python)
        .args(["-m", "alembic", "-c", "alembic.ini"])
        .args(args)
        .current_dir(project)
        .env("TEST_URL", support::models::sqlalchemy_url(db))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "[{}] alembic {args:?}:\n{}{}",
        db.dialect(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn aludel(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aludel"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("ALUDEL_CONFIG")
        .args(args)
        .output()
        .unwrap()
}

fn stdout_ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Imports the project for `dialect` (through `--url`, or `--dialect` when given).
fn import(python: &Path, project: &Path, how: &[&str]) -> String {
    let py = python.display().to_string();
    let mut args = how.to_vec();
    args.extend(["import-alembic", "--python", &py]);
    stdout_ok(&aludel(project, &args), "import-alembic")
}

/// The schema without either tool's own tables.
fn schema(db: &Db) -> Schema {
    support::roundtrip::described(
        db,
        DescribeScope {
            own_tables: ["aludel_version", "aludel_history", "alembic_version"]
                .into_iter()
                .map(|t| TableRef::new(None, t))
                .collect(),
            ..DescribeScope::default()
        },
    )
}

fn rows(db: &Db) -> Vec<Vec<Vec<Option<String>>>> {
    [
        "SELECT id, name, email FROM users ORDER BY id",
        "SELECT id, user_id, total, status FROM orders ORDER BY id",
        "SELECT id, event FROM audit_log ORDER BY id",
    ]
    .iter()
    .map(|q| db.query(q))
    .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Alembic's upgrade and aludel's (from the imported files) give the same
/// database; a database Alembic took half-way is finished by aludel the same.
fn same_database_as_alembic(python: &Path, make: fn() -> Option<Db>) {
    let Some(by_alembic) = make() else { return };
    let (Some(by_aludel), Some(half)) = (make(), make()) else {
        return;
    };
    let d = by_alembic.dialect();
    let project = alembic_project(REVISIONS);
    let dir = project.path();
    alembic(python, dir, &by_alembic, &["upgrade", "heads"]);

    let url = by_aludel.url();
    import(python, dir, &["--url", &url]);
    stdout_ok(
        &aludel(dir, &["--url", &url, "upgrade", "heads"]),
        "upgrade",
    );
    assert_eq!(schema(&by_aludel), schema(&by_alembic), "{d}: same schema");
    assert_eq!(rows(&by_aludel), rows(&by_alembic), "{d}: same rows");
    assert_eq!(
        sorted(by_aludel.version_rows_of("alembic_version")),
        sorted(by_alembic.version_rows_of("alembic_version")),
        "{d}"
    );
    assert_eq!(
        sorted(by_alembic.version_rows_of("alembic_version")),
        strings(&["e5000"]),
        "{d}: l1000 is an effective head (e5000 depends on it)"
    );

    // Alembic took this one to the merge's first parent only.
    alembic(python, dir, &half, &["upgrade", "b2000"]);
    let half_url = half.url();
    assert_eq!(
        stdout_ok(&aludel(dir, &["--url", &half_url, "current"]), "current"),
        "b2000\n",
        "{d}"
    );
    stdout_ok(
        &aludel(dir, &["--url", &half_url, "upgrade", "heads"]),
        "upgrade from where Alembic stopped",
    );
    assert_eq!(
        sorted(half.version_rows_of("alembic_version")),
        strings(&["e5000"]),
        "{d}"
    );
    assert_eq!(schema(&half), schema(&by_alembic), "{d}: same schema");
    assert_eq!(rows(&half), rows(&by_alembic), "{d}: same rows");
    // Only what Alembic had not run ran: c3000, l1000, d4000, e5000.
    assert_eq!(half.history().len(), 4, "{d}: {:?}", half.history());
}

#[test]
fn sqlite_database_upgraded_by_aludel_equals_alembics() {
    let Some(python) = python() else { return };
    same_database_as_alembic(&python, || Some(Db::sqlite()));
}

#[test]
fn postgres_database_upgraded_by_aludel_equals_alembics() {
    let Some(python) = python() else { return };
    same_database_as_alembic(&python, || Db::server(aludel_testdb::Server::Postgres));
}

#[test]
fn mariadb_database_upgraded_by_aludel_equals_alembics() {
    let Some(python) = python() else { return };
    same_database_as_alembic(&python, || Db::server(aludel_testdb::Server::MySql));
}

#[test]
fn the_imported_files_and_config_say_what_alembics_do() {
    let Some(python) = python() else { return };
    let project = alembic_project(REVISIONS);
    let dir = project.path().canonicalize().unwrap();
    let out = import(&python, &dir, &["--url", "sqlite:///other.db"]);
    let versions = dir.join("migrations/versions");
    let names = [
        "20260105_a1000_create_users.sql",
        "20260106_b2000_create_orders.sql",
        "20260107_c3000_add_email.sql",
        "20260108_l1000_audit_log.sql",
        "20260109_d4000_merge_and_seed.sql",
        "20260110_e5000_order_status.sql",
    ];
    let mut expected: String = names
        .iter()
        .map(|n| format!("Generating {} ...  done\n", versions.join(n).display()))
        .collect();
    expected.push_str(&format!(
        "Generating {} ...  done\n\
         note: post_write_hooks black were not carried over: they format Python files, and aludel's revisions are SQL ([hooks] post_write runs e.g. sqlfluff on them)\n\
         Imported 6 revisions from {} with SQL for sqlite.\n\
         Next: 'aludel heads' shows the heads 'alembic heads' shows; 'aludel current' and 'aludel upgrade head' continue a database Alembic migrated (version_table = \"alembic_version\").\n",
        dir.join("aludel.toml").display(),
        dir.join("alembic.ini").display()
    ));
    assert_eq!(out, expected);
    assert_eq!(
        std::fs::read_to_string(dir.join("aludel.toml")).unwrap(),
        "# Made by `aludel import-alembic` from alembic.ini; the revision files were rendered for sqlite.\n\
         [aludel]\n\
         script_location = \"migrations\"\n\
         file_template = \"{year}{month}{day}_{rev}_{slug}\"\n\
         timezone = \"Europe/Berlin\"\n\
         database_url = \"sqlite:///app.db\"\n\
         version_table = \"alembic_version\"\n"
    );
    assert_eq!(
        std::fs::read_to_string(versions.join(names[4])).unwrap(),
        "-- merge shop and email; seed users\n\
         --\n\
         -- Rows every installation starts with.\n\
         --\n\
         -- Revision ID: d4000\n\
         -- Revises: b2000, c3000\n\
         -- Create Date: 2026-01-05 09:00:00.000000\n\
         \n\
         -- aludel:upgrade\n\
         INSERT INTO users (id, name, email) VALUES (1, 'Ann', 'ann@example.com');\n\
         \n\
         INSERT INTO users (id, name, email) VALUES (2, 'O''Brien', NULL);\n\
         \n\
         INSERT INTO orders (id, user_id, total) VALUES (10, 1, 12.50);\n\
         \n\
         -- aludel:downgrade\n\
         DELETE FROM orders WHERE id = 10;\n\
         \n\
         DELETE FROM users WHERE id IN (1, 2);\n"
    );
    let labels = std::fs::read_to_string(versions.join(names[1])).unwrap();
    assert!(labels.contains("-- Revises: a1000\n-- Create Date: 2026-01-05 09:00:00.000000\n-- Branch Labels: shop\n\n"), "{labels}");
    let depends = std::fs::read_to_string(versions.join(names[5])).unwrap();
    assert!(depends.contains("-- Revises: d4000\n-- Create Date: 2026-01-05 09:00:00.000000\n-- Depends On: l1000\n\n"), "{depends}");
    // The graph is Alembic's: the same heads, the same history.
    let alembic_heads = Command::new(&python)
        .args(["-m", "alembic", "heads"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(
        stdout_ok(&aludel(&dir, &["heads"]), "heads"),
        String::from_utf8_lossy(&alembic_heads.stdout)
    );
    assert_eq!(
        stdout_ok(&aludel(&dir, &["heads"]), "heads"),
        "l1000 (audit) (effective head)\ne5000 (shop) (head)\n"
    );
    // Importing again refuses: the project exists.
    let again = aludel(
        &dir,
        &[
            "--url",
            "sqlite:///x.db",
            "import-alembic",
            "--python",
            &python.display().to_string(),
        ],
    );
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&again.stderr),
        format!(
            "error: {} already exists; import-alembic writes a new aludel project and never overwrites one\n  hint: move it away first, or import a copy of the Alembic project; nothing was written\n",
            dir.join("aludel.toml").display()
        )
    );
}

#[test]
fn a_revision_that_reads_the_database_is_listed_and_nothing_is_written() {
    let Some(python) = python() else { return };
    let mut revisions = REVISIONS.to_vec();
    revisions.push(READS_DATABASE);
    let project = alembic_project(&revisions);
    let dir = project.path().canonicalize().unwrap();
    let py = python.display().to_string();
    let out = aludel(
        &dir,
        &["import-alembic", "--dialect", "sqlite", "--python", &py],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: 1 Alembic revision function cannot be rendered as SQL offline; nothing was written\n  \
             reason: f6000 upgrade() at {}:19: reads the database: executes `SELECT id, name FROM users`\n  \
             hint: import with --allow-unrendered to write them anyway: their sections then refuse to run until a person writes their SQL (docs/import-alembic.md)\n",
            dir.join("alembic/versions/20260111_f6000_normalise_names.py").display()
        )
    );
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["alembic", "alembic.ini"], "nothing written");

    // JSON: the list, and the error.
    let out = aludel(
        &dir,
        &[
            "--format",
            "json",
            "import-alembic",
            "--dialect",
            "sqlite",
            "--python",
            &py,
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["written"], false);
    assert_eq!(doc["error"]["kind"], "unrendered_revisions");
    assert_eq!(doc["unrendered"][0]["revision"], "f6000");
    assert_eq!(doc["unrendered"][0]["function"], "upgrade");
    assert_eq!(doc["unrendered"][0]["line"], 19);
}

#[test]
fn an_unrendered_revision_refuses_to_run_on_every_database() {
    let Some(python) = python() else { return };
    let mut revisions = REVISIONS.to_vec();
    revisions.push(READS_DATABASE);
    for db in Db::all() {
        let d = db.dialect();
        let project = alembic_project(&revisions);
        let dir = project.path().canonicalize().unwrap();
        let url = db.url();
        let py = python.display().to_string();
        let out = stdout_ok(
            &aludel(
                &dir,
                &[
                    "--url",
                    &url,
                    "--format",
                    "json",
                    "import-alembic",
                    "--python",
                    &py,
                    "--allow-unrendered",
                ],
            ),
            "import-alembic --allow-unrendered",
        );
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(doc["written"], true, "{d}");
        let file = dir.join("migrations/versions/20260111_f6000_normalise_names.sql");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains(
                "-- aludel:upgrade\n\
                 -- aludel:unrendered Alembic's upgrade() cannot be rendered as SQL offline: reads the database: executes `SELECT id, name FROM users` (alembic/versions/20260111_f6000_normalise_names.py:19)\n\
                 -- This section refuses to run until it holds SQL: write the SQL that does what\n\
                 -- the Alembic code below did, then delete the '-- aludel:unrendered' line.\n\
                 --\n\
                 -- def upgrade():\n\
                 --     bind = op.get_bind()\n"
            ),
            "{d}: {text}"
        );
        let refusal = format!(
            "error: {}:8: the upgrade section of revision f6000 has no SQL yet, so it cannot run\n  \
             reason: it is marked '-- aludel:unrendered': Alembic's upgrade() cannot be rendered as SQL offline: reads the database: executes `SELECT id, name FROM users` (alembic/versions/20260111_f6000_normalise_names.py:19)\n  \
             hint: write the section's SQL in {} (the code it came from is quoted there), then delete the '-- aludel:unrendered' line; nothing ran\n",
            file.display(),
            file.display()
        );
        for args in [
            &["upgrade", "heads"][..],
            &["upgrade", "heads", "--sql"][..],
        ] {
            let mut all = vec!["--url", url.as_str()];
            all.extend_from_slice(args);
            let out = aludel(&dir, &all);
            assert_eq!(out.status.code(), Some(1), "{d} {args:?}");
            assert_eq!(
                String::from_utf8_lossy(&out.stderr),
                refusal,
                "{d} {args:?}"
            );
        }
        assert!(!db.has_table("users"), "{d}: nothing ran");
        // Up to the revision before it, everything runs; once a person has written
        // the SQL and deleted the marker, it runs too.
        stdout_ok(
            &aludel(&dir, &["--url", &url, "upgrade", "e5000"]),
            "upgrade e5000",
        );
        let written = text.replace(
            "-- aludel:unrendered Alembic's upgrade()",
            "UPDATE users SET name = UPPER(name);\n-- Alembic's upgrade()",
        );
        std::fs::write(&file, written).unwrap();
        stdout_ok(
            &aludel(&dir, &["--url", &url, "upgrade", "heads"]),
            "upgrade heads",
        );
        assert_eq!(
            db.column("SELECT name FROM users ORDER BY id"),
            strings(&["ANN", "O'BRIEN"]),
            "{d}"
        );
    }
}

/// env.py of a project whose models live in `src/shop/models.py`: it puts `src` on
/// sys.path and gives Alembic their metadata, as the FastAPI guides do.
const MODELS_ENV_PY: &str = r#"
import os, sys

from alembic import context
from sqlalchemy import create_engine, pool

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "src"))
from shop.models import Base  # noqa: E402

target_metadata = Base.metadata
config = context.config
url = os.environ.get("TEST_URL") or config.get_main_option("sqlalchemy.url")

if context.is_offline_mode():
    context.configure(url=url, literal_binds=True, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
"#;

/// The revision template `alembic init` writes, reduced to what a revision needs.
const MAKO: &str = r#""""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
"#;

const SHOP_MODELS: &str = r#"
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Product(Base):
    __tablename__ = "product"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
"#;

/// "Coming from Alembic": the import finds env.py's target_metadata and makes it
/// the desired schema (`sqlalchemy:shop.models:Base`, `python_path = ["src"]`, the
/// `--python` given), so that after the import `check` is clean on the database
/// Alembic migrated, and the daily loop goes on with the same models.
#[test]
fn the_import_keeps_the_daily_loop_on_env_pys_models() {
    let Some(python) = python() else { return };
    let dir = alembic_project(&[]);
    let path = dir.path();
    std::fs::write(path.join("alembic/env.py"), MODELS_ENV_PY).unwrap();
    // No post-write hook: black is not in the tests' virtualenv.
    let ini = INI.split("[post_write_hooks]").next().unwrap();
    std::fs::write(path.join("alembic.ini"), ini).unwrap();
    std::fs::write(path.join("alembic/script.py.mako"), MAKO).unwrap();
    std::fs::create_dir_all(path.join("src/shop")).unwrap();
    std::fs::write(path.join("src/shop/__init__.py"), "").unwrap();
    std::fs::write(path.join("src/shop/models.py"), SHOP_MODELS).unwrap();
    let db = Db::sqlite();
    alembic(
        &python,
        path,
        &db,
        &["revision", "--autogenerate", "-m", "products"],
    );
    alembic(&python, path, &db, &["upgrade", "head"]);

    import(&python, path, &["--url", &db.url()]);
    let config = std::fs::read_to_string(path.join("aludel.toml")).unwrap();
    let autogenerate = &config[config
        .find("[autogenerate]")
        .expect("an [autogenerate] table")..];
    assert_eq!(
        autogenerate,
        format!(
            "[autogenerate]\nschema = \"sqlalchemy:shop.models:Base\"\npython_path = [\"src\"]\npython = {:?}\n",
            python.display().to_string()
        )
    );
    let url = db.url();
    let check = stdout_ok(
        &aludel(path, &["--url", &url, "check"]),
        "check after the import",
    );
    assert_eq!(check.trim(), "No new upgrade operations detected.");

    std::fs::write(
        path.join("src/shop/models.py"),
        SHOP_MODELS.to_string() + "    price: Mapped[int] = mapped_column(server_default=\"0\")\n",
    )
    .unwrap();
    stdout_ok(
        &aludel(
            path,
            &["--url", &url, "revision", "--autogenerate", "-m", "prices"],
        ),
        "revision --autogenerate",
    );
    stdout_ok(
        &aludel(path, &["--url", &url, "upgrade", "head"]),
        "upgrade",
    );
    let check = stdout_ok(
        &aludel(path, &["--url", &url, "check"]),
        "check after the loop",
    );
    assert_eq!(check.trim(), "No new upgrade operations detected.");
    assert!(db.has_column("product", "price"));
}
