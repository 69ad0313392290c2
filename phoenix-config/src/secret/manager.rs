//! [`SecretManager`]: secrets read directly from variables, for code that
//! does not go through a settings struct.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use zeroize::Zeroizing;

use super::Secret;
use super::file::read_secret_file;
use super::keys::{KeyRing, decode_text};
use crate::{ConfigError, Issue, IssueKind, Limits, Origin};

/// The prefixes tried before a name, in order, for a root prefix:
/// `<PREFIX>_SECRET_` (when there is one), then `SECRET_`.
fn prefixes(prefix: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = prefix.map(|p| format!("{p}_SECRET_")).into_iter().collect();
    out.push("SECRET_".to_owned());
    out
}

/// The variables of the process environment with UTF-8 names (a value
/// that is not UTF-8 is `None`, reported when a name needs it).
fn process_vars() -> Vec<(String, Option<Zeroizing<String>>)> {
    std::env::vars_os()
        .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok().map(Zeroizing::new))))
        .collect()
}

/// The root prefix of [`SecretManager::from_env`] and [`SecretManager::from_vars`].
const PHOENIX: Option<&str> = Some("PHOENIX");
const FILE_SUFFIX: &str = "_FILE";
const API_KEY_SUFFIX: &str = "_API_KEY";

/// Where a name's value comes from.
enum Source {
    /// A variable's value, decoded when the manager was built.
    Inline(Result<Secret<String>, Issue>),
    /// A `NAME_FILE` variable: the file is read (and decoded) on first use.
    File { var: String, path: PathBuf, value: OnceLock<Result<Secret<String>, Issue>> },
}

/// Secrets read directly from variables — for code that reads a secret
/// without a settings struct.
///
/// For a name such as `DB_PASSWORD` the variables tried, in order, are
/// `PHOENIX_SECRET_DB_PASSWORD`, `SECRET_DB_PASSWORD`, `DB_PASSWORD`, then
/// `DB_PASSWORD_FILE` (a file holding the value: regular files only, size
/// capped, one trailing newline trimmed). The first one set (and not empty)
/// decides: a value that fails to decode does not fall back to the next.
///
/// Values are decoded like secret fields: `base64:…` and `enc:v1:…` (keys
/// from `PHOENIX_CONFIG_KEY` and `PHOENIX_CONFIG_PREVIOUS_KEYS` among the
/// same variables; see the [module documentation](super#keys)). Values in
/// variables are decoded when the manager is built, files when first used;
/// failures become [`IssueKind::Secret`] issues, kept in
/// [`issues`](SecretManager::issues) and reported by
/// [`require`](SecretManager::require).
///
/// Every [`Secret`] it hands out is named after its variable, for the audit
/// events of [`Secret::expose`]. Its `Debug` lists names, never values.
///
/// ```
/// use phoenix_config::secret::SecretManager;
///
/// let secrets = SecretManager::from_vars([
///     ("PHOENIX_SECRET_DB_PASSWORD", "base64:aHVudGVyMg=="),
///     ("DB_PASSWORD", "ignored: the prefixed variable comes first"),
///     ("MAPS_API_KEY", "k-1"),
/// ]);
/// assert_eq!(secrets.get("DB_PASSWORD").unwrap().expose(), "hunter2");
/// assert!(secrets.require(&["DB_PASSWORD", "MAPS_API_KEY"]).is_ok());
/// let err = secrets.require(&["DB_PASSWORD", "SMTP_PASSWORD", "S3_KEY"]).unwrap_err();
/// assert_eq!(err.issues().len(), 2);
/// assert!(!format!("{secrets:?}").contains("hunter2"));
/// ```
pub struct SecretManager {
    names: NameIndex,
    sources: Vec<Source>,
    keys: KeyRing,
    issues: Vec<Issue>,
    limits: Limits,
    /// The prefixes tried before a name (`PHOENIX_SECRET_`, `SECRET_`).
    prefixes: Vec<String>,
}

impl fmt::Debug for SecretManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretManager")
            .field("names", &self.names.keys().collect::<Vec<_>>())
            .field("keys", &self.keys)
            .field("issues", &self.issues())
            .finish_non_exhaustive()
    }
}

impl SecretManager {
    /// The secrets of the process environment, read once now (files named
    /// by `_FILE` variables are read on first use). The environment is
    /// only read, never changed.
    ///
    /// ```
    /// use phoenix_config::secret::SecretManager;
    ///
    /// let secrets = SecretManager::from_env();
    /// if let Err(problems) = secrets.require(&["DB_PASSWORD"]) {
    ///     eprintln!("{problems}"); // names the variables to set, never a value
    /// }
    /// ```
    pub fn from_env() -> SecretManager {
        SecretManager::build(&process_vars(), PHOENIX)
    }

    /// Like [`from_env`](SecretManager::from_env), with the names of the
    /// settings type `T`: `<PREFIX>_SECRET_NAME` and the `<PREFIX>_CONFIG_KEY`
    /// key ring of its root prefix (no `PHOENIX_*` name unless that is it).
    pub fn from_env_for<T: crate::PhoenixConfig>() -> SecretManager {
        SecretManager::build(&process_vars(), T::describe().prefix)
    }

