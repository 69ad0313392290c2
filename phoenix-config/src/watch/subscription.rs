//! [`Subscription`]: a subscriber's mailbox, bounded so that one that never
//! reads keeps at most one old configuration alive.
//!
//! Latest-only with the changes kept: a reload that arrives while the last
//! one is unread replaces it and adds its `changed` paths, so a slow
//! subscriber still learns every path that changed since it last read; a
//! failure after a failure replaces it. The mailbox holds at most two
//! events (a reload and a failure, in the order they happened) and so at
//! most one configuration.

use std::collections::{HashSet, VecDeque};
use std::sync::mpsc::{RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::ReloadEvent;

/// The most events a mailbox holds.
const CAPACITY: usize = 2;

pub(crate) struct Mailbox<T> {
    inbox: Mutex<Inbox<T>>,
    ready: Condvar,
}

struct Inbox<T> {
    events: VecDeque<ReloadEvent<T>>,
    closed: bool,
}

impl<T> Mailbox<T> {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Mailbox { inbox: Mutex::new(Inbox { events: VecDeque::new(), closed: false }), ready: Condvar::new() })
    }

    fn lock(&self) -> MutexGuard<'_, Inbox<T>> {
        self.inbox.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Delivers an event, merging it with unread ones as the module says.
    pub(crate) fn post(&self, event: ReloadEvent<T>) {
        let mut inbox = self.lock();
        coalesce(&mut inbox.events, event);
        drop(inbox);
        self.ready.notify_all();
    }

    /// No more events will come (the watcher is gone).
    pub(crate) fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
    }
}

fn coalesce<T>(events: &mut VecDeque<ReloadEvent<T>>, event: ReloadEvent<T>) {
    match (events.back_mut(), event) {
        (Some(ReloadEvent::Reloaded { config, changed }), ReloadEvent::Reloaded { config: newer, changed: more }) => {
            *config = newer;
            merge(changed, more);
        }
        (Some(ReloadEvent::Failed(error)), ReloadEvent::Failed(newer)) => *error = newer,
        (_, event) => events.push_back(event),
    }
    while events.len() > CAPACITY {
        if let Some(ReloadEvent::Reloaded { changed, .. }) = events.pop_front()
            && let Some(ReloadEvent::Reloaded { changed: later, .. }) =
                events.iter_mut().find(|e| matches!(e, ReloadEvent::Reloaded { .. }))
        {
            let later_paths = std::mem::take(later);
            *later = changed;
            merge(later, later_paths);
        }
    }
}

/// Adds the paths of `more` not in `into` yet, in order (linear).
fn merge(into: &mut Vec<String>, more: Vec<String>) {
    let mut seen: HashSet<String> = into.iter().cloned().collect();
    into.extend(more.into_iter().filter(|path| seen.insert(path.clone())));
}

/// The reload events of a [`Watcher`](crate::Watcher), from
/// [`Watcher::subscribe`](crate::Watcher::subscribe): every reload and failed
/// reload after the call, latest-only when unread (see the module notes: an
/// unread reload is replaced by the next one, its `changed` paths added), so a
/// subscriber that never reads keeps at most one old configuration alive.
///
/// Iterating blocks for each event and ends when the watcher is dropped.
pub struct Subscription<T> {
    mailbox: Arc<Mailbox<T>>,
}

impl<T> std::fmt::Debug for Subscription<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription").field("unread", &self.mailbox.lock().events.len()).finish()
    }
}

impl<T> Subscription<T> {
    pub(crate) fn new(mailbox: Arc<Mailbox<T>>) -> Self {
        Subscription { mailbox }
    }

    /// The next event, waiting for it; `None` once the watcher is dropped.
    pub fn recv(&self) -> Option<ReloadEvent<T>> {
        let inbox = self.mailbox.lock();
        let mut inbox = self
            .mailbox
            .ready
            .wait_while(inbox, |inbox| inbox.events.is_empty() && !inbox.closed)
            .unwrap_or_else(PoisonError::into_inner);
        inbox.events.pop_front()
    }

