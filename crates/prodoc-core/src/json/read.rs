//! Reading JSON into a [`Doc`]: strictly (every violation reported, each with a JSON Pointer) or
//! leniently (anything that cannot be typed is kept as read, so that writing loses nothing).

use std::sync::Arc;

use serde::de::DeserializeSeed;
use serde_json::Value;

use crate::attrs::{Align, BannerKind, HeadingLevel, MentionKind, Span};
use crate::codes::{self, Code};
use crate::diag::{Diagnostic, Position, Severity};
use crate::model::*;
use crate::raw::{
    AttrList, IntoValue, ItemSink, MarkTag, RawAttrs, RawContent, RawItem, RawMark, RawMarkItem,
    RawMarks, RawObject, RawText, TopSeed, TypeTag,
};
use crate::spec::{self, Absent, AttrSpec, AttrType, MarkType, NodeType, MARKS, NODES};

/// How much of the format's rules reading enforces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Every rule: any violation fails the read. The default.
    #[default]
    Strict,
    /// Accept what can be accepted and keep the rest as [`RawNode`]s and [`Extra`] fields; the
    /// violations come back as warnings.
    Lenient,
}

/// Options for reading JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// Strict or lenient. Default: strict.
    pub mode: Mode,
    /// The deepest node nesting accepted, counting `doc` as 0. Default: [`ReadOptions::MAX_DEPTH`].
    /// Deeper nesting is a `nesting-too-deep` error; in lenient mode the node is kept raw.
    pub max_depth: usize,
}

impl ReadOptions {
    /// The default depth limit: [`crate::shared::limits::MAX_DEPTH`], where its reason is.
    pub const MAX_DEPTH: usize = crate::shared::limits::MAX_DEPTH;

    /// Strict reading with the default depth limit.
    pub fn strict() -> Self {
        Self {
            mode: Mode::Strict,
            max_depth: Self::MAX_DEPTH,
        }
    }

    /// Lenient reading with the default depth limit.
    pub fn lenient() -> Self {
        Self {
            mode: Mode::Lenient,
            ..Self::strict()
        }
    }
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self::strict()
    }
}

/// Which of the three shapes users hold the input had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputShape {
    /// A bare document: `{"type":"doc",…}`.
    Document,
    /// The API's body string: a JSON string whose content is the document.
    BodyString,
    /// A JSON:API page resource: `{"data":{"attributes":{"body":"…"}}}`.
    PageResource,
}

/// A successful read.
#[derive(Debug)]
pub struct Read {
    /// The document.
    pub doc: Doc,
    /// Warnings: forms that were normalised and, in lenient mode, every rule the input broke.
    pub diagnostics: Vec<Diagnostic>,
    /// The shape the input had.
    pub shape: InputShape,
}

/// A failed read: the input is not JSON, not a document, or (strict mode) breaks rules.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", summary(.diagnostics))]
pub struct ReadError {
    /// Every problem found, errors first in document order, then warnings.
    pub diagnostics: Vec<Diagnostic>,
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    match diagnostics.iter().find(|d| d.is_error()) {
        Some(first) if errors > 1 => format!("{first} (and {} more errors)", errors - 1),
        Some(first) => first.to_string(),
        None => "invalid document".to_owned(),
    }
}

/// Reads a document strictly.
pub fn from_str(input: &str) -> Result<Doc, ReadError> {
    read_str(input, &ReadOptions::strict()).map(|read| read.doc)
}

/// Reads a document in any of the three shapes ([`InputShape`]).
pub fn read_str(input: &str, options: &ReadOptions) -> Result<Read, ReadError> {
    let input = crate::shared::input::without_bom(input);
    let trimmed = input.trim_start();
    if trimmed.starts_with('"') {
        let body: String = serde_json::from_str(input).map_err(|e| syntax_error(&e, None))?;
        return read_document(
            &body,
            options,
            InputShape::BodyString,
            Some("the body string"),
        );
    }
    let top = read_top(input, options, None)?;
    match top.item {
        RawItem::Object(object) if object.ty.is_none() && object.fields.contains_key("data") => {
            read_page_resource(object, options)
        }
        _ => read_item(top, options, InputShape::Document),
    }
}

fn read_document(
    input: &str,
    options: &ReadOptions,
    shape: InputShape,
    inside: Option<&str>,
) -> Result<Read, ReadError> {
    let top = read_top(input, options, inside)?;
    read_item(top, options, shape)
}

/// The top-level value, its `content` items typed as each was read.
struct Top {
    item: RawItem,
    /// The blocks of an array `content` and what reading them found; `None` when `content` was
    /// absent or not an array (then it is in `item`, as read).
    content: Option<TopBlocks>,
}

/// Types each item of the top-level `content` as soon as it is read, as the `content` of a `doc`
/// (whether the top-level value is one is known only at its end: keys come in any order).
struct TopBlocks {
    reader: Reader,
    blocks: Vec<Block>,
}

impl ItemSink for TopBlocks {
    fn take(&mut self, index: usize, item: RawItem) {
        let block = self
            .reader
            .child_at(index, item, NodeType::Doc, 0, Reader::block, Block::Raw);
        self.blocks.push(block);
    }
    fn restart(&mut self) {
        self.blocks.clear();
        self.reader.diagnostics.clear();
    }
}

fn read_top(input: &str, options: &ReadOptions, inside: Option<&str>) -> Result<Top, ReadError> {
    let mut sink = TopBlocks {
        reader: Reader::new(options),
        blocks: Vec::new(),
    };
    let mut deserializer = serde_json::Deserializer::from_str(input);
    let top = TopSeed(&mut sink)
        .deserialize(&mut deserializer)
        .and_then(|top| deserializer.end().map(|()| top))
        .map_err(|e| syntax_error(&e, inside))?;
    Ok(Top {
        item: top.item,
        content: top.content_taken.then_some(sink),
    })
}

