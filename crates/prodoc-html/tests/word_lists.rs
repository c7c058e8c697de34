//! Word's and Outlook's list paragraphs (`mso-list`) read as lists.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_html::{codes, read, write, Dialect, ReadOptions, WriteOptions};

/// The document read from `html` written as plain HTML, and the codes of the diagnostics.
fn read_plain(html: &str, options: &ReadOptions) -> (String, Vec<&'static str>) {
    let conversion = read(html, options);
    let problems = prodoc_core::validate(&conversion.doc);
    assert!(problems.is_empty(), "{problems:?}");
    let written = write(
        &conversion.doc,
        &WriteOptions {
            dialect: Dialect::Plain,
            ..WriteOptions::default()
        },
    );
    let codes = conversion
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    (written.text, codes)
}

/// Reads `html` and checks that it says nothing.
fn plain(html: &str) -> String {
    let (text, codes) = read_plain(html, &ReadOptions::default());
    assert!(codes.is_empty(), "{codes:?}");
    text
}

/// A Word list paragraph of list `l0 … lfo1`-like `list` (`"l0 lfo1"`), at `level`, with the
/// marker Word rendered and the item's HTML.
fn item(list: &str, level: u32, marker: &str, content: &str) -> String {
    let (id, lfo) = list.split_once(' ').unwrap();
    format!(
        "<p class=MsoListParagraphCxSpMiddle style='margin-left:{}.0pt;text-indent:-18.0pt;mso-list:{id} level{level} {lfo}'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>{marker}<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>{content}<o:p></o:p></p>\n",
        level * 36
    )
}

fn word(body: &str) -> String {
    format!(
        "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:w=\"urn:schemas-microsoft-com:office:word\">\n<body lang=EN-GB>\n<div class=WordSection1>\n{body}</div>\n</body>\n</html>\n"
    )
}

#[test]
fn bullets_and_numbers_are_told_apart_by_the_marker() {
    for marker in ["·", "§", "o", "-", "Ø", "•", "–", "ü", "v", "Note"] {
        let html = word(&(item("l0 lfo1", 1, marker, "A") + &item("l0 lfo1", 1, marker, "B")));
        assert_eq!(
            plain(&html),
            "<ul><li><p>A</p></li><li><p>B</p></li></ul>",
            "{marker}"
        );
    }
    for marker in [
        "1.", "1)", "a.", "a)", "A.", "i.", "iv.", "(1)", "(a)", "1.1.", "01.",
    ] {
        let html = word(&(item("l0 lfo1", 1, marker, "A") + &item("l0 lfo1", 1, marker, "B")));
        assert_eq!(
            plain(&html),
            "<ol><li><p>A</p></li><li><p>B</p></li></ol>",
            "{marker}"
        );
    }
}

