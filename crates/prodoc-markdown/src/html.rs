//! The hand-off to the HTML reader and writer (Productive's HTML dialect), and the few inline
//! HTML forms this crate writes itself.

use prodoc_core::{Block, Conversion, Doc};

/// Whether the HTML reader and writer are wired in (they are; the switch keeps the places that
/// depend on them easy to find).
pub(crate) const AVAILABLE: bool = true;

/// Reads an HTML fragment in Productive's dialect.
pub(crate) fn read(html: &str) -> Option<Conversion> {
    Some(prodoc_html::read(
        html,
        &prodoc_html::ReadOptions::default(),
    ))
}

/// Writes one block in Productive's HTML dialect, on one line: an HTML block in Markdown ends
/// at a blank line, so line breaks inside (code, text) are written as character references,
/// which HTML reads as the same characters.
pub(crate) fn write_block(block: &Block) -> Option<String> {
    let doc = Doc::new(vec![block.clone()]);
    let written = prodoc_html::write(&doc, &prodoc_html::WriteOptions::default());
    Some(written.text.replace('\n', "&#10;").replace('\r', "&#13;"))
}
