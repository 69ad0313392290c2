//! Standard base64 (RFC 4648 §4, `+` and `/`), for `base64:` values, keys,
//! `enc:v1:` payloads, PEM blocks and etcd's JSON gateway.
//!
//! The crate's own, not the `base64` crate: a few dozen lines against a
//! crate and about 0.25 s of a clean build's CPU (README, Compile cost).
//! It accepts exactly what `base64`'s `STANDARD` engine accepts
//! ([`Padding::Required`]) and its `STANDARD_PAD_INDIFFERENT` one
//! ([`Padding::Optional`]), with the same four kinds of error; a unit test
//! checks that against the `base64` crate.
//!
//! Decoding never reallocates its output (the caller sizes it with
//! [`decoded_len`]), so a buffer wiped on drop leaves no copy behind.

/// What padding a decoder takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Padding {
    /// `=` up to a whole number of 4-character groups, and nothing else.
    #[cfg_attr(not(any(test, feature = "encryption", feature = "etcd")), allow(dead_code))]
    Required,
    /// With or without `=` (never more than a whole group needs).
    Optional,
}

/// Why a text is not base64. Never holds the text (it may be a secret).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Invalid {
    /// A character outside the alphabet (or `=` before the end).
    Byte,
    /// One character over a whole number of groups: no byte ends there.
    Length,
    /// The last character has bits set that no byte holds.
    LastSymbol,
    /// Padding missing, too long or where no padding goes.
    Padding,
}

impl Invalid {
    /// The error in words, without the offending byte, its offset or the length.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Invalid::Byte => "a character outside the base64 alphabet",
            Invalid::Length => "not a whole number of base64 characters",
            Invalid::LastSymbol => "the last character is not a valid ending",
            Invalid::Padding => "invalid padding",
        }
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The 6 bits of an alphabet character.
fn value(b: u8) -> Option<u32> {
    let v = match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Appends the padded encoding of `bytes` to `out`.
pub(crate) fn encode_into(bytes: &[u8], out: &mut String) {
    out.reserve(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
}

/// The padded encoding of `bytes`.
pub(crate) fn encode(bytes: impl AsRef<[u8]>) -> String {
    let mut out = String::new();
    encode_into(bytes.as_ref(), &mut out);
    out
}

/// An upper bound of the bytes `text_len` characters decode to.
pub(crate) fn decoded_len(text_len: usize) -> usize {
    text_len.div_ceil(4) * 3
}

/// Decodes `text`, appending the bytes to `out` (which never grows past the
/// capacity [`decoded_len`] gives; on an error it holds what came before).
pub(crate) fn decode_into(text: &[u8], padding: Padding, out: &mut Vec<u8>) -> Result<(), Invalid> {
    let body = text.strip_suffix(b"==").or_else(|| text.strip_suffix(b"=")).unwrap_or(text);
    let pad = text.len() - body.len();
    if body.iter().any(|&b| value(b).is_none()) {
        return Err(Invalid::Byte);
    }
    let rest = body.len() % 4;
    // `=` can only take the place of a group's third or fourth character.
    if (0..pad).any(|k| (body.len() + k) % 4 < 2) {
        return Err(Invalid::Byte);
    }
    if rest == 1 {
        return Err(Invalid::Length);
    }
    let whole = if rest == 0 { 0 } else { 4 - rest };
    let pad_ok = match padding {
        Padding::Required => pad == whole,
        Padding::Optional => pad <= whole,
    };
    if !pad_ok {
        return Err(Invalid::Padding);
    }
    let start = out.len();
    for group in body.chunks(4) {
        let n = group.iter().fold(0_u32, |n, &b| n << 6 | value(b).unwrap_or(0)) << (6 * (4 - group.len()));
        let [_, b0, b1, b2] = n.to_be_bytes();
        let take = group.len() - 1;
        if take < 3 && [b1, b2][take - 1] != 0 {
            out.truncate(start);
            return Err(Invalid::LastSymbol);
        }
        out.extend_from_slice(&[b0, b1, b2][..take]);
    }
    Ok(())
}

/// Decodes `text` into a new vector.
pub(crate) fn decode(text: impl AsRef<[u8]>, padding: Padding) -> Result<Vec<u8>, Invalid> {
    let text = text.as_ref();
    let mut out = Vec::with_capacity(decoded_len(text.len()));
    decode_into(text, padding, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use ::base64::Engine as _;
    use ::base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT};

    use super::*;

    fn theirs(engine: &impl ::base64::Engine, text: &[u8]) -> Result<Vec<u8>, Invalid> {
        engine.decode(text).map_err(|e| match e {
            ::base64::DecodeError::InvalidByte(..) => Invalid::Byte,
            ::base64::DecodeError::InvalidLength(_) => Invalid::Length,
            ::base64::DecodeError::InvalidLastSymbol { .. } => Invalid::LastSymbol,
            ::base64::DecodeError::InvalidPadding => Invalid::Padding,
        })
    }

    /// Every text of up to 5 characters over a small alphabet that holds
    /// each case (letters, a digit, `+`, `/`, `=`, a character outside,
    /// last characters with and without spare bits) decodes as the
    /// `base64` crate decodes it, in both modes.
    #[test]
    fn decodes_as_the_base64_crate_does() {
        let symbols = b"AQBg9+/=-";
        let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..5 {
            let longer: Vec<Vec<u8>> = texts
                .iter()
                .filter(|t| t.len() == texts.last().map_or(0, Vec::len))
                .flat_map(|t| symbols.iter().map(move |&s| [t.as_slice(), &[s]].concat()))
                .collect();
            texts.extend(longer);
        }
        assert!(texts.len() > 60_000);
        for text in &texts {
            assert_eq!(decode(text, Padding::Required), theirs(&STANDARD, text), "{:?}", String::from_utf8_lossy(text));
            assert_eq!(
                decode(text, Padding::Optional),
                theirs(&STANDARD_PAD_INDIFFERENT, text),
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn encodes_as_the_base64_crate_does_and_round_trips() {
        let mut bytes = Vec::new();
        for n in 0_u32..300 {
            assert_eq!(encode(&bytes), STANDARD.encode(&bytes));
            assert_eq!(decode(encode(&bytes), Padding::Required).unwrap(), bytes);
            let unpadded = encode(&bytes).trim_end_matches('=').to_owned();
            assert_eq!(decode(unpadded, Padding::Optional).unwrap(), bytes);
            bytes.push(n.wrapping_mul(2_654_435_761).to_le_bytes()[2]);
        }
    }

    #[test]
    fn decoding_stays_within_the_capacity_it_was_given() {
        let text = encode([7_u8; 100]);
        let mut out = Vec::with_capacity(decoded_len(text.len()));
        let capacity = out.capacity();
        decode_into(text.as_bytes(), Padding::Required, &mut out).unwrap();
        assert_eq!((out.len(), out.capacity()), (100, capacity));
        assert_eq!(Invalid::Byte.describe(), "a character outside the base64 alphabet");
    }
}