    /// Like [`from_vars`](SecretManager::from_vars), with the names of a
    /// root prefix (`Some("APP")`: `APP_SECRET_NAME`, `APP_CONFIG_KEY`;
    /// `None`: `SECRET_NAME`, `CONFIG_KEY`).
    ///
    /// ```
    /// use phoenix_config::secret::SecretManager;
    ///
    /// let secrets = SecretManager::from_vars_with_prefix(Some("APP"), [("APP_SECRET_TOKEN", "t"), ("PHOENIX_SECRET_PW", "p")]);
    /// assert_eq!(secrets.get("TOKEN").unwrap().name(), Some("APP_SECRET_TOKEN"));
    /// assert!(secrets.get("PW").is_none());
    /// ```
    pub fn from_vars_with_prefix<K, V>(prefix: Option<&str>, vars: impl IntoIterator<Item = (K, V)>) -> SecretManager
    where
        K: Into<String>,
        V: Into<String>,
    {
        SecretManager::build(
            &vars.into_iter().map(|(k, v)| (k.into(), Some(Zeroizing::new(v.into())))).collect::<Vec<_>>(),
            prefix,
        )
    }

    /// The secrets of these variables instead of the process environment
    /// (tests, embedding). A name given twice keeps its last value.
    ///
    /// ```
    /// use phoenix_config::secret::SecretManager;
    ///
    /// let secrets = SecretManager::from_vars([("SECRET_TOKEN", "t")]);
    /// assert_eq!(secrets.get("TOKEN").unwrap().name(), Some("SECRET_TOKEN"));
    /// ```
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> SecretManager
    where
        K: Into<String>,
        V: Into<String>,
    {
        SecretManager::build(
            &vars.into_iter().map(|(k, v)| (k.into(), Some(Zeroizing::new(v.into())))).collect::<Vec<_>>(),
            PHOENIX,
        )
    }

    /// Bounds for the secret files it reads (size cap:
    /// [`Limits::max_secret_file_bytes`]).
    ///
    /// ```
    /// use phoenix_config::Limits;
    /// use phoenix_config::secret::SecretManager;
    ///
    /// let mut limits = Limits::default();
    /// limits.max_secret_file_bytes = 1024;
    /// let secrets = SecretManager::from_vars([("TLS_KEY_FILE", "/run/secrets/tls")]).limits(limits);
    /// # let _ = secrets;
    /// ```
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// `vars`: name → value (`None` when not UTF-8), a name given twice
    /// keeping its last value. One non-generic body and one map type
    /// (`BTreeMap<String, usize>`, indices into vectors) for every step:
    /// each other map or sort type would be compiled again (README, Compile cost).
    fn build(vars: &[(String, Option<Zeroizing<String>>)], prefix: Option<&str>) -> SecretManager {
        let prefixes = prefixes(prefix);
        let key_names = crate::names::Names::new(prefix);
        // Variable name → index of its last value in `vars`.
        let mut index = NameIndex::new();
        for (i, (name, _)) in vars.iter().enumerate() {
            index.insert(name.clone(), i);
        }
        // An empty variable counts as unset (`${VAR}` of an unset VAR in compose files).
        let value = |i: usize| vars[i].1.as_ref().filter(|v| !v.is_empty());
        let set = |i: usize| vars[i].1.as_ref().is_none_or(|v| !v.is_empty());
        let mut issues = Vec::new();
        let lookup = |name: &str| index.get(name).and_then(|&i| value(i)).map(|v| String::clone(v));
        let keys = KeyRing::from_lookup_named(key_names.key_vars(), lookup).unwrap_or_else(|message| {
            issues.push(Issue::new(IssueKind::Secret, "", message));
            KeyRing::default()
        });
        let (mut names, best) = best_variables(&index, &prefixes, set);

        // One source per (variable, is a file), shared by the names it serves.
        let mut sources = Vec::new();
        let mut source_of: Vec<Option<usize>> = vec![None; 2 * vars.len()];
        for slot in names.values_mut() {
            let Choice { var, file, .. } = best[*slot];
            let at = 2 * var + usize::from(file);
            *slot = *source_of[at].get_or_insert_with(|| {
                let (name, value) = &vars[var];
                sources.push(Self::source(name, file, value.as_deref(), &keys, &mut issues));
                sources.len() - 1
            });
        }
        SecretManager { names, sources, keys, issues, limits: Limits::default(), prefixes }
    }

    fn source(var: &str, file: bool, value: Option<&String>, keys: &KeyRing, issues: &mut Vec<Issue>) -> Source {
        let origin = Origin::Env { name: var.into(), alias_of: None };
        let Some(value) = value else {
            let issue =
                Issue::new(IssueKind::Invalid, var, format!("variable {var} is not valid UTF-8")).with_origin(origin);
            issues.push(issue.clone());
            return Source::Inline(Err(issue));
        };
        if file {
            return Source::File { var: var.to_owned(), path: PathBuf::from(value), value: OnceLock::new() };
        }
        match decode_text(value, keys) {
            Ok(Some(mut decoded)) => Source::Inline(Ok(Secret::named(var, std::mem::take(&mut *decoded)))),
            Ok(None) => Source::Inline(Ok(Secret::named(var, value.clone()))),
            Err(message) => {
                let issue = Issue::new(IssueKind::Secret, var, message).with_origin(origin);
                issues.push(issue.clone());
                Source::Inline(Err(issue))
            }
        }
    }

    fn read_file(&self, var: &str, path: &Path) -> Result<Secret<String>, Issue> {
        let origin = Origin::SecretFile { path: path.display().to_string().into(), via: var.into() };
        let name = var.strip_suffix(FILE_SUFFIX).unwrap_or(var);
        let fail = |message: String| Issue::new(IssueKind::Secret, var, message).with_origin(origin.clone());
        let text = Zeroizing::new(read_secret_file(path, &self.limits).map_err(fail)?);
        match decode_text(&text, &self.keys).map_err(fail)? {
            Some(mut decoded) => Ok(Secret::named(name, std::mem::take(&mut *decoded))),
            None => Ok(Secret::named(name, String::clone(&text))),
        }
    }

