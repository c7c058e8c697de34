//! Everything converted and validated locally, before the first request.

use super::plan::Plan;
use crate::Error;
use prodoc_core::{Block, Diagnostic, Doc, Inline, Mark, NodeRef, Paragraph};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use prodoc::convert::{ReadOptions, WriteOptions};
use prodoc::Format;
use prodoc_core::codes;
use prodoc_core::shared::url::is_local_reference;

use super::profile::outside_markdown_profile;

/// Removes `.` and resolves `..` without touching the file system, so that two spellings of
/// one path compare equal.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Every page's source paths (its file; a folder page's folder and index file) to its key.
fn page_paths(plan: &Plan) -> BTreeMap<PathBuf, String> {
    let mut paths = BTreeMap::new();
    for node in &plan.nodes {
        if let Some(source) = &node.source {
            paths.insert(normalize(source), node.key.clone());
        }
        if node.key == "." {
            paths.insert(normalize(&plan.root), node.key.clone());
        } else if node.key.ends_with('/') {
            paths.insert(normalize(&plan.root.join(&node.key)), node.key.clone());
        }
    }
    paths
}

/// Links to other imported Markdown files (which become page mentions), and warnings for links
/// to Markdown files that are not imported or that the transport cannot turn into mentions.
fn find_links(
    doc: &Doc,
    base: &Path,
    transport: Transport,
    paths: &BTreeMap<PathBuf, String>,
) -> (Vec<PageLink>, Vec<Diagnostic>) {
    let mut links: Vec<PageLink> = Vec::new();
    let mut warnings = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for visit in doc.walk() {
        let NodeRef::Inline(Inline::Text(text)) = visit.node else {
            continue;
        };
        for mark in &text.marks {
            let Mark::Link(link) = mark else { continue };
            // One finding per link target, however many text nodes the link spans.
            if !is_local_reference(&link.href) || !seen.insert(link.href.clone()) {
                continue;
            }
            let path = link.href.split(['#', '?']).next().unwrap_or("");
            let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            let target = paths.get(&normalize(&base.join(decoded.as_ref())));
            let lower = path.to_ascii_lowercase();
            let to_markdown = lower.ends_with(".md") || lower.ends_with(".markdown");
            let warning = match (target, transport) {
                (Some(target), Transport::Html | Transport::Body) => {
                    links.push(PageLink {
                        href: link.href.clone(),
                        target: target.clone(),
                    });
                    None
                }
                (Some(_), Transport::Markdown) => Some(format!(
                    "found a link to the imported file {}, sent as written: Markdown cannot \
                     carry a page mention (use the html or body transport)",
                    link.href
                )),
                (None, _) if to_markdown => Some(format!(
                    "found a link to {}, which is not imported; sent as written",
                    link.href
                )),
                (None, _) => None,
            };
            if let Some(message) = warning {
                warnings.push(Diagnostic::warning_at(
                    visit.pointer.to_string(),
                    codes::FILE_LINK_KEPT,
                    message,
                ));
            }
        }
    }
    (links, warnings)
}

/// A link from one imported file to another, sent as a page mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    /// The link's `href` as written.
    pub href: String,
    /// The key of the page it points at.
    pub target: String,
}

