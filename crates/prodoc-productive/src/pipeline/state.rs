//! The state file: what earlier runs made, so that a re-run updates, skips and resumes.

use crate::Error;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// What the importer knows about the pages it made. Never holds the token.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// The format version of this file.
    pub version: u32,
    /// The project the pages were made in.
    #[serde(default)]
    pub project: Option<String>,
    /// The page the import went under, when it did not go to the top of the project.
    #[serde(default)]
    pub parent_page: Option<String>,
    /// Source key (see [`super::PlanNode::key`]) to page.
    #[serde(default)]
    pub pages: BTreeMap<String, Entry>,
    /// Written by older versions (one attachment per file, linked to the first page using it);
    /// read but no longer used: each page's files are in [`State::page_files`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attachments: BTreeMap<String, AttachmentEntry>,
    /// Source key to the local files its page uses (key: the file's normalised path relative to
    /// the import root) and their attachments. An attachment belongs to one page, so a file
    /// used by two pages is uploaded for each.
    #[serde(default)]
    pub page_files: BTreeMap<String, BTreeMap<String, AttachmentEntry>>,
}

/// An uploaded local file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentEntry {
    /// The attachment id.
    pub id: String,
    /// Its address, which the documents refer to.
    pub url: String,
    /// The hash of the content uploaded.
    pub hash: String,
    /// Linked to its page (`attachment_ids` on create, or `page_id` on the attachment). An
    /// upload made for a create that then failed is linked when the page is made or found.
    #[serde(default)]
    pub linked: bool,
}

/// One source's page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The page id; `None` while a create is in flight or its outcome is unknown: the next run
    /// looks for the page by parent and title before creating it again.
    pub page_id: Option<String>,
    /// The Doc (root page) the page is in: its own id for a Doc.
    #[serde(default)]
    pub root_id: Option<String>,
    /// The parent page id; `None` for a Doc at the top of the project.
    #[serde(default)]
    pub parent_id: Option<String>,
    /// The title sent.
    pub title: String,
    /// The hash of what was sent, once the body was fully written; `None` before.
    #[serde(default)]
    pub hash: Option<String>,
    /// The hash of the body alone (see [`super::PageUpload::body_hash`]), so that a changed
    /// title alone is written without the body: a needless body replace can undo a live edit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_hash: Option<String>,
    /// While a create's outcome is unknown: the server's time (RFC 3339) when it was first
    /// sent. Only a page made at or after it, with this title and parent and tracked by no
    /// other source, is taken as the one it made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempted_at: Option<String>,
    /// While a create's outcome is unknown: the pages of this title under this parent that
    /// existed before it was sent. None of them is ever taken as the one it made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub known_before: Vec<String>,
    /// Which pages the body's links were sent as mentions of; `None` for a page without links
    /// to other imported files. A change (a target made since) means the body is written again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<String>,
}

impl State {
    /// The current format version.
    pub const VERSION: u32 = 1;

    /// Reads a state file; a missing file is an empty state.
    pub fn load(path: &Path) -> Result<Self, Error> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| Error::Io {
                path: path.to_path_buf(),
                message: format!("not a prodoc state file: {e}"),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self {
                version: Self::VERSION,
                ..Self::default()
            }),
            Err(e) => Err(Error::io(path, &e)),
        }
    }

    /// Writes the state file atomically (a temporary file renamed over it), so that a run
    /// killed while saving leaves the previous state.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(".tmp");
        let temporary = std::path::PathBuf::from(temporary);
        std::fs::write(&temporary, text + "\n").map_err(|e| Error::io(&temporary, &e))?;
        std::fs::rename(&temporary, path).map_err(|e| Error::io(path, &e))
    }
}

/// A run's hold on a state file: `FILE.lock` beside it, locked by the operating system. A
/// second run on the same state file is refused while the first holds it. The lock goes with
/// the process that held it, however it ended (a SIGKILL too), so a lock file left behind is
/// stale and simply taken over. Released when dropped.
#[derive(Debug)]
pub struct StateLock {
    _file: std::fs::File,
}

impl StateLock {
    /// Takes the lock of the state file `path`, or says that another run holds it.
    pub fn acquire(path: &Path) -> Result<Self, Error> {
        let mut name = path.as_os_str().to_owned();
        name.push(".lock");
        let lock_path = std::path::PathBuf::from(name);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::io(&lock_path, &e))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Config(format!(
                "--state {}: another import is using this state file (it holds {}); wait for \
                 it to finish",
                path.display(),
                lock_path.display()
            ))),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&lock_path, &e)),
        }
    }
}
