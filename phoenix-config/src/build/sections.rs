//! `#[config(nested)]` fields: one section, a boxed or optional one, or a
//! list or a map of them. Each item is a section like any other: its values
//! keep their own origins, its unknown keys are errors, its rules run, and
//! its path names it (`proxies[1].host`, `regions.us.bucket`).

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use super::{Cx, Section, Validator, is_null};
use crate::node::{Node, NodeKind, ScalarStyle};
use crate::schema::{Nested, SectionShape};
use crate::{IssueKind, PhoenixConfig};

/// A type `#[config(nested)]` can hold: a settings struct `T`, `Box<T>`,
/// `Option<T>`, `Vec<T>`, `HashMap<String, T>` or `BTreeMap<String, T>`.
///
/// Implemented by the derive for each settings struct and here for the
/// containers; not meant to be implemented by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a settings section",
    label = "`#[config(nested)]` needs a type that derives `PhoenixConfig`",
    note = "a section is a type that derives `PhoenixConfig`, or an `Option`, `Box`, `Vec`, `HashMap<String, _>` or `BTreeMap<String, _>` of one; drop `#[config(nested)]` to read the field as one value"
)]
pub trait SectionField: Sized {
    /// The shape and the item's description, for [`FieldInfo`](crate::schema::FieldInfo).
    const NESTED: Nested;

    /// The `required_in` names of the section's type (its item's, for a
    /// list or map), checked against the root's declared environments.
    const REQUIRED_IN: crate::environment::RequiredIn;

    /// Builds the field from its node (`None`: no layer mentions it; an
    /// absent list or map is empty, `Cx::nested` reports it missing first
    /// unless the field has `#[config(nested, default)]`).
    fn build(cx: &mut Cx<'_>, node: Option<&Node>) -> Option<Self>;

    /// Runs the rules of every section inside.
    fn check(&self, validator: &mut Validator);
}

/// Never implemented: the bound a leaf field of a section type fails, so
/// that the compiler says to add `#[config(nested)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is a settings section: add `#[config(nested)]` to the field",
    label = "this type is a section (it derives `PhoenixConfig`): read it with `#[config(nested)]`",
    note = "without `#[config(nested)]`, a field is one value read with `serde::Deserialize`"
)]
pub trait AddNested {}

/// The `NESTED` of a settings struct.
pub const fn nested_one<T: PhoenixConfig>() -> Nested {
    Nested { shape: SectionShape::One, info: T::describe, env_error: T::__ENV_IN_SECTION }
}

/// The `#[env]` error of a single section field (`T`, `Box<T>`,
/// `Option<T>`), which joins its parent's; `None` for a list or a map,
/// whose items are checked by [`no_env_in_items`].
pub const fn single_env(nested: Nested) -> Option<&'static str> {
    if nested.shape.is_collection() { None } else { nested.env_error }
}

