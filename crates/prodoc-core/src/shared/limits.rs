//! Depth limits, each with its reason. Depths count node levels with `doc` as 0, as JSON
//! Pointers do (a paragraph's text in a list item is at depth 4: list, item, paragraph, text).

/// The deepest node nesting the format accepts and every reader produces.
///
/// serde_json stops at 128 levels of JSON; each node level takes two (the node's object and its
/// `content` array), and a text's `marks` and their `attrs` two more: 60 node levels fit with
/// room to spare, so nesting is reported by prodoc as `nesting-too-deep` with a pointer rather
/// than by serde_json as a bare recursion error. No real body comes near it (the deepest of the
/// 21 is 9). Readers of other formats flatten deeper containers, keeping their content, so that
/// what they give always validates; the Markdown writer, which recurses, is bounded by it too.
pub const MAX_DEPTH: usize = 60;

/// The deepest element nesting html5ever's tree builder is given.
///
/// The builder scans its stack of open elements for many tags, so input nested N deep costs N²
/// (60,000 nested `<div>`s take seconds); browsers cap the depth for the same reason. Deeper start
/// tags are dropped before the builder sees them, their content kept. The limit is far beyond
/// [`MAX_DEPTH`], because HTML wraps content in elements that make no node (`<div>`, `<span>`,
/// `<b>`), and the reader flattens to [`MAX_DEPTH`] itself.
pub const HTML_PARSER_DEPTH: usize = 512;

/// The deepest list nesting the plain-text reader builds from indentation.
///
/// An item nested 16 lists deep is indented at least 32 columns: plain text indented further is
/// code or a quotation far more often than a list. 16 lists (list and item: two levels each, then
/// a paragraph and its text) stay within [`MAX_DEPTH`].
pub const TEXT_LIST_DEPTH: usize = 16;

/// The deepest nesting of lists and maps read from Markdown front matter, and the most values
/// its aliases may expand to.
///
/// Front matter is metadata (title, tags, dates), a level or two deep; the values become JSON,
/// whose drop recurses, and YAML aliases can repeat a value exponentially ("billion laughs").
/// Deeper or further-expanding front matter is reported and left out.
pub const FRONT_MATTER_DEPTH: usize = 32;

/// See [`FRONT_MATTER_DEPTH`].
pub const FRONT_MATTER_VALUES: usize = 10_000;

const _: () = assert!(TEXT_LIST_DEPTH * 2 + 2 <= MAX_DEPTH);