    /// The value of `name`, or why there is none (a missing issue, or the
    /// issue of the variable that failed).
    fn resolve(&self, name: &str) -> Result<&Secret<String>, Issue> {
        let Some(&i) = self.names.get(name) else {
            return Err(Issue::new(
                IssueKind::Missing,
                name,
                format!("missing secret: set {}", tried(&self.prefixes, &[name])),
            ));
        };
        let found = match &self.sources[i] {
            Source::Inline(value) => value,
            Source::File { var, path, value } => value.get_or_init(|| self.read_file(var, path)),
        };
        found
            .as_ref()
            .map_err(|issue| Issue::new(issue.kind(), name, issue.message()).with_origin_opt(issue.origin().cloned()))
    }

    /// The first of `names` that has a value; an error when the first one
    /// set fails to decode.
    fn first<'a>(&'a self, names: &[&'a str]) -> Result<Option<(&'a str, &'a Secret<String>)>, Issue> {
        for &name in names {
            match self.resolve(name) {
                Ok(secret) => return Ok(Some((name, secret))),
                Err(issue) if issue.kind() == IssueKind::Missing => {}
                Err(issue) => return Err(issue),
            }
        }
        Ok(None)
    }

    /// The secret called `name` (see [`SecretManager`] for the variables
    /// tried); `None` when none is set or its value failed to decode (see
    /// [`issues`](SecretManager::issues)).
    ///
    /// ```
    /// use phoenix_config::secret::SecretManager;
    ///
    /// let secrets = SecretManager::from_vars([("SMTP_PASSWORD", "pw")]);
    /// assert_eq!(secrets.get("SMTP_PASSWORD").map(|s| s.expose().as_str()), Some("pw"));
    /// assert!(secrets.get("NOPE").is_none());
    /// ```
    pub fn get(&self, name: &str) -> Option<&Secret<String>> {
        self.resolve(name).ok()
    }

    /// Checks that every one of `names` has a value, reporting all the
    /// missing ones at once ([`IssueKind::Missing`], naming the variables
    /// tried), the ones that failed to decode ([`IssueKind::Secret`]), and
    /// a broken key variable.
    ///
    /// ```
    /// use phoenix_config::IssueKind;
    /// use phoenix_config::secret::SecretManager;
    ///
    /// let secrets = SecretManager::from_vars([("TOKEN", "base64:!!")]);
    /// let err = secrets.require(&["TOKEN", "DB_PASSWORD"]).unwrap_err();
    /// let kinds: Vec<IssueKind> = err.issues().iter().map(|i| i.kind()).collect();
    /// assert_eq!(kinds, [IssueKind::Secret, IssueKind::Missing]);
    /// assert_eq!(
    ///     err.issues()[1].to_string(),
    ///     "DB_PASSWORD: missing secret: set PHOENIX_SECRET_DB_PASSWORD, SECRET_DB_PASSWORD, \
    ///      DB_PASSWORD or DB_PASSWORD_FILE"
    /// );
    /// ```
    pub fn require(&self, names: &[&str]) -> Result<(), ConfigError> {
        let mut issues: Vec<Issue> = self.issues.iter().filter(|i| i.path().is_empty()).cloned().collect();
        issues.extend(names.iter().filter_map(|name| self.resolve(name).err()));
        if issues.is_empty() { Ok(()) } else { Err(ConfigError::from_issues(issues)) }
    }

    /// Every problem found so far: a broken key variable, values that
    /// failed to decode, files (read on first use) that could not be read.
    /// Never holds a value.
    ///
    /// ```
    /// use phoenix_config::secret::SecretManager;
    ///
    /// let secrets = SecretManager::from_vars([("TOKEN", "enc:v1:k1:AAAA")]);
    /// let issues = secrets.issues();
    /// assert_eq!(issues.len(), 1);
    /// # #[cfg(feature = "encryption")]
    /// assert_eq!(issues[0].to_string(), "TOKEN: the encrypted value for key `k1` is too short to be one (from env TOKEN)");
    /// # #[cfg(not(feature = "encryption"))]
    /// # assert!(issues[0].to_string().contains("`encryption` feature"));
    /// ```
    pub fn issues(&self) -> Vec<Issue> {
        let files = self.sources.iter().filter_map(|source| match source {
            Source::File { value, .. } => value.get().and_then(|v| v.as_ref().err()),
            Source::Inline(_) => None,
        });
        self.issues.iter().chain(files).cloned().collect()
    }

