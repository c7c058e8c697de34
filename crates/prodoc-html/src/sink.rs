//! A tree sink that builds the document tree in an arena and records where each element and
//! comment starts.
//!
//! The tree is a vector of nodes linked by index (parent, first and last child, siblings): one
//! allocation for the whole tree instead of a reference-counted node and a child vector per
//! node, and a plain vector to drop. It is built exactly as rcdom builds it (adjacent text merged
//! on append and insertion, nothing merged when children are moved), which is what html5ever's
//! tree builder expects of a sink.
//!
//! Why not markup5ever_rcdom, html5ever's own DOM: it is built for html5ever's tests and says it
//! is not meant for production or untrusted input, and reading on it measured ~15% slower
//! (`examples/profile_html`: 0.84 s against 0.73 s for the same pages, parse-only 0.62 s). It
//! remains the baseline of `benches/read.rs` and the reference tree of `tests/limits.rs`.
//!
//! html5ever reports only the line of each token (the line its end is on) and no column. To give
//! diagnostics a line and a column, the sink takes each element's start from the scan that runs
//! ahead of the tokenizer ([`crate::scan`]), which finds every start tag the tokenizer will give,
//! in the same order: the element the tree builder creates for a start tag starts where that tag
//! does. (Looking for `<name` in the source after the previous element's tag, as this sink once
//! did, lost its place for good at the first start tag that made no element, and from there on
//! every element had only a line.) An element the parser implied (`<tbody>`, `<html>`, a
//! reopened `<b>`) has no tag and gets the token's line and column 1; a comment is looked for
//! after the last element's tag, on its token's line. Offsets become lines and columns only when
//! a diagnostic asks.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::num::NonZeroU32;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::{ns, Attribute, ExpandedName, LocalName, Namespace, QualName};
use prodoc_core::Position;

/// Byte offsets to lines and columns: the one index every reader uses.
pub(crate) type Lines<'a> = prodoc_core::shared::lines::LineIndex<'a>;

/// Where an element or comment starts, in 32 bits, as every one holds it: a byte offset, or
/// with [`LINE_ONLY`] set only a line, when its tag was not found (or its offset does not fit in
/// 31 bits; a line past that is said as the last there is).
#[derive(Clone, Copy)]
pub(crate) struct Location(u32);

/// The bit of a [`Location`] that says it holds a line.
const LINE_ONLY: u32 = 1 << 31;

impl Location {
    fn offset(offset: usize, line: usize) -> Self {
        match u32::try_from(offset) {
            Ok(offset) if offset < LINE_ONLY => Self(offset),
            _ => Self::line(line),
        }
    }

    fn line(line: usize) -> Self {
        let line = u32::try_from(line).map_or(LINE_ONLY - 1, |line| line.min(LINE_ONLY - 1));
        Self(LINE_ONLY | line)
    }

    /// The byte offset, or `Err` with the line when only the line is known.
    fn offset_or_line(self) -> Result<usize, usize> {
        let value = usize::try_from(self.0 & !LINE_ONLY).unwrap_or(usize::MAX);
        if self.0 & LINE_ONLY == 0 {
            Ok(value)
        } else {
            Err(value)
        }
    }
}

/// An element's namespace. The tree builder makes elements in three (HTML, SVG and MathML); the
/// arena keeps which in a byte rather than the namespace's 8-byte atom, and the builder's
/// handles keep the atom it asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ns {
    Html,
    Svg,
    MathMl,
    /// Any other, which the tree builder does not make.
    Other,
}

impl Ns {
    fn of(ns: &Namespace) -> Self {
        if *ns == ns!(html) {
            Self::Html
        } else if *ns == ns!(svg) {
            Self::Svg
        } else if *ns == ns!(mathml) {
            Self::MathMl
        } else {
            Self::Other
        }
    }
}

/// An element's name, as the tree builder's handles hold it. The prefix html5ever also gives
/// (`svg:` in `<svg:rect>`) is not kept: the reader goes by namespace and local name.
#[derive(Clone, Default)]
pub(crate) struct ElementName {
    pub(crate) ns: Namespace,
    pub(crate) local: LocalName,
}

/// A node's index in the arena, in 32 bits: the six links of a node (five, and a template's
/// contents) took 96 bytes as `Option<usize>` and take 24 as `Option<Id>`, and a node 104 bytes
/// instead of 176 (80 since its location and depth are 32-bit too and an element's name keeps no
/// prefix: `prodoc convert`, 4 MB of `x<br>`, peak RSS 288.6 -> 248.9 MB; 8 MB of HTML prose
/// 161.0 -> 145.2 MB; 64 since [`AttrsId`]; 48 since an element's location, depth and
/// namespace are held in its own variant, packed). The arena is most of what reading HTML holds
/// at its peak.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Id(NonZeroU32);

