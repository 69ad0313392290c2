//! The typed model of a `ConfigEnum`: its variants and their doc comments.

use syn::{Data, DeriveInput, Fields, Generics, Ident, LitStr};

use super::attr::{self, EnumAttrs};
use crate::errors::Errors;

/// An enum read by name.
pub(crate) struct Enum<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) generics: &'a Generics,
    pub(crate) attrs: EnumAttrs,
    pub(crate) variants: Vec<Variant<'a>>,
}

/// One variant.
pub(crate) struct Variant<'a> {
    pub(crate) ident: &'a Ident,
    /// The doc comment, trimmed, lines joined with one space.
    pub(crate) doc: String,
    /// Its `#[serde(alias = "…")]` names.
    pub(crate) aliases: Vec<LitStr>,
    /// The variant's data (none, for a variant read by its name).
    pub(crate) fields: &'a Fields,
}

impl<'a> Enum<'a> {
    /// The model of `input`, or `None` when it is not an enum.
    pub(crate) fn from_syn(input: &'a DeriveInput, errors: &mut Errors) -> Option<Self> {
        let attrs = attr::container(&input.attrs, errors);
        let Data::Enum(data) = &input.data else {
            errors.spanned(&input.ident, "`ConfigEnum` can only be derived for an enum of unit variants");
            return None;
        };
        let variants = data
            .variants
            .iter()
            .map(|v| {
                let aliases = attr::variant(&v.attrs, errors);
                Variant { ident: &v.ident, doc: crate::attr::doc(&v.attrs), aliases, fields: &v.fields }
            })
            .collect();
        Some(Enum { ident: &input.ident, generics: &input.generics, attrs, variants })
    }
}
