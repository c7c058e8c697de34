//! The plain dialect survives sanitising unchanged, and nothing read from hostile HTML can run
//! script once written back, in either dialect.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_core::arbitrary::{doc, DocConfig};
use prodoc_html::{read, write, Dialect, ReadOptions, WriteOptions};
use proptest::prelude::*;

fn plain() -> WriteOptions {
    WriteOptions {
        dialect: Dialect::Plain,
        ..WriteOptions::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// Every node type, every mark: the plain writer uses only what ammonia's defaults keep.
    #[test]
    fn plain_output_is_left_unchanged_by_ammonia(doc in doc(DocConfig::default())) {
        let written = write(&doc, &plain()).text;
        prop_assert_eq!(ammonia::clean(&written), written);
    }
}

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<img src=\"data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+\">",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"java\tscript:alert(1)\">x</a>",
    "<a href=\"java&#x09;script:alert(1)\">x</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
    "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
    "<a href=\"&#0000106avascript:alert(1)\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"\u{1}javascript:alert(1)\">x</a>",
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math href=\"javascript:alert(1)\">x</math>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<body onload=alert(1)>x",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<span style=\"color: red; background-image: url(javascript:alert(1))\">x</span>",
    "<span style=\"color: expression(alert(1))\">x</span>",
    "<p style=\"text-align: center\" onclick=\"alert(1)\">x</p>",
    "<banner type=\"warning\" onmouseover=\"alert(1)\"><p>x</p></banner>",
    "<span mention-type=\"user\" mention-id=\"1\" mention-label=\"&quot; onmouseover=&quot;alert(1)\" mention-avatar-url=\"javascript:alert(1)\">x</span>",
    "<span file-type=\"text/html\" url=\"javascript:alert(1)\" name=\"x\">x</span>",
    "<span var=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"></span>",
    "<pre codeblock-language=\"&quot;&gt;&lt;script&gt;alert(1)//\"><code>x</code></pre>",
    "<td style=\"background-color: red;}</style><script>alert(1)</script>\">x</td>",
    "<table><tr><td style=\"background-color: red; background-image: url(x)\">x</td></tr></table>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<template><script>alert(1)</script></template>",
    "<form action=\"javascript:alert(1)\"><button formaction=\"javascript:alert(1)\">x</button></form>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>x</details>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    "<a href=\"https://ok.example/\" onclick=\"alert(1)\">fine</a>",
    "<img src=\"https://ok.example/i.png\" alt=\"\" onerror=\"alert(1)\">",
    "<p>@[user:1:<img src=x onerror=alert(1)>]</p>",
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    "<xmp><script>alert(1)</script></xmp>",
    "<listing>&lt;img src=x onerror=alert(1)&gt;</listing>",
];

/// Every `href`/`src`/`url` value and every attribute name in some HTML, as a browser would
/// parse them (entities decoded).
fn attributes(html: &str) -> Vec<(String, String)> {
    // The writers quote every attribute value with `"` and escape `"` inside it, so a value
    // runs from `="` to the next `"`.
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let mut chars = tag.split_whitespace().skip(1).collect::<Vec<_>>().join(" ");
        while let Some(eq) = chars.find("=\"") {
            let name = chars[..eq].rsplit(' ').next().unwrap_or("").to_owned();
            let after = &chars[eq + 2..];
            let close = after.find('"').unwrap_or(after.len());
            let value = after[..close]
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">");
            out.push((name, value));
            chars = after[(close + 1).min(after.len())..].to_owned();
        }
    }
    out
}

fn assert_inert(html: &str, source: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{source}\n=> {html}");
    assert!(
        !lower.contains("<iframe") && !lower.contains("<object") && !lower.contains("<embed"),
        "{source}\n=> {html}"
    );
    assert!(
        !lower.contains("<svg") && !lower.contains("<math"),
        "{source}\n=> {html}"
    );
    for (name, value) in attributes(html) {
        let name = name.to_ascii_lowercase();
        assert!(
            !name.starts_with("on"),
            "event handler `{name}` in {html} from {source}"
        );
        if matches!(name.as_str(), "href" | "src" | "url" | "mention-avatar-url") {
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(
                    !squeezed.starts_with(scheme),
                    "{name}={value:?} in {html} from {source}"
                );
            }
        }
        if name == "style" {
            assert!(
                !value.to_ascii_lowercase().contains("url("),
                "{value} in {html}"
            );
            assert!(
                !value.contains(';') || !value.contains('}'),
                "{value} in {html}"
            );
        }
    }
}

#[test]
fn known_payloads_come_out_inert_in_both_dialects() {
    for payload in PAYLOADS {
        for wrapped in [
            payload.to_string(),
            format!("<p>{payload}</p>"),
            format!("<ul><li>{payload}</li></ul>"),
        ] {
            let conversion = read(&wrapped, &ReadOptions::default());
            assert!(
                prodoc_core::validate(&conversion.doc).is_empty(),
                "{wrapped}"
            );
            for dialect in [Dialect::Productive, Dialect::Plain] {
                let written = write(
                    &conversion.doc,
                    &WriteOptions {
                        dialect,
                        ..WriteOptions::default()
                    },
                );
                assert_inert(&written.text, &wrapped);
                // Read again and written again: still inert, and stable.
                let again = read(&written.text, &ReadOptions::default());
                let rewritten = write(
                    &again.doc,
                    &WriteOptions {
                        dialect,
                        ..WriteOptions::default()
                    },
                );
                assert_inert(&rewritten.text, &wrapped);
            }
        }
    }
}

#[test]
fn unsafe_urls_are_reported() {
    let conversion = read(
        "<p><a href=\"javascript:alert(1)\">x</a><img src=\"data:image/png;base64,AA\"></p>",
        &ReadOptions::default(),
    );
    let codes: Vec<prodoc_html::codes::Code> =
        conversion.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            prodoc_html::codes::UNSAFE_URL,
            prodoc_html::codes::UNSAFE_URL
        ]
    );
    // A document built in code with unsafe URLs: the writer drops them and says so.
    use prodoc_core::build::*;
    let doc = doc([p([
        link("x", "javascript:alert(1)"),
        image("vbscript:x", "alt"),
    ])]);
    for dialect in [Dialect::Productive, Dialect::Plain] {
        let written = write(
            &doc,
            &WriteOptions {
                dialect,
                ..WriteOptions::default()
            },
        );
        assert_eq!(written.text, "<p>x</p>");
        assert_eq!(written.diagnostics.len(), 2, "{:?}", written.diagnostics);
        assert_eq!(
            written.diagnostics[0].pointer.as_deref(),
            Some("/content/0/content/0/marks/0")
        );
    }
}
