//! prodoc in JavaScript: Markdown, HTML and plain text to and from Productive documents, with
//! validation and the JSON Schema, compiled to WebAssembly with wasm-bindgen.
//!
//! ```js
//! import init, { markdownToDoc, docToHtml } from "prodoc-wasm";
//! await init(); // browsers; Node's entry needs no init
//! const { doc, diagnostics } = markdownToDoc("# Plan\n\n- [x] ship it\n");
//! const { text } = docToHtml(doc, { dialect: "plain" });
//! ```
//!
//! Documents go in as objects (the JSON document, typed `ProdocDoc`) or as JSON text, in any of
//! the three shapes core reads (a document, the API's body string, a page resource), and come out
//! as objects; `markdownToJson`, `htmlToJson` and `textToJson` give the document as JSON text
//! instead (what the `pages` API takes as a body, and faster: no object per node). Every result carries `diagnostics`: typed objects with `severity`, `code`,
//! `message` and, where known, `hint`, `pointer` (JSON input and writers) or `line` and `column`
//! (text input). A document that cannot be read, or an option that is not understood, throws a
//! `ProdocError`: an `Error` whose `diagnostics` says why.
//!
//! The conversions live in [`convert`] as plain Rust returning JSON text, so the native tests
//! cover the whole API; this module only moves values across the boundary.
#![forbid(unsafe_code)]

pub mod convert;

use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

/// What every exported function returns: a value, or the thrown `ProdocError`.
pub type JsResult<T> = Result<T, JsValue>;

use prodoc::codes;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A mark on a text node (`strong`, `link`, `styles`, …), as the format's JSON has it. */
export interface ProdocMark {
  type: string;
  attrs?: { [key: string]: JsonValue };
}

/** A node of a Productive document, as the format's JSON has it. */
export interface ProdocNode {
  type: string;
  attrs?: { [key: string]: JsonValue };
  content?: ProdocNode[];
  marks?: ProdocMark[];
  text?: string;
}

/** A Productive document: the root node. */
export interface ProdocDoc extends ProdocNode {
  type: "doc";
  content: ProdocNode[];
}

/** A document argument: the document object, or JSON text (a document, the API's body string, or a page resource). */
export type DocInput = ProdocDoc | string;

/** One finding: a stable kebab-case `code`, "found X, expected Y" in `message`, and where. */
export interface Diagnostic {
  severity: "error" | "warning";
  code: string;
  message: string;
  hint?: string;
  /** The JSON Pointer of the node concerned (JSON input, and writers). */
  pointer?: string;
  /** 1-based line in the text input (Markdown, HTML, plain text). */
  line?: number;
  /** 1-based column, in characters. */
  column?: number;
}

/** What a reader returns. */
export interface Conversion {
  doc: ProdocDoc;
  diagnostics: Diagnostic[];
  /** Fields found beside the document: Markdown front matter, an HTML page's title. */
  metadata: { [key: string]: JsonValue };
}

/**
 * What `markdownToJson`, `htmlToJson` and `textToJson` return: the document as compact JSON text,
 * the form the `pages` API takes as a body, made without building an object per node.
 */
export interface JsonConversion {
  json: string;
  diagnostics: Diagnostic[];
  /** Fields found beside the document: Markdown front matter, an HTML page's title. */
  metadata: { [key: string]: JsonValue };
}

/** What a writer returns. */
export interface Written {
  text: string;
  diagnostics: Diagnostic[];
}

/** What `validate` returns. */
export interface ValidationReport {
  /** Strict mode: the document follows every rule. Lenient mode: it could be read (violations are warnings). */
  valid: boolean;
  /** The input's shape, when it could be read. */
  shape: "document" | "body-string" | "page-resource" | null;
  diagnostics: Diagnostic[];
}

/** The error thrown when a document cannot be read or an option is not understood. */
export interface ProdocError extends Error {
  name: "ProdocError";
  diagnostics: Diagnostic[];
}

export interface MarkdownReadOptions {
  /** GFM tables, strikethrough, task lists, footnotes, alerts. Default true. */
  gfm?: boolean;
  /** Productive's `@[type:id:label]` mention shorthand. Default true. */
  mentions?: boolean;
  /** YAML front matter into `metadata`. Default true. */
  frontMatter?: boolean;
  /** What `####`–`######` become. Default "level3". */
  deepHeadings?: "level3" | "bold-paragraph";
}

export interface MarkdownWriteOptions {
  /** Default "-". */
  bullet?: "-" | "*" | "+";
  /** Read the document leniently (violations become warnings). Default false. */
  lenient?: boolean;
}

/** No options yet. */
export interface HtmlReadOptions {}

export interface HtmlWriteOptions {
  /** "productive" (Productive's dialect, default) or "plain" (semantic HTML5 for display). */
  dialect?: "productive" | "plain";
  /** A newline after each block. Default false. */
  newlines?: boolean;
  /** Read the document leniently. Default false. */
  lenient?: boolean;
}

export interface TextReadOptions {
  /** Read `- `, `1. `, `[ ] ` lines as lists. Default false. */
  lists?: boolean;
}

