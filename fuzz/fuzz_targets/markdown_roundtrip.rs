//! Read, write, read: the second read gives the first document back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prodoc_markdown::{read, write, ReadOptions, WriteOptions};

fuzz_target!(|markdown: &str| {
    let options = ReadOptions::default();
    let first = read(markdown, &options).doc;
    let written = write(&first, &WriteOptions::default()).text;
    let second = read(&written, &options).doc;
    assert!(
        first == second,
        "not idempotent\nwritten: {written:?}\nfirst:  {}\nsecond: {}",
        prodoc_core::json::to_string(&first),
        prodoc_core::json::to_string(&second)
    );
});
