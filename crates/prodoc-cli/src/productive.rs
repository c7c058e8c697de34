//! `prodoc import` and `prodoc export`: folders of Markdown to Productive pages and back.
//!
//! The API token comes from `PRODUCTIVE_API_TOKEN` or a token file, never from an argument,
//! and is never printed.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use prodoc_productive::pipeline::{
    self, Deletion, ExportFormat, ExportRoot, PageOutcome, State, Transport, UploadOptions,
};
use prodoc_productive::{Client, Config, Error, Limits};
use std::collections::BTreeMap;

use crate::exit::Exit;

/// How to reach the API.
#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// The API address [default: $PRODUCTIVE_BASE_URL, else https://api.productive.io/api/v2/].
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// The attachment storage address [default: $PRODUCTIVE_STORAGE_URL, else the address the
    /// attachments guide names].
    #[arg(long, value_name = "URL")]
    storage_url: Option<String>,
    /// A file holding the API token [default: $PRODUCTIVE_API_TOKEN, else
    /// $PRODUCTIVE_TOKEN_FILE].
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// The organization id [default: $PRODUCTIVE_ORG_ID].
    #[arg(long, value_name = "ID")]
    org: Option<String>,
    /// At most N requests per 10 s (at most Productive's 100), to leave part of the budget to
    /// other integrations; the per-organisation limit (4,000 per 30 min) is kept to the same
    /// share [default: 100].
    #[arg(long, value_name = "N")]
    max_rate: Option<usize>,
}

impl ConnectionArgs {
    /// The configuration from the environment and the flags, checked.
    fn config(&self) -> Result<Config, Error> {
        let mut config = Config::from_env(self.token_file.as_deref(), self.org.as_deref())?;
        if let Some(url) = &self.base_url {
            config = config.with_base_url(url.clone());
        }
        if let Some(url) = &self.storage_url {
            config.storage_url.clone_from(url);
        }
        if let Some(rate) = self.max_rate {
            config.limits = max_rate(rate)?;
        }
        config.check()?;
        Ok(config)
    }

    fn client(&self) -> Result<Client, Error> {
        self.config().map(Client::new)
    }
}

/// How page bodies travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TransportArg {
    /// create_with_markdown, then replace_body_with_html when Markdown cannot carry everything.
    Html,
    /// create_with_markdown and replace_body_with_markdown only.
    Markdown,
    /// The older POST/PATCH /pages with the document as a JSON string (exact).
    Body,
}

/// `prodoc import` arguments.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A Markdown file, or a folder: a page whose subpages mirror the tree.
    path: PathBuf,
    /// The project the pages go into [default: the one the state file records, with its
    /// parent page].
    #[arg(long, value_name = "ID")]
    project: Option<String>,
    /// Put the top page under this page instead of at the top of the project.
    #[arg(long, value_name = "ID")]
    parent_page: Option<String>,
    /// Show what would be created, updated and left; send nothing.
    #[arg(long)]
    dry_run: bool,
    /// The state file that maps sources to pages [default: .prodoc-import.json in the folder,
    /// or FILE.prodoc-import.json beside a file].
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// How page bodies travel.
    #[arg(long, value_enum, default_value_t = TransportArg::Html)]
    transport: TransportArg,
    /// Read every page back afterwards and report differences from what was sent.
    #[arg(long)]
    verify: bool,
    /// Go on when a source cannot be converted: it and its subpages are reported as failed.
    /// (A page that fails to upload never stops the run.)
    #[arg(long)]
    keep_going: bool,
    /// Delete the pages of sources that are gone since the last run (each is listed). A page
    /// holding pages this import did not make is kept and reported, unless --prune-foreign.
    #[arg(long)]
    prune: bool,
    /// With --prune: delete a gone source's page even when someone else's subpages (pages this
    /// import did not make) are below it; they are deleted with it.
    #[arg(long, requires = "prune")]
    prune_foreign: bool,
    #[command(flatten)]
    connection: ConnectionArgs,
}

/// `prodoc export` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Export this page and every page below it.
    #[arg(
        long,
        value_name = "ID",
        conflicts_with = "project",
        required_unless_present = "project"
    )]
    page: Option<String>,
    /// Export every page of this project.
    #[arg(long, value_name = "ID")]
    project: Option<String>,
    /// The folder to write into; the page tree becomes a folder tree.
    out_dir: PathBuf,
    /// The file format.
    #[arg(short = 't', long = "to", value_enum, default_value_t = ExportFormatArg::Md)]
    to: ExportFormatArg,
    #[command(flatten)]
    connection: ConnectionArgs,
}

