//! What a field's type, as written, means for documentation.

/// The documented shape of a type.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Shape {
    Text,
    Bool,
    /// An integer, with the type's own bounds.
    Integer {
        min: i128,
        max: i128,
    },
    Number,
    /// `std::time::Duration`: text like `5s`.
    Duration,
    /// `ByteSize`: text like `10MB`, or a number of bytes.
    ByteSize,
    List(Box<Shape>),
    Map(Box<Shape>),
    /// A type we cannot see into (a user enum or struct).
    Other,
}

/// Splits `Name<args>` into the last path segment of `Name` and `args`.
fn generic(ty: &str) -> (&str, Option<&str>) {
    let ty = ty.trim();
    match ty.find('<') {
        Some(open) if ty.ends_with('>') => {
            let name = &ty[..open];
            (name.rsplit("::").next().unwrap_or(name).trim(), Some(&ty[open + 1..ty.len() - 1]))
        }
        _ => (ty.rsplit("::").next().unwrap_or(ty).trim(), None),
    }
}

/// Splits generic arguments at top-level commas.
fn args(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(text[start..].trim());
    out
}

/// The inner type of `Option<T>` / `Secret<T>` wrappers, and whether an `Option` was seen.
pub(crate) fn unwrap(ty: &str) -> (&str, bool) {
    let mut ty = ty.trim();
    let mut optional = false;
    loop {
        match generic(ty) {
            ("Option", Some(inner)) => {
                optional = true;
                ty = inner.trim();
            }
            ("Secret" | "Box", Some(inner)) => ty = inner.trim(),
            _ => return (ty, optional),
        }
    }
}

/// The shape of a type as written (`Vec<String>`, `Option<u32>`, `std::path::PathBuf`).
pub(crate) fn shape(ty: &str) -> Shape {
    let (ty, _) = unwrap(ty);
    let (name, inner) = generic(ty);
    match (name, inner) {
        ("Vec" | "VecDeque" | "HashSet" | "BTreeSet", Some(inner)) => Shape::List(Box::new(shape(inner))),
        ("HashMap" | "BTreeMap" | "IndexMap", Some(inner)) => {
            Shape::Map(Box::new(args(inner).get(1).map_or(Shape::Other, |v| shape(v))))
        }
        (
            "String" | "str" | "&str" | "PathBuf" | "Path" | "OsString" | "Url" | "char" | "IpAddr" | "SocketAddr",
            None,
        ) => Shape::Text,
        ("bool", None) => Shape::Bool,
        ("Duration", None) => Shape::Duration,
        ("ByteSize", None) => Shape::ByteSize,
        ("f32" | "f64", None) => Shape::Number,
        (int, None) => integer(int).map_or(Shape::Other, |(min, max)| Shape::Integer { min, max }),
        _ => Shape::Other,
    }
}

fn integer(name: &str) -> Option<(i128, i128)> {
    Some(match name {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" | "usize" => (0, u64::MAX.into()),
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_common_types() {
        let cases = [
            ("String", Shape::Text),
            ("Option<Secret<String>>", Shape::Text),
            ("std::path::PathBuf", Shape::Text),
            ("u16", Shape::Integer { min: 0, max: 65535 }),
            ("Vec<String>", Shape::List(Box::new(Shape::Text))),
            ("HashMap<String, Vec<u8>>", Shape::Map(Box::new(Shape::List(Box::new(shape("u8")))))),
            ("LogLevel", Shape::Other),
            ("Option<std::time::Duration>", Shape::Duration),
            ("phoenix_config::ByteSize", Shape::ByteSize),
        ];
        for (ty, expected) in cases {
            assert_eq!(shape(ty), expected, "{ty}");
        }
        assert_eq!(unwrap("Option<u32>"), ("u32", true));
    }
}
