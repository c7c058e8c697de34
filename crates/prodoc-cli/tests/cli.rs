//! End-to-end tests of the `prodoc` binary: every subcommand, flag and exit code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;

use assert_cmd::Command;

fn prodoc() -> Command {
    let mut command = Command::cargo_bin("prodoc").unwrap();
    command.env("NO_COLOR", "1");
    command
}

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus/productive-real")
        .join(name)
}

fn temp_dir(name: &str) -> common::Scratch {
    common::Scratch::new(&format!("prodoc-cli-{name}"))
}

fn stdout_of(command: &mut Command) -> String {
    String::from_utf8(command.output().unwrap().stdout).unwrap()
}

/// Compares with `tests/snapshots/NAME`; `PRODOC_UPDATE_SNAPSHOTS=1` rewrites it.
fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("PRODOC_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "snapshot {name} differs; actual:\n{actual}"
    );
}

const INVALID: &str =
    r#"{"type":"doc","content":[{"type":"heading","attrs":{"level":4}},{"type":"cheklist"}]}"#;

#[test]
fn validate_valid_files_exit_0() {
    prodoc()
        .args(["validate"])
        .arg(corpus("page-51093.json"))
        .arg(corpus("page-53654.json"))
        .assert()
        .success()
        .stdout("")
        .stderr("prodoc: 2 files checked, 0 invalid\n");
}

#[test]
fn validate_reports_every_violation_with_pointer_and_code() {
    prodoc()
        .args(["validate", "-"])
        .write_stdin(INVALID)
        .assert()
        .code(1)
        .stdout(
            "<stdin>: /content/0/attrs/level: found the number 4, expected a heading level from 1 to 3 [heading-level] (hint: the format has three heading levels; use 3 for deeper headings)\n\
             <stdin>: /content/1: found the node type `cheklist`, expected a block node (paragraph, heading, blockquote, codeblock, ul, ol, checklist, table, divider, banner, columns) [unknown-node] (hint: did you mean `checklist`?)\n",
        );
}

#[test]
fn validate_syntax_errors_have_line_and_column() {
    prodoc()
        .arg("validate")
        .write_stdin("{\"type\":\"doc\",\n\"content\":[}")
        .assert()
        .code(1)
        .stdout(predicates::str::starts_with("<stdin>:2:12: invalid JSON: "));
}

#[test]
fn validate_json_messages_one_object_per_file() {
    let out = stdout_of(
        prodoc()
            .args(["validate", "--message-format", "json", "-"])
            .write_stdin(INVALID),
    );
    let value: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(value["file"], "<stdin>");
    assert_eq!(value["valid"], false);
    assert_eq!(value["diagnostics"][0]["pointer"], "/content/0/attrs/level");
    assert_eq!(value["diagnostics"][0]["code"], "heading-level");
    assert_eq!(value["diagnostics"][1]["hint"], "did you mean `checklist`?");
}

#[test]
fn validate_lenient_accepts_with_warnings() {
    prodoc()
        .args(["validate", "--lenient"])
        .write_stdin(INVALID)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "<stdin>: /content/1: warning: found the node type `cheklist`",
        ));
    prodoc()
        .args(["validate", "--lenient", "--quiet"])
        .write_stdin(INVALID)
        .assert()
        .success()
        .stdout("")
        .stderr("");
}

