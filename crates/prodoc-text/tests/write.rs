//! The writer's rules, each with its exact expected output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::sync::Arc;

use prodoc_core::arbitrary::{doc as arbitrary_doc, DocConfig};
use prodoc_core::build::*;
use prodoc_core::{
    BannerKind, Block, Child, Doc, HeadingLevel, Image, Inline, Link, Mark, MentionKind, RawNode,
    Span, TableCell,
};
use prodoc_text::{codes, write, HeadingStyle, WriteOptions};
use proptest::prelude::*;
use serde_json::json;
use unicode_width::UnicodeWidthStr;

/// The text written; nothing reported but what plain text cannot carry (formatting, headings,
/// lists… read back as text: tests/writers.rs checks which).
fn plain(doc: &Doc) -> String {
    let written = write(doc, &WriteOptions::default());
    assert!(
        written
            .diagnostics
            .iter()
            .all(|d| d.code == codes::NOT_EXPRESSIBLE),
        "{:?}",
        written.diagnostics
    );
    written.text
}

fn wrapped(doc: &Doc, width: usize) -> String {
    write(
        doc,
        &WriteOptions {
            wrap: Some(width),
            ..WriteOptions::default()
        },
    )
    .text
}

fn span(n: u32) -> Span {
    Span::try_from(n).unwrap()
}

#[test]
fn paragraphs_and_breaks() {
    let doc = doc([
        p([text("one"), br(), text("two")]),
        p([]),
        p([br()]),
        p([text("   ")]),
        p([text("  indented\tand tabbed")]),
        p([text("line\r\nbreaks\rin\ntext")]),
    ]);
    assert_eq!(
        plain(&doc),
        "one\ntwo\n\n  indented\tand tabbed\n\nline\nbreaks\nin\ntext\n"
    );
    assert_eq!(plain(&Doc::empty_page()), "");
    assert_eq!(plain(&prodoc_core::build::doc([])), "");
}

#[test]
fn trailing_spaces_are_not_written() {
    let doc = doc([p([text("end  "), br(), text("next\t")])]);
    assert_eq!(plain(&doc), "end\nnext\n");
}

#[test]
fn headings_underlined_by_default() {
    let doc = doc([
        heading(HeadingLevel::H1, [text("Title")]),
        heading(HeadingLevel::H2, [text("Section 日本")]),
        heading(HeadingLevel::H3, [text("Sub")]),
        p([text("Body")]),
        heading(HeadingLevel::H1, []),
    ]);
    assert_eq!(
        plain(&doc),
        "Title\n=====\n\nSection 日本\n------------\n\nSub\n~~~\n\nBody\n"
    );
}

#[test]
fn headings_prefixed() {
    let doc = doc([
        heading(HeadingLevel::H1, [text("Title")]),
        heading(HeadingLevel::H3, [text("Sub"), br(), text("second")]),
    ]);
    let options = WriteOptions {
        heading_style: HeadingStyle::Prefixed,
        ..WriteOptions::default()
    };
    assert_eq!(
        write(&doc, &options).text,
        "# Title\n\n### Sub\n    second\n"
    );
    let options = WriteOptions {
        wrap: Some(12),
        heading_style: HeadingStyle::Prefixed,
    };
    let doc = prodoc_core::build::doc([heading(HeadingLevel::H2, [text("a long heading here")])]);
    assert_eq!(
        write(&doc, &options).text,
        "## a long\n   heading\n   here\n"
    );
}

#[test]
fn bullet_and_numbered_lists_with_nesting() {
    let doc = doc([
        ul([
            li([p([text("one")])]),
            li([
                p([text("two"), br(), text("continued")]),
                ol(
                    9,
                    [
                        li([p([text("nine")])]),
                        li([p([text("ten"), br(), text("more")])]),
                    ],
                ),
            ]),
            li([p([])]),
        ]),
        ol(1, [li([p([text("first")]), p([text("second paragraph")])])]),
    ]);
    assert_eq!(
        plain(&doc),
        "- one\n\
         - two\n  continued\n  9. nine\n  10. ten\n      more\n\
         -\n\
         \n\
         1. first\n\n   second paragraph\n"
    );
}

