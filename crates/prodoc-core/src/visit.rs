//! Traversal: every node of a document with its JSON Pointer, in document order, without
//! recursion.

use std::fmt;
use std::rc::Rc;

use crate::model::*;
use crate::spec::NodeType;

/// A borrowed node of any kind.
#[derive(Clone, Copy, Debug)]
pub enum NodeRef<'a> {
    /// The root.
    Doc(&'a Doc),
    /// A block.
    Block(&'a Block),
    /// An `li`.
    ListItem(&'a ListItem),
    /// A `checklist_item`.
    ChecklistItem(&'a ChecklistItem),
    /// A `table_row`.
    TableRow(&'a TableRow),
    /// A `table_cell` or `table_header`.
    TableCell(&'a TableCell),
    /// A `column`.
    Column(&'a Column),
    /// An inline node.
    Inline(&'a Inline),
    /// The text child of a mention.
    MentionText(&'a Text),
    /// A raw node kept where a list item, row, cell or column belongs.
    Raw(&'a RawNode),
}

impl<'a> NodeRef<'a> {
    /// The node's type, or `None` for raw nodes.
    pub fn node_type(&self) -> Option<NodeType> {
        Some(match self {
            Self::Doc(_) => NodeType::Doc,
            Self::Block(block) => {
                return NodeType::from_name(block.type_name())
                    .filter(|_| !matches!(block, Block::Raw(_)))
            }
            Self::ListItem(_) => NodeType::ListItem,
            Self::ChecklistItem(_) => NodeType::ChecklistItem,
            Self::TableRow(_) => NodeType::TableRow,
            Self::TableCell(cell) if cell.header => NodeType::TableHeader,
            Self::TableCell(_) => NodeType::TableCell,
            Self::Column(_) => NodeType::Column,
            Self::Inline(inline) => {
                return NodeType::from_name(inline.type_name())
                    .filter(|_| !matches!(inline, Inline::Raw(_)))
            }
            Self::MentionText(_) => NodeType::Text,
            Self::Raw(_) => return None,
        })
    }

    /// Pushes the children, last first, with their index in `content`.
    fn push_children(self, out: &mut Vec<(NodeRef<'a>, usize)>) {
        fn nodes<'a, T>(
            out: &mut Vec<(NodeRef<'a>, usize)>,
            children: &'a [Child<T>],
            wrap: fn(&'a T) -> NodeRef<'a>,
        ) {
            for (index, child) in children.iter().enumerate().rev() {
                out.push((
                    match child {
                        Child::Node(node) => wrap(node),
                        Child::Raw(raw) => NodeRef::Raw(raw),
                    },
                    index,
                ));
            }
        }
        fn blocks<'a>(out: &mut Vec<(NodeRef<'a>, usize)>, content: &'a [Block]) {
            out.extend(
                content
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, b)| (NodeRef::Block(b), i)),
            );
        }
        fn inlines<'a>(out: &mut Vec<(NodeRef<'a>, usize)>, content: &'a [Inline]) {
            out.extend(
                content
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, n)| (NodeRef::Inline(n), i)),
            );
        }
        match self {
            Self::Doc(doc) => blocks(out, &doc.content),
            Self::Block(block) => match block {
                Block::Paragraph(p) => inlines(out, &p.content),
                Block::Heading(h) => inlines(out, &h.content),
                Block::Blockquote(q) => blocks(out, &q.content),
                Block::BulletList(l) => nodes(out, &l.items, NodeRef::ListItem),
                Block::OrderedList(l) => nodes(out, &l.items, NodeRef::ListItem),
                Block::Checklist(l) => nodes(out, &l.items, NodeRef::ChecklistItem),
                Block::Table(t) => nodes(out, &t.rows, NodeRef::TableRow),
                Block::Banner(b) => blocks(out, &b.content),
                Block::Columns(c) => nodes(out, &c.columns, NodeRef::Column),
                Block::CodeBlock(_) | Block::Divider(_) | Block::Raw(_) => {}
            },
            Self::ListItem(item) => blocks(out, &item.content),
            Self::ChecklistItem(item) => blocks(out, &item.content),
            Self::TableRow(row) => nodes(out, &row.cells, NodeRef::TableCell),
            Self::TableCell(cell) => blocks(out, &cell.content),
            Self::Column(column) => blocks(out, &column.content),
            Self::Inline(Inline::Mention(mention)) => {
                out.extend(
                    mention
                        .content
                        .iter()
                        .enumerate()
                        .rev()
                        .map(|(i, t)| (NodeRef::MentionText(t), i)),
                );
            }
            Self::Inline(_) | Self::MentionText(_) | Self::Raw(_) => {}
        }
    }
}

/// A node's place in the document as a chain of `content` indices, shared with its ancestors so
/// that making one costs O(1) whatever the depth. `Display` gives the JSON Pointer
/// (`/content/2/content/0`; empty for the root).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pointer(Option<Rc<Segment>>);

#[derive(Debug, PartialEq, Eq)]
struct Segment {
    parent: Pointer,
    index: usize,
}

impl Pointer {
    /// The root's pointer.
    pub fn root() -> Self {
        Self(None)
    }

    /// The pointer of this node's child at `index` in `content`.
    pub fn child(&self, index: usize) -> Self {
        Self(Some(Rc::new(Segment {
            parent: self.clone(),
            index,
        })))
    }

    /// The `content` indices from the root down.
    pub fn indices(&self) -> Vec<usize> {
        let mut indices = Vec::new();
        let mut at = self;
        while let Some(segment) = &at.0 {
            indices.push(segment.index);
            at = &segment.parent;
        }
        indices.reverse();
        indices
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for index in self.indices() {
            write!(f, "/content/{index}")?;
        }
        Ok(())
    }
}

impl Drop for Segment {
    // Unlinks the chain one segment at a time: a pointer 100,000 levels deep must not drop
    // recursively.
    fn drop(&mut self) {
        let mut next = self.parent.0.take();
        while let Some(segment) = next {
            match Rc::try_unwrap(segment) {
                Ok(mut segment) => next = segment.parent.0.take(),
                Err(_) => break,
            }
        }
    }
}

/// One step of a [`Walk`].
#[derive(Clone, Debug)]
pub struct Visit<'a> {
    /// The node.
    pub node: NodeRef<'a>,
    /// Its place in the written document.
    pub pointer: Pointer,
    /// Its depth: 0 for the root.
    pub depth: usize,
}

/// Every node of a document in document order (pre-order), each with its pointer.
/// Made by [`Doc::walk`].
#[derive(Debug)]
pub struct Walk<'a> {
    stack: Vec<(NodeRef<'a>, Pointer, usize)>,
    children: Vec<(NodeRef<'a>, usize)>,
    /// The node last visited: its children are taken at the next step, unless skipped.
    last: Option<(NodeRef<'a>, Pointer, usize)>,
}

impl Walk<'_> {
    /// Leaves out the children of the node last visited (and so all below it): a walk that looks
    /// for blocks need not make a pointer for every text node of every paragraph.
    pub fn skip_children(&mut self) {
        self.last = None;
    }
}

impl<'a> Iterator for Walk<'a> {
    type Item = Visit<'a>;

    fn next(&mut self) -> Option<Visit<'a>> {
        if let Some((node, pointer, depth)) = self.last.take() {
            self.children.clear();
            node.push_children(&mut self.children);
            for (child, index) in self.children.drain(..) {
                self.stack.push((child, pointer.child(index), depth + 1));
            }
        }
        let (node, pointer, depth) = self.stack.pop()?;
        self.last = Some((node, pointer.clone(), depth));
        Some(Visit {
            node,
            pointer,
            depth,
        })
    }
}

impl Doc {
    /// Walks every node, the document first, each with its pointer and depth.
    pub fn walk(&self) -> Walk<'_> {
        Walk {
            stack: vec![(NodeRef::Doc(self), Pointer::root(), 0)],
            children: Vec::new(),
            last: None,
        }
    }

    /// The document's text for search and previews: one line per paragraph, heading, code line
    /// or cell paragraph; `br` as a line break; mentions by label, images by alt text, files by
    /// name, variables as `{name}`.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for visit in self.walk() {
            match visit.node {
                NodeRef::Block(Block::Paragraph(_) | Block::Heading(_)) => new_line(&mut out),
                NodeRef::Block(Block::CodeBlock(code)) => {
                    new_line(&mut out);
                    out.push_str(&code.text);
                }
                NodeRef::Inline(inline) => match inline {
                    Inline::Text(text) => out.push_str(&text.text),
                    Inline::HardBreak(_) => out.push('\n'),
                    Inline::Mention(mention) => {
                        out.push('@');
                        out.push_str(&mention.label);
                    }
                    Inline::Image(image) => out.push_str(image.alt.as_deref().unwrap_or("")),
                    Inline::File(file) => out.push_str(&file.name),
                    Inline::Var(var) => {
                        out.push('{');
                        out.push_str(&var.name);
                        out.push('}');
                    }
                    Inline::Raw(_) => {}
                },
                _ => {}
            }
        }
        out
    }
}

fn new_line(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}