impl Id {
    /// The index `index`, or [`DISCARD`] past the most the arena holds.
    fn new(index: usize) -> Self {
        u32::try_from(index)
            .ok()
            .and_then(|index| index.checked_add(1))
            .and_then(NonZeroU32::new)
            .filter(|id| *id < DISCARD.0)
            .map_or(DISCARD, Id)
    }

    fn index(self) -> usize {
        usize::try_from(self.0.get() - 1).unwrap_or(usize::MAX)
    }
}

/// Stands for a node the arena has no room for: it holds at most `u32::MAX - 1` nodes (more
/// would take over 500 GB), and this id is no index of it, so that every link made to or from
/// it is none (the link functions pass over ids that are not there) and what it stands for is
/// left out.
const DISCARD: Id = Id(NonZeroU32::MAX);

/// The node `id` of `nodes`, if it is there.
fn at(nodes: &[Node], id: Id) -> Option<&Node> {
    nodes.get(id.index())
}

/// The node `id` of `nodes`, if it is there, to change.
fn at_mut(nodes: &mut [Node], id: Id) -> Option<&mut Node> {
    nodes.get_mut(id.index())
}

/// What a node is.
pub(crate) enum NodeData {
    Document,
    Doctype,
    Text {
        contents: StrTendril,
    },
    Comment {
        start: Location,
        /// A marker that holds no content of its own: a conditional comment's condition alone,
        /// Word's `<![if !supportLists]>` and `<![endif]>` (bogus comments to an HTML parser) or
        /// the same written as `<!--[if …]-->` and `<!--[endif]-->`, whose guarded content is
        /// outside them in the document; or the clipboard's `<!--StartFragment-->` and
        /// `<!--EndFragment-->`, which every paste from a browser, Word or Outlook carries.
        marker: bool,
    },
    Element {
        local: LocalName,
        ns: Ns,
        /// Its attributes, in the tree's lists of them ([`NodeRef::attrs`]).
        attrs: AttrsId,
        start: Location,
        /// Its depth in the tree (the document is 0), once appended. The parser keeps it near
        /// [`crate::parse::PARSER_DEPTH`]; it saturates, which only the depth guard reads.
        depth: u16,
        /// A `<template>`, whose contents are a document node of their own, outside the tree:
        /// the node made just before the element ([`PosSink::create_element`]).
        template: bool,
        mathml_annotation_xml_integration_point: bool,
    },
    ProcessingInstruction,
}

/// A node and its links. A node's children are a list that wraps one way: the first child's
/// `previous` is the last child (the last's `next` is none), so that a node holds no link to its
/// last child and is 40 bytes instead of 48 (`prodoc convert`, peak RSS: 4 MiB of `x<br>`
/// 178.7 -> 166.0 MiB; 8 MiB of HTML prose 60.7 -> 56.0 MiB).
struct Node {
    data: NodeData,
    parent: Option<Id>,
    first_child: Option<Id>,
    /// The sibling before, or for a first child the last child.
    previous: Option<Id>,
    next: Option<Id>,
}

const _: () = assert!(std::mem::size_of::<NodeData>() <= 24);
const _: () = assert!(std::mem::size_of::<Node>() <= 40);

/// The last child of `parent`: its first child's `previous`.
fn last_child(nodes: &[Node], parent: Id) -> Option<Id> {
    at(nodes, at(nodes, parent)?.first_child?)?.previous
}

/// The sibling before `node`: none for a first child, whose `previous` is the last child.
fn previous_sibling(nodes: &[Node], node: Id) -> Option<Id> {
    let n = at(nodes, node)?;
    if at(nodes, n.parent?)?.first_child == Some(node) {
        None
    } else {
        n.previous
    }
}

/// Where an element's attributes are in the tree's [`AttrLists`], in 32 bits, or none. They are
/// held beside the arena rather than in it: a vector in every node took 24 bytes where most
/// nodes (text, and elements without attributes) have none, and a node is 64 bytes instead of 80
/// (`prodoc convert`, peak RSS: 4 MB of `x<br>` 235.1 -> 209.3 MB, 8 MB of HTML prose 127.1 ->
/// 118.6 MB; the HTML bench's pages read as fast, +0.5% in 12 alternating rounds).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct AttrsId(Option<NonZeroU32>);

