#!/usr/bin/env python3
"""Prints ours-versus-baseline throughput ratios from criterion's last run (target/criterion)."""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"

# (group, ours, baseline, target ratio)
COMPARISONS = [
    ("json-read", "prodoc-strict-read-validate", "serde_json-value", 0.5),
    ("markdown-corpus", "read + JSON", "pulldown-cmark push_html", 0.5),
    ("read/rust-docs", "prodoc_html::read", "html5ever+rcdom parse only", 0.7),
]


def mean_ns(group, name):
    for bench in ROOT.glob("**/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        if meta.get("group_id") == group and meta.get("function_id") == name:
            estimates = json.loads((bench.parent / "estimates.json").read_text())
            throughput = meta.get("throughput") or {}
            return estimates["mean"]["point_estimate"], throughput.get("Bytes")
    return None, None



for group, ours, baseline, target in COMPARISONS:
    ours_ns, size = mean_ns(group, ours)
    base_ns, _ = mean_ns(group, baseline)
    if ours_ns is None or base_ns is None:
        print(f"{group}: no results for {ours!r} or {baseline!r}")
        continue
    mib = lambda ns: (size or 0) / (ns / 1e9) / (1 << 20)
    ratio = base_ns / ours_ns
    verdict = "meets" if ratio >= target else "BELOW"

    print(f"{group}: {ours} {mib(ours_ns):.1f} MiB/s, {baseline} {mib(base_ns):.1f} MiB/s, "
          f"ratio {ratio:.2f} (target {target}) {verdict}")
# The WebAssembly build under Node (wasm/bench/markdown.mjs) against the native "read + JSON".
WASM = ROOT.parent / "wasm-bench.json"
native_ns, size = mean_ns("markdown-corpus", "read + JSON")
if WASM.exists() and native_ns is not None:
    wasm = json.loads(WASM.read_text())
    native = (size or 0) / (native_ns / 1e9) / (1 << 20)
    for name in ("markdownToJson", "markdownToDoc"):
        ratio = wasm[name] / native
        verdict = "meets" if ratio >= 0.5 else "BELOW"
        print(f"wasm: {name} {wasm[name]:.1f} MiB/s, native read + JSON {native:.1f} MiB/s, "
              f"ratio {ratio:.2f} (target 0.5) {verdict}")
else:
    print("wasm: no results (build wasm/pkg with wasm/build.sh; scripts/bench.sh runs the bench)")
sys.exit(0)
