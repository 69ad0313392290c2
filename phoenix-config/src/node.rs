//! The source tree: every value read from any layer, with its origin.
//!
//! YAML files, `.env`, variables and overrides all become [`Node`]s; the
//! layers are merged into one tree (maps key by key, anything else replaced
//! whole), and the generated code converts each leaf to its field's type.

use crate::Origin;

/// How a scalar was written; it decides how the text converts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    /// A YAML plain scalar: `5`, `true`, `~` are typed by the YAML core schema
    /// when the target accepts anything, but a `String` keeps the exact text.
    Plain,
    /// A YAML quoted scalar: always a string.
    Quoted,
    /// A YAML block scalar (`|`, `>`): always a string.
    Block,
    /// Text from a variable, `.env`, an override or a secret file: converted
    /// by the field's type (DESIGN §4.3: `a,b,c` lists, `yes`/`no` bools, …).
    Text,
}

/// A map entry, with where its key was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key text.
    pub key: String,
    /// Where the key was written (for unknown-key errors).
    pub key_origin: Origin,
    /// The value.
    pub value: Node,
}

/// The shape of a node.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A synthetic null (an absent optional value).
    Null,
    /// A scalar, with its exact source text.
    Scalar {
        /// The text as written (after YAML unquoting).
        text: String,
        /// How it was written.
        style: ScalarStyle,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order; keys are unique.
    Map(Vec<Entry>),
}

/// A value with its origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub kind: NodeKind,
    /// Where it came from.
    pub origin: Origin,
}

impl Node {
    /// A scalar node.
    pub fn scalar(text: impl Into<String>, style: ScalarStyle, origin: Origin) -> Self {
        Node { kind: NodeKind::Scalar { text: text.into(), style }, origin }
    }

    /// A text node (variables, `.env`, overrides).
    pub fn text(text: impl Into<String>, origin: Origin) -> Self {
        Node::scalar(text, ScalarStyle::Text, origin)
    }

    /// An empty map.
    pub fn map(origin: Origin) -> Self {
        Node { kind: NodeKind::Map(Vec::new()), origin }
    }

    /// The child of a map node under `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }

    /// The entries, when this is a map.
    pub fn entries(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// What the node is, in words, for error messages (`a map`, `a list`, `a value`).
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "nothing",
            NodeKind::Scalar { .. } => "a single value",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a map",
        }
    }

    /// A hash of the value alone (text, style, children; not origins), to
    /// tell whether a reload changed it. Never shown.
    pub fn content_hash(&self) -> u64 {
        use std::hash::Hasher;
        fn feed(node: &Node, h: &mut std::collections::hash_map::DefaultHasher) {
            match &node.kind {
                NodeKind::Null => h.write_u8(0),
                NodeKind::Scalar { text, style } => {
                    h.write_u8(1 + *style as u8);
                    h.write(text.as_bytes());
                    h.write_u8(0xff);
                }
                NodeKind::Seq(items) => {
                    h.write_u8(10);
                    h.write_usize(items.len());
                    for item in items {
                        feed(item, h);
                    }
                }
                NodeKind::Map(entries) => {
                    h.write_u8(11);
                    h.write_usize(entries.len());
                    for e in entries {
                        h.write(e.key.as_bytes());
                        h.write_u8(0xff);
                        feed(&e.value, h);
                    }
                }
            }
        }
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        feed(self, &mut hasher);
        hasher.finish()
    }

    /// Merges a higher layer into this one: maps merge key by key, a list
    /// or a scalar replaces the lower value whole.
    pub fn merge(&mut self, higher: Node) {
        match (&mut self.kind, higher.kind) {
            (NodeKind::Map(lower), NodeKind::Map(upper)) if lower.is_empty() => *lower = upper,
            (NodeKind::Map(lower), NodeKind::Map(upper)) => {
                for entry in upper {
                    if let Some(existing) = lower.iter_mut().find(|e| e.key == entry.key) {
                        existing.value.merge(entry.value);
                    } else {
                        lower.push(entry);
                    }
                }
            }
            (_, kind) => {
                self.kind = kind;
                self.origin = higher.origin;
            }
        }
    }

    /// Sets the value at a path of map keys, creating maps on the way and
    /// replacing any non-map in between.
    pub fn set_path(&mut self, path: &[&str], value: Node) {
        let Some((first, rest)) = path.split_first() else {
            *self = value;
            return;
        };
        if !matches!(self.kind, NodeKind::Map(_)) {
            self.kind = NodeKind::Map(Vec::new());
        }
        let NodeKind::Map(entries) = &mut self.kind else { unreachable!("made a map above") };
        let index = if let Some(i) = entries.iter().position(|e| e.key == *first) {
            i
        } else {
            let origin = value.origin.clone();
            entries.push(Entry { key: (*first).to_owned(), key_origin: origin.clone(), value: Node::map(origin) });
            entries.len() - 1
        };
        entries[index].value.set_path(rest, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(line: u32) -> Origin {
        Origin::File { path: "f.yaml".into(), line, column: 1 }
    }

    fn map(entries: Vec<(&str, Node)>) -> Node {
        Node {
            kind: NodeKind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| Entry { key: k.into(), key_origin: v.origin.clone(), value: v })
                    .collect(),
            ),
            origin: file(0),
        }
    }

    #[test]
    fn merge_merges_maps_and_replaces_lists_and_scalars() {
        let mut low = map(vec![
            ("a", Node::text("1", file(1))),
            ("list", Node { kind: NodeKind::Seq(vec![Node::text("x", file(2))]), origin: file(2) }),
            ("sub", map(vec![("keep", Node::text("k", file(3))), ("over", Node::text("o", file(4)))])),
        ]);
        let high = map(vec![
            ("list", Node { kind: NodeKind::Seq(vec![]), origin: file(10) }),
            ("sub", map(vec![("over", Node::text("new", file(11)))])),
            ("b", Node::text("2", file(12))),
        ]);
        low.merge(high);
        assert_eq!(low.get("a").unwrap().origin, file(1));
        assert_eq!(low.get("list").unwrap().kind, NodeKind::Seq(vec![]));
        let sub = low.get("sub").unwrap();
        assert_eq!(sub.get("keep").unwrap().origin, file(3));
        assert_eq!(sub.get("over").unwrap().origin, file(11));
        assert!(low.get("b").is_some());
    }

    #[test]
    fn set_path_creates_and_replaces() {
        let mut root = map(vec![("database", Node::text("oops", file(1)))]);
        root.set_path(&["database", "uri"], Node::text("mongodb://x", Origin::Override));
        let uri = root.get("database").unwrap().get("uri").unwrap();
        assert_eq!(uri.origin, Origin::Override);
    }
}
