//! The JSON Schema (draft 2020-12) of the strict format, derived from [`crate::spec`].
//!
//! The same schema is kept as a file in the repository (`schema/productive-doc.schema.json`) for
//! other languages; a test fails when the file and this generator disagree.

use serde_json::{json, Map, Value};

use crate::spec::{Absent, AttrSpec, AttrType, Content, Group, NodeType, MARKS, NODES};

/// The schema file, as shipped in the repository.
pub const SCHEMA_JSON: &str = include_str!("../schema/productive-doc.schema.json");

/// Generates the schema from the node and mark tables.
pub fn generate() -> Value {
    let mut defs = Map::new();
    let group = |group: Group| -> Value {
        let refs: Vec<Value> = NODES
            .iter()
            .filter(|spec| spec.group == group)
            .map(|spec| json!({ "$ref": format!("#/$defs/{}", spec.name) }))
            .collect();
        json!({ "anyOf": refs })
    };
    defs.insert("block".into(), group(Group::Block));
    defs.insert("inline".into(), group(Group::Inline));
    let marks: Vec<Value> = MARKS
        .iter()
        .map(|spec| json!({ "$ref": format!("#/$defs/mark_{}", spec.name) }))
        .collect();
    defs.insert("mark".into(), json!({ "anyOf": marks }));
    for spec in MARKS {
        defs.insert(
            format!("mark_{}", spec.name),
            object(
                spec.name,
                spec.attrs,
                Map::new(),
                Vec::new(),
                &format!("The `{}` mark.", spec.name),
            ),
        );
    }
    defs.insert(
        "plain_text".into(),
        json!({
            "description": "A text node without marks (inside code blocks and mentions).",
            "type": "object",
            "properties": {
                "type": { "const": "text" },
                "attrs": { "type": "object", "additionalProperties": false },
                "text": { "type": "string", "minLength": 1 }
            },
            "required": ["type", "text"],
            "additionalProperties": false
        }),
    );
    for spec in NODES {
        let mut properties = Map::new();
        let mut required = Vec::new();
        if spec.ty == NodeType::Text {
            properties.insert("text".into(), json!({ "type": "string", "minLength": 1 }));
            let unique: Vec<Value> = MARKS
                .iter()
                .map(|mark| {
                    json!({
                        "contains": { "properties": { "type": { "const": mark.name } }, "required": ["type"] },
                        "minContains": 0,
                        "maxContains": 1
                    })
                })
                .collect();
            properties.insert(
                "marks".into(),
                json!({ "type": "array", "items": { "$ref": "#/$defs/mark" }, "allOf": unique }),
            );
            required.push("text");
        }
        if let Some((content, min)) = content_schema(spec.content, spec.ty) {
            properties.insert("content".into(), content);
            if min > 0 {
                required.push("content");
            }
        }
        let description = format!("The `{}` node.", spec.name);
        defs.insert(
            spec.name.into(),
            object(spec.name, spec.attrs, properties, required, &description),
        );
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Productive Document Format (strict)",
        "description": "The rich-text JSON of Productive Docs (`pages.body`), as prodoc reads it strictly. Generated from prodoc-core's node table.",
        "$ref": "#/$defs/doc",
        "$defs": defs
    })
}

/// The schema as the pretty JSON text that is kept in the repository.
pub fn generate_string() -> String {
    let mut text = serde_json::to_string_pretty(&generate()).unwrap_or_default();
    text.push('\n');
    text
}

fn object(
    name: &str,
    attrs: &[AttrSpec],
    mut properties: Map<String, Value>,
    mut required: Vec<&str>,
    description: &str,
) -> Value {
    properties.insert("type".into(), json!({ "const": name }));
    let mut attr_properties = Map::new();
    let mut attr_required = Vec::new();
    for attr in attrs {
        let mut schema = attr_schema(attr.ty);
        if attr.absent == Absent::Null {
            schema = json!({ "anyOf": [schema, { "type": "null" }] });
        }
        attr_properties.insert(attr.name.into(), schema);
        if attr.absent == Absent::Required {
            attr_required.push(attr.name);
        }
    }
    let mut attrs_schema = json!({
        "type": "object",
        "properties": attr_properties,
        "additionalProperties": false
    });
    if !attr_required.is_empty() {
        attrs_schema = with(attrs_schema, "required", json!(attr_required));
        required.push("attrs");
    }
    properties.insert("attrs".into(), attrs_schema);
    required.insert(0, "type");
    json!({
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false
    })
}

fn attr_schema(ty: AttrType) -> Value {
    match ty {
        AttrType::String => json!({ "type": "string" }),
        AttrType::NonEmptyString => json!({ "type": "string", "minLength": 1 }),
        AttrType::Bool => json!({ "type": "boolean" }),
        AttrType::HeadingLevel => json!({ "type": "integer", "minimum": 1, "maximum": 3 }),
        AttrType::BannerKind => json!({ "enum": ["info", "warning", "success", "critical"] }),
        AttrType::Span => json!({ "type": "integer", "minimum": 1, "maximum": u32::MAX }),
        AttrType::Count => json!({ "type": "integer", "minimum": 0, "maximum": u32::MAX }),
        AttrType::Counts => json!({
            "type": "array",
            "items": { "type": "integer", "minimum": 0, "maximum": u32::MAX }
        }),
        AttrType::Align => json!({ "enum": ["left", "center", "right", "justify"] }),
    }
}

/// The schema of `content` and the fewest items it needs, or `None` for leaves.
fn content_schema(content: Content, ty: NodeType) -> Option<(Value, usize)> {
    let array = |items: Value, min: usize, max: Option<usize>| {
        let mut schema = json!({ "type": "array", "items": items });
        if min > 0 {
            schema = with(schema, "minItems", json!(min));
        }
        if let Some(max) = max {
            schema = with(schema, "maxItems", json!(max));
        }
        schema
    };
    let blocks = json!({ "$ref": "#/$defs/block" });
    let inline = json!({ "$ref": "#/$defs/inline" });
    Some(match content {
        Content::Leaf => return None,
        Content::Inline => (array(inline, 0, None), 0),
        // The original guide's blockquote holds inline nodes directly; it is read (and
        // normalised to a paragraph), so the schema accepts it too.
        Content::Blocks { min } if ty == NodeType::Blockquote => (
            json!({ "anyOf": [array(blocks, min, None), array(inline, 1, None)] }),
            min,
        ),
        Content::Blocks { min } => (array(blocks, min, None), min),
        Content::ParagraphThenBlocks => {
            let schema = array(blocks, 1, None);
            let prefix = json!([{ "$ref": "#/$defs/paragraph" }]);
            (with(schema, "prefixItems", prefix), 1)
        }
        Content::Only { types, min, max } => {
            let refs: Vec<Value> = types
                .iter()
                .map(|t| json!({ "$ref": format!("#/$defs/{}", t.name()) }))
                .collect();
            let max = (max != usize::MAX).then_some(max);
            (array(json!({ "anyOf": refs }), min, max), min)
        }
        Content::CodeText => (
            array(json!({ "$ref": "#/$defs/plain_text" }), 0, Some(1)),
            0,
        ),
        Content::PlainText => (array(json!({ "$ref": "#/$defs/plain_text" }), 0, None), 0),
    })
}

/// `object` with `key` set (objects only; the schemas built here always are).
fn with(mut object: Value, key: &str, value: Value) -> Value {
    if let Value::Object(map) = &mut object {
        map.insert(key.to_owned(), value);
    }
    object
}
