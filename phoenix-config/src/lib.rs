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
//!
//! The layers, lowest to highest: defaults → `config/base.*` →
//! `config/{environment}.*` (each `.yaml`, `.yml`, `.toml` or `.json`) →
//! [sources](source::Source) added with [`ConfigLoader::source`] → `.env`
//! (not the automatic one in production) → secrets folder → variables →
//! [`ConfigLoader::set`] overrides. The environments are declared on the root
//! struct ([`Environment`]); the crate's own variable names follow its root
//! prefix. Every problem of a load comes back at
//! once in a [`ConfigError`], each [`Issue`] with the [`Origin`] of the value
//! at fault; secrets ([`Secret`], `#[secret]`) never appear in any output.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `derive` | yes | `#[derive(PhoenixConfig)]` |
//! | `toml` | no | `.toml` layer files (the `toml` crate's spanned parser; 5 crates); without it a `.toml` layer file is an error saying to enable it |
//! | `watch` | yes | live reload: [`ConfigLoader::watch`] (a polling thread, no dependency) |
//! | `docs` | no | `docs`: JSON Schema, variable table, `.env` example, YAML template (adds `serde_json`) |
//! | `cli` | no | `cli`: the ready command line (`show`, `check`, `env`, `schema`, `keygen`, `encrypt`, …); implies `docs` and `encryption` |
//! | `etcd` | no | [`etcd::EtcdSource`]: settings in an etcd cluster, followed by its watch stream (adds `serde_json`) |
//! | `encryption` | no | `enc:v1:` values (XChaCha20-Poly1305), `secret::keygen`, `secret::encrypt`, `secret::rotate`; without it an `enc:v1:` value is an error saying to enable it |
//! | `serde-derive` | no | serde's derive through the re-export ([`serde`]), for `#[derive(phoenix_config::serde::Deserialize)]` |
//! | `fuzzing` | no | entry points of the fuzz targets; not public API |
//!
//! The defaults keep a clean build light (README, Performance): what only
//! some users need — TOML, the crypto stack, serde's derive, the command
//! line — is opt-in.

#![deny(missing_docs)]
#![forbid(unsafe_code)]
// No library function above cognitive complexity 10 (clippy.toml sets the
// threshold; CI's `-D warnings` enforces it). Unit tests are exempt: a test
// that walks a table of cases reads best as one function.
#![warn(clippy::cognitive_complexity)]
#![cfg_attr(test, allow(clippy::cognitive_complexity))]
#![cfg_attr(docsrs, feature(doc_cfg))]
// The crate docs link to items of every feature (`etcd::EtcdSource`, the key
// tools of `encryption`); docs.rs and CI build them with every feature. Docs
// of a subset (`cargo doc -p phoenix-config`) leave those links as text.
#![cfg_attr(
    not(all(feature = "etcd", feature = "encryption", feature = "cli", feature = "docs")),
    allow(rustdoc::broken_intra_doc_links)
)]

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod __fuzz;
// The fuzz targets derive `PhoenixConfig` inside the crate: its code names `::phoenix_config`.
#[cfg(all(feature = "fuzzing", feature = "derive"))]
extern crate self as phoenix_config;
#[doc(hidden)]
pub mod __private;
pub mod build;
mod cache;
#[cfg(feature = "cli")]
#[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
pub mod cli;
mod config;
mod config_enum;
mod de;
#[cfg(feature = "docs")]
#[cfg_attr(docsrs, doc(cfg(feature = "docs")))]
pub mod docs;
mod dotenv;
mod enum_name;
mod environment;
mod error;
#[cfg(feature = "etcd")]
#[cfg_attr(docsrs, doc(cfg(feature = "etcd")))]
pub mod etcd;
mod format;
mod interpolate;
mod limits;
mod loaded;
mod loader;
mod message;
mod name_hash;
mod names;
mod node;
mod origin;
mod plan;
mod read;
pub mod schema;
pub mod secret;
pub mod source;
mod suggest;
mod units;
pub mod validate;
pub mod vars;
#[cfg(feature = "watch")]
mod watch;
mod written;
mod yaml;

pub use cache::{get_config, get_config_for, reset_config_cache};
pub use config::PhoenixConfig;
pub use config_enum::ConfigEnum;
pub use environment::{Environment, UnknownEnvironment};
pub use error::{ConfigError, Issue, IssueKind, ValidationError};
pub use limits::Limits;
pub use loaded::Loaded;
pub use loader::ConfigLoader;
pub use node::{Entry, Node, NodeKind, ScalarStyle};
pub use origin::Origin;
#[doc(inline)]
pub use secret::{Secret, SecretManager};
pub use units::ByteSize;
#[cfg(feature = "watch")]
#[cfg_attr(docsrs, doc(cfg(feature = "watch")))]
pub use watch::{ReloadEvent, Subscription, WatchOptions, WatchStatus, Watcher};

