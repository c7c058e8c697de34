//! Any input reads without panic into a strictly valid document.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prodoc_markdown::{read, ReadOptions};

fuzz_target!(|input: (bool, bool, &str)| {
    let (gfm, deep_bold, markdown) = input;
    let options = ReadOptions {
        gfm,
        deep_headings: if deep_bold {
            prodoc_markdown::DeepHeadings::BoldParagraph
        } else {
            prodoc_markdown::DeepHeadings::Level3
        },
        ..ReadOptions::default()
    };
    let conversion = read(markdown, &options);
    let invalid = prodoc_core::validate(&conversion.doc);
    assert!(invalid.is_empty(), "{invalid:?}");
});
