//! confique's side: the Phoenix settings as `#[derive(confique::Config)]`
//! structs, and their conversion into [`plain`](super::plain).
//!
//! confique gives a field one variable at most (`#[config(env = "…")]`, no
//! aliases): the main sections use the field's `#[env]` name from
//! `examples/phoenix/settings.rs`, else its automatic `PHOENIX_<PATH>` name.
//! The mirrors of the scaled documents have no variables: confique cannot
//! build names in a macro, so at 10x and 100x it reads fewer variables than
//! phoenix-config looks up (phoenix-config tries every leaf's automatic name).

// confique's derive qualifies the nested types in what it writes.
#![allow(unused_qualifications)]

use std::path::PathBuf;

use confique::Config;

use super::plain;
use super::settings::{LogFormat, LogLevel};

#[derive(Config)]
pub(crate) struct Settings {
    #[config(nested)]
    pub(crate) database: Database,
    #[config(nested)]
    pub(crate) collection: Collection,
    #[config(nested)]
    pub(crate) proxy: Proxy,
    #[config(nested)]
    pub(crate) api_keys: ApiKeys,
    #[config(nested)]
    pub(crate) logging: Logging,
    #[config(nested)]
    pub(crate) processing: Processing,
    #[config(nested)]
    pub(crate) security: Security,
}

#[derive(Config)]
pub(crate) struct Database {
    #[config(env = "MONGODB_URI")]
    pub(crate) uri: String,
    #[config(env = "MONGODB_DATABASE", default = "phoenix_real_estate")]
    pub(crate) name: String,
    #[config(env = "PHOENIX_DATABASE_MAX_POOL_SIZE", default = 10)]
    pub(crate) max_pool_size: u32,
    #[config(env = "PHOENIX_DATABASE_MIN_POOL_SIZE", default = 1)]
    pub(crate) min_pool_size: u32,
    #[config(env = "PHOENIX_DATABASE_CONNECT_TIMEOUT_MS", default = 5000)]
    pub(crate) connect_timeout_ms: u64,
    #[config(env = "PHOENIX_DATABASE_SERVER_SELECTION_TIMEOUT_MS", default = 5000)]
    pub(crate) server_selection_timeout_ms: u64,
}

#[derive(Config)]
pub(crate) struct Collection {
    #[config(env = "PHOENIX_COLLECTION_RATE_LIMIT_PER_HOUR", default = 1000)]
    pub(crate) rate_limit_per_hour: u32,
    #[config(env = "PHOENIX_COLLECTION_MIN_REQUEST_DELAY_SECS", default = 3.6)]
    pub(crate) min_request_delay_secs: f64,
    #[config(env = "PHOENIX_COLLECTION_MAX_RETRIES", default = 3)]
    pub(crate) max_retries: u32,
    #[config(env = "PHOENIX_COLLECTION_RETRY_BACKOFF_SECS", default = 2.0)]
    pub(crate) retry_backoff_secs: f64,
    #[config(env = "PHOENIX_COLLECTION_USER_AGENT", default = "PhoenixRealEstateCollector/1.0")]
    pub(crate) user_agent: String,
    #[config(env = "PHOENIX_COLLECTION_TARGET_ZIPCODES", parse_env = confique::env::parse::list_by_comma)]
    pub(crate) target_zipcodes: Vec<String>,
}

#[derive(Config)]
pub(crate) struct Proxy {
    #[config(env = "PHOENIX_PROXY_ENABLED", default = false)]
    pub(crate) enabled: bool,
    #[config(env = "WEBSHARE_PROXY_HOST", default = "proxy.webshare.io")]
    pub(crate) host: String,
    #[config(env = "WEBSHARE_PROXY_PORT", default = 80)]
    pub(crate) port: u16,
    #[config(env = "WEBSHARE_USERNAME")]
    pub(crate) username: Option<String>,
    #[config(env = "WEBSHARE_PASSWORD")]
    pub(crate) password: Option<String>,
    #[config(env = "PHOENIX_PROXY_ROTATE_EVERY_REQUESTS", default = 50)]
    pub(crate) rotate_every_requests: u32,
}

#[derive(Config)]
pub(crate) struct ApiKeys {
    #[config(env = "MARICOPA_API_KEY")]
    pub(crate) maricopa: Option<String>,
    #[config(env = "WEBSHARE_API_KEY")]
    pub(crate) webshare: Option<String>,
    #[config(env = "CAPTCHA_API_KEY")]
    pub(crate) captcha: Option<String>,
}

#[derive(Config)]
pub(crate) struct Logging {
    #[config(env = "LOG_LEVEL", default = "info")]
    pub(crate) level: LogLevel,
    #[config(env = "PHOENIX_LOGGING_FORMAT", default = "text")]
    pub(crate) format: LogFormat,
    #[config(env = "PHOENIX_LOGGING_FILE")]
    pub(crate) file: Option<PathBuf>,
}

#[derive(Config)]
pub(crate) struct Processing {
    #[config(env = "PHOENIX_PROCESSING_BATCH_SIZE", default = 100)]
    pub(crate) batch_size: u32,
    #[config(env = "PHOENIX_PROCESSING_MAX_CONCURRENCY", default = 4)]
    pub(crate) max_concurrency: u32,
    #[config(env = "LLM_MODEL", default = "llama3.2:latest")]
    pub(crate) llm_model: String,
    #[config(env = "LLM_URL", default = "http://localhost:11434")]
    pub(crate) llm_url: String,
    #[config(env = "PHOENIX_PROCESSING_LLM_TIMEOUT_SECS", default = 30)]
    pub(crate) llm_timeout_secs: u32,
}

