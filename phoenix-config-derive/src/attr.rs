//! The syntax of our attributes: `#[env]`, `#[secret]`, `#[validate]` and
//! `#[config]`, parsed with syn's own tools.
//!
//! Each problem is recorded in [`Errors`] on the token that is wrong, and
//! parsing goes on with the next key or rule, so one build shows them all.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::parse::discouraged::Speculative;
use syn::spanned::Spanned;
use syn::{
    Attribute, Expr, ExprLit, ExprPath, Ident, Lit, LitFloat, LitInt, LitStr, Meta, Token, parenthesized, token,
};

use crate::errors::Errors;
use crate::suggest;
use crate::ty::{Mode, pretty};

/// Every validator keyword, in the order the documentation lists them.
pub(crate) const RULES: &[&str] =
    &["zipcode", "url", "email", "non_empty", "port", "range", "length", "one_of", "each", "custom", "required_in"];

/// The keys of `#[config(...)]` on a field.
const FIELD_KEYS: &[&str] = &["default", "nested", "rename", "with"];

/// The keys of `#[config(...)]` on the struct.
const CONTAINER_KEYS: &[&str] = &["prefix", "validate", "allow_unknown_keys", "environments", "crate"];

/// The attributes of the struct.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    /// The doc comment, trimmed, lines joined with one space.
    pub(crate) doc: String,
    /// `prefix = "PHOENIX"`, when valid.
    pub(crate) prefix: Option<LitStr>,
    /// `validate = path::to_fn`.
    pub(crate) validate: Option<ExprPath>,
    /// `allow_unknown_keys`.
    pub(crate) allow_unknown_keys: bool,
    /// `crate = "path"`: where the runtime is (a renamed or re-exported
    /// dependency); `::phoenix_config` when absent.
    pub(crate) krate: Option<syn::Path>,
    /// `environments("development", "production" = ["prod"])`, when given.
    pub(crate) environments: Option<Vec<EnvironmentDecl>>,
}

/// One declared environment: its name and aliases, lowercase.
pub(crate) struct EnvironmentDecl {
    pub(crate) name: String,
    pub(crate) aliases: Vec<String>,
}

/// The attributes of one field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    /// The doc comment, trimmed, lines joined with one space.
    pub(crate) doc: String,
    /// `#[env("NAME", alias = "A")]`.
    pub(crate) env: Option<Env>,
    /// `#[secret]`: the attribute, for errors about it.
    pub(crate) secret: Option<TokenStream>,
    /// The first `#[validate(...)]`, for errors about the attribute as a whole.
    pub(crate) validate: Option<TokenStream>,
    /// The rules of every `#[validate(...)]`, in order.
    pub(crate) rules: Vec<Rule>,
    /// `#[config(default = <expr>)]`.
    pub(crate) default: Option<DefaultValue>,
    /// `#[config(nested)]`: the span of `nested`.
    pub(crate) nested: Option<Span>,
    /// `#[config(rename = "key")]`: the file key (and so the automatic variable).
    pub(crate) rename: Option<LitStr>,
    /// `#[config(with = path::to_fn)]`: reads the value from its text.
    pub(crate) with: Option<ExprPath>,
}

/// `#[env("NAME", alias = "A", alias = "B")]`.
pub(crate) struct Env {
    /// The whole attribute, for errors about it.
    pub(crate) attr: TokenStream,
    /// The name, then the aliases; only the valid ones.
    pub(crate) names: Vec<LitStr>,
}

/// `default = <expr>`, or `default` alone (the type's `Default`).
pub(crate) struct DefaultValue {
    /// The `default` key.
    pub(crate) key: Span,
    /// The expression as written; `None` for `default` alone.
    pub(crate) expr: Option<Expr>,
}

/// One rule of `#[validate(...)]`.
pub(crate) struct Rule {
    /// The keyword (`range`); errors about the rule point at it.
    pub(crate) name: Ident,
    /// The rule as written, pretty-printed (`range(min = 1, max = 500)`).
    pub(crate) text: String,
    /// What it checks.
    pub(crate) kind: RuleKind,
}

/// What a rule checks, with its arguments.
pub(crate) enum RuleKind {
    Zipcode,
    Url,
    Email,
    NonEmpty,
    Port,
    Range { min: Option<Bound>, max: Option<Bound> },
    Length { min: Option<LitInt>, max: Option<LitInt> },
    OneOf(Vec<LitStr>),
    Each(Vec<Rule>),
    Custom(ExprPath),
    RequiredIn(Vec<Environment>),
}

/// A bound of `range`: a number literal, possibly negative.
pub(crate) struct Bound {
    /// The `-` sign, when negative.
    pub(crate) minus: Option<Token![-]>,
    /// The literal.
    pub(crate) number: Number,
}

/// An integer or float literal.
pub(crate) enum Number {
    Int(LitInt),
    Float(LitFloat),
}

impl Bound {
    /// The value, for comparing `min` with `max` and for the description.
    pub(crate) fn value(&self) -> Option<f64> {
        let value: f64 = match &self.number {
            Number::Int(lit) => lit.base10_parse().ok()?,
            Number::Float(lit) => lit.base10_parse().ok()?,
        };
        Some(if self.minus.is_some() { -value } else { value })
    }
}

/// A deployment environment named in `required_in("…")`: its name,
/// lowercase (`dev`, `test` and `prod` read as the built-ins' names), and
/// the literal, for the compile-time check against the root's declarations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Environment {
    pub(crate) name: String,
}

impl Environment {
    /// Reads any valid environment name.
    fn parse(name: &str) -> Option<Environment> {
        let lower = name.trim().to_ascii_lowercase();
        let name = match lower.as_str() {
            "dev" => "development".to_owned(),
            "test" => "testing".to_owned(),
            "prod" => "production".to_owned(),
            _ if is_environment_name(&lower) => lower,
            _ => return None,
        };
        Some(Environment { name })
    }
}

