//! `read(write(doc)) == doc` over generated documents, in both dialects.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_core::arbitrary::{doc, DocConfig};
use prodoc_core::spec::MarkType;
use prodoc_core::{Block, Child, Doc, Inline, Text};
use prodoc_html::{read, write, Dialect, ReadOptions, WriteOptions};
use proptest::prelude::*;

fn productive() -> WriteOptions {
    WriteOptions::default()
}

fn plain() -> WriteOptions {
    WriteOptions {
        dialect: Dialect::Plain,
        ..WriteOptions::default()
    }
}

/// What the plain dialect carries: no block ids, alignment, column layouts, files, mentions,
/// variables, discussions, styles or cell widths and backgrounds (all reported by the writer),
/// so they are switched off; code languages have no switch and are cleared by `plain_input`.
fn plain_config() -> DocConfig {
    DocConfig {
        ids: false,
        align: false,
        columns: false,
        files: false,
        mentions: false,
        vars: false,
        cell_attrs: false,
        marks: vec![
            MarkType::Link,
            MarkType::Em,
            MarkType::Strong,
            MarkType::Code,
            MarkType::Strike,
            MarkType::Underline,
        ],
        ..DocConfig::default()
    }
}

/// Runs `f` on every block of the document, with an explicit stack.
fn each_block(doc: &mut Doc, mut f: impl FnMut(&mut Block)) {
    let mut stack: Vec<&mut Block> = doc.content.iter_mut().collect();
    while let Some(block) = stack.pop() {
        f(block);
        match block {
            Block::Blockquote(b) => stack.extend(b.content.iter_mut()),
            Block::Banner(b) => stack.extend(b.content.iter_mut()),
            Block::BulletList(l) => stack.extend(
                l.items
                    .iter_mut()
                    .filter_map(Child::node_mut)
                    .flat_map(|i| i.content.iter_mut()),
            ),
            Block::OrderedList(l) => stack.extend(
                l.items
                    .iter_mut()
                    .filter_map(Child::node_mut)
                    .flat_map(|i| i.content.iter_mut()),
            ),
            Block::Checklist(l) => stack.extend(
                l.items
                    .iter_mut()
                    .filter_map(Child::node_mut)
                    .flat_map(|i| i.content.iter_mut()),
            ),
            Block::Table(t) => stack.extend(
                t.rows
                    .iter_mut()
                    .filter_map(Child::node_mut)
                    .flat_map(|r| r.cells.iter_mut().filter_map(Child::node_mut))
                    .flat_map(|c| c.content.iter_mut()),
            ),
            Block::Columns(c) => stack.extend(
                c.columns
                    .iter_mut()
                    .filter_map(Child::node_mut)
                    .flat_map(|c| c.content.iter_mut()),
            ),
            _ => {}
        }
    }
}

