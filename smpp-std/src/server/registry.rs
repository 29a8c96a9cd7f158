//! The sessions of a server and what it admits: a budget for connections
//! that have not bound, per source and in all, caps on bound sessions in
//! all and per account (`system_id`), each account's message quota shared
//! by its sessions, and counters of every refusal.

use core::net::{IpAddr, SocketAddr};
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use core::time::Duration;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use smpp_core::CommandStatus;
use smpp_core::session::BindType;
use tokio::sync::watch;
use tokio::time::Instant;

use crate::session::{BindInfo, Handle, lock};

/// What a server admits ([`Server`](super::Server)'s `with_*` settings).
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::struct_field_names)]
pub(crate) struct Limits {
    /// Bound sessions at once.
    pub(crate) max_sessions: usize,
    /// Connections that have not bound yet, at once.
    pub(crate) max_unbound: usize,
    /// Connections from one source address that have not bound yet.
    pub(crate) max_unbound_per_source: usize,
    /// What an account may do, unless it has limits of its own.
    pub(crate) account: AccountLimits,
    /// Accounts with limits of their own, by `system_id`.
    pub(crate) accounts: HashMap<Bytes, AccountLimits>,
    /// The status of a bind beyond an account's `max_binds`.
    pub(crate) bind_limit_status: CommandStatus,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_sessions: usize::MAX,
            max_unbound: 512,
            max_unbound_per_source: 64,
            account: AccountLimits::default(),
            accounts: HashMap::new(),
            bind_limit_status: CommandStatus::ESME_RALYBND,
        }
    }
}

impl Limits {
    fn account(&self, system_id: &[u8]) -> AccountLimits {
        self.accounts
            .get(system_id)
            .copied()
            .unwrap_or(self.account)
    }
}

/// What one account (one `system_id`) may do on a server
/// ([`Server::with_account_limits`](super::Server::with_account_limits),
/// [`Server::with_account`](super::Server::with_account)).
///
/// One bind per account, refused with `ESME_RBINDFAIL` beyond; the
/// account `bulk` may bind twice, and send one message per second from
/// each session:
///
/// ```
/// use smpp_core::session::{BindType, Config};
/// use smpp_core::CommandStatus;
/// use smpp_std::server::AccountLimits;
/// use smpp_std::session::Error;
/// use smpp_std::{SubmitSmBuilder, client};
/// # use std::sync::Arc;
/// # use smpp_std::server::{BindRequest, Context, Handler, Server};
/// # use smpp_std::session::Answer;
/// # struct Smsc;
/// # impl Handler for Smsc {
/// #     async fn bind(&self, _: &Context, _: &BindRequest) -> CommandStatus { CommandStatus::ESME_ROK }
/// #     async fn request(&self, _: &Context, _: smpp_std::Pdu) -> Answer { Answer::message_id("1") }
/// # }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let every = AccountLimits::UNLIMITED.with_max_binds(1).with_max_messages_per_second(100);
/// let bulk = AccountLimits::UNLIMITED.with_max_binds(2).with_max_messages_per_session(1);
/// let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc))
///     .await?
///     .with_account_limits(every)
///     .with_account("bulk", bulk)
///     .with_bind_limit_status(CommandStatus::ESME_RBINDFAIL);
/// let addr = server.local_addr()?;
/// let smsc = server.handle();
/// tokio::spawn(server.run());
///
/// let esme = |system_id| Config::esme(BindType::Transmitter).with_system_id(system_id);
/// let (_shop, _) = client::connect(addr, esme("shop")?).await?;
/// let again = client::connect(addr, esme("shop")?).await;
/// assert!(matches!(again, Err(Error::BindRefused(CommandStatus::ESME_RBINDFAIL))));
/// assert_eq!(smsc.stats().binds_refused_account, 1);
///
/// let (bulk, _) = client::connect(addr, esme("bulk")?).await?;
/// let (_bulk_2, _) = client::connect(addr, esme("bulk")?).await?;
/// let submit = || SubmitSmBuilder::new(0).destination_addr("447700900123").build();
/// assert!(bulk.submit_sm(submit()?).await?.is_ok());
/// let too_soon = bulk.submit_sm(submit()?).await?;
/// assert_eq!(too_soon.command_status, CommandStatus::ESME_RTHROTTLED);
/// assert_eq!(smsc.stats().throttled, 1);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct AccountLimits {
    /// The most sessions the account may have bound at once (a bind
    /// beyond is refused with the server's bind limit status,
    /// `ESME_RALYBND` by default). A session that unbound counts no
    /// more, though its connection may stay open a while; one whose ESME
    /// vanished without closing its connection counts until the session
    /// notices (its `enquire_link` unanswered: the `enquire_link_timer`,
    /// then the `response_timer`), so an ESME that reconnects at once may
    /// be refused until then. `None`: no limit.
    pub max_binds: Option<usize>,
    /// The messages (`submit_sm`, `submit_multi`, `data_sm`,
    /// `broadcast_sm`) the account may send per second, over all its
    /// sessions together: they draw on one allowance of a second's worth
    /// (a burst of up to `per_second` at once, then `per_second` a
    /// second), whichever sends them, so receivers and idle sessions of
    /// the account take none of it. One beyond is answered
    /// `ESME_RTHROTTLED` without reaching the handler. `Some(0)`: every
    /// message is refused so; `None`: no limit.
    pub max_messages_per_second: Option<u32>,
    /// The messages each session of the account may send per second, on
    /// top of the account's quota; one beyond is answered
    /// `ESME_RTHROTTLED` without reaching the handler. `Some(0)`: every
    /// message is refused so; `None`: no limit.
    pub max_messages_per_session: Option<u32>,
}

