//! Live reload: a [`Watcher`] that reloads when any input changes and
//! swaps in the new configuration only when it is completely valid.
//!
//! - [`fingerprint`]: how an input looks (stat first, content hashed only
//!   while recent) and [`ChangeSource`](fingerprint::ChangeSource), the seam
//!   for inputs other than files;
//! - [`debounce`]: when to reload after a change (quiet period, maximum wait);
//! - [`engine`]: one loader at a time, no lost update, readers never wait;
//! - [`subscription`]: bounded, latest-only mailboxes;
//! - [`status`]: the health signal for probes.
//!
//! Reading goes through `crate::read` like every load: non-blocking,
//! bounded, and a load's record of what it read is what the watcher follows.

mod debounce;
mod engine;
mod fingerprint;
mod status;
mod subscription;

use std::collections::{HashMap, HashSet};
use std::marker::PhantomData;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use engine::{Attempt, Engine, Load};
use fingerprint::{ChangeSource, DirSource, FileSource, HookSource, Observed};
pub use status::WatchStatus;
pub use subscription::Subscription;

use crate::{ConfigError, ConfigLoader, Loaded, PhoenixConfig, cache, read};

/// What a [`Watcher`] tells its subscribers.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReloadEvent<T> {
    /// A new valid configuration is in use.
    Reloaded {
        /// The new configuration (also [`Watcher::current`] now).
        config: Arc<T>,
        /// Dotted paths of the values that changed (secrets included, by
        /// path only).
        changed: Vec<String>,
    },
    /// The files changed but do not load; the last good configuration stays.
    Failed(Arc<ConfigError>),
}

impl<T> Clone for ReloadEvent<T> {
    fn clone(&self) -> Self {
        match self {
            ReloadEvent::Reloaded { config, changed } => {
                ReloadEvent::Reloaded { config: Arc::clone(config), changed: changed.clone() }
            }
            ReloadEvent::Failed(error) => ReloadEvent::Failed(Arc::clone(error)),
        }
    }
}

/// How often a [`Watcher`] looks at its inputs and how long it waits.
///
/// The defaults: a look every 500 ms (one `stat` per input: 1,000 inputs
/// cost well under 0.5 % of a core, see the README), reload once the inputs
/// held still for 100 ms, and at the latest 1 s after the first change even
/// if they keep changing. Kubernetes itself takes up to a minute or more to
/// bring a `ConfigMap` change to a volume (the kubelet's sync period plus
/// its cache), so a faster look buys nothing there; half a second keeps
/// local edits feeling immediate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WatchOptions {
    /// Time between two looks at the inputs (default 500 ms).
    pub poll_interval: Duration,
    /// How long the inputs must hold still before a reload (default 100 ms).
    pub debounce: Duration,
    /// The longest a reload waits after the first change while the inputs
    /// keep changing (default 1 s).
    pub max_wait: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            poll_interval: Duration::from_millis(500),
            debounce: Duration::from_millis(100),
            max_wait: Duration::from_secs(1),
        }
    }
}

/// Keeps a configuration up to date with its inputs.
///
/// Every interval the watcher looks at each file the last load read or
/// looked for (YAML files, `.env`, `NAME_FILE` targets, the secrets folder),
/// one `stat` each with symbolic links followed, so Kubernetes `..data`
/// swaps and editors that replace files by rename are seen. A change waits
/// until the inputs hold still (debounce, with a maximum wait), then
/// reloads; an invalid result keeps the last good configuration and is
/// reported to subscribers, in [`status`](Watcher::status) and as a tracing
/// event.
///
/// ```no_run
/// use phoenix_config::{ConfigLoader, PhoenixConfig};
///
/// #[derive(PhoenixConfig)]
/// struct Settings {
///     #[config(default = 10)]
///     pool: u32,
/// }
///
/// let watcher = ConfigLoader::new().watch::<Settings>()?;
/// let events = watcher.subscribe();
/// std::thread::spawn(move || {
///     for event in events {
///         println!("{event:?}");
///     }
/// });
/// let settings = watcher.current(); // the latest valid configuration
/// let ready = watcher.status().is_ready(std::time::Duration::from_secs(60));
/// # Ok::<(), phoenix_config::ConfigError>(())
/// ```
pub struct Watcher<T: PhoenixConfig + Send + Sync + 'static> {
    engine: Arc<Engine<FileLoad<T>>>,
    thread: Option<JoinHandle<()>>,
}

impl<T: PhoenixConfig + Send + Sync + 'static> std::fmt::Debug for Watcher<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher").field("type", &T::describe().name).finish_non_exhaustive()
    }
}

