//! The import pipeline against the fake server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_fake_productive::{FakeOptions, FakePage, FakeServer, Faults, Scripted};
use prodoc_productive::pipeline::{
    convert, export, plan, upload, verify, Converted, ExportFormat, ExportRoot, Report, State,
    Transport, UploadOptions,
};
use prodoc_productive::{Client, Error, Limits};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

const PROJECT: &str = "77";

/// 60 Markdown files: 3 top folders, each with 2 subfolders; index files, front matter titles,
/// H1 titles and bare file names; one image file that is skipped.
fn make_tree(root: &Path) -> usize {
    let mut files = 0;
    let mut write = |path: &Path, text: String| {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        files += 1;
    };
    write(&root.join("README.md"), "# Handbook\n\nWelcome.\n".into());
    for a in 0..3 {
        let top = root.join(format!("part-{a}"));
        write(
            &top.join("index.md"),
            format!("---\ntitle: Part {a}\n---\n\nAbout part {a}.\n"),
        );
        for f in 0..5 {
            write(
                &top.join(format!("{f:02}-page.md")),
                format!("# Page {a}.{f}\n\nSome **bold** text and a [link](https://example.com/{f}).\n\n- one\n- two\n"),
            );
        }
        for b in 0..2 {
            let sub = top.join(format!("section-{b}"));
            for f in 0..6 {
                write(
                    &sub.join(format!("note-{f}.md")),
                    format!(
                        "Plain note {a}.{b}.{f}.\n\n> quoted\n\n```rust\nfn main() {{}}\n```\n"
                    ),
                );
            }
        }
    }
    // 1 + 3 * (1 + 5 + 2 * 6) = 55 so far; five more at the top.
    for f in 0..5 {
        write(
            &root.join(format!("top-{f}.md")),
            format!("Top {f} with ~~strike~~.\n"),
        );
    }
    fs::write(root.join("part-0").join("diagram.png"), b"\x89PNG").unwrap();
    files
}

/// A server with [`roomy`] limits (the rate limits have their own tests) and `faults`.
fn server_with(faults: Faults) -> FakeServer {
    let server = FakeServer::start(FakeOptions {
        limits: roomy(),
        ..FakeOptions::default()
    })
    .unwrap();
    server.set_faults(faults);
    server
}

/// A client with [`roomy`] limits.
fn client(server: &FakeServer) -> Client {
    Client::new(server.client_config(roomy()))
}

/// Limits far above Productive's, for tests that send many requests and test something else.
fn roomy() -> Limits {
    Limits {
        short: prodoc_productive::Window {
            max: 10_000,
            length: std::time::Duration::from_secs(10),
        },
        ..Limits::default()
    }
}

/// A server and a client with [`roomy`] limits.
fn roomy_server() -> (FakeServer, Client) {
    let server = server_with(Faults::default());
    let client = client(&server);
    (server, client)
}

fn options(state_file: Option<&Path>) -> UploadOptions {
    UploadOptions {
        project: PROJECT.into(),
        state_file: state_file.map(Path::to_path_buf),
        ..Default::default()
    }
}

fn converted(root: &Path, transport: Transport) -> Converted {
    convert(&plan(root).unwrap(), transport, false).unwrap()
}

/// The server's pages as (path of titles) -> body, to compare end states.
fn tree_of(pages: &[FakePage]) -> BTreeMap<String, String> {
    let by_id: BTreeMap<u64, &FakePage> = pages.iter().map(|p| (p.id, p)).collect();
    let mut tree = BTreeMap::new();
    for page in pages {
        let mut path = vec![page.title.clone()];
        let mut parent = page.parent_page_id;
        while let Some(id) = parent {
            let p = by_id[&id];
            path.push(p.title.clone());
            parent = p.parent_page_id;
        }
        path.reverse();
        let key = path.join(" / ");
        assert!(
            tree.insert(key.clone(), page.body.clone()).is_none(),
            "duplicate {key}"
        );
    }
    tree
}

#[test]
fn sixty_files_make_exactly_the_right_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("handbook");
    assert_eq!(make_tree(&root), 60);
    let plan = plan(&root).unwrap();
    // 60 files, of which 4 are folder bodies (README + 3 index), plus 6 folders without one.
    assert_eq!(plan.nodes.len(), 60 - 4 + 4 + 6);
    assert_eq!(plan.skipped.len(), 1);
    let converted = convert(&plan, Transport::Html, false).unwrap();
    let server = server_with(Faults::default());
    let client = client(&server);
    let mut state = State::default();
    let report = upload(&client, &converted, &options(None), &mut state).unwrap();
    assert_eq!(report.created.len(), plan.nodes.len(), "{report:?}");
    assert!(report.failed.is_empty());
    let pages = server.pages();
    assert_eq!(pages.len(), plan.nodes.len());
    let by_id: BTreeMap<u64, &FakePage> = pages.iter().map(|p| (p.id, p)).collect();
    for node in &plan.nodes {
        let id: u64 = state.pages[&node.key]
            .page_id
            .as_ref()
            .unwrap()
            .parse()
            .unwrap();
        let page = by_id[&id];
        assert_eq!(page.title, node.title);
        let parent = node.parent.map(|p| {
            state.pages[&plan.nodes[p].key]
                .page_id
                .as_ref()
                .unwrap()
                .parse::<u64>()
                .unwrap()
        });
        assert_eq!(page.parent_page_id, parent, "{}", node.key);
        // Only the Doc carries the project.
        let project = node.parent.is_none().then_some(PROJECT);
        assert_eq!(page.project_id.as_deref(), project);
    }
    // Titles: README's H1 for the root, front matter for parts, H1 for pages, names otherwise.
    let titles: BTreeSet<&str> = pages.iter().map(|p| p.title.as_str()).collect();
    for title in [
        "Handbook",
        "Part 1",
        "Page 2.4",
        "section-1",
        "note-3",
        "top-4",
    ] {
        assert!(titles.contains(title), "{title} missing from {titles:?}");
    }
    // The H1 that became the title is not in the body too.
    let page = pages.iter().find(|p| p.title == "Page 0.0").unwrap();
    assert!(!page.body.contains("Page 0.0"), "{}", page.body);
    // Siblings in file-name order: creation order among the root's children.
    let root_id = pages
        .iter()
        .find(|p| p.parent_page_id.is_none())
        .unwrap()
        .id;
    let children: Vec<&str> = pages
        .iter()
        .filter(|p| p.parent_page_id == Some(root_id))
        .map(|p| p.title.as_str())
        .collect();
    assert_eq!(
        children,
        ["Part 0", "Part 1", "Part 2", "top-0", "top-1", "top-2", "top-3", "top-4"]
    );
    // Markdown carried these documents: one create each, no extra body writes.
    let writes = server.log().iter().filter(|r| r.write).count();
    assert_eq!(writes, plan.nodes.len());
    let differences = verify(&client, &converted, &state).unwrap();
    assert!(differences.is_empty(), "{differences:#?}");
}

