//! Errors: one [`ConfigError`] holds every [`Issue`] found in a load.

use std::fmt;

use crate::Origin;

/// What kind of problem an [`Issue`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IssueKind {
    /// No source provides a value for a required field.
    Missing,
    /// A value is present but cannot be converted to the field's type.
    Invalid,
    /// A value was converted but breaks a `#[validate(...)]` rule.
    Validation,
    /// A key in a file, or an override, that the settings do not have.
    UnknownKey,
    /// A file that does not parse (YAML, `.env`).
    Syntax,
    /// Two sources or two fields disagree: conflicting variables, one
    /// variable used by two fields, `NAME` together with `NAME_FILE`.
    Conflict,
    /// A secret could not be read or decoded (bad base64, wrong key,
    /// tampered ciphertext, unreadable secret file).
    Secret,
    /// The environment name is unknown.
    Environment,
    /// A file exists but cannot be read (permissions, a directory, too large).
    Io,
}

impl fmt::Display for IssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IssueKind::Missing => "missing",
            IssueKind::Invalid => "invalid",
            IssueKind::Validation => "validation",
            IssueKind::UnknownKey => "unknown key",
            IssueKind::Syntax => "syntax",
            IssueKind::Conflict => "conflict",
            IssueKind::Secret => "secret",
            IssueKind::Environment => "environment",
            IssueKind::Io => "io",
        })
    }
}

/// One problem found while loading: a path, a kind, a message and, where
/// known, the [`Origin`] of the value at fault.
///
/// Displays on one line as `path: message (origin)`. Messages are lowercase,
/// without a trailing period, and never contain a secret's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    kind: IssueKind,
    path: String,
    message: String,
    origin: Option<Origin>,
    /// For a message that names a key inside a map (a file's duplicate
    /// key): that map, and the message without the key, used when the map
    /// is a secret (its keys are part of it). Resolved by the loader.
    within: Option<Box<Within>>,
}

/// The map a message names a key of, and the message without it.
#[derive(Clone, PartialEq, Eq)]
struct Within {
    /// The dotted path of the map.
    path: String,
    /// The message naming no key.
    message: String,
}

/// Neither the path (it may run through keys of a secret map) nor the message.
impl fmt::Debug for Within {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Within(..)")
    }
}

impl Issue {
    /// A new issue. `path` is the dotted field path (`database.uri`), or
    /// empty for a problem with a whole file.
    pub fn new(kind: IssueKind, path: impl Into<String>, message: impl Into<String>) -> Self {
        Issue { kind, path: path.into(), message: message.into(), origin: None, within: None }
    }

    /// The same issue, whose message names a key of the map at `path`:
    /// `without` (naming no key) replaces it if that map turns out to be a
    /// secret ([`Issue::hide_secret_keys`]).
    #[must_use]
    pub(crate) fn naming_a_key_of(mut self, path: String, without: impl Into<String>) -> Self {
        self.within = Some(Box::new(Within { path, message: without.into() }));
        self
    }

    /// Adds `text` to the message (a note on the same cause).
    pub(crate) fn append(&mut self, text: &str) {
        self.message.push_str(text);
    }

    /// The issue as shown: when its message names a key of a map that
    /// `is_secret` says is a secret, the message that names none.
    #[must_use]
    pub(crate) fn hide_secret_keys(mut self, is_secret: impl Fn(&str) -> bool) -> Self {
        if let Some(within) = self.within.take()
            && is_secret(&within.path)
        {
            self.message = within.message;
        }
        self
    }

    /// The same issue, saying where the value came from.
    #[must_use]
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = Some(origin);
        self
    }

    /// Sets the origin when one is known.
    #[must_use]
    pub fn with_origin_opt(mut self, origin: Option<Origin>) -> Self {
        self.origin = origin;
        self
    }

    /// The dotted path of the field (`database.max_pool_size`,
    /// `target_zipcodes[2]`); empty when the issue concerns a whole file.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> IssueKind {
        self.kind
    }

    /// The message alone, without path or origin.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the value at fault came from, when known.
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.origin, self.path.is_empty()) {
            (Some(origin), true) => write!(f, "{origin}: {}", self.message),
            (Some(origin), false) => write!(f, "{}: {} (from {origin})", self.path, self.message),
            (None, true) => f.write_str(&self.message),
            (None, false) => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Every problem found in one load — never just the first.
///
/// ```
/// use phoenix_config::{ConfigError, Issue, IssueKind};
///
/// let err = ConfigError::from_issues(vec![
///     Issue::new(IssueKind::Missing, "database.uri", "missing value"),
///     Issue::new(IssueKind::Invalid, "database.max_pool_size", "`abc` is not a valid u32"),
/// ]);
/// assert_eq!(err.issues().len(), 2);
/// assert!(err.to_string().starts_with("2 configuration problems"));
/// // `Debug` is the same report: what `main` returning the error prints.
/// assert_eq!(format!("{err:?}"), err.to_string());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ConfigError {
    issues: Vec<Issue>,
    warnings: Vec<Issue>,
}

