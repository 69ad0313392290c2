//! `show` and `check`.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use serde_json::{Map, Value, json};

use super::args::UsageError;
use super::{EXIT_INVALID, EXIT_OK, with_env, write_all};
use crate::build::LeafRecord;
use crate::environment::EnvironmentDecl;
use crate::node::{Node, NodeKind};
use crate::schema::Kind;
use crate::written::{UNSET, typed};
use crate::{ConfigLoader, Environment, Loaded, PhoenixConfig};

/// `show`: the effective configuration with origins.
pub(crate) fn show<T: PhoenixConfig>(
    loader: &ConfigLoader,
    format: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, UsageError> {
    if !matches!(format, "text" | "yaml" | "json") {
        return Err(UsageError("unknown --format, expected text, yaml or json".to_owned()));
    }
    let settings = match loader.load_with_origins::<T>() {
        Ok(settings) => settings,
        Err(error) => {
            for warning in error.warnings() {
                let _ = writeln!(err, "warning: {warning}");
            }
            let _ = writeln!(err, "{error}");
            return Ok(EXIT_INVALID);
        }
    };
    let text = match format {
        "text" => settings.to_string(),
        "json" => serde_json::to_string_pretty(&as_json(&settings)).unwrap_or_default() + "\n",
        _ => as_yaml(&settings),
    };
    Ok(write_all(out, &text))
}

/// `check`: loads each environment and reports every problem.
pub(crate) fn check<T: PhoenixConfig>(
    loader: &ConfigLoader,
    environments: &[Option<Environment>],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let mut code = EXIT_OK;
    let mut near_misses = Vec::new();
    for &environment in environments {
        let loader = with_env(loader, environment);
        // In production, secrets in files must be encrypted.
        let loader = if loader.detect_environment() == Ok(Environment::Production) {
            loader.encrypted_secrets_only()
        } else {
            loader
        };
        let name = match environment {
            Some(e) => e.to_string(),
            None => loader
                .detect_environment_for::<T>()
                .map_or_else(|_| "detected environment".to_owned(), |e| e.to_string()),
        };
        match loader.load_with_origins::<T>() {
            Ok(settings) => {
                let _ = writeln!(out, "{name}: ok");
                report_warnings(&settings, out);
                report_near_misses(&settings, T::describe().environments, &mut near_misses, out);
            }
            Err(error) => {
                code = EXIT_INVALID;
                report_failure(&name, &error, err);
            }
        }
    }
    code
}

/// A load that failed: its count of problems, its warnings (one may explain
/// the failure), then every problem.
fn report_failure(name: &str, error: &crate::ConfigError, err: &mut dyn Write) {
    let count = error.issues().len();
    let _ = writeln!(err, "{name}: {count} problem{}", if count == 1 { "" } else { "s" });
    for warning in error.warnings() {
        let _ = writeln!(err, "  warning: {warning}");
    }
    for issue in error.issues() {
        let _ = writeln!(err, "  - {issue}");
    }
}

/// The warnings of a load, and in production every value that came from
/// `.env` (a developer's file should not configure production).
fn report_warnings<T>(loaded: &Loaded<T>, out: &mut dyn Write) {
    for warning in loaded.warnings() {
        let _ = writeln!(out, "  warning: {warning}");
    }
    if loaded.environment() != Environment::Production {
        return;
    }
    for (path, _, origin) in loaded.leaves() {
        if matches!(origin, crate::Origin::Dotenv { .. }) {
            let _ = writeln!(
                out,
                "  warning: {path} comes from {origin} in production; set it in the environment or a config file"
            );
        }
    }
}

/// Files of the config folder that no layer reads but whose names look
/// like a layer's (`prod.yaml`, `Testing.yml`, `bsae.yaml`): a warning
/// each, with the name meant, once per check. Other files (`schema.json`,
/// `logging.yaml`) are not the configuration's and are left alone.
fn report_near_misses<T>(
    loaded: &Loaded<T>,
    declared: &[EnvironmentDecl],
    seen: &mut Vec<String>,
    out: &mut dyn Write,
) {
    let base = |path: &&Path| path.file_stem().is_some_and(|stem| stem == "base");
    let Some(dir) = loaded.files().find(base).and_then(Path::parent) else { return };
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut names: Vec<String> = entries.filter_map(|entry| entry.ok()?.file_name().into_string().ok()).collect();
    names.sort();
    for (name, meant) in names.iter().filter_map(|name| Some((name, near_miss(name, declared)?))) {
        let path = dir.join(name).display().to_string();
        if seen.contains(&path) {
            continue;
        }
        let _ = writeln!(
            out,
            "  warning: {path} is not read: a layer file is named base or after a declared environment ({}); \
             did you mean {meant}?",
            declared.iter().map(|d| d.name).collect::<Vec<_>>().join(", ")
        );
        seen.push(path);
    }
}

/// The layer file name that `name` seems meant as, when it is not one:
/// another case, an environment's alias, a typo of a layer's name.
fn near_miss(name: &str, declared: &[EnvironmentDecl]) -> Option<String> {
    // Hidden files are an editor's or a tool's (`.base.yaml.swp`, `..data`).
    let (stem, ext) = name.rsplit_once('.').filter(|_| !name.starts_with('.'))?;
    let lower_ext = ext.to_ascii_lowercase();
    if !crate::format::EXTENSIONS.contains(&lower_ext.as_str()) {
        return None;
    }
    let stems = || std::iter::once("base").chain(declared.iter().map(|d| d.name));
    if ext == lower_ext && stems().any(|s| s == stem) {
        return None;
    }
    let lower = stem.to_ascii_lowercase();
    let alias = declared.iter().find(|d| d.aliases.contains(&lower.as_str())).map(|d| d.name);
    let meant = alias.or_else(|| crate::suggest::closest(stem, stems()))?;
    Some(format!("{meant}.{lower_ext}"))
}

/// The typed value of one leaf: numbers, bools, lists and maps as such
/// (by the field's type), secrets `"[REDACTED]"`, an unset `Option` null.
fn typed(record: &LeafRecord) -> Value {
    if record.secret && record.value != UNSET {
        return json!("[REDACTED]");
    }
    let kind = (record.kind)();
    match &record.node {
        Some(node) => node_value(node, &kind),
        None if record.value == UNSET => Value::Null,
        // A computed default's text (`[]`, `[1, 2]`) reads as its kind does.
        None => node_value(&Node::text(record.value.as_str(), crate::Origin::Default), &kind),
    }
}

fn node_value(node: &Node, kind: &Kind) -> Value {
    match (&node.kind, kind) {
        (NodeKind::Null, _) => Value::Null,
        (NodeKind::Seq(items), _) => Value::Array(items.iter().map(|n| node_value(n, item_kind(kind))).collect()),
        (NodeKind::Map(entries), _) => {
            Value::Object(entries.iter().map(|e| (e.key.to_string(), node_value(&e.value, item_kind(kind)))).collect())
        }
        (NodeKind::Scalar { text, .. }, Kind::List(item)) => {
            Value::Array(typed::list_items(text).into_iter().map(|text| scalar_value(text, item)).collect())
        }
        (NodeKind::Scalar { text, .. }, _) => scalar_value(text, kind),
    }
}

/// The kind of a list's items or a map's values.
fn item_kind(kind: &Kind) -> &Kind {
    static ANY: Kind = Kind::Any;
    match kind {
        Kind::List(item) | Kind::Map(item) => item,
        _ => &ANY,
    }
}

/// A scalar's text as the type reads it; text that does not fit stays text.
fn scalar_value(text: &str, kind: &Kind) -> Value {
    match kind {
        Kind::Integer { .. } | Kind::Number => {
            text.trim().replace('_', "").parse::<serde_json::Number>().map_or_else(|_| json!(text), Value::Number)
        }
        Kind::Bool => typed::boolean(text).map_or_else(|| json!(text), Value::Bool),
        _ => json!(text),
    }
}

fn as_json<T>(loaded: &Loaded<T>) -> Value {
    let values: Vec<Value> = loaded
        .records()
        .iter()
        .map(|r| json!({ "path": r.path, "value": typed(r), "origin": r.origin.to_string() }))
        .collect();
    let mut out = Map::new();
    out.insert("environment".into(), json!(loaded.environment().as_str()));
    out.insert("values".into(), Value::Array(values));
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    out.insert("warnings".into(), json!(warnings));
    Value::Object(out)
}

/// A typed value in YAML flow syntax: strings quoted only when they would
/// read as something else.
fn yaml_value(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => yaml_string(s),
        Value::Array(items) => format!("[{}]", items.iter().map(yaml_value).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => {
            let entries: Vec<String> =
                map.iter().map(|(k, v)| format!("{}: {}", yaml_string(k), yaml_value(v))).collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

fn yaml_string(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with(|c: char| c.is_whitespace() || "-?:,[]{}#&*!|>'\"%@`~".contains(c))
        && !s.ends_with(char::is_whitespace)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.chars().any(char::is_control)
        && s.parse::<f64>().is_err()
        && !matches!(s.to_ascii_lowercase().as_str(), "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~");
    if plain { s.to_owned() } else { Value::String(s.to_owned()).to_string() }
}

/// Nested YAML, each value followed by its origin as a comment; items of a
/// list of sections as list items (`proxies:` then `-` and the item's keys).
fn as_yaml<T>(loaded: &Loaded<T>) -> String {
    let mut out = format!("# environment: {}\n", loaded.environment());
    let mut open: Vec<&str> = Vec::new();
    for record in loaded.records() {
        let parts = path_segments(&record.path);
        let Some((key, sections)) = parts.split_last() else { continue };
        let common = open.iter().zip(sections).take_while(|(a, b)| a == b).count();
        open.truncate(common);
        for section in &sections[common..] {
            let indent = "  ".repeat(open.len());
            if section.starts_with('[') {
                let _ = writeln!(out, "{indent}-");
            } else {
                let _ = writeln!(out, "{indent}{section}:");
            }
            open.push(section);
        }
        let shown = yaml_value(&typed(record));
        let _ = writeln!(out, "{}{key}: {shown}  # {}", "  ".repeat(open.len()), record.origin);
    }
    // As comments, as in the text table: the output stays a config file.
    for warning in loaded.warnings() {
        let _ = writeln!(out, "# warning: {warning}");
    }
    out
}

/// A record's path as YAML levels: `proxies[1].host` → `proxies`, `[1]`,
/// `host`.
fn path_segments(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in path.split('.') {
        match part.find('[') {
            Some(at) => {
                out.push(&part[..at]);
                let mut rest = &part[at..];
                while let Some(end) = rest.find(']') {
                    out.push(&rest[..=end]);
                    rest = &rest[end + 1..];
                }
            }
            None => out.push(part),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_near_miss_of_a_layer_file_name_is_told_the_name_meant() {
        let declared = crate::environment::DEFAULT_ENVIRONMENTS;
        let meant = |name| near_miss(name, declared);
        for (name, best) in [
            ("prod.yaml", "production.yaml"),
            ("DEV.yml", "development.yml"),
            ("Base.YAML", "base.yaml"),
            ("base.YAML", "base.yaml"),
            ("prodution.json", "production.json"),
            ("testng.toml", "testing.toml"),
        ] {
            assert_eq!(meant(name).as_deref(), Some(best), "{name}");
        }
        for name in
            ["base.yaml", "testing.json", "schema.json", "logging.yaml", "base.yaml.bak", "README", ".base.yaml"]
        {
            assert_eq!(meant(name), None, "{name}");
        }
    }

    fn record(value: &str, kind: fn() -> Kind) -> LeafRecord {
        LeafRecord {
            path: "tags".to_owned(),
            value: value.to_owned(),
            origin: crate::Origin::Default,
            secret: false,
            fingerprint: 0,
            node: None,
            ty: "Vec<u16>",
            kind,
        }
    }

    #[test]
    fn a_computed_default_is_typed_by_its_kind() {
        let list = || Kind::List(Box::new(Kind::Integer { min: 0, max: 65535 }));
        assert_eq!(typed(&record("[]", list)), json!([]));
        assert_eq!(typed(&record("[1, 2]", list)), json!([1, 2]));
        assert_eq!(typed(&record("5", || Kind::Integer { min: 0, max: 9 })), json!(5));
        assert_eq!(typed(&record(UNSET, list)), Value::Null);
    }

    #[test]
    fn paths_become_yaml_levels() {
        assert_eq!(path_segments("proxies[1].host"), ["proxies", "[1]", "host"]);
        assert_eq!(path_segments("a.b[0][2].c"), ["a", "b", "[0]", "[2]", "c"]);
        assert_eq!(path_segments("regions.us.bucket"), ["regions", "us", "bucket"]);
    }
}
