//! The deserializer's error: what went wrong and where in the value, kept
//! structured until the end so that a secret's message can leave its value out.

use std::fmt::{self, Display, Write as _};

use serde::de::{self, Expected, Unexpected};

use crate::Origin;
use crate::message::quote;
use crate::suggest;

/// A failed conversion. Rendered once, by [`Error::render`], knowing whether
/// the value is a secret.
#[derive(Debug)]
pub(crate) struct Error {
    problem: Problem,
    /// Where in the value, innermost first.
    context: Vec<Step>,
    /// It happened inside a `Secret`: rendered without the value even when
    /// the field itself was not known to be secret.
    secret: bool,
    /// Where the innermost node of the tree it happened in came from (the
    /// line of the bad value inside a serde struct); never set inside a
    /// secret, whose inner positions could tell the lengths of its parts.
    origin: Option<Box<Origin>>,
}

#[derive(Debug)]
enum Problem {
    /// Written by this deserializer, already without the value when secret.
    Ours(String),
    /// An encoded value did not decode: the message names the key id,
    /// never the value. `quiet` when the keys were already reported broken.
    Decoding {
        message: String,
        quiet: bool,
    },
    /// The field has no value and its type is not an `Option`.
    Nothing,
    /// From a visitor or a `Deserialize` impl: may hold the value.
    Custom(String),
    InvalidType {
        found: String,
        kind: &'static str,
        expected: String,
    },
    InvalidValue {
        found: String,
        expected: String,
    },
    InvalidLength {
        len: usize,
        expected: String,
    },
    UnknownVariant {
        variant: String,
        expected: &'static [&'static str],
    },
    UnknownField {
        field: String,
        expected: &'static [&'static str],
    },
    MissingField(&'static str),
    DuplicateField(&'static str),
}

/// A step into a list or a map.
#[derive(Debug)]
pub(super) enum Step {
    /// The list item at this 0-based index.
    Item(usize),
    /// The map value under this key (a key that may be shown).
    Key(String),
    /// The value of the map entry at this 0-based index (a secret's key).
    Entry(usize),
    /// The key of the map entry at this 0-based index (a secret's key).
    EntryKey(usize),
}

impl Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Item(i) => write!(f, "item [{i}]"),
            Step::Key(key) => write!(f, "key {}", quote(key)),
            Step::Entry(i) => write!(f, "entry {}", i + 1),
            Step::EntryKey(i) => write!(f, "the key of entry {}", i + 1),
        }
    }
}

impl Error {
    /// A message of this deserializer; it must already be secret-safe.
    pub(super) fn ours(message: impl Into<String>) -> Self {
        Error::new(Problem::Ours(message.into()))
    }

    /// An encoded value that did not decode.
    pub(super) fn decoding(message: String, quiet: bool) -> Self {
        Error::new(Problem::Decoding { message, quiet })
    }

    /// The same error, raised inside a `Secret`.
    pub(super) fn in_secret(mut self) -> Self {
        self.secret = true;
        self.origin = None;
        self
    }

    /// The same error, at `origin` unless a node further in already said
    /// where.
    #[must_use]
    pub(super) fn at(mut self, origin: &Origin) -> Self {
        if self.origin.is_none() {
            self.origin = Some(Box::new(origin.clone()));
        }
        self
    }

    /// Where the innermost node it happened in came from, if known.
    pub(super) fn origin(&self) -> Option<&Origin> {
        self.origin.as_deref()
    }

    /// Whether an encoded value did not decode.
    pub(super) fn is_decoding(&self) -> bool {
        matches!(self.problem, Problem::Decoding { .. })
    }

    /// Whether there is nothing to say (the keys were already reported broken).
    pub(super) fn is_quiet(&self) -> bool {
        matches!(self.problem, Problem::Decoding { quiet: true, .. })
    }

    /// `expected {ty}, found nothing`, `ty` being the field's type.
    pub(super) fn nothing() -> Self {
        Error::new(Problem::Nothing)
    }

    fn new(problem: Problem) -> Self {
        Error { problem, context: Vec::new(), secret: false, origin: None }
    }

    /// The same error, one step further out.
    #[must_use]
    pub(super) fn within(mut self, step: Step) -> Self {
        self.context.push(step);
        self
    }

