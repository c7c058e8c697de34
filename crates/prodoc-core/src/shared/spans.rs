//! Productive's inline HTML forms (the mention, variable, file, discussion and styles spans of the
//! 2026 guide) and the escaping they are written with: one writer for the HTML writer and for
//! the Markdown writer's HTML fallbacks, so that both write the same markup and leave out the
//! same unsafe values with the same diagnostics.
//!
//! What a form cannot carry is told to `report` as a code and a message; the caller adds the
//! JSON Pointer it knows.

use std::sync::Arc;

use crate::codes::{self, Code};
use crate::shared::url::is_safe_url;
use crate::{File, Inline, Mark, Mention, Styles, Text, Var};

/// Escapes text for element content: `&`, `<`, `>`, NBSP (as html5ever's serializer does), a CR
/// (which HTML would turn into LF), U+0000 (which HTML cannot carry; U+FFFD is what any reader
/// would see), and `@[` split by `<wbr>` so that text that looks like the mention shorthand reads
/// back as text.
pub fn escape_text(out: &mut String, text: &str) {
    escape_content(out, text, false);
}

/// [`escape_text`], and with `references_for_breaks` line breaks and tabs as character
/// references too (which HTML reads as the same characters).
fn escape_content(out: &mut String, text: &str, references_for_breaks: bool) {
    push_replacing(out, text, |bytes, at| {
        Some(match *bytes.get(at)? {
            b'\n' if references_for_breaks => ("&#10;", 1),
            b'\t' if references_for_breaks => ("&#9;", 1),
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'\r' => ("&#13;", 1),
            0 => ("\u{fffd}", 1),
            b'[' if at.checked_sub(1).and_then(|before| bytes.get(before)) == Some(&b'@') => {
                ("<wbr>[", 1)
            }
            NBSP_LEAD if bytes.get(at + 1) == Some(&NBSP_LAST) => ("&nbsp;", 2),
            _ => return None,
        })
    });
}

/// U+00A0 NO-BREAK SPACE in UTF-8.
const NBSP_LEAD: u8 = 0xc2;
const NBSP_LAST: u8 = 0xa0;

/// Escapes an attribute value in double quotes: `&`, `<`, `>`, `"`, NBSP, and line breaks and
/// tabs as character references, so that a value never holds a line break (in Markdown, a blank
/// line inside would end the HTML).
pub fn escape_attr(out: &mut String, value: &str) {
    push_replacing(out, value, |bytes, at| {
        Some(match *bytes.get(at)? {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\r' => ("&#13;", 1),
            b'\n' => ("&#10;", 1),
            b'\t' => ("&#9;", 1),
            NBSP_LEAD if bytes.get(at + 1) == Some(&NBSP_LAST) => ("&nbsp;", 2),
            _ => return None,
        })
    });
}

/// Copies `text` to `out`, copying the runs between replacements whole rather than a character
/// at a time (writing 27 MB of JSON made from Markdown as HTML: `escape_text` took 263.9 M
/// instructions a character at a time). `replace` is given the bytes and a position, and gives
/// what replaces the bytes from there and how many it replaces, or `None` to keep the byte; what
/// it replaces must be whole characters.
pub fn push_replacing(
    out: &mut String,
    text: &str,
    replace: impl Fn(&[u8], usize) -> Option<(&'static str, usize)>,
) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        match replace(bytes, at) {
            Some((replacement, replaced)) => {
                out.push_str(text.get(copied..at).unwrap_or_default());
                out.push_str(replacement);
                at += replaced.max(1);
                copied = at;
            }
            None => at += 1,
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
}

/// [`push_replacing`] for replacements of single bytes, each of them ASCII (`replace` keeps every
/// other byte, so that runs end on character boundaries).
pub fn push_replacing_ascii(
    out: &mut String,
    text: &str,
    replace: impl Fn(u8) -> Option<&'static str>,
) {
    push_replacing(out, text, |bytes, at| {
        bytes
            .get(at)
            .copied()
            .and_then(&replace)
            .map(|replacement| (replacement, 1))
    });
}

/// Writes ` name="value"`.
pub fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escape_attr(out, value);
    out.push('"');
}

/// Escapes the text inside a span as [`escape_text`] does, with line breaks and tabs as
/// character references (which HTML reads as the same characters), so that a span never spans a
/// blank line in Markdown.
fn escape_span_text(out: &mut String, text: &str) {
    escape_content(out, text, true);
}

/// Whether the mention's text is its label, which is all Productive's span carries (the editor
/// shows the label; real bodies hold it as the text child). A mention without a text child (the
/// guide's form) counts: its label is its text, and readers give it back as the text child.
pub fn mention_text_is_label(mention: &Mention) -> bool {
    match mention.content.as_slice() {
        [] => true,
        [text] => text.text == mention.label && text.marks.is_empty(),
        _ => false,
    }
}

