#!/usr/bin/env bash
# Runs the criterion benches, times the CLI on the benches' 10 MB Markdown file, builds and
# benches the WebAssembly package, and prints every row of the speed-and-size table: each figure
# beside its baseline from the same run, the ratio and the target (scripts/bench-ratios.py; exit
# status 1 when a target is missed). The benches and the CLI build with the release profile the
# CLI ships with. Usage: scripts/bench.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
quick=false
if [ "${1:-}" = "--quick" ]; then
  quick=true
  args=(-- --warm-up-time 1 --measurement-time 3)
fi
echo "rustc: $(rustc --version)"
bash crates/prodoc-markdown/benches/gather-corpus.sh
cargo bench -p prodoc-core --bench read "${args[@]}"
# Also writes target/markdown-10mb.md, the file the CLI is timed on below.
cargo bench -p prodoc-markdown --bench read "${args[@]}"
# tiptap-rusty-markdown on the same corpus, from its own workspace (see its manifest), its results
# beside the others'.
CRITERION_HOME="$PWD/target/criterion" cargo bench --manifest-path benches/tiptap/Cargo.toml \
  --target-dir target/tiptap "${args[@]}"
cargo bench -p prodoc-html --bench read "${args[@]}"

# The whole process: `prodoc convert` of the 10 MB file to compact and to pretty JSON, the median
# of alternating runs (the in-process figure is the criterion bench's).
cargo build --release -q -p prodoc-cli
python3 - "$($quick && echo 5 || echo 11)" <<'PY'
import json, statistics, subprocess, sys, time
runs = int(sys.argv[1])
times = {"compact": [], "pretty": []}
for _ in range(runs):
    for style in times:
        start = time.perf_counter()
        subprocess.run(["target/release/prodoc", "convert", "target/markdown-10mb.md", "-q",
                        "--json", style, "-o", "target/bench-process-out.json"], check=True)
        times[style].append(time.perf_counter() - start)
result = {style: statistics.median(values) for style, values in times.items()}
open("target/bench-process.json", "w").write(json.dumps(result))
print(f"prodoc convert, 10 MB file: {result}")
PY

# The WebAssembly build against native, when its tools are here (wasm/build.sh installs them).
rm -f target/wasm-bench.json
if command -v wasm-bindgen >/dev/null && command -v node >/dev/null; then
  bash wasm/build.sh >/dev/null
  node wasm/bench/markdown.mjs "$($quick && echo 3 || echo 10)"
fi
python3 scripts/bench-ratios.py
