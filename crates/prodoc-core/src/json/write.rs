//! Writing a [`Doc`] as JSON: compact, pretty, or as the API's body string.
//!
//! Keys come in a fixed order (`type`, `attrs`, `content`, `marks`, `text`, then kept unknown
//! fields sorted), attributes in the order of [`crate::spec`], so the output is deterministic. The
//! tree is walked with an explicit stack: a document of any depth writes without recursion.

use serde_json::{Map, Value};

use crate::attrs::{Align, Span};
use crate::model::*;
use crate::spec::{Absent, AttrSpec, MarkType, NodeType};

/// Compact JSON, as the API stores it.
pub fn to_string(doc: &Doc) -> String {
    write(doc, false)
}

/// Pretty JSON, indented by two spaces.
pub fn to_string_pretty(doc: &Doc) -> String {
    write(doc, true)
}

/// The API's string form: a JSON string whose content is the compact document, as `body` travels
/// in `POST`/`PATCH /pages` and comes back from every read.
pub fn to_body_string(doc: &Doc) -> String {
    json_string(&to_string(doc))
}

/// The document as a `serde_json::Value`. Errors when the document nests deeper than serde_json's
/// recursion limit (128 JSON levels) allows reading back.
pub fn to_value(doc: &Doc) -> Result<Value, serde_json::Error> {
    serde_json::from_str(&to_string(doc))
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_json_str(&mut out, s);
    out
}

/// Writes `s` as a JSON string, escaped as serde_json escapes it (tested against it below).
/// Strings are most of the output: the runs between escapes are found several bytes at a time
/// ([`next_escape`]) and copied whole. The escaping is written here rather than by serde_json's serializer because that
/// one writes bytes, and the output is built as a `String` so that it never needs validating again
/// as UTF-8.
fn push_json_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut done = 0;
    while let Some(at) = next_escape(bytes, done) {
        let byte = bytes.get(at).copied().unwrap_or_default();
        // `at` is an ASCII byte, so both slices end on char boundaries.
        out.push_str(s.get(done..at).unwrap_or_default());
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => "",
        };
        if escape.is_empty() {
            out.push_str("\\u00");
            for digit in [byte >> 4, byte & 0xf] {
                out.extend(char::from_digit(u32::from(digit), 16));
            }
        } else {
            out.push_str(escape);
        }
        done = at + 1;
    }
    out.push_str(s.get(done..).unwrap_or_default());
    out.push('"');
}

/// Every byte of a word set to the same value.
const fn splat(byte: u8) -> u64 {
    0x0101_0101_0101_0101 * byte as u64
}

/// A word whose lowest set high bit marks its first byte (in memory order) that JSON escapes: a
/// control character, `"` or `\`. Bytes after that one may be marked wrongly (a borrow runs on),
/// bytes before it never are (the classic "has less / has zero byte" tests).
fn escape_mask(word: u64) -> u64 {
    let zero_byte = |x: u64| x.wrapping_sub(splat(1)) & !x & splat(0x80);
    (word.wrapping_sub(splat(0x20)) & !word & splat(0x80))
        | zero_byte(word ^ splat(b'"'))
        | zero_byte(word ^ splat(b'\\'))
}

/// Where the first byte at or after `from` that JSON escapes is. Clean runs are skipped sixteen
/// bytes at a time, then eight bytes are tested at a time (SWAR: no vector intrinsics, no
/// `unsafe`); the last whole word overlaps the one before it rather than leaving a tail, and only
/// strings shorter than a word are tested byte by byte.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let word_at = |at: usize| {
        rest.get(at..at + 8)
            .and_then(|word| <[u8; 8]>::try_from(word).ok())
            .map_or(0, |word| escape_mask(u64::from_le_bytes(word)))
    };
    let found = |at: usize, mask: u64| Some(from + at + (mask.trailing_zeros() / 8) as usize);
    let escapes = |byte: u8| byte < 0x20 || byte == b'"' || byte == b'\\';
    if rest.len() < 8 {
        return rest
            .iter()
            .position(|&byte| escapes(byte))
            .map(|at| from + at);
    }
    // Long runs without an escape (code, prose) are skipped sixteen bytes at a time in a form the
    // compiler turns into vector compares; the word that holds the escape is then found below.
    let clean = |at: usize| {
        rest.get(at..at + 16)
            .and_then(|block| <&[u8; 16]>::try_from(block).ok())
            .is_some_and(|block| {
                !block
                    .iter()
                    .fold(false, |found, &byte| found | escapes(byte))
            })
    };
    let mut at = 0;
    while clean(at) {
        at += 16;
    }
    while at + 8 <= rest.len() {
        let mask = word_at(at);
        if mask != 0 {
            return found(at, mask);
        }
        at += 8;
    }
    if at < rest.len() {
        let last = rest.len() - 8;
        let mask = word_at(last);
        if mask != 0 {
            return found(last, mask);
        }
    }
    None
}

/// Writes the document as JSON to `sink` as it goes, a part of about 64 KiB at a time, so
/// that the output is never held whole: a file's peak memory is the document's, not the
/// document's and its JSON's (pretty JSON is often 3 to 30 times the size of the Markdown it came
/// from). `Style::Body` escapes each part as it passes.
pub fn write_to(
    doc: &Doc,
    style: super::Style,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    JsonWriter::new(style, sink).finish(doc)
}

/// A document's JSON written while the document is still being read: its top-level blocks a run
/// at a time ([`JsonWriter::blocks`], as a reader hands them out), then the rest of it
/// ([`JsonWriter::finish`]), so that neither the whole document nor its JSON is ever held. The
/// output is the same, byte for byte, as [`write_to`] gives for the whole document, in every
/// [`Style`](super::Style).
pub struct JsonWriter<'s> {
    emitter: Emitter<'s>,
    /// Whether `content` was opened: known once the document's start is written, at the first
    /// blocks or at the end.
    open: Option<bool>,
}

