//! Sending the converted pages: create new ones, update changed ones, skip the rest.

use super::convert::{
    fnv, render, with_addresses, with_page_links, Converted, PageUpload, Transport,
};
use super::state::{AttachmentEntry, Entry, State};
use crate::client::format_timestamp;
use crate::resource::{NewAttachment, Page, PageFilter, Placement};
use crate::{Client, Error};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::SystemTime;

/// How [`upload`] runs. A page that fails does not stop the run: the others are written, the
/// failed page's subpages are reported as failed with it, and the report lists every failure.
#[derive(Clone, Debug, Default)]
pub struct UploadOptions {
    /// The project the top page goes into.
    pub project: String,
    /// Put the top page under this page instead of at the top of the project.
    pub parent_page: Option<String>,
    /// Delete the pages of sources that are gone. Default: only report them.
    pub prune: bool,
    /// With `prune`, delete a gone source's page even when pages this import did not make
    /// (someone else's subpages) are below it: they go with it. Default: such a page is kept
    /// and reported as failed.
    pub prune_foreign: bool,
    /// Where the state is saved after every change; `None` keeps it in memory only.
    pub state_file: Option<PathBuf>,
}

/// What an upload did, by source key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Pages made.
    pub created: Vec<String>,
    /// Pages whose title or body was rewritten.
    pub updated: Vec<String>,
    /// Pages left as they were.
    pub unchanged: Vec<String>,
    /// Sources that failed, with the reason (conversion failures included).
    pub failed: Vec<(String, String)>,
    /// Sources gone since an earlier run whose pages were kept (no `prune`).
    pub removed: Vec<String>,
    /// Sources gone whose pages were deleted (`prune`), topmost first.
    pub deleted: Vec<super::Deletion>,
    /// Pages found by looking after an uncertain create, instead of creating them again.
    pub recovered: Vec<String>,
    /// Sources whose pages were deleted in Productive since an earlier run (found by the
    /// listing at the start of the run): made again, with their subpages, when the source is
    /// still there (then in [`Report::created`] too).
    pub vanished: Vec<String>,
}

/// The link targets known in `state` (href, page id), and a signature of them: which links
/// were sent as mentions of which pages. `None` for a page without links.
pub(crate) fn link_targets(
    page: &PageUpload,
    state: &State,
) -> (Vec<(String, String)>, Option<String>) {
    if page.links.is_empty() {
        return (Vec::new(), None);
    }
    let mut targets = Vec::new();
    let mut parts = Vec::new();
    for link in &page.links {
        let id = state
            .pages
            .get(&link.target)
            .and_then(|e| e.page_id.clone());
        parts.push(format!("{}={}", link.href, id.as_deref().unwrap_or("-")));
        if let Some(id) = id {
            targets.push((link.href.clone(), id));
        }
    }
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    (targets, Some(fnv(&parts)))
}

/// The document as it is meant to be on the server, given what `state` knows: local files as
/// their attachments' addresses, links to imported files as mentions of their pages.
pub(crate) fn meant_doc(page: &PageUpload, state: &State) -> prodoc_core::Doc {
    let addresses: Vec<(String, String)> = page
        .assets
        .iter()
        .filter_map(|asset| {
            let uploaded = state.page_files.get(&page.key)?.get(&asset.key)?;
            Some((asset.reference.clone(), uploaded.url.clone()))
        })
        .collect();
    let (targets, _) = link_targets(page, state);
    let doc = if addresses.is_empty() {
        page.doc.clone()
    } else {
        with_addresses(&page.doc, &addresses)
    };
    with_page_links(&doc, &targets)
}

/// The state file must record pages of the place an upload (or a dry run) is for: used for
/// another, every page would count as made already.
pub fn check_state(state: &State, options: &UploadOptions) -> Result<(), Error> {
    let known = state.pages.values().any(|e| e.page_id.is_some());
    if known
        && (state.project.as_deref() != Some(options.project.as_str())
            || state.parent_page != options.parent_page)
    {
        return Err(Error::Config(format!(
            "--project {}: the state file records pages made in project {} (under page {}), \
             not here: give that project, or another state file with --state",
            options.project,
            state.project.as_deref().unwrap_or("?"),
            state.parent_page.as_deref().unwrap_or("none"),
        )));
    }
    Ok(())
}

