//! The exit status: what each code means, how statuses combine, and the one conversion to the
//! process's exit code.

use std::process::ExitCode;

/// How a run ended.
///
/// The order is the precedence of a batch that keeps the worst status with `max`: an I/O error
/// outranks a usage error, which outranks an invalid input, so that one unreadable file is never
/// reported as a mere invalid document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Everything succeeded; also `--help` and `--version`, and a closed output pipe
    /// (`prodoc schema | head`), which ends the run quietly.
    Ok = 0,
    /// An input is invalid (not UTF-8, or rejected by `validate`), a conversion failed or, with
    /// `--strict`, lost content; an import page failed or `--verify` found differences.
    Invalid = 1,
    /// The command line is wrong: an unknown option, format or subcommand, a format that cannot
    /// be told from the extension, outputs that collide or would overwrite their input, missing
    /// API settings.
    Usage = 2,
    /// A file or folder could not be read or written.
    Io = 3,
}

impl Exit {
    /// Every status, in code order.
    const ALL: [Self; 4] = [Self::Ok, Self::Invalid, Self::Usage, Self::Io];

    /// The process exit code. Private so that [`ExitCode::from`] stays the one way out.
    const fn code(self) -> u8 {
        self as u8
    }

    /// The line of `--help`'s exit code list.
    const fn meaning(self) -> &'static str {
        match self {
            Self::Ok => "success (a closed output pipe also ends quietly with 0)",
            Self::Invalid => {
                "invalid input, or a conversion that failed (with --strict: one that lost content)"
            }
            Self::Usage => {
                "usage error (unknown option, format or subcommand; \
                 unusable combination of options)"
            }
            Self::Io => "I/O error (a file that cannot be read or written)",
        }
    }

    /// The `Exit codes:` section of `prodoc --help`, built from the statuses so that it cannot
    /// drift from them.
    pub fn help() -> String {
        let mut help = String::from("Exit codes:");
        for exit in Self::ALL {
            help.push_str(&format!("\n  {}  {}", exit.code(), exit.meaning()));
        }
        help
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        Self::from(exit.code())
    }
}

#[cfg(test)]
mod tests {
    use super::Exit;

    #[test]
    fn codes_are_unchanged() {
        let codes: Vec<u8> = Exit::ALL.iter().map(|exit| exit.code()).collect();
        assert_eq!(codes, [0, 1, 2, 3]);
    }

    /// The statuses were `u8`s combined with `max`; the order must keep that precedence.
    #[test]
    fn worst_status_is_the_highest_code() {
        for a in Exit::ALL {
            for b in Exit::ALL {
                assert_eq!(a.max(b).code(), a.code().max(b.code()), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn help_lists_every_code() {
        assert_eq!(
            Exit::help(),
            "\
Exit codes:
  0  success (a closed output pipe also ends quietly with 0)
  1  invalid input, or a conversion that failed (with --strict: one that lost content)
  2  usage error (unknown option, format or subcommand; unusable combination of options)
  3  I/O error (a file that cannot be read or written)"
        );
    }
}
