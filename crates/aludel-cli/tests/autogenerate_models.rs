//! Desired schemas from a project's own models and commands (`[autogenerate]
//! schema = "sqlalchemy:MODULE:ATTR"`, `"command:CMD"`, lists), on SQLite,
//! PostgreSQL and MariaDB: `check` finds the models' tables, `revision
//! --autogenerate` + `upgrade head` make the database equal to what SQLAlchemy's own
//! `metadata.create_all()` gives on an empty database (catalog dumps compared), and
//! `check` is clean after. Then every error a user can meet, with its exact text.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use aludel_testdb::{Python, Server};
use support::roundtrip::schema_of;
use support::{models, Db, Project};

/// SQLAlchemy 2.x models every database can hold: an enum, comments, a
/// self-reference, a composite index, named unique and check constraints, server
/// defaults, a `Uuid` (native on PostgreSQL and MariaDB 10.7+, which SQLAlchemy
/// learns from the server's version).
const MODELS: &str = r#"
import enum
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import (CheckConstraint, DateTime, Enum, ForeignKey, Index, Numeric,
                        String, Text, UniqueConstraint, Uuid, func)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

print("models imported")  # what a module prints must not disturb the loader


class Base(DeclarativeBase):
    pass


class Status(enum.Enum):
    active = "active"
    blocked = "blocked"


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("email", name="users_email_key"),
        {"comment": "people who sign in"},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[uuid.UUID] = mapped_column(Uuid, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(255))
    name: Mapped[Optional[str]] = mapped_column(String(100), comment="shown name")
    status: Mapped[Status] = mapped_column(Enum(Status, name="user_status"),
                                           server_default="active")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())
    invited_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("total >= 0", name="orders_total_positive"),
        Index("ix_orders_user_created", "user_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    total: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    note: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now(), index=True)
"#;

/// The same kind of models with SQLModel.
const SQLMODEL_MODELS: &str = r#"
from typing import Optional

from sqlmodel import Field, SQLModel


class Team(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)


class Hero(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, index=True)
    age: Optional[int] = None
    team_id: Optional[int] = Field(default=None, foreign_key="team.id")
"#;

/// SQLAlchemy 1.4's `declarative_base()` and a MetaData-level index.
const SA14_MODELS: &str = r#"
from sqlalchemy import Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Author(Base):
    __tablename__ = "authors"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False, index=True)


class Book(Base):
    __tablename__ = "books"
    id = Column(Integer, primary_key=True)
    author_id = Column(Integer, ForeignKey("authors.id"), nullable=False)
    title = Column(String(200), nullable=False)
    blurb = Column(Text)
"#;

