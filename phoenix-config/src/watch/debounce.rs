//! When to reload after a change: once the inputs held still for the
//! debounce period, and at the latest the maximum wait after the first
//! change, so a writer that never stops still gets its changes applied.

use std::time::{Duration, Instant};

/// What to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Look again after this long.
    Wait(Duration),
    /// Reload now.
    Go,
}

/// The state of one debounce, driven by the caller's clock.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Debounce {
    first: Instant,
    last_change: Instant,
    quiet: Duration,
    max_wait: Duration,
}

impl Debounce {
    /// A change was first seen at `now`.
    pub(crate) fn new(now: Instant, quiet: Duration, max_wait: Duration) -> Self {
        Debounce { first: now, last_change: now, quiet, max_wait }
    }

    /// Another change was seen at `now`.
    pub(crate) fn changed(&mut self, now: Instant) {
        self.last_change = now;
    }

    /// What to do at `now`.
    pub(crate) fn step(&self, now: Instant) -> Step {
        let go_at = (self.last_change + self.quiet).min(self.first + self.max_wait);
        if now >= go_at { Step::Go } else { Step::Wait(go_at - now) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn reloads_once_the_inputs_hold_still() {
        let t0 = Instant::now();
        let mut d = Debounce::new(t0, 100 * MS, 1000 * MS);
        assert_eq!(d.step(t0), Step::Wait(100 * MS));
        d.changed(t0 + 60 * MS);
        assert_eq!(d.step(t0 + 100 * MS), Step::Wait(60 * MS));
        assert_eq!(d.step(t0 + 160 * MS), Step::Go);
    }

    #[test]
    fn a_writer_that_never_stops_is_applied_at_the_maximum_wait() {
        let t0 = Instant::now();
        let mut d = Debounce::new(t0, 100 * MS, 1000 * MS);
        let mut now = t0;
        let mut steps = 0;
        // A change every 10 ms, for ever (262 writes over 3 s and more).
        loop {
            now += 10 * MS;
            d.changed(now);
            steps += 1;
            if d.step(now) == Step::Go {
                break;
            }
            assert!(matches!(d.step(now), Step::Wait(w) if w <= 100 * MS));
        }
        assert_eq!(now - t0, 1000 * MS);
        assert_eq!(steps, 100);
    }

    #[test]
    fn the_wait_never_passes_the_maximum() {
        let t0 = Instant::now();
        let mut d = Debounce::new(t0, 100 * MS, 150 * MS);
        d.changed(t0 + 90 * MS);
        assert_eq!(d.step(t0 + 90 * MS), Step::Wait(60 * MS));
    }
}
