//! Bounded attribute values: each one can only hold what the format allows.

use std::fmt;
use std::num::NonZeroU32;

/// A heading level: the format has exactly three (`#`, `##`, `###`; `<h1>`–`<h3>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HeadingLevel {
    /// Level 1, the largest.
    H1 = 1,
    /// Level 2.
    H2 = 2,
    /// Level 3, the smallest the format has.
    H3 = 3,
}

/// A number that is not a heading level of the format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("heading level {0} is outside 1–3")]
pub struct InvalidHeadingLevel(pub i64);

impl HeadingLevel {
    /// The level as a number, 1 to 3.
    pub fn get(self) -> u8 {
        self as u8
    }
}

impl TryFrom<i64> for HeadingLevel {
    type Error = InvalidHeadingLevel;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        match value {
            1 => Ok(Self::H1),
            2 => Ok(Self::H2),
            3 => Ok(Self::H3),
            other => Err(InvalidHeadingLevel(other)),
        }
    }
}

impl TryFrom<u8> for HeadingLevel {
    type Error = InvalidHeadingLevel;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::try_from(i64::from(value))
    }
}

/// The four kinds of banner (callout) the editor renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BannerKind {
    /// `info`: neutral information.
    Info,
    /// `warning`.
    Warning,
    /// `success`.
    Success,
    /// `critical`: danger or an error.
    Critical,
}

/// A string that is not one of the four banner kinds.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("banner type `{0}` is not one of info, warning, success, critical")]
pub struct InvalidBannerKind(pub String);

impl BannerKind {
    /// Every kind, in the order the guides list them.
    pub const ALL: [BannerKind; 4] = [Self::Info, Self::Warning, Self::Success, Self::Critical];

    /// The value of the `type` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Success => "success",
            Self::Critical => "critical",
        }
    }
}

impl std::str::FromStr for BannerKind {
    type Err = InvalidBannerKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| InvalidBannerKind(s.to_owned()))
    }
}

impl fmt::Display for BannerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a mention points at. Real bodies say `person`; the 2026 guide lists `user`, `task`, `page`,
/// `project`, `deal`, `company` and "…", so kinds not listed are kept as [`MentionKind::Other`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MentionKind {
    /// `person`: what the editor writes for people (seen in real bodies).
    Person,
    /// `user`: the 2026 guide's spelling for people.
    User,
    /// `task`.
    Task,
    /// `page`.
    Page,
    /// `project`.
    Project,
    /// `deal`.
    Deal,
    /// `company`.
    Company,
    /// Any other non-empty kind, kept as written.
    Other(String),
}

impl MentionKind {
    const KNOWN: [(&'static str, MentionKind); 7] = [
        ("person", Self::Person),
        ("user", Self::User),
        ("task", Self::Task),
        ("page", Self::Page),
        ("project", Self::Project),
        ("deal", Self::Deal),
        ("company", Self::Company),
    ];

    /// The value of the `type` attribute.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Person => "person",
            Self::User => "user",
            Self::Task => "task",
            Self::Page => "page",
            Self::Project => "project",
            Self::Deal => "deal",
            Self::Company => "company",
            Self::Other(other) => other,
        }
    }

    /// Reads a kind; unknown names become [`MentionKind::Other`].
    pub fn parse(s: &str) -> Self {
        Self::KNOWN
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, kind)| kind.clone())
            .unwrap_or_else(|| Self::Other(s.to_owned()))
    }
}

impl fmt::Display for MentionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A table cell's `colspan` or `rowspan`: at least 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span(NonZeroU32);

/// A number that cannot be a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("span {0} is not a whole number of at least 1")]
pub struct InvalidSpan(pub i64);

impl Span {
    /// One row or column: the default.
    pub const ONE: Span = Span(NonZeroU32::MIN);

    /// The span as a number, at least 1.
    pub fn get(self) -> u32 {
        self.0.get()
    }
}

impl Default for Span {
    fn default() -> Self {
        Self::ONE
    }
}

impl TryFrom<i64> for Span {
    type Error = InvalidSpan;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        u32::try_from(value)
            .ok()
            .and_then(NonZeroU32::new)
            .map(Span)
            .ok_or(InvalidSpan(value))
    }
}

impl TryFrom<u32> for Span {
    type Error = InvalidSpan;
    fn try_from(value: u32) -> Result<Self, Self::Error> {
        NonZeroU32::new(value)
            .map(Span)
            .ok_or(InvalidSpan(i64::from(value)))
    }
}

/// Horizontal alignment of a paragraph or heading (`attrs.textAlign`).
///
/// Inferred: the HTML form has `style="text-align: …"`, and the JSON attribute follows the
/// ProseMirror/Tiptap text-align extension, which the editor is built on. No real body shows it yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Align {
    /// `left`.
    Left,
    /// `center`.
    Center,
    /// `right`.
    Right,
    /// `justify`.
    Justify,
}

impl Align {
    /// Every alignment.
    pub const ALL: [Align; 4] = [Self::Left, Self::Center, Self::Right, Self::Justify];

    /// The CSS and JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Left => "left",
            Self::Center => "center",
            Self::Right => "right",
            Self::Justify => "justify",
        }
    }

    /// Reads a CSS `text-align` value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|align| align.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_level_is_bounded() {
        assert_eq!(HeadingLevel::try_from(2_i64), Ok(HeadingLevel::H2));
        assert_eq!(HeadingLevel::try_from(0_i64), Err(InvalidHeadingLevel(0)));
        assert_eq!(HeadingLevel::try_from(4_u8), Err(InvalidHeadingLevel(4)));
    }

    #[test]
    fn span_is_at_least_one() {
        assert_eq!(Span::try_from(3_i64).map(Span::get), Ok(3));
        assert!(Span::try_from(0_i64).is_err());
        assert!(Span::try_from(-1_i64).is_err());
        assert!(Span::try_from(i64::from(u32::MAX) + 1).is_err());
    }

    #[test]
    fn banner_and_mention_kinds_parse() {
        assert_eq!("critical".parse::<BannerKind>(), Ok(BannerKind::Critical));
        assert!("danger".parse::<BannerKind>().is_err());
        assert_eq!(MentionKind::parse("person"), MentionKind::Person);
        assert_eq!(
            MentionKind::parse("invoice"),
            MentionKind::Other("invoice".into())
        );
        assert_eq!(MentionKind::parse("invoice").as_str(), "invoice");
    }
}
