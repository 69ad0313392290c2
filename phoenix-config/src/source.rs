//! [`Source`]: the trait behind a layer, and the sources that ship with the
//! crate: [`FileSource`] (one YAML, TOML or JSON file) and [`ArgsSource`]
//! (command-line arguments).
//!
//! A source yields a tree of [`Node`]s, each value with its own [`Origin`];
//! names what a watcher must follow ([`Watch`]); and reports its problems as
//! [`Issue`]s. Sources added with [`ConfigLoader::source`](crate::ConfigLoader::source)
//! sit above the environment's file and below `.env`, in the order added:
//!
//! ```
//! use phoenix_config::source::{Source, SourceContext};
//! use phoenix_config::{ConfigLoader, Environment, Issue, Node, Origin, PhoenixConfig};
//!
//! /// Settings kept in a (pretend) key-value store.
//! struct Store(Vec<(&'static str, &'static str)>);
//!
//! impl Source for Store {
//!     fn describe(&self) -> String {
//!         "store kv://settings".to_owned()
//!     }
//!
//!     fn load(&self, cx: &SourceContext<'_>) -> Result<Node, Vec<Issue>> {
//!         let mut tree = Node::map(Origin::source(self.describe()));
//!         for (key, value) in &self.0 {
//!             let origin = Origin::source(format!("store kv://settings/{}/{key}", cx.environment()));
//!             let path: Vec<&str> = key.split('.').collect();
//!             tree.set_path(&path, Node::text(*value, origin));
//!         }
//!         Ok(tree)
//!     }
//! }
//!
//! #[derive(PhoenixConfig)]
//! struct Settings {
//!     #[config(default = 10)]
//!     pool: u32,
//! }
//!
//! let loaded = ConfigLoader::new()
//!     .environment(Environment::Testing)
//!     .config_dir("no/such/dir")
//!     .no_dotenv()
//!     .env_vars([("X", "")])
//!     .source(Store(vec![("pool", "25")]))
//!     .load_with_origins::<Settings>()?;
//! assert_eq!(loaded.config().pool, 25);
//! assert_eq!(loaded.origin("pool").unwrap().to_string(), "store kv://settings/testing/pool");
//! # Ok::<(), phoenix_config::ConfigError>(())
//! ```

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::format::{self, Format};
use crate::limits::Limits;
use crate::loader::{Vars, read_file};
use crate::node::Node;
use crate::{Environment, Issue, IssueKind, Origin};

/// A layer of configuration: yields a tree with an origin for each value.
///
/// Implement it for a secrets manager, a database, a remote store; add it
/// with [`ConfigLoader::source`](crate::ConfigLoader::source). Keys are the
/// settings' file keys (`database.max_pool_size`); scalar values made with
/// [`Node::text`] convert as a variable's text does (`"5"` fills a `u32`,
/// `a,b` a list), so a source of strings needs no type knowledge.
pub trait Source: Send + Sync {
    /// What the source is, for messages and `Debug` (`store kv://settings`).
    fn describe(&self) -> String;

    /// Reads the source: a map tree (each value with its own [`Origin`]),
    /// or every problem found, as issues (a source that cannot be reached is
    /// one issue naming it; it never yields a partial tree silently).
    fn load(&self, cx: &SourceContext<'_>) -> Result<Node, Vec<Issue>>;

    /// What a watcher ([`ConfigLoader::watch`](crate::ConfigLoader::watch))
    /// follows to notice a change: files, and/or a change hook. The default
    /// follows nothing: the source is read again only when something else
    /// changes.
    fn watch(&self) -> Watch {
        Watch::default()
    }
}

/// What a load knows that a source may need: the environment and the
/// loader's variables.
pub struct SourceContext<'a> {
    pub(crate) environment: Environment,
    pub(crate) vars: &'a Vars<'a>,
    pub(crate) limits: &'a Limits,
}

impl SourceContext<'_> {
    /// The environment being loaded.
    pub fn environment(&self) -> Environment {
        self.environment
    }

    /// A variable of the loader (the process environment, or the injected
    /// [`env_vars`](crate::ConfigLoader::env_vars)); `None` when unset or not UTF-8.
    pub fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).and_then(Result::ok).map(str::to_owned)
    }

    /// The loader's bounds on file sizes.
    pub fn limits(&self) -> &Limits {
        self.limits
    }
}

