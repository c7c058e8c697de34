//! The URL policy: which URLs may stand in `href` and `src` (http, https, mailto and relative
//! ones), and which are relative. Every reader and writer, and the import pipeline, ask here.

/// What a URL is, for the policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlKind {
    /// No scheme by the URL Standard's grammar: a path, a query, a fragment or a `//host`
    /// reference, resolved against the page.
    Relative,
    /// An http, https or mailto URL.
    Allowed,
    /// Any other scheme (`javascript:`, `data:`, `file:`, `ftp:`, …): left out by every reader and
    /// writer, with `unsafe-url`.
    Forbidden,
}

/// Whether `url` is safe to write into `href` or `src`, and to keep when reading: not
/// [`UrlKind::Forbidden`].
pub fn is_safe_url(url: &str) -> bool {
    classify(url) != UrlKind::Forbidden
}

/// Whether `reference` names a file beside the document: relative, and neither empty, a fragment
/// (`#top`), a query (`?q`) nor a `//host` reference.
pub fn is_local_reference(reference: &str) -> bool {
    let trimmed = reference.trim();
    classify(trimmed) == UrlKind::Relative
        && !(trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with('?')
            || trimmed.starts_with("//"))
}

/// What `url` is: [`UrlKind`].
///
/// Browsers ignore tabs and newlines anywhere in a URL and leading and trailing control characters
/// and spaces, so `java\tscript:` and ` javascript:` are javascript URLs; they are checked as a
/// browser would see them. A colon before the first `/`, `?` or `#` ends a scheme when what
/// precedes it is one by the URL Standard's grammar (an ASCII letter, then letters, digits, `+`,
/// `-` and `.`), and only `http`, `https` and `mailto` pass; a URL without a scheme is relative,
/// as browsers (and ammonia's URL parser) read `@[x]:y` or `a b:c`.
pub fn classify(url: &str) -> UrlKind {
    // Links are checked by the thousand on real pages: one pass over the bytes up to where the
    // scheme would end, with no copy. Skipping leading spaces and control characters, then tabs
    // and newlines wherever they are, is the same as removing tabs and newlines first and trimming
    // then, since those are among the bytes trimmed; trailing trimming cannot change a scheme.
    let mut scheme = [0u8; 6];
    let mut len = 0;
    let bytes = url.as_bytes();
    let start = bytes
        .iter()
        .position(|&byte| byte > b' ')
        .unwrap_or(bytes.len());
    for &byte in bytes.get(start..).unwrap_or_default() {
        match byte {
            b'\t' | b'\n' | b'\r' => {}
            b':' => {
                // An empty scheme is none: a relative URL.
                return if len == 0 {
                    UrlKind::Relative
                } else if matches!(scheme.get(..len), Some(b"http" | b"https" | b"mailto")) {
                    UrlKind::Allowed
                } else {
                    UrlKind::Forbidden
                };
            }
            b'/' | b'?' | b'#' => return UrlKind::Relative,
            _ => {
                let in_scheme = if len == 0 {
                    byte.is_ascii_alphabetic()
                } else {
                    byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'-' | b'.')
                };
                // Not a scheme by the URL Standard's grammar: a relative URL.
                if !in_scheme {
                    return UrlKind::Relative;
                }
                // A scheme longer than the buffer is none of the allowed ones: `get` fails.
                if let Some(slot) = scheme.get_mut(len) {
                    *slot = byte.to_ascii_lowercase();
                }
                len += 1;
            }
        }
    }
    UrlKind::Relative
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use proptest::prelude::*;

    use super::{classify, is_local_reference, is_safe_url, UrlKind};

    /// The rule as the docs state it, step by step: the one-pass check must agree with it.
    fn stated_rule(url: &str) -> bool {
        let cleaned: String = url
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        let trimmed = cleaned.trim_matches(|c: char| c <= ' ');
        let end = trimmed.find(['/', '?', '#']).unwrap_or(trimmed.len());
        let head = &trimmed[..end];
        let Some(scheme) = head.find(':').map(|colon| &head[..colon]) else {
            return true;
        };
        let mut bytes = scheme.bytes();
        let is_scheme = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
            && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
        !is_scheme
            || ["http", "https", "mailto"]
                .iter()
                .any(|allowed| scheme.eq_ignore_ascii_case(allowed))
    }

    proptest! {
        #[test]
        fn the_one_pass_check_agrees_with_the_stated_rule(
            url in "[ \t\n\r\x01a-zA-Z0-9:/?#+.\\-_é]{0,12}(https?|mailto|javascript|data|HtTp|x)?[:/?# \t]{0,2}[a-z:]{0,4}"
        ) {
            prop_assert_eq!(is_safe_url(&url), stated_rule(&url), "{:?}", url);
        }
    }

    #[test]
    fn schemes() {
        for safe in [
            "https://example.com/a b?q=(1)&r=<2>",
            "HTTP://x",
            "mailto:a@b.c",
            "/relative/path.md",
            "img/a b.png",
            "#top",
            "?q=a:b",
            "a/b:c",
            "",
            // Undecoded, this is a relative URL with a fragment: harmless.
            "jav&#x09;ascript:alert(1)",
            // No scheme by the URL Standard's grammar before the colon: relative paths.
            "@[]MMj':x",
            "a b:c",
            "1http:x",
            "java\u{1}script:alert(1)",
            "_x:y",
        ] {
            assert!(is_safe_url(safe), "{safe}");
        }
        for unsafe_url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "data:image/png;base64,AAAA",
            "file:///etc/passwd",
            "x-custom+1.2:payload",
            "ftp://example.com",
        ] {
            assert!(!is_safe_url(unsafe_url), "{unsafe_url}");
        }
    }

    #[test]
    fn kinds_and_local_references() {
        assert_eq!(classify("HTTPS://x"), UrlKind::Allowed);
        assert_eq!(classify("mailto:a@b.c"), UrlKind::Allowed);
        assert_eq!(classify("javascript:x"), UrlKind::Forbidden);
        assert_eq!(classify("img/a.png"), UrlKind::Relative);
        assert_eq!(classify("1http:x"), UrlKind::Relative);
        for local in ["a.md", "../images/logo.png", "./x y.png", "docs/a.md#part"] {
            assert!(is_local_reference(local), "{local}");
        }
        for remote in [
            "",
            " ",
            "#top",
            "?q=1",
            "//cdn/x.png",
            "https://x/a.png",
            "data:x",
            "mailto:a@b",
        ] {
            assert!(!is_local_reference(remote), "{remote}");
        }
    }
}
