//! Layered, typed, secret-safe configuration for Rust services, with the
//! origin of every value.
//!
//! ```
//! use phoenix_config::{ConfigLoader, Environment, PhoenixConfig, Secret};
//!
//! #[derive(PhoenixConfig)]
//! #[config(prefix = "PHOENIX")]
//! struct Settings {
//!     #[config(nested)]
//!     database: Database,
//! }
//!
//! #[derive(PhoenixConfig)]
//! struct Database {
//!     #[env("MONGODB_URI", alias = "PHOENIX_DATABASE_URI")]
//!     #[secret]
//!     uri: String,
//!     #[config(default = 10)]
//!     max_pool_size: u32,
//! }
//!
//! let loaded = ConfigLoader::new()
//!     .environment(Environment::Testing)
//!     .config_dir("no/such/dir")
//!     .no_dotenv()
//!     .env_vars([("PHOENIX_DATABASE_URI", "mongodb://db:27017")])
//!     .set("database.max_pool_size", "5")
//!     .load_with_origins::<Settings>()?;
//! assert_eq!(loaded.config().database.max_pool_size, 5);
//! assert_eq!(
//!     loaded.origin("database.uri").unwrap().to_string(),
//!     "env PHOENIX_DATABASE_URI (alias of MONGODB_URI)"
//! );
//! assert!(!format!("{:?}", loaded.config()).contains("mongodb://"));
//! # Ok::<(), phoenix_config::ConfigError>(())
//! ```

#[doc(hidden)]
pub mod __private;
mod cache;
#[cfg(feature = "cli")]
pub mod cli;
mod config;
mod de;
#[cfg(feature = "docs")]
pub mod docs;
mod dotenv;
mod environment;
mod error;
mod limits;
mod loaded;
mod loader;
mod node;
mod origin;
mod plan;
pub mod schema;
pub mod secret;
mod suggest;
pub mod validate;
#[cfg(feature = "watch")]
mod watch;
mod yaml;

pub use cache::{get_config, get_config_for, reset_config_cache};
pub use config::PhoenixConfig;
pub use environment::{Environment, UnknownEnvironment};
pub use error::{ConfigError, Issue, IssueKind, ValidationError};
pub use limits::Limits;
pub use loaded::Loaded;
pub use loader::ConfigLoader;
pub use origin::Origin;
#[doc(inline)]
pub use secret::{Secret, SecretManager};
#[cfg(feature = "watch")]
pub use watch::{ReloadEvent, WatchOptions, Watcher};

/// `#[derive(PhoenixConfig)]`: see the crate documentation for the attributes.
#[cfg(feature = "derive")]
pub use phoenix_config_derive::PhoenixConfig;

/// The serde this crate uses, for `#[derive(Deserialize)]` on your own leaf
/// types without a direct dependency: `#[serde(crate = "phoenix_config::serde")]`.
pub use serde;