#[test]
fn rerun_writes_nothing_and_changes_update_exactly_those_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    make_tree(&root);
    let state_file = dir.path().join("state.json");
    let server = server_with(Faults::default());
    let client = client(&server);
    let mut state = State::load(&state_file).unwrap();
    upload(
        &client,
        &converted(&root, Transport::Html),
        &options(Some(&state_file)),
        &mut state,
    )
    .unwrap();
    server.clear_log();
    let mut state = State::load(&state_file).unwrap();
    let report = upload(
        &client,
        &converted(&root, Transport::Html),
        &options(Some(&state_file)),
        &mut state,
    )
    .unwrap();
    assert_eq!(report.unchanged.len(), 66);
    assert!(server.log().iter().all(|r| !r.write), "{:?}", server.log());
    for path in [
        "top-1.md",
        "part-2/03-page.md",
        "part-1/section-0/note-5.md",
    ] {
        fs::write(
            root.join(path),
            "# Changed\n\nNew text with a banner:\n\n> [!WARNING]\n> careful\n",
        )
        .unwrap();
    }
    server.clear_log();
    let mut state = State::load(&state_file).unwrap();
    let report = upload(
        &client,
        &converted(&root, Transport::Html),
        &options(Some(&state_file)),
        &mut state,
    )
    .unwrap();
    assert_eq!(report.updated.len(), 3, "{report:?}");
    assert_eq!(report.unchanged.len(), 63);
    let writes: BTreeSet<String> = server
        .log()
        .iter()
        .filter(|r| r.write)
        .map(|r| r.path.split('/').nth(1).unwrap().to_owned())
        .collect();
    assert_eq!(writes.len(), 3, "{:?}", server.log());
    assert_eq!(
        server
            .pages()
            .iter()
            .filter(|p| p.title == "Changed")
            .count(),
        3
    );
}

/// Images and links between files in the 60-file tree (the file count stays 60).
fn add_images_and_links(root: &Path) {
    fs::write(
        root.join("part-0").join("00-page.md"),
        "# Page 0.0\n\n![diagram](diagram.png) See [top 1](../top-1.md).\n",
    )
    .unwrap();
    fs::write(
        root.join("part-1").join("01-page.md"),
        "# Page 1.1\n\n![diagram](../part-0/diagram.png) and [page 0.0](../part-0/00-page.md).\n",
    )
    .unwrap();
    fs::write(
        root.join("top-3.md"),
        "Top 3, see [the section](part-2/section-1/note-2.md).\n",
    )
    .unwrap();
}

/// Issue 15, "done when": against 20% server errors (500, 502, 503, 504, not applied), 5% lost
/// replies and 3% errors after applying, one run of the 60-file tree with images and links ends
/// with every page, no duplicate, nothing untracked.
#[test]
fn twenty_percent_failures_no_duplicates_nothing_missing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    make_tree(&root);
    add_images_and_links(&root);
    let reference = {
        let server = server_with(Faults::default());
        let mut state = State::default();
        upload(
            &client(&server),
            &converted(&root, Transport::Html),
            &options(None),
            &mut state,
        )
        .unwrap();
        // Page ids differ between servers: mentions are compared by the page they name.
        normalise_ids(&tree_of(&server.pages()), &server.pages())
    };
    let server = server_with(Faults {
        server_errors: 0.20,
        lost_replies: 0.05,
        applied_errors: 0.03,
        ..Default::default()
    });
    let client = client(&server);
    let mut state = State::default();
    let converted = converted(&root, Transport::Html);
    let report = upload(&client, &converted, &options(None), &mut state).unwrap();
    assert!(report.failed.is_empty(), "{report:?}");
    assert_eq!(report.created.len(), 66);
    assert_eq!(
        normalise_ids(&tree_of(&server.pages()), &server.pages()),
        reference
    );
    // Nothing untracked: every page on the server is a page of the state.
    let tracked: BTreeSet<String> = state
        .pages
        .values()
        .filter_map(|e| e.page_id.clone())
        .collect();
    for page in server.pages() {
        assert!(tracked.contains(&page.id.to_string()), "untracked {page:?}");
    }
    // Every confirmed attachment is linked to a page that uses its address.
    for attachment in server.attachments().iter().filter(|a| a.url.is_some()) {
        let page = attachment.page_id.expect("linked");
        let body = server
            .pages()
            .into_iter()
            .find(|p| p.id == page)
            .unwrap()
            .body;
        assert!(body.contains(attachment.url.as_deref().unwrap()));
    }
    // And every page using a file has its own attachment of it, linked to it.
    let using: Vec<FakePage> = server
        .pages()
        .into_iter()
        .filter(|p| p.body.contains("files.productive.io"))
        .collect();
    assert_eq!(using.len(), 2);
    for page in using {
        assert!(
            server
                .attachments()
                .iter()
                .any(|a| a.page_id == Some(page.id)
                    && page.body.contains(a.url.as_deref().unwrap_or("-"))),
            "{page:?}"
        );
    }
    let log = server.log();
    assert!(
        log.iter().any(|r| r.status == 0 && r.applied),
        "no lost reply"
    );
    assert!(log.iter().any(|r| r.status == 500), "no 500");
    assert!(!report.recovered.is_empty());
    assert!(verify(&client, &converted, &state).unwrap().is_empty());
}

/// Page ids in mention attributes replaced by the titles of the pages they name.
fn normalise_ids(tree: &BTreeMap<String, String>, pages: &[FakePage]) -> BTreeMap<String, String> {
    tree.iter()
        .map(|(key, body)| {
            let mut body = body.clone();
            for page in pages {
                body = body.replace(
                    &format!("\"id\":\"{}\"", page.id),
                    &format!("\"id\":\"<{}>\"", page.title),
                );
            }
            (key.clone(), body)
        })
        .collect()
}

/// Issue 15, "done when": a plain tree (one Markdown create per page) costs at most 1.3
/// requests per page, reads included.
#[test]
fn a_plain_tree_costs_at_most_1_3_requests_per_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    plain_tree(&root, 6, 10);
    let server = server_with(Faults::default());
    let client = client(&server);
    let report = upload(
        &client,
        &converted(&root, Transport::Html),
        &options(None),
        &mut State::default(),
    )
    .unwrap();
    let pages = report.created.len();
    assert_eq!(pages, 1 + 6 + 60);
    let requests = server.log().len();
    println!("{requests} requests for {pages} pages");
    assert!(
        requests * 10 <= pages * 13,
        "{requests} requests for {pages} pages"
    );
}

/// `folders` folders of `files` pages each, with an index, headings, lists, links, bold.
fn plain_tree(root: &Path, folders: usize, files: usize) {
    fs::create_dir_all(root).unwrap();
    fs::write(root.join("README.md"), "# Handbook\n\nWelcome.\n").unwrap();
    for f in 0..folders {
        let dir = root.join(format!("folder-{f}"));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("index.md"), format!("# Folder {f}\n\nAbout it.\n")).unwrap();
        for p in 0..files {
            fs::write(
                dir.join(format!("page-{p:03}.md")),
                format!("# Page {f}.{p}\n\n## Part\n\nSome **bold** and a [link](https://example.com/{p}).\n\n- one\n- two\n"),
            )
            .unwrap();
        }
    }
}

