//! The registry of diagnostic codes (`prodoc_core::codes`) against what the crates report:
//!
//! - `docs/diagnostic-codes.md` is the registry as generated here (`UPDATE_CODES=1` rewrites it);
//! - every diagnostic any reader or writer gives, on a broad set of inputs, has a registered code
//!   and the severity its rule allows;
//! - the same event gives the same code whatever the format.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use prodoc::codes::{self, Code, SeverityRule};
use prodoc::{Diagnostic, Doc, Severity};

/// The library as this test calls it: the one place to adapt when the API changes.
mod api {
    use prodoc::{Diagnostic, Doc};

    /// JSON read strictly or leniently: the document when there is one, and the diagnostics (a
    /// failed read's are in its error).
    pub fn read_json(input: &str, strict: bool) -> (Option<Doc>, Vec<Diagnostic>) {
        let options = if strict {
            prodoc::ReadOptions::strict()
        } else {
            prodoc::ReadOptions::lenient()
        };
        match prodoc::json::read_str(input, &options) {
            Ok(read) => (Some(read.doc), read.diagnostics),
            Err(error) => (None, error.diagnostics),
        }
    }

    /// A document as compact JSON.
    pub fn write_json(doc: &Doc) -> String {
        prodoc::json::to_string(doc)
    }

    /// Markdown read with the default options (GFM, mentions, front matter), or with deep
    /// headings as bold paragraphs, or as plain CommonMark.
    pub fn read_markdown(input: &str, variant: u8) -> (Doc, Vec<Diagnostic>) {
        use prodoc::markdown::{DeepHeadings, ReadOptions};
        let options = match variant {
            0 => ReadOptions::default(),
            1 => ReadOptions {
                deep_headings: DeepHeadings::BoldParagraph,
                ..ReadOptions::default()
            },
            _ => ReadOptions::commonmark(),
        };
        let read = prodoc::markdown::read(input, &options);
        (read.doc, read.diagnostics)
    }

    /// HTML read with the default options, or with a lower depth limit.
    pub fn read_html(input: &str, max_depth: Option<usize>) -> (Doc, Vec<Diagnostic>) {
        let mut options = prodoc::html::ReadOptions::default();
        if let Some(depth) = max_depth {
            options.max_depth = depth;
        }
        let read = prodoc::html::read(input, &options);
        (read.doc, read.diagnostics)
    }

    /// Plain text read, with or without lists.
    pub fn read_text(input: &str, lists: bool) -> (Doc, Vec<Diagnostic>) {
        let read = prodoc::text::read(input, &prodoc::text::ReadOptions { lists });
        (read.doc, read.diagnostics)
    }

    /// The writers: (name, output, diagnostics) for Markdown, HTML in both dialects and text.
    pub fn write_all(doc: &Doc) -> Vec<(&'static str, String, Vec<Diagnostic>)> {
        let markdown = prodoc::markdown::write(doc, &Default::default());
        let html = prodoc::html::write(doc, &Default::default());
        let plain = prodoc::html::write(
            doc,
            &prodoc::html::WriteOptions {
                dialect: prodoc::html::Dialect::Plain,
                ..Default::default()
            },
        );
        let text = prodoc::text::write(doc, &Default::default());
        vec![
            ("write-markdown", markdown.text, markdown.diagnostics),
            ("write-html", html.text, html.diagnostics),
            ("write-html-plain", plain.text, plain.diagnostics),
            ("write-text", text.text, text.diagnostics),
        ]
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------
// a. docs/diagnostic-codes.md

/// The file as generated from the registry.
fn codes_document() -> String {
    format!(
        "# Diagnostic codes\n\
         \n\
         Every diagnostic prodoc reports (reading or writing JSON, Markdown, HTML and plain text, \
         the import pipeline, the command line and WebAssembly programs) carries one of these \
         stable kebab-case codes, so tools may match on them. Each code has one meaning and a \
         severity rule: *error* codes are always errors (there is no document to speak of); \
         *error when strict, else warning* codes are errors when JSON is read strictly and \
         warnings when it is read leniently or when a converter repairs the input; *warning* \
         codes are always warnings (a converter changed or left something out, and says what).\n\
         \n\
         This file is generated from the registry, `crates/prodoc-core/src/codes.rs`, by \
         `tests/codes.rs`, which fails when it is out of date; do not edit it by hand. To \
         regenerate it: `UPDATE_CODES=1 cargo test -p prodoc --test codes`.\n\
         \n\
         {}",
        codes::markdown_table()
    )
}

#[test]
fn the_codes_document_is_current() {
    let path = root().join("docs/diagnostic-codes.md");
    let expected = codes_document();
    if std::env::var_os("UPDATE_CODES").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let found = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        found == expected,
        "docs/diagnostic-codes.md is not what the registry gives; regenerate it with \
         `UPDATE_CODES=1 cargo test -p prodoc --test codes` and commit it"
    );
}

// ---------------------------------------------------------------------------------------------
// b. Every code emitted is registered and obeys its severity rule.

/// Where diagnostics came from, for the rule on `Violation` codes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// JSON read strictly: violations are errors.
    StrictJson,
    /// Anything else (lenient JSON reading, the other readers, the writers): violations are
    /// warnings.
    Other,
}

