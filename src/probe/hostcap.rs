//! The per-host connection cap (`--max-conns-per-host`): however many addresses a name has and
//! however many probes a plan runs on each, no more than N sockets to one host are open at once.
//!
//! A host is the target's host as given (a name, or an IP literal), so a name with twenty
//! addresses shares one budget. Every socket a probe opens takes a [`HostPermit`] first and
//! holds it until the socket is closed; `scan` and `check` share the limiter through
//! [`super::check::RunContext::hosts`]. This module does no I/O of its own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Default for `--max-conns-per-host`: the eight sockets of one endpoint's probes (six versions,
/// the negotiation hello and the full handshake), for two addresses (A and AAAA) at once.
pub const DEFAULT_MAX_CONNS_PER_HOST: usize = 16;

/// Entries kept before idle hosts are pruned from the map.
const PRUNE_AT: usize = 1024;

/// Per-host semaphores, created on first use and dropped when idle.
#[derive(Debug)]
pub struct HostLimiter {
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// One socket's share of its host's budget; released on drop.
#[derive(Debug)]
pub struct HostPermit(#[allow(dead_code)] Option<OwnedSemaphorePermit>);

/// The budget of one host: hand it to every probe of that host.
#[derive(Debug, Clone)]
pub struct HostCap(Option<Arc<Semaphore>>);

impl HostCap {
    /// A cap that never waits (tests and callers with their own bound).
    pub fn unlimited() -> HostCap {
        HostCap(None)
    }

    /// Waits for a free socket slot of this host. A closed semaphore (never closed today)
    /// degrades to no limit rather than failing the probe.
    pub async fn acquire(&self) -> HostPermit {
        match &self.0 {
            Some(sem) => HostPermit(sem.clone().acquire_owned().await.ok()),
            None => HostPermit(None),
        }
    }

    /// Slots free right now (for tests and diagnostics); `None` when unlimited.
    pub fn available(&self) -> Option<usize> {
        self.0.as_ref().map(|s| s.available_permits())
    }
}

impl HostLimiter {
    /// A limiter allowing `per_host` sockets per host (at least one).
    pub fn new(per_host: usize) -> HostLimiter {
        HostLimiter {
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Sockets allowed per host.
    pub fn per_host(&self) -> usize {
        self.per_host
    }

    /// The budget of `host` (case-insensitive, trailing dot ignored).
    pub fn cap(&self, host: &str) -> HostCap {
        let key = host.trim_end_matches('.').to_ascii_lowercase();
        let Ok(mut map) = self.hosts.lock() else {
            // A poisoned lock means a panic elsewhere; probing goes on without the cap.
            return HostCap(None);
        };
        if map.len() >= PRUNE_AT {
            // Hosts no probe holds any more (only the map's reference is left).
            map.retain(|_, sem| Arc::strong_count(sem) > 1);
        }
        let sem = map
            .entry(key)
            .or_insert_with(|| Arc::new(Semaphore::new(self.per_host)))
            .clone();
        HostCap(Some(sem))
    }
}

impl Default for HostLimiter {
    fn default() -> Self {
        HostLimiter::new(DEFAULT_MAX_CONNS_PER_HOST)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_budget_per_host() {
        let l = HostLimiter::new(2);
        let a = l.cap("Example.COM.");
        let a2 = l.cap("example.com");
        let b = l.cap("other.example");
        let p1 = a.acquire().await;
        let _p2 = a2.acquire().await;
        assert_eq!(a.available(), Some(0));
        assert_eq!(b.available(), Some(2));
        // A third socket to the same host waits until one is released.
        let waiting = tokio::time::timeout(std::time::Duration::from_millis(20), a.acquire()).await;
        assert!(waiting.is_err());
        drop(p1);
        let _p3 = a.acquire().await;
        assert_eq!(a2.available(), Some(0));
        assert_eq!(HostCap::unlimited().available(), None);
    }
}
