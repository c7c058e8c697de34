//! Deep, wide and odd input: diagnostics, never a crash; positions; real pages from the Rust
//! toolchain's documentation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use prodoc_core::{Block, Position};
use prodoc_html::{codes, read, write, Dialect, ReadOptions, WriteOptions};

fn valid(html: &str) -> prodoc_core::Conversion {
    let conversion = read(html, &ReadOptions::default());
    let problems = prodoc_core::validate(&conversion.doc);
    assert!(problems.is_empty(), "{problems:?}");
    conversion
}

#[test]
fn deep_nesting_is_flattened_with_a_diagnostic() {
    for (open, close) in [
        ("<blockquote>", "</blockquote>"),
        ("<ul><li>", "</li></ul>"),
        ("<div>", "</div>"),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<b><i>", "</i></b>"),
        ("<span>", "</span>"),
    ] {
        let depth = 60_000 / open.len().max(8) * 8;
        let html = format!("{}deep text{}", open.repeat(depth), close.repeat(depth));
        let conversion = valid(&html);
        let text = conversion.doc.plain_text();
        assert!(text.contains("deep text"), "{open}: {text:?}");
        if matches!(open, "<blockquote>" | "<ul><li>" | "<table><tr><td>") {
            assert!(
                conversion
                    .diagnostics
                    .iter()
                    .any(|d| d.code == codes::NESTING_TOO_DEEP),
                "{open}"
            );
        }
        // Writing the deepest document the reader makes, in both dialects, reads back the same.
        for dialect in [Dialect::Productive, Dialect::Plain] {
            let written = write(
                &conversion.doc,
                &WriteOptions {
                    dialect,
                    ..WriteOptions::default()
                },
            );
            let again = read(&written.text, &ReadOptions::default());
            assert!(prodoc_core::validate(&again.doc).is_empty());
        }
    }
}

#[test]
fn max_depth_is_honoured() {
    let html = "<blockquote>".repeat(10) + "x";
    let shallow = read(&html, &ReadOptions { max_depth: 6 });
    let mut depth = 0;
    let mut block = shallow.doc.content.first();
    while let Some(Block::Blockquote(quote)) = block {
        depth += 1;
        block = quote.content.first();
    }
    // Quotes at depths 1..=3 hold a paragraph at 4 whose text is at 5 (and a mention's at 6).
    assert_eq!(depth, 3);
    assert_eq!(
        shallow
            .diagnostics
            .iter()
            .filter(|d| d.code == codes::NESTING_TOO_DEEP)
            .count(),
        1
    );
}

/// `html_read` (fuzz): a `max_depth` above core's limit let nested lists go deeper than a
/// document may (the JSON nested past 128 levels); it counts as the limit.
#[test]
fn max_depth_above_the_core_limit_counts_as_the_limit() {
    let html = "<ol><li>".repeat(100) + "x";
    for max_depth in [ReadOptions::MAX_DEPTH + 1, 255, usize::MAX] {
        let conversion = read(&html, &ReadOptions { max_depth });
        assert!(
            prodoc_core::validate(&conversion.doc).is_empty(),
            "max_depth {max_depth}"
        );
        assert!(conversion
            .diagnostics
            .iter()
            .any(|d| d.code == codes::NESTING_TOO_DEEP));
        assert_eq!(
            conversion.doc,
            read(&html, &ReadOptions::default()).doc,
            "max_depth {max_depth}"
        );
    }
}

#[test]
fn writer_handles_documents_deeper_than_any_reader_makes() {
    use prodoc_core::build::*;
    let mut block = p([text("bottom")]);
    for _ in 0..100_000 {
        block = blockquote([block]);
    }
    let doc = doc([block]);
    let written = write(&doc, &WriteOptions::default());
    assert!(written.text.starts_with("<blockquote><blockquote>"));
    assert!(written.text.contains("<p>bottom</p>"));
    let conversion = valid(&written.text);
    assert!(conversion.doc.plain_text().contains("bottom"));
}

