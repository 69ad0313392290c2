//! Live reload: a [`Watcher`] that reloads when any input file changes and
//! swaps in the new configuration only when it is completely valid.
//!
//! The watcher polls: every interval it hashes each file the last load read
//! or looked for (YAML files, `.env`, `NAME_FILE` targets, every file of the
//! secrets folder), following symlinks. Polling content instead of listening
//! for events catches what path watchers miss — Kubernetes `ConfigMap` and
//! `Secret` volumes update by swapping a `..data` symlink, and editors replace
//! files by rename — and needs no platform code. A change starts a debounce:
//! the files must stay unchanged for one debounce period before the reload,
//! so a burst of writes becomes one reload, and a half-written file is not
//! read mid-write. An invalid result keeps the last good configuration.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::loader::Inputs;
use crate::{ConfigError, ConfigLoader, Environment, Loaded, PhoenixConfig, cache};

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

/// How often a [`Watcher`] looks at its files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WatchOptions {
    /// Time between two looks at the files (default 250 ms).
    pub poll_interval: Duration,
    /// How long the files must stay unchanged before a reload (default 100 ms).
    pub debounce: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions { poll_interval: Duration::from_millis(250), debounce: Duration::from_millis(100) }
    }
}

struct State<T> {
    loaded: Loaded<()>,
    current: Arc<T>,
}

struct Shared<T> {
    loader: ConfigLoader,
    state: RwLock<State<T>>,
    subscribers: Mutex<Vec<Sender<ReloadEvent<T>>>>,
    follow_global: Mutex<Option<Environment>>,
    stop: Mutex<bool>,
    wake: Condvar,
    /// Set by a source's [`ChangeNotifier`](crate::source::ChangeNotifier): look now.
    poked: std::sync::atomic::AtomicBool,
}

/// Keeps a configuration up to date with its files.
///
/// The watcher polls: every interval it hashes each file the last load read
/// or looked for, following symlinks, so Kubernetes `..data` symlink swaps and
/// editors that replace files by rename are seen. A change waits until the
/// files hold still for the debounce period, then reloads; an invalid result
/// keeps the last good configuration and is reported to subscribers.
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
/// # Ok::<(), phoenix_config::ConfigError>(())
/// ```
pub struct Watcher<T: PhoenixConfig + Send + Sync> {
    shared: Arc<Shared<T>>,
    thread: Option<JoinHandle<()>>,
    /// Registered with the sources' notifiers (held weakly there).
    _waker: crate::source::Waker,
}

impl<T: PhoenixConfig + Send + Sync> std::fmt::Debug for Watcher<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher").field("type", &T::describe().name).finish_non_exhaustive()
    }
}

impl ConfigLoader {
    /// Loads `T` and keeps it up to date with its files, with the default
    /// [`WatchOptions`]. Fails when the first load fails.
    pub fn watch<T: PhoenixConfig + Send + Sync>(&self) -> Result<Watcher<T>, ConfigError> {
        self.watch_with(WatchOptions::default())
    }

    /// Like [`watch`](ConfigLoader::watch), with given intervals.
    pub fn watch_with<T: PhoenixConfig + Send + Sync>(&self, options: WatchOptions) -> Result<Watcher<T>, ConfigError> {
        let (current, loaded) = split(self.load_with_origins::<T>()?);
        let shared = Arc::new(Shared {
            loader: self.clone(),
            state: RwLock::new(State { loaded, current }),
            subscribers: Mutex::new(Vec::new()),
            follow_global: Mutex::new(None),
            stop: Mutex::new(false),
            wake: Condvar::new(),
            poked: std::sync::atomic::AtomicBool::new(false),
        });
        let waker = shared.register_wakers();
        // Taken now, not in the thread: a change made before the thread
        // starts must still count as a change.
        let seen = shared.fingerprint();
        let worker = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("phoenix-config-watch".to_owned())
            .spawn(move || worker.run(options, seen))
            .map_err(|e| {
                ConfigError::single(crate::Issue::new(
                    crate::IssueKind::Io,
                    "",
                    format!("cannot start the watcher thread: {e}"),
                ))
            })?;
        Ok(Watcher { shared, thread: Some(thread), _waker: waker })
    }
}

fn split<T>(loaded: Loaded<T>) -> (Arc<T>, Loaded<()>) {
    let (config, rest) = loaded.take();
    (Arc::new(config), rest)
}

impl<T: PhoenixConfig + Send + Sync> Watcher<T> {
    /// The latest valid configuration.
    pub fn current(&self) -> Arc<T> {
        Arc::clone(&self.shared.state.read().unwrap_or_else(PoisonError::into_inner).current)
    }

    /// A channel that receives every later reload and failed reload.
    pub fn subscribe(&self) -> Receiver<ReloadEvent<T>> {
        let (sender, receiver) = channel();
        self.shared.subscribers.lock().unwrap_or_else(PoisonError::into_inner).push(sender);
        receiver
    }

    /// Makes [`get_config_for`](crate::get_config_for) (and [`get_config`](crate::get_config)
    /// in this environment) return this watcher's latest configuration, now
    /// and after every reload.
    pub fn follow_global(&self) {
        let state = self.shared.state.read().unwrap_or_else(PoisonError::into_inner);
        let environment = state.loaded.environment();
        cache::replace::<T>(environment, Arc::clone(&state.current));
        *self.shared.follow_global.lock().unwrap_or_else(PoisonError::into_inner) = Some(environment);
    }

    /// Reloads now, whether or not a file changed; the result is also sent
    /// to subscribers.
    pub fn reload_now(&self) -> Result<Arc<T>, Arc<ConfigError>> {
        self.shared.reload()
    }
}

