//! `prodoc import` and `prodoc export` against the fake Productive server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use assert_cmd::Command;
use prodoc_fake_productive::{FakeOptions, FakeServer};
use std::fs;

const TOKEN: &str = "cli-SECRET-token";

fn temp_dir(name: &str) -> common::Scratch {
    common::Scratch::new(&format!("prodoc-cli-productive-{name}"))
}

fn server() -> FakeServer {
    FakeServer::start(FakeOptions {
        token: TOKEN.into(),
        ..Default::default()
    })
    .unwrap()
}

fn prodoc(server: &FakeServer) -> Command {
    let mut command = Command::cargo_bin("prodoc").unwrap();
    command
        .env_remove("PRODUCTIVE_TOKEN_FILE")
        .env_remove("PRODUCTIVE_BASE_URL")
        .env("PRODUCTIVE_API_TOKEN", TOKEN)
        .env("PRODUCTIVE_ORG_ID", server.org_id());
    command
}

fn tree(root: &std::path::Path) {
    fs::create_dir_all(root.join("guide")).unwrap();
    fs::write(root.join("README.md"), "# Docs\n\nHello.\n").unwrap();
    fs::write(root.join("guide").join("a.md"), "# A\n\nText.\n").unwrap();
    fs::write(
        root.join("guide").join("b.md"),
        "---\ntitle: Bee\n---\nMore.\n",
    )
    .unwrap();
}

#[test]
fn import_twice_then_export() {
    let server = server();
    let dir = temp_dir("twice");
    let root = dir.join("docs");
    tree(&root);
    let dry = prodoc(&server)
        .args([
            "import",
            root.to_str().unwrap(),
            "--project",
            "5",
            "--dry-run",
        ])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&dry.get_output().stdout).into_owned();
    assert!(out.contains("would create 4"), "{out}");
    assert!(server.log().is_empty());
    let base = server.base_url();
    let first = prodoc(&server)
        .args([
            "import",
            root.to_str().unwrap(),
            "--project",
            "5",
            "--verify",
            "--base-url",
            &base,
        ])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&first.get_output().stdout).into_owned();
    assert!(
        out.contains("created 4, updated 0, unchanged 0, failed 0"),
        "{out}"
    );
    assert!(out.contains("differences 0"), "{out}");
    assert_eq!(server.pages().len(), 4);
    assert!(root.join(".prodoc-import.json").exists());
    let second = prodoc(&server)
        .args([
            "import",
            root.to_str().unwrap(),
            "--project",
            "5",
            "--base-url",
            &base,
        ])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&second.get_output().stdout).into_owned();
    assert!(
        out.contains("created 0, updated 0, unchanged 4, failed 0"),
        "{out}"
    );
    let export_dir = dir.join("out");
    prodoc(&server)
        .args([
            "export",
            "--project",
            "5",
            export_dir.to_str().unwrap(),
            "--base-url",
            &base,
        ])
        .assert()
        .success();
    assert!(export_dir
        .join("Docs")
        .join("guide")
        .join("Bee.md")
        .exists());
    let state = fs::read_to_string(root.join(".prodoc-import.json")).unwrap();
    assert!(!state.contains("SECRET"));
}

#[test]
fn wrong_token_fails_without_showing_it() {
    let server = server();
    let dir = temp_dir("token");
    let root = dir.join("docs");
    tree(&root);
    let token_file = dir.join("token");
    fs::write(&token_file, "SECRET-but-wrong\n").unwrap();
    let base = server.base_url();
    let run = prodoc(&server)
        .args([
            "import",
            root.to_str().unwrap(),
            "--project",
            "5",
            "--base-url",
            &base,
        ])
        .args(["--token-file", token_file.to_str().unwrap()])
        .assert()
        .code(1);
    let output = run.get_output();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(all.contains("HTTP 401"), "{all}");
    assert!(all.contains("failed 1"), "{all}");
    assert!(!all.contains("SECRET"), "{all}");
}

#[test]
fn export_needs_a_page_or_project() {
    let server = server();
    prodoc(&server).args(["export", "out"]).assert().code(2);
}

