//! One conversion API over every format: a [`Format`], each format's options in one place, and
//! [`read`], [`write()`] and [`convert`], which the CLI, the WebAssembly package and the import
//! pipeline all call, so that none of them chooses a reader or writer by itself.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use prodoc_core::{json, Conversion, Diagnostic, Doc, Written};

/// A format prodoc reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// The Productive Document Format's JSON: a bare document, the API's body string or a page
    /// resource.
    Json,
    /// GitHub-flavoured Markdown with Productive's extensions.
    #[cfg(feature = "markdown")]
    Markdown,
    /// HTML: Productive's dialect when writing (or plain HTML5); any HTML when reading.
    #[cfg(feature = "html")]
    Html,
    /// Plain text.
    #[cfg(feature = "text")]
    Text,
}

impl Format {
    /// Every format this build has.
    pub const ALL: &'static [Format] = &[
        Format::Json,
        #[cfg(feature = "markdown")]
        Format::Markdown,
        #[cfg(feature = "html")]
        Format::Html,
        #[cfg(feature = "text")]
        Format::Text,
    ];

    /// The format a file name's extension says (case-insensitive), if any.
    pub fn from_path(path: &Path) -> Option<Self> {
        Self::from_extension(path.extension()?.to_str()?)
    }

    /// The format of an extension without its dot: `json`; `md`, `markdown`, `mdown`, `mkd`;
    /// `html`, `htm`, `xhtml`; `txt`, `text`.
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension.to_ascii_lowercase().as_str() {
            "json" => Some(Self::Json),
            #[cfg(feature = "markdown")]
            "md" | "markdown" | "mdown" | "mkd" => Some(Self::Markdown),
            #[cfg(feature = "html")]
            "html" | "htm" | "xhtml" => Some(Self::Html),
            #[cfg(feature = "text")]
            "txt" | "text" => Some(Self::Text),
            _ => None,
        }
    }

    /// The extension written files get.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            #[cfg(feature = "markdown")]
            Self::Markdown => "md",
            #[cfg(feature = "html")]
            Self::Html => "html",
            #[cfg(feature = "text")]
            Self::Text => "txt",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// A format name that is not one of [`Format`]'s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "found the format `{}`, expected json, md, html or text",
            self.0
        )
    }
}

impl std::error::Error for UnknownFormat {}

/// `json`, `md`/`markdown`, `html`, `text`/`txt`, and the other extensions of
/// [`Format::from_extension`].
impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Self, UnknownFormat> {
        Self::from_extension(name).ok_or_else(|| UnknownFormat(name.to_owned()))
    }
}

/// How to read each format.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// JSON: strict by default.
    pub json: json::ReadOptions,
    /// Markdown.
    #[cfg(feature = "markdown")]
    pub markdown: prodoc_markdown::ReadOptions,
    /// HTML.
    #[cfg(feature = "html")]
    pub html: prodoc_html::ReadOptions,
    /// Plain text.
    #[cfg(feature = "text")]
    pub text: prodoc_text::ReadOptions,
}

/// How to write each format.
#[derive(Clone, Debug, Default)]
pub struct WriteOptions {
    /// JSON: compact by default.
    pub json: json::WriteOptions,
    /// Markdown.
    #[cfg(feature = "markdown")]
    pub markdown: prodoc_markdown::WriteOptions,
    /// HTML.
    #[cfg(feature = "html")]
    pub html: prodoc_html::WriteOptions,
    /// Plain text.
    #[cfg(feature = "text")]
    pub text: prodoc_text::WriteOptions,
}

/// Reads `input` as `format`. Only JSON can fail ([`Conversion::failed`]); every other reader
/// gives a valid document and says what it changed.
pub fn read(format: Format, input: &str, options: &ReadOptions) -> Conversion {
    match format {
        Format::Json => json::read(input, &options.json),
        #[cfg(feature = "markdown")]
        Format::Markdown => prodoc_markdown::read(input, &options.markdown),
        #[cfg(feature = "html")]
        Format::Html => prodoc_html::read(input, &options.html),
        #[cfg(feature = "text")]
        Format::Text => prodoc_text::read(input, &options.text),
    }
}

