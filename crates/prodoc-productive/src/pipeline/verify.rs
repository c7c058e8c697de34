//! Reading every page back and comparing it with what was meant.

use super::convert::Converted;
use super::state::State;
use super::upload::meant_doc;
use crate::{Client, Error};
use serde_json::Value;

/// The most differences reported per page; a wholly different body would otherwise flood.
const MAX_PER_PAGE: usize = 20;

/// One difference between what was sent and what the page holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The source key.
    pub key: String,
    /// The page id, when the page is known.
    pub page_id: Option<String>,
    /// Where: `title`, `page` (missing page or unreadable body) or a JSON Pointer into the body.
    pub pointer: String,
    /// What was sent there (compact JSON, or `absent`).
    pub expected: String,
    /// What the page holds there.
    pub found: String,
}

/// Removes the editor-assigned block ids (`attrs.id`), which the server may add or change.
fn strip_ids(value: &mut Value) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(attrs)) = map.get_mut("attrs") {
                    attrs.remove("id");
                }
                stack.extend(map.values_mut());
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "absent".to_owned(), Value::to_string)
}

/// Compares two JSON values, reporting the pointer of each differing leaf, with an explicit
/// stack.
fn compare(expected: &Value, found: &Value, out: &mut Vec<(String, String, String)>) {
    let mut stack = vec![(String::new(), Some(expected), Some(found))];
    while let Some((pointer, a, b)) = stack.pop() {
        if out.len() >= MAX_PER_PAGE {
            return;
        }
        match (a, b) {
            (Some(Value::Object(x)), Some(Value::Object(y))) => {
                let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                keys.sort();
                keys.dedup();
                for key in keys.into_iter().rev() {
                    let escaped = key.replace('~', "~0").replace('/', "~1");
                    stack.push((format!("{pointer}/{escaped}"), x.get(key), y.get(key)));
                }
            }
            (Some(Value::Array(x)), Some(Value::Array(y))) => {
                for i in (0..x.len().max(y.len())).rev() {
                    stack.push((format!("{pointer}/{i}"), x.get(i), y.get(i)));
                }
            }
            (a, b) if a == b => {}
            (a, b) => out.push((pointer, show(a), show(b))),
        }
    }
}

/// Reads every page of `converted` that `state` knows back and reports each difference from
/// what was sent: the title, and the body read leniently and compared as JSON with block `id`
/// attributes ignored.
pub fn verify(
    client: &Client,
    converted: &Converted,
    state: &State,
) -> Result<Vec<Difference>, Error> {
    let mut differences = Vec::new();
    for page in &converted.pages {
        let id = state.pages.get(&page.key).and_then(|e| e.page_id.clone());
        let mut differ = |pointer: &str, expected: String, found: String| {
            differences.push(Difference {
                key: page.key.clone(),
                page_id: id.clone(),
                pointer: pointer.to_owned(),
                expected,
                found,
            });
        };
        let Some(page_id) = id.clone() else {
            differ("page", "a page".to_owned(), "none in the state".to_owned());
            continue;
        };
        let remote = match client.get_page(&page_id) {
            Ok(remote) => remote,
            Err(Error::Api { status: 404, .. }) => {
                differ("page", "a page".to_owned(), "404".to_owned());
                continue;
            }
            Err(error) => return Err(error),
        };
        if remote.title() != page.title {
            differ("title", page.title.clone(), remote.attributes.title.clone());
        }
        let body = remote.attributes.body.unwrap_or_default();
        let read = prodoc_core::json::read_str(&body, &prodoc_core::ReadOptions::lenient());
        // Local files were sent as their attachments' addresses, links as page mentions.
        let meant = meant_doc(page, state);
        let (mut sent, mut held) = match (prodoc_core::json::to_value(&meant), read) {
            (Ok(sent), Ok(read)) => match prodoc_core::json::to_value(&read.doc) {
                Ok(held) => (sent, held),
                Err(e) => {
                    differ("page", "a readable body".to_owned(), e.to_string());
                    continue;
                }
            },
            (_, Err(e)) => {
                differ("page", "a readable body".to_owned(), e.to_string());
                continue;
            }
            (Err(e), _) => {
                differ("page", "a writable document".to_owned(), e.to_string());
                continue;
            }
        };
        strip_ids(&mut sent);
        strip_ids(&mut held);
        let mut found = Vec::new();
        compare(&sent, &held, &mut found);
        for (pointer, expected, got) in found {
            differ(&pointer, expected, got);
        }
    }
    Ok(differences)
}
