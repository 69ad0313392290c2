//! What a type holds, learned by running its `Deserialize` on made-up
//! values: whether a [`Secret`](crate::Secret) sits anywhere inside it
//! (a list, a map, a `Box`, an alias, a serde struct, an enum variant),
//! and whether it reads bytes (`Vec<u8>`, `[u8; N]`).
//!
//! The probe offers the smallest value of each shape the type asks for: one
//! item for a list, one entry for a map, every field of a struct, each
//! variant of an enum in turn (one run per variant), `Some` for an
//! `Option`. It stops at the first `Secret`. A type whose `Deserialize`
//! rejects the made-up values early (a `NonZeroU32` before a `Secret`, a
//! custom check) hides what follows; the build step then still learns of a
//! `Secret` when it is deserialized for real.

use std::cell::Cell;

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, Visitor};

use super::probe::{Items, probe_error};
use crate::secret::{self, BYTES_TOKEN, TOKEN};

/// Why a probe stopped.
#[derive(Debug)]
enum Stop {
    /// A `Secret` was asked for.
    Secret,
    /// The type reads bytes.
    Bytes,
    /// Anything else (the type refused a made-up value, or is too deep).
    Other,
}

probe_error!(Stop, refused: Stop::Other);

/// How deep a probe goes (a recursive type stops here).
const MAX_DEPTH: u32 = 24;

/// How many runs a probe makes at most (one per variant of the widest enum).
const MAX_ROUNDS: usize = 32;

/// Whether `T` holds a `Secret<_>` anywhere.
pub(crate) fn holds_secret<T: DeserializeOwned>() -> bool {
    let widest = Cell::new(1);
    let mut round = 0;
    while round < widest.get().min(MAX_ROUNDS) {
        let before = secret::seen();
        // A `Deserialize` that panics on a made-up value (a user's `unwrap`)
        // must not take the load down: it just tells nothing more.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            T::deserialize(Probe { depth: 0, round, widest: &widest })
        }))
        .unwrap_or(Err(Stop::Other));
        if matches!(result, Err(Stop::Secret)) || secret::seen() != before {
            return true;
        }
        round += 1;
    }
    false
}

/// Whether `T` reads bytes: a list of `u8`, or serde's bytes.
pub(crate) fn wants_bytes<'de, T: de::Deserialize<'de>>() -> bool {
    matches!(T::deserialize(BytesProbe { item: false }), Err(Stop::Bytes))
}

#[derive(Clone, Copy)]
struct Probe<'w> {
    depth: u32,
    /// Which variant each enum offers: `round` modulo its number of variants.
    round: usize,
    /// The most variants an enum had so far (how many rounds to run).
    widest: &'w Cell<usize>,
}

impl Probe<'_> {
    fn deeper(self) -> Result<Self, Stop> {
        if self.depth >= MAX_DEPTH {
            return Err(Stop::Other);
        }
        Ok(Probe { depth: self.depth + 1, ..self })
    }
}

macro_rules! zero {
    ($($method:ident $visit:ident $value:expr;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            visitor.$visit($value)
        }
    )*};
}

impl<'de> Deserializer<'de> for Probe<'_> {
    type Error = Stop;

    zero! {
        deserialize_bool visit_bool false;
        deserialize_i8 visit_i8 0;
        deserialize_i16 visit_i16 0;
        deserialize_i32 visit_i32 0;
        deserialize_i64 visit_i64 0;
        deserialize_i128 visit_i128 0;
        deserialize_u8 visit_u8 0;
        deserialize_u16 visit_u16 0;
        deserialize_u32 visit_u32 0;
        deserialize_u64 visit_u64 0;
        deserialize_u128 visit_u128 0;
        deserialize_f32 visit_f32 0.0;
        deserialize_f64 visit_f64 0.0;
        deserialize_char visit_char 'a';
        deserialize_str visit_str "";
        deserialize_string visit_str "";
        deserialize_identifier visit_str "";
        deserialize_bytes visit_bytes &[];
        deserialize_byte_buf visit_bytes &[];
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_unit()
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_unit()
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_some(self.deeper()?)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Stop> {
        if name == TOKEN || name == BYTES_TOKEN {
            return Err(Stop::Secret);
        }
        visitor.visit_newtype_struct(self.deeper()?)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_seq(Items { probe: self.deeper()?, left: 1 })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_seq(Items { probe: self.deeper()?, left: len })
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_map(Fields { probe: self.deeper()?, names: None, next: 0 })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        visitor.visit_map(Fields { probe: self.deeper()?, names: Some(fields), next: 0 })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        let Some(count) = std::num::NonZeroUsize::new(variants.len()) else { return Err(Stop::Other) };
        self.widest.set(self.widest.get().max(count.get()));
        let name = variants[self.round % count];
        visitor.visit_enum(Variant { probe: self.deeper()?, name })
    }
}

