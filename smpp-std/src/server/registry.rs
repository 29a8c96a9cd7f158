//! The sessions of a server and what it admits: a budget for connections
//! that have not bound, per source and in all, a cap on bound sessions,
//! and counters of every refusal.

use core::net::{IpAddr, SocketAddr};
use core::sync::atomic::{AtomicU64, Ordering};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::session::Handle;

/// What a server admits ([`Server`](super::Server)'s `with_*` settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::struct_field_names)]
pub(crate) struct Limits {
    /// Bound sessions at once.
    pub(crate) max_sessions: usize,
    /// Connections that have not bound yet, at once.
    pub(crate) max_unbound: usize,
    /// Connections from one source address that have not bound yet.
    pub(crate) max_unbound_per_source: usize,
}

impl Limits {
    pub(crate) const DEFAULT: Self = Self {
        max_sessions: usize::MAX,
        max_unbound: 512,
        max_unbound_per_source: 64,
    };
}

/// What a server has admitted and refused: a snapshot
/// ([`ServerHandle::stats`](super::ServerHandle::stats)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerStats {
    /// Connections accepted since the server started.
    pub connections: u64,
    /// Sessions bound now.
    pub bound: usize,
    /// Connections open now that have not bound.
    pub unbound: usize,
    /// Connections that had not bound, closed to make room for a newer
    /// one: the unbound budget was spent.
    pub evicted_unbound: u64,
    /// Connections that had not bound, closed to make room for a newer
    /// one from the same source address: its budget was spent.
    pub evicted_per_source: u64,
    /// Binds refused (`ESME_RBINDFAIL`) because as many sessions as
    /// allowed were bound.
    pub binds_refused_full: u64,
    /// Sessions closed since the server started.
    pub closed: u64,
}

/// One connection of the server.
#[derive(Debug)]
struct Entry {
    handle: Handle,
    source: Option<IpAddr>,
    bound: bool,
}

#[derive(Debug, Default)]
struct State {
    sessions: HashMap<u64, Entry>,
    /// The connections that have not bound, oldest first.
    unbound: BTreeSet<u64>,
    /// Unbound connections per source address.
    per_source: HashMap<IpAddr, usize>,
    bound: usize,
    next: u64,
}

/// The sessions of a server, by connection, and its admission.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    state: Mutex<State>,
    connections: AtomicU64,
    evicted_unbound: AtomicU64,
    evicted_per_source: AtomicU64,
    binds_refused_full: AtomicU64,
    closed: AtomicU64,
}

impl Registry {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a new connection, unbound. To stay within the budgets of
    /// unbound connections (from its source, and in all), the oldest
    /// unbound ones are closed: a flood of idle connections can delay a
    /// binding ESME by no more than its own bind takes.
    pub(crate) fn insert(&self, handle: Handle, peer: Option<SocketAddr>, limits: Limits) -> u64 {
        let source = peer.map(|p| p.ip().to_canonical());
        let mut evict = Vec::new();
        let mut state = self.lock();
        if let Some(source) = source
            && state.per_source.get(&source).copied().unwrap_or(0) >= limits.max_unbound_per_source
        {
            let oldest = state.unbound.iter().copied().find(|id| {
                state
                    .sessions
                    .get(id)
                    .is_some_and(|e| e.source == Some(source))
            });
            if let Some(id) = oldest {
                evict.extend(state.forget_unbound(id));
                self.evicted_per_source.fetch_add(1, Ordering::Relaxed);
            }
        }
        while state.unbound.len() >= limits.max_unbound.max(1) {
            let Some(&id) = state.unbound.first() else {
                break;
            };
            evict.extend(state.forget_unbound(id));
            self.evicted_unbound.fetch_add(1, Ordering::Relaxed);
        }
        let id = state.next;
        state.next += 1;
        state.sessions.insert(
            id,
            Entry {
                handle,
                source,
                bound: false,
            },
        );
        state.unbound.insert(id);
        if let Some(source) = source {
            *state.per_source.entry(source).or_default() += 1;
        }
        drop(state);
        self.connections.fetch_add(1, Ordering::Relaxed);
        for handle in evict {
            handle.close();
        }
        id
    }

    /// A bind is about to be accepted: takes a place among the bound
    /// sessions, or refuses (false) when none is left.
    pub(crate) fn admit(&self, id: u64, limits: Limits) -> bool {
        let mut state = self.lock();
        if state.sessions.get(&id).is_some_and(|e| e.bound) {
            return true;
        }
        if state.bound >= limits.max_sessions {
            drop(state);
            self.binds_refused_full.fetch_add(1, Ordering::Relaxed);
            return false;
        }
        state.release_unbound(id);
        if let Some(entry) = state.sessions.get_mut(&id) {
            entry.bound = true;
            state.bound += 1;
        }
        true
    }

    /// The connection closed.
    pub(crate) fn remove(&self, id: u64) {
        let mut state = self.lock();
        state.release_unbound(id);
        if state.sessions.remove(&id).is_some_and(|e| e.bound) {
            state.bound -= 1;
        }
        drop(state);
        self.closed.fetch_add(1, Ordering::Relaxed);
    }

    /// Every session, bound or not.
    pub(crate) fn handles(&self) -> Vec<Handle> {
        self.lock()
            .sessions
            .values()
            .map(|e| e.handle.clone())
            .collect()
    }

    pub(crate) fn stats(&self) -> ServerStats {
        let state = self.lock();
        ServerStats {
            connections: self.connections.load(Ordering::Relaxed),
            bound: state.bound,
            unbound: state.unbound.len(),
            evicted_unbound: self.evicted_unbound.load(Ordering::Relaxed),
            evicted_per_source: self.evicted_per_source.load(Ordering::Relaxed),
            binds_refused_full: self.binds_refused_full.load(Ordering::Relaxed),
            closed: self.closed.load(Ordering::Relaxed),
        }
    }
}

impl State {
    /// Takes `id` off the unbound connections (it binds, or closes).
    fn release_unbound(&mut self, id: u64) {
        if !self.unbound.remove(&id) {
            return;
        }
        let source = self.sessions.get(&id).and_then(|e| e.source);
        if let Some(source) = source
            && let Some(n) = self.per_source.get_mut(&source)
        {
            *n -= 1;
            if *n == 0 {
                self.per_source.remove(&source);
            }
        }
    }

    /// Takes an unbound connection off the books, to be closed; its entry
    /// stays until its session ends.
    fn forget_unbound(&mut self, id: u64) -> Option<Handle> {
        self.release_unbound(id);
        self.sessions.get(&id).map(|e| e.handle.clone())
    }
}