impl AttrsId {
    /// No attributes.
    const NONE: Self = Self(None);

    fn index(self) -> Option<usize> {
        self.0.and_then(|id| usize::try_from(id.get() - 1).ok())
    }
}

/// The attributes of every element that has some, one element's after another in one vector,
/// and where each element's are. One vector rather than one per element: that took an
/// allocation and 24 bytes of vector for each (8 MiB of HTML prose, one `<a href>` a paragraph:
/// peak RSS 63.0 -> 60.7 MiB).
#[derive(Default)]
pub(crate) struct AttrLists {
    all: Vec<Attribute>,
    /// Each list's first attribute in `all` and its length.
    spans: Vec<(u32, u32)>,
}

impl AttrLists {
    /// Adds `attrs` as a list, unless there are none, or unless past what 32 bits count (four
    /// billion attributes, over 160 GB, which no input that fits in memory reaches): then they
    /// are left out.
    fn push(&mut self, attrs: Vec<Attribute>) -> AttrsId {
        let Some(span) = self.span_at_end(attrs.len()) else {
            return AttrsId::NONE;
        };
        let Some(id) = u32::try_from(self.spans.len() + 1)
            .ok()
            .and_then(NonZeroU32::new)
        else {
            return AttrsId::NONE;
        };
        self.all.extend(attrs);
        self.spans.push(span);
        AttrsId(Some(id))
    }

    /// The span of `len` attributes added at the end, if it is not empty and 32 bits count it.
    fn span_at_end(&self, len: usize) -> Option<(u32, u32)> {
        let start = u32::try_from(self.all.len()).ok()?;
        let len = u32::try_from(len).ok().filter(|&len| len > 0)?;
        start.checked_add(len)?;
        Some((start, len))
    }

    fn get(&self, id: AttrsId) -> &[Attribute] {
        id.index()
            .and_then(|index| self.spans.get(index))
            .and_then(|&(start, len)| {
                let start = usize::try_from(start).ok()?;
                self.all.get(start..start + usize::try_from(len).ok()?)
            })
            .unwrap_or_default()
    }

    /// Adds to list `id` those of `attrs` whose names it lacks (the tree builder's merging of a
    /// second `<html>` or `<body>` tag into the first), as a new list at the end: the old one
    /// stays unused, which only repeated `<html>` and `<body>` tags leave.
    fn add_missing(&mut self, id: &mut AttrsId, attrs: Vec<Attribute>) {
        let existing = self.get(*id);
        let missing: Vec<Attribute> = attrs
            .into_iter()
            .filter(|a| !existing.iter().any(|e| e.name == a.name))
            .collect();
        if missing.is_empty() {
            return;
        }
        let mut list = existing.to_vec();
        list.extend(missing);
        let merged = self.push(list);
        // Past what 32 bits count the element keeps the list it had.
        if merged != AttrsId::NONE {
            *id = merged;
        }
    }
}

impl Node {
    fn new(data: NodeData) -> Self {
        Self {
            data,
            parent: None,
            first_child: None,
            previous: None,
            next: None,
        }
    }
}

/// The parsed tree.
pub(crate) struct Dom {
    nodes: Vec<Node>,
    /// The attributes of the elements that have some.
    attrs: AttrLists,
    /// What stands in for a node that is not there (never, for a reference the tree handed out).
    missing: NodeData,
}

/// The document node's index: the sink creates it first.
const DOCUMENT: Id = Id(NonZeroU32::MIN);

impl Dom {
    /// The document node.
    pub(crate) fn document(&self) -> NodeRef<'_> {
        NodeRef {
            dom: self,
            id: DOCUMENT,
        }
    }

    fn attrs_of(&self, attrs: AttrsId) -> &[Attribute] {
        self.attrs.get(attrs)
    }

    fn get(&self, id: Option<Id>) -> Option<NodeRef<'_>> {
        let id = id?;
        at(&self.nodes, id).map(|_| NodeRef { dom: self, id })
    }
}

/// A node of the parsed tree.
#[derive(Clone, Copy)]
pub(crate) struct NodeRef<'a> {
    dom: &'a Dom,
    id: Id,
}

