//! What content writes in place of structure: checklist markers and mention shorthand.
//!
//! A checklist item's state is often its first content rather than an attribute: a checkbox
//! `<input>`, Notion's `div.checkbox`, or a ☐/☑/☒ glyph (GitHub task lists, the plain dialect's
//! checklists). Text may hold `@[type:id:label]`, the mention shorthand, read by the grammar every
//! reader shares ([`prodoc_core::shared::mention`]). Both are read out of the content as it
//! arrives, before text is collapsed and added to its paragraph.

use prodoc_core::shared::mention;
use prodoc_core::{Inline, MarkType};

use super::{all_whitespace, attr, element_name, is_whitespace, Container, Kind, Reader};
use crate::sink::{NodeData, NodeRef};

impl Reader<'_> {
    /// A text node: a checklist item's leading ☐/☑/☒ and, outside code, mention shorthand are
    /// read out of it; what is left is added as text.
    pub(super) fn text(&mut self, text: &str) {
        if !self.has_open_para() && all_whitespace(text) {
            return;
        }
        let text = self.strip_marker(text);
        if text.is_empty() {
            return;
        }
        let scan_mentions = self
            .marks
            .get(MarkType::Code as usize)
            .is_some_and(Option::is_none);
        let mut done = 0;
        if scan_mentions {
            for shorthand in mention::find(text) {
                if let Some(before) = text.get(done..shorthand.range.start) {
                    self.add_text(before);
                }
                self.inline(Inline::Mention(Box::new(shorthand.to_mention())));
                done = shorthand.range.end;
            }
        }
        if let Some(rest) = text.get(done..) {
            self.add_text(rest);
        }
    }

    /// Inside a checklist item whose marker (☐, ☑, a checkbox) is still to come, strips a
    /// leading ☐/☑/☒ and the space after it and records the state.
    fn strip_marker<'t>(&mut self, text: &'t str) -> &'t str {
        let Some(top) = self.containers.last_mut() else {
            return text;
        };
        let Kind::Item { checked, marker } = &mut top.kind else {
            return text;
        };
        if !*marker
            || !top.blocks.is_empty()
            || top.para.as_ref().is_some_and(|p| !p.inlines.is_empty())
        {
            return text;
        }
        let trimmed = text.trim_start_matches(is_whitespace);
        let mut chars = trimmed.chars();
        let state = match chars.next() {
            Some('☐') => false,
            Some('☑' | '☒') => true,
            _ => return text,
        };
        *checked = state;
        *marker = false;
        let rest = chars.as_str();
        let mut rest_chars = rest.chars();
        match rest_chars.next() {
            Some(c) if is_whitespace(c) => rest_chars.as_str(),
            _ => rest,
        }
    }

    /// Consumes a checkbox (an `<input>` or Notion's `div.checkbox`) standing first in a
    /// checklist item; false when there is none to consume here.
    pub(super) fn consume_marker(&mut self, state: bool) -> bool {
        let Some(index) = self.find_open(|k| matches!(k, Kind::Item { .. })) else {
            return false;
        };
        let Some(item) = self.containers.get_mut(index) else {
            return false;
        };
        let empty =
            item.blocks.is_empty() && item.para.as_ref().is_none_or(|p| p.inlines.is_empty());
        match &mut item.kind {
            Kind::Item { checked, marker } if *marker && empty => {
                *checked = state;
                *marker = false;
                true
            }
            _ => false,
        }
    }

    /// Content other than text ends the wait for a marker.
    pub(super) fn consume_pending_marker(&mut self) {
        if let Some(Container {
            kind: Kind::Item { marker, .. },
            ..
        }) = self.containers.last_mut()
        {
            *marker = false;
        }
    }
}

/// Whether every `<li>` of a list starts with a checkbox or a ☐/☑ glyph (GitHub task lists,
/// the plain dialect's checklists). Looks at a bounded number of nodes per item.
pub(super) fn all_items_marked(list: NodeRef<'_>) -> bool {
    let mut items = 0;
    for child in list.children() {
        match child.data() {
            NodeData::Element { .. } if element_name(child) == Some("li") => {
                if !starts_with_marker(child) {
                    return false;
                }
                items += 1;
            }
            _ => {}
        }
    }
    items > 0
}

fn starts_with_marker(item: NodeRef<'_>) -> bool {
    let mut stack: Vec<NodeRef<'_>> = item.children().rev().collect();
    let mut budget = 32;
    while let Some(node) = stack.pop() {
        budget -= 1;
        if budget == 0 {
            return false;
        }
        match node.data() {
            NodeData::Text { contents } => {
                let text: &str = contents;
                match text.trim_start_matches(is_whitespace).chars().next() {
                    None => {}
                    Some(c) => return matches!(c, '☐' | '☑' | '☒'),
                }
            }
            NodeData::Element { local, .. } => match &**local {
                "input" => {
                    return attr(node.attrs(), "type")
                        .is_some_and(|t| t.eq_ignore_ascii_case("checkbox"))
                }
                "p" | "span" | "label" | "div" | "b" | "strong" | "em" | "i" => {
                    stack.extend(node.children().rev());
                }
                _ => return false,
            },
            _ => {}
        }
    }
    false
}