/// The figures of the issue's note: requests and time of a 1,000-page import against the
/// stand-in, under Productive's rate limits. Slow by design (the limits): run with
/// `cargo test -p prodoc-productive --test pipeline -- --ignored --nocapture thousand`.
#[test]
#[ignore = "a measurement (about two minutes under the rate limits), not a check"]
fn thousand_pages_measured() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    plain_tree(&root, 9, 110);
    let converted = converted(&root, Transport::Html);
    let server = FakeServer::start(FakeOptions::default()).unwrap();
    let client = Client::new(server.client_config(Limits::default()));
    let started = std::time::Instant::now();
    let report = upload(&client, &converted, &options(None), &mut State::default()).unwrap();
    let elapsed = started.elapsed();
    let pages = report.created.len();
    let requests = server.log().len();
    println!(
        "{pages} pages: {requests} requests ({:.3} per page), {:.1} s, 429s: {}",
        requests as f64 / pages as f64,
        elapsed.as_secs_f64(),
        server.log().iter().filter(|r| r.status == 429).count()
    );
    assert!(report.failed.is_empty());
}

fn run_to_completion(
    server: &FakeServer,
    converted: &Converted,
    state_file: &Path,
    budget: u64,
) -> (usize, Report) {
    let mut runs = 0;
    loop {
        runs += 1;
        assert!(runs < 1000);
        let client = Client::new(server.client_config(roomy())).with_request_budget(budget);
        let mut state = State::load(state_file).unwrap();
        // Every run converts again in real life; the result is the same, so it is reused.
        match upload(&client, converted, &options(Some(state_file)), &mut state) {
            Ok(report) => return (runs, report),
            Err(Error::BudgetSpent) => {}
            Err(other) => panic!("{other}"),
        }
    }
}

#[test]
fn killed_runs_resume_to_the_same_end_state() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    make_tree(&root);
    // A centred paragraph needs a second request (replace_body_with_html), so kills fall between
    // create and body too.
    fs::write(
        root.join("top-2.md"),
        "<p style=\"text-align: center\">centred</p>\n",
    )
    .unwrap();
    // A link to a page made later: one more body write at the end of a complete run.
    fs::write(
        root.join("part-0").join("00-page.md"),
        "# Page 0.0\n\nSee [top 4](../top-4.md).\n",
    )
    .unwrap();
    let reference = {
        let server = server_with(Faults::default());
        upload(
            &client(&server),
            &converted(&root, Transport::Html),
            &options(None),
            &mut State::default(),
        )
        .unwrap();
        tree_of(&server.pages())
    };
    assert_eq!(
        reference
            .values()
            .filter(|b| b.contains("\"mention\""))
            .count(),
        1
    );
    let converted = converted(&root, Transport::Html);
    // Every later run reads twice before its first write (the Doc, then the listing of its
    // pages), so a run allowed two requests never gets to write: the smallest budget is 3.
    for budget in [3, 4, 6, 17] {
        // Hundreds of short runs: roomy limits keep the test quick.
        let (server, _) = roomy_server();
        let state_file = dir.path().join(format!("state-{budget}.json"));
        let (runs, report) = run_to_completion(&server, &converted, &state_file, budget);
        assert!(runs > 1, "budget {budget} never stopped a run");
        assert!(report.failed.is_empty());
        assert_eq!(tree_of(&server.pages()), reference, "budget {budget}");
    }
}

#[test]
fn body_transport_is_exact_and_object_bodies_are_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("one.md");
    fs::write(&root, "---\ntitle: Exact\n---\n\n> [!TIP]\n> a tip with <u>underline</u>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n").unwrap();
    let server = server_with(Faults::default());
    let client = client(&server);
    let converted = converted(&root, Transport::Body);
    let mut state = State::default();
    let report = upload(&client, &converted, &options(None), &mut state).unwrap();
    assert_eq!(report.created, ["one.md"]);
    let pages = server.pages();
    assert_eq!(pages[0].body, converted.pages[0].body.clone().unwrap());
    assert!(verify(&client, &converted, &state).unwrap().is_empty());
}

#[test]
fn html_transport_replaces_the_body_when_markdown_loses() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("one.md");
    // Markdown needs an HTML fallback for columns: the HTML endpoint carries them.
    fs::write(
        &root,
        "# Rich\n\n<div data-columns><div data-column><p>a</p></div><div data-column><p>b</p></div></div>\n",
    )
    .unwrap();
    let server = server_with(Faults::default());
    let client = client(&server);
    let converted = converted(&root, Transport::Html);
    assert!(converted.pages[0].needs_html);
    let mut state = State::default();
    upload(&client, &converted, &options(None), &mut state).unwrap();
    let paths: Vec<String> = server
        .log()
        .iter()
        .filter(|r| r.write)
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(paths.len(), 2);
    assert_eq!(paths[0], "pages/create_with_markdown");
    assert!(paths[1].ends_with("/replace_body_with_html"));
    assert!(
        server.pages()[0].body.contains("columns"),
        "{}",
        server.pages()[0].body
    );
    assert!(verify(&client, &converted, &state).unwrap().is_empty());
}

#[test]
fn verify_reports_a_changed_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("one.md");
    fs::write(&root, "Hello.\n").unwrap();
    let server = server_with(Faults::default());
    let client = client(&server);
    let mut converted = converted(&root, Transport::Html);
    let mut state = State::default();
    upload(&client, &converted, &options(None), &mut state).unwrap();
    converted.pages[0].doc =
        prodoc_core::build::doc(vec![prodoc_core::build::p(vec![prodoc_core::build::text(
            "Goodbye.",
        )])]);
    let differences = verify(&client, &converted, &state).unwrap();
    assert_eq!(differences.len(), 1, "{differences:?}");
    assert_eq!(differences[0].pointer, "/content/0/content/0/text");
}

#[test]
fn removed_sources_are_reported_then_pruned() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    make_tree(&root);
    let server = server_with(Faults::default());
    let client = client(&server);
    let mut state = State::default();
    upload(
        &client,
        &converted(&root, Transport::Html),
        &options(None),
        &mut state,
    )
    .unwrap();
    fs::remove_dir_all(root.join("part-1")).unwrap();
    fs::remove_file(root.join("top-0.md")).unwrap();
    let report = upload(
        &client,
        &converted(&root, Transport::Html),
        &options(None),
        &mut state,
    )
    .unwrap();
    assert_eq!(report.removed.len(), 1 + 1 + 5 + 2 + 12);
    assert_eq!(server.pages().len(), 66);
    let prune = UploadOptions {
        prune: true,
        ..options(None)
    };
    server.clear_log();
    let report = upload(
        &client,
        &converted(&root, Transport::Html),
        &prune,
        &mut state,
    )
    .unwrap();
    assert_eq!(report.deleted.len(), 21);
    // Only the two topmost gone pages were deleted; their subpages went with them.
    assert_eq!(
        server.log().iter().filter(|r| r.method == "DELETE").count(),
        2
    );
    assert_eq!(server.pages().len(), 66 - 21);
}

#[test]
fn import_under_a_page_and_keep_going() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    make_tree(&root);
    let server = server_with(Faults::default());
    let parent = server.insert_page("Existing", Some(PROJECT), None);
    let client = client(&server);
    let options = UploadOptions {
        parent_page: Some(parent.to_string()),
        ..options(None)
    };
    let report = upload(
        &client,
        &converted(&root, Transport::Markdown),
        &options,
        &mut State::default(),
    )
    .unwrap();
    assert_eq!(report.created.len(), 66);
    let pages = server.pages();
    assert!(pages
        .iter()
        .all(|p| p.id == parent || p.root_page_id == Some(parent)));
}

