//! The reader's rules, and properties over arbitrary input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_core::build::*;
use prodoc_core::{Block, Doc, Position};
use prodoc_text::{codes, read, write, ReadOptions, WriteOptions, MAX_LIST_DEPTH};
use proptest::prelude::*;

fn plain(text: &str) -> Doc {
    let read = read(text, &ReadOptions::default());
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    read.doc
}

fn lists(text: &str) -> prodoc_core::Conversion {
    read(text, &ReadOptions { lists: true })
}

fn listed(text: &str) -> Doc {
    let read = lists(text);
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    read.doc
}

#[test]
fn blank_lines_separate_paragraphs_and_single_breaks_become_br() {
    assert_eq!(
        plain("a\nb\n\n\n\nc\n"),
        doc([p([text("a"), br(), text("b")]), p([text("c")])])
    );
}

#[test]
fn every_line_ending_is_a_break() {
    let expected = doc([
        p([text("a"), br(), text("b"), br(), text("c")]),
        p([text("d")]),
    ]);
    assert_eq!(plain("a\r\nb\rc\r\n\r\nd"), expected);
    assert_eq!(plain("a\rb\nc\r\rd\r"), expected);
}

#[test]
fn trailing_spaces_go_and_space_only_lines_are_blank() {
    assert_eq!(
        plain("a  \t\n \t \nb \n  \n\t\n"),
        doc([p([text("a")]), p([text("b")])])
    );
    assert_eq!(plain("   \n\t\n"), doc([]));
}

#[test]
fn leading_whitespace_tabs_and_control_characters_are_kept() {
    assert_eq!(
        plain("  indented\n\tx\ty\n\u{0}\u{7}\u{c}"),
        doc([p([
            text("  indented"),
            br(),
            text("\tx\ty"),
            br(),
            text("\u{0}\u{7}\u{c}"),
        ])])
    );
}

#[test]
fn nothing_else_is_guessed() {
    let source = "# Title\n> quote\n- item\n1. one\n[ ] task\n---";
    let lines: Vec<_> = source.lines().collect();
    let mut content = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            content.push(br());
        }
        content.push(text(*line));
    }
    assert_eq!(plain(source), doc([p(content)]));
}

#[test]
fn empty_input_and_byte_order_mark() {
    assert_eq!(plain(""), doc([]));
    assert_eq!(plain("\n\n"), doc([]));
    assert_eq!(plain("\u{feff}hi"), doc([p([text("hi")])]));
    assert_eq!(plain("\u{feff}"), doc([]));
}

#[test]
fn bullet_lists() {
    assert_eq!(
        listed("- one\n* two\n-\n-\tfour"),
        doc([ul([
            li([p([text("one")])]),
            li([p([text("two")])]),
            li([p([])]),
            li([p([text("four")])]),
        ])])
    );
}

#[test]
fn numbered_lists_take_their_first_number() {
    assert_eq!(
        listed("3. c\n4. d"),
        doc([ol(3, [li([p([text("c")])]), li([p([text("d")])])])])
    );
    let read = lists("1. a\n1. b\n7. c");
    assert_eq!(
        read.doc,
        doc([ol(
            1,
            [
                li([p([text("a")])]),
                li([p([text("b")])]),
                li([p([text("c")])])
            ]
        )])
    );
    let found: Vec<_> = read
        .diagnostics
        .iter()
        .map(|d| (d.code, d.position))
        .collect();
    assert_eq!(
        found,
        [
            (codes::LIST_NUMBER, Some(Position { line: 2, column: 1 })),
            (codes::LIST_NUMBER, Some(Position { line: 3, column: 1 })),
        ]
    );
    assert!(read.diagnostics[0]
        .message
        .contains("found item number 1, expected 2"));
}

#[test]
fn checklists() {
    assert_eq!(
        listed("[ ] todo\n[x] done\n[X] also"),
        doc([checklist([
            task(false, [p([text("todo")])]),
            task(true, [p([text("done")])]),
            task(true, [p([text("also")])]),
        ])])
    );
}

#[test]
fn nesting_and_continuation_by_indentation() {
    let source = "- a\n  more a\n  1. one\n     more one\n  2. two\n     - deep\n  back in a\n- b";
    assert_eq!(
        listed(source),
        doc([ul([
            li([
                p([text("a"), br(), text("more a")]),
                ol(
                    1,
                    [
                        li([p([text("one"), br(), text("more one")])]),
                        li([p([text("two")]), ul([li([p([text("deep")])])])]),
                    ]
                ),
                p([text("back in a")]),
            ]),
            li([p([text("b")])]),
        ])])
    );
}

