//! HTML to a document.
//!
//! html5ever parses the input into a tree (see [`crate::sink`]); the tree is then walked
//! with an explicit stack, so that no input depth can overflow the call stack. The walk keeps:
//! - a stack of open containers (the document, quotes, banners, lists and their items, tables,
//!   rows, cells, column layouts and columns), each with the paragraph being filled, if any;
//! - the active marks, one slot per mark type, with an undo log so that leaving an element
//!   restores what it changed in constant time;
//! - a small context (whitespace mode, inherited alignment) restored on leaving each element.
//!
//! Structure the HTML leaves implicit is made explicit: text directly in a list goes into an item
//! (the previous one, reopened, when there is one), text directly in a container goes into a
//! paragraph, a block inside an inline element ends the paragraph and the marks carry on into the
//! next. Everything is fixed up on closing so that the result passes strict validation.
//!
//! Conventions beyond HTML's own are read in submodules, so that the walk reads as HTML's
//! meaning: [`word`] rebuilds the lists Word and Outlook paste as paragraphs, [`paste`] recognises
//! other editors' and sites' conventions (Office formatting as CSS, callout and code-language
//! classes), and [`inline_forms`] reads what content writes in place of structure (checklist
//! markers, mention shorthand).

mod inline_forms;
mod paste;
mod word;

use std::sync::Arc;

use html5ever::{ns, Attribute};
use prodoc_core::build::exact;
use prodoc_core::shared::spans::{self, style_values, STYLE_PROPERTIES};
use prodoc_core::{
    Align, Banner, BannerKind, Block, Blockquote, Child, CodeBlock, Column, Columns, CompactString,
    Conversion, Diagnostic, Discussion, Divider, Doc, File, HardBreak, Heading, HeadingLevel,
    Image, Inline, Link, ListKind, Mark, Marks, Mention, MentionKind, Paragraph, Position, Span,
    Styles, Table, TableCell, TableRow, Text, Var,
};
use serde_json::Value;

use self::inline_forms::all_items_marked;
use self::paste::{admonition_kind, language_class, office_markup, parent_language};
use self::word::{continues_word_run, mso_list, WordRun};
use crate::codes;
use crate::css;
use crate::sink::{Lines, NodeData, NodeRef, Ns, Parsed};
use crate::ReadOptions;
use prodoc_core::shared::url::is_safe_url;

/// Reads HTML, a whole page or a fragment, into a document.
///
/// The page's `<title>`, when present, goes to `metadata["title"]`. Every diagnostic has a code
/// from [`crate::codes`] and a line and column: the start of the element concerned, or column 1
/// of the line the parser was on when the element has no tag of its own in the source.
///
/// Every fragment goes through html5ever: a shortcut for lone `<br>`s and comments (frequent HTML
/// blocks in Markdown) saved 1.0% of the Markdown bench's read + JSON instructions (callgrind,
/// 821.1 M against 829.6 M without), too little for a second path.
pub fn read(html: &str, options: &ReadOptions) -> Conversion {
    read_streaming(html, options, &mut |_| {})
}

/// [`read`], handing the document's top-level blocks to `finished` as the walk of the parsed
/// tree finishes them, a run at a time, so that a caller that writes them as they come never
/// holds the whole document (the parsed tree is held to the end); the blocks `finished` leaves
/// in the vector stay in the document, which holds the rest at the end. The document's own
/// fields are always the default.
pub fn read_streaming(
    html: &str,
    options: &ReadOptions,
    finished: prodoc_core::Finished<'_>,
) -> Conversion {
    let html = prodoc_core::shared::input::without_bom(html);
    let lines = Lines::new(html);
    let (parsed, attributes) = crate::parse::parse(html, &lines);
    let mut reader = Reader::new(&parsed, options);
    if let Some(dropped) = attributes {
        let limit = crate::scan::MAX_ATTRIBUTES;
        let (count, tags) = (dropped.attributes, dropped.tags);
        reader.warn(
            lines.position(dropped.first),
            codes::TOO_MANY_ATTRIBUTES,
            format!(
                "found {tags} {} with more than {limit} attributes, expected at most {limit}; \
                 the {count} attributes past the first {limit} were left out, the {} kept",
                if tags == 1 { "tag" } else { "tags" },
                if tags == 1 { "tag" } else { "tags" },
            ),
        );
    }
    let (dropped, line) = parsed.flattened;
    if dropped > 0 {
        let limit = crate::parse::PARSER_DEPTH;
        reader.warn(
            Position {
                line: usize::try_from(line).unwrap_or(usize::MAX),
                column: 1,
            },
            codes::NESTING_TOO_DEEP,
            format!("found elements nested deeper than {limit}; {dropped} tags were dropped there, their content kept"),
        );
    }
    reader.run(finished);
    reader.finish()
}

/// What a leaving element restores.
#[derive(Clone, Copy, Default)]
struct Ctx {
    /// Whitespace is kept as written (`<pre>`-like `white-space` on a block).
    pre: bool,
    /// Alignment inherited from an enclosing block's `text-align` or `align`.
    align: Option<Align>,
    /// Inside a container flattened for depth (reported once for the outermost).
    flattened: bool,
    /// Inside what Google Docs, Word or Outlook put on the clipboard: spans carry bold, italic,
    /// underline and strike as CSS, and every span repeats the default font and colour. Known
    /// from the markup (Google Docs' `docs-internal-guid` wrapper, Word's Office namespaces on
    /// `<html>`, its `Mso…` classes), never from text, so that text cannot switch it on.
    office: bool,
}

#[derive(Clone, Copy)]
enum Close {
    Nothing,
    /// Writes this text, then nothing more: the closing mark of a `<q>`.
    Text(&'static str),
    /// Ends the open paragraph: the element was a block boundary.
    Boundary,
    /// Closes the containers from this index up.
    Containers(usize),
    /// Ends a Word list paragraph: its item stays open for what nests in it.
    WordItem,
}

struct Exit {
    undo: usize,
    ctx: Ctx,
    close: Close,
}

struct Frame<'a> {
    /// The child to visit next.
    next: Option<NodeRef<'a>>,
    exit: Exit,
}

/// An item of an open list: its blocks and checked flag.
struct OpenItem {
    blocks: Vec<Block>,
    checked: bool,
}

enum Kind {
    Doc,
    Quote {
        id: Option<String>,
    },
    Banner {
        kind: BannerKind,
        id: Option<String>,
    },
    Item {
        checked: bool,
        /// A leading checkbox or ☐/☑ marks the item and is still to be consumed.
        marker: bool,
    },
    Cell(Box<TableCell>),
    Column,
    /// Blocks that belong before a table (its caption, stray content).
    Detached,
    List {
        kind: ListKind,
        id: Option<String>,
        order: Option<u32>,
        items: Vec<OpenItem>,
    },
    Table {
        id: Option<String>,
        rows: Vec<TableRow>,
        before: Vec<Block>,
    },
    Row {
        cells: Vec<TableCell>,
    },
    Columns {
        id: Option<String>,
        columns: Vec<Vec<Block>>,
    },
}

impl Kind {
    fn is_structural(&self) -> bool {
        matches!(
            self,
            Self::List { .. } | Self::Table { .. } | Self::Row { .. } | Self::Columns { .. }
        )
    }
}

struct Container<'a> {
    kind: Kind,
    blocks: Vec<Block>,
    para: Option<Para>,
    /// Opened by the reader, not by an element: closed when its parent needs the place.
    implicit: bool,
    /// The node depth of the blocks this container (or its items, rows, cells) holds.
    inner: usize,
    /// The element that opened it, for the position of diagnostics about it.
    node: Option<NodeRef<'a>>,
}

