//! Measures how close an import gets to the allowed request rate: 500 small pages against the
//! fake server, with both limits shortened on both sides (client and server use the same
//! windows). Prints the requests, the time taken, the time the fastest schedule the windows
//! allow would take, and their ratio; and checks that no 429 was drawn.
//!
//! `cargo run -p prodoc-productive --example rate [PAGES]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_fake_productive::{FakeOptions, FakeServer};
use prodoc_productive::pipeline::{self, State, Transport, UploadOptions};
use prodoc_productive::{Client, Limits, Window};
use std::time::{Duration, Instant};

/// When each of `n` requests could go out at the earliest under both windows, with no latency.
fn ideal_span(n: usize, limits: Limits) -> Duration {
    let mut times: Vec<Duration> = Vec::with_capacity(n);
    for i in 0..n {
        let mut t = times.last().copied().unwrap_or_default();
        for window in [limits.short, limits.long] {
            if i >= window.max {
                t = t.max(times[i - window.max] + window.length);
            }
        }
        times.push(t);
    }
    times.last().copied().unwrap_or_default()
}

fn main() {
    let pages: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(500);
    let limits = Limits {
        short: Window {
            max: 50,
            length: Duration::from_secs(1),
        },
        long: Window {
            max: 200,
            length: Duration::from_secs(5),
        },
    };
    let dir = std::env::temp_dir().join(format!("prodoc-rate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..pages {
        std::fs::write(
            dir.join(format!("page-{i:04}.md")),
            format!("# Page {i}\n\nA small page.\n"),
        )
        .unwrap();
    }
    let server = FakeServer::start(FakeOptions {
        limits,
        ..Default::default()
    })
    .unwrap();
    let client = Client::new(server.client_config(limits));
    let plan = pipeline::plan(&dir).unwrap();
    let converted = pipeline::convert(&plan, Transport::Markdown, false).unwrap();
    let options = UploadOptions {
        project: "1".into(),
        ..Default::default()
    };
    let start = Instant::now();
    let report = pipeline::upload(&client, &converted, &options, &mut State::default()).unwrap();
    let elapsed = start.elapsed();
    let log = server.log();
    let throttled = log.iter().filter(|r| r.status == 429).count();
    let requests = log.len();
    let ideal = ideal_span(requests, limits);
    println!("pages created: {}", report.created.len());
    println!("requests: {requests}, 429s drawn: {throttled}");
    println!(
        "time: {:.2} s; fastest schedule the windows allow: {:.2} s",
        elapsed.as_secs_f64(),
        ideal.as_secs_f64()
    );
    println!(
        "rate: {:.1} requests/s, {:.1}% of the allowed rate",
        requests as f64 / elapsed.as_secs_f64(),
        100.0 * ideal.as_secs_f64() / elapsed.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(throttled, 0, "the client drew 429s while alone");
}
