//! `.env` files → variables with their line numbers. PLACEHOLDER: being written.

use std::sync::Arc;

use crate::Issue;
use crate::limits::Limits;

/// One `NAME=value` entry of a `.env` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DotenvEntry {
    pub(crate) name: String,
    pub(crate) value: String,
    /// 1-based line where the entry starts.
    pub(crate) line: u32,
}

/// Parses a `.env` file: every valid entry, and an issue for every bad line.
pub(crate) fn parse(bytes: &[u8], path: &Arc<str>, limits: &Limits) -> (Vec<DotenvEntry>, Vec<Issue>) {
    let _ = (bytes, path, limits);
    (Vec::new(), Vec::new())
}
