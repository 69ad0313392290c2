//! [`WatchStatus`]: the health of a watcher, for probes and metrics.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::ConfigError;

/// The health of a [`Watcher`](crate::Watcher), from
/// [`Watcher::status`](crate::Watcher::status).
///
/// ```
/// # use std::time::{Duration, SystemTime};
/// # fn probe(status: phoenix_config::WatchStatus) -> u16 {
/// // A readiness probe: ready unless the files changed and the new
/// // configuration has not been applied for more than a minute.
/// if status.is_ready(Duration::from_secs(60)) { 200 } else { 503 }
/// # }
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct WatchStatus {
    /// How many configurations were applied: 1 after the first load, one
    /// more at every successful reload.
    pub generation: u64,
    /// When the configuration in use was loaded.
    pub last_success: SystemTime,
    /// The error of the last failed reload, if any failed since the start
    /// (kept after a later success; see `consecutive_failures`). Its text
    /// names keys and files, never a secret value.
    pub last_error: Option<Arc<ConfigError>>,
    /// Failed reloads since the last successful one (0: the newest inputs are in use).
    pub consecutive_failures: u32,
    /// Since when the inputs differ from what the configuration in use was
    /// loaded from (`None`: up to date). Set when a change is seen, cleared
    /// when a reload applies it.
    pub stale_since: Option<SystemTime>,
    /// How long the last reload took (loading, validating and applying).
    pub last_duration: Duration,
}

impl WatchStatus {
    /// How long the configuration in use has lagged behind its inputs
    /// (zero when up to date).
    pub fn staleness(&self) -> Duration {
        self.stale_since.map_or(Duration::ZERO, |since| since.elapsed().unwrap_or(Duration::ZERO))
    }

    /// Whether the configuration in use is at most `tolerance` behind its
    /// inputs: the usual readiness check. A broken file keeps the last good
    /// configuration in use; once it stays broken for longer than the
    /// tolerance the watcher stops being ready, so a deploy that pushed a
    /// bad file shows up.
    pub fn is_ready(&self, tolerance: Duration) -> bool {
        self.staleness() <= tolerance
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staleness_counts_from_the_first_unapplied_change() {
        let mut status = WatchStatus {
            generation: 1,
            last_success: SystemTime::now(),
            last_error: None,
            consecutive_failures: 0,
            stale_since: None,
            last_duration: Duration::ZERO,
        };
        assert_eq!(status.staleness(), Duration::ZERO);
        assert!(status.is_ready(Duration::ZERO));
        status.stale_since = SystemTime::now().checked_sub(Duration::from_secs(120));
        assert!(status.staleness() >= Duration::from_secs(120));
        assert!(!status.is_ready(Duration::from_secs(60)));
        assert!(status.is_ready(Duration::from_secs(600)));
    }
}
