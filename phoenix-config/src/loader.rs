//! [`ConfigLoader`]: the layers, in order, merged into one tree and built.
//!
//! A load runs in steps: the crate's own names (from the root prefix) → the
//! environment (declared by the root) → `.env` → the config folder → the
//! layers, as data ([`Layer`]), each merged over the last → unused
//! variables → the build (tree → typed struct, rules) → [`Loaded`].

use std::borrow::Cow;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use zeroize::Zeroizing;

use crate::__private::Cx;
use crate::dotenv::{self, DotenvEntry};
use crate::environment::{self, EnvironmentDecl};
use crate::interpolate;
use crate::limits::Limits;
use crate::names::Names;
use crate::node::{Node, PathSets, Text};
use crate::plan::{self, Plan, PlannedLeaf, PlannedVar, SetNames, Step};
use crate::schema::StructInfo;
use crate::secret::{self, KeyRing};
use crate::source::{LayerFile, Source, SourceContext};
use crate::{ConfigError, Environment, Issue, IssueKind, Loaded, Origin, PhoenixConfig, suggest};

/// Where `.env` comes from.
#[derive(Clone, Debug)]
enum DotenvSetting {
    /// `./.env` when present, except in production.
    Auto,
    /// This file, when present (in every environment).
    Path(PathBuf),
    /// No `.env` layer.
    Off,
}

/// The prefix of the crate's own names.
#[derive(Clone, Debug)]
enum NamePrefix {
    /// The root's `#[config(prefix)]`.
    Root,
    /// This one (or none).
    Given(Option<String>),
}

/// One `.set()` override, with where it was written.
#[derive(Clone, Debug)]
struct Override {
    path: String,
    /// Wiped on drop: an override may be a secret.
    value: Zeroizing<String>,
    origin: Origin,
}

/// Loads a settings struct from its layers (DESIGN §4).
///
/// Precedence, lowest to highest: defaults → `config/base.*` →
/// `config/{environment}.*` → sources added with [`source`](ConfigLoader::source),
/// in the order added → `.env` → secrets folder → environment variables →
/// [`set`](ConfigLoader::set) overrides. A layer's file is `.yaml`, `.yml`,
/// `.toml` or `.json` (two of them for one layer are an error). Maps merge
/// key by key; a list or scalar in a higher layer replaces the lower one whole.
///
/// `.env` in production: the automatic `./.env` is **not read** when the
/// environment is `production` (a developer's leftover file must not supply
/// production values); give [`dotenv`](ConfigLoader::dotenv) a path to read
/// one on purpose. When `.env` selects the environment, the load says so in a
/// warning; a real variable always beats it.
///
/// ```
/// use phoenix_config::{ConfigLoader, Environment, PhoenixConfig};
///
/// #[derive(PhoenixConfig)]
/// #[config(prefix = "APP")]
/// struct Settings {
///     #[env("APP_PORT")]
///     #[config(default = 8080)]
///     port: u16,
/// }
///
/// let settings: Settings = ConfigLoader::new()
///     .environment(Environment::Testing)
///     .config_dir("does/not/exist")
///     .no_dotenv()
///     .env_vars([("APP_PORT", "9000")])
///     .load()?;
/// assert_eq!(settings.port, 9000);
/// # Ok::<(), phoenix_config::ConfigError>(())
/// ```
#[derive(Clone)]
#[must_use]
pub struct ConfigLoader {
    environment: Option<Environment>,
    config_dir: Option<PathBuf>,
    dotenv: DotenvSetting,
    /// Injected variables: their values (key material among them) are
    /// wiped when the loader is dropped.
    vars: Option<Arc<VarMap>>,
    overrides: Vec<Override>,
    secrets_dir: Option<PathBuf>,
    limits: Limits,
    sources: Vec<Arc<dyn Source>>,
    /// The prefix of the crate's own names.
    name_prefix: NamePrefix,
    strict: bool,
    /// `${…}` in file values expands (turned off by `no_interpolation`).
    interpolate: bool,
    encrypted_only: bool,
}

/// Injected variables, their values wiped on drop, and what their names
/// mean to the plan of a type loaded with them: found once per loader (on
/// its second load: a loader used once copies no names), so that a loader
/// used for every load does not walk all its variables on every load (the
/// map never changes once a load can see it).
#[derive(Default)]
pub(crate) struct VarMap {
    map: crate::name_hash::NameMap<Zeroizing<String>>,
    /// A load has run with these variables.
    loaded: AtomicBool,
    in_plan: OnceLock<(Arc<Plan>, SetNames<'static>)>,
}

impl Clone for VarMap {
    /// The variables (a clone is made to add more: what they mean is found again).
    fn clone(&self) -> Self {
        VarMap { map: self.map.clone(), loaded: AtomicBool::new(false), in_plan: OnceLock::new() }
    }
}

impl VarMap {
    /// What the names mean to `plan`: kept from the second load on, for the
    /// plan of that load; else found again.
    fn set_names<'a>(&'a self, plan: &Arc<Plan>) -> Cow<'a, SetNames<'a>> {
        let kept = match self.in_plan.get() {
            Some(kept) => Some(kept),
            None if self.loaded.swap(true, Ordering::Relaxed) => {
                Some(self.in_plan.get_or_init(|| (plan.clone(), self.fresh_set_names(plan).into_owned())))
            }
            None => None,
        };
        match kept {
            Some((kept, set)) if Arc::ptr_eq(kept, plan) => Cow::Borrowed(set),
            _ => Cow::Owned(self.fresh_set_names(plan)),
        }
    }

    fn fresh_set_names<'a>(&'a self, plan: &Plan) -> SetNames<'a> {
        plan.set_names(self.map.keys().map(String::as_str))
    }
}

/// Variable names, override paths and source descriptions, never values
/// (they may be secrets or keys).
impl fmt::Debug for ConfigLoader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sources: Vec<String> = self.sources.iter().map(|s| s.describe()).collect();
        let mut vars: Option<Vec<&str>> = self.vars.as_ref().map(|vars| vars.map.keys().map(String::as_str).collect());
        if let Some(names) = &mut vars {
            names.sort_unstable();
        }
        f.debug_struct("ConfigLoader")
            .field("environment", &self.environment)
            .field("config_dir", &self.config_dir)
            .field("dotenv", &self.dotenv)
            .field("vars", &vars)
            .field("overrides", &self.overrides.iter().map(|o| &o.path).collect::<Vec<_>>())
            .field("secrets_dir", &self.secrets_dir)
            .field("limits", &self.limits)
            .field("sources", &sources)
            .field("name_prefix", &self.name_prefix)
            .field("strict", &self.strict)
            .field("interpolate", &self.interpolate)
            .field("encrypted_only", &self.encrypted_only)
            .finish()
    }
}

impl Default for ConfigLoader {
    fn default() -> Self {
        Self::new()
    }
}

/// The variables a load reads: the process environment, or injected ones.
pub(crate) enum Vars<'a> {
    /// The process environment as it was when the load started.
    Process(ProcessVars),
    Injected(&'a VarMap),
}

/// The process environment, read in one pass (`std::env::vars_os`) when a
/// load starts, never kept between loads. Asking `std::env::var_os` name by
/// name scans the whole environment for every name (a plan has two per
/// field name: `NAME` and `NAME_FILE`), so that cost grew with the
/// environment's size times the plan's names; one pass grows with the size
/// alone, and a load sees one consistent environment.
///
/// The names a load looks for are checked as UTF-8 and indexed. The others
/// (most of a container's: `PATH`, `HOSTNAME`, `KUBERNETES_…`) are kept as
/// the platform gave them, unconverted, only for a lookup by name (`${HOME}`
/// in a file, a custom source), which checks the one it finds. Values are
/// wiped on drop, the others' too (they may be another program's secrets);
/// a value the load wants that is not UTF-8 is kept as it is, to be refused.
pub(crate) struct ProcessVars {
    wanted: crate::name_hash::NameMap<ProcessValue>,
    others: Vec<(OsString, Zeroizing<Vec<u8>>)>,
}

type ProcessValue = Result<Zeroizing<String>, OsString>;

impl ProcessVars {
    /// The environment, the names `wanted` says a load looks for indexed
    /// (`wanted` sees a name's bytes: most names are told apart without a
    /// UTF-8 check).
    fn read(wanted: &dyn Fn(&[u8]) -> bool) -> Self {
        let all = std::env::vars_os();
        let mut vars =
            ProcessVars { wanted: crate::name_hash::NameMap::default(), others: Vec::with_capacity(all.size_hint().0) };
        for (name, value) in all {
            if !wanted(name.as_encoded_bytes()) {
                vars.others.push((name, Zeroizing::new(value.into_encoded_bytes())));
            } else if let Ok(name) = name.into_string() {
                vars.wanted.insert(name, value.into_string().map(Zeroizing::new));
            }
        }
        vars
    }

