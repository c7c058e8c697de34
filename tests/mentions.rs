//! The mention shorthand `@[type:id:label]` reads alike everywhere: the Markdown reader, the HTML
//! reader and the shared grammar (`prodoc_core::shared::mention::find`) find the same mentions, in
//! order, with the same type, id, label and text child, in strings made of the pieces the grammar
//! turns on (`@[`, `]`, `:`, `[`, ASCII letters, digits and spaces).
//!
//! The strings hold no `<` or `&`, so each is HTML text as it is; they hold no `(`, so no inline
//! link can form in Markdown, and no `.`, `)`, `-`, `*`, `+`, `#`, `>`, `|`, `~`, `` ` `` or `^`,
//! so no list, heading, quote, table, emphasis, code span or footnote either. Two Markdown forms
//! remain that are not text, and there Markdown rightly reads no mention: four leading spaces
//! (indented code; such strings are not generated) and a whole line that is a link reference
//! definition, `[label]: destination` (checked: Markdown must read nothing there).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc::shared::mention;
use prodoc::{Doc, Inline, Mention, NodeRef};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

/// How many strings the property test checks.
const CASES: u32 = 20_000;

/// The readers as this test calls them: the one place to adapt when their API changes.
mod api {
    use prodoc::Doc;

    /// `text` read as Markdown, with the default options (GFM, mention shorthand on).
    pub fn markdown(text: &str) -> Doc {
        prodoc::markdown::read(text, &Default::default()).doc
    }

    /// `text` read as the content of an HTML paragraph.
    pub fn html(text: &str) -> Doc {
        prodoc::html::read(&format!("<p>{text}</p>"), &Default::default()).doc
    }
}

/// Every mention of `doc`, in document order.
fn mentions(doc: &Doc) -> Vec<Mention> {
    doc.walk()
        .filter_map(|visit| match visit.node {
            NodeRef::Inline(Inline::Mention(mention)) => Some((**mention).clone()),
            _ => None,
        })
        .collect()
}

/// What is compared, in a form that reads well in a failure: type, id, label, and the text child
/// (its text and marks).
fn summary(mentions: &[Mention]) -> Vec<String> {
    mentions
        .iter()
        .map(|m| {
            let children: Vec<String> = m
                .content
                .iter()
                .map(|text| format!("{:?} marks {:?}", text.text, text.marks))
                .collect();
            format!(
                "{}:{}:{:?} children {children:?} avatar {:?}",
                m.kind.as_str(),
                m.id,
                m.label,
                m.avatar_url
            )
        })
        .collect()
}

/// Checks one string; `Err` says how the readers disagree.
fn check(text: &str) -> Result<(), String> {
    let grammar: Vec<Mention> = mention::find(text).map(|s| s.to_mention()).collect();
    let markdown_doc = api::markdown(text);
    let html_doc = api::html(text);
    let markdown = mentions(&markdown_doc);
    let html = mentions(&html_doc);
    let agree = |a: &[Mention], b: &[Mention]| a == b && summary(a) == summary(b);
    if is_link_reference_definition(text) {
        // Markdown reads a definition and no text; the others read the text.
        if markdown_doc.content.is_empty() && agree(&html, &grammar) {
            return Ok(());
        }
    } else if agree(&markdown, &html) && agree(&markdown, &grammar) {
        return Ok(());
    }
    Err(format!(
        "input {text:?}\n  grammar:  {:?}\n  markdown: {:?}\n  html:     {:?}\n  markdown doc: {markdown_doc:?}\n  html doc: {html_doc:?}",
        summary(&grammar),
        summary(&markdown),
        summary(&html),
    ))
}

/// One piece of a generated string.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("@[".to_owned()),
        3 => Just("]".to_owned()),
        3 => Just(":".to_owned()),
        2 => Just("[".to_owned()),
        3 => "[a-zA-Z]{1,3}",
        2 => "[0-9]{1,2}",
        3 => Just(" ".to_owned()),
    ]
}

/// A shorthand or a near miss, made of the same pieces: `@[`, a type, `:`, an id, `:`, a label,
/// `]`, where the words and label may be empty or hold pieces that break them.
fn near_shorthand() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        6 => "[a-zA-Z0-9]{1,4}",
        1 => prop::collection::vec(
            prop_oneof![
                "[a-zA-Z0-9]{1,2}",
                Just(" ".to_owned()),
                Just("[".to_owned()),
                Just("]".to_owned()),
            ],
            0..3,
        )
        .prop_map(|pieces| pieces.concat()),
    ];
    let label = prop::collection::vec(
        prop_oneof![
            6 => "[a-zA-Z0-9]{1,3}",
            3 => Just(" ".to_owned()),
            2 => Just(":".to_owned()),
            1 => Just("[".to_owned()),
            1 => Just("@[".to_owned()),
        ],
        0..5,
    )
    .prop_map(|pieces| pieces.concat());
    let colon = prop_oneof![8 => Just(":"), 1 => Just("")];
    let close = prop_oneof![8 => Just("]"), 1 => Just(""), 1 => Just("]]")];
    (word.clone(), colon.clone(), word, colon, label, close).prop_map(
        |(kind, colon1, id, colon2, label, close)| {
            format!("@[{kind}{colon1}{id}{colon2}{label}{close}")
        },
    )
}

