//! Bounds on what the loader reads, so hostile input fails fast.

/// The deepest nesting read whatever [`Limits::max_depth`] says: merging,
/// converting and dropping a tree recurse once per level, and 255 levels
/// stay far within the smallest thread stack (saphyr stops flow
/// collections at 255 levels too).
pub(crate) const DEPTH_CEILING: usize = 255;

/// Bounds on files and trees. The defaults suit any real configuration;
/// raise them with [`ConfigLoader::limits`](crate::ConfigLoader::limits).
/// Input exactly at a limit is read; one byte, level or value more is an
/// issue whose message names the limit to raise.
///
/// ```
/// use phoenix_config::Limits;
///
/// let limits = Limits::default().with_max_depth(256);
/// assert_eq!(limits.max_depth, 256);
/// assert_eq!(limits.max_file_bytes, 4 * 1024 * 1024);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest YAML or `.env` file read, in bytes (default 4 MiB); also the
    /// most text that the anchors and aliases of one YAML file copy.
    pub max_file_bytes: u64,
    /// Largest secret file read (`NAME_FILE`, secrets folder), in bytes (default 64 KiB).
    pub max_secret_file_bytes: u64,
    /// Deepest nesting of YAML maps and lists (default 64). Values above
    /// 255 act as 255: the tree is walked recursively after it is read.
    pub max_depth: usize,
    /// Most values in one YAML file, aliases expanded (default 100,000);
    /// also the most values its anchors keep for their aliases.
    pub max_nodes: usize,
    /// Most bytes that interpolation writes in one load, all values
    /// together, for each of `.env` expansion and `${…}` in files (default
    /// 16 MiB): a value built to expand to gigabytes stops here.
    pub max_expanded_bytes: usize,
    /// Deepest chain of `${…}` expansions: a key referring to a key
    /// referring to … , and defaults nested in defaults (default 32).
    pub max_reference_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 4 * 1024 * 1024,
            max_secret_file_bytes: 64 * 1024,
            max_depth: 64,
            max_nodes: 100_000,
            max_expanded_bytes: 16 * 1024 * 1024,
            max_reference_depth: 32,
        }
    }
}

impl Limits {
    /// With another largest YAML or `.env` file size, in bytes.
    #[must_use]
    pub fn with_max_file_bytes(mut self, bytes: u64) -> Self {
        self.max_file_bytes = bytes;
        self
    }

    /// With another largest secret file size, in bytes.
    #[must_use]
    pub fn with_max_secret_file_bytes(mut self, bytes: u64) -> Self {
        self.max_secret_file_bytes = bytes;
        self
    }

    /// With another deepest nesting of YAML maps and lists.
    #[must_use]
    pub fn with_max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// With another largest number of values in one YAML file.
    #[must_use]
    pub fn with_max_nodes(mut self, nodes: usize) -> Self {
        self.max_nodes = nodes;
        self
    }

    /// With another most bytes interpolation writes in one load.
    #[must_use]
    pub fn with_max_expanded_bytes(mut self, bytes: usize) -> Self {
        self.max_expanded_bytes = bytes;
        self
    }

    /// With another deepest chain of `${…}` expansions.
    #[must_use]
    pub fn with_max_reference_depth(mut self, depth: usize) -> Self {
        self.max_reference_depth = depth;
        self
    }
}
