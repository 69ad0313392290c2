//! Building one leaf: its node decoded (secrets) and converted to the
//! field's type, or its default, or `None` for an `Option`, or a missing
//! value; then its rules, and its record for [`Loaded`](crate::Loaded).
//!
//! The generic part (converting to `T`, calling the default and the rules)
//! is kept small; everything that does not depend on `T` (decoding,
//! issues, records) is plain code shared by every field type.

use std::fmt::Debug;

use serde::de::DeserializeOwned;

use super::record::{LeafRecord, fingerprint};
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
    convert: &'r dyn Fn(&Node, &de::Leaf<'_>, &FieldInfo) -> Result<T, de::Failure>,
    /// The value of an absent `Option` field (`None`).
    absent: &'r dyn Fn(&FieldInfo, bool) -> Result<T, String>,
    /// Secret by its attribute, or by its type holding a `Secret` anywhere
    /// (known before converting; a `Secret` met while converting counts too).
    secret: bool,
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
            convert: &|node, leaf, field| de::convert::<T>(node, leaf, field.ty),
            absent: &|field, secret| de::from_node::<T>(&NULL, secret, field.ty),
            secret: section.info.fields[index].is_secret(),
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
            convert: &|node, _, field| {
                read_text(node, field, read).map_err(|message| de::Failure {
                    message,
                    decoding: false,
                    quiet: false,
                    origin: None,
                })
            },
            absent: &|_, _| absent.map(|absent| absent()).ok_or_else(|| "no value".to_owned()),
            secret: section.info.fields[index].is_secret(),
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
        let node = section.child(index).filter(|n| !is_null(n) || field.optional);
        let mut secret = reader.secret;
        let value = match node {
            Some(node) => self.convert(field, node, reader, &mut secret).map(|value| (value, Source::Node(node))),
            None => self.without_source(section, field, default, reader, secret),
        };
        let value = value.map(|(value, source)| {
            let mut failures = Vec::new();
            rules(&value, &mut RuleCx::new(secret, Some(self.environment), &mut failures));
            self.report(field, &failures, &source);
            self.record(field, &value, &source, (default.is_some(), secret));
            value
        });
        self.path.truncate(len);
        value
    }

    /// Converts a leaf's node, decoding encoded secrets; learns that the
    /// leaf is secret if a `Secret` was deserialized in it, and remembers a
    /// secret's text to scrub it from every message of the load.
    fn convert<T>(
        &mut self,
        field: &'static FieldInfo,
        node: &Node,
        reader: &Reader<'_, T>,
        secret: &mut bool,
    ) -> Option<T> {
        let seen = secret::seen();
        let leaf = de::Leaf { secret: *secret, decode: field.secret, keys: self.keys, keys_failed: self.keys_failed };
        let converted =
            secret::with_name(secret.then_some(self.path.as_str()), || (reader.convert)(node, &leaf, field));
        *secret |= secret::seen() != seen;
        if *secret {
            self.known_secret(node, converted.is_ok());
        }
        converted.map_err(|failure| self.conversion_failed(node, failure)).ok()
    }

    /// Remembers a secret's text, and reports it when it is plain text in a
    /// file under [`ConfigLoader::encrypted_secrets_only`](crate::ConfigLoader::encrypted_secrets_only)
    /// and `converted`: a value that does not convert (a list for text) has
    /// its conversion error, one message for one value.
    fn known_secret(&mut self, node: &Node, converted: bool) {
        self.known.add_node(node, self.keys);
        if !converted {
            return;
        }
        if let Some(origin) = self.encrypted_only.then(|| secret::plaintext_in_file(node)).flatten() {
            self.issue(IssueKind::Secret, secret::PLAINTEXT_MESSAGE.to_owned(), Some(origin));
        }
    }

    fn conversion_failed(&mut self, node: &Node, failure: de::Failure) {
        if failure.quiet {
            return;
        }
        let kind = if failure.decoding {
            IssueKind::Secret
        } else if failure.message.contains(de::UNKNOWN_KEY) {
            IssueKind::UnknownKey
        } else {
            IssueKind::Invalid
        };
        self.issue(kind, failure.message, Some(failure.origin.unwrap_or_else(|| node.origin.clone())));
    }

    fn without_source<T>(
        &mut self,
        section: &Section<'_>,
        field: &'static FieldInfo,
        default: Option<DefaultFn<T>>,
        reader: &Reader<'_, T>,
        secret: bool,
    ) -> Option<(T, Source<'static>)> {
        if let Some(default) = default {
            let value = default().map_err(|message| {
                // A secret's default is secret too: its message is not shown.
                let message = if secret {
                    format!("the default is not a valid {}", field.ty)
                } else {
                    format!("the default is not a valid {}: {message}", field.ty)
                };
                self.issue(IssueKind::Invalid, message, Some(Origin::Default));
            });
            return value.ok().map(|value| (value, Source::Default));
        }
        if field.optional {
            let value = (reader.absent)(field, secret);
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
            if self.unchecked_required(message, suffix, source) {
                continue;
            }
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

    /// A `required_in` value that is absent while a layer failed (a file
    /// that does not parse may hold it) is counted, like a missing value,
    /// for [`finish_load`](Cx::finish_load)'s one note: that error is the cause.
    fn unchecked_required(&mut self, message: &str, suffix: &str, source: &Source<'_>) -> bool {
        let unchecked = self.layer_failed && suffix.is_empty() && message.starts_with(REQUIRED_IN);
        let unchecked = unchecked && matches!(source, Source::Absent);
        self.unchecked += usize::from(unchecked);
        unchecked
    }

    /// Keeps the leaf for [`Loaded`](crate::Loaded), when asked to.
    fn record(
        &mut self,
        field: &FieldInfo,
        value: &dyn Debug,
        source: &Source<'_>,
        (has_default, secret): (bool, bool),
    ) {
        let Some(record) = &mut self.record else { return };
        let node = match source {
            Source::Node(node) => Some(*node),
            Source::Default | Source::Absent => None,
        };
        // Shown as written (an unset optional, secret or not, as unset).
        let written = crate::written::record(field, node, (has_default, secret));
        record.push(LeafRecord {
            path: self.path.to_string(),
            value: written.text,
            origin: node.map_or(Origin::Default, |n| n.origin.clone()),
            secret,
            fingerprint: node.map_or_else(|| fingerprint(value), Node::content_hash),
            node: written.node,
            ty: field.ty,
            kind: field.kind,
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
    read(text).map_err(|message| if field.is_secret() { "is not a valid value".to_owned() } else { message })
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
