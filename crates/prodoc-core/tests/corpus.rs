//! The 21 real page bodies: lenient reading keeps every one exactly; the strict verdicts are pinned.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use prodoc_core::{json, InputShape, ReadOptions};
use serde_json::Value;

mod support;

fn corpus() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/productive-real");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_real_body_reads_leniently_and_writes_back_the_same_json() {
    let files = corpus();
    assert_eq!(files.len(), 21);
    for (name, text) in files {
        let read = json::read_str(&text, &ReadOptions::lenient()).unwrap();
        let input: Value = serde_json::from_str(&text).unwrap();
        // Pretty JSON is the compact JSON in serde_json's pretty form; the compact writer's
        // literal paths are held to its general path in the writer's own tests.
        assert_eq!(
            json::to_string_pretty(&read.doc),
            support::pretty(&json::to_string(&read.doc)),
            "{name}"
        );
        for written in [
            json::to_string(&read.doc),
            json::to_string_pretty(&read.doc),
        ] {
            let output: Value = serde_json::from_str(&written).unwrap();
            assert_eq!(output, input, "{name}");
        }
    }
}

/// The strict verdict on each file. All 21 are valid: every node, mark and attribute they hold is
/// part of the model (block ids, `ol.order`, cell `background`/`colwidth`, the `styles` and
/// `discussion` marks, mention text children). A change here is a change to what prodoc accepts.
const STRICT_VERDICTS: &[(&str, bool)] = &[
    ("page-11.json", true),
    ("page-1204.json", true),
    ("page-1205.json", true),
    ("page-1299.json", true),
    ("page-14029.json", true),
    ("page-14229.json", true),
    ("page-14233.json", true),
    ("page-207.json", true),
    ("page-386.json", true),
    ("page-40066.json", true),
    ("page-40067.json", true),
    ("page-51093.json", true),
    ("page-51094.json", true),
    ("page-53055.json", true),
    ("page-53488.json", true),
    ("page-53490.json", true),
    ("page-53527.json", true),
    ("page-53654.json", true),
    ("page-53771.json", true),
    ("page-53836.json", true),
    ("page-591848.json", true),
];

#[test]
fn strict_verdicts_are_pinned() {
    let files = corpus();
    assert_eq!(files.len(), STRICT_VERDICTS.len());
    for (name, text) in files {
        let expected = STRICT_VERDICTS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v);
        let result = json::read_str(&text, &ReadOptions::strict());
        assert_eq!(Some(result.is_ok()), expected, "{name}: {:?}", result.err());
        if let Ok(read) = result {
            // Strict and lenient agree on valid input, and nothing was normalised.
            assert!(
                read.diagnostics.is_empty(),
                "{name}: {:?}",
                read.diagnostics
            );
            let lenient = json::read_str(&text, &ReadOptions::lenient()).unwrap();
            assert_eq!(lenient.doc, read.doc, "{name}");
            assert!(prodoc_core::validate(&read.doc).is_empty(), "{name}");
        }
    }
}

#[test]
fn the_three_input_shapes_read_to_the_same_document() {
    for (name, text) in corpus() {
        let bare = json::read_str(&text, &ReadOptions::strict()).unwrap();
        assert_eq!(bare.shape, InputShape::Document);
        let body = serde_json::to_string(&text).unwrap();
        let from_body = json::read_str(&body, &ReadOptions::strict()).unwrap();
        assert_eq!(from_body.shape, InputShape::BodyString, "{name}");
        assert_eq!(from_body.doc, bare.doc, "{name}");
        let resource = serde_json::json!({
            "data": { "id": "1", "type": "pages", "attributes": { "title": "T", "body": text } }
        })
        .to_string();
        let from_resource = json::read_str(&resource, &ReadOptions::strict()).unwrap();
        assert_eq!(from_resource.shape, InputShape::PageResource, "{name}");
        assert_eq!(from_resource.doc, bare.doc, "{name}");
        // The API's string form reads back to the same document.
        let string_form = json::to_body_string(&bare.doc);
        assert_eq!(
            json::read_str(&string_form, &ReadOptions::strict())
                .unwrap()
                .doc,
            bare.doc
        );
    }
}

