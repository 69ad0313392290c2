//! The reload engine: what a watcher does, whatever it loads.
//!
//! - One loader at a time: the poller and `reload_now` take the same lock
//!   for a whole reload, and a commit is a compare-and-swap of the
//!   generation read when the reload started, so an older load can never
//!   land after a newer one.
//! - No lost update: a load records how every file looked when it read it
//!   (and the fixed sources are looked at before it starts); after the load
//!   the engine looks again, and when anything moved meanwhile it waits for
//!   the debounce and loads again (up to the maximum wait; past it the
//!   result is applied if valid and the next poll sees the difference). What
//!   the load saw becomes the baseline the poller compares with, for a
//!   failed load too, so a file a failed load looked for is followed.
//! - Readers never wait: the configuration in use is an `Arc` behind a lock
//!   held only to clone or replace the pointer; `changed` is computed before,
//!   outside every lock.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, RwLock, Weak};
use std::time::{Duration, Instant, SystemTime};

use super::ReloadEvent;
use super::WatchOptions;
use super::debounce::{Debounce, Step};
use super::fingerprint::{ChangeSource, Look, Observed, RACY, all_same, observe_all};
use super::status::WatchStatus;
use super::subscription::{Mailbox, Subscription};
use crate::ConfigError;

/// One load: its result and what it read, with how each input looked then.
pub(crate) struct Attempt<C, R> {
    pub(crate) result: Result<(C, R), ConfigError>,
    pub(crate) read: Vec<(Arc<dyn ChangeSource>, Observed)>,
}

/// What the engine reloads.
pub(crate) trait Load: Send + Sync + 'static {
    /// The configuration.
    type Config: Send + Sync + 'static;
    /// What `changed` is computed from (the origins of every value).
    type Records: Send + Sync + 'static;
    /// One load.
    fn load(&self) -> Attempt<Self::Config, Self::Records>;
    /// The paths whose value differs between two loads.
    fn changed(&self, old: &Self::Records, new: &Self::Records) -> Vec<String>;
    /// For log events: the settings type.
    fn name(&self) -> &'static str;
    /// The most bytes hashed of one input.
    fn max_bytes(&self) -> u64;
}

/// What the poller follows and how it looked to the last load.
struct Followed {
    sources: Vec<Arc<dyn ChangeSource>>,
    baseline: Vec<Observed>,
}

/// What the last successful load left besides the configuration.
struct Applied<R> {
    records: Arc<R>,
    followed: Arc<Followed>,
}

/// A load after which nothing moved (`calm`), or the last one before the
/// maximum wait.
struct Settled<C, R> {
    result: Result<(C, R), ConfigError>,
    followed: Followed,
    calm: bool,
    attempts: u32,
}

#[derive(Debug)]
struct Health {
    last_success: SystemTime,
    last_error: Option<Arc<ConfigError>>,
    consecutive_failures: u32,
    stale_since: Option<SystemTime>,
    last_duration: Duration,
}

type OnApply<C> = Box<dyn Fn(&Arc<C>) + Send + Sync>;

pub(crate) struct Engine<L: Load> {
    load: L,
    options: WatchOptions,
    /// Followed whatever a load reads (the secrets folder).
    fixed: Vec<Arc<dyn ChangeSource>>,
    current: RwLock<Arc<L::Config>>,
    applied: Mutex<Applied<L::Records>>,
    generation: AtomicU64,
    loading: Mutex<()>,
    subscribers: Mutex<Vec<Weak<Mailbox<L::Config>>>>,
    health: Mutex<Health>,
    on_apply: Mutex<Option<OnApply<L::Config>>>,
    stop: Mutex<bool>,
    wake: Condvar,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

impl<L: Load> Engine<L> {
    /// Loads once (until nothing moved during the load); fails when that load fails.
    pub(crate) fn start(
        load: L,
        options: WatchOptions,
        fixed: Vec<Arc<dyn ChangeSource>>,
    ) -> Result<Arc<Self>, ConfigError> {
        let started = Instant::now();
        let settled = settle(&load, &fixed, &options, started + options.max_wait, |d| {
            std::thread::sleep(d);
            false
        })
        .unwrap_or_else(|| unreachable!("the first load is never stopped"));
        let (config, records) = settled.result?;
        let stale_since = (!settled.calm).then(SystemTime::now);
        Ok(Arc::new(Engine {
            load,
            options,
            fixed,
            current: RwLock::new(Arc::new(config)),
            applied: Mutex::new(Applied { records: Arc::new(records), followed: Arc::new(settled.followed) }),
            generation: AtomicU64::new(1),
            loading: Mutex::new(()),
            subscribers: Mutex::new(Vec::new()),
            health: Mutex::new(Health {
                last_success: SystemTime::now(),
                last_error: None,
                consecutive_failures: 0,
                stale_since,
                last_duration: started.elapsed(),
            }),
            on_apply: Mutex::new(None),
            stop: Mutex::new(false),
            wake: Condvar::new(),
        }))
    }

