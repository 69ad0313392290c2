//! Converting a [`Node`] to a field's type (DESIGN §4.3), with a
//! `serde::Deserializer` that reads the tree in place (text is borrowed,
//! never copied).
//!
//! How each kind of node converts:
//!
//! - A YAML **plain** scalar is typed by the YAML 1.2 core schema when the
//!   target takes anything (`deserialize_any`: null, bools, integers, floats,
//!   else a string), but a string target always gets the exact source text:
//!   `02134` stays `"02134"`, `1.10` stays `"1.10"`, `true` stays `"true"`.
//! - A **quoted** or **block** scalar is text; a typed target (number,
//!   bool, …) still parses it, trimmed.
//! - **Text** (variables, `.env`, overrides, secret files) is a string to
//!   `deserialize_any` and is converted by the target: numbers (trimmed,
//!   range-checked, also `0x`/`0o`/`0b`), bools (`true/false/1/0/yes/no/on/off`,
//!   any case), lists (`a,b,c` or `[a, b, c]`), maps (`{k: v}` or `k: v`,
//!   and `k=v` too), tuples like lists, enums by name, `Option` (empty or
//!   blank text is `None`).
//! - In text lists and maps, items, keys and values are trimmed; one may be
//!   quoted (`"a,b"`, `'a, b'`) to hold commas, brackets or outer spaces, and
//!   is then a single value (never split again, and `""` is `Some("")`);
//!   brackets nest (`[[1, 2], [3]]`); the first `:` or `=` ends a key, so
//!   `url: http://x:80` is one entry. An empty item (`a,,b`, `a,`), an
//!   unclosed quote or bracket, or a key written twice is an error.
//! - A YAML scalar is not split: a list from a plain or quoted scalar is
//!   `expected a list, found a single value`.
//! - Enums match variant names exactly, else case-insensitively, from any
//!   scalar; a map of one entry (`{Fixed: 5}` as text too) is a variant with
//!   data. A tuple reads exactly as many items as it has.
//! - Errors inside a list or map say where (`item [1]: …`, ``key `a`: …``),
//!   counting items from 0 as paths do (`proxies[1]`) and a map's entries
//!   from 1, and come with the origin of the
//!   innermost node they happened in (the bad value's line and column, not
//!   the leaf's first line), except inside a secret.
//! - For a secret nothing of the value reaches a message: our messages drop
//!   the value, errors of serde visitors that embed it (`invalid_type`,
//!   `invalid_value`, `unknown_variant`, `custom`, …) are replaced by
//!   value-free text, and map keys are named only when they are field names
//!   of a struct (otherwise `entry 2`). The variant name of a secret enum is
//!   not echoed either.
//! - A value is secret when its field says so (`#[secret]`) or when its type
//!   holds a [`Secret`](crate::Secret) anywhere (see [`holds_secret`]): then
//!   no message of the whole leaf holds any part of it. Wherever a `Secret`
//!   is deserialized (it asks for a newtype of a reserved name), and
//!   everywhere in a `#[secret]` field, a `base64:` or `enc:v1:` scalar is
//!   decoded first, into a buffer wiped when the conversion ends; a
//!   `Secret<Vec<u8>>` gets the decoded bytes. Anywhere else an `enc:v1:`
//!   scalar is an error saying to make the field secret (kept as ciphertext
//!   it would be used silently); a `base64:` one is plain text there.

mod error;
mod kind;
pub(crate) mod of_type;
mod probe;
mod secret_probe;
mod text;

#[cfg(test)]
mod tests;

use std::fmt::{Display, Write as _};

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer as _, Visitor};
use zeroize::Zeroizing;

use self::error::{Error, Step, one_of};
pub(crate) use self::kind::kind_of;
pub(crate) use self::secret_probe::{holds_secret, wants_bytes};
use self::text::{FloatError, Int, Piece};
use crate::message::quote;
use crate::node::{Entry, Node, NodeKind, ScalarStyle};
use crate::secret::{self, BYTES_TOKEN, KeyRing, TOKEN};

/// How the message of a key a serde struct does not have starts, so that
/// the build reports it as an unknown key.
pub(crate) const UNKNOWN_KEY: &str = "unknown key";

