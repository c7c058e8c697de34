//! The Productive Document Format: the rich-text JSON of Productive Docs (`pages.body`), as typed
//! Rust values.
//!
//! - [`json`]: JSON to a [`Doc`], strictly (every violation, each with a JSON Pointer) or
//!   leniently (nothing lost), from bare documents, the API's body string and page resources;
//!   and a [`Doc`] to JSON, compact, pretty or as the body string.
//! - [`validate`]: the strict rules applied to a document built in code.
//! - [`schema`]: the JSON Schema of the strict format.
//! - [`build`]: short constructors; [`Doc::walk`]: every node with its pointer;
//!   [`Doc::plain_text`]: the text for search.
//!
//! ```
//! use prodoc_core::{json, Block};
//!
//! let body = r#"{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"Hi"}]}]}"#;
//! let doc = json::from_str(body)?;
//! assert!(matches!(doc.content[0], Block::Paragraph(_)));
//! assert_eq!(json::to_string(&doc), body);
//!
//! let error = json::from_str(r#"{"type":"doc","content":[{"type":"heading","attrs":{"level":4}}]}"#)
//!     .unwrap_err();
//! assert_eq!(error.diagnostics[0].pointer.as_deref(), Some("/content/0/attrs/level"));
//! assert_eq!(error.diagnostics[0].code, "heading-level");
//! # Ok::<(), prodoc_core::json::ReadError>(())
//! ```
#![forbid(unsafe_code)]

#[cfg(feature = "proptest")]
pub mod arbitrary;
pub mod attrs;
pub mod build;
pub mod codes;
pub mod diag;
pub mod json;
mod model;
pub mod normal;
mod raw;
pub mod schema;
pub mod shared;
pub mod spec;
pub mod visit;

pub use attrs::{Align, BannerKind, HeadingLevel, MentionKind, Span};
pub use codes::Code;
pub use diag::{Conversion, Diagnostic, Finished, Position, Severity, Written};
pub use json::{InputShape, Mode, Read, ReadError, ReadOptions};
pub use model::*;
pub use spec::{MarkType, NodeType};
pub use visit::{NodeRef, Pointer, Visit, Walk};

/// Checks a document against the strict rules and returns every violation (empty when valid).
///
/// The rules live in one place, the strict reader, which the JSON Schema is generated beside: the
/// document is written and read back strictly, so that a document built in code and one read from
/// JSON are judged alike, and pointers name places in the written JSON.
pub fn validate(doc: &Doc) -> Vec<Diagnostic> {
    match json::read_str(&json::to_string(doc), &ReadOptions::strict()) {
        Ok(read) => read.diagnostics,
        Err(error) => error.diagnostics,
    }
}