    /// Every name it can answer, sorted (with prefixes stripped, and also
    /// as written).
    ///
    /// ```
    /// use phoenix_config::secret::SecretManager;
    ///
    /// let secrets = SecretManager::from_vars([("SECRET_A", "1"), ("B_FILE", "/x")]);
    /// assert_eq!(secrets.names().collect::<Vec<_>>(), ["A", "B", "B_FILE", "SECRET_A"]);
    /// ```
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }

    /// Every API key: each name ending in `_API_KEY` (`MAPS_API_KEY`, from
    /// `PHOENIX_SECRET_MAPS_API_KEY`, `SECRET_MAPS_API_KEY`, `MAPS_API_KEY`
    /// or `MAPS_API_KEY_FILE`), name → secret. Values that failed to decode
    /// are left out (see [`issues`](SecretManager::issues)).
    ///
    /// ```
    /// use phoenix_config::secret::SecretManager;
    ///
    /// let secrets = SecretManager::from_vars([
    ///     ("GOOGLE_MAPS_API_KEY", "g"),
    ///     ("PHOENIX_SECRET_WEBSHARE_API_KEY", "w"),
    ///     ("DB_PASSWORD", "p"),
    /// ]);
    /// let keys = secrets.api_keys();
    /// assert_eq!(keys.keys().copied().collect::<Vec<_>>(), ["GOOGLE_MAPS_API_KEY", "WEBSHARE_API_KEY"]);
    /// assert_eq!(keys["WEBSHARE_API_KEY"].expose(), "w");
    /// ```
    pub fn api_keys(&self) -> BTreeMap<&str, &Secret<String>> {
        // Inserted in order (`names` is sorted): `collect` would sort them again.
        let mut keys = BTreeMap::new();
        for name in self.names.keys() {
            let prefixed = || self.prefixes.iter().any(|p| name.strip_prefix(p.as_str()).is_some_and(is_api_key_name));
            if !is_api_key_name(name) || prefixed() {
                continue;
            }
            // Only now: a `_FILE` secret is read on first use.
            if let Ok(secret) = self.resolve(name) {
                keys.insert(name.as_str(), secret);
            }
        }
        keys
    }

    /// The `MongoDB` credentials: a connection string, or its parts.
    ///
    /// | value | names tried, in order |
    /// |---|---|
    /// | connection string | `MONGODB_URI`, `PHOENIX_DATABASE_URI` |
    /// | host | `MONGODB_HOST`, `PHOENIX_DATABASE_HOST` |
    /// | port | `MONGODB_PORT`, `PHOENIX_DATABASE_PORT` |
    /// | user | `MONGODB_USERNAME`, `PHOENIX_DATABASE_USERNAME` |
    /// | password | `MONGODB_PASSWORD`, `PHOENIX_DATABASE_PASSWORD` |
    /// | database | `MONGODB_DATABASE`, `PHOENIX_DATABASE_NAME` |
    ///
    /// Each name is looked up like [`get`](SecretManager::get) does (so
    /// `PHOENIX_SECRET_MONGODB_URI` or `MONGODB_PASSWORD_FILE` work too).
    /// Either the connection string or the host is needed.
    ///
    /// ```
    /// use phoenix_config::secret::SecretManager;
    ///
    /// let secrets = SecretManager::from_vars([
    ///     ("MONGODB_HOST", "db.internal"),
    ///     ("MONGODB_USERNAME", "phoenix"),
    ///     ("MONGODB_PASSWORD", "p@ss:word"),
    ///     ("MONGODB_DATABASE", "phoenix_real_estate"),
    /// ]);
    /// let db = secrets.database_credentials()?;
    /// assert_eq!(db.host.as_deref(), Some("db.internal"));
    /// assert_eq!(
    ///     db.connection_uri().expose(),
    ///     "mongodb://phoenix:p%40ss%3Aword@db.internal/phoenix_real_estate"
    /// );
    /// assert!(!format!("{db:?}").contains("p@ss"));
    /// # Ok::<(), phoenix_config::ConfigError>(())
    /// ```
    pub fn database_credentials(&self) -> Result<DatabaseCredentials, ConfigError> {
        let mut issues = Vec::new();
        let mut take = |names: &[&'static str]| match self.first(names) {
            Ok(found) => found,
            Err(issue) => {
                issues.push(issue);
                None
            }
        };
        let uri = take(&["MONGODB_URI", "PHOENIX_DATABASE_URI"]);
        let host = take(&["MONGODB_HOST", "PHOENIX_DATABASE_HOST"]);
        let port = take(&["MONGODB_PORT", "PHOENIX_DATABASE_PORT"]);
        let username = take(&["MONGODB_USERNAME", "PHOENIX_DATABASE_USERNAME"]);
        let password = take(&["MONGODB_PASSWORD", "PHOENIX_DATABASE_PASSWORD"]);
        let database = take(&["MONGODB_DATABASE", "PHOENIX_DATABASE_NAME"]);
        let port = port.and_then(|found| self.port(found, &mut issues));
        if uri.is_none() && host.is_none() && issues.is_empty() {
            issues.push(Issue::new(
                IssueKind::Missing,
                "MONGODB_URI",
                "missing database credentials: set MONGODB_URI (or PHOENIX_DATABASE_URI), \
                 or MONGODB_HOST with MONGODB_USERNAME and MONGODB_PASSWORD",
            ));
        }
        if let (None, Some((name, _)), None) = (uri, password, username) {
            issues.push(Issue::new(
                IssueKind::Invalid,
                name,
                "a database password is set without a user: set MONGODB_USERNAME too",
            ));
        }
        if !issues.is_empty() {
            return Err(ConfigError::from_issues(issues));
        }
        let plain = |found: Option<(&str, &Secret<String>)>| found.map(|(_, s)| s.expose_unaudited().clone());
        Ok(DatabaseCredentials {
            uri: uri.map(|(_, s)| s.clone_secret()),
            host: plain(host),
            port,
            username: plain(username),
            password: password.map(|(_, s)| s.clone_secret()),
            database: plain(database),
        })
    }

    /// The `WebShare` proxy credentials; every one is required.
    ///
    /// | value | names tried, in order |
    /// |---|---|
    /// | host | `WEBSHARE_PROXY_HOST` (e.g. `p.webshare.io`) |
    /// | port | `WEBSHARE_PROXY_PORT` (e.g. `80`) |
    /// | user | `WEBSHARE_PROXY_USERNAME`, `WEBSHARE_USERNAME` |
    /// | password | `WEBSHARE_PROXY_PASSWORD`, `WEBSHARE_PASSWORD` |
    ///
    /// Each name is looked up like [`get`](SecretManager::get) does.
    ///
    /// ```
    /// use phoenix_config::secret::SecretManager;
    ///
    /// let secrets = SecretManager::from_vars([
    ///     ("WEBSHARE_PROXY_HOST", "p.webshare.io"),
    ///     ("WEBSHARE_PROXY_PORT", "80"),
    ///     ("WEBSHARE_USERNAME", "user-rotate"),
    ///     ("SECRET_WEBSHARE_PASSWORD", "pw"),
    /// ]);
    /// let proxy = secrets.proxy_credentials()?;
    /// assert_eq!(proxy.port, 80);
    /// assert_eq!(proxy.url().expose(), "http://user-rotate:pw@p.webshare.io:80");
    /// let err = SecretManager::from_vars([("WEBSHARE_PROXY_PORT", "80")]).proxy_credentials().unwrap_err();
    /// assert_eq!(err.issues().len(), 3);
    /// # Ok::<(), phoenix_config::ConfigError>(())
    /// ```
    pub fn proxy_credentials(&self) -> Result<ProxyCredentials, ConfigError> {
        let mut issues = Vec::new();
        let mut take = |names: &[&'static str]| match self.first(names) {
            Ok(Some(found)) => Some(found),
            Ok(None) => {
                issues.push(Issue::new(
                    IssueKind::Missing,
                    names[0],
                    format!("missing secret: set {}", tried(&self.prefixes, names)),
                ));
                None
            }
            Err(issue) => {
                issues.push(issue);
                None
            }
        };
        let host = take(&["WEBSHARE_PROXY_HOST"]);
        let port = take(&["WEBSHARE_PROXY_PORT"]);
        let username = take(&["WEBSHARE_PROXY_USERNAME", "WEBSHARE_USERNAME"]);
        let password = take(&["WEBSHARE_PROXY_PASSWORD", "WEBSHARE_PASSWORD"]);
        let port = port.and_then(|found| self.port(found, &mut issues));
        match (host, port, username, password) {
            (Some((_, host)), Some(port), Some((_, username)), Some((_, password))) if issues.is_empty() => {
                Ok(ProxyCredentials {
                    host: host.expose_unaudited().clone(),
                    port,
                    username: username.expose_unaudited().clone(),
                    password: password.clone_secret(),
                })
            }
            _ => Err(ConfigError::from_issues(issues)),
        }
    }

    /// A port number, or an issue (without the value).
    fn port(&self, (name, value): (&str, &Secret<String>), issues: &mut Vec<Issue>) -> Option<u16> {
        match value.expose_unaudited().trim().parse::<u16>() {
            Ok(port) if port > 0 => Some(port),
            _ => {
                let origin = self.names.get(name).map(|&i| match &self.sources[i] {
                    Source::File { var, path, .. } => {
                        Origin::SecretFile { path: path.display().to_string().into(), via: var.as_str().into() }
                    }
                    Source::Inline(_) => Origin::Env { name: value.name().unwrap_or(name).into(), alias_of: None },
                });
                issues.push(
                    Issue::new(IssueKind::Invalid, name, "is not a valid port (1 to 65535)").with_origin_opt(origin),
                );
                None
            }
        }
    }
}