impl<'a> NodeRef<'a> {
    fn node(self) -> Option<&'a Node> {
        at(&self.dom.nodes, self.id)
    }

    pub(crate) fn data(self) -> &'a NodeData {
        self.node().map_or(&self.dom.missing, |node| &node.data)
    }

    /// An element's attributes; none for any other node.
    pub(crate) fn attrs(self) -> &'a [Attribute] {
        match self.data() {
            NodeData::Element { attrs, .. } => self.dom.attrs_of(*attrs),
            _ => &[],
        }
    }

    pub(crate) fn parent(self) -> Option<Self> {
        self.dom.get(self.node()?.parent)
    }

    pub(crate) fn first_child(self) -> Option<Self> {
        self.dom.get(self.node()?.first_child)
    }

    pub(crate) fn next_sibling(self) -> Option<Self> {
        self.dom.get(self.node()?.next)
    }

    /// The children, first to last (or last to first, reversed), walked along the sibling links.
    pub(crate) fn children(self) -> Children<'a> {
        let node = self.node();
        Children {
            dom: self.dom,
            front: node.and_then(|n| n.first_child),
            back: last_child(&self.dom.nodes, self.id),
        }
    }
}

/// The children of a node: the unvisited run between `front` and `back`.
pub(crate) struct Children<'a> {
    dom: &'a Dom,
    front: Option<Id>,
    back: Option<Id>,
}

impl<'a> Iterator for Children<'a> {
    type Item = NodeRef<'a>;

    fn next(&mut self) -> Option<NodeRef<'a>> {
        let id = self.front?;
        if self.front == self.back {
            self.front = None;
            self.back = None;
        } else {
            self.front = at(&self.dom.nodes, id).and_then(|n| n.next);
        }
        Some(NodeRef { dom: self.dom, id })
    }
}

impl DoubleEndedIterator for Children<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let id = self.back?;
        if self.front == self.back {
            self.front = None;
            self.back = None;
        } else {
            // `back` is not the first child (that is at or before `front`), so its `previous`
            // is the sibling before it.
            self.back = at(&self.dom.nodes, id).and_then(|n| n.previous);
        }
        Some(NodeRef { dom: self.dom, id })
    }
}

/// The sink: the arena being built, and what locating start tags needs.
pub(crate) struct PosSink<'a> {
    nodes: RefCell<Vec<Node>>,
    attrs: RefCell<AttrLists>,
    lines: &'a Lines<'a>,
    line: Cell<u64>,
    /// Where the last element located by its tag starts, plus one: comments are looked for
    /// from there.
    cursor: Cell<usize>,
    /// Where the start tag being processed starts, as the scan found it, until an element of
    /// its name takes it.
    tag_start: Cell<Option<usize>>,
    /// The depth of the parser's current node, as far as appends and pops tell.
    current_depth: Cell<usize>,
}

/// What parsing gives: the tree, with the start of each element and comment.
pub(crate) struct Parsed<'a> {
    pub(crate) dom: Dom,
    lines: &'a Lines<'a>,
    /// Start tags the depth guard dropped, and the line of the first.
    pub(crate) flattened: (usize, u64),
}

impl Parsed<'_> {
    /// Where `node` starts, if it is an element or comment the parser saw.
    pub(crate) fn position(&self, node: NodeRef<'_>) -> Option<Position> {
        let (NodeData::Element { start, .. } | NodeData::Comment { start, .. }) = node.data()
        else {
            return None;
        };
        Some(match start.offset_or_line() {
            Ok(offset) => self.lines.position(offset),
            Err(line) => Position { line, column: 1 },
        })
    }
}

/// The tree builder's handle on a node: its index, and for an element its name, which the
/// builder asks for all the time and gets without a look into the arena.
#[derive(Clone)]
pub(crate) struct Handle {
    id: Id,
    name: ElementName,
}

impl Handle {
    fn unnamed(id: Id) -> Self {
        Self {
            id,
            name: ElementName::default(),
        }
    }
}

impl<'a> PosSink<'a> {
    pub(crate) fn new(lines: &'a Lines<'a>) -> Self {
        // Room for the document, the elements the parser implies (html, head, body) and about a
        // node per 32 bytes of markup: most fragments are small, and growing from one node
        // reallocated and copied the vector several times for each.
        let mut nodes = Vec::with_capacity(8 + lines.text().len() / 32);
        nodes.push(Node::new(NodeData::Document));
        Self {
            nodes: RefCell::new(nodes),
            attrs: RefCell::new(AttrLists::default()),
            lines,
            line: Cell::new(1),
            cursor: Cell::new(0),
            tag_start: Cell::new(None),
            current_depth: Cell::new(0),
        }
    }

