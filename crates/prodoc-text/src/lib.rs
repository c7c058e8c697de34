//! Plain text to and from Productive documents.
//!
//! [`read`] turns text into paragraphs (and, when asked, lists); [`write()`] turns any document into
//! text for terminals, e-mail and search indexes. See "Round trips" below for what reads back.
//!
//! ```
//! use prodoc_core::build::*;
//! use prodoc_core::{BannerKind, HeadingLevel};
//! use prodoc_text::{read, write, ReadOptions, WriteOptions};
//!
//! let doc = doc([
//!     heading(HeadingLevel::H2, [text("Release")]),
//!     banner(BannerKind::Warning, [p([text("Back up first.")])]),
//!     ol(3, [li([p([text("Export")])]), li([p([text("Import")])])]),
//! ]);
//! let written = write(&doc, &WriteOptions::default()).text;
//! assert_eq!(written, "Release\n-------\n\nWarning: Back up first.\n\n3. Export\n4. Import\n");
//!
//! let back = read("one\ntwo\n\nthree", &ReadOptions::default());
//! assert_eq!(back.doc, prodoc_core::build::doc([
//!     p([text("one"), br(), text("two")]),
//!     p([text("three")]),
//! ]));
//! ```
//!
//! # Reading
//!
//! Plain text says little, so the reader guesses nothing unless an option asks.
//!
//! - **Lines** end at `\r\n`, `\r` or `\n`; no other character breaks a line. One byte order mark
//!   (U+FEFF) at the very start is dropped: it tells how the text was encoded.
//! - **Trailing spaces and tabs** are removed from every line: they cannot be seen, editors strip
//!   them, and in e-mail a trailing space means a soft line break. A line with nothing left is
//!   blank, so a line made only of spaces and tabs is a blank line, never a paragraph of spaces.
//! - **Paragraphs** are runs of non-blank lines; any number of blank lines separates two. The lines
//!   of a paragraph are joined with `br`. Every text node holds a whole line, so none is empty and
//!   no two are adjacent.
//! - **Everything else is kept as text**: leading spaces and tabs, control characters, `#`, `>`,
//!   `---`, indented code. Empty text (or only blank lines) gives a document with no blocks.
//! - **Lists** ([`ReadOptions::lists`], default off). A line starting (after any indentation) with
//!   `-` or `*`, with a number of up to nine digits and `.`, or with `[ ]`, `[x]` or `[X]`, then a
//!   space, a tab or the line's end, is a list item: a bullet list (`-` and `*` alike), a numbered
//!   list (`ol`, with `order` from its first number) or a checklist. The item's text is the rest
//!   of the line after the marker and the spaces and tabs that follow it. The column right after
//!   the marker and one space is the item's **text column**, where the writer lines up the
//!   item's further lines.
//!   - An item line indented to the current item's text column or deeper starts a list inside
//!     the item (down to [`MAX_LIST_DEPTH`] lists; deeper markers are text, reported as
//!     [`codes::LIST_TOO_DEEP`]).
//!   - An item line less indented than the innermost list's text column, but indented at least to
//!     the text column of the item around that list (any indentation, for an outermost list), is
//!     that list's next item; an item of another kind there ends the list and starts a new one
//!     beside it. Less indented still, it is tried the same way against the lists further out.
//!   - A line that is not an item continues the innermost list's current item when it is indented
//!     more than the text column of the item around that list (for an outermost list: indented
//!     at all): a `br`, then the line less its indentation up to the item's text column. Indented
//!     exactly to that outer item's text column, it continues the outer item after the nested
//!     list, as a new paragraph. Unindented, it ends the lists and starts a paragraph.
//!   - A blank line ends every list. A paragraph line followed by an item line ends the
//!     paragraph.
//!   - Tabs in indentation count to the next multiple of 4 columns.
//!   - Numbered lists count on from their first number: an item numbered otherwise (`1.`, `1.`) is
//!     reported as [`codes::LIST_NUMBER`], since the document cannot keep its number.
//!
//! Every document read is strictly valid ([`prodoc_core::validate`] finds nothing). Diagnostics
//! carry a line and a column (both from 1, the column counting characters).
//!
//! # Writing
//!
//! The output is a series of lines, each ending in `\n`; no line ends in a space or a tab (see
//! above). Blocks are separated by one blank line.
//!
//! - **Paragraphs**: their text; `br` and line breaks inside text start a new line. A paragraph
//!   with nothing but spaces, tabs and `br` (the editor makes one `br` for an empty line) writes
//!   nothing, since the blank line between blocks already shows the gap.
//! - **Headings** ([`WriteOptions::heading_style`]): underlined with `=` (level 1), `-` (level 2)
//!   or `~` (level 3) as wide as the heading, or prefixed with `#`, `##`, `###`. An empty heading
//!   writes nothing.
//! - **Lists**: items start with `- `, with their number and `. ` (counting from `order`), or with
//!   `[ ] ` / `[x] ` for checklists. Every further line of an item lines up under its text, so
//!   nested lists are indented by their parent's marker width. Items follow each other without
//!   blank lines, and inside an item a nested list touches the paragraphs right before and after
//!   it and a list of another kind right after it (that is how the reader continues and nests
//!   items, and a blank line would end the list); other blocks inside an item are
//!   separated by a blank line. An item whose first paragraph has no visible text writes its
//!   marker alone on its first line.
//! - **Block quotes**: every line prefixed with `> ` (blank lines inside with `>`).
//! - **Banners**: labelled `Info: `, `Warning: `, `Success: ` or `Critical: `; further lines line up
//!   under the text, as in a list item.
//! - **Code blocks**: every line indented by four spaces; the language is not written. A code block
//!   with no visible text writes nothing. Code is never wrapped.
//! - **Dividers**: a line of `-`, as wide as the wrap width allows, or `---` when not wrapping.
//! - **Tables**: aligned columns separated by ` | `, each as wide as its widest cell by display
//!   width (East Asian wide characters and emoji count two columns, as `unicode-width` says; a
//!   tab counts one). A rule of `-` and `-+-` follows the leading rows made only of header cells.
//!   A cell's blocks are written as anywhere else and never wrapped; a cell of several lines
//!   makes its row as tall, and then a rule separates every row so that rows stay apart.
//!   **Spans**: a cell spanning columns covers them and the separators between them (its text
//!   starts in its first column); a cell spanning rows writes its text in its first row and
//!   leaves the rows below empty in its columns. Empty cells keep their separators (`a |`), so
//!   that a row shorter than the others still shows its columns. A span stops at the table's edge, before a slot
//!   another cell holds, and at as many columns as the table has cells. Widths, backgrounds and
//!   `header` cells in other places are not shown.
//! - **Columns**: written one after the other, as consecutive blocks.
//! - **Inline nodes**: a link as `text (url)`, or just its text when it equals the URL (or is the
//!   address of a `mailto:` URL), adjacent texts with the same link being one link; a mention as
//!   `@label` (its text child when the label is empty); an image as `[image: alt]` (the title when there is no alt, `[image]` when neither);
//!   a file as `[file: name]`; a variable as `{name}`. Bold, italic, code, strike, underline,
//!   discussion and styles marks are not shown: their text is written plain.
//! - **Wrapping** ([`WriteOptions::wrap`]): paragraphs, headings and the paragraphs of list
//!   items, quotes and banners are word-wrapped so that lines, prefixes included, fit the width
//!   by display width. Words are split at ASCII spaces only, first fit; a word longer than the
//!   line (a URL) is kept whole on a line of its own; leading spaces of a line stay on its first
//!   piece. Deep prefixes leave at least one column. Wrapping is done by the `textwrap` crate
//!   with its default features off, which leaves it with no dependency but `unicode-width`.
//! - **Raw nodes** (what lenient reading could not type) are left out, each reported as
//!   [`codes::RAW_NODE`] with its JSON Pointer; a raw mark is reported as [`codes::RAW_MARK`] and
//!   its text written.
//! - The document is walked with an explicit stack, so any depth writes; the JSON Pointer of a
//!   diagnostic is built from that stack only when one is reported.
//! - A document whose text begins with U+FEFF is written with one more, which the reader drops.
//!
//! # Round trips
//!
//! - Paragraphs of text and `br` read back as written when no line of theirs (the text between
//!   two `br`) is empty or ends in a space or a tab: plain text has no other way to show an empty
//!   line inside a paragraph, and the reader drops trailing whitespace. Leading whitespace, tabs
//!   inside, control characters and wide characters all come back.
//! - With [`ReadOptions::lists`], bullet, numbered and check lists read back too, nested and
//!   with further lines, when their items' text obeys the rule above and does not start with a
//!   space (the reader skips spaces after a marker), and no item holds two paragraphs in a row
//!   (their blank line ends the list). Marks, headings and every other block come back as text.
//! - Any text read, written and read again gives the same document, lists on or off.
//! - Every top-level block that would not read back as it is (with the default options) is
//!   reported as [`codes::NOT_EXPRESSIBLE`] at its pointer, so that `--strict` fails exactly
//!   when the text does not carry the document.
#![forbid(unsafe_code)]

mod read;
mod sink;
mod table;
mod write;

pub use read::{read, ReadOptions, MAX_LIST_DEPTH};
pub use write::{write, HeadingStyle, WriteOptions};

/// The diagnostic codes, from the one registry every prodoc crate reports with.
pub use prodoc_core::codes;
