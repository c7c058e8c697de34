//! tiptap-rusty-markdown (Markdown to ProseMirror JSON, on pulldown-cmark) on the corpus the
//! Markdown bench reads (`target/markdown-corpus`), as `markdown-corpus/tiptap-rusty-markdown +
//! JSON`: scripts/bench.sh points criterion at the main workspace's results, so that
//! scripts/bench-ratios.py finds it beside prodoc's figure of the same run.
#![allow(missing_docs)]

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/markdown-corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|_| panic!("run crates/prodoc-markdown/benches/gather-corpus.sh first"))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
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
    group.bench_function("tiptap-rusty-markdown + JSON", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|file| {
                    let doc = tiptap_rusty_markdown::from_markdown(file);
                    doc.to_json_str().map_or(0, |json| json.len())
                })
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
