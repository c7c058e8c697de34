//! Reads the gathered Markdown corpus (`benches/gather-corpus.sh`) over and over, for profilers:
//! `perf record target/release/examples/profile_markdown target/markdown-corpus [ROUNDS] [json]`.
//! With `json`, each document is also written as JSON, as the `read + JSON` bench does; with
//! `html`, pulldown-cmark's `push_html` runs instead, as the bench's baseline does; with `parse`,
//! only pulldown-cmark's offset iterator (the reader's share of parsing); with `ratio`, rounds of
//! `push_html` and of read + JSON alternate, each timed, and the ratio of their throughputs is
//! printed per round (the bench's target, measured with the machine's drift shared by both).
fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "target/markdown-corpus".to_owned());
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(40);
    let mode = args.next().unwrap_or_default();
    let json = mode == "json";
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            texts.push(text);
        }
    }
    let mut blocks = 0usize;
    let mut bytes = 0usize;
    let options = prodoc_markdown::GFM_EXTENSIONS;
    if mode == "ratio" {
        let mut ratios = Vec::new();
        for _ in 0..rounds {
            let started = std::time::Instant::now();
            for text in &texts {
                let mut out = String::with_capacity(text.len() * 2);
                pulldown_cmark::html::push_html(
                    &mut out,
                    pulldown_cmark::Parser::new_ext(text, options),
                );
                bytes += out.len();
            }
            let html = started.elapsed();
            let started = std::time::Instant::now();
            for text in &texts {
                let conversion =
                    prodoc_markdown::read(text, &prodoc_markdown::ReadOptions::default());
                bytes += prodoc_core::json::to_string(&conversion.doc).len();
            }
            let json = started.elapsed();
            ratios.push(html.as_secs_f64() / json.as_secs_f64());
        }
        ratios.sort_by(f64::total_cmp);
        let median = ratios.get(ratios.len() / 2).copied().unwrap_or_default();
        println!("read + JSON / push_html throughput over {rounds} rounds: median {median:.3}, all {ratios:.3?} ({bytes} bytes out)");
        return;
    }
    if mode == "html" || mode == "parse" {
        for _ in 0..rounds {
            for text in &texts {
                if mode == "parse" {
                    let parser = pulldown_cmark::Parser::new_ext(text, options);
                    bytes += parser
                        .into_offset_iter()
                        .map(|(_, range)| range.len())
                        .sum::<usize>();
                    continue;
                }
                let mut out = String::with_capacity(text.len() * 2);
                pulldown_cmark::html::push_html(
                    &mut out,
                    pulldown_cmark::Parser::new_ext(text, options),
                );
                bytes += out.len();
            }
        }
        println!("{bytes} bytes");
        return;
    }
    for _ in 0..rounds {
        for text in &texts {
            let conversion = prodoc_markdown::read(text, &prodoc_markdown::ReadOptions::default());
            blocks += conversion.doc.content.len();
            if json {
                bytes += prodoc_core::json::to_string(&conversion.doc).len();
            }
        }
    }
    println!(
        "{} files, {blocks} top-level blocks, {bytes} bytes of JSON",
        texts.len()
    );
}
