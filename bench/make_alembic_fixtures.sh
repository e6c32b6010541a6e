#!/usr/bin/env bash
# Regenerates the fixtures made by real Alembic in crates/aludel/tests/fixtures/alembic/:
#   alembic_sqlite.db        SQLite database upgraded by `alembic upgrade head` (3 revisions)
#   alembic_postgresql.sql   `alembic upgrade head --sql` for PostgreSQL
#   alembic_mysql.sql        `alembic upgrade head --sql` for MySQL
# Alembic comes from PyPI into bench/.venv (created if missing). When PostgreSQL's
# server binaries are present, the PostgreSQL script is also applied to a throw-away
# server to check that it runs and leaves the expected version row.
set -euo pipefail

BENCH="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$BENCH")"
FIX="$REPO/crates/aludel/tests/fixtures/alembic"
VENV="$BENCH/.venv"
HEAD_REV=3c9e5f1a4b33

if [ ! -x "$VENV/bin/alembic" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q alembic sqlalchemy psycopg2-binary
fi
ALEMBIC="$VENV/bin/alembic"
export PYTHONDONTWRITEBYTECODE=1   # no __pycache__ in the fixture folder

TMP="$(mktemp -d)"
PGDIR=""
MYDIR=""
cleanup() {
    if [ -n "$MYDIR" ]; then
        [ -f "$MYDIR/pid" ] && kill "$(cat "$MYDIR/pid")" 2>/dev/null || true
        sleep 1; rm -rf "$MYDIR"
    fi
    if [ -n "$PGDIR" ]; then
        runuser -u postgres -- pg_ctl -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$PGDIR"
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

cd "$FIX"

# (1) SQLite, online.
FIXTURE_URL="sqlite:///$TMP/alembic_sqlite.db" "$ALEMBIC" -c alembic.ini upgrade head
rows="$("$VENV/bin/python" -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select group_concat(version_num) from alembic_version').fetchone()[0])" "$TMP/alembic_sqlite.db")"
[ "$rows" = "$HEAD_REV" ] || { echo "unexpected alembic_version rows: $rows" >&2; exit 1; }
# VACUUM: a compact file, no free pages left from the run.
"$VENV/bin/python" -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('vacuum')" "$TMP/alembic_sqlite.db"
cp "$TMP/alembic_sqlite.db" alembic_sqlite.db

# (2) Offline scripts. The URLs only pick the dialect; no server is contacted.
FIXTURE_URL="postgresql://aludel@localhost/aludel" "$ALEMBIC" -c alembic.ini upgrade head --sql > alembic_postgresql.sql
FIXTURE_URL="mysql://aludel@localhost/aludel" "$ALEMBIC" -c alembic.ini upgrade head --sql > alembic_mysql.sql

# (3) Check the PostgreSQL script on a real server when one can be started.
if command -v initdb >/dev/null 2>&1 || [ -x /usr/lib/postgresql/15/bin/initdb ]; then
    export PATH="/usr/lib/postgresql/15/bin:$PATH"
    PGDIR="$(mktemp -d)"; chown postgres "$PGDIR"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    runuser -u postgres -- initdb -D "$PGDIR/data" -A trust -U aludel -E UTF8 --no-sync --no-instructions >/dev/null
    runuser -u postgres -- pg_ctl -D "$PGDIR/data" -l "$PGDIR/log" -w \
        -o "-k $PGDIR -p $port -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    psql -q -X -v ON_ERROR_STOP=1 "postgres://aludel@127.0.0.1:$port/postgres" -f alembic_postgresql.sql >/dev/null
    got="$(psql -At -X "postgres://aludel@127.0.0.1:$port/postgres" -c 'select version_num from alembic_version')"
    [ "$got" = "$HEAD_REV" ] || { echo "PostgreSQL script left: $got" >&2; exit 1; }
    echo "alembic_postgresql.sql applied to PostgreSQL: alembic_version = $got"
fi

# (4) And the MySQL script on MariaDB, when it is installed.
if command -v mariadbd >/dev/null 2>&1; then
    MYDIR="$(mktemp -d)"; chown mysql:mysql "$MYDIR"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    runuser -u mysql -- mariadb-install-db --no-defaults --datadir="$MYDIR/data" \
        --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1
    runuser -u mysql -- mariadbd --no-defaults --datadir="$MYDIR/data" --socket="$MYDIR/sock" --port="$port" \
        --bind-address=127.0.0.1 --pid-file="$MYDIR/pid" --log-error="$MYDIR/err.log" \
        --innodb-buffer-pool-size=64M --skip-log-bin 2>/dev/null &
    for _ in $(seq 100); do mariadb-admin --no-defaults -uroot --socket="$MYDIR/sock" ping >/dev/null 2>&1 && break; sleep 0.1; done
    mariadb --no-defaults -uroot --socket="$MYDIR/sock" -e "CREATE DATABASE fixture"
    mariadb --no-defaults -uroot --socket="$MYDIR/sock" fixture < alembic_mysql.sql
    got="$(mariadb --no-defaults -uroot --socket="$MYDIR/sock" -N fixture -e 'select version_num from alembic_version')"
    [ "$got" = "$HEAD_REV" ] || { echo "MySQL script left: $got" >&2; exit 1; }
    echo "alembic_mysql.sql applied to MariaDB: alembic_version = $got"
fi

"$VENV/bin/python" - <<'EOF'
import alembic, sqlalchemy
print(f"fixtures written with alembic {alembic.__version__}, SQLAlchemy {sqlalchemy.__version__}")
EOF
ls -l "$FIX"/alembic_sqlite.db "$FIX"/alembic_postgresql.sql "$FIX"/alembic_mysql.sql
