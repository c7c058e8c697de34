//! Strict reading reports every violation, each with its pointer, code, message and hint.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_core::{json, Diagnostic, ReadOptions, Severity};

fn errors(json: &str) -> Vec<Diagnostic> {
    match json::read_str(json, &ReadOptions::strict()) {
        Ok(read) => panic!("expected errors, read {:?}", read.doc),
        Err(error) => error.diagnostics,
    }
}

/// (pointer, code) of every diagnostic.
fn places(json: &str) -> Vec<(String, &'static str)> {
    errors(json)
        .into_iter()
        .map(|d| (d.pointer.unwrap_or_default(), d.code.as_str()))
        .collect()
}

fn doc(blocks: &str) -> String {
    format!(r#"{{"type":"doc","content":[{blocks}]}}"#)
}

#[test]
fn invalid_json_has_line_and_column() {
    let diagnostics = errors("{\"type\":\"doc\",\n  \"content\": [}");
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert_eq!(d.code, "invalid-json");
    let position = d.position.unwrap();
    assert_eq!((position.line, position.column), (2, 15));
    assert!(d.message.starts_with("invalid JSON: "), "{}", d.message);
}

#[test]
fn unknown_node_suggests_the_closest_name() {
    let json = doc(
        r#"{"type":"checklist","content":[{"type":"cheklist_item","attrs":{"checked":true},"content":[{"type":"paragraph"}]}]}"#,
    );
    let diagnostics = errors(&json);
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert_eq!(d.code, "unknown-node");
    assert_eq!(d.pointer.as_deref(), Some("/content/0/content/0"));
    assert_eq!(d.hint.as_deref(), Some("did you mean `checklist_item`?"));
    assert!(
        d.message
            .starts_with("found the node type `cheklist_item`, expected `checklist_item`"),
        "{}",
        d.message
    );
    assert_eq!(
        d.to_string(),
        "/content/0/content/0: found the node type `cheklist_item`, expected `checklist_item` [unknown-node] (hint: did you mean `checklist_item`?)"
    );
}

#[test]
fn unknown_mark_and_attribute_suggest_names() {
    let json = doc(
        r#"{"type":"paragraph","attrs":{"idd":"x"},"content":[{"type":"text","text":"a","marks":[{"type":"strongg"}]}]}"#,
    );
    let diagnostics = errors(&json);
    let summary: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            (
                d.pointer.as_deref().unwrap(),
                d.code.as_str(),
                d.hint.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "/content/0/attrs/idd",
                "unknown-attribute",
                Some("did you mean `id`?")
            ),
            (
                "/content/0/content/0/marks/0",
                "unknown-mark",
                Some("did you mean `strong`?")
            ),
        ]
    );
}

#[test]
fn every_violation_is_reported_not_only_the_first() {
    let json = doc(concat!(
        r#"{"type":"heading","attrs":{"level":4},"content":[{"type":"text","text":""}]},"#,
        r#"{"type":"banner","attrs":{"type":"danger"},"content":[{"type":"paragraph"}]},"#,
        r#"{"type":"text","text":"loose"},"#,
        r#"{"type":"li","content":[{"type":"paragraph"}]},"#,
        r#"{"type":"paragraph","marks":[{"type":"em"}]},"#,
        r#"{"type":"paragraph","content":[{"type":"text","text":"x","marks":[{"type":"em"},{"type":"em"}]}]},"#,
        r#"{"type":"table","content":[{"type":"table_cell","content":[]}]},"#,
        r#"{"type":"table","content":[{"type":"table_row","content":[{"type":"table_cell","attrs":{"colspan":0},"content":[]}]}]},"#,
        r#"{"type":"heading","content":[]},"#,
        r#"{"type":"heading","attrs":{"level":"2"}}"#
    ));
    assert_eq!(
        places(&json),
        [
            ("/content/0/attrs/level".to_owned(), "heading-level"),
            ("/content/0/content/0/text".to_owned(), "empty-text"),
            ("/content/1/attrs/type".to_owned(), "banner-type"),
            ("/content/2".to_owned(), "misplaced-node"),
            ("/content/3".to_owned(), "misplaced-node"),
            ("/content/4/marks".to_owned(), "marks-on-non-text"),
            ("/content/5/content/0/marks/1".to_owned(), "duplicate-mark"),
            ("/content/6/content/0".to_owned(), "misplaced-node"),
            (
                "/content/7/content/0/content/0/attrs/colspan".to_owned(),
                "invalid-span"
            ),
            ("/content/8".to_owned(), "missing-attribute"),
            ("/content/9/attrs/level".to_owned(), "wrong-type"),
        ]
    );
}

