//! `Block::children`, `Block::depth` and `Block::take_children` agree with each other and with
//! the depth the strict reader counts (a code block's text is a node there, as in JSON).

use prodoc_core::arbitrary::{self, DocConfig};
use prodoc_core::{json, Block, ReadOptions};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn depth_is_the_depth_the_reader_counts(doc in arbitrary::doc(DocConfig::default())) {
        let depth = doc.content.iter().map(Block::depth).max().unwrap_or(0);
        let written = json::to_string(&doc);
        let within = ReadOptions { max_depth: depth, ..ReadOptions::strict() };
        prop_assert!(json::read_str(&written, &within).is_ok());
        if depth > 0 {
            let below = ReadOptions { max_depth: depth - 1, ..ReadOptions::strict() };
            let error = json::read_str(&written, &below).err();
            prop_assert!(
                error.is_some_and(|e| e.diagnostics.iter().any(|d| d.code == prodoc_core::codes::NESTING_TOO_DEEP)),
                "depth {} read with max_depth {}", depth, depth - 1
            );
        }
    }

    #[test]
    fn children_are_what_take_children_takes(block in arbitrary::block(DocConfig::default())) {
        let seen: Vec<Block> = block.children().into_iter().map(|(_, child)| child.clone()).collect();
        let mut taken = block.clone();
        prop_assert_eq!(taken.take_children(), seen);
        prop_assert!(taken.children().is_empty());
    }
}

#[test]
fn depths_of_small_blocks() {
    use prodoc_core::build::*;
    use prodoc_core::MentionKind;
    // The table, its row and its empty cell.
    assert_eq!(table([row([cell([])])]).depth(), 3);
    // The paragraph and its text.
    assert_eq!(p([text("x")]).depth(), 2);
    assert_eq!(p([]).depth(), 1);
    // Mention and its text child.
    assert_eq!(p([mention(MentionKind::User, "1", "A")]).depth(), 3);
    // Quote, list, item, paragraph, text.
    assert_eq!(blockquote([ul([li([p([text("x")])])])]).depth(), 5);
}