#[derive(Default)]
struct Audit {
    /// Every code seen, with the stages that reported it.
    seen: BTreeMap<Code, BTreeSet<&'static str>>,
    /// The first input that gave each code, shortened.
    example: BTreeMap<Code, String>,
    diagnostics: usize,
    /// Diagnostics whose code is not registered or whose severity its rule does not allow.
    failures: Vec<String>,
    /// Diagnostics of `Violation` codes that are errors outside strict JSON reading, where the
    /// rule makes them warnings.
    lenient_errors: Vec<String>,
}

/// `input` shortened for a message.
fn shorten(input: &str, chars: usize) -> String {
    let mut shown: String = input.chars().take(chars).collect();
    if shown.len() < input.len() {
        shown.push('…');
    }
    format!("{shown:?}")
}

impl Audit {
    fn check(&mut self, stage: &'static str, input: &str, context: Context, found: &[Diagnostic]) {
        for diagnostic in found {
            self.diagnostics += 1;
            let code = diagnostic.code;
            self.seen.entry(code).or_default().insert(stage);
            self.example
                .entry(code)
                .or_insert_with(|| format!("{stage} {}", shorten(input, 70)));
            let mut failures = Vec::new();
            if Code::lookup(code.as_str()) != Some(code) {
                failures.push(format!("code `{code}` is not registered"));
            }
            let rule = code.info().severity;
            if !rule.allows(diagnostic.severity) {
                failures.push(format!(
                    "a {} with code `{code}`, whose rule is {rule:?}",
                    diagnostic.severity
                ));
            }
            if rule == SeverityRule::Violation
                && context == Context::StrictJson
                && diagnostic.severity != Severity::Error
            {
                failures.push(format!(
                    "a {} with the violation code `{code}` when reading JSON strictly",
                    diagnostic.severity
                ));
            }
            let shown = shorten(input, 160);
            for why in failures {
                self.failures
                    .push(format!("{stage}: {why}: {diagnostic}\n    input: {shown}"));
            }
            if rule == SeverityRule::Violation
                && context == Context::Other
                && diagnostic.severity != Severity::Warning
            {
                self.lenient_errors.push(format!(
                    "{stage}: an {} with the violation code `{code}`: {diagnostic}\n    input: {shown}",
                    diagnostic.severity
                ));
            }
        }
    }

    /// Runs every writer on `doc`, and reads each output back with its reader.
    fn write(&mut self, doc: &Doc) {
        let json = api::write_json(doc);
        for (stage, output, diagnostics) in api::write_all(doc) {
            self.check(stage, &json, Context::Other, &diagnostics);
            let (stage, (_, diagnostics)) = match stage {
                "write-markdown" => ("reread-markdown", api::read_markdown(&output, 0)),
                "write-text" => ("reread-text", api::read_text(&output, true)),
                _ => ("reread-html", api::read_html(&output, None)),
            };
            self.check(stage, &output, Context::Other, &diagnostics);
        }
    }

    fn json(&mut self, input: &str) {
        let (strict_doc, diagnostics) = api::read_json(input, true);
        self.check("json-strict", input, Context::StrictJson, &diagnostics);
        let (lenient_doc, diagnostics) = api::read_json(input, false);
        self.check("json-lenient", input, Context::Other, &diagnostics);
        for doc in [strict_doc, lenient_doc].iter().flatten() {
            self.write(doc);
        }
    }

    fn markdown(&mut self, input: &str) {
        for variant in 0..3 {
            let (doc, diagnostics) = api::read_markdown(input, variant);
            self.check("read-markdown", input, Context::Other, &diagnostics);
            if variant == 0 {
                self.write(&doc);
            }
        }
    }

    fn html(&mut self, input: &str) {
        let (doc, diagnostics) = api::read_html(input, None);
        self.check("read-html", input, Context::Other, &diagnostics);
        self.write(&doc);
        let (_, diagnostics) = api::read_html(input, Some(4));
        self.check("read-html", input, Context::Other, &diagnostics);
    }

    fn text(&mut self, input: &str) {
        for lists in [false, true] {
            let (doc, diagnostics) = api::read_text(input, lists);
            self.check("read-text", input, Context::Other, &diagnostics);
            if lists {
                self.write(&doc);
            }
        }
    }
}