impl ConfigError {
    /// An error made of these issues (at least one is expected).
    pub fn from_issues(issues: Vec<Issue>) -> Self {
        ConfigError { issues, warnings: Vec::new() }
    }

    /// The same error with the warnings of the load that failed.
    #[must_use]
    pub fn with_warnings(mut self, warnings: Vec<Issue>) -> Self {
        self.warnings = warnings;
        self
    }

    /// An error of one issue.
    pub fn single(issue: Issue) -> Self {
        ConfigError { issues: vec![issue], warnings: Vec::new() }
    }

    /// Every problem, in the order found.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// The warnings of the load that failed, scrubbed of secrets like the
    /// issues (the same as [`Loaded::warnings`](crate::Loaded::warnings) on
    /// success): one may explain the failure, e.g. the environment set by
    /// `.env`. `Display` shows the issues only; the command line prints
    /// these before them.
    pub fn warnings(&self) -> &[Issue] {
        &self.warnings
    }

    /// Takes the issues out.
    pub fn into_issues(self) -> Vec<Issue> {
        self.issues
    }

    /// Whether any issue is of this kind.
    pub fn has(&self, kind: IssueKind) -> bool {
        self.issues.iter().any(|i| i.kind == kind)
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.issues.as_slice() {
            [] => f.write_str("configuration error"),
            [one] => write!(f, "configuration problem: {one}"),
            many => {
                write!(f, "{} configuration problems:", many.len())?;
                for issue in many {
                    write!(f, "\n  - {issue}")?;
                }
                Ok(())
            }
        }
    }
}

/// The same report as `Display`, so that `fn main() -> Result<(), ConfigError>`
/// prints every problem in words, not a struct dump.
impl fmt::Debug for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for ConfigError {}

impl From<Issue> for ConfigError {
    fn from(issue: Issue) -> Self {
        ConfigError::single(issue)
    }
}

/// A broken `#[validate(...)]` rule, as returned by
/// [`PhoenixConfig::validate`](crate::PhoenixConfig::validate).
///
/// Displays as `path: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    path: String,
    message: String,
}

impl ValidationError {
    /// A new validation error for the field at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        ValidationError { path: path.into(), message: message.into() }
    }

    /// The dotted path of the field, with `[i]` for list elements.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong, lowercase; never a secret's value.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", self.path, self.message) }
    }
}

impl std::error::Error for ValidationError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_displays_on_one_line_with_its_origin() {
        let issue = Issue::new(IssueKind::Invalid, "database.max_pool_size", "`abc` is not a valid u32")
            .with_origin(Origin::Env { name: "PHOENIX_DATABASE_MAX_POOL_SIZE".into(), alias_of: None });
        assert_eq!(
            issue.to_string(),
            "database.max_pool_size: `abc` is not a valid u32 (from env PHOENIX_DATABASE_MAX_POOL_SIZE)"
        );
        let file = Issue::new(IssueKind::Syntax, "", "did not find expected key").with_origin(Origin::File {
            path: "config/base.yaml".into(),
            line: 3,
            column: 5,
        });
        assert_eq!(file.to_string(), "config/base.yaml:3:5: did not find expected key");
        assert!(!file.to_string().contains('\n'));
    }

    #[test]
    fn config_error_lists_every_issue() {
        let err = ConfigError::from_issues(vec![
            Issue::new(IssueKind::Missing, "a", "missing value"),
            Issue::new(IssueKind::Missing, "b", "missing value"),
        ]);
        assert_eq!(err.to_string(), "2 configuration problems:\n  - a: missing value\n  - b: missing value");
        assert!(err.has(IssueKind::Missing));
        assert!(!err.has(IssueKind::Syntax));
    }

    #[test]
    fn validation_error_displays_path_and_message() {
        let e = ValidationError::new("target_zipcodes[2]", "must be a US zip code");
        assert_eq!(e.to_string(), "target_zipcodes[2]: must be a US zip code");
    }
}
