// Compiled (not run) by types.test.mjs with `tsc --strict --noEmit`: the package's declarations
// must accept the documented uses and reject wrong ones (each @ts-expect-error must be an error).
import init, {
  markdownToDoc, docToMarkdown, htmlToDoc, docToHtml, textToDoc, docToText, validate, schema,
  type Conversion, type Written, type ValidationReport, type Diagnostic, type ProdocDoc,
  type ProdocError, type JsonSchema, markdownToJson, htmlToJson, textToJson, type JsonConversion,
} from "prodoc-wasm/web";

await init();
const read: Conversion = markdownToDoc("# x", { gfm: true, deepHeadings: "bold-paragraph" });
const doc: ProdocDoc = read.doc;
const first: Diagnostic | undefined = read.diagnostics[0];
const line: number | undefined = first?.line;
const severity: "error" | "warning" | undefined = first?.severity;
const written: Written = docToHtml(doc, { dialect: "plain" });
const md: string = docToMarkdown(JSON.stringify(doc), { bullet: "*" }).text;
const text: string = docToText(doc, { wrap: 72, headingStyle: "prefixed", lenient: true }).text;
const fromHtml: Conversion = htmlToDoc("<p>x</p>");
const fromText: Conversion = textToDoc("x", { lists: true });
const report: ValidationReport = validate(doc, { mode: "lenient" });
const shape: "document" | "body-string" | "page-resource" | null = report.shape;
const s: JsonSchema = schema();
const asJson: JsonConversion = markdownToJson("# x", { mentions: false });
const body: string = asJson.json;
const fromHtmlJson: string = htmlToJson("<p>x</p>").json;
const fromTextJson: JsonConversion = textToJson("x", { lists: true });
try {
  validate("{}");
} catch (e) {
  const error = e as ProdocError;
  const codes: string[] = error.diagnostics.map((d) => d.code);
  void codes;
}

// @ts-expect-error: not a dialect
docToHtml(doc, { dialect: "word" });
// @ts-expect-error: misspelt option
markdownToDoc("x", { frontmatter: false });
// @ts-expect-error: a number is not Markdown
markdownToDoc(42);
// @ts-expect-error: the document is text here, not an object
const notAnObject: ProdocDoc = markdownToJson("x").json;
// @ts-expect-error: wrap is a number
docToText(doc, { wrap: "72" });
// @ts-expect-error: documents have type "doc"
docToMarkdown({ type: "paragraph", content: [] });
// @ts-expect-error: results are typed, not any
const notAString: string = read.doc;
// @ts-expect-error: no such mode
validate(doc, { mode: "loose" });

void [written, md, text, fromHtml, fromText, shape, s, line, severity, notAString];
void [body, fromHtmlJson, fromTextJson, notAnObject];
