//! The build step: the merged tree of one load → the typed settings struct,
//! every rule checked, every problem an [`Issue`] with its path and origin.
//!
//! The generated `__build` of each struct opens its [`Section`] and asks
//! [`Cx`] for each field: [`Cx::leaf`] (convert, default, rules) or [`Cx::nested`] (a section, an optional one, a list or a map
//! of them, see [`SectionField`]). [`Validator`] walks a value already built for
//! [`PhoenixConfig::validate`](crate::PhoenixConfig::validate).
//!
//! Generated code reaches these items through the `__private` façade. The
//! module is public so that compiler messages name it (and not the
//! façade); it is not a stable interface: use the derive.

mod leaf;
mod path;
mod record;
mod rules;
mod sections;
mod validator;

use std::fmt::Write as _;
use std::sync::Arc;

pub use self::leaf::{DefaultFn, ReadFn, text_default};
use self::path::Path;
pub use self::record::{
    DebugField, DebugOptionalField, LeafRecord, Redacted, ShowDebug, ShowDisplay, Shown, shown_empty,
};
pub use self::rules::{RuleCx, no_rules};
pub use self::sections::{AddNested, SectionField, first_env, nested_one, no_env_in_items, single_env};
pub use self::validator::Validator;
use crate::message::quote;
use crate::node::{Entry, Node, NodeKind, ScalarStyle};
use crate::schema::{FieldInfo, StructInfo};
use crate::secret::KeyRing;
use crate::{Environment, Issue, IssueKind, Origin, suggest};

/// A container's `#[config(validate = …)]` rule.
pub type ContainerRule<T> = fn(&T) -> Result<(), String>;

/// The state of one load, threaded through the generated `__build`.
pub struct Cx<'a> {
    pub(crate) environment: Environment,
    pub(crate) files: &'a [Arc<str>],
    pub(crate) prefix: Option<&'static str>,
    pub(crate) keys: &'a KeyRing,
    /// The key variables were broken (already reported): an `enc:` value
    /// that cannot decrypt says nothing more.
    pub(crate) keys_failed: bool,
    /// A layer could not be read (a file that does not parse): values it
    /// might have held are not reported missing.
    pub(crate) layer_failed: bool,
    /// Values not reported missing because a layer failed.
    unchecked: usize,
    /// The paths that already have an issue from reading the variables
    /// (`NAME` and `NAME_FILE` both set, …): not also reported missing.
    pub(crate) reported: Vec<String>,
    pub(crate) issues: Vec<Issue>,
    pub(crate) record: Option<Vec<LeafRecord>>,
    /// The secret values read, to scrub from every message of the load.
    pub(crate) known: crate::secret::Known,
    /// A secret written in a configuration file without encryption is an
    /// error ([`ConfigLoader::encrypted_secrets_only`](crate::ConfigLoader::encrypted_secrets_only)).
    pub(crate) encrypted_only: bool,
    path: Path,
}

/// A struct being built: its description and its map node, if any.
pub struct Section<'n> {
    info: &'static StructInfo,
    node: Option<&'n Node>,
    /// The section's node was not a map: its fields stay silent instead of
    /// each reporting a missing value.
    broken: bool,
    /// For each of the first [`INDEXED`] fields, 1 + the index of its entry
    /// in the node's map (0: absent), found in the one pass over the entries
    /// that also reports unknown keys.
    slots: [u32; INDEXED],
    /// The fields an unknown key's "did you mean" names, with that issue's
    /// index: one of them missing is that same mistake, not reported twice.
    suggested: Vec<(&'static str, usize)>,
}

/// How many fields of a struct [`Section`] finds by index; the entry of a
/// field after them is found by a scan of the map.
const INDEXED: usize = 32;

impl Section<'_> {
    fn empty(info: &'static StructInfo, broken: bool) -> Self {
        Section { info, node: None, broken, slots: [0; INDEXED], suggested: Vec::new() }
    }

    /// The node of field `index`.
    fn child(&self, index: usize) -> Option<&Node> {
        let entries = self.node?.entries()?;
        match self.slots.get(index) {
            Some(&slot) => entries.get(usize::try_from(slot).ok()?.checked_sub(1)?).map(|e| &e.value),
            None => self.node?.get(self.info.fields[index].name),
        }
    }
}

