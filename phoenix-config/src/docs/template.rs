//! An annotated YAML file with every key.

use std::fmt::Write as _;

use super::env_table::default_value;
use crate::PhoenixConfig;
use crate::schema::StructInfo;

/// An annotated YAML template of `T`: every key with its description,
/// variables and default; keys without a default are left commented out.
pub fn yaml_template<T: PhoenixConfig>() -> String {
    let info = T::describe();
    let mut out = format!("# Settings of `{}` (generated template).\n", info.name);
    write_struct(&mut out, info, info.prefix, "", 0);
    out
}

fn write_struct(out: &mut String, info: &'static StructInfo, prefix: Option<&str>, path: &str, depth: usize) {
    let indent = "  ".repeat(depth);
    for field in info.fields {
        let child = if path.is_empty() { field.name.to_owned() } else { format!("{path}.{}", field.name) };
        if !field.doc.is_empty() {
            let _ = writeln!(out, "{indent}# {}", field.doc);
        }
        if let Some(nested) = field.nested_info() {
            let _ = writeln!(out, "{indent}{}:", field.name);
            write_struct(out, nested, prefix, &child, depth + 1);
            continue;
        }
        let vars = crate::schema::vars_of(field, prefix, &child);
        let mut notes = Vec::new();
        notes.push(format!("type {}", field.ty));
        if field.secret {
            notes.push("secret: prefer a variable or a secret file".to_owned());
        }
        if !vars.is_empty() {
            notes.push(format!("variables {}", vars.join(", ")));
        }
        for rule in field.rules {
            notes.push(format!("rule {rule}"));
        }
        let _ = writeln!(out, "{indent}# {}", notes.join("; "));
        match super::env_table::shown_default(field).map(|d| (d, default_value(d))) {
            Some((_, Some(value))) if !field.secret => {
                let _ = writeln!(out, "{indent}{}: {}", field.name, yaml_scalar(&value));
            }
            Some((written, _)) => {
                let _ = writeln!(out, "{indent}# {}:   # default {written}", field.name);
            }
            None => {
                let _ = writeln!(out, "{indent}# {}:", field.name);
            }
        }
    }
}

/// Quotes a value when YAML would read it otherwise.
fn yaml_scalar(value: &str) -> String {
    let plain_ok = !value.is_empty()
        && !value.starts_with(|c: char| " -?:,[]{}#&*!|>'\"%@`".contains(c))
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(' ');
    if plain_ok { value.to_owned() } else { format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"")) }
}
