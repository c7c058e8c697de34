//! Reading real Markdown (see `gather-corpus.sh`): `read`, `read` + JSON writing, beside
//! pulldown-cmark's own `push_html` on the same input, in the same run: the corpus file by file,
//! and the same files joined into one file of at least 10 MB. Also writing the corpus's documents
//! as Markdown, beside writing them as JSON. tiptap-rusty-markdown, the other
//! baseline, is benched in `benches/tiptap/` (its own workspace: it turns on serde_json's
//! `preserve_order`, which would change this workspace's maps if it were a dev-dependency here).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use prodoc_markdown::{read, ReadOptions};
use pulldown_cmark::{html, Parser};

fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/markdown-corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|_| panic!("run crates/prodoc-markdown/benches/gather-corpus.sh first"))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect()
}

/// The corpus's files one after another, repeated until the whole is at least 10 MB: one big
/// document, where per-document costs vanish and per-byte ones (and memory) show.
fn joined(files: &[String]) -> String {
    let mut one = String::new();
    while one.len() < 10_000_000 && files.iter().any(|file| !file.is_empty()) {
        for file in files {
            one.push_str(file);
            one.push_str("\n\n");
        }
    }
    one
}

/// The same work on each input of `files`: pulldown-cmark's HTML, prodoc's document, and prodoc's
/// document and JSON.
fn compare(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, files: &[String]) {
    let bytes: usize = files.iter().map(String::len).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    let options = ReadOptions::default();
    group.bench_function("pulldown-cmark push_html", |b| {
        let md = prodoc_markdown::GFM_EXTENSIONS;
        b.iter(|| {
            let mut total = 0;
            for file in files {
                let mut out = String::with_capacity(file.len() * 2);
                html::push_html(&mut out, Parser::new_ext(file, md));
                total += out.len();
            }
            total
        });
    });
    group.bench_function("read", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|file| read(file, &options).doc.content.len())
                .sum::<usize>()
        });
    });
    group.bench_function("read + JSON", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|file| prodoc_core::json::to_string(&read(file, &options).doc).len())
                .sum::<usize>()
        });
    });
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    let bytes: usize = files.iter().map(String::len).sum();
    eprintln!("markdown-corpus: {} files, {bytes} bytes", files.len());
    let mut group = c.benchmark_group("markdown-corpus");
    compare(&mut group, &files);
    group.finish();

    // Writing the corpus's documents back as Markdown (each Markdown leaf is read back to check
    // it: the writer's own fidelity check), beside writing them as compact JSON in the same run.
    // Throughput is of the Markdown the documents came from.
    let docs: Vec<_> = files
        .iter()
        .map(|file| read(file, &ReadOptions::default()).doc)
        .collect();
    let mut group = c.benchmark_group("markdown-corpus-write");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("JSON", |b| {
        b.iter(|| {
            docs.iter()
                .map(|doc| prodoc_core::json::to_string(doc).len())
                .sum::<usize>()
        })
    });
    group.bench_function("Markdown", |b| {
        let options = prodoc_markdown::WriteOptions::default();
        b.iter(|| {
            docs.iter()
                .map(|doc| prodoc_markdown::write(doc, &options).text.len())
                .sum::<usize>()
        })
    });
    group.finish();

    let one = [joined(&files)];
    eprintln!(
        "markdown-10mb: 1 file of {} bytes (the corpus joined)",
        one[0].len()
    );
    // scripts/bench.sh converts the same file with the CLI, to compare the whole process with
    // the in-process figure below.
    let _ = std::fs::write(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/markdown-10mb.md"),
        &one[0],
    );
    let mut group = c.benchmark_group("markdown-10mb");
    compare(&mut group, &one);
    group.finish();

    // Strict JSON reading of a large document made from real Markdown, against building a
    // serde_json `Value` of it: the shapes real documents have, at a size where per-byte costs
    // show.
    let json = prodoc_core::json::to_string(&read(&one[0], &ReadOptions::default()).doc);
    eprintln!("json-from-markdown: {} bytes of compact JSON", json.len());
    let mut group = c.benchmark_group("json-from-markdown");
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.sample_size(10);
    group.bench_function("serde_json-value", |b| {
        b.iter(|| {
            serde_json::from_str::<serde_json::Value>(&json).map_or(0, |v| v.is_object() as usize)
        })
    });
    group.bench_function("prodoc-strict-read-validate", |b| {
        let strict = prodoc_core::json::ReadOptions::strict();
        b.iter(|| {
            prodoc_core::json::read_str(&json, &strict).map_or(0, |read| read.doc.content.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