fn output_of(assert: &assert_cmd::assert::Assert) -> (String, String) {
    let output = assert.get_output();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Issue 15, item 12: a dry run refuses a project the state file does not record, as the
/// real run does, naming the flag.
#[test]
fn dry_run_refuses_another_project_as_the_real_run_does() {
    let server = server();
    let dir = temp_dir("mismatch");
    let root = dir.join("docs");
    tree(&root);
    let base = server.base_url();
    let path = root.to_str().unwrap();
    prodoc(&server)
        .args(["import", path, "--project", "5", "--base-url", &base])
        .assert()
        .success();
    server.clear_log();
    for extra in [&["--dry-run"][..], &[][..]] {
        let run = prodoc(&server)
            .args(["import", path, "--project", "6", "--base-url", &base])
            .args(extra)
            .assert()
            .code(2);
        let (_, err) = output_of(&run);
        assert!(err.contains("--project 6"), "{err}");
        assert!(err.contains("project 5"), "{err}");
    }
    assert!(server.log().is_empty(), "{:?}", server.log());
}

/// Issue 15, item 2: a dry run checks the configuration the real run needs; the storage
/// address has a default, so a tree with an image plans without one.
#[test]
fn dry_run_checks_the_configuration() {
    let server = server();
    let dir = temp_dir("config");
    let root = dir.join("docs");
    tree(&root);
    fs::write(root.join("logo.png"), b"\x89PNG").unwrap();
    fs::write(root.join("guide").join("c.md"), "![logo](../logo.png)\n").unwrap();
    let path = root.to_str().unwrap();
    let dry = ["import", path, "--project", "5", "--dry-run"];
    prodoc(&server)
        .env_remove("PRODUCTIVE_STORAGE_URL")
        .args(dry)
        .assert()
        .success();
    let run = prodoc(&server)
        .env_remove("PRODUCTIVE_API_TOKEN")
        .args(dry)
        .assert()
        .code(2);
    let (_, err) = output_of(&run);
    assert!(err.contains("PRODUCTIVE_API_TOKEN"), "{err}");
    let run = prodoc(&server)
        .args(dry)
        .args(["--storage-url", "s3-bucket"])
        .assert()
        .code(2);
    let (_, err) = output_of(&run);
    assert!(err.contains("--storage-url"), "{err}");
    assert!(server.log().is_empty());
}

/// Issue 15, item 8: when reading pages back fails, the summary is still printed and the exit
/// status says something failed.
#[test]
fn a_failed_verify_still_prints_the_summary() {
    let server = server();
    let dir = temp_dir("verify");
    let root = dir.join("docs");
    tree(&root);
    // Not retried (a 403 is not transient): the first read-back fails.
    server.script("GET", "pages/", prodoc_fake_productive::Scripted::Fail(403));
    let base = server.base_url();
    let run = prodoc(&server)
        .args(["import", root.to_str().unwrap(), "--project", "5"])
        .args(["--verify", "--base-url", &base])
        .assert()
        .code(1);
    let (out, err) = output_of(&run);
    assert!(
        out.contains("created 4, updated 0, unchanged 0, failed 0"),
        "{out}\n{err}"
    );
    assert!(out.contains("verify failed"), "{out}");
    assert!(err.contains("HTTP 403"), "{err}");
}

/// The page id the state file records for `key`.
fn state_page(state_file: &std::path::Path, key: &str) -> u64 {
    let state: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(state_file).unwrap()).unwrap();
    state["pages"][key]["page_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Issue 15, item 5: `--dry-run --prune` lists the deletions it would make, `--prune` lists
/// every page it deletes, and a page holding someone else's subpages is kept unless
/// `--prune-foreign`.
#[test]
fn prune_lists_its_deletions_and_keeps_someone_elses_subpages() {
    let server = server();
    let dir = temp_dir("prune");
    let root = dir.join("docs");
    tree(&root);
    fs::create_dir_all(root.join("old")).unwrap();
    fs::write(root.join("old").join("c.md"), "# Sea\n\nGone soon.\n").unwrap();
    let base = server.base_url();
    let path = root.to_str().unwrap();
    let import = ["import", path, "--project", "5", "--base-url", &base];
    prodoc(&server).args(import).assert().success();
    let state_file = root.join(".prodoc-import.json");
    let guide = state_page(&state_file, "guide/");
    let old = state_page(&state_file, "old/");
    let theirs = server.insert_page("Their notes", None, Some(guide));
    fs::remove_dir_all(root.join("guide")).unwrap();
    fs::remove_dir_all(root.join("old")).unwrap();
    server.clear_log();
    let dry = prodoc(&server)
        .args(import)
        .args(["--dry-run", "--prune"])
        .assert()
        .success();
    let (out, _) = output_of(&dry);
    assert!(
        out.contains(&format!("keep      guide (guide/, page {guide}; holds pages this import did not make: {theirs} \"Their notes\")")),
        "{out}"
    );
    assert!(
        out.contains(&format!("delete    old (old/, page {old})")),
        "{out}"
    );
    assert!(out.contains("delete    Sea (old/c.md, page "), "{out}");
    assert!(out.contains(", with old/)"), "{out}");
    assert!(out.contains("delete    A (guide/a.md, page "), "{out}");
    assert!(out.contains("delete 4, refuse to delete 1"), "{out}");
    assert!(server.log().iter().all(|r| !r.write));
    let before = server.pages().len();
    // The real run does what the dry run said: the guide page and theirs stay.
    let run = prodoc(&server).args(import).arg("--prune").assert().code(1);
    let (out, err) = output_of(&run);
    assert!(
        out.contains(&format!("deleted   old (old/, page {old})")),
        "{out}"
    );
    assert!(out.contains("deleted   Sea (old/c.md"), "{out}");
    assert!(out.contains("deleted   A (guide/a.md"), "{out}");
    assert!(out.contains("deleted   Bee (guide/b.md"), "{out}");
    assert!(err.contains("--prune-foreign"), "{err}");
    assert!(err.contains("Their notes"), "{err}");
    let ids: Vec<u64> = server.pages().iter().map(|p| p.id).collect();
    assert!(ids.contains(&guide) && ids.contains(&theirs), "{ids:?}");
    assert!(!ids.contains(&old));
    // old/ and old/c.md went in one request, guide/a.md and guide/b.md in one each.
    assert_eq!(before - server.pages().len(), 4);
    assert_eq!(
        server.log().iter().filter(|r| r.method == "DELETE").count(),
        3
    );
    // Told to, it deletes their subpage with ours.
    let run = prodoc(&server)
        .args(import)
        .args(["--prune", "--prune-foreign"])
        .assert()
        .success();
    let (out, _) = output_of(&run);
    assert!(
        out.contains(&format!("deleted   guide (guide/, page {guide}; and pages this import did not make: {theirs} \"Their notes\")")),
        "{out}"
    );
    let ids: Vec<u64> = server.pages().iter().map(|p| p.id).collect();
    assert!(!ids.contains(&guide) && !ids.contains(&theirs), "{ids:?}");
}

/// A tree whose clean import makes every kind of request: a title look-up, creates, a body
/// replace (a centred paragraph) and a relink (a link to a page made later).
fn kill_tree(root: &std::path::Path) {
    fs::create_dir_all(root).unwrap();
    fs::write(root.join("README.md"), "# Handbook\n\nWelcome.\n").unwrap();
    fs::write(
        root.join("a-first.md"),
        "# First\n\nSee [later](later.md).\n",
    )
    .unwrap();
    fs::write(
        root.join("centred.md"),
        "<p style=\"text-align: center\">centred</p>\n",
    )
    .unwrap();
    for f in 0..3 {
        let folder = root.join(format!("folder-{f}"));
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join("index.md"), format!("# Folder {f}\n")).unwrap();
        for p in 0..3 {
            fs::write(
                folder.join(format!("page-{p}.md")),
                format!("# Page {f}.{p}\n\nSome **bold** text.\n"),
            )
            .unwrap();
        }
    }
    fs::write(root.join("later.md"), "# Later\n\nMade last.\n").unwrap();
}

/// The server's pages as (path of titles) -> body with page ids shown as titles; panics on a
/// page path that is there twice.
fn end_state(server: &FakeServer) -> std::collections::BTreeMap<String, String> {
    let pages = server.pages();
    let by_id: std::collections::BTreeMap<u64, &prodoc_fake_productive::FakePage> =
        pages.iter().map(|p| (p.id, p)).collect();
    let mut tree = std::collections::BTreeMap::new();
    for page in &pages {
        let mut path = vec![page.title.clone()];
        let mut parent = page.parent_page_id;
        while let Some(id) = parent {
            path.push(by_id[&id].title.clone());
            parent = by_id[&id].parent_page_id;
        }
        path.reverse();
        let mut body = page.body.clone();
        for other in &pages {
            body = body.replace(
                &format!("\"id\":\"{}\"", other.id),
                &format!("\"id\":\"<{}>\"", other.title),
            );
        }
        let key = path.join(" / ");
        assert!(tree.insert(key.clone(), body).is_none(), "{key} twice");
    }
    tree
}

/// Every page on the server is one the state file records.
fn all_tracked(server: &FakeServer, state_file: &std::path::Path) {
    let state: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(state_file).unwrap()).unwrap();
    let tracked: std::collections::BTreeSet<u64> = state["pages"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|e| e["page_id"].as_str()?.parse().ok())
        .collect();
    for page in server.pages() {
        assert!(tracked.contains(&page.id), "page {} untracked", page.title);
    }
}

