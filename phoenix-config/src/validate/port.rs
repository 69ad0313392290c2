//! `port`: a TCP/UDP port number, 1 to 65535.

use std::fmt::Display;

use super::Port;

/// Whether `port` is a usable port number: 1 to 65535 (0 means "any port"
/// to the operating system, so it is not a port to connect to).
///
/// ```
/// use phoenix_config::validate::is_valid_port;
///
/// assert!(is_valid_port(8080));
/// assert!(is_valid_port(65535));
/// assert!(!is_valid_port(0));
/// assert!(!is_valid_port(65536));
/// ```
pub fn is_valid_port(port: u64) -> bool {
    (1..=65535).contains(&port)
}

/// The `port` rule: `value`, an integer of any type, must be 1 to 65535.
///
/// ```
/// use phoenix_config::validate::port;
///
/// assert_eq!(port(&8080_u16, false), Ok(()));
/// assert_eq!(port(&0_u32, false).unwrap_err(), "must be a port between 1 and 65535, got 0");
/// assert_eq!(port(&-1_i64, true).unwrap_err(), "must be a port between 1 and 65535");
/// ```
pub fn port<T: ?Sized + Port>(value: &T, secret: bool) -> Result<(), String> {
    value.validate_port(secret)
}

pub(super) fn check(ok: bool, value: &impl Display, secret: bool) -> Result<(), String> {
    match (ok, secret) {
        (true, _) => Ok(()),
        (false, true) => Err("must be a port between 1 and 65535".to_owned()),
        (false, false) => Err(format!("must be a port between 1 and 65535, got {value}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_function_bounds() {
        assert!(!is_valid_port(0));
        assert!(is_valid_port(1));
        assert!(is_valid_port(65535));
        assert!(!is_valid_port(65536));
        assert!(!is_valid_port(u64::MAX));
    }

    /// For every integer type: 0 and 65536 (where the type holds them) fail,
    /// 1 and 65535 pass, the type's extremes fail unless within 1..=65535.
    #[test]
    fn every_integer_type() {
        macro_rules! case {
            ($($ty:ty),*) => {$({
                let ok = |v: $ty| port(&v, false).is_ok();
                assert!(!ok(0), stringify!($ty));
                assert!(ok(1), stringify!($ty));
                assert_eq!(ok(<$ty>::MAX), is_valid_port(u64::try_from(<$ty>::MAX).unwrap_or(u64::MAX)), stringify!($ty));
                let v: Option<$ty> = <$ty>::try_from(65535_u32).ok();
                if let Some(v) = v {
                    assert!(ok(v), stringify!($ty));
                    assert!(ok(v - 1), stringify!($ty));
                }
                let v: Option<$ty> = <$ty>::try_from(65536_u32).ok();
                if let Some(v) = v {
                    assert!(!ok(v), stringify!($ty));
                }
                let v: Option<$ty> = <$ty>::try_from(-1_i32).ok();
                if let Some(v) = v {
                    assert!(!ok(v), stringify!($ty));
                    assert!(!ok(<$ty>::MIN), stringify!($ty));
                }
            })*};
        }
        case!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);
    }

    #[test]
    fn negative_numbers_fail() {
        assert_eq!(port(&-1_i32, false).unwrap_err(), "must be a port between 1 and 65535, got -1");
        assert_eq!(
            port(&i128::MIN, false).unwrap_err(),
            format!("must be a port between 1 and 65535, got {}", i128::MIN)
        );
    }

    #[test]
    fn messages() {
        assert_eq!(port(&65536_u32, false).unwrap_err(), "must be a port between 1 and 65535, got 65536");
        assert_eq!(
            port(&u128::MAX, false).unwrap_err(),
            format!("must be a port between 1 and 65535, got {}", u128::MAX)
        );
    }

    #[test]
    fn secret_messages_hold_no_value() {
        for value in [0_i64, -1, 65536, 99999, i64::MAX] {
            let message = port(&value, true).unwrap_err();
            assert_eq!(message, "must be a port between 1 and 65535");
            assert!(!message.contains(&value.to_string()));
        }
    }
}
