// Markdown → document throughput under Node, on the corpus that
// crates/prodoc-markdown/benches/gather-corpus.sh writes to target/markdown-corpus/ (the same
// input as `cargo bench -p prodoc-markdown`), for markdownToJson (the document as JSON text: the
// same work as the native "read + JSON" bench) and markdownToDoc (the document as objects, which
// adds V8 building them). Writes the figures to target/wasm-bench.json, which
// scripts/bench-ratios.py compares with the native bench of the same run.
// Usage: node bench/markdown.mjs [seconds per function]
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, "..", "..", "target", "markdown-corpus");
const { markdownToDoc, markdownToJson } = await import(
  pathToFileURL(join(here, "..", "pkg", "node", "prodoc_wasm.js")).href
);

let files;
try {
  files = readdirSync(corpus).sort().map((name) => readFileSync(join(corpus, name), "utf8"));
} catch {
  console.error("run crates/prodoc-markdown/benches/gather-corpus.sh first");
  process.exit(1);
}
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f, "utf8"), 0);
const seconds = Number(process.argv[2] ?? 10);

/** Median and best MiB/s of whole passes over the corpus calling `convert` on each file. */
function measure(name, convert) {
  const pass = () => {
    let size = 0;
    for (const file of files) size += convert(file);
    return size;
  };
  pass(); // warm-up: compile and grow the wasm memory once
  const times = [];
  const start = performance.now();
  while (performance.now() - start < seconds * 1000 || times.length < 3) {
    const t = performance.now();
    pass();
    times.push((performance.now() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const mib = bytes / (1024 * 1024);
  console.log(
    `${name}: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB; ${times.length} passes; ` +
      `median ${(median * 1000).toFixed(1)} ms = ${(mib / median).toFixed(1)} MiB/s ` +
      `(best ${(mib / times[0]).toFixed(1)} MiB/s)`,
  );
  return { median, mibPerSecond: mib / median };
}

const asJson = measure("markdownToJson", (file) => markdownToJson(file).json.length);
const asObjects = measure("markdownToDoc", (file) => markdownToDoc(file).doc.content.length);
const median = asObjects.median;
const mib = bytes / (1024 * 1024);
writeFileSync(
  join(here, "..", "..", "target", "wasm-bench.json"),
  JSON.stringify({
    bytes,
    markdownToJson: asJson.mibPerSecond,
    markdownToDoc: asObjects.mibPerSecond,
  }),
);

// How much of markdownToDoc is V8 building the result objects: JSON.parse of the same results' text,
// which is what markdownToDoc does last.
const texts = files.map((file) => JSON.stringify(markdownToDoc(file)));
const parses = [];
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  for (const text of texts) JSON.parse(text);
  parses.push((performance.now() - t) / 1000);
}
parses.sort((a, b) => a - b);
const parse = parses[Math.floor(parses.length / 2)];
const jsonMb = texts.reduce((n, t) => n + t.length, 0) / 1e6;
console.log(
  `of which JSON.parse of the ${jsonMb.toFixed(1)} MB of results: median ${(parse * 1000).toFixed(1)} ms; ` +
    `the rest (conversion in wasm, strings across): ${(mib / (median - parse)).toFixed(1)} MiB/s`,
);
