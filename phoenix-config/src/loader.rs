//! [`ConfigLoader`]: the layers, in order, merged into one tree and built.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use zeroize::Zeroizing;

use crate::__private::Cx;
use crate::dotenv::{self, DotenvEntry};
use crate::limits::Limits;
use crate::node::Node;
use crate::plan::{Plan, PlannedLeaf, PlannedVar};
use crate::secret::{self, KeyRing};
use crate::{ConfigError, Environment, Issue, IssueKind, Loaded, Origin, PhoenixConfig, yaml};

/// Where `.env` comes from.
#[derive(Clone, Debug)]
enum DotenvSetting {
    /// `./.env` when present.
    Auto,
    /// This file, when present.
    Path(PathBuf),
    /// No `.env` layer.
    Off,
}

/// Loads a settings struct from its layers (DESIGN §4).
///
/// Precedence, lowest to highest: defaults → `config/base.yaml` →
/// `config/{environment}.yaml` → `.env` → secrets folder → environment
/// variables → [`set`](ConfigLoader::set) overrides. Maps merge key by key;
/// a list or scalar in a higher layer replaces the lower one whole.
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
    overrides: Vec<(String, Zeroizing<String>)>,
    secrets_dir: Option<PathBuf>,
    limits: Limits,
    encrypted_only: bool,
}

/// Injected variables, their values wiped on drop.
pub(crate) type VarMap = HashMap<String, Zeroizing<String>>;

/// Variable names and override paths, never their values (they may be
/// secrets or keys).
impl std::fmt::Debug for ConfigLoader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut vars: Option<Vec<&str>> = self.vars.as_ref().map(|map| map.keys().map(String::as_str).collect());
        if let Some(names) = &mut vars {
            names.sort_unstable();
        }
        let overrides: Vec<&str> = self.overrides.iter().map(|(path, _)| path.as_str()).collect();
        f.debug_struct("ConfigLoader")
            .field("environment", &self.environment)
            .field("config_dir", &self.config_dir)
            .field("dotenv", &self.dotenv)
            .field("vars", &vars)
            .field("overrides", &overrides)
            .field("secrets_dir", &self.secrets_dir)
            .field("limits", &self.limits)
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
    Process,
    Injected(&'a VarMap),
}

impl Vars<'_> {
    /// The value of `name`; `Err` when it is set but not UTF-8.
    pub(crate) fn get(&self, name: &str) -> Option<Result<String, ()>> {
        match self {
            Vars::Process => std::env::var_os(name).map(|v| v.into_string().map_err(|_| ())),
            Vars::Injected(map) => map.get(name).map(|v| Ok(v.as_str().to_owned())),
        }
    }

    /// The value of `name` as the platform has it (a path need not be UTF-8).
    fn get_os(&self, name: &str) -> Option<std::ffi::OsString> {
        match self {
            Vars::Process => std::env::var_os(name),
            Vars::Injected(map) => map.get(name).map(|v| v.as_str().into()),
        }
    }
}

/// The key ring of the `enc:v1:` values, from the variables, then `.env`.
/// A key variable that is set but not UTF-8 is an error, not "no key".
fn key_ring(vars: &Vars<'_>, dotenv: Option<&DotenvMap>) -> Result<KeyRing, Issue> {
    for name in secret::KEY_VARS.iter().flat_map(|&(var, file)| [var, file]) {
        if let Some(Err(())) = vars.get(name) {
            return Err(Issue::new(IssueKind::Secret, "", format!("variable {name} is not valid UTF-8"))
                .with_origin(Origin::Env { name: name.into(), alias_of: None }));
        }
    }
    KeyRing::from_lookup(|name| match vars.get(name) {
        Some(Ok(v)) => Some(v),
        _ => dotenv.and_then(|d| d.get(name)).map(|e| e.value.clone()),
    })
    .map_err(|message| Issue::new(IssueKind::Secret, "", message))
}

/// The `.env` entries by name (the last entry of a name wins).
pub(crate) struct DotenvMap {
    path: Arc<str>,
    entries: HashMap<String, DotenvEntry>,
}

impl DotenvMap {
    fn get(&self, name: &str) -> Option<&DotenvEntry> {
        self.entries.get(name)
    }

    fn origin(&self, entry: &DotenvEntry) -> Origin {
        Origin::Dotenv { path: self.path.clone(), line: entry.line, name: entry.name.as_str().into() }
    }
}

