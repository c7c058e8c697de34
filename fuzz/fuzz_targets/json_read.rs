//! JSON read strictly and leniently: never a panic; a document read leniently writes back to JSON
//! that reads leniently as the same document, and one read strictly validates.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prodoc_core::json::{read_str, to_string};
use prodoc_core::ReadOptions;

fuzz_target!(|input: &str| {
    if let Ok(read) = read_str(input, &ReadOptions::strict()) {
        let problems = prodoc_core::validate(&read.doc);
        assert!(problems.is_empty(), "strictly read, yet invalid: {problems:?}");
    }
    if let Ok(read) = read_str(input, &ReadOptions::lenient()) {
        let written = to_string(&read.doc);
        let again = read_str(&written, &ReadOptions::lenient())
            .unwrap_or_else(|error| panic!("written JSON does not read: {error:?}\n{written}"));
        assert!(
            again.doc == read.doc,
            "not idempotent\nwritten: {written}\nagain:   {}",
            to_string(&again.doc)
        );
    }
});
