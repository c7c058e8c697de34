//! The API's conversions, natively: the same code the WebAssembly build runs, minus the
//! `JSON.parse` of each result.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use prodoc_wasm::convert::*;
use serde_json::{json, Value};

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("results are JSON")
}

const DOC: &str = r#"{"type":"doc","content":[{"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Plan"}]},{"type":"paragraph","content":[{"type":"text","text":"ship","marks":[{"type":"strong"}]},{"type":"text","text":" it"}]}]}"#;

#[test]
fn markdown_reads_with_positions_and_metadata() {
    let out = parse(&markdown_to_doc(
        "---\ntitle: Notes\n---\n# Hi\n\n#### deep\n",
        &MarkdownReadOptions::default(),
    ));
    assert_eq!(out["metadata"], json!({"title": "Notes"}));
    assert_eq!(out["doc"]["content"][1]["attrs"]["level"], 3);
    assert_eq!(
        out["diagnostics"],
        json!([{"severity": "warning", "code": "heading-level",
                "message": "found a level 4 heading, expected 1–3; read as level 3",
                "line": 6, "column": 1}])
    );
}

#[test]
fn markdown_options_change_the_reading() {
    let bold = MarkdownReadOptions {
        deep_headings: DeepHeadings::BoldParagraph,
        ..MarkdownReadOptions::default()
    };
    let out = parse(&markdown_to_doc("#### deep\n", &bold));
    assert_eq!(out["doc"]["content"][0]["type"], "paragraph");
    let plain = MarkdownReadOptions {
        gfm: false,
        ..MarkdownReadOptions::default()
    };
    let out = parse(&markdown_to_doc("~~x~~\n", &plain));
    assert_eq!(out["doc"]["content"][0]["content"][0]["text"], "~~x~~");
}

#[test]
fn options_come_from_camel_case_json_and_reject_unknown_fields() {
    let o: MarkdownReadOptions =
        serde_json::from_value(json!({"frontMatter": false, "deepHeadings": "bold-paragraph"}))
            .unwrap();
    assert!(!o.front_matter && o.gfm && o.deep_headings == DeepHeadings::BoldParagraph);
    assert!(serde_json::from_value::<MarkdownReadOptions>(json!({"front_matter": false})).is_err());
    let o: HtmlWriteOptions = serde_json::from_value(json!({"dialect": "plain"})).unwrap();
    assert_eq!(o.dialect, HtmlDialect::Plain);
    assert!(serde_json::from_value::<HtmlWriteOptions>(json!({"dialect": "word"})).is_err());
    let o: MarkdownWriteOptions = serde_json::from_value(json!({"bullet": "*"})).unwrap();
    assert_eq!(o.bullet, Some(Bullet::Star));
    let o: TextWriteOptions =
        serde_json::from_value(json!({"wrap": 20, "headingStyle": "prefixed"})).unwrap();
    assert_eq!(
        (o.wrap, o.heading_style),
        (Some(20), HeadingStyle::Prefixed)
    );
    let o: ValidateOptions = serde_json::from_value(json!({"mode": "lenient"})).unwrap();
    assert_eq!(o.mode, ValidateMode::Lenient);
}

#[test]
fn writers_give_text_and_round_trip() {
    let md = parse(&doc_to_markdown(DOC, &MarkdownWriteOptions::default()).unwrap());
    assert_eq!(
        md,
        json!({"text": "## Plan\n\n**ship** it\n", "diagnostics": []})
    );
    let back = parse(&markdown_to_doc(
        md["text"].as_str().unwrap(),
        &MarkdownReadOptions::default(),
    ));
    assert_eq!(back["doc"], parse(DOC));

    let html = parse(&doc_to_html(DOC, &HtmlWriteOptions::default()).unwrap());
    assert_eq!(html["text"], "<h2>Plan</h2><p><strong>ship</strong> it</p>");
    let back = parse(&html_to_doc(
        html["text"].as_str().unwrap(),
        &HtmlReadOptions::default(),
    ));
    assert_eq!(back["doc"], parse(DOC));

    let text = parse(&doc_to_text(DOC, &TextWriteOptions::default()).unwrap());
    assert_eq!(text["text"], "Plan\n----\n\nship it\n");
}

#[test]
fn writer_options_apply() {
    let doc = r#"{"type":"doc","content":[{"type":"ul","content":[{"type":"li","content":[{"type":"paragraph","content":[{"type":"text","text":"a"}]}]}]}]}"#;
    let star = MarkdownWriteOptions {
        bullet: Some(Bullet::Plus),
        ..MarkdownWriteOptions::default()
    };
    assert_eq!(
        parse(&doc_to_markdown(doc, &star).unwrap())["text"],
        "+ a\n"
    );
    let prefixed = TextWriteOptions {
        heading_style: HeadingStyle::Prefixed,
        ..TextWriteOptions::default()
    };
    assert_eq!(
        parse(&doc_to_text(DOC, &prefixed).unwrap())["text"],
        "## Plan\n\nship it\n"
    );
    let wrapped = TextWriteOptions {
        wrap: Some(4),
        ..TextWriteOptions::default()
    };
    let text = parse(&doc_to_text(DOC, &wrapped).unwrap());
    assert!(text["text"].as_str().unwrap().lines().count() > 4, "{text}");
}