impl AccountLimits {
    /// No limit.
    ///
    /// See the example on [`AccountLimits`].
    pub const UNLIMITED: Self = Self {
        max_binds: None,
        max_messages_per_second: None,
        max_messages_per_session: None,
    };

    /// At most `max` sessions bound at once.
    ///
    /// See the example on [`AccountLimits`].
    #[must_use]
    pub const fn with_max_binds(mut self, max: usize) -> Self {
        self.max_binds = Some(max);
        self
    }

    /// At most `per_second` messages per second over all sessions.
    ///
    /// See the example on [`AccountLimits`].
    #[must_use]
    pub const fn with_max_messages_per_second(mut self, per_second: u32) -> Self {
        self.max_messages_per_second = Some(per_second);
        self
    }

    /// At most `per_second` messages per second from each session.
    ///
    /// See the example on [`AccountLimits`].
    #[must_use]
    pub const fn with_max_messages_per_session(mut self, per_second: u32) -> Self {
        self.max_messages_per_session = Some(per_second);
        self
    }
}

/// What a server has admitted and refused: a snapshot
/// ([`ServerHandle::stats`](super::ServerHandle::stats)).
///
/// The counters are taken together, as of one instant. A connection
/// closed to make room for another (`evicted_*`) is counted as closed once
/// its session has ended; until then it is in none of `bound`, `unbound`
/// and `closed`. So `closed + bound + unbound` never exceeds
/// `connections`, and equals it once every such session has ended.
///
/// See the examples on [`Server`](super::Server) (a bind refused for want
/// of room), [`AccountLimits`] (refused for the account, throttled) and
/// [`ServerHandle::serve`](super::ServerHandle::serve) (sessions closed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerStats {
    /// Connections accepted since the server started (over TLS, from
    /// before the handshake: one that fails it is counted closed).
    pub connections: u64,
    /// Sessions bound now.
    pub bound: usize,
    /// Connections open now that are not bound: they have not bound yet,
    /// or unbound and wait for the ESME to close the connection (SMPP has
    /// the side that unbinds close it).
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
    /// Binds refused because the account had as many sessions bound as
    /// it may.
    pub binds_refused_account: u64,
    /// Messages answered `ESME_RTHROTTLED` because their account's quota
    /// was spent.
    pub throttled: u64,
    /// Sessions closed since the server started.
    pub closed: u64,
}

