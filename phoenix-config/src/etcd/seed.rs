//! Seeding: a config file's values written into etcd under a prefix, so a
//! deployment moves from files to etcd in two commands (`etcd-put`, then
//! `show` with the etcd source).

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use super::{EtcdSource, Layout};
use crate::format::{self, Format};
use crate::limits::Limits;
use crate::node::{Node, NodeKind};

/// Why [`seed_file`] wrote nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedError(String);

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SeedError {}

/// Writes every value of the YAML/TOML/JSON file at `path` under `prefix`
/// (`database.max_pool_size` → `{prefix}database/max_pool_size`; list items
/// by index, `proxies/0/host`) in one transaction, after deleting what was
/// under the prefix when `replace` is set. Values are written as their
/// source text (an `enc:v1:` value stays ciphertext). Returns the keys
/// written and the revision of the transaction.
///
/// Plain endpoints; for TLS or other settings, use [`EtcdSource::seed`].
pub fn seed_file(
    endpoints: &[String],
    user: Option<(&str, &str)>,
    prefix: &str,
    path: &Path,
    replace: bool,
) -> Result<(Vec<String>, i64), SeedError> {
    let mut source = EtcdSource::prefix(endpoints.iter().cloned(), prefix);
    if let Some((name, password)) = user {
        source = source.user(name, password);
    }
    source.seed(path, replace)
}

impl EtcdSource {
    /// Writes every value of the YAML/TOML/JSON file at `path` under this
    /// source's prefix, as [`seed_file`] does, through this source's
    /// endpoints, user, TLS files and timeouts. The prefix is taken as it
    /// is: one with `{environment}`, or a [`document`](EtcdSource::document)
    /// source, is an error.
    pub fn seed(&self, path: &Path, replace: bool) -> Result<(Vec<String>, i64), SeedError> {
        let Layout::Prefix(prefix) = &self.inner.layout else {
            return Err(SeedError(
                "seeding writes under a prefix: use EtcdSource::prefix, not a document key".to_owned(),
            ));
        };
        if prefix.contains("{environment}") {
            return Err(SeedError(format!(
                "seeding writes under one prefix: replace {{environment}} in {prefix} by the environment"
            )));
        }
        let pairs = read_pairs(path, prefix)?;
        let client = &self.inner.client;
        if replace {
            client.delete_prefix(prefix).map_err(|e| SeedError(e.to_string()))?;
        }
        let revision = client.put_all(&pairs).map_err(|e| SeedError(e.to_string()))?;
        Ok((pairs.into_iter().map(|(k, _)| k).collect(), revision))
    }
}

fn read_pairs(path: &Path, prefix: &str) -> Result<Vec<(String, String)>, SeedError> {
    let shown: Arc<str> = path.display().to_string().into();
    let format =
        Format::of(path).ok_or_else(|| SeedError(format!("{shown}: use a .yaml, .yml, .toml or .json file")))?;
    let bytes = std::fs::read(path).map_err(|e| SeedError(format!("cannot read {shown}: {e}")))?;
    let tree = format::parse(format, &bytes, &shown, &Limits::default())
        .map_err(|issues| SeedError(issues.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")))?;
    let mut pairs = Vec::new();
    if let Some(tree) = tree {
        flatten(&tree, prefix, &mut pairs);
    }
    if pairs.is_empty() {
        return Err(SeedError(format!("{shown} holds no values to write")));
    }
    Ok(pairs)
}

fn flatten(node: &Node, key: &str, out: &mut Vec<(String, String)>) {
    match &node.kind {
        NodeKind::Scalar { text, .. } => out.push((key.trim_end_matches('/').to_owned(), text.to_string())),
        NodeKind::Map(entries) => {
            for entry in entries {
                flatten(&entry.value, &format!("{key}{}/", entry.key), out);
            }
        }
        NodeKind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(item, &format!("{key}{i}/"), out);
            }
        }
        NodeKind::Null => {}
    }
}
