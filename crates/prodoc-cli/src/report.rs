//! Printing diagnostics: for people (`FILE: /pointer: message [code]`) or as JSON lines for tools.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use prodoc::{Diagnostic, InputShape, Severity};
use serde_json::json;

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// One line per diagnostic, for people.
    #[default]
    Human,
    /// One JSON object per line, for tools.
    Json,
}

/// Prints verdicts and diagnostics: verdicts of `validate` to standard output (they are its
/// result), everything else to standard error.
pub struct Reporter {
    format: MessageFormat,
    quiet: bool,
    /// Every diagnostic for people too, not the first [`PER_CODE`] of each code per file.
    all: bool,
}

/// How many diagnostics of one code people see per file before a count of the rest: a 10 MB
/// README collection printed 2,919 lines, most of them the same few codes.
pub const PER_CODE: usize = 5;

/// Standard output was closed by the reader (a broken pipe): stop quietly.
#[derive(Debug)]
pub struct Closed;

impl Reporter {
    /// A reporter in `format`; `quiet` drops warnings and summaries; `all` prints every
    /// diagnostic for people too.
    pub fn new(format: MessageFormat, quiet: bool, all: bool) -> Self {
        Self { format, quiet, all }
    }

    /// The diagnostics people see: those `quiet` keeps, at most [`PER_CODE`] of each code unless
    /// `all`; and, per code in order of first appearance, how many more there were.
    fn for_people<'d>(
        &self,
        diagnostics: &'d [Diagnostic],
    ) -> (Vec<&'d Diagnostic>, Vec<(prodoc::Code, usize)>) {
        let mut shown = Vec::new();
        let mut counts: Vec<(prodoc::Code, usize)> = Vec::new();
        for diagnostic in diagnostics {
            if self.quiet && diagnostic.severity != Severity::Error {
                continue;
            }
            let seen = match counts.iter_mut().find(|(code, _)| *code == diagnostic.code) {
                Some((_, count)) => {
                    *count += 1;
                    *count
                }
                None => {
                    counts.push((diagnostic.code, 1));
                    1
                }
            };
            if self.all || seen <= PER_CODE {
                shown.push(diagnostic);
            }
        }
        let more = counts
            .into_iter()
            .filter(|(_, count)| !self.all && *count > PER_CODE)
            .map(|(code, count)| (code, count - PER_CODE))
            .collect();
        (shown, more)
    }

    /// A problem that stops work on one input (unreadable file, not UTF-8).
    pub fn fatal(&mut self, message: &str) {
        match self.format {
            MessageFormat::Human => {
                let mut err = anstream::stderr().lock();
                let message = printable(message);
                let _ = writeln!(err, "prodoc: {ERROR}error:{ERROR:#} {message}");
            }
            MessageFormat::Json => {
                eprintln!("{}", json!({ "severity": "error", "message": message }))
            }
        }
    }

    /// The verdict on one file for `validate`, with its diagnostics, on standard output.
    pub fn file_verdict(
        &mut self,
        file: &str,
        valid: bool,
        shape: Option<InputShape>,
        diagnostics: &[Diagnostic],
    ) -> Result<(), Closed> {
        let mut out = anstream::stdout().lock();
        let result = match self.format {
            MessageFormat::Human => {
                let (shown, more) = self.for_people(diagnostics);
                shown
                    .into_iter()
                    .try_for_each(|d| writeln!(out, "{}", human_line(file, d, false)))
                    .and_then(|()| {
                        more.into_iter()
                            .try_for_each(|(code, n)| writeln!(out, "{}", more_line(file, code, n)))
                    })
            }
            MessageFormat::Json => {
                let line = json!({
                    "file": file,
                    "valid": valid,
                    "shape": shape,
                    "diagnostics": diagnostics,
                });
                writeln!(out, "{line}")
            }
        };
        result.and_then(|()| out.flush()).map_err(|_| Closed)
    }

    /// Diagnostics of a conversion, on standard error.
    pub fn diagnostics(&mut self, file: &str, diagnostics: &[Diagnostic]) -> Result<(), Closed> {
        // Colour only on a terminal, and never when NO_COLOR is set (anstream decides).
        let mut err = anstream::stderr().lock();
        if self.format == MessageFormat::Human {
            let (shown, more) = self.for_people(diagnostics);
            for diagnostic in shown {
                writeln!(err, "{}", human_line(file, diagnostic, true)).map_err(|_| Closed)?;
            }
            for (code, count) in more {
                writeln!(err, "{}", more_line(file, code, count)).map_err(|_| Closed)?;
            }
            return Ok(());
        }
        // Tools get every diagnostic, each with its file.
        for diagnostic in diagnostics {
            if self.quiet && diagnostic.severity != Severity::Error {
                continue;
            }
            let mut value = json!(diagnostic);
            if let Some(object) = value.as_object_mut() {
                object.insert("file".to_owned(), json!(file));
            }
            writeln!(err, "{value}").map_err(|_| Closed)?;
        }
        Ok(())
    }

    /// A progress bar on standard error for `total` items: shown only for people, on a terminal,
    /// and for more than one item.
    pub fn progress(&self, total: u64) -> ProgressBar {
        if self.quiet
            || self.format != MessageFormat::Human
            || total < 2
            || !io::stderr().is_terminal()
        {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed}") {
            bar.set_style(style);
        }
        bar
    }

    /// A closing line for people, on standard error.
    pub fn summary(&mut self, text: &str) {
        if !self.quiet && self.format == MessageFormat::Human {
            eprintln!("prodoc: {}", printable(text));
        }
    }
}