struct Para {
    heading: Option<HeadingLevel>,
    align: Option<Align>,
    id: Option<String>,
    explicit: bool,
    inlines: Vec<Inline>,
    /// The last text ends in a space that collapsing made and the block's end would remove.
    trailing_space: bool,
}

impl Para {
    /// Whether whitespace here would be at the start of a line.
    fn at_line_start(&self) -> bool {
        matches!(self.inlines.last(), None | Some(Inline::HardBreak(_)))
    }

    fn trim_trailing_space(&mut self) {
        if !std::mem::take(&mut self.trailing_space) {
            return;
        }
        if let Some(Inline::Text(text)) = self.inlines.last_mut() {
            text.text.pop();
            if text.text.is_empty() {
                self.inlines.pop();
            }
        }
    }

    fn into_block(mut self) -> Block {
        self.trim_trailing_space();
        self.inlines = exact(self.inlines);
        match self.heading {
            Some(level) => Block::Heading(Heading {
                id: self.id,
                align: self.align,
                ..Heading::new(level, self.inlines)
            }),
            None => Block::Paragraph(Paragraph {
                id: self.id,
                align: self.align,
                content: self.inlines,
                ..Paragraph::default()
            }),
        }
    }
}

struct Reader<'a> {
    parsed: &'a Parsed<'a>,
    limit: usize,
    diagnostics: Vec<Diagnostic>,
    metadata: serde_json::Map<String, Value>,
    containers: Vec<Container<'a>>,
    marks: [Option<Mark>; prodoc_core::spec::MARKS.len()],
    undo: Vec<(usize, Option<Mark>)>,
    ctx: Ctx,
    last_position: Position,
    word: Option<WordRun<'a>>,
    /// A Word run is open and the walk is between its paragraphs, where whatever comes next may
    /// end it. Kept apart from `word` as one flag that every node checks.
    word_between: bool,
}

/// The value of the attribute `name` (no namespace), if the element has one.
// Inlined: most callers name a literal attribute, which makes the comparison one of known bytes
// (callgrind, profile_html: 9,028 M -> 8,990 M instructions).
#[inline(always)]
fn attr<'v>(attrs: &'v [Attribute], name: &str) -> Option<&'v str> {
    attrs
        .iter()
        .find(|a| a.name.ns == ns!() && &*a.name.local == name)
        .map(|a| &*a.value)
}

fn has_class(attrs: &[Attribute], class: &str) -> bool {
    attr(attrs, "class").is_some_and(|c| c.split_ascii_whitespace().any(|token| token == class))
}

fn is_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// [`is_whitespace`] for bytes: the whitespace is ASCII, and no byte of a multi-byte character
/// is ASCII, so text can be scanned byte by byte without decoding it.
fn is_whitespace_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn all_whitespace(text: &str) -> bool {
    text.bytes().all(is_whitespace_byte)
}

fn element_name(node: NodeRef<'_>) -> Option<&str> {
    match node.data() {
        NodeData::Element {
            local,
            ns: Ns::Html,
            ..
        } => Some(local),
        _ => None,
    }
}

impl<'a> Reader<'a> {
    fn new(parsed: &'a Parsed<'a>, options: &ReadOptions) -> Self {
        // A block at depth d may hold a paragraph's text at d + 1 and a mention's label at d + 2.
        // Above core's limit a document could not be validated or read back, so that is the most.
        let limit = options.max_depth.clamp(3, ReadOptions::MAX_DEPTH.max(3)) - 2;
        Self {
            parsed,
            limit,
            diagnostics: Vec::new(),
            metadata: serde_json::Map::new(),
            containers: vec![Container {
                kind: Kind::Doc,
                blocks: Vec::new(),
                para: None,
                implicit: false,
                inner: 1,
                node: None,
            }],
            marks: Default::default(),
            undo: Vec::new(),
            ctx: Ctx::default(),
            last_position: Position { line: 1, column: 1 },
            word: None,
            word_between: false,
        }
    }

    fn finish(mut self) -> Conversion {
        while self.containers.len() > 1 {
            self.close_top();
        }
        let mut doc = Doc::default();
        if let Some(mut root) = self.containers.pop() {
            flush_para(&mut root);
            doc.content = std::mem::take(&mut root.blocks);
        }
        Conversion {
            doc,
            diagnostics: self.diagnostics,
            metadata: self.metadata,
        }
    }