/// Converts a node to `T` (`ty` is the field's type as written), without
/// keys. The error is one lowercase line without the path, and never
/// contains the value when `secret`.
pub(crate) fn from_node<T: DeserializeOwned>(node: &Node, secret: bool, ty: &'static str) -> Result<T, String> {
    let leaf = Leaf { secret, decode: false, keys: &secret::NO_KEYS, keys_failed: false };
    convert(node, &leaf, ty).map_err(|failure| failure.message)
}

/// How one leaf converts.
pub(crate) struct Leaf<'k> {
    /// The whole value is secret: no message shows any part of it.
    pub(crate) secret: bool,
    /// The field is `#[secret]`: its encoded scalars are decoded, not only
    /// those inside a `Secret`.
    pub(crate) decode: bool,
    /// The keys of `enc:v1:` values.
    pub(crate) keys: &'k KeyRing,
    /// The key variables were broken (already reported): an `enc:` value
    /// that cannot decrypt says nothing more.
    pub(crate) keys_failed: bool,
}

/// A conversion that failed.
#[derive(Debug)]
pub(crate) struct Failure {
    /// One lowercase line without the path, secret-safe.
    pub(crate) message: String,
    /// An encoded value did not decode (an [`IssueKind::Secret`](crate::IssueKind::Secret) issue).
    pub(crate) decoding: bool,
    /// Nothing to report: an `enc:` value whose keys were already reported broken.
    pub(crate) quiet: bool,
    /// Where the bad part came from, when it is a node inside the value (a
    /// key of a serde struct: its line, not the struct's); never inside a secret.
    pub(crate) origin: Option<crate::Origin>,
}

/// Converts a node to `T`, decoding encoded secrets with `leaf.keys`.
pub(crate) fn convert<T: DeserializeOwned>(node: &Node, leaf: &Leaf<'_>, ty: &'static str) -> Result<T, Failure> {
    let cx = Cx { keys: leaf.keys, keys_failed: leaf.keys_failed };
    let decoding = if leaf.decode { Decoding::On } else { Decoding::Off };
    let mode = Mode { secret: leaf.secret, decoding, bytes: false };
    T::deserialize(De { value: Value::of(node), cx: &cx, top: true, mode }).map_err(|e| Failure {
        message: e.render(leaf.secret, ty),
        decoding: e.is_decoding(),
        quiet: e.is_quiet(),
        origin: e.origin().cloned(),
    })
}

/// What every part of one conversion shares.
struct Cx<'k> {
    keys: &'k KeyRing,
    keys_failed: bool,
}

