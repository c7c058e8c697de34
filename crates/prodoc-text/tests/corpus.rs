//! The real page bodies write with nothing to report but what plain text cannot carry (block ids,
//! headings, lists…, each at its block), and every line obeys the writer's rules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use prodoc_core::{json, ReadOptions};
use prodoc_text::{write, HeadingStyle, WriteOptions};

#[test]
fn real_bodies_write_reporting_only_what_text_cannot_carry() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/productive-real");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        let doc = json::read_str(&source, &ReadOptions::lenient())
            .unwrap()
            .doc;
        for options in [
            WriteOptions::default(),
            WriteOptions {
                wrap: Some(60),
                heading_style: HeadingStyle::Prefixed,
            },
        ] {
            let written = write(&doc, &options);
            assert!(
                written
                    .diagnostics
                    .iter()
                    .all(|d| d.code == prodoc_text::codes::NOT_EXPRESSIBLE
                        && d.pointer
                            .as_deref()
                            .is_some_and(|p| p.starts_with("/content/"))),
                "{path:?}: {:?}",
                written.diagnostics
            );
            for line in written.text.lines() {
                assert!(!line.ends_with([' ', '\t']), "{path:?}: {line:?}");
            }
        }
        count += 1;
    }
    assert_eq!(count, 21);
}
