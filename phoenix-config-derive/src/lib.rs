//! The `#[derive(PhoenixConfig)]` macro of
//! [phoenix-config](https://docs.rs/phoenix-config).
//!
//! An implementation detail: depend on `phoenix-config`, which re-exports
//! the derive and documents its attributes.
//!
//! The derive is a pipeline, one module per stage, each testable with
//! `proc_macro2` alone: `attr` reads our attributes, `ast` builds the
//! typed model of the struct, `valid` checks rules across fields, and
//! `expand` writes the code; on any error, `fallback` emits every error
//! at once with stub impls. `config_enum` is the same pipeline for
//! `#[derive(ConfigEnum)]`.

#![forbid(unsafe_code)]
// No library function above cognitive complexity 10 (clippy.toml sets the
// threshold; CI's `-D warnings` enforces it). Unit tests are exempt: a test
// that walks a table of cases reads best as one function.
#![warn(clippy::cognitive_complexity)]
#![cfg_attr(test, allow(clippy::cognitive_complexity))]

mod ast;
mod attr;
mod config_enum;
mod errors;
mod expand;
mod fallback;
mod krate;
mod suggest;
mod ty;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

use crate::errors::Errors;

/// Derives `PhoenixConfig` and a redacting `Debug` for a settings struct.
///
/// See the `phoenix-config` crate for the attributes: `#[env]`,
/// `#[secret]`, `#[validate]` and `#[config]`.
#[proc_macro_derive(PhoenixConfig, attributes(config, env, secret, validate, serde))]
pub fn derive(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive_config(&input).into()
}

/// Derives `ConfigEnum` for an enum of unit variants read by name (beside
/// serde's `Deserialize`): each variant's doc comment describes its name in
/// the JSON Schema and the generated docs.
///
/// See the `phoenix-config` crate: `#[config(crate = "path")]` and the
/// `#[serde(...)]` keys it handles.
#[proc_macro_derive(ConfigEnum, attributes(config, serde))]
pub fn derive_config_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    config_enum::derive(&input).into()
}

/// The stages, on `proc_macro2` tokens.
fn derive_config(input: &DeriveInput) -> proc_macro2::TokenStream {
    let mut errors = Errors::default();
    let model = ast::Input::from_syn(input, &mut errors);
    if let Some(model) = &model {
        valid::check(model, &mut errors);
    }
    let krate = model.as_ref().and_then(|m| m.attrs.krate.clone());
    let out = match (model, errors.finish()) {
        (Some(model), Ok(())) => expand::expand(&model),
        (_, Err(error)) => fallback::expand(input, &error),
        (None, Ok(())) => {
            let error = syn::Error::new_spanned(&input.ident, "`PhoenixConfig` cannot be derived here");
            fallback::expand(input, &error)
        }
    };
    match krate {
        Some(krate) => krate::replace(out, &krate),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use syn::parse_quote;

    use super::*;

    #[test]
    fn expands_a_valid_struct_and_falls_back_on_errors() {
        let good: DeriveInput = parse_quote!(
            struct S {
                #[config(default = 1)]
                a: u8,
            }
        );
        let out = derive_config(&good).to_string();
        assert!(out.contains("PhoenixConfig for S") && !out.contains("compile_error"), "{out}");

        let bad: DeriveInput = parse_quote! {
            struct S {
                #[validate(zipcod)]
                a: String,
                #[config(defualt = 1)]
                b: u8,
            }
        };
        let out = derive_config(&bad).to_string();
        assert_eq!(out.matches("compile_error").count(), 2, "{out}");
        assert!(out.contains("did you mean `zipcode`?") && out.contains("did you mean `default`?"), "{out}");
        assert!(out.contains("panic"), "{out}");
    }
}