/// Issue 15, item 6: subpages carry no project, so a project's pages are found through its
/// Docs (the stand-in answers `filter[project_id]` with the Docs only, as the API does).
#[test]
fn export_mirrors_the_tree_and_imports_back() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    make_tree(&root);
    let server = server_with(Faults::default());
    let client = client(&server);
    upload(
        &client,
        &converted(&root, Transport::Html),
        &options(None),
        &mut State::default(),
    )
    .unwrap();
    let before = tree_of(&server.pages());
    let out = dir.path().join("out");
    let report = export(
        &client,
        &ExportRoot::Project(PROJECT.into()),
        &out,
        ExportFormat::Markdown,
    )
    .unwrap();
    assert_eq!(report.written.len(), 66);
    assert!(out.join("Handbook").join("index.md").exists());
    assert!(out
        .join("Handbook")
        .join("Part 0")
        .join("section-1")
        .join("note-2.md")
        .exists());
    // Import the export into another project: the same tree comes out.
    let again = server_with(Faults::default());
    upload(
        &Client::new(again.client_config(Limits::default())),
        &converted(&out.join("Handbook"), Transport::Html),
        &options(None),
        &mut State::default(),
    )
    .unwrap();
    assert_eq!(tree_of(&again.pages()), before);
    for (format, ext) in [(ExportFormat::Json, "json"), (ExportFormat::Html, "html")] {
        let out = dir.path().join(ext);
        let root_id = server
            .pages()
            .iter()
            .find(|p| p.title == "Part 2")
            .unwrap()
            .id;
        let report = export(
            &client,
            &ExportRoot::Page(root_id.to_string()),
            &out,
            format,
        )
        .unwrap();
        assert_eq!(report.written.len(), 1 + 5 + 2 + 12);
        assert!(out.join("Part 2").join(format!("index.{ext}")).exists());
    }
}

#[test]
fn the_token_never_shows() {
    let token = "tok-SECRET-8c1f";
    let server = FakeServer::start(FakeOptions {
        token: token.into(),
        ..Default::default()
    })
    .unwrap();
    server.set_faults(Faults {
        server_errors: 0.1,
        drops: 0.05,
        lost_replies: 0.05,
        ..Default::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    make_tree(&root);
    let state_file = dir.path().join("state.json");
    let client = client(&server);
    let mut seen = format!("{client:?} {:?}", client.config());
    let mut state = State::default();
    let report = upload(
        &client,
        &converted(&root, Transport::Html),
        &options(Some(&state_file)),
        &mut state,
    )
    .unwrap();
    seen += &format!("{report:?} {state:?}");
    seen += &fs::read_to_string(&state_file).unwrap();
    // Errors, in both forms.
    let error = client.get_page("123456").unwrap_err();
    seen += &format!("{error} {error:?}");
    let mut wrong = server.client_config(Limits::default());
    wrong.token = prodoc_productive::Token::new(format!("{token}-wrong"));
    let error = Client::new(wrong).get_page("1").unwrap_err();
    seen += &format!("{error} {error:?}");
    assert!(!seen.contains("SECRET"), "{seen}");
}

#[test]
fn local_images_and_file_links_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    fs::create_dir_all(&root).unwrap();
    fs::write(
        root.join("a.md"),
        "See ![chart](chart.png) and [c](c.md#part), [web](https://x.org/b.md).\n",
    )
    .unwrap();
    fs::write(root.join("b.md"), "B.\n").unwrap();
    let converted = converted(&root, Transport::Html);
    let codes: Vec<(&str, prodoc_core::Code)> = converted
        .warnings
        .iter()
        .map(|(key, d)| (key.as_str(), d.code))
        .collect();
    assert_eq!(
        codes,
        [
            ("a.md", prodoc_core::codes::LOCAL_FILE_NOT_FOUND),
            ("a.md", prodoc_core::codes::FILE_LINK_KEPT)
        ]
    );
    assert!(converted.warnings[0].1.pointer.is_some());
}

#[test]
fn replies_slower_than_the_timeout_make_no_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    fs::create_dir_all(root.join("sub")).unwrap();
    for i in 0..8 {
        fs::write(root.join(format!("p{i}.md")), format!("Page {i}.\n")).unwrap();
        fs::write(
            root.join("sub").join(format!("q{i}.md")),
            format!("Sub {i}.\n"),
        )
        .unwrap();
    }
    let server = server_with(Faults {
        slow: 0.2,
        slow_delay: std::time::Duration::from_millis(400),
        ..Default::default()
    });
    let mut config = server.client_config(Limits::default());
    config.timeout = std::time::Duration::from_millis(150);
    let client = Client::new(config);
    let report = upload(
        &client,
        &converted(&root, Transport::Html),
        &options(None),
        &mut State::default(),
    )
    .unwrap();
    assert!(report.failed.is_empty(), "{report:?}");
    assert_eq!(server.pages().len(), 1 + 8 + 1 + 8);
    tree_of(&server.pages());
    assert!(!report.recovered.is_empty(), "no slow create was drawn");
}

#[test]
fn local_images_become_attachments() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    fs::create_dir_all(root.join("img")).unwrap();
    fs::write(root.join("img").join("chart.png"), b"\x89PNG one").unwrap();
    fs::write(
        root.join("a.md"),
        "# A\n\n![chart](img/chart.png) and ![gone](img/missing.png)\n",
    )
    .unwrap();
    fs::write(root.join("b.md"), "Again: ![chart](img/chart.png)\n").unwrap();
    let server = server_with(Faults::default());
    let client = client(&server);
    let mut state = State::default();
    let converted = converted(&root, Transport::Html);
    let missing: Vec<prodoc_core::Code> = converted
        .warnings
        .iter()
        .map(|(_, d)| d.code)
        .filter(|c| *c == prodoc_core::codes::LOCAL_FILE_NOT_FOUND)
        .collect();
    assert_eq!(missing.len(), 1);
    let report = upload(&client, &converted, &options(None), &mut state).unwrap();
    assert!(report.failed.is_empty(), "{report:?}");
    // An attachment belongs to one page: the file both pages use is uploaded for each, and
    // each is linked to its page.
    let attachments = server.attachments();
    assert_eq!(attachments.len(), 2, "{attachments:?}");
    assert!(server
        .stored_files()
        .values()
        .all(|file| file == b"\x89PNG one"));
    let pages = server.pages();
    let a = pages.iter().find(|p| p.title == "A").unwrap();
    let b = pages.iter().find(|p| p.title == "b").unwrap();
    for (attachment, page) in attachments.iter().zip([a, b]) {
        assert_eq!(attachment.page_id, Some(page.id));
        assert!(
            page.body.contains(attachment.url.as_deref().unwrap()),
            "{}",
            page.body
        );
    }
    assert!(a.body.contains("img/missing.png"));
    assert!(verify(&client, &converted, &state).unwrap().is_empty());
    // Nothing changed: nothing sent. A changed image: one upload per page, both updated.
    server.clear_log();
    upload(&client, &converted, &options(None), &mut state).unwrap();
    assert!(server.log().iter().all(|r| !r.write));
    fs::write(root.join("img").join("chart.png"), b"\x89PNG two").unwrap();
    let converted = converted_again(&root);
    let report = upload(&client, &converted, &options(None), &mut state).unwrap();
    assert_eq!(report.updated.len(), 2, "{report:?}");
    let attachments = server.attachments();
    assert_eq!(attachments.len(), 4);
    assert_eq!(attachments[2].page_id, Some(a.id));
    assert_eq!(attachments[3].page_id, Some(b.id));
}