impl<'s> JsonWriter<'s> {
    /// A writer into `sink`; nothing reaches `sink` before a part's worth of output (about 64
    /// KiB) or the end, so a writer given nothing leaves `sink` untouched.
    pub fn new(style: super::Style, sink: &'s mut dyn std::io::Write) -> Self {
        let (pretty, sink) = match style {
            super::Style::Compact => (false, Sink::Plain(sink)),
            super::Style::Pretty => (true, Sink::Plain(sink)),
            super::Style::Body => (
                false,
                Sink::Escaped {
                    out: sink,
                    escaped: String::new(),
                    opened: false,
                },
            ),
        };
        Self {
            emitter: Emitter::new(PART, pretty, Some(sink)),
            open: None,
        }
    }

    /// Writes `blocks`, the next top-level blocks of a document whose own attributes, kept
    /// fields and spelling are the default (as every reader gives but JSON's, which hands out no
    /// blocks before the end).
    pub fn blocks(&mut self, blocks: &[Block]) {
        let open = *self
            .open
            .get_or_insert_with(|| open_doc(&mut self.emitter, &Doc::default()));
        if open {
            write_blocks(&mut self.emitter, blocks);
        }
    }

    /// Writes the rest of `doc`: the blocks after those given to [`JsonWriter::blocks`] (all of
    /// them if none were), then the document's end. Passes everything left on, and returns the
    /// sink's first error, if it had one.
    pub fn finish(mut self, doc: &Doc) -> std::io::Result<()> {
        let open = *self
            .open
            .get_or_insert_with(|| open_doc(&mut self.emitter, doc));
        if open {
            write_blocks(&mut self.emitter, &doc.content);
        }
        close_doc(&mut self.emitter, open, &doc.extra);
        self.emitter.finish().map(drop)
    }
}

/// About how much output [`write_to`] holds before it passes it on: big enough that writing costs
/// nothing next to building, small next to any document worth streaming.
const PART: usize = 64 * 1024;

/// How many levels of pretty JSON have their indentation and their text heads kept ready; deeper
/// ones are written piece by piece (a cache of heads per depth holds the square of the depth in
/// bytes).
const PRETTY_LEVELS: usize = 64;

/// A line break and the indentation of pretty JSON [`PRETTY_LEVELS`] deep, to slice from.
const NEWLINE_INDENT: &str = match std::str::from_utf8(&NEWLINE_INDENT_BYTES) {
    Ok(text) => text,
    // Evaluated at compile time: spaces and a line break are always UTF-8.
    Err(_) => panic!("not UTF-8"),
};

const NEWLINE_INDENT_BYTES: [u8; 1 + 2 * PRETTY_LEVELS] = {
    let mut bytes = [b' '; 1 + 2 * PRETTY_LEVELS];
    bytes[0] = b'\n';
    bytes
};

/// Where [`Emitter`] passes finished output, when it does not keep it.
enum Sink<'s> {
    /// As it is.
    Plain(&'s mut dyn std::io::Write),
    /// As the inside of a JSON string (the API's `body`), escaped through a buffer kept for the
    /// next part; the string's opening quote goes with the first part, its closing one at the end.
    Escaped {
        out: &'s mut dyn std::io::Write,
        escaped: String,
        opened: bool,
    },
}

impl Sink<'_> {
    fn take(&mut self, part: &str) -> std::io::Result<()> {
        match self {
            Sink::Plain(out) => out.write_all(part.as_bytes()),
            Sink::Escaped {
                out,
                escaped,
                opened,
            } => {
                escaped.clear();
                push_json_str(escaped, part);
                // push_json_str puts quotes around each part: the first part keeps its opening one.
                let from = if *opened { 1 } else { 0 };
                *opened = true;
                let inner = escaped
                    .get(from..escaped.len().saturating_sub(1))
                    .unwrap_or_default();
                out.write_all(inner.as_bytes())
            }
        }
    }

    /// Passes `last` on, and the body string's closing quote.
    fn end(&mut self, last: &str) -> std::io::Result<()> {
        self.take(last)?;
        match self {
            Sink::Plain(_) => Ok(()),
            Sink::Escaped { out, .. } => out.write_all(b"\""),
        }
    }
}

fn write(doc: &Doc, pretty: bool) -> String {
    // Sized up front at about 1 KiB per top-level block (at most 64 KiB): growing from a small
    // buffer reallocated and copied the output several times per document, which measured about
    // 1% of reading and writing real Markdown. What is left over is given back at the end. Not
    // more: with 80 KiB, glibc gave the top of its heap back and took it again after nearly every
    // document of the Markdown bench's corpus (12,360 page faults instead of 1,636 over 40 rounds
    // of profile_markdown; the fastest of 20 runs 1.118 s against 1.086 s); a part past 64 KiB
    // grows the buffer once.
    let capacity = (doc.content.len() * 1024).clamp(4096, PART);
    let mut emitter = Emitter::new(capacity, pretty, None);
    let open = open_doc(&mut emitter, doc);
    if open {
        write_blocks(&mut emitter, &doc.content);
    }
    close_doc(&mut emitter, open, &doc.extra);
    // Without a sink nothing is passed on, so there is no error to meet.
    let mut out = emitter.finish().unwrap_or_default();
    if out.capacity() > 2 * out.len() + 4096 {
        out.shrink_to_fit();
    }
    out
}

/// Writes the document's start, up to its first block; says whether `content` was opened
/// (`doc` writes it even when empty unless the input left it out).
fn open_doc(emitter: &mut Emitter, doc: &Doc) -> bool {
    // The root is no container's item: no comma or new line before it.
    emitter.begin_object_value();
    emitter.key("type");
    emitter.name("doc");
    write_attrs(emitter, &[], &[], doc.spelling, &doc.extra);
    let open = !doc.content.is_empty() || !doc.spelling.has(Spelling::CONTENT);
    if open {
        emitter.key("content");
        emitter.begin_array();
    }
    open
}

/// Writes the document's end: `content`'s close, if it was opened, and the kept fields.
fn close_doc(emitter: &mut Emitter, open: bool, extra: &Extra) {
    if open {
        emitter.end_array();
    }
    write_fields(emitter, extra);
    emitter.end_object();
}

