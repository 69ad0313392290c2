//! What a leaf's type holds, learned from its `Deserialize` (the
//! [`Kind`] of the typed description): the type asks the deserializer for
//! what it wants (`deserialize_bool`, `deserialize_u16`, `deserialize_enum`
//! with its variant names, a sequence of …), and the probe answers by
//! stopping with what was asked. A list or a map is probed one level in (one
//! item, one entry), an `Option` or a `Secret` is seen through.

use std::fmt::{self, Display};

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, Expected, Visitor};

use super::probe::{Items, probe_error};
use crate::schema::Kind;
use crate::secret::{BYTES_TOKEN, TOKEN};

/// The kind of `T`.
pub(crate) fn kind_of<T: DeserializeOwned>() -> Kind {
    // A `Deserialize` that panics on the probe (a user's `unwrap`) tells nothing.
    let result = std::panic::catch_unwind(|| T::deserialize(KindProbe { depth: 0 }).map(|_| ()));
    match result {
        Ok(Err(Found(kind))) => kind,
        Ok(Ok(())) | Err(_) => Kind::Any,
    }
}

/// The probe's answer, carried as the error that stops the type's
/// `Deserialize`.
#[derive(Debug)]
struct Found(Kind);

// A type that refused what the probe offered: nothing known.
probe_error!(Found, refused: Found(Kind::Any));

/// How deep a probe goes (a recursive type stops here).
const MAX_DEPTH: u32 = 16;

#[derive(Clone, Copy)]
struct KindProbe {
    depth: u32,
}

impl KindProbe {
    /// The kind one level in (an item, an entry's value), `Any` when too deep.
    fn inner(self, probe: impl FnOnce(KindProbe) -> Result<(), Found>) -> Kind {
        if self.depth >= MAX_DEPTH {
            return Kind::Any;
        }
        match probe(KindProbe { depth: self.depth + 1 }) {
            Err(Found(kind)) => kind,
            Ok(()) => Kind::Any,
        }
    }
}

fn found<T>(kind: Kind) -> Result<T, Found> {
    Err(Found(kind))
}

fn integer(min: i128, max: i128) -> Kind {
    Kind::Integer { min, max }
}

macro_rules! found {
    ($($method:ident => $kind:expr;)*) => {$(
        fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Found> {
            found($kind)
        }
    )*};
}

impl<'de> Deserializer<'de> for KindProbe {
    type Error = Found;

    found! {
        deserialize_bool => Kind::Bool;
        deserialize_i8 => integer(i8::MIN.into(), i8::MAX.into());
        deserialize_i16 => integer(i16::MIN.into(), i16::MAX.into());
        deserialize_i32 => integer(i32::MIN.into(), i32::MAX.into());
        deserialize_i64 => integer(i64::MIN.into(), i64::MAX.into());
        deserialize_i128 => integer(i128::MIN, i128::MAX);
        deserialize_u8 => integer(0, u8::MAX.into());
        deserialize_u16 => integer(0, u16::MAX.into());
        deserialize_u32 => integer(0, u32::MAX.into());
        deserialize_u64 => integer(0, u64::MAX.into());
        deserialize_u128 => integer(0, i128::MAX);
        deserialize_f32 => Kind::Number;
        deserialize_f64 => Kind::Number;
        deserialize_char => Kind::Text;
        deserialize_str => Kind::Text;
        deserialize_string => Kind::Text;
        deserialize_identifier => Kind::Text;
        deserialize_bytes => Kind::Text;
        deserialize_byte_buf => Kind::Text;
        deserialize_unit => Kind::Any;
        deserialize_ignored_any => Kind::Any;
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Found> {
        let expecting = ExpectedText(&visitor).to_string();
        found(if expecting == crate::units::BYTE_SIZE_EXPECTING { Kind::ByteSize } else { Kind::Any })
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Found> {
        found(self.inner(|probe| visitor.visit_some(probe).map(drop)))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value, Found> {
        found(Kind::Any)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Found> {
        if name == BYTES_TOKEN {
            // A binary secret is written as `base64:` text.
            return found(Kind::Text);
        }
        let _ = TOKEN; // a `Secret<T>` is seen through, like any newtype
        found(self.inner(|probe| visitor.visit_newtype_struct(probe).map(drop)))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Found> {
        found(Kind::List(Box::new(self.inner(|probe| visitor.visit_seq(Items { probe, left: 1 }).map(drop)))))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Found> {
        found(Kind::List(Box::new(Kind::Any)))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, _: V) -> Result<V::Value, Found> {
        found(Kind::List(Box::new(Kind::Any)))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Found> {
        found(Kind::Map(Box::new(self.inner(|probe| visitor.visit_map(OneEntry { probe, key: true }).map(drop)))))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Found> {
        found(if name == "Duration" && fields == ["secs", "nanos"] { Kind::Duration } else { Kind::Struct(fields) })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Found> {
        found(Kind::Enum(variants))
    }
}

/// A visitor's `expecting` text.
struct ExpectedText<'v, V>(&'v V);

impl<'de, V: Visitor<'de>> Display for ExpectedText<'_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Expected::fmt(self.0, f)
    }
}

/// A map of one entry: a text key, then the probe as its value.
struct OneEntry {
    probe: KindProbe,
    key: bool,
}

impl<'de> de::MapAccess<'de> for OneEntry {
    type Error = Found;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Found> {
        if !std::mem::take(&mut self.key) {
            return Ok(None);
        }
        seed.deserialize(de::value::StrDeserializer::<Found>::new("key")).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Found> {
        seed.deserialize(self.probe)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};
    use std::time::Duration;

    use super::*;
    use crate::{ByteSize, Secret};

    #[derive(serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    #[allow(dead_code)]
    enum Level {
        Debug,
        Info,
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Point {
        x: u8,
        y: u8,
    }

    #[test]
    fn kinds_of_common_types() {
        assert_eq!(kind_of::<String>(), Kind::Text);
        assert_eq!(kind_of::<Option<Secret<String>>>(), Kind::Text);
        assert_eq!(kind_of::<std::path::PathBuf>(), Kind::Text);
        assert_eq!(kind_of::<u16>(), Kind::Integer { min: 0, max: 65535 });
        assert_eq!(kind_of::<std::num::NonZeroU16>(), Kind::Integer { min: 0, max: 65535 });
        assert_eq!(kind_of::<f64>(), Kind::Number);
        assert_eq!(kind_of::<bool>(), Kind::Bool);
        assert_eq!(kind_of::<Vec<String>>(), Kind::List(Box::new(Kind::Text)));
        assert_eq!(kind_of::<HashMap<String, Vec<u8>>>(), Kind::Map(Box::new(Kind::List(Box::new(kind_of::<u8>())))));
        assert_eq!(kind_of::<BTreeMap<String, Level>>(), Kind::Map(Box::new(Kind::Enum(&["debug", "info"]))));
        assert_eq!(kind_of::<Option<Level>>(), Kind::Enum(&["debug", "info"]));
        assert_eq!(kind_of::<Duration>(), Kind::Duration);
        assert_eq!(kind_of::<Option<ByteSize>>(), Kind::ByteSize);
        assert_eq!(kind_of::<Point>(), Kind::Struct(&["x", "y"]));
        assert_eq!(kind_of::<std::net::SocketAddr>(), Kind::Text);
        assert_eq!(kind_of::<Secret<Vec<u8>>>(), Kind::Text);
    }
}
