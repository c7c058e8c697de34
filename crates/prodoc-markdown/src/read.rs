//! Markdown to a document: pulldown-cmark's events folded into blocks with an explicit stack.

use std::ops::Range;
use std::sync::Arc;

use prodoc_core::build::{take_exact, take_exact_from};
use prodoc_core::{
    Align, BannerKind, Block, Blockquote, Child, CodeBlock, CompactString, Conversion, Diagnostic,
    Divider, Doc, HardBreak, Heading, HeadingLevel, Image, Inline, Link, ListKind, Mark, Marks,
    Mention, Paragraph, Table, TableCell, TableRow, Text,
};
use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, Event, Options, Parser, Tag, TagEnd,
};

use crate::front_matter::{self, FrontMatter};
use crate::window;
use crate::{codes, html, DeepHeadings, ReadOptions};
use prodoc_core::shared::lines::LineIndex;
use prodoc_core::shared::url::is_safe_url;
use prodoc_core::shared::{input, mention, spans};

/// Reads Markdown into a document, with a diagnostic (line and column) for everything that could
/// not be represented exactly. Never fails and never panics: any input gives a strictly valid
/// document.
///
/// Front matter (when [`ReadOptions::front_matter`] is on) is a first line `---`, a non-blank
/// second line, and a closing `---` or `...` line, holding a YAML mapping: its values become the
/// conversion's metadata, as JSON. A block there that is not a mapping is read as Markdown (and
/// reported with [`codes::FRONT_MATTER`] when it is not YAML at all). Values nested deeper than
/// [`FRONT_MATTER_DEPTH`](prodoc_core::shared::limits::FRONT_MATTER_DEPTH), or aliases expanding
/// past [`FRONT_MATTER_VALUES`](prodoc_core::shared::limits::FRONT_MATTER_VALUES) values, are
/// left out and reported.
pub fn read(markdown: &str, options: &ReadOptions) -> Conversion {
    read_in_windows(markdown, options, window::WINDOW, None)
}

/// [`read`], handing the document's top-level blocks to `finished` as soon as they are final,
/// a run at a time (at the end of each 256 KiB window of input, or, where the input is parsed
/// whole, at the start of a top-level block once there are some), so that a caller that writes
/// them as they come never holds the whole document; the blocks `finished` leaves in the vector
/// stay in the document, which holds the rest at the end. The document's own fields are always
/// the default.
pub fn read_streaming(
    markdown: &str,
    options: &ReadOptions,
    finished: prodoc_core::Finished<'_>,
) -> Conversion {
    read_in_windows(markdown, options, window::WINDOW, Some(finished))
}

/// [`read_streaming`], parsing `window` bytes (rounded up to a line's end) at a time where that
/// gives the same document ([`window`]); `usize::MAX` parses the whole at once.
pub(crate) fn read_in_windows(
    markdown: &str,
    options: &ReadOptions,
    window: usize,
    finished: Option<prodoc_core::Finished<'_>>,
) -> Conversion {
    let prepared = prepared(markdown);
    let markdown = prepared.as_ref();
    let lines = LineIndex::new(markdown);
    // The callback's own lifetime bound shortened to the reader's (a coercion, which an
    // `Option` does not carry on its own).
    let finished = finished.map(|f| -> prodoc_core::Finished<'_> { f });
    let mut reader = Reader::new(markdown, &lines, options, finished);
    let mut metadata = serde_json::Map::new();
    let mut body_start = 0;
    if options.front_matter {
        if let Some(found) = front_matter::split(markdown) {
            match front_matter::parse(markdown, found.yaml) {
                FrontMatter::Fields(fields, notes) => {
                    metadata = fields;
                    for (offset, message) in notes {
                        reader.warn(offset, codes::FRONT_MATTER, message);
                    }
                    body_start = found.body_start;
                }
                FrontMatter::Invalid(offset, message) => {
                    reader.warn(offset, codes::FRONT_MATTER, message);
                }
                FrontMatter::NotAMapping => {}
            }
        }
    }
    let body = markdown.get(body_start..).unwrap_or("");
    let md_options = if options.gfm {
        GFM_EXTENSIONS
    } else {
        Options::empty()
    };
    let mut windows = window::Windows::new(body, window);
    loop {
        let part = windows.part();
        let base = body_start + part.start;
        reader.watch_blocks(part.windowed);
        // The plain loop over one parse: the compiler folds the parser and the reader's `event`
        // into it only while each is called once. A check of each event for windows here took
        // 1.2% more instructions to read the Markdown corpus; two loops (windows, whole) 1.7%, an
        // iterator of windows' events 3.1% (callgrind, `profile_markdown <418-file corpus> 3
        // json`: 783.5 M, 787.3 M and 798.5 M against 774.5 M). The reader notes block starts.
        for (event, range) in Parser::new_ext(part.text, md_options).into_offset_iter() {
            reader.event(event, range.start + base..range.end + base);
        }
        if !part.windowed {
            break;
        }
        match reader.last_block.take() {
            // The window's last top-level block (which may go on past its end) is undone, and
            // read again from its line in the next part.
            Some((offset, checkpoint)) => {
                reader.rollback(checkpoint);
                let line = window::line_start(part.text.as_bytes(), offset.saturating_sub(base));
                windows.next_at(line);
            }
            // No block began in the window (blank lines, thematic breaks): it is all read.
            None => windows.next_at(part.text.len()),
        }
        reader.hand_out();
    }
    let (doc, diagnostics) = reader.finish();
    Conversion {
        doc,
        diagnostics,
        metadata,
    }
}

/// The pulldown-cmark extensions the reader parses with when [`crate::ReadOptions::gfm`] is on
/// (the default): tables, strikethrough, task lists, footnotes and GitHub's alerts. Public so
/// that baselines (the bench's `push_html`, the examples) parse exactly as the reader does.
pub const GFM_EXTENSIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_GFM);

/// The input as pulldown-cmark is given it: without a byte order mark, every lone CR a line feed
/// (pulldown-cmark misreads some: a fence's info string runs on to the next LF), every U+0000 a
/// U+FFFD (CommonMark 2.3; pulldown-cmark does not replace it in every context, and HTML, a
/// fallback the writer uses, cannot carry it at all). Borrowed when nothing changes.
pub(crate) fn prepared(markdown: &str) -> std::borrow::Cow<'_, str> {
    let markdown = input::without_bom(markdown);
    let normalised = input::lone_cr_as_lf(markdown);
    // Both whole-input scans go through memchr's vector search: the standard library's byte
    // search is a word at a time, and every input is scanned.
    if memchr::memchr(0, normalised.as_bytes()).is_some() {
        normalised.replace('\0', "\u{fffd}").into()
    } else {
        normalised
    }
}

/// A block container being built. Those that hold blocks note where theirs start in
/// [`Reader::open_blocks`] (`from`).
enum Frame {
    Doc,
    Quote {
        from: usize,
        kind: Option<BannerKind>,
    },
    List {
        first: Option<u64>,
        items: Vec<ItemOut>,
        start: usize,
    },
    Item(ItemOut),
    Table {
        aligns: Vec<Option<Align>>,
        rows: Vec<Child<TableRow>>,
    },
    Row {
        header: bool,
        cells: Vec<Child<TableCell>>,
    },
    Footnote {
        label: String,
        from: usize,
        start: usize,
    },
    /// A banner opened by an HTML block holding only `<banner type="…">` and closed by one holding
    /// `</banner>`: Productive's banner with Markdown inside.
    Banner {
        kind: BannerKind,
        from: usize,
        start: usize,
    },
}

struct ItemOut {
    /// Empty while the item is open (its blocks are in [`Reader::open_blocks`] from `from` on),
    /// its blocks once it is closed.
    blocks: Vec<Block>,
    from: usize,
    task: Option<bool>,
    start: usize,
    /// The item's source holds no `<` that could open a tag, so text directly in it (a tight
    /// item's) holds no inline HTML and is built as its events arrive.
    clean: bool,
}

