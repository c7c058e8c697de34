//! `prodoc convert`: one input to standard output or a file, or many inputs into a folder in
//! parallel.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use clap::builder::TypedValueParser;
use clap::ValueEnum;
use prodoc::{Diagnostic, Severity};

use crate::exit::Exit;
use crate::input::{self, read_input, SizeLimit};
use crate::output::stdout_failed;
use crate::report::Reporter;

pub use prodoc::Format;

/// `-f`/`-t` values: the format names (and aliases) that [`Format`] parses, with their help.
pub fn format_parser() -> impl TypedValueParser<Value = Format> {
    use clap::builder::PossibleValue;
    clap::builder::PossibleValuesParser::new([
        PossibleValue::new("json").help("The Productive Document Format's JSON"),
        PossibleValue::new("md")
            .alias("markdown")
            .help("GitHub-flavoured Markdown"),
        PossibleValue::new("html")
            .help("HTML: Productive's dialect, or plain HTML5 with `--html plain`"),
        PossibleValue::new("text").alias("txt").help("Plain text"),
    ])
    .try_map(|name| name.parse::<Format>())
}

/// How JSON is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum JsonStyle {
    /// Indented by two spaces.
    Pretty,
    /// One line, as the API stores it.
    Compact,
    /// The API's string form: a JSON string holding the compact document.
    Body,
}

/// Which HTML is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HtmlDialect {
    /// Productive's dialect: what `replace_body_with_html` accepts; reaches every node.
    Productive,
    /// Semantic HTML5 for display, safe to insert into a page.
    Plain,
}

/// Everything `convert` needs to know besides the inputs.
pub struct ConvertPlan {
    /// `-f`.
    pub from: Option<Format>,
    /// `-t`.
    pub to: Option<Format>,
    /// How each format is read (`--lenient` for JSON).
    pub read: prodoc::convert::ReadOptions,
    /// How each format is written (`--json`, `--html`, `--wrap`).
    pub write: prodoc::convert::WriteOptions,
    /// `--strict`.
    pub strict: bool,
    /// `--max-input-size`.
    pub limit: SizeLimit,
}

/// The options the command line sets, as each format's options.
pub struct Flags {
    /// `--json`.
    pub json: JsonStyle,
    /// `--html`.
    pub html: HtmlDialect,
    /// `--wrap`.
    pub wrap: Option<usize>,
    /// `--lenient`.
    pub lenient: bool,
    /// `--max-input-size`.
    pub limit: SizeLimit,
}

impl ConvertPlan {
    /// The plan for `-f`, `-t`, `--strict` and the other flags, with the formats' options made
    /// once for every input.
    pub fn new(from: Option<Format>, to: Option<Format>, flags: Flags, strict: bool) -> Self {
        let read = prodoc::convert::ReadOptions {
            json: if flags.lenient {
                prodoc::json::ReadOptions::lenient()
            } else {
                prodoc::json::ReadOptions::strict()
            },
            ..Default::default()
        };
        let write = prodoc::convert::WriteOptions {
            json: prodoc::json::WriteOptions {
                style: match flags.json {
                    JsonStyle::Pretty => prodoc::json::Style::Pretty,
                    JsonStyle::Compact => prodoc::json::Style::Compact,
                    JsonStyle::Body => prodoc::json::Style::Body,
                },
            },
            html: prodoc::html::WriteOptions {
                dialect: match flags.html {
                    HtmlDialect::Productive => prodoc::html::Dialect::Productive,
                    HtmlDialect::Plain => prodoc::html::Dialect::Plain,
                },
                ..Default::default()
            },
            text: prodoc::text::WriteOptions {
                wrap: flags.wrap,
                ..Default::default()
            },
            ..Default::default()
        };
        Self {
            from,
            to,
            read,
            write,
            strict,
            limit: flags.limit,
        }
    }
}

