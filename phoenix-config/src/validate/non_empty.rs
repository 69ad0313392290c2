//! `non_empty`: text with something besides whitespace, a collection with
//! at least one element.

use super::NonEmpty;
use super::length::Unit;

/// The `non_empty` rule: text must hold a character other than whitespace;
/// a list, set or map must hold at least one element.
///
/// ```
/// use phoenix_config::validate::non_empty;
///
/// assert_eq!(non_empty("phoenix", false), Ok(()));
/// assert_eq!(non_empty("", false).unwrap_err(), "must not be empty");
/// assert_eq!(non_empty(" \t", false).unwrap_err(), "must not be only whitespace");
/// assert_eq!(non_empty(&Vec::<String>::new(), false).unwrap_err(), "must have at least one element");
/// ```
pub fn non_empty<T: ?Sized + NonEmpty>(value: &T, secret: bool) -> Result<(), String> {
    value.validate_non_empty(secret)
}

/// Text: not empty, not only whitespace. The messages never hold the value,
/// so they are the same for a secret.
pub(super) fn check_text(value: &str, _secret: bool) -> Result<(), String> {
    if value.is_empty() {
        Err("must not be empty".to_owned())
    } else if value.trim().is_empty() {
        Err("must not be only whitespace".to_owned())
    } else {
        Ok(())
    }
}

/// A collection of `count` elements.
pub(super) fn check_count(count: usize, unit: Unit) -> Result<(), String> {
    match (count, unit) {
        (1.., _) => Ok(()),
        (0, Unit::Entry) => Err("must have at least one entry".to_owned()),
        (0, Unit::Element | Unit::Character) => Err("must have at least one element".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

    use super::*;

    #[test]
    fn text() {
        for ok in ["a", " a ", "0", "\u{a0}x", "é"] {
            assert_eq!(non_empty(ok, false), Ok(()), "{ok:?}");
        }
        assert_eq!(non_empty("", false).unwrap_err(), "must not be empty");
        assert_eq!(non_empty(&String::new(), false).unwrap_err(), "must not be empty");
        for blank in [" ", "\t", "\n", " \r\n ", "\u{a0}", "\u{2003}"] {
            assert_eq!(non_empty(blank, false).unwrap_err(), "must not be only whitespace", "{blank:?}");
        }
    }

    #[test]
    fn collections() {
        let element = "must have at least one element";
        assert_eq!(non_empty(&Vec::<String>::new(), false).unwrap_err(), element);
        assert_eq!(non_empty(&VecDeque::<u8>::new(), false).unwrap_err(), element);
        assert_eq!(non_empty(&[0_u8; 0], false).unwrap_err(), element);
        assert_eq!(non_empty(&[0_u8; 0][..], false).unwrap_err(), element);
        assert_eq!(non_empty(&HashSet::<u8>::new(), false).unwrap_err(), element);
        assert_eq!(non_empty(&BTreeSet::<u8>::new(), false).unwrap_err(), element);
        let entry = "must have at least one entry";
        assert_eq!(non_empty(&HashMap::<String, u8>::new(), false).unwrap_err(), entry);
        assert_eq!(non_empty(&BTreeMap::<String, u8>::new(), false).unwrap_err(), entry);

        assert_eq!(non_empty(&vec![String::new()], false), Ok(()));
        assert_eq!(non_empty(&VecDeque::from([1]), false), Ok(()));
        assert_eq!(non_empty(&[1], false), Ok(()));
        assert_eq!(non_empty(&HashSet::from([1]), false), Ok(()));
        assert_eq!(non_empty(&BTreeSet::from([1]), false), Ok(()));
        assert_eq!(non_empty(&HashMap::from([(1, 1)]), false), Ok(()));
        assert_eq!(non_empty(&BTreeMap::from([(1, 1)]), false), Ok(()));
    }

    #[test]
    fn secret_messages_hold_no_value() {
        assert_eq!(non_empty("", true).unwrap_err(), "must not be empty");
        assert_eq!(non_empty("   ", true).unwrap_err(), "must not be only whitespace");
        assert_eq!(non_empty(&Vec::<String>::new(), true).unwrap_err(), "must have at least one element");
        assert_eq!(non_empty(&BTreeMap::<String, String>::new(), true).unwrap_err(), "must have at least one entry");
    }
}
