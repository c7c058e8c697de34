//! Markdown (CommonMark 0.31.2 + GitHub-flavoured extensions) to and from Productive documents.
//!
//! ```
//! use prodoc_markdown::{read, write, ReadOptions, WriteOptions};
//!
//! let conversion = read("# Plan\n\n- [x] **ship** it\n\n> [!WARNING]\n> Back up first.\n", &ReadOptions::default());
//! assert!(conversion.diagnostics.is_empty());
//! assert!(prodoc_core::validate(&conversion.doc).is_empty());
//! let markdown = write(&conversion.doc, &WriteOptions::default()).text;
//! assert_eq!(markdown, "# Plan\n\n- [x] **ship** it\n\n> [!WARNING]\n> Back up first.\n");
//! ```
//!
//! # Reading
//!
//! [`read`] parses with pulldown-cmark (tables, strikethrough, task lists, footnotes and GitHub
//! alerts on) and builds the document with an explicit stack, so no input can overflow the stack.
//! A long input is parsed a window at a time, so that pulldown-cmark's tree of it is never held
//! whole (unless it has link reference definitions or footnotes, which reach across it).
//! Every diagnostic carries the line and column (1-based, columns in characters) of the Markdown it
//! is about.
//!
//! | Markdown | document |
//! |---|---|
//! | paragraph; soft break | `paragraph`; a soft break is a space |
//! | `#`–`###`, setext | `heading` 1–3 |
//! | `####`–`######` | `heading` 3, or a paragraph of bold text ([`DeepHeadings`]), with [`codes::HEADING_LEVEL`] |
//! | `*em*`, `**strong**`, `~~strike~~`, `` `code` `` | marks `em`, `strong`, `strike`, `code` |
//! | `[text](href "title")`, reference links, `<autolinks>` | the `link` mark; a URL with a scheme other than http, https or mailto (`javascript:`, `data:`) is left out with an [`codes::UNSAFE_URL`] warning and the text kept, as the HTML reader does |
//! | `![alt](src "title")` | `image` (an empty alt or title is absent); with an unsafe URL, left out with [`codes::UNSAFE_URL`]; without a URL, left out with [`codes::IMAGE_WITHOUT_SRC`] |
//! | hard break (`\` or two spaces at a line's end) | `br` |
//! | `---`, `***` | `divider` |
//! | `> quote` | `blockquote` |
//! | `> [!NOTE]` and the other GitHub alerts | `banner`: NOTE → info, TIP → success, IMPORTANT → info (with [`codes::ALERT_KIND`]), WARNING → warning, CAUTION → critical |
//! | `- item`, `1. item` (start number → `order`, 1 is none) | `ul`, `ol` |
//! | `- [ ] task`, `- [x] done` | `checklist` |
//! | a list mixing task and plain items | split into runs of consecutive items of one kind: each run of task items a `checklist`, each run of plain items a list of the original kind (an ordered run keeps its numbering), with [`codes::MIXED_TASK_LIST`] |
//! | GFM table | `table`: the header row's cells are `table_header`, the others `table_cell`, each holding one paragraph; a column's alignment is the `textAlign` of its cells' paragraphs; a row with more cells than the header loses the extra ones, as GFM says, with a [`codes::TABLE_CELLS`] warning |
//! | fenced or indented code | `codeblock` with the info string's first word as `language` |
//! | `@[type:id:label]` | `mention` (Productive's shorthand) |
//! | inline HTML, HTML blocks | handed to `prodoc-html` (Productive's HTML dialect), see below |
//! | `[^note]` references | the literal text `[^note]`, with [`codes::FOOTNOTE`] |
//! | `[^note]: …` definitions | moved, in order, to an `ol` at the end of the document, each item starting with `[^note]`, with [`codes::FOOTNOTE`] |
//! | `$math$` | not a construct here: it stays text, dollars and all |
//! | `---` front matter at the very start | a YAML mapping, read into [`Conversion::metadata`](prodoc_core::Conversion) as JSON (see [`read`]); a block that is not a mapping is Markdown; YAML errors and what is left out are reported with [`codes::FRONT_MATTER`] |
//!
//! Inline HTML and HTML blocks are read by `prodoc-html`: a paragraph, heading or table cell that
//! holds inline HTML is rendered to HTML as a whole and read there, so that Productive's spans,
//! `<u>`, `<img width>` and the like become nodes and marks; an HTML block is read there directly.
//! Nesting deeper than [`ReadOptions::max_depth`] is flattened with [`codes::NESTING_TOO_DEEP`].
//!
//! # Writing
//!
//! [`write()`] gives GitHub-flavoured Markdown that [`read`] reads back to the same document (block
//! ids aside: Markdown has no place for them, and they are left out with [`codes::BLOCK_ID`]).
//! The writer's fallbacks, for what GFM cannot express:
//!
//! | document | Markdown |
//! |---|---|
//! | text | escaped with backslashes; leading and trailing spaces, and whitespace that would break an emphasis delimiter, as numeric character references (`&#32;`); a newline as `&#10;` |
//! | `underline` | `<u>…</u>` |
//! | `discussion` | `<span discussion-id="…" resolved-id="…">…</span>` |
//! | `styles` | `<span style="color: …; background-color: …; font-weight: …; …">…</span>` |
//! | `mention` | `@[type:id:label]`; a label holding `[ ] \ ` * _ ~ < & |` or a line break, a type or id outside `[A-Za-z0-9_-]`, an avatar URL, or a text child other than the label: Productive's `<span mention-type …>` |
//! | `var`, `file` | `<span var="…"></span>`, `<span file-type="…" url="…" name="…">…</span>` |
//! | `image` with a `width`, or an empty alt or title | `<img src alt title width>` |
//! | `banner` | a GitHub alert: info → `[!NOTE]`, success → `[!TIP]`, warning → `[!WARNING]`, critical → `[!CAUTION]` |
//! | paragraph with `textAlign`, an empty paragraph beside other blocks, one ending in a `br`; a heading holding a `br` | the block in Productive's HTML (`prodoc-html`) |
//! | table with spans, widths, backgrounds, a header cell outside the first row, a body cell in it, rows of unequal length, or a cell that is not one paragraph without `br` | the table in Productive's HTML |
//! | `columns` | Productive's `<div data-columns>` HTML |
//! | in a list item, a quote or banner right after a quote ending in an empty list item (`> - [ ]`) | the block in Productive's HTML: pulldown-cmark would end the enclosing list at the blank line a Markdown quote needs there (other blocks follow such a quote on the next line instead) |
//! | raw nodes and marks (kept by lenient JSON reading) | not written, [`codes::RAW_NODE`] |
//!
//! After writing a paragraph, heading or table, the writer reads that piece back and, should it
//! not give the same node, writes the node as HTML instead with [`codes::MARKDOWN_MISMATCH`]:
//! the round trip holds by construction, not only for the cases thought of. For the Markdown
//! subset (no ids, alignment, cell attributes, columns, files, variables or images; marks link,
//! em, strong, code and strike) the escaping is meant to leave that check nothing to catch, and
//! a property test holds it to that.
//! Documents nested deeper than [`WriteOptions::max_depth`] are written flattened there with
//! [`codes::NESTING_TOO_DEEP`]; the writer's recursion is bounded by that limit.
#![forbid(unsafe_code)]

