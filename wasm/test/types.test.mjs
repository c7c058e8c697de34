// Type-checks test/types.ts against the built package's .d.ts files with the TypeScript compiler:
// the public API must be precisely typed (no `any` in it), and wrong uses must not compile.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

test("the declarations accept the documented uses and reject wrong ones", () => {
  const dir = mkdtempSync(join(tmpdir(), "prodoc-types-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(join(root, "pkg"), join(dir, "node_modules", "prodoc-wasm"), "dir");
  copyFileSync(join(here, "types.ts"), join(dir, "types.ts"));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: "es2022", module: "nodenext",
      moduleResolution: "nodenext", lib: ["es2022", "dom"], skipLibCheck: false,
      noUnusedLocals: true,
    },
    files: ["types.ts"],
  }));
  let output = "";
  try {
    output = execFileSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
  } catch (error) {
    output = `${error.stdout}${error.stderr}`;
    assert.fail(`tsc found errors:\n${output}`);
  }
  assert.equal(output, "");
});

test("no `any` in the public functions and types", () => {
  for (const target of ["web", "node"]) {
    const dts = readFileSync(join(root, "pkg", target, "prodoc_wasm.d.ts"), "utf8");
    // wasm-bindgen's InitOutput (the raw exports, web only) is internal plumbing; the API is
    // everything before it.
    const api = dts.split("export type InitInput")[0];
    assert.doesNotMatch(api, /\bany\b/, `${target}/prodoc_wasm.d.ts`);
    for (const name of ["markdownToDoc", "docToMarkdown", "htmlToDoc", "docToHtml", "textToDoc",
      "docToText", "validate", "schema"]) {
      assert.match(api, new RegExp(`export function ${name}\\(`), name);
    }
  }
});