impl ConfigLoader {
    /// Loads `T` and keeps it up to date with its files, with the default
    /// [`WatchOptions`]. Fails when the first load fails.
    pub fn watch<T: PhoenixConfig + Send + Sync + 'static>(&self) -> Result<Watcher<T>, ConfigError> {
        self.watch_with(WatchOptions::default())
    }

    /// Like [`watch`](ConfigLoader::watch), with given intervals.
    pub fn watch_with<T: PhoenixConfig + Send + Sync + 'static>(
        &self,
        options: WatchOptions,
    ) -> Result<Watcher<T>, ConfigError> {
        let mut fixed: Vec<Arc<dyn ChangeSource>> = self
            .secrets_dir_path()
            .map(|dir| Arc::new(DirSource::new(dir.to_path_buf())) as Arc<dyn ChangeSource>)
            .into_iter()
            .collect();
        fixed.extend(self.source_watches().into_iter().flat_map(followed_by_source));
        let load = FileLoad { loader: self.clone(), settings: PhantomData };
        let engine = Engine::start(load, options, fixed)?;
        let worker = Arc::clone(&engine);
        let thread = std::thread::Builder::new()
            .name("phoenix-config-watch".to_owned())
            .spawn(move || worker.run())
            .map_err(|e| {
                ConfigError::single(crate::Issue::new(
                    crate::IssueKind::Io,
                    "",
                    format!("cannot start the watcher thread: {e}"),
                ))
            })?;
        Ok(Watcher { engine, thread: Some(thread) })
    }
}

/// What a custom source asks to be followed: its files, and its change hook.
fn followed_by_source((description, watch): (String, crate::source::Watch)) -> Vec<Arc<dyn ChangeSource>> {
    let mut followed: Vec<Arc<dyn ChangeSource>> =
        watch.files.into_iter().map(|path| Arc::new(FileSource::new(path)) as Arc<dyn ChangeSource>).collect();
    followed.extend(watch.changes.map(|hook| Arc::new(HookSource::new(&description, hook)) as Arc<dyn ChangeSource>));
    followed
}

/// Loads of a [`ConfigLoader`], recording what each read.
struct FileLoad<T> {
    loader: ConfigLoader,
    settings: PhantomData<fn() -> T>,
}

impl<T: PhoenixConfig + Send + Sync + 'static> Load for FileLoad<T> {
    type Config = T;
    type Records = Loaded<()>;

    fn load(&self) -> Attempt<T, Loaded<()>> {
        let (result, record) = read::recorded(true, || self.loader.load_with_origins::<T>());
        let read = record
            .files
            .iter()
            .map(|(path, seen)| {
                (Arc::new(FileSource::new(path.clone())) as Arc<dyn ChangeSource>, Observed::from_seen(seen))
            })
            .collect();
        Attempt { result: result.map(Loaded::take), read }
    }

    fn changed(&self, old: &Loaded<()>, new: &Loaded<()>) -> Vec<String> {
        changed_paths(old, new)
    }

    fn name(&self) -> &'static str {
        T::describe().name
    }

    fn max_bytes(&self) -> u64 {
        self.loader.max_file_bytes()
    }
}

impl<T: PhoenixConfig + Send + Sync + 'static> Watcher<T> {
    /// The latest valid configuration: a pointer clone, never waiting on a reload.
    pub fn current(&self) -> Arc<T> {
        self.engine.current()
    }

    /// The reload events from now on (every reload and failed reload),
    /// latest-only when unread: see [`Subscription`].
    pub fn subscribe(&self) -> Subscription<T> {
        self.engine.subscribe()
    }

    /// The health of the watcher: generation, last success, last error,
    /// consecutive failures, staleness. See [`WatchStatus::is_ready`] for a
    /// readiness probe.
    pub fn status(&self) -> WatchStatus {
        self.engine.status()
    }

    /// Makes [`get_config_for`](crate::get_config_for) (and [`get_config`](crate::get_config)
    /// in this environment) return this watcher's latest configuration, now
    /// and after every reload.
    pub fn follow_global(&self) {
        let environment = self.engine.records().environment();
        self.engine.on_apply(Box::new(move |config| cache::replace::<T>(environment, Arc::clone(config))));
        cache::replace::<T>(environment, self.engine.current());
    }

    /// Reloads now, whether or not a file changed, after any reload in
    /// progress (one at a time); the result is also sent to subscribers.
    pub fn reload_now(&self) -> Result<Arc<T>, Arc<ConfigError>> {
        self.engine.reload().unwrap_or_else(|| Ok(self.engine.current()))
    }
}

impl<T: PhoenixConfig + Send + Sync + 'static> Drop for Watcher<T> {
    fn drop(&mut self) {
        self.engine.stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The paths whose value differs between two loads (or exist in one only):
/// linear, with the old values by path.
fn changed_paths(old: &Loaded<()>, new: &Loaded<()>) -> Vec<String> {
    let before: HashMap<&str, u64> = old.records().iter().map(|r| (r.path.as_str(), r.fingerprint)).collect();
    let now: HashSet<&str> = new.records().iter().map(|r| r.path.as_str()).collect();
    let mut changed: Vec<String> = new
        .records()
        .iter()
        .filter(|leaf| before.get(leaf.path.as_str()) != Some(&leaf.fingerprint))
        .map(|leaf| leaf.path.clone())
        .collect();
    changed.extend(old.records().iter().filter(|leaf| !now.contains(leaf.path.as_str())).map(|l| l.path.clone()));
    changed
}
