//! The Phoenix settings as plain serde structs.
//!
//! Two jobs: they are what figment and config-rs deserialize into (the
//! idiomatic way to use them: `#[derive(Deserialize)]` with serde defaults
//! mirroring the `#[config(default = …)]` of `examples/phoenix/settings.rs`),
//! and they are the one comparable shape every contender's result is
//! converted into (`PartialEq`, compared field by field in
//! `tests/contenders.rs`). Secrets are plain `String`s here: the contenders
//! have no secret type.

use std::path::PathBuf;

use serde::Deserialize;

use super::settings::{LogFormat, LogLevel};

/// The Phoenix settings.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct Settings {
    pub(crate) database: Database,
    pub(crate) collection: Collection,
    pub(crate) proxy: Proxy,
    /// `api_keys: {}` in base.yaml: config-rs drops an empty table, so the
    /// section must default (its fields are all optional anyway).
    #[serde(default)]
    pub(crate) api_keys: ApiKeys,
    pub(crate) logging: Logging,
    pub(crate) processing: Processing,
    pub(crate) security: Security,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct Database {
    pub(crate) uri: String,
    #[serde(default = "d::database_name")]
    pub(crate) name: String,
    #[serde(default = "d::max_pool_size")]
    pub(crate) max_pool_size: u32,
    #[serde(default = "d::min_pool_size")]
    pub(crate) min_pool_size: u32,
    #[serde(default = "d::timeout_ms")]
    pub(crate) connect_timeout_ms: u64,
    #[serde(default = "d::timeout_ms")]
    pub(crate) server_selection_timeout_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct Collection {
    #[serde(default = "d::rate_limit_per_hour")]
    pub(crate) rate_limit_per_hour: u32,
    #[serde(default = "d::min_request_delay_secs")]
    pub(crate) min_request_delay_secs: f64,
    #[serde(default = "d::max_retries")]
    pub(crate) max_retries: u32,
    #[serde(default = "d::retry_backoff_secs")]
    pub(crate) retry_backoff_secs: f64,
    #[serde(default = "d::user_agent")]
    pub(crate) user_agent: String,
    pub(crate) target_zipcodes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct Proxy {
    #[serde(default)]
    pub(crate) enabled: bool,
    #[serde(default = "d::proxy_host")]
    pub(crate) host: String,
    #[serde(default = "d::proxy_port")]
    pub(crate) port: u16,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<String>,
    #[serde(default = "d::rotate_every_requests")]
    pub(crate) rotate_every_requests: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub(crate) struct ApiKeys {
    pub(crate) maricopa: Option<String>,
    pub(crate) webshare: Option<String>,
    pub(crate) captcha: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct Logging {
    #[serde(default = "d::log_level")]
    pub(crate) level: LogLevel,
    #[serde(default = "d::log_format")]
    pub(crate) format: LogFormat,
    pub(crate) file: Option<PathBuf>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct Processing {
    #[serde(default = "d::batch_size")]
    pub(crate) batch_size: u32,
    #[serde(default = "d::max_concurrency")]
    pub(crate) max_concurrency: u32,
    #[serde(default = "d::llm_model")]
    pub(crate) llm_model: String,
    #[serde(default = "d::llm_url")]
    pub(crate) llm_url: String,
    #[serde(default = "d::llm_timeout_secs")]
    pub(crate) llm_timeout_secs: u32,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct Security {
    #[serde(default)]
    pub(crate) require_tls: bool,
    #[serde(default = "d::yes")]
    pub(crate) mask_pii_in_logs: bool,
}

/// A scaled document: the Phoenix settings plus copies ("mirrors") of them
/// under `m01`, `m02`, … (see `super::scale`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Scaled {
    pub(crate) main: Settings,
    pub(crate) mirrors: Vec<Settings>,
}

/// The serde defaults: the same values as the `#[config(default = …)]`
/// attributes of `examples/phoenix/settings.rs`.
mod d {
    use super::{LogFormat, LogLevel};

    pub(super) fn database_name() -> String {
        "phoenix_real_estate".to_owned()
    }
    pub(super) fn max_pool_size() -> u32 {
        10
    }
    pub(super) fn min_pool_size() -> u32 {
        1
    }
    pub(super) fn timeout_ms() -> u64 {
        5000
    }
    pub(super) fn rate_limit_per_hour() -> u32 {
        1000
    }
    pub(super) fn min_request_delay_secs() -> f64 {
        3.6
    }
    pub(super) fn max_retries() -> u32 {
        3
    }
    pub(super) fn retry_backoff_secs() -> f64 {
        2.0
    }
    pub(super) fn user_agent() -> String {
        "PhoenixRealEstateCollector/1.0".to_owned()
    }
    pub(super) fn proxy_host() -> String {
        "proxy.webshare.io".to_owned()
    }
    pub(super) fn proxy_port() -> u16 {
        80
    }
    pub(super) fn rotate_every_requests() -> u32 {
        50
    }
    pub(super) fn log_level() -> LogLevel {
        LogLevel::Info
    }
    pub(super) fn log_format() -> LogFormat {
        LogFormat::Text
    }
    pub(super) fn batch_size() -> u32 {
        100
    }
    pub(super) fn max_concurrency() -> u32 {
        4
    }
    pub(super) fn llm_model() -> String {
        "llama3.2:latest".to_owned()
    }
    pub(super) fn llm_url() -> String {
        "http://localhost:11434".to_owned()
    }
    pub(super) fn llm_timeout_secs() -> u32 {
        30
    }
    pub(super) fn yes() -> bool {
        true
    }
}
