//! Pages to a folder tree of Markdown, HTML or JSON.

use crate::resource::{Page, PageFilter};
use crate::{Client, Error};
use prodoc_core::Diagnostic;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Which pages to export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportRoot {
    /// Every page of a project.
    Project(String),
    /// A page and every page below it.
    Page(String),
}

/// The file format of exported pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportFormat {
    /// Markdown with the title in front matter (`.md`), which imports back to the same page.
    #[default]
    Markdown,
    /// Productive's HTML dialect (`.html`), which reaches every node type.
    Html,
    /// The document's JSON, pretty-printed (`.json`).
    Json,
}

impl ExportFormat {
    fn extension(self) -> &'static str {
        match self {
            Self::Markdown => "md",
            Self::Html => "html",
            Self::Json => "json",
        }
    }
}

/// What [`export`] wrote.
#[derive(Debug, Default)]
pub struct ExportReport {
    /// The files written, in page order.
    pub written: Vec<PathBuf>,
    /// What reading bodies and writing the format reported, by file.
    pub warnings: Vec<(PathBuf, Diagnostic)>,
}

/// How many parent ids go into one `filter[parent_page_id]` list.
const PARENTS_PER_REQUEST: usize = 50;

fn descendants(client: &Client, root: Page) -> Result<Vec<Page>, Error> {
    let mut pages = vec![root];
    let mut frontier: Vec<String> = pages.iter().map(|p| p.id.clone()).collect();
    let mut seen: BTreeSet<String> = frontier.iter().cloned().collect();
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for chunk in frontier.chunks(PARENTS_PER_REQUEST) {
            let filter = PageFilter {
                parent_page_id: Some(chunk.join(",")),
                ..Default::default()
            };
            for page in client.list_pages(&filter)? {
                if seen.insert(page.id.clone()) {
                    next.push(page.id.clone());
                    pages.push(page);
                }
            }
        }
        frontier = next;
    }
    Ok(pages)
}

/// Every page of a project: its Docs (the pages a `project_id` filter finds; subpages may
/// carry no project), then each Doc's pages at any depth by `root_page_id`.
fn project_pages(client: &Client, project: &str) -> Result<Vec<Page>, Error> {
    let docs: Vec<Page> = client
        .list_pages(&PageFilter {
            project_id: Some(project.to_owned()),
            ..Default::default()
        })?
        .into_iter()
        .filter(|page| page.parent_id().is_none())
        .collect();
    let mut seen: BTreeSet<String> = docs.iter().map(|p| p.id.clone()).collect();
    let mut pages = Vec::new();
    for doc in docs {
        let below = client.list_pages(&PageFilter {
            root_page_id: Some(doc.id.clone()),
            ..Default::default()
        })?;
        pages.push(doc);
        pages.extend(below.into_iter().filter(|p| seen.insert(p.id.clone())));
    }
    Ok(pages)
}

/// A file name from a title: path separators and control characters replaced, length capped.
fn file_name(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '-'
            } else {
                c
            }
        })
        .take(100)
        .collect();
    let trimmed = cleaned.trim().trim_matches('.').trim();
    if trimmed.is_empty() {
        "untitled".to_owned()
    } else {
        trimmed.to_owned()
    }
}

fn render(page: &Page, format: ExportFormat, warnings: &mut Vec<Diagnostic>) -> String {
    let body = page.attributes.body.clone().unwrap_or_default();
    let doc = match prodoc_core::json::read_str(&body, &prodoc_core::ReadOptions::lenient()) {
        Ok(read) => {
            warnings.extend(read.diagnostics);
            read.doc
        }
        Err(error) => {
            warnings.extend(error.diagnostics);
            prodoc_core::Doc::default()
        }
    };
    let options = prodoc::convert::WriteOptions {
        json: prodoc_core::json::WriteOptions {
            style: prodoc_core::json::Style::Pretty,
        },
        html: prodoc::html::WriteOptions {
            newlines: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let target = match format {
        ExportFormat::Json => prodoc::Format::Json,
        ExportFormat::Html => prodoc::Format::Html,
        ExportFormat::Markdown => prodoc::Format::Markdown,
    };
    let written = prodoc::convert::write(&doc, target, &options);
    warnings.extend(written.diagnostics);
    match format {
        ExportFormat::Json => written.text + "\n",
        ExportFormat::Html => written.text,
        ExportFormat::Markdown => {
            // A JSON string is a valid YAML double-quoted scalar.
            let title = serde_json::Value::String(page.title().to_owned());
            format!("---\ntitle: {title}\n---\n\n{}", written.text)
        }
    }
}

/// Exports pages to `out_dir`: a page with subpages becomes a folder holding `index.<ext>` and
/// its subpages; a page without becomes `<title>.<ext>`. Siblings with the same file name get
/// their page id appended.
pub fn export(
    client: &Client,
    root: &ExportRoot,
    out_dir: &Path,
    format: ExportFormat,
) -> Result<ExportReport, Error> {
    let pages = match root {
        ExportRoot::Project(project) => project_pages(client, project)?,
        ExportRoot::Page(id) => descendants(client, client.get_page(id)?)?,
    };
    let ids: BTreeSet<&str> = pages.iter().map(|p| p.id.as_str()).collect();
    let mut children: BTreeMap<Option<&str>, Vec<&Page>> = BTreeMap::new();
    for page in &pages {
        let parent = page.parent_id().filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(page);
    }
    let mut report = ExportReport::default();
    std::fs::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, &e))?;
    let extension = format.extension();
    let mut stack: Vec<(PathBuf, Option<&str>)> = vec![(out_dir.to_path_buf(), None)];
    while let Some((dir, parent)) = stack.pop() {
        let siblings = children.get(&parent).cloned().unwrap_or_default();
        let mut used = BTreeSet::new();
        for page in siblings {
            let mut name = file_name(page.title());
            if !used.insert(name.to_lowercase()) || name.eq_ignore_ascii_case("index") {
                name = format!("{name}-{}", page.id);
                used.insert(name.to_lowercase());
            }
            let has_children = children.contains_key(&Some(page.id.as_str()));
            let path = if has_children {
                let folder = dir.join(&name);
                std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, &e))?;
                stack.push((folder.clone(), Some(page.id.as_str())));
                folder.join(format!("index.{extension}"))
            } else {
                dir.join(format!("{name}.{extension}"))
            };
            let mut warnings = Vec::new();
            let text = render(page, format, &mut warnings);
            std::fs::write(&path, text).map_err(|e| Error::io(&path, &e))?;
            report
                .warnings
                .extend(warnings.into_iter().map(|w| (path.clone(), w)));
            report.written.push(path);
        }
    }
    Ok(report)
}
