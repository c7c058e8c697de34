//! Everything converted and validated locally, before the first request.

use super::plan::Plan;
use crate::Error;
use prodoc_core::{Block, Diagnostic, Doc, Inline, Mark, NodeRef, Paragraph};

/// The codes of the pipeline's own diagnostics. Codes are stable: tools may match on them.
pub mod codes {
    /// An image or file points at a local file, which this version does not upload: the page
    /// shows a broken reference until the file is put somewhere reachable.
    pub const LOCAL_FILE_NOT_UPLOADED: &str = "local-file-not-uploaded";
    /// A link points at another Markdown file; it is sent as written, not as a page link.
    pub const FILE_LINK_KEPT: &str = "file-link-kept";
}

/// Whether a reference is a local path rather than an address a browser can fetch.
fn is_local(reference: &str) -> bool {
    let lower = reference.trim().to_ascii_lowercase();
    !(lower.is_empty()
        || lower.starts_with('#')
        || lower.starts_with("//")
        || lower.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }))
}

/// Warnings for what the upload cannot carry as meant: local images and files, links to other
/// Markdown files.
fn reference_warnings(doc: &Doc) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for visit in doc.walk() {
        let pointer = visit.pointer.to_string();
        match visit.node {
            NodeRef::Inline(Inline::Image(image)) if is_local(&image.src) => {
                warnings.push(Diagnostic::warning_at(
                    pointer,
                    codes::LOCAL_FILE_NOT_UPLOADED,
                    format!("found the local image {}, expected an address: attachments are not uploaded", image.src),
                ));
            }
            NodeRef::Inline(Inline::File(file)) if is_local(&file.url) => {
                warnings.push(Diagnostic::warning_at(
                    pointer,
                    codes::LOCAL_FILE_NOT_UPLOADED,
                    format!("found the local file {}, expected an address: attachments are not uploaded", file.url),
                ));
            }
            NodeRef::Inline(Inline::Text(text)) => {
                for mark in &text.marks {
                    if let Mark::Link(link) = mark {
                        let path = link.href.split(['#', '?']).next().unwrap_or("");
                        let lower = path.to_ascii_lowercase();
                        if is_local(&link.href)
                            && (lower.ends_with(".md") || lower.ends_with(".markdown"))
                        {
                            warnings.push(Diagnostic::warning_at(
                                pointer.clone(),
                                codes::FILE_LINK_KEPT,
                                format!("found a link to {}, sent as written: links between imported files are not rewritten to page links", link.href),
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    warnings
}

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
        if problem.is_none() {
            for warning in reference_warnings(&doc) {
                converted.warnings.push((node.key.clone(), warning));
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn local_references() {
        for local in ["img.png", "./a/b.md", "../x.pdf", "images/a.png", "a b.png"] {
            assert!(is_local(local), "{local}");
        }
        for remote in [
            "https://x.y/a.png",
            "mailto:a@b",
            "#top",
            "//cdn/x.png",
            "data:image/png;base64,AA",
            "",
        ] {
            assert!(!is_local(remote), "{remote}");
        }
    }
}
