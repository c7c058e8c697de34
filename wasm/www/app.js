// The converter page: everything runs here, on the package that build.sh wrote to ../pkg/web/.
import init, { markdownToDoc, htmlToDoc, docToHtml } from "../pkg/web/prodoc_wasm.js";

const $ = (id) => document.getElementById(id);
const input = $("input");
const format = $("format");
const json = $("json");
const preview = $("preview");
const list = $("diagnostics");
const summary = $("summary");
const status = $("status");

// The preview is the plain HTML dialect, which holds only tags and attributes a sanitiser keeps;
// it is still shown in a sandboxed frame (no scripts), so the input can never act on this page.
const PREVIEW_STYLE = `<style>
  body { font: 14px/1.5 system-ui, sans-serif; margin: 0.8rem; color: #1d2330; }
  aside { border-left: 4px solid #8aa4d6; background: #f1f5fd; padding: 0.1rem 0.8rem; margin: 0.6rem 0; }
  aside[title="warning"] { border-color: #e0a800; background: #fff8e1; }
  aside[title="critical"] { border-color: #d93025; background: #fdecea; }
  aside[title="success"] { border-color: #2e7d32; background: #edf7ee; }
  table { border-collapse: collapse; } td, th { border: 1px solid #ccd; padding: 0.2rem 0.5rem; }
  pre { background: #f4f5f7; padding: 0.5rem; overflow: auto; } img { max-width: 100%; }
</style>`;

function convert() {
  const text = input.value;
  let conversion;
  try {
    conversion = format.value === "html" ? htmlToDoc(text) : markdownToDoc(text);
  } catch (error) {
    showDiagnostics(error.diagnostics ?? [{ severity: "error", code: "internal", message: String(error) }], []);
    return;
  }
  json.textContent = JSON.stringify(conversion.doc, null, 2);
  let written = { text: "", diagnostics: [] };
  try {
    written = docToHtml(conversion.doc, { dialect: "plain" });
  } catch (error) {
    written.diagnostics = error.diagnostics ?? [];
  }
  preview.srcdoc = `<!doctype html><meta charset="utf-8">${PREVIEW_STYLE}<body>${written.text}</body>`;
  showDiagnostics(conversion.diagnostics, written.diagnostics);
}

function showDiagnostics(read, previewed) {
  list.replaceChildren();
  const add = (d, where) => {
    const li = document.createElement("li");
    li.className = `severity-${d.severity}`;
    const at = document.createElement("span");
    at.className = "where";
    at.textContent = where;
    const code = document.createElement("span");
    code.className = "code";
    code.textContent = `${d.severity} ${d.code}`;
    li.append(at, code, document.createTextNode(d.message));
    if (d.hint) {
      const hint = document.createElement("span");
      hint.className = "hint";
      hint.textContent = d.hint;
      li.append(hint);
    }
    if (d.line !== undefined) {
      li.dataset.line = d.line;
      li.dataset.column = d.column;
      li.title = "Show in the input";
      li.addEventListener("click", () => select(d.line, d.column));
    }
    list.append(li);
  };
  for (const d of read) add(d, d.line !== undefined ? `${d.line}:${d.column}` : (d.pointer ?? ""));
  for (const d of previewed) add(d, `preview ${d.pointer ?? ""}`);
  const n = read.length + previewed.length;
  summary.textContent = n === 0 ? "none" : `${n}`;
}

/** Puts the caret at a 1-based line and column (columns count characters, as the diagnostics do). */
function select(line, column) {
  const lines = input.value.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  // Columns count Unicode scalar values; JavaScript strings count UTF-16 units.
  const chars = Array.from(lines[line - 1] ?? "").slice(0, column - 1).join("");
  offset += chars.length;
  input.focus();
  input.setSelectionRange(offset, offset + 1);
}

async function copy() {
  const text = json.textContent;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (or an insecure origin): fall back to a selection and copy.
    const range = document.createRange();
    range.selectNodeContents(json);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    document.execCommand("copy");
  }
  $("copy-status").textContent = "Copied";
  setTimeout(() => ($("copy-status").textContent = ""), 1500);
}

function formatFor(name) {
  return /\.html?$/i.test(name) ? "html" : /\.(md|markdown|mdown|mkd)$/i.test(name) ? "markdown" : null;
}

async function drop(event) {
  event.preventDefault();
  input.classList.remove("dragging");
  const file = event.dataTransfer.files[0];
  if (!file) return;
  input.value = await file.text();
  const guessed = formatFor(file.name);
  if (guessed) format.value = guessed;
  convert();
}

let pending = 0;
function schedule() {
  // Keystrokes that arrive together convert once.
  clearTimeout(pending);
  pending = setTimeout(convert, 0);
}

await init();
input.addEventListener("input", schedule);
format.addEventListener("change", convert);
$("copy").addEventListener("click", copy);
input.addEventListener("dragover", (e) => { e.preventDefault(); input.classList.add("dragging"); });
input.addEventListener("dragleave", () => input.classList.remove("dragging"));
input.addEventListener("drop", drop);
convert();
status.textContent = "Ready";
document.body.dataset.ready = "true";
