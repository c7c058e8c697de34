//! A document to GitHub-flavoured Markdown that reads back to the same document.

use std::fmt;

use prodoc_core::{
    Banner, BannerKind, Block, Child, CodeBlock, Diagnostic, Doc, Heading, Image, Inline, Mark,
    Marks, Mention, Paragraph, Pointer, Table, TableCell, Written,
};

use crate::read::{add_mark, merge_texts};
use crate::{codes, html, ReadOptions, WriteOptions};
use prodoc_core::codes::Code;
use prodoc_core::normal::mark_order;
use prodoc_core::shared::{mention, spans};

/// Writes a document as Markdown, with a diagnostic (JSON Pointer of the node) for every fallback
/// used and everything left out. The crate documentation lists the fallbacks.
pub fn write(doc: &Doc, options: &WriteOptions) -> Written {
    let mut writer = Writer {
        options,
        diagnostics: Vec::new(),
        html_written: 0,
        items_open: 0,
    };
    // Markdown has no place for block ids, and its HTML fallbacks carry none either, so that
    // every id is left out alike: each is said once, where it stands.
    let mut walk = doc.walk();
    while let Some(visit) = walk.next() {
        if let prodoc_core::NodeRef::Block(block) = visit.node {
            if matches!(block, Block::Paragraph(_) | Block::Heading(_)) {
                // Their children are inline nodes, which have no ids.
                walk.skip_children();
            }
            if let Some(id) = block_id(block) {
                writer.note(
                    &visit.pointer,
                    codes::BLOCK_ID,
                    format!("found the block id `{id}`, which Markdown has no place for; left out"),
                );
            }
        }
    }
    let mut text = writer.blocks(&doc.content, &Pointer::root(), 1);
    if !text.is_empty() {
        text.push('\n');
    }
    Written {
        text,
        diagnostics: writer.diagnostics,
    }
}

struct Writer<'o> {
    options: &'o WriteOptions,
    diagnostics: Vec<Diagnostic>,
    /// How many blocks were written as HTML so far.
    html_written: usize,
    /// How many list items enclose the blocks being written.
    items_open: usize,
}

/// Where inline content goes: what must be escaped differs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Paragraph,
    Heading,
    Cell,
}

/// The list family a written block belongs to, so that two lists in a row stay two lists.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Bullet(char),
    Ordered(char),
}

