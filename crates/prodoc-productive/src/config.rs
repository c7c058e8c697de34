//! Where the API is, who we are, and how fast we may go.

use crate::Error;
use std::fmt;
use std::path::Path;
use std::time::Duration;

/// The default API address.
pub const DEFAULT_BASE_URL: &str = "https://api.productive.io/api/v2/";

/// The default attachment storage address: where the attachments guide (step 2 of "Working
/// with attachments") sends the upload form.
pub const DEFAULT_STORAGE_URL: &str =
    "https://productive-files-production.s3.eu-west-1.amazonaws.com";

/// An API token. It is only ever written into the `X-Auth-Token` header: `Debug` shows
/// `Token(<redacted>)` and there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token; surrounding whitespace (a file's final newline) is removed.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into().trim().to_owned())
    }

    /// Reads a token from a file holding only the token.
    pub fn from_file(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        let token = Self::new(text);
        if token.0.is_empty() {
            return Err(Error::Config(format!("{} holds no token", path.display())));
        }
        Ok(token)
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// One sliding window of a rate limit: at most `max` requests in any span of `length`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Requests allowed in the window.
    pub max: usize,
    /// The window's length.
    pub length: Duration,
}

/// Both of Productive's request limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Per token: 100 requests per 10 s.
    pub short: Window,
    /// Per organization: 4,000 requests per 30 min.
    pub long: Window,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            short: Window {
                max: 100,
                length: Duration::from_secs(10),
            },
            long: Window {
                max: 4000,
                length: Duration::from_secs(30 * 60),
            },
        }
    }
}

/// How transient failures are retried: 429 always (the request was not applied); 500, 502, 503,
/// 504 and connection failures for requests that are safe to repeat (reads, replaces, deletes).
/// A create that fails so is "maybe applied": the pipeline looks for the page before trying
/// again, waiting [`RetryPolicy::delay`] between tries too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt. Default: 6.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it, with jitter. Default: 500 ms.
    pub base_delay: Duration,
    /// The longest wait between attempts, including a server's `Retry-After`. Default: 60 s.
    pub max_delay: Duration,
}

impl RetryPolicy {
    /// The wait before retry number `attempt` (0 for the first retry): `base_delay` doubled per
    /// attempt, with jitter (half to all of it, so that clients do not retry in step), at most
    /// `max_delay`.
    pub fn delay(&self, attempt: u32) -> Duration {
        let backoff = self.base_delay.saturating_mul(1u32 << attempt.min(16));
        backoff
            .mul_f64(0.5 + fastrand::f64() * 0.5)
            .min(self.max_delay)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 6,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
        }
    }
}

/// Everything the client needs.
#[derive(Clone, Debug)]
pub struct Config {
    /// The API address, ending in `/`. Default: [`DEFAULT_BASE_URL`].
    pub base_url: String,
    /// Where attachment files are uploaded (step 2 of the attachment upload). Default:
    /// [`DEFAULT_STORAGE_URL`].
    pub storage_url: String,
    /// The API token.
    pub token: Token,
    /// The organization id.
    pub org_id: String,
    /// The longest a whole request may take. Default: 60 s.
    pub timeout: Duration,
    /// The client-side rate limits. Default: Productive's ([`Limits::default`]).
    pub limits: Limits,
    /// Retries. Default: [`RetryPolicy::default`].
    pub retry: RetryPolicy,
}

impl Config {
    /// A configuration for the default address with default limits.
    pub fn new(token: Token, org_id: impl Into<String>) -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            storage_url: DEFAULT_STORAGE_URL.to_owned(),
            token,
            org_id: org_id.into(),
            timeout: Duration::from_secs(60),
            limits: Limits::default(),
            retry: RetryPolicy::default(),
        }
    }

    /// Checks what can be checked without a request: both addresses are `http(s)` URLs with
    /// a host, and the organization id is a number. The error names the setting at fault.
    pub fn check(&self) -> Result<(), Error> {
        for (setting, url) in [
            (
                "the API address (--base-url, PRODUCTIVE_BASE_URL)",
                &self.base_url,
            ),
            (
                "the storage address (--storage-url, PRODUCTIVE_STORAGE_URL)",
                &self.storage_url,
            ),
        ] {
            let host = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .and_then(|rest| rest.split(['/', '?', '#']).next())
                .filter(|host| !host.is_empty());
            if host.is_none() {
                return Err(Error::Config(format!(
                    "{setting}: {url:?} is not an http(s) address"
                )));
            }
        }
        if self.org_id.is_empty() || !self.org_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::Config(format!(
                "the organization id (--org, PRODUCTIVE_ORG_ID): {:?} is not a number",
                self.org_id
            )));
        }
        Ok(())
    }

    /// Sets the base URL, adding the final `/` when missing.
    pub fn with_base_url(mut self, url: impl Into<String>) -> Self {
        let mut url = url.into();
        if !url.ends_with('/') {
            url.push('/');
        }
        self.base_url = url;
        self
    }

    /// Reads `PRODUCTIVE_BASE_URL`, `PRODUCTIVE_STORAGE_URL`, `PRODUCTIVE_API_TOKEN` (or the file
    /// named by `PRODUCTIVE_TOKEN_FILE`, or `token_file` when given, which wins) and
    /// `PRODUCTIVE_ORG_ID` (or `org_id` when given).
    pub fn from_env(token_file: Option<&Path>, org_id: Option<&str>) -> Result<Self, Error> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let token = match (
            token_file,
            var("PRODUCTIVE_API_TOKEN"),
            var("PRODUCTIVE_TOKEN_FILE"),
        ) {
            (Some(path), _, _) => Token::from_file(path)?,
            (None, Some(token), _) => Token::new(token),
            (None, None, Some(path)) => Token::from_file(Path::new(&path))?,
            (None, None, None) => {
                return Err(Error::Config(
                    "no API token: set PRODUCTIVE_API_TOKEN or give a token file".to_owned(),
                ))
            }
        };
        let org = match org_id
            .map(str::to_owned)
            .or_else(|| var("PRODUCTIVE_ORG_ID"))
        {
            Some(org) => org,
            None => {
                return Err(Error::Config(
                    "no organization id: set PRODUCTIVE_ORG_ID or give --org".to_owned(),
                ))
            }
        };
        let mut config = Self::new(token, org);
        if let Some(url) = var("PRODUCTIVE_BASE_URL") {
            config = config.with_base_url(url);
        }
        if let Some(url) = var("PRODUCTIVE_STORAGE_URL") {
            config.storage_url = url;
        }
        config.check()?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn the_storage_address_defaults_to_the_guides() {
        let config = Config::new(Token::new("t"), "1");
        assert_eq!(config.storage_url, DEFAULT_STORAGE_URL);
        assert!(config.check().is_ok());
        let bad = Config {
            storage_url: "bucket".to_owned(),
            ..config
        };
        let error = bad.check().unwrap_err().to_string();
        assert!(error.contains("--storage-url"), "{error}");
    }
}