/// The result of converting one input.
struct Outcome {
    /// What is left to write, unless the conversion failed or its output is written already.
    output: Option<Output>,
    diagnostics: Vec<Diagnostic>,
    status: Exit,
    /// Why output written as the input was read could not be written.
    write_error: Option<std::io::Error>,
    /// The blocks a conversion written as it was read still held at its end: freed by a batch,
    /// left to the end of the process after one input (see [`single`]).
    held: Option<prodoc::Doc>,
}

impl Outcome {
    fn failed(diagnostics: Vec<Diagnostic>) -> Self {
        Self {
            output: None,
            diagnostics,
            status: Exit::Invalid,
            write_error: None,
            held: None,
        }
    }

    /// Writes what is left to `out`, or gives the error met while the output was written as
    /// the input was read.
    fn write_rest(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        if let Some(error) = self.write_error.take() {
            return Err(error);
        }
        match &self.output {
            Some(output) => output.write_to(out).and_then(|()| out.flush()),
            None => Ok(()),
        }
    }
}

/// A file made at the first write to it (with its folder, in a batch), so that a conversion
/// that fails leaves no file behind.
struct LazyFile<'p> {
    path: &'p Path,
    make_folder: bool,
    file: Option<std::fs::File>,
}

impl<'p> LazyFile<'p> {
    fn new(path: &'p Path, make_folder: bool) -> Self {
        Self {
            path,
            make_folder,
            file: None,
        }
    }

    fn file(&mut self) -> std::io::Result<&mut std::fs::File> {
        match &mut self.file {
            Some(file) => Ok(file),
            empty => {
                if self.make_folder {
                    self.path.parent().map_or(Ok(()), std::fs::create_dir_all)?;
                }
                Ok(empty.insert(std::fs::File::create(self.path)?))
            }
        }
    }
}

impl Write for LazyFile<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.file()?.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        // Also makes the file of an empty output.
        self.file()?.flush()
    }
}

/// What a conversion has to write.
enum Output {
    /// Written text: Markdown, HTML, plain text.
    Text(String),
    /// The document, held until `--strict` has seen every diagnostic, then written as JSON part
    /// by part ([`prodoc::json::write_to`]), so that the JSON (3 to 30 times the size of the
    /// Markdown it came from) is never held whole.
    Json(prodoc::Doc, prodoc::json::Style),
}

impl Output {
    fn write_to(&self, out: &mut dyn Write) -> std::io::Result<()> {
        match self {
            Output::Text(text) => out.write_all(text.as_bytes()),
            Output::Json(doc, style) => {
                prodoc::json::write_to(doc, *style, out)?;
                // A file of JSON ends with a newline, as the other writers' output does.
                out.write_all(b"\n")
            }
        }
    }
}

/// Reads `text` as `from` and writes it as `to`, through the one conversion API's
/// [`prodoc::convert::read`] and [`prodoc::convert::write`]. The input is dropped as soon as it
/// is read, so that it is not held beside the output. JSON is written to `out` as the document is
/// read ([`stream_json`]) unless `--strict` must see every diagnostic before anything is written;
/// other output is left in the outcome, to be written once the diagnostics are out.
fn convert_text(
    text: String,
    from: Format,
    to: Format,
    plan: &ConvertPlan,
    out: &mut dyn Write,
) -> Outcome {
    if to == Format::Json && !plan.strict {
        return stream_json(text, from, plan, out);
    }
    let conversion = prodoc::convert::read(from, &text, &plan.read);
    drop(text);
    if conversion.failed() {
        return Outcome::failed(conversion.diagnostics);
    }
    let mut diagnostics = conversion.diagnostics;
    let output = if to == Format::Json {
        Output::Json(conversion.doc, plan.write.json.style)
    } else {
        let written = prodoc::convert::write(&conversion.doc, to, &plan.write);
        drop(conversion.doc);
        diagnostics.extend(written.diagnostics);
        Output::Text(written.text)
    };
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    if plan.strict && diagnostics.iter().any(Diagnostic::is_change) || failed {
        for diagnostic in diagnostics.iter_mut().filter(|d| d.is_change()) {
            diagnostic.severity = Severity::Error;
        }
        return Outcome::failed(diagnostics);
    }
    Outcome {
        output: Some(output),
        diagnostics,
        status: Exit::Ok,
        write_error: None,
        held: None,
    }
}

