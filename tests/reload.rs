//! Live reload: a watcher swaps in a new configuration only when it is
//! valid, applies a Kubernetes volume update whole, never hangs, and keeps
//! its memory and its subscribers bounded. The races themselves are made
//! deterministic in the engine's unit tests (`src/watch/engine/tests.rs`);
//! here real files change under a real watcher, and every wait ends at the
//! first event (the machine may be loaded).

mod common;

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::Scratch;
use phoenix_config::{Environment, PhoenixConfig, ReloadEvent, Subscription, WatchOptions, Watcher, get_config_for};

#[derive(PhoenixConfig)]
struct Settings {
    #[config(default = 1)]
    #[validate(range(min = 1, max = 100))]
    level: u32,
    #[config(default = "x")]
    label: String,
    #[env("APP_TOKEN")]
    #[secret]
    token: Option<String>,
}

/// Every value required: a truncated file is invalid, not defaults.
#[derive(PhoenixConfig)]
struct Required {
    level: u32,
    label: String,
}

/// Generous: the machine may be loaded; the wait ends at the first event.
const WAIT: Duration = Duration::from_secs(20);

const FAST: WatchOptions = WatchOptions {
    poll_interval: Duration::from_millis(20),
    debounce: Duration::from_millis(30),
    max_wait: Duration::from_secs(2),
};

fn next_event<T>(events: &Subscription<T>) -> ReloadEvent<T> {
    events.recv_timeout(WAIT).expect("a reload event within the wait")
}

fn watch(s: &Scratch, vars: &[(&str, &str)]) -> Watcher<Settings> {
    s.loader(vars).watch_with::<Settings>(FAST).expect("the first load works")
}

fn reloaded<T>(event: ReloadEvent<T>) -> (Arc<T>, Vec<String>) {
    match event {
        ReloadEvent::Reloaded { config, changed } => (config, changed),
        ReloadEvent::Failed(e) => panic!("{e}"),
        _ => unreachable!(),
    }
}

#[test]
fn an_edited_value_is_seen_with_the_paths_that_changed() {
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 2\nlabel: a\n");
    let watcher = watch(&s, &[]);
    let events = watcher.subscribe();
    assert_eq!(watcher.current().level, 2);
    s.write("config/base.yaml", "level: 3\nlabel: a\n");
    let (config, changed) = reloaded(next_event(&events));
    assert_eq!(config.level, 3);
    assert_eq!(changed, ["level"]);
    assert_eq!(watcher.current().level, 3);
    assert_eq!(watcher.current().label, "a");
    assert_eq!(watcher.status().generation, 2);
}

#[test]
fn an_invalid_file_keeps_the_last_good_config_and_reports_the_error() {
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 2\n");
    let watcher = watch(&s, &[]);
    let events = watcher.subscribe();
    s.write("config/base.yaml", "level: 500\n");
    match next_event(&events) {
        ReloadEvent::Failed(error) => assert!(error.to_string().contains("level"), "{error}"),
        ReloadEvent::Reloaded { .. } => panic!("an invalid config was swapped in"),
        _ => unreachable!(),
    }
    assert_eq!(watcher.current().level, 2);
    let status = watcher.status();
    assert_eq!((status.generation, status.consecutive_failures), (1, 1));
    assert!(status.last_error.as_ref().is_some_and(|e| e.to_string().contains("level")));
    assert!(status.stale_since.is_some());
    s.write("config/base.yaml", "level: [unclosed\n");
    assert!(matches!(next_event(&events), ReloadEvent::Failed(_)));
    assert_eq!(watcher.current().level, 2);
    s.write("config/base.yaml", "level: 4\n");
    assert!(matches!(next_event(&events), ReloadEvent::Reloaded { .. }));
    assert_eq!(watcher.current().level, 4);
    let status = watcher.status();
    assert_eq!((status.generation, status.consecutive_failures), (2, 0));
    assert!(status.stale_since.is_none() && status.is_ready(Duration::ZERO));
}

/// The kubelet's `AtomicWriter`: the files of one version in a timestamped
/// folder, `..data` a link to it, each visible file a link into `..data`.
/// An update writes a new folder, points a new link at it, renames the link
/// over `..data` (atomic), and removes the old folder.
#[cfg(unix)]
struct Volume {
    dir: std::path::PathBuf,
    version: u32,
}

#[cfg(unix)]
impl Volume {
    fn new(dir: std::path::PathBuf, files: &[(&str, String)]) -> Self {
        use std::os::unix::fs::symlink;
        let mut volume = Volume { dir, version: 0 };
        volume.update(files);
        for (name, _) in files {
            symlink(format!("..data/{name}"), volume.dir.join(name)).unwrap();
        }
        volume
    }

