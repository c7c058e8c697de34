//! Diagnostics: what a reader, validator or converter has to say about its input, as data.

use std::fmt;

use serde::Serialize;

use crate::codes::Code;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something was done that kept everything (an HTML fallback in Markdown): worth knowing,
    /// never a reason for `--strict` to fail.
    Info,
    /// Something was changed or left out, or a form normalised; `--strict` fails.
    Warning,
    /// The input breaks a rule; strict reading fails.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Info => "info",
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
    /// A stable kebab-case code from the registry, e.g. `unknown-node`; see [`crate::codes`].
    pub code: Code,
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
    /// An error about the input as a whole, at no place in it (a file that cannot be read).
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            hint: None,
            pointer: None,
            position: None,
        }
    }

    /// An error at a JSON Pointer.
    pub fn error_at(pointer: impl Into<String>, code: Code, message: impl Into<String>) -> Self {
        Self {
            pointer: Some(pointer.into()),
            ..Self::error(code, message)
        }
    }

    /// A warning at a JSON Pointer (a writer's note on a node).
    pub fn warning_at(pointer: impl Into<String>, code: Code, message: impl Into<String>) -> Self {
        Self::error_at(pointer, code, message).with_severity(Severity::Warning)
    }

    /// An error at a line and column.
    pub fn error_at_position(position: Position, code: Code, message: impl Into<String>) -> Self {
        Self::warning_at_position(position, code, message).with_severity(Severity::Error)
    }

    /// A warning at a line and column.
    pub fn warning_at_position(position: Position, code: Code, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            position: Some(position),
            ..Self::error(code, message)
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

    /// Whether it says something was not kept as it was (a warning or an error): what `--strict`
    /// fails on. An [`Severity::Info`] note does not.
    pub fn is_change(&self) -> bool {
        self.severity >= Severity::Warning
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

impl Conversion {
    /// Whether the input could not be read at all (JSON that is not a document, or breaks a rule
    /// under strict reading): an error diagnostic says why, and the document is empty. Readers of
    /// Markdown, HTML and text never fail.
    pub fn failed(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Where a streaming reader (`read_streaming`) hands out the document's top-level blocks once
/// they are final, a run at a time; the blocks left in the vector stay in the document.
pub type Finished<'f> = &'f mut dyn FnMut(&mut Vec<crate::Block>);

/// What a writer to another format returns: the text, and what it could not express exactly, each
/// diagnostic with the JSON Pointer of the node concerned.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// The output.
    pub text: String,
    /// What was written as a fallback or left out.
    pub diagnostics: Vec<Diagnostic>,
}
