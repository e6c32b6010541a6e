#!/usr/bin/env python3
"""Builds the benchmark table from hyperfine's JSON results (bench/run.sh calls it).

Usage: bench_report.py RESULTS_DIR OUT.md --aludel BIN --pgbin DIR --runs H/L --missing k=v,...
       bench_report.py --seed RESULTS_DIR OUT.md --aludel BIN --pgbin DIR --runs N --mariadb VERSION
                       (bench/seed.sh: rewrites only the seed section of OUT.md)
       bench_report.py --autogenerate RESULTS_DIR OUT.md --aludel BIN --pg-version V --where TEXT
                       (bench/autogenerate.sh: rewrites only the autogenerate section; run
                       with the virtualenv's Python, which has Alembic)

Each mode keeps the others' sections of OUT.md as they are.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

# (label, aludel id, Alembic id, raw-client id, aludel feature needed)
ROWS = [
    ("SQLite: `upgrade head`, 1,000 migrations", "sqlite_upgrade_aludel", "sqlite_upgrade_alembic",
     "sqlite_upgrade_raw", ["upgrade"]),
    ("SQLite: `upgrade head`, 1,000 migrations, one transaction (`transaction_per_migration = false`)",
     "sqlite_upgrade_aludel_one", "sqlite_upgrade_alembic", "sqlite_upgrade_raw", ["upgrade"]),
    ("SQLite: `downgrade base`, 1,000 migrations", "sqlite_downgrade_aludel", "sqlite_downgrade_alembic",
     None, ["upgrade", "downgrade"]),
    ("SQLite: `current`, up to date (1,000 revisions)", "sqlite_current_aludel", "sqlite_current_alembic",
     None, ["upgrade", "current"]),
    ("PostgreSQL: `upgrade head`, 1,000 migrations", "pg_upgrade_aludel", "pg_upgrade_alembic",
     "pg_upgrade_raw", ["upgrade"]),
    ("PostgreSQL: `upgrade head`, 1,000 migrations, one transaction (`transaction_per_migration = false`)",
     "pg_upgrade_aludel_one", "pg_upgrade_alembic", "pg_upgrade_raw", ["upgrade"]),
    ("PostgreSQL: `downgrade base`, 1,000 migrations", "pg_downgrade_aludel", "pg_downgrade_alembic",
     None, ["upgrade", "downgrade"]),
    ("PostgreSQL: `current`, up to date (1,000 revisions)", "pg_current_aludel", "pg_current_alembic",
     None, ["upgrade", "current"]),
    ("`heads`, 10,000 revision files", "heads_aludel", "heads_alembic", None, []),
    ("`history`, 10,000 revision files", "history_aludel", "history_alembic", None, []),
    ("offline `upgrade head --sql` (PostgreSQL), 10,000 revisions", "offline_aludel", "offline_alembic",
     None, ["upgrade", "sql"]),
]


def cmd(*args) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def median(results: str, rid: str | None):
    if not rid:
        return None
    path = os.path.join(results, rid + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        r = json.load(f)["results"][0]
    return r["median"], len(r["times"])


def fmt(t) -> str:
    if t is None:
        return "—"
    s = t[0]
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def ratio(a, b) -> str:
    if a is None or b is None:
        return "—"
    r = a[0] / b[0]
    if r < 1:
        return f"{r:.3f} ({1 / r:.1f}× faster)"
    return f"{r:.2f} ({r:.1f}× slower)"


def machine() -> list[str]:
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1]
        mem = f"{int(mem) / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        mem = "?"
    osname = "?"
    try:
        osname = next(l for l in open("/etc/os-release") if l.startswith("PRETTY_NAME")).split("=", 1)[1].strip().strip('"')
    except (OSError, StopIteration):
        pass
    return [
        f"CPU: {model}, {os.cpu_count()} cores (shared with other work; load average at the end "
        f"{os.getloadavg()[0]:.2f})",
        f"Memory: {mem}; OS: {osname}, Linux {platform.release()}",
    ]


SEED_HEADING = "## One revision of 100,000 statements"
AUTOGEN_HEADING = "## Autogenerate and check: 300 tables, 70 changes"
# Sections written by their own scripts, kept as they are by the others.
OWN_SECTIONS = [SEED_HEADING, AUTOGEN_HEADING]


def split_section(text: str, heading: str) -> tuple[str, str]:
    """(the page without the section under `heading`, that section or "")."""
    start = text.find(heading)
    if start < 0:
        return text, ""
    end = text.find("\n## ", start + len(heading))
    end = len(text) if end < 0 else end + 1
    return text[:start] + text[end:], text[start:end]


def with_section(page: str, section: str) -> str:
    """Puts a section before "## Machine and versions" (or at the end)."""
    if not section:
        return page
    at = page.find("## Machine and versions")
    if at < 0:
        return page.rstrip("\n") + "\n\n" + section
    return page[:at] + section.rstrip("\n") + "\n\n" + page[at:]


def replace_section(out: str, heading: str, section: str) -> None:
    """Rewrites the section `heading` of the page `out`, the rest kept."""
    old = open(out).read() if os.path.exists(out) else "# Benchmarks\n"
    page, _ = split_section(old, heading)
    with open(out, "w") as f:
        f.write(with_section(page, section))


def seed_report(a) -> None:
    rows = [
        ("SQLite", "seed_sqlite_aludel", "seed_sqlite_raw",
         "`sqlite3 db < script` (`BEGIN`/`COMMIT` around the statements)"),
        ("PostgreSQL", "seed_pg_aludel", "seed_pg_raw", "`psql -1 -f script`"),
        ("MariaDB", "seed_mysql_aludel", "seed_mysql_raw",
         "`mariadb db < script` (`START TRANSACTION`/`COMMIT` around the statements)"),
    ]
    table = ["| database | aludel `upgrade head` | raw client | aludel ÷ raw | raw client command |",
             "|---|---:|---:|---:|---|"]
    for name, ad, raw, how in rows:
        tad, traw = median(a.results, ad), median(a.results, raw)
        if tad is None and traw is None:
            table.append(f"| {name} | not measured | not measured | — | {how} |")
            continue
        table.append(f"| {name} | {fmt(tad)} | {fmt(traw)} | {ratio(tad, traw)} | {how} |")
    scale = []
    for n in (5000, 10000, 20000, 40000, 100000):
        path = os.path.join(a.results, f"scale_{n}.json")
        if os.path.exists(path):
            with open(path) as f:
                scale.append(f"{n:,} INSERTs: {fmt((json.load(f)['seconds'], 1))}")
    commit = cmd("git", "-C", os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                 "rev-parse", "--short", "HEAD")
    pg_version = cmd(os.path.join(a.pgbin, "postgres"), "--version")
    lines = [
        SEED_HEADING,
        "",
        f"Measured {datetime.date.today().isoformat()} by `bench/seed.sh` (MariaDB when "
        "`BENCH_MYSQL_URL` names a server). One revision file holding `CREATE TABLE seed` and "
        "100,000 one-row `INSERT`s (19 MB, `bench/gen_workloads.py`), as seed-data migrations are "
        "written; the raw client runs the same statements in one transaction. "
        + ("One run" if a.runs == "1" else f"Medians of {a.runs} runs")
        + " of each command, each from an empty database; SQLite and PostgreSQL on tmpfs as "
        "above; MariaDB is the server `BENCH_MYSQL_URL` names, as it is configured (not on tmpfs).",
        "",
        *table,
        "",
        "aludel runs the revision in one transaction on SQLite and PostgreSQL, sending the "
        "statements in pieces of bounded size (one round trip for a small step). On MariaDB, "
        "where DDL commits by itself, it runs statement by statement, recording its progress in "
        "`aludel_history` after each one so that an interrupted run resumes where it stopped.",
        "",
        "How aludel's time grows with the statement count (SQLite, one run each): "
        + ("; ".join(scale) if scale else "not measured") + ".",
        "",
        f"Machine: {machine()[0]}; {machine()[1]}. {cmd(a.aludel, '--version')} "
        f"(release build), commit {commit}; SQLite CLI "
        f"{cmd('sqlite3', '--version').split()[0] if cmd('sqlite3', '--version') else '?'}; "
        f"{pg_version}" + (f"; MariaDB {a.mariadb}" if a.mariadb else "") + ".",
        "",
    ]
    replace_section(a.out, SEED_HEADING, "\n".join(lines))
    print("\n".join(table))
    print(f"\nwritten: {a.out}")


def autogen_report(a) -> None:
    """The autogenerate section, from bench/autogenerate.sh's results."""
    def load(name):
        path = os.path.join(a.results, name + ".json")
        return json.load(open(path)) if os.path.exists(path) else None

    def found(d, tool, what):
        v = (load(f"{d}_found") or {}).get(f"{tool}_{what}")
        if v is None:
            return "not measured"
        if v.get("error"):
            return "error (see below)"
        return f"{v['found']}/{v['of']}" + (f" (+{len(v['unexpected'])} unexpected)" if v["unexpected"] else "")

    table = ["| workload | aludel | Alembic | aludel ÷ Alembic | changes found: aludel | Alembic |",
             "|---|---:|---:|---:|---:|---:|"]
    notes = []
    for d, name in (("postgresql", "PostgreSQL"), ("sqlite", "SQLite")):
        for what, label in (("check", "`check`"), ("revision", "`revision --autogenerate`")):
            t = load(f"{d}_{what}")
            if t is None:
                table.append(f"| {name}: {label} | not measured | | | | |")
                continue
            ad, al = t["commands"][0]["median"], t["commands"][1]["median"]
            r = t["ratio_median"]
            shown = f"{r:.3f} ({1 / r:.1f}× faster)" if r < 1 else f"{r:.2f} ({r:.1f}× slower)"
            table.append(f"| {name}: {label} | {fmt((ad, 0))} | {fmt((al, 0))} | {shown} | "
                         f"{found(d, 'aludel', what)} | {found(d, 'alembic', what)} |")
        t = load(f"{d}_models_revision")
        if t is not None:
            ad, al = t["commands"][0]["median"], t["commands"][1]["median"]
            r = t["ratio_median"]
            shown = f"{r:.3f} ({1 / r:.1f}× faster)" if r < 1 else f"{r:.2f} ({r:.1f}× slower)"
            table.append(f"| {name}: `revision --autogenerate`, 100 SQLAlchemy models | "
                         f"{fmt((ad, 0))} | {fmt((al, 0))} | {shown} | "
                         f"{found(d + '_models', 'aludel', 'revision')} | "
                         f"{found(d + '_models', 'alembic', 'revision')} |")
        for key, v in [*sorted((load(f"{d}_found") or {}).items()),
                       *(("models " + k, v) for k, v in sorted((load(f"{d}_models_found") or {}).items()))]:
            if v.get("error") or v.get("missing") or v.get("unexpected"):
                notes.append(f"- {name}, {key.replace('_', ' ')}: "
                             + (f"error: `{v['error']}`" if v.get("error") else
                                f"missing {v['missing']}, unexpected {v['unexpected']}"))
    runs = len((load("postgresql_check") or load("sqlite_check") or {"commands": [{"times": []}]})
               ["commands"][0]["times"])
    wide = load("wide_describe")
    wide_check = load("wide_check")
    wide_text = open(os.path.join(a.results, "wide_describe.txt")).read().strip() \
        if os.path.exists(os.path.join(a.results, "wide_describe.txt")) else "not measured"
    commit = cmd("git", "-C", os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                 "rev-parse", "--short", "HEAD")
    import alembic
    import sqlalchemy
    lines = [
        AUTOGEN_HEADING,
        "",
        f"Measured {datetime.date.today().isoformat()} by `bench/autogenerate.sh`. A 300-table "
        "schema (`bench/gen_autogenerate.py`: integer, bigint, varchar, text, numeric, boolean, "
        "timestamp and date columns, server defaults, named primary keys, 1–2 foreign keys a table "
        "with their indexes, unique constraints, checks, composite and unique indexes) and the "
        "same schema with 70 changes, each on its own table: 10 added columns, 8 dropped columns, "
        "8 type changes, 8 nullability changes, 8 new and 6 dropped indexes, 2 new unique "
        "constraints, 8 new and 4 dropped foreign keys, 5 new and 3 dropped tables. One "
        "description is written as DDL (aludel's `schema.sql`) and as SQLAlchemy 2.x models "
        "(Alembic's `target_metadata`). Each tool has its own database at the head of its own "
        "base revision holding the 300-table DDL (`upgrade head`). Alembic runs its defaults "
        "(`compare_type` on, server defaults not compared); aludel compares defaults and checks "
        "too, and loads `schema.sql` into a shadow database (PostgreSQL: a temporary database; "
        "SQLite: in memory); `revision --autogenerate` (and `check --sql`) then verifies the "
        "downgrade and the upgrade on that shadow database before writing, plain `check` "
        "compares only. The \"100 SQLAlchemy models\" rows: the same generator with 100 tables "
        "(`--tables 100`, 70 changes), the desired schema taken by both tools from one "
        "`models.py` (aludel: `schema = \"sqlalchemy:models:Base\"`, loaded with the same "
        "virtualenv's Python, which also compiles the DDL). There both tools spend most of their "
        "time in Python importing SQLAlchemy and mapping the 100 models (about 0.85 s here, "
        "`python -c 'import models'`).",
        "",
        f"Medians of {runs} runs of each command, run in turn (aludel, Alembic, aludel, …) after "
        "one warm-up pair; the ratio is the median of the pairs' ratios. A `revision "
        "--autogenerate` run's file is removed after it. \"Changes found\" compares each tool's "
        "list (aludel's `--format json` changes; Alembic's `compare_metadata`, a dropped table's "
        "indexes folded into its drop) with the 70 expected, by table and name; both tools "
        "first find nothing between the database and the \"from\" schema (aludel `check` "
        "against `from.sql`, Alembic against the \"from\" models). " + a.where,
        "",
        *table,
        "",
    ]
    if notes:
        lines += ["Differences from the 70 expected:", "", *notes, ""]
    wide_line = (f"Introspection of a 5,000-table PostgreSQL database (`bench/gen_autogenerate.py "
                 f"--wide 5000`: {wide_text}): the `describe` example (`cargo run --release -p "
                 "aludel --example describe -- URL`, the catalog reads of `check`, one query per "
                 "object kind) took ")
    wide_line += (f"{fmt((wide['commands'][0]['median'], 0))} as a whole process (median of "
                  f"{len(wide['commands'][0]['times'])})" if wide else "—")
    if wide_check:
        wide_line += (f"; a whole `aludel check` with `schema.sql` equal to the database, which "
                      f"also loads the 5,000 tables into a shadow database, took "
                      f"{fmt((wide_check['commands'][0]['median'], 0))} "
                      f"({len(wide_check['commands'][0]['times'])} run)")
    lines += [wide_line + ".", "",
              f"Machine: {machine()[0]}; {machine()[1]}. {cmd(a.aludel, '--version')} (release "
              f"build), commit {commit}; Alembic {alembic.__version__}, SQLAlchemy "
              f"{sqlalchemy.__version__}, psycopg2 {__import__('psycopg2').__version__.split()[0]}, "
              f"Python {sys.version.split()[0]}; PostgreSQL {a.pg_version}; SQLite "
              f"{__import__('sqlite3').sqlite_version} (Python's, for Alembic).", ""]
    replace_section(a.out, AUTOGEN_HEADING, "\n".join(lines))
    print("\n".join(table + [""] + notes + ["", wide_line]))
    print(f"\nwritten: {a.out}")