#[test]
fn messages_say_what_was_found_and_what_was_expected() {
    let diagnostics = errors(&doc(r#"{"type":"heading","attrs":{"level":7}}"#));
    assert_eq!(
        diagnostics[0].message,
        "found the number 7, expected a heading level from 1 to 3"
    );
    assert!(diagnostics[0].hint.is_some());
    let diagnostics = errors(&doc(
        r#"{"type":"banner","attrs":{"type":"warn"},"content":[{"type":"paragraph"}]}"#,
    ));
    assert_eq!(
        diagnostics[0].message,
        "found the string \"warn\", expected one of `info`, `warning`, `success`, `critical`"
    );
    assert_eq!(
        diagnostics[0].hint.as_deref(),
        Some("did you mean `warning`?")
    );
    let diagnostics = errors(&doc(r#"{"type":"text","text":"x"}"#));
    assert!(
        diagnostics[0]
            .message
            .starts_with("found `text` inside `doc`, expected a block node (paragraph, heading"),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn structure_rules_are_enforced() {
    // A list item must start with a paragraph; lists need items; columns hold 2 to 5.
    let json = doc(concat!(
        r#"{"type":"ul","content":[{"type":"li","content":[{"type":"ul","content":[{"type":"li","content":[{"type":"paragraph"}]}]}]}]},"#,
        r#"{"type":"ol","content":[]},"#,
        r#"{"type":"columns","content":[{"type":"column","content":[{"type":"paragraph"}]}]},"#,
        r#"{"type":"codeblock","content":[{"type":"text","text":"a","marks":[{"type":"code"}]}]},"#,
        r#"{"type":"divider","content":[]},"#,
        r#"{"type":"paragraph","content":[{"type":"mention","attrs":{"id":"1","type":"","label":"A"}}]},"#,
        r#"42"#
    ));
    assert_eq!(
        places(&json),
        [
            (
                "/content/0/content/0/content/0".to_owned(),
                "misplaced-node"
            ),
            ("/content/1".to_owned(), "child-count"),
            ("/content/2".to_owned(), "child-count"),
            ("/content/3/content/0/marks".to_owned(), "invalid-value"),
            ("/content/4/content".to_owned(), "unknown-field"),
            (
                "/content/5/content/0/attrs/type".to_owned(),
                "invalid-value"
            ),
            ("/content/6".to_owned(), "not-an-object"),
        ]
    );
}

#[test]
fn wrong_json_types_and_unknown_fields() {
    let json = doc(concat!(
        r#"{"type":"paragraph","content":"text"},"#,
        r#"{"type":"paragraph","attrs":[]},"#,
        r#"{"type":"paragraph","content":[{"type":"text","text":5}]},"#,
        r#"{"type":"paragraph","contents":[]},"#,
        r#"{"content":[]},"#,
        r#"{"type":null},"#,
        r#"{"type":"paragraph","type":"heading"}"#
    ));
    assert_eq!(
        places(&json),
        [
            ("/content/0/content".to_owned(), "wrong-type"),
            ("/content/1/attrs".to_owned(), "wrong-type"),
            ("/content/2/content/0/text".to_owned(), "wrong-type"),
            ("/content/3/contents".to_owned(), "unknown-field"),
            ("/content/4".to_owned(), "missing-type"),
            ("/content/5/type".to_owned(), "missing-type"),
            ("/content/6".to_owned(), "duplicate-key"),
            // The last `type` wins, as in serde_json, and a heading needs a level.
            ("/content/6".to_owned(), "missing-attribute"),
        ]
    );
    let unknown_field = errors(&doc(r#"{"type":"paragraph","contents":[]}"#));
    assert_eq!(
        unknown_field[0].hint.as_deref(),
        Some("did you mean `content`?")
    );
}

#[test]
fn nesting_deeper_than_the_limit_is_an_error_with_a_pointer() {
    let mut json = String::from(r#"{"type":"paragraph"}"#);
    for _ in 0..5 {
        json = format!(r#"{{"type":"blockquote","content":[{json}]}}"#);
    }
    let options = ReadOptions {
        max_depth: 3,
        ..ReadOptions::strict()
    };
    let error = json::read_str(&doc(&json), &options).unwrap_err();
    assert_eq!(error.diagnostics.len(), 1);
    assert_eq!(error.diagnostics[0].code, "nesting-too-deep");
    assert_eq!(
        error.diagnostics[0].pointer.as_deref(),
        Some("/content/0/content/0/content/0/content/0")
    );
    assert!(json::read_str(
        &doc(&json),
        &ReadOptions {
            max_depth: 6,
            ..ReadOptions::strict()
        }
    )
    .is_ok());
}

#[test]
fn legacy_inline_blockquote_is_read_with_a_warning() {
    let json = doc(r#"{"type":"blockquote","content":[{"type":"text","text":"Hello world"}]}"#);
    let read = json::read_str(&json, &ReadOptions::strict()).unwrap();
    assert_eq!(read.diagnostics.len(), 1);
    assert_eq!(read.diagnostics[0].code, "legacy-form");
    assert_eq!(read.diagnostics[0].severity, Severity::Warning);
    assert_eq!(
        prodoc_core::json::to_string(&read.doc),
        doc(
            r#"{"type":"blockquote","content":[{"type":"paragraph","content":[{"type":"text","text":"Hello world"}]}]}"#
        )
    );
}

#[test]
fn not_a_document() {
    for (json, code) in [
        (r#"{"type":"paragraph"}"#, "not-a-document"),
        ("[1,2]", "not-a-document"),
        (r#"{"data":{"attributes":{"title":"x"}}}"#, "not-a-document"),
        (r#"{"data":{"attributes":{"body":7}}}"#, "wrong-type"),
        ("", "invalid-json"),
        (r#""not json""#, "invalid-json"),
    ] {
        let diagnostics = errors(json);
        assert_eq!(diagnostics[0].code, code, "{json}");
    }
}

#[test]
fn lenient_reading_reports_the_same_problems_as_warnings() {
    let json =
        doc(r#"{"type":"heading","attrs":{"level":4}},{"type":"paragraph","attrs":{"idd":"x"}}"#);
    let strict = errors(&json);
    let lenient = json::read_str(&json, &ReadOptions::lenient()).unwrap();
    assert_eq!(lenient.diagnostics.len(), strict.len());
    assert!(lenient
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Warning));
    let written: serde_json::Value =
        serde_json::from_str(&prodoc_core::json::to_string(&lenient.doc)).unwrap();
    let input: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(written, input);
}

/// The top-level `content` is typed item by item as it is read, before the `doc`'s own keys
/// after it are known; what is reported, and in what order, must not depend on the key order.
#[test]
fn the_top_level_content_is_reported_after_the_doc_in_any_key_order() {
    let blocks = r#"[{"type":"paragraf"},{"type":"paragraph","attrs":{"idd":"x"}}]"#;
    let expected = [
        ("/extra".to_owned(), "unknown-field"),
        ("/content/0".to_owned(), "unknown-node"),
        ("/content/1/attrs/idd".to_owned(), "unknown-attribute"),
    ];
    for json in [
        format!(r#"{{"type":"doc","extra":1,"content":{blocks}}}"#),
        format!(r#"{{"content":{blocks},"extra":1,"type":"doc"}}"#),
        format!(r#"{{"extra":1,"content":{blocks},"type":"doc"}}"#),
    ] {
        assert_eq!(places(&json), expected, "{json}");
    }
}

#[test]
fn a_repeated_top_level_content_keeps_the_last_and_reports_only_it() {
    let json = r#"{"type":"doc","content":[{"type":"paragraf"}],"content":[{"type":"paragraph","attrs":{"idd":"x"}}]}"#;
    assert_eq!(
        places(json),
        [
            ("".to_owned(), "duplicate-key"),
            ("/content/0/attrs/idd".to_owned(), "unknown-attribute"),
        ]
    );
    let read = json::read_str(json, &ReadOptions::lenient()).unwrap();
    let written: serde_json::Value = serde_json::from_str(&json::to_string(&read.doc)).unwrap();
    assert_eq!(
        written,
        serde_json::json!({"type":"doc","content":[{"type":"paragraph","attrs":{"idd":"x"}}]})
    );
    // A non-array `content` after an array one, and the other way round: the last still wins.
    assert_eq!(
        places(r#"{"type":"doc","content":[{"type":"paragraf"}],"content":"x"}"#),
        [
            ("".to_owned(), "duplicate-key"),
            ("/content".to_owned(), "wrong-type"),
        ]
    );
    assert_eq!(
        places(r#"{"type":"doc","content":"x","content":[{"type":"paragraf"}]}"#),
        [
            ("".to_owned(), "duplicate-key"),
            ("/content/0".to_owned(), "unknown-node"),
        ]
    );
}

#[test]
fn a_top_level_node_other_than_doc_is_not_a_document_whatever_its_content() {
    let json = r#"{"content":[{"type":"paragraf"}],"type":"blockquote"}"#;
    assert_eq!(places(json), [("".to_owned(), "not-a-document")]);
    let json = r#"{"content":[{"type":"text","text":"x"}],"data":{"attributes":{"body":7}}}"#;
    assert_eq!(
        places(json),
        [("/data/attributes/body".to_owned(), "wrong-type")]
    );
}
