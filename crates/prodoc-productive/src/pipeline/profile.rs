//! What Productive's Markdown endpoints understand, by the 2026 guides.
//!
//! The import guide: Markdown "covers paragraphs, headings, lists, tables, code blocks, links,
//! images, and basic emphasis"; "mentions, file attachments, banners, multi-column layouts,
//! variables, underline, or styled text" need HTML. The document-format guide spells out the
//! Markdown form of each node: quotes (`>`), task lists, dividers (`---`), strike (`~~`), line
//! breaks and images (`![alt](url "title")`) have one; banners, mentions ("Markdown stores
//! `@username` as literal text"), underline, files, variables, columns and styles are "HTML
//! only", as are a paragraph's alignment, an image's width, an ordered list's start and a table
//! cell's span or background. prodoc's own Markdown reader understands more (`@[type:id:label]`,
//! alerts as banners, inline HTML), so whether Markdown can carry a document is judged here,
//! against the endpoint, and not by reading prodoc's Markdown back.

use prodoc_core::{Block, Doc, Inline, Mark, NodeRef};

/// The first node of `doc` outside the Markdown profile, as (JSON Pointer, what it is), or
/// `None` when the Markdown endpoints can carry the whole document.
pub fn outside_markdown_profile(doc: &Doc) -> Option<(String, &'static str)> {
    for visit in doc.walk() {
        let what = match visit.node {
            NodeRef::Doc(_)
            | NodeRef::ListItem(_)
            | NodeRef::ChecklistItem(_)
            | NodeRef::TableRow(_) => None,
            NodeRef::Block(block) => block_outside(block),
            NodeRef::TableCell(cell) => {
                (cell.colspan.get() != 1 || cell.rowspan.get() != 1 || cell.background.is_some())
                    .then_some("a merged or coloured table cell")
            }
            NodeRef::Inline(inline) => inline_outside(inline),
            NodeRef::Column(_) => Some("a column"),
            NodeRef::MentionText(_) => Some("a mention"),
            NodeRef::Raw(_) => Some("a node prodoc does not know"),
        };
        if let Some(what) = what {
            return Some((visit.pointer.to_string(), what));
        }
    }
    None
}

fn block_outside(block: &Block) -> Option<&'static str> {
    match block {
        Block::Paragraph(p) if p.align.is_some() => Some("an aligned paragraph"),
        Block::Heading(h) if h.align.is_some() => Some("an aligned heading"),
        Block::OrderedList(list) if list.order.is_some_and(|start| start != 1) => {
            Some("a list starting at another number")
        }
        Block::Paragraph(_)
        | Block::Heading(_)
        | Block::Blockquote(_)
        | Block::CodeBlock(_)
        | Block::BulletList(_)
        | Block::OrderedList(_)
        | Block::Checklist(_)
        | Block::Table(_)
        | Block::Divider(_) => None,
        Block::Banner(_) => Some("a banner"),
        Block::Columns(_) => Some("columns"),
        Block::Raw(_) => Some("a node prodoc does not know"),
    }
}

fn inline_outside(inline: &Inline) -> Option<&'static str> {
    match inline {
        Inline::Text(text) => text.marks.iter().find_map(mark_outside),
        Inline::HardBreak(_) => None,
        Inline::Image(image) if image.width.is_none() && image.extra.is_empty() => None,
        Inline::Image(_) => Some("an image with a width"),
        Inline::File(_) => Some("a file"),
        Inline::Mention(_) => Some("a mention"),
        Inline::Var(_) => Some("a variable"),
        Inline::Raw(_) => Some("a node prodoc does not know"),
    }
}

fn mark_outside(mark: &Mark) -> Option<&'static str> {
    match mark {
        Mark::Link(_) | Mark::Em | Mark::Strong | Mark::Code | Mark::Strike => None,
        Mark::Underline => Some("underline"),
        Mark::Discussion(_) => Some("a discussion highlight"),
        Mark::Styles(_) => Some("styled text"),
        Mark::Raw(_) => Some("a mark prodoc does not know"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    fn md(text: &str) -> Doc {
        prodoc::markdown::read(text, &Default::default()).doc
    }

    #[test]
    fn the_guides_list_is_inside() {
        let doc = md(
            "# H\n\nA *b* **c** `d` [e](https://x.org) ![f](https://x.org/f.png)\n\n\
                      - g\n- h\n\n1. i\n\n| j | k |\n|---|---|\n| l | m |\n\n```rust\nn\n```\n",
        );
        assert_eq!(outside_markdown_profile(&doc), None);
    }

    #[test]
    fn what_needs_html_is_outside_with_its_place() {
        for (text, what) in [
            ("See @[page:12:Intro].\n", "a mention"),
            ("> [!WARNING]\n> careful\n", "a banner"),
            ("a <u>b</u>\n", "underline"),
            (
                "<p style=\"text-align: center\">c</p>\n",
                "an aligned paragraph",
            ),
            ("3. three\n", "a list starting at another number"),
        ] {
            let found = outside_markdown_profile(&md(text));
            assert_eq!(found.as_ref().map(|f| f.1), Some(what), "{text}");
            assert!(found.unwrap().0.starts_with("/content/0"));
        }
    }
}
