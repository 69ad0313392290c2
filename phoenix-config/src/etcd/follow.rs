//! The background thread that follows an [`EtcdSource`](super::EtcdSource)'s
//! watch stream and moves its change counter.
//!
//! It holds only a weak reference between messages: when the source (every
//! loader and watcher holding it) is dropped, the thread ends at the next
//! message or idle timeout.

use std::sync::{Arc, Weak};
use std::time::Duration;

use super::Inner;
use super::client::{WatchMessage, WatchStream};

/// A quiet stream is reopened after this long (an idle watch carries no
/// traffic; reopening from the last revision is cheap and finds a dead
/// peer that closed nothing).
const IDLE: Duration = Duration::from_secs(30);
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// Starts following from the revision the last load read.
pub(super) fn start(inner: &Arc<Inner>) {
    let weak = Arc::downgrade(inner);
    let next = inner.lock().status.loaded_revision + 1;
    let spawned = std::thread::Builder::new().name("phoenix-config-etcd".to_owned()).spawn(move || run(&weak, next));
    if let Err(error) = spawned {
        inner.lock().status.last_error = Some(format!("cannot start the etcd watch thread: {error}"));
    }
}

fn run(weak: &Weak<Inner>, mut next: i64) {
    let mut backoff = FIRST_BACKOFF;
    let mut down = false;
    while let Some(inner) = weak.upgrade() {
        let key = inner.lock().key.clone();
        let exact = matches!(inner.layout, super::Layout::Document(_));
        match inner.client.watch(&key, exact, next, IDLE) {
            Ok(stream) => {
                back(&inner, &mut down, &stream);
                backoff = FIRST_BACKOFF;
                drop(inner);
                next = follow(weak, stream, next);
            }
            Err(error) => {
                away(&inner, &mut down, error.to_string());
                drop(inner);
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

/// The stream is open; after an outage the watcher reloads (its status clears).
fn back(inner: &Inner, down: &mut bool, stream: &WatchStream) {
    connected(inner, Some(stream.endpoint.clone()), None);
    if std::mem::take(down) {
        inner.bump();
    }
}

/// No endpoint answers; the first time, the watcher reloads (which fails
/// and shows the error while the last good config stays).
fn away(inner: &Inner, down: &mut bool, error: String) {
    connected(inner, None, Some(error));
    if !std::mem::replace(down, true) {
        inner.bump();
    }
}

fn connected(inner: &Inner, endpoint: Option<String>, error: Option<String>) {
    let mut state = inner.lock();
    if endpoint.is_none() && state.status.connected.is_some() {
        state.status.reconnects += 1;
    }
    state.status.connected = endpoint;
    if error.is_some() {
        state.status.last_error = error;
    }
}

/// Reads messages until the stream ends; returns the revision to resume from.
fn follow(weak: &Weak<Inner>, mut stream: WatchStream, mut next: i64) -> i64 {
    loop {
        let message = stream.next();
        let Some(inner) = weak.upgrade() else { return next };
        match message {
            Ok(WatchMessage::Created) => {}
            Ok(WatchMessage::Changed { revision }) => {
                next = revision + 1;
                inner.lock().status.watched_revision = revision;
                inner.bump();
            }
            Ok(WatchMessage::Compacted { compact_revision }) => {
                inner.lock().status.compactions += 1;
                inner.bump(); // changes may be gone from history: reload everything
                return compact_revision;
            }
            Ok(WatchMessage::Canceled(reason)) => {
                inner.client.forget_token();
                broke(&inner, format!("etcd {}: the watch was canceled: {reason}", stream.endpoint));
                return next;
            }
            Err(error) if is_idle(&error) => return next,
            Err(error) => {
                broke(&inner, format!("etcd {}: the watch stream broke: {error}", stream.endpoint));
                return next;
            }
        }
    }
}

fn broke(inner: &Inner, error: String) {
    let mut state = inner.lock();
    state.status.connected = None;
    state.status.reconnects += 1;
    state.status.last_error = Some(error);
}

fn is_idle(error: &std::io::Error) -> bool {
    matches!(error.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)
}