/// Whether a node holds nothing: absent in effect (`~`, `null`, empty).
pub(crate) fn is_null(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Null => true,
        NodeKind::Scalar { text, style: ScalarStyle::Plain } => {
            matches!(text.as_bytes(), b"" | b"~" | b"null" | b"Null" | b"NULL")
        }
        _ => false,
    }
}

impl Section<'_> {
    /// Field `index` is the map's entry at `position` (the first one, as
    /// keys of a merged map are unique anyway).
    fn found(&mut self, index: usize, position: usize) {
        if let (Some(slot @ 0), Ok(position)) = (self.slots.get_mut(index), u32::try_from(position + 1)) {
            *slot = position;
        }
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
            layer_failed: false,
            unchecked: 0,
            reported: Vec::new(),
            issues: Vec::new(),
            record: record.then(Vec::new),
            known: crate::secret::Known::default(),
            encrypted_only: false,
            path: Path::for_build(),
        }
    }

    fn issue(&mut self, kind: IssueKind, message: String, origin: Option<Origin>) {
        self.issues.push(Issue::new(kind, self.path.to_string(), message).with_origin_opt(origin));
    }

    /// Opens a struct: checks that the node is a map and that every key is
    /// known, and finds each field's entry.
    pub fn section<'n>(&mut self, info: &'static StructInfo, node: Option<&'n Node>) -> Section<'n> {
        let Some(node) = node.filter(|n| !is_null(n)) else {
            return Section::empty(info, false);
        };
        let Some(entries) = node.entries() else {
            let message = format!("expected a map of settings for `{}`, found {}", info.name, node.describe());
            self.issue(IssueKind::Invalid, message, Some(node.origin.clone()));
            return Section::empty(info, true);
        };
        let mut section = Section { node: Some(node), ..Section::empty(info, false) };
        for (position, entry) in entries.iter().enumerate() {
            match (info.index)(entry.key.as_bytes()) {
                Some(index) => section.found(index, position),
                None if info.allow_unknown_keys => {}
                None => {
                    let at = self.issues.len();
                    section.suggested.extend(self.unknown_key(info, entry).map(|best| (best, at)));
                }
            }
        }
        section
    }

    /// Reports an unknown key; returns the field its suggestion names.
    fn unknown_key(&mut self, info: &'static StructInfo, entry: &Entry) -> Option<&'static str> {
        let len = self.path.key(&entry.key);
        let known = info.fields.iter().map(|f| f.name);
        let best = suggest::closest(&entry.key, known.clone());
        let message = match best {
            Some(best) => format!("unknown key {}, did you mean `{best}`?", quote(&entry.key)),
            None => {
                format!("unknown key {}; known keys here: {}", quote(&entry.key), known.collect::<Vec<_>>().join(", "))
            }
        };
        self.issue(IssueKind::UnknownKey, message, Some(entry.key_origin.clone()));
        self.path.truncate(len);
        best
    }

    /// A value is missing: reported unless its section was broken or a
    /// layer could not be read (the value may be in it), or an unknown key
    /// of the section already suggested it (the misspelt key is the cause).
    fn missing(&mut self, section: &Section<'_>, field: &FieldInfo) {
        if let Some(&(_, at)) = section.suggested.iter().find(|(name, _)| *name == field.name) {
            if let Some(issue) = self.issues.get_mut(at) {
                issue.append(&format!(" (`{}` has no value)", field.name));
            }
            return;
        }
        if section.broken || self.reported.iter().any(|p| p == self.path.as_str()) {
            return;
        }
        if self.layer_failed {
            self.unchecked += 1;
            return;
        }
        let message = format!("missing value: {}", self.where_to_set(field));
        self.issue(IssueKind::Missing, message, None);
    }

    /// Ends the build: when values were not reported missing because a file
    /// did not parse or a layer failed, one note says so (those errors are
    /// the cause).
    pub(crate) fn finish_load(&mut self) {
        if self.unchecked > 0 {
            let (n, s) = (self.unchecked, if self.unchecked == 1 { "" } else { "s" });
            let message = format!(
                "{n} value{s} without a default could not be checked: a file that does not parse or could not be read may hold {}; fix the errors above first",
                if n == 1 { "it" } else { "them" }
            );
            self.issues.push(Issue::new(IssueKind::Missing, "", message));
        }
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
        let vars = if self.path.in_collection > 0 {
            self.prefix.map(|p| crate::schema::automatic_var(p, self.path.as_str())).into_iter().collect()
        } else {
            crate::schema::vars_of(field, self.prefix, self.path.as_str())
        };
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