fn plain_input(mut doc: Doc) -> Doc {
    each_block(&mut doc, |block| {
        if let Block::CodeBlock(code) = block {
            code.language = None;
        }
    });
    doc
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// HTML's whitespace collapsing, applied to what the plain dialect cannot protect from it: runs
/// of whitespace become one space, which goes at the start and end of a block and around a
/// line break. Only whitespace changes; adjacent texts with equal marks are merged again.
fn collapse_inlines(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut line_start = true;
    let mut space = false;
    let trim_last = |out: &mut Vec<Inline>, space: &mut bool| {
        if std::mem::take(space) {
            if let Some(Inline::Text(t)) = out.last_mut() {
                t.text.pop();
                if t.text.is_empty() {
                    out.pop();
                }
            }
        }
    };
    for inline in inlines {
        match inline {
            Inline::Text(Text { text, marks, .. }) => {
                let mut collapsed = String::new();
                for c in text.chars() {
                    if is_ws(c) {
                        if !line_start && !space {
                            collapsed.push(' ');
                            space = true;
                        }
                    } else {
                        collapsed.push(c);
                        space = false;
                        line_start = false;
                    }
                }
                if collapsed.is_empty() {
                    continue;
                }
                match out.last_mut() {
                    Some(Inline::Text(last)) if last.marks == marks => {
                        last.text.push_str(&collapsed)
                    }
                    _ => out.push(Inline::Text(Text::marked(collapsed, marks))),
                }
            }
            Inline::HardBreak(b) => {
                trim_last(&mut out, &mut space);
                line_start = true;
                out.push(Inline::HardBreak(b));
            }
            other => {
                space = false;
                line_start = false;
                out.push(other);
            }
        }
    }
    trim_last(&mut out, &mut space);
    out
}

fn collapse_whitespace(mut doc: Doc) -> Doc {
    each_block(&mut doc, |block| match block {
        Block::Paragraph(p) => p.content = collapse_inlines(std::mem::take(&mut p.content)),
        Block::Heading(h) => h.content = collapse_inlines(std::mem::take(&mut h.content)),
        _ => {}
    });
    doc
}

fn check(doc: &Doc, options: &WriteOptions) -> Result<Doc, TestCaseError> {
    let written = write(doc, options);
    prop_assert!(
        written.diagnostics.is_empty() || options.dialect == Dialect::Plain,
        "writer diagnostics: {:?}",
        written.diagnostics
    );
    let conversion = read(&written.text, &ReadOptions::default());
    prop_assert!(
        conversion.diagnostics.is_empty(),
        "reader diagnostics: {:?}\n{}",
        conversion.diagnostics,
        written.text
    );
    let problems = prodoc_core::validate(&conversion.doc);
    prop_assert!(
        problems.is_empty(),
        "invalid: {problems:?}\n{}",
        written.text
    );
    Ok(conversion.doc)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn productive_dialect_round_trips(doc in doc(DocConfig::default())) {
        let back = check(&doc, &productive())?;
        prop_assert_eq!(&back, &doc, "{}", write(&doc, &productive()).text);
    }

    #[test]
    fn plain_dialect_round_trips_what_it_carries(doc in doc(plain_config()).prop_map(plain_input)) {
        let written = write(&doc, &plain());
        // Only whitespace HTML collapses is reported (and collapsed below).
        prop_assert!(
            written.diagnostics.iter().all(|d| d.message.contains("runs of spaces")),
            "{:?}",
            written.diagnostics
        );
        let back = check(&doc, &plain())?;
        prop_assert_eq!(&back, &collapse_whitespace(doc.clone()), "{}", written.text);
    }

    #[test]
    fn plain_dialect_round_trips_exactly_without_whitespace_runs(
        doc in doc(DocConfig { plain_text: true, ..plain_config() }).prop_map(plain_input)
    ) {
        // Letters, digits and single inner spaces: no normalisation at all.
        let back = check(&doc, &plain())?;
        prop_assert_eq!(&back, &doc);
    }
}

#[test]
fn whitespace_survives_in_the_productive_dialect() {
    use prodoc_core::build::*;
    let doc = doc([
        p([text("  two  spaces\u{a0} "), br(), text(" after")]),
        p([text(" ")]),
        heading(prodoc_core::HeadingLevel::H2, [text("tab\there ")]),
    ]);
    let written = write(&doc, &productive());
    assert!(
        written.text.contains("white-space: pre-wrap"),
        "{}",
        written.text
    );
    assert_eq!(read(&written.text, &ReadOptions::default()).doc, doc);
    // A paragraph that needs nothing gets nothing.
    let simple = prodoc_core::build::doc([p([text("a b")])]);
    assert_eq!(write(&simple, &productive()).text, "<p>a b</p>");
}

#[test]
fn mention_shorthand_in_text_is_not_read_as_a_mention() {
    use prodoc_core::build::*;
    let doc = doc([p([text("see @[user:1:Bob] here")])]);
    let written = write(&doc, &productive());
    assert_eq!(
        read(&written.text, &ReadOptions::default()).doc,
        doc,
        "{}",
        written.text
    );
    let read_back = read("<p>see @[user:1:Bob] here</p>", &ReadOptions::default()).doc;
    assert!(matches!(
        &read_back.content[0],
        Block::Paragraph(p) if matches!(p.content[1], Inline::Mention(_))
    ));
}