#[test]
fn plain_html_reports_what_it_cannot_show() {
    let doc = r#"{"type":"doc","content":[{"type":"paragraph","attrs":{"textAlign":"center"},"content":[{"type":"text","text":"x"}]}]}"#;
    let plain = HtmlWriteOptions {
        dialect: HtmlDialect::Plain,
        ..HtmlWriteOptions::default()
    };
    let out = parse(&doc_to_html(doc, &plain).unwrap());
    assert_eq!(out["text"], "<p>x</p>");
    assert_eq!(out["diagnostics"][0]["pointer"], "/content/0");
    let productive = parse(&doc_to_html(doc, &HtmlWriteOptions::default()).unwrap());
    assert_eq!(productive["diagnostics"], json!([]));
}

#[test]
fn an_unreadable_document_fails_with_diagnostics() {
    let bad = r#"{"type":"doc","content":[{"type":"paragraf"}]}"#;
    let failure = doc_to_markdown(bad, &MarkdownWriteOptions::default()).unwrap_err();
    assert_eq!(failure.diagnostics[0].code, "unknown-node");
    assert_eq!(
        failure.diagnostics[0].pointer.as_deref(),
        Some("/content/0")
    );
    assert!(failure.message.contains("paragraf"), "{}", failure.message);
    let listed = parse(&failure.diagnostics_json());
    assert_eq!(listed[0]["severity"], "error");
    assert!(doc_to_html("not json", &HtmlWriteOptions::default()).is_err());
    assert!(doc_to_text("[]", &TextWriteOptions::default()).is_err());
}

#[test]
fn lenient_reading_keeps_raw_nodes_and_reports_them() {
    let odd = r#"{"type":"doc","content":[{"type":"widget","attrs":{"x":1}},{"type":"paragraph","content":[{"type":"text","text":"kept"}]}]}"#;
    let lenient = TextWriteOptions {
        lenient: true,
        ..TextWriteOptions::default()
    };
    let out = parse(&doc_to_text(odd, &lenient).unwrap());
    assert_eq!(out["text"], "kept\n");
    let codes: Vec<&str> = out["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"unknown-node"), "{codes:?}");
    assert!(codes.contains(&"raw-node"), "{codes:?}");
}

#[test]
fn wrap_zero_is_an_invalid_option() {
    let zero = TextWriteOptions {
        wrap: Some(0),
        ..TextWriteOptions::default()
    };
    let failure = doc_to_text(DOC, &zero).unwrap_err();
    assert_eq!(failure.diagnostics[0].code, "invalid-option");
    assert_eq!(failure.diagnostics[0].pointer, None);
}

#[test]
fn text_reads_lines_and_lists() {
    let out = parse(&text_to_doc("a\nb\n\nc", &TextReadOptions::default()));
    assert_eq!(out["doc"]["content"].as_array().unwrap().len(), 2);
    let lists = TextReadOptions { lists: true };
    let out = parse(&text_to_doc("- a\n- b\n", &lists));
    assert_eq!(out["doc"]["content"][0]["type"], "ul");
    assert_eq!(out["metadata"], json!({}));
}

#[test]
fn validate_strict_and_lenient() {
    let ok = parse(&validate(DOC, &ValidateOptions::default()));
    assert_eq!(
        ok,
        json!({"valid": true, "shape": "document", "diagnostics": []})
    );
    let body = serde_json::to_string(DOC).unwrap();
    assert_eq!(
        parse(&validate(&body, &ValidateOptions::default()))["shape"],
        "body-string"
    );
    let odd = r#"{"type":"doc","content":[{"type":"widget"}]}"#;
    let strict = parse(&validate(odd, &ValidateOptions::default()));
    assert_eq!(strict["valid"], false);
    assert_eq!(strict["shape"], Value::Null);
    assert_eq!(strict["diagnostics"][0]["severity"], "error");
    assert_eq!(strict["diagnostics"][0]["pointer"], "/content/0");
    let lenient = parse(&validate(
        odd,
        &ValidateOptions {
            mode: ValidateMode::Lenient,
        },
    ));
    assert_eq!(lenient["valid"], true);
    assert_eq!(lenient["diagnostics"][0]["severity"], "warning");
    assert_eq!(
        parse(&validate("{", &ValidateOptions::default()))["valid"],
        false
    );
}

#[test]
fn schema_is_the_core_schema() {
    let schema = parse(&schema());
    assert_eq!(schema, prodoc::schema::generate());
    assert!(schema["$schema"].as_str().unwrap().contains("2020-12"));
}

#[test]
fn json_variants_give_the_same_document_as_text() {
    let markdown = "---\ntitle: Notes\n---\n# Plan\n\n**ship** it\n\n#### deep\n";
    let options = MarkdownReadOptions::default();
    let whole = parse(&markdown_to_doc(markdown, &options));
    let parts = markdown_to_json(markdown, &options);
    assert_eq!(parse(&parts.doc), whole["doc"]);
    let rest = parse(&parts.rest);
    assert_eq!(rest["diagnostics"], whole["diagnostics"]);
    assert_eq!(rest["metadata"]["title"], "Notes");
    assert!(!rest["diagnostics"].as_array().unwrap().is_empty());

    let html = "<title>T</title><p>a<script>x</script></p>";
    let whole = parse(&html_to_doc(html, &HtmlReadOptions::default()));
    let parts = html_to_json(html, &HtmlReadOptions::default());
    assert_eq!(parse(&parts.doc), whole["doc"]);
    assert_eq!(parse(&parts.rest)["diagnostics"], whole["diagnostics"]);

    let text = "one\n\ntwo";
    let whole = parse(&text_to_doc(text, &TextReadOptions::default()));
    let parts = text_to_json(text, &TextReadOptions::default());
    assert_eq!(parse(&parts.doc), whole["doc"]);
    assert_eq!(
        parts.conversion_json(),
        text_to_doc(text, &TextReadOptions::default())
    );
}
