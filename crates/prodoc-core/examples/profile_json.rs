//! Reads one JSON document strictly many times over, for profilers: `profile_json FILE [ROUNDS]
//! [value]`. With `value` it parses the same text into a `serde_json::Value` instead, the strict
//! read's baseline in the benches.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_default();
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(3);
    let value = args.next().as_deref() == Some("value");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut nodes = 0;
    for _ in 0..rounds {
        if value {
            let parsed: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            nodes += parsed.as_object().map_or(0, |o| o.len());
        } else if let Ok(read) =
            prodoc_core::json::read_str(&text, &prodoc_core::ReadOptions::strict())
        {
            nodes += read.doc.content.len();
        }
    }
    println!("{} bytes, {nodes}", text.len());
}
