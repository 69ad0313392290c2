//! An annotated YAML file with every key.

use std::fmt::Write as _;

use crate::PhoenixConfig;
use crate::schema::{Nested, SectionShape, StructInfo};

/// An annotated YAML template of `T`: every key with its description,
/// variables and default; keys without a default are left commented out.
pub fn yaml_template<T: PhoenixConfig>() -> String {
    let info = T::describe();
    let mut out = format!(
        "# Settings of `{}` (generated template).\n\
         # Values may interpolate: `port: ${{PORT:-8080}}` (a variable, else .env, else the default),\n\
         # `url: http://${{.server.host}}/x` (another key); write `$${{` for a literal `${{`.\n",
        info.name
    );
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
        if let Some(nested) = field.nested {
            write_section(out, field.name, nested, prefix, &child, depth);
            continue;
        }
        let _ = writeln!(out, "{indent}# {}", notes(field, prefix, &child).join("; "));
        let text = field.default.and_then(|d| d.file_text(&(field.kind)()));
        match super::env_table::shown_default(field).map(|d| (d, text)) {
            Some((_, Some(value))) if !field.is_secret() => {
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

/// The notes above a leaf: its type (an enum's names come with their
/// descriptions instead), secret-ness, variables, rules, choices.
fn notes(field: &crate::schema::FieldInfo, prefix: Option<&str>, path: &str) -> Vec<String> {
    let vars = crate::schema::vars_of(field, prefix, path);
    let mut notes = Vec::new();
    let choices = super::choices::choices(field);
    if choices.is_none() {
        notes.push(format!("type {}", super::type_name::type_name(field)));
    }
    if field.is_secret() {
        notes.push("secret: prefer a variable or a secret file".to_owned());
    }
    if !vars.is_empty() {
        notes.push(format!("variables {}", vars.join(", ")));
    }
    for rule in field.rules {
        notes.push(format!("rule {rule}"));
    }
    notes.extend(choices.map(|choices| format!("one of {choices}")));
    notes
}

/// A section; a list or a map of sections is written as one commented-out
/// item (`- host: …`, `<key>: …`) under a note saying so.
fn write_section(out: &mut String, name: &str, nested: Nested, prefix: Option<&str>, path: &str, depth: usize) {
    let indent = "  ".repeat(depth);
    let info = (nested.info)();
    let (what, item) = match nested.shape {
        SectionShape::One | SectionShape::Boxed => {
            let _ = writeln!(out, "{indent}{name}:");
            write_struct(out, info, prefix, path, depth + 1);
            return;
        }
        SectionShape::Optional => {
            let _ = writeln!(out, "{indent}# optional section: leave it out for none");
            let _ = writeln!(out, "{indent}{name}:");
            write_struct(out, info, prefix, path, depth + 1);
            return;
        }
        SectionShape::List => ("a list; each item has these keys", "-"),
        SectionShape::Map => ("a map of named entries; each has these keys", "<key>:"),
    };
    let _ = writeln!(out, "{indent}# {name}: {what} (variables {})", item_vars(prefix, path, nested.shape));
    let _ = writeln!(out, "{indent}# {name}:");
    let _ = writeln!(out, "{indent}#   {item}");
    let mut items = String::new();
    write_struct(&mut items, info, None, path, 0);
    for line in items.lines() {
        let _ = writeln!(out, "{indent}#     {line}");
    }
}

/// `PHOENIX_PROXIES_<N>_…` for the items of a list or a map.
fn item_vars(prefix: Option<&str>, path: &str, shape: SectionShape) -> String {
    match (prefix, shape.var_placeholder()) {
        (Some(prefix), Some(placeholder)) => format!("{}_{placeholder}_…", crate::schema::automatic_var(prefix, path)),
        _ => "none".to_owned(),
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
