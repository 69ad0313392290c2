//! What generated code calls. Not public API: no semver guarantees.

use std::fmt::{self, Debug, Write as _};
use std::sync::Arc;

pub use serde::de::DeserializeOwned;

pub use crate::node::Node;
pub use crate::schema::{FieldInfo, StructInfo};
pub use crate::{Environment, PhoenixConfig};

use crate::message::quote;
use crate::node::{NodeKind, ScalarStyle};
use crate::secret::KeyRing;
use crate::{Issue, IssueKind, Origin, ValidationError, de, secret, suggest};

/// A field's `#[config(default = …)]`; `Err` when a text default does not
/// convert to the field's type.
pub type DefaultFn<T> = fn() -> Result<T, String>;

/// A text default (`#[config(default = "info")]` on a non-text field),
/// converted as a variable's text would be.
pub fn text_default<T: DeserializeOwned>(text: &str, ty: &'static str) -> Result<T, String> {
    de::from_node(&Node::text(text, Origin::Default), false, ty)
}

/// A container's `#[config(validate = …)]` rule.
pub type ContainerRule<T> = fn(&T) -> Result<(), String>;

/// Prints `[REDACTED]`: stands in for secret fields in the generated `Debug`.
pub struct Redacted;

impl Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// A leaf as loaded, for [`Loaded`](crate::Loaded)'s table.
#[derive(Clone, Debug)]
pub struct LeafRecord {
    /// Dotted path.
    pub path: String,
    /// The value as `Debug` prints it, or `[REDACTED]`.
    pub value: String,
    /// Where it came from.
    pub origin: Origin,
    /// Whether it is a secret.
    pub secret: bool,
    /// A hash of the value (for change detection, secrets included; never shown).
    pub fingerprint: u64,
}

/// A value as `Loaded` shows it: its `Debug` text, with an `Option`'s
/// `Some(…)` taken off (`None` stays).
fn shown(value: &dyn Debug, optional: bool) -> String {
    let text = format!("{value:?}");
    if optional && let Some(inner) = text.strip_prefix("Some(").and_then(|t| t.strip_suffix(')')) {
        return inner.to_owned();
    }
    text
}

/// Hashes what `Debug` writes, without keeping a copy of it.
struct HashWriter<'h>(&'h mut std::collections::hash_map::DefaultHasher);

impl fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        std::hash::Hasher::write(self.0, s.as_bytes());
        Ok(())
    }
}

fn fingerprint(value: &dyn Debug) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let _ = write!(HashWriter(&mut hasher), "{value:?}");
    std::hash::Hasher::finish(&hasher)
}

/// The state of one load, threaded through the generated `__build`.
pub struct Cx<'a> {
    pub(crate) environment: Environment,
    pub(crate) files: &'a [Arc<str>],
    pub(crate) prefix: Option<&'static str>,
    pub(crate) keys: &'a KeyRing,
    /// The key variables were broken (already reported): an `enc:` value
    /// that cannot decrypt says nothing more.
    pub(crate) keys_failed: bool,
    pub(crate) issues: Vec<Issue>,
    pub(crate) record: Option<Vec<LeafRecord>>,
    /// The secret values read, to scrub from every message of the load.
    pub(crate) known: secret::Known,
    /// A secret written in a configuration file without encryption is an
    /// error ([`ConfigLoader::encrypted_secrets_only`](crate::ConfigLoader::encrypted_secrets_only)).
    pub(crate) encrypted_only: bool,
    path: String,
}

/// A struct being built: its description and its map node, if any.
pub struct Section<'n> {
    info: &'static StructInfo,
    node: Option<&'n Node>,
    /// The section's node was not a map: its fields stay silent instead of
    /// each reporting a missing value.
    broken: bool,
}

impl Section<'_> {
    fn child(&self, key: &str) -> Option<&Node> {
        self.node.and_then(|n| n.get(key))
    }
}

static NULL: Node = Node { kind: NodeKind::Null, origin: Origin::Default };

