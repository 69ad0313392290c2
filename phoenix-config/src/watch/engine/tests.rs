//! The races of a reload, made deterministic: a fake load reads in-memory
//! inputs and runs a hook in the middle of each load, where a real file
//! would change at the worst moment.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32};
use std::sync::mpsc;

use super::*;
use crate::{Issue, IssueKind};

/// Named values; 0 stands for a missing input.
#[derive(Default)]
struct World {
    values: Mutex<HashMap<&'static str, u64>>,
}

impl World {
    fn get(&self, name: &str) -> u64 {
        lock(&self.values).get(name).copied().unwrap_or(0)
    }

    fn set(&self, name: &'static str, value: u64) {
        lock(&self.values).insert(name, value);
    }
}

/// One named value of the world as a watched input.
#[derive(Debug)]
struct Input {
    world: Arc<WorldRef>,
    path: PathBuf,
    name: &'static str,
}

struct WorldRef(Arc<World>);

impl std::fmt::Debug for WorldRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("World")
    }
}

impl ChangeSource for Input {
    fn key(&self) -> &Path {
        &self.path
    }

    fn observe(&self, _: &Look) -> Observed {
        Observed::Revision(self.world.0.get(self.name))
    }
}

type Hook = Box<dyn FnMut(u32) + Send>;

/// Reads `a` and `b`, then runs the hook; when `a` is 100 or more it also
/// reads `c` (a `.env` naming another `_FILE`), and fails when `c` is missing.
/// `a` 0 or `fail_next` set: an invalid load.
struct Fake {
    world: Arc<World>,
    hook: Mutex<Option<Hook>>,
    loads: AtomicU32,
    in_load: AtomicBool,
    fail_next: AtomicBool,
    changed_gate: Mutex<Option<(mpsc::Sender<()>, mpsc::Receiver<()>)>>,
}

impl Fake {
    fn new(world: &Arc<World>) -> Self {
        Fake {
            world: Arc::clone(world),
            hook: Mutex::new(None),
            loads: AtomicU32::new(0),
            in_load: AtomicBool::new(false),
            fail_next: AtomicBool::new(false),
            changed_gate: Mutex::new(None),
        }
    }

    fn read(&self, name: &'static str, read: &mut Vec<(Arc<dyn ChangeSource>, Observed)>) -> u64 {
        let value = self.world.get(name);
        let input = Input { world: Arc::new(WorldRef(Arc::clone(&self.world))), path: PathBuf::from(name), name };
        read.push((Arc::new(input), Observed::Revision(value)));
        value
    }
}

fn invalid(what: &str) -> ConfigError {
    ConfigError::single(Issue::new(IssueKind::Invalid, what, "invalid"))
}

impl Load for Fake {
    type Config = (u64, u64, u64);
    type Records = (u64, u64, u64);

    fn load(&self) -> Attempt<Self::Config, Self::Records> {
        assert!(!self.in_load.swap(true, Ordering::SeqCst), "two loads at once");
        let n = self.loads.fetch_add(1, Ordering::SeqCst);
        let mut read = Vec::new();
        let a = self.read("a", &mut read);
        let b = self.read("b", &mut read);
        let c = if a >= 100 { self.read("c", &mut read) } else { 0 };
        // After every read: a change now is one the load did not see.
        if let Some(hook) = &mut *lock(&self.hook) {
            hook(n);
        }
        let result = if a == 0 || self.fail_next.swap(false, Ordering::SeqCst) {
            Err(invalid("a"))
        } else if a >= 100 && c == 0 {
            Err(invalid("c"))
        } else {
            Ok(((a, b, c), (a, b, c)))
        };
        self.in_load.store(false, Ordering::SeqCst);
        Attempt { result, read }
    }

    fn changed(&self, old: &Self::Records, new: &Self::Records) -> Vec<String> {
        if let Some((inside, release)) = &*lock(&self.changed_gate) {
            inside.send(()).unwrap();
            release.recv().unwrap();
        }
        let mut changed = Vec::new();
        for (name, (x, y)) in [("a", (old.0, new.0)), ("b", (old.1, new.1)), ("c", (old.2, new.2))] {
            if x != y {
                changed.push(name.to_owned());
            }
        }
        changed
    }

