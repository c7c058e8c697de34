//! The first pass of reading: JSON text to a loose tree of node-shaped objects.
//!
//! Nodes are read with named slots for `type`, `attrs`, `content`, `marks` and `text` instead of a
//! map per object, which is what makes strict reading faster than parsing into `serde_json::Value`.
//! Nothing here rejects anything but malformed JSON: every oddity is kept for the second pass
//! (`read.rs`), which knows where it is in the document and reports it with a JSON Pointer.
//! serde_json's recursion limit (128 levels) bounds the depth of this tree.

use std::fmt;

use compact_str::CompactString;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};

use crate::spec::{MarkType, NodeType};

/// Whatever stands where a node is expected.
#[derive(Debug)]
pub(crate) enum RawItem {
    /// A JSON object.
    Object(RawObject),
    /// Any other JSON value.
    Other(Value),
}

/// A JSON object read as a node.
#[derive(Debug, Default)]
pub(crate) struct RawObject {
    pub ty: Option<TypeTag>,
    pub attrs: Option<RawAttrs>,
    pub content: Option<RawContent>,
    pub marks: Option<RawMarks>,
    pub text: Option<RawText>,
    /// Every other key.
    pub fields: Map<String, Value>,
    /// Keys that appeared more than once (the last value is kept, as serde_json does).
    pub duplicate_keys: Vec<String>,
}

/// The value of `type`.
#[derive(Debug)]
pub(crate) enum TypeTag {
    Known(NodeType),
    Other(Value),
}

/// The value of `attrs`.
#[derive(Debug)]
pub(crate) enum RawAttrs {
    /// An object.
    Object(AttrList),
    /// Any other JSON value.
    Other(Value),
}

impl RawAttrs {
    /// The JSON value this was read from.
    pub fn into_value(self) -> Value {
        match self {
            Self::Object(list) => Value::Object(list.into_map()),
            Self::Other(value) => value,
        }
    }
}

/// The entries of an `attrs` object as a `Value` map would hold them (sorted by key, a key given
/// twice keeping its last value), in one vector with short keys inline: a node has a few
/// attributes, and a map cost an allocation per key besides its own (a strict read of 27 MB of
/// JSON made from Markdown, 73,000 `attrs`: 1,612 M -> 1,531 M instructions, callgrind
/// `profile_json`).
#[derive(Debug, Default)]
pub(crate) struct AttrList(Vec<(CompactString, Value)>);

impl AttrList {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, value)| value)
    }

    /// Takes the value of `key` out.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let index = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(index).1)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(key, _)| key.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries as a map.
    pub fn into_map(self) -> Map<String, Value> {
        self.0
            .into_iter()
            .map(|(key, value)| (key.into_string(), value))
            .collect()
    }

    /// The list of `entries` in the order they were read.
    fn from_read(mut entries: Vec<(CompactString, Value)>) -> Self {
        // Stable: of equal keys, the last read stays last, and is the one kept.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut list: Vec<(CompactString, Value)> = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            match list.last_mut() {
                Some(last) if last.0 == key => last.1 = value,
                _ => list.push((key, value)),
            }
        }
        Self(list)
    }
}

/// The value of `marks`.
#[derive(Debug)]
pub(crate) enum RawMarks {
    /// An array: each mark read into named slots, as nodes are, rather than into a map with a
    /// string for its key and another for its type (a strict read of 27 MB of JSON made from
    /// Markdown, 111,000 marks: 1,781 M -> 1,612 M instructions, callgrind `profile_json`).
    Items(Vec<RawMarkItem>),
    /// Any other JSON value.
    Other(Value),
}

/// Whatever stands where a mark is expected.
#[derive(Debug)]
pub(crate) enum RawMarkItem {
    /// A JSON object.
    Object(RawMark),
    /// Any other JSON value.
    Other(Value),
}

/// A JSON object read as a mark. A key given twice keeps its last value, as a `Value` map does.
#[derive(Debug, Default)]
pub(crate) struct RawMark {
    pub ty: Option<MarkTag>,
    pub attrs: Option<RawAttrs>,
    /// Every other key.
    pub fields: Map<String, Value>,
}

/// The value of a mark's `type`.
#[derive(Debug)]
pub(crate) enum MarkTag {
    Known(MarkType),
    Other(Value),
}

impl RawMarks {
    /// The JSON value this was read from (key order aside).
    pub fn into_value(self) -> Value {
        match self {
            Self::Items(items) => Value::Array(
                items
                    .into_iter()
                    .map(|item| match item {
                        RawMarkItem::Object(mark) => mark.into_value(),
                        RawMarkItem::Other(value) => value,
                    })
                    .collect(),
            ),
            Self::Other(value) => value,
        }
    }
}

impl RawMark {
    /// The JSON value this was read from (key order aside).
    pub fn into_value(self) -> Value {
        let mut map = self.fields;
        if let Some(ty) = self.ty {
            let value = match ty {
                MarkTag::Known(ty) => Value::String(ty.name().to_owned()),
                MarkTag::Other(value) => value,
            };
            map.insert("type".to_owned(), value);
        }
        if let Some(attrs) = self.attrs {
            map.insert("attrs".to_owned(), attrs.into_value());
        }
        Value::Object(map)
    }
}

