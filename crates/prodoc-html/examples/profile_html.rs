//! Reads a few pages of the toolchain's HTML documentation many times over, for profilers:
//! `perf record target/release/examples/profile_html`. With the argument `parse`, it only parses
//! them into an rcdom, as the bench's baseline does, so that instruction counts of the two can be
//! told apart.
use html5ever::tendril::TendrilSink;

fn main() {
    let sysroot = std::process::Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let root = std::path::Path::new(&sysroot).join("share/doc/rust/html");
    let pages = [
        "std/option/enum.Option.html",
        "book/ch04-01-what-is-ownership.html",
        "reference/expressions.html",
        "std/vec/struct.Vec.html",
    ];
    let html: String = pages
        .iter()
        .filter_map(|p| std::fs::read_to_string(root.join(p)).ok())
        .collect();
    let parse_only = std::env::args().nth(1).as_deref() == Some("parse");
    let mut blocks = 0;
    for _ in 0..30 {
        if parse_only {
            let dom =
                html5ever::parse_document(markup5ever_rcdom::RcDom::default(), Default::default())
                    .one(html.as_str());
            blocks += dom.document.children.borrow().len();
        } else {
            blocks += prodoc_html::read(&html, &prodoc_html::ReadOptions::default())
                .doc
                .content
                .len();
        }
    }
    println!("{} bytes, {blocks} blocks", html.len());
}
