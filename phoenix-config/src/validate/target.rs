//! The traits that say which types each rule applies to, and their
//! implementations for the standard types and [`Secret<T>`].
//!
//! Every trait is implemented directly for each type (no blanket impl over a
//! helper trait), so a type mismatch reports the rule's own message, such as
//! "`u16` cannot be checked as a zip code".

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use zeroize::Zeroize;

use super::length::Unit;
use super::{email, length, non_empty, one_of, port, range, url, zipcode};
use crate::secret::Secret;

/// Text that [`zipcode`](super::zipcode()) can check.
///
/// ```
/// use phoenix_config::validate::Zipcode;
///
/// assert!("85001".validate_zipcode(false).is_ok());
/// assert!(String::from("8500").validate_zipcode(false).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be checked as a zip code",
    label = "`zipcode` needs text",
    note = "`zipcode` applies to `String`, `str`, `Box<str>`, `Cow<str>`, and `Secret<T>` or `Option<T>` of those",
    note = "for a list of zip codes, write `each(zipcode)`"
)]
pub trait Zipcode {
    /// Checks that `self` is a US zip code; see [`zipcode`](super::zipcode()).
    /// When `secret`, the message must not contain the value.
    fn validate_zipcode(&self, secret: bool) -> Result<(), String>;
}

/// Text that [`url`](super::url()) can check.
///
/// ```
/// use phoenix_config::validate::Url;
///
/// assert!("https://example.com".validate_url(false).is_ok());
/// assert!(Some("example.com").validate_url(false).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be checked as a URL",
    label = "`url` needs text",
    note = "`url` applies to `String`, `str`, `Box<str>`, `Cow<str>`, and `Secret<T>` or `Option<T>` of those",
    note = "for a list of URLs, write `each(url)`"
)]
pub trait Url {
    /// Checks that `self` is an absolute URL; see [`url`](super::url()).
    /// When `secret`, the message must not contain the value.
    fn validate_url(&self, secret: bool) -> Result<(), String>;
}

/// Text that [`email`](super::email()) can check.
///
/// ```
/// use phoenix_config::validate::Email;
///
/// assert!("ops@example.com".validate_email(false).is_ok());
/// assert!(None::<String>.validate_email(false).is_ok());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be checked as an email address",
    label = "`email` needs text",
    note = "`email` applies to `String`, `str`, `Box<str>`, `Cow<str>`, and `Secret<T>` or `Option<T>` of those",
    note = "for a list of addresses, write `each(email)`"
)]
pub trait Email {
    /// Checks that `self` is an email address; see [`email`](super::email()).
    /// When `secret`, the message must not contain the value.
    fn validate_email(&self, secret: bool) -> Result<(), String>;
}

/// Text and collections that [`non_empty`](super::non_empty()) can check.
///
/// ```
/// use phoenix_config::validate::NonEmpty;
///
/// assert!(vec![1].validate_non_empty(false).is_ok());
/// assert!(" ".validate_non_empty(false).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be checked with `non_empty`",
    label = "`non_empty` needs text, a list, a set or a map",
    note = "`non_empty` applies to `String`, `str`, `Vec<T>`, `VecDeque<T>`, slices, arrays, `HashMap`, `BTreeMap`, \
            `HashSet`, `BTreeSet`, and `Secret<T>` or `Option<T>` of those"
)]
pub trait NonEmpty {
    /// Checks that `self` holds something; see [`non_empty`](super::non_empty()).
    /// When `secret`, the message must not contain the value.
    fn validate_non_empty(&self, secret: bool) -> Result<(), String>;
}

/// Integers that [`port`](super::port()) can check.
///
/// ```
/// use phoenix_config::validate::Port;
///
/// assert!(443_u16.validate_port(false).is_ok());
/// assert!((-1_i32).validate_port(false).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be checked as a port number",
    label = "`port` needs an integer",
    note = "`port` applies to the integer types (`u16`, `u32`, `i64`, …), and `Secret<T>` or `Option<T>` of those"
)]
pub trait Port {
    /// Checks that `self` is a port number (1 to 65535); see [`port`](super::port()).
    /// When `secret`, the message must not contain the value.
    fn validate_port(&self, secret: bool) -> Result<(), String>;
}

/// Numbers that [`range`](super::range()) can check.
///
/// ```
/// use phoenix_config::validate::Range;
///
/// assert!(0.5_f64.validate_range(Some(0.0), Some(1.0), false).is_ok());
/// assert!(f64::NAN.validate_range(None, None, false).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be checked against a range",
    label = "`range` needs a number",
    note = "`range(min = …, max = …)` applies to the integer and float types, and `Secret<T>` or `Option<T>` of those",
    note = "to bound the length of text or of a list, write `length(min = …, max = …)`"
)]
pub trait Range {
    /// The type of the bounds: the number type itself.
    type Bound;

