#!/usr/bin/env bash
# Whole-command benchmark: aludel against Alembic (and the raw database client).
#
#   bench/run.sh            all measurements, writes bench/BENCHMARKS.md
#   bench/run.sh --quick    fewer runs (a smoke test of the script)
#   bench/seed.sh           one revision of 100,000 statements against the raw clients
#                           (its own section of BENCHMARKS.md, kept by run.sh)
#
# Installs what it needs (hyperfine, the sqlite3 CLI, PostgreSQL server binaries,
# a virtualenv with Alembic under bench/.venv), builds aludel in release, generates
# the workloads under bench/work/ (see gen_workloads.py), and measures on tmpfs
# (/dev/shm) databases: a SQLite file, and a throw-away PostgreSQL server with
# fsync off. Every measurement of a command that changes the database starts from
# a reset database (hyperfine --prepare). Commands this aludel does not have yet
# (`upgrade`, `downgrade`, `current`, `--sql`) are reported as "not yet
# available"; re-run the script once they exist to fill the rows in.
set -euo pipefail

BENCH="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$BENCH")"
WORK="$BENCH/work"
VENV="$BENCH/.venv"
RUNS_HEAVY=5
RUNS_LIGHT=10
if [ "${1:-}" = "--quick" ]; then RUNS_HEAVY=2; RUNS_LIGHT=3; fi

log() { printf '\n== %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
    as_root apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 \
        || { as_root apt-get update >/dev/null 2>&1 && as_root apt-get install -y --no-install-recommends "$@" >/dev/null; }
}

# ---------------------------------------------------------------- tools
log "tools"
command -v hyperfine >/dev/null || apt_install hyperfine
command -v sqlite3 >/dev/null || apt_install sqlite3
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$PGBIN" ] || ! command -v psql >/dev/null; then
    apt_install postgresql postgresql-client
    PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi
python3 -c 'import venv' 2>/dev/null || apt_install python3-venv
if [ ! -x "$VENV/bin/alembic" ] || ! "$VENV/bin/python" -c 'import psycopg2' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q alembic sqlalchemy psycopg2-binary
fi
ALEMBIC="$VENV/bin/alembic"

# ---------------------------------------------------------------- aludel
log "building aludel (release)"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
(cd "$REPO" && cargo build --release -p aludel-cli >&2)
ALUDEL="$TARGET/release/aludel"

has() { "$ALUDEL" "$1" --help >/dev/null 2>&1; }
HAS_UPGRADE=0; HAS_DOWNGRADE=0; HAS_CURRENT=0; HAS_SQL=0
has upgrade && HAS_UPGRADE=1
has downgrade && HAS_DOWNGRADE=1
has current && HAS_CURRENT=1
[ $HAS_UPGRADE = 1 ] && "$ALUDEL" upgrade --help 2>/dev/null | grep -q -- '--sql' && HAS_SQL=1
log "aludel has: upgrade=$HAS_UPGRADE downgrade=$HAS_DOWNGRADE current=$HAS_CURRENT --sql=$HAS_SQL"

# ---------------------------------------------------------------- workloads
log "workloads"
python3 "$BENCH/gen_workloads.py" "$WORK"
W1="$WORK/w1000"; W10="$WORK/w10000"
RESULTS="$WORK/results"; rm -rf "$RESULTS"; mkdir -p "$RESULTS"

# ---------------------------------------------------------------- databases on tmpfs
SHM="$(mktemp -d /dev/shm/aludel-bench-XXXXXX)"; chmod 755 "$SHM"   # the postgres user must reach its folder
PGPORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    pg_as "$PGBIN/pg_ctl" -D "$SHM/pg/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$SHM"
}
trap cleanup EXIT
mkdir -p "$SHM/pg"; [ "$(id -u)" = 0 ] && chown postgres "$SHM/pg"
pg_as "$PGBIN/initdb" -D "$SHM/pg/data" -A trust -U aludel -E UTF8 --no-sync >/dev/null
pg_as "$PGBIN/pg_ctl" -D "$SHM/pg/data" -l "$SHM/pg/log" -w -o "-k $SHM/pg -p $PGPORT \
    -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