    fn warn(&mut self, position: Position, code: prodoc_core::Code, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::warning_at_position(position, code, message));
    }

    fn position(&mut self, node: NodeRef<'_>) -> Position {
        if let Some(position) = self.parsed.position(node) {
            self.last_position = position;
        }
        self.last_position
    }

    /// Walks the tree; `finished` is given the document's blocks whenever some are final.
    fn run(&mut self, finished: prodoc_core::Finished<'_>) {
        // The document's own blocks are only ever added to: once no container is open inside
        // it, all of them are final. Offered a run of at least this many at a time.
        const RUN: usize = 64;
        let mut offer_at = RUN;
        let root = self.parsed.dom.document();
        let mut stack = vec![Frame {
            next: root.first_child(),
            exit: Exit {
                undo: 0,
                ctx: self.ctx,
                close: Close::Nothing,
            },
        }];
        while let Some(frame) = stack.last_mut() {
            match frame.next {
                Some(child) => {
                    frame.next = child.next_sibling();
                    if let Some(exit) = self.enter(child) {
                        stack.push(Frame {
                            next: child.first_child(),
                            exit,
                        });
                    }
                }
                None => {
                    if let Some(frame) = stack.pop() {
                        self.leave(frame.exit);
                    }
                    if let [root] = self.containers.as_mut_slice() {
                        if root.blocks.len() >= offer_at {
                            finished(&mut root.blocks);
                            offer_at = root.blocks.len() + RUN;
                        }
                    }
                }
            }
        }
    }

    fn exit(&self, close: Close) -> Exit {
        Exit {
            undo: self.undo.len(),
            ctx: self.ctx,
            close,
        }
    }

    fn leave(&mut self, exit: Exit) {
        // Leaving anything but one of its paragraphs is leaving the element that holds the run.
        if self.word_between {
            self.end_word_run();
        }
        while self.undo.len() > exit.undo {
            if let Some((slot, previous)) = self.undo.pop() {
                if let Some(place) = self.marks.get_mut(slot) {
                    *place = previous;
                }
            }
        }
        // Closed in the element's own context: an Outlook `<p class=MsoNormal>` holding only a
        // no-break space is an empty paragraph, which only its own class tells.
        match exit.close {
            Close::Nothing => {}
            Close::Text(text) => self.add_text(text),
            Close::Boundary => self.boundary(),
            Close::WordItem => {
                self.boundary();
                self.word_between = self.word.is_some();
            }
            Close::Containers(index) => {
                while self.containers.len() > index.max(1) {
                    self.close_top();
                }
            }
        }
        self.ctx = exit.ctx;
    }

    /// Visits one node; returns how to leave it when its children are to be visited.
    fn enter(&mut self, node: NodeRef<'a>) -> Option<Exit> {
        if self.word_between && !continues_word_run(node) {
            self.end_word_run();
        }
        match node.data() {
            NodeData::Document => Some(self.exit(Close::Nothing)),
            NodeData::Doctype | NodeData::ProcessingInstruction => None,
            // Conditional-comment markers are Word's scaffolding around each list marker; they
            // hold nothing, and reporting them would flood every paste with warnings.
            NodeData::Comment { marker: true, .. } => None,
            NodeData::Comment { marker: false, .. } => {
                let position = self.position(node);
                self.warn(
                    position,
                    codes::COMMENT_DROPPED,
                    "found a comment, expected content; it was left out",
                );
                None
            }
            NodeData::Text { contents } => {
                self.text(contents);
                None
            }
            NodeData::Element { local, ns, .. } => {
                if *ns == Ns::Html {
                    self.element(node, local, node.attrs())
                } else if *ns == Ns::MathMl {
                    self.math(node);
                    None
                } else {
                    let position = self.position(node);
                    self.warn(
                        position,
                        codes::ELEMENT_DROPPED,
                        format!(
                            "found <{}>, expected document content; it was left out",
                            &**local
                        ),
                    );
                    None
                }
            }
        }
    }

    fn element(&mut self, node: NodeRef<'a>, name: &str, attrs: &'a [Attribute]) -> Option<Exit> {
        let office = office_markup(attrs);
        if office && !self.ctx.office {
            // Scoped to the element: its exit restores the context.
            let exit = self.element_inner(node, name, attrs, true);
            if exit.is_some() {
                self.ctx.office = true;
            }
            return exit;
        }
        self.element_inner(node, name, attrs, self.ctx.office)
    }

    fn element_inner(
        &mut self,
        node: NodeRef<'a>,
        name: &str,
        attrs: &'a [Attribute],
        office: bool,
    ) -> Option<Exit> {
        match name {
            "html" | "body" => Some(self.exit(Close::Nothing)),
            "head" => {
                self.head(node);
                None
            }
            "title" => {
                self.title(node);
                None
            }
            "wbr" | "colgroup" | "col" => None,
            "script" | "style" | "template" | "noscript" | "iframe" | "object" | "embed"
            | "frame" | "frameset" | "noframes" | "applet" | "canvas" | "video" | "audio"
            | "source" | "track" | "param" | "link" | "meta" | "base" | "area" | "portal" => {
                let position = self.position(node);
                self.warn(
                    position,
                    codes::ELEMENT_DROPPED,
                    format!("found <{name}>, expected document content; it was left out"),
                );
                None
            }
            "input" => {
                if attr(attrs, "type").is_some_and(|t| t.eq_ignore_ascii_case("checkbox"))
                    && self.consume_marker(attr(attrs, "checked").is_some())
                {
                    return None;
                }
                self.form_control(node, name);
                None
            }
            "select" | "textarea" | "option" | "optgroup" | "datalist" | "output" | "progress"
            | "meter" | "keygen" | "button" | "selectedcontent" => {
                self.form_control(node, name);
                None
            }
            "p" => {
                // In a run's paragraph (a `<p>` in a table in it, in quirks mode), not between.
                let in_run = self.word.is_some() && !self.word_between;
                // Only Office markup has list paragraphs: other pages' paragraphs are spared the
                // look at their style.
                if office && !in_run {
                    if let Some((list, lfo, level)) = attr(attrs, "style").and_then(mso_list) {
                        return self.word_item(node, attrs, (list, lfo), level);
                    }
                }
                if !in_run {
                    self.end_word_run();
                }
                self.paragraph(node, attrs, None)
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = match name {
                    "h1" => HeadingLevel::H1,
                    "h2" => HeadingLevel::H2,
                    "h3" => HeadingLevel::H3,
                    _ => {
                        let position = self.position(node);
                        self.warn(
                            position,
                            codes::HEADING_LEVEL,
                            format!(
                                "found <{name}>, expected <h1> to <h3>; read as a level-3 heading"
                            ),
                        );
                        HeadingLevel::H3
                    }
                };
                self.paragraph(node, attrs, Some(level))
            }
            "blockquote" => self.container(node, attrs, Kind::Quote { id: data_id(attrs) }, 1),
            "banner" => {
                let kind = match attr(attrs, "type") {
                    Some(kind) => kind.trim().to_ascii_lowercase().parse().unwrap_or_else(|_| {
                        let position = self.position(node);
                        self.warn(
                            position,
                            codes::INVALID_ATTRIBUTE,
                            format!("found banner type `{kind}`, expected info, warning, success or critical; read as info"),
                        );
                        BannerKind::Info
                    }),
                    None => BannerKind::Info,
                };
                self.container(
                    node,
                    attrs,
                    Kind::Banner {
                        kind,
                        id: data_id(attrs),
                    },
                    1,
                )
            }
            "aside" => {
                let kind = attr(attrs, "title")
                    .and_then(|title| title.trim().to_ascii_lowercase().parse().ok())
                    .or_else(|| admonition_kind(attrs))
                    .unwrap_or(BannerKind::Info);
                self.container(
                    node,
                    attrs,
                    Kind::Banner {
                        kind,
                        id: data_id(attrs),
                    },
                    1,
                )
            }
            "div" | "figure" | "section" => self.div(node, attrs),
            "details" | "dl" => {
                let position = self.position(node);
                let what = if name == "dl" {
                    "a definition list <dl>, which the format has no node for; its terms were read as bold paragraphs and its definitions as paragraphs"
                } else {
                    "a collapsible <details>, which the format has no node for; its summary was read as a bold paragraph before its content, always shown"
                };
                self.warn(
                    position,
                    codes::STRUCTURE_FLATTENED,
                    format!("found {what}"),
                );
                self.block_boundary(attrs)
            }
            "summary" | "dt" => {
                let exit = self.block_boundary(attrs);
                self.push_mark(Mark::Strong);
                exit
            }
            "article" | "main" | "header" | "footer" | "nav" | "address" | "dd" | "hgroup"
            | "center" | "fieldset" | "legend" | "figcaption" | "form" | "search" | "thead"
            | "tbody" | "tfoot" => self.block_boundary(attrs),
            "ul" | "ol" | "menu" => self.list(node, name, attrs),
            "li" => self.item(node, attrs),
            "table" => self.container(
                node,
                attrs,
                Kind::Table {
                    id: data_id(attrs),
                    rows: Vec::new(),
                    before: Vec::new(),
                },
                3,
            ),
            "caption" => self.child_container(
                node,
                attrs,
                |k| matches!(k, Kind::Table { .. }),
                Kind::Detached,
            ),
            "tr" => self.child_container(
                node,
                attrs,
                |k| matches!(k, Kind::Table { .. }),
                Kind::Row { cells: Vec::new() },
            ),
            "td" | "th" => {
                let cell = self.cell(node, name == "th", attrs);
                self.child_container(
                    node,
                    attrs,
                    |k| matches!(k, Kind::Row { .. }),
                    Kind::Cell(Box::new(cell)),
                )
            }
            "pre" | "listing" | "xmp" | "plaintext" => {
                self.code_block(node, attrs);
                None
            }
            "hr" => {
                self.prepare_block();
                self.push_block(Block::Divider(Divider {
                    id: data_id(attrs),
                    ..Divider::default()
                }));
                None
            }
            "br" => {
                self.inline(Inline::HardBreak(HardBreak::default()));
                None
            }
            "img" => {
                self.image(node, attrs);
                None
            }
            "a" => {
                let exit = self.exit(Close::Nothing);
                if let Some(href) = attr(attrs, "href") {
                    if is_safe_url(href) {
                        self.push_mark(Mark::from(Link {
                            title: attr(attrs, "title").map(str::to_owned),
                            ..Link::new(href)
                        }));
                    } else {
                        let position = self.position(node);
                        self.warn(
                            position,
                            codes::UNSAFE_URL,
                            "found a link to a URL with a scheme other than http, https or mailto; the text was kept without the link",
                        );
                    }
                }
                Some(exit)
            }
            "strong" | "b" => {
                let exit = self.exit(Close::Nothing);
                let normal = attr(attrs, "style")
                    .and_then(|style| css::get(style, "font-weight"))
                    .is_some_and(css::is_not_bold);
                if !normal {
                    self.push_mark(Mark::Strong);
                }
                Some(exit)
            }
            "em" | "i" | "cite" | "dfn" | "var" => self.simple_mark(Mark::Em),
            "s" | "strike" | "del" => self.simple_mark(Mark::Strike),
            "u" | "ins" => self.simple_mark(Mark::Underline),
            "code" | "kbd" | "samp" | "tt" => self.simple_mark(Mark::Code),
            // Quotation marks, as browsers show a <q>.
            "q" => {
                self.add_text("\u{201c}");
                Some(self.exit(Close::Text("\u{201d}")))
            }
            "abbr" | "acronym" => {
                if let Some(title) = attr(attrs, "title").filter(|t| !t.trim().is_empty()) {
                    let position = self.position(node);
                    self.warn(
                        position,
                        codes::UNSUPPORTED_FORMATTING,
                        format!("found <{name} title=\"{title}\">, which the format has no node for; the text was kept without its expansion"),
                    );
                }
                Some(self.exit(Close::Nothing))
            }
            "sub" | "sup" => {
                let position = self.position(node);
                self.warn(
                    position,
                    codes::UNSUPPORTED_FORMATTING,
                    format!("found <{name}>, which the format has no mark for; the text was kept without it"),
                );
                Some(self.exit(Close::Nothing))
            }
            "mark" => {
                let exit = self.exit(Close::Nothing);
                self.push_mark(Mark::Styles(Arc::new(Styles {
                    background_color: Some("yellow".to_owned()),
                    ..Styles::default()
                })));
                Some(exit)
            }
            "font" => {
                let exit = self.exit(Close::Nothing);
                if let Some(color) = attr(attrs, "color").filter(|c| !c.trim().is_empty()) {
                    self.push_mark(Mark::Styles(Arc::new(Styles {
                        color: Some(color.trim().to_owned()),
                        ..Styles::default()
                    })));
                }
                Some(exit)
            }
            "span" => self.span(node, attrs),
            _ => Some(self.exit(Close::Nothing)),
        }
    }

    fn form_control(&mut self, node: NodeRef<'a>, name: &str) {
        let position = self.position(node);
        self.warn(
            position,
            codes::FORM_CONTROL_DROPPED,
            format!("found the form control <{name}>, expected document content; it was left out"),
        );
    }

    fn simple_mark(&mut self, mark: Mark) -> Option<Exit> {
        let exit = self.exit(Close::Nothing);
        self.push_mark(mark);
        Some(exit)
    }

    fn head(&mut self, node: NodeRef<'a>) {
        let mut dropped: Vec<String> = Vec::new();
        let mut count = 0;
        for child in node.children() {
            match child.data() {
                NodeData::Element {
                    local,
                    ns: Ns::Html,
                    ..
                } if &**local == "title" => {
                    self.title(child);
                }
                NodeData::Element { local, .. } => {
                    count += 1;
                    let tag = format!("<{}>", &**local);
                    if !dropped.contains(&tag) {
                        dropped.push(tag);
                    }
                }
                NodeData::Comment { .. } => {
                    count += 1;
                    if !dropped.iter().any(|d| d == "comments") {
                        dropped.push("comments".to_owned());
                    }
                }
                NodeData::Text { contents } if !contents.chars().all(is_whitespace) => {
                    count += 1;
                }
                _ => {}
            }
        }
        if count > 0 {
            let position = self.position(node);
            self.warn(
                position,
                codes::HEAD_DROPPED,
                format!(
                    "found {count} nodes in <head> ({}), expected only <title>; they were left out",
                    dropped.join(", ")
                ),
            );
        }
    }

    fn title(&mut self, node: NodeRef<'a>) {
        let text = collapse(&text_content(node));
        if !text.is_empty() && !self.metadata.contains_key("title") {
            self.metadata
                .insert("title".to_owned(), Value::String(text));
        }
    }

    fn math(&mut self, node: NodeRef<'a>) {
        let position = self.position(node);
        self.warn(
            position,
            codes::MATH_FLATTENED,
            "found MathML, which the format cannot hold; its text was kept",
        );
        let text = text_content(node);
        self.text(&text);
    }

    /// Applies what an element's `style` and `align` say to its descendants.
    fn block_ctx(&mut self, attrs: &[Attribute]) {
        let style = attr(attrs, "style");
        let align = style
            .and_then(|s| css::get(s, "text-align"))
            .or_else(|| attr(attrs, "align"))
            .and_then(|a| Align::parse(&a.trim().to_ascii_lowercase()));
        match align {
            // Left is where text starts anyway; inheriting it would put it on every paragraph.
            Some(Align::Left) => self.ctx.align = None,
            Some(align) => self.ctx.align = Some(align),
            None => {}
        }
        match style.and_then(|s| css::get(s, "white-space")) {
            Some("pre" | "pre-wrap" | "break-spaces") => self.ctx.pre = true,
            Some("normal" | "nowrap" | "pre-line") => self.ctx.pre = false,
            _ => {}
        }
    }

    fn block_boundary(&mut self, attrs: &[Attribute]) -> Option<Exit> {
        let exit = self.exit(Close::Boundary);
        self.boundary();
        self.block_ctx(attrs);
        Some(exit)
    }

    fn paragraph(
        &mut self,
        node: NodeRef<'a>,
        attrs: &[Attribute],
        heading: Option<HeadingLevel>,
    ) -> Option<Exit> {
        let exit = self.exit(Close::Boundary);
        self.prepare_block();
        let inherited = self.ctx.align;
        self.block_ctx(attrs);
        let own = attr(attrs, "style")
            .and_then(|s| css::get(s, "text-align"))
            .or_else(|| attr(attrs, "align"))
            .and_then(|a| Align::parse(&a.trim().to_ascii_lowercase()));
        let align = own.or(inherited);
        // A paragraph's own formatting and colours go to its text, as they show.
        if let Some(style) = attr(attrs, "style").filter(|_| !self.ctx.office) {
            self.css_formatting(node, style);
            if let Some(styles) = self.styles_from_css(node, style, &["color", "background-color"])
            {
                self.push_mark(Mark::Styles(Arc::new(styles)));
            }
        }
        if let Some(top) = self.containers.last_mut() {
            top.para = Some(Para {
                heading,
                align,
                id: data_id(attrs),
                explicit: true,
                inlines: Vec::new(),
                trailing_space: false,
            });
        }
        Some(exit)
    }

    /// Opens a container for `node`'s blocks (closing it is the caller's: an element's exit, or
    /// the end of a Word run for its lists and items).
    fn push_container(&mut self, node: NodeRef<'a>, kind: Kind, inner: usize) {
        self.containers.push(Container {
            kind,
            blocks: Vec::new(),
            para: None,
            implicit: false,
            inner,
            node: Some(node),
        });
    }

    /// Closes the containers from `index` up.
    fn close_to(&mut self, index: usize) {
        while self.containers.len() > index.max(1) {
            self.close_top();
        }
    }

    fn div(&mut self, node: NodeRef<'a>, attrs: &[Attribute]) -> Option<Exit> {
        if attr(attrs, "data-columns").is_some() || has_class(attrs, "column-list") {
            return self.container(
                node,
                attrs,
                Kind::Columns {
                    id: data_id(attrs),
                    columns: Vec::new(),
                },
                2,
            );
        }
        if attr(attrs, "data-column").is_some() || has_class(attrs, "column") {
            return self.child_container(
                node,
                attrs,
                |k| matches!(k, Kind::Columns { .. }),
                Kind::Column,
            );
        }
        // Notion's to-do checkbox.
        if has_class(attrs, "checkbox") && self.consume_marker(has_class(attrs, "checkbox-on")) {
            return None;
        }
        if let Some(kind) = admonition_kind(attrs) {
            return self.container(
                node,
                attrs,
                Kind::Banner {
                    kind,
                    id: data_id(attrs),
                },
                1,
            );
        }
        self.block_boundary(attrs)
    }

    fn list(&mut self, node: NodeRef<'a>, name: &str, attrs: &[Attribute]) -> Option<Exit> {
        let kind = if attr(attrs, "type").is_some_and(|t| t == "checklist")
            || has_class(attrs, "inline-task-list")
            || has_class(attrs, "to-do-list")
            || all_items_marked(node)
        {
            ListKind::Check
        } else if name == "ol" {
            ListKind::Ordered
        } else {
            ListKind::Bullet
        };
        let order = match (kind, attr(attrs, "start")) {
            (ListKind::Ordered, Some(start)) => match start.trim().parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    let position = self.position(node);
                    self.warn(
                        position,
                        codes::INVALID_ATTRIBUTE,
                        format!("found start=\"{start}\", expected a whole number; the list starts at 1"),
                    );
                    None
                }
            },
            _ => None,
        };
        if kind == ListKind::Ordered {
            let style = attr(attrs, "type").filter(|t| !t.trim().is_empty() && t.trim() != "1");
            let reversed = attr(attrs, "reversed").is_some();
            if style.is_some() || reversed {
                let what = match (style, reversed) {
                    (Some(style), true) => format!("type=\"{style}\" reversed"),
                    (Some(style), false) => format!("type=\"{style}\""),
                    _ => "reversed".to_owned(),
                };
                let position = self.position(node);
                self.warn(
                    position,
                    codes::NOT_EXPRESSIBLE,
                    format!("found an ordered list with {what}, which the format cannot number; it is numbered 1, 2, 3 upwards"),
                );
            }
        }
        self.container(
            node,
            attrs,
            Kind::List {
                kind,
                id: data_id(attrs),
                order,
                items: Vec::new(),
            },
            2,
        )
    }

    fn item(&mut self, node: NodeRef<'a>, attrs: &[Attribute]) -> Option<Exit> {
        let Some(list_kind) = self
            .find_open(|k| matches!(k, Kind::List { .. }))
            .and_then(|i| match self.containers.get(i).map(|c| &c.kind) {
                Some(Kind::List { kind, .. }) => Some(*kind),
                _ => None,
            })
        else {
            return self.block_boundary(attrs);
        };
        let (checked, marker) = if list_kind == ListKind::Check {
            match attr(attrs, "checked") {
                Some(value) => {
                    let checked = match value.trim().to_ascii_lowercase().as_str() {
                        "true" | "" | "checked" => true,
                        "false" => false,
                        _ => {
                            let position = self.position(node);
                            self.warn(
                                position,
                                codes::INVALID_ATTRIBUTE,
                                format!("found checked=\"{value}\", expected true or false; read as unchecked"),
                            );
                            false
                        }
                    };
                    (checked, false)
                }
                None if attr(attrs, "type").is_some_and(|t| t == "checklist_item") => {
                    (false, false)
                }
                None => (has_class(attrs, "checked"), true),
            }
        } else {
            (false, false)
        };
        self.child_container(
            node,
            attrs,
            |k| matches!(k, Kind::List { .. }),
            Kind::Item { checked, marker },
        )
    }

    fn cell(&mut self, node: NodeRef<'a>, header: bool, attrs: &[Attribute]) -> TableCell {
        let span = |name: &str, this: &mut Self| -> Span {
            let Some(value) = attr(attrs, name) else {
                return Span::ONE;
            };
            match value
                .trim()
                .parse::<u32>()
                .ok()
                .and_then(|n| Span::try_from(n).ok())
            {
                Some(span) => span,
                None => {
                    let position = this.position(node);
                    this.warn(
                        position,
                        codes::INVALID_ATTRIBUTE,
                        format!("found {name}=\"{value}\", expected a whole number of at least 1; read as 1"),
                    );
                    Span::ONE
                }
            }
        };
        let colspan = span("colspan", self);
        let rowspan = span("rowspan", self);
        let colwidth = attr(attrs, "colwidth")
            .or_else(|| attr(attrs, "data-colwidth"))
            .and_then(|widths| {
                widths
                    .split(',')
                    .map(|w| w.trim().parse::<u32>().ok())
                    .collect::<Option<Vec<u32>>>()
            });
        let background = attr(attrs, "style")
            .and_then(|style| css::get(style, "background-color"))
            .or_else(|| attr(attrs, "bgcolor"))
            .and_then(|value| {
                if prodoc_core::shared::spans::is_safe_css_value(value) {
                    Some(value.to_owned())
                } else {
                    let position = self.position(node);
                    self.warn(
                        position,
                        codes::UNSAFE_CSS,
                        "found a cell background that is not a plain CSS value; it was left out",
                    );
                    None
                }
            });
        TableCell {
            header,
            colspan,
            rowspan,
            colwidth,
            background,
            ..TableCell::default()
        }
    }

    fn code_block(&mut self, node: NodeRef<'a>, attrs: &[Attribute]) {
        let language = attr(attrs, "codeblock-language")
            .map(str::to_owned)
            .or_else(|| language_class(attrs))
            .or_else(|| {
                let first = node.children().find(|c| element_name(*c) == Some("code"));
                first.and_then(|code| language_class(code.attrs()))
            })
            .or_else(|| {
                attr(attrs, "data-syntaxhighlighter-params")
                    .and_then(|params| css::get(params, "brush").map(str::to_owned))
            })
            .or_else(|| parent_language(node));
        let mut text = String::new();
        let mut stack: Vec<NodeRef<'a>> = node.children().rev().collect();
        while let Some(child) = stack.pop() {
            match child.data() {
                NodeData::Text { contents } => text.push_str(contents),
                NodeData::Element { local, .. } => match &**local {
                    "br" => text.push('\n'),
                    "script" | "style" | "template" | "noscript" => {
                        let position = self.position(child);
                        self.warn(
                            position,
                            codes::ELEMENT_DROPPED,
                            format!("found <{}> in a code block; it was left out", &**local),
                        );
                    }
                    _ => stack.extend(child.children().rev()),
                },
                _ => {}
            }
        }
        self.prepare_block();
        self.push_block(Block::CodeBlock(CodeBlock {
            id: data_id(attrs),
            language: language.filter(|l| !l.is_empty()),
            text,
            ..CodeBlock::default()
        }));
    }

    fn image(&mut self, node: NodeRef<'a>, attrs: &[Attribute]) {
        let position = self.position(node);
        let Some(src) = attr(attrs, "src").filter(|s| !s.trim().is_empty()) else {
            self.warn(
                position,
                codes::IMAGE_WITHOUT_SRC,
                "found <img> without src, expected an image URL; it was left out",
            );
            return;
        };
        if !is_safe_url(src) {
            self.warn(
                position,
                codes::UNSAFE_URL,
                "found an image URL with a scheme other than http, https or mailto; the image was left out",
            );
            return;
        }
        let width = attr(attrs, "width").and_then(|w| {
            let number = w.trim().strip_suffix("px").unwrap_or(w.trim());
            let parsed = number.parse::<u32>().ok();
            if parsed.is_none() {
                self.warn(
                    position,
                    codes::INVALID_ATTRIBUTE,
                    format!("found width=\"{w}\", expected a number of pixels; it was left out"),
                );
            }
            parsed
        });
        self.inline(Inline::Image(Box::new(Image {
            src: src.to_owned(),
            alt: attr(attrs, "alt").map(str::to_owned),
            title: attr(attrs, "title").map(str::to_owned),
            width,
            ..Image::default()
        })));
    }

    /// The text of a mention's or file's span: whitespace collapsed as HTML collapses it, or kept
    /// as written where the block keeps it (`white-space: pre-wrap`), as for any other text.
    fn span_text(&self, node: NodeRef<'a>) -> String {
        let text = text_content(node);
        if self.ctx.pre {
            text
        } else {
            collapse(&text)
        }
    }

    fn span(&mut self, node: NodeRef<'a>, attrs: &[Attribute]) -> Option<Exit> {
        if attr(attrs, "mention-type").is_some() || attr(attrs, "mention-id").is_some() {
            let kind = attr(attrs, "mention-type").unwrap_or_default().trim();
            if kind.is_empty() {
                let position = self.position(node);
                self.warn(
                    position,
                    codes::INVALID_ATTRIBUTE,
                    "found a mention without mention-type; its text was kept",
                );
                return Some(self.exit(Close::Nothing));
            }
            let text = self.span_text(node);
            let label = attr(attrs, "mention-label").map_or_else(|| text.clone(), str::to_owned);
            let avatar_url = attr(attrs, "mention-avatar-url").and_then(|url| {
                if is_safe_url(url) {
                    Some(url.to_owned())
                } else {
                    let position = self.position(node);
                    self.warn(
                        position,
                        codes::UNSAFE_URL,
                        "found a mention avatar URL with a scheme other than http, https or mailto; it was left out",
                    );
                    None
                }
            });
            let mut mention = Mention::new(
                MentionKind::parse(kind),
                attr(attrs, "mention-id").unwrap_or_default(),
                label,
            );
            if mention.label.is_empty() {
                mention.content.clear();
            }
            // The span's own text, when it is not the label, is the mention's text: the model
            // keeps both (the writer reports that the span carries the label only).
            if !text.is_empty() && text != mention.label {
                mention.content = vec![Text::plain(text)];
            }
            mention.avatar_url = avatar_url;
            self.inline(Inline::Mention(Box::new(mention)));
            return None;
        }
        if let Some(name) = attr(attrs, "var") {
            if name.is_empty() {
                let position = self.position(node);
                self.warn(
                    position,
                    codes::INVALID_ATTRIBUTE,
                    "found a variable with an empty name; its text was kept",
                );
                return Some(self.exit(Close::Nothing));
            }
            self.inline(Inline::Var(Var {
                name: name.to_owned(),
                ..Var::default()
            }));
            return None;
        }
        if attr(attrs, "file-type").is_some() {
            let url = attr(attrs, "url").unwrap_or_default();
            if !is_safe_url(url) {
                let position = self.position(node);
                self.warn(
                    position,
                    codes::UNSAFE_URL,
                    "found a file URL with a scheme other than http, https or mailto; the file's text was kept",
                );
                return Some(self.exit(Close::Nothing));
            }
            let text = self.span_text(node);
            let name = attr(attrs, "name").map_or_else(|| text.clone(), str::to_owned);
            if !text.is_empty() && text != name {
                let position = self.position(node);
                self.warn(
                    position,
                    codes::NOT_EXPRESSIBLE,
                    format!(
                        "found a file whose text `{text}` differs from its name `{name}`; a file \
                         node shows its name only, so the text was left out"
                    ),
                );
            }
            self.inline(Inline::File(Box::new(File {
                url: url.to_owned(),
                name,
                content_type: attr(attrs, "file-type").unwrap_or_default().to_owned(),
                ..File::default()
            })));
            return None;
        }
        let style = attr(attrs, "style").unwrap_or_default();
        if css::get(style, "mso-list").is_some_and(|v| v.eq_ignore_ascii_case("ignore")) {
            // Word's rendered list marker ("·", "1.") before the item text.
            return None;
        }
        let exit = self.exit(Close::Nothing);
        if let Some(id) = attr(attrs, "discussion-id") {
            self.push_mark(Mark::from(Discussion {
                discussion_id: id.to_owned(),
                resolved_id: attr(attrs, "resolved-id").unwrap_or_default().to_owned(),
                ..Discussion::default()
            }));
        }
        if !style.is_empty() {
            let office = self.ctx.office || style.contains("mso-");
            match office {
                false => {
                    self.css_formatting(node, style);
                    if let Some(styles) = self.styles_from_css(node, style, &STYLE_PROPERTIES) {
                        self.push_mark(Mark::Styles(Arc::new(styles)));
                    }
                }
                true => self.office_styles(style),
            }
        }
        Some(exit)
    }

    /// The formatting a `style` attribute gives that the format has marks for (italic,
    /// underline, line-through), and a report for what it has none for (raised and lowered
    /// text). Colours are the styles mark's, read by the caller.
    fn css_formatting(&mut self, node: NodeRef<'a>, style: &str) {
        if css::get(style, "font-style").is_some_and(|s| s.eq_ignore_ascii_case("italic")) {
            self.push_mark(Mark::Em);
        }
        let decoration = css::get(style, "text-decoration-line")
            .or_else(|| css::get(style, "text-decoration"))
            .unwrap_or_default()
            .to_ascii_lowercase();
        if decoration.contains("underline") {
            self.push_mark(Mark::Underline);
        }
        if decoration.contains("line-through") {
            self.push_mark(Mark::Strike);
        }
        if let Some(align) = css::get(style, "vertical-align")
            .map(str::to_ascii_lowercase)
            .filter(|v| v == "super" || v == "sub")
        {
            let position = self.position(node);
            self.warn(
                position,
                codes::UNSUPPORTED_FORMATTING,
                format!("found vertical-align: {align}, which the format has no mark for; the text was kept without it"),
            );
        }
    }

    /// The styles mark that `style` gives, from the declarations of `properties` only (of
    /// [`STYLE_PROPERTIES`]); values that are not plain CSS are left out and reported.
    fn styles_from_css(
        &mut self,
        node: NodeRef<'a>,
        style: &str,
        properties: &[&str],
    ) -> Option<Styles> {
        let mut unsafe_value = false;
        let mut styles = Styles::default();
        for (property, value) in STYLE_PROPERTIES.into_iter().zip(style_values(&mut styles)) {
            let Some(css) = css::get(style, property).filter(|_| properties.contains(&property))
            else {
                continue;
            };
            if css.eq_ignore_ascii_case("unset") || spans::is_safe_css_value(css) {
                *value = Some(spans::styles_value(property, css));
            } else {
                unsafe_value = true;
            }
        }
        if unsafe_value {
            let position = self.position(node);
            self.warn(
                position,
                codes::UNSAFE_CSS,
                "found a style value that is not a plain CSS value (a url(), quotes, escapes); it was left out",
            );
        }
        (styles != Styles::default()).then_some(styles)
    }

    // --- marks ---

    fn push_mark(&mut self, mark: Mark) {
        // One slot per mark type, in the table's order: the order readers give marks in.
        let Some(slot) = mark.mark_type().map(|ty| ty as usize) else {
            return;
        };
        let Some(place) = self.marks.get_mut(slot) else {
            return;
        };
        let merged = match (&*place, mark) {
            // Nested style spans: inner declarations override outer ones.
            (Some(Mark::Styles(outer)), Mark::Styles(mut inner)) => {
                let mut outer = Styles::clone(outer);
                for (value, outer) in style_values(Arc::make_mut(&mut inner))
                    .into_iter()
                    .zip(style_values(&mut outer))
                {
                    if value.is_none() {
                        *value = outer.take();
                    }
                }
                Mark::Styles(inner)
            }
            (_, mark) => mark,
        };
        let previous = place.replace(merged);
        self.undo.push((slot, previous));
    }

    // --- containers ---

    /// Index of the nearest container, looking down through implicit ones, that `pred` accepts.
    fn find_open(&self, pred: impl Fn(&Kind) -> bool) -> Option<usize> {
        for (index, container) in self.containers.iter().enumerate().rev() {
            if pred(&container.kind) {
                return Some(index);
            }
            if !container.implicit {
                return None;
            }
        }
        None
    }

    /// Ends the open paragraph of the top container.
    fn boundary(&mut self) {
        self.office_empty();
        if let Some(top) = self.containers.last_mut() {
            flush_para(top);
        }
    }

    /// Makes the top container one that holds blocks, opening (or reopening) an item, cell or
    /// column where a list, row or column layout holds something directly.
    fn ensure_block_container(&mut self) {
        loop {
            let Some(top) = self.containers.last_mut() else {
                return;
            };
            if !top.kind.is_structural() {
                return;
            }
            let inner = top.inner;
            let node = top.node;
            let (kind, blocks) = match &mut top.kind {
                Kind::List { kind, items, .. } => match items.pop() {
                    Some(item) => (
                        Kind::Item {
                            checked: item.checked,
                            marker: false,
                        },
                        item.blocks,
                    ),
                    None => (
                        Kind::Item {
                            checked: false,
                            marker: *kind == ListKind::Check,
                        },
                        Vec::new(),
                    ),
                },
                Kind::Table { .. } => (Kind::Detached, Vec::new()),
                Kind::Row { cells } => match cells.pop() {
                    Some(mut cell) => {
                        let blocks = std::mem::take(&mut cell.content);
                        (Kind::Cell(Box::new(cell)), blocks)
                    }
                    None => (Kind::Cell(Box::default()), Vec::new()),
                },
                Kind::Columns { columns, .. } => (Kind::Column, columns.pop().unwrap_or_default()),
                _ => return,
            };
            let inner = match kind {
                Kind::Detached => inner.saturating_sub(3).max(1),
                _ => inner,
            };
            self.containers.push(Container {
                kind,
                blocks,
                para: None,
                implicit: true,
                inner,
                node,
            });
        }
    }

    fn prepare_block(&mut self) {
        self.boundary();
        self.ensure_block_container();
    }

    fn push_block(&mut self, block: Block) {
        if let Some(top) = self.containers.last_mut() {
            flush_para(top);
            top.blocks.push(block);
        }
    }

    /// Opens a container for an element; `levels` is how much deeper its blocks are than itself.
    fn container(
        &mut self,
        node: NodeRef<'a>,
        attrs: &[Attribute],
        kind: Kind,
        levels: usize,
    ) -> Option<Exit> {
        self.prepare_block();
        let base = self.containers.last().map_or(1, |c| c.inner);
        let inner = base + levels;
        if inner > self.limit {
            return self.flatten(node, attrs);
        }
        Some(self.open_container(node, attrs, kind, inner))
    }

    /// Pushes the container an element opens; its exit closes it again.
    fn open_container(
        &mut self,
        node: NodeRef<'a>,
        attrs: &[Attribute],
        kind: Kind,
        inner: usize,
    ) -> Exit {
        let exit = self.exit(Close::Containers(self.containers.len()));
        self.block_ctx(attrs);
        self.push_container(node, kind, inner);
        exit
    }

    fn flatten(&mut self, node: NodeRef<'a>, attrs: &[Attribute]) -> Option<Exit> {
        if !self.ctx.flattened {
            let position = self.position(node);
            let limit = self.limit + 2;
            self.warn(
                position,
                codes::NESTING_TOO_DEEP,
                format!("found containers nested deeper than {limit} document levels; the deeper ones were flattened, their content kept"),
            );
        }
        let exit = self.block_boundary(attrs);
        self.ctx.flattened = true;
        exit
    }

    /// Opens an item, row, cell, column or caption inside the nearest open `parent`; without
    /// one, the element is only a block boundary.
    fn child_container(
        &mut self,
        node: NodeRef<'a>,
        attrs: &[Attribute],
        parent: impl Fn(&Kind) -> bool,
        kind: Kind,
    ) -> Option<Exit> {
        let Some(index) = self.find_open(parent) else {
            return self.block_boundary(attrs);
        };
        self.boundary();
        while self.containers.len() > index + 1 {
            self.close_top();
        }
        let parent = self.containers.last()?;
        let inner = match kind {
            Kind::Detached => parent.inner.saturating_sub(3).max(1),
            _ => parent.inner,
        };
        Some(self.open_container(node, attrs, kind, inner))
    }

    /// Closes the top container and hands what it made to the one below.
    fn close_top(&mut self) {
        if self.containers.len() <= 1 {
            return;
        }
        let Some(mut container) = self.containers.pop() else {
            return;
        };
        flush_para(&mut container);
        let position = match container.node {
            Some(node) => self.position(node),
            None => self.last_position,
        };
        let mut blocks = std::mem::take(&mut container.blocks);
        match container.kind {
            Kind::Doc => {}
            Kind::Quote { id } => {
                non_empty(&mut blocks);
                self.push_block(Block::Blockquote(Blockquote {
                    id,
                    content: exact(blocks),
                    ..Blockquote::default()
                }));
            }
            Kind::Banner { kind, id } => {
                non_empty(&mut blocks);
                self.push_block(Block::Banner(Banner {
                    id,
                    ..Banner::new(kind, exact(blocks))
                }));
            }
            Kind::Item { checked, .. } => {
                self.fix_item(&mut blocks, position);
                if let Some(Kind::List { items, .. }) =
                    self.containers.last_mut().map(|c| &mut c.kind)
                {
                    items.push(OpenItem {
                        blocks: exact(blocks),
                        checked,
                    });
                }
            }
            Kind::Cell(mut cell) => {
                cell.content = exact(blocks);
                if let Some(Kind::Row { cells }) = self.containers.last_mut().map(|c| &mut c.kind) {
                    cells.push(*cell);
                }
            }
            Kind::Column => {
                non_empty(&mut blocks);
                if let Some(Kind::Columns { columns, .. }) =
                    self.containers.last_mut().map(|c| &mut c.kind)
                {
                    columns.push(exact(blocks));
                }
            }
            Kind::Detached => {
                if let Some(Kind::Table { before, .. }) =
                    self.containers.last_mut().map(|c| &mut c.kind)
                {
                    before.extend(blocks);
                }
            }
            Kind::List {
                kind,
                id,
                order,
                items,
            } => {
                if items.is_empty() {
                    self.warn(
                        position,
                        codes::EMPTY_CONTAINER,
                        "found a list without items, expected at least one; it was left out",
                    );
                    return;
                }
                let order = if kind == ListKind::Ordered {
                    order
                } else {
                    None
                };
                let items = items.into_iter().map(|item| (item.blocks, item.checked));
                let block = Block::list(kind, id, order, items);
                self.push_block(block);
            }
            Kind::Table { id, rows, before } => {
                for block in before {
                    self.push_block(block);
                }
                if rows.is_empty() {
                    self.warn(
                        position,
                        codes::EMPTY_CONTAINER,
                        "found a table without rows, expected at least one; it was left out",
                    );
                    return;
                }
                self.push_block(Block::Table(Table {
                    id,
                    rows: exact(rows.into_iter().map(Child::Node).collect()),
                    ..Table::default()
                }));
            }
            Kind::Row { cells } => {
                if cells.is_empty() {
                    self.warn(
                        position,
                        codes::EMPTY_CONTAINER,
                        "found a table row without cells, expected at least one; it was left out",
                    );
                    return;
                }
                if let Some(Kind::Table { rows, .. }) =
                    self.containers.last_mut().map(|c| &mut c.kind)
                {
                    rows.push(TableRow {
                        cells: exact(cells.into_iter().map(Child::Node).collect()),
                        ..TableRow::default()
                    });
                }
            }
            Kind::Columns { id, mut columns } => match columns.len() {
                0 => self.warn(
                    position,
                    codes::EMPTY_CONTAINER,
                    "found a column layout without columns, expected 2 to 5; it was left out",
                ),
                1 => {
                    self.warn(
                        position,
                        codes::COLUMN_COUNT,
                        "found a column layout with 1 column, expected 2 to 5; its content was kept without the layout",
                    );
                    for block in columns.into_iter().flatten() {
                        self.push_block(block);
                    }
                }
                count => {
                    if count > 5 {
                        self.warn(
                            position,
                            codes::COLUMN_COUNT,
                            format!("found a column layout with {count} columns, expected 2 to 5; the columns after the fourth were merged into the fifth"),
                        );
                        let rest: Vec<Block> = columns.drain(4..).flatten().collect();
                        columns.push(rest);
                    }
                    self.push_block(Block::Columns(Columns {
                        id,
                        columns: columns
                            .into_iter()
                            .map(|content| {
                                Child::Node(Column {
                                    content,
                                    ..Column::default()
                                })
                            })
                            .collect(),
                        ..Columns::default()
                    }));
                }
            },
        }
    }

    /// A list item holds a paragraph first: an empty one is added before other blocks, and a
    /// leading heading becomes the paragraph.
    fn fix_item(&mut self, blocks: &mut Vec<Block>, position: Position) {
        match blocks.first_mut() {
            Some(Block::Paragraph(_)) => {}
            Some(first @ Block::Heading(_)) => {
                let taken = std::mem::replace(first, Block::Paragraph(Paragraph::default()));
                if let (Block::Heading(heading), Block::Paragraph(paragraph)) = (taken, first) {
                    paragraph.id = heading.id;
                    paragraph.align = heading.align;
                    paragraph.content = heading.content;
                }
                self.warn(
                    position,
                    codes::LIST_ITEM_START,
                    "found a list item starting with a heading, expected a paragraph; the heading became its first paragraph",
                );
            }
            _ => blocks.insert(0, Block::Paragraph(Paragraph::default())),
        }
    }

    // --- inline content ---

    /// The paragraph inline content goes into, opened if needed.
    fn para(&mut self) -> Option<&mut Para> {
        self.ensure_block_container();
        let align = self.ctx.align;
        let top = self.containers.last_mut()?;
        Some(top.para.get_or_insert_with(|| Para {
            heading: None,
            align,
            id: None,
            explicit: false,
            inlines: Vec::new(),
            trailing_space: false,
        }))
    }

    fn inline(&mut self, inline: Inline) {
        self.consume_pending_marker();
        let Some(para) = self.para() else {
            return;
        };
        if matches!(inline, Inline::HardBreak(_)) {
            para.trim_trailing_space();
        }
        para.trailing_space = false;
        para.inlines.push(inline);
    }

    /// Whether text would add anything where it stands.
    fn has_open_para(&self) -> bool {
        self.containers.last().is_some_and(|c| c.para.is_some())
    }

    fn add_text(&mut self, text: &str) {
        if text.is_empty() || (!self.has_open_para() && all_whitespace(text)) {
            return;
        }
        let pre = self.ctx.pre;
        if self.para().is_none() {
            return;
        }
        let Some(Container {
            para: Some(para), ..
        }) = self.containers.last_mut()
        else {
            return;
        };
        // Compared in place: most text continues a run with the same marks, and building the
        // list of active marks for each would cost an allocation and clones of every mark.
        let active = || self.marks.iter().flatten();
        let reuse =
            matches!(para.inlines.last(), Some(Inline::Text(t)) if t.marks.iter().eq(active()));
        let at_line_start = para.at_line_start();
        let mut space = para.trailing_space;
        if !reuse {
            para.inlines.push(Inline::Text(Text::marked(
                CompactString::default(),
                active().cloned().collect::<Marks>(),
            )));
        }
        let Some(Inline::Text(node)) = para.inlines.last_mut() else {
            return;
        };
        // At most one growth per run of text; collapsing only shortens it.
        node.text.reserve(text.len());
        if pre {
            node.text.push_str(text);
            space = false;
        } else {
            // Text is copied in runs as long as it is already collapsed (words with single
            // spaces between them); only other whitespace ends a run.
            let bytes = text.as_bytes();
            let mut run_start = None;
            let mut at = 0;
            while at < bytes.len() {
                // A word is looked through in a loop of its own, not by one loop that asks of
                // every byte whether a run starts there (callgrind, profile_html: add_text
                // 187.3 M -> 171.4 M instructions).
                let word = bytes
                    .get(at..)
                    .unwrap_or_default()
                    .iter()
                    .position(|&b| is_whitespace_byte(b))
                    .unwrap_or(bytes.len() - at);
                if word > 0 {
                    run_start.get_or_insert(at);
                    at += word;
                }
                let Some(&byte) = bytes.get(at) else {
                    break;
                };
                let gap_end = at
                    + 1
                    + bytes
                        .get(at + 1..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(|b| is_whitespace_byte(**b))
                        .count();
                match run_start {
                    // A single space after a word is already what collapsing makes.
                    Some(_) if byte == b' ' && gap_end == at + 1 => {}
                    Some(start) => {
                        node.text.push_str(text.get(start..at).unwrap_or_default());
                        node.text.push(' ');
                        space = true;
                        run_start = None;
                    }
                    // Whitespace before the first word of this text.
                    None => {
                        if !at_line_start && !space {
                            node.text.push(' ');
                            space = true;
                        }
                    }
                }
                at = gap_end;
            }
            if let Some(start) = run_start {
                let run = text.get(start..).unwrap_or_default();
                node.text.push_str(run);
                space = run.ends_with(' ');
            }
        }
        if node.text.is_empty() {
            para.inlines.pop();
        }
        para.trailing_space = space;
    }
}

