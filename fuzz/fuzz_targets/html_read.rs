//! Any input reads without panic into a strictly valid document, at any depth limit.
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
});
