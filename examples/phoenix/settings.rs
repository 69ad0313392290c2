//! The settings of the Phoenix Real Estate data collector.
//!
//! Shared by the `phoenix` example, the integration tests and the benches
//! (they include this file with `#[path]`).

// The collector reads every field; this example only loads and prints them,
// and the types are `pub` for the tests and benches that include this file.
#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

use phoenix_config::serde::Deserialize;
use phoenix_config::{ConfigEnum, PhoenixConfig, Secret};

/// Everything the collector reads at start-up.
#[derive(PhoenixConfig)]
#[config(prefix = "PHOENIX")]
pub struct Settings {
    /// MongoDB connection and pool.
    #[config(nested)]
    pub database: Database,
    /// What to collect and how fast.
    #[config(nested)]
    pub collection: Collection,
    /// The WebShare proxy pool.
    #[config(nested)]
    pub proxy: Proxy,
    /// Keys of the external APIs.
    #[config(nested)]
    pub api_keys: ApiKeys,
    /// Log level, format and file.
    #[config(nested)]
    pub logging: Logging,
    /// Batch processing and the local LLM.
    #[config(nested)]
    pub processing: Processing,
    /// Deployment hardening.
    #[config(nested)]
    pub security: Security,
}

/// MongoDB connection and pool.
#[derive(PhoenixConfig)]
pub struct Database {
    /// MongoDB connection string (may hold credentials).
    #[env("MONGODB_URI", alias = "PHOENIX_DATABASE_URI")]
    #[secret]
    #[validate(url)]
    pub uri: String,
    /// Database name.
    #[env("MONGODB_DATABASE")]
    #[config(default = "phoenix_real_estate")]
    #[validate(non_empty)]
    pub name: String,
    /// Largest number of pooled connections.
    #[config(default = 10)]
    #[validate(range(min = 1, max = 500))]
    pub max_pool_size: u32,
    /// Connections kept open when idle.
    #[config(default = 1)]
    #[validate(range(max = 500))]
    pub min_pool_size: u32,
    /// Connection timeout, milliseconds.
    #[config(default = 5000)]
    #[validate(range(min = 100, max = 120_000))]
    pub connect_timeout_ms: u64,
    /// Server selection timeout, milliseconds.
    #[config(default = 5000)]
    #[validate(range(min = 100, max = 120_000))]
    pub server_selection_timeout_ms: u64,
}

/// What to collect and how fast.
#[derive(PhoenixConfig)]
pub struct Collection {
    /// Requests allowed per hour against each source.
    #[config(default = 1000)]
    #[validate(range(min = 1, max = 100_000))]
    pub rate_limit_per_hour: u32,
    /// Shortest pause between two requests, seconds.
    #[config(default = 3.6)]
    #[validate(range(min = 0.0, max = 3600.0))]
    pub min_request_delay_secs: f64,
    /// Retries of a failed request.
    #[config(default = 3)]
    #[validate(range(max = 20))]
    pub max_retries: u32,
    /// First back-off between retries, seconds (doubles each retry).
    #[config(default = 2.0)]
    #[validate(range(min = 0.0, max = 600.0))]
    pub retry_backoff_secs: f64,
    /// User agent sent with every request.
    #[config(default = "PhoenixRealEstateCollector/1.0")]
    #[validate(non_empty)]
    pub user_agent: String,
    /// Phoenix zip codes to collect.
    #[validate(length(min = 1), each(zipcode))]
    pub target_zipcodes: Vec<String>,
}