/// `prodoc import` of `root` as a child process, output discarded.
#[cfg(unix)]
fn spawn_import(
    server: &FakeServer,
    root: &std::path::Path,
    state_file: &std::path::Path,
) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("prodoc"))
        .env_remove("PRODUCTIVE_TOKEN_FILE")
        .env("PRODUCTIVE_API_TOKEN", TOKEN)
        .env("PRODUCTIVE_ORG_ID", server.org_id())
        .args(["import", root.to_str().unwrap(), "--project", "5"])
        .args(["--base-url", &server.base_url()])
        .args(["--state", state_file.to_str().unwrap()])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Issue 15, "done when": the `prodoc` process killed with SIGKILL at five points (before
/// anything is written, the top page's create applied but unanswered, a body replace not
/// applied, an empty folder page's create (`POST /pages`) applied but unanswered, the final
/// relink applied but unanswered) resumes on the next run to a clean run's end state: every page present, none
/// twice, none untracked.
#[cfg(unix)]
#[test]
fn a_killed_import_resumes_to_a_clean_runs_end_state() {
    use prodoc_fake_productive::Hold;
    use std::os::unix::process::ExitStatusExt;
    let dir = temp_dir("sigkill");
    let root = dir.join("docs");
    kill_tree(&root);
    let (reference, log) = {
        let server = server();
        let state_file = dir.join("clean.json");
        let status = spawn_import(&server, &root, &state_file).wait().unwrap();
        assert!(status.success());
        all_tracked(&server, &state_file);
        (end_state(&server), server.log())
    };
    assert_eq!(reference.len(), 16);
    let index = |what: &dyn Fn(&prodoc_fake_productive::LoggedRequest) -> bool| {
        log.iter().position(what).unwrap()
    };
    let first_create = index(&|r| r.path == "pages/create_with_markdown");
    let replace = index(&|r| r.path.ends_with("replace_body_with_html"));
    let last = log.len() - 1;
    assert_eq!(log[0].method, "GET", "{log:?}");
    // An empty folder page: its create is a POST /pages.
    assert_eq!(
        (
            log[replace + 3].method.as_str(),
            log[replace + 3].path.as_str()
        ),
        ("POST", "pages"),
        "{log:?}"
    );
    assert_eq!(log[last].method, "PATCH", "the relink comes last");
    let points = [
        (0, Hold::BeforeApplying),
        (first_create, Hold::AfterApplying),
        (replace, Hold::BeforeApplying),
        (replace + 3, Hold::AfterApplying),
        (last, Hold::AfterApplying),
    ];
    for (point, at) in points {
        let server = server();
        let state_file = dir.join(format!("killed-{point}.json"));
        server.hold(point, at);
        let mut child = spawn_import(&server, &root, &state_file);
        assert!(
            server.wait_until_held(std::time::Duration::from_secs(120)),
            "the run never reached request {point}"
        );
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(9), "point {point}");
        server.release();
        let status = spawn_import(&server, &root, &state_file).wait().unwrap();
        assert!(status.success(), "point {point}");
        assert_eq!(end_state(&server), reference, "point {point} {at:?}");
        all_tracked(&server, &state_file);
    }
}

