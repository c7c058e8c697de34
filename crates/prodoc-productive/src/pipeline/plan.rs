//! From a file or folder to the pages to make.

use crate::Error;
use prodoc_core::{Block, Diagnostic, Doc, Inline};
use std::path::{Path, PathBuf};

/// The pages an import makes, parents before children, siblings in file-name order.
#[derive(Debug)]
pub struct Plan {
    /// What was given: a Markdown file or a folder.
    pub root: PathBuf,
    /// One entry per page, in creation order.
    pub nodes: Vec<PlanNode>,
    /// Files in the tree that are not Markdown: no page is made for them. Those that a document
    /// refers to (images, files) are uploaded as attachments of that page.
    pub skipped: Vec<PathBuf>,
}

/// One page to make.
#[derive(Debug)]
pub struct PlanNode {
    /// Its stable key, the path relative to the root with `/` separators: `guide/intro.md` for
    /// a file, `guide/` for a folder, `.` for the root folder, the file name for a single file.
    /// The state file is keyed by it.
    pub key: String,
    /// The file its body comes from: the Markdown file, or a folder's `index.md`/`README.md`.
    pub source: Option<PathBuf>,
    /// The page title: front matter `title`, else the first level-1 heading (then removed from
    /// the body), else the file or folder name.
    pub title: String,
    /// The document read from `source` (empty for a folder without an index file).
    pub doc: Doc,
    /// What the Markdown reader reported, with line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// The parent's index in [`Plan::nodes`]; `None` for the top page.
    pub parent: Option<usize>,
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

fn index_rank(name: &str) -> Option<u8> {
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "index.md" | "index.markdown" => Some(0),
        "readme.md" | "readme.markdown" => Some(1),
        _ => None,
    }
}