    fn get(&self, name: &str) -> Option<Result<&str, ()>> {
        if let Some(value) = self.wanted.get(name) {
            return Some(process_text(value));
        }
        let (_, value) = self.others.iter().find(|(n, _)| n.as_encoded_bytes() == name.as_bytes())?;
        Some(std::str::from_utf8(value).map_err(|_| ()))
    }
}

/// A process variable's text; `Err` when it is not UTF-8.
fn process_text(value: &ProcessValue) -> Result<&str, ()> {
    value.as_ref().map(|text| text.as_str()).map_err(|_| ())
}

impl Vars<'_> {
    /// The value of `name`; `Err` when it is set but not UTF-8.
    pub(crate) fn get(&self, name: &str) -> Option<Result<&str, ()>> {
        match self {
            Vars::Process(vars) => vars.get(name),
            Vars::Injected(vars) => vars.map.get(name).map(|v| Ok(v.as_str())),
        }
    }

    /// The value of `name`, a name the load looks for (a plan's, the crate's
    /// own): of the process environment, only the indexed names are searched.
    fn get_known(&self, name: &str) -> Option<Result<&str, ()>> {
        match self {
            Vars::Process(vars) => vars.wanted.get(name).map(process_text),
            Vars::Injected(_) => self.get(name),
        }
    }

    /// The value of `name` as the platform has it (a path need not be UTF-8);
    /// a name the load looks for, as [`get_known`](Vars::get_known).
    fn get_os(&self, name: &str) -> Option<OsString> {
        match self {
            Vars::Process(vars) => vars.wanted.get(name).map(|v| match v {
                Ok(text) => text.as_str().into(),
                Err(raw) => raw.clone(),
            }),
            Vars::Injected(vars) => vars.map.get(name).map(|v| v.as_str().into()),
        }
    }

    /// What the set names a load looks for (every injected one; those of
    /// the process that a load wanted, see [`ProcessVars`]) mean to `plan`:
    /// for injected variables, found once per loader.
    fn set_names(&self, plan: &Arc<Plan>) -> Cow<'_, SetNames<'_>> {
        match self {
            Vars::Process(vars) => Cow::Owned(plan.set_names(vars.wanted.keys().map(String::as_str))),
            Vars::Injected(vars) => vars.set_names(plan),
        }
    }
}

/// The key ring of the `enc:v1:` values, from the variables, then `.env`.
/// A key variable that is set but not UTF-8 is an error, not "no key".
/// One issue per broken variable.
fn key_ring(names: &Names, vars: &Vars<'_>, dotenv: Option<&DotenvMap>) -> Result<KeyRing, Vec<Issue>> {
    let not_utf8: Vec<Issue> = names
        .key_vars()
        .iter()
        .flat_map(|&(var, file)| [var, file])
        .filter(|name| matches!(vars.get_known(name), Some(Err(()))))
        .map(|name| {
            Issue::new(IssueKind::Secret, "", format!("variable {name} is not valid UTF-8"))
                .with_origin(Origin::Env { name: name.into(), alias_of: None })
        })
        .collect();
    if !not_utf8.is_empty() {
        return Err(not_utf8);
    }
    KeyRing::from_lookup_all_named(names.key_vars(), |name| match vars.get_known(name) {
        Some(Ok(v)) => Some(v.to_owned()),
        _ => dotenv.and_then(|d| d.get(name)).map(|e| e.value.as_str().to_owned()),
    })
    .map_err(|errors| {
        let issue = |error: secret::KeyError| {
            let origin = error.pair.and_then(|i| key_origin(names.key_vars()[i], vars, dotenv));
            Issue::new(IssueKind::Secret, "", error.message).with_origin_opt(origin)
        };
        errors.into_iter().map(issue).collect()
    })
}

/// Where a key variable (`NAME` or `NAME_FILE`) was set: a variable, else
/// its `.env` entry.
fn key_origin((var, file): (&str, &str), vars: &Vars<'_>, dotenv: Option<&DotenvMap>) -> Option<Origin> {
    let set = [var, file].into_iter().find(|name| vars.get_known(name).is_some());
    if let Some(name) = set {
        return Some(Origin::Env { name: name.into(), alias_of: None });
    }
    let dotenv = dotenv?;
    [var, file].into_iter().find_map(|name| dotenv.get(name).map(|entry| dotenv.origin(entry)))
}

/// The `.env` entries by name (the last entry of a name wins): the
/// parser's entries and its index of them.
pub(crate) struct DotenvMap {
    path: Arc<str>,
    entries: Vec<DotenvEntry>,
    index: crate::name_hash::NameMap<usize, Arc<str>>,
    /// Names that expanded to nothing because they are unset.
    warnings: Vec<Issue>,
}

impl DotenvMap {
    pub(crate) fn get(&self, name: &str) -> Option<&DotenvEntry> {
        self.index.get(name).map(|&i| &self.entries[i])
    }

    /// An entry set again further down does nothing (the last one is used,
    /// as in docker compose): a warning naming it and the line used. One
    /// that an expansion in between used is not ignored: the warning says so.
    fn warn_shadowed(&mut self) {
        if self.entries.len() == self.index.len() {
            return;
        }
        let expanded = self.expanded_lines();
        let shadowed = self.entries.iter().filter_map(|entry| {
            let used = &self.entries[*self.index.get(&*entry.name)?];
            (!std::ptr::eq(used, entry)).then(|| {
                let message = if expanded.contains(&entry.line) {
                    format!(
                        "{} is set again at line {}, which is used from there on; this value is used only by \
                         the expansions above line {}; rename one of them",
                        entry.name, used.line, used.line
                    )
                } else {
                    format!(
                        "ignored: {} is set again at line {}, which is used; remove one of them",
                        entry.name, used.line
                    )
                };
                let origin = Origin::Dotenv { path: self.path.clone(), line: entry.line, name: entry.name.clone() };
                Issue::new(IssueKind::Conflict, "", message).with_origin(origin)
            })
        });
        let shadowed: Vec<Issue> = shadowed.collect();
        self.warnings.extend(shadowed);
    }

    /// The lines of the entries that an entry's expansion took its value
    /// from: one pass over the expansions, linear in the file.
    fn expanded_lines(&self) -> std::collections::HashSet<u32> {
        let taken = self.entries.iter().flat_map(|entry| &entry.via);
        let lines = taken.filter_map(|origin| match origin {
            Origin::Dotenv { line, .. } => Some(*line),
            _ => None,
        });
        lines.collect()
    }

    /// The names of the entries, each once.
    fn names(&self) -> impl Iterator<Item = &str> {
        self.index.keys().map(|name| &**name)
    }

    /// The entry of each name (its last).
    fn values(&self) -> impl Iterator<Item = &DotenvEntry> {
        self.index.values().map(|&i| &self.entries[i])
    }

    /// The entry's line, and where its expansions came from.
    pub(crate) fn origin(&self, entry: &DotenvEntry) -> Origin {
        let origin = Origin::Dotenv { path: self.path.clone(), line: entry.line, name: entry.name.clone() };
        if entry.via.is_empty() {
            origin
        } else {
            Origin::Interpolated { at: Box::new(origin), via: entry.via.clone() }
        }
    }
}

/// What every step of one load adds to: problems, warnings, inputs.
#[derive(Default)]
struct Load {
    issues: Vec<Issue>,
    warnings: Vec<Issue>,
    /// A source returned errors instead of its tree (a file that does not
    /// parse, two files of one layer): values it might hold are unchecked.
    layer_failed: bool,
    /// What the load read or looked for; `None` when no one asks
    /// ([`ConfigLoader::load`] gives the settings alone): then the layers'
    /// file names are not even made.
    inputs: Option<Inputs>,
}

/// How the config folder was chosen, as the missing-folder message says it.
enum DirFrom<'a> {
    Given,
    Default,
    /// The default, the variable being unset.
    Unset(&'a str),
    Var(&'a str),
    Dotenv(Origin),
}

impl fmt::Display for DirFrom<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DirFrom::Given => f.write_str("given to ConfigLoader::config_dir"),
            DirFrom::Default => f.write_str("the default"),
            DirFrom::Unset(var) => write!(f, "the default; {var} is not set"),
            DirFrom::Var(var) => write!(f, "from {var}"),
            DirFrom::Dotenv(origin) => write!(f, "from {origin}"),
        }
    }
}

