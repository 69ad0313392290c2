//! Code generation: `impl PhoenixConfig` (the static description, the
//! builder, the validator) and a redacting `impl Debug`.
//!
//! Every path is absolute; locals are `Span::mixed_site()` so they cannot
//! meet the user's names; validator calls carry the span of the rule's
//! keyword, so a type error lands on the attribute.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, ExprUnary, Lit, LitFloat, LitInt, Type, UnOp};

use crate::ast::{Field, Input};
use crate::attr::{Bound, Number, Rule, RuleKind};
use crate::ty::{Class, Mode, classify, pretty, replace_self};

/// The hygienic names of generated locals.
struct Locals {
    cx: Ident,
    node: Ident,
    section: Ident,
    value: Ident,
    rcx: Ident,
    rule: Ident,
    validator: Ident,
    formatter: Ident,
}

impl Locals {
    fn new() -> Self {
        let local = |name: &str| Ident::new(name, Span::mixed_site());
        Locals {
            cx: local("cx"),
            node: local("node"),
            section: local("section"),
            value: local("value"),
            rcx: local("rcx"),
            rule: local("rule"),
            validator: local("validator"),
            formatter: local("f"),
        }
    }
}

/// The whole expansion for a valid struct.
pub(crate) fn expand(input: &Input<'_>) -> TokenStream {
    let locals = Locals::new();
    let ident = input.ident;
    let helpers = input.fields.iter().map(|field| helpers(input, field, &locals));
    let describe = describe(input);
    let build = build(input, &locals);
    let (validator, validate) = validate(input, &locals);
    let debug = debug(input, &locals);
    let sections = input.fields.iter().any(Field::is_nested).then(sections);
    let leaves = input.fields.iter().any(|f| !f.is_nested()).then(leaves);
    let container_rule = container_rule(input);
    let environments = environments(input);
    // A root that declares its environments checks every `required_in`
    // below it now; any other root is checked when it is loaded.
    let check_environments = input.attrs.environments.as_ref().map(|_| {
        quote! { const _: () = <#ident as ::phoenix_config::PhoenixConfig>::__CHECK_ENVIRONMENTS; }
    });
    let env_in_items = env_in_items(input);
    let Locals { cx, node, formatter, .. } = &locals;
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, non_snake_case, unused_qualifications, dead_code)]
        const _: () = {
            #(#helpers)*
            #container_rule
            #sections
            #leaves

            #[automatically_derived]
            impl ::phoenix_config::__private::SectionField for #ident {
                const NESTED: ::phoenix_config::schema::Nested = ::phoenix_config::__private::nested_one::<Self>();
                const REQUIRED_IN: ::phoenix_config::__private::RequiredIn =
                    <Self as ::phoenix_config::PhoenixConfig>::__REQUIRED_IN;

                fn build(
                    #cx: &mut ::phoenix_config::__private::Cx<'_>,
                    #node: ::core::option::Option<&::phoenix_config::__private::Node>,
                ) -> ::core::option::Option<Self> {
                    <Self as ::phoenix_config::PhoenixConfig>::__build(#cx, #node)
                }

                fn check(&self, validator: &mut ::phoenix_config::__private::Validator) {
                    <Self as ::phoenix_config::PhoenixConfig>::__validate(self, validator);
                }
            }

            #[automatically_derived]
            #[allow(clippy::too_many_lines, clippy::cognitive_complexity)]
            impl ::phoenix_config::PhoenixConfig for #ident {
                #environments

                fn describe() -> &'static ::phoenix_config::schema::StructInfo {
                    #describe
                }

                fn __build(
                    #cx: &mut ::phoenix_config::__private::Cx<'_>,
                    #node: ::core::option::Option<&::phoenix_config::__private::Node>,
                ) -> ::core::option::Option<Self> {
                    #build
                }

                fn __validate(&self, #validator: &mut ::phoenix_config::__private::Validator) {
                    #validate
                }
            }

            #check_environments
            #(#env_in_items)*

            #[automatically_derived]
            impl ::core::fmt::Debug for #ident {
                fn fmt(&self, #formatter: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    #debug
                }
            }
        };
    }
}

/// The declared environments and the `required_in` names of the tree, as
/// the trait's hidden constants (the compile-time check reads them).
fn environments(input: &Input<'_>) -> TokenStream {
    let mut out = declared_environments(input);
    out.extend(required_in_tree(input));
    out.extend(env_in_section(input));
    out
}

