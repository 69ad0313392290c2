//! The contest shared by `benches/load.rs`, `benches/alloc.rs` and
//! `tests/contenders.rs`: the same files and variables, loaded by
//! phoenix-config, figment, config-rs and confique into the Phoenix settings,
//! and every result converted into one comparable [`plain::Scaled`].
//!
//! What every contender loads, per call (one "program start"):
//! - `base.yaml` then `development.yaml` (the repository's `config/` at 1x;
//!   generated copies at 10x and 100x, see [`scaled_yaml`]);
//! - a `.env` file ([`DOTENV`]), below the variables;
//! - the variables of [`VARS`] (plus unrelated [`NOISE`] where a map is
//!   injected), mapped to settings by the names phoenix-config gives them.
//!
//! How each one gets its variables and `.env`:
//! - phoenix-config: `ConfigLoader::env_vars` (injected map) and its own
//!   `.env` layer; [`phoenix_process_env`] also measures it reading the
//!   process environment like figment and confique do.
//! - config-rs: `Environment::source(Some(map))`, a map injected per load:
//!   `.env` read with `dotenvy::from_path_iter`, the variables over it (a
//!   real variable beats `.env`), names translated to dotted keys with the
//!   [`EnvTable`] (config-rs maps names by prefix and separator only).
//! - figment and confique read only the process environment: the variables
//!   are exported once at start ([`export_process_env`]), and each load first
//!   runs `dotenvy::from_path(".env")` (it never overrides a set variable),
//!   the way their users read `.env`. figment maps names with the
//!   [`EnvTable`] in `Env::filter_map`; confique with `#[config(env = …)]`.

#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use phoenix_config::{ConfigLoader, Environment, PhoenixConfig};
use serde::de::DeserializeOwned;

/// `From<&$src> for $dst` with one body for several sources of the same shape.
macro_rules! into_plain {
    ($($src:ty),+ => $dst:ty, |$s:ident| $body:expr) => {
        $(impl From<&$src> for $dst {
            fn from($s: &$src) -> Self {
                $body
            }
        })+
    };
}

#[path = "../../examples/phoenix/settings.rs"]
pub(crate) mod settings;

pub(crate) mod confique_types;
pub(crate) mod phoenix;
pub(crate) mod plain;
pub(crate) mod scaled;
pub(crate) mod shapes;

/// The process-like variables of every load: explicit names, an alias-free
/// set that every contender can map, and two automatic `PHOENIX_` names.
pub(crate) const VARS: &[(&str, &str)] = &[
    ("MONGODB_URI", "mongodb://db.internal:27017/phoenix"),
    ("MONGODB_DATABASE", "phoenix_bench"),
    ("WEBSHARE_PROXY_HOST", "p.webshare.io"),
    ("WEBSHARE_PROXY_PORT", "8080"),
    ("WEBSHARE_USERNAME", "collector"),
    ("WEBSHARE_PASSWORD", "correct-horse-battery"),
    ("MARICOPA_API_KEY", "mk-live-3f9a"),
    ("LOG_LEVEL", "warn"),
    ("LLM_MODEL", "llama3.1:8b"),
    ("PHOENIX_PROCESSING_BATCH_SIZE", "250"),
    ("PHOENIX_PROXY_ENABLED", "true"),
];

/// Variables of a real process that no setting reads: part of the injected
/// maps, so that the injecting contenders skip some names too (figment and
/// confique see the real process environment instead).
pub(crate) const NOISE: &[(&str, &str)] = &[
    ("PATH", "/usr/local/bin:/usr/bin:/bin"),
    ("HOME", "/home/collector"),
    ("LANG", "C.UTF-8"),
    ("HOSTNAME", "collector-7f9c"),
    ("TERM", "xterm-256color"),
    ("USER", "collector"),
];

