//! What content writes in place of structure: checklist markers and mention shorthand.
//!
//! A checklist item's state is often its first content rather than an attribute: a checkbox
//! `<input>`, Notion's `div.checkbox`, or a ☐/☑/☒ glyph (GitHub task lists, the plain dialect's
//! checklists). Text may hold `@[type:id:label]`, the mention shorthand. Both are read out of the
//! content as it arrives, before text is collapsed and added to its paragraph. The mention
//! grammar ([`may_hold_mention`], [`split_mention`], [`parse_mention_body`]) is kept together
//! so that it can be exchanged for one shared with other readers in one place.

use prodoc_core::{Inline, Mention, MentionKind};

use super::{all_whitespace, attr, element_name, is_whitespace, Container, Kind, Reader, CODE};
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
        let scan_mentions = self.marks.get(CODE).is_some_and(Option::is_none);
        if scan_mentions && may_hold_mention(text) {
            let mut rest = text;
            while let Some((before, mention, after)) = split_mention(rest) {
                self.add_text(before);
                self.inline(Inline::Mention(Box::new(mention)));
                rest = after;
            }
            self.add_text(rest);
        } else {
            self.add_text(text);
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
            NodeData::Element { name, attrs, .. } => match &*name.local {
                "input" => {
                    return attr(attrs, "type").is_some_and(|t| t.eq_ignore_ascii_case("checkbox"))
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

/// Whether `text` holds `@[`, the start of a mention shorthand.
fn may_hold_mention(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'@', bytes).any(|at| bytes.get(at + 1) == Some(&b'['))
}

/// Splits off the first `@[type:id:label]` mention: the text before it, the mention, the rest.
fn split_mention(text: &str) -> Option<(&str, Mention, &str)> {
    let mut from = 0;
    while let Some(offset) = text.get(from..)?.find("@[") {
        let start = from + offset;
        let body_start = start + 2;
        if let Some(parsed) = text.get(body_start..).and_then(parse_mention_body) {
            let (mention, length) = parsed;
            let before = text.get(..start)?;
            let after = text.get(body_start + length..)?;
            return Some((before, mention, after));
        }
        from = body_start;
    }
    None
}

/// Reads `type:id:label]`; returns the mention and the length read.
fn parse_mention_body(body: &str) -> Option<(Mention, usize)> {
    let end = body.find(']')?;
    let inner = body.get(..end)?;
    let (kind, rest) = inner.split_once(':')?;
    let (id, label) = rest.split_once(':')?;
    let valid_kind = !kind.is_empty()
        && kind
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let valid_id = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid_kind || !valid_id || label.is_empty() || label.contains('[') {
        return None;
    }
    Some((Mention::new(MentionKind::parse(kind), id, label), end + 1))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn mention_shorthand() {
        let (before, mention, after) = split_mention("Hi @[user:12345:John Doe], ok").unwrap();
        assert_eq!(before, "Hi ");
        assert_eq!(mention.kind, MentionKind::User);
        assert_eq!(mention.id, "12345");
        assert_eq!(mention.label, "John Doe");
        assert_eq!(after, ", ok");
        assert!(split_mention("@[a:b]").is_none());
        assert!(split_mention("@[user::x]").is_none());
        assert!(split_mention("email@[x").is_none());
    }
}
