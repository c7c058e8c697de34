//! Typed errors of the client and the pipeline. None of them ever holds the API token.

use serde::Deserialize;
use std::fmt;
use std::path::PathBuf;

/// One entry of a JSON:API `errors` array.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ApiError {
    /// The HTTP status as the server wrote it; real responses use a string, the guide a number.
    #[serde(default, deserialize_with = "crate::resource::string_or_number")]
    pub status: Option<String>,
    /// A machine-readable code, e.g. `invalid_attribute`. Its names changed in 2026: branch on the
    /// HTTP status instead.
    #[serde(default)]
    pub code: Option<String>,
    /// A short summary.
    #[serde(default)]
    pub title: Option<String>,
    /// What went wrong.
    #[serde(default)]
    pub detail: Option<String>,
    /// Where in the request, e.g. `data/attributes/title` (the leading slash may be missing).
    #[serde(default)]
    pub source: Option<ErrorSource>,
}

/// The `source` of a JSON:API error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ErrorSource {
    /// A JSON Pointer into the request document.
    #[serde(default)]
    pub pointer: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let title = self.title.as_deref().unwrap_or("error");
        write!(f, "{title}")?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        if let Some(pointer) = self.source.as_ref().and_then(|s| s.pointer.as_deref()) {
            write!(f, " (at {pointer})")?;
        }
        Ok(())
    }
}

/// What can go wrong talking to the API or running the pipeline.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status (after any retries).
    #[error("HTTP {status} from {method} {path}{}{}", describe(.errors), hint(*.status))]
    Api {
        /// The HTTP status.
        status: u16,
        /// The request method.
        method: String,
        /// The request path below the base URL (no query, no token).
        path: String,
        /// The JSON:API errors of the response, when it had any.
        errors: Vec<ApiError>,
    },
    /// The request could not be completed (connection, timeout, protocol), after any retries.
    /// `uncertain` is set when the request may have reached the server, so that a write may have
    /// been applied.
    #[error("{method} {path} failed: {message}")]
    Transport {
        /// The request method.
        method: String,
        /// The request path below the base URL.
        path: String,
        /// What happened.
        message: String,
        /// The request may have been applied.
        uncertain: bool,
    },
    /// A response could not be understood.
    #[error("unexpected response to {method} {path}: {message}")]
    Decode {
        /// The request method.
        method: String,
        /// The request path below the base URL.
        path: String,
        /// What was wrong with it.
        message: String,
    },
    /// The client was built with a request budget and it is spent: the run stops here, as if the
    /// process had been killed. Used to test resuming.
    #[error("request budget spent: the run stops here")]
    BudgetSpent,
    /// A page exists where this run would put its page, and nothing proves an earlier attempt
    /// of this import made it: it is left alone, and this source is not written.
    #[error("{0}")]
    NotOurs(String),
    /// Missing or invalid configuration.
    #[error("configuration: {0}")]
    Config(String),
    /// A file could not be read or written.
    #[error("{}: {message}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What happened.
        message: String,
    },
    /// A source could not be converted into a valid document.
    #[error("{}: {message}", .path.display())]
    Convert {
        /// The source file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
}

/// What to do about a status that has one obvious cause.
fn hint(status: u16) -> &'static str {
    match status {
        401 => {
            " (check the API token, PRODUCTIVE_API_TOKEN or --token-file, and the organization \
             id, PRODUCTIVE_ORG_ID or --org: the token must belong to that organization)"
        }
        403 => " (the token's user may not see or change this)",
        _ => "",
    }
}

fn describe(errors: &[ApiError]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = errors.iter().map(ToString::to_string).collect();
    format!(": {}", parts.join("; "))
}

impl Error {
    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether a write may have been applied although it failed: a timeout or a connection
    /// dropped after sending, or a server failure (500, 502, 503, 504), which may come after
    /// the work was done.
    pub fn is_uncertain(&self) -> bool {
        matches!(
            self,
            Self::Transport {
                uncertain: true,
                ..
            } | Self::Api {
                status: 500 | 502 | 503 | 504,
                ..
            }
        )
    }

    pub(crate) fn io(path: impl Into<PathBuf>, error: &std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            message: error.to_string(),
        }
    }
}
