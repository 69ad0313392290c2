//! Live reload: a watcher swaps in a new configuration only when it is valid.

mod common;

use std::sync::mpsc::Receiver;
use std::time::Duration;

use common::Scratch;
use phoenix_config::{Environment, PhoenixConfig, ReloadEvent, WatchOptions, Watcher, get_config_for};

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

/// Generous: the machine may be loaded; the wait ends at the first event.
const WAIT: Duration = Duration::from_secs(20);

const FAST: WatchOptions =
    WatchOptions { poll_interval: Duration::from_millis(20), debounce: Duration::from_millis(30) };

fn next_event(events: &Receiver<ReloadEvent<Settings>>) -> ReloadEvent<Settings> {
    events.recv_timeout(WAIT).expect("a reload event within the wait")
}

fn watch(s: &Scratch, vars: &[(&str, &str)]) -> Watcher<Settings> {
    s.loader(vars).watch_with::<Settings>(FAST).expect("the first load works")
}

#[test]
fn an_edited_value_is_seen_with_the_paths_that_changed() {
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 2\nlabel: a\n");
    let watcher = watch(&s, &[]);
    let events = watcher.subscribe();
    assert_eq!(watcher.current().level, 2);
    s.write("config/base.yaml", "level: 3\nlabel: a\n");
    match next_event(&events) {
        ReloadEvent::Reloaded { config, changed } => {
            assert_eq!(config.level, 3);
            assert_eq!(changed, ["level"]);
        }
        ReloadEvent::Failed(e) => panic!("{e}"),
        _ => unreachable!(),
    }
    assert_eq!(watcher.current().level, 3);
    assert_eq!(watcher.current().label, "a");
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
    s.write("config/base.yaml", "level: [unclosed\n");
    assert!(matches!(next_event(&events), ReloadEvent::Failed(_)));
    assert_eq!(watcher.current().level, 2);
    s.write("config/base.yaml", "level: 4\n");
    assert!(matches!(next_event(&events), ReloadEvent::Reloaded { .. }));
    assert_eq!(watcher.current().level, 4);
}

#[cfg(unix)]
#[test]
fn a_kubernetes_style_data_symlink_swap_is_seen() {
    use std::os::unix::fs::symlink;
    let s = Scratch::new();
    // The kubelet's layout: config/..2026_1/base.yaml, ..data -> ..2026_1, base.yaml -> ..data/base.yaml
    s.write("config/..2026_1/base.yaml", "level: 5\n");
    let config = s.path().join("config");
    symlink("..2026_1", config.join("..data")).unwrap();
    symlink("..data/base.yaml", config.join("base.yaml")).unwrap();
    let watcher = watch(&s, &[]);
    let events = watcher.subscribe();
    assert_eq!(watcher.current().level, 5);
    // The update: a new timestamped folder, a new link, renamed over ..data atomically.
    s.write("config/..2026_2/base.yaml", "level: 6\n");
    symlink("..2026_2", config.join("..data_tmp")).unwrap();
    std::fs::rename(config.join("..data_tmp"), config.join("..data")).unwrap();
    assert!(matches!(next_event(&events), ReloadEvent::Reloaded { .. }));
    assert_eq!(watcher.current().level, 6);
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
    match next_event(&events) {
        ReloadEvent::Reloaded { config, changed } => {
            assert_eq!(config.token.as_deref(), Some("second-canary"));
            assert_eq!(changed, ["token"]);
            assert!(!format!("{changed:?}").contains("canary"));
        }
        ReloadEvent::Failed(e) => panic!("{e}"),
        _ => unreachable!(),
    }
}

#[test]
fn a_burst_of_writes_is_coalesced() {
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 1\n");
    let watcher = s
        .loader(&[])
        .watch_with::<Settings>(WatchOptions {
            poll_interval: Duration::from_millis(20),
            debounce: Duration::from_millis(400),
        })
        .unwrap();
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
    match next_event(&events) {
        ReloadEvent::Reloaded { changed, .. } => assert!(changed.is_empty()),
        ReloadEvent::Failed(e) => panic!("{e}"),
        _ => unreachable!(),
    }
}
