//! A JSON Schema (draft 2020-12) of the YAML files.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use crate::PhoenixConfig;
use crate::schema::{FieldInfo, Kind, Nested, Rule, SectionShape, StructInfo};

/// The JSON Schema of the YAML files of `T`: types, defaults, examples,
/// titles and descriptions, the variables of each key, and the rules JSON
/// Schema can express (ranges, lengths, patterns, enumerations). Unknown
/// keys are refused unless the struct allows them. Made for editors too
/// (tried with yaml-language-server, `tests/editor/`): `markdownDescription`,
/// `patternErrorMessage`, and for an enum that derives
/// [`ConfigEnum`](crate::ConfigEnum) each name's doc comment as
/// `enumDescriptions`.
///
/// No key is `required`: each file is one layer, and a value may come from
/// another file or a variable. `check` verifies the merged result. A key
/// with `required_in(..)` says so in its description; see
/// [`json_schema_for`] for a schema that requires them.
pub fn json_schema<T: PhoenixConfig>() -> Value {
    schema_of(T::describe(), None)
}

/// Like [`json_schema`], for one environment: the keys with
/// `required_in(..)` that environment are `required` (with the sections
/// holding them), for a file that holds every value of that environment
/// (`schema --env production`).
pub fn json_schema_for<T: PhoenixConfig>(environment: crate::Environment) -> Value {
    schema_of(T::describe(), Some(environment.as_str()))
}

fn schema_of(info: &'static StructInfo, environment: Option<&str>) -> Value {
    let mut head = Map::new();
    head.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
    head.insert("title".into(), json!(info.name));
    head.insert("$comment".into(), json!(super::env_table::files_read(info).replace('`', "")));
    head.append(&mut object(info, Scope { prefix: info.prefix, in_collection: false, environment }, ""));
    Value::Object(head)
}

/// What the keys below a point of the tree answer to: the root's prefix,
/// and whether they are inside a list or a map of sections (then only the
/// automatic name, as a pattern: `PHOENIX_PROXY_FALLBACKS_<N>_HOST`); and
/// the environment whose `required_in` keys are required, if any.
#[derive(Clone, Copy)]
struct Scope<'p> {
    prefix: Option<&'p str>,
    in_collection: bool,
    environment: Option<&'p str>,
}

impl Scope<'_> {
    fn vars(self, field: &FieldInfo, path: &str) -> Vec<String> {
        match self.prefix {
            Some(prefix) if self.in_collection => vec![crate::schema::automatic_var(prefix, path)],
            _ => crate::schema::vars_of(field, self.prefix, path),
        }
    }

    /// Whether `field` must be in a file of the scope's environment: a leaf
    /// `required_in` it, or a single section with such a key.
    fn requires(self, field: &FieldInfo, schema: &Value) -> bool {
        let Some(environment) = self.environment else { return false };
        match field.section_shape() {
            None => required_in(field).is_some_and(|names| names.contains(&environment)),
            Some(SectionShape::One | SectionShape::Boxed) => {
                schema.get("required").and_then(Value::as_array).is_some_and(|r| !r.is_empty())
            }
            Some(SectionShape::Optional | SectionShape::List | SectionShape::Map) => false,
        }
    }
}

fn object(info: &'static StructInfo, scope: Scope<'_>, path: &str) -> Map<String, Value> {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in info.fields {
        let child = if path.is_empty() { field.name.to_owned() } else { format!("{path}.{}", field.name) };
        let schema = match field.nested {
            Some(nested) => section(field, nested, scope, &child),
            None => leaf(field, scope, &child),
        };
        if scope.requires(field, &schema) {
            required.push(json!(field.name));
        }
        properties.insert(field.name.to_owned(), schema);
    }
    let mut out = Map::new();
    out.insert("type".into(), json!("object"));
    if !info.doc.is_empty() {
        out.insert("description".into(), json!(info.doc));
    }
    out.insert("properties".into(), Value::Object(properties));
    out.insert("additionalProperties".into(), json!(info.allow_unknown_keys));
    if !required.is_empty() {
        out.insert("required".into(), Value::Array(required));
    }
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
    let mut description = Described::new(if field.doc.is_empty() { info.doc } else { field.doc });
    if let (Some(prefix), true) = (scope.prefix, nested.shape.is_collection()) {
        let whole = crate::schema::automatic_var(prefix, path);
        let item = format!("{whole}_{}_…", nested.shape.var_placeholder().unwrap_or_default());
        description.variables("(variables: ", &[whole], " for all of it, ");
        description.variables("", &[item], " for one item)");
    }
    out.insert("title".into(), json!(title(field.name, if field.doc.is_empty() { info.doc } else { field.doc })));
    description.insert_into(&mut out);
    Value::Object(out)
}

