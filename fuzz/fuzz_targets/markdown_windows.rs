//! Any input read in windows of any size, as the Markdown reader reads long inputs, gives exactly
//! the document and diagnostics it gives read whole.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prodoc_markdown::ReadOptions;

fuzz_target!(|input: (u8, bool, bool, &str)| {
    let (window, gfm, shallow, markdown) = input;
    let options = ReadOptions {
        gfm,
        max_depth: if shallow { 4 } else { ReadOptions::MAX_DEPTH },
        ..ReadOptions::default()
    };
    assert!(prodoc_markdown::fuzzing::windows_agree(
        markdown,
        &options,
        usize::from(window)
    ));
});
