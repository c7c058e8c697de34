#!/usr/bin/env python3
"""Prints every row of the speed-and-size table: prodoc's figure beside its baseline from the same
run, their ratio and the target, from criterion's last run (target/criterion), the whole-process
timings scripts/bench.sh writes (target/bench-process.json), the WebAssembly bench
(target/wasm-bench.json) and the WebAssembly package (wasm/pkg)."""
import gzip
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CRITERION = ROOT / "target" / "criterion"

# (row, group, ours, baseline, target ratio of throughputs, ours / baseline)
COMPARISONS = [
    ("Markdown read + JSON, corpus", "markdown-corpus", "read + JSON",
     "pulldown-cmark push_html", 0.8),
    ("same, one 10 MB file", "markdown-10mb", "read + JSON", "pulldown-cmark push_html", 0.8),
    ("same corpus, against tiptap-rusty-markdown", "markdown-corpus", "read + JSON",
     "tiptap-rusty-markdown + JSON", 2.0),
    ("HTML read + JSON, 200 pages", "html-pages", "read + JSON", "html5ever+rcdom parse only", 0.8),
    ("same, their <main> as one page", "html-one-page", "read + JSON",
     "html5ever+rcdom parse only", 0.8),
    ("strict JSON read, JSON made from the 10 MB Markdown", "json-from-markdown",
     "prodoc-strict-read-validate", "serde_json-value", 1.2),
    ("strict JSON read, real bodies' blocks repeated (core bench)", "json-read",
     "prodoc-strict-read-validate", "serde_json-value", 1.2),
]


def mean_ns(group, name):
    for bench in CRITERION.glob("**/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        if meta.get("group_id") == group and meta.get("function_id") == name:
            estimates = json.loads((bench.parent / "estimates.json").read_text())
            throughput = meta.get("throughput") or {}
            return estimates["median"]["point_estimate"], throughput.get("Bytes")
    return None, None


def mib(size, ns):
    return (size or 0) / (ns / 1e9) / (1 << 20)


def verdict(ok):
    return "meets" if ok else "BELOW"


failed = False
for row, group, ours, baseline, target in COMPARISONS:
    ours_ns, size = mean_ns(group, ours)
    base_ns, _ = mean_ns(group, baseline)
    if ours_ns is None or base_ns is None:
        print(f"{row}: no results for {group}/{ours!r} or {baseline!r}")
        failed = True
        continue
    ratio = base_ns / ours_ns
    failed |= ratio < target
    print(f"{row}: prodoc {mib(size, ours_ns):.1f} MiB/s, {baseline} {mib(size, base_ns):.1f} MiB/s, "
          f"ratio {ratio:.2f} (target >= {target}) {verdict(ratio >= target)}")

# Markdown writing, without a target: beside JSON writing of the same documents in the same run.
ours_ns, size = mean_ns("markdown-corpus-write", "Markdown")
base_ns, _ = mean_ns("markdown-corpus-write", "JSON")
row = "Markdown write, the corpus's documents (each leaf read back to check it)"
if ours_ns is None or base_ns is None:
    print(f"{row}: no results for markdown-corpus-write")
else:
    print(f"{row}: {mib(size, ours_ns):.1f} MiB/s of the Markdown read, JSON write "
          f"{mib(size, base_ns):.1f} MiB/s, ratio {base_ns / ours_ns:.2f} (no target)")

# The CLI on the 10 MB file, whole process, against reading and writing it in-process.
process = ROOT / "target" / "bench-process.json"
inproc_ns, size = mean_ns("markdown-10mb", "read + JSON")
if process.exists() and inproc_ns is not None:
    times = json.loads(process.read_text())
    compact, pretty = times["compact"], times["pretty"]
    whole = compact / (inproc_ns / 1e9)
    failed |= whole > 1.25 or pretty / compact > 1.15
    print(f"prodoc convert -t json, 10 MB file, whole process: compact {compact:.3f} s, "
          f"pretty {pretty:.3f} s; in-process read + JSON {inproc_ns / 1e9:.3f} s; "
          f"whole / in-process {whole:.2f} (target <= 1.25) {verdict(whole <= 1.25)}, "
          f"pretty / compact {pretty / compact:.2f} (target <= 1.15) {verdict(pretty / compact <= 1.15)}")
else:
    print("whole process: no results (scripts/bench.sh times the CLI)")
    failed = True

# The WebAssembly build under Node (wasm/bench/markdown.mjs) against the native "read + JSON".
wasm = ROOT / "target" / "wasm-bench.json"
native_ns, size = mean_ns("markdown-corpus", "read + JSON")
if wasm.exists() and native_ns is not None:
    figures = json.loads(wasm.read_text())
    native = mib(size, native_ns)
    ratio = figures["markdownToJson"] / native
    failed |= ratio < 0.8
    print(f"WASM markdownToJson under Node {figures['markdownToJson']:.1f} MiB/s, native read + JSON "
          f"{native:.1f} MiB/s, ratio {ratio:.2f} (target >= 0.8) {verdict(ratio >= 0.8)}")
else:
    print("WASM speed: no results (scripts/bench.sh runs wasm/bench/markdown.mjs after wasm/build.sh)")
    failed = True
module = ROOT / "wasm" / "pkg" / "web" / "prodoc_wasm_bg.wasm"
if module.exists():
    raw = module.read_bytes()
    packed = len(gzip.compress(raw, 9))
    failed |= packed > 400_000
    print(f"WASM bundle: {len(raw) / 1000:.0f} KB, gzipped {packed / 1000:.0f} KB "
          f"(target <= 400 KB) {verdict(packed <= 400_000)}")
else:
    print("WASM bundle: not built (wasm/build.sh)")
    failed = True
sys.exit(1 if failed else 0)