/// The document with the links in `targets` (href, page id) turned into page mentions; a run
/// of text nodes under one link becomes one mention labelled with their text.
pub(crate) fn with_page_links(doc: &Doc, targets: &[(String, String)]) -> Doc {
    if targets.is_empty() {
        return doc.clone();
    }
    let Ok(mut value) = prodoc_core::json::to_value(doc) else {
        return doc.clone();
    };
    let href_of = |node: &serde_json::Value| -> Option<String> {
        if node.get("type")?.as_str()? != "text" {
            return None;
        }
        node.get("marks")?.as_array()?.iter().find_map(|mark| {
            (mark.get("type")?.as_str()? == "link")
                .then(|| mark.pointer("/attrs/href")?.as_str().map(str::to_owned))
                .flatten()
        })
    };
    let mut stack = vec![&mut value];
    while let Some(value) = stack.pop() {
        let map = match value {
            serde_json::Value::Object(map) => map,
            serde_json::Value::Array(items) => {
                stack.extend(items.iter_mut());
                continue;
            }
            _ => continue,
        };
        if let Some(serde_json::Value::Array(items)) = map.get_mut("content") {
            let mut rewritten: Vec<serde_json::Value> = Vec::with_capacity(items.len());
            let mut run: Option<(String, String)> = None; // (href, label)
            let flush = |run: &mut Option<(String, String)>, out: &mut Vec<serde_json::Value>| {
                if let Some((href, label)) = run.take() {
                    if let Some((_, id)) = targets.iter().find(|(h, _)| *h == href) {
                        let mention = prodoc_core::build::mention(
                            prodoc_core::MentionKind::Page,
                            id.clone(),
                            label,
                        );
                        let doc =
                            prodoc_core::build::doc(vec![prodoc_core::build::p(vec![mention])]);
                        if let Some(node) = prodoc_core::json::to_value(&doc)
                            .ok()
                            .and_then(|v| v.pointer("/content/0/content/0").cloned())
                        {
                            out.push(node);
                        }
                    }
                }
            };
            for item in std::mem::take(items) {
                let href = href_of(&item).filter(|h| targets.iter().any(|(t, _)| t == h));
                match href {
                    Some(href) => {
                        let text = item
                            .get("text")
                            .and_then(|t| t.as_str())
                            .unwrap_or("")
                            .to_owned();
                        match &mut run {
                            Some((current, label)) if *current == href => label.push_str(&text),
                            _ => {
                                flush(&mut run, &mut rewritten);
                                run = Some((href, text));
                            }
                        }
                    }
                    None => {
                        flush(&mut run, &mut rewritten);
                        rewritten.push(item);
                    }
                }
            }
            flush(&mut run, &mut rewritten);
            *items = rewritten;
        }
        stack.extend(map.values_mut());
    }
    prodoc_core::json::read_str(&value.to_string(), &prodoc_core::ReadOptions::lenient())
        .map_or_else(|_| doc.clone(), |read| read.doc)
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
    /// The Markdown sent to `create_with_markdown` (and the Markdown transport's writes): the
    /// document, or only its text when [`PageUpload::needs_html`].
    pub markdown: String,
    /// The document in Productive's HTML dialect, for the HTML transport.
    pub html: Option<String>,
    /// Whether Markdown cannot carry the document (outside the endpoint's profile, see
    /// [`super::outside_markdown_profile`], or lossy), so that a create (of its text only) must
    /// be followed by `replace_body_with_html`.
    pub needs_html: bool,
    /// The document's compact JSON, for the body transport.
    pub body: Option<String>,
    /// A hash of everything sent (transport, title, place, content, local files): a change
    /// means an update.
    pub hash: String,
    /// A hash of the body alone (transport, content, local files): when only the title
    /// changed, only the title is written.
    pub body_hash: String,
    /// The document is empty (one empty paragraph): the Markdown endpoints refuse an empty
    /// text, so it is created as the empty document and replaced as HTML.
    pub empty: bool,
    /// Local images and files the document refers to, uploaded as attachments before the page
    /// is written; their references are then replaced by the attachments' addresses.
    pub assets: Vec<Asset>,
    /// Links to other imported files, sent as page mentions once the target pages exist
    /// (HTML and body transports).
    pub links: Vec<PageLink>,
}

/// A local file a document refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The reference as written in the document (`image.src` or `file.url`).
    pub reference: String,
    /// The file.
    pub path: PathBuf,
    /// Its path relative to the import root, with `/`: the state file's key for it.
    pub key: String,
    /// The file name.
    pub name: String,
    /// The content type, from the extension.
    pub content_type: String,
    /// The size in bytes.
    pub size: u64,
    /// A hash of the content: a change means a new upload.
    pub hash: String,
    /// An image shown in the body (`inline`) rather than a file (`attachment`).
    pub inline: bool,
}

/// The payloads of one document for one transport.
pub(crate) struct Rendered {
    pub markdown: String,
    pub html: Option<String>,
    pub body: Option<String>,
    pub needs_html: bool,
    pub empty: bool,
    pub warnings: Vec<Diagnostic>,
}

/// Whether a document is Productive's empty page: one empty paragraph.
pub(crate) fn is_empty(doc: &Doc) -> bool {
    doc.content.len() == 1
        && matches!(doc.content.first(), Some(Block::Paragraph(p)) if *p == Paragraph::default())
}

