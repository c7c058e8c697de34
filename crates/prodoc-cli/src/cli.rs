//! Arguments, their resolution into a plan, and the subcommands.

use std::io::{self, Read as _, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use prodoc::{json, ReadOptions};

use crate::report::{MessageFormat, Reporter};

/// Exit status: everything succeeded.
pub const EXIT_OK: u8 = 0;
/// Exit status: an input is invalid or a conversion failed.
pub const EXIT_INVALID: u8 = 1;
/// Exit status: the command line is wrong.
pub const EXIT_USAGE: u8 = 2;
/// Exit status: a file could not be read or written.
pub const EXIT_IO: u8 = 3;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  invalid input, or a conversion that failed
  2  usage error (unknown option, format or subcommand)
  3  I/O error (a file that cannot be read or written)";

/// Convert, validate and inspect Productive documents (the rich-text JSON of Productive Docs).
#[derive(Debug, Parser)]
#[command(name = "prodoc", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check documents against the format's strict rules and report every violation.
    #[command(after_help = "\
Examples:
  prodoc validate body.json                 check one file
  prodoc validate pages/*.json              check many; one line per problem
  curl … | prodoc validate -                check standard input
  prodoc validate --lenient page.json       accept what can be kept; problems become warnings
  prodoc validate --message-format json x.json   one JSON object per file, for tools

Input may be a bare document, the API's body string, or a JSON:API page resource.
Human output: `FILE: /json/pointer: message [code]`.")]
    Validate(ValidateArgs),
    /// Print the JSON Schema (draft 2020-12) of the strict format.
    #[command(after_help = "Example:\n  prodoc schema > productive-doc.schema.json")]
    Schema,
    /// Convert a document from one format to another.
    #[command(after_help = "\
Examples:
  prodoc convert page.json                  pretty-print a document
  prodoc convert page.json --json compact   one line, as the API stores it
  prodoc convert page.json --json body      the API's string form, for `attributes.body`
  prodoc convert response.json -o body.json read the body out of a page resource
  prodoc convert --lenient odd.json         keep what strict reading would reject

Formats: json. The input format is inferred from the file extension (standard input: json),
the output format from -o's extension (standard output: json).")]
    Convert(ConvertArgs),
}

#[derive(Debug, Args)]
struct ValidateArgs {
    /// Files to check; `-` or none reads standard input.
    files: Vec<PathBuf>,
    /// Accept what can be kept (unknown nodes, marks, attributes) and report problems as warnings.
    #[arg(long)]
    lenient: bool,
    #[command(flatten)]
    messages: MessageArgs,
}

#[derive(Debug, Args)]
struct ConvertArgs {
    /// The input file; `-` or none reads standard input.
    input: Option<PathBuf>,
    /// The input format [default: from the extension, else json].
    #[arg(short = 'f', long = "from", value_enum)]
    from: Option<Format>,
    /// The output format [default: from -o's extension, else json].
    #[arg(short = 't', long = "to", value_enum)]
    to: Option<Format>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
    /// How to write JSON output.
    #[arg(long, value_enum, default_value_t = JsonStyle::Pretty)]
    json: JsonStyle,
    /// Read JSON leniently: keep what strict reading would reject, with warnings.
    #[arg(long)]
    lenient: bool,
    #[command(flatten)]
    messages: MessageArgs,
}

#[derive(Debug, Args)]
struct MessageArgs {
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// Print errors only: no warnings, no summary.
    #[arg(short, long)]
    quiet: bool,
}

/// A document format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// The Productive Document Format's JSON.
    Json,
}

impl Format {
    fn from_extension(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// How JSON is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum JsonStyle {
    /// Indented by two spaces.
    Pretty,
    /// One line, as the API stores it.
    Compact,
    /// The API's string form: a JSON string holding the compact document.
    Body,
}

/// Parses the command line and runs the subcommand.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            });
        }
    };
    let status = match cli.command {
        Command::Validate(args) => validate(args),
        Command::Schema => write_stdout(prodoc::schema::SCHEMA_JSON.as_bytes()),
        Command::Convert(args) => convert(args),
    };
    ExitCode::from(status)
}

/// Writes to standard output; a closed pipe (`prodoc schema | head`) ends quietly with success.
fn write_stdout(bytes: &[u8]) -> u8 {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => EXIT_OK,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(error) => {
            eprintln!("prodoc: error: cannot write to standard output: {error}");
            EXIT_IO
        }
    }
}

/// An input's display name and text.
struct Input {
    name: String,
    text: String,
}

/// Why an input could not be had.
enum InputError {
    /// Reading failed: exit 3.
    Io(String),
    /// The bytes are not UTF-8: invalid input, exit 1.
    Encoding(String),
}

fn read_input(path: Option<&Path>) -> Result<Input, InputError> {
    let (name, bytes) = match path {
        None => read_stdin()?,
        Some(path) if path == Path::new("-") => read_stdin()?,
        Some(path) => {
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

fn read_stdin() -> Result<(String, Vec<u8>), InputError> {
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|error| InputError::Io(format!("<stdin>: cannot read: {error}")))?;
    Ok(("<stdin>".to_owned(), bytes))
}

fn read_options(lenient: bool) -> ReadOptions {
    if lenient {
        ReadOptions::lenient()
    } else {
        ReadOptions::strict()
    }
}

fn validate(args: ValidateArgs) -> u8 {
    let files: Vec<Option<PathBuf>> = if args.files.is_empty() {
        vec![None]
    } else {
        args.files.into_iter().map(Some).collect()
    };
    let options = read_options(args.lenient);
    let mut reporter = Reporter::new(args.messages.message_format, args.messages.quiet);
    let mut status = EXIT_OK;
    let mut invalid = 0usize;
    for file in &files {
        let input = match read_input(file.as_deref()) {
            Ok(input) => input,
            Err(InputError::Io(message)) => {
                reporter.fatal(&message);
                status = status.max(EXIT_IO);
                continue;
            }
            Err(InputError::Encoding(message)) => {
                reporter.fatal(&message);
                invalid += 1;
                status = status.max(EXIT_INVALID);
                continue;
            }
        };
        let (valid, shape, diagnostics) = match json::read_str(&input.text, &options) {
            Ok(read) => (true, Some(read.shape), read.diagnostics),
            Err(error) => (false, None, error.diagnostics),
        };
        if !valid {
            invalid += 1;
            status = status.max(EXIT_INVALID);
        }
        if reporter
            .file_verdict(&input.name, valid, shape, &diagnostics)
            .is_err()
        {
            return status;
        }
    }
    if status != EXIT_IO {
        reporter.summary(&format!(
            "{} checked, {invalid} invalid",
            plural(files.len(), "file", "files")
        ));
    }
    status
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn convert(args: ConvertArgs) -> u8 {
    let input_path = args.input.as_deref().filter(|p| *p != Path::new("-"));
    let from = match (args.from, input_path) {
        (Some(format), _) => format,
        (None, None) => Format::Json,
        (None, Some(path)) => match Format::from_extension(path) {
            Some(format) => format,
            None => {
                eprintln!(
                    "prodoc: error: cannot tell the format of {} from its extension: give it with -f",
                    path.display()
                );
                return EXIT_USAGE;
            }
        },
    };
    let to = match (args.to, &args.output) {
        (Some(format), _) => format,
        (None, None) => Format::Json,
        (None, Some(path)) => Format::from_extension(path).unwrap_or(Format::Json),
    };
    let mut reporter = Reporter::new(args.messages.message_format, args.messages.quiet);
    let input = match read_input(input_path) {
        Ok(input) => input,
        Err(InputError::Io(message)) => {
            reporter.fatal(&message);
            return EXIT_IO;
        }
        Err(InputError::Encoding(message)) => {
            reporter.fatal(&message);
            return EXIT_INVALID;
        }
    };
    let (doc, diagnostics) = match from {
        Format::Json => match json::read_str(&input.text, &read_options(args.lenient)) {
            Ok(read) => (read.doc, read.diagnostics),
            Err(error) => {
                let _ = reporter.diagnostics(&input.name, &error.diagnostics);
                return EXIT_INVALID;
            }
        },
    };
    if reporter.diagnostics(&input.name, &diagnostics).is_err() {
        return EXIT_OK;
    }
    let output = match to {
        Format::Json => {
            let mut text = match args.json {
                JsonStyle::Pretty => json::to_string_pretty(&doc),
                JsonStyle::Compact => json::to_string(&doc),
                JsonStyle::Body => json::to_body_string(&doc),
            };
            text.push('\n');
            text
        }
    };
    write_output(args.output.as_deref(), &output)
}

fn write_output(path: Option<&Path>, text: &str) -> u8 {
    match path {
        None => write_stdout(text.as_bytes()),
        Some(path) if path == Path::new("-") => write_stdout(text.as_bytes()),
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => EXIT_OK,
            Err(error) => {
                eprintln!("prodoc: error: {}: cannot write: {error}", path.display());
                EXIT_IO
            }
        },
    }
}
