//! The merge of layers and `set_path`: trees generated from the bytes (a
//! few bytes can ask for maps of thousands of keys), merged and set with
//! the indexed, linear implementations of `node.rs`, must equal the plain
//! definitions below (one key at a time, by scans).

use std::sync::Arc;

use crate::Origin;
use crate::node::by_scan::{merge_by_scan, set_by_scan};
use crate::node::{Entry, Node, NodeKind, ScalarStyle, Text};

/// The bytes, read as the recipe of trees.
struct Recipe<'a> {
    bytes: &'a [u8],
    at: usize,
    file: Arc<str>,
    line: u32,
}

impl Recipe<'_> {
    fn next(&mut self) -> u8 {
        let byte = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        byte
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn origin(&mut self) -> Origin {
        self.line += 1;
        Origin::File { path: self.file.clone(), line: self.line, column: 1 }
    }

    /// A key: one of a few short ones (so that layers share keys), or a
    /// numbered one of a wide map.
    fn key(&mut self) -> Text {
        const KEYS: [&str; 8] = ["a", "b", "c", "d", "db", "uri", "k0", "k1"];
        KEYS[usize::from(self.next() % 8)].into()
    }

    fn node(&mut self, depth: u32) -> Node {
        let origin = self.origin();
        let op = if depth > 5 || self.done() { 0 } else { self.next() % 5 };
        let kind = match op {
            0 => NodeKind::Scalar { text: format!("t{}", self.next()).into(), style: ScalarStyle::Plain },
            1 => NodeKind::Seq((0..self.next() % 4).map(|_| self.node(depth + 1)).collect()),
            2 | 3 => NodeKind::Map(self.entries(depth)),
            _ => NodeKind::Map(self.wide()),
        };
        Node { kind, origin }
    }

    fn entries(&mut self, depth: u32) -> Vec<Entry> {
        let mut entries: Vec<Entry> = Vec::new();
        for _ in 0..self.next() % 6 {
            let key = self.key();
            let value = self.node(depth + 1);
            if entries.iter().all(|e| e.key != key) {
                entries.push(Entry { key, key_origin: value.origin.clone(), value });
            }
        }
        entries
    }

    /// A map of up to 2,255 numbered keys (every `step`-th of a range), with
    /// scalars and small maps as values.
    fn wide(&mut self) -> Vec<Entry> {
        let count = usize::from(self.next() % 3) * 1_000 + usize::from(self.next());
        let step = usize::from(self.next() % 3) + 1;
        let offset = usize::from(self.next() % 4) * 500;
        let origin = self.origin();
        (offset..offset + count)
            .step_by(step)
            .map(|i| {
                let value = if i % 5 == 0 {
                    Node { kind: NodeKind::Map(vec![]), origin: origin.clone() }
                } else {
                    Node::text(format!("w{i}"), origin.clone())
                };
                Entry { key: format!("k{i}").into(), key_origin: origin.clone(), value }
            })
            .collect()
    }

    /// A layer: a map, wide or small, as the top of a file is.
    fn layer(&mut self) -> Node {
        let origin = self.origin();
        let entries = if self.next().is_multiple_of(2) { self.wide() } else { self.entries(0) };
        Node { kind: NodeKind::Map(entries), origin }
    }

    /// A path of up to four keys (wide-map keys included).
    fn path(&mut self) -> Vec<String> {
        (0..self.next() % 5)
            .map(|_| {
                if self.next().is_multiple_of(3) {
                    format!("k{}", usize::from(self.next()) * 13)
                } else {
                    self.key().to_string()
                }
            })
            .collect()
    }
}

/// Keys of a map are unique.
fn check_unique(node: &Node) {
    match &node.kind {
        NodeKind::Map(entries) => {
            let mut keys: Vec<&str> = entries.iter().map(|e| &*e.key).collect();
            keys.sort_unstable();
            assert!(keys.windows(2).all(|w| w[0] != w[1]), "a map with a duplicate key");
            for entry in entries {
                check_unique(&entry.value);
            }
        }
        NodeKind::Seq(items) => items.iter().for_each(check_unique),
        NodeKind::Null | NodeKind::Scalar { .. } => {}
    }
}

/// Layers from the bytes merged in order, then values set at paths: the
/// same tree as the definitions build, with unique keys in every map.
///
/// # Panics
///
/// When an invariant breaks.
pub fn merge(bytes: &[u8]) {
    let mut recipe = Recipe { bytes, at: 0, file: "layer.yaml".into(), line: 0 };
    let layers: Vec<Node> = (0..=recipe.next() % 3).map(|_| recipe.layer()).collect();
    let mut fast = Node::map(Origin::Default);
    let mut slow = fast.clone();
    for layer in layers {
        fast.merge(layer.clone());
        merge_by_scan(&mut slow, layer);
        assert_eq!(fast, slow, "merge differs from the merge by scan");
    }
    let paths: Vec<Vec<String>> = (0..recipe.next() % 16).map(|_| recipe.path()).collect();
    let paths: Vec<Vec<&str>> = paths.iter().map(|p| p.iter().map(String::as_str).collect()).collect();
    let items: Vec<(&[&str], Node)> = paths.iter().map(|p| (&p[..], recipe.node(3))).collect();
    for (path, value) in items.iter().cloned() {
        set_by_scan(&mut slow, path, value);
    }
    let mut routed = fast.clone();
    routed.set_paths_routed(items.clone());
    fast.set_paths(items);
    assert_eq!(fast, slow, "set_paths differs from set_path in order");
    assert_eq!(routed, slow, "set_paths_routed differs from set_path in order");
    check_unique(&fast);
}
