//! Building one leaf: its node decoded (secrets) and converted to the
//! field's type, or its default, or `None` for an `Option`, or a missing
//! value; then its rules, and its record for [`Loaded`](crate::Loaded).
//!
//! The generic part (converting to `T`, calling the default and the rules)
//! is kept small; everything that does not depend on `T` (decoding,
//! issues, records) is plain code shared by every field type.

use std::fmt::Debug;

use serde::de::DeserializeOwned;

use super::record::{LeafRecord, fingerprint, shown};
use super::rules::{Failures, REQUIRED_IN, RuleCx};
use super::{Cx, Section, is_null};
use crate::node::{Node, NodeKind};
use crate::schema::FieldInfo;
use crate::{Issue, IssueKind, Origin, de, secret};

/// A field's `#[config(default = …)]`; `Err` when a text default does not
/// convert to the field's type.
pub type DefaultFn<T> = fn() -> Result<T, String>;

/// A text default (`#[config(default = "info")]` on a non-text field),
/// converted as a variable's text would be.
pub fn text_default<T: DeserializeOwned>(text: &str, ty: &'static str) -> Result<T, String> {
    de::from_node(&Node::text(text, Origin::Default), false, ty)
}

/// Where a leaf's value came from.
enum Source<'n> {
    /// A node of the tree (possibly a decoded copy of it).
    Node(&'n Node),
    /// The field's default.
    Default,
    /// Nothing: an `Option` left `None`.
    Absent,
}

/// How a leaf's value is made from a node, and when no layer has one.
struct Reader<'r, T> {
    convert: &'r dyn Fn(&Node, &FieldInfo) -> Result<T, String>,
    /// The value of an absent `Option` field (`None`).
    absent: &'r dyn Fn(&FieldInfo) -> Result<T, String>,
}

/// A `#[config(with = path)]` reader: the value's text to the field's type.
pub type ReadFn<T> = fn(&str) -> Result<T, String>;

