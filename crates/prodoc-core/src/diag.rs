//! Diagnostics: what a reader, validator or converter has to say about its input, as data.

use std::fmt;

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something was done that the user may want to know (a form normalised, a fallback used).
    Warning,
    /// The input breaks a rule; strict reading fails.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// A line and column in a text input, both counted from 1; the column counts characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
}

/// One finding about an input: where, what rule (a stable kebab-case code), and what was found
/// against what was expected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A stable kebab-case code, e.g. `unknown-node`; see [`codes`].
    pub code: &'static str,
    /// "found X, expected Y".
    pub message: String,
    /// A suggestion, when one helps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The JSON Pointer of the value concerned, for JSON input (`""` is the whole document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// The line and column, for text input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
}

impl Diagnostic {
    /// An error at a JSON Pointer.
    pub fn error_at(
        pointer: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            hint: None,
            pointer: Some(pointer.into()),
            position: None,
        }
    }

    /// A warning at a JSON Pointer (a writer's note on a node).
    pub fn warning_at(
        pointer: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self::error_at(pointer, code, message).with_severity(Severity::Warning)
    }

    /// An error at a line and column.
    pub fn error_at_position(
        position: Position,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self::warning_at_position(position, code, message).with_severity(Severity::Error)
    }

    /// A warning at a line and column.
    pub fn warning_at_position(
        position: Position,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            code,
            message: message.into(),
            hint: None,
            pointer: None,
            position: Some(position),
        }
    }

    /// The same diagnostic with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same diagnostic with another severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `/pointer: message [code]` or `line:column: message [code]`, then `(hint: …)`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.pointer, self.position) {
            (_, Some(Position { line, column })) => write!(f, "{line}:{column}: ")?,
            (Some(pointer), None) if pointer.is_empty() => f.write_str("(document): ")?,
            (Some(pointer), None) => write!(f, "{pointer}: ")?,
            (None, None) => {}
        }
        write!(f, "{} [{}]", self.message, self.code)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// The codes core diagnostics use. Codes are stable: tools may match on them.
pub mod codes {
    /// The input is not JSON (with line and column).
    pub const INVALID_JSON: &str = "invalid-json";
    /// The input is JSON but not a document, a body string or a page resource.
    pub const NOT_A_DOCUMENT: &str = "not-a-document";
    /// A node or mark is not a JSON object.
    pub const NOT_AN_OBJECT: &str = "not-an-object";
    /// A node or mark has no string `type`.
    pub const MISSING_TYPE: &str = "missing-type";
    /// A node type the format does not have.
    pub const UNKNOWN_NODE: &str = "unknown-node";
    /// A mark type the format does not have.
    pub const UNKNOWN_MARK: &str = "unknown-mark";
    /// An attribute the node or mark does not have.
    pub const UNKNOWN_ATTRIBUTE: &str = "unknown-attribute";
    /// A field beside `type`, `attrs`, `content`, `marks`, `text` that the node does not have.
    pub const UNKNOWN_FIELD: &str = "unknown-field";
    /// A required attribute or field is missing.
    pub const MISSING_ATTRIBUTE: &str = "missing-attribute";
    /// An attribute or field has the wrong JSON type.
    pub const WRONG_TYPE: &str = "wrong-type";
    /// A heading level outside 1–3.
    pub const HEADING_LEVEL: &str = "heading-level";
    /// A banner type outside info, warning, success, critical.
    pub const BANNER_TYPE: &str = "banner-type";
    /// A cell span below 1.
    pub const INVALID_SPAN: &str = "invalid-span";
    /// Any other attribute value out of range.
    pub const INVALID_VALUE: &str = "invalid-value";
    /// A node where its parent may not hold it.
    pub const MISPLACED_NODE: &str = "misplaced-node";
    /// Too few or too many children.
    pub const CHILD_COUNT: &str = "child-count";
    /// `marks` on a node other than `text`.
    pub const MARKS_ON_NON_TEXT: &str = "marks-on-non-text";
    /// The same mark type twice on one text node.
    pub const DUPLICATE_MARK: &str = "duplicate-mark";
    /// A text node whose text is empty.
    pub const EMPTY_TEXT: &str = "empty-text";
    /// The same key twice in one JSON object.
    pub const DUPLICATE_KEY: &str = "duplicate-key";
    /// Nesting deeper than the limit.
    pub const NESTING_TOO_DEEP: &str = "nesting-too-deep";
    /// A form that is read but normalised (the original guide's inline blockquote).
    pub const LEGACY_FORM: &str = "legacy-form";
}

/// What a reader of another format returns: the document, what it had to say, and metadata the
/// input carried beside the document (a Markdown file's front matter, an HTML page's title).
#[derive(Debug, Default)]
pub struct Conversion {
    /// The document.
    pub doc: crate::Doc,
    /// What could not be represented and what was done instead, each with its place in the input.
    pub diagnostics: Vec<Diagnostic>,
    /// Fields found beside the document, e.g. front matter `title`; empty when there are none.
    pub metadata: serde_json::Map<String, serde_json::Value>,
}

/// What a writer to another format returns: the text, and what it could not express exactly, each
/// diagnostic with the JSON Pointer of the node concerned.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// The output.
    pub text: String,
    /// What was written as a fallback or left out.
    pub diagnostics: Vec<Diagnostic>,
}
