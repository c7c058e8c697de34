// The npm package under Node: every exported function, its options and its errors.
// Run `./build.sh` first (it writes pkg/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "..", "pkg");
const prodoc = await import(pathToFileURL(join(pkg, "node", "prodoc_wasm.js")).href);
const {
  markdownToDoc, docToMarkdown, htmlToDoc, docToHtml, textToDoc, docToText, validate, schema,
  markdownToJson, htmlToJson, textToJson,
} = prodoc;

const DOC = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Plan" }] },
    {
      type: "paragraph",
      content: [
        { type: "text", text: "ship", marks: [{ type: "strong" }] },
        { type: "text", text: " it" },
      ],
    },
  ],
};

/** Calls `f`, expecting a ProdocError; returns it. */
function throwsProdoc(f, code) {
  let error;
  assert.throws(f, (e) => {
    error = e;
    return e instanceof Error && e.name === "ProdocError";
  });
  assert.ok(Array.isArray(error.diagnostics) && error.diagnostics.length > 0);
  if (code) assert.equal(error.diagnostics[0].code, code);
  assert.equal(error.diagnostics[0].severity, "error");
  return error;
}

test("the package's exports map gives Node the same functions, by import and require", async () => {
  const dir = mkdtempSync(join(tmpdir(), "prodoc-wasm-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(pkg, join(dir, "node_modules", "prodoc-wasm"), "dir");
  writeFileSync(join(dir, "esm.mjs"), 'export * from "prodoc-wasm";\n');
  writeFileSync(join(dir, "cjs.cjs"), 'module.exports = require("prodoc-wasm");\n');
  const esm = await import(pathToFileURL(join(dir, "esm.mjs")).href);
  const cjs = (await import(pathToFileURL(join(dir, "cjs.cjs")).href)).default;
  for (const api of [esm, cjs]) {
    assert.deepEqual(api.markdownToDoc("# Plan").doc.content[0].attrs, { level: 1 });
  }
});

test("markdownToDoc: document, positioned diagnostics, front matter", () => {
  const out = markdownToDoc("---\ntitle: Notes\n---\n## Plan\n\n**ship** it\n\n#### deep\n");
  assert.deepEqual(out.doc.content.slice(0, 2), DOC.content);
  assert.deepEqual(out.metadata, { title: "Notes" });
  assert.deepEqual(out.diagnostics, [{
    severity: "warning",
    code: "heading-level",
    message: "found a level 4 heading, expected 1–3; read as level 3",
    line: 8,
    column: 1,
  }]);
  assert.equal(validate(out.doc).valid, true);
});

test("markdownToJson, htmlToJson, textToJson: the same reading, the document as JSON text", () => {
  const markdown = "---\ntitle: Notes\n---\n## Plan\n\n**ship** it\n\n#### deep\n";
  const out = markdownToJson(markdown);
  assert.equal(typeof out.json, "string");
  assert.deepEqual(Object.keys(out).sort(), ["diagnostics", "json", "metadata"]);
  const whole = markdownToDoc(markdown);
  assert.deepEqual(JSON.parse(out.json), whole.doc);
  assert.deepEqual(out.diagnostics, whole.diagnostics);
  assert.deepEqual(out.metadata, { title: "Notes" });
  assert.equal(validate(out.json).valid, true);
  assert.equal(markdownToJson("~~x~~", { gfm: false }).json, JSON.stringify(markdownToDoc("~~x~~", { gfm: false }).doc));

  const html = htmlToJson("<title>T</title><p>a<script>x</script></p>");
  assert.deepEqual(JSON.parse(html.json), htmlToDoc("<p>a</p>").doc);
  assert.equal(html.metadata.title, "T");
  assert.equal(html.diagnostics[0].severity, "warning");
  assert.deepEqual(JSON.parse(textToJson("- a", { lists: true }).json), textToDoc("- a", { lists: true }).doc);

  throwsProdoc(() => markdownToJson(42), "invalid-argument");
  throwsProdoc(() => htmlToJson("<p>x</p>", { nope: 1 }), "invalid-option");
  throwsProdoc(() => textToJson("x", { lists: "yes" }), "invalid-option");
});

test("markdownToDoc options", () => {
  assert.equal(
    markdownToDoc("#### deep", { deepHeadings: "bold-paragraph" }).doc.content[0].type,
    "paragraph",
  );
  assert.equal(markdownToDoc("~~x~~", { gfm: false }).doc.content[0].content[0].text, "~~x~~");
  const noFront = markdownToDoc("---\ntitle: x\n---\n", { frontMatter: false });
  assert.deepEqual(noFront.metadata, {});
  assert.equal(noFront.doc.content[0].type, "divider");
  const mention = markdownToDoc("@[person:1:Ann]").doc.content[0].content[0];
  assert.equal(mention.type, "mention");
  assert.equal(markdownToDoc("@[person:1:Ann]", { mentions: false }).doc.content[0].content[0].type, "text");
  assert.deepEqual(markdownToDoc("x", null).doc, markdownToDoc("x").doc);
});

test("options are checked: unknown fields and wrong values throw", () => {
  const e = throwsProdoc(() => markdownToDoc("x", { gfmm: true }), "invalid-option");
  assert.match(e.message, /gfmm/);
  throwsProdoc(() => markdownToDoc("x", { gfm: "yes" }), "invalid-option");
  throwsProdoc(() => docToHtml(DOC, { dialect: "word" }), "invalid-option");
  throwsProdoc(() => docToMarkdown(DOC, { bullet: "x" }), "invalid-option");
  throwsProdoc(() => docToText(DOC, { wrap: -1 }), "invalid-option");
  throwsProdoc(() => docToText(DOC, { wrap: 0 }), "invalid-option");
  throwsProdoc(() => validate(DOC, { mode: "loose" }), "invalid-option");
  throwsProdoc(() => htmlToDoc("<p>x</p>", { anything: 1 }), "invalid-option");
  throwsProdoc(() => textToDoc("x", { lists: 1 }), "invalid-option");
  throwsProdoc(() => docToText(DOC, { wrap: 2.5 }), "invalid-option");
  throwsProdoc(() => markdownToDoc("x", 5), "invalid-option");
  throwsProdoc(() => markdownToDoc("x", [true]), "invalid-option");
});

test("text arguments must be strings", () => {
  for (const f of [markdownToDoc, htmlToDoc, textToDoc]) {
    const e = throwsProdoc(() => f(42), "invalid-argument");
    assert.equal(e.message, "found number, expected a string");
    throwsProdoc(() => f(), "invalid-argument");
  }
  // The module still works after a rejected call.
  assert.equal(markdownToDoc("ok").doc.content[0].content[0].text, "ok");
});

test("docToMarkdown: object or JSON text in, Markdown out, round trip", () => {
  const out = docToMarkdown(DOC);
  assert.deepEqual(out, { text: "## Plan\n\n**ship** it\n", diagnostics: [] });
  assert.deepEqual(docToMarkdown(JSON.stringify(DOC)), out);
  assert.deepEqual(markdownToDoc(out.text).doc, DOC);
  const list = { type: "doc", content: [{ type: "ul", content: [{ type: "li", content: [{ type: "paragraph", content: [{ type: "text", text: "a" }] }] }] }] };
  assert.equal(docToMarkdown(list, { bullet: "*" }).text, "* a\n");
  const withId = { type: "doc", content: [{ type: "paragraph", attrs: { id: "b1" }, content: [{ type: "text", text: "x" }] }] };
  const written = docToMarkdown(withId);
  assert.equal(written.diagnostics[0].code, "block-id");
  assert.equal(written.diagnostics[0].pointer, "/content/0");
});

test("documents that cannot be read throw ProdocError with pointers", () => {
  const bad = { type: "doc", content: [{ type: "paragraf" }] };
  for (const f of [docToMarkdown, docToHtml, docToText]) {
    const e = throwsProdoc(() => f(bad), "unknown-node");
    assert.equal(e.diagnostics[0].pointer, "/content/0");
    assert.match(e.message, /paragraf/);
    throwsProdoc(() => f("{not json"));
    throwsProdoc(() => f(7), "invalid-argument");
    throwsProdoc(() => f(undefined), "invalid-argument");
  }
});

test("lenient reading keeps what it can and says what it did", () => {
  const odd = { type: "doc", content: [{ type: "widget" }, { type: "paragraph", content: [{ type: "text", text: "kept" }] }] };
  const out = docToText(odd, { lenient: true });
  assert.equal(out.text, "kept\n");
  const codes = out.diagnostics.map((d) => d.code);
  assert.ok(codes.includes("unknown-node") && codes.includes("raw-node"), codes.join());
  assert.ok(out.diagnostics.every((d) => d.severity === "warning"));
  assert.equal(docToHtml(odd, { lenient: true }).text, "<p>kept</p>");
  assert.equal(docToMarkdown(odd, { lenient: true }).text, "kept\n");
});

test("htmlToDoc: page title, dropped elements with line and column", () => {
  const out = htmlToDoc("<title>Notes</title><h2>Plan</h2>\n<p><b>ship</b> it<sup>2</sup></p>");
  assert.deepEqual(out.metadata, { title: "Notes" });
  assert.equal(out.doc.content[0].type, "heading");
  const sup = out.diagnostics.find((d) => d.code === "unsupported-formatting");
  assert.deepEqual([sup.line, sup.column], [2, 18]);
  assert.equal(sup.pointer, undefined);
});

test("docToHtml: Productive dialect by default, plain on request", () => {
  assert.deepEqual(docToHtml(DOC), { text: "<h2>Plan</h2><p><strong>ship</strong> it</p>", diagnostics: [] });
  const banner = { type: "doc", content: [{ type: "banner", attrs: { type: "warning" }, content: [{ type: "paragraph", content: [{ type: "text", text: "x" }] }] }] };
  assert.equal(docToHtml(banner).text, '<banner type="warning"><p>x</p></banner>');
  assert.equal(docToHtml(banner, { dialect: "plain" }).text, '<aside title="warning"><p>x</p></aside>');
  assert.equal(docToHtml(DOC, { newlines: true }).text, "<h2>Plan</h2>\n<p><strong>ship</strong> it</p>\n");
  const centred = { type: "doc", content: [{ type: "paragraph", attrs: { textAlign: "center" }, content: [{ type: "text", text: "x" }] }] };
  const plain = docToHtml(centred, { dialect: "plain" });
  assert.equal(plain.text, "<p>x</p>");
  assert.equal(plain.diagnostics.length, 1);
  assert.equal(plain.diagnostics[0].pointer, "/content/0");
  assert.deepEqual(htmlToDoc(docToHtml(banner).text).doc, banner);
});

test("textToDoc and docToText", () => {
  const read = textToDoc("Hello\nworld\n\nBye");
  assert.deepEqual(read.doc.content[0].content.map((n) => n.type), ["text", "br", "text"]);
  assert.deepEqual(read.diagnostics, []);
  assert.equal(textToDoc("- a\n- b", { lists: true }).doc.content[0].type, "ul");
  assert.equal(textToDoc("- a\n- b").doc.content[0].type, "paragraph");
  const numbered = textToDoc("1. a\n3. b", { lists: true });
  assert.equal(numbered.diagnostics[0].code, "list-number");
  assert.deepEqual([numbered.diagnostics[0].line, numbered.diagnostics[0].column], [2, 1]);

  assert.equal(docToText(DOC).text, "Plan\n----\n\nship it\n");
  assert.equal(docToText(DOC, { headingStyle: "prefixed" }).text, "## Plan\n\nship it\n");
  const long = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "one two three four" }] }] };
  assert.equal(docToText(long, { wrap: 9 }).text, "one two\nthree\nfour\n");
});

