//! Parsing with html5ever, with a bound on how deep the tree can get.
//!
//! The HTML tree builder scans its stack of open elements for many tags (is a `<p>` in button
//! scope, is there an `<li>` to close), so input nested N deep costs N² (60,000 nested `<div>`s
//! take seconds). Browsers cap the depth of the tree for the same reason. Here a token filter
//! sits between tokenizer and tree builder: once the current node is [`PARSER_DEPTH`] deep,
//! further start tags (and the end tags matching them) are dropped, so their content lands in
//! the deepest element allowed; the reader reports it as `nesting-too-deep`. Void elements and
//! elements that switch the tokenizer into raw text (script, style, textarea, …) always pass, so
//! that what they hold is never read as markup or text by mistake.
//!
//! The input reaches the tokenizer through [`crate::scan`], which leaves out the attributes of a
//! tag past a limit (the tokenizer's duplicate check makes many attributes on one tag quadratic)
//! and asks the guard, at the few places where it matters, what the tree builder made of what
//! came before.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use crate::scan::{Dropped, Parser, Raw};
use crate::sink::{Handle, Lines, Parsed, PosSink};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{LocalName, TokenizerResult};

/// The deepest the parsed tree may get: [`prodoc_core::shared::limits::HTML_PARSER_DEPTH`].
pub(crate) const PARSER_DEPTH: usize = prodoc_core::shared::limits::HTML_PARSER_DEPTH;

struct Guard<'a> {
    builder: TreeBuilder<Handle, PosSink<'a>>,
    dropped: RefCell<HashMap<LocalName, usize>>,
    count: Cell<usize>,
    first_line: Cell<u64>,
    /// The last switch into raw text the tree builder asked for, until the scan takes it.
    switched: Cell<Option<Raw>>,
    /// Where each start tag starts, in the order the scan found them (the tokenizer's): 32 bits
    /// each, as they are all held at once (`<br>` after `<br>` is 4 bytes of input a tag); a tag
    /// past 4 GiB is said to start nowhere and gets its line only.
    starts: RefCell<Vec<u32>>,
    /// How many of `starts` the tokenizer has given.
    next_start: Cell<usize>,
}

fn always_passes(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
            | "plaintext"
            | "template"
            | "html"
            | "head"
            | "body"
    )
}

impl TokenSink for Guard<'_> {
    type Handle = Handle;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<Handle> {
        #[cfg(test)]
        if let Token::TagToken(tag) = &token {
            tests::MOST_ATTRIBUTES.set(tests::MOST_ATTRIBUTES.get().max(tag.attrs.len()));
        }
        // Every token says where its tag starts, if it is a start tag: an element made while a
        // later token is processed (a reopened `<b>`) has no tag of its own.
        let start = match &token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let index = self.next_start.get();
                self.next_start.set(index + 1);
                let start = self
                    .starts
                    .borrow()
                    .get(index)
                    .filter(|&&offset| offset != u32::MAX)
                    .and_then(|&offset| usize::try_from(offset).ok());
                #[cfg(test)]
                tests::START_TAGS
                    .with_borrow_mut(|starts| starts.push((start, tag.name.to_string())));
                start
            }
            _ => None,
        };
        self.builder.sink.start_tag_at(start);
        if let Token::TagToken(tag) = &token {
            match tag.kind {
                TagKind::StartTag
                    if self.builder.sink.current_depth() >= PARSER_DEPTH
                        && !always_passes(&tag.name) =>
                {
                    *self
                        .dropped
                        .borrow_mut()
                        .entry(tag.name.clone())
                        .or_insert(0) += 1;
                    if self.count.get() == 0 {
                        self.first_line.set(line_number);
                    }
                    self.count.set(self.count.get() + 1);
                    return TokenSinkResult::Continue;
                }
                // Nothing to match before the guard has dropped a tag: the usual case skips the
                // lookup.
                TagKind::EndTag if self.count.get() > 0 => {
                    if let Some(open) = self
                        .dropped
                        .borrow_mut()
                        .get_mut(&tag.name)
                        .filter(|open| **open > 0)
                    {
                        *open -= 1;
                        return TokenSinkResult::Continue;
                    }
                }
                TagKind::StartTag | TagKind::EndTag => {}
            }
        }
        let result = self.builder.process_token(token, line_number);
        match result {
            TokenSinkResult::RawData(RawKind::ScriptData) => self.switched.set(Some(Raw::Script)),
            TokenSinkResult::RawData(_) => self.switched.set(Some(Raw::Text)),
            TokenSinkResult::Plaintext => self.switched.set(Some(Raw::Plaintext)),
            _ => {}
        }
        result
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// The tokenizer with its guard, as the scan sees it.
struct Feeder<'a> {
    tokenizer: Tokenizer<Guard<'a>>,
    input: BufferQueue,
}

