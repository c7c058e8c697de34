//! proptest strategies that generate strictly valid documents (feature `proptest`).
//!
//! Converters round-trip what their format can hold, so [`DocConfig`] switches node types, marks
//! and attributes on and off. Generated documents are in normal form: adjacent text nodes never
//! carry the same marks, and marks come in table order ([`MarkType`] order), which is the order
//! readers are expected to produce.

use std::sync::Arc;

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};

use crate::attrs::{Align, BannerKind, HeadingLevel, MentionKind, Span};
use crate::model::*;
use crate::spec::MarkType;

/// What generated documents may contain.
#[derive(Clone, Debug)]
pub struct DocConfig {
    /// Container nesting levels below the top. Default 3.
    pub depth: u32,
    /// Most blocks in one container. Default 4.
    pub max_blocks: usize,
    /// Most inline nodes in one paragraph before merging. Default 6.
    pub max_inlines: usize,
    /// Headings. Default on.
    pub headings: bool,
    /// Block quotes. Default on.
    pub blockquotes: bool,
    /// Code blocks. Default on.
    pub code_blocks: bool,
    /// Bullet and ordered lists. Default on.
    pub lists: bool,
    /// Checklists. Default on.
    pub checklists: bool,
    /// Tables. Default on.
    pub tables: bool,
    /// Cell spans, widths and backgrounds. Default on.
    pub cell_attrs: bool,
    /// Dividers. Default on.
    pub dividers: bool,
    /// Banners. Default on.
    pub banners: bool,
    /// Column layouts. Default on.
    pub columns: bool,
    /// Images. Default on.
    pub images: bool,
    /// Files. Default on.
    pub files: bool,
    /// Mentions. Default on.
    pub mentions: bool,
    /// Variables. Default on.
    pub vars: bool,
    /// Hard breaks. Default on.
    pub hard_breaks: bool,
    /// The marks that may appear. Default: all.
    pub marks: Vec<MarkType>,
    /// Editor block ids. Default on.
    pub ids: bool,
    /// Paragraph and heading alignment. Default on.
    pub align: bool,
    /// `ol` start numbers. Default on.
    pub list_start: bool,
    /// Text made only of letters, digits and single inner spaces (no leading or trailing space,
    /// no markup characters). Default off: text holds punctuation, markup characters and Unicode.
    pub plain_text: bool,
}

impl Default for DocConfig {
    fn default() -> Self {
        Self {
            depth: 3,
            max_blocks: 4,
            max_inlines: 6,
            headings: true,
            blockquotes: true,
            code_blocks: true,
            lists: true,
            checklists: true,
            tables: true,
            cell_attrs: true,
            dividers: true,
            banners: true,
            columns: true,
            images: true,
            files: true,
            mentions: true,
            vars: true,
            hard_breaks: true,
            marks: vec![
                MarkType::Link,
                MarkType::Em,
                MarkType::Strong,
                MarkType::Code,
                MarkType::Strike,
                MarkType::Underline,
                MarkType::Discussion,
                MarkType::Styles,
            ],
            ids: true,
            align: true,
            list_start: true,
            plain_text: false,
        }
    }
}

impl DocConfig {
    /// Only paragraphs of unmarked plain text.
    pub fn text_only() -> Self {
        Self {
            depth: 0,
            headings: false,
            blockquotes: false,
            code_blocks: false,
            lists: false,
            checklists: false,
            tables: false,
            cell_attrs: false,
            dividers: false,
            banners: false,
            columns: false,
            images: false,
            files: false,
            mentions: false,
            vars: false,
            hard_breaks: false,
            marks: Vec::new(),
            ids: false,
            align: false,
            list_start: false,
            ..Self::default()
        }
    }
}

/// Generates strictly valid documents as `config` allows.
pub fn doc(config: DocConfig) -> BoxedStrategy<Doc> {
    let max = config.max_blocks.max(1);
    prop::collection::vec(block(config), 1..=max)
        .prop_map(Doc::new)
        .boxed()
}