/// What the first steps decided: the environment, `.env`, the folder.
struct Setup<'a> {
    names: Arc<Names>,
    environment: Environment,
    dotenv: Option<DotenvMap>,
    dir: Cow<'a, Path>,
    /// The folder exists (else no file of it is named in messages).
    dir_exists: bool,
    /// The folder's layer file names, listed once (`None`: it could not be
    /// listed, each name is looked up by itself).
    listing: Option<Vec<OsString>>,
    /// [`ConfigLoader::encrypted_secrets_only`].
    encrypted_only: bool,
}

/// A layer that is read into a tree of its own and merged, lowest first:
/// the data [`ConfigLoader::run`] walks. The layers above them (`.env`, the
/// secrets folder and variables, resolved per leaf through the schema, then
/// the [`ConfigLoader::set`] overrides) are set into the merged tree instead:
/// they refine what these gave (`proxies[1].host`).
enum Layer<'a> {
    /// `config/base.*` or `config/{environment}.*`.
    File(LayerFile<'a>),
    /// A source added with [`ConfigLoader::source`].
    Custom(&'a dyn Source),
}

impl ConfigLoader {
    /// A loader with every default: environment detected, `$<PREFIX>_CONFIG_DIR`
    /// or `./config`, `./.env` when present (not in production), the
    /// process environment.
    pub fn new() -> Self {
        ConfigLoader {
            environment: None,
            config_dir: None,
            dotenv: DotenvSetting::Auto,
            vars: None,
            overrides: Vec::new(),
            secrets_dir: None,
            limits: Limits::default(),
            sources: Vec::new(),
            name_prefix: NamePrefix::Root,
            strict: false,
            interpolate: true,
            encrypted_only: false,
        }
    }

    /// Loads for this environment instead of detecting it. It must be one
    /// the root struct declares.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// The folder of `base.*` and `{environment}.*`.
    pub fn config_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.config_dir = Some(dir.into());
        self
    }

    /// Reads this `.env` file (when it exists) instead of `./.env`, in every
    /// environment, production included.
    pub fn dotenv(mut self, path: impl Into<PathBuf>) -> Self {
        self.dotenv = DotenvSetting::Path(path.into());
        self
    }

    /// Turns the `.env` layer off.
    pub fn no_dotenv(mut self) -> Self {
        self.dotenv = DotenvSetting::Off;
        self
    }

    /// Uses these variables instead of the process environment (tests,
    /// embedding). Calling it again adds to the set. Takes an array of
    /// `(&str, &str)` pairs (`env_vars([])` for none at all), a `Vec`, a
    /// map, a slice or any iterator of pairs (see [`vars`](crate::vars)).
    pub fn env_vars<Kind>(mut self, vars: impl crate::vars::IntoVars<Kind>) -> Self {
        let injected = Arc::make_mut(self.vars.get_or_insert_with(Default::default));
        injected.loaded = AtomicBool::new(false);
        injected.in_plan = OnceLock::new();
        injected.map.extend(vars.into_vars().map(|(k, v)| (k, Zeroizing::new(v))));
        self
    }

    /// Reads secret files from this folder, one file per variable name
    /// (Docker's `/run/secrets`, a Kubernetes secret volume).
    pub fn secrets_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.secrets_dir = Some(dir.into());
        self
    }

    /// Overrides the value at a dotted path (`database.max_pool_size`),
    /// above every other layer. The text converts as a variable's would; the
    /// origin is the caller's file, line and column (`override src/main.rs:9:10`).
    #[track_caller]
    pub fn set(mut self, path: impl Into<String>, value: impl Into<String>) -> Self {
        let caller = std::panic::Location::caller();
        let origin = Origin::Set { file: caller.file().into(), line: caller.line(), column: caller.column() };
        self.overrides.push(Override { path: path.into(), value: Zeroizing::new(value.into()), origin });
        self
    }

    /// Makes a secret written in a YAML or `.env` file without encryption
    /// (plain text, or `base64:`) an error: secrets come encrypted
    /// (`enc:v1:`), or from a variable, a secret file or the secrets folder.
    /// `check --env production` turns it on.
    pub fn encrypted_secrets_only(mut self) -> Self {
        self.encrypted_only = true;
        self
    }

    /// Adds a layer (DESIGN §12): above the environment's file, below
    /// `.env`; sources added later win over earlier ones.
    pub fn source(mut self, source: impl Source + 'static) -> Self {
        self.sources.push(Arc::new(source));
        self
    }

    /// The prefix of the crate's own names (`<P>_ENVIRONMENT`,
    /// `<P>_CONFIG_DIR`, `<P>_CONFIG_KEY`, `<P>_CONFIG_PREVIOUS_KEYS`) when
    /// it is not the root's `#[config(prefix)]`; `None` for none.
    pub fn name_prefix(mut self, prefix: Option<&str>) -> Self {
        self.name_prefix = NamePrefix::Given(prefix.map(str::to_owned));
        self
    }

    /// Strict loading: a set variable that starts with the root prefix and
    /// matches no field is an error instead of a warning (`check` loads
    /// strictly).
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Takes `${…}` in file values as written instead of expanding them
    /// (see the README's interpolation section). `.env` values still
    /// expand, as docker compose expands them.
    pub fn no_interpolation(mut self) -> Self {
        self.interpolate = false;
        self
    }

    /// Bounds on file sizes, YAML depth and size, and interpolation.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    #[cfg_attr(not(feature = "watch"), allow(dead_code))]
    pub(crate) fn max_file_bytes(&self) -> u64 {
        self.limits.max_file_bytes.max(self.limits.max_secret_file_bytes)
    }

    /// The crate's own names for a root struct.
    pub(crate) fn names(&self, info: &StructInfo) -> Names {
        match &self.name_prefix {
            NamePrefix::Given(prefix) => Names::new(prefix.as_deref()),
            NamePrefix::Root => Names::new(info.prefix),
        }
    }

    /// The crate's own names for a load: the plan's, made once per type,
    /// unless [`name_prefix`](ConfigLoader::name_prefix) gives others.
    fn load_names(&self, plan: &Plan) -> Arc<Names> {
        match &self.name_prefix {
            NamePrefix::Given(prefix) => Arc::new(Names::new(prefix.as_deref())),
            NamePrefix::Root => plan.names.clone(),
        }
    }

    /// What each custom source asks a watcher to follow, with its description.
    #[cfg(feature = "watch")]
    pub(crate) fn source_watches(&self) -> Vec<(String, crate::source::Watch)> {
        self.sources.iter().map(|s| (s.describe(), s.watch())).collect()
    }

    /// The secrets folder, if any (a watcher follows it whatever a load reads).
    #[cfg_attr(not(feature = "watch"), allow(dead_code))]
    pub(crate) fn secrets_dir_path(&self) -> Option<&Path> {
        self.secrets_dir.as_deref()
    }

    /// The key ring this loader would decrypt `enc:v1:` values with (its
    /// variables, then `.env`), under the names of `info`'s prefix.
    #[cfg(feature = "cli")]
    pub(crate) fn key_ring(&self, info: &StructInfo) -> Result<KeyRing, String> {
        let vars = self.vars();
        let mut issues = Vec::new();
        let dotenv = self.read_dotenv(&vars, &mut issues);
        key_ring(&self.names(info), &vars, dotenv.as_ref())
            .map_err(|issues| issues.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
    }

    /// Loads, converts and validates `T`, reporting every problem at once.
    pub fn load<T: PhoenixConfig>(&self) -> Result<T, ConfigError> {
        crate::read::whole_version(|| self.run::<T>(false)).map(Loaded::into_config)
    }

    /// Like [`load`](ConfigLoader::load), keeping the origin of every value.
    pub fn load_with_origins<T: PhoenixConfig>(&self) -> Result<Loaded<T>, ConfigError> {
        crate::read::whole_version(|| self.run::<T>(true))
    }

    /// The environment this loader would use for `T`, detected as
    /// [`Environment`] says and checked against `T`'s declared environments.
    pub fn detect_environment_for<T: PhoenixConfig>(&self) -> Result<Environment, ConfigError> {
        let info = T::describe();
        let vars = self.vars();
        let mut load = Load::default();
        let dotenv = self.read_dotenv(&vars, &mut load.issues);
        self.resolve_environment(info.environments, &self.names(info), &vars, dotenv.as_ref(), &mut load)
            .map_err(ConfigError::single)
    }

    /// The environment this loader would use, detected from `ENVIRONMENT`
    /// or `.env` among the three built-in ones (a settings type's own
    /// declarations and prefix: [`detect_environment_for`](ConfigLoader::detect_environment_for)).
    pub fn detect_environment(&self) -> Result<Environment, ConfigError> {
        let vars = self.vars();
        let mut load = Load::default();
        let dotenv = self.read_dotenv(&vars, &mut load.issues);
        let names = Names::new(None);
        self.resolve_environment(environment::DEFAULT_ENVIRONMENTS, &names, &vars, dotenv.as_ref(), &mut load)
            .map_err(ConfigError::single)
    }

    /// The variables, every process one indexed.
    fn vars(&self) -> Vars<'_> {
        self.vars_for(&|_| true)
    }

    /// The variables of a load of `info`: of the process, the names of the
    /// plan, of the root's prefix and the crate's own are indexed.
    fn load_vars(&self, plan: &Plan, names: &Names) -> Vars<'_> {
        // Cheapest first: byte compares and the plan's byte filter; a name
        // is checked as UTF-8 and hashed only when it may be one looked for.
        fn utf8(name: &[u8]) -> Option<&str> {
            std::str::from_utf8(name).ok()
        }
        self.vars_for(&|name| {
            plan.var_prefix.as_deref().is_some_and(|p| name.starts_with(p.as_bytes()))
                || (plan.shapes.may_hold(name) && utf8(name).is_some_and(|name| plan.index.contains_key(name)))
                || (names.may_own(name) && utf8(name).is_some_and(|name| names.is_own(name)))
        })
    }

    fn vars_for(&self, wanted: &dyn Fn(&[u8]) -> bool) -> Vars<'_> {
        match &self.vars {
            Some(map) => Vars::Injected(map),
            None => Vars::Process(ProcessVars::read(wanted)),
        }
    }

    fn dotenv_path(&self) -> Option<&Path> {
        match &self.dotenv {
            DotenvSetting::Off => None,
            DotenvSetting::Auto => Some(Path::new(".env")),
            DotenvSetting::Path(path) => Some(path.as_path()),
        }
    }

    fn read_dotenv(&self, vars: &Vars<'_>, issues: &mut Vec<Issue>) -> Option<DotenvMap> {
        let path = self.dotenv_path()?;
        let shown: Arc<str> = path.to_string_lossy().into();
        let bytes = read_file(path, &shown, self.limits.max_file_bytes, issues)?;
        let parsed = dotenv::read(&bytes, &shown, &self.limits, &|name| vars.get(name).map(|v| v.map(str::to_owned)));
        issues.extend(dotenv::shown_at_values(&bytes, parsed.issues));
        let mut map =
            DotenvMap { path: shown, entries: parsed.entries, index: parsed.index, warnings: parsed.warnings };
        map.warn_shadowed();
        Some(map)
    }

    /// The environment: given, else the first of the environment variables
    /// that is set (a real variable before `.env`), else development.
    fn resolve_environment(
        &self,
        declared: &[EnvironmentDecl],
        names: &Names,
        vars: &Vars<'_>,
        dotenv: Option<&DotenvMap>,
        load: &mut Load,
    ) -> Result<Environment, Issue> {
        if let Some(environment) = self.environment {
            return check_declared(declared, environment, None);
        }
        match detected_text(names, vars, dotenv)? {
            Some((text, origin)) => {
                let environment = environment::resolve(declared, text)
                    .map_err(|e| Issue::new(IssueKind::Environment, "", e.to_string()).with_origin(origin.clone()))?;
                note_dotenv_environment(environment, &origin, names, dotenv, load);
                note_ignored_variables(environment, &origin, (declared, names), vars, load);
                Ok(environment)
            }
            None => check_declared(declared, Environment::Development, None).map_err(|_| {
                let message = format!(
                    "no environment is set and development is not declared: set {} to one of {}",
                    names.environment.join(" or "),
                    environment::list(declared)
                );
                Issue::new(IssueKind::Environment, "", message)
            }),
        }
    }

    /// The first steps: names, environment, `.env`, the config folder.
    fn setup(&self, info: &StructInfo, names: Arc<Names>, vars: &Vars<'_>, load: &mut Load) -> Option<Setup<'_>> {
        let dotenv = self.read_dotenv(vars, &mut load.issues);
        if let Some(inputs) = &mut load.inputs {
            inputs.files.extend(self.dotenv_path().map(Path::to_path_buf));
        }
        let environment = match self.resolve_environment(info.environments, &names, vars, dotenv.as_ref(), load) {
            Ok(environment) => environment,
            Err(issue) => {
                load.issues.push(issue);
                return None;
            }
        };
        let dotenv = self.dotenv_policy(environment, dotenv, load);
        let (dir, dir_origin) = self.config_dir_path(&names, vars, dotenv.as_ref());
        let listing = crate::source::list_layer_files(&dir, &["base", environment.as_str()]).ok();
        let dir_exists = listing.is_some() || dir.is_dir();
        if !dir_exists {
            let message =
                format!("config folder {} does not exist ({dir_origin}): no config file was read", dir.display());
            load.warnings.push(Issue::new(IssueKind::Io, "", message));
        }
        Some(Setup { names, environment, dotenv, dir, dir_exists, listing, encrypted_only: self.encrypted_only })
    }

    /// The `.env` policy: the automatic `./.env` is not read in production.
    fn dotenv_policy(&self, environment: Environment, dotenv: Option<DotenvMap>, load: &mut Load) -> Option<DotenvMap> {
        if environment != Environment::Production || !matches!(self.dotenv, DotenvSetting::Auto) {
            return dotenv;
        }
        if dotenv.is_some() {
            let message = "./.env is not read in production; give ConfigLoader::dotenv(\".env\") to read it on purpose";
            load.warnings.push(Issue::new(IssueKind::Io, "", message));
        }
        None
    }

    /// The config folder and how it was chosen (for the missing-folder message).
    fn config_dir_path<'a, 'n>(
        &'a self,
        names: &'n Names,
        vars: &Vars<'_>,
        dotenv: Option<&DotenvMap>,
    ) -> (Cow<'a, Path>, DirFrom<'n>) {
        if let Some(dir) = &self.config_dir {
            return (Cow::Borrowed(dir), DirFrom::Given);
        }
        let default = Cow::Borrowed(Path::new("config"));
        let Some(var) = names.config_dir.as_deref() else {
            return (default, DirFrom::Default);
        };
        match vars.get_os(var) {
            Some(dir) if !dir.is_empty() => (Cow::Owned(dir.into()), DirFrom::Var(var)),
            _ => match dotenv.and_then(|d| d.get(var).map(|e| (e, d.origin(e)))) {
                Some((entry, origin)) if !entry.value.is_empty() => {
                    (Cow::Owned(entry.value.as_str().into()), DirFrom::Dotenv(origin))
                }
                _ => (default, DirFrom::Unset(var)),
            },
        }
    }

    /// The layers of a load that are read and merged, lowest first.
    fn layers<'a>(&'a self, setup: &'a Setup) -> impl Iterator<Item = Layer<'a>> {
        let file = |stem| LayerFile::listed(&setup.dir, stem, setup.listing.as_deref());
        [file("base"), file(setup.environment.as_str())]
            .into_iter()
            .map(Layer::File)
            .chain(self.sources.iter().map(|source| Layer::Custom(&**source)))
    }

    fn run<T: PhoenixConfig>(&self, record: bool) -> Result<Loaded<T>, ConfigError> {
        // A `required_in` naming an environment the root does not declare
        // fails to compile here, for every root that is loaded.
        let () = T::__CHECK_ENVIRONMENTS;
        let started = Instant::now();
        let info = T::describe();
        let plan = Plan::of::<T>();
        let names = self.load_names(&plan);
        let vars = self.load_vars(&plan, &names);
        let mut load = Load { inputs: record.then(Inputs::default), ..Load::default() };
        let Some(setup) = self.setup(info, names, &vars, &mut load) else {
            scrub(&mut load, secret::Known::default(), None, info, &mut []);
            return Err(ConfigError::from_issues(load.issues).with_warnings(load.warnings));
        };
        let keys = keys(&setup, &vars, &mut load);
        let mut root = Node::map(Origin::Default);
        let mut files = Vec::new();
        for layer in self.layers(&setup) {
            root.merge(self.layer(&layer, &setup, &vars, &mut files, &mut load));
        }
        let set = vars.set_names(&plan);
        self.variables(&setup, (&vars, &set), &plan, &mut root, &mut load);
        self.overrides(&mut root, &mut load.issues);
        self.unused_variables(&setup, &set, &plan, &mut load);
        let interpolated = self.interpolate_values(&mut root, info, &setup, &vars, &mut load);
        let files = if setup.dir_exists { files } else { Vec::new() };
        build::<T>(&root, &setup, keys.as_ref(), &files, record, load, &plan, &interpolated, started)
    }

    /// `${…}` in file values, once every layer is merged; `.env`'s
    /// expansion warnings join the load's.
    fn interpolate_values(
        &self,
        root: &mut Node,
        info: &'static StructInfo,
        setup: &Setup,
        vars: &Vars<'_>,
        load: &mut Load,
    ) -> interpolate::Outcome {
        load.warnings.extend(setup.dotenv.iter().flat_map(|d| d.warnings.iter().cloned()));
        if !self.interpolate {
            return interpolate::Outcome::default();
        }
        let key_vars = setup.names.key_vars();
        let cx = interpolate::Context {
            vars,
            dotenv: setup.dotenv.as_ref(),
            info,
            key_vars: &key_vars,
            limits: &self.limits,
        };
        interpolate::run(root, &cx, &mut load.issues)
    }

    /// Reads a file or a source into a tree of its own.
    fn layer(&self, layer: &Layer, setup: &Setup, vars: &Vars<'_>, files: &mut Vec<Arc<str>>, load: &mut Load) -> Node {
        let cx = SourceContext { environment: setup.environment, vars, limits: &self.limits };
        match layer {
            Layer::File(file) => {
                files.push(file.shown());
                let issues = load.issues.len();
                let tree = from_source(file, &cx, load);
                crate::read::note_unread(|| file.candidates(), load.issues.len() > issues);
                tree
            }
            Layer::Custom(source) => from_source(*source, &cx, load),
        }
    }

    /// The variable layers: `.env`, secrets folder, variables.
    ///
    /// Variables of list items and map entries (`PREFIX_PROXIES_0_HOST`) are
    /// set into the merged tree, after the named ones: they refine the items
    /// the lower layers gave.
    fn variables(
        &self,
        setup: &Setup,
        (vars, set): (&Vars<'_>, &SetNames<'_>),
        plan: &Plan,
        root: &mut Node,
        load: &mut Load,
    ) {
        load.issues.extend(plan.conflicts.iter().cloned());
        let sources = Sources {
            vars,
            set,
            dotenv: setup.dotenv.as_ref(),
            secrets_dir: self.secrets_dir.as_deref(),
            limits: &self.limits,
            secret_files: std::cell::RefCell::default(),
        };
        let dotenv_set = sources.dotenv_set(plan);
        // The first ones set one by one, any more in one pass over the tree
        // (linear in their number).
        let mut found = PathSets::new(root);
        for (i, leaf) in plan.leaves.iter().enumerate() {
            let set = sources.layer_sets(i, &dotenv_set);
            if set == [0; 3] {
                continue;
            }
            if let Some(node) = sources.resolve(leaf, set, &mut load.issues, &mut load.warnings) {
                found.set(leaf.segments(), node);
            }
        }
        found.finish();
        sources.dynamic(plan, root, &mut load.issues);
        if let Some(inputs) = &mut load.inputs {
            inputs.files.append(&mut sources.secret_files.borrow_mut());
            inputs.dirs.extend(self.secrets_dir.clone());
        }
    }

    /// The `.set()` overrides, set into the merged tree (`proxies[1].host`
    /// refines an item the lower layers gave).
    fn overrides(&self, root: &mut Node, issues: &mut Vec<Issue>) {
        for Override { path, value, origin } in &self.overrides {
            set_override(root, path, value, origin, issues);
        }
    }

    /// A set variable (or `.env` entry) that starts with the root prefix and
    /// is no field's name: a warning with a suggestion, an error when strict.
    fn unused_variables(&self, setup: &Setup, set: &SetNames<'_>, plan: &Plan, load: &mut Load) {
        let Some(prefix) = plan.var_prefix.as_deref() else { return };
        // A list item's or a map entry's variable (`PREFIX_PROXIES_0_HOST`,
        // `..._FILE` too) is used; an ambiguous one is an error of its own.
        let unused = |name: &str| {
            name.starts_with(prefix)
                && !(plan.index.contains_key(name) || setup.names.is_own(name) || plan.reads_item(name))
        };
        // Each with its `.env` entry, if it is one (variables first).
        // Only a name that starts with the root prefix may be unused.
        let mut found: Vec<(&str, Option<&DotenvEntry>)> =
            set.prefixed.iter().map(|n| &**n).filter(|n| unused(n)).map(|n| (n, None)).collect();
        if let Some(dotenv) = &setup.dotenv {
            found.extend(dotenv.values().filter(|e| unused(&e.name)).map(|e| (&*e.name, Some(e))));
        }
        found.sort_by(|a, b| a.0.cmp(b.0));
        for (name, entry) in found {
            let origin = match (entry, &setup.dotenv) {
                (Some(entry), Some(dotenv)) => dotenv.origin(entry),
                _ => Origin::Env { name: name.into(), alias_of: None },
            };
            let issue = unused_issue(name, plan).with_origin(origin);
            if self.strict { load.issues.push(issue) } else { load.warnings.push(issue) }
        }
        for issue in self.unused_secret_files(&unused, plan) {
            if self.strict { load.issues.push(issue) } else { load.warnings.push(issue) }
        }
    }

    /// The files of the secrets folder named with the root prefix that no
    /// field reads (`APP_DB_PASWORD`), like unused variables. A folder that
    /// cannot be listed is reported where its files are read.
    fn unused_secret_files(&self, unused: &dyn Fn(&str) -> bool, plan: &Plan) -> Vec<Issue> {
        let Some(dir) = self.secrets_dir.as_deref() else { return Vec::new() };
        let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
        let mut names: Vec<String> =
            entries.filter_map(|entry| entry.ok()?.file_name().into_string().ok()).filter(|n| unused(n)).collect();
        names.sort();
        let origin = |name: &str| Origin::SecretFile {
            path: dir.join(name).display().to_string().into(),
            via: "secrets dir".into(),
        };
        names.iter().map(|name| unused_issue(name, plan).with_origin(origin(name))).collect()
    }
}

