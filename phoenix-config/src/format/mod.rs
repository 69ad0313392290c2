//! The formats of a config layer's file: YAML (`.yaml`, `.yml`), TOML
//! (`.toml`) and JSON (`.json`), each read into a [`Node`] tree with the line
//! and column of every value.
//!
//! JSON is read by the YAML reader (JSON is YAML 1.2 flow syntax): its
//! strings stay strings (`"02134"`), numbers, `true`/`false` and `null` are
//! typed as in JSON, and errors carry line and column.

#[cfg(feature = "toml")]
mod toml;

use std::path::Path;
use std::sync::Arc;

use crate::limits::Limits;
use crate::node::Node;
use crate::{Issue, IssueKind, Origin, yaml};

/// The extensions a layer's file may have, in the order they are looked for.
pub(crate) const EXTENSIONS: [&str; 4] = ["yaml", "yml", "toml", "json"];

/// A file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Yaml,
    Toml,
    Json,
}

impl Format {
    /// The format of a file, by its extension.
    pub(crate) fn of(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()? {
            "yaml" | "yml" => Some(Format::Yaml),
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Parses a file's bytes; `Ok(None)` for an empty document.
pub(crate) fn parse(
    format: Format,
    bytes: &[u8],
    shown: &Arc<str>,
    limits: &Limits,
) -> Result<Option<Node>, Vec<Issue>> {
    match format {
        Format::Yaml | Format::Json => yaml::parse(bytes, shown, limits),
        Format::Toml => parse_toml(bytes, shown),
    }
}

#[cfg(feature = "toml")]
fn parse_toml(bytes: &[u8], shown: &Arc<str>) -> Result<Option<Node>, Vec<Issue>> {
    toml::parse(bytes, shown)
}

#[cfg(not(feature = "toml"))]
fn parse_toml(_: &[u8], shown: &Arc<str>) -> Result<Option<Node>, Vec<Issue>> {
    Err(vec![
        Issue::new(
            IssueKind::Syntax,
            "",
            "TOML files need the `toml` feature of phoenix-config: enable it in Cargo.toml (features = [\"toml\"])",
        )
        .with_origin(Origin::File { path: shown.clone(), line: 1, column: 1 }),
    ])
}

/// Line and column (1-based, columns in characters) of byte offsets in a text.
#[cfg_attr(not(feature = "toml"), allow(dead_code))]
pub(crate) struct Lines<'t> {
    text: &'t str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

#[cfg_attr(not(feature = "toml"), allow(dead_code))]
impl<'t> Lines<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        Lines { text, starts }
    }

    /// The origin of the byte at `offset` in the file `path`.
    pub(crate) fn origin(&self, path: &Arc<str>, offset: usize) -> Origin {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&start| start <= offset).saturating_sub(1);
        let start = self.starts[line];
        let column = self.text.get(start..offset).map_or(offset - start, |head| head.chars().count());
        Origin::File {
            path: path.clone(),
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }
}

/// An issue for a file that is not UTF-8, at the first bad byte.
#[cfg_attr(not(feature = "toml"), allow(dead_code))]
pub(crate) fn not_utf8(bytes: &[u8], error: &std::str::Utf8Error, shown: &Arc<str>) -> Issue {
    let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
    Issue::new(IssueKind::Syntax, "", "the file is not valid UTF-8")
        .with_origin(Lines::new(valid).origin(shown, valid.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_columns_in_characters() {
        let path: Arc<str> = "f".into();
        let lines = Lines::new("a = 1\nné = 2\n");
        assert_eq!(lines.origin(&path, 0).to_string(), "f:1:1");
        assert_eq!(lines.origin(&path, 6).to_string(), "f:2:1");
        assert_eq!(lines.origin(&path, 10).to_string(), "f:2:4");
    }

    #[test]
    fn json_goes_through_the_yaml_reader_with_positions() {
        let path: Arc<str> = "base.json".into();
        let tree = parse(Format::Json, b"{\n  \"zip\": \"02134\",\n  \"port\": 8080\n}\n", &path, &Limits::default())
            .unwrap()
            .unwrap();
        assert_eq!(tree.get("zip").unwrap().origin.to_string(), "base.json:2:10");
        assert_eq!(tree.get("port").unwrap().origin.to_string(), "base.json:3:11");
        let err = parse(Format::Json, b"{\n  \"a\": 1,,\n}", &path, &Limits::default()).unwrap_err();
        assert!(err[0].origin().unwrap().to_string().starts_with("base.json:2:"), "{}", err[0]);
    }

    #[cfg(not(feature = "toml"))]
    #[test]
    fn a_toml_file_without_the_feature_is_an_error_naming_it() {
        let path: Arc<str> = "config/base.toml".into();
        let err = parse(Format::Toml, b"a = 1\n", &path, &Limits::default()).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(
            err[0].message(),
            "TOML files need the `toml` feature of phoenix-config: enable it in Cargo.toml (features = [\"toml\"])"
        );
        assert_eq!(err[0].origin().unwrap().to_string(), "config/base.toml:1:1");
    }
}
