//! YAML front matter: the `key: value` subset, parsed by hand.
//!
//! Why by hand: front matter in Markdown files is, in practice, flat `key: value` lines (title,
//! tags, dates). The maintained YAML crates are large beside that need and would grow the
//! WebAssembly build for every user; `serde_yaml` is unmaintained. What this subset does not
//! cover is reported, line by line, rather than guessed at.

use std::ops::Range;

use serde_json::{Map, Number, Value};

/// Where front matter was found.
pub(crate) struct Found {
    /// The YAML between the fences.
    pub(crate) yaml: Range<usize>,
    /// Where the Markdown after the closing fence starts.
    pub(crate) body_start: usize,
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

/// Finds front matter: `---` on the first line, a non-blank second line that is not a fence, and
/// a closing `---` or `...` line (as pulldown-cmark's metadata blocks, but only at the start).
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

/// Parses the subset; returns the fields and, for every line not understood, its offset and a
/// message.
pub(crate) fn parse(text: &str, yaml: Range<usize>) -> (Map<String, Value>, Vec<(usize, String)>) {
    let mut fields = Map::new();
    let mut notes = Vec::new();
    let end = yaml.end;
    // The key whose block list (`- item` lines) is being read.
    let mut list_key: Option<String> = None;
    for (start, line) in lines_from(text, yaml.start) {
        if start >= end {
            break;
        }
        let content = strip_comment(line);
        if content.trim().is_empty() {
            continue;
        }
        let indented = content.starts_with([' ', '\t']);
        let trimmed = content.trim();
        if let (Some(key), Some(item)) = (&list_key, trimmed.strip_prefix('-')) {
            if item.is_empty() || item.starts_with([' ', '\t']) {
                if let Some(Value::Array(items)) = fields.get_mut(key) {
                    match scalar(item.trim()) {
                        Some(value) => items.push(value),
                        None => notes.push((start, unsupported(line))),
                    }
                }
                continue;
            }
        }
        list_key = None;
        if indented {
            notes.push((start, unsupported(line)));
            continue;
        }
        let Some((key, value)) = split_key(trimmed) else {
            notes.push((start, unsupported(line)));
            continue;
        };
        if value.is_empty() {
            // A block list may follow; a nested map would be reported line by line.
            fields.insert(key.clone(), Value::Array(Vec::new()));
            list_key = Some(key);
            continue;
        }
        let parsed = if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']'))
        {
            inner
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(scalar)
                .collect::<Option<Vec<_>>>()
                .map(Value::Array)
        } else {
            scalar(value)
        };
        match parsed {
            Some(value) => {
                fields.insert(key, value);
            }
            None => notes.push((start, unsupported(line))),
        }
    }
    // `key:` with nothing under it is YAML's null.
    for value in fields.values_mut() {
        if matches!(value, Value::Array(items) if items.is_empty()) {
            *value = Value::Null;
        }
    }
    (fields, notes)
}

fn unsupported(line: &str) -> String {
    format!(
        "found the front matter line `{}`, expected `key: value`, `key: [a, b]` or a `- item` \
         under `key:`; left out of the metadata",
        line.trim()
    )
}

/// The line without a trailing `# comment` (a `#` at the start or after a space, outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && (previous == ' ' || previous == '\t') => {
                return line.get(..at).unwrap_or(line);
            }
            None => {}
        }
        previous = c;
    }
    line
}

/// `key: value` with a plain or quoted key.
fn split_key(line: &str) -> Option<(String, &str)> {
    let (key, rest) = if let Some(quoted) = line.strip_prefix('"') {
        let close = quoted.find('"')?;
        (quoted.get(..close)?.to_owned(), quoted.get(close + 1..)?)
    } else if let Some(quoted) = line.strip_prefix('\'') {
        let close = quoted.find('\'')?;
        (quoted.get(..close)?.to_owned(), quoted.get(close + 1..)?)
    } else {
        let colon = line
            .find(": ")
            .or_else(|| line.strip_suffix(':').map(str::len))?;
        (line.get(..colon)?.trim().to_owned(), line.get(colon..)?)
    };
    let value = rest.strip_prefix(':')?;
    if !(value.is_empty() || value.starts_with([' ', '\t'])) || key.is_empty() {
        return None;
    }
    if key.starts_with(['-', '?', '&', '*', '!', '|', '>', '{', '[']) {
        return None;
    }
    Some((key, value.trim()))
}

/// A scalar: quoted string, null, boolean, number or plain string. Block scalars, anchors, tags
/// and flow maps are not in the subset.
fn scalar(value: &str) -> Option<Value> {
    if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        return double_quoted(inner).map(Value::String);
    }
    if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        if inner.replace("''", "").contains('\'') {
            return None;
        }
        return Some(Value::String(inner.replace("''", "'")));
    }
    if value.starts_with(['|', '>', '&', '*', '!', '{', '[', '"', '\'', '%', '@', '`']) {
        return None;
    }
    Some(match value {
        "null" | "Null" | "NULL" | "~" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => {
            if let Ok(number) = value.parse::<i64>() {
                Value::Number(number.into())
            } else if let Some(number) = value
                .parse::<f64>()
                .ok()
                .filter(|_| {
                    value
                        .bytes()
                        .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
                })
                .and_then(Number::from_f64)
            {
                Value::Number(number)
            } else {
                Value::String(value.to_owned())
            }
        }
    })
}

fn double_quoted(inner: &str) -> Option<String> {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return None,
            '\\' => out.push(match chars.next()? {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '0' => '\0',
                '"' => '"',
                '\\' => '\\',
                '/' => '/',
                ' ' => ' ',
                _ => return None,
            }),
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn reads_the_subset_and_reports_the_rest() {
        let text = "---\ntitle: \"Hello: world\"\ntags: [a, b]\ndraft: false\ncount: 3\nauthors:\n  - Ann\n  - 'Bo'\nnested:\n  key: value\n---\nbody\n";
        let found = split(text).unwrap();
        assert_eq!(&text[found.body_start..], "body\n");
        let (fields, notes) = parse(text, found.yaml);
        assert_eq!(fields["title"], "Hello: world");
        assert_eq!(fields["tags"], serde_json::json!(["a", "b"]));
        assert_eq!(fields["draft"], false);
        assert_eq!(fields["count"], 3);
        assert_eq!(fields["authors"], serde_json::json!(["Ann", "Bo"]));
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].1.contains("key: value"));
    }

    #[test]
    fn needs_a_non_blank_second_line_and_a_closing_fence() {
        assert!(split("---\n\ntitle: x\n---\n").is_none());
        assert!(split("---\ntitle: x\n").is_none());
        assert!(split("--- \ntitle: x\n...\n").is_some());
    }
}