#[test]
fn recorded_api_response_body_reads() {
    // A page resource as `GET /pages/{id}` returns it, body and all.
    let response = r#"{"data":{"id":"53654","type":"pages","attributes":{"title":"Table","body":"{\"type\":\"doc\",\"content\":[{\"type\":\"paragraph\",\"attrs\":{\"id\":\"abc\"}}]}","parent_page_id":null}}}"#;
    let read = json::read_str(response, &ReadOptions::strict()).unwrap();
    assert_eq!(read.shape, InputShape::PageResource);
    assert_eq!(
        json::to_string(&read.doc),
        r#"{"type":"doc","content":[{"type":"paragraph","attrs":{"id":"abc"}}]}"#
    );
}

#[test]
fn lenient_reading_keeps_unknown_nodes_marks_and_attributes() {
    let text = r#"{"type":"doc","content":[
        {"type":"callout","attrs":{"icon":"🔥"},"content":[{"type":"paragraph"}]},
        {"type":"paragraph","attrs":{"id":"a","lineHeight":1.5},"weird":[1,{"x":null}],"content":[
            {"type":"text","text":"t","marks":[{"type":"highlight","attrs":{"color":"y"}},{"type":"link","attrs":{"href":"h","target":"_blank"}}]},
            {"type":"emoji","attrs":{"name":"smile"}},
            {"type":"heading","attrs":{"level":9}}
        ]},
        {"type":"ul","content":[{"type":"cheklist_item","content":[]},{"type":"li","content":[{"type":"paragraph"}]}]},
        {"type":"heading","attrs":{"level":4},"content":[{"type":"text","text":"deep"}]},
        {"type":"table","content":[{"type":"table_row","content":[{"type":"table_cell","attrs":{"colspan":1,"rowspan":1},"content":[{"type":"paragraph"}]}]}]},
        {"type":"codeblock","attrs":{"language":null},"content":[{"type":"text","text":"x","marks":[{"type":"em"}]}]},
        {"type":"paragraph","content":[{"type":"text","text":"a","marks":[{"type":"em","attrs":{}}]}]},
        7
    ]}"#;
    let read = json::read_str(text, &ReadOptions::lenient()).unwrap();
    assert!(!read.diagnostics.is_empty());
    let output: Value = serde_json::from_str(&json::to_string(&read.doc)).unwrap();
    let input: Value = serde_json::from_str(text).unwrap();
    assert_eq!(output, input);
    assert!(json::read_str(text, &ReadOptions::strict()).is_err());
}

/// A text node's spelling (`"marks":[]`, `"attrs":{}`) comes back as written, beside unknown
/// fields or alone, and never makes two documents unequal.
#[test]
fn text_spelling_is_kept_and_does_not_count_for_equality() {
    let spelt = r#"{"type":"doc","content":[{"type":"paragraph","content":[
        {"type":"text","marks":[],"text":"a"},
        {"type":"text","attrs":{},"text":"b","marks":[{"type":"em"}]},
        {"type":"text","attrs":{},"marks":[],"text":"c","zz":1}
    ]}]}"#;
    let plain = r#"{"type":"doc","content":[{"type":"paragraph","content":[
        {"type":"text","text":"a"},
        {"type":"text","text":"b","marks":[{"type":"em"}]},
        {"type":"text","text":"c","zz":1}
    ]}]}"#;
    let spelt_doc = json::read_str(spelt, &ReadOptions::lenient()).unwrap().doc;
    let plain_doc = json::read_str(plain, &ReadOptions::lenient()).unwrap().doc;
    let output: Value = serde_json::from_str(&json::to_string(&spelt_doc)).unwrap();
    assert_eq!(output, serde_json::from_str::<Value>(spelt).unwrap());
    let output: Value = serde_json::from_str(&json::to_string(&plain_doc)).unwrap();
    assert_eq!(output, serde_json::from_str::<Value>(plain).unwrap());
    assert_eq!(spelt_doc, plain_doc);
}

