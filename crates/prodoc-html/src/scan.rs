//! A scan ahead of html5ever's tokenizer that bounds the attributes of each tag.
//!
//! html5ever's tokenizer checks every new attribute of a tag against all the earlier ones (for
//! duplicates), so a tag with N attributes costs N² (160,000 attributes on one `<p>`, 1.5 MB,
//! took 11.5 s). The check happens inside the tokenizer, before any token reaches a sink, so the
//! bound has to be applied to the text the tokenizer is given: this scan walks the input as the
//! tokenizer will, tag by tag, and leaves out every attribute of a tag past
//! [`MAX_ATTRIBUTES`], keeping the tag itself and its first attributes.
//!
//! Whether `<p a=1>` is a tag depends on where it is: not in a comment, a `<script>`, a
//! `<textarea>` or a CDATA section. The scan follows the tokenizer's own states for comments,
//! bogus comments, doctypes, attribute values and the text of raw-text elements (including
//! `<script>`'s escaped and double-escaped text), which depend on the text alone. Which start
//! tags switch the tokenizer into raw text, and where `<![CDATA[` opens a section, depends on the
//! tree builder (`<style>` inside `<svg>` does not, `<iframe>` inside `<select>` is ignored), so
//! there the scan does not guess: it hands the input up to that point to the parser and asks it
//! ([`Parser`]). The text the tokenizer is given is the input with only the excess attributes
//! left out, and a line break kept for every one they held, so that lines stay where they were.
//!
//! Written by hand: no crate splits HTML into tags the way html5ever's tokenizer does short of
//! being a tokenizer itself, and html5ever's cannot be bounded from outside.

use memchr::{memchr, memmem};

/// The most attributes a tag keeps: [`prodoc_core::shared::limits::HTML_ATTRIBUTES_PER_TAG`].
pub(crate) const MAX_ATTRIBUTES: usize = prodoc_core::shared::limits::HTML_ATTRIBUTES_PER_TAG;

/// What the tree builder made of a start tag: the text that follows it until its end tag is not
/// markup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Raw {
    /// RCDATA or RAWTEXT (`<title>`, `<textarea>`, `<style>`, `<xmp>`, `<iframe>`, …): text up
    /// to `</name`.
    Text,
    /// `<script>`'s text, with its escaped (`<!--`) and double-escaped (`<!--<script>`) states.
    Script,
    /// `<plaintext>`: text to the end.
    Plaintext,
}

/// The parser the scan feeds.
pub(crate) trait Parser {
    /// Parses `text`, the next part of the input (or what stands for the part left out).
    fn feed(&mut self, text: &str);
    /// Whether the start tag just fed switched the tokenizer into raw text, and which.
    fn take_switch(&mut self) -> Option<Raw>;
    /// Whether a `<![CDATA[` after what was fed opens a CDATA section (in SVG or MathML).
    fn cdata_allowed(&self) -> bool;
    /// Says that the tokenizer's next start tag, after those already said, starts at byte
    /// `offset` of the input: the scan finds every one, so the sink need not search for them.
    fn start_tag(&mut self, offset: usize);
}

/// What the scan left out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Dropped {
    /// Attributes left out.
    pub(crate) attributes: usize,
    /// Tags that lost some.
    pub(crate) tags: usize,
    /// The byte offset of the first attribute left out.
    pub(crate) first: usize,
}

/// The start tag names after which the tree builder may switch the tokenizer into raw text
/// (html5ever's `tree_builder` switches on exactly these), as written in `name` if it is one.
/// Looked up by length first: almost every tag is some other length, and the scan asks this of
/// every start tag.
fn raw_name(name: &[u8]) -> Option<&'static [u8]> {
    let candidates: &[&'static [u8]] = match name.len() {
        3 => &[b"xmp"],
        5 => &[b"title", b"style"],
        6 => &[b"iframe", b"script"],
        7 => &[b"noembed"],
        8 => &[b"textarea", b"noframes", b"noscript"],
        9 => &[b"plaintext"],
        _ => return None,
    };
    candidates
        .iter()
        .copied()
        .find(|raw| raw.eq_ignore_ascii_case(name))
}

