//! The table of variables and the `.env.example` file.

use std::fmt::Write as _;

use super::type_name::type_name;
use crate::PhoenixConfig;
use crate::schema::Leaf;

/// The doc comment and an enum's choices, the same in the Markdown table
/// and the text one (empty when there is neither).
fn described(leaf: &Leaf) -> String {
    let choices = super::choices::choices(leaf.field).map(|c| format!("Choices: {c}."));
    [leaf.field.doc.to_owned(), choices.unwrap_or_default()].join(" ").trim().to_owned()
}

/// The Markdown table's description cell: [`described`], or a dash.
fn description(leaf: &Leaf) -> String {
    let text = described(leaf);
    if text.is_empty() { "—".to_owned() } else { text }
}

/// A field's default as the docs show it: a literal as written, a computed
/// one by its value ([`DefaultValue::shown`](crate::schema::DefaultValue::shown));
/// `(secret)` for a secret's, which is never evaluated.
pub(crate) fn shown_default(field: &crate::schema::FieldInfo) -> Option<String> {
    field.default.map(|d| if field.is_secret() { "(secret)".to_owned() } else { d.shown() })
}

/// The default column: the default (as code in Markdown), or what an
/// absent value means (`none (optional)`, `required`, `required when
/// `tls` is set`), the same words in the Markdown table and the text one.
fn default_cell(leaf: &Leaf, markdown: bool) -> String {
    let cell = match shown_default(leaf.field) {
        Some(d) if leaf.field.is_secret() => return d,
        Some(d) if markdown => return format!("`{d}`"),
        Some(d) => return d,
        None if leaf.field.optional => optional_cell(leaf),
        None => required(leaf),
    };
    if markdown { cell } else { cell.replace('`', "") }
}

/// An optional leaf without a default: `none (optional)`, and the
/// environments whose `required_in(..)` require it.
fn optional_cell(leaf: &Leaf) -> String {
    match required_in(leaf.field) {
        Some(environments) => format!("none (optional; required in {})", environments.join(", ")),
        None => "none (optional)".to_owned(),
    }
}

/// A leaf without a default: `required`, or, inside an optional section,
/// required only when that section is there.
pub(crate) fn required(leaf: &Leaf) -> String {
    match &leaf.optional_section {
        Some(section) => format!("required when `{section}` is set"),
        None => "required".to_owned(),
    }
}

/// The environments of a field's `required_in(..)` rules.
pub(crate) fn required_in(field: &crate::schema::FieldInfo) -> Option<Vec<&'static str>> {
    let names: Vec<&'static str> = field
        .rules
        .iter()
        .filter_map(|rule| match rule {
            crate::schema::Rule::RequiredIn(names) => Some(*names),
            _ => None,
        })
        .flatten()
        .copied()
        .collect();
    (!names.is_empty()).then_some(names)
}

fn escape_cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// Which files a load reads, in words: the layer files of the config folder
/// (every format) for the declared environments, and the folder's variable.
pub(crate) fn files_read(info: &crate::schema::StructInfo) -> String {
    let formats = crate::format::EXTENSIONS.join(",");
    let environments: Vec<&str> = info.environments.iter().map(|e| e.name).collect();
    let folder = match info.prefix {
        Some(prefix) => format!("`${prefix}_CONFIG_DIR`, else `./config`"),
        None => "`./config`".to_owned(),
    };
    format!(
        "Files read, lowest layer first: `base.{{{formats}}}`, then `{{environment}}.{{{formats}}}` for the \
         environment in effect ({}), at most one file per layer, in the config folder ({folder}).",
        environments.join(", ")
    )
}