    /// The configuration in use: a pointer clone under a read lock that a
    /// writer holds only to replace the pointer.
    pub(crate) fn current(&self) -> Arc<L::Config> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    pub(crate) fn records(&self) -> Arc<L::Records> {
        Arc::clone(&lock(&self.applied).records)
    }

    pub(crate) fn subscribe(&self) -> Subscription<L::Config> {
        let mailbox = Mailbox::new();
        let mut subscribers = lock(&self.subscribers);
        subscribers.retain(|s| s.strong_count() > 0);
        subscribers.push(Arc::downgrade(&mailbox));
        Subscription::new(mailbox)
    }

    /// Runs `f` with every configuration applied from now on.
    pub(crate) fn on_apply(&self, f: OnApply<L::Config>) {
        *lock(&self.on_apply) = Some(f);
    }

    pub(crate) fn status(&self) -> WatchStatus {
        let health = lock(&self.health);
        WatchStatus {
            generation: self.generation.load(Ordering::Acquire),
            last_success: health.last_success,
            last_error: health.last_error.clone(),
            consecutive_failures: health.consecutive_failures,
            stale_since: health.stale_since,
            last_duration: health.last_duration,
        }
    }

    /// Stops the poller (and any sleep of a reload) and closes subscriptions.
    pub(crate) fn stop(&self) {
        *lock(&self.stop) = true;
        self.wake.notify_all();
        for mailbox in lock(&self.subscribers).drain(..).filter_map(|s| s.upgrade()) {
            mailbox.close();
        }
    }

    /// Sleeps up to `timeout`; `true` when the watcher is being dropped.
    fn sleep(&self, timeout: Duration) -> bool {
        let stop = lock(&self.stop);
        let (stop, _) =
            self.wake.wait_timeout_while(stop, timeout, |stop| !*stop).unwrap_or_else(PoisonError::into_inner);
        *stop
    }

    fn look(&self) -> Look {
        Look::now(RACY.max(self.options.poll_interval * 2), self.load.max_bytes())
    }

    /// The poller: look, debounce, reload; until stopped.
    pub(crate) fn run(&self) {
        while !self.sleep(self.options.poll_interval) {
            let Some(followed) = self.pending() else { continue };
            lock(&self.health).stale_since.get_or_insert_with(SystemTime::now);
            if !self.debounce(&followed.sources) || self.reload().is_none() {
                return;
            }
        }
    }

    /// What the poller follows, when an input differs from how the last
    /// load saw it (the first one that does is logged at debug level).
    fn pending(&self) -> Option<Arc<Followed>> {
        let followed = Arc::clone(&lock(&self.applied).followed);
        let look = self.look();
        let moved =
            followed.sources.iter().zip(&followed.baseline).find(|(source, seen)| !source.observe(&look).same(seen));
        let (source, _) = moved?;
        tracing::debug!(target: "phoenix_config", input = %source.key().display(), "input changed");
        Some(followed)
    }

    /// Waits until the sources hold still (or the maximum wait); `false` when stopped.
    fn debounce(&self, sources: &[Arc<dyn ChangeSource>]) -> bool {
        let mut debounce = Debounce::new(Instant::now(), self.options.debounce, self.options.max_wait);
        let mut last = observe_all(sources, &self.look());
        loop {
            match debounce.step(Instant::now()) {
                Step::Go => return true,
                Step::Wait(wait) if self.sleep(wait) => return false,
                Step::Wait(_) => {}
            }
            let now = observe_all(sources, &self.look());
            if !all_same(&now, &last) {
                debounce.changed(Instant::now());
                last = now;
            }
        }
    }

    /// One reload, whoever asks: `None` when the watcher is being dropped.
    pub(crate) fn reload(&self) -> Option<Result<Arc<L::Config>, Arc<ConfigError>>> {
        let _one_loader = lock(&self.loading);
        let started = Instant::now();
        let generation = self.generation.load(Ordering::Acquire);
        let deadline = started + self.options.max_wait;
        let mut settled = self.settle(deadline)?;
        if settled.result.is_err() {
            // Maybe a file caught mid-write: read it again after the
            // debounce before reporting a failure.
            if self.sleep(self.options.debounce) {
                return None;
            }
            let attempts = settled.attempts;
            settled = self.settle(deadline)?;
            settled.attempts += attempts;
        }
        Some(self.finish(settled, generation, started))
    }

    fn settle(&self, deadline: Instant) -> Option<Settled<L::Config, L::Records>> {
        settle(&self.load, &self.fixed, &self.options, deadline, |wait| self.sleep(wait))
    }