/// An account's bound sessions, and its message quota, which they share.
#[derive(Debug, Default)]
pub(crate) struct Account {
    bound: AtomicUsize,
    /// When the account's one-second allowance is used up (`None`: never
    /// used).
    full_at: Mutex<Option<Instant>>,
}

impl Account {
    /// True while the server must remember the account: a session of it
    /// is bound, or its allowance is not whole again (forgetting it would
    /// give a quick rebind a new one).
    fn in_use(&self, now: Instant) -> bool {
        self.bound.load(Ordering::Relaxed) > 0 || lock(&self.full_at).is_some_and(|at| at > now)
    }
}

/// A session's message quotas: its account's, which all the account's
/// sessions draw on, and its own. Each is a generic cell rate algorithm:
/// a message takes `1 / per_second` of a one-second allowance.
#[derive(Debug, Default)]
pub(crate) struct Quota {
    /// The account's quota: the account and its messages per second.
    account: Option<(Arc<Account>, u32)>,
    /// The session's own: its messages per second, and when its allowance
    /// is used up.
    own: Option<(u32, Instant)>,
}

/// When the allowance used up at `full_at` (or earlier) will be used up
/// with one message more of `per_second`, if it has room for it at `now`.
/// A quota of 0 has room for none.
fn room(full_at: Instant, per_second: u32, now: Instant) -> Option<Instant> {
    if per_second == 0 {
        return None;
    }
    let after = full_at.max(now) + Duration::from_secs(1) / per_second;
    (after <= now + Duration::from_secs(1)).then_some(after)
}

impl Quota {
    /// Takes one message's room from every quota; false, taking nothing,
    /// when one of them is spent.
    pub(crate) fn take(&mut self) -> bool {
        let now = Instant::now();
        // The session's own is only looked at before the account's is
        // taken: a message the session may not send takes no room of
        // the account's.
        let own = match self.own {
            Some((per_second, full_at)) => match room(full_at, per_second, now) {
                Some(after) => Some(after),
                None => return false,
            },
            None => None,
        };
        if let Some((account, per_second)) = &self.account {
            let mut full_at = lock(&account.full_at);
            match room(full_at.unwrap_or(now), *per_second, now) {
                Some(after) => *full_at = Some(after),
                None => return false,
            }
        }
        if let (Some(after), Some((_, full_at))) = (own, self.own.as_mut()) {
            *full_at = after;
        }
        true
    }
}

/// Where a bound session takes messages from the MC: its account and the
/// addresses it serves.
#[derive(Debug)]
struct Route {
    system_id: Bytes,
    receives: bool,
    /// The bind's `address_range`, compiled (a regular expression).
    range: Option<regex_lite::Regex>,
}

impl Route {
    /// Whether the bind's `address_range` matches `destination`.
    fn serves(&self, destination: &str) -> bool {
        self.range
            .as_ref()
            .is_some_and(|range| range.is_match(destination))
    }
}

/// Of `sessions` (but those in `except`), the open one with the most free
/// window slots. Chosen under the registry's lock, so that only that one's
/// handle is cloned: an account may have a thousand sessions, and every
/// `deliver_sm` chooses.
fn best<'a>(sessions: impl Iterator<Item = &'a Handle>, except: &[Handle]) -> Option<Handle> {
    sessions
        .filter(|h| !h.is_closed() && !except.iter().any(|e| e.same_session(h)))
        .max_by_key(|h| h.available_window())
        .cloned()
}

/// One connection of the server.
#[derive(Debug)]
struct Entry {
    handle: Handle,
    source: Option<IpAddr>,
    bound: bool,
    route: Option<Route>,
}