/// Every variable the settings read, as a Markdown table: variable, the
/// other names it answers to (aliases, the automatic name, `_FILE`), key,
/// type (what the value is written as: `text`, `u32`, `duration`, `size`,
/// `one of debug, info`, `list of u32`), default, secret, description.
pub fn env_markdown<T: PhoenixConfig>() -> String {
    let info = T::describe();
    let mut out = String::new();
    let _ = writeln!(out, "# Environment variables of `{}`\n", info.name);
    out.push_str(
        "Generated from the settings struct; do not edit. Every variable also has a `NAME_FILE` form \
         that reads the value from a file.\n\n",
    );
    let _ = writeln!(out, "{}\n", files_read(info));
    out.push_str("| Variable | Also read | Key | Type | Default | Secret | Description |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for leaf in info.leaves() {
        let Some((first, rest)) = leaf.vars.split_first() else {
            let _ = writeln!(
                out,
                "| — | — | `{}` | `{}` | {} | {} | {} |",
                leaf.path,
                escape_cell(&type_name(leaf.field)),
                escape_cell(&default_cell(&leaf, true)),
                if leaf.field.is_secret() { "yes" } else { "no" },
                escape_cell(&description(&leaf)),
            );
            continue;
        };
        // Items' variables read `NAME_FILE` too (`APP_PROXIES_<N>_PASSWORD_FILE`).
        let mut also: Vec<String> = rest.iter().map(|v| format!("`{v}`")).collect();
        also.push(format!("`{first}_FILE`"));
        let _ = writeln!(
            out,
            "| `{first}` | {} | `{}` | `{}` | {} | {} | {} |",
            also.join(", "),
            leaf.path,
            escape_cell(&type_name(leaf.field)),
            escape_cell(&default_cell(&leaf, true)),
            if leaf.field.is_secret() { "yes" } else { "no" },
            escape_cell(&description(&leaf)),
        );
    }
    out
}

/// The same table as aligned plain text, for a terminal.
pub fn env_text<T: PhoenixConfig>() -> String {
    let rows: Vec<[String; 6]> = T::describe()
        .leaves()
        .iter()
        .map(|leaf| {
            [
                leaf.vars.join(", "),
                leaf.path.clone(),
                type_name(leaf.field),
                default_cell(leaf, false),
                if leaf.field.is_secret() { "secret".to_owned() } else { String::new() },
                described(leaf),
            ]
        })
        .collect();
    let header = ["VARIABLES", "KEY", "TYPE", "DEFAULT", "SECRET", "DESCRIPTION"].map(str::to_owned);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:width$}  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// What the `.env` example says of one variable: secret, required, its
/// default, choices, the other names it answers to.
fn dotenv_notes(leaf: &Leaf, rest: &[String]) -> Vec<String> {
    let mut notes = Vec::new();
    if leaf.field.is_secret() {
        notes.push("secret".to_owned());
    }
    if leaf.field.default.is_none() && !leaf.field.optional {
        notes.push(required(leaf));
    }
    if let Some(environments) = required_in(leaf.field) {
        notes.push(format!("required in {}", environments.join(", ")));
    }
    if let Some(default) = shown_default(leaf.field) {
        notes.push(format!("default {default}"));
    }
    notes.extend(super::choices::choices(leaf.field).map(|choices| format!("one of {choices}")));
    if !rest.is_empty() {
        notes.push(format!("also {}", rest.join(", ")));
    }
    notes
}

/// A commented `.env.example` with every variable: descriptions, defaults,
/// and secrets left blank.
pub fn dotenv_example<T: PhoenixConfig>() -> String {
    let info = T::describe();
    let mut out = format!(
        "# .env example for `{}` (generated; copy to .env and fill in what you need).\n\
         # A real environment variable beats a .env entry. Every NAME also has a NAME_FILE form.\n\
         # Values expand like docker compose: URL=http://${{HOST:-localhost}}:$PORT/x reads variables,\n\
         # then entries above; '$X' in single quotes and $$ or \\$ stay a literal $.\n",
        info.name
    );
    let mut section = String::new();
    for leaf in info.leaves() {
        let Some((first, rest)) = leaf.vars.split_first() else { continue };
        let top = leaf.path.split('.').next().unwrap_or_default();
        if top != section && leaf.path.contains('.') {
            let _ = write!(out, "\n# --- {top} ---\n");
            top.clone_into(&mut section);
        }
        let _ = write!(out, "\n# {}", leaf.path);
        if !leaf.field.doc.is_empty() {
            let _ = write!(out, ": {}", leaf.field.doc);
        }
        out.push('\n');
        let notes = dotenv_notes(&leaf, rest);
        if !notes.is_empty() {
            let _ = writeln!(out, "# ({})", notes.join("; "));
        }
        let value = if leaf.field.is_secret() {
            None
        } else {
            leaf.field.default.and_then(|d| d.file_text(&(leaf.field.kind)()))
        };
        let _ = writeln!(out, "# {first}={}", value.unwrap_or_default());
    }
    out
}