/// Issue 15, item 7: an upload made for a create that failed is linked when a later run makes
/// the page; two spellings of one path are one file.
#[test]
fn attachments_of_a_failed_create_are_linked_on_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    fs::create_dir_all(root.join("img")).unwrap();
    fs::create_dir_all(root.join("ops")).unwrap();
    fs::write(root.join("img").join("logo.png"), b"\x89PNG logo").unwrap();
    fs::write(
        root.join("a.md"),
        "# A\n\n![logo](img/logo.png) ![again](ops/../img/logo.png)\n",
    )
    .unwrap();
    let server = server_with(Faults::default());
    // The Doc first (a folder without an index: the empty document), then a.md's create fails.
    server.script("POST", "pages/create_with_markdown", Scripted::Fail(422));
    let client = client(&server);
    let mut state = State::default();
    let converted = converted(&root, Transport::Html);
    let report = upload(&client, &converted, &options(None), &mut state).unwrap();
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert_eq!(server.attachments().len(), 1, "one file, one upload");
    assert_eq!(server.attachments()[0].page_id, None);
    let report = upload(&client, &converted, &options(None), &mut state).unwrap();
    assert_eq!(report.created, ["a.md"], "{report:?}");
    let attachments = server.attachments();
    assert_eq!(attachments.len(), 1, "not uploaded again");
    let a = server.pages().into_iter().find(|p| p.title == "A").unwrap();
    assert_eq!(attachments[0].page_id, Some(a.id));
    assert!(verify(&client, &converted, &state).unwrap().is_empty());
}

fn converted_again(root: &Path) -> Converted {
    converted(root, Transport::Html)
}

#[test]
fn an_invalid_document_stops_the_run_unless_keep_going() {
    use prodoc_productive::pipeline::{Plan, PlanNode};
    let good =
        prodoc_core::build::doc(vec![prodoc_core::build::p(vec![prodoc_core::build::text(
            "ok",
        )])]);
    // An empty text node: not valid in the format.
    let bad = prodoc_core::build::doc(vec![prodoc_core::build::p(vec![prodoc_core::build::text(
        "",
    )])]);
    assert!(!prodoc_core::validate(&bad).is_empty());
    let node = |key: &str, doc: &prodoc_core::Doc, parent| PlanNode {
        key: key.into(),
        source: None,
        title: key.into(),
        doc: doc.clone(),
        diagnostics: Vec::new(),
        parent,
    };
    let plan = Plan {
        root: "docs".into(),
        nodes: vec![
            node(".", &good, None),
            node("bad/", &bad, Some(0)),
            node("bad/child.md", &good, Some(1)),
            node("fine.md", &good, Some(0)),
        ],
        skipped: Vec::new(),
    };
    let error = convert(&plan, Transport::Html, false).unwrap_err();
    assert!(matches!(error, Error::Convert { .. }), "{error}");
    let converted = convert(&plan, Transport::Html, true).unwrap();
    let failed: Vec<&str> = converted.failures.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(failed, ["bad/", "bad/child.md"]);
    let server = server_with(Faults::default());
    let report = upload(
        &client(&server),
        &converted,
        &options(None),
        &mut State::default(),
    )
    .unwrap();
    assert_eq!(report.created, [".", "fine.md"]);
    assert_eq!(report.failed.len(), 2);
    // Nothing was sent for the failed pages.
    assert_eq!(server.pages().len(), 2);
}