#[test]
fn validate_accepts_body_strings_and_page_resources() {
    let body = serde_json::to_string(r#"{"type":"doc","content":[]}"#).unwrap();
    prodoc()
        .arg("validate")
        .write_stdin(body)
        .assert()
        .success();
    let resource =
        serde_json::json!({"data": {"attributes": {"body": "{\"type\":\"doc\",\"content\":[]}"}}})
            .to_string();
    let out = stdout_of(
        prodoc()
            .args(["validate", "--message-format", "json"])
            .write_stdin(resource),
    );
    assert!(out.contains(r#""shape":"page-resource""#), "{out}");
}

#[test]
fn bad_input_gets_a_clear_message_naming_the_file() {
    let dir = temp_dir("bad");
    let missing = dir.join("missing.json");
    prodoc()
        .arg("validate")
        .arg(&missing)
        .assert()
        .code(3)
        .stderr(predicates::str::contains(format!(
            "{}: cannot read",
            missing.display()
        )));
    prodoc()
        .arg("validate")
        .arg(&dir)
        .assert()
        .code(3)
        .stderr(predicates::str::contains(format!(
            "{}: is a directory, expected a file",
            dir.display()
        )));
    let latin1 = dir.join("latin1.json");
    std::fs::write(&latin1, b"{\"type\":\"doc\",\"content\":[\"\xe9\"]}").unwrap();
    prodoc()
        .arg("validate")
        .arg(&latin1)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!(
            "{}: invalid UTF-8 at byte 26",
            latin1.display()
        )));
    let empty = dir.join("empty.json");
    std::fs::write(&empty, "").unwrap();
    prodoc()
        .arg("validate")
        .arg(&empty)
        .assert()
        .code(1)
        .stdout(predicates::str::contains(format!(
            "{}:1:0: invalid JSON: EOF while parsing a value",
            empty.display()
        )));
    // An empty Markdown file is an empty document, not an error.
    let empty_md = dir.join("empty.md");
    std::fs::write(&empty_md, "").unwrap();
    prodoc()
        .args(["convert", "--json", "compact"])
        .arg(&empty_md)
        .assert()
        .success()
        .stdout("{\"type\":\"doc\",\"content\":[]}\n");
    // A path that cannot be opened even by root: its parent is a file.
    let under_file = empty_md.join("x.json");
    prodoc()
        .arg("validate")
        .arg(&under_file)
        .assert()
        .code(3)
        .stderr(predicates::str::contains(format!(
            "{}: cannot read",
            under_file.display()
        )));
    prodoc()
        .arg("convert")
        .arg(&under_file)
        .assert()
        .code(3)
        .stderr(predicates::str::contains(format!(
            "{}: cannot read",
            under_file.display()
        )));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.join("locked.json");
        std::fs::write(&locked, "{}").unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        // Root reads anything; the check only means something for other users.
        if std::fs::read(&locked).is_err() {
            prodoc()
                .arg("validate")
                .arg(&locked)
                .assert()
                .code(3)
                .stderr(predicates::str::contains("cannot read"));
        }
    }
}

#[test]
fn usage_errors_exit_2() {
    prodoc().arg("--bogus").assert().code(2);
    prodoc().arg("frobnicate").assert().code(2);
    prodoc()
        .args(["convert", "-t", "docx", "x.md"])
        .assert()
        .code(2);
    let dir = temp_dir("usage");
    let odd = dir.join("notes.rtf");
    std::fs::write(&odd, "x").unwrap();
    prodoc()
        .arg("convert")
        .arg(&odd)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "cannot tell the format from the extension: give it with -f",
        ));
    let a = dir.join("a.md");
    let b = dir.join("b.md");
    std::fs::write(&a, "a").unwrap();
    std::fs::write(&b, "b").unwrap();
    prodoc()
        .arg("convert")
        .arg(&a)
        .arg(&b)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("need --out-dir"));
    prodoc()
        .args(["convert", "-o", "x.json", "--out-dir", "y"])
        .assert()
        .code(2);
}

#[test]
fn help_and_version() {
    prodoc()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("prodoc {}\n", env!("CARGO_PKG_VERSION")));
    let help = stdout_of(prodoc().arg("--help"));
    assert!(help.contains("Exit codes:"), "{help}");
    for sub in ["convert", "validate", "schema", "completions"] {
        let help = stdout_of(prodoc().args([sub, "--help"]));
        assert!(help.contains("Example"), "{sub}: {help}");
    }
    snapshot(
        "convert-help.txt",
        &stdout_of(prodoc().args(["convert", "--help"])),
    );
}

#[test]
fn schema_prints_the_shipped_schema() {
    let out = stdout_of(prodoc().arg("schema"));
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../prodoc-core/schema/productive-doc.schema.json"),
    )
    .unwrap();
    assert_eq!(out, shipped);
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = stdout_of(prodoc().args(["completions", shell]));
        assert!(
            out.contains("validate") && out.contains("convert"),
            "{shell}"
        );
    }
}

