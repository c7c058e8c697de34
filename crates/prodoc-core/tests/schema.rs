//! The shipped JSON Schema matches the generator, and it agrees with the strict reader on valid
//! documents and on invalid ones made by mutating them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_core::arbitrary::{self, DocConfig};
use prodoc_core::{json, schema, ReadOptions};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};

#[test]
fn shipped_schema_is_the_generated_one() {
    let generated = schema::generate_string();
    if std::env::var_os("PRODOC_UPDATE_SCHEMA").is_some() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schema/productive-doc.schema.json"
        );
        std::fs::write(path, &generated).unwrap();
        return;
    }
    assert!(
        generated == schema::SCHEMA_JSON,
        "schema/productive-doc.schema.json is stale: run PRODOC_UPDATE_SCHEMA=1 cargo test -p prodoc-core --test schema"
    );
}

#[test]
fn schema_is_a_valid_draft_2020_12_schema() {
    let schema: Value = serde_json::from_str(schema::SCHEMA_JSON).unwrap();
    assert!(jsonschema::meta::is_valid(&schema));
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn real_bodies_are_valid_under_the_schema() {
    let validator = validator();
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/corpus/productive-real"
    );
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(validator.is_valid(&value), json::from_str(&text).is_ok());
        count += 1;
    }
    assert_eq!(count, 21);
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(schema::SCHEMA_JSON).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// Pointers of every node and mark object in a written document.
fn node_pointers(value: &Value, pointer: String, out: &mut Vec<String>) {
    if value.get("type").is_some() {
        out.push(pointer.clone());
    }
    for key in ["content", "marks"] {
        if let Some(Value::Array(items)) = value.get(key) {
            for (index, item) in items.iter().enumerate() {
                node_pointers(item, format!("{pointer}/{key}/{index}"), out);
            }
        }
    }
}

/// One way of breaking (or, sometimes, keeping) a document.
fn mutate(target: &mut Value, kind: u8, pick: &Index) {
    let pick_from = |options: &[Value]| options[pick.index(options.len())].clone();
    let Some(object) = target.as_object_mut() else {
        return;
    };
    match kind % 24 {
        0 => {
            object.insert("type".into(), json!("cheklist_item"));
        }
        1 => {
            let names = [
                "paragraph",
                "li",
                "text",
                "table_row",
                "table_cell",
                "doc",
                "column",
                "br",
                "heading",
                "em",
                "link",
                "strong",
            ];
            object.insert("type".into(), json!(names[pick.index(names.len())]));
        }
        2 => {
            object.remove("type");
        }
        3 => {
            object.insert("type".into(), json!(7));
        }
        4 => {
            object
                .entry("attrs")
                .or_insert(json!({}))
                .as_object_mut()
                .map(|a| a.insert("colour".into(), json!("red")));
        }
        5 => {
            object.insert("extra".into(), json!(true));
        }
        6 => {
            object.insert("marks".into(), json!([{ "type": "strong" }]));
        }
        7 => {
            object.insert("text".into(), json!(""));
        }
        8 => {
            object.remove("content");
        }
        9 => {
            object.insert("content".into(), json!([]));
        }
        10 => {
            let value = pick_from(&[
                json!(0),
                json!(4),
                json!(-1),
                json!(2.5),
                json!("2"),
                json!(null),
                json!(2),
                json!(3.0),
            ]);
            object
                .entry("attrs")
                .or_insert(json!({}))
                .as_object_mut()
                .map(|a| a.insert("level".into(), value));
        }
        11 => {
            let value = pick_from(&[
                json!("danger"),
                json!("warning"),
                json!(1),
                json!(null),
                json!("Info"),
            ]);
            object
                .entry("attrs")
                .or_insert(json!({}))
                .as_object_mut()
                .map(|a| a.insert("type".into(), value));
        }
        12 => {
            let value = pick_from(&[
                json!(0),
                json!(1),
                json!(2),
                json!(-3),
                json!(4294967296_u64),
                json!("1"),
                json!(null),
            ]);
            let key = if pick.index(2) == 0 {
                "colspan"
            } else {
                "rowspan"
            };
            object
                .entry("attrs")
                .or_insert(json!({}))
                .as_object_mut()
                .map(|a| a.insert(key.into(), value));
        }
        13 => {
            if let Some(Value::Array(content)) = object.get_mut("content") {
                let node = pick_from(&[
                    json!({"type": "text", "text": "x"}),
                    json!({"type": "li", "content": [{"type": "paragraph"}]}),
                    json!({"type": "table_cell", "content": []}),
                    json!({"type": "paragraph"}),
                    json!({"type": "divider"}),
                    json!({"type": "br"}),
                    json!({"type": "column", "content": [{"type": "paragraph"}]}),
                    json!(42),
                    json!({"type": "checklist_item", "attrs": {"checked": true}, "content": [{"type": "paragraph"}]}),
                ]);
                let at = pick.index(content.len() + 1);
                content.insert(at, node);
            }
        }
        14 => {
            if let Some(Value::Array(content)) = object.get_mut("content") {
                if !content.is_empty() {
                    let at = pick.index(content.len());
                    content.remove(at);
                }
            }
        }
        15 => {
            if let Some(Value::Array(marks)) = object.get_mut("marks") {
                if let Some(first) = marks.first().cloned() {
                    marks.push(first);
                }
            } else if object.get("type") == Some(&json!("text")) {
                object.insert("marks".into(), json!([{ "type": "em" }, { "type": "em" }]));
            }
        }
        16 => {
            let value = pick_from(&[json!(null), json!("x"), json!([]), json!(1)]);
            object.insert("attrs".into(), value);
        }
        17 => {
            object.insert("content".into(), json!({"type": "paragraph"}));
        }
        18 => {
            if let Some(attrs) = object.get_mut("attrs").and_then(Value::as_object_mut) {
                if let Some(key) = attrs.keys().nth(pick.index(attrs.len().max(1))).cloned() {
                    attrs.remove(&key);
                }
            }
        }
        19 => {
            if let Some(attrs) = object.get_mut("attrs").and_then(Value::as_object_mut) {
                if let Some(key) = attrs.keys().nth(pick.index(attrs.len().max(1))).cloned() {
                    let value = pick_from(&[
                        json!(null),
                        json!(true),
                        json!(""),
                        json!(12),
                        json!([1]),
                        json!({}),
                    ]);
                    attrs.insert(key, value);
                }
            }
        }
        20 => {
            if let Some(Value::Array(marks)) = object.get_mut("marks") {
                marks.push(pick_from(&[
                    json!({"type": "bold"}),
                    json!({"type": "link"}),
                    json!({"type": "em", "attrs": {}}),
                    json!("em"),
                ]));
            }
        }
        21 => {
            if let Some(Value::String(text)) = object.get_mut("text") {
                text.push('\n');
            }
        }
        22 => {
            object.insert(
                "content".into(),
                json!([{"type": "text", "text": "inline"}]),
            );
        }
        _ => {
            // Unchanged: valid documents keep being compared too.
        }
    }
}