fn mentions(body: &str) -> Vec<(String, String)> {
    let doc = prodoc_core::json::from_str(body).unwrap();
    doc.walk()
        .filter_map(|visit| match visit.node {
            prodoc_core::NodeRef::Inline(prodoc_core::Inline::Mention(m)) => {
                Some((m.id.clone(), m.label.clone()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn links_between_files_become_page_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::write(
        root.join("a.md"),
        "# A\n\nSee [page B](b.md) and [the sub part](sub/README.md).\n",
    )
    .unwrap();
    fs::write(
        root.join("b.md"),
        "# B\n\nBack to [**A** again](./a.md#top).\n",
    )
    .unwrap();
    fs::write(root.join("sub").join("README.md"), "# Sub\n").unwrap();
    fs::write(
        root.join("sub").join("c.md"),
        "# C\n\n[Up](../a.md), [nowhere](../zzz.md)\n",
    )
    .unwrap();
    let converted = converted(&root, Transport::Html);
    assert_eq!(converted.warnings.len(), 1, "{:?}", converted.warnings);
    let server = server_with(Faults::default());
    let client = client(&server);
    let mut state = State::default();
    let report = upload(&client, &converted, &options(None), &mut state).unwrap();
    assert_eq!(report.created.len(), 5, "{report:?}");
    assert!(report.updated.is_empty(), "{report:?}");
    let id = |key: &str| state.pages[key].page_id.clone().unwrap();
    eprintln!(
        "DEBUG {:?}",
        server
            .log()
            .iter()
            .map(|r| r.path.clone())
            .collect::<Vec<_>>()
    );
    eprintln!("DEBUG {:?}", server.pages());
    let body = |key: &str| {
        let id: u64 = id(key).parse().unwrap();
        server
            .pages()
            .into_iter()
            .find(|p| p.id == id)
            .unwrap()
            .body
    };
    assert_eq!(
        mentions(&body("a.md")),
        [
            (id("b.md"), "page B".to_owned()),
            (id("sub/"), "the sub part".to_owned())
        ]
    );
    // One mention for a link over several text nodes, labelled with all of their text.
    assert_eq!(
        mentions(&body("b.md")),
        [(id("a.md"), "A again".to_owned())]
    );
    assert_eq!(mentions(&body("sub/c.md")), [(id("a.md"), "Up".to_owned())]);
    assert!(body("sub/c.md").contains("../zzz.md"));
    // b.md and sub/c.md link to a page that exists when they are made: a mention, which the
    // Markdown endpoint cannot carry, so their bodies go as HTML after the create. a.md was
    // written before B and Sub existed: once more after, and only it.
    let writes = server.log().iter().filter(|r| r.write).count();
    assert_eq!(writes, 5 + 2 + 1);
    assert!(verify(&client, &converted, &state).unwrap().is_empty());
    server.clear_log();
    let report = upload(&client, &converted, &options(None), &mut state).unwrap();
    assert_eq!(report.unchanged.len(), 5);
    assert!(server.log().iter().all(|r| !r.write));
    // The Markdown transport cannot carry mentions: links stay, with a warning each.
    let markdown = converted_markdown(&root);
    assert_eq!(markdown.warnings.len(), 5, "{:?}", markdown.warnings);
}

fn converted_markdown(root: &Path) -> Converted {
    converted(root, Transport::Markdown)
}

#[test]
fn a_state_file_of_another_project_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("one.md");
    fs::write(&root, "Hi.\n").unwrap();
    let server = server_with(Faults::default());
    let client = client(&server);
    let mut state = State::default();
    upload(
        &client,
        &converted(&root, Transport::Html),
        &options(None),
        &mut state,
    )
    .unwrap();
    let elsewhere = UploadOptions {
        project: "78".into(),
        ..options(None)
    };
    let error = upload(
        &client,
        &converted(&root, Transport::Html),
        &elsewhere,
        &mut state,
    )
    .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error}");
    assert_eq!(server.pages().len(), 1);
}

fn body_of(server: &FakeServer, state: &State, key: &str) -> String {
    let id: u64 = state.pages[key].page_id.as_ref().unwrap().parse().unwrap();
    server
        .pages()
        .into_iter()
        .find(|p| p.id == id)
        .unwrap()
        .body
}

/// Issue 15, item 3: after a lost reply, the look-up must not take a colleague's older page of
/// the same title under the same parent.
#[test]
fn a_colleagues_page_of_the_same_title_is_never_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("meeting.md");
    fs::write(&root, "# Meeting notes\n\nOurs.\n").unwrap();
    let server = server_with(Faults::default());
    let theirs = server.insert_page("Meeting notes", Some(PROJECT), None);
    let before = server.pages();
    server.script("POST", "pages/create_with_markdown", Scripted::LoseReply);
    let client = client(&server);
    let mut state = State::default();
    let report = upload(
        &client,
        &converted(&root, Transport::Html),
        &options(None),
        &mut state,
    )
    .unwrap();
    assert_eq!(report.created, ["meeting.md"], "{report:?}");
    assert_eq!(report.recovered, ["meeting.md"]);
    let ours = state.pages["meeting.md"].page_id.clone().unwrap();
    assert_ne!(ours, theirs.to_string());
    // Their page is as it was; ours holds our body; nothing else exists.
    let pages = server.pages();
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert_eq!(pages.iter().find(|p| p.id == theirs), before.first());
    assert!(body_of(&server, &state, "meeting.md").contains("Ours."));
}

/// Issue 15, item 3: a create left uncertain with no recorded time cannot be told from a
/// colleague's page: the source stops with a clear message and nothing is written.
#[test]
fn an_unprovable_page_stops_that_source_only() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    fs::create_dir_all(&root).unwrap();
    fs::write(root.join("README.md"), "# Docs\n").unwrap();
    fs::write(root.join("meeting.md"), "# Meeting notes\n\nOurs.\n").unwrap();
    fs::write(root.join("other.md"), "# Other\n").unwrap();
    let server = server_with(Faults::default());
    let client = client(&server);
    let mut state = State::default();
    let converted = converted(&root, Transport::Html);
    upload(&client, &converted, &options(None), &mut state).unwrap();
    let docs = state.pages["."].page_id.clone().unwrap();
    // As an older version left it: the create's outcome unknown, no time recorded, and a
    // colleague's page of that title there.
    let ours = state.pages["meeting.md"].page_id.clone().unwrap();
    server.remove_page(ours.parse().unwrap());
    let theirs = server.insert_page("Meeting notes", None, Some(docs.parse().unwrap()));
    let entry = state.pages.get_mut("meeting.md").unwrap();
    entry.page_id = None;
    entry.hash = None;
    entry.attempted_at = None;
    fs::write(root.join("other.md"), "# Other\n\nChanged.\n").unwrap();
    let converted = convert(&plan(&root).unwrap(), Transport::Html, false).unwrap();
    server.clear_log();
    let report = upload(&client, &converted, &options(None), &mut state).unwrap();
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert_eq!(report.failed[0].0, "meeting.md");
    assert!(
        report.failed[0].1.contains("nothing proves"),
        "{}",
        report.failed[0].1
    );
    assert_eq!(report.updated, ["other.md"]);
    let theirs_now = server.pages().into_iter().find(|p| p.id == theirs).unwrap();
    assert_eq!(theirs_now.title, "Meeting notes");
    assert!(!theirs_now.body.contains("Ours"));
    assert!(server
        .log()
        .iter()
        .filter(|r| r.write)
        .all(|r| !r.path.contains(&theirs.to_string()) && !r.path.contains("create")));
}

/// Issue 15, item 8: a create answered 500 after the server made the page is found, not
/// made twice; a 500 on a read is retried.
#[test]
fn a_create_answered_500_after_applying_is_found_not_repeated() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    fs::create_dir_all(&root).unwrap();
    fs::write(root.join("README.md"), "# Docs\n\nHello.\n").unwrap();
    fs::write(root.join("a.md"), "# A\n\nText.\n").unwrap();
    let server = server_with(Faults::default());
    server.script("POST", "pages/create_with_markdown", Scripted::Pass);
    server.script(
        "POST",
        "pages/create_with_markdown",
        Scripted::FailAfterApplying(500),
    );
    server.script("GET", "pages", Scripted::Fail(500));
    let client = client(&server);
    let mut state = State::default();
    let report = upload(
        &client,
        &converted(&root, Transport::Html),
        &options(None),
        &mut state,
    )
    .unwrap();
    assert!(report.failed.is_empty(), "{report:?}");
    assert_eq!(report.created, [".", "a.md"]);
    assert_eq!(report.recovered, ["a.md"]);
    tree_of(&server.pages());
    assert_eq!(server.pages().len(), 2);
}

/// Issue 15, item 8: a page that fails does not stop the run; its subpages are not tried, the
/// other pages are written.
#[test]
fn a_failed_page_fails_its_subtree_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    fs::create_dir_all(root.join("b")).unwrap();
    fs::write(root.join("README.md"), "# Docs\n\nHello.\n").unwrap();
    fs::write(root.join("a.md"), "# A\n\nText.\n").unwrap();
    fs::write(root.join("b").join("index.md"), "# B\n\nText.\n").unwrap();
    fs::write(root.join("b").join("c.md"), "# C\n\nText.\n").unwrap();
    fs::write(root.join("d.md"), "# D\n\nText.\n").unwrap();
    let server = server_with(Faults::default());
    // Creates in plan order: ".", "a.md", "b/" (refused), "d.md", then "b/c.md".
    for fault in [Scripted::Pass, Scripted::Pass, Scripted::Fail(422)] {
        server.script("POST", "pages/create_with_markdown", fault);
    }
    let mut state = State::default();
    let report = upload(
        &client(&server),
        &converted(&root, Transport::Html),
        &options(None),
        &mut state,
    )
    .unwrap();
    assert_eq!(report.created, [".", "a.md", "d.md"], "{report:?}");
    let failed: Vec<&str> = report.failed.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(failed, ["b/", "b/c.md"]);
    assert!(report.failed[1].1.contains("parent page b/ failed"));
    assert_eq!(server.pages().len(), 3);
    // Refused, so nothing is pending for the next run.
    assert!(!state.pages.contains_key("b/"));
}

