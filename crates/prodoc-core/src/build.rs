//! Short constructors for building documents in Rust.
//!
//! ```
//! use prodoc_core::build::*;
//! use prodoc_core::{BannerKind, HeadingLevel, Mark};
//!
//! let doc = doc([
//!     heading(HeadingLevel::H1, [text("Release notes")]),
//!     p([text("Shipped "), marked("today", [Mark::Strong]), text(".")]),
//!     ul([li([p([text("Faster import")])])]),
//!     banner(BannerKind::Warning, [p([text("Back up first.")])]),
//! ]);
//! assert!(prodoc_core::validate(&doc).is_empty());
//! ```

use crate::attrs::{BannerKind, HeadingLevel, MentionKind};
use crate::model::*;

/// A document.
pub fn doc(content: impl IntoIterator<Item = Block>) -> Doc {
    Doc::new(content.into_iter().collect())
}

/// A paragraph.
pub fn p(content: impl IntoIterator<Item = Inline>) -> Block {
    Block::Paragraph(Paragraph {
        content: content.into_iter().collect(),
        ..Paragraph::default()
    })
}

/// A heading.
pub fn heading(level: HeadingLevel, content: impl IntoIterator<Item = Inline>) -> Block {
    Block::Heading(Heading::new(level, content.into_iter().collect()))
}

/// A block quote.
pub fn blockquote(content: impl IntoIterator<Item = Block>) -> Block {
    Block::Blockquote(Blockquote {
        content: content.into_iter().collect(),
        ..Blockquote::default()
    })
}

/// A code block in `language` (`None` for plain text).
pub fn code_block(language: Option<&str>, code: impl Into<String>) -> Block {
    Block::CodeBlock(CodeBlock {
        language: language.map(str::to_owned),
        text: code.into(),
        ..CodeBlock::default()
    })
}

/// A bulleted list.
pub fn ul(items: impl IntoIterator<Item = ListItem>) -> Block {
    Block::BulletList(BulletList {
        items: items.into_iter().map(Child::Node).collect(),
        ..BulletList::default()
    })
}

/// A numbered list starting at `start` (1 is written as no `order`).
pub fn ol(start: u32, items: impl IntoIterator<Item = ListItem>) -> Block {
    Block::OrderedList(OrderedList {
        order: (start != 1).then_some(start),
        items: items.into_iter().map(Child::Node).collect(),
        ..OrderedList::default()
    })
}

/// A list item; the first block should be a paragraph.
pub fn li(content: impl IntoIterator<Item = Block>) -> ListItem {
    ListItem {
        content: content.into_iter().collect(),
        ..ListItem::default()
    }
}

/// A checklist.
pub fn checklist(items: impl IntoIterator<Item = ChecklistItem>) -> Block {
    Block::Checklist(Checklist {
        items: items.into_iter().map(Child::Node).collect(),
        ..Checklist::default()
    })
}

/// A checklist item.
pub fn task(checked: bool, content: impl IntoIterator<Item = Block>) -> ChecklistItem {
    ChecklistItem {
        checked,
        content: content.into_iter().collect(),
        ..ChecklistItem::default()
    }
}

/// A table.
pub fn table(rows: impl IntoIterator<Item = TableRow>) -> Block {
    Block::Table(Table {
        rows: rows.into_iter().map(Child::Node).collect(),
        ..Table::default()
    })
}

/// A table row.
pub fn row(cells: impl IntoIterator<Item = TableCell>) -> TableRow {
    TableRow {
        cells: cells.into_iter().map(Child::Node).collect(),
        ..TableRow::default()
    }
}

/// A body cell.
pub fn cell(content: impl IntoIterator<Item = Block>) -> TableCell {
    TableCell {
        content: content.into_iter().collect(),
        ..TableCell::default()
    }
}

/// A header cell.
pub fn header_cell(content: impl IntoIterator<Item = Block>) -> TableCell {
    TableCell {
        header: true,
        ..cell(content)
    }
}

/// A divider.
pub fn divider() -> Block {
    Block::Divider(Divider::default())
}

/// A banner.
pub fn banner(kind: BannerKind, content: impl IntoIterator<Item = Block>) -> Block {
    Block::Banner(Banner::new(kind, content.into_iter().collect()))
}

/// A column layout.
pub fn columns(columns: impl IntoIterator<Item = Column>) -> Block {
    Block::Columns(Columns {
        columns: columns.into_iter().map(Child::Node).collect(),
        ..Columns::default()
    })
}

/// One column.
pub fn column(content: impl IntoIterator<Item = Block>) -> Column {
    Column {
        content: content.into_iter().collect(),
        ..Column::default()
    }
}

