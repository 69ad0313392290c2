//! A growing string whose every buffer is wiped: when it is dropped, and
//! when it grows (a `String` that grows copies its text to a bigger block
//! and frees the old one as it is, so a value built piece by piece would
//! leave a copy of each prefix in freed memory).

use zeroize::Zeroizing;

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