PGADMIN="postgres://aludel@127.0.0.1:$PGPORT/postgres"
PG_ALUDEL="postgres://aludel@127.0.0.1:$PGPORT/bench"
PG_ALEMBIC="postgresql+psycopg2://aludel@127.0.0.1:$PGPORT/bench"
psql_admin() { psql -q -X -v ON_ERROR_STOP=1 "$PGADMIN" "$@" >/dev/null; }
# Reset: a fresh `bench` database, optionally copied from a template.
PG_RESET="psql -q -X $PGADMIN -c 'DROP DATABASE IF EXISTS bench WITH (FORCE)' -c 'CREATE DATABASE bench' >/dev/null"
pg_reset_from() { echo "psql -q -X $PGADMIN -c 'DROP DATABASE IF EXISTS bench WITH (FORCE)' -c 'CREATE DATABASE bench TEMPLATE $1' >/dev/null"; }

# ---------------------------------------------------------------- measuring
# measure ID RUNS PREPARE COMMAND [ENV=VALUE...]: one hyperfine measurement, JSON in $RESULTS/ID.json.
measure() {
    local id="$1" runs="$2" prep="$3" cmd="$4"; shift 4
    log "$id: $cmd"
    local args=(--runs "$runs" --export-json "$RESULTS/$id.json" --style basic)
    if [ -n "$prep" ]; then args+=(--prepare "$prep"); else args+=(--warmup 2); fi
    env "$@" hyperfine "${args[@]}" "$cmd" >&2
}
# check CMD: runs once and fails loudly (hyperfine would only report a failure).
check() { log "check: $*"; bash -c "$*" >/dev/null; }
# expect_tables WHAT N COUNT: the contender really created (or dropped) the tables.
expect_tables() {
    [ "$3" -eq "$2" ] || { echo "$1: expected $2 tables t*, found $3" >&2; exit 1; }
    log "ok: $1 has $3 tables t*"
}
sqlite_tables() { sqlite3 "$1" "select count(*) from sqlite_master where type='table' and name like 't0%'"; }
pg_tables() { psql -At -X "postgres://aludel@127.0.0.1:$PGPORT/$1" -c "select count(*) from pg_tables where tablename like 't0%'"; }

AL_W1="$ALEMBIC -c $W1/alembic/alembic.ini"
AD_W1="$ALUDEL -c $W1/aludel/aludel.toml"
# The same project with one transaction for the whole run, the raw client's shape.
sed 's/^\[aludel\]$/[aludel]\ntransaction_per_migration = false/' "$W1/aludel/aludel.toml" \
    > "$W1/aludel/aludel-one-transaction.toml"
AD_W1_ONE="$ALUDEL -c $W1/aludel/aludel-one-transaction.toml"
AL_W10="$ALEMBIC -c $W10/alembic/alembic.ini"
AD_W10="$ALUDEL -c $W10/aludel/aludel.toml"
SQLITE_ALUDEL="sqlite:///$SHM/aludel.db"      # sqlite:////dev/shm/…: absolute
SQLITE_ALEMBIC="sqlite:///$SHM/alembic.db"

# --- SQLite: upgrade head, 1,000 migrations
measure sqlite_upgrade_raw $RUNS_HEAVY "rm -f $SHM/raw.db" "sqlite3 $SHM/raw.db < $W1/raw_sqlite.sql"
expect_tables "raw sqlite3" 1000 "$(sqlite_tables "$SHM/raw.db")"
measure sqlite_upgrade_alembic $RUNS_HEAVY "rm -f $SHM/alembic.db" "$AL_W1 upgrade head" BENCH_URL="$SQLITE_ALEMBIC"
if [ $HAS_UPGRADE = 1 ]; then
    check "rm -f $SHM/aludel.db && $AD_W1 --url $SQLITE_ALUDEL upgrade head"
    expect_tables "aludel upgrade (SQLite)" 1000 "$(sqlite_tables "$SHM/aludel.db")"
    measure sqlite_upgrade_aludel $RUNS_HEAVY "rm -f $SHM/aludel.db" "$AD_W1 --url $SQLITE_ALUDEL upgrade head"
    check "rm -f $SHM/aludel.db && $AD_W1_ONE --url $SQLITE_ALUDEL upgrade head"
    expect_tables "aludel upgrade, one transaction (SQLite)" 1000 "$(sqlite_tables "$SHM/aludel.db")"
    measure sqlite_upgrade_aludel_one $RUNS_HEAVY "rm -f $SHM/aludel.db" "$AD_W1_ONE --url $SQLITE_ALUDEL upgrade head"
