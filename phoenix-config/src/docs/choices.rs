//! The names an enum leaf takes, with what each means (its variant's doc
//! comment, when the enum derives [`ConfigEnum`](crate::ConfigEnum)), for
//! the `.env` example, the YAML template and the table of variables.

use crate::schema::{FieldInfo, Kind};

/// `trace (Everything), debug (Diagnostics), …` for a leaf that is an enum,
/// or an `Option`, list or map of one; `None` for any other leaf.
pub(crate) fn choices(field: &FieldInfo) -> Option<String> {
    let names = enum_names(&(field.kind)())?;
    let listed: Vec<String> = names
        .iter()
        .map(|name| match (field.variant_doc)(name).map(|doc| doc.trim_end_matches('.')) {
            Some(doc) if !doc.is_empty() => format!("{name} ({doc})"),
            _ => (*name).to_owned(),
        })
        .collect();
    Some(listed.join(", "))
}

/// The names of an enum kind, seen through lists and maps.
fn enum_names(kind: &Kind) -> Option<&'static [&'static str]> {
    match kind {
        Kind::Enum(names) => Some(names),
        Kind::List(inner) | Kind::Map(inner) => enum_names(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::de::of_type::no_secret;

    fn field(kind: fn() -> Kind, variant_doc: fn(&str) -> Option<&'static str>) -> FieldInfo {
        FieldInfo {
            name: "level",
            doc: "",
            ty: "Level",
            env: &[],
            default: None,
            secret: false,
            holds_secret: no_secret,
            optional: false,
            kind,
            variant_doc,
            nested: None,
            rules: &[],
        }
    }

    #[test]
    fn lists_the_names_with_their_doc_comments_when_known() {
        let described = field(
            || Kind::List(Box::new(Kind::Enum(&["debug", "info"]))),
            |name| (name == "debug").then_some("Diagnostics."),
        );
        assert_eq!(choices(&described).as_deref(), Some("debug (Diagnostics), info"));
        let plain = field(|| Kind::Enum(&["a", "b"]), crate::config_enum::no_variant_doc);
        assert_eq!(choices(&plain).as_deref(), Some("a, b"));
        assert_eq!(choices(&field(|| Kind::Text, crate::config_enum::no_variant_doc)), None);
    }
}