/// The key ring; `None` (already reported) when its variables are broken.
fn keys(setup: &Setup, vars: &Vars<'_>, load: &mut Load) -> Option<KeyRing> {
    match key_ring(&setup.names, vars, setup.dotenv.as_ref()) {
        Ok(keys) => Some(keys),
        Err(issues) => {
            load.issues.extend(issues);
            None
        }
    }
}

/// Sets one `.set(path, value)` override: keys joined by `.`, list items
/// as `[n]` (`proxies[1].host`).
fn set_override(root: &mut Node, path: &str, value: &str, origin: &Origin, issues: &mut Vec<Issue>) {
    let Some(steps) = plan::override_steps(path) else {
        issues.push(
            Issue::new(IssueKind::UnknownKey, path, "an override path must be keys joined by `.`, list items as `[n]`")
                .with_origin(origin.clone()),
        );
        return;
    };
    if let Err(error) = plan::set_steps(root, &steps, Node::text(value, origin.clone())) {
        issues.push(Issue::new(IssueKind::Invalid, path, error.message()).with_origin(origin.clone()));
    }
}

/// The environment named by a variable, or `.env`: its text and origin.
fn detected_text<'a>(
    names: &Names,
    vars: &'a Vars<'_>,
    dotenv: Option<&'a DotenvMap>,
) -> Result<Option<(&'a str, Origin)>, Issue> {
    for name in &names.environment {
        let origin = || Origin::Env { name: name.as_str().into(), alias_of: None };
        match vars.get_known(name) {
            Some(Ok(value)) => return Ok(Some((value, origin()))),
            Some(Err(())) => {
                let message = format!("variable {name} is not valid UTF-8");
                return Err(Issue::new(IssueKind::Environment, "", message).with_origin(origin()));
            }
            None => {}
        }
    }
    let dotenv =
        dotenv.into_iter().flat_map(|d| names.environment.iter().filter_map(move |n| d.get(n).map(|e| (d, e))));
    Ok(dotenv.into_iter().next().map(|(d, e)| (e.value.as_str(), d.origin(e))))
}

