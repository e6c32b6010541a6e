#!/usr/bin/env bash
# README command (2): the whole test suite, as CI runs it (.ci/run calls this).
# Format and lint gates and the release build; then a throw-away PostgreSQL and
# MariaDB (scripts/db.sh: installs MariaDB when missing and running as root, starts
# both on free loopback ports, exports ALUDEL_TEST_POSTGRES_URL /
# ALUDEL_TEST_MYSQL_URL); the pinned Python virtualenvs of the model-source tests
# (scripts/pyenv.sh, ALUDEL_TEST_PYTHON); then every test of the workspace and one total line. The
# servers and their folders are removed on exit, whether the tests pass or fail; the
# exit status is the tests' status. When both URLs are exported already, those
# servers are used and none is started.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -q -- -D warnings
# The release build of the Dockerfile and scripts/example.sh, with the very same
# command (crates/aludel-cli/tests/guides.rs keeps them identical), so CI compiles
# what the container image ships.
cargo build --release --locked -p aludel-cli

# shellcheck source=scripts/db.sh
source scripts/db.sh
log=$(mktemp)
cleanup() {
    stop_test_databases
    rm -f "$log"
}
trap cleanup EXIT
if ! start_test_databases; then
    echo "test.sh: a database server failed to start (its log is above)" >&2
    exit 1
fi

# shellcheck source=scripts/pyenv.sh
source scripts/pyenv.sh
if ! ensure_test_python; then
    echo "test.sh: the Python test environment could not be made (see above)" >&2
    exit 1
fi

status=0
cargo test --workspace 2>&1 | tee "$log" || status=$?
# Totals over every `test result:` line (one per test binary and doc-test run).
awk '/^test result:/ {
        for (i = 2; i <= NF; i++) {
            if ($i == "passed;") passed += $(i - 1)
            if ($i == "failed;") failed += $(i - 1)
        }
    }
    END { printf "%d passed, %d failed\n", passed, failed }' "$log"
exit "$status"
