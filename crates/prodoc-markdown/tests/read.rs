//! Reader and writer cases: each construct, its diagnostics with positions, and deep nesting.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_core::build::*;
use prodoc_core::{BannerKind, Block, HeadingLevel, Mark, MentionKind, Position};
use prodoc_markdown::{codes, read, write, DeepHeadings, ReadOptions, WriteOptions};

fn md(text: &str) -> prodoc_core::Conversion {
    let conversion = read(text, &ReadOptions::default());
    assert!(
        prodoc_core::validate(&conversion.doc).is_empty(),
        "{text:?}"
    );
    conversion
}

#[test]
fn alerts_become_banners_and_back() {
    let kinds = [
        ("NOTE", BannerKind::Info),
        ("TIP", BannerKind::Success),
        ("WARNING", BannerKind::Warning),
        ("CAUTION", BannerKind::Critical),
    ];
    for (alert, kind) in kinds {
        let source = format!("> [!{alert}]\n> Careful.\n");
        let read = md(&source);
        assert_eq!(read.doc, doc([banner(kind, [p([text("Careful.")])])]));
        assert_eq!(write(&read.doc, &WriteOptions::default()).text, source);
    }
    let important = md("> [!IMPORTANT]\n> x\n");
    assert_eq!(
        important.doc,
        doc([banner(BannerKind::Info, [p([text("x")])])])
    );
    assert_eq!(important.diagnostics[0].code, codes::ALERT_KIND);
}

#[test]
fn mentions_shorthand_and_escaped_text() {
    let read = md("Hi @[person:42:Ann Lee], see @\\[task:1:x\\].\n");
    assert_eq!(
        read.doc,
        doc([p([
            text("Hi "),
            mention(MentionKind::Person, "42", "Ann Lee"),
            text(", see @[task:1:x]."),
        ])])
    );
    let written = write(&read.doc, &WriteOptions::default()).text;
    assert_eq!(written, "Hi @[person:42:Ann Lee], see @\\[task:1:x\\].\n");
    // A label Markdown would read as markup goes out as Productive's span and comes back.
    let odd = doc([p([mention(MentionKind::Task, "7", "a]b *c*")])]);
    let written = write(&odd, &WriteOptions::default()).text;
    assert!(written.contains("mention-label"), "{written}");
    assert_eq!(md(&written).doc, odd);
}

/// A paragraph of many text events (every escaped character is one) reads as it did when the
/// reader kept each event until the paragraph's end: the events before the first `@` are joined
/// as they come, and shorthands after them, escaped ones and ones inside emphasis still read as
/// the grammar says.
#[test]
fn mentions_after_many_text_events() {
    let escaped = "\\*".repeat(200);
    let stars = "*".repeat(200);
    let source =
        format!("{escaped} @[person:1:Ann] {escaped} @\\[task:2:x\\] {escaped} @[task:3:y]\n");
    let read = md(&source);
    assert_eq!(
        read.doc,
        doc([p([
            text(format!("{stars} ")),
            mention(MentionKind::Person, "1", "Ann"),
            text(format!(" {stars} @[task:2:x] {stars} ")),
            mention(MentionKind::Task, "3", "y"),
        ])])
    );
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    // In emphasis: the mention loses the mark, said at the emphasised text's first character
    // (the first `*` escaped).
    let source = format!("x *{escaped} @[person:1:Ann]*\n");
    let read = md(&source);
    let dropped: Vec<_> = read
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.position))
        .collect();
    assert_eq!(
        dropped,
        [("mark-dropped", Some(Position { line: 1, column: 5 }))]
    );
}

#[test]
fn deep_headings_by_option() {
    let read = md("#### Deep\n");
    assert_eq!(read.doc, doc([heading(HeadingLevel::H3, [text("Deep")])]));
    assert_eq!(read.diagnostics[0].code, codes::HEADING_LEVEL);
    assert_eq!(
        read.diagnostics[0].position,
        Some(Position { line: 1, column: 1 })
    );
    let options = ReadOptions {
        deep_headings: DeepHeadings::BoldParagraph,
        ..ReadOptions::default()
    };
    let bold = prodoc_markdown::read("###### Deep\n", &options);
    assert_eq!(bold.doc, doc([p([marked("Deep", [Mark::Strong])])]));
}

