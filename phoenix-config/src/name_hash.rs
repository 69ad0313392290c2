//! The hash of the maps keyed by variable names (the process environment's
//! names a load looks for, injected variables, `.env` entries, the plan's
//! index of names): eight bytes at a time, each word mixed in by a rotate,
//! a xor and a multiply (as `FxHash` does), with a final fold so the low
//! bits a table indexes by depend on every byte: a few instructions per
//! word where FNV-1a spends four per byte and the standard `SipHash` a few
//! hundred per name. The
//! names come from the process or from the program itself, not from a
//! file an attacker may write, so a hash without a random key is safe here;
//! maps keyed by file keys keep the standard one.

use std::hash::{BuildHasherDefault, Hasher};

/// The hasher of maps keyed by variable names.
pub(crate) type NameBuild = BuildHasherDefault<NameHasher>;

/// A [`HashMap`](std::collections::HashMap) keyed by variable names
/// (owned, or shared: `Arc<str>`).
pub(crate) type NameMap<V, K = String> = std::collections::HashMap<K, V, NameBuild>;

/// A word-at-a-time multiplicative hash (see the module).
#[derive(Default)]
pub(crate) struct NameHasher(u64);

impl NameHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        // A product's low bits depend only on its factors' low bits: fold
        // the high half in, so names that differ late still spread.
        self.0 ^ (self.0 >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            if let Ok(word) = <[u8; 8]>::try_from(chunk) {
                self.mix(u64::from_le_bytes(word));
            }
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // At most 7 bytes: the last one holds their count, so `A` and
            // `A\0` differ.
            // Read as little-endian, byte by byte (a copy of a length
            // known only at run time would be a call to `memcpy`).
            let bytes = rest.iter().rev().fold(0, |word, &b| (word << 8) | u64::from(b));
            self.mix(bytes | ((rest.len() as u64) << 56));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::hash::BuildHasher as _;

    use super::*;

    /// The last word: its bytes little-endian, their count in the top byte.
    #[test]
    fn the_last_word_holds_the_rest_and_its_count() {
        for name in ["A", "A\0", "HOME", "PHOENIX", "PHOENIX_DATABASE_URL"] {
            let rest = &name.as_bytes()[name.len() / 8 * 8..];
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            word[7] = u8::try_from(rest.len()).unwrap();
            let mut expected = NameHasher::default();
            for chunk in name.as_bytes().chunks_exact(8) {
                expected.mix(u64::from_le_bytes(chunk.try_into().unwrap()));
            }
            expected.mix(u64::from_le_bytes(word));
            let mut hasher = NameHasher::default();
            hasher.write(name.as_bytes());
            assert_eq!(hasher.finish(), expected.finish(), "{name}");
        }
    }

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

    /// Names that differ only in their last characters (a container's
    /// numbered variables, `NAME` and `NAME_FILE`) spread over the low bits
    /// a small table indexes by.
    #[test]
    fn similar_names_spread_over_the_low_bits() {
        let hash = |name: &str| NameBuild::default().hash_one(name);
        let names: Vec<String> = (0..256).map(|i| format!("CONTAINER_VAR_{i:03}")).collect();
        let buckets: std::collections::HashSet<u64> = names.iter().map(|n| hash(n) & 255).collect();
        assert!(buckets.len() > 140, "{} of 256 buckets", buckets.len());
        assert_ne!(hash("A"), hash("A\0"));
        assert_ne!(hash("PHOENIX_DATABASE_URI") & 31, hash("PHOENIX_DATABASE_URL") & 31);
    }
}
