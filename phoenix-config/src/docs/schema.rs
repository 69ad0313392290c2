//! A JSON Schema (draft 2020-12) of the YAML files.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::env_table::default_value;
use super::ty::{Shape, shape};
use crate::PhoenixConfig;
use crate::schema::{FieldInfo, Nested, Rule, SectionShape, StructInfo};

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
    head.insert("$comment".into(), json!(super::env_table::files_read(info).replace('`', "")));
    head.append(&mut object(info, Scope { prefix: info.prefix, in_collection: false }, ""));
    Value::Object(head)
}

/// What the keys below a point of the tree answer to: the root's prefix,
/// and whether they are inside a list or a map of sections (then only the
/// automatic name, as a pattern: `PHOENIX_PROXY_FALLBACKS_<N>_HOST`).
#[derive(Clone, Copy)]
struct Scope<'p> {
    prefix: Option<&'p str>,
    in_collection: bool,
}

impl Scope<'_> {
    fn vars(self, field: &FieldInfo, path: &str) -> Vec<String> {
        match self.prefix {
            Some(prefix) if self.in_collection => vec![crate::schema::automatic_var(prefix, path)],
            _ => crate::schema::vars_of(field, self.prefix, path),
        }
    }
}

fn object(info: &'static StructInfo, scope: Scope<'_>, path: &str) -> Map<String, Value> {
    let mut properties = Map::new();
    for field in info.fields {
        let child = if path.is_empty() { field.name.to_owned() } else { format!("{path}.{}", field.name) };
        let schema = match field.nested {
            Some(nested) => section(field, nested, scope, &child),
            None => leaf(field, scope, &child),
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

/// A `#[config(nested)]` field: the section's object, or a list, a map or
/// an optional one of it, described by the field's doc comment (else the
/// section's).
fn section(field: &FieldInfo, nested: Nested, scope: Scope<'_>, path: &str) -> Value {
    let info = (nested.info)();
    let items = Scope { in_collection: true, ..scope };
    let mut out = match nested.shape {
        SectionShape::One | SectionShape::Boxed => object(info, scope, path),
        SectionShape::Optional => {
            let mut item = object(info, scope, path);
            item.insert("type".into(), json!(["object", "null"]));
            item
        }
        SectionShape::List => {
            let item = object(info, items, &format!("{path}[<n>]"));
            json!({ "type": "array", "items": item }).as_object().cloned().unwrap_or_default()
        }
        SectionShape::Map => {
            let item = object(info, items, &format!("{path}.<key>"));
            json!({ "type": "object", "additionalProperties": item }).as_object().cloned().unwrap_or_default()
        }
    };
    let mut description = if field.doc.is_empty() { info.doc.to_owned() } else { field.doc.to_owned() };
    if let (Some(prefix), true) = (scope.prefix, nested.shape.is_collection()) {
        let whole = crate::schema::automatic_var(prefix, path);
        let _ = write!(
            description,
            " (variables: {whole} for all of it, {whole}_{}_… for one item)",
            nested.shape.var_placeholder().unwrap_or_default()
        );
    }
    if !description.is_empty() {
        out.insert("description".into(), json!(description.trim()));
    }
    Value::Object(out)
}

fn leaf(field: &FieldInfo, scope: Scope<'_>, path: &str) -> Value {
    let mut map = match shape_schema(&shape(field.ty)) {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let vars = scope.vars(field, path);
    let mut description = field.doc.to_owned();
    if !vars.is_empty() {
        if !description.is_empty() {
            description.push(' ');
        }
        let _ = write!(description, "(variables: {})", vars.join(", "));
    }
    if field.is_secret() {
        description.push_str(" (secret)");
    }
    if !description.is_empty() {
        map.insert("description".into(), json!(description.trim()));
    }
    if let Some(default) = field.default.filter(|_| !field.is_secret()).and_then(default_value) {
        let value = typed(&default, map.get("type"));
        map.insert("default".into(), value);
    }
    let mut out = Value::Object(map);
    for rule in field.rules {
        apply(rule, &mut out);
    }
    out = accept_interpolation(out);
    if field.optional {
        out = json!({ "anyOf": [out, { "type": "null" }] });
    }
    out
}

/// A file value holding `${…}` is text until interpolation (`port: ${PORT}`
/// fills a number): a value that is not free text also accepts such a
/// string, keeping its own keywords where they are (number keywords do not
/// apply to strings). Lists and maps accept it in their items (a whole list
/// written as one `${…}` is not described), so an error still points at the item.
fn accept_interpolation(mut schema: Value) -> Value {
    const INTERPOLATED: &str = "\\$\\{";
    let ty = schema.get("type").and_then(Value::as_str).unwrap_or_default().to_owned();
    let Some(map) = schema.as_object_mut() else { return schema };
    let inner = if ty == "array" { "items" } else { "additionalProperties" };
    if let Some(item) = map.get_mut(inner).filter(|_| ty == "array" || ty == "object") {
        *item = accept_interpolation(item.take());
    } else if let Some(choice) = map.remove("enum").or_else(|| map.remove("pattern").map(|p| json!(p))) {
        let key = if choice.is_array() { "enum" } else { "pattern" };
        map.insert("anyOf".into(), json!([{ key: choice }, { "type": "string", "pattern": INTERPOLATED }]));
    } else if matches!(ty.as_str(), "integer" | "number" | "boolean") {
        map.insert("type".into(), json!([ty, "string"]));
        map.insert("pattern".into(), json!(INTERPOLATED));
    }
    schema
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
        Shape::Duration => json!({ "type": "string", "pattern": crate::units::DURATION_PATTERN }),
        Shape::ByteSize => json!({
            "anyOf": [{ "type": "string", "pattern": crate::units::BYTE_SIZE_PATTERN }, { "type": "integer", "minimum": 0 }]
        }),
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

/// A bound as JSON: an integer when it is one (`1`, not `1.0`).
fn bound(value: f64) -> Value {
    if value.fract().abs() < f64::EPSILON && value.abs() < 9.0e15 {
        #[allow(clippy::cast_possible_truncation)]
        let whole = value as i64;
        json!(whole)
    } else {
        json!(value)
    }
}

/// The keywords bounding a value's size: characters, items or entries.
fn size_keys(schema: &Map<String, Value>) -> (&'static str, &'static str) {
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => ("minItems", "maxItems"),
        Some("object") => ("minProperties", "maxProperties"),
        _ => ("minLength", "maxLength"),
    }
}

fn insert_some(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.to_owned(), value);
    }
}

/// Adds what JSON Schema can say of a rule.
fn apply(rule: &Rule, schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else { return };
    match *rule {
        Rule::Zipcode => insert_some(map, "pattern", Some(json!("^[0-9]{5}(-[0-9]{4})?$"))),
        Rule::Url => insert_some(map, "format", Some(json!("uri"))),
        Rule::Email => insert_some(map, "format", Some(json!("email"))),
        Rule::Port => {
            map.insert("minimum".into(), json!(1));
            map.insert("maximum".into(), json!(65535));
        }
        Rule::Range { min, max } => {
            insert_some(map, "minimum", min.map(bound));
            insert_some(map, "maximum", max.map(bound));
        }
        Rule::NonEmpty => {
            let (min_key, _) = size_keys(map);
            map.insert(min_key.into(), json!(1));
        }
        Rule::Length { min, max } => {
            let (min_key, max_key) = size_keys(map);
            insert_some(map, min_key, min.map(|n| json!(n)));
            insert_some(map, max_key, max.map(|n| json!(n)));
        }
        Rule::OneOf(values) => insert_some(map, "enum", Some(json!(values))),
        Rule::Each(rules) => {
            if let Some(items) = map.get_mut("items") {
                for inner in rules {
                    apply(inner, items);
                }
            }
        }
        // A user's function and an environment's requirement have no JSON Schema keyword.
        Rule::Custom(_) | Rule::RequiredIn(_) => {}
    }
}
