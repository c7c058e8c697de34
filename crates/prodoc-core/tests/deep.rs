//! Depth never crashes: deep JSON is an error, deep documents built in code drop, write and
//! validate without recursion.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_core::build::*;
use prodoc_core::{json, validate, Block, Doc, Mark};

mod support;

const DEPTH: usize = 100_000;

#[test]
fn a_100000_deep_json_document_is_an_error_not_a_crash() {
    let mut json = String::from(r#"{"type":"doc","content":["#);
    for _ in 0..DEPTH {
        json.push_str(r#"{"type":"blockquote","content":["#);
    }
    json.push_str(r#"{"type":"paragraph"}"#);
    for _ in 0..DEPTH {
        json.push_str("]}");
    }
    json.push_str("]}");
    let error = json::from_str(&json).unwrap_err();
    assert_eq!(error.diagnostics.len(), 1);
    assert_eq!(error.diagnostics[0].code, "json-too-deep");
    assert!(error.diagnostics[0].position.is_some());
    // Unclosed nesting is no different.
    let open = "[".repeat(DEPTH);
    assert!(json::from_str(&open).is_err());
}

fn doc_of(block: Block) -> Doc {
    doc([block])
}

fn deep_doc() -> Doc {
    let mut block = p([text("bottom")]);
    for _ in 0..DEPTH {
        block = blockquote([block]);
    }
    doc([block])
}

#[test]
fn a_100000_deep_built_document_drops_and_writes() {
    let doc = deep_doc();
    let json = json::to_string(&doc);
    assert_eq!(json.matches("blockquote").count(), DEPTH);
    // Pretty output indents each level, so its size grows with the square of the depth; a
    // shallower tree shows it writes without recursion all the same.
    let mut block = p([text("bottom")]);
    for _ in 0..5_000 {
        block = blockquote([block]);
    }
    let pretty = json::to_string_pretty(&doc_of(block));
    assert_eq!(pretty.matches("blockquote").count(), 5_000);
    // doc, the quotes, the paragraph and its text.
    assert_eq!(doc.walk().count(), DEPTH + 3);
    assert_eq!(doc.plain_text(), "bottom");
    drop(doc);
}

#[test]
fn validating_a_too_deep_built_document_reports_it() {
    let diagnostics = validate(&deep_doc());
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, "json-too-deep");
}

#[test]
fn deep_lists_and_tables_drop_without_recursion() {
    let mut block: Block = p([text("x")]);
    for i in 0..DEPTH / 4 {
        block = match i % 4 {
            0 => ul([li([p([text("a")]), block])]),
            1 => table([row([cell([block])])]),
            2 => columns([column([block]), column([p([text("b")])])]),
            _ => checklist([task(true, [p([text("c")]), block])]),
        };
    }
    let doc = doc([block]);
    assert!(json::to_string(&doc).len() > DEPTH);
    drop(doc);
}

#[test]
fn walk_gives_pointers() {
    let doc = doc([p([text("a")]), ul([li([p([text("b"), br()])])])]);
    let visits: Vec<(String, usize, Option<&str>)> = doc
        .walk()
        .map(|v| {
            (
                v.pointer.to_string(),
                v.depth,
                v.node.node_type().map(|t| t.name()),
            )
        })
        .collect();
    assert_eq!(
        visits,
        [
            (String::new(), 0, Some("doc")),
            ("/content/0".to_owned(), 1, Some("paragraph")),
            ("/content/0/content/0".to_owned(), 2, Some("text")),
            ("/content/1".to_owned(), 1, Some("ul")),
            ("/content/1/content/0".to_owned(), 2, Some("li")),
            (
                "/content/1/content/0/content/0".to_owned(),
                3,
                Some("paragraph")
            ),
            (
                "/content/1/content/0/content/0/content/0".to_owned(),
                4,
                Some("text")
            ),
            (
                "/content/1/content/0/content/0/content/1".to_owned(),
                4,
                Some("br")
            ),
        ]
    );
    // Each pointer resolves in the written JSON to the node it names.
    let value = json::to_value(&doc).unwrap();
    for visit in doc.walk() {
        let at = value.pointer(&visit.pointer.to_string()).unwrap();
        assert_eq!(
            at["type"].as_str(),
            visit.node.node_type().map(|t| t.name())
        );
    }
}

#[test]
fn a_walk_can_skip_what_is_below_a_node() {
    let doc = doc([
        p([text("a"), br()]),
        ul([li([p([text("b")]), p([text("c")])])]),
    ]);
    // The pointers visited when the children of every node of type `skipped` are skipped.
    let visited = |skipped: &str| {
        let mut walk = doc.walk();
        let mut visited = Vec::new();
        while let Some(visit) = walk.next() {
            if visit.node.node_type().map(|t| t.name()) == Some(skipped) {
                walk.skip_children();
            }
            visited.push(visit.pointer.to_string());
        }
        visited
    };
    assert_eq!(
        visited("paragraph"),
        [
            "",
            "/content/0",
            "/content/1",
            "/content/1/content/0",
            "/content/1/content/0/content/0",
            "/content/1/content/0/content/1",
        ]
    );
    assert_eq!(
        visited("ul"),
        [
            "",
            "/content/0",
            "/content/0/content/0",
            "/content/0/content/1",
            "/content/1"
        ]
    );
    assert_eq!(visited("doc"), [""]);
}

#[test]
fn pretty_json_indents_each_level_past_the_levels_kept_ready() {
    // Each quote is two levels of JSON (its object and its content): 100 quotes, each with a
    // text beside the next quote, go past the 64 levels of indentation and of text heads the
    // writer keeps ready.
    let mut block = p([text("bottom \"quoted\" [not a level]")]);
    for depth in 0..100 {
        block = blockquote([p([marked(format!("level {depth}"), [Mark::Em])]), block]);
    }
    let doc = doc_of(block);
    let pretty = json::to_string_pretty(&doc);
    assert_eq!(pretty, support::pretty(&json::to_string(&doc)));
    // doc, its content, 100 quotes and their contents, the paragraph, its content, the text.
    assert!(pretty.contains(&format!("\n{}\"text\": \"bottom", " ".repeat(2 * 205))));
}