/// What a watcher follows for one source.
///
/// `files` are hashed on every poll, like the config files; `changes` is an
/// opaque hook for a source that is not a file (a remote store): the watcher
/// calls it on every poll and reloads when the number it returns differs from
/// the last one (a revision, a version counter, a change time).
#[derive(Clone, Default)]
pub struct Watch {
    /// Files whose content the source reads.
    pub files: Vec<PathBuf>,
    /// A change hook, polled by the watcher.
    pub changes: Option<ChangeHook>,
}

/// A function returning a number that changes when a source's data changes.
#[derive(Clone)]
pub struct ChangeHook(Arc<dyn Fn() -> u64 + Send + Sync>, Option<ChangeNotifier>);

impl ChangeHook {
    /// A hook calling `version`.
    pub fn new(version: impl Fn() -> u64 + Send + Sync + 'static) -> Self {
        ChangeHook(Arc::new(version), None)
    }

    /// The hook with a notifier the source calls when its version moves, so
    /// a watcher looks at once instead of at its next poll.
    #[must_use]
    pub fn with_notifier(mut self, notifier: ChangeNotifier) -> Self {
        self.1 = Some(notifier);
        self
    }

    /// The current version.
    pub fn version(&self) -> u64 {
        (self.0)()
    }

    /// The notifier given with [`with_notifier`](ChangeHook::with_notifier).
    #[cfg_attr(not(feature = "watch"), allow(dead_code))]
    pub(crate) fn notifier(&self) -> Option<&ChangeNotifier> {
        self.1.as_ref()
    }
}

impl PartialEq for ChangeHook {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for ChangeHook {}

impl fmt::Debug for ChangeHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChangeHook")
    }
}

/// A waker a watcher registers with a source.
pub(crate) type Waker = Arc<dyn Fn() + Send + Sync>;

/// How a source wakes the watchers following it: a watcher registers a
/// waker when it starts, the source calls [`notify`](ChangeNotifier::notify)
/// after its [`ChangeHook`]'s version moved. Wakers are held weakly: a
/// dropped watcher is forgotten.
#[derive(Clone, Default)]
pub struct ChangeNotifier(Arc<std::sync::Mutex<Vec<WeakWaker>>>);

type WeakWaker = std::sync::Weak<dyn Fn() + Send + Sync>;

impl ChangeNotifier {
    /// Wakes every live watcher.
    pub fn notify(&self) {
        let wakers: Vec<Waker> = {
            let mut list = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            list.retain(|w| w.strong_count() > 0);
            list.iter().filter_map(std::sync::Weak::upgrade).collect()
        };
        for wake in wakers {
            wake();
        }
    }

    /// Registers a watcher's waker (kept while the watcher holds it).
    #[cfg_attr(not(feature = "watch"), allow(dead_code))]
    pub(crate) fn register(&self, waker: &Waker) {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(Arc::downgrade(waker));
    }
}

impl fmt::Debug for ChangeNotifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChangeNotifier")
    }
}

impl fmt::Debug for Watch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watch").field("files", &self.files).field("changes", &self.changes.is_some()).finish()
    }
}

/// One config file in any format, chosen by its extension (`.yaml`, `.yml`,
/// `.toml`, `.json`); a missing file yields nothing.
#[derive(Clone, Debug)]
pub struct FileSource {
    path: PathBuf,
}

impl FileSource {
    /// The file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileSource { path: path.into() }
    }
}

impl Source for FileSource {
    fn describe(&self) -> String {
        format!("file {}", self.path.display())
    }

    fn load(&self, cx: &SourceContext<'_>) -> Result<Node, Vec<Issue>> {
        let shown: Arc<str> = self.path.display().to_string().into();
        let Some(format) = Format::of(&self.path) else {
            let message = "unknown file format: use .yaml, .yml, .toml or .json";
            return Err(vec![Issue::new(IssueKind::Syntax, "", message).with_origin(file_start(&shown))]);
        };
        Ok(read_layer_file(&self.path, format, &shown, cx.limits)?.unwrap_or_else(|| Node::map(Origin::Default)))
    }

    fn watch(&self) -> Watch {
        Watch { files: vec![self.path.clone()], changes: None }
    }
}

fn file_start(shown: &Arc<str>) -> Origin {
    Origin::File { path: shown.clone(), line: 1, column: 1 }
}