fn read_page_resource(object: RawObject, options: &ReadOptions) -> Result<Read, ReadError> {
    let body = object
        .fields
        .get("data")
        .and_then(|data| data.get("attributes"))
        .and_then(|attributes| attributes.get("body"));
    match body {
        Some(Value::String(body)) => read_document(
            body,
            options,
            InputShape::PageResource,
            Some("/data/attributes/body"),
        ),
        // A body sent as an object is what users hold when they build the resource by hand.
        Some(body @ Value::Object(_)) => {
            let text = body.to_string();
            read_document(&text, options, InputShape::PageResource, None)
        }
        Some(other) => Err(single_error(
            "/data/attributes/body",
            codes::WRONG_TYPE,
            format!(
                "found {}, expected the body as a JSON string",
                describe(other)
            ),
        )),
        None => Err(single_error(
            "/data/attributes",
            codes::NOT_A_DOCUMENT,
            "found a JSON:API resource without `data.attributes.body`, expected a page",
        )),
    }
}

fn single_error(pointer: &str, code: Code, message: impl Into<String>) -> ReadError {
    ReadError {
        diagnostics: vec![Diagnostic::error_at(pointer, code, message)],
    }
}

fn syntax_error(error: &serde_json::Error, inside: Option<&str>) -> ReadError {
    let text = error.to_string();
    // serde_json appends " at line L column C"; the position is given apart.
    let message = match text.rfind(" at line ") {
        Some(cut) => text.get(..cut).unwrap_or(&text).to_owned(),
        None => text,
    };
    let (code, message) = if message.contains("recursion limit exceeded") {
        (
            codes::JSON_TOO_DEEP,
            "found JSON nested more than 128 levels deep, expected a document within the depth limit"
                .to_owned(),
        )
    } else {
        (codes::INVALID_JSON, format!("invalid JSON: {message}"))
    };
    let message = match inside {
        Some(place) => format!("{message} (inside {place})"),
        None => message,
    };
    ReadError {
        diagnostics: vec![Diagnostic {
            severity: Severity::Error,
            code,
            message,
            hint: None,
            pointer: None,
            position: Some(Position {
                line: error.line(),
                column: error.column(),
            }),
        }],
    }
}

fn read_item(top: Top, options: &ReadOptions, shape: InputShape) -> Result<Read, ReadError> {
    let Top { item, content } = top;
    let object = match item {
        RawItem::Object(object) if matches!(object.ty, Some(TypeTag::Known(NodeType::Doc))) => {
            object
        }
        RawItem::Object(object) => {
            let found = match object.type_str() {
                Some(name) => format!("a `{name}` node"),
                None => "an object without a node `type`".to_owned(),
            };
            return Err(single_error(
                "",
                codes::NOT_A_DOCUMENT,
                format!("found {found}, expected a `doc` node, a body string or a page resource"),
            ));
        }
        RawItem::Other(value) => {
            return Err(single_error(
                "",
                codes::NOT_A_DOCUMENT,
                format!(
                    "found {}, expected a `doc` node, a body string or a page resource",
                    describe(&value)
                ),
            ))
        }
    };
    let (mut reader, blocks) = match content {
        Some(TopBlocks { reader, blocks }) => (reader, Some(blocks)),
        None => (Reader::new(options), None),
    };
    let doc = reader.doc(object, blocks);
    let Reader {
        mut diagnostics, ..
    } = reader;
    if diagnostics.iter().any(Diagnostic::is_error) {
        if options.mode == Mode::Strict {
            return Err(ReadError { diagnostics });
        }
        for diagnostic in &mut diagnostics {
            diagnostic.severity = Severity::Warning;
        }
    }
    Ok(Read {
        doc,
        diagnostics,
        shape,
    })
}

/// A short description of a JSON value for "found X" messages.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 40 => {
            let head: String = s.chars().take(40).collect();
            format!("the string \"{head}…\"")
        }
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

fn push_pointer_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// An attribute as it stood in `attrs`.
enum Found {
    Absent,
    Null,
    Value(Value),
}

/// A node's `attrs`, taken apart attribute by attribute as the typed node is built.
struct Attrs {
    map: AttrList,
    spelling: Spelling,
}

impl Attrs {
    fn take(&mut self, index: u8, spec: &AttrSpec) -> Found {
        let found = match self.map.remove(spec.name) {
            None => Found::Absent,
            Some(Value::Null) => Found::Null,
            Some(value) => Found::Value(value),
        };
        let deviates = matches!(
            (&found, spec.absent),
            (Found::Absent, Absent::Null | Absent::Default)
                | (Found::Null, Absent::Omit | Absent::Default)
        );
        if deviates {
            self.spelling.set(Spelling::attr(index));
        }
        found
    }

