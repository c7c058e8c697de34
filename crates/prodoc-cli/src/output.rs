//! Writing results to standard output.

use std::io::{self, Write};

use crate::exit::Exit;

/// Writes to standard output with `write`; a closed pipe (`prodoc schema | head`) ends quietly
/// with success.
pub fn write_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Exit {
    let mut stdout = io::stdout().lock();
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Ok(()) => Exit::Ok,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Exit::Ok,
        Err(error) => {
            eprintln!("prodoc: error: cannot write to standard output: {error}");
            Exit::Io
        }
    }
}
