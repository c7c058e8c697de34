//! A document to plain text. The rules are stated in the crate documentation, under "Writing".
//!
//! The tree is walked with an explicit stack of frames, one per open container, so that a
//! document of any depth writes in constant native stack. A frame remembers which child it is
//! working on; a JSON Pointer is put together from the frames only when a diagnostic needs one.

use std::fmt::Write as _;

use prodoc_core::{
    BannerKind, Block, ChecklistItem, Child, Column, Diagnostic, Doc, Heading, HeadingLevel,
    Inline, ListItem, Mark, Paragraph, RawNode, Text, Written,
};
use unicode_width::UnicodeWidthStr;

use crate::codes;
use crate::sink::Sink;
use crate::table::{Grid, RawAt};

/// How a document is written as plain text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Wrap paragraphs, headings and list items at this many columns of display width, prefixes
    /// included. Default `None`: a line of the document is one line of output.
    pub wrap: Option<usize>,
    /// How headings are set apart. Default [`HeadingStyle::Underlined`].
    pub heading_style: HeadingStyle,
}

/// How headings are set apart from the text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HeadingStyle {
    /// Underlined to the heading's width: `=` for level 1, `-` for level 2, `~` for level 3.
    #[default]
    Underlined,
    /// Prefixed with `#`, `##` or `###` and a space; wrapped lines align under the text.
    Prefixed,
}

/// Writes `doc` as plain text, with a diagnostic (and the node's JSON Pointer) for every node and
/// mark that lenient reading could not type (those are left out) and for every top-level block
/// that does not read back as it is.
///
/// ```
/// use prodoc_core::build::*;
/// use prodoc_core::HeadingLevel;
///
/// let doc = doc([
///     heading(HeadingLevel::H1, [text("Notes")]),
///     ul([li([p([text("one")])]), li([p([link("docs", "https://example.com")])])]),
/// ]);
/// assert_eq!(
///     prodoc_text::write(&doc, &Default::default()).text,
///     "Notes\n=====\n\n- one\n- docs (https://example.com)\n"
/// );
/// ```
pub fn write(doc: &Doc, options: &WriteOptions) -> Written {
    let mut writer = Writer {
        options,
        frames: Vec::new(),
        root: Sink::new(options.wrap),
        cells: Vec::new(),
        diagnostics: Vec::new(),
    };
    report_what_reads_back_otherwise(doc, options, &mut writer.diagnostics);
    writer.open_blocks(&doc.content, false, false);
    writer.run();
    let lines = writer.root.into_text();
    // The reader drops one byte order mark at the start; a document that begins with U+FEFF
    // keeps it by writing one more.
    let text = if lines.starts_with('\u{feff}') {
        let mut text = String::with_capacity(lines.len() + 3);
        text.push('\u{feff}');
        text.push_str(&lines);
        text
    } else {
        lines
    };
    Written {
        text,
        diagnostics: writer.diagnostics,
    }
}

/// Reports each top-level block that reading the text back (with the default options) would
/// not give as it is: plain text carries paragraphs of unmarked text and line breaks, and nothing
/// else (see "Round trips" in the crate documentation). What lenient reading left raw is
/// reported where it is written.
fn report_what_reads_back_otherwise(
    doc: &Doc,
    options: &WriteOptions,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (index, block) in doc.content.iter().enumerate() {
        let why = match block {
            Block::Raw(_) => continue,
            Block::Paragraph(paragraph) => match paragraph_loses(paragraph, options) {
                Some(why) => why,
                None => continue,
            },
            Block::Heading(_) => {
                "a heading, which plain text shows set apart; it reads back as a paragraph"
            }
            Block::Blockquote(_) => {
                "a quote, which plain text shows with `> `; it reads back as text"
            }
            Block::CodeBlock(_) => {
                "a code block, which plain text shows indented; it reads back as text"
            }
            Block::BulletList(_) | Block::OrderedList(_) | Block::Checklist(_) => {
                "a list, which reads back as text unless the reader is asked for lists"
            }
            Block::Table(_) => {
                "a table, which plain text shows as aligned columns; it reads back as text"
            }
            Block::Divider(_) => {
                "a divider, which plain text shows as a line of `-`; it reads back as text"
            }
            Block::Banner(_) => "a banner, which plain text shows labelled; it reads back as text",
            Block::Columns(_) => "columns, which plain text writes one after another",
        };
        diagnostics.push(Diagnostic::warning_at(
            format!("/content/{index}"),
            codes::NOT_EXPRESSIBLE,
            format!("found {why}"),
        ));
    }
}

