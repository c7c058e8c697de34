//! Depth and size limits, each with its reason. Depths count node levels with `doc` as 0, as JSON
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

/// The most attributes one HTML tag keeps; those past it are left out before html5ever sees the
/// tag, with a `too-many-attributes` diagnostic.
///
/// html5ever's tokenizer checks each new attribute of a tag against all the earlier ones (for
/// duplicates), so N attributes on one tag cost N²: 160,000 on one `<p>` (1.5 MB) took 11.5 s.
/// Bounded at 256, a tag costs at most 256²/2 comparisons, 128 per attribute whatever the input.
/// Real elements carry a handful (Word's pasted paragraphs and SVG shapes a few dozen), and the
/// reader looks at fewer still.
pub const HTML_ATTRIBUTES_PER_TAG: usize = 256;

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

/// The largest input the command line reads by default, in bytes (64 MiB); `--max-input-size`
/// changes it.
///
/// Productive's bodies are kilobytes, and the largest Markdown or HTML page people write is a few
/// megabytes; reading takes up to some 40 times the input in memory, so 64 MiB keeps any real
/// document readable while a stray `/dev/zero`, a log file or a disk image named `.md` stops
/// at the limit with an error, instead of growing until the machine runs out of memory.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;
