//! [`EtcdSource`]: settings kept in an etcd cluster (feature `etcd`), as one
//! more layer, followed live through etcd's watch stream.
//!
//! Two ways to lay settings out in etcd:
//!
//! - [`EtcdSource::prefix`]: one key per value. Under the prefix
//!   `/phoenix/{environment}/`, the key `/phoenix/production/database/max_pool_size`
//!   is `database.max_pool_size`; list items and map entries are path
//!   segments too (`proxies/0/host`, `regions/us/bucket`). Values are text,
//!   converted by the field's type like a variable's (`"5"` fills a `u32`,
//!   `a,b` a list); secret fields take `base64:` / `enc:v1:` values and are
//!   never shown.
//! - [`EtcdSource::document`]: one key holding a whole YAML, TOML or JSON
//!   document, its format named by the key's extension (`/phoenix/production.yaml`).
//!
//! `{environment}` in the prefix or key is replaced by the environment being
//! loaded. Each value's [`Origin`] reads
//! `etcd 127.0.0.1:2379 /phoenix/production/database/max_pool_size @ revision 42`
//! (the endpoint that answered, the key, the revision the value was written at).
//! A key under the prefix that matches no field is an unknown-key error with
//! a suggestion, as in a file.
//!
//! The client speaks etcd's v3 JSON gateway (on by default on every etcd
//! 3.4+ member, on the client port) over TCP from the standard library: no
//! async runtime. `https://` endpoints use TLS (rustls): the cluster's CA is
//! given with [`EtcdSource::ca_file`] (the only trust root), a client
//! certificate with [`EtcdSource::client_cert`]. A load reads every key in one range request, so it sees one
//! revision of the store: a transaction that changed several keys is either
//! wholly in it or not at all.
//!
//! Watching ([`ConfigLoader::watch`](crate::ConfigLoader::watch)): the first
//! time the watcher looks at the source, a background thread opens a watch
//! of the prefix from the revision the load read. Every change (a whole
//! transaction arrives as one message) moves the source's change counter,
//! which the watcher follows through [`Watch::changes`], and wakes it at
//! once through the hook's [`ChangeNotifier`] (no poll tick to wait for); the watcher then
//! debounces, reloads everything and swaps only a valid result in. A broken
//! stream is reopened with backoff (50 ms doubling to 5 s) on the next
//! endpoint, from the last revision seen, so no change is missed; a start
//! revision that was compacted away triggers a full reload. Losing and
//! regaining the cluster also moves the counter, so the watcher's reload
//! fails while the cluster is away (the watcher's status shows the error,
//! the last good configuration stays) and succeeds when it is back.
//! [`EtcdSource::status`] tells the stream's own state.

mod cache;
mod client;
mod follow;
mod http;
mod seed;
mod tls;
mod tree;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once, PoisonError};
use std::time::Duration;

use crate::source::{ChangeHook, ChangeNotifier, Source, SourceContext, Watch};
use crate::{Issue, IssueKind, Node, Origin};
use client::{CallError, Client, Settings};
pub use seed::{SeedError, seed_file};

/// Settings in etcd: a prefix of keys, or one key holding a document.
///
/// ```no_run
/// use std::time::Duration;
/// use phoenix_config::etcd::EtcdSource;
/// use phoenix_config::{ConfigLoader, PhoenixConfig};
///
/// #[derive(PhoenixConfig)]
/// struct Settings {
///     #[config(default = 10)]
///     max_pool_size: u32,
/// }
///
/// let etcd = EtcdSource::prefix(["10.0.0.1:2379", "10.0.0.2:2379", "10.0.0.3:2379"], "/phoenix/{environment}/")
///     .user("phoenix", "s3cret")
///     .connect_timeout(Duration::from_secs(2))
///     .cache_file("/var/cache/phoenix/etcd.json");
/// let watcher = ConfigLoader::new().source(etcd).watch::<Settings>()?;
/// # Ok::<(), phoenix_config::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct EtcdSource {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    layout: Layout,
    cache: Option<PathBuf>,
    state: Mutex<State>,
    /// Moves on every change the watch stream reports (the change hook).
    changes: AtomicU64,
    /// Wakes the watchers when `changes` moved.
    notifier: ChangeNotifier,
    follow: Once,
}

#[derive(Clone, Debug)]
enum Layout {
    Prefix(String),
    Document(String),
}

#[derive(Clone, Debug, Default)]
struct State {
    /// The key or prefix of the last load, `{environment}` filled in.
    key: String,
    status: EtcdStatus,
}