/// A key's `description`, and its `markdownDescription` (what VS Code and
/// yaml-language-server show, rendered): the doc comment (Markdown already)
/// and notes, variable names as code (`PHOENIX_PROXIES_<N>_HOST` would
/// otherwise lose `<N>` as an HTML tag, and `_` would be emphasis).
struct Described {
    plain: String,
    markdown: String,
}

impl Described {
    fn new(doc: &str) -> Self {
        Described { plain: doc.to_owned(), markdown: doc.to_owned() }
    }

    /// A note, the same in both.
    fn note(&mut self, text: &str) {
        self.push(text, text);
    }

    /// `before`, the names joined with `, ` (as code in Markdown), `after`.
    fn variables(&mut self, before: &str, names: &[String], after: &str) {
        let code: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
        self.push(&format!("{before}{}{after}", names.join(", ")), &format!("{before}{}{after}", code.join(", ")));
    }

    fn push(&mut self, plain: &str, markdown: &str) {
        for (text, add) in [(&mut self.plain, plain), (&mut self.markdown, markdown)] {
            if !text.is_empty() && !text.ends_with(' ') {
                text.push(' ');
            }
            text.push_str(add);
        }
    }

    /// Inserts both, when there is something to say: a key without a doc
    /// comment, variables or notes has no `description` (an empty one is
    /// what an editor would show).
    fn insert_into(self, out: &mut Map<String, Value>) {
        if self.plain.trim().is_empty() {
            return;
        }
        out.insert("description".into(), json!(self.plain.trim_end()));
        out.insert("markdownDescription".into(), json!(self.markdown.trim_end()));
    }
}

fn leaf(field: &FieldInfo, scope: Scope<'_>, path: &str) -> Value {
    let kind = (field.kind)();
    let mut value = kind_schema(&kind);
    for rule in field.rules {
        apply(rule, &mut value);
    }
    value = accept_interpolation(value);
    if field.is_secret() {
        value = accept_encoded(value, &kind);
    }
    describe_choices(&mut value, field.variant_doc);
    // A value of any kind (`{}`) is null too: there is nothing to add.
    if field.optional && value.as_object().is_some_and(|map| !map.is_empty()) {
        value = json!({ ALTERNATIVES: [value, { "type": "null" }] });
    }
    let Value::Object(mut out) = value else { return value };
    let mut annotations = annotations(field, &kind, &scope.vars(field, path));
    annotations.append(&mut out);
    Value::Object(annotations)
}

/// What an editor shows of a key, at the top of its schema (not inside an
/// `anyOf`): `title`, `description` (its variables, secret-ness, the
/// environments that require it), `default` and `examples`.
fn annotations(field: &FieldInfo, kind: &Kind, vars: &[String]) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("title".into(), json!(title(field.name, field.doc)));
    let mut description = Described::new(field.doc);
    if !vars.is_empty() {
        description.variables("(variables: ", vars, ")");
    }
    if field.is_secret() {
        description.note("(secret)");
    }
    if let Some(environments) = required_in(field) {
        let said = format!("required in {}", environments.join(", "));
        if !field.doc.contains(&said) {
            description.note(&format!("({said})"));
        }
    }
    description.insert_into(&mut out);
    let default =
        field.default.filter(|_| !field.is_secret()).and_then(|d| d.file_text(kind)).map(|text| typed(&text, kind));
    let mut examples: Vec<Value> = default.iter().cloned().collect();
    if !field.is_secret() {
        examples.extend(
            doc_examples(field.doc).into_iter().map(|text| typed(&text, kind)).filter(|e| default.as_ref() != Some(e)),
        );
    }
    if let Some(default) = default {
        out.insert("default".into(), default);
    }
    if !examples.is_empty() {
        out.insert("examples".into(), Value::Array(examples));
    }
    out
}