/// How a value is read.
#[derive(Clone, Copy)]
struct Mode {
    /// Inside a secret: messages hold no part of the value.
    secret: bool,
    /// Whether an encoded scalar is decoded before it is read.
    decoding: Decoding,
    /// A decoded value is handed over as bytes (a `Secret<Vec<u8>>`).
    bytes: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Decoding {
    /// Read as written.
    Off,
    /// An encoded scalar is decoded first.
    On,
    /// The value is decoded plaintext: never decoded again.
    Plaintext,
    /// A map key: a name, read as written.
    Name,
}

/// An `enc:v1:` value read where no secret is deserialized.
const ENCRYPTED_NOT_SECRET: &str = "the value is encrypted (`enc:v1:`) but the field is not secret: mark it `#[secret]` or use `Secret<T>` so it is decrypted";

/// A value to convert: a node of the tree, a piece of text cut from a
/// text list or map (an item, a key, a value), or decoded bytes.
#[derive(Clone, Copy)]
enum Value<'a> {
    Node(&'a Node),
    Piece(&'a str, ScalarStyle),
    Bytes(&'a [u8]),
}

#[derive(Clone, Copy)]
enum Shape<'a> {
    Null,
    Scalar(&'a str, ScalarStyle),
    Seq(&'a [Node]),
    Map(&'a [Entry]),
    Bytes(&'a [u8]),
}

impl<'a> Value<'a> {
    /// A node to convert; a scalar's text is taken once here (a conversion
    /// asks for it several times: each time a UTF-8 check of inline text).
    fn of(node: &'a Node) -> Self {
        match &node.kind {
            NodeKind::Scalar { text, style } => Value::Piece(text.as_str(), *style),
            _ => Value::Node(node),
        }
    }

    fn shape(self) -> Shape<'a> {
        match self {
            Value::Node(node) => match &node.kind {
                NodeKind::Null => Shape::Null,
                NodeKind::Scalar { text, style } => Shape::Scalar(text, *style),
                NodeKind::Seq(items) => Shape::Seq(items),
                NodeKind::Map(entries) => Shape::Map(entries),
            },
            Value::Piece(text, style) => Shape::Scalar(text, style),
            Value::Bytes(bytes) => Shape::Bytes(bytes),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Value::Node(node) => node.describe(),
            Value::Piece(..) => "a single value",
            Value::Bytes(_) => "binary data",
        }
    }

    /// Null, a YAML null, or blank text: what `Option` reads as `None`.
    fn is_nothing(self) -> bool {
        match self.shape() {
            Shape::Null => true,
            Shape::Scalar(text, ScalarStyle::Plain) => text::is_core_null(text),
            Shape::Scalar(text, ScalarStyle::Text) => text.trim().is_empty(),
            _ => false,
        }
    }
}

/// The deserializer: one value, whether it is the field itself, and how
/// it is read.
///
/// It implements `Deserializer<'de>` for every `'de` and never hands out
/// borrowed text (targets are `DeserializeOwned`), so that a decoded
/// secret, which lives only as long as one call, is read by the same code.
#[derive(Clone, Copy)]
struct De<'a, 'c> {
    value: Value<'a>,
    cx: &'c Cx<'c>,
    top: bool,
    mode: Mode,
}

/// Decodes an encoded scalar before a `deserialize_*` method reads it: the
/// method runs again on the plaintext, which is wiped when it returns.
macro_rules! decoded {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        if let Some(plain) = $self.decoded()? {
            return $self.plaintext(&plain)?.$method($($arg),*);
        }
    };
}

impl<'a, 'c> De<'a, 'c> {
    /// `error`, raised in `value` inside this one, at the origin of that
    /// node unless one further in said where (not inside a secret, nor for
    /// a piece of text, whose origin is its whole text's).
    fn located(&self, error: Error, node: Option<&Node>) -> Error {
        match node {
            Some(node) if !self.mode.secret => error.at(&node.origin),
            _ => error,
        }
    }

    /// An item, key or value inside this one.
    fn inner(&self, value: Value<'a>) -> Self {
        De { value, cx: self.cx, top: false, mode: self.mode }
    }

    /// The plaintext of an encoded scalar, when this value is to be decoded.
    /// An `enc:v1:` scalar where no secret is read is an error: kept as
    /// ciphertext it would be used silently (a `base64:` one is plain text
    /// there, which a string may legitimately start with).
    fn decoded(&self) -> Result<Option<Zeroizing<Vec<u8>>>, Error> {
        let Shape::Scalar(text, _) = self.value.shape() else { return Ok(None) };
        match self.mode.decoding {
            Decoding::On => secret::decode_bytes(text, self.cx.keys)
                .map_err(|message| Error::decoding(message, self.cx.keys_failed && text.starts_with("enc:"))),
            Decoding::Off if secret::is_encrypted(text) => Err(Error::ours(ENCRYPTED_NOT_SECRET)),
            Decoding::Off | Decoding::Name | Decoding::Plaintext => Ok(None),
        }
    }

    /// A deserializer of decoded plaintext: bytes for a byte secret, else
    /// text (which must be UTF-8).
    fn plaintext<'p>(&self, plain: &'p [u8]) -> Result<De<'p, 'c>, Error> {
        let value = if self.mode.bytes {
            Value::Bytes(plain)
        } else {
            let Shape::Scalar(encoded, _) = self.value.shape() else { unreachable!("only scalars are decoded") };
            let text = std::str::from_utf8(plain).map_err(|_| Error::decoding(secret::not_utf8(encoded), false))?;
            Value::Piece(text, ScalarStyle::Text)
        };
        let mode = Mode { secret: true, decoding: Decoding::Plaintext, bytes: false };
        Ok(De { value, cx: self.cx, top: self.top, mode })
    }

    /// `expected {what}, found a list`; for the field's own missing value,
    /// `expected {ty}, found nothing` (the renderer knows `ty`).
    fn mismatch(&self, what: &str) -> Error {
        if self.top && matches!(self.value.shape(), Shape::Null) {
            return Error::nothing();
        }
        Error::ours(format!("expected {what}, found {}", self.value.describe()))
    }

    /// `` `abc` `` followed by a space, or nothing for a secret.
    fn subject(&self, text: &str) -> String {
        if self.mode.secret { String::new() } else { format!("{} ", quote(text)) }
    }

    fn not_valid(&self, text: &str, what: &str) -> Error {
        Error::ours(format!("{}is not a valid {what}", self.subject(text)))
    }

    fn out_of_range(&self, text: &str, ty: &str, bounds: Option<(&dyn Display, &dyn Display)>) -> Error {
        let mut message = format!("{}is out of range for {ty}", self.subject(text));
        if let Some((min, max)) = bounds {
            let _ = write!(message, " ({min} to {max})");
        }
        Error::ours(message)
    }

    /// The trimmed text of a scalar for a typed target (a number, a bool).
    fn typed_text(&self, what: &str) -> Result<&'a str, Error> {
        match self.value.shape() {
            Shape::Scalar(text, style) => {
                if style == ScalarStyle::Plain && text::is_core_null(text) {
                    return Err(Error::ours(format!("expected {what}, found nothing")));
                }
                let trimmed = text.trim();
                if trimmed.is_empty() {
                    return Err(Error::ours(format!("expected {what}, found empty text")));
                }
                Ok(trimmed)
            }
            _ => Err(self.mismatch(what)),
        }
    }

    fn seq_access(&self, what: &str) -> Result<SeqAcc<'a, 'c>, Error> {
        let items = match self.value.shape() {
            Shape::Seq(nodes) => Items::Nodes(nodes),
            Shape::Scalar(text, ScalarStyle::Text) => {
                Items::Pieces(text::split_list(text).map_err(|e| Error::ours(e.message("item")))?)
            }
            Shape::Bytes(bytes) => Items::Bytes(bytes),
            _ => return Err(self.mismatch(what)),
        };
        Ok(SeqAcc { items, next: 0, de: *self })
    }

    /// `std::time::Duration` from a human duration (`250ms`, `1m30s`),
    /// handed to its visitor as `[secs, nanos]`.
    fn duration<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let text = self.typed_text("a duration like 5s")?;
        let duration = crate::units::parse_duration(text).map_err(|message| {
            // The message may name a unit of the text: a secret's says nothing of it.
            let message = if self.mode.secret { crate::units::not_a_duration() } else { message };
            Error::ours(format!("{}{message}", self.subject(text)))
        })?;
        let parts = [duration.as_secs(), u64::from(duration.subsec_nanos())];
        visitor.visit_seq(de::value::SeqDeserializer::new(parts.into_iter()))
    }

    fn map_access(&self, fields: &'static [&'static str]) -> Result<MapAcc<'a, 'c>, Error> {
        let entries = match self.value.shape() {
            Shape::Map(entries) => Entries::Nodes(entries),
            Shape::Scalar(text, ScalarStyle::Text) => {
                let pieces = text::split_map(text).map_err(|e| Error::ours(e.message("entry")))?;
                self.check_unique(&pieces)?;
                Entries::Pieces(pieces)
            }
            _ => return Err(self.mismatch("a map")),
        };
        Ok(MapAcc { entries, next: 0, fields, de: *self })
    }

