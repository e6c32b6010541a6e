#!/usr/bin/env bash
# README command (1): build aludel and run it on the bundled example project: apply its
# migrations to a fresh SQLite file (examples/shop/shop.db), then show where the
# database is and the history with the applied revisions marked.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p aludel-cli
bin="$PWD/target/release/aludel"
cd examples/shop
rm -f shop.db
echo "\$ aludel upgrade head"
"$bin" upgrade head
echo
echo "\$ aludel current"
"$bin" current
echo
echo "\$ aludel history --indicate-current"
"$bin" history --indicate-current
