//! `email`: a pragmatic `local@domain` email address.

use super::{Email, check_dns_name, has_space_or_control, text_failure};

/// What an email address must look like, for messages.
const EXPECTED: &str = "an email address (name@example.com)";

/// Characters allowed before the `@` besides letters and digits (RFC 5322 `atext`, and `.`).
const LOCAL_SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~.";

/// Whether `s` looks like an email address a mail server would take:
/// `local@domain` with exactly one `@`, no spaces or control characters;
/// the local part 1 to 64 characters of letters, digits and
/// ``!#$%&'*+-/=?^_`{|}~``, with dots between (not at either end, not two
/// in a row); the domain a DNS name with at least one dot; 254 bytes in all.
/// Quoted local parts and IP-literal domains (`[192.0.2.1]`) are not accepted.
///
/// ```
/// use phoenix_config::validate::is_valid_email;
///
/// assert!(is_valid_email("ops@phoenix.example"));
/// assert!(is_valid_email("first.last+alerts@mail.example.co.uk"));
/// assert!(!is_valid_email("ops@localhost"));
/// assert!(!is_valid_email("ops phoenix@example.com"));
/// assert!(!is_valid_email("ops@@example.com"));
/// ```
pub fn is_valid_email(s: &str) -> bool {
    reason(s).is_none()
}

/// The `email` rule: `value` must be an email address (see [`is_valid_email`]);
/// the message says what is wrong.
///
/// ```
/// use phoenix_config::validate::email;
///
/// assert_eq!(email("ops@phoenix.example", false), Ok(()));
/// assert_eq!(
///     email("ops.example.com", false).unwrap_err(),
///     "`ops.example.com` is not an email address (name@example.com): it has no `@`"
/// );
/// // For a secret, the message leaves the value out.
/// assert_eq!(email("ops.example.com", true).unwrap_err(), "must be an email address (name@example.com): it has no `@`");
/// ```
pub fn email<T: ?Sized + Email>(value: &T, secret: bool) -> Result<(), String> {
    value.validate_email(secret)
}

pub(super) fn check(value: &str, secret: bool) -> Result<(), String> {
    match reason(value) {
        None => Ok(()),
        Some(reason) => Err(text_failure(value, secret, EXPECTED, Some(&reason))),
    }
}

/// Why `s` is not an email address; the reason never quotes `s`.
fn reason(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("it is empty".to_owned());
    }
    if has_space_or_control(s) {
        return Some("it contains a space or a control character".to_owned());
    }
    if s.len() > 254 {
        return Some("it is longer than 254 characters".to_owned());
    }
    let Some((local, domain)) = s.split_once('@') else {
        return Some("it has no `@`".to_owned());
    };
    if domain.contains('@') {
        return Some("it has more than one `@`".to_owned());
    }
    local_reason(local).or_else(|| domain_reason(domain))
}

fn local_reason(local: &str) -> Option<String> {
    let reason = if local.is_empty() {
        "nothing comes before the `@`"
    } else if local.chars().count() > 64 {
        "the part before the `@` is longer than 64 characters"
    } else if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        "the part before the `@` starts or ends with `.`, or has `..`"
    } else if !local.chars().all(|c| c.is_alphanumeric() || LOCAL_SPECIALS.contains(c)) {
        "the part before the `@` holds a character not allowed there (such as `,`, `;`, `\"`, `(` or `<`)"
    } else {
        return None;
    };
    Some(reason.to_owned())
}

