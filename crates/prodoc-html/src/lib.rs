//! HTML to and from Productive documents.
//!
//! [`read()`] takes a whole page or a fragment: Productive's own HTML dialect (the forms its
//! `replace_body_with_html` endpoint accepts: `<banner type>`, `<ul type="checklist">`,
//! `<pre codeblock-language>`, mention, file, variable and discussion spans, `<div data-columns>`),
//! ordinary HTML, and what people paste from Google Docs, Word and Outlook, Notion and Confluence.
//! [`write()`] gives that dialect back ([`Dialect::Productive`]), or semantic HTML5 for display
//! ([`Dialect::Plain`]). Both directions report what they could not carry as diagnostics.
//!
//! ```
//! use prodoc_html::{read, write, ReadOptions, WriteOptions};
//!
//! let html = r#"<title>Notes</title><h2>Plan</h2><banner type="warning"><p>Back <b>up</b> first.</p></banner>"#;
//! let conversion = read(html, &ReadOptions::default());
//! assert!(prodoc_core::validate(&conversion.doc).is_empty());
//! assert_eq!(conversion.metadata["title"], "Notes");
//!
//! let written = write(&conversion.doc, &WriteOptions::default());
//! assert_eq!(
//!     written.text,
//!     r#"<h2>Plan</h2><banner type="warning"><p>Back <strong>up</strong> first.</p></banner>"#
//! );
//! assert_eq!(read(&written.text, &ReadOptions::default()).doc, conversion.doc);
//! ```
//!
//! What Word and Outlook put on the clipboard needs reading for what it means:
//! - Their lists are paragraphs, each with `mso-list: l0 level2 lfo1` in its `style` and the
//!   marker Word drew (`·`, `o`, `§`, `1.`, `a)`) in a `<span style="mso-list: Ignore">`. A run
//!   of such paragraphs with the same list and list override (`l0`, `lfo1`) becomes one list:
//!   a deeper level nests a list in the previous item (one list per level skipped, the lists
//!   between holding an empty item), a shallower one closes the lists deeper than it, and a run
//!   that starts deeper than level 1 starts its list there. Whitespace and comments between the
//!   paragraphs keep the run going; anything else (another paragraph, text, a table, the end of
//!   the element holding them) ends it, and so does another list or list override, which is how
//!   Word writes a list whose numbering restarts. Each list is ordered when its first marker is
//!   a counter (a number, up to three letters of one case, a roman numeral, or several joined
//!   by dots, `1.2.`) ending in `.` or `)`, and bulleted otherwise; a plain number other than 1
//!   (`3.`, or the last one of `2.3.`) is its start, letters and roman numerals give none (`c`
//!   and `i` could be either). The marker and the spacing after it are left out; the
//!   paragraph's content, marks and links, is the item's. Levels deeper than
//!   [`ReadOptions::max_depth`] allows are kept in the deepest list that fits (plain paragraphs
//!   when none does), with one `nesting-too-deep` for the run. Only `<p>` elements are read this
//!   way (Word's numbered headings stay headings), and only in Office markup (Office namespaces
//!   on `<html>`, or an `Mso…` class on the paragraph or around it, which Word and Outlook
//!   always write), so that other pages pay nothing for it.
//! - The conditional comments around each marker, `<![if !supportLists]>` and `<![endif]>`
//!   (and their `<!--[if …]-->` form), guard nothing of their own, and the clipboard's
//!   `<!--StartFragment-->` and `<!--EndFragment-->` only bound the paste: they are left out
//!   without a diagnostic, where every other comment is reported as `comment-dropped`.
//!
//! Choices that hold in both directions:
//! - Block ids (`attrs.id`) travel as `data-id` in the Productive dialect, as Tiptap's unique-id
//!   extension writes them; the plain dialect leaves them out.
//! - Whitespace follows HTML's rules: runs collapse to one space and vanish at the start and end
//!   of a block and around `<br>`, except inside `<pre>` and inside a block whose `style` says
//!   `white-space: pre`, `pre-wrap` or `break-spaces`. The Productive writer puts
//!   `white-space: pre-wrap` on exactly the paragraphs and headings whose text would otherwise
//!   change; the plain writer cannot (its markup carries no `style`), so there such text reads
//!   back with its whitespace collapsed.
//! - Only `http`, `https`, `mailto` and relative URLs are read or written in `href`, `src` and
//!   the dialect's URL attributes (see [`is_safe_url`]); others are dropped with a diagnostic.
#![forbid(unsafe_code)]

mod css;
mod parse;
mod read;
mod scan;
mod sink;
mod write;

pub use prodoc_core::shared::url::is_safe_url;
pub use read::{read, read_streaming};
pub use write::write;

/// Options for [`read()`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// The deepest node nesting the produced document may have, counting `doc` as 0 and every
    /// node below it (a text in a paragraph in a blockquote at the top is at depth 3). Deeper
    /// containers in the input are flattened into their nearest allowed ancestor, their content
    /// kept, with a `nesting-too-deep` diagnostic. Default: [`ReadOptions::MAX_DEPTH`], which is
    /// prodoc-core's strict limit, so that every document read validates; a larger value counts
    /// as that limit.
    pub max_depth: usize,
}

impl ReadOptions {
    /// The default depth limit: prodoc-core's ([`prodoc_core::ReadOptions::MAX_DEPTH`]).
    pub const MAX_DEPTH: usize = prodoc_core::ReadOptions::MAX_DEPTH;
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            max_depth: Self::MAX_DEPTH,
        }
    }
}

/// Which HTML [`write()`] produces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dialect {
    /// Productive's HTML dialect, what `replace_body_with_html` accepts; it reaches every node
    /// type: `<banner type="info">`, `<ul type="checklist">` with
    /// `<li type="checklist_item" checked="true">`, `<pre codeblock-language="rust"><code>`,
    /// `<div data-columns data-column-count="2">` with `<div data-column>`,
    /// `<span mention-type mention-id mention-label mention-avatar-url>`, `<span var="name">`,
    /// `<span file-type url name>`, `<span discussion-id resolved-id>`, `<span style="…">` for
    /// the styles mark, `style="text-align: …"` on paragraphs and headings, cell `colspan`,
    /// `rowspan`, `colwidth` and `style="background-color: …"`, `<ol start>`, `<img width>`,
    /// and `data-id` for block ids.
    #[default]
    Productive,
    /// Semantic HTML5 for display, made only of the tags and attributes that ammonia's default
    /// allowlist keeps, so that sanitising it changes nothing: no `class`, `style` or `data-`
    /// attributes. Banners are `<aside title="warning">`; checklist items start with `☐ ` or
    /// `☑ ` (read back as checklists); mentions are the text `@label`, variables `{name}`, files
    /// a link to the file; columns are consecutive `<div>`s; links carry
    /// `rel="noopener noreferrer"`. What it cannot show (alignment, colours and other styles,
    /// discussions, cell backgrounds and widths, code languages) is reported as a diagnostic.
    Plain,
}

/// Options for [`write()`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Which HTML to write. Default: [`Dialect::Productive`].
    pub dialect: Dialect,
    /// Put a newline after each block's closing tag, for people reading the output; the reader
    /// ignores it. Default: off.
    pub newlines: bool,
}

/// The diagnostic codes, from the one registry every prodoc crate reports with.
pub use prodoc_core::codes;
