//! The first pass of reading: JSON text to a loose tree of node-shaped objects, one top-level
//! block at a time ([`TopSeed`]): the second pass types each block as soon as it is read.
//!
//! Nodes are read with named slots for `type`, `attrs`, `content`, `marks` and `text` instead of a
//! map per object, which is what makes strict reading faster than parsing into `serde_json::Value`.
//! Nothing here rejects anything but malformed JSON: every oddity is kept for the second pass
//! (`read.rs`), which knows where it is in the document and reports it with a JSON Pointer.
//! serde_json's recursion limit (128 levels) bounds the depth of this tree.

use std::fmt;
use std::marker::PhantomData;

use compact_str::CompactString;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use thin_vec::ThinVec;

use crate::spec::{MarkType, NodeType};

/// Whatever stands where a node or a mark is expected: an object read into named slots, or any
/// other JSON value as read.
#[derive(Debug)]
pub(crate) enum Entry<O> {
    /// A JSON object.
    Object(O),
    /// Any other JSON value.
    Other(Value),
}

/// Whatever stands where a node is expected.
pub(crate) type RawItem = Entry<RawObject>;

/// Whatever stands where a mark is expected.
pub(crate) type RawMarkItem = Entry<RawMark>;

/// A JSON object read as a node.
#[derive(Debug, Default)]
pub(crate) struct RawObject {
    pub ty: Option<TypeTag>,
    pub attrs: Option<RawAttrs>,
    pub content: Option<RawContent>,
    pub marks: Option<RawMarks>,
    pub text: Option<RawText>,
    /// Every other key.
    pub fields: OtherFields,
    /// Keys that appeared more than once (the last value is kept, as serde_json does).
    pub duplicate_keys: ThinVec<String>,
}

// Held at compile time: a field added unboxed would bring the `memcpy` calls back unnoticed.
const _: () = assert!(std::mem::size_of::<RawItem>() <= 128);

/// The keys of a node or mark besides those with slots of their own: none in a valid document,
/// so they take a pointer's room until there is one. Each rarely used part of a [`RawObject`]
/// is boxed so that the whole is 128 bytes (208 before), which the compiler moves without calling
/// `memcpy`: moving nodes between the parser's layers had been a tenth of a strict read's
/// instructions (callgrind `profile_json`, 27 MB of JSON made from Markdown).
#[derive(Debug, Default)]
pub(crate) struct OtherFields(Option<Box<Map<String, Value>>>);

impl OtherFields {
    /// Sets `key`, returning the value it had.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        self.0.get_or_insert_with(Box::default).insert(key, value)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.as_ref()?.get(key)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().flat_map(|map| map.keys())
    }

    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|map| map.is_empty())
    }

    pub fn into_map(self) -> Map<String, Value> {
        self.0.map(|map| *map).unwrap_or_default()
    }
}

/// The value of a `type`: a name the format knows, or anything else as read.
#[derive(Debug)]
pub(crate) enum Tag<T> {
    Known(T),
    Other(Box<Value>),
}

/// A node's `type`.
pub(crate) type TypeTag = Tag<NodeType>;

/// A mark's `type`.
pub(crate) type MarkTag = Tag<MarkType>;

/// The types a [`Tag`] names.
pub(crate) trait Named: Copy {
    /// What a name is of, for serde's messages.
    const EXPECTING: &'static str;
    fn from_name(name: &str) -> Option<Self>;
    fn name(self) -> &'static str;
}

impl Named for NodeType {
    const EXPECTING: &'static str = "a node type";
    fn from_name(name: &str) -> Option<Self> {
        Self::from_name(name)
    }
    fn name(self) -> &'static str {
        self.name()
    }
}

impl Named for MarkType {
    const EXPECTING: &'static str = "a mark type";
    fn from_name(name: &str) -> Option<Self> {
        Self::from_name(name)
    }
    fn name(self) -> &'static str {
        self.name()
    }
}

impl<T: Named> IntoValue for Tag<T> {
    fn into_value(self) -> Value {
        match self {
            Self::Known(ty) => Value::String(ty.name().to_owned()),
            Self::Other(value) => *value,
        }
    }
}

/// The value of `attrs`.
#[derive(Debug)]
pub(crate) enum RawAttrs {
    /// An object.
    Object(AttrList),
    /// Any other JSON value.
    Other(Box<Value>),
}