impl Cx<'_> {
    /// Builds a leaf field: converts its node (decoding secrets), or falls
    /// back to the default, `None` for an `Option`, or reports it missing;
    /// then runs its rules.
    pub fn leaf<T: DeserializeOwned + Debug>(
        &mut self,
        section: &Section<'_>,
        index: usize,
        default: Option<DefaultFn<T>>,
        rules: fn(&T, &mut RuleCx<'_>),
    ) -> Option<T> {
        let reader = Reader {
            convert: &|node, field| de::from_node::<T>(node, field.secret, field.ty),
            absent: &|field| de::from_node::<T>(&NULL, field.secret, field.ty),
        };
        self.leaf_by(section, index, default, rules, &reader)
    }

    /// Builds a `#[config(with = path)]` leaf: its text (a scalar from any
    /// layer) is handed to `read`; `absent` is the value of an absent
    /// `Option` field.
    pub fn leaf_with<T: Debug>(
        &mut self,
        section: &Section<'_>,
        index: usize,
        default: Option<DefaultFn<T>>,
        rules: fn(&T, &mut RuleCx<'_>),
        read: ReadFn<T>,
        absent: Option<fn() -> T>,
    ) -> Option<T> {
        let reader = Reader {
            convert: &|node, field| read_text(node, field, read),
            absent: &|_| absent.map(|absent| absent()).ok_or_else(|| "no value".to_owned()),
        };
        self.leaf_by(section, index, default, rules, &reader)
    }

    fn leaf_by<T: Debug>(
        &mut self,
        section: &Section<'_>,
        index: usize,
        default: Option<DefaultFn<T>>,
        rules: fn(&T, &mut RuleCx<'_>),
        reader: &Reader<'_, T>,
    ) -> Option<T> {
        let field = &section.info.fields[index];
        let len = self.path.key(field.name);
        let node = section.child(field.name).filter(|n| !is_null(n) || field.optional);
        let value = match node {
            Some(node) => self.read_node(field, node, reader),
            None => self.without_source(section, field, default, reader),
        };
        let value = value.map(|(value, source)| {
            let mut failures = Vec::new();
            rules(&value, &mut RuleCx::new(field.secret, Some(self.environment), &mut failures));
            self.report(field, &failures, &source);
            self.record(field, &value, &source, default.is_some());
            value
        });
        self.path.truncate(len);
        value
    }

    fn read_node<'n, T>(
        &mut self,
        field: &'static FieldInfo,
        node: &'n Node,
        reader: &Reader<'_, T>,
    ) -> Option<(T, Source<'n>)> {
        if let Some(decoded) = self.decode(field, node).ok()? {
            // The decoded copy lives only here: its origin is the node's.
            return self.convert(field, &decoded, reader).map(|value| (value, Source::Node(node)));
        }
        self.convert(field, node, reader).map(|value| (value, Source::Node(node)))
    }

    fn convert<T>(&mut self, field: &'static FieldInfo, node: &Node, reader: &Reader<'_, T>) -> Option<T> {
        let converted = secret::with_name(field.secret.then_some(self.path.as_str()), || (reader.convert)(node, field));
        converted
            .map_err(|message| {
                let kind = if message.contains(de::UNKNOWN_KEY) { IssueKind::UnknownKey } else { IssueKind::Invalid };
                self.issue(kind, message, Some(node.origin.clone()));
            })
            .ok()
    }

    /// A secret's `base64:`/`enc:` value decoded; `Ok(None)` when there is
    /// nothing to decode, `Err` when decoding failed (reported).
    fn decode(&mut self, field: &FieldInfo, node: &Node) -> Result<Option<Node>, ()> {
        if !field.secret {
            return Ok(None);
        }
        match secret::decode_node(node, self.keys) {
            Ok(decoded) => Ok(decoded),
            Err(message) => {
                let encrypted = matches!(&node.kind, NodeKind::Scalar { text, .. } if text.starts_with("enc:"));
                if !(self.keys_failed && encrypted) {
                    self.issue(IssueKind::Secret, message, Some(node.origin.clone()));
                }
                Err(())
            }
        }
    }

    fn without_source<T>(
        &mut self,
        section: &Section<'_>,
        field: &'static FieldInfo,
        default: Option<DefaultFn<T>>,
        reader: &Reader<'_, T>,
    ) -> Option<(T, Source<'static>)> {
        if let Some(default) = default {
            let value = default().map_err(|message| {
                let message = format!("the default is not a valid {}: {message}", field.ty);
                self.issue(IssueKind::Invalid, message, Some(Origin::Default));
            });
            return value.ok().map(|value| (value, Source::Default));
        }
        if field.optional {
            let value = (reader.absent)(field);
            return value
                .map_err(|message| self.issue(IssueKind::Invalid, message, None))
                .ok()
                .map(|v| (v, Source::Absent));
        }
        self.missing(section, field);
        None
    }

    /// Reports the rule failures of a leaf, each at the origin of the list
    /// element it names, else of the value.
    fn report(&mut self, field: &FieldInfo, failures: &Failures, source: &Source<'_>) {
        let node = match source {
            Source::Node(node) => Some(*node),
            Source::Default | Source::Absent => None,
        };
        for (suffix, message) in failures {
            let origin = node.and_then(|n| element_origin(n, suffix).or_else(|| Some(n.origin.clone())));
            let message = if message.starts_with(REQUIRED_IN) && suffix.is_empty() {
                format!("{message}: {}", self.where_to_set(field))
            } else {
                message.clone()
            };
            let path = format!("{}{suffix}", self.path);
            self.issues.push(Issue::new(IssueKind::Validation, path, message).with_origin_opt(origin));
        }
    }

    /// Keeps the leaf for [`Loaded`](crate::Loaded), when asked to.
    fn record(&mut self, field: &FieldInfo, value: &dyn Debug, source: &Source<'_>, has_default: bool) {
        let Some(record) = &mut self.record else { return };
        let node = match source {
            Source::Node(node) => Some(*node),
            Source::Default | Source::Absent => None,
        };
        // Shown as written (an unset optional, secret or not, as unset).
        let written = crate::written::record(field, node, has_default, || shown(value, field.optional));
        record.push(LeafRecord {
            path: self.path.to_string(),
            value: written.text,
            origin: node.map_or(Origin::Default, |n| n.origin.clone()),
            secret: field.secret,
            fingerprint: node.map_or_else(|| fingerprint(value), Node::content_hash),
            node: written.node,
            ty: field.ty,
        });
    }
}

/// The text of a scalar for a `with` reader; a secret's reader message is
/// replaced, since it might quote the value.
fn read_text<T>(node: &Node, field: &FieldInfo, read: ReadFn<T>) -> Result<T, String> {
    let NodeKind::Scalar { text, .. } = &node.kind else {
        return Err(format!(
            "expected a single value (read as text by its `with` function), found {}",
            node.describe()
        ));
    };
    read(text).map_err(|message| if field.secret { "is not a valid value".to_owned() } else { message })
}

static NULL: Node = Node { kind: NodeKind::Null, origin: Origin::Default };

/// The origin of the list element a rule failure names (`[2]` → element 2,
/// `[1][0]` → element 0 of element 1), as deep as the source tree goes.
fn element_origin(node: &Node, suffix: &str) -> Option<Origin> {
    let mut current = node;
    let mut found = None;
    let mut rest = suffix;
    while let Some(after) = rest.strip_prefix('[') {
        let (index, tail) = after.split_once(']')?;
        let NodeKind::Seq(items) = &current.kind else { break };
        current = items.get(index.parse::<usize>().ok()?)?;
        found = Some(current.origin.clone());
        rest = tail;
    }
    found
}
