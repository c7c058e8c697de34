#!/usr/bin/env bash
# Runs the criterion benches and prints each measured throughput beside its baseline from the same
# run, with the ratio and the target the issues set, and the WebAssembly build's Markdown reading
# against the native one. Usage: scripts/bench.sh [--quick]
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
# The WebAssembly build against native, when its tools are here (wasm/build.sh installs them).
rm -f target/wasm-bench.json
if command -v wasm-bindgen >/dev/null && command -v node >/dev/null; then
  bash wasm/build.sh >/dev/null
  node wasm/bench/markdown.mjs "$([ "${1:-}" = "--quick" ] && echo 3 || echo 10)"
fi
python3 scripts/bench-ratios.py
