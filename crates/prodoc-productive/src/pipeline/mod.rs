//! The import pipeline (plan, convert, upload, verify) and export.

mod convert;
mod export;
mod plan;
mod profile;
mod prune;
mod state;
mod upload;
mod verify;

pub use convert::{convert, Asset, Converted, Failure, PageLink, PageUpload, Transport};
pub use export::{export, ExportFormat, ExportReport, ExportRoot};
pub use plan::{plan, Plan, PlanNode};
pub use profile::outside_markdown_profile;
pub use prune::{gone, Deletion};
pub use state::{AttachmentEntry, Entry, State, StateLock};
pub use upload::{
    check_state, upload, upload_with_progress, would_delete, PageOutcome, Progress, Report,
    UploadOptions,
};
pub use verify::{verify, Difference};
