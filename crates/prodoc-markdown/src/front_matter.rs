//! YAML front matter: found by its fences, read by yaml-rust2 (a maintained YAML 1.2 parser)
//! into JSON values.
//!
//! A block between `---` fences at the start counts as front matter only when its YAML is a
//! mapping: anything else there (`---\nFoo\n---` is a rule and a heading to CommonMark) is
//! Markdown, and YAML that does not parse is Markdown too, reported.

use std::ops::Range;

use prodoc_core::shared::limits::{FRONT_MATTER_DEPTH, FRONT_MATTER_VALUES};
use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::Yaml;

/// Where front matter may be.
pub(crate) struct Found {
    /// The YAML between the fences.
    pub(crate) yaml: Range<usize>,
    /// Where the Markdown after the closing fence starts.
    pub(crate) body_start: usize,
}

/// What the block between the fences is.
pub(crate) enum FrontMatter {
    /// A YAML mapping: the fields, and for everything left out of them its offset and why.
    Fields(Map<String, Value>, Vec<(usize, String)>),
    /// YAML, but not a mapping (a scalar, a list, nothing): Markdown.
    NotAMapping,
    /// Not YAML: where and why, to report; the block is read as Markdown.
    Invalid(usize, String),
}

/// Lines with their start offsets, line breaks removed.
fn lines_from(text: &str, from: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut at = from;
    text.get(from..)
        .unwrap_or("")
        .split_inclusive('\n')
        .map(move |line| {
            let start = at;
            at += line.len();
            (start, line.trim_end_matches(['\n', '\r']))
        })
}

/// Finds the fences: `---` on the first line, a non-blank second line that is not a fence, and a
/// closing `---` or `...` line (as pulldown-cmark's metadata blocks, but only at the start).
pub(crate) fn split(text: &str) -> Option<Found> {
    let mut lines = lines_from(text, 0);
    let (_, first) = lines.next()?;
    if first.trim_end_matches([' ', '\t']) != "---" {
        return None;
    }
    let mut yaml_start = None;
    for (start, line) in lines {
        let trimmed = line.trim_end_matches([' ', '\t']);
        let fence = trimmed == "---" || trimmed == "...";
        match yaml_start {
            None => {
                if fence || trimmed.trim().is_empty() {
                    return None;
                }
                yaml_start = Some(start);
            }
            Some(yaml) if fence => {
                let after = text.get(start..)?;
                let body = after.find('\n').map_or(text.len(), |at| start + at + 1);
                return Some(Found {
                    yaml: yaml..start,
                    body_start: body,
                });
            }
            Some(_) => {}
        }
    }
    None
}

/// Reads the block between the fences; offsets in what it reports are into `text`.
pub(crate) fn parse(text: &str, yaml: Range<usize>) -> FrontMatter {
    let source = text.get(yaml.clone()).unwrap_or("");
    let mut builder = Builder {
        source,
        base: yaml.start,
        stack: Vec::new(),
        anchors: Vec::new(),
        root: None,
        values: 0,
        skipping: 0,
        notes: Vec::new(),
    };
    let mut parser = Parser::new_from_str(source);
    if let Err(error) = parser.load(&mut builder, false) {
        let offset = yaml.start + byte_offset(source, error.marker().index());
        return FrontMatter::Invalid(
            offset,
            format!(
                "found a `---` block at the start that is not YAML ({}), expected front matter; \
                 it was read as Markdown",
                error.info()
            ),
        );
    }
    match builder.root {
        Some(Value::Object(fields)) => FrontMatter::Fields(fields, builder.notes),
        _ => FrontMatter::NotAMapping,
    }
}

/// The byte offset of the `chars`-th character of `text` (yaml-rust2's markers count characters).
fn byte_offset(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(at, _)| at)
}

/// A collection being built, with its anchor id (0 for none).
enum Open {
    List(Vec<Value>, usize),
    Map(Map<String, Value>, Key, usize),
}

/// Where a map is between its entries.
enum Key {
    /// The next value is a key.
    Awaited,
    /// The next value belongs to this key.
    Named(String),
    /// The next value belongs to a key that could not be kept, and goes with it.
    LeftOut,
}