    fn string(&mut self, index: u8, spec: &AttrSpec) -> Option<String> {
        match self.take(index, spec) {
            Found::Value(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    fn count(&mut self, index: u8, spec: &AttrSpec) -> Option<u32> {
        match self.take(index, spec) {
            Found::Value(value) => as_int(&value).and_then(|n| u32::try_from(n).ok()),
            _ => None,
        }
    }

    fn value(&mut self, index: u8, spec: &AttrSpec) -> Option<Value> {
        match self.take(index, spec) {
            Found::Value(value) => Some(value),
            _ => None,
        }
    }
}

struct Reader {
    lenient: bool,
    max_depth: usize,
    diagnostics: Vec<Diagnostic>,
    /// Where the value being read is: a step per level, made into a JSON Pointer only when a
    /// diagnostic needs one. Writing the pointer as reading descended (an index formatted for
    /// every node) took 7% of a strict read's instructions (callgrind, 27 MB of JSON made from
    /// the Markdown bench's 10 MB file) although a valid document never shows it.
    path: Vec<Step>,
}

/// One step down from a node, in [`Reader::path`].
#[derive(Clone, Copy)]
enum Step {
    /// Into `content`, to the child at this index.
    Content(usize),
    /// Into `marks`, to the mark at this index.
    Marks(usize),
}

impl Reader {
    fn new(options: &ReadOptions) -> Self {
        Self {
            lenient: options.mode == Mode::Lenient,
            max_depth: options.max_depth,
            diagnostics: Vec::new(),
            path: Vec::new(),
        }
    }

    /// Reports an error at the current pointer extended by `keys`.
    fn report(
        &mut self,
        keys: &[&str],
        code: Code,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let mut pointer = self.pointer();
        for key in keys {
            push_pointer_token(&mut pointer, key);
        }
        let mut diagnostic = Diagnostic::error_at(pointer, code, message);
        diagnostic.hint = hint;
        self.diagnostics.push(diagnostic);
    }

    /// The JSON Pointer of the value being read.
    fn pointer(&self) -> String {
        let mut pointer = String::new();
        for step in &self.path {
            let (key, index) = match step {
                Step::Content(index) => ("/content/", index),
                Step::Marks(index) => ("/marks/", index),
            };
            pointer.push_str(key);
            pointer.push_str(&index.to_string());
        }
        pointer
    }

    fn error(&mut self, code: Code, message: impl Into<String>) {
        self.report(&[], code, message, None);
    }

    fn error_at_key(&mut self, keys: &[&str], code: Code, message: impl Into<String>) {
        self.report(keys, code, message, None);
    }

    fn warning(&mut self, code: Code, message: impl Into<String>) {
        let diagnostic =
            Diagnostic::error_at(self.pointer(), code, message).with_severity(Severity::Warning);
        self.diagnostics.push(diagnostic);
    }

    /// Reads the top-level `doc`; `read_blocks` are its `content` when they were typed as they
    /// were read (what that found is in `diagnostics` already, and goes after what is found
    /// about the `doc` itself, as when the content is read after it).
    fn doc(&mut self, mut object: RawObject, read_blocks: Option<Vec<Block>>) -> Doc {
        let spec = NodeType::Doc.spec();
        let found_in_content = std::mem::take(&mut self.diagnostics);
        self.check_node(&object, spec);
        let (_attrs, extra, mut spelling) = self.take_common(&mut object, spec);
        let content = match read_blocks {
            Some(blocks) => {
                // `content` was an array, so the canonical spelling (always written) holds.
                spelling.0 &= !Spelling::CONTENT;
                self.diagnostics.extend(found_in_content);
                self.check_child_count(NodeType::Doc, blocks.len());
                blocks
            }
            None => {
                // Canonical `doc` spelling writes `content` even when empty.
                if object.content.is_none() {
                    spelling.set(Spelling::CONTENT);
                } else if matches!(&object.content, Some(RawContent::Items(items)) if items.is_empty())
                {
                    spelling.0 &= !Spelling::CONTENT;
                }
                self.blocks(object.content.take(), NodeType::Doc, 0)
            }
        };
        Doc {
            content,
            extra,
            spelling,
        }
    }

    /// Checks everything about a node but its children; false when the node cannot be typed.
    fn check_node(&mut self, object: &RawObject, spec: &spec::NodeSpec) -> bool {
        let mut typeable = true;
        for key in &object.duplicate_keys {
            self.error(
                codes::DUPLICATE_KEY,
                format!("found the key `{key}` more than once, expected each key once"),
            );
            typeable = false;
        }
        if object.marks.is_some() && spec.ty != NodeType::Text {
            self.error_at_key(
                &["marks"],
                codes::MARKS_ON_NON_TEXT,
                format!(
                    "found `marks` on a `{}` node, expected marks only on `text`",
                    spec.name
                ),
            );
        }
        if object.text.is_some() && spec.ty != NodeType::Text {
            self.error_at_key(
                &["text"],
                codes::UNKNOWN_FIELD,
                format!(
                    "found `text` on a `{}` node, expected it only on `text`",
                    spec.name
                ),
            );
        }
        if object.content.is_some() && spec.content == spec::Content::Leaf {
            self.error_at_key(
                &["content"],
                codes::UNKNOWN_FIELD,
                format!(
                    "found `content` on a `{}` node, which holds nothing",
                    spec.name
                ),
            );
        }
        if let Some(RawContent::Other(value)) = &object.content {
            let found = describe(value);
            self.error_at_key(
                &["content"],
                codes::WRONG_TYPE,
                format!("found {found}, expected an array of nodes"),
            );
            typeable = false;
        }
        for key in object.fields.keys() {
            let known = ["type", "attrs", "content", "marks", "text"];
            let hint =
                spec::did_you_mean(key, known).map(|close| format!("did you mean `{close}`?"));
            self.report(
                &[key],
                codes::UNKNOWN_FIELD,
                format!(
                    "found the field `{key}`, expected only {}",
                    known.join(", ")
                ),
                hint,
            );
        }
        if spec.ty == NodeType::Text {
            typeable &= self.check_text_fields(object);
        }
        if matches!(
            spec.content,
            spec::Content::CodeText | spec::Content::PlainText
        ) && self.lenient
        {
            // Lenient reading types these only when their text children can be kept exactly.
            if !plain_text_children(object.content.as_ref(), spec.content) {
                self.error(
                    codes::MISPLACED_NODE,
                    format!("found content in `{}` other than plain text, expected plain text; kept as read", spec.name),
                );
                typeable = false;
            }
        }
        typeable &= self.check_attrs(object.attrs.as_ref(), spec.attrs, spec.name);
        typeable
    }

    /// A text node's `text` and `marks` must have the right JSON types for it to be typed.
    fn check_text_fields(&mut self, object: &RawObject) -> bool {
        let mut ok = true;
        match &object.text {
            Some(RawText::Str(_)) => {}
            Some(RawText::Other(other)) => {
                let found = describe(other);
                self.error_at_key(
                    &["text"],
                    codes::WRONG_TYPE,
                    format!("found {found}, expected a string"),
                );
                ok = false;
            }
            None => {
                self.error(
                    codes::MISSING_ATTRIBUTE,
                    "found a `text` node without `text`, expected a non-empty string",
                );
                ok = false;
            }
        }
        if let Some(RawMarks::Other(marks)) = &object.marks {
            let found = describe(marks);
            self.error_at_key(
                &["marks"],
                codes::WRONG_TYPE,
                format!("found {found}, expected an array of marks"),
            );
            ok = false;
        }
        ok
    }

    /// Checks `attrs` against `specs`; false when a value cannot be typed.
    fn check_attrs(&mut self, attrs: Option<&RawAttrs>, specs: &[AttrSpec], owner: &str) -> bool {
        let map = match attrs {
            None => {
                let mut ok = true;
                for spec in specs.iter().filter(|s| s.absent == Absent::Required) {
                    self.error(
                        codes::MISSING_ATTRIBUTE,
                        format!("found no `attrs`, expected `{}` on `{owner}`", spec.name),
                    );
                    ok = false;
                }
                return ok;
            }
            Some(RawAttrs::Object(map)) => map,
            Some(RawAttrs::Other(other)) => {
                let found = describe(other);
                self.error_at_key(
                    &["attrs"],
                    codes::WRONG_TYPE,
                    format!("found {found}, expected an object of attributes"),
                );
                return false;
            }
        };
        let mut ok = true;
        for spec in specs {
            match map.get(spec.name) {
                None if spec.absent == Absent::Required => {
                    self.error_at_key(
                        &["attrs"],
                        codes::MISSING_ATTRIBUTE,
                        format!("found no `{}`, expected it on `{owner}`", spec.name),
                    );
                    ok = false;
                }
                None => {}
                Some(Value::Null) if spec.absent == Absent::Null => {}
                Some(value) => {
                    if let Err((code, expected, hint)) = check_value(spec.ty, value) {
                        let found = describe(value);
                        self.report(
                            &["attrs", spec.name],
                            code,
                            format!("found {found}, expected {expected}"),
                            hint,
                        );
                        ok = false;
                    }
                }
            }
        }
        for key in map.keys() {
            if specs.iter().any(|spec| spec.name == key) {
                continue;
            }
            let expected = if specs.is_empty() {
                format!("`{owner}` has no attributes")
            } else {
                let names: Vec<String> = specs.iter().map(|s| format!("`{}`", s.name)).collect();
                format!("expected one of {}", names.join(", "))
            };
            let hint = spec::did_you_mean(key, specs.iter().map(|s| s.name))
                .map(|close| format!("did you mean `{close}`?"));
            self.report(
                &["attrs", key],
                codes::UNKNOWN_ATTRIBUTE,
                format!("found the attribute `{key}` on `{owner}`, {expected}"),
                hint,
            );
        }
        ok
    }

    /// Takes `attrs`, unknown fields and spelling off a node that passed [`Reader::check_node`]
    /// (or is being read strictly anyway, to find errors further down).
    fn take_common(
        &mut self,
        object: &mut RawObject,
        spec: &spec::NodeSpec,
    ) -> (Attrs, Extra, Spelling) {
        let mut spelling = Spelling::default();
        let mut extra = Extra::default();
        let map = match object.attrs.take() {
            Some(RawAttrs::Object(map)) => {
                spelling.set(Spelling::ATTRS);
                map
            }
            Some(RawAttrs::Other(other)) => {
                extra.get_mut().fields.insert("attrs".to_owned(), *other);
                AttrList::default()
            }
            None => AttrList::default(),
        };
        if matches!(&object.content, Some(RawContent::Items(items)) if items.is_empty()) {
            spelling.set(Spelling::CONTENT);
        }
        if spec.ty != NodeType::Text {
            if let Some(marks) = object.marks.take() {
                extra
                    .get_mut()
                    .fields
                    .insert("marks".to_owned(), marks.into_value());
            }
            if let Some(text) = object.text.take() {
                extra
                    .get_mut()
                    .fields
                    .insert("text".to_owned(), text.into_value());
            }
        }
        if spec.content == spec::Content::Leaf {
            if let Some(content) = object.content.take() {
                extra
                    .get_mut()
                    .fields
                    .insert("content".to_owned(), content.into_value());
            }
        }
        if !object.fields.is_empty() {
            extra
                .get_mut()
                .fields
                .append(&mut std::mem::take(&mut object.fields).into_map());
        }
        (Attrs { map, spelling }, extra, spelling)
    }

    /// Moves the attributes left after typing into `extra` and returns the final spelling.
    fn finish(attrs: Attrs, extra: &mut Extra) -> Spelling {
        let Attrs { map, spelling } = attrs;
        if !map.is_empty() {
            extra.get_mut().attrs.append(&mut map.into_map());
        }
        spelling
    }

    /// Classifies a child: the typed object when `parent` may hold it at `index`, else the raw
    /// value, after reporting why.
    fn classify(
        &mut self,
        item: RawItem,
        parent: NodeType,
        index: usize,
        depth: usize,
    ) -> Result<(NodeType, RawObject), RawNode> {
        let object = match item {
            RawItem::Object(object) => object,
            RawItem::Other(value) => {
                let found = describe(&value);
                self.error(
                    codes::NOT_AN_OBJECT,
                    format!(
                        "found {found}, expected {}",
                        spec::expected_child(parent, index)
                    ),
                );
                return Err(RawNode(value));
            }
        };
        let ty = match &object.ty {
            Some(TypeTag::Known(ty)) => *ty,
            Some(TypeTag::Other(other)) if other.is_string() => {
                let name = other.as_str().unwrap_or_default();
                let message = format!(
                    "found the node type `{name}`, expected {}",
                    spec::expected_child(parent, index)
                );
                let hint = spec::did_you_mean(name, NODES.iter().map(|s| s.name))
                    .map(|close| format!("did you mean `{close}`?"));
                self.report(&[], codes::UNKNOWN_NODE, message, hint);
                return Err(RawNode(object.into_value()));
            }
            Some(TypeTag::Other(value)) => {
                let found = describe(value);
                self.error_at_key(
                    &["type"],
                    codes::MISSING_TYPE,
                    format!("found {found}, expected a node type name"),
                );
                return Err(RawNode(object.into_value()));
            }
            None => {
                self.error(
                    codes::MISSING_TYPE,
                    format!(
                        "found an object without `type`, expected {}",
                        spec::expected_child(parent, index)
                    ),
                );
                return Err(RawNode(object.into_value()));
            }
        };
        if !spec::may_hold(parent, index, ty) {
            self.error(
                codes::MISPLACED_NODE,
                format!(
                    "found `{}` inside `{}`, expected {}",
                    ty.name(),
                    parent.name(),
                    spec::expected_child(parent, index)
                ),
            );
            return Err(RawNode(object.into_value()));
        }
        if depth > self.max_depth {
            self.error(
                codes::NESTING_TOO_DEEP,
                format!(
                    "found a `{}` node nested {depth} levels deep, expected at most {}",
                    ty.name(),
                    self.max_depth
                ),
            );
            return Err(RawNode(object.into_value()));
        }
        let typeable = self.check_node(&object, ty.spec());
        if !typeable && self.lenient {
            return Err(RawNode(object.into_value()));
        }
        Ok((ty, object))
    }

    /// Reads `content` as the children of `parent`, calling `child` for each one `parent` may
    /// hold, then checks their number.
    fn children<T>(
        &mut self,
        content: Option<RawContent>,
        parent: NodeType,
        depth: usize,
        mut child: impl FnMut(&mut Self, NodeType, RawObject, usize) -> T,
        raw: impl Fn(RawNode) -> T,
    ) -> Vec<T> {
        let items = match content {
            Some(RawContent::Items(items)) => items,
            // Reported by `check_node`; a wrongly typed `content` is kept in lenient mode by
            // making the whole node raw, so nothing arrives here to keep.
            Some(RawContent::Other(_)) | None => Vec::new(),
        };
        let count = items.len();
        let mut out = Vec::with_capacity(count);
        for (index, item) in items.into_iter().enumerate() {
            out.push(self.child_at(index, item, parent, depth, &mut child, &raw));
        }
        self.check_child_count(parent, count);
        out
    }

    /// Reads `item`, the child at `index` of `parent` (at `depth`), with `child` when `parent`
    /// may hold it, else keeps it with `raw`.
    fn child_at<T>(
        &mut self,
        index: usize,
        item: RawItem,
        parent: NodeType,
        depth: usize,
        child: impl FnOnce(&mut Self, NodeType, RawObject, usize) -> T,
        raw: impl FnOnce(RawNode) -> T,
    ) -> T {
        self.path.push(Step::Content(index));
        let read = match self.classify(item, parent, index, depth + 1) {
            Ok((ty, object)) => child(self, ty, object, depth + 1),
            Err(node) => raw(node),
        };
        self.path.pop();
        read
    }

    /// Reports a number of children that `parent` may not hold.
    fn check_child_count(&mut self, parent: NodeType, count: usize) {
        let (min, max) = spec::child_count_range(parent);
        if count < min || count > max {
            let expected = match (min, max) {
                (min, usize::MAX) => format!("at least {min}"),
                (min, max) if min == max => format!("exactly {min}"),
                (min, max) => format!("{min} to {max}"),
            };
            self.error(
                codes::CHILD_COUNT,
                format!(
                    "found {count} children in `{}`, expected {expected} ({})",
                    parent.name(),
                    spec::expected_child(parent, 0)
                ),
            );
        }
    }

    fn blocks(
        &mut self,
        content: Option<RawContent>,
        parent: NodeType,
        depth: usize,
    ) -> Vec<Block> {
        self.children(content, parent, depth, Self::block, Block::Raw)
    }

    fn inlines(
        &mut self,
        content: Option<RawContent>,
        parent: NodeType,
        depth: usize,
    ) -> Vec<Inline> {
        self.children(content, parent, depth, Self::inline, Inline::Raw)
    }

    fn block(&mut self, ty: NodeType, mut object: RawObject, depth: usize) -> Block {
        let spec = ty.spec();
        let (mut attrs, mut extra, _) = self.take_common(&mut object, spec);
        let a = spec.attrs;
        macro_rules! attr {
            ($method:ident, $i:expr) => {
                match a.get($i) {
                    Some(s) => attrs.$method($i as u8, s),
                    None => None,
                }
            };
        }
        let content = object.content.take();
        match ty {
            NodeType::Paragraph => {
                let id = attr!(string, 0);
                let align = attr!(string, 1).and_then(|s| Align::parse(&s));
                let content = self.inlines(content, ty, depth);
                Block::Paragraph(Paragraph {
                    id,
                    align,
                    content,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                })
            }
            NodeType::Heading => {
                let level = attr!(value, 0)
                    .and_then(|v| as_int(&v))
                    .and_then(|n| HeadingLevel::try_from(n).ok())
                    .unwrap_or(HeadingLevel::H1);
                let id = attr!(string, 1);
                let align = attr!(string, 2).and_then(|s| Align::parse(&s));
                let content = self.inlines(content, ty, depth);
                Block::Heading(Heading {
                    level,
                    id,
                    align,
                    content,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                })
            }
            NodeType::Blockquote => {
                let id = attr!(string, 0);
                let content = self.quote_content(content, depth);
                Block::Blockquote(Blockquote {
                    id,
                    content,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                })
            }
            NodeType::CodeBlock => {
                let language = attr!(string, 0);
                let id = attr!(string, 1);
                let texts = self.children(content, ty, depth, Self::plain_text, |_| None);
                let text = texts.into_iter().flatten().map(|t| t.text).collect();
                Block::CodeBlock(CodeBlock {
                    id,
                    language,
                    text,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                })
            }
            NodeType::BulletList => {
                let id = attr!(string, 0);
                let items = self.children(content, ty, depth, Self::list_item, Child::Raw);
                Block::BulletList(BulletList {
                    id,
                    items,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                })
            }
            NodeType::OrderedList => {
                let order = attr!(count, 0);
                let id = attr!(string, 1);
                let items = self.children(content, ty, depth, Self::list_item, Child::Raw);
                Block::OrderedList(OrderedList {
                    id,
                    order,
                    items,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                })
            }
            NodeType::Checklist => {
                let id = attr!(string, 0);
                let items = self.children(content, ty, depth, Self::checklist_item, Child::Raw);
                Block::Checklist(Checklist {
                    id,
                    items,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                })
            }
            NodeType::Table => {
                let id = attr!(string, 0);
                let rows = self.children(content, ty, depth, Self::table_row, Child::Raw);
                Block::Table(Table {
                    id,
                    rows,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                })
            }
            NodeType::Divider => {
                let id = attr!(string, 0);
                Block::Divider(Divider {
                    id,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                })
            }
            NodeType::Banner => {
                let kind = attr!(string, 0)
                    .and_then(|s| s.parse::<BannerKind>().ok())
                    .unwrap_or(BannerKind::Info);
                let id = attr!(string, 1);
                let content = self.blocks(content, ty, depth);
                Block::Banner(Banner {
                    kind,
                    id,
                    content,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                })
            }
            NodeType::Columns => {
                let id = attr!(string, 0);
                let columns = self.children(content, ty, depth, Self::column, Child::Raw);
                Block::Columns(Columns {
                    id,
                    columns,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                })
            }
            // `classify` only lets block types through here.
            _ => Block::Raw(RawNode(Value::Null)),
        }
    }

    /// A blockquote's content: blocks, or the original guide's inline form, which is wrapped in
    /// paragraphs with a warning.
    fn quote_content(&mut self, content: Option<RawContent>, depth: usize) -> Vec<Block> {
        let legacy = matches!(&content, Some(RawContent::Items(items)) if items.iter().any(|item| matches!(
            item,
            RawItem::Object(RawObject { ty: Some(TypeTag::Known(ty)), .. }) if ty.is_inline()
        )));
        if !legacy {
            return self.blocks(content, NodeType::Blockquote, depth);
        }
        self.warning(
            codes::LEGACY_FORM,
            "found inline content in `blockquote` (the original guide's form), expected paragraphs; read as one paragraph",
        );
        let inlines = self.inlines(content, NodeType::Paragraph, depth);
        vec![Block::Paragraph(Paragraph {
            content: inlines,
            ..Paragraph::default()
        })]
    }

    fn list_item(&mut self, _ty: NodeType, mut object: RawObject, depth: usize) -> Child<ListItem> {
        let spec = NodeType::ListItem.spec();
        let (attrs, mut extra, _) = self.take_common(&mut object, spec);
        let content = self.blocks(object.content.take(), NodeType::ListItem, depth);
        Child::Node(ListItem {
            content,
            spelling: Self::finish(attrs, &mut extra),
            extra,
        })
    }

    fn checklist_item(
        &mut self,
        _ty: NodeType,
        mut object: RawObject,
        depth: usize,
    ) -> Child<ChecklistItem> {
        let spec = NodeType::ChecklistItem.spec();
        let (mut attrs, mut extra, _) = self.take_common(&mut object, spec);
        let checked = spec
            .attrs
            .first()
            .and_then(|s| attrs.value(0, s))
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let content = self.blocks(object.content.take(), NodeType::ChecklistItem, depth);
        Child::Node(ChecklistItem {
            checked,
            content,
            spelling: Self::finish(attrs, &mut extra),
            extra,
        })
    }

    fn table_row(&mut self, _ty: NodeType, mut object: RawObject, depth: usize) -> Child<TableRow> {
        let spec = NodeType::TableRow.spec();
        let (attrs, mut extra, _) = self.take_common(&mut object, spec);
        let cells = self.children(
            object.content.take(),
            NodeType::TableRow,
            depth,
            Self::table_cell,
            Child::Raw,
        );
        Child::Node(TableRow {
            cells,
            spelling: Self::finish(attrs, &mut extra),
            extra,
        })
    }

    fn table_cell(
        &mut self,
        ty: NodeType,
        mut object: RawObject,
        depth: usize,
    ) -> Child<TableCell> {
        let spec = ty.spec();
        let (mut attrs, mut extra, _) = self.take_common(&mut object, spec);
        let mut span = |index: u8| {
            spec.attrs
                .get(usize::from(index))
                .and_then(|s| attrs.value(index, s))
                .and_then(|v| as_int(&v))
                .and_then(|n| Span::try_from(n).ok())
                .unwrap_or(Span::ONE)
        };
        let colspan = span(0);
        let rowspan = span(1);
        let colwidth = spec
            .attrs
            .get(2)
            .and_then(|s| attrs.value(2, s))
            .and_then(|v| match v {
                Value::Array(values) => values
                    .iter()
                    .map(|v| as_int(v).and_then(|n| u32::try_from(n).ok()))
                    .collect::<Option<Vec<u32>>>(),
                _ => None,
            });
        let background = spec.attrs.get(3).and_then(|s| attrs.string(3, s));
        let content = self.blocks(object.content.take(), ty, depth);
        Child::Node(TableCell {
            header: ty == NodeType::TableHeader,
            colspan,
            rowspan,
            colwidth,
            background,
            content,
            spelling: Self::finish(attrs, &mut extra),
            extra,
        })
    }

    fn column(&mut self, _ty: NodeType, mut object: RawObject, depth: usize) -> Child<Column> {
        let spec = NodeType::Column.spec();
        let (attrs, mut extra, _) = self.take_common(&mut object, spec);
        let content = self.blocks(object.content.take(), NodeType::Column, depth);
        Child::Node(Column {
            content,
            spelling: Self::finish(attrs, &mut extra),
            extra,
        })
    }

    /// A text child that must carry no marks (code blocks, mentions).
    fn plain_text(&mut self, ty: NodeType, object: RawObject, depth: usize) -> Option<Text> {
        if object.marks.is_some() {
            self.error_at_key(
                &["marks"],
                codes::INVALID_VALUE,
                "found marks on text inside a code block or mention, expected plain text",
            );
        }
        match self.inline(ty, object, depth) {
            Inline::Text(text) => Some(text),
            _ => None,
        }
    }

    fn inline(&mut self, ty: NodeType, mut object: RawObject, depth: usize) -> Inline {
        let spec = ty.spec();
        let (mut attrs, mut extra, _) = self.take_common(&mut object, spec);
        let a = spec.attrs;
        macro_rules! attr {
            ($method:ident, $i:expr) => {
                match a.get($i) {
                    Some(s) => attrs.$method($i as u8, s),
                    None => None,
                }
            };
        }
        match ty {
            NodeType::Text => {
                // Wrong JSON types were reported by `check_text_fields`.
                let text = match object.text.take() {
                    Some(RawText::Str(text)) => {
                        if text.is_empty() {
                            self.error_at_key(
                                &["text"],
                                codes::EMPTY_TEXT,
                                "found an empty `text`, expected at least one character",
                            );
                        }
                        text
                    }
                    _ => CompactString::default(),
                };
                let mut spelling = Self::finish(attrs, &mut extra);
                let marks = match object.marks.take() {
                    Some(RawMarks::Items(marks)) => {
                        if marks.is_empty() {
                            spelling.set(Spelling::MARKS);
                        }
                        self.marks(marks)
                    }
                    _ => Marks::new(),
                };
                let mut node = Text { text, marks, extra };
                node.set_spelling(spelling);
                Inline::Text(node)
            }
            NodeType::Image => {
                let src = attr!(string, 0).unwrap_or_default();
                let alt = attr!(string, 1);
                let title = attr!(string, 2);
                let width = attr!(count, 3);
                Inline::Image(Box::new(Image {
                    src,
                    alt,
                    title,
                    width,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                }))
            }
            NodeType::File => {
                let url = attr!(string, 0).unwrap_or_default();
                let name = attr!(string, 1).unwrap_or_default();
                let content_type = attr!(string, 2).unwrap_or_default();
                Inline::File(Box::new(File {
                    url,
                    name,
                    content_type,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                }))
            }
            NodeType::Mention => {
                let id = attr!(string, 0).unwrap_or_default();
                let kind = MentionKind::parse(&attr!(string, 1).unwrap_or_default());
                let label = attr!(string, 2).unwrap_or_default();
                let avatar_url = attr!(string, 3);
                let texts =
                    self.children(object.content.take(), ty, depth, Self::plain_text, |_| None);
                Inline::Mention(Box::new(Mention {
                    id,
                    kind,
                    label,
                    avatar_url,
                    content: texts.into_iter().flatten().collect(),
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                }))
            }
            NodeType::Var => {
                let name = attr!(string, 0).unwrap_or_default();
                Inline::Var(Var {
                    name,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                })
            }
            NodeType::HardBreak => Inline::HardBreak(HardBreak {
                spelling: Self::finish(attrs, &mut extra),
                extra,
            }),
            // `classify` only lets inline types through here.
            _ => Inline::Raw(RawNode(Value::Null)),
        }
    }

    fn marks(&mut self, marks: Vec<RawMarkItem>) -> Marks {
        let mut out = Marks::new();
        for (index, item) in marks.into_iter().enumerate() {
            self.path.push(Step::Marks(index));
            let mark = match item {
                RawMarkItem::Object(mark) => self.mark(mark),
                RawMarkItem::Other(value) => {
                    let found = describe(&value);
                    self.error(
                        codes::NOT_AN_OBJECT,
                        format!("found {found}, expected a mark object"),
                    );
                    Mark::Raw(Arc::new(RawNode(value)))
                }
            };
            let name = mark.type_name();
            if !name.is_empty() && out.iter().any(|earlier| earlier.type_name() == name) {
                self.error(
                    codes::DUPLICATE_MARK,
                    format!("found a second `{name}` mark on one text node, expected each mark type at most once"),
                );
            }
            out.push(mark);
            self.path.pop();
        }
        out
    }

    fn mark(&mut self, mut mark: RawMark) -> Mark {
        let ty = match &mark.ty {
            Some(MarkTag::Known(ty)) => *ty,
            Some(MarkTag::Other(other)) if other.is_string() => {
                let name = other.as_str().unwrap_or_default();
                let names: Vec<&str> = MARKS.iter().map(|s| s.name).collect();
                let message = format!(
                    "found the mark type `{name}`, expected one of {}",
                    names.join(", ")
                );
                let hint = spec::did_you_mean(name, names.iter().copied())
                    .map(|close| format!("did you mean `{close}`?"));
                self.report(&[], codes::UNKNOWN_MARK, message, hint);
                return Mark::Raw(Arc::new(RawNode(mark.into_value())));
            }
            Some(MarkTag::Other(other)) => {
                let found = describe(other);
                self.error_at_key(
                    &["type"],
                    codes::MISSING_TYPE,
                    format!("found {found}, expected a mark type name"),
                );
                return Mark::Raw(Arc::new(RawNode(mark.into_value())));
            }
            None => {
                self.error(
                    codes::MISSING_TYPE,
                    "found a mark without `type`, expected a mark type name",
                );
                return Mark::Raw(Arc::new(RawNode(mark.into_value())));
            }
        };
        let spec = ty.spec();
        let mut typeable = self.check_attrs(mark.attrs.as_ref(), spec.attrs, spec.name);
        for key in mark.fields.keys() {
            self.error_at_key(
                &[key],
                codes::UNKNOWN_FIELD,
                format!("found the field `{key}` on a mark, expected only `type` and `attrs`"),
            );
        }
        // Unit marks have nowhere to keep stray attributes or fields.
        let has_stray = !mark.fields.is_empty()
            || mark.attrs.as_ref().is_some_and(|attrs| match attrs {
                RawAttrs::Object(list) => {
                    list.keys().any(|k| !spec.attrs.iter().any(|s| s.name == k))
                }
                RawAttrs::Other(_) => true,
            });
        if spec.attrs.is_empty() && (has_stray || mark.attrs.is_some()) {
            typeable = false;
        }
        if !typeable && self.lenient {
            return Mark::Raw(Arc::new(RawNode(mark.into_value())));
        }
        let mut spelling = Spelling::default();
        let attrs_map = match mark.attrs.take() {
            Some(RawAttrs::Object(attrs)) => {
                spelling.set(Spelling::ATTRS);
                attrs
            }
            _ => AttrList::default(),
        };
        let mut attrs = Attrs {
            map: attrs_map,
            spelling,
        };
        let a = spec.attrs;
        macro_rules! attr {
            ($i:expr) => {
                match a.get($i) {
                    Some(s) => attrs.string($i as u8, s),
                    None => None,
                }
            };
        }
        let mut extra = Extra::default();
        if !mark.fields.is_empty() {
            extra.get_mut().fields.append(&mut mark.fields.into_map());
        }
        match ty {
            MarkType::Em => Mark::Em,
            MarkType::Strong => Mark::Strong,
            MarkType::Code => Mark::Code,
            MarkType::Strike => Mark::Strike,
            MarkType::Underline => Mark::Underline,
            MarkType::Link => {
                let href = attr!(0).unwrap_or_default();
                let title = attr!(1);
                Mark::Link(Arc::new(Link {
                    href,
                    title,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                }))
            }
            MarkType::Discussion => {
                let discussion_id = attr!(0).unwrap_or_default();
                let resolved_id = attr!(1).unwrap_or_default();
                Mark::Discussion(Arc::new(Discussion {
                    discussion_id,
                    resolved_id,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                }))
            }
            MarkType::Styles => {
                let font_size = attr!(0);
                let font_weight = attr!(1);
                let text_align = attr!(2);
                let color = attr!(3);
                let background_color = attr!(4);
                let white_space = attr!(5);
                Mark::Styles(Arc::new(Styles {
                    font_size,
                    font_weight,
                    text_align,
                    color,
                    background_color,
                    white_space,
                    spelling: Self::finish(attrs, &mut extra),
                    extra,
                }))
            }
        }
    }
}

/// An integer, also when written with a zero fraction (`2.0`), as JSON Schema counts integers.
fn as_int(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e18)
            .map(|f| f as i64)
    })
}

