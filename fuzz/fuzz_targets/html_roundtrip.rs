//! Read, write (in either dialect), read: Productive's dialect gives the first document back;
//! the plain dialect's output is unchanged by a second round (it is a fixed point).
#![no_main]

use libfuzzer_sys::fuzz_target;
use prodoc_html::{read, write, Dialect, ReadOptions, WriteOptions};

fuzz_target!(|input: (bool, &str)| {
    let (plain, html) = input;
    let options = ReadOptions::default();
    let first = read(html, &options).doc;
    if plain {
        let write_options = WriteOptions {
            dialect: Dialect::Plain,
            ..WriteOptions::default()
        };
        let once = write(&first, &write_options).text;
        let twice = write(&read(&once, &options).doc, &write_options).text;
        assert!(once == twice, "plain output not stable\nonce:  {once}\ntwice: {twice}");
        return;
    }
    let written = write(&first, &WriteOptions::default());
    let second = read(&written.text, &options).doc;
    assert!(
        first == second,
        "not idempotent\nwritten: {}\nfirst:  {}\nsecond: {}",
        written.text,
        prodoc_core::write::to_string(&first),
        prodoc_core::write::to_string(&second)
    );
});