test("validate: strict and lenient, the three input shapes", () => {
  assert.deepEqual(validate(DOC), { valid: true, shape: "document", diagnostics: [] });
  assert.equal(validate(JSON.stringify(JSON.stringify(DOC))).shape, "body-string");
  const page = { data: { attributes: { body: JSON.stringify(DOC) } } };
  assert.equal(validate(page).shape, "page-resource");
  const odd = { type: "doc", content: [{ type: "heading", attrs: { level: 7 }, content: [{ type: "text", text: "x" }] }] };
  const strict = validate(odd);
  assert.equal(strict.valid, false);
  assert.equal(strict.shape, null);
  assert.equal(strict.diagnostics[0].severity, "error");
  assert.equal(strict.diagnostics[0].pointer, "/content/0/attrs/level");
  const lenient = validate(odd, { mode: "lenient" });
  assert.equal(lenient.valid, true);
  assert.ok(lenient.diagnostics.length > 0 && lenient.diagnostics.every((d) => d.severity === "warning"));
  assert.equal(validate("{").valid, false);
  throwsProdoc(() => validate(null), "invalid-argument");
});

test("schema: the JSON Schema of the strict format", () => {
  const s = schema();
  assert.match(s.$schema, /2020-12/);
  assert.equal(typeof s, "object");
  assert.deepEqual(schema(), s);
});
