//! Shared helpers of the integration tests: a scratch folder with config
//! files and a loader that reads only it and injected variables.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};

use phoenix_config::{ConfigLoader, Environment};

/// A scratch folder holding `config/*.yaml`, `.env` and secret files.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        Scratch { dir: tempfile::tempdir().expect("a scratch folder") }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file below the scratch folder (folders created).
    /// Writes a file whole: into a file beside the scratch folder's
    /// contents, then renamed over the target, so a watcher never reads it
    /// half written (`fs::write` truncates first: an empty `base.yaml` is a
    /// valid config when every key has a default).
    pub fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        let staged = self.dir.path().join(".scratch-write");
        std::fs::write(&staged, text).expect("a file");
        std::fs::rename(&staged, &path).expect("renamed into place");
        path
    }

    /// The loader of this folder: `config/`, `.env`, testing environment and
    /// no process variables (only `vars`).
    pub fn loader(&self, vars: &[(&str, &str)]) -> ConfigLoader {
        ConfigLoader::new()
            .config_dir(self.dir.path().join("config"))
            .dotenv(self.dir.path().join(".env"))
            .environment(Environment::Testing)
            .env_vars(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())))
    }

    /// How the loader shows a file of this folder in origins.
    pub fn shown(&self, relative: &str) -> String {
        self.dir.path().join(relative).display().to_string()
    }
}

/// Runs `f` with `subscriber` as this thread's tracing subscriber, seeing
/// every event `f` emits. tracing caches each callsite's interest for the
/// whole process, and with one dispatcher registered it asks the
/// registering thread's own: a sibling test thread without a subscriber
/// reaching a callsite first would cache "never", and the capture would miss
/// that event (seen under a loaded parallel run). A second registered
/// dispatcher makes every callsite ask each of them; the subscriber must
/// answer `Interest::sometimes()` in `register_callsite`, so the emitting
/// thread's own is asked at every event.
pub fn with_subscriber<S, R>(subscriber: &S, f: impl FnOnce() -> R) -> R
where
    S: tracing::Subscriber + Clone + Send + Sync + 'static,
{
    let _anchor = tracing::Dispatch::new(subscriber.clone());
    tracing::subscriber::with_default(subscriber.clone(), || {
        tracing::callsite::rebuild_interest_cache();
        f()
    })
}
