//! Values as people write them: the text `show` and [`Loaded`](crate::Loaded)
//! print (what a config file would hold, not `Debug`), and the typed value
//! of JSON and YAML output.
//!
//! A value read from a layer is shown as its source wrote it (`info`, not
//! `Info`; `http://x`, not `Url { … }`); a default given as a literal as the
//! literal; anything else through `Debug`. An unset `Option` is `unset`.

use std::fmt::Write as _;

use crate::node::{Node, NodeKind};
use crate::schema::{DefaultValue, FieldInfo};

/// How one leaf is shown.
pub(crate) struct Written {
    /// The text (`[REDACTED]` for a secret, `unset` for an unset `Option`).
    pub(crate) text: String,
    /// The tree typed output is made from (never for a secret).
    pub(crate) node: Option<Node>,
}

/// How a leaf is shown: from its source node, else its literal default, else
/// its computed default's value ([`DefaultValue::shown`](crate::schema::DefaultValue::shown):
/// `Debug`, an `Option`'s value without `Some(…)`). An unset optional
/// secret holds nothing to hide: it shows as `unset`.
pub(crate) fn record(field: &FieldInfo, node: Option<&Node>, (has_default, secret): (bool, bool)) -> Written {
    // `~`, `null` and an empty value read as `None`: shown as such, not as their text.
    let unset = node.is_none_or(crate::build::is_null) && !has_default && field.optional;
    if unset {
        return Written { text: UNSET.to_owned(), node: None };
    }
    if secret {
        return Written { text: "[REDACTED]".to_owned(), node: None };
    }
    if let Some(node) = node {
        return Written { text: text(node), node: Some(node.clone()) };
    }
    match field.default {
        Some(DefaultValue::Expr { shown, .. } | DefaultValue::TypeDefault { shown }) => {
            Written { text: shown().unwrap_or_else(|| UNSET.to_owned()), node: None }
        }
        Some(literal) => {
            let literal = literal.value().unwrap_or_default();
            Written { node: Some(Node::text(literal.clone(), crate::Origin::Default)), text: literal }
        }
        None => Written { text: UNSET.to_owned(), node: None },
    }
}

/// What an unset `Option` shows as.
pub(crate) const UNSET: &str = "unset";

/// The text of a source value: scalars as written, lists `[a, b]`, maps `{k: v}`.
pub(crate) fn text(node: &Node) -> String {
    let mut out = String::new();
    write_text(node, &mut out);
    out
}

fn write_text(node: &Node, out: &mut String) {
    match &node.kind {
        NodeKind::Null => out.push_str("null"),
        NodeKind::Scalar { text, .. } => out.push_str(text),
        NodeKind::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "" } else { ", " });
                write_text(item, out);
            }
            out.push(']');
        }
        NodeKind::Map(entries) => {
            out.push('{');
            for (i, entry) in entries.iter().enumerate() {
                let _ = write!(out, "{}{}: ", if i == 0 { "" } else { ", " }, entry.key);
                write_text(&entry.value, out);
            }
            out.push('}');
        }
    }
}

/// Types of values, for the typed JSON and YAML output of the command line.
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub(crate) mod typed {
    /// The bool a text means (`true/false/1/0/yes/no/on/off`).
    pub(crate) fn boolean(text: &str) -> Option<bool> {
        match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(true),
            "false" | "0" | "no" | "off" => Some(false),
            _ => None,
        }
    }

    /// The items of a list given as text: `a,b,c` or `[a, b, c]`; empty text is no item.
    pub(crate) fn list_items(text: &str) -> Vec<&str> {
        let text = text.trim();
        let text = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(text);
        if text.trim().is_empty() {
            return Vec::new();
        }
        text.split(',').map(str::trim).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::typed::*;
    use super::*;
    use crate::Origin;

    #[test]
    fn shows_source_values_as_written() {
        let list = Node {
            kind: NodeKind::Seq(vec![Node::text("a", Origin::Default), Node::text("b", Origin::Default)]),
            origin: Origin::Default,
        };
        assert_eq!(text(&list), "[a, b]");
    }

    #[test]
    fn lists_and_bools_read_from_text() {
        assert_eq!(list_items("[1, 2]"), ["1", "2"]);
        assert!(list_items(" ").is_empty());
    }
}
