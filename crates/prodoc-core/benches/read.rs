//! Strict read + validate beside parsing into `serde_json::Value`, on the same input in the same
//! run. The input is the 21 real page bodies' blocks, repeated into one document of at least 1 MB.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use prodoc_core::{json, Doc, ReadOptions};

/// The corpus's blocks, repeated until the compact JSON passes `min_bytes`.
pub fn large_document(min_bytes: usize) -> String {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/corpus/productive-real"
    );
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let docs: Vec<Doc> = paths
        .iter()
        .map(|p| json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect();
    let mut big = Doc::default();
    loop {
        for doc in &docs {
            big.content.extend(doc.content.iter().cloned());
        }
        let json = json::to_string(&big);
        if json.len() >= min_bytes {
            return json;
        }
    }
}

fn bench(c: &mut Criterion) {
    let input = large_document(1 << 20);
    let mut group = c.benchmark_group("json-read");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function("serde_json-value", |b| {
        b.iter(|| black_box(serde_json::from_str::<serde_json::Value>(black_box(&input)).unwrap()))
    });
    group.bench_function("prodoc-strict-read-validate", |b| {
        b.iter(|| black_box(json::read_str(black_box(&input), &ReadOptions::strict()).unwrap()))
    });
    group.bench_function("prodoc-lenient-read", |b| {
        b.iter(|| black_box(json::read_str(black_box(&input), &ReadOptions::lenient()).unwrap()))
    });
    group.finish();
    let doc = json::from_str(&input).unwrap();
    let mut group = c.benchmark_group("json-write");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function("prodoc-compact", |b| {
        b.iter(|| black_box(json::to_string(black_box(&doc))))
    });
    let value: serde_json::Value = serde_json::from_str(&input).unwrap();
    group.bench_function("serde_json-value-compact", |b| {
        b.iter(|| black_box(serde_json::to_string(black_box(&value)).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