/// The value of `text`.
#[derive(Debug)]
pub(crate) enum RawText {
    /// A string, held as the document holds text: most are short enough to be kept inline,
    /// without the allocation a `Value` string needs (a strict read of 27 MB of JSON made from
    /// Markdown: 1,868 M -> 1,781 M instructions, callgrind `profile_json`).
    Str(CompactString),
    /// Any other JSON value.
    Other(Value),
}

impl RawText {
    /// The JSON value this was read from.
    pub fn into_value(self) -> Value {
        match self {
            Self::Str(text) => Value::String(text.into_string()),
            Self::Other(value) => value,
        }
    }
}

/// The value of `content`.
#[derive(Debug)]
pub(crate) enum RawContent {
    Items(Vec<RawItem>),
    Other(Value),
}

impl RawItem {
    /// The JSON value this was read from (key order aside).
    pub fn into_value(self) -> Value {
        match self {
            Self::Object(object) => object.into_value(),
            Self::Other(value) => value,
        }
    }
}

impl RawObject {
    /// The JSON value this was read from (key order aside).
    pub fn into_value(self) -> Value {
        let mut map = self.fields;
        if let Some(ty) = self.ty {
            let value = match ty {
                TypeTag::Known(ty) => Value::String(ty.name().to_owned()),
                TypeTag::Other(value) => value,
            };
            map.insert("type".to_owned(), value);
        }
        if let Some(attrs) = self.attrs {
            map.insert("attrs".to_owned(), attrs.into_value());
        }
        if let Some(content) = self.content {
            map.insert("content".to_owned(), content.into_value());
        }
        if let Some(marks) = self.marks {
            map.insert("marks".to_owned(), marks.into_value());
        }
        if let Some(text) = self.text {
            map.insert("text".to_owned(), text.into_value());
        }
        Value::Object(map)
    }

    /// The `type` string, whatever it names.
    pub fn type_str(&self) -> Option<&str> {
        match &self.ty {
            Some(TypeTag::Known(ty)) => Some(ty.name()),
            Some(TypeTag::Other(Value::String(name))) => Some(name),
            _ => None,
        }
    }
}

impl RawContent {
    pub fn into_value(self) -> Value {
        match self {
            Self::Items(items) => {
                Value::Array(items.into_iter().map(RawItem::into_value).collect())
            }
            Self::Other(value) => value,
        }
    }
}

impl<'de> Deserialize<'de> for RawItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ItemVisitor)
    }
}

/// Builds a `Value` from whatever the visitor is given, for the non-node cases.
macro_rules! visit_scalars {
    ($wrap:expr) => {
        visit_non_strings!($wrap);
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok($wrap(Value::String(v.to_owned())))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok($wrap(Value::String(v)))
        }
    };
}

/// As `visit_scalars`, less strings.
macro_rules! visit_non_strings {
    ($wrap:expr) => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok($wrap(Value::Bool(v)))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok($wrap(Value::Number(v.into())))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok($wrap(Value::Number(v.into())))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok($wrap(
                Number::from_f64(v).map_or(Value::Null, Value::Number),
            ))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($wrap(Value::Null))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($wrap(Value::Null))
        }
    };
}

fn collect_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Value, A::Error> {
    let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0));
    while let Some(value) = seq.next_element::<Value>()? {
        values.push(value);
    }
    Ok(Value::Array(values))
}

fn collect_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Value, A::Error> {
    let mut values = Map::new();
    while let Some((key, value)) = map.next_entry::<String, Value>()? {
        values.insert(key, value);
    }
    Ok(Value::Object(values))
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = RawItem;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    visit_scalars!(RawItem::Other);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        collect_seq(seq).map(RawItem::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = RawObject::default();
        while let Some(key) = map.next_key::<Key>()? {
            let duplicate = match key {
                Key::Type => object.ty.replace(map.next_value()?).is_some(),
                Key::Attrs => object.attrs.replace(map.next_value()?).is_some(),
                Key::Content => object.content.replace(map.next_value()?).is_some(),
                Key::Marks => object.marks.replace(map.next_value()?).is_some(),
                Key::Text => object.text.replace(map.next_value()?).is_some(),
                Key::Other(ref name) => {
                    let value = map.next_value()?;
                    object.fields.insert(name.clone(), value).is_some()
                }
            };
            if duplicate {
                object.duplicate_keys.push(key_name(&key).to_owned());
            }
        }
        Ok(RawItem::Object(object))
    }
}

enum Key {
    Type,
    Attrs,
    Content,
    Marks,
    Text,
    Other(String),
}