impl ConfigLoader {
    /// A loader with every default: environment detected, `$PHOENIX_CONFIG_DIR`
    /// or `./config`, `./.env` when present, the process environment.
    pub fn new() -> Self {
        ConfigLoader {
            environment: None,
            config_dir: None,
            dotenv: DotenvSetting::Auto,
            vars: None,
            overrides: Vec::new(),
            secrets_dir: None,
            limits: Limits::default(),
            encrypted_only: false,
        }
    }

    /// Loads for this environment instead of detecting it.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// The folder of `base.yaml` and `{environment}.yaml`.
    pub fn config_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.config_dir = Some(dir.into());
        self
    }

    /// Reads this `.env` file (when it exists) instead of `./.env`.
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
    /// embedding). Calling it again adds to the set.
    pub fn env_vars<K, V>(mut self, vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let map = Arc::make_mut(self.vars.get_or_insert_with(Default::default));
        map.extend(vars.into_iter().map(|(k, v)| (k.into(), Zeroizing::new(v.into()))));
        self
    }

    /// Reads secret files from this folder, one file per variable name
    /// (Docker's `/run/secrets`, a Kubernetes secret volume).
    pub fn secrets_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.secrets_dir = Some(dir.into());
        self
    }

    /// Overrides the value at a dotted path (`database.max_pool_size`),
    /// above every other layer. The text converts as a variable's would.
    pub fn set(mut self, path: impl Into<String>, value: impl Into<String>) -> Self {
        self.overrides.push((path.into(), Zeroizing::new(value.into())));
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

    /// Bounds on file sizes and YAML depth and size.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    #[cfg_attr(not(feature = "watch"), allow(dead_code))]
    pub(crate) fn max_file_bytes(&self) -> u64 {
        self.limits.max_file_bytes.max(self.limits.max_secret_file_bytes)
    }

    /// The key ring this loader would decrypt `enc:v1:` values with (its
    /// variables, then `.env`).
    #[cfg(feature = "cli")]
    pub(crate) fn key_ring(&self) -> Result<KeyRing, String> {
        let vars = self.vars();
        let mut issues = Vec::new();
        let dotenv = self.read_dotenv(&mut issues);
        key_ring(&vars, dotenv.as_ref()).map_err(|issue| issue.to_string())
    }

    /// Loads, converts and validates `T`, reporting every problem at once.
    pub fn load<T: PhoenixConfig>(&self) -> Result<T, ConfigError> {
        self.run::<T>(false).map(Loaded::into_config)
    }

    /// Like [`load`](ConfigLoader::load), keeping the origin of every value.
    pub fn load_with_origins<T: PhoenixConfig>(&self) -> Result<Loaded<T>, ConfigError> {
        self.run::<T>(true)
    }

    /// The environment this loader would use, detected as [`Environment`] says.
    pub fn detect_environment(&self) -> Result<Environment, ConfigError> {
        let vars = self.vars();
        let mut issues = Vec::new();
        let dotenv = self.read_dotenv(&mut issues);
        self.resolve_environment(&vars, dotenv.as_ref()).map_err(ConfigError::single)
    }

    fn vars(&self) -> Vars<'_> {
        match &self.vars {
            Some(map) => Vars::Injected(map),
            None => Vars::Process,
        }
    }

    fn read_dotenv(&self, issues: &mut Vec<Issue>) -> Option<DotenvMap> {
        let path = match &self.dotenv {
            DotenvSetting::Off => return None,
            DotenvSetting::Auto => Path::new(".env"),
            DotenvSetting::Path(path) => path.as_path(),
        };
        let shown: Arc<str> = path.display().to_string().into();
        let bytes = read_file(path, &shown, self.limits.max_file_bytes, issues)?;
        let (entries, problems) = dotenv::parse(&bytes, &shown, &self.limits);
        issues.extend(problems);
        let entries = entries.into_iter().map(|e| (e.name.clone(), e)).collect();
        Some(DotenvMap { path: shown, entries })
    }

    fn resolve_environment(&self, vars: &Vars<'_>, dotenv: Option<&DotenvMap>) -> Result<Environment, Issue> {
        if let Some(environment) = self.environment {
            return Ok(environment);
        }
        for name in ["ENVIRONMENT", "PHOENIX_ENVIRONMENT"] {
            let (value, origin) = match vars.get(name) {
                Some(Ok(value)) => (value, Origin::Env { name: name.into(), alias_of: None }),
                Some(Err(())) => {
                    return Err(Issue::new(IssueKind::Environment, "", format!("variable {name} is not valid UTF-8"))
                        .with_origin(Origin::Env { name: name.into(), alias_of: None }));
                }
                None => match dotenv.and_then(|d| d.get(name).map(|e| (e.value.clone(), d.origin(e)))) {
                    Some(found) => found,
                    None => continue,
                },
            };
            return value.parse().map_err(|e: crate::environment::UnknownEnvironment| {
                Issue::new(IssueKind::Environment, "", e.to_string()).with_origin(origin)
            });
        }
        Ok(Environment::Development)
    }

    fn config_dir_path(&self, vars: &Vars<'_>, dotenv: Option<&DotenvMap>) -> PathBuf {
        if let Some(dir) = &self.config_dir {
            return dir.clone();
        }
        match vars.get_os("PHOENIX_CONFIG_DIR") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => match dotenv.and_then(|d| d.get("PHOENIX_CONFIG_DIR")) {
                Some(entry) if !entry.value.is_empty() => PathBuf::from(&entry.value),
                _ => PathBuf::from("config"),
            },
        }
    }

    /// Reads and merges `base.yaml` and `{environment}.yaml`; returns the
    /// tree and the files as shown in messages.
    fn yaml_layers(
        &self,
        dir: &Path,
        environment: Environment,
        inputs: &mut Inputs,
        issues: &mut Vec<Issue>,
    ) -> (Node, Vec<Arc<str>>) {
        let mut files: Vec<Arc<str>> = Vec::with_capacity(2);
        let mut root = Node::map(Origin::Default);
        for stem in ["base", environment.as_str()] {
            let path = dir.join(format!("{stem}.yaml"));
            let shown: Arc<str> = path.display().to_string().into();
            files.push(shown.clone());
            inputs.files.push(path.clone());
            let Some(bytes) = read_file(&path, &shown, self.limits.max_file_bytes, issues) else { continue };
            match yaml::parse(&bytes, &shown, &self.limits) {
                Ok(Some(tree)) => {
                    if tree.entries().is_none() {
                        issues.push(
                            Issue::new(
                                IssueKind::Syntax,
                                "",
                                format!("expected a map of settings at the top of the file, found {}", tree.describe()),
                            )
                            .with_origin(tree.origin.clone()),
                        );
                    } else {
                        root.merge(tree);
                    }
                }
                Ok(None) => {}
                Err(problems) => issues.extend(problems),
            }
        }
        (root, files)
    }

    fn run<T: PhoenixConfig>(&self, record: bool) -> Result<Loaded<T>, ConfigError> {
        let started = Instant::now();
        let vars = self.vars();
        let mut issues = Vec::new();
        let mut warnings = Vec::new();
        let dotenv = self.read_dotenv(&mut issues);
        let mut inputs = Inputs::default();
        match &self.dotenv {
            DotenvSetting::Off => {}
            DotenvSetting::Auto => inputs.files.push(PathBuf::from(".env")),
            DotenvSetting::Path(path) => inputs.files.push(path.clone()),
        }
        let environment = match self.resolve_environment(&vars, dotenv.as_ref()) {
            Ok(environment) => environment,
            Err(issue) => {
                issues.push(issue);
                return Err(ConfigError::from_issues(issues));
            }
        };

        // The YAML layers.
        let dir = self.config_dir_path(&vars, dotenv.as_ref());
        let (mut root, files) = self.yaml_layers(&dir, environment, &mut inputs, &mut issues);

        // The variable layers: `.env`, secrets folder, variables.
        let plan = Plan::of::<T>();
        issues.extend(plan.conflicts.iter().cloned());
        let (keys, keys_failed) = match key_ring(&vars, dotenv.as_ref()) {
            Ok(keys) => (keys, false),
            Err(issue) => {
                issues.push(issue);
                (KeyRing::default(), true)
            }
        };
        let sources = Sources {
            vars: &vars,
            dotenv: dotenv.as_ref(),
            secrets_dir: self.secrets_dir.as_deref(),
            limits: &self.limits,
            secret_files: std::cell::RefCell::default(),
        };
        let touched = sources.touched(&plan);
        for (i, leaf) in plan.leaves.iter().enumerate() {
            if touched.as_ref().is_some_and(|touched| !touched[i]) {
                continue;
            }
            if let Some(node) = sources.resolve(leaf, &mut issues, &mut warnings) {
                root.set_path(leaf.segments(), node);
            }
        }

        inputs.files.append(&mut sources.secret_files.borrow_mut());
        inputs.dirs.extend(self.secrets_dir.clone());

        // Overrides.
        for (path, value) in &self.overrides {
            let segments: Vec<&str> = path.split('.').collect();
            if segments.iter().any(|s| s.is_empty()) {
                issues.push(
                    Issue::new(IssueKind::UnknownKey, path.clone(), "an override path must be keys joined by `.`")
                        .with_origin(Origin::Override),
                );
                continue;
            }
            root.set_path(&segments, Node::text(value.as_str(), Origin::Override));
        }

        let mut cx = Cx::new(environment, &files, T::describe().prefix, &keys, record);
        cx.keys_failed = keys_failed;
        cx.encrypted_only = self.encrypted_only;
        let value = T::__build(&mut cx, Some(&root));
        issues.append(&mut cx.issues);
        // Every text of the load, scrubbed of every secret value it read.
        let mut known = std::mem::take(&mut cx.known);
        keys.remember(&mut known);
        let mut issues = known.scrub_issues(issues);
        let warnings = known.scrub_issues(warnings);
        for warning in &warnings {
            tracing::warn!(target: "phoenix_config", "{warning}");
        }
        let records = cx.record.take().unwrap_or_default();
        match value {
            Some(config) if issues.is_empty() => {
                tracing::debug!(
                    target: "phoenix_config",
                    environment = environment.as_str(),
                    files = ?files,
                    values = plan.leaves.len(),
                    micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
                    "configuration loaded"
                );
                Ok(Loaded::new(config, environment, records, warnings, inputs))
            }
            _ => {
                if issues.is_empty() {
                    issues.push(Issue::new(IssueKind::Invalid, "", "the configuration could not be built"));
                }
                Err(ConfigError::from_issues(issues))
            }
        }
    }
}