#[test]
fn nested_lists_touch_the_paragraphs_around_them() {
    let first = || {
        li([
            p([text("a")]),
            ul([li([p([text("b")])])]),
            p([text("after b")]),
            ol(1, [li([p([text("c")])])]),
            checklist([task(false, [p([text("d")])])]),
            p([text("e")]),
        ])
    };
    let second = li([p([]), ul([li([p([text("under an empty item")])])])]);
    let doc = doc([ul([first(), second])]);
    let written = plain(&doc);
    assert_eq!(
        written,
        "- a\n  - b\n  after b\n  1. c\n  [ ] d\n  e\n-\n  - under an empty item\n"
    );
    let lists = prodoc_text::ReadOptions { lists: true };
    assert_eq!(prodoc_text::read(&written, &lists).doc, doc);
    // Two paragraphs in a row keep their blank line, which ends the list for the reader.
    let mut item = first();
    item.content.push(p([text("f")]));
    let doc = prodoc_core::build::doc([ul([item])]);
    assert!(plain(&doc).ends_with("  e\n\n  f\n"));
}

#[test]
fn checklists() {
    let doc = doc([checklist([
        task(false, [p([text("todo")])]),
        task(true, [p([text("done")]), ul([li([p([text("detail")])])])]),
    ])]);
    assert_eq!(plain(&doc), "[ ] todo\n[x] done\n    - detail\n");
}

#[test]
fn banners_are_labelled() {
    let doc = doc([
        banner(BannerKind::Info, [p([text("FYI")])]),
        banner(BannerKind::Warning, [p([text("Careful")])]),
        banner(BannerKind::Success, [p([text("Done")])]),
        banner(
            BannerKind::Critical,
            [p([text("Stop"), br(), text("now")]), p([text("Really")])],
        ),
    ]);
    assert_eq!(
        plain(&doc),
        "Info: FYI\n\nWarning: Careful\n\nSuccess: Done\n\n\
         Critical: Stop\n          now\n\n          Really\n"
    );
}

#[test]
fn block_quotes_are_prefixed() {
    let doc = doc([
        p([text("Before")]),
        blockquote([
            p([text("quoted"), br(), text("lines")]),
            blockquote([p([text("inner")])]),
            p([text("after")]),
        ]),
    ]);
    assert_eq!(
        plain(&doc),
        "Before\n\n> quoted\n> lines\n>\n> > inner\n>\n> after\n"
    );
}

#[test]
fn inline_nodes() {
    let mut titled = Image {
        src: "a.png".into(),
        title: Some("Title".into()),
        ..Image::default()
    };
    let doc = doc([p([
        link("docs", "https://example.com"),
        text(" "),
        link("https://example.com", "https://example.com"),
        text(" "),
        link("me@example.com", "mailto:me@example.com"),
        text(" "),
        mention(MentionKind::Person, "1", "Ann Lee"),
        text(" "),
        image("a.png", "a cat"),
        Inline::Image(Box::new(titled.clone())),
        {
            titled.title = None;
            Inline::Image(Box::new(titled))
        },
        text(" "),
        Inline::File(Box::new(prodoc_core::File {
            url: "https://f/x.pdf".into(),
            name: "x.pdf".into(),
            content_type: "application/pdf".into(),
            ..Default::default()
        })),
        text(" "),
        var("customer_name"),
        text(" "),
        marked("bold", [Mark::Strong]),
        marked(" code", [Mark::Code, Mark::Em]),
    ])]);
    assert_eq!(
        plain(&doc),
        "docs (https://example.com) https://example.com me@example.com @Ann Lee \
         [image: a cat][image: Title][image] [file: x.pdf] {customer_name} bold code\n"
    );
}

#[test]
fn adjacent_texts_with_one_link_are_one_link() {
    let link = Mark::from(Link::new("https://x.test"));
    let doc = doc([p([
        marked("click ", [link.clone()]),
        marked("here", [link, Mark::Strong]),
        text("."),
    ])]);
    assert_eq!(plain(&doc), "click here (https://x.test).\n");
}

#[test]
fn code_blocks_are_indented() {
    let doc = doc([
        code_block(Some("rust"), "fn main() {\n\tprintln!();\n\n}"),
        code_block(None, ""),
        p([text("after")]),
    ]);
    assert_eq!(
        plain(&doc),
        "    fn main() {\n    \tprintln!();\n\n    }\n\nafter\n"
    );
}

#[test]
fn dividers() {
    let doc = doc([p([text("a")]), divider(), p([text("b")])]);
    assert_eq!(plain(&doc), "a\n\n---\n\nb\n");
    let quoted = prodoc_core::build::doc([blockquote([divider()])]);
    assert_eq!(wrapped(&quoted, 10), "> --------\n");
}