/// Feeds `html` to `parser`, every tag with at most [`MAX_ATTRIBUTES`] attributes; says what was
/// left out, if anything.
pub(crate) fn feed(html: &str, parser: &mut impl Parser) -> Option<Dropped> {
    let mut scan = Scan {
        html,
        bytes: html.as_bytes(),
        parser,
        fed: 0,
        dropped: None,
    };
    scan.run();
    scan.dropped
}

/// Where the text after a start tag goes.
enum Mode<'a> {
    Data,
    /// Raw text up to `</` and this name.
    Text(&'a [u8]),
    Script,
}

/// The tokenizer's states inside `<script>`'s text (the end tag aside).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Data,
    EscapeStart,
    EscapeStartDash,
    Escaped,
    EscapedDash,
    EscapedDashDash,
    DoubleEscaped,
    DoubleEscapedDash,
    DoubleEscapedDashDash,
}

/// The tokenizer's states inside a comment (`<!--`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Comment {
    Start,
    StartDash,
    Text,
    LessThan,
    LessThanBang,
    LessThanBangDash,
    LessThanBangDashDash,
    EndDash,
    End,
    EndBang,
}

/// Whitespace as the tokenizer sees it (a CR is a line feed to it).
fn is_space(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | b'\x0C' | b' ' | b'\r')
}

/// A byte's classes in a tag, one bit each, for [`run_until`] and [`spaces`].
const SPACE: u8 = 1;
const SLASH: u8 = 2;
const GT: u8 = 4;
const EQUALS: u8 = 8;

/// The classes of every byte: whitespace as [`is_space`] says, `/`, `>` and `=`.
// Indexed at compile time: an index out of bounds fails the build.
#[allow(clippy::indexing_slicing)]
const CLASSES: [u8; 256] = {
    let mut classes = [0u8; 256];
    classes[b'\t' as usize] = SPACE;
    classes[b'\n' as usize] = SPACE;
    classes[0x0C] = SPACE;
    classes[b'\r' as usize] = SPACE;
    classes[b' ' as usize] = SPACE;
    classes[b'/' as usize] = SLASH;
    classes[b'>' as usize] = GT;
    classes[b'=' as usize] = EQUALS;
    classes
};

/// How many bytes from `at` have none of the classes in `stop` (to the end of `bytes` if all).
fn run_until(bytes: &[u8], at: usize, stop: u8) -> usize {
    let rest = bytes.get(at..).unwrap_or_default();
    rest.iter()
        .position(|&byte| {
            CLASSES
                .get(usize::from(byte))
                .is_some_and(|c| c & stop != 0)
        })
        .unwrap_or(rest.len())
}

/// How many bytes of whitespace start at `at`.
fn spaces(bytes: &[u8], at: usize) -> usize {
    let rest = bytes.get(at..).unwrap_or_default();
    rest.iter()
        .position(|&byte| {
            CLASSES
                .get(usize::from(byte))
                .is_none_or(|c| c & SPACE == 0)
        })
        .unwrap_or(rest.len())
}

/// Where the first `needle` in `haystack` is. What the scan searches is mostly short (an
/// attribute's value, the text between two tags), where memchr's set-up costs more than the
/// search: the first 32 bytes are tested eight at a time here (SWAR: no vector intrinsics, no
/// `unsafe`), the rest by memchr. Callgrind, profile_html: 40 M instructions fewer of 9,035 M
/// (memchr's share 110 M -> 31 M, the scan's own 298 M -> 338 M).
fn find_byte(needle: u8, haystack: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let pattern = ONES * u64::from(needle);
    let mut at = 0;
    while at < 32 {
        let Some(word) = haystack
            .get(at..at + 8)
            .and_then(|word| <[u8; 8]>::try_from(word).ok())
        else {
            break;
        };
        // The lowest high bit set marks the first byte equal to `needle` (the classic "has zero
        // byte" test on the word xor the pattern); bytes after it may be marked wrongly.
        let x = u64::from_le_bytes(word) ^ pattern;
        let found = x.wrapping_sub(ONES) & !x & HIGHS;
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    memchr(needle, haystack.get(at..)?).map(|found| at + found)
}

/// What ends a tag name in raw text (`</style>`, `</style `, `</style/`).
fn ends_name(byte: u8) -> bool {
    is_space(byte) || matches!(byte, b'/' | b'>')
}

struct Scan<'a, P> {
    html: &'a str,
    bytes: &'a [u8],
    parser: &'a mut P,
    /// How far the input has been fed.
    fed: usize,
    dropped: Option<Dropped>,
}