/// Reads a whole file, bounded; `None` when it does not exist (skipped) or
/// cannot be read (an issue is recorded).
///
/// One open and one `fstat` on the handle (asking the path first cost a
/// second path lookup per file, a measurable part of a small load).
fn read_file(path: &Path, shown: &Arc<str>, max: u64, issues: &mut Vec<Issue>) -> Option<Vec<u8>> {
    use std::io::Read as _;

    let io = |message: String| {
        Issue::new(IssueKind::Io, "", message).with_origin(Origin::File { path: shown.clone(), line: 1, column: 1 })
    };
    let over = |len: u64| format!("the file is {len} bytes, over the limit of {max} (raise `Limits::max_file_bytes`)");
    let file = match open_for_reading(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            issues.push(io(format!("cannot read the file: {e}")));
            return None;
        }
    };
    let meta = match file.metadata() {
        Ok(meta) => meta,
        Err(e) => {
            issues.push(io(format!("cannot read the file: {e}")));
            return None;
        }
    };
    if !meta.is_file() {
        issues.push(io("is not a regular file".to_owned()));
        return None;
    }
    if meta.len() > max {
        issues.push(io(over(meta.len())));
        return None;
    }
    // The size is a hint: the file may change between the `fstat` and the
    // read, so the read itself stops past the limit. One `read` of one byte
    // more than the size usually gets it all: when it returns exactly the
    // size, the file is at its end, which saves the second `read` that
    // `read_to_end` makes to find the end. Any other count (the file grew,
    // shrank, or the read was short) reads on to the end, still bounded.
    let expected = usize::try_from(meta.len()).unwrap_or(0);
    let mut bytes = vec![0; expected.saturating_add(1)];
    let mut file = file.take(max.saturating_add(1));
    let first = loop {
        match file.read(&mut bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => break other,
        }
    };
    let result = first.and_then(|n| {
        bytes.truncate(n);
        if n != expected {
            file.read_to_end(&mut bytes)?;
        }
        Ok(())
    });
    match result.map(|()| bytes.len()) {
        Ok(len) if len as u64 > max => {
            issues.push(io(over(len as u64)));
            None
        }
        Ok(_) => Some(bytes),
        Err(e) => {
            issues.push(io(format!("cannot read the file: {e}")));
            None
        }
    }
}