#[test]
fn a_numbered_list_keeps_its_start() {
    let html = word(&(item("l3 lfo4", 1, "3.", "Third") + &item("l3 lfo4", 1, "4.", "Fourth")));
    assert_eq!(
        plain(&html),
        r#"<ol start="3"><li><p>Third</p></li><li><p>Fourth</p></li></ol>"#
    );
    // Legal numbering: the last number counts.
    let html = word(&item("l3 lfo4", 1, "2.5.", "Fifth"));
    assert_eq!(plain(&html), r#"<ol start="5"><li><p>Fifth</p></li></ol>"#);
    // Letters and roman numerals give no start: `c` and `i` could be either.
    let html = word(&item("l3 lfo4", 1, "c)", "Third"));
    assert_eq!(plain(&html), "<ol><li><p>Third</p></li></ol>");
}

#[test]
fn levels_nest_and_unnest() {
    let html = word(
        &[
            item("l0 lfo1", 1, "1.", "One"),
            item("l0 lfo1", 2, "a.", "One a"),
            item("l0 lfo1", 3, "·", "One a bullet"),
            item("l0 lfo1", 2, "b.", "One b"),
            item("l0 lfo1", 1, "2.", "Two"),
            item("l0 lfo1", 2, "o", "Two bullet"),
            item("l0 lfo1", 1, "3.", "Three"),
        ]
        .concat(),
    );
    assert_eq!(
        plain(&html),
        "<ol><li><p>One</p><ol><li><p>One a</p><ul><li><p>One a bullet</p></li></ul></li><li><p>One b</p></li></ol></li>\
         <li><p>Two</p><ul><li><p>Two bullet</p></li></ul></li><li><p>Three</p></li></ol>"
    );
}

#[test]
fn a_jump_of_several_levels_nests_once_per_level() {
    let html = word(
        &[
            item("l0 lfo1", 1, "·", "Top"),
            item("l0 lfo1", 4, "§", "Deep"),
            item("l0 lfo1", 4, "§", "Deep too"),
            item("l0 lfo1", 2, "o", "Middle"),
        ]
        .concat(),
    );
    assert_eq!(
        plain(&html),
        "<ul><li><p>Top</p><ul><li><p></p><ul><li><p></p><ul><li><p>Deep</p></li><li><p>Deep too</p></li></ul></li></ul></li>\
         <li><p>Middle</p></li></ul></li></ul>"
    );
}

#[test]
fn a_run_starting_deeper_than_level_one_starts_there() {
    let html = word(
        &[
            item("l0 lfo1", 2, "o", "Second level"),
            item("l0 lfo1", 1, "·", "First level"),
        ]
        .concat(),
    );
    // Nothing to nest the first item in: the list for level 2 stands alone, and level 1 makes a
    // list of its own after it.
    assert_eq!(
        plain(&html),
        "<ul><li><p>Second level</p></li></ul><ul><li><p>First level</p></li></ul>"
    );
}

#[test]
fn separate_lists_stay_separate() {
    // Another list override (Word restarted the numbering), another list, a paragraph between.
    for between in [
        item("l0 lfo2", 1, "1.", "Restarted"),
        item("l1 lfo1", 1, "1.", "Restarted"),
        "<p class=MsoNormal>Between</p>\n".to_owned() + &item("l0 lfo1", 1, "1.", "Restarted"),
    ] {
        let html = word(&(item("l0 lfo1", 1, "1.", "First") + &between));
        let text = plain(&html);
        assert!(
            text.starts_with("<ol><li><p>First</p></li></ol>")
                && text.ends_with("<ol><li><p>Restarted</p></li></ol>"),
            "{text}"
        );
    }
    // Text, a line break or a table between also ends the list.
    for between in [
        "Loose text",
        "<br>",
        "<table><tr><td>Cell</td></tr></table>",
    ] {
        let html = word(
            &(item("l0 lfo1", 1, "·", "First") + between + &item("l0 lfo1", 1, "·", "Second")),
        );
        let text = plain(&html);
        assert!(
            text.starts_with("<ul><li><p>First</p></li></ul>")
                && text.ends_with("<ul><li><p>Second</p></li></ul>"),
            "{text}"
        );
    }
}

#[test]
fn whitespace_and_comments_between_items_keep_the_list() {
    let html = word(
        &(item("l0 lfo1", 1, "·", "First")
            + "\n  <!-- a note -->\n"
            + &item("l0 lfo1", 1, "·", "Second")),
    );
    let (text, codes) = read_plain(&html, &ReadOptions::default());
    assert_eq!(text, "<ul><li><p>First</p></li><li><p>Second</p></li></ul>");
    assert_eq!(codes, [codes::COMMENT_DROPPED]);
}

#[test]
fn the_marker_goes_and_the_marks_stay() {
    // Word puts a bold paragraph's marker in the bold too.
    let html = word(
        "<p class=MsoListParagraph style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><b><span style='mso-list:Ignore'>1.<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span></span></b><![endif]><b>Bold</b> <i>and</i> <a href=\"https://example.com/\">a link</a><o:p></o:p></p>\n",
    );
    assert_eq!(
        plain(&html),
        r#"<ol><li><p><strong>Bold</strong> <em>and</em> <a href="https://example.com/" rel="noopener noreferrer">a link</a></p></li></ol>"#
    );
}

#[test]
fn outlook_list_paragraphs() {
    // Outlook: plain `MsoListParagraph` or `MsoNormal`, no Cx classes, no Office namespaces.
    let html = "<div class=WordSection1>\
        <p class=MsoNormal>Hi,<o:p></o:p></p>\
        <p class=MsoListParagraph style='margin-left:36.0pt;text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>Agenda<o:p></o:p></p>\
        <p class=MsoNormal style='margin-left:36.0pt;text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>Minutes<o:p></o:p></p>\
        <p class=MsoNormal>Thanks<o:p></o:p></p></div>";
    assert_eq!(
        plain(html),
        "<p>Hi,</p><ul><li><p>Agenda</p></li><li><p>Minutes</p></li></ul><p>Thanks</p>"
    );
    // Outlook's real lists are read as lists already; their mso-list changes nothing.
    let html = "<ul style='margin-top:0cm' type=disc><li class=MsoListParagraph style='margin-left:0cm;mso-list:l0 level1 lfo1'>One<o:p></o:p></li><li class=MsoListParagraph style='margin-left:0cm;mso-list:l0 level1 lfo1'>Two<o:p></o:p></li></ul>";
    assert_eq!(
        plain(html),
        "<ul><li><p>One</p></li><li><p>Two</p></li></ul>"
    );
}

#[test]
fn a_run_ends_with_the_element_holding_it() {
    let html = word(
        &("<table><tr><td>".to_owned()
            + &item("l0 lfo1", 1, "·", "In the cell")
            + "</td></tr></table>"
            + &item("l0 lfo1", 1, "·", "After the table")),
    );
    assert_eq!(
        plain(&html),
        "<table><tbody><tr><td><ul><li><p>In the cell</p></li></ul></td></tr></tbody></table><ul><li><p>After the table</p></li></ul>"
    );
}

#[test]
fn an_empty_item_stays_an_item() {
    let html = word(&(item("l0 lfo1", 1, "·", "&nbsp;") + &item("l0 lfo1", 1, "·", "Text")));
    assert_eq!(
        plain(&html),
        "<ul><li><p></p></li><li><p>Text</p></li></ul>"
    );
}

#[test]
fn deep_levels_respect_the_depth_limit() {
    let levels: String = (1..=9)
        .chain((1..=9).rev())
        .map(|level| item("l0 lfo1", level, "·", &format!("Level {level}")))
        .collect();
    for max_depth in [3, 4, 6, 8, 12, 20, 21, ReadOptions::MAX_DEPTH] {
        let options = ReadOptions { max_depth };
        let conversion = read(&word(&levels), &options);
        let strict = prodoc_core::ReadOptions {
            max_depth,
            ..prodoc_core::ReadOptions::strict()
        };
        let json = prodoc_core::json::to_string(&conversion.doc);
        let problems = prodoc_core::json::read_str(&json, &strict).map(|read| read.diagnostics);
        assert!(problems.is_ok_and(|p| p.is_empty()), "{max_depth}");
        let text = conversion.doc.plain_text();
        for level in 1..=9 {
            assert_eq!(
                text.matches(&format!("Level {level}")).count(),
                2,
                "{max_depth}: {text}"
            );
        }
        let deep = conversion
            .diagnostics
            .iter()
            .filter(|d| d.code == codes::NESTING_TOO_DEEP)
            .count();
        // Level 9's text is at depth 20 (a mention's label would be at 21).
        assert_eq!(deep, usize::from(max_depth < 21), "{max_depth}");
    }
}

#[test]
fn many_levels_and_items_read_in_linear_time() {
    let mut html = String::new();
    for n in 0..20_000u32 {
        html.push_str(&item("l0 lfo1", n % 50 + 1, "·", "x"));
    }
    let started = std::time::Instant::now();
    let conversion = read(&word(&html), &ReadOptions::default());
    assert!(prodoc_core::validate(&conversion.doc).is_empty());
    assert!(started.elapsed().as_secs() < 20);
}

#[test]
fn conditional_comment_markers_are_not_reported() {
    let html = word(
        &("<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->".to_owned()
            + &item("l0 lfo1", 1, "·", "One")
            + "<!--[if !supportLists]--><span style='mso-list:Ignore'>·</span><!--[endif]-->"),
    );
    let (_, codes) = read_plain(&html, &ReadOptions::default());
    // The hidden comment holds markup: it is reported; the bare markers are not.
    assert_eq!(codes, [codes::COMMENT_DROPPED]);
}

#[test]
fn mso_list_in_text_is_no_list() {
    let html = "<p>Set mso-list: l0 level1 lfo1 in the style</p><p style='mso-list:none'>None</p>";
    assert_eq!(
        plain(html),
        "<p>Set mso-list: l0 level1 lfo1 in the style</p><p>None</p>"
    );
}

#[test]
fn only_office_markup_has_list_paragraphs() {
    let bare = "<p style='mso-list:l0 level1 lfo1'>One</p>";
    assert_eq!(plain(bare), "<p>One</p>");
    // An `Mso…` class on the paragraph or an element around it is enough.
    for html in [
        "<p class=MsoNormal style='mso-list:l0 level1 lfo1'>One</p>",
        "<div class=MsoNormal><p style='mso-list:l0 level1 lfo1'>One</p></div>",
    ] {
        assert_eq!(plain(html), "<ul><li><p>One</p></li></ul>", "{html}");
    }
}

#[test]
fn an_outlook_paragraph_holding_a_no_break_space_is_empty() {
    // No Office namespaces: only the paragraph's own class says it is Outlook's.
    let html = "<p class=MsoNormal>Hi<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>Bye<o:p></o:p></p>";
    assert_eq!(plain(html), "<p>Hi</p><p></p><p>Bye</p>");
}