fi

# --- SQLite: downgrade base (from a copy of the upgraded database)
BENCH_URL="$SQLITE_ALEMBIC" bash -c "rm -f $SHM/alembic.db && $AL_W1 upgrade head" && cp "$SHM/alembic.db" "$SHM/alembic_up.db"
expect_tables "Alembic upgrade (SQLite)" 1000 "$(sqlite_tables "$SHM/alembic.db")"
measure sqlite_downgrade_alembic $RUNS_HEAVY "cp $SHM/alembic_up.db $SHM/alembic.db" "$AL_W1 downgrade base" BENCH_URL="$SQLITE_ALEMBIC"
if [ $HAS_UPGRADE = 1 ] && [ $HAS_DOWNGRADE = 1 ]; then
    rm -f "$SHM/aludel.db"; $AD_W1 --url "$SQLITE_ALUDEL" upgrade head >/dev/null; cp "$SHM/aludel.db" "$SHM/aludel_up.db"
    check "cp $SHM/aludel_up.db $SHM/aludel.db && $AD_W1 --url $SQLITE_ALUDEL downgrade base"
    expect_tables "aludel downgrade (SQLite)" 0 "$(sqlite_tables "$SHM/aludel.db")"
    measure sqlite_downgrade_aludel $RUNS_HEAVY "cp $SHM/aludel_up.db $SHM/aludel.db" "$AD_W1 --url $SQLITE_ALUDEL downgrade base"
fi

# --- SQLite: current on an up-to-date database
cp "$SHM/alembic_up.db" "$SHM/alembic.db"
measure sqlite_current_alembic $RUNS_LIGHT "" "$AL_W1 current" BENCH_URL="$SQLITE_ALEMBIC"
if [ $HAS_UPGRADE = 1 ] && [ $HAS_CURRENT = 1 ]; then
    rm -f "$SHM/aludel.db"; $AD_W1 --url "$SQLITE_ALUDEL" upgrade head >/dev/null
    check "$AD_W1 --url $SQLITE_ALUDEL current"
    measure sqlite_current_aludel $RUNS_LIGHT "" "$AD_W1 --url $SQLITE_ALUDEL current"
fi

# --- PostgreSQL: upgrade head, 1,000 migrations
measure pg_upgrade_raw $RUNS_HEAVY "$PG_RESET" "psql -q -X -1 -v ON_ERROR_STOP=1 -f $W1/raw_pg.sql $PG_ALUDEL"
expect_tables "raw psql" 1000 "$(pg_tables bench)"
measure pg_upgrade_alembic $RUNS_HEAVY "$PG_RESET" "$AL_W1 upgrade head" BENCH_URL="$PG_ALEMBIC"
if [ $HAS_UPGRADE = 1 ]; then
    check "$PG_RESET && $AD_W1 --url $PG_ALUDEL upgrade head"
    expect_tables "aludel upgrade (PostgreSQL)" 1000 "$(pg_tables bench)"
    measure pg_upgrade_aludel $RUNS_HEAVY "$PG_RESET" "$AD_W1 --url $PG_ALUDEL upgrade head"
    check "$PG_RESET && $AD_W1_ONE --url $PG_ALUDEL upgrade head"
    expect_tables "aludel upgrade, one transaction (PostgreSQL)" 1000 "$(pg_tables bench)"
    measure pg_upgrade_aludel_one $RUNS_HEAVY "$PG_RESET" "$AD_W1_ONE --url $PG_ALUDEL upgrade head"