/// The one JSON writer of blocks, at any depth: an explicit stack of what is left to write.
fn write_blocks(emitter: &mut Emitter, blocks: &[Block]) {
    let mut tasks: Vec<Task<'_>> = blocks.iter().rev().map(Task::Block).collect();
    while let Some(task) = tasks.pop() {
        emitter.pass_on();
        match task {
            Task::Block(block) => open_block(emitter, &mut tasks, block),
            Task::ListItem(child) => open_simple(emitter, &mut tasks, child, "li", |item| {
                (&item.content[..], item.spelling, &item.extra)
            }),
            Task::ChecklistItem(child) => match child {
                Child::Node(item) => {
                    emitter.begin_object();
                    emitter.key("type");
                    emitter.name("checklist_item");
                    write_attrs(
                        emitter,
                        NodeType::ChecklistItem.spec().attrs,
                        &[AttrValue::Bool(item.checked, false)],
                        item.spelling,
                        &item.extra,
                    );
                    open_blocks(
                        emitter,
                        &mut tasks,
                        &item.content,
                        item.spelling,
                        &item.extra,
                    );
                }
                Child::Raw(raw) => emitter.item_value(&raw.0),
            },
            Task::TableRow(child) => match child {
                Child::Node(row) => {
                    emitter.begin_object();
                    emitter.key("type");
                    emitter.name("table_row");
                    write_attrs(emitter, &[], &[], row.spelling, &row.extra);
                    open_content(
                        emitter,
                        &mut tasks,
                        row.cells.is_empty(),
                        row.spelling,
                        &row.extra,
                    );
                    tasks.extend(row.cells.iter().rev().map(Task::TableCell));
                }
                Child::Raw(raw) => emitter.item_value(&raw.0),
            },
            Task::TableCell(child) => match child {
                Child::Node(cell) => {
                    let ty = if cell.header {
                        NodeType::TableHeader
                    } else {
                        NodeType::TableCell
                    };
                    emitter.begin_object();
                    emitter.key("type");
                    emitter.name(ty.name());
                    write_attrs(
                        emitter,
                        ty.spec().attrs,
                        &[
                            AttrValue::Span(cell.colspan),
                            AttrValue::Span(cell.rowspan),
                            AttrValue::Counts(cell.colwidth.as_deref()),
                            AttrValue::Str(cell.background.as_deref()),
                        ],
                        cell.spelling,
                        &cell.extra,
                    );
                    open_blocks(
                        emitter,
                        &mut tasks,
                        &cell.content,
                        cell.spelling,
                        &cell.extra,
                    );
                }
                Child::Raw(raw) => emitter.item_value(&raw.0),
            },
            Task::Column(child) => open_simple(emitter, &mut tasks, child, "column", |column| {
                (&column.content[..], column.spelling, &column.extra)
            }),
            Task::CloseContent(extra) => {
                emitter.end_array();
                write_fields(emitter, extra);
                emitter.end_object();
            }
            Task::CloseNode(extra) => {
                write_fields(emitter, extra);
                emitter.end_object();
            }
        }
    }
}