/// Generates one strictly valid block.
pub fn block(config: DocConfig) -> BoxedStrategy<Block> {
    let leaf = leaf_block(&config);
    let depth = config.depth;
    if depth == 0 {
        return leaf;
    }
    let max = config.max_blocks.max(1);
    leaf.prop_recursive(depth, 64, max as u32, move |inner| {
        let c = &config;
        let blocks = prop::collection::vec(inner.clone(), 1..=max);
        let mut options: Vec<(u32, BoxedStrategy<Block>)> = Vec::new();
        let id = optional_id(c.ids);
        if c.blockquotes {
            options.push((
                2,
                (id.clone(), blocks.clone())
                    .prop_map(|(id, content)| {
                        Block::Blockquote(Blockquote {
                            id,
                            content,
                            ..Blockquote::default()
                        })
                    })
                    .boxed(),
            ));
        }
        if c.banners {
            options.push((
                1,
                (
                    prop::sample::select(BannerKind::ALL.to_vec()),
                    blocks.clone(),
                )
                    .prop_map(|(kind, content)| Block::Banner(Banner::new(kind, content)))
                    .boxed(),
            ));
        }
        let item_content = (paragraph(c), prop::collection::vec(inner.clone(), 0..=2)).prop_map(
            |(first, rest)| {
                let mut content = vec![first];
                content.extend(rest);
                content
            },
        );
        if c.lists {
            let items = prop::collection::vec(
                item_content.clone().prop_map(|content| {
                    Child::Node(ListItem {
                        content,
                        ..ListItem::default()
                    })
                }),
                1..=max,
            );
            options.push((
                2,
                (id.clone(), items.clone())
                    .prop_map(|(id, items)| {
                        Block::BulletList(BulletList {
                            id,
                            items,
                            ..BulletList::default()
                        })
                    })
                    .boxed(),
            ));
            let start = if c.list_start {
                prop::option::of(2u32..200).boxed()
            } else {
                Just(None).boxed()
            };
            options.push((
                2,
                (id.clone(), start, items)
                    .prop_map(|(id, order, items)| {
                        Block::OrderedList(OrderedList {
                            id,
                            order,
                            items,
                            ..OrderedList::default()
                        })
                    })
                    .boxed(),
            ));
        }
        if c.checklists {
            let items = prop::collection::vec(
                (any::<bool>(), item_content).prop_map(|(checked, content)| {
                    Child::Node(ChecklistItem {
                        checked,
                        content,
                        ..ChecklistItem::default()
                    })
                }),
                1..=max,
            );
            options.push((
                1,
                items
                    .prop_map(|items| {
                        Block::Checklist(Checklist {
                            items,
                            ..Checklist::default()
                        })
                    })
                    .boxed(),
            ));
        }
        if c.tables {
            let cell_attrs = c.cell_attrs;
            let cell = (
                any::<bool>(),
                prop::collection::vec(inner.clone(), 1..=2),
                cell_extras(cell_attrs),
            )
                .prop_map(
                    |(header, content, (colspan, rowspan, colwidth, background))| {
                        Child::Node(TableCell {
                            header,
                            colspan,
                            rowspan,
                            colwidth,
                            background,
                            content,
                            ..TableCell::default()
                        })
                    },
                );
            let row = prop::collection::vec(cell, 1..=3).prop_map(|cells| {
                Child::Node(TableRow {
                    cells,
                    ..TableRow::default()
                })
            });
            options.push((
                1,
                (id.clone(), prop::collection::vec(row, 1..=3))
                    .prop_map(|(id, rows)| {
                        Block::Table(Table {
                            id,
                            rows,
                            ..Table::default()
                        })
                    })
                    .boxed(),
            ));
        }
        if c.columns {
            let column = prop::collection::vec(inner.clone(), 1..=2).prop_map(|content| {
                Child::Node(Column {
                    content,
                    ..Column::default()
                })
            });
            options.push((
                1,
                prop::collection::vec(column, 2..=5)
                    .prop_map(|columns| {
                        Block::Columns(Columns {
                            columns,
                            ..Columns::default()
                        })
                    })
                    .boxed(),
            ));
        }
        if options.is_empty() {
            return inner.boxed();
        }
        options.push((3, inner.boxed()));
        Union::new_weighted(options).boxed()
    })
    .boxed()
}

fn optional_id(ids: bool) -> BoxedStrategy<Option<String>> {
    if ids {
        prop::option::weighted(0.3, "[a-z0-9]{10}").boxed()
    } else {
        Just(None).boxed()
    }
}

/// colspan, rowspan, colwidth, background.
type CellExtras = (Span, Span, Option<Vec<u32>>, Option<String>);

