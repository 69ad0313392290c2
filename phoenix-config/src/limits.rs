//! Bounds on what the loader reads, so hostile input fails fast.

/// Bounds on files and trees. The defaults suit any real configuration;
/// raise them with [`ConfigLoader::limits`](crate::ConfigLoader::limits).
///
/// ```
/// use phoenix_config::Limits;
///
/// let limits = Limits { max_depth: 256, ..Limits::default() };
/// assert_eq!(limits.max_file_bytes, 4 * 1024 * 1024);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest YAML or `.env` file read, in bytes (default 4 MiB).
    pub max_file_bytes: u64,
    /// Largest secret file read (`NAME_FILE`, secrets folder), in bytes (default 64 KiB).
    pub max_secret_file_bytes: u64,
    /// Deepest nesting of YAML maps and lists (default 64).
    pub max_depth: usize,
    /// Most values in one YAML file, aliases expanded (default 100,000).
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file_bytes: 4 * 1024 * 1024, max_secret_file_bytes: 64 * 1024, max_depth: 64, max_nodes: 100_000 }
    }
}
