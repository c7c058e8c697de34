//! Typed JSON:API resources.

use serde::{Deserialize, Deserializer};

/// Reads a JSON string or number (or null) as an optional string: ids and statuses come both ways.
pub(crate) fn string_or_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match value {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// A page (a Doc or one of its subpages) as the API returns it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Page {
    /// The page id.
    pub id: String,
    /// The page's attributes.
    pub attributes: PageAttributes,
}

/// The attributes of a page this crate uses; the others are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct PageAttributes {
    /// The title.
    #[serde(default)]
    pub title: String,
    /// The body: the document as a JSON string. Absent when a sparse fieldset left it out.
    #[serde(default)]
    pub body: Option<String>,
    /// The parent page, null on a Doc (a root page).
    #[serde(default, deserialize_with = "string_or_number")]
    pub parent_page_id: Option<String>,
    /// The Doc this page belongs to, null on a Doc itself.
    #[serde(default, deserialize_with = "string_or_number")]
    pub root_page_id: Option<String>,
    /// When the page was made (RFC 3339, by the server's clock).
    #[serde(default)]
    pub created_at: Option<String>,
}

impl Page {
    /// The page's title.
    pub fn title(&self) -> &str {
        &self.attributes.title
    }

    /// The page's parent, if it is a subpage.
    pub fn parent_id(&self) -> Option<&str> {
        self.attributes.parent_page_id.as_deref()
    }

    /// The Doc this page is in: its `root_page_id`, or itself for a Doc.
    pub fn root_id(&self) -> &str {
        self.attributes.root_page_id.as_deref().unwrap_or(&self.id)
    }

    /// When the page was made, when the server said and it could be read.
    pub fn created_at(&self) -> Option<std::time::SystemTime> {
        self.attributes
            .created_at
            .as_deref()
            .and_then(crate::client::parse_timestamp)
    }
}

/// A single resource document.
#[derive(Debug, Deserialize)]
pub(crate) struct One<T> {
    pub data: T,
}

/// A collection document with JSON:API pagination metadata.
#[derive(Debug, Deserialize)]
pub(crate) struct Many<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub meta: Option<PageMeta>,
}

/// `meta` of a paginated response.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageMeta {
    #[serde(default)]
    pub total_pages: Option<u64>,
}

/// Where a new page goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// A new Doc at the top of a project.
    Project(String),
    /// A subpage: its parent and the Doc the parent is in (the parent itself for a Doc).
    Under {
        /// The parent page.
        parent: String,
        /// The Doc (root page) the parent belongs to.
        root: String,
    },
}

/// Which pages to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageFilter {
    /// `filter[project_id]`.
    pub project_id: Option<String>,
    /// `filter[parent_page_id]`: direct children (a comma list is allowed).
    pub parent_page_id: Option<String>,
    /// `filter[root_page_id]`: every page of a Doc at any depth, not the Doc itself.
    pub root_page_id: Option<String>,
    /// `filter[query]`: a title search.
    pub query: Option<String>,
    /// `fields[pages]`: only these attributes (a comma list), so that a listing of many pages
    /// does not download every body.
    pub fields: Option<String>,
}

impl PageFilter {
    pub(crate) fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let fields = [
            ("filter[project_id]", &self.project_id),
            ("filter[parent_page_id]", &self.parent_page_id),
            ("filter[root_page_id]", &self.root_page_id),
            ("filter[query]", &self.query),
            ("fields[pages]", &self.fields),
        ];
        for (name, value) in fields {
            if let Some(value) = value {
                pairs.push((name, value.clone()));
            }
        }
        pairs
    }
}

/// An attachment as the API returns it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Attachment {
    /// The attachment id.
    pub id: String,
    /// Its attributes.
    pub attributes: AttachmentAttributes,
}

/// The attributes of an attachment this crate uses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct AttachmentAttributes {
    /// The file name.
    #[serde(default)]
    pub name: String,
    /// The final address, once the upload is confirmed (step 3).
    #[serde(default)]
    pub url: Option<String>,
    /// The storage upload form fields (step 1's answer).
    #[serde(default)]
    pub aws_policy: Option<PolicyFields>,
}

/// The storage form fields of an attachment upload, in the order the API gave them. They hold
/// short-lived credentials: `Debug` shows the field names and the `key` only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PolicyFields(pub Vec<(String, String)>);

impl PolicyFields {
    /// The object key the file is stored under.
    pub fn key(&self) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| name == "key")
            .map(|(_, value)| value.as_str())
    }
}

impl std::fmt::Debug for PolicyFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in &self.0 {
            if name == "key" {
                map.entry(name, value);
            } else {
                map.entry(name, &"<redacted>");
            }
        }
        map.finish()
    }
}

impl<'de> Deserialize<'de> for PolicyFields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = PolicyFields;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of form fields")
            }
            // A visitor sees the entries in document order, which a `Map` would not keep.
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<PolicyFields, A::Error> {
                let mut fields = Vec::new();
                while let Some((name, value)) = map.next_entry::<String, serde_json::Value>()? {
                    let value = match value {
                        serde_json::Value::String(s) => s,
                        serde_json::Value::Null => continue,
                        other => other.to_string(),
                    };
                    fields.push((name, value));
                }
                Ok(PolicyFields(fields))
            }
        }
        d.deserialize_map(Fields)
    }
}

/// Step 1 of an attachment upload: what the file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAttachment {
    /// The file name.
    pub name: String,
    /// The content type, e.g. `image/png`.
    pub content_type: String,
    /// The size in bytes.
    pub size: u64,
    /// The page it belongs to, when the page exists already.
    pub page_id: Option<String>,
    /// `inline` (an image in the body) rather than `attachment`.
    pub inline: bool,
}
