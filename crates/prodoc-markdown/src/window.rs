//! pulldown-cmark's events for a long input, parsed a window at a time.
//!
//! pulldown-cmark builds its tree of the whole input before it gives the first event, and holds
//! it until the last: about 7 bytes of tree per byte of prose (60 MB for 8 MB of paragraphs), far
//! more than the document it becomes. Yet a top-level block does not depend on anything after the
//! start of the next one: CommonMark decides block structure line by line, looking ahead at most
//! one line (a table's delimiter row), and a block's inline content depends on its own text. So a
//! long input is parsed a [`WINDOW`] at a time: of each window, the events of every top-level
//! block but the last are passed on (the last may go on past the window's end), and the next
//! window starts at the line where that last block starts. The events are exactly those of one
//! parse of the whole input (the tests below hold them side by side).
//!
//! Two things reach across the whole input: link reference definitions (a `[text][label]` may come
//! before its `[label]: url`) and footnotes. An input that could hold either (it has a `]:` or a
//! `[^` anywhere) is parsed whole, as is the rest of an input from a block longer than a window.
//!
//! Besides memory, windows are faster on long inputs: a window's tree stays in the cache
//! (pulldown-cmark alone, 8 MiB of paragraphs: 87 ms whole, 48 ms in 256 KiB windows).

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser};

/// How much of the input one parse takes at a time: the fastest of 64 KiB, 256 KiB and 1 MiB for
/// pulldown-cmark alone on 8 MiB of paragraphs (64 ms, 48 ms, 67 ms).
pub(crate) const WINDOW: usize = 256 * 1024;

/// The extensions the reader turns on with [`crate::ReadOptions::gfm`]: tables, strikethrough,
/// task lists, footnotes and GitHub's alerts.
pub(crate) const GFM: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_GFM);