/// Builds JSON values from the parser's events, with bounded depth and alias expansion.
struct Builder<'a> {
    source: &'a str,
    /// Where `source` starts in the whole text.
    base: usize,
    stack: Vec<Open>,
    /// Anchored values by anchor id (ids count up from 1).
    anchors: Vec<(usize, Value)>,
    root: Option<Value>,
    /// Values made so far, aliases counted at their expanded size.
    values: usize,
    /// How many collections deep inside a collection being left out.
    skipping: usize,
    notes: Vec<(usize, String)>,
}

impl Builder<'_> {
    fn offset(&self, mark: Marker) -> usize {
        self.base + byte_offset(self.source, mark.index())
    }

    fn note(&mut self, mark: Marker, message: String) {
        let offset = self.offset(mark);
        self.notes.push((offset, message));
    }

    /// Puts a finished value where it belongs: the root, a list, or a map's key or value.
    fn place(&mut self, value: Value, anchor: usize, mark: Marker) {
        if anchor > 0 {
            self.anchors.push((anchor, value.clone()));
        }
        let note = match self.stack.last_mut() {
            None => {
                self.root = Some(value);
                None
            }
            Some(Open::List(items, _)) => {
                items.push(value);
                None
            }
            Some(Open::Map(map, key, _)) => match std::mem::replace(key, Key::Awaited) {
                Key::Awaited => match value {
                    Value::String(name) => {
                        *key = Key::Named(name);
                        None
                    }
                    Value::Number(_) | Value::Bool(_) | Value::Null => {
                        *key = Key::Named(value.to_string());
                        None
                    }
                    Value::Array(_) | Value::Object(_) => {
                        *key = Key::LeftOut;
                        Some(
                            "found a list or map as a front matter key, expected a scalar; the \
                             entry was left out"
                                .to_owned(),
                        )
                    }
                },
                Key::Named(name) => map.insert(name.clone(), value).map(|_| {
                    format!(
                        "found the front matter key `{name}` twice, expected each key once; the \
                         last value is kept"
                    )
                }),
                Key::LeftOut => None,
            },
        };
        if let Some(message) = note {
            self.note(mark, message);
        }
    }

    fn open(&mut self, collection: Open, mark: Marker) {
        if self.skipping > 0 {
            self.skipping += 1;
            return;
        }
        if self.stack.len() >= FRONT_MATTER_DEPTH {
            self.note(
                mark,
                format!(
                    "found front matter nested deeper than {FRONT_MATTER_DEPTH} levels, expected \
                     shallower metadata; the deeper part was left out"
                ),
            );
            self.skipping = 1;
            return;
        }
        self.stack.push(collection);
    }

    fn close(&mut self, mark: Marker) {
        if self.skipping > 0 {
            self.skipping -= 1;
            // What was left out stands as null, so that keys and values stay paired.
            if self.skipping == 0 {
                self.place(Value::Null, 0, mark);
            }
            return;
        }
        let (value, anchor) = match self.stack.pop() {
            Some(Open::List(items, anchor)) => (Value::Array(items), anchor),
            Some(Open::Map(map, _, anchor)) => (Value::Object(map), anchor),
            None => return,
        };
        self.place(value, anchor, mark);
    }

    fn counted(&mut self, size: usize, mark: Marker) -> bool {
        self.values = self.values.saturating_add(size);
        if self.values <= FRONT_MATTER_VALUES {
            return true;
        }
        if self.values.saturating_sub(size) <= FRONT_MATTER_VALUES {
            self.note(
                mark,
                format!(
                    "found front matter that expands to more than {FRONT_MATTER_VALUES} values \
                     (through aliases), expected less; the rest was left out"
                ),
            );
        }
        false
    }
}