/// Reads and parses one layer file; `Ok(None)` when it does not exist or
/// is empty. The top of the file must be a map.
pub(crate) fn read_layer_file(
    path: &Path,
    format: Format,
    shown: &Arc<str>,
    limits: &Limits,
) -> Result<Option<Node>, Vec<Issue>> {
    let mut issues = Vec::new();
    let Some(bytes) = read_file(path, shown, limits.max_file_bytes, &mut issues) else {
        return if issues.is_empty() { Ok(None) } else { Err(issues) };
    };
    let Some(tree) = format::parse(format, &bytes, shown, limits)? else { return Ok(None) };
    if tree.entries().is_none() {
        let message = format!("expected a map of settings at the top of the file, found {}", tree.describe());
        return Err(vec![Issue::new(IssueKind::Syntax, "", message).with_origin(tree.origin.clone())]);
    }
    Ok(Some(tree))
}

/// The file of one layer in a config folder: `{dir}/{stem}.yaml`, `.yml`,
/// `.toml` or `.json` (at most one of them).
#[derive(Debug)]
pub(crate) struct LayerFile<'a> {
    dir: &'a Path,
    stem: &'a str,
    /// The folder's names, when it could be listed ([`LayerFile::listed`]);
    /// otherwise each candidate is looked up by itself.
    listing: Option<&'a [OsString]>,
    /// Which file exists, looked up once per load.
    found: std::sync::OnceLock<Result<Option<Found>, Issue>>,
}

/// The file of a layer that exists, and its path as origins show it.
#[derive(Debug)]
struct Found {
    path: PathBuf,
    shown: Arc<str>,
}

impl<'a> LayerFile<'a> {
    pub(crate) fn new(dir: &'a Path, stem: &'a str) -> Self {
        LayerFile { dir, stem, listing: None, found: std::sync::OnceLock::new() }
    }

    /// The layer file found in a listing of its folder ([`list_layer_files`]),
    /// or by looking each name up when the folder could not be listed.
    pub(crate) fn listed(dir: &'a Path, stem: &'a str, listing: Option<&'a [OsString]>) -> Self {
        LayerFile { listing, ..LayerFile::new(dir, stem) }
    }

    /// Every file name this layer may be read from.
    pub(crate) fn candidates(&self) -> impl Iterator<Item = PathBuf> + '_ {
        format::EXTENSIONS.iter().map(|ext| self.path_of(ext))
    }

    /// The file that exists, or an error naming both when two do.
    fn existing(&self) -> &Result<Option<Found>, Issue> {
        self.found.get_or_init(|| self.look())
    }

    /// Looks each candidate up (in the folder's listing when there is one);
    /// only the one found becomes a path.
    fn look(&self) -> Result<Option<Found>, Issue> {
        let mut found: Option<&str> = None;
        for ext in format::EXTENSIONS {
            if !self.exists(ext) {
                continue;
            }
            if let Some(first) = found {
                return Err(both_exist(&self.path_of(first), &self.path_of(ext)));
            }
            found = Some(ext);
        }
        Ok(found.map(|ext| {
            let path = self.path_of(ext);
            Found { shown: path.to_string_lossy().into(), path }
        }))
    }

    /// Whether `{stem}.{ext}` exists (a dangling symbolic link does: reading
    /// it says what is wrong).
    fn exists(&self, ext: &str) -> bool {
        match self.listing {
            Some(listing) => listing.iter().any(|name| is_name_of(name.as_encoded_bytes(), self.stem, ext)),
            None => std::fs::symlink_metadata(self.path_of(ext)).is_ok(),
        }
    }

    /// `{dir}/{stem}.{ext}`, in one allocation.
    fn path_of(&self, ext: &str) -> PathBuf {
        let mut path = PathBuf::with_capacity(self.dir.as_os_str().len() + self.stem.len() + ext.len() + 2);
        path.push(self.dir);
        path.push(self.stem);
        let name = path.as_mut_os_string();
        name.push(".");
        name.push(ext);
        path
    }

    /// The file as missing-value messages name it: the one that exists,
    /// else the `.yaml` name.
    pub(crate) fn shown(&self) -> Arc<str> {
        match self.existing() {
            Ok(Some(found)) => found.shown.clone(),
            _ => self.path_of(format::EXTENSIONS[0]).to_string_lossy().into(),
        }
    }
}

