// Markdown → document throughput under Node, on the corpus that
// crates/prodoc-markdown/benches/gather-corpus.sh writes to target/markdown-corpus/ (the same
// input as `cargo bench -p prodoc-markdown`). Each call is markdownToDoc, whose result is a
// JavaScript object: the figure includes building it (JSON.parse of the document), so compare it
// with the native "read + JSON" bench. Usage: node bench/markdown.mjs [seconds]
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, "..", "..", "target", "markdown-corpus");
const { markdownToDoc } = await import(
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

function pass() {
  let nodes = 0;
  for (const file of files) nodes += markdownToDoc(file).doc.content.length;
  return nodes;
}

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
  `markdownToDoc: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB; ${times.length} passes; ` +
    `median ${(median * 1000).toFixed(1)} ms = ${(mib / median).toFixed(1)} MiB/s ` +
    `(best ${(mib / times[0]).toFixed(1)} MiB/s)`,
);

// How much of that is V8 building the result objects: JSON.parse of the same results' text,
// which is what markdownToDoc does last.
const texts = files.map((file) => JSON.stringify(markdownToDoc(file)));
const parses = [];
for (let i = 0; i < Math.max(3, Math.min(times.length, 15)); i++) {
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
