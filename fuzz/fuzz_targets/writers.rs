//! Every writer, from any document lenient JSON reading gives (raw nodes and all): no panic, and
//! what each writes reads back with its reader without one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prodoc_core::json::{read_str, to_string, to_string_pretty};
use prodoc_core::ReadOptions;

fuzz_target!(|input: &str| {
    let Ok(read) = read_str(input, &ReadOptions::lenient()) else {
        return;
    };
    let doc = read.doc;
    let markdown = prodoc_markdown::write(&doc, &Default::default()).text;
    let _ = prodoc_markdown::read(&markdown, &Default::default());
    for dialect in [prodoc_html::Dialect::Productive, prodoc_html::Dialect::Plain] {
        let options = prodoc_html::WriteOptions {
            dialect,
            ..Default::default()
        };
        let html = prodoc_html::write(&doc, &options).text;
        let _ = prodoc_html::read(&html, &Default::default());
    }
    for wrap in [None, Some(20)] {
        let options = prodoc_text::WriteOptions {
            wrap,
            ..Default::default()
        };
        let text = prodoc_text::write(&doc, &options).text;
        let _ = prodoc_text::read(&text, &Default::default());
    }
    for json in [to_string(&doc), to_string_pretty(&doc)] {
        let back = read_str(&json, &ReadOptions::lenient())
            .unwrap_or_else(|error| panic!("written JSON does not read: {error:?}"));
        assert!(back.doc == doc, "JSON does not read back the same: {json}");
    }
});