/// `A, B, A or A_FILE` for one name; several names list each with its variants.
fn tried(prefixes: &[String], names: &[&str]) -> String {
    let mut all: Vec<String> = Vec::new();
    for name in names {
        all.extend(prefixes.iter().map(|p| format!("{p}{name}")));
        all.push((*name).to_owned());
        all.push(format!("{name}{FILE_SUFFIX}"));
    }
    let last = all.pop().unwrap_or_default();
    if all.is_empty() { last } else { format!("{} or {last}", all.join(", ")) }
}

/// Name → index (into `vars`, into [`Choice`]s, into sources).
type NameIndex = BTreeMap<String, usize>;

/// The variable chosen for a name so far.
#[derive(Clone, Copy)]
struct Choice {
    /// 0 is best.
    rank: u8,
    /// Its index in `vars`.
    var: usize,
    /// `NAME_FILE`: the variable names a file holding the value.
    file: bool,
}

/// The best variable for every name the set variables can answer:
/// name → index into the returned choices.
/// A name's variables, best first: `<PREFIX>_SECRET_NAME`, `SECRET_NAME`,
/// `NAME`, `NAME_FILE` (one variable per rank, so the order of `index` does
/// not matter).
fn best_variables(index: &NameIndex, prefixes: &[String], set: impl Fn(usize) -> bool) -> (NameIndex, Vec<Choice>) {
    let mut names = NameIndex::new();
    let mut best: Vec<Choice> = Vec::new();
    for (var, &i) in index {
        if !set(i) {
            continue;
        }
        let unprefixed =
            prefixes.iter().zip(0_u8..).find_map(|(prefix, rank)| Some((var.strip_prefix(prefix.as_str())?, rank)));
        let file = var.strip_suffix(FILE_SUFFIX).map(|name| (name, 3));
        for (name, rank) in [Some((var.as_str(), 2)), unprefixed, file].into_iter().flatten() {
            if name.is_empty() {
                continue;
            }
            let candidate = Choice { rank, var: i, file: rank == 3 };
            if let Some(&slot) = names.get(name) {
                if rank < best[slot].rank {
                    best[slot] = candidate;
                }
            } else {
                names.insert(name.to_owned(), best.len());
                best.push(candidate);
            }
        }
    }
    (names, best)
}

