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

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use crate::sink::{Handle, Lines, Parsed, PosSink};
use html5ever::tendril::StrTendril;
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
        self.builder.process_token(token, line_number)
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// Parses a document (a fragment is parsed as a page's body, as browsers do).
pub(crate) fn parse<'a>(html: &str, lines: &'a Lines<'a>) -> Parsed<'a> {
    let guard = Guard {
        builder: TreeBuilder::new(PosSink::new(lines), TreeBuilderOpts::default()),
        dropped: RefCell::new(HashMap::new()),
        count: Cell::new(0),
        first_line: Cell::new(1),
    };
    let tokenizer = Tokenizer::new(guard, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // `Script` results ask the caller to run a script; there is none to run.
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
    tokenizer.end();
    let guard = tokenizer.sink;
    let flattened = (guard.count.get(), guard.first_line.get());
    guard.builder.sink.finish_with(flattened)
}