impl<'a, P: Parser> Scan<'a, P> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    /// Feeds the input up to `to`. Every place the scan stops at is an ASCII byte, so a char
    /// boundary.
    fn flush(&mut self, to: usize) {
        if to > self.fed {
            if let Some(text) = self.html.get(self.fed..to) {
                self.parser.feed(text);
            }
            self.fed = to;
        }
    }

    fn run(&mut self) {
        let mut at = 0;
        let mut mode = Mode::Data;
        while at < self.bytes.len() {
            at = match mode {
                Mode::Data => {
                    let Some(next) = self.data(at, &mut mode) else {
                        break;
                    };
                    next
                }
                Mode::Text(name) => {
                    mode = Mode::Data;
                    match self.raw_text_end(at, name) {
                        Some(name_end) => self.tag(name_end).0,
                        None => break,
                    }
                }
                Mode::Script => {
                    mode = Mode::Data;
                    match self.script_end(at) {
                        Some(name_end) => self.tag(name_end).0,
                        None => break,
                    }
                }
            };
        }
        self.flush(self.bytes.len());
    }

    /// From `at` in the data state to the end of the next markup; `None` at the end of the
    /// input, or when the rest is `<plaintext>`'s.
    fn data(&mut self, at: usize, mode: &mut Mode<'a>) -> Option<usize> {
        let open = at + find_byte(b'<', self.bytes.get(at..)?)?;
        let after = open + 1;
        Some(match self.byte(after)? {
            b'!' => self.markup_declaration(after + 1),
            b'/' => match self.byte(after + 1)? {
                byte if byte.is_ascii_alphabetic() => self.tag(after + 2).0,
                b'>' => after + 2,
                _ => self.bogus_comment(after + 1),
            },
            b'?' => self.bogus_comment(after),
            byte if byte.is_ascii_alphabetic() => {
                self.parser.start_tag(open);
                let (end, name_end) = self.tag(after + 1);
                let name = self.bytes.get(after..name_end).unwrap_or_default();
                if let Some(raw) = raw_name(name) {
                    self.flush(end);
                    match self.parser.take_switch() {
                        Some(Raw::Text) => *mode = Mode::Text(raw),
                        Some(Raw::Script) => *mode = Mode::Script,
                        Some(Raw::Plaintext) => return None,
                        None => {}
                    }
                }
                end
            }
            _ => after,
        })
    }

    /// After `<!`: a comment, a doctype, a CDATA section or a bogus comment.
    fn markup_declaration(&mut self, at: usize) -> usize {
        let rest = self.bytes.get(at..).unwrap_or_default();
        if rest.starts_with(b"--") {
            return self.comment(at + 2);
        }
        if rest.starts_with(b"[CDATA[") {
            // The tree builder decides: flush what comes before the `<!` and ask it.
            self.flush(at.saturating_sub(2));
            if self.parser.cdata_allowed() {
                let start = at + 7;
                return match memmem::find(self.bytes.get(start..).unwrap_or_default(), b"]]>") {
                    Some(end) => start + end + 3,
                    None => self.bytes.len(),
                };
            }
        }
        // A doctype ends at the first `>` in every one of its states, as a bogus comment does.
        self.bogus_comment(at)
    }

    fn bogus_comment(&self, at: usize) -> usize {
        match memchr(b'>', self.bytes.get(at..).unwrap_or_default()) {
            Some(end) => at + end + 1,
            None => self.bytes.len(),
        }
    }

    /// From just after `<!--` to just after the comment's end, as html5ever's comment states
    /// go.
    fn comment(&self, mut at: usize) -> usize {
        let mut state = Comment::Start;
        while let Some(byte) = self.byte(at) {
            // Each arm says the next state and whether the byte is consumed.
            let (next, consumed) = match (state, byte) {
                (Comment::Start | Comment::StartDash, b'>') => return at + 1,
                (Comment::Start, b'-') => (Comment::StartDash, true),
                (Comment::StartDash, b'-') => (Comment::End, true),
                (Comment::Start | Comment::StartDash, _) => (Comment::Text, true),
                (Comment::Text, b'<') => (Comment::LessThan, true),
                (Comment::Text, b'-') => (Comment::EndDash, true),
                (Comment::Text, _) => (Comment::Text, true),
                (Comment::LessThan, b'!') => (Comment::LessThanBang, true),
                (Comment::LessThan, b'<') => (Comment::LessThan, true),
                (Comment::LessThan, _) => (Comment::Text, false),
                (Comment::LessThanBang, b'-') => (Comment::LessThanBangDash, true),
                (Comment::LessThanBang, _) => (Comment::Text, false),
                (Comment::LessThanBangDash, b'-') => (Comment::LessThanBangDashDash, true),
                (Comment::LessThanBangDash, _) => (Comment::EndDash, false),
                (Comment::LessThanBangDashDash, _) => (Comment::End, false),
                (Comment::EndDash, b'-') => (Comment::End, true),
                (Comment::EndDash, _) => (Comment::Text, true),
                (Comment::End, b'>') => return at + 1,
                (Comment::End, b'!') => (Comment::EndBang, true),
                (Comment::End, b'-') => (Comment::End, true),
                (Comment::End, _) => (Comment::Text, false),
                (Comment::EndBang, b'-') => (Comment::EndDash, true),
                (Comment::EndBang, b'>') => return at + 1,
                (Comment::EndBang, _) => (Comment::Text, true),
            };
            state = next;
            if consumed {
                at += 1;
            }
        }
        self.bytes.len()
    }

    /// In RCDATA or RAWTEXT from `at`: just after `</name` of the next end tag for `name`.
    fn raw_text_end(&self, mut at: usize, name: &[u8]) -> Option<usize> {
        loop {
            let open = at + memchr(b'<', self.bytes.get(at..)?)?;
            if let Some(name_end) = self.end_tag_at(open, name) {
                return Some(name_end);
            }
            at = open + 1;
        }
    }

    /// Whether `</name` followed by a space, `/` or `>` starts at `open`; where the name ends.
    fn end_tag_at(&self, open: usize, name: &[u8]) -> Option<usize> {
        let start = open + 2;
        let end = start + name.len();
        let matches = self.byte(open + 1) == Some(b'/')
            && self
                .bytes
                .get(start..end)
                .is_some_and(|found| found.eq_ignore_ascii_case(name))
            && self.byte(end).is_some_and(ends_name);
        matches.then_some(end)
    }

    /// Whether a run of letters at `at` spells `script` and is followed by what ends a name;
    /// where the run ends.
    fn script_word(&self, at: usize) -> (bool, usize) {
        let letters = self
            .bytes
            .get(at..)
            .unwrap_or_default()
            .iter()
            .take_while(|byte| byte.is_ascii_alphabetic())
            .count();
        let end = at + letters;
        let word = self.bytes.get(at..end).unwrap_or_default();
        let script = word.eq_ignore_ascii_case(b"script") && self.byte(end).is_some_and(ends_name);
        (script, end)
    }

    /// In `<script>`'s text from `at`: just after `</script` of its end tag, following
    /// html5ever's script data states (an end tag inside `<!--<script>…` does not end it).
    fn script_end(&self, mut at: usize) -> Option<usize> {
        let mut state = Script::Data;
        loop {
            let byte = self.byte(at)?;
            match (state, byte) {
                (
                    Script::Data | Script::Escaped | Script::EscapedDash | Script::EscapedDashDash,
                    b'<',
                ) => {
                    if let Some(name_end) = self.end_tag_at(at, b"script") {
                        return Some(name_end);
                    }
                    let next = self.byte(at + 1);
                    if state == Script::Data {
                        if next == Some(b'!') {
                            state = Script::EscapeStart;
                            at += 2;
                            continue;
                        }
                    } else if next.is_some_and(|byte| byte.is_ascii_alphabetic()) {
                        // `<script` followed by what ends a name: double escaped.
                        let (script, end) = self.script_word(at + 1);
                        state = if script {
                            Script::DoubleEscaped
                        } else {
                            Script::Escaped
                        };
                        // The byte that ended the word is consumed with it.
                        at = if script { end + 1 } else { end };
                        continue;
                    } else {
                        state = Script::Escaped;
                    }
                    at += 1;
                }
                (Script::Data, _) => at += 1,
                (Script::EscapeStart, b'-') => {
                    state = Script::EscapeStartDash;
                    at += 1;
                }
                (Script::EscapeStartDash, b'-') => {
                    state = Script::EscapedDashDash;
                    at += 1;
                }
                (Script::EscapeStart | Script::EscapeStartDash, _) => state = Script::Data,
                (Script::Escaped, b'-') => {
                    state = Script::EscapedDash;
                    at += 1;
                }
                (Script::EscapedDash, b'-') | (Script::EscapedDashDash, b'-') => {
                    state = Script::EscapedDashDash;
                    at += 1;
                }
                (Script::EscapedDashDash, b'>') | (Script::DoubleEscapedDashDash, b'>') => {
                    state = Script::Data;
                    at += 1;
                }
                (Script::Escaped | Script::EscapedDash | Script::EscapedDashDash, _) => {
                    state = Script::Escaped;
                    at += 1;
                }
                (
                    Script::DoubleEscaped
                    | Script::DoubleEscapedDash
                    | Script::DoubleEscapedDashDash,
                    b'<',
                ) => {
                    if self.byte(at + 1) == Some(b'/') {
                        // `</script` followed by what ends a name: back to escaped.
                        let (script, end) = self.script_word(at + 2);
                        state = if script {
                            Script::Escaped
                        } else {
                            Script::DoubleEscaped
                        };
                        at = if script { end + 1 } else { end.max(at + 2) };
                    } else {
                        state = Script::DoubleEscaped;
                        at += 1;
                    }
                }
                (Script::DoubleEscaped, b'-') => {
                    state = Script::DoubleEscapedDash;
                    at += 1;
                }
                (Script::DoubleEscapedDash | Script::DoubleEscapedDashDash, b'-') => {
                    state = Script::DoubleEscapedDashDash;
                    at += 1;
                }
                (
                    Script::DoubleEscaped
                    | Script::DoubleEscapedDash
                    | Script::DoubleEscapedDashDash,
                    _,
                ) => {
                    state = Script::DoubleEscaped;
                    at += 1;
                }
            }
        }
    }

    /// From `at`, inside a tag's name, to just after its `>`, or the end of the input; the
    /// attributes past the limit are left out. Also says where the tag's name ends.
    ///
    /// Written as the tokenizer's tag states in the order they follow each other (name, spaces,
    /// attribute name, `=`, value), each a tight loop over a byte-class table or a memchr for a
    /// quoted value, rather than one state match per byte, and with the whitespace that rarely
    /// stands around `=` looked for only where there is some: callgrind, profile_html, 296 M
    /// of the 9,243 M instructions of reading the HTML bench's pages as a state match, 212 M
    /// of 9,159 M as such loops, 185 M of 9,121 M so.
    fn tag(&mut self, mut at: usize) -> (usize, usize) {
        let bytes = self.bytes;
        at += run_until(bytes, at, SPACE | SLASH | GT);
        let name_end = at;
        let mut attributes = 0usize;
        // Where the first attribute past the limit starts.
        let mut cut = None;
        // Each turn starts in the state before an attribute's name, at a byte not consumed yet
        // (after a quoted value, an unquoted one or a name without a value, the tokenizer's
        // states there act on the next byte as this one does).
        let closing: &[u8] = loop {
            let Some(&byte) = bytes.get(at) else {
                // The tokenizer drops a tag the input ends in.
                if let Some(cut) = cut {
                    self.drop_attributes(cut, bytes.len(), attributes, None);
                }
                return (bytes.len(), name_end);
            };
            match byte {
                b'>' => break b">",
                b'/' => match bytes.get(at + 1) {
                    Some(b'>') => {
                        at += 1;
                        break b"/>";
                    }
                    // `/` not before `>` is dropped, and what follows starts afresh.
                    _ => at += 1,
                },
                _ if is_space(byte) => at += 1,
                // A new attribute: its first byte is its name's, whatever it is (`=` too).
                _ => {
                    attributes += 1;
                    if attributes == MAX_ATTRIBUTES + 1 {
                        cut = Some(at);
                    }
                    at += 1;
                    at += run_until(bytes, at, SPACE | SLASH | GT | EQUALS);
                    if bytes.get(at).is_some_and(|&byte| is_space(byte)) {
                        at += spaces(bytes, at);
                    }
                    if bytes.get(at) != Some(&b'=') {
                        // `>`, `/`, another attribute or the end: as before a name.
                        continue;
                    }
                    at += 1;
                    if bytes.get(at).is_some_and(|&byte| is_space(byte)) {
                        at += spaces(bytes, at);
                    }
                    match bytes.get(at) {
                        Some(&quote @ (b'"' | b'\'')) => {
                            at += 1;
                            match find_byte(quote, bytes.get(at..).unwrap_or_default()) {
                                Some(length) => at += length + 1,
                                None => at = bytes.len(),
                            }
                        }
                        // `>` ends the tag with the value missing, as before a name.
                        Some(b'>') | None => {}
                        Some(_) => at += run_until(bytes, at, SPACE | GT),
                    }
                }
            }
        };
        let end = at + 1;
        if let Some(cut) = cut {
            self.drop_attributes(cut, end, attributes, Some(closing));
        }
        (end, name_end)
    }

    /// Feeds the tag up to `cut`, then what stands for `cut..end`: a space, a line break for
    /// each it held, and the tag's `closing` (none when the input ended inside the tag).
    fn drop_attributes(
        &mut self,
        cut: usize,
        end: usize,
        attributes: usize,
        closing: Option<&[u8]>,
    ) {
        self.flush(cut);
        let left_out = self.bytes.get(cut..end).unwrap_or_default();
        let mut stand_in = String::from(" ");
        let mut previous = 0;
        for &byte in left_out {
            if byte == b'\n' && previous != b'\r' || byte == b'\r' {
                stand_in.push('\n');
            }
            previous = byte;
        }
        if let Some(closing) = closing {
            stand_in.push_str(if closing == b"/>" { "/>" } else { ">" });
        }
        self.parser.feed(&stand_in);
        self.fed = end;
        let dropped = self.dropped.get_or_insert(Dropped {
            first: cut,
            ..Dropped::default()
        });
        dropped.attributes += attributes - MAX_ATTRIBUTES;
        dropped.tags += 1;
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn find_byte_finds_the_first() {
        let text = "0123456789abcdefghijklmnopqrstuvwxyz<ABCDEFGHIJKLMNOPQRSTUVWXYZ<é=<";
        let bytes = text.as_bytes();
        for start in 0..bytes.len() {
            let haystack = &bytes[start..];
            for needle in [b'<', b'0', b'z', b'Z', b'!', b'=', 0x80, 0xa9] {
                assert_eq!(
                    find_byte(needle, haystack),
                    haystack.iter().position(|&byte| byte == needle),
                    "{start} {needle}"
                );
            }
        }
        // A byte one above the needle, before it, does not borrow into a false match.
        assert_eq!(find_byte(b'<', b"========<"), Some(8));
        assert_eq!(find_byte(b'<', b"=<<<<<<<"), Some(1));
    }
}
