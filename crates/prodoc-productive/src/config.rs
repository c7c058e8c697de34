//! Where the API is, who we are, and how fast we may go.

use crate::Error;
use std::fmt;
use std::path::Path;
use std::time::Duration;

/// The default API address.
pub const DEFAULT_BASE_URL: &str = "https://api.productive.io/api/v2/";

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

/// How transient failures (429, 502, 503, 504, connection failures) are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt. Default: 6.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it, with jitter. Default: 500 ms.
    pub base_delay: Duration,
    /// The longest wait between attempts, including a server's `Retry-After`. Default: 60 s.
    pub max_delay: Duration,
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
    /// Where attachment files are uploaded (step 2 of the attachment upload), when set.
    pub storage_url: Option<String>,
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
            storage_url: None,
            token,
            org_id: org_id.into(),
            timeout: Duration::from_secs(60),
            limits: Limits::default(),
            retry: RetryPolicy::default(),
        }
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
        config.storage_url = var("PRODUCTIVE_STORAGE_URL");
        Ok(config)
    }
}
