//! What editors and sites put on the clipboard, recognised by their markup.
//!
//! Google Docs, Word and Outlook write formatting as CSS on spans and repeat the default font and
//! colour on every one, and write an empty paragraph as a no-break space; Sphinx, MkDocs, GitHub,
//! Bootstrap, Notion and Confluence mark callouts and code languages with classes of their own.
//! None of that is HTML's meaning, so it is kept here, one convention per function, and the walk
//! only asks whether an element is Office markup or a callout and which language a code block is
//! in. A source is known from markup, never from text, so that typed text cannot switch a
//! convention on. Checks of one class that decide an element's kind (Notion's `column-list`,
//! Confluence's `inline-task-list`) stay in the walk beside the element they decide.

use std::sync::Arc;

use html5ever::Attribute;
use prodoc_core::{BannerKind, Inline, Mark, MarkType, Styles};

use super::{attr, is_whitespace, Container, Reader};
use crate::css;
use crate::sink::NodeRef;

/// Whether an element is what Google Docs, Word or Outlook put on the clipboard (see
/// `Ctx::office`): Google Docs' `docs-internal-guid` wrapper, Word's `Mso…` classes, the Office
/// namespaces on `<html>`.
pub(super) fn office_markup(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        let local = &*a.name.local;
        (local == "id" && a.value.starts_with("docs-internal-guid"))
            || (local == "class"
                && a.value
                    .split_ascii_whitespace()
                    .any(|c| c.starts_with("Mso")))
            || (local.starts_with("xmlns") && a.value.contains("urn:schemas-microsoft-com:office"))
    })
}

impl Reader<'_> {
    /// Word and Google Docs write an empty paragraph as one holding a no-break space.
    pub(super) fn office_empty(&mut self) {
        if !self.ctx.office {
            return;
        }
        if let Some(Container {
            para: Some(para), ..
        }) = self.containers.last_mut()
        {
            if para.explicit
                && !para.inlines.is_empty()
                && para.inlines.iter().all(|i| matches!(i, Inline::Text(t) if t.text.chars().all(|c| c == '\u{a0}' || is_whitespace(c))))
            {
                para.inlines.clear();
                para.trailing_space = false;
            }
        }
    }

    /// Google Docs' and Word's spans: formatting as CSS, defaults repeated on every span.
    pub(super) fn office_styles(&mut self, style: &str) {
        if css::get(style, "font-weight").is_some_and(css::is_bold) {
            self.push_mark(Mark::Strong);
        }
        if css::get(style, "font-style").is_some_and(|s| s.eq_ignore_ascii_case("italic")) {
            self.push_mark(Mark::Em);
        }
        // Office suites style link text as underlined and blue; the link mark says that already.
        let in_link = self
            .marks
            .get(MarkType::Link as usize)
            .is_some_and(Option::is_some);
        let decoration = css::get(style, "text-decoration-line")
            .or_else(|| css::get(style, "text-decoration"))
            .unwrap_or_default()
            .to_ascii_lowercase();
        if decoration.contains("underline") && !in_link {
            self.push_mark(Mark::Underline);
        }
        if decoration.contains("line-through") {
            self.push_mark(Mark::Strike);
        }
        let normalised = |v: &str| v.to_ascii_lowercase().replace(' ', "");
        let color = css::get(style, "color").filter(|c| {
            !in_link
                && !matches!(
                    normalised(c).as_str(),
                    "#000000" | "#000" | "black" | "windowtext" | "rgb(0,0,0)" | "inherit" | "auto"
                )
        });
        let background = css::get(style, "background-color")
            .or_else(|| css::get(style, "background"))
            .filter(|c| {
                !matches!(
                    normalised(c).as_str(),
                    "transparent"
                        | "#ffffff"
                        | "#fff"
                        | "white"
                        | "rgb(255,255,255)"
                        | "inherit"
                        | "none"
                )
            });
        let styles = Styles {
            color: color
                .filter(|c| prodoc_core::shared::spans::is_safe_css_value(c))
                .map(str::to_owned),
            background_color: background
                .filter(|c| prodoc_core::shared::spans::is_safe_css_value(c))
                .map(str::to_owned),
            ..Styles::default()
        };
        if styles != Styles::default() {
            self.push_mark(Mark::Styles(Arc::new(styles)));
        }
    }
}

/// GitHub's `<div class="highlight highlight-source-rust"><pre>`.
pub(super) fn parent_language(node: NodeRef<'_>) -> Option<String> {
    attr(node.parent()?.attrs(), "class")?
        .split_ascii_whitespace()
        .find_map(|token| token.strip_prefix("highlight-source-"))
        .map(str::to_owned)
}

pub(super) fn language_class(attrs: &[Attribute]) -> Option<String> {
    attr(attrs, "class")?
        .split_ascii_whitespace()
        .find_map(|token| {
            token
                .strip_prefix("language-")
                .or_else(|| token.strip_prefix("lang-"))
        })
        .map(str::to_owned)
}

/// The banner kind an element's classes ask for, when they clearly mark a callout: Sphinx and
/// MkDocs `admonition`, GitHub `markdown-alert`, Bootstrap `alert`, Notion `callout`,
/// Confluence `confluence-information-macro`.
pub(super) fn admonition_kind(attrs: &[Attribute]) -> Option<BannerKind> {
    let class = attr(attrs, "class")?;
    // Most elements with a class are no callout: they are told apart without lowercasing.
    let markers = [
        "confluence-information-macro",
        "admonition",
        "markdown-alert",
        "alert",
        "callout",
        "admonitionblock",
    ];
    if !class
        .split_ascii_whitespace()
        .any(|token| markers.iter().any(|m| token.eq_ignore_ascii_case(m)))
    {
        return None;
    }
    let tokens: Vec<String> = class
        .split_ascii_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    let has = |name: &str| tokens.iter().any(|t| t == name);
    if has("confluence-information-macro") {
        return Some(if has("confluence-information-macro-note") {
            BannerKind::Warning
        } else if has("confluence-information-macro-tip") {
            BannerKind::Success
        } else if has("confluence-information-macro-warning") {
            BannerKind::Critical
        } else {
            BannerKind::Info
        });
    }
    if ![
        "admonition",
        "markdown-alert",
        "alert",
        "callout",
        "admonitionblock",
    ]
    .iter()
    .any(|marker| has(marker))
    {
        return None;
    }
    let kind_of = |token: &str| -> Option<BannerKind> {
        let token = token
            .trim_start_matches("markdown-alert-")
            .trim_start_matches("alert-")
            .trim_start_matches("callout-");
        match token {
            "warning" | "caution" | "attention" | "important" => Some(BannerKind::Warning),
            "danger" | "error" | "critical" | "failure" | "bug" => Some(BannerKind::Critical),
            "success" | "tip" | "hint" | "check" | "done" => Some(BannerKind::Success),
            "info" | "information" | "note" | "notice" | "seealso" | "abstract" => {
                Some(BannerKind::Info)
            }
            _ => None,
        }
    };
    Some(
        tokens
            .iter()
            .find_map(|t| kind_of(t))
            .unwrap_or(BannerKind::Info),
    )
}