/// `<span mention-type mention-id mention-label [mention-avatar-url]>label</span>`.
pub fn mention(out: &mut String, mention: &Mention, report: &mut dyn FnMut(Code, &'static str)) {
    if !mention_text_is_label(mention) {
        report(
            codes::NOT_EXPRESSIBLE,
            "found a mention whose text differs from its label; the span carries the label only",
        );
    }
    out.push_str("<span");
    attr(out, "mention-type", mention.kind.as_str());
    attr(out, "mention-id", &mention.id);
    attr(out, "mention-label", &mention.label);
    if let Some(avatar) = &mention.avatar_url {
        if is_safe_url(avatar) {
            attr(out, "mention-avatar-url", avatar);
        } else {
            report(codes::UNSAFE_URL, "found a mention avatar URL with a scheme other than http, https or mailto; it was left out");
        }
    }
    out.push('>');
    escape_span_text(out, &mention.label);
    out.push_str("</span>");
}

/// `<span var="name"></span>`.
pub fn var(out: &mut String, var: &Var) {
    out.push_str("<span");
    attr(out, "var", &var.name);
    out.push_str("></span>");
}

/// `<span file-type url name>name</span>`; with an unsafe URL, only the name as text.
pub fn file(out: &mut String, file: &File, report: &mut dyn FnMut(Code, &'static str)) {
    if !is_safe_url(&file.url) {
        report(codes::UNSAFE_URL, "found a file URL with a scheme other than http, https or mailto; only the file's name was written");
        escape_span_text(out, &file.name);
        return;
    }
    out.push_str("<span");
    attr(out, "file-type", &file.content_type);
    attr(out, "url", &file.url);
    attr(out, "name", &file.name);
    out.push('>');
    escape_span_text(out, &file.name);
    out.push_str("</span>");
}

/// The opening tag of the discussion mark: `<span discussion-id resolved-id>`.
pub fn open_discussion(out: &mut String, discussion: &crate::Discussion) {
    out.push_str("<span");
    attr(out, "discussion-id", &discussion.discussion_id);
    attr(out, "resolved-id", &discussion.resolved_id);
    out.push('>');
}

/// The closing tag of the discussion and styles marks.
pub const CLOSE_SPAN: &str = "</span>";

/// The opening tag of the styles mark, `<span style="color: …; …">`, with its declarations in
/// the order of [`Styles`]; a value that is not a plain CSS value ([`is_safe_css_value`]) is left
/// out. Returns whether a tag was written: with no declaration left, none is.
pub fn open_styles(
    out: &mut String,
    styles: &Styles,
    report: &mut dyn FnMut(Code, &'static str),
) -> bool {
    let mut css = String::new();
    let mut left_out = false;
    let mut styles = styles.clone();
    for (property, value) in STYLE_PROPERTIES.into_iter().zip(style_values(&mut styles)) {
        let Some(value) = value.as_deref() else {
            continue;
        };
        let value = css_value(property, value);
        if !is_safe_css_value(&value) {
            left_out = true;
            continue;
        }
        if !css.is_empty() {
            css.push_str("; ");
        }
        css.push_str(property);
        css.push_str(": ");
        css.push_str(&value);
    }
    if left_out {
        report(
            codes::UNSAFE_CSS,
            "found a style value that is not a plain CSS value; it was left out",
        );
    }
    if css.is_empty() {
        return false;
    }
    out.push_str("<span");
    attr(out, "style", &css);
    out.push('>');
    true
}

/// The CSS properties the `styles` mark's values are written as, in the order written
/// ([`style_values`] gives the values in the same order).
pub const STYLE_PROPERTIES: [&str; 6] = [
    "color",
    "background-color",
    "font-weight",
    "font-size",
    "text-align",
    "white-space",
];

/// The `styles` mark's values, in the order of [`STYLE_PROPERTIES`].
pub fn style_values(styles: &mut Styles) -> [&mut Option<String>; 6] {
    [
        &mut styles.color,
        &mut styles.background_color,
        &mut styles.font_weight,
        &mut styles.font_size,
        &mut styles.text_align,
        &mut styles.white_space,
    ]
}

/// How a `styles` attribute's value is written as the CSS `property`'s value. Two of the editor's
/// values are not CSS as they stand: an empty value (the editor writes `""` for every property
/// it leaves alone) is written `unset`, CSS's word for exactly that; a font size without a unit
/// (the editor stores `"12"`) is in pixels. [`styles_value`] reads both back.
pub fn css_value<'v>(property: &str, value: &'v str) -> std::borrow::Cow<'v, str> {
    if value.is_empty() {
        return "unset".into();
    }
    let number =
        |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if property == "font-size" && number(value) {
        return format!("{value}px").into();
    }
    value.into()
}

/// A `styles` attribute's value from the CSS `property`'s value: the inverse of [`css_value`]
/// (`unset` is empty, a font size in whole or decimal pixels loses its `px`).
pub fn styles_value(property: &str, css: &str) -> String {
    let css = css.trim();
    if css.eq_ignore_ascii_case("unset") {
        return String::new();
    }
    if property == "font-size" {
        if let Some(number) = css.strip_suffix("px") {
            if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                return number.to_owned();
            }
        }
    }
    css.to_owned()
}

