//! Byte offsets to lines and columns, for every reader of a text format.
//!
//! A line ends at `\r\n`, `\r` or `\n` (as the HTML tokenizer and the text reader count them);
//! columns count characters, both from 1. Most inputs have no diagnostic, and those that do mostly
//! report near their start, so the text is scanned only as far as a question needs: where lines
//! start, and how many characters precede every 256-byte block, up to the offset asked for. A
//! lookup then costs a binary search and a count of at most one block, and the line of the
//! previous answer is tried first: amortised O(1) per lookup in increasing order, O(log n)
//! otherwise, whatever the line lengths, and no byte is scanned twice.

use std::cell::{Cell, RefCell};

use crate::Position;

/// The size of the blocks whose character counts are recorded.
const BLOCK: usize = 256;

/// What has been scanned so far.
#[derive(Debug)]
struct Scanned {
    /// The byte offset where each line found so far starts; the first is 0.
    starts: Vec<usize>,
    /// How far line breaks have been looked for.
    breaks_to: usize,
    /// The number of characters before each block of [`BLOCK`] bytes, for the blocks counted so
    /// far; the first is 0.
    chars_before_block: Vec<usize>,
    /// The last answer: its offset, line index and column. A lookup shortly after it on the same
    /// line counts only the characters between the two: diagnostics come in document order,
    /// often many on one long line, and each counted up to two blocks otherwise (80,000 unsafe
    /// links on one line of Markdown: 322.0 M -> 312.7 M instructions for `prodoc convert`).
    last: (usize, usize, usize),
}

/// Byte offsets to [`Position`]s in one text.
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    scanned: RefCell<Scanned>,
    /// The line (index into the line starts) of the last answer.
    last_line: Cell<usize>,
}

impl<'a> LineIndex<'a> {
    /// An index of `text`; nothing is scanned until a question needs it.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            scanned: RefCell::new(Scanned {
                starts: vec![0],
                breaks_to: 0,
                chars_before_block: vec![0],
                last: (0, 0, 0),
            }),
            last_line: Cell::new(0),
        }
    }

    /// The text indexed.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Looks for line breaks up to `to` (exclusive), or until `enough` says the starts found
    /// suffice.
    fn scan_breaks(&self, scanned: &mut Scanned, to: usize, enough: impl Fn(&[usize]) -> bool) {
        let bytes = self.text.as_bytes();
        let to = to.min(bytes.len());
        while scanned.breaks_to < to && !enough(&scanned.starts) {
            let from = scanned.breaks_to;
            let Some(at) = bytes
                .get(from..to)
                .and_then(|rest| memchr::memchr2(b'\n', b'\r', rest))
                .map(|found| from + found)
            else {
                scanned.breaks_to = to;
                break;
            };
            scanned.breaks_to = at + 1;
            // The `\r` of a `\r\n` does not end a line; its `\n` does.
            if bytes.get(at) == Some(&b'\r') && bytes.get(at + 1) == Some(&b'\n') {
                continue;
            }
            scanned.starts.push(at + 1);
        }
    }

    /// The number of lines: line breaks plus one.
    pub fn lines(&self) -> usize {
        let scanned = &mut self.scanned.borrow_mut();
        self.scan_breaks(scanned, usize::MAX, |_| false);
        scanned.starts.len()
    }

    /// The byte offset where line `line` (from 1) starts, if the text has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        let index = line.checked_sub(1)?;
        let scanned = &mut self.scanned.borrow_mut();
        self.scan_breaks(scanned, usize::MAX, |starts| starts.len() > index);
        scanned.starts.get(index).copied()
    }

    /// The byte offset where line `line` (from 1) ends, line break included; the text's length for
    /// the last line and beyond.
    pub fn line_end(&self, line: usize) -> usize {
        let scanned = &mut self.scanned.borrow_mut();
        self.scan_breaks(scanned, usize::MAX, |starts| starts.len() > line);
        scanned.starts.get(line).copied().unwrap_or(self.text.len())
    }

    /// The line and column of byte `offset`; an offset inside a character counts as that
    /// character, one past the end as the end.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let scanned = &mut self.scanned.borrow_mut();
        // Every line starting at or before `offset` follows a break before it.
        self.scan_breaks(scanned, offset, |_| false);
        let line = self.line_of(&scanned.starts, offset);
        let start = scanned.starts.get(line).copied().unwrap_or(0);
        // Most lines are short: counting the line itself costs less than two block lookups
        // (callgrind, Markdown bench corpus: 9.7 M instructions in positions became 1.8 M); the
        // blocks keep a long line's columns bounded.
        let (last_offset, last_line, last_column) = scanned.last;
        let column = if last_line == line && last_offset <= offset && offset - last_offset <= BLOCK
        {
            last_column
                + self
                    .text
                    .as_bytes()
                    .get(last_offset..offset)
                    .map_or(0, count_chars)
        } else if offset - start <= BLOCK {
            self.text
                .as_bytes()
                .get(start..offset)
                .map_or(0, count_chars)
        } else {
            self.char_index(scanned, offset) - self.char_index(scanned, start)
        };
        scanned.last = (offset, line, column);
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The index in `starts` of the line holding `offset`: the last answer's line or the next one
    /// when they hold it, a binary search otherwise. `starts` holds every start up to `offset`.
    fn line_of(&self, starts: &[usize], offset: usize) -> usize {
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

    /// How many characters precede byte `offset` (a char boundary), counting blocks up to it.
    fn char_index(&self, scanned: &mut Scanned, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        let block = offset / BLOCK;
        while scanned.chars_before_block.len() <= block {
            let counted = scanned.chars_before_block.len() - 1;
            let before = scanned.chars_before_block.last().copied().unwrap_or(0);
            let chunk = bytes
                .get(counted * BLOCK..((counted + 1) * BLOCK).min(bytes.len()))
                .unwrap_or_default();
            scanned.chars_before_block.push(before + count_chars(chunk));
        }
        let before = scanned.chars_before_block.get(block).copied().unwrap_or(0);
        before + bytes.get(block * BLOCK..offset).map_or(0, count_chars)
    }
}

