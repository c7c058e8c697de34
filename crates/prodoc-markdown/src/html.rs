//! The hand-off to the HTML reader and writer (Productive's HTML dialect), and the few inline
//! HTML forms this crate writes itself.

use prodoc_core::{Block, Conversion, Doc, Written};

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
/// What the HTML writer had to say comes with it, each pointer under `pointer` (the block's place
/// in the whole document) instead of the one-block document's `/content/0`.
pub(crate) fn write_block(block: &Block, pointer: &str) -> Option<Written> {
    let doc = Doc::new(vec![block.clone()]);
    let mut written = prodoc_html::write(&doc, &prodoc_html::WriteOptions::default());
    written.text = written.text.replace('\n', "&#10;").replace('\r', "&#13;");
    for diagnostic in &mut written.diagnostics {
        if let Some(inner) = diagnostic
            .pointer
            .as_deref()
            .and_then(|p| p.strip_prefix("/content/0"))
        {
            diagnostic.pointer = Some(format!("{pointer}{inner}"));
        }
    }
    Some(written)
}