/// Why a paragraph would not read back as it is, if it would not.
fn paragraph_loses(paragraph: &Paragraph, options: &WriteOptions) -> Option<&'static str> {
    if paragraph.id.is_some() || paragraph.align.is_some() {
        return Some("a paragraph's block id or alignment, which plain text has no place for");
    }
    let mut lines = vec![String::new()];
    for inline in &paragraph.content {
        match inline {
            Inline::Text(text) if text.marks.is_empty() => {
                if let Some(line) = lines.last_mut() {
                    line.push_str(&text.text);
                }
            }
            Inline::Text(_) => {
                return Some("a paragraph with formatting, which plain text does not show")
            }
            Inline::HardBreak(_) => lines.push(String::new()),
            _ => {
                return Some(
                    "a paragraph with an image, file, mention or variable, which plain text \
                     writes as text",
                )
            }
        }
    }
    let broken = |line: &String| {
        line.is_empty()
            || line.ends_with([' ', '\t'])
            || line.contains(['\n', '\r'])
            || options.wrap.is_some_and(|width| line.width() > width)
    };
    lines.iter().any(broken).then_some(
        "a paragraph with an empty line, a line ending in a space, a line break inside its text \
         or a line longer than the wrap width, which plain text cannot keep",
    )
}

/// The child a frame is working on, as pointer segments below the frame's node.
#[derive(Clone, Copy)]
enum Seg {
    None,
    One(usize),
    Two(usize, usize),
}

struct Frame<'a> {
    cur: Seg,
    kind: Kind<'a>,
}

