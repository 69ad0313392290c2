//! `show` and `check`.

use std::fmt::Write as _;
use std::io::Write;

use serde_json::{Map, Value, json};

use super::args::UsageError;
use super::{EXIT_INVALID, EXIT_OK, with_env, write_all};
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
            None => loader.detect_environment().map_or_else(|_| "detected environment".to_owned(), |e| e.to_string()),
        };
        match loader.load::<T>() {
            Ok(_) => {
                let _ = writeln!(out, "{name}: ok");
            }
            Err(error) => {
                code = EXIT_INVALID;
                let count = error.issues().len();
                let _ = writeln!(err, "{name}: {count} problem{}", if count == 1 { "" } else { "s" });
                for issue in error.issues() {
                    let _ = writeln!(err, "  - {issue}");
                }
            }
        }
    }
    code
}

/// A value as `Loaded` shows it, with an unset `Option` (`None`) as null.
fn plain(value: &str) -> Option<&str> {
    (value != "None").then_some(value)
}

fn as_json<T>(loaded: &Loaded<T>) -> Value {
    let values: Vec<Value> = loaded
        .leaves()
        .map(|(path, value, origin)| json!({ "path": path, "value": plain(value), "origin": origin.to_string() }))
        .collect();
    let mut out = Map::new();
    out.insert("environment".into(), json!(loaded.environment().as_str()));
    out.insert("values".into(), Value::Array(values));
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    out.insert("warnings".into(), json!(warnings));
    Value::Object(out)
}

/// Nested YAML, each value followed by its origin as a comment.
fn as_yaml<T>(loaded: &Loaded<T>) -> String {
    let mut out = format!("# environment: {}\n", loaded.environment());
    let mut open: Vec<&str> = Vec::new();
    for (path, value, origin) in loaded.leaves() {
        let parts: Vec<&str> = path.split('.').collect();
        let (key, sections) = parts.split_last().expect("a path has a key");
        let common = open.iter().zip(sections).take_while(|(a, b)| a == b).count();
        open.truncate(common);
        for section in &sections[common..] {
            let _ = writeln!(out, "{}{section}:", "  ".repeat(open.len()));
            open.push(section);
        }
        let shown = plain(value).unwrap_or("null");
        let _ = writeln!(out, "{}{key}: {shown}  # {origin}", "  ".repeat(open.len()));
    }
    out
}
