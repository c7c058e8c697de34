//! Everything converted and validated locally, before the first request.

use super::plan::Plan;
use crate::Error;
use prodoc_core::{Block, Diagnostic, Doc, Paragraph};

/// How page bodies travel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Transport {
    /// `create_with_markdown`, then `replace_body_with_html` when Markdown alone cannot carry
    /// the document; updates go through `replace_body_with_html`. The default: both endpoints
    /// go through the real-time layer, and HTML reaches every node type.
    #[default]
    Html,
    /// `create_with_markdown` and `replace_body_with_markdown` only; what Markdown cannot carry
    /// is reported as a warning.
    Markdown,
    /// The older `POST`/`PATCH /pages` with the document as a JSON string: exact, but not safe
    /// while someone edits the page in the browser.
    Body,
}

impl Transport {
    fn name(self) -> &'static str {
        match self {
            Self::Html => "html",
            Self::Markdown => "markdown",
            Self::Body => "body",
        }
    }
}

/// A page ready to send.
#[derive(Debug, Clone)]
pub struct PageUpload {
    /// The plan key (see [`super::PlanNode::key`]).
    pub key: String,
    /// The parent's key, `None` for the top page.
    pub parent_key: Option<String>,
    /// The title.
    pub title: String,
    /// The document meant to end up on the page.
    pub doc: Doc,
    /// The document as Markdown, for `create_with_markdown` (and the Markdown transport).
    pub markdown: String,
    /// The document in Productive's HTML dialect, for the HTML transport.
    pub html: Option<String>,
    /// Whether Markdown alone loses something, so that a create must be followed by
    /// `replace_body_with_html`.
    pub needs_html: bool,
    /// The document's compact JSON, for the body transport.
    pub body: Option<String>,
    /// A hash of everything sent (transport, title, place, content): a change means an update.
    pub hash: String,
}

/// A source that could not be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The plan key.
    pub key: String,
    /// Why.
    pub message: String,
}

/// The result of [`convert`].
#[derive(Debug, Default)]
pub struct Converted {
    /// The transport the payloads were made for.
    pub transport: Transport,
    /// The pages, parents before children.
    pub pages: Vec<PageUpload>,
    /// Sources that failed (only with `keep_going`; otherwise the first failure is an error).
    pub failures: Vec<Failure>,
    /// Warnings by key: what the readers and writers reported.
    pub warnings: Vec<(String, Diagnostic)>,
}

impl Converted {
    /// Every key of the plan, converted or failed.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.pages
            .iter()
            .map(|p| p.key.as_str())
            .chain(self.failures.iter().map(|f| f.key.as_str()))
    }
}

/// FNV-1a, 64 bits: stable across Rust versions (unlike `DefaultHasher`), enough to notice
/// a change.
pub(crate) fn fnv(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Converts and validates every page of `plan` for `transport`. A document that does not
/// validate, or a reader error, stops with [`Error::Convert`] unless `keep_going`, which records
/// it in [`Converted::failures`] (and the pages below it fail with it).
pub fn convert(plan: &Plan, transport: Transport, keep_going: bool) -> Result<Converted, Error> {
    let mut converted = Converted {
        transport,
        ..Default::default()
    };
    let mut failed = vec![false; plan.nodes.len()];
    for (i, node) in plan.nodes.iter().enumerate() {
        let parent_key = node
            .parent
            .and_then(|p| plan.nodes.get(p))
            .map(|p| p.key.clone());
        let path = node.source.clone().unwrap_or_else(|| plan.root.clone());
        let parent_failed = node
            .parent
            .is_some_and(|p| failed.get(p).copied().unwrap_or(false));
        let mut problem = parent_failed.then(|| "its parent page failed".to_owned());
        let mut doc = node.doc.clone();
        if doc.content.is_empty() {
            // Productive's empty page is one empty paragraph; an empty `content` is not valid.
            doc.content.push(Block::Paragraph(Paragraph::default()));
        }
        for diagnostic in &node.diagnostics {
            if diagnostic.is_error() && problem.is_none() {
                problem = Some(diagnostic.to_string());
            }
            converted
                .warnings
                .push((node.key.clone(), diagnostic.clone()));
        }
        if problem.is_none() {
            let invalid: Vec<String> = prodoc_core::validate(&doc)
                .iter()
                .filter(|d| d.is_error())
                .map(ToString::to_string)
                .collect();
            if !invalid.is_empty() {
                problem = Some(format!("invalid document: {}", invalid.join("; ")));
            }
        }
        if let Some(message) = problem {
            if !keep_going {
                return Err(Error::Convert { path, message });
            }
            if let Some(f) = failed.get_mut(i) {
                *f = true;
            }
            converted.failures.push(Failure {
                key: node.key.clone(),
                message,
            });
            continue;
        }
        // An empty page is an empty Markdown text, which the API turns into one empty
        // paragraph; the writer would spell that paragraph as HTML.
        let empty = doc.content.len() == 1
            && matches!(doc.content.first(), Some(Block::Paragraph(p)) if *p == Paragraph::default());
        let written = if empty {
            prodoc_core::Written::default()
        } else {
            prodoc_markdown::write_report(&doc, &prodoc_markdown::WriteOptions::default())
        };
        let markdown = written.text.clone();
        let lossy_markdown = !written.diagnostics.is_empty() || {
            let mut back =
                prodoc_markdown::read(&markdown, &prodoc_markdown::ReadOptions::default()).doc;
            // An empty page reads back as no blocks; the API stores it as one empty paragraph.
            if back.content.is_empty() {
                back.content.push(Block::Paragraph(Paragraph::default()));
            }
            back != doc
        };
        let (html, body) = match transport {
            Transport::Html => {
                let options = prodoc_html::WriteOptions::default();
                let html = prodoc_html::write(&doc, &options);
                for diagnostic in html.diagnostics {
                    converted.warnings.push((node.key.clone(), diagnostic));
                }
                (Some(html.text), None)
            }
            Transport::Markdown => {
                for diagnostic in written.diagnostics {
                    converted.warnings.push((node.key.clone(), diagnostic));
                }
                (None, None)
            }
            Transport::Body => (None, Some(prodoc_core::write::to_string(&doc))),
        };
        let payload = match transport {
            Transport::Html => html.as_deref().unwrap_or(""),
            Transport::Markdown => markdown.as_str(),
            Transport::Body => body.as_deref().unwrap_or(""),
        };
        let hash = fnv(&[
            transport.name(),
            &node.title,
            parent_key.as_deref().unwrap_or(""),
            payload,
        ]);
        converted.pages.push(PageUpload {
            key: node.key.clone(),
            parent_key,
            title: node.title.clone(),
            doc,
            markdown,
            html,
            needs_html: transport == Transport::Html && lossy_markdown,
            body,
            hash,
        });
    }
    Ok(converted)
}