/// Export file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// Markdown with the title in front matter.
    Md,
    /// Productive's HTML dialect.
    Html,
    /// The document JSON.
    Json,
}

/// Productive's limits cut to `rate` requests per 10 s, the long window to the same share.
fn max_rate(rate: usize) -> Result<Limits, Error> {
    let limits = Limits::default();
    if rate == 0 || rate > limits.short.max {
        return Err(Error::Config(format!(
            "--max-rate {rate}: give 1 to {} (Productive allows {} requests per 10 s)",
            limits.short.max, limits.short.max
        )));
    }
    let mut cut = limits;
    cut.short.max = rate;
    cut.long.max = (limits.long.max * rate / limits.short.max).max(1);
    Ok(cut)
}

/// A page as the user knows it: its title and source, the top page said so rather than `.`.
fn shown(title: &str, key: &str) -> String {
    if key == "." {
        format!("{title} (the top page)")
    } else {
        format!("{title} ({key})")
    }
}

/// Titles by source key: this run's pages, then what the state remembers (gone sources).
fn titles(converted: &pipeline::Converted, state: &State) -> BTreeMap<String, String> {
    let mut titles: BTreeMap<String, String> = state
        .pages
        .iter()
        .map(|(key, entry)| (key.clone(), entry.title.clone()))
        .collect();
    for page in &converted.pages {
        titles.insert(page.key.clone(), page.title.clone());
    }
    titles
}

/// [`shown`] for a key, its title looked up; a source with no title yet by its key alone.
fn shown_key(titles: &BTreeMap<String, String>, key: &str) -> String {
    match titles.get(key) {
        Some(title) => shown(title, key),
        None if key == "." => "the top page".to_owned(),
        None => key.to_owned(),
    }
}

fn error_status(error: &Error) -> Exit {
    match error {
        Error::Config(_) => Exit::Usage,
        Error::Io { .. } => Exit::Io,
        _ => Exit::Invalid,
    }
}

fn default_state_file(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(".prodoc-import.json")
    } else {
        let mut name = path.as_os_str().to_owned();
        name.push(".prodoc-import.json");
        PathBuf::from(name)
    }
}

/// Runs `prodoc import`.
pub fn import(args: &ImportArgs) -> Exit {
    match run_import(args) {
        Ok(status) => status,
        Err(error) => {
            eprintln!("prodoc: error: {error}");
            error_status(&error)
        }
    }
}

