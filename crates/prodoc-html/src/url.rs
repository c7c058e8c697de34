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
    // Links are checked by the thousand on real pages, and almost none holds these characters.
    let cleaned: std::borrow::Cow<'_, str> =
        if memchr::memchr3(b'\t', b'\n', b'\r', url.as_bytes()).is_some() {
            url.chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .into()
        } else {
            url.into()
        };
    let trimmed = cleaned.trim_matches(|c: char| c <= ' ');
    let end = trimmed.find(['/', '?', '#']).unwrap_or(trimmed.len());
    let head = trimmed.get(..end).unwrap_or(trimmed);
    let Some(scheme) = head.find(':').and_then(|colon| head.get(..colon)) else {
        return true;
    };
    if !is_scheme(scheme) {
        return true;
    }
    ["http", "https", "mailto"]
        .iter()
        .any(|allowed| scheme.eq_ignore_ascii_case(allowed))
}

/// Whether `text` is a URL scheme: an ASCII letter, then ASCII letters, digits, `+`, `-`, `.`.
fn is_scheme(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::is_safe_url;

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