#[test]
fn mixed_task_lists_split_into_runs() {
    let read = md("intro\n\n- [ ] a\n- b\n- [x] c\n");
    assert_eq!(
        read.doc,
        doc([
            p([text("intro")]),
            checklist([task(false, [p([text("a")])])]),
            ul([li([p([text("b")])])]),
            checklist([task(true, [p([text("c")])])]),
        ])
    );
    let diagnostic = &read.diagnostics[0];
    assert_eq!(diagnostic.code, codes::MIXED_TASK_LIST);
    assert_eq!(diagnostic.position, Some(Position { line: 3, column: 1 }));
    // Written back, the runs stay apart (alternating bullets).
    let written = write(&read.doc, &WriteOptions::default()).text;
    assert_eq!(md(&written).doc, read.doc, "{written}");
}

#[test]
fn ordered_lists_keep_their_start() {
    let read = md("3. a\n4. b\n");
    assert_eq!(
        read.doc,
        doc([ol(3, [li([p([text("a")])]), li([p([text("b")])])])])
    );
    assert_eq!(
        write(&read.doc, &WriteOptions::default()).text,
        "3. a\n4. b\n"
    );
}

#[test]
fn tables_with_alignment_and_fallback() {
    let read = md("| a | b |\n| :-: | --- |\n| c | d |\n");
    let Block::Table(table) = &read.doc.content[0] else {
        panic!("{:?}", read.doc)
    };
    let first = table.rows[0].node().unwrap().cells[0].node().unwrap();
    assert!(first.header);
    let Block::Paragraph(paragraph) = &first.content[0] else {
        panic!()
    };
    assert_eq!(paragraph.align, Some(prodoc_core::Align::Center));
    assert_eq!(
        write(&read.doc, &WriteOptions::default()).text,
        "| a | b |\n| :-: | --- |\n| c | d |\n"
    );
    // A spanning cell needs HTML.
    let mut spanning = table.clone();
    spanning.rows[1].node_mut().unwrap().cells[0]
        .node_mut()
        .unwrap()
        .colspan = prodoc_core::Span::try_from(2_u32).unwrap();
    let spanning = doc([Block::Table(spanning)]);
    let written = write(&spanning, &WriteOptions::default());
    assert!(written.text.starts_with("<table"), "{}", written.text);
    assert!(written
        .diagnostics
        .iter()
        .any(|d| d.code == codes::HTML_FALLBACK));
    assert_eq!(md(&written.text).doc, spanning);
}

#[test]
fn footnotes_and_html_are_reported_and_front_matter_read() {
    let source = "---\ntitle: Notes\ntags: [a, b]\nnested:\n  x: 1\n---\nText[^1] with <u>under</u>.\n\n[^1]: The note.\n";
    let read = md(source);
    assert_eq!(read.metadata["title"], "Notes");
    assert_eq!(read.metadata["tags"], serde_json::json!(["a", "b"]));
    // Front matter is YAML: a nested map is read, not reported.
    assert_eq!(read.metadata["nested"], serde_json::json!({"x": 1}));
    let found: Vec<_> = read
        .diagnostics
        .iter()
        .map(|d| (d.code, d.position.unwrap().line))
        .collect();
    assert!(
        !found.iter().any(|(code, _)| *code == codes::FRONT_MATTER),
        "{found:?}"
    );
    assert!(found.contains(&(codes::FOOTNOTE, 7)), "{found:?}");
    assert!(found.contains(&(codes::FOOTNOTE, 9)), "{found:?}");
    assert_eq!(
        read.doc,
        doc([
            p([
                text("Text[^1] with "),
                marked("under", [Mark::Underline]),
                text("."),
            ]),
            ol(1, [li([p([text("[^1] The note.")])])]),
        ])
    );
}