/// The state of an [`EtcdSource`]: what the last load read and how its
/// watch stream is doing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EtcdStatus {
    /// The store's revision the last load read (0 before the first).
    pub loaded_revision: i64,
    /// The last revision the watch stream reported.
    pub watched_revision: i64,
    /// The endpoint the watch stream is connected to (`None`: not
    /// watching, or reconnecting).
    pub connected: Option<String>,
    /// The last error of a load or of the stream (endpoints, not values).
    pub last_error: Option<String>,
    /// How many times the stream was reopened after breaking.
    pub reconnects: u64,
    /// How many times the stream's revision was compacted away, forcing a
    /// full reload.
    pub compactions: u64,
    /// Whether the last load used the cache file because no endpoint answered.
    pub from_cache: bool,
}

impl EtcdSource {
    /// Keys under `prefix` (`/phoenix/{environment}/`), one per value, on
    /// the cluster at `endpoints` (`host:port`, `http://` optional;
    /// `https://host:port` for TLS, which needs [`ca_file`](Self::ca_file)).
    pub fn prefix<I, S>(endpoints: I, prefix: &str) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut prefix = prefix.to_owned();
        if !prefix.ends_with('/') {
            prefix.push('/');
        }
        EtcdSource::new(endpoints, Layout::Prefix(prefix))
    }

    /// One key holding a whole YAML, TOML or JSON document, its format named
    /// by the key's extension (`/phoenix/{environment}.yaml`).
    pub fn document<I, S>(endpoints: I, key: &str) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        EtcdSource::new(endpoints, Layout::Document(key.to_owned()))
    }

    fn new<I, S>(endpoints: I, layout: Layout) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let endpoints = endpoints.into_iter().map(|e| strip_scheme(&e.into())).collect();
        let settings = Settings {
            endpoints,
            user: None,
            connect_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_secs(5),
            tls: tls::TlsFiles::default(),
        };
        EtcdSource::build(settings, layout, None)
    }

    fn build(settings: Settings, layout: Layout, cache: Option<PathBuf>) -> Self {
        EtcdSource {
            inner: Arc::new(Inner {
                client: Client::new(settings),
                layout,
                cache,
                state: Mutex::new(State::default()),
                changes: AtomicU64::new(0),
                notifier: ChangeNotifier::default(),
                follow: Once::new(),
            }),
        }
    }

    fn rebuild(self, change: impl FnOnce(&mut Settings, &mut Option<PathBuf>)) -> Self {
        let mut settings = self.inner.client.settings.clone();
        let mut cache = self.inner.cache.clone();
        change(&mut settings, &mut cache);
        EtcdSource::build(settings, self.inner.layout.clone(), cache)
    }

    /// Authenticates as `name` (etcd's user/password auth).
    #[must_use]
    pub fn user(self, name: &str, password: &str) -> Self {
        self.rebuild(|s, _| s.user = Some((name.to_owned(), password.to_owned())))
    }

    /// How long to wait for a TCP connection to one endpoint (default 2 s);
    /// the next endpoint is tried after it.
    #[must_use]
    pub fn connect_timeout(self, timeout: Duration) -> Self {
        self.rebuild(|s, _| s.connect_timeout = timeout)
    }

    /// The CA certificates (a PEM file) that the `https://` endpoints'
    /// certificates must be signed by: the only trust root (the system's
    /// store is not used). An `https://` endpoint without it, or it without
    /// an `https://` endpoint, is an error at load.
    ///
    /// The server's certificate must name the endpoint's host (a DNS name,
    /// or an IP address as an IP SAN). The file is read at the first
    /// connection and again whenever it changes.
    #[must_use]
    pub fn ca_file(self, path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        self.rebuild(|s, _| s.tls.ca = Some(path))
    }

    /// Mutual TLS: the client certificate chain and its private key (PEM
    /// files; PKCS#8, PKCS#1 or SEC1 keys, unencrypted), offered when the
    /// cluster asks (`--client-cert-auth`). The key is read into a wiped
    /// buffer and never shown; both files are read again when they change.
    #[must_use]
    pub fn client_cert(self, cert: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        let files = (cert.into(), key.into());
        self.rebuild(|s, _| s.tls.identity = Some(files))
    }

    /// How long to wait for one request's answer (default 5 s); it also
    /// bounds each step of a TLS handshake.
    #[must_use]
    pub fn request_timeout(self, timeout: Duration) -> Self {
        self.rebuild(|s, _| s.request_timeout = timeout)
    }

    /// Keeps the last good keys in `path` (written after every load that
    /// reached the cluster, mode 0600) and uses them when no endpoint
    /// answers: origins then read `etcd cache FILE KEY @ revision N` and
    /// [`EtcdStatus::from_cache`] is set. Without it, such a load fails.
    #[must_use]
    pub fn cache_file(self, path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        self.rebuild(|_, c| *c = Some(path))
    }

    /// The state of the last load and of the watch stream.
    pub fn status(&self) -> EtcdStatus {
        self.inner.lock().status.clone()
    }

    fn key_for(&self, cx: &SourceContext<'_>) -> String {
        let template = match &self.inner.layout {
            Layout::Prefix(p) | Layout::Document(p) => p,
        };
        template.replace("{environment}", cx.environment().as_str())
    }

    fn exact(&self) -> bool {
        matches!(self.inner.layout, Layout::Document(_))
    }
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Moves the change counter: the watcher reloads.
    fn bump(&self) {
        self.changes.fetch_add(1, Ordering::SeqCst);
        self.notifier.notify();
    }
}

