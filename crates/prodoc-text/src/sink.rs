//! Where the writer's lines go: one text holding them, each ended by a line feed, and the stack
//! of line prefixes that the open containers (quotes, list items, banners) put before them. The
//! lines are one text rather than a string each: a string of its own cost a line 56 bytes more
//! than its text (a table of one-cell rows written as text took 42x its HTML at its peak, 33x
//! so).
//!
//! A prefix has a first-line form (`- `, `Warning: `) and a form for the lines after it (spaces, or
//! `> ` again). Prefixes pushed since the last line are "pending": the next line uses their first
//! form, and from then on their second form is part of `base`. Every line written turns all
//! pending prefixes into used ones, so the used prefixes are always the bottom of the stack and
//! `base` is their concatenation; a line costs its own length, however deep the nesting.

use unicode_width::UnicodeWidthStr;

struct Entry {
    first: String,
    rest: String,
    width: usize,
    /// Write the first form alone when the container wrote no line (an empty list item keeps its
    /// bullet).
    marker_if_empty: bool,
    /// `base` before this entry was added to it (set when the entry is used).
    base_len: usize,
    base_width: usize,
}

pub(crate) struct Sink {
    /// The lines written, each ended by `\n`.
    text: String,
    /// How many lines `text` holds.
    count: usize,
    wrap: Option<usize>,
    base: String,
    base_width: usize,
    entries: Vec<Entry>,
    /// `entries[..used]` are used; the rest are pending.
    used: usize,
    pending_width: usize,
    /// A blank line goes before the next line written: a block ended and another began.
    pub(crate) pending_blank: bool,
}

impl Sink {
    pub(crate) fn new(wrap: Option<usize>) -> Self {
        Self {
            text: String::new(),
            count: 0,
            wrap,
            base: String::new(),
            base_width: 0,
            entries: Vec::new(),
            used: 0,
            pending_width: 0,
            pending_blank: false,
        }
    }

    /// The columns left for text after the prefixes, when wrapping; at least 1.
    pub(crate) fn width(&self) -> Option<usize> {
        self.wrap.map(|wrap| {
            wrap.saturating_sub(self.base_width + self.pending_width)
                .max(1)
        })
    }

    /// Opens a prefix: `first` before the next line, spaces as wide as `first` (or `rest`, when
    /// given) before the lines after it.
    pub(crate) fn push(&mut self, first: String, rest: Option<String>, marker_if_empty: bool) {
        let rest = rest.unwrap_or_else(|| " ".repeat(first.width()));
        let width = rest.width();
        self.pending_width += width;
        self.entries.push(Entry {
            first,
            rest,
            width,
            marker_if_empty,
            base_len: 0,
            base_width: 0,
        });
    }

    /// Closes the innermost prefix.
    pub(crate) fn pop(&mut self) {
        if self.used < self.entries.len() {
            if self
                .entries
                .last()
                .is_some_and(|entry| entry.marker_if_empty)
            {
                self.line("");
            } else {
                if let Some(entry) = self.entries.pop() {
                    self.pending_width = self.pending_width.saturating_sub(entry.width);
                }
                return;
            }
        }
        if let Some(entry) = self.entries.pop() {
            self.base.truncate(entry.base_len);
            self.base_width = entry.base_width;
            self.used = self.entries.len();
        }
    }

    /// Writes one line of text after the prefixes. No line ends in a space or a tab.
    pub(crate) fn line(&mut self, text: &str) {
        if self.pending_blank {
            self.pending_blank = false;
            self.text.push_str(self.base.trim_end_matches([' ', '\t']));
            self.text.push('\n');
            self.count += 1;
        }
        let start = self.text.len();
        self.text.push_str(&self.base);
        for entry in self.entries.iter().skip(self.used) {
            self.text.push_str(&entry.first);
        }
        self.text.push_str(text);
        let trimmed = self.text.trim_end_matches([' ', '\t']).len().max(start);
        self.text.truncate(trimmed);
        self.text.push('\n');
        self.count += 1;
        let used = self.used;
        for entry in self.entries.iter_mut().skip(used) {
            entry.base_len = self.base.len();
            entry.base_width = self.base_width;
            self.base.push_str(&entry.rest);
            self.base_width += entry.width;
        }
        self.used = self.entries.len();
        self.pending_width = 0;
    }

    /// How many lines have been written.
    pub(crate) fn line_count(&self) -> usize {
        self.count
    }

    /// The lines written, each ended by `\n`.
    #[cfg(test)]
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The lines written, each ended by `\n`, taken.
    pub(crate) fn into_text(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_nest_and_blank_lines_keep_the_outer_ones() {
        let mut sink = Sink::new(Some(20));
        sink.push("> ".into(), Some("> ".into()), true);
        sink.line("quoted");
        sink.push("- ".into(), None, true);
        assert_eq!(sink.width(), Some(16));
        sink.line("item");
        sink.line("more");
        sink.pending_blank = true;
        sink.line("again");
        sink.pop();
        sink.push("10. ".into(), None, true);
        sink.pop();
        sink.pop();
        sink.line("out");
        assert_eq!(
            sink.text(),
            "> quoted\n> - item\n>   more\n>\n>   again\n> 10.\nout\n"
        );
        assert_eq!(sink.line_count(), 7);
    }

    #[test]
    fn a_prefix_without_marker_leaves_no_line() {
        let mut sink = Sink::new(None);
        sink.push("# ".into(), None, false);
        sink.pop();
        assert!(sink.text().is_empty());
        assert_eq!(sink.line_count(), 0);
        assert_eq!(sink.width(), None);
    }
}
