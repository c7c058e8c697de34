//! The conversions themselves, in plain Rust: each takes text and typed options and returns the
//! JSON text of its result, so that the whole API is testable natively and one `JSON.parse`
//! hands the result to JavaScript (faster than building the object property by property across
//! the boundary).

use prodoc::convert::{self, ReadOptions, WriteOptions};
use prodoc::{json, Diagnostic, Doc, Format, Severity};
use serde::{Deserialize, Serialize};

use crate::codes;

/// A diagnostic as JavaScript sees it: the position flattened into `line` and `column`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JsDiagnostic<'a> {
    /// `"error"` or `"warning"`.
    pub severity: Severity,
    /// The stable kebab-case code.
    pub code: &'a str,
    /// "found X, expected Y".
    pub message: &'a str,
    /// A suggestion, when one helps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<&'a str>,
    /// The JSON Pointer of the node concerned, for JSON input and for writers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<&'a str>,
    /// The line (from 1), for text input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The column (from 1, in characters), for text input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl<'a> From<&'a Diagnostic> for JsDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        Self {
            severity: d.severity,
            code: d.code.as_str(),
            message: &d.message,
            hint: d.hint.as_deref(),
            pointer: d.pointer.as_deref(),
            line: d.position.map(|p| p.line),
            column: d.position.map(|p| p.column),
        }
    }
}

/// A call that could not produce a result: the input document was not readable, or an option
/// was not understood. Becomes a thrown `ProdocError` in JavaScript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// One line for `Error.message`.
    pub message: String,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
}

impl Failure {
    /// A failure carrying a single error diagnostic with `code`.
    pub fn single(code: prodoc::Code, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            diagnostics: vec![Diagnostic::error(code, message.clone())],
            message,
        }
    }

    /// The diagnostics as a JSON array of [`JsDiagnostic`]s.
    pub fn diagnostics_json(&self) -> String {
        diagnostics_json(&self.diagnostics)
    }
}

/// Options of `markdownToDoc`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct MarkdownReadOptions {
    /// GFM tables, strikethrough, task lists, footnotes and alerts. Default: true.
    pub gfm: bool,
    /// Productive's `@[type:id:label]` mention shorthand. Default: true.
    pub mentions: bool,
    /// YAML front matter at the start, into `metadata`. Default: true.
    pub front_matter: bool,
    /// What `####`–`######` become. Default: level 3 headings.
    pub deep_headings: DeepHeadings,
}

impl Default for MarkdownReadOptions {
    fn default() -> Self {
        Self {
            gfm: true,
            mentions: true,
            front_matter: true,
            deep_headings: DeepHeadings::Level3,
        }
    }
}

/// What headings of levels 4–6 become.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeepHeadings {
    /// A level 3 heading (`"level3"`).
    #[default]
    #[serde(rename = "level3")]
    Level3,
    /// A paragraph of bold text (`"bold-paragraph"`).
    BoldParagraph,
}

/// Options of `docToMarkdown`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct MarkdownWriteOptions {
    /// The bullet of unordered lists: `"-"`, `"*"` or `"+"`. Default: `"-"`.
    pub bullet: Option<Bullet>,
    /// Read the document leniently. Default: false.
    pub lenient: bool,
}

/// A Markdown bullet character.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Bullet {
    /// `-`
    #[serde(rename = "-")]
    Dash,
    /// `*`
    #[serde(rename = "*")]
    Star,
    /// `+`
    #[serde(rename = "+")]
    Plus,
}

/// Options of `htmlToDoc`: none yet; kept as an object so options can be added compatibly.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct HtmlReadOptions {}

/// Options of `docToHtml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct HtmlWriteOptions {
    /// `"productive"` (Productive's dialect, the default) or `"plain"` (semantic HTML5 for
    /// display).
    pub dialect: HtmlDialect,
    /// A newline after each block. Default: false.
    pub newlines: bool,
    /// Read the document leniently. Default: false.
    pub lenient: bool,
}

/// Which HTML `docToHtml` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HtmlDialect {
    /// Productive's HTML dialect.
    #[default]
    Productive,
    /// Semantic HTML5 that sanitisers leave unchanged.
    Plain,
}

/// Options of `textToDoc`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct TextReadOptions {
    /// Read `- `, `1. `, `[ ] ` lines as lists. Default: false.
    pub lists: bool,
}

/// Options of `docToText`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct TextWriteOptions {
    /// Wrap at this many columns. Default: no wrapping.
    pub wrap: Option<usize>,
    /// `"underlined"` (the default) or `"prefixed"` (`#`, `##`, `###`).
    pub heading_style: HeadingStyle,
    /// Read the document leniently. Default: false.
    pub lenient: bool,
}

/// How `docToText` sets headings apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HeadingStyle {
    /// Underlined with `=`, `-`, `~`.
    #[default]
    Underlined,
    /// Prefixed with `#`, `##`, `###`.
    Prefixed,
}