/// Issue 15, item 9: empty pages (a folder without an index, a file with only a title) are
/// made as the empty document, and a page emptied later is written as HTML: never an empty
/// Markdown text, which the endpoints refuse.
#[test]
fn empty_pages_are_sent_as_the_empty_document() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    fs::create_dir_all(root.join("folder")).unwrap();
    fs::write(
        root.join("folder").join("title-only.md"),
        "# Only a title\n",
    )
    .unwrap();
    fs::write(root.join("full.md"), "# Full\n\nText.\n").unwrap();
    for transport in [Transport::Html, Transport::Markdown] {
        let server = server_with(Faults::default());
        let client = client(&server);
        let mut state = State::default();
        let report = upload(
            &client,
            &converted(&root, transport),
            &options(None),
            &mut state,
        )
        .unwrap();
        assert!(report.failed.is_empty(), "{transport:?} {report:?}");
        assert_eq!(report.created.len(), 4);
        fs::write(root.join("full.md"), "# Full\n").unwrap();
        let emptied = converted(&root, transport);
        let report = upload(&client, &emptied, &options(None), &mut state).unwrap();
        assert_eq!(report.updated, ["full.md"], "{transport:?} {report:?}");
        for request in server.log().iter().filter(|r| r.write) {
            assert!(
                !request.body.contains(r#""markdown":"""#) && request.status < 300,
                "{request:?}"
            );
        }
        assert!(verify(&client, &emptied, &state).unwrap().is_empty());
        fs::write(root.join("full.md"), "# Full\n\nText.\n").unwrap();
    }
}

/// Issue 15, item 10: a changed title alone is one title write, the body left alone.
#[test]
fn a_changed_title_alone_writes_only_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("one.md");
    fs::write(&root, "# Old title\n\nBody <u>underlined</u>.\n").unwrap();
    let server = server_with(Faults::default());
    let client = client(&server);
    let mut state = State::default();
    upload(
        &client,
        &converted(&root, Transport::Html),
        &options(None),
        &mut state,
    )
    .unwrap();
    fs::write(&root, "# New title\n\nBody <u>underlined</u>.\n").unwrap();
    server.clear_log();
    let converted = converted(&root, Transport::Html);
    let report = upload(&client, &converted, &options(None), &mut state).unwrap();
    assert_eq!(report.updated, ["one.md"]);
    let writes: Vec<_> = server.log().into_iter().filter(|r| r.write).collect();
    assert_eq!(writes.len(), 1, "{writes:?}");
    let id = state.pages["one.md"].page_id.clone().unwrap();
    assert_eq!(writes[0].method, "PATCH");
    assert_eq!(writes[0].path, format!("pages/{id}"));
    assert!(writes[0].body.contains("New title"));
    assert!(!writes[0].body.contains("body"), "{}", writes[0].body);
    assert!(verify(&client, &converted, &state).unwrap().is_empty());
}

/// Issue 15, item 1: what the Markdown endpoints do not support (2026 import guide) never
/// reaches them: page links (mentions), source mentions, banners, underline, columns go
/// through `replace_body_with_html`. The test reads what the server received.
#[test]
fn no_markdown_request_holds_what_the_endpoint_cannot_show() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::write(root.join("README.md"), "# Docs\n\nSee [a](a.md).\n").unwrap();
    fs::write(
        root.join("a.md"),
        "# A\n\nBack to [docs](README.md) and [b](sub/b.md).\n",
    )
    .unwrap();
    fs::write(
        root.join("sub").join("b.md"),
        "# B\n\nAsk @[person:5:Ann].\n",
    )
    .unwrap();
    fs::write(root.join("sub").join("c.md"), "> [!WARNING]\n> careful\n").unwrap();
    fs::write(
        root.join("sub").join("d.md"),
        "Some <u>underlined</u> words.\n",
    )
    .unwrap();
    fs::write(
        root.join("sub").join("e.md"),
        "<div data-columns><div data-column><p>x</p></div><div data-column><p>y</p></div></div>\n",
    )
    .unwrap();
    fs::write(
        root.join("sub").join("plain.md"),
        "# Plain\n\n- a **b** [c](https://x.org)\n",
    )
    .unwrap();
    let server = server_with(Faults::default());
    let client = client(&server);
    let converted = converted(&root, Transport::Html);
    let mut state = State::default();
    let report = upload(&client, &converted, &options(None), &mut state).unwrap();
    assert!(report.failed.is_empty(), "{report:?}");
    let log = server.log();
    let markdown: Vec<_> = log
        .iter()
        .filter(|r| r.path.ends_with("markdown"))
        .collect();
    // One create each, but for the empty folder page `sub/` (made as the empty document).
    assert_eq!(markdown.len(), 7, "{markdown:?}");
    for request in markdown {
        for banned in ["@[", "[!WARNING]", "<u>", "data-column", "mention"] {
            assert!(
                !request.body.contains(banned),
                "{banned} in {}",
                request.body
            );
        }
    }
    // Each page outside the profile had its body replaced as HTML; the plain one did not.
    let html = log
        .iter()
        .filter(|r| r.path.ends_with("replace_body_with_html"))
        .count();
    assert!(html >= 6, "{html}");
    assert!(!log.iter().any(|r| r.path
        == format!(
            "pages/{}/replace_body_with_html",
            state.pages["sub/plain.md"].page_id.as_ref().unwrap()
        )));
    assert!(verify(&client, &converted, &state).unwrap().is_empty());
    assert_eq!(mentions(&body_of(&server, &state, "sub/b.md")).len(), 1);
}

