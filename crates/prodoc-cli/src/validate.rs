//! `prodoc validate`: check documents against the strict rules and report every violation.

use std::path::PathBuf;

use prodoc::{json, ReadOptions};

use crate::exit::Exit;
use crate::input::{read_input, Input, InputError, SizeLimit};
use crate::report::Reporter;

/// Checks each file (standard input for `None`) and prints a verdict per file and a summary.
pub fn files(
    files: &[Option<PathBuf>],
    options: &ReadOptions,
    limit: SizeLimit,
    reporter: &mut Reporter,
) -> Exit {
    let mut status = Exit::Ok;
    let mut invalid = 0usize;
    for file in files {
        let Input { name, text, .. } = match read_input(file.as_deref(), limit) {
            Ok(input) => input,
            Err(error) => {
                reporter.fatal(&error.to_string());
                if let InputError::Encoding(_) | InputError::TooLarge(_) = error {
                    invalid += 1;
                }
                status = status.max(error.status());
                continue;
            }
        };
        let (valid, shape, diagnostics) = match json::read_str(&text, options) {
            Ok(read) => (true, Some(read.shape), read.diagnostics),
            Err(error) => (false, None, error.diagnostics),
        };
        if !valid {
            invalid += 1;
            status = status.max(Exit::Invalid);
        }
        if reporter
            .file_verdict(&name, valid, shape, &diagnostics)
            .is_err()
        {
            return status;
        }
    }
    let files = files.len();
    reporter.summary(&format!(
        "{files} {} checked, {invalid} invalid",
        if files == 1 { "file" } else { "files" }
    ));
    status
}
