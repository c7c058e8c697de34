//! Inputs fuzzing found, each kept as a named case: reading never fails to validate, and reading,
//! writing and reading again gives the same document.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_core::build::*;
use prodoc_markdown::{read, write, ReadOptions, WriteOptions};

/// A crash input kept in `tests/regressions/` (the fuzz targets take UTF-8 text, so reading it
/// lossily changes nothing).
fn saved_input(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/regressions")
        .join(name);
    String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned()
}

fn read_write_read(markdown: &str) {
    let options = ReadOptions::default();
    let first = read(markdown, &options).doc;
    assert!(prodoc_core::validate(&first).is_empty());
    let written = write(&first, &WriteOptions::default()).text;
    let second = read(&written, &options).doc;
    assert!(first == second, "not idempotent\nwritten: {written:?}");
}

/// `markdown_roundtrip`: a fenced code block whose lines end in runs of CR before an LF. CR and
/// CRLF are line endings; the code text must hold them as `\n`, or the fence written back reads
/// one line ending fewer.
#[test]
fn fuzz_roundtrip_code_carriage_returns() {
    read_write_read(&saved_input("fuzz-roundtrip-code-carriage-returns.md"));
    read_write_read("```\na\r\r\nb\rc\r\n```\n");
    let doc = read("```\na\r\r\nb\rc\n```\n", &ReadOptions::default()).doc;
    let prodoc_core::Block::CodeBlock(code) = &doc.content[0] else {
        panic!("{doc:?}");
    };
    assert!(
        !code.text.contains('\r') && code.text.ends_with("b\nc"),
        "{:?}",
        code.text
    );
}

/// A code block from JSON that holds a CR cannot be a fence; it is written as HTML and reads back.
#[test]
fn code_text_with_a_carriage_return_round_trips() {
    let doc = doc([code_block(Some("txt"), "a\rb\r\nc")]);
    let written = prodoc_markdown::write(&doc, &WriteOptions::default());
    assert!(!written.diagnostics.is_empty());
    assert_eq!(
        read(&written.text, &ReadOptions::default()).doc,
        doc,
        "{:?}",
        written.text
    );
}

/// `markdown_roundtrip`: U+0000 in a table cell that the writer puts in HTML. CommonMark replaces
/// U+0000 with U+FFFD on reading, so the document never holds one.
#[test]
fn fuzz_roundtrip_nul_in_table_cell() {
    read_write_read(&saved_input("fuzz-roundtrip-nul-in-table-cell.md"));
    let doc = read("a\0b\n\n| x |\n|---|\n| c\0d |\n", &ReadOptions::default()).doc;
    let json = prodoc_core::json::to_string(&doc);
    assert!(
        !json.contains("\\u0000") && json.contains("a\u{fffd}b") && json.contains("c\u{fffd}d"),
        "{json}"
    );
}

/// proptest (`markdown_subset_round_trips_without_mismatch`): text starting with `(` right after
/// a mention shorthand made `@[person:1:Aa]()` a link; the `(` is escaped.
#[test]
fn parenthesis_after_a_mention_stays_text() {
    let doc = doc([p([
        mention(prodoc_core::MentionKind::Person, "1", "Aa"),
        text("()"),
    ])]);
    let written = prodoc_markdown::write(&doc, &WriteOptions::default());
    assert!(written.diagnostics.is_empty(), "{:?}", written.diagnostics);
    assert_eq!(written.text, "@[person:1:Aa]\\()\n");
    assert_eq!(read(&written.text, &ReadOptions::default()).doc, doc);
}

/// `markdown_roundtrip`: a code language holding `\~`. Info strings take backslash escapes, so
/// the language read was `…\~…` and, written back unescaped, read as `…~…`.
#[test]
fn fuzz_roundtrip_code_language_escapes() {
    read_write_read("~~~\u{16}~~~\u{7}~\u{7}~\u{16}~\u{17}~\u{7}\\\\~\u{7}`]\n~~~\n");
    // The same for every character an info string treats specially, and for a language that
    // starts with the fence's character.
    for language in ["a\\b", "c\\\\", "&amp;", "&#65;x", "~x`", "`y", "\\", "&"] {
        let doc = doc([prodoc_core::Block::CodeBlock(prodoc_core::CodeBlock {
            language: Some(language.to_owned()),
            text: "x".to_owned(),
            ..prodoc_core::CodeBlock::default()
        })]);
        let written = write(&doc, &WriteOptions::default()).text;
        let back = read(&written, &ReadOptions::default()).doc;
        assert_eq!(back, doc, "{language:?} written as {written:?}");
    }
}

/// `markdown_roundtrip`: a link to `@[]MMjjjjjjj':…` in a heading that the writer puts in HTML.
/// The HTML writer took the colon for a scheme's and dropped the link as unsafe; by the URL
/// Standard's grammar there is no scheme, so it is a relative URL and is kept.
#[test]
fn fuzz_roundtrip_link_without_a_scheme_in_html() {
    read_write_read(
        "\\\n[%_\0@*_[+\0]Hl\n+](@[]MMjjjjjjj':\0\0\0\0\0\0MMMMMMMMMMM)@[]-\u{b}\n-\n\0\\[",
    );
}

/// `markdown_roundtrip`: an image without a URL (`![]()`) in a table that has to be written as
/// HTML (its header holds a vertical tab). Read as an image with an empty `src`, it was written as
/// `<img src="">`, which the HTML reader leaves out. The Markdown reader now leaves such an image
/// out too, with the same diagnostic code, as it follows the HTML reader's URL rule.
#[test]
fn fuzz_roundtrip_image_without_src() {
    read_write_read(&saved_input("fuzz-roundtrip-image-without-src.md"));
    for markdown in [
        "a ![]() b\n",
        "![alt]( )\n",
        "![](<>)\n",
        "| [\u{b} |\n|-|\n| ![]() |\n",
    ] {
        read_write_read(markdown);
        let read = read(markdown, &ReadOptions::default());
        assert!(
            !prodoc_core::json::to_string(&read.doc).contains("\"image\""),
            "{markdown:?}"
        );
        assert!(
            read.diagnostics.iter().any(
                |d| d.code == prodoc_markdown::codes::IMAGE_WITHOUT_SRC && d.position.is_some()
            ),
            "{markdown:?}: {:?}",
            read.diagnostics
        );
    }
}
