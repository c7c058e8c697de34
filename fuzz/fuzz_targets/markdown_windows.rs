//! Any input, parsed a window at a time as the Markdown reader parses long inputs, gives exactly
//! the events of one parse of the whole, whatever the window's size.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u8, &str)| {
    let (window, markdown) = input;
    assert!(prodoc_markdown::fuzzing::windows_agree(
        markdown,
        usize::from(window)
    ));
});
