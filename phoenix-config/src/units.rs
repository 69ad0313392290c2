//! Human durations (`250ms`, `5s`, `1m30s`, `2h`, `1d`) for
//! `std::time::Duration` fields, and [`ByteSize`] (`512KiB`, `10MB`, `1GiB`).
//!
//! A small parser of our own: the grammar is a handful of lines, and the
//! maintained crates for it (humantime, bytesize, …) each bring a format of
//! their own that the loader and the schema would then have to agree with.

use std::fmt;
use std::time::Duration;

use crate::message::quote;

/// The units a duration takes, for messages and the schema.
pub(crate) const DURATION_UNITS: &str = "ns, us, ms, s, m, h, d";

/// The pattern of a duration in the JSON Schema.
#[cfg(feature = "docs")]
pub(crate) const DURATION_PATTERN: &str = r"^\s*([0-9]+(\.[0-9]+)?\s*(ns|us|µs|ms|s|m|h|d)\s*)+$";

/// The pattern of a byte size in the JSON Schema.
#[cfg(feature = "docs")]
pub(crate) const BYTE_SIZE_PATTERN: &str = r"^\s*[0-9]+(\.[0-9]+)?\s*([kKmMgGtT]i?)?[bB]?\s*$";

/// Nanoseconds per unit.
fn duration_unit(unit: &str) -> Option<u128> {
    Some(match unit {
        "ns" => 1,
        "us" | "µs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        "d" => 86_400_000_000_000,
        _ => return None,
    })
}

/// Splits `1.5ms` into the number and the rest, after leading spaces.
fn number(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    let end = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (digits, rest) = text.split_at(end);
    (!digits.is_empty() && digits.bytes().filter(|&b| b == b'.').count() <= 1 && !digits.starts_with('.'))
        .then_some((digits, rest))
}

/// `digits` × `scale`, exactly for whole numbers, rounded down to a unit of
/// the scale's smallest part for decimals; `None` on overflow.
fn scaled(digits: &str, scale: u128) -> Option<u128> {
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut value = whole.parse::<u128>().ok()?.checked_mul(scale)?;
    let mut part = scale;
    for digit in fraction.bytes() {
        part /= 10;
        value = value.checked_add(u128::from(digit - b'0') * part)?;
    }
    Some(value)
}

/// What a text that is not a duration is told, without any part of it
/// (the message of a secret's bad duration).
pub(crate) fn not_a_duration() -> String {
    format!("is not a duration: write numbers with units ({DURATION_UNITS}), like 250ms, 5s, 1m30s or 2h")
}

/// Reads a human duration: numbers with units, in any order of size
/// (`1m30s`, `1h 30m`, `250ms`, `1.5s`). The error says what is wrong
/// without quoting the text (the caller does, unless it is a secret), but
/// may name an unknown unit: a secret's is [`not_a_duration`].
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = not_a_duration;
    if text.trim().is_empty() {
        return Err(bad());
    }
    let mut total: u128 = 0;
    let mut rest = text;
    while !rest.trim().is_empty() {
        let (digits, after) = number(rest).ok_or_else(bad)?;
        let after = after.trim_start();
        let end = after.find(|c: char| c.is_ascii_digit() || c.is_whitespace()).unwrap_or(after.len());
        let (unit, tail) = after.split_at(end);
        if unit.is_empty() {
            return Err(format!("has a number without a unit: write one of {DURATION_UNITS}, like 5s"));
        }
        let scale =
            duration_unit(unit).ok_or_else(|| format!("has the unknown unit {}: use {DURATION_UNITS}", quote(unit)))?;
        total = scaled(digits, scale)
            .and_then(|n| total.checked_add(n))
            .ok_or_else(|| "is too long a duration".to_owned())?;
        rest = tail;
    }
    let secs = u64::try_from(total / 1_000_000_000).map_err(|_| "is too long a duration".to_owned())?;
    let nanos = u32::try_from(total % 1_000_000_000).unwrap_or(0);
    Ok(Duration::new(secs, nanos))
}

/// A number of bytes, read from `512KiB`, `10MB`, `1GiB`, `1.5G` or a plain
/// number of bytes (`4096`). Decimal units are powers of 1000 (`KB`, `MB`,
/// `GB`, `TB`, or `K`, `M`, `G`, `T`), binary units powers of 1024 (`KiB`,
/// `MiB`, `GiB`, `TiB`); letters in any case, `B` optional.
///
/// ```
/// use phoenix_config::ByteSize;
///
/// let size: ByteSize = "512KiB".parse()?;
/// assert_eq!(size.bytes(), 512 * 1024);
/// assert_eq!("10MB".parse::<ByteSize>()?.bytes(), 10_000_000);
/// # Ok::<(), String>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteSize(pub u64);

impl ByteSize {
    /// The number of bytes.
    pub fn bytes(self) -> u64 {
        self.0
    }
}

/// The units a byte size takes, for messages.
const BYTE_UNITS: &str = "B, KB, MB, GB, TB, KiB, MiB, GiB, TiB";

fn byte_unit(unit: &str) -> Option<u128> {
    let unit = unit.to_ascii_lowercase();
    let unit = unit.strip_suffix('b').unwrap_or(&unit);
    Some(match unit {
        "" => 1,
        "k" => 1_000,
        "m" => 1_000_000,
        "g" => 1_000_000_000,
        "t" => 1_000_000_000_000,
        "ki" => 1 << 10,
        "mi" => 1 << 20,
        "gi" => 1 << 30,
        "ti" => 1 << 40,
        _ => return None,
    })
}