#[test]
fn indented_lines_continue_the_innermost_item() {
    assert_eq!(
        listed("- a\n b\n  - c\n   d\n  e\nf"),
        doc([
            ul([li([
                p([text("a"), br(), text("b")]),
                ul([li([p([text("c"), br(), text("d")])])]),
                p([text("e")]),
            ])]),
            p([text("f")]),
        ])
    );
}

#[test]
fn continuation_keeps_indentation_beyond_the_text_column() {
    assert_eq!(
        listed("10. x\n      code-like"),
        doc([ol(10, [li([p([text("x"), br(), text("  code-like")])])])])
    );
}

#[test]
fn lists_end_at_blank_lines_unindented_text_and_other_kinds() {
    assert_eq!(
        listed("Shopping:\n- milk\n- eggs\nThanks\n1. x\n[ ] y\n\n- new"),
        doc([
            p([text("Shopping:")]),
            ul([li([p([text("milk")])]), li([p([text("eggs")])])]),
            p([text("Thanks")]),
            ol(1, [li([p([text("x")])])]),
            checklist([task(false, [p([text("y")])])]),
            ul([li([p([text("new")])])]),
        ])
    );
}

#[test]
fn another_kind_at_a_nested_level_starts_a_sibling_list() {
    assert_eq!(
        listed("- a\n  - b\n  1. c"),
        doc([ul([li([
            p([text("a")]),
            ul([li([p([text("b")])])]),
            ol(1, [li([p([text("c")])])]),
        ])])])
    );
}

#[test]
fn what_is_not_a_marker() {
    let source = "-x\n---\n1.5\n1234567890. big\n*bold*";
    let read = lists(source);
    assert!(read.diagnostics.is_empty());
    assert!(matches!(&read.doc.content[..], [Block::Paragraph(_)]));
}

#[test]
fn list_nesting_is_bounded() {
    let mut source = String::new();
    for level in 0..MAX_LIST_DEPTH + 3 {
        source.push_str(&" ".repeat(2 * level));
        source.push_str("- x\n");
    }
    let read = lists(&source);
    assert_eq!(read.diagnostics.len(), 3);
    assert!(read
        .diagnostics
        .iter()
        .all(|d| d.code == codes::LIST_TOO_DEEP));
    assert_eq!(
        read.diagnostics[0].position,
        Some(Position {
            line: MAX_LIST_DEPTH + 1,
            column: 2 * MAX_LIST_DEPTH + 1
        })
    );
    assert!(prodoc_core::validate(&read.doc).is_empty());
    // The deepest item holds the extra lines as text.
    let text = write(&read.doc, &WriteOptions::default()).text;
    assert!(text.ends_with(&format!(
        "{0}- x\n{0}  - x\n{0}    - x\n{0}      - x\n",
        " ".repeat(2 * (MAX_LIST_DEPTH - 1))
    )));
}

#[test]
fn written_lists_read_back() {
    let doc = doc([
        ul([
            li([
                p([text("a")]),
                ol(9, [li([p([text("n")])]), li([p([text("m")])])]),
            ]),
            li([p([text("b"), br(), text("c")])]),
        ]),
        checklist([task(true, [p([text("t")])])]),
    ]);
    let text = write(&doc, &WriteOptions::default()).text;
    assert_eq!(listed(&text), doc);
}

fn arbitrary_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-z]{1,5}",
        2 => prop::sample::select(vec![
            " ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", "- ", "* ", "1. ", "12. ", "[ ] ", "[x] ",
            "  - ", "    1. ", "\u{feff}", "\u{0}", "\u{b}", "\u{c}", "\u{85}", "\u{2028}", "日本",
            "😀", "\u{a0}", "#", ">", "-", "[X]", "\n  ", "\n   ", "\n    ", "\n- ", "\n  - ",
            "\n   - ", "\n1. ", "\n 2. ", "\n10. ", "\n0. ", "\n\t- ", "\n \t", "\n*\t", "\n [ ]",
        ])
        .prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Whatever the input, the document is strictly valid, with lists or without.
    #[test]
    fn every_input_reads_to_a_valid_document(source in arbitrary_text(), with_lists: bool) {
        let read = read(&source, &ReadOptions { lists: with_lists });
        prop_assert!(prodoc_core::validate(&read.doc).is_empty(), "{:?}", read.doc);
        if !with_lists {
            prop_assert!(read.diagnostics.is_empty());
        }
    }

    /// Writing what was read and reading it again changes nothing, with lists or without.
    #[test]
    fn reading_what_was_written_is_stable(source in arbitrary_text(), with_lists: bool) {
        let options = ReadOptions { lists: with_lists };
        let first = read(&source, &options).doc;
        let text = write(&first, &WriteOptions::default()).text;
        let second = read(&text, &options).doc;
        prop_assert_eq!(second, first, "{:?} was written as {:?}", source, text);
    }
}
