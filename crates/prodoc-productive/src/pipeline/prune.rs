//! Which pages a prune deletes: those of sources gone since an earlier run, but never a page
//! holding pages the prune would not delete on its own (someone else's subpages), unless told to.

use super::convert::Converted;
use super::state::{Entry, State};
use super::upload::Listed;
use std::collections::{BTreeMap, BTreeSet};

/// The page of a source gone since an earlier run, and what a prune does with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deletion {
    /// The gone source's key.
    pub key: String,
    /// The page's title as last sent.
    pub title: String,
    /// The page; `None` for a create whose outcome was never known: only its entry is dropped.
    pub page_id: Option<String>,
    /// Deleted with this gone source's page above it: deleting a page deletes its subpages,
    /// so only the topmost is sent.
    pub with: Option<String>,
    /// Pages below it that the prune would not delete on its own (id, title): someone else's
    /// subpages, or pages of sources still imported.
    pub others_below: Vec<(String, String)>,
    /// Not deleted: there are [`Deletion::others_below`] and deleting them was not allowed
    /// ([`super::UploadOptions::prune_foreign`]).
    pub refused: bool,
}

/// The state's entries of sources that are gone: not in `converted`, converted or failed.
pub fn gone<'s>(converted: &Converted, state: &'s State) -> Vec<(&'s String, &'s Entry)> {
    let present: BTreeSet<&str> = converted.keys().collect();
    state
        .pages
        .iter()
        .filter(|(key, _)| !present.contains(key.as_str()))
        .collect()
}

/// The deletions of a prune, topmost pages first. `listed` is the start-of-run listing of the
/// import's Doc (id to parent and title): it tells which pages are below which.
pub(crate) fn deletions(
    converted: &Converted,
    state: &State,
    listed: &BTreeMap<String, Listed>,
    allow_foreign: bool,
) -> Vec<Deletion> {
    let gone_sources = gone(converted, state);
    let gone: BTreeMap<&str, (&String, &Entry)> = gone_sources
        .iter()
        .filter_map(|(key, entry)| Some((entry.page_id.as_deref()?, (*key, *entry))))
        .collect();
    let parent_of = |id: &str| -> Option<String> {
        match listed.get(id) {
            Some(page) => page.parent.clone(),
            None => gone.get(id).and_then(|(_, e)| e.parent_id.clone()),
        }
    };
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, page) in listed {
        if let Some(parent) = &page.parent {
            children
                .entry(parent.as_str())
                .or_default()
                .push(id.as_str());
        }
    }
    // Every page below `id`, on an explicit stack.
    let below = |id: &str| -> Vec<&str> {
        let mut found = Vec::new();
        let mut stack = vec![id];
        while let Some(current) = stack.pop() {
            for child in children.get(current).into_iter().flatten() {
                found.push(*child);
                stack.push(*child);
            }
        }
        found
    };
    // Topmost first: by the number of pages above.
    let depth = |id: &str| -> usize {
        let mut depth = 0;
        let mut seen = BTreeSet::new();
        let mut current = parent_of(id);
        while let Some(parent) = current {
            if !seen.insert(parent.clone()) {
                break;
            }
            depth += 1;
            current = parent_of(&parent);
        }
        depth
    };
    let mut order: Vec<(usize, &str)> = gone.keys().map(|id| (depth(id), *id)).collect();
    order.sort();
    // Deleted pages, by id, to the key whose DELETE takes them.
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut result = Vec::new();
    for (_, id) in order {
        let Some((key, entry)) = gone.get(id) else {
            continue;
        };
        let mut deletion = Deletion {
            key: (*key).clone(),
            title: entry.title.clone(),
            page_id: Some(id.to_owned()),
            with: taken.get(id).cloned(),
            others_below: Vec::new(),
            refused: false,
        };
        if deletion.with.is_none() {
            let pages = below(id);
            deletion.others_below = pages
                .iter()
                .filter(|page| !gone.contains_key(**page))
                .map(|page| {
                    let title = listed.get(*page).map(|p| p.title.clone());
                    ((*page).to_owned(), title.unwrap_or_default())
                })
                .collect();
            deletion.refused = !deletion.others_below.is_empty() && !allow_foreign;
            if !deletion.refused {
                for page in pages {
                    taken.insert(page.to_owned(), (*key).clone());
                }
            }
        }
        result.push(deletion);
    }
    // Creates never known to have made a page: nothing to delete, the entry goes.
    for (key, entry) in gone_sources {
        if entry.page_id.is_none() {
            result.push(Deletion {
                key: key.clone(),
                title: entry.title.clone(),
                page_id: None,
                with: None,
                others_below: Vec::new(),
                refused: false,
            });
        }
    }
    result
}