/// [`read`], handing the document's top-level blocks to `finished` as soon as the reader knows
/// them to be final: the Markdown reader about every 256 KiB of input, the HTML reader as its
/// walk of the parsed tree goes; the others hand out none (JSON's, the one that can fail, among
/// them). What `finished` leaves in the vector stays in the document, which holds the rest at
/// the end; when blocks were handed out, the document's own fields are the default. Made for
/// [`json::JsonWriter`], so that a document converted to JSON is never held whole:
///
/// ```
/// use prodoc::convert::{read_streaming, ReadOptions};
/// use prodoc::json::{JsonWriter, Style};
///
/// let markdown = "# Notes\n\nSome *text*.\n".repeat(10_000);
/// let mut out = Vec::new();
/// let mut writer = JsonWriter::new(Style::Compact, &mut out);
/// let rest = read_streaming(prodoc::Format::Markdown, &markdown, &ReadOptions::default(),
///     &mut |blocks| {
///         writer.blocks(blocks);
///         blocks.clear();
///     });
/// writer.finish(&rest.doc)?;
/// let whole = prodoc::convert::read(prodoc::Format::Markdown, &markdown, &ReadOptions::default());
/// assert!(rest.doc.content.len() < whole.doc.content.len());
/// assert_eq!(String::from_utf8(out).unwrap(), prodoc::json::to_string(&whole.doc));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn read_streaming(
    format: Format,
    input: &str,
    options: &ReadOptions,
    finished: prodoc_core::Finished<'_>,
) -> Conversion {
    #[cfg(not(any(feature = "markdown", feature = "html")))]
    let _ = finished;
    match format {
        #[cfg(feature = "markdown")]
        Format::Markdown => prodoc_markdown::read_streaming(input, &options.markdown, finished),
        #[cfg(feature = "html")]
        Format::Html => prodoc_html::read_streaming(input, &options.html, finished),
        _ => read(format, input, options),
    }
}

/// Writes `doc` as `format`, with a diagnostic for everything the format could not carry.
pub fn write(doc: &Doc, format: Format, options: &WriteOptions) -> Written {
    match format {
        Format::Json => json::write(doc, &options.json),
        #[cfg(feature = "markdown")]
        Format::Markdown => prodoc_markdown::write(doc, &options.markdown),
        #[cfg(feature = "html")]
        Format::Html => prodoc_html::write(doc, &options.html),
        #[cfg(feature = "text")]
        Format::Text => prodoc_text::write(doc, &options.text),
    }
}

/// What [`convert`] gives.
#[derive(Clone, Debug, Default)]
pub struct Converted {
    /// The output; `None` when the input could not be read.
    pub text: Option<String>,
    /// What reading and writing had to say, reading's first.
    pub diagnostics: Vec<Diagnostic>,
    /// Fields the input carried beside the document (front matter, an HTML title).
    pub metadata: serde_json::Map<String, serde_json::Value>,
}

impl Converted {
    /// Whether the input could not be read (an error diagnostic says why).
    pub fn failed(&self) -> bool {
        self.text.is_none()
    }
}

/// Reads `input` as `from` and writes the document as `to`.
pub fn convert(
    input: &str,
    from: Format,
    to: Format,
    read_options: &ReadOptions,
    write_options: &WriteOptions,
) -> Converted {
    let conversion = read(from, input, read_options);
    if conversion.failed() {
        return Converted {
            text: None,
            diagnostics: conversion.diagnostics,
            metadata: conversion.metadata,
        };
    }
    let written = write(&conversion.doc, to, write_options);
    let mut diagnostics = conversion.diagnostics;
    diagnostics.extend(written.diagnostics);
    Converted {
        text: Some(written.text),
        diagnostics,
        metadata: conversion.metadata,
    }
}

#[cfg(all(test, feature = "markdown", feature = "html"))]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn names_and_extensions() {
        for format in Format::ALL {
            assert_eq!(format.extension().parse::<Format>(), Ok(*format));
        }
        assert_eq!("MARKDOWN".parse::<Format>(), Ok(Format::Markdown));
        assert_eq!(Format::from_path(Path::new("a/b.HTM")), Some(Format::Html));
        assert!("docx".parse::<Format>().is_err());
    }

    #[test]
    fn converts_and_fails_only_on_unreadable_input() {
        let converted = convert(
            "# Hi\n",
            Format::Markdown,
            Format::Html,
            &ReadOptions::default(),
            &WriteOptions::default(),
        );
        assert_eq!(converted.text.as_deref(), Some("<h1>Hi</h1>"));
        let failed = convert(
            "{",
            Format::Json,
            Format::Markdown,
            &ReadOptions::default(),
            &WriteOptions::default(),
        );
        assert!(failed.failed());
        assert_eq!(failed.diagnostics[0].code, prodoc_core::codes::INVALID_JSON);
    }
}
