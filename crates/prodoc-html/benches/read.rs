//! Reading real HTML: the whole reader against html5ever parsing into rcdom alone, on the same
//! input in the same run. The input is pages of the Rust documentation shipped with the
//! toolchain (at least 1 MB of them); without it, this crate's fixtures repeated to 1 MB.
//!
//! With the documentation there are two more groups: `html-pages`, 200 of its pages read one by
//! one and written as JSON, and `html-one-page`, the `<main>` content of the same pages as one
//! page: many small documents, and one big one.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use html5ever::tendril::TendrilSink;
use prodoc_html::{read, ReadOptions};

const TARGET: usize = 1 << 20;

/// Where the toolchain keeps its HTML documentation (absent when the docs component is not
/// installed, and the groups that need it fall back or are left out).
fn docs_root() -> PathBuf {
    let sysroot = std::process::Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    Path::new(&sysroot).join("share/doc/rust/html")
}

fn input() -> (String, &'static str) {
    let root = docs_root();
    let pages = [
        "std/option/enum.Option.html",
        "book/ch04-01-what-is-ownership.html",
        "reference/expressions.html",
        "std/index.html",
        "std/collections/index.html",
        "std/vec/struct.Vec.html",
        "std/string/struct.String.html",
        "book/ch08-02-strings.html",
        "reference/items/traits.html",
    ];
    let mut html = String::new();
    for page in pages {
        if html.len() >= TARGET {
            break;
        }
        if let Ok(text) = std::fs::read_to_string(root.join(page)) {
            html.push_str(&text);
        }
    }
    if html.len() >= TARGET {
        return (html, "rust-docs");
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut one = String::new();
    for name in [
        "productive",
        "google-docs",
        "word",
        "notion",
        "confluence",
        "github",
        "outlook",
    ] {
        one.push_str(&std::fs::read_to_string(fixtures.join(format!("{name}.html"))).unwrap());
    }
    let mut html = String::new();
    while html.len() < TARGET {
        html.push_str(&one);
    }
    (html, "fixtures")
}

/// 200 pages of the toolchain's documentation (book, reference, standard library), spread evenly
/// over its sorted list of pages with content, so that each part is in.
fn pages() -> Vec<String> {
    let root = docs_root();
    let mut paths = Vec::new();
    let mut folders: Vec<_> = ["book", "reference", "std"].map(|f| root.join(f)).into();
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    // Pages with content: not the redirect stubs, which have no `<main>`.
    let pages: Vec<String> = paths
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .filter(|page| page.contains("<main"))
        .collect();
    let step = (pages.len() / 200).max(1);
    pages.into_iter().step_by(step).take(200).collect()
}

/// The `<main>` element of each page, one after another in one page.
fn main_content(pages: &[String]) -> String {
    let mut one = String::from("<!DOCTYPE html><html><head><title>pages</title></head><body>");
    for page in pages {
        if let (Some(start), Some(end)) = (page.find("<main"), page.rfind("</main>")) {
            one.push_str(page.get(start..end + "</main>".len()).unwrap_or_default());
        }
    }
    one.push_str("</body></html>");
    one
}

/// The group `name`: html5ever parsing each of `pages` into rcdom, against prodoc reading each
/// and writing it as JSON.
fn compare(c: &mut Criterion, name: &str, pages: &[String]) {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(
        pages.iter().map(String::len).sum::<usize>() as u64,
    ));
    group.sample_size(10);
    group.bench_function("html5ever+rcdom parse only", |b| {
        b.iter(|| {
            for page in pages {
                html5ever::parse_document(markup5ever_rcdom::RcDom::default(), Default::default())
                    .one(page.as_str());
            }
        });
    });
    group.bench_function("read + JSON", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|page| {
                    prodoc_core::json::to_string(&read(page, &ReadOptions::default()).doc).len()
                })
                .sum::<usize>()
        });
    });
    group.finish();
}

fn bench(c: &mut Criterion) {
    let pages = pages();
    if pages.len() == 200 {
        let bytes: usize = pages.iter().map(String::len).sum();
        eprintln!("html-pages: 200 pages of the toolchain's documentation, {bytes} bytes");
        compare(c, "html-pages", &pages);
        let one = [main_content(&pages)];
        eprintln!(
            "html-one-page: their <main> content as one page, {} bytes",
            one[0].len()
        );
        compare(c, "html-one-page", &one);
    } else {
        eprintln!("html-pages, html-one-page: skipped, the toolchain's documentation is not here");
    }

    let (html, source) = input();
    let mut group = c.benchmark_group(format!("read/{source}"));
    group.throughput(Throughput::Bytes(html.len() as u64));
    group.sample_size(20);
    group.bench_function("html5ever+rcdom parse only", |b| {
        b.iter(|| {
            html5ever::parse_document(markup5ever_rcdom::RcDom::default(), Default::default())
                .one(html.as_str())
        });
    });
    group.bench_function("prodoc_html::read", |b| {
        b.iter(|| read(&html, &ReadOptions::default()));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
