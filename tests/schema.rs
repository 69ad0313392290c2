//! The JSON Schema an editor uses (issue 11): every key has its title and
//! description at the top, enum values, booleans as the loader reads them,
//! durations and sizes as patterns, examples from defaults and doc comments,
//! `required_in` said and (per environment) required, and completion and
//! validation inside list items, map entries and optional sections. The
//! schema is checked by `jsonschema` against YAML read like the loader.

// The settings are described and loaded, their fields not read.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::time::Duration;

use phoenix_config::{ByteSize, ConfigEnum, ConfigLoader, Environment, PhoenixConfig, docs};
use serde_json::{Value, json};

#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "lowercase")]
enum Level {
    Debug,
    Info,
    Warn,
}

/// How hard to try (variants described with `ConfigEnum`).
#[derive(serde::Deserialize, ConfigEnum, Debug)]
#[serde(rename_all = "kebab-case")]
enum Effort {
    /// Give up on the first failure.
    Low,
    /// Retry a few times,
    /// then give up.
    #[serde(alias = "normal")]
    Medium,
    #[serde(rename = "max")]
    AllOut,
    /// Never offered.
    #[serde(skip)]
    Internal,
}

/// A codec; unknown names are read as `Custom`.
#[derive(serde::Deserialize, ConfigEnum, Debug)]
#[serde(rename_all = "lowercase")]
enum Codec {
    /// Fast and small.
    Zstd,
    /// Any other codec, by name.
    #[serde(other)]
    Custom,
}

/// Service settings.
#[derive(PhoenixConfig)]
#[config(prefix = "EDIT")]
struct Settings {
    /// Least severe level written.
    #[config(default = "info")]
    level: Level,
    /// Write colors, e.g. `yes` or `off`.
    #[config(default = true)]
    color: bool,
    /// How long a request may take.
    #[config(default = "5s")]
    timeout: Duration,
    /// Largest body accepted, for example `10MB`.
    body_limit: Option<ByteSize>,
    /// Key of the billing API.
    #[validate(required_in("production"))]
    billing_key: Option<String>,
    #[config(nested, default)]
    proxies: Vec<Proxy>,
    #[config(nested, default)]
    regions: BTreeMap<String, Region>,
    /// Transport security; leave out for none.
    #[config(nested)]
    tls: Option<Tls>,
    /// How hard to try.
    #[config(default = "medium")]
    effort: Effort,
    /// Effort per task.
    #[config(default)]
    efforts: BTreeMap<String, Effort>,
    codec: Option<Codec>,
}

/// One upstream proxy.
#[derive(PhoenixConfig)]
struct Proxy {
    /// Proxy host.
    host: String,
    #[validate(port)]
    port: u16,
    level: Option<Level>,
    /// Retry effort of this proxy.
    effort: Option<Vec<Effort>>,
}

#[derive(PhoenixConfig)]
struct Region {
    /// Bucket of the region's data.
    bucket: String,
}

#[derive(PhoenixConfig)]
struct Tls {
    /// Certificate file.
    cert: String,
    #[config(default = false)]
    verify: bool,
}

fn errors(schema: &Value, yaml: &str) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("the generated schema is a valid JSON Schema");
    let value = docs::yaml_to_json("test.yaml", yaml).expect("YAML parses");
    validator.iter_errors(&value).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

fn key<'s>(schema: &'s Value, path: &[&str]) -> &'s Value {
    path.iter().fold(schema, |at, step| &at[*step])
}

#[test]
fn an_enum_key_lists_its_serde_names_and_refuses_others() {
    let schema = docs::json_schema::<Settings>();
    let level = key(&schema, &["properties", "level"]);
    assert_eq!(level["type"], "string");
    assert_eq!(level["oneOf"][0]["enum"], json!(["debug", "info", "warn"]));
    assert_eq!(level["default"], "info");
    assert!(errors(&schema, "level: warn\n").is_empty());
    let found = errors(&schema, "level: verbose\n");
    assert!(found.iter().any(|e| e.starts_with("/level")), "{found:?}");
    // A name in another case, as the loader reads it.
    for text in ["WARN", "Info", "'debug '"] {
        let yaml = format!("level: {text}\n");
        assert!(errors(&schema, &yaml).is_empty(), "{yaml}: {:?}", errors(&schema, &yaml));
        let s = tempfile::tempdir().unwrap();
        std::fs::write(s.path().join("base.yaml"), &yaml).unwrap();
        let loaded = ConfigLoader::new().no_dotenv().config_dir(s.path()).env_vars([]).load::<Settings>();
        assert!(loaded.is_ok(), "{yaml}: the loader agrees: {loaded:?}");
    }
    // Inside list items, through an `Option`.
    let item = key(&schema, &["properties", "proxies", "items", "properties", "level"]);
    assert_eq!(item["oneOf"][0]["oneOf"][0]["enum"], json!(["debug", "info", "warn"]), "{item}");
    let found = errors(&schema, "proxies:\n  - {host: a, port: 1, level: loud}\n");
    assert!(found.iter().any(|e| e.starts_with("/proxies/0/level")), "{found:?}");
}