/// Reads `text` as `from` and writes its JSON to `out` as the reader hands out finished blocks
/// ([`prodoc::convert::read_streaming`]), each dropped once written, so that neither the whole
/// document nor its JSON is held: `prodoc convert` of 8 MiB of Markdown prose peaked at 71.8 MiB
/// holding the document and at 17.1 MiB so; the bench's 10 MB Markdown file (parsed whole, for
/// its reference definitions) at 102.5 and 59.7 MiB; 4 MiB of HTML prose at 60.5 and 39.1 MiB
/// (the HTML reader holds the parsed tree to the end). Only a JSON input can fail to be read,
/// and its reader hands out nothing, so a failed conversion writes nothing.
fn stream_json(text: String, from: Format, plan: &ConvertPlan, out: &mut dyn Write) -> Outcome {
    let mut writer = prodoc::json::JsonWriter::new(plan.write.json.style, out);
    let conversion = prodoc::convert::read_streaming(from, &text, &plan.read, &mut |blocks| {
        writer.blocks(blocks);
        blocks.clear();
    });
    drop(text);
    if conversion.failed() {
        return Outcome::failed(conversion.diagnostics);
    }
    // A file of JSON ends with a newline, as the other writers' output does.
    let written = writer
        .finish(&conversion.doc)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    Outcome {
        output: None,
        diagnostics: conversion.diagnostics,
        status: Exit::Ok,
        write_error: written.err(),
        held: Some(conversion.doc),
    }
}