/// Writes the payloads `transport` needs, and whether Markdown alone would lose something
/// (the writer reported a fallback, or reading its output back gives another document).
pub(crate) fn render(doc: &Doc, transport: Transport) -> Rendered {
    let mut warnings = Vec::new();
    // An empty page has no Markdown (the endpoints refuse an empty text): it is created as the
    // empty document and its body replaced as HTML, whatever the transport.
    let empty = is_empty(doc);
    let written = if empty {
        prodoc_core::Written::default()
    } else {
        prodoc::convert::write(doc, Format::Markdown, &WriteOptions::default())
    };
    let markdown = written.text.clone();
    let lossy_markdown = !written.diagnostics.is_empty() || {
        let mut back =
            prodoc::convert::read(Format::Markdown, &markdown, &ReadOptions::default()).doc;
        // An empty page reads back as no blocks; the API stores it as one empty paragraph.
        if back.content.is_empty() {
            back.content.push(Block::Paragraph(Paragraph::default()));
        }
        back != *doc
    };
    // Markdown alone can carry the document only when the endpoint's profile covers it and
    // prodoc's writer lost nothing.
    let needs_html = transport == Transport::Html
        && !empty
        && (lossy_markdown || outside_markdown_profile(doc).is_some());
    // Such a document is created with its text only, in the profile, and its body replaced as
    // HTML right after: nothing outside the profile (a `@[…]` mention, a banner's `> [!…]`)
    // ever reaches the Markdown endpoint to be shown as literal text.
    let markdown = if needs_html {
        interim_markdown(doc)
    } else {
        markdown
    };
    let (html, body) = match transport {
        Transport::Html => {
            let html = prodoc::convert::write(doc, Format::Html, &WriteOptions::default());
            warnings.extend(html.diagnostics);
            (Some(html.text), None)
        }
        Transport::Markdown => {
            warnings.extend(written.diagnostics);
            let html = empty
                .then(|| prodoc::convert::write(doc, Format::Html, &WriteOptions::default()).text);
            (html, None)
        }
        Transport::Body => (None, Some(prodoc_core::json::to_string(doc))),
    };
    Rendered {
        markdown,
        html,
        body,
        needs_html,
        empty,
        warnings,
    }
}

/// The Markdown a page outside the profile is created with: its text as plain paragraphs
/// (escaped by the writer), replaced by the HTML body at once.
fn interim_markdown(doc: &Doc) -> String {
    let mut paragraphs: Vec<Block> = doc
        .plain_text()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| prodoc_core::build::p([prodoc_core::build::text(line)]))
        .collect();
    if paragraphs.is_empty() {
        paragraphs.push(prodoc_core::build::p([prodoc_core::build::text(
            "\u{2026}",
        )]));
    }
    let interim = prodoc_core::build::doc(paragraphs);
    prodoc::convert::write(&interim, Format::Markdown, &WriteOptions::default()).text
}

fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// The local files a document refers to that exist (as assets), and warnings for those that
/// do not and for links to other Markdown files.
fn find_assets(doc: &Doc, base: &Path, root: &Path) -> (Vec<Asset>, Vec<Diagnostic>) {
    let mut assets: Vec<Asset> = Vec::new();
    let mut warnings = Vec::new();
    let mut local = |reference: &str, inline: bool, pointer: String| {
        if assets.iter().any(|a| a.reference == reference) {
            return;
        }
        let decoded =
            percent_encoding::percent_decode_str(reference.split(['#', '?']).next().unwrap_or(""))
                .decode_utf8_lossy()
                .into_owned();
        // Normalised, so that `ops/../images/logo.png` and `images/logo.png` are one file.
        let path = normalize(&base.join(&decoded));
        match std::fs::read(&path) {
            Ok(bytes) if path.is_file() => {
                let key = path
                    .strip_prefix(normalize(root))
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                assets.push(Asset {
                    reference: reference.to_owned(),
                    name: path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    content_type: content_type(&path).to_owned(),
                    size: bytes.len() as u64,
                    hash: fnv_bytes(&bytes),
                    inline,
                    key,
                    path,
                });
            }
            _ => warnings.push(Diagnostic::warning_at(
                pointer,
                codes::LOCAL_FILE_NOT_FOUND,
                format!("found a reference to the local file {reference}, which does not exist; sent as written"),
            )),
        }
    };
    for visit in doc.walk() {
        let pointer = visit.pointer.to_string();
        match visit.node {
            NodeRef::Inline(Inline::Image(image)) if is_local_reference(&image.src) => {
                local(&image.src, true, pointer);
            }
            NodeRef::Inline(Inline::File(file)) if is_local_reference(&file.url) => {
                local(&file.url, false, pointer);
            }
            _ => {}
        }
    }
    (assets, warnings)
}