/// `.env` never switches the environment silently: say when it chose it,
/// and when a real variable overrode a different `.env` entry.
fn note_dotenv_environment(
    environment: Environment,
    origin: &Origin,
    names: &Names,
    dotenv: Option<&DotenvMap>,
    load: &mut Load,
) {
    if matches!(origin, Origin::Dotenv { .. }) {
        let message = format!("the environment `{environment}` is set by {origin}, not by a variable");
        load.warnings.push(Issue::new(IssueKind::Environment, "", message).with_origin(origin.clone()));
        return;
    }
    let Some(dotenv) = dotenv else { return };
    for entry in names.environment.iter().filter_map(|n| dotenv.get(n)) {
        if entry.value.parse::<Environment>().ok() != Some(environment) {
            let message = format!("ignored: the environment is `{environment}` from {origin}");
            load.warnings.push(Issue::new(IssueKind::Environment, "", message).with_origin(dotenv.origin(entry)));
        }
    }
}

/// A later environment variable that names another environment
/// (`APP_ENVIRONMENT=production` beside `ENVIRONMENT=dev`) is ignored: say so.
fn note_ignored_variables(
    environment: Environment,
    origin: &Origin,
    (declared, names): (&[EnvironmentDecl], &Names),
    vars: &Vars<'_>,
    load: &mut Load,
) {
    let chosen = |name: &str| matches!(origin, Origin::Env { name: n, .. } if **n == *name);
    for name in names.environment.iter().filter(|n| !chosen(n)) {
        let Some(value) = vars.get_known(name) else { continue };
        if value.ok().and_then(|v| environment::resolve(declared, v).ok()) != Some(environment) {
            let message = format!("ignored: the environment is `{environment}` from {origin}");
            let ignored = Origin::Env { name: name.as_str().into(), alias_of: None };
            load.warnings.push(Issue::new(IssueKind::Environment, "", message).with_origin(ignored));
        }
    }
}

