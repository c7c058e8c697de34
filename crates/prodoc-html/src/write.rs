//! A document to HTML, in Productive's dialect or as plain semantic HTML.
//!
//! The tree is walked with an explicit stack of tasks (open a node, write a closing tag), so a
//! document of any depth is written without recursion. Every text and attribute value is
//! escaped as html5ever's serializer does (`&`, `<`, `>`, `"` in attributes, NBSP as `&nbsp;`),
//! so that the output is what an HTML sanitiser re-serialising it would write.

use std::fmt;

use prodoc_core::{
    Block, ChecklistItem, Child, Column, Diagnostic, Doc, Inline, ListItem, Mark, Paragraph,
    Pointer, TableCell, TableRow, Text, Written,
};

use crate::codes;
use crate::{Dialect, WriteOptions};
use prodoc_core::shared::spans::{self, escape_text};
use prodoc_core::shared::url::is_safe_url;

/// Writes a document as HTML; see [`Dialect`] for the two forms.
///
/// Every valid document can be written. Raw nodes and marks (kept by lenient JSON reading) and
/// what the dialect cannot express are left out, each with a diagnostic carrying the JSON Pointer
/// of the node concerned.
pub fn write(doc: &Doc, options: &WriteOptions) -> Written {
    let mut writer = Writer {
        out: String::new(),
        diagnostics: Vec::new(),
        plain: options.dialect == Dialect::Plain,
        newlines: options.newlines,
    };
    writer.run(doc);
    Written {
        text: writer.out,
        diagnostics: writer.diagnostics,
    }
}

