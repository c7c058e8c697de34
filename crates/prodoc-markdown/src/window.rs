//! A long input parsed by pulldown-cmark a window at a time.
//!
//! pulldown-cmark builds its tree of the whole input before it gives the first event, and holds
//! it until the last: about 7 bytes of tree per byte of prose (60 MB for 8 MB of paragraphs), far
//! more than the document it becomes. Yet a top-level block does not depend on anything after the
//! start of the next one: CommonMark decides block structure line by line, looking ahead at most
//! one line (a table's delimiter row), and a block's inline content depends on its own text. So a
//! long input is parsed a [`WINDOW`] at a time, its events going to the reader as they come; at the
//! window's end, the reader is taken back to where it was before the window's last top-level block
//! (which may go on past the end: the reader notes where each starts), and the next window starts
//! at that block's line. The document and diagnostics are exactly those of one parse of the whole:
//! the tests below and the fuzz target `markdown_windows` hold them side by side.
//!
//! Two things reach across the whole input: link reference definitions (a `[text][label]` may come
//! before its `[label]: url`) and footnotes. An input that could hold either (it has a `]:` or a
//! `[^` anywhere) is parsed whole, as is the rest of an input from a block longer than a window,
//! or from a banner still open at a window's end (its blocks belong to it until `</banner>`).
//!
//! Besides memory, windows are faster on long inputs: a window's tree stays in the cache
//! (pulldown-cmark alone, 8 MiB of paragraphs split at blank lines, one run each: 87 ms whole,
//! 48 ms in 256 KiB parts).

/// How much of the input one parse takes at a time: the fastest of 64 KiB, 256 KiB and 1 MiB for
/// pulldown-cmark alone on 8 MiB of paragraphs split at blank lines (one run each: 64 ms, 48 ms,
/// 67 ms).
pub(crate) const WINDOW: usize = 256 * 1024;

/// The parts of an input to parse one after the other.
pub(crate) struct Windows<'a> {
    text: &'a str,
    window: usize,
    /// Where the next part starts.
    start: usize,
    /// The next part is the rest of the input.
    whole: bool,
}

/// A part of the input to parse.
pub(crate) struct Part<'a> {
    pub(crate) text: &'a str,
    /// Where it starts in the input.
    pub(crate) start: usize,
    /// It is a window: what the parse of its last top-level block gives is to be undone, and the
    /// next part starts at that block's line ([`Windows::next_at`]).
    pub(crate) windowed: bool,
}

impl<'a> Windows<'a> {
    /// The parts of `text`, `window` bytes (rounded up to a line's end) each where that gives
    /// what one parse gives.
    pub(crate) fn new(text: &'a str, window: usize) -> Self {
        let bytes = text.as_bytes();
        let whole = text.len() <= window
            || memchr::memmem::find(bytes, b"]:").is_some()
            || memchr::memmem::find(bytes, b"[^").is_some();
        Self {
            text,
            window,
            start: 0,
            whole,
        }
    }

    /// The next part: a window, or the rest of the input.
    pub(crate) fn part(&self) -> Part<'a> {
        let end = if self.whole {
            self.text.len()
        } else {
            line_end_after(self.text.as_bytes(), self.start.saturating_add(self.window))
        };
        Part {
            text: self.text.get(self.start..end).unwrap_or_default(),
            start: self.start,
            windowed: end < self.text.len(),
        }
    }

    /// The next part starts `line` bytes into the window just parsed, where its last top-level
    /// block's line starts; at 0 (the window held one block, as long as itself) the rest of the
    /// input is parsed whole.
    pub(crate) fn next_at(&mut self, line: usize) {
        if line == 0 {
            self.whole = true;
        }
        self.start += line;
    }
}

/// Whether `markdown`, read in windows of `window` bytes with `options`, gives exactly what it
/// gives read whole: what the fuzz target `markdown_windows` checks on any input.
/// [`crate::fuzzing`] makes it public.
/// The blocks handed out as final ([`crate::read_streaming`]) are taken as they come, and must
/// be the whole document's first blocks.
pub fn windows_agree(markdown: &str, options: &crate::ReadOptions, window: usize) -> bool {
    let windowed = read_handing_out(markdown, options, window);
    let whole = crate::read::read_in_windows(markdown, options, usize::MAX, None);
    windowed.doc == whole.doc
        && windowed.diagnostics == whole.diagnostics
        && windowed.metadata == whole.metadata
}

