//! Word's and Outlook's lists, rebuilt from the paragraphs they paste them as.
//!
//! Word writes a list as a run of `<p>` elements, each with `mso-list: l0 level2 lfo1` in its
//! `style` and the marker it drew (`·`, `1.`, `a)`) in a `<span style="mso-list: Ignore">`; the
//! crate docs say how a run becomes lists. It is apart from the walk because it is a grammar of
//! its own (the run's state, the `mso-list` value, the markers and their counters) that no other
//! source shares, and only Office markup reaches it: the walk checks for that first. The walk
//! itself only leaves the marker's span out of the item's text (see `Reader::span`).

use html5ever::Attribute;

use super::{all_whitespace, attr, element_name, Close, Exit, Kind, Reader};
use crate::codes;
use crate::css;
use crate::sink::{NodeData, NodeRef};
use prodoc_core::ListKind;

/// A run of Word list paragraphs being rebuilt into lists (see [`Reader::word_item`]).
pub(super) struct WordRun<'a> {
    /// The paragraphs' `mso-list` list and list override (`l0`, `lfo1`): a paragraph with
    /// others starts a new run.
    list: &'a str,
    lfo: &'a str,
    /// The open lists, outermost first: the Word level each stands for and its container's
    /// index. Empty when no list fitted under the depth limit.
    lists: Vec<(u32, usize)>,
    /// Nesting too deep was reported for this run.
    warned: bool,
}

impl<'a> Reader<'a> {
    /// A Word list paragraph (`mso-list: l0 level2 lfo1`): an item of a list rebuilt from the
    /// run of them. A deeper level opens a list in the previous item, one per level; a shallower
    /// one closes the lists deeper than it; lists deeper than the depth limit allows are not
    /// opened, their items going into the deepest list that fits. Each list is bulleted or
    /// ordered after the marker Word rendered for its first item (see [`marker_kind`]).
    pub(super) fn word_item(
        &mut self,
        node: NodeRef<'a>,
        attrs: &'a [Attribute],
        (list, lfo): (&'a str, &'a str),
        level: u32,
    ) -> Option<Exit> {
        if !self
            .word
            .as_ref()
            .is_some_and(|run| run.list == list && run.lfo == lfo)
        {
            self.end_word_run();
        }
        self.prepare_block();
        let mut run = self.word.take().unwrap_or(WordRun {
            list,
            lfo,
            lists: Vec::new(),
            warned: false,
        });
        while let Some(&(open, index)) = run.lists.last() {
            if open <= level {
                break;
            }
            run.lists.pop();
            self.close_to(index);
        }
        let first = match run.lists.last() {
            Some(&(open, _)) if open == level => None,
            Some(&(open, _)) => Some(open + 1),
            None => Some(level),
        };
        if let Some(first) = first {
            let (kind, order) = marker_kind(&word_marker(node));
            for at in first..=level {
                let base = self.containers.last().map_or(1, |c| c.inner);
                if base + 2 > self.limit {
                    if !run.warned {
                        run.warned = true;
                        let position = self.position(node);
                        let limit = self.limit + 2;
                        self.warn(
                            position,
                            codes::NESTING_TOO_DEEP,
                            format!("found Word list levels nested deeper than {limit} document levels; the deeper items were kept in the deepest list that fits"),
                        );
                    }
                    break;
                }
                if at > first {
                    // A jump of several levels: the list between holds an empty item.
                    self.push_container(
                        node,
                        Kind::Item {
                            checked: false,
                            marker: false,
                        },
                        base,
                    );
                }
                // Only the paragraph's own level is known to look like its marker.
                let (kind, order) = if at == level {
                    (kind, order)
                } else {
                    (ListKind::Bullet, None)
                };
                run.lists.push((at, self.containers.len()));
                self.push_container(
                    node,
                    Kind::List {
                        kind,
                        id: None,
                        order,
                        items: Vec::new(),
                    },
                    base + 2,
                );
            }
        }
        if let Some(&(_, index)) = run.lists.last() {
            // The previous item of this list ends; what nests deeper goes in the new one.
            self.close_to(index + 1);
            let inner = self.containers.last().map_or(1, |c| c.inner);
            self.push_container(
                node,
                Kind::Item {
                    checked: false,
                    marker: false,
                },
                inner,
            );
        }
        self.word = Some(run);
        self.word_between = false;
        let mut exit = self.paragraph(node, attrs, None)?;
        exit.close = Close::WordItem;
        Some(exit)
    }

    /// Closes the lists of the open Word run, if any.
    pub(super) fn end_word_run(&mut self) {
        self.word_between = false;
        if let Some(run) = self.word.take() {
            if let Some(&(_, index)) = run.lists.first() {
                self.close_to(index);
            }
        }
    }
}

/// Whether a node may stand between two paragraphs of a Word list run without ending it:
/// whitespace, comments, and paragraphs (which end it themselves unless they continue it).
pub(super) fn continues_word_run(node: NodeRef<'_>) -> bool {
    match node.data() {
        NodeData::Text { contents } => all_whitespace(contents),
        NodeData::Comment { .. } => true,
        _ => element_name(node) == Some("p"),
    }
}