/// Converts one input (a file, or standard input for `None`) to `output` or standard output.
pub fn single(
    input: Option<&Path>,
    output: Option<&Path>,
    plan: &ConvertPlan,
    reporter: &mut Reporter,
) -> Exit {
    let from = match (plan.from, input) {
        (Some(format), _) => format,
        (None, None) => Format::Json,
        (None, Some(path)) => match Format::from_path(path) {
            Some(format) => format,
            None => {
                reporter.fatal(&format!(
                    "{}: cannot tell the format from the extension: give it with -f",
                    path.display()
                ));
                return Exit::Usage;
            }
        },
    };
    let to = plan
        .to
        .or_else(|| output.and_then(Format::from_path))
        .unwrap_or(Format::Json);
    let input = match read_input(input, plan.limit) {
        Ok(input) => input,
        Err(error) => {
            reporter.fatal(&error.to_string());
            return error.status();
        }
    };
    let file = output.filter(|path| *path != Path::new("-"));
    let mut out: Box<dyn Write> = match file {
        Some(path) => Box::new(LazyFile::new(path, false)),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut outcome = convert_text(input.text, from, to, plan, &mut out);
    let written = if reporter
        .diagnostics(&input.name, &outcome.diagnostics)
        .is_err()
    {
        Ok(Exit::Ok)
    } else {
        outcome.write_rest(&mut out).map(|()| outcome.status)
    };
    let status = match (written, file) {
        (Ok(status), _) => status,
        (Err(error), Some(path)) => {
            reporter.fatal(&format!("{}: cannot write: {error}", path.display()));
            Exit::Io
        }
        (Err(error), None) => stdout_failed(&error),
    };
    // The process ends after one input: freeing the document node by node would only give memory
    // back to a process about to exit, which the operating system takes whole. On the bench's
    // 10 MB Markdown file, `convert` took 0.308 s (compact) and 0.337 s (pretty) freeing it, and
    // 0.248 s and 0.273 s not (median of 9 alternating runs).
    std::mem::forget((outcome.output, outcome.held));
    status
}

/// One file of a batch.
pub struct BatchFile {
    /// Where it is read from.
    pub source: PathBuf,
    /// Where it goes under `--out-dir`, before its extension changes.
    relative: PathBuf,
    /// Its format.
    format: Format,
}

/// The files of a `convert` call with paths or folders.
pub struct Batch {
    /// The files, folders expanded, in a stable order.
    pub files: Vec<BatchFile>,
    /// Whether a folder was given.
    had_folder: bool,
    /// What walking the folders left out or could not read, by file name.
    notes: Vec<(String, Diagnostic)>,
}

impl Batch {
    /// One file given by name: it may go to standard output or `-o`.
    pub fn is_single_file(&self) -> bool {
        self.files.len() == 1 && !self.had_folder
    }
}

/// Why a batch cannot be planned.
pub struct BatchFailure {
    /// What to tell the user.
    pub message: String,
    /// The exit status.
    pub status: Exit,
}

/// Expands folders into files of known formats and checks that no two outputs collide.
pub fn collect_batch(
    inputs: &[PathBuf],
    from: Option<Format>,
    follow: bool,
) -> Result<Batch, BatchFailure> {
    let mut files = Vec::new();
    let mut notes = Vec::new();
    let mut had_folder = false;
    let wanted = |path: &Path| {
        Format::from_path(path).is_some_and(|format| from.is_none_or(|from| from == format))
    };
    for input in inputs {
        if input.is_dir() {
            had_folder = true;
            let walked = input::walk_folder(input, follow, wanted);
            notes.extend(
                walked
                    .notes
                    .into_iter()
                    .map(|(path, diagnostic)| (path.display().to_string(), diagnostic)),
            );
            for path in walked.files {
                let relative = path
                    .strip_prefix(input)
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| path.clone());
                let format = from
                    .or_else(|| Format::from_path(&path))
                    .unwrap_or(Format::Json);
                files.push(BatchFile {
                    source: path,
                    relative,
                    format,
                });
            }
        } else {
            let Some(format) = from.or_else(|| Format::from_path(input)) else {
                return Err(BatchFailure {
                    message: format!(
                        "{}: cannot tell the format from the extension: give it with -f",
                        input.display()
                    ),
                    status: Exit::Usage,
                });
            };
            let relative = input
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_else(|| input.clone());
            files.push(BatchFile {
                source: input.clone(),
                relative,
                format,
            });
        }
    }
    Ok(Batch {
        files,
        had_folder,
        notes,
    })
}

/// Where each file of `batch` is written under `out_dir` as `to`, in the batch's order; or, when
/// two files would be written to the same place or a file onto an input of the batch, every such
/// problem, found before anything is written, so that no output is lost to another.
pub fn plan_outputs(
    batch: &Batch,
    out_dir: &Path,
    to: Format,
) -> Result<Vec<PathBuf>, Vec<String>> {
    let targets: Vec<PathBuf> = batch
        .files
        .iter()
        .map(|file| out_dir.join(&file.relative).with_extension(to.extension()))
        .collect();
    let mut by_target: BTreeMap<&Path, Vec<&Path>> = BTreeMap::new();
    for (target, file) in targets.iter().zip(&batch.files) {
        by_target.entry(target).or_default().push(&file.source);
    }
    let mut problems: Vec<String> = by_target
        .iter()
        .filter(|(_, sources)| sources.len() > 1)
        .map(|(target, sources)| {
            let names: Vec<String> = sources.iter().map(|s| s.display().to_string()).collect();
            format!(
                "{}: {} inputs would be written here: {}",
                target.display(),
                sources.len(),
                names.join(", ")
            )
        })
        .collect();
    // Only targets that exist can be an input; `canonicalize` fails for the others.
    let inputs: BTreeMap<PathBuf, &Path> = batch
        .files
        .iter()
        .filter_map(|file| Some((file.source.canonicalize().ok()?, file.source.as_path())))
        .collect();
    for (target, file) in targets.iter().zip(&batch.files) {
        let Some(input) = target.canonicalize().ok().and_then(|t| inputs.get(&t)) else {
            continue;
        };
        problems.push(if *input == file.source {
            format!("{}: the output would overwrite its input", target.display())
        } else {
            format!(
                "{}: the output of {} would overwrite the input {}",
                target.display(),
                file.source.display(),
                input.display()
            )
        });
    }
    if problems.is_empty() {
        Ok(targets)
    } else {
        Err(problems)
    }
}