impl IntoValue for RawAttrs {
    fn into_value(self) -> Value {
        match self {
            Self::Object(list) => Value::Object(list.into_map()),
            Self::Other(value) => *value,
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

/// An array of `T`, or any other JSON value as read: a node's `content`, a text node's `marks`.
#[derive(Debug)]
pub(crate) enum Items<T> {
    Items(Vec<T>),
    Other(Box<Value>),
}

/// The value of `content`.
pub(crate) type RawContent = Items<RawItem>;

/// The value of `marks`: each mark read into named slots, as nodes are, rather than into a map
/// with a string for its key and another for its type (a strict read of 27 MB of JSON made from
/// Markdown, 111,000 marks: 1,781 M -> 1,612 M instructions, callgrind `profile_json`).
pub(crate) type RawMarks = Items<RawMarkItem>;

/// What can be turned back into the JSON value it was read from (key order aside).
pub(crate) trait IntoValue {
    fn into_value(self) -> Value;
}

impl<T: IntoValue> IntoValue for Items<T> {
    fn into_value(self) -> Value {
        match self {
            Self::Items(items) => Value::Array(items.into_iter().map(T::into_value).collect()),
            Self::Other(value) => *value,
        }
    }
}

/// A JSON object read as a mark. A key given twice keeps its last value, as a `Value` map does.
#[derive(Debug, Default)]
pub(crate) struct RawMark {
    pub ty: Option<MarkTag>,
    pub attrs: Option<RawAttrs>,
    /// Every other key.
    pub fields: OtherFields,
}

impl<O: IntoValue> IntoValue for Entry<O> {
    fn into_value(self) -> Value {
        match self {
            Self::Object(object) => object.into_value(),
            Self::Other(value) => value,
        }
    }
}

impl IntoValue for RawMark {
    fn into_value(self) -> Value {
        let mut map = self.fields.into_map();
        if let Some(ty) = self.ty {
            map.insert("type".to_owned(), ty.into_value());
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
    Other(Box<Value>),
}

impl IntoValue for RawText {
    fn into_value(self) -> Value {
        match self {
            Self::Str(text) => Value::String(text.into_string()),
            Self::Other(value) => *value,
        }
    }
}

impl IntoValue for RawObject {
    fn into_value(self) -> Value {
        let mut map = self.fields.into_map();
        if let Some(ty) = self.ty {
            map.insert("type".to_owned(), ty.into_value());
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
}

impl RawObject {
    /// The `type` string, whatever it names.
    pub fn type_str(&self) -> Option<&str> {
        match &self.ty {
            Some(TypeTag::Known(ty)) => Some(ty.name()),
            Some(TypeTag::Other(other)) => other.as_str(),
            None => None,
        }
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

impl<'de, O: Slots> Deserialize<'de> for Entry<O> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor<O>(PhantomData<O>);
        impl<'de, O: Slots> Visitor<'de> for EntryVisitor<O> {
            type Value = Entry<O>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            visit_scalars!(Entry::Other);
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Entry<O>, A::Error> {
                collect_seq(seq).map(Entry::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entry<O>, A::Error> {
                let mut object = O::default();
                while let Some(key) = map.next_key::<Key>()? {
                    object.read(key, &mut map)?;
                }
                Ok(Entry::Object(object))
            }
        }
        deserializer.deserialize_any(EntryVisitor(PhantomData))
    }
}

/// An object whose keys are read into named slots.
pub(crate) trait Slots: Default {
    /// Reads the value of `key`, the next in `map`.
    fn read<'de, A: MapAccess<'de>>(&mut self, key: Key, map: &mut A) -> Result<(), A::Error>;
}

impl Slots for RawObject {
    fn read<'de, A: MapAccess<'de>>(&mut self, key: Key, map: &mut A) -> Result<(), A::Error> {
        let duplicate = match key {
            Key::Type => self.ty.replace(map.next_value()?).is_some(),
            Key::Attrs => self.attrs.replace(map.next_value()?).is_some(),
            Key::Content => self.content.replace(map.next_value()?).is_some(),
            Key::Marks => self.marks.replace(map.next_value()?).is_some(),
            Key::Text => self.text.replace(map.next_value()?).is_some(),
            Key::Other(ref name) => {
                let value = map.next_value()?;
                self.fields.insert(name.clone(), value).is_some()
            }
        };
        if duplicate {
            self.duplicate_keys.push(key_name(&key).to_owned());
        }
        Ok(())
    }
}

impl Slots for RawMark {
    fn read<'de, A: MapAccess<'de>>(&mut self, key: Key, map: &mut A) -> Result<(), A::Error> {
        match key {
            Key::Type => self.ty = Some(map.next_value()?),
            Key::Attrs => self.attrs = Some(map.next_value()?),
            other => {
                let value = map.next_value()?;
                self.fields.insert(key_name(&other).to_owned(), value);
            }
        }
        Ok(())
    }
}

pub(crate) enum Key {
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

/// A value read as a string of its own kind when it is one, and kept as any other JSON value
/// when it is not: a node's or a mark's `type`, a text node's `text`.
trait StrOrOther: Sized {
    /// What the value is, for serde's messages.
    const EXPECTING: &'static str;
    fn from_text(text: &str) -> Self;
    /// An owned string, by default as a borrowed one.
    fn from_owned(text: String) -> Self {
        Self::from_text(&text)
    }
    fn other(value: Value) -> Self;
}

struct StrOrOtherVisitor<T>(PhantomData<T>);

impl<'de, T: StrOrOther> Visitor<'de> for StrOrOtherVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }
    visit_non_strings!(T::other);
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from_text(v))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::from_owned(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        collect_seq(seq).map(T::other)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        collect_map(map).map(T::other)
    }
}

fn str_or_other<'de, T: StrOrOther, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(StrOrOtherVisitor(PhantomData))
}

// Known names are matched without allocating; only unknown ones are copied.
impl<T: Named> StrOrOther for Tag<T> {
    const EXPECTING: &'static str = T::EXPECTING;
    fn from_text(text: &str) -> Self {
        match T::from_name(text) {
            Some(ty) => Self::Known(ty),
            None => Self::Other(Box::new(Value::String(text.to_owned()))),
        }
    }
    fn other(value: Value) -> Self {
        Self::Other(Box::new(value))
    }
}

impl<'de, T: Named> Deserialize<'de> for Tag<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        str_or_other(deserializer)
    }
}

impl StrOrOther for RawText {
    const EXPECTING: &'static str = "text";
    fn from_text(text: &str) -> Self {
        Self::Str(CompactString::new(text))
    }
    fn from_owned(text: String) -> Self {
        Self::Str(text.into())
    }
    fn other(value: Value) -> Self {
        Self::Other(Box::new(value))
    }
}

impl<'de> Deserialize<'de> for RawText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        str_or_other(deserializer)
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
            visit_scalars!(|value| RawAttrs::Other(Box::new(value)));
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawAttrs, A::Error> {
                collect_seq(seq).map(|value| RawAttrs::Other(Box::new(value)))
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

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Items<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemsVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ItemsVisitor<T> {
            type Value = Items<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            visit_scalars!(|value| Items::Other(Box::new(value)));
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items<T>, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Items::Items(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Items<T>, A::Error> {
                collect_map(map).map(|value| Items::Other(Box::new(value)))
            }
        }
        deserializer.deserialize_any(ItemsVisitor(PhantomData))
    }
}

/// Takes the items of the top-level node's `content` one at a time, as each is read, so that the
/// second pass can type each one and let its loose tree go before the next is read.
pub(crate) trait ItemSink {
    /// Takes the item at `index` of the top-level `content`.
    fn take(&mut self, index: usize, item: RawItem);
    /// Forgets what was taken: a second `content` key replaces the first, as the last value of a
    /// repeated key does everywhere else.
    fn restart(&mut self);
}

/// The top-level value of a document's text.
pub(crate) struct TopItem {
    pub item: RawItem,
    /// Whether `content` was an array whose items went to the sink; the object's own `content`
    /// slot is then empty. Any other `content` value stays in the slot, as read.
    pub content_taken: bool,
}

/// Reads the top-level value as [`RawItem`] does, except that the items of an object's
/// `content` array go to a sink as each is read. The loose tree of the whole document was what
/// reading JSON held at its peak: `prodoc validate` of 27 MB of JSON made from Markdown peaked
/// at 262 MiB (10.2x the input) with it.
pub(crate) struct TopSeed<'s, S>(pub &'s mut S);

impl<'de, S: ItemSink> de::DeserializeSeed<'de> for TopSeed<'_, S> {
    type Value = TopItem;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<TopItem, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, S: ItemSink> Visitor<'de> for TopSeed<'_, S> {
    type Value = TopItem;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    visit_scalars!(|value| TopItem {
        item: Entry::Other(value),
        content_taken: false,
    });
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<TopItem, A::Error> {
        Ok(TopItem {
            item: Entry::Other(collect_seq(seq)?),
            content_taken: false,
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopItem, A::Error> {
        let mut object = RawObject::default();
        let mut content_taken = false;
        while let Some(key) = map.next_key::<Key>()? {
            if !matches!(key, Key::Content) {
                object.read(key, &mut map)?;
                continue;
            }
            if content_taken || object.content.is_some() {
                object.duplicate_keys.push("content".to_owned());
                object.content = None;
                self.0.restart();
            }
            let other = map.next_value_seed(ContentSeed(&mut *self.0))?;
            content_taken = other.is_none();
            object.content = other.map(|value| Items::Other(Box::new(value)));
        }
        Ok(TopItem {
            item: Entry::Object(object),
            content_taken,
        })
    }
}

/// A top-level `content`: an array's items go to the sink (`None` comes back), any other value
/// comes back as read.
struct ContentSeed<'s, S>(&'s mut S);

impl<'de, S: ItemSink> de::DeserializeSeed<'de> for ContentSeed<'_, S> {
    type Value = Option<Value>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<Value>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, S: ItemSink> Visitor<'de> for ContentSeed<'_, S> {
    type Value = Option<Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }
    visit_scalars!(Some);
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
        let mut index = 0;
        while let Some(item) = seq.next_element::<RawItem>()? {
            self.0.take(index, item);
            index += 1;
        }
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        collect_map(map).map(Some)
    }
}