/// A string of up to 16 pieces, loose or as (near) shorthands; one in eight starts as a link
/// reference definition would (`[label]:`). Four leading spaces are left out: Markdown reads such
/// a line as indented code, where by design no mention is read.
fn string() -> impl Strategy<Value = String> {
    let pieces = || {
        prop::collection::vec(prop_oneof![3 => piece(), 1 => near_shorthand()], 0..16)
            .prop_map(|pieces| pieces.concat())
    };
    prop_oneof![
        7 => pieces(),
        1 => ("[a-z ]{0,3}", prop_oneof![Just(""), Just(" ")], pieces())
            .prop_map(|(label, space, rest)| format!("[{label}]:{space}{rest}")),
    ]
    .prop_filter("indented code in Markdown", |s| !s.starts_with("    "))
}

/// Whether Markdown reads `text` (one line of the generated pieces) as a link reference
/// definition, CommonMark 4.7: up to three spaces, `[`, a label of characters other than
/// brackets with one that is not a space, `]:`, spaces, a destination (no spaces; these pieces
/// hold no `<` or parentheses), spaces. Such a line is not text, so Markdown reads no mention in
/// it: the shorthand stands in a link destination.
fn is_link_reference_definition(text: &str) -> bool {
    let unindented = text.trim_start_matches(' ');
    if text.len() - unindented.len() > 3 {
        return false;
    }
    let Some(rest) = unindented.strip_prefix('[') else {
        return false;
    };
    let Some((label, rest)) = rest.split_once("]:") else {
        return false;
    };
    let destination = rest.trim_matches(' ');
    !label.contains(['[', ']'])
        && label.contains(|c| c != ' ')
        && !destination.is_empty()
        && !destination.contains(' ')
}

#[test]
fn markdown_html_and_the_grammar_find_the_same_mentions() {
    let config = Config {
        cases: CASES,
        rng_seed: RngSeed::Fixed(0x6d65_6e74_696f_6e73),
        failure_persistence: None,
        ..Config::with_cases(CASES)
    };
    let mut runner = TestRunner::new(config);
    let started = std::time::Instant::now();
    let with_mentions = std::cell::Cell::new(0u32);
    let definitions = std::cell::Cell::new(0u32);
    let result = runner.run(&string(), |text| {
        if mention::find(&text).next().is_some() {
            with_mentions.set(with_mentions.get() + 1);
        }
        if is_link_reference_definition(&text) {
            definitions.set(definitions.get() + 1);
        }
        check(&text).map_err(TestCaseError::fail)
    });
    let (with_mentions, definitions) = (with_mentions.get(), definitions.get());
    println!(
        "{CASES} strings ({with_mentions} with a shorthand, {definitions} link reference \
         definitions in Markdown) in {:?}",
        started.elapsed()
    );
    if let Err(error) = result {
        panic!("{error}");
    }
    // Enough of the strings hold a shorthand for the check to mean something.
    assert!(with_mentions > CASES / 10, "{with_mentions}");
}

/// Hand-picked strings around the grammar's edges.
#[test]
fn edge_cases_agree() {
    for text in [
        "@[user:12345:John Doe]",
        "Hi @[user:1:a] and @[task:2:b c]",
        "@[a:1:x @[b:2:y]",
        "@@[b:2:y]",
        "@[u:1:@x]",
        "@[a:b]",
        "@[u::x]",
        "@[:1:x]",
        "@[p:1:]",
        "@[p:1:a[b]",
        "[@[u:1:x]]",
        "[x] @[u:1:x]",
        "@[u:1:x][y]",
        "@[u:1:x] [u]",
        "@[u:1:  two  spaces  ]",
        "@[u:1: ]",
        "   @[u:1:x]",
        "[a]: @[u:1:x]",
        "[a]:@[u:1:x]",
        "[a]: b @[u:1:x]",
        "[a]: @[u:1:x] ",
        "[a] : @[u:1:x]",
        "[ ]: @[u:1:x]",
        "[a]: @[u:1:x y]",
        "[a]:@[u:1:x]]",
        "   [a]: @[u:1:x]",
        "[@[u:1:x]]: y",
    ] {
        if let Err(error) = check(text) {
            panic!("{error}");
        }
    }
}