#[test]
fn columns_one_after_the_other() {
    let doc = doc([columns([
        column([p([text("left")]), p([text("more")])]),
        column([p([text("right")])]),
    ])]);
    assert_eq!(plain(&doc), "left\n\nmore\n\nright\n");
}

#[test]
fn table_with_header_rule() {
    let doc = doc([table([
        row([
            header_cell([p([text("Name")])]),
            header_cell([p([text("Qty")])]),
        ]),
        row([cell([p([text("Apples")])]), cell([p([text("3")])])]),
        row([cell([p([text("Fig")])]), cell([])]),
    ])]);
    assert_eq!(
        plain(&doc),
        "Name   | Qty\n\
         -------+----\n\
         Apples | 3\n\
         Fig    |\n"
    );
}

#[test]
fn table_widths_count_display_columns() {
    let doc = doc([table([
        row([
            header_cell([p([text("名前")])]),
            header_cell([p([text("Mood")])]),
            header_cell([p([text("x")])]),
        ]),
        row([
            cell([p([text("日本語")])]),
            cell([p([text("😀😀")])]),
            cell([p([text("é")])]),
        ]),
        row([
            cell([p([text("ab")])]),
            cell([p([text("👍")])]),
            cell([p([text("ü")])]),
        ]),
    ])]);
    assert_eq!(
        plain(&doc),
        "名前   | Mood | x\n\
         -------+------+--\n\
         日本語 | 😀😀 | é\n\
         ab     | 👍   | ü\n"
    );
}

#[test]
fn table_spans() {
    let wide = TableCell {
        colspan: span(2),
        ..cell([p([text("a wide cell text")])])
    };
    let tall = TableCell {
        rowspan: span(2),
        ..cell([p([text("tall")])])
    };
    let doc = doc([table([
        row([
            header_cell([p([text("A")])]),
            header_cell([p([text("B")])]),
            header_cell([p([text("C")])]),
        ]),
        row([wide, tall]),
        row([cell([p([text("x")])]), cell([p([text("y")])])]),
    ])]);
    // The spanning cell widens column B; the tall cell leaves its slot below empty.
    assert_eq!(
        plain(&doc),
        "A | B            | C\n\
         --+--------------+-----\n\
         a wide cell text | tall\n\
         x | y            |\n"
    );
}

#[test]
fn huge_spans_stop_at_the_table_edge() {
    let doc = doc([table([
        row([TableCell {
            colspan: span(u32::MAX),
            rowspan: span(u32::MAX),
            ..cell([p([text("all")])])
        }]),
        row([cell([p([text("x")])]), cell([p([text("y")])])]),
    ])]);
    // The widest row has 2 cells: the first spans both columns, and not the second row, whose
    // own 2 cells it would push past them.
    assert_eq!(plain(&doc), "all\nx | y\n");
}

/// Spans merge the slots the cells make and never add any, so the text grows with the cells:
/// 2,000 one-cell rows each spanning every row below gave a triangle of 2 million slots.
#[test]
fn spans_never_make_the_table_larger_than_its_cells() {
    let n = 2000;
    let tall = |i: usize| TableCell {
        rowspan: span(65534),
        ..cell([p([text(format!("r{i}"))])])
    };
    let written = plain(&doc([table((0..n).map(|i| row([tall(i)])))]));
    assert_eq!(written.lines().count(), n);
    assert!(
        written.lines().all(|line| !line.contains('|')),
        "{}",
        &written[..200]
    );
    assert_eq!(
        written.len(),
        (0..n).map(|i| format!("r{i}\n").len()).sum::<usize>()
    );

    let wide = |i: usize| TableCell {
        colspan: span(65534),
        ..cell([p([text(format!("w{i}"))])])
    };
    let rows = std::iter::once(row([cell([p([text("a")])]), cell([p([text("b")])])]))
        .chain((0..n).map(|i| row([wide(i)])));
    let written = plain(&doc([table(rows)]));
    assert_eq!(written.lines().count(), n + 1);
    assert!(
        written.lines().all(|line| line.matches('|').count() <= 1),
        "{}",
        &written[..200]
    );
}

