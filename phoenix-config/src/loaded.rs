//! [`Loaded`]: a config with the origin of every value.

use std::fmt;

use crate::__private::LeafRecord;
use crate::loader::Inputs;
use crate::{Environment, Issue, Origin};

/// A loaded configuration with the origin of every leaf, from
/// [`ConfigLoader::load_with_origins`](crate::ConfigLoader::load_with_origins).
///
/// Its `Display` is a table of every leaf: path, value (secrets
/// `[REDACTED]`) and origin.
///
/// ```
/// use phoenix_config::{ConfigLoader, Environment, PhoenixConfig};
///
/// #[derive(PhoenixConfig)]
/// struct Settings {
///     #[env("API_TOKEN")]
///     #[secret]
///     token: String,
///     #[config(default = 3)]
///     retries: u32,
/// }
///
/// let loaded = ConfigLoader::new()
///     .environment(Environment::Testing)
///     .config_dir("none")
///     .no_dotenv()
///     .env_vars([("API_TOKEN", "t0ps3cret")])
///     .load_with_origins::<Settings>()?;
/// assert_eq!(loaded.environment(), Environment::Testing);
/// assert_eq!(loaded.origin("token").unwrap().to_string(), "env API_TOKEN");
/// assert_eq!(loaded.origin("retries").unwrap().to_string(), "default");
/// let table = loaded.to_string();
/// assert!(table.contains("[REDACTED]") && !table.contains("t0ps3cret"));
/// assert_eq!(loaded.config().retries, 3);
/// # Ok::<(), phoenix_config::ConfigError>(())
/// ```
pub struct Loaded<T> {
    config: T,
    environment: Environment,
    leaves: Vec<LeafRecord>,
    warnings: Vec<Issue>,
    inputs: Inputs,
}

impl<T> Loaded<T> {
    pub(crate) fn new(
        config: T,
        environment: Environment,
        leaves: Vec<LeafRecord>,
        warnings: Vec<Issue>,
        inputs: Inputs,
    ) -> Self {
        Loaded { config, environment, leaves, warnings, inputs }
    }

    /// Splits the configuration from its origins.
    #[cfg_attr(not(feature = "watch"), allow(dead_code))]
    pub(crate) fn take(self) -> (T, Loaded<()>) {
        let Loaded { config, environment, leaves, warnings, inputs } = self;
        (config, Loaded { config: (), environment, leaves, warnings, inputs })
    }

    #[cfg_attr(not(feature = "watch"), allow(dead_code))]
    pub(crate) fn records(&self) -> &[LeafRecord] {
        &self.leaves
    }

    /// The files this configuration was read from or looked for (YAML
    /// files, `.env`, secret files), whether or not they existed.
    pub fn files(&self) -> impl Iterator<Item = &std::path::Path> {
        self.inputs.files.iter().map(std::path::PathBuf::as_path)
    }

    /// The configuration.
    pub fn config(&self) -> &T {
        &self.config
    }

    /// Takes the configuration out.
    pub fn into_config(self) -> T {
        self.config
    }

    /// The environment it was loaded for.
    pub fn environment(&self) -> Environment {
        self.environment
    }

    /// Where the value at a dotted path came from (`database.max_pool_size`).
    pub fn origin(&self, path: &str) -> Option<&Origin> {
        self.leaves.iter().find(|l| l.path == path).map(|l| &l.origin)
    }

    /// Every leaf: path, value as printed (secrets `[REDACTED]`), origin;
    /// and each section field that holds no section (`tls`, `unset`; an
    /// empty list or map of sections, `[]` or `{}`).
    pub fn leaves(&self) -> impl Iterator<Item = (&str, &str, &Origin)> {
        self.leaves.iter().map(|l| (l.path.as_str(), l.value.as_str(), &l.origin))
    }

    /// Problems that did not stop the load (a field's variables set to
    /// different values: the first name won).
    pub fn warnings(&self) -> &[Issue] {
        &self.warnings
    }
}

impl<T: fmt::Debug> fmt::Debug for Loaded<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Loaded")
            .field("config", &self.config)
            .field("environment", &self.environment)
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Display for Loaded<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path_width = self.leaves.iter().map(|l| l.path.chars().count()).max().unwrap_or(0);
        let value_width = self.leaves.iter().map(|l| l.value.chars().count()).max().unwrap_or(0).min(60);
        writeln!(f, "# environment: {}", self.environment)?;
        for leaf in &self.leaves {
            writeln!(f, "{:path_width$}  {:value_width$}  {}", leaf.path, leaf.value, leaf.origin)?;
        }
        for warning in &self.warnings {
            writeln!(f, "# warning: {warning}")?;
        }
        Ok(())
    }
}
