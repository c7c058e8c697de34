//! The few CSS declarations the format carries, read from and written to `style` attributes.

/// The declarations of a `style` attribute, property names lowercased, values trimmed and
/// without `!important`. Later declarations of a property come later; callers take the last.
pub(crate) fn declarations(style: &str) -> impl Iterator<Item = (String, &str)> {
    style.split(';').filter_map(|declaration| {
        let (property, value) = declaration.split_once(':')?;
        let property = property.trim().to_ascii_lowercase();
        let value = value.trim();
        let value = value
            .strip_suffix("!important")
            .map_or(value, str::trim_end);
        (!property.is_empty() && !value.is_empty()).then_some((property, value))
    })
}

/// The last value of `property` in `style`.
pub(crate) fn get<'a>(style: &'a str, property: &str) -> Option<&'a str> {
    declarations(style)
        .filter(|(name, _)| name == property)
        .last()
        .map(|(_, value)| value)
}

/// Whether a font weight means bold (600 and up, `bold`, `bolder`).
pub(crate) fn is_bold(weight: &str) -> bool {
    let weight = weight.trim().to_ascii_lowercase();
    weight == "bold" || weight == "bolder" || weight.parse::<u32>().is_ok_and(|n| n >= 600)
}

/// Whether a font weight means not bold (`normal`, `lighter`, below 600).
pub(crate) fn is_not_bold(weight: &str) -> bool {
    let weight = weight.trim().to_ascii_lowercase();
    weight == "normal" || weight == "lighter" || weight.parse::<u32>().is_ok_and(|n| n < 600)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn reads_declarations() {
        let style = "color: #ef4444; Background-Color:#fef3c7 !important;;bad; font-weight:";
        assert_eq!(get(style, "color"), Some("#ef4444"));
        assert_eq!(get(style, "background-color"), Some("#fef3c7"));
        assert_eq!(get(style, "font-weight"), None);
        assert_eq!(get("color:red;color:blue", "color"), Some("blue"));
    }

    #[test]
    fn weights() {
        assert!(is_bold("700") && is_bold("bold") && !is_bold("400"));
        assert!(is_not_bold("normal") && is_not_bold("400") && !is_not_bold("700"));
    }
}