/// Options of `validate`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidateOptions {
    /// `"strict"` (the default) or `"lenient"`.
    pub mode: ValidateMode,
}

/// How strictly `validate` reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValidateMode {
    /// Every rule of the format.
    #[default]
    Strict,
    /// Accept what can be kept; violations are warnings.
    Lenient,
}

/// `markdownToDoc`: `{"doc":…,"diagnostics":[…],"metadata":{…}}`.
pub fn markdown_to_doc(markdown: &str, options: &MarkdownReadOptions) -> String {
    read_markdown(markdown, options).conversion_json()
}

/// `markdownToJson`: the document as JSON text, the rest as for `markdownToDoc`.
pub fn markdown_to_json(markdown: &str, options: &MarkdownReadOptions) -> JsonConversion {
    read_markdown(markdown, options)
}

fn read_markdown(markdown: &str, options: &MarkdownReadOptions) -> JsonConversion {
    let read_options = prodoc::markdown::ReadOptions {
        gfm: options.gfm,
        mentions: options.mentions,
        front_matter: options.front_matter,
        deep_headings: match options.deep_headings {
            DeepHeadings::Level3 => prodoc::markdown::DeepHeadings::Level3,
            DeepHeadings::BoldParagraph => prodoc::markdown::DeepHeadings::BoldParagraph,
        },
        ..prodoc::markdown::ReadOptions::default()
    };
    JsonConversion::new(&convert::read(
        Format::Markdown,
        markdown,
        &ReadOptions {
            markdown: read_options,
            ..ReadOptions::default()
        },
    ))
}

/// `htmlToDoc`: `{"doc":…,"diagnostics":[…],"metadata":{…}}`.
pub fn html_to_doc(html: &str, options: &HtmlReadOptions) -> String {
    html_to_json(html, options).conversion_json()
}

/// `htmlToJson`: the document as JSON text, the rest as for `htmlToDoc`.
pub fn html_to_json(html: &str, _options: &HtmlReadOptions) -> JsonConversion {
    JsonConversion::new(&convert::read(Format::Html, html, &ReadOptions::default()))
}

/// `textToDoc`: `{"doc":…,"diagnostics":[…],"metadata":{}}`.
pub fn text_to_doc(text: &str, options: &TextReadOptions) -> String {
    text_to_json(text, options).conversion_json()
}

/// `textToJson`: the document as JSON text, the rest as for `textToDoc`.
pub fn text_to_json(text: &str, options: &TextReadOptions) -> JsonConversion {
    let read_options = prodoc::text::ReadOptions {
        lists: options.lists,
    };
    JsonConversion::new(&convert::read(
        Format::Text,
        text,
        &ReadOptions {
            text: read_options,
            ..ReadOptions::default()
        },
    ))
}

/// A reader's result with the document as compact JSON text, which is what the `pages` API takes
/// as a body, and what costs least to hand to JavaScript (no object per node).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonConversion {
    /// The document, compact JSON.
    pub doc: String,
    /// `{"diagnostics":[…],"metadata":{…}}`.
    pub rest: String,
}

impl JsonConversion {
    fn new(conversion: &prodoc::Conversion) -> Self {
        let diagnostics = diagnostics_json(&conversion.diagnostics);
        let metadata = serde_json::to_string(&conversion.metadata).unwrap_or_else(|_| "{}".into());
        let mut rest = String::with_capacity(diagnostics.len() + metadata.len() + 30);
        rest.push_str("{\"diagnostics\":");
        rest.push_str(&diagnostics);
        rest.push_str(",\"metadata\":");
        rest.push_str(&metadata);
        rest.push('}');
        Self {
            doc: json::to_string(&conversion.doc),
            rest,
        }
    }

    /// `{"doc":…,"diagnostics":[…],"metadata":{…}}`.
    pub fn conversion_json(&self) -> String {
        let mut out = String::with_capacity(self.doc.len() + self.rest.len() + 10);
        out.push_str("{\"doc\":");
        out.push_str(&self.doc);
        out.push(',');
        out.push_str(self.rest.get(1..).unwrap_or("}"));
        out
    }
}

/// `docToMarkdown`: `{"text":"…","diagnostics":[…]}`, the reading's warnings first.
pub fn doc_to_markdown(doc: &str, options: &MarkdownWriteOptions) -> Result<String, Failure> {
    let (doc, mut diagnostics) = read_doc(doc, options.lenient)?;
    let write_options = prodoc::markdown::WriteOptions {
        bullet: match options.bullet {
            None | Some(Bullet::Dash) => '-',
            Some(Bullet::Star) => '*',
            Some(Bullet::Plus) => '+',
        },
        ..prodoc::markdown::WriteOptions::default()
    };
    let written = convert::write(
        &doc,
        Format::Markdown,
        &WriteOptions {
            markdown: write_options,
            ..WriteOptions::default()
        },
    );
    diagnostics.extend(written.diagnostics);
    Ok(written_json(&written.text, &diagnostics))
}

