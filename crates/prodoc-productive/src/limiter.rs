//! Client-side rate limiting over sliding windows, shared by every request of a client.

use crate::config::{Limits, Window};
use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// A slot taken for one request; hand it back with [`Limiter::finish`] when the response is in.
#[derive(Debug)]
pub(crate) struct Slot(u64);

#[derive(Debug, Default)]
struct State {
    next: u64,
    /// (slot, time) in slot order. A slot's time is when it was taken and, once finished, when
    /// its response arrived: the server counted the request somewhere in between, so expiring
    /// it from the later time never lets us run ahead of the server's window.
    short: VecDeque<(u64, Instant)>,
    long: VecDeque<(u64, Instant)>,
    /// Set by a 429: nobody sends before then.
    paused_until: Option<Instant>,
}

/// Both windows behind one lock, so that concurrent requests share them.
#[derive(Debug)]
pub(crate) struct Limiter {
    limits: Limits,
    state: Mutex<State>,
}

fn prune(entries: &mut VecDeque<(u64, Instant)>, window: Window, now: Instant) {
    entries.retain(|(_, t)| *t + window.length > now);
}

/// How long until the window has room, or `None` when it has room now.
fn wait_for(entries: &VecDeque<(u64, Instant)>, window: Window, now: Instant) -> Option<Duration> {
    if entries.len() < window.max {
        return None;
    }
    // The window frees up when enough entries expire to leave one place.
    let mut times: Vec<Instant> = entries.iter().map(|(_, t)| *t + window.length).collect();
    times.sort_unstable();
    let index = entries.len() - window.max;
    times.get(index).map(|t| {
        t.saturating_duration_since(now)
            .max(Duration::from_millis(1))
    })
}

impl Limiter {
    pub(crate) fn new(limits: Limits) -> Self {
        Self {
            limits,
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the windows inconsistent: every update is one push or
        // one assignment.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes a slot if both windows (and any 429 pause) allow a request now; otherwise says how
    /// long to wait before asking again.
    pub(crate) fn try_acquire(&self) -> Result<Slot, Duration> {
        let mut state = self.lock();
        let now = Instant::now();
        prune(&mut state.short, self.limits.short, now);
        prune(&mut state.long, self.limits.long, now);
        let paused = state
            .paused_until
            .filter(|until| *until > now)
            .map(|until| until - now);
        let wait = paused
            .or_else(|| wait_for(&state.short, self.limits.short, now))
            .or_else(|| wait_for(&state.long, self.limits.long, now));
        if let Some(wait) = wait {
            return Err(wait);
        }
        let id = state.next;
        state.next += 1;
        state.short.push_back((id, now));
        state.long.push_back((id, now));
        Ok(Slot(id))
    }

    /// Marks a slot's request as answered (or failed): the window counts it from now.
    pub(crate) fn finish(&self, slot: Slot) {
        let mut guard = self.lock();
        let state = &mut *guard;
        let now = Instant::now();
        for entries in [&mut state.short, &mut state.long] {
            if let Some(entry) = entries.iter_mut().rev().find(|(id, _)| *id == slot.0) {
                entry.1 = now;
            }
        }
    }

    /// Holds every request back for `wait` (a 429's reset time).
    pub(crate) fn pause(&self, wait: Duration) {
        let mut state = self.lock();
        let until = Instant::now() + wait;
        if state.paused_until.is_none_or(|current| current < until) {
            state.paused_until = Some(until);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    fn limits(short: usize, long: usize) -> Limits {
        Limits {
            short: Window {
                max: short,
                length: Duration::from_secs(60),
            },
            long: Window {
                max: long,
                length: Duration::from_secs(600),
            },
        }
    }

    #[test]
    fn the_short_window_admits_its_maximum() {
        let limiter = Limiter::new(limits(3, 100));
        for _ in 0..3 {
            let slot = limiter.try_acquire().unwrap();
            limiter.finish(slot);
        }
        let wait = limiter.try_acquire().unwrap_err();
        assert!(wait <= Duration::from_secs(60));
    }

    #[test]
    fn the_long_window_counts_too() {
        let limiter = Limiter::new(limits(100, 2));
        limiter.try_acquire().unwrap();
        limiter.try_acquire().unwrap();
        let wait = limiter.try_acquire().unwrap_err();
        assert!(wait > Duration::from_secs(60) && wait <= Duration::from_secs(600));
    }

    #[test]
    fn a_pause_holds_everyone_back() {
        let limiter = Limiter::new(limits(100, 100));
        limiter.pause(Duration::from_secs(30));
        assert!(limiter.try_acquire().is_err());
    }
}
