//! `length(min = a, max = b)`: the length of text (in characters) or of a
//! collection (in elements).

use std::fmt::Write as _;

use super::Length;

/// The `length` rule: `min <= length <= max`, each bound optional and
/// inclusive. Text counts Unicode scalar values (`char`s, so `é` is one),
/// not bytes; lists, sets and maps count elements.
///
/// ```
/// use phoenix_config::validate::length;
///
/// assert_eq!(length("Zoë", Some(3), Some(3), false), Ok(()));
/// assert_eq!(length(&"x".repeat(70), None, Some(64), false).unwrap_err(), "must be at most 64 characters long, is 70");
/// assert_eq!(length(&Vec::<String>::new(), Some(1), None, false).unwrap_err(), "must have at least 1 element, has 0");
/// // For a secret, the message leaves the length out too.
/// assert_eq!(length("hunter2", Some(16), None, true).unwrap_err(), "must be at least 16 characters long");
/// ```
pub fn length<T: ?Sized + Length>(
    value: &T,
    min: Option<usize>,
    max: Option<usize>,
    secret: bool,
) -> Result<(), String> {
    value.validate_length(min, max, secret)
}

/// What a length counts, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    /// The `char`s of text.
    Character,
    /// The elements of a list or set.
    Element,
    /// The entries of a map.
    Entry,
}

impl Unit {
    fn name(self, count: usize) -> &'static str {
        match (self, count) {
            (Unit::Character, 1) => "character",
            (Unit::Character, _) => "characters",
            (Unit::Element, 1) => "element",
            (Unit::Element, _) => "elements",
            (Unit::Entry, 1) => "entry",
            (Unit::Entry, _) => "entries",
        }
    }
}

pub(super) fn check_text(value: &str, min: Option<usize>, max: Option<usize>, secret: bool) -> Result<(), String> {
    check_count(value.chars().count(), Unit::Character, min, max, secret)
}