/// A leaf block being built. One builder ([`Reader::step`]) makes every leaf's inline content;
/// what differs is when it sees the events. A leaf whose source holds no `<` cannot hold inline
/// HTML, and its events go to the builder as they arrive (`stream`). Otherwise they are kept (in
/// [`Reader::events`]) until the leaf ends, when it is known whether it holds inline HTML (and goes
/// to the HTML reader whole) or not.
///
/// Streaming is there for memory, not speed (it saves 0.7% of the instructions of read + JSON:
/// callgrind, `profile_markdown <418-file corpus> 3 json`, 770.1 M against 775.6 M buffered): a
/// kept event takes 96 bytes, so one paragraph of 512 KB of `[x](` held 50 MB of events at the
/// peak (massif; 117 MB in all, pulldown-cmark's own tree 50 MB), and `scripts/scaling.sh`
/// measured 187x the input in peak RSS for it (91x streamed).
struct Leaf {
    kind: LeafKind,
    start: usize,
    stream: bool,
    has_html: bool,
    /// About how many inline nodes its events make (see [`node_estimate`]), counted as they
    /// arrive so that the inline vector is allocated once at its size.
    nodes: usize,
}

/// Inline events with their source ranges.
type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// Text events waiting to become one text node, with their source ranges.
type Texts<'a> = Vec<(pulldown_cmark::CowStr<'a>, Range<usize>)>;

enum LeafKind {
    /// A paragraph; `implicit` for the unwrapped text of a tight list item or of a cell whose
    /// table was flattened.
    Paragraph {
        implicit: bool,
    },
    Heading(u8),
    Cell(Option<Align>),
    Code {
        language: Option<String>,
        text: String,
    },
    Html(String),
}

/// Block nodes deeper than this many levels below a container's own would not fit.
const QUOTE_ROOM: usize = 3;
const LIST_ROOM: usize = 4;
const TABLE_ROOM: usize = 5;

struct Reader<'a, 'o> {
    src: &'a str,
    /// Where finished top-level blocks go ([`read_streaming`]), if anywhere.
    finished: Option<prodoc_core::Finished<'o>>,
    lines: &'o LineIndex<'a>,
    options: &'o ReadOptions,
    /// Mentions are read and the source holds an `@[` somewhere: a shorthand counts only where
    /// the source holds it verbatim, so without one no text needs looking at.
    mentions: bool,
    /// Where the source has a `<` that could open a tag ([`tag_starts`]), in order.
    tag_starts: Vec<usize>,
    max_depth: usize,
    /// `frames[i]` holds blocks at depth `depths[i]`.
    frames: Vec<Frame>,
    /// The blocks of every open container, the innermost's last. A container's blocks become a
    /// vector of their exact size when it closes, allocated once: a vector per container, grown
    /// as blocks came, cost an allocation for half of all blocks (most containers hold one or
    /// two) and kept room for four blocks of 96 bytes in a list item of one paragraph.
    open_blocks: Vec<Block>,
    depths: Vec<usize>,
    /// Containers left out because they would nest too deep.
    flat: usize,
    /// `<banner>` blocks left out because they would nest too deep, so that their `</banner>`
    /// closes nothing.
    flat_banners: usize,
    leaf: Option<Leaf>,
    /// The open leaf's inline events, when it is not built as they arrive. Kept between leaves so
    /// that its buffer is allocated once.
    events: Events<'a>,
    /// What [`Reader::step`] builds the open leaf's inline content with (texts waiting to be
    /// joined, the marks in force), kept between leaves for the same reason.
    texts: PendingTexts<'a>,
    /// The mark stack: one entry per open inline tag, `None` for one that brings no mark (an
    /// unsafe link), so that every end pops what its start pushed.
    marks: Vec<Option<Mark>>,
    /// The open leaf's inline content so far.
    built: Vec<Inline>,
    /// The image being read: its alt text collects everything inside it; its nesting and offset.
    image: Option<(Box<Image>, usize, usize)>,
    /// For each link open in the leaf being built: where its inline content starts.
    link_starts: Vec<usize>,
    footnotes: Vec<(String, Vec<Block>, usize)>,
    diagnostics: Vec<Diagnostic>,
    /// The input is read in windows ([`window`]): each top-level block's start is noted.
    watching: bool,
    /// The part being parsed is a window (blocks are noted for [`Reader::rollback`]), not the
    /// rest of the input.
    windowed: bool,
    /// How many blocks there are when they are next offered, in an input parsed whole.
    offer_at: usize,
    /// Where the last top-level block of the window being read starts, and the reader before it.
    last_block: Option<(usize, Checkpoint)>,
}

impl<'a, 'o> Reader<'a, 'o> {
    fn new(
        src: &'a str,
        lines: &'o LineIndex<'a>,
        options: &'o ReadOptions,
        finished: Option<prodoc_core::Finished<'o>>,
    ) -> Self {
        Self {
            src,
            finished,
            lines,
            options,
            mentions: options.mentions && memchr::memmem::find(src.as_bytes(), b"@[").is_some(),
            tag_starts: tag_starts(src),
            max_depth: options
                .max_depth
                .min(prodoc_core::shared::limits::MAX_DEPTH),
            frames: vec![Frame::Doc],
            open_blocks: Vec::new(),
            depths: vec![1],
            flat: 0,
            flat_banners: 0,
            leaf: None,
            events: Vec::new(),
            texts: PendingTexts {
                src,
                ..PendingTexts::default()
            },
            marks: Vec::new(),
            built: Vec::new(),
            image: None,
            link_starts: Vec::new(),
            footnotes: Vec::new(),
            diagnostics: Vec::new(),
            watching: false,
            windowed: false,
            offer_at: Self::RUN,
            last_block: None,
        }
    }

    fn warn(&mut self, offset: usize, code: prodoc_core::Code, message: impl Into<String>) {
        let position = self.lines.position(offset);
        self.diagnostics
            .push(Diagnostic::warning_at_position(position, code, message));
    }

    fn depth(&self) -> usize {
        self.depths.last().copied().unwrap_or(1)
    }

    fn push_frame(&mut self, frame: Frame, child_depth: usize) {
        self.frames.push(frame);
        self.depths.push(child_depth);
    }

    fn pop_frame(&mut self) -> Option<Frame> {
        if self.frames.len() <= 1 {
            return None;
        }
        self.depths.pop();
        self.frames.pop()
    }

    /// Whether a container needing `room` levels below itself may open here; if not, it is
    /// flattened and reported (once per flattened run).
    fn may_open(&mut self, room: usize, offset: usize) -> bool {
        if self.flat == 0 && self.depth() + room <= self.max_depth {
            return true;
        }
        if self.flat == 0 {
            let limit = self.max_depth;
            self.warn(
                offset,
                codes::NESTING_TOO_DEEP,
                format!(
                    "found containers nested deeper than the limit of {limit} levels, expected \
                     shallower nesting; their content is kept at the deepest level allowed"
                ),
            );
        }
        self.flat += 1;
        false
    }

    /// Adds a block to the innermost open container that holds blocks: its blocks are the last
    /// in [`Reader::open_blocks`] (lists, tables and rows hold none there).
    fn push_block(&mut self, block: Block) {
        self.open_blocks.push(block);
    }

    /// The blocks of a container closing, which opened at `from`.
    fn take_blocks(&mut self, from: usize) -> Vec<Block> {
        take_exact_from(&mut self.open_blocks, from)
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        // Inline events, most of all, go to the leaf's buffer whole: told apart by reference, so
        // that an event is not taken apart and built again (each a copy) on the way.
        let inline = match &event {
            Event::Start(tag) => is_inline_tag(tag),
            Event::End(tag) => is_inline_tag_end(*tag),
            Event::Text(_) => !matches!(
                self.leaf,
                Some(Leaf {
                    kind: LeafKind::Code { .. } | LeafKind::Html(_),
                    ..
                })
            ),
            Event::TaskListMarker(_) | Event::Rule | Event::Html(_) => false,
            _ => true,
        };
        if inline {
            self.inline(event, range);
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::TaskListMarker(checked) => {
                if self.flat == 0 {
                    if let Some(Frame::Item(item)) = self.frames.last_mut() {
                        item.task = Some(checked);
                    }
                }
            }
            Event::Rule => {
                self.close_implicit();
                self.push_block(Block::Divider(Divider::default()));
            }
            Event::Html(text) => {
                if let Some(Leaf {
                    kind: LeafKind::Html(html),
                    ..
                }) = &mut self.leaf
                {
                    html.push_str(&text);
                }
            }
            Event::Text(text) => {
                if let Some(Leaf {
                    kind: LeafKind::Code { text: code, .. } | LeafKind::Html(code),
                    ..
                }) = &mut self.leaf
                {
                    code.push_str(&text);
                }
            }
            other => self.inline(other, range),
        }
    }

