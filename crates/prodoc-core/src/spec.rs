//! One table of node and mark specifications: names, attributes and what each node may hold.
//!
//! The strict reader, the typed validator and the JSON Schema are all derived from this table, so
//! that they cannot drift apart. Where the guides and real bodies are silent, the choice is the one
//! ProseMirror's (Tiptap's) schema makes, which the editor is built on; each such choice says so.

/// Every node type of the format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeType {
    /// `doc`.
    Doc,
    /// `paragraph`.
    Paragraph,
    /// `heading`.
    Heading,
    /// `blockquote`.
    Blockquote,
    /// `codeblock`.
    CodeBlock,
    /// `ul`.
    BulletList,
    /// `ol`.
    OrderedList,
    /// `li`.
    ListItem,
    /// `checklist`.
    Checklist,
    /// `checklist_item`.
    ChecklistItem,
    /// `table`.
    Table,
    /// `table_row`.
    TableRow,
    /// `table_cell`.
    TableCell,
    /// `table_header`.
    TableHeader,
    /// `divider`.
    Divider,
    /// `banner`.
    Banner,
    /// `columns`.
    Columns,
    /// `column`.
    Column,
    /// `text`.
    Text,
    /// `image`.
    Image,
    /// `file`.
    File,
    /// `mention`.
    Mention,
    /// `var`.
    Var,
    /// `br`.
    HardBreak,
}

/// Every mark type of the format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MarkType {
    /// `link`.
    Link,
    /// `em`.
    Em,
    /// `strike`. Before `strong`: readers give marks in this order, and the editor writes
    /// `[strike, strong]` (the real body page-53488).
    Strike,
    /// `strong`.
    Strong,
    /// `code`.
    Code,
    /// `underline`.
    Underline,
    /// `discussion`.
    Discussion,
    /// `styles`.
    Styles,
}

/// Where a node may stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// The root.
    Root,
    /// In `doc` and block containers.
    Block,
    /// In paragraphs and headings.
    Inline,
    /// Only inside one particular parent (`li`, `table_row`, `column`, …).
    Child,
}

/// What a node may hold in `content`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    /// Nothing: a leaf.
    Leaf,
    /// Any number of inline nodes.
    Inline,
    /// Block nodes, at least `min`.
    Blocks {
        /// The fewest allowed.
        min: usize,
    },
    /// A paragraph, then any blocks (ProseMirror's `paragraph block*`).
    ParagraphThenBlocks,
    /// Nodes of the given types only, between `min` and `max` of them.
    Only {
        /// The types allowed.
        types: &'static [NodeType],
        /// The fewest allowed.
        min: usize,
        /// The most allowed.
        max: usize,
    },
    /// At most one unmarked text node (a code block).
    CodeText,
    /// Unmarked text nodes (a mention's label).
    PlainText,
}

/// The JSON type and range of an attribute value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrType {
    /// Any string.
    String,
    /// A boolean.
    Bool,
    /// An integer from 1 to 3.
    HeadingLevel,
    /// One of the four banner kinds.
    BannerKind,
    /// An integer of at least 1 (cell spans).
    Span,
    /// A whole number of at least 0 (`order`, image `width`).
    Count,
    /// An array of whole numbers (`colwidth`).
    Counts,
    /// `left`, `center`, `right` or `justify`.
    Align,
    /// A non-empty string.
    NonEmptyString,
}

/// How an attribute with no value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Absent {
    /// The key is left out.
    Omit,
    /// The key is written with `null`; reading accepts `null` and absence.
    Null,
    /// The key is always written; absence reads as the default value.
    Default,
    /// The attribute is required.
    Required,
}

/// One attribute of a node or mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttrSpec {
    /// The JSON key inside `attrs`.
    pub name: &'static str,
    /// Its type.
    pub ty: AttrType,
    /// How no value is written, and whether it is required.
    pub absent: Absent,
}

const fn attr(name: &'static str, ty: AttrType, absent: Absent) -> AttrSpec {
    AttrSpec { name, ty, absent }
}

const ID: AttrSpec = attr("id", AttrType::String, Absent::Omit);
const ALIGN: AttrSpec = attr("textAlign", AttrType::Align, Absent::Omit);

/// One node type's row of the table.
#[derive(Clone, Copy, Debug)]
pub struct NodeSpec {
    /// The type.
    pub ty: NodeType,
    /// The `type` string.
    pub name: &'static str,
    /// Where it may stand.
    pub group: Group,
    /// What it may hold.
    pub content: Content,
    /// Its attributes, in the order they are written.
    pub attrs: &'static [AttrSpec],
}

