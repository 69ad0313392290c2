//! A JSON Schema (draft 2020-12) of the YAML files.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::env_table::default_value;
use super::rule::Rule;
use super::ty::{Shape, shape};
use crate::PhoenixConfig;
use crate::schema::{FieldInfo, StructInfo};

/// The JSON Schema of the YAML files of `T`: types, defaults, descriptions,
/// the variables of each key, and the rules JSON Schema can express (ranges,
/// lengths, patterns, enumerations). Unknown keys are refused unless the
/// struct allows them.
///
/// No key is `required`: each file is one layer, and a value may come from
/// another file or a variable. `check` verifies the merged result.
pub fn json_schema<T: PhoenixConfig>() -> Value {
    let info = T::describe();
    let mut head = Map::new();
    head.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
    head.insert("title".into(), json!(info.name));
    head.append(&mut object(info, info.prefix, ""));
    Value::Object(head)
}

fn object(info: &'static StructInfo, prefix: Option<&str>, path: &str) -> Map<String, Value> {
    let mut properties = Map::new();
    for field in info.fields {
        let child = if path.is_empty() { field.name.to_owned() } else { format!("{path}.{}", field.name) };
        let schema = match field.nested_info() {
            Some(nested) => Value::Object(object(nested, prefix, &child)),
            None => leaf(field, prefix, &child),
        };
        properties.insert(field.name.to_owned(), schema);
    }
    let mut out = Map::new();
    out.insert("type".into(), json!("object"));
    if !info.doc.is_empty() {
        out.insert("description".into(), json!(info.doc));
    }
    out.insert("properties".into(), Value::Object(properties));
    out.insert("additionalProperties".into(), json!(info.allow_unknown_keys));
    out
}

fn leaf(field: &FieldInfo, prefix: Option<&str>, path: &str) -> Value {
    let mut map = match shape_schema(&shape(field.ty)) {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let vars = crate::schema::vars_of(field, prefix, path);
    let mut description = field.doc.to_owned();
    if !vars.is_empty() {
        if !description.is_empty() {
            description.push(' ');
        }
        let _ = write!(description, "(variables: {})", vars.join(", "));
    }
    if field.secret {
        description.push_str(" (secret)");
    }
    if !description.is_empty() {
        map.insert("description".into(), json!(description.trim()));
    }
    if let Some(default) = field.default.filter(|_| !field.secret).and_then(default_value) {
        let value = typed(&default, map.get("type"));
        map.insert("default".into(), value);
    }
    let mut out = Value::Object(map);
    for rule in field.rules {
        apply(&Rule::parse(rule), &mut out);
    }
    if field.optional {
        out = json!({ "anyOf": [out, { "type": "null" }] });
    }
    out
}

/// A default's text as the JSON value of the schema's type.
fn typed(text: &str, ty: Option<&Value>) -> Value {
    match ty.and_then(Value::as_str) {
        Some("integer") => text.parse::<i64>().map_or_else(|_| json!(text), |n| json!(n)),
        Some("number") => text.parse::<f64>().map_or_else(|_| json!(text), |n| json!(n)),
        Some("boolean") => text.parse::<bool>().map_or_else(|_| json!(text), |b| json!(b)),
        _ => json!(text),
    }
}

fn shape_schema(shape: &Shape) -> Value {
    match shape {
        Shape::Text => json!({ "type": "string" }),
        Shape::Bool => json!({ "type": "boolean" }),
        Shape::Number => json!({ "type": "number" }),
        Shape::Integer { min, max } => {
            let mut out = json!({ "type": "integer" });
            if let Ok(min) = i64::try_from(*min) {
                out["minimum"] = json!(min);
            }
            match (u64::try_from(*max), i64::try_from(*max)) {
                (_, Ok(max)) => out["maximum"] = json!(max),
                (Ok(max), _) => out["maximum"] = json!(max),
                _ => {}
            }
            out
        }
        Shape::List(item) => json!({ "type": "array", "items": shape_schema(item) }),
        Shape::Map(value) => json!({ "type": "object", "additionalProperties": shape_schema(value) }),
        Shape::Other => json!({}),
    }
}

fn number(text: Option<&str>) -> Option<Value> {
    let text = text?.replace('_', "");
    text.parse::<i64>().map(|n| json!(n)).ok().or_else(|| text.parse::<f64>().ok().map(|n| json!(n)))
}

/// Adds what JSON Schema can say of a rule.
fn apply(rule: &Rule<'_>, schema: &mut Value) {
    let is_array = schema.get("type") == Some(&json!("array"));
    let is_object = schema.get("type") == Some(&json!("object"));
    let Some(map) = schema.as_object_mut() else { return };
    match rule.name {
        "zipcode" => {
            map.insert("pattern".into(), json!("^[0-9]{5}(-[0-9]{4})?$"));
        }
        "url" => {
            map.insert("format".into(), json!("uri"));
        }
        "email" => {
            map.insert("format".into(), json!("email"));
        }
        "port" => {
            map.insert("minimum".into(), json!(1));
            map.insert("maximum".into(), json!(65535));
        }
        "range" => {
            if let Some(min) = number(rule.arg("min")) {
                map.insert("minimum".into(), min);
            }
            if let Some(max) = number(rule.arg("max")) {
                map.insert("maximum".into(), max);
            }
        }
        "length" | "non_empty" => {
            let (min_key, max_key) = if is_array {
                ("minItems", "maxItems")
            } else if is_object {
                ("minProperties", "maxProperties")
            } else {
                ("minLength", "maxLength")
            };
            let (min, max) = if rule.name == "non_empty" {
                (Some(json!(1)), None)
            } else {
                (number(rule.arg("min")), number(rule.arg("max")))
            };
            if let Some(min) = min {
                map.insert(min_key.into(), min);
            }
            if let Some(max) = max {
                map.insert(max_key.into(), max);
            }
        }
        "one_of" => {
            map.insert("enum".into(), json!(rule.strings()));
        }
        "each" => {
            if let Some(items) = map.get_mut("items") {
                for inner in rule.nested() {
                    apply(&inner, items);
                }
            }
        }
        _ => {}
    }
}
