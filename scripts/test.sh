#!/usr/bin/env bash
# README command (2): the whole test suite, as CI runs it (.ci/run calls this).
# Format and lint gates, then every test of the workspace. Database servers
# (PostgreSQL, MariaDB) are started here once database tests exist (issue 3).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -q -- -D warnings
cargo test --workspace