/// Whole seconds since 1970: the resolution both the `Date` header and some `created_at`
/// values have, so that times are compared at it.
fn whole_seconds(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A page as the listing at the start of a run found it.
#[derive(Clone, Debug)]
pub(crate) struct Listed {
    pub(crate) parent: Option<String>,
    pub(crate) title: String,
}

/// The attributes the start-of-run listing asks for: no bodies.
const LISTED_FIELDS: &str = "title,parent_page_id,root_page_id";

struct Run<'a> {
    client: &'a Client,
    options: &'a UploadOptions,
    state: &'a mut State,
    transport: Transport,
    report: Report,
    top_placement: Option<Placement>,
    /// Keys of the pages that failed in this run: their subpages are not tried.
    failed: BTreeSet<String>,
    /// The pages of the import's Doc as listed at the start of the run ([`Run::survey`]), by
    /// id, and the project's Docs of a title looked up before creating a Doc there.
    listed: BTreeMap<String, Listed>,
}

impl<'a> Run<'a> {
    fn new(
        client: &'a Client,
        options: &'a UploadOptions,
        state: &'a mut State,
        transport: Transport,
    ) -> Self {
        Run {
            client,
            options,
            state,
            transport,
            report: Report::default(),
            top_placement: None,
            failed: BTreeSet::new(),
            listed: BTreeMap::new(),
        }
    }

    fn save(&self) -> Result<(), Error> {
        match &self.options.state_file {
            Some(path) => self.state.save(path),
            None => Ok(()),
        }
    }

    fn fail(&mut self, key: &str, message: String) {
        self.failed.insert(key.to_owned());
        self.report.failed.push((key.to_owned(), message));
    }

    /// Where the top page goes; under a page, the page's Doc is looked up once.
    fn top_placement(&mut self) -> Result<Placement, Error> {
        if let Some(placement) = &self.top_placement {
            return Ok(placement.clone());
        }
        let placement = match &self.options.parent_page {
            Some(parent) => {
                let page = self.client.get_page(parent).map_err(|error| match error {
                    Error::Api { status: 404, .. } => Error::Config(format!(
                        "--parent-page {parent}: not found (no such page, or not visible to \
                         this token)"
                    )),
                    other => other,
                })?;
                Placement::Under {
                    parent: page.id.clone(),
                    root: page.root_id().to_owned(),
                }
            }
            None => Placement::Project(self.options.project.clone()),
        };
        self.top_placement = Some(placement.clone());
        Ok(placement)
    }

    fn placement(&mut self, page: &PageUpload) -> Result<Result<Placement, String>, Error> {
        match &page.parent_key {
            None => self.top_placement().map(Ok),
            Some(key) if self.failed.contains(key) => {
                Ok(Err(format!("not written: its parent page {key} failed")))
            }
            Some(key) => {
                let parent = self.state.pages.get(key);
                Ok(
                    match parent.and_then(|p| p.page_id.clone().zip(p.root_id.clone())) {
                        Some((parent, root)) => Ok(Placement::Under { parent, root }),
                        None => Err(format!("not written: its parent page {key} was not made")),
                    },
                )
            }
        }
    }

