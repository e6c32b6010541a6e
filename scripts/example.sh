#!/usr/bin/env bash
# README command (1): build aludel and run it on the bundled example project: apply its
# schema to a fresh SQLite file (examples/shop/shop.db), then its optional demo data
# (a line of its own, see the README's seed-data guide), then show where the database
# is and the history with the applied revisions marked.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "Building aludel (release; the first build takes a few minutes, cargo shows its progress)..."
cargo build --release --locked -p aludel-cli
bin="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/aludel"
cd examples/shop
rm -f shop.db
echo
echo "\$ aludel upgrade schema@head      # the schema only"
"$bin" upgrade schema@head
echo
echo "\$ aludel upgrade heads            # and the demo data"
"$bin" upgrade heads
echo
echo "\$ aludel current"
"$bin" current
echo
echo "\$ aludel history --indicate-current"
"$bin" history --indicate-current
