//! Rules across attributes and fields: the same variable twice, `nested`
//! with `env`, a validator that cannot apply to the field's type.

use std::collections::HashMap;

use quote::ToTokens;
use syn::Type;

use crate::ast::{Field, Input};
use crate::attr::{Rule, RuleKind};
use crate::errors::Errors;
use crate::ty::{Class, Mode, classify, pretty};

/// Records every cross-attribute problem of `input`.
pub(crate) fn check(input: &Input<'_>, errors: &mut Errors) {
    for field in &input.fields {
        if field.is_nested() {
            nested(field, errors);
        } else {
            rules(field, errors);
            text_default(field, errors);
        }
    }
    duplicates(input, errors);
    keys(input, errors);
}

/// Two fields with one file key (`#[config(rename)]` onto another's name).
fn keys(input: &Input<'_>, errors: &mut Errors) {
    let mut seen: HashMap<&str, &Field<'_>> = HashMap::new();
    for field in &input.fields {
        if let Some(first) = seen.insert(&field.name, field) {
            let at =
                field.attrs.rename.as_ref().map_or_else(|| field.member.to_token_stream(), ToTokens::to_token_stream);
            errors.spanned(
                at,
                format!("the key `{}` is also the key of the field `{}`: rename one of them", field.name, first.member),
            );
        }
    }
}

/// A text default for a number or a bool must convert, and that is known now.
fn text_default(field: &Field<'_>, errors: &mut Errors) {
    let Some(default) = &field.attrs.default else { return };
    let Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. })) = &default.expr else { return };
    let value = text.value();
    let value = value.trim();
    let ty = field.checked_type();
    let (fits, example) = match classify(ty) {
        Class::Int => (value.parse::<i128>().is_ok(), "10"),
        Class::Float => (value.parse::<f64>().is_ok(), "2.5"),
        Class::Bool => {
            let known = ["true", "false", "1", "0", "yes", "no", "on", "off"];
            (known.iter().any(|k| value.eq_ignore_ascii_case(k)), "true")
        }
        _ => return,
    };
    if !fits {
        let ty = pretty(ty.to_token_stream(), Mode::Type);
        errors.spanned(
            text,
            format!("`{}` is not a `{ty}`: write the value itself, like `default = {example}`", text.value()),
        );
    }
}

/// `#[config(nested)]` with an attribute that only a leaf can have.
fn nested(field: &Field<'_>, errors: &mut Errors) {
    let attrs = &field.attrs;
    if let Some(env) = &attrs.env {
        errors.spanned(
            &env.attr,
            "`nested` cannot be combined with `#[env]`: the section's fields take their own variables",
        );
    }
    if let Some(attr) = &attrs.secret {
        errors
            .spanned(attr, "`nested` cannot be combined with `#[secret]`: mark the section's fields as secret instead");
    }
    nested_default(field, errors);
    if let Some(with) = &attrs.with {
        errors.spanned(with, "`nested` cannot be combined with `with`: a section is read key by key");
    }
    if let Some(attr) = &attrs.validate {
        errors.spanned(
            attr,
            "`nested` cannot be combined with `#[validate]`: validate the section's fields, \
             or give its struct `#[config(validate = …)]`",
        );
    }
}

/// `#[config(nested, default)]`: only a list or a map of sections may be
/// empty by default; a section's own defaults are its fields'.
fn nested_default(field: &Field<'_>, errors: &mut Errors) {
    let Some(default) = &field.attrs.default else { return };
    let collection = crate::ty::collection_item(field.ty).is_some();
    if default.expr.is_some() && collection {
        errors.at(
            default.key,
            "`nested` takes `default` without a value: an absent list or map of sections is then empty",
        );
    } else if !collection {
        errors.at(
            default.key,
            "`nested` cannot be combined with `default` on a single section: give the section's fields defaults \
             instead (`default` applies to a `Vec` or map of sections, which it makes empty when absent)",
        );
    }
}

/// Each rule of a leaf against the field's type.
fn rules(field: &Field<'_>, errors: &mut Errors) {
    for rule in &field.attrs.rules {
        if let RuleKind::RequiredIn(_) = rule.kind {
            if !field.optional {
                errors.spanned(
                    &rule.name,
                    format!("`required_in` needs an `Option` field: a `{}` is always present", field.ty_text),
                );
            }
        } else {
            rule_on(rule, Some(field.checked_type()), errors);
        }
    }
}

/// What kinds of value a rule applies to, for its error message.
fn applies_to(rule: &RuleKind) -> &'static str {
    match rule {
        RuleKind::Zipcode | RuleKind::Url | RuleKind::Email | RuleKind::OneOf(_) => "text",
        RuleKind::NonEmpty | RuleKind::Length { .. } => "text and lists",
        RuleKind::Range { .. } | RuleKind::Port => "numbers",
        RuleKind::Each(_) => "lists",
        RuleKind::Custom(_) | RuleKind::RequiredIn(_) => "any value",
    }
}