fn plain_text(content: &[Inline]) -> String {
    content
        .iter()
        .filter_map(|inline| match inline {
            Inline::Text(text) => Some(text.text.as_str()),
            Inline::HardBreak(_) => Some(" "),
            _ => None,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Reads a Markdown file and settles its title.
fn read_source(path: &Path, fallback: &str) -> Result<(String, Doc, Vec<Diagnostic>), Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
    let read = prodoc::convert::read(
        prodoc::Format::Markdown,
        &text,
        &prodoc::convert::ReadOptions::default(),
    );
    let mut doc = read.doc;
    let front = read
        .metadata
        .get("title")
        .and_then(|t| t.as_str())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    let title = match front {
        Some(title) => title,
        None => {
            let h1 = doc.content.iter().position(
                |block| matches!(block, Block::Heading(h) if h.level.get() == 1 && !plain_text(&h.content).is_empty()),
            );
            match h1.map(|i| doc.content.remove(i)) {
                Some(Block::Heading(heading)) => plain_text(&heading.content),
                _ => fallback.to_owned(),
            }
        }
    };
    Ok((title, doc, read.diagnostics))
}

/// A folder's entries in name order, hidden ones left out: (name, path, is a folder).
fn list(dir: &Path) -> Result<Vec<(String, PathBuf, bool)>, Error> {
    let mut entries = Vec::new();
    let listing = std::fs::read_dir(dir).map_err(|e| Error::io(dir, &e))?;
    for entry in listing {
        let entry = entry.map_err(|e| Error::io(dir, &e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let file_type = entry.file_type().map_err(|e| Error::io(entry.path(), &e))?;
        entries.push((name, entry.path(), file_type.is_dir()));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

/// A folder's page, with its body from `index.md` (or `README.md`) when there is one.
fn folder_node(
    dir: &Path,
    key: String,
    name: String,
    parent: Option<usize>,
) -> Result<(PlanNode, Option<PathBuf>), Error> {
    let index = list(dir)?
        .into_iter()
        .filter(|(name, _, is_dir)| !is_dir && index_rank(name).is_some())
        .min_by_key(|(name, _, _)| index_rank(name))
        .map(|(_, path, _)| path);
    let (title, doc, diagnostics) = match &index {
        Some(index) => read_source(index, &name)?,
        None => (name, Doc::default(), Vec::new()),
    };
    let node = PlanNode {
        key,
        source: index.clone(),
        title,
        doc,
        diagnostics,
        parent,
    };
    Ok((node, index))
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Plans the import of `path`: a Markdown file becomes one page; a folder becomes a page whose
/// subpages mirror the tree (files and subfolders in file-name order, hidden entries and
/// folders without Markdown left out), with `index.md` (or `README.md`) as the folder page's
/// body.
pub fn plan(path: &Path) -> Result<Plan, Error> {
    let metadata = std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
    let mut plan = Plan {
        root: path.to_path_buf(),
        nodes: Vec::new(),
        skipped: Vec::new(),
    };
    if metadata.is_file() {
        let (title, doc, diagnostics) = read_source(path, &stem_of(path))?;
        plan.nodes.push(PlanNode {
            key: name_of(path),
            source: Some(path.to_path_buf()),
            title,
            doc,
            diagnostics,
            parent: None,
        });
        return Ok(plan);
    }
    let root_name = name_of(&std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()));
    let (root_node, root_index) = folder_node(path, ".".to_owned(), root_name, None)?;
    plan.nodes.push(root_node);
    // An explicit stack of (folder, its index file, its key, its node): no recursion over the
    // tree. A folder's page is placed among its siblings in name order; its content is planned
    // later, which keeps parents before children.
    let mut stack: Vec<(PathBuf, Option<PathBuf>, String, usize)> =
        vec![(path.to_path_buf(), root_index, ".".to_owned(), 0)];
    while let Some((dir, index, key, me)) = stack.pop() {
        let prefix = if key == "." {
            String::new()
        } else {
            key.clone()
        };
        let mut subfolders = Vec::new();
        for (name, path, is_dir) in list(&dir)? {
            if is_dir {
                let (node, index) =
                    folder_node(&path, format!("{prefix}{name}/"), name.clone(), Some(me))?;
                let at = plan.nodes.len();
                subfolders.push((path, index, node.key.clone(), at));
                plan.nodes.push(node);
            } else if Some(&path) == index.as_ref() {
                continue;
            } else if is_markdown(&path) {
                let (title, doc, diagnostics) = read_source(&path, &stem_of(&path))?;
                plan.nodes.push(PlanNode {
                    key: format!("{prefix}{name}"),
                    source: Some(path),
                    title,
                    doc,
                    diagnostics,
                    parent: Some(me),
                });
            } else {
                plan.skipped.push(path);
            }
        }
        stack.extend(subfolders.into_iter().rev());
    }
    prune_empty_folders(&mut plan);
    Ok(plan)
}

/// Drops folder pages with no Markdown below them (an `images/` folder, say).
fn prune_empty_folders(plan: &mut Plan) {
    let count = plan.nodes.len();
    let mut keep = vec![false; count];
    // Children come after their parents, so one backward pass carries "has content" upwards.
    for i in (0..count).rev() {
        let Some(node) = plan.nodes.get(i) else {
            continue;
        };
        let has_own = node.source.is_some();
        let wanted = has_own || keep.get(i).copied().unwrap_or(false) || node.parent.is_none();
        if let Some(k) = keep.get_mut(i) {
            *k = wanted;
        }
        if wanted {
            if let Some(k) = node.parent.and_then(|p| keep.get_mut(p)) {
                *k = true;
            }
        }
    }
    let mut new_index = vec![None; count];
    let mut kept = Vec::new();
    for (i, mut node) in std::mem::take(&mut plan.nodes).into_iter().enumerate() {
        if !keep.get(i).copied().unwrap_or(false) {
            continue;
        }
        node.parent = node
            .parent
            .and_then(|p| new_index.get(p).copied().flatten());
        if let Some(slot) = new_index.get_mut(i) {
            *slot = Some(kept.len());
        }
        kept.push(node);
    }
    plan.nodes = kept;
}