fn is_null(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Null => true,
        NodeKind::Scalar { text, style: ScalarStyle::Plain } => {
            matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL")
        }
        _ => false,
    }
}

impl<'a> Cx<'a> {
    pub(crate) fn new(
        environment: Environment,
        files: &'a [Arc<str>],
        prefix: Option<&'static str>,
        keys: &'a KeyRing,
        record: bool,
    ) -> Self {
        Cx {
            environment,
            files,
            prefix,
            keys,
            keys_failed: false,
            issues: Vec::new(),
            record: record.then(Vec::new),
            known: secret::Known::default(),
            encrypted_only: false,
            path: String::new(),
        }
    }

    fn issue(&mut self, kind: IssueKind, message: String, origin: Option<Origin>) {
        self.issues.push(Issue::new(kind, self.path.clone(), message).with_origin_opt(origin));
    }

    /// Opens a struct: checks that the node is a map and that every key is known.
    pub fn section<'n>(&mut self, info: &'static StructInfo, node: Option<&'n Node>) -> Section<'n> {
        let Some(node) = node.filter(|n| !is_null(n)) else {
            return Section { info, node: None, broken: false };
        };
        let Some(entries) = node.entries() else {
            let message = format!("expected a map of settings for `{}`, found {}", info.name, node.describe());
            self.issue(IssueKind::Invalid, message, Some(node.origin.clone()));
            return Section { info, node: None, broken: true };
        };
        if !info.allow_unknown_keys {
            for entry in entries {
                if info.fields.iter().any(|f| f.name == entry.key) {
                    continue;
                }
                let len = enter(&mut self.path, &entry.key);
                let known = info.fields.iter().map(|f| f.name);
                let message = match suggest::closest(&entry.key, known) {
                    Some(best) => format!("unknown key {}, did you mean `{best}`?", quote(&entry.key)),
                    None => format!(
                        "unknown key {}; known keys here: {}",
                        quote(&entry.key),
                        info.fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
                    ),
                };
                self.issue(IssueKind::UnknownKey, message, Some(entry.key_origin.clone()));
                self.path.truncate(len);
            }
        }
        Section { info, node: Some(node), broken: false }
    }

