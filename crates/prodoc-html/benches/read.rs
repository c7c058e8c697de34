//! Reading real HTML: the whole reader against html5ever parsing into rcdom alone, on the same
//! input in the same run. The input is pages of the Rust documentation shipped with the
//! toolchain (at least 1 MB of them); without it, this crate's fixtures repeated to 1 MB.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use html5ever::tendril::TendrilSink;
use prodoc_html::{read, ReadOptions};

const TARGET: usize = 1 << 20;

fn input() -> (String, &'static str) {
    let sysroot = std::process::Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let root = Path::new(&sysroot).join("share/doc/rust/html");
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

fn bench(c: &mut Criterion) {
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
