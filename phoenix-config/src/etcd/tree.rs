//! Keys and values read from etcd, as a tree of [`Node`]s with origins.

use std::sync::Arc;

use super::client::Snapshot;
use crate::format::{self, Format};
use crate::limits::Limits;
use crate::node::NodeKind;
use crate::{Issue, IssueKind, Node, Origin};

/// `etcd 127.0.0.1:2379 /phoenix/production/database/max_pool_size @ revision 42`.
fn origin(shown: &str, key: &str, revision: i64) -> Origin {
    Origin::source(format!("etcd {shown} {key} @ revision {revision}"))
}

/// One key per value: the path is the key after the prefix, split at `/`.
pub(super) fn from_keys(prefix: &str, snapshot: &Snapshot, shown: &str) -> Result<Node, Vec<Issue>> {
    let mut tree = Node::map(Origin::source(format!("etcd {shown} {prefix} @ revision {}", snapshot.revision)));
    let mut issues = Vec::new();
    for kv in &snapshot.kvs {
        let origin = origin(shown, &kv.key, kv.mod_revision);
        let rest = kv.key.strip_prefix(prefix).unwrap_or(&kv.key);
        let segments: Vec<&str> = rest.split('/').collect();
        if segments.iter().any(|s| s.is_empty()) {
            let message =
                format!("the key `{}` has an empty segment after the prefix `{prefix}`: name a setting", kv.key);
            issues.push(Issue::new(IssueKind::UnknownKey, rest.replace('/', "."), message).with_origin(origin));
            continue;
        }
        tree.set_path(&segments, Node::text(kv.value.clone(), origin));
    }
    lists(&mut tree);
    if issues.is_empty() { Ok(tree) } else { Err(issues) }
}

/// Turns every map whose keys are exactly `0`, `1`, … `n-1` into a list,
/// in index order (`proxies/0/host`, `proxies/1/host` → a list of two).
fn lists(node: &mut Node) {
    let NodeKind::Map(entries) = &mut node.kind else { return };
    for entry in entries.iter_mut() {
        lists(&mut entry.value);
    }
    let mut indexed: Vec<(usize, Node)> = Vec::with_capacity(entries.len());
    for entry in entries.iter() {
        match entry.key.parse::<usize>() {
            Ok(i) if i < entries.len() && entry.key == i.to_string() => indexed.push((i, entry.value.clone())),
            _ => return,
        }
    }
    indexed.sort_by_key(|(i, _)| *i);
    if indexed.iter().enumerate().all(|(want, (i, _))| want == *i) && !indexed.is_empty() {
        node.kind = NodeKind::Seq(indexed.into_iter().map(|(_, n)| n).collect());
    }
}

/// One key holding a document; its format from the key's extension.
pub(super) fn from_document(key: &str, snapshot: &Snapshot, shown: &str, limits: &Limits) -> Result<Node, Vec<Issue>> {
    let Some(kv) = snapshot.kvs.first() else {
        return Ok(Node::map(origin(shown, key, snapshot.revision)));
    };
    let described: Arc<str> = format!("etcd {shown} {key} @ revision {}", kv.mod_revision).into();
    let Some(format) = Format::of(std::path::Path::new(key)) else {
        let message = format!("the key `{key}` names no format: end it with .yaml, .yml, .toml or .json");
        return Err(vec![Issue::new(IssueKind::Syntax, "", message).with_origin(Origin::source(described))]);
    };
    let tree = format::parse(format, kv.value.as_bytes(), &described, limits)?;
    let tree = tree.unwrap_or_else(|| Node::map(Origin::source(described.clone())));
    if tree.entries().is_none() {
        let message = format!("expected a map of settings in the key, found {}", tree.describe());
        return Err(vec![Issue::new(IssueKind::Syntax, "", message).with_origin(tree.origin)]);
    }
    Ok(tree)
}