fn cell_extras(on: bool) -> BoxedStrategy<CellExtras> {
    if !on {
        return Just((Span::ONE, Span::ONE, None, None)).boxed();
    }
    let span = prop_oneof![4 => Just(Span::ONE), 1 => (2u32..4).prop_map(|n| Span::try_from(n).unwrap_or(Span::ONE))];
    (
        span.clone(),
        span,
        prop::option::weighted(0.2, prop::collection::vec(20u32..400, 1..=2)),
        prop::option::weighted(
            0.2,
            prop::sample::select(vec![
                "#fef3c7".to_owned(),
                "rgb(1, 2, 3)".to_owned(),
                "red".to_owned(),
            ]),
        ),
    )
        .boxed()
}

fn leaf_block(c: &DocConfig) -> BoxedStrategy<Block> {
    let mut options: Vec<(u32, BoxedStrategy<Block>)> = vec![(6, paragraph(c))];
    if c.headings {
        let levels =
            prop::sample::select(vec![HeadingLevel::H1, HeadingLevel::H2, HeadingLevel::H3]);
        options.push((
            2,
            (levels, optional_id(c.ids), align(c.align), inlines(c, 1))
                .prop_map(|(level, id, align, content)| {
                    let mut heading = Heading::new(level, content);
                    heading.id = id;
                    heading.align = align;
                    Block::Heading(heading)
                })
                .boxed(),
        ));
    }
    if c.code_blocks {
        let language = prop::option::of(prop::sample::select(vec![
            "rust".to_owned(),
            "js".to_owned(),
            "c++".to_owned(),
        ]));
        options.push((
            1,
            (language, "([a-z{}();=]{1,8}( |\n)?){0,6}")
                .prop_map(|(language, text)| {
                    Block::CodeBlock(CodeBlock {
                        language,
                        text,
                        ..CodeBlock::default()
                    })
                })
                .boxed(),
        ));
    }
    if c.dividers {
        options.push((1, Just(Block::Divider(Divider::default())).boxed()));
    }
    Union::new_weighted(options).boxed()
}

fn align(on: bool) -> BoxedStrategy<Option<Align>> {
    if on {
        prop::option::weighted(0.2, prop::sample::select(Align::ALL.to_vec())).boxed()
    } else {
        Just(None).boxed()
    }
}

fn paragraph(c: &DocConfig) -> BoxedStrategy<Block> {
    (optional_id(c.ids), align(c.align), inlines(c, 0))
        .prop_map(|(id, align, content)| {
            Block::Paragraph(Paragraph {
                id,
                align,
                content,
                ..Paragraph::default()
            })
        })
        .boxed()
}

/// Text content for `text` nodes.
pub fn text_string(plain: bool) -> BoxedStrategy<String> {
    if plain {
        return "[A-Za-z0-9]{1,8}( [A-Za-z0-9]{1,8}){0,3}".boxed();
    }
    let piece = prop_oneof![
        6 => "[A-Za-z0-9]{1,8}",
        3 => Just(" ".to_owned()),
        2 => prop::sample::select(vec![
            "*", "_", "`", "#", "[", "]", "<", ">", "|", "\\", "~", "&", "!", "(", ")", "1.", "-", "+", ":", "\"", "'", "=", "{", "}", "@",
        ])
        .prop_map(str::to_owned),
        1 => prop::sample::select(vec!["é", "日本", "😀", "\u{a0}", "ß", "€"]).prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 1..=6)
        .prop_map(|pieces| pieces.concat())
        .boxed()
}