fn is_api_key_name(name: &str) -> bool {
    name.len() > API_KEY_SUFFIX.len() && name.ends_with(API_KEY_SUFFIX)
}

/// Appends `text` percent-encoded for a URI's user, password or path:
/// everything but RFC 3986 unreserved characters.
fn push_encoded(out: &mut String, text: &str) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// Builds a URI in a buffer sized up front (no reallocation leaving copies
/// behind), wiped if it is dropped.
fn uri_buffer(parts: &[&str]) -> Zeroizing<String> {
    Zeroizing::new(String::with_capacity(32 + 3 * parts.iter().map(|p| p.len()).sum::<usize>()))
}

/// `MongoDB` credentials, from [`SecretManager::database_credentials`]:
/// a connection string, or the parts to build one. Its `Debug` redacts the
/// connection string and the password.
///
/// ```
/// use phoenix_config::secret::SecretManager;
///
/// let db = SecretManager::from_vars([("MONGODB_URI", "mongodb://u:pw@db")]).database_credentials()?;
/// assert_eq!(
///     format!("{db:?}"),
///     "DatabaseCredentials { uri: Some([REDACTED]), host: None, port: None, username: None, password: None, database: None }"
/// );
/// # Ok::<(), phoenix_config::ConfigError>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct DatabaseCredentials {
    /// The connection string (`MONGODB_URI`), when given whole.
    pub uri: Option<Secret<String>>,
    /// The host (`MONGODB_HOST`).
    pub host: Option<String>,
    /// The port (`MONGODB_PORT`).
    pub port: Option<u16>,
    /// The user (`MONGODB_USERNAME`).
    pub username: Option<String>,
    /// The password (`MONGODB_PASSWORD`).
    pub password: Option<Secret<String>>,
    /// The database (`MONGODB_DATABASE`).
    pub database: Option<String>,
}

impl DatabaseCredentials {
    /// The connection string: [`uri`](DatabaseCredentials::uri) when given,
    /// else `mongodb://user:password@host:port/database` built from the parts
    /// (user, password and database percent-encoded; absent parts left out).
    ///
    /// ```
    /// use phoenix_config::secret::SecretManager;
    ///
    /// let secrets = SecretManager::from_vars([("MONGODB_URI", "mongodb://u:p@db:27017/x")]);
    /// let db = secrets.database_credentials()?;
    /// assert_eq!(db.connection_uri().expose(), "mongodb://u:p@db:27017/x");
    /// # Ok::<(), phoenix_config::ConfigError>(())
    /// ```
    pub fn connection_uri(&self) -> Secret<String> {
        if let Some(uri) = &self.uri {
            return uri.clone_secret();
        }
        let user = self.username.as_deref().unwrap_or_default();
        let password = self.password.as_ref().map_or("", |p| p.expose_unaudited().as_str());
        let host = self.host.as_deref().unwrap_or("localhost");
        let database = self.database.as_deref().unwrap_or_default();
        let mut uri = uri_buffer(&[user, password, host, database]);
        uri.push_str("mongodb://");
        if self.username.is_some() {
            push_encoded(&mut uri, user);
            if self.password.is_some() {
                uri.push(':');
                push_encoded(&mut uri, password);
            }
            uri.push('@');
        }
        uri.push_str(host);
        if let Some(port) = self.port {
            let _ = write!(uri, ":{port}");
        }
        if self.database.is_some() {
            uri.push('/');
            push_encoded(&mut uri, database);
        }
        Secret::named("MONGODB_URI", std::mem::take(&mut *uri))
    }
}

/// `WebShare` proxy credentials, from [`SecretManager::proxy_credentials`].
/// Its `Debug` redacts the password.
///
/// ```
/// use phoenix_config::secret::SecretManager;
///
/// let proxy = SecretManager::from_vars([
///     ("WEBSHARE_PROXY_HOST", "p.webshare.io"),
///     ("WEBSHARE_PROXY_PORT", "80"),
///     ("WEBSHARE_PROXY_USERNAME", "u"),
///     ("WEBSHARE_PROXY_PASSWORD", "pw"),
/// ])
/// .proxy_credentials()?;
/// assert_eq!(
///     format!("{proxy:?}"),
///     r#"ProxyCredentials { host: "p.webshare.io", port: 80, username: "u", password: [REDACTED] }"#
/// );
/// # Ok::<(), phoenix_config::ConfigError>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct ProxyCredentials {
    /// The proxy host (`WEBSHARE_PROXY_HOST`).
    pub host: String,
    /// The proxy port (`WEBSHARE_PROXY_PORT`).
    pub port: u16,
    /// The proxy user (`WEBSHARE_PROXY_USERNAME`).
    pub username: String,
    /// The proxy password (`WEBSHARE_PROXY_PASSWORD`).
    pub password: Secret<String>,
}