/// Lists the config folder once for every layer file of a load: the names
/// `{stem}.{ext}` of the given stems (`base`, the environment's), for
/// [`LayerFile::listed`]. `Err` when the folder cannot be listed (missing,
/// not a folder, not readable): the layer files then look each name up.
pub(crate) fn list_layer_files(dir: &Path, stems: &[&str]) -> std::io::Result<Vec<OsString>> {
    crate::read::list_folder(dir, |name| is_layer_file(name.as_encoded_bytes(), stems))
}

/// Whether a file name is `{stem}.{ext}` for one of `stems` and a layer
/// file extension, compared as bytes (a folder's other names, `schema.json`,
/// a backup, are most of a listing).
fn is_layer_file(name: &[u8], stems: &[&str]) -> bool {
    format::EXTENSIONS.iter().any(|ext| stems.iter().any(|stem| is_name_of(name, stem, ext)))
}

/// Whether a file name is exactly `{stem}.{ext}`.
fn is_name_of(name: &[u8], stem: &str, ext: &str) -> bool {
    name.len() == stem.len() + 1 + ext.len()
        && name.starts_with(stem.as_bytes())
        && name[stem.len()] == b'.'
        && name.ends_with(ext.as_bytes())
}

/// Two files of one layer: an error naming both.
fn both_exist(first: &Path, second: &Path) -> Issue {
    let message = format!("both {} and {} exist for one layer; keep one of them", first.display(), second.display());
    Issue::new(IssueKind::Conflict, "", message).with_origin(file_start(&first.display().to_string().into()))
}

impl Source for LayerFile<'_> {
    fn describe(&self) -> String {
        format!("{} ({})", self.dir.join(self.stem).display(), format::EXTENSIONS.map(|e| format!(".{e}")).join(", "))
    }

    fn load(&self, cx: &SourceContext<'_>) -> Result<Node, Vec<Issue>> {
        let Some(found) = self.existing().as_ref().map_err(|issue| vec![issue.clone()])? else {
            return Ok(Node::map(Origin::Default));
        };
        let format = Format::of(&found.path).unwrap_or(Format::Yaml);
        Ok(read_layer_file(&found.path, format, &found.shown, cx.limits)?.unwrap_or_else(|| Node::map(Origin::Default)))
    }

    fn watch(&self) -> Watch {
        Watch { files: self.candidates().collect(), changes: None }
    }
}

/// Command-line arguments as a layer: `--set key=value` (the file key, as
/// [`ConfigLoader::set`](crate::ConfigLoader::set) takes it) and
/// `--section.key value` / `--section.key=value` with `-` for `_`
/// (`--database.max-pool-size 5` sets `database.max_pool_size`). Origins read
/// `arg --database.max-pool-size`. Values convert like a variable's text.
///
/// ```
/// use phoenix_config::source::ArgsSource;
/// use phoenix_config::{ConfigLoader, Environment, PhoenixConfig};
///
/// #[derive(PhoenixConfig)]
/// struct Settings {
///     #[config(default = 10)]
///     max_pool_size: u32,
///     #[config(default = false)]
///     verbose: bool,
/// }
///
/// let args = ArgsSource::parse(["--max-pool-size", "5", "--set", "verbose=yes"]).unwrap();
/// let loaded = ConfigLoader::new()
///     .environment(Environment::Testing)
///     .config_dir("none")
///     .no_dotenv()
///     .env_vars([("X", "")])
///     .source(args)
///     .load_with_origins::<Settings>()?;
/// assert_eq!(loaded.config().max_pool_size, 5);
/// assert!(loaded.config().verbose);
/// assert_eq!(loaded.origin("max_pool_size").unwrap().to_string(), "arg --max-pool-size");
/// assert_eq!(loaded.origin("verbose").unwrap().to_string(), "arg --set verbose");
/// # Ok::<(), phoenix_config::ConfigError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct ArgsSource {
    /// `(path, value, how it was written)`, in order (a later one wins).
    values: Vec<(String, String, String)>,
}

