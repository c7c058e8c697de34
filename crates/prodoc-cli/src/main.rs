//! `prodoc`: convert, validate and inspect Productive documents from the command line.
#![forbid(unsafe_code)]
// Doc comments here are also the `--help` text, where a bare URL reads better than `<…>`.
#![allow(rustdoc::bare_urls)]

mod cli;
mod convert;
mod input;
mod productive;
mod report;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