    /// Checks `min <= self <= max`, for the bounds given; see [`range`](super::range()).
    /// When `secret`, the message must not contain the value.
    fn validate_range(&self, min: Option<Self::Bound>, max: Option<Self::Bound>, secret: bool) -> Result<(), String>;
}

/// Text and collections that [`length`](super::length()) can measure.
///
/// ```
/// use phoenix_config::validate::Length;
///
/// assert!("Zoë".validate_length(Some(3), Some(3), false).is_ok());
/// assert!([1, 2].validate_length(None, Some(1), false).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no length to check",
    label = "`length` needs text, a list, a set or a map",
    note = "`length(min = …, max = …)` applies to `String`, `str` (counting characters), `Vec<T>`, `VecDeque<T>`, \
            slices, arrays, `HashMap`, `BTreeMap`, `HashSet`, `BTreeSet` (counting elements), and `Secret<T>` or \
            `Option<T>` of those",
    note = "to bound a number, write `range(min = …, max = …)`"
)]
pub trait Length {
    /// Checks `min <= length <= max`, for the bounds given; see [`length`](super::length()).
    /// When `secret`, the message must not contain the value nor its length.
    fn validate_length(&self, min: Option<usize>, max: Option<usize>, secret: bool) -> Result<(), String>;
}

/// Text that [`one_of`](super::one_of()) can check.
///
/// ```
/// use phoenix_config::validate::OneOf;
///
/// assert!("json".validate_one_of(&["json", "text"], false).is_ok());
/// assert!("JSON".validate_one_of(&["json", "text"], false).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be checked with `one_of`",
    label = "`one_of` needs text",
    note = "`one_of(\"a\", \"b\")` applies to `String`, `str`, `Box<str>`, `Cow<str>`, and `Secret<T>` or `Option<T>` \
            of those",
    note = "an enum field needs no `one_of`: its variant names are checked when it is loaded"
)]
pub trait OneOf {
    /// Checks that `self` is one of `allowed`; see [`one_of`](super::one_of()).
    /// When `secret`, the message must not contain the value.
    fn validate_one_of(&self, allowed: &[&str], secret: bool) -> Result<(), String>;
}

/// Implements `$Trait` for `str` and `String` with `$check(&str, args…, secret)`.
macro_rules! text_impls {
    ($Trait:ident :: $method:ident ( $($arg:ident : $ty:ty),* ) => $check:path) => {
        impl $Trait for str {
            fn $method(&self, $($arg: $ty,)* secret: bool) -> Result<(), String> {
                $check(self, $($arg,)* secret)
            }
        }

        impl $Trait for String {
            fn $method(&self, $($arg: $ty,)* secret: bool) -> Result<(), String> {
                $check(self, $($arg,)* secret)
            }
        }
    };
}

text_impls!(Zipcode::validate_zipcode() => zipcode::check);
text_impls!(Url::validate_url() => url::check);
text_impls!(Email::validate_email() => email::check);
text_impls!(NonEmpty::validate_non_empty() => non_empty::check_text);
text_impls!(Length::validate_length(min: Option<usize>, max: Option<usize>) => length::check_text);
text_impls!(OneOf::validate_one_of(allowed: &[&str]) => one_of::check);

/// Implements `$Trait` for the wrappers of a type that implements it:
/// references, `Box`, `Rc`, `Arc`, `Cow`, `Option` (where `None` passes) and
/// `Secret` (always checked as a secret).
macro_rules! wrapper_impls {
    ($Trait:ident :: $method:ident ( $($arg:ident : $ty:ty),* ) $(, type $Assoc:ident)?) => {
        wrapper_impls!(@deref &T => $Trait::$method($($arg: $ty),*) $(, type $Assoc)?);
        wrapper_impls!(@deref Box<T> => $Trait::$method($($arg: $ty),*) $(, type $Assoc)?);
        wrapper_impls!(@deref Rc<T> => $Trait::$method($($arg: $ty),*) $(, type $Assoc)?);
        wrapper_impls!(@deref Arc<T> => $Trait::$method($($arg: $ty),*) $(, type $Assoc)?);

        impl<T: ?Sized + $Trait + ToOwned> $Trait for Cow<'_, T> {
            $(type $Assoc = T::$Assoc;)?
            fn $method(&self, $($arg: $ty,)* secret: bool) -> Result<(), String> {
                T::$method(self, $($arg,)* secret)
            }
        }

        impl<T: $Trait> $Trait for Option<T> {
            $(type $Assoc = T::$Assoc;)?
            fn $method(&self, $($arg: $ty,)* secret: bool) -> Result<(), String> {
                match self {
                    Some(value) => value.$method($($arg,)* secret),
                    None => Ok(()),
                }
            }
        }

        impl<T: $Trait + Zeroize> $Trait for Secret<T> {
            $(type $Assoc = T::$Assoc;)?
            fn $method(&self, $($arg: $ty,)* _secret: bool) -> Result<(), String> {
                self.expose_unaudited().$method($($arg,)* true)
            }
        }
    };
    (@deref $wrapper:ty => $Trait:ident :: $method:ident ( $($arg:ident : $ty:ty),* ) $(, type $Assoc:ident)?) => {
        impl<T: ?Sized + $Trait> $Trait for $wrapper {
            $(type $Assoc = T::$Assoc;)?
            fn $method(&self, $($arg: $ty,)* secret: bool) -> Result<(), String> {
                T::$method(self, $($arg,)* secret)
            }
        }
    };
}