/// Derives [`ConfigEnum`](trait@ConfigEnum) for an enum of unit variants
/// (beside `Deserialize`): each variant's doc comment describes its name.
#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
pub use phoenix_config_derive::ConfigEnum;
/// Derives [`PhoenixConfig`](trait@PhoenixConfig) and a redacting `Debug`
/// for a struct with named fields.
///
/// # Container attributes
///
/// | attribute | meaning |
/// |---|---|
/// | `#[config(prefix = "PHOENIX")]` | every leaf also answers to `PHOENIX_` + its path upper-cased (`PHOENIX_DATABASE_MAX_POOL_SIZE`); put it on the root struct |
/// | `#[config(environments("development", "staging", "production" = ["prod"]))]` | the environments the root runs in, each with optional aliases (default: development, testing, production); `required_in` names are checked against them at compile time |
/// | `#[config(validate = path::to_fn)]` | a cross-field rule, `fn(&Self) -> Result<(), String>`, run once every field is valid |
/// | `#[config(allow_unknown_keys)]` | keys the struct does not have are ignored instead of reported |
/// | `#[config(crate = "path")]` | where phoenix-config is, for a renamed or re-exported dependency |
///
/// # Field attributes
///
/// | attribute | meaning |
/// |---|---|
/// | `#[env("NAME")]`, `#[env("NAME", alias = "A", alias = "B")]` | variable names, tried in that order (then the automatic prefixed name) |
/// | `#[secret]` | the value never appears in `Debug`, `Loaded`, errors or logs; `base64:` and `enc:v1:` values are decoded. A `Secret<T>` field is a secret without it |
/// | `#[config(default = <expr>)]` | the value when no layer provides one; a string literal on a field that is not a `String` (an enum, a list, a `Secret`) converts like a variable's text |
/// | `#[config(default)]` | the type's `Default` when no layer provides a value |
/// | `#[config(nested)]` | a section whose type also derives `PhoenixConfig`; also an `Option`, `Box`, `Vec`, `HashMap<String, _>` or `BTreeMap<String, _>` of one (items at `proxies[1].host`, `regions.us.bucket`; variables `PREFIX_PROXIES_1_HOST`, `PREFIX_REGIONS_US_BUCKET`); `#[config(nested, default)]` makes an absent list or map empty |
/// | `#[config(rename = "key")]` | the file key; the automatic variable follows it |
/// | `#[config(with = path::to_fn)]` | reads the value's text with `fn(&str) -> Result<T, E>` (`E: Display`) instead of serde; on an `Option<T>` field the function returns `T` |
/// | `#[validate(rule, …)]` | rules checked while loading and by `validate()`: `zipcode`, `url`, `email`, `non_empty`, `port`, `range(min = a, max = b)`, `length(min = a, max = b)`, `one_of("a", "b")`, `each(<rules>)`, `custom = path::to_fn`, `required_in("production")` |
///
/// `#[serde(...)]` on the struct or a field is a compile error naming the
/// attribute to write instead.
///
/// A leaf whose type is an enum deriving [`ConfigEnum`](trait@ConfigEnum)
/// (or an `Option`, list, set or map of one) shows each name's variant doc
/// comment in the JSON Schema (`enumDescriptions`) and the generated docs.
///
/// Doc comments become the descriptions of the generated docs (`env`,
/// `schema`, `template`). An `Option<T>` field may be absent; any other field
/// without a value or a default is reported missing. Misused attributes are
/// compile errors on the offending token, all reported at once.
///
/// ```
/// use phoenix_config::{ConfigLoader, Environment, IssueKind, PhoenixConfig, Secret};
///
/// fn pool_fits(db: &Database) -> Result<(), String> {
///     if db.min_pool_size <= db.max_pool_size { Ok(()) } else { Err("min_pool_size is above max_pool_size".into()) }
/// }
///
/// /// MongoDB settings.
/// #[derive(PhoenixConfig)]
/// #[config(prefix = "PHOENIX", validate = pool_fits)]
/// struct Database {
///     /// Connection string.
///     #[env("MONGODB_URI", alias = "PHOENIX_DATABASE_URI")]
///     #[secret]
///     #[validate(url)]
///     uri: String,
///     #[config(default = 10)]
///     #[validate(range(min = 1, max = 500))]
///     max_pool_size: u32,
///     #[config(default = 1)]
///     min_pool_size: u32,
///     password: Option<Secret<String>>,
///     #[validate(each(zipcode))]
///     #[config(default = Vec::new())]
///     zips: Vec<String>,
/// }
///
/// let loader = ConfigLoader::new().environment(Environment::Testing).config_dir("none").no_dotenv();
/// let db: Database = loader.clone().env_vars([("MONGODB_URI", "mongodb://db:27017")]).load()?;
/// assert_eq!(db.max_pool_size, 10);
/// assert!(format!("{db:?}").contains("[REDACTED]"));
///
/// let err = loader
///     .env_vars([("MONGODB_URI", "nope"), ("PHOENIX_MAX_POOL_SIZE", "0"), ("PHOENIX_ZIPS", "8500")])
///     .load::<Database>()
///     .unwrap_err();
/// assert_eq!(err.issues().len(), 4); // every problem at once, the cross-field rule too
/// assert!(err.issues().iter().all(|i| i.kind() == IssueKind::Validation));
/// assert!(!err.to_string().contains("nope"), "a secret's value never shows");
/// # Ok::<(), phoenix_config::ConfigError>(())
/// ```
#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
pub use phoenix_config_derive::PhoenixConfig;

/// The serde this crate uses, for `#[derive(Deserialize)]` on your own leaf
/// types without a direct dependency: `#[serde(crate = "phoenix_config::serde")]`
/// (feature `serde-derive`).
// With the feature, serde itself; without it `serde_core`, the same traits
// (serde only re-exports them) without the derive's helpers. The crate's own
// code says `serde` either way; unit tests have serde, a dev-dependency.
#[cfg(any(test, feature = "serde-derive"))]
pub use serde;
/// The serde this crate uses, for `#[derive(Deserialize)]` on your own leaf
/// types without a direct dependency: `#[serde(crate = "phoenix_config::serde")]`
/// (feature `serde-derive`).
#[cfg(not(any(test, feature = "serde-derive")))]
pub extern crate serde_core as serde;