impl<T: PhoenixConfig + Send + Sync> Drop for Watcher<T> {
    fn drop(&mut self) {
        *self.shared.stop.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.shared.wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl<T: PhoenixConfig + Send + Sync> Shared<T> {
    /// Sleeps up to `timeout`; `true` when the watcher is being dropped.
    fn sleep(&self, timeout: Duration) -> bool {
        use std::sync::atomic::Ordering;
        let stop = self.stop.lock().unwrap_or_else(PoisonError::into_inner);
        let (stop, _) = self
            .wake
            .wait_timeout_while(stop, timeout, |stop| !*stop && !self.poked.load(Ordering::SeqCst))
            .unwrap_or_else(PoisonError::into_inner);
        self.poked.store(false, Ordering::SeqCst);
        *stop
    }

    /// A waker that makes [`sleep`](Shared::sleep) return at once, given to
    /// the notifier of every change hook.
    fn register_wakers(self: &Arc<Self>) -> crate::source::Waker
    where
        T: 'static,
    {
        let weak = Arc::downgrade(self);
        let waker: crate::source::Waker = Arc::new(move || {
            if let Some(shared) = weak.upgrade() {
                let _guard = shared.stop.lock().unwrap_or_else(PoisonError::into_inner);
                shared.poked.store(true, std::sync::atomic::Ordering::SeqCst);
                shared.wake.notify_all();
            }
        });
        for hook in &self.inputs().hooks {
            if let Some(notifier) = hook.notifier() {
                notifier.register(&waker);
            }
        }
        waker
    }

    fn inputs(&self) -> Inputs {
        self.state.read().unwrap_or_else(PoisonError::into_inner).loaded.inputs().clone()
    }

    fn fingerprint(&self) -> u64 {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        fingerprint(state.loaded.inputs(), self.loader.max_file_bytes())
    }

    fn run(&self, options: WatchOptions, mut seen: u64) {
        loop {
            if self.sleep(options.poll_interval) {
                return;
            }
            let mut now = self.fingerprint();
            if now == seen {
                continue;
            }
            // Debounce: wait until the files hold still.
            loop {
                if self.sleep(options.debounce) {
                    return;
                }
                let again = self.fingerprint();
                if again == now {
                    break;
                }
                now = again;
            }
            let inputs_before = self.inputs();
            let _ = self.reload();
            // `now` was taken before the reload read the files, so a write
            // during the reload is still seen next time; only when the
            // inputs themselves changed (a new `_FILE` target) look again.
            seen = if self.inputs() == inputs_before { now } else { self.fingerprint() };
        }
    }

    fn reload(&self) -> Result<Arc<T>, Arc<ConfigError>> {
        let started = Instant::now();
        let result = self.loader.load_with_origins::<T>();
        let event = match result {
            Ok(loaded) => {
                let (config, loaded) = split(loaded);
                let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
                let changed = changed_paths(&state.loaded, &loaded);
                state.loaded = loaded;
                state.current = Arc::clone(&config);
                drop(state);
                if let Some(environment) = *self.follow_global.lock().unwrap_or_else(PoisonError::into_inner) {
                    cache::replace::<T>(environment, Arc::clone(&config));
                }
                tracing::info!(
                    target: "phoenix_config",
                    settings = T::describe().name,
                    changed = changed.len(),
                    micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
                    "configuration reloaded"
                );
                ReloadEvent::Reloaded { config, changed }
            }
            Err(error) => {
                tracing::error!(
                    target: "phoenix_config",
                    settings = T::describe().name,
                    problems = error.issues().len(),
                    "configuration reload failed, keeping the last good configuration: {error}"
                );
                ReloadEvent::Failed(Arc::new(error))
            }
        };
        let result = match &event {
            ReloadEvent::Reloaded { config, .. } => Ok(Arc::clone(config)),
            ReloadEvent::Failed(error) => Err(Arc::clone(error)),
        };
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|subscriber| subscriber.send(event.clone()).is_ok());
        result
    }
}

/// The paths whose value differs between two loads (or exist in one only).
fn changed_paths(old: &Loaded<()>, new: &Loaded<()>) -> Vec<String> {
    let mut changed = Vec::new();
    for leaf in new.records() {
        match old.records().iter().find(|o| o.path == leaf.path) {
            Some(before) if before.fingerprint == leaf.fingerprint => {}
            _ => changed.push(leaf.path.clone()),
        }
    }
    for leaf in old.records() {
        if !new.records().iter().any(|n| n.path == leaf.path) {
            changed.push(leaf.path.clone());
        }
    }
    changed
}

/// One hash over the content of every input (a missing file counts as missing).
fn fingerprint(inputs: &Inputs, max_bytes: u64) -> u64 {
    let mut hasher = DefaultHasher::new();
    for file in &inputs.files {
        hash_file(file, max_bytes, &mut hasher);
    }
    for hook in &inputs.hooks {
        hasher.write_u64(hook.version());
    }
    for dir in &inputs.dirs {
        let mut names: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        for file in names {
            hasher.write(file.as_os_str().as_encoded_bytes());
            hash_file(&file, max_bytes, &mut hasher);
        }
    }
    hasher.finish()
}

fn hash_file(path: &Path, max_bytes: u64, hasher: &mut DefaultHasher) {
    // `metadata` follows symlinks: a swapped `..data` link shows as new content.
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {
            hasher.write_u8(1);
            let mut buffer = Vec::new();
            match std::fs::File::open(path).and_then(|f| f.take(max_bytes.saturating_add(1)).read_to_end(&mut buffer)) {
                Ok(_) => hasher.write(&buffer),
                Err(_) => hasher.write_u8(2),
            }
        }
        Ok(meta) => {
            hasher.write_u8(3);
            hasher.write_u64(meta.len());
        }
        Err(_) => hasher.write_u8(0),
    }
}
