#!/usr/bin/env bash
# One revision of 100,000 statements (a seed-data migration): aludel against the raw
# client of each database, and how aludel's time grows with the statement count.
#
#   bench/seed.sh            measures, then rewrites the "One revision of 100,000
#                            statements" section of bench/BENCHMARKS.md
#   bench/seed.sh --quick    one run per command
#
# SQLite and PostgreSQL run on tmpfs as in run.sh (a SQLite file; a throw-away
# PostgreSQL server with fsync off). MariaDB is measured when BENCH_MYSQL_URL names a
# server (mysql://user:password@host:port/db; the database `aludel_seed_bench` is
# created and dropped there) and left out otherwise. Needs hyperfine, sqlite3, psql,
# the PostgreSQL server binaries and, for MariaDB, the mariadb client (run.sh
# installs the first four).
set -euo pipefail

BENCH="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$BENCH")"
WORK="$BENCH/work"
RUNS=3
if [ "${1:-}" = "--quick" ]; then RUNS=1; fi
log() { printf '\n== %s\n' "$*" >&2; }

log "building aludel (release)"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
(cd "$REPO" && cargo build --release -p aludel-cli >&2)
ALUDEL="$TARGET/release/aludel"

log "workloads"
SIZES=(5000 10000 20000 40000 100000)
python3 "$BENCH/gen_workloads.py" "$WORK" $(printf -- '--seed %s ' "${SIZES[@]}")
S="$WORK/seed100000"
AD="$ALUDEL -c $S/aludel/aludel.toml"
RESULTS="$WORK/results-seed"; rm -rf "$RESULTS"; mkdir -p "$RESULTS"

SHM="$(mktemp -d /dev/shm/aludel-seed-XXXXXX)"; chmod 755 "$SHM"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
PGPORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
MYSQL_DB=aludel_seed_bench
# The password goes through the environment (MYSQL_PWD for the client, a config
# file reading ${SEED_MYSQL_URL} for aludel), never on a command line that is shown.
mysql_args() {  # mysql://user:password@host:port/db -> client options (no database)
    python3 - "$BENCH_MYSQL_URL" <<'PY'
import sys, urllib.parse as u
p = u.urlparse(sys.argv[1])
print(f"--user={u.unquote(p.username or '')} "
      f"--host={p.hostname or '127.0.0.1'} --port={p.port or 3306} --protocol=tcp")
PY
}
if [ -n "${BENCH_MYSQL_URL:-}" ]; then
    MYSQL_PWD="$(python3 -c 'import sys, urllib.parse as u; print(u.unquote(u.urlparse(sys.argv[1]).password or ""))' "$BENCH_MYSQL_URL")"
    SEED_MYSQL_URL="$(python3 -c "import sys, urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p._replace(path='/$MYSQL_DB').geturl())" "$BENCH_MYSQL_URL")"
    export MYSQL_PWD SEED_MYSQL_URL
fi
cleanup() {
    pg_as "$PGBIN/pg_ctl" -D "$SHM/pg/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$SHM"
    if [ -n "${BENCH_MYSQL_URL:-}" ]; then
        mariadb $(mysql_args) -e "DROP DATABASE IF EXISTS $MYSQL_DB" 2>/dev/null || true
    fi
}
trap cleanup EXIT
mkdir -p "$SHM/pg"; [ "$(id -u)" = 0 ] && chown postgres "$SHM/pg"
pg_as "$PGBIN/initdb" -D "$SHM/pg/data" -A trust -U aludel -E UTF8 --no-sync >/dev/null
pg_as "$PGBIN/pg_ctl" -D "$SHM/pg/data" -l "$SHM/pg/log" -w -o "-k $SHM/pg -p $PGPORT \
    -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
PGADMIN="postgres://aludel@127.0.0.1:$PGPORT/postgres"
PG_URL="postgres://aludel@127.0.0.1:$PGPORT/bench"
PG_RESET="psql -q -X $PGADMIN -c 'DROP DATABASE IF EXISTS bench WITH (FORCE)' -c 'CREATE DATABASE bench' >/dev/null"

measure() {  # ID PREPARE COMMAND
    log "$1: $3"
    hyperfine --runs "$RUNS" --prepare "$2" --export-json "$RESULTS/$1.json" --style basic "$3" >&2
}
expect_rows() {  # WHAT COUNT
    [ "$2" = 100000 ] || { echo "$1: expected 100000 rows in seed, found $2" >&2; exit 1; }
    log "ok: $1 has $2 rows"
}

# --- How aludel's time grows with the statement count (SQLite, one run each).
for n in "${SIZES[@]}"; do
    rm -f "$SHM/scale.db"
    start=$(date +%s.%N)
    $ALUDEL -c "$WORK/seed$n/aludel/aludel.toml" --url "sqlite:///$SHM/scale.db" upgrade head 2>/dev/null
    end=$(date +%s.%N)
    echo "{\"statements\": $n, \"seconds\": $(python3 -c "print($end - $start)")}" > "$RESULTS/scale_$n.json"
    log "SQLite, $n INSERTs: $(python3 -c "print(round($end - $start, 2))") s"
done

# --- SQLite
measure seed_sqlite_raw "rm -f $SHM/raw.db" "sqlite3 $SHM/raw.db < $S/raw_sqlite.sql"
expect_rows "raw sqlite3" "$(sqlite3 "$SHM/raw.db" 'select count(*) from seed')"
measure seed_sqlite_aludel "rm -f $SHM/aludel.db" "$AD --url sqlite:///$SHM/aludel.db upgrade head"
expect_rows "aludel (SQLite)" "$(sqlite3 "$SHM/aludel.db" 'select count(*) from seed')"

# --- PostgreSQL
pg_rows() { psql -At -X "$PG_URL" -c 'select count(*) from seed'; }
measure seed_pg_raw "$PG_RESET" "psql -q -X -1 -v ON_ERROR_STOP=1 -f $S/raw_pg.sql $PG_URL"
expect_rows "raw psql" "$(pg_rows)"
measure seed_pg_aludel "$PG_RESET" "$AD --url $PG_URL upgrade head"
expect_rows "aludel (PostgreSQL)" "$(pg_rows)"

# --- MariaDB
if [ -n "${BENCH_MYSQL_URL:-}" ]; then
    MY="mariadb $(mysql_args)"
    MY_RESET="$MY -e 'DROP DATABASE IF EXISTS $MYSQL_DB; CREATE DATABASE $MYSQL_DB'"
    sed 's|^database_url = .*|database_url = "${SEED_MYSQL_URL}"|' "$S/aludel/aludel.toml" > "$S/aludel/aludel-mysql.toml"
    my_rows() { $MY -N -e "select count(*) from $MYSQL_DB.seed"; }
    measure seed_mysql_raw "$MY_RESET" "$MY $MYSQL_DB < $S/raw_mysql.sql"
    expect_rows "raw mariadb" "$(my_rows)"
    measure seed_mysql_aludel "$MY_RESET" "$ALUDEL -c $S/aludel/aludel-mysql.toml upgrade head"
    expect_rows "aludel (MariaDB)" "$(my_rows)"
    MARIADB_VERSION="$($MY -N -e 'select version()')"
else
    log "BENCH_MYSQL_URL is not set: MariaDB left out"
    MARIADB_VERSION=""
fi

log "report"
python3 "$BENCH/bench_report.py" --seed "$RESULTS" "$BENCH/BENCHMARKS.md" --aludel "$ALUDEL" \
    --pgbin "$PGBIN" --runs "$RUNS" --mariadb "$MARIADB_VERSION"
