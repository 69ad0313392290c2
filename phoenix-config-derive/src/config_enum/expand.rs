//! The code of a `ConfigEnum`: `variant_doc` as a match on the variant.

use proc_macro2::TokenStream;
use quote::quote;

use super::ast::Enum;

/// `impl ConfigEnum`.
pub(crate) fn expand(model: &Enum<'_>) -> TokenStream {
    let ident = model.ident;
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    let arms = model.variants.iter().map(|v| {
        let variant = v.ident;
        let doc = &v.doc;
        quote!(Self::#variant => #doc,)
    });
    let aliases = aliases(model);
    quote! {
        #[automatically_derived]
        impl #impl_generics ::phoenix_config::ConfigEnum for #ident #ty_generics #where_clause {
            fn variant_doc(&self) -> &'static str {
                match *self {
                    #(#arms)*
                }
            }
            #aliases
        }
    }
}

/// `variant_aliases`, when a variant has `#[serde(alias = "…")]`.
fn aliases(model: &Enum<'_>) -> TokenStream {
    if model.variants.iter().all(|v| v.aliases.is_empty()) {
        return TokenStream::new();
    }
    let arms = model.variants.iter().filter(|v| !v.aliases.is_empty()).map(|v| {
        let variant = v.ident;
        let aliases = &v.aliases;
        quote!(Self::#variant => &[#(#aliases),*],)
    });
    quote! {
        fn variant_aliases(&self) -> &'static [&'static str] {
            #[allow(unreachable_patterns)]
            match *self {
                #(#arms)*
                _ => &[],
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use syn::{DeriveInput, parse_quote};

    use super::*;
    use crate::errors::Errors;

    #[test]
    fn matches_each_variant_to_its_doc_comment() {
        let input: DeriveInput = parse_quote! {
            enum Level {
                /// Everything,
                /// line by line.
                Trace,
                Info,
            }
        };
        let model = Enum::from_syn(&input, &mut Errors::default()).unwrap();
        let out = expand(&model).to_string();
        let arms = quote!(Self::Trace => "Everything, line by line.", Self::Info => "",).to_string();
        assert!(out.contains(&arms), "{out}");
        assert!(!out.contains("variant_aliases"), "{out}");
    }

    #[test]
    fn lists_the_aliases_of_the_variants_that_have_some() {
        let input: DeriveInput = parse_quote! {
            enum Level {
                #[serde(rename = "error", alias = "err", alias = "e")]
                Error,
                Info,
            }
        };
        let model = Enum::from_syn(&input, &mut Errors::default()).unwrap();
        let out = expand(&model).to_string();
        let arms = quote!(match *self {
            Self::Error => &["err", "e"],
            _ => &[],
        })
        .to_string();
        assert!(out.contains(&arms), "{out}");
    }
}