/// A key's title: the first sentence of its doc comment (not cut at
/// "e.g." or "i.e."), else the key.
fn title(key: &str, doc: &str) -> String {
    let mut end = doc.len();
    for (at, _) in doc.match_indices(". ") {
        if !ABBREVIATIONS.iter().any(|a| doc[..=at].to_ascii_lowercase().ends_with(a)) {
            end = at;
            break;
        }
    }
    let first = doc[..end].trim().trim_end_matches('.');
    if first.is_empty() { key.to_owned() } else { first.to_owned() }
}

/// Abbreviations a sentence does not end with.
const ABBREVIATIONS: &[&str] = &["e.g.", "i.e.", "etc.", "vs."];

/// The environments of a field's `required_in(..)` rules.
fn required_in(field: &FieldInfo) -> Option<Vec<&'static str>> {
    super::env_table::required_in(field)
}

/// Values a doc comment gives as examples: the backticked text after
/// "e.g.", "for example" or "example:" (`85001` in "Zip codes, e.g. `85001`").
fn doc_examples(doc: &str) -> Vec<String> {
    let lower = doc.to_ascii_lowercase();
    let Some(at) = ["e.g.", "for example", "example:", "examples:"].iter().filter_map(|m| lower.find(m)).min() else {
        return Vec::new();
    };
    doc[at..].split('`').skip(1).step_by(2).map(str::to_owned).filter(|e| !e.is_empty()).collect()
}

/// Beside every `enum` of a leaf's schema (the value's, its items', its
/// entries'), the doc comment of each name's variant as `enumDescriptions`
/// and `markdownEnumDescriptions` (doc comments are Markdown), when the
/// leaf's type is a [`ConfigEnum`](crate::ConfigEnum): what an editor shows
/// beside each choice. A name the enum's `Deserialize` refuses gets an
/// empty description, never another variant's. An enum with a catch-all
/// variant (`#[serde(other)]`) also accepts any other text.
fn describe_choices(schema: &mut Value, variant_doc: fn(&str) -> Option<&'static str>) {
    let Some(map) = schema.as_object_mut() else { return };
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = map.get_mut(key) {
            describe_choices(inner, variant_doc);
        }
    }
    let catch_all = variant_doc(crate::config_enum::UNLISTED_NAME).is_some();
    if let Some(Value::Array(choices)) = map.get_mut(ALTERNATIVES) {
        // A value's alternatives are scalars' (names, another case, `${…}`).
        for choice in choices.iter_mut().filter_map(Value::as_object_mut) {
            describe_enum(choice, variant_doc);
        }
        // Any name is read: the names, or any other text (which the other
        // alternatives, another case or `${…}`, are part of).
        if let Some(listed) = choices.iter().find(|c| c.get("enumDescriptions").is_some()).filter(|_| catch_all) {
            *choices = vec![listed.clone(), any_other_name(&listed["enum"])];
        }
    } else if describe_enum(map, variant_doc) && catch_all {
        let listed = Value::Object(std::mem::take(map));
        let other = any_other_name(&listed["enum"]);
        map.insert(ALTERNATIVES.into(), json!([listed, other]));
    }
}

/// `enumDescriptions` beside the `enum` of `map`; whether there was one to add.
fn describe_enum(map: &mut Map<String, Value>, variant_doc: fn(&str) -> Option<&'static str>) -> bool {
    let Some(Value::Array(names)) = map.get("enum") else { return false };
    let docs: Vec<Option<&str>> = names.iter().map(|name| name.as_str().and_then(variant_doc)).collect();
    if docs.iter().all(Option::is_none) {
        return false;
    }
    let docs: Vec<Value> = docs.into_iter().map(|doc| json!(doc.unwrap_or_default())).collect();
    map.insert("enumDescriptions".into(), Value::Array(docs.clone()));
    map.insert("markdownEnumDescriptions".into(), Value::Array(docs));
    true
}

