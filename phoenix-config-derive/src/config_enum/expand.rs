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
    quote! {
        #[automatically_derived]
        impl #impl_generics ::phoenix_config::ConfigEnum for #ident #ty_generics #where_clause {
            fn variant_doc(&self) -> &'static str {
                match *self {
                    #(#arms)*
                }
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
    }
}