/// Word's list paragraph style, `mso-list: l0 level2 lfo1`: the list, the list override and the
/// level (from 1). `mso-list: Ignore` (on the marker's span), `none` and `skip` are no list
/// paragraph.
pub(super) fn mso_list(style: &str) -> Option<(&str, &str, u32)> {
    let value = css::get(style, "mso-list")?;
    let (mut list, mut lfo, mut level) = (None, "", None);
    for token in value.split_ascii_whitespace() {
        if let Some(number) = token.strip_prefix("level") {
            level = number.parse::<u32>().ok().filter(|level| *level > 0);
        } else if let Some(number) = token.strip_prefix("lfo") {
            lfo = number;
        } else if token
            .strip_prefix('l')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        {
            list = Some(token);
        }
    }
    Some((list?, lfo, level?))
}

/// The marker Word rendered before a list paragraph's text (`·`, `o`, `§`, `1.`, `a)`): the text
/// of its `mso-list: Ignore` span, which the reader leaves out of the item. Looks at a bounded
/// number of nodes at the paragraph's start and gives up at the first other text.
fn word_marker(para: NodeRef<'_>) -> String {
    let mut marker = String::new();
    // Depth first, in document order; `true` marks the marker span's content.
    let mut stack: Vec<(NodeRef<'_>, bool)> = para.children().rev().map(|n| (n, false)).collect();
    let mut found = false;
    for _ in 0..48 {
        let Some((node, inside)) = stack.pop() else {
            break;
        };
        match node.data() {
            NodeData::Text { contents } if inside => marker.push_str(contents),
            // The item's text has begun.
            NodeData::Text { contents } if found || !all_whitespace(contents) => break,
            NodeData::Element { .. } => {
                let ignore = !inside
                    && attr(node.attrs(), "style")
                        .and_then(|style| css::get(style, "mso-list"))
                        .is_some_and(|v| v.eq_ignore_ascii_case("ignore"));
                if ignore && found {
                    break;
                }
                found |= ignore;
                stack.extend(node.children().rev().map(|n| (n, inside || ignore)));
            }
            _ => {}
        }
    }
    marker
}

/// Whether a rendered list marker numbers its item, and the number the list starts at when it
/// is a plain number other than 1. Counters (a number, up to three letters of one case, a roman
/// numeral), or several joined by dots (`1.2.`), ending in `.` or `)` (`3.`, `b)`, `(iv)`)
/// number; anything else (`·`, `o`, `§`, `-`, `Ø`, `Note.`) is a bullet.
fn marker_kind(marker: &str) -> (ListKind, Option<u32>) {
    let marker = marker.trim_matches(char::is_whitespace);
    let Some(core) = marker.strip_suffix(['.', ')']) else {
        return (ListKind::Bullet, None);
    };
    let core = core.strip_prefix('(').unwrap_or(core);
    if core.len() > 32 || !core.split('.').all(is_counter) {
        return (ListKind::Bullet, None);
    }
    let start = core
        .rsplit('.')
        .next()
        .and_then(|last| last.parse::<u32>().ok())
        .filter(|start| *start != 1);
    (ListKind::Ordered, start)
}

/// One of Word's counters: `12`, `b`, `AA`, `xiv`.
fn is_counter(part: &str) -> bool {
    let bytes = part.as_bytes();
    let roman = |b: &u8| b"ivxlcdm".contains(&b.to_ascii_lowercase());
    !bytes.is_empty()
        && (bytes.iter().all(u8::is_ascii_digit)
            || ((bytes.iter().all(u8::is_ascii_lowercase)
                || bytes.iter().all(u8::is_ascii_uppercase))
                && (bytes.len() <= 3 || bytes.iter().all(roman))))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn word_markers() {
        for bullet in [
            "·", "o", "§", "-", "Ø", "", "Note.", "Step 1:", ".", "()", "1", "a",
        ] {
            assert!(
                matches!(marker_kind(bullet), (ListKind::Bullet, None)),
                "{bullet}"
            );
        }
        for (marker, start) in [
            ("1.", None),
            ("1)", None),
            ("(1)", None),
            ("3.", Some(3)),
            (" 12.\u{a0}\u{a0}", Some(12)),
            ("2.3.", Some(3)),
            ("1.1.", None),
            ("a.", None),
            ("c)", None),
            ("AA.", None),
            ("xviii.", None),
            ("IV.", None),
        ] {
            assert!(
                matches!(marker_kind(marker), (ListKind::Ordered, s) if s == start),
                "{marker}"
            );
        }
    }

    #[test]
    fn mso_list_values() {
        assert_eq!(
            mso_list("text-indent:-18.0pt;mso-list:l0 level1 lfo1"),
            Some(("l0", "1", 1))
        );
        assert_eq!(
            mso_list("MSO-LIST: l12 level3 lfo7 ; margin-left:72pt"),
            Some(("l12", "7", 3))
        );
        assert_eq!(mso_list("mso-list:Ignore"), None);
        assert_eq!(mso_list("mso-list:none"), None);
        assert_eq!(mso_list("mso-list:l0 level0 lfo1"), None);
        assert_eq!(mso_list("mso-list:l0 lfo1"), None);
        assert_eq!(mso_list("mso-list:level1 lfo1"), None);
        assert_eq!(mso_list("color:red"), None);
    }
}
