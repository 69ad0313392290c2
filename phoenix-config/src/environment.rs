//! The deployment environment: development, testing or production.

use std::fmt;
use std::str::FromStr;

/// The environment a service runs in; it picks `config/{environment}.yaml`.
///
/// Detected from `ENVIRONMENT`, then `PHOENIX_ENVIRONMENT` (process
/// environment, injected variables, or `.env`); unset means
/// [`Environment::Development`]. An unknown name is an error, never a silent
/// fallback.
///
/// ```
/// use phoenix_config::Environment;
///
/// assert_eq!("PROD".parse::<Environment>().unwrap(), Environment::Production);
/// assert_eq!(Environment::Testing.as_str(), "testing");
/// assert!("staging".parse::<Environment>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Environment {
    /// A developer's machine; the default when nothing is set.
    #[default]
    Development,
    /// Automated tests: local and mock endpoints, no external services.
    Testing,
    /// The real deployment.
    Production,
}

impl Environment {
    /// Every environment, in order.
    pub const ALL: [Environment; 3] = [Environment::Development, Environment::Testing, Environment::Production];

    /// The canonical lowercase name, also the stem of its YAML file.
    pub const fn as_str(self) -> &'static str {
        match self {
            Environment::Development => "development",
            Environment::Testing => "testing",
            Environment::Production => "production",
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of [`Environment::from_str`]: the name is not one we know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEnvironment {
    name: String,
}

impl UnknownEnvironment {
    /// The name that was given.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for UnknownEnvironment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown environment `{}`, expected one of development (dev), testing (test), production (prod)",
            self.name
        )
    }
}

impl std::error::Error for UnknownEnvironment {}

impl FromStr for Environment {
    type Err = UnknownEnvironment;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let is = |a: &str| t.eq_ignore_ascii_case(a);
        if is("development") || is("dev") {
            Ok(Environment::Development)
        } else if is("testing") || is("test") {
            Ok(Environment::Testing)
        } else if is("production") || is("prod") {
            Ok(Environment::Production)
        } else {
            Err(UnknownEnvironment { name: s.to_owned() })
        }
    }
}

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
    fn rejects_unknown_names_listing_the_accepted_ones() {
        let err = "staging".parse::<Environment>().unwrap_err();
        assert_eq!(err.name(), "staging");
        let text = err.to_string();
        assert!(text.contains("`staging`") && text.contains("production (prod)"), "{text}");
        assert!("".parse::<Environment>().is_err());
    }
}