    fn finish(
        &self,
        settled: Settled<L::Config, L::Records>,
        generation: u64,
        started: Instant,
    ) -> Result<Arc<L::Config>, Arc<ConfigError>> {
        let Settled { result, followed, calm, attempts } = settled;
        match result {
            Ok((config, records)) => Ok(self.apply(config, records, followed, calm, (generation, attempts, started))),
            Err(error) => Err(self.fail(error, followed, attempts, started)),
        }
    }

    fn apply(
        &self,
        config: L::Config,
        records: L::Records,
        followed: Followed,
        calm: bool,
        (generation, attempts, started): (u64, u32, Instant),
    ) -> Arc<L::Config> {
        let (config, records) = (Arc::new(config), Arc::new(records));
        let old = self.records();
        let changed = self.load.changed(&old, &records);
        drop(old);
        // The one loader holds the lock, so this cannot fail; it is the
        // check that no older load lands after a newer one.
        if self.generation.compare_exchange(generation, generation + 1, Ordering::AcqRel, Ordering::Acquire).is_err() {
            return self.current();
        }
        *lock(&self.applied) = Applied { records, followed: Arc::new(followed) };
        let previous =
            std::mem::replace(&mut *self.current.write().unwrap_or_else(PoisonError::into_inner), Arc::clone(&config));
        drop(previous); // outside the lock: dropping an old config may be slow
        if let Some(on_apply) = &*lock(&self.on_apply) {
            on_apply(&config);
        }
        let took = started.elapsed();
        self.healthy(calm, took);
        tracing::info!(
            target: "phoenix_config",
            settings = self.load.name(),
            outcome = "applied",
            generation = generation + 1,
            changed = changed.len(),
            attempts,
            micros = micros(took),
            "configuration reloaded"
        );
        self.publish(&ReloadEvent::Reloaded { config: Arc::clone(&config), changed });
        config
    }

    fn healthy(&self, calm: bool, took: Duration) {
        let mut health = lock(&self.health);
        health.last_success = SystemTime::now();
        health.consecutive_failures = 0;
        health.last_duration = took;
        if calm {
            health.stale_since = None;
        } else {
            health.stale_since.get_or_insert_with(SystemTime::now);
        }
    }

    fn fail(&self, error: ConfigError, followed: Followed, attempts: u32, started: Instant) -> Arc<ConfigError> {
        let error = Arc::new(error);
        // The failed load's inputs are followed too (a file it looked for).
        lock(&self.applied).followed = Arc::new(followed);
        let took = started.elapsed();
        let failures = {
            let mut health = lock(&self.health);
            health.last_error = Some(Arc::clone(&error));
            health.consecutive_failures += 1;
            health.stale_since.get_or_insert_with(SystemTime::now);
            health.last_duration = took;
            health.consecutive_failures
        };
        tracing::error!(
            target: "phoenix_config",
            settings = self.load.name(),
            outcome = "failed",
            problems = error.issues().len(),
            consecutive_failures = failures,
            attempts,
            micros = micros(took),
            "configuration reload failed, keeping the last good configuration: {error}"
        );
        self.publish(&ReloadEvent::Failed(Arc::clone(&error)));
        error
    }

    fn publish(&self, event: &ReloadEvent<L::Config>) {
        let mut subscribers = lock(&self.subscribers);
        subscribers.retain(|subscriber| match subscriber.upgrade() {
            Some(mailbox) => {
                mailbox.post(event.clone());
                true
            }
            None => false,
        });
    }
}

/// Loads until nothing moved during the load, or the deadline passed;
/// `sleep` returns `true` to stop (`None`).
fn settle<L: Load>(
    load: &L,
    fixed: &[Arc<dyn ChangeSource>],
    options: &WatchOptions,
    deadline: Instant,
    sleep: impl Fn(Duration) -> bool,
) -> Option<Settled<L::Config, L::Records>> {
    let racy = RACY.max(options.poll_interval * 2);
    let mut attempts = 0;
    loop {
        attempts += 1;
        let before = observe_all(fixed, &Look::now(racy, load.max_bytes()));
        let attempt = load.load();
        let mut sources = fixed.to_vec();
        let mut baseline = before;
        for (source, seen) in attempt.read {
            sources.push(source);
            baseline.push(seen);
        }
        let after = observe_all(&sources, &Look::now(racy, load.max_bytes()));
        let calm = all_same(&after, &baseline);
        if calm || Instant::now() >= deadline {
            return Some(Settled { result: attempt.result, followed: Followed { sources, baseline }, calm, attempts });
        }
        if sleep(options.debounce) {
            return None;
        }
    }
}

#[cfg(test)]
mod tests;