    // Called for most events: inlined, so that an event is moved into the buffer without a call.
    #[inline(always)]
    fn inline(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.leaf.is_none() {
            let stream = matches!(
                self.frames.last(),
                Some(Frame::Item(ItemOut { clean: true, .. }))
            );
            self.leaf = Some(Leaf {
                kind: LeafKind::Paragraph { implicit: true },
                start: range.start,
                stream,
                has_html: false,
                nodes: 0,
            });
        }
        if let Some(Leaf { stream: true, .. }) = self.leaf {
            self.step(event, range);
            return;
        }
        if let Some(leaf) = &mut self.leaf {
            leaf.has_html |= matches!(event, Event::InlineHtml(_));
            leaf.nodes += node_estimate(&event);
            self.events.push((event, range));
        }
    }

    fn open_leaf(&mut self, kind: LeafKind, range: &Range<usize>) {
        self.close_implicit();
        let stream = matches!(
            kind,
            LeafKind::Paragraph { .. } | LeafKind::Heading(_) | LeafKind::Cell(_)
        ) && self.holds_no_tag(range);
        if stream {
            // About a node per 32 bytes of source; growing covers the rest.
            self.built.clear();
            self.built.reserve(1 + range.len() / 32);
        }
        self.leaf = Some(Leaf {
            kind,
            start: range.start,
            stream,
            has_html: false,
            nodes: 0,
        });
    }

    /// Whether the source in `range` holds no `<` that could open inline HTML (or an autolink),
    /// looked up in [`Reader::tag_starts`]: each leaf and list item asks, and nested items would
    /// otherwise scan the same bytes once per level.
    fn holds_no_tag(&self, range: &Range<usize>) -> bool {
        let first = self.tag_starts.partition_point(|&at| at < range.start);
        self.tag_starts.get(first).is_none_or(|&at| at >= range.end)
    }

