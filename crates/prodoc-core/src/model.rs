//! The typed document: one Rust type per node, mark and attribute of the format.
//!
//! Structure the format fixes is fixed by the types: a list holds list items, a row holds cells, a
//! paragraph holds inlines. What lenient reading meets and cannot type (an unknown node, a node where
//! its parent may not hold it, a misspelt attribute value) is kept as a [`RawNode`] in the place it
//! was found, so that writing the document back loses nothing.

use std::sync::Arc;

pub use compact_str::CompactString;
use serde_json::{Map, Value};
use thin_vec::{thin_vec, ThinVec};

use crate::attrs::{Align, BannerKind, HeadingLevel, MentionKind, Span};

/// A whole document: the `doc` node.
///
/// Dropping a `Doc` takes its tree apart with an explicit stack, so that a document built deeper
/// than any reader allows cannot overflow the stack when it goes away.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Doc {
    /// The blocks, in order.
    pub content: Vec<Block>,
    /// Attributes and fields the format does not define, kept by lenient reading.
    pub extra: Extra,
    /// How the JSON was spelt where spelling carries no meaning.
    pub spelling: Spelling,
}

impl Doc {
    /// A document holding `content`.
    pub fn new(content: Vec<Block>) -> Self {
        Self {
            content,
            extra: Extra::default(),
            spelling: Spelling::default(),
        }
    }

    /// The document the editor makes for an empty page: one empty paragraph.
    pub fn empty_page() -> Self {
        Self::new(vec![Block::Paragraph(Paragraph::default())])
    }
}

impl Drop for Doc {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        Block::keep_containers(std::mem::take(&mut self.content), &mut stack);
        while let Some(block) = stack.pop() {
            block.take_children_into(&mut stack);
        }
    }
}

/// A block node: what `doc` and the block containers hold.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// `paragraph`: `{"type":"paragraph","content":[…]}`; `<p>`.
    Paragraph(Paragraph),
    /// `heading`: `{"type":"heading","attrs":{"level":2}}`; `<h1>`–`<h3>`.
    Heading(Heading),
    /// `blockquote`: `<blockquote><p>…</p></blockquote>`.
    Blockquote(Blockquote),
    /// `codeblock`: `<pre codeblock-language="rust"><code>…</code></pre>`.
    CodeBlock(CodeBlock),
    /// `ul`: `<ul><li>…</li></ul>`.
    BulletList(BulletList),
    /// `ol`: `<ol start="3">`.
    OrderedList(OrderedList),
    /// `checklist`: `<ul type="checklist">`.
    Checklist(Checklist),
    /// `table`: `<table>`.
    Table(Table),
    /// `divider`: `<hr>`.
    Divider(Divider),
    /// `banner`: `<banner type="warning"><p>…</p></banner>`.
    Banner(Banner),
    /// `columns`: `<div data-columns data-column-count="2">`.
    Columns(Columns),
    /// A node lenient reading could not type here, kept as read.
    Raw(RawNode),
}

/// An inline node: what paragraphs and headings hold.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    /// `text`, with its marks.
    Text(Text),
    /// `image`: `<img src alt title width>`.
    Image(Box<Image>),
    /// `file`: `<span file-type url name>`.
    File(Box<File>),
    /// `mention`: `<span mention-type mention-id mention-label>`, or `@[type:id:label]`.
    Mention(Box<Mention>),
    /// `var`: `<span var="name"></span>`.
    Var(Var),
    /// `br`: a line break inside a block; `<br>`.
    HardBreak(HardBreak),
    /// A node lenient reading could not type here, kept as read.
    Raw(RawNode),
}

/// A mark on a text node. Each type appears at most once on a node.
///
/// The variants with content hold it behind an [`Arc`], so that a mark is two words and a text
/// node's first mark fits in [`Marks`] without an allocation, and so that the text nodes a mark
/// covers share it: a link over text split by other marks, or a style over a pasted paragraph,
/// is counted once more for each node rather than copied (its href, title and fields each an
/// allocation).
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    /// `link`: `<a href>`.
    Link(Arc<Link>),
    /// `em`: `<em>`.
    Em,
    /// `strong`: `<strong>`.
    Strong,
    /// `code`: `<code>`.
    Code,
    /// `strike`: `<del>`.
    Strike,
    /// `underline`: `<u>`.
    Underline,
    /// `discussion`: a highlight tied to a comment thread; `<span discussion-id resolved-id>`.
    Discussion(Arc<Discussion>),
    /// `styles`: inline styling; `<span style="…">`.
    Styles(Arc<Styles>),
    /// A mark lenient reading could not type, kept as read.
    Raw(Arc<RawNode>),
}