export interface TextWriteOptions {
  /** Wrap at this many columns (at least 1). Default: no wrapping. */
  wrap?: number;
  /** Default "underlined". */
  headingStyle?: "underlined" | "prefixed";
  /** Read the document leniently. Default false. */
  lenient?: boolean;
}

export interface ValidateOptions {
  /** Default "strict". */
  mode?: "strict" | "lenient";
}

/** A JSON Schema (draft 2020-12). */
export type JsonSchema = { [key: string]: JsonValue };
"#;

#[wasm_bindgen]
extern "C" {
    /// `DocInput` in TypeScript: a document object or its JSON text.
    #[wasm_bindgen(typescript_type = "DocInput")]
    pub type DocInput;
    /// Options of [`markdown_to_doc`].
    #[wasm_bindgen(typescript_type = "MarkdownReadOptions")]
    pub type MarkdownReadOptions;
    /// Options of [`doc_to_markdown`].
    #[wasm_bindgen(typescript_type = "MarkdownWriteOptions")]
    pub type MarkdownWriteOptions;
    /// Options of [`html_to_doc`].
    #[wasm_bindgen(typescript_type = "HtmlReadOptions")]
    pub type HtmlReadOptions;
    /// Options of [`doc_to_html`].
    #[wasm_bindgen(typescript_type = "HtmlWriteOptions")]
    pub type HtmlWriteOptions;
    /// Options of [`text_to_doc`].
    #[wasm_bindgen(typescript_type = "TextReadOptions")]
    pub type TextReadOptions;
    /// Options of [`doc_to_text`].
    #[wasm_bindgen(typescript_type = "TextWriteOptions")]
    pub type TextWriteOptions;
    /// Options of [`validate`].
    #[wasm_bindgen(typescript_type = "ValidateOptions")]
    pub type ValidateOptions;
}

/// Reads Markdown (CommonMark + GFM) into a document.
#[wasm_bindgen(js_name = markdownToDoc, unchecked_return_type = "Conversion")]
pub fn markdown_to_doc(
    #[wasm_bindgen(unchecked_param_type = "string")] markdown: JsValue,
    options: Option<MarkdownReadOptions>,
) -> JsResult<JsValue> {
    let markdown = string_arg(&markdown)?;
    let options = options_from(options)?;
    parse(&convert::markdown_to_doc(&markdown, &options))
}

/// Reads Markdown as `markdownToDoc` does, giving the document as JSON text.
#[wasm_bindgen(js_name = markdownToJson, unchecked_return_type = "JsonConversion")]
pub fn markdown_to_json(
    #[wasm_bindgen(unchecked_param_type = "string")] markdown: JsValue,
    options: Option<MarkdownReadOptions>,
) -> JsResult<JsValue> {
    let markdown = string_arg(&markdown)?;
    let options = options_from(options)?;
    json_conversion(convert::markdown_to_json(&markdown, &options))
}

/// Writes a document as GitHub-flavoured Markdown.
#[wasm_bindgen(js_name = docToMarkdown, unchecked_return_type = "Written")]
pub fn doc_to_markdown(doc: DocInput, options: Option<MarkdownWriteOptions>) -> JsResult<JsValue> {
    let options = options_from(options)?;
    let doc = doc_text(doc.as_ref())?;
    parse(&convert::doc_to_markdown(&doc, &options).map_err(thrown)?)
}

/// Reads HTML (a page or a fragment; Productive's dialect, or what people paste) into a document.
#[wasm_bindgen(js_name = htmlToDoc, unchecked_return_type = "Conversion")]
pub fn html_to_doc(
    #[wasm_bindgen(unchecked_param_type = "string")] html: JsValue,
    options: Option<HtmlReadOptions>,
) -> JsResult<JsValue> {
    let html = string_arg(&html)?;
    let options = options_from(options)?;
    parse(&convert::html_to_doc(&html, &options))
}

/// Reads HTML as `htmlToDoc` does, giving the document as JSON text.
#[wasm_bindgen(js_name = htmlToJson, unchecked_return_type = "JsonConversion")]
pub fn html_to_json(
    #[wasm_bindgen(unchecked_param_type = "string")] html: JsValue,
    options: Option<HtmlReadOptions>,
) -> JsResult<JsValue> {
    let html = string_arg(&html)?;
    let options = options_from(options)?;
    json_conversion(convert::html_to_json(&html, &options))
}

/// Writes a document as HTML: Productive's dialect, or plain HTML5 for display.
#[wasm_bindgen(js_name = docToHtml, unchecked_return_type = "Written")]
pub fn doc_to_html(doc: DocInput, options: Option<HtmlWriteOptions>) -> JsResult<JsValue> {
    let options = options_from(options)?;
    let doc = doc_text(doc.as_ref())?;
    parse(&convert::doc_to_html(&doc, &options).map_err(thrown)?)
}