/// Reads `markdown` in windows of `window` bytes, taking each run of blocks handed out as final
/// as it comes; the document is those runs and the blocks left at the end.
fn read_handing_out(
    markdown: &str,
    options: &crate::ReadOptions,
    window: usize,
) -> prodoc_core::Conversion {
    let mut handed = Vec::new();
    let mut conversion = crate::read::read_in_windows(
        markdown,
        options,
        window,
        Some(&mut |blocks| {
            handed.append(blocks);
        }),
    );
    handed.append(&mut conversion.doc.content);
    conversion.doc.content = handed;
    conversion
}

/// Just after the first line ending (LF, CRLF or a lone CR, as CommonMark has them) at or after
/// `at`; the end of `bytes` if there is none.
fn line_end_after(bytes: &[u8], at: usize) -> usize {
    let Some(found) = bytes
        .get(at..)
        .and_then(|rest| memchr::memchr2(b'\n', b'\r', rest))
    else {
        return bytes.len();
    };
    let end = at + found + 1;
    if bytes.get(end - 1) == Some(&b'\r') && bytes.get(end) == Some(&b'\n') {
        end + 1
    } else {
        end
    }
}

/// Where the line holding `at` starts.
pub(crate) fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes
        .get(..at)
        .and_then(|before| memchr::memrchr2(b'\n', b'\r', before))
        .map_or(0, |found| found + 1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::read::read_in_windows;
    use crate::ReadOptions;

    /// Asserts that `text` read in windows of `window` bytes gives what it gives read whole.
    fn agrees(text: &str, options: &ReadOptions, window: usize) {
        let windowed = read_handing_out(text, options, window);
        let whole = read_in_windows(text, options, usize::MAX, None);
        assert_eq!(windowed.doc, whole.doc, "{text:?} in windows of {window}");
        assert_eq!(
            windowed.diagnostics, whole.diagnostics,
            "{text:?} in windows of {window}"
        );
    }

    #[test]
    fn blocks_are_handed_out_a_window_at_a_time() {
        let text = "a paragraph\n\n".repeat(1000);
        let mut runs = Vec::new();
        let conversion = read_in_windows(
            &text,
            &ReadOptions::default(),
            1024,
            Some(&mut |blocks| {
                runs.push(std::mem::take(blocks).len());
            }),
        );
        // 13 bytes a paragraph: about 79 in each window of 1 KiB, less the one read again.
        assert!(runs.len() >= 12, "{runs:?}");
        assert!(runs.iter().all(|&run| run <= 80), "{runs:?}");
        assert!(conversion.doc.content.len() <= 80);
        assert_eq!(
            runs.iter().sum::<usize>() + conversion.doc.content.len(),
            1000
        );
    }

    #[test]
    fn blocks_are_handed_out_when_the_input_is_parsed_whole_too() {
        // A reference definition anywhere makes the input parsed whole.
        let text = format!(
            "{}[a]: https://example.com\n",
            "a [link][a]\n\n- item\n\n".repeat(500)
        );
        let whole = read_in_windows(&text, &ReadOptions::default(), 1024, None);
        let mut runs = Vec::new();
        let mut streamed = read_in_windows(
            &text,
            &ReadOptions::default(),
            1024,
            Some(&mut |blocks| {
                runs.push(std::mem::take(blocks));
            }),
        );
        assert!(runs.len() >= 10, "{}", runs.len());
        let mut blocks: Vec<_> = runs.into_iter().flatten().collect();
        blocks.append(&mut streamed.doc.content);
        streamed.doc.content = blocks;
        assert_eq!(streamed.doc, whole.doc);
        assert_eq!(streamed.diagnostics, whole.diagnostics);
    }

    /// Lines chosen to reach every kind of block and the ways one block goes on over lines that
    /// would start another elsewhere: fences of both kinds and lengths, HTML blocks that end at a
    /// marker or at a blank line, lists (loose, nested, interrupted), block quotes with lazy
    /// lines, tables, setext underlines, indented code, tabs, alerts, task items, Productive's
    /// banners (HTML blocks the reader pairs across blocks), deep nesting.
    const LINES: &[&str] = &[
        "",
        "",
        "",
        "para *em* and [link](x) `code`",
        "text",
        "  indented two",
        "    indented four",
        "\tcode after a tab",
        "```",
        "````",
        "```rust",
        "~~~",
        "- item",
        "* star item",
        "+ plus item",
        "  - nested",
        "    continued",
        "1. first",
        "2) second",
        "- [ ] task",
        "- [x] done",
        "- ",
        "> quote",
        ">",
        "> - quoted item",
        "> ```",
        "> [!NOTE]",
        "> > > > > > > > deep",
        "# heading",
        "## heading ##",
        "#### deep heading",
        "===",
        "---",
        "***",
        "| a | b |",
        "|---|:-:|",
        "| 1 | 2 | 3 |",
        "<div>",
        "</div>",
        "<pre>",
        "</pre>",
        "<script>",
        "</script>",
        "<!-- comment",
        "-->",
        "<span>inline</span>",
        "<banner type=\"info\">",
        "</banner>",
        "<?pi",
        "?>",
        "<![CDATA[",
        "]]>",
        "text with <b>html</b> and <u>under</u>",
        "[bad](javascript:x) ![](y)",
        "@[person:1:Ann]",
        "\\",
        "end  ",
        "crlf\r",
    ];

    fn markdown() -> impl Strategy<Value = String> {
        proptest::collection::vec(0..LINES.len(), 0..60).prop_map(|lines| {
            let mut text = String::new();
            for line in lines {
                text.push_str(LINES.get(line).copied().unwrap_or_default());
                text.push('\n');
            }
            text
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Read in windows of any size, an input gives exactly the document and diagnostics of
        /// one parse of the whole.
        #[test]
        fn windows_give_what_the_whole_gives(
            text in markdown(),
            window in 0usize..80,
            gfm: bool,
            max_depth in 2usize..8,
        ) {
            let options = ReadOptions { gfm, max_depth, ..ReadOptions::default() };
            agrees(&text, &options, window);
        }
    }

    #[test]
    fn what_reaches_across_the_input_is_parsed_whole() {
        let options = ReadOptions::default();
        for text in [
            "[a][b]\n\n".repeat(40) + "[b]: /url\n",
            "x[^1]\n\n".repeat(40) + "[^1]: note\n",
        ] {
            agrees(&text, &options, 8);
            assert!(Windows::new(&text, 8).whole);
        }
        // The same input split where it would be parsed whole reads otherwise: the test above is
        // not passing by chance.
        let text = "[a][b]\n\n".repeat(40) + "[b]: /url\n";
        let mut split = Vec::new();
        for part in text.split_inclusive("\n\n") {
            split.extend(crate::read(part, &options).doc.content.clone());
        }
        assert_ne!(split, crate::read(&text, &options).doc.content);
    }

    /// A lone CR ends a line for CommonMark: a block starting after one is started at its line.
    /// And a list left out for nesting too deep has no frame, yet the reader is inside it. Both
    /// found by the fuzz target markdown_windows.
    #[test]
    fn a_lone_cr_ends_a_line() {
        let shallow = ReadOptions {
            gfm: false,
            max_depth: 4,
            ..ReadOptions::default()
        };
        for text in [
            "\r-\r>\t",
            "\u{0}2\r#\n%",
            "a\r# b\r\rc\r\n- d\r\n\r\ne",
            "\u{10}\u{10}\r ````\r\r\t \r\r\t\u{10}\r `\r\u{8}",
        ] {
            for window in 0..text.len() {
                agrees(text, &ReadOptions::default(), window);
                agrees(text, &shallow, window);
            }
        }
    }

    /// What the reader counts across blocks is taken back with them: containers and banners
    /// left out for nesting too deep, the first still open where a window ends inside it, the
    /// second still waiting for its `</banner>` over later blocks.
    #[test]
    fn counts_across_blocks_are_taken_back() {
        let options = ReadOptions {
            max_depth: 4,
            ..ReadOptions::default()
        };
        let deep = format!(
            "a\n\n> > > > > > deep\n{}\n> > > > > <banner type=\"info\">\n\nb\n\n{}</banner>\n\nc\n",
            "lazy\n".repeat(12),
            "- x\n\n".repeat(6)
        );
        for window in 0..deep.len() {
            agrees(&deep, &options, window);
        }
    }

    /// A block longer than a window does not stop the reading: the rest is parsed whole. So is
    /// the rest from a banner left open (its blocks belong to it until `</banner>`).
    #[test]
    fn a_block_longer_than_a_window() {
        let options = ReadOptions::default();
        let code = format!(
            "a\n\n```\n{}```\n\nb\n\n{}",
            "code\n\n".repeat(100),
            "c\n\n".repeat(50)
        );
        let banner = format!(
            "a\n\n<banner type=\"info\">\n\n{}</banner>\n\nb\n",
            "x\n\n".repeat(100)
        );
        for text in [code, banner] {
            for window in [0, 1, 16, 64, 4096] {
                agrees(&text, &options, window);
            }
        }
    }
}