/// Unmarked text.
pub fn text(text: impl Into<CompactString>) -> Inline {
    Inline::Text(Text::plain(text))
}

/// Marked text.
pub fn marked(text: impl Into<CompactString>, marks: impl IntoIterator<Item = Mark>) -> Inline {
    Inline::Text(Text::marked(text, marks.into_iter().collect::<Marks>()))
}

/// Linked text.
pub fn link(text: impl Into<CompactString>, href: impl Into<String>) -> Inline {
    marked(text, [Mark::from(Link::new(href))])
}

/// An image.
pub fn image(src: impl Into<String>, alt: impl Into<String>) -> Inline {
    Inline::Image(Box::new(Image {
        src: src.into(),
        alt: Some(alt.into()),
        ..Image::default()
    }))
}

/// A mention, with the text child the editor gives it.
pub fn mention(kind: MentionKind, id: impl Into<String>, label: impl Into<String>) -> Inline {
    Inline::Mention(Box::new(Mention::new(kind, id, label)))
}

/// A variable.
pub fn var(name: impl Into<String>) -> Inline {
    Inline::Var(Var {
        name: name.into(),
        ..Var::default()
    })
}

/// A line break.
pub fn br() -> Inline {
    Inline::HardBreak(HardBreak::default())
}

/// Vectors of at most this many items are copied out at their exact length by [`take_exact`];
/// longer ones are shrunk in place (a copy of a few KB costs less than a reallocation).
const EXACT_COPY_MAX: usize = 64;

/// Takes what `items` holds, as a vector of its exact length, for readers that build content by
/// pushing: the room a vector grows into was most of what some documents held (a paragraph of
/// prose; a table of one-cell rows, three of every four slots of each row's cells and each
/// cell's blocks empty). A short vector is copied out and `items` keeps its room, to build the
/// next one in; a long one is taken whole and shrunk in place, so that two are never held at
/// once.
pub fn take_exact<T>(items: &mut Vec<T>) -> Vec<T> {
    if items.capacity() == items.len() || items.len() > EXACT_COPY_MAX {
        let mut all = std::mem::take(items);
        all.shrink_to_fit();
        return all;
    }
    let mut copy = Vec::with_capacity(items.len());
    copy.append(items);
    copy
}

/// The items of `items` from `from` on, as a vector of their exact length; the ones before stay.
/// For readers that build every open container's content in one vector, each container's from
/// where it opened: a container's content is then allocated once, at its size, when it closes.
pub fn take_exact_from<T>(items: &mut Vec<T>, from: usize) -> Vec<T> {
    if from == 0 {
        return take_exact(items);
    }
    // `split_off` allocates the tail at its exact length and copies it in one move.
    items.split_off(from.min(items.len()))
}

/// `items` at its exact length: [`take_exact`] of a vector that is not built in again.
pub fn exact<T>(mut items: Vec<T>) -> Vec<T> {
    take_exact(&mut items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taken_vectors_are_exact_and_short_ones_leave_their_room() {
        for length in [0, 1, 5, EXACT_COPY_MAX, EXACT_COPY_MAX + 1, 1000] {
            let mut builder = Vec::with_capacity(2 * length + 4);
            builder.extend(0..length);
            let room = builder.capacity();
            let taken = take_exact(&mut builder);
            assert_eq!(taken.capacity(), taken.len());
            assert!(taken.iter().copied().eq(0..length));
            assert!(builder.is_empty());
            let kept = if length <= EXACT_COPY_MAX { room } else { 0 };
            assert_eq!(builder.capacity(), kept, "length {length}");
        }
        // A vector already exact is taken as it is.
        let mut full = Vec::with_capacity(3);
        full.extend([1, 2, 3]);
        let pointer = full.as_ptr();
        let taken = take_exact(&mut full);
        assert_eq!((taken.as_ptr(), full.capacity()), (pointer, 0));
        let mut loose = Vec::with_capacity(10);
        loose.extend([1, 2, 3]);
        let loose = exact(loose);
        assert_eq!((loose.capacity(), loose), (3, vec![1, 2, 3]));
    }

    #[test]
    fn a_tail_is_taken_exact_and_the_head_stays() {
        let mut open = Vec::with_capacity(16);
        open.extend(0..10);
        let tail = take_exact_from(&mut open, 4);
        assert_eq!((tail.capacity(), tail), (6, vec![4, 5, 6, 7, 8, 9]));
        assert_eq!((open.capacity(), &open[..]), (16, &[0, 1, 2, 3][..]));
        assert!(take_exact_from(&mut open, 9).is_empty());
        assert_eq!(open.len(), 4);
        let all = take_exact_from(&mut open, 0);
        assert_eq!((all.capacity(), all), (4, vec![0, 1, 2, 3]));
    }
}