/// The alternative of an enum with a catch-all variant: any text but the
/// names (the catch-all variant's own name describes it).
fn any_other_name(names: &Value) -> Value {
    json!({ "type": "string", "not": { "enum": names } })
}

/// The keyword of a value's alternatives: `oneOf`, as they exclude each
/// other. Not `anyOf`: yaml-language-server's hover takes the alternatives
/// of an `anyOf` that look alike (no title, no description) for all
/// matched and shows `title || title || title` without the key's
/// description.
const ALTERNATIVES: &str = "oneOf";

/// A file value holding `${…}` is text until interpolation (`port: ${PORT}`
/// fills a number): a value that is not free text also accepts such a
/// string, keeping its own keywords where they are (number keywords do not
/// apply to strings). Lists and maps accept it in their items (a whole list
/// written as one `${…}` is not described), so an error still points at the item.
fn accept_interpolation(mut schema: Value) -> Value {
    let interpolated = json!({ "type": "string", "pattern": INTERPOLATED });
    let ty = schema.get("type").and_then(Value::as_str).unwrap_or_default().to_owned();
    let Some(map) = schema.as_object_mut() else { return schema };
    let inner = if ty == "array" { "items" } else { "additionalProperties" };
    if let Some(item) = map.get_mut(inner).filter(|item| (ty == "array" || ty == "object") && item.is_object()) {
        *item = accept_interpolation(item.take());
    } else if let Some(Value::Array(choices)) = map.get_mut(ALTERNATIVES) {
        // No alternative holds `${` (names, patterns of values): they exclude each other.
        choices.push(interpolated);
    } else if let Some(choice) = take_text_rule(map) {
        // `type` stays at the top: both choices are strings.
        map.insert(ALTERNATIVES.into(), json!([choice, interpolated]));
    } else if matches!(ty.as_str(), "integer" | "number") {
        let what = if ty == "integer" { "an integer" } else { "a number" };
        map.insert("type".into(), json!([ty, "string"]));
        map.insert("pattern".into(), json!(INTERPOLATED));
        // What an editor says of text that is neither (not "does not match `\$\{`").
        map.insert(PATTERN_MESSAGE.into(), json!(format!("expected {what}, or text with ${{…}} to interpolate")));
    }
    schema
}

/// A secret's value may be written encoded (`enc:v1:…`, `base64:…`, decoded
/// before it is converted): every value position that is not text (text
/// already accepts it) also accepts such a string. The alternative holds no
/// `$` (no encoded text does), so it excludes the `${…}` one; the other
/// alternatives are anchored names and patterns that no encoded text matches.
fn accept_encoded(mut schema: Value, kind: &Kind) -> Value {
    let Some(map) = schema.as_object_mut() else { return schema };
    match kind {
        Kind::List(item) => encoded_inside(map, "items", item),
        Kind::Map(value) => encoded_inside(map, "additionalProperties", value),
        Kind::Text | Kind::Struct(_) | Kind::Any => {}
        Kind::Integer { .. } | Kind::Number | Kind::Bool | Kind::Duration | Kind::ByteSize | Kind::Enum(_) => {
            encoded_scalar(map, kind);
        }
    }
    schema
}

/// [`accept_encoded`] in the items or values (`inner`) of a list or a map.
fn encoded_inside(map: &mut Map<String, Value>, inner: &str, kind: &Kind) {
    if let Some(item) = map.get_mut(inner) {
        *item = accept_encoded(item.take(), kind);
    }
}

/// [`accept_encoded`] at a scalar: one more alternative, or (a number
/// written as `type: [integer, string]` with the `${` pattern) one more
/// pattern the string may match.
fn encoded_scalar(map: &mut Map<String, Value>, kind: &Kind) {
    if let Some(Value::Array(choices)) = map.get_mut(ALTERNATIVES) {
        choices.push(json!({ "type": "string", "pattern": ENCODED }));
    } else if map.get("pattern").and_then(Value::as_str) == Some(INTERPOLATED) {
        let what = if matches!(kind, Kind::Number) { "a number" } else { "an integer" };
        map.insert("pattern".into(), json!(format!("{INTERPOLATED}|{ENCODED}")));
        let message =
            format!("expected {what}, text with ${{…}} to interpolate, or an encoded secret (enc:v1:…, base64:…)");
        map.insert(PATTERN_MESSAGE.into(), json!(message));
    }
}