/// The names `phoenix_config::Environment` accepts: lowercase letters,
/// digits, `-` and `_`, not starting with `-` or `_`, at most 64.
fn is_environment_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.len() <= 64
}

const ENVIRONMENT_NAME: &str = "use lowercase letters, digits, `-` and `_`";

/// The doc comment of an item: each line trimmed, empty lines dropped,
/// joined with one space.
pub(crate) fn doc(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs {
        let Meta::NameValue(meta) = &attr.meta else { continue };
        if !meta.path.is_ident("doc") {
            continue;
        }
        let Expr::Lit(ExprLit { lit: Lit::Str(text), .. }) = &meta.value else { continue };
        for line in text.value().lines() {
            // Block comments (`/** … */`) often start their lines with `*`.
            let line = line.trim();
            let line = line.strip_prefix('*').map_or(line, str::trim_start);
            if !line.is_empty() {
                lines.push(line.to_owned());
            }
        }
    }
    lines.join(" ")
}

const EMPTY_CONFIG: &str = "`#[config()]` is empty: give it a key, like `#[config(default = 1)]`, or remove it";

/// An attribute with empty parentheses does nothing: an error saying so.
pub(crate) fn reported_empty(attr: &Attribute, message: &str, errors: &mut Errors) -> bool {
    let empty = matches!(&attr.meta, Meta::List(list) if list.tokens.is_empty());
    if empty {
        errors.spanned(attr, message);
    }
    empty
}

/// Parses the attributes of the struct.
pub(crate) fn container(attrs: &[Attribute], errors: &mut Errors) -> ContainerAttrs {
    let mut out = ContainerAttrs { doc: doc(attrs), ..ContainerAttrs::default() };
    for attr in attrs {
        let path = attr.path();
        if path.is_ident("config") && !reported_empty(attr, EMPTY_CONFIG, errors) {
            let result = attr
                .parse_nested_meta(|meta| recover(&meta, errors, |meta, errors| container_key(meta, &mut out, errors)));
            if let Err(error) = result {
                errors.push(error);
            }
        } else if path.is_ident("serde") {
            serde(attr, errors);
        } else if let Some(name) = ["env", "secret", "validate"].into_iter().find(|name| path.is_ident(name)) {
            errors.spanned(attr, format!("`#[{name}]` goes on a field, not on the struct"));
        }
    }
    out
}

fn container_key(meta: &ParseNestedMeta<'_>, out: &mut ContainerAttrs, errors: &mut Errors) -> syn::Result<()> {
    let key = key_name(meta);
    match key.as_str() {
        "prefix" => {
            let lit: LitStr = meta.value()?.parse()?;
            if out.prefix.is_some() {
                errors.spanned(&meta.path, "`prefix` is given twice");
            } else if check_var_name(&lit, "prefix", errors) {
                out.prefix = Some(lit);
            }
        }
        "validate" => {
            let path: ExprPath = meta.value()?.parse()?;
            if out.validate.is_some() {
                errors.spanned(&meta.path, "`validate` is given twice");
            } else {
                out.validate = Some(path);
            }
        }
        "allow_unknown_keys" => {
            no_value(meta, &key, errors)?;
            if out.allow_unknown_keys {
                errors.spanned(&meta.path, "`allow_unknown_keys` is given twice");
            }
            out.allow_unknown_keys = true;
        }
        "environments" => {
            let declared = environments(meta, errors)?;
            if out.environments.is_some() {
                errors.spanned(&meta.path, "`environments` is given twice");
            } else {
                out.environments = declared;
            }
        }
        "crate" => crate_path(meta, &mut out.krate, errors)?,
        "default" | "nested" | "rename" | "with" => {
            errors.spanned(&meta.path, format!("`{key}` goes on a field, not on the struct"));
            skip(meta.input)?;
        }
        _ => {
            errors.spanned(&meta.path, suggest::unknown("`config` key", &key, CONTAINER_KEYS));
            skip(meta.input)?;
        }
    }
    Ok(())
}

/// Parses the attributes of a field.
pub(crate) fn field(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs { doc: doc(attrs), ..FieldAttrs::default() };
    for attr in attrs {
        let path = attr.path();
        if path.is_ident("env") {
            env(attr, &mut out, errors);
        } else if path.is_ident("secret") {
            secret(attr, &mut out, errors);
        } else if path.is_ident("validate") {
            validate(attr, &mut out, errors);
        } else if path.is_ident("serde") {
            serde(attr, errors);
        } else if path.is_ident("config") && !reported_empty(attr, EMPTY_CONFIG, errors) {
            let result =
                attr.parse_nested_meta(|meta| recover(&meta, errors, |meta, errors| field_key(meta, &mut out, errors)));
            if let Err(error) = result {
                errors.push(error);
            }
        }
    }
    out
}

