//! TOML layers, through the `toml` crate's spanned document
//! (`toml::de::DeTable`): every key and value keeps its line and column.

use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Lines, not_utf8};
use crate::node::{Entry, Node, NodeKind, ScalarStyle};
use crate::{Issue, IssueKind};

/// Parses a TOML document; every syntax error is reported, each with its
/// line and column.
pub(super) fn parse(bytes: &[u8], shown: &Arc<str>) -> Result<Option<Node>, Vec<Issue>> {
    let text = std::str::from_utf8(bytes).map_err(|e| vec![at_value_start(not_utf8(bytes, &e, shown), bytes)])?;
    let lines = Lines::new(text);
    let (document, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|error| {
                let at = shown_at(text, error.span().map_or(0, |span| span.start));
                Issue::new(IssueKind::Syntax, "", first_line_lowercase(error.message()))
                    .with_origin(lines.origin(shown, at))
            })
            .collect());
    }
    let reader = Reader { lines: &lines, path: shown };
    let span = document.span();
    Ok(Some(reader.table(document.get_ref(), span.start)))
}

/// The issue of a file that is not UTF-8 at the start of the value that
/// holds the bad byte, not at the byte (see [`shown_at`]).
fn at_value_start(issue: Issue, bytes: &[u8]) -> Issue {
    let Some(crate::Origin::File { path, .. }) = issue.origin() else { return issue };
    let valid = bytes.utf8_chunks().next().map_or("", |chunk| chunk.valid());
    let origin = Lines::new(valid).origin(path, shown_at(valid, valid.len()));
    Issue::new(issue.kind(), issue.path(), issue.message()).with_origin(origin)
}

/// Where a syntax error is shown: never inside or after a value, whose
/// characters and length the column would tell (it may be a secret), so
/// an error past a line's `key =` is shown at the value's start, and one
/// on a line without a `key =` (inside a multi-line value) at the line's
/// start, as YAML errors are.
fn shown_at(text: &str, at: usize) -> usize {
    let Some(head) = text.get(..at) else { return at };
    let start = head.rfind('\n').map_or(0, |newline| newline + 1);
    let line = text[start..].split('\n').next().unwrap_or_default();
    match value_start(line) {
        Some(value) if start + value < at => start + value,
        Some(_) => at,
        None => start,
    }
}

/// The byte offset of the value of a `key = value` line: past the first
/// `=` outside a quoted key, and the blanks after it (a `[table]` line has
/// none: its end).
fn value_start(line: &str) -> Option<usize> {
    if line.trim_start().starts_with('[') {
        return Some(line.len());
    }
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => return None,
            (None, '=') => {
                let rest = &line[i + 1..];
                return Some(i + 1 + rest.len() - rest.trim_start_matches([' ', '\t']).len());
            }
            _ => {}
        }
    }
    None
}

/// A TOML message as ours read: one line, starting lowercase, no final period.
fn first_line_lowercase(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default().trim().trim_end_matches('.');
    let mut chars = line.chars();
    chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
}

struct Reader<'r> {
    lines: &'r Lines<'r>,
    path: &'r Arc<str>,
}

impl Reader<'_> {
    fn table(&self, table: &DeTable<'_>, at: usize) -> Node {
        let entries = table
            .iter()
            .map(|(key, value)| Entry {
                key: key.get_ref().to_string().into(),
                key_origin: self.lines.origin(self.path, key.span().start),
                value: self.value(value),
            })
            .collect();
        Node { kind: NodeKind::Map(entries), origin: self.lines.origin(self.path, at) }
    }

    fn value(&self, value: &Spanned<DeValue<'_>>) -> Node {
        let at = value.span().start;
        let origin = self.lines.origin(self.path, at);
        let plain = |text: String| Node::scalar(text, ScalarStyle::Plain, origin.clone());
        match value.get_ref() {
            DeValue::String(text) => Node::scalar(text.to_string(), ScalarStyle::Quoted, origin),
            DeValue::Integer(integer) => plain(integer_text(integer.as_str(), integer.radix())),
            DeValue::Float(float) => plain(float_text(float.as_str())),
            DeValue::Boolean(flag) => plain(flag.to_string()),
            DeValue::Datetime(datetime) => Node::scalar(datetime.to_string(), ScalarStyle::Quoted, origin),
            DeValue::Array(items) => {
                Node { kind: NodeKind::Seq(items.iter().map(|v| self.value(v)).collect()), origin }
            }
            DeValue::Table(table) => self.table(table, at),
        }
    }
}

