#!/usr/bin/env bash
# Autogenerate and check, aludel against Alembic: a 300-table schema with 70 changes
# on PostgreSQL and SQLite (`check`, `revision --autogenerate`, both tools verified
# to find the 70 changes); `revision --autogenerate` from 100 SQLAlchemy models
# (aludel's `sqlalchemy:` source and Alembic's target_metadata, the same file); and
# aludel's introspection of a 5,000-table PostgreSQL database.
#
#   bench/autogenerate.sh          measures (7 runs a command), then rewrites the
#                                  "Autogenerate and check" section of bench/BENCHMARKS.md
#   bench/autogenerate.sh --quick  3 runs a command, BENCHMARKS.md left alone
#
# PostgreSQL: BENCH_PG_URL, when set, is an admin URL of a server to use (databases
# aludel_autogen_* are created there and dropped at the end); otherwise a throw-away
# server with fsync off is started on tmpfs, as in run.sh. Everything else lives in a
# scratch folder under /dev/shm, removed at the end: the virtualenv (pinned Alembic,
# SQLAlchemy, psycopg2-binary from PyPI; BENCH_VENV names one to reuse instead), the
# workloads (bench/gen_autogenerate.py) and the SQLite files. Needs python3 (with
# venv), psql and cargo; the PostgreSQL server binaries without BENCH_PG_URL.
set -euo pipefail

BENCH="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$BENCH")"
RUNS=7
REPORT=1
if [ "${1:-}" = "--quick" ]; then RUNS=3; REPORT=0; fi
PINS=(alembic==1.20.1 sqlalchemy==2.1.9 psycopg2-binary==2.9.13)
log() { printf '\n== %s\n' "$*" >&2; }

SCRATCH="$(mktemp -d /dev/shm/aludel-autogen-XXXXXX)"; chmod 755 "$SCRATCH"
PGDIR=""; PGADMIN="${BENCH_PG_URL:-}"; DBS=()
cleanup() {
    set +e
    if [ -n "$PGADMIN" ]; then
        for db in "${DBS[@]}"; do psql -q -X "$PGADMIN" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; done
    fi
    [ -n "$PGDIR" ] && pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$SCRATCH"
}
trap cleanup EXIT
pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# ---------------------------------------------------------------- tools
VENV="${BENCH_VENV:-$SCRATCH/venv}"
if ! "$VENV/bin/python" -c 'import alembic, sqlalchemy, psycopg2' 2>/dev/null; then
    log "virtualenv ($VENV): ${PINS[*]}"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "${PINS[@]}"
fi
PY="$VENV/bin/python"; ALEMBIC="$VENV/bin/alembic"

log "building aludel (release)"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
(cd "$REPO" && cargo build --release --locked -p aludel-cli >&2 \
    && cargo build --release --locked -p aludel --example describe >&2)
ALUDEL="$TARGET/release/aludel"
DESCRIBE="$TARGET/release/examples/describe"

log "workloads"
W="$SCRATCH/w"; WIDE="$SCRATCH/wide"; M="$SCRATCH/m"
python3 "$BENCH/gen_autogenerate.py" "$W"
python3 "$BENCH/gen_autogenerate.py" --tables 100 "$M"
python3 "$BENCH/gen_autogenerate.py" --wide 5000 "$WIDE"
RESULTS="$SCRATCH/results"; mkdir -p "$RESULTS"

