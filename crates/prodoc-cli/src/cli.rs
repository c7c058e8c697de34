//! Arguments, their resolution into a plan, and the subcommands.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::convert::{self, ConvertPlan, Format, JsonStyle};
use crate::exit::Exit;
use crate::input::SizeLimit;
use crate::output::write_stdout;
use crate::report::{MessageFormat, Reporter};

/// Convert, validate and inspect Productive documents (the rich-text JSON of Productive Docs).
#[derive(Debug, Parser)]
#[command(name = "prodoc", version, after_help = Exit::help())]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Convert documents between JSON, Markdown, HTML and plain text.
    #[command(after_help = "\
Examples:
  prodoc convert notes.md                     Markdown to JSON on standard output
  prodoc convert notes.md -o notes.json       … to a file
  prodoc convert page.json -t md              JSON to Markdown
  prodoc convert page.json -t html            Productive's HTML dialect (for replace_body_with_html)
  prodoc convert page.json -t html --html plain   plain HTML5 for display
  prodoc convert page.json -t text --wrap 72  plain text for e-mail
  prodoc convert docs/ --out-dir out/ -t json a folder, the tree mirrored, in parallel
  prodoc convert page.json --json body        JSON as the API's body string
  cat notes.md | prodoc convert -f md         standard input needs -f unless it is JSON

Formats: json, md (markdown), html, text (txt). The input format comes from -f or the file
extension (.json, .md/.markdown, .html/.htm, .txt/.text); standard input defaults to json. The
output format comes from -t, or -o's extension, else json.
Diagnostics go to standard error as `FILE:LINE:COL: warning: message [code]`
(`FILE: /json/pointer: …` for JSON input and for writers).")]
    Convert(ConvertArgs),
    /// Check documents against the format's strict rules and report every violation.
    #[command(after_help = "\