impl Writer<'_> {
    fn note(
        &mut self,
        pointer: impl fmt::Display,
        code: prodoc_core::Code,
        message: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::warning_at(pointer.to_string(), code, message));
    }

    /// A note that something was done that kept everything (an HTML fallback).
    fn info(
        &mut self,
        pointer: impl fmt::Display,
        code: prodoc_core::Code,
        message: impl Into<String>,
    ) {
        self.diagnostics.push(
            Diagnostic::warning_at(pointer.to_string(), code, message)
                .with_severity(prodoc_core::Severity::Info),
        );
    }

    /// Blocks at node depth `depth`, separated by blank lines, without a final line break.
    fn blocks(&mut self, blocks: &[Block], pointer: &Pointer, depth: usize) -> String {
        self.blocks_at(blocks, pointer, depth, 0, "")
    }

    /// As [`Self::blocks`], for blocks that start at index `offset` of their parent's content,
    /// right after `before` (the Markdown of the blocks before them there).
    fn blocks_at(
        &mut self,
        blocks: &[Block],
        pointer: &Pointer,
        depth: usize,
        offset: usize,
        before: &str,
    ) -> String {
        let mut out = String::new();
        let mut previous: Option<Family> = None;
        if depth > self.options.max_depth && blocks.iter().any(is_container) {
            self.note(
                pointer,
                codes::NESTING_TOO_DEEP,
                format!(
                    "found blocks nested deeper than {} levels, expected shallower nesting; their \
                     leaf blocks are written at this level",
                    self.options.max_depth
                ),
            );
            return self.leaves(blocks, pointer);
        }
        for (index, block) in blocks.iter().enumerate() {
            let here = pointer.child(index + offset);
            let after_empty_item = self.items_open > 0
                && ends_in_quoted_empty_item(if out.is_empty() { before } else { &out });
            let (written, family) = if after_empty_item && starts_quoted(block) {
                let html_before = self.html_written;
                let written = self.html_block(
                    block,
                    &here,
                    "a quote right after a quote ending in an empty list item (pulldown-cmark \
                     would end the enclosing list before it)",
                );
                // The opening tag alone on its line starts an HTML block whatever the element.
                let written = match written {
                    Some(html) if self.html_written > html_before => {
                        Some(html.replacen('>', ">\n", 1))
                    }
                    other => other,
                };
                (written, None)
            } else {
                self.block(block, &here, depth, previous)
            };
            previous = family;
            if let Some(written) = written {
                if !out.is_empty() {
                    out.push_str(separator(after_empty_item));
                }
                out.push_str(&written);
            }
        }
        out
    }

    /// The leaf blocks (paragraphs, headings, code, dividers) under `blocks`, written one after
    /// the other, found without recursion.
    fn leaves(&mut self, blocks: &[Block], pointer: &Pointer) -> String {
        let mut out = String::new();
        for leaf in leaf_refs(blocks) {
            if let (Some(written), _) = self.block(leaf, pointer, 1, None) {
                if !out.is_empty() {
                    out.push_str("\n\n");
                }
                out.push_str(&written);
            }
        }
        out
    }

    fn block(
        &mut self,
        block: &Block,
        pointer: &Pointer,
        depth: usize,
        previous: Option<Family>,
    ) -> (Option<String>, Option<Family>) {
        let written = match block {
            Block::Paragraph(paragraph) => self.paragraph(block, paragraph, pointer),
            Block::Heading(heading) => {
                if heading.align.is_some()
                    || heading
                        .content
                        .iter()
                        .any(|inline| matches!(inline, Inline::HardBreak(_)))
                {
                    self.html_block(block, pointer, "a heading with alignment or a line break")
                } else {
                    let hashes = "#".repeat(usize::from(heading.level.get()));
                    let inline = self.inlines(&heading.content, pointer, Context::Heading);
                    let markdown = if inline.is_empty() {
                        hashes
                    } else {
                        format!("{hashes} {inline}")
                    };
                    self.checked(block, markdown, pointer)
                }
            }
            // Markdown reads a carriage return as a line ending; HTML can carry it as `&#13;`.
            Block::CodeBlock(code) if code.text.contains('\r') => self.html_block(
                block,
                pointer,
                "a code block holding a carriage return, which Markdown reads as a line ending",
            ),
            Block::CodeBlock(code) => Some(self.code_block(code, pointer)),
            Block::Divider(_) => Some("---".to_owned()),
            Block::Blockquote(quote) => {
                let inner = self.container(&quote.content, pointer, depth + 1);
                Some(prefix_lines(&inner, "> ", "> "))
            }
            Block::Banner(banner) => Some(self.banner(banner, pointer, depth)),
            Block::BulletList(list) => {
                let bullet = self.bullet(previous);
                let items: Vec<_> = self.items(&list.items, pointer, |_, _| format!("{bullet} "));
                let text = self.list(items, depth, false);
                return (text, Some(Family::Bullet(bullet)));
            }
            Block::Checklist(list) => {
                let bullet = self.bullet(previous);
                let mut written = Vec::new();
                for (index, item) in list.items.iter().enumerate() {
                    let here = pointer.child(index);
                    match item {
                        Child::Node(item) => {
                            let mark = if item.checked { 'x' } else { ' ' };
                            written.push((
                                format!("{bullet} [{mark}] "),
                                2,
                                &item.content[..],
                                here,
                            ));
                        }
                        Child::Raw(_) => self.raw(&here),
                    }
                }
                match self.list(written, depth, true) {
                    Some(text) => return (Some(text), Some(Family::Bullet(bullet))),
                    None => self.html_block(
                        block,
                        pointer,
                        "a checklist item whose first paragraph needs HTML",
                    ),
                }
            }
            Block::OrderedList(list) => {
                let delimiter = if previous == Some(Family::Ordered('.')) {
                    ')'
                } else {
                    '.'
                };
                let start = u64::from(list.order.unwrap_or(1));
                if list.order == Some(1) {
                    self.note(
                        pointer,
                        codes::NOT_EXPRESSIBLE,
                        "found `order` 1, which is the default; written as a list with no `order`",
                    );
                }
                if start.saturating_add(list.items.len() as u64) > 999_999_999 {
                    let written =
                        self.html_block(block, pointer, "a list numbered beyond 999999999");
                    return (written, None);
                }
                let items = self.items(&list.items, pointer, |index, _| {
                    format!("{}{delimiter} ", start + index as u64)
                });
                let text = self.list(items, depth, false);
                return (text, Some(Family::Ordered(delimiter)));
            }
            Block::Table(table) => self.table(block, table, pointer),
            Block::Columns(columns) => match self.html_block(block, pointer, "a column layout") {
                Some(html) => Some(html),
                None => {
                    let leaves: Vec<Block> = columns
                        .columns
                        .iter()
                        .filter_map(Child::node)
                        .flat_map(|column| column.content.iter().cloned())
                        .collect();
                    Some(self.blocks(&leaves, pointer, depth + 2))
                }
            },
            Block::Raw(_) => {
                self.raw(pointer);
                None
            }
        };
        (written, None)
    }

    fn raw(&mut self, pointer: impl fmt::Display) {
        self.note(
            pointer,
            codes::RAW_NODE,
            "found a node kept raw by lenient reading, expected a typed node; not written",
        );
    }

    fn bullet(&self, previous: Option<Family>) -> char {
        let bullet = match self.options.bullet {
            '*' => '*',
            '+' => '+',
            _ => '-',
        };
        match previous {
            Some(Family::Bullet(used)) if used == bullet => {
                if bullet == '-' {
                    '*'
                } else {
                    '-'
                }
            }
            _ => bullet,
        }
    }

    fn paragraph(
        &mut self,
        block: &Block,
        paragraph: &Paragraph,
        pointer: &Pointer,
    ) -> Option<String> {
        let ends_in_break = matches!(paragraph.content.last(), Some(Inline::HardBreak(_)));
        // Empty as written: nothing, or only what the URL policy leaves out.
        let empty = paragraph.content.iter().all(spans::left_out);
        if paragraph.align.is_some() || empty || ends_in_break {
            return self.html_block(
                block,
                pointer,
                "an empty paragraph, a paragraph with alignment or one ending in a line break",
            );
        }
        let markdown = self.inlines(&paragraph.content, pointer, Context::Paragraph);
        self.checked(block, markdown, pointer)
    }

    /// Reads `markdown` back and keeps it if it gives `block`; otherwise writes `block` as HTML.
    fn checked(&mut self, block: &Block, markdown: String, pointer: &Pointer) -> Option<String> {
        // What the inline writer left out (and reported) is not expected back.
        let expected = normalized(block, true);
        let read = crate::read(&markdown, &ReadOptions::default());
        if read.doc.content.len() == 1 && read.doc.content.first() == Some(&expected) {
            return Some(markdown);
        }
        if html::AVAILABLE {
            // The expected block holds nothing left to report.
            if let Some(html) =
                html::write_block(&expected, &pointer.to_string()).map(|written| written.text)
            {
                self.html_written += 1;
                self.info(
                    pointer,
                    codes::MARKDOWN_MISMATCH,
                    format!(
                        "found a node whose Markdown `{}` does not read back the same; written as HTML",
                        markdown.escape_debug()
                    ),
                );
                return Some(html);
            }
        }
        self.note(
            pointer,
            codes::NOT_EXPRESSIBLE,
            "found content whose Markdown does not read back the same and no HTML writer to fall \
             back on; written as Markdown",
        );
        Some(markdown)
    }

    /// Writes a block in Productive's HTML, as an HTML block.
    fn html_block(&mut self, block: &Block, pointer: &Pointer, what: &str) -> Option<String> {
        if block.depth() > prodoc_core::shared::limits::MAX_DEPTH {
            // Too deep for any reader; copying it would recurse as deep.
            self.note(
                pointer,
                codes::NESTING_TOO_DEEP,
                format!(
                    "found {what} nested too deep to write as HTML; its leaf blocks are written"
                ),
            );
            return Some(self.leaves(std::slice::from_ref(block), pointer));
        }
        let mut without_id = normalized(block, false);
        clear_ids(&mut without_id);
        match html::write_block(&without_id, &pointer.to_string()) {
            Some(written) => {
                self.html_written += 1;
                self.info(
                    pointer,
                    codes::HTML_FALLBACK,
                    format!("found {what}, which Markdown cannot express; written as HTML"),
                );
                // What the HTML writer left out (an unsafe URL in a table) is said too.
                self.diagnostics.extend(written.diagnostics);
                Some(written.text)
            }
            None => {
                self.note(
                    pointer,
                    codes::NOT_EXPRESSIBLE,
                    format!(
                        "found {what}, which Markdown cannot express, and no HTML writer to fall \
                         back on; left out"
                    ),
                );
                None
            }
        }
    }

    /// The blocks of a container; a lone empty paragraph is written as nothing, which reads back
    /// as one.
    fn container(&mut self, blocks: &[Block], pointer: &Pointer, depth: usize) -> String {
        if is_lone_empty_paragraph(blocks) {
            return String::new();
        }
        self.blocks(blocks, pointer, depth)
    }

    fn banner(&mut self, banner: &Banner, pointer: &Pointer, depth: usize) -> String {
        let alert = match banner.kind {
            BannerKind::Info => "[!NOTE]",
            BannerKind::Success => "[!TIP]",
            BannerKind::Warning => "[!WARNING]",
            BannerKind::Critical => "[!CAUTION]",
        };
        let inner = self.container(&banner.content, pointer, depth + 1);
        if inner.is_empty() {
            return format!("> {alert}");
        }
        // A paragraph may follow the alert's line directly; other blocks after a blank line, as
        // some (an empty or numbered list item) cannot start right under it.
        let mut text = if matches!(banner.content.first(), Some(Block::Paragraph(_))) {
            format!("> {alert}\n")
        } else {
            format!("> {alert}\n>\n")
        };
        text.push_str(&prefix_lines(&inner, "> ", "> "));
        text
    }

    fn items<'d>(
        &mut self,
        items: &'d [Child<prodoc_core::ListItem>],
        pointer: &Pointer,
        marker: impl Fn(usize, &prodoc_core::ListItem) -> String,
    ) -> Vec<(String, usize, &'d [Block], Pointer)> {
        let mut out = Vec::new();
        let mut number = 0;
        for (index, item) in items.iter().enumerate() {
            let here = pointer.child(index);
            match item {
                Child::Node(item) => {
                    let marker = marker(number, item);
                    number += 1;
                    let indent = marker.chars().count();
                    out.push((marker, indent, &item.content[..], here));
                }
                Child::Raw(_) => self.raw(&here),
            }
        }
        out
    }

    /// Writes list items: (marker, continuation indent, blocks, pointer). `None` when a task
    /// item's first paragraph has to be HTML, which cannot follow a task marker.
    fn list(
        &mut self,
        items: Vec<(String, usize, &[Block], Pointer)>,
        depth: usize,
        task: bool,
    ) -> Option<String> {
        self.items_open += 1;
        let written = self.list_items(items, depth, task);
        self.items_open -= 1;
        written
    }

    fn list_items(
        &mut self,
        items: Vec<(String, usize, &[Block], Pointer)>,
        depth: usize,
        task: bool,
    ) -> Option<String> {
        let mut out = String::new();
        for (marker, indent, content, pointer) in items {
            if !out.is_empty() {
                out.push('\n');
            }
            let rest_indent = " ".repeat(indent);
            // An empty first paragraph is an empty first line when other blocks follow (but not a
            // paragraph, which would be read as the first). An item holding nothing else is
            // written with the paragraph as HTML: an empty item can neither interrupt a
            // paragraph nor, in pulldown-cmark, end a nested list before a blank line reliably.
            let first_empty = matches!(content.first(), Some(Block::Paragraph(p)) if p.content.is_empty() && p.align.is_none())
                && !matches!(content.get(1), Some(Block::Paragraph(_)))
                && (task || content.len() > 1);
            let rest = content.get(1..).unwrap_or(&[]);
            // An item starts with a paragraph, so what follows it comes after no quote.
            let rest_text = self.blocks_at(rest, &pointer, depth + 2, 1, "");
            if first_empty {
                out.push_str(marker.trim_end());
                if !rest_text.is_empty() {
                    out.push('\n');
                    out.push_str(&prefix_lines(&rest_text, &rest_indent, &rest_indent));
                }
                continue;
            }
            let before = self.html_written;
            let first = match content.first() {
                Some(block) => self.block(block, &pointer.child(0), depth + 2, None).0,
                None => None,
            };
            if task && self.html_written > before {
                return None;
            }
            let mut inner = first.unwrap_or_default();
            if !rest_text.is_empty() {
                // A list right after the first paragraph follows it without a blank line.
                let tight = self.html_written == before
                    && !inner.starts_with('<')
                    && matches!(content.first(), Some(Block::Paragraph(_)))
                    && match content.get(1) {
                        Some(Block::BulletList(list)) => starts_with_text(&list.items),
                        Some(Block::OrderedList(list)) => {
                            list.order.is_none() && starts_with_text(&list.items)
                        }
                        Some(Block::Checklist(_)) => true,
                        _ => false,
                    };
                inner.push_str(if tight { "\n" } else { "\n\n" });
                inner.push_str(&rest_text);
            }
            out.push_str(&prefix_lines(&inner, &marker, &rest_indent));
        }
        Some(out)
    }

    fn code_block(&mut self, code: &CodeBlock, pointer: &Pointer) -> String {
        let mut language = code.language.clone().unwrap_or_default();
        if language.chars().any(char::is_whitespace) || code.language.as_deref() == Some("") {
            self.note(
                pointer,
                codes::NOT_EXPRESSIBLE,
                format!(
                    "found the code language `{language}`, expected one word; written as its \
                     first word"
                ),
            );
            language = language.split_whitespace().next().unwrap_or("").to_owned();
        }
        let fence_char = if language.contains('`') { '~' } else { '`' };
        let longest = longest_run(&code.text, fence_char);
        let fence: String = std::iter::repeat_n(fence_char, longest.max(2) + 1).collect();
        let mut out = format!("{fence}{}\n", info_string(&language));
        if !code.text.is_empty() {
            out.push_str(&code.text);
            out.push('\n');
        }
        out.push_str(&fence);
        out
    }

    fn table(&mut self, block: &Block, table: &Table, pointer: &Pointer) -> Option<String> {
        let Some(rows) = gfm_rows(table) else {
            return self.html_block(
                block,
                pointer,
                "a table that GFM cannot express (spans, widths, backgrounds, header cells \
                 outside the first row, rows of unequal length, or cells holding other than one \
                 paragraph)",
            );
        };
        let columns = rows.first().map_or(0, Vec::len);
        let mut aligns = Vec::with_capacity(columns);
        for column in 0..columns {
            let mut align = rows.iter().map(|row| {
                row.get(column)
                    .and_then(|cell| cell_paragraph(cell))
                    .and_then(|p| p.align)
            });
            let first = align.next().flatten();
            if !align.all(|other| other == first) {
                return self.html_block(block, pointer, "a table column with mixed alignment");
            }
            aligns.push(first);
        }
        let mut out = String::new();
        for (index, row) in rows.iter().enumerate() {
            out.push('|');
            for (column, cell) in row.iter().enumerate() {
                let here = pointer.child(index).child(column).child(0);
                let content = cell_paragraph(cell).map_or(&[][..], |p| &p.content[..]);
                let inline = self.inlines(content, &here, Context::Cell);
                out.push(' ');
                out.push_str(&inline);
                out.push_str(" |");
            }
            out.push('\n');
            if index == 0 {
                out.push('|');
                for align in &aligns {
                    out.push_str(match align {
                        None => " --- |",
                        Some(prodoc_core::Align::Left) => " :-- |",
                        Some(prodoc_core::Align::Center) => " :-: |",
                        Some(prodoc_core::Align::Right) => " --: |",
                        Some(prodoc_core::Align::Justify) => " --- |",
                    });
                }
                out.push('\n');
            }
        }
        out.pop();
        if aligns.contains(&Some(prodoc_core::Align::Justify)) {
            return self.html_block(block, pointer, "a justified table column");
        }
        self.checked(block, out, pointer)
    }

    /// Inline content as Markdown.
    fn inlines(&mut self, content: &[Inline], pointer: &Pointer, context: Context) -> String {
        let mut tokens: Vec<Token<'_>> = Vec::with_capacity(content.len() * 2);
        let mut open: Vec<(&Mark, &'static str)> = Vec::new();
        for (index, inline) in content.iter().enumerate() {
            // Made only for a diagnostic: formatting a pointer for every inline took 344 M of the
            // 4,833 M instructions of converting the JSON of the 10 MB Markdown file to Markdown
            // (callgrind, `prodoc convert -t md`).
            let here = || pointer.child(index).to_string();
            let mut notes = Notes::new();
            let wanted: Vec<&Mark> = match inline {
                Inline::Text(text) => {
                    let mut marks: Vec<&Mark> = Vec::with_capacity(text.marks.len());
                    for (index, mark) in text.marks.iter().enumerate() {
                        match mark {
                            Mark::Code => {}
                            Mark::Raw(_) => self.note(
                                here(),
                                codes::RAW_MARK,
                                "found a mark kept raw by lenient reading; not written",
                            ),
                            Mark::Link(link) => {
                                let mut report = |code, message: &'static str| {
                                    self.note(format!("{}/marks/{index}", here()), code, message)
                                };
                                if spans::link_allowed(&link.href, &mut report) {
                                    marks.push(mark);
                                }
                            }
                            mark => marks.push(mark),
                        }
                    }
                    marks.sort_by_key(|mark| write_rank(mark));
                    marks
                }
                // A line break keeps open the marks that go on after it (a delimiter closing at
                // the start of a line would not count); other nodes cannot carry marks.
                Inline::HardBreak(_) => match content.get(index + 1) {
                    Some(Inline::Text(next)) => open
                        .iter()
                        .map(|(mark, _)| *mark)
                        .filter(|mark| next.marks.contains(mark))
                        .collect(),
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            let keep = open
                .iter()
                .take_while(|(have, _)| wanted.contains(have))
                .count();
            while open.len() > keep {
                if let Some((mark, delimiter)) = open.pop() {
                    tokens.push(close_token(mark, delimiter));
                }
            }
            // Marks that last longer open first (outside), so that fewer delimiters close and
            // reopen; ties in the fixed order, links outermost.
            let mut new: Vec<&Mark> = wanted
                .iter()
                .copied()
                .filter(|mark| !open.iter().any(|(have, _)| have == mark))
                .collect();
            new.sort_by_key(|mark| {
                (
                    usize::MAX - persistence(content, index, mark),
                    write_rank(mark),
                )
            });
            for mark in new {
                // A `*` run right before would merge with this one: take `_` instead.
                let after_star = matches!(tokens.last(), Some(Token::Open(d) | Token::Close(d)) if d.starts_with('*'));
                let delimiter = delimiter_for(mark, after_star);
                tokens.push(open_token(mark, delimiter, &mut notes));
                open.push((mark, delimiter));
            }
            match inline {
                Inline::Text(text) => {
                    if text.marks.iter().any(|mark| matches!(mark, Mark::Code)) {
                        tokens.push(Token::Markup(code_span(&text.text, context)));
                    } else {
                        tokens.push(Token::Text(text.text.as_str()));
                    }
                }
                Inline::HardBreak(_) => tokens.push(Token::Break),
                Inline::Image(image) => {
                    if spans::image_allowed(&image.src, &mut |code, message| {
                        notes.push((code, message))
                    }) {
                        tokens.push(Token::Markup(image_markup(image)));
                    }
                }
                Inline::Mention(mention) => {
                    let markup = mention_markup(mention, &mut notes);
                    tokens.push(Token::Markup(markup));
                }
                Inline::Var(var) => {
                    let mut out = String::new();
                    spans::var(&mut out, var);
                    tokens.push(Token::Markup(out));
                }
                Inline::File(file) => {
                    let mut out = String::new();
                    spans::file(&mut out, file, &mut |code, message| {
                        notes.push((code, message))
                    });
                    tokens.push(Token::Markup(out));
                }
                Inline::Raw(_) => self.raw(here()),
            }
            for (code, message) in notes {
                self.note(here(), code, message);
            }
        }
        while let Some((mark, delimiter)) = open.pop() {
            tokens.push(close_token(mark, delimiter));
        }
        let out = render(&tokens, context);
        if context == Context::Paragraph && looks_like_definition(&out) {
            // A paragraph starting `[…]:` is a link reference definition if what follows the
            // colon parses as a destination; it does here, as a code span in the link text can
            // hold the `]:`. A space after the link's `(` leaves that destination an unbalanced
            // `(`, which no definition takes, and the link reads the same.
            if let Some(close) = tokens.iter_mut().find_map(|token| match token {
                Token::Markup(markup) if markup.starts_with("](") => Some(markup),
                _ => None,
            }) {
                *close = close.replacen("](", "]( ", 1);
                return render(&tokens, context);
            }
        }
        out
    }
}

/// A code language as a fence's info string. Info strings take backslash escapes and character
/// references, so `\\` and `&` are escaped to stay themselves; a leading fence character is
/// escaped, or the fence would take it in.
fn info_string(language: &str) -> String {
    let mut out = String::with_capacity(language.len());
    for (index, c) in language.chars().enumerate() {
        if c == '\\' || c == '&' || (index == 0 && (c == '~' || c == '`')) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `markdown` starts `[label]:`, as a link reference definition does.
fn looks_like_definition(markdown: &str) -> bool {
    let Some(rest) = markdown.strip_prefix('[') else {
        return false;
    };
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            ']' => return chars.next() == Some(':'),
            _ => {}
        }
    }
    false
}

/// A piece of inline output.
enum Token<'a> {
    /// Text to escape.
    Text(&'a str),
    /// An emphasis delimiter run (`*`, `**`, `~~`), which must be flanking to count.
    Open(&'static str),
    Close(&'static str),
    /// A link's `[`.
    LinkOpen,
    /// Finished markup: a link's `](…)`, a code span, an image, HTML.
    Markup(String),
    /// A hard line break.
    Break,
}

/// The order marks are opened in, outermost first.
fn write_rank(mark: &Mark) -> usize {
    match mark {
        Mark::Link(_) => 0,
        Mark::Discussion(_) => 1,
        Mark::Styles(_) => 2,
        Mark::Underline => 3,
        Mark::Strike => 4,
        Mark::Strong => 5,
        Mark::Em => 6,
        Mark::Code | Mark::Raw(_) => 7,
    }
}

/// How many inline nodes from `index` on carry `mark` (line breaks carry every mark).
fn persistence(content: &[Inline], index: usize, mark: &Mark) -> usize {
    content
        .iter()
        .skip(index)
        .take_while(|inline| match inline {
            Inline::Text(text) => text.marks.contains(mark),
            Inline::HardBreak(_) => true,
            _ => false,
        })
        .count()
}

/// The delimiter run of an emphasis mark (empty for the others).
fn delimiter_for(mark: &Mark, after_star: bool) -> &'static str {
    match (mark, after_star) {
        (Mark::Em, false) => "*",
        (Mark::Em, true) => "_",
        (Mark::Strong, false) => "**",
        (Mark::Strong, true) => "__",
        (Mark::Strike, _) => "~~",
        _ => "",
    }
}

fn open_token(mark: &Mark, delimiter: &'static str, notes: &mut Notes) -> Token<'static> {
    match mark {
        Mark::Em | Mark::Strong | Mark::Strike => Token::Open(delimiter),
        Mark::Link(_) => Token::LinkOpen,
        Mark::Underline => Token::Markup("<u>".to_owned()),
        Mark::Discussion(discussion) => {
            let mut out = String::new();
            spans::open_discussion(&mut out, discussion);
            Token::Markup(out)
        }
        Mark::Styles(styles) => {
            let mut out = String::new();
            // With no declaration left, a bare span still pairs with the closing tag.
            if !spans::open_styles(&mut out, styles, &mut |code, message| {
                notes.push((code, message))
            }) {
                out.push_str("<span>");
            }
            Token::Markup(out)
        }
        Mark::Code | Mark::Raw(_) => Token::Markup(String::new()),
    }
}

/// What a span writer could not carry, for the node being written.
type Notes = Vec<(Code, &'static str)>;

fn close_token(mark: &Mark, delimiter: &'static str) -> Token<'static> {
    match mark {
        Mark::Em | Mark::Strong | Mark::Strike => Token::Close(delimiter),
        Mark::Link(link) => {
            let mut out = String::from("](");
            link_destination(&link.href, &mut out);
            if let Some(title) = &link.title {
                out.push_str(" \"");
                escape_title(title, &mut out);
                out.push('"');
            }
            out.push(')');
            Token::Markup(out)
        }
        Mark::Underline => Token::Markup("</u>".to_owned()),
        Mark::Discussion(_) | Mark::Styles(_) => Token::Markup(spans::CLOSE_SPAN.to_owned()),
        Mark::Code | Mark::Raw(_) => Token::Markup(String::new()),
    }
}

fn link_destination(href: &str, out: &mut String) {
    let pointy = href.is_empty()
        || href
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '(' || c == ')');
    if pointy {
        out.push('<');
    }
    spans::push_replacing_ascii(out, href, |byte| match byte {
        b'\\' => Some("\\\\"),
        b'<' => Some("\\<"),
        b'>' => Some("\\>"),
        b'(' => Some("\\("),
        b')' => Some("\\)"),
        b'&' => Some("\\&"),
        b'`' => Some("\\`"),
        b'*' => Some("\\*"),
        b'_' => Some("\\_"),
        b'[' => Some("\\["),
        b']' => Some("\\]"),
        b'\n' => Some("&#10;"),
        b'\r' => Some("&#13;"),
        _ => None,
    });
    if pointy {
        out.push('>');
    }
}

fn escape_title(title: &str, out: &mut String) {
    spans::push_replacing_ascii(out, title, |byte| match byte {
        b'"' => Some("\\\""),
        b'\\' => Some("\\\\"),
        b'&' => Some("\\&"),
        b'\n' => Some("&#10;"),
        b'\r' => Some("&#13;"),
        _ => None,
    });
}

fn code_span(text: &str, context: Context) -> String {
    if text.contains(['\n', '\r']) {
        // A code span turns line breaks into spaces; HTML keeps them.
        let mut out = String::from("<code>");
        spans::escape_attr(&mut out, text);
        out.push_str("</code>");
        return out;
    }
    let text = if context == Context::Cell {
        text.replace('|', "\\|")
    } else {
        text.to_owned()
    };
    let mut fence = 1;
    while has_run_of(&text, '`', fence) {
        fence += 1;
    }
    let ticks = "`".repeat(fence);
    let pad = text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' ') && !text.chars().all(|c| c == ' '));
    if pad {
        format!("{ticks} {text} {ticks}")
    } else {
        format!("{ticks}{text}{ticks}")
    }
}

fn has_run_of(text: &str, c: char, length: usize) -> bool {
    let mut run = 0;
    for d in text.chars() {
        if d == c {
            run += 1;
        } else {
            if run == length {
                return true;
            }
            run = 0;
        }
    }
    run == length
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for d in text.chars() {
        if d == c {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

fn image_markup(image: &Image) -> String {
    let plain = image.width.is_none()
        && image.alt.as_deref() != Some("")
        && image.title.as_deref() != Some("")
        && image.extra.is_empty();
    if plain {
        let mut out = String::from("![");
        if let Some(alt) = &image.alt {
            out.push_str(&render(&[Token::Text(alt)], Context::Paragraph));
        }
        out.push_str("](");
        link_destination(&image.src, &mut out);
        if let Some(title) = &image.title {
            out.push_str(" \"");
            escape_title(title, &mut out);
            out.push('"');
        }
        out.push(')');
        return out;
    }
    let mut out = String::from("<img src=\"");
    spans::escape_attr(&mut out, &image.src);
    out.push('"');
    if let Some(alt) = &image.alt {
        out.push_str(" alt=\"");
        spans::escape_attr(&mut out, alt);
        out.push('"');
    }
    if let Some(title) = &image.title {
        out.push_str(" title=\"");
        spans::escape_attr(&mut out, title);
        out.push('"');
    }
    if let Some(width) = image.width {
        out.push_str(&format!(" width=\"{width}\""));
    }
    out.push('>');
    out
}

/// Characters a mention label may hold in the shorthand: nothing that Markdown would read as
/// markup or an escape, so that the shorthand stays verbatim text.
fn shorthand_label(label: &str) -> bool {
    !label.contains([
        '[', ']', '\\', '`', '*', '_', '~', '<', '&', '|', '\n', '\r', '!',
    ]) && !label.starts_with(' ')
        && !label.ends_with(' ')
}

fn mention_markup(mention: &Mention, notes: &mut Notes) -> String {
    match mention::shorthand(mention) {
        Some(shorthand) if shorthand_label(&mention.label) => shorthand,
        _ => {
            let mut out = String::new();
            spans::mention(&mut out, mention, &mut |code, message| {
                notes.push((code, message))
            });
            out
        }
    }
}

/// Escapes and joins tokens, making every emphasis delimiter run flanking: whitespace just inside
/// a delimiter, and a letter just outside one whose inside neighbour is punctuation, are written
/// as character references (`&#32;`), which CommonMark reads back as the same character but
/// counts as punctuation.
fn render(tokens: &[Token<'_>], context: Context) -> String {
    let count = tokens.len();
    // Which text tokens have their first / last character written as a reference.
    let mut first_ref = vec![false; count];
    let mut last_ref = vec![false; count];
    for (index, token) in tokens.iter().enumerate() {
        if let Token::Text(text) = token {
            let after_open = index > 0 && matches!(tokens.get(index - 1), Some(Token::Open(_)));
            let before_close = matches!(tokens.get(index + 1), Some(Token::Close(_)));
            if after_open && text.starts_with(char::is_whitespace) {
                set(&mut first_ref, index);
            }
            if before_close && text.ends_with(char::is_whitespace) {
                set(&mut last_ref, index);
            }
        }
    }
    // Settle the flanking rules; every change only turns characters into punctuation, so this
    // ends after a few rounds.
    for _ in 0..4 {
        let mut changed = false;
        let mut index = 0;
        while index < count {
            if !matches!(tokens.get(index), Some(Token::Open(_) | Token::Close(_))) {
                index += 1;
                continue;
            }
            let group_start = index;
            while matches!(tokens.get(index), Some(Token::Open(_) | Token::Close(_))) {
                index += 1;
            }
            let group = tokens.get(group_start..index).unwrap_or(&[]);
            let opens = group.iter().any(|t| matches!(t, Token::Open(_)));
            let closes = group.iter().any(|t| matches!(t, Token::Close(_)));
            // Several runs side by side, or an `_` run (which may neither open after nor close
            // before a letter), need punctuation or space outside.
            let several = group.len() > 1
                || group
                    .iter()
                    .any(|t| matches!(t, Token::Open(d) | Token::Close(d) if d.starts_with('_')));
            let edge_out = |inside| {
                if group_start == 0 {
                    Edge::Space
                } else {
                    edge_after(tokens, group_start - 1, &last_ref, inside)
                }
            };
            let (before_in, before_out) = (edge_out(true), edge_out(false));
            let after_in = edge_before(tokens, index, &first_ref, true);
            let after_out = edge_before(tokens, index, &first_ref, false);
            if opens && (several || after_in == Edge::Punct) && before_out == Edge::Other {
                if let Some(Token::Text(text)) =
                    group_start.checked_sub(1).and_then(|i| tokens.get(i))
                {
                    changed |= set(&mut last_ref, group_start - 1);
                    // A one-character text is also its own first character.
                    if text.chars().nth(1).is_none() {
                        set(&mut first_ref, group_start - 1);
                    }
                }
            }
            if closes && (several || before_in == Edge::Punct) && after_out == Edge::Other {
                if let Some(Token::Text(text)) = tokens.get(index) {
                    changed |= set(&mut first_ref, index);
                    if text.chars().nth(1).is_none() {
                        set(&mut last_ref, index);
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut out = String::new();
    let mut line_start = true;
    for (index, token) in tokens.iter().enumerate() {
        match token {
            Token::Text(text) => {
                let next_is_link = matches!(tokens.get(index + 1), Some(Token::LinkOpen));
                let after_link_open =
                    index > 0 && matches!(tokens.get(index - 1), Some(Token::LinkOpen));
                let line_end = matches!(tokens.get(index + 1), None | Some(Token::Break));
                // After `@[type:id:label]`, a `(` or `[` would make the shorthand a link.
                let after_bracket = index > 0
                    && matches!(tokens.get(index - 1), Some(Token::Markup(m)) if m.ends_with(']'));
                escape_text(
                    text,
                    &mut out,
                    TextPlace {
                        context,
                        line_start,
                        line_end,
                        first_ref: first_ref.get(index).copied().unwrap_or(false),
                        last_ref: last_ref.get(index).copied().unwrap_or(false),
                        next_is_link,
                        after_link_open,
                        after_bracket,
                    },
                );
                line_start = false;
            }
            Token::Open(delimiter) | Token::Close(delimiter) => {
                out.push_str(delimiter);
                line_start = false;
            }
            Token::LinkOpen => {
                out.push('[');
                line_start = false;
            }
            Token::Markup(markup) => {
                out.push_str(markup);
                line_start &= markup.is_empty();
            }
            Token::Break => {
                out.push_str("\\\n");
                line_start = true;
            }
        }
    }
    out
}

fn set(flags: &mut [bool], index: usize) -> bool {
    match flags.get_mut(index) {
        Some(flag) if !*flag => {
            *flag = true;
            true
        }
        _ => false,
    }
}

/// How a character next to a delimiter run counts for CommonMark's flanking rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// Whitespace or the edge of the line.
    Space,
    /// ASCII punctuation (safe on either side).
    Punct,
    /// Anything else: letters, digits, and non-ASCII characters, which are treated as letters
    /// outside a run and as punctuation inside one, the cautious reading on each side.
    Other,
}

/// The last output character of token `index` (it precedes a delimiter group); `inside` when
/// that character is inside the run's span (the cautious reading differs, see [`Edge`]).
fn edge_after(tokens: &[Token<'_>], index: usize, last_ref: &[bool], inside: bool) -> Edge {
    match tokens.get(index) {
        Some(Token::Text(text)) => {
            if last_ref.get(index).copied().unwrap_or(false) {
                return Edge::Punct;
            }
            text.chars()
                .next_back()
                .map_or(Edge::Space, |c| classify(c, inside))
        }
        Some(Token::Break) | None => Edge::Space,
        Some(Token::Markup(markup)) if markup.is_empty() => {
            if index == 0 {
                Edge::Space
            } else {
                edge_after(tokens, index - 1, last_ref, inside)
            }
        }
        _ => Edge::Punct,
    }
}

/// The first output character of token `index` (it follows a delimiter group).
fn edge_before(tokens: &[Token<'_>], index: usize, first_ref: &[bool], inside: bool) -> Edge {
    match tokens.get(index) {
        Some(Token::Text(text)) => {
            if first_ref.get(index).copied().unwrap_or(false) {
                return Edge::Punct;
            }
            text.chars()
                .next()
                .map_or(Edge::Space, |c| classify(c, inside))
        }
        Some(Token::Break) | None => Edge::Space,
        Some(Token::Markup(markup)) if markup.is_empty() => {
            edge_before(tokens, index + 1, first_ref, inside)
        }
        _ => Edge::Punct,
    }
}

/// ASCII is classified exactly. Other characters: letters and digits are "other"; whitespace is
/// space inside a run (where it gets written as a reference anyway) but "other" outside;
/// symbols may be Unicode punctuation, so inside a run they count as punctuation and outside as
/// "other", the cautious reading on each side.
fn classify(c: char, inside: bool) -> Edge {
    if c == ' ' || c == '\t' || c == '\n' {
        Edge::Space
    } else if c.is_ascii_punctuation() {
        Edge::Punct
    } else if c.is_ascii() || c.is_alphanumeric() || !inside {
        Edge::Other
    } else if c.is_whitespace() {
        Edge::Space
    } else {
        Edge::Punct
    }
}

struct TextPlace {
    context: Context,
    line_start: bool,
    line_end: bool,
    first_ref: bool,
    last_ref: bool,
    next_is_link: bool,
    after_link_open: bool,
    after_bracket: bool,
}

fn char_ref(c: char, out: &mut String) {
    use std::fmt::Write as _;
    // Writing into a `String` cannot fail.
    let _ = write!(out, "&#{};", u32::from(c));
}

/// How one character of a text is written.
enum Escape {
    AsItIs,
    Backslash,
    CharRef,
}

fn escape_text(text: &str, out: &mut String, place: TextPlace) {
    out.reserve(text.len());
    // Where an ordered-list-like `1.` / `1)` at the line's start has its delimiter (digits are
    // ASCII, so this is a byte offset as well as a character index).
    let list_delimiter = if place.line_start {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        (digits > 0 && digits <= 9 && matches!(text.as_bytes().get(digits), Some(b'.' | b')')))
            .then_some(digits)
    } else {
        None
    };
    // Runs of characters written as they are are copied whole. Collecting the characters and
    // pushing them one by one, `render` took 782.5 M of the 4,443.2 M instructions of converting
    // the JSON of the 10 MB Markdown file back to Markdown; with this, 523.7 M of 4,169.6 M
    // (callgrind, `prodoc convert -t md`).
    let mut copied = 0;
    let mut previous: Option<(usize, char)> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().copied();
        let first = at == 0;
        let is_last = next.is_none();
        let blank = c == ' ' || c == '\t';
        let escape = if (first && (place.first_ref || (place.line_start && blank)))
            || (is_last && (place.last_ref || (place.line_end && blank)))
        {
            Escape::CharRef
        } else if Some(at) == list_delimiter {
            Escape::Backslash
        } else {
            match c {
                '\n' | '\r' => Escape::CharRef,
                '\\' | '`' | '*' | '[' | ']' | '<' | '&' | '|' | '~' => Escape::Backslash,
                '_' => {
                    // Intraword only between letters written as letters: a neighbour written as
                    // a reference (`&#97;`) ends in or starts with punctuation, next to which `_`
                    // may open or close emphasis.
                    let before = previous.is_some_and(|(at, c)| {
                        !(at == 0 && place.first_ref) && c.is_alphanumeric()
                    });
                    let after = next.is_some_and(|(at, c)| {
                        let written_as_ref = place.last_ref && at + c.len_utf8() == text.len();
                        !written_as_ref && c.is_alphanumeric()
                    });
                    if before && after {
                        Escape::AsItIs
                    } else {
                        Escape::Backslash
                    }
                }
                '#' if place.context == Context::Heading || (first && place.line_start) => {
                    Escape::Backslash
                }
                '>' | '-' | '+' | '=' | ':' if first && place.line_start => Escape::Backslash,
                '!' if is_last && place.next_is_link => Escape::Backslash,
                '(' if first && place.after_bracket => Escape::Backslash,
                '^' if first && place.after_link_open => Escape::Backslash,
                _ => Escape::AsItIs,
            }
        };
        previous = Some((at, c));
        if matches!(escape, Escape::AsItIs) {
            continue;
        }
        out.push_str(text.get(copied..at).unwrap_or_default());
        copied = at + c.len_utf8();
        match escape {
            Escape::CharRef => char_ref(c, out),
            _ => {
                out.push('\\');
                out.push(c);
            }
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
}

/// Whether the last line of `markdown` is a list item marker with nothing after it (but a task
/// marker) inside a quote. pulldown-cmark 0.13 remembers such an item as one that began blank,
/// and forgets that only when its list ends tight: after a loose one, the first line after the
/// next blank line that goes on an enclosing list item ends that item instead.
fn ends_in_quoted_empty_item(markdown: &str) -> bool {
    let line = markdown.rsplit('\n').next().unwrap_or("");
    let unquoted = line.trim_start_matches([' ', '>']);
    if unquoted.len() == line.trim_start_matches(' ').len() {
        return false;
    }
    let marker = unquoted
        .strip_suffix(" [ ]")
        .or_else(|| unquoted.strip_suffix(" [x]"))
        .unwrap_or(unquoted)
        .trim_end();
    let digits = marker.chars().take_while(char::is_ascii_digit).count();
    match marker.get(digits..) {
        Some("-" | "*" | "+") => digits == 0,
        Some("." | ")") => digits > 0,
        _ => false,
    }
}

/// Whether a block is written as lines starting `>`, which would continue a quote right above.
fn starts_quoted(block: &Block) -> bool {
    matches!(block, Block::Blockquote(_) | Block::Banner(_))
}

/// What separates two blocks: a blank line, or, after a quote ending in an empty list item (see
/// [`ends_in_quoted_empty_item`]), only a line break: no paragraph is open there for the next
/// line to continue, and the blank line is what makes pulldown-cmark end the enclosing item.
fn separator(after_empty_item: bool) -> &'static str {
    if after_empty_item {
        "\n"
    } else {
        "\n\n"
    }
}

/// Prefixes the first line with `first` and the others with `rest` (trailing spaces of the
/// prefix dropped on empty lines).
fn prefix_lines(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    if text.is_empty() {
        out.push_str(first.trim_end());
        return out;
    }
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let prefix = if index == 0 { first } else { rest };
        if line.is_empty() {
            out.push_str(prefix.trim_end());
        } else {
            out.push_str(prefix);
            out.push_str(line);
        }
    }
    out
}

/// Whether a list's first item starts with text, so that the list may follow a paragraph line
/// directly (an empty item would make that line a setext heading, or not start a list).
fn starts_with_text(items: &[Child<prodoc_core::ListItem>]) -> bool {
    matches!(items.first(), Some(Child::Node(item)) if matches!(item.content.first(), Some(Block::Paragraph(p)) if !p.content.is_empty()))
}

/// The leaf blocks under `blocks`, in order, without recursion.
fn leaf_refs(blocks: &[Block]) -> Vec<&Block> {
    let mut out = Vec::new();
    let mut stack: Vec<&Block> = blocks.iter().rev().collect();
    while let Some(block) = stack.pop() {
        let mut children: Vec<&Block> = Vec::new();
        match block {
            Block::Blockquote(node) => children.extend(&node.content),
            Block::Banner(node) => children.extend(&node.content),
            Block::BulletList(prodoc_core::BulletList { items, .. })
            | Block::OrderedList(prodoc_core::OrderedList { items, .. }) => {
                for item in items.iter().filter_map(Child::node) {
                    children.extend(&item.content);
                }
            }
            Block::Checklist(node) => {
                for item in node.items.iter().filter_map(Child::node) {
                    children.extend(&item.content);
                }
            }
            Block::Table(node) => {
                for row in node.rows.iter().filter_map(Child::node) {
                    for cell in row.cells.iter().filter_map(Child::node) {
                        children.extend(&cell.content);
                    }
                }
            }
            Block::Columns(node) => {
                for column in node.columns.iter().filter_map(Child::node) {
                    children.extend(&column.content);
                }
            }
            // Raw blocks go out too, to be reported where they are written.
            Block::Paragraph(_)
            | Block::Heading(_)
            | Block::CodeBlock(_)
            | Block::Divider(_)
            | Block::Raw(_) => out.push(block),
        }
        stack.extend(children.into_iter().rev());
    }
    out
}

fn is_container(block: &Block) -> bool {
    !matches!(
        block,
        Block::Paragraph(_)
            | Block::Heading(_)
            | Block::CodeBlock(_)
            | Block::Divider(_)
            | Block::Raw(_)
    )
}

/// Clears the block ids of `block` and every block inside it (an explicit stack: blocks may nest
/// as deep as the format allows).
fn clear_ids(block: &mut Block) {
    fn nodes<T>(children: &mut [Child<T>]) -> impl Iterator<Item = &mut T> {
        children.iter_mut().filter_map(Child::node_mut)
    }
    let mut stack = vec![block];
    while let Some(block) = stack.pop() {
        match block {
            Block::Paragraph(node) => node.id = None,
            Block::Heading(node) => node.id = None,
            Block::CodeBlock(node) => node.id = None,
            Block::Divider(node) => node.id = None,
            Block::Raw(_) => {}
            Block::Blockquote(node) => {
                node.id = None;
                stack.extend(node.content.iter_mut());
            }
            Block::Banner(node) => {
                node.id = None;
                stack.extend(node.content.iter_mut());
            }
            Block::BulletList(prodoc_core::BulletList { id, items, .. })
            | Block::OrderedList(prodoc_core::OrderedList { id, items, .. }) => {
                *id = None;
                stack.extend(nodes(items).flat_map(|item| item.content.iter_mut()));
            }
            Block::Checklist(node) => {
                node.id = None;
                stack.extend(nodes(&mut node.items).flat_map(|item| item.content.iter_mut()));
            }
            Block::Table(node) => {
                node.id = None;
                stack.extend(
                    nodes(&mut node.rows)
                        .flat_map(|row| nodes(&mut row.cells))
                        .flat_map(|cell| cell.content.iter_mut()),
                );
            }
            Block::Columns(node) => {
                node.id = None;
                stack.extend(nodes(&mut node.columns).flat_map(|column| column.content.iter_mut()));
            }
        }
    }
}

fn is_lone_empty_paragraph(blocks: &[Block]) -> bool {
    matches!(blocks, [Block::Paragraph(p)] if p.content.is_empty() && p.align.is_none())
}

fn block_id(block: &Block) -> Option<&str> {
    match block {
        Block::Paragraph(node) => node.id.as_deref(),
        Block::Heading(node) => node.id.as_deref(),
        Block::Blockquote(node) => node.id.as_deref(),
        Block::CodeBlock(node) => node.id.as_deref(),
        Block::BulletList(node) => node.id.as_deref(),
        Block::OrderedList(node) => node.id.as_deref(),
        Block::Checklist(node) => node.id.as_deref(),
        Block::Table(node) => node.id.as_deref(),
        Block::Divider(node) => node.id.as_deref(),
        Block::Banner(node) => node.id.as_deref(),
        Block::Columns(node) => node.id.as_deref(),
        Block::Raw(_) => None,
    }
}

/// The rows of a table GFM can express, or `None`.
fn gfm_rows(table: &Table) -> Option<Vec<Vec<&TableCell>>> {
    let mut rows = Vec::with_capacity(table.rows.len());
    for (index, row) in table.rows.iter().enumerate() {
        let row = row.node()?;
        let mut cells = Vec::with_capacity(row.cells.len());
        for cell in &row.cells {
            let cell = cell.node()?;
            let simple = cell.header == (index == 0)
                && cell.colspan.get() == 1
                && cell.rowspan.get() == 1
                && cell.colwidth.is_none()
                && cell.background.is_none()
                && cell.extra.is_empty()
                && cell_paragraph(cell).is_some_and(|p| {
                    p.id.is_none()
                        && p.extra.is_empty()
                        && !p.content.iter().any(|i| matches!(i, Inline::HardBreak(_)))
                });
            if !simple {
                return None;
            }
            cells.push(cell);
        }
        rows.push(cells);
    }
    let width = rows.first()?.len();
    (width > 0 && rows.iter().all(|row| row.len() == width)).then_some(rows)
}

fn cell_paragraph(cell: &TableCell) -> Option<&Paragraph> {
    match cell.content.as_slice() {
        [Block::Paragraph(paragraph)] => Some(paragraph),
        _ => None,
    }
}

/// The block as reading gives it back: no ids, texts merged, marks in table order. Only the
/// top block's own inline content and id are normalised; reading normalises the rest the same
/// way, so a difference below is a real one.
fn normalized(block: &Block, carried: bool) -> Block {
    // Inline content is copied once, by `carried` or as it is, rather than copied with the block
    // and then again by `carried` (JSON -> Markdown of 27 MB of JSON, callgrind: `normalized`
    // 165.7 -> 93.3 M of 3,825.1 M instructions).
    let normal_content = |content: &[Inline]| {
        let mut content = if carried {
            spans::carried(content)
        } else {
            content.to_vec()
        };
        for inline in content.iter_mut() {
            if let Inline::Text(text) = inline {
                let mut marks = Marks::new();
                for mark in std::mem::take(&mut text.marks) {
                    add_mark(&mut marks, mark);
                }
                marks.sort_by_key(mark_order);
                text.marks = marks;
            }
        }
        merge_texts(content)
    };
    match block {
        Block::Paragraph(node) => Block::Paragraph(Paragraph {
            id: None,
            align: node.align,
            content: normal_content(&node.content),
            extra: node.extra.clone(),
            spelling: node.spelling,
        }),
        Block::Heading(node) => Block::Heading(Heading {
            level: node.level,
            id: None,
            align: node.align,
            content: normal_content(&node.content),
            extra: node.extra.clone(),
            spelling: node.spelling,
        }),
        other => {
            let mut block = other.clone();
            match &mut block {
                Block::Table(node) => {
                    node.id = None;
                    for row in node.rows.iter_mut().filter_map(Child::node_mut) {
                        for cell in row.cells.iter_mut().filter_map(Child::node_mut) {
                            for block in &mut cell.content {
                                if let Block::Paragraph(paragraph) = block {
                                    paragraph.id = None;
                                    paragraph.content = normal_content(&paragraph.content);
                                }
                            }
                        }
                    }
                }
                Block::Blockquote(node) => node.id = None,
                Block::CodeBlock(node) => node.id = None,
                Block::BulletList(node) => node.id = None,
                Block::OrderedList(node) => node.id = None,
                Block::Checklist(node) => node.id = None,
                Block::Divider(node) => node.id = None,
                Block::Banner(node) => node.id = None,
                Block::Columns(node) => node.id = None,
                // Paragraphs and headings are built above.
                Block::Paragraph(_) | Block::Heading(_) | Block::Raw(_) => {}
            }
            block
        }
    }
}