wrapper_impls!(Zipcode::validate_zipcode());
wrapper_impls!(Url::validate_url());
wrapper_impls!(Email::validate_email());
wrapper_impls!(NonEmpty::validate_non_empty());
wrapper_impls!(Port::validate_port());
wrapper_impls!(Range::validate_range(min: Option<Self::Bound>, max: Option<Self::Bound>), type Bound);
wrapper_impls!(Length::validate_length(min: Option<usize>, max: Option<usize>));
wrapper_impls!(OneOf::validate_one_of(allowed: &[&str]));

/// Implements `Length` and `NonEmpty` for collections, counting `$unit`s.
macro_rules! collection_impls {
    ($unit:expr => $( [$($generics:tt)*] $ty:ty ),* $(,)?) => {
        $(
            impl<$($generics)*> Length for $ty {
                fn validate_length(&self, min: Option<usize>, max: Option<usize>, secret: bool) -> Result<(), String> {
                    length::check_count(self.len(), $unit, min, max, secret)
                }
            }

            impl<$($generics)*> NonEmpty for $ty {
                fn validate_non_empty(&self, _secret: bool) -> Result<(), String> {
                    non_empty::check_count(self.len(), $unit)
                }
            }
        )*
    };
}

collection_impls!(Unit::Element =>
    [T] [T],
    [T, const N: usize] [T; N],
    [T] Vec<T>,
    [T] VecDeque<T>,
    [T] LinkedList<T>,
    [T] BinaryHeap<T>,
    [T, S] HashSet<T, S>,
    [T] BTreeSet<T>,
);
collection_impls!(Unit::Entry =>
    [K, V, S] HashMap<K, V, S>,
    [K, V] BTreeMap<K, V>,
);

/// Implements `Range` (and `Port` for integers) for primitive numbers.
macro_rules! number_impls {
    (integers: $($int:ty),*; floats: $($float:ty),*) => {
        $(
            impl Range for $int {
                type Bound = $int;
                fn validate_range(&self, min: Option<$int>, max: Option<$int>, secret: bool) -> Result<(), String> {
                    range::check(self, min.as_ref(), max.as_ref(), secret)
                }
            }

            impl Port for $int {
                fn validate_port(&self, secret: bool) -> Result<(), String> {
                    port::check(u16::try_from(*self).is_ok_and(|p| p != 0), self, secret)
                }
            }
        )*
        $(
            impl Range for $float {
                type Bound = $float;
                fn validate_range(&self, min: Option<$float>, max: Option<$float>, secret: bool) -> Result<(), String> {
                    range::check(self, min.as_ref(), max.as_ref(), secret)
                }
            }
        )*
    };
}

number_impls!(
    integers: u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize;
    floats: f32, f64
);

#[cfg(test)]
mod tests {
    use super::*;

    fn zip<T: ?Sized + Zipcode>() {}
    fn url<T: ?Sized + Url>() {}
    fn email<T: ?Sized + Email>() {}
    fn one_of<T: ?Sized + OneOf>() {}
    fn non_empty<T: ?Sized + NonEmpty>() {}
    fn length<T: ?Sized + Length>() {}
    fn port<T: ?Sized + Port>() {}
    fn range<T: ?Sized + Range>() {}