#[test]
fn convert_json_styles() {
    let input = r#"{"content":[{"type":"paragraph"}],"type":"doc"}"#;
    prodoc()
        .args(["convert", "--json", "compact"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout("{\"type\":\"doc\",\"content\":[{\"type\":\"paragraph\"}]}\n");
    prodoc()
        .args(["convert", "--json", "body"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(
            "\"{\\\"type\\\":\\\"doc\\\",\\\"content\\\":[{\\\"type\\\":\\\"paragraph\\\"}]}\"\n",
        );
    prodoc()
        .args(["convert", "-f", "json", "-t", "json"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout("{\n  \"type\": \"doc\",\n  \"content\": [\n    {\n      \"type\": \"paragraph\"\n    }\n  ]\n}\n");
    prodoc()
        .arg("convert")
        .write_stdin(INVALID)
        .assert()
        .code(1)
        .stdout("");
    prodoc()
        .args(["convert", "--lenient", "--json", "compact"])
        .write_stdin(INVALID)
        .assert()
        .success()
        .stdout(format!("{INVALID}\n"))
        .stderr(predicates::str::contains(
            "warning: found the node type `cheklist`",
        ));
}

#[test]
fn convert_between_formats_with_inference_from_extensions() {
    let dir = temp_dir("formats");
    let md = dir.join("notes.md");
    std::fs::write(
        &md,
        "# Title\n\nHello **world**.\n\n> [!WARNING]\n> Careful\n",
    )
    .unwrap();
    let json_path = dir.join("notes.json");
    prodoc()
        .arg("convert")
        .arg(&md)
        .arg("-o")
        .arg(&json_path)
        .assert()
        .success();
    let json = std::fs::read_to_string(&json_path).unwrap();
    snapshot("notes.json", &json);
    prodoc()
        .arg("convert")
        .arg(&json_path)
        .args(["-t", "md"])
        .assert()
        .success()
        .stdout("# Title\n\nHello **world**.\n\n> [!WARNING]\n> Careful\n");
    prodoc()
        .arg("convert")
        .arg(&json_path)
        .args(["-t", "html"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            r#"<banner type="warning"><p>Careful</p></banner>"#,
        ));
    prodoc()
        .arg("convert")
        .arg(&json_path)
        .args(["-t", "html", "--html", "plain"])
        .assert()
        .success()
        .stdout(
            predicates::str::contains("<h1>Title</h1>")
                .and(predicates::str::contains("<banner").not()),
        );
    prodoc()
        .arg("convert")
        .arg(&json_path)
        .args(["-t", "text"])
        .assert()
        .success()
        .stdout("Title\n=====\n\nHello world.\n\nWarning: Careful\n");
    let html = dir.join("page.html");
    std::fs::write(&html, "<h2>Hi</h2><p>a<br>b</p>").unwrap();
    prodoc()
        .arg("convert")
        .arg(&html)
        .args(["-t", "md"])
        .assert()
        .success()
        .stdout("## Hi\n\na\\\nb\n");
    prodoc()
        .args(["convert", "-f", "text", "-t", "json", "--json", "compact"])
        .write_stdin("one\ntwo\n\nthree")
        .assert()
        .success()
        .stdout(r#"{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"one"},{"type":"br"},{"type":"text","text":"two"}]},{"type":"paragraph","content":[{"type":"text","text":"three"}]}]}"#.to_owned() + "\n");
}

use predicates::prelude::*;

#[test]
fn wrap_and_quiet() {
    let text = "one two three four five six seven eight nine ten";
    prodoc()
        .args(["convert", "-f", "md", "-t", "text", "--wrap", "20"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout("one two three four\nfive six seven eight\nnine ten\n");
    let lossy = r#"{"type":"doc","content":[{"type":"paragraph","content":[{"type":"emoji"}]}]}"#;
    prodoc()
        .args(["convert", "--lenient", "-t", "md", "--quiet"])
        .write_stdin(lossy)
        .assert()
        .success()
        .stderr("");
}

#[test]
fn strict_turns_lossy_conversions_into_errors() {
    let input = r#"{"type":"doc","content":[{"type":"paragraph","content":[{"type":"emoji"}]}]}"#;
    prodoc()
        .args(["convert", "--lenient", "-t", "md"])
        .write_stdin(input)
        .assert()
        .success()
        .stderr(predicates::str::contains("warning:"));
    prodoc()
        .args(["convert", "--lenient", "--strict", "-t", "md"])
        .write_stdin(input)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains("error:"));
    prodoc()
        .args([
            "convert",
            "--message-format",
            "json",
            "--lenient",
            "-t",
            "md",
        ])
        .write_stdin(input)
        .assert()
        .success()
        .stderr(predicates::str::contains(r#""file":"<stdin>""#));
}

#[test]
fn folders_convert_into_a_mirrored_tree() {
    let dir = temp_dir("tree");
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("guide/deep")).unwrap();
    std::fs::write(src.join("index.md"), "# Home\n").unwrap();
    std::fs::write(src.join("guide/intro.md"), "Intro *text*\n").unwrap();
    std::fs::write(src.join("guide/deep/page.html"), "<p>deep</p>").unwrap();
    std::fs::write(src.join("guide/ignored.rtf"), "x").unwrap();
    let out = dir.join("out");
    prodoc()
        .arg("convert")
        .arg(&src)
        .arg("--out-dir")
        .arg(&out)
        .args(["-t", "json", "--json", "compact", "-j", "2"])
        .assert()
        .success()
        .stderr("prodoc: 3 converted, 0 failed\n");
    assert_eq!(
        std::fs::read_to_string(out.join("guide/intro.json")).unwrap(),
        r#"{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"Intro "},{"type":"text","marks":[{"type":"em"}],"text":"text"}]}]}"#.to_owned() + "\n"
    );
    assert!(out.join("index.json").is_file());
    assert!(out.join("guide/deep/page.json").is_file());
    assert!(!out.join("guide/ignored.json").exists());
    // One bad file fails the batch (exit 1) but the others are still written.
    std::fs::write(src.join("bad.json"), "{").unwrap();
    let out2 = dir.join("out2");
    prodoc()
        .arg("convert")
        .arg(&src)
        .arg("--out-dir")
        .arg(&out2)
        .args(["-t", "md"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "bad.json:1:1: error: invalid JSON",
        ));
    assert!(out2.join("guide/intro.md").is_file());
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let big: String = std::iter::repeat_n("Some paragraph text here.\n\n", 50_000).collect();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("prodoc"))
        .args(["convert", "-f", "md", "-t", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(big.as_bytes()).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The README's first command: the example page the repository ships converts with nothing to
/// report, and the result is a valid document with its banner, checklist, mention and table.
#[test]
fn the_readme_example_converts_cleanly() {
    let notes = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/notes.md");
    let dir = temp_dir("readme");
    let out = dir.join("notes.json");
    let output = prodoc()
        .args(["convert", "--strict"])
        .arg(&notes)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc = prodoc::json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(prodoc::validate(&doc).is_empty());
    let types: Vec<prodoc::NodeType> = doc
        .walk()
        .filter_map(|visit| visit.node.node_type())
        .collect();
    use prodoc::NodeType::{Banner, Checklist, CodeBlock, Mention, Table, Var};
    for wanted in [Banner, Checklist, Mention, Table, CodeBlock, Var] {
        assert!(types.contains(&wanted), "{wanted:?} missing from {types:?}");
    }
}

/// Outputs of a batch that would land on the same file are all listed, and nothing is written.
#[test]
fn batch_outputs_that_collide_are_refused_before_anything_is_written() {
    let dir = temp_dir("collide");
    let col = dir.join("col");
    std::fs::create_dir_all(&col).unwrap();
    std::fs::write(col.join("x.md"), "# md\n").unwrap();
    std::fs::write(col.join("x.html"), "<h1>h</h1>").unwrap();
    std::fs::write(col.join("x.txt"), "t\n").unwrap();
    std::fs::write(col.join("y.md"), "y\n").unwrap();
    let out = dir.join("o");
    let output = prodoc()
        .arg("convert")
        .arg(&col)
        .arg("--out-dir")
        .arg(&out)
        .args(["-t", "md"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let target = out.join("x.md").display().to_string();
    let line = stderr
        .lines()
        .find(|line| line.contains(&target))
        .unwrap_or_else(|| panic!("{stderr}"));
    for name in ["x.html", "x.md", "x.txt"] {
        assert!(
            line.contains(&col.join(name).display().to_string()),
            "{name} missing from {line}"
        );
    }
    assert!(!out.exists(), "something was written: {stderr}");

    // Two inputs named alike in different folders.
    let (a, b) = (dir.join("a"), dir.join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    std::fs::write(a.join("n.md"), "a\n").unwrap();
    std::fs::write(b.join("n.md"), "b\n").unwrap();
    prodoc()
        .arg("convert")
        .arg(a.join("n.md"))
        .arg(b.join("n.md"))
        .arg("--out-dir")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            out.join("n.json").display().to_string(),
        ));
    assert!(!out.exists());

    // An output that would overwrite another input of the batch.
    let same = dir.join("same");
    std::fs::create_dir_all(&same).unwrap();
    std::fs::write(same.join("z.md"), "from markdown\n").unwrap();
    let json = r#"{"type":"doc","content":[]}"#;
    std::fs::write(same.join("z.json"), json).unwrap();
    std::fs::write(same.join("w.txt"), "w\n").unwrap();
    prodoc()
        .arg("convert")
        .arg(&same)
        .arg("--out-dir")
        .arg(&same)
        .args(["-t", "json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("overwrite"));
    assert_eq!(std::fs::read_to_string(same.join("z.json")).unwrap(), json);
    assert!(!same.join("w.json").exists());
}

/// document cannot print a line that looks like a diagnostic of prodoc's own.
#[test]
fn diagnostic_lines_cannot_be_forged() {
    let forged =
        r#"{"type":"doc","content":[{"type":"x\nfake.json: /content/0: error: forged\u001b[2K"}]}"#;
    for command in [
        vec!["validate", "-"],
        vec!["convert", "--lenient", "-t", "md", "-"],
    ] {
        let output = prodoc()
            .args(&command)
            .write_stdin(forged)
            .output()
            .unwrap();
        let all =
            String::from_utf8(output.stdout).unwrap() + &String::from_utf8(output.stderr).unwrap();
        assert!(
            all.lines().all(|line| !line.starts_with("fake.json")),
            "{command:?}: {all}"
        );
        assert!(!all.contains('\u{1b}'), "{command:?}: {all}");
        assert!(
            all.contains(r"`x\nfake.json: /content/0: error: forged\u{1b}[2K`"),
            "{command:?}: {all}"
        );
    }
    // A file name with a newline, in a batch and alone.
    #[cfg(unix)]
    {
        let dir = temp_dir("forged");
        let src = dir.join("src");
        std::fs::create_dir_all(&src).unwrap();
        let name = "a\nfake.json: error: forged.json";
        std::fs::write(src.join(name), "{").unwrap();
        for batch in [true, false] {
            let mut command = prodoc();
            if batch {
                command
                    .arg("convert")
                    .arg(&src)
                    .arg("--out-dir")
                    .arg(dir.join("out"));
            } else {
                command.arg("validate").arg(src.join(name));
            }
            let output = command.output().unwrap();
            assert_eq!(output.status.code(), Some(1));
            let all = String::from_utf8(output.stdout).unwrap()
                + &String::from_utf8(output.stderr).unwrap();
            assert!(
                all.lines().all(|line| !line.starts_with("fake.json")),
                "{all}"
            );
            assert!(all.contains(r"a\nfake.json: error: forged.json"), "{all}");
        }
    }
}

/// test fails. Not a timing assertion: a correct run ends in well under a second.
const HANG_GUARD: std::time::Duration = std::time::Duration::from_secs(120);

/// Inputs are read through a bounded reader: past the limit the read stops with a clear error.
#[cfg(unix)]
#[test]
fn inputs_past_the_size_limit_stop_with_a_clear_error() {
    let dir = temp_dir("limit");
    let big = dir.join("big.md");
    std::fs::write(&big, "x".repeat(3000)).unwrap();
    prodoc()
        .args(["convert", "--max-input-size", "2K"])
        .arg(&big)
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "prodoc: error: {}: larger than the input size limit of 2 KiB (2048 bytes); \
             give a larger --max-input-size to read it\n",
            big.display()
        ));
    prodoc()
        .args(["convert", "--max-input-size", "3000", "-t", "text"])
        .arg(&big)
        .assert()
        .success();
    // Standard input, and an endless device: the read stops at the limit.
    prodoc()
        .args(["convert", "-f", "md", "--max-input-size", "1K"])
        .write_stdin("y".repeat(1025))
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "<stdin>: larger than the input size limit of 1 KiB",
        ));
    prodoc()
        .args([
            "convert",
            "/dev/zero",
            "-f",
            "json",
            "--max-input-size",
            "1M",
        ])
        .timeout(HANG_GUARD)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "/dev/zero: larger than the input size limit of 1 MiB",
        ));
    // The documented default applies without the flag.
    prodoc()
        .args(["convert", "/dev/zero", "-f", "json"])
        .timeout(HANG_GUARD)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "/dev/zero: larger than the input size limit of 64 MiB",
        ));
    prodoc()
        .args(["validate", "--max-input-size", "1K", "/dev/zero"])
        .timeout(HANG_GUARD)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "/dev/zero: larger than the input size limit",
        ));
    prodoc()
        .args(["convert", "--max-input-size", "lots"])
        .arg(&big)
        .assert()
        .code(2);
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// blocking the batch forever.
#[cfg(unix)]
#[test]
fn special_files_in_folders_are_skipped_with_a_warning() {
    let dir = temp_dir("fifo");
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("good.md"), "good\n").unwrap();
    mkfifo(&src.join("pipe.md"));
    let out = dir.join("out");
    prodoc()
        .arg("convert")
        .arg(&src)
        .arg("--out-dir")
        .arg(&out)
        .timeout(HANG_GUARD)
        .assert()
        .success()
        .stderr(predicates::str::contains(format!(
            "{}: warning: not a regular file (a FIFO), skipped [file-skipped]",
            src.join("pipe.md").display()
        )))
        .stderr(predicates::str::contains(
            "1 converted, 0 failed, 1 skipped",
        ));
    assert!(out.join("good.json").is_file());
    assert!(!out.join("pipe.json").exists());
}

/// warning has been seen.
#[cfg(unix)]
#[test]
fn diagnostics_are_printed_as_soon_as_each_file_is_done() {
    use std::io::{BufRead, BufReader, Write};
    let dir = temp_dir("stream");
    let first = dir.join("first.md");
    std::fs::write(&first, "#### four\n").unwrap();
    let fifo = dir.join("second.md");
    mkfifo(&fifo);
    let out = dir.join("out");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("prodoc"))
        .env("NO_COLOR", "1")
        .arg("convert")
        .arg(&first)
        .arg(&fifo)
        .arg("--out-dir")
        .arg(&out)
        .args(["-j", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            if lines.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let first_name = first.display().to_string();
    let seen = loop {
        match received.recv_timeout(HANG_GUARD) {
            Ok(line) if line.starts_with(&first_name) => break Some(line),
            Ok(_) => {}
            Err(_) => break None,
        }
    };
    if seen.is_none() {
        // Unblock the run before failing, so that no process is left behind.
        let _ = child.kill();
        let _ = child.wait();
        panic!("the first file's diagnostic was held back while the second was being read");
    }
    assert!(seen.unwrap().contains("warning: found a level 4 heading"));
    std::fs::OpenOptions::new()
        .write(true)
        .open(&fifo)
        .unwrap()
        .write_all(b"second\n")
        .unwrap();
    let status = child.wait().unwrap();
    let rest: Vec<String> = received.iter().collect();
    assert!(status.success(), "{rest:?}");
    assert_eq!(rest, ["prodoc: 2 converted, 0 failed"]);
    assert!(out.join("second.json").is_file());
}

/// each is named as skipped. Links named on the command line are followed.
#[cfg(unix)]
#[test]
fn symlinks_in_folders_are_followed_only_with_follow() {
    let dir = temp_dir("links");
    let tree = dir.join("tree");
    let outside = dir.join("outside");
    std::fs::create_dir_all(&tree).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(tree.join("a.md"), "a\n").unwrap();
    std::fs::write(outside.join("secret.md"), "secret\n").unwrap();
    std::os::unix::fs::symlink(outside.join("secret.md"), tree.join("link.md")).unwrap();
    std::os::unix::fs::symlink(&outside, tree.join("dirlink")).unwrap();
    // A link to the folder itself: followed, it would be a loop.
    std::os::unix::fs::symlink(&tree, tree.join("loop")).unwrap();
    let out = dir.join("out");
    prodoc()
        .arg("convert")
        .arg(&tree)
        .arg("--out-dir")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains(format!(
            "{}: warning: a symbolic link, skipped (give -L to follow links) [file-skipped]",
            tree.join("link.md").display()
        )))
        .stderr(predicates::str::contains(format!(
            "{}: warning: a symbolic link, skipped",
            tree.join("dirlink").display()
        )));
    assert!(out.join("a.json").is_file());
    assert!(!out.join("link.json").exists());
    assert!(!out.join("dirlink").exists());

    let followed = dir.join("followed");
    prodoc()
        .arg("convert")
        .arg(&tree)
        .arg("--out-dir")
        .arg(&followed)
        .arg("-L")
        .timeout(HANG_GUARD)
        .assert()
        .success()
        .stderr(predicates::str::contains(format!(
            "{}: warning: a symbolic link to {}, which holds it: a loop, not followed [file-skipped]",
            tree.join("loop").display(),
            tree.display()
        )));
    assert!(followed.join("link.json").is_file());
    assert!(followed.join("dirlink/secret.json").is_file());

    // A link given by name is what the user asked for.
    prodoc()
        .args(["convert", "-t", "text"])
        .arg(tree.join("link.md"))
        .assert()
        .success()
        .stdout("secret\n");
}

/// A subfolder that cannot be read is reported; the rest of the batch is converted.
#[cfg(unix)]
#[test]
fn an_unreadable_subfolder_is_reported_and_the_rest_converted() {
    let dir = temp_dir("unreadable");
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("good.md"), "good\n").unwrap();
    // Root reads any folder whatever its mode, but not one whose path is longer than the
    // system's limit (4096 bytes on Linux): folders nested 20 deep with 250-byte names.
    let component = "d".repeat(250);
    let script =
        format!("for i in $(seq 20); do mkdir {component} && cd -P {component} || exit 1; done");
    let made = std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(&src)
        .status()
        .unwrap();
    assert!(made.success());
    let out = dir.join("out");
    prodoc()
        .arg("convert")
        .arg(&src)
        .arg("--out-dir")
        .arg(&out)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("cannot read the folder"))
        .stderr(predicates::str::contains("1 converted, 0 failed"));
    assert!(out.join("good.json").is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = src.join("locked");
        std::fs::create_dir_all(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        // Meaningful only for users other than root, who reads it anyway.
        if std::fs::read_dir(&locked).is_err() {
            prodoc()
                .arg("convert")
                .arg(&src)
                .arg("--out-dir")
                .arg(dir.join("out2"))
                .assert()
                .code(3)
                .stderr(predicates::str::contains(format!(
                    "{}: cannot read the folder",
                    locked.display()
                )));
            assert!(dir.join("out2/good.json").is_file());
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// Thousands of one warning do not flood the terminal: the first few of each code per file,
/// then a count; `--all-diagnostics` and `--message-format json` give every one.
#[test]
fn many_warnings_of_one_code_are_counted_not_flooded() {
    let dir = temp_dir("flood");
    let input = dir.join("links.md");
    std::fs::write(&input, "[x](javascript:a) ".repeat(40)).unwrap();
    let stderr = |extra: &[&str]| {
        let output = prodoc()
            .arg("convert")
            .arg(&input)
            .args(["-o", dir.join("out.json").to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap();
        String::from_utf8(output.stderr).unwrap()
    };
    let human = stderr(&[]);
    assert_eq!(human.matches("[unsafe-url]").count(), 6, "{human}");
    assert!(human.contains("and 35 more [unsafe-url]"), "{human}");
    assert_eq!(
        stderr(&["--all-diagnostics"])
            .matches("[unsafe-url]")
            .count(),
        40
    );
    assert_eq!(
        stderr(&["--message-format", "json"])
            .matches("unsafe-url")
            .count(),
        40
    );
}

/// `--strict` fails on what a conversion changed, not on a lossless HTML fallback (a note).
#[test]
fn strict_does_not_fail_on_a_lossless_html_fallback() {
    let doc = r#"{"type":"doc","content":[{"type":"paragraph","attrs":{"textAlign":"center"},"content":[{"type":"text","text":"x"}]}]}"#;
    let output = prodoc()
        .args(["convert", "-", "-f", "json", "-t", "md", "--strict"])
        .write_stdin(doc)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("note:") && stderr.contains("[html-fallback]"),
        "{stderr}"
    );
}

#[test]
fn long_markdown_is_written_as_json_while_it_is_read_with_the_same_bytes() {
    // Past several of the reader's 256 KiB windows, with blocks of every kind (and no `]:` or
    // `[^`, which make the reader take the input whole).
    let part = "# Title\n\nSome *text* with a [link](https://example.com) and `code`.\n\n\
                - item\n  - nested\n\n1. one\n2. two\n\n> quoted\n> lines\n\n\
                | a | b |\n|---|---|\n| 1 | 2 |\n\n```rust\nfn main() {}\n```\n\n---\n\n";
    let markdown = part.repeat(12_000);
    assert!(markdown.len() > 2_000_000);
    let dir = temp_dir("streamed");
    let input = dir.join("long.md");
    std::fs::write(&input, &markdown).unwrap();
    let conversion = prodoc::convert::read(
        prodoc::Format::Markdown,
        &markdown,
        &prodoc::convert::ReadOptions::default(),
    );
    for (flag, style) in [
        ("compact", prodoc::json::Style::Compact),
        ("pretty", prodoc::json::Style::Pretty),
        ("body", prodoc::json::Style::Body),
    ] {
        let options = prodoc::json::WriteOptions { style };
        let expected = prodoc::json::write(&conversion.doc, &options).text + "\n";
        let output = dir.join(format!("{flag}.json"));
        prodoc()
            .args(["convert", "-q", "--json", flag, "-o"])
            .arg(&output)
            .arg(&input)
            .assert()
            .success();
        assert!(
            std::fs::read_to_string(&output).unwrap() == expected,
            "{flag}"
        );
        let stdout = stdout_of(prodoc().args(["convert", "-q", "--json", flag]).arg(&input));
        assert!(stdout == expected, "{flag} on standard output");
    }
    // A batch writes each file as it is read too.
    let out_dir = dir.join("out");
    prodoc()
        .args(["convert", "-q", "--json", "compact", "--out-dir"])
        .arg(&out_dir)
        .arg(&input)
        .assert()
        .success();
    let options = prodoc::json::WriteOptions::default();
    let expected = prodoc::json::write(&conversion.doc, &options).text + "\n";
    assert!(std::fs::read_to_string(out_dir.join("long.json")).unwrap() == expected);
}

#[test]
fn a_conversion_that_fails_leaves_no_output_file() {
    let dir = temp_dir("no-output");
    let invalid = dir.join("invalid.json");
    std::fs::write(&invalid, INVALID).unwrap();
    let output = dir.join("out.json");
    for style in ["compact", "pretty", "body"] {
        prodoc()
            .args(["convert", "--json", style, "-o"])
            .arg(&output)
            .arg(&invalid)
            .assert()
            .code(1);
        assert!(!output.exists(), "{style}");
    }
    // `--strict` holds the output until every diagnostic is in: a lossy one fails it.
    let lossy = dir.join("lossy.md");
    std::fs::write(&lossy, "# ok\n\n##### too deep\n").unwrap();
    prodoc()
        .args(["convert", "--strict", "-o"])
        .arg(&output)
        .arg(&lossy)
        .assert()
        .code(1);
    assert!(!output.exists());
    // An empty document still makes its file.
    let empty = dir.join("empty.md");
    std::fs::write(&empty, "").unwrap();
    prodoc()
        .args(["convert", "-t", "text", "-o"])
        .arg(&output)
        .arg(&empty)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "");
}
