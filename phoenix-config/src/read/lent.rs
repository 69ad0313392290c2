//! The read buffer a thread lends to each file it reads and parses whole
//! (layer files, `.env`): one allocation kept between reads instead of one
//! per file (a block of a kilobyte or more is the allocator's slow path).
//! Plaintext never stays in it: the buffer is wiped every time it is given
//! back, and one grown past [`KEPT`] is freed (wiped) rather than kept. A
//! read while the buffer is lent (a custom source reading a file) gets a
//! fresh one.

use std::cell::Cell;

use zeroize::{Zeroize as _, Zeroizing};

/// The largest buffer kept for the next read (configuration files are
/// smaller; a larger one is wiped and freed when given back).
pub(crate) const KEPT: usize = 64 * 1024;

thread_local! {
    /// The buffer between reads: empty and wiped.
    static SPARE: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// A file's bytes in the thread's read buffer, given back (wiped) on drop.
pub(crate) struct Lent(Zeroizing<Vec<u8>>);

impl Lent {
    /// The thread's buffer (a new one when it is lent already), empty.
    pub(super) fn take() -> Lent {
        Lent(Zeroizing::new(SPARE.with(Cell::take)))
    }

    /// The buffer, to read into.
    pub(super) fn bytes(&mut self) -> &mut Zeroizing<Vec<u8>> {
        &mut self.0
    }
}

impl std::ops::Deref for Lent {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut *self.0);
        // A read writes the file's bytes only below the length it leaves
        // (what it zero-fills past that and then cuts off is zeros), and the
        // buffer is lent clean: wiping the bytes below the length leaves it
        // clean, at the cost of the file's size, not of the buffer's.
        bytes.as_mut_slice().zeroize();
        bytes.clear();
        if bytes.capacity() <= KEPT {
            SPARE.with(|spare| spare.set(bytes));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lend(text: &[u8]) -> Lent {
        let mut lent = Lent::take();
        lent.bytes().extend_from_slice(text);
        lent
    }

    /// The kept buffer: its address and capacity (put back as it was).
    fn spare() -> (usize, usize) {
        let kept = SPARE.with(Cell::take);
        let seen = (kept.as_ptr() as usize, kept.capacity());
        assert!(kept.is_empty(), "the kept buffer holds nothing");
        SPARE.with(|spare| spare.set(kept));
        seen
    }

    #[test]
    fn the_buffer_is_given_back_empty_and_lent_again() {
        let first = lend(b"password: hunter2");
        let at = first.as_ptr() as usize;
        assert_eq!(&first[..], b"password: hunter2");
        drop(first);
        assert_eq!(spare().0, at, "the buffer is kept");
        let second = lend(b"a: 1");
        assert_eq!(second.as_ptr() as usize, at, "and lent again");
        assert_eq!(&second[..], b"a: 1", "without the earlier bytes");
    }

    #[test]
    fn a_read_while_the_buffer_is_lent_gets_its_own() {
        let outer = lend(b"outer");
        let inner = lend(b"inner");
        assert_ne!(outer.as_ptr(), inner.as_ptr());
        drop(inner);
        drop(outer);
        assert_eq!(&lend(b"x")[..], b"x");
    }

    #[test]
    fn a_buffer_past_the_cap_is_not_kept() {
        let mut big = Lent::take();
        big.bytes().resize(KEPT + 1, b'x');
        drop(big);
        assert_eq!(spare().1, 0, "nothing is kept");
        drop(lend(b"small"));
        assert!(spare().1 >= 5, "a small one is");
    }
}