/// The `.env` of every load; `LOG_LEVEL` is also a variable, which wins.
pub(crate) const DOTENV: &str = "\
# Local settings of the collector.
LLM_URL=http://ollama.internal:11434
CAPTCHA_API_KEY=cap-7d1e
WEBSHARE_API_KEY=ws-51c0
PHOENIX_PROCESSING_MAX_CONCURRENCY=8
# A real variable (LOG_LEVEL=warn) beats this entry.
LOG_LEVEL=error
";

/// The files of the contest, in a scratch folder.
pub(crate) struct Fixture {
    dir: tempfile::TempDir,
    repo_config: PathBuf,
    dotenv: PathBuf,
}

impl Fixture {
    /// Writes `.env` and the 10x and 100x documents.
    pub(crate) fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("a scratch folder");
        let repo_config = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
        let dotenv = dir.path().join(".env");
        std::fs::write(&dotenv, DOTENV).expect("write .env");
        for factor in [10, 100] {
            let folder = dir.path().join(format!("x{factor}"));
            std::fs::create_dir_all(&folder).expect("a folder");
            for file in ["base.yaml", "development.yaml"] {
                let original = std::fs::read_to_string(repo_config.join(file)).expect("the repository's config files");
                std::fs::write(folder.join(file), scaled_yaml(&original, factor)).expect("write a scaled file");
            }
        }
        Fixture { dir, repo_config, dotenv }
    }

    /// The folder of `base.yaml` and `development.yaml` at this scale.
    pub(crate) fn config_dir(&self, factor: usize) -> PathBuf {
        if factor == 1 { self.repo_config.clone() } else { self.dir.path().join(format!("x{factor}")) }
    }

    /// The scratch folder (for more generated files).
    pub(crate) fn scratch(&self) -> &Path {
        self.dir.path()
    }

    /// The `.env` file.
    pub(crate) fn dotenv(&self) -> &Path {
        &self.dotenv
    }
}

/// The document at `factor` times the keys: the original, then `factor - 1`
/// copies of it indented below `m01:`, `m02:`, … (every copy has the same
/// 61 keys and list items as the Phoenix base.yaml, so cost per key stays
/// comparable across scales and contenders).
pub(crate) fn scaled_yaml(original: &str, factor: usize) -> String {
    let mut out = String::with_capacity((original.len() + 200) * factor);
    out.push_str(original);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    for i in 1..factor {
        let _ = writeln!(out, "m{i:02}:");
        for line in original.lines() {
            if !line.trim().is_empty() {
                out.push_str("  ");
                out.push_str(line);
            }
            out.push('\n');
        }
    }
    out
}

/// A result any contender can be compared by.
pub(crate) trait ToPlain {
    fn to_plain(&self) -> plain::Scaled;
}

/// One scale of the contest: the type each contender loads.
pub(crate) trait Scale {
    /// How many copies of the Phoenix settings the document holds.
    const FACTOR: usize;
    /// phoenix-config's settings type.
    type Phoenix: PhoenixConfig + ToPlain;
    /// figment's and config-rs's serde type.
    type Serde: DeserializeOwned + ToPlain + 'static;
    /// confique's type.
    type Confique: confique::Config + ToPlain + 'static;
    /// The variable names of every leaf, for the contenders that map names.
    fn env_table() -> &'static EnvTable;
}

/// 1x: the Phoenix settings as they are.
pub(crate) struct X1;
/// 10x: the settings and 9 mirrors.
pub(crate) struct X10;
/// 100x: the settings and 99 mirrors.
pub(crate) struct X100;

macro_rules! scale {
    ($scale:ty, $factor:literal, $phoenix:ty, $serde:ty, $confique:ty) => {
        impl Scale for $scale {
            const FACTOR: usize = $factor;
            type Phoenix = $phoenix;
            type Serde = $serde;
            type Confique = $confique;
            fn env_table() -> &'static EnvTable {
                static TABLE: OnceLock<EnvTable> = OnceLock::new();
                TABLE.get_or_init(EnvTable::of::<$phoenix>)
            }
        }
    };
}

