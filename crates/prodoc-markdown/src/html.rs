//! The hand-off to the HTML reader and writer (Productive's HTML dialect), and the few inline
//! HTML forms this crate writes itself.

use prodoc_core::{Block, Conversion, Doc, Mention};

/// Whether the HTML reader and writer are wired in (they are; the switch keeps the places that
/// depend on them easy to find).
pub(crate) const AVAILABLE: bool = true;

/// Whether a link or image URL may be kept: the HTML reader's rule (http, https, mailto and
/// relative URLs).
pub(crate) fn is_safe_url(url: &str) -> bool {
    prodoc_html::is_safe_url(url)
}

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