/// One mark type's row of the table.
#[derive(Clone, Copy, Debug)]
pub struct MarkSpec {
    /// The type.
    pub ty: MarkType,
    /// The `type` string.
    pub name: &'static str,
    /// Its attributes, in the order they are written.
    pub attrs: &'static [AttrSpec],
}

const LIST_ITEMS: &[NodeType] = &[NodeType::ListItem];
const CELLS: &[NodeType] = &[NodeType::TableCell, NodeType::TableHeader];
const CELL_ATTRS: &[AttrSpec] = &[
    attr("colspan", AttrType::Span, Absent::Default),
    attr("rowspan", AttrType::Span, Absent::Default),
    attr("colwidth", AttrType::Counts, Absent::Null),
    attr("background", AttrType::String, Absent::Null),
];
const MANY: usize = usize::MAX;

/// The node table.
pub const NODES: &[NodeSpec] = &[
    NodeSpec {
        ty: NodeType::Doc,
        name: "doc",
        group: Group::Root,
        // The original guide's root example is `{"type":"doc","content":[]}`.
        content: Content::Blocks { min: 0 },
        attrs: &[],
    },
    NodeSpec {
        ty: NodeType::Paragraph,
        name: "paragraph",
        group: Group::Block,
        content: Content::Inline,
        attrs: &[ID, ALIGN],
    },
    NodeSpec {
        ty: NodeType::Heading,
        name: "heading",
        group: Group::Block,
        content: Content::Inline,
        attrs: &[
            attr("level", AttrType::HeadingLevel, Absent::Required),
            ID,
            ALIGN,
        ],
    },
    NodeSpec {
        ty: NodeType::Blockquote,
        name: "blockquote",
        group: Group::Block,
        // Tiptap's blockquote is `block+`; real bodies hold paragraphs.
        content: Content::Blocks { min: 1 },
        attrs: &[ID],
    },
    NodeSpec {
        ty: NodeType::CodeBlock,
        name: "codeblock",
        group: Group::Block,
        content: Content::CodeText,
        attrs: &[attr("language", AttrType::String, Absent::Null), ID],
    },
    NodeSpec {
        ty: NodeType::BulletList,
        name: "ul",
        group: Group::Block,
        content: Content::Only {
            types: LIST_ITEMS,
            min: 1,
            max: MANY,
        },
        attrs: &[ID],
    },
    NodeSpec {
        ty: NodeType::OrderedList,
        name: "ol",
        group: Group::Block,
        content: Content::Only {
            types: LIST_ITEMS,
            min: 1,
            max: MANY,
        },
        attrs: &[attr("order", AttrType::Count, Absent::Omit), ID],
    },
    NodeSpec {
        ty: NodeType::ListItem,
        name: "li",
        group: Group::Child,
        content: Content::ParagraphThenBlocks,
        attrs: &[],
    },
    NodeSpec {
        ty: NodeType::Checklist,
        name: "checklist",
        group: Group::Block,
        content: Content::Only {
            types: &[NodeType::ChecklistItem],
            min: 1,
            max: MANY,
        },
        attrs: &[ID],
    },
    NodeSpec {
        ty: NodeType::ChecklistItem,
        name: "checklist_item",
        group: Group::Child,
        content: Content::ParagraphThenBlocks,
        attrs: &[attr("checked", AttrType::Bool, Absent::Default)],
    },
    NodeSpec {
        ty: NodeType::Table,
        name: "table",
        group: Group::Block,
        content: Content::Only {
            types: &[NodeType::TableRow],
            min: 1,
            max: MANY,
        },
        attrs: &[ID],
    },
    NodeSpec {
        ty: NodeType::TableRow,
        name: "table_row",
        group: Group::Child,
        content: Content::Only {
            types: CELLS,
            min: 1,
            max: MANY,
        },
        attrs: &[],
    },
    NodeSpec {
        ty: NodeType::TableCell,
        name: "table_cell",
        group: Group::Child,
        content: Content::Blocks { min: 0 },
        attrs: CELL_ATTRS,
    },
    NodeSpec {
        ty: NodeType::TableHeader,
        name: "table_header",
        group: Group::Child,
        content: Content::Blocks { min: 0 },
        attrs: CELL_ATTRS,
    },
    NodeSpec {
        ty: NodeType::Divider,
        name: "divider",
        group: Group::Block,
        content: Content::Leaf,
        attrs: &[ID],
    },
    NodeSpec {
        ty: NodeType::Banner,
        name: "banner",
        group: Group::Block,
        // The guides show paragraphs; like a blockquote it takes any block (ProseMirror `block+`).
        content: Content::Blocks { min: 1 },
        attrs: &[attr("type", AttrType::BannerKind, Absent::Required), ID],
    },
    NodeSpec {
        ty: NodeType::Columns,
        name: "columns",
        group: Group::Block,
        // "2 to 5 columns" (2026 guide).
        content: Content::Only {
            types: &[NodeType::Column],
            min: 2,
            max: 5,
        },
        attrs: &[ID],
    },
    NodeSpec {
        ty: NodeType::Column,
        name: "column",
        group: Group::Child,
        content: Content::Blocks { min: 1 },
        attrs: &[],
    },
    NodeSpec {
        ty: NodeType::Text,
        name: "text",
        group: Group::Inline,
        content: Content::Leaf,
        attrs: &[],
    },
    NodeSpec {
        ty: NodeType::Image,
        name: "image",
        group: Group::Inline,
        content: Content::Leaf,
        attrs: &[
            attr("src", AttrType::NonEmptyString, Absent::Required),
            attr("alt", AttrType::String, Absent::Null),
            attr("title", AttrType::String, Absent::Null),
            attr("width", AttrType::Count, Absent::Null),
        ],
    },
    NodeSpec {
        ty: NodeType::File,
        name: "file",
        group: Group::Inline,
        content: Content::Leaf,
        attrs: &[
            attr("url", AttrType::String, Absent::Required),
            attr("name", AttrType::String, Absent::Required),
            attr("type", AttrType::String, Absent::Required),
        ],
    },
    NodeSpec {
        ty: NodeType::Mention,
        name: "mention",
        group: Group::Inline,
        content: Content::PlainText,
        attrs: &[
            attr("id", AttrType::String, Absent::Required),
            attr("type", AttrType::NonEmptyString, Absent::Required),
            attr("label", AttrType::String, Absent::Required),
            attr("avatarUrl", AttrType::String, Absent::Omit),
        ],
    },
    NodeSpec {
        ty: NodeType::Var,
        name: "var",
        group: Group::Inline,
        content: Content::Leaf,
        attrs: &[attr("name", AttrType::NonEmptyString, Absent::Required)],
    },
    NodeSpec {
        ty: NodeType::HardBreak,
        name: "br",
        group: Group::Inline,
        content: Content::Leaf,
        attrs: &[],
    },
];