scale!(X1, 1, settings::Settings, plain::Settings, confique_types::Settings);
scale!(X10, 10, scaled::x10::Phoenix, scaled::x10::Serde, scaled::x10::Confique);
scale!(X100, 100, scaled::x100::Phoenix, scaled::x100::Serde, scaled::x100::Confique);

impl ToPlain for settings::Settings {
    fn to_plain(&self) -> plain::Scaled {
        plain::Scaled { main: self.into(), mirrors: Vec::new() }
    }
}

impl ToPlain for plain::Settings {
    fn to_plain(&self) -> plain::Scaled {
        plain::Scaled { main: self.clone(), mirrors: Vec::new() }
    }
}

impl ToPlain for confique_types::Settings {
    fn to_plain(&self) -> plain::Scaled {
        plain::Scaled { main: self.into(), mirrors: Vec::new() }
    }
}

/// Variable name → dotted key, for every name phoenix-config gives a leaf
/// (`#[env]` name, aliases, automatic `PHOENIX_<PATH>`). A figment or
/// config-rs user writes this table by hand; here it is taken from
/// phoenix-config's schema once, outside any measurement, so that every
/// contender answers to the same names.
pub(crate) struct EnvTable {
    names: HashMap<String, String>,
}

impl EnvTable {
    fn of<T: PhoenixConfig>() -> EnvTable {
        let mut names = HashMap::new();
        for leaf in T::describe().leaves() {
            for var in leaf.vars {
                names.insert(var, leaf.path.clone());
            }
        }
        EnvTable { names }
    }

    /// The dotted key of a variable name.
    pub(crate) fn key(&self, name: &str) -> Option<&str> {
        self.names.get(name).map(String::as_str)
    }

    /// Every variable name.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }
}

/// Makes the process environment hold exactly what the injected loads see:
/// every variable a setting answers to is removed (with its `_FILE` form),
/// then [`VARS`] are set and `.env` is loaded by dotenvy (which never
/// overrides a set variable). figment and confique read nothing else.
///
/// # Safety
///
/// `std::env::set_var` and `remove_var` race with any other thread reading
/// or writing the environment: call this before any other thread runs (at
/// the start of a bench binary's `main`, or from the only test of a test
/// binary). No library code does this; it stands for the shell that
/// started the program.
pub(crate) unsafe fn export_process_env(fixture: &Fixture) {
    for name in X1::env_table().names() {
        // SAFETY: the caller guarantees no other thread runs.
        unsafe {
            std::env::remove_var(name);
            std::env::remove_var(format!("{name}_FILE"));
        }
    }
    for (name, value) in VARS {
        // SAFETY: as above.
        unsafe { std::env::set_var(name, value) };
    }
    dotenvy::from_path(fixture.dotenv()).expect("load .env into the process environment");
}

/// The injected variables (what phoenix-config and config-rs get).
fn injected() -> impl Iterator<Item = (&'static str, &'static str)> {
    VARS.iter().chain(NOISE).copied()
}

/// phoenix-config, variables injected with `ConfigLoader::env_vars`.
pub(crate) fn phoenix<S: Scale>(fixture: &Fixture) -> S::Phoenix {
    ConfigLoader::new()
        .environment(Environment::Development)
        .config_dir(fixture.config_dir(S::FACTOR))
        .dotenv(fixture.dotenv())
        .env_vars(injected())
        .load::<S::Phoenix>()
        .unwrap_or_else(|e| panic!("phoenix-config: {e}"))
}

/// phoenix-config, variables injected with `ConfigLoader::env_vars`, and
/// `extra` ones (a large environment).
pub(crate) fn phoenix_with_vars<S: Scale>(fixture: &Fixture, extra: &[(String, String)]) -> S::Phoenix {
    phoenix_loader::<S>(fixture, extra).load::<S::Phoenix>().unwrap_or_else(|e| panic!("phoenix-config: {e}"))
}

