//! prodoc: a toolkit for the Productive Document Format, the rich-text JSON of Productive Docs.
//!
//! This facade re-exports the workspace's crates: the typed model and JSON from `prodoc-core`
//! (also as [`json`]), and each format's converter as a module of its own.
//!
//! ```
//! let doc = prodoc::json::from_str(r#"{"type":"doc","content":[]}"#)?;
//! assert!(prodoc::validate(&doc).is_empty());
//! assert_eq!(prodoc::json::to_string(&doc), r#"{"type":"doc","content":[]}"#);
//! # Ok::<(), prodoc::json::ReadError>(())
//! ```
#![forbid(unsafe_code)]

pub use prodoc_core::*;

/// JSON in and out: [`prodoc_core::read`] and [`prodoc_core::write`] in one place.
pub mod json {
    pub use prodoc_core::read::*;
    pub use prodoc_core::write::*;
}