impl ArgsSource {
    /// Reads every argument; an argument that is not `--key value`,
    /// `--key=value` or `--set key=value` is an error naming its position
    /// (and its flag when that is a key), never its text: a secret typed
    /// in the wrong place is not repeated.
    pub fn parse<I, S>(args: I) -> Result<ArgsSource, ConfigArgsError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut args = args.into_iter().map(Into::into).enumerate().map(|(i, arg)| (i + 1, arg));
        let mut out = ArgsSource::default();
        while let Some((position, arg)) = args.next() {
            out.read(position, &arg, &mut args)?;
        }
        Ok(out)
    }

    fn read(
        &mut self,
        position: usize,
        arg: &str,
        rest: &mut impl Iterator<Item = (usize, String)>,
    ) -> Result<(), ConfigArgsError> {
        let Some(name) = arg.strip_prefix("--").filter(|n| !n.is_empty()) else {
            return Err(ConfigArgsError(format!(
                "argument {position} is not an option: give `--key value` or `--set key=value`"
            )));
        };
        let (name, inline) = match name.split_once('=') {
            Some((name, value)) => (name, Some((position, value.to_owned()))),
            None => (name, None),
        };
        if !is_key(name) {
            // Not a key: it would be repeated as one (a secret typed after `--`).
            return Err(ConfigArgsError(format!(
                "argument {position} is not an option: a flag is `--` and a key (letters, digits, `-`, `_`, `.`)"
            )));
        }
        let flag = format!("argument {position} (--{name})");
        let (at, value) = match inline {
            Some(value) => value,
            None => rest.next().ok_or_else(|| ConfigArgsError(format!("{flag} needs a value")))?,
        };
        if name == "set" {
            let Some((key, value)) = value.split_once('=') else {
                return Err(ConfigArgsError(format!("argument {at} (the value of --set) needs key=value")));
            };
            self.values.push((key.to_owned(), value.to_owned(), format!("arg --set {key}")));
        } else {
            self.values.push((name.replace('-', "_"), value, format!("arg --{name}")));
        }
        Ok(())
    }

    /// The `(path, value)` pairs read, in order.
    pub fn values(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(path, value, _)| (path.as_str(), value.as_str()))
    }
}

