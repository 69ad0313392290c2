//! Enums read by name whose variants' doc comments describe the choices.
//!
//! serde's `Deserialize` tells the names an enum is written with (the
//! [`Kind::Enum`](crate::schema::Kind::Enum) of a leaf) but not what they
//! mean: doc comments do not reach it. [`ConfigEnum`] (derived with
//! `#[derive(ConfigEnum)]` beside `Deserialize`) gives each variant's doc
//! comment, and the JSON Schema shows them as `enumDescriptions` beside the
//! names, the `.env` example and the YAML template beside the field.
//!
//! A name is matched with its doc comment by the enum's own `Deserialize`:
//! the name is read into a value, and the value says which variant it is.
//! So `rename`, `rename_all`, `alias`, `skip` and `other` mean exactly what
//! serde makes of them, and a name serde lists but refuses gets no
//! description instead of a wrong one. The same reading names a value the
//! other way round (`enum_name`: a default `Level::Info` shown as `info`).

use serde::de::DeserializeOwned;
use serde::de::value::{Error, StrDeserializer};

use crate::de::of_type::TypeProbe;

/// An enum read from one of its variant names, whose variants have doc
/// comments: what each choice means, for generated docs and editors.
///
/// Derive it beside `Deserialize` on an enum of unit variants; a
/// `PhoenixConfig` field of that type (or an `Option`, list, set or map of
/// it) then shows the descriptions without anything more:
///
/// ```
/// use phoenix_config::serde::Deserialize;
/// use phoenix_config::{ConfigEnum, PhoenixConfig};
///
/// /// How much to log.
/// #[derive(Debug, Deserialize, ConfigEnum)]
/// #[serde(crate = "phoenix_config::serde", rename_all = "lowercase")]
/// enum Level {
///     /// Diagnostics.
///     Debug,
///     /// Normal operation.
///     Info,
/// }
///
/// #[derive(PhoenixConfig)]
/// struct Settings {
///     #[config(default = "info")]
///     level: Level,
/// }
///
/// assert_eq!(Level::Info.variant_doc(), "Normal operation.");
/// // What the JSON Schema shows as `enumDescriptions` beside `"enum": ["debug", "info"]`:
/// let level = &Settings::describe().fields[0];
/// assert_eq!((level.variant_doc)("info"), Some("Normal operation."));
/// ```
pub trait ConfigEnum: DeserializeOwned {
    /// The doc comment of this value's variant, each line trimmed, joined
    /// with one space (empty when it has none).
    fn variant_doc(&self) -> &'static str;

    /// The names of this value's variant given by `#[serde(alias = "…")]`:
    /// a file may use them, docs show the variant's own name (the derive
    /// writes it; empty by default).
    fn variant_aliases(&self) -> &'static [&'static str] {
        &[]
    }
}

/// The value `E`'s `Deserialize` reads `name` into; `None` when it refuses
/// the name (or panics).
pub(crate) fn read<E: ConfigEnum>(name: &str) -> Option<E> {
    let read = std::panic::catch_unwind(|| E::deserialize(StrDeserializer::<Error>::new(name)).ok());
    read.ok().flatten()
}

/// The doc comment of the variant `name` selects, as `E`'s `Deserialize`
/// reads it; `None` when it refuses the name (or panics).
pub(crate) fn doc_of<E: ConfigEnum>(name: &str) -> Option<&'static str> {
    read::<E>(name).map(|value| value.variant_doc())
}

/// A name no enum has: an enum that reads it has a catch-all variant
/// (`#[serde(other)]`) and accepts any name.
#[cfg(any(feature = "docs", test))]
pub(crate) const UNLISTED_NAME: &str = "\u{1}phoenix-config: not a variant\u{1}";

/// A type that is a [`ConfigEnum`], or an `Option`, list, set or map of one:
/// the enum whose names the type's values are written with.
pub trait HoldsConfigEnum {
    /// The enum.
    type Enum: ConfigEnum;
}

impl<T: ConfigEnum> HoldsConfigEnum for T {
    type Enum = T;
}

macro_rules! holds {
    ($($ty:ty => [$($param:tt)*];)*) => {$(
        impl<T: HoldsConfigEnum, $($param)*> HoldsConfigEnum for $ty {
            type Enum = T::Enum;
        }
    )*};
}

// Not `Box<T>`: it is a fundamental type, so another crate could implement
// `ConfigEnum` for `Box<ItsEnum>` and the blanket impl above would overlap.
holds! {
    Option<T> => [];
    Vec<T> => [];
    std::collections::VecDeque<T> => [];
    std::collections::BTreeSet<T> => [];
    std::collections::HashSet<T, S> => [S];
    std::collections::BTreeMap<K, T> => [K];
    std::collections::HashMap<K, T, S> => [K, S];
}

// What a field's type says of its variants' doc comments
// (`FieldInfo::variant_doc`): the generated function calls
// `(&&TypeProbe::<T>::new()).variant_doc()`, the same probe as a leaf's kind
// and secret-ness (`de::of_type`); method resolution picks
// `ProbeConfigEnum` when `T` holds a `ConfigEnum`, else `ProbeOther` (no
// descriptions).