mod front_matter;
mod html;
mod read;
mod window;
mod write;

/// Not part of the API: what the fuzz targets (fuzz/) check inside the crate.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::window::windows_agree;
}

pub use read::{read, read_streaming, GFM_EXTENSIONS};
pub use write::write;

/// What to make of headings of levels 4 to 6, which the format lacks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DeepHeadings {
    /// A level 3 heading (the default).
    #[default]
    Level3,
    /// A paragraph whose text is bold.
    BoldParagraph,
}

/// Options for [`read`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// What headings of levels 4–6 become. Default: [`DeepHeadings::Level3`].
    pub deep_headings: DeepHeadings,
    /// The deepest node nesting produced, counting `doc` as 0 (as `prodoc_core` does). Block
    /// containers that would nest deeper are left out and their content is put in the nearest
    /// container that fits, with [`codes::NESTING_TOO_DEEP`]. Default and upper bound:
    /// [`prodoc_core::shared::limits::MAX_DEPTH`] (larger values are lowered to it, so that the
    /// result always validates).
    pub max_depth: usize,
    /// GFM tables, strikethrough, task lists, footnotes and GitHub alerts. Default: on.
    pub gfm: bool,
    /// Productive's mention shorthand `@[type:id:label]`. Default: on.
    pub mentions: bool,
    /// YAML front matter at the start of the input. Default: on.
    pub front_matter: bool,
}

impl ReadOptions {
    /// The default depth limit: [`prodoc_core::shared::limits::MAX_DEPTH`].
    pub const MAX_DEPTH: usize = prodoc_core::shared::limits::MAX_DEPTH;

    /// GitHub-flavoured Markdown with Productive's mention shorthand and front matter: the default.
    pub fn gfm() -> Self {
        Self {
            deep_headings: DeepHeadings::Level3,
            max_depth: Self::MAX_DEPTH,
            gfm: true,
            mentions: true,
            front_matter: true,
        }
    }

    /// Plain CommonMark: no GFM extensions, no mention shorthand, no front matter.
    pub fn commonmark() -> Self {
        Self {
            gfm: false,
            mentions: false,
            front_matter: false,
            ..Self::gfm()
        }
    }
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self::gfm()
    }
}

/// Options for [`write()`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteOptions {
    /// The bullet of unordered lists and checklists: `-`, `*` or `+`. Default: `-`. A list that
    /// directly follows another list takes another bullet, so that the two stay apart.
    pub bullet: char,
    /// The deepest block nesting written as such, counting `doc` as 0; deeper blocks are written
    /// flattened at this depth, with [`codes::NESTING_TOO_DEEP`]. Default:
    /// [`prodoc_core::shared::limits::MAX_DEPTH`], the deepest a valid document goes; it also
    /// bounds the writer's recursion.
    pub max_depth: usize,
}

impl WriteOptions {
    /// The default depth limit: [`prodoc_core::shared::limits::MAX_DEPTH`].
    pub const MAX_DEPTH: usize = prodoc_core::shared::limits::MAX_DEPTH;
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self {
            bullet: '-',
            max_depth: Self::MAX_DEPTH,
        }
    }
}

/// The diagnostic codes, from the one registry every prodoc crate reports with.
pub use prodoc_core::codes;
