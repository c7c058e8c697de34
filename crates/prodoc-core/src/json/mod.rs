//! The format's own JSON, in and out: [`read`] and [`write()`] as every format crate has them, and
//! the detailed forms they are built on ([`read_str`], [`from_str`], [`to_string`], …).
//!
//! ```
//! use prodoc_core::json;
//!
//! let body = r#"{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"Hi"}]}]}"#;
//! let conversion = json::read(body, &json::ReadOptions::strict());
//! assert!(conversion.diagnostics.is_empty());
//! assert_eq!(json::write(&conversion.doc, &json::WriteOptions::default()).text, body);
//! ```

mod read;
mod write;

pub use read::{from_str, read_str, InputShape, Mode, Read, ReadError, ReadOptions};
pub use write::{to_body_string, to_string, to_string_pretty, to_value, write_to, JsonWriter};

use crate::{Conversion, Doc, Written};

/// Reads JSON (a bare document, the API's body string or a page resource) as [`read_str`] does,
/// as a [`Conversion`]. When the input cannot be read (it is not JSON, not a document, or breaks
/// a rule under [`Mode::Strict`]), the document is empty and the diagnostics are errors: check
/// [`Conversion::failed`].
pub fn read(input: &str, options: &ReadOptions) -> Conversion {
    match read_str(input, options) {
        Ok(read) => Conversion {
            doc: read.doc,
            diagnostics: read.diagnostics,
            metadata: serde_json::Map::new(),
        },
        Err(error) => Conversion {
            doc: Doc::default(),
            diagnostics: error.diagnostics,
            metadata: serde_json::Map::new(),
        },
    }
}

/// How [`write()`] lays JSON out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Style {
    /// One line, as the API stores it ([`to_string`]).
    #[default]
    Compact,
    /// Indented by two spaces ([`to_string_pretty`]).
    Pretty,
    /// The API's string form of `body`: a JSON string holding the compact document
    /// ([`to_body_string`]).
    Body,
}

/// Options for [`write()`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// The layout. Default: [`Style::Compact`].
    pub style: Style,
}

/// Writes a document as JSON. JSON carries everything, so there are never diagnostics.
pub fn write(doc: &Doc, options: &WriteOptions) -> Written {
    Written {
        text: match options.style {
            Style::Compact => to_string(doc),
            Style::Pretty => to_string_pretty(doc),
            Style::Body => to_body_string(doc),
        },
        diagnostics: Vec::new(),
    }
}