/// A row ends at its last cell and a rule is as wide as the rows beside it: one row of 400 cells
/// above 400 one-cell rows, with a two-line cell so that every row is ruled apart, wrote 400
/// padded lines and 400 rules of every column (2.2 MB; 64 MB at 4,000).
#[test]
fn a_ragged_table_writes_as_much_text_as_its_cells() {
    let n = 400;
    let wide = row((0..n).map(|i| cell([p([text(format!("h{i}"))])])));
    let two_lines = row([cell([p([text("a"), br(), text("b")])])]);
    let rows = std::iter::once(wide)
        .chain(std::iter::once(two_lines))
        .chain((0..n).map(|i| row([cell([p([text(format!("c{i}"))])])])));
    let written = plain(&doc([table(rows)]));
    assert!(
        written.starts_with("h0   | h1 | h2 |"),
        "{}",
        &written[..80]
    );
    // The widest row, one rule as wide as it (below it), and short lines after.
    assert!(written.len() < 12 * n + 20 * n, "{} bytes", written.len());
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(
        lines.get(2..5),
        Some(&["a", "b", "----"][..]),
        "{:?}",
        lines.get(..6)
    );
}

/// Spans are bounded by the table's extent, and together by a number of slots per cell: one row
/// of 300 cells above 3,000 rows of a cell spanning every column but one, then one more cell,
/// would be 900,000 slots (quadratic: W x N); the first rows keep their spans, the rest are laid
/// out cell by cell.
#[test]
fn spans_of_a_ragged_table_stop_at_a_number_of_slots_per_cell() {
    let (w, n) = (300, 3000);
    let wide_row = row((0..w).map(|i| cell([p([text(format!("h{i}"))])])));
    let spanning = |i: usize| {
        row([
            TableCell {
                colspan: span(65534),
                ..cell([p([text(format!("w{i}"))])])
            },
            cell([p([text("x")])]),
        ])
    };
    let rows = std::iter::once(wide_row).chain((0..n).map(spanning));
    let written = plain(&doc([table(rows)]));
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines.len(), n + 1);
    // The first spanning row keeps its span: its `x` is in the last column.
    assert!(lines[1].starts_with("w0 ") && lines[1].ends_with(" | x") && lines[1].len() > 4 * w);
    // The last is laid out without: its `x` follows its first cell.
    assert!(lines[n].starts_with("w2999 ") && lines[n].ends_with(" | x") && lines[n].len() < 20);
}

#[test]
fn tall_rows_are_ruled_apart() {
    let doc = doc([table([
        row([
            cell([p([text("one"), br(), text("two")])]),
            cell([p([text("b")])]),
        ]),
        row([
            cell([p([text("c")])]),
            cell([ul([li([p([text("i")])]), li([p([text("j")])])])]),
        ]),
    ])]);
    assert_eq!(
        plain(&doc),
        "one | b\n\
         two |\n\
         ----+----\n\
         c   | - i\n    | - j\n"
    );
}

#[test]
fn tables_nest_in_quotes_and_cells() {
    let inner = table([row([cell([p([text("in")])]), cell([p([text("ner")])])])]);
    let doc = doc([blockquote([table([row([
        cell([inner]),
        cell([p([text("outer")])]),
    ])])])]);
    assert_eq!(plain(&doc), "> in | ner | outer\n");
}

#[test]
fn wrap_paragraphs_and_list_items_by_display_width() {
    let doc = doc([
        p([text("the quick brown fox jumps over the lazy dog")]),
        ul([li([p([text("an item that wraps under its own text")])])]),
        p([text("日本語の文 とても長い 文章です")]),
        p([text("see https://example.com/a/very/long/path ok")]),
        blockquote([p([text("quoted text wraps too")])]),
    ]);
    assert_eq!(
        wrapped(&doc, 16),
        "the quick brown\nfox jumps over\nthe lazy dog\n\n\
         - an item that\n  wraps under\n  its own text\n\n\
         日本語の文\nとても長い\n文章です\n\n\
         see\nhttps://example.com/a/very/long/path\nok\n\n\
         > quoted text\n> wraps too\n"
    );
}

#[test]
fn wrap_keeps_breaks_and_leaves_code_and_tables_alone() {
    let doc = doc([
        p([text("short"), br(), text("a b c d e f g h")]),
        code_block(None, "a very long line of code stays"),
        table([row([cell([p([text("cells do not wrap either")])])])]),
    ]);
    assert_eq!(
        wrapped(&doc, 8),
        "short\na b c d\ne f g h\n\n    a very long line of code stays\n\ncells do not wrap either\n"
    );
    // A prefix wider than the width leaves one column: one word a line.
    let deep = prodoc_core::build::doc([blockquote([blockquote([p([text("x y")])])])]);
    assert_eq!(wrapped(&deep, 2), "> > x\n> > y\n");
}