/// Whether a code block's or mention's content is text nodes that type without loss: no marks,
/// no other fields or attributes, non-empty strings (and at most one in a code block).
fn plain_text_children(content: Option<&RawContent>, rule: spec::Content) -> bool {
    let items = match content {
        None => return true,
        Some(RawContent::Items(items)) => items,
        Some(RawContent::Other(_)) => return false,
    };
    if rule == spec::Content::CodeText && items.len() > 1 {
        return false;
    }
    items.iter().all(|item| match item {
        RawItem::Object(object) => {
            matches!(object.ty, Some(TypeTag::Known(NodeType::Text)))
                && matches!(&object.text, Some(RawText::Str(s)) if !s.is_empty())
                && object.marks.is_none()
                && object.attrs.is_none()
                && object.content.is_none()
                && object.fields.is_empty()
                && object.duplicate_keys.is_empty()
        }
        RawItem::Other(_) => false,
    })
}

/// Checks one attribute value: `Err((code, expected, hint))` when it does not fit.
fn check_value(ty: AttrType, value: &Value) -> Result<(), (Code, String, Option<String>)> {
    let wrong = |expected: &str| Err((codes::WRONG_TYPE, expected.to_owned(), None));
    match ty {
        AttrType::String => match value {
            Value::String(_) => Ok(()),
            _ => wrong("a string"),
        },
        AttrType::NonEmptyString => match value {
            Value::String(s) if !s.is_empty() => Ok(()),
            Value::String(_) => Err((codes::INVALID_VALUE, "a non-empty string".to_owned(), None)),
            _ => wrong("a non-empty string"),
        },
        AttrType::Bool => match value {
            Value::Bool(_) => Ok(()),
            _ => wrong("`true` or `false`"),
        },
        AttrType::HeadingLevel => match as_int(value) {
            Some(n) if HeadingLevel::try_from(n).is_ok() => Ok(()),
            Some(_) => Err((
                codes::HEADING_LEVEL,
                "a heading level from 1 to 3".to_owned(),
                Some("the format has three heading levels; use 3 for deeper headings".to_owned()),
            )),
            None => wrong("a heading level from 1 to 3"),
        },
        AttrType::BannerKind => match value {
            Value::String(s) if s.parse::<BannerKind>().is_ok() => Ok(()),
            Value::String(s) => Err((
                codes::BANNER_TYPE,
                "one of `info`, `warning`, `success`, `critical`".to_owned(),
                spec::did_you_mean(s, BannerKind::ALL.iter().map(|k| k.as_str()))
                    .map(|close| format!("did you mean `{close}`?")),
            )),
            _ => wrong("one of `info`, `warning`, `success`, `critical`"),
        },
        AttrType::Span => match as_int(value) {
            Some(n) if Span::try_from(n).is_ok() => Ok(()),
            Some(_) => Err((codes::INVALID_SPAN, "a span of at least 1".to_owned(), None)),
            None if value.is_number() => Err((
                codes::INVALID_SPAN,
                "a whole number of at least 1".to_owned(),
                None,
            )),
            None => wrong("a whole number of at least 1"),
        },
        AttrType::Count => match as_int(value) {
            Some(n) if u32::try_from(n).is_ok() => Ok(()),
            _ if value.is_number() => Err((
                codes::INVALID_VALUE,
                "a whole number from 0 to 4294967295".to_owned(),
                None,
            )),
            _ => wrong("a whole number"),
        },
        AttrType::Counts => match value {
            Value::Array(values)
                if values
                    .iter()
                    .all(|v| as_int(v).is_some_and(|n| u32::try_from(n).is_ok())) =>
            {
                Ok(())
            }
            Value::Array(_) => Err((
                codes::INVALID_VALUE,
                "an array of whole numbers".to_owned(),
                None,
            )),
            _ => wrong("an array of whole numbers or null"),
        },
        AttrType::Align => match value {
            Value::String(s) if Align::parse(s).is_some() => Ok(()),
            Value::String(_) => Err((
                codes::INVALID_VALUE,
                "one of `left`, `center`, `right`, `justify`".to_owned(),
                None,
            )),
            _ => wrong("one of `left`, `center`, `right`, `justify`"),
        },
    }
}