/// An explicitly given environment must be declared.
fn check_declared(
    declared: &[EnvironmentDecl],
    environment: Environment,
    origin: Option<Origin>,
) -> Result<Environment, Issue> {
    if environment::is_declared(declared, environment) {
        return Ok(environment);
    }
    let message = format!("unknown environment `{environment}`, expected one of {}", environment::list(declared));
    Err(Issue::new(IssueKind::Environment, "", message).with_origin_opt(origin))
}

/// Reads a source's tree; its problems become the load's.
fn from_source(source: &dyn Source, cx: &SourceContext<'_>, load: &mut Load) -> Node {
    if let Some(inputs) = &mut load.inputs {
        inputs.files.extend(source.watch().files);
    }
    match source.load(cx) {
        Ok(tree) => tree,
        Err(issues) => {
            load.issues.extend(issues);
            load.layer_failed = true;
            Node::map(Origin::Default)
        }
    }
}

/// `APP_SERVER_PROT matches no field; did you mean APP_SERVER_PORT?`
fn unused_issue(name: &str, plan: &Plan) -> Issue {
    let collapsed = collapse_underscores(name);
    let item = plan.item_suggestion(name);
    let suggestion = if plan.index.contains_key(collapsed.as_str()) {
        Some(collapsed.as_str())
    } else {
        item.as_deref()
            .or_else(|| suggest::closest(name, plan.index.keys().map(|k| &**k).filter(|k| !k.ends_with("_FILE"))))
    };
    let message = match suggestion {
        Some(best) => format!("variable {name} is set but matches no field; did you mean {best}?"),
        None => format!("variable {name} is set but matches no field (see the `env` command for every name)"),
    };
    Issue::new(IssueKind::UnknownKey, "", message)
}

/// `APP_DATABASE__URL` → `APP_DATABASE_URL` (the `__` of config-rs and figment).
fn collapse_underscores(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    out
}

/// The last step: the tree becomes `T`, every problem reported at once.
#[allow(clippy::too_many_arguments)]
fn build<T: PhoenixConfig>(
    root: &Node,
    setup: &Setup,
    keys: Option<&KeyRing>,
    files: &[Arc<str>],
    record: bool,
    mut load: Load,
    plan: &Plan,
    interpolated: &interpolate::Outcome,
    started: Instant,
) -> Result<Loaded<T>, ConfigError> {
    let no_keys = KeyRing::default();
    let mut cx = Cx::new(setup.environment, files, T::describe().prefix, keys.unwrap_or(&no_keys), record);
    cx.keys_failed = keys.is_none();
    cx.encrypted_only = setup.encrypted_only;
    // A file that does not parse may hold any value: none is reported missing.
    cx.layer_failed = load.layer_failed || load.issues.iter().any(|i| i.kind() == IssueKind::Syntax);
    // A variable that could not be read is reported once, not also missing.
    cx.reported = load.issues.iter().map(|i| i.path().to_owned()).filter(|p| !p.is_empty()).collect();
    let value = T::__build(&mut cx, Some(root));
    cx.finish_load();
    interpolated.drop_follow_ups(&mut cx.issues);
    load.issues.append(&mut cx.issues);
    let mut records = cx.record.take().unwrap_or_default();
    scrub(&mut load, std::mem::take(&mut cx.known), keys, T::describe(), &mut records);
    match value {
        Some(config) if load.issues.is_empty() => {
            tracing::debug!(
                target: "phoenix_config",
                environment = setup.environment.as_str(),
                files = ?files,
                values = plan.leaves.len(),
                micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
                "configuration loaded"
            );
            Ok(Loaded::new(config, setup.environment, records, load.warnings, load.inputs.unwrap_or_default()))
        }
        _ => Err(failure(load, setup)),
    }
}

/// Every text of the load, scrubbed of every secret value it read (and of
/// the key material), and naming no key of a secret map; then the warnings
/// logged. The records of `load_with_origins` too: a plain value that holds
/// a secret (copied by hand) shows `[REDACTED]` in the table and `show`.
fn scrub(
    load: &mut Load,
    mut known: secret::Known,
    keys: Option<&KeyRing>,
    info: &'static StructInfo,
    records: &mut [crate::__private::LeafRecord],
) {
    if let Some(keys) = keys {
        keys.remember(&mut known);
    }
    for record in records.iter_mut().filter(|record| !record.secret) {
        if let Cow::Owned(text) = known.scrub(&record.value) {
            // The text held the secret: wiped, not only freed.
            zeroize::Zeroize::zeroize(&mut std::mem::replace(&mut record.value, text));
            record.node = None;
        }
    }
    let issues = std::mem::take(&mut load.issues).into_iter().map(|i| i.hide_secret_keys(|path| info.secret_at(path)));
    load.issues = known.scrub_issues(issues.collect());
    load.warnings = known.scrub_issues(std::mem::take(&mut load.warnings));
    for warning in &load.warnings {
        tracing::warn!(target: "phoenix_config", "{warning}");
    }
}

/// The error of a failed load; a missing config folder is said once, first,
/// when values are missing.
fn failure(mut load: Load, setup: &Setup) -> ConfigError {
    if load.issues.is_empty() {
        load.issues.push(Issue::new(IssueKind::Invalid, "", "the configuration could not be built"));
    }
    if !setup.dir_exists && load.issues.iter().any(|i| i.kind() == IssueKind::Missing) {
        let folder =
            load.warnings.iter().find(|w| w.kind() == IssueKind::Io && w.message().starts_with("config folder"));
        if let Some(folder) = folder.cloned() {
            load.issues.insert(0, folder);
        }
    }
    ConfigError::from_issues(load.issues).with_warnings(load.warnings)
}

/// Reads a whole file, bounded and without blocking (`crate::read`), into
/// the thread's lent buffer (wiped when dropped); `None` when it does not
/// exist (skipped) or cannot be read (an issue is recorded).
pub(crate) fn read_file(path: &Path, shown: &Arc<str>, max: u64, issues: &mut Vec<Issue>) -> Option<crate::read::Lent> {
    use crate::read::ReadError;

    let message = match crate::read::read_input_lent(path, max) {
        Ok(bytes) => return Some(bytes),
        Err(ReadError::NotFound) => return None,
        Err(ReadError::NotRegular(_)) => "is not a regular file".to_owned(),
        Err(ReadError::TooLarge(Some(len))) => {
            format!("the file is {len} bytes, over the limit of {max} (raise `Limits::max_file_bytes`)")
        }
        Err(ReadError::TooLarge(None)) => {
            format!("the file grew past the limit of {max} bytes while it was read (raise `Limits::max_file_bytes`)")
        }
        Err(ReadError::Loop) => "cannot read the file: its symbolic links form a loop".to_owned(),
        Err(ReadError::Io(e)) => format!("cannot read the file: {e}"),
    };
    issues.push(Issue::new(IssueKind::Io, "", message).with_origin(Origin::File {
        path: shown.clone(),
        line: 1,
        column: 1,
    }));
    None
}

/// The files and folders a load read (or looked for): what a watcher watches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Inputs {
    /// Files, whether or not they existed.
    pub(crate) files: Vec<PathBuf>,
    /// Folders whose every file counts (the secrets folder).
    pub(crate) dirs: Vec<PathBuf>,
}

/// The variable layers of one load.
struct Sources<'a> {
    vars: &'a Vars<'a>,
    /// What the set variable names mean to the plan.
    set: &'a SetNames<'a>,
    dotenv: Option<&'a DotenvMap>,
    secrets_dir: Option<&'a Path>,
    limits: &'a Limits,
    /// `NAME_FILE` targets read.
    secret_files: std::cell::RefCell<Vec<PathBuf>>,
}