#[derive(Config)]
pub(crate) struct Security {
    #[config(env = "PHOENIX_SECURITY_REQUIRE_TLS", default = false)]
    pub(crate) require_tls: bool,
    #[config(env = "PHOENIX_SECURITY_MASK_PII_IN_LOGS", default = true)]
    pub(crate) mask_pii_in_logs: bool,
}

/// One copy of the settings in a scaled document (no variables).
#[derive(Config)]
pub(crate) struct Mirror {
    #[config(nested)]
    pub(crate) database: MDatabase,
    #[config(nested)]
    pub(crate) collection: MCollection,
    #[config(nested)]
    pub(crate) proxy: MProxy,
    #[config(nested)]
    pub(crate) api_keys: MApiKeys,
    #[config(nested)]
    pub(crate) logging: MLogging,
    #[config(nested)]
    pub(crate) processing: MProcessing,
    #[config(nested)]
    pub(crate) security: MSecurity,
}

#[derive(Config)]
pub(crate) struct MDatabase {
    pub(crate) uri: String,
    #[config(default = "phoenix_real_estate")]
    pub(crate) name: String,
    #[config(default = 10)]
    pub(crate) max_pool_size: u32,
    #[config(default = 1)]
    pub(crate) min_pool_size: u32,
    #[config(default = 5000)]
    pub(crate) connect_timeout_ms: u64,
    #[config(default = 5000)]
    pub(crate) server_selection_timeout_ms: u64,
}

#[derive(Config)]
pub(crate) struct MCollection {
    #[config(default = 1000)]
    pub(crate) rate_limit_per_hour: u32,
    #[config(default = 3.6)]
    pub(crate) min_request_delay_secs: f64,
    #[config(default = 3)]
    pub(crate) max_retries: u32,
    #[config(default = 2.0)]
    pub(crate) retry_backoff_secs: f64,
    #[config(default = "PhoenixRealEstateCollector/1.0")]
    pub(crate) user_agent: String,
    pub(crate) target_zipcodes: Vec<String>,
}

#[derive(Config)]
pub(crate) struct MProxy {
    #[config(default = false)]
    pub(crate) enabled: bool,
    #[config(default = "proxy.webshare.io")]
    pub(crate) host: String,
    #[config(default = 80)]
    pub(crate) port: u16,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<String>,
    #[config(default = 50)]
    pub(crate) rotate_every_requests: u32,
}

#[derive(Config)]
pub(crate) struct MApiKeys {
    pub(crate) maricopa: Option<String>,
    pub(crate) webshare: Option<String>,
    pub(crate) captcha: Option<String>,
}

#[derive(Config)]
pub(crate) struct MLogging {
    #[config(default = "info")]
    pub(crate) level: LogLevel,
    #[config(default = "text")]
    pub(crate) format: LogFormat,
    pub(crate) file: Option<PathBuf>,
}

#[derive(Config)]
pub(crate) struct MProcessing {
    #[config(default = 100)]
    pub(crate) batch_size: u32,
    #[config(default = 4)]
    pub(crate) max_concurrency: u32,
    #[config(default = "llama3.2:latest")]
    pub(crate) llm_model: String,
    #[config(default = "http://localhost:11434")]
    pub(crate) llm_url: String,
    #[config(default = 30)]
    pub(crate) llm_timeout_secs: u32,
}

#[derive(Config)]
pub(crate) struct MSecurity {
    #[config(default = false)]
    pub(crate) require_tls: bool,
    #[config(default = true)]
    pub(crate) mask_pii_in_logs: bool,
}

into_plain!(Settings, Mirror => plain::Settings, |s| plain::Settings {
    database: (&s.database).into(),
    collection: (&s.collection).into(),
    proxy: (&s.proxy).into(),
    api_keys: (&s.api_keys).into(),
    logging: (&s.logging).into(),
    processing: (&s.processing).into(),
    security: (&s.security).into(),
});
into_plain!(Database, MDatabase => plain::Database, |d| plain::Database {
    uri: d.uri.clone(),
    name: d.name.clone(),
    max_pool_size: d.max_pool_size,
    min_pool_size: d.min_pool_size,
    connect_timeout_ms: d.connect_timeout_ms,
    server_selection_timeout_ms: d.server_selection_timeout_ms,
});
into_plain!(Collection, MCollection => plain::Collection, |c| plain::Collection {
    rate_limit_per_hour: c.rate_limit_per_hour,
    min_request_delay_secs: c.min_request_delay_secs,
    max_retries: c.max_retries,
    retry_backoff_secs: c.retry_backoff_secs,
    user_agent: c.user_agent.clone(),
    target_zipcodes: c.target_zipcodes.clone(),
});
into_plain!(Proxy, MProxy => plain::Proxy, |p| plain::Proxy {
    enabled: p.enabled,
    host: p.host.clone(),
    port: p.port,
    username: p.username.clone(),
    password: p.password.clone(),
    rotate_every_requests: p.rotate_every_requests,
});
into_plain!(ApiKeys, MApiKeys => plain::ApiKeys, |k| plain::ApiKeys {
    maricopa: k.maricopa.clone(),
    webshare: k.webshare.clone(),
    captcha: k.captcha.clone(),
});
into_plain!(Logging, MLogging => plain::Logging, |l| plain::Logging {
    level: l.level,
    format: l.format,
    file: l.file.clone(),
});
into_plain!(Processing, MProcessing => plain::Processing, |p| plain::Processing {
    batch_size: p.batch_size,
    max_concurrency: p.max_concurrency,
    llm_model: p.llm_model.clone(),
    llm_url: p.llm_url.clone(),
    llm_timeout_secs: p.llm_timeout_secs,
});
into_plain!(Security, MSecurity => plain::Security, |s| plain::Security {
    require_tls: s.require_tls,
    mask_pii_in_logs: s.mask_pii_in_logs,
});
