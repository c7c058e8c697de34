//! The writer expresses the Markdown subset in Markdown alone: each case here once fell back to
//! HTML (`MARKDOWN_MISMATCH`), most found by the `markdown_subset_needs_no_html_fallback`
//! property, minimal inputs kept.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_core::build::*;
use prodoc_core::{Doc, Link, Mark};
use prodoc_markdown::{codes, read, write, ReadOptions, WriteOptions};

fn assert_no_mismatch(written: &prodoc_core::Written) {
    assert!(
        !written
            .diagnostics
            .iter()
            .any(|d| d.code == codes::MARKDOWN_MISMATCH),
        "{:?}",
        written.diagnostics
    );
}

/// Writes `doc`, checks that it needed no fallback for a mismatch (empty paragraphs are HTML
/// anyway) and reads back the same, and gives the Markdown.
fn plain(doc: &Doc) -> String {
    let written = write(doc, &WriteOptions::default());
    assert_no_mismatch(&written);
    let back = read(&written.text, &ReadOptions::default());
    assert!(
        &back.doc == doc,
        "Markdown {:?} reads back as {}",
        written.text,
        prodoc_core::json::to_string(&back.doc)
    );
    written.text
}

/// As [`plain`], for content with nothing written as HTML at all.
fn clean(doc: &Doc) -> String {
    let written = write(doc, &WriteOptions::default());
    assert!(written.diagnostics.is_empty(), "{:?}", written.diagnostics);
    plain(doc)
}

fn link_mark(href: &str) -> Mark {
    Mark::from(Link::new(href))
}

/// An `_` between letters is intraword, but not when a letter next to it is written as a
/// reference (`&#97;`, to make a neighbouring delimiter flanking): after the `;` the `_` opened
/// emphasis. Written `**A**_&#97;\_A_` now.
#[test]
fn underscore_next_to_a_character_reference_is_escaped() {
    clean(&doc([p([
        marked("A", [Mark::Strong]),
        marked("a_A", [Mark::Em]),
    ])]));
    clean(&doc([p([
        marked("a", [Mark::Strike, Mark::Strong]),
        text("a_a"),
        marked("A", [Mark::Em, Mark::Strong, Mark::Code]),
    ])]));
}

/// A paragraph starting with a link whose text holds `]:` in a code span read as a link
/// reference definition (label `` ` ``, destination `` `](…) ``).
#[test]
fn link_text_with_a_colon_after_a_bracket_is_no_definition() {
    let url = "https://example.com/a";
    clean(&doc([p([marked("]:", [link_mark(url), Mark::Code])])]));
    clean(&doc([p([
        marked("]:", [link_mark("mailto:someone@example.com"), Mark::Code]),
        text("0a"),
    ])]));
    clean(&doc([p([
        marked("]:", [link_mark(url), Mark::Code]),
        marked(" (b", [link_mark(url)]),
    ])]));
    // Within a list item, and not at a paragraph's start, the same.
    clean(&doc([ul([li([p([
        marked("]:", [link_mark(url), Mark::Code]),
        text(" x"),
    ])])])]));
    let markdown = clean(&doc([p([
        text("a "),
        marked("]:", [link_mark(url), Mark::Code]),
    ])]));
    assert_eq!(markdown, format!("a [`]:`]({url})\n"));
}

/// A quote holding a loose list whose last item is empty (`- [ ]`), then a blank line and more
/// of the enclosing list item: pulldown-cmark 0.13 ended the enclosing list at that blank line
/// (it forgets an item that began blank only when its list is tight). The block after such a
/// quote follows it on the next line.
#[test]
fn block_after_a_quote_ending_in_an_empty_item_stays_in_the_list() {
    let quote = || {
        blockquote([checklist([
            task(false, [p([text("a")]), p([])]),
            task(false, [p([])]),
        ])])
    };
    let markdown = plain(&doc([ol(1, [li([p([]), quote(), p([])])])]));
    assert!(markdown.contains("> - [ ]\n   <p></p>"), "{markdown:?}");
    plain(&doc([ul([li([p([text("x")]), quote(), p([text("b")])])])]));
    plain(&doc([ul([li([
        p([text("x")]),
        quote(),
        ul([li([p([text("b")])])]),
    ])])]));
    plain(&doc([ul([li([
        p([text("x")]),
        blockquote([quote()]),
        heading(prodoc_core::HeadingLevel::H2, [text("b")]),
    ])])]));
    plain(&doc([ol(
        1,
        [li([
            p([]),
            banner(prodoc_core::BannerKind::Info, [quote()]),
            code_block(None, "c"),
        ])],
    )]));
    // At the top level the blank line does no harm, and stays.
    let markdown = plain(&doc([quote(), p([text("b")])]));
    assert!(markdown.contains("> - [ ]\n\nb"), "{markdown:?}");
    plain(&doc([
        quote(),
        banner(prodoc_core::BannerKind::Info, [p([])]),
    ]));
}

/// The same, with another quote (or banner) after it: on the next line it would continue the
/// first, so it is written as HTML (a fallback, but no mismatch), its opening tag alone on the
/// first line so that any element starts an HTML block there.
#[test]
fn quote_after_a_quote_ending_in_an_empty_item_is_html() {
    let quote = || {
        blockquote([checklist([
            task(false, [p([text("a")]), p([])]),
            task(false, [p([])]),
        ])])
    };
    let after = [
        blockquote([p([text("b")])]),
        banner(prodoc_core::BannerKind::Warning, [p([text("b")])]),
    ];
    for after in after {
        let doc = doc([ul([li([p([text("x")]), quote(), after])])]);
        let written = write(&doc, &WriteOptions::default());
        let fallbacks = written
            .diagnostics
            .iter()
            .filter(|d| {
                d.code == codes::HTML_FALLBACK
                    && d.pointer.as_deref() == Some("/content/0/content/0/content/2")
            })
            .count();
        assert_eq!(fallbacks, 1, "{:?}", written.diagnostics);
        assert_no_mismatch(&written);
        assert_eq!(
            read(&written.text, &ReadOptions::default()).doc,
            doc,
            "{:?}",
            written.text
        );
    }
}
