//! Plain text to a document. The rules are stated in the crate documentation, under "Reading".

use prodoc_core::{
    Block, Conversion, Diagnostic, Doc, HardBreak, Inline, ListKind, Paragraph, Position, Text,
};

use crate::codes;

/// How plain text is read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Turn runs of lines that start with `- `, `* `, `1. ` or `[ ] ` / `[x] ` into bullet, numbered
    /// and check lists, nested by indentation. Default `false`: every line is text.
    pub lists: bool,
}

/// The deepest list nesting [`read`] builds. A marker line indented deeper joins the deepest item as
/// text, with a [`codes::LIST_TOO_DEEP`] diagnostic:
/// [`prodoc_core::shared::limits::TEXT_LIST_DEPTH`], where its reason is.
pub const MAX_LIST_DEPTH: usize = prodoc_core::shared::limits::TEXT_LIST_DEPTH;

/// Reads plain text into a document of paragraphs (and lists, when [`ReadOptions::lists`] asks).
///
/// ```
/// use prodoc_core::build::*;
///
/// let read = prodoc_text::read("Hello\nworld\r\n\r\nBye", &Default::default());
/// assert_eq!(read.doc, doc([p([text("Hello"), br(), text("world")]), p([text("Bye")])]));
/// assert!(read.diagnostics.is_empty());
/// ```
pub fn read(text: &str, options: &ReadOptions) -> Conversion {
    let text = prodoc_core::shared::input::without_bom(text);
    let mut reader = Reader {
        lists: options.lists,
        blocks: Vec::new(),
        diagnostics: Vec::new(),
        para: Vec::new(),
        open: Vec::new(),
    };
    for (index, raw) in split_lines(text).enumerate() {
        let line = raw.trim_end_matches([' ', '\t']);
        if line.is_empty() {
            reader.end_chunk();
        } else {
            reader.line(index + 1, line);
        }
    }
    reader.end_chunk();
    Conversion {
        doc: Doc::new(reader.blocks),
        diagnostics: reader.diagnostics,
        metadata: Default::default(),
    }
}

