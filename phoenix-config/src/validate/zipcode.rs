//! `zipcode`: a US ZIP code, `12345` or ZIP+4 `12345-6789`.

use super::{Zipcode, text_failure};

/// What a zip code must look like, for messages.
const EXPECTED: &str = "a US zip code (12345 or 12345-6789)";

/// Whether `s` is a US ZIP code: exactly five ASCII digits, optionally
/// followed by `-` and four more (ZIP+4). Nothing is trimmed.
///
/// ```
/// use phoenix_config::validate::is_valid_zipcode;
///
/// assert!(is_valid_zipcode("02134"));
/// assert!(is_valid_zipcode("85001-1234"));
/// assert!(!is_valid_zipcode("8500"));
/// assert!(!is_valid_zipcode("85001-123"));
/// assert!(!is_valid_zipcode(" 85001"));
/// ```
pub fn is_valid_zipcode(s: &str) -> bool {
    let digits = |part: &str, n: usize| part.len() == n && part.bytes().all(|b| b.is_ascii_digit());
    match s.split_once('-') {
        None => digits(s, 5),
        Some((zip, plus4)) => digits(zip, 5) && digits(plus4, 4),
    }
}

/// The `zipcode` rule: `value` must be a US ZIP code (see [`is_valid_zipcode`]).
///
/// ```
/// use phoenix_config::validate::zipcode;
///
/// assert_eq!(zipcode("85001", false), Ok(()));
/// assert_eq!(zipcode(&String::from("85001-1234"), false), Ok(()));
/// assert_eq!(zipcode("8500", false).unwrap_err(), "`8500` is not a US zip code (12345 or 12345-6789)");
/// // For a secret, the message leaves the value out.
/// assert_eq!(zipcode("8500", true).unwrap_err(), "must be a US zip code (12345 or 12345-6789)");
/// ```
pub fn zipcode<T: ?Sized + Zipcode>(value: &T, secret: bool) -> Result<(), String> {
    value.validate_zipcode(secret)
}

pub(super) fn check(value: &str, secret: bool) -> Result<(), String> {
    if is_valid_zipcode(value) { Ok(()) } else { Err(text_failure(value, secret, EXPECTED, None)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_five_digits_and_zip_plus_four() {
        for ok in ["00000", "99999", "02134", "85001", "85001-0000", "85001-9999", "12345-6789"] {
            assert!(is_valid_zipcode(ok), "{ok}");
            assert_eq!(zipcode(ok, false), Ok(()));
        }
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "",
            "1234",
            "123456",
            "1234a",
            "abcde",
            "12345-",
            "12345-678",
            "12345-67890",
            "-12345",
            "12345 6789",
            "123456789",
            "12345--6789",
            "12345-678a",
            " 12345",
            "12345 ",
            "12345\n",
            "１２３４５",
            "12345-6789-0000",
            "+1234",
            "1234-56789",
        ] {
            assert!(!is_valid_zipcode(bad), "{bad:?}");
            assert!(zipcode(bad, false).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn messages() {
        assert_eq!(zipcode("8500", false).unwrap_err(), "`8500` is not a US zip code (12345 or 12345-6789)");
        assert_eq!(zipcode("", false).unwrap_err(), "`` is not a US zip code (12345 or 12345-6789)");
        assert_eq!(zipcode("1\n", false).unwrap_err(), "`1\\n` is not a US zip code (12345 or 12345-6789)");
    }

    #[test]
    fn secret_messages_hold_no_value() {
        for bad in ["8500", "98765-43", "secret-zip"] {
            let message = zipcode(bad, true).unwrap_err();
            assert_eq!(message, "must be a US zip code (12345 or 12345-6789)");
            assert!(!message.contains(bad));
        }
    }
}