    fn update(&mut self, files: &[(&str, String)]) {
        use std::os::unix::fs::symlink;
        let old = format!("..2026_12_01_10_00_{:02}.{}", self.version, self.version);
        self.version += 1;
        let new = format!("..2026_12_01_10_00_{:02}.{}", self.version, self.version);
        std::fs::create_dir_all(self.dir.join(&new)).unwrap();
        for (name, text) in files {
            std::fs::write(self.dir.join(&new).join(name), text).unwrap();
        }
        symlink(&new, self.dir.join("..data_tmp")).unwrap();
        std::fs::rename(self.dir.join("..data_tmp"), self.dir.join("..data")).unwrap();
        let _ = std::fs::remove_dir_all(self.dir.join(old));
    }
}

/// Version `n` of a volume: `level` in `base.yaml` and `label` in
/// `testing.yaml` that tell whether they belong together.
#[cfg(unix)]
fn version(n: u32) -> [(&'static str, String); 2] {
    [("base.yaml", format!("level: {}\n", n % 100 + 1)), ("testing.yaml", format!("label: v{n}\n"))]
}

#[cfg(unix)]
fn one_version(config: &Settings) -> bool {
    let n: u32 = config.label.strip_prefix('v').and_then(|n| n.parse().ok()).unwrap_or(u32::MAX);
    n % 100 + 1 == config.level
}

#[cfg(unix)]
#[test]
fn a_kubernetes_volume_update_is_applied_whole() {
    let s = Scratch::new();
    let mut volume = Volume::new(s.path().join("config"), &version(1));
    let watcher = Arc::new(watch(&s, &[]));
    let events = watcher.subscribe();
    assert_eq!((watcher.current().level, watcher.current().label.as_str()), (2, "v1"));
    // Readers all along: they must never see the files of two versions.
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (watcher, done) = (Arc::clone(&watcher), Arc::clone(&done));
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    let config = watcher.current();
                    assert!(one_version(&config), "a mixed version was applied: {}, {}", config.level, config.label);
                }
            })
        })
        .collect();
    for n in 2..=30 {
        volume.update(&version(n));
    }
    loop {
        let (config, _) = reloaded(next_event(&events));
        assert!(one_version(&config), "a mixed version was applied: {}, {}", config.level, config.label);
        if config.label == "v30" {
            break;
        }
    }
    done.store(true, Ordering::Relaxed);
    for reader in readers {
        reader.join().unwrap();
    }
}

/// Loads racing a kubelet that never stops swapping versions: every load
/// that succeeds holds one version (a load during which `..data` moved is
/// run again; one that kept moving five times fails, applying nothing).
#[cfg(unix)]
#[test]
fn loads_racing_continuous_volume_swaps_never_mix_versions() {
    let s = Scratch::new();
    let mut volume = Volume::new(s.path().join("config"), &version(1));
    let watcher = watch(&s, &[]);
    let swapping = Arc::new(AtomicBool::new(true));
    let kubelet = {
        let swapping = Arc::clone(&swapping);
        std::thread::spawn(move || {
            let mut n = 1;
            while swapping.load(Ordering::Relaxed) && n < 5000 {
                n += 1;
                volume.update(&version(n));
            }
        })
    };
    let (mut applied, mut refused) = (0, 0);
    for _ in 0..300 {
        match watcher.reload_now() {
            Ok(config) => {
                assert!(one_version(&config), "a mixed version was applied: {}, {}", config.level, config.label);
                applied += 1;
            }
            Err(error) => {
                assert!(error.to_string().contains("`..data` link"), "{error}");
                refused += 1;
            }
        }
    }
    swapping.store(false, Ordering::Relaxed);
    kubelet.join().unwrap();
    assert!(applied > 0, "{refused} loads refused, none applied");
    assert!(one_version(&watcher.current()));
}

