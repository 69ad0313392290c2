//! Reading scalars: the YAML 1.2 core schema, lenient numbers and bools, and
//! the `a, b` / `[a, b]` / `{k: v}` syntax of lists and maps written as text.
//!
//! Everything here borrows from the text it reads: items and entries are
//! slices of the source, never copies.

use std::ops::ControlFlow;
use std::str::FromStr;

use crate::node::ScalarStyle;

/// A YAML core-schema null: `~`, `null` in three cases, or nothing at all.
pub(super) fn is_core_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// A YAML core-schema bool: `true`/`false` in three cases.
pub(super) fn core_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A bool written by a person: `true/false`, `1/0`, `yes/no`, `on/off`, any case.
pub(super) fn lenient_bool(text: &str) -> Option<bool> {
    const TRUE: [&str; 4] = ["true", "1", "yes", "on"];
    const FALSE: [&str; 4] = ["false", "0", "no", "off"];
    if TRUE.iter().any(|word| text.eq_ignore_ascii_case(word)) {
        Some(true)
    } else if FALSE.iter().any(|word| text.eq_ignore_ascii_case(word)) {
        Some(false)
    } else {
        None
    }
}

/// An integer read from text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Int {
    /// A well-formed integer that fits in 128 bits of magnitude.
    Value { negative: bool, magnitude: u128 },
    /// Well-formed, but too large for any integer type.
    TooLarge,
    /// Not an integer.
    Invalid,
}

/// Reads an integer: an optional sign, then decimal digits, or `0x`, `0o`,
/// `0b` followed by hexadecimal, octal or binary digits.
pub(super) fn parse_int(text: &str) -> Int {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = match rest.get(..2) {
        Some("0x" | "0X") => (16, &rest[2..]),
        Some("0o" | "0O") => (8, &rest[2..]),
        Some("0b" | "0B") => (2, &rest[2..]),
        _ => (10, rest),
    };
    if digits.is_empty() {
        return Int::Invalid;
    }
    let mut magnitude = Some(0u128);
    for c in digits.chars() {
        let Some(digit) = c.to_digit(radix) else { return Int::Invalid };
        magnitude =
            magnitude.and_then(|m| m.checked_mul(u128::from(radix))).and_then(|m| m.checked_add(u128::from(digit)));
    }
    match magnitude {
        Some(magnitude) => Int::Value { negative, magnitude },
        None => Int::TooLarge,
    }
}

/// The integer as `T`, when it fits.
pub(super) fn narrow<T: TryFrom<u128> + TryFrom<i128>>(negative: bool, magnitude: u128) -> Option<T> {
    if negative {
        let value = if magnitude == 1 << 127 { i128::MIN } else { -i128::try_from(magnitude).ok()? };
        T::try_from(value).ok()
    } else {
        T::try_from(magnitude).ok()
    }
}

