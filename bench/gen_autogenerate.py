#!/usr/bin/env python3
"""Writes the autogenerate workload of bench/autogenerate.sh (standard library only).

One description of a 300-table schema (several column types, primary keys, foreign
keys between tables, indexes, unique constraints, checks, server defaults) and of 70
changes to it is written as DDL and as SQLAlchemy models, so both tools compare
the same thing:

  <out>/from.sql, <out>/to.sql      the schema before and after, as DDL (the same
                                    statements run on PostgreSQL and SQLite)
  <out>/expected.txt                the 70 changes, one key a line (see `keys` below)
  <out>/aludel/                     aludel project: a base revision whose upgrade is
                                    from.sql; schema.sql = to.sql (aludel.toml), or
                                    from.sql (aludel-from.toml: `check` finds nothing);
                                    aludel-models.toml: the desired schema is models.py
                                    (a copy of Alembic's), loaded with BENCH_PYTHON
  <out>/alembic/                    Alembic project: a base revision running from.sql's
                                    statements with op.execute; env.py whose
                                    target_metadata is models.py, the "to" schema as
                                    SQLAlchemy 2.x declarative models (explicit names
                                    for every constraint and index); models_from.py,
                                    the "from" schema; alembic_changes.py [MODULE],
                                    which prints compare_metadata's differences

The 70 changes, each on its own table: 10 added columns, 8 dropped columns, 8 type
changes, 8 nullability changes, 8 new indexes, 6 dropped indexes, 2 new unique
constraints, 8 new foreign keys, 4 dropped foreign keys, 5 new tables, 3 dropped
tables.

  gen_autogenerate.py OUT                 the 300-table workload
  gen_autogenerate.py --tables N OUT      the same with N tables (70 changes still)
  gen_autogenerate.py --wide N OUT        N tables only (OUT/from.sql and an aludel
                                          project whose base revisions, 500 tables
                                          each, and schema.sql are that schema)
  gen_autogenerate.py --keys TOOL FILE    reads a tool's list of changes (aludel's
                                          `--format json` document, the lines
                                          alembic_changes.py prints, or an Alembic
                                          revision file: alembic-revision) and prints one key
                                          a line, for comparison with expected.txt
  gen_autogenerate.py --compare TOOL FILE EXPECTED
                                          the same list against expected.txt, as JSON:
                                          {"found", "of", "missing", "unexpected"}
"""

import hashlib
import json
import os
import random
import re
import shutil
import sys
from dataclasses import dataclass, field, replace

TABLES = 300

# type key -> (SQL, SQLAlchemy type, Python annotation)
TYPES = {
    "int": ("INTEGER", "Integer()", "int"),
    "bigint": ("BIGINT", "BigInteger()", "int"),
    "text": ("TEXT", "Text()", "str"),
    "bool": ("BOOLEAN", "Boolean()", "bool"),
    "timestamp": ("TIMESTAMP", "TIMESTAMP()", "datetime.datetime"),
    "date": ("DATE", "Date()", "datetime.date"),
}


def type_info(t: str) -> tuple[str, str, str]:
    m = re.fullmatch(r"varchar\((\d+)\)", t)
    if m:
        return f"VARCHAR({m[1]})", f"String({m[1]})", "str"
    m = re.fullmatch(r"numeric\((\d+),(\d+)\)", t)
    if m:
        return f"NUMERIC({m[1]}, {m[2]})", f"Numeric({m[1]}, {m[2]})", "decimal.Decimal"
    return TYPES[t]


@dataclass
class Column:
    name: str
    type: str
    nullable: bool = True
    default: str | None = None


@dataclass
class ForeignKey:
    name: str
    column: str
    ref: str
    ondelete: str | None = None