    /// One listing of the import's Doc at the start of the run (about one request per 200
    /// pages, bodies left out), and a look at the Doc itself when the import made it: a tracked
    /// page that is not there was deleted in Productive. Its entry (and its files' entries: the
    /// attachments belonged to the deleted page) is dropped, so that it is made again with its
    /// subtree (deleting a page deletes its subpages, so they are missing too), and reported
    /// in [`Report::vanished`]. The listing is also what [`Run::known_there`] knows.
    fn survey(&mut self) -> Result<(), Error> {
        let under = self.options.parent_page.is_some();
        if self.state.pages.is_empty() && !under {
            return Ok(());
        }
        let placement = self.top_placement()?;
        let mut docs: BTreeSet<String> = self
            .state
            .pages
            .values()
            .filter_map(|e| e.root_id.clone())
            .collect();
        let placed_in = match &placement {
            Placement::Under { root, .. } => Some(root.clone()),
            Placement::Project(_) => None,
        };
        docs.extend(placed_in.clone());
        let mut present = BTreeSet::new();
        for doc in docs {
            // The parent page's Doc exists: the parent was just read.
            if placed_in.as_ref() != Some(&doc) {
                match self.client.get_page(&doc) {
                    Ok(page) => {
                        self.listed.insert(
                            doc.clone(),
                            Listed {
                                parent: page.parent_id().map(str::to_owned),
                                title: page.title().to_owned(),
                            },
                        );
                    }
                    Err(Error::Api { status: 404, .. }) => continue,
                    Err(error) => return Err(error),
                }
            }
            present.insert(doc.clone());
            let filter = PageFilter {
                root_page_id: Some(doc),
                fields: Some(LISTED_FIELDS.to_owned()),
                ..Default::default()
            };
            for page in self.client.list_pages(&filter)? {
                present.insert(page.id.clone());
                self.listed.insert(
                    page.id.clone(),
                    Listed {
                        parent: page.parent_id().map(str::to_owned),
                        title: page.title().to_owned(),
                    },
                );
            }
        }
        let vanished: Vec<String> = self
            .state
            .pages
            .iter()
            .filter(|(_, e)| e.page_id.as_ref().is_some_and(|id| !present.contains(id)))
            .map(|(key, _)| key.clone())
            .collect();
        if vanished.is_empty() {
            return Ok(());
        }
        for key in vanished {
            self.state.pages.remove(&key);
            self.state.page_files.remove(&key);
            self.report.vanished.push(key);
        }
        self.save()
    }

    /// The pages titled `title` at `placement` known to exist before a create there: for a
    /// subpage, from the start-of-run listing of its Doc (under a parent made in this run there
    /// were none); for a Doc at the top of the project, from a title look-up among the
    /// project's Docs, made now (one request, for the top page only).
    fn known_there(&mut self, placement: &Placement, title: &str) -> Result<Vec<String>, Error> {
        let parent = match placement {
            Placement::Under { parent, .. } => Some(parent.as_str()),
            Placement::Project(project) => {
                let filter = PageFilter {
                    project_id: Some(project.clone()),
                    query: Some(title.to_owned()),
                    fields: Some(LISTED_FIELDS.to_owned()),
                    ..Default::default()
                };
                for page in self.client.list_pages(&filter)? {
                    self.listed.insert(
                        page.id.clone(),
                        Listed {
                            parent: page.parent_id().map(str::to_owned),
                            title: page.title().to_owned(),
                        },
                    );
                }
                None
            }
        };
        Ok(self
            .listed
            .iter()
            .filter(|(_, page)| page.parent.as_deref() == parent && page.title == title)
            .map(|(id, _)| id.clone())
            .collect())
    }

    /// Pages at `placement` titled `title` that no source of the state tracks.
    fn untracked(&self, placement: &Placement, title: &str) -> Result<Vec<Page>, Error> {
        let taken: BTreeSet<&str> = self
            .state
            .pages
            .values()
            .filter_map(|e| e.page_id.as_deref())
            .collect();
        let filter = match placement {
            Placement::Project(project) => PageFilter {
                project_id: Some(project.clone()),
                query: Some(title.to_owned()),
                ..Default::default()
            },
            Placement::Under { parent, .. } => PageFilter {
                parent_page_id: Some(parent.clone()),
                query: Some(title.to_owned()),
                ..Default::default()
            },
        };
        let found = self.client.list_pages(&filter)?;
        let parent = match placement {
            Placement::Project(_) => None,
            Placement::Under { parent, .. } => Some(parent.as_str()),
        };
        Ok(found
            .into_iter()
            .filter(|p| p.title() == title && p.parent_id() == parent)
            .filter(|p| !taken.contains(p.id.as_str()))
            .collect())
    }