    /// A map written as text may not repeat a key. Past a few entries a
    /// hash set keeps long texts (a `.env` value holds megabytes) linear.
    fn check_unique(&self, pieces: &[(Piece<'a>, Piece<'a>)]) -> Result<(), Error> {
        const SCAN_UP_TO: usize = 16;
        let mut seen = std::collections::HashSet::new();
        for (i, ((key, _), _)) in pieces.iter().enumerate() {
            let repeated = if pieces.len() <= SCAN_UP_TO {
                pieces[..i].iter().any(|((earlier, _), _)| earlier == key)
            } else {
                !seen.insert(*key)
            };
            if repeated {
                return Err(Error::ours(if self.mode.secret {
                    "an entry repeats an earlier key".to_owned()
                } else {
                    format!("key {} appears twice", quote(key))
                }));
            }
        }
        Ok(())
    }

    fn visit_seq_all<'de, V: Visitor<'de>>(self, visitor: V, what: &str) -> Result<V::Value, Error> {
        let mut access = self.seq_access(what)?;
        let value = visitor.visit_seq(&mut access)?;
        let total = access.items.len();
        if access.next < total {
            let n = access.next;
            if self.mode.secret {
                return Err(Error::ours("holds more items than its type takes"));
            }
            return Err(Error::ours(format!("expected {n} item{}, found {total}", if n == 1 { "" } else { "s" })));
        }
        Ok(value)
    }