#[test]
fn every_key_has_its_title_and_description_at_the_top_even_when_optional() {
    let schema = docs::json_schema::<Settings>();
    let body = key(&schema, &["properties", "body_limit"]);
    assert_eq!(body["title"], "Largest body accepted, for example `10MB`");
    assert!(body["description"].as_str().unwrap().starts_with("Largest body accepted"), "{body}");
    assert!(body["oneOf"].as_array().unwrap().iter().all(|choice| choice.get("description").is_none()), "{body}");
    let tls = key(&schema, &["properties", "tls"]);
    assert_eq!(tls["title"], "Transport security; leave out for none");
    let host = key(&schema, &["properties", "proxies", "items", "properties", "host"]);
    assert_eq!(host["title"], "Proxy host");
    assert!(host["description"].as_str().unwrap().contains("EDIT_PROXIES_<N>_HOST"), "{host}");
    // Rendered by editors: variable names as code (`<N>` is not an HTML tag).
    assert_eq!(host["markdownDescription"], "Proxy host. (variables: `EDIT_PROXIES_<N>_HOST`)");
    let color = key(&schema, &["properties", "color"]);
    assert_eq!(color["title"], "Write colors, e.g. `yes` or `off`", "not cut at \"e.g.\"");
    let port = key(&schema, &["properties", "proxies", "items", "properties", "port"]);
    assert_eq!(port["title"], "port", "a key without a doc comment is its own title");
}

/// No prefix and no doc comments on the fields: nothing to describe them
/// but the section types' own doc comments.
#[derive(PhoenixConfig)]
struct Bare {
    #[config(nested)]
    plain: Plain,
    #[config(nested)]
    maybe: Option<Plain>,
    #[config(nested, default)]
    many: Vec<Plain>,
    #[config(nested, default)]
    named: BTreeMap<String, Plain>,
    #[config(nested)]
    boxed: Box<Plain>,
    #[config(nested)]
    told: Option<Told>,
}

#[derive(PhoenixConfig)]
struct Plain {
    #[config(default = 1)]
    n: u8,
}

/// Said by the section type.
#[derive(PhoenixConfig)]
struct Told {
    n: u8,
}

/// Every `description` (and `markdownDescription`) below `value`.
fn descriptions(value: &Value, path: &str, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key.ends_with("escription") {
                    out.push((format!("{path}/{key}"), inner.clone()));
                }
                descriptions(inner, &format!("{path}/{key}"), out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| descriptions(item, path, out)),
        _ => {}
    }
}

#[test]
fn a_key_with_nothing_to_say_has_no_description_not_an_empty_one() {
    let schema = docs::json_schema::<Bare>();
    let mut found = Vec::new();
    descriptions(&schema, "", &mut found);
    let empty: Vec<&(String, Value)> = found.iter().filter(|(_, d)| d.as_str().is_none_or(str::is_empty)).collect();
    assert!(empty.is_empty(), "{empty:?}");
    for name in ["plain", "maybe", "many", "named", "boxed"] {
        let section = key(&schema, &["properties", name]);
        assert!(section.get("description").is_none() && section.get("markdownDescription").is_none(), "{section}");
        assert_eq!(section["title"], name);
    }
    let told = key(&schema, &["properties", "told"]);
    assert_eq!(
        (&told["description"], &told["title"]),
        (&json!("Said by the section type."), &json!("Said by the section type"))
    );
    assert!(key(&schema, &["properties", "plain", "properties", "n"]).get("description").is_none());
}

#[test]
fn examples_come_from_defaults_and_doc_comments() {
    let schema = docs::json_schema::<Settings>();
    assert_eq!(key(&schema, &["properties", "color", "examples"]), &json!([true, "yes", "off"]));
    assert_eq!(key(&schema, &["properties", "timeout", "examples"]), &json!(["5s"]));
    assert_eq!(key(&schema, &["properties", "body_limit", "examples"]), &json!(["10MB"]));
    assert!(key(&schema, &["properties", "billing_key"]).get("examples").is_none());
}

