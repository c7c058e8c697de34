//! Reading real Markdown (see `gather-corpus.sh`): `read`, `read` + JSON writing, beside
//! pulldown-cmark's own `push_html` on the same input, in the same run.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use prodoc_markdown::{read, ReadOptions};
use pulldown_cmark::{html, Options, Parser};

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

fn bench(c: &mut Criterion) {
    let files = corpus();
    let bytes: usize = files.iter().map(String::len).sum();
    let mut group = c.benchmark_group("markdown-corpus");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    let options = ReadOptions::default();
    group.bench_function("pulldown-cmark push_html", |b| {
        let md = Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_GFM;
        b.iter(|| {
            let mut total = 0;
            for file in &files {
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
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