/// `const __ENV_IN_SECTION`: the compile error raised where this struct
/// (or a struct that holds it as a single section) is an item of a list or a
/// map of sections, if one of its fields has an `#[env]` name.
fn env_in_section(input: &Input<'_>) -> TokenStream {
    let own = input.fields.iter().find_map(|field| {
        let name = field.attrs.env.as_ref()?.names.first()?.value();
        let message = format!(
            "`#[env(\"{name}\")]` on `{ty}.{field}` is not read where `{ty}` is an item of a list or a map of \
             sections: every item would share `{name}`; remove it (each item answers to its automatic name, \
             like `<PREFIX>_<LIST>_0_{upper}`) or give the items a section type of their own",
            ty = input.name,
            field = field.name,
            upper = field.name.to_ascii_uppercase().replace('-', "_"),
        );
        Some(str_lit(&message))
    });
    let own = option(own.map(ToTokens::into_token_stream));
    let children = input.fields.iter().filter(|field| field.is_nested()).map(|field| {
        let name = nested_const(field);
        quote!(::phoenix_config::__private::single_env(#name))
    });
    quote! {
        const __ENV_IN_SECTION: ::core::option::Option<&'static str> =
            ::phoenix_config::__private::first_env(&[#own, #(#children),*]);
    }
}

/// For each `#[config(nested)]` field, its `Nested` as a constant (the
/// one place its type is checked to be a section, so a type that is not
/// gives one error), and a constant that fails to compile when it is a list
/// or a map whose items have an `#[env]` name.
fn env_in_items(input: &Input<'_>) -> Vec<TokenStream> {
    input
        .fields
        .iter()
        .filter(|field| field.is_nested())
        .map(|field| {
            let ty = code_type(input, field);
            let name = nested_const(field);
            quote_spanned! {field.ty.span()=>
                const #name: ::phoenix_config::schema::Nested = <#ty as ::phoenix_config::__private::SectionField>::NESTED;
                const _: () = ::phoenix_config::__private::no_env_in_items(#name);
            }
        })
        .collect()
}

/// The name of the constant holding a nested field's `Nested`.
fn nested_const(field: &Field<'_>) -> Ident {
    format_ident!("__PHOENIX_CONFIG_NESTED_{}", field.member.unraw())
}

/// `const __ENVIRONMENTS`, when the struct declares its environments.
fn declared_environments(input: &Input<'_>) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(declared) = &input.attrs.environments {
        let decls = declared.iter().map(|decl| {
            let name = str_lit(&decl.name);
            let aliases = decl.aliases.iter().map(|a| str_lit(a));
            quote!(::phoenix_config::schema::EnvironmentDecl { name: #name, aliases: &[#(#aliases),*] })
        });
        out.extend(quote! {
            const __ENVIRONMENTS: &'static [::phoenix_config::schema::EnvironmentDecl] = &[#(#decls),*];
        });
    }
    out
}

/// `const __REQUIRED_IN`: the struct's `required_in` names, each with its
/// compile error, and its sections' trees.
fn required_in_tree(input: &Input<'_>) -> TokenStream {
    let names = required_in_names(input);
    let children = required_in_children(input);
    if names.is_empty() && children.is_empty() {
        return TokenStream::new();
    }
    quote! {
        const __REQUIRED_IN: ::phoenix_config::__private::RequiredIn =
            ::phoenix_config::__private::RequiredIn { names: &[#(#names),*], children: &[#(#children),*] };
    }
}

/// `("staging", "<the compile error>")` for each `required_in` name of the fields.
fn required_in_names(input: &Input<'_>) -> Vec<TokenStream> {
    let mut names = Vec::new();
    for field in &input.fields {
        let environments = field.attrs.rules.iter().filter_map(|rule| match &rule.kind {
            RuleKind::RequiredIn(environments) => Some(environments),
            _ => None,
        });
        for environment in environments.flatten() {
            let message = format!(
                "`required_in(\"{name}\")` on `{ty}.{field}` names an environment the root struct does not declare; \
                 add \"{name}\" to #[config(environments(...))] on the root struct",
                name = environment.name,
                ty = input.name,
                field = field.name,
            );
            let (name, message) = (str_lit(&environment.name), str_lit(&message));
            names.push(quote!((#name, #message)));
        }
    }
    names
}

/// `&<Section as PhoenixConfig>::__REQUIRED_IN` for each `#[config(nested)]` field.
fn required_in_children(input: &Input<'_>) -> Vec<TokenStream> {
    input
        .fields
        .iter()
        .filter(|field| field.is_nested())
        .map(|field| {
            let ty = code_type(input, field);
            quote_spanned!(field.ty.span()=> &<#ty as ::phoenix_config::__private::SectionField>::REQUIRED_IN)
        })
        .collect()
}

/// The name of the helper that runs `#[config(validate = path)]`.
const CONTAINER_RULE: &str = "__phoenix_config_container_rule";

/// `fn __phoenix_config_container_rule(value: &Struct) -> Result<(), String>`,
/// calling the user's function: one place that checks its signature, with
/// errors on the path.
fn container_rule(input: &Input<'_>) -> Option<TokenStream> {
    let path = input.attrs.validate.as_ref()?;
    let span = path.span();
    let ident = input.ident;
    let name = Ident::new(CONTAINER_RULE, Span::call_site());
    let value = Ident::new("value", Span::mixed_site());
    Some(quote_spanned! {span=>
        #[allow(clippy::trivially_copy_pass_by_ref)]
        fn #name(#value: &#ident) -> ::core::result::Result<(), ::std::string::String> {
            #path(#value)
        }
    })
}

/// Builds and validates `#[config(nested)]` sections. When a section's type
/// is not a section, method resolution falls back to the trait's do-nothing
/// methods, so the only error is the one `describe` reports on the field's
/// type, instead of three.
fn sections() -> TokenStream {
    quote! {
        struct __PhoenixConfigSection<T>(::core::marker::PhantomData<T>);

        #[allow(clippy::unused_self)]
        impl<T: ::phoenix_config::__private::SectionField> __PhoenixConfigSection<T> {
            fn build(
                &self,
                cx: &mut ::phoenix_config::__private::Cx<'_>,
                section: &::phoenix_config::__private::Section<'_>,
                index: usize,
                default: bool,
            ) -> ::core::option::Option<T> {
                cx.nested::<T>(section, index, default)
            }

            fn validate(
                &self,
                validator: &mut ::phoenix_config::__private::Validator,
                info: &'static ::phoenix_config::schema::StructInfo,
                index: usize,
                value: &T,
            ) {
                validator.nested(info, index, value);
            }
        }

        #[allow(clippy::unused_self)]
        trait __PhoenixConfigNotASection<T> {
            fn build(
                &self,
                _: &mut ::phoenix_config::__private::Cx<'_>,
                _: &::phoenix_config::__private::Section<'_>,
                _: usize,
                _: bool,
            ) -> ::core::option::Option<T> {
                ::core::option::Option::None
            }

            fn validate(
                &self,
                _: &mut ::phoenix_config::__private::Validator,
                _: &'static ::phoenix_config::schema::StructInfo,
                _: usize,
                _: &T,
            ) {
            }
        }

        impl<T> __PhoenixConfigNotASection<T> for __PhoenixConfigSection<T> {}
    }
}

/// Builds leaf fields. A leaf whose type is a section (a settings struct, or
/// a list, map or option of one) picks the inherent method, whose bound
/// names the missing `#[config(nested)]`; any other type takes the trait's
/// method, which needs `Deserialize` and `Debug`.
fn leaves() -> TokenStream {
    quote! {
        struct __PhoenixConfigLeaf<T>(::core::marker::PhantomData<T>);

        #[allow(clippy::unused_self)]
        impl<T: ::phoenix_config::__private::SectionField> __PhoenixConfigLeaf<T> {
            fn build(
                &self,
                _: &mut ::phoenix_config::__private::Cx<'_>,
                _: &::phoenix_config::__private::Section<'_>,
                _: usize,
                _: ::core::option::Option<::phoenix_config::__private::DefaultFn<T>>,
                _: fn(&T, &mut ::phoenix_config::__private::RuleCx<'_>),
            ) -> ::core::option::Option<T>
            where
                T: ::phoenix_config::__private::AddNested,
            {
                ::core::option::Option::None
            }
        }

        #[allow(clippy::unused_self)]
        trait __PhoenixConfigLeafValue<T> {
            fn build(
                &self,
                cx: &mut ::phoenix_config::__private::Cx<'_>,
                section: &::phoenix_config::__private::Section<'_>,
                index: usize,
                default: ::core::option::Option<::phoenix_config::__private::DefaultFn<T>>,
                rules: fn(&T, &mut ::phoenix_config::__private::RuleCx<'_>),
            ) -> ::core::option::Option<T>
            where
                T: ::phoenix_config::__private::DeserializeOwned + ::core::fmt::Debug,
            {
                cx.leaf::<T>(section, index, default, rules)
            }
        }

        impl<T> __PhoenixConfigLeafValue<T> for __PhoenixConfigLeaf<T> {}
    }
}

/// The field's type for generated items, where `Self` means nothing.
fn code_type(input: &Input<'_>, field: &Field<'_>) -> TokenStream {
    replace_self(field.ty.to_token_stream(), input.ident)
}

/// A default as data (`DefaultValue`): a literal's value (a negative
/// number too), else the expression as written with `__shown_x`, which
/// shows its value; `TypeDefault` for `#[config(default)]`.
fn default_data(field: &Field<'_>, expr: Option<&Expr>) -> TokenStream {
    let path = quote!(::phoenix_config::schema::DefaultValue);
    let shown = if field.is_nested() {
        quote!(::phoenix_config::__private::shown_empty)
    } else {
        shown_fn(field).into_token_stream()
    };
    let Some(expr) = expr else { return quote!(#path::TypeDefault { shown: #shown }) };
    // A `with` field's literal is a value of its type, not text its reader
    // takes (`0.1` for a reader of `25%`): shown, never offered as text.
    let literal = default_literal(expr).filter(|_| field.attrs.with.is_none());
    literal_data(&path, literal).unwrap_or_else(|| {
        let code = str_lit(&pretty(expr.to_token_stream(), Mode::Expr));
        quote!(#path::Expr { code: #code, shown: #shown })
    })
}

/// A default's literal and whether it is negated (`-3`); `None` for any
/// other expression.
fn default_literal(expr: &Expr) -> Option<(bool, &Lit)> {
    match expr {
        Expr::Lit(ExprLit { lit, .. }) => Some((false, lit)),
        Expr::Unary(ExprUnary { op: UnOp::Neg(_), expr, .. }) => match &**expr {
            Expr::Lit(ExprLit { lit, .. }) => Some((true, lit)),
            _ => None,
        },
        _ => None,
    }
}

/// A literal default's `DefaultValue`; `None` for a literal that is not
/// text, a bool or a number (or does not fit).
fn literal_data(path: &TokenStream, literal: Option<(bool, &Lit)>) -> Option<TokenStream> {
    let (negative, lit) = literal?;
    let sign: i8 = if negative { -1 } else { 1 };
    Some(match lit {
        Lit::Str(text) if !negative => quote!(#path::Text(#text)),
        Lit::Bool(b) if !negative => quote!(#path::Bool(#b)),
        Lit::Int(int) => {
            let value = Literal::i128_unsuffixed(i128::from(sign) * int.base10_parse::<i128>().ok()?);
            quote!(#path::Integer(#value))
        }
        Lit::Float(float) => {
            let value =
                Literal::f64_unsuffixed(f64::from(sign) * float.base10_parse::<f64>().ok().filter(|x| x.is_finite())?);
            quote!(#path::Float(#value))
        }
        _ => return None,
    })
}

/// Whether a leaf's default is computed (shown by `__shown_x`), not a
/// literal the description holds.
fn computed_default(field: &Field<'_>) -> bool {
    let Some(default) = &field.attrs.default else { return false };
    let path = TokenStream::new();
    field.attrs.with.is_some()
        || default.expr.as_ref().is_none_or(|expr| literal_data(&path, default_literal(expr)).is_none())
}

fn shown_fn(field: &Field<'_>) -> Ident {
    format_ident!("__shown_{}", field.member.unraw())
}

fn default_fn(field: &Field<'_>) -> Ident {
    format_ident!("__default_{}", field.member.unraw())
}

fn rules_fn(field: &Field<'_>) -> Ident {
    format_ident!("__rules_{}", field.member.unraw())
}

fn read_fn(field: &Field<'_>) -> Ident {
    format_ident!("__read_{}", field.member.unraw())
}

/// `__read_x`: the `#[config(with = path)]` function, its error as text; for
/// an `Option` field the function reads the inner type.
fn reader(field: &Field<'_>, ty: &TokenStream) -> TokenStream {
    let Some(path) = &field.attrs.with else { return TokenStream::new() };
    let name = read_fn(field);
    let text = Ident::new("text", Span::mixed_site());
    let some = field.optional.then(|| quote!(.map(::core::option::Option::Some)));
    quote_spanned! {path.span()=>
        fn #name(#text: &str) -> ::core::result::Result<#ty, ::std::string::String> {
            #path(#text) #some .map_err(|e| ::std::string::ToString::to_string(&e))
        }
    }
}

fn str_lit(text: &str) -> Literal {
    Literal::string(text)
}

fn option(value: Option<TokenStream>) -> TokenStream {
    value.map_or_else(|| quote!(::core::option::Option::None), |value| quote!(::core::option::Option::Some(#value)))
}

/// `__default_x` and `__rules_x` of a leaf field.
fn helpers(input: &Input<'_>, field: &Field<'_>, locals: &Locals) -> TokenStream {
    if field.is_nested() {
        return TokenStream::new();
    }
    let ty = code_type(input, field);
    let mut out = reader(field, &ty);
    if let Some(default) = &field.attrs.default {
        let name = default_fn(field);
        let value = default.expr.as_ref().map_or_else(
            || quote_spanned!(default.key=> ::core::result::Result::Ok(::core::default::Default::default())),
            |expr| default_value(expr, field, &ty),
        );
        out.extend(quote! {
            #[allow(clippy::unreadable_literal, clippy::unnecessary_wraps, clippy::default_trait_access)]
            fn #name() -> ::core::result::Result<#ty, ::std::string::String> {
                #value
            }
        });
        if computed_default(field) {
            let shown = shown_fn(field);
            // Its enum names when it is or holds a `ConfigEnum`, else its
            // value's `Display` when it has one, else the name an enum is
            // read from, else its `Debug`; an `Option`'s value inside `Some`.
            let value = if field.optional { quote!(::core::option::Option::Some(value)) } else { quote!(value) };
            out.extend(quote! {
                fn #shown() -> ::core::option::Option<::std::string::String> {
                    #[allow(unused_imports)]
                    use ::phoenix_config::__private::{
                        ShowDebug as _, ShowDisplay as _, ShowNames as _, ShowSerdeName as _,
                    };
                    match #name() {
                        ::core::result::Result::Ok(#value) => {
                            ::core::option::Option::Some((&&&&::phoenix_config::__private::Shown(&value)).shown())
                        }
                        _ => ::core::option::Option::None,
                    }
                }
            });
        }
    }
    if !field.attrs.rules.is_empty() {
        let Locals { value, rcx, .. } = locals;
        let name = rules_fn(field);
        let mut body = TokenStream::new();
        let mut inner = Vec::new();
        for rule in &field.attrs.rules {
            if let RuleKind::RequiredIn(environments) = &rule.kind {
                for environment in environments {
                    let name = str_lit(&environment.name);
                    body.extend(quote_spanned! {rule.name.span()=>
                        #rcx.required_in(
                            ::core::option::Option::is_some(#value),
                            ::phoenix_config::Environment::from_static(#name),
                        );
                    });
                }
            } else {
                inner.push(rule);
            }
        }
        let checks = rule_calls(&inner, Some(field.checked_type()), locals);
        if field.optional && !inner.is_empty() {
            body.extend(quote! {
                if let ::core::option::Option::Some(#value) = #value {
                    #checks
                }
            });
        } else {
            body.extend(checks);
        }
        out.extend(quote! {
            #[allow(
                clippy::ptr_arg,
                clippy::redundant_closure,
                clippy::ref_option,
                clippy::trivially_copy_pass_by_ref,
                clippy::unreadable_literal,
            )]
            fn #name(#value: &#ty, #rcx: &mut ::phoenix_config::__private::RuleCx<'_>) {
                #body
            }
        });
    }
    out
}

/// The body of `__default_x`: the expression as written, with the small
/// conversions a person expects (`"text"` into a `String`, a literal into
/// `Some` for an `Option` field, `1` into `1.0` for a float).
fn default_value(expr: &Expr, field: &Field<'_>, ty: &impl ToTokens) -> TokenStream {
    let float = matches!(classify(field.checked_type()), Class::Float);
    let (negative, literal) = default_literal(expr).map_or((false, None), |(negative, lit)| (negative, Some(lit)));
    let span = expr.span();
    // Text for a type that is not text (an enum, a `Secret<String>`, a list,
    // a path) converts as a variable's text would, checked at load time.
    if let Some(Lit::Str(_)) = literal
        && !crate::ty::is_text(field.checked_type())
    {
        let written = str_lit(&pretty(field.ty.to_token_stream(), Mode::Type));
        return quote_spanned!(span=> ::phoenix_config::__private::text_default::<#ty>(#expr, #written));
    }
    let value = match literal {
        Some(Lit::Str(_)) => quote_spanned!(span=> ::core::convert::Into::into(#expr)),
        Some(Lit::Int(int)) if float && int.suffix().is_empty() => {
            let lit = LitFloat::new(&format!("{}.0", int.base10_digits()), int.span());
            if negative { quote!(-#lit) } else { lit.to_token_stream() }
        }
        _ => expr.to_token_stream(),
    };
    let value = if field.optional && literal.is_some() {
        quote_spanned!(span=> ::core::option::Option::Some(#value))
    } else {
        value
    };
    quote_spanned!(span=> ::core::result::Result::Ok(#value))
}

/// The calls of `rules` on `value` (of type `ty`, when known).
fn rule_calls(rules: &[&Rule], ty: Option<&Type>, locals: &Locals) -> TokenStream {
    let rcx = &locals.rcx;
    let class = ty.map_or(Class::Other, classify);
    let float = matches!(class, Class::Float);
    let mut out = TokenStream::new();
    for rule in rules {
        let span = rule.name.span();
        let value = &locals.value;
        // The value as an expression written at the rule (a local's own
        // span is the derive's): a type error on it lands on the rule.
        let at_rule = quote_spanned!(span=> ::core::convert::identity(#value));
        let check = |function: &str, args: TokenStream| {
            let function = Ident::new(function, span);
            quote_spanned! {span=>
                #rcx.check(::phoenix_config::validate::#function(#at_rule, #args #rcx.secret()));
            }
        };
        out.extend(match &rule.kind {
            RuleKind::Zipcode => check("zipcode", TokenStream::new()),
            RuleKind::Url => check("url", TokenStream::new()),
            RuleKind::Email => check("email", TokenStream::new()),
            RuleKind::NonEmpty => check("non_empty", TokenStream::new()),
            RuleKind::Port => check("port", TokenStream::new()),
            RuleKind::Range { min, max } => {
                let min = bound(min.as_ref(), float);
                let max = bound(max.as_ref(), float);
                check("range", quote!(#min, #max,))
            }
            RuleKind::Length { min, max } => {
                let some = |lit: &LitInt| quote_spanned!(lit.span()=> ::core::option::Option::Some(#lit));
                let min = option_or_none(min.as_ref().map(some));
                let max = option_or_none(max.as_ref().map(some));
                check("length", quote!(#min, #max,))
            }
            RuleKind::OneOf(values) => check("one_of", quote!(&[#(#values),*],)),
            RuleKind::Each(inner) => {
                let element = match class {
                    Class::List(element) => element,
                    _ => None,
                };
                let inner: Vec<&Rule> = inner.iter().collect();
                let calls = rule_calls(&inner, element, locals);
                quote_spanned! {span=>
                    #rcx.each(#at_rule, |#value, #rcx| {
                        #calls
                    });
                }
            }
            RuleKind::Custom(path) => {
                let name = str_lit(&pretty(path.to_token_stream(), Mode::Expr));
                // Through a closure, so `fn(&str)` checks a `String`; a
                // signature that does not fit is reported on the path.
                let at_path = path.span();
                let element = Ident::new("value", Span::mixed_site().located_at(at_path));
                let call = quote_spanned!(at_path=> #path(#element));
                quote_spanned! {span=>
                    #rcx.custom(#value, #name, |#element| #call);
                }
            }
            // Checked on the field itself, before the others.
            RuleKind::RequiredIn(_) => TokenStream::new(),
        });
    }
    out
}

/// `Some(bound)` of `range`, spanned at the literal; an integer becomes a
/// float for a float field.
fn bound(bound: Option<&Bound>, float: bool) -> TokenStream {
    let Some(bound) = bound else { return quote!(::core::option::Option::None) };
    let minus = &bound.minus;
    let (number, span) = match &bound.number {
        Number::Int(int) if float && int.suffix().is_empty() => {
            (LitFloat::new(&format!("{}.0", int.base10_digits()), int.span()).to_token_stream(), int.span())
        }
        Number::Int(int) => (int.to_token_stream(), int.span()),
        Number::Float(float) => (float.to_token_stream(), float.span()),
    };
    quote_spanned!(span=> ::core::option::Option::Some(#minus #number))
}

/// An already built `Some(…)`, or `None`.
fn option_or_none(value: Option<TokenStream>) -> TokenStream {
    value.unwrap_or_else(|| quote!(::core::option::Option::None))
}

/// A bound of `range` as `Option<f64>` tokens.
fn float_bound(bound: Option<&Bound>) -> TokenStream {
    option(bound.and_then(Bound::value).map(|v| Literal::f64_suffixed(v).into_token_stream()))
}

/// A bound of `length` as `Option<u64>` tokens.
fn count_bound(lit: Option<&LitInt>) -> TokenStream {
    option(lit.and_then(|l| l.base10_parse::<u64>().ok()).map(|n| Literal::u64_suffixed(n).into_token_stream()))
}

/// A rule as `phoenix_config::schema::Rule` data.
fn rule_data(rule: &Rule) -> TokenStream {
    rule_args_data(&rule.kind, &quote!(::phoenix_config::schema::Rule))
}

/// A rule with arguments as data.
fn rule_args_data(kind: &RuleKind, path: &TokenStream) -> TokenStream {
    match kind {
        RuleKind::Range { min, max } => {
            bounds_data(path, "Range", (float_bound(min.as_ref()), float_bound(max.as_ref())))
        }
        RuleKind::Length { min, max } => {
            bounds_data(path, "Length", (count_bound(min.as_ref()), count_bound(max.as_ref())))
        }
        RuleKind::OneOf(values) => {
            slice_data(path, "OneOf", &values.iter().map(ToTokens::to_token_stream).collect::<Vec<_>>())
        }
        RuleKind::Each(rules) => slice_data(path, "Each", &rules.iter().map(rule_data).collect::<Vec<_>>()),
        RuleKind::Custom(function) => {
            let text = str_lit(&pretty(function.to_token_stream(), Mode::Expr));
            quote!(#path::Custom(#text))
        }
        RuleKind::RequiredIn(environments) => {
            let names = environments.iter().map(|e| str_lit(&e.name).into_token_stream());
            slice_data(path, "RequiredIn", &names.collect::<Vec<_>>())
        }
        RuleKind::Zipcode => plain_data(path, "Zipcode"),
        RuleKind::Url => plain_data(path, "Url"),
        RuleKind::Email => plain_data(path, "Email"),
        RuleKind::NonEmpty => plain_data(path, "NonEmpty"),
        RuleKind::Port => plain_data(path, "Port"),
    }
}

fn bounds_data(path: &TokenStream, variant: &str, (min, max): (TokenStream, TokenStream)) -> TokenStream {
    let variant = Ident::new(variant, Span::call_site());
    quote!(#path::#variant { min: #min, max: #max })
}

fn slice_data(path: &TokenStream, variant: &str, items: &[TokenStream]) -> TokenStream {
    let variant = Ident::new(variant, Span::call_site());
    quote!(#path::#variant(&[#(#items),*]))
}

/// A rule without arguments as data.
fn plain_data(path: &TokenStream, variant: &str) -> TokenStream {
    let variant = Ident::new(variant, Span::call_site());
    quote!(#path::#variant)
}

/// The body of `describe()`: one static `StructInfo`.
fn describe(input: &Input<'_>) -> TokenStream {
    let ident = input.ident;
    let name = str_lit(&input.name);
    let doc = str_lit(&input.attrs.doc);
    let prefix = option(input.attrs.prefix.as_ref().map(ToTokens::to_token_stream));
    let allow_unknown_keys = input.attrs.allow_unknown_keys;
    // The field of a file key: a `match` on its bytes (rustc compares
    // lengths first; a key's text need not be checked as UTF-8).
    let keys = input.fields.iter().map(|field| Literal::byte_string(field.name.as_bytes()));
    let positions = (0..input.fields.len()).map(Literal::usize_unsuffixed);
    let fields = input.fields.iter().map(|field| {
        let name = str_lit(&field.name);
        let doc = str_lit(&field.attrs.doc);
        let ty_text = str_lit(&field.ty_text);
        let env = field.attrs.env.iter().flat_map(|env| &env.names);
        let default = option(field.attrs.default.as_ref().map(|d| default_data(field, d.expr.as_ref())));
        let secret = field.secret;
        let optional = field.optional;
        let nested = if field.is_nested() {
            let name = nested_const(field);
            quote!(::core::option::Option::Some(#name))
        } else {
            quote!(::core::option::Option::None)
        };
        let rules = field.attrs.rules.iter().map(rule_data);
        let kind = kind(input, field);
        let holds_secret = holds_secret(input, field);
        let variant_doc = variant_doc(input, field);
        quote! {
            ::phoenix_config::schema::FieldInfo {
                name: #name,
                doc: #doc,
                ty: #ty_text,
                env: &[#(#env),*],
                default: #default,
                secret: #secret,
                holds_secret: #holds_secret,
                optional: #optional,
                nested: #nested,
                kind: #kind,
                variant_doc: #variant_doc,
                rules: &[#(#rules),*],
            }
        }
    });
    quote! {
        static INFO: ::phoenix_config::schema::StructInfo = ::phoenix_config::schema::StructInfo {
            name: #name,
            doc: #doc,
            prefix: #prefix,
            allow_unknown_keys: #allow_unknown_keys,
            environments: <#ident as ::phoenix_config::PhoenixConfig>::__ENVIRONMENTS,
            fields: &[#(#fields),*],
            index: {
                fn index(key: &[u8]) -> ::core::option::Option<usize> {
                    match key {
                        #(#keys => ::core::option::Option::Some(#positions),)*
                        _ => ::core::option::Option::None,
                    }
                }
                index
            },
        };
        &INFO
    }
}

/// `FieldInfo::kind`: a function asking the leaf type's `Deserialize`
/// (through the same `TypeProbe` as `holds_secret`);
/// text for a leaf read with `#[config(with)]`; nothing for a section.
fn kind(input: &Input<'_>, field: &Field<'_>) -> TokenStream {
    if field.is_nested() {
        return quote!(|| ::phoenix_config::__private::Kind::Any);
    }
    if field.attrs.with.is_some() {
        return quote!(|| ::phoenix_config::__private::Kind::Text);
    }
    let ty = code_type(input, field);
    quote! {{
        fn kind() -> ::phoenix_config::__private::Kind {
            #[allow(unused_imports)]
            use ::phoenix_config::__private::{ProbeAny as _, ProbeDeserialize as _};
            (&&::phoenix_config::__private::TypeProbe::<#ty>::new()).kind()
        }
        kind
    }}
}

/// `FieldInfo::variant_doc`: a function asking the leaf type whether it
/// holds a `ConfigEnum` (the probe of any other type answers nothing);
/// nothing for a section or a leaf read with `#[config(with)]` (text).
fn variant_doc(input: &Input<'_>, field: &Field<'_>) -> TokenStream {
    if field.is_nested() || field.attrs.with.is_some() {
        return quote!(::phoenix_config::__private::no_variant_doc);
    }
    let ty = code_type(input, field);
    quote! {{
        fn variant_doc(name: &str) -> ::core::option::Option<&'static str> {
            #[allow(unused_imports)]
            use ::phoenix_config::__private::{ProbeConfigEnum as _, ProbeOther as _};
            (&&::phoenix_config::__private::TypeProbe::<#ty>::new()).variant_doc()(name)
        }
        variant_doc
    }}
}

/// `FieldInfo::holds_secret` of a field: a function asking the field's
/// type once whether it holds a `Secret` anywhere (the probe of a type that
/// is not `Deserialize` answers `false` instead of failing to compile:
/// its own error, if any, comes from the build step). A section's fields
/// answer for themselves.
fn holds_secret(input: &Input<'_>, field: &Field<'_>) -> TokenStream {
    if field.is_nested() {
        return quote!(::phoenix_config::__private::no_secret);
    }
    let ty = code_type(input, field);
    quote! {{
        fn holds_secret() -> bool {
            #[allow(unused_imports)]
            use ::phoenix_config::__private::{ProbeAny as _, ProbeDeserialize as _};
            static TYPE: ::phoenix_config::__private::SecretType = ::phoenix_config::__private::SecretType::new();
            TYPE.get(|| (&&::phoenix_config::__private::TypeProbe::<#ty>::new()).holds_secret())
        }
        holds_secret
    }}
}

/// The end of `__build`: the container rule, run when every field was built.
fn finish(input: &Input<'_>, locals: &Locals) -> TokenStream {
    let Locals { cx, value, rule, .. } = locals;
    let rule_value = option(
        input.attrs.validate.as_ref().map(|_| Ident::new(CONTAINER_RULE, Span::call_site()).into_token_stream()),
    );
    quote! {
        let #rule: ::core::option::Option<
            fn(&Self) -> ::core::result::Result<(), ::std::string::String>,
        > = #rule_value;
        #cx.finish(#value, #rule)
    }
}

/// The body of `__build`.
fn build(input: &Input<'_>, locals: &Locals) -> TokenStream {
    let Locals { cx, node, section, value, .. } = locals;
    let open = quote!(#cx.section(<Self as ::phoenix_config::PhoenixConfig>::describe(), #node));
    let finish = finish(input, locals);
    if input.fields.is_empty() {
        return quote! {
            let _ = #open;
            let #value = ::core::option::Option::Some(Self {});
            #finish
        };
    }
    let names: Vec<Ident> =
        (0..input.fields.len()).map(|i| Ident::new(&format!("field_{i}"), Span::mixed_site())).collect();
    let steps =
        input.fields.iter().zip(&names).enumerate().map(|(index, (field, local))| step(field, index, local, locals));
    let assemble = assemble(input, &names, value);
    quote! {
        let #section = #open;
        #(#steps)*
        #assemble
        #finish
    }
}

/// `let field_i = …;` for one field.
fn step(field: &Field<'_>, index: usize, local: &Ident, locals: &Locals) -> TokenStream {
    let index = Literal::usize_unsuffixed(index);
    let call = if field.is_nested() { nested_step(field, &index, locals) } else { leaf_step(field, &index, locals) };
    quote_spanned!(field.ty.span()=> let #local = #call;)
}

/// The struct, when every field was built.
fn assemble(input: &Input<'_>, names: &[Ident], value: &Ident) -> TokenStream {
    let members = input.fields.iter().map(|field| field.member);
    quote! {
        let #value = match (#(#names,)*) {
            (#(::core::option::Option::Some(#names),)*) => ::core::option::Option::Some(Self { #(#members: #names),* }),
            _ => ::core::option::Option::None,
        };
    }
}

/// The call that builds a `#[config(nested)]` field.
fn nested_step(field: &Field<'_>, index: &Literal, locals: &Locals) -> TokenStream {
    let Locals { cx, section, .. } = locals;
    let ty = field.ty;
    let default = field.attrs.default.is_some();
    quote_spanned! {ty.span()=>
        __PhoenixConfigSection::<#ty>(::core::marker::PhantomData).build(#cx, &#section, #index, #default)
    }
}

/// The call that builds a leaf field (through its `with` reader, if any).
fn leaf_step(field: &Field<'_>, index: &Literal, locals: &Locals) -> TokenStream {
    let Locals { cx, section, .. } = locals;
    let ty = field.ty;
    let span = ty.span();
    let default = option(field.attrs.default.as_ref().map(|_| default_fn(field).into_token_stream()));
    let rules = if field.attrs.rules.is_empty() {
        quote_spanned!(span=> ::phoenix_config::__private::no_rules::<#ty>)
    } else {
        rules_fn(field).into_token_stream()
    };
    if field.attrs.with.is_none() {
        return quote_spanned! {span=>
            __PhoenixConfigLeaf::<#ty>(::core::marker::PhantomData).build(#cx, &#section, #index, #default, #rules)
        };
    }
    let read = read_fn(field);
    let absent = option(field.optional.then(|| quote!(|| ::core::option::Option::None)));
    quote_spanned!(span=> #cx.leaf_with::<#ty>(&#section, #index, #default, #rules, #read, #absent))
}

/// The parameter name and body of `__validate`.
fn validate(input: &Input<'_>, locals: &Locals) -> (TokenStream, TokenStream) {
    let validator = &locals.validator;
    let describe = quote!(<Self as ::phoenix_config::PhoenixConfig>::describe());
    let mut body = TokenStream::new();
    for (index, field) in input.fields.iter().enumerate() {
        let index = Literal::usize_unsuffixed(index);
        let member = field.member;
        if field.is_nested() {
            let ty = field.ty;
            body.extend(quote_spanned! {ty.span()=>
                __PhoenixConfigSection::<#ty>(::core::marker::PhantomData).validate(#validator, #describe, #index, &self.#member);
            });
        } else if !field.attrs.rules.is_empty() {
            let rules = rules_fn(field);
            body.extend(quote! {
                #validator.field(#describe, #index, &self.#member, #rules);
            });
        }
    }
    if input.attrs.validate.is_some() {
        let rule = Ident::new(CONTAINER_RULE, Span::call_site());
        body.extend(quote! {
            #validator.container(self, #rule);
        });
    }
    if body.is_empty() { (quote!(_), body) } else { (validator.to_token_stream(), body) }
}

/// The body of the redacting `Debug::fmt`.
fn debug(input: &Input<'_>, locals: &Locals) -> TokenStream {
    let formatter = &locals.formatter;
    let name = str_lit(&input.name);
    let any_leaf = input.fields.iter().any(|f| !f.is_nested());
    let fields = input.fields.iter().enumerate().map(|(index, field)| {
        // The Rust field's name, as `#[derive(Debug)]` writes it (the file
        // key may differ: `#[config(rename)]`).
        let name = str_lit(&field.member.unraw().to_string());
        let member = field.member;
        if field.is_nested() {
            return quote!(.field(#name, &self.#member));
        }
        // Secret by its attribute, or by its type (asked once, remembered).
        let secret = if field.secret { quote!(true) } else { quote!(__fields[#index].is_secret()) };
        let wrapper = if field.optional {
            quote!(::phoenix_config::__private::DebugOptionalField)
        } else {
            quote!(::phoenix_config::__private::DebugField)
        };
        quote!(.field(#name, &#wrapper(#secret, &self.#member)))
    });
    let info = any_leaf.then(|| {
        quote! { let __fields = <Self as ::phoenix_config::PhoenixConfig>::describe().fields; }
    });
    quote! {
        #info
        #formatter.debug_struct(#name) #(#fields)* .finish()
    }
}

#[cfg(test)]
mod tests {
    use syn::{DeriveInput, parse_quote};

    use super::*;
    use crate::errors::Errors;

    /// The expansion of `input` as text with token spaces removed, for `contains` checks.
    fn expansion(input: &DeriveInput) -> String {
        let mut errors = Errors::default();
        let model = Input::from_syn(input, &mut errors).unwrap();
        crate::valid::check(&model, &mut errors);
        if let Err(error) = errors.finish() {
            panic!("{error}");
        }
        squeeze(&expand(&model).to_string())
    }

    fn squeeze(text: &str) -> String {
        text.split_whitespace().collect()
    }

    fn has(haystack: &str, needle: &TokenStream) {
        let needle = squeeze(&needle.to_string());
        assert!(haystack.contains(&needle), "missing\n  {needle}\nin\n  {haystack}");
    }

    fn database() -> DeriveInput {
        parse_quote! {
            /// The database.
            #[config(validate = check_db)]
            struct Database {
                /// Where it is.
                #[env("MONGODB_URI", alias = "PHOENIX_DATABASE_URI")]
                #[secret]
                uri: String,
                #[config(default = 10)]
                #[validate(range(min = 1, max = 500))]
                max_pool_size: u32,
                #[secret]
                password: Option<Secret<String>>,
                #[config(nested)]
                pool: Pool,
                #[validate(each(zipcode), length(min = 1))]
                zips: Vec<String>,
                #[validate(required_in("production"), non_empty)]
                api_key: Option<String>,
            }
        }
    }

    #[test]
    fn describes_the_struct() {
        let out = expansion(&database());
        has(
            &out,
            &quote!(name: "Database", doc: "The database.", prefix: ::core::option::Option::None, allow_unknown_keys: false),
        );
        has(
            &out,
            &quote!(name: "uri", doc: "Where it is.", ty: "String", env: &["MONGODB_URI", "PHOENIX_DATABASE_URI"], default: ::core::option::Option::None, secret: true, holds_secret:),
        );
        // Each leaf's type is probed once (a section's fields answer for themselves).
        has(&out, &quote!(TYPE.get(|| (&&::phoenix_config::__private::TypeProbe::<String>::new()).holds_secret())));
        has(
            &out,
            &quote!(holds_secret: ::phoenix_config::__private::no_secret, optional: false, nested: ::core::option::Option::Some(__PHOENIX_CONFIG_NESTED_pool)),
        );
        has(&out, &quote!(default: ::core::option::Option::Some(::phoenix_config::schema::DefaultValue::Integer(10))));
        has(
            &out,
            &quote!(rules: &[::phoenix_config::schema::Rule::Range { min: ::core::option::Option::Some(1f64), max: ::core::option::Option::Some(500f64) }]),
        );
        has(
            &out,
            &quote!(ty: "Option<Secret<String>>", env: &[], default: ::core::option::Option::None, secret: true, holds_secret:),
        );
        has(
            &out,
            &quote!(
                const __PHOENIX_CONFIG_NESTED_pool: ::phoenix_config::schema::Nested =
                    <Pool as ::phoenix_config::__private::SectionField>::NESTED;
            ),
        );
        has(
            &out,
            &quote!(
                const _: () = ::phoenix_config::__private::no_env_in_items(__PHOENIX_CONFIG_NESTED_pool);
            ),
        );
        has(&out, &quote!(nested: ::core::option::Option::Some(__PHOENIX_CONFIG_NESTED_pool)));
        assert!(out.contains("::phoenix_config::__private::single_env(__PHOENIX_CONFIG_NESTED_pool)]);"), "{out}");
        assert!(out.contains("`Database.uri`isnotreadwhere`Database`isanitemofalistoramapofsections"), "{out}");
        has(
            &out,
            &quote!(rules: &[::phoenix_config::schema::Rule::Each(&[::phoenix_config::schema::Rule::Zipcode]), ::phoenix_config::schema::Rule::Length { min: ::core::option::Option::Some(1u64), max: ::core::option::Option::None }]),
        );
        has(
            &out,
            &quote!(rules: &[::phoenix_config::schema::Rule::RequiredIn(&["production"]), ::phoenix_config::schema::Rule::NonEmpty]),
        );
    }

    #[test]
    fn builds_every_field_and_runs_the_container_rule() {
        let out = expansion(&database());
        has(
            &out,
            &quote!(
                fn __default_max_pool_size() -> ::core::result::Result<u32, ::std::string::String> {
                    ::core::result::Result::Ok(10)
                }
            ),
        );
        has(
            &out,
            &quote!(__PhoenixConfigLeaf::<String>(::core::marker::PhantomData).build(
                cx,
                &section,
                0,
                ::core::option::Option::None,
                ::phoenix_config::__private::no_rules::<String>
            )),
        );
        has(
            &out,
            &quote!(__PhoenixConfigLeaf::<u32>(::core::marker::PhantomData).build(
                cx,
                &section,
                1,
                ::core::option::Option::Some(__default_max_pool_size),
                __rules_max_pool_size
            )),
        );
        has(
            &out,
            &quote!(let field_3 = __PhoenixConfigSection::<Pool>(::core::marker::PhantomData).build(cx, &section, 3, false);),
        );
        has(
            &out,
            &quote!(::core::option::Option::Some(Self {
                uri: field_0,
                max_pool_size: field_1,
                password: field_2,
                pool: field_3,
                zips: field_4,
                api_key: field_5
            })),
        );
        has(
            &out,
            &quote! {
                fn __phoenix_config_container_rule(value: &Database) -> ::core::result::Result<(), ::std::string::String> {
                    check_db(value)
                }
            },
        );
        has(&out, &quote!(= ::core::option::Option::Some(__phoenix_config_container_rule); cx.finish(value, rule)));
    }

    #[test]
    fn generates_rule_functions() {
        let out = expansion(&database());
        has(
            &out,
            &quote!(rcx.check(::phoenix_config::validate::range(::core::convert::identity(value), ::core::option::Option::Some(1), ::core::option::Option::Some(500), rcx.secret()));),
        );
        has(
            &out,
            &quote!(rcx.each(::core::convert::identity(value), |value, rcx| { rcx.check(::phoenix_config::validate::zipcode(::core::convert::identity(value), rcx.secret())); });),
        );
        has(
            &out,
            &quote!(rcx.check(::phoenix_config::validate::length(::core::convert::identity(value), ::core::option::Option::Some(1), ::core::option::Option::None, rcx.secret()));),
        );
        has(
            &out,
            &quote! {
                fn __rules_api_key(value: &Option<String>, rcx: &mut ::phoenix_config::__private::RuleCx<'_>) {
                    rcx.required_in(
                        ::core::option::Option::is_some(value),
                        ::phoenix_config::Environment::from_static("production"),
                    );
                    if let ::core::option::Option::Some(value) = value {
                        rcx.check(::phoenix_config::validate::non_empty(::core::convert::identity(value), rcx.secret()));
                    }
                }
            },
        );
    }

    #[test]
    fn validates_fields_with_rules_nested_sections_and_the_container() {
        let out = expansion(&database());
        has(
            &out,
            &quote!(validator.field(<Self as ::phoenix_config::PhoenixConfig>::describe(), 1, &self.max_pool_size, __rules_max_pool_size);),
        );
        has(
            &out,
            &quote!(__PhoenixConfigSection::<Pool>(::core::marker::PhantomData).validate(validator, <Self as ::phoenix_config::PhoenixConfig>::describe(), 3, &self.pool);),
        );
        has(&out, &quote!(validator.container(self, __phoenix_config_container_rule);));
        assert!(!out.contains("&self.uri,__rules"), "{out}");
    }

    #[test]
    fn debug_redacts_secrets() {
        let out = expansion(&database());
        has(
            &out,
            &quote!(
                f.debug_struct("Database")
                    .field("uri", &::phoenix_config::__private::DebugField(true, &self.uri))
                    .field(
                        "max_pool_size",
                        &::phoenix_config::__private::DebugField(__fields[1usize].is_secret(), &self.max_pool_size)
                    )
            ),
        );
        // An optional secret: `None` stays `None`, a value is redacted.
        has(&out, &quote!(.field("password", &::phoenix_config::__private::DebugOptionalField(true, &self.password))));
        has(&out, &quote!(.field("pool", &self.pool)));
    }

    #[test]
    fn converts_text_defaults_of_other_types_at_load_time() {
        let input: DeriveInput = parse_quote! {
            struct S {
                #[config(default = "info")]
                level: Level,
            }
        };
        let out = expansion(&input);
        has(
            &out,
            &quote!(
                fn __default_level() -> ::core::result::Result<Level, ::std::string::String> {
                    ::phoenix_config::__private::text_default::<Level>("info", "Level")
                }
            ),
        );
    }

    #[test]
    fn adapts_literals_to_float_and_option_fields() {
        let input: DeriveInput = parse_quote! {
            struct S {
                #[config(default = 1)]
                #[validate(range(min = 0, max = 2.5))]
                ratio: f64,
                #[config(default = "x")]
                name: Option<String>,
                #[config(default = -3)]
                offset: Option<i32>,
                #[validate(each(range(min = -1)), custom = checks::all)]
                weights: Vec<f32>,
            }
        };
        let out = expansion(&input);
        has(
            &out,
            &quote!(
                fn __default_ratio() -> ::core::result::Result<f64, ::std::string::String> {
                    ::core::result::Result::Ok(1.0)
                }
            ),
        );
        has(&out, &quote!(::core::option::Option::Some(0.0), ::core::option::Option::Some(2.5)));
        has(
            &out,
            &quote!(
                fn __default_name() -> ::core::result::Result<Option<String>, ::std::string::String> {
                    ::core::result::Result::Ok(::core::option::Option::Some(::core::convert::Into::into("x")))
                }
            ),
        );
        has(
            &out,
            &quote!(
                fn __default_offset() -> ::core::result::Result<Option<i32>, ::std::string::String> {
                    ::core::result::Result::Ok(::core::option::Option::Some(-3))
                }
            ),
        );
        has(
            &out,
            &quote! {
                ::phoenix_config::validate::range(
                    ::core::convert::identity(value), ::core::option::Option::Some(-1.0), ::core::option::Option::None, rcx.secret()
                )
            },
        );
        has(&out, &quote!(rcx.custom(value, "checks::all", |value| checks::all(value));));
    }

    #[test]
    fn handles_empty_structs_and_self_types() {
        let out = expansion(&parse_quote!(
            struct Empty {}
        ));
        has(&out, &quote!(let _ = cx.section(<Self as ::phoenix_config::PhoenixConfig>::describe(), node);));
        has(
            &out,
            &quote!(
                fn __validate(&self, _: &mut ::phoenix_config::__private::Validator) {}
            ),
        );
        let out = expansion(&parse_quote! {
            struct Node {
                #[validate(length(max = 3))]
                children: Vec<Box<Self>>,
            }
        });
        assert!(out.contains("fn__rules_children(value:&Vec<Box<Node>>,"), "{out}");
    }
}