fi

# --- PostgreSQL: downgrade base (from a template holding the upgraded database)
bash -c "$PG_RESET" && BENCH_URL="$PG_ALEMBIC" $AL_W1 upgrade head
expect_tables "Alembic upgrade (PostgreSQL)" 1000 "$(pg_tables bench)"
psql_admin -c 'ALTER DATABASE bench RENAME TO bench_up_alembic'
measure pg_downgrade_alembic $RUNS_HEAVY "$(pg_reset_from bench_up_alembic)" "$AL_W1 downgrade base" BENCH_URL="$PG_ALEMBIC"
if [ $HAS_UPGRADE = 1 ] && [ $HAS_DOWNGRADE = 1 ]; then
    bash -c "$PG_RESET" && $AD_W1 --url "$PG_ALUDEL" upgrade head >/dev/null
    psql_admin -c 'ALTER DATABASE bench RENAME TO bench_up_aludel'
    check "$(pg_reset_from bench_up_aludel) && $AD_W1 --url $PG_ALUDEL downgrade base"
    expect_tables "aludel downgrade (PostgreSQL)" 0 "$(pg_tables bench)"
    measure pg_downgrade_aludel $RUNS_HEAVY "$(pg_reset_from bench_up_aludel)" "$AD_W1 --url $PG_ALUDEL downgrade base"
fi

# --- PostgreSQL: current on an up-to-date database
bash -c "$(pg_reset_from bench_up_alembic)"
measure pg_current_alembic $RUNS_LIGHT "" "$AL_W1 current" BENCH_URL="$PG_ALEMBIC"
if [ $HAS_UPGRADE = 1 ] && [ $HAS_CURRENT = 1 ]; then
    bash -c "$(pg_reset_from bench_up_aludel)"
    check "$AD_W1 --url $PG_ALUDEL current"
    measure pg_current_aludel $RUNS_LIGHT "" "$AD_W1 --url $PG_ALUDEL current"
fi

# --- 10,000 revision files: heads, history, offline upgrade head --sql
measure heads_alembic $RUNS_LIGHT "" "$AL_W10 heads"
[ "$($AD_W10 heads)" = "$($AL_W10 heads)" ] || log "WARNING: heads differ between aludel and Alembic on w10000"
measure heads_aludel $RUNS_LIGHT "" "$AD_W10 heads"
measure history_alembic $RUNS_LIGHT "" "$AL_W10 history > /dev/null"
[ "$($AD_W10 history)" = "$($AL_W10 history)" ] || log "WARNING: history differs between aludel and Alembic on w10000"
measure history_aludel $RUNS_LIGHT "" "$AD_W10 history > /dev/null"
measure offline_alembic $RUNS_HEAVY "" "$AL_W10 upgrade head --sql > /dev/null" BENCH_URL="$PG_ALEMBIC"
if [ $HAS_SQL = 1 ]; then
    # Same steps, in the same order, as Alembic's script.
    diff <($AD_W10 --url "$PG_ALUDEL" upgrade head --sql | grep '^-- Running') \
         <(BENCH_URL="$PG_ALEMBIC" $AL_W10 upgrade head --sql | grep '^-- Running') >/dev/null \
        || log "WARNING: the offline scripts of aludel and Alembic run different steps on w10000"
    measure offline_aludel $RUNS_HEAVY "" "$AD_W10 --url $PG_ALUDEL upgrade head --sql > /dev/null"
fi

# ---------------------------------------------------------------- report
log "report"
"$VENV/bin/python" "$BENCH/bench_report.py" "$RESULTS" "$BENCH/BENCHMARKS.md" \
    --aludel "$ALUDEL" --pgbin "$PGBIN" --runs "$RUNS_HEAVY/$RUNS_LIGHT" \
    --missing "upgrade=$HAS_UPGRADE,downgrade=$HAS_DOWNGRADE,current=$HAS_CURRENT,sql=$HAS_SQL"