Examples:
  prodoc validate body.json                      check one file
  prodoc validate pages/*.json                   check many; one line per problem
  prodoc validate -                              check standard input
  prodoc validate --lenient page.json            accept what can be kept; problems become warnings
  prodoc validate --message-format json x.json   one JSON object per file, for tools

Input may be a bare document, the API's body string, or a JSON:API page resource.
Human output: `FILE: /json/pointer: message [code]`, or `FILE:LINE:COL: …` for JSON syntax errors.")]
    Validate(ValidateArgs),
    /// Print the JSON Schema (draft 2020-12) of the strict format.
    #[command(after_help = "Example:\n  prodoc schema > productive-doc.schema.json")]
    Schema,
    /// Import a Markdown file or folder into Productive as pages (creates, updates, resumes).
    #[command(after_help = "\
Examples:
  prodoc import ./handbook --project 123 --dry-run   show what would happen
  prodoc import ./handbook --project 123 --verify    import, then read every page back
  prodoc import notes.md --project 123 --parent-page 456

The token comes from $PRODUCTIVE_API_TOKEN or --token-file, the organization from
$PRODUCTIVE_ORG_ID or --org. A state file remembers the pages made, so that a re-run only
updates what changed and a stopped run resumes.")]
    Import(crate::productive::ImportArgs),
    /// Export Productive pages to a folder of Markdown, HTML or JSON files.
    #[command(after_help = "\
Examples:
  prodoc export --project 123 out/          every page of a project
  prodoc export --page 456 out/ -t json     a page and its subpages, as JSON")]
    Export(crate::productive::ExportArgs),
    /// Print a shell completion script.
    #[command(after_help = "\
Examples:
  prodoc completions bash > ~/.local/share/bash-completion/completions/prodoc
  prodoc completions zsh > ~/.zfunc/_prodoc
  prodoc completions fish > ~/.config/fish/completions/prodoc.fish")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
struct ValidateArgs {
    /// Files to check; `-` or none reads standard input.
    files: Vec<PathBuf>,
    /// Accept what can be kept (unknown nodes, marks, attributes) and report problems as warnings.
    #[arg(long)]
    lenient: bool,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    messages: MessageArgs,
}

#[derive(Debug, Args)]
struct ConvertArgs {
    /// Input files or folders; `-` or none reads standard input. Folders are searched for files
    /// of known extensions.
    inputs: Vec<PathBuf>,
    /// The input format [default: from the extension; standard input: json].
    #[arg(short = 'f', long = "from", value_parser = convert::format_parser())]
    from: Option<Format>,
    /// The output format [default: from -o's extension, else json].
    #[arg(short = 't', long = "to", value_parser = convert::format_parser())]
    to: Option<Format>,
    /// Write to this file instead of standard output (one input only).
    #[arg(short = 'o', long, conflicts_with = "out_dir")]
    output: Option<PathBuf>,
    /// Write each converted file into this folder, mirroring the input tree (many inputs).
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// How to write JSON.
    #[arg(long, value_enum, default_value_t = JsonStyle::Pretty)]
    json: JsonStyle,
    /// Which HTML to write: Productive's dialect (what its API accepts) or plain HTML5.
    #[arg(long, value_enum, default_value_t = convert::HtmlDialect::Productive)]
    html: convert::HtmlDialect,
    /// Wrap plain text output at this many columns.
    #[arg(long, value_name = "COLUMNS")]
    wrap: Option<usize>,
    /// Read JSON leniently: keep what strict reading would reject, with warnings.
    #[arg(long)]
    lenient: bool,
    /// Fail (exit 1, no output) when the conversion reports any warning, i.e. could not keep
    /// everything exactly.
    #[arg(long)]
    strict: bool,
    /// Follow symbolic links met in folders (links named on the command line are always
    /// followed); without it each is skipped with a warning.
    #[arg(short = 'L', long)]
    follow: bool,
    /// Files converted at once [default: the number of cores].
    #[arg(short = 'j', long, value_name = "N")]
    jobs: Option<usize>,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    messages: MessageArgs,
}

#[derive(Debug, Args)]
struct InputArgs {
    /// Refuse inputs larger than this (bytes, or with K, M, G: units of 1024); reading stops
    /// there, so that an endless or huge input ends with an error.
    #[arg(long, value_name = "SIZE", default_value_t = SizeLimit::default())]
    max_input_size: SizeLimit,
}

#[derive(Debug, Args)]
struct MessageArgs {
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// Print errors only: no warnings, no summary, no progress bar.
    #[arg(short, long)]
    quiet: bool,
    /// Print every diagnostic; by default people see the first few of each code per file and a
    /// count of the rest (`--message-format json` always gives all).
    #[arg(long)]
    all_diagnostics: bool,
}

/// Parses the command line and runs the subcommand.
pub fn run() -> Exit {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                Exit::Usage
            } else {
                Exit::Ok
            };
        }
    };
    match cli.command {
        Command::Validate(args) => validate(args),
        Command::Schema => {
            write_stdout(|out| out.write_all(prodoc::schema::SCHEMA_JSON.as_bytes()))
        }
        Command::Import(args) => crate::productive::import(&args),
        Command::Export(args) => crate::productive::export(&args),
        Command::Convert(args) => convert(args),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "prodoc", &mut script);
            write_stdout(|out| out.write_all(&script))
        }
    }
}

fn validate(args: ValidateArgs) -> Exit {
    let files: Vec<Option<PathBuf>> = if args.files.is_empty() {
        vec![None]
    } else {
        args.files.into_iter().map(Some).collect()
    };
    let options = if args.lenient {
        prodoc::ReadOptions::lenient()
    } else {
        prodoc::ReadOptions::strict()
    };
    let mut reporter = Reporter::new(
        args.messages.message_format,
        args.messages.quiet,
        args.messages.all_diagnostics,
    );
    crate::validate::files(&files, &options, args.input.max_input_size, &mut reporter)
}

fn convert(args: ConvertArgs) -> Exit {
    let flags = convert::Flags {
        json: args.json,
        html: args.html,
        wrap: args.wrap,
        lenient: args.lenient,
        limit: args.input.max_input_size,
    };
    let plan = ConvertPlan::new(args.from, args.to, flags, args.strict);
    let mut reporter = Reporter::new(
        args.messages.message_format,
        args.messages.quiet,
        args.messages.all_diagnostics,
    );
    let real_inputs: Vec<PathBuf> = args
        .inputs
        .into_iter()
        .filter(|p| p.as_os_str() != "-")
        .collect();
    if real_inputs.is_empty() {
        return convert::single(None, args.output.as_deref(), &plan, &mut reporter);
    }
    let batch = match convert::collect_batch(&real_inputs, plan.from, args.follow) {
        Ok(batch) => batch,
        Err(failure) => {
            reporter.fatal(&failure.message);
            return failure.status;
        }
    };
    match (&args.out_dir, batch.is_single_file()) {
        (None, true) => {
            let path = batch.files.first().map(|f| f.source.as_path());
            convert::single(path, args.output.as_deref(), &plan, &mut reporter)
        }
        (None, false) => {
            reporter.fatal("several inputs (or a folder) need --out-dir DIR to write into");
            Exit::Usage
        }
        (Some(out_dir), _) => {
            let jobs = args
                .jobs
                .filter(|n| *n > 0)
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let to = plan.to.unwrap_or(Format::Json);
            let targets = match convert::plan_outputs(&batch, out_dir, to) {
                Ok(targets) => targets,
                Err(problems) => {
                    for problem in &problems {
                        reporter.fatal(problem);
                    }
                    reporter.fatal("nothing was written: give each output a place of its own");
                    return Exit::Usage;
                }
            };
            convert::batch(&batch, &targets, to, &plan, jobs, &mut reporter)
        }
    }
}
