//! prodoc: a toolkit for the Productive Document Format, the rich-text JSON of Productive Docs.
//!
//! This facade re-exports the workspace's crates: the typed model and JSON from `prodoc-core`,
//! and each format's converter as a module of its own; [`convert`](mod@convert) is the one
//! conversion API over all of them, by [`Format`].
//!
//! ```
//! let doc = prodoc::json::from_str(r#"{"type":"doc","content":[]}"#)?;
//! assert!(prodoc::validate(&doc).is_empty());
//! assert_eq!(prodoc::json::to_string(&doc), r#"{"type":"doc","content":[]}"#);
//! # Ok::<(), prodoc::json::ReadError>(())
//! ```
#![forbid(unsafe_code)]

pub mod convert;

pub use convert::{convert, Format};
pub use prodoc_core::*;

/// Markdown <-> documents: `prodoc::markdown::read`, `prodoc::markdown::write`.
#[cfg(feature = "markdown")]
pub use prodoc_markdown as markdown;

/// HTML <-> documents, in Productive's dialect or plain HTML5.
#[cfg(feature = "html")]
pub use prodoc_html as html;

/// Plain text <-> documents.
#[cfg(feature = "text")]
pub use prodoc_text as text;