/// The code and position of each diagnostic whose code `keep` keeps.
fn positions(
    conversion: &prodoc_core::Conversion,
    keep: impl Fn(prodoc_html::codes::Code) -> bool,
) -> Vec<(prodoc_html::codes::Code, Position)> {
    conversion
        .diagnostics
        .iter()
        .filter(|d| keep(d.code))
        .map(|d| (d.code, d.position.unwrap()))
        .collect()
}

#[test]
fn diagnostics_have_lines_and_columns() {
    let html = "<p>one</p>\n  <p>two <script>x</script></p>\n<h4>four</h4><!-- c -->";
    assert_eq!(
        positions(&valid(html), |_| true),
        [
            (
                codes::ELEMENT_DROPPED,
                Position {
                    line: 2,
                    column: 10
                }
            ),
            (codes::HEADING_LEVEL, Position { line: 3, column: 1 }),
            (
                codes::COMMENT_DROPPED,
                Position {
                    line: 3,
                    column: 14
                }
            ),
        ]
    );
}

/// A start tag that makes no element (a second `<body>`, `<image>` read as `<img>`, a tag past
/// the depth limit) does not cost the elements after it their columns.
#[test]
fn elements_after_a_tag_that_made_no_element_keep_their_columns() {
    let html = "<body><p>a</p><body class=x><p>b <image src=x.png> <script>x</script></p>\n\
                <p><h4>four</h4></p>";
    assert_eq!(
        positions(&valid(html), |code| code != codes::IMAGE_WITHOUT_SRC),
        [
            (
                codes::ELEMENT_DROPPED,
                Position {
                    line: 1,
                    column: 52
                }
            ),
            (codes::HEADING_LEVEL, Position { line: 2, column: 4 }),
        ]
    );
}

#[test]
fn odd_structure_is_repaired() {
    let conversion = valid(
        "<ul>loose<li><h2>head</h2><ul><li>n</li></ul></li><ul><li>nested directly</li></ul></ul>\
         <ol></ol><table></table><li>orphan</li><div data-columns><div data-column>only</div></div>\
         <banner type=danger></banner><td>cell</td>text",
    );
    let codes: Vec<prodoc_html::codes::Code> =
        conversion.diagnostics.iter().map(|d| d.code).collect();
    assert!(
        codes.contains(&prodoc_html::codes::LIST_ITEM_START),
        "{codes:?}"
    );
    assert!(
        codes.contains(&prodoc_html::codes::EMPTY_CONTAINER),
        "{codes:?}"
    );
    assert!(
        codes.contains(&prodoc_html::codes::COLUMN_COUNT),
        "{codes:?}"
    );
    assert!(
        codes.contains(&prodoc_html::codes::INVALID_ATTRIBUTE),
        "{codes:?}"
    );
    let text = conversion.doc.plain_text();
    for word in [
        "loose",
        "head",
        "nested directly",
        "orphan",
        "only",
        "cell",
        "text",
    ] {
        assert!(text.contains(word), "{word} in {text:?}");
    }
}

/// Visible text of a page, computed from html5ever's tree without the reader: body text outside
/// script, style, template, noscript, head, title, svg and form controls (the reader leaves those
/// out by design), whitespace-normalised.
fn visible_words(html: &str) -> Vec<String> {
    use html5ever::tendril::TendrilSink;
    use markup5ever_rcdom::{NodeData, RcDom};
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
    let mut text = String::new();
    // `None` marks the end of a block element: words do not run across block boundaries.
    let mut stack = vec![Some(dom.document.clone())];
    while let Some(entry) = stack.pop() {
        let Some(node) = entry else {
            text.push(' ');
            continue;
        };
        match &node.data {
            NodeData::Text { contents } => text.push_str(&contents.borrow()),
            NodeData::Element { name, .. } => {
                let name = &*name.local;
                if matches!(
                    name,
                    "script"
                        | "style"
                        | "template"
                        | "noscript"
                        | "head"
                        | "title"
                        | "svg"
                        | "button"
                        | "select"
                        | "textarea"
                        | "option"
                        | "input"
                        | "iframe"
                ) {
                    continue;
                }
                if matches!(
                    name,
                    "p" | "div"
                        | "li"
                        | "ul"
                        | "ol"
                        | "td"
                        | "th"
                        | "tr"
                        | "table"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "pre"
                        | "blockquote"
                        | "section"
                        | "article"
                        | "header"
                        | "footer"
                        | "nav"
                        | "main"
                        | "aside"
                        | "br"
                        | "hr"
                        | "dt"
                        | "dd"
                        | "dl"
                        | "figure"
                        | "figcaption"
                        | "details"
                        | "summary"
                        | "caption"
                        | "body"
                        | "form"
                        | "fieldset"
                        | "legend"
                        | "address"
                ) {
                    text.push(' ');
                    stack.push(None);
                }
                stack.extend(node.children.borrow().iter().rev().cloned().map(Some));
            }
            NodeData::Document => {
                stack.extend(node.children.borrow().iter().rev().cloned().map(Some))
            }
            _ => {}
        }
    }
    text.split_whitespace().map(str::to_owned).collect()
}