#[cfg(unix)]
#[test]
fn a_fifo_swapped_in_under_the_poller_neither_hangs_it_nor_the_drop() {
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 2\n");
    let watcher = watch(&s, &[]);
    let events = watcher.subscribe();
    let fifo = s.path().join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|st| st.success());
    assert!(made, "mkfifo works");
    std::fs::rename(&fifo, s.path().join("config/base.yaml")).unwrap();
    match next_event(&events) {
        ReloadEvent::Failed(error) => assert!(error.to_string().contains("is not a regular file"), "{error}"),
        ReloadEvent::Reloaded { .. } => panic!("a FIFO loaded"),
        _ => unreachable!(),
    }
    assert_eq!(watcher.current().level, 2);
    // The poller still works: a regular file again is seen.
    std::fs::remove_file(s.path().join("config/base.yaml")).unwrap();
    s.write("config/base.yaml", "level: 3\n");
    assert_eq!(reloaded(next_event(&events)).0.level, 3);
    // And dropping the watcher returns.
    let (dropped_tx, dropped_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        drop(watcher);
        dropped_tx.send(()).unwrap();
    });
    dropped_rx.recv_timeout(WAIT).expect("dropping the watcher does not hang");
    assert!(matches!(events.recv_timeout(WAIT), Err(RecvTimeoutError::Disconnected)));
}

#[test]
fn a_rotated_file_secret_is_seen_and_named_by_path_only() {
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 2\n");
    let token = s.write("secrets/token", "first-canary\n").display().to_string();
    let watcher = watch(&s, &[("APP_TOKEN_FILE", &token)]);
    let events = watcher.subscribe();
    assert_eq!(watcher.current().token.as_deref(), Some("first-canary"));
    s.write("secrets/token", "second-canary\n");
    let (config, changed) = reloaded(next_event(&events));
    assert_eq!(config.token.as_deref(), Some("second-canary"));
    assert_eq!(changed, ["token"]);
    assert!(!format!("{changed:?}").contains("canary"));
    assert!(!format!("{:?}", watcher.status()).contains("canary"));
}

#[test]
fn a_file_target_named_by_a_failed_reload_is_followed_until_it_exists() {
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 2\n");
    s.write(".env", "");
    let watcher = watch(&s, &[]);
    let events = watcher.subscribe();
    let token = s.path().join("later/token");
    s.write(".env", &format!("APP_TOKEN_FILE={}\n", token.display()));
    match next_event(&events) {
        ReloadEvent::Failed(error) => assert!(error.to_string().contains("does not exist"), "{error}"),
        ReloadEvent::Reloaded { .. } => panic!("a missing secret file loaded"),
        _ => unreachable!(),
    }
    s.write("later/token", "created-later\n");
    let (config, changed) = reloaded(next_event(&events));
    assert_eq!(config.token.as_deref(), Some("created-later"));
    assert_eq!(changed, ["token"]);
}

#[test]
fn a_new_file_target_of_a_reload_is_followed() {
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 2\n");
    let first = s.write("secrets/first", "one\n");
    s.write(".env", &format!("APP_TOKEN_FILE={}\n", first.display()));
    let watcher = watch(&s, &[]);
    let events = watcher.subscribe();
    let second = s.write("secrets/second", "two\n");
    s.write(".env", &format!("APP_TOKEN_FILE={}\n", second.display()));
    assert_eq!(reloaded(next_event(&events)).0.token.as_deref(), Some("two"));
    s.write("secrets/second", "three\n");
    assert_eq!(reloaded(next_event(&events)).0.token.as_deref(), Some("three"));
}

#[test]
fn a_layer_file_created_after_the_first_load_is_seen() {
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 2\n");
    let watcher = watch(&s, &[]);
    let events = watcher.subscribe();
    s.write("config/testing.yaml", "level: 3\n");
    assert_eq!(reloaded(next_event(&events)).0.level, 3);
    // Written in another format: base.yaml gives way to base.json.
    s.write("config/base.json", "{\"label\": \"j\"}");
    match next_event(&events) {
        ReloadEvent::Failed(error) => assert!(error.to_string().contains("exist for one layer"), "{error}"),
        ReloadEvent::Reloaded { .. } => panic!("two files of one layer loaded"),
        _ => unreachable!(),
    }
    std::fs::remove_file(s.path().join("config/base.yaml")).unwrap();
    let config = reloaded(next_event(&events)).0;
    assert_eq!((config.level, config.label.as_str()), (3, "j"));
}

#[test]
fn a_config_folder_created_after_the_first_load_is_seen() {
    let s = Scratch::new();
    let watcher = watch(&s, &[]);
    let events = watcher.subscribe();
    assert_eq!(watcher.current().level, 1);
    s.write("config/base.yaml", "level: 4\n");
    assert_eq!(reloaded(next_event(&events)).0.level, 4);
}

