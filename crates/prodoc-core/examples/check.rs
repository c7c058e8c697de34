//! Reads each file given and prints the strict verdict and the lenient round trip.
fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        match prodoc_core::json::read_str(&text, &prodoc_core::ReadOptions::strict()) {
            Ok(r) => println!("{path}: strict ok ({} warnings)", r.diagnostics.len()),
            Err(e) => {
                for d in e.diagnostics {
                    println!("{path}: {d}");
                }
            }
        }
        match prodoc_core::json::read_str(&text, &prodoc_core::ReadOptions::lenient()) {
            Ok(r) => {
                let out = prodoc_core::json::to_string(&r.doc);
                let a: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                let b: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
                println!("{path}: lenient roundtrip equal = {}", a == b);
                if a != b {
                    println!("  in : {}", &text[..text.len().min(400)]);
                    println!("  out: {}", &out[..out.len().min(400)]);
                }
            }
            Err(e) => println!("{path}: lenient failed: {e}"),
        }
    }
}
