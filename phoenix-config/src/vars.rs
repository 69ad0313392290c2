//! What [`ConfigLoader::env_vars`](crate::ConfigLoader::env_vars) accepts:
//! variables as `(name, value)` pairs, in an array, a `Vec`, a map, a slice
//! or any iterator.
//!
//! An array is always `[(&str, &str); N]`, so `env_vars([])` ("no variables
//! at all") needs no type annotation. Pairs of other text types go in a
//! `Vec`, a map or an iterator:
//!
//! ```
//! use std::collections::HashMap;
//! use phoenix_config::ConfigLoader;
//!
//! let owned = String::from("9000");
//! let _ = ConfigLoader::new().env_vars([]);
//! let _ = ConfigLoader::new().env_vars([("APP_PORT", owned.as_str())]);
//! let _ = ConfigLoader::new().env_vars(vec![("APP_PORT", owned.clone())]);
//! let _ = ConfigLoader::new().env_vars(HashMap::from([("APP_PORT".to_owned(), owned.clone())]));
//! let _ = ConfigLoader::new().env_vars(std::env::vars().filter(|(k, _)| k.starts_with("APP_")));
//! ```

use std::collections::{BTreeMap, HashMap};

/// The marker of collections: arrays, `Vec`s, maps and slices of pairs.
#[derive(Debug)]
pub enum Collection {}

/// The marker of iterators of pairs.
#[derive(Debug)]
pub enum Iter {}

/// A set of variables given as `(name, value)` pairs. `Kind` is
/// [`Collection`] or [`Iter`], and is always inferred: it lets one method
/// take both collections and any iterator.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a set of variables",
    label = "expected `(name, value)` pairs",
    note = "an array holds `(&str, &str)` pairs (`[(\"APP_PORT\", \"80\")]`, or `[]` for none); \
            for `String` names or values use a `Vec`, a map or an iterator of pairs"
)]
pub trait IntoVars<Kind> {
    /// The pairs, as owned text.
    fn into_vars(self) -> impl Iterator<Item = (String, String)>;
}

fn owned<K: Into<String>, V: Into<String>>((k, v): (K, V)) -> (String, String) {
    (k.into(), v.into())
}

impl<const N: usize> IntoVars<Collection> for [(&str, &str); N] {
    fn into_vars(self) -> impl Iterator<Item = (String, String)> {
        self.into_iter().map(owned)
    }
}

impl<K: Into<String> + Clone, V: Into<String> + Clone> IntoVars<Collection> for &[(K, V)] {
    fn into_vars(self) -> impl Iterator<Item = (String, String)> {
        self.iter().cloned().map(owned)
    }
}

impl<K: Into<String>, V: Into<String>> IntoVars<Collection> for Vec<(K, V)> {
    fn into_vars(self) -> impl Iterator<Item = (String, String)> {
        self.into_iter().map(owned)
    }
}

impl<K: Into<String>, V: Into<String>, S> IntoVars<Collection> for HashMap<K, V, S> {
    fn into_vars(self) -> impl Iterator<Item = (String, String)> {
        self.into_iter().map(owned)
    }
}

impl<K: Into<String>, V: Into<String>> IntoVars<Collection> for BTreeMap<K, V> {
    fn into_vars(self) -> impl Iterator<Item = (String, String)> {
        self.into_iter().map(owned)
    }
}

impl<I, K, V> IntoVars<Iter> for I
where
    I: Iterator<Item = (K, V)>,
    K: Into<String>,
    V: Into<String>,
{
    fn into_vars(self) -> impl Iterator<Item = (String, String)> {
        self.map(owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count<Kind>(vars: impl IntoVars<Kind>) -> usize {
        vars.into_vars().count()
    }

    #[test]
    fn every_form_of_pairs_is_accepted_and_an_empty_array_needs_no_annotation() {
        let owned = String::from("v");
        assert_eq!(count([]), 0);
        assert_eq!(count([("A", "1"), ("B", owned.as_str())]), 2);
        assert_eq!(count(vec![("A", owned.clone())]), 1);
        assert_eq!(count(&[("A".to_owned(), "1")][..]), 1);
        assert_eq!(count(HashMap::from([("A", "1")])), 1);
        assert_eq!(count(BTreeMap::from([(owned.clone(), owned.clone())])), 1);
        assert_eq!(count(std::iter::empty::<(String, String)>()), 0);
        assert_eq!(count([("A", "1")].into_iter().map(|(k, v)| (k.to_owned(), v))), 1);
    }
}
