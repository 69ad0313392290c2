//! phoenix-config's side: the types of the scaled documents and the
//! conversion of every result into [`plain`](super::plain).
//!
//! A scaled document is the Phoenix settings plus copies of them under
//! `m01`, `m02`, …: the copies ("mirrors") have the same fields, defaults
//! and rules as `examples/phoenix/settings.rs`, without the explicit
//! `#[env]` names (two fields cannot share a variable). Their automatic
//! names (`PHOENIX_M01_DATABASE_URI`, …) still apply, as they would in a
//! real settings tree of that size.

use std::path::PathBuf;

use phoenix_config::{PhoenixConfig, Secret};

use super::plain;
use super::settings::{self, Collection, LogFormat, LogLevel, Security};

/// One copy of the Phoenix settings below the root.
#[derive(PhoenixConfig)]
pub(crate) struct Mirror {
    #[config(nested)]
    pub(crate) database: MDatabase,
    #[config(nested)]
    pub(crate) collection: Collection,
    #[config(nested)]
    pub(crate) proxy: MProxy,
    #[config(nested)]
    pub(crate) api_keys: MApiKeys,
    #[config(nested)]
    pub(crate) logging: MLogging,
    #[config(nested)]
    pub(crate) processing: MProcessing,
    #[config(nested)]
    pub(crate) security: Security,
}

#[derive(PhoenixConfig)]
pub(crate) struct MDatabase {
    #[secret]
    #[validate(url)]
    pub(crate) uri: String,
    #[config(default = "phoenix_real_estate")]
    #[validate(non_empty)]
    pub(crate) name: String,
    #[config(default = 10)]
    #[validate(range(min = 1, max = 500))]
    pub(crate) max_pool_size: u32,
    #[config(default = 1)]
    #[validate(range(max = 500))]
    pub(crate) min_pool_size: u32,
    #[config(default = 5000)]
    #[validate(range(min = 100, max = 120_000))]
    pub(crate) connect_timeout_ms: u64,
    #[config(default = 5000)]
    #[validate(range(min = 100, max = 120_000))]
    pub(crate) server_selection_timeout_ms: u64,
}

#[derive(PhoenixConfig)]
#[config(validate = proxy_credentials_pair)]
pub(crate) struct MProxy {
    #[config(default = false)]
    pub(crate) enabled: bool,
    #[config(default = "proxy.webshare.io")]
    #[validate(non_empty)]
    pub(crate) host: String,
    #[config(default = 80)]
    #[validate(port)]
    pub(crate) port: u16,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<Secret<String>>,
    #[config(default = 50)]
    #[validate(range(min = 1))]
    pub(crate) rotate_every_requests: u32,
}

fn proxy_credentials_pair(proxy: &MProxy) -> Result<(), String> {
    match (&proxy.username, &proxy.password) {
        (Some(_), None) | (None, Some(_)) => Err("set both proxy username and password, or neither".to_owned()),
        _ => Ok(()),
    }
}

#[derive(PhoenixConfig)]
pub(crate) struct MApiKeys {
    #[validate(required_in("production"))]
    pub(crate) maricopa: Option<Secret<String>>,
    pub(crate) webshare: Option<Secret<String>>,
    pub(crate) captcha: Option<Secret<String>>,
}

#[derive(PhoenixConfig)]
pub(crate) struct MLogging {
    #[config(default = LogLevel::Info)]
    pub(crate) level: LogLevel,
    #[config(default = LogFormat::Text)]
    pub(crate) format: LogFormat,
    pub(crate) file: Option<PathBuf>,
}

#[derive(PhoenixConfig)]
pub(crate) struct MProcessing {
    #[config(default = 100)]
    #[validate(range(min = 1, max = 10_000))]
    pub(crate) batch_size: u32,
    #[config(default = 4)]
    #[validate(range(min = 1, max = 64))]
    pub(crate) max_concurrency: u32,
    #[config(default = "llama3.2:latest")]
    #[validate(non_empty)]
    pub(crate) llm_model: String,
    #[config(default = "http://localhost:11434")]
    #[validate(url)]
    pub(crate) llm_url: String,
    #[config(default = 30)]
    #[validate(range(min = 1, max = 600))]
    pub(crate) llm_timeout_secs: u32,
}

fn secret(value: Option<&Secret<String>>) -> Option<String> {
    value.map(|s| s.expose().clone())
}

into_plain!(settings::Settings, Mirror => plain::Settings, |s| plain::Settings {
    database: (&s.database).into(),
    collection: (&s.collection).into(),
    proxy: (&s.proxy).into(),
    api_keys: (&s.api_keys).into(),
    logging: (&s.logging).into(),
    processing: (&s.processing).into(),
    security: (&s.security).into(),
});
into_plain!(settings::Database, MDatabase => plain::Database, |d| plain::Database {
    uri: d.uri.clone(),
    name: d.name.clone(),
    max_pool_size: d.max_pool_size,
    min_pool_size: d.min_pool_size,
    connect_timeout_ms: d.connect_timeout_ms,
    server_selection_timeout_ms: d.server_selection_timeout_ms,
});
into_plain!(Collection => plain::Collection, |c| plain::Collection {
    rate_limit_per_hour: c.rate_limit_per_hour,
    min_request_delay_secs: c.min_request_delay_secs,
    max_retries: c.max_retries,
    retry_backoff_secs: c.retry_backoff_secs,
    user_agent: c.user_agent.clone(),
    target_zipcodes: c.target_zipcodes.clone(),
});
into_plain!(settings::Proxy, MProxy => plain::Proxy, |p| plain::Proxy {
    enabled: p.enabled,
    host: p.host.clone(),
    port: p.port,
    username: p.username.clone(),
    password: secret(p.password.as_ref()),
    rotate_every_requests: p.rotate_every_requests,
});
into_plain!(settings::ApiKeys, MApiKeys => plain::ApiKeys, |k| plain::ApiKeys {
    maricopa: secret(k.maricopa.as_ref()),
    webshare: secret(k.webshare.as_ref()),
    captcha: secret(k.captcha.as_ref()),
});
into_plain!(settings::Logging, MLogging => plain::Logging, |l| plain::Logging {
    level: l.level,
    format: l.format,
    file: l.file.clone(),
});
into_plain!(settings::Processing, MProcessing => plain::Processing, |p| plain::Processing {
    batch_size: p.batch_size,
    max_concurrency: p.max_concurrency,
    llm_model: p.llm_model.clone(),
    llm_url: p.llm_url.clone(),
    llm_timeout_secs: p.llm_timeout_secs,
});
into_plain!(Security => plain::Security, |s| plain::Security {
    require_tls: s.require_tls,
    mask_pii_in_logs: s.mask_pii_in_logs,
});
