//! The name a file writes a value of an enum read by name with, for a
//! computed default shown by docs, `show` and `Loaded`
//! (`#[config(default = Level::Info)]` is `info`, not `Info`), which the
//! loader reads back into the same value.
//!
//! A [`ConfigEnum`] (or an `Option`, list, set or map of one) is named by
//! its own `Deserialize` — the first of its names that reads back to the
//! value's variant, not one of the variant's aliases when another name does
//! (serde lists a variant's names sorted, aliases among them); any other
//! enum read by name by the names the loader reads back into it, spelt like
//! the variant when an alias also reads to it.

use std::fmt::{Debug, Display, Write as _};

use serde::de::DeserializeOwned;

use crate::ConfigEnum;
use crate::build::Shown;
use crate::config_enum::read;
use crate::schema::Kind;

/// The name a file writes `value` with: the first of `E`'s names that its
/// `Deserialize` reads into the same variant, preferring one that is not an
/// alias of it; `None` when no name reads to it (a `#[serde(other)]`
/// catch-all, a skipped variant).
pub(crate) fn name_of<E: ConfigEnum>(value: &E) -> Option<&'static str> {
    let Kind::Enum(names) = crate::de::kind_of::<E>() else { return None };
    let variant = std::mem::discriminant(value);
    let same = |name: &&&'static str| read::<E>(name).is_some_and(|read| std::mem::discriminant(&read) == variant);
    let aliases = value.variant_aliases();
    let own = names.iter().filter(|name| !aliases.contains(name)).find(same);
    own.or_else(|| names.iter().find(same)).copied()
}

/// A value written with its enum's names, as a file writes it: `info`, a
/// list `[debug, info]`, a map `{us: info}` (the text the loader reads back).
pub trait WrittenNames {
    /// Appends the value's text; `false` when a value has no name.
    fn write_names(&self, out: &mut String) -> bool;
}

impl<T: ConfigEnum> WrittenNames for T {
    fn write_names(&self, out: &mut String) -> bool {
        name_of(self).map(|name| out.push_str(name)).is_some()
    }
}

impl<T: WrittenNames> WrittenNames for Option<T> {
    fn write_names(&self, out: &mut String) -> bool {
        if let Some(value) = self {
            return value.write_names(out);
        }
        out.push_str("null");
        true
    }
}

/// Writes `[a, b]`.
fn write_items<'a, T: WrittenNames + 'a>(items: impl Iterator<Item = &'a T>, out: &mut String) -> bool {
    out.push('[');
    for (i, item) in items.enumerate() {
        out.push_str(if i == 0 { "" } else { ", " });
        if !item.write_names(out) {
            return false;
        }
    }
    out.push(']');
    true
}

/// Writes `{k: v}`.
fn write_entries<'a, K: Display + 'a, T: WrittenNames + 'a>(
    entries: impl Iterator<Item = (&'a K, &'a T)>,
    out: &mut String,
) -> bool {
    out.push('{');
    for (i, (key, value)) in entries.enumerate() {
        let _ = write!(out, "{}{key}: ", if i == 0 { "" } else { ", " });
        if !value.write_names(out) {
            return false;
        }
    }
    out.push('}');
    true
}

macro_rules! written_items {
    ($($ty:ty => [$($param:tt)*];)*) => {$(
        impl<T: WrittenNames, $($param)*> WrittenNames for $ty {
            fn write_names(&self, out: &mut String) -> bool {
                write_items(self.iter(), out)
            }
        }
    )*};
}

written_items! {
    Vec<T> => [];
    std::collections::VecDeque<T> => [];
    std::collections::BTreeSet<T> => [];
    std::collections::HashSet<T, S> => [S];
}

impl<K: Display, T: WrittenNames> WrittenNames for std::collections::BTreeMap<K, T> {
    fn write_names(&self, out: &mut String) -> bool {
        write_entries(self.iter(), out)
    }
}

impl<K: Display, T: WrittenNames, S> WrittenNames for std::collections::HashMap<K, T, S> {
    fn write_names(&self, out: &mut String) -> bool {
        write_entries(self.iter(), out)
    }
}

/// [`Shown`] of a type written with a [`ConfigEnum`]'s names (the enum, or
/// an `Option`, list, set or map of it): the names a file writes, before
/// `Display` and `Debug` (the generated code calls
/// `(&&&&Shown(&value)).shown()`); `Debug` when a value has no name.
pub trait ShowNames {
    /// The value's text as a file writes it.
    fn shown(&self) -> String;
}

impl<T: WrittenNames + Debug> ShowNames for &&&Shown<'_, T> {
    fn shown(&self) -> String {
        let mut out = String::new();
        if self.0.write_names(&mut out) { out } else { format!("{:?}", self.0) }
    }
}

/// [`Shown`] of any other type read with serde that has no `Display`: an
/// enum read by name (a plain `#[derive(Deserialize)]` one) shows the name
/// its `Deserialize` reads it from (`serde_name`), anything else its
/// `Debug`.
pub trait ShowSerdeName {
    /// The value's name, else its `Debug` text.
    fn shown(&self) -> String;
}

impl<T: DeserializeOwned + Debug> ShowSerdeName for &Shown<'_, T> {
    fn shown(&self) -> String {
        serde_name(self.0).map_or_else(|| format!("{:?}", self.0), str::to_owned)
    }
}