    fn close_implicit(&mut self) {
        if matches!(
            self.leaf,
            Some(Leaf {
                kind: LeafKind::Paragraph { implicit: true },
                ..
            })
        ) {
            self.close_leaf();
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        if self.watching {
            self.note_block(range.start);
        }
        let offset = range.start;
        match tag {
            Tag::Paragraph => self.open_leaf(LeafKind::Paragraph { implicit: false }, &range),
            Tag::Heading { level, .. } => self.open_leaf(LeafKind::Heading(level as u8), &range),
            Tag::CodeBlock(kind) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .filter(|word| !word.is_empty())
                        .map(str::to_owned),
                    CodeBlockKind::Indented => None,
                };
                self.open_leaf(
                    LeafKind::Code {
                        language,
                        text: String::new(),
                    },
                    &range,
                );
            }
            Tag::HtmlBlock => self.open_leaf(LeafKind::Html(String::new()), &range),
            Tag::BlockQuote(kind) => {
                self.close_implicit();
                if self.may_open(QUOTE_ROOM, offset) {
                    let kind = kind.map(|kind| self.alert(kind, offset));
                    let depth = self.depth() + 1;
                    self.push_frame(
                        Frame::Quote {
                            from: self.open_blocks.len(),
                            kind,
                        },
                        depth,
                    );
                }
            }
            Tag::List(first) => {
                self.close_implicit();
                if self.may_open(LIST_ROOM, offset) {
                    let depth = self.depth();
                    self.push_frame(
                        Frame::List {
                            first,
                            items: Vec::new(),
                            start: offset,
                        },
                        depth,
                    );
                }
            }
            Tag::Item => {
                self.close_implicit();
                if self.flat > 0 {
                    self.flat += 1;
                } else {
                    let depth = self.depth() + 2;
                    let clean = self.holds_no_tag(&range);
                    self.push_frame(
                        Frame::Item(ItemOut {
                            blocks: Vec::new(),
                            from: self.open_blocks.len(),
                            task: None,
                            start: offset,
                            clean,
                        }),
                        depth,
                    );
                }
            }
            Tag::Table(aligns) => {
                self.close_implicit();
                if self.may_open(TABLE_ROOM, offset) {
                    let aligns = aligns
                        .into_iter()
                        .map(|align| match align {
                            Alignment::None => None,
                            Alignment::Left => Some(Align::Left),
                            Alignment::Center => Some(Align::Center),
                            Alignment::Right => Some(Align::Right),
                        })
                        .collect();
                    let depth = self.depth();
                    self.push_frame(
                        Frame::Table {
                            aligns,
                            rows: Vec::new(),
                        },
                        depth,
                    );
                }
            }
            Tag::TableHead | Tag::TableRow => {
                if let [.., Frame::Table { aligns, .. }] = self.frames.as_slice() {
                    let columns = aligns.len();
                    let row = self.src.get(range.clone()).unwrap_or("");
                    let cells = count_cells(row);
                    if cells > columns {
                        self.warn(
                            offset,
                            codes::TABLE_CELLS,
                            format!(
                                "found a table row of {cells} cells, expected at most {columns} \
                                 (the header row's); the extra cells are left out, as GFM does"
                            ),
                        );
                    }
                }
                if self.flat == 0 {
                    let depth = self.depth();
                    self.push_frame(
                        Frame::Row {
                            header: matches!(tag, Tag::TableHead),
                            cells: Vec::new(),
                        },
                        depth,
                    );
                }
            }
            Tag::TableCell => {
                let kind = if self.flat > 0 {
                    LeafKind::Paragraph { implicit: false }
                } else {
                    let (column, aligns) = match self.frames.as_slice() {
                        [.., Frame::Table { aligns, .. }, Frame::Row { cells, .. }] => {
                            (cells.len(), aligns.as_slice())
                        }
                        _ => (0, &[][..]),
                    };
                    LeafKind::Cell(aligns.get(column).copied().flatten())
                };
                self.open_leaf(kind, &range);
            }
            Tag::FootnoteDefinition(label) => {
                self.close_implicit();
                self.push_frame(
                    Frame::Footnote {
                        label: label.into_string(),
                        from: self.open_blocks.len(),
                        start: offset,
                    },
                    3,
                );
            }
            // Inline tags: `event` sends them to the leaf before they get here, and they would go
            // the same way. Definition lists and metadata blocks: not enabled in the parser options.
            other => {
                if is_inline_tag(&other) {
                    self.inline(Event::Start(other), range);
                }
            }
        }
    }

    fn alert(&mut self, kind: BlockQuoteKind, offset: usize) -> BannerKind {
        match kind {
            BlockQuoteKind::Note => BannerKind::Info,
            BlockQuoteKind::Tip => BannerKind::Success,
            BlockQuoteKind::Important => {
                self.warn(
                    offset,
                    codes::ALERT_KIND,
                    "found a [!IMPORTANT] alert, expected NOTE, TIP, WARNING or CAUTION; read as \
                     an info banner (written back as [!NOTE])",
                );
                BannerKind::Info
            }
            BlockQuoteKind::Warning => BannerKind::Warning,
            BlockQuoteKind::Caution => BannerKind::Critical,
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        if matches!(
            tag,
            TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::Table
                | TagEnd::FootnoteDefinition
        ) {
            self.close_implicit();
            if matches!(self.frames.last(), Some(Frame::Banner { .. })) {
                self.close_open_banners();
            }
        }
        match tag {
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::TableCell => self.close_leaf(),
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item | TagEnd::Table
                if self.flat > 0 =>
            {
                self.close_implicit();
                self.flat -= 1;
            }
            TagEnd::TableHead | TagEnd::TableRow if self.flat > 0 => {}
            TagEnd::BlockQuote(_) => {
                self.close_implicit();
                if let Some(Frame::Quote { from, kind }) = self.pop_frame() {
                    let mut blocks = self.take_blocks(from);
                    if blocks.is_empty() {
                        blocks.push(Block::Paragraph(Paragraph::default()));
                    }
                    self.push_block(match kind {
                        Some(kind) => Block::Banner(prodoc_core::Banner::new(kind, blocks)),
                        None => Block::Blockquote(Blockquote {
                            content: blocks,
                            ..Blockquote::default()
                        }),
                    });
                }
            }
            TagEnd::Item => {
                self.close_implicit();
                if let Some(Frame::Item(mut item)) = self.pop_frame() {
                    // Inner containers take only their own blocks, so the item's are all there.
                    let from = item.from.min(self.open_blocks.len());
                    if !matches!(self.open_blocks.get(from), Some(Block::Paragraph(_))) {
                        self.open_blocks
                            .insert(from, Block::Paragraph(Paragraph::default()));
                    }
                    item.blocks = self.take_blocks(from);
                    if let Some(Frame::List { items, .. }) = self.frames.last_mut() {
                        items.push(item);
                    }
                }
            }
            TagEnd::List(_) => {
                self.close_implicit();
                if let Some(Frame::List {
                    first,
                    items,
                    start,
                }) = self.pop_frame()
                {
                    self.finish_list(first, items, start);
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(Frame::Row { cells, .. }) = self.pop_frame() {
                    if let Some(Frame::Table { rows, .. }) = self.frames.last_mut() {
                        if !cells.is_empty() {
                            rows.push(Child::Node(TableRow {
                                cells,
                                ..TableRow::default()
                            }));
                        }
                    }
                }
            }
            TagEnd::Table => {
                if let Some(Frame::Table { rows, .. }) = self.pop_frame() {
                    if !rows.is_empty() {
                        self.push_block(Block::Table(Table {
                            rows,
                            ..Table::default()
                        }));
                    }
                }
            }
            TagEnd::FootnoteDefinition => {
                self.close_implicit();
                if let Some(Frame::Footnote { label, from, start }) = self.pop_frame() {
                    let blocks = self.take_blocks(from);
                    self.warn(
                        start,
                        codes::FOOTNOTE,
                        format!(
                            "found the footnote definition [^{label}], which the format lacks; \
                             moved to the list of notes at the end of the document"
                        ),
                    );
                    self.footnotes.push((label, blocks, start));
                }
            }
            // As in `start`.
            other => {
                if is_inline_tag_end(other) {
                    self.inline(Event::End(other), range);
                }
            }
        }
    }

    /// Splits a list into runs of task and plain items: each run of task items a checklist, each
    /// run of plain items a list of the original kind, numbered on from where it stands.
    fn finish_list(&mut self, first: Option<u64>, items: Vec<ItemOut>, start: usize) {
        let tasks = items.iter().filter(|item| item.task.is_some()).count();
        if tasks > 0 && tasks < items.len() {
            self.warn(
                start,
                codes::MIXED_TASK_LIST,
                "found a list mixing task items and plain items, expected one kind; split into a \
                 checklist for each run of task items and a list for each run of plain items",
            );
        }
        if tasks > 0 && first.is_some_and(|number| number != 1 || tasks == items.len()) {
            if let Some(task) = items.iter().find(|item| item.task.is_some()) {
                self.warn(
                    task.start,
                    codes::ORDERED_CHECKLIST,
                    "found an ordered task list, expected a bulleted one; a checklist has no \
                     numbering",
                );
            }
        }
        let mut index: u64 = 0;
        let mut rest = items;
        while let Some(head) = rest.first() {
            let is_task = head.task.is_some();
            let length = rest
                .iter()
                .take_while(|item| item.task.is_some() == is_task)
                .count();
            // Almost every list is one run: it is mapped in place, with no vector of its own.
            let run = if length == rest.len() {
                std::mem::take(&mut rest)
            } else {
                rest.drain(..length).collect()
            };
            let count = run.len() as u64;
            let (kind, order) = match first {
                _ if is_task => (ListKind::Check, None),
                Some(number) => {
                    let number = number.saturating_add(index);
                    let order = (number != 1).then(|| u32::try_from(number).unwrap_or(u32::MAX));
                    (ListKind::Ordered, order)
                }
                None => (ListKind::Bullet, None),
            };
            let items = run
                .into_iter()
                .map(|item| (item.blocks, item.task.unwrap_or(false)));
            let block = Block::list(kind, None, order, items);
            index = index.saturating_add(count);
            self.push_block(block);
        }
    }

    fn close_leaf(&mut self) {
        let Some(leaf) = self.leaf.take() else {
            return;
        };
        let mut events = std::mem::take(&mut self.events);
        self.build_leaf(leaf, &mut events);
        events.clear();
        self.events = events;
    }

    fn build_leaf(&mut self, leaf: Leaf, events: &mut Events<'a>) {
        let start = leaf.start;
        match leaf.kind {
            LeafKind::Code { language, text } => {
                // A line ending is LF, CR or CRLF (CommonMark 2.1); pulldown-cmark passes them
                // through, and the code text holds each as one `\n`, or writing it back in a
                // fence would read differently.
                let mut text = if text.contains('\r') {
                    text.replace("\r\n", "\n").replace('\r', "\n")
                } else {
                    text
                };
                // pulldown-cmark ends every non-empty code block with a line break; the format's
                // code text does not carry the block's last one.
                if text.ends_with('\n') {
                    text.pop();
                }
                self.push_block(Block::CodeBlock(CodeBlock {
                    language,
                    text,
                    ..CodeBlock::default()
                }));
            }
            LeafKind::Html(text) => self.html_block(&text, start),
            LeafKind::Paragraph { .. } => {
                if leaf.has_html && html::AVAILABLE {
                    let wrapped = self.via_html(events, start);
                    for block in wrapped {
                        self.push_fitting(block, start);
                    }
                } else {
                    let content = self.leaf_inlines(leaf.stream, events, leaf.nodes);
                    self.push_block(Block::Paragraph(Paragraph {
                        content,
                        ..Paragraph::default()
                    }));
                }
            }
            LeafKind::Heading(level) => {
                let content = if leaf.has_html && html::AVAILABLE {
                    first_inlines(self.via_html(events, start))
                } else {
                    self.leaf_inlines(leaf.stream, events, leaf.nodes)
                };
                self.push_heading(level, content, start);
            }
            LeafKind::Cell(align) => {
                let content = if leaf.has_html && html::AVAILABLE {
                    first_inlines(self.via_html(events, start))
                } else {
                    self.leaf_inlines(leaf.stream, events, leaf.nodes)
                };
                if let Some(Frame::Row { header, cells }) = self.frames.last_mut() {
                    cells.push(Child::Node(TableCell {
                        header: *header,
                        content: vec![Block::Paragraph(Paragraph {
                            align,
                            content,
                            ..Paragraph::default()
                        })],
                        ..TableCell::default()
                    }));
                }
            }
        }
    }

    fn push_heading(&mut self, level: u8, mut content: Vec<Inline>, start: usize) {
        if let Ok(level) = HeadingLevel::try_from(level) {
            self.push_block(Block::Heading(Heading::new(level, content)));
            return;
        }
        match self.options.deep_headings {
            DeepHeadings::Level3 => {
                self.warn(
                    start,
                    codes::HEADING_LEVEL,
                    format!("found a level {level} heading, expected 1–3; read as level 3"),
                );
                self.push_block(Block::Heading(Heading::new(HeadingLevel::H3, content)));
            }
            DeepHeadings::BoldParagraph => {
                self.warn(
                    start,
                    codes::HEADING_LEVEL,
                    format!(
                        "found a level {level} heading, expected 1–3; read as a bold paragraph"
                    ),
                );
                for inline in &mut content {
                    if let Inline::Text(text) = inline {
                        add_mark(&mut text.marks, Mark::Strong);
                    }
                }
                self.push_block(Block::Paragraph(Paragraph {
                    content: merge_texts(content),
                    ..Paragraph::default()
                }));
            }
        }
    }

    fn html_block(&mut self, text: &str, start: usize) {
        if html::AVAILABLE && self.banner_fence(text, start) {
            return;
        }
        if html::AVAILABLE {
            let blocks = self.read_html(text, start);
            for block in blocks {
                self.push_fitting(block, start);
            }
            return;
        }
        self.warn(
            start,
            codes::HTML,
            "found an HTML block, which is read only once the HTML reader is available; kept as \
             an `html` code block",
        );
        let mut text = text.to_owned();
        if text.ends_with('\n') {
            text.pop();
        }
        self.push_block(Block::CodeBlock(CodeBlock {
            language: Some("html".to_owned()),
            text,
            ..CodeBlock::default()
        }));
    }

    /// Opens or closes a banner when the HTML block is only `<banner type="…">` or `</banner>`
    /// (with Markdown between them, as Productive's Markdown form writes a banner around content);
    /// whether it did.
    fn banner_fence(&mut self, text: &str, start: usize) -> bool {
        let tag = text.trim();
        if tag.eq_ignore_ascii_case("</banner>") {
            if self.flat_banners > 0 {
                self.flat_banners -= 1;
                return true;
            }
            return self.close_banner().is_some();
        }
        let opens = tag
            .get(..7)
            .is_some_and(|name| name.eq_ignore_ascii_case("<banner"))
            && tag
                .get(7..8)
                .is_some_and(|next| next == ">" || next.starts_with(char::is_whitespace));
        // Only an opening tag: one `<`, one `>`, at the end.
        let lone_tag = tag.ends_with('>') && tag.matches(['<', '>']).count() == 2;
        if !opens || !lone_tag {
            return false;
        }
        // The HTML reader reads the tag's type, as it would in a whole `<banner>` element.
        let closed = format!("{tag}</banner>");
        let kind = match self.read_html(&closed, start).into_iter().next() {
            Some(Block::Banner(banner)) => banner.kind,
            _ => return false,
        };
        if self.may_open(QUOTE_ROOM, start) {
            let depth = self.depth() + 1;
            self.push_frame(
                Frame::Banner {
                    kind,
                    from: self.open_blocks.len(),
                    start,
                },
                depth,
            );
        } else {
            // Reported by `may_open`; the banner's content stays where it is, so nothing below
            // it counts as flattened, and its `</banner>` closes nothing.
            self.flat = self.flat.saturating_sub(1);
            self.flat_banners += 1;
        }
        true
    }

    /// Closes the banners opened by `<banner>` blocks that are still open when their container
    /// ends (or the document does), reporting each: their `</banner>` is missing there.
    fn close_open_banners(&mut self) {
        while let Some(start) = self.close_banner() {
            self.warn(
                start,
                codes::HTML,
                "found a `<banner>` without its `</banner>` before its container ended, \
                 expected one; the banner was closed there",
            );
        }
    }

    /// Closes the banner on top of the frames, if one is, into a block of its container;
    /// where its `<banner>` stood.
    fn close_banner(&mut self) -> Option<usize> {
        if !matches!(self.frames.last(), Some(Frame::Banner { .. })) {
            return None;
        }
        let Some(Frame::Banner { kind, from, start }) = self.pop_frame() else {
            return None;
        };
        let mut blocks = self.take_blocks(from);
        if blocks.is_empty() {
            blocks.push(Block::Paragraph(Paragraph::default()));
        }
        self.push_block(Block::Banner(prodoc_core::Banner::new(kind, blocks)));
        Some(start)
    }

    /// Reads HTML with the HTML reader; its diagnostics are placed at `start`.
    fn read_html(&mut self, text: &str, start: usize) -> Vec<Block> {
        let Some(mut conversion) = html::read(text) else {
            return Vec::new();
        };
        if !conversion.diagnostics.is_empty() {
            let position = self.lines.position(start);
            for mut diagnostic in conversion.diagnostics.drain(..) {
                diagnostic.position = Some(position);
                diagnostic.pointer = None;
                self.diagnostics.push(diagnostic);
            }
        }
        std::mem::take(&mut conversion.doc.content)
    }

    /// Renders a leaf's inline events to HTML (mentions as Productive's spans) inside a block
    /// whose whitespace is kept as Markdown keeps it, and reads that.
    fn via_html(&mut self, events: &mut Events<'a>, start: usize) -> Vec<Block> {
        let mut out: Vec<Event<'a>> = Vec::with_capacity(events.len());
        let mut texts: Texts<'a> = Vec::new();
        // An image being read: its tag so far, its alt text and nesting. `push_html` would write
        // an empty `alt` for an image without one; this writes only what the image has.
        let mut image: Option<(String, String, usize)> = None;
        for (event, range) in events.drain(..) {
            if let Some((tag, alt, nesting)) = &mut image {
                match event {
                    Event::Start(Tag::Image { .. }) => *nesting += 1,
                    Event::End(TagEnd::Image) if *nesting > 1 => *nesting -= 1,
                    Event::End(TagEnd::Image) => {
                        if !alt.is_empty() {
                            tag.push_str(" alt=\"");
                            spans::escape_attr(tag, alt);
                            tag.push('"');
                        }
                        tag.push('>');
                        out.push(Event::InlineHtml(std::mem::take(tag).into()));
                        image = None;
                    }
                    Event::Text(text) | Event::Code(text) | Event::InlineHtml(text) => {
                        alt.push_str(&text);
                    }
                    Event::SoftBreak | Event::HardBreak => alt.push(' '),
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Text(text) => texts.push((text, range)),
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => {
                    self.flush_html_texts(&mut texts, &mut out);
                    let mut tag = String::from("<img src=\"");
                    spans::escape_attr(&mut tag, &dest_url);
                    tag.push('"');
                    if !title.is_empty() {
                        tag.push_str(" title=\"");
                        spans::escape_attr(&mut tag, &title);
                        tag.push('"');
                    }
                    image = Some((tag, String::new(), 1));
                }
                // Soft breaks are spaces here; `push_html` would write a line break, which the
                // kept whitespace would turn into text.
                Event::SoftBreak => texts.push((" ".into(), range)),
                Event::FootnoteReference(label) => {
                    self.footnote_reference(&label, range.start);
                    texts.push((format!("[^{label}]").into(), range));
                }
                Event::TaskListMarker(_) => {}
                other => {
                    self.flush_html_texts(&mut texts, &mut out);
                    out.push(match other {
                        Event::HardBreak => Event::InlineHtml("<br>".into()),
                        other => other,
                    });
                }
            }
        }
        self.flush_html_texts(&mut texts, &mut out);
        // In a <div>, not a <p>: a block element among the inline HTML (a one-line `<banner>`)
        // would close a <p> and leave its content outside; loose inline content still makes one
        // paragraph.
        let mut rendered = String::from("<div style=\"white-space: pre-wrap\">");
        pulldown_cmark::html::push_html(&mut rendered, out.into_iter());
        rendered.push_str("</div>");
        self.read_html(&rendered, start)
    }

    fn flush_html_texts(&mut self, texts: &mut Texts<'a>, out: &mut Vec<Event<'a>>) {
        if texts.is_empty() {
            return;
        }
        split_mentions(self.src, self.mentions, texts, |piece| match piece {
            Piece::Text(text) => out.push(Event::Text(text.into())),
            Piece::Mention(mention) => {
                // From the shorthand: nothing the span cannot carry, so nothing to report.
                let mut span = String::new();
                spans::mention(&mut span, &mention, &mut |_, _| {});
                out.push(Event::InlineHtml(span.into()));
            }
        });
        texts.clear();
    }

    fn footnote_reference(&mut self, label: &str, offset: usize) {
        self.warn(
            offset,
            codes::FOOTNOTE,
            format!(
                "found the footnote reference [^{label}], which the format lacks; kept as text"
            ),
        );
    }

    /// Places blocks from the HTML reader, flattening what would nest beyond the limit.
    fn push_fitting(&mut self, block: Block, start: usize) {
        let room = self.max_depth.saturating_sub(self.depth());
        if block.depth() <= room {
            self.push_block(block);
            return;
        }
        self.warn(
            start,
            codes::NESTING_TOO_DEEP,
            "found HTML nested deeper than the limit, expected shallower nesting; its leaf blocks \
             are kept at this level",
        );
        for leaf in leaf_blocks(block) {
            self.push_block(leaf);
        }
    }

    /// The inline content of the leaf being closed: built already when it was streamed, else from
    /// its buffered events.
    fn leaf_inlines(&mut self, stream: bool, events: &mut Events<'a>, nodes: usize) -> Vec<Inline> {
        if stream {
            self.finish_inlines()
        } else {
            self.inlines(events, nodes)
        }
    }

    /// The inline content of a leaf, from its buffered events, about `nodes` nodes.
    fn inlines(&mut self, events: &mut Events<'a>, nodes: usize) -> Vec<Inline> {
        self.built.clear();
        self.built.reserve(nodes + 1);
        for (event, range) in events.drain(..) {
            self.step(event, range);
        }
        self.finish_inlines()
    }

    /// The open leaf's inline content, its events all read; the builder is left empty.
    fn finish_inlines(&mut self) -> Vec<Inline> {
        self.flush_texts();
        self.marks.clear();
        self.link_starts.clear();
        self.image = None;
        // The leaf gets a vector of its content's exact size, and the builder keeps its room
        // for the next leaf: a leaf used to keep the room it was built in (a slot for every 32
        // bytes of its source, or what growing left), empty slots of 64 bytes each.
        merge_texts(take_exact(&mut self.built))
    }

    /// Builds one inline event of the open leaf into [`Reader::built`].
    fn step(&mut self, event: Event<'a>, range: Range<usize>) {
        if let Some((current, nesting, _)) = &mut self.image {
            match event {
                Event::Start(Tag::Image { .. }) => *nesting += 1,
                Event::End(TagEnd::Image) if *nesting > 1 => *nesting -= 1,
                Event::End(TagEnd::Image) => {
                    if let Some((mut done, _, offset)) = self.image.take() {
                        if done.alt.as_deref() == Some("") {
                            done.alt = None;
                        }
                        // As the HTML reader reads an `<img>`: a page cannot show an image
                        // without a URL, and the HTML a writer falls back to could not carry one.
                        if done.src.trim().is_empty() {
                            self.warn(
                                offset,
                                codes::IMAGE_WITHOUT_SRC,
                                "found an image without a URL, expected one; the image was left \
                                 out",
                            );
                            return;
                        }
                        if !is_safe_url(&done.src) {
                            self.warn(
                                offset,
                                codes::UNSAFE_URL,
                                "found an image URL with a scheme other than http, https or \
                                 mailto; the image was left out",
                            );
                            return;
                        }
                        if self.in_link() {
                            self.warn(
                                offset,
                                codes::MARK_DROPPED,
                                "found an image inside a link, expected the link on text; an \
                                 image cannot carry a link, so the link is dropped",
                            );
                        }
                        self.built.push(Inline::Image(done));
                    }
                }
                Event::Text(text) | Event::Code(text) | Event::InlineHtml(text) => {
                    current.alt.get_or_insert_with(String::new).push_str(&text);
                }
                Event::SoftBreak | Event::HardBreak => {
                    current.alt.get_or_insert_with(String::new).push(' ');
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Text(text) => self.texts.push(text, range, self.mentions),
            Event::SoftBreak => self.texts.push(" ".into(), range, self.mentions),
            Event::FootnoteReference(label) => {
                self.footnote_reference(&label, range.start);
                self.texts
                    .push(format!("[^{label}]").into(), range, self.mentions);
            }
            Event::InlineHtml(html) => {
                // Leaves with inline HTML go to the HTML reader whole; this is reached only when
                // it is not wired in (`html::AVAILABLE`). A streamed leaf's source holds no `<`
                // that could open a tag, so it has none (checked in debug builds and fuzzing).
                debug_assert!(
                    !html::AVAILABLE || !self.leaf.as_ref().is_some_and(|leaf| leaf.stream),
                    "inline HTML in a leaf whose source holds no unescaped `<`"
                );

                self.warn(
                    range.start,
                    codes::HTML,
                    "found inline HTML, which is read only once the HTML reader is available; \
                     kept as text",
                );
                self.texts.push(html, range, self.mentions);
            }
            Event::InlineMath(math) | Event::DisplayMath(math) => {
                self.texts.push(math, range, self.mentions);
            }
            Event::Code(code) => {
                self.flush_texts();
                if !code.is_empty() {
                    let mut with = Marks::from([Mark::Code]);
                    add_marks(&mut with, &self.marks);
                    self.built
                        .push(Inline::Text(Text::marked(compact(code), with)));
                }
            }
            Event::HardBreak => {
                self.flush_texts();
                self.built.push(Inline::HardBreak(HardBreak::default()));
            }
            Event::Start(tag) => {
                self.flush_texts();
                match tag {
                    Tag::Emphasis => self.marks.push(Some(Mark::Em)),
                    Tag::Strong => self.marks.push(Some(Mark::Strong)),
                    Tag::Strikethrough => self.marks.push(Some(Mark::Strike)),
                    Tag::Link {
                        dest_url, title, ..
                    } if is_safe_url(&dest_url) => {
                        self.link_starts.push(self.built.len());
                        self.marks.push(Some(Mark::from(Link {
                            title: (!title.is_empty()).then(|| title.into_string()),
                            ..Link::new(dest_url.into_string())
                        })));
                    }
                    // The same URLs as the HTML reader's: a document read from Markdown goes to
                    // pages that render it as HTML.
                    Tag::Link { .. } => {
                        self.warn(
                            range.start,
                            codes::UNSAFE_URL,
                            "found a link to a URL with a scheme other than http, https or \
                             mailto; the text was kept without the link",
                        );
                        self.marks.push(None);
                    }
                    Tag::Image {
                        dest_url, title, ..
                    } => {
                        self.image = Some((
                            Box::new(Image {
                                src: dest_url.into_string(),
                                title: (!title.is_empty()).then(|| title.into_string()),
                                ..Image::default()
                            }),
                            1,
                            range.start,
                        ));
                    }
                    // Not enabled; an empty entry keeps the stack balanced.
                    _ => self.marks.push(None),
                }
            }
            Event::End(_) => {
                self.flush_texts();
                if let Some(Some(Mark::Link(link))) = self.marks.pop() {
                    let start = self.link_starts.pop().unwrap_or(self.built.len());
                    attach_link(self.built.get_mut(start..).unwrap_or_default(), link);
                }
            }
            Event::Html(_) | Event::Rule | Event::TaskListMarker(_) => {}
        }
    }

    /// Turns the texts waiting in [`Reader::texts`] into nodes with the marks in force.
    fn flush_texts(&mut self) {
        if self.texts.is_empty() {
            return;
        }
        // A shorthand needs an `@`; without one the texts become one node.
        if !self.texts.hold_at {
            let text = self.texts.take_joined();
            if !text.is_empty() {
                self.built
                    .push(Inline::Text(Text::marked(text, current_marks(&self.marks))));
            }
            return;
        }
        // Taken out while it is split (and given back, emptied, to keep its room): the pieces go
        // straight into the leaf, which needs the reader.
        let mut texts = self.texts.take_events();
        let offset = texts.first().map_or(0, |(_, range)| range.start);
        let with = current_marks(&self.marks);
        let formatted = !with.is_empty() || self.in_link();
        split_mentions(self.src, self.mentions, &texts, |piece| match piece {
            Piece::Text(text) if text.is_empty() => {}
            Piece::Text(text) => self
                .built
                .push(Inline::Text(Text::marked(text, with.clone()))),
            Piece::Mention(mention) => {
                if formatted {
                    self.warn(
                        offset,
                        codes::MARK_DROPPED,
                        "found a mention inside formatting, expected it outside; a mention \
                         cannot carry marks, so the formatting is dropped from it",
                    );
                }
                self.built.push(Inline::Mention(mention));
            }
        });
        texts.clear();
        self.texts.events = texts;
    }

    /// Whether a link is open: what is read now goes inside it.
    fn in_link(&self) -> bool {
        self.marks
            .iter()
            .any(|mark| matches!(mark, Some(Mark::Link(_))))
    }

    /// Whether the part about to be read is a window, whose top-level blocks' starts are noted.
    fn watch_blocks(&mut self, windowed: bool) {
        self.windowed = windowed;
        self.watching = windowed || self.finished.is_some();
        self.last_block = None;
    }

    /// At the start of a block at `offset`, if the reader is between top-level blocks (a start
    /// inside any block finds it otherwise): in a window, notes where the block starts and what
    /// to take the reader back to; in an input parsed whole, hands out the blocks read so far.
    #[cold]
    fn note_block(&mut self, offset: usize) {
        if self.windowed {
            if let Some(checkpoint) = self.checkpoint() {
                self.last_block = Some((offset, checkpoint));
            }
        } else if self.open_blocks.len() >= self.offer_at {
            self.hand_out();
        }
    }

    /// In an input parsed whole, blocks are offered once there are this many more than were
    /// left after the last offer.
    const RUN: usize = 64;

    /// Hands the blocks read so far to [`Reader::finished`], if there is somewhere to hand them
    /// and the reader is between top-level blocks: there, nothing refers to them, and nothing
    /// read later changes them.
    fn hand_out(&mut self) {
        if self.open_blocks.is_empty() || self.checkpoint().is_none() {
            return;
        }
        if let Some(finished) = self.finished.as_mut() {
            finished(&mut self.open_blocks);
        }
        self.offer_at = self.open_blocks.len() + Self::RUN;
    }

    /// What [`Reader::rollback`] needs to take the reader back to now, if it is between
    /// top-level blocks with nothing open (no banner): there, all it holds that the next block can
    /// change is the document's blocks, the diagnostics, the footnotes and the count of banners
    /// left out.
    fn checkpoint(&self) -> Option<Checkpoint> {
        let [Frame::Doc] = self.frames.as_slice() else {
            return None;
        };
        // A container left out for nesting too deep has no frame: only the count says the reader
        // is inside it.
        let between = self.flat == 0
            && self.leaf.is_none()
            && self.image.is_none()
            && self.marks.is_empty()
            && self.texts.is_empty()
            && self.built.is_empty()
            && self.events.is_empty();
        between.then_some(Checkpoint {
            blocks: self.open_blocks.len(),
            diagnostics: self.diagnostics.len(),
            footnotes: self.footnotes.len(),
            flat_banners: self.flat_banners,
        })
    }

    /// Undoes every event since `checkpoint` was taken.
    fn rollback(&mut self, checkpoint: Checkpoint) {
        self.frames.truncate(1);
        self.depths.truncate(1);
        self.open_blocks.truncate(checkpoint.blocks);
        self.diagnostics.truncate(checkpoint.diagnostics);
        self.footnotes.truncate(checkpoint.footnotes);
        self.flat = 0;
        self.flat_banners = checkpoint.flat_banners;
        self.leaf = None;
        self.events.clear();
        self.texts.clear();
        self.marks.clear();
        self.built.clear();
        self.image = None;
        self.link_starts.clear();
    }

    fn finish(mut self) -> (Doc, Vec<Diagnostic>) {
        self.close_leaf();
        // Close whatever is open (the parser balances its events, so this is only a safeguard).
        while self.frames.len() > 1 {
            match self.frames.last() {
                Some(Frame::Quote { .. }) => self.end(TagEnd::BlockQuote(None), 0..0),
                Some(Frame::List { .. }) => self.end(TagEnd::List(false), 0..0),
                Some(Frame::Item(_)) => self.end(TagEnd::Item, 0..0),
                Some(Frame::Table { .. }) => self.end(TagEnd::Table, 0..0),
                Some(Frame::Row { .. }) => self.end(TagEnd::TableRow, 0..0),
                Some(Frame::Footnote { .. }) => self.end(TagEnd::FootnoteDefinition, 0..0),
                Some(Frame::Banner { .. }) => self.close_open_banners(),
                Some(Frame::Doc) | None => break,
            }
        }
        if !self.footnotes.is_empty() {
            let items =
                std::mem::take(&mut self.footnotes)
                    .into_iter()
                    .map(|(label, mut content, _)| {
                        let marker = Inline::Text(Text::plain(format!("[^{label}] ")));
                        match content.first_mut() {
                            Some(Block::Paragraph(paragraph)) => {
                                paragraph.content.insert(0, marker);
                                paragraph.content =
                                    merge_texts(std::mem::take(&mut paragraph.content));
                            }
                            _ => content.insert(
                                0,
                                Block::Paragraph(Paragraph {
                                    content: vec![marker],
                                    ..Paragraph::default()
                                }),
                            ),
                        }
                        (content, false)
                    });
            let notes = Block::list(ListKind::Ordered, None, None, items);
            self.push_block(notes);
        }
        (Doc::new(self.take_blocks(0)), self.diagnostics)
    }
}

/// Text events waiting to become nodes. Those before the first that holds an `@` are joined
/// as they come once there are a few: a shorthand starts at its `@`, so they can never be part of
/// one, and a paragraph of escaped characters is an event per character, each held as 40 bytes
/// (`prodoc convert -t md` of 4.9 MB of JSON text of `<&*_[\\`, whose Markdown is read back:
/// peak RSS 409.0 -> 238.9 MB).
#[derive(Default)]
struct PendingTexts<'a> {
    /// The source the events' ranges are in.
    src: &'a str,
    /// The text of the events joined so far, and where the first of them starts in the source.
    joined: String,
    joined_start: Option<usize>,
    /// The events after those, each as it came: where shorthands may be, and whose source is
    /// checked to hold them verbatim.
    events: Texts<'a>,
    /// Whether `events` holds an `@` that may start a shorthand.
    hold_at: bool,
}

impl<'a> PendingTexts<'a> {
    /// How many events wait before they are joined: enough that a paragraph of plain text
    /// (several events a line) mostly never is, which would copy its text one more time.
    const JOIN_AT: usize = 64;

    fn is_empty(&self) -> bool {
        self.joined_start.is_none() && self.events.is_empty()
    }

    fn push(&mut self, text: pulldown_cmark::CowStr<'a>, range: Range<usize>, mentions: bool) {
        self.hold_at |= mentions && memchr::memchr(b'@', text.as_bytes()).is_some();
        // Once events are held for an `@` (before, they are joined as above), a text that is the
        // source itself, right where the last one ends, and that one too, extends it:
        // [`split_mentions`] asks of each event only whether it stands verbatim and where, and a
        // run of such events holds the same as one. Pulldown-cmark gives a text per `[` and `]`
        // it does not match, so a paragraph of 120,000 shorthands (1 MB) held 480,000 events,
        // 21 MB (`prodoc convert` of 8.4 MB of them: peak RSS 724.2 -> 574.8 MB).
        if self.hold_at && self.extends_last(&text, &range) {
            return;
        }
        self.events.push((text, range));
        if !self.hold_at && self.events.len() >= Self::JOIN_AT {
            for (text, range) in self.events.drain(..) {
                self.joined_start.get_or_insert(range.start);
                self.joined.push_str(&text);
            }
        }
    }

    /// Makes the last event reach to the end of `range` when both it and `text` are the source
    /// itself and `text` starts where it ends; says whether it did.
    fn extends_last(&mut self, text: &pulldown_cmark::CowStr<'a>, range: &Range<usize>) -> bool {
        let (
            Some((pulldown_cmark::CowStr::Borrowed(last), last_range)),
            pulldown_cmark::CowStr::Borrowed(piece),
        ) = (self.events.last_mut(), text)
        else {
            return false;
        };
        if last_range.end != range.start
            || !is_source(last, last_range, self.src)
            || !is_source(piece, range, self.src)
        {
            return false;
        }
        let Some(both) = self.src.get(last_range.start..range.end) else {
            return false;
        };
        *last = both;
        last_range.end = range.end;
        true
    }

    /// All the text as one string: without a copy when one event holds it all.
    fn take_joined(&mut self) -> CompactString {
        self.hold_at = false;
        let any_joined = self.joined_start.take().is_some();
        if !any_joined && self.events.len() == 1 {
            return self
                .events
                .pop()
                .map(|(text, _)| compact(text))
                .unwrap_or_default();
        }
        let length = self.joined.len() + self.events.iter().map(|(t, _)| t.len()).sum::<usize>();
        let mut all = CompactString::with_capacity(length);
        // Not kept for the next leaf: only long runs of events are joined, and the document's
        // text has its own copy.
        all.push_str(&std::mem::take(&mut self.joined));
        for (text, _) in self.events.drain(..) {
            all.push_str(&text);
        }
        all
    }

    /// The events, those joined first as one, for [`split_mentions`].
    /// Drops every waiting text, keeping the room.
    fn clear(&mut self) {
        self.joined.clear();
        self.joined_start = None;
        self.events.clear();
        self.hold_at = false;
    }

    fn take_events(&mut self) -> Texts<'a> {
        self.hold_at = false;
        let mut events = std::mem::take(&mut self.events);
        if let Some(start) = self.joined_start.take() {
            let joined = std::mem::take(&mut self.joined);
            let range = start..start + joined.len();
            events.insert(0, (joined.into(), range));
        }
        events
    }
}

/// Whether `text` is the source's own `range`, not a copy of it: a pointer compared, so that
/// asking it of a run that grows costs no more each time.
fn is_source(text: &str, range: &Range<usize>, src: &str) -> bool {
    src.as_bytes()
        .get(range.clone())
        .is_some_and(|own| std::ptr::eq(own.as_ptr(), text.as_ptr()) && own.len() == text.len())
}

/// The reader between two top-level blocks: see [`Reader::checkpoint`].
struct Checkpoint {
    blocks: usize,
    diagnostics: usize,
    footnotes: usize,
    flat_banners: usize,
}

enum Piece {
    Text(String),
    /// Boxed as the document holds it: a piece is then the size of a string, not of a mention
    /// (a paragraph of 116,000 shorthands held 36 MB of pieces unboxed).
    Mention(Box<Mention>),
}

/// The offsets of every `<` in `src` that is not escaped by a backslash (the Markdown writer
/// escapes every `<` of text so), in order: one pass over the source, the backslashes counted
/// back from each `<` stopping at the one before.
fn tag_starts(src: &str) -> Vec<usize> {
    let bytes = src.as_bytes();
    memchr::memchr_iter(b'<', bytes)
        .filter(|&at| {
            let before = bytes.get(..at).unwrap_or_default();
            before.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0
        })
        .collect()
}

/// Joins text events and finds `@[type:id:label]` in them (the shared grammar,
/// [`prodoc_core::shared::mention`]), giving `each` the text between shorthands and each
/// shorthand in turn. A shorthand counts only where the source holds it verbatim (no escape,
/// entity or markup inside), so that the writer can keep literal text from being read as a
/// mention by escaping its `[`. Linear: the text events are walked once alongside the
/// shorthands, which come in order. Nothing is held per event but whether it is verbatim (a
/// byte): a paragraph of 116,000 shorthands held 15 MB of event spans and 6 MB of pieces.
fn split_mentions(src: &str, mentions: bool, texts: &Texts<'_>, mut each: impl FnMut(Piece)) {
    let joined: String = texts.iter().map(|(text, _)| text.as_ref()).collect();
    if !mentions || !joined.contains("@[") {
        each(Piece::Text(joined));
        return;
    }
    let verbatim: Vec<bool> = texts
        .iter()
        .map(|(text, range)| src.get(range.clone()) == Some(text.as_ref()))
        .collect();
    // The first event that ends after the shorthand's start, and where it starts in `joined`.
    let mut first = 0;
    let mut first_start = 0;
    let mut done = 0;
    for found in mention::find(&joined) {
        let range = found.range.clone();
        while let Some((text, _)) = texts.get(first) {
            if first_start + text.len() > range.start {
                break;
            }
            first_start += text.len();
            first += 1;
        }
        let touched = texts
            .get(first..)
            .unwrap_or_default()
            .iter()
            .zip(verbatim.get(first..).unwrap_or_default());
        if !verbatim_in_source(touched, first_start, &range) {
            continue;
        }
        if let Some(before) = joined.get(done..range.start) {
            each(Piece::Text(before.to_owned()));
        }
        each(Piece::Mention(Box::new(found.to_mention())));
        done = range.end;
    }
    if let Some(rest) = joined.get(done..) {
        each(Piece::Text(rest.to_owned()));
    }
}

/// Whether `range` of the joined text stands verbatim and contiguous in the source: every text
/// event it touches (`texts` with whether each is verbatim, from the first that ends after its
/// start, which starts at `start` in the joined text) is verbatim, and each continues in the
/// source where the one before it ends.
fn verbatim_in_source<'t, 'a: 't>(
    texts: impl Iterator<Item = (&'t (pulldown_cmark::CowStr<'a>, Range<usize>), &'t bool)>,
    mut start: usize,
    range: &Range<usize>,
) -> bool {
    let mut expected: Option<usize> = None;
    for ((text, source), &verbatim) in texts {
        if start >= range.end {
            break;
        }
        if !verbatim {
            return false;
        }
        let end = start + text.len();
        let from = range.start.max(start);
        let at = source.start + (from - start);
        if expected.is_some_and(|expected| expected != at) {
            return false;
        }
        expected = Some(source.start + (end - start));
        start = end;
    }
    expected.is_some()
}

/// How many cells a GFM table row's source line holds: its unescaped pipes split it, and a
/// leading and a trailing pipe only bound it.
fn count_cells(row: &str) -> usize {
    let line = row.lines().next().unwrap_or("").trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let mut cells = 1;
    let mut escaped = false;
    let mut ends_with_pipe = false;
    for c in line.chars() {
        ends_with_pipe = false;
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '|' {
            cells += 1;
            ends_with_pipe = true;
        }
    }
    if ends_with_pipe || line.is_empty() {
        cells -= 1;
    }
    cells.max(1)
}

/// A text event's characters as a node's text: short ones inline, a string pulldown-cmark already
/// owns kept as it is.
fn compact(text: pulldown_cmark::CowStr<'_>) -> CompactString {
    match text {
        pulldown_cmark::CowStr::Boxed(owned) => CompactString::from(owned),
        other => CompactString::new(&*other),
    }
}

/// How many inline nodes an event adds at most, near enough: texts between two other events become
/// one node, and code spans and breaks one more each, so the sum is almost always enough (mentions
/// may add more).
fn node_estimate(event: &Event<'_>) -> usize {
    match event {
        Event::Text(_) | Event::SoftBreak => 0,
        Event::Code(_) | Event::HardBreak => 2,
        _ => 1,
    }
}

/// Whether a start tag opens inline markup (kept in the leaf's buffer) rather than a block.
fn is_inline_tag(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// Whether an end tag closes inline markup.
fn is_inline_tag_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Adds a link that has closed to the text inside it; the text nodes share it.
fn attach_link(inside: &mut [Inline], link: Arc<Link>) {
    for inline in inside {
        if let Inline::Text(text) = inline {
            add_mark(&mut text.marks, Mark::Link(Arc::clone(&link)));
        }
    }
}

/// The marks in force, each type once, in the format's table order.
fn current_marks(stack: &[Option<Mark>]) -> Marks {
    // Not sized by the stack: links and empty entries on it are left out, and a list sized for
    // them would go to the heap for marks that fit inline.
    let mut out = Marks::new();
    add_marks(&mut out, stack);
    out
}

/// Adds the marks of `stack` to `out`, each type once, in table order. Links are left out:
/// [`attach_link`] adds those when the link closes.
fn add_marks(out: &mut Marks, stack: &[Option<Mark>]) {
    for mark in stack.iter().flatten() {
        if !matches!(mark, Mark::Link(_)) {
            add_mark(out, mark.clone());
        }
    }
}

pub(crate) use prodoc_core::normal::{add_mark, merge_texts};

/// The inline content of the first paragraph or heading among `blocks`.
fn first_inlines(blocks: Vec<Block>) -> Vec<Inline> {
    for block in blocks {
        match block {
            Block::Paragraph(mut paragraph) => return std::mem::take(&mut paragraph.content),
            Block::Heading(mut heading) => return std::mem::take(&mut heading.content),
            _ => {}
        }
    }
    Vec::new()
}

/// The leaf blocks of a tree (paragraphs, headings, code, dividers), in order, without recursion.
fn leaf_blocks(block: Block) -> Vec<Block> {
    let mut out = Vec::new();
    let mut stack = vec![block];
    while let Some(mut block) = stack.pop() {
        let children = block.take_children();
        match block {
            Block::Paragraph(_)
            | Block::Heading(_)
            | Block::CodeBlock(_)
            | Block::Divider(_)
            | Block::Raw(_) => out.push(block),
            _ => stack.extend(children.into_iter().rev()),
        }
    }
    out
}