    /// A YAML plain scalar, typed by the core schema.
    fn plain_any<'de, V: Visitor<'de>>(text: &str, visitor: V) -> Result<V::Value, Error> {
        if text::is_core_null(text) {
            return visitor.visit_unit();
        }
        if let Some(b) = text::core_bool(text) {
            return visitor.visit_bool(b);
        }
        if let (true, Int::Value { negative, magnitude }) = (text::is_core_int(text), text::parse_int(text)) {
            if let Some(v) = text::narrow::<u64>(negative, magnitude) {
                return visitor.visit_u64(v);
            }
            if let Some(v) = text::narrow::<i64>(negative, magnitude) {
                return visitor.visit_i64(v);
            }
            if let Some(v) = text::narrow::<u128>(negative, magnitude) {
                return visitor.visit_u128(v);
            }
            if let Some(v) = text::narrow::<i128>(negative, magnitude) {
                return visitor.visit_i128(v);
            }
        }
        if text::is_core_float(text) || text::is_core_int(text) {
            // Floats, and integers too large for 128 bits (as f64 do).
            if let Some(v) = text::parse_float::<f64>(text).ok().or_else(|| text.parse().ok()) {
                return visitor.visit_f64(v);
            }
        }
        visitor.visit_str(text)
    }

    fn float<F: std::str::FromStr + Into<f64> + Copy>(&self, ty: &str) -> Result<F, Error> {
        let text = self.typed_text(ty)?;
        text::parse_float::<F>(text).map_err(|e| match e {
            FloatError::Invalid => self.not_valid(text, ty),
            FloatError::OutOfRange => self.out_of_range(text, ty, None),
        })
    }
}

