//! Finding the inputs in folders, and reading one input: a file or standard input, as UTF-8
//! text, no larger than a limit.

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use prodoc::codes::{self, Code};
use prodoc::{Diagnostic, Severity};

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

/// What walking a folder found: the files wanted, sorted by path, and what was left out or could
/// not be read, each as a diagnostic on its path, in the order met.
pub struct Walked {
    /// The files to convert.
    pub files: Vec<PathBuf>,
    /// Skipped entries (warnings) and unreadable folders (errors).
    pub notes: Vec<(PathBuf, Diagnostic)>,
}

/// Walks `root` for the regular files `wanted` accepts (by name).
///
/// Only regular files are read: a FIFO would block the batch forever and a device may never
/// end, so special files with a wanted name are skipped with `file-skipped`. Symbolic links are
/// followed only with `follow` (ripgrep's `-L`); otherwise a link to a folder, or with a wanted
/// name, is skipped with a warning that says so. A link back to a folder being walked is a loop,
/// skipped with a warning. A folder that cannot be read is an `io` error; the walk goes on.
pub fn walk_folder(root: &Path, follow: bool, wanted: impl Fn(&Path) -> bool) -> Walked {
    let mut walked = Walked {
        files: Vec::new(),
        notes: Vec::new(),
    };
    let note =
        |severity, code, message: String| Diagnostic::error(code, message).with_severity(severity);
    // walkdir reports a folder it cannot open right after the folder's own entry.
    let mut last_folder = None;
    for entry in walkdir::WalkDir::new(root)
        .follow_links(follow)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(root).to_path_buf();
                let diagnostic = if let Some(ancestor) = error.loop_ancestor() {
                    let message = format!(
                        "a symbolic link to {}, which holds it: a loop, not followed",
                        ancestor.display()
                    );
                    note(Severity::Warning, codes::FILE_SKIPPED, message)
                } else {
                    let folder = last_folder.as_ref() == Some(&path) || path.is_dir();
                    let what = if folder { "the folder" } else { "it" };
                    let reason = error
                        .io_error()
                        .map_or_else(|| error.to_string(), io::Error::to_string);
                    note(
                        Severity::Error,
                        codes::IO,
                        format!("cannot read {what}: {reason}"),
                    )
                };
                walked.notes.push((path, diagnostic));
                continue;
            }
        };
        let path = entry.path();
        let kind = entry.file_type();
        if kind.is_dir() {
            last_folder = Some(entry.into_path());
            continue;
        }
        if kind.is_symlink() {
            // Only when not following: said of folders and of wanted names, the rest being no
            // more than an unwanted file would be.
            if wanted(path) || path.is_dir() {
                let message = "a symbolic link, skipped (give -L to follow links)".to_owned();
                let diagnostic = note(Severity::Warning, codes::FILE_SKIPPED, message);
                walked.notes.push((path.to_path_buf(), diagnostic));
            }
            continue;
        }
        if !wanted(path) {
            continue;
        }
        if kind.is_file() {
            walked.files.push(entry.into_path());
        } else {
            let message = format!("not a regular file ({}), skipped", special_kind(&kind));
            let diagnostic = note(Severity::Warning, codes::FILE_SKIPPED, message);
            walked.notes.push((path.to_path_buf(), diagnostic));
        }
    }
    walked.files.sort();
    walked
}

/// What a file that is neither a regular file, a folder nor a link is.
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    let _ = kind;
    "a special file"
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