/// An encoded secret's text: `enc:v1:` or `base64:` and no `$`.
const ENCODED: &str = "^(enc:v1:|base64:)[^$]*$";

/// The keyword that restricts a string value (`enum`, or `pattern` with
/// its message), taken out of `map` as a schema of its own.
fn take_text_rule(map: &mut Map<String, Value>) -> Option<Value> {
    if let Some(names) = map.remove("enum") {
        return Some(json!({ "enum": names }));
    }
    let pattern = map.remove("pattern")?;
    let mut choice = json!({ "pattern": pattern });
    if let Some(message) = map.remove(PATTERN_MESSAGE) {
        choice[PATTERN_MESSAGE] = message;
    }
    Some(choice)
}

/// The message editors (VS Code, yaml-language-server) show when a value
/// does not match a `pattern`, instead of the pattern itself.
const PATTERN_MESSAGE: &str = "patternErrorMessage";

/// An enum's names as the loader reads them: exactly, or in any case when
/// that matches one name only (`INFO` for `info`), with spaces around.
fn enum_schema(names: &[&str]) -> Value {
    let mut choices = vec![json!({ "enum": names })];
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let alternatives: Vec<String> = names
        .iter()
        .zip(&lower)
        .filter(|(_, low)| lower.iter().filter(|other| other == low).count() == 1)
        .map(|(name, _)| any_case(name))
        .collect();
    if !alternatives.is_empty() {
        let pattern = format!("^\\s*({})\\s*$", alternatives.join("|"));
        // Not the names themselves: the alternatives exclude each other.
        choices.push(json!({ "pattern": pattern, "not": { "enum": names } }));
    }
    json!({ "type": "string", ALTERNATIVES: choices })
}

/// A regular expression matching `name` in any case (`[Ii][Nn][Ff][Oo]`).
fn any_case(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let (lower, upper) = (c.to_lowercase().collect::<String>(), c.to_uppercase().collect::<String>());
        if lower == upper {
            if "\\^$.|?*+()[]{}/".contains(c) {
                out.push('\\');
            }
            out.push(c);
        } else {
            let _ = write!(out, "[{upper}{lower}]");
        }
    }
    out
}

/// A string that holds `${`: interpolated before it is converted.
const INTERPOLATED: &str = "\\$\\{";

/// The text of a bool as the loader reads it, from files and variables
/// alike: `true/false/yes/no/on/off/1/0` in any case.
const BOOL_TEXT: &str =
    "^\\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|[Oo][Nn]|[Oo][Ff][Ff]|1|0)\\s*$";

/// A default's or an example's text as the JSON value of the key's kind.
fn typed(text: &str, kind: &Kind) -> Value {
    match kind {
        Kind::Integer { .. } => text.parse::<i64>().map_or_else(|_| json!(text), |n| json!(n)),
        Kind::Number => text.parse::<f64>().map_or_else(|_| json!(text), |n| json!(n)),
        Kind::Bool => text.parse::<bool>().map_or_else(|_| json!(text), |b| json!(b)),
        _ => json!(text),
    }
}