/// Calls `each` with every event of `text` parsed with `options` and its range in `text`, in
/// order, parsing `window` bytes (rounded up to a line's end) at a time where that gives the same
/// events.
pub(crate) fn for_each_event<'a>(
    text: &'a str,
    options: Options,
    window: usize,
    mut each: impl FnMut(Event<'a>, Range<usize>),
) {
    let bytes = text.as_bytes();
    let whole = text.len() <= window
        || memchr::memmem::find(bytes, b"]:").is_some()
        || memchr::memmem::find(bytes, b"[^").is_some();
    if whole {
        return parse_from(text, 0, options, &mut each);
    }
    // The events of the last top-level block begun in the window, held until the next begins.
    let mut held: Vec<(Event<'a>, Range<usize>)> = Vec::new();
    let mut start = 0usize;
    loop {
        let end = line_end_after(bytes, start.saturating_add(window));
        let Some(part) = text.get(start..end) else {
            return;
        };
        if end == text.len() {
            return parse_from(text, start, options, &mut each);
        }
        held.clear();
        // Where, in `part`, the line of the held block starts.
        let mut last_line = None;
        let mut depth = 0usize;
        for (event, range) in Parser::new_ext(part, options).into_offset_iter() {
            if depth == 0 {
                for (event, range) in held.drain(..) {
                    each(event, range);
                }
                last_line = Some(line_start(part.as_bytes(), range.start));
            }
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            held.push((event, start + range.start..start + range.end));
        }
        match last_line {
            // Every block but the last was passed on; the next window starts at the last.
            Some(line) if line > 0 => start += line,
            // One block as long as the window (or none at all): the rest is parsed whole.
            _ => return parse_from(text, start, options, &mut each),
        }
    }
}

/// Whether `text`, prepared and parsed `window` bytes at a time as the reader does, gives exactly
/// the events of one parse of the whole (GFM on): what the fuzz target `markdown_windows` checks on
/// any input. [`crate::fuzzing`] makes it public.
pub fn windows_agree(text: &str, window: usize) -> bool {
    let prepared = crate::read::prepared(text);
    let text = prepared.as_ref();
    let options = GFM;
    let mut windowed = Vec::new();
    for_each_event(text, options, window, |event, range| {
        windowed.push((event, range));
    });
    windowed
        .into_iter()
        .eq(Parser::new_ext(text, options).into_offset_iter())
}

/// Passes on every event of `text[start..]`, its range in `text`.
fn parse_from<'a>(
    text: &'a str,
    start: usize,
    options: Options,
    each: &mut impl FnMut(Event<'a>, Range<usize>),
) {
    let rest = text.get(start..).unwrap_or_default();
    for (event, range) in Parser::new_ext(rest, options).into_offset_iter() {
        each(event, start + range.start..start + range.end);
    }
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
fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes
        .get(..at)
        .and_then(|before| memchr::memrchr2(b'\n', b'\r', before))
        .map_or(0, |found| found + 1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn options() -> Options {
        GFM
    }

    type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

    fn whole(text: &str) -> Events<'_> {
        Parser::new_ext(text, options())
            .into_offset_iter()
            .collect()
    }

    fn windowed(text: &str, window: usize) -> Events<'_> {
        let mut events = Vec::new();
        for_each_event(text, options(), window, |event, range| {
            events.push((event, range));
        });
        events
    }

    /// Lines chosen to reach every kind of block and the ways one block goes on over lines that
    /// would start another elsewhere: fences of both kinds and lengths, HTML blocks that end at a
    /// marker or at a blank line, lists (loose, nested, interrupted), block quotes with lazy
    /// lines, tables, setext underlines, indented code, tabs, alerts, task items.
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
        "- ",
        "> quote",
        ">",
        "> - quoted item",
        "> ```",
        "> [!NOTE]",
        "# heading",
        "## heading ##",
        "===",
        "---",
        "***",
        "| a | b |",
        "|---|:-:|",
        "| 1 | 2 |",
        "<div>",
        "</div>",
        "<pre>",
        "</pre>",
        "<script>",
        "</script>",
        "<!-- comment",
        "-->",
        "<span>inline</span>",
        "<?pi",
        "?>",
        "<![CDATA[",
        "]]>",
        "text with <b>html</b>",
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
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Parsed in windows of any size, an input gives exactly the events (and ranges) of one
        /// parse of the whole.
        #[test]
        fn windows_give_the_events_of_the_whole(text in markdown(), window in 0usize..80) {
            prop_assert_eq!(windowed(&text, window), whole(&text));
        }
    }

    #[test]
    fn what_reaches_across_the_input_is_parsed_whole() {
        for text in [
            "[a][b]\n\n".repeat(40) + "[b]: /url\n",
            "x[^1]\n\n".repeat(40) + "[^1]: note\n",
        ] {
            assert_eq!(windowed(&text, 8), whole(&text));
        }
        // The same inputs split where they would be parsed whole give other events: the test
        // above is not passing by chance.
        let text = "[a][b]\n\n".repeat(40) + "[b]: /url\n";
        let mut split = Vec::new();
        for part in text.split_inclusive("\n\n") {
            split.extend(Parser::new_ext(part, options()).map(|event| event.into_static()));
        }
        let together: Vec<_> = Parser::new_ext(&text, options()).collect();
        assert_ne!(split, together);
    }

    /// A lone CR ends a line for CommonMark: a block starting after one is started at its line
    /// (found by the fuzz target markdown_windows). The reader turns lone CRs into LFs first, as
    /// pulldown-cmark misreads some: a fence's info string runs on to the next LF, so that a
    /// backtick lines later makes the fence text, which a window ending before it does not.
    #[test]
    fn a_lone_cr_ends_a_line() {
        for text in ["\u{0}2\r#\n%", "a\r# b\r\rc\r\n- d\r\n\r\ne"] {
            for window in 0..text.len() {
                assert_eq!(windowed(text, window), whole(text), "{text:?} {window}");
            }
        }
        let misread = "\u{10}\u{10}\r ````\r\r\t \r\r\t\u{10}\r `\r\u{8}";
        assert_ne!(windowed(misread, 16), whole(misread));
        assert!(windows_agree(misread, 16));
    }

    /// A block longer than a window does not stop the parse: the rest is parsed whole.
    #[test]
    fn a_block_longer_than_a_window() {
        let text = format!(
            "a\n\n```\n{}```\n\nb\n\n{}",
            "code\n\n".repeat(100),
            "c\n\n".repeat(50)
        );
        for window in [0, 1, 16, 64, 4096] {
            assert_eq!(windowed(&text, window), whole(&text), "{window}");
        }
    }
}