/// The mark table.
pub const MARKS: &[MarkSpec] = &[
    MarkSpec {
        ty: MarkType::Link,
        name: "link",
        attrs: &[
            attr("href", AttrType::String, Absent::Required),
            attr("title", AttrType::String, Absent::Null),
        ],
    },
    MarkSpec {
        ty: MarkType::Em,
        name: "em",
        attrs: &[],
    },
    MarkSpec {
        ty: MarkType::Strike,
        name: "strike",
        attrs: &[],
    },
    MarkSpec {
        ty: MarkType::Strong,
        name: "strong",
        attrs: &[],
    },
    MarkSpec {
        ty: MarkType::Code,
        name: "code",
        attrs: &[],
    },
    MarkSpec {
        ty: MarkType::Underline,
        name: "underline",
        attrs: &[],
    },
    MarkSpec {
        ty: MarkType::Discussion,
        name: "discussion",
        attrs: &[
            attr("discussionId", AttrType::String, Absent::Required),
            attr("resolvedId", AttrType::String, Absent::Required),
        ],
    },
    MarkSpec {
        ty: MarkType::Styles,
        name: "styles",
        attrs: &[
            attr("fontSize", AttrType::String, Absent::Omit),
            attr("fontWeight", AttrType::String, Absent::Omit),
            attr("textAlign", AttrType::String, Absent::Omit),
            attr("color", AttrType::String, Absent::Omit),
            attr("backgroundColor", AttrType::String, Absent::Omit),
            attr("whiteSpace", AttrType::String, Absent::Omit),
        ],
    },
];

