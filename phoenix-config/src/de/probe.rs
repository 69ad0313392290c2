//! What the probes of a type share (`kind`, what it holds; `secret_probe`,
//! whether a `Secret` sits inside): the error a probe stops the type's
//! `Deserialize` with, and the list that offers the probe again as each of
//! its items.

use serde::de::{self, DeserializeSeed, Deserializer};

/// Makes `$ty` the error a probe stops with: `Display` (`probe stopped`:
/// never shown), `std::error::Error`, and serde's `Error`, whose `custom`
/// (the type refused what the probe offered) is `$refused`.
macro_rules! probe_error {
    ($ty:ty, refused: $refused:expr) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("probe stopped")
            }
        }

        impl std::error::Error for $ty {}

        impl serde::de::Error for $ty {
            fn custom<T: std::fmt::Display>(_: T) -> Self {
                $refused
            }
        }
    };
}

pub(super) use probe_error;

/// A list of `left` items, each read from `probe`.
pub(super) struct Items<P> {
    pub(super) probe: P,
    pub(super) left: usize,
}

impl<'de, P: Deserializer<'de> + Copy> de::SeqAccess<'de> for Items<P> {
    type Error = P::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, P::Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(self.probe).map(Some)
    }
}
