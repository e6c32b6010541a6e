# shellcheck shell=bash
# Throw-away PostgreSQL and MariaDB servers for aludel's database tests, the recipes of
# shared/TESTING.md in one place. Sourced by scripts/test.sh; by hand:
#
#   source scripts/db.sh
#   start_test_databases      # exports ALUDEL_TEST_POSTGRES_URL and ALUDEL_TEST_MYSQL_URL
#   cargo test
#   stop_test_databases
#
# Each server lives in its own `mktemp -d` folder, listens on a free 127.0.0.1 port
# chosen at run time, runs with fsync off, and is gone (folder too) after
# stop_test_databases. A URL that is already exported is used as it is and its server
# is not started, so developers can point the tests at servers they keep running.
# Call start_test_databases in the shell that runs the tests, not in a pipe or $(…):
# the URLs and the servers' folders live in that shell's variables. Functions return
# non-zero on failure and never `exit`, so sourcing this file into an interactive
# shell is safe. They use no variables outside the _aludel_db_ prefix and
# the two URLs.

# Folders and pid of the servers this shell started (empty: none).
_aludel_db_pg_dir=""
_aludel_db_pg_bin=""
_aludel_db_my_dir=""
_aludel_db_my_pid=""
_aludel_db_my_job=""

_aludel_db_say() { echo "test databases: $*" >&2; }

# Seconds since the epoch with fractions, for timing the start-up.
_aludel_db_now() { date +%s.%N; }
_aludel_db_since() { awk -v a="$1" -v b="$(_aludel_db_now)" 'BEGIN { printf "%.1f", b - a }'; }

# A loopback TCP port nobody listens on, chosen by the kernel.
_aludel_db_free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
        return
    fi
    # No python3: try random high ports until one refuses a connection.
    local port i
    for i in $(seq 1 50); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    return 1
}