def mode_args(flag: str | None, required: list[str], optional: list[str] = ()) -> argparse.Namespace:
    """The arguments of one mode: RESULTS OUT, then its options."""
    ap = argparse.ArgumentParser()
    if flag:
        ap.add_argument(flag, action="store_true")
    ap.add_argument("results")
    ap.add_argument("out")
    for name in required:
        ap.add_argument(name, required=True)
    for name in optional:
        ap.add_argument(name, default="")
    return ap.parse_args()


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "--seed":
        seed_report(mode_args(mode, ["--aludel", "--pgbin", "--runs"], ["--mariadb"]))
        return
    if mode == "--autogenerate":
        autogen_report(mode_args(mode, ["--aludel", "--pg-version", "--where"]))
        return
    a = mode_args(None, ["--aludel", "--pgbin", "--runs", "--missing"])
    have = {k: v == "1" for k, v in (kv.split("=") for kv in a.missing.split(","))}

    import alembic
    import sqlalchemy

    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    commit = cmd("git", "-C", repo, "rev-parse", "--short", "HEAD")
    table = ["| workload | aludel | Alembic | raw client | aludel ÷ Alembic | aludel ÷ raw |",
             "|---|---:|---:|---:|---:|---:|"]
    missing = []
    for label, ad, al, raw, needs in ROWS:
        tad, tal, traw = median(a.results, ad), median(a.results, al), median(a.results, raw)
        lacking = [n for n in needs if not have.get(n, False)]
        if lacking:
            shown = "not yet available"
            missing.append((label, lacking))
        else:
            shown = fmt(tad)
        raw_shown = fmt(traw) if raw else "n/a"
        table.append(f"| {label} | {shown} | {fmt(tal)} | {raw_shown} | {ratio(tad, tal)} | "
                     f"{ratio(tad, traw) if raw else 'n/a'} |")

    heavy, light = a.runs.split("/")
    pg_version = cmd(os.path.join(a.pgbin, "postgres"), "--version")
    lines = [
        "# Benchmarks: aludel against Alembic",
        "",
        f"Measured {datetime.date.today().isoformat()} by `bench/run.sh` (re-run it to refresh this page; "
        "rows marked \"not yet available\" fill in once aludel has the command).",
        "",
        "Medians of wall-clock time measured with hyperfine; every run of a command that changes the "
        "database starts from a reset database (`--prepare`: a new SQLite file, or a new PostgreSQL "
        "database, copied from a template holding the upgraded state for `downgrade`). "
        f"{heavy} runs for upgrades, downgrades and offline output, {light} runs (after 2 warm-up runs) "
        "for `current`, `heads` and `history`.",
        "",
        "**The databases were on tmpfs** (`/dev/shm`): the SQLite files, and the data folder of a "
        "throw-away PostgreSQL server started with `fsync=off`, `synchronous_commit=off`, "
        "`full_page_writes=off`, on the loopback interface. Disk speed is therefore out of the "
        "figures: they measure the tools and the database engines.",
        "",
        table[0], table[1], *table[2:],
        "",
        "A ratio below 1 means aludel took less time. Workloads (`bench/gen_workloads.py`): 1,000 "
        "linear migrations, each creating one table (the same `CREATE TABLE` statement in the aludel "
        "`.sql` file, in the Alembic revision as `op.execute(...)`, and in the raw client's script, "
        "which applies all 1,000 in one transaction: `sqlite3 db < script` with `BEGIN`/`COMMIT`, "
        "`psql -1 -f script`); 10,000 revisions in a line with a branch-and-merge diamond every "
        "50 revisions, for `heads`, `history` and offline `upgrade head --sql`. Each tool uses its "
        "defaults: Alembic's generic `env.py` (one transaction for the whole run on PostgreSQL, "
        "one per step on SQLite), aludel's transaction per migration (each step commits with its "
        "version-table change and its `aludel_history` row). The rows marked \"one transaction\" run "
        "aludel with `transaction_per_migration = false`, the raw client's shape; the Alembic column "
        "repeats Alembic's default run there.",
        "",
        "## Machine and versions",
        "",
        *[f"- {m}" for m in machine()],
        f"- aludel: {cmd(a.aludel, '--version')} (release build), commit {commit}",
        f"- Alembic {alembic.__version__}, SQLAlchemy {sqlalchemy.__version__}, psycopg2 "
        f"{__import__('psycopg2').__version__.split()[0]}, Python {sys.version.split()[0]}",
        f"- SQLite CLI {cmd('sqlite3', '--version').split()[0] if cmd('sqlite3', '--version') else '?'}; "
        f"{pg_version}; {cmd('hyperfine', '--version')}",
    ]
    if missing:
        lines += ["", "## Not yet available", ""]
        for label, lacking in missing:
            lines.append(f"- {label}: aludel has no `{'`, `'.join('--sql' if n == 'sql' else n for n in lacking)}` "
                         "command yet (detected with `aludel <command> --help`).")
    text = "\n".join(lines) + "\n"
    old = open(a.out).read() if os.path.exists(a.out) else ""
    for heading in OWN_SECTIONS:
        text = with_section(text, split_section(old, heading)[1])
    with open(a.out, "w") as f:
        f.write(text)
    print("\n".join(table))
    print(f"\nwritten: {a.out}")


if __name__ == "__main__":
    main()
