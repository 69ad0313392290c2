//! `range(min = a, max = b)`: a number within inclusive bounds.

use std::cmp::Ordering;
use std::fmt::{Display, Write as _};

use super::Range;

/// The `range` rule: `min <= value <= max`, each bound optional and
/// inclusive, for every integer and float type. NaN is never in range (and
/// fails even without bounds); infinities compare as usual.
///
/// ```
/// use phoenix_config::validate::range;
///
/// assert_eq!(range(&10_u32, Some(1), Some(500), false), Ok(()));
/// assert_eq!(range(&0_u32, Some(1), Some(500), false).unwrap_err(), "must be between 1 and 500, got 0");
/// assert_eq!(range(&0_i64, Some(1), None, false).unwrap_err(), "must be at least 1, got 0");
/// assert_eq!(range(&501_u16, None, Some(500), false).unwrap_err(), "must be at most 500, got 501");
/// assert_eq!(range(&0.25_f64, Some(0.5), None, false).unwrap_err(), "must be at least 0.5, got 0.25");
/// assert!(range(&f64::NAN, Some(0.0), Some(1.0), false).is_err());
/// // For a secret, the message leaves the value out.
/// assert_eq!(range(&0_u32, Some(1), Some(500), true).unwrap_err(), "must be between 1 and 500");
/// ```
pub fn range<T: ?Sized + Range>(
    value: &T,
    min: Option<T::Bound>,
    max: Option<T::Bound>,
    secret: bool,
) -> Result<(), String> {
    value.validate_range(min, max, secret)
}

/// Checks a number against its bounds; `partial_cmp` being `None` (NaN)
/// counts as out of range.
pub(super) fn check<N: PartialOrd + Display>(
    value: &N,
    min: Option<&N>,
    max: Option<&N>,
    secret: bool,
) -> Result<(), String> {
    let below = min.is_some_and(|min| matches!(value.partial_cmp(min), Some(Ordering::Less) | None));
    let above = max.is_some_and(|max| matches!(value.partial_cmp(max), Some(Ordering::Greater) | None));
    let nan = value.partial_cmp(value).is_none();
    if !below && !above && !nan {
        return Ok(());
    }
    Err(out_of_range(value, min.map(|m| m as &dyn Display), max.map(|m| m as &dyn Display), secret))
}