    /// The page an uncertain create sent at `attempted` (the server's time) made, if it made
    /// one. "Provably ours" is, all at once:
    /// - same parent and same title as the create sent;
    /// - tracked by no source of the state (another source's page is never taken);
    /// - not among `known_before`, the pages of that title there before the create was first
    ///   sent ([`Run::known_there`]: the start-of-run listing, saved in the state with a create
    ///   left uncertain so that a later run excludes them too);
    /// - made at or after the attempt by the server's clock (whole seconds: the `Date` header's
    ///   resolution), which also rules out pages made between the listing and the attempt.
    ///
    /// The earliest such page is taken. A colleague's page of the same title never qualifies,
    /// unless made under the same parent in the very second of our attempt and after the
    /// listing: that race is the rule's limit.
    fn find_ours(
        &self,
        placement: &Placement,
        title: &str,
        attempted: SystemTime,
        known_before: &[String],
    ) -> Result<Option<Page>, Error> {
        let since = whole_seconds(attempted);
        let mut ours: Vec<(u64, Page)> = self
            .untracked(placement, title)?
            .into_iter()
            .filter(|page| !known_before.contains(&page.id))
            .filter_map(|page| {
                let made = whole_seconds(page.created_at()?);
                (made >= since).then_some((made, page))
            })
            .collect();
        ours.sort_by_key(|(made, page)| (*made, page.id.parse::<u64>().unwrap_or(u64::MAX)));
        Ok(ours.into_iter().next().map(|(_, page)| page))
    }

    /// Writes what changed of a page: its body (as the transport sends it), its title, or both.
    fn write(
        &self,
        id: &str,
        page: &PageUpload,
        title_changed: bool,
        body_changed: bool,
    ) -> Result<(), Error> {
        if self.transport == Transport::Body && !page.empty {
            if title_changed || body_changed {
                let title = title_changed.then_some(page.title.as_str());
                let body = body_changed.then(|| page.body.as_deref().unwrap_or(""));
                self.client.update_page(id, title, body)?;
            }
            return Ok(());
        }
        if body_changed {
            match (self.transport, page.empty) {
                // The Markdown endpoints refuse an empty text: an empty page goes as HTML.
                (_, true) | (Transport::Html, false) => {
                    self.client
                        .replace_body_with_html(id, page.html.as_deref().unwrap_or(""))?;
                }
                (Transport::Markdown, false) => {
                    self.client.replace_body_with_markdown(id, &page.markdown)?;
                }
                (Transport::Body, false) => {
                    self.client
                        .update_page(id, None, Some(page.body.as_deref().unwrap_or("")))?;
                }
            }
        }
        if title_changed {
            self.client.update_page(id, Some(&page.title), None)?;
        }
        Ok(())
    }

