//! One fixture per source of HTML (Productive's dialect, Google Docs, Word, Outlook, Notion,
//! Confluence, GitHub), each with its expected document and diagnostic codes in `<name>.json`
//! beside it.
//! `PRODOC_BLESS=1 cargo test -p prodoc-html --test fixtures` rewrites the expectations, which
//! are then reviewed by hand.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;

use prodoc_html::{read, write, ReadOptions, WriteOptions};
use serde_json::{json, Value};

const FIXTURES: &[&str] = &[
    "productive",
    "google-docs",
    "word",
    "outlook",
    "notion",
    "confluence",
    "github",
];

#[test]
fn fixtures_read_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let bless = std::env::var_os("PRODOC_BLESS").is_some();
    let mut failures = Vec::new();
    for name in FIXTURES {
        let html = std::fs::read_to_string(dir.join(format!("{name}.html"))).unwrap();
        let conversion = read(&html, &ReadOptions::default());
        assert!(
            prodoc_core::validate(&conversion.doc).is_empty(),
            "{name}: {:?}",
            prodoc_core::validate(&conversion.doc)
        );
        let doc: Value =
            serde_json::from_str(&prodoc_core::json::to_string(&conversion.doc)).unwrap();
        let diagnostics: Vec<String> = conversion
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect();
        let actual = json!({
            "metadata": conversion.metadata,
            "diagnostics": diagnostics,
            "doc": doc,
        });
        let path = dir.join(format!("{name}.json"));
        if bless {
            std::fs::write(&path, serde_json::to_string_pretty(&actual).unwrap() + "\n").unwrap();
            continue;
        }
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if expected != actual {
            failures.push(format!(
                "{name}: expected\n{}\nfound\n{}",
                serde_json::to_string_pretty(&expected).unwrap(),
                serde_json::to_string_pretty(&actual).unwrap()
            ));
        }
        // And the document survives the Productive dialect.
        let written = write(&conversion.doc, &WriteOptions::default());
        assert_eq!(
            read(&written.text, &ReadOptions::default()).doc,
            conversion.doc,
            "{name}"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
