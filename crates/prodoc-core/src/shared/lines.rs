//! Byte offsets to lines and columns, for every reader of a text format.
//!
//! A line ends at `\r\n`, `\r` or `\n` (as the HTML tokenizer and the text reader count them);
//! columns count characters, both from 1. Most inputs have no diagnostic, so nothing is indexed
//! until the first position is asked for; then one pass records where each line starts and how
//! many characters precede every 256-byte block, so that a lookup costs a binary search
//! and a count of at most one block. Readers ask in increasing order almost always, so the line
//! of the previous answer is tried first: amortised O(1) per lookup in that order, O(log n)
//! otherwise, whatever the line lengths.

use std::cell::{Cell, OnceCell};

use crate::Position;

/// The size of the blocks whose character counts are recorded.
const BLOCK: usize = 256;

/// Byte offsets to [`Position`]s in one text.
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// The byte offset where each line starts; the first is 0. Built on first use.
    starts: OnceCell<Vec<usize>>,
    /// The number of characters before each block of [`BLOCK`] bytes. Built on the first
    /// position asked for (the HTML reader asks for line ends while parsing, columns only for
    /// diagnostics).
    chars_before_block: OnceCell<Vec<usize>>,
    /// The line (index into `starts`) of the last answer.
    last_line: Cell<usize>,
}

impl<'a> LineIndex<'a> {
    /// An index of `text`; nothing is computed until a position is asked for.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            starts: OnceCell::new(),
            chars_before_block: OnceCell::new(),
            last_line: Cell::new(0),
        }
    }

    /// The text indexed.
    pub fn text(&self) -> &'a str {
        self.text
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut starts = vec![0];
            for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
                // The `\r` of a `\r\n` does not end a line; its `\n` does.
                if bytes.get(at) == Some(&b'\r') && bytes.get(at + 1) == Some(&b'\n') {
                    continue;
                }
                starts.push(at + 1);
            }
            starts
        })
    }

    fn chars_before_block(&self) -> &[usize] {
        self.chars_before_block.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut counts = Vec::with_capacity(bytes.len() / BLOCK + 2);
            let mut chars = 0;
            for block in bytes.chunks(BLOCK) {
                counts.push(chars);
                chars += count_chars(block);
            }
            // The end of a text whose length is a whole number of blocks starts a block of its own.
            counts.push(chars);
            counts
        })
    }

    /// The number of lines: line breaks plus one.
    pub fn lines(&self) -> usize {
        self.starts().len()
    }

    /// The byte offset where line `line` (from 1) starts, if the text has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts().get(line.checked_sub(1)?).copied()
    }

    /// The byte offset where line `line` (from 1) ends, line break included; the text's length for
    /// the last line and beyond.
    pub fn line_end(&self, line: usize) -> usize {
        self.starts().get(line).copied().unwrap_or(self.text.len())
    }

    /// The line and column of byte `offset`; an offset inside a character counts as that
    /// character, one past the end as the end.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts().get(line).copied().unwrap_or(0);
        Position {
            line: line + 1,
            column: self.char_index(offset) - self.char_index(start) + 1,
        }
    }

    /// The index in `starts` of the line holding `offset`: the last answer's line or the next one
    /// when they hold it, a binary search otherwise.
    fn line_of(&self, offset: usize) -> usize {
        let starts = self.starts();
        let holds = |line: usize| {
            starts.get(line).is_some_and(|&start| start <= offset)
                && starts.get(line + 1).is_none_or(|&next| offset < next)
        };
        let last = self.last_line.get();
        let line = if holds(last) {
            last
        } else if holds(last + 1) {
            last + 1
        } else {
            starts.partition_point(|&start| start <= offset).max(1) - 1
        };
        self.last_line.set(line);
        line
    }

    /// How many characters precede byte `offset` (a char boundary).
    fn char_index(&self, offset: usize) -> usize {
        let block = offset / BLOCK;
        let before = self.chars_before_block().get(block).copied().unwrap_or(0);
        before
            + self
                .text
                .as_bytes()
                .get(block * BLOCK..offset)
                .map_or(0, count_chars)
    }
}

/// The number of characters that start in `bytes` (UTF-8: every byte but continuation bytes).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&byte| (byte as i8) >= -0x40).count()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The rule, counted the slow way from the start.
    fn slow(text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (mut line, mut column) = (1, 1);
        // The character after the last one counted is looked at too: the `\r` of a `\r\n` whose
        // `\n` is at `offset` does not end the line.
        let mut chars = text.chars().peekable();
        let mut at = 0;
        while let Some(c) = chars.next() {
            if at >= offset {
                break;
            }
            at += c.len_utf8();
            match c {
                '\r' if chars.peek() == Some(&'\n') => column += 1,
                '\r' | '\n' => {
                    line += 1;
                    column = 1;
                }
                _ => column += 1,
            }
        }
        Position { line, column }
    }

    #[test]
    fn line_breaks_of_every_kind() {
        let text = "ab\ncd\r\nef\rgh";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), Position { line: 1, column: 1 });
        assert_eq!(index.position(4), Position { line: 2, column: 2 });
        assert_eq!(index.position(7), Position { line: 3, column: 1 });
        assert_eq!(index.position(10), Position { line: 4, column: 1 });
        assert_eq!(index.position(100), Position { line: 4, column: 3 });
        assert_eq!(index.lines(), 4);
        assert_eq!(index.line_start(3), Some(7));
        assert_eq!(index.line_end(3), 10);
        assert_eq!(index.line_start(0), None);
        // A CR-only file counts its lines as a LF file does.
        let cr = LineIndex::new("a\rb\rc\rd\re");
        assert_eq!(cr.position(8), Position { line: 5, column: 1 });
    }

    #[test]
    fn columns_count_characters_across_blocks() {
        let text = "é".repeat(300) + "\n" + &"ü".repeat(300);
        let index = LineIndex::new(&text);
        assert_eq!(
            index.position(599),
            Position {
                line: 1,
                column: 300
            }
        );
        assert_eq!(
            index.position(601 + 2 * 299),
            Position {
                line: 2,
                column: 300
            }
        );
    }

    #[test]
    fn the_end_of_a_text_of_whole_blocks() {
        let text = "a".repeat(2 * BLOCK);
        let index = LineIndex::new(&text);
        assert_eq!(
            index.position(2 * BLOCK),
            Position {
                line: 1,
                column: 2 * BLOCK + 1
            }
        );
        let lines = "é\n".repeat(BLOCK / 3) + "a";
        assert_eq!(lines.len(), BLOCK);
        assert_eq!(LineIndex::new(&lines).position(BLOCK), slow(&lines, BLOCK));
    }

    proptest! {
        #[test]
        fn agrees_with_counting_from_the_start(
            text in "[a\r\né😀 ]{0,600}",
            offsets in proptest::collection::vec(0usize..1300, 1..20),
        ) {
            let index = LineIndex::new(&text);
            for offset in offsets {
                prop_assert_eq!(index.position(offset), slow(&text, offset), "{:?} at {}", text, offset);
            }
        }
    }
}
