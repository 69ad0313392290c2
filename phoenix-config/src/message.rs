//! How messages quote a (non-secret) value.

/// The most characters of a value a message shows.
pub(crate) const QUOTE_MAX: usize = 80;

/// `value` between backticks for a message: control characters escaped, a
/// long value cut short with `…`. Never call it with a secret.
pub(crate) fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len().min(QUOTE_MAX * 4) + 2);
    out.push('`');
    for (i, c) in value.chars().enumerate() {
        if i == QUOTE_MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
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
    }
}