/// The marks of a text node, used as a slice of [`Mark`]s. Most text carries none or one (in a
/// corpus of crate READMEs and changelogs, 92% of marked runs have one: code, emphasis or a
/// link), so one is kept in place and only a second one allocates.
///
/// Two words, where a `SmallVec` of one mark took three: a text node is most of a document, and
/// this saves it a word (it is 48 bytes).
#[derive(Clone, Default)]
pub struct Marks(MarksRepr);

/// Never `Many` with fewer than two marks, so that each list of marks has one form.
#[derive(Clone, Default)]
enum MarksRepr {
    #[default]
    None,
    One(Mark),
    /// A vector of one word (its length and capacity live in its allocation), so that it sits
    /// beside the one mark's tag rather than widen the whole; unlike a boxed `Vec`, one
    /// allocation.
    Many(ThinVec<Mark>),
}

impl Marks {
    /// No marks.
    pub const fn new() -> Self {
        Self(MarksRepr::None)
    }

    /// The marks as a slice.
    pub fn as_slice(&self) -> &[Mark] {
        match &self.0 {
            MarksRepr::None => &[],
            MarksRepr::One(mark) => std::slice::from_ref(mark),
            MarksRepr::Many(marks) => marks,
        }
    }

    /// The marks as a mutable slice.
    pub fn as_mut_slice(&mut self) -> &mut [Mark] {
        match &mut self.0 {
            MarksRepr::None => &mut [],
            MarksRepr::One(mark) => std::slice::from_mut(mark),
            MarksRepr::Many(marks) => marks,
        }
    }

    /// Adds `mark` at the end.
    pub fn push(&mut self, mark: Mark) {
        let len = self.len();
        self.insert(len, mark);
    }

    /// Inserts `mark` at `index`, or at the end if `index` is past it.
    pub fn insert(&mut self, index: usize, mark: Mark) {
        self.0 = match std::mem::take(&mut self.0) {
            MarksRepr::None => MarksRepr::One(mark),
            MarksRepr::One(first) if index == 0 => MarksRepr::Many(thin_vec![mark, first]),
            MarksRepr::One(first) => MarksRepr::Many(thin_vec![first, mark]),
            MarksRepr::Many(mut marks) => {
                marks.insert(index.min(marks.len()), mark);
                MarksRepr::Many(marks)
            }
        };
    }

    /// Keeps the marks for which `keep` says so, in order; `keep` may change them. In place:
    /// one mark stays where it is, and a list that falls to one mark holds it in place again.
    pub fn retain(&mut self, mut keep: impl FnMut(&mut Mark) -> bool) {
        match &mut self.0 {
            MarksRepr::None => {}
            MarksRepr::One(mark) => {
                if !keep(mark) {
                    self.0 = MarksRepr::None;
                }
            }
            MarksRepr::Many(marks) => {
                marks.retain_mut(keep);
                if marks.len() < 2 {
                    self.0 = marks.pop().map_or(MarksRepr::None, MarksRepr::One);
                }
            }
        }
    }

    /// Removes every mark.
    pub fn clear(&mut self) {
        self.0 = MarksRepr::None;
    }

    /// The marks as a vector.
    pub fn into_vec(self) -> Vec<Mark> {
        match self.0 {
            MarksRepr::None => Vec::new(),
            MarksRepr::One(mark) => vec![mark],
            MarksRepr::Many(marks) => marks.into(),
        }
    }
}

impl std::ops::Deref for Marks {
    type Target = [Mark];

    fn deref(&self) -> &[Mark] {
        self.as_slice()
    }
}

impl std::ops::DerefMut for Marks {
    fn deref_mut(&mut self) -> &mut [Mark] {
        self.as_mut_slice()
    }
}

impl PartialEq for Marks {
    fn eq(&self, other: &Self) -> bool {
        // Each list has one form, so lists of different forms differ.
        match (&self.0, &other.0) {
            (MarksRepr::None, MarksRepr::None) => true,
            (MarksRepr::One(a), MarksRepr::One(b)) => a == b,
            (MarksRepr::Many(a), MarksRepr::Many(b)) => a == b,
            _ => false,
        }
    }
}

impl std::fmt::Debug for Marks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl From<Vec<Mark>> for Marks {
    fn from(mut marks: Vec<Mark>) -> Self {
        Self(match marks.len() {
            0 => MarksRepr::None,
            1 => marks.pop().map_or(MarksRepr::None, MarksRepr::One),
            _ => MarksRepr::Many(ThinVec::from(marks)),
        })
    }
}

impl<const N: usize> From<[Mark; N]> for Marks {
    fn from(marks: [Mark; N]) -> Self {
        marks.into_iter().collect()
    }
}

impl FromIterator<Mark> for Marks {
    fn from_iter<I: IntoIterator<Item = Mark>>(marks: I) -> Self {
        let mut all = Self::new();
        all.extend(marks);
        all
    }
}

