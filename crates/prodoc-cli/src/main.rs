//! `prodoc`: convert, validate and inspect Productive documents from the command line.
#![forbid(unsafe_code)]

mod cli;
mod convert;
mod input;
mod productive;
mod report;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
