//! The registry of diagnostic codes: every code any prodoc crate reports, each with one meaning
//! and the rule for its severity.
//!
//! A [`Code`] can only be made here, so a crate cannot report a code the registry lacks, and the
//! same event is reported with the same code whatever the format (an unsafe URL is `unsafe-url`
//! when reading Markdown, HTML or writing either). Codes are stable: tools may match on them.
//! [`ALL`] lists them in order, for documentation (`docs/diagnostic-codes.md` is generated from
//! it, and a test keeps the file current) and for tests.

use std::fmt;

use serde::Serialize;

use crate::Severity;

/// A registered diagnostic code: a stable kebab-case name, e.g. `unknown-node`, with its entry.
/// Compared, hashed and ordered by name.
#[derive(Clone, Copy)]
pub struct Code(&'static CodeInfo);

impl Code {
    /// The code as written in messages and JSON, e.g. `"unknown-node"`.
    pub const fn as_str(self) -> &'static str {
        self.0.name
    }

    /// The registry entry of this code.
    pub const fn info(self) -> &'static CodeInfo {
        self.0
    }

    /// The registered code named `name`, if there is one.
    pub fn lookup(name: &str) -> Option<Self> {
        ALL.iter().copied().find(|code| code.as_str() == name)
    }
}

impl PartialEq for Code {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Code {}

impl std::hash::Hash for Code {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// How serious a code's diagnostics are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeverityRule {
    /// Always an error: there is no document to speak of (the input is not JSON, an option or a
    /// file could not be read).
    Fatal,
    /// The input breaks a rule of the format. An error when JSON is read strictly; a warning when
    /// it is read leniently (the input is kept as it was) and when a converter repairs it (a
    /// Markdown `####` read as a level-3 heading).
    Violation,
    /// Always a warning: a converter changed or left out something, and says what. `--strict`
    /// (and [`Diagnostic::is_error`](crate::Diagnostic::is_error) after promotion) makes it fail.
    Change,
    /// Always info: a converter did something worth knowing that kept everything (an HTML
    /// fallback); `--strict` does not fail on it.
    Note,
}

impl SeverityRule {
    /// Whether a diagnostic of this rule may have `severity`.
    pub fn allows(self, severity: Severity) -> bool {
        match self {
            Self::Fatal => severity == Severity::Error,
            Self::Violation => true,
            Self::Change => severity == Severity::Warning,
            Self::Note => severity == Severity::Info,
        }
    }
}

/// One registry entry.
#[derive(Debug)]
pub struct CodeInfo {
    /// The code's name.
    pub name: &'static str,
    /// Its severity rule.
    pub severity: SeverityRule,
    /// What it means, in one sentence.
    pub meaning: &'static str,
}

macro_rules! registry {
    ($($(#[doc = $doc:literal])+ $name:ident = $code:literal, $rule:ident;)+) => {
        $(
            $(#[doc = $doc])+
            pub const $name: Code = Code(&CodeInfo {
                name: $code,
                severity: SeverityRule::$rule,
                meaning: concat!($($doc),+),
            });
        )+

        /// Every registered code, in the order of this module.
        pub const ALL: &[Code] = &[$($name),+];
    };
}

registry! {
    // Reading JSON.
    /// The input is not JSON (with line and column).
    INVALID_JSON = "invalid-json", Fatal;
    /// The input is JSON but not a document, a body string or a page resource.
    NOT_A_DOCUMENT = "not-a-document", Fatal;
    /// The JSON nests deeper than serde_json's 128 levels, so nothing could be read, strictly or
    /// leniently (node nesting within that, past [`crate::shared::limits::MAX_DEPTH`], is
    /// `nesting-too-deep`).
    JSON_TOO_DEEP = "json-too-deep", Fatal;
    /// A node or mark is not a JSON object.
    NOT_AN_OBJECT = "not-an-object", Violation;
    /// A node or mark has no string `type`.
    MISSING_TYPE = "missing-type", Violation;
    /// A node type the format does not have.
    UNKNOWN_NODE = "unknown-node", Violation;
    /// A mark type the format does not have.
    UNKNOWN_MARK = "unknown-mark", Violation;
    /// An attribute the node or mark does not have.
    UNKNOWN_ATTRIBUTE = "unknown-attribute", Violation;
    /// A field beside `type`, `attrs`, `content`, `marks`, `text` that the node does not have.
    UNKNOWN_FIELD = "unknown-field", Violation;
    /// A required attribute or field is missing.
    MISSING_ATTRIBUTE = "missing-attribute", Violation;
    /// An attribute or field has the wrong JSON type.
    WRONG_TYPE = "wrong-type", Violation;
    /// A heading level outside 1–3: invalid in JSON; a converter reading `<h4>`–`<h6>` or
    /// `####`–`######` makes it level 3 (or a bold paragraph, as asked).
    HEADING_LEVEL = "heading-level", Violation;
    /// A banner type outside info, warning, success, critical.
    BANNER_TYPE = "banner-type", Violation;
    /// A cell span below 1.
    INVALID_SPAN = "invalid-span", Violation;
    /// Any other attribute value out of range.
    INVALID_VALUE = "invalid-value", Violation;
    /// A node where its parent may not hold it.
    MISPLACED_NODE = "misplaced-node", Violation;
    /// Too few or too many children.
    CHILD_COUNT = "child-count", Violation;
    /// `marks` on a node other than `text`.
    MARKS_ON_NON_TEXT = "marks-on-non-text", Violation;
    /// The same mark type twice on one text node.
    DUPLICATE_MARK = "duplicate-mark", Violation;
    /// A text node whose text is empty.
    EMPTY_TEXT = "empty-text", Violation;
    /// The same key twice in one JSON object.
    DUPLICATE_KEY = "duplicate-key", Violation;
    /// Nesting deeper than the limit ([`crate::shared::limits`]): an error in JSON; converters
    /// flatten the deeper containers and keep their content.
    NESTING_TOO_DEEP = "nesting-too-deep", Violation;
    /// A form that is read but normalised (the original guide's inline blockquote).
    LEGACY_FORM = "legacy-form", Change;

    // Reading other formats.
    /// A URL with a scheme other than http, https or mailto ([`crate::shared::url`]): the link,
    /// image or URL attribute was left out, its text kept.
    UNSAFE_URL = "unsafe-url", Change;
    /// An image without a URL was left out.
    IMAGE_WITHOUT_SRC = "image-without-src", Change;
    /// A CSS value that is not a plain value (a `url()`, quotes, escapes, `;`) was left out.
    UNSAFE_CSS = "unsafe-css", Change;
    /// A list mixing task items and plain items was split into runs (Markdown).
    MIXED_TASK_LIST = "mixed-task-list", Change;
    /// An ordered task list became a checklist, which has no numbering (Markdown).
    ORDERED_CHECKLIST = "ordered-checklist", Change;
    /// GitHub's `[!IMPORTANT]` alert became an `info` banner (Markdown).
    ALERT_KIND = "alert-kind", Change;
    /// A footnote reference stayed text, or a definition moved to the end (Markdown).
    FOOTNOTE = "footnote", Change;
    /// Front matter that is not YAML (read as Markdown), or a part of it left out: a duplicate
    /// key, a list or map as a key, nesting or alias expansion past the limits (Markdown).
    FRONT_MATTER = "front-matter", Change;
    /// Inline HTML or an HTML block in Markdown kept as text, or what the HTML reader said of it.
    HTML = "html", Change;
    /// Formatting that a node cannot carry was dropped (a link around an image, a mark on a
    /// mention).
    MARK_DROPPED = "mark-dropped", Change;
    /// A table row had more cells than the header row; GFM leaves the extra cells out (Markdown).
    TABLE_CELLS = "table-cells", Change;
    /// An element and its content left out: script, style, template, noscript, iframe, object,
    /// embed, svg, media and the like (HTML).
    ELEMENT_DROPPED = "element-dropped", Change;
    /// A form control left out: input, select, textarea, button, … (HTML).
    FORM_CONTROL_DROPPED = "form-control-dropped", Change;
    /// Attributes of one tag past the limit
    /// ([`crate::shared::limits::HTML_ATTRIBUTES_PER_TAG`]) left out, the tag and its first
    /// attributes kept (HTML, and HTML in Markdown).
    TOO_MANY_ATTRIBUTES = "too-many-attributes", Change;
    /// A comment left out (HTML). Conditional-comment markers that hold nothing and the
    /// clipboard's `StartFragment` and `EndFragment` markers are left out without one.
    COMMENT_DROPPED = "comment-dropped", Change;
    /// The page's `<head>` left out, except its `<title>`, which goes to the metadata (HTML).
    HEAD_DROPPED = "head-dropped", Change;
    /// Formatting the format has no mark for (sub, sup): the text is kept without it.
    UNSUPPORTED_FORMATTING = "unsupported-formatting", Change;
    /// MathML kept as its plain text (HTML).
    MATH_FLATTENED = "math-flattened", Change;
    /// An element the format has no node for read as its content: a collapsible `<details>` as
    /// its summary (bold) and body, a definition list `<dl>` as its terms (bold) and definitions
    /// (HTML).
    STRUCTURE_FLATTENED = "structure-flattened", Change;
    /// An attribute value that could not be read (a bad number, banner type, checked flag, empty
    /// variable name); the default was used or the node left out (HTML).
    INVALID_ATTRIBUTE = "invalid-attribute", Change;
    /// A list, table or row without items, rows or cells left out.
    EMPTY_CONTAINER = "empty-container", Change;
    /// A column layout with fewer than 2 or more than 5 columns: flattened or merged.
    COLUMN_COUNT = "column-count", Change;
    /// A list item that began with a heading: the heading became its first paragraph.
    LIST_ITEM_START = "list-item-start", Change;
    /// A numbered item's number is not the one its list gives it (plain text).
    LIST_NUMBER = "list-number", Change;
    /// A list marker nested deeper than the text reader's list limit was kept as text.
    LIST_TOO_DEEP = "list-too-deep", Change;

    // Writing.
    /// A node kept raw by lenient JSON reading was not written.
    RAW_NODE = "raw-node", Change;
    /// A mark kept raw by lenient JSON reading was not written; its text was.
    RAW_MARK = "raw-mark", Change;
    /// A block id was not written: the target has no place for it.
    BLOCK_ID = "block-id", Change;
    /// Something the target cannot express was changed or left out: Markdown or the chosen HTML
    /// dialect when writing, the document format when reading (a file's text beside its name).
    NOT_EXPRESSIBLE = "not-expressible", Change;
    /// A node was written as HTML inside Markdown because Markdown cannot carry it.
    HTML_FALLBACK = "html-fallback", Note;
    /// The Markdown written for a node did not read back the same, so the node was written as
    /// HTML.
    MARKDOWN_MISMATCH = "markdown-mismatch", Note;

    // The import pipeline.
    /// An image or file points at a local file that does not exist; it is sent as written.
    LOCAL_FILE_NOT_FOUND = "local-file-not-found", Change;
    /// A link points at a Markdown file that is not imported, or the transport cannot carry a page
    /// mention: it is sent as written.
    FILE_LINK_KEPT = "file-link-kept", Change;

    // Programs around the library.
    /// A file or stream could not be read or written.
    IO = "io", Fatal;
    /// An input is larger than the size limit (the command line's `--max-input-size`, by default
    /// [`crate::shared::limits::MAX_INPUT_BYTES`]); reading stopped at the limit.
    INPUT_TOO_LARGE = "input-too-large", Fatal;
    /// A file met while walking a folder was not read: a special file (FIFO, socket, device), a
    /// symbolic link when links are not followed (the command line's `-L`), or a link that
    /// loops back to a folder being walked.
    FILE_SKIPPED = "file-skipped", Change;
    /// An options argument that is not an object of the documented fields and values (WebAssembly).
    INVALID_OPTION = "invalid-option", Fatal;
    /// A text argument that is not a string, or a document argument that is neither a string nor
    /// a JSON-serialisable object (WebAssembly).
    INVALID_ARGUMENT = "invalid-argument", Fatal;
}

/// The registry as a Markdown table: code, severity rule, meaning.
pub fn markdown_table() -> String {
    let mut out = String::from("| code | severity | meaning |\n|---|---|---|\n");
    for code in ALL {
        let info = code.info();
        let rule = match info.severity {
            SeverityRule::Fatal => "error",
            SeverityRule::Violation => "error when strict, else warning",
            SeverityRule::Change => "warning",
            SeverityRule::Note => "info (never fails --strict)",
        };
        let meaning = info.meaning.trim().replace('|', "\\|");
        out.push_str(&format!("| `{code}` | {rule} | {meaning} |\n"));
    }
    out
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_found_by_name() {
        for (index, code) in ALL.iter().enumerate() {
            let name = code.as_str();
            assert!(
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{name}"
            );
            assert!(
                ALL[..index].iter().all(|other| other != code),
                "{name} twice"
            );
            assert_eq!(Code::lookup(name), Some(*code));
            assert!(!code.info().meaning.trim().is_empty());
        }
        assert_eq!(Code::lookup("no-such-code"), None);
    }
}
