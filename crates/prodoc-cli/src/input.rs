//! Reading one input: a file or standard input, as UTF-8 text.

use std::fmt;
use std::io::{self, Read as _};
use std::path::Path;

use crate::exit::Exit;

/// An input's display name and text.
pub struct Input {
    /// The file name as given, or `<stdin>`.
    pub name: String,
    /// The text.
    pub text: String,
}

/// Why an input could not be had.
#[derive(Debug)]
pub enum InputError {
    /// Reading failed (missing, unreadable, a folder): exit 3.
    Io(String),
    /// The bytes are not UTF-8: invalid input, exit 1.
    Encoding(String),
}

impl InputError {
    /// The exit status this error calls for.
    pub fn status(&self) -> Exit {
        match self {
            Self::Io(_) => Exit::Io,
            Self::Encoding(_) => Exit::Invalid,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(message) | Self::Encoding(message) => f.write_str(message),
        }
    }
}

/// Reads `path`, or standard input for `None` and `-`.
pub fn read_input(path: Option<&Path>) -> Result<Input, InputError> {
    let (name, bytes) = match path {
        Some(path) if path != Path::new("-") => {
            let name = path.display().to_string();
            if path.is_dir() {
                return Err(InputError::Io(format!(
                    "{name}: is a directory, expected a file"
                )));
            }
            match std::fs::read(path) {
                Ok(bytes) => (name, bytes),
                Err(error) => return Err(InputError::Io(format!("{name}: cannot read: {error}"))),
            }
        }
        _ => {
            let mut bytes = Vec::new();
            io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|error| InputError::Io(format!("<stdin>: cannot read: {error}")))?;
            ("<stdin>".to_owned(), bytes)
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Input { name, text }),
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            Err(InputError::Encoding(format!(
                "{name}: invalid UTF-8 at byte {offset}, expected UTF-8 text"
            )))
        }
    }
}
