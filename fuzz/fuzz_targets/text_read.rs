//! Plain text read (lists on and off), written and read again gives the same document, as the
//! text crate promises; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prodoc_text::{read, write, ReadOptions, WriteOptions};

fuzz_target!(|input: (bool, &str)| {
    let (lists, text) = input;
    let options = ReadOptions { lists };
    let first = read(text, &options).doc;
    let written = write(&first, &WriteOptions::default()).text;
    let second = read(&written, &options).doc;
    assert!(
        first == second,
        "not idempotent\nwritten: {written:?}\nfirst:  {}\nsecond: {}",
        prodoc_core::json::to_string(&first),
        prodoc_core::json::to_string(&second)
    );
});
