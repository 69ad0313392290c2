//! Collects every error of one derive so they are all reported at once.

use std::fmt::Display;

use proc_macro2::Span;
use quote::ToTokens;

/// The errors found so far, joined with [`syn::Error::combine`].
#[derive(Default)]
pub(crate) struct Errors {
    error: Option<syn::Error>,
}

impl Errors {
    /// Records an error.
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.error {
            Some(first) => first.combine(error),
            None => self.error = Some(error),
        }
    }

    /// Records an error on `span`.
    pub(crate) fn at(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Records an error spanning `tokens`.
    pub(crate) fn spanned(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// How many errors have been recorded (to tell whether a step added one).
    pub(crate) fn count(&self) -> usize {
        self.error.as_ref().map_or(0, |e| e.clone().into_iter().count())
    }

    /// `Ok` when nothing was recorded, else every error as one.
    pub(crate) fn finish(self) -> syn::Result<()> {
        self.error.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combines_every_error() {
        let mut errors = Errors::default();
        assert_eq!(errors.count(), 0);
        errors.at(Span::call_site(), "first");
        errors.at(Span::call_site(), "second");
        assert_eq!(errors.count(), 2);
        let messages: Vec<String> = errors.finish().unwrap_err().into_iter().map(|e| e.to_string()).collect();
        assert_eq!(messages, ["first", "second"]);
        assert!(Errors::default().finish().is_ok());
    }
}