    /// The next event, waiting at most `timeout`.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<ReloadEvent<T>, RecvTimeoutError> {
        let deadline = Instant::now() + timeout;
        let mut inbox = self.mailbox.lock();
        loop {
            if let Some(event) = inbox.events.pop_front() {
                return Ok(event);
            }
            if inbox.closed {
                return Err(RecvTimeoutError::Disconnected);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(RecvTimeoutError::Timeout);
            }
            inbox = self.mailbox.ready.wait_timeout(inbox, left).unwrap_or_else(PoisonError::into_inner).0;
        }
    }

    /// The next event if one is waiting.
    pub fn try_recv(&self) -> Result<ReloadEvent<T>, TryRecvError> {
        let mut inbox = self.mailbox.lock();
        match inbox.events.pop_front() {
            Some(event) => Ok(event),
            None if inbox.closed => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }
}

impl<T> Iterator for Subscription<T> {
    type Item = ReloadEvent<T>;

    fn next(&mut self) -> Option<ReloadEvent<T>> {
        self.recv()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ConfigError;

    fn reloaded(n: u32, changed: &[&str]) -> ReloadEvent<u32> {
        ReloadEvent::Reloaded { config: Arc::new(n), changed: changed.iter().map(|&s| s.to_owned()).collect() }
    }

    fn failed() -> ReloadEvent<u32> {
        ReloadEvent::Failed(Arc::new(ConfigError::from_issues(Vec::new())))
    }

    fn shape(s: &Subscription<u32>) -> Vec<String> {
        std::iter::from_fn(|| s.try_recv().ok())
            .map(|e| match e {
                ReloadEvent::Reloaded { config, changed } => format!("{config}:{}", changed.join(",")),
                ReloadEvent::Failed(_) => "failed".to_owned(),
            })
            .collect()
    }

    #[test]
    fn unread_reloads_merge_into_the_latest_with_every_changed_path() {
        let mailbox = Mailbox::new();
        let s = Subscription::new(Arc::clone(&mailbox));
        mailbox.post(reloaded(1, &["a"]));
        mailbox.post(reloaded(2, &["b", "a"]));
        mailbox.post(reloaded(3, &["c"]));
        assert_eq!(shape(&s), ["3:a,b,c"]);
    }

    #[test]
    fn a_mailbox_never_holds_more_than_one_configuration() {
        let mailbox = Mailbox::new();
        let s = Subscription::new(Arc::clone(&mailbox));
        let mut weak = Vec::new();
        for n in 0..1000 {
            let config = Arc::new(n);
            weak.push(Arc::downgrade(&config));
            mailbox.post(ReloadEvent::Reloaded { config, changed: vec![format!("k{}", n % 3)] });
            if n % 7 == 0 {
                mailbox.post(failed());
            }
        }
        assert_eq!(weak.iter().filter(|w| w.upgrade().is_some()).count(), 1);
        let events = shape(&s);
        assert!(events.len() <= CAPACITY, "{events:?}");
        assert!(events.iter().any(|e| e.starts_with("999:")), "{events:?}");
        let paths = events.iter().find(|e| e.starts_with("999:")).unwrap();
        for key in ["k0", "k1", "k2"] {
            assert!(paths.contains(key), "{paths}");
        }
    }

    #[test]
    fn a_failure_then_a_reload_keeps_their_order() {
        let mailbox = Mailbox::new();
        let s = Subscription::new(Arc::clone(&mailbox));
        mailbox.post(reloaded(1, &["a"]));
        mailbox.post(failed());
        mailbox.post(failed());
        assert_eq!(shape(&s), ["1:a", "failed"]);
        mailbox.post(failed());
        mailbox.post(reloaded(2, &["b"]));
        assert_eq!(shape(&s), ["failed", "2:b"]);
    }

    #[test]
    fn closing_ends_the_iteration() {
        let mailbox = Mailbox::new();
        let s = Subscription::new(Arc::clone(&mailbox));
        mailbox.post(reloaded(1, &[]));
        mailbox.close();
        assert_eq!(s.count(), 1);
    }
}