    fn name(&self) -> &'static str {
        "Fake"
    }

    fn max_bytes(&self) -> u64 {
        0
    }
}

const OPTIONS: WatchOptions = WatchOptions {
    poll_interval: Duration::from_millis(5),
    debounce: Duration::from_millis(1),
    max_wait: Duration::from_secs(30),
};

fn world(a: u64, b: u64) -> Arc<World> {
    let world = Arc::new(World::default());
    world.set("a", a);
    world.set("b", b);
    world
}

fn start(fake: Fake) -> Arc<Engine<Fake>> {
    Engine::start(fake, OPTIONS, Vec::new()).unwrap_or_else(|e| panic!("{e}"))
}

fn set_hook(engine: &Engine<Fake>, hook: impl FnMut(u32) + Send + 'static) {
    *lock(&engine.load.hook) = Some(Box::new(hook));
}

#[test]
fn a_change_during_the_first_load_is_not_lost() {
    let world = world(1, 1);
    let fake = Fake::new(&world);
    let w = Arc::clone(&world);
    *lock(&fake.hook) = Some(Box::new(move |n| {
        if n == 0 {
            w.set("a", 2); // after it was read
        }
    }));
    let engine = start(fake);
    assert_eq!(*engine.current(), (2, 1, 0));
    assert_eq!(engine.load.loads.load(Ordering::SeqCst), 2);
    assert!(engine.pending().is_none());
    assert!(engine.status().stale_since.is_none());
}

#[test]
fn a_change_during_a_reload_that_changes_the_inputs_is_not_lost() {
    let world = world(1, 1);
    let engine = start(Fake::new(&world));
    world.set("a", 100);
    world.set("c", 5);
    let w = Arc::clone(&world);
    set_hook(&engine, move |_| {
        if w.get("c") == 5 {
            w.set("c", 6); // the new input changes while it is being read
        }
    });
    assert_eq!(*engine.reload().unwrap().unwrap(), (100, 1, 6));
    assert!(engine.pending().is_none());
    world.set("c", 7);
    assert!(engine.pending().is_some(), "the new input is followed");
}

#[test]
fn a_failed_loads_inputs_are_followed() {
    let world = world(1, 1);
    let engine = start(Fake::new(&world));
    let events = engine.subscribe();
    world.set("a", 100); // names `c`, which does not exist yet
    assert!(engine.reload().unwrap().is_err());
    assert!(matches!(events.try_recv(), Ok(ReloadEvent::Failed(_))));
    assert!(engine.pending().is_none());
    world.set("c", 9); // created later
    assert!(engine.pending().is_some(), "creating the file a failed load looked for is seen");
    assert_eq!(*engine.reload().unwrap().unwrap(), (100, 1, 9));
    let status = engine.status();
    assert_eq!((status.generation, status.consecutive_failures), (2, 0));
    assert!(status.last_error.is_some() && status.stale_since.is_none());
}

#[test]
fn reload_now_racing_the_poller_never_lands_an_older_load_last() {
    let world = world(1, 1);
    let engine = start(Fake::new(&world));
    let events = engine.subscribe();
    let (w, e) = (Arc::clone(&world), Arc::downgrade(&engine));
    let (spawned_tx, spawned_rx) = mpsc::channel();
    set_hook(&engine, move |n| {
        if n == 1 {
            // The first reload has read `a`; the newest value lands and a
            // second reload starts, as `reload_now` would, while this one runs.
            w.set("a", 3);
            let engine = e.upgrade().unwrap();
            spawned_tx.send(std::thread::spawn(move || engine.reload())).unwrap();
        }
    });
    world.set("a", 2);
    let first = engine.reload().unwrap().unwrap();
    let second = spawned_rx.recv().unwrap().join().unwrap().unwrap().unwrap();
    assert_eq!((*first, *second, *engine.current()), ((3, 1, 0), (3, 1, 0), (3, 1, 0)));
    let applied: Vec<u64> = std::iter::from_fn(|| events.try_recv().ok())
        .map(|e| match e {
            ReloadEvent::Reloaded { config, .. } => config.0,
            ReloadEvent::Failed(e) => panic!("{e}"),
        })
        .collect();
    assert_eq!(applied, [3], "one merged reload event, the newest");
    assert_eq!(engine.status().generation, 3);
}