/// The first `#[env]` error of a struct: its own fields', then its single
/// sections'.
pub const fn first_env(found: &[Option<&'static str>]) -> Option<&'static str> {
    let mut i = 0;
    while i < found.len() {
        if found[i].is_some() {
            return found[i];
        }
        i += 1;
    }
    None
}

/// Fails to compile when the items of a list or a map of sections have an
/// `#[env]` name: every item would share it, so it would never be read.
///
/// # Panics
///
/// In that case, always at compile time (generated code evaluates it in a
/// constant), with the message the derive wrote.
pub const fn no_env_in_items(nested: Nested) {
    if let (true, Some(message)) = (nested.shape.is_collection(), nested.env_error) {
        panic!("{}", message);
    }
}

impl<T: PhoenixConfig> SectionField for Box<T> {
    const NESTED: Nested = Nested { shape: SectionShape::Boxed, info: T::describe, env_error: T::__ENV_IN_SECTION };
    const REQUIRED_IN: crate::environment::RequiredIn = T::__REQUIRED_IN;

    fn build(cx: &mut Cx<'_>, node: Option<&Node>) -> Option<Self> {
        T::__build(cx, node).map(Box::new)
    }

    fn check(&self, validator: &mut Validator) {
        (**self).__validate(validator);
    }
}

impl<T: PhoenixConfig> SectionField for Option<T> {
    const NESTED: Nested = Nested { shape: SectionShape::Optional, info: T::describe, env_error: T::__ENV_IN_SECTION };
    const REQUIRED_IN: crate::environment::RequiredIn = T::__REQUIRED_IN;

    fn build(cx: &mut Cx<'_>, node: Option<&Node>) -> Option<Self> {
        match node.filter(|n| !is_null(n)) {
            None => {
                cx.record_no_section(node, NoSection::Unset);
                Some(None)
            }
            Some(node) => T::__build(cx, Some(node)).map(Some),
        }
    }

    fn check(&self, validator: &mut Validator) {
        if let Some(value) = self {
            value.__validate(validator);
        }
    }
}

impl<T: PhoenixConfig> SectionField for Vec<T> {
    const NESTED: Nested = Nested { shape: SectionShape::List, info: T::describe, env_error: T::__ENV_IN_SECTION };
    const REQUIRED_IN: crate::environment::RequiredIn = T::__REQUIRED_IN;

    fn build(cx: &mut Cx<'_>, given: Option<&Node>) -> Option<Self> {
        let parsed = cx.collection(given, SectionShape::List)?;
        let Some(node) = parsed.as_ref() else {
            cx.record_no_section(given, NoSection::EmptyList);
            return Some(Vec::new());
        };
        let NodeKind::Seq(items) = &node.kind else {
            cx.not_a(node, "a list", T::describe().name);
            return None;
        };
        if items.is_empty() {
            cx.record_no_section(given, NoSection::EmptyList);
        }
        let mut out = Vec::with_capacity(items.len());
        let mut complete = true;
        for (i, item) in items.iter().enumerate() {
            let len = cx.path.index(i);
            match T::__build(cx, Some(item)) {
                Some(value) => out.push(value),
                None => complete = false,
            }
            cx.path.truncate(len);
        }
        complete.then_some(out)
    }

    fn check(&self, validator: &mut Validator) {
        for (i, item) in self.iter().enumerate() {
            let len = validator.path.index(i);
            item.__validate(validator);
            validator.path.truncate(len);
        }
    }
}

/// A map of sections from its node: every entry built at `key.name`.
fn build_map<T: PhoenixConfig, M: Extend<(String, T)> + Default>(cx: &mut Cx<'_>, given: Option<&Node>) -> Option<M> {
    let parsed = cx.collection(given, SectionShape::Map)?;
    let mut out = M::default();
    let Some(node) = parsed.as_ref() else {
        cx.record_no_section(given, NoSection::EmptyMap);
        return Some(out);
    };
    let Some(entries) = node.entries() else {
        cx.not_a(node, "a map", T::describe().name);
        return None;
    };
    if entries.is_empty() {
        cx.record_no_section(given, NoSection::EmptyMap);
    }
    let mut complete = true;
    for entry in entries {
        let len = cx.path.key(&entry.key);
        match T::__build(cx, Some(&entry.value)) {
            Some(value) => out.extend([(entry.key.to_string(), value)]),
            None => complete = false,
        }
        cx.path.truncate(len);
    }
    complete.then_some(out)
}

fn check_map<'v, T: PhoenixConfig>(entries: impl Iterator<Item = (&'v String, &'v T)>, validator: &mut Validator) {
    for (key, value) in entries {
        let len = validator.path.key(key);
        value.__validate(validator);
        validator.path.truncate(len);
    }
}

impl<T: PhoenixConfig, S: BuildHasher + Default + 'static> SectionField for HashMap<String, T, S> {
    const NESTED: Nested = Nested { shape: SectionShape::Map, info: T::describe, env_error: T::__ENV_IN_SECTION };
    const REQUIRED_IN: crate::environment::RequiredIn = T::__REQUIRED_IN;

    fn build(cx: &mut Cx<'_>, node: Option<&Node>) -> Option<Self> {
        build_map::<T, Self>(cx, node)
    }

    fn check(&self, validator: &mut Validator) {
        // In key order, so that errors come out the same on every run.
        let mut entries: Vec<_> = self.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        check_map(entries.into_iter(), validator);
    }
}

impl<T: PhoenixConfig> SectionField for BTreeMap<String, T> {
    const NESTED: Nested = Nested { shape: SectionShape::Map, info: T::describe, env_error: T::__ENV_IN_SECTION };
    const REQUIRED_IN: crate::environment::RequiredIn = T::__REQUIRED_IN;

    fn build(cx: &mut Cx<'_>, node: Option<&Node>) -> Option<Self> {
        build_map::<T, Self>(cx, node)
    }

