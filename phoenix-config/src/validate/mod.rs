//! Validation rules: what `#[validate(...)]` runs, and plain functions to
//! call by hand.
//!
//! Each rule lives in its own module and comes in two forms:
//!
//! - a plain predicate for your own code, such as [`is_valid_zipcode`],
//!   [`is_valid_url`], [`is_valid_email`] and [`is_valid_port`];
//! - the rule itself, such as [`zipcode`], which the derive calls for
//!   `#[validate(zipcode)]`. It returns `Err` with a message meant to follow
//!   the field's path (`database.uri: must be a valid URL: it has no host`).
//!
//! | `#[validate(...)]` | function | applies to (trait) |
//! |---|---|---|
//! | `zipcode` | [`zipcode`] | text ([`Zipcode`]) |
//! | `url` | [`url()`] | text ([`Url`]) |
//! | `email` | [`email`] | text ([`Email`]) |
//! | `non_empty` | [`non_empty`] | text, lists, sets, maps ([`NonEmpty`]) |
//! | `port` | [`port`] | integers ([`Port`]) |
//! | `range(min = a, max = b)` | [`range`] | integers, floats ([`Range`]) |
//! | `length(min = a, max = b)` | [`length`] | text, lists, sets, maps ([`Length`]) |
//! | `one_of("a", "b")` | [`one_of`] | text ([`OneOf`]) |
//!
//! "Text" is `str`, `String`, and `Box`, `Rc`, `Arc`, `Cow` or references of
//! those. Every trait is also implemented for [`Secret<T>`](crate::Secret)
//! and for `Option<T>` (where `None` passes: use `required_in` or a plain
//! field to demand a value) when `T` implements it. To make your own type
//! checkable, implement the trait by delegating to the rule:
//!
//! ```
//! use phoenix_config::validate::{self, Zipcode};
//!
//! struct Zip(String);
//!
//! impl Zipcode for Zip {
//!     fn validate_zipcode(&self, secret: bool) -> Result<(), String> {
//!         validate::zipcode(self.0.as_str(), secret)
//!     }
//! }
//!
//! assert!(validate::zipcode(&Zip("85001".into()), false).is_ok());
//! ```
//!
//! # Messages
//!
//! Messages are lowercase, without a trailing period, and say what was
//! expected. With `secret == true` they never contain the value, nor a part
//! or the length of it; a [`Secret<T>`](crate::Secret) is always checked as
//! a secret, whatever the flag says:
//!
//! ```
//! use phoenix_config::validate::zipcode;
//!
//! assert_eq!(zipcode("8500", false).unwrap_err(), "`8500` is not a US zip code (12345 or 12345-6789)");
//! assert_eq!(zipcode("8500", true).unwrap_err(), "must be a US zip code (12345 or 12345-6789)");
//! ```

use crate::message::quote;

mod email;
mod length;
mod non_empty;
mod one_of;
mod port;
mod range;
mod target;
mod url;
mod zipcode;

pub use self::email::{email, is_valid_email};
pub use self::length::length;
pub use self::non_empty::non_empty;
pub use self::one_of::one_of;
pub use self::port::{is_valid_port, port};
pub use self::range::range;
pub use self::target::{Email, Length, NonEmpty, OneOf, Port, Range, Url, Zipcode};
pub use self::url::{is_valid_url, url};
pub use self::zipcode::{is_valid_zipcode, zipcode};

/// The message of a failed text rule: `` `value` is not {what}: {reason} ``,
/// or `must be {what}: {reason}` for a secret. `reason` never holds the value.
fn text_failure(value: &str, secret: bool, what: &str, reason: Option<&str>) -> String {
    let mut message = if secret { format!("must be {what}") } else { format!("{} is not {what}", quote(value)) };
    if let Some(reason) = reason {
        message.push_str(": ");
        message.push_str(reason);
    }
    message
}