/// A struct's fields by name, or one entry of a map.
struct Fields<'w> {
    probe: Probe<'w>,
    names: Option<&'static [&'static str]>,
    next: usize,
}

impl<'de> de::MapAccess<'de> for Fields<'_> {
    type Error = Stop;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Stop> {
        let index = self.next;
        self.next += 1;
        match self.names {
            Some(names) => match names.get(index) {
                Some(name) => seed.deserialize(StrDeserializer::new(name)).map(Some),
                None => Ok(None),
            },
            None if index == 0 => seed.deserialize(self.probe).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Stop> {
        seed.deserialize(self.probe)
    }
}

struct Variant<'w> {
    probe: Probe<'w>,
    name: &'static str,
}

impl<'de, 'w> de::EnumAccess<'de> for Variant<'w> {
    type Error = Stop;
    type Variant = Probe<'w>;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Probe<'w>), Stop> {
        Ok((seed.deserialize(StrDeserializer::new(self.name))?, self.probe))
    }
}

impl<'de> de::VariantAccess<'de> for Probe<'_> {
    type Error = Stop;

    fn unit_variant(self) -> Result<(), Stop> {
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Stop> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Stop> {
        self.deserialize_tuple(len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], visitor: V) -> Result<V::Value, Stop> {
        self.deserialize_struct("", fields, visitor)
    }
}

/// Answers a list with one `u8` item, and stops there: serde's bytes, or a
/// list whose item is read as a `u8` (`item`: the probe is that item).
#[derive(Clone, Copy)]
struct BytesProbe {
    item: bool,
}

impl<'de> Deserializer<'de> for BytesProbe {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop::Other)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(if self.item { Stop::Bytes } else { Stop::Other })
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(if self.item { Stop::Other } else { Stop::Bytes })
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        if self.item {
            return Err(Stop::Other);
        }
        visitor.visit_seq(Items { probe: BytesProbe { item: true }, left: 1 })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Stop> {
        self.deserialize_seq(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u16 u32 u64 u128 f32 f64 char str string option unit unit_struct
        newtype_struct tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use serde::Deserialize;

    use super::*;
    use crate::Secret;

    type Pin = Secret<u32>;

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Leaf {
        user: String,
        pin: Secret<u16>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    enum Auth {
        None,
        Token(Secret<String>),
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Tree {
        children: Vec<Tree>,
        name: String,
    }

    #[test]
    fn finds_a_secret_however_it_is_spelled_or_nested() {
        assert!(holds_secret::<Secret<String>>());
        assert!(holds_secret::<Vec<Secret<u32>>>());
        assert!(holds_secret::<HashMap<String, Secret<u16>>>());
        assert!(holds_secret::<BTreeMap<String, Vec<Option<Pin>>>>());
        assert!(holds_secret::<Box<Secret<u32>>>());
        assert!(holds_secret::<Pin>());
        assert!(holds_secret::<Leaf>());
        assert!(holds_secret::<Vec<Leaf>>());
        assert!(holds_secret::<(u8, Secret<u8>)>());
        assert!(holds_secret::<Auth>(), "the second variant holds it");
    }

    /// Panics on every value: the probe survives it.
    struct Touchy;

    impl<'de> Deserialize<'de> for Touchy {
        fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
            panic!("touchy")
        }
    }

    #[test]
    fn a_panicking_deserialize_tells_nothing() {
        assert!(!holds_secret::<Touchy>());
    }

    #[test]
    fn plain_types_hold_none_and_recursion_ends() {
        assert!(!holds_secret::<String>());
        assert!(!holds_secret::<Vec<HashMap<String, Option<u32>>>>());
        assert!(!holds_secret::<Tree>());
        assert!(!holds_secret::<std::time::Duration>());
    }

    #[test]
    fn byte_types_are_told_apart_from_text_and_lists() {
        assert!(wants_bytes::<Vec<u8>>());
        assert!(wants_bytes::<[u8; 32]>());
        assert!(wants_bytes::<Box<[u8]>>());
        assert!(!wants_bytes::<String>());
        assert!(!wants_bytes::<Vec<String>>());
        assert!(!wants_bytes::<Vec<u16>>());
        assert!(!wants_bytes::<u32>());
    }
}