/// An integer in decimal (`0x1F` → `31`, `1_000` → `1000`).
fn integer_text(digits: &str, radix: u32) -> String {
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    let body = clean.trim_start_matches(['+']);
    let body =
        body.strip_prefix("0x").or_else(|| body.strip_prefix("0o")).or_else(|| body.strip_prefix("0b")).unwrap_or(body);
    match i128::from_str_radix(body, radix) {
        Ok(value) if radix != 10 => value.to_string(),
        _ => clean.trim_start_matches('+').to_owned(),
    }
}

/// A float as YAML reads it (`inf` → `.inf`, `1_000.5` → `1000.5`).
fn float_text(text: &str) -> String {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    match clean.trim_start_matches('+') {
        "inf" => ".inf".to_owned(),
        "-inf" => "-.inf".to_owned(),
        "nan" | "-nan" => ".nan".to_owned(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin_of(node: &Node, path: &[&str]) -> String {
        let mut node = node;
        for key in path {
            node = node.get(key).unwrap_or_else(|| panic!("no {key}"));
        }
        node.origin.to_string()
    }

    #[test]
    fn every_value_has_its_line_and_column() {
        let text =
            "name = \"svc\"\n[database]\nurl = \"mongodb://x\"\nmax_pool_size = 0x10\nzips = [\"02134\", 85001]\n";
        let tree = parse(text.as_bytes(), &"base.toml".into()).unwrap().unwrap();
        assert_eq!(origin_of(&tree, &["name"]), "base.toml:1:8");
        assert_eq!(origin_of(&tree, &["database", "url"]), "base.toml:3:7");
        let pool = tree.get("database").unwrap().get("max_pool_size").unwrap();
        assert_eq!(pool.kind, NodeKind::Scalar { text: "16".into(), style: ScalarStyle::Plain });
        let NodeKind::Seq(zips) = &tree.get("database").unwrap().get("zips").unwrap().kind else { panic!() };
        assert_eq!(zips[0].kind, NodeKind::Scalar { text: "02134".into(), style: ScalarStyle::Quoted });
        assert_eq!(zips[1].origin.to_string(), "base.toml:5:18");
    }

    #[test]
    fn an_error_inside_or_after_a_value_is_shown_at_the_values_start() {
        // The column would tell a secret's length, or where in it a bad
        // character is: errors point at the value, as YAML's do.
        let at = |text: &str| parse(text.as_bytes(), &"s.toml".into()).unwrap_err()[0].origin().unwrap().to_string();
        assert_eq!(at("uri = \"SEC\\qRET\"\n"), "s.toml:1:7");
        assert_eq!(at("uri = \"SECRET\n"), "s.toml:1:7");
        assert_eq!(at("uri = \"SECRET\" junk\n"), "s.toml:1:7");
        assert_eq!(at("[db]\n\"u=ri\" = 'SECRET\n"), "s.toml:2:10");
        assert_eq!(at("db = { uri = \"SEC\\qRET\" }\n"), "s.toml:1:6");
        // Inside a multi-line value, a line holds nothing but the value.
        assert_eq!(at("s = \"\"\"\nSEC\\qRET\n\"\"\"\n"), "s.toml:2:1");
        // A byte that is not UTF-8 too.
        let bad = parse(b"[db]\nuri = \"SECRET\xffX\"\n", &"s.toml".into()).unwrap_err();
        assert_eq!(bad[0].to_string(), "s.toml:2:7: the file is not valid UTF-8");
        // Before the value, and in a table's name, the column stays.
        assert_eq!(at("a b = 1\n"), "s.toml:1:3");
        assert_eq!(at("[d b]\n"), "s.toml:1:3");
    }

    #[test]
    fn every_error_has_its_line_and_column() {
        let errors = parse(b"a = 1\nb = = 2\nc = \"x\n", &"base.toml".into()).unwrap_err();
        assert!(errors.len() >= 2, "{errors:?}");
        assert!(errors[0].to_string().starts_with("base.toml:2:"), "{}", errors[0]);
        assert!(errors.iter().all(|e| e.kind() == IssueKind::Syntax));
        let err = &parse(b"a = 1\na = 2\n", &"base.toml".into()).unwrap_err()[0];
        assert!(err.to_string().starts_with("base.toml:2:1"), "{err}");
        let message = err.message();
        assert!(message.chars().next().unwrap().is_lowercase() && !message.ends_with('.'), "{message}");
    }
}