/// The lines of `text`, split at `\r\n`, `\r` and `\n`. Text ending in a line break has no empty
/// last line; empty text has no lines.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text).filter(|text| !text.is_empty());
    std::iter::from_fn(move || {
        let current = rest?;
        match current.find(['\r', '\n']) {
            Some(at) => {
                let (line, tail) = current.split_at(at);
                let tail = tail
                    .strip_prefix("\r\n")
                    .or_else(|| tail.get(1..))
                    .unwrap_or("");
                rest = Some(tail).filter(|tail| !tail.is_empty());
                Some(line)
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// The width of a line's leading spaces and tabs, a tab advancing to the next multiple of 4.
fn indent_width(line: &str) -> usize {
    let mut width = 0;
    for c in line.chars() {
        match c {
            ' ' => width += 1,
            '\t' => width += 4 - width % 4,
            _ => break,
        }
    }
    width
}

/// `line` without up to `columns` columns of leading spaces and tabs.
fn strip_indent(line: &str, columns: usize) -> &str {
    let mut width = 0;
    for (at, c) in line.char_indices() {
        if width >= columns {
            return line.get(at..).unwrap_or("");
        }
        match c {
            ' ' => width += 1,
            '\t' => width += 4 - width % 4,
            _ => return line.get(at..).unwrap_or(""),
        }
    }
    ""
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
/// A list marker at the start of a line.
struct Marker<'a> {
    kind: ListKind,
    /// The item number of an ordered marker.
    number: u32,
    /// Whether a check marker is ticked.
    checked: bool,
    /// The marker's column, counting tabs as in [`indent_width`].
    indent: usize,
    /// The item's text column, in the same columns.
    content_col: usize,
    /// The marker's place, for diagnostics.
    position: Position,
    /// The item's first line.
    text: &'a str,
}

fn marker(line_no: usize, line: &str) -> Option<Marker<'_>> {
    let indent = indent_width(line);
    let body = line.trim_start_matches([' ', '\t']);
    let lead_chars = line.chars().count() - body.chars().count();
    let (kind, number, checked, after) =
        if let Some(after) = body.strip_prefix('-').or_else(|| body.strip_prefix('*')) {
            (ListKind::Bullet, 0, false, after)
        } else if let Some(after) = body.strip_prefix("[ ]") {
            (ListKind::Check, 0, false, after)
        } else if let Some(after) = body
            .strip_prefix("[x]")
            .or_else(|| body.strip_prefix("[X]"))
        {
            (ListKind::Check, 0, true, after)
        } else {
            let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            // Nine digits always fit a u32, as CommonMark limits ordered markers.
            if digits == 0 || digits > 9 {
                return None;
            }
            let number = body.get(..digits)?.parse().ok()?;
            (
                ListKind::Ordered,
                number,
                false,
                body.get(digits..)?.strip_prefix('.')?,
            )
        };
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let text = after.trim_start_matches([' ', '\t']);
    let marker_width = body.len() - after.len();
    // Right after the marker and one space, however many spaces follow it: the column the writer
    // lines further lines up with.
    let content_col = indent + marker_width + 1;
    Some(Marker {
        kind,
        number,
        checked,
        indent,
        content_col,
        position: Position {
            line: line_no,
            column: lead_chars + 1,
        },
        text,
    })
}

/// An item being read: its finished blocks, then the lines of the paragraph being gathered.
struct OpenItem {
    checked: bool,
    blocks: Vec<Block>,
    lines: Vec<String>,
}

impl OpenItem {
    fn flush(&mut self) {
        if !self.lines.is_empty() {
            self.blocks.push(paragraph(&self.lines));
            self.lines.clear();
        }
    }
}

/// A list being read.
struct OpenList {
    kind: ListKind,
    start: u32,
    content_col: usize,
    items: Vec<OpenItem>,
}

impl OpenList {
    fn new(marker: &Marker<'_>) -> Self {
        let mut list = Self {
            kind: marker.kind,
            start: marker.number,
            content_col: marker.content_col,
            items: Vec::new(),
        };
        list.push_item(marker);
        list
    }

    fn push_item(&mut self, marker: &Marker<'_>) {
        self.content_col = marker.content_col;
        self.items.push(OpenItem {
            checked: marker.checked,
            blocks: Vec::new(),
            lines: vec![marker.text.to_owned()],
        });
    }

    fn into_block(self) -> Block {
        let items = self.items.into_iter().map(|mut item| {
            item.flush();
            (item.blocks, item.checked)
        });
        let order = (self.kind == ListKind::Ordered && self.start != 1).then_some(self.start);
        Block::list(self.kind, None, order, items)
    }
}

/// A paragraph of `lines` joined by `br`; an empty line adds no text node, so none is empty.
fn paragraph(lines: &[String]) -> Block {
    let mut content = Vec::with_capacity(lines.len() * 2);
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            content.push(Inline::HardBreak(HardBreak::default()));
        }
        if !line.is_empty() {
            content.push(Inline::Text(Text::plain(line.as_str())));
        }
    }
    Block::Paragraph(Paragraph {
        content,
        ..Paragraph::default()
    })
}

struct Reader {
    lists: bool,
    blocks: Vec<Block>,
    diagnostics: Vec<Diagnostic>,
    /// Lines of the top-level paragraph being gathered.
    para: Vec<String>,
    /// The lists being read, outermost first; each one after the first sits in the current item
    /// of the one before.
    open: Vec<OpenList>,
}

impl Reader {
    /// One non-blank line, trailing spaces and tabs removed.
    fn line(&mut self, line_no: usize, line: &str) {
        if !self.lists {
            self.para.push(line.to_owned());
            return;
        }
        match marker(line_no, line) {
            Some(marker) => self.marker_line(marker, line),
            None => self.text_line(line),
        }
    }

    fn marker_line(&mut self, marker: Marker<'_>, line: &str) {
        loop {
            let depth = self.open.len();
            let floor = self.floor();
            let Some(top) = self.open.last_mut() else {
                self.flush_para();
                self.open.push(OpenList::new(&marker));
                return;
            };
            if marker.indent >= top.content_col {
                if depth >= MAX_LIST_DEPTH {
                    self.diagnostics.push(Diagnostic::warning_at_position(
                        marker.position,
                        codes::LIST_TOO_DEEP,
                        format!(
                            "found a list marker nested {} levels deep, expected at most \
                             {MAX_LIST_DEPTH}; the line was kept as text of the item above",
                            depth + 1
                        ),
                    ));
                    self.text_line(line);
                    return;
                }
                if let Some(item) = top.items.last_mut() {
                    item.flush();
                }
                self.open.push(OpenList::new(&marker));
                return;
            }
            if marker.indent >= floor && marker.kind == top.kind {
                if marker.kind == ListKind::Ordered {
                    let expected = u64::from(top.start) + top.items.len() as u64;
                    if u64::from(marker.number) != expected {
                        self.diagnostics.push(Diagnostic::warning_at_position(
                            marker.position,
                            codes::LIST_NUMBER,
                            format!(
                                "found item number {}, expected {expected}: a numbered list \
                                 counts on from its first number",
                                marker.number
                            ),
                        ));
                    }
                }
                top.push_item(&marker);
                return;
            }
            // Less indented than this list's level, or another kind of list at its level: the
            // list ends, and the marker is tried against the list around it.
            self.close_top();
            if self.open.is_empty() {
                self.open.push(OpenList::new(&marker));
                return;
            }
        }
    }

    fn text_line(&mut self, line: &str) {
        let indent = indent_width(line);
        loop {
            let floor = self.floor();
            let Some(top) = self.open.last_mut() else {
                self.para.push(line.to_owned());
                return;
            };
            // Deeper than the item around the list: this list's item goes on, whether or not the
            // line reaches its text column. At that outer item's text column exactly, the outer
            // item goes on after the list.
            if indent > floor {
                let text = strip_indent(line, top.content_col).to_owned();
                if let Some(item) = top.items.last_mut() {
                    item.lines.push(text);
                }
                return;
            }
            self.close_top();
        }
    }

    /// Where the innermost list's level starts: the text column of the item around it, or 0 for
    /// an outermost list.
    fn floor(&self) -> usize {
        self.open
            .len()
            .checked_sub(2)
            .and_then(|parent| self.open.get(parent))
            .map_or(0, |parent| parent.content_col)
    }

    /// Closes the innermost open list into the item around it, or into the document.
    fn close_top(&mut self) {
        let Some(list) = self.open.pop() else {
            return;
        };
        let block = list.into_block();
        match self
            .open
            .last_mut()
            .and_then(|parent| parent.items.last_mut())
        {
            Some(item) => {
                item.flush();
                item.blocks.push(block);
            }
            None => self.blocks.push(block),
        }
    }

    fn flush_para(&mut self) {
        if !self.para.is_empty() {
            self.blocks.push(paragraph(&self.para));
            self.para.clear();
        }
    }

    /// A blank line or the end of the text: everything open is finished.
    fn end_chunk(&mut self) {
        while !self.open.is_empty() {
            self.close_top();
        }
        self.flush_para();
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn splits_every_line_ending() {
        let lines: Vec<&str> = split_lines("a\r\nb\rc\n\nd\n").collect();
        assert_eq!(lines, ["a", "b", "c", "", "d"]);
        assert_eq!(split_lines("").count(), 0);
        assert_eq!(split_lines("\n\r").collect::<Vec<_>>(), ["", ""]);
    }

    #[test]
    fn indentation_counts_tabs_to_four() {
        assert_eq!(indent_width("  x"), 2);
        assert_eq!(indent_width("\tx"), 4);
        assert_eq!(indent_width(" \tx"), 4);
        assert_eq!(strip_indent("      x", 4), "  x");
        assert_eq!(strip_indent("\t  x", 2), "  x");
        assert_eq!(strip_indent("   ", 2), " ");
    }

    #[test]
    fn recognises_markers() {
        let m = marker(1, "  12. x").expect("marker");
        assert_eq!(
            (m.kind, m.number, m.indent, m.content_col, m.text),
            (ListKind::Ordered, 12, 2, 6, "x")
        );
        assert_eq!(m.position, Position { line: 1, column: 3 });
        let m = marker(1, "[x] done").expect("marker");
        assert!(m.checked && m.kind == ListKind::Check && m.content_col == 4);
        let m = marker(1, "-\t x").expect("marker");
        assert_eq!((m.text, m.content_col), ("x", 2));
        let m = marker(1, "-").expect("marker");
        assert_eq!((m.text, m.content_col), ("", 2));
        assert!(marker(1, "-x").is_none());
        assert!(marker(1, "---").is_none());
        assert!(marker(1, "1.5").is_none());
        assert!(marker(1, "1234567890. x").is_none());
        assert!(marker(1, "x - y").is_none());
    }
}
