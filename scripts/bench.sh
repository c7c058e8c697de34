#!/usr/bin/env bash
# Runs the criterion benches and prints each measured throughput beside its baseline from the same
# run, with the ratio and the target the issues set. Usage: scripts/bench.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
if [ "${1:-}" = "--quick" ]; then
  args=(-- --warm-up-time 1 --measurement-time 3)
fi
[ -d target/markdown-corpus ] || bash crates/prodoc-markdown/benches/gather-corpus.sh >/dev/null
cargo bench -p prodoc-core --bench read "${args[@]}"
cargo bench -p prodoc-markdown --bench read "${args[@]}"
if [ -f crates/prodoc-html/benches/read.rs ]; then
  cargo bench -p prodoc-html --bench read "${args[@]}"
fi
python3 scripts/bench-ratios.py