fn doc_words(doc: &prodoc_core::Doc) -> Vec<String> {
    doc.plain_text()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Pages of the Rust documentation shipped with the toolchain, if it is installed: a few named
/// ones of each kind (book, reference, API docs, source view) and every 4000th page in a sorted
/// walk, up to 400 KB each.
fn rust_doc_pages() -> Vec<PathBuf> {
    let Ok(output) = std::process::Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
    else {
        return Vec::new();
    };
    let root =
        Path::new(String::from_utf8_lossy(&output.stdout).trim()).join("share/doc/rust/html");
    if !root.is_dir() {
        return Vec::new();
    }
    let mut all = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                all.push(path);
            }
        }
    }
    all.sort();
    let mut pages: Vec<PathBuf> = [
        "index.html",
        "book/ch04-01-what-is-ownership.html",
        "reference/expressions.html",
        "std/index.html",
        "std/option/enum.Option.html",
        "std/collections/index.html",
        "rustc/what-is-rustc.html",
    ]
    .iter()
    .map(|p| root.join(p))
    .filter(|p| p.is_file())
    .collect();
    pages.extend(all.iter().step_by(4000).cloned());
    pages.retain(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= 400_000));
    pages
}

#[test]
fn real_pages_validate_and_keep_their_text() {
    let pages = rust_doc_pages();
    // The pages are the test's input: without them it would prove nothing, so it fails.
    assert!(
        !pages.is_empty(),
        "no Rust documentation found under `rustc --print sysroot`/share/doc/rust/html: \
         install it with `rustup component add rust-docs` (.ci/run does)"
    );
    let mut pages_handed_out = 0;
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        let conversion = read(&html, &ReadOptions::default());
        let problems = prodoc_core::validate(&conversion.doc);
        assert!(problems.is_empty(), "{}: {problems:?}", page.display());
        // Read with its blocks taken as the walk hands them out, the page gives the same.
        let mut runs = Vec::new();
        let mut streamed = prodoc_html::read_streaming(&html, &ReadOptions::default(), &mut |b| {
            runs.push(std::mem::take(b));
        });
        let held = streamed.doc.content.len();
        let mut blocks: Vec<_> = runs.into_iter().flatten().collect();
        blocks.append(&mut streamed.doc.content);
        streamed.doc.content = blocks;
        let same = streamed.doc == conversion.doc
            && streamed.diagnostics == conversion.diagnostics
            && streamed.metadata == conversion.metadata;
        assert!(same, "{}: read in runs differs", page.display());
        if held < conversion.doc.content.len() {
            pages_handed_out += 1;
        }
        let expected = visible_words(&html);
        let found = doc_words(&conversion.doc);
        // Word multiset containment, so that order changes (captions before tables) do not count.
        let mut counts = std::collections::HashMap::new();
        for word in &found {
            *counts.entry(word.as_str()).or_insert(0usize) += 1;
        }
        let mut kept = 0;
        for word in &expected {
            if let Some(count) = counts.get_mut(word.as_str()).filter(|c| **c > 0) {
                *count -= 1;
                kept += 1;
            }
        }
        let ratio = if expected.is_empty() {
            1.0
        } else {
            kept as f64 / expected.len() as f64
        };
        assert!(
            ratio >= 0.99,
            "{}: kept {kept} of {} words ({ratio:.4})",
            page.display(),
            expected.len()
        );
        eprintln!(
            "{}: {} bytes, kept {kept} of {} words",
            page.display(),
            html.len(),
            expected.len()
        );
    }
    assert!(pages.len() >= 5, "only {} pages", pages.len());
    assert!(
        pages_handed_out > 0,
        "no page's blocks were handed out before the end"
    );
    eprintln!(
        "{pages_handed_out} of {} pages handed out blocks as they went",
        pages.len()
    );
}

