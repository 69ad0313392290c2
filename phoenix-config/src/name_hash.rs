//! The hash of the maps keyed by variable names (the process environment's
//! names a load looks for, injected variables, `.env` entries, the plan's
//! index of names): FNV-1a, a few instructions
//! per byte where the standard `SipHash` spends a few hundred per name. The
//! names come from the process or from the program itself, not from a
//! file an attacker may write, so a hash without a random key is safe here;
//! maps keyed by file keys keep the standard one.

use std::hash::{BuildHasherDefault, Hasher};

/// The hasher of maps keyed by variable names.
pub(crate) type NameBuild = BuildHasherDefault<NameHasher>;

/// A [`HashMap`](std::collections::HashMap) keyed by variable names
/// (owned, or shared: `Arc<str>`).
pub(crate) type NameMap<V, K = String> = std::collections::HashMap<K, V, NameBuild>;

/// 64-bit FNV-1a.
pub(crate) struct NameHasher(u64);

impl Default for NameHasher {
    fn default() -> Self {
        NameHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_their_values() {
        let mut map: NameMap<u32> = NameMap::default();
        for (i, name) in ["PHOENIX_DATABASE_URL", "PHOENIX_DATABASE_URL_FILE", "HOME", ""].iter().enumerate() {
            map.insert((*name).to_owned(), u32::try_from(i).unwrap());
        }
        assert_eq!(map.get("PHOENIX_DATABASE_URL_FILE"), Some(&1));
        assert_eq!(map.get(""), Some(&3));
        assert_eq!(map.get("PHOENIX_DATABASE_UR"), None);
    }
}