/// `#[secret]`, which takes nothing.
fn secret(attr: &Attribute, out: &mut FieldAttrs, errors: &mut Errors) {
    let message = "`#[secret]` takes no arguments";
    match &attr.meta {
        Meta::List(list) => errors.at(list.delimiter.span().join(), message),
        Meta::NameValue(meta) => errors.spanned(quote!(#meta), message),
        Meta::Path(_) if out.secret.is_some() => errors.spanned(attr, "`#[secret]` is given twice"),
        Meta::Path(_) => out.secret = Some(attr.to_token_stream()),
    }
}

fn field_key(meta: &ParseNestedMeta<'_>, out: &mut FieldAttrs, errors: &mut Errors) -> syn::Result<()> {
    let key = key_name(meta);
    match key.as_str() {
        "default" => {
            let expr = if meta.input.peek(Token![=]) { Some(default_expr(meta.value()?)?) } else { None };
            if out.default.is_some() {
                errors.spanned(&meta.path, "`default` is given twice");
            } else {
                out.default = Some(DefaultValue { key: meta.path.span(), expr });
            }
        }
        "nested" => {
            no_value(meta, &key, errors)?;
            if out.nested.is_some() {
                errors.spanned(&meta.path, "`nested` is given twice");
            } else {
                out.nested = Some(meta.path.span());
            }
        }
        "validate" => {
            errors.spanned(
                &meta.path,
                "`config(validate = …)` goes on the struct; to check a field, use `#[validate(…)]`",
            );
            skip(meta.input)?;
        }
        "rename" => {
            let lit: LitStr = meta.value()?.parse()?;
            if out.rename.is_some() {
                errors.spanned(&meta.path, "`rename` is given twice");
            } else if lit.value().is_empty() || lit.value().contains(['.', '[', ']']) {
                errors.spanned(
                    &lit,
                    "`rename` takes one key of this section: not empty, without `.`, `[` or `]` (for a deeper path, move the field into a `#[config(nested)]` section)",
                );
            } else {
                out.rename = Some(lit);
            }
        }
        "with" => {
            let path: ExprPath = meta.value()?.parse()?;
            if out.with.is_some() {
                errors.spanned(&meta.path, "`with` is given twice");
            } else {
                out.with = Some(path);
            }
        }
        "prefix" | "allow_unknown_keys" | "environments" | "crate" => {
            errors.spanned(&meta.path, format!("`{key}` goes on the struct, not on a field"));
            skip(meta.input)?;
        }
        rule if RULES.contains(&rule) => {
            errors
                .spanned(&meta.path, format!("`{rule}` is a rule, not a `config` key: move it into `#[validate(…)]`"));
            skip(meta.input)?;
        }
        _ => {
            errors.spanned(&meta.path, suggest::unknown("`config` key", &key, FIELD_KEYS));
            skip(meta.input)?;
        }
    }
    Ok(())
}

/// `#[serde(...)]`: `PhoenixConfig` does not read it, so each key is an
/// error that names what to write instead (never silently ignored).
fn serde(attr: &Attribute, errors: &mut Errors) {
    if reported_empty(attr, "`#[serde()]` is empty: remove it (`PhoenixConfig` reads no serde attribute)", errors) {
        return;
    }
    let result = attr.parse_nested_meta(|meta| {
        let key = key_name(&meta);
        errors.spanned(&meta.path, serde_equivalent(&key));
        skip(meta.input)
    });
    if let Err(error) = result {
        errors.spanned(attr, format!("`#[serde]` is not read by `PhoenixConfig`: {error}"));
    }
}

/// What to write instead of `#[serde(key)]`.
fn serde_equivalent(key: &str) -> String {
    let instead = match key {
        "rename" => "write `#[config(rename = \"key\")]` (the automatic variable follows the new key)",
        "default" => "write `#[config(default)]` or `#[config(default = <expression>)]`",
        "alias" => "a file key has one name; for variables, write `#[env(\"NAME\", alias = \"OTHER\")]`",
        "flatten" => "make the field a section with `#[config(nested)]` (its keys sit under the field's key)",
        "deserialize_with" | "with" => "write `#[config(with = path::to_fn)]`, a `fn(&str) -> Result<T, E>`",
        "skip" | "skip_deserializing" => "every field is a setting: give it `#[config(default = …)]`",
        "rename_all" => "file keys are the field names: rename one with `#[config(rename = \"key\")]`",
        "deny_unknown_fields" => "unknown keys are already errors (`#[config(allow_unknown_keys)]` allows them)",
        "crate" => "write `#[config(crate = \"path\")]`",
        "bound"
        | "borrow"
        | "from"
        | "try_from"
        | "into"
        | "remote"
        | "transparent"
        | "tag"
        | "content"
        | "untagged"
        | "variant_identifier"
        | "field_identifier"
        | "expecting"
        | "serialize_with"
        | "getter"
        | "skip_serializing"
        | "skip_serializing_if"
        | "other" => {
            "a settings struct is read by `PhoenixConfig`, not serde: use `#[config(...)]` and `#[validate(...)]`, \
             or read a serde type as one value (a field without `#[config(nested)]`)"
        }
        _ => "use `#[config(...)]`, `#[env(...)]`, `#[secret]` and `#[validate(...)]`",
    };
    format!("`#[serde({key})]` is not read by `PhoenixConfig`: {instead}")
}

fn env(attr: &Attribute, out: &mut FieldAttrs, errors: &mut Errors) {
    let empty = match &attr.meta {
        Meta::Path(_) => true,
        Meta::List(list) => list.tokens.is_empty(),
        Meta::NameValue(_) => false,
    };
    if empty {
        errors.spanned(attr, "`#[env]` needs a variable name, like `#[env(\"DATABASE_URL\")]`");
        return;
    }
    if out.env.is_some() {
        errors.spanned(attr, "`#[env]` is given twice: list aliases in one `#[env(\"NAME\", alias = \"OTHER\")]`");
        return;
    }
    let parsed = attr.parse_args_with(|input: ParseStream<'_>| {
        if input.peek(Ident::peek_any) {
            let ident: Ident = input.call(Ident::parse_any)?;
            return Err(syn::Error::new(
                ident.span(),
                format!("the variable name is a string: write `#[env(\"{}\")]`", ident.unraw()),
            ));
        }
        let mut names = vec![input.parse::<LitStr>()?];
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.call(Ident::parse_any)?;
            if key == "alias" {
                input.parse::<Token![=]>()?;
                names.push(input.parse()?);
            } else {
                errors.spanned(&key, suggest::unknown("`env` key", &key.unraw().to_string(), &["alias"]));
                skip(input)?;
            }
        }
        Ok(names)
    });
    match parsed {
        Ok(names) => {
            let names = names.into_iter().filter(|name| check_var_name(name, "variable name", errors)).collect();
            out.env = Some(Env { attr: attr.to_token_stream(), names });
        }
        Err(error) => errors.push(error),
    }
}

