//! From a file or folder to the pages to make.

use crate::Error;
use prodoc_core::{Block, Diagnostic, Doc, Inline};
use std::cmp::Ordering;
use std::path::{Path, PathBuf};

/// The pages an import makes, parents before children, siblings in natural file-name order
/// (`2-build` before `10-deploy`) unless front matter `order:` says otherwise: Productive shows
/// pages in the order they were made.
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

/// A Markdown file read: its title, document, diagnostics and front matter `order`.
struct Source {
    title: String,
    doc: Doc,
    diagnostics: Vec<Diagnostic>,
    order: Option<f64>,
}

/// Front matter `order:` (a number, or a string holding one): where the page goes among its
/// siblings. Anything else is an error naming the file: a page silently out of place would be
/// found late.
fn order_of(
    path: &Path,
    metadata: &serde_json::Map<String, serde_json::Value>,
) -> Result<Option<f64>, Error> {
    let Some(value) = metadata.get("order") else {
        return Ok(None);
    };
    let number = match value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match number.filter(|n| n.is_finite()) {
        Some(n) => Ok(Some(n)),
        None => Err(Error::Config(format!(
            "{}: front matter order: {value} is not a number",
            path.display()
        ))),
    }
}

/// Names as people read them: runs of digits by their value, the rest character by character
/// (`2-build` before `10-deploy`); equal so far, by the plain order.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let digits = |it: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                    let mut run = String::new();
                    while let Some(c) = it.next_if(char::is_ascii_digit) {
                        run.push(c);
                    }
                    run
                };
                let (m, n) = (digits(&mut x), digits(&mut y));
                let (m, n) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let by_value = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
                if by_value != Ordering::Equal {
                    return by_value;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
}

/// Siblings: those with front matter `order` first, by it; then the others; each by natural
/// name order.
fn sibling_cmp(a: (Option<f64>, &str), b: (Option<f64>, &str)) -> Ordering {
    let by_order = match (a.0, b.0) {
        (Some(m), Some(n)) => m.total_cmp(&n),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    by_order.then_with(|| natural_cmp(a.1, b.1))
}

/// Reads a Markdown file and settles its title.
fn read_source(path: &Path, fallback: &str) -> Result<Source, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
    let read = prodoc::convert::read(
        prodoc::Format::Markdown,
        &text,
        &prodoc::convert::ReadOptions::default(),
    );
    let mut doc = read.doc;
    let order = order_of(path, &read.metadata)?;
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
    Ok(Source {
        title,
        doc,
        diagnostics: read.diagnostics,
        order,
    })
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

/// A folder's page, with its body from `index.md` (or `README.md`) when there is one, the
/// index file, and its front matter `order`.
fn folder_node(
    dir: &Path,
    key: String,
    name: String,
    parent: Option<usize>,
) -> Result<(PlanNode, Option<PathBuf>, Option<f64>), Error> {
    let index = list(dir)?
        .into_iter()
        .filter(|(name, _, is_dir)| !is_dir && index_rank(name).is_some())
        .min_by_key(|(name, _, _)| index_rank(name))
        .map(|(_, path, _)| path);
    let source = match &index {
        Some(index) => read_source(index, &name)?,
        None => Source {
            title: name,
            doc: Doc::default(),
            diagnostics: Vec::new(),
            order: None,
        },
    };
    let node = PlanNode {
        key,
        source: index.clone(),
        title: source.title,
        doc: source.doc,
        diagnostics: source.diagnostics,
        parent,
    };
    Ok((node, index, source.order))
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
/// subpages mirror the tree (files and subfolders in natural name order or front matter
/// `order`, hidden entries and
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
        let source = read_source(path, &stem_of(path))?;
        plan.nodes.push(PlanNode {
            key: name_of(path),
            source: Some(path.to_path_buf()),
            title: source.title,
            doc: source.doc,
            diagnostics: source.diagnostics,
            parent: None,
        });
        return Ok(plan);
    }
    let root_name = name_of(&std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()));
    let (root_node, root_index, _) = folder_node(path, ".".to_owned(), root_name, None)?;
    plan.nodes.push(root_node);
    // An explicit stack of (folder, its index file, its key, its node): no recursion over the
    // tree. A folder's page is placed among its siblings ([`sibling_cmp`]); its content is
    // planned later, which keeps parents before children.
    let mut stack: Vec<(PathBuf, Option<PathBuf>, String, usize)> =
        vec![(path.to_path_buf(), root_index, ".".to_owned(), 0)];
    while let Some((dir, index, key, me)) = stack.pop() {
        let prefix = if key == "." {
            String::new()
        } else {
            key.clone()
        };
        // (order, name, node, for a folder: its path and index file)
        type Sibling = (
            Option<f64>,
            String,
            PlanNode,
            Option<(PathBuf, Option<PathBuf>)>,
        );
        let mut siblings: Vec<Sibling> = Vec::new();
        for (name, path, is_dir) in list(&dir)? {
            if is_dir {
                let (node, index, order) =
                    folder_node(&path, format!("{prefix}{name}/"), name.clone(), Some(me))?;
                siblings.push((order, name, node, Some((path, index))));
            } else if Some(&path) == index.as_ref() {
                continue;
            } else if is_markdown(&path) {
                let source = read_source(&path, &stem_of(&path))?;
                let node = PlanNode {
                    key: format!("{prefix}{name}"),
                    source: Some(path),
                    title: source.title,
                    doc: source.doc,
                    diagnostics: source.diagnostics,
                    parent: Some(me),
                };
                siblings.push((source.order, name, node, None));
            } else {
                plan.skipped.push(path);
            }
        }
        siblings.sort_by(|a, b| sibling_cmp((a.0, &a.1), (b.0, &b.1)));
        let mut subfolders = Vec::new();
        for (_, _, node, folder) in siblings {
            if let Some((path, index)) = folder {
                subfolders.push((path, index, node.key.clone(), plan.nodes.len()));
            }
            plan.nodes.push(node);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_natural_order() {
        let mut names = [
            "10-deploy",
            "2-build",
            "1-intro",
            "02-extra",
            "b",
            "a10",
            "a9",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            [
                "1-intro",
                "2-build",
                "02-extra",
                "10-deploy",
                "a9",
                "a10",
                "b"
            ]
        );
    }
}
