//! Which URLs may stand in `href` and `src`: http, https, mailto and relative ones.

/// Whether `url` is safe to write into `href` or `src`, and to keep when reading.
///
/// Browsers ignore tabs and newlines anywhere in a URL and leading and trailing control characters
/// and spaces, so `java\tscript:` and ` javascript:` are javascript URLs; they are checked as a
/// browser would see them. A colon before the first `/`, `?` or `#` ends a scheme when what
/// precedes it is one by the URL Standard's grammar (an ASCII letter, then letters, digits, `+`,
/// `-` and `.`), and only `http`, `https` and `mailto` pass; a URL without a scheme is relative,
/// as browsers (and ammonia's URL parser) read `@[x]:y` or `a b:c`.
pub fn is_safe_url(url: &str) -> bool {
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
                return len == 0
                    || matches!(scheme.get(..len), Some(b"http" | b"https" | b"mailto"));
            }
            b'/' | b'?' | b'#' => return true,
            _ => {
                let in_scheme = if len == 0 {
                    byte.is_ascii_alphabetic()
                } else {
                    byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'-' | b'.')
                };
                // Not a scheme by the URL Standard's grammar: a relative URL.
                if !in_scheme {
                    return true;
                }
                // A scheme longer than the buffer is none of the allowed ones: `get` fails.
                if let Some(slot) = scheme.get_mut(len) {
                    *slot = byte.to_ascii_lowercase();
                }
                len += 1;
            }
        }
    }
    true
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use proptest::prelude::*;

    use super::is_safe_url;

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
}