/// Issue 15, item 11: two runs on one state file cannot both write; a lock left by a run that
/// died is taken over.
#[test]
fn two_runs_on_one_state_file_cannot_both_write() {
    use prodoc_productive::pipeline::StateLock;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    make_tree(&root);
    let state_file = dir.path().join("state.json");
    let server = server_with(Faults::default());
    let converted = converted(&root, Transport::Html);
    // Held by another run: refused, nothing sent.
    let held = StateLock::acquire(&state_file).unwrap();
    let error = upload(
        &client(&server),
        &converted,
        &options(Some(&state_file)),
        &mut State::default(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("another import"), "{error}");
    assert!(server.log().is_empty());
    drop(held);
    // Two at once: one writes everything, the other is refused; no page twice.
    let outcomes: Vec<Result<Report, Error>> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    upload(
                        &client(&server),
                        &converted,
                        &options(Some(&state_file)),
                        &mut State::default(),
                    )
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let done: Vec<&Report> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
    if done.len() == 1 {
        assert_eq!(done[0].created.len(), 66);
    } else {
        // The second started after the first had finished: it found everything made.
        assert_eq!(done.len(), 2);
        assert_eq!(done[0].created.len() + done[1].created.len(), 66);
    }
    tree_of(&server.pages());
    assert_eq!(server.pages().len(), 66);
    // A lock file left by a run that died is stale: the next run takes it over.
    fs::write(dir.path().join("state.json.lock"), "").unwrap();
    let report = upload(
        &client(&server),
        &converted,
        &options(Some(&state_file)),
        &mut State::default(),
    )
    .unwrap();
    assert_eq!(report.unchanged.len(), 66);
}

/// The id of the page the state records for `key`.
fn page_id(state: &State, key: &str) -> u64 {
    state.pages[key].page_id.as_ref().unwrap().parse().unwrap()
}

/// Issue 15, item 4: pages deleted in Productive are made again with their subtree, and
/// reported; an edit under a deleted folder does not fail on every later run. Each run lists
/// the Doc once.
#[test]
fn pages_deleted_in_productive_are_made_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    make_tree(&root);
    // Several runs of 66 pages: roomy limits keep the test quick.
    let (server, client) = roomy_server();
    let mut state = State::default();
    upload(
        &client,
        &converted(&root, Transport::Html),
        &options(None),
        &mut state,
    )
    .unwrap();
    // Someone deletes a folder page (its subpages go with it) and a single page; a file under
    // the deleted folder is edited.
    server.remove_page(page_id(&state, "part-1/"));
    server.remove_page(page_id(&state, "top-3.md"));
    assert_eq!(server.pages().len(), 66 - 21);
    fs::write(
        root.join("part-1").join("section-0").join("note-2.md"),
        "Edited under a deleted folder.\n",
    )
    .unwrap();
    server.clear_log();
    let report = upload(
        &client,
        &converted(&root, Transport::Html),
        &options(None),
        &mut state,
    )
    .unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.vanished.len(), 21, "{report:?}");
    assert!(report.vanished.contains(&"top-3.md".to_owned()));
    assert!(report
        .vanished
        .contains(&"part-1/section-0/note-2.md".to_owned()));
    let mut created = report.created.clone();
    created.sort();
    let mut vanished = report.vanished.clone();
    vanished.sort();
    assert_eq!(created, vanished);
    // One look at the Doc and one listing of its pages, before any write.
    let log = server.log();
    let reads: Vec<&str> = log
        .iter()
        .take_while(|r| !r.write)
        .map(|r| r.path.as_str())
        .collect();
    assert_eq!(reads.len(), 2, "{reads:?}");
    assert_eq!(
        log.iter()
            .filter(|r| r.path == "pages" && r.method == "GET")
            .count(),
        1
    );
    // The end state is a clean run's.
    let reference = {
        let fresh = server_with(Faults::default());
        upload(
            &Client::new(fresh.client_config(Limits::default())),
            &converted(&root, Transport::Html),
            &options(None),
            &mut State::default(),
        )
        .unwrap();
        tree_of(&fresh.pages())
    };
    assert_eq!(tree_of(&server.pages()), reference);
    // The next run finds everything in place.
    server.clear_log();
    let report = upload(
        &client,
        &converted(&root, Transport::Html),
        &options(None),
        &mut state,
    )
    .unwrap();
    assert!(
        report.failed.is_empty() && report.vanished.is_empty(),
        "{report:?}"
    );
    assert_eq!(report.unchanged.len(), 66);
    // The Doc and one listing of its 65 other pages: nothing else.
    assert_eq!(server.log().len(), 2, "{:?}", server.log());
    // The whole Doc deleted: everything is made again.
    server.remove_page(page_id(&state, "."));
    assert!(server.pages().is_empty());
    let report = upload(
        &client,
        &converted(&root, Transport::Html),
        &options(None),
        &mut state,
    )
    .unwrap();
    assert_eq!((report.vanished.len(), report.created.len()), (66, 66));
    assert_eq!(tree_of(&server.pages()), reference);
}

/// Issue 15, "provably ours": a colleague's page of the same title under the same parent that
/// the start-of-run listing saw is never adopted after a lost reply, even when the server's
/// clock cannot tell it from ours (made in the same second); in the same run, and in a later
/// run resuming the uncertain create (the state keeps what was there before).
#[test]
fn a_page_listed_before_the_create_is_never_adopted() {
    for resumed in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("docs");
        fs::create_dir_all(root.join("guide")).unwrap();
        fs::write(root.join("README.md"), "# Docs\n").unwrap();
        fs::write(root.join("guide").join("a.md"), "# A\n\nText.\n").unwrap();
        let server = server_with(Faults::default());
        let state_file = dir.path().join("state.json");
        upload(
            &client(&server),
            &converted(&root, Transport::Html),
            &options(Some(&state_file)),
            &mut State::default(),
        )
        .unwrap();
        let state = State::load(&state_file).unwrap();
        let guide = page_id(&state, "guide/");
        let theirs = server.insert_page("Meeting notes", None, Some(guide));
        server.touch_page(theirs);
        let theirs_before = server.pages().into_iter().find(|p| p.id == theirs);
        fs::write(
            root.join("guide").join("meeting.md"),
            "# Meeting notes\n\nOurs.\n",
        )
        .unwrap();
        server.script("POST", "pages/create_with_markdown", Scripted::LoseReply);
        let converted = converted(&root, Transport::Html);
        if resumed {
            // The Doc, its listing, the create: the run dies before looking for the page.
            let client = client(&server).with_request_budget(3);
            let error = upload(
                &client,
                &converted,
                &options(Some(&state_file)),
                &mut State::default(),
            )
            .unwrap_err();
            assert!(matches!(error, Error::BudgetSpent), "{error}");
            let pending = &State::load(&state_file).unwrap().pages["guide/meeting.md"];
            assert_eq!(pending.page_id, None);
            assert_eq!(pending.known_before, [theirs.to_string()]);
        }
        let report = upload(
            &client(&server),
            &converted,
            &options(Some(&state_file)),
            &mut State::default(),
        )
        .unwrap();
        assert_eq!(report.recovered, ["guide/meeting.md"], "{report:?}");
        assert!(report.failed.is_empty(), "{report:?}");
        let state = State::load(&state_file).unwrap();
        assert_ne!(page_id(&state, "guide/meeting.md"), theirs);
        assert_eq!(
            server.pages().into_iter().find(|p| p.id == theirs),
            theirs_before,
            "their page was written (resumed: {resumed})"
        );
        assert!(body_of(&server, &state, "guide/meeting.md").contains("Ours."));
        assert_eq!(server.pages().len(), 5);
    }
}

/// Issue 15, trust: Productive shows siblings in the order they were made, so they are made in
/// natural order (`2-build` before `10-deploy`), front matter `order:` first; an `order:` that
/// is not a number is an error naming the file.
#[test]
fn siblings_are_made_in_natural_order_or_front_matter_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    fs::create_dir_all(root.join("9-misc")).unwrap();
    fs::write(root.join("README.md"), "# Docs\n").unwrap();
    fs::write(root.join("10-deploy.md"), "# Deploy\n").unwrap();
    fs::write(root.join("2-build.md"), "# Build\n").unwrap();
    fs::write(root.join("1-intro.md"), "# Intro\n").unwrap();
    fs::write(root.join("notes.md"), "---\norder: 1\n---\n# Notes\n").unwrap();
    fs::write(
        root.join("9-misc").join("index.md"),
        "---\norder: 2.5\n---\n# Misc\n",
    )
    .unwrap();
    let server = server_with(Faults::default());
    upload(
        &client(&server),
        &converted(&root, Transport::Html),
        &options(None),
        &mut State::default(),
    )
    .unwrap();
    // Ids grow with each create.
    let made: Vec<String> = server
        .pages()
        .into_iter()
        .filter(|p| p.parent_page_id.is_some())
        .map(|p| p.title)
        .collect();
    assert_eq!(made, ["Notes", "Misc", "Intro", "Build", "Deploy"]);
    fs::write(root.join("notes.md"), "---\norder: soon\n---\n# Notes\n").unwrap();
    let error = plan(&root).unwrap_err().to_string();
    assert!(
        error.contains("notes.md") && error.contains("order"),
        "{error}"
    );
}