/// Issue 15, item 11, with two processes: while one import holds the state file (its run
/// stopped in the middle), a second one is refused before sending anything; the first then
/// finishes as a clean run would.
#[cfg(unix)]
#[test]
fn a_second_process_on_the_same_state_is_refused() {
    use prodoc_fake_productive::Hold;
    let dir = temp_dir("two-processes");
    let root = dir.join("docs");
    kill_tree(&root);
    let reference = {
        let server = server();
        let status = spawn_import(&server, &root, &dir.join("clean.json"))
            .wait()
            .unwrap();
        assert!(status.success());
        end_state(&server)
    };
    let server = server();
    let state_file = dir.join("state.json");
    server.hold(5, Hold::AfterApplying);
    let mut first = spawn_import(&server, &root, &state_file);
    assert!(server.wait_until_held(std::time::Duration::from_secs(120)));
    let seen = server.log().len();
    let second = prodoc(&server)
        .args(["import", root.to_str().unwrap(), "--project", "5"])
        .args(["--base-url", &server.base_url()])
        .args(["--state", state_file.to_str().unwrap()])
        .assert()
        .code(2);
    let (_, err) = output_of(&second);
    assert!(err.contains("another import"), "{err}");
    assert_eq!(server.log().len(), seen, "the second run sent requests");
    server.release();
    assert!(first.wait().unwrap().success());
    assert_eq!(end_state(&server), reference);
    all_tracked(&server, &state_file);
}