macro_rules! integers {
    ($($method:ident $visit:ident $t:ty;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            decoded!(self.$method(visitor));
            let ty = stringify!($t);
            let text = self.typed_text(ty)?;
            let range = || self.out_of_range(text, ty, Some((&<$t>::MIN, &<$t>::MAX)));
            match text::parse_int(text) {
                Int::Value { negative, magnitude } => match text::narrow::<$t>(negative, magnitude) {
                    Some(v) => visitor.$visit(v),
                    None => Err(range()),
                },
                Int::TooLarge => Err(range()),
                Int::Invalid => Err(self.not_valid(text, ty)),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for De<'_, '_> {
    type Error = Error;

    integers! {
        deserialize_i8 visit_i8 i8;
        deserialize_i16 visit_i16 i16;
        deserialize_i32 visit_i32 i32;
        deserialize_i64 visit_i64 i64;
        deserialize_i128 visit_i128 i128;
        deserialize_u8 visit_u8 u8;
        deserialize_u16 visit_u16 u16;
        deserialize_u32 visit_u32 u32;
        deserialize_u64 visit_u64 u64;
        deserialize_u128 visit_u128 u128;
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        decoded!(self.deserialize_any(visitor));
        match self.value.shape() {
            Shape::Null => visitor.visit_unit(),
            Shape::Scalar(text, ScalarStyle::Plain) => Self::plain_any(text, visitor),
            Shape::Scalar(text, _) => visitor.visit_str(text),
            Shape::Seq(_) => self.visit_seq_all(visitor, "a list"),
            Shape::Map(_) => visitor.visit_map(self.map_access(&[])?),
            Shape::Bytes(bytes) => visitor.visit_bytes(bytes),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        decoded!(self.deserialize_bool(visitor));
        let text = self.typed_text("a bool")?;
        match text::lenient_bool(text) {
            Some(b) => visitor.visit_bool(b),
            None => Err(Error::ours(format!(
                "{}is not a valid bool (use true/false, yes/no, on/off or 1/0)",
                self.subject(text)
            ))),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        decoded!(self.deserialize_f32(visitor));
        visitor.visit_f32(self.float("f32")?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        decoded!(self.deserialize_f64(visitor));
        visitor.visit_f64(self.float("f64")?)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        decoded!(self.deserialize_char(visitor));
        let single = |text: &str| {
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some(c),
                _ => None,
            }
        };
        if let Shape::Scalar(text, _) = self.value.shape()
            && let Some(c) = single(text)
        {
            return visitor.visit_char(c);
        }
        let text = self.typed_text("a character")?;
        match single(text) {
            Some(c) => visitor.visit_char(c),
            None => Err(Error::ours(format!("{}is not a single character", self.subject(text)))),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        decoded!(self.deserialize_str(visitor));
        match self.value.shape() {
            Shape::Scalar(text, _) => visitor.visit_str(text),
            _ => Err(self.mismatch("text")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        decoded!(self.deserialize_bytes(visitor));
        match self.value.shape() {
            Shape::Scalar(text, _) => visitor.visit_bytes(text.as_bytes()),
            Shape::Bytes(bytes) => visitor.visit_bytes(bytes),
            Shape::Seq(_) => self.visit_seq_all(visitor, "bytes"),
            _ => Err(self.mismatch("bytes")),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    /// Not decoded here: an encoded value is never nothing, and the value
    /// inside (a `Secret<Vec<u8>>`, say) decides how it decodes.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.value.is_nothing() { visitor.visit_none() } else { visitor.visit_some(self) }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        decoded!(self.deserialize_unit(visitor));
        if self.value.is_nothing() { visitor.visit_unit() } else { Err(self.mismatch("nothing")) }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    /// A [`Secret`](crate::Secret) asks for a newtype of a reserved name:
    /// from here on the value is secret, and its encoded scalars decode.
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Error> {
        if name == TOKEN || name == BYTES_TOKEN {
            let decoding = if self.mode.decoding == Decoding::Plaintext { Decoding::Plaintext } else { Decoding::On };
            let mode = Mode { secret: true, decoding, bytes: name == BYTES_TOKEN };
            return visitor.visit_newtype_struct(De { mode, ..self }).map_err(Error::in_secret);
        }
        decoded!(self.deserialize_newtype_struct(name, visitor));
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        decoded!(self.deserialize_seq(visitor));
        self.visit_seq_all(visitor, "a list")
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        decoded!(self.deserialize_tuple(len, visitor));
        self.visit_seq_all(visitor, "a list")
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        decoded!(self.deserialize_tuple_struct(name, len, visitor));
        self.visit_seq_all(visitor, "a list")
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        decoded!(self.deserialize_map(visitor));
        visitor.visit_map(self.map_access(&[])?)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        decoded!(self.deserialize_struct(name, fields, visitor));
        if name == "Duration" && fields == ["secs", "nanos"] && matches!(self.value.shape(), Shape::Scalar(..)) {
            return self.duration(visitor);
        }
        visitor.visit_map(self.map_access(fields)?)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        decoded!(self.deserialize_enum(name, variants, visitor));
        match self.value.shape() {
            Shape::Scalar(text, style) => self.scalar_enum(text, style, variants, visitor),
            Shape::Map([entry]) => {
                let name = resolve(&entry.key, variants);
                visitor.visit_enum(DataEnum { name, value: self.inner(Value::of(&entry.value)) })
            }
            Shape::Map(entries) => Err(one_entry(variants, entries.len(), self.mode.secret)),
            Shape::Null | Shape::Seq(_) | Shape::Bytes(_) => Err(self.mismatch(&one_of(variants))),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

impl De<'_, '_> {
    /// An enum written as a scalar: a variant's name, or `{Variant: data}` as text.
    fn scalar_enum<'de, V: Visitor<'de>>(
        self,
        text: &str,
        style: ScalarStyle,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let name = text.trim();
        let null = style == ScalarStyle::Plain
            && text::is_core_null(name)
            && !variants.iter().any(|v| v.eq_ignore_ascii_case(name));
        if name.is_empty() || null {
            let found = if style == ScalarStyle::Plain { "nothing" } else { "empty text" };
            return Err(Error::ours(format!("expected {}, found {found}", one_of(variants))));
        }
        if style == ScalarStyle::Text && name.starts_with('{') {
            let mut entries = text::split_map(name).map_err(|e| Error::ours(e.message("entry")))?;
            if entries.len() != 1 {
                return Err(one_entry(variants, entries.len(), self.mode.secret));
            }
            let ((key, _), (value, value_style)) = entries.remove(0);
            let name = resolve(key.trim(), variants);
            return visitor.visit_enum(DataEnum { name, value: self.inner(Value::Piece(value, value_style)) });
        }
        visitor.visit_enum(NameEnum { name: resolve(name, variants), secret: self.mode.secret })
    }
}

fn one_entry(variants: &[&str], len: usize, secret: bool) -> Error {
    let found = if secret { "a map of several keys".to_owned() } else { format!("a map of {len} keys") };
    Error::ours(format!("expected {}, or a map with one of them as its only key, found {found}", one_of(variants)))
}

/// The variant `name` stands for: itself when it matches exactly, else the
/// one variant it matches ignoring case (the visitor wants the exact name).
fn resolve<'a>(name: &'a str, variants: &'static [&'static str]) -> &'a str {
    if variants.contains(&name) {
        return name;
    }
    let mut matches = variants.iter().filter(|v| v.eq_ignore_ascii_case(name));
    match (matches.next(), matches.next()) {
        (Some(only), None) => only,
        _ => name,
    }
}

/// The items of a list: nodes, pieces of text, or decoded bytes.
enum Items<'a> {
    Nodes(&'a [Node]),
    Pieces(Vec<Piece<'a>>),
    Bytes(&'a [u8]),
}

impl Items<'_> {
    /// The item's node, when the items are nodes (its origin is its own).
    fn node(&self, index: usize) -> Option<&Node> {
        match self {
            Items::Nodes(nodes) => nodes.get(index),
            Items::Pieces(_) | Items::Bytes(_) => None,
        }
    }

    fn len(&self) -> usize {
        match self {
            Items::Nodes(nodes) => nodes.len(),
            Items::Pieces(pieces) => pieces.len(),
            Items::Bytes(bytes) => bytes.len(),
        }
    }
}

struct SeqAcc<'a, 'c> {
    items: Items<'a>,
    next: usize,
    /// The list itself (its mode and context).
    de: De<'a, 'c>,
}

impl<'de> de::SeqAccess<'de> for SeqAcc<'_, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let index = self.next;
        let value = match &self.items {
            Items::Nodes(nodes) => nodes.get(index).map(Value::of),
            Items::Pieces(pieces) => pieces.get(index).map(|&(text, style)| Value::Piece(text, style)),
            Items::Bytes(bytes) => {
                let Some(&byte) = bytes.get(index) else { return Ok(None) };
                self.next += 1;
                return seed.deserialize(byte.into_deserializer()).map(Some);
            }
        };
        let Some(value) = value else { return Ok(None) };
        self.next += 1;
        seed.deserialize(self.de.inner(value))
            .map(Some)
            .map_err(|e| self.de.located(e, self.items.node(index)).within(Step::Item(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len() - self.next)
    }
}

/// The entries of a map: nodes, or pieces of text.
enum Entries<'a> {
    Nodes(&'a [Entry]),
    Pieces(Vec<(Piece<'a>, Piece<'a>)>),
}

impl<'a> Entries<'a> {
    /// The entry's value node, when the entries are nodes.
    fn node(&self, index: usize) -> Option<&'a Node> {
        match self {
            Entries::Nodes(entries) => entries.get(index).map(|e| &e.value),
            Entries::Pieces(_) => None,
        }
    }

    fn len(&self) -> usize {
        match self {
            Entries::Nodes(entries) => entries.len(),
            Entries::Pieces(pieces) => pieces.len(),
        }
    }

    /// The key's text, the key as a value, and the value.
    fn get(&self, index: usize) -> Option<(&'a str, Value<'a>, Value<'a>)> {
        match self {
            Entries::Nodes(entries) => entries
                .get(index)
                .map(|e| (e.key.as_str(), Value::Piece(&e.key, ScalarStyle::Text), Value::of(&e.value))),
            Entries::Pieces(pieces) => pieces.get(index).map(|&((key, key_style), (value, style))| {
                (key, Value::Piece(key, key_style), Value::Piece(value, style))
            }),
        }
    }
}

struct MapAcc<'a, 'c> {
    entries: Entries<'a>,
    next: usize,
    /// The field names, when the map is read as a struct: a secret's keys
    /// are named in messages only when they are among them.
    fields: &'static [&'static str],
    /// The map itself (its mode and context).
    de: De<'a, 'c>,
}

impl MapAcc<'_, '_> {
    /// A key the struct does not have (serde's derive would skip it
    /// silently): named with a suggestion, unless the value is a secret.
    fn unknown_key(&self, key: &str, index: usize) -> Error {
        if self.de.mode.secret {
            return Error::ours(format!("is an {UNKNOWN_KEY}")).within(Step::Entry(index));
        }
        Error::ours(match crate::suggest::closest(key, self.fields.iter().copied()) {
            Some(best) => format!("{UNKNOWN_KEY} {}, did you mean `{best}`?", quote(key)),
            None => format!("{UNKNOWN_KEY} {}; known keys here: {}", quote(key), self.fields.join(", ")),
        })
    }

    fn shows(&self, key: &str) -> bool {
        !self.de.mode.secret || self.fields.contains(&key)
    }
}

impl<'de> de::MapAccess<'de> for MapAcc<'_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let index = self.next;
        let Some((key, key_value, _)) = self.entries.get(index) else { return Ok(None) };
        if !self.fields.is_empty() && !self.fields.contains(&key) {
            let error = self.unknown_key(key, index);
            return Err(match (&self.entries, self.de.mode.secret) {
                (Entries::Nodes(entries), false) => error.at(&entries[index].key_origin),
                _ => error,
            });
        }
        // Keys are never decoded: they are names, not values.
        let decoding = if self.de.mode.decoding == Decoding::Plaintext { Decoding::Plaintext } else { Decoding::Name };
        let key_de = De { mode: Mode { decoding, ..self.de.mode }, ..self.de.inner(key_value) };
        seed.deserialize(key_de).map(Some).map_err(|e| {
            if e.names_key() {
                if self.de.mode.secret { e.within(Step::Entry(index)) } else { e }
            } else if self.shows(key) {
                e.within(Step::Key(key.to_owned()))
            } else {
                e.within(Step::EntryKey(index))
            }
        })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let index = self.next;
        let Some((key, _, value)) = self.entries.get(index) else {
            return Err(Error::ours("a map value was read before its key"));
        };
        self.next += 1;
        let step = if self.shows(key) { Step::Key(key.to_owned()) } else { Step::Entry(index) };
        seed.deserialize(self.de.inner(value)).map_err(|e| self.de.located(e, self.entries.node(index)).within(step))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len() - self.next)
    }
}

/// An enum written as a variant's name.
struct NameEnum<'a> {
    name: &'a str,
    secret: bool,
}

impl NameEnum<'_> {
    fn needs_value(&self) -> Error {
        Error::ours(if self.secret {
            "this variant needs a value".to_owned()
        } else {
            format!("variant {} needs a value", quote(self.name))
        })
    }
}

impl<'de> de::EnumAccess<'de> for NameEnum<'_> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), Error> {
        let variant = seed.deserialize(StrDeserializer::<Error>::new(self.name))?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for NameEnum<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, _seed: S) -> Result<S::Value, Error> {
        Err(self.needs_value())
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, Error> {
        Err(self.needs_value())
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], _visitor: V) -> Result<V::Value, Error> {
        Err(self.needs_value())
    }
}

/// An enum written as a map of one entry: the variant's name, its data.
struct DataEnum<'a, 'c> {
    name: &'a str,
    value: De<'a, 'c>,
}

impl<'de> de::EnumAccess<'de> for DataEnum<'_, '_> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), Error> {
        let variant = seed.deserialize(StrDeserializer::<Error>::new(self.name))?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for DataEnum<'_, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        if self.value.value.is_nothing() {
            return Ok(());
        }
        Err(Error::ours(if self.value.mode.secret {
            "this variant takes no value".to_owned()
        } else {
            format!("variant {} takes no value", quote(self.name))
        }))
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        seed.deserialize(self.value)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        self.value.deserialize_tuple(len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        self.value.deserialize_struct("", fields, visitor)
    }
}