/// `http://host:port/` → `host:port`; `https://` stays (it selects TLS).
fn strip_scheme(endpoint: &str) -> String {
    let rest = endpoint.strip_prefix("http://").unwrap_or(endpoint);
    rest.trim_end_matches('/').to_owned()
}

impl std::fmt::Debug for EtcdSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Source for EtcdSource {
    fn describe(&self) -> String {
        let key = match &self.inner.layout {
            Layout::Prefix(p) | Layout::Document(p) => p,
        };
        format!("etcd {} {key}", self.inner.client.settings.endpoints.join(","))
    }

    fn load(&self, cx: &SourceContext<'_>) -> Result<Node, Vec<Issue>> {
        let key = self.key_for(cx);
        let exact = self.exact();
        let snapshot = match self.inner.client.range(&key, exact) {
            Ok(snapshot) => snapshot,
            Err(error) => return self.unreachable(cx, &key, &error),
        };
        self.loaded(&key, snapshot.revision, false);
        if let Some(path) = &self.inner.cache {
            cache::write(path, &key, &snapshot);
        }
        self.tree(cx, &key, &snapshot, &snapshot.endpoint)
    }

    fn watch(&self) -> Watch {
        let source = self.clone();
        let hook = ChangeHook::new(move || {
            source.inner.follow.call_once(|| follow::start(&source.inner));
            source.inner.changes.load(Ordering::SeqCst)
        })
        .with_notifier(self.inner.notifier.clone());
        Watch { files: Vec::new(), changes: Some(hook) }
    }
}

impl EtcdSource {
    fn loaded(&self, key: &str, revision: i64, from_cache: bool) {
        let mut state = self.inner.lock();
        key.clone_into(&mut state.key);
        state.status.loaded_revision = revision;
        state.status.from_cache = from_cache;
        if !from_cache {
            state.status.last_error = None;
        }
    }

    fn tree(
        &self,
        cx: &SourceContext<'_>,
        key: &str,
        snapshot: &client::Snapshot,
        shown: &str,
    ) -> Result<Node, Vec<Issue>> {
        match &self.inner.layout {
            Layout::Prefix(_) => tree::from_keys(key, snapshot, shown),
            Layout::Document(_) => tree::from_document(key, snapshot, shown, cx.limits()),
        }
    }

    /// No endpoint answered (or the cluster refused): the cache, else one
    /// issue naming the endpoints.
    fn unreachable(&self, cx: &SourceContext<'_>, key: &str, error: &CallError) -> Result<Node, Vec<Issue>> {
        self.inner.lock().status.last_error = Some(error.to_string());
        let cached = match (&self.inner.cache, error) {
            (Some(path), CallError::Unreachable(_)) => cache::read(path, key),
            _ => None,
        };
        let Some(snapshot) = cached else {
            let hint = match error {
                CallError::Unreachable(_) => "; check that the cluster is up and the endpoints are right",
                CallError::Refused(_) => "",
            };
            let issue =
                Issue::new(IssueKind::Io, "", format!("{error}{hint}")).with_origin(Origin::source(self.describe()));
            return Err(vec![issue]);
        };
        self.loaded(key, snapshot.revision, true);
        let shown = format!("cache {}", self.inner.cache.as_ref().map_or(String::new(), |p| p.display().to_string()));
        self.tree(cx, key, &snapshot, &shown)
    }
}
