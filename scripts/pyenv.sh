#!/usr/bin/env bash
# The Python the tests of model sources (`sqlalchemy:`) and `import-alembic` use:
# virtualenvs under target/ with pinned packages from PyPI, created once and
# reused while the pins are unchanged. Sourced by scripts/test.sh; by hand:
#
#   source scripts/pyenv.sh && ensure_test_python
#
# exports ALUDEL_TEST_PYTHON (SQLAlchemy 2.x, SQLModel, Alembic and the PostgreSQL
# and MySQL drivers Alembic's own comparison needs) and ALUDEL_TEST_PYTHON_SA14
# (SQLAlchemy 1.4, the oldest series aludel loads models from). Tests that need
# them skip with a loud notice when unset, and fail when CI is set (crates/testdb).

ALUDEL_PY_PINS=(sqlalchemy==2.1.9 sqlmodel==0.0.50 alembic==1.20.1 psycopg2-binary==2.9.13 pymysql==1.2.4)
ALUDEL_PY_PINS_SA14=(sqlalchemy==1.4.54 alembic==1.13.3)

# make_test_venv DIR PINS...: DIR holds a virtualenv with exactly PINS installed.
make_test_venv() {
    local dir="$1"; shift
    local stamp="$dir/.aludel-pins"
    if [ -x "$dir/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$*" ]; then
        return 0
    fi
    rm -rf "$dir"
    python3 -m venv "$dir" || return 1
    "$dir/bin/pip" install -q --disable-pip-version-check "$@" || return 1
    echo "$*" > "$stamp"
}

ensure_test_python() {
    local root
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    if ! command -v python3 >/dev/null 2>&1; then
        echo "pyenv.sh: python3 is needed for the model-source tests" >&2
        return 1
    fi
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >/dev/null || return 1
        else
            echo "pyenv.sh: python3's venv module is missing (install python3-venv)" >&2
            return 1
        fi
    fi
    make_test_venv "$root/target/test-venv" "${ALUDEL_PY_PINS[@]}" || return 1
    make_test_venv "$root/target/test-venv-sa14" "${ALUDEL_PY_PINS_SA14[@]}" || return 1
    export ALUDEL_TEST_PYTHON="$root/target/test-venv/bin/python"
    export ALUDEL_TEST_PYTHON_SA14="$root/target/test-venv-sa14/bin/python"
}
