//! Reading one input: a file or standard input, as UTF-8 text, no larger than a limit.

use std::fmt;
use std::io::{self, Read};
use std::path::Path;
use std::str::FromStr;

use prodoc::codes::{self, Code};

use crate::exit::Exit;

/// The most bytes an input may have (`--max-input-size`). Reading stops one byte past it, so an
/// endless input (`/dev/zero`, a pipe that never closes its end after writing much) ends with an
/// error instead of filling memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizeLimit(pub u64);

impl Default for SizeLimit {
    /// [`prodoc::shared::limits::MAX_INPUT_BYTES`].
    fn default() -> Self {
        Self(prodoc::shared::limits::MAX_INPUT_BYTES)
    }
}

/// Units of 1024, largest first: a size that is a whole number of one is shown in it.
const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];

impl SizeLimit {
    /// The largest unit the limit is a whole number of.
    fn unit(self) -> Option<(&'static str, u64)> {
        UNITS
            .iter()
            .copied()
            .find(|(_, size)| self.0 >= *size && self.0.is_multiple_of(*size))
    }
}

impl fmt::Display for SizeLimit {
    /// `64 MiB`, or `3000 bytes` when no unit fits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.unit() {
            Some((unit, size)) => write!(f, "{} {unit}", self.0 / size),
            None => write!(f, "{} bytes", self.0),
        }
    }
}

/// Parses `4096`, `512K`, `64M`, `1G` (also `KiB`, `MiB`, `GiB`, `KB`, `MB`, `GB`, any case,
/// with or without a space): units of 1024 bytes. By hand, for one flag: the size crates parse
/// the same forms but would be a dependency for a dozen lines.
impl FromStr for SizeLimit {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let expected = || {
            format!("found `{text}`, expected a number of bytes, optionally with K, M or G (64M)")
        };
        let number: u64 = number.parse().map_err(|_| expected())?;
        let multiplier = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "k" | "kb" | "kib" => 1 << 10,
            "m" | "mb" | "mib" => 1 << 20,
            "g" | "gb" | "gib" => 1 << 30,
            _ => return Err(expected()),
        };
        number
            .checked_mul(multiplier)
            .map(Self)
            .ok_or_else(|| format!("found `{text}`, expected a size below 16 EiB"))
    }
}

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
    /// The input is larger than the size limit: invalid input, exit 1.
    TooLarge(String),
}

impl InputError {
    /// The exit status this error calls for.
    pub fn status(&self) -> Exit {
        match self {
            Self::Io(_) => Exit::Io,
            Self::Encoding(_) | Self::TooLarge(_) => Exit::Invalid,
        }
    }

    /// The diagnostic code this error is reported with in a batch.
    pub fn code(&self) -> Code {
        match self {
            Self::Io(_) | Self::Encoding(_) => codes::IO,
            Self::TooLarge(_) => codes::INPUT_TOO_LARGE,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(message) | Self::Encoding(message) | Self::TooLarge(message) => {
                f.write_str(message)
            }
        }
    }
}

/// Reads `path`, or standard input for `None` and `-`, up to `limit` bytes.
pub fn read_input(path: Option<&Path>, limit: SizeLimit) -> Result<Input, InputError> {
    let too_large = |name: &str| {
        InputError::TooLarge(format!(
            "{name}: larger than the input size limit of {limit}{}; \
             give a larger --max-input-size to read it",
            match limit.unit() {
                Some(_) => format!(" ({} bytes)", limit.0),
                None => String::new(),
            }
        ))
    };
    let (name, bytes) = match path {
        Some(path) if path != Path::new("-") => {
            let name = path.display().to_string();
            if path.is_dir() {
                return Err(InputError::Io(format!(
                    "{name}: is a directory, expected a file"
                )));
            }
            let cannot_read =
                |error: io::Error| InputError::Io(format!("{name}: cannot read: {error}"));
            let file = std::fs::File::open(path).map_err(cannot_read)?;
            // A regular file's size is known: one too large is refused without reading it.
            let known = file
                .metadata()
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len());
            if known.is_some_and(|len| len > limit.0) {
                return Err(too_large(&name));
            }
            (
                name.clone(),
                read_bounded(file, known, limit).map_err(cannot_read)?,
            )
        }
        _ => {
            let bytes = read_bounded(io::stdin().lock(), None, limit)
                .map_err(|error| InputError::Io(format!("<stdin>: cannot read: {error}")))?;
            ("<stdin>".to_owned(), bytes)
        }
    };
    if bytes.len() as u64 > limit.0 {
        return Err(too_large(&name));
    }
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

/// Reads at most one byte more than `limit` (enough to tell that the input is larger), with room
/// for `size` bytes made at once when it is known.
fn read_bounded(reader: impl Read, size: Option<u64>, limit: SizeLimit) -> io::Result<Vec<u8>> {
    let room = size.unwrap_or(0).min(limit.0).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(room).unwrap_or(0));
    reader
        .take(limit.0.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::SizeLimit;

    #[test]
    fn sizes_parse_and_print_in_units_of_1024() {
        for (text, bytes) in [
            ("4096", 4096),
            ("2K", 2048),
            ("2 KiB", 2048),
            ("64M", 64 << 20),
            ("64mb", 64 << 20),
            ("1G", 1 << 30),
            ("0", 0),
        ] {
            assert_eq!(text.parse::<SizeLimit>(), Ok(SizeLimit(bytes)), "{text}");
        }
        for bad in ["", "lots", "-1", "1T", "1.5M", "99999999999999999999G"] {
            assert!(bad.parse::<SizeLimit>().is_err(), "{bad}");
        }
        assert_eq!(SizeLimit::default().to_string(), "64 MiB");
        assert_eq!(SizeLimit(3000).to_string(), "3000 bytes");
        assert_eq!(SizeLimit(2048).to_string(), "2 KiB");
    }
}