    /// Builds a `#[config(nested)]` field.
    pub fn nested<T: PhoenixConfig>(&mut self, section: &Section<'_>, index: usize) -> Option<T> {
        let field = &section.info.fields[index];
        let len = enter(&mut self.path, field.name);
        let value = T::__build(self, section.child(field.name));
        self.path.truncate(len);
        value
    }

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
        let field = &section.info.fields[index];
        let len = enter(&mut self.path, field.name);
        let value = self.leaf_value(section, field, default, rules);
        self.path.truncate(len);
        value
    }

    fn leaf_value<T: DeserializeOwned + Debug>(
        &mut self,
        section: &Section<'_>,
        field: &'static FieldInfo,
        default: Option<DefaultFn<T>>,
        rules: fn(&T, &mut RuleCx<'_>),
    ) -> Option<T> {
        let node = section.child(field.name).filter(|n| !is_null(n) || field.optional);
        // Secret by its attribute, or by its type holding a `Secret` anywhere.
        let mut secret = field.secret || de::holds_secret::<T>();
        let (value, node) = match node {
            Some(node) => (self.convert_source::<T>(node, field, &mut secret)?, node),
            None => {
                if let Some(default) = default {
                    match default() {
                        Ok(value) => (value, &NULL),
                        Err(message) => {
                            // A secret's default is secret too: its message is not shown.
                            let message = if secret {
                                format!("the default is not a valid {}", field.ty)
                            } else {
                                format!("the default is not a valid {}: {message}", field.ty)
                            };
                            self.issue(IssueKind::Invalid, message, Some(Origin::Default));
                            return None;
                        }
                    }
                } else if field.optional {
                    match de::from_node::<T>(&NULL, secret, field.ty) {
                        Ok(v) => (v, &NULL),
                        Err(message) => {
                            self.issue(IssueKind::Invalid, message, None);
                            return None;
                        }
                    }
                } else {
                    if !section.broken {
                        let message = self.missing_message(field);
                        self.issue(IssueKind::Missing, message, None);
                    }
                    return None;
                }
            }
        };
        let mut failures = Vec::new();
        let mut rcx = RuleCx::new(secret, Some(self.environment), &mut failures);
        rules(&value, &mut rcx);
        let from_source = !std::ptr::eq(node, &raw const NULL);
        let origin = from_source.then(|| node.origin.clone());
        for (suffix, message) in failures {
            let origin = element_origin(node, &suffix).or_else(|| origin.clone());
            let message = if message.starts_with(REQUIRED_IN) && suffix.is_empty() {
                format!("{message}: {}", self.where_to_set(field))
            } else {
                message
            };
            self.issues.push(
                Issue::new(IssueKind::Validation, format!("{}{suffix}", self.path), message).with_origin_opt(origin),
            );
        }
        if let Some(record) = &mut self.record {
            record.push(LeafRecord {
                path: self.path.clone(),
                // An unset optional secret holds nothing to hide: say so.
                value: if !secret {
                    shown(&value, field.optional)
                } else if from_source || default.is_some() {
                    "[REDACTED]".to_owned()
                } else {
                    "None".to_owned()
                },
                origin: origin.unwrap_or(Origin::Default),
                secret,
                fingerprint: if from_source { node.content_hash() } else { fingerprint(&value) },
            });
        }
        Some(value)
    }

    /// Converts a leaf's node, decoding encoded secrets; learns that the
    /// leaf is secret if a `Secret` was deserialized in it, and remembers a
    /// secret's text to scrub it from every message of the load.
    fn convert_source<T: DeserializeOwned>(&mut self, node: &Node, field: &FieldInfo, secret: &mut bool) -> Option<T> {
        let seen = secret::seen();
        let leaf = de::Leaf { secret: *secret, decode: field.secret, keys: self.keys, keys_failed: self.keys_failed };
        let converted =
            secret::with_name(secret.then_some(self.path.as_str()), || de::convert::<T>(node, &leaf, field.ty));
        *secret |= secret::seen() != seen;
        if *secret {
            self.known.add_node(node, self.keys);
            if let Some(origin) = self.encrypted_only.then(|| secret::plaintext_in_file(node)).flatten() {
                self.issue(IssueKind::Secret, secret::PLAINTEXT_MESSAGE.to_owned(), Some(origin));
            }
        }
        match converted {
            Ok(value) => Some(value),
            Err(failure) => {
                let kind = if failure.decoding { IssueKind::Secret } else { IssueKind::Invalid };
                if !failure.quiet {
                    self.issue(kind, failure.message, Some(node.origin.clone()));
                }
                None
            }
        }
    }

    fn missing_message(&self, field: &FieldInfo) -> String {
        format!("missing value: {}", self.where_to_set(field))
    }

    /// `set `a.b` in config/base.yaml or …, or the variable A, B`.
    fn where_to_set(&self, field: &FieldInfo) -> String {
        let mut message = format!("set `{}`", self.path);
        match self.files {
            [] => {}
            [one] => {
                let _ = write!(message, " in {one}");
            }
            many => {
                let names: Vec<&str> = many.iter().map(|f| &**f).collect();
                let _ = write!(message, " in {}", names.join(" or "));
            }
        }
        let vars = crate::schema::vars_of(field, self.prefix, &self.path);
        if !vars.is_empty() {
            let _ = write!(message, ", or the variable {}", vars.join(", "));
        }
        message
    }

    /// Finishes a struct: runs the container rule when every field was built.
    pub fn finish<T>(&mut self, value: Option<T>, rule: Option<ContainerRule<T>>) -> Option<T> {
        let value = value?;
        if let Some(rule) = rule
            && let Err(message) = rule(&value)
        {
            self.issue(IssueKind::Validation, message, None);
            return None;
        }
        Some(value)
    }
}

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

/// Collects rule failures for one field; handed to the generated rule functions.
pub struct RuleCx<'a> {
    secret: bool,
    environment: Option<Environment>,
    suffix: String,
    failures: &'a mut Failures,
}