#[test]
fn booleans_accept_what_the_loader_accepts() {
    let schema = docs::json_schema::<Settings>();
    for text in ["true", "false", "yes", "No", "on", "OFF", "1", "0", "'yes'"] {
        let yaml = format!("color: {text}\n");
        assert!(errors(&schema, &yaml).is_empty(), "{yaml}: {:?}", errors(&schema, &yaml));
        let s = tempfile::tempdir().unwrap();
        std::fs::write(s.path().join("base.yaml"), &yaml).unwrap();
        let loaded = ConfigLoader::new().no_dotenv().config_dir(s.path()).env_vars([]).load::<Settings>();
        assert!(loaded.is_ok(), "{yaml}: the loader agrees: {loaded:?}");
    }
    let found = errors(&schema, "color: maybe\n");
    assert!(found.iter().any(|e| e.starts_with("/color")), "{found:?}");
    let s = tempfile::tempdir().unwrap();
    std::fs::write(s.path().join("base.yaml"), "color: maybe\n").unwrap();
    assert!(ConfigLoader::new().no_dotenv().config_dir(s.path()).env_vars([]).load::<Settings>().is_err());
}

#[test]
fn durations_and_sizes_are_strings_with_a_pattern() {
    let schema = docs::json_schema::<Settings>();
    assert!(errors(&schema, "timeout: 1m30s\nbody_limit: 10MiB\n").is_empty());
    assert!(errors(&schema, "body_limit: 1024\n").is_empty(), "a number of bytes");
    // What an editor says instead of the pattern (`patternErrorMessage`, VS Code's keyword).
    let timeout = &key(&schema, &["properties", "timeout"])["oneOf"][0];
    assert!(timeout["patternErrorMessage"].as_str().unwrap().starts_with("not a duration: write numbers with units"));
    let found = errors(&schema, "timeout: 5 parsecs\nbody_limit: lots\n");
    assert!(
        found.iter().any(|e| e.starts_with("/timeout")) && found.iter().any(|e| e.starts_with("/body_limit")),
        "{found:?}"
    );
}

#[test]
fn list_items_map_entries_and_optional_sections_are_checked_inside() {
    let schema = docs::json_schema::<Settings>();
    let good = "proxies:\n  - {host: a, port: 8080}\nregions:\n  us: {bucket: u}\ntls: {cert: c.pem, verify: on}\n";
    assert!(errors(&schema, good).is_empty(), "{:?}", errors(&schema, good));
    let found = errors(&schema, "proxies:\n  - {host: a, port: 0, hots: x}\n");
    assert!(found.iter().any(|e| e.starts_with("/proxies/0/port")), "{found:?}");
    assert!(found.iter().any(|e| e.starts_with("/proxies/0") && e.contains("hots")), "{found:?}");
    let found = errors(&schema, "regions:\n  us: {buckt: u}\n");
    assert!(found.iter().any(|e| e.starts_with("/regions/us") && e.contains("buckt")), "{found:?}");
    let found = errors(&schema, "tls: {cert: c.pem, verify: sometimes}\n");
    assert!(found.iter().any(|e| e.starts_with("/tls/verify")), "{found:?}");
    assert!(errors(&schema, "tls: ~\n").is_empty(), "an optional section may be null");
}

#[test]
fn required_in_is_said_and_required_in_the_schema_of_that_environment() {
    let schema = docs::json_schema::<Settings>();
    let billing = key(&schema, &["properties", "billing_key"]);
    assert!(billing["description"].as_str().unwrap().ends_with("(required in production)"), "{billing}");
    assert!(schema.get("required").is_none(), "no key is required in the layer schema");
    assert!(errors(&schema, "level: info\n").is_empty());

    let production = docs::json_schema_for::<Settings>(Environment::Production);
    assert_eq!(production["required"], json!(["billing_key"]));
    let found = errors(&production, "level: info\n");
    assert!(found.iter().any(|e| e.contains("billing_key")), "{found:?}");
    assert!(errors(&production, "billing_key: k\n").is_empty());
    let development = docs::json_schema_for::<Settings>(Environment::Development);
    assert!(development.get("required").is_none());
}

const EFFORT_NAMES: &[&str] = &["low", "medium", "normal", "max"];

