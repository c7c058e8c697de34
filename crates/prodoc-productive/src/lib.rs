//! Productive API client and the import/export pipeline for Productive Docs.
//!
//! Import a folder of Markdown as pages, update only what changed on the next run, read the
//! pages back, and export them again. Here against the fake server of `prodoc-fake-productive`
//! (a test-only crate); against Productive, build the client from [`Config::from_env`]
//! (`PRODUCTIVE_API_TOKEN`, `PRODUCTIVE_ORG_ID`, optionally `PRODUCTIVE_BASE_URL`).
//!
//! ```
//! use prodoc_fake_productive::{FakeOptions, FakeServer};
//! use prodoc_productive::pipeline::{self, ExportFormat, ExportRoot, State, Transport, UploadOptions};
//! use prodoc_productive::{Client, Limits};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = FakeServer::start(FakeOptions::default())?;
//! let client = Client::new(server.client_config(Limits::default()));
//!
//! let dir = tempfile::tempdir()?;
//! let docs = dir.path().join("docs");
//! std::fs::create_dir_all(docs.join("guide"))?;
//! std::fs::write(docs.join("README.md"), "# Handbook\n\nWelcome.\n")?;
//! std::fs::write(docs.join("guide/setup.md"), "# Setup\n\n1. Install\n2. Run\n")?;
//!
//! // Handbook (from README's heading) > guide (a folder) > Setup (from the file's heading).
//! let plan = pipeline::plan(&docs)?;
//! assert_eq!(plan.nodes.len(), 3);
//! // Everything is converted and validated before the first request.
//! let converted = pipeline::convert(&plan, Transport::Html, false)?;
//!
//! let options = UploadOptions { project: "77".into(), ..Default::default() };
//! let mut state = State::default(); // or State::load(path), with options.state_file set
//! let report = pipeline::upload(&client, &converted, &options, &mut state)?;
//! assert_eq!(report.created.len(), 3);
//!
//! // A second run sends no writes; verify reads every page back.
//! let again = pipeline::upload(&client, &converted, &options, &mut state)?;
//! assert_eq!(again.unchanged.len(), 3);
//! assert!(pipeline::verify(&client, &converted, &state)?.is_empty());
//!
//! let out = dir.path().join("export");
//! pipeline::export(&client, &ExportRoot::Project("77".into()), &out, ExportFormat::Markdown)?;
//! assert!(out.join("Handbook/guide/Setup.md").exists());
//! # Ok(())
//! # }
//! ```
//!
//! The client ([`Client`]) stays under both of Productive's rate limits (100 requests per 10 s,
//! 4,000 per 30 min, sliding windows shared by clones of the client), retries 429 always and
//! 500, 502, 503, 504 and connection failures for requests that are safe to repeat, with
//! exponential backoff and jitter (honouring `Retry-After` and `X-RateLimit-Reset`), and never
//! retries a create blindly: after an uncertain outcome the pipeline looks for the page, adopts
//! it only when it is provably the one this run made (same parent and title, tracked by no
//! source, not seen there before the attempt by the start-of-run listing, created at or after
//! the attempt by the server's clock), and otherwise tries again. The token is never printed:
//! its `Debug` is redacted and no error holds it.
//!
//! Each run with a state lists the import's Doc once (about one request per 200 pages): pages
//! deleted in Productive since are made again with their subpages, and reported. A prune
//! deletes the pages of gone sources, but keeps (and reports) one holding pages the import did
//! not make, unless told otherwise. Siblings are made in natural name order (`2-build` before
//! `10-deploy`; Productive shows pages in the order they were made), front matter `order:`
//! first.
//!
//! Local images and files that documents refer to are uploaded as attachments (the four-step
//! upload: `POST /attachments`, the storage form, `PATCH /attachments/{id}`, and
//! `attachment_ids` on create or `page_id` on update) before the page is written, and the
//! references point at the attachments' addresses; the state file remembers them per page and
//! by content, so an unchanged file is not uploaded again (an attachment belongs to one page: a
//! file two pages use is uploaded for each). With the body transport, attachments of a new
//! page are linked on the next run (`POST /pages` takes no `attachment_ids`).
//!
//! Links from one imported file to another become page mentions (`mention` of type `page`,
//! labelled with the link text) with the HTML and body transports; a page written before its
//! link targets existed is written once more at the end of the run. The Markdown transport
//! cannot carry mentions: such links are sent as written, with a `file-link-kept` warning, as
//! are links to Markdown files outside the import.
//!
//! Not done in this version: a source moved to another folder becomes a new page, and its old
//! page is reported as removed (deleted with `prune`); pages are sent one at a time.
#![forbid(unsafe_code)]

pub mod client;
pub mod config;
pub mod error;
mod limiter;
pub mod resource;

pub use client::Client;
pub use config::{Config, Limits, RetryPolicy, Token, Window, DEFAULT_STORAGE_URL};
pub use error::{ApiError, Error};
pub use resource::{Attachment, NewAttachment, Page, PageFilter, Placement};
pub mod pipeline;