fn domain_reason(domain: &str) -> Option<String> {
    if domain.is_empty() {
        return Some("nothing comes after the `@`".to_owned());
    }
    if domain.starts_with('[') {
        return Some("the domain is an IP address literal, which is not accepted".to_owned());
    }
    if domain.ends_with('.') {
        return Some("the domain ends with `.`".to_owned());
    }
    if !domain.contains('.') {
        return Some("the domain has no dot (such as `example.com`)".to_owned());
    }
    check_dns_name(domain, "the domain", false).err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_addresses() {
        for ok in [
            "a@b.co",
            "ops@phoenix.example",
            "first.last@example.com",
            "user+tag@mail.example.co.uk",
            "o'brien@example.ie",
            "x_y-z@sub-domain.example.org",
            "1234@example.com",
            "!#$%&'*+-/=?^_`{|}~@example.com",
            "josé@example.es",
            "user@bücher.de",
            "user@xn--bcher-kva.de",
            "user@123.example",
        ] {
            assert!(is_valid_email(ok), "{ok}");
            assert_eq!(email(ok, false), Ok(()));
        }
    }

    #[test]
    fn rejects_with_a_reason() {
        let cases = [
            ("", "it is empty"),
            ("ops.example.com", "it has no `@`"),
            ("ops@@example.com", "it has more than one `@`"),
            ("a@b@example.com", "it has more than one `@`"),
            ("ops @example.com", "it contains a space or a control character"),
            ("ops@example.com\n", "it contains a space or a control character"),
            (" ops@example.com", "it contains a space or a control character"),
            ("@example.com", "nothing comes before the `@`"),
            ("ops@", "nothing comes after the `@`"),
            ("ops@localhost", "the domain has no dot (such as `example.com`)"),
            (".ops@example.com", "the part before the `@` starts or ends with `.`, or has `..`"),
            ("ops.@example.com", "the part before the `@` starts or ends with `.`, or has `..`"),
            ("o..ps@example.com", "the part before the `@` starts or ends with `.`, or has `..`"),
            (
                "o,ps@example.com",
                "the part before the `@` holds a character not allowed there (such as `,`, `;`, `\"`, `(` or `<`)",
            ),
            (
                "\"ops\"@example.com",
                "the part before the `@` holds a character not allowed there (such as `,`, `;`, `\"`, `(` or `<`)",
            ),
            ("ops@example.com.", "the domain ends with `.`"),
            ("ops@[192.0.2.1]", "the domain is an IP address literal, which is not accepted"),
            ("ops@-example.com", "the domain has a label that starts or ends with `-`"),
            ("ops@example..com", "the domain has an empty label (`..`)"),
            ("ops@.example.com", "the domain has an empty label (`..`)"),
            ("ops@exa_mple.com", "the domain may only hold letters, digits, `-` and `.`"),
            ("ops@192.168.0.1", "the domain ends with an all-digit label"),
        ];
        for (value, reason) in cases {
            assert!(!is_valid_email(value), "{value:?}");
            assert_eq!(
                email(value, false).unwrap_err(),
                text_failure(value, false, EXPECTED, Some(reason)),
                "{value:?}"
            );
        }
    }

    #[test]
    fn length_limits_on_both_sides() {
        let local64 = "a".repeat(64);
        assert!(is_valid_email(&format!("{local64}@example.com")));
        assert_eq!(
            email(&format!("{local64}a@example.com"), true).unwrap_err(),
            "must be an email address (name@example.com): the part before the `@` is longer than 64 characters"
        );
        // 254 bytes in all: 64 + 1 + 189.
        let domain189 = format!("{}.{}.{}.com", "b".repeat(62), "c".repeat(62), "d".repeat(59));
        assert_eq!(domain189.len(), 189);
        assert!(is_valid_email(&format!("{local64}@{domain189}")));
        assert_eq!(
            email(&format!("{local64}@e{domain189}"), true).unwrap_err(),
            "must be an email address (name@example.com): it is longer than 254 characters"
        );
        assert!(!is_valid_email(&format!("ops@{}.com", "a".repeat(64))));
        assert!(is_valid_email(&format!("ops@{}.com", "a".repeat(63))));
    }

    #[test]
    fn messages() {
        assert_eq!(
            email("ops@localhost", false).unwrap_err(),
            "`ops@localhost` is not an email address (name@example.com): the domain has no dot (such as `example.com`)"
        );
    }

    #[test]
    fn secret_messages_hold_no_value() {
        for bad in ["hunter2", "hunter2@localhost", "hun ter2@example.com", "hunter2@exa_mple.com", "hunter2@"] {
            let message = email(bad, true).unwrap_err();
            assert!(message.starts_with("must be an email address (name@example.com): "), "{message}");
            assert!(!message.contains("hunter2") && !message.contains("exa_mple"), "{message}");
        }
    }
}