/// Checks a length of `count` `unit`s against the bounds.
pub(super) fn check_count(
    count: usize,
    unit: Unit,
    min: Option<usize>,
    max: Option<usize>,
    secret: bool,
) -> Result<(), String> {
    if min.is_none_or(|min| count >= min) && max.is_none_or(|max| count <= max) {
        return Ok(());
    }
    let bounds = match (min, max) {
        (Some(min), Some(max)) if min == max => format!("exactly {min} {}", unit.name(min)),
        (Some(min), Some(max)) => format!("between {min} and {max} {}", unit.name(max.max(2))),
        (Some(min), None) => format!("at least {min} {}", unit.name(min)),
        (None, Some(max)) => format!("at most {max} {}", unit.name(max)),
        (None, None) => return Ok(()),
    };
    let mut message = match unit {
        Unit::Character => format!("must be {bounds} long"),
        Unit::Element | Unit::Entry => format!("must have {bounds}"),
    };
    if !secret {
        let verb = if unit == Unit::Character { "is" } else { "has" };
        let _ = write!(message, ", {verb} {count}");
    }
    Err(message)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

    use super::*;

    #[test]
    fn text_counts_chars_not_bytes() {
        assert_eq!(length("é", Some(1), Some(1), false), Ok(()));
        assert_eq!(length("日本語", None, Some(3), false), Ok(()));
        assert_eq!(length("日本語", None, Some(2), false).unwrap_err(), "must be at most 2 characters long, is 3");
        // A flag is two chars (two regional indicators), and counts so.
        assert_eq!(length("🇺🇸", Some(2), Some(2), false), Ok(()));
        // `e` + a combining accent: two chars.
        assert_eq!(length("e\u{301}", Some(2), Some(2), false), Ok(()));
        assert_eq!(length("", Some(1), None, false).unwrap_err(), "must be at least 1 character long, is 0");
        assert_eq!(length("", None, Some(0), false), Ok(()));
    }

    #[test]
    fn both_sides_of_each_bound() {
        let text = |n: usize| "a".repeat(n);
        for (n, ok) in [(2, false), (3, true), (4, true), (9, true), (10, true), (11, false)] {
            assert_eq!(length(&text(n), Some(3), Some(10), false).is_ok(), ok, "text of {n}");
            assert_eq!(length(&vec![0_u8; n], Some(3), Some(10), false).is_ok(), ok, "vec of {n}");
            let map: BTreeMap<usize, usize> = (0..n).map(|i| (i, i)).collect();
            assert_eq!(length(&map, Some(3), Some(10), false).is_ok(), ok, "map of {n}");
        }
        assert!(length(&text(0), None, None, false).is_ok());
        assert!(length(&text(usize::from(u16::MAX)), None, None, false).is_ok());
        assert!(length(&text(5), Some(0), Some(usize::MAX), false).is_ok());
    }

    #[test]
    fn every_collection() {
        let short = |r: Result<(), String>| r.unwrap_err();
        let expected = "must have at least 2 elements, has 1";
        assert_eq!(short(length(&vec![1], Some(2), None, false)), expected);
        assert_eq!(short(length(&VecDeque::from([1]), Some(2), None, false)), expected);
        assert_eq!(short(length(&[1][..], Some(2), None, false)), expected);
        assert_eq!(short(length(&[1], Some(2), None, false)), expected);
        assert_eq!(short(length(&HashSet::from([1]), Some(2), None, false)), expected);
        assert_eq!(short(length(&BTreeSet::from([1]), Some(2), None, false)), expected);
        let expected = "must have at least 2 entries, has 1";
        assert_eq!(short(length(&HashMap::from([(1, 1)]), Some(2), None, false)), expected);
        assert_eq!(short(length(&BTreeMap::from([(1, 1)]), Some(2), None, false)), expected);
        assert_eq!(length(&Vec::<u8>::new(), None, Some(0), false), Ok(()));
    }

    #[test]
    fn messages() {
        let text = "x".repeat(70);
        assert_eq!(length(&text, None, Some(64), false).unwrap_err(), "must be at most 64 characters long, is 70");
        assert_eq!(length(&text, Some(80), None, false).unwrap_err(), "must be at least 80 characters long, is 70");
        assert_eq!(
            length(&text, Some(1), Some(64), false).unwrap_err(),
            "must be between 1 and 64 characters long, is 70"
        );
        assert_eq!(length(&text, Some(5), Some(5), false).unwrap_err(), "must be exactly 5 characters long, is 70");
        assert_eq!(length("ab", Some(1), Some(1), false).unwrap_err(), "must be exactly 1 character long, is 2");
        assert_eq!(length("ab", None, Some(1), false).unwrap_err(), "must be at most 1 character long, is 2");
        assert_eq!(length("ab", Some(0), Some(1), false).unwrap_err(), "must be between 0 and 1 characters long, is 2");
        assert_eq!(length(&Vec::<u8>::new(), Some(1), None, false).unwrap_err(), "must have at least 1 element, has 0");
        assert_eq!(length(&vec![1, 2], None, Some(1), false).unwrap_err(), "must have at most 1 element, has 2");
        assert_eq!(
            length(&vec![1, 2], Some(3), Some(5), false).unwrap_err(),
            "must have between 3 and 5 elements, has 2"
        );
        assert_eq!(length(&vec![1, 2], Some(3), Some(3), false).unwrap_err(), "must have exactly 3 elements, has 2");
        let map = HashMap::from([(1, 1), (2, 2)]);
        assert_eq!(length(&map, None, Some(1), false).unwrap_err(), "must have at most 1 entry, has 2");
    }

    #[test]
    fn secret_messages_hold_no_value_nor_length() {
        let cases = [
            (length("hunter2", Some(16), None, true), "must be at least 16 characters long"),
            (length("hunter2", None, Some(4), true), "must be at most 4 characters long"),
            (length("hunter2", Some(8), Some(64), true), "must be between 8 and 64 characters long"),
            (length(&vec!["hunter2"], Some(2), None, true), "must have at least 2 elements"),
            (length(&HashMap::from([("hunter2", 1)]), Some(2), None, true), "must have at least 2 entries"),
        ];
        for (result, expected) in cases {
            let message = result.unwrap_err();
            assert_eq!(message, expected);
            assert!(!message.contains("hunter2") && !message.contains('7') && !message.contains(", "));
        }
    }
}
