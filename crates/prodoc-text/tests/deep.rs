//! Documents built in code can be far deeper than any reader allows: writing them must not
//! overflow the stack, and neither must dropping them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_core::build::*;
use prodoc_text::{write, WriteOptions};

const DEPTH: usize = 100_000;

#[test]
fn a_100000_deep_blockquote_chain_writes_and_drops() {
    let mut block = p([text("deep")]);
    for _ in 0..DEPTH {
        block = blockquote([block]);
    }
    let doc = doc([block]);
    let written = write(&doc, &WriteOptions::default());
    // Only that the quote reads back as text.
    assert_eq!(written.diagnostics.len(), 1, "{:?}", written.diagnostics);
    let expected = format!("{}deep\n", "> ".repeat(DEPTH));
    assert_eq!(written.text, expected);
    // Wrapping leaves one column at this depth; still one line, since it is one word.
    let wrapped = write(
        &doc,
        &WriteOptions {
            wrap: Some(80),
            ..WriteOptions::default()
        },
    )
    .text;
    assert_eq!(wrapped, expected);
    drop(doc);
}

#[test]
fn deep_lists_and_banners_write() {
    let mut block = p([text("leaf")]);
    // Each level's prefix stays on every line below it, so the output grows with the square of
    // the depth: 2,000 levels give about 4 MB.
    for level in 0..2_000 {
        block = if level % 2 == 0 {
            ul([li([p([text("i")]), block])])
        } else {
            prodoc_core::build::banner(prodoc_core::BannerKind::Info, [block])
        };
    }
    let doc = doc([block]);
    let text = write(&doc, &WriteOptions::default()).text;
    // 1,000 items each write `i` and a blank line before the block after it, then the leaf.
    assert_eq!(text.lines().count(), 2_001);
    assert!(text.starts_with("Info: - i\n\n        Info: - i\n"));
    assert!(text.ends_with(&format!("\n\n{}leaf\n", " ".repeat(8 * 1_000))));
}

#[test]
fn deeply_nested_tables_write() {
    let mut block = p([text("core")]);
    for _ in 0..2_000 {
        block = table([row([cell([block])])]);
    }
    let doc = doc([block]);
    assert_eq!(write(&doc, &WriteOptions::default()).text, "core\n");
}
