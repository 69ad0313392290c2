//! What a leaf's type says of itself, asked through its `Deserialize`:
//! its [`Kind`] (the `kind` probe) and whether it holds a
//! [`Secret`](crate::Secret) anywhere (the secret probe, asked once per
//! field and remembered); and, through the same [`TypeProbe`], the doc
//! comments of a [`ConfigEnum`](crate::ConfigEnum)'s variants
//! (`ProbeConfigEnum` in `config_enum`). The derive gives each field's
//! [`FieldInfo`](crate::schema::FieldInfo) functions made of these pieces,
//! so the loader, the validator, the docs and the schema all see the same
//! answers, from the type.
//!
//! The generated functions call `(&&TypeProbe::<T>::new()).kind()` and
//! `.holds_secret()`: method resolution picks [`ProbeDeserialize`] when `T`
//! is `DeserializeOwned` (the probes run), else [`ProbeAny`] (nothing known:
//! [`Kind::Any`], no `Secret`, since none can be deserialized into a type
//! that is not deserialized), so a field type that is not `Deserialize`
//! gets no error of its own here: the build step's is the one.

use std::marker::PhantomData;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;

use crate::schema::Kind;

/// A field type to probe.
pub struct TypeProbe<T>(PhantomData<fn() -> T>);

impl<T> TypeProbe<T> {
    /// The probe of `T`.
    #[must_use]
    pub const fn new() -> Self {
        TypeProbe(PhantomData)
    }
}

impl<T> Default for TypeProbe<T> {
    fn default() -> Self {
        TypeProbe::new()
    }
}

/// The probe of a deserializable type: runs its `Deserialize`.
pub trait ProbeDeserialize {
    /// What the type holds.
    fn kind(&self) -> Kind;
    /// Whether the type holds a `Secret` anywhere.
    fn holds_secret(&self) -> bool;
}

impl<T: DeserializeOwned> ProbeDeserialize for &TypeProbe<T> {
    fn kind(&self) -> Kind {
        super::kind_of::<T>()
    }

    fn holds_secret(&self) -> bool {
        super::holds_secret::<T>()
    }
}

/// The probe of any other type (`#[config(with = …)]` fields, a section
/// without `#[config(nested)]`, whose own error is the build step's).
pub trait ProbeAny {
    /// [`Kind::Any`].
    fn kind(&self) -> Kind;
    /// Always `false`.
    fn holds_secret(&self) -> bool;
}

impl<T> ProbeAny for TypeProbe<T> {
    fn kind(&self) -> Kind {
        Kind::Any
    }

    fn holds_secret(&self) -> bool {
        false
    }
}

/// One field's answer, computed on first use.
pub struct SecretType(OnceLock<bool>);

impl SecretType {
    /// Not asked yet.
    #[must_use]
    pub const fn new() -> Self {
        SecretType(OnceLock::new())
    }

    /// The answer, asking `probe` the first time.
    pub fn get(&self, probe: impl FnOnce() -> bool) -> bool {
        *self.0.get_or_init(probe)
    }
}

impl Default for SecretType {
    fn default() -> Self {
        SecretType::new()
    }
}

/// The `holds_secret` of a field whose type holds none (a section: its own
/// fields say), or of a hand-written description.
#[must_use]
pub fn no_secret() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::Secret;

    type Pin = Secret<u32>;

    #[allow(dead_code)]
    struct NotDeserialize;

    fn probe<T>() -> bool
    where
        for<'a> &'a TypeProbe<T>: ProbeDeserialize,
    {
        (&&TypeProbe::<T>::new()).holds_secret()
    }

    #[test]
    fn the_type_decides() {
        assert!(probe::<Pin>());
        assert!(probe::<Vec<Secret<u32>>>());
        assert!(probe::<HashMap<String, Secret<u16>>>());
        assert!(probe::<Option<Box<Secret<String>>>>());
        assert!(!probe::<Vec<u32>>());
        assert!(!probe::<String>());
        // A type that is not `Deserialize` takes the other method (the
        // borrows are what picks it, as in the generated code).
        #[allow(clippy::needless_borrow)]
        let other = (&&TypeProbe::<NotDeserialize>::new()).holds_secret();
        assert!(!other);
        #[allow(clippy::needless_borrow)]
        let kind = (&&TypeProbe::<NotDeserialize>::new()).kind();
        assert_eq!(kind, Kind::Any);
        assert_eq!((&&TypeProbe::<Vec<u16>>::new()).kind(), Kind::List(Box::new(Kind::Integer { min: 0, max: 65535 })));
    }

    #[test]
    fn asked_once() {
        let cache = SecretType::new();
        assert!(cache.get(|| true));
        assert!(cache.get(|| unreachable!("asked again")));
    }
}
