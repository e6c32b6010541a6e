#!/usr/bin/env bash
# README command (1): build aludel and run it on the bundled example project.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p aludel-cli
bin="$PWD/target/release/aludel"
cd examples/shop
echo "\$ aludel history"
"$bin" history
echo
echo "\$ aludel heads"
"$bin" heads
echo
echo "\$ aludel branches"
"$bin" branches
