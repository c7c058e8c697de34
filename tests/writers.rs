//! Every writer keeps a document or says what it changed: for generated documents of the whole
//! model, the output read back gives the same document under the writer's normal form, or the
//! writer reported at least one diagnostic whose pointer names a place that changed (the place, a
//! node inside or around it, or a later sibling: from a first difference on, nodes may move). A
//! writer that reports nothing but notes changed nothing, so `--strict` (which fails on warnings
//! and errors, not on notes) fails exactly when something was not kept.
//!
//! The normal forms, what readers give back that means the same:
//! - every writer: marks as a set (in the mark table's order), adjacent texts with the same marks
//!   as one, a mention without a text child as one whose text is its label;
//! - Markdown: an ordered list's `order: 1` as no order (Markdown's `1.` is the default start).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc::convert::{self, Format, ReadOptions, WriteOptions};
use prodoc::{Diagnostic, Doc};
use prodoc_core::arbitrary::{doc, DocConfig};
use proptest::prelude::*;
use serde_json::Value;

/// The writers under test.
#[derive(Clone, Copy, Debug)]
enum Writer {
    Markdown,
    ProductiveHtml,
    PlainHtml,
    Text,
}

impl Writer {
    fn format(self) -> Format {
        match self {
            Writer::Markdown => Format::Markdown,
            Writer::ProductiveHtml | Writer::PlainHtml => Format::Html,
            Writer::Text => Format::Text,
        }
    }

    fn options(self) -> WriteOptions {
        let mut options = WriteOptions::default();
        if let Writer::PlainHtml = self {
            options.html.dialect = prodoc::html::Dialect::Plain;
        }
        options
    }
}

/// The mark types in table order, by name.
fn mark_rank(name: &str) -> usize {
    prodoc::spec::MARKS
        .iter()
        .position(|spec| spec.name == name)
        .unwrap_or(usize::MAX)
}

/// The document as JSON, in the writer's normal form.
fn normal(doc: &Doc, writer: Writer) -> Value {
    let mut value: Value = serde_json::from_str(&prodoc::json::to_string(doc)).unwrap();
    normalise(&mut value, writer);
    value
}

fn normalise(value: &mut Value, writer: Writer) {
    match value {
        Value::Object(map) => {
            let ty = map
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            if let Some(Value::Array(marks)) = map.get_mut("marks") {
                marks.sort_by_key(|mark| mark_rank(mark["type"].as_str().unwrap_or("")));
            }
            if ty == "mention" && !map.contains_key("content") {
                let label = map["attrs"]["label"].as_str().unwrap_or("").to_owned();
                if !label.is_empty() {
                    map.insert(
                        "content".into(),
                        serde_json::json!([{"type": "text", "text": label}]),
                    );
                }
            }
            if ty == "ol" && matches!(writer, Writer::Markdown) {
                if let Some(Value::Object(attrs)) = map.get_mut("attrs") {
                    if attrs.get("order") == Some(&Value::from(1)) {
                        attrs.remove("order");
                    }
                    if attrs.is_empty() {
                        map.remove("attrs");
                    }
                }
            }
            for child in map.values_mut() {
                normalise(child, writer);
            }
            if let Some(Value::Array(content)) = map.get_mut("content") {
                merge_texts(content);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| normalise(item, writer)),
        _ => {}
    }
}

/// Joins adjacent text nodes with the same marks.
fn merge_texts(content: &mut Vec<Value>) {
    let mut out: Vec<Value> = Vec::with_capacity(content.len());
    for node in content.drain(..) {
        if let (Some(last), "text") = (out.last_mut(), node["type"].as_str().unwrap_or("")) {
            if last["type"] == "text" && last.get("marks") == node.get("marks") {
                let joined = format!(
                    "{}{}",
                    last["text"].as_str().unwrap_or(""),
                    node["text"].as_str().unwrap_or("")
                );
                last["text"] = Value::from(joined);
                continue;
            }
        }
        out.push(node);
    }
    *content = out;
}

/// The JSON Pointers of the places where `a` and `b` differ: in an array, only its first
/// differing item (what follows may only have moved).
fn changes(a: &Value, b: &Value, pointer: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            if x.get("type") != y.get("type") {
                out.push(pointer.to_owned());
                return;
            }
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let child = format!("{pointer}/{key}");
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => changes(p, q, &child, out),
                    _ => out.push(child),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for (index, pair) in x.iter().zip(y.iter()).enumerate() {
                let before = out.len();
                changes(pair.0, pair.1, &format!("{pointer}/{index}"), out);
                if out.len() > before {
                    return;
                }
            }
            if x.len() != y.len() {
                out.push(format!("{pointer}/{}", x.len().min(y.len())));
            }
        }
        _ if a != b => out.push(pointer.to_owned()),
        _ => {}
    }
}