/// A project whose `[autogenerate]` table is `autogenerate`, with `files`.
fn project(autogenerate: &str, files: &[(&str, &str)]) -> Project {
    let p = Project::new("");
    let config = std::fs::read_to_string(p.path().join("aludel.toml")).unwrap();
    std::fs::write(
        p.path().join("aludel.toml"),
        format!("{config}\n[autogenerate]\n{autogenerate}\n"),
    )
    .unwrap();
    for (name, text) in files {
        let path = p.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    p
}

fn python_setting(python: &Path) -> String {
    format!("python = {:?}\n", python.display().to_string())
}

/// `create_all()` of `module:attr` (in `p`) on `fresh`, with the test Python.
fn create_all(p: &Project, module: &str, attr: &str, fresh: &Db) {
    let python = Python::Current.interpreter().expect("the test Python");
    models::create_all(&python, p.path(), &format!("{module}:{attr}"), fresh);
}

/// check (exit 1) → revision --autogenerate → upgrade head → check (exit 0).
fn autogenerate_and_upgrade(p: &Project, db: &Db) -> String {
    let context = db.dialect();
    let out = p.run(db, &["check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "[{context}] check before: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    p.ok(db, &["revision", "--autogenerate", "-m", "models"]);
    let file = std::fs::read_dir(p.path().join("migrations/versions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|f| f.to_string_lossy().ends_with("_models.sql"))
        .expect("the generated revision");
    let generated = std::fs::read_to_string(file).unwrap();
    p.ok(db, &["upgrade", "head"]);
    let out = p.ok(db, &["check"]);
    assert!(
        out.contains("No new upgrade operations detected."),
        "[{context}] {out}\n{generated}"
    );
    generated
}

/// The models' round trip on `db`: the upgraded schema equals `create_all()` on
/// `fresh`.
fn models_round_trip(p: &Project, module: &str, attr: &str, db: &Db, fresh: &Db) {
    let generated = autogenerate_and_upgrade(p, db);
    create_all(p, module, attr, fresh);
    assert_eq!(
        schema_of(db),
        schema_of(fresh),
        "[{}] the upgraded database differs from create_all()\n{generated}",
        db.dialect()
    );
}

/// SQLite and every server available, each with a fresh twin.
fn databases() -> Vec<(Db, Db)> {
    let mut out = vec![(Db::sqlite(), Db::sqlite())];
    for server in [Server::Postgres, Server::MySql] {
        if let (Some(db), Some(fresh)) = (Db::server(server), Db::server(server)) {
            out.push((db, fresh));
        }
    }
    out
}

#[test]
fn sqlalchemy_models_round_trip_on_every_database() {
    let Some(python) = Python::Current.interpreter() else {
        return;
    };
    for (db, fresh) in databases() {
        let p = project(
            &format!(
                "schema = \"sqlalchemy:app.models:Base\"\n{}",
                python_setting(&python)
            ),
            &[("app/__init__.py", ""), ("app/models.py", MODELS)],
        );
        models_round_trip(&p, "app.models", "Base", &db, &fresh);
        assert!(db.has_table("users") && db.has_table("orders"));
    }
}

#[test]
fn sqlmodel_models_from_a_src_layout_round_trip_on_every_database() {
    let Some(python) = Python::Current.interpreter() else {
        return;
    };
    for (db, fresh) in databases() {
        // The SQLModel class itself names the metadata; the package lives in src/.
        let p = project(
            &format!(
                "schema = \"sqlalchemy:heroes.models:SQLModel\"\npython_path = [\"src\"]\n{}",
                python_setting(&python)
            ),
            &[
                ("src/heroes/__init__.py", ""),
                ("src/heroes/models.py", SQLMODEL_MODELS),
            ],
        );
        let generated = autogenerate_and_upgrade(&p, &db);
        let python = Python::Current.interpreter().unwrap();
        models::create_all(
            &python,
            &p.path().join("src"),
            "heroes.models:SQLModel",
            &fresh,
        );
        assert_eq!(schema_of(&db), schema_of(&fresh), "{generated}");
        assert!(db.has_table("hero") && db.has_table("team"));
    }
}

#[test]
fn sqlalchemy_1_4_declarative_base_round_trips_on_every_database() {
    let Some(python) = Python::SqlAlchemy14.interpreter() else {
        return;
    };
    if Python::Current.interpreter().is_none() {
        return;
    }
    for (db, fresh) in databases() {
        let p = project(
            &format!(
                "schema = \"sqlalchemy:library:Base.metadata\"\n{}",
                python_setting(&python)
            ),
            &[("library.py", SA14_MODELS)],
        );
        // create_all() of the same models by SQLAlchemy 2.x (the 1.4 Python has no
        // server drivers): the DDL of these models is the same in both.
        models_round_trip(&p, "library", "Base", &db, &fresh);
    }
}

#[test]
fn command_sources_take_the_dialect_and_never_see_the_password() {
    for (db, fresh) in databases() {
        let ddl = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(200) NOT NULL);\n\
                   CREATE INDEX notes_body ON notes (body);\n";
        let file = format!("schema.{}.sql", db.dialect());
        let p = project(
            "schema = \"command:cat schema.{dialect}.sql\"",
            &[(file.as_str(), ddl)],
        );
        autogenerate_and_upgrade(&p, &db);
        support::roundtrip::load(&fresh, ddl);
        assert_eq!(schema_of(&db), schema_of(&fresh), "[{}]", db.dialect());

        // {url} has no password; the clients' variables have it; what the command
        // prints is masked.
        std::fs::write(
            p.path().join("aludel.toml"),
            std::fs::read_to_string(p.path().join("aludel.toml"))
                .unwrap()
                .replace(
                    "command:cat schema.{dialect}.sql",
                    "command:echo {url} \\\"$PGPASSWORD$MYSQL_PWD\\\" >&2; exit 3",
                ),
        )
        .unwrap();
        let err = p.fails(&db, &["check"]);
        let url = aludel::config::DatabaseUrl::parse(&db.url()).unwrap();
        let password = url
            .connection_string()
            .split_once("://")
            .and_then(|(_, rest)| rest.split_once('@'))
            .and_then(|(user, _)| user.split_once(':'))
            .map(|(_, pw)| pw.to_string());
        if let Some(pw) = password.filter(|pw| !pw.is_empty()) {
            assert!(
                !err.contains(&pw),
                "[{}] the password shows: {err}",
                db.dialect()
            );
            assert!(err.contains("***"), "{err}");
        }
        assert!(
            err.contains(&url.without_password()),
            "[{}] {err}",
            db.dialect()
        );
        assert!(err.contains("failed (exit status: 3)"), "{err}");
    }
}

#[test]
fn a_list_of_sources_loads_in_order() {
    let Some(python) = Python::Current.interpreter() else {
        return;
    };
    for (db, _) in databases() {
        // The view (a .sql file) reads a table of the models, so it comes second.
        let p = project(
            &format!(
                "schema = [\"sqlalchemy:app.models:Base\", \"views.sql\", \"command:cat extra.sql\"]\n{}",
                python_setting(&python)
            ),
            &[
                ("app/__init__.py", ""),
                ("app/models.py", MODELS),
                (
                    "views.sql",
                    "CREATE VIEW active_users AS SELECT id, email FROM users WHERE status = 'active';\n",
                ),
                (
                    "extra.sql",
                    "CREATE TABLE audit_log (id INTEGER PRIMARY KEY, note VARCHAR(100));\n",
                ),
            ],
        );
        autogenerate_and_upgrade(&p, &db);
        assert!(db.has_table("audit_log") && db.has_table("orders"));
        let views = db.query("SELECT count(*) FROM active_users");
        assert_eq!(views, [[Some("0".to_string())]], "[{}]", db.dialect());
    }
}

/// Runs `check` in `p` against `url` (an SQLite file unless given), expecting
/// exit 1; returns stderr with the project folder as `[DIR]`.
fn error_text(p: &Project, url: Option<&str>) -> String {
    let db = Db::sqlite();
    let out = Command::new(env!("CARGO_BIN_EXE_aludel"))
        .current_dir(p.path())
        .env_remove("DATABASE_URL")
        .env_remove("ALUDEL_CONFIG")
        .args(["--url", url.unwrap_or(&db.url()), "check"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let dir = p.path().display().to_string();
    let real = std::fs::canonicalize(p.path())
        .unwrap()
        .display()
        .to_string();
    stderr.replace(&real, "[DIR]").replace(&dir, "[DIR]")
}

fn write(p: &Project, name: &str, text: &str) -> PathBuf {
    let path = p.path().join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// An executable shell script.
fn script(p: &Project, name: &str, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = write(p, name, text);
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn errors_without_a_python_of_the_tests() {
    let p = project(
        "schema = \"sqlalchemy:app.models:Base\"\npython = \"nope/python\"",
        &[],
    );
    assert_eq!(
        error_text(&p, None),
        "error: sqlalchemy:app.models:Base needs Python, and none was found (looked for nope/python)\n  \
         hint: set [autogenerate] python to the interpreter that has your models' packages, \
         e.g. python = \".venv/bin/python\"; nothing was written\n"
    );

    // An interpreter that dies before the loader reports.
    let p = project(
        "schema = \"sqlalchemy:app.models:Base\"\npython = \"bin/python\"",
        &[],
    );
    script(
        &p,
        "bin/python",
        "#!/bin/sh\necho 'Python 2.7 is not supported here' >&2\nexit 1\n",
    );
    assert_eq!(
        error_text(&p, None),
        "error: sqlalchemy:app.models:Base: [DIR]/bin/python did not run aludel's model loader: \
         it exited with exit status: 1 without a report\n  \
         reason: Python 2.7 is not supported here\n  \
         hint: check that [autogenerate] python names a working Python 3 interpreter; nothing was written\n"
    );

    let p = project("schema = \"command:echo oops >&2; exit 3\"", &[]);
    assert_eq!(
        error_text(&p, None),
        "error: command:echo oops >&2; exit 3 failed (exit status: 3)\n  \
         reason: oops\n  \
         hint: run the command in the folder of aludel.toml to see why ({url} holds no password: \
         clients read it from PGPASSWORD / MYSQL_PWD); nothing was written\n"
    );

    let p = project("schema = \"command:echo '-- nothing here'\"", &[]);
    assert_eq!(
        error_text(&p, None),
        "error: command:echo '-- nothing here' printed no DDL on its standard output\n  \
         hint: the command must print the desired schema's DDL on its standard output; \
         nothing was written\n"
    );

    let p = project(
        "schema = [\"schema.sql\", \"command:printf 'CREATE TABLE b (id INTEGER);\\\\nCREAT TABLE c (id INTEGER);\\\\n'\"]",
        &[("schema.sql", "CREATE TABLE a (id INTEGER);\n")],
    );
    assert_eq!(
        error_text(&p, None),
        "error: a statement of the desired schema failed at command:printf 'CREATE TABLE b (id INTEGER);\\n\
         CREAT TABLE c (id INTEGER);\\n' (line 2 of its output): near \"CREAT\": syntax error\n  \
         reason: statement: CREAT TABLE c (id INTEGER)\n  \
         hint: fix that statement of the desired schema; nothing was written\n"
    );
    assert!(
        p.path()
            .join("migrations/versions")
            .read_dir()
            .unwrap()
            .next()
            .is_none(),
        "nothing is written"
    );
}

#[test]
fn errors_of_model_sources_say_what_to_do() {
    let Some(python) = Python::Current.interpreter() else {
        return;
    };
    let setting = python_setting(&python);
    let models = |schema: &str, files: &[(&str, &str)]| {
        project(&format!("schema = \"{schema}\"\n{setting}"), files)
    };
    let app = [("app/__init__.py", ""), ("app/models.py", MODELS)];

    // SQLAlchemy missing: the same interpreter without its site-packages.
    let p = project(
        "schema = \"sqlalchemy:app.models:Base\"\npython = \"bin/python\"",
        &app,
    );
    script(
        &p,
        "bin/python",
        &format!("#!/bin/sh\nexec {} -S \"$@\"\n", python.display()),
    );
    assert_eq!(
        error_text(&p, None),
        "error: sqlalchemy:app.models:Base: SQLAlchemy is not installed in [DIR]/bin/python\n  \
         hint: install it in the project's virtualenv ([DIR]/bin/python -m pip install sqlalchemy), \
         or set [autogenerate] python to the interpreter that has it; nothing was written\n"
    );

    // A package that is not on sys.path (a src layout without python_path).
    let p = models(
        "sqlalchemy:app.models:Base",
        &[("src/app/__init__.py", ""), ("src/app/models.py", MODELS)],
    );
    assert_eq!(
        error_text(&p, None),
        "error: sqlalchemy:app.models:Base: module app.models does not import: \
         ModuleNotFoundError: No module named 'app'\n  \
         reason: sys.path (the project's part): [DIR]\n  \
         hint: if the missing module is your code, add the folder that holds it to [autogenerate] \
         python_path (relative to aludel.toml), e.g. python_path = [\"src\"]; if it is a package, \
         install it in the interpreter aludel runs ([autogenerate] python); nothing was written\n"
    );

    // An exception inside the project's code: its frames and the exception.
    let p = models(
        "sqlalchemy:app.models:Base",
        &[
            ("app/__init__.py", ""),
            ("app/models.py", "from app.settings import URL\n"),
            (
                "app/settings.py",
                "import os\nURL = os.environ['APP_URL']\n",
            ),
        ],
    );
    assert_eq!(
        error_text(&p, None),
        "error: sqlalchemy:app.models:Base: module app.models does not import: KeyError: 'APP_URL'\n  \
         reason:   File \"[DIR]/app/models.py\", line 1, in <module>\n              \
         from app.settings import URL\n            \
         File \"[DIR]/app/settings.py\", line 2, in <module>\n              \
         URL = os.environ['APP_URL']\n          \
         sys.path (the project's part): [DIR]\n  \
         hint: if the missing module is your code, add the folder that holds it to [autogenerate] \
         python_path (relative to aludel.toml), e.g. python_path = [\"src\"]; if it is a package, \
         install it in the interpreter aludel runs ([autogenerate] python); nothing was written\n"
    );

    let p = models("sqlalchemy:app.models:Model", &app);
    assert_eq!(
        error_text(&p, None),
        "error: sqlalchemy:app.models:Model: app.models has no attribute Model\n  \
         hint: app.models holds models in: schema = \"sqlalchemy:app.models:Base\"; nothing was written\n"
    );

    let p = models("sqlalchemy:app.models:Status", &app);
    assert_eq!(
        error_text(&p, None),
        "error: sqlalchemy:app.models:Status: app.models.Status is a class without a .metadata, \
         not a declarative base, a SQLModel class or a MetaData\n  \
         hint: app.models holds models in: schema = \"sqlalchemy:app.models:Base\"; nothing was written\n"
    );

    // Compiled for the URL's dialect before any connection: a VARCHAR without a
    // length is no MySQL type (the server need not answer to learn that).
    let p = models(
        "sqlalchemy:app.models:Base",
        &[
            ("app/__init__.py", ""),
            (
                "app/models.py",
                "from sqlalchemy import Column, Integer, String\n\
                 from sqlalchemy.orm import declarative_base\n\
                 Base = declarative_base()\n\
                 class T(Base):\n    __tablename__ = 't'\n    id = Column(Integer, primary_key=True)\n    \
                 name = Column(String)\n",
            ),
        ],
    );
    assert_eq!(
        error_text(&p, Some("mysql://app:secret@127.0.0.1:1/app")),
        "error: sqlalchemy:app.models:Base: SQLAlchemy cannot compile the models for mysql: \
         sqlalchemy.exc.CompileError: (in table 't', column 'name'): VARCHAR requires a length on dialect mysql\n  \
         hint: change the model so this database can hold it (a type it has, or .with_variant() for it); \
         nothing was written\n"
    );

    // DDL the shadow database rejects names the source and the statement.
    let p = models(
        "sqlalchemy:app.models:Base",
        &[
            ("app/__init__.py", ""),
            (
                "app/models.py",
                "from sqlalchemy import Column, DDL, Integer, event\n\
                 from sqlalchemy.orm import declarative_base\n\
                 Base = declarative_base()\n\
                 class T(Base):\n    __tablename__ = 't'\n    id = Column(Integer, primary_key=True)\n\
                 event.listen(T.__table__, 'after_create', DDL('CREATE INDX t_id ON t (id)'))\n",
            ),
        ],
    );
    assert_eq!(
        error_text(&p, None),
        "error: a statement of the desired schema failed at sqlalchemy:app.models:Base (statement 2): \
         near \"INDX\": syntax error\n  \
         reason: statement: CREATE INDX t_id ON t (id)\n  \
         hint: fix that statement of the desired schema; nothing was written\n"
    );
}

/// `aludel init -t sqlalchemy`, pointed at a Python with SQLAlchemy, is a working
/// project as written: autogenerate, upgrade, and check is clean.
#[test]
fn the_sqlalchemy_template_works_as_generated() {
    let Some(python) = Python::Current.interpreter() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let aludel = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_aludel"))
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("ALUDEL_CONFIG")
            .args(args)
            .output()
            .unwrap()
    };
    assert!(aludel(&["init", "-t", "sqlalchemy"]).status.success());
    let config = dir.path().join("aludel.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.contains("\nschema = \"sqlalchemy:app.models:Base\"\n"),
        "{text}"
    );
    assert!(text.contains("\npython_path = [\".\"]\n"), "{text}");
    let text = text.replace(
        "# python = \".venv/bin/python\"",
        &format!("python = {:?}", python.display().to_string()),
    );
    std::fs::write(&config, text).unwrap();

    let out = aludel(&["revision", "--autogenerate", "-m", "users"]);
    assert!(out.status.success(), "{out:?}");
    let out = aludel(&["upgrade", "head"]);
    assert!(out.status.success(), "{out:?}");
    let out = aludel(&["check"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "No new upgrade operations detected.\n",
        "{out:?}"
    );
    let columns = support::sqlite_query(
        &dir.path().join("app.db"),
        "SELECT name FROM pragma_table_info('users') ORDER BY cid",
    );
    let names: Vec<&str> = columns.iter().filter_map(|r| r[0].as_deref()).collect();
    assert_eq!(names, ["id", "email", "name", "created_at"]);
}

/// The Rust example of docs/autogenerate.md: `examples/seaorm-schema`, a program
/// that prints its sea-query (SeaORM's DDL builder) tables for `{dialect}`, is
/// the desired schema through `command:cargo run …`; on every database the
/// upgraded schema equals a fresh load of what it prints.
#[test]
fn a_rust_program_printing_sea_query_ddl_is_the_desired_schema() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let manifest = repo.join("examples/seaorm-schema/Cargo.toml");
    // Its own target folder: the outer cargo's is not this program's to share.
    let target = repo.join("target/seaorm-schema");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let command = format!(
        "{cargo} run -q --locked --manifest-path {} --target-dir {} -- {{dialect}}",
        manifest.display(),
        target.display()
    );
    for (db, fresh) in databases() {
        let p = project(
            &format!("schema = {:?}\n", format!("command:{command}")),
            &[],
        );
        let generated = autogenerate_and_upgrade(&p, &db);
        let printed = Command::new(&cargo)
            .args(["run", "-q", "--locked", "--manifest-path"])
            .arg(&manifest)
            .arg("--target-dir")
            .arg(&target)
            .args(["--", if db.is_mysql() { "mysql" } else { db.dialect() }])
            .output()
            .unwrap();
        assert!(printed.status.success(), "{printed:?}");
        support::roundtrip::load(&fresh, &String::from_utf8_lossy(&printed.stdout));
        assert_eq!(
            schema_of(&db),
            schema_of(&fresh),
            "[{}] the upgraded database differs from a fresh load\n{generated}",
            db.dialect()
        );
        assert!(db.has_table("author") && db.has_table("book"));
    }
}