/// Work left on the explicit stack. Each node's pointer is a [`Pointer`], shared with its parent's
/// and formatted only for a diagnostic: a string formatted for every block took 119.4 M of the
/// writer's 450.9 M instructions (callgrind, JSON -> HTML of 27 MB of JSON made from Markdown).
enum Task<'a> {
    Block(&'a Block, Pointer),
    /// A paragraph with a checklist marker written before its content (plain dialect).
    Marked(&'a Paragraph, Pointer, &'static str),
    /// A paragraph whose alignment its cell carries (`<td style="text-align: …">`).
    AlignedByCell(&'a Paragraph, Pointer),
    Item(&'a ListItem, Pointer),
    CheckItem(&'a ChecklistItem, Pointer),
    Row(&'a TableRow, Pointer),
    Cell(&'a TableCell, Pointer),
    Column(&'a Column, Pointer),
    /// Closing markup; `true` when it ends a block (a newline may follow).
    Close(&'static str, bool),
}

struct Writer {
    out: String,
    diagnostics: Vec<Diagnostic>,
    plain: bool,
    newlines: bool,
}

fn is_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// Whether HTML's whitespace collapsing would change this inline content: runs of spaces,
/// whitespace other than a space, spaces at the start or end of a line.
fn needs_preserve(inlines: &[Inline]) -> bool {
    let mut line_start = true;
    let mut space = false;
    for inline in inlines {
        match inline {
            Inline::Text(text) => {
                // Bytes, not chars: HTML's whitespace is ASCII, and no byte of a longer UTF-8
                // character is ASCII (writing 27 MB of JSON made from Markdown as HTML,
                // `needs_preserve` took 88.7 M instructions a char at a time).
                for byte in text.text.bytes() {
                    if is_whitespace(char::from(byte)) {
                        if byte != b' ' || line_start || space {
                            return true;
                        }
                        space = true;
                    } else {
                        space = false;
                        line_start = false;
                    }
                }
            }
            // A mention's text is its span's text, which the reader takes with its whitespace
            // collapsed and trimmed unless the block keeps whitespace.
            Inline::Mention(mention)
                if mention.content.iter().any(|text| {
                    let text = text.text.as_str();
                    text.starts_with(is_whitespace)
                        || text.ends_with(is_whitespace)
                        || text.contains(|c| is_whitespace(c) && c != ' ')
                        || text.contains("  ")
                }) =>
            {
                return true;
            }
            Inline::HardBreak(_) => {
                if space {
                    return true;
                }
                line_start = true;
            }
            Inline::Raw(_) => {}
            _ => {
                space = false;
                line_start = false;
            }
        }
    }
    space
}

impl Writer {
    fn note(
        &mut self,
        pointer: impl fmt::Display,
        code: prodoc_core::Code,
        message: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::warning_at(pointer.to_string(), code, message));
    }

    fn attr(&mut self, name: &str, value: &str) {
        spans::attr(&mut self.out, name, value);
    }

    fn id(&mut self, id: Option<&String>, pointer: &Pointer) {
        match (self.plain, id) {
            (false, Some(id)) => self.attr("data-id", id),
            (true, Some(_)) => self.note(
                format!("{pointer}/attrs/id"),
                codes::BLOCK_ID,
                "the plain dialect has no block ids; the id was left out",
            ),
            (_, None) => {}
        }
    }

    fn block_end(&mut self) {
        if self.newlines {
            self.out.push('\n');
        }
    }

    fn run(&mut self, doc: &Doc) {
        let mut stack: Vec<Task<'_>> = doc
            .content
            .iter()
            .enumerate()
            .rev()
            .map(|(i, block)| Task::Block(block, Pointer::root().child(i)))
            .collect();
        while let Some(task) = stack.pop() {
            match task {
                Task::Close(markup, block) => {
                    self.out.push_str(markup);
                    if block {
                        self.block_end();
                    }
                }
                Task::Block(block, pointer) => self.block(block, pointer, &mut stack),
                Task::Marked(paragraph, pointer, marker) => {
                    self.paragraph(
                        "p",
                        paragraph.id.as_ref(),
                        paragraph.align,
                        &paragraph.content,
                        &pointer,
                        marker,
                    );
                }
                Task::AlignedByCell(paragraph, pointer) => {
                    let Paragraph { id, content, .. } = paragraph;
                    self.paragraph("p", id.as_ref(), None, content, &pointer, "");
                }
                Task::Item(item, pointer) => {
                    self.out.push_str("<li>");
                    stack.push(Task::Close("</li>", true));
                    push_blocks(&mut stack, &item.content, &pointer, None);
                }
                Task::CheckItem(item, pointer) => {
                    let marker = if self.plain {
                        self.out.push_str("<li>");
                        Some(if item.checked { "☑ " } else { "☐ " })
                    } else {
                        self.out.push_str("<li type=\"checklist_item\"");
                        self.attr("checked", if item.checked { "true" } else { "false" });
                        self.out.push('>');
                        None
                    };
                    stack.push(Task::Close("</li>", true));
                    if let (Some(marker), false) = (
                        marker,
                        matches!(item.content.first(), Some(Block::Paragraph(_))),
                    ) {
                        // Not a valid item (it must start with a paragraph), but still marked.
                        self.out.push_str("<p>");
                        self.out.push_str(marker.trim_end());
                        self.out.push_str("</p>");
                        push_blocks(&mut stack, &item.content, &pointer, None);
                    } else {
                        push_blocks(&mut stack, &item.content, &pointer, marker);
                    }
                }
                Task::Row(row, pointer) => {
                    self.out.push_str("<tr>");
                    stack.push(Task::Close("</tr>", true));
                    push_children(
                        &mut stack,
                        &row.cells,
                        &pointer,
                        Task::Cell,
                        &mut self.diagnostics,
                    );
                }
                Task::Cell(cell, pointer) => {
                    let (open, close) = if cell.header {
                        ("<th", "</th>")
                    } else {
                        ("<td", "</td>")
                    };
                    self.out.push_str(open);
                    if cell.colspan.get() != 1 {
                        self.attr("colspan", &cell.colspan.get().to_string());
                    }
                    if cell.rowspan.get() != 1 {
                        self.attr("rowspan", &cell.rowspan.get().to_string());
                    }
                    if self.plain && (cell.colwidth.is_some() || cell.background.is_some()) {
                        self.note(&pointer, codes::NOT_EXPRESSIBLE, "the plain dialect has no cell widths or backgrounds; they were left out");
                    }
                    // The 2026 guide's cell form: the cell's alignment on the cell, when every
                    // paragraph in it shares one.
                    let align = (!self.plain).then(|| cell_align(&cell.content)).flatten();
                    if !self.plain {
                        if let Some(widths) = &cell.colwidth {
                            let widths: Vec<String> = widths.iter().map(u32::to_string).collect();
                            self.attr("colwidth", &widths.join(","));
                        }
                        let mut style = Vec::new();
                        if let Some(align) = align {
                            style.push(format!("text-align: {}", align.as_str()));
                        }
                        if let Some(background) = &cell.background {
                            if spans::is_safe_css_value(background) {
                                style.push(format!("background-color: {background}"));
                            } else {
                                self.note(&pointer, codes::UNSAFE_CSS, "found a cell background that is not a plain CSS value; it was left out");
                            }
                        }
                        if !style.is_empty() {
                            self.attr("style", &style.join("; "));
                        }
                    }
                    self.out.push('>');
                    stack.push(Task::Close(close, true));
                    match align {
                        Some(_) => {
                            for (index, block) in cell.content.iter().enumerate().rev() {
                                if let Block::Paragraph(paragraph) = block {
                                    let child = pointer.child(index);
                                    stack.push(Task::AlignedByCell(paragraph, child));
                                }
                            }
                        }
                        None => push_blocks(&mut stack, &cell.content, &pointer, None),
                    }
                }
                Task::Column(column, pointer) => {
                    self.out.push_str(if self.plain {
                        "<div>"
                    } else {
                        "<div data-column>"
                    });
                    stack.push(Task::Close("</div>", true));
                    push_blocks(&mut stack, &column.content, &pointer, None);
                }
            }
        }
    }

    fn block<'a>(&mut self, block: &'a Block, pointer: Pointer, stack: &mut Vec<Task<'a>>) {
        match block {
            Block::Paragraph(p) => {
                self.paragraph("p", p.id.as_ref(), p.align, &p.content, &pointer, "");
            }
            Block::Heading(h) => {
                let tag = match h.level.get() {
                    1 => "h1",
                    2 => "h2",
                    _ => "h3",
                };
                self.paragraph(tag, h.id.as_ref(), h.align, &h.content, &pointer, "");
            }
            Block::Blockquote(q) => {
                self.out.push_str("<blockquote");
                self.id(q.id.as_ref(), &pointer);
                self.out.push('>');
                stack.push(Task::Close("</blockquote>", true));
                push_blocks(stack, &q.content, &pointer, None);
            }
            Block::Banner(b) => {
                if self.plain {
                    self.id(b.id.as_ref(), &pointer);
                    self.out.push_str("<aside");
                    self.attr("title", b.kind.as_str());
                    self.out.push('>');
                    stack.push(Task::Close("</aside>", true));
                } else {
                    self.out.push_str("<banner");
                    self.attr("type", b.kind.as_str());
                    self.id(b.id.as_ref(), &pointer);
                    self.out.push('>');
                    stack.push(Task::Close("</banner>", true));
                }
                push_blocks(stack, &b.content, &pointer, None);
            }
            Block::CodeBlock(c) => {
                self.out.push_str("<pre");
                if let Some(language) = &c.language {
                    if self.plain {
                        self.note(
                            &pointer,
                            codes::NOT_EXPRESSIBLE,
                            "the plain dialect has no code block language; it was left out",
                        );
                    } else {
                        self.attr("codeblock-language", language);
                    }
                }
                self.id(c.id.as_ref(), &pointer);
                self.out.push_str("><code>");
                escape_text(&mut self.out, &c.text);
                self.out.push_str("</code></pre>");
                self.block_end();
            }
            Block::BulletList(list) => {
                self.out.push_str("<ul");
                self.id(list.id.as_ref(), &pointer);
                self.out.push('>');
                stack.push(Task::Close("</ul>", true));
                push_children(
                    stack,
                    &list.items,
                    &pointer,
                    Task::Item,
                    &mut self.diagnostics,
                );
            }
            Block::OrderedList(list) => {
                self.out.push_str("<ol");
                if let Some(order) = list.order {
                    self.attr("start", &order.to_string());
                }
                self.id(list.id.as_ref(), &pointer);
                self.out.push('>');
                stack.push(Task::Close("</ol>", true));
                push_children(
                    stack,
                    &list.items,
                    &pointer,
                    Task::Item,
                    &mut self.diagnostics,
                );
            }
            Block::Checklist(list) => {
                if self.plain {
                    self.id(list.id.as_ref(), &pointer);
                    self.out.push_str("<ul>");
                } else {
                    self.out.push_str("<ul type=\"checklist\"");
                    self.id(list.id.as_ref(), &pointer);
                    self.out.push('>');
                }
                stack.push(Task::Close("</ul>", true));
                push_children(
                    stack,
                    &list.items,
                    &pointer,
                    Task::CheckItem,
                    &mut self.diagnostics,
                );
            }
            Block::Table(table) => {
                self.out.push_str("<table");
                self.id(table.id.as_ref(), &pointer);
                self.out.push_str("><tbody>");
                stack.push(Task::Close("</tbody></table>", true));
                push_children(
                    stack,
                    &table.rows,
                    &pointer,
                    Task::Row,
                    &mut self.diagnostics,
                );
            }
            Block::Divider(d) => {
                self.out.push_str("<hr");
                self.id(d.id.as_ref(), &pointer);
                self.out.push('>');
                self.block_end();
            }
            Block::Columns(columns) => {
                if self.plain {
                    self.note(&pointer, codes::NOT_EXPRESSIBLE, "the plain dialect has no column layout; the columns were written one after another");
                    self.id(columns.id.as_ref(), &pointer);
                    self.out.push_str("<div>");
                } else {
                    let count = columns.columns.len();
                    self.out.push_str("<div data-columns");
                    self.attr("data-column-count", &count.to_string());
                    self.attr(
                        "style",
                        &format!("grid-template-columns: {};", vec!["1fr"; count].join(" ")),
                    );
                    self.id(columns.id.as_ref(), &pointer);
                    self.out.push('>');
                }
                stack.push(Task::Close("</div>", true));
                push_children(
                    stack,
                    &columns.columns,
                    &pointer,
                    Task::Column,
                    &mut self.diagnostics,
                );
            }
            Block::Raw(_) => self.raw(&pointer),
        }
    }

    fn raw(&mut self, pointer: impl fmt::Display) {
        self.note(
            pointer,
            codes::RAW_NODE,
            "found a node kept raw by lenient reading, expected a typed node; nothing was written for it",
        );
    }

    fn paragraph(
        &mut self,
        tag: &str,
        id: Option<&String>,
        align: Option<prodoc_core::Align>,
        content: &[Inline],
        pointer: &Pointer,
        marker: &str,
    ) {
        self.out.push('<');
        self.out.push_str(tag);
        if self.plain {
            self.id(id, pointer);
            // The Productive dialect keeps such spaces with a style, which sanitizers strip from
            // plain HTML (and the dialect is made to pass them unchanged): they collapse.
            if needs_preserve(content) {
                self.note(
                    pointer,
                    codes::NOT_EXPRESSIBLE,
                    "the plain dialect cannot keep runs of spaces or spaces at a line's ends; \
                     they read back as HTML collapses them",
                );
            }
            if align.is_some() {
                self.note(
                    pointer,
                    codes::NOT_EXPRESSIBLE,
                    "the plain dialect has no alignment; it was left out",
                );
            }
        } else {
            let mut style = Vec::new();
            if let Some(align) = align {
                style.push(format!("text-align: {}", align.as_str()));
            }
            if needs_preserve(content) {
                style.push("white-space: pre-wrap".to_owned());
            }
            self.id(id, pointer);
            if !style.is_empty() {
                self.attr("style", &style.join("; "));
            }
        }
        self.out.push('>');
        self.out.push_str(marker);
        // Text starting with ☐/☑/☒ would make a list read back as a checklist; an empty element
        // first keeps it text.
        if let Some(Inline::Text(first)) = content.first() {
            if first
                .text
                .trim_start_matches(is_whitespace)
                .starts_with(['☐', '☑', '☒'])
            {
                self.out.push_str("<wbr>");
            }
        }
        for (index, inline) in content.iter().enumerate() {
            self.inline(
                inline,
                Place {
                    parent: pointer,
                    index,
                },
            );
        }
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        self.block_end();
    }

    fn inline(&mut self, inline: &Inline, place: Place<'_>) {
        match inline {
            Inline::Text(text) => self.text(text, place),
            Inline::HardBreak(_) => self.out.push_str("<br>"),
            Inline::Image(image) => {
                let Self { diagnostics, .. } = self;
                if !spans::image_allowed(&image.src, &mut report(diagnostics, || place.pointer())) {
                    return;
                }
                self.out.push_str("<img");
                self.attr("src", &image.src);
                if let Some(alt) = &image.alt {
                    self.attr("alt", alt);
                }
                if let Some(title) = &image.title {
                    self.attr("title", title);
                }
                if let Some(width) = image.width {
                    self.attr("width", &width.to_string());
                }
                self.out.push('>');
            }
            Inline::File(file) => {
                if self.plain && is_safe_url(&file.url) {
                    self.note(
                        place.pointer(),
                        codes::NOT_EXPRESSIBLE,
                        "the plain dialect has no file attachments; written as a link to the \
                         file, without its type",
                    );
                    self.out.push_str("<a");
                    self.attr("href", &file.url);
                    self.attr("rel", "noopener noreferrer");
                    self.out.push('>');
                    escape_text(&mut self.out, &file.name);
                    self.out.push_str("</a>");
                } else {
                    let Self {
                        out, diagnostics, ..
                    } = self;
                    spans::file(out, file, &mut report(diagnostics, || place.pointer()));
                }
            }
            Inline::Mention(mention) if !self.plain => {
                let Self {
                    out, diagnostics, ..
                } = self;
                spans::mention(out, mention, &mut report(diagnostics, || place.pointer()));
            }
            Inline::Mention(mention) => {
                self.note(
                    place.pointer(),
                    codes::NOT_EXPRESSIBLE,
                    if spans::mention_text_is_label(mention) {
                        "the plain dialect has no mentions; written as @ and the label, without \
                         whom or what it points to"
                    } else {
                        "the plain dialect has no mentions; written as @ and the label (not the \
                         mention's differing text), without whom or what it points to"
                    },
                );
                self.out.push('@');
                escape_text(&mut self.out, &mention.label);
            }
            Inline::Var(var) => {
                if self.plain {
                    self.note(
                        place.pointer(),
                        codes::NOT_EXPRESSIBLE,
                        "the plain dialect has no variables; written as {name}",
                    );
                    self.out.push('{');
                    escape_text(&mut self.out, &var.name);
                    self.out.push('}');
                } else {
                    spans::var(&mut self.out, var);
                }
            }
            Inline::Raw(_) => self.raw(place.pointer()),
        }
    }

    fn text(&mut self, text: &Text, place: Place<'_>) {
        let mut closers: Vec<&'static str> = Vec::new();
        for (index, mark) in text.marks.iter().enumerate() {
            let mark_pointer = || format!("{}/marks/{index}", place.pointer());
            match mark {
                Mark::Link(link) => {
                    let Self { diagnostics, .. } = self;
                    if !spans::link_allowed(&link.href, &mut report(diagnostics, mark_pointer)) {
                        continue;
                    }
                    self.out.push_str("<a");
                    self.attr("href", &link.href);
                    if let Some(title) = &link.title {
                        self.attr("title", title);
                    }
                    if self.plain {
                        self.attr("rel", "noopener noreferrer");
                    }
                    self.out.push('>');
                    closers.push("</a>");
                }
                Mark::Em => {
                    self.out.push_str("<em>");
                    closers.push("</em>");
                }
                Mark::Strong => {
                    self.out.push_str("<strong>");
                    closers.push("</strong>");
                }
                Mark::Code => {
                    self.out.push_str("<code>");
                    closers.push("</code>");
                }
                Mark::Strike => {
                    self.out.push_str("<del>");
                    closers.push("</del>");
                }
                Mark::Underline => {
                    self.out.push_str("<u>");
                    closers.push("</u>");
                }
                Mark::Discussion(discussion) => {
                    if self.plain {
                        self.note(
                            mark_pointer(),
                            codes::NOT_EXPRESSIBLE,
                            "the plain dialect has no discussions; the text was written without it",
                        );
                        continue;
                    }
                    spans::open_discussion(&mut self.out, discussion);
                    closers.push(spans::CLOSE_SPAN);
                }
                Mark::Styles(styles) => {
                    if self.plain {
                        self.note(
                            mark_pointer(),
                            codes::NOT_EXPRESSIBLE,
                            "the plain dialect has no styles; the text was written without them",
                        );
                        continue;
                    }
                    let Self {
                        out, diagnostics, ..
                    } = self;
                    if spans::open_styles(out, styles, &mut report(diagnostics, mark_pointer)) {
                        closers.push(spans::CLOSE_SPAN);
                    }
                }
                Mark::Raw(_) => {
                    self.note(mark_pointer(), codes::RAW_MARK, "found a mark kept raw by lenient reading, expected a typed mark; the text was written without it");
                }
            }
        }
        escape_text(&mut self.out, &text.text);
        for closer in closers.iter().rev() {
            self.out.push_str(closer);
        }
    }
}

/// A span writer's report, as a warning at the pointer `pointer` makes.
fn report<'a>(
    diagnostics: &'a mut Vec<Diagnostic>,
    pointer: impl Fn() -> String + 'a,
) -> impl FnMut(prodoc_core::Code, &'static str) + 'a {
    move |code, message| diagnostics.push(Diagnostic::warning_at(pointer(), code, message))
}

/// An inline node's place, made into its JSON Pointer only for a diagnostic: formatting the
/// pointer of every inline node took 287.3 M of the writer's 775.6 M instructions (callgrind,
/// JSON -> HTML of 27 MB of JSON made from Markdown).
#[derive(Clone, Copy)]
struct Place<'p> {
    /// The pointer of the block holding it.
    parent: &'p Pointer,
    /// Its index in the block's `content`.
    index: usize,
}

impl Place<'_> {
    fn pointer(self) -> String {
        self.parent.child(self.index).to_string()
    }
}

/// Pushes blocks in reverse so that they come off the stack in order; `marker` goes before the
/// first paragraph's content (the plain dialect's checklist items).
fn push_blocks<'a>(
    stack: &mut Vec<Task<'a>>,
    blocks: &'a [Block],
    pointer: &Pointer,
    marker: Option<&'static str>,
) {
    for (index, block) in blocks.iter().enumerate().rev() {
        let child = pointer.child(index);
        match (index, block, marker) {
            (0, Block::Paragraph(paragraph), Some(marker)) => {
                stack.push(Task::Marked(paragraph, child, marker));
            }
            _ => stack.push(Task::Block(block, child)),
        }
    }
}

/// The alignment every block of a cell shares, when all are paragraphs aligned alike. Not left:
/// readers do not pass a container's `text-align: left` down (it is where text starts anyway),
/// so a left-aligned paragraph keeps its own style.
fn cell_align(content: &[Block]) -> Option<prodoc_core::Align> {
    let mut aligns = content.iter().map(|block| match block {
        Block::Paragraph(paragraph) => paragraph.align,
        _ => None,
    });
    let first = aligns.next()??;
    let shared = first != prodoc_core::Align::Left && aligns.all(|align| align == Some(first));
    shared.then_some(first)
}

/// Pushes typed children in reverse; raw ones are reported and skipped.
fn push_children<'a, T>(
    stack: &mut Vec<Task<'a>>,
    children: &'a [Child<T>],
    pointer: &Pointer,
    task: fn(&'a T, Pointer) -> Task<'a>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (index, child) in children.iter().enumerate().rev() {
        let child_pointer = pointer.child(index);
        match child {
            Child::Node(node) => stack.push(task(node, child_pointer)),
            Child::Raw(_) => diagnostics.push(Diagnostic::warning_at(
                child_pointer.to_string(),
                codes::RAW_NODE,
                "found a node kept raw by lenient reading, expected a typed node; nothing was written for it",
            )),
        }
    }
}