    /// Uploads the page's local files that the state does not hold for it at their current
    /// content, links those not linked yet to `page_id`, and returns the page with references
    /// replaced by the attachments' addresses, and (for a page still to be made) the ids of
    /// the attachments to link on create.
    fn prepare<'p>(
        &mut self,
        page: &'p PageUpload,
        page_id: Option<&str>,
    ) -> Result<(Cow<'p, PageUpload>, Vec<String>), Error> {
        if page.assets.is_empty() && page.links.is_empty() {
            return Ok((Cow::Borrowed(page), Vec::new()));
        }
        let mut unlinked = Vec::new();
        for asset in &page.assets {
            let known = self
                .state
                .page_files
                .get(&page.key)
                .and_then(|files| files.get(&asset.key))
                .filter(|a| a.hash == asset.hash)
                .cloned();
            let entry = match known {
                Some(entry) => entry,
                None => {
                    let bytes =
                        std::fs::read(&asset.path).map_err(|e| Error::io(&asset.path, &e))?;
                    let file = NewAttachment {
                        name: asset.name.clone(),
                        content_type: asset.content_type.clone(),
                        size: bytes.len() as u64,
                        page_id: page_id.map(str::to_owned),
                        inline: asset.inline,
                    };
                    let attachment = self.client.upload_attachment(&file, &bytes)?;
                    AttachmentEntry {
                        id: attachment.id.clone(),
                        url: attachment.attributes.url.clone().unwrap_or_default(),
                        hash: asset.hash.clone(),
                        linked: page_id.is_some(),
                    }
                }
            };
            let entry = match (entry.linked, page_id) {
                (false, Some(page_id)) => {
                    self.client.link_attachment(&entry.id, page_id)?;
                    AttachmentEntry {
                        linked: true,
                        ..entry
                    }
                }
                (false, None) => {
                    unlinked.push(entry.id.clone());
                    entry
                }
                (true, _) => entry,
            };
            self.state
                .page_files
                .entry(page.key.clone())
                .or_default()
                .insert(asset.key.clone(), entry);
            self.save()?;
        }
        let new_ids = unlinked;
        let doc = meant_doc(page, self.state);
        let rendered = render(&doc, self.transport);
        let prepared = PageUpload {
            doc,
            markdown: rendered.markdown,
            html: rendered.html,
            body: rendered.body,
            needs_html: rendered.needs_html,
            empty: rendered.empty,
            ..page.clone()
        };
        Ok((Cow::Owned(prepared), new_ids))
    }

    /// Sends the create once.
    fn send_create(
        &self,
        page: &PageUpload,
        placement: &Placement,
        attachment_ids: &[String],
    ) -> Result<Page, Error> {
        if page.empty {
            // No Markdown to send (the endpoint requires some): the empty document itself.
            let body = prodoc_core::json::to_string(&page.doc);
            return self.client.create_with_body(&page.title, &body, placement);
        }
        match self.transport {
            Transport::Html | Transport::Markdown => self.client.create_with_markdown_attached(
                &page.title,
                &page.markdown,
                placement,
                attachment_ids,
            ),
            Transport::Body => self.client.create_with_body(
                &page.title,
                page.body.as_deref().unwrap_or(""),
                placement,
            ),
        }
    }

    /// Creates the page. After an uncertain failure (a lost reply, a timeout, a 5xx) it waits,
    /// looks for the page the attempt may have made ([`Run::find_ours`]), adopts it if there is
    /// one and otherwise sends the create again, as many times as the client retries requests.
    fn create(
        &mut self,
        page: &PageUpload,
        placement: &Placement,
        attachment_ids: &[String],
    ) -> Result<Page, Error> {
        let (parent_id, root_id) = match placement {
            Placement::Project(_) => (None, None),
            Placement::Under { parent, root } => (Some(parent.clone()), Some(root.clone())),
        };
        let known_before = self.known_there(placement, &page.title)?;
        let attempted = self.client.server_time()?;
        // Recorded before sending: if the run dies now, the next one looks before creating.
        self.state.pages.insert(
            page.key.clone(),
            Entry {
                page_id: None,
                root_id,
                parent_id,
                title: page.title.clone(),
                attempted_at: format_timestamp(attempted),
                known_before: known_before.clone(),
                ..Entry::default()
            },
        );
        self.save()?;
        let retry = self.client.config().retry;
        let mut attempt = 0;
        loop {
            match self.send_create(page, placement, attachment_ids) {
                Ok(created) => return Ok(created),
                // Stopped before sending: nothing to look for next time.
                Err(Error::BudgetSpent) if attempt == 0 => {
                    self.state.pages.remove(&page.key);
                    self.save()?;
                    return Err(Error::BudgetSpent);
                }
                Err(error) if error.is_uncertain() && attempt < retry.max_retries => {
                    std::thread::sleep(retry.delay(attempt));
                    attempt += 1;
                    if let Some(found) =
                        self.find_ours(placement, &page.title, attempted, &known_before)?
                    {
                        self.report.recovered.push(page.key.clone());
                        return Ok(found);
                    }
                }
                // Maybe made: the entry stays, and the next run looks first.
                Err(error) if error.is_uncertain() => return Err(error),
                Err(error) => {
                    // Refused: nothing was made.
                    self.state.pages.remove(&page.key);
                    self.save()?;
                    return Err(error);
                }
            }
        }
    }

    /// A create left uncertain by an earlier run: the page it made, if provably that one;
    /// `None` when it made none. A page of that title there that nothing proves ours stops
    /// the source with [`Error::NotOurs`].
    fn resolve_pending(
        &mut self,
        page: &PageUpload,
        placement: &Placement,
        pending: Entry,
    ) -> Result<Option<Entry>, Error> {
        let attempted = pending
            .attempted_at
            .as_deref()
            .and_then(crate::client::parse_timestamp);
        let found = match attempted {
            Some(attempted) => {
                self.find_ours(placement, &pending.title, attempted, &pending.known_before)?
            }
            None => {
                let others = self.untracked(placement, &pending.title)?;
                if !others.is_empty() {
                    let ids: Vec<&str> = others.iter().map(|p| p.id.as_str()).collect();
                    return Err(Error::NotOurs(format!(
                        "an earlier run's create of \"{}\" has no recorded time, and page(s) {} \
                         of that title exist there: nothing proves one of them is ours, so none \
                         is written. Delete the one an earlier run made (or this source's entry \
                         in the state file) and run again",
                        pending.title,
                        ids.join(", ")
                    )));
                }
                None
            }
        };
        let Some(found) = found else {
            self.state.pages.remove(&page.key);
            self.save()?;
            return Ok(None);
        };
        self.report.recovered.push(page.key.clone());
        let recovered = Entry {
            page_id: Some(found.id.clone()),
            root_id: Some(found.root_id().to_owned()),
            hash: None,
            body_hash: None,
            attempted_at: None,
            known_before: Vec::new(),
            ..pending
        };
        self.state.pages.insert(page.key.clone(), recovered.clone());
        self.save()?;
        Ok(Some(recovered))
    }

    fn one(&mut self, page: &PageUpload) -> Result<(), Error> {
        let placement = match self.placement(page)? {
            Ok(placement) => placement,
            Err(message) => {
                self.fail(&page.key, message);
                return Ok(());
            }
        };
        let mut entry = self.state.pages.get(&page.key).cloned();
        // A create whose outcome is unknown: the page may exist.
        if let Some(pending) = entry.clone().filter(|e| e.page_id.is_none()) {
            entry = self.resolve_pending(page, &placement, pending)?;
        }
        if let Some(entry) = entry {
            if let Some(id) = entry.page_id.clone() {
                let (_, links) = link_targets(page, self.state);
                if entry.hash.as_deref() == Some(page.hash.as_str()) && entry.links == links {
                    self.report.unchanged.push(page.key.clone());
                    return Ok(());
                }
                let title_changed = entry.title != page.title;
                let body_changed = entry.hash.is_none()
                    || entry.body_hash.as_deref() != Some(page.body_hash.as_str())
                    || entry.links != links;
                let prepared = if body_changed {
                    self.prepare(page, Some(&id))?.0
                } else {
                    Cow::Borrowed(page)
                };
                match self.write(&id, &prepared, title_changed, body_changed) {
                    Ok(()) => {
                        let updated = Entry {
                            title: page.title.clone(),
                            hash: Some(page.hash.clone()),
                            body_hash: Some(page.body_hash.clone()),
                            links: link_targets(page, self.state).1,
                            ..entry
                        };
                        self.state.pages.insert(page.key.clone(), updated);
                        self.save()?;
                        // A page recovered from an uncertain create counts as created.
                        if self.report.recovered.contains(&page.key) {
                            self.report.created.push(page.key.clone());
                        } else {
                            self.report.updated.push(page.key.clone());
                        }
                        return Ok(());
                    }
                    // Deleted by someone since: make it again.
                    Err(Error::Api { status: 404, .. }) => {
                        self.state.pages.remove(&page.key);
                    }
                    Err(error) => return Err(error),
                }
            }
        }
        let (prepared, attachment_ids) = self.prepare(page, None)?;
        let links = link_targets(page, self.state).1;
        let page = prepared.as_ref();
        let created = self.create(page, &placement, &attachment_ids)?;
        // The create named them (a page found after an uncertain create was made by it too).
        if let Some(files) = self.state.page_files.get_mut(&page.key) {
            for file in files.values_mut() {
                file.linked |= attachment_ids.contains(&file.id);
            }
        }
        let recovered = self.report.recovered.contains(&page.key);
        let mut entry = Entry {
            page_id: Some(created.id.clone()),
            root_id: Some(created.root_id().to_owned()),
            parent_id: created.parent_id().map(str::to_owned),
            title: page.title.clone(),
            links,
            ..Entry::default()
        };
        self.state.pages.insert(page.key.clone(), entry.clone());
        self.save()?;
        // A recovered page may hold a partial body; a new one needs HTML only when Markdown
        // lost something.
        let body_done = match self.transport {
            Transport::Html => !page.needs_html && !recovered,
            Transport::Markdown | Transport::Body => !recovered,
        };
        if !body_done {
            self.write(&created.id, page, false, true)?;
        }
        entry.hash = Some(page.hash.clone());
        entry.body_hash = Some(page.body_hash.clone());
        self.state.pages.insert(page.key.clone(), entry);
        self.save()?;
        self.report.created.push(page.key.clone());
        Ok(())
    }

    /// Writes a page's body again when its links can now point at more pages than when it was
    /// written (their pages were made after it); whether it did.
    fn relink(&mut self, page: &PageUpload) -> Result<bool, Error> {
        let Some(entry) = self.state.pages.get(&page.key).cloned() else {
            return Ok(false);
        };
        let (Some(id), Some(_)) = (entry.page_id.clone(), entry.hash.as_ref()) else {
            return Ok(false);
        };
        let (_, links) = link_targets(page, self.state);
        if entry.links == links {
            return Ok(false);
        }
        let (prepared, _) = self.prepare(page, Some(&id))?;
        self.write(&id, &prepared, false, true)?;
        self.state
            .pages
            .insert(page.key.clone(), Entry { links, ..entry });
        self.save()?;
        if !self.report.created.contains(&page.key) && !self.report.updated.contains(&page.key) {
            self.report.updated.push(page.key.clone());
        }
        Ok(true)
    }

    /// Reports the pages of gone sources, or with `prune` deletes them
    /// ([`super::prune::deletions`] decides which, from the start-of-run listing).
    fn prune(&mut self, converted: &Converted) -> Result<(), Error> {
        let deletions = super::prune::deletions(
            converted,
            self.state,
            &self.listed,
            self.options.prune_foreign,
        );
        if !self.options.prune {
            self.report.removed = deletions.into_iter().map(|d| d.key).collect();
            return Ok(());
        }
        let mut not_deleted: BTreeSet<String> = BTreeSet::new();
        for deletion in deletions {
            let key = deletion.key.clone();
            if deletion.refused {
                let others: Vec<String> = deletion
                    .others_below
                    .iter()
                    .map(|(id, title)| format!("{id} \"{title}\""))
                    .collect();
                self.report.failed.push((
                    key.clone(),
                    format!(
                        "not deleted: its page {} \"{}\" holds pages this import did not make \
                         (or still imports): {}. Move them elsewhere, or give --prune-foreign to \
                         delete them with it",
                        deletion.page_id.as_deref().unwrap_or("?"),
                        deletion.title,
                        others.join(", ")
                    ),
                ));
                not_deleted.insert(key);
                continue;
            }
            if let Some(above) = deletion.with.as_ref().filter(|k| not_deleted.contains(*k)) {
                self.report.failed.push((
                    key.clone(),
                    format!("not deleted: deleting the page of {above} above it failed"),
                ));
                not_deleted.insert(key);
                continue;
            }
            if let (Some(id), None) = (&deletion.page_id, &deletion.with) {
                match self.client.delete_page(id) {
                    Ok(()) | Err(Error::Api { status: 404, .. }) => {}
                    Err(error) if matches!(error, Error::BudgetSpent | Error::Io { .. }) => {
                        return Err(error);
                    }
                    Err(error) => {
                        self.report.failed.push((key.clone(), error.to_string()));
                        not_deleted.insert(key);
                        continue;
                    }
                }
            }
            self.state.pages.remove(&key);
            self.state.page_files.remove(&key);
            self.save()?;
            self.report.deleted.push(deletion);
        }
        Ok(())
    }
}

