//! What every reader does to its input before reading it.

use std::borrow::Cow;

/// `input` without a leading byte-order mark. A BOM says how a file was encoded, not what it
/// holds: left in, it hid Markdown's first block (`\u{feff}# Title` is a paragraph) and made JSON
/// fail at line 1 column 1. Every reader calls this first; positions then count from the first
/// character after the mark, as editors show them.
pub fn without_bom(input: &str) -> &str {
    input.strip_prefix('\u{feff}').unwrap_or(input)
}

/// `input` with every CR that does not begin a CRLF turned into LF. CommonMark counts a lone CR
/// as a line ending, but pulldown-cmark does not everywhere (a CR-only file lost the paragraph
/// after a fenced code block). The replacement keeps every byte where it was, so offsets, and the
/// lines and columns [`super::lines::LineIndex`] gives for them, still refer to the original input.
/// Borrowed, without a copy, when there is no lone CR.
pub fn lone_cr_as_lf(input: &str) -> Cow<'_, str> {
    let bytes = input.as_bytes();
    let lone = |at: usize| bytes.get(at + 1) != Some(&b'\n');
    let Some(first) = memchr::memchr_iter(b'\r', bytes).find(|&at| lone(at)) else {
        return Cow::Borrowed(input);
    };
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(bytes.get(..first).unwrap_or_default());
    for (at, &byte) in bytes.iter().enumerate().skip(first) {
        out.push(if byte == b'\r' && lone(at) {
            b'\n'
        } else {
            byte
        });
    }
    // Only ASCII CRs were replaced, by ASCII LFs: still UTF-8.
    Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| input.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_is_stripped_once_and_only_at_the_start() {
        assert_eq!(without_bom("\u{feff}# T"), "# T");
        assert_eq!(without_bom("\u{feff}\u{feff}x"), "\u{feff}x");
        assert_eq!(without_bom("a\u{feff}"), "a\u{feff}");
    }

    #[test]
    fn lone_crs_become_lfs_and_crlfs_stay() {
        assert_eq!(lone_cr_as_lf("a\rb\r\nc\r"), "a\nb\r\nc\n");
        assert!(matches!(lone_cr_as_lf("a\r\nb\n"), Cow::Borrowed(_)));
        assert_eq!(lone_cr_as_lf("é\rü"), "é\nü");
    }
}
