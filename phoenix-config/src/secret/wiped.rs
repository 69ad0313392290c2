//! Growing buffers whose old blocks are wiped: a string, when it is
//! dropped and when it grows (a `String` that grows copies its text to a
//! bigger block and frees the old one as it is, so a value built piece by
//! piece would leave a copy of each prefix in freed memory); and a vector
//! of tree nodes, map entries or `.env` entries when it grows (each holds
//! its short text inline, so a `Vec` that grows would leave a copy of
//! every short key and value in the block it frees).

use zeroize::{Zeroize, Zeroizing};

/// Makes room in `vec` for `additional` more elements; when it must grow,
/// its elements move to a new block (twice as big, or as big as needed)
/// and the old block is wiped before it is freed.
#[inline]
pub(crate) fn reserve_wiped<T>(vec: &mut Vec<T>, additional: usize) {
    if vec.capacity() - vec.len() < additional {
        grow_wiped(vec, additional);
    }
}

/// `vec.push(value)`, the old block wiped when `vec` grows (see
/// [`reserve_wiped`]).
#[inline]
pub(crate) fn push_wiped<T>(vec: &mut Vec<T>, value: T) {
    reserve_wiped(vec, 1);
    vec.push(value);
}

#[cold]
fn grow_wiped<T>(vec: &mut Vec<T>, additional: usize) {
    let mut bigger = Vec::with_capacity((vec.len() + additional).max(2 * vec.capacity()).max(4));
    bigger.append(vec);
    // Every element moved out: the whole old block is spare capacity now.
    vec.spare_capacity_mut().zeroize();
    *vec = bigger;
}

/// Text built piece by piece (an expansion's result), wiped when dropped
/// and when it moves to a bigger buffer.
#[derive(Default)]
pub(crate) struct WipedString(Zeroizing<String>);

impl WipedString {
    /// An empty string with room for `capacity` bytes.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        WipedString(Zeroizing::new(String::with_capacity(capacity)))
    }

    /// Appends `text`, moving to a buffer twice as big (and wiping the old
    /// one) when it does not fit.
    pub(crate) fn push_str(&mut self, text: &str) {
        let needed = self.0.len() + text.len();
        if needed > self.0.capacity() {
            let mut bigger = Zeroizing::new(String::with_capacity(needed.max(2 * self.0.capacity())));
            bigger.push_str(&self.0);
            // The old buffer is wiped as it drops.
            self.0 = bigger;
        }
        self.0.push_str(text);
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for WipedString {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_grow_keeping_their_elements_in_order() {
        let mut v: Vec<String> = Vec::new();
        for i in 0..100 {
            let before = v.capacity();
            push_wiped(&mut v, i.to_string());
            assert!(v.capacity() >= v.len());
            if before > 0 && v.capacity() != before {
                assert!(v.capacity() >= 2 * before, "grows by doubling: {before} -> {}", v.capacity());
            }
        }
        assert_eq!(v, (0..100).map(|i| i.to_string()).collect::<Vec<_>>());
        reserve_wiped(&mut v, 1000);
        assert!(v.capacity() >= 1100);
        let kept = v.capacity();
        reserve_wiped(&mut v, 10);
        assert_eq!(v.capacity(), kept, "room enough: no new block");
        assert_eq!(v[99], "99");
    }

    #[test]
    fn grows_and_keeps_the_text() {
        let mut s = WipedString::with_capacity(2);
        for piece in ["ab", "c", "", "defghij", "k"] {
            s.push_str(piece);
        }
        assert_eq!(s.as_str(), "abcdefghijk");
        assert!(s.0.capacity() >= 11);
        let mut empty = WipedString::default();
        empty.push_str("x");
        assert_eq!(&*empty, "x");
    }
}
