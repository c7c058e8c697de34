//! A tree sink that builds an [`RcDom`] and records where each element and comment starts.
//!
//! html5ever reports only the line of each token (the line its end is on) and no column. To give
//! diagnostics a line and a column, the sink looks for the element's start tag in the source: the
//! next start tag after the previous element's, if it is `<name` and lies no further than the end
//! of the token's line. An element the parser implied (`<tbody>`, `<html>`, a reopened `<b>`) has
//! no tag there and gets the token's line and column 1. Offsets become lines and columns only
//! when a diagnostic asks.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::{Attribute, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use prodoc_core::Position;

/// Byte offsets of line starts, for turning an offset into a line and column.
pub(crate) struct Lines<'a> {
    src: &'a str,
    starts: Vec<usize>,
    /// The last offset turned into a position, and that position: diagnostics come mostly in
    /// document order, so counting on from there keeps columns linear on one long line.
    last: Cell<(usize, Position)>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        // Lines as the tokenizer counts them: `\r\n`, `\r` and `\n` each end one.
        let bytes = src.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while let Some(offset) = memchr::memchr2(b'\n', b'\r', bytes.get(i..).unwrap_or_default()) {
            let at = i + offset;
            let next = if bytes.get(at) == Some(&b'\r') && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            starts.push(next);
            i = next;
        }
        Self {
            src,
            starts,
            last: Cell::new((0, Position { line: 1, column: 1 })),
        }
    }

    /// The offset where line `line` (from 1) ends, or the input's end.
    fn line_end(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.src.len())
    }

    /// The line and column (characters, from 1) of byte `offset`.
    pub(crate) fn position(&self, offset: usize) -> Position {
        let index = self.starts.partition_point(|&start| start <= offset).max(1) - 1;
        let start = self.starts.get(index).copied().unwrap_or(0);
        let (last_offset, last_position) = self.last.get();
        let (from, base) = if last_position.line == index + 1 && last_offset <= offset {
            (last_offset, last_position.column)
        } else {
            (start, 1)
        };
        let column = self
            .src
            .get(from..offset)
            .map_or(base, |between| base + between.chars().count());
        let position = Position {
            line: index + 1,
            column,
        };
        self.last.set((offset, position));
        position
    }
}

/// A multiplicative hasher for node addresses and interned names: keys are already well spread,
/// and the default SipHash would cost more than the parse of a small element.
#[derive(Default)]
pub(crate) struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u32(&mut self, value: u32) {
        self.write_u64(u64::from(value));
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Where a node starts: a byte offset, or only a line when its tag was not found.
#[derive(Clone, Copy)]
enum Location {
    Offset(usize),
    Line(usize),
}

/// What the sink knows of an element or comment.
#[derive(Clone, Copy)]
struct Info {
    location: Location,
    /// Its depth in the tree (the document is 0), once appended.
    depth: usize,
}

/// The sink: an [`RcDom`] plus positions keyed by node address.
pub(crate) struct PosSink<'a> {
    dom: RcDom,
    lines: &'a Lines<'a>,
    line: Cell<u64>,
    cursor: Cell<usize>,
    nodes: RefCell<FastMap<usize, Info>>,
    /// The depth of the parser's current node, as far as appends and pops tell.
    current_depth: Cell<usize>,
}

/// What parsing gives: the DOM and the start of each element and comment.
pub(crate) struct Parsed<'a> {
    pub(crate) dom: RcDom,
    lines: &'a Lines<'a>,
    nodes: FastMap<usize, Info>,
    /// Start tags the depth guard dropped, and the line of the first.
    pub(crate) flattened: (usize, u64),
}

impl Parsed<'_> {
    /// Where `node` starts, if it is an element or comment the parser saw.
    pub(crate) fn position(&self, node: &Handle) -> Option<Position> {
        self.nodes.get(&key(node)).map(|info| match info.location {
            Location::Offset(offset) => self.lines.position(offset),
            Location::Line(line) => Position { line, column: 1 },
        })
    }
}

fn key(node: &Handle) -> usize {
    Rc::as_ptr(node) as usize
}

impl<'a> PosSink<'a> {
    pub(crate) fn new(lines: &'a Lines<'a>) -> Self {
        Self {
            dom: RcDom::default(),
            lines,
            line: Cell::new(1),
            cursor: Cell::new(0),
            nodes: RefCell::new(FastMap::default()),
            current_depth: Cell::new(0),
        }
    }

    /// Finds `<name` at or after the cursor, within the current token's line.
    fn locate(&self, name: &str, node: &Handle) {
        let line = usize::try_from(self.line.get()).unwrap_or(usize::MAX);
        let found = find_tag(
            self.lines.src.as_bytes(),
            self.cursor.get(),
            self.lines.line_end(line),
            name.as_bytes(),
        );
        let location = match found {
            Some(at) => {
                self.cursor.set(at + 1);
                Location::Offset(at)
            }
            None => Location::Line(line),
        };
        self.nodes
            .borrow_mut()
            .insert(key(node), Info { location, depth: 0 });
    }

    /// How deep the parser's current node is.
    pub(crate) fn current_depth(&self) -> usize {
        self.current_depth.get()
    }

    fn depth_of(&self, node: &Handle) -> usize {
        self.nodes
            .borrow()
            .get(&key(node))
            .map_or(0, |info| info.depth)
    }