/// `FILE: and N more [code]`: what [`Reporter::for_people`] left out.
fn more_line(file: &str, code: prodoc::Code, count: usize) -> String {
    format!(
        "{}: and {count} more [{code}] (--all-diagnostics prints every one)",
        printable(file)
    )
}

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();

/// `FILE: /pointer: message [code]` for JSON input, `FILE:LINE:COL: message [code]` for text.
/// Warnings always say so; errors do when `label_errors` (conversions), not in `validate`'s
/// verdict lines, whose every line is an error.
fn human_line(file: &str, diagnostic: &Diagnostic, label_errors: bool) -> String {
    let file = printable(file);
    let place = match (&diagnostic.position, &diagnostic.pointer) {
        (Some(position), _) => format!("{file}:{}:{}", position.line, position.column),
        (None, Some(pointer)) if pointer.is_empty() => format!("{file}: (document)"),
        (None, Some(pointer)) => format!("{file}: {}", printable(pointer)),
        (None, None) => file.into_owned(),
    };
    let severity = match diagnostic.severity {
        Severity::Info => "note: ".to_owned(),
        Severity::Warning => format!("{WARNING}warning:{WARNING:#} "),
        Severity::Error if label_errors => format!("{ERROR}error:{ERROR:#} "),
        Severity::Error => String::new(),
    };
    let mut line = format!(
        "{place}: {severity}{} [{}]",
        printable(&diagnostic.message),
        diagnostic.code
    );
    if let Some(hint) = &diagnostic.hint {
        line.push_str(&format!(" (hint: {})", printable(hint)));
    }
    line
}

/// `text` with every control character escaped (`\n`, `\r`, `\t`, else `\u{1b}`), and the
/// Unicode controls that reorder what a terminal shows (U+061C, U+200E, U+200F, U+202A–U+202E,
/// U+2066–U+2069) too: file names, node types and messages come from the input, and a newline
/// or an escape sequence in one could otherwise print a line that looks like a diagnostic of
/// prodoc's own, or hide one. Every human-readable line passes through here; JSON output is
/// escaped by its writer.
pub fn printable(text: &str) -> Cow<'_, str> {
    fn hidden(c: char) -> bool {
        c.is_control()
            || matches!(
                c,
                '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            )
    }
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c if hidden(c) => escaped.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("plain é"), "plain é");
        assert_eq!(
            printable("a\nb\rc\td\u{1b}[2K\u{7f}\u{85}\u{202e}e"),
            "a\\nb\\rc\\td\\u{1b}[2K\\u{7f}\\u{85}\\u{202e}e"
        );
    }
}