/// Marks are read into named slots, not maps: every shape a mark can take still comes back as
/// written from lenient reading, and strict reading names each one's fault where it is.
#[test]
fn every_shape_of_mark_is_kept_leniently_and_reported_strictly() {
    let marks = [
        r#""em""#,
        r#"{"type":5}"#,
        r#"{"attrs":{"href":"h"}}"#,
        r#"{"type":"strongg","x":1}"#,
        r#"{"type":"em","attrs":{"x":1}}"#,
        r#"{"type":"code","extra":[true]}"#,
        r#"{"type":"link","attrs":{"href":"h","title":null},"rel":"x"}"#,
        r#"{"type":"link","attrs":"h"}"#,
        r#"{"type":"em","type":"strike"}"#,
    ];
    let content: Vec<String> = marks
        .iter()
        .map(|mark| format!(r#"{{"type":"text","text":"t","marks":[{mark}]}}"#))
        .chain([r#"{"type":"text","text":"t","marks":{"type":"em"}}"#.to_owned()])
        .collect();
    let text = format!(
        r#"{{"type":"doc","content":[{{"type":"paragraph","content":[{}]}}]}}"#,
        content.join(",")
    );
    let read = json::read_str(&text, &ReadOptions::lenient()).unwrap();
    let output: Value = serde_json::from_str(&json::to_string(&read.doc)).unwrap();
    let input: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(output, input);

    let errors = json::read_str(&text, &ReadOptions::strict()).unwrap_err();
    let found: Vec<(&str, &str)> = errors
        .diagnostics
        .iter()
        .map(|d| (d.pointer.as_deref().unwrap_or(""), d.code.as_str()))
        .collect();
    let at = |index: usize, rest: &str| format!("/content/0/content/{index}/marks/0{rest}");
    let expected = [
        (at(0, ""), "not-an-object"),
        (at(1, "/type"), "missing-type"),
        (at(2, ""), "missing-type"),
        (at(3, ""), "unknown-mark"),
        (at(4, "/attrs/x"), "unknown-attribute"),
        (at(5, "/extra"), "unknown-field"),
        (at(6, "/rel"), "unknown-field"),
        (at(7, "/attrs"), "wrong-type"),
        ("/content/0/content/9/marks".to_owned(), "wrong-type"),
    ];
    let expected: Vec<(&str, &str)> = expected.iter().map(|(p, c)| (p.as_str(), *c)).collect();
    assert_eq!(found, expected);
}

/// `attrs` are read into a short sorted list, not a map: a key given twice keeps its last value,
/// unknown attributes are reported in key order, and lenient reading writes every one back.
#[test]
fn attrs_keep_the_meaning_of_a_json_object() {
    let text = r#"{"type":"doc","content":[
        {"type":"heading","attrs":{"level":9,"zeta":1,"level":2,"a\u0062c":true,"an-attribute-name-longer-than-24-bytes":[1]},"content":[{"type":"text","text":"h"}]},
        {"type":"paragraph","content":[{"type":"text","text":"t","marks":[{"type":"link","attrs":{"title":"x","href":"h","href":"i"}}]}]},
        {"type":"paragraph","attrs":[1]},
        {"type":"paragraph","attrs":{}}
    ]}"#;
    let read = json::read_str(text, &ReadOptions::lenient()).unwrap();
    let output: Value = serde_json::from_str(&json::to_string(&read.doc)).unwrap();
    let input: Value = serde_json::from_str(text).unwrap();
    assert_eq!(output, input);
    let Some(prodoc_core::Block::Heading(heading)) = read.doc.content.first() else {
        panic!("not a heading: {:?}", read.doc.content.first());
    };
    assert_eq!(heading.level.get(), 2);

    let errors = json::read_str(text, &ReadOptions::strict()).unwrap_err();
    let found: Vec<(&str, &str)> = errors
        .diagnostics
        .iter()
        .map(|d| (d.pointer.as_deref().unwrap_or(""), d.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("/content/0/attrs/abc", "unknown-attribute"),
            (
                "/content/0/attrs/an-attribute-name-longer-than-24-bytes",
                "unknown-attribute"
            ),
            ("/content/0/attrs/zeta", "unknown-attribute"),
            ("/content/2/attrs", "wrong-type"),
        ]
    );
}
