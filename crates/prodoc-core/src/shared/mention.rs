//! Productive's mention shorthand, `@[type:id:label]`, read by the Markdown and HTML readers and
//! written by the Markdown writer.
//!
//! The grammar (the 2026 guide gives only `@[type:id:label]` and `@[user:12345:John Doe]`, so the
//! edges are prodoc's choice, made once here):
//! - `@[`, a type, `:`, an id, `:`, a label, `]`;
//! - the type and the id are one or more ASCII letters, digits, `_` and `-`;
//! - the label is one or more characters other than `[`, `]` and line breaks (`\n`, `\r`): a
//!   label holding `[` would make `@[a:1:x @[b:2:y]` ambiguous, and an empty one a pill with no
//!   text.
//!
//! [`find`] reads every shorthand of a text in one pass: a failed candidate resumes the search
//! where its scan stopped, and no scan crosses the start of another candidate, so each byte is
//! looked at a bounded number of times whatever the input.

use std::ops::Range;

use crate::{Mention, MentionKind};

/// One shorthand found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shorthand<'a> {
    /// Where it stands, from `@` to `]` inclusive.
    pub range: Range<usize>,
    /// The type, as written.
    pub kind: &'a str,
    /// The id.
    pub id: &'a str,
    /// The label.
    pub label: &'a str,
}

impl Shorthand<'_> {
    /// The mention it stands for: its label as its text child, as real bodies have it.
    pub fn to_mention(&self) -> Mention {
        Mention::new(MentionKind::parse(self.kind), self.id, self.label)
    }
}

/// Every shorthand in `text`, in order, none overlapping.
pub fn find(text: &str) -> Shorthands<'_> {
    Shorthands { text, from: 0 }
}

/// The iterator of [`find`].
#[derive(Clone, Debug)]
pub struct Shorthands<'a> {
    text: &'a str,
    from: usize,
}

impl<'a> Iterator for Shorthands<'a> {
    type Item = Shorthand<'a>;

    fn next(&mut self) -> Option<Shorthand<'a>> {
        let bytes = self.text.as_bytes();
        loop {
            // `@` then `[`: a memmem searcher is set up on every call, which cost more than the
            // search in the short texts most calls get.
            let rest = bytes.get(self.from..)?;
            let at = self.from + memchr::memchr(b'@', rest)?;
            if bytes.get(at + 1) != Some(&b'[') {
                self.from = at + 1;
                continue;
            }
            match parse(self.text, at) {
                Ok(shorthand) => {
                    self.from = shorthand.range.end;
                    return Some(shorthand);
                }
                // A later `@[` can start at the byte before where the scan stopped at the
                // earliest (an `@` is none of the bytes a scan goes over but a label's, and a
                // label stops at `[`), so no byte is scanned twice by failed candidates.
                Err(stopped) => self.from = stopped.saturating_sub(1).max(at + 1),
            }
        }
    }
}

/// Reads the shorthand whose `@` is at `at`; `Err` holds where the scan stopped.
fn parse(text: &str, at: usize) -> Result<Shorthand<'_>, usize> {
    let bytes = text.as_bytes();
    let word = |from: usize| {
        from + bytes
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| is_word_byte(b))
            .count()
    };
    let kind_start = at + 2;
    let kind_end = word(kind_start);
    if kind_end == kind_start || bytes.get(kind_end) != Some(&b':') {
        return Err(kind_end);
    }
    let id_start = kind_end + 1;
    let id_end = word(id_start);
    if id_end == id_start || bytes.get(id_end) != Some(&b':') {
        return Err(id_end);
    }
    let label_start = id_end + 1;
    let label_end = label_start
        + bytes
            .get(label_start..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| !matches!(b, b'[' | b']' | b'\n' | b'\r'))
            .count();
    if label_end == label_start || bytes.get(label_end) != Some(&b']') {
        return Err(label_end);
    }
    // Every boundary is next to an ASCII byte, so each slice is on char boundaries.
    match (
        text.get(kind_start..kind_end),
        text.get(id_start..id_end),
        text.get(label_start..label_end),
    ) {
        (Some(kind), Some(id), Some(label)) => Ok(Shorthand {
            range: at..label_end + 1,
            kind,
            id,
            label,
        }),
        _ => Err(label_end),
    }
}

/// The bytes a type or an id is made of.
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-'
}

/// Whether `word` can stand as a type or an id.
fn is_word(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(is_word_byte)
}

/// Whether `label` can stand as a label.
pub fn is_label(label: &str) -> bool {
    !label.is_empty() && !label.contains(['[', ']', '\n', '\r'])
}

/// The shorthand of `mention`, when reading it back gives the same mention: a type, id and label
/// the grammar allows, no avatar URL, and the label as its one unmarked text child.
pub fn shorthand(mention: &Mention) -> Option<String> {
    let fits = is_word(mention.kind.as_str())
        && is_word(&mention.id)
        && is_label(&mention.label)
        && mention.avatar_url.is_none()
        && crate::shared::spans::mention_text_is_label(mention);
    fits.then(|| {
        format!(
            "@[{}:{}:{}]",
            mention.kind.as_str(),
            mention.id,
            mention.label
        )
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn labels(text: &str) -> Vec<(&str, &str, &str)> {
        find(text).map(|s| (s.kind, s.id, s.label)).collect()
    }

    #[test]
    fn the_grammar() {
        assert_eq!(
            labels("Hi @[user:12345:John Doe], and @[task:7:Fix it]."),
            [("user", "12345", "John Doe"), ("task", "7", "Fix it")]
        );
        for text in [
            "@[a:b]",
            "@[user::x]",
            "@[:1:x]",
            "@[person:1:]",
            "@[person:1:a[b]",
            "email@[x",
            "@[u:1:a\nb]",
            "@[u s:1:x]",
            "@ [u:1:x]",
        ] {
            assert!(labels(text).is_empty(), "{text:?}");
        }
        // A failed candidate does not hide the one inside it.
        assert_eq!(labels("@[a:1:x @[b:2:y]"), [("b", "2", "y")]);
        assert_eq!(labels("@@[b:2:y]"), [("b", "2", "y")]);
        assert_eq!(labels("@[u:1:@x]"), [("u", "1", "@x")]);
        let found = find("ab @[u:1:é]").next().unwrap();
        assert_eq!(found.range, 3..12);
    }

    /// The grammar as stated, tried at every `@[`.
    fn stated(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(offset) = text[from..].find("@[") {
            let at = from + offset;
            let body = &text[at + 2..];
            let parsed = body.find(']').and_then(|close| {
                let mut parts = body[..close].splitn(3, ':');
                let (kind, id, label) = (parts.next()?, parts.next()?, parts.next()?);
                (is_word(kind) && is_word(id) && is_label(label)).then_some(at + 2 + close + 1)
            });
            match parsed {
                Some(end) => {
                    out.push((at, end));
                    from = end;
                }
                None => from = at + 1,
            }
        }
        out
    }

    proptest! {
        #[test]
        fn one_pass_agrees_with_the_stated_grammar(text in "[@\\[\\]:a1 \n_é-]{0,40}") {
            let found: Vec<(usize, usize)> = find(&text).map(|s| (s.range.start, s.range.end)).collect();
            prop_assert_eq!(found, stated(&text));
        }
    }
}