/// Every file under `dir`, recursively, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `depth` nested copies of `open … close` around `inner`.
fn nest(open: &str, close: &str, depth: usize, inner: &str) -> String {
    open.repeat(depth) + inner + &close.repeat(depth)
}

/// A JSON document of `depth` nested blockquotes around a paragraph.
fn deep_json(depth: usize) -> String {
    let paragraph = r#"{"type":"paragraph","content":[{"type":"text","text":"deep"}]}"#;
    let body = nest(
        r#"{"type":"blockquote","content":["#,
        "]}",
        depth,
        paragraph,
    );
    format!(r#"{{"type":"doc","content":[{body}]}}"#)
}

/// A JSON document holding `blocks` (JSON text of blocks, comma-separated).
fn json_doc(blocks: &str) -> String {
    format!(r#"{{"type":"doc","content":[{blocks}]}}"#)
}

const P: &str = r#"{"type":"paragraph","content":[{"type":"text","text":"p"}]}"#;

/// JSON inputs that break the format's rules in every way there is, and documents that the
/// writers cannot carry as they are.
fn json_inputs() -> Vec<String> {
    let text = |extra: &str| {
        json_doc(&format!(
            r#"{{"type":"paragraph","content":[{{"type":"text","text":"t"{extra}}}]}}"#
        ))
    };
    let mut inputs: Vec<String> = [
        "",
        "{",
        "[1,",
        "nul",
        "42",
        "[]",
        r#"{"type":"paragraph"}"#,
        r#"{"data":{}}"#,
        r#"{"data":{"attributes":{}}}"#,
        r#"{"type":"doc","content":[1]}"#,
        r#"{"type":"doc","content":[{}]}"#,
        r#"{"type":"doc","content":[{"type":7}]}"#,
        r#"{"type":"doc","content":[{"type":"widget","attrs":{"a":1}}]}"#,
        r#"{"type":"doc","type":"doc","content":[]}"#,
        r#"{"type":"doc","content":{}}"#,
        r#"{"type":"doc","content":[],"extra":1}"#,
        r#""{\"type\":\"doc\",\"content\":[]}""#,
        r#""not json""#,
        r#"{"data":{"attributes":{"body":"{\"type\":\"doc\",\"content\":[{\"type\":\"heading\",\"attrs\":{\"level\":9}}]}"}}}"#,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for extra in [
        r#","marks":[{"type":"blink"}]"#,
        r#","marks":[{"type":"strong"},{"type":"strong"}]"#,
        r#","marks":[{"type":"link","attrs":{"href":"javascript:a"}}]"#,
        r#","marks":[{"type":"link"}]"#,
        r#","marks":[{"type":"link","attrs":{"href":5,"rel":"x"}}]"#,
        r#","marks":[{"type":"styles","attrs":{"color":"url(x)","backgroundColor":"red","fontSize":"12px","fontWeight":"700","whiteSpace":"pre","textAlign":"center"}}]"#,
        r#","marks":[{"type":"discussion","attrs":{"discussionId":"1","resolvedId":"2"}},{"type":"underline"},{"type":"code"},{"type":"strike"},{"type":"em"}]"#,
        r#","marks":[1, {}]"#,
        r#","marks":{}"#,
        r#","attrs":{"x":1}"#,
        r#","bogus":true"#,
    ] {
        inputs.push(text(extra));
    }
    for blocks in [
        r#"{"type":"paragraph","content":[{"type":"text","text":""}]}"#,
        r#"{"type":"paragraph","content":[{"type":"text"}]}"#,
        r#"{"type":"paragraph","attrs":{"foo":1,"textAlign":"sideways","id":"p1"},"marks":[],"content":[]}"#,
        r#"{"type":"paragraph","foo":1}"#,
        r#"{"type":"heading","content":[{"type":"text","text":"h"}]}"#,
        r#"{"type":"heading","attrs":{"level":"1"},"content":[{"type":"text","text":"h"}]}"#,
        r#"{"type":"heading","attrs":{"level":4},"content":[{"type":"text","text":"h"}]}"#,
        r#"{"type":"heading","attrs":{"level":0,"id":"h0"},"content":[{"type":"text","text":"h"}]}"#,
        r#"{"type":"banner","attrs":{"type":"nope"},"content":[{"type":"paragraph"}]}"#,
        r#"{"type":"banner","content":[]}"#,
        r#"{"type":"table","content":[{"type":"table_row","content":[{"type":"table_cell","attrs":{"colspan":0,"rowspan":-1,"colwidth":[1,"a"],"background":"url(x)"},"content":[]}]}]}"#,
        r#"{"type":"table","attrs":{"id":"t"},"content":[{"type":"table_row","content":[{"type":"table_header","attrs":{"colspan":2,"colwidth":[100,50],"background":"red"},"content":[{"type":"paragraph","content":[{"type":"text","text":"a"},{"type":"br"}]}]}]},{"type":"table_row","content":[{"type":"table_header","content":[]},{"type":"table_cell","content":[]}]}]}"#,
        r#"{"type":"table","content":[]}"#,
        r#"{"type":"table","content":[{"type":"table_row","content":[]}]}"#,
        r#"{"type":"ul","content":[]}"#,
        r#"{"type":"ul","content":[{"type":"paragraph"}]}"#,
        r#"{"type":"li","content":[]}"#,
        r#"{"type":"ol","attrs":{"order":1},"content":[{"type":"li","content":[{"type":"paragraph","content":[{"type":"text","text":"one"}]}]}]}"#,
        r#"{"type":"ol","attrs":{"order":-3},"content":[{"type":"li","content":[{"type":"heading","attrs":{"level":1},"content":[{"type":"text","text":"h"}]}]}]}"#,
        r#"{"type":"checklist","content":[{"type":"checklist_item","attrs":{"checked":"yes"},"content":[{"type":"paragraph"}]}]}"#,
        r#"{"type":"codeblock","attrs":{"language":"two words"},"content":[{"type":"text","text":"x","marks":[{"type":"strong"}]}]}"#,
        r#"{"type":"codeblock","attrs":{"language":""},"content":[{"type":"text","text":"x"}]}"#,
        r#"{"type":"codeblock","content":[{"type":"br"}]}"#,
        r#"{"type":"columns","content":[{"type":"column","content":[{"type":"paragraph"}]}]}"#,
        r#"{"type":"columns","attrs":{"id":"c"},"content":[{"type":"column","content":[{"type":"paragraph","content":[{"type":"text","text":"a"}]}]},{"type":"column","content":[{"type":"paragraph","content":[{"type":"text","text":"b"}]}]}]}"#,
        r#"{"type":"divider","content":[{"type":"text","text":"x"}]}"#,
        r#"{"type":"blockquote","content":[{"type":"text","text":"legacy"}]}"#,
        r#"{"type":"blockquote","content":[]}"#,
        r#"{"type":"text","text":"top"}"#,
        r#"{"type":"paragraph","content":[{"type":"paragraph"}]}"#,
        r#"{"type":"paragraph","content":[{"type":"image","attrs":{"src":"javascript:a","alt":"a","width":"w"}},{"type":"image","attrs":{"src":"a.png","alt":"","title":"","width":40}},{"type":"image","attrs":{}}]}"#,
        r#"{"type":"paragraph","content":[{"type":"file","attrs":{"url":"javascript:a","name":"n","type":"a/b"}},{"type":"file","attrs":{"url":"https://e.example/f.pdf","name":"f.pdf","type":"application/pdf"}}]}"#,
        r#"{"type":"paragraph","content":[{"type":"mention","attrs":{"id":"1","type":"user","label":"A [b]","avatarUrl":"javascript:a"},"content":[{"type":"text","text":"A"}]},{"type":"mention","attrs":{"id":"1","type":"","label":"x"}},{"type":"mention","attrs":{"id":"2","type":"user","label":"B"},"content":[{"type":"text","text":"B","marks":[{"type":"em"}]}]}]}"#,
        r#"{"type":"paragraph","content":[{"type":"var","attrs":{"name":""}},{"type":"var","attrs":{"name":"customer"}},{"type":"br","marks":[{"type":"em"}]},{"type":"widget"}]}"#,
        r#"{"type":"paragraph","attrs":{"textAlign":"right","id":"x"},"content":[{"type":"text","text":"right"},{"type":"br"}]}"#,
        r#"{"type":"paragraph","content":[{"type":"text","text":"a\nb"}]}"#,
    ] {
        inputs.push(json_doc(blocks));
    }
    inputs.push(json_doc(&[P; 3].join(",")));
    for depth in [58, 59, 60, 61, 62, 100] {
        inputs.push(deep_json(depth));
    }
    inputs
}

/// Markdown inputs that make the reader say something.
fn markdown_inputs() -> Vec<String> {
    let mut inputs: Vec<String> = [
        "[x](javascript:a)",
        "[x](data:text/html,a \"t\")",
        "<javascript:alert(1)>",
        "![a](javascript:a)",
        "![a]()",
        "![]()",
        "[![a](https://e.example/i.png)](https://e.example)",
        "#### four\n\n##### five\n\n###### six\n",
        "- [ ] a\n- b\n- [x] c\n",
        "1. [ ] a\n2. [x] b\n",
        "3. [ ] a\n",
        "> [!IMPORTANT]\n> x\n\n> [!NOTE]\n> y\n",
        "a[^1] b[^missing]\n\n[^1]: note\n",
        "---\ntitle: x\ntags: [a, b]\nnested:\n  a: b\nmulti: |\n  x\n---\n\nbody\n",
        "---\n: bad\n---\n",
        "---\na: [unclosed\n---\n",
        "---\na: 1\na: 2\n---\n",
        "**@[user:1:A]** and _x @[task:2:B] y_",
        "| a |\n|---|\n| b | c |\n",
        "| a | b |\n|---|:-:|\n| *x* | <u>y</u> |\n",
        "<script>x</script>\n\npara <b>bold</b> <sub>2</sub><sup>3</sup>\n",
        "<!-- c -->\n",
        "<h4>x</h4>\n",
        "<span style=\"color: url(x)\">a</span> <img src=\"javascript:a\"> <a href=\"javascript:a\">x</a>\n",
        "<div data-columns><div data-column><p>a</p></div></div>\n",
        "<table></table>\n\n<ul></ul>\n",
        "<input type=checkbox> <button>b</button>\n",
        "<math><mi>x</mi></math>\n",
        "text with a NUL \u{0} byte\n",
        "$x$ and \\( y \\)\n",
        "```rust\ncode\n```\n\n    indented\n",
        "Setext\n===\n\nSub\n---\n",
        "* a\n\n  * b\n\n    > c\n",
        "<details><summary>s</summary>\n\nbody\n\n</details>\n",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    inputs.push(">".repeat(100) + " deep\n");
    inputs.push(
        (0..80)
            .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
            .collect(),
    );
    inputs.push(
        (0..80)
            .map(|i| format!("{}> - x{i}\n", "  ".repeat(i)))
            .collect(),
    );
    inputs.push(nest("<blockquote>", "</blockquote>", 100, "deep") + "\n");
    inputs
}

/// HTML inputs that make the reader say something.
fn html_inputs() -> Vec<String> {
    let mut inputs: Vec<String> = [
        r#"<a href="javascript:a">x</a>"#,
        r#"<img src="javascript:a" alt="a">"#,
        r#"<img alt="a"><img src=" ">"#,
        r#"<img src="a.png" width="wide">"#,
        "<h4>x</h4><h5>y</h5><h6>z</h6>",
        "<p>a<script>x</script><style>p{}</style><template>t</template><noscript>n</noscript></p>",
        "<iframe src=x></iframe><object></object><embed><svg><text>s</text></svg><video></video><audio></audio><canvas></canvas>",
        "<p><input type=checkbox><select><option>o</option></select><textarea>t</textarea><button>b</button></p>",
        "<!-- comment --><p>x</p>",
        "<!-- only -->",
        "<!--StartFragment--><p>x</p><!--EndFragment-->",
        "<html><head><title>T</title><meta charset=utf-8><style>p{}</style><script>s</script></head><body><p>x</p></body></html>",
        "<p>H<sub>2</sub>O x<sup>2</sup></p>",
        "<details><summary>S</summary><p>b</p></details><dl><dt>T</dt><dd>D</dd></dl>",
        "<ol type=\"a\" reversed><li>x</li></ol><p><q>q</q> <abbr title=\"t\">A</abbr> <span style=\"vertical-align: sub\">2</span></p>",
        "<p><math><mi>x</mi><mo>=</mo><mn>1</mn></math></p>",
        r#"<banner type="nope"><p>x</p></banner><banner><p>y</p></banner>"#,
        r#"<ol start="x"><li>a</li></ol><ol start="3"><li>b</li></ol>"#,
        r#"<ul type="checklist"><li type="checklist_item" checked="maybe">a</li></ul>"#,
        r#"<table><tr><td colspan="0" rowspan="x">a</td><td colwidth="a,b">b</td></tr></table>"#,
        r#"<table><tr><td style="background-color: url(x)">a</td></tr></table>"#,
        r#"<p><span style="color: expression(x); background-color: red">a</span><span style="color:url(x)">b</span></p>"#,
        r#"<p><span mention-type="" mention-id="1">x</span><span mention-type="user" mention-id="1" mention-avatar-url="javascript:a">y</span></p>"#,
        r#"<p><span var="">x</span><span file-type="a/b" url="javascript:a" name="n">n</span></p>"#,
        "<ul></ul><ol></ol><table></table><table><tr></tr></table>",
        "<div data-columns></div>",
        "<div data-columns><div data-column><p>a</p></div></div>",
        "<div data-columns><div data-column><p>1</p></div><div data-column><p>2</p></div><div data-column><p>3</p></div><div data-column><p>4</p></div><div data-column><p>5</p></div><div data-column><p>6</p></div></div>",
        "<ul><li><h2>head</h2>text</li></ul>",
        "<ul>loose<li><h2>head</h2><ul><li>n</li></ul></li><ul><li>nested directly</li></ul></ul>",
        "<p><b><a href=\"https://e.example\"><img src=\"a.png\"></a></b> <u>u</u> <s>s</s> <code>c</code></p>",
        "<pre><code class=\"language-rust\">fn x</code></pre><hr><blockquote>q</blockquote>",
        "<p>x</p><br><br>",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for (open, close) in [
        ("<blockquote>", "</blockquote>"),
        ("<ul><li>", "</li></ul>"),
        ("<div>", "</div>"),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<b><i>", "</i></b>"),
        ("<banner type=\"info\">", "</banner>"),
    ] {
        inputs.push(nest(open, close, 100, "deep"));
    }
    inputs.push(nest("<div>", "</div>", 700, "very deep"));
    // One tag with more attributes than the limit.
    let attributes: String = (0..=prodoc::shared::limits::HTML_ATTRIBUTES_PER_TAG)
        .map(|i| format!(" a{i}=1"))
        .collect();
    inputs.push(format!("<p{attributes}>x</p>"));
    // Word's list paragraphs, nested to level 9.
    let items: String = (1..=9)
        .map(|level| {
            format!(
                "<p class=MsoListParagraphCxSpMiddle style='margin-left:{}.0pt;text-indent:-18.0pt;mso-list:l0 level{level} lfo1'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp; </span></span></span><![endif]>item {level}<o:p></o:p></p>\n",
                level * 36
            )
        })
        .collect();
    inputs.push(format!(
        "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:w=\"urn:schemas-microsoft-com:office:word\">\n<body lang=EN-GB>\n<div class=WordSection1>\n{items}</div>\n</body>\n</html>\n"
    ));
    inputs
}

/// Plain-text inputs that make the reader say something.
fn text_inputs() -> Vec<String> {
    let mut inputs: Vec<String> = [
        "1. a\n3. b\n",
        "- a\n  - b\n* c\n[ ] d\n[x] e\n",
        "\u{feff}line\r\nline\rline\n\n\npara",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    inputs.push(
        (0..24)
            .map(|i| format!("{}- x{i}\n", "  ".repeat(i)))
            .collect(),
    );
    inputs
}

/// Every reader and writer run on every input, once for the tests that look at the result.
fn audit() -> &'static Audit {
    static AUDIT: std::sync::OnceLock<Audit> = std::sync::OnceLock::new();
    AUDIT.get_or_init(run_audit)
}

fn run_audit() -> Audit {
    let mut audit = Audit::default();

    // The 21 real bodies.
    let corpus = files_under(&root().join("tests/corpus/productive-real"));
    assert_eq!(corpus.len(), 21);
    for path in &corpus {
        audit.json(&std::fs::read_to_string(path).unwrap());
    }

    // Every fixture under the crates' test folders, by kind.
    let mut fixtures = 0;
    let mut crates: Vec<PathBuf> = std::fs::read_dir(root().join("crates"))
        .unwrap()
        .map(|entry| entry.unwrap().path().join("tests"))
        .collect();
    crates.sort();
    for path in crates.iter().flat_map(|dir| files_under(dir)) {
        let Ok(content) = std::fs::read_to_string(&path) else {
            continue;
        };
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") => audit.html(&content),
            Some("md") => audit.markdown(&content),
            Some("txt") => audit.text(&content),
            Some("json") => {
                let value: serde_json::Value = serde_json::from_str(&content).unwrap();
                match &value {
                    // The CommonMark and GFM examples: Markdown and the HTML it renders to.
                    serde_json::Value::Array(examples) => {
                        for example in examples {
                            if let Some(markdown) = example["markdown"].as_str() {
                                audit.markdown(markdown);
                                audit.text(markdown);
                            }
                            if let Some(html) = example["html"].as_str() {
                                audit.html(html);
                            }
                        }
                    }
                    // A fixture's expected document.
                    serde_json::Value::Object(object) if object.contains_key("doc") => {
                        audit.json(&value["doc"].to_string());
                    }
                    _ => audit.json(&content),
                }
            }
            _ => continue,
        }
        fixtures += 1;
    }
    assert!(fixtures >= 20, "{fixtures} fixture files");

    for input in json_inputs() {
        audit.json(&input);
    }
    for input in markdown_inputs() {
        audit.markdown(&input);
        audit.text(&input);
    }
    for input in html_inputs() {
        audit.html(&input);
    }
    for input in text_inputs() {
        audit.text(&input);
    }

    // Documents deeper than any reader gives, for the writers' limits.
    let mut deep = prodoc::build::p([prodoc::build::text("bottom")]);
    for _ in 0..80 {
        deep = prodoc::build::blockquote([deep]);
    }
    audit.write(&prodoc::build::doc([deep]));
    audit
}

/// The codes no input here reaches: `html` (Markdown's note for HTML it cannot read, which only a
/// build without the HTML reader gives), the import pipeline's (`prodoc-productive`) and the
/// programs' (command line, WebAssembly).
const UNREACHED: &[Code] = &[
    codes::HTML,
    codes::LOCAL_FILE_NOT_FOUND,
    codes::FILE_LINK_KEPT,
    codes::IO,
    codes::INPUT_TOO_LARGE,
    codes::FILE_SKIPPED,
    codes::INVALID_OPTION,
    codes::INVALID_ARGUMENT,
];

#[test]
fn every_code_reported_is_registered_and_keeps_its_severity_rule() {
    let audit = audit();
    println!(
        "{} diagnostics; {} codes seen of {} registered:",
        audit.diagnostics,
        audit.seen.len(),
        codes::ALL.len()
    );
    for (code, stages) in &audit.seen {
        println!("  {code}: {stages:?}, first from {}", audit.example[code]);
    }
    let unseen: Vec<Code> = codes::ALL
        .iter()
        .copied()
        .filter(|code| !audit.seen.contains_key(code))
        .collect();
    println!("not seen: {unseen:?}");
    assert!(
        audit.failures.is_empty(),
        "{} diagnostics break the registry:\n{}",
        audit.failures.len(),
        audit.failures.join("\n")
    );
    // The inputs reach every code the library's readers and writers report, so the checks above
    // are not vacuous; a code no longer reached fails here.
    let missed: Vec<Code> = unseen
        .iter()
        .copied()
        .filter(|code| !UNREACHED.contains(code))
        .collect();
    assert!(missed.is_empty(), "no input gives {missed:?}");
    assert!(
        audit.seen.len() >= 45,
        "only {} codes seen",
        audit.seen.len()
    );
}

/// The other half of the `Violation` rule: outside strict JSON reading a violation is a warning
/// (SeverityRule::allows cannot tell, as it does not know the context).
#[test]
fn violations_are_warnings_outside_strict_json_reading() {
    let audit = audit();
    assert!(
        audit.lenient_errors.is_empty(),
        "{} violation diagnostics are errors outside strict JSON reading:\n{}",
        audit.lenient_errors.len(),
        audit.lenient_errors.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// c. The same event gives the same code in every format.

/// A valid JSON document of one paragraph holding `inline`, for each writer.
fn writers(inline: &str) -> Vec<(&'static str, String)> {
    let doc = json_doc(&format!(r#"{{"type":"paragraph","content":[{inline}]}}"#));
    ["write-markdown", "write-html", "write-html-plain"]
        .into_iter()
        .map(|writer| (writer, doc.clone()))
        .collect()
}

/// An event, the code it should give, and the inputs in each format that hold it: the format is
/// a reader (`markdown`, `html`, `json-lenient`, `json-strict`) or a writer, whose input is a
/// valid JSON document.
type Event = (&'static str, Code, Vec<(&'static str, String)>);

/// The diagnostics of `input` read, or read as JSON and written, as `format` says.
fn diagnostics_of(format: &str, input: &str) -> Vec<Diagnostic> {
    match format {
        "markdown" => api::read_markdown(input, 0).1,
        "html" => api::read_html(input, None).1,
        "json-lenient" => api::read_json(input, false).1,
        "json-strict" => api::read_json(input, true).1,
        writer => {
            let (doc, read) = api::read_json(input, true);
            assert_eq!(read, [], "{input}");
            let written = api::write_all(&doc.unwrap());
            let found = written.into_iter().find(|(name, _, _)| *name == writer);
            found.unwrap_or_else(|| panic!("no writer {writer}")).2
        }
    }
}

/// Checks that every input of each event gives its code and no other; the failures, described.
fn compare(events: Vec<Event>) -> Vec<String> {
    let mut failures = Vec::new();
    for (event, expected, inputs) in events {
        let found: Vec<(&str, BTreeSet<Code>, Vec<Diagnostic>)> = inputs
            .iter()
            .map(|(format, input)| {
                let diagnostics = diagnostics_of(format, input);
                let codes = diagnostics.iter().map(|d| d.code).collect();
                println!("{event}: {format}: {codes:?}");
                (*format, codes, diagnostics)
            })
            .collect();
        let want = BTreeSet::from([expected]);
        if found.iter().any(|(_, codes, _)| *codes != want) {
            let detail: Vec<String> = found
                .iter()
                .map(|(format, codes, diagnostics)| {
                    let messages: Vec<String> =
                        diagnostics.iter().map(ToString::to_string).collect();
                    format!("    {format}: {codes:?} {messages:?}")
                })
                .collect();
            failures.push(format!(
                "{event}: expected only `{expected}` everywhere\n{}",
                detail.join("\n")
            ));
        }
    }
    failures
}

#[test]
fn the_same_event_gives_the_same_code_in_every_format() {
    let deep = 100;
    let heading = json_doc(
        r#"{"type":"heading","attrs":{"level":4},"content":[{"type":"text","text":"x"}]}"#,
    );
    let failures = compare(vec![
        (
            "an unsafe link",
            codes::UNSAFE_URL,
            vec![
                ("markdown", "[x](javascript:a)".to_owned()),
                ("html", r#"<a href="javascript:a">x</a>"#.to_owned()),
            ],
        ),
        (
            "an unsafe image URL",
            codes::UNSAFE_URL,
            vec![
                ("markdown", "![a](javascript:a)".to_owned()),
                ("html", r#"<img src="javascript:a" alt="a">"#.to_owned()),
            ],
        ),
        (
            "an image without a URL",
            codes::IMAGE_WITHOUT_SRC,
            vec![
                ("markdown", "![a]()".to_owned()),
                ("html", r#"<img alt="a">"#.to_owned()),
            ],
        ),
        (
            "a level-4 heading",
            codes::HEADING_LEVEL,
            vec![
                ("markdown", "#### x".to_owned()),
                ("html", "<h4>x</h4>".to_owned()),
                ("json-lenient", heading.clone()),
                ("json-strict", heading),
            ],
        ),
        (
            "nesting deeper than the limit",
            codes::NESTING_TOO_DEEP,
            vec![
                ("markdown", ">".repeat(deep) + " x"),
                ("html", nest("<blockquote>", "</blockquote>", deep, "x")),
                // Node nesting past the limit within serde_json's 128 JSON levels: deeper JSON
                // cannot be read at all (`json-too-deep`, another event).
                ("json-lenient", deep_json(61)),
                ("json-strict", deep_json(61)),
            ],
        ),
    ]);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The writers drop what their readers would drop, and should say so with the same code: an
/// unsafe URL in a document is `unsafe-url` in Markdown as in HTML.
#[test]
fn the_writers_give_the_same_code_for_the_same_event() {
    let failures = compare(vec![
        (
            "an unsafe link in a document, written",
            codes::UNSAFE_URL,
            writers(
                r#"{"type":"text","text":"x","marks":[{"type":"link","attrs":{"href":"javascript:a"}}]}"#,
            ),
        ),
        (
            "an unsafe image URL in a document, written",
            codes::UNSAFE_URL,
            // Beside text: a paragraph left empty is another event (Markdown writes it as HTML,
            // `html-fallback`), which the test below checks on its own.
            writers(
                r#"{"type":"text","text":"a "},{"type":"image","attrs":{"src":"javascript:a","alt":"a"}}"#,
            ),
        ),
        (
            "an unsafe file URL in a document, written",
            codes::UNSAFE_URL,
            writers(r#"{"type":"file","attrs":{"url":"javascript:a","name":"n","type":"a/b"}}"#),
        ),
        (
            "an unsafe mention avatar URL in a document, written",
            codes::UNSAFE_URL,
            // Plain HTML writes a mention as the text `@label`, no avatar to drop.
            writers(
                r#"{"type":"mention","attrs":{"id":"1","type":"user","label":"A","avatarUrl":"javascript:a"},"content":[{"type":"text","text":"A"}]}"#,
            )
            .into_iter()
            .filter(|(writer, _)| *writer != "write-html-plain")
            .collect(),
        ),
        (
            "an unsafe CSS value in a document, written",
            codes::UNSAFE_CSS,
            // Plain HTML writes no styles at all.
            writers(
                r#"{"type":"text","text":"x","marks":[{"type":"styles","attrs":{"color":"url(x)"}}]}"#,
            )
            .into_iter()
            .filter(|(writer, _)| *writer != "write-html-plain")
            .collect(),
        ),
    ]);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A paragraph holding only an unsafe image is empty once the image is left out: every writer
/// says `unsafe-url` for the image, and Markdown, which has no empty paragraph, `html-fallback`
/// for the paragraph, not a mismatch.
#[test]
fn a_paragraph_left_empty_by_the_url_policy() {
    let doc = json_doc(
        r#"{"type":"paragraph","content":[{"type":"image","attrs":{"src":"javascript:a","alt":"a"}}]}"#,
    );
    let doc = api::read_json(&doc, true).0.unwrap();
    // Plain text has no href or src for the policy to guard.
    for (writer, text, diagnostics) in api::write_all(&doc)
        .into_iter()
        .filter(|(writer, ..)| *writer != "write-text")
    {
        let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.contains(&codes::UNSAFE_URL), "{writer}: {codes:?}");
        assert!(
            !codes.contains(&codes::MARKDOWN_MISMATCH),
            "{writer}: {codes:?}"
        );
        assert!(!text.contains("javascript"), "{writer}: {text}");
        if writer == "write-markdown" {
            assert!(codes.contains(&codes::HTML_FALLBACK), "{codes:?}");
        }
    }
}
