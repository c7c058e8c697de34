//! Writing results to standard output.

use std::io::{self, Write};

use crate::exit::Exit;

/// Writes to standard output; a closed pipe (`prodoc schema | head`) ends quietly with success.
pub fn write_stdout(bytes: &[u8]) -> Exit {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Exit::Ok,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Exit::Ok,
        Err(error) => {
            eprintln!("prodoc: error: cannot write to standard output: {error}");
            Exit::Io
        }
    }
}
