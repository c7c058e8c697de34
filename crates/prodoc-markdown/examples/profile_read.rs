//! Reads the gathered Markdown corpus (`benches/gather-corpus.sh`) five times over, for profilers:
//! `perf record target/release/examples/profile_read target/markdown-corpus`.
fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/markdown-corpus".to_owned());
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            texts.push(text);
        }
    }
    let mut blocks = 0usize;
    for _ in 0..40 {
        for text in &texts {
            let conversion = prodoc_markdown::read(text, &prodoc_markdown::ReadOptions::default());
            blocks += conversion.doc.content.len();
        }
    }
    println!("{} files, {blocks} top-level blocks", texts.len());
}