/// Opens a file to read; on Unix without blocking (a FIFO in place of a
/// config file is reported as not a regular file instead of hanging the load)
/// and without becoming a controlling terminal.
#[cfg(unix)]
fn open_for_reading(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY).open(path)
}

#[cfg(not(unix))]
fn open_for_reading(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
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
    dotenv: Option<&'a DotenvMap>,
    secrets_dir: Option<&'a Path>,
    limits: &'a Limits,
    /// `NAME_FILE` targets read.
    secret_files: std::cell::RefCell<Vec<PathBuf>>,
}

/// The variable layers, highest first.
#[derive(Clone, Copy)]
enum Layer {
    Vars,
    SecretsDir,
    Dotenv,
}

/// A value found for one of a leaf's names.
struct Found {
    name_index: usize,
    node: Node,
}

/// Above this many names (`NAME` and `NAME_FILE` of every leaf), one scan
/// of the process environment beats looking each name up (every lookup
/// scans the environment again).
const SCAN_PROCESS_ENV_ABOVE: usize = 256;

impl Sources<'_> {
    /// Which leaves a variable layer may hold a value for (a set variable or
    /// `.env` entry is one of their names); `None` when every leaf must be
    /// looked up: with a secrets folder, or a process environment that is
    /// cheaper to ask name by name than to scan.
    fn touched(&self, plan: &Plan) -> Option<Vec<bool>> {
        if self.secrets_dir.is_some() {
            return None;
        }
        let mut touched = vec![false; plan.leaves.len()];
        let mut mark = |name: &str| {
            for &leaf in plan.index.get(name).into_iter().flatten() {
                touched[leaf] = true;
            }
        };
        match self.vars {
            Vars::Injected(map) => map.keys().for_each(|name| mark(name)),
            Vars::Process if plan.index.len() > SCAN_PROCESS_ENV_ABOVE => {
                // A name that is not UTF-8 is no leaf's name.
                std::env::vars_os().filter_map(|(name, _)| name.into_string().ok()).for_each(|name| mark(&name));
            }
            Vars::Process => return None,
        }
        if let Some(dotenv) = self.dotenv {
            dotenv.entries.keys().for_each(|name| mark(name));
        }
        Some(touched)
    }

    /// The value of a leaf from the highest variable layer that has one.
    fn resolve(&self, leaf: &PlannedLeaf, issues: &mut Vec<Issue>, warnings: &mut Vec<Issue>) -> Option<Node> {
        for layer in [Layer::Vars, Layer::SecretsDir, Layer::Dotenv] {
            let mut found: Option<Found> = None;
            for (i, var) in leaf.vars.iter().enumerate() {
                let node = match layer {
                    Layer::Vars => self.in_vars(leaf, i, var, issues),
                    Layer::SecretsDir => self.in_secrets_dir(leaf, &var.name, issues),
                    Layer::Dotenv => self.in_dotenv(leaf, var, issues),
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

    fn in_vars(&self, leaf: &PlannedLeaf, index: usize, var: &PlannedVar, issues: &mut Vec<Issue>) -> Option<Node> {
        let (name, file_var) = (&*var.name, &*var.file);
        let value = self.vars.get(name);
        let file = self.vars.get(file_var);
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
            (None, Some(Ok(path))) => self.secret_file(leaf, Path::new(&path), file_var, issues),
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

    fn in_dotenv(&self, leaf: &PlannedLeaf, var: &PlannedVar, issues: &mut Vec<Issue>) -> Option<Node> {
        let dotenv = self.dotenv?;
        let (name, file_var) = (&*var.name, &*var.file);
        match (dotenv.get(name), dotenv.get(file_var)) {
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
            (None, Some(entry)) => self.secret_file(leaf, Path::new(&entry.value), file_var, issues),
        }
    }

    fn in_secrets_dir(&self, leaf: &PlannedLeaf, name: &str, issues: &mut Vec<Issue>) -> Option<Node> {
        let path = self.secrets_dir?.join(name);
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            _ => self.secret_file(leaf, &path, "secrets dir", issues),
        }
    }

    fn secret_file(&self, leaf: &PlannedLeaf, path: &Path, via: &str, issues: &mut Vec<Issue>) -> Option<Node> {
        let origin = Origin::SecretFile { path: path.display().to_string().into(), via: via.into() };
        if via != "secrets dir" {
            self.secret_files.borrow_mut().push(path.to_path_buf());
        }
        match secret::read_secret_file(path, self.limits) {
            Ok(text) => Some(Node::text(text, origin)),
            Err(message) => {
                issues.push(Issue::new(IssueKind::Secret, leaf.path.clone(), message).with_origin(origin));
                None
            }
        }
    }
}