#[test]
fn raw_nodes_are_reported_with_pointers_and_left_out() {
    let raw = |name: &str| RawNode(json!({"type": name}));
    let mut list = ul([li([p([text("kept")])])]);
    if let Block::BulletList(list) = &mut list {
        list.items.push(Child::Raw(raw("weird_item")));
    }
    let mut tbl = table([row([cell([p([text("c")])])])]);
    if let Block::Table(table) = &mut tbl {
        table.rows.push(Child::Raw(raw("weird_row")));
        if let Child::Node(row) = &mut table.rows[0] {
            row.cells.push(Child::Raw(raw("weird_cell")));
        }
    }
    let doc = doc([
        Block::Raw(raw("mystery")),
        p([
            text("a"),
            Inline::Raw(raw("sticker")),
            marked("b", [Mark::Raw(Arc::new(raw("glow")))]),
        ]),
        blockquote([list]),
        tbl,
    ]);
    let written = write(&doc, &WriteOptions::default());
    assert_eq!(written.text, "ab\n\n> - kept\n\nc\n");
    // Besides the blocks that read back as text (not-expressible, tested in tests/writers.rs).
    let found: Vec<(prodoc_text::codes::Code, &str)> = written
        .diagnostics
        .iter()
        .filter(|d| d.code != codes::NOT_EXPRESSIBLE)
        .map(|d| (d.code, d.pointer.as_deref().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            (codes::RAW_NODE, "/content/0"),
            (codes::RAW_NODE, "/content/1/content/1"),
            (codes::RAW_MARK, "/content/1/content/2/marks/0"),
            (codes::RAW_NODE, "/content/2/content/0/content/1"),
            (codes::RAW_NODE, "/content/3/content/0/content/1"),
            (codes::RAW_NODE, "/content/3/content/1"),
        ]
    );
    assert!(written
        .diagnostics
        .iter()
        .any(|d| d.message.contains("`mystery`")));
}

#[test]
fn diagnostics_inside_cells_point_into_the_cell() {
    let doc = doc([table([row([
        cell([p([text("a")])]),
        cell([p([text("b")]), Block::Raw(RawNode(json!(7)))]),
    ])])]);
    let written = write(&doc, &WriteOptions::default());
    assert_eq!(written.text, "a | b\n");
    let raw = written
        .diagnostics
        .iter()
        .find(|d| d.code == codes::RAW_NODE)
        .unwrap();
    assert_eq!(
        raw.pointer.as_deref(),
        Some("/content/0/content/0/content/1/content/1")
    );
    assert!(raw.message.contains("not a node"));
}

#[test]
fn byte_order_mark_at_the_start_survives_reading() {
    let doc = doc([p([text("\u{feff}x")])]);
    let text = plain(&doc);
    assert_eq!(text, "\u{feff}\u{feff}x\n");
    assert_eq!(prodoc_text::read(&text, &Default::default()).doc, doc);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any valid document writes, with nothing to report but what reads back as text, and no
    /// line ends in a space or tab.
    #[test]
    fn every_valid_document_writes(
        doc in arbitrary_doc(DocConfig::default()),
        wrap in prop::option::of(1usize..60),
        prefixed: bool,
    ) {
        let options = WriteOptions {
            wrap,
            heading_style: if prefixed { HeadingStyle::Prefixed } else { HeadingStyle::Underlined },
        };
        let written = write(&doc, &options);
        prop_assert!(
            written.diagnostics.iter().all(|d| d.code == codes::NOT_EXPRESSIBLE),
            "{:?}",
            written.diagnostics
        );
        prop_assert!(written.text.is_empty() || written.text.ends_with('\n'));
        for line in written.text.lines() {
            prop_assert!(!line.ends_with([' ', '\t']), "{:?}", line);
        }
    }

    /// Wrapping keeps every word, in order, and no line is wider than the width unless it holds
    /// a single word.
    #[test]
    fn wrapping_keeps_words_and_width(
        doc in arbitrary_doc(DocConfig { plain_text: true, ..DocConfig::text_only() }),
        width in 1usize..30,
    ) {
        let text = wrapped(&doc, width);
        for line in text.lines() {
            prop_assert!(line.width() <= width || !line.contains(' '), "{:?}", line);
        }
        let written: Vec<&str> = text.split_whitespace().collect();
        let source = doc.plain_text();
        let expected: Vec<&str> = source.split_whitespace().collect();
        prop_assert_eq!(written, expected);
    }
}
