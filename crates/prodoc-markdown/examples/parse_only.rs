//! Runs pulldown-cmark alone over one Markdown file, as the reader runs it (its offset iterator,
//! the reader's extensions; the file as it is, without the reader's mending of CR, NUL and a
//! byte order mark) and builds nothing: `scripts/scaling.sh` takes its peak memory as the
//! parser's share of a conversion's. Usage: `parse_only FILE`; prints the number of events.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_only FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{path}: {error}");
            std::process::exit(1);
        }
    };
    let events = pulldown_cmark::Parser::new_ext(&text, prodoc_markdown::GFM_EXTENSIONS)
        .into_offset_iter()
        .count();
    println!("{events} events");
}