# ---------------------------------------------------------------- PostgreSQL
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$PGADMIN" ]; then
    log "throw-away PostgreSQL server on tmpfs"
    PGDIR="$SCRATCH/pg"; mkdir -p "$PGDIR"; [ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
    PGPORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    pg_as "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U aludel -E UTF8 --no-sync >/dev/null
    pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -o "-k $PGDIR -p $PGPORT \
        -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    PGADMIN="postgres://aludel@127.0.0.1:$PGPORT/postgres"
    WHERE="PostgreSQL: a throw-away server on tmpfs with fsync off; SQLite files on tmpfs."
else
    WHERE="PostgreSQL: the server \`BENCH_PG_URL\` names, as it is configured; SQLite files on tmpfs."
fi
# pg_url DB [SCHEME]: the admin URL with another database (and scheme).
pg_url() {
    python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(p._replace(path="/" + sys.argv[2], scheme=sys.argv[3] if len(sys.argv) > 3 else p.scheme).geturl())' "$PGADMIN" "$@"
}
pg_new_db() {
    DBS+=("$1")
    PGOPTIONS='-c client_min_messages=warning' psql -q -X -v ON_ERROR_STOP=1 "$PGADMIN" \
        -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
}
PG_VERSION="$(psql -At -X "$PGADMIN" -c 'show server_version')"

# ---------------------------------------------------------------- one database kind
# bench_dialect NAME ALUDEL_URL ALEMBIC_URL: load, verify, time.
bench_dialect() {
    local d="$1" found="$RESULTS/$1_found.json" out="$SCRATCH/$1"
    mkdir -p "$out"
    export DATABASE_URL="$2" BENCH_URL="$3"   # aludel reads DATABASE_URL, env.py BENCH_URL
    log "$d: both databases at the head of their base revision (300 tables)"
    (cd "$W/aludel" && "$ALUDEL" upgrade head >/dev/null)
    (cd "$W/alembic" && "$ALEMBIC" upgrade head 2>/dev/null)

    log "$d: what each tool finds"
    echo -n > "$out/empty.txt"
    # Nothing between the database and the "from" schema, for either tool.
    (cd "$W/aludel" && "$ALUDEL" -c aludel-from.toml check --format json > "$out/aludel_from.json" || true)
    (cd "$W/alembic" && "$PY" alembic_changes.py models_from > "$out/alembic_from.txt")
    # The 70 changes.
    (cd "$W/aludel" && "$ALUDEL" check --format json > "$out/aludel_check.json" || true)
    (cd "$W/alembic" && "$PY" alembic_changes.py > "$out/alembic_check.txt")
    (cd "$W/aludel" && "$ALUDEL" revision --autogenerate -m x --format json > "$out/aludel_revision.json" || true)
    (cd "$W/alembic" && "$ALEMBIC" revision --autogenerate -m x >/dev/null 2>&1 || true)
    cat "$W"/alembic/migrations/versions/*_x.py > "$out/alembic_revision.py" 2>/dev/null || echo > "$out/alembic_revision.py"
    rm -f "$W"/aludel/migrations/versions/*_x.sql "$W"/alembic/migrations/versions/*_x.py
    local g="python3 $BENCH/gen_autogenerate.py --compare"
    {
        echo "{"
        echo "\"aludel_from\": $($g aludel "$out/aludel_from.json" "$out/empty.txt"),"
        echo "\"alembic_from\": $($g alembic "$out/alembic_from.txt" "$out/empty.txt"),"
        echo "\"aludel_check\": $($g aludel "$out/aludel_check.json" "$W/expected.txt"),"
        echo "\"alembic_check\": $($g alembic "$out/alembic_check.txt" "$W/expected.txt"),"
        echo "\"aludel_revision\": $($g aludel "$out/aludel_revision.json" "$W/expected.txt"),"
        echo "\"alembic_revision\": $($g alembic-revision "$out/alembic_revision.py" "$W/expected.txt")"
        echo "}"
    } > "$found"
    # aludel's errors (anything but the list of differences) are kept word for word.
    for f in aludel_from aludel_check aludel_revision; do
        "$PY" - "$found" "$f" "$out/$f.json" <<'PY'
import json, sys
path, key, doc = sys.argv[1], sys.argv[2], sys.argv[3]
found = json.load(open(path))
try:
    err = json.load(open(doc)).get("error")
except ValueError:
    err = {"kind": "no JSON", "message": open(doc).read()[:500]}
if err and err.get("kind") != "differences_found":
    found[key]["error"] = f"{err.get('kind')}: {err.get('message')} {err.get('reason') or ''}".strip()
    json.dump(found, open(path, "w"))
PY
    done
    "$PY" - "$found" <<'PY'
import json, sys
for k, v in json.load(open(sys.argv[1])).items():
    print(f"  {k}: {v['found']}/{v['of']} missing {v['missing']} unexpected {v['unexpected']}",
          v.get("error", ""), file=sys.stderr)
PY

    log "$d: check (aludel, then Alembic, in turn)"
    (cd "$W" && "$PY" "$BENCH/time_pairs.py" "$RESULTS/${d}_check.json" --runs "$RUNS" \
        "cd aludel && $ALUDEL check" "cd alembic && $ALEMBIC check")
    log "$d: revision --autogenerate (aludel, then Alembic, in turn)"
    (cd "$W" && "$PY" "$BENCH/time_pairs.py" "$RESULTS/${d}_revision.json" --runs "$RUNS" \
        "cd aludel && $ALUDEL revision --autogenerate -m x" \
        "cd alembic && $ALEMBIC revision --autogenerate -m x" \
        --after-a "rm -f aludel/migrations/versions/*_x.sql" \
        --after-b "rm -f alembic/migrations/versions/*_x.py")
    unset DATABASE_URL BENCH_URL
}

pg_new_db aludel_autogen_aludel; pg_new_db aludel_autogen_alembic
bench_dialect postgresql "$(pg_url aludel_autogen_aludel)" "$(pg_url aludel_autogen_alembic postgresql+psycopg2)"
bench_dialect sqlite "sqlite:///$SCRATCH/aludel.db" "sqlite:///$SCRATCH/alembic.db"

# ---------------------------------------------------------------- 100 SQLAlchemy models
# bench_models NAME ALUDEL_URL ALEMBIC_URL: the 100-table workload, whose desired
# schema both tools take from the same SQLAlchemy models (aludel: `sqlalchemy:`
# source, loaded with the virtualenv's Python).
bench_models() {
    local d="$1" out="$SCRATCH/$1_models"
    mkdir -p "$out"
    export DATABASE_URL="$2" BENCH_URL="$3" BENCH_PYTHON="$PY"
    log "$d, 100 models: both databases at the head of their base revision"
    (cd "$M/aludel" && "$ALUDEL" upgrade head >/dev/null)
    (cd "$M/alembic" && "$ALEMBIC" upgrade head 2>/dev/null)
    (cd "$M/aludel" && "$ALUDEL" -c aludel-models.toml check --format json > "$out/aludel.json" || true)
    (cd "$M/alembic" && "$PY" alembic_changes.py > "$out/alembic.txt")
    local g="python3 $BENCH/gen_autogenerate.py --compare"
    echo "{\"aludel_revision\": $($g aludel "$out/aludel.json" "$M/expected.txt"), \"alembic_revision\": $($g alembic "$out/alembic.txt" "$M/expected.txt")}" \
        > "$RESULTS/${d}_models_found.json"
    log "$d, 100 models: revision --autogenerate (aludel, then Alembic, in turn)"
    (cd "$M" && "$PY" "$BENCH/time_pairs.py" "$RESULTS/${d}_models_revision.json" --runs "$RUNS" \
        "cd aludel && $ALUDEL -c aludel-models.toml revision --autogenerate -m x" \
        "cd alembic && $ALEMBIC revision --autogenerate -m x" \
        --after-a "rm -f aludel/migrations/versions/*_x.sql" \
        --after-b "rm -f alembic/migrations/versions/*_x.py")
    unset DATABASE_URL BENCH_URL BENCH_PYTHON
}

pg_new_db aludel_models_aludel; pg_new_db aludel_models_alembic
bench_models postgresql "$(pg_url aludel_models_aludel)" "$(pg_url aludel_models_alembic postgresql+psycopg2)"
bench_models sqlite "sqlite:///$SCRATCH/aludel_models.db" "sqlite:///$SCRATCH/alembic_models.db"

# ---------------------------------------------------------------- 5,000 tables
log "5,000 tables on PostgreSQL: loading (10 revisions of 500 tables)"
pg_new_db aludel_autogen_wide
export DATABASE_URL="$(pg_url aludel_autogen_wide)"
(cd "$WIDE/aludel" && "$ALUDEL" upgrade head >/dev/null)
"$DESCRIBE" > "$RESULTS/wide_describe.txt"
log "5,000 tables: $(cat "$RESULTS/wide_describe.txt")"
"$PY" "$BENCH/time_pairs.py" "$RESULTS/wide_describe.json" --runs "$RUNS" "$DESCRIBE"
log "5,000 tables: a whole aludel check (schema.sql equal to the database), one run"
(cd "$WIDE/aludel" && "$ALUDEL" check) || { echo "aludel check on 5,000 tables did not exit 0" >&2; exit 1; }
(cd "$WIDE/aludel" && "$PY" "$BENCH/time_pairs.py" "$RESULTS/wide_check.json" --runs 1 "$ALUDEL check")
unset DATABASE_URL

if [ $REPORT = 1 ]; then
    log "report"
    "$PY" "$BENCH/bench_report.py" --autogenerate "$RESULTS" "$BENCH/BENCHMARKS.md" --aludel "$ALUDEL" \
        --pg-version "$PG_VERSION" --where "$WHERE"
fi