impl ProxyCredentials {
    /// The proxy URL, `http://user:password@host:port` (user and password
    /// percent-encoded), as HTTP clients take it.
    ///
    /// ```
    /// use phoenix_config::secret::SecretManager;
    ///
    /// let proxy = SecretManager::from_vars([
    ///     ("WEBSHARE_PROXY_HOST", "p.webshare.io"),
    ///     ("WEBSHARE_PROXY_PORT", "80"),
    ///     ("WEBSHARE_PROXY_USERNAME", "u"),
    ///     ("WEBSHARE_PROXY_PASSWORD", "a b"),
    /// ])
    /// .proxy_credentials()?;
    /// assert_eq!(proxy.url().expose(), "http://u:a%20b@p.webshare.io:80");
    /// # Ok::<(), phoenix_config::ConfigError>(())
    /// ```
    pub fn url(&self) -> Secret<String> {
        let password = self.password.expose_unaudited();
        let mut url = uri_buffer(&[&self.username, password, &self.host]);
        url.push_str("http://");
        push_encoded(&mut url, &self.username);
        url.push(':');
        push_encoded(&mut url, password);
        url.push('@');
        url.push_str(&self.host);
        let _ = write!(url, ":{}", self.port);
        Secret::named("WEBSHARE_PROXY_URL", std::mem::take(&mut *url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(feature = "encryption")]
    use crate::secret::keys::{KEY_VAR, encrypt, keygen};

    fn kinds(err: &ConfigError) -> Vec<(IssueKind, &str)> {
        err.issues().iter().map(|i| (i.kind(), i.path())).collect()
    }

    #[test]
    fn names_are_looked_up_in_order_and_a_failure_does_not_fall_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");
        std::fs::write(&file, "from-file\n").unwrap();
        let file = file.to_str().unwrap();
        let all = [("PHOENIX_SECRET_PW", "a"), ("SECRET_PW", "b"), ("PW", "c"), ("PW_FILE", file)];
        for skip in 0..4 {
            let secrets = SecretManager::from_vars(all[skip..].iter().copied());
            let expected = ["a", "b", "c", "from-file"][skip];
            assert_eq!(secrets.get("PW").unwrap().expose_unaudited(), expected);
        }
        let secrets = SecretManager::from_vars([("SECRET_PW", "base64:???"), ("PW", "plain")]);
        assert!(secrets.get("PW").is_none());
        let err = secrets.require(&["PW"]).unwrap_err();
        assert_eq!(kinds(&err), [(IssueKind::Secret, "PW")]);
        assert_eq!(
            err.issues()[0].to_string(),
            "PW: invalid base64 after `base64:`: a character outside the base64 alphabet (from env SECRET_PW)"
        );
        assert_eq!(secrets.issues().len(), 1);
        assert_eq!(secrets.issues()[0].path(), "SECRET_PW");
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let secrets = SecretManager::from_vars([("PHOENIX_SECRET_PW", ""), ("PW", "set")]);
        assert_eq!(secrets.get("PW").unwrap().expose_unaudited(), "set");
        assert!(secrets.get("PHOENIX_SECRET_PW").is_none());
    }

    #[test]
    fn secrets_are_named_after_their_variable() {
        let secrets = SecretManager::from_vars([("PHOENIX_SECRET_A", "1"), ("B", "2")]);
        assert_eq!(secrets.get("A").unwrap().name(), Some("PHOENIX_SECRET_A"));
        assert_eq!(secrets.get("PHOENIX_SECRET_A").unwrap().name(), Some("PHOENIX_SECRET_A"));
        assert_eq!(secrets.get("B").unwrap().name(), Some("B"));
    }

    #[test]
    fn files_are_read_on_first_use_and_their_failures_kept() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let secrets = SecretManager::from_vars([("TOKEN_FILE", missing.to_str().unwrap())]);
        assert!(secrets.issues().is_empty());
        assert!(secrets.get("TOKEN").is_none());
        let issues = secrets.issues();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].kind(), IssueKind::Secret);
        assert_eq!(
            issues[0].origin(),
            Some(&Origin::SecretFile { path: missing.display().to_string().into(), via: "TOKEN_FILE".into() })
        );
        let err = secrets.require(&["TOKEN"]).unwrap_err();
        assert_eq!(kinds(&err), [(IssueKind::Secret, "TOKEN")]);

        let big = dir.path().join("big");
        std::fs::write(&big, "0123456789").unwrap();
        let secrets = SecretManager::from_vars([("TOKEN_FILE", big.to_str().unwrap())])
            .limits(Limits { max_secret_file_bytes: 4, ..Limits::default() });
        assert!(secrets.get("TOKEN").is_none());
        assert!(secrets.issues()[0].message().contains("over the limit of 4"));
    }

    #[test]
    #[cfg(feature = "encryption")]
    fn values_and_files_are_decoded_with_keys_from_the_same_variables() {
        let key = keygen("k1").unwrap().expose_unaudited().clone();
        let keys = KeyRing::from_vars([(KEY_VAR, key.as_str())]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, format!("{}\n", encrypt("from-file", &keys).unwrap())).unwrap();
        let secrets = SecretManager::from_vars([
            (KEY_VAR, key.clone()),
            ("DB_PASSWORD", encrypt("hunter2", &keys).unwrap()),
            ("TOKEN_FILE", file.to_str().unwrap().to_owned()),
        ]);
        assert_eq!(secrets.get("DB_PASSWORD").unwrap().expose_unaudited(), "hunter2");
        assert_eq!(secrets.get("TOKEN").unwrap().expose_unaudited(), "from-file");
        assert_eq!(secrets.get("TOKEN").unwrap().name(), Some("TOKEN"));

        let broken = SecretManager::from_vars([(KEY_VAR, "k1:short"), ("X", "plain")]);
        let err = broken.require(&["X"]).unwrap_err();
        assert_eq!(kinds(&err), [(IssueKind::Secret, "")]);
        assert!(err.to_string().contains("PHOENIX_CONFIG_KEY: key `k1` is not valid standard base64"));
    }

    #[test]
    fn require_reports_every_missing_name_at_once() {
        let secrets = SecretManager::from_vars([("A", "1")]);
        assert!(secrets.require(&[]).is_ok());
        assert!(secrets.require(&["A"]).is_ok());
        let err = secrets.require(&["A", "B", "C"]).unwrap_err();
        assert_eq!(kinds(&err), [(IssueKind::Missing, "B"), (IssueKind::Missing, "C")]);
        assert_eq!(err.issues()[1].message(), "missing secret: set PHOENIX_SECRET_C, SECRET_C, C or C_FILE");
    }

    #[test]
    fn debug_lists_names_only() {
        let secrets = SecretManager::from_vars([("SECRET_DB", "canary-1"), ("TOKEN", "base64:!")]);
        let text = format!("{secrets:?}");
        assert!(text.starts_with(r#"SecretManager { names: ["DB", "SECRET_DB", "TOKEN"], keys: KeyRing"#), "{text}");
        assert!(!text.contains("canary"));
    }

    #[test]
    fn database_credentials_from_a_uri_or_parts() {
        let uri = SecretManager::from_vars([("PHOENIX_DATABASE_URI", "mongodb://u:p@h/db")]);
        let db = uri.database_credentials().unwrap();
        assert_eq!(db.uri.as_ref().unwrap().expose_unaudited(), "mongodb://u:p@h/db");
        assert_eq!(db.connection_uri().expose_unaudited(), "mongodb://u:p@h/db");

        let parts = SecretManager::from_vars([
            ("MONGODB_HOST", "h"),
            ("MONGODB_PORT", "27017"),
            ("MONGODB_USERNAME", "u"),
            ("PHOENIX_SECRET_MONGODB_PASSWORD", "base64:cEBzcw=="),
        ]);
        let db = parts.database_credentials().unwrap();
        assert_eq!(db.port, Some(27017));
        assert_eq!(db.connection_uri().expose_unaudited(), "mongodb://u:p%40ss@h:27017");
        let host_only = SecretManager::from_vars([("MONGODB_HOST", "h")]).database_credentials().unwrap();
        assert_eq!(host_only.connection_uri().expose_unaudited(), "mongodb://h");

        let err = SecretManager::from_vars([("X", "1")]).database_credentials().unwrap_err();
        assert_eq!(kinds(&err), [(IssueKind::Missing, "MONGODB_URI")]);
        let err =
            SecretManager::from_vars([("MONGODB_HOST", "h"), ("MONGODB_PORT", "canary"), ("MONGODB_PASSWORD", "p")])
                .database_credentials()
                .unwrap_err();
        assert_eq!(kinds(&err), [(IssueKind::Invalid, "MONGODB_PORT"), (IssueKind::Invalid, "MONGODB_PASSWORD")]);
        assert!(!err.to_string().contains("canary"));
        let err = SecretManager::from_vars([("MONGODB_URI", "base64:!")]).database_credentials().unwrap_err();
        assert_eq!(kinds(&err), [(IssueKind::Secret, "MONGODB_URI")]);
    }

    #[test]
    fn proxy_credentials_need_every_part() {
        let err = SecretManager::from_vars([("X", "1")]).proxy_credentials().unwrap_err();
        assert_eq!(
            kinds(&err),
            [
                (IssueKind::Missing, "WEBSHARE_PROXY_HOST"),
                (IssueKind::Missing, "WEBSHARE_PROXY_PORT"),
                (IssueKind::Missing, "WEBSHARE_PROXY_USERNAME"),
                (IssueKind::Missing, "WEBSHARE_PROXY_PASSWORD"),
            ]
        );
        assert_eq!(
            err.issues()[3].message(),
            "missing secret: set PHOENIX_SECRET_WEBSHARE_PROXY_PASSWORD, SECRET_WEBSHARE_PROXY_PASSWORD, \
             WEBSHARE_PROXY_PASSWORD, WEBSHARE_PROXY_PASSWORD_FILE, PHOENIX_SECRET_WEBSHARE_PASSWORD, \
             SECRET_WEBSHARE_PASSWORD, WEBSHARE_PASSWORD or WEBSHARE_PASSWORD_FILE"
        );
        let err = SecretManager::from_vars([
            ("WEBSHARE_PROXY_HOST", "h"),
            ("WEBSHARE_PROXY_PORT", "0"),
            ("WEBSHARE_PROXY_USERNAME", "u"),
            ("WEBSHARE_PROXY_PASSWORD", "p"),
        ])
        .proxy_credentials()
        .unwrap_err();
        assert_eq!(kinds(&err), [(IssueKind::Invalid, "WEBSHARE_PROXY_PORT")]);
        assert_eq!(
            err.issues()[0].to_string(),
            "WEBSHARE_PROXY_PORT: is not a valid port (1 to 65535) (from env WEBSHARE_PROXY_PORT)"
        );
    }

    #[test]
    fn api_keys_are_every_name_ending_in_api_key() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k");
        std::fs::write(&file, "from-file").unwrap();
        let secrets = SecretManager::from_vars([
            ("A_API_KEY", "a"),
            ("SECRET_B_API_KEY", "b"),
            ("PHOENIX_SECRET_C_API_KEY", "c"),
            ("D_API_KEY_FILE", file.to_str().unwrap()),
            ("E_API_KEY", "base64:!"),
            ("SECRET_API_KEY", "s"),
            ("_API_KEY", "no"),
            ("API_KEY", "no"),
        ]);
        let keys: Vec<(&str, &str)> =
            secrets.api_keys().into_iter().map(|(k, v)| (k, v.expose_unaudited().as_str())).collect();
        assert_eq!(
            keys,
            [
                ("A_API_KEY", "a"),
                ("B_API_KEY", "b"),
                ("C_API_KEY", "c"),
                ("D_API_KEY", "from-file"),
                ("SECRET_API_KEY", "s")
            ]
        );
    }
}