/// Whether `c` may never appear in a URL or an email address.
fn is_space_or_control(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// Whether `s` holds a character that is whitespace or a control
/// character: byte by byte for ASCII text (whitespace and control
/// characters there are the bytes up to the space, and DEL), character by
/// character otherwise.
fn has_space_or_control(s: &str) -> bool {
    if s.is_ascii() { s.bytes().any(|b| b <= b' ' || b == 0x7f) } else { s.chars().any(is_space_or_control) }
}

/// Checks a DNS name (`db.example.com`, `localhost`); `name` says what it is
/// in the message (`the host`, `the domain`). Labels hold letters (Unicode
/// ones too), digits and `-` (plus `_` when `underscore`, as container
/// service names have), 1 to 63 bytes each, no `-` at either end; the last
/// label is not all digits; 253 bytes at most, one trailing `.` allowed.
fn check_dns_name(name: &str, what: &str, underscore: bool) -> Result<(), String> {
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    if trimmed.is_empty() {
        return Err(format!("{what} is empty"));
    }
    if trimmed.len() > 253 {
        return Err(format!("{what} is longer than 253 characters"));
    }
    for label in trimmed.split('.') {
        if label.is_empty() {
            return Err(format!("{what} has an empty label (`..`)"));
        }
        if label.len() > 63 {
            return Err(format!("{what} has a label longer than 63 characters"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!("{what} has a label that starts or ends with `-`"));
        }
        if !label.chars().all(|c| c.is_alphanumeric() || c == '-' || (underscore && c == '_')) {
            let allowed = if underscore { "letters, digits, `-`, `_` and `.`" } else { "letters, digits, `-` and `.`" };
            return Err(format!("{what} may only hold {allowed}"));
        }
    }
    if trimmed.rsplit('.').next().is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!("{what} ends with an all-digit label"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_test_of_space_and_control_is_the_character_test() {
        for b in 0..=0x7f_u8 {
            let c = char::from(b);
            assert_eq!(has_space_or_control(&format!("a{c}b")), is_space_or_control(c), "{b:#x}");
        }
        assert!(has_space_or_control("caf\u{e9}\u{a0}") && !has_space_or_control("caf\u{e9}"));
    }

    #[test]
    fn text_failure_hides_secrets() {
        assert_eq!(text_failure("v", false, "a thing", None), "`v` is not a thing");
        assert_eq!(text_failure("v", true, "a thing", Some("why")), "must be a thing: why");
    }

    #[test]
    fn dns_names() {
        for ok in ["localhost", "db.example.com", "db.example.com.", "a-b.c", "xn--bcher-kva.de", "bücher.de", "a1"] {
            assert_eq!(check_dns_name(ok, "the host", false), Ok(()), "{ok}");
        }
        let label63 = "a".repeat(63);
        assert_eq!(check_dns_name(&label63, "the host", false), Ok(()));
        let name253 = [label63.as_str(), &label63, &label63, &"a".repeat(61)].join(".");
        assert_eq!(name253.len(), 253);
        assert_eq!(check_dns_name(&name253, "the host", false), Ok(()));
        assert_eq!(check_dns_name(&format!("{name253}."), "the host", false), Ok(()));
        assert!(check_dns_name(&format!("{name253}a"), "the host", false).is_err());
        assert!(check_dns_name(&"a".repeat(64), "the host", false).is_err());
        assert_eq!(check_dns_name("my_db", "the host", true), Ok(()));
        assert_eq!(
            check_dns_name("my_db", "the host", false).unwrap_err(),
            "the host may only hold letters, digits, `-` and `.`"
        );
        assert_eq!(check_dns_name("", "the domain", false).unwrap_err(), "the domain is empty");
        assert_eq!(check_dns_name(".", "the domain", false).unwrap_err(), "the domain is empty");
        assert_eq!(check_dns_name("a..b", "the host", false).unwrap_err(), "the host has an empty label (`..`)");
        assert_eq!(check_dns_name(".a", "the host", false).unwrap_err(), "the host has an empty label (`..`)");
        assert_eq!(
            check_dns_name("-a.com", "the host", false).unwrap_err(),
            "the host has a label that starts or ends with `-`"
        );
        assert!(check_dns_name("a-.com", "the host", false).is_err());
        assert_eq!(check_dns_name("a.123", "the host", false).unwrap_err(), "the host ends with an all-digit label");
        assert!(check_dns_name("a%2Fb", "the host", false).is_err());
    }
}
