//! Writing results to standard output.

use std::io::{self, Write};

use crate::exit::Exit;

/// Writes to standard output with `write`; a closed pipe (`prodoc schema | head`) ends quietly
/// with success.
pub fn write_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Exit {
    let mut stdout = io::stdout().lock();
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Ok(()) => Exit::Ok,
        Err(error) => stdout_failed(&error),
    }
}

/// The status of a failed write to standard output, said on standard error: a closed pipe
/// (`prodoc schema | head`) ends quietly with success.
pub fn stdout_failed(error: &io::Error) -> Exit {
    if error.kind() == io::ErrorKind::BrokenPipe {
        return Exit::Ok;
    }
    eprintln!("prodoc: error: cannot write to standard output: {error}");
    Exit::Io
}
