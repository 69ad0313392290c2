//! The path of the value being built or checked: `database.max_pool_size`,
//! `proxies[1].host`, `regions.us.bucket`.

use std::fmt::{self, Write as _};

/// A path grown and shrunk as the build walks the tree.
#[derive(Default, Debug)]
pub(crate) struct Path {
    text: String,
    /// How many lists or maps of sections the path is inside: their items
    /// answer only to automatic variable names.
    pub(crate) in_collection: usize,
}

impl Path {
    /// An empty path with room for the paths of most settings (`database.max_pool_size`,
    /// `proxies[1].host`): one allocation for the whole build, not one per doubling.
    pub(crate) fn for_build() -> Path {
        Path { text: String::with_capacity(64), in_collection: 0 }
    }

    /// Appends a key; returns the length to truncate back to.
    pub(crate) fn key(&mut self, name: &str) -> usize {
        let len = self.text.len();
        if len > 0 {
            self.text.push('.');
        }
        self.text.push_str(name);
        len
    }

    /// Appends a list index (`[2]`); returns the length to truncate back to.
    pub(crate) fn index(&mut self, index: usize) -> usize {
        let len = self.text.len();
        let _ = write!(self.text, "[{index}]");
        len
    }

    pub(crate) fn truncate(&mut self, len: usize) {
        self.text.truncate(len);
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_join_with_dots_and_indexes_with_brackets() {
        let mut path = Path::default();
        let root = path.key("proxies");
        let item = path.index(1);
        path.key("host");
        assert_eq!(path.as_str(), "proxies[1].host");
        path.truncate(item);
        assert_eq!(path.as_str(), "proxies");
        path.truncate(root);
        assert_eq!(path.as_str(), "");
    }

    #[test]
    fn a_build_path_starts_empty_with_room() {
        let path = Path::for_build();
        assert_eq!((path.as_str(), path.in_collection), ("", 0));
        assert!(path.text.capacity() >= 64);
    }
}