    fn push(&self, data: NodeData) -> Id {
        push(&mut self.nodes.borrow_mut(), data)
    }

    /// Says where the start tag the tree builder is about to process starts.
    pub(crate) fn start_tag_at(&self, offset: Option<usize>) {
        self.tag_start.set(offset);
    }

    /// Where an element named `name` starts: at its start tag if it is the element of the
    /// start tag being processed (one the tree builder implies, or reopens, has no tag of its
    /// own), otherwise at the start of the current token's line.
    fn locate_element(&self, name: &str) -> Location {
        let text = self.lines.text().as_bytes();
        let own = self.tag_start.get().filter(|&offset| {
            let after = offset + 1 + name.len();
            text.get(offset + 1..after)
                .is_some_and(|found| found.eq_ignore_ascii_case(name.as_bytes()))
                && text
                    .get(after)
                    .is_none_or(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
        });
        let line = usize::try_from(self.line.get()).unwrap_or(usize::MAX);
        match own {
            Some(offset) => {
                self.tag_start.set(None);
                self.cursor.set(offset + 1);
                Location::offset(offset, line)
            }
            None => Location::line(line),
        }
    }

    /// Where a comment starts: the `<!--` at or after the cursor, within the current token's
    /// line.
    fn locate_comment(&self) -> Location {
        let line = usize::try_from(self.line.get()).unwrap_or(usize::MAX);
        let found = find_comment(
            self.lines.text().as_bytes(),
            self.cursor.get(),
            self.lines.line_end(line),
        );
        match found {
            Some(at) => {
                self.cursor.set(at + 1);
                Location::offset(at, line)
            }
            None => Location::line(line),
        }
    }

    /// How deep the parser's current node is.
    pub(crate) fn current_depth(&self) -> usize {
        self.current_depth.get()
    }

    fn depth_of(nodes: &[Node], node: Id) -> u16 {
        match at(nodes, node).map(|n| &n.data) {
            Some(NodeData::Element { depth, .. }) => *depth,
            _ => 0,
        }
    }

    fn appended(&self, nodes: &mut [Node], parent: Id, child: &NodeOrText<Handle>) {
        if let NodeOrText::AppendNode(node) = child {
            let depth = Self::depth_of(nodes, parent).saturating_add(1);
            if let Some(NodeData::Element { depth: own, .. }) =
                at_mut(nodes, node.id).map(|n| &mut n.data)
            {
                *own = depth;
            }
            self.current_depth.set(usize::from(depth));
        }
    }

    pub(crate) fn finish_with(self, flattened: (usize, u64)) -> Parsed<'a> {
        Parsed {
            dom: Dom {
                nodes: self.nodes.into_inner(),
                attrs: self.attrs.into_inner(),
                missing: NodeData::Document,
            },
            lines: self.lines,
            flattened,
        }
    }
}

/// Adds a node to the arena: its id, or [`DISCARD`] when the arena is full.
fn push(nodes: &mut Vec<Node>, data: NodeData) -> Id {
    let id = Id::new(nodes.len());
    if id != DISCARD {
        nodes.push(Node::new(data));
    }
    id
}

/// Takes `node` out of its parent's children.
fn unlink(nodes: &mut [Node], node: Id) {
    let Some(n) = at(nodes, node) else {
        return;
    };
    let (Some(parent), previous, next) = (n.parent, n.previous, n.next) else {
        return;
    };
    let Some(first) = at(nodes, parent).and_then(|p| p.first_child) else {
        return;
    };
    if first == node {
        // Its `previous` is the last child, which the new first child (if any) now points to.
        if let Some(p) = at_mut(nodes, parent) {
            p.first_child = next;
        }
        if let Some(n) = next.and_then(|next| at_mut(nodes, next)) {
            n.previous = previous;
        }
    } else {
        if let Some(p) = previous.and_then(|p| at_mut(nodes, p)) {
            p.next = next;
        }
        // The node after it points back past it; without one, it was the last child, which the
        // first child points to.
        let after = next.unwrap_or(first);
        if let Some(n) = at_mut(nodes, after) {
            n.previous = previous;
        }
    }
    if let Some(n) = at_mut(nodes, node) {
        n.parent = None;
        n.previous = None;
        n.next = None;
    }
}