/// Whether a diagnostic at `reported` names the change at `changed`: the same node, one inside
/// it, one around it, or a later sibling of it or of a node around it (from the first difference
/// in a list on, nodes may have moved or merged: a mention written as text joins the text before
/// it).
fn names(reported: &str, changed: &str) -> bool {
    let reported: Vec<&str> = reported.split('/').skip(1).collect();
    let changed: Vec<&str> = changed.split('/').skip(1).collect();
    let common = reported
        .iter()
        .zip(&changed)
        .take_while(|(a, b)| a == b)
        .count();
    match (reported.get(common), changed.get(common)) {
        // One is the other or inside it.
        (None, _) | (_, None) => true,
        (Some(r), Some(c)) => match (r.parse::<usize>(), c.parse::<usize>()) {
            (Ok(r), Ok(c)) => r >= c,
            _ => false,
        },
    }
}

fn check(doc: &Doc, writer: Writer) -> Result<(), TestCaseError> {
    let written = convert::write(doc, writer.format(), &writer.options());
    let back = convert::read(writer.format(), &written.text, &ReadOptions::default());
    let mut found = Vec::new();
    changes(
        &normal(doc, writer),
        &normal(&back.doc, writer),
        "",
        &mut found,
    );
    // Notes (an HTML fallback) keep everything; what `--strict` fails on is the rest.
    let diagnostics: Vec<&Diagnostic> = written
        .diagnostics
        .iter()
        .filter(|d| d.is_change())
        .collect();
    if found.is_empty() {
        prop_assert!(
            diagnostics.is_empty(),
            "{writer:?} reported a change but kept everything: {diagnostics:?}\n{}",
            written.text
        );
        return Ok(());
    }
    let named = found.iter().any(|changed| {
        diagnostics
            .iter()
            .any(|d| names(d.pointer.as_deref().unwrap_or(""), changed))
    });
    prop_assert!(
        named,
        "{writer:?} changed {found:?} without a word (reported: {diagnostics:?})\nwritten: {}\nback: {}",
        written.text,
        prodoc::json::to_string(&back.doc)
    );
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PRODOC_WRITER_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn productive_html_keeps_or_reports(doc in doc(DocConfig::default())) {
        check(&doc, Writer::ProductiveHtml)?;
    }

    #[test]
    fn markdown_keeps_or_reports(doc in doc(DocConfig::default())) {
        check(&doc, Writer::Markdown)?;
    }

    #[test]
    fn plain_html_keeps_or_reports(doc in doc(DocConfig::default())) {
        check(&doc, Writer::PlainHtml)?;
    }

    #[test]
    fn text_keeps_or_reports(doc in doc(DocConfig::default())) {
        check(&doc, Writer::Text)?;
    }
}

/// The 21 real bodies, read leniently as the API returns them.
fn real_bodies() -> Vec<(String, Doc)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/productive-real");
    let mut bodies: Vec<(String, Doc)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let text = std::fs::read_to_string(&path).ok()?;
            let doc = prodoc::json::read_str(&text, &prodoc::ReadOptions::lenient())
                .ok()?
                .doc;
            Some((path.file_name()?.to_string_lossy().into_owned(), doc))
        })
        .collect();
    bodies.sort_by(|a, b| a.0.cmp(&b.0));
    bodies
}

#[test]
fn the_real_bodies_lose_nothing_without_a_word_in_plain_html() {
    let bodies = real_bodies();
    assert_eq!(bodies.len(), 21);
    for (name, doc) in &bodies {
        check(doc, Writer::PlainHtml)
            .map_err(|error| format!("{name}: {error}"))
            .unwrap();
    }
}