fn flush_para(container: &mut Container) {
    if let Some(para) = container.para.take() {
        let explicit = para.explicit;
        let block = para.into_block();
        // An implicit paragraph whose content was all trimmed away adds nothing.
        let empty = matches!(&block, Block::Paragraph(p) if p.content.is_empty());
        if explicit || !empty {
            container.blocks.push(block);
        }
    }
}

fn non_empty(blocks: &mut Vec<Block>) {
    if blocks.is_empty() {
        blocks.push(Block::Paragraph(Paragraph::default()));
    }
}

fn data_id(attrs: &[Attribute]) -> Option<String> {
    attr(attrs, "data-id").map(str::to_owned)
}

/// The text of a subtree, in document order, without script and style.
fn text_content(node: NodeRef<'_>) -> String {
    let mut out = String::new();
    let mut stack: Vec<NodeRef<'_>> = node.children().rev().collect();
    while let Some(node) = stack.pop() {
        match node.data() {
            NodeData::Text { contents } => out.push_str(contents),
            NodeData::Element { local, .. } if !matches!(&**local, "script" | "style") => {
                stack.extend(node.children().rev());
            }
            _ => {}
        }
    }
    out
}

/// Whitespace runs to one space, trimmed.
fn collapse(text: &str) -> String {
    text.split(is_whitespace)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