fn key_name(key: &Key) -> &str {
    match key {
        Key::Type => "type",
        Key::Attrs => "attrs",
        Key::Content => "content",
        Key::Marks => "marks",
        Key::Text => "text",
        Key::Other(name) => name,
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "type" => Key::Type,
                    "attrs" => Key::Attrs,
                    "content" => Key::Content,
                    "marks" => Key::Marks,
                    "text" => Key::Text,
                    other => Key::Other(other.to_owned()),
                })
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for TypeTag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagVisitor;
        impl<'de> Visitor<'de> for TagVisitor {
            type Value = TypeTag;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a node type")
            }
            visit_non_strings!(TypeTag::Other);
            // Known names are matched without allocating; only unknown ones are copied.
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TypeTag, E> {
                Ok(TypeTag::from_str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<TypeTag, A::Error> {
                collect_seq(seq).map(TypeTag::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TypeTag, A::Error> {
                collect_map(map).map(TypeTag::Other)
            }
        }
        deserializer.deserialize_any(TagVisitor)
    }
}

impl TypeTag {
    fn from_str(v: &str) -> Self {
        match NodeType::from_name(v) {
            Some(ty) => Self::Known(ty),
            None => Self::Other(Value::String(v.to_owned())),
        }
    }
}

impl<'de> Deserialize<'de> for RawAttrs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AttrsVisitor;
        impl<'de> Visitor<'de> for AttrsVisitor {
            type Value = RawAttrs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("attributes")
            }
            visit_scalars!(RawAttrs::Other);
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawAttrs, A::Error> {
                collect_seq(seq).map(RawAttrs::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawAttrs, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(AttrKey(key)) = map.next_key()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(RawAttrs::Object(AttrList::from_read(entries)))
            }
        }
        deserializer.deserialize_any(AttrsVisitor)
    }
}

/// An attribute's name, inline when short.
struct AttrKey(CompactString);

impl<'de> Deserialize<'de> for AttrKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = AttrKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an attribute name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AttrKey, E> {
                Ok(AttrKey(CompactString::new(v)))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<AttrKey, E> {
                Ok(AttrKey(v.into()))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for RawMarks {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MarksVisitor;
        impl<'de> Visitor<'de> for MarksVisitor {
            type Value = RawMarks;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("marks")
            }
            visit_scalars!(RawMarks::Other);
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawMarks, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element::<RawMarkItem>()? {
                    items.push(item);
                }
                Ok(RawMarks::Items(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawMarks, A::Error> {
                collect_map(map).map(RawMarks::Other)
            }
        }
        deserializer.deserialize_any(MarksVisitor)
    }
}

impl<'de> Deserialize<'de> for RawMarkItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MarkVisitor;
        impl<'de> Visitor<'de> for MarkVisitor {
            type Value = RawMarkItem;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mark")
            }
            visit_scalars!(RawMarkItem::Other);
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawMarkItem, A::Error> {
                collect_seq(seq).map(RawMarkItem::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawMarkItem, A::Error> {
                let mut mark = RawMark::default();
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Type => mark.ty = Some(map.next_value()?),
                        Key::Attrs => mark.attrs = Some(map.next_value()?),
                        other => {
                            let value = map.next_value()?;
                            mark.fields.insert(key_name(&other).to_owned(), value);
                        }
                    }
                }
                Ok(RawMarkItem::Object(mark))
            }
        }
        deserializer.deserialize_any(MarkVisitor)
    }
}

impl<'de> Deserialize<'de> for MarkTag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagVisitor;
        impl<'de> Visitor<'de> for TagVisitor {
            type Value = MarkTag;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mark type")
            }
            visit_non_strings!(MarkTag::Other);
            // Known names are matched without allocating; only unknown ones are copied.
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MarkTag, E> {
                Ok(match MarkType::from_name(v) {
                    Some(ty) => MarkTag::Known(ty),
                    None => MarkTag::Other(Value::String(v.to_owned())),
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<MarkTag, A::Error> {
                collect_seq(seq).map(MarkTag::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MarkTag, A::Error> {
                collect_map(map).map(MarkTag::Other)
            }
        }
        deserializer.deserialize_any(TagVisitor)
    }
}

impl<'de> Deserialize<'de> for RawText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = RawText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text")
            }
            visit_non_strings!(RawText::Other);
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawText, E> {
                Ok(RawText::Str(CompactString::new(v)))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<RawText, E> {
                Ok(RawText::Str(v.into()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawText, A::Error> {
                collect_seq(seq).map(RawText::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawText, A::Error> {
                collect_map(map).map(RawText::Other)
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl<'de> Deserialize<'de> for RawContent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ContentVisitor;
        impl<'de> Visitor<'de> for ContentVisitor {
            type Value = RawContent;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("node content")
            }
            visit_scalars!(RawContent::Other);
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawContent, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element_seed(ItemSeed)? {
                    items.push(item);
                }
                Ok(RawContent::Items(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawContent, A::Error> {
                collect_map(map).map(RawContent::Other)
            }
        }
        deserializer.deserialize_any(ContentVisitor)
    }
}

struct ItemSeed;

impl<'de> DeserializeSeed<'de> for ItemSeed {
    type Value = RawItem;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<RawItem, D::Error> {
        deserializer.deserialize_any(ItemVisitor)
    }
}
