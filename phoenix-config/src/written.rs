//! Values as people write them: the text `show` and [`Loaded`](crate::Loaded)
//! print (what a config file would hold, not `Debug`), and the typed value
//! of JSON and YAML output.
//!
//! A value read from a layer is shown as its source wrote it (`info`, not
//! `Info`; `http://x`, not `Url { … }`); a default given as a literal as the
//! literal; anything else through `Debug`. An unset `Option` is `unset`.

use std::fmt::Write as _;

use crate::node::{Node, NodeKind};
use crate::schema::FieldInfo;

/// How one leaf is shown.
pub(crate) struct Written {
    /// The text (`[REDACTED]` for a secret, `unset` for an unset `Option`).
    pub(crate) text: String,
    /// The tree typed output is made from (never for a secret).
    pub(crate) node: Option<Node>,
}

/// How a leaf is shown: from its source node, else its literal default, else
/// `debug` (a computed default). An unset optional secret holds nothing to
/// hide: it shows as `unset`.
pub(crate) fn record(
    field: &FieldInfo,
    node: Option<&Node>,
    (has_default, secret): (bool, bool),
    debug: impl FnOnce() -> String,
) -> Written {
    let unset = node.is_none_or(|n| matches!(n.kind, NodeKind::Null)) && !has_default && field.optional;
    if unset {
        return Written { text: UNSET.to_owned(), node: None };
    }
    if secret {
        return Written { text: "[REDACTED]".to_owned(), node: None };
    }
    if let Some(node) = node {
        return Written { text: text(node), node: Some(node.clone()) };
    }
    match field.default.and_then(|d| d.value()) {
        Some(literal) => Written { node: Some(Node::text(literal.clone(), crate::Origin::Default)), text: literal },
        None => Written { text: debug(), node: None },
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
    /// The shape a field's type gives its value in JSON and YAML output.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub(crate) enum Shape {
        Number,
        Bool,
        List,
        Map,
        Text,
    }

    const NUMBERS: &[&str] =
        &["u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64"];

    /// The type inside `Option<…>` (and `Box<…>`), as written.
    pub(crate) fn strip_wrappers(ty: &str) -> &str {
        let mut ty = ty.trim();
        for wrapper in ["Option<", "Box<"] {
            if let Some(inner) = ty.strip_prefix(wrapper).and_then(|t| t.strip_suffix('>')) {
                ty = inner.trim();
            }
        }
        ty
    }

    /// The shape of a type as written (`u32`, `Vec<String>`, `HashMap<String, u8>`).
    pub(crate) fn shape(ty: &str) -> Shape {
        let ty = strip_wrappers(ty);
        let last = ty.rsplit("::").next().unwrap_or(ty);
        if NUMBERS.contains(&last) || last.starts_with("NonZero") {
            Shape::Number
        } else if last == "bool" {
            Shape::Bool
        } else if last.starts_with("Vec<")
            || last.starts_with("VecDeque<")
            || last.starts_with("BTreeSet<")
            || last.starts_with("HashSet<")
            || ty.starts_with('[')
        {
            Shape::List
        } else if last.starts_with("HashMap<") || last.starts_with("BTreeMap<") {
            Shape::Map
        } else {
            Shape::Text
        }
    }

    /// The element type of a list type, or the value type of a map type.
    pub(crate) fn inner(ty: &str) -> &str {
        let ty = strip_wrappers(ty);
        let Some(open) = ty.find('<') else { return ty.trim_start_matches('[').split(';').next().unwrap_or(ty) };
        let body = ty[open + 1..].strip_suffix('>').unwrap_or(&ty[open + 1..]);
        match shape(ty) {
            Shape::Map => split_top(body).1,
            _ => body.trim(),
        }
    }

    /// `String, Vec<u8>` → (`String`, `Vec<u8>`): the first top-level comma.
    fn split_top(body: &str) -> (&str, &str) {
        let mut depth = 0_i32;
        for (at, c) in body.char_indices() {
            match c {
                '<' | '(' | '[' => depth += 1,
                '>' | ')' | ']' => depth -= 1,
                ',' if depth == 0 => return (body[..at].trim(), body[at + 1..].trim()),
                _ => {}
            }
        }
        (body.trim(), body.trim())
    }

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
    fn shapes_follow_the_type() {
        assert_eq!(shape("Option<u32>"), Shape::Number);
        assert_eq!(shape("std::num::NonZeroU16"), Shape::Number);
        assert_eq!(shape("bool"), Shape::Bool);
        assert_eq!(shape("Vec<String>"), Shape::List);
        assert_eq!(inner("Vec<u16>"), "u16");
        assert_eq!(shape("BTreeMap<String, u8>"), Shape::Map);
        assert_eq!(inner("BTreeMap<String, Vec<u8>>"), "Vec<u8>");
        assert_eq!(shape("Url"), Shape::Text);
        assert_eq!(list_items("[1, 2]"), ["1", "2"]);
        assert!(list_items(" ").is_empty());
    }
}
