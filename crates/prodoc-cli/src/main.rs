//! `prodoc`: convert, validate and inspect Productive documents from the command line.
#![forbid(unsafe_code)]
// Doc comments here are also the `--help` text, where a bare URL reads better than `<…>`.
#![allow(rustdoc::bare_urls)]

// Dependencies point one way, so that a subcommand can be read and changed on its own:
// cli -> convert, validate, productive -> input, report, output, exit. Nothing below cli uses it.
mod cli;
mod convert;
mod exit;
mod input;
mod output;
mod productive;
mod report;
mod validate;

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(cli::run())
}