/// The name a file writes `value` with when its type is an enum read by
/// name: of the names its `Deserialize` lists, those the loader reads back to the
/// same variant and the same `Debug` (both: a newtype around an enum has
/// one discriminant, a hand-written `Debug` may not tell variants apart),
/// the one spelt like the variant (`SECOND_ONE` for `SecondOne`, not its
/// alias `A_SECOND`: serde lists a variant's names sorted), else the first;
/// `None` for any other type or when no name reads to it.
pub(crate) fn serde_name<T: DeserializeOwned + Debug>(value: &T) -> Option<&'static str> {
    let Kind::Enum(names) = crate::de::kind_of::<T>() else { return None };
    let (variant, debug) = (std::mem::discriminant(value), format!("{value:?}"));
    // Read as the loader reads the name from a variable (an `Option`, a
    // newtype, a transparent struct around the enum too).
    let same = |name: &&&'static str| {
        let node = crate::Node::text(**name, crate::Origin::Default);
        let read = std::panic::catch_unwind(|| crate::de::from_node::<T>(&node, false, "").ok());
        read.ok().flatten().is_some_and(|read| std::mem::discriminant(&read) == variant && format!("{read:?}") == debug)
    };
    let letters = |text: &str| text.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
    let spelt = names.iter().filter(|name| letters(name) == letters(&debug)).find(same);
    spelt.or_else(|| names.iter().find(same)).copied()
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::config_enum::tests::Mode;

    #[derive(Deserialize, Debug)]
    enum Open {
        Known,
        #[serde(other)]
        Unknown,
    }

    impl ConfigEnum for Open {
        fn variant_doc(&self) -> &'static str {
            ""
        }
    }

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "UPPERCASE")]
    enum Severity {
        Warn,
        #[serde(rename = "error", alias = "err")]
        Error,
    }

    impl ConfigEnum for Severity {
        fn variant_doc(&self) -> &'static str {
            ""
        }

        fn variant_aliases(&self) -> &'static [&'static str] {
            match self {
                Severity::Error => &["err"],
                Severity::Warn => &[],
            }
        }
    }

    #[test]
    fn a_value_is_named_as_a_file_writes_it_by_its_own_name_not_an_alias() {
        assert_eq!(name_of(&Mode::Fast), Some("fast"));
        assert_eq!(name_of(&Mode::SlowButSure), Some("careful"));
        assert_eq!(name_of(&Mode::Hidden), None);
        assert_eq!(name_of(&Open::Known), Some("Known"));
        // serde lists the catch-all under its own name too, and reads it back.
        assert_eq!(name_of(&Open::Unknown), Some("Unknown"));
        // serde lists `err` before `error` (its names are sorted): the alias is skipped.
        assert_eq!(crate::de::kind_of::<Severity>(), Kind::Enum(&["WARN", "err", "error"]));
        assert_eq!(name_of(&Severity::Error), Some("error"));
        assert_eq!(name_of(&Severity::Warn), Some("WARN"));
    }

    /// What a generated `ShowFn` does.
    macro_rules! shown {
        ($value:expr) => {{
            #[allow(unused_imports)]
            use super::{ShowNames as _, ShowSerdeName as _};
            #[allow(unused_imports)]
            use crate::build::{ShowDebug as _, ShowDisplay as _};
            (&&&&Shown(&$value)).shown()
        }};
    }

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    enum Plain {
        FirstOne,
        #[serde(alias = "A_SECOND")]
        SecondOne,
    }

    /// A transparent struct around an enum (one discriminant) and an enum
    /// whose `Debug` says nothing of the variant: each check covers the other.
    #[derive(Deserialize, Debug)]
    #[serde(transparent)]
    #[allow(dead_code)]
    struct Wrapped(Plain);

    #[derive(Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Mute {
        One,
        Two,
    }

    impl Debug for Mute {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("Mute")
        }
    }

    #[test]
    fn a_plain_serde_enum_is_shown_by_the_name_it_is_read_from() {
        assert_eq!(shown!(Plain::SecondOne), "SECOND_ONE");
        assert_eq!(shown!(Wrapped(Plain::FirstOne)), "FIRST_ONE");
        // Spelt otherwise than its variant, a name still reads back to it.
        assert_eq!(shown!(Wrapped(Plain::SecondOne)), "A_SECOND");
        assert_eq!(shown!(Mute::Two), "two");
        assert_eq!(shown!(Mute::One), "one");
        assert_eq!(shown!(vec![1u8, 2]), "[1, 2]", "not an enum: its Debug");
        assert_eq!(shown!(Some(Plain::FirstOne)), "FIRST_ONE");
    }

    #[test]
    fn shown_defaults_use_the_names_inside_options_lists_and_maps_and_debug_without_one() {
        assert_eq!(shown!(Severity::Error), "error");
        assert_eq!(shown!(vec![Mode::Fast, Mode::SlowButSure]), "[fast, careful]");
        assert_eq!(shown!(std::collections::BTreeMap::from([("us", Severity::Warn)])), "{us: WARN}");
        assert_eq!(shown!(vec![Some(Mode::Fast), None]), "[fast, null]");
        assert_eq!(shown!(vec![Mode::Fast, Mode::Hidden]), "[Fast, Hidden]");
        assert_eq!(shown!(Open::Unknown), "Unknown");
        assert_eq!(shown!(std::time::Duration::from_secs(5)), "5s");
        assert_eq!(shown!(crate::ByteSize(1024)), "1KiB");
    }
}