#[test]
fn a_file_seen_mid_write_is_read_again_before_a_failure_is_reported() {
    let world = world(1, 1);
    let engine = start(Fake::new(&world));
    let events = engine.subscribe();
    world.set("b", 2);
    engine.load.fail_next.store(true, Ordering::SeqCst); // half-written when first read
    assert_eq!(*engine.reload().unwrap().unwrap(), (1, 2, 0));
    assert!(matches!(events.try_recv(), Ok(ReloadEvent::Reloaded { .. })));
    assert!(events.try_recv().is_err(), "no failure was reported");
    assert_eq!(engine.status().consecutive_failures, 0);
}

#[test]
fn a_real_failure_is_reported_counted_and_cleared() {
    let world = world(1, 1);
    let engine = start(Fake::new(&world));
    world.set("a", 0);
    assert!(engine.reload().unwrap().is_err());
    assert!(engine.reload().unwrap().is_err());
    let status = engine.status();
    assert_eq!((status.generation, status.consecutive_failures), (1, 2));
    assert!(status.stale_since.is_some() && status.last_error.is_some());
    assert_eq!(*engine.current(), (1, 1, 0), "the last good configuration stays");
    world.set("a", 4);
    assert!(engine.reload().unwrap().is_ok());
    let status = engine.status();
    assert_eq!((status.generation, status.consecutive_failures), (2, 0));
    assert!(status.stale_since.is_none());
}

#[test]
fn readers_do_not_wait_while_changed_is_computed() {
    let world = world(1, 1);
    let engine = start(Fake::new(&world));
    let (inside_tx, inside_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel();
    *lock(&engine.load.changed_gate) = Some((inside_tx, release_rx));
    world.set("a", 2);
    let reloader = {
        let engine = Arc::clone(&engine);
        std::thread::spawn(move || engine.reload())
    };
    inside_rx.recv().unwrap(); // the reload is computing `changed`
    let (read_tx, read_rx) = mpsc::channel();
    let reader = {
        let engine = Arc::clone(&engine);
        std::thread::spawn(move || read_tx.send((*engine.current(), engine.status().generation)).unwrap())
    };
    let seen = read_rx.recv_timeout(Duration::from_secs(20)).expect("current() and status() did not wait");
    assert_eq!(seen, ((1, 1, 0), 1));
    release_tx.send(()).unwrap();
    reader.join().unwrap();
    assert_eq!(*reloader.join().unwrap().unwrap().unwrap(), (2, 1, 0));
}

#[test]
fn the_poller_reloads_on_a_change_and_stops_when_asked() {
    let world = world(1, 1);
    let engine = start(Fake::new(&world));
    let events = engine.subscribe();
    let poller = {
        let engine = Arc::clone(&engine);
        std::thread::spawn(move || engine.run())
    };
    world.set("b", 8);
    match events.recv_timeout(Duration::from_secs(20)) {
        Ok(ReloadEvent::Reloaded { config, changed }) => {
            assert_eq!(*config, (1, 8, 0));
            assert_eq!(changed, ["b"]);
        }
        other => panic!("{other:?}"),
    }
    engine.stop();
    poller.join().unwrap();
    assert!(events.recv().is_none(), "the subscription ends with the watcher");
}

#[test]
fn a_writer_that_never_stops_is_applied_at_the_maximum_wait() {
    let world = world(1, 1);
    let options = WatchOptions { max_wait: Duration::ZERO, ..OPTIONS };
    let engine = Engine::start(Fake::new(&world), options, Vec::new()).unwrap();
    let w = Arc::clone(&world);
    set_hook(&engine, move |_| w.set("b", w.get("b") + 1)); // every load sees a change
    let config = engine.reload().unwrap().unwrap();
    assert_eq!(config.0, 1);
    assert!(engine.pending().is_some(), "the next poll loads again");
    assert!(engine.status().stale_since.is_some());
}
