# aludel import-alembic: the Alembic side, run once with the project's Python.
#
# Reads the Alembic configuration and ScriptDirectory, then calls each revision's
# upgrade() and downgrade() under an offline MigrationContext for one dialect and
# captures the SQL they emit: no version-table statements (the functions are called
# directly, not through run_migrations) and no BEGIN/COMMIT (transactional DDL is
# switched off; an autocommit_block() is reported instead). A revision that needs the
# database (a SELECT whose rows it uses, reflection, batch mode without copy_from) or
# raises anything is reported with the exception's last line and its line in the
# revision file, never rendered in part.
#
# argv: ini path, dialect ("" = the backend of sqlalchemy.url), JSON list of -x values.
# The one JSON document goes to the original standard output; whatever Alembic,
# env.py or a revision prints goes to standard error.

import contextlib
import io
import json
import os
import re
import sys
import traceback

_OUT = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)
sys.stdout = sys.stderr


_PASSWORD = re.compile(r"(\w[\w+.-]*://[^:/@\s]*:)[^@\s]*@")


def _scrub(text):
    """Text with the password of any URL in it shown as ***."""
    return _PASSWORD.sub(r"\1***@", text or "")


def _finish(document):
    _OUT.write(json.dumps(document))
    _OUT.flush()
    sys.exit(0)


def _fail(kind, message, detail=""):
    _finish({"ok": False, "kind": kind, "error": _scrub(message), "detail": _scrub(detail)})


def _last_line(exc):
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return text.splitlines()[-1] if text else type(exc).__name__


