//! `#[config(crate = "path")]`: the generated code names the runtime as
//! `::phoenix_config`; for a renamed or re-exported dependency every such
//! path is rewritten to start with the given path instead.

use proc_macro2::{Group, Spacing, TokenStream, TokenTree};
use quote::ToTokens;

/// `tokens` with every `::phoenix_config` replaced by `krate` (spans kept:
/// the path's own where it was written by the user).
pub(crate) fn replace(tokens: TokenStream, krate: &syn::Path) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut i = 0;
    while i < trees.len() {
        if starts_runtime_path(&trees[i..]) {
            out.extend(krate.to_token_stream());
            i += 3;
            continue;
        }
        match &trees[i] {
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), replace(group.stream(), krate));
                inner.set_span(group.span());
                out.extend([TokenTree::Group(inner)]);
            }
            other => out.extend([other.clone()]),
        }
        i += 1;
    }
    out
}

/// `::` `phoenix_config`: a joint `:`, a `:`, the crate's name.
fn starts_runtime_path(trees: &[TokenTree]) -> bool {
    match trees {
        [TokenTree::Punct(a), TokenTree::Punct(b), TokenTree::Ident(name), ..] => {
            a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':' && name == "phoenix_config"
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn rewrites_every_runtime_path_inside_groups_too() {
        let krate: syn::Path = syn::parse_quote!(deps::phoenix);
        let out = replace(quote!(::phoenix_config::A { x: ::phoenix_config::b::C, y: ::other::D }), &krate);
        assert_eq!(out.to_string(), quote!(deps::phoenix::A { x: deps::phoenix::b::C, y: ::other::D }).to_string());
    }
}
