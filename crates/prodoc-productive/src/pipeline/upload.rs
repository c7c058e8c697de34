//! Sending the converted pages: create new ones, update changed ones, skip the rest.

use super::convert::{
    fnv, render, with_addresses, with_page_links, Converted, PageUpload, Transport,
};
use super::state::{AttachmentEntry, Entry, State};
use crate::resource::{NewAttachment, Page, PageFilter, Placement};
use crate::{Client, Error};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// How [`upload`] runs.
#[derive(Clone, Debug, Default)]
pub struct UploadOptions {
    /// The project the top page goes into.
    pub project: String,
    /// Put the top page under this page instead of at the top of the project.
    pub parent_page: Option<String>,
    /// Go on after a page fails (its subpages fail with it). Default: stop at the first.
    pub keep_going: bool,
    /// Delete the pages of sources that are gone. Default: only report them.
    pub prune: bool,
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
    /// Sources gone whose pages were deleted (`prune`).
    pub deleted: Vec<String>,
    /// Pages found by looking after an uncertain create, instead of creating them again.
    pub recovered: Vec<String>,
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
            let uploaded = state.attachments.get(&asset.key)?;
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

/// How often an uncertain create is looked up and tried again before giving up.
const CREATE_ATTEMPTS: u32 = 5;

struct Run<'a> {
    client: &'a Client,
    options: &'a UploadOptions,
    state: &'a mut State,
    transport: Transport,
    report: Report,
    top_placement: Option<Placement>,
}

