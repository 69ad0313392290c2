//! How messages quote a (non-secret) value.

use std::borrow::Cow;

/// The most characters of a value a message shows.
pub(crate) const QUOTE_MAX: usize = 80;

/// `value` between backticks for a message: control characters escaped, a
/// long value cut short with `…`. Never call it with a secret.
pub(crate) fn quote(value: &str) -> String {
    format!("`{}`", shorten(value, QUOTE_MAX))
}

/// `value` on one line for a message: control characters escaped, cut after
/// `max` characters with `…`. Borrowed when there is nothing to change.
pub(crate) fn shorten(value: &str, max: usize) -> Cow<'_, str> {
    let cut = value.char_indices().nth(max).map(|(at, _)| at);
    let head = &value[..cut.unwrap_or(value.len())];
    if cut.is_none() && !head.contains(char::is_control) {
        return Cow::Borrowed(value);
    }
    // Sized never to grow: a grown buffer frees its first block, which may
    // hold part of a secret a scrubber escapes, unwiped.
    let controls = head.chars().filter(|c| c.is_control()).count();
    let mut out = String::with_capacity(head.len() + 9 * controls + 4);
    for c in head.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if cut.is_some() {
        out.push('…');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_and_shortens() {
        assert_eq!(quote("abc"), "`abc`");
        assert_eq!(quote(""), "``");
        assert_eq!(quote("a\nb\t"), "`a\\nb\\t`");
        let long = "x".repeat(QUOTE_MAX + 1);
        assert_eq!(quote(&long), format!("`{}…`", "x".repeat(QUOTE_MAX)));
        assert_eq!(quote(&"é".repeat(QUOTE_MAX)), format!("`{}`", "é".repeat(QUOTE_MAX)));
        assert!(matches!(shorten("plain", 60), Cow::Borrowed("plain")));
        assert_eq!(shorten("a\nbcd", 3), "a\\nb…");
    }
}