#[derive(Debug, Default)]
struct State {
    sessions: HashMap<u64, Entry>,
    /// The connections that have not bound, oldest first.
    unbound: BTreeSet<u64>,
    /// Unbound connections per source address.
    per_source: HashMap<IpAddr, usize>,
    /// Bound sessions per account.
    accounts: HashMap<Bytes, Arc<Account>>,
    /// How many accounts are remembered when those no longer in use are
    /// forgotten next: twice as many as the last time, so that an ESME
    /// binding under ever new `system_id`s grows no table, at a cost
    /// spread over the binds.
    forget_at: usize,
    /// The bound receivers and transceivers of each account, so that
    /// choosing one for a `deliver_sm` looks at the account's sessions
    /// only.
    receivers_of: HashMap<Bytes, Vec<u64>>,
    bound: usize,
    next: u64,
}

/// The sessions of a server, by connection, and its admission.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    state: Mutex<State>,
    /// How many connections are open: `run` waits for 0 at shutdown.
    open: watch::Sender<usize>,
    connections: AtomicU64,
    evicted_unbound: AtomicU64,
    evicted_per_source: AtomicU64,
    binds_refused_full: AtomicU64,
    binds_refused_account: AtomicU64,
    throttled: AtomicU64,
    closed: AtomicU64,
}

/// Why a bind is refused by admission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Refused(pub(crate) CommandStatus);