impl Extend<Mark> for Marks {
    fn extend<I: IntoIterator<Item = Mark>>(&mut self, marks: I) {
        for mark in marks {
            self.push(mark);
        }
    }
}

impl IntoIterator for Marks {
    type Item = Mark;
    type IntoIter = MarksIntoIter;

    fn into_iter(self) -> MarksIntoIter {
        MarksIntoIter(match self.0 {
            MarksRepr::None => MarksIterRepr::One(None),
            MarksRepr::One(mark) => MarksIterRepr::One(Some(mark)),
            MarksRepr::Many(marks) => MarksIterRepr::Many(marks.into_iter()),
        })
    }
}

impl<'a> IntoIterator for &'a Marks {
    type Item = &'a Mark;
    type IntoIter = std::slice::Iter<'a, Mark>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

/// The marks of a [`Marks`], by value.
pub struct MarksIntoIter(MarksIterRepr);

enum MarksIterRepr {
    One(Option<Mark>),
    Many(thin_vec::IntoIter<Mark>),
}

impl Iterator for MarksIntoIter {
    type Item = Mark;

    fn next(&mut self) -> Option<Mark> {
        match &mut self.0 {
            MarksIterRepr::One(mark) => mark.take(),
            MarksIterRepr::Many(marks) => marks.next(),
        }
    }
}

/// A place in a list, table or column layout that holds a typed node, or, after lenient reading, a
/// node that could not be typed there.
#[derive(Clone, Debug, PartialEq)]
pub enum Child<T> {
    /// The node the parent expects.
    Node(T),
    /// Anything else, kept as read.
    Raw(RawNode),
}

impl<T> Child<T> {
    /// The typed node, if this is one.
    pub fn node(&self) -> Option<&T> {
        match self {
            Self::Node(node) => Some(node),
            Self::Raw(_) => None,
        }
    }

    /// The typed node, mutably, if this is one.
    pub fn node_mut(&mut self) -> Option<&mut T> {
        match self {
            Self::Node(node) => Some(node),
            Self::Raw(_) => None,
        }
    }
}

impl<T> From<T> for Child<T> {
    fn from(node: T) -> Self {
        Self::Node(node)
    }
}

/// A JSON node or mark kept exactly as read (an object, or whatever stood in a node's place).
#[derive(Clone, Debug, PartialEq)]
pub struct RawNode(pub Value);

impl RawNode {
    /// The value of its `type` field, when it has a string one.
    pub fn type_name(&self) -> Option<&str> {
        self.0.get("type").and_then(Value::as_str)
    }
}

/// Attributes and top-level fields that the format does not define, kept by lenient reading and
/// written back in sorted key order. Strict reading never fills it.
///
/// Two are equal when they keep the same fields: a text node's JSON spelling, which it holds
/// too ([`Text::spelling`]), never counts, as for every node.
#[derive(Clone, Debug, Default)]
pub struct Extra(Option<Box<ExtraFields>>);

/// The contents of a non-empty [`Extra`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExtraFields {
    /// Unknown keys inside `attrs`.
    pub attrs: Map<String, Value>,
    /// Unknown keys beside `type`, `attrs`, `content`, `marks` and `text`.
    pub fields: Map<String, Value>,
    /// A text node's JSON spelling: held here, allocated only when it is not the canonical
    /// one (never in the 253 text nodes of the 21 real bodies), rather than in a field of
    /// every text node, which made a text node 56 bytes instead of 48, and so every inline.
    pub(crate) text_spelling: Spelling,
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.attrs() == other.attrs() && self.fields() == other.fields()
    }
}

impl Extra {
    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.0
            .as_ref()
            .is_none_or(|fields| fields.attrs.is_empty() && fields.fields.is_empty())
    }

    /// Unknown attributes, if any.
    pub fn attrs(&self) -> Option<&Map<String, Value>> {
        self.0
            .as_deref()
            .map(|fields| &fields.attrs)
            .filter(|attrs| !attrs.is_empty())
    }

    /// Unknown top-level fields, if any.
    pub fn fields(&self) -> Option<&Map<String, Value>> {
        self.0
            .as_deref()
            .map(|fields| &fields.fields)
            .filter(|fields| !fields.is_empty())
    }

    /// The kept fields, created on first use.
    pub fn get_mut(&mut self) -> &mut ExtraFields {
        self.0.get_or_insert_with(Box::default)
    }
}

/// How a node was spelt in JSON where the spelling carries no meaning: `"attrs":{}` against no
/// `attrs`, `"content":[]` against none, `null` against an absent attribute. Lenient reading records
/// it so that writing gives back the same JSON value; new nodes use the canonical spelling.
///
/// It never affects equality: two nodes that differ only in spelling are equal.
#[derive(Clone, Copy, Debug, Default, Eq)]
pub struct Spelling(pub(crate) u16);

