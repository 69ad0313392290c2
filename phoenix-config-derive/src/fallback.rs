//! What the derive emits when the input has errors: the errors, plus stub
//! impls so the rest of the user's crate type-checks and the user sees our
//! errors, not twenty follow-on ones about a missing `PhoenixConfig`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{DeriveInput, parse_quote};

/// The `compile_error!`s of `error` and stub impls of `PhoenixConfig` and
/// `Debug` whose bodies panic (they can never run: the build fails).
pub(crate) fn expand(input: &DeriveInput, error: &syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    let ident = &input.ident;
    let mut generics = input.generics.clone();
    // `PhoenixConfig: 'static`; a generic struct is already an error, this
    // keeps it the only one.
    generics.make_where_clause().predicates.push(parse_quote!(Self: 'static));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let message = format!("`#[derive(PhoenixConfig)]` on `{ident}` did not compile");
    quote! {
        #errors

        #[doc(hidden)]
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::phoenix_config::PhoenixConfig for #ident #ty_generics #where_clause {
                fn describe() -> &'static ::phoenix_config::schema::StructInfo {
                    ::core::panic!(#message)
                }

                fn __build(
                    _: &mut ::phoenix_config::__private::Cx<'_>,
                    _: ::core::option::Option<&::phoenix_config::__private::Node>,
                ) -> ::core::option::Option<Self> {
                    ::core::panic!(#message)
                }

                fn __validate(&self, _: &mut ::phoenix_config::__private::Validator) {
                    ::core::panic!(#message)
                }
            }

            #[automatically_derived]
            impl #impl_generics ::core::fmt::Debug for #ident #ty_generics #where_clause {
                fn fmt(&self, _: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    ::core::panic!(#message)
                }
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::Span;

    use super::*;

    #[test]
    fn emits_the_errors_and_panicking_stubs() {
        let input: DeriveInput = parse_quote!(
            struct Settings<T> {
                t: T,
            }
        );
        let mut error = syn::Error::new(Span::call_site(), "first");
        error.combine(syn::Error::new(Span::call_site(), "second"));
        let out = expand(&input, &error).to_string();
        assert_eq!(out.matches("compile_error").count(), 2, "{out}");
        assert!(
            out.contains("impl < T > :: phoenix_config :: PhoenixConfig for Settings < T > where Self : 'static"),
            "{out}"
        );
        assert!(
            out.contains(":: core :: panic ! (\"`#[derive(PhoenixConfig)]` on `Settings` did not compile\")"),
            "{out}"
        );
        assert!(out.contains(":: core :: fmt :: Debug for Settings"), "{out}");
    }
}
