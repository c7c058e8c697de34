//! Read, write (in either dialect), read: Productive's dialect gives the first document back;
//! the plain dialect, which loses what it cannot carry (whitespace that only a `style` could
//! keep, among others) in its first round, is a fixed point from the second round on.
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
        let lossy = write(&first, &write_options).text;
        let once = write(&read(&lossy, &options).doc, &write_options).text;
        let twice = write(&read(&once, &options).doc, &write_options).text;
        if once != twice {
            let at = once
                .char_indices()
                .zip(twice.chars())
                .find(|((_, a), b)| a != b)
                .map_or(once.len().min(twice.len()), |((i, _), _)| i);
            let from = at.saturating_sub(150);
            let window = |s: &str| s.get(from..(at + 150).min(s.len())).unwrap_or("").to_owned();
            panic!("plain output not stable at {at}\nonce:  {}\ntwice: {}", window(&once), window(&twice));
        }
        return;
    }
    let written = write(&first, &WriteOptions::default());
    let second = read(&written.text, &options).doc;
    assert!(
        first == second,
        "not idempotent\nwritten: {}\nfirst:  {}\nsecond: {}",
        written.text,
        prodoc_core::json::to_string(&first),
        prodoc_core::json::to_string(&second)
    );
});
