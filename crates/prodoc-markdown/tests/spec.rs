//! Conformance: every CommonMark 0.31.2 example and every GFM extension example reads without
//! panic into a strictly valid document, and reading is idempotent through the writer
//! (read → write → read gives the same document). Exceptions are listed, with reasons, in
//! `tests/spec/known-differences.txt`; the test fails when a listed example passes or an
//! unlisted one fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use prodoc_markdown::{read, write, ReadOptions, WriteOptions};
use serde_json::Value;

fn examples() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/spec");
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/spec.json")).unwrap())
            .unwrap();
    let gfm: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/gfm.json")).unwrap()).unwrap();
    let mut out = Vec::new();
    for example in spec.as_array().unwrap() {
        out.push((
            format!("spec-{}", example["example"]),
            example["markdown"].as_str().unwrap().to_owned(),
        ));
    }
    for example in gfm.as_array().unwrap() {
        out.push((
            example["name"].as_str().unwrap().to_owned(),
            example["markdown"].as_str().unwrap().to_owned(),
        ));
    }
    out
}

fn known() -> BTreeMap<String, String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/spec/known-differences.txt"
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (name, reason) = line.split_once(' ').unwrap_or((line, ""));
            assert!(!reason.trim().is_empty(), "{name} has no reason");
            (name.to_owned(), reason.trim().to_owned())
        })
        .collect()
}

/// Why an example fails, or `None` when it passes.
fn check(markdown: &str) -> Option<String> {
    let options = ReadOptions::default();
    let first = read(markdown, &options);
    let invalid = prodoc_core::validate(&first.doc);
    if !invalid.is_empty() {
        return Some(format!("invalid document: {invalid:?}"));
    }
    let written = write(&first.doc, &WriteOptions::default()).text;
    let second = read(&written, &options);
    if second.doc != first.doc {
        return Some(format!(
            "not idempotent\n  first  {}\n  second {}\n  written {written:?}",
            prodoc_core::json::to_string(&first.doc),
            prodoc_core::json::to_string(&second.doc)
        ));
    }
    None
}

#[test]
fn spec_examples_read_valid_and_idempotent() {
    let known = known();
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut seen = 0;
    for (name, markdown) in examples() {
        seen += 1;
        match (check(&markdown), known.contains_key(&name)) {
            (Some(why), false) => unexpected.push(format!("{name}: {markdown:?}\n  {why}")),
            (None, true) => fixed.push(name),
            _ => {}
        }
    }
    assert_eq!(seen, 652 + 14, "the vendored examples changed");
    assert!(
        unexpected.is_empty() && fixed.is_empty(),
        "failing but not listed:\n{}\n\nlisted but passing (remove them): {fixed:?}",
        unexpected.join("\n")
    );
}