    /// Whether the message names the key itself (an unknown or repeated
    /// key), so that saying which key again would be noise.
    pub(super) fn names_key(&self) -> bool {
        matches!(self.problem, Problem::UnknownField { .. } | Problem::DuplicateField(_)) && self.context.is_empty()
    }

    /// The one-line message: lowercase, no trailing period, and for a
    /// secret without any part of the value. `ty` is the field's type.
    pub(crate) fn render(&self, secret: bool, ty: &str) -> String {
        let mut out = String::new();
        for step in self.context.iter().rev() {
            let _ = write!(out, "{step}: ");
        }
        if !(secret || self.secret) || !self.write_secret(ty, &mut out) {
            self.write_plain(ty, &mut out);
        }
        one_line(out)
    }

    /// The message of a secret's problem that would show the value, written
    /// without it; `false` when the problem never holds the value.
    fn write_secret(&self, ty: &str, out: &mut String) -> bool {
        match &self.problem {
            Problem::Custom(_) if self.context.is_empty() => {
                let _ = write!(out, "is not a valid {}", value_type(ty));
            }
            Problem::Custom(_) => out.push_str("is not valid"),
            Problem::InvalidType { kind, expected, .. } => {
                let _ = write!(out, "expected {expected}, found {kind}");
            }
            Problem::InvalidValue { expected, .. } => {
                let _ = write!(out, "is not valid, expected {expected}");
            }
            Problem::InvalidLength { expected, .. } => {
                let _ = write!(out, "expected {expected}, found another number of items");
            }
            Problem::UnknownVariant { .. } => out.push_str("is not one of the expected values"),
            Problem::UnknownField { .. } => out.push_str("is an unknown key"),
            _ => return false,
        }
        true
    }

    fn write_plain(&self, ty: &str, out: &mut String) {
        match &self.problem {
            Problem::Ours(message) | Problem::Decoding { message, .. } => out.push_str(message),
            Problem::Nothing => {
                let _ = write!(out, "expected {ty}, found nothing");
            }
            Problem::Custom(message) => out.push_str(&tidy(message)),
            Problem::InvalidType { found, expected, .. } => {
                let _ = write!(out, "expected {expected}, found {found}");
            }
            Problem::InvalidValue { found, expected } => {
                let _ = write!(out, "{found} is not valid, expected {expected}");
            }
            Problem::InvalidLength { len, expected } => {
                let s = if *len == 1 { "" } else { "s" };
                let _ = write!(out, "expected {expected}, found {len} item{s}");
            }
            Problem::UnknownVariant { variant, expected } => {
                let _ = write!(out, "unknown value {}, expected {}", quote(variant), one_of(expected));
                if let Some(best) = closest(variant, expected) {
                    let _ = write!(out, " (did you mean `{best}`?)");
                }
            }
            Problem::UnknownField { field, expected } => write_unknown_field(field, expected, out),
            Problem::MissingField(field) => {
                let _ = write!(out, "missing key `{field}`");
            }
            Problem::DuplicateField(field) => {
                let _ = write!(out, "key `{field}` appears twice");
            }
        }
    }
}

fn write_unknown_field(field: &str, expected: &'static [&'static str], out: &mut String) {
    let _ = write!(out, "unknown key {}", quote(field));
    if let Some(best) = closest(field, expected) {
        let _ = write!(out, ", did you mean `{best}`?");
    } else if expected.is_empty() {
        out.push_str("; no keys are expected here");
    } else {
        let _ = write!(out, "; known keys here: {}", expected.join(", "));
    }
}

/// The expected name closest to `word`, when it is a likely typo. A word
/// much longer than every name (hostile text runs to megabytes) cannot be
/// one, and is not compared: the edit distance costs its length times the
/// name's, in time and memory.
fn closest(word: &str, expected: &[&'static str]) -> Option<&'static str> {
    let longest = expected.iter().map(|name| name.chars().count()).max()?;
    let bound = 3 * longest + 3;
    if word.chars().take(bound + 1).count() > bound {
        return None;
    }
    suggest::closest(word, expected.iter().copied())
}

/// ``one of `a`, `b` `` for a list of names (`` `a` `` alone for one).
pub(super) fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing (there are no values to choose from)".to_owned(),
        [one] => format!("`{one}`"),
        many => {
            let mut out = "one of ".to_owned();
            for (i, name) in many.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "`{name}`");
            }
            out
        }
    }
}