impl Run<'_> {
    fn save(&self) -> Result<(), Error> {
        match &self.options.state_file {
            Some(path) => self.state.save(path),
            None => Ok(()),
        }
    }

    /// Where the top page goes; under a page, the page's Doc is looked up once.
    fn top_placement(&mut self) -> Result<Placement, Error> {
        if let Some(placement) = &self.top_placement {
            return Ok(placement.clone());
        }
        let placement = match &self.options.parent_page {
            Some(parent) => {
                let page = self.client.get_page(parent)?;
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

    fn placement(&mut self, page: &PageUpload) -> Result<Placement, String> {
        match &page.parent_key {
            None => self.top_placement().map_err(|e| e.to_string()),
            Some(key) => {
                let parent = self.state.pages.get(key);
                match parent.and_then(|p| p.page_id.clone().zip(p.root_id.clone())) {
                    Some((parent, root)) => Ok(Placement::Under { parent, root }),
                    None => Err(format!("its parent {key} was not imported")),
                }
            }
        }
    }

    /// Looks for a page this run may have made already: same parent, same title, not the page
    /// of another source.
    fn look_up(&self, placement: &Placement, title: &str) -> Result<Option<Page>, Error> {
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
            .min_by_key(|p| p.id.parse::<u64>().unwrap_or(u64::MAX)))
    }

    fn write_body(&self, id: &str, page: &PageUpload, title_changed: bool) -> Result<(), Error> {
        match self.transport {
            Transport::Html => {
                self.client
                    .replace_body_with_html(id, page.html.as_deref().unwrap_or(""))?;
            }
            Transport::Markdown => self.client.replace_body_with_markdown(id, &page.markdown)?,
            Transport::Body => {
                let title = title_changed.then_some(page.title.as_str());
                self.client
                    .update_page(id, title, Some(page.body.as_deref().unwrap_or("")))?;
                return Ok(());
            }
        }
        if title_changed {
            self.client.update_page(id, Some(&page.title), None)?;
        }
        Ok(())
    }

    /// Uploads the page's local files that the state does not hold at their current content,
    /// and returns the page with references replaced by the attachments' addresses, and the
    /// ids of the attachments uploaded now.
    fn prepare<'p>(
        &mut self,
        page: &'p PageUpload,
        page_id: Option<&str>,
    ) -> Result<(Cow<'p, PageUpload>, Vec<String>), Error> {
        if page.assets.is_empty() && page.links.is_empty() {
            return Ok((Cow::Borrowed(page), Vec::new()));
        }
        let mut new_ids = Vec::new();
        for asset in &page.assets {
            let known = self
                .state
                .attachments
                .get(&asset.key)
                .filter(|a| a.hash == asset.hash);
            match known {
                Some(_) => {}
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
                    let url = attachment.attributes.url.clone().unwrap_or_default();
                    self.state.attachments.insert(
                        asset.key.clone(),
                        AttachmentEntry {
                            id: attachment.id.clone(),
                            url,
                            hash: asset.hash.clone(),
                        },
                    );
                    self.save()?;
                    new_ids.push(attachment.id);
                }
            }
        }
        let doc = meant_doc(page, self.state);
        let rendered = render(&doc, self.transport);
        let prepared = PageUpload {
            doc,
            markdown: rendered.markdown,
            html: rendered.html,
            body: rendered.body,
            needs_html: rendered.needs_html,
            ..page.clone()
        };
        Ok((Cow::Owned(prepared), new_ids))
    }

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
        // Recorded before sending: if the run dies now, the next one looks before creating.
        self.state.pages.insert(
            page.key.clone(),
            Entry {
                page_id: None,
                root_id,
                parent_id,
                title: page.title.clone(),
                hash: None,
                links: None,
            },
        );
        self.save()?;
        let mut attempt = 0;
        loop {
            let result = match self.transport {
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
            };
            match result {
                Ok(created) => return Ok(created),
                // Stopped before sending: nothing to look for next time.
                Err(Error::BudgetSpent) => {
                    self.state.pages.remove(&page.key);
                    self.save()?;
                    return Err(Error::BudgetSpent);
                }
                Err(error) if error.is_uncertain() && attempt + 1 < CREATE_ATTEMPTS => {
                    attempt += 1;
                    if let Some(found) = self.look_up(placement, &page.title)? {
                        self.report.recovered.push(page.key.clone());
                        return Ok(found);
                    }
                }
                Err(error) => return Err(error),
            }
        }
    }

    fn one(&mut self, page: &PageUpload) -> Result<(), Error> {
        let placement = match self.placement(page) {
            Ok(placement) => placement,
            Err(message) => {
                self.report.failed.push((page.key.clone(), message));
                return Ok(());
            }
        };
        let mut entry = self.state.pages.get(&page.key).cloned();
        // A create whose outcome is unknown: the page may exist.
        if let Some(pending) = entry.as_ref().filter(|e| e.page_id.is_none()) {
            let pending = pending.clone();
            entry = match self.look_up(&placement, &pending.title)? {
                Some(found) => {
                    self.report.recovered.push(page.key.clone());
                    let recovered = Entry {
                        page_id: Some(found.id.clone()),
                        root_id: Some(found.root_id().to_owned()),
                        hash: None,
                        ..pending
                    };
                    self.state.pages.insert(page.key.clone(), recovered.clone());
                    self.save()?;
                    Some(recovered)
                }
                None => None,
            };
        }
        if let Some(entry) = entry {
            if let Some(id) = entry.page_id.clone() {
                let (_, links) = link_targets(page, self.state);
                if entry.hash.as_deref() == Some(page.hash.as_str()) && entry.links == links {
                    self.report.unchanged.push(page.key.clone());
                    return Ok(());
                }
                let title_changed = entry.title != page.title;
                let (prepared, _) = self.prepare(page, Some(&id))?;
                match self.write_body(&id, &prepared, title_changed) {
                    Ok(()) => {
                        let updated = Entry {
                            title: page.title.clone(),
                            hash: Some(page.hash.clone()),
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
        let recovered = self.report.recovered.contains(&page.key);
        let mut entry = Entry {
            page_id: Some(created.id.clone()),
            root_id: Some(created.root_id().to_owned()),
            parent_id: created.parent_id().map(str::to_owned),
            title: page.title.clone(),
            hash: None,
            links,
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
            self.write_body(&created.id, page, false)?;
        }
        entry.hash = Some(page.hash.clone());
        self.state.pages.insert(page.key.clone(), entry);
        self.save()?;
        self.report.created.push(page.key.clone());
        Ok(())
    }

    /// Writes a page's body again when its links can now point at more pages than when it was
    /// written (their pages were made after it).
    fn relink(&mut self, page: &PageUpload) -> Result<(), Error> {
        let Some(entry) = self.state.pages.get(&page.key).cloned() else {
            return Ok(());
        };
        let (Some(id), Some(_)) = (entry.page_id.clone(), entry.hash.as_ref()) else {
            return Ok(());
        };
        let (_, links) = link_targets(page, self.state);
        if entry.links == links {
            return Ok(());
        }
        let (prepared, _) = self.prepare(page, Some(&id))?;
        self.write_body(&id, &prepared, false)?;
        self.state
            .pages
            .insert(page.key.clone(), Entry { links, ..entry });
        self.save()?;
        if !self.report.created.contains(&page.key) && !self.report.updated.contains(&page.key) {
            self.report.updated.push(page.key.clone());
        }
        Ok(())
    }

    fn prune(&mut self, converted: &Converted) -> Result<(), Error> {
        let present: BTreeSet<&str> = converted.keys().collect();
        let gone: Vec<(String, Entry)> = self
            .state
            .pages
            .iter()
            .filter(|(key, _)| !present.contains(key.as_str()))
            .map(|(k, e)| (k.clone(), e.clone()))
            .collect();
        if !self.options.prune {
            self.report.removed = gone.into_iter().map(|(k, _)| k).collect();
            return Ok(());
        }
        let gone_ids: BTreeSet<String> =
            gone.iter().filter_map(|(_, e)| e.page_id.clone()).collect();
        for (key, entry) in gone {
            // Deleting a page deletes its subpages: only the topmost gone pages are deleted.
            let under_gone = entry
                .parent_id
                .as_ref()
                .is_some_and(|p| gone_ids.contains(p));
            if let (Some(id), false) = (&entry.page_id, under_gone) {
                match self.client.delete_page(id) {
                    Ok(()) | Err(Error::Api { status: 404, .. }) => {}
                    Err(error) => {
                        self.report.failed.push((key, error.to_string()));
                        continue;
                    }
                }
            }
            self.state.pages.remove(&key);
            self.save()?;
            self.report.deleted.push(key);
        }
        Ok(())
    }
}

/// Uploads `converted`: creates pages the state does not know, updates pages whose content
/// changed, leaves the others, reports (or with `prune` deletes) pages of sources that are gone.
/// The state is saved after every change. A page that fails is reported in
/// [`Report::failed`]; unless `keep_going`, the run stops there. [`Error::BudgetSpent`] and
/// state file errors end the run with an error.
pub fn upload(
    client: &Client,
    converted: &Converted,
    options: &UploadOptions,
    state: &mut State,
) -> Result<Report, Error> {
    upload_with_progress(client, converted, options, state, &mut |_, _| {})
}

/// [`upload`], calling `progress(done, total)` after each page, for progress bars.
pub fn upload_with_progress(
    client: &Client,
    converted: &Converted,
    options: &UploadOptions,
    state: &mut State,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, Error> {
    // A state file records pages of one place: used for another, every page would count as
    // made already.
    let known = state.pages.values().any(|e| e.page_id.is_some());
    if known
        && (state.project.as_deref() != Some(options.project.as_str())
            || state.parent_page != options.parent_page)
    {
        return Err(Error::Config(format!(
            "the state file records pages made in project {} (under page {}), not here: give \
             another state file",
            state.project.as_deref().unwrap_or("?"),
            state.parent_page.as_deref().unwrap_or("none"),
        )));
    }
    state.version = State::VERSION;
    state.project = Some(options.project.clone());
    state.parent_page.clone_from(&options.parent_page);
    let mut run = Run {
        client,
        options,
        state,
        transport: converted.transport,
        report: Report::default(),
        top_placement: None,
    };
    for failure in &converted.failures {
        run.report
            .failed
            .push((failure.key.clone(), failure.message.clone()));
    }
    let total = converted.pages.len();
    for (done, page) in converted.pages.iter().enumerate() {
        let result = run.one(page);
        progress(done + 1, total);
        match result {
            Ok(()) => {}
            Err(error @ (Error::BudgetSpent | Error::Io { .. })) => return Err(error),
            Err(error) => run
                .report
                .failed
                .push((page.key.clone(), error.to_string())),
        }
        // Conversion failures were let through on purpose (convert's keep_going); an upload
        // failure stops the run unless this run keeps going too.
        if !options.keep_going && run.report.failed.len() > converted.failures.len() {
            return Ok(run.report);
        }
    }
    // Links to pages made later in this run: their bodies are written once more.
    for page in converted.pages.iter().filter(|p| !p.links.is_empty()) {
        match run.relink(page) {
            Ok(()) => {}
            Err(error @ (Error::BudgetSpent | Error::Io { .. })) => return Err(error),
            Err(error) => {
                run.report
                    .failed
                    .push((page.key.clone(), error.to_string()));
                if !options.keep_going {
                    return Ok(run.report);
                }
            }
        }
    }
    run.prune(converted)?;
    Ok(run.report)
}
