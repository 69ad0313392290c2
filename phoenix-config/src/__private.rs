//! What generated code calls: a façade of re-exports of the build step
//! ([`crate::build`]) and the description ([`crate::schema`]). Not public
//! API: no semver guarantees.

pub use serde::de::DeserializeOwned;

pub use crate::build::{
    AddNested, ContainerRule, Cx, DebugField, DebugOptionalField, DefaultFn, LeafRecord, ReadFn, Redacted, RuleCx,
    Section, SectionField, ShowDebug, ShowDisplay, Shown, Validator, first_env, nested_one, no_env_in_items, no_rules,
    shown_empty, single_env, text_default,
};
pub use crate::config_enum::{HoldsConfigEnum, ProbeConfigEnum, ProbeOther, no_variant_doc};
pub use crate::de::of_type::{ProbeAny, ProbeDeserialize, SecretType, TypeProbe, no_secret};
pub use crate::enum_name::{ShowNames, ShowSerdeName, WrittenNames};
pub use crate::environment::RequiredIn;
pub use crate::node::Node;
pub use crate::schema::Kind;
pub use crate::schema::{FieldInfo, Nested, Rule, SectionShape, StructInfo};
pub use crate::{Environment, PhoenixConfig};