    fn check(&self, validator: &mut Validator) {
        check_map(self.iter(), validator);
    }
}

/// What a section field holds when it holds no section.
#[derive(Clone, Copy)]
enum NoSection {
    /// An `Option` that no layer sets (or sets to null).
    Unset,
    /// A list without items.
    EmptyList,
    /// A map without entries.
    EmptyMap,
}

/// The node of a list or map of sections, as a tree: `Some(None)` for an
/// empty one, `None` when it is missing or its text does not parse (reported).
enum Parsed<'n> {
    Tree(&'n Node),
    FromText(Node),
}

impl Parsed<'_> {
    fn as_ref(&self) -> Option<&Node> {
        match self {
            Parsed::Tree(node) => Some(node),
            Parsed::FromText(node) if matches!(node.kind, NodeKind::Null) => None,
            Parsed::FromText(node) => Some(node),
        }
    }
}

impl Cx<'_> {
    /// Builds a `#[config(nested)]` field of the struct being built.
    pub fn nested<T: SectionField>(&mut self, section: &Section<'_>, index: usize, default: bool) -> Option<T> {
        let field = &section.info.fields[index];
        let len = self.path.key(field.name);
        let collection = T::NESTED.shape.is_collection();
        self.path.in_collection += usize::from(collection);
        let value = match section.child(index) {
            None if collection && !default => {
                self.missing(section, field);
                None
            }
            node => T::build(self, node),
        };
        self.path.in_collection -= usize::from(collection);
        self.path.truncate(len);
        value
    }

    /// The node of a list or map of sections: a text value (a variable,
    /// `.env`, an override) is read as YAML flow (`[{host: a, port: 1}]`),
    /// every value in it taking the text's origin.
    fn collection<'n>(&mut self, node: Option<&'n Node>, shape: SectionShape) -> Option<Parsed<'n>> {
        let Some(node) = node.filter(|n| !is_null(n)) else {
            return Some(Parsed::FromText(Node { kind: NodeKind::Null, origin: crate::Origin::Default }));
        };
        let NodeKind::Scalar { text, style: ScalarStyle::Text } = &node.kind else {
            return Some(Parsed::Tree(node));
        };
        if text.trim().is_empty() {
            return Some(Parsed::FromText(Node { kind: NodeKind::Null, origin: node.origin.clone() }));
        }
        let mut tree = node.clone();
        crate::plan::tree_from_text(&mut tree);
        if matches!(tree.kind, NodeKind::Seq(_) | NodeKind::Map(_)) {
            return Some(Parsed::FromText(tree));
        }
        let what = if shape == SectionShape::List {
            "a list like `[{host: a, port: 1}]`"
        } else {
            "a map like `{us: {bucket: b}}`"
        };
        let message = format!("expected {what}, found text that does not read as one");
        self.issue(IssueKind::Invalid, message, Some(node.origin.clone()));
        None
    }

    /// Keeps a section field that holds no section for
    /// [`Loaded`](crate::Loaded), when asked to: one row, so that `show`
    /// lists it like an unset optional leaf (`tls  unset  default`,
    /// `proxies  []  config/base.yaml:3:10`), with the origin of the layer
    /// that says so, else `default`.
    fn record_no_section(&mut self, given: Option<&Node>, what: NoSection) {
        let Some(record) = &mut self.record else { return };
        let origin = given.map_or(crate::Origin::Default, |n| n.origin.clone());
        let (text, node) = match what {
            NoSection::Unset => (crate::written::UNSET, None),
            NoSection::EmptyList => ("[]", Some(NodeKind::Seq(Vec::new()))),
            NoSection::EmptyMap => ("{}", Some(NodeKind::Map(Vec::new()))),
        };
        record.push(super::LeafRecord {
            path: self.path.to_string(),
            value: text.to_owned(),
            fingerprint: super::record::fingerprint(&text),
            node: node.map(|kind| Node { kind, origin: origin.clone() }),
            origin,
            secret: false,
            ty: "",
            kind: || crate::schema::Kind::Any,
        });
    }

    fn not_a(&mut self, node: &Node, what: &str, item: &str) {
        let message = format!("expected {what} of `{item}` settings, found {}", node.describe());
        self.issue(IssueKind::Invalid, message, Some(node.origin.clone()));
    }
}