/// Inputs the fuzz targets found, each named by what went wrong; each must read, validate and
/// survive the Productive dialect unchanged.
#[test]
fn fuzz_regressions() {
    let cases = [
        // An Office span whose only colour was not a plain CSS value made an empty styles mark,
        // which the writer cannot express.
        (
            "empty-styles-mark-from-unsafe-office-colour",
            r#"<b id="docs-internal-guid-x"><a href="https://e.example"><span style="color:url(x);text-decoration:underline">Import</span></a><span style="color:url(x)">y</span></b>"#,
        ),
    ];
    for (name, html) in cases {
        let first = valid(html).doc;
        let written = write(&first, &WriteOptions::default());
        assert_eq!(
            read(&written.text, &ReadOptions::default()).doc,
            first,
            "{name}: {}",
            written.text
        );
    }
}

fn many_attributes(n: usize) -> String {
    (0..n).map(|i| format!(" a{i}=1")).collect()
}

/// html5ever's duplicate check makes many attributes on one tag quadratic; past the limit they
/// are left out before it sees them, with one diagnostic at the first left out, and what came
/// before (here the alignment) is read as usual. Lines after the tag stay where they were.
#[test]
fn attributes_past_the_limit_are_left_out_with_a_diagnostic() {
    let limit = prodoc_core::shared::limits::HTML_ATTRIBUTES_PER_TAG;
    let html = format!(
        "<p style=\"text-align: center\"\n{}>x</p>\n<h4>four</h4>",
        many_attributes(100_000).replace(" a5", "\na5")
    );
    let conversion = valid(&html);
    let first_out = html.find(&format!(" a{}=", limit - 1)).unwrap() + 1;
    let line = html[..first_out].matches('\n').count() + 1;
    let column = first_out - html[..first_out].rfind('\n').unwrap();
    let too_many: Vec<_> = conversion
        .diagnostics
        .iter()
        .filter(|d| d.code == codes::TOO_MANY_ATTRIBUTES)
        .collect();
    assert_eq!(too_many.len(), 1, "{:?}", conversion.diagnostics);
    assert_eq!(too_many[0].position, Some(Position { line, column }));
    assert!(
        too_many[0].message.contains(&format!(
            "the {} attributes past the first {limit}",
            100_001 - limit
        )),
        "{}",
        too_many[0].message
    );
    // The heading's diagnostic is on the line it is on.
    let heading_line = html.matches('\n').count() + 1;
    assert!(conversion.diagnostics.iter().any(
        |d| d.code == codes::HEADING_LEVEL && d.position.map(|p| p.line) == Some(heading_line)
    ));
    let expected = valid("<p style=\"text-align: center\">x</p>\n<h4>four</h4>");
    assert_eq!(conversion.doc, expected.doc);

    // An attribute past the limit is not read: this link has none left.
    let link = valid(&format!(
        "<p><a{} href=\"https://example.com\">l</a></p>",
        many_attributes(limit)
    ));
    assert_eq!(link.doc, valid("<p>l</p>").doc);
    assert!(link
        .diagnostics
        .iter()
        .any(|d| d.code == codes::TOO_MANY_ATTRIBUTES));
    // At the limit nothing is left out.
    let at_limit = valid(&format!("<p{}>x</p>", many_attributes(limit)));
    assert!(
        at_limit.diagnostics.is_empty(),
        "{:?}",
        at_limit.diagnostics
    );
}