/// Converts every file of `batch` to `to` on `jobs` threads, each into its place in `targets`
/// (from [`plan_outputs`]). What the folder walk left out is reported first; then each file's
/// diagnostics as soon as it and every file before it are done, so that the order does not depend
/// on scheduling and a slow file holds back only what comes after it.
pub fn batch(
    batch: &Batch,
    targets: &[PathBuf],
    to: Format,
    plan: &ConvertPlan,
    jobs: usize,
    reporter: &mut Reporter,
) -> Exit {
    let mut status = Exit::Ok;
    let mut skipped = 0usize;
    for (name, note) in &batch.notes {
        if note.is_error() {
            status = status.max(Exit::Io);
        } else {
            skipped += 1;
        }
        if reporter
            .diagnostics(name, std::slice::from_ref(note))
            .is_err()
        {
            return status;
        }
    }
    let total = batch.files.len();
    let progress = reporter.progress(total as u64);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (done, finished) = mpsc::channel::<(usize, String, Outcome)>();
    let mut failed = 0usize;
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(total.max(1)) {
            let done = done.clone();
            let (next, stop) = (&next, &stop);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let (Some(file), Some(target)) = (batch.files.get(index), targets.get(index))
                    else {
                        break;
                    };
                    let (name, outcome) = convert_file(file, target, to, plan);
                    if done.send((index, name, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        // The workers hold the only senders left: the loop ends when all of them have.
        drop(done);
        let mut waiting = BTreeMap::new();
        let mut printed = 0usize;
        for (index, name, outcome) in finished {
            progress.inc(1);
            waiting.insert(index, (name, outcome));
            while let Some((name, outcome)) = waiting.remove(&printed) {
                printed += 1;
                if outcome.status != Exit::Ok {
                    failed += 1;
                }
                status = status.max(outcome.status);
                progress.suspend(|| {
                    if reporter.diagnostics(&name, &outcome.diagnostics).is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                });
            }
            if stop.load(Ordering::Relaxed) {
                break;
            }
        }
    });
    progress.finish_and_clear();
    if stop.load(Ordering::Relaxed) {
        return status;
    }
    let mut summary = format!("{} converted, {failed} failed", total - failed);
    if skipped > 0 {
        summary.push_str(&format!(", {skipped} skipped"));
    }
    reporter.summary(&summary);
    status
}

fn convert_file(
    file: &BatchFile,
    target: &Path,
    to: Format,
    plan: &ConvertPlan,
) -> (String, Outcome) {
    let name = file.source.display().to_string();
    let fail = |message: String, status: Exit, code| Outcome {
        status,
        ..Outcome::failed(vec![Diagnostic::error(code, message)])
    };
    let input = match read_input(Some(&file.source), plan.limit) {
        Ok(input) => input,
        Err(error) => {
            let outcome = fail(error.to_string(), error.status(), error.code());
            return (name, outcome);
        }
    };
    let mut out = LazyFile::new(target, true);
    let mut outcome = convert_text(input.text, file.format, to, plan, &mut out);
    // Freed here, by the worker: the outcome waits for the files before it to be reported.
    drop(outcome.held.take());
    let written = outcome.write_rest(&mut out);
    // The written text need not wait for the report either.
    outcome.output = None;
    if let Err(error) = written {
        let message = format!("{}: cannot write: {error}", target.display());
        return (name, fail(message, Exit::Io, prodoc::codes::IO));
    }
    (name, outcome)
}