#[test]
fn escaping_keeps_text() {
    let awkward = [
        "*not em*",
        "_x_",
        "`code`",
        "# no heading",
        "[link](x)",
        "<b>",
        "a | b",
        "\\",
        "~~s~~",
        "&amp;",
        "1. no list",
        "- no list",
        "+ no",
        "> no",
        "  lead",
        "trail  ",
        "\u{a0}nbsp\u{a0}",
        "a  b",
        "!",
        "[^1]",
        "---",
        "=",
        "@[person:1:x]",
        "line\nbreak",
    ];
    for text_value in awkward {
        let original = doc([p([text(text_value)])]);
        let written = write(&original, &WriteOptions::default()).text;
        assert_eq!(md(&written).doc, original, "{text_value:?} -> {written:?}");
    }
    // Emphasis around space and punctuation.
    let original = doc([p([
        text("a"),
        marked(" b ", [Mark::Em]),
        text("c"),
        marked("!", [Mark::Strong]),
        text("d"),
    ])]);
    let written = write(&original, &WriteOptions::default());
    assert!(written.diagnostics.is_empty(), "{:?}", written.diagnostics);
    assert_eq!(md(&written.text).doc, original, "{}", written.text);
}

#[test]
fn deep_nesting_is_flattened_not_overflowed() {
    for depth in [100, 10_000, 60_000] {
        let text = format!("{}deep\n", "> ".repeat(depth));
        let read = md(&text);
        assert!(read
            .diagnostics
            .iter()
            .any(|d| d.code == codes::NESTING_TOO_DEEP));
        assert_eq!(read.doc.plain_text().trim(), "deep");
        let lists = format!("{}deep\n", "- ".repeat(depth.min(10_000)));
        let read = md(&lists);
        assert_eq!(read.doc.plain_text().trim(), "deep");
    }
}

#[test]
fn writer_bounds_its_depth() {
    let mut block = p([text("core")]);
    for _ in 0..5_000 {
        block = blockquote([block]);
    }
    let deep = doc([block]);
    let written = write(&deep, &WriteOptions::default());
    assert!(written
        .diagnostics
        .iter()
        .any(|d| d.code == codes::NESTING_TOO_DEEP));
    assert!(written.text.trim_end().ends_with("core"));
}

#[test]
fn extra_cells_in_a_table_row_are_reported() {
    let read = md("| a | b |\n| --- | --- |\n| 1 | 2 | 3 |\n| x \\| y | z |\n|4|5|\n");
    let codes_found: Vec<_> = read.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes_found, [codes::TABLE_CELLS], "{:?}", read.diagnostics);
    assert_eq!(
        read.diagnostics[0].position,
        Some(Position { line: 3, column: 1 })
    );
    assert!(
        read.diagnostics[0].message.contains("3 cells"),
        "{}",
        read.diagnostics[0].message
    );
    // Without edge pipes, inside a quote, and with fewer cells than the header: nothing to report.
    for quiet in [
        "a | b\n--- | ---\n1 | 2\n",
        "> | a | b |\n> | - | - |\n> | 1 | 2 |\n",
        "| a | b | c |\n| - | - | - |\n| 1 |\n",
        "| a | `b` |\n| - | - |\n| `x \\| y` | z |\n",
    ] {
        let read = md(quiet);
        assert!(
            read.diagnostics.is_empty(),
            "{quiet:?}: {:?}",
            read.diagnostics
        );
    }
    // Without edge pipes, one too many.
    let read = md("a | b\n--- | ---\n1 | 2 | 3\n");
    assert_eq!(read.diagnostics.len(), 1, "{:?}", read.diagnostics);
}