fn marks(c: &DocConfig) -> BoxedStrategy<Vec<Mark>> {
    let mut per_mark: Vec<BoxedStrategy<Option<Mark>>> = Vec::new();
    for ty in &c.marks {
        let mark: BoxedStrategy<Mark> = match ty {
            MarkType::Em => Just(Mark::Em).boxed(),
            MarkType::Strong => Just(Mark::Strong).boxed(),
            MarkType::Code => Just(Mark::Code).boxed(),
            MarkType::Strike => Just(Mark::Strike).boxed(),
            MarkType::Underline => Just(Mark::Underline).boxed(),
            MarkType::Link => (
                prop::sample::select(vec![
                    "https://example.com/a".to_owned(),
                    "https://example.com/a b?q=(1)&r=<2>".to_owned(),
                    "mailto:someone@example.com".to_owned(),
                    "/relative/path.md".to_owned(),
                ]),
                prop::option::weighted(0.3, "[A-Za-z ]{1,10}"),
            )
                .prop_map(|(href, title)| {
                    Mark::from(Link {
                        title,
                        ..Link::new(href)
                    })
                })
                .boxed(),
            MarkType::Discussion => (
                "[0-9]{1,5}",
                prop::sample::select(vec![String::new(), "7".to_owned()]),
            )
                .prop_map(|(discussion_id, resolved_id)| {
                    Mark::from(Discussion {
                        discussion_id,
                        resolved_id,
                        ..Discussion::default()
                    })
                })
                .boxed(),
            MarkType::Styles => (
                prop::option::of(prop::sample::select(vec![
                    "#ef4444".to_owned(),
                    "red".to_owned(),
                ])),
                prop::option::of(prop::sample::select(vec!["#fef3c7".to_owned()])),
                prop::option::of(prop::sample::select(vec![
                    "700".to_owned(),
                    "bold".to_owned(),
                ])),
            )
                .prop_filter("a styles mark sets something", |(a, b, c)| {
                    a.is_some() || b.is_some() || c.is_some()
                })
                .prop_map(|(color, background_color, font_weight)| {
                    Mark::Styles(Arc::new(Styles {
                        color,
                        background_color,
                        font_weight,
                        ..Styles::default()
                    }))
                })
                .boxed(),
        };
        per_mark.push(prop::option::weighted(0.15, mark).boxed());
    }
    per_mark
        .prop_map(|marks| {
            let mut marks: Vec<Mark> = marks.into_iter().flatten().collect();
            marks.sort_by_key(mark_order);
            marks
        })
        .boxed()
}

pub use crate::normal::{mark_order, merge_texts};

fn inlines(c: &DocConfig, min: usize) -> BoxedStrategy<Vec<Inline>> {
    let text = (text_string(c.plain_text), marks(c))
        .prop_map(|(text, marks)| Inline::Text(Text::marked(text, marks)));
    let mut options: Vec<(u32, BoxedStrategy<Inline>)> = vec![(8, text.boxed())];
    if c.hard_breaks {
        options.push((1, Just(Inline::HardBreak(HardBreak::default())).boxed()));
    }
    if c.images {
        options.push((
            1,
            (
                prop::sample::select(vec![
                    "https://example.com/i.png".to_owned(),
                    "img/a b.png".to_owned(),
                ]),
                prop::option::of("[A-Za-z ]{1,8}"),
                prop::option::weighted(0.3, "[A-Za-z]{1,8}"),
                prop::option::weighted(0.3, 10u32..900),
            )
                .prop_map(|(src, alt, title, width)| {
                    Inline::Image(Box::new(Image {
                        src,
                        alt,
                        title,
                        width,
                        ..Image::default()
                    }))
                })
                .boxed(),
        ));
    }
    if c.files {
        options.push((
            1,
            ("[A-Za-z]{1,8}\\.pdf")
                .prop_map(|name| {
                    Inline::File(Box::new(File {
                        url: format!("https://files.example.com/{name}"),
                        name,
                        content_type: "application/pdf".to_owned(),
                        ..File::default()
                    }))
                })
                .boxed(),
        ));
    }
    if c.mentions {
        let kinds = prop::sample::select(vec![
            MentionKind::Person,
            MentionKind::User,
            MentionKind::Task,
            MentionKind::Page,
        ]);
        options.push((
            1,
            (
                kinds,
                "[1-9][0-9]{0,5}",
                "[A-Z][a-z]{1,6}( [A-Z][a-z]{1,6})?",
            )
                .prop_map(|(kind, id, label)| {
                    Inline::Mention(Box::new(Mention::new(kind, id, label)))
                })
                .boxed(),
        ));
    }
    if c.vars {
        options.push((
            1,
            "[a-z][a-z_]{0,10}"
                .prop_map(|name| {
                    Inline::Var(Var {
                        name,
                        ..Var::default()
                    })
                })
                .boxed(),
        ));
    }
    let max = c.max_inlines.max(min.max(1));
    prop::collection::vec(Union::new_weighted(options), min..=max)
        .prop_map(merge_texts)
        .boxed()
}
