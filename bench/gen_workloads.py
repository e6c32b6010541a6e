#!/usr/bin/env python3
"""Writes the benchmark workloads (standard library only), each as an Alembic
project and an aludel project with the same revision ids, file-name order and SQL:

  <out>/w1000/    1,000 linear migrations, each creating one table; plus
                  raw_sqlite.sql (BEGIN; the 1,000 CREATE TABLEs; COMMIT;) and
                  raw_pg.sql (the same statements, for `psql -1 -f`)
  <out>/w10000/   10,000 revisions, a line with a branch-and-merge diamond every
                  50 revisions (one head), each creating one table, for heads,
                  history and offline `upgrade head --sql`

Alembic revisions run the SQL with `op.execute(...)`, so the three contenders (aludel,
Alembic, the raw client) send the same statements; what differs is each tool's own
work. Usage: gen_workloads.py OUT_DIR
"""

import hashlib
import os
import shutil
import sys

ENV_PY = '''\
# Benchmark environment: the URL comes from BENCH_URL (else sqlalchemy.url).
import os

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
url = os.environ.get("BENCH_URL") or config.get_main_option("sqlalchemy.url")

if context.is_offline_mode():
    context.configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = engine_from_config({"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
'''


def rev_id(workload: str, i: int) -> str:
    return hashlib.sha1(f"{workload}/{i}".encode()).hexdigest()[:12]


def table_sql(i: int) -> tuple[str, str]:
    up = (f"CREATE TABLE t{i:05d} (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, "
          f"created_at TIMESTAMP)")
    return up, f"DROP TABLE t{i:05d}"


def write(out: str, workload: str, revs: list[tuple[str, list[str], int]]) -> None:
    """revs: (id, down revisions, table number) in creation order."""
    base = os.path.join(out, workload)
    shutil.rmtree(base, ignore_errors=True)
    al = os.path.join(base, "alembic")
    ad = os.path.join(base, "aludel")
    os.makedirs(os.path.join(al, "migrations", "versions"))
    os.makedirs(os.path.join(ad, "migrations", "versions"))
    with open(os.path.join(al, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %(here)s/migrations\n"
                "sqlalchemy.url = sqlite:///%(here)s/bench.db\n")
    with open(os.path.join(al, "migrations", "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(ad, "aludel.toml"), "w") as f:
        f.write('[aludel]\nscript_location = "migrations"\ndatabase_url = "sqlite://bench.db"\n')
    for n, (rid, down, table) in enumerate(revs):
        # Names sort in creation order in both tools (load order = creation order).
        minute = n % 60
        hour = (n // 60) % 24
        day = n // 1440
        stem = f"2026{1 + day // 28:02d}{1 + day % 28:02d}_{hour:02d}{minute:02d}_{n:05d}_{rid}_create_t{table:05d}"
        up, down_sql = table_sql(table)
        msg = f"create t{table:05d}"
        revises = ", ".join(down)
        with open(os.path.join(al, "migrations", "versions", stem + ".py"), "w") as f:
            dr = "None" if not down else repr(down[0]) if len(down) == 1 else repr(tuple(down))
            f.write(
                f'"""{msg}\n\nRevision ID: {rid}\nRevises: {revises}\nCreate Date: 2026-01-01 00:00:00+00:00\n\n"""\n'
                "from alembic import op\n\n"
                f"revision = {rid!r}\ndown_revision = {dr}\nbranch_labels = None\ndepends_on = None\n\n\n"
                f"def upgrade():\n    op.execute({up!r})\n\n\n"
                f"def downgrade():\n    op.execute({down_sql!r})\n"
            )
        with open(os.path.join(ad, "migrations", "versions", stem + ".sql"), "w") as f:
            f.write(
                f"-- {msg}\n--\n-- Revision ID: {rid}\n-- Revises:{' ' + revises if revises else ''}\n"
                "-- Create Date: 2026-01-01 00:00:00+00:00\n\n"
                f"-- aludel:upgrade\n{up};\n\n-- aludel:downgrade\n{down_sql};\n"
            )


def linear(n: int, workload: str) -> list[tuple[str, list[str], int]]:
    revs = []
    for i in range(n):
        rid = rev_id(workload, i)
        revs.append((rid, [revs[-1][0]] if revs else [], i + 1))
    return revs


def branchy(n: int, workload: str) -> list[tuple[str, list[str], int]]:
    """A line; every 50 revisions the tip branches into two lines of 4 that merge."""
    revs: list[tuple[str, list[str], int]] = []
    i = 0

    def add(down):
        nonlocal i
        rid = rev_id(workload, i)
        i += 1
        revs.append((rid, down, i))
        return rid

    tip = add([])
    while i < n:
        if i % 50 == 0 and n - i >= 10:
            left = right = tip
            for _ in range(4):
                left = add([left])
            for _ in range(4):
                right = add([right])
            tip = add([left, right])
        else:
            tip = add([tip])
    return revs


def main() -> None:
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit(__doc__ + "\nUsage: gen_workloads.py OUT_DIR")
    out = sys.argv[1]
    w1 = linear(1000, "w1000")
    write(out, "w1000", w1)
    stmts = [table_sql(t)[0] + ";" for _, _, t in w1]
    with open(os.path.join(out, "w1000", "raw_sqlite.sql"), "w") as f:
        f.write("BEGIN;\n" + "\n".join(stmts) + "\nCOMMIT;\n")
    with open(os.path.join(out, "w1000", "raw_pg.sql"), "w") as f:
        f.write("\n".join(stmts) + "\n")
    write(out, "w10000", branchy(10000, "w10000"))


if __name__ == "__main__":
    main()