    /// Which types each rule accepts; a compile-time check.
    #[test]
    fn implemented_for_the_documented_types() {
        macro_rules! text {
            ($($ty:ty),*) => {$(zip::<$ty>(); url::<$ty>(); email::<$ty>(); one_of::<$ty>(); non_empty::<$ty>(); length::<$ty>();)*};
        }
        text!(str, String, &str, &String, &&str, Box<str>, Rc<str>, Arc<str>, Cow<'static, str>, Option<String>);
        text!(Secret<String>, Option<Secret<String>>, Secret<Box<str>>, &Secret<String>);

        macro_rules! collection {
            ($($ty:ty),*) => {$(non_empty::<$ty>(); length::<$ty>();)*};
        }
        collection!([u8], [String; 3], Vec<String>, VecDeque<u8>, LinkedList<u8>, BinaryHeap<u8>, &[String]);
        collection!(HashSet<String>, BTreeSet<u8>, HashMap<String, u8>, BTreeMap<String, Vec<u8>>);
        collection!(Box<[u8]>, Option<Vec<String>>, Secret<Vec<String>>, Secret<String>, Cow<'static, [u8]>);

        macro_rules! integer {
            ($($ty:ty),*) => {$(port::<$ty>(); range::<$ty>();)*};
        }
        integer!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);
        integer!(&u16, Option<u16>, Secret<u16>, Option<Secret<u32>>, Box<i64>);
        range::<f32>();
        range::<f64>();
        range::<Secret<f64>>();
        range::<&Option<f64>>();
    }

    #[test]
    fn wrappers_forward() {
        assert!(Box::<str>::from("85001").validate_zipcode(false).is_ok());
        assert!(Cow::Borrowed("8500").validate_zipcode(false).is_err());
        assert!(Arc::<str>::from("https://a.b").validate_url(false).is_ok());
        assert_eq!(
            Rc::new(70_000_u32).validate_port(false).unwrap_err(),
            "must be a port between 1 and 65535, got 70000"
        );
        assert_eq!((&&5_u8).validate_range(Some(6), None, false).unwrap_err(), "must be at least 6, got 5");
        assert_eq!(
            Cow::Borrowed(&[1, 2][..]).validate_length(Some(3), None, false).unwrap_err(),
            "must have at least 3 elements, has 2"
        );
    }

    /// A `Secret<T>` is checked as a secret even when the flag says otherwise.
    #[test]
    fn secrets_are_checked_as_secrets_whatever_the_flag() {
        let hidden = |r: Result<(), String>| {
            let message = r.expect_err("should fail");
            assert!(!message.contains("hunter2") && !message.contains("got") && !message.contains(", is"), "{message}");
            message
        };
        let text = |s: &str| Secret::new(s.to_owned());
        assert_eq!(hidden(text("hunter2").validate_zipcode(false)), "must be a US zip code (12345 or 12345-6789)");
        assert_eq!(
            hidden(text("hunter2").validate_url(false)),
            "must be a valid URL: it has no scheme (such as `https://`)"
        );
        assert_eq!(
            hidden(text("hunter2").validate_email(false)),
            "must be an email address (name@example.com): it has no `@`"
        );
        assert_eq!(hidden(text("hunter2").validate_one_of(&["a", "b"], false)), "must be one of `a`, `b`");
        assert_eq!(
            hidden(text("hunter2").validate_length(Some(16), None, false)),
            "must be at least 16 characters long"
        );
        assert_eq!(hidden(text("").validate_non_empty(false)), "must not be empty");
        assert_eq!(hidden(Secret::new(0_u16).validate_port(false)), "must be a port between 1 and 65535");
        assert_eq!(hidden(Secret::new(0.5_f64).validate_range(Some(1.0), None, false)), "must be at least 1");
        assert_eq!(
            hidden(Secret::new(vec!["hunter2".to_owned()]).validate_length(None, Some(0), false)),
            "must have at most 0 elements"
        );
        assert_eq!(
            hidden(Some(text("hunter2")).validate_zipcode(false)),
            "must be a US zip code (12345 or 12345-6789)"
        );
        assert_eq!(
            hidden(<&Secret<String> as Url>::validate_url(&&text("hunter2"), false)),
            "must be a valid URL: it has no scheme (such as `https://`)"
        );

        assert_eq!(text("85001").validate_zipcode(false), Ok(()));
        assert_eq!(text("https://db").validate_url(true), Ok(()));
        assert_eq!(Secret::new(8080_u16).validate_port(false), Ok(()));
        assert_eq!(None::<Secret<String>>.validate_email(false), Ok(()));
    }

    #[test]
    fn none_passes_and_some_is_checked() {
        assert_eq!(None::<String>.validate_zipcode(false), Ok(()));
        assert_eq!(None::<String>.validate_non_empty(false), Ok(()));
        assert_eq!(None::<u16>.validate_port(false), Ok(()));
        assert_eq!(None::<f64>.validate_range(Some(1.0), None, false), Ok(()));
        assert_eq!(None::<Vec<u8>>.validate_length(Some(1), None, false), Ok(()));
        assert_eq!(Some(String::new()).validate_non_empty(false).unwrap_err(), "must not be empty");
        assert_eq!(Some(0_u16).validate_port(false).unwrap_err(), "must be a port between 1 and 65535, got 0");
        assert_eq!(Some("xml").validate_one_of(&["json"], false).unwrap_err(), "must be `json`, got `xml`");
    }
}