/// Reads plain text into a document of paragraphs (and lists, with `lists: true`).
#[wasm_bindgen(js_name = textToDoc, unchecked_return_type = "Conversion")]
pub fn text_to_doc(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    options: Option<TextReadOptions>,
) -> JsResult<JsValue> {
    let text = string_arg(&text)?;
    let options = options_from(options)?;
    parse(&convert::text_to_doc(&text, &options))
}

/// Reads plain text as `textToDoc` does, giving the document as JSON text.
#[wasm_bindgen(js_name = textToJson, unchecked_return_type = "JsonConversion")]
pub fn text_to_json(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    options: Option<TextReadOptions>,
) -> JsResult<JsValue> {
    let text = string_arg(&text)?;
    let options = options_from(options)?;
    json_conversion(convert::text_to_json(&text, &options))
}

/// Writes a document as plain text, optionally wrapped.
#[wasm_bindgen(js_name = docToText, unchecked_return_type = "Written")]
pub fn doc_to_text(doc: DocInput, options: Option<TextWriteOptions>) -> JsResult<JsValue> {
    let options = options_from(options)?;
    let doc = doc_text(doc.as_ref())?;
    parse(&convert::doc_to_text(&doc, &options).map_err(thrown)?)
}

/// Checks a document against the format's rules, strictly (the default) or leniently.
#[wasm_bindgen(js_name = validate, unchecked_return_type = "ValidationReport")]
pub fn validate(doc: DocInput, options: Option<ValidateOptions>) -> JsResult<JsValue> {
    let options = options_from(options)?;
    let doc = doc_text(doc.as_ref())?;
    parse(&convert::validate(&doc, &options))
}

/// The JSON Schema (draft 2020-12) of the strict format.
#[wasm_bindgen(js_name = schema, unchecked_return_type = "JsonSchema")]
pub fn schema() -> JsResult<JsValue> {
    parse(&convert::schema())
}

/// Options from an optional object: absent, `null` or `undefined` means the defaults; unknown
/// fields and wrong values are a thrown `ProdocError` (a misspelt option silently ignored would
/// be worse). Read through `JSON.stringify` and serde_json, which, unlike a field-by-field walk
/// of the object, sees every field and so can reject the unknown ones.
fn options_from<T: DeserializeOwned + Default>(options: Option<impl Into<JsValue>>) -> JsResult<T> {
    let Some(options) = options else {
        return Ok(T::default());
    };
    let options: JsValue = options.into();
    let invalid = |detail: String| {
        thrown(convert::Failure::single(
            codes::INVALID_OPTION,
            format!("options: {detail}"),
        ))
    };
    if !options.is_object() || js_sys::Array::is_array(&options) {
        return Err(invalid(format!(
            "found {}, expected an object",
            options.js_typeof().as_string().unwrap_or_default()
        )));
    }
    let text = js_sys::JSON::stringify(&options)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| invalid("found an object JSON.stringify cannot write".into()))?;
    serde_json::from_str(&text).map_err(|error| invalid(error.to_string()))
}

/// The JSON text of a document argument: a string as it is, an object through `JSON.stringify`.
fn doc_text(doc: &JsValue) -> JsResult<String> {
    if let Some(text) = doc.as_string() {
        return Ok(text);
    }
    if doc.is_object() {
        if let Some(text) = js_sys::JSON::stringify(doc)
            .ok()
            .and_then(|s| s.as_string())
        {
            return Ok(text);
        }
    }
    Err(thrown(convert::Failure::single(
        codes::INVALID_ARGUMENT,
        format!(
            "found {}, expected a document object or its JSON text",
            doc.js_typeof().as_string().unwrap_or_default()
        ),
    )))
}

/// A text argument. Checked here, as wasm-bindgen's own `&str` conversion does not check in
/// release builds (a number there reads out of bounds).
fn string_arg(value: &JsValue) -> JsResult<String> {
    value.as_string().ok_or_else(|| {
        thrown(convert::Failure::single(
            codes::INVALID_ARGUMENT,
            format!(
                "found {}, expected a string",
                value.js_typeof().as_string().unwrap_or_default()
            ),
        ))
    })
}

/// A result's JSON text as a JavaScript value.
fn parse(json: &str) -> JsResult<JsValue> {
    js_sys::JSON::parse(json)
}

/// `{json, diagnostics, metadata}`: the document stays one string.
fn json_conversion(conversion: convert::JsonConversion) -> JsResult<JsValue> {
    let out = parse(&conversion.rest)?;
    js_sys::Reflect::set(
        &out,
        &JsValue::from_str("json"),
        &JsValue::from_str(&conversion.doc),
    )?;
    Ok(out)
}

/// A `ProdocError`: an `Error` with `name` and the `diagnostics`.
fn thrown(failure: convert::Failure) -> JsValue {
    let error = js_sys::Error::new(&failure.message);
    error.set_name("ProdocError");
    let diagnostics = js_sys::JSON::parse(&failure.diagnostics_json())
        .unwrap_or_else(|_| js_sys::Array::new().into());
    // Setting a property on a fresh, extensible Error object does not fail.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("diagnostics"), &diagnostics);
    error.into()
}