/// Whether an error ends the whole run rather than one page: the state file cannot be
/// written, the request budget is spent (a simulated kill), or the server refuses the token.
fn ends_the_run(error: &Error) -> bool {
    matches!(
        error,
        Error::BudgetSpent | Error::Io { .. } | Error::Api { status: 401, .. }
    )
}

/// What a run with `prune` would delete, and refuse to, without writing anything: for a dry
/// run. Reads the import's Doc as a run does (a few requests); `state` is not changed.
pub fn would_delete(
    client: &Client,
    converted: &Converted,
    options: &UploadOptions,
    state: &State,
) -> Result<Vec<super::Deletion>, Error> {
    check_state(state, options)?;
    let mut state = state.clone();
    let read_only = UploadOptions {
        state_file: None,
        ..options.clone()
    };
    let mut run = Run::new(client, &read_only, &mut state, converted.transport);
    run.survey()?;
    Ok(super::prune::deletions(
        converted,
        run.state,
        &run.listed,
        options.prune_foreign,
    ))
}

/// Uploads `converted`: creates pages the state does not know, updates pages whose content
/// changed, leaves the others, reports (or with `prune` deletes) pages of sources that are gone.
/// The state is saved after every change; with a state file, the run holds its lock
/// ([`super::StateLock`]) and reads it again first. Before any write, a run with a state (or
/// under `parent_page`) lists the import's Doc once: pages deleted in Productive are made again
/// ([`Report::vanished`]), and what was there before is never taken for a page this run made.
/// A page that fails is reported in [`Report::failed`] and the run goes on with the others
/// (its subpages fail with it); a 401 ends the page loop there, reported the same way.
/// [`Error::BudgetSpent`] and state file errors end the run with an error; so does a failed
/// start-of-run listing (after the client's retries), before anything is written.
pub fn upload(
    client: &Client,
    converted: &Converted,
    options: &UploadOptions,
    state: &mut State,
) -> Result<Report, Error> {
    upload_with_progress(client, converted, options, state, &mut |_| {})
}

