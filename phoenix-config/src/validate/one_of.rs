//! `one_of("a", "b")`: text equal to one of a fixed set of values.

use std::fmt::Write as _;

use super::{OneOf, quote};
use crate::suggest;

/// The `one_of` rule: `value` must equal one of `allowed`, exactly (case
/// matters). A near miss gets a suggestion, unless the value is a secret.
///
/// ```
/// use phoenix_config::validate::one_of;
///
/// assert_eq!(one_of("json", &["json", "text"], false), Ok(()));
/// assert_eq!(one_of("xml", &["json", "text"], false).unwrap_err(), "must be one of `json`, `text`, got `xml`");
/// assert_eq!(
///     one_of("jsn", &["json", "text"], false).unwrap_err(),
///     "must be one of `json`, `text`, got `jsn`; did you mean `json`?"
/// );
/// // For a secret, the message leaves the value out.
/// assert_eq!(one_of("xml", &["json", "text"], true).unwrap_err(), "must be one of `json`, `text`");
/// ```
pub fn one_of<T: ?Sized + OneOf>(value: &T, allowed: &[&str], secret: bool) -> Result<(), String> {
    value.validate_one_of(allowed, secret)
}

pub(super) fn check(value: &str, allowed: &[&str], secret: bool) -> Result<(), String> {
    if allowed.contains(&value) {
        return Ok(());
    }
    let mut message = match allowed {
        [] => "cannot have any value: `one_of` lists none".to_owned(),
        [only] => format!("must be {}", quote(only)),
        _ => format!("must be one of {}", allowed.iter().map(|a| quote(a)).collect::<Vec<_>>().join(", ")),
    };
    if !secret {
        let _ = write!(message, ", got {}", quote(value));
        if let Some(best) = suggest::closest(value, allowed.iter().copied()) {
            let _ = write!(message, "; did you mean {}?", quote(best));
        }
    }
    Err(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORMATS: &[&str] = &["json", "text"];

    #[test]
    fn exact_match_only() {
        assert_eq!(one_of("json", FORMATS, false), Ok(()));
        assert_eq!(one_of("text", FORMATS, false), Ok(()));
        assert_eq!(one_of(&String::from("text"), FORMATS, false), Ok(()));
        for bad in ["", "JSON", " json", "json ", "jso", "texts", "xml"] {
            assert!(one_of(bad, FORMATS, false).is_err(), "{bad:?}");
        }
        assert_eq!(one_of("", &[""], false), Ok(()));
    }

    #[test]
    fn messages() {
        assert_eq!(one_of("xml", FORMATS, false).unwrap_err(), "must be one of `json`, `text`, got `xml`");
        assert_eq!(one_of("", FORMATS, false).unwrap_err(), "must be one of `json`, `text`, got ``");
        assert_eq!(
            one_of("JSON", FORMATS, false).unwrap_err(),
            "must be one of `json`, `text`, got `JSON`; did you mean `json`?"
        );
        assert_eq!(
            one_of("tex", FORMATS, false).unwrap_err(),
            "must be one of `json`, `text`, got `tex`; did you mean `text`?"
        );
        assert_eq!(one_of("xml", &["json"], false).unwrap_err(), "must be `json`, got `xml`");
        assert_eq!(one_of("xml", &[], false).unwrap_err(), "cannot have any value: `one_of` lists none, got `xml`");
    }

    #[test]
    fn secret_messages_hold_no_value() {
        for (value, allowed, expected) in [
            ("jsno", FORMATS, "must be one of `json`, `text`"),
            ("hunter2", FORMATS, "must be one of `json`, `text`"),
            ("hunter2", &["hunter3"][..], "must be `hunter3`"),
            ("hunter2", &[][..], "cannot have any value: `one_of` lists none"),
        ] {
            let message = one_of(value, allowed, true).unwrap_err();
            assert_eq!(message, expected);
            assert!(!message.contains(value));
        }
    }
}
