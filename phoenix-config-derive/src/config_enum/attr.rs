//! The attributes of a `ConfigEnum`: `#[config(crate = "path")]` on the
//! enum, and serde's. The names come from serde's own `Deserialize` (a name
//! is read into a value, and the value says which variant it is), so the
//! keys that rename, alias, skip or catch names are handled by
//! construction; a key that changes how the enum is written (not as one of
//! its names) is an error naming it, never ignored.

use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr};

use crate::attr::{reported_empty, skip};
use crate::errors::Errors;

/// serde's keys on the enum that leave it written as one of its names.
const SERDE_ENUM_KEYS: &[&str] =
    &["rename", "rename_all", "rename_all_fields", "deny_unknown_fields", "bound", "crate", "expecting", "into"];

/// serde's keys on a variant that leave it read by its name.
const SERDE_VARIANT_KEYS: &[&str] = &[
    "rename",
    "alias",
    "rename_all",
    "skip",
    "skip_serializing",
    "skip_deserializing",
    "serialize_with",
    "bound",
    "other",
];

/// The attributes of the enum.
#[derive(Default)]
pub(crate) struct EnumAttrs {
    /// `#[config(crate = "path")]`: where the runtime is.
    pub(crate) krate: Option<syn::Path>,
}

const EMPTY_CONFIG: &str =
    "`#[config()]` is empty: give it a key, like `#[config(crate = \"my_deps::phoenix_config\")]`, or remove it";

/// Reads the enum's attributes.
pub(crate) fn container(attrs: &[Attribute], errors: &mut Errors) -> EnumAttrs {
    let mut out = EnumAttrs::default();
    for attr in attrs {
        if attr.path().is_ident("config") && !reported_empty(attr, EMPTY_CONFIG, errors) {
            let result = attr.parse_nested_meta(|meta| config_key(&meta, &mut out, errors));
            if let Err(error) = result {
                errors.push(error);
            }
        } else if attr.path().is_ident("serde") {
            serde(attr, SERDE_ENUM_KEYS, enum_reason, errors, &mut Vec::new());
        }
    }
    out
}

/// Reads a variant's attributes (serde's; ours go on the enum): the names
/// of its `#[serde(alias = "…")]`, so docs show the variant's own name.
pub(crate) fn variant(attrs: &[Attribute], errors: &mut Errors) -> Vec<LitStr> {
    let mut aliases = Vec::new();
    for attr in attrs {
        if attr.path().is_ident("config") {
            errors.spanned(attr, "`#[config]` goes on the enum, not on a variant");
        } else if attr.path().is_ident("serde") {
            serde(attr, SERDE_VARIANT_KEYS, variant_reason, errors, &mut aliases);
        }
    }
    aliases
}

fn config_key(meta: &ParseNestedMeta<'_>, out: &mut EnumAttrs, errors: &mut Errors) -> syn::Result<()> {
    let key = meta.path.get_ident().map(|i| i.unraw().to_string()).unwrap_or_default();
    if key != "crate" {
        errors.spanned(&meta.path, "`ConfigEnum` reads one `#[config]` key, `crate = \"path\"`");
        return skip(meta.input);
    }
    crate::attr::crate_path(meta, &mut out.krate, errors)
}

/// Each key of a `#[serde(...)]`: one of `allowed`, or an error saying why
/// not; the value of each `alias = "…"` goes to `aliases` (serde checks the
/// rest of what it reads).
fn serde(
    attr: &Attribute,
    allowed: &[&str],
    reason: fn(&str) -> &'static str,
    errors: &mut Errors,
    aliases: &mut Vec<LitStr>,
) {
    let result = attr.parse_nested_meta(|meta| {
        let key = meta.path.get_ident().map(|i| i.unraw().to_string()).unwrap_or_default();
        if !allowed.contains(&key.as_str()) {
            errors.spanned(&meta.path, format!("`#[serde({key})]` is not supported by `ConfigEnum`: {}", reason(&key)));
        }
        if key == "alias" && meta.input.peek(syn::Token![=]) {
            aliases.push(meta.value()?.parse()?);
            return Ok(());
        }
        skip(meta.input)
    });
    if let Err(error) = result {
        errors.push(error);
    }
}

fn enum_reason(key: &str) -> &'static str {
    match key {
        "tag" | "content" | "untagged" => {
            "it describes an enum written as one of its variant names, and this key writes it otherwise"
        }
        "from" | "try_from" | "remote" => {
            "it describes an enum read by its own `Deserialize`, and this key reads it through another type"
        }
        _ => "it describes an enum read as one of its variant names, and does not know what this key changes",
    }
}

fn variant_reason(_: &str) -> &'static str {
    "a variant is read by its name alone"
}

#[cfg(test)]
mod tests {
    use syn::parse_quote;

    use super::*;

    fn messages(errors: Errors) -> Vec<String> {
        errors.finish().err().map(|e| e.into_iter().map(|e| e.to_string()).collect()).unwrap_or_default()
    }

    #[test]
    fn serde_keys_that_keep_the_names_pass_and_the_others_are_named() {
        let mut errors = Errors::default();
        let attrs: Vec<Attribute> = vec![
            parse_quote!(#[serde(rename_all(deserialize = "kebab-case"), crate = "x::serde", expecting = "a level")]),
            parse_quote!(#[serde(tag = "type", from = "String", transparent)]),
            parse_quote!(#[config(crate = "deps::phoenix_config")]),
        ];
        let out = container(&attrs, &mut errors);
        assert!(out.krate.is_some());
        let messages = messages(errors);
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0]
                .starts_with("`#[serde(tag)]` is not supported by `ConfigEnum`: it describes an enum written as one")
        );
        assert!(messages[1].contains("`#[serde(from)]`") && messages[1].contains("through another type"));
        assert!(messages[2].starts_with("`#[serde(transparent)]`"));
    }

    #[test]
    fn variant_keys_and_our_own_keys() {
        let mut errors = Errors::default();
        let aliases = variant(
            &[
                parse_quote!(#[serde(rename = "x", alias = "y", other, with = "m")]),
                parse_quote!(#[serde(alias = "z")]),
                parse_quote!(#[config(crate = "a")]),
            ],
            &mut errors,
        );
        assert_eq!(aliases.iter().map(LitStr::value).collect::<Vec<_>>(), ["y", "z"]);
        container(&[parse_quote!(#[config(prefix = "A")]), parse_quote!(#[config()])], &mut errors);
        assert_eq!(
            messages(errors),
            [
                "`#[serde(with)]` is not supported by `ConfigEnum`: a variant is read by its name alone",
                "`#[config]` goes on the enum, not on a variant",
                "`ConfigEnum` reads one `#[config]` key, `crate = \"path\"`",
                EMPTY_CONFIG,
            ]
        );
    }
}
