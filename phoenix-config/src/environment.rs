//! The deployment environment: any name (`development`, `staging`,
//! `eu-west`, …), and the environments a root struct declares.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;
use std::sync::{Mutex, OnceLock, PoisonError};

/// The environment a service runs in; it picks `config/{environment}.yaml`
/// (or `.yml`, `.toml`, `.json`).
///
/// Any name made of lowercase letters, digits, `-` and `_` is an
/// environment (names are case-insensitive and kept lowercase). The three
/// built-ins are associated constants, usable in expressions and in `match`
/// patterns; [`FromStr`] also accepts `dev`, `test` and `prod` for them.
///
/// Which environments a settings type runs in is declared on its root
/// struct with `#[config(environments("development", "staging",
/// "production"))]` (the default is the three built-ins). The loader detects
/// the environment from `ENVIRONMENT`, then `<PREFIX>_ENVIRONMENT` (the root
/// prefix: `PHOENIX_ENVIRONMENT` for the Phoenix settings); unset means
/// [`Environment::Development`]; a name that is not declared is an
/// [`IssueKind::Environment`](crate::IssueKind::Environment) error listing the
/// declared ones, never a silent fallback.
///
/// ```
/// use phoenix_config::Environment;
///
/// assert_eq!("PROD".parse::<Environment>().unwrap(), Environment::Production);
/// assert_eq!(Environment::Testing.as_str(), "testing");
/// let staging: Environment = "staging".parse().unwrap();
/// assert_eq!(staging.to_string(), "staging");
/// match staging {
///     Environment::Production => unreachable!(),
///     other => assert_eq!(other.as_str(), "staging"),
/// }
/// assert!("no such/name".parse::<Environment>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Environment {
    name: &'static str,
}

/// Longest environment name accepted.
const MAX_NAME: usize = 64;

#[allow(non_upper_case_globals)]
impl Environment {
    /// A developer's machine; the default when nothing is set.
    pub const Development: Environment = Environment { name: "development" };
    /// Automated tests: local and mock endpoints, no external services.
    pub const Testing: Environment = Environment { name: "testing" };
    /// The real deployment.
    pub const Production: Environment = Environment { name: "production" };

    /// The three built-in environments, in order (the default declared set).
    pub const ALL: [Environment; 3] = [Environment::Development, Environment::Testing, Environment::Production];

    /// The name, lowercase; also the stem of its file (`staging` →
    /// `config/staging.yaml`).
    pub const fn as_str(self) -> &'static str {
        self.name
    }

    /// The environment of exactly this name (no `dev`/`test`/`prod`
    /// aliases), lowercased; an error when it is not a valid name.
    pub fn named(name: &str) -> Result<Environment, UnknownEnvironment> {
        let lower = name.trim().to_ascii_lowercase();
        if !is_valid_name(&lower) {
            return Err(UnknownEnvironment { name: name.to_owned(), expected: None });
        }
        Ok(Environment { name: intern(lower) })
    }

    /// An environment of a `'static` name, for generated code and
    /// declarations (the name is taken as written).
    #[doc(hidden)]
    pub const fn from_static(name: &'static str) -> Environment {
        Environment { name }
    }
}

impl Default for Environment {
    fn default() -> Self {
        Environment::Development
    }
}

/// Whether `name` is a valid (lowercase) environment name.
pub(crate) fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.len() <= MAX_NAME
}

/// The one `'static` copy of a name: each distinct name is kept once for
/// the life of the process (names are short and few).
fn intern(name: String) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    for builtin in Environment::ALL {
        if builtin.name == name {
            return builtin.name;
        }
    }
    let mut names = NAMES.get_or_init(Mutex::default).lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(&known) = names.get(name.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.into_boxed_str());
    names.insert(leaked);
    leaked
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Environment::Development => f.write_str("Development"),
            Environment::Testing => f.write_str("Testing"),
            Environment::Production => f.write_str("Production"),
            Environment { name } => f.debug_tuple("Environment").field(&name).finish(),
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// The built-in short names: `dev`, `test`, `prod`.
fn builtin_alias(name: &str) -> Option<Environment> {
    match name {
        "dev" => Some(Environment::Development),
        "test" => Some(Environment::Testing),
        "prod" => Some(Environment::Production),
        _ => None,
    }
}

impl FromStr for Environment {
    type Err = UnknownEnvironment;

    /// `development|dev`, `testing|test`, `production|prod` in any case, or
    /// any other valid name.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        match builtin_alias(&lower) {
            Some(environment) => Ok(environment),
            None => Environment::named(s),
        }
    }
}

/// One environment a root struct declares, with its other names
/// (`#[config(environments("production" = ["prod", "live"]))]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnvironmentDecl {
    /// The name, lowercase: the stem of its file.
    pub name: &'static str,
    /// Other names that select it (detection, `--env`), lowercase.
    pub aliases: &'static [&'static str],
}

/// The environments of a root struct without `#[config(environments(...))]`.
pub const DEFAULT_ENVIRONMENTS: &[EnvironmentDecl] = &[
    EnvironmentDecl { name: "development", aliases: &["dev"] },
    EnvironmentDecl { name: "testing", aliases: &["test"] },
    EnvironmentDecl { name: "production", aliases: &["prod"] },
];

