//! PLACEHOLDER: the derive is being written.
use proc_macro::TokenStream;

/// PLACEHOLDER
#[proc_macro_derive(PhoenixConfig, attributes(config, env, secret, validate))]
pub fn derive(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
