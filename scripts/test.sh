#!/usr/bin/env bash
# README command (2): the whole test suite, as CI runs it (.ci/run calls this).
# Format and lint gates, then every test of the workspace, then one total line.
# Database servers (PostgreSQL, MariaDB) are started here once database tests
# exist (issue 3).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -q -- -D warnings
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --workspace 2>&1 | tee "$log"
passed=$(grep -E '^test result:' "$log" | sed -E 's/.* ([0-9]+) passed.*/\1/' | paste -sd+ | bc)
failed=$(grep -E '^test result:' "$log" | sed -E 's/.* ([0-9]+) failed.*/\1/' | paste -sd+ | bc)
echo "${passed} passed, ${failed} failed"