/// Rule failures of one field: the element suffix (`[2]`, or empty) and the message.
type Failures = Vec<(String, String)>;

impl<'a> RuleCx<'a> {
    fn new(secret: bool, environment: Option<Environment>, failures: &'a mut Failures) -> Self {
        RuleCx { secret, environment, suffix: String::new(), failures }
    }

    /// Whether the field is a secret (rules must not echo its value).
    pub fn secret(&self) -> bool {
        self.secret
    }

    /// Records the outcome of one rule.
    pub fn check(&mut self, result: Result<(), String>) {
        if let Err(message) = result {
            self.failures.push((self.suffix.clone(), message));
        }
    }

    /// Runs a user's `custom = path` rule. For a secret field its message
    /// is replaced, since it might contain the value.
    pub fn custom<T: ?Sized>(&mut self, value: &T, name: &str, rule: impl Fn(&T) -> Result<(), String>) {
        if let Err(message) = rule(value) {
            let message = if self.secret { format!("does not pass `{name}`") } else { message };
            self.failures.push((self.suffix.clone(), message));
        }
    }

    /// Runs rules on every element of a list, naming failures `[i]`.
    pub fn each<'v, C>(
        &mut self,
        collection: &'v C,
        mut rules: impl FnMut(<&'v C as IntoIterator>::Item, &mut RuleCx<'_>),
    ) where
        C: ?Sized,
        &'v C: IntoIterator,
    {
        for (i, item) in collection.into_iter().enumerate() {
            let len = self.suffix.len();
            let _ = write!(self.suffix, "[{i}]");
            rules(item, self);
            self.suffix.truncate(len);
        }
    }

    /// `required_in("…")`: the `Option` must be `Some` in that environment.
    pub fn required_in(&mut self, present: bool, environment: Environment) {
        if !present && self.environment == Some(environment) {
            self.failures.push((self.suffix.clone(), format!("{REQUIRED_IN}{environment}")));
        }
    }
}

/// Appends `name` to a dotted path; returns the length to truncate back to.
fn enter(path: &mut String, name: &str) -> usize {
    let len = path.len();
    if len > 0 {
        path.push('.');
    }
    path.push_str(name);
    len
}

/// How a `required_in` failure starts (the loader adds where to set the value).
const REQUIRED_IN: &str = "is required in ";

/// Rules of a field that has none.
pub fn no_rules<T>(_: &T, _: &mut RuleCx<'_>) {}

/// Walks a loaded value for [`PhoenixConfig::validate`].
pub struct Validator {
    environment: Option<Environment>,
    path: String,
    errors: Vec<ValidationError>,
}

impl Validator {
    pub(crate) fn new(environment: Option<Environment>) -> Self {
        Validator { environment, path: String::new(), errors: Vec::new() }
    }

    pub(crate) fn finish(self) -> Vec<ValidationError> {
        self.errors
    }

    /// Checks one leaf field.
    pub fn field<T>(&mut self, info: &'static StructInfo, index: usize, value: &T, rules: fn(&T, &mut RuleCx<'_>)) {
        let field = &info.fields[index];
        let len = enter(&mut self.path, field.name);
        let mut failures = Vec::new();
        rules(value, &mut RuleCx::new(field.secret, self.environment, &mut failures));
        for (suffix, message) in failures {
            self.errors.push(ValidationError::new(format!("{}{suffix}", self.path), message));
        }
        self.path.truncate(len);
    }

    /// Checks a `#[config(nested)]` field.
    pub fn nested<T: PhoenixConfig>(&mut self, info: &'static StructInfo, index: usize, value: &T) {
        let len = enter(&mut self.path, info.fields[index].name);
        value.__validate(self);
        self.path.truncate(len);
    }

    /// Runs a container's `#[config(validate = …)]` rule.
    pub fn container<T>(&mut self, value: &T, rule: fn(&T) -> Result<(), String>) {
        if let Err(message) = rule(value) {
            self.errors.push(ValidationError::new(self.path.clone(), message));
        }
    }
}