@dataclass
class Table:
    name: str
    columns: list[Column]
    fks: list[ForeignKey] = field(default_factory=list)
    uniques: list[tuple[str, list[str]]] = field(default_factory=list)
    checks: list[tuple[str, str]] = field(default_factory=list)
    indexes: list[tuple[str, list[str], bool]] = field(default_factory=list)

    def col(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def tname(i: int) -> str:
    return f"t{i:03d}"


EXTRAS = [
    Column("note", "varchar(200)"),
    Column("score", "int"),
    Column("ratio", "numeric(8,3)"),
    Column("label", "varchar(60)"),
    Column("due_on", "date"),
    Column("counter", "bigint", False, "0"),
]


def base_schema(rng: random.Random, n: int) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for i in range(1, n + 1):
        t = tname(i)
        cols = [
            Column("id", "int", False),
            Column("code", "varchar(40)", False),
            Column("name", "varchar(100)", False),
            Column("description", "text"),
            Column("amount", "numeric(12,2)", False, "0"),
            Column("quantity", "int", False, "0"),
            Column("is_active", "bool", False, "TRUE"),
            Column("created_at", "timestamp", False, "CURRENT_TIMESTAMP"),
            Column("updated_at", "timestamp"),
            Column("owner_ref", "int"),
        ]
        cols += [replace(c) for c in rng.sample(EXTRAS, rng.randint(0, 3))]
        table = Table(t, cols)
        if i > 1:
            refs = rng.sample(range(1, i), min(i - 1, 1 if rng.random() < 0.6 else 2))
            for k, r in enumerate(sorted(refs)):
                c = f"{tname(r)}_id"
                nullable = k > 0
                table.columns.append(Column(c, "int", nullable))
                ondelete = rng.choice([None, "CASCADE", "SET NULL" if nullable else "RESTRICT"])
                table.fks.append(ForeignKey(f"fk_{t}_{tname(r)}", c, tname(r), ondelete))
                table.indexes.append((f"ix_{t}_{c}", [c], False))
        if i % 3 == 0:
            table.uniques.append((f"uq_{t}_code", ["code"]))
        if i % 4 == 0:
            table.checks.append((f"ck_{t}_amount", "amount >= 0"))
        if i % 6 == 1:
            table.checks.append((f"ck_{t}_quantity", "quantity BETWEEN 0 AND 1000000"))
        if i % 2 == 0:
            table.indexes.append((f"ix_{t}_name", ["name"], False))
        if i % 5 == 0:
            table.indexes.append((f"ix_{t}_active_created", ["is_active", "created_at"], False))
        if i % 7 == 0:
            table.indexes.append((f"uix_{t}_code_name", ["code", "name"], True))
        tables[t] = table
    return tables


def apply_changes(rng: random.Random, before: dict[str, Table]) -> tuple[dict[str, Table], list[str]]:
    """The "to" schema and the 70 change keys; each change on a table of its own."""
    after = {k: replace(t, columns=[replace(c) for c in t.columns], fks=list(t.fks),
                        uniques=list(t.uniques), checks=list(t.checks), indexes=list(t.indexes))
             for k, t in before.items()}
    referenced = {fk.ref for t in before.values() for fk in t.fks}
    order = list(before)
    rng.shuffle(order)
    used: set[str] = set()
    keys: list[str] = []

    def pick(ok=lambda t: True) -> Table:
        for name in order:
            if name not in used and ok(before[name]):
                used.add(name)
                return after[name]
        raise SystemExit("gen_autogenerate: not enough tables for the changes")

    dropped = []
    for _ in range(3):
        t = pick(lambda t: t.name not in referenced)
        dropped.append(t.name)
        keys.append(f"drop_table {t.name}")
    for n in range(10):
        t = pick()
        c = Column("extra_info", "varchar(120)") if n % 2 else Column("priority", "int", False, "0")
        t.columns.append(c)
        keys.append(f"add_column {t.name}.{c.name}")
    for _ in range(8):
        t = pick()
        t.columns.remove(t.col("description"))
        keys.append(f"drop_column {t.name}.description")
    for n in range(8):
        t = pick()
        c = t.col("name") if n % 2 else t.col("quantity")
        c.type = "varchar(200)" if n % 2 else "bigint"
        keys.append(f"alter_column {t.name}.{c.name}")
    for n in range(8):
        t = pick()
        c = t.col("name") if n % 2 else t.col("updated_at")
        c.nullable = not c.nullable
        keys.append(f"alter_column {t.name}.{c.name}")
    for n in range(8):
        t = pick()
        name = f"ix_{t.name}_updated_at" if n % 2 else f"ix_{t.name}_code_created"
        t.indexes.append((name, ["updated_at"] if n % 2 else ["code", "created_at"], False))
        keys.append(f"add_index {t.name}.{name}")
    for _ in range(6):
        t = pick(lambda t: any(ix[0] == f"ix_{t.name}_name" for ix in t.indexes))
        t.indexes = [ix for ix in t.indexes if ix[0] != f"ix_{t.name}_name"]
        keys.append(f"drop_index {t.name}.ix_{t.name}_name")
    for _ in range(2):
        t = pick(lambda t: not t.uniques)
        t.uniques.append((f"uq_{t.name}_name", ["name"]))
        keys.append(f"add_unique {t.name}.uq_{t.name}_name")
    for _ in range(8):
        t = pick(lambda t: int(t.name[1:]) > 10)
        ref = tname(rng.choice([i for i in range(1, int(t.name[1:])) if tname(i) not in dropped]))
        t.fks.append(ForeignKey(f"fk_{t.name}_owner_ref", "owner_ref", ref, "SET NULL"))
        keys.append(f"add_fk {t.name}.fk_{t.name}_owner_ref")
    for _ in range(4):
        t = pick(lambda t: bool(t.fks))
        fk = t.fks.pop()
        keys.append(f"drop_fk {t.name}.{fk.name}")
    for name in dropped:
        del after[name]
    live = [t for t in after if t not in used]
    for i in range(TABLES + 1, TABLES + 6):
        t = tname(i)
        ref = rng.choice(live)
        after[t] = Table(t, [
            Column("id", "int", False),
            Column("name", "varchar(100)", False),
            Column(f"{ref}_id", "int", False),
            Column("created_at", "timestamp", False, "CURRENT_TIMESTAMP"),
        ], fks=[ForeignKey(f"fk_{t}_{ref}", f"{ref}_id", ref, "CASCADE")])
        keys.append(f"add_table {t}")
    return after, sorted(keys)


# ---------------------------------------------------------------- rendering


def ddl(tables: dict[str, Table]) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements, referenced tables first."""
    out = []
    for t in tables.values():
        lines = []
        for c in t.columns:
            s = f"    {c.name} {type_info(c.type)[0]}"
            s += "" if c.nullable else " NOT NULL"
            s += f" DEFAULT {c.default}" if c.default is not None else ""
            lines.append(s)
        lines.append(f"    CONSTRAINT pk_{t.name} PRIMARY KEY (id)")
        for name, cols in t.uniques:
            lines.append(f"    CONSTRAINT {name} UNIQUE ({', '.join(cols)})")
        for name, expr in t.checks:
            lines.append(f"    CONSTRAINT {name} CHECK ({expr})")
        for fk in t.fks:
            s = f"    CONSTRAINT {fk.name} FOREIGN KEY ({fk.column}) REFERENCES {fk.ref} (id)"
            lines.append(s + (f" ON DELETE {fk.ondelete}" if fk.ondelete else ""))
        out.append(f"CREATE TABLE {t.name} (\n" + ",\n".join(lines) + "\n)")
        for name, cols, unique in t.indexes:
            out.append(f"CREATE {'UNIQUE ' if unique else ''}INDEX {name} ON {t.name} ({', '.join(cols)})")
    return out


def models(tables: dict[str, Table]) -> str:
    out = [
        '"""SQLAlchemy models of the autogenerate benchmark (written by bench/gen_autogenerate.py)."""',
        "import datetime",
        "import decimal",
        "",
        "from sqlalchemy import (TIMESTAMP, BigInteger, Boolean, CheckConstraint, Date, ForeignKeyConstraint,",
        "                        Index, Integer, Numeric, PrimaryKeyConstraint, String, Text,",
        "                        UniqueConstraint, text)",
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column",
        "",
        "",
        "class Base(DeclarativeBase):",
        "    pass",
    ]
    for t in tables.values():
        out += ["", "", f"class {t.name.upper()}(Base):", f"    __tablename__ = {t.name!r}",
                "    __table_args__ = ("]
        out.append(f"        PrimaryKeyConstraint('id', name='pk_{t.name}'),")
        for name, cols in t.uniques:
            out.append(f"        UniqueConstraint({', '.join(map(repr, cols))}, name={name!r}),")
        for name, expr in t.checks:
            out.append(f"        CheckConstraint({expr!r}, name={name!r}),")
        for fk in t.fks:
            od = f", ondelete={fk.ondelete!r}" if fk.ondelete else ""
            out.append(f"        ForeignKeyConstraint([{fk.column!r}], ['{fk.ref}.id'], name={fk.name!r}{od}),")
        for name, cols, unique in t.indexes:
            u = ", unique=True" if unique else ""
            out.append(f"        Index({name!r}, {', '.join(map(repr, cols))}{u}),")
        out.append("    )")
        for c in t.columns:
            _, sa, py = type_info(c.type)
            ann = f"{py} | None" if c.nullable else py
            args = [sa]
            if c.name == "id":
                args.append("autoincrement=False")
            args.append(f"nullable={c.nullable}")
            if c.default is not None:
                args.append(f"server_default=text({c.default!r})")
            out.append(f"    {c.name}: Mapped[{ann}] = mapped_column({', '.join(args)})")
    return "\n".join(out) + "\n"


def rev_id(what: str) -> str:
    return hashlib.sha1(what.encode()).hexdigest()[:12]


def aludel_project(base: str, revs: list[tuple[str, list[str], list[str]]], schema: list[str]) -> None:
    """revs: (id, upgrade statements, tables created) in order, each revising the last."""
    ad = os.path.join(base, "aludel")
    os.makedirs(os.path.join(ad, "migrations", "versions"))
    for name, path in (("aludel.toml", "schema.sql"), ("aludel-from.toml", "../from.sql")):
        with open(os.path.join(ad, name), "w") as f:
            f.write(f'[aludel]\nscript_location = "migrations"\n\n[autogenerate]\nschema = "{path}"\n')
    with open(os.path.join(ad, "schema.sql"), "w") as f:
        f.write(";\n\n".join(schema) + ";\n")
    down = ""
    for n, (rev, up, tables) in enumerate(revs):
        drops = "\n".join(f"DROP TABLE {t};" for t in reversed(tables))
        with open(os.path.join(ad, "migrations", "versions", f"{n:03d}_{rev}_base.sql"), "w") as f:
            f.write(f"-- base {n}\n--\n-- Revision ID: {rev}\n-- Revises:{' ' + down if down else ''}\n"
                    "-- Create Date: 2026-01-01 00:00:00+00:00\n\n-- aludel:upgrade\n"
                    + ";\n\n".join(up) + ";\n\n-- aludel:downgrade\n" + drops + "\n")
        down = rev


ENV_PY = '''\
"""Benchmark env.py: the URL comes from BENCH_URL; target_metadata is models.py."""
import os
import sys

from alembic import context
from sqlalchemy import engine_from_config, pool

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import models  # noqa: E402

config = context.config
url = os.environ.get("BENCH_URL") or config.get_main_option("sqlalchemy.url")
engine = engine_from_config({"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=models.Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
'''

MAKO = '''\
"""${message}

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
'''

# Prints a compare_metadata diff list as one line per change (read by --keys alembic).
ALEMBIC_CHANGES_PY = '''\
"""Prints the differences Alembic finds between BENCH_URL and models.py (or the
module named by the first argument), one a line."""
import importlib
import os
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
models = importlib.import_module(sys.argv[1] if len(sys.argv) > 1 else "models")

with create_engine(os.environ["BENCH_URL"]).connect() as conn:
    diffs = compare_metadata(MigrationContext.configure(conn), models.Base.metadata)


def one(d):
    kind = d[0]
    if kind in ("add_table", "remove_table"):
        return f"{kind} {d[1].name}"
    if kind in ("add_column", "remove_column"):
        return f"{kind} {d[2]}.{d[3].name}"
    if kind.startswith("modify_"):
        return f"{kind} {d[2]}.{d[3]}"
    if kind in ("add_index", "remove_index", "add_constraint", "remove_constraint",
                "add_fk", "remove_fk"):
        return f"{kind} {d[1].table.name}.{d[1].name}"
    return f"other {d!r}"


for d in diffs:
    print(" + ".join(one(x) for x in d) if isinstance(d, list) else one(d))
'''


def alembic_project(base: str, rev: str, up: list[str], tables: list[str], models_from: str,
                    models_to: str) -> None:
    al = os.path.join(base, "alembic")
    os.makedirs(os.path.join(al, "migrations", "versions"))
    with open(os.path.join(al, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %(here)s/migrations\n"
                "sqlalchemy.url = sqlite:///%(here)s/bench.db\n")
    with open(os.path.join(al, "migrations", "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(al, "migrations", "script.py.mako"), "w") as f:
        f.write(MAKO)
    for name, text in (("models.py", models_to), ("models_from.py", models_from)):
        with open(os.path.join(al, name), "w") as f:
            f.write(text)
    with open(os.path.join(al, "alembic_changes.py"), "w") as f:
        f.write(ALEMBIC_CHANGES_PY)
    body = "".join(f"    op.execute({s!r})\n" for s in up)
    drops = "".join(f"    op.execute('DROP TABLE {t}')\n" for t in reversed(tables))
    with open(os.path.join(al, "migrations", "versions", f"{rev}_base.py"), "w") as f:
        f.write(f'"""base\n\nRevision ID: {rev}\nRevises:\nCreate Date: 2026-01-01 00:00:00+00:00\n\n"""\n'
                f"from alembic import op\n\nrevision = {rev!r}\ndown_revision = None\n"
                "branch_labels = None\ndepends_on = None\n\n\n"
                f"def upgrade():\n{body}\n\ndef downgrade():\n{drops}")


def workload(out: str, tables: int = TABLES) -> None:
    rng = random.Random(20261210)
    before = base_schema(rng, tables)
    after, keys = apply_changes(rng, before)
    assert len(keys) == 70, len(keys)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    up, down = ddl(before), ddl(after)
    for name, stmts in (("from.sql", up), ("to.sql", down)):
        with open(os.path.join(out, name), "w") as f:
            f.write(";\n\n".join(stmts) + ";\n")
    with open(os.path.join(out, "expected.txt"), "w") as f:
        f.write("\n".join(keys) + "\n")
    rev = rev_id("autogenerate/base")
    aludel_project(out, [(rev, up, list(before))], down)
    alembic_project(out, rev, up, list(before), models(before), models(after))
    # The same "to" schema as the models Alembic compares with, for aludel's
    # `sqlalchemy:` source (the interpreter comes from BENCH_PYTHON).
    ad = os.path.join(out, "aludel")
    shutil.copy(os.path.join(out, "alembic", "models.py"), os.path.join(ad, "models.py"))
    with open(os.path.join(ad, "aludel-models.toml"), "w") as f:
        f.write('[aludel]\nscript_location = "migrations"\n\n[autogenerate]\n'
                'schema = "sqlalchemy:models:Base"\npython = "${BENCH_PYTHON}"\n')


def wide(n: int, out: str) -> None:
    """n tables in revisions of 500 (one PostgreSQL transaction cannot lock 5,000
    new tables with the default max_locks_per_transaction)."""
    tables = base_schema(random.Random(n), n)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    names = list(tables)
    revs = []
    for k in range(0, n, 500):
        part = {t: tables[t] for t in names[k:k + 500]}
        revs.append((rev_id(f"wide/{n}/{k}"), ddl(part), list(part)))
    stmts = [s for _, up, _ in revs for s in up]
    with open(os.path.join(out, "from.sql"), "w") as f:
        f.write(";\n\n".join(stmts) + ";\n")
    aludel_project(out, revs, stmts)


def keys(tool: str, path: str) -> list[str]:
    """A tool's changes as keys like expected.txt's; anything unrecognised as `other …`."""
    text = open(path).read()
    out = []
    if tool == "aludel":
        doc = json.loads(text)
        changes = doc.get("changes", doc.get("error", {}).get("changes", []))
        pats = [
            (r"add table (?:\w+\.)?(\w+)", "add_table {0}"),
            (r"drop table (?:\w+\.)?(\w+)", "drop_table {0}"),
            (r"add column (?:\w+\.)?(\w+)\.(\w+) \(.*\)", "add_column {0}.{1}"),
            (r"drop column (?:\w+\.)?(\w+)\.(\w+)", "drop_column {0}.{1}"),
            (r"change column (?:\w+\.)?(\w+)\.(\w+): .*", "alter_column {0}.{1}"),
            (r"add (?:unique )?index (\w+) on (?:\w+\.)?(\w+)", "add_index {1}.{0}"),
            (r"drop index (\w+) on (?:\w+\.)?(\w+)", "drop_index {1}.{0}"),
            (r"add unique constraint (\w+) on (?:\w+\.)?(\w+) \(.*\)", "add_unique {1}.{0}"),
            (r"add foreign key (\w+) on (?:\w+\.)?(\w+) \(.*", "add_fk {1}.{0}"),
            (r"drop foreign key (\w+) on (?:\w+\.)?(\w+)", "drop_fk {1}.{0}"),
        ]
        for c in changes:
            for pat, fmt in pats:
                m = re.fullmatch(pat, c)
                if m:
                    out.append(fmt.format(*m.groups()))
                    break
            else:
                out.append(f"other {c}")
    elif tool == "alembic-revision":
        body = text.split("def upgrade()", 1)[-1].split("def downgrade()", 1)[0]
        pats = [
            (r"op\.create_table\('(\w+)'", "add_table {0}"),
            (r"op\.drop_table\('(\w+)'", "drop_table {0}"),
            (r"op\.add_column\('(\w+)', sa\.Column\('(\w+)'", "add_column {0}.{1}"),
            (r"op\.drop_column\('(\w+)', '(\w+)'", "drop_column {0}.{1}"),
            (r"op\.alter_column\('(\w+)', '(\w+)'", "alter_column {0}.{1}"),
            (r"op\.create_index\((?:op\.f\()?'(\w+)'\)?, '(\w+)'", "add_index {1}.{0}"),
            (r"op\.drop_index\((?:op\.f\()?'(\w+)'\)?, table_name='(\w+)'", "drop_index {1}.{0}"),
            (r"op\.create_unique_constraint\((?:op\.f\()?'(\w+)'\)?, '(\w+)'", "add_unique {1}.{0}"),
            (r"op\.create_foreign_key\((?:op\.f\()?'(\w+)'\)?, '(\w+)'", "add_fk {1}.{0}"),
            (r"op\.drop_constraint\((?:op\.f\()?'(\w+)'\)?, '(\w+)', type_='foreignkey'", "drop_fk {1}.{0}"),
        ]
        calls = re.findall(r"^    op\..*$", body, re.M)
        dropped = {m[1] for c in calls for m in [re.match(r"    op\.drop_table\('(\w+)'", c)] if m}
        for c in calls:
            for pat, fmt in pats:
                m = re.match("    " + pat, c)
                if m:
                    key = fmt.format(*m.groups())
                    if not (key.startswith("drop_index ") and key.split()[1].split(".")[0] in dropped):
                        out.append(key)
                    break
            else:
                out.append(f"other {c.strip()}")
    else:
        names = {"remove_table": "drop_table", "remove_column": "drop_column",
                 "remove_index": "drop_index", "add_constraint": "add_unique",
                 "remove_fk": "drop_fk"}
        lines = text.splitlines()
        # Alembic lists a dropped table's indexes as drops of their own: one change here.
        dropped = {l.split()[1] for l in lines if l.startswith("remove_table ")}
        for line in lines:
            if line.startswith("remove_index ") and line.split()[1].split(".")[0] in dropped:
                continue
            parts = line.split(" + ")
            kinds = {p.split()[0] for p in parts}
            if all(k.startswith("modify_") for k in kinds) and len({p.split()[1] for p in parts}) == 1:
                out.append(f"alter_column {parts[0].split()[1]}")
            elif len(parts) == 1 and not line.startswith("other "):
                kind, what = line.split(" ", 1)
                out.append(f"{names.get(kind, kind)} {what}")
            else:
                out.append(f"other {line}")
    return sorted(out)


def compare(found: list[str], expected_path: str) -> dict:
    """How a tool's keys match the expected ones."""
    expected = open(expected_path).read().split("\n")
    expected = [e for e in expected if e]
    return {"found": len(set(found) & set(expected)), "of": len(expected),
            "missing": sorted(set(expected) - set(found)),
            "unexpected": sorted(set(found) - set(expected))}


def main() -> None:
    a = sys.argv[1:]
    if len(a) == 1 and not a[0].startswith("-"):
        workload(a[0])
    elif len(a) == 3 and a[0] == "--tables" and a[1].isdigit():
        workload(a[2], int(a[1]))
    elif len(a) == 3 and a[0] == "--wide" and a[1].isdigit():
        wide(int(a[1]), a[2])
    elif len(a) == 3 and a[0] == "--keys" and a[1] in ("aludel", "alembic", "alembic-revision"):
        print("\n".join(keys(a[1], a[2])))
    elif len(a) == 4 and a[0] == "--compare" and a[1] in ("aludel", "alembic", "alembic-revision"):
        print(json.dumps(compare(keys(a[1], a[2]), a[3])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
