//! The writer expresses the Markdown subset in Markdown alone: each case here once fell back to
//! HTML (`MARKDOWN_MISMATCH`), most found by the `markdown_subset_needs_no_html_fallback`
//! property, minimal inputs kept.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_core::build::*;
use prodoc_core::{Doc, Link, Mark};
use prodoc_markdown::{codes, read, write_report, ReadOptions, WriteOptions};

/// Writes `doc`, checks that it needed no fallback and reads back the same, and gives the
/// Markdown.
fn plain(doc: &Doc) -> String {
    let written = write_report(doc, &WriteOptions::default());
    assert!(
        !written
            .diagnostics
            .iter()
            .any(|d| d.code == codes::MARKDOWN_MISMATCH),
        "{:?}",
        written.diagnostics
    );
    assert!(written.diagnostics.is_empty(), "{:?}", written.diagnostics);
    let back = read(&written.text, &ReadOptions::default());
    assert!(
        &back.doc == doc,
        "Markdown {:?} reads back as {}",
        written.text,
        prodoc_core::write::to_string(&back.doc)
    );
    written.text
}

fn link_mark(href: &str) -> Mark {
    Mark::Link(Link::new(href))
}

/// An `_` between letters is intraword, but not when a letter next to it is written as a
/// reference (`&#97;`, to make a neighbouring delimiter flanking): after the `;` the `_` opened
/// emphasis. Written `**A**_&#97;\_A_` now.
#[test]
fn underscore_next_to_a_character_reference_is_escaped() {
    plain(&doc([p([
        marked("A", [Mark::Strong]),
        marked("a_A", [Mark::Em]),
    ])]));
    plain(&doc([p([
        marked("a", [Mark::Strong, Mark::Strike]),
        text("a_a"),
        marked("A", [Mark::Em, Mark::Strong, Mark::Code]),
    ])]));
}

/// A paragraph starting with a link whose text holds `]:` in a code span read as a link
/// reference definition (label `` ` ``, destination `` `](…) ``).
#[test]
fn link_text_with_a_colon_after_a_bracket_is_no_definition() {
    let url = "https://example.com/a";
    plain(&doc([p([marked("]:", [link_mark(url), Mark::Code])])]));
    plain(&doc([p([
        marked("]:", [link_mark("mailto:someone@example.com"), Mark::Code]),
        text("0a"),
    ])]));
    plain(&doc([p([
        marked("]:", [link_mark(url), Mark::Code]),
        marked(" (b", [link_mark(url)]),
    ])]));
    // Within a list item, and not at a paragraph's start, the same.
    plain(&doc([ul([li([p([
        marked("]:", [link_mark(url), Mark::Code]),
        text(" x"),
    ])])])]));
    let markdown = plain(&doc([p([
        text("a "),
        marked("]:", [link_mark(url), Mark::Code]),
    ])]));
    assert_eq!(markdown, format!("a [`]:`]({url})\n"));
}