    fn appended(&self, parent: &Handle, child: &NodeOrText<Handle>) {
        if let NodeOrText::AppendNode(node) = child {
            let depth = self.depth_of(parent) + 1;
            if let Some(info) = self.nodes.borrow_mut().get_mut(&key(node)) {
                info.depth = depth;
            }
            self.current_depth.set(depth);
        }
    }

    pub(crate) fn finish_with(self, flattened: (usize, u64)) -> Parsed<'a> {
        Parsed {
            dom: self.dom,
            lines: self.lines,
            nodes: self.nodes.into_inner(),
            flattened,
        }
    }
}

/// The offset of `<name` (ASCII case-insensitive) when it is the next start tag from `from`,
/// before `end`. End tags, comments and a `<` that starts no tag are passed over; reaching
/// another start tag first means the element has no tag of its own (the parser implied it).
/// Each call looks only as far as the next start tag, so locating every element is linear.
fn find_tag(src: &[u8], from: usize, end: usize, name: &[u8]) -> Option<usize> {
    let comment = name == b"!--";
    let mut at = from;
    loop {
        let start = at + memchr::memchr(b'<', src.get(at..)?)?;
        if start >= end {
            return None;
        }
        match src.get(start + 1) {
            Some(b'!') if comment && src.get(start + 1..start + 4) == Some(b"!--") => {
                return Some(start)
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let after = start + 1 + name.len();
                let matches = !comment
                    && src
                        .get(start + 1..after)
                        .is_some_and(|candidate| candidate.eq_ignore_ascii_case(name))
                    && src
                        .get(after)
                        .is_none_or(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>');
                return matches.then_some(start);
            }
            _ => at = start + 1,
        }
    }
}

impl<'a> TreeSink for PosSink<'a> {
    type Handle = Handle;
    type Output = Self;
    type ElemName<'b>
        = <RcDom as TreeSink>::ElemName<'b>
    where
        Self: 'b;

    fn finish(self) -> Self {
        self
    }

    // Parse errors are recovered from by the HTML algorithm; the reader reports what the
    // recovery means for the document instead.
    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        self.dom.get_document()
    }

    fn elem_name<'b>(&'b self, target: &'b Handle) -> Self::ElemName<'b> {
        self.dom.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        let local = name.local.clone();
        let node = self.dom.create_element(name, attrs, flags);
        self.locate(&local, &node);
        node
    }

    fn create_comment(&self, text: StrTendril) -> Handle {
        let node = self.dom.create_comment(text);
        self.locate("!--", &node);
        node
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> Handle {
        self.dom.create_pi(target, data)
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.appended(parent, &child);
        self.dom.append(parent, child);
    }

    fn pop(&self, node: &Handle) {
        self.current_depth
            .set(self.depth_of(node).saturating_sub(1));
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        let has_parent = {
            let parent = element.parent.take();
            let has = parent.is_some();
            element.parent.set(parent);
            has
        };
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.dom
            .append_doctype_to_document(name, public_id, system_id);
    }

    fn get_template_contents(&self, target: &Handle) -> Handle {
        self.dom.get_template_contents(target)
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        Rc::ptr_eq(x, y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.dom.set_quirks_mode(mode);
    }

    /// Inserts before `sibling`. rcdom looks for the sibling from the front of its parent's
    /// children, which makes foster parenting (text and elements moved before a `<table>`)
    /// quadratic; the sibling is almost always near the end, so this looks from the back.
    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        let Some(parent) = sibling.parent.take().and_then(|weak| {
            let parent = weak.upgrade();
            sibling.parent.set(Some(weak));
            parent
        }) else {
            return;
        };
        let index = {
            let children = parent.children.borrow();
            children
                .iter()
                .rposition(|child| Rc::ptr_eq(child, sibling))
        };
        let Some(index) = index else {
            return;
        };
        self.appended(&parent, &new_node);
        let child = match new_node {
            NodeOrText::AppendText(text) => {
                if let Some(previous) = index
                    .checked_sub(1)
                    .and_then(|i| parent.children.borrow().get(i).cloned())
                {
                    if let NodeData::Text { contents } = &previous.data {
                        contents.borrow_mut().push_slice(&text);
                        return;
                    }
                }
                markup5ever_rcdom::Node::new(NodeData::Text {
                    contents: RefCell::new(text),
                })
            }
            NodeOrText::AppendNode(node) => {
                self.remove_from_parent(&node);
                node
            }
        };
        // Removing `child` from this same parent may have moved the sibling.
        let index = parent
            .children
            .borrow()
            .iter()
            .rposition(|c| Rc::ptr_eq(c, sibling))
            .unwrap_or(index);
        child.parent.set(Some(Rc::downgrade(&parent)));
        parent.children.borrow_mut().insert(index, child);
    }

    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        self.dom.add_attrs_if_missing(target, attrs);
    }

    fn remove_from_parent(&self, target: &Handle) {
        self.dom.remove_from_parent(target);
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        self.dom.reparent_children(node, new_parent);
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        self.dom.is_mathml_annotation_xml_integration_point(handle)
    }

    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number);
    }

    // rcdom clones an `<option>`'s subtree into `<selectedcontent>` recursively, which deep
    // input inside an option could overflow; form controls are dropped anyway.
    fn maybe_clone_an_option_into_selectedcontent(&self, _option: &Handle) {}
}