/// Work left to do, popped from the end.
enum Task<'a> {
    Block(&'a Block),
    ListItem(&'a Child<ListItem>),
    ChecklistItem(&'a Child<ChecklistItem>),
    TableRow(&'a Child<TableRow>),
    TableCell(&'a Child<TableCell>),
    Column(&'a Child<Column>),
    /// Close `content`, write the node's kept fields, close the node.
    CloseContent(&'a Extra),
    /// Write the node's kept fields and close it.
    CloseNode(&'a Extra),
}

/// A node whose only attributes are unknown ones and whose content is blocks (`li`, `column`).
fn open_simple<'a, T>(
    emitter: &mut Emitter,
    tasks: &mut Vec<Task<'a>>,
    child: &'a Child<T>,
    name: &'static str,
    parts: impl Fn(&'a T) -> (&'a [Block], Spelling, &'a Extra),
) {
    match child {
        Child::Node(node) => {
            let (content, spelling, extra) = parts(node);
            if !emitter.pretty && !content.is_empty() && extra.is_empty() && spelling.is_canonical()
            {
                // The usual item in compact output, from literals (its close is the general one).
                emitter.array_item();
                emitter.begin_object_value();
                emitter.raw("\"type\":\"");
                emitter.raw(name);
                emitter.raw("\",\"content\":");
                emitter.begin_array();
                tasks.push(Task::CloseContent(extra));
                tasks.extend(content.iter().rev().map(Task::Block));
                return;
            }
            emitter.begin_object();
            emitter.key("type");
            emitter.name(name);
            write_attrs(emitter, &[], &[], spelling, extra);
            open_blocks(emitter, tasks, content, spelling, extra);
        }
        Child::Raw(raw) => emitter.item_value(&raw.0),
    }
}

/// Opens `content` if the node has any (or spelt it empty) and schedules the blocks and the close.
fn open_blocks<'a>(
    emitter: &mut Emitter,
    tasks: &mut Vec<Task<'a>>,
    content: &'a [Block],
    spelling: Spelling,
    extra: &'a Extra,
) {
    open_content(emitter, tasks, content.is_empty(), spelling, extra);
    tasks.extend(content.iter().rev().map(Task::Block));
}

fn open_content<'a>(
    emitter: &mut Emitter,
    tasks: &mut Vec<Task<'a>>,
    empty: bool,
    spelling: Spelling,
    extra: &'a Extra,
) {
    if empty && !spelling.has(Spelling::CONTENT) {
        tasks.push(Task::CloseNode(extra));
    } else {
        emitter.key("content");
        emitter.begin_array();
        tasks.push(Task::CloseContent(extra));
    }
}

fn open_block<'a>(emitter: &mut Emitter, tasks: &mut Vec<Task<'a>>, block: &'a Block) {
    let header = |emitter: &mut Emitter, ty: NodeType| {
        emitter.begin_object();
        emitter.key("type");
        emitter.name(ty.name());
    };
    match block {
        // The usual paragraph and heading in compact output (no id or alignment, nothing kept,
        // spelt canonically) are written from literals, as text nodes are.
        Block::Paragraph(p) if is_plain_compact(emitter, &p.id, p.align, &p.extra, p.spelling) => {
            emitter.array_item();
            emitter.raw("{\"type\":\"paragraph\"");
            finish_compact_leaf(emitter, &p.content);
        }
        Block::Paragraph(p) => {
            header(emitter, NodeType::Paragraph);
            let values = [
                AttrValue::Str(p.id.as_deref()),
                AttrValue::Str(p.align.map(|a| a.as_str())),
            ];
            write_attrs(
                emitter,
                NodeType::Paragraph.spec().attrs,
                &values,
                p.spelling,
                &p.extra,
            );
            open_content(emitter, tasks, p.content.is_empty(), p.spelling, &p.extra);
            write_inlines(emitter, &p.content);
        }
        Block::Heading(h) if is_plain_compact(emitter, &h.id, h.align, &h.extra, h.spelling) => {
            emitter.array_item();
            emitter.raw("{\"type\":\"heading\",\"attrs\":{\"level\":");
            emitter.number(h.level.get());
            emitter.raw("}");
            finish_compact_leaf(emitter, &h.content);
        }
        Block::Heading(h) => {
            header(emitter, NodeType::Heading);
            let values = [
                AttrValue::Int(Some(u64::from(h.level.get()))),
                AttrValue::Str(h.id.as_deref()),
                AttrValue::Str(h.align.map(|a| a.as_str())),
            ];
            write_attrs(
                emitter,
                NodeType::Heading.spec().attrs,
                &values,
                h.spelling,
                &h.extra,
            );
            open_content(emitter, tasks, h.content.is_empty(), h.spelling, &h.extra);
            write_inlines(emitter, &h.content);
        }
        Block::Blockquote(q) => {
            header(emitter, NodeType::Blockquote);
            write_attrs(
                emitter,
                NodeType::Blockquote.spec().attrs,
                &[AttrValue::Str(q.id.as_deref())],
                q.spelling,
                &q.extra,
            );
            open_blocks(emitter, tasks, &q.content, q.spelling, &q.extra);
        }
        Block::CodeBlock(c) => {
            header(emitter, NodeType::CodeBlock);
            let values = [
                AttrValue::Str(c.language.as_deref()),
                AttrValue::Str(c.id.as_deref()),
            ];
            write_attrs(
                emitter,
                NodeType::CodeBlock.spec().attrs,
                &values,
                c.spelling,
                &c.extra,
            );
            if !c.text.is_empty() || c.spelling.has(Spelling::CONTENT) {
                emitter.key("content");
                emitter.begin_array();
                if !c.text.is_empty() {
                    emitter.begin_object();
                    emitter.key("type");
                    emitter.name("text");
                    emitter.key("text");
                    emitter.str_value(&c.text);
                    emitter.end_object();
                }
                emitter.end_array();
            }
            write_fields(emitter, &c.extra);
            emitter.end_object();
        }
        Block::BulletList(l) => {
            header(emitter, NodeType::BulletList);
            write_attrs(
                emitter,
                NodeType::BulletList.spec().attrs,
                &[AttrValue::Str(l.id.as_deref())],
                l.spelling,
                &l.extra,
            );
            open_content(emitter, tasks, l.items.is_empty(), l.spelling, &l.extra);
            tasks.extend(l.items.iter().rev().map(Task::ListItem));
        }
        Block::OrderedList(l) => {
            header(emitter, NodeType::OrderedList);
            let values = [
                AttrValue::Int(l.order.map(u64::from)),
                AttrValue::Str(l.id.as_deref()),
            ];
            write_attrs(
                emitter,
                NodeType::OrderedList.spec().attrs,
                &values,
                l.spelling,
                &l.extra,
            );
            open_content(emitter, tasks, l.items.is_empty(), l.spelling, &l.extra);
            tasks.extend(l.items.iter().rev().map(Task::ListItem));
        }
        Block::Checklist(l) => {
            header(emitter, NodeType::Checklist);
            write_attrs(
                emitter,
                NodeType::Checklist.spec().attrs,
                &[AttrValue::Str(l.id.as_deref())],
                l.spelling,
                &l.extra,
            );
            open_content(emitter, tasks, l.items.is_empty(), l.spelling, &l.extra);
            tasks.extend(l.items.iter().rev().map(Task::ChecklistItem));
        }
        Block::Table(t) => {
            header(emitter, NodeType::Table);
            write_attrs(
                emitter,
                NodeType::Table.spec().attrs,
                &[AttrValue::Str(t.id.as_deref())],
                t.spelling,
                &t.extra,
            );
            open_content(emitter, tasks, t.rows.is_empty(), t.spelling, &t.extra);
            tasks.extend(t.rows.iter().rev().map(Task::TableRow));
        }
        Block::Divider(d) => {
            header(emitter, NodeType::Divider);
            write_attrs(
                emitter,
                NodeType::Divider.spec().attrs,
                &[AttrValue::Str(d.id.as_deref())],
                d.spelling,
                &d.extra,
            );
            write_fields(emitter, &d.extra);
            emitter.end_object();
        }
        Block::Banner(b) => {
            header(emitter, NodeType::Banner);
            let values = [
                AttrValue::Str(Some(b.kind.as_str())),
                AttrValue::Str(b.id.as_deref()),
            ];
            write_attrs(
                emitter,
                NodeType::Banner.spec().attrs,
                &values,
                b.spelling,
                &b.extra,
            );
            open_blocks(emitter, tasks, &b.content, b.spelling, &b.extra);
        }
        Block::Columns(c) => {
            header(emitter, NodeType::Columns);
            write_attrs(
                emitter,
                NodeType::Columns.spec().attrs,
                &[AttrValue::Str(c.id.as_deref())],
                c.spelling,
                &c.extra,
            );
            open_content(emitter, tasks, c.columns.is_empty(), c.spelling, &c.extra);
            tasks.extend(c.columns.iter().rev().map(Task::Column));
        }
        Block::Raw(raw) => emitter.item_value(&raw.0),
    }
}

/// Whether a paragraph or heading takes the compact fast path: compact output, no id or
/// alignment, nothing kept, canonical spelling.
fn is_plain_compact(
    emitter: &Emitter,
    id: &Option<String>,
    align: Option<Align>,
    extra: &Extra,
    spelling: Spelling,
) -> bool {
    !emitter.pretty
        && id.is_none()
        && align.is_none()
        && extra.is_empty()
        && spelling.is_canonical()
}

/// The rest of a compact paragraph or heading after its `type` and `attrs`: its content, when it
/// has any, and the close.
fn finish_compact_leaf(emitter: &mut Emitter, content: &[Inline]) {
    if !content.is_empty() {
        emitter.raw(",\"content\":");
        emitter.begin_array();
        write_inlines(emitter, content);
        emitter.end_array();
    }
    emitter.raw("}");
}

/// Inline content holds no blocks, so it is written at once rather than through the task stack;
/// the node's close is already scheduled.
fn write_inlines(emitter: &mut Emitter, inlines: &[Inline]) {
    for inline in inlines {
        // A paragraph can be most of a document (a text file of one paragraph, 33 MB of JSON).
        emitter.pass_on();
        write_inline(emitter, inline);
    }
}

fn write_inline(emitter: &mut Emitter, inline: &Inline) {
    let header = |emitter: &mut Emitter, ty: NodeType| {
        emitter.begin_object();
        emitter.key("type");
        emitter.name(ty.name());
    };
    match inline {
        Inline::Text(text) => write_text(emitter, text),
        Inline::Image(image) => {
            header(emitter, NodeType::Image);
            let values = [
                AttrValue::Str(Some(&image.src)),
                AttrValue::Str(image.alt.as_deref()),
                AttrValue::Str(image.title.as_deref()),
                AttrValue::Int(image.width.map(u64::from)),
            ];
            write_attrs(
                emitter,
                NodeType::Image.spec().attrs,
                &values,
                image.spelling,
                &image.extra,
            );
            write_fields(emitter, &image.extra);
            emitter.end_object();
        }
        Inline::File(file) => {
            header(emitter, NodeType::File);
            let values = [
                AttrValue::Str(Some(&file.url)),
                AttrValue::Str(Some(&file.name)),
                AttrValue::Str(Some(&file.content_type)),
            ];
            write_attrs(
                emitter,
                NodeType::File.spec().attrs,
                &values,
                file.spelling,
                &file.extra,
            );
            write_fields(emitter, &file.extra);
            emitter.end_object();
        }
        Inline::Mention(mention) => {
            header(emitter, NodeType::Mention);
            let values = [
                AttrValue::Str(Some(&mention.id)),
                AttrValue::Str(Some(mention.kind.as_str())),
                AttrValue::Str(Some(&mention.label)),
                AttrValue::Str(mention.avatar_url.as_deref()),
            ];
            write_attrs(
                emitter,
                NodeType::Mention.spec().attrs,
                &values,
                mention.spelling,
                &mention.extra,
            );
            if !mention.content.is_empty() || mention.spelling.has(Spelling::CONTENT) {
                emitter.key("content");
                emitter.begin_array();
                for text in &mention.content {
                    write_text(emitter, text);
                }
                emitter.end_array();
            }
            write_fields(emitter, &mention.extra);
            emitter.end_object();
        }
        Inline::Var(var) => {
            header(emitter, NodeType::Var);
            write_attrs(
                emitter,
                NodeType::Var.spec().attrs,
                &[AttrValue::Str(Some(&var.name))],
                var.spelling,
                &var.extra,
            );
            write_fields(emitter, &var.extra);
            emitter.end_object();
        }
        Inline::HardBreak(br) => {
            header(emitter, NodeType::HardBreak);
            write_attrs(emitter, &[], &[], br.spelling, &br.extra);
            write_fields(emitter, &br.extra);
            emitter.end_object();
        }
        Inline::Raw(raw) => emitter.item_value(&raw.0),
    }
}

fn write_text(emitter: &mut Emitter, text: &Text) {
    // Text nodes are most of a document; in compact output the usual one (nothing kept, no spelt
    // `attrs`) is written from literals, without the general path's per-key bookkeeping. These
    // literal paths (here, paragraphs and headings, list items) are a second path that pays: the
    // JSON writing of the Markdown bench corpus takes 113.4 M instructions with them and 247.2 M
    // without (callgrind, profile_markdown json minus read; read + JSON 821.1 M against 954.9 M).
    // The tests hold the pretty output (the general path's, but for text heads the general path
    // made) byte for byte to the compact output put through a pretty printer of their own, for
    // generated documents and the real bodies: that checks these literals against it.
    let spelling = text.spelling();
    // The commonest marks, alone on a text, go out with the node's head in one literal.
    let head = match text.marks.as_slice() {
        [] if !spelling.has(Spelling::MARKS) => Some(TextHead::Plain),
        [Mark::Code] => Some(TextHead::Code),
        [Mark::Em] => Some(TextHead::Em),
        [Mark::Strong] => Some(TextHead::Strong),
        _ => None,
    };
    let plain = text.extra.is_empty() && !spelling.has(Spelling::ATTRS);
    if plain && emitter.pretty {
        if let Some(head) = head {
            if emitter.pretty_text_head(head) {
                emitter.str_value(&text.text);
                emitter.end_object();
                return;
            }
        }
    } else if plain {
        emitter.array_item();
        match head {
            Some(head) => emitter.raw(head.compact()),
            None => {
                emitter.raw("{\"type\":\"text\",\"marks\":");
                write_marks(emitter, &text.marks);
                emitter.raw(",\"text\":");
            }
        }
        emitter.str_value(&text.text);
        emitter.raw("}");
        return;
    }
    emitter.begin_object();
    emitter.key("type");
    emitter.name("text");
    write_attrs(emitter, &[], &[], spelling, &text.extra);
    if !text.marks.is_empty() || spelling.has(Spelling::MARKS) {
        emitter.key("marks");
        write_marks(emitter, &text.marks);
    }
    emitter.key("text");
    emitter.str_value(&text.text);
    write_fields(emitter, &text.extra);
    emitter.end_object();
}

/// The head of a usual text node, up to its `text` value.
#[derive(Clone, Copy)]
enum TextHead {
    Plain,
    Code,
    Em,
    Strong,
}

impl TextHead {
    fn compact(self) -> &'static str {
        match self {
            Self::Plain => "{\"type\":\"text\",\"text\":",
            Self::Code => "{\"type\":\"text\",\"marks\":[{\"type\":\"code\"}],\"text\":",
            Self::Em => "{\"type\":\"text\",\"marks\":[{\"type\":\"em\"}],\"text\":",
            Self::Strong => "{\"type\":\"text\",\"marks\":[{\"type\":\"strong\"}],\"text\":",
        }
    }

    fn marks(self) -> &'static [Mark] {
        match self {
            Self::Plain => &[],
            Self::Code => &[Mark::Code],
            Self::Em => &[Mark::Em],
            Self::Strong => &[Mark::Strong],
        }
    }
}

fn write_marks(emitter: &mut Emitter, marks: &[Mark]) {
    emitter.begin_array();
    for mark in marks {
        write_mark(emitter, mark);
    }
    emitter.end_array();
}

fn write_mark(emitter: &mut Emitter, mark: &Mark) {
    if !emitter.pretty {
        let literal = match mark {
            Mark::Em => "{\"type\":\"em\"}",
            Mark::Strong => "{\"type\":\"strong\"}",
            Mark::Code => "{\"type\":\"code\"}",
            Mark::Strike => "{\"type\":\"strike\"}",
            Mark::Underline => "{\"type\":\"underline\"}",
            _ => "",
        };
        if !literal.is_empty() {
            emitter.array_item();
            emitter.raw(literal);
            return;
        }
        if let Mark::Link(link) = mark {
            if link.extra.is_empty() && link.spelling.is_canonical() {
                emitter.array_item();
                emitter.raw("{\"type\":\"link\",\"attrs\":{\"href\":");
                emitter.str_value(&link.href);
                emitter.raw(",\"title\":");
                match &link.title {
                    Some(title) => emitter.str_value(title),
                    None => emitter.raw("null"),
                }
                emitter.raw("}}");
                return;
            }
        }
    }
    let (ty, values, spelling, extra): (MarkType, [AttrValue<'_>; 6], Spelling, Option<&Extra>) =
        match mark {
            Mark::Raw(raw) => {
                emitter.item_value(&raw.0);
                return;
            }
            Mark::Em => (MarkType::Em, Default::default(), Spelling::default(), None),
            Mark::Strong => (
                MarkType::Strong,
                Default::default(),
                Spelling::default(),
                None,
            ),
            Mark::Code => (
                MarkType::Code,
                Default::default(),
                Spelling::default(),
                None,
            ),
            Mark::Strike => (
                MarkType::Strike,
                Default::default(),
                Spelling::default(),
                None,
            ),
            Mark::Underline => (
                MarkType::Underline,
                Default::default(),
                Spelling::default(),
                None,
            ),
            Mark::Link(link) => (
                MarkType::Link,
                [
                    AttrValue::Str(Some(&link.href)),
                    AttrValue::Str(link.title.as_deref()),
                    AttrValue::Unused,
                    AttrValue::Unused,
                    AttrValue::Unused,
                    AttrValue::Unused,
                ],
                link.spelling,
                Some(&link.extra),
            ),
            Mark::Discussion(d) => (
                MarkType::Discussion,
                [
                    AttrValue::Str(Some(&d.discussion_id)),
                    AttrValue::Str(Some(&d.resolved_id)),
                    AttrValue::Unused,
                    AttrValue::Unused,
                    AttrValue::Unused,
                    AttrValue::Unused,
                ],
                d.spelling,
                Some(&d.extra),
            ),
            Mark::Styles(s) => (
                MarkType::Styles,
                [
                    AttrValue::Str(s.font_size.as_deref()),
                    AttrValue::Str(s.font_weight.as_deref()),
                    AttrValue::Str(s.text_align.as_deref()),
                    AttrValue::Str(s.color.as_deref()),
                    AttrValue::Str(s.background_color.as_deref()),
                    AttrValue::Str(s.white_space.as_deref()),
                ],
                s.spelling,
                Some(&s.extra),
            ),
        };
    emitter.begin_object();
    emitter.key("type");
    emitter.name(ty.name());
    let empty = Extra::default();
    let extra = extra.unwrap_or(&empty);
    write_attrs(emitter, ty.spec().attrs, &values, spelling, extra);
    write_fields(emitter, extra);
    emitter.end_object();
}

/// An attribute's value as the writer sees it.
#[derive(Clone, Copy, Default)]
enum AttrValue<'a> {
    #[default]
    Unused,
    Str(Option<&'a str>),
    Int(Option<u64>),
    /// A boolean and the value absence reads as.
    Bool(bool, bool),
    Span(Span),
    Counts(Option<&'a [u32]>),
}

/// Writes `attrs` when anything goes in it or the input spelt it; known attributes in table order,
/// then kept unknown ones sorted.
fn write_attrs(
    emitter: &mut Emitter,
    specs: &[AttrSpec],
    values: &[AttrValue<'_>],
    spelling: Spelling,
    extra: &Extra,
) {
    let mut opened = false;
    let mut open = |emitter: &mut Emitter| {
        if !opened {
            emitter.key("attrs");
            emitter.begin_object_value();
            opened = true;
        }
    };
    for ((index, spec), value) in (0u8..).zip(specs).zip(values) {
        let flipped = spelling.has(Spelling::attr(index));
        let is_none = match value {
            AttrValue::Unused => continue,
            AttrValue::Str(v) => v.is_none(),
            AttrValue::Int(v) => v.is_none(),
            AttrValue::Counts(v) => v.is_none(),
            AttrValue::Bool(v, default) => *v == *default && flipped,
            AttrValue::Span(span) => *span == Span::ONE && flipped,
        };
        if is_none {
            // Written as null when that is the canonical spelling and the input did not differ,
            // or when it is not and the input did.
            let null = match spec.absent {
                Absent::Null => !flipped,
                Absent::Omit => flipped,
                Absent::Default | Absent::Required => false,
            };
            if null {
                open(emitter);
                emitter.key(spec.name);
                emitter.raw("null");
            }
            continue;
        }
        open(emitter);
        emitter.key(spec.name);
        match value {
            AttrValue::Str(Some(s)) => emitter.str_value(s),
            AttrValue::Int(Some(n)) => emitter.number(n),
            AttrValue::Bool(b, _) => emitter.raw(if *b { "true" } else { "false" }),
            AttrValue::Span(span) => emitter.number(span.get()),
            AttrValue::Counts(Some(counts)) => {
                emitter.begin_array();
                for n in counts.iter() {
                    emitter.array_item();
                    emitter.number(n);
                }
                emitter.end_array();
            }
            _ => emitter.raw("null"),
        }
    }
    if let Some(attrs) = extra.attrs() {
        for (key, value) in sorted(attrs) {
            open(emitter);
            emitter.key_escaped(key);
            emitter.value(value);
        }
    }
    if spelling.has(Spelling::ATTRS) {
        open(emitter);
    }
    if opened {
        emitter.end_object();
    }
}

fn write_fields(emitter: &mut Emitter, extra: &Extra) {
    if let Some(fields) = extra.fields() {
        for (key, value) in sorted(fields) {
            emitter.key_escaped(key);
            emitter.value(value);
        }
    }
}

/// Entries in a fixed order whatever map type serde_json was built with: a node's own keys in the
/// order typed nodes are written (`type`, `attrs`, `content`, `marks`, `text`), then the rest sorted,
/// so that kept raw nodes read like the typed ones around them.
fn sorted(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    fn rank(key: &str) -> usize {
        ["type", "attrs", "content", "marks", "text"]
            .iter()
            .position(|k| *k == key)
            .unwrap_or(5)
    }
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| rank(a.0).cmp(&rank(b.0)).then_with(|| a.0.cmp(b.0)));
    entries
}

/// A JSON token writer that tracks commas and indentation.
struct Emitter<'s> {
    out: String,
    pretty: bool,
    /// How many containers are open.
    depth: usize,
    /// Whether the innermost open container has an item yet. One flag, not one per container:
    /// a container is always an item of its parent, so on its close the parent has one. A stack
    /// of flags cost a push and a pop per node: the JSON writing of the Markdown bench corpus took
    /// 130.3 M instructions with it and 119.9 M with this (callgrind, `profile_markdown` json).
    has_items: bool,
    /// Pretty text heads ([`Emitter::pretty_text_head`]) by depth, made on first use.
    text_heads: Vec<[String; 4]>,
    /// Where finished output goes part by part ([`write_to`]); without one it stays in `out`.
    sink: Option<Sink<'s>>,
    /// The sink's first error: what is written after it is dropped.
    failed: Option<std::io::Error>,
}

impl<'s> Emitter<'s> {
    fn new(capacity: usize, pretty: bool, sink: Option<Sink<'s>>) -> Self {
        Self {
            out: String::with_capacity(capacity),
            pretty,
            depth: 0,
            has_items: false,
            text_heads: Vec::new(),
            sink,
            failed: None,
        }
    }

    /// Passes the output so far to the sink, if there is one and there is a part's worth; the
    /// first error stops the writing (what is left goes nowhere) and is returned at the end.
    fn pass_on(&mut self) {
        if self.out.len() < PART {
            return;
        }
        if let Some(sink) = self.sink.as_mut() {
            if self.failed.is_none() {
                self.failed = sink.take(&self.out).err();
            }
            self.out.clear();
        }
    }

    /// The output, when there is no sink; otherwise passes the rest on (and the body string's
    /// closing quote) and returns nothing, or the sink's first error.
    fn finish(mut self) -> std::io::Result<String> {
        let Some(mut sink) = self.sink.take() else {
            return Ok(self.out);
        };
        if let Some(error) = self.failed {
            return Err(error);
        }
        sink.end(&self.out)?;
        Ok(String::new())
    }

    fn newline(&mut self) {
        if self.pretty {
            // One copy from a run of spaces rather than a push per level: pretty JSON of the 10 MB
            // Markdown file took 521.6 M instructions to write with a push per level, 437.2 M with
            // this, against 152.5 M for compact JSON (callgrind, `prodoc convert --json`).
            let width = self.depth.saturating_mul(2);
            match NEWLINE_INDENT.get(..width.saturating_add(1)) {
                Some(indent) => self.out.push_str(indent),
                None => {
                    self.out.push_str(NEWLINE_INDENT);
                    let rest = width.saturating_sub(NEWLINE_INDENT.len() - 1);
                    self.out.extend(std::iter::repeat_n(' ', rest));
                }
            }
        }
    }

    /// Writes a usual text node's head in pretty JSON as the next item, from a copy made by the
    /// general path the first time at this depth, and says so; past the depths kept ready it
    /// writes nothing and says no. The general path for every text node took pretty JSON of the
    /// 10 MB Markdown file 437.2 M instructions to write, against 338.4 M with these heads
    /// (`prodoc convert --json pretty`, whole process 1,367.0 M against 1,267.7 M, callgrind).
    fn pretty_text_head(&mut self, head: TextHead) -> bool {
        let depth = self.depth;
        if depth >= PRETTY_LEVELS {
            return false;
        }
        while self.text_heads.len() <= depth {
            self.text_heads.push(Default::default());
        }
        let Some(slot) = self
            .text_heads
            .get_mut(depth)
            .and_then(|heads| heads.get_mut(head as usize))
        else {
            return false;
        };
        if slot.is_empty() {
            let mut scratch = Emitter::new(64, true, None);
            scratch.depth = depth;
            scratch.begin_object_value();
            scratch.key("type");
            scratch.name("text");
            if !head.marks().is_empty() {
                scratch.key("marks");
                write_marks(&mut scratch, head.marks());
            }
            scratch.key("text");
            *slot = scratch.out;
        }
        self.array_item();
        let ready = self
            .text_heads
            .get(depth)
            .and_then(|heads| heads.get(head as usize));
        self.out.push_str(ready.map_or("", String::as_str));
        self.depth += 1;
        self.has_items = true;
        true
    }

    /// Starts an item in the innermost container: a comma if needed, then a new line.
    #[inline]
    fn array_item(&mut self) {
        if self.has_items {
            self.out.push(',');
        }
        self.has_items = true;
        self.newline();
    }

    /// Opens an object as the next item of the innermost array.
    fn begin_object(&mut self) {
        self.array_item();
        self.begin_object_value();
    }

    /// Opens an object as the value of the key just written.
    fn begin_object_value(&mut self) {
        self.out.push('{');
        self.depth += 1;
        self.has_items = false;
    }

    fn end_object(&mut self) {
        self.close('}');
    }

    fn begin_array(&mut self) {
        self.out.push('[');
        self.depth += 1;
        self.has_items = false;
    }

    fn end_array(&mut self) {
        self.close(']');
    }

    fn close(&mut self, bracket: char) {
        self.depth = self.depth.saturating_sub(1);
        if self.has_items {
            self.newline();
        }
        self.out.push(bracket);
        self.has_items = true;
    }

    /// One of the format's own keys: these need no escape, so none is looked for. Inlined so that
    /// the key's length is a constant and its copy needs no call.
    #[inline(always)]
    fn key(&mut self, key: &'static str) {
        self.array_item();
        debug_assert!(next_escape(key.as_bytes(), 0).is_none(), "{key}");
        self.out.reserve(key.len() + 4);
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str(if self.pretty { "\": " } else { "\":" });
    }

    /// A key kept from the input.
    fn key_escaped(&mut self, key: &str) {
        self.array_item();
        push_json_str(&mut self.out, key);
        self.out.push(':');
        if self.pretty {
            self.out.push(' ');
        }
    }

    /// One of the format's own names (a node or mark type), as a string: no escape needed.
    #[inline(always)]
    fn name(&mut self, name: &'static str) {
        debug_assert!(next_escape(name.as_bytes(), 0).is_none(), "{name}");
        self.out.reserve(name.len() + 2);
        self.out.push('"');
        self.out.push_str(name);
        self.out.push('"');
    }

    fn str_value(&mut self, s: &str) {
        push_json_str(&mut self.out, s);
    }

    /// A number, written in place rather than through a temporary string.
    fn number(&mut self, n: impl std::fmt::Display) {
        use std::fmt::Write as _;
        // Writing into a `String` cannot fail.
        let _ = write!(self.out, "{n}");
    }

    /// JSON the caller has spelt out whole.
    #[inline(always)]
    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Writes a kept JSON value. Kept values come from reading, so their depth is bounded by
    /// serde_json's recursion limit; this recursion is bounded with it.
    fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.raw("null"),
            Value::Bool(b) => self.raw(if *b { "true" } else { "false" }),
            Value::Number(n) => self.raw(&n.to_string()),
            Value::String(s) => self.str_value(s),
            Value::Array(items) => {
                self.begin_array();
                for item in items {
                    self.item_value(item);
                }
                self.end_array();
            }
            Value::Object(map) => {
                self.begin_object_value();
                for (key, item) in sorted(map) {
                    self.key_escaped(key);
                    self.value(item);
                }
                self.end_object();
            }
        }
    }

    /// Writes a kept value as the next item of the innermost array.
    fn item_value(&mut self, value: &Value) {
        self.array_item();
        self.value(value);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use proptest::prelude::*;

    use super::push_json_str;

    fn ours(s: &str) -> String {
        let mut out = String::new();
        push_json_str(&mut out, s);
        out
    }

    #[test]
    fn every_byte_that_needs_an_escape_is_found_at_every_place_in_a_word() {
        // Lengths up to five words, so that a string shorter than a word, whole words and the
        // overlapping last word each see every byte at every place; a second escape follows the
        // first, to test the search that resumes after one.
        for byte in (0u8..0x20).chain([b'"', b'\\', b' ', b'~', 0x7f]) {
            for (len, at) in (1..=40).flat_map(|len| (0..len).map(move |at| (len, at))) {
                let mut s = "abcdefghijklmnopqrstuvwxyzabcdefghijklmn".as_bytes()[..len].to_vec();
                s[at] = byte;
                if let Some(second) = s.get_mut(at + 1 + (at % 9)) {
                    *second = b'\n';
                }
                let s = String::from_utf8(s).unwrap();
                assert_eq!(ours(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
            }
        }
    }

    /// A document whose JSON is several parts long, with text that needs escaping in each.
    fn long_doc() -> crate::Doc {
        let paragraphs = (0..3000)
            .map(|i| {
                crate::Block::Paragraph(crate::Paragraph {
                    content: vec![crate::Inline::Text(crate::Text::plain(format!(
                        "paragraph {i}: \"quoted\", a tab\t, a line\nand é"
                    )))],
                    ..crate::Paragraph::default()
                })
            })
            .collect();
        let mut doc = crate::Doc::default();
        doc.content = paragraphs;
        doc
    }

    #[test]
    fn writing_part_by_part_gives_what_writing_whole_gives() {
        use crate::json::Style;
        // One paragraph as long as the whole: parts are passed on inside it too.
        let mut one_paragraph = crate::Doc::default();
        one_paragraph.content = vec![crate::Block::Paragraph(crate::Paragraph {
            content: (0..20_000)
                .map(|i| crate::Inline::Text(crate::Text::plain(format!("text {i} \"quoted\""))))
                .collect(),
            ..crate::Paragraph::default()
        })];
        for doc in [crate::Doc::default(), long_doc(), one_paragraph] {
            for (style, whole) in [
                (Style::Compact, super::to_string(&doc)),
                (Style::Pretty, super::to_string_pretty(&doc)),
                (Style::Body, super::to_body_string(&doc)),
            ] {
                let mut parts = Vec::new();
                super::write_to(&doc, style, &mut parts).unwrap();
                assert_eq!(String::from_utf8(parts).unwrap(), whole, "{style:?}");
            }
        }
        assert!(super::to_string(&long_doc()).len() > 2 * super::PART);
    }

    #[test]
    fn a_failing_sink_stops_the_writer_with_its_error() {
        struct Full;
        impl std::io::Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk full"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let error =
            super::write_to(&long_doc(), crate::json::Style::Pretty, &mut Full).unwrap_err();
        assert_eq!(error.to_string(), "disk full");
    }

    proptest! {
        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(s in "(\\PC|[\\x00-\\x1f\"\\\\\u{7f}-\u{a0}])*") {
            prop_assert_eq!(ours(&s), serde_json::to_string(&s).unwrap());
        }
    }
}
