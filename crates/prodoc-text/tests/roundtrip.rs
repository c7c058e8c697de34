//! Round trips: what the writer makes of text documents, the reader gives back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_core::arbitrary::{doc as arbitrary_doc, DocConfig};
use prodoc_core::build::*;
use prodoc_core::{Block, Doc, Inline};
use prodoc_text::{read, write, ReadOptions, WriteOptions};
use proptest::prelude::*;

fn round_trip(doc: &Doc, options: &ReadOptions) -> Doc {
    let text = write(doc, &WriteOptions::default()).text;
    let read = read(&text, options);
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    read.doc
}

/// A paragraph of `lines` joined by `br`.
fn lines_paragraph(lines: &[String]) -> Block {
    let mut content = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            content.push(br());
        }
        content.push(text(line.as_str()));
    }
    p(content)
}

/// What plain text can say of a document of paragraphs of text and `br`: its lines, where an
/// empty line (an empty paragraph, two `br` in a row, a `br` at either end) separates paragraphs.
fn as_plain_text_says(doc: &Doc) -> Doc {
    let mut blocks = Vec::new();
    for block in &doc.content {
        let Block::Paragraph(paragraph) = block else {
            panic!("only paragraphs expected, found {block:?}");
        };
        let mut lines = vec![String::new()];
        for inline in &paragraph.content {
            match inline {
                Inline::Text(text) => lines.last_mut().unwrap().push_str(&text.text),
                Inline::HardBreak(_) => lines.push(String::new()),
                other => panic!("only text and br expected, found {other:?}"),
            }
        }
        for run in lines.split(String::is_empty) {
            if !run.is_empty() {
                blocks.push(lines_paragraph(run));
            }
        }
    }
    Doc::new(blocks)
}

/// A line the reader keeps as it is: not empty, not ending in a space or a tab, no line break;
/// leading spaces, tabs inside, punctuation, markup, control characters and wide characters.
fn line() -> impl Strategy<Value = String> {
    let inner = prop_oneof![
        4 => "[A-Za-z0-9]{1,6}",
        2 => prop::sample::select(vec![
            " ", "  ", "\t", "-", "*", "1.", "#", ">", "[ ]", "|", "\\", "(", ")", "@", "{x}",
            "\u{0}", "\u{7}", "\u{b}", "\u{c}", "\u{7f}", "\u{85}", "\u{2028}", "\u{a0}", "é",
            "日本語", "😀", "👍🏽", "\u{200d}", "\u{feff}",
        ])
        .prop_map(str::to_owned),
    ];
    (prop::collection::vec(inner, 0..6), "[^ \t\r\n]")
        .prop_map(|(pieces, last)| pieces.concat() + &last)
}

fn plain_doc() -> impl Strategy<Value = Doc> {
    prop::collection::vec(
        prop::collection::vec(line(), 1..4).prop_map(|lines| lines_paragraph(&lines)),
        0..5,
    )
    .prop_map(Doc::new)
}

/// Words without markers or spaces at the ends, so that a list item's text reads back as such.
fn words() -> BoxedStrategy<String> {
    "[a-z]{1,6}( [a-z]{1,6}){0,3}".boxed()
}

fn list_block() -> impl Strategy<Value = Block> {
    // An item: lines of words (a continuation line may start with spaces), or an empty paragraph,
    // and when its paragraph has text, perhaps a nested list last.
    let item_lines = (words(), prop::collection::vec(("( {0,3})", words()), 0..3))
        .prop_map(|(first, rest)| {
            let mut lines = vec![first];
            lines.extend(rest.into_iter().map(|(lead, words)| lead + &words));
            lines
        })
        .boxed();
    let leaf = prop::collection::vec(
        prop_oneof![
            4 => item_lines.clone().prop_map(|lines| vec![lines_paragraph(&lines)]),
            1 => Just(vec![p([])]),
        ],
        1..4,
    );
    let list_of = |items: BoxedStrategy<Vec<Vec<Block>>>| {
        prop_oneof![
            items
                .clone()
                .prop_map(|items| ul(items.into_iter().map(li))),
            (0u32..1000, items.clone())
                .prop_map(|(start, items)| ol(start, items.into_iter().map(li))),
            (prop::collection::vec(any::<bool>(), 4), items).prop_map(|(checked, items)| {
                checklist(
                    items
                        .into_iter()
                        .zip(checked)
                        .map(|(content, checked)| task(checked, content)),
                )
            }),
        ]
    };
    list_of(leaf.boxed()).prop_recursive(3, 24, 3, move |inner| {
        let item =
            (item_lines.clone(), prop::option::weighted(0.5, inner)).prop_map(|(lines, nested)| {
                let mut content = vec![lines_paragraph(&lines)];
                content.extend(nested);
                content
            });
        list_of(prop::collection::vec(item, 1..4).boxed())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Core's text-only documents with breaks: read back as their lines say. Where a paragraph
    /// holds no empty line that is the document itself.
    #[test]
    fn core_text_documents_read_back(doc in arbitrary_doc(DocConfig {
        hard_breaks: true,
        plain_text: true,
        ..DocConfig::text_only()
    })) {
        let expected = as_plain_text_says(&doc);
        prop_assert_eq!(round_trip(&doc, &ReadOptions::default()), expected);
    }

    /// Paragraphs of any characters the format allows in a line give themselves back exactly.
    #[test]
    fn plain_documents_round_trip_exactly(doc in plain_doc()) {
        prop_assert!(prodoc_core::validate(&doc).is_empty());
        prop_assert_eq!(round_trip(&doc, &ReadOptions::default()), doc);
    }

    /// With lists on, nested bullet, numbered and check lists round trip too.
    #[test]
    fn lists_round_trip(blocks in prop::collection::vec(
        prop_oneof![1 => words().prop_map(|w| p([text(w)])), 2 => list_block()],
        1..4,
    )) {
        let doc = Doc::new(blocks);
        prop_assert!(prodoc_core::validate(&doc).is_empty());
        prop_assert_eq!(round_trip(&doc, &ReadOptions { lists: true }), doc);
    }
}

#[test]
fn empty_lines_split_paragraphs() {
    let doc = doc([p([br(), text("a"), br(), br(), text("b"), br()]), p([])]);
    assert_eq!(
        round_trip(&doc, &ReadOptions::default()),
        prodoc_core::build::doc([p([text("a")]), p([text("b")])])
    );
}
