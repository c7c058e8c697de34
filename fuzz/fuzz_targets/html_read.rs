//! Any input reads without panic into a strictly valid document, at any depth limit, and the
//! same when its blocks are taken as the reader hands them out.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prodoc_html::{read, ReadOptions};

fuzz_target!(|input: (u8, &str)| {
    let (depth, html) = input;
    let options = ReadOptions {
        max_depth: usize::from(depth),
    };
    let conversion = read(html, &options);
    if usize::from(depth) >= ReadOptions::MAX_DEPTH {
        let invalid = prodoc_core::validate(&conversion.doc);
        assert!(invalid.is_empty(), "{invalid:?}");
    }
    for diagnostic in &conversion.diagnostics {
        assert!(diagnostic.position.is_some(), "{diagnostic}");
    }
    let mut handed = Vec::new();
    let mut streamed = prodoc_html::read_streaming(html, &options, &mut |blocks| {
        handed.append(blocks);
    });
    handed.append(&mut streamed.doc.content);
    streamed.doc.content = handed;
    assert!(streamed.doc == conversion.doc, "read in runs differs");
    assert!(streamed.diagnostics == conversion.diagnostics);
    assert!(streamed.metadata == conversion.metadata);
});