/// The number of characters that start in `bytes` (UTF-8: every byte but continuation bytes,
/// `0b10xx_xxxx`).
///
/// Counted in runs of 128 bytes, whose count fits a `u8`, so that the compiler counts 16 bytes
/// at a time: one by one, a byte took five instructions, and the first position asked near the
/// end of a long page counts every block before it (callgrind, profile_html: 207 M of 9,366 M
/// instructions; 39.1 M in runs of 255, whose last 15 bytes were counted one by one; 29.5 M so).
fn count_chars(bytes: &[u8]) -> usize {
    bytes
        .chunks(128)
        .map(|run| {
            let starts = run.iter().fold(0u8, |n, &byte| {
                n.wrapping_add(u8::from((byte as i8) >= -0x40))
            });
            usize::from(starts)
        })
        .sum()
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
        fn long_lines_agree_with_counting_from_the_start(
            text in "[aé😀 ]{0,700}(\r?\n[aé😀 ]{0,700}){0,3}",
            offsets in proptest::collection::vec(0usize..6000, 1..20),
        ) {
            let index = LineIndex::new(&text);
            for offset in offsets {
                prop_assert_eq!(index.position(offset), slow(&text, offset), "{:?} at {}", text, offset);
            }
        }

        /// In document order, as diagnostics come: many lookups on one line, each shortly after
        /// the last.
        #[test]
        fn increasing_lookups_agree_with_counting_from_the_start(
            text in "[aé😀 ]{0,900}(\r?\n[aé😀 ]{0,900}){0,2}",
            mut offsets in proptest::collection::vec(0usize..4000, 1..40),
        ) {
            offsets.sort_unstable();
            let index = LineIndex::new(&text);
            for offset in offsets {
                prop_assert_eq!(index.position(offset), slow(&text, offset), "{:?} at {}", text, offset);
            }
        }

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