#[test]
fn unsafe_urls_are_left_out_as_the_html_reader_leaves_them() {
    let read =
        md("[click](javascript:alert(1)) and ![x](data:image/png;base64,AAAA) <vbscript:y>\n");
    assert_eq!(read.doc, doc([p([text("click and  vbscript:y")])]));
    let found: Vec<_> = read
        .diagnostics
        .iter()
        .map(|d| (d.code, d.position.map(|p| p.column)))
        .collect();
    assert_eq!(
        found,
        [
            (codes::UNSAFE_URL, Some(1)),
            (codes::UNSAFE_URL, Some(34)),
            (codes::UNSAFE_URL, Some(67))
        ]
    );
    // Safe ones stay, relative and scheme-less ones included.
    let read = md("[a](https://x.y) [b](mailto:a@b.c) [c](/d) [e](@[x]:y)\n");
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
}

#[test]
fn links_mark_exactly_the_text_inside_them() {
    // A link is added to its texts when it closes: the text before it must stay outside, equal
    // marks on either side of its start notwithstanding, and neighbouring links to the same URL
    // merge as any equal texts do.
    let link = |href: &str| Mark::from(prodoc_core::Link::new(href));
    let read = md("a [b](u) c **[d *e* `f`](v)[g](v)** [](w) h\n");
    assert_eq!(
        read.doc,
        doc([p([
            text("a "),
            marked("b", [link("u")]),
            text(" c "),
            marked("d ", [link("v"), Mark::Strong]),
            marked("e", [link("v"), Mark::Em, Mark::Strong]),
            marked(" ", [link("v"), Mark::Strong]),
            marked("f", [link("v"), Mark::Strong, Mark::Code]),
            marked("g", [link("v"), Mark::Strong]),
            text("  h"),
        ])])
    );
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
}

/// HTML in Markdown goes through the HTML reader, so tags in it keep at most the HTML reader's
/// limit of attributes, inline and as a block.
#[test]
fn html_in_markdown_keeps_at_most_the_attribute_limit() {
    let limit = prodoc_core::shared::limits::HTML_ATTRIBUTES_PER_TAG;
    let attributes: String = (0..limit + 100).map(|i| format!(" a{i}=1")).collect();
    for text in [
        format!("x <span{attributes}>y</span>\n"),
        format!("<div{attributes}>\n\ny\n\n</div>\n"),
    ] {
        let conversion = md(&text);
        assert!(
            conversion
                .diagnostics
                .iter()
                .any(|d| d.code == "too-many-attributes"
                    && d.message.contains("the 100 attributes past the first 256")),
            "{:?}",
            conversion.diagnostics
        );
    }
}

/// A document longer than the reader's parsing window (256 KiB) reads as its parts do, with every
/// diagnostic at its place: pulldown-cmark parses it a window at a time (`src/window.rs`).
#[test]
fn a_long_document_reads_as_its_parts() {
    let unit = "# Part\n\npara *em* <u>under</u> [bad](javascript:x)\n\n```\ncode\n\nmore\n```\n\n> quote\nlazy\n\n- a\n\n- b\n\n| x |\n|---|\n| 1 |\n\n<div>\n\nblock\n\n</div>\n\n";
    let unit_lines = unit.matches('\n').count();
    let one = md(unit);
    let count = 8000;
    let long = unit.repeat(count);
    assert!(long.len() > 3 * 256 * 1024);
    let read = md(&long);
    assert_eq!(read.doc.content.len(), one.doc.content.len() * count);
    for (at, block) in read.doc.content.iter().enumerate() {
        assert_eq!(
            Some(block),
            one.doc.content.get(at % one.doc.content.len()),
            "{at}"
        );
    }
    assert_eq!(read.diagnostics.len(), one.diagnostics.len() * count);
    for (at, diagnostic) in read.diagnostics.iter().enumerate() {
        let first = &one.diagnostics[at % one.diagnostics.len()];
        let mut expected = first.position.unwrap();
        expected.line += at / one.diagnostics.len() * unit_lines;
        assert_eq!(diagnostic.code, first.code);
        assert_eq!(diagnostic.position, Some(expected), "{at}");
    }
}