/// The schema of a leaf's value, from what its type holds.
fn kind_schema(kind: &Kind) -> Value {
    match kind {
        Kind::Text => json!({ "type": "string" }),
        Kind::Bool => json!({
            ALTERNATIVES: [{ "type": "boolean" }, { "enum": [0, 1] }, { "type": "string", "pattern": BOOL_TEXT }]
        }),
        Kind::Number => json!({ "type": "number" }),
        Kind::Duration => json!({
            "type": "string",
            "pattern": crate::units::DURATION_PATTERN,
            PATTERN_MESSAGE: format!(
                "not a duration: write numbers with units ({}), like 250ms, 5s, 1m30s or 2h",
                crate::units::DURATION_UNITS
            )
        }),
        Kind::ByteSize => json!({
            ALTERNATIVES: [
                {
                    "type": "string",
                    "pattern": crate::units::BYTE_SIZE_PATTERN,
                    PATTERN_MESSAGE: format!("expected {}, or a number of bytes", crate::units::BYTE_SIZE_EXPECTING)
                },
                { "type": "integer", "minimum": 0 }
            ]
        }),
        Kind::Integer { min, max } => integer_schema(*min, *max),
        Kind::Enum(variants) => enum_schema(variants),
        Kind::Struct(fields) => {
            let properties: Map<String, Value> = fields.iter().map(|f| ((*f).to_owned(), json!({}))).collect();
            json!({ "type": "object", "properties": properties, "additionalProperties": false })
        }
        Kind::List(item) => json!({ "type": "array", "items": kind_schema(item) }),
        Kind::Map(value) => json!({ "type": "object", "additionalProperties": kind_schema(value) }),
        Kind::Any => json!({}),
    }
}

fn integer_schema(min: i128, max: i128) -> Value {
    let mut out = json!({ "type": "integer" });
    if let Ok(min) = i64::try_from(min) {
        out["minimum"] = json!(min);
    }
    match (u64::try_from(max), i64::try_from(max)) {
        (_, Ok(max)) => out["maximum"] = json!(max),
        (Ok(max), _) => out["maximum"] = json!(max),
        _ => {}
    }
    out
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
        Rule::Zipcode => {
            map.insert("pattern".into(), json!("^[0-9]{5}(-[0-9]{4})?$"));
            map.insert(PATTERN_MESSAGE.into(), json!("expected a US zip code: 12345 or 12345-6789"));
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_end_at_the_first_sentence_but_not_at_an_abbreviation() {
        assert_eq!(title("k", "Write colors, e.g. `yes`. Or not."), "Write colors, e.g. `yes`");
        assert_eq!(title("k", "One. Two."), "One");
        assert_eq!(title("k", "No period"), "No period");
        assert_eq!(title("key", ""), "key");
    }

    #[test]
    fn enum_names_in_any_case_exclude_the_names_and_escape_what_regexes_read() {
        assert_eq!(any_case("a.b-c1"), "[Aa]\\.[Bb]-[Cc]1");
        let schema = enum_schema(&["info", "Info", "warn"]);
        let choices = schema[ALTERNATIVES].as_array().unwrap();
        assert_eq!(choices[0]["enum"], json!(["info", "Info", "warn"]));
        // `info` and `Info` differ only in case: the loader reads neither from `INFO`.
        assert_eq!(choices[1]["pattern"], "^\\s*([Ww][Aa][Rr][Nn])\\s*$");
        assert_eq!(choices[1]["not"]["enum"], choices[0]["enum"]);
    }

    #[test]
    fn descriptions_go_beside_every_enum_and_a_catch_all_accepts_other_text() {
        fn doc(name: &str) -> Option<&'static str> {
            match name {
                "a" => Some("The first."),
                crate::config_enum::UNLISTED_NAME | "other" => Some("Anything else."),
                _ => None,
            }
        }
        let mut list = accept_interpolation(json!({ "type": "array", "items": enum_schema(&["a", "b"]) }));
        describe_choices(&mut list, |name| doc(name).filter(|_| name != crate::config_enum::UNLISTED_NAME));
        assert_eq!(list["items"][ALTERNATIVES][0]["enumDescriptions"], json!(["The first.", ""]));
        assert_eq!(list["items"][ALTERNATIVES].as_array().unwrap().len(), 3, "names, another case, `${{…}}`");

        let mut open = accept_interpolation(enum_schema(&["a", "other"]));
        describe_choices(&mut open, doc);
        assert_eq!(
            open[ALTERNATIVES],
            json!([
                { "enum": ["a", "other"], "enumDescriptions": ["The first.", "Anything else."],
                  "markdownEnumDescriptions": ["The first.", "Anything else."] },
                { "type": "string", "not": { "enum": ["a", "other"] } }
            ])
        );
    }
}
