//! `prodoc import` and `prodoc export` against the fake Productive server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use assert_cmd::Command;
use prodoc_fake_productive::{FakeOptions, FakeServer};
use std::fs;

const TOKEN: &str = "cli-SECRET-token";

/// A fresh folder under the system's temporary folder, per test.
fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "prodoc-cli-productive-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
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
    let _ = fs::remove_dir_all(&dir);
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
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn export_needs_a_page_or_project() {
    let server = server();
    prodoc(&server).args(["export", "out"]).assert().code(2);
}