#[test]
fn config_enum_variants_describe_their_names_beside_the_enum() {
    let schema = docs::json_schema::<Settings>();
    let effort = &key(&schema, &["properties", "effort"])["oneOf"][0];
    let names: Vec<&str> = effort["enum"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    // serde's own list: with the alias, without the skipped variant (some
    // serde versions list aliases, some do not).
    assert!(names.iter().all(|n| EFFORT_NAMES.contains(n)) && names.len() >= 3, "{names:?}");
    let descriptions = effort["enumDescriptions"].as_array().unwrap();
    assert_eq!(descriptions.len(), names.len(), "parallel to `enum`");
    for (name, description) in names.iter().zip(descriptions) {
        let expected = match *name {
            "low" => "Give up on the first failure.",
            "medium" | "normal" => "Retry a few times, then give up.",
            _ => "",
        };
        assert_eq!(description, expected, "{name}");
    }
    assert_eq!(effort["markdownEnumDescriptions"], effort["enumDescriptions"]);
    assert!(errors(&schema, "effort: normal\n").is_empty());
    let found = errors(&schema, "effort: internal\n");
    assert!(found.iter().any(|e| e.starts_with("/effort")), "{found:?}");
}

#[test]
fn config_enum_descriptions_reach_options_lists_and_maps_of_it() {
    let schema = docs::json_schema::<Settings>();
    let entry = &key(&schema, &["properties", "efforts", "additionalProperties"])["oneOf"][0];
    assert_eq!(entry["enumDescriptions"][0], "Give up on the first failure.", "{entry}");
    let item =
        &key(&schema, &["properties", "proxies", "items", "properties", "effort"])["oneOf"][0]["items"]["oneOf"][0];
    assert_eq!(item["enumDescriptions"][0], "Give up on the first failure.", "{item}");
    assert!(
        errors(&schema, "efforts: {build: low}\nproxies:\n  - {host: a, port: 1, effort: [max, low]}\n").is_empty()
    );
    let found = errors(&schema, "proxies:\n  - {host: a, port: 1, effort: [max, lots]}\n");
    assert!(found.iter().any(|e| e.starts_with("/proxies/0/effort")), "{found:?}");
    // A serde enum without `ConfigEnum`: names, no descriptions.
    assert!(key(&schema, &["properties", "level"])["oneOf"][0].get("enumDescriptions").is_none());
}

#[test]
fn an_enum_with_a_catch_all_variant_offers_its_names_and_accepts_any_other() {
    let schema = docs::json_schema::<Settings>();
    let codec = key(&schema, &["properties", "codec"]);
    assert!(errors(&schema, "codec: zstd\n").is_empty());
    assert!(errors(&schema, "codec: brotli\n").is_empty(), "the loader reads it as `Custom`");
    assert!(errors(&schema, "codec: ZSTD\n").is_empty(), "{:?}", errors(&schema, "codec: ZSTD\n"));
    let text = codec.to_string();
    assert!(
        text.contains(r#""enum":["zstd","custom"]"#)
            && text.contains(r#""enumDescriptions":["Fast and small.","Any other codec, by name."]"#),
        "{codec}"
    );
    let s = tempfile::tempdir().unwrap();
    std::fs::write(s.path().join("base.yaml"), "codec: brotli\n").unwrap();
    let loaded = ConfigLoader::new().no_dotenv().config_dir(s.path()).env_vars([]).load::<Settings>().unwrap();
    assert!(matches!(loaded.codec, Some(Codec::Custom)));
}

/// `tests/editor/service.schema.json` is this file's schema, for the editor
/// check (`tests/editor/README.md`), which tries map entries, optional
/// sections and durations the Phoenix settings do not have. Regenerate it
/// with `PHOENIX_UPDATE_DOCS=1 cargo test --test schema`.
#[test]
fn the_editor_check_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editor/service.schema.json");
    let generated = serde_json::to_string_pretty(&docs::json_schema::<Settings>()).unwrap() + "\n";
    if std::env::var_os("PHOENIX_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "tests/editor/service.schema.json differs; run `PHOENIX_UPDATE_DOCS=1 cargo test --test schema` and commit it"
    );
}

/// Secrets of types that are not text.
#[derive(PhoenixConfig)]
struct Vault {
    pin: Option<phoenix_config::Secret<u32>>,
    pins: Vec<phoenix_config::Secret<u32>>,
    #[secret]
    on: Option<bool>,
    #[secret]
    limits: BTreeMap<String, Duration>,
    /// Not secret: an encoded text is no integer here.
    workers: Option<u32>,
}

#[test]
fn a_secret_that_is_not_text_accepts_encoded_values_wherever_it_is() {
    let schema = docs::json_schema::<Vault>();
    let good = "pin: enc:v1:k1:AAAA\npins: [enc:v1:k1:BBBB, base64:NTY3OA==, 9, '${PIN}']\non: base64:dHJ1ZQ==\n\
                limits: {a: 5s, b: 'enc:v1:k1:CCCC'}\n";
    assert!(errors(&schema, good).is_empty(), "{:?}", errors(&schema, good));
    let found = errors(&schema, "pin: plain\npins: [enc, 'enc:v1:${X}x']\non: maybe\nworkers: enc:v1:k1:AAAA\n");
    for at in ["/pin", "/pins/0", "/on", "/workers"] {
        assert!(found.iter().any(|e| e.starts_with(&format!("{at}:"))), "{at}: {found:?}");
    }
    assert!(!found.iter().any(|e| e.starts_with("/pins/1")), "an encoded text with `${{` is interpolated: {found:?}");
}
