"""aludel's model loader: the DDL of a project's SQLAlchemy / SQLModel models.

Shipped inside the aludel binary and run with the project's Python as
`python -c <this file> MODULE ATTR DIALECT [SERVER_VERSION]` (aludel puts the
project folder and
`[autogenerate] python_path` on sys.path). It imports MODULE, takes ATTR (a
dotted path; a declarative base, a SQLModel class, any object whose `.metadata`
is a MetaData, or a MetaData itself) and has SQLAlchemy compile, for DIALECT
(postgresql, mysql, mariadb, sqlite), every statement `metadata.create_all()`
would run on an empty database, in its order: enum types, sequences, tables,
constraints added after their tables (use_alter), indexes, comments.
SERVER_VERSION (what the database says, e.g. "10.11.6-MariaDB") makes the choices
SQLAlchemy takes from a server on first connect (MariaDB's native UUID and
sequences, MySQL 8's default functions) as a connection to that server would.

Protocol: one JSON document on standard output, nothing else there (what the
project's modules print goes to standard error).
  {"ok": true, "statements": [...], "sqlalchemy": "2.0.36"}      exit status 0
  {"ok": false, "error": KIND, ...}                                 exit status 3
KIND is sqlalchemy_missing, import_failed, attribute_missing, not_metadata or
compile_failed. Works with SQLAlchemy 1.4 and 2.x on Python 3.7 and later.
"""

import importlib
import inspect
import json
import os
import re
import sys
import traceback


class Problem(Exception):
    def __init__(self, kind, **fields):
        Exception.__init__(self, kind)
        self.doc = dict(ok=False, error=kind, **fields)


def exception_text(exc):
    """The last frames of the project's own code and the exception, as Python
    prints them, without the loader's and importlib's frames."""
    stdlib = os.path.dirname(os.path.realpath(os.__file__)) + os.sep
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not f.filename.startswith("<")
        and not os.path.realpath(f.filename).startswith(stdlib)
    ]
    lines = []
    for f in frames[-2:]:
        lines.append('  File "%s", line %s, in %s' % (f.filename, f.lineno, f.name))
        if f.line:
            lines.append("    " + f.line.strip())
    only = "".join(traceback.format_exception_only(type(exc), exc))
    lines.extend(line for line in only.rstrip("\n").split("\n"))
    return "\n".join(lines)


def project_sys_path():
    """The sys.path entries that can hold the project's code (not the
    interpreter's own library folders)."""
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix)}
    shown = []
    for entry in sys.path:
        path = os.path.realpath(entry or os.getcwd())
        if any(path == p or path.startswith(p + os.sep) for p in prefixes):
            continue
        if path not in shown:
            shown.append(path)
    return shown


def describe(obj, name):
    if inspect.ismodule(obj):
        return "%s is a module" % name
    if inspect.isclass(obj):
        return "%s is a class without a .metadata" % name
    if inspect.isfunction(obj) or inspect.ismethod(obj) or inspect.isbuiltin(obj):
        return "%s is a function" % name
    kind = type(obj)
    if kind.__module__ == "builtins":
        return "%s is a value of type %s" % (name, kind.__qualname__)
    return "%s is a value of type %s.%s" % (name, kind.__module__, kind.__qualname__)


def metadata_of(obj, MetaData, Table):
    if isinstance(obj, MetaData):
        return obj
    if isinstance(obj, Table):
        return None
    try:
        metadata = getattr(obj, "metadata", None)
    except Exception:
        return None
    return metadata if isinstance(metadata, MetaData) else None


def candidates(module, MetaData, Table):
    """Names in `module` that hold models: MetaData objects and classes that
    define `.metadata` themselves (a base, not every model below it)."""
    found = []
    for name, obj in sorted(vars(module).items()):
        if name.startswith("_") or inspect.ismodule(obj):
            continue
        if isinstance(obj, MetaData) or (
            inspect.isclass(obj)
            and "metadata" in vars(obj)
            and metadata_of(obj, MetaData, Table) is not None
        ):
            found.append(name)
    return found


def use_server_version(dialect, text):
    """What `dialect.initialize()` decides from the server's version, without a
    connection (SQLAlchemy 2.x has a method per vendor; 1.4 decides inline)."""
    numbers = re.findall(r"\d+", text)
    if not numbers:
        return
    info = tuple(int(n) for n in numbers[:3])
    dialect.server_version_info = info
    if dialect.name in ("mysql", "mariadb"):
        is_mariadb = "mariadb" in text.lower()
        if is_mariadb or not getattr(dialect, "is_mariadb", False):
            dialect._set_mariadb(is_mariadb, info)
        if not hasattr(dialect, "_casing"):
            dialect._casing = 0
        init = getattr(
            dialect, "_initialize_mariadb" if is_mariadb else "_initialize_mysql", None
        )
        if init is not None:
            init(None)
        else:
            dialect.supports_sequences = is_mariadb and info >= (10, 3)
    elif dialect.name == "postgresql":
        for name, since in (
            ("supports_smallserial", (9, 2)),
            ("supports_identity_columns", (10,)),
            ("supports_virtual_generated_columns", (18,)),
        ):
            if hasattr(dialect, name):
                setattr(dialect, name, info >= since)


def load(module_name, attr, dialect, server_version=""):
    try:
        import sqlalchemy
        from sqlalchemy import MetaData, Table, create_mock_engine
    except ImportError as exc:
        raise Problem(
            "sqlalchemy_missing",
            python=sys.executable,
            message=exception_text(exc),
        )
    try:
        module = importlib.import_module(module_name)
    except BaseException as exc:  # SystemExit and KeyboardInterrupt too: report them
        raise Problem(
            "import_failed",
            module=module_name,
            exception=exception_text(exc),
            sys_path=project_sys_path(),
        )
    obj = module
    path = module_name
    for part in attr.split("."):
        try:
            missing = not hasattr(obj, part)
            if not missing:
                obj = getattr(obj, part)
        except Exception as exc:
            raise Problem(
                "import_failed",
                module=module_name,
                exception=exception_text(exc),
                sys_path=project_sys_path(),
            )
        if missing:
            raise Problem(
                "attribute_missing",
                message="%s has no attribute %s" % (path, part),
                candidates=candidates(module, MetaData, Table),
            )
        path = path + "." + part
    metadata = metadata_of(obj, MetaData, Table)
    if metadata is None:
        what = describe(obj, path)
        if isinstance(obj, Table):
            what = "%s is a Table" % path
        raise Problem(
            "not_metadata",
            message=what + ", not a declarative base, a SQLModel class or a MetaData",
            candidates=candidates(module, MetaData, Table),
        )

    statements = []

    def executor(element, *multiparams, **params):
        text = str(element.compile(dialect=engine.dialect)).strip()
        if text:
            statements.append(text)

    try:
        engine = create_mock_engine(dialect + "://", executor)
        if server_version:
            use_server_version(engine.dialect, server_version)
        metadata.create_all(engine, checkfirst=False)
    except Exception as exc:
        # SQLAlchemy's own frames say nothing to the project: the exception only.
        only = "".join(traceback.format_exception_only(type(exc), exc))
        raise Problem("compile_failed", exception=only.strip())
    return dict(ok=True, statements=statements, sqlalchemy=sqlalchemy.__version__)


def main(argv):
    out = sys.stdout
    sys.stdout = sys.stderr
    try:
        doc = load(*argv)
    except Problem as problem:
        doc = problem.doc
    out.write(json.dumps(doc))
    out.flush()
    return 0 if doc["ok"] else 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
