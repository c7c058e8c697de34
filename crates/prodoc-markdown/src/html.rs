//! The hand-off to the HTML reader and writer (Productive's HTML dialect), and the few inline
//! HTML forms this crate writes itself.

use prodoc_core::{Block, Conversion, Mention};

/// Whether the HTML reader and writer are wired in.
pub(crate) const AVAILABLE: bool = false;

/// Reads an HTML fragment, when the HTML reader is available.
pub(crate) fn read(_html: &str) -> Option<Conversion> {
    None
}

/// Writes one block as HTML, when the HTML writer is available.
pub(crate) fn write_block(_block: &Block) -> Option<String> {
    None
}

/// Escapes text for an HTML attribute value in double quotes, or for element content.
pub(crate) fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            other => out.push(other),
        }
    }
}

/// Productive's mention span: `<span mention-type mention-id mention-label
/// [mention-avatar-url]>label</span>`.
pub(crate) fn mention_span(mention: &Mention) -> String {
    let mut out = String::from("<span mention-type=\"");
    escape(mention.kind.as_str(), &mut out);
    out.push_str("\" mention-id=\"");
    escape(&mention.id, &mut out);
    out.push_str("\" mention-label=\"");
    escape(&mention.label, &mut out);
    if let Some(avatar) = &mention.avatar_url {
        out.push_str("\" mention-avatar-url=\"");
        escape(avatar, &mut out);
    }
    out.push_str("\">");
    for text in &mention.content {
        escape(&text.text, &mut out);
    }
    out.push_str("</span>");
    out
}