/// Makes `node` (without a parent) the last child of `parent`.
fn link_last(nodes: &mut [Node], parent: Id, node: Id) {
    let Some(first) = at(nodes, parent).map(|p| p.first_child) else {
        return;
    };
    if at(nodes, node).is_none() {
        return;
    }
    // The last child, which becomes the one before `node`; a first child is its own last.
    let last = match first {
        Some(first) => at(nodes, first).and_then(|f| f.previous),
        None => Some(node),
    };
    if let Some(n) = at_mut(nodes, node) {
        n.parent = Some(parent);
        n.previous = last;
        n.next = None;
    }
    match first {
        Some(first) => {
            if let Some(l) = last.and_then(|l| at_mut(nodes, l)) {
                l.next = Some(node);
            }
            if let Some(f) = at_mut(nodes, first) {
                f.previous = Some(node);
            }
        }
        None => {
            if let Some(p) = at_mut(nodes, parent) {
                p.first_child = Some(node);
            }
        }
    }
}

/// Makes `node` (without a parent) the sibling just before `sibling`, a child of `parent`.
fn link_before(nodes: &mut [Node], parent: Id, sibling: Id, node: Id) {
    let Some(first) = at(nodes, parent).and_then(|p| p.first_child) else {
        return;
    };
    let Some(before) = at(nodes, sibling).map(|s| s.previous) else {
        return;
    };
    if at(nodes, node).is_none() {
        return;
    }
    if let Some(n) = at_mut(nodes, node) {
        n.parent = Some(parent);
        // Before the first child, `node` takes over its link to the last.
        n.previous = before;
        n.next = Some(sibling);
    }
    if let Some(s) = at_mut(nodes, sibling) {
        s.previous = Some(node);
    }
    if first == sibling {
        if let Some(p) = at_mut(nodes, parent) {
            p.first_child = Some(node);
        }
    } else if let Some(b) = before.and_then(|b| at_mut(nodes, b)) {
        b.next = Some(node);
    }
}

/// Appends `text` to node `at` when it is a text node.
fn append_to_text(nodes: &mut [Node], at: Option<Id>, text: &StrTendril) -> bool {
    match at.and_then(|at| at_mut(nodes, at)).map(|n| &mut n.data) {
        Some(NodeData::Text { contents }) => {
            contents.push_tendril(text);
            true
        }
        _ => false,
    }
}

/// The offset of `<!--` when it comes before the next start tag from `from`, and before `end`.
/// Each call looks only as far as the next start tag, so locating every comment is linear.
fn find_comment(src: &[u8], from: usize, end: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let start = at + memchr::memchr(b'<', src.get(at..)?)?;
        if start >= end {
            return None;
        }
        match src.get(start + 1) {
            Some(b'!') if src.get(start + 1..start + 4) == Some(b"!--") => return Some(start),
            Some(c) if c.is_ascii_alphabetic() => return None,
            _ => at = start + 1,
        }
    }
}

/// Whether a comment's text is only a conditional comment's opening `[if …]` or its `[endif]`,
/// or a clipboard fragment marker. A comment that holds markup after the condition
/// (`<!--[if gte mso 9]><xml>…<![endif]-->`) is no marker: it hides content.
pub(crate) fn is_marker(text: &str) -> bool {
    let text = text.trim();
    text.eq_ignore_ascii_case("[endif]")
        || text == "StartFragment"
        || text == "EndFragment"
        || (text.starts_with("[if ") && text.ends_with(']') && !text.contains(['<', '>']))
}

impl<'a> TreeSink for PosSink<'a> {
    type Handle = Handle;
    type Output = Self;
    type ElemName<'b>
        = ExpandedName<'b>
    where
        Self: 'b;

    fn finish(self) -> Self {
        self
    }