/// Whether a rule can apply to a value of this class; `None` for
/// `required_in`, which never goes inside `each`.
fn fits(kind: &RuleKind, class: Class<'_>) -> Option<bool> {
    Some(match kind {
        RuleKind::Zipcode | RuleKind::Url | RuleKind::Email | RuleKind::OneOf(_) => {
            !matches!(class, Class::Int | Class::Float | Class::Bool | Class::List(_) | Class::Map)
        }
        RuleKind::NonEmpty | RuleKind::Length { .. } => !matches!(class, Class::Int | Class::Float | Class::Bool),
        RuleKind::Range { .. } | RuleKind::Port => {
            !matches!(class, Class::Text | Class::Bool | Class::List(_) | Class::Map)
        }
        RuleKind::Each(_) => !matches!(class, Class::Int | Class::Float | Class::Bool | Class::Text),
        RuleKind::Custom(_) => true,
        RuleKind::RequiredIn(_) => return None,
    })
}

/// Checks `rule` against `ty` (`None`: the type is not known, as for the
/// elements of a map) and the rules inside `each` against the element type.
fn rule_on(rule: &Rule, ty: Option<&Type>, errors: &mut Errors) {
    let class = ty.map_or(Class::Other, classify);
    match fits(&rule.kind, class) {
        None => errors.spanned(&rule.name, "`required_in` checks the field itself, not the elements of `each`"),
        Some(false) => does_not_fit(rule, ty, class, errors),
        Some(true) => {
            if let RuleKind::Each(inner) = &rule.kind {
                let element = if let Class::List(element) = class { element } else { None };
                for rule in inner {
                    rule_on(rule, element, errors);
                }
            }
        }
    }
}

fn does_not_fit(rule: &Rule, ty: Option<&Type>, class: Class<'_>, errors: &mut Errors) {
    let ty = ty.map(|ty| pretty(ty.to_token_stream(), Mode::Type)).unwrap_or_default();
    let mut message = format!("`{}` cannot check a `{ty}`: it applies to {}", rule.name, applies_to(&rule.kind));
    if matches!(class, Class::List(_)) {
        message = format!("{message}; use `each({})` to check every element", rule.text);
    }
    errors.spanned(&rule.name, message);
}

/// Who first used a variable name in this struct.
struct FirstUse {
    field: String,
    automatic: bool,
}