impl Registry {
    /// Registers a new connection, unbound. To stay within the budgets of
    /// unbound connections (from its source, and in all), the oldest
    /// unbound ones are closed: a flood of idle connections can delay a
    /// binding ESME by no more than its own bind takes.
    pub(crate) fn insert(&self, handle: Handle, peer: Option<SocketAddr>, limits: &Limits) -> u64 {
        let source = peer.map(|p| p.ip().to_canonical());
        let mut evict = Vec::new();
        let mut state = lock(&self.state);
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
                route: None,
            },
        );
        state.wait_unbound(id);
        // Counted under the lock, as the evictions are, so that a snapshot
        // (`stats`) never sees the new connection open but not accepted.
        self.connections.fetch_add(1, Ordering::Relaxed);
        let open = state.sessions.len();
        drop(state);
        self.open.send_replace(open);
        for handle in evict {
            handle.close();
        }
        id
    }

    /// A bind of `system_id` is about to be accepted: takes a place among
    /// the bound sessions, in all and of its account, or refuses. Gives the
    /// session's message quota, if its account has one.
    pub(crate) fn admit(
        &self,
        id: u64,
        system_id: &[u8],
        limits: &Limits,
    ) -> Result<Quota, Refused> {
        let account_limits = limits.account(system_id);
        let mut state = lock(&self.state);
        state.forget_idle_accounts();
        let account = Arc::clone(
            state
                .accounts
                .entry(Bytes::copy_from_slice(system_id))
                .or_default(),
        );
        let quota = Quota {
            account: account_limits
                .max_messages_per_second
                .map(|per_second| (Arc::clone(&account), per_second)),
            own: account_limits
                .max_messages_per_session
                .map(|per_second| (per_second, Instant::now())),
        };
        if state.sessions.get(&id).is_some_and(|e| e.bound) {
            return Ok(quota);
        }
        if state.bound >= limits.max_sessions {
            drop(state);
            self.binds_refused_full.fetch_add(1, Ordering::Relaxed);
            return Err(Refused(CommandStatus::ESME_RBINDFAIL));
        }
        if account_limits
            .max_binds
            .is_some_and(|max| account.bound.load(Ordering::Relaxed) >= max)
        {
            drop(state);
            self.binds_refused_account.fetch_add(1, Ordering::Relaxed);
            return Err(Refused(limits.bind_limit_status));
        }
        state.release_unbound(id);
        if let Some(entry) = state.sessions.get_mut(&id) {
            entry.bound = true;
            entry.route = Some(Route {
                system_id: Bytes::copy_from_slice(system_id),
                receives: false,
                range: None,
            });
            state.bound += 1;
            account.bound.fetch_add(1, Ordering::Relaxed);
        }
        Ok(quota)
    }

    /// The session is bound as `info` says: where the MC's messages for
    /// it may go.
    pub(crate) fn bound(&self, id: u64, info: &BindInfo) {
        let range = info
            .address_range
            .to_str()
            .filter(|r| !r.is_empty())
            .and_then(|r| {
                regex_lite::RegexBuilder::new(r)
                    .size_limit(64 * 1024)
                    .build()
                    .ok()
            });
        let mut state = lock(&self.state);
        let Some(route) = state.sessions.get_mut(&id).and_then(|e| e.route.as_mut()) else {
            return;
        };
        let receives = info.bind_type != BindType::Transmitter;
        let newly = receives && !route.receives;
        route.receives = receives;
        route.range = range;
        if newly {
            let system_id = route.system_id.clone();
            state.receivers_of.entry(system_id).or_default().push(id);
        }
    }

    /// A message was refused for its account's quota.
    pub(crate) fn count_throttled(&self) {
        self.throttled.fetch_add(1, Ordering::Relaxed);
    }

    /// The session is no longer bound (it unbound; its connection may
    /// stay open until the peer closes it): it leaves the bound sessions,
    /// its account's and the routes, and counts among the connections not
    /// bound again, the first a newer connection closes to make room.
    pub(crate) fn unbound(&self, id: u64) {
        let mut state = lock(&self.state);
        if state.unbind(id) {
            state.wait_unbound(id);
        }
    }

    /// The connection closed.
    pub(crate) fn remove(&self, id: u64) {
        let mut state = lock(&self.state);
        state.release_unbound(id);
        state.unbind(id);
        state.sessions.remove(&id);
        // Under the lock: a snapshot sees the session open or closed,
        // never both or neither.
        self.closed.fetch_add(1, Ordering::Relaxed);
        let open = state.sessions.len();
        drop(state);
        self.open.send_replace(open);
    }

    /// Waits until no connection is open.
    pub(crate) async fn all_closed(&self) {
        let mut open = self.open.subscribe();
        let _ = open.wait_for(|n| *n == 0).await.is_ok();
    }

    /// Every session, bound or not.
    pub(crate) fn handles(&self) -> Vec<Handle> {
        lock(&self.state)
            .sessions
            .values()
            .map(|e| e.handle.clone())
            .collect()
    }

    /// The sessions bound now (admitted, and not unbound since).
    pub(crate) fn bound_handles(&self) -> Vec<Handle> {
        lock(&self.state)
            .sessions
            .values()
            .filter(|e| e.bound)
            .map(|e| e.handle.clone())
            .collect()
    }

    /// Of the bound receivers and transceivers of `system_id`, the open
    /// one with the most free window slots. Sessions in `except` are left
    /// out.
    pub(crate) fn receiver_of(&self, system_id: &[u8], except: &[Handle]) -> Option<Handle> {
        let state = lock(&self.state);
        let ids = state.receivers_of.get(system_id)?;
        best(
            ids.iter()
                .filter_map(|id| state.sessions.get(id))
                .map(|e| &e.handle),
            except,
        )
    }

    /// Of the bound receivers and transceivers whose `address_range`
    /// matches `destination`, the open one with the most free window
    /// slots. Sessions in `except` are left out.
    pub(crate) fn receiver_for(&self, destination: &str, except: &[Handle]) -> Option<Handle> {
        let state = lock(&self.state);
        best(state.receivers(|r| r.serves(destination)), except)
    }

    /// The bound receivers and transceivers whose `address_range` matches
    /// `destination`.
    pub(crate) fn receivers_for(&self, destination: &str) -> Vec<Handle> {
        let state = lock(&self.state);
        state
            .receivers(|r| r.serves(destination))
            .cloned()
            .collect()
    }

    pub(crate) fn stats(&self) -> ServerStats {
        let state = lock(&self.state);
        ServerStats {
            connections: self.connections.load(Ordering::Relaxed),
            bound: state.bound,
            unbound: state.unbound.len(),
            evicted_unbound: self.evicted_unbound.load(Ordering::Relaxed),
            evicted_per_source: self.evicted_per_source.load(Ordering::Relaxed),
            binds_refused_full: self.binds_refused_full.load(Ordering::Relaxed),
            binds_refused_account: self.binds_refused_account.load(Ordering::Relaxed),
            throttled: self.throttled.load(Ordering::Relaxed),
            closed: self.closed.load(Ordering::Relaxed),
        }
    }
}