/// FNV-1a over bytes.
fn fnv_bytes(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The document with local references replaced by uploaded addresses.
pub(crate) fn with_addresses(doc: &Doc, addresses: &[(String, String)]) -> Doc {
    let Ok(mut value) = prodoc_core::json::to_value(doc) else {
        return doc.clone();
    };
    let mut stack = vec![&mut value];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::Object(map) => {
                let field = match map.get("type").and_then(|t| t.as_str()) {
                    Some("image") => Some("src"),
                    Some("file") => Some("url"),
                    _ => None,
                };
                if let Some(field) = field {
                    if let Some(serde_json::Value::Object(attrs)) = map.get_mut("attrs") {
                        let current = attrs.get(field).and_then(|v| v.as_str()).unwrap_or("");
                        if let Some((_, address)) = addresses.iter().find(|(r, _)| r == current) {
                            attrs.insert(
                                field.to_owned(),
                                serde_json::Value::String(address.clone()),
                            );
                        }
                    }
                }
                stack.extend(map.values_mut());
            }
            serde_json::Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
    prodoc_core::json::read_str(&value.to_string(), &prodoc_core::ReadOptions::lenient())
        .map_or_else(|_| doc.clone(), |read| read.doc)
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
    let paths = page_paths(plan);
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
        let mut assets = Vec::new();
        let mut links = Vec::new();
        if problem.is_none() {
            let base = node
                .source
                .as_deref()
                .and_then(Path::parent)
                .unwrap_or(&plan.root);
            let found = find_assets(&doc, base, &plan.root);
            assets = found.0;
            for warning in found.1 {
                converted.warnings.push((node.key.clone(), warning));
            }
            let found = find_links(&doc, base, transport, &paths);
            links = found.0;
            for warning in found.1 {
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
        let rendered = render(&doc, transport);
        converted
            .warnings
            .extend(rendered.warnings.into_iter().map(|d| (node.key.clone(), d)));
        let (markdown, html, body, needs_html, empty) = (
            rendered.markdown,
            rendered.html,
            rendered.body,
            rendered.needs_html,
            rendered.empty,
        );
        let payload = match transport {
            Transport::Html => html.as_deref().unwrap_or(""),
            Transport::Markdown => markdown.as_str(),
            Transport::Body => body.as_deref().unwrap_or(""),
        };
        let mut parts = vec![
            transport.name(),
            &node.title,
            parent_key.as_deref().unwrap_or(""),
            payload,
        ];
        parts.extend(assets.iter().map(|a| a.hash.as_str()));
        let hash = fnv(&parts);
        let mut body_parts = vec![transport.name(), payload];
        body_parts.extend(assets.iter().map(|a| a.hash.as_str()));
        let body_hash = fnv(&body_parts);
        converted.pages.push(PageUpload {
            key: node.key.clone(),
            parent_key,
            title: node.title.clone(),
            doc,
            markdown,
            html,
            needs_html,
            body,
            hash,
            body_hash,
            empty,
            assets,
            links,
        });
    }
    Ok(converted)
}

#[cfg(test)]
mod link_tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn links_become_mentions() {
        let doc = prodoc::markdown::read("See [**A** b](a.md) x.\n", &Default::default()).doc;
        let out = with_page_links(&doc, &[("a.md".to_owned(), "7".to_owned())]);
        let json = prodoc_core::json::to_string(&out);
        assert_eq!(
            json,
            r#"{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"See "},{"type":"mention","attrs":{"id":"7","type":"page","label":"A b"},"content":[{"type":"text","text":"A b"}]},{"type":"text","text":" x."}]}]}"#
        );
    }
}