/// The variable layers, highest first.
#[derive(Clone, Copy)]
enum VarLayer {
    Vars,
    SecretsDir,
    Dotenv,
}

/// A value found for one of a leaf's names.
struct Found {
    name_index: usize,
    node: Node,
}

impl Sources<'_> {
    /// Per leaf, its names that `.env` sets ([`plan::name_bit`]); empty
    /// without `.env`.
    fn dotenv_set(&self, plan: &Plan) -> Vec<u64> {
        let Some(dotenv) = self.dotenv else { return Vec::new() };
        let mut set = vec![0; plan.leaves.len()];
        plan.mark_set(dotenv.names(), &mut set);
        set
    }

    /// The names of leaf `i` that each variable layer ([`VarLayer`], in
    /// order) may set: only those are looked up. A secrets folder may hold
    /// a file for any name.
    fn layer_sets(&self, i: usize, dotenv_set: &[u64]) -> [u64; 3] {
        let secrets_dir = if self.secrets_dir.is_some() { u64::MAX } else { 0 };
        [self.set.leaves[i], secrets_dir, dotenv_set.get(i).copied().unwrap_or(0)]
    }

    /// The value of a leaf from the highest variable layer that has one;
    /// `set`: the names each layer may set ([`layer_sets`](Sources::layer_sets)).
    fn resolve(
        &self,
        leaf: &PlannedLeaf,
        set: [u64; 3],
        issues: &mut Vec<Issue>,
        warnings: &mut Vec<Issue>,
    ) -> Option<Node> {
        let layers = [VarLayer::Vars, VarLayer::SecretsDir, VarLayer::Dotenv];
        for (layer, set) in layers.into_iter().zip(set).filter(|&(_, set)| set != 0) {
            let mut found: Option<Found> = None;
            for (i, var) in leaf.vars.iter().enumerate() {
                let is_set = (set & plan::name_bit(i, false) != 0, set & plan::name_bit(i, true) != 0);
                if is_set == (false, false) {
                    continue;
                }
                let node = match layer {
                    VarLayer::Vars => self.in_vars(leaf, i, var, is_set, issues),
                    VarLayer::SecretsDir => self.in_secrets_dir(leaf, &var.name, issues),
                    VarLayer::Dotenv => self.in_dotenv(leaf, var, is_set, issues),
                };
                let Some(node) = node else { continue };
                match &found {
                    None => found = Some(Found { name_index: i, node }),
                    Some(first) if first.node.kind != node.kind => {
                        let winner = &leaf.vars[first.name_index].name;
                        let name = &var.name;
                        let message =
                            format!("{winner} and {name} are both set, with different values; using {winner}");
                        warnings
                            .push(Issue::new(IssueKind::Conflict, leaf.path.clone(), message).with_origin(node.origin));
                    }
                    Some(_) => {}
                }
            }
            if let Some(found) = found {
                return Some(found.node);
            }
        }
        None
    }

    /// A leaf's `index`th name and its `NAME_FILE` in the variables, each
    /// looked up when `is_set` says it may be set.
    fn in_vars(
        &self,
        leaf: &PlannedLeaf,
        index: usize,
        var: &PlannedVar,
        is_set: (bool, bool),
        issues: &mut Vec<Issue>,
    ) -> Option<Node> {
        let (name, file_var) = (&*var.name, &*var.file);
        let value = if is_set.0 { self.vars.get_known(name) } else { None };
        let file = if is_set.1 { self.vars.get_known(file_var) } else { None };
        if value.is_none() && file.is_none() {
            return None;
        }
        let alias_of = (index > 0).then(|| leaf.vars[0].name.clone());
        let origin = Origin::Env { name: var.name.clone(), alias_of };
        match (value, file) {
            (None, None) => None,
            (Some(_), Some(_)) => {
                issues.push(
                    Issue::new(
                        IssueKind::Conflict,
                        leaf.path.clone(),
                        format!("both {name} and {file_var} are set; unset one of them"),
                    )
                    .with_origin(origin),
                );
                None
            }
            (Some(Ok(value)), None) => Some(Node::text(value, origin)),
            (Some(Err(())), None) => {
                issues.push(
                    Issue::new(IssueKind::Invalid, leaf.path.clone(), format!("variable {name} is not valid UTF-8"))
                        .with_origin(origin),
                );
                None
            }
            (None, Some(Ok(path))) => self.secret_file(&leaf.path, Path::new(&path), file_var, issues),
            (None, Some(Err(()))) => {
                let origin = Origin::Env { name: var.file.clone(), alias_of: None };
                issues.push(
                    Issue::new(
                        IssueKind::Invalid,
                        leaf.path.clone(),
                        format!("variable {file_var} is not valid UTF-8"),
                    )
                    .with_origin(origin),
                );
                None
            }
        }
    }

    fn in_dotenv(
        &self,
        leaf: &PlannedLeaf,
        var: &PlannedVar,
        is_set: (bool, bool),
        issues: &mut Vec<Issue>,
    ) -> Option<Node> {
        let dotenv = self.dotenv?;
        let (name, file_var) = (&*var.name, &*var.file);
        let value = if is_set.0 { dotenv.get(name) } else { None };
        let file = if is_set.1 { dotenv.get(file_var) } else { None };
        match (value, file) {
            (None, None) => None,
            (Some(entry), Some(_)) => {
                issues.push(
                    Issue::new(
                        IssueKind::Conflict,
                        leaf.path.clone(),
                        format!("both {name} and {file_var} are set; unset one of them"),
                    )
                    .with_origin(dotenv.origin(entry)),
                );
                None
            }
            (Some(entry), None) => Some(Node::text(entry.value.clone(), dotenv.origin(entry))),
            (None, Some(entry)) => self.secret_file(&leaf.path, Path::new(entry.value.as_str()), file_var, issues),
        }
    }

    fn in_secrets_dir(&self, leaf: &PlannedLeaf, name: &str, issues: &mut Vec<Issue>) -> Option<Node> {
        let path = self.secrets_dir?.join(name);
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            _ => self.secret_file(&leaf.path, &path, "secrets dir", issues),
        }
    }

    fn secret_file(&self, key: &str, path: &Path, via: &str, issues: &mut Vec<Issue>) -> Option<Node> {
        let origin = Origin::SecretFile { path: path.display().to_string().into(), via: via.into() };
        if via != "secrets dir" {
            self.secret_files.borrow_mut().push(path.to_path_buf());
        }
        match secret::read_secret_file(path, self.limits) {
            Ok(text) => Some(Node::text(text, origin)),
            Err(message) => {
                issues.push(Issue::new(IssueKind::Secret, key, message).with_origin(origin));
                None
            }
        }
    }
}

/// A value a variable layer holds inside a list or a map of sections.
struct DynamicValue {
    /// 0 for `.env`, 1 for the secrets folder, 2 for variables: the higher
    /// is applied last.
    layer: u8,
    steps: Vec<Step>,
    node: Node,
}

/// One name of a variable layer that may set a value inside a list or a map
/// of sections: a variable or `.env` entry with its text, or a file of the
/// secrets folder.
struct ItemVar {
    name: String,
    input: ItemInput,
    origin: Origin,
}

enum ItemInput {
    /// The text (`Err` when a variable is not UTF-8), wiped when dropped.
    Text(Result<Text, ()>),
    /// A file of the secrets folder, named like the variable.
    File(PathBuf),
}

/// What a name sets inside a list or a map of sections.
enum Target {
    /// Nothing (no reading, or an ambiguous one, already reported).
    None,
    /// The value at these steps.
    Value(Vec<Step>),
    /// `NAME_FILE`: the value at these steps is in the file the text names.
    FileOf(Vec<Step>),
}

