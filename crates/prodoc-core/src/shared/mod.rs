//! The rules every format shares, written once and called by every reader and writer, so that
//! two formats cannot drift apart on them:
//!
//! - [`input`]: what every reader does to its input first (byte-order mark, lone CRs);
//! - [`mention`]: the `@[type:id:label]` shorthand grammar, read in one pass;
//! - [`url`]: which URLs are kept and which are relative;
//! - [`lines`]: byte offsets to lines and columns (LF, CRLF and CR);
//! - [`spans`]: Productive's inline HTML forms and their escaping;
//! - [`limits`]: the depth and size limits, each with its reason.
//!
//! The diagnostic codes are in [`crate::codes`]; walks over a block's children are
//! [`Block::children`](crate::Block::children) and [`Block::depth`](crate::Block::depth).

pub mod input;
pub mod limits;
pub mod lines;
pub mod mention;
pub mod spans;
pub mod url;
