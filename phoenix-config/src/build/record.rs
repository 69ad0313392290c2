//! What a load keeps of each leaf for [`Loaded`](crate::Loaded): the value
//! as shown (secrets redacted), its origin and a fingerprint.

use std::fmt::{self, Debug, Display, Write as _};

use crate::Origin;
use crate::node::Node;

/// Prints `[REDACTED]`: stands in for secret fields in the generated `Debug`.
pub struct Redacted;

impl Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// A field in the generated `Debug`: `[REDACTED]` when the field is secret
/// (by its attribute or because its type holds a `Secret` anywhere: a
/// `Vec<Secret<u32>>` shows neither its items nor their count, a map of
/// secrets not its keys), else the value's own `Debug`.
pub struct DebugField<'a, T>(pub bool, pub &'a T);

impl<T: Debug> Debug for DebugField<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 { f.write_str("[REDACTED]") } else { self.1.fmt(f) }
    }
}

/// [`DebugField`] for an `Option` field: `None` stays `None` (nothing to
/// hide), a secret value is `Some([REDACTED])`.
pub struct DebugOptionalField<'a, T>(pub bool, pub &'a Option<T>);

impl<T: Debug> Debug for DebugOptionalField<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(_) if self.0 => f.debug_tuple("Some").field(&Redacted).finish(),
            value => value.fmt(f),
        }
    }
}

/// A leaf as loaded, for [`Loaded`](crate::Loaded)'s table (or a section
/// field that holds no section: an unset optional one, an empty list or map).
#[derive(Clone, Debug)]
pub struct LeafRecord {
    /// Dotted path.
    pub path: String,
    /// The value as `Debug` prints it, or `[REDACTED]`.
    pub value: String,
    /// Where it came from.
    pub origin: Origin,
    /// Whether it is a secret.
    pub secret: bool,
    /// A hash of the value (for change detection, secrets included; never shown).
    pub fingerprint: u64,
    /// The value's tree as a layer gave it (never for a secret), for typed output.
    pub node: Option<Node>,
    /// The field's type as written, for typed output.
    pub ty: &'static str,
    /// What the value holds, for typed output (numbers, bools, lists).
    pub kind: fn() -> crate::schema::Kind,
}

/// A computed default as documentation and [`Loaded`](crate::Loaded) show
/// it (the generated [`ShowFn`](crate::schema::ShowFn) calls
/// `(&&&&Shown(&value)).shown()`; method resolution picks the first that
/// applies): the names a file writes when the type is a
/// [`ConfigEnum`](crate::ConfigEnum) or holds one (`ShowNames`: `info`, not
/// `Info`), else its `Display` when the type has one ([`ShowDisplay`]:
/// `0.0.0.0:8080`, `1MiB`, `text`), else, for an enum read by name, the
/// name its `Deserialize` reads it from (`ShowSerdeName`), else its `Debug`
/// ([`ShowDebug`]: `5s`, `[1, 2]`).
pub struct Shown<'a, T>(pub &'a T);

/// [`Shown`] of a type with `Display`.
pub trait ShowDisplay {
    /// The value's `Display` text.
    fn shown(&self) -> String;
}

impl<T: Display> ShowDisplay for &&Shown<'_, T> {
    fn shown(&self) -> String {
        self.0.to_string()
    }
}

/// [`Shown`] of any other type.
pub trait ShowDebug {
    /// The value's `Debug` text.
    fn shown(&self) -> String;
}

impl<T: Debug> ShowDebug for Shown<'_, T> {
    fn shown(&self) -> String {
        format!("{:?}", self.0)
    }
}

/// The shown default of a list or a map of sections: nothing (it is empty).
pub fn shown_empty() -> Option<String> {
    None
}

/// Hashes what `Debug` writes, without keeping a copy of it.
struct HashWriter<'h>(&'h mut std::collections::hash_map::DefaultHasher);

impl fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        std::hash::Hasher::write(self.0, s.as_bytes());
        Ok(())
    }
}

pub(crate) fn fingerprint(value: &dyn Debug) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let _ = write!(HashWriter(&mut hasher), "{value:?}");
    std::hash::Hasher::finish(&hasher)
}