def _tail(exc, lines=8):
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    kept = [line for line in text.splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


try:
    import sqlalchemy as sa
    from alembic.config import Config
    from alembic.operations import Operations
    from alembic.runtime.environment import EnvironmentContext
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
except ImportError as exc:
    _fail(
        "alembic_not_installed",
        "Alembic or SQLAlchemy cannot be imported by %s: %s" % (sys.executable, _last_line(exc)),
    )


class Unrenderable(Exception):
    """The revision needs a live database."""


READING_WORDS = ("SELECT", "WITH", "SHOW", "PRAGMA", "EXPLAIN", "VALUES", "TABLE", "DESCRIBE")


class OfflineResult(object):
    """What bind.execute() returns offline: nothing can be read from it."""

    def __init__(self, sql):
        self._sql = sql

    def __getattr__(self, name):
        raise Unrenderable(
            "reads the database: uses .%s of the result of `%s`, which offline mode cannot know"
            % (name, _short(self._sql))
        )

    def __iter__(self):
        return self.__getattr__("__iter__")


def _short(sql):
    sql = " ".join(str(sql).split())
    return sql if len(sql) <= 80 else sql[:77] + "..."


class OfflineBind(object):
    """The connection a revision gets from op.get_bind(): statements that change
    something are written out (parameters bound as literals); anything that reads
    raises Unrenderable."""

    def __init__(self, mock, context):
        self._mock = mock
        self._context = context
        self.dialect = mock.dialect

    @property
    def engine(self):
        return self

    def _emit(self, statement):
        self._context.impl._exec(statement)

    def execute(self, statement, parameters=None, *args, **kw):
        if isinstance(statement, str):
            statement = sa.text(statement)
        compiled = statement.compile(dialect=self.dialect)
        first = str(compiled).lstrip("( \n\t").split(None, 1)
        if getattr(statement, "is_select", False) or (
            first and first[0].upper() in READING_WORDS
        ):
            raise Unrenderable("reads the database: executes `%s`" % _short(compiled))
        if getattr(statement, "_returning", None):
            raise Unrenderable(
                "reads the database: executes `%s` with RETURNING" % _short(compiled)
            )
        if parameters is None and args:
            parameters = args[0]
        if isinstance(parameters, (list, tuple)):
            for one in parameters:
                self._emit(statement.params(one))
        elif parameters:
            self._emit(statement.params(parameters))
        else:
            self._emit(statement)
        return OfflineResult(compiled)

    def exec_driver_sql(self, statement, parameters=None, *args, **kw):
        if parameters:
            raise Unrenderable(
                "passes driver parameters to `%s`, which offline mode cannot bind"
                % _short(statement)
            )
        first = statement.lstrip("( \n\t").split(None, 1)
        if first and first[0].upper() in READING_WORDS:
            raise Unrenderable("reads the database: executes `%s`" % _short(statement))
        self._context.impl.static_output(
            statement.strip().rstrip(";") + self._context.impl.command_terminator
        )
        return OfflineResult(statement)

    def scalar(self, statement, *args, **kw):
        raise Unrenderable("reads the database: fetches a value of `%s`" % _short(statement))

    def scalars(self, statement, *args, **kw):
        raise Unrenderable("reads the database: fetches rows of `%s`" % _short(statement))

    def __getattr__(self, name):
        if name.startswith("_"):
            return getattr(self._mock, name)
        raise Unrenderable(
            "uses the database connection's .%s, which offline mode does not have" % name
        )


def _revision_frame_line(exc, path):
    """The line of the revision file in the exception's traceback (the innermost)."""
    line = None
    real = os.path.realpath(path)
    tb = exc.__traceback__
    while tb is not None:
        if os.path.realpath(tb.tb_frame.f_code.co_filename) == real:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _source(fn):
    try:
        import inspect

        return inspect.getsource(fn)
    except Exception:
        return ""


def render(script_obj, name, dialect, env):
    """Runs one function of a revision offline; returns the section's description."""
    fn = getattr(script_obj.module, name, None)
    if fn is None:
        return {"error": "the module has no %s() function" % name, "line": None, "source": ""}
    buf = io.StringIO()
    state = {"outside_transaction": False}
    context = MigrationContext.configure(
        dialect=dialect,
        environment_context=env,
        opts={
            "as_sql": True,
            "output_buffer": buf,
            "literal_binds": True,
            "transactional_ddl": False,
            "script": script_obj,
        },
    )
    bind = OfflineBind(context.connection, context)
    context.connection = bind
    context.impl.connection = bind

    @contextlib.contextmanager
    def autocommit_block():
        state["outside_transaction"] = True
        yield

    context.autocommit_block = autocommit_block
    env._migration_context = context
    try:
        with Operations.context(context):
            fn()
    except BaseException as exc:  # noqa: B902 - a revision may raise anything
        if isinstance(exc, KeyboardInterrupt):
            raise
        reason = str(exc) if isinstance(exc, Unrenderable) else _last_line(exc)
        return {
            "error": _scrub(reason),
            "line": _revision_frame_line(exc, script_obj.path),
            "source": _source(fn),
        }
    finally:
        env._migration_context = None
    return {"sql": buf.getvalue(), "outside_transaction": state["outside_transaction"]}


def as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def message_of(script_obj):
    """The message: the docstring up to the 'Revision ID:' paragraph."""
    doc = (script_obj.module.__doc__ or "").strip()
    kept = []
    for paragraph in doc.split("\n\n"):
        if paragraph.lstrip().startswith("Revision ID:"):
            break
        kept.append(paragraph.strip("\n"))
    return "\n\n".join(kept).strip()


def create_date_of(script_obj):
    for line in (script_obj.module.__doc__ or "").splitlines():
        line = line.strip()
        if line.startswith("Create Date:"):
            return line[len("Create Date:"):].strip()
    return ""


def env_settings(cfg, script):
    """version_table / version_table_schema as env.py passes them to configure(),
    read by running env.py offline with no steps; a failure is a warning."""
    captured = io.StringIO()
    try:
        with EnvironmentContext(
            cfg,
            script,
            fn=lambda rev, context: [],
            as_sql=True,
            starting_rev=None,
            destination_rev="heads",
        ) as env:
            saved = sys.stdout
            sys.stdout = captured
            try:
                script.run_env()
            finally:
                sys.stdout = saved
            opts = env.context_opts
            return {
                "version_table": opts.get("version_table"),
                "version_table_schema": opts.get("version_table_schema"),
                "models": models_source(opts.get("target_metadata"), cfg),
                "warning": None,
            }
    except BaseException as exc:  # noqa: B902
        if isinstance(exc, KeyboardInterrupt):
            raise
        return {
            "version_table": None,
            "version_table_schema": None,
            "models": None,
            "warning": _scrub(_last_line(exc)),
        }


def models_source(metadata, cfg):
    """Where env.py's target_metadata lives, as aludel's `sqlalchemy:MODULE:ATTR`
    source: a module-level declarative base (or SQLModel class) whose `.metadata`
    it is, else a module-level MetaData, in a module of the project (not env.py).
    With the folder the module is imported from when that is not alembic.ini's
    (env.py put it on sys.path): {"source", "path"}. None when there is no single
    MetaData or it is not found."""
    if isinstance(metadata, (list, tuple)):
        metadata = metadata[0] if len(metadata) == 1 else None
    if not isinstance(metadata, sa.MetaData):
        return None
    here = os.path.dirname(os.path.abspath(cfg.config_file_name))
    found = []
    for name, module in sorted(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if not path or not os.path.abspath(path).startswith(here + os.sep):
            continue
        if os.path.basename(path) == "env.py":
            continue
        for attr, value in sorted(vars(module).items()):
            owner = isinstance(value, type) and getattr(value, "__module__", None) == name
            if owner and value.__dict__.get("metadata") is metadata:
                found.append((0, name, attr, path))
            elif value is metadata:
                found.append((1, name, attr, path))
    if not found:
        return None
    _, name, attr, path = min(found)
    # The folder that holds the module's top package.
    root = os.path.dirname(os.path.abspath(path))
    if os.path.basename(path) == "__init__.py":
        root = os.path.dirname(root)
    for _ in range(name.count(".")):
        root = os.path.dirname(root)
    return {"source": "sqlalchemy:%s:%s" % (name, attr), "path": os.path.relpath(root, here)}


def hook_names(cfg):
    try:
        section = cfg.get_section("post_write_hooks") or {}
    except Exception:
        section = {}
    names = section.get("hooks", "")
    return [n for n in names.replace(",", " ").split() if n]


def main():
    ini, wanted_dialect, x_json = sys.argv[1], sys.argv[2], sys.argv[3]
    import argparse

    cfg = Config(ini)
    cfg.cmd_opts = argparse.Namespace(x=json.loads(x_json))
    try:
        script = ScriptDirectory.from_config(cfg)
    except BaseException as exc:  # noqa: B902
        if isinstance(exc, KeyboardInterrupt):
            raise
        _fail("alembic_config", _last_line(exc), _tail(exc))

    url = cfg.get_main_option("sqlalchemy.url")
    dialect_name = wanted_dialect
    if not dialect_name:
        try:
            dialect_name = sa.engine.make_url(url).get_backend_name()
        except Exception:
            _fail("no_dialect", "cannot tell the dialect from sqlalchemy.url", "")
    try:
        dialect = sa.engine.make_url("%s://" % dialect_name).get_dialect()(paramstyle="named")
    except Exception as exc:
        _fail("no_dialect", "SQLAlchemy has no dialect '%s': %s" % (dialect_name, _last_line(exc)))

    settings = env_settings(cfg, script)
    # env.py usually configures logging; one "Context impl" line per revision is noise.
    import logging

    logging.getLogger("alembic").setLevel(logging.WARNING)

    try:
        scripts = list(script.walk_revisions("base", "heads"))
    except BaseException as exc:  # noqa: B902
        if isinstance(exc, KeyboardInterrupt):
            raise
        _fail("alembic_revisions", _last_line(exc), _tail(exc))

    revisions = []
    with EnvironmentContext(cfg, script, as_sql=True) as env:
        for sc in scripts:
            revisions.append(
                {
                    "revision": sc.revision,
                    "down_revisions": as_list(sc.down_revision),
                    "branch_labels": list(sc._orig_branch_labels or ()),
                    "depends_on": as_list(sc.dependencies),
                    "message": message_of(sc),
                    "create_date": create_date_of(sc),
                    "path": os.path.abspath(sc.path),
                    "upgrade": render(sc, "upgrade", dialect, env),
                    "downgrade": render(sc, "downgrade", dialect, env),
                }
            )

    main_options = {}
    for key in (
        "script_location",
        "version_locations",
        "recursive_version_locations",
        "file_template",
        "timezone",
        "truncate_slug_length",
        "path_separator",
        "version_path_separator",
    ):
        main_options[key] = cfg.get_main_option(key)
    locations = [os.path.abspath(p) for p in script._version_locations]
    _finish(
        {
            "ok": True,
            "dialect": dialect_name,
            "url": url,
            "options": main_options,
            "script_dir": os.path.abspath(script.dir),
            "version_locations": locations,
            "recursive_version_locations": bool(getattr(script, "recursive_version_locations", False)),
            "post_write_hooks": hook_names(cfg),
            "env": settings,
            "revisions": revisions,
        }
    )


try:
    main()
except SystemExit:
    raise
except BaseException as exc:  # noqa: B902
    _fail("alembic_import", _last_line(exc), _tail(exc))