impl Parser for Feeder<'_> {
    fn feed(&mut self, text: &str) {
        self.input.push_back(StrTendril::from_slice(text));
        // `Script` results ask the caller to run a script; there is none to run.
        while !matches!(self.tokenizer.feed(&self.input), TokenizerResult::Done) {}
    }

    fn take_switch(&mut self) -> Option<Raw> {
        self.tokenizer.sink.switched.take()
    }

    fn cdata_allowed(&self) -> bool {
        self.tokenizer
            .sink
            .adjusted_current_node_present_but_not_in_html_namespace()
    }

    fn start_tag(&mut self, offset: usize) {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        self.tokenizer.sink.starts.borrow_mut().push(offset);
    }
}

/// Parses a document (a fragment is parsed as a page's body, as browsers do). Also says what the
/// scan left out of tags with too many attributes.
pub(crate) fn parse<'a>(html: &str, lines: &'a Lines<'a>) -> (Parsed<'a>, Option<Dropped>) {
    parse_with(lines, |feeder| crate::scan::feed(html, feeder))
}

/// Parses what `feed` gives the tokenizer; says what it left out.
fn parse_with<'a>(
    lines: &'a Lines<'a>,
    feed: impl FnOnce(&mut Feeder<'a>) -> Option<Dropped>,
) -> (Parsed<'a>, Option<Dropped>) {
    let guard = Guard {
        builder: TreeBuilder::new(PosSink::new(lines), TreeBuilderOpts::default()),
        dropped: RefCell::new(HashMap::new()),
        count: Cell::new(0),
        first_line: Cell::new(1),
        switched: Cell::new(None),
        starts: RefCell::new(Vec::new()),
        next_start: Cell::new(0),
    };
    let mut feeder = Feeder {
        tokenizer: Tokenizer::new(guard, TokenizerOpts::default()),
        input: BufferQueue::default(),
    };
    let attributes = feed(&mut feeder);
    feeder.tokenizer.end();
    let guard = feeder.tokenizer.sink;
    let flattened = (guard.count.get(), guard.first_line.get());
    (guard.builder.sink.finish_with(flattened), attributes)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::scan::MAX_ATTRIBUTES;
    use crate::sink::NodeData;

    thread_local! {
        /// The most attributes of any tag token the tree builder was given on this thread.
        pub(super) static MOST_ATTRIBUTES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        /// Each start tag token the tree builder was given on this thread: the offset the scan
        /// said it starts at, and its name.
        pub(super) static START_TAGS: std::cell::RefCell<Vec<(Option<usize>, String)>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    fn attrs(n: usize) -> String {
        (0..n).map(|i| format!(" a{i}=1")).collect()
    }

    /// The most attributes any tag token had, the tree's text in document order, and what the
    /// scan left out.
    fn parsed(html: &str) -> (usize, String, Option<Dropped>) {
        MOST_ATTRIBUTES.set(0);
        let lines = Lines::new(html);
        let (parsed, dropped) = parse(html, &lines);
        let mut most = MOST_ATTRIBUTES.get();
        let mut text = String::new();
        let mut stack = vec![parsed.dom.document()];
        while let Some(node) = stack.pop() {
            match node.data() {
                NodeData::Element { .. } => most = most.max(node.attrs().len()),
                NodeData::Text { contents } => text.push_str(contents),
                _ => {}
            }
            let mut children: Vec<_> = node.children().collect();
            children.reverse();
            stack.extend(children);
        }
        (most, text, dropped)
    }

    #[test]
    fn tags_keep_at_most_the_limit_of_attributes() {
        let n = 5000;
        for html in [
            format!("<p{}>x</p>", attrs(n)),
            format!("<p>x</p{}>", attrs(n)),
            format!("<br{}/>", attrs(n)),
            format!("<p\n{}\n>x", attrs(n).replace(' ', "\n")),
            format!("<p a='1'b=\"2\"{}>x", attrs(n)),
            format!("<p{}", attrs(n)),
        ] {
            let (most, text, dropped) = parsed(&html);
            assert!(most <= MAX_ATTRIBUTES, "{most}: {}", &html[..40]);
            let dropped = dropped.unwrap();
            assert_eq!(dropped.tags, 1);
            assert!(dropped.attributes >= n - MAX_ATTRIBUTES, "{dropped:?}");
            assert!(!text.contains("a4999"), "{text}");
        }
        let (most, _, dropped) = parsed(&format!("<p{}>x", attrs(MAX_ATTRIBUTES)));
        assert_eq!((most, dropped), (MAX_ATTRIBUTES, None));
        let (most, _, dropped) = parsed(&format!("<p{}>x", attrs(MAX_ATTRIBUTES + 1)));
        assert_eq!(most, MAX_ATTRIBUTES);
        assert_eq!(dropped.map(|d| d.attributes), Some(1));
    }

    /// What looks like a tag but is text to the tokenizer is left alone, however many
    /// "attributes" it has.
    #[test]
    fn markup_that_is_not_a_tag_is_left_alone() {
        let fake = format!("<p{}>", attrs(1000));
        for html in [
            format!("<p title=\"{fake}\">x</p>"),
            format!("<p title='{fake}'>x</p>"),
        ] {
            let (most, _, dropped) = parsed(&html);
            assert_eq!((most, dropped), (1, None), "{}", &html[..30]);
        }
        for html in [
            format!("<!--{fake}-->"),
            format!("<!-- <!-- -- {fake} -->"),
            format!("<!-- --!{fake} -->"),
            format!("<?{fake}"),
        ] {
            let (most, _, dropped) = parsed(&html);
            assert_eq!((most, dropped), (0, None), "{}", &html[..30]);
        }
        for html in [
            format!("<svg><![CDATA[ > {fake} ]]></svg>"),
            format!("<textarea>{fake}</textarea>"),
            format!("<title>{fake}</title>"),
            format!("<style>{fake}</style>"),
            format!("<xmp>{fake}</xmp>"),
            format!("<script>{fake}</script>"),
            format!("<script><!--<script></script>{fake}--></script>"),
            format!("<script><!--<script>-></script>{fake}</script>"),
            format!("<svg><![CDATA[{fake}]]></svg>"),
            format!("<plaintext>{fake}"),
        ] {
            let (_, text, dropped) = parsed(&html);
            assert_eq!(dropped, None, "{}", &html[..30]);
            assert!(text.contains("a999=1"), "{}: {text}", &html[..30]);
        }
    }

    /// Where the tree builder decides that a start tag does not switch the tokenizer into raw
    /// text (in SVG, in a `<select>`) or that `<![CDATA[` is a comment, the tag after it is still
    /// bounded: the scan asks the parser instead of guessing.
    #[test]
    fn the_tree_builder_decides_what_is_raw_text() {
        let many = attrs(3000);
        // Each holds a tag of 3001 attributes for html5ever (the first `a`, whose value would
        // end the raw text had the start tag before switched into it).
        for html in [
            format!("<svg><style><p a=\"</style>\"{many}>x"),
            format!("<svg><title><p a=\"</title>\"{many}>x"),
            format!("<math><textarea><p a=\"</textarea>\"{many}>x"),
            format!("<![CDATA[ > <b{many}> ]]>x"),
            format!("<script><!--<script></script ></script><b a=\"</script>\"{many}>x"),
            format!("<textarea></textarea\n{many}><b{many}>x"),
        ] {
            let (most, _, dropped) = parsed(&html);
            assert!(most <= MAX_ATTRIBUTES, "{most}: {}", &html[..40]);
            assert!(dropped.is_some(), "{}", &html[..40]);
        }
        // Whatever the tree builder makes of these, no tag it is given has more than the limit.
        for html in [
            format!("<select><iframe><p a=\"</iframe>\"{many}>x"),
            format!("<select><xmp><b a=\"</xmp>\"{many}>x"),
            format!("<frameset><noframes><b a=\"</noframes>\"{many}>x"),
            format!("<table><style><b a=\"</style>\"{many}>x"),
        ] {
            let (most, _, _) = parsed(&html);
            assert!(most <= MAX_ATTRIBUTES, "{most}: {}", &html[..40]);
        }
    }

    /// A second `<body>` (or `<html>`) adds the attributes the first lacks, whether it had some
    /// or none: they are held beside the arena, and an element without any has no list yet.
    #[test]
    fn a_second_body_adds_the_attributes_the_first_lacks() {
        for (html, expected) in [
            (
                "<body class=a><body id=b class=c>x",
                vec!["class=a", "id=b"],
            ),
            ("<body><body id=b>x", vec!["id=b"]),
            ("<body id=b><body>x", vec!["id=b"]),
            // Other elements' attributes after the first body's: its list moves, theirs stay.
            (
                "<body class=a><p id=p><a href=h>x</a><body id=b class=c><body lang=l><p title=t>",
                vec!["class=a", "id=b", "lang=l"],
            ),
        ] {
            let lines = Lines::new(html);
            let (parsed, _) = parse(html, &lines);
            let mut stack = vec![parsed.dom.document()];
            let mut found = None;
            while let Some(node) = stack.pop() {
                if matches!(node.data(), NodeData::Element { local, .. } if &**local == "body") {
                    found = Some(node);
                }
                stack.extend(node.children());
            }
            let body = found.unwrap();
            let attrs: Vec<String> = body
                .attrs()
                .iter()
                .map(|a| format!("{}={}", &*a.name.local, &*a.value))
                .collect();
            assert_eq!(attrs, expected, "{html}");
        }
        let html = "<body class=a><p id=p><a href=h>x</a><body id=b><p title=t>";
        let lines = Lines::new(html);
        let (parsed, _) = parse(html, &lines);
        let mut stack = vec![parsed.dom.document()];
        let mut others = Vec::new();
        while let Some(node) = stack.pop() {
            if let NodeData::Element { local, .. } = node.data() {
                if !matches!(&**local, "html" | "head" | "body") {
                    for a in node.attrs() {
                        others.push(format!("{local} {}={}", &*a.name.local, &*a.value));
                    }
                }
            }
            stack.extend(node.children().rev());
        }
        assert_eq!(others, ["p id=p", "a href=h", "p title=t"]);
    }

    /// A summary of a tree: each node's depth and kind, an element's name and attribute count,
    /// a text's contents, in document order.
    fn tree(parsed: &Parsed<'_>) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        let mut stack = vec![(parsed.dom.document(), 0)];
        while let Some((node, depth)) = stack.pop() {
            out.push((
                depth,
                match node.data() {
                    NodeData::Element { local, .. } => {
                        format!("<{} {}>", local, node.attrs().len())
                    }
                    NodeData::Text { contents } => format!("{contents:?}"),
                    _ => "node".to_owned(),
                },
            ));
            let mut children: Vec<_> = node.children().map(|child| (child, depth + 1)).collect();
            children.reverse();
            stack.extend(children);
        }
        out
    }

    /// Markup in pieces chosen to reach every state of the scan: tags, attributes of every
    /// form, quotes, comments, raw text, CDATA, and tags with more attributes than the limit.
    fn markup() -> impl Strategy<Value = String> {
        const PIECES: &[&str] = &[
            "<",
            ">",
            "/",
            "=",
            "\"",
            "'",
            " ",
            "\n",
            "\r",
            "a",
            "p",
            "<p",
            "</p",
            "<b ",
            "<!--",
            "-->",
            "<script>",
            "</script>",
            "<style>",
            "</style >",
            "<!",
            "<?",
            "<![CDATA[",
            "]]>",
            "-",
            "!",
            "<svg>",
            "</svg>",
            "x=1",
            " y='2'",
            " z=\"3\"",
            "/>",
            "<title>",
            "</title>",
            "<plaintext>",
            "\t",
            "<!--<script>",
            "<SCRIPT",
            "=\"",
            "<br/",
            "<td ",
            "<select>",
            "<table>",
            "<math>",
            "<textarea>",
        ];
        proptest::collection::vec(0..PIECES.len() + 2, 0..40).prop_map(|choices| {
            let mut html = String::new();
            for (at, choice) in choices.into_iter().enumerate() {
                match PIECES.get(choice) {
                    Some(piece) => html.push_str(piece),
                    // Attributes past the limit, named apart from any other piece's.
                    None if choice == PIECES.len() => {
                        for i in 0..MAX_ATTRIBUTES + 40 {
                            html.push_str(&format!(" n{at}x{i}=1"));
                        }
                    }
                    None => {
                        for i in 0..MAX_ATTRIBUTES + 40 {
                            html.push_str(&format!("/m{at}x{i}='v>'"));
                        }
                    }
                }
            }
            html
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The scan against html5ever alone: it leaves out attributes exactly when html5ever
        /// would see a tag with more than the limit, changes nothing otherwise, never lets such a
        /// tag through, and finds every start tag the tokenizer gives, where it starts.
        #[test]
        fn the_scan_follows_the_tokenizer(html in markup()) {
            let lines = Lines::new(&html);
            MOST_ATTRIBUTES.set(0);
            let (alone, _) = parse_with(&lines, |feeder| {
                feeder.feed(&html);
                None
            });
            let most_alone = MOST_ATTRIBUTES.get();
            MOST_ATTRIBUTES.set(0);
            START_TAGS.with_borrow_mut(Vec::clear);
            let (scanned, dropped) = parse(&html, &lines);
            prop_assert!(MOST_ATTRIBUTES.get() <= MAX_ATTRIBUTES);
            if most_alone > MAX_ATTRIBUTES {
                prop_assert!(dropped.is_some());
            } else {
                // Also when the input ends in a tag past the limit: the tokenizer drops that tag
                // with or without its attributes.
                prop_assert_eq!(tree(&scanned), tree(&alone));
            }
            for (offset, name) in START_TAGS.take() {
                let offset = offset.unwrap_or(usize::MAX);
                let found = html.get(offset + 1..offset + 1 + name.len());
                prop_assert!(
                    html.get(offset..offset + 1) == Some("<")
                        && found.is_some_and(|found| found.eq_ignore_ascii_case(&name)),
                    "<{}> said to start at {}", name, offset
                );
            }
        }
    }
}
