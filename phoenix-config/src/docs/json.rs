//! A YAML file as the JSON value its JSON Schema describes.

use std::sync::Arc;

use serde_json::{Map, Number, Value};

use crate::node::{Node, NodeKind, ScalarStyle};
use crate::{ConfigError, Issue, IssueKind, Limits, Origin};

/// Reads YAML text as the JSON value that [`json_schema`](super::json_schema)
/// describes, to check a file against the schema with any JSON Schema
/// validator. Plain scalars are typed by the YAML 1.2 core schema (`5` is a
/// number, `true` a boolean, `~` null); quoted and block scalars are strings.
/// An empty file is an empty object.
///
/// ```
/// use phoenix_config::docs::yaml_to_json;
///
/// let value = yaml_to_json("config/base.yaml", "port: 80\nzips: ['85001']\n")?;
/// assert_eq!(value["port"], 80);
/// assert_eq!(value["zips"][0], "85001");
/// # Ok::<(), phoenix_config::ConfigError>(())
/// ```
pub fn yaml_to_json(name: &str, text: &str) -> Result<Value, ConfigError> {
    let path: Arc<str> = name.into();
    match crate::yaml::parse(text.as_bytes(), &path, &Limits::default()) {
        Ok(Some(node)) => convert(&node),
        Ok(None) => Ok(Value::Object(Map::new())),
        Err(issues) => Err(ConfigError::from_issues(issues)),
    }
}

fn convert(node: &Node) -> Result<Value, ConfigError> {
    Ok(match &node.kind {
        NodeKind::Null => Value::Null,
        NodeKind::Scalar { text, style: ScalarStyle::Plain } => plain(text, &node.origin)?,
        NodeKind::Scalar { text, .. } => Value::String(text.to_string()),
        NodeKind::Seq(items) => Value::Array(items.iter().map(convert).collect::<Result<_, _>>()?),
        NodeKind::Map(entries) => {
            let mut map = Map::new();
            for entry in entries {
                map.insert(entry.key.to_string(), convert(&entry.value)?);
            }
            Value::Object(map)
        }
    })
}

/// A plain scalar typed by the YAML 1.2 core schema.
fn plain(text: &str, origin: &Origin) -> Result<Value, ConfigError> {
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => {
            if let Ok(n) = text.parse::<i64>() {
                Value::Number(n.into())
            } else if let Ok(n) = text.parse::<u64>() {
                Value::Number(n.into())
            } else if let Some(n) = float(text) {
                Value::Number(Number::from_f64(n).ok_or_else(|| not_json(text, origin))?)
            } else {
                Value::String(text.to_owned())
            }
        }
    })
}

/// A YAML core-schema float: digits with a dot or an exponent (`.inf` and
/// `.nan` have no JSON equivalent and are reported).
fn float(text: &str) -> Option<f64> {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(body, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    let numeric = body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'));
    if numeric { text.parse().ok() } else { None }
}

fn not_json(text: &str, origin: &Origin) -> ConfigError {
    ConfigError::single(
        Issue::new(IssueKind::Invalid, "", format!("`{text}` has no JSON equivalent")).with_origin(origin.clone()),
    )
}