/// The declared environment `text` names (its name, one of its aliases, or a
/// built-in short name of a declared built-in), in any case.
pub(crate) fn resolve(declared: &[EnvironmentDecl], text: &str) -> Result<Environment, UnknownEnvironment> {
    let lower = text.trim().to_ascii_lowercase();
    let by_decl = declared.iter().find(|d| d.name == lower || d.aliases.contains(&lower.as_str()));
    if let Some(decl) = by_decl {
        return Ok(Environment::from_static(decl.name));
    }
    if let Some(builtin) = builtin_alias(&lower).filter(|b| is_declared(declared, *b)) {
        return Ok(builtin);
    }
    Err(UnknownEnvironment { name: text.to_owned(), expected: Some(list(declared)) })
}

/// Whether `environment` is one of `declared`.
pub(crate) fn is_declared(declared: &[EnvironmentDecl], environment: Environment) -> bool {
    declared.iter().any(|d| d.name == environment.as_str())
}

/// `development (dev), staging, production (prod)`.
pub(crate) fn list(declared: &[EnvironmentDecl]) -> String {
    let shown: Vec<String> = declared
        .iter()
        .map(
            |d| if d.aliases.is_empty() { d.name.to_owned() } else { format!("{} ({})", d.name, d.aliases.join(", ")) },
        )
        .collect();
    shown.join(", ")
}

/// The `required_in` environments of a settings tree, for the
/// compile-time check against the root's declarations. Generated code only.
#[doc(hidden)]
#[derive(Debug)]
pub struct RequiredIn {
    /// `(name, message)` for each `required_in` name of the struct's fields.
    pub names: &'static [(&'static str, &'static str)],
    /// The same for each `#[config(nested)]` section.
    pub children: &'static [&'static RequiredIn],
}

impl RequiredIn {
    /// A struct without `required_in` rules or sections.
    pub const NONE: RequiredIn = RequiredIn { names: &[], children: &[] };
}

/// Panics (a compile error, in const evaluation) with the message of the
/// first `required_in` name of `tree` that `declared` does not have.
pub(crate) const fn check_required_in(declared: &[EnvironmentDecl], tree: &RequiredIn) {
    let mut i = 0;
    while i < tree.names.len() {
        let (name, message) = tree.names[i];
        assert!(declares(declared, name), "{}", message);
        i += 1;
    }
    let mut j = 0;
    while j < tree.children.len() {
        check_required_in(declared, tree.children[j]);
        j += 1;
    }
}

/// Whether a declared name is `name` (const: byte by byte).
const fn declares(declared: &[EnvironmentDecl], name: &str) -> bool {
    let mut i = 0;
    while i < declared.len() {
        if same(declared[i].name, name) {
            return true;
        }
        i += 1;
    }
    false
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The error of [`Environment::from_str`] (not a valid name) and of
/// detection (not a declared environment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEnvironment {
    name: String,
    /// The declared environments, listed, when the name is valid but not declared.
    expected: Option<String>,
}

impl UnknownEnvironment {
    /// The name that was given.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for UnknownEnvironment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = crate::message::quote(&self.name);
        match &self.expected {
            Some(expected) => write!(f, "unknown environment {name}, expected one of {expected}"),
            None => write!(
                f,
                "{name} is not a valid environment name: use lowercase letters, digits, `-` and `_` (at most {MAX_NAME})"
            ),
        }
    }
}

impl std::error::Error for UnknownEnvironment {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling_in_any_case() {
        for (text, env) in [
            ("development", Environment::Development),
            ("Dev", Environment::Development),
            ("TESTING", Environment::Testing),
            ("test", Environment::Testing),
            ("production", Environment::Production),
            ("pRoD", Environment::Production),
            (" prod ", Environment::Production),
        ] {
            assert_eq!(text.parse::<Environment>(), Ok(env), "{text}");
        }
    }

    #[test]
    fn any_valid_name_is_an_environment_and_interned_once() {
        let staging: Environment = "Staging".parse().unwrap();
        assert_eq!(staging.as_str(), "staging");
        assert_eq!(format!("{staging:?}"), "Environment(\"staging\")");
        assert_eq!(format!("{:?}", Environment::Production), "Production");
        let again = Environment::named("staging").unwrap();
        assert!(std::ptr::eq(staging.as_str(), again.as_str()));
        assert_eq!(Environment::named("production").unwrap(), Environment::Production);
    }

    #[test]
    fn rejects_invalid_names() {
        for bad in ["", "a b", "../etc", "-x", &"x".repeat(65)] {
            let err = bad.parse::<Environment>().unwrap_err();
            assert!(err.to_string().contains("is not a valid environment name"), "{err}");
        }
    }

    #[test]
    fn resolves_against_declared_names_and_aliases() {
        const DECLARED: &[EnvironmentDecl] = &[
            EnvironmentDecl { name: "development", aliases: &[] },
            EnvironmentDecl { name: "staging", aliases: &["stage"] },
            EnvironmentDecl { name: "production", aliases: &["live"] },
        ];
        assert_eq!(resolve(DECLARED, "STAGE").unwrap().as_str(), "staging");
        assert_eq!(resolve(DECLARED, "live").unwrap(), Environment::Production);
        assert_eq!(resolve(DECLARED, "prod").unwrap(), Environment::Production);
        let err = resolve(DECLARED, "testing").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown environment `testing`, expected one of development, staging (stage), production (live)"
        );
        assert_eq!(list(DEFAULT_ENVIRONMENTS), "development (dev), testing (test), production (prod)");
    }
}
