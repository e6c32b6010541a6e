#!/usr/bin/env python3
"""Builds the benchmark table from hyperfine's JSON results (bench/run.sh calls it).

Usage: bench_report.py RESULTS_DIR OUT.md --aludel BIN --pgbin DIR --runs H/L --missing k=v,...
       bench_report.py --seed RESULTS_DIR OUT.md --aludel BIN --pgbin DIR --runs N --mariadb VERSION
                       (bench/seed.sh: rewrites only the seed section of OUT.md)

Each mode keeps the other's section of OUT.md as it is.
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


def split_seed(text: str) -> tuple[str, str]:
    """(the page without the seed section, the seed section or "")."""
    start = text.find(SEED_HEADING)
    if start < 0:
        return text, ""
    end = text.find("\n## ", start + len(SEED_HEADING))
    end = len(text) if end < 0 else end + 1
    return text[:start] + text[end:], text[start:end]


def with_seed(page: str, seed: str) -> str:
    """Puts the seed section before "## Machine and versions" (or at the end)."""
    if not seed:
        return page
    at = page.find("## Machine and versions")
    if at < 0:
        return page.rstrip("\n") + "\n\n" + seed
    return page[:at] + seed.rstrip("\n") + "\n\n" + page[at:]


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
    section = "\n".join(lines)
    old = open(a.out).read() if os.path.exists(a.out) else "# Benchmarks\n"
    page, _ = split_seed(old)
    with open(a.out, "w") as f:
        f.write(with_seed(page, section))
    print("\n".join(table))
    print(f"\nwritten: {a.out}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--seed":
        ap = argparse.ArgumentParser()
        ap.add_argument("--seed", action="store_true")
        ap.add_argument("results")
        ap.add_argument("out")
        ap.add_argument("--aludel", required=True)
        ap.add_argument("--pgbin", required=True)
        ap.add_argument("--runs", required=True)
        ap.add_argument("--mariadb", default="")
        seed_report(ap.parse_args())
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("out")
    ap.add_argument("--aludel", required=True)
    ap.add_argument("--pgbin", required=True)
    ap.add_argument("--runs", required=True)
    ap.add_argument("--missing", required=True)
    a = ap.parse_args()
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
    _, seed = split_seed(open(a.out).read()) if os.path.exists(a.out) else ("", "")
    with open(a.out, "w") as f:
        f.write(with_seed(text, seed))
    print("\n".join(table))
    print(f"\nwritten: {a.out}")


if __name__ == "__main__":
    main()
