//! Nothing: this package holds a bench only (benches/tiptap.rs).
