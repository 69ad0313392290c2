//! The crate's own variable names, which follow the root prefix.
//!
//! | name | with `prefix = "APP"` | without a prefix |
//! |---|---|---|
//! | environment | `ENVIRONMENT`, then `APP_ENVIRONMENT` | `ENVIRONMENT` |
//! | config folder | `APP_CONFIG_DIR` | none (`./config`, or [`ConfigLoader::config_dir`](crate::ConfigLoader::config_dir)) |
//! | current key | `APP_CONFIG_KEY` (or `APP_CONFIG_KEY_FILE`) | `CONFIG_KEY` |
//! | previous keys | `APP_CONFIG_PREVIOUS_KEYS` (or `…_FILE`) | `CONFIG_PREVIOUS_KEYS` |
//! | `SecretManager` prefix | `APP_SECRET_` | `SECRET_` |
//!
//! The Phoenix settings (`prefix = "PHOENIX"`) read `PHOENIX_ENVIRONMENT`,
//! `PHOENIX_CONFIG_DIR`, `PHOENIX_CONFIG_KEY`, …; no other crate reads a
//! `PHOENIX_*` name. [`ConfigLoader::name_prefix`](crate::ConfigLoader::name_prefix)
//! sets the prefix of these names apart from the root's.

/// The crate's own names for one prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Names {
    /// The prefix these names are made of, if any.
    pub(crate) prefix: Option<String>,
    /// Environment variables tried in order: `ENVIRONMENT`, `<P>_ENVIRONMENT`.
    pub(crate) environment: Vec<String>,
    /// The config folder variable, `<P>_CONFIG_DIR`.
    pub(crate) config_dir: Option<String>,
    /// `(<P>_CONFIG_KEY, <P>_CONFIG_KEY_FILE)`.
    pub(crate) key: (String, String),
    /// `(<P>_CONFIG_PREVIOUS_KEYS, <P>_CONFIG_PREVIOUS_KEYS_FILE)`.
    pub(crate) previous_keys: (String, String),
}

impl Names {
    /// The names of a crate with this prefix (or none).
    pub(crate) fn new(prefix: Option<&str>) -> Names {
        let with = |suffix: &str| match prefix {
            Some(p) => joined(p, suffix),
            None => suffix.to_owned(),
        };
        let mut environment = vec!["ENVIRONMENT".to_owned()];
        environment.extend(prefix.map(|p| joined(p, "ENVIRONMENT")));
        Names {
            prefix: prefix.map(str::to_owned),
            environment,
            config_dir: prefix.map(|p| joined(p, "CONFIG_DIR")),
            key: (with("CONFIG_KEY"), with("CONFIG_KEY_FILE")),
            previous_keys: (with("CONFIG_PREVIOUS_KEYS"), with("CONFIG_PREVIOUS_KEYS_FILE")),
        }
    }

    /// The key variables as the key ring reads them.
    pub(crate) fn key_vars(&self) -> [(&str, &str); 2] {
        [(&self.key.0, &self.key.1), (&self.previous_keys.0, &self.previous_keys.1)]
    }

    /// Whether `name` is one of these names (so not an unknown variable).
    pub(crate) fn is_own(&self, name: &str) -> bool {
        self.may_own(name.as_bytes()) && self.is_listed(name)
    }

    /// `false` when `name` cannot be one of these names: with a prefix,
    /// every name but `ENVIRONMENT` starts with it, and without one each
    /// starts with `ENVIRONMENT` or `CONFIG_`. Most of a process's variables
    /// fail this byte compare.
    pub(crate) fn may_own(&self, name: &[u8]) -> bool {
        match &self.prefix {
            Some(prefix) => name.starts_with(prefix.as_bytes()) || name == b"ENVIRONMENT",
            None => name.starts_with(b"CONFIG_") || name == b"ENVIRONMENT",
        }
    }

    fn is_listed(&self, name: &str) -> bool {
        self.environment.iter().any(|n| n == name)
            || self.config_dir.as_deref() == Some(name)
            || [&self.key.0, &self.key.1, &self.previous_keys.0, &self.previous_keys.1].iter().any(|n| *n == name)
            || self
                .prefix
                .as_ref()
                .is_some_and(|p| name.strip_prefix(p.as_str()).is_some_and(|r| r.starts_with("_SECRET_")))
    }
}

/// `{prefix}_{suffix}`, in one allocation (every load builds these names).
fn joined(prefix: &str, suffix: &str) -> String {
    let mut name = String::with_capacity(prefix.len() + 1 + suffix.len());
    name.push_str(prefix);
    name.push('_');
    name.push_str(suffix);
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_prefix() {
        let app = Names::new(Some("APP"));
        assert_eq!(app.environment, ["ENVIRONMENT", "APP_ENVIRONMENT"]);
        assert_eq!(app.config_dir.as_deref(), Some("APP_CONFIG_DIR"));
        assert_eq!(
            app.key_vars(),
            [("APP_CONFIG_KEY", "APP_CONFIG_KEY_FILE"), ("APP_CONFIG_PREVIOUS_KEYS", "APP_CONFIG_PREVIOUS_KEYS_FILE")]
        );
        assert!(app.is_own("APP_SECRET_TOKEN") && app.is_own("APP_CONFIG_KEY") && !app.is_own("APP_PORT"));
        // Every own name but `ENVIRONMENT` starts with the prefix.
        assert!(app.is_own("ENVIRONMENT") && app.is_own("APP_ENVIRONMENT") && app.is_own("APP_CONFIG_DIR"));
        assert!(!app.is_own("CONFIG_KEY") && !app.is_own("SECRET_TOKEN") && !app.is_own("PATH") && !app.is_own(""));
        let none = Names::new(None);
        assert_eq!(none.environment, ["ENVIRONMENT"]);
        assert_eq!(none.config_dir, None);
        assert_eq!(none.key.0, "CONFIG_KEY");
        assert!(
            none.is_own("ENVIRONMENT") && none.is_own("CONFIG_PREVIOUS_KEYS_FILE") && !none.is_own("APP_CONFIG_KEY")
        );
    }
}