/// The type a field's value is checked against, without the `Option` and
/// `Secret` around it: `Option<Secret<Url>>` → `Url`.
fn value_type(ty: &str) -> &str {
    let mut ty = ty.trim();
    loop {
        let Some((outer, rest)) = ty.split_once('<') else { return ty };
        let name = outer.trim().rsplit("::").next().unwrap_or(outer);
        match rest.strip_suffix('>') {
            Some(inner) if matches!(name, "Option" | "Secret") => ty = inner.trim(),
            _ => return ty,
        }
    }
}

/// A foreign message in our style: lowercase start, no trailing period.
fn tidy(message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    let mut chars = message.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(message.chars().skip(1)).collect()
        }
        _ => message.to_owned(),
    }
}

/// Line breaks become spaces: issues display on one line.
fn one_line(message: String) -> String {
    if message.contains(['\n', '\r']) { message.replace("\r\n", " ").replace(['\n', '\r'], " ") } else { message }
}

/// How an unexpected value is shown: with its value, and as a kind only
/// (for secrets).
fn found(unexpected: Unexpected<'_>) -> (String, &'static str) {
    let kind = match unexpected {
        Unexpected::Bool(_) => "a bool",
        Unexpected::Unsigned(_) | Unexpected::Signed(_) | Unexpected::Float(_) => "a number",
        Unexpected::Char(_) => "a character",
        Unexpected::Str(_) => "text",
        Unexpected::Bytes(_) => "bytes",
        Unexpected::Unit => "nothing",
        Unexpected::Option => "an optional value",
        Unexpected::NewtypeStruct => "a newtype struct",
        Unexpected::Seq => "a list",
        Unexpected::Map => "a map",
        Unexpected::Enum => "an enum",
        Unexpected::UnitVariant => "a unit variant",
        Unexpected::NewtypeVariant => "a newtype variant",
        Unexpected::TupleVariant => "a tuple variant",
        Unexpected::StructVariant => "a struct variant",
        Unexpected::Other(_) => "a value",
    };
    let shown = match unexpected {
        Unexpected::Bool(b) => format!("`{b}`"),
        Unexpected::Unsigned(n) => format!("`{n}`"),
        Unexpected::Signed(n) => format!("`{n}`"),
        Unexpected::Float(x) => format!("`{x}`"),
        Unexpected::Char(c) => quote(c.encode_utf8(&mut [0; 4])),
        Unexpected::Str(s) => quote(s),
        Unexpected::Other(other) => other.to_owned(),
        _ => kind.to_owned(),
    };
    (shown, kind)
}

impl Display for Error {
    /// The message as for a value that is not secret; [`Error::render`]
    /// is what reaches users.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false, "value"))
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: Display>(message: T) -> Self {
        Error::new(Problem::Custom(message.to_string()))
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        let (found, kind) = found(unexpected);
        Error::new(Problem::InvalidType { found, kind, expected: expected.to_string() })
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Error::new(Problem::InvalidValue { found: found(unexpected).0, expected: expected.to_string() })
    }

    fn invalid_length(len: usize, expected: &dyn Expected) -> Self {
        Error::new(Problem::InvalidLength { len, expected: expected.to_string() })
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Error::new(Problem::UnknownVariant { variant: variant.to_owned(), expected })
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error::new(Problem::UnknownField { field: field.to_owned(), expected })
    }

    fn missing_field(field: &'static str) -> Self {
        Error::new(Problem::MissingField(field))
    }

    fn duplicate_field(field: &'static str) -> Self {
        Error::new(Problem::DuplicateField(field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_type_strips_option_and_secret() {
        assert_eq!(value_type("Option<Secret<Url>>"), "Url");
        assert_eq!(value_type("std::option::Option<phoenix_config::Secret<Vec<String>>>"), "Vec<String>");
        assert_eq!(value_type("HashMap<String, u8>"), "HashMap<String, u8>");
        assert_eq!(value_type("u32"), "u32");
    }

    #[test]
    fn foreign_messages_are_tidied() {
        assert_eq!(tidy("Invalid URL."), "invalid URL");
        assert_eq!(tidy("URL missing"), "URL missing");
        assert_eq!(one_line("a\r\nb\nc".to_owned()), "a b c");
        assert_eq!(quote("a\tb"), "`a\\tb`");
    }
}