impl Sources<'_> {
    /// Values of variables, secret files and `.env` entries that name a path
    /// inside a list or a map of sections (`PHOENIX_PROXIES_0_HOST`, or
    /// `PHOENIX_PROXIES_0_HOST_FILE` naming a file), or a whole list or map
    /// (`PHOENIX_PROXIES`), set into the tree: `.env` first, then the
    /// secrets folder, then variables; in each, whole values before the
    /// items they hold.
    fn dynamic(&self, plan: &Plan, root: &mut Node, issues: &mut Vec<Issue>) {
        if plan.dynamic.is_none() {
            return;
        }
        let mut found = Vec::new();
        if let Some(dotenv) = self.dotenv {
            let entries = dotenv.values().filter(|e| plan.may_set_item(&e.name)).map(|e| ItemVar {
                name: e.name.to_string(),
                input: ItemInput::Text(Ok(e.value.clone())),
                origin: dotenv.origin(e),
            });
            self.item_layer(plan, 0, entries.collect(), &mut found, issues);
        }
        let files = self.secrets_dir_items(plan, issues);
        self.item_layer(plan, 1, files, &mut found, issues);
        let vars = self.prefixed_vars(plan).into_iter().map(|(name, value)| ItemVar {
            origin: Origin::Env { name: name.as_str().into(), alias_of: None },
            name,
            input: ItemInput::Text(value.map(Text::from)),
        });
        self.item_layer(plan, 2, vars.collect(), &mut found, issues);
        found.sort_by(|a, b| (a.layer, &a.steps).cmp(&(b.layer, &b.steps)));
        for value in found {
            let origin = value.node.origin.clone();
            if let Err(error) = plan::set_steps(root, &value.steps, value.node) {
                let path = plan::display(&value.steps);
                issues.push(Issue::new(error.kind(), path, error.message()).with_origin(origin));
            }
        }
    }

    /// The values one variable layer sets inside items. `NAME` and
    /// `NAME_FILE` both set is an error, as for a plain field.
    fn item_layer(
        &self,
        plan: &Plan,
        layer: u8,
        mut vars: Vec<ItemVar>,
        found: &mut Vec<DynamicValue>,
        issues: &mut Vec<Issue>,
    ) {
        vars.sort_by(|a, b| a.name.cmp(&b.name));
        let set: std::collections::HashSet<&str> = vars.iter().map(|v| v.name.as_str()).collect();
        for var in &vars {
            let node = match target(plan, &var.name, &var.origin, issues) {
                Target::None => None,
                Target::Value(steps) if set.contains(format!("{}_FILE", var.name).as_str()) => {
                    let message = format!("both {0} and {0}_FILE are set; unset one of them", var.name);
                    issues.push(
                        Issue::new(IssueKind::Conflict, plan::display(&steps), message).with_origin(var.origin.clone()),
                    );
                    None
                }
                Target::Value(steps) => self.item_value(var, &steps, issues).map(|node| (steps, node)),
                // Both set: reported with the plain name.
                Target::FileOf(_) if set.contains(&var.name[..var.name.len() - "_FILE".len()]) => None,
                Target::FileOf(steps) => self.item_file(var, &steps, issues).map(|node| (steps, node)),
            };
            if let Some((steps, node)) = node {
                found.push(DynamicValue { layer, steps, node });
            }
        }
    }

    /// The value of an item variable: its text, or the secret file of the
    /// secrets folder that holds it.
    fn item_value(&self, var: &ItemVar, steps: &[Step], issues: &mut Vec<Issue>) -> Option<Node> {
        match &var.input {
            ItemInput::Text(Ok(text)) => Some(Node::text(text.clone(), var.origin.clone())),
            ItemInput::Text(Err(())) => {
                not_utf8(&var.name, steps, &var.origin, issues);
                None
            }
            ItemInput::File(path) => self.secret_file(&plan::display(steps), path, "secrets dir", issues),
        }
    }

    /// The value of an item's `NAME_FILE` variable: the file it names.
    fn item_file(&self, var: &ItemVar, steps: &[Step], issues: &mut Vec<Issue>) -> Option<Node> {
        match &var.input {
            ItemInput::Text(Ok(path)) => {
                self.secret_file(&plan::display(steps), Path::new(path.as_str()), &var.name, issues)
            }
            ItemInput::Text(Err(())) => {
                not_utf8(&var.name, steps, &var.origin, issues);
                None
            }
            // A file of the secrets folder is the value, never a path.
            ItemInput::File(_) => None,
        }
    }

    /// The files of the secrets folder named like a variable of the root's
    /// prefix that no fixed leaf answers to (`APP_PROXIES_0_PASSWORD`).
    fn secrets_dir_items(&self, plan: &Plan, issues: &mut Vec<Issue>) -> Vec<ItemVar> {
        let (Some(dir), Some(_)) = (self.secrets_dir, plan.dynamic) else { return Vec::new() };
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
            Err(e) => {
                let origin = Origin::SecretFile { path: dir.display().to_string().into(), via: "secrets dir".into() };
                issues.push(
                    Issue::new(IssueKind::Io, "", format!("cannot list the secrets folder: {e}")).with_origin(origin),
                );
                return Vec::new();
            }
        };
        entries
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| plan.may_set_item(name))
            .map(|name| ItemVar {
                input: ItemInput::File(dir.join(&name)),
                origin: Origin::SecretFile {
                    path: dir.join(&name).display().to_string().into(),
                    via: "secrets dir".into(),
                },
                name,
            })
            .collect()
    }

    /// The set variables that start with the root's prefix and are no
    /// fixed leaf's name, with their values.
    fn prefixed_vars(&self, plan: &Plan) -> Vec<(String, Result<String, ()>)> {
        // Only a name that starts with the root prefix may set an item.
        let names = self.set.prefixed.iter().filter(|name| plan.may_set_item(name));
        names.filter_map(|name| Some((name.to_string(), self.vars.get_known(name)?.map(str::to_owned)))).collect()
    }
}

fn not_utf8(name: &str, steps: &[Step], origin: &Origin, issues: &mut Vec<Issue>) {
    issues.push(
        Issue::new(IssueKind::Invalid, plan::display(steps), format!("variable {name} is not valid UTF-8"))
            .with_origin(origin.clone()),
    );
}

/// What `name` sets inside a list or a map of sections: its own reading,
/// else, for `NAME_FILE`, the reading of `NAME` (whose value the file holds).
fn target(plan: &Plan, name: &str, origin: &Origin, issues: &mut Vec<Issue>) -> Target {
    if let Some(leaves) = plan.index.get(name) {
        fixed_and_item(plan, name, leaves, origin, issues);
        return Target::None;
    }
    let readings = plan.readings(name);
    if !readings.is_empty() {
        return one_reading(name, readings, origin, issues).map_or(Target::None, Target::Value);
    }
    match name.strip_suffix("_FILE") {
        Some(stem) if !plan.index.contains_key(stem) => {
            one_reading(name, plan.readings(stem), origin, issues).map_or(Target::None, Target::FileOf)
        }
        _ => Target::None,
    }
}

/// A fixed leaf's name (or its `NAME_FILE`) that also reads as an item
/// (`C_REGIONS_EU_BUCKET`: `regions_eu_bucket` and `regions.eu.bucket`):
/// an error naming both, never a silent pick.
fn fixed_and_item(plan: &Plan, name: &str, leaves: &[plan::NameSlot], origin: &Origin, issues: &mut Vec<Issue>) {
    let mut readings = plan.readings(name);
    if readings.is_empty()
        && let Some(stem) = name.strip_suffix("_FILE")
    {
        readings = plan.readings(stem);
    }
    let (Some(reading), Some(leaf)) = (readings.first(), leaves.first().and_then(|slot| plan.leaves.get(slot.leaf)))
    else {
        return;
    };
    let message = format!(
        "{name} could set `{}` or `{}`; rename the field or the map key, set the value in a file, or give the field its own #[env] name",
        leaf.path,
        plan::display(reading)
    );
    issues.push(Issue::new(IssueKind::Conflict, leaf.path.clone(), message).with_origin(origin.clone()));
}

/// The one path of `readings`; several are an error naming every one.
fn one_reading(
    name: &str,
    mut readings: Vec<Vec<Step>>,
    origin: &Origin,
    issues: &mut Vec<Issue>,
) -> Option<Vec<Step>> {
    if readings.len() > 1 {
        let shown: Vec<String> = readings.iter().map(|r| format!("`{}`", plan::display(r))).collect();
        let message = format!(
            "{name} could set {}; rename a field or a map key so that only one reading remains",
            shown.join(" or ")
        );
        issues.push(Issue::new(IssueKind::Conflict, plan::display(&readings[0]), message).with_origin(origin.clone()));
        return None;
    }
    readings.pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The process environment (read, never changed): every variable is
    /// found by name, whether the load indexed it or kept it unconverted.
    #[test]
    fn process_vars_find_every_variable_wanted_or_not() {
        let vars = ProcessVars::read(&|name| name.first().is_some_and(|b| b.is_ascii_uppercase() && b % 2 == 0));
        let mut seen = (0, 0);
        for (name, value) in std::env::vars_os() {
            let Some(name) = name.to_str() else { continue };
            let wanted = vars.wanted.contains_key(name);
            if wanted {
                seen.0 += 1;
            } else {
                seen.1 += 1;
            }
            assert_eq!(vars.get(name), Some(value.to_str().ok_or(())), "{name}");
        }
        assert!(seen.0 + seen.1 > 0, "the test process has an environment");
        assert_eq!(vars.get("PHOENIX_CONFIG_NO_SUCH_VARIABLE_IN_ANY_TEST"), None);
    }
}