/// The loader of [`phoenix_with_vars`].
pub(crate) fn phoenix_loader<S: Scale>(fixture: &Fixture, extra: &[(String, String)]) -> ConfigLoader {
    ConfigLoader::new()
        .environment(Environment::Development)
        .config_dir(fixture.config_dir(S::FACTOR))
        .dotenv(fixture.dotenv())
        .env_vars(injected().map(|(k, v)| (k.to_owned(), v.to_owned())).chain(extra.iter().cloned()))
}

/// phoenix-config reading the process environment (like figment and confique).
pub(crate) fn phoenix_process_env<S: Scale>(fixture: &Fixture) -> S::Phoenix {
    ConfigLoader::new()
        .environment(Environment::Development)
        .config_dir(fixture.config_dir(S::FACTOR))
        .dotenv(fixture.dotenv())
        .load::<S::Phoenix>()
        .unwrap_or_else(|e| panic!("phoenix-config: {e}"))
}

/// phoenix-config keeping every value's origin (`load_with_origins`).
pub(crate) fn phoenix_with_origins<S: Scale>(fixture: &Fixture) -> phoenix_config::Loaded<S::Phoenix> {
    ConfigLoader::new()
        .environment(Environment::Development)
        .config_dir(fixture.config_dir(S::FACTOR))
        .dotenv(fixture.dotenv())
        .env_vars(injected())
        .load_with_origins::<S::Phoenix>()
        .unwrap_or_else(|e| panic!("phoenix-config: {e}"))
}

/// figment: YAML providers, then `Env` mapped by the [`EnvTable`]; `.env`
/// through dotenvy into the process environment.
pub(crate) fn figment<S: Scale>(fixture: &Fixture) -> S::Serde {
    use figment::providers::{Env, Format, Yaml};

    dotenvy::from_path(fixture.dotenv()).expect("figment: .env");
    let dir = fixture.config_dir(S::FACTOR);
    let table = S::env_table();
    figment::Figment::new()
        .merge(Yaml::file(dir.join("base.yaml")))
        .merge(Yaml::file(dir.join("development.yaml")))
        .merge(Env::raw().filter_map(|name| table.key(name.as_str()).map(|key| key.to_owned().into())))
        .extract::<S::Serde>()
        .unwrap_or_else(|e| panic!("figment: {e}"))
}

/// config-rs: YAML files, then one `Environment` source of an injected map
/// (`.env` entries, variables over them, names mapped by the [`EnvTable`]).
pub(crate) fn config_rs<S: Scale>(fixture: &Fixture) -> S::Serde {
    use config::{Config, Environment as Env, File, FileFormat};

    let table = S::env_table();
    let mut vars: HashMap<String, String> = dotenvy::from_path_iter(fixture.dotenv())
        .expect("config-rs: .env")
        .map(|e| e.expect("config-rs: .env"))
        .collect();
    vars.extend(injected().map(|(k, v)| (k.to_owned(), v.to_owned())));
    let keyed: config::Map<String, String> =
        vars.into_iter().filter_map(|(name, value)| table.key(&name).map(|key| (key.to_owned(), value))).collect();
    let dir = fixture.config_dir(S::FACTOR);
    Config::builder()
        .add_source(File::from(dir.join("base.yaml")).format(FileFormat::Yaml).required(false))
        .add_source(File::from(dir.join("development.yaml")).format(FileFormat::Yaml).required(false))
        .add_source(Env::default().source(Some(keyed)))
        .build()
        .and_then(Config::try_deserialize::<S::Serde>)
        .unwrap_or_else(|e| panic!("config-rs: {e}"))
}

/// confique: `.env()` (the process environment) above `development.yaml`
/// above `base.yaml` (confique's first source wins); `.env` through dotenvy.
pub(crate) fn confique<S: Scale>(fixture: &Fixture) -> S::Confique {
    dotenvy::from_path(fixture.dotenv()).expect("confique: .env");
    let dir = fixture.config_dir(S::FACTOR);
    <S::Confique as confique::Config>::builder()
        .env()
        .file(dir.join("development.yaml"))
        .file(dir.join("base.yaml"))
        .load()
        .unwrap_or_else(|e| panic!("confique: {e}"))
}
