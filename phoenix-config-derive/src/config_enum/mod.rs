//! `#[derive(ConfigEnum)]`: the doc comment of each variant of an enum read
//! by name, for generated docs and editors. The same pipeline as the
//! settings derive, one module per stage: `attr` reads the attributes (our
//! `#[config(crate)]`, and serde's, each key handled or refused), `ast`
//! builds the model, `valid` checks it, `expand` writes the impl.

mod ast;
mod attr;
mod expand;
mod valid;

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::errors::Errors;

/// The stages, on `proc_macro2` tokens: the impl, or every error at once
/// (no stub: nothing needs the impl to type-check the rest of the crate).
pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let model = ast::Enum::from_syn(input, &mut errors);
    if let Some(model) = &model {
        valid::check(model, &mut errors);
    }
    match (model, errors.finish()) {
        (Some(model), Ok(())) => {
            let out = expand::expand(&model);
            match &model.attrs.krate {
                Some(krate) => crate::krate::replace(out, krate),
                None => out,
            }
        }
        (_, Err(error)) => error.to_compile_error(),
        (None, Ok(())) => {
            syn::Error::new_spanned(&input.ident, "`ConfigEnum` cannot be derived here").to_compile_error()
        }
    }
}

#[cfg(test)]
mod tests {
    use syn::parse_quote;

    use super::*;

    #[test]
    fn derives_the_impl_or_reports_every_error() {
        let good: DeriveInput = parse_quote! {
            #[serde(rename_all = "lowercase")]
            enum Level {
                /// Everything.
                Trace,
                Info,
            }
        };
        let out = derive(&good).to_string();
        assert!(out.contains("ConfigEnum for Level") && !out.contains("compile_error"), "{out}");

        let bad: DeriveInput = parse_quote! {
            #[serde(tag = "t")]
            enum Level {
                Trace(u8),
                #[serde(with = "m")]
                Info,
            }
        };
        let out = derive(&bad).to_string();
        assert_eq!(out.matches("compile_error").count(), 3, "{out}");
    }
}