impl PartialEq for Spelling {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl std::hash::Hash for Spelling {
    fn hash<H: std::hash::Hasher>(&self, _state: &mut H) {}
}

impl Spelling {
    /// `attrs` was present although nothing in it needed writing.
    pub(crate) const ATTRS: u16 = 1;
    /// `content` was present although empty.
    pub(crate) const CONTENT: u16 = 1 << 1;
    /// `marks` was present although empty.
    pub(crate) const MARKS: u16 = 1 << 2;
    /// The first of the per-attribute bits: set when an absent attribute's spelling (`null` or
    /// missing) differs from the canonical one the writer uses.
    pub(crate) const ATTR0: u16 = 1 << 3;

    /// Whether the input spelt nothing differently from the writer's canonical form.
    pub(crate) fn is_canonical(self) -> bool {
        self.0 == 0
    }

    pub(crate) fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }

    pub(crate) fn set(&mut self, bit: u16) {
        self.0 |= bit;
    }

    pub(crate) fn attr(index: u8) -> u16 {
        Self::ATTR0 << index
    }
}

/// `paragraph`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Paragraph {
    /// The editor-assigned block id (`attrs.id`).
    pub id: Option<String>,
    /// Alignment (`attrs.textAlign`, inferred; see [`Align`]).
    pub align: Option<Align>,
    /// The inline content; empty for an empty paragraph.
    pub content: Vec<Inline>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `heading`.