/// A YAML core-schema integer: `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`.
pub(super) fn is_core_int(text: &str) -> bool {
    if let Some(hex) = text.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return !octal.is_empty() && octal.bytes().all(|b| matches!(b, b'0'..=b'7'));
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A YAML core-schema float: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`,
/// `[-+]?\.inf` or `.nan` (each in three cases).
pub(super) fn is_core_float(text: &str) -> bool {
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    let bytes = unsigned.as_bytes();
    let digits_from =
        |start: usize| bytes.get(start..).map_or(0, |s| s.iter().take_while(|b| b.is_ascii_digit()).count());
    let whole = digits_from(0);
    let mut at = whole;
    let mut fraction = 0;
    if bytes.get(at) == Some(&b'.') {
        fraction = digits_from(at + 1);
        at += 1 + fraction;
    }
    if whole == 0 && fraction == 0 {
        return false;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent = digits_from(at);
        if exponent == 0 {
            return false;
        }
        at += exponent;
    }
    at == bytes.len()
}

/// Why text is not a float of the requested type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FloatError {
    Invalid,
    OutOfRange,
}

/// Reads a float: what Rust's `FromStr` accepts (`1.5`, `-2e10`, `inf`,
/// `NaN`, …) and YAML's `.inf`, `-.inf`, `.nan`. A finite number too large
/// for the type is out of range rather than infinite.
pub(super) fn parse_float<F: FromStr + Into<f64> + Copy>(text: &str) -> Result<F, FloatError> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let spelled = match unsigned {
        ".inf" | ".Inf" | ".INF" if text.starts_with('-') => "-inf",
        ".inf" | ".Inf" | ".INF" => "inf",
        ".nan" | ".NaN" | ".NAN" if unsigned.len() == text.len() => "NaN",
        _ => text,
    };
    let value: F = spelled.parse().map_err(|_| FloatError::Invalid)?;
    let wide: f64 = value.into();
    if wide.is_infinite() && !spelled.to_ascii_lowercase().contains("inf") {
        return Err(FloatError::OutOfRange);
    }
    Ok(value)
}

/// Text that cannot be split into items or entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Syntax {
    /// A quote that is never closed.
    UnclosedQuote,
    /// A `[` or `{` inside an item or entry that is never closed.
    Unclosed(char),
    /// The `[` or `{` that opens the whole list or map is never closed.
    UnclosedOwn(char),
    /// A `]` or `}` without its opening bracket.
    Unmatched(char),
    /// An item or entry with nothing in it (`a,,b`).
    Empty,
    /// Text after the closing quote of a quoted item (`"a"b`).
    AfterQuote,
    /// An entry without `:` or `=` between key and value.
    NoSeparator,
    /// An entry whose key is empty (`: v`).
    EmptyKey,
}

/// Where text could not be split: the 0-based item or entry and the reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct SplitError {
    pub(super) index: usize,
    pub(super) syntax: Syntax,
}

impl SplitError {
    /// The message, naming the position as `noun`: a list's `item` 0-based
    /// as in paths (`item [1]`), a map's `entry` counted from 1.
    pub(super) fn message(self, noun: &str) -> String {
        let n = if noun == "item" { format!("[{}]", self.index) } else { (self.index + 1).to_string() };
        match self.syntax {
            Syntax::UnclosedQuote => format!("{noun} {n} has an unclosed quote"),
            Syntax::Unclosed(c) => format!("{noun} {n} has an unclosed `{c}`"),
            Syntax::UnclosedOwn('[') => "the list's opening `[` is not closed: end the list with `]`".to_owned(),
            Syntax::UnclosedOwn(_) => "the map's opening `{` is not closed: end the map with `}`".to_owned(),
            Syntax::Unmatched(c) => format!("{noun} {n} has an unmatched `{c}`"),
            Syntax::Empty => format!("{noun} {n} is empty"),
            Syntax::AfterQuote => format!("{noun} {n} has text after its closing quote"),
            Syntax::NoSeparator => format!("{noun} {n} is not a `key: value` pair"),
            Syntax::EmptyKey => format!("{noun} {n} has an empty key"),
        }
    }
}

/// A piece of text cut from a list or map: its text and how it was written
/// (`Quoted` when it was in quotes, otherwise `Text`).
pub(super) type Piece<'a> = (&'a str, ScalarStyle);

/// Walks the structure of `text`, skipping quoted runs, and calls
/// `visit(index, byte, depth)` for each `,` `:` `=` `[` `]` `{` `}` outside
/// quotes, `depth` being the number of brackets open around it (for a
/// bracket, around the bracket itself). A quote opens a quoted run only at
/// the start of an item, a key or a value: at the start of the text or
/// after `[`, `{`, `,`, `:` or `=` (spaces aside), so `it's` is plain text.
fn scan(text: &str, mut visit: impl FnMut(usize, u8, usize) -> ControlFlow<()>) -> Result<(), Syntax> {
    let bytes = text.as_bytes();
    let mut open: Vec<u8> = Vec::new();
    let mut previous: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let flow = match byte {
            b'"' | b'\'' if matches!(previous, None | Some(b'[' | b'{' | b',' | b':' | b'=')) => {
                let Some(length) = bytes[i + 1..].iter().position(|&b| b == byte) else {
                    return Err(Syntax::UnclosedQuote);
                };
                i += length + 2;
                previous = Some(byte);
                continue;
            }
            b'[' | b'{' => {
                let flow = visit(i, byte, open.len());
                open.push(byte);
                flow
            }
            b']' | b'}' => {
                let opening = if byte == b']' { b'[' } else { b'{' };
                if open.pop() != Some(opening) {
                    return Err(Syntax::Unmatched(char::from(byte)));
                }
                visit(i, byte, open.len())
            }
            b',' | b':' | b'=' => visit(i, byte, open.len()),
            _ => ControlFlow::Continue(()),
        };
        if flow.is_break() {
            return Ok(());
        }
        if !byte.is_ascii_whitespace() {
            previous = Some(byte);
        }
        i += 1;
    }
    match open.last() {
        Some(&byte) => Err(Syntax::Unclosed(char::from(byte))),
        None => Ok(()),
    }
}

/// The part of `text` that holds the items: the inside of `open` … `close`
/// when they enclose the whole text (`[a, b]`, but not `[a], [b]`), else
/// the text itself. Broken text that starts with `open` is read as
/// enclosed, so that its error names the right item.
fn enclosed(text: &str, open: u8, close: u8) -> Result<&str, SplitError> {
    if text.as_bytes().first() != Some(&open) {
        return Ok(text);
    }
    let mut end = None;
    let scanned = scan(text, |i, byte, depth| {
        if byte == close && depth == 0 {
            end = Some(i);
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    match (scanned, end) {
        (Ok(()), Some(end)) if end == text.len() - 1 => Ok(&text[1..end]),
        (Ok(()), _) => Ok(text),
        (Err(_), _) => {
            let body = &text[1..];
            let body = body.strip_suffix(char::from(close)).unwrap_or(body);
            let parts = split_commas(body)?;
            if text.len() > 1 && text.ends_with(char::from(close)) {
                Ok(body)
            } else {
                Err(SplitError { index: parts.len() - 1, syntax: Syntax::UnclosedOwn(char::from(open)) })
            }
        }
    }
}

/// Splits at the commas outside brackets and quotes; the parts are untrimmed.
fn split_commas(text: &str) -> Result<Vec<&str>, SplitError> {
    let mut parts = Vec::new();
    let mut start = 0;
    let scanned = scan(text, |i, byte, depth| {
        if byte == b',' && depth == 0 {
            parts.push(&text[start..i]);
            start = i + 1;
        }
        ControlFlow::Continue(())
    });
    match scanned {
        Ok(()) => {
            parts.push(&text[start..]);
            Ok(parts)
        }
        Err(syntax) => Err(SplitError { index: parts.len(), syntax }),
    }
}

/// An item, key or value without its quotes: `"a,b"` and `'a,b'` are
/// `a,b`, written `Quoted`; anything else is itself, written `Text`.
fn unquote(text: &str) -> Result<Piece<'_>, Syntax> {
    match text.as_bytes().first() {
        Some(&quote @ (b'"' | b'\'')) => {
            let Some(length) = text[1..].find(char::from(quote)) else { return Err(Syntax::UnclosedQuote) };
            if length + 2 == text.len() {
                Ok((&text[1..=length], ScalarStyle::Quoted))
            } else {
                Err(Syntax::AfterQuote)
            }
        }
        _ => Ok((text, ScalarStyle::Text)),
    }
}

/// Splits a list written as text: `a, b, c` or `[a, b, c]`. Items are
/// trimmed and may be quoted to hold commas or spaces; empty text and `[]`
/// are an empty list; an empty item is an error.
pub(super) fn split_list(text: &str) -> Result<Vec<Piece<'_>>, SplitError> {
    let text = text.trim();
    let inner = enclosed(text, b'[', b']')?;
    if inner.trim().is_empty() {
        return Ok(Vec::new());
    }
    split_commas(inner)?
        .into_iter()
        .enumerate()
        .map(|(index, part)| {
            let part = part.trim();
            if part.is_empty() {
                return Err(SplitError { index, syntax: Syntax::Empty });
            }
            unquote(part).map_err(|syntax| SplitError { index, syntax })
        })
        .collect()
}

/// Splits a map written as text: `{k: v, k2: v2}`, also without braces,
/// and with `=` in place of `:`. Keys and values are trimmed and may be
/// quoted; the first `:` or `=` outside quotes and brackets ends the key,
/// so `url: http://x` is one entry. An empty value is empty text.
pub(super) fn split_map(text: &str) -> Result<Vec<(Piece<'_>, Piece<'_>)>, SplitError> {
    let text = text.trim();
    let inner = enclosed(text, b'{', b'}')?;
    if inner.trim().is_empty() {
        return Ok(Vec::new());
    }
    split_commas(inner)?
        .into_iter()
        .enumerate()
        .map(|(index, part)| entry(part.trim()).map_err(|syntax| SplitError { index, syntax }))
        .collect()
}

fn entry(part: &str) -> Result<(Piece<'_>, Piece<'_>), Syntax> {
    if part.is_empty() {
        return Err(Syntax::Empty);
    }
    let mut separator = None;
    scan(part, |i, byte, depth| {
        if depth == 0 && matches!(byte, b':' | b'=') {
            separator = Some(i);
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })?;
    let at = separator.ok_or(Syntax::NoSeparator)?;
    let key = part[..at].trim();
    if key.is_empty() {
        return Err(Syntax::EmptyKey);
    }
    let value = part[at + 1..].trim();
    let value = if value.is_empty() { (value, ScalarStyle::Text) } else { unquote(value)? };
    Ok((unquote(key)?, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: ScalarStyle = ScalarStyle::Text;
    const Q: ScalarStyle = ScalarStyle::Quoted;

    #[test]
    fn core_schema_numbers() {
        for yes in ["0", "-5", "+7", "0x1F", "0o17", "123456789012345678901234567890"] {
            assert!(is_core_int(yes), "{yes}");
        }
        for no in ["", "-", "0x", "0b101", "1.0", "1_000", "-0x5", "0o8"] {
            assert!(!is_core_int(no), "{no}");
        }
        for yes in ["1.5", ".5", "5.", "-1.5e10", "1e5", "+2E-3", ".inf", "-.Inf", "+.INF", ".nan", ".NaN"] {
            assert!(is_core_float(yes), "{yes}");
        }
        for no in ["", ".", "e5", "1e", "inf", "nan", "-.nan", "1.2.3", "1,5", "0x1p3"] {
            assert!(!is_core_float(no), "{no}");
        }
    }

    #[test]
    fn integers_in_every_base() {
        assert_eq!(parse_int("42"), Int::Value { negative: false, magnitude: 42 });
        assert_eq!(parse_int("-0x10"), Int::Value { negative: true, magnitude: 16 });
        assert_eq!(parse_int("0o17"), Int::Value { negative: false, magnitude: 15 });
        assert_eq!(parse_int("0b101"), Int::Value { negative: false, magnitude: 5 });
        assert_eq!(parse_int("999999999999999999999999999999999999999999"), Int::TooLarge);
        assert_eq!(parse_int("99999999999999999999999999999999999999999x"), Int::Invalid);
        assert_eq!(parse_int("+-1"), Int::Invalid);
        assert_eq!(narrow::<i128>(true, 1 << 127), Some(i128::MIN));
        assert_eq!(narrow::<u8>(true, 0), Some(0));
        assert_eq!(narrow::<u8>(true, 1), None);
    }

    #[test]
    fn floats_with_yaml_spellings() {
        assert_eq!(parse_float::<f64>("-.inf"), Ok(f64::NEG_INFINITY));
        assert!(parse_float::<f64>(".nan").unwrap().is_nan());
        assert_eq!(parse_float::<f32>("1e40"), Err(FloatError::OutOfRange));
        assert_eq!(parse_float::<f64>("inf"), Ok(f64::INFINITY));
        assert_eq!(parse_float::<f64>("x"), Err(FloatError::Invalid));
    }

    #[test]
    fn lists_split_outside_quotes_and_brackets() {
        assert_eq!(split_list("a, b ,c").unwrap(), [("a", T), ("b", T), ("c", T)]);
        assert_eq!(split_list(" [a, 'b, c', \"d\"] ").unwrap(), [("a", T), ("b, c", Q), ("d", Q)]);
        assert_eq!(split_list("[1, 2], [3]").unwrap(), [("[1, 2]", T), ("[3]", T)]);
        assert_eq!(split_list("[[1, 2], [3]]").unwrap(), [("[1, 2]", T), ("[3]", T)]);
        assert_eq!(split_list("it's, fine").unwrap(), [("it's", T), ("fine", T)]);
        assert_eq!(split_list("{a: 1, b: 2}, {a: 3}").unwrap(), [("{a: 1, b: 2}", T), ("{a: 3}", T)]);
        assert!(split_list("").unwrap().is_empty());
        assert!(split_list(" [ ] ").unwrap().is_empty());
        assert_eq!(split_list("a,,b"), Err(SplitError { index: 1, syntax: Syntax::Empty }));
        assert_eq!(split_list("a,"), Err(SplitError { index: 1, syntax: Syntax::Empty }));
        assert_eq!(split_list("a, 'b"), Err(SplitError { index: 1, syntax: Syntax::UnclosedQuote }));
        assert_eq!(split_list("'a'b"), Err(SplitError { index: 0, syntax: Syntax::AfterQuote }));
        assert_eq!(split_list("[a, b"), Err(SplitError { index: 1, syntax: Syntax::UnclosedOwn('[') }));
        assert_eq!(split_list("a], b"), Err(SplitError { index: 0, syntax: Syntax::Unmatched(']') }));
        assert_eq!(split_list("[a, 'b]"), Err(SplitError { index: 1, syntax: Syntax::UnclosedQuote }));
        assert_eq!(split_list("[a, [b]"), Err(SplitError { index: 1, syntax: Syntax::Unclosed('[') }));
        assert_eq!(split_list("["), Err(SplitError { index: 0, syntax: Syntax::UnclosedOwn('[') }));
        assert_eq!(split_list("[a]]"), Err(SplitError { index: 0, syntax: Syntax::Unmatched(']') }));
    }

    #[test]
    fn maps_split_at_the_first_separator() {
        assert_eq!(
            split_map("{a: 1, url: http://x:80/?q=1, 'k:2' = \"v,w\", e:}").unwrap(),
            [
                (("a", T), ("1", T)),
                (("url", T), ("http://x:80/?q=1", T)),
                (("k:2", Q), ("v,w", Q)),
                (("e", T), ("", T))
            ]
        );
        assert_eq!(split_map("a=1").unwrap(), [(("a", T), ("1", T))]);
        assert_eq!(split_map("x: [1, 2]").unwrap(), [(("x", T), ("[1, 2]", T))]);
        assert!(split_map("{}").unwrap().is_empty());
        assert_eq!(split_map("a: 1, b"), Err(SplitError { index: 1, syntax: Syntax::NoSeparator }));
        assert_eq!(split_map(": 1"), Err(SplitError { index: 0, syntax: Syntax::EmptyKey }));
        assert_eq!(split_map("a: 1,,b: 2"), Err(SplitError { index: 1, syntax: Syntax::Empty }));
        assert_eq!(split_map("{a: 1, b: 2"), Err(SplitError { index: 1, syntax: Syntax::UnclosedOwn('{') }));
        assert_eq!(split_map("{k: [1}"), Err(SplitError { index: 0, syntax: Syntax::Unclosed('[') }));
        assert_eq!(SplitError { index: 1, syntax: Syntax::Empty }.message("entry"), "entry 2 is empty");
    }

    #[test]
    fn an_unclosed_bracket_says_whose_it_is() {
        let message = |e: SplitError, noun| e.message(noun);
        let list = "the list's opening `[` is not closed: end the list with `]`";
        assert_eq!(message(split_list("[a, b").unwrap_err(), "item"), list);
        assert_eq!(message(split_list("[1, 2").unwrap_err(), "item"), list);
        assert_eq!(message(split_list("[a, [b").unwrap_err(), "item"), "item [1] has an unclosed `[`");
        let map = "the map's opening `{` is not closed: end the map with `}`";
        assert_eq!(message(split_map("{a: 1, b: 2").unwrap_err(), "entry"), map);
        assert_eq!(message(split_map("{k: [1}").unwrap_err(), "entry"), "entry 1 has an unclosed `[`");
    }
}