fn run_import(args: &ImportArgs) -> Result<Exit, Error> {
    let transport = match args.transport {
        TransportArg::Html => Transport::Html,
        TransportArg::Markdown => Transport::Markdown,
        TransportArg::Body => Transport::Body,
    };
    let plan = pipeline::plan(&args.path)?;
    for skipped in &plan.skipped {
        eprintln!(
            "prodoc: warning: {}: not Markdown, left out",
            skipped.display()
        );
    }
    let converted = pipeline::convert(&plan, transport, args.keep_going)?;
    let state_file = args
        .state
        .clone()
        .unwrap_or_else(|| default_state_file(&args.path));
    let mut state = State::load(&state_file)?;
    let names = titles(&converted, &state);
    for (key, diagnostic) in &converted.warnings {
        eprintln!("prodoc: warning: {}: {diagnostic}", shown_key(&names, key));
    }
    // Without --project, the place the state file records: its project and parent page.
    let (project, parent_page) = match (&args.project, &state.project) {
        (Some(project), _) => (project.clone(), args.parent_page.clone()),
        (None, Some(project)) => (
            project.clone(),
            args.parent_page
                .clone()
                .or_else(|| state.parent_page.clone()),
        ),
        (None, None) => {
            return Err(Error::Config(format!(
                "--project: not given, and the state file {} records no project: give \
                 --project ID (the first import into a place needs it)",
                state_file.display()
            )))
        }
    };
    let options = UploadOptions {
        project,
        parent_page,
        prune: args.prune,
        prune_foreign: args.prune_foreign,
        state_file: Some(state_file.clone()),
    };
    if args.dry_run {
        // What the real run would refuse, the dry run refuses too.
        let config = args.connection.config()?;
        pipeline::check_state(&state, &options)?;
        // Which pages a prune deletes depends on what is below them now: read, never written.
        let deletions = if args.prune {
            Some(pipeline::would_delete(
                &Client::new(config),
                &converted,
                &options,
                &state,
            )?)
        } else {
            None
        };
        return Ok(dry_run(&converted, &state, deletions.as_deref()));
    }
    // A bar on a terminal; otherwise a log: a line per page written and per rate-limit wait.
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let bar = if terminal {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(converted.pages.len() as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages {elapsed}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let log = {
        let bar = bar.clone();
        move |line: String| {
            if terminal {
                bar.println(line);
            } else {
                eprintln!("{line}");
            }
        }
    };
    let client = {
        let log = log.clone();
        args.connection.client()?.with_wait_notice(move |wait| {
            log(format!(
                "prodoc: rate-limited, resuming in {} s",
                wait.as_secs_f64().ceil()
            ));
        })
    };
    let report = pipeline::upload_with_progress(
        &client,
        &converted,
        &options,
        &mut state,
        &mut |progress| {
            bar.set_position(progress.done as u64);
            let done = match progress.outcome {
                PageOutcome::Unchanged => return,
                PageOutcome::Created => "created",
                PageOutcome::Updated => "updated",
                PageOutcome::Relinked => "updated links of",
                PageOutcome::Failed => "failed",
            };
            if !terminal {
                log(format!(
                    "prodoc: [{}/{}] {done} {}",
                    progress.done,
                    progress.total,
                    shown(progress.title, progress.key)
                ));
            }
        },
    );
    bar.finish_and_clear();
    // A run that ends early (the start-of-run listing failed, the state file could not be
    // written) still ends with a summary, saying where what was written is recorded.
    let report = match report {
        Ok(report) => report,
        Err(error) => {
            println!(
                "import stopped before its end: {error}; what it wrote is recorded in {}, and \
                 running the import again carries on from there",
                state_file.display()
            );
            return Err(error);
        }
    };
    let names = titles(&converted, &state);
    for (key, message) in &report.failed {
        eprintln!("prodoc: error: {}: {message}", shown_key(&names, key));
    }
    for key in &report.vanished {
        let again = if report.created.contains(key) {
            "made again"
        } else if report.failed.iter().any(|(k, _)| k == key) {
            "making it again failed (see above)"
        } else {
            "its source is gone too"
        };
        eprintln!(
            "prodoc: warning: {}: its page was deleted in Productive; {again}",
            shown_key(&names, key)
        );
    }
    for key in &report.removed {
        eprintln!(
            "prodoc: warning: {}: source gone; its page was kept (use --prune to delete it)",
            shown_key(&names, key)
        );
    }
    // The summary: where the pages are, what was written, then the counts.
    if let Some(top) = converted.pages.iter().find(|p| p.parent_key.is_none()) {
        match state.pages.get(&top.key).and_then(|e| e.page_id.as_deref()) {
            Some(id) => println!("top page: {} (page {id})", top.title),
            None => println!("top page: {} (not made)", top.title),
        }
    }
    for key in &report.created {
        println!("created   {}", shown_key(&names, key));
    }
    for key in &report.updated {
        println!("updated   {}", shown_key(&names, key));
    }
    for deletion in &report.deleted {
        println!("deleted   {}", deletion_line(deletion));
    }
    let mut status = if report.failed.is_empty() {
        Exit::Ok
    } else {
        Exit::Invalid
    };
    let mut summary = format!(
        "created {}, updated {}, unchanged {}, failed {}",
        report.created.len(),
        report.updated.len(),
        report.unchanged.len(),
        report.failed.len()
    );
    if !report.vanished.is_empty() {
        summary.push_str(&format!(
            ", deleted in Productive {}",
            report.vanished.len()
        ));
    }
    if !report.removed.is_empty() || !report.deleted.is_empty() {
        summary.push_str(&format!(
            ", removed {}, deleted {}",
            report.removed.len(),
            report.deleted.len()
        ));
    }
    if args.verify {
        // A failed read-back is reported with the rest: the summary is always printed.
        match pipeline::verify(&client, &converted, &state) {
            Ok(differences) => {
                for d in &differences {
                    eprintln!(
                        "prodoc: warning: {}: {}: sent {}, page has {}",
                        shown_key(&names, &d.key),
                        d.pointer,
                        d.expected,
                        d.found
                    );
                }
                summary.push_str(&format!(", differences {}", differences.len()));
                if !differences.is_empty() {
                    status = Exit::Invalid;
                }
            }
            Err(error) => {
                eprintln!("prodoc: error: --verify: {error}");
                summary.push_str(", verify failed");
                status = Exit::Invalid;
            }
        }
    }
    println!("{summary}");
    Ok(status)
}

/// How a deletion is shown: `Title (key, page ID, …)`.
fn deletion_line(deletion: &Deletion) -> String {
    let mut line = format!(
        "{} ({}, page {}",
        deletion.title,
        deletion.key,
        deletion.page_id.as_deref().unwrap_or("never made")
    );
    if let Some(above) = &deletion.with {
        line.push_str(&format!(", with {above}"));
    }
    if !deletion.others_below.is_empty() {
        let others: Vec<String> = deletion
            .others_below
            .iter()
            .map(|(id, title)| format!("{id} \"{title}\""))
            .collect();
        let verb = if deletion.refused {
            "holds pages this import did not make"
        } else {
            "and pages this import did not make"
        };
        line.push_str(&format!("; {verb}: {}", others.join(", ")));
    }
    line.push(')');
    line
}

fn dry_run(converted: &pipeline::Converted, state: &State, deletions: Option<&[Deletion]>) -> Exit {
    let (mut create, mut update, mut unchanged) = (0, 0, 0);
    for page in &converted.pages {
        let known = state.pages.get(&page.key);
        let action = match known {
            Some(entry) if entry.page_id.is_some() && entry.hash.as_deref() == Some(&page.hash) => {
                unchanged += 1;
                "unchanged"
            }
            Some(entry) if entry.page_id.is_some() => {
                update += 1;
                "update"
            }
            _ => {
                create += 1;
                "create"
            }
        };
        let depth = page.key.trim_end_matches('/').matches('/').count()
            + usize::from(page.parent_key.is_some());
        println!(
            "{action:9} {}{}",
            "  ".repeat(depth),
            shown(&page.title, &page.key)
        );
    }
    let names = titles(converted, state);
    for failure in &converted.failures {
        println!(
            "failed    {}: {}",
            shown_key(&names, &failure.key),
            failure.message
        );
    }
    let mut prune = String::new();
    match deletions {
        Some(deletions) => {
            let refused = deletions.iter().filter(|d| d.refused).count();
            for deletion in deletions {
                let action = if deletion.refused { "keep" } else { "delete" };
                println!("{action:9} {}", deletion_line(deletion));
            }
            prune = format!(", delete {}", deletions.len() - refused);
            if refused > 0 {
                prune.push_str(&format!(
                    ", refuse to delete {refused} (--prune-foreign deletes them)"
                ));
            }
        }
        None => {
            let gone = pipeline::gone(converted, state);
            for (key, entry) in &gone {
                println!(
                    "gone      {}: source gone, page kept (--prune deletes it)",
                    shown(&entry.title, key)
                );
            }
            if !gone.is_empty() {
                prune = format!(", keep {} pages of gone sources", gone.len());
            }
        }
    }
    println!(
        "dry run: would create {create}, update {update}, leave {unchanged} unchanged{prune}; {} failed",
        converted.failures.len()
    );
    if converted.failures.is_empty() {
        Exit::Ok
    } else {
        Exit::Invalid
    }
}

/// Runs `prodoc export`.
pub fn export(args: &ExportArgs) -> Exit {
    let root = match (&args.page, &args.project) {
        (Some(page), _) => ExportRoot::Page(page.clone()),
        (None, Some(project)) => ExportRoot::Project(project.clone()),
        (None, None) => {
            eprintln!("prodoc: error: give --page ID or --project ID");
            return Exit::Usage;
        }
    };
    let format = match args.to {
        ExportFormatArg::Md => ExportFormat::Markdown,
        ExportFormatArg::Html => ExportFormat::Html,
        ExportFormatArg::Json => ExportFormat::Json,
    };
    let result = args
        .connection
        .client()
        .and_then(|client| pipeline::export(&client, &root, &args.out_dir, format));
    match result {
        Ok(report) => {
            for (path, diagnostic) in &report.warnings {
                eprintln!("prodoc: warning: {}: {diagnostic}", path.display());
            }
            println!(
                "exported {} pages to {}",
                report.written.len(),
                args.out_dir.display()
            );
            Exit::Ok
        }
        Err(error) => {
            eprintln!("prodoc: error: {error}");
            error_status(&error)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn max_rate_cuts_both_windows_to_the_same_share() {
        let limits = max_rate(25).unwrap();
        assert_eq!(limits.short.max, 25);
        assert_eq!(limits.long.max, 1000);
        assert_eq!(limits.short.length, Limits::default().short.length);
        assert!(max_rate(0).is_err() && max_rate(101).is_err());
        assert_eq!(max_rate(100).unwrap(), Limits::default());
    }
}