impl State {
    /// The bound receivers and transceivers whose route `accepts`.
    fn receivers(&self, accepts: impl Fn(&Route) -> bool) -> impl Iterator<Item = &Handle> {
        self.sessions
            .values()
            .filter(move |e| e.route.as_ref().is_some_and(|r| r.receives && accepts(r)))
            .map(|e| &e.handle)
    }

    /// Forgets the accounts no longer in use once the table has doubled
    /// since the last time.
    fn forget_idle_accounts(&mut self) {
        if self.accounts.len() < self.forget_at {
            return;
        }
        let now = Instant::now();
        self.accounts.retain(|_, account| account.in_use(now));
        self.forget_at = (self.accounts.len() * 2).max(64);
    }

    /// Takes the session `id`, if bound, off the bound sessions, its
    /// account's and the routes; true if it was bound.
    fn unbind(&mut self, id: u64) -> bool {
        let Some(entry) = self.sessions.get_mut(&id) else {
            return false;
        };
        if !core::mem::take(&mut entry.bound) {
            return false;
        }
        let route = entry.route.take();
        self.bound -= 1;
        if let Some(route) = route {
            if let Some(account) = self.accounts.get(&route.system_id) {
                account.bound.fetch_sub(1, Ordering::Relaxed);
            }
            if route.receives {
                self.forget_receiver(&route.system_id, id);
            }
        }
        true
    }

    /// Counts the connection `id` among those not bound, in all and for
    /// its source.
    fn wait_unbound(&mut self, id: u64) {
        let Some(entry) = self.sessions.get(&id) else {
            return;
        };
        if let Some(source) = entry.source {
            *self.per_source.entry(source).or_default() += 1;
        }
        self.unbound.insert(id);
    }

    /// The receiver `id` of `system_id` closed.
    fn forget_receiver(&mut self, system_id: &Bytes, id: u64) {
        if let Some(ids) = self.receivers_of.get_mut(system_id) {
            ids.retain(|&other| other != id);
            if ids.is_empty() {
                self.receivers_of.remove(system_id);
            }
        }
    }

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

#[cfg(test)]
mod tests {
    use core::sync::atomic::AtomicBool;

    use super::*;
    use crate::session::handle::Shared;

    fn handle() -> Handle {
        Handle::new(
            tokio::sync::mpsc::unbounded_channel().0,
            Shared::new(1, None),
        )
    }

    /// Registers a connection and binds it as `bind_type` of `system_id`.
    fn bound(registry: &Registry, system_id: &[u8], bind_type: BindType) -> (u64, Handle) {
        let (session, limits) = (handle(), Limits::default());
        let id = registry.insert(session.clone(), None, &limits);
        registry.admit(id, system_id, &limits).unwrap();
        let config = smpp_core::session::Config::esme(bind_type);
        let system_id = crate::owned::COctet::new(Bytes::copy_from_slice(system_id));
        let version = smpp_core::session::Version::V34;
        registry.bound(
            id,
            &BindInfo::of_config(bind_type, system_id, version, &config),
        );
        (id, session)
    }

    #[test]
    fn a_message_a_session_may_not_send_takes_no_room_of_its_accounts_quota() {
        let account = Arc::new(Account::default());
        let session = |own| Quota {
            account: Some((Arc::clone(&account), 3)),
            own: Some((own, Instant::now())),
        };
        let mut slow = session(1);
        assert!(slow.take());
        // Refused for the session's own quota: the account keeps its room.
        for _ in 0..5 {
            assert!(!slow.take());
        }
        let mut other = session(10);
        assert!(other.take() && other.take());
        // The account's three are spent: refused though the session has
        // room of its own, which it keeps.
        let before = other.own;
        assert!(!other.take());
        assert_eq!(other.own, before);
    }