/// Whether a flag's name reads as a key: letters, digits, `-`, `_`, `.`.
fn is_key(name: &str) -> bool {
    name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// An argument [`ArgsSource::parse`] cannot read. Its message names the
/// argument's position (and flag), never the argument's text. It converts
/// into a [`ConfigError`](crate::ConfigError), as in the README:
///
/// ```
/// use phoenix_config::source::ArgsSource;
/// use phoenix_config::{ConfigError, ConfigLoader, Environment, PhoenixConfig};
///
/// #[derive(PhoenixConfig)]
/// struct Settings {
///     #[config(default = 10)]
///     max_pool_size: u32,
/// }
///
/// fn main() -> Result<(), ConfigError> {
///     let settings: Settings = ConfigLoader::new()
///         .environment(Environment::Testing)
///         .config_dir("none")
///         .no_dotenv()
///         .env_vars([])
///         .source(ArgsSource::parse(std::env::args().skip(1).filter(|_| false))?)
///         .set("max_pool_size", "5")
///         .load()?;
///     assert_eq!(settings.max_pool_size, 5);
///     let error = ConfigError::from(ArgsSource::parse(["--set", "mongodb://u:pw@h"]).unwrap_err());
///     let shown = "configuration problem: command-line arguments: argument 2 (the value of --set) needs key=value";
///     assert_eq!(error.to_string(), shown);
///     Ok(())
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigArgsError(String);

/// One [`IssueKind::Invalid`] issue with an empty path, from the command
/// line: `.source(ArgsSource::parse(args)?)` works in a function returning
/// `Result<_, ConfigError>`.
impl From<ConfigArgsError> for crate::ConfigError {
    fn from(error: ConfigArgsError) -> Self {
        let issue = Issue::new(IssueKind::Invalid, "", error.0).with_origin(Origin::source("command-line arguments"));
        crate::ConfigError::single(issue)
    }
}

impl fmt::Display for ConfigArgsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigArgsError {}

impl Source for ArgsSource {
    fn describe(&self) -> String {
        "command-line arguments".to_owned()
    }

    fn load(&self, _: &SourceContext<'_>) -> Result<Node, Vec<Issue>> {
        let mut tree = Node::map(Origin::Default);
        let mut issues = Vec::new();
        for (path, value, written) in &self.values {
            let origin = Origin::source(written.as_str());
            match dotted(path) {
                Some(segments) => tree.set_path(&segments, Node::text(value.clone(), origin)),
                None => issues.push(
                    Issue::new(IssueKind::UnknownKey, path.clone(), "a key must be names joined by `.`")
                        .with_origin(origin),
                ),
            }
        }
        if issues.is_empty() { Ok(tree) } else { Err(issues) }
    }
}

/// The keys of a dotted path; `None` when one is empty.
pub(crate) fn dotted(path: &str) -> Option<Vec<&str>> {
    let segments: Vec<&str> = path.split('.').collect();
    (!segments.iter().any(|s| s.is_empty())).then_some(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_read_every_spelling_and_reject_the_rest() {
        let args =
            ArgsSource::parse(["--database.max-pool-size", "5", "--set=a.b_c=x=y", "--log-level=debug"]).unwrap();
        let values: Vec<(&str, &str)> = args.values().collect();
        assert_eq!(values, [("database.max_pool_size", "5"), ("a.b_c", "x=y"), ("log_level", "debug")]);
        assert_eq!(
            ArgsSource::parse(["5"]).unwrap_err().to_string(),
            "argument 1 is not an option: give `--key value` or `--set key=value`"
        );
        assert_eq!(
            ArgsSource::parse(["--a", "1", "--port"]).unwrap_err().to_string(),
            "argument 3 (--port) needs a value"
        );
        assert_eq!(
            ArgsSource::parse(["--set", "x"]).unwrap_err().to_string(),
            "argument 2 (the value of --set) needs key=value"
        );
    }

    #[test]
    fn an_args_error_never_repeats_the_argument() {
        for args in [
            &["--set", "mongodb://u:LEAKPW@h"][..],
            &["--set=mongodb://u:LEAKPW@h"],
            &["mongodb://u:LEAKPW@h"],
            &["--mongodb://u:LEAKPW@h"],
            &["--mongodb://u:LEAKPW@h", "x"],
            &["--mongodb://u:LEAKPW@h=x"],
        ] {
            let error = ArgsSource::parse(args.iter().copied()).unwrap_err();
            assert!(!error.to_string().contains("LEAKPW"), "{error}");
            let error = crate::ConfigError::from(error);
            assert!(!error.to_string().contains("LEAKPW"), "{error}");
            assert!(!format!("{error:?}").contains("LEAKPW"), "{error:?}");
            assert_eq!(error.issues()[0].kind(), IssueKind::Invalid);
        }
    }

    #[test]
    fn a_layer_file_is_found_by_any_extension_once_and_two_conflict() {
        // Listed once for every layer, or each name looked up by itself: the same answers.
        for listed in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let found = |stem: &str| {
                let listing = list_layer_files(dir.path(), &["base", stem]).unwrap();
                let file = LayerFile::listed(dir.path(), stem, listed.then_some(&listing[..]));
                file.existing().as_ref().map(|f| f.as_ref().map(|f| f.path.clone())).map_err(Issue::clone)
            };
            std::fs::write(dir.path().join("eu.west.yml"), "a: 1\n").unwrap();
            std::fs::write(dir.path().join("eu.yaml"), "a: 1\n").unwrap();
            std::fs::write(dir.path().join("eu.west.yaml.bak"), "a: 1\n").unwrap();
            assert_eq!(found("eu.west"), Ok(Some(dir.path().join("eu.west.yml"))), "listed: {listed}");
            assert_eq!(found("base"), Ok(None), "listed: {listed}");
            let missing = LayerFile::new(dir.path(), "base");
            assert_eq!(missing.existing().as_ref().map(Option::is_some), Ok(false));
            assert_eq!(&*missing.shown(), dir.path().join("base.yaml").display().to_string());
            std::fs::write(dir.path().join("eu.west.json"), "{}").unwrap();
            let message = found("eu.west").unwrap_err().message().to_owned();
            assert!(
                message.starts_with("both ")
                    && message.contains("eu.west.yml and ")
                    && message.contains("eu.west.json"),
                "listed: {listed}: {message}"
            );
            #[cfg(unix)]
            {
                // A dangling link is a file of the layer: reading it says what is wrong.
                std::os::unix::fs::symlink("nowhere", dir.path().join("base.toml")).unwrap();
                assert_eq!(found("base"), Ok(Some(dir.path().join("base.toml"))), "listed: {listed}");
            }
        }
    }

    #[test]
    fn a_listing_keeps_only_the_layer_files_of_the_given_stems() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["base.yaml", "base.yml.orig", "staging.json", "schema.json", "production.toml", "base"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let mut names = list_layer_files(dir.path(), &["base", "staging"]).unwrap();
        names.sort();
        assert_eq!(names, ["base.yaml", "staging.json"]);
        assert!(list_layer_files(&dir.path().join("missing"), &["base"]).is_err());
    }
}