/// The same variable twice in one struct: explicit names, aliases and, with
/// a `prefix`, the automatic `PREFIX_FIELD` names of the direct leaves.
fn duplicates(input: &Input<'_>, errors: &mut Errors) {
    let prefix = input.attrs.prefix.as_ref().map(syn::LitStr::value);
    let mut seen: HashMap<String, FirstUse> = HashMap::new();
    for field in input.fields.iter().filter(|f| !f.is_nested()) {
        let mut own: Vec<String> = Vec::new();
        for lit in field.attrs.env.iter().flat_map(|env| &env.names) {
            let name = lit.value();
            if own.contains(&name) {
                errors.spanned(lit, format!("variable `{name}` is listed twice for this field"));
                continue;
            }
            match seen.get(&name) {
                Some(first) if first.automatic => errors.spanned(
                    lit,
                    format!("variable `{name}` is already the automatic name of field `{}`", first.field),
                ),
                Some(first) => {
                    errors.spanned(lit, format!("variable `{name}` is already used by field `{}`", first.field));
                }
                None => {
                    seen.insert(name.clone(), FirstUse { field: field.name.clone(), automatic: false });
                }
            }
            own.push(name);
        }
        if let Some(prefix) = &prefix {
            let key: String = field
                .name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' })
                .collect();
            let automatic = format!("{prefix}_{key}");
            if own.contains(&automatic) {
                continue;
            }
            match seen.get(&automatic) {
                Some(first) => errors.spanned(
                    field.member,
                    format!(
                        "the automatic variable `{automatic}` of field `{}` is already used by field `{}`",
                        field.name, first.field
                    ),
                ),
                None => {
                    seen.insert(automatic, FirstUse { field: field.name.clone(), automatic: true });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use syn::{DeriveInput, parse_quote};

    use super::*;

    /// Every message of building and checking `input`.
    fn messages(input: &DeriveInput) -> Vec<String> {
        let mut errors = Errors::default();
        if let Some(model) = Input::from_syn(input, &mut errors) {
            check(&model, &mut errors);
        }
        errors.finish().err().map(|e| e.into_iter().map(|e| e.to_string()).collect()).unwrap_or_default()
    }

    #[test]
    fn accepts_a_correct_struct() {
        let input: DeriveInput = parse_quote! {
            #[config(prefix = "PHOENIX", validate = check)]
            struct Database {
                #[env("MONGODB_URI", alias = "PHOENIX_DATABASE_URI")]
                #[secret]
                uri: String,
                #[config(default = 10)]
                #[validate(range(min = 1, max = 500))]
                max_pool_size: u32,
                #[validate(each(zipcode), length(min = 1))]
                zips: Vec<String>,
                #[validate(required_in("production"), non_empty)]
                api_key: Option<String>,
                #[validate(range(min = -1.5), custom = check_ratio)]
                ratio: f64,
                #[validate(each(range(max = 10)), non_empty)]
                counts: [u8; 4],
                #[validate(url)]
                endpoint: Endpoint,
                #[config(nested)]
                pool: Pool,
                #[env("PHOENIX_PORT")]
                port: u16,
            }
        };
        assert_eq!(messages(&input), Vec::<String>::new());
    }

    #[test]
    fn rejects_rules_that_cannot_apply_to_the_type() {
        let input: DeriveInput = parse_quote! {
            struct S {
                #[validate(zipcode)]
                a: u16,
                #[validate(range(min = 1))]
                b: Option<String>,
                #[validate(length(max = 3))]
                c: u32,
                #[validate(each(url))]
                d: bool,
                #[validate(port)]
                e: Vec<u16>,
                #[validate(each(email))]
                f: Vec<u8>,
                #[validate(required_in("prod"))]
                g: String,
                #[validate(each(required_in("prod")))]
                h: Vec<Option<String>>,
                #[validate(one_of("a"))]
                i: Vec<String>,
            }
        };
        assert_eq!(
            messages(&input),
            [
                "`zipcode` cannot check a `u16`: it applies to text",
                "`range` cannot check a `String`: it applies to numbers",
                "`length` cannot check a `u32`: it applies to text and lists",
                "`each` cannot check a `bool`: it applies to lists",
                "`port` cannot check a `Vec<u16>`: it applies to numbers; use `each(port)` to check every element",
                "`email` cannot check a `u8`: it applies to text",
                "`required_in` needs an `Option` field: a `String` is always present",
                "`required_in` checks the field itself, not the elements of `each`",
                "`one_of` cannot check a `Vec<String>`: it applies to text; use `each(one_of(\"a\"))` to check every element",
            ]
        );
    }

    #[test]
    fn rejects_leaf_attributes_on_nested_fields() {
        let input: DeriveInput = parse_quote! {
            struct S {
                #[config(nested, default = Pool::new())]
                #[env("POOL")]
                #[secret]
                #[validate(non_empty)]
                pool: Pool,
            }
        };
        let found = messages(&input);
        assert_eq!(found.len(), 4, "{found:?}");
        for word in ["`#[env]`", "`#[secret]`", "`default`", "`#[validate]`"] {
            assert!(
                found.iter().any(|m| m.starts_with(&format!("`nested` cannot be combined with {word}"))),
                "{word}: {found:?}"
            );
        }

        let input: DeriveInput = parse_quote! {
            struct S {
                #[config(nested)]
                pool: Option<Pool>,
                #[config(nested, default)]
                pools: Vec<Pool>,
                #[config(nested, default)]
                by_name: std::collections::BTreeMap<String, Pool>,
            }
        };
        assert_eq!(messages(&input), Vec::<String>::new());

        let input: DeriveInput = parse_quote! {
            struct S {
                #[config(nested, default = Vec::new())]
                pools: Vec<Pool>,
                #[config(nested, default)]
                pool: Box<Pool>,
            }
        };
        let found = messages(&input);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("`nested` takes `default` without a value"), "{found:?}");
        assert!(found[1].starts_with("`nested` cannot be combined with `default` on a single section"), "{found:?}");
    }

    #[test]
    fn rejects_the_same_variable_twice() {
        let input: DeriveInput = parse_quote! {
            #[config(prefix = "APP")]
            struct S {
                #[env("DB_URL")]
                url: String,
                #[env("BACKUP_URL", alias = "DB_URL")]
                backup: String,
                #[env("APP_URL")]
                other: String,
                #[env("PORT", alias = "PORT")]
                port: u16,
                #[env("APP_NAME")]
                first: String,
                name: String,
                #[env("APP_TYPE")]
                r#type: String,
            }
        };
        assert_eq!(
            messages(&input),
            [
                "variable `DB_URL` is already used by field `url`",
                "variable `APP_URL` is already the automatic name of field `url`",
                "variable `PORT` is listed twice for this field",
                "the automatic variable `APP_NAME` of field `name` is already used by field `first`",
            ]
        );
    }

    #[test]
    fn automatic_names_need_a_prefix() {
        let input: DeriveInput = parse_quote! {
            struct S {
                #[env("APP_NAME")]
                first: String,
                name: String,
            }
        };
        assert!(messages(&input).is_empty());
    }
}
