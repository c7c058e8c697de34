//! Generated documents are strictly valid and survive writing and strict reading unchanged.
#![allow(clippy::unwrap_used)]

use prodoc_core::arbitrary::{self, DocConfig};
use prodoc_core::{json, validate, ReadOptions};
use proptest::prelude::*;

mod support;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn generated_documents_are_valid_and_round_trip(doc in arbitrary::doc(DocConfig::default())) {
        let diagnostics = validate(&doc);
        prop_assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let compact = json::to_string(&doc);
        let back = json::from_str(&compact);
        prop_assert_eq!(back.as_ref(), Ok(&doc));
        let pretty = json::to_string_pretty(&doc);
        prop_assert_eq!(&pretty, &support::pretty(&compact));
        let from_pretty = json::from_str(&pretty);
        prop_assert_eq!(from_pretty.as_ref(), Ok(&doc));
        let body = json::to_body_string(&doc);
        let read = json::read_str(&body, &ReadOptions::strict()).map(|r| (r.shape, r.doc));
        prop_assert_eq!(read, Ok((prodoc_core::InputShape::BodyString, doc)));
    }
}

/// The document's JSON written by a [`json::JsonWriter`]: its blocks handed over in runs of
/// `run` (the last of them with the document at the end), as a reader that streams hands them.
fn streamed(doc: &prodoc_core::Doc, style: json::Style, run: usize) -> String {
    let mut out = Vec::new();
    let mut writer = json::JsonWriter::new(style, &mut out);
    let mut blocks = doc.content.clone();
    let rest = blocks.split_off(blocks.len() - blocks.len() % run.max(1));
    for part in blocks.chunks(run.max(1)) {
        writer.blocks(part);
    }
    let mut last = prodoc_core::Doc::new(rest);
    last.extra = doc.extra.clone();
    last.spelling = doc.spelling;
    writer.finish(&last).unwrap();
    String::from_utf8(out).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn blocks_written_as_they_come_give_the_whole_document_s_json(
        doc in arbitrary::doc(DocConfig::default()),
        run in 1usize..4,
    ) {
        prop_assert_eq!(streamed(&doc, json::Style::Compact, run), json::to_string(&doc));
        prop_assert_eq!(streamed(&doc, json::Style::Pretty, run), json::to_string_pretty(&doc));
        prop_assert_eq!(streamed(&doc, json::Style::Body, run), json::to_body_string(&doc));
    }
}

#[test]
fn a_writer_given_no_blocks_writes_the_whole_document_at_the_end() {
    let mut out = Vec::new();
    let writer = json::JsonWriter::new(json::Style::Body, &mut out);
    writer.finish(&prodoc_core::Doc::default()).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        json::to_body_string(&prodoc_core::Doc::default())
    );
}

#[test]
fn the_reference_pretty_printer_prints_as_serde_json() {
    // Keys in serde_json's own (sorted) order, so that its printer can be compared: nesting,
    // empty containers, and brackets, commas, colons and escapes inside strings.
    let compact = r#"{"a":[],"b":{},"c":[[],[{}],{"d":"x,y:z[{]}\\"}],"e":"q\"u\\\"o{te","f":[1,-2500.0,true,null],"g":{"h":{"i":"é \u0001"}}}"#;
    let value: serde_json::Value = serde_json::from_str(compact).unwrap();
    assert_eq!(serde_json::to_string(&value).unwrap(), compact);
    assert_eq!(
        support::pretty(compact),
        serde_json::to_string_pretty(&value).unwrap()
    );
}
