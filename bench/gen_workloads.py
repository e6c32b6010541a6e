#!/usr/bin/env python3
"""Writes the benchmark workloads (standard library only), each as an Alembic
project and an aludel project with the same revision ids, file-name order and SQL:

  <out>/w1000/    1,000 linear migrations, each creating one table; plus
                  raw_sqlite.sql (BEGIN; the 1,000 CREATE TABLEs; COMMIT;) and
                  raw_pg.sql (the same statements, for `psql -1 -f`)
  <out>/w10000/   10,000 revisions, a line with a branch-and-merge diamond every
                  50 revisions (one head), each creating one table, for heads,
                  history and offline `upgrade head --sql`
  <out>/seed100000/  one aludel revision of 100,001 statements (CREATE TABLE seed,
                  then 100,000 INSERTs of one row each, as seed-data migrations
                  are written), and the same statements for the raw clients:
                  raw_sqlite.sql (in BEGIN/COMMIT), raw_pg.sql (for `psql -1 -f`),
                  raw_mysql.sql (for `mariadb <`, in START TRANSACTION/COMMIT)

Alembic revisions run the SQL with `op.execute(...)`, so the three contenders (aludel,
Alembic, the raw client) send the same statements; what differs is each tool's own
work. Usage: gen_workloads.py OUT_DIR [--seed N ...]

--seed N writes <out>/seedN/ with N INSERTs instead of (or besides) 100,000; with
--seed, only the seed workloads are written (for scaling measurements).
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


def seed_sql(n: int) -> list[str]:
    """CREATE TABLE seed, then n single-row INSERTs of about 200 bytes each."""
    stmts = ["CREATE TABLE seed (id INTEGER PRIMARY KEY, code VARCHAR(40) NOT NULL, "
             "name VARCHAR(100) NOT NULL, email VARCHAR(100) NOT NULL, note VARCHAR(200))"]
    for i in range(1, n + 1):
        stmts.append(
            f"INSERT INTO seed (id, code, name, email, note) VALUES ({i}, 'C{i:08d}', "
            f"'Customer number {i}', 'customer{i}@example.com', "
            f"'seed row {i} of {n}, imported from the legacy system')")
    return stmts


def write_seed(out: str, n: int) -> None:
    base = os.path.join(out, f"seed{n}")
    shutil.rmtree(base, ignore_errors=True)
    ad = os.path.join(base, "aludel")
    os.makedirs(os.path.join(ad, "migrations", "versions"))
    with open(os.path.join(ad, "aludel.toml"), "w") as f:
        f.write('[aludel]\nscript_location = "migrations"\ndatabase_url = "sqlite://bench.db"\n')
    stmts = [s + ";" for s in seed_sql(n)]
    rid = rev_id("seed", n)
    with open(os.path.join(ad, "migrations", "versions", f"20260101_0000_{rid}_seed.sql"), "w") as f:
        f.write(f"-- seed {n} rows\n--\n-- Revision ID: {rid}\n-- Revises:\n"
                "-- Create Date: 2026-01-01 00:00:00+00:00\n\n-- aludel:upgrade\n")
        f.write("\n".join(stmts))
        f.write("\n\n-- aludel:downgrade\nDROP TABLE seed;\n")
    body = "\n".join(stmts) + "\n"
    with open(os.path.join(base, "raw_sqlite.sql"), "w") as f:
        f.write("BEGIN;\n" + body + "COMMIT;\n")
    with open(os.path.join(base, "raw_pg.sql"), "w") as f:
        f.write(body)
    with open(os.path.join(base, "raw_mysql.sql"), "w") as f:
        f.write("START TRANSACTION;\n" + body + "COMMIT;\n")


def main() -> None:
    args = sys.argv[1:]
    if not args or args[0].startswith("-") or len(args) % 2 != 1 or any(
            a != "--seed" or not n.isdigit() for a, n in zip(args[1::2], args[2::2])):
        sys.exit(__doc__)
    out = args[0]
    seeds = [int(n) for n in args[2::2]]
    if seeds:
        for n in seeds:
            write_seed(out, n)
        return
    w1 = linear(1000, "w1000")
    write(out, "w1000", w1)
    stmts = [table_sql(t)[0] + ";" for _, _, t in w1]
    with open(os.path.join(out, "w1000", "raw_sqlite.sql"), "w") as f:
        f.write("BEGIN;\n" + "\n".join(stmts) + "\nCOMMIT;\n")
    with open(os.path.join(out, "w1000", "raw_pg.sql"), "w") as f:
        f.write("\n".join(stmts) + "\n")
    write(out, "w10000", branchy(10000, "w10000"))
    write_seed(out, 100000)


if __name__ == "__main__":
    main()