/// Why a text is not a [`ByteSize`].
enum SizeError {
    /// Not a number and a unit.
    NotASize,
    /// More bytes than a `u64` holds.
    TooLarge,
}

impl SizeError {
    /// What the text should have been, for serde's "expected …".
    fn expected(&self) -> String {
        match self {
            SizeError::NotASize => format!("a size: a number and a unit ({BYTE_UNITS}), like 512KiB, 10MB or 1GiB"),
            SizeError::TooLarge => "a size below 16EiB".to_owned(),
        }
    }
}

fn parse_size(text: &str) -> Result<ByteSize, SizeError> {
    let (digits, unit) = number(text).ok_or(SizeError::NotASize)?;
    let scale = byte_unit(unit.trim()).ok_or(SizeError::NotASize)?;
    let bytes = scaled(digits, scale).and_then(|n| u64::try_from(n).ok()).ok_or(SizeError::TooLarge)?;
    Ok(ByteSize(bytes))
}

impl std::str::FromStr for ByteSize {
    type Err = String;

    /// The error says what is wrong without quoting the text.
    fn from_str(text: &str) -> Result<Self, String> {
        parse_size(text).map_err(|error| match error {
            SizeError::NotASize => {
                format!("is not a size: write a number and a unit ({BYTE_UNITS}), like 512KiB, 10MB or 1GiB")
            }
            SizeError::TooLarge => "is too large a size".to_owned(),
        })
    }
}

impl fmt::Display for ByteSize {
    /// The largest binary unit that divides the size (`512KiB`), else bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (unit, scale) in [("TiB", 1u64 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
            if self.0 >= scale && self.0.is_multiple_of(scale) {
                return write!(f, "{}{unit}", self.0 / scale);
            }
        }
        write!(f, "{}B", self.0)
    }
}

/// What a [`ByteSize`] expects, as serde says it (the kind probe of
/// `crate::de` knows the type by it).
pub(crate) const BYTE_SIZE_EXPECTING: &str = "a size like 512KiB, 10MB or 1GiB";

impl<'de> serde::Deserialize<'de> for ByteSize {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Unexpected;

        struct Visit;

        impl serde::de::Visitor<'_> for Visit {
            type Value = ByteSize;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(BYTE_SIZE_EXPECTING)
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ByteSize, E> {
                Ok(ByteSize(v))
            }

            // Errors through serde's `invalid_value`: the deserializer
            // quotes the value (phoenix-config's never a secret's).
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ByteSize, E> {
                u64::try_from(v)
                    .map(ByteSize)
                    .map_err(|_| E::invalid_value(Unexpected::Signed(v), &"a size of 0 bytes or more"))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ByteSize, E> {
                parse_size(v).map_err(|error| E::invalid_value(Unexpected::Str(v), &error.expected().as_str()))
            }
        }

        deserializer.deserialize_any(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_units_in_any_combination() {
        let cases = [
            ("250ms", Duration::from_millis(250)),
            ("5s", Duration::from_secs(5)),
            ("1m30s", Duration::from_secs(90)),
            ("1h 30m", Duration::from_secs(5400)),
            ("2h", Duration::from_secs(7200)),
            ("1d", Duration::from_secs(86_400)),
            ("1.5s", Duration::from_millis(1500)),
            ("10us", Duration::from_micros(10)),
            ("7ns", Duration::from_nanos(7)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_duration(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn a_bad_duration_lists_the_units() {
        for text in ["", "5", "5x", "s", "1..5s", "abc"] {
            let message = parse_duration(text).unwrap_err();
            assert!(message.contains("ns, us, ms, s, m, h, d"), "{text:?}: {message}");
        }
        assert!(parse_duration("99999999999999999999999d").unwrap_err().contains("too long"));
        assert_eq!(
            parse_duration("5\u{1b}x").unwrap_err(),
            "has the unknown unit `\\u{1b}x`: use ns, us, ms, s, m, h, d"
        );
        assert!(!not_a_duration().contains('`'));
    }

    #[test]
    fn serde_is_told_the_bad_size_so_the_deserializer_quotes_it() {
        use serde::Deserialize as _;
        use serde::de::value::{Error, I64Deserializer, StrDeserializer};
        let error = ByteSize::deserialize(StrDeserializer::<Error>::new("10XB")).unwrap_err().to_string();
        assert!(error.starts_with("invalid value: string \"10XB\", expected a size: a number and a unit"), "{error}");
        let error = ByteSize::deserialize(I64Deserializer::<Error>::new(-5)).unwrap_err().to_string();
        assert_eq!(error, "invalid value: integer `-5`, expected a size of 0 bytes or more");
    }

    #[test]
    fn sizes_read_decimal_and_binary_units() {
        let cases = [
            ("512KiB", 512 * 1024),
            ("10MB", 10_000_000),
            ("1GiB", 1 << 30),
            ("1.5G", 1_500_000_000),
            ("4096", 4096),
            ("2 kib", 2048),
        ];
        for (text, expected) in cases {
            assert_eq!(text.parse::<ByteSize>().map(ByteSize::bytes), Ok(expected), "{text}");
        }
        assert!("10XB".parse::<ByteSize>().unwrap_err().contains("KiB"));
        assert!("".parse::<ByteSize>().is_err());
        assert_eq!(ByteSize(512 * 1024).to_string(), "512KiB");
        assert_eq!(ByteSize(1000).to_string(), "1000B");
    }
}
