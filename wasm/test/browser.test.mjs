// The page in wasm/www/ in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser is downloaded), served from wasm/ on 127.0.0.1.
// Run `./build.sh` first (it writes pkg/).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const { markdownToDoc, htmlToDoc } = await import(
  pathToFileURL(join(root, "pkg", "node", "prodoc_wasm.js")).href
);
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

let server;
let browser;
let profile;
let base;
const outside = [];

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForServer(url) {
  for (let i = 0; i < 100; i++) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not start`);
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} missing: apt-get install -y chromium`);
  const port = await freePort();
  server = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1"], {
    cwd: root,
    stdio: "ignore",
  });
  base = `http://127.0.0.1:${port}`;
  await waitForServer(`${base}/www/index.html`);
  profile = mkdtempSync(join(tmpdir(), "prodoc-chromium-"));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Off the network: this machine reaches nothing but its own servers. Playwright adds
    // --headless and makes a fresh, empty profile itself (it refuses --user-data-dir here).
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    env: { ...process.env, TMPDIR: profile },
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (profile) rmSync(profile, { recursive: true, force: true });
  assert.deepEqual(outside, [], "the page asked for something outside its own server");
});

async function openPage() {
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(base) && !url.startsWith("about:") && !url.startsWith("data:")) outside.push(url);
  });
  await page.goto(`${base}/www/index.html`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  return { page, context, errors };
}

const MARKDOWN = "# Plan\n\n- [x] **ship** it\n\n#### Deep\n\n> [!WARNING]\n> Back up first.\n";

test("typing Markdown shows the JSON, the preview and the diagnostics", async () => {
  const { page, context, errors } = await openPage();
  const input = page.locator("#input");
  await input.fill("");
  await input.pressSequentially(MARKDOWN);
  const expected = markdownToDoc(MARKDOWN);

  // JSON: pretty, and the same document the Node build gives.
  await page.waitForFunction(
    (n) => document.getElementById("json").textContent.includes('"Back up first."') &&
      document.querySelectorAll("#diagnostics li").length === n,
    expected.diagnostics.length,
  );
  const text = await page.locator("#json").textContent();
  assert.deepEqual(JSON.parse(text), expected.doc);
  assert.equal(text, JSON.stringify(expected.doc, null, 2));

  // Preview: the plain HTML dialect, in the sandboxed frame.
  const preview = page.frameLocator("#preview");
  assert.equal(await preview.locator("h1").textContent(), "Plan");
  assert.equal(await preview.locator("strong").textContent(), "ship");
  assert.equal(await preview.locator("aside").getAttribute("title"), "warning");
  assert.equal((await preview.locator("h3").textContent()).trim(), "Deep");

  // Diagnostics: the level 4 heading, at its line and column.
  const item = page.locator("#diagnostics li", { hasText: "heading-level" });
  assert.equal(await item.locator(".where").textContent(), "5:1");
  assert.match(await item.textContent(), /found a level 4 heading/);
  await item.click();
  const selection = await page.evaluate(() => document.getElementById("input").selectionStart);
  assert.equal(selection, MARKDOWN.indexOf("#### Deep"));

  // Copy puts the JSON on the clipboard.
  await page.click("#copy");
  await page.waitForFunction(() => document.getElementById("copy-status").textContent === "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);

  assert.deepEqual(errors, []);
  await context.close();
});

test("HTML input, and a dropped file choosing its format", async () => {
  const { page, context, errors } = await openPage();
  await page.selectOption("#format", "html");
  const html = "<h2>Notes</h2><p>a<sup>2</sup></p>";
  await page.locator("#input").fill(html);
  await page.waitForFunction(() => document.getElementById("json").textContent.includes('"Notes"'));
  assert.deepEqual(JSON.parse(await page.locator("#json").textContent()), htmlToDoc(html).doc);
  const sup = page.locator("#diagnostics li", { hasText: "unsupported-formatting" });
  assert.equal(await sup.locator(".where").textContent(), "1:19");

  // A dropped .md file replaces the input and switches the format back to Markdown.
  const dropped = "Dropped *text*\n";
  const data = await page.evaluateHandle((content) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([content], "notes.md", { type: "text/markdown" }));
    return transfer;
  }, dropped);
  await page.dispatchEvent("#input", "drop", { dataTransfer: data });
  await page.waitForFunction(() => document.getElementById("format").value === "markdown");
  await page.waitForFunction(() => document.getElementById("json").textContent.includes('"Dropped "'));
  assert.deepEqual(JSON.parse(await page.locator("#json").textContent()), markdownToDoc(dropped).doc);
  assert.equal(await page.frameLocator("#preview").locator("em").textContent(), "text");
  assert.equal(await page.locator("#summary").textContent(), "none");

  assert.deepEqual(errors, []);
  await context.close();
});