/// Whether a link to `href` may be written; when not, reports it (the text is written without
/// the link).
pub fn link_allowed(href: &str, report: &mut dyn FnMut(Code, &'static str)) -> bool {
    let allowed = is_safe_url(href);
    if !allowed {
        report(codes::UNSAFE_URL, "found a link to a URL with a scheme other than http, https or mailto; the text was written without the link");
    }
    allowed
}

/// Whether an image from `src` may be written; when not, reports it (the image is left out). An
/// image without a URL is one no page can show and no reader reads back (strict JSON reading
/// rejects it; lenient reading keeps it for the writers to report here).
pub fn image_allowed(src: &str, report: &mut dyn FnMut(Code, &'static str)) -> bool {
    if src.trim().is_empty() {
        report(
            codes::IMAGE_WITHOUT_SRC,
            "found an image without a URL, expected one; the image was left out",
        );
        return false;
    }
    let allowed = is_safe_url(src);
    if !allowed {
        report(codes::UNSAFE_URL, "found an image URL with a scheme other than http, https or mailto; the image was left out");
    }
    allowed
}

/// Whether the forms leave `inline` out entirely: an image without a URL or with an unsafe one
/// (as [`image_allowed`] decides).
pub fn left_out(inline: &Inline) -> bool {
    matches!(inline, Inline::Image(image) if !image_allowed(&image.src, &mut |_, _| {}))
}

/// Inline content as Productive's HTML forms carry it: what the URL and CSS policies leave out is
/// left out here too (links and images with unsafe URLs, unsafe avatar URLs and style values, a
/// styles mark left with no value), a file with an unsafe URL becomes its name as text, as the
/// writers write it, and a mention without a text child gets its label as text, as readers give
/// it. A writer that reads its output back compares with this, so that what it
/// already reported as left out is not reported again as a mismatch.
pub fn carried(content: &[Inline]) -> Vec<Inline> {
    let mut out = Vec::with_capacity(content.len());
    for inline in content {
        match inline {
            inline if left_out(inline) => {}
            Inline::File(file) if !is_safe_url(&file.url) => {
                out.push(Inline::Text(Text::plain(file.name.as_str())));
            }
            Inline::Mention(mention) => {
                let mut mention = mention.clone();
                if mention
                    .avatar_url
                    .as_deref()
                    .is_some_and(|url| !is_safe_url(url))
                {
                    mention.avatar_url = None;
                }
                // The guide's form, without a text child, reads back in the editor's.
                if mention.content.is_empty() && !mention.label.is_empty() {
                    mention.content = vec![Text::plain(mention.label.as_str())];
                }
                out.push(Inline::Mention(mention));
            }
            Inline::Text(text) => {
                let mut text = text.clone();
                text.marks.retain(|mark| match mark {
                    Mark::Link(link) => is_safe_url(&link.href),
                    Mark::Styles(styles) => {
                        let mut kept = false;
                        for (property, value) in STYLE_PROPERTIES
                            .into_iter()
                            .zip(style_values(Arc::make_mut(styles)))
                        {
                            // As the value reads back: the CSS it is written as, read again.
                            *value = value.as_deref().and_then(|v| {
                                let css = css_value(property, v);
                                is_safe_css_value(&css).then(|| styles_value(property, &css))
                            });
                            kept |= value.is_some();
                        }
                        kept
                    }
                    _ => true,
                });
                out.push(Inline::Text(text));
            }
            other => out.push(other.clone()),
        }
    }
    out
}

/// Whether a value can be written into a `style` attribute without changing what the attribute
/// says: no declaration or rule breaks (`;`, `{`, `}`), no quotes, escapes or comments, no
/// resource loading (`url(`, `image(`) and no legacy script hooks (`expression(`).
pub fn is_safe_css_value(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    !value.is_empty()
        && value.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(c, ' ' | '#' | '%' | '.' | ',' | '(' | ')' | '+' | '-' | '_')
        })
        && !["url(", "image(", "expression(", "image-set("]
            .iter()
            .any(|bad| lower.contains(bad))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::{Discussion, MentionKind};

    #[test]
    fn forms() {
        let mut notes = Vec::new();
        let mut report = |code: Code, _: &'static str| notes.push(code);
        let mut out = String::new();
        let mut person = Mention::new(MentionKind::parse("person"), "1", "Ann \"A\"");
        person.avatar_url = Some("javascript:x".into());
        mention(&mut out, &person, &mut report);
        var(
            &mut out,
            &Var {
                name: "n".into(),
                ..Var::default()
            },
        );
        file(
            &mut out,
            &File {
                url: "data:x".into(),
                name: "a\nb".into(),
                ..File::default()
            },
            &mut report,
        );
        open_discussion(
            &mut out,
            &Discussion {
                discussion_id: "d".into(),
                resolved_id: "r".into(),
                ..Discussion::default()
            },
        );
        let styles = Styles {
            color: Some("red".into()),
            font_size: Some("url(x)".into()),
            ..Styles::default()
        };
        assert!(open_styles(&mut out, &styles, &mut report));
        assert_eq!(
            out,
            "<span mention-type=\"person\" mention-id=\"1\" mention-label=\"Ann &quot;A&quot;\">Ann \"A\"</span>\
             <span var=\"n\"></span>a&#10;b<span discussion-id=\"d\" resolved-id=\"r\"><span style=\"color: red\">"
        );
        assert_eq!(
            notes,
            [codes::UNSAFE_URL, codes::UNSAFE_URL, codes::UNSAFE_CSS]
        );
    }

    #[test]
    fn safe_css_values() {
        assert!(is_safe_css_value("rgb(1, 2, 3)"));
        assert!(is_safe_css_value("#fef3c7"));
        assert!(is_safe_css_value("12px"));
        assert!(!is_safe_css_value("red; background: url(x)"));
        assert!(!is_safe_css_value("url(https)"));
        assert!(!is_safe_css_value("expression(alert(1))"));
        assert!(!is_safe_css_value("\"x\""));
        assert!(!is_safe_css_value(""));
    }

    /// The escaping rules a character at a time, as they were written before the escapers
    /// copied runs: the reference the property below holds them to.
    fn escaped_by_chars(text: &str, attribute: bool, references_for_breaks: bool) -> String {
        let mut out = String::new();
        let mut previous = '\0';
        for c in text.chars() {
            match c {
                '\n' if attribute || references_for_breaks => out.push_str("&#10;"),
                '\t' if attribute || references_for_breaks => out.push_str("&#9;"),
                '"' if attribute => out.push_str("&quot;"),
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '\u{a0}' => out.push_str("&nbsp;"),
                '\r' => out.push_str("&#13;"),
                '\0' if !attribute => out.push('\u{fffd}'),
                '[' if !attribute && previous == '@' => out.push_str("<wbr>["),
                c => out.push(c),
            }
            previous = c;
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn escaping_copies_runs_as_the_rules_say(
            chars in proptest::collection::vec(
                proptest::prop_oneof![
                    3 => proptest::sample::select(vec![
                        '@', '[', '&', '<', '>', '"', '\r', '\n', '\t', '\0', '\u{a0}',
                        '\u{c2}', '\u{2028}', 'é', '€', '😀', 'a', ' ',
                    ]),
                    1 => proptest::arbitrary::any::<char>(),
                ],
                0..40,
            )
        ) {
            let text: String = chars.into_iter().collect();
            let written = |escape: fn(&mut String, &str)| {
                let mut out = String::from("before ");
                escape(&mut out, &text);
                out
            };
            let expected = |attribute, breaks| format!("before {}", escaped_by_chars(&text, attribute, breaks));
            proptest::prop_assert_eq!(written(escape_text), expected(false, false));
            proptest::prop_assert_eq!(written(escape_span_text), expected(false, true));
            proptest::prop_assert_eq!(written(escape_attr), expected(true, false));
        }
    }

    #[test]
    fn escaping_at_the_edges() {
        let mut out = String::new();
        escape_text(&mut out, "[@[\u{a0}@\u{a0}[x\u{a0}");
        assert_eq!(out, "[@<wbr>[&nbsp;@&nbsp;[x&nbsp;");
        out.clear();
        escape_attr(&mut out, "\u{a0}\u{c2}é\"");
        assert_eq!(out, "&nbsp;\u{c2}é&quot;");
    }

    #[test]
    fn span_text_holds_no_line_break() {
        let mut out = String::new();
        escape_span_text(&mut out, "a\n\tb<@[");
        assert_eq!(out, "a&#10;&#9;b&lt;@<wbr>[");
        let mut plain = String::new();
        escape_text(&mut plain, "a\n\tb");
        assert_eq!(plain, "a\n\tb");
    }
}