# Runs a command as OS user $1 when this shell is root (initdb, postgres and mariadbd
# refuse to or should not run as root); as this user otherwise.
_aludel_db_as() {
    local user=$1
    shift
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

# Prints the folder holding initdb/pg_ctl: from PATH, else Debian's newest
# /usr/lib/postgresql/*/bin.
_aludel_db_pg_bindir() {
    local dir
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
        return
    fi
    dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null |
        sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

# Prints the path of mariadbd (also looks in /usr/sbin, which is not on every PATH).
_aludel_db_mariadbd() {
    command -v mariadbd 2>/dev/null && return
    [ -x /usr/sbin/mariadbd ] && echo /usr/sbin/mariadbd
}

# Installs MariaDB when it is missing: as root with apt-get (Debian's mariadb-server; it
# does not start a service in a container); as anyone else a loud message says how.
# The `sqlite3` client, which the offline-script tests pipe scripts into, comes along
# when it is missing too. Returns non-zero when MariaDB is still missing.
ensure_mariadb_installed() {
    local packages=()
    [ -n "$(_aludel_db_mariadbd)" ] || packages+=(mariadb-server)
    command -v sqlite3 >/dev/null 2>&1 || packages+=(sqlite3)
    if [ ${#packages[@]} = 0 ]; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        _aludel_db_say "missing: installing Debian's ${packages[*]} (about 15 s, once)"
        local t0
        t0=$(_aludel_db_now)
        DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                "${packages[@]}" >/dev/null || {
            _aludel_db_say "apt-get install ${packages[*]} FAILED"
            return 1
        }
        _aludel_db_say "${packages[*]} installed in $(_aludel_db_since "$t0") s"
        [ -n "$(_aludel_db_mariadbd)" ]
        return
    fi
    if [ -n "$(_aludel_db_mariadbd)" ]; then
        _aludel_db_say "sqlite3 is missing: the offline-script tests need it (apt-get install sqlite3)"
        return 0
    fi
    cat >&2 <<'EOF'
################################################################################
# MariaDB is NOT installed, so the MySQL/MariaDB tests cannot run here.
# Install it once (it needs no running service):
#     sudo apt-get update && sudo apt-get install -y --no-install-recommends mariadb-server
# or point the tests at a server of yours:
#     export ALUDEL_TEST_MYSQL_URL=mysql://USER:PASSWORD@127.0.0.1:3306/mysql
################################################################################
EOF
    return 1
}

# Starts a throw-away PostgreSQL (superuser `aludel`, trust auth on 127.0.0.1) and
# exports ALUDEL_TEST_POSTGRES_URL. On failure prints the server's log and returns 1.
start_test_postgres() {
    local bin dir port attempt t0
    bin=$(_aludel_db_pg_bindir) || true
    if [ -z "$bin" ]; then
        _aludel_db_say "PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql"
        return 1
    fi
    t0=$(_aludel_db_now)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/aludel-pg.XXXXXX") || return 1
    _aludel_db_pg_dir=$dir
    _aludel_db_pg_bin=$bin
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$dir" || return 1
    fi
    if ! _aludel_db_as postgres "$bin/initdb" -D "$dir/data" -A trust -U aludel -E UTF8 \
        --no-sync --no-instructions >"$dir/initdb.log" 2>&1; then
        _aludel_db_say "PostgreSQL initdb FAILED; its output:"
        cat "$dir/initdb.log" >&2
        return 1
    fi
    # A port found free can be taken before the server binds it: try a few.
    for attempt in 1 2 3; do
        port=$(_aludel_db_free_port) || return 1
        if _aludel_db_as postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
            -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off \
                -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >"$dir/pg_ctl.log" 2>&1; then
            export ALUDEL_TEST_POSTGRES_URL="postgres://aludel@127.0.0.1:$port/postgres"
            _aludel_db_say "PostgreSQL started on port $port in $(_aludel_db_since "$t0") s ($dir)"
            return 0
        fi
        _aludel_db_say "PostgreSQL did not start on port $port (attempt $attempt)"
    done
    _aludel_db_say "PostgreSQL FAILED to start; pg_ctl said:"
    cat "$dir/pg_ctl.log" >&2
    _aludel_db_say "server log $dir/log:"
    cat "$dir/log" >&2 2>/dev/null
    return 1
}

# Starts a throw-away MariaDB (user `aludel` with a random password and every grant)
# and exports ALUDEL_TEST_MYSQL_URL. On failure prints the server's log and returns 1.
start_test_mariadb() {
    local mariadbd dir port attempt t0 pw pid i
    mariadbd=$(_aludel_db_mariadbd)
    if [ -z "$mariadbd" ]; then
        _aludel_db_say "mariadbd not found (ensure_mariadb_installed installs it)"
        return 1
    fi
    t0=$(_aludel_db_now)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/aludel-my.XXXXXX") || return 1
    _aludel_db_my_dir=$dir
    if [ "$(id -u)" = 0 ]; then
        chown mysql:mysql "$dir" || return 1
    fi
    if ! _aludel_db_as mysql mariadb-install-db --no-defaults --datadir="$dir/data" \
        --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
        >"$dir/install.log" 2>&1; then
        _aludel_db_say "mariadb-install-db FAILED; its output:"
        cat "$dir/install.log" >&2
        return 1
    fi
    for attempt in 1 2 3; do
        port=$(_aludel_db_free_port) || return 1
        rm -f "$dir/pid"
        # Started in the background with no terminal and its output in the folder, so
        # nothing waits on it; its own pid file names the process to stop.
        _aludel_db_as mysql "$mariadbd" --no-defaults --datadir="$dir/data" \
            --socket="$dir/sock" --port="$port" --bind-address=127.0.0.1 \
            --pid-file="$dir/pid" --log-error="$dir/err.log" --skip-name-resolve \
            --innodb-buffer-pool-size=64M --skip-log-bin \
            --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
            --innodb-flush-method=nosync --character-set-server=utf8mb4 \
            --max-connections=200 \
            </dev/null >>"$dir/stdout.log" 2>&1 &
        pid=$!
        _aludel_db_my_job=$pid
        # Up to 60 s for the first answer; give up early when the server died.
        for i in $(seq 1 600); do
            if mariadb-admin --no-defaults -uroot --socket="$dir/sock" ping >/dev/null 2>&1; then
                break
            fi
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if mariadb-admin --no-defaults -uroot --socket="$dir/sock" ping >/dev/null 2>&1; then
            _aludel_db_my_pid=$(cat "$dir/pid")
            pw=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
            if ! mariadb --no-defaults -uroot --socket="$dir/sock" -e "
                CREATE USER 'aludel'@'127.0.0.1' IDENTIFIED BY '$pw';
                GRANT ALL ON *.* TO 'aludel'@'127.0.0.1' WITH GRANT OPTION;" \
                >>"$dir/stdout.log" 2>&1; then
                _aludel_db_say "MariaDB: creating user aludel FAILED:"
                cat "$dir/stdout.log" >&2
                return 1
            fi
            export ALUDEL_TEST_MYSQL_URL="mysql://aludel:$pw@127.0.0.1:$port/mysql"
            _aludel_db_say "MariaDB started on port $port in $(_aludel_db_since "$t0") s ($dir)"
            return 0
        fi
        _aludel_db_say "MariaDB did not start on port $port (attempt $attempt)"
        [ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        _aludel_db_my_job=""
    done
    _aludel_db_say "MariaDB FAILED to start; its log $dir/err.log:"
    cat "$dir/err.log" "$dir/stdout.log" >&2 2>/dev/null
    return 1
}

# Stops the PostgreSQL this shell started and removes its folder.
stop_test_postgres() {
    local dir=$_aludel_db_pg_dir
    [ -n "$dir" ] || return 0
    if [ -f "$dir/data/postmaster.pid" ]; then
        _aludel_db_as postgres "$_aludel_db_pg_bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 \
            stop >/dev/null 2>&1 ||
            _aludel_db_say "WARNING: pg_ctl stop failed for $dir"
    fi
    rm -rf "$dir"
    _aludel_db_pg_dir=""
    unset ALUDEL_TEST_POSTGRES_URL
}

# Stops the MariaDB this shell started (kill, then wait for it to exit; SIGKILL after
# 30 s) and removes its folder.
stop_test_mariadb() {
    local dir=$_aludel_db_my_dir pid=$_aludel_db_my_pid i
    [ -n "$dir" ] || return 0
    if [ -z "$pid" ] && [ -f "$dir/pid" ]; then
        pid=$(cat "$dir/pid")
    fi
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
        for i in $(seq 1 300); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            _aludel_db_say "WARNING: MariaDB (pid $pid) ignored SIGTERM for 30 s; killing it"
            kill -9 "$pid" 2>/dev/null
        fi
    fi
    # Reap the background job (runuser, or mariadbd itself when not root).
    if [ -n "$_aludel_db_my_job" ]; then
        wait "$_aludel_db_my_job" 2>/dev/null
    fi
    rm -rf "$dir"
    _aludel_db_my_dir=""
    _aludel_db_my_pid=""
    _aludel_db_my_job=""
    unset ALUDEL_TEST_MYSQL_URL
}

# Prints the URLs the tests will use, passwords shown as ***.
show_test_databases() {
    local masked
    masked=$(printf '%s' "${ALUDEL_TEST_MYSQL_URL:-(none)}" | sed -E 's#(://[^:@/]*):[^@]*@#\1:***@#')
    _aludel_db_say "ALUDEL_TEST_POSTGRES_URL=${ALUDEL_TEST_POSTGRES_URL:-(none)} ALUDEL_TEST_MYSQL_URL=$masked"
}

# Starts whichever of the two servers has no URL exported yet (MariaDB is installed
# first when missing and possible). Returns 1 when a server that should start did not.
start_test_databases() {
    local status=0
    if [ -n "${ALUDEL_TEST_POSTGRES_URL:-}" ]; then
        _aludel_db_say "using the PostgreSQL server of ALUDEL_TEST_POSTGRES_URL (none started)"
    else
        start_test_postgres || status=1
    fi
    if [ -n "${ALUDEL_TEST_MYSQL_URL:-}" ]; then
        _aludel_db_say "using the MariaDB server of ALUDEL_TEST_MYSQL_URL (none started)"
    elif ensure_mariadb_installed; then
        start_test_mariadb || status=1
    fi
    show_test_databases
    return "$status"
}

# Stops both servers this shell started and removes their folders.
stop_test_databases() {
    stop_test_postgres
    stop_test_mariadb
}
