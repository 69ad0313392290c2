//! Whether a field's type holds a [`Secret`](crate::Secret) anywhere, asked
//! once per field and remembered: the derive gives each field's
//! [`FieldInfo`](crate::schema::FieldInfo) a function made of these pieces,
//! so the loader, the validator and the docs commands all see the same
//! answer, from the type, without probing it again on every load.
//!
//! The generated function calls `(&&SecretProbe::<T>::new()).holds_secret()`:
//! method resolution picks [`ProbeDeserialize`] when `T` is
//! `DeserializeOwned` (the probe runs), else [`ProbeAny`] (no `Secret` can
//! be deserialized into a type that is not deserialized: `false`), so a
//! field type that is not `Deserialize` gets no error of its own here.

use std::marker::PhantomData;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;

/// A field type to probe.
pub struct SecretProbe<T>(PhantomData<fn() -> T>);

impl<T> SecretProbe<T> {
    /// The probe of `T`.
    #[must_use]
    pub const fn new() -> Self {
        SecretProbe(PhantomData)
    }
}

impl<T> Default for SecretProbe<T> {
    fn default() -> Self {
        SecretProbe::new()
    }
}

/// The probe of a deserializable type: runs its `Deserialize`.
pub trait ProbeDeserialize {
    /// Whether the type holds a `Secret` anywhere.
    fn holds_secret(&self) -> bool;
}

impl<T: DeserializeOwned> ProbeDeserialize for &SecretProbe<T> {
    fn holds_secret(&self) -> bool {
        crate::de::holds_secret::<T>()
    }
}

/// The probe of any other type (`#[config(with = …)]` fields): none.
pub trait ProbeAny {
    /// Always `false`.
    fn holds_secret(&self) -> bool;
}

impl<T> ProbeAny for SecretProbe<T> {
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
        for<'a> &'a SecretProbe<T>: ProbeDeserialize,
    {
        (&&SecretProbe::<T>::new()).holds_secret()
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
        let other = (&&SecretProbe::<NotDeserialize>::new()).holds_secret();
        assert!(!other);
    }

    #[test]
    fn asked_once() {
        let cache = SecretType::new();
        assert!(cache.get(|| true));
        assert!(cache.get(|| unreachable!("asked again")));
    }
}