impl NodeType {
    /// This type's row of the table.
    pub fn spec(self) -> &'static NodeSpec {
        // The table lists every type in declaration order (a test checks), so this cannot miss.
        #[allow(clippy::indexing_slicing)]
        &NODES[self as usize]
    }

    /// The `type` string.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The type named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        NODES
            .iter()
            .find(|spec| spec.name == name)
            .map(|spec| spec.ty)
    }

    /// Whether the type is a block that `doc` and block containers hold.
    pub fn is_block(self) -> bool {
        self.spec().group == Group::Block
    }

    /// Whether the type is inline.
    pub fn is_inline(self) -> bool {
        self.spec().group == Group::Inline
    }
}

impl MarkType {
    /// This type's row of the table.
    pub fn spec(self) -> &'static MarkSpec {
        // In declaration order, as for nodes.
        #[allow(clippy::indexing_slicing)]
        &MARKS[self as usize]
    }

    /// The `type` string.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The type named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        MARKS
            .iter()
            .find(|spec| spec.name == name)
            .map(|spec| spec.ty)
    }
}

/// Whether `child` may stand at `index` in `parent`'s content (counts are checked apart).
pub fn may_hold(parent: NodeType, index: usize, child: NodeType) -> bool {
    match parent.spec().content {
        Content::Leaf => false,
        Content::Inline => child.is_inline(),
        Content::Blocks { .. } => child.is_block(),
        Content::ParagraphThenBlocks => {
            if index == 0 {
                child == NodeType::Paragraph
            } else {
                child.is_block()
            }
        }
        Content::Only { types, .. } => types.contains(&child),
        Content::CodeText | Content::PlainText => child == NodeType::Text,
    }
}

/// The fewest and most children `parent` may hold.
pub fn child_count_range(parent: NodeType) -> (usize, usize) {
    match parent.spec().content {
        Content::Leaf => (0, 0),
        Content::Inline | Content::PlainText => (0, MANY),
        Content::Blocks { min } => (min, MANY),
        Content::ParagraphThenBlocks => (1, MANY),
        Content::Only { min, max, .. } => (min, max),
        Content::CodeText => (0, 1),
    }
}

/// What `parent` expects at `index`, for messages: "a block node", "`li`", ….
pub fn expected_child(parent: NodeType, index: usize) -> String {
    match parent.spec().content {
        Content::Leaf => "no content".to_owned(),
        Content::Inline => "an inline node (text, image, file, mention, var, br)".to_owned(),
        Content::Blocks { .. } => block_list(),
        Content::ParagraphThenBlocks if index == 0 => "`paragraph` first".to_owned(),
        Content::ParagraphThenBlocks => block_list(),
        Content::Only { types, .. } => types
            .iter()
            .map(|ty| format!("`{}`", ty.name()))
            .collect::<Vec<_>>()
            .join(" or "),
        Content::CodeText | Content::PlainText => "`text`".to_owned(),
    }
}

fn block_list() -> String {
    let names: Vec<&str> = NODES
        .iter()
        .filter(|spec| spec.group == Group::Block)
        .map(|spec| spec.name)
        .collect();
    format!("a block node ({})", names.join(", "))
}

/// The known name closest to `name`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| {
            // A prefix (`warn` for `warning`) is as likely a slip as a typo.
            let prefix = name.len() >= 3 && candidate.starts_with(name);
            let distance = if prefix {
                1
            } else {
                edit_distance(name, candidate)
            };
            (distance, candidate)
        })
        .filter(|(distance, candidate)| *distance <= (candidate.len().max(3) / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over chars. Written here because it is a dozen lines and only ever sees
/// short type names; a crate would add a dependency to every build for it.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = current.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let deletion = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insertion = current.get(j).copied().unwrap_or(0) + 1;
            if let Some(cell) = current.get_mut(j + 1) {
                *cell = substitution.min(deletion).min(insertion);
            }
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_in_declaration_order() {
        for (index, spec) in NODES.iter().enumerate() {
            assert_eq!(spec.ty as usize, index, "{}", spec.name);
            assert_eq!(NodeType::from_name(spec.name), Some(spec.ty));
        }
        for (index, spec) in MARKS.iter().enumerate() {
            assert_eq!(spec.ty as usize, index, "{}", spec.name);
        }
    }

    #[test]
    fn suggestions_catch_typos_only() {
        let names = NODES.iter().map(|spec| spec.name);
        assert_eq!(
            did_you_mean("cheklist_item", names.clone()),
            Some("checklist_item")
        );
        assert_eq!(did_you_mean("paragrph", names.clone()), Some("paragraph"));
        assert_eq!(did_you_mean("code_block", names.clone()), Some("codeblock"));
        assert_eq!(did_you_mean("spreadsheet", names), None);
    }
}