/// The probe of a type that holds a [`ConfigEnum`].
pub trait ProbeConfigEnum {
    /// The doc comment of a name's variant.
    fn variant_doc(&self) -> fn(&str) -> Option<&'static str>;
}

impl<T: HoldsConfigEnum> ProbeConfigEnum for &TypeProbe<T> {
    fn variant_doc(&self) -> fn(&str) -> Option<&'static str> {
        doc_of::<T::Enum>
    }
}

/// The probe of any other type: no descriptions.
pub trait ProbeOther {
    /// [`no_variant_doc`].
    fn variant_doc(&self) -> fn(&str) -> Option<&'static str>;
}

impl<T> ProbeOther for TypeProbe<T> {
    fn variant_doc(&self) -> fn(&str) -> Option<&'static str> {
        no_variant_doc
    }
}

/// `FieldInfo::variant_doc` of a field whose type holds no [`ConfigEnum`].
#[must_use]
pub fn no_variant_doc(_: &str) -> Option<&'static str> {
    None
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::HashMap;

    use serde::Deserialize;
    use serde::de::{self, Deserializer, EnumAccess, VariantAccess, Visitor};

    use super::*;

    /// An enum renamed, aliased and with a skipped variant, its variants
    /// described (also `enum_name.rs`'s fixture).
    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "kebab-case")]
    pub(crate) enum Mode {
        Fast,
        #[serde(rename = "careful", alias = "safe")]
        SlowButSure,
        #[serde(skip)]
        #[allow(dead_code)]
        Hidden,
    }

    impl ConfigEnum for Mode {
        fn variant_doc(&self) -> &'static str {
            match self {
                Mode::Fast => "Quick.",
                Mode::SlowButSure => "Checks twice.",
                Mode::Hidden => "Never read.",
            }
        }
    }

    #[derive(Deserialize, Debug)]
    enum Open {
        Known,
        #[serde(other)]
        Unknown,
    }

    impl ConfigEnum for Open {
        fn variant_doc(&self) -> &'static str {
            match self {
                Open::Known => "Known.",
                Open::Unknown => "Anything else.",
            }
        }
    }

    /// What generated code does, on a concrete type (the probe needs one).
    macro_rules! doc_fn {
        ($ty:ty) => {{
            #[allow(unused_imports)]
            use super::{ProbeConfigEnum as _, ProbeOther as _};
            (&&TypeProbe::<$ty>::new()).variant_doc()
        }};
    }

    #[test]
    fn names_find_their_variant_as_serde_reads_them() {
        assert_eq!(doc_of::<Mode>("fast"), Some("Quick."));
        assert_eq!(doc_of::<Mode>("careful"), Some("Checks twice."));
        assert_eq!(doc_of::<Mode>("safe"), Some("Checks twice."));
        assert_eq!(doc_of::<Mode>("slow-but-sure"), None);
        assert_eq!(doc_of::<Mode>("hidden"), None);
        assert_eq!(doc_of::<Mode>(UNLISTED_NAME), None);
        assert_eq!(doc_of::<Open>(UNLISTED_NAME), Some("Anything else."));
    }

    #[test]
    fn the_probe_sees_through_options_lists_and_maps_only_for_config_enums() {
        assert_eq!(doc_fn!(Mode)("fast"), Some("Quick."));
        assert_eq!(doc_fn!(Option<Vec<Mode>>)("careful"), Some("Checks twice."));
        assert_eq!(doc_fn!(HashMap<String, Mode>)("fast"), Some("Quick."));
        assert_eq!(doc_fn!(String)("fast"), None);
        assert_eq!(doc_fn!(u8)("1"), None);
    }

    /// A hand-written `Deserialize` that lists a name it then refuses, and
    /// reads another one into a different variant than its place suggests.
    enum Odd {
        First,
        Second,
    }

    impl ConfigEnum for Odd {
        fn variant_doc(&self) -> &'static str {
            match self {
                Odd::First => "The first.",
                Odd::Second => "The second.",
            }
        }
    }

    impl<'de> Deserialize<'de> for Odd {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct OddVisitor;
            impl<'de> Visitor<'de> for OddVisitor {
                type Value = Odd;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("odd")
                }
                fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Odd, A::Error> {
                    let (name, variant): (String, _) = data.variant()?;
                    variant.unit_variant()?;
                    match name.as_str() {
                        "one" => Ok(Odd::Second),
                        "two" => Ok(Odd::First),
                        _ => Err(de::Error::unknown_variant(&name, &["one", "two", "three"])),
                    }
                }
            }
            deserializer.deserialize_enum("Odd", &["one", "two", "three"], OddVisitor)
        }
    }

    #[test]
    fn a_listed_name_serde_refuses_gets_no_description_and_none_is_taken_by_position() {
        assert_eq!(crate::de::kind_of::<Odd>(), crate::schema::Kind::Enum(&["one", "two", "three"]));
        assert_eq!(doc_of::<Odd>("one"), Some("The second."));
        assert_eq!(doc_of::<Odd>("two"), Some("The first."));
        assert_eq!(doc_of::<Odd>("three"), None);
    }
}