#[derive(Clone, Debug, PartialEq)]
pub struct Heading {
    /// `attrs.level`, 1–3.
    pub level: HeadingLevel,
    /// The editor-assigned block id.
    pub id: Option<String>,
    /// Alignment (`attrs.textAlign`, inferred).
    pub align: Option<Align>,
    /// The inline content.
    pub content: Vec<Inline>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

impl Heading {
    /// A heading of `level` holding `content`.
    pub fn new(level: HeadingLevel, content: Vec<Inline>) -> Self {
        Self {
            level,
            id: None,
            align: None,
            content,
            extra: Extra::default(),
            spelling: Spelling::default(),
        }
    }
}

/// `blockquote`. The original guide shows inline content; the 2026 guide and real bodies hold
/// paragraphs. Readers accept both and this model holds blocks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Blockquote {
    /// The editor-assigned block id.
    pub id: Option<String>,
    /// The quoted blocks.
    pub content: Vec<Block>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `codeblock`: one text node without marks, newlines and all.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CodeBlock {
    /// The editor-assigned block id.
    pub id: Option<String>,
    /// `attrs.language`, e.g. `rust`; `None` for plain text.
    pub language: Option<String>,
    /// The code; empty when the block has no content.
    pub text: String,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `ul`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BulletList {
    /// The editor-assigned block id.
    pub id: Option<String>,
    /// The items.
    pub items: Vec<Child<ListItem>>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `ol`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrderedList {
    /// The editor-assigned block id.
    pub id: Option<String>,
    /// `attrs.order`: the number of the first item (`<ol start>`); `None` means 1.
    pub order: Option<u32>,
    /// The items.
    pub items: Vec<Child<ListItem>>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `li`: a paragraph, then any blocks (nested lists among them), as ProseMirror's list item.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListItem {
    /// The blocks; the first is a paragraph.
    pub content: Vec<Block>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `checklist`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checklist {
    /// The editor-assigned block id.
    pub id: Option<String>,
    /// The items.
    pub items: Vec<Child<ChecklistItem>>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `checklist_item` (the original guide's example misspells it `cheklist_item`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChecklistItem {
    /// `attrs.checked`.
    pub checked: bool,
    /// The blocks; the first is a paragraph.
    pub content: Vec<Block>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `table`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// The editor-assigned block id.
    pub id: Option<String>,
    /// The rows.
    pub rows: Vec<Child<TableRow>>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `table_row`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableRow {
    /// The cells.
    pub cells: Vec<Child<TableCell>>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `table_cell` or `table_header`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableCell {
    /// `table_header` when true, `table_cell` otherwise.
    pub header: bool,
    /// `attrs.colspan`.
    pub colspan: Span,
    /// `attrs.rowspan`.
    pub rowspan: Span,
    /// `attrs.colwidth`: column widths in pixels set by dragging, one per spanned column.
    pub colwidth: Option<Vec<u32>>,
    /// `attrs.background`: a CSS colour.
    pub background: Option<String>,
    /// The blocks; may be empty.
    pub content: Vec<Block>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `divider`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Divider {
    /// The editor-assigned block id.
    pub id: Option<String>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `banner`: a callout.
#[derive(Clone, Debug, PartialEq)]
pub struct Banner {
    /// `attrs.type`.
    pub kind: BannerKind,
    /// The editor-assigned block id.
    pub id: Option<String>,
    /// The paragraphs.
    pub content: Vec<Block>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

impl Banner {
    /// A banner of `kind` holding `content`.
    pub fn new(kind: BannerKind, content: Vec<Block>) -> Self {
        Self {
            kind,
            id: None,
            content,
            extra: Extra::default(),
            spelling: Spelling::default(),
        }
    }
}

/// `columns`: 2 to 5 `column` nodes side by side.
///
/// Inferred: only the HTML form is documented; the JSON shape (`columns` holding `column` nodes that
/// hold blocks) follows it. The column count is the number of children.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Columns {
    /// The editor-assigned block id.
    pub id: Option<String>,
    /// The columns.
    pub columns: Vec<Child<Column>>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `column`: one column of a [`Columns`] layout (inferred, see there).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Column {
    /// The blocks.
    pub content: Vec<Block>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `text`: a non-empty run of characters with its marks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Text {
    /// The characters; never empty in a valid document. Most text runs are short (three in four
    /// of a corpus of READMEs are 24 bytes or less), and a `CompactString` keeps those inline,
    /// without an allocation of their own.
    pub text: CompactString,
    /// The marks, each type at most once, in the order read.
    pub marks: Marks,
    /// Unknown fields, and the node's JSON spelling ([`Text::spelling`]).
    pub extra: Extra,
}

impl Text {
    /// How the node was spelt in JSON.
    pub fn spelling(&self) -> Spelling {
        self.extra
            .0
            .as_deref()
            .map_or_else(Spelling::default, |fields| fields.text_spelling)
    }

    /// Records how the node was spelt in JSON; the canonical spelling takes no room.
    pub(crate) fn set_spelling(&mut self, spelling: Spelling) {
        if !spelling.is_canonical() || self.extra.0.is_some() {
            self.extra.get_mut().text_spelling = spelling;
        }
    }

    /// Unmarked text.
    pub fn plain(text: impl Into<CompactString>) -> Self {
        Self::marked(text, Marks::new())
    }

    /// Text with `marks` (a `Vec<Mark>`, a `[Mark; 1]` or [`Marks`]).
    pub fn marked(text: impl Into<CompactString>, marks: impl Into<Marks>) -> Self {
        // Every field spelt out: readers build text nodes by the hundred thousand, and
        // `..Self::default()` built a default mark list only to drop it.
        Self {
            text: text.into(),
            marks: marks.into(),
            extra: Extra::default(),
        }
    }
}

/// `image`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Image {
    /// `attrs.src`.
    pub src: String,
    /// `attrs.alt`.
    pub alt: Option<String>,
    /// `attrs.title`.
    pub title: Option<String>,
    /// `attrs.width` in pixels.
    pub width: Option<u32>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `file`: a link to an uploaded file (inferred JSON shape: `attrs.url`, `attrs.name`,
/// `attrs.type`, as in the original guide's example).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    /// `attrs.url`.
    pub url: String,
    /// `attrs.name`: the file name shown.
    pub name: String,
    /// `attrs.type`: the content type, e.g. `application/pdf`.
    pub content_type: String,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `mention`.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    /// `attrs.id`: the id of the object mentioned.
    pub id: String,
    /// `attrs.type`.
    pub kind: MentionKind,
    /// `attrs.label`: the text of the pill.
    pub label: String,
    /// `attrs.avatarUrl` (often `""` in real bodies).
    pub avatar_url: Option<String>,
    /// The text child real bodies carry, holding the label.
    pub content: Vec<Text>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

impl Mention {
    /// A mention as the editor writes it: with a text child holding the label.
    pub fn new(kind: MentionKind, id: impl Into<String>, label: impl Into<String>) -> Self {
        let label = label.into();
        Self {
            id: id.into(),
            kind,
            content: vec![Text::plain(label.clone())],
            label,
            avatar_url: None,
            extra: Extra::default(),
            spelling: Spelling::default(),
        }
    }
}

/// `var`: a placeholder resolved at display time (inferred JSON shape: `attrs.name`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Var {
    /// `attrs.name`, e.g. `customer_name`.
    pub name: String,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// `br`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HardBreak {
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// The `link` mark.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Link {
    /// `attrs.href`.
    pub href: String,
    /// `attrs.title`.
    pub title: Option<String>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

impl From<Link> for Mark {
    fn from(link: Link) -> Self {
        Self::Link(Arc::new(link))
    }
}

impl From<Discussion> for Mark {
    fn from(discussion: Discussion) -> Self {
        Self::Discussion(Arc::new(discussion))
    }
}

impl Link {
    /// A link to `href`.
    pub fn new(href: impl Into<String>) -> Self {
        Self {
            href: href.into(),
            ..Self::default()
        }
    }
}

/// The `discussion` mark.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Discussion {
    /// `attrs.discussionId`.
    pub discussion_id: String,
    /// `attrs.resolvedId`: `""` while the discussion is open.
    pub resolved_id: String,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

/// The `styles` mark. Real bodies carry all five of `fontSize`, `fontWeight`, `textAlign`, `color`
/// and `whiteSpace`, often as `""`; the guide adds a background colour (`backgroundColor`, inferred).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Styles {
    /// `attrs.fontSize`, e.g. `"12"`.
    pub font_size: Option<String>,
    /// `attrs.fontWeight`.
    pub font_weight: Option<String>,
    /// `attrs.textAlign`.
    pub text_align: Option<String>,
    /// `attrs.color`: a CSS colour.
    pub color: Option<String>,
    /// `attrs.backgroundColor`: a CSS colour.
    pub background_color: Option<String>,
    /// `attrs.whiteSpace`.
    pub white_space: Option<String>,
    /// Unknown attributes and fields.
    pub extra: Extra,
    /// JSON spelling.
    pub spelling: Spelling,
}

impl Mark {
    /// The mark's row in the mark table; for a raw mark, the row its `type` field names, if any.
    pub fn mark_type(&self) -> Option<crate::spec::MarkType> {
        use crate::spec::MarkType;
        Some(match self {
            Self::Link(_) => MarkType::Link,
            Self::Em => MarkType::Em,
            Self::Strong => MarkType::Strong,
            Self::Code => MarkType::Code,
            Self::Strike => MarkType::Strike,
            Self::Underline => MarkType::Underline,
            Self::Discussion(_) => MarkType::Discussion,
            Self::Styles(_) => MarkType::Styles,
            Self::Raw(raw) => return raw.type_name().and_then(MarkType::from_name),
        })
    }

    /// The mark's `type` name (for a raw mark, its `type` field or `""`).
    pub fn type_name(&self) -> &str {
        match self {
            Self::Link(_) => "link",
            Self::Em => "em",
            Self::Strong => "strong",
            Self::Code => "code",
            Self::Strike => "strike",
            Self::Underline => "underline",
            Self::Discussion(_) => "discussion",
            Self::Styles(_) => "styles",
            Self::Raw(raw) => raw.type_name().unwrap_or(""),
        }
    }
}

/// Which list node [`Block::list`] builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// `ul`.
    Bullet,
    /// `ol`.
    Ordered,
    /// `checklist`.
    Check,
}

impl Block {
    /// A list of `kind` holding one item per entry of `items` (the item's blocks and whether it
    /// is checked, which only a checklist keeps), numbered from `order` when ordered (`None` for
    /// 1): the one way readers of every format build a list.
    pub fn list(
        kind: ListKind,
        id: Option<String>,
        order: Option<u32>,
        items: impl IntoIterator<Item = (Vec<Block>, bool)>,
    ) -> Block {
        fn plain(items: impl IntoIterator<Item = (Vec<Block>, bool)>) -> Vec<Child<ListItem>> {
            items
                .into_iter()
                .map(|(content, _)| {
                    Child::Node(ListItem {
                        content,
                        ..ListItem::default()
                    })
                })
                .collect()
        }
        match kind {
            ListKind::Check => Block::Checklist(Checklist {
                id,
                items: items
                    .into_iter()
                    .map(|(content, checked)| {
                        Child::Node(ChecklistItem {
                            checked,
                            content,
                            ..ChecklistItem::default()
                        })
                    })
                    .collect(),
                ..Checklist::default()
            }),
            ListKind::Ordered => Block::OrderedList(OrderedList {
                id,
                order,
                items: plain(items),
                ..OrderedList::default()
            }),
            ListKind::Bullet => Block::BulletList(BulletList {
                id,
                items: plain(items),
                ..BulletList::default()
            }),
        }
    }
}

impl Block {
    /// The blocks directly inside this one, in order, each with how many node levels below this
    /// block it stands: 1 in a quote or banner, 2 in a list item or column (through the item), 3
    /// in a table cell (through row and cell). Raw items, rows, cells and columns hold none.
    pub fn children(&self) -> Vec<(usize, &Block)> {
        let mut children = Vec::new();
        self.for_each_child(|levels, block| children.push((levels, block)));
        children
    }

    /// Calls `f` with each of [`Block::children`], without collecting them.
    pub fn for_each_child<'a>(&'a self, mut f: impl FnMut(usize, &'a Block)) {
        fn through<'a, T>(
            children: &'a [Child<T>],
            blocks: impl Fn(&'a T) -> &'a [Block],
            levels: usize,
            f: &mut impl FnMut(usize, &'a Block),
        ) {
            for node in children.iter().filter_map(Child::node) {
                for block in blocks(node) {
                    f(levels, block);
                }
            }
        }
        match self {
            Self::Blockquote(Blockquote { content, .. }) | Self::Banner(Banner { content, .. }) => {
                for block in content {
                    f(1, block);
                }
            }
            Self::BulletList(BulletList { items, .. })
            | Self::OrderedList(OrderedList { items, .. }) => {
                through(items, |item| &item.content, 2, &mut f);
            }
            Self::Checklist(Checklist { items, .. }) => {
                through(items, |item| &item.content, 2, &mut f);
            }
            Self::Table(Table { rows, .. }) => {
                for row in rows.iter().filter_map(Child::node) {
                    through(&row.cells, |cell| &cell.content, 3, &mut f);
                }
            }
            Self::Columns(columns) => {
                through(&columns.columns, |column| &column.content, 2, &mut f)
            }
            Self::Paragraph(_)
            | Self::Heading(_)
            | Self::CodeBlock(_)
            | Self::Divider(_)
            | Self::Raw(_) => {}
        }
    }

    /// How many node levels this block spans, itself and everything inside included: 1 for a
    /// divider or an empty paragraph, 2 for a paragraph of text, 3 when it holds a mention (whose
    /// text is a child). Computed without recursion, so any depth is measured.
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack: Vec<(&Block, usize)> = vec![(self, 1)];
        while let Some((block, depth)) = stack.pop() {
            let own = match block {
                Self::Paragraph(Paragraph { content, .. })
                | Self::Heading(Heading { content, .. }) => {
                    if content
                        .iter()
                        .any(|inline| matches!(inline, Inline::Mention(_)))
                    {
                        2
                    } else {
                        usize::from(!content.is_empty())
                    }
                }
                Self::CodeBlock(code) => usize::from(!code.text.is_empty()),
                // A container's own levels: the list's items, the table's rows and cells.
                Self::BulletList(_)
                | Self::OrderedList(_)
                | Self::Checklist(_)
                | Self::Columns(_) => 1,
                Self::Table(_) => 2,
                Self::Blockquote(_) | Self::Banner(_) | Self::Divider(_) | Self::Raw(_) => 0,
            };
            deepest = deepest.max(depth + own);
            block.for_each_child(|levels, child| stack.push((child, depth + levels)));
        }
        deepest
    }

    /// The blocks directly inside this one, taken out (see [`Block::children`]); the block is
    /// left without them.
    pub fn take_children(&mut self) -> Vec<Block> {
        fn through<T>(
            children: &mut [Child<T>],
            blocks: impl Fn(&mut T) -> &mut Vec<Block>,
            out: &mut Vec<Block>,
        ) {
            for child in children.iter_mut() {
                if let Child::Node(node) = child {
                    out.append(blocks(node));
                }
            }
        }
        let mut out = Vec::new();
        match self {
            Self::Blockquote(Blockquote { content, .. }) | Self::Banner(Banner { content, .. }) => {
                out.append(content);
            }
            Self::BulletList(BulletList { items, .. })
            | Self::OrderedList(OrderedList { items, .. }) => {
                through(items, |item| &mut item.content, &mut out);
            }
            Self::Checklist(Checklist { items, .. }) => {
                through(items, |item| &mut item.content, &mut out);
            }
            Self::Table(Table { rows, .. }) => {
                for row in rows.iter_mut() {
                    if let Child::Node(row) = row {
                        through(&mut row.cells, |cell| &mut cell.content, &mut out);
                    }
                }
            }
            Self::Columns(columns) => {
                through(&mut columns.columns, |column| &mut column.content, &mut out)
            }
            Self::Paragraph(_)
            | Self::Heading(_)
            | Self::CodeBlock(_)
            | Self::Divider(_)
            | Self::Raw(_) => {}
        }
        out
    }

    /// The node's `type` name (for a raw node, its `type` field or `""`).
    pub fn type_name(&self) -> &str {
        match self {
            Self::Paragraph(_) => "paragraph",
            Self::Heading(_) => "heading",
            Self::Blockquote(_) => "blockquote",
            Self::CodeBlock(_) => "codeblock",
            Self::BulletList(_) => "ul",
            Self::OrderedList(_) => "ol",
            Self::Checklist(_) => "checklist",
            Self::Table(_) => "table",
            Self::Divider(_) => "divider",
            Self::Banner(_) => "banner",
            Self::Columns(_) => "columns",
            Self::Raw(raw) => raw.type_name().unwrap_or(""),
        }
    }

    /// Moves every nested block out into `stack`, leaving this block shallow. Used to drop and walk
    /// trees without recursion.
    /// Drops the blocks that hold no blocks (their drop is shallow) and moves the others onto
    /// `stack`, so that only containers take the explicit-stack path.
    fn keep_containers(blocks: Vec<Block>, stack: &mut Vec<Block>) {
        for block in blocks {
            match block {
                Self::Paragraph(_)
                | Self::Heading(_)
                | Self::CodeBlock(_)
                | Self::Divider(_)
                | Self::Raw(_) => {}
                container => stack.push(container),
            }
        }
    }

    fn take_children_into(mut self, stack: &mut Vec<Block>) {
        fn items<T>(children: Vec<Child<T>>, mut f: impl FnMut(T)) {
            for child in children {
                if let Child::Node(node) = child {
                    f(node);
                }
            }
        }
        match &mut self {
            Self::Blockquote(node) => {
                Self::keep_containers(std::mem::take(&mut node.content), stack)
            }
            Self::Banner(node) => Self::keep_containers(std::mem::take(&mut node.content), stack),
            Self::BulletList(BulletList { items: list, .. })
            | Self::OrderedList(OrderedList { items: list, .. }) => {
                items(std::mem::take(list), |item| {
                    Self::keep_containers(item.content, stack)
                });
            }
            Self::Checklist(node) => {
                items(std::mem::take(&mut node.items), |item| {
                    Self::keep_containers(item.content, stack)
                });
            }
            Self::Table(node) => items(std::mem::take(&mut node.rows), |row| {
                items(row.cells, |cell| Self::keep_containers(cell.content, stack))
            }),
            Self::Columns(node) => items(std::mem::take(&mut node.columns), |column| {
                Self::keep_containers(column.content, stack)
            }),
            Self::Paragraph(_)
            | Self::Heading(_)
            | Self::CodeBlock(_)
            | Self::Divider(_)
            | Self::Raw(_) => {}
        }
    }
}

impl Inline {
    /// The node's `type` name (for a raw node, its `type` field or `""`).
    pub fn type_name(&self) -> &str {
        match self {
            Self::Text(_) => "text",
            Self::Image(_) => "image",
            Self::File(_) => "file",
            Self::Mention(_) => "mention",
            Self::Var(_) => "var",
            Self::HardBreak(_) => "br",
            Self::Raw(raw) => raw.type_name().unwrap_or(""),
        }
    }
}

// Pinned so that a change that grows every node in every document is a deliberate one.
const _: () = assert!(std::mem::size_of::<Block>() <= 96);
const _: () = assert!(std::mem::size_of::<Inline>() <= 48);
// Two words, and a text node of six, on 64-bit targets (WebAssembly's are 32-bit).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Marks>() == 16);
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Text>() == 48);
const _: () = assert!(std::mem::size_of::<Mark>() <= 16);
const _: () = assert!(std::mem::size_of::<Marks>() <= 24);
const _: () = assert!(std::mem::size_of::<Text>() <= 48);

#[cfg(test)]
mod tests {
    use super::*;

    fn link(href: &str) -> Mark {
        Mark::from(Link::new(href))
    }

    #[test]
    fn marks_keep_order_and_one_form_per_list() {
        let mut marks = Marks::new();
        assert!(marks.is_empty());
        marks.push(Mark::Em);
        assert!(matches!(marks.0, MarksRepr::One(Mark::Em)));
        marks.insert(0, Mark::Strong);
        marks.push(link("https://a"));
        marks.insert(99, Mark::Code);
        assert_eq!(
            marks.as_slice(),
            &[Mark::Strong, Mark::Em, link("https://a"), Mark::Code]
        );
        marks.retain(|mark| !matches!(mark, Mark::Strong | Mark::Code));
        assert_eq!(marks.len(), 2);
        marks.retain(|mark| matches!(mark, Mark::Em));
        // Back to one mark: held in place again, and equal however it was made.
        assert!(matches!(marks.0, MarksRepr::One(Mark::Em)));
        assert_eq!(marks, Marks::from([Mark::Em]));
        assert_eq!(marks, Marks::from(vec![Mark::Em]));
        marks.retain(|mark| !matches!(mark, Mark::Em));
        assert_eq!(marks, Marks::default());
        marks.push(Mark::Code);
        marks.clear();
        assert_eq!(marks, Marks::default());
        let many: Marks = [Mark::Em, Mark::Strong, Mark::Code].into_iter().collect();
        assert_eq!(
            many.clone().into_vec(),
            many.iter().cloned().collect::<Vec<_>>()
        );
        assert_eq!(many.into_iter().count(), 3);
        assert_eq!(
            Marks::from([Mark::Em]).into_iter().collect::<Vec<_>>(),
            vec![Mark::Em]
        );
        assert_eq!(format!("{:?}", Marks::from([Mark::Em])), "[Em]");
    }
}
