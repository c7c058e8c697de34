//! Productive API client and the import/export pipeline for Productive Docs.
#![forbid(unsafe_code)]

pub mod client;
pub mod config;
pub mod error;
mod limiter;
pub mod resource;
#[cfg(feature = "testing")]
pub mod testing;

pub use client::Client;
pub use config::{Config, Limits, RetryPolicy, Token, Window};
pub use error::{ApiError, Error};
pub use resource::{Page, PageFilter, Placement};
pub mod pipeline;