/// `docToHtml`: `{"text":"…","diagnostics":[…]}`, the reading's warnings first.
pub fn doc_to_html(doc: &str, options: &HtmlWriteOptions) -> Result<String, Failure> {
    let (doc, mut diagnostics) = read_doc(doc, options.lenient)?;
    let write_options = prodoc::html::WriteOptions {
        dialect: match options.dialect {
            HtmlDialect::Productive => prodoc::html::Dialect::Productive,
            HtmlDialect::Plain => prodoc::html::Dialect::Plain,
        },
        newlines: options.newlines,
    };
    let written = convert::write(
        &doc,
        Format::Html,
        &WriteOptions {
            html: write_options,
            ..WriteOptions::default()
        },
    );
    diagnostics.extend(written.diagnostics);
    Ok(written_json(&written.text, &diagnostics))
}

/// `docToText`: `{"text":"…","diagnostics":[…]}`, the reading's warnings first.
pub fn doc_to_text(doc: &str, options: &TextWriteOptions) -> Result<String, Failure> {
    if options.wrap == Some(0) {
        return Err(Failure::single(
            codes::INVALID_OPTION,
            "found wrap 0, expected a width of at least 1 column (or no wrap)",
        ));
    }
    let (doc, mut diagnostics) = read_doc(doc, options.lenient)?;
    let write_options = prodoc::text::WriteOptions {
        wrap: options.wrap,
        heading_style: match options.heading_style {
            HeadingStyle::Underlined => prodoc::text::HeadingStyle::Underlined,
            HeadingStyle::Prefixed => prodoc::text::HeadingStyle::Prefixed,
        },
    };
    let written = convert::write(
        &doc,
        Format::Text,
        &WriteOptions {
            text: write_options,
            ..WriteOptions::default()
        },
    );
    diagnostics.extend(written.diagnostics);
    Ok(written_json(&written.text, &diagnostics))
}

/// `validate`: `{"valid":…,"shape":"document"|"body-string"|"page-resource"|null,"diagnostics":[…]}`.
/// `valid` says whether the document is accepted in the chosen mode: in strict mode, whether it
/// follows every rule; in lenient mode, whether it could be read at all (its rule violations then
/// come as warnings).
pub fn validate(doc: &str, options: &ValidateOptions) -> String {
    let read_options = match options.mode {
        ValidateMode::Strict => json::ReadOptions::strict(),
        ValidateMode::Lenient => json::ReadOptions::lenient(),
    };
    #[derive(Serialize)]
    struct Report<'a> {
        valid: bool,
        shape: Option<prodoc::InputShape>,
        diagnostics: Vec<JsDiagnostic<'a>>,
    }
    let (valid, shape, diagnostics) = match json::read_str(doc, &read_options) {
        Ok(read) => (true, Some(read.shape), read.diagnostics),
        Err(error) => (false, None, error.diagnostics),
    };
    let report = Report {
        valid,
        shape,
        diagnostics: diagnostics.iter().map(JsDiagnostic::from).collect(),
    };
    serde_json::to_string(&report).unwrap_or_default()
}

/// `schema`: the JSON Schema (draft 2020-12) of the strict format.
pub fn schema() -> String {
    prodoc::schema::generate_string()
}

/// Reads a document given as JSON text (any of core's three input shapes).
fn read_doc(doc: &str, lenient: bool) -> Result<(Doc, Vec<Diagnostic>), Failure> {
    let options = ReadOptions {
        json: if lenient {
            json::ReadOptions::lenient()
        } else {
            json::ReadOptions::strict()
        },
        ..ReadOptions::default()
    };
    let conversion = convert::read(Format::Json, doc, &options);
    if conversion.failed() {
        let error = json::ReadError {
            diagnostics: conversion.diagnostics,
        };
        return Err(Failure {
            message: error.to_string(),
            diagnostics: error.diagnostics,
        });
    }
    Ok((conversion.doc, conversion.diagnostics))
}

fn written_json(text: &str, diagnostics: &[Diagnostic]) -> String {
    #[derive(Serialize)]
    struct Written<'a> {
        text: &'a str,
        diagnostics: Vec<JsDiagnostic<'a>>,
    }
    serde_json::to_string(&Written {
        text,
        diagnostics: diagnostics.iter().map(JsDiagnostic::from).collect(),
    })
    // Serialising strings, numbers and options into a String has no way to fail.
    .unwrap_or_default()
}

fn diagnostics_json(diagnostics: &[Diagnostic]) -> String {
    let list: Vec<JsDiagnostic<'_>> = diagnostics.iter().map(JsDiagnostic::from).collect();
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".into())
}