/// What happened to one page in an upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageOutcome {
    /// Made (or found after an uncertain create, and written).
    Created,
    /// Its title or body rewritten.
    Updated,
    /// Left as it was.
    Unchanged,
    /// Failed: the reason is in [`Report::failed`].
    Failed,
    /// Written once more at the end of the run: its links point at pages made after it.
    Relinked,
}

/// One page done, as [`upload_with_progress`] tells it: for progress bars and logs.
#[derive(Clone, Copy, Debug)]
pub struct Progress<'a> {
    /// Pages done so far in the page loop (relinks repeat the total).
    pub done: usize,
    /// Pages in the page loop.
    pub total: usize,
    /// The page's source key.
    pub key: &'a str,
    /// The page's title.
    pub title: &'a str,
    /// What happened to it.
    pub outcome: PageOutcome,
}

/// [`upload`], calling `progress` after each page and each relink, for progress bars and logs.
pub fn upload_with_progress(
    client: &Client,
    converted: &Converted,
    options: &UploadOptions,
    state: &mut State,
    progress: &mut dyn FnMut(&Progress<'_>),
) -> Result<Report, Error> {
    // One run per state file; what an earlier holder saved is read again under the lock.
    let _lock = match &options.state_file {
        Some(path) => {
            let lock = super::state::StateLock::acquire(path)?;
            *state = State::load(path)?;
            Some(lock)
        }
        None => None,
    };
    check_state(state, options)?;
    state.version = State::VERSION;
    state.project = Some(options.project.clone());
    state.parent_page.clone_from(&options.parent_page);
    let mut run = Run::new(client, options, state, converted.transport);
    run.survey()?;
    for failure in &converted.failures {
        run.fail(&failure.key, failure.message.clone());
    }
    let total = converted.pages.len();
    for (done, page) in converted.pages.iter().enumerate() {
        let counts = (
            run.report.created.len(),
            run.report.updated.len(),
            run.report.unchanged.len(),
        );
        let result = run.one(page);
        let mut fatal = false;
        if let Err(error) = result {
            if matches!(error, Error::BudgetSpent | Error::Io { .. }) {
                return Err(error);
            }
            fatal = ends_the_run(&error);
            run.fail(&page.key, error.to_string());
        }
        let outcome = if run.report.created.len() > counts.0 {
            PageOutcome::Created
        } else if run.report.updated.len() > counts.1 {
            PageOutcome::Updated
        } else if run.report.unchanged.len() > counts.2 {
            PageOutcome::Unchanged
        } else {
            PageOutcome::Failed
        };
        progress(&Progress {
            done: done + 1,
            total,
            key: &page.key,
            title: &page.title,
            outcome,
        });
        if fatal {
            return Ok(run.report);
        }
    }
    // Links to pages made later in this run: their bodies are written once more.
    for page in converted.pages.iter().filter(|p| !p.links.is_empty()) {
        if run.failed.contains(&page.key) {
            continue;
        }
        let outcome = match run.relink(page) {
            Ok(false) => continue,
            Ok(true) => PageOutcome::Relinked,
            Err(error) if matches!(error, Error::BudgetSpent | Error::Io { .. }) => {
                return Err(error);
            }
            Err(error) => {
                run.fail(&page.key, error.to_string());
                PageOutcome::Failed
            }
        };
        progress(&Progress {
            done: total,
            total,
            key: &page.key,
            title: &page.title,
            outcome,
        });
    }
    run.prune(converted)?;
    Ok(run.report)
}