/// Issue 15, trust: piped, the import logs a line per page written and per rate-limit wait;
/// the summary names the top page (id and title) and lists what was written by title; the top
/// page is never shown as `.`; a re-run needs no --project when the state file records it;
/// --max-rate is checked.
#[test]
fn a_piped_import_logs_each_page_and_summarises_by_title() {
    use prodoc_productive::{Limits, Window};
    // The server allows 4 requests a second: the fifth is answered 429 and waited for.
    let server = FakeServer::start(FakeOptions {
        token: TOKEN.into(),
        limits: Limits {
            short: Window {
                max: 4,
                length: std::time::Duration::from_secs(1),
            },
            ..Limits::default()
        },
        ..Default::default()
    })
    .unwrap();
    let dir = temp_dir("trust");
    let root = dir.join("docs");
    tree(&root);
    let base = server.base_url();
    let path = root.to_str().unwrap();
    let run = prodoc(&server)
        .args(["import", path, "--project", "5", "--base-url", &base])
        .assert()
        .success();
    let (out, err) = output_of(&run);
    let top = state_page(&root.join(".prodoc-import.json"), ".");
    assert!(
        err.contains("prodoc: [1/4] created Docs (the top page)"),
        "{err}"
    );
    assert!(
        err.contains("prodoc: [2/4] created guide (guide/)"),
        "{err}"
    );
    assert!(
        err.contains("prodoc: [4/4] created Bee (guide/b.md)"),
        "{err}"
    );
    assert!(
        err.contains("prodoc: rate-limited, resuming in 1 s"),
        "{err}"
    );
    assert!(
        out.contains(&format!("top page: Docs (page {top})")),
        "{out}"
    );
    assert!(out.contains("created   A (guide/a.md)"), "{out}");
    assert!(out.contains("created   Docs (the top page)"), "{out}");
    assert!(!out.contains("(.)") && !err.contains(" .:"), "{out}{err}");
    // Again without --project: the state file's place; only the changed page is logged.
    fs::write(root.join("guide").join("a.md"), "# A\n\nText, changed.\n").unwrap();
    let run = prodoc(&server)
        .args(["import", path, "--base-url", &base])
        .assert()
        .success();
    let (out, err) = output_of(&run);
    assert!(out.contains("updated   A (guide/a.md)"), "{out}");
    assert!(out.contains("created 0, updated 1, unchanged 3"), "{out}");
    assert!(
        err.contains("prodoc: [3/4] updated A (guide/a.md)"),
        "{err}"
    );
    assert!(!err.contains("Bee"), "{err}");
    // A place is needed when the state file records none.
    let other_state = dir.join("other.json");
    let run = prodoc(&server)
        .args(["import", path, "--base-url", &base, "--state"])
        .arg(&other_state)
        .assert()
        .code(2);
    let (_, err) = output_of(&run);
    assert!(
        err.contains("--project") && err.contains("other.json"),
        "{err}"
    );
    for rate in ["0", "101"] {
        let run = prodoc(&server)
            .args(["import", path, "--base-url", &base, "--max-rate", rate])
            .assert()
            .code(2);
        let (_, err) = output_of(&run);
        assert!(err.contains(&format!("--max-rate {rate}")), "{err}");
    }
    prodoc(&server)
        .args(["import", path, "--base-url", &base, "--max-rate", "50"])
        .assert()
        .success();
}

/// Issue 15, item 8: a run that stops before its end (here the start-of-run listing of a re-run
/// is refused) still prints a summary, saying where what it wrote is recorded.
#[test]
fn a_run_stopped_by_a_failed_listing_still_prints_a_summary() {
    let server = server();
    let dir = temp_dir("stopped");
    let root = dir.join("docs");
    tree(&root);
    let base = server.base_url();
    prodoc(&server)
        .args(["import", root.to_str().unwrap(), "--project", "5"])
        .args(["--base-url", &base])
        .assert()
        .success();
    // Not retried (a 403 is not transient): the re-run's one listing of the Doc's pages fails.
    server.script("GET", "pages", prodoc_fake_productive::Scripted::Fail(403));
    let run = prodoc(&server)
        .args(["import", root.to_str().unwrap(), "--project", "5"])
        .args(["--base-url", &base])
        .assert()
        .failure();
    let (out, err) = output_of(&run);
    assert!(
        out.contains("import stopped before its end"),
        "{out}\n{err}"
    );
    assert!(out.contains(".prodoc-import.json"), "{out}");
    assert!(err.contains("HTTP 403"), "{err}");
}