#[test]
fn a_writer_that_never_stops_is_still_applied() {
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 1\n");
    let options = WatchOptions { max_wait: Duration::from_millis(300), ..FAST };
    let watcher = s.loader(&[]).watch_with::<Settings>(options).unwrap();
    let events = watcher.subscribe();
    let writing = Arc::new(AtomicBool::new(true));
    let writer = {
        let (dir, writing) = (s.path().join("config"), Arc::clone(&writing));
        std::thread::spawn(move || {
            // A whole new file every 5 ms (written aside, renamed over: this
            // test is about the maximum wait, not half-written files), far
            // more often than the 30 ms debounce, until a reload lands (or
            // for at most 20 s).
            let mut level = 1;
            for i in 0..4000u32 {
                if !writing.load(Ordering::Relaxed) {
                    break;
                }
                level = 2 + i % 90;
                std::fs::write(dir.join("next.tmp"), format!("level: {level}\n")).unwrap();
                std::fs::rename(dir.join("next.tmp"), dir.join("base.yaml")).unwrap();
                std::thread::sleep(Duration::from_millis(5));
            }
            writing.store(false, Ordering::Relaxed);
            level
        })
    };
    let event = next_event(&events);
    let during = writing.swap(false, Ordering::Relaxed);
    let last = writer.join().unwrap();
    assert!(during, "a reload landed while the writes went on");
    assert!(reloaded(event).0.level >= 2);
    // Once the writes stop, the last one is applied.
    while watcher.current().level != last {
        reloaded(next_event(&events));
    }
}

#[test]
fn a_burst_of_writes_is_coalesced_and_the_last_one_wins() {
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 1\n");
    let options = WatchOptions { debounce: Duration::from_millis(400), ..FAST };
    let watcher = s.loader(&[]).watch_with::<Settings>(options).unwrap();
    let events = watcher.subscribe();
    for level in 2..=9 {
        s.write("config/base.yaml", &format!("level: {level}\n"));
        std::thread::sleep(Duration::from_millis(10));
    }
    // Every event until the files have been quiet for a while: on a loaded
    // machine a write may come late, so count rather than expect exactly one.
    let mut reloads = vec![next_event(&events)];
    while let Ok(event) = events.recv_timeout(Duration::from_millis(1500)) {
        reloads.push(event);
    }
    assert!(reloads.len() < 8, "8 writes were coalesced, {} reloads", reloads.len());
    match reloads.last() {
        Some(ReloadEvent::Reloaded { config, .. }) => assert_eq!(config.level, 9),
        other => panic!("the last event is a reload to the last write: {other:?}"),
    }
    assert_eq!(watcher.current().level, 9);
}

#[test]
fn valid_in_place_writes_raise_no_false_alarm() {
    use std::io::Write as _;
    let s = Scratch::new();
    let path = s.write("config/base.yaml", "level: 1\nlabel: start\n");
    // The pause between truncation and write (10 ms) is well within the
    // debounce, even for a writer slowed down by a loaded machine.
    let options = WatchOptions { debounce: Duration::from_millis(200), ..FAST };
    let watcher = s.loader(&[]).watch_with::<Required>(options).unwrap();
    let events = watcher.subscribe();
    for n in 2..=12 {
        // Truncate, pause as a slow editor would, then write: the file is
        // empty (invalid: no value for `level`) for a moment each time.
        let mut file = std::fs::File::create(&path).unwrap();
        std::thread::sleep(Duration::from_millis(10));
        file.write_all(format!("level: {n}\nlabel: n{n}\n").as_bytes()).unwrap();
        drop(file);
        std::thread::sleep(Duration::from_millis(60));
    }
    while watcher.current().level != 12 {
        match next_event(&events) {
            ReloadEvent::Failed(error) => panic!("a false alarm: {error}"),
            ReloadEvent::Reloaded { config, .. } => assert_eq!(config.label, format!("n{}", config.level)),
            _ => unreachable!(),
        }
    }
    assert_eq!(watcher.status().consecutive_failures, 0);
}

#[test]
fn a_subscriber_that_never_reads_keeps_at_most_one_old_config_alive() {
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 1\n");
    let watcher = watch(&s, &[]);
    let idle = watcher.subscribe(); // never read
    let mut configs = Vec::new();
    for level in 2..=60 {
        s.write("config/base.yaml", &format!("level: {level}\n"));
        let config = watcher.reload_now().expect("valid");
        assert_eq!(config.level, level);
        configs.push(Arc::downgrade(&config));
    }
    let alive = configs.iter().filter(|c| c.upgrade().is_some()).count();
    assert!(alive <= 2, "{alive} configurations alive (the current one and the unread one at most)");
    // What it reads at last: the newest configuration, every changed path.
    let (config, changed) = reloaded(idle.try_recv().expect("one event waits"));
    assert!(config.level >= 59);
    assert_eq!(changed, ["level"]);
    drop(idle);
}