/// The message of a value out of range, compiled once for every number type.
fn out_of_range(value: &dyn Display, min: Option<&dyn Display>, max: Option<&dyn Display>, secret: bool) -> String {
    let mut message = match (min, max) {
        (Some(min), Some(max)) => format!("must be between {min} and {max}"),
        (Some(min), None) => format!("must be at least {min}"),
        (None, Some(max)) => format!("must be at most {max}"),
        (None, None) => "must be a number".to_owned(),
    };
    if !secret {
        let _ = write!(message, ", got {value}");
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both sides of both bounds, and each type's extremes, for every integer type.
    #[test]
    fn every_integer_type_on_both_sides_of_each_bound() {
        macro_rules! case {
            ($($ty:ty),*) => {$({
                let (lo, hi): ($ty, $ty) = (10, 20);
                let check = |v: $ty| range(&v, Some(lo), Some(hi), false).is_ok();
                assert!(!check(lo - 1), stringify!($ty));
                assert!(check(lo), stringify!($ty));
                assert!(check(hi), stringify!($ty));
                assert!(!check(hi + 1), stringify!($ty));
                assert!(!check(<$ty>::MIN), stringify!($ty));
                assert!(!check(<$ty>::MAX), stringify!($ty));
                // Bounds at the type's extremes.
                assert!(range(&<$ty>::MIN, Some(<$ty>::MIN), None, false).is_ok(), stringify!($ty));
                assert!(range(&<$ty>::MAX, None, Some(<$ty>::MAX), false).is_ok(), stringify!($ty));
                assert!(range(&<$ty>::MAX, None, Some(<$ty>::MAX - 1), false).is_err(), stringify!($ty));
                assert!(range(&<$ty>::MIN, Some(<$ty>::MIN + 1), None, false).is_err(), stringify!($ty));
                assert_eq!(
                    range(&<$ty>::MAX, Some(lo), Some(hi), false).unwrap_err(),
                    format!("must be between 10 and 20, got {}", <$ty>::MAX),
                );
            })*};
        }
        case!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);
    }

    #[test]
    fn negative_bounds() {
        assert!(range(&-5_i32, Some(-5), Some(-1), false).is_ok());
        assert_eq!(range(&-6_i32, Some(-5), Some(-1), false).unwrap_err(), "must be between -5 and -1, got -6");
        assert_eq!(range(&0_i8, Some(-5), Some(-1), false).unwrap_err(), "must be between -5 and -1, got 0");
    }

    #[test]
    fn floats_on_both_sides_of_each_bound() {
        macro_rules! case {
            ($($ty:ty),*) => {$({
                let (lo, hi, zero, one): ($ty, $ty, $ty, $ty) = (0.5, 1.5, 0.0, 1.0);
                let check = |v: $ty| range(&v, Some(lo), Some(hi), false).is_ok();
                assert!(check(lo), stringify!($ty));
                assert!(check(hi), stringify!($ty));
                assert!(!check(lo.next_down_compat()), stringify!($ty));
                assert!(!check(hi.next_up_compat()), stringify!($ty));
                assert!(!check(<$ty>::NAN), stringify!($ty));
                assert!(!check(<$ty>::INFINITY), stringify!($ty));
                assert!(!check(<$ty>::NEG_INFINITY), stringify!($ty));
                assert!(!check(<$ty>::MIN), stringify!($ty));
                assert!(!check(<$ty>::MAX), stringify!($ty));
                assert!(range(&<$ty>::INFINITY, Some(zero), None, false).is_ok(), stringify!($ty));
                assert!(range(&<$ty>::NEG_INFINITY, None, Some(zero), false).is_ok(), stringify!($ty));
                assert!(range(&-zero, Some(zero), Some(zero), false).is_ok(), stringify!($ty));
                assert!(range(&<$ty>::NAN, None, None, false).is_err(), stringify!($ty));
                assert!(range(&<$ty>::NAN, Some(<$ty>::NEG_INFINITY), Some(<$ty>::INFINITY), false).is_err());
                assert!(range(&one, None, None, false).is_ok(), stringify!($ty));
            })*};
        }
        case!(f32, f64);
    }

    /// `f32::next_up`/`next_down` need Rust 1.86; this crate supports 1.85.
    trait NextCompat {
        fn next_up_compat(self) -> Self;
        fn next_down_compat(self) -> Self;
    }

    impl NextCompat for f32 {
        fn next_up_compat(self) -> Self {
            f32::from_bits(self.to_bits() + 1)
        }
        fn next_down_compat(self) -> Self {
            f32::from_bits(self.to_bits() - 1)
        }
    }

    impl NextCompat for f64 {
        fn next_up_compat(self) -> Self {
            f64::from_bits(self.to_bits() + 1)
        }
        fn next_down_compat(self) -> Self {
            f64::from_bits(self.to_bits() - 1)
        }
    }

    #[test]
    fn messages() {
        assert_eq!(range(&0_u32, Some(1), Some(500), false).unwrap_err(), "must be between 1 and 500, got 0");
        assert_eq!(range(&501_u32, Some(1), Some(500), false).unwrap_err(), "must be between 1 and 500, got 501");
        assert_eq!(range(&0_u32, Some(1), None, false).unwrap_err(), "must be at least 1, got 0");
        assert_eq!(range(&501_u32, None, Some(500), false).unwrap_err(), "must be at most 500, got 501");
        assert_eq!(range(&f64::NAN, Some(0.0), Some(1.0), false).unwrap_err(), "must be between 0 and 1, got NaN");
        assert_eq!(range(&f64::INFINITY, None, Some(1.5), false).unwrap_err(), "must be at most 1.5, got inf");
        assert_eq!(range(&f32::NEG_INFINITY, Some(-1.0), None, false).unwrap_err(), "must be at least -1, got -inf");
        assert_eq!(range(&f64::NAN, None, None, false).unwrap_err(), "must be a number, got NaN");
        assert_eq!(range(&7_u8, None, None, false), Ok(()));
    }

    #[test]
    fn secret_messages_hold_no_value() {
        let cases = [
            (range(&123_456_u32, Some(1), Some(500), true), "must be between 1 and 500"),
            (range(&123_456_u32, None, Some(500), true), "must be at most 500"),
            (range(&-123_456_i64, Some(1), None, true), "must be at least 1"),
            (range(&f64::NAN, Some(0.0), Some(1.0), true), "must be between 0 and 1"),
            (range(&f64::NAN, None, None, true), "must be a number"),
            (range(&98.76_f64, Some(0.0), Some(1.0), true), "must be between 0 and 1"),
        ];
        for (result, expected) in cases {
            let message = result.unwrap_err();
            assert_eq!(message, expected);
            assert!(!message.contains("123") && !message.contains("NaN") && !message.contains("98"));
        }
    }
}