/// How many values `value` holds, itself included (iterative: values may be deep).
fn size(value: &Value) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        count += 1;
        match value {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    count
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::SequenceStart(anchor, _) => {
                if self.counted(1, mark) {
                    self.open(Open::List(Vec::new(), anchor), mark);
                } else {
                    self.skipping += 1;
                }
            }
            Event::MappingStart(anchor, _) => {
                if self.counted(1, mark) {
                    self.open(Open::Map(Map::new(), Key::Awaited, anchor), mark);
                } else {
                    self.skipping += 1;
                }
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(mark),
            Event::Scalar(text, style, anchor, tag) => {
                if self.skipping > 0 {
                    return;
                }
                if !self.counted(1, mark) {
                    self.place(Value::Null, 0, mark);
                    return;
                }
                let plain = style == TScalarStyle::Plain && tag.is_none();
                let value = if plain {
                    scalar(&text)
                } else {
                    Value::String(text)
                };
                self.place(value, anchor, mark);
            }
            Event::Alias(id) => {
                if self.skipping > 0 {
                    return;
                }
                // The parser rejects an alias to an unknown anchor, so this always finds one.
                let value = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(anchor, _)| *anchor == id)
                    .map_or(Value::Null, |(_, value)| value.clone());
                if self.counted(size(&value), mark) {
                    self.place(value, 0, mark);
                } else {
                    self.place(Value::Null, 0, mark);
                }
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// A plain scalar as YAML 1.2's core schema resolves it: null, a boolean, a number or a string.
fn scalar(text: &str) -> Value {
    match Yaml::from_str(text) {
        Yaml::Null => Value::Null,
        Yaml::Boolean(flag) => Value::Bool(flag),
        Yaml::Integer(number) => Value::Number(number.into()),
        Yaml::Real(real) => real
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or_else(|| Value::String(real), Value::Number),
        _ => Value::String(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;

    fn read_fields(text: &str) -> (Map<String, Value>, Vec<(usize, String)>) {
        let found = split(text).unwrap();
        match parse(text, found.yaml) {
            FrontMatter::Fields(fields, notes) => (fields, notes),
            _ => panic!("not front matter"),
        }
    }

    #[test]
    fn reads_yaml_into_json() {
        let text = "---\ntitle: \"Hello: world\"\ntags: [a, b]\ndraft: false\ncount: 3\nratio: 0.5\nauthors:\n  - Ann\n  - 'Bo'\nnested:\n  key: value\nempty:\n---\nbody\n";
        let found = split(text).unwrap();
        assert_eq!(&text[found.body_start..], "body\n");
        let (fields, notes) = read_fields(text);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(fields["title"], "Hello: world");
        assert_eq!(fields["tags"], serde_json::json!(["a", "b"]));
        assert_eq!(fields["draft"], false);
        assert_eq!(fields["count"], 3);
        assert_eq!(fields["ratio"], 0.5);
        assert_eq!(fields["authors"], serde_json::json!(["Ann", "Bo"]));
        assert_eq!(fields["nested"], serde_json::json!({"key": "value"}));
        assert_eq!(fields["empty"], Value::Null);
    }

    #[test]
    fn a_block_that_is_not_a_mapping_is_markdown() {
        let text = "---\nFoo\n---\nBar\n";
        assert!(matches!(
            parse(text, split(text).unwrap().yaml),
            FrontMatter::NotAMapping
        ));
        let text = "---\na: [unclosed\n---\n";
        assert!(matches!(
            parse(text, split(text).unwrap().yaml),
            FrontMatter::Invalid(..)
        ));
    }

    #[test]
    fn aliases_expand_within_a_budget() {
        let text = "---\nbase: &b {x: 1}\ncopy: *b\n---\n";
        let (fields, notes) = read_fields(text);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(fields["copy"], serde_json::json!({"x": 1}));
        let mut laughs = String::from("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let previous = level - 1;
            let items = vec![format!("*a{previous}"); 10].join(", ");
            laughs.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        laughs.push_str("---\n");
        let (_, notes) = read_fields(&laughs);
        assert!(
            notes.iter().any(|(_, message)| message.contains("aliases")),
            "{notes:?}"
        );
    }

    #[test]
    fn deep_nesting_is_cut_and_reported() {
        let depth = FRONT_MATTER_DEPTH + 10;
        let text = format!(
            "---\nkey: {}{}\n---\n",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let (fields, notes) = read_fields(&text);
        assert!(fields.contains_key("key"));
        assert_eq!(notes.len(), 1, "{notes:?}");
    }

    #[test]
    fn needs_a_non_blank_second_line_and_a_closing_fence() {
        assert!(split("---\n\ntitle: x\n---\n").is_none());
        assert!(split("---\ntitle: x\n").is_none());
        assert!(split("--- \ntitle: x\n...\n").is_some());
    }
}