#[test]
fn the_global_instance_can_follow_a_watcher() {
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 11\nlabel: follow\n");
    let watcher = s.loader(&[]).environment(Environment::Production).watch_with::<Settings>(FAST).unwrap();
    let events = watcher.subscribe();
    watcher.follow_global();
    assert_eq!(get_config_for::<Settings>(Environment::Production).unwrap().level, 11);
    s.write("config/base.yaml", "level: 12\nlabel: follow\n");
    assert!(matches!(next_event(&events), ReloadEvent::Reloaded { .. }));
    assert_eq!(get_config_for::<Settings>(Environment::Production).unwrap().level, 12);
}

#[test]
fn reload_now_reloads_without_a_change() {
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 2\n");
    let watcher = watch(&s, &[]);
    let events = watcher.subscribe();
    let config = watcher.reload_now().expect("valid");
    assert_eq!(config.level, 2);
    let (_, changed) = reloaded(next_event(&events));
    assert!(changed.is_empty());
    assert_eq!(watcher.status().generation, 2);
}

/// Counts the events of the `phoenix_config` target, by message start.
#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<String>>>);

impl tracing::Subscriber for Events {
    /// Asked per event, never cached: see `common::with_subscriber`.
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::sometimes()
    }
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct Text<'a>(&'a mut String);
        impl tracing::field::Visit for Text<'_> {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
                use fmt::Write as _;
                let _ = write!(self.0, " {}={value:?}", field.name());
            }
        }
        let mut text = String::new();
        event.record(&mut Text(&mut text));
        self.0.lock().unwrap().push(text);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[cfg(unix)]
#[test]
fn one_event_per_reload_and_one_world_readable_warning_per_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 2\n");
    let token = s.write("secrets/open-token", "canary-open\n");
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o644)).unwrap();
    let events = Events::default();
    let token = token.display().to_string();
    let watcher = common::with_subscriber(&events, || {
        let watcher = watch(&s, &[("APP_TOKEN_FILE", &token)]);
        for _ in 0..5 {
            watcher.reload_now().unwrap();
        }
        watcher
    });
    let seen = events.0.lock().unwrap().clone();
    let warnings = seen.iter().filter(|e| e.contains("readable by everyone")).count();
    assert_eq!(warnings, 1, "{seen:#?}");
    let reloads: Vec<_> = seen.iter().filter(|e| e.contains("configuration reloaded")).collect();
    assert_eq!(reloads.len(), 5, "{seen:#?}");
    assert!(reloads.iter().all(|e| e.contains("outcome=\"applied\"") && e.contains("micros=")), "{reloads:?}");
    assert!(!seen.iter().any(|e| e.contains("canary")), "{seen:#?}");
    drop(watcher);
}

/// A custom source whose value and version a test changes.
struct Counter {
    level: Arc<std::sync::atomic::AtomicU64>,
}

impl phoenix_config::source::Source for Counter {
    fn describe(&self) -> String {
        "counter test://level".to_owned()
    }

    fn load(
        &self,
        _: &phoenix_config::source::SourceContext<'_>,
    ) -> Result<phoenix_config::Node, Vec<phoenix_config::Issue>> {
        let level = self.level.load(Ordering::SeqCst).to_string();
        let mut tree = phoenix_config::Node::map(phoenix_config::Origin::source(self.describe()));
        tree.set_path(&["level"], phoenix_config::Node::text(level, phoenix_config::Origin::source("counter level")));
        Ok(tree)
    }

    fn watch(&self) -> phoenix_config::source::Watch {
        let level = Arc::clone(&self.level);
        phoenix_config::source::Watch {
            changes: Some(phoenix_config::source::ChangeHook::new(move || level.load(Ordering::SeqCst))),
            ..Default::default()
        }
    }
}

#[test]
fn a_custom_source_change_hook_triggers_a_reload() {
    let s = Scratch::new();
    s.write("config/base.yaml", "label: y\n");
    let level = Arc::new(std::sync::atomic::AtomicU64::new(3));
    let watcher = s
        .loader(&[])
        .source(Counter { level: Arc::clone(&level) })
        .watch_with::<Settings>(FAST)
        .expect("the first load works");
    assert_eq!(watcher.current().level, 3);
    let events = watcher.subscribe();
    level.store(7, Ordering::SeqCst);
    let (config, changed) = reloaded(next_event(&events));
    assert_eq!(config.level, 7);
    assert_eq!(changed, ["level"]);
}