    /// Binds of ever new `system_id`s grow no table; an account whose
    /// allowance is spent is remembered, so that binding again gives it no
    /// new one.
    #[test]
    fn accounts_no_longer_in_use_are_forgotten_but_a_spent_quota_is_not() {
        let registry = Registry::default();
        let limits = Limits {
            account: AccountLimits::UNLIMITED.with_max_messages_per_second(1),
            ..Limits::default()
        };
        let bind = |system_id: &[u8]| {
            let id = registry.insert(handle(), None, &limits);
            (id, registry.admit(id, system_id, &limits).unwrap())
        };
        let (id, mut quota) = bind(b"shop");
        assert!(quota.take());
        registry.remove(id);
        for n in 0..1_000 {
            let (id, _) = bind(format!("guest-{n}").as_bytes());
            registry.remove(id);
        }
        assert!(lock(&registry.state).accounts.len() <= 128);
        let (_, mut quota) = bind(b"shop");
        assert!(!quota.take(), "the second's allowance is spent");
    }

    #[test]
    fn a_receiver_is_chosen_among_the_accounts_own_and_forgotten_once_closed() {
        let registry = Registry::default();
        let (rx, rx_handle) = bound(&registry, b"shop", BindType::Receiver);
        let (tx, _) = bound(&registry, b"shop", BindType::Transmitter);
        let (trx, trx_handle) = bound(&registry, b"shop", BindType::Transceiver);
        let (bank, bank_handle) = bound(&registry, b"bank", BindType::Receiver);
        let chosen = registry.receiver_of(b"shop", &[]).unwrap();
        let other = registry
            .receiver_of(b"shop", core::slice::from_ref(&chosen))
            .unwrap();
        assert!(!chosen.same_session(&other));
        for session in [&chosen, &other] {
            assert!(session.same_session(&rx_handle) || session.same_session(&trx_handle));
        }
        assert!(registry.receiver_of(b"shop", &[chosen, other]).is_none());
        let only = registry.receiver_of(b"bank", &[]).unwrap();
        assert!(only.same_session(&bank_handle));
        assert!(registry.receiver_of(b"nobody", &[]).is_none());
        // Closed: no longer chosen, nor kept.
        registry.remove(rx);
        let left = registry.receiver_of(b"shop", &[]).unwrap();
        assert!(left.same_session(&trx_handle));
        registry.remove(trx);
        registry.remove(tx);
        assert!(registry.receiver_of(b"shop", &[]).is_none());
        registry.remove(bank);
        assert!(lock(&registry.state).receivers_of.is_empty());
    }

    /// Connections come and go (one source, two unbound at most, so most
    /// arrivals close the oldest) while snapshots are taken: none counts a
    /// connection open that it has not counted accepted, nor one closed
    /// that it still counts open.
    #[test]
    fn every_snapshot_accounts_for_no_more_than_it_accepted() {
        let registry = Arc::new(Registry::default());
        let limits = Limits {
            max_unbound_per_source: 2,
            ..Limits::default()
        };
        let done = Arc::new(AtomicBool::new(false));
        let peer: SocketAddr = "192.0.2.1:2775".parse().unwrap();
        let churn: Vec<_> = (0..2)
            .map(|_| {
                let (registry, limits) = (Arc::clone(&registry), limits.clone());
                std::thread::spawn(move || {
                    for _ in 0..20_000 {
                        let id = registry.insert(handle(), Some(peer), &limits);
                        registry.remove(id);
                    }
                })
            })
            .collect();
        let watcher = {
            let (registry, done) = (Arc::clone(&registry), Arc::clone(&done));
            std::thread::spawn(move || {
                let mut snapshots = 0u64;
                while !done.load(Ordering::Relaxed) {
                    let s = registry.stats();
                    let accounted = s.closed + (s.bound + s.unbound) as u64;
                    assert!(accounted <= s.connections, "{s:?}");
                    snapshots += 1;
                }
                snapshots
            })
        };
        for t in churn {
            t.join().unwrap();
        }
        done.store(true, Ordering::Relaxed);
        assert!(watcher.join().unwrap() > 0);
        let s = registry.stats();
        assert_eq!((s.connections, s.closed, s.unbound), (40_000, 40_000, 0));
    }
}