/// Checks a variable name (or prefix): non-empty, `[A-Za-z_][A-Za-z0-9_]*`.
fn check_var_name(lit: &LitStr, what: &str, errors: &mut Errors) -> bool {
    let name = lit.value();
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.is_empty() {
        errors.spanned(lit, format!("the {what} is empty"));
    } else if !valid {
        errors.spanned(
            lit,
            format!("`{name}` is not a valid {what}: use letters, digits and `_`, and do not start with a digit"),
        );
    }
    valid
}

fn validate(attr: &Attribute, out: &mut FieldAttrs, errors: &mut Errors) {
    let empty = match &attr.meta {
        Meta::Path(_) => true,
        Meta::List(list) => list.tokens.is_empty(),
        Meta::NameValue(_) => false,
    };
    if empty {
        errors.spanned(attr, "`#[validate]` needs at least one rule, like `#[validate(non_empty)]`");
        return;
    }
    if out.validate.is_none() {
        out.validate = Some(attr.to_token_stream());
    }
    let result = attr.parse_nested_meta(|meta| rule(&meta, &mut out.rules, errors));
    if let Err(error) = result {
        errors.push(error);
    }
}

/// Parses one rule of `#[validate(...)]` or `each(...)` into `out`.
fn rule(meta: &ParseNestedMeta<'_>, out: &mut Vec<Rule>, errors: &mut Errors) -> syn::Result<()> {
    let Some(name) = meta.path.get_ident().cloned() else {
        let path = &meta.path;
        errors.spanned(path, format!("unknown validator `{}`", pretty(quote!(#path), Mode::Expr)));
        return skip(meta.input);
    };
    let start = meta.input.fork();
    let kind = match name.to_string().as_str() {
        "zipcode" => no_args(meta, &name, errors)?.then_some(RuleKind::Zipcode),
        "url" => no_args(meta, &name, errors)?.then_some(RuleKind::Url),
        "email" => no_args(meta, &name, errors)?.then_some(RuleKind::Email),
        "non_empty" => no_args(meta, &name, errors)?.then_some(RuleKind::NonEmpty),
        "port" => no_args(meta, &name, errors)?.then_some(RuleKind::Port),
        "range" => range(meta, &name, errors)?,
        "length" => length(meta, &name, errors)?,
        "one_of" => one_of(meta, &name, errors)?,
        "each" => each(meta, &name, errors)?,
        "custom" => custom(meta, &name, errors)?,
        "required_in" => required_in(meta, &name, errors)?,
        other => {
            errors.spanned(&name, suggest::unknown("validator", other, RULES));
            skip(meta.input)?;
            None
        }
    };
    if let Some(kind) = kind {
        let args = consumed(&start, meta.input);
        let text = pretty(quote!(#name #args), Mode::Expr);
        out.push(Rule { name, text, kind });
    }
    Ok(())
}

/// `zipcode`, `url`, …: `true` when no arguments follow.
fn no_args(meta: &ParseNestedMeta<'_>, name: &Ident, errors: &mut Errors) -> syn::Result<bool> {
    if meta.input.peek(token::Paren) || meta.input.peek(Token![=]) {
        let args = rest(meta.input)?;
        errors.spanned(args, format!("`{name}` takes no arguments"));
        return Ok(false);
    }
    Ok(true)
}

/// Whether the rule is followed by `( … )` with something inside; records
/// `message` on the rule when not.
fn has_args(meta: &ParseNestedMeta<'_>, name: &Ident, message: &str, errors: &mut Errors) -> syn::Result<bool> {
    let probe = meta.input.fork();
    let filled = probe.peek(token::Paren) && {
        let content;
        parenthesized!(content in probe);
        !content.is_empty()
    };
    if !filled {
        let args = rest(meta.input)?;
        errors.spanned(quote!(#name #args), message);
    }
    Ok(filled)
}

/// The `min = …, max = …` arguments of `range` and `length`, each read by
/// `value` (which returns `None` when the text is not a valid bound, and
/// then `bad` is reported on it). `None` when an error was recorded.
fn min_max<T>(
    meta: &ParseNestedMeta<'_>,
    rule: &str,
    errors: &mut Errors,
    mut value: impl FnMut(ParseStream<'_>) -> syn::Result<Option<T>>,
    bad: &str,
) -> syn::Result<Option<(Option<T>, Option<T>)>> {
    let before = errors.count();
    let (mut min, mut max) = (None::<T>, None::<T>);
    meta.parse_nested_meta(|arg| {
        let key = key_name(&arg);
        let slot = match key.as_str() {
            "min" => &mut min,
            "max" => &mut max,
            _ => {
                errors.spanned(&arg.path, suggest::unknown(&format!("`{rule}` key"), &key, &["min", "max"]));
                return skip(arg.input);
            }
        };
        if slot.is_some() {
            errors.spanned(&arg.path, format!("`{key}` is given twice"));
            return skip(arg.input);
        }
        arg.input.parse::<Token![=]>()?;
        if let Some(bound) = value(arg.input)? {
            *slot = Some(bound);
        } else {
            let written = rest(arg.input)?;
            let written = if written.is_empty() { arg.path.to_token_stream() } else { written };
            errors.spanned(written, bad);
        }
        Ok(())
    })?;
    Ok((errors.count() == before).then_some((min, max)))
}

fn range(meta: &ParseNestedMeta<'_>, name: &Ident, errors: &mut Errors) -> syn::Result<Option<RuleKind>> {
    let message = "`range` needs `min`, `max` or both, like `range(min = 1, max = 100)`";
    if !has_args(meta, name, message, errors)? {
        return Ok(None);
    }
    let bad = "`range` bounds must be number literals, like `min = 1` or `max = 0.5`";
    let Some((min, max)) = min_max(meta, "range", errors, |input| Ok(bound(input)), bad)? else {
        return Ok(None);
    };
    if let (Some(low), Some(high)) = (&min, &max)
        && let (Some(low), Some(high)) = (low.value(), high.value())
        && low > high
    {
        errors.spanned(name, "`range` has `min` greater than `max`");
        return Ok(None);
    }
    Ok(Some(RuleKind::Range { min, max }))
}

/// A number literal, possibly negative, alone up to the next `,`.
fn bound(input: ParseStream<'_>) -> Option<Bound> {
    let fork = input.fork();
    let minus: Option<Token![-]> = fork.parse().ok()?;
    let number = if fork.peek(LitInt) {
        Number::Int(fork.parse().ok()?)
    } else if fork.peek(LitFloat) {
        Number::Float(fork.parse().ok()?)
    } else {
        return None;
    };
    if !(fork.is_empty() || fork.peek(Token![,])) {
        return None;
    }
    input.advance_to(&fork);
    Some(Bound { minus, number })
}

fn length(meta: &ParseNestedMeta<'_>, name: &Ident, errors: &mut Errors) -> syn::Result<Option<RuleKind>> {
    let message = "`length` needs `min`, `max` or both, like `length(min = 1, max = 10)`";
    if !has_args(meta, name, message, errors)? {
        return Ok(None);
    }
    let whole = |input: ParseStream<'_>| -> syn::Result<Option<LitInt>> {
        let fork = input.fork();
        let Ok(lit) = fork.parse::<LitInt>() else { return Ok(None) };
        let Ok(n) = lit.base10_parse::<usize>() else { return Ok(None) };
        if !(fork.is_empty() || fork.peek(Token![,])) {
            return Ok(None);
        }
        input.advance_to(&fork);
        Ok(Some(LitInt::new(&n.to_string(), lit.span())))
    };
    let bad = "`length` bounds must be whole numbers, like `min = 1`";
    let Some((min, max)) = min_max(meta, "length", errors, whole, bad)? else {
        return Ok(None);
    };
    if let (Some(low), Some(high)) = (&min, &max)
        && low.base10_parse::<usize>()? > high.base10_parse::<usize>()?
    {
        errors.spanned(name, "`length` has `min` greater than `max`");
        return Ok(None);
    }
    Ok(Some(RuleKind::Length { min, max }))
}

fn one_of(meta: &ParseNestedMeta<'_>, name: &Ident, errors: &mut Errors) -> syn::Result<Option<RuleKind>> {
    let message = "`one_of` needs the allowed values, like `one_of(\"json\", \"text\")`";
    if !has_args(meta, name, message, errors)? {
        return Ok(None);
    }
    let before = errors.count();
    let content;
    parenthesized!(content in meta.input);
    let mut values = Vec::new();
    while !content.is_empty() {
        let value = rest(&content)?;
        match syn::parse2::<LitStr>(value.clone()) {
            Ok(lit) => values.push(lit),
            Err(_) => {
                errors.spanned(value, "`one_of` values must be string literals, like `one_of(\"json\", \"text\")`");
            }
        }
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    Ok((errors.count() == before).then_some(RuleKind::OneOf(values)))
}

fn each(meta: &ParseNestedMeta<'_>, name: &Ident, errors: &mut Errors) -> syn::Result<Option<RuleKind>> {
    let message = "`each` needs the rules for every element, like `each(zipcode)`";
    if !has_args(meta, name, message, errors)? {
        return Ok(None);
    }
    let mut inner = Vec::new();
    meta.parse_nested_meta(|meta| rule(&meta, &mut inner, errors))?;
    Ok(Some(RuleKind::Each(inner)))
}

fn custom(meta: &ParseNestedMeta<'_>, name: &Ident, errors: &mut Errors) -> syn::Result<Option<RuleKind>> {
    if !meta.input.peek(Token![=]) {
        let args = rest(meta.input)?;
        errors.spanned(quote!(#name #args), "`custom` needs a function, like `custom = path::to_fn`");
        return Ok(None);
    }
    meta.input.parse::<Token![=]>()?;
    Ok(Some(RuleKind::Custom(meta.input.parse()?)))
}

/// `environments("development", "staging", "production" = ["prod", "live"])`:
/// names, each optionally `= [aliases]`; `None` after an error.
fn environments(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> syn::Result<Option<Vec<EnvironmentDecl>>> {
    let message =
        "`environments` needs names, like `environments(\"development\", \"staging\", \"production\" = [\"prod\"])`";
    if !meta.input.peek(token::Paren) {
        errors.spanned(&meta.path, message);
        skip(meta.input)?;
        return Ok(None);
    }
    let before = errors.count();
    let content;
    parenthesized!(content in meta.input);
    let mut declared: Vec<EnvironmentDecl> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    while !content.is_empty() {
        let lit: LitStr = content.parse()?;
        let name = environment_name(&lit, &mut seen, errors);
        let mut aliases = Vec::new();
        if content.peek(Token![=]) {
            content.parse::<Token![=]>()?;
            let names;
            syn::bracketed!(names in content);
            for alias in syn::punctuated::Punctuated::<LitStr, Token![,]>::parse_terminated(&names)? {
                aliases.extend(environment_name(&alias, &mut seen, errors));
            }
        }
        declared.extend(name.map(|name| EnvironmentDecl { name, aliases }));
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    if declared.is_empty() && errors.count() == before {
        errors.spanned(&meta.path, message);
    }
    Ok((errors.count() == before).then_some(declared))
}

/// A declared name or alias: valid, lowercase, not given before.
fn environment_name(lit: &LitStr, seen: &mut Vec<String>, errors: &mut Errors) -> Option<String> {
    let name = lit.value();
    if !is_environment_name(&name) {
        errors.spanned(lit, format!("`{name}` is not a valid environment name: {ENVIRONMENT_NAME}"));
        return None;
    }
    if seen.contains(&name) {
        errors.spanned(lit, format!("environment `{name}` is given twice"));
        return None;
    }
    seen.push(name.clone());
    Some(name)
}

fn required_in(meta: &ParseNestedMeta<'_>, name: &Ident, errors: &mut Errors) -> syn::Result<Option<RuleKind>> {
    let message = "`required_in` needs an environment, like `required_in(\"production\")`";
    if !has_args(meta, name, message, errors)? {
        return Ok(None);
    }
    let before = errors.count();
    let content;
    parenthesized!(content in meta.input);
    let mut environments = Vec::new();
    while !content.is_empty() {
        let value = rest(&content)?;
        match syn::parse2::<LitStr>(value.clone()) {
            Ok(lit) => match Environment::parse(&lit.value()) {
                Some(environment) => environments.push(environment),
                None => errors
                    .spanned(&lit, format!("`{}` is not a valid environment name: {ENVIRONMENT_NAME}", lit.value())),
            },
            Err(_) => errors.spanned(value, message),
        }
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    Ok((errors.count() == before).then_some(RuleKind::RequiredIn(environments)))
}

/// `allow_unknown_keys`, `nested`: nothing may follow.
fn no_value(meta: &ParseNestedMeta<'_>, key: &str, errors: &mut Errors) -> syn::Result<()> {
    if !(meta.input.is_empty() || meta.input.peek(Token![,])) {
        let value = rest(meta.input)?;
        errors.spanned(value, format!("`{key}` takes no value"));
    }
    Ok(())
}

/// The key of a nested meta item as text (`a::b` when it is a path).
fn key_name(meta: &ParseNestedMeta<'_>) -> String {
    if let Some(ident) = meta.path.get_ident() {
        ident.unraw().to_string()
    } else {
        let path = &meta.path;
        pretty(quote!(#path), Mode::Expr)
    }
}

/// Runs `parse` on one `key …` item; a syntax error in it is recorded and
/// the item skipped, so the keys after it are still read.
fn recover<'a>(
    meta: &ParseNestedMeta<'a>,
    errors: &mut Errors,
    parse: impl FnOnce(&ParseNestedMeta<'a>, &mut Errors) -> syn::Result<()>,
) -> syn::Result<()> {
    if let Err(error) = parse(meta, errors) {
        errors.push(error);
        skip(meta.input)?;
    }
    Ok(())
}

/// Consumes the tokens up to the next `,` (or the end) and returns them.
fn rest(input: ParseStream<'_>) -> syn::Result<TokenStream> {
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        tokens.extend([input.parse::<proc_macro2::TokenTree>()?]);
    }
    Ok(tokens)
}

/// A `default = <expr>` value. syn parses the expressions of attributes
/// (literals, paths, calls, method calls, macros, operators, …) without its
/// `full` feature, which is a large part of a clean build; an expression it
/// leaves to `full` (an array, a closure, a block, `if`, …) is kept as its
/// tokens, up to the next `,`, for rustc to check in the generated code. One
/// that is cut short (`2 +`, nothing) stays syn's error.
fn default_expr(input: ParseStream<'_>) -> syn::Result<Expr> {
    let fork = input.fork();
    let error = match fork.parse::<Expr>() {
        Ok(expr) if fork.is_empty() || fork.peek(Token![,]) => {
            input.advance_to(&fork);
            return Ok(expr);
        }
        Ok(_) => None,
        Err(error) => Some(error),
    };
    let tokens = rest(input)?;
    let cut_short = match tokens.clone().into_iter().last() {
        None => true,
        Some(proc_macro2::TokenTree::Punct(punct)) => punct.as_char() != '?',
        Some(_) => false,
    };
    match error {
        Some(error) if cut_short => Err(error),
        _ => Ok(Expr::Verbatim(tokens)),
    }
}

/// Consumes the tokens up to the next `,` (or the end).
pub(crate) fn skip(input: ParseStream<'_>) -> syn::Result<()> {
    rest(input).map(drop)
}

/// `crate = "path"` (on a settings struct or a `ConfigEnum`): where the
/// runtime is, for a renamed or re-exported dependency.
pub(crate) fn crate_path(
    meta: &ParseNestedMeta<'_>,
    slot: &mut Option<syn::Path>,
    errors: &mut Errors,
) -> syn::Result<()> {
    let lit: LitStr = meta.value()?.parse()?;
    match lit.parse::<syn::Path>() {
        Ok(path) if slot.is_none() => *slot = Some(path),
        Ok(_) => errors.spanned(&meta.path, "`crate` is given twice"),
        Err(_) => errors.spanned(&lit, "`crate` takes a path, like `crate = \"my_deps::phoenix_config\"`"),
    }
    Ok(())
}

/// The tokens `end` has consumed since `start`, a fork taken earlier.
fn consumed(start: ParseStream<'_>, end: ParseStream<'_>) -> TokenStream {
    let end = end.cursor();
    let mut cursor = start.cursor();
    let mut tokens = TokenStream::new();
    while cursor != end {
        let Some((tt, next)) = cursor.token_tree() else { break };
        tokens.extend([tt]);
        cursor = next;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use syn::parse_quote;

    use super::*;

    fn field_of(attrs: &[Attribute]) -> (FieldAttrs, Vec<String>) {
        let mut errors = Errors::default();
        let out = field(attrs, &mut errors);
        (out, messages(errors))
    }

    fn messages(errors: Errors) -> Vec<String> {
        errors.finish().err().map(|e| e.into_iter().map(|e| e.to_string()).collect()).unwrap_or_default()
    }

    fn texts(rules: &[Rule]) -> Vec<&str> {
        rules.iter().map(|r| r.text.as_str()).collect()
    }

    /// The messages of one field attribute.
    fn errors_of(attr: Attribute) -> Vec<String> {
        field_of(&[attr]).1
    }

    #[test]
    fn reads_env_names_and_aliases() {
        let (out, errors) = field_of(&[parse_quote!(#[env("MONGODB_URI", alias = "DB_URI", alias = "_X1")])]);
        assert!(errors.is_empty(), "{errors:?}");
        let names: Vec<String> = out.env.unwrap().names.iter().map(LitStr::value).collect();
        assert_eq!(names, ["MONGODB_URI", "DB_URI", "_X1"]);
    }

    #[test]
    fn reads_every_rule_with_its_text() {
        let (out, errors) = field_of(&[
            parse_quote!(#[validate(zipcode, url, email, non_empty, port)]),
            parse_quote!(#[validate(range(min = -5, max = 2.5), length(max = 3), one_of("a", "b",))]),
            parse_quote!(#[validate(each(each(zipcode), custom = a::b), custom = check, required_in("PROD", "test"))]),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            texts(&out.rules),
            [
                "zipcode",
                "url",
                "email",
                "non_empty",
                "port",
                "range(min = -5, max = 2.5)",
                "length(max = 3)",
                "one_of(\"a\", \"b\",)",
                "each(each(zipcode), custom = a::b)",
                "custom = check",
                "required_in(\"PROD\", \"test\")",
            ]
        );
        let RuleKind::Range { min: Some(min), max: Some(max) } = &out.rules[5].kind else { panic!("range") };
        assert_eq!((min.value(), max.value()), (Some(-5.0), Some(2.5)));
        let RuleKind::Each(inner) = &out.rules[8].kind else { panic!("each") };
        assert_eq!(texts(inner), ["each(zipcode)", "custom = a::b"]);
        let RuleKind::RequiredIn(environments) = &out.rules[10].kind else { panic!("required_in") };
        let names: Vec<&str> = environments.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["production", "testing"]);
        assert!(out.validate.is_some());
    }

    #[test]
    fn reads_config_keys_secret_and_docs() {
        let (out, errors) = field_of(&[
            parse_quote!(#[doc = " First line. "]),
            parse_quote!(#[doc = ""]),
            parse_quote!(#[doc = "  * second"]),
            parse_quote!(#[config(default = Duration::from_secs(30))]),
            parse_quote!(#[secret]),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(out.doc, "First line. second");
        let default = out.default.unwrap();
        assert_eq!(pretty(default.expr.to_token_stream(), Mode::Expr), "Duration::from_secs(30)");
        assert!(out.secret.is_some() && out.nested.is_none());
        let (out, errors) = field_of(&[parse_quote!(#[config(nested)])]);
        assert!(errors.is_empty() && out.nested.is_some(), "{errors:?}");
    }

    #[test]
    fn reads_container_keys() {
        let mut errors = Errors::default();
        let attrs: [Attribute; 2] = [
            parse_quote!(#[config(prefix = "PHOENIX", validate = checks::settings)]),
            parse_quote!(#[config(allow_unknown_keys)]),
        ];
        let out = container(&attrs, &mut errors);
        assert!(messages(errors).is_empty());
        assert_eq!(out.prefix.unwrap().value(), "PHOENIX");
        assert!(out.validate.is_some() && out.allow_unknown_keys);
    }

    #[test]
    fn reads_declared_environments_with_aliases() {
        let mut errors = Errors::default();
        let attrs: [Attribute; 1] = [
            parse_quote!(#[config(environments("development", "staging" = ["stage"], "production" = ["prod", "live"]))]),
        ];
        let out = container(&attrs, &mut errors);
        assert!(messages(errors).is_empty());
        let declared: Vec<(&str, Vec<&str>)> = out
            .environments
            .iter()
            .flatten()
            .map(|d| (d.name.as_str(), d.aliases.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            declared,
            [("development", vec![]), ("staging", vec!["stage"]), ("production", vec!["prod", "live"])]
        );
        let mut errors = Errors::default();
        let attrs: [Attribute; 2] =
            [parse_quote!(#[config(environments)]), parse_quote!(#[config(environments("a", "b" = ["a"]))])];
        let out = container(&attrs, &mut errors);
        assert_eq!(
            messages(errors),
            [
                "`environments` needs names, like `environments(\"development\", \"staging\", \"production\" = [\"prod\"])`",
                "environment `a` is given twice",
            ]
        );
        assert!(out.environments.is_none());
    }

    #[test]
    fn rejects_bad_variable_names() {
        assert_eq!(errors_of(parse_quote!(#[env("")])), ["the variable name is empty"]);
        assert_eq!(
            errors_of(parse_quote!(#[env("A", alias = "MY-VAR")])),
            ["`MY-VAR` is not a valid variable name: use letters, digits and `_`, and do not start with a digit"]
        );
        assert_eq!(
            errors_of(parse_quote!(#[env("9LIVES")])),
            ["`9LIVES` is not a valid variable name: use letters, digits and `_`, and do not start with a digit"]
        );
        assert_eq!(
            errors_of(parse_quote!(#[env])),
            ["`#[env]` needs a variable name, like `#[env(\"DATABASE_URL\")]`"]
        );
        assert_eq!(errors_of(parse_quote!(#[env(NAME)])), ["the variable name is a string: write `#[env(\"NAME\")]`"]);
        assert_eq!(
            errors_of(parse_quote!(#[env("A", alais = "B")])),
            ["unknown `env` key `alais`, did you mean `alias`?"]
        );
        let (_, errors) = field_of(&[parse_quote!(#[env("A")]), parse_quote!(#[env("B")])]);
        assert_eq!(errors, ["`#[env]` is given twice: list aliases in one `#[env(\"NAME\", alias = \"OTHER\")]`"]);
    }

    #[test]
    fn an_empty_config_or_serde_attribute_is_an_error() {
        let config = "`#[config()]` is empty: give it a key, like `#[config(default = 1)]`, or remove it";
        assert_eq!(errors_of(parse_quote!(#[config()])), [config]);
        let mut errors = Errors::default();
        container(&[parse_quote!(#[config()])], &mut errors);
        assert_eq!(messages(errors), [config]);
        let serde = "`#[serde()]` is empty: remove it (`PhoenixConfig` reads no serde attribute)";
        assert_eq!(errors_of(parse_quote!(#[serde()])), [serde]);
    }

    #[test]
    fn rejects_bad_rules() {
        let cases: [(Attribute, &str); 16] = [
            (parse_quote!(#[validate(zipcod)]), "unknown validator `zipcod`, did you mean `zipcode`?"),
            (parse_quote!(#[validate(nonempty)]), "unknown validator `nonempty`, did you mean `non_empty`?"),
            (parse_quote!(#[validate()]), "`#[validate]` needs at least one rule, like `#[validate(non_empty)]`"),
            (parse_quote!(#[validate(zipcode(strict))]), "`zipcode` takes no arguments"),
            (parse_quote!(#[validate(range)]), "`range` needs `min`, `max` or both, like `range(min = 1, max = 100)`"),
            (
                parse_quote!(#[validate(range())]),
                "`range` needs `min`, `max` or both, like `range(min = 1, max = 100)`",
            ),
            (
                parse_quote!(#[validate(range(min = x))]),
                "`range` bounds must be number literals, like `min = 1` or `max = 0.5`",
            ),
            (parse_quote!(#[validate(range(min = 1, min = 2))]), "`min` is given twice"),
            (parse_quote!(#[validate(range(min = 2, max = 1))]), "`range` has `min` greater than `max`"),
            (parse_quote!(#[validate(length(min = 1.5))]), "`length` bounds must be whole numbers, like `min = 1`"),
            (parse_quote!(#[validate(length(min = 3, max = 1))]), "`length` has `min` greater than `max`"),
            (
                parse_quote!(#[validate(one_of(a))]),
                "`one_of` values must be string literals, like `one_of(\"json\", \"text\")`",
            ),
            (parse_quote!(#[validate(each)]), "`each` needs the rules for every element, like `each(zipcode)`"),
            (parse_quote!(#[validate(custom)]), "`custom` needs a function, like `custom = path::to_fn`"),
            (
                parse_quote!(#[validate(required_in("stag ing"))]),
                "`stag ing` is not a valid environment name: use lowercase letters, digits, `-` and `_`",
            ),
            (
                parse_quote!(#[validate(required_in(production))]),
                "`required_in` needs an environment, like `required_in(\"production\")`",
            ),
        ];
        for (attr, expected) in cases {
            let (out, errors) = field_of(&[attr]);
            assert_eq!(errors, [expected]);
            assert!(out.rules.is_empty(), "{expected}");
        }
    }

    #[test]
    fn goes_on_after_an_error_in_the_same_attribute() {
        let (out, errors) =
            field_of(&[parse_quote!(#[validate(zipcod, range(min = "a"), non_empty, length(size = 1), url)])]);
        assert_eq!(
            errors,
            [
                "unknown validator `zipcod`, did you mean `zipcode`?",
                "`range` bounds must be number literals, like `min = 1` or `max = 0.5`",
                "unknown `length` key `size`, expected `min` or `max`",
            ]
        );
        assert_eq!(texts(&out.rules), ["non_empty", "url"]);
        let (out, errors) = field_of(&[parse_quote!(#[config(defualt = 1, nested, default = 2 + , nested)])]);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(errors[0], "unknown `config` key `defualt`, did you mean `default`?");
        assert_eq!(errors[2], "`nested` is given twice");
        assert!(out.nested.is_some());
    }

    #[test]
    fn rejects_keys_in_the_wrong_place() {
        assert_eq!(errors_of(parse_quote!(#[config(prefix = "A")])), ["`prefix` goes on the struct, not on a field"]);
        assert_eq!(
            errors_of(parse_quote!(#[config(validate = f)])),
            ["`config(validate = …)` goes on the struct; to check a field, use `#[validate(…)]`"]
        );
        assert_eq!(errors_of(parse_quote!(#[config(nested = true)])), ["`nested` takes no value"]);
        assert_eq!(
            errors_of(parse_quote!(#[config(required_in("production"))])),
            ["`required_in` is a rule, not a `config` key: move it into `#[validate(…)]`"]
        );
        assert_eq!(errors_of(parse_quote!(#[secret(yes)])), ["`#[secret]` takes no arguments"]);
        let (_, errors) = field_of(&[parse_quote!(#[secret]), parse_quote!(#[secret])]);
        assert_eq!(errors, ["`#[secret]` is given twice"]);

        let mut errors = Errors::default();
        let attrs: [Attribute; 4] = [
            parse_quote!(#[config(nested, prefix = "my app")]),
            parse_quote!(#[config(prefix = "A", prefix = "B", allow_unknown_keys, allow_unknown_keys)]),
            parse_quote!(#[validate(url)]),
            parse_quote!(#[config(prefx = "A")]),
        ];
        let _ = container(&attrs, &mut errors);
        assert_eq!(
            messages(errors),
            [
                "`nested` goes on a field, not on the struct",
                "`my app` is not a valid prefix: use letters, digits and `_`, and do not start with a digit",
                "`prefix` is given twice",
                "`allow_unknown_keys` is given twice",
                "`#[validate]` goes on a field, not on the struct",
                "unknown `config` key `prefx`, did you mean `prefix`?",
            ]
        );
    }
}