/// Runs `cases` generated cases and returns (valid, invalid) counts; fails on any disagreement.
fn agreement(cases: u32, mutations: std::ops::RangeInclusive<usize>) -> (usize, usize) {
    use proptest::test_runner::{Config, TestRunner};
    let validator = validator();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let counts = std::cell::Cell::new((0usize, 0usize));
    let strategy = (
        arbitrary::doc(DocConfig::default()),
        prop::collection::vec((any::<Index>(), any::<u8>(), any::<Index>()), mutations),
    );
    let result = runner.run(&strategy, |(doc, mutations)| {
        let mut value = json::to_value(&doc).unwrap();
        for (target, kind, pick) in &mutations {
            let mut pointers = Vec::new();
            node_pointers(&value, String::new(), &mut pointers);
            // An earlier mutation can leave no node at all (the root made a scalar).
            if pointers.is_empty() {
                break;
            }
            let pointer = pointers[target.index(pointers.len())].clone();
            if let Some(node) = value.pointer_mut(&pointer) {
                mutate(node, *kind, pick);
            }
        }
        let text = value.to_string();
        let rust = json::read_str(&text, &ReadOptions::strict());
        let schema = validator.is_valid(&value);
        prop_assert_eq!(
            rust.is_ok(),
            schema,
            "document: {}\nrust: {:?}",
            text,
            rust.as_ref().err().map(|e| e.to_string())
        );
        let (valid, invalid) = counts.get();
        counts.set(if schema {
            (valid + 1, invalid)
        } else {
            (valid, invalid + 1)
        });
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
    counts.get()
}

#[test]
fn schema_and_strict_reader_agree_on_valid_documents() {
    let (valid, invalid) = agreement(4000, 0..=0);
    assert_eq!((valid, invalid), (4000, 0));
}

#[test]
fn schema_and_strict_reader_agree_on_mutated_documents() {
    let (valid, invalid) = agreement(6000, 1..=3);
    // The mutations must exercise both verdicts, or agreement proves little.
    assert!(
        invalid >= 3000,
        "only {invalid} of 6000 mutated documents were invalid"
    );
    assert!(
        valid >= 300,
        "only {valid} of 6000 mutated documents stayed valid"
    );
}