    // Parse errors are recovered from by the HTML algorithm; the reader reports what the
    // recovery means for the document instead.
    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        Handle::unnamed(DOCUMENT)
    }

    fn elem_name<'b>(&'b self, target: &'b Handle) -> ExpandedName<'b> {
        ExpandedName {
            ns: &target.name.ns,
            local: &target.name.local,
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        if flags.template {
            // The contents, just before the element: `get_template_contents` finds them there.
            self.push(NodeData::Document);
        }
        let start = self.locate_element(&name.local);
        let attrs = self.attrs.borrow_mut().push(attrs);
        let node = self.push(NodeData::Element {
            local: name.local.clone(),
            ns: Ns::of(&name.ns),
            attrs,
            start,
            depth: 0,
            template: flags.template,
            mathml_annotation_xml_integration_point: flags.mathml_annotation_xml_integration_point,
        });
        Handle {
            id: node,
            name: ElementName {
                ns: name.ns,
                local: name.local,
            },
        }
    }

    fn create_comment(&self, text: StrTendril) -> Handle {
        let start = self.locate_comment();
        Handle::unnamed(self.push(NodeData::Comment {
            start,
            marker: is_marker(&text),
        }))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        Handle::unnamed(self.push(NodeData::ProcessingInstruction))
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        let mut nodes = self.nodes.borrow_mut();
        self.appended(&mut nodes, parent.id, &child);
        let node = match child {
            NodeOrText::AppendText(text) => {
                let last = last_child(&nodes, parent.id);
                if append_to_text(&mut nodes, last, &text) {
                    return;
                }
                push(&mut nodes, NodeData::Text { contents: text })
            }
            NodeOrText::AppendNode(node) => {
                unlink(&mut nodes, node.id);
                node.id
            }
        };
        link_last(&mut nodes, parent.id, node);
    }

    fn pop(&self, node: &Handle) {
        let depth = Self::depth_of(&self.nodes.borrow(), node.id).saturating_sub(1);
        self.current_depth.set(usize::from(depth));
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        let has_parent = at(&self.nodes.borrow(), element.id).is_some_and(|n| n.parent.is_some());
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(
        &self,
        _name: StrTendril,
        _public_id: StrTendril,
        _system_id: StrTendril,
    ) {
        let node = self.push(NodeData::Doctype);
        link_last(&mut self.nodes.borrow_mut(), DOCUMENT, node);
    }

    fn get_template_contents(&self, target: &Handle) -> Handle {
        let contents = target.id.index().checked_sub(1).map(Id::new);
        match (
            at(&self.nodes.borrow(), target.id).map(|n| &n.data),
            contents,
        ) {
            (Some(NodeData::Element { template: true, .. }), Some(contents)) => {
                Handle::unnamed(contents)
            }
            // Asked only of templates, which have contents.
            _ => target.clone(),
        }
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        x.id == y.id
    }

    // The reader does not depend on the quirks mode.
    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        let mut nodes = self.nodes.borrow_mut();
        let Some(parent) = at(&nodes, sibling.id).and_then(|s| s.parent) else {
            return;
        };
        let previous = previous_sibling(&nodes, sibling.id);
        self.appended(&mut nodes, parent, &new_node);
        let node = match new_node {
            NodeOrText::AppendText(text) => {
                if append_to_text(&mut nodes, previous, &text) {
                    return;
                }
                push(&mut nodes, NodeData::Text { contents: text })
            }
            // A node cannot go before itself.
            NodeOrText::AppendNode(node) if node.id == sibling.id => return,
            NodeOrText::AppendNode(node) => {
                unlink(&mut nodes, node.id);
                node.id
            }
        };
        link_before(&mut nodes, parent, sibling.id, node);
    }

    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        let Some(NodeData::Element { attrs: id, .. }) =
            at_mut(&mut nodes, target.id).map(|n| &mut n.data)
        else {
            return;
        };
        self.attrs.borrow_mut().add_missing(id, attrs);
    }

    fn remove_from_parent(&self, target: &Handle) {
        unlink(&mut self.nodes.borrow_mut(), target.id);
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let mut nodes = self.nodes.borrow_mut();
        let mut child = at(&nodes, node.id).and_then(|n| n.first_child);
        while let Some(id) = child {
            child = at(&nodes, id).and_then(|n| n.next);
            unlink(&mut nodes, id);
            link_last(&mut nodes, new_parent.id, id);
        }
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        matches!(
            at(&self.nodes.borrow(), handle.id).map(|n| &n.data),
            Some(NodeData::Element {
                mathml_annotation_xml_integration_point: true,
                ..
            })
        )
    }

    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number);
    }

    // rcdom clones an `<option>`'s subtree into `<selectedcontent>` recursively, which deep
    // input inside an option could overflow; form controls are dropped anyway.
    fn maybe_clone_an_option_into_selectedcontent(&self, _option: &Handle) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A tree as text: each element's name and attributes, each text, in document order, with
    /// the nesting. `see` says of a node what it adds (with whether it is an element, which
    /// closes after its children) and its children.
    fn dump<N>(root: N, see: impl Fn(&N) -> (String, bool, Vec<N>)) -> String {
        let mut out = String::new();
        // `None` closes the element opened before it.
        let mut stack = vec![Some(root)];
        while let Some(entry) = stack.pop() {
            let Some(node) = entry else {
                out.push(')');
                continue;
            };
            let (label, element, children) = see(&node);
            out.push_str(&label);
            if element {
                stack.push(None);
            }
            stack.extend(children.into_iter().rev().map(Some));
        }
        out
    }

    fn element_label<'a>(name: &str, attrs: impl Iterator<Item = &'a Attribute>) -> String {
        let attrs: String = attrs
            .map(|a| format!(" {}={}", &*a.name.local, &*a.value))
            .collect();
        format!("({name}{attrs} ")
    }

    fn dump_arena(html: &str) -> String {
        let lines = Lines::new(html);
        let (parsed, _) = crate::parse::parse(html, &lines);
        dump(parsed.dom.document(), |node| {
            let (label, element) = match node.data() {
                NodeData::Element { local, .. } => {
                    (element_label(local, node.attrs().iter()), true)
                }
                NodeData::Text { contents } => (format!("{:?}", &**contents), false),
                NodeData::Comment { .. } => ("<!>".to_owned(), false),
                _ => (String::new(), false),
            };
            (label, element, node.children().collect())
        })
    }

    fn dump_rcdom(html: &str) -> String {
        use html5ever::tendril::TendrilSink;
        use markup5ever_rcdom::{NodeData, RcDom};
        let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
        // A clone: rcdom empties the children of a node's descendants when the node drops.
        dump(dom.document.clone(), |node| {
            let (label, element) = match &node.data {
                NodeData::Element { name, attrs, .. } => {
                    (element_label(&name.local, attrs.borrow().iter()), true)
                }
                NodeData::Text { contents } => (format!("{:?}", &**contents.borrow()), false),
                NodeData::Comment { .. } => ("<!>".to_owned(), false),
                _ => (String::new(), false),
            };
            (label, element, node.children.borrow().clone())
        })
    }

    /// Tag soup that sends the tree builder down its paths that move nodes: misnested formatting
    /// (the adoption agency), text and tags in tables (foster parenting), reopened formatting,
    /// a second body, templates, foreign content.
    fn soup() -> impl Strategy<Value = String> {
        let tags = prop::sample::select(vec![
            "b", "i", "a", "p", "div", "table", "tr", "td", "th", "tbody", "caption", "li", "ul",
            "span", "select", "option", "svg", "math", "body", "html", "h1", "em", "font", "nobr",
            "form", "button", "template", "pre", "br", "hr", "code",
        ]);
        let piece = (
            0..4u8,
            tags,
            prop::sample::select(vec!["", " id=x", " class=c", " id=y class=d"]),
        )
            .prop_map(|(kind, tag, attrs)| match kind {
                0 => format!("<{tag}{attrs}>"),
                1 => format!("</{tag}>"),
                2 => "x".to_owned(),
                _ => " y <!--c-->".to_owned(),
            });
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The arena's tree is rcdom's, node for node, however the tree builder moved nodes.
        #[test]
        fn the_arena_builds_the_tree_rcdom_builds(html in soup()) {
            prop_assert_eq!(dump_arena(&html), dump_rcdom(&html), "{}", html);
        }
    }

    #[test]
    fn ids_past_the_arena_stand_for_nodes_left_out_and_link_to_nothing() {
        assert!(Id::new(0) == DOCUMENT);
        let last = u32::MAX as usize - 2;
        assert_eq!(Id::new(last).index(), last);
        for past in [last + 1, last + 2, usize::MAX] {
            assert!(Id::new(past) == DISCARD, "{past}");
        }
        let mut nodes = vec![Node::new(NodeData::Document)];
        let text = push(&mut nodes, NodeData::Doctype);
        link_last(&mut nodes, DOCUMENT, DISCARD);
        link_last(&mut nodes, DISCARD, text);
        link_before(&mut nodes, DOCUMENT, DISCARD, text);
        unlink(&mut nodes, DISCARD);
        assert!(nodes
            .iter()
            .all(|node| node.parent.is_none() && node.first_child.is_none()));
        link_last(&mut nodes, DOCUMENT, text);
        assert!(at(&nodes, DOCUMENT).and_then(|n| n.first_child) == Some(text));
    }

    #[test]
    fn markers() {
        for marker in [
            "[if !supportLists]",
            "[endif]",
            " [if gte mso 9] ",
            "[ENDIF]",
            "StartFragment",
            "EndFragment",
        ] {
            assert!(is_marker(marker), "{marker}");
        }
        for comment in [
            "[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]",
            "[if]",
            "",
            "Start fragment of the old layout",
        ] {
            assert!(!is_marker(comment), "{comment}");
        }
    }
}
