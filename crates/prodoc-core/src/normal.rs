//! The normal form readers produce: adjacent text nodes with the same marks merged, no empty text
//! nodes, marks in table order ([`MarkType`](crate::spec::MarkType) order). Readers of every format build their inline
//! content through these, so that documents from different sources compare equal.

use crate::model::{Inline, Mark, Marks};

/// Merges adjacent text nodes with equal marks and drops empty ones.
pub fn merge_texts(inlines: Vec<Inline>) -> Vec<Inline> {
    // Readers call this on every paragraph, and most need no change: then the vector is kept,
    // found in one pass.
    let mut previous: Option<&Marks> = None;
    let mut normal = true;
    for inline in &inlines {
        match inline {
            Inline::Text(text) => {
                if text.text.is_empty() || previous == Some(&text.marks) {
                    normal = false;
                    break;
                }
                previous = Some(&text.marks);
            }
            _ => previous = None,
        }
    }
    if normal {
        return inlines;
    }
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        if let Inline::Text(next) = &inline {
            if next.text.is_empty() {
                continue;
            }
            if let Some(Inline::Text(last)) = out.last_mut() {
                if last.marks == next.marks {
                    last.text.push_str(&next.text);
                    continue;
                }
            }
        }
        out.push(inline);
    }
    out
}

/// A mark's place in the normal order: its row in the mark table (raw marks last).
pub fn mark_order(mark: &Mark) -> usize {
    mark.mark_type().map_or(usize::MAX, |ty| ty as usize)
}

/// Adds `mark` to `marks` in normal order, unless a mark of its type is there already.
pub fn add_mark(marks: &mut Marks, mark: Mark) {
    let ty = mark.mark_type();
    let same_type = |have: &Mark| match (have.mark_type(), ty) {
        (Some(a), Some(b)) => a == b,
        // Raw marks of types the table lacks: told apart by name.
        _ => have.type_name() == mark.type_name(),
    };
    if marks.iter().any(same_type) {
        return;
    }
    let order = mark_order(&mark);
    let at = marks
        .iter()
        .position(|have| mark_order(have) > order)
        .unwrap_or(marks.len());
    marks.insert(at, mark);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{br, marked, text};

    #[test]
    fn merges_equal_marks_and_drops_empty_text() {
        let merged = merge_texts(vec![
            text("a"),
            text(""),
            text("b"),
            marked("c", [Mark::Strong]),
            marked("d", [Mark::Strong]),
            br(),
            text("e"),
        ]);
        assert_eq!(
            merged,
            vec![text("ab"), marked("cd", [Mark::Strong]), br(), text("e")]
        );
    }

    #[test]
    fn marks_go_in_table_order_once() {
        let mut marks = Marks::from([Mark::Code]);
        add_mark(&mut marks, Mark::Em);
        add_mark(&mut marks, Mark::Strong);
        add_mark(&mut marks, Mark::Em);
        assert_eq!(marks.as_slice(), [Mark::Em, Mark::Strong, Mark::Code]);
    }
}