enum Kind<'a> {
    Blocks(Blocks<'a>),
    List(List<'a>),
    Table(Box<Grid<'a>>),
    Columns {
        columns: &'a [Child<Column>],
        next: usize,
        start: usize,
    },
}

/// The blocks of one container.
struct Blocks<'a> {
    blocks: &'a [Block],
    next: usize,
    prev: Option<&'a Block>,
    /// A list or checklist item: a nested list, the paragraphs before and after it and a list
    /// of another kind after it follow each other without a blank line.
    item: bool,
    /// Whether the container opened a prefix, to close when it ends.
    prefix: bool,
    /// The sink's line count when the container opened: a blank line goes between blocks only
    /// once the container has written something.
    start: usize,
}

enum Items<'a> {
    Bullet(&'a [Child<ListItem>]),
    Ordered(&'a [Child<ListItem>]),
    Check(&'a [Child<ChecklistItem>]),
}

struct List<'a> {
    items: Items<'a>,
    next: usize,
    /// The number of the next ordered item.
    number: u64,
}

/// What the top frame asks for next.
enum Step<'a> {
    Block {
        block: &'a Block,
        gap: bool,
        /// The paragraph that starts a list or checklist item.
        item_paragraph: bool,
    },
    Item {
        marker: String,
        blocks: &'a [Block],
    },
    Column {
        blocks: &'a [Block],
        gap: bool,
    },
    Cell(&'a [Block]),
    Raw(&'a RawNode),
    Close {
        prefix: bool,
    },
    Table,
}

struct Writer<'a> {
    options: &'a WriteOptions,
    frames: Vec<Frame<'a>>,
    root: Sink,
    /// Table cells being written, innermost last; each is written on its own and then laid out.
    cells: Vec<Sink>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Writer<'a> {
    fn sink(&mut self) -> &mut Sink {
        self.cells.last_mut().unwrap_or(&mut self.root)
    }

    fn line_count(&self) -> usize {
        self.cells.last().unwrap_or(&self.root).line_count()
    }

    /// The JSON Pointer of the child the top frame is working on.
    fn pointer(&self) -> String {
        let mut pointer = String::new();
        for frame in &self.frames {
            // Writing to a String cannot fail.
            let _ = match frame.cur {
                Seg::None => Ok(()),
                Seg::One(index) => write!(pointer, "/content/{index}"),
                Seg::Two(a, b) => write!(pointer, "/content/{a}/content/{b}"),
            };
        }
        pointer
    }

    fn raw(&mut self, pointer: String, raw: &RawNode) {
        let message = match raw.type_name() {
            Some(name) => format!(
                "found a `{name}` node that could not be read as a node of the format here, \
                 expected a typed node; it was left out"
            ),
            None => "found a value that is not a node, expected a typed node; it was left out"
                .to_owned(),
        };
        self.diagnostics
            .push(Diagnostic::warning_at(pointer, codes::RAW_NODE, message));
    }

    fn open_blocks(&mut self, blocks: &'a [Block], item: bool, prefix: bool) {
        let start = self.line_count();
        self.frames.push(Frame {
            cur: Seg::None,
            kind: Kind::Blocks(Blocks {
                blocks,
                next: 0,
                prev: None,
                item,
                prefix,
                start,
            }),
        });
    }

    fn run(&mut self) {
        loop {
            let lines = self.line_count();
            let Some(frame) = self.frames.last_mut() else {
                return;
            };
            let step = match &mut frame.kind {
                Kind::Blocks(blocks) => match blocks.blocks.get(blocks.next) {
                    Some(block) => {
                        frame.cur = Seg::One(blocks.next);
                        blocks.next += 1;
                        let tight =
                            blocks.item && blocks.prev.is_some_and(|prev| touches(prev, block));
                        blocks.prev = Some(block);
                        Step::Block {
                            block,
                            gap: !tight && lines > blocks.start,
                            item_paragraph: blocks.item
                                && blocks.next == 1
                                && matches!(block, Block::Paragraph(_)),
                        }
                    }
                    None => Step::Close {
                        prefix: blocks.prefix,
                    },
                },
                Kind::List(list) => {
                    let index = list.next;
                    list.next += 1;
                    frame.cur = Seg::One(index);
                    let item = match list.items {
                        Items::Bullet(items) | Items::Ordered(items) => {
                            items.get(index).map(|item| match item {
                                Child::Node(item) => Ok((None, item.content.as_slice())),
                                Child::Raw(raw) => Err(raw),
                            })
                        }
                        Items::Check(items) => items.get(index).map(|item| match item {
                            Child::Node(item) => Ok((Some(item.checked), item.content.as_slice())),
                            Child::Raw(raw) => Err(raw),
                        }),
                    };
                    match item {
                        None => Step::Close { prefix: false },
                        Some(Err(raw)) => Step::Raw(raw),
                        Some(Ok((checked, blocks))) => {
                            let marker = match (&list.items, checked) {
                                (Items::Ordered(_), _) => {
                                    let number = list.number;
                                    list.number += 1;
                                    format!("{number}. ")
                                }
                                (_, Some(true)) => "[x] ".to_owned(),
                                (_, Some(false)) => "[ ] ".to_owned(),
                                (_, None) => "- ".to_owned(),
                            };
                            Step::Item { marker, blocks }
                        }
                    }
                }
                Kind::Columns {
                    columns,
                    next,
                    start,
                } => {
                    let index = *next;
                    *next += 1;
                    frame.cur = Seg::One(index);
                    match columns.get(index) {
                        None => Step::Close { prefix: false },
                        Some(Child::Raw(raw)) => Step::Raw(raw),
                        Some(Child::Node(column)) => Step::Column {
                            blocks: &column.content,
                            gap: lines > *start,
                        },
                    }
                }
                Kind::Table(grid) => match grid.cells.get(grid.outputs.len()) {
                    Some(cell) => {
                        frame.cur = Seg::Two(cell.at.0, cell.at.1);
                        Step::Cell(cell.content)
                    }
                    None => Step::Table,
                },
            };
            match step {
                Step::Block {
                    block,
                    gap,
                    item_paragraph,
                } => {
                    if gap {
                        self.sink().pending_blank = true;
                    }
                    self.block(block);
                    if item_paragraph && self.line_count() == lines {
                        // The marker stands on a line of its own, so that what follows in the
                        // item is not read as part of this item's first line (`- -`).
                        self.sink().line("");
                    }
                }
                Step::Item { marker, blocks } => {
                    self.sink().push(marker, None, true);
                    self.open_blocks(blocks, true, true);
                }
                Step::Column { blocks, gap } => {
                    if gap {
                        self.sink().pending_blank = true;
                    }
                    self.open_blocks(blocks, false, false);
                }
                Step::Cell(blocks) => {
                    self.cells.push(Sink::new(None));
                    self.open_blocks(blocks, false, false);
                }
                Step::Raw(raw) => {
                    let pointer = self.pointer();
                    self.raw(pointer, raw);
                }
                Step::Close { prefix } => {
                    self.frames.pop();
                    let sink = self.sink();
                    if prefix {
                        sink.pop();
                    }
                    sink.pending_blank = false;
                    self.cell_done();
                }
                Step::Table => {
                    if let Some(Frame {
                        kind: Kind::Table(grid),
                        ..
                    }) = self.frames.pop()
                    {
                        let sink = self.sink();
                        grid.write_lines(|line| sink.line(line));
                    }
                }
            }
        }
    }

    /// After a frame closes: when it was a table cell's (the only frames opened right above a
    /// table's), its lines go to the table.
    fn cell_done(&mut self) {
        if let Some(Frame {
            kind: Kind::Table(grid),
            ..
        }) = self.frames.last_mut()
        {
            if grid.outputs.len() < grid.cells.len() {
                let lines = self.cells.pop().map(Sink::into_text).unwrap_or_default();
                grid.outputs.push(lines);
            }
        }
    }

    fn block(&mut self, block: &'a Block) {
        match block {
            Block::Paragraph(paragraph) => {
                let lines = self.inline_lines(&paragraph.content);
                self.text_lines(&lines);
            }
            Block::Heading(heading) => self.heading(heading),
            Block::Blockquote(quote) => {
                self.sink().push("> ".into(), Some("> ".into()), true);
                self.open_blocks(&quote.content, false, true);
            }
            Block::Banner(banner) => {
                let label = match banner.kind {
                    BannerKind::Info => "Info: ",
                    BannerKind::Warning => "Warning: ",
                    BannerKind::Success => "Success: ",
                    BannerKind::Critical => "Critical: ",
                };
                self.sink().push(label.into(), None, true);
                self.open_blocks(&banner.content, false, true);
            }
            Block::CodeBlock(code) => {
                let mut lines = vec![String::new()];
                push_text(&mut lines, &code.text);
                if lines.iter().any(|line| !is_blank(line)) {
                    let sink = self.sink();
                    for line in lines {
                        sink.line(&format!("    {line}"));
                    }
                }
            }
            Block::BulletList(list) => self.open_list(Items::Bullet(&list.items), 1),
            Block::OrderedList(list) => {
                self.open_list(Items::Ordered(&list.items), list.order.unwrap_or(1));
            }
            Block::Checklist(list) => self.open_list(Items::Check(&list.items), 1),
            Block::Table(table) => {
                let mut raws = Vec::new();
                let grid = Grid::new(table, |at, raw| raws.push((at, raw)));
                let pointer = if raws.is_empty() {
                    String::new()
                } else {
                    self.pointer()
                };
                for (at, raw) in raws {
                    let place = match at {
                        RawAt::Row(r) => format!("{pointer}/content/{r}"),
                        RawAt::Cell(r, c) => format!("{pointer}/content/{r}/content/{c}"),
                    };
                    self.raw(place, raw);
                }
                self.frames.push(Frame {
                    cur: Seg::None,
                    kind: Kind::Table(Box::new(grid)),
                });
            }
            Block::Divider(_) => {
                let width = self.sink().width().map_or(3, |width| width.max(3));
                self.sink().line(&"-".repeat(width));
            }
            Block::Columns(columns) => {
                let start = self.line_count();
                self.frames.push(Frame {
                    cur: Seg::None,
                    kind: Kind::Columns {
                        columns: &columns.columns,
                        next: 0,
                        start,
                    },
                });
            }
            Block::Raw(raw) => {
                let pointer = self.pointer();
                self.raw(pointer, raw);
            }
        }
    }

    fn open_list(&mut self, items: Items<'a>, start: u32) {
        self.frames.push(Frame {
            cur: Seg::None,
            kind: Kind::List(List {
                items,
                next: 0,
                number: u64::from(start),
            }),
        });
    }

    fn heading(&mut self, heading: &'a Heading) {
        let lines = self.inline_lines(&heading.content);
        if lines.iter().all(|line| is_blank(line)) {
            return;
        }
        match self.options.heading_style {
            HeadingStyle::Underlined => {
                let lines = self.wrapped(&lines);
                let width = lines
                    .iter()
                    .map(|line| line.trim_end_matches([' ', '\t']).width())
                    .max()
                    .unwrap_or(0)
                    .max(1);
                let rule = match heading.level {
                    HeadingLevel::H1 => "=",
                    HeadingLevel::H2 => "-",
                    HeadingLevel::H3 => "~",
                };
                let sink = self.sink();
                for line in &lines {
                    sink.line(line);
                }
                sink.line(&rule.repeat(width));
            }
            HeadingStyle::Prefixed => {
                let marker = format!("{} ", "#".repeat(usize::from(heading.level.get())));
                self.sink().push(marker, None, false);
                let lines = self.wrapped(&lines);
                let sink = self.sink();
                for line in &lines {
                    sink.line(line);
                }
                sink.pop();
            }
        }
    }

    /// Writes a paragraph's lines, wrapped when asked; a paragraph with no visible text writes
    /// nothing.
    fn text_lines(&mut self, lines: &[String]) {
        if lines.iter().all(|line| is_blank(line)) {
            return;
        }
        let lines = self.wrapped(lines);
        let sink = self.sink();
        for line in &lines {
            sink.line(line);
        }
    }

    fn wrapped(&mut self, lines: &[String]) -> Vec<String> {
        let Some(width) = self.sink().width() else {
            return lines.to_vec();
        };
        // Set explicitly, so that another crate turning on textwrap's default features (optimal
        // fit, Unicode line breaking) cannot change this output.
        let options = textwrap::Options::new(width)
            .break_words(false)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
        let mut out = Vec::with_capacity(lines.len());
        for line in lines {
            out.extend(
                textwrap::wrap(line, &options)
                    .into_iter()
                    .map(|piece| piece.into_owned()),
            );
        }
        out
    }

    /// The lines of an inline run: `br` and line breaks in text start a new line.
    fn inline_lines(&mut self, content: &'a [Inline]) -> Vec<String> {
        let mut lines = vec![String::new()];
        let mut index = 0;
        while let Some(inline) = content.get(index) {
            match inline {
                Inline::Text(text) => {
                    self.raw_marks(text, index);
                    if let Some(href) = link_href(text) {
                        // Adjacent texts with the same link (differing in other marks) are one link.
                        let mut run = text.text.clone();
                        let mut end = index + 1;
                        while let Some(Inline::Text(next)) = content.get(end) {
                            if link_href(next) != Some(href) {
                                break;
                            }
                            self.raw_marks(next, end);
                            run.push_str(&next.text);
                            end += 1;
                        }
                        push_text(&mut lines, &run);
                        let mailto = href.strip_prefix("mailto:") == Some(run.as_str());
                        if !href.is_empty() && run != href && !mailto {
                            push_text(&mut lines, &format!(" ({href})"));
                        }
                        index = end;
                        continue;
                    }
                    push_text(&mut lines, &text.text);
                }
                Inline::HardBreak(_) => lines.push(String::new()),
                Inline::Image(image) => {
                    let label = [&image.alt, &image.title]
                        .into_iter()
                        .flatten()
                        .find(|label| !label.is_empty());
                    push_text(&mut lines, &labelled("image", label.map(String::as_str)));
                }
                Inline::File(file) => {
                    let name = Some(file.name.as_str()).filter(|name| !name.is_empty());
                    push_text(&mut lines, &labelled("file", name));
                }
                Inline::Mention(mention) => {
                    let label = if mention.label.is_empty() {
                        mention
                            .content
                            .iter()
                            .map(|text| text.text.as_str())
                            .collect()
                    } else {
                        mention.label.clone()
                    };
                    push_text(&mut lines, &format!("@{label}"));
                }
                Inline::Var(var) => push_text(&mut lines, &format!("{{{}}}", var.name)),
                Inline::Raw(raw) => {
                    let pointer = format!("{}/content/{index}", self.pointer());
                    self.raw(pointer, raw);
                }
            }
            index += 1;
        }
        lines
    }

    fn raw_marks(&mut self, text: &Text, index: usize) {
        for (k, mark) in text.marks.iter().enumerate() {
            if let Mark::Raw(raw) = mark {
                let pointer = format!("{}/content/{index}/marks/{k}", self.pointer());
                let name = raw.type_name().unwrap_or("");
                self.diagnostics.push(Diagnostic::warning_at(
                    pointer,
                    codes::RAW_MARK,
                    format!(
                        "found a `{name}` mark that could not be read as a mark of the format, \
                         expected a typed mark; the text was written without it"
                    ),
                ));
            }
        }
    }
}

/// Whether `next` follows `prev` in a list item without a blank line: a nested list touches the
/// paragraphs around it and a list of another kind after it, as the reader nests and continues
/// items by indentation alone and ends every list at a blank line.
fn touches(prev: &Block, next: &Block) -> bool {
    match (list_kind(prev), list_kind(next)) {
        (Some(a), Some(b)) => a != b,
        (None, Some(_)) => matches!(prev, Block::Paragraph(_)),
        (Some(_), None) => matches!(next, Block::Paragraph(_)),
        (None, None) => false,
    }
}

/// Which kind of list a block is, if it is one.
fn list_kind(block: &Block) -> Option<u8> {
    match block {
        Block::BulletList(_) => Some(0),
        Block::OrderedList(_) => Some(1),
        Block::Checklist(_) => Some(2),
        _ => None,
    }
}

fn link_href(text: &Text) -> Option<&str> {
    text.marks.iter().find_map(|mark| match mark {
        Mark::Link(link) => Some(link.href.as_str()),
        _ => None,
    })
}

fn labelled(kind: &str, label: Option<&str>) -> String {
    match label {
        Some(label) => format!("[{kind}: {label}]"),
        None => format!("[{kind}]"),
    }
}

fn is_blank(line: &str) -> bool {
    line.trim_end_matches([' ', '\t']).is_empty()
}

/// Appends `text` to the last line, starting a new line at each `\r\n`, `\r` or `\n`.
fn push_text(lines: &mut Vec<String>, text: &str) {
    let mut rest = text;
    loop {
        // memchr rather than `str::find` with a set of chars, which decodes every char: writing
        // 27 MB of JSON made from Markdown as text, `push_text` took 233.6 M instructions.
        let Some(at) = memchr::memchr2(b'\r', b'\n', rest.as_bytes()) else {
            if let Some(last) = lines.last_mut() {
                last.push_str(rest);
            }
            return;
        };
        let (head, tail) = rest.split_at(at);
        if let Some(last) = lines.last_mut() {
            last.push_str(head);
        }
        lines.push(String::new());
        rest = tail
            .strip_prefix("\r\n")
            .or_else(|| tail.get(1..))
            .unwrap_or("");
    }
}
