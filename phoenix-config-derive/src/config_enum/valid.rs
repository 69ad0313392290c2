//! Checks of a `ConfigEnum` model: every variant is read by its name alone.

use syn::Fields;

use super::ast::Enum;
use crate::errors::Errors;

/// Records an error on each variant that holds data.
pub(crate) fn check(model: &Enum<'_>, errors: &mut Errors) {
    for variant in &model.variants {
        let shape = match variant.fields {
            Fields::Unit => continue,
            Fields::Named(_) => "{ .. }",
            Fields::Unnamed(_) => "(..)",
        };
        errors.spanned(
            variant.fields,
            format!("`ConfigEnum` needs unit variants, written as their name: `{}{shape}` holds data", variant.ident),
        );
    }
}