/// The WebShare proxy pool.
#[derive(PhoenixConfig)]
#[config(validate = proxy_credentials_pair)]
pub struct Proxy {
    /// Route requests through the proxy pool.
    #[config(default = false)]
    pub enabled: bool,
    /// Proxy host.
    #[env("WEBSHARE_PROXY_HOST")]
    #[config(default = "proxy.webshare.io")]
    #[validate(non_empty)]
    pub host: String,
    /// Proxy port.
    #[env("WEBSHARE_PROXY_PORT")]
    #[config(default = 80)]
    #[validate(port)]
    pub port: u16,
    /// Proxy user name.
    #[env("WEBSHARE_USERNAME")]
    pub username: Option<String>,
    /// Proxy password.
    #[env("WEBSHARE_PASSWORD")]
    pub password: Option<Secret<String>>,
    /// Rotate to another proxy after this many requests.
    #[config(default = 50)]
    #[validate(range(min = 1))]
    pub rotate_every_requests: u32,
    /// Proxies tried in order when the pool fails (none by default).
    #[config(nested, default)]
    pub fallbacks: Vec<ProxyEndpoint>,
}

/// One fallback proxy.
#[derive(PhoenixConfig)]
pub struct ProxyEndpoint {
    /// Proxy host.
    #[validate(non_empty)]
    pub host: String,
    /// Proxy port.
    #[validate(port)]
    pub port: u16,
}

fn proxy_credentials_pair(proxy: &Proxy) -> Result<(), String> {
    match (&proxy.username, &proxy.password) {
        (Some(_), None) => Err("proxy username is set without a password: set both or neither".to_owned()),
        (None, Some(_)) => Err("proxy password is set without a username: set both or neither".to_owned()),
        _ => Ok(()),
    }
}

/// Keys of the external APIs.
#[derive(PhoenixConfig)]
pub struct ApiKeys {
    /// Maricopa County assessor API key (required in production).
    #[env("MARICOPA_API_KEY")]
    #[validate(required_in("production"))]
    pub maricopa: Option<Secret<String>>,
    /// WebShare API key (proxy list management).
    #[env("WEBSHARE_API_KEY")]
    pub webshare: Option<Secret<String>>,
    /// Captcha-solving service API key.
    #[env("CAPTCHA_API_KEY")]
    pub captcha: Option<Secret<String>>,
}

/// Log level, format and file.
#[derive(PhoenixConfig)]
pub struct Logging {
    /// Least severe level written.
    #[env("LOG_LEVEL")]
    #[config(default = "info")]
    pub level: LogLevel,
    /// `text` for people, `json` for log collectors.
    #[config(default = "text")]
    pub format: LogFormat,
    /// Also write logs to this file.
    pub file: Option<PathBuf>,
}

/// How much to log (each variant's doc comment describes its name in the
/// JSON Schema and the generated docs: `ConfigEnum`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ConfigEnum)]
#[serde(crate = "phoenix_config::serde", rename_all = "lowercase")]
pub enum LogLevel {
    /// Everything.
    Trace,
    /// Diagnostics.
    Debug,
    /// Normal operation.
    Info,
    /// Something to look at.
    Warn,
    /// Something failed.
    Error,
}

/// How logs are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ConfigEnum)]
#[serde(crate = "phoenix_config::serde", rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per event.
    Json,
}

/// Batch processing and the local LLM.
#[derive(PhoenixConfig)]
pub struct Processing {
    /// Properties processed per batch.
    #[config(default = 100)]
    #[validate(range(min = 1, max = 10_000))]
    pub batch_size: u32,
    /// Batches processed at once.
    #[config(default = 4)]
    #[validate(range(min = 1, max = 64))]
    pub max_concurrency: u32,
    /// Local LLM model name (Ollama).
    #[env("LLM_MODEL")]
    #[config(default = "llama3.2:latest")]
    #[validate(non_empty)]
    pub llm_model: String,
    /// Local LLM endpoint.
    #[env("LLM_URL", alias = "OLLAMA_HOST")]
    #[config(default = "http://localhost:11434")]
    #[validate(url)]
    pub llm_url: String,
    /// LLM request timeout, seconds.
    #[config(default = 30)]
    #[validate(range(min = 1, max = 600))]
    pub llm_timeout_secs: u32,
}

/// Deployment hardening.
#[derive(PhoenixConfig)]
pub struct Security {
    /// Refuse plain-text connections to the database and APIs.
    #[config(default = false)]
    pub require_tls: bool,
    /// Mask owner names and addresses in logs.
    #[config(default = true)]
    pub mask_pii_in_logs: bool,
}
