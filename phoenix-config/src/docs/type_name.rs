//! How generated docs name a leaf's type: by what a file or a variable
//! holds, learned from the type's own `Deserialize` (its [`Kind`]), so the
//! name is the same however the Rust type is spelt (`Option<…>`,
//! `Secret<…>`, a path, a type alias): `text`, `u32`, `bool`, `duration`,
//! `size`, `one of debug, info`, `list of u32`, `map of text`. Whether the
//! value is optional or secret is said in its own column.

use crate::schema::{FieldInfo, Kind};

/// The name of a leaf's type; the Rust type as written when its
/// `Deserialize` tells nothing (`serde_json::Value`, an untagged enum).
pub(crate) fn type_name(field: &FieldInfo) -> String {
    match (field.kind)() {
        Kind::Any => field.ty.to_owned(),
        kind => name(&kind),
    }
}

fn name(kind: &Kind) -> String {
    match kind {
        Kind::Text => "text".to_owned(),
        Kind::Bool => "bool".to_owned(),
        Kind::Integer { min, max } => integer(*min, *max),
        Kind::Number => "number".to_owned(),
        Kind::Duration => "duration".to_owned(),
        Kind::ByteSize => "size".to_owned(),
        Kind::Enum(names) => format!("one of {}", names.join(", ")),
        Kind::Struct(fields) => format!("map with keys {}", fields.join(", ")),
        Kind::List(item) => collection("list", item),
        Kind::Map(value) => collection("map", value),
        Kind::Any => "any value".to_owned(),
    }
}

/// `list of u32`; `list, each one of a, b` when the item's name is more
/// than a word.
fn collection(what: &str, item: &Kind) -> String {
    let item = name(item);
    if item.contains(' ') { format!("{what}, each {item}") } else { format!("{what} of {item}") }
}

/// The Rust name of an integer type with these bounds, else the bounds
/// (`NonZeroU16`: `integer from 1 to 65535`).
fn integer(min: i128, max: i128) -> String {
    let named = [
        ("u8", 0, i128::from(u8::MAX)),
        ("u16", 0, i128::from(u16::MAX)),
        ("u32", 0, i128::from(u32::MAX)),
        ("u64", 0, i128::from(u64::MAX)),
        ("i8", i128::from(i8::MIN), i128::from(i8::MAX)),
        ("i16", i128::from(i16::MIN), i128::from(i16::MAX)),
        ("i32", i128::from(i32::MIN), i128::from(i32::MAX)),
        ("i64", i128::from(i64::MIN), i128::from(i64::MAX)),
    ];
    match named.iter().find(|(_, lo, hi)| (*lo, *hi) == (min, max)) {
        Some((name, ..)) => (*name).to_owned(),
        None => format!("integer from {min} to {max}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_one_spelling_each() {
        let list = |kind| Kind::List(Box::new(kind));
        let cases = [
            (Kind::Text, "text"),
            (Kind::Integer { min: 0, max: 4_294_967_295 }, "u32"),
            (Kind::Integer { min: -128, max: 127 }, "i8"),
            (Kind::Integer { min: 1, max: 65_535 }, "integer from 1 to 65535"),
            (Kind::Duration, "duration"),
            (Kind::ByteSize, "size"),
            (Kind::Enum(&["debug", "info"]), "one of debug, info"),
            (list(Kind::Integer { min: 0, max: 4_294_967_295 }), "list of u32"),
            (list(Kind::Enum(&["a", "b"])), "list, each one of a, b"),
            (Kind::Map(Box::new(Kind::Duration)), "map of duration"),
            (Kind::Struct(&["host", "port"]), "map with keys host, port"),
            (list(list(Kind::Bool)), "list, each list of bool"),
        ];
        for (kind, expected) in cases {
            assert_eq!(name(&kind), expected, "{kind:?}");
        }
    }
}
