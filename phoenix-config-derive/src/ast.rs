//! The typed model of a settings struct: its fields with their attributes
//! and what their types say (optional, secret).

use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Ident, Type};

use crate::attr::{self, ContainerAttrs, FieldAttrs};
use crate::errors::Errors;
use crate::ty::{self, Mode, pretty};

/// A settings struct.
pub(crate) struct Input<'a> {
    /// The struct's name.
    pub(crate) ident: &'a Ident,
    /// The struct's name as text.
    pub(crate) name: String,
    /// `#[config(...)]` on the struct, and its doc comment.
    pub(crate) attrs: ContainerAttrs,
    /// The fields, in declaration order.
    pub(crate) fields: Vec<Field<'a>>,
}

/// One field of a settings struct.
pub(crate) struct Field<'a> {
    /// The field's name in Rust.
    pub(crate) member: &'a Ident,
    /// The key in files and the segment of the path (`r#type` → `type`).
    pub(crate) name: String,
    /// The type.
    pub(crate) ty: &'a Type,
    /// The type as written, pretty-printed.
    pub(crate) ty_text: String,
    /// The type is an `Option`: the field may be absent.
    pub(crate) optional: bool,
    /// `#[secret]`, or a `Secret<T>` type.
    pub(crate) secret: bool,
    /// Our attributes on the field.
    pub(crate) attrs: FieldAttrs,
}

impl<'a> Input<'a> {
    /// The model of `input`, or `None` when it is not a struct with named
    /// fields. Attribute errors are recorded and the model is built anyway,
    /// so later stages can report their errors too.
    pub(crate) fn from_syn(input: &'a DeriveInput, errors: &mut Errors) -> Option<Self> {
        let attrs = attr::container(&input.attrs, errors);
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(fields) => &fields.named,
                Fields::Unnamed(fields) => {
                    errors.spanned(fields, "`PhoenixConfig` needs named fields: each field is a setting with a key");
                    return None;
                }
                Fields::Unit => {
                    errors.spanned(
                        &input.ident,
                        "`PhoenixConfig` needs named fields: each field is a setting with a key",
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                errors.spanned(data.enum_token, "`PhoenixConfig` can only be derived for a struct with named fields");
                return None;
            }
            Data::Union(data) => {
                errors.spanned(data.union_token, "`PhoenixConfig` can only be derived for a struct with named fields");
                return None;
            }
        };
        if !input.generics.params.is_empty() {
            errors.spanned(
                &input.generics,
                "`PhoenixConfig` cannot be derived for a generic struct: a settings struct has no type or lifetime parameters",
            );
        } else if let Some(clause) = &input.generics.where_clause {
            errors.spanned(clause, "`PhoenixConfig` cannot be derived for a struct with a `where` clause");
        }
        let fields = fields
            .iter()
            .filter_map(|field| {
                if let Some((eq, value)) = &field.default {
                    errors.spanned(
                        quote::quote!(#eq #value),
                        "default field values are not read by `PhoenixConfig`: use `#[config(default = …)]`",
                    );
                }
                let member = field.ident.as_ref()?;
                let attrs = attr::field(&field.attrs, errors);
                Some(Field {
                    member,
                    name: attrs.rename.as_ref().map_or_else(|| member.unraw().to_string(), syn::LitStr::value),
                    ty: &field.ty,
                    ty_text: pretty(field.ty.to_token_stream(), Mode::Type),
                    optional: ty::option_inner(&field.ty).is_some(),
                    secret: attrs.secret.is_some() || ty::is_secret(&field.ty),
                    attrs,
                })
            })
            .collect();
        Some(Input { ident: &input.ident, name: input.ident.unraw().to_string(), attrs, fields })
    }
}

impl Field<'_> {
    /// The type rules check: the `T` of an `Option<T>` field, else the type.
    pub(crate) fn checked_type(&self) -> &Type {
        if self.optional { ty::option_inner(self.ty).unwrap_or(self.ty) } else { self.ty }
    }

    /// Whether the field is a `#[config(nested)]` section.
    pub(crate) fn is_nested(&self) -> bool {
        self.attrs.nested.is_some()
    }
}

#[cfg(test)]
mod tests {
    use syn::parse_quote;

    use super::*;

    fn messages(errors: Errors) -> Vec<String> {
        errors.finish().err().map(|e| e.into_iter().map(|e| e.to_string()).collect()).unwrap_or_default()
    }

    #[test]
    fn reads_fields_docs_and_type_facts() {
        let input: DeriveInput = parse_quote! {
            /// The database.
            ///
            ///   Second line.
            #[config(prefix = "APP", allow_unknown_keys)]
            struct Database {
                /// Where it is.
                #[env("MONGODB_URI", alias = "DB_URI")]
                uri: String,
                password: Option<Secret<String>>,
                #[secret]
                token: Option<String>,
                r#type: u8,
                #[config(nested)]
                pool: Pool,
            }
        };
        let mut errors = Errors::default();
        let model = Input::from_syn(&input, &mut errors).unwrap();
        assert!(messages(errors).is_empty());
        check_container(&model);
        check_fields(&model);
    }

    fn check_container(model: &Input<'_>) {
        assert_eq!(model.name, "Database");
        assert_eq!(model.attrs.doc, "The database. Second line.");
        assert_eq!(model.attrs.prefix.as_ref().unwrap().value(), "APP");
        assert!(model.attrs.allow_unknown_keys);
    }

    fn check_fields(model: &Input<'_>) {
        let names: Vec<&str> = model.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["uri", "password", "token", "type", "pool"]);
        let uri = &model.fields[0];
        assert_eq!(uri.attrs.doc, "Where it is.");
        let env: Vec<String> = uri.attrs.env.as_ref().unwrap().names.iter().map(syn::LitStr::value).collect();
        assert_eq!(env, ["MONGODB_URI", "DB_URI"]);
        assert!(!uri.optional && !uri.secret);
        let password = &model.fields[1];
        assert!(password.optional && password.secret);
        assert_eq!(password.ty_text, "Option<Secret<String>>");
        assert!(model.fields[2].secret && model.fields[2].optional);
        assert!(model.fields[4].is_nested());
    }

    #[test]
    fn rejects_what_is_not_a_plain_struct() {
        let cases: [(DeriveInput, &str); 4] = [
            (
                parse_quote!(
                    enum E {
                        A,
                    }
                ),
                "can only be derived for a struct with named fields",
            ),
            (
                parse_quote!(
                    struct T(u8);
                ),
                "needs named fields",
            ),
            (
                parse_quote!(
                    struct U;
                ),
                "needs named fields",
            ),
            (
                parse_quote!(
                    struct G<T> {
                        t: T,
                    }
                ),
                "cannot be derived for a generic struct",
            ),
        ];
        for (input, expected) in cases {
            let mut errors = Errors::default();
            let _ = Input::from_syn(&input, &mut errors);
            let messages = messages(errors);
            assert_eq!(messages.len(), 1, "{messages:?}");
            assert!(messages[0].contains(expected), "{messages:?}");
        }
    }
}
