//! The simulated SMSC: decides binds, answers messages as an SMSC would,
//! keeps them for `query_sm`, `cancel_sm` and `replace_sm`, settles each
//! after the receipt delay and sends its receipt, joins long messages.

use core::net::SocketAddr;
use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use bytes::Bytes;
use serde_json::{Map, Value};
use smpp_core::receipt::{ReceiptBuilder, ReceiptDate};
use smpp_core::session::{BindType, CloseReason};
use smpp_core::text::choose::{Concatenation, choose_for};
use smpp_core::text::gsm7::{Language, Tables};
use smpp_core::text::split::{Content, Method, SplitOptions};
use smpp_core::time::{AbsoluteTime, SmppTime};
use smpp_core::{Body, CommandStatus, MessageState, TlvTag};
use smpp_std::server::{BindRequest, Context, Handler, ServerHandle};
use smpp_std::session::{Answer, Error, Handle};
use smpp_std::{
    COctet, CancelSm, DeliverSm, Pdu, QuerySm, QuerySmRespBuilder, ReplaceSm,
    SubmitMultiRespBuilder, SubmitSm,
};
use smpp_tools::message::{Assembler, UserData, decode_parts};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::store::{Address, Store, Stored};

/// Receipts of one account on their way at once, at least. An account
/// has as many on their way as the windows of its bound receivers hold,
/// between this and [`MAX_IN_FLIGHT_PER_ACCOUNT`]; the rest wait in
/// [`Waiting`], taken in turn by those that finish.
const IN_FLIGHT_PER_ACCOUNT: usize = 256;
/// Receipts of one account on their way at once, at most (each takes a
/// task of a few kilobytes while it waits for a window slot).
const MAX_IN_FLIGHT_PER_ACCOUNT: usize = 8192;
/// Complete messages shown on the status page.
const RECENT: usize = 20;

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The final states of `--dlr-mix`, with their weights.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Mix(Vec<(MessageState, u32)>);

impl Mix {
    /// `delivered=95,undeliverable=3,expired=2`: final states by name
    /// (`delivered`, `undeliverable`, `expired`, `rejected`, `deleted`,
    /// `unknown`, `accepted`) and weights.
    pub(crate) fn parse(s: &str) -> Result<Self, String> {
        let mut out = Vec::new();
        for item in s.split(',').filter(|i| !i.trim().is_empty()) {
            let (name, weight) = item
                .split_once('=')
                .ok_or_else(|| format!("{item:?}: expected STATE=WEIGHT"))?;
            let state = match name.trim().to_ascii_lowercase().as_str() {
                "delivered" | "delivrd" => MessageState::DELIVERED,
                "undeliverable" | "undeliv" => MessageState::UNDELIVERABLE,
                "expired" => MessageState::EXPIRED,
                "rejected" | "rejectd" => MessageState::REJECTED,
                "deleted" => MessageState::DELETED,
                "unknown" => MessageState::UNKNOWN,
                "accepted" | "acceptd" => MessageState::ACCEPTED,
                other => return Err(format!("{other:?} is not a final message state")),
            };
            let weight: u32 = weight
                .trim()
                .parse()
                .map_err(|_| format!("{item:?}: the weight is not a number"))?;
            out.push((state, weight));
        }
        if out.iter().map(|(_, w)| u64::from(*w)).sum::<u64>() == 0 {
            return Err("the weights add up to 0".into());
        }
        Ok(Self(out))
    }

    /// A state drawn at random by the weights (added up without
    /// overflow: a few weights near `u32::MAX` keep their proportions).
    fn draw(&self) -> MessageState {
        let total: u64 = self.0.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut n = fastrand::u64(0..total.max(1));
        for (state, weight) in &self.0 {
            let weight = u64::from(*weight);
            if n < weight {
                return *state;
            }
            n -= weight;
        }
        MessageState::DELIVERED
    }
}

/// The `err:` of a receipt in each final state (network error codes of the
/// simulated network).
fn error_of(state: MessageState) -> u8 {
    match state {
        MessageState::UNDELIVERABLE => 1,
        MessageState::EXPIRED => 2,
        MessageState::REJECTED => 3,
        _ => 0,
    }
}

/// What the simulator was started with.
#[derive(Debug)]
pub(crate) struct Settings {
    /// `--users`: the accounts and their passwords; anyone when `None`.
    pub(crate) users: Option<HashMap<Vec<u8>, Vec<u8>>>,
    pub(crate) dlr_delay: Duration,
    pub(crate) mix: Mix,
    /// `--throttle-above`: message PDUs per second a session may send.
    pub(crate) throttle_above: Option<u32>,
    /// How many accepted messages to keep.
    pub(crate) keep_messages: usize,
    /// `--max-waiting-receipts`.
    pub(crate) max_waiting_receipts: usize,
    /// `--window`: each session's `deliver_sm`s outstanding at once.
    pub(crate) window: usize,
    /// `--log-messages`.
    pub(crate) log: Option<Log>,
    /// `--reassembly-timeout-ms`: how long the parts of a long message
    /// wait for the others.
    pub(crate) reassembly_timeout: Duration,
}

/// Where complete messages are logged (`--log-messages`).
///
/// A line that cannot be written (the reader of stdout went away, the
/// disk is full) ends the log: its message and every later complete one
/// are refused with `ESME_RSYSERR` rather than accepted unrecorded, and
/// the simulator shuts down ([`Self::failed`]).
pub(crate) struct Log {
    writer: Mutex<Box<dyn Write + Send>>,
    /// Why the first line that could not be written failed.
    error: OnceLock<String>,
    /// Told once, when a line fails.
    failure: Notify,
}

impl Log {
    pub(crate) fn new(writer: Box<dyn Write + Send>) -> Self {
        Self {
            writer: Mutex::new(writer),
            error: OnceLock::new(),
            failure: Notify::new(),
        }
    }

    /// Writes `line` and flushes it; false if it could not be, now or
    /// before.
    fn line(&self, line: &Value) -> bool {
        let mut writer = lock(&self.writer);
        if self.error.get().is_some() {
            return false;
        }
        match writeln!(writer, "{line}").and_then(|()| writer.flush()) {
            Ok(()) => true,
            Err(e) => {
                let _ = self.error.set(e.to_string());
                // Kept for a waiter to come, if none waits yet.
                self.failure.notify_one();
                false
            }
        }
    }

    /// Why a line could not be written, once one could not.
    pub(crate) async fn failed(&self) -> &str {
        loop {
            if let Some(error) = self.error.get() {
                return error;
            }
            self.failure.notified().await;
        }
    }

    /// Flushes what is buffered.
    pub(crate) fn flush(&self) {
        let _ = lock(&self.writer).flush();
    }
}

impl core::fmt::Debug for Log {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Log")
    }
}

/// Counters of what the simulator did.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    /// Message PDUs accepted (`submit_sm`, `data_sm`, `submit_multi`).
    pub(crate) accepted: AtomicU64,
    /// Message PDUs refused (no destination, ...).
    pub(crate) refused: AtomicU64,
    /// Complete messages (long ones joined).
    pub(crate) complete: AtomicU64,
    /// Message PDUs answered `ESME_RTHROTTLED` by `--throttle-above`.
    pub(crate) throttled: AtomicU64,
    /// Binds refused for their credentials (`--users`).
    pub(crate) binds_refused: AtomicU64,
    pub(crate) receipts_sent: AtomicU64,
    /// Receipts the ESME refused (other than for now: those are sent
    /// again), or lost with their session.
    pub(crate) receipts_failed: AtomicU64,
    /// Receipts dropped: the receipts waiting were as many as
    /// `--max-waiting-receipts`, or their message was forgotten
    /// (`--keep-messages`) before it settled.
    pub(crate) receipts_dropped: AtomicU64,
    pub(crate) mo_sent: AtomicU64,
    pub(crate) mo_failed: AtomicU64,
    /// `--mo-every-ms` ticks skipped for a session with a full window.
    pub(crate) mo_skipped: AtomicU64,
    /// `--outbind` attempts: connections tried to an ESME waiting for
    /// an outbind.
    pub(crate) outbinds: AtomicU64,
    /// Those that failed to connect or to send the outbind.
    pub(crate) outbinds_failed: AtomicU64,
    pub(crate) queries: AtomicU64,
    pub(crate) cancels: AtomicU64,
    pub(crate) replaces: AtomicU64,
}

pub(crate) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// The long (concatenated) messages being joined, and those given up.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Assembly {
    /// Long messages some of whose parts came, waiting for the others.
    pub(crate) messages_incomplete: usize,
    /// The parts those messages received.
    pub(crate) parts_pending: usize,
    /// Long messages dropped before all their parts came: their first
    /// part older than `--reassembly-timeout-ms`, or a new message of the
    /// same source, destination and reference began.
    pub(crate) messages_expired: u64,
    /// The parts those messages had received.
    pub(crate) parts_expired: u64,
}

/// One bound session's share of `--throttle-above`: the message PDUs
/// of the current second.
#[derive(Debug)]
struct Window {
    start: Instant,
    count: u32,
}

/// The state every session shares.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) settings: Settings,
    pub(crate) started: Instant,
    pub(crate) counters: Counters,
    next_id: AtomicU64,
    next_reference: AtomicU64,
    store: Mutex<Store>,
    /// Throttling windows, by the session's peer address.
    windows: Mutex<HashMap<SocketAddr, Window>>,
    /// The peers connected over TLS.
    tls_peers: Mutex<HashSet<SocketAddr>>,
    assembler: Mutex<Assembler<Bytes>>,
    recent: Mutex<VecDeque<Value>>,
    /// Receipts of each account: those waiting for a receiver (none bound,
    /// or every window full), and how many are being sent.
    waiting: Mutex<Waiting>,
    /// Messages to settle once the receipt delay is over, in order (the
    /// delay is the same for all).
    due: Mutex<VecDeque<(Instant, u64)>>,
    /// Wakes [`Inner::settle_due`] when `due` gets its first message.
    due_added: Notify,
}

/// The receipts of each account on their way to a receiver: as many being
/// sent as its receivers' windows hold (each waits for a window slot of a
/// receiver; see [`IN_FLIGHT_PER_ACCOUNT`]), the rest waiting here in
/// order, at most
/// `--max-waiting-receipts` in all (a receipt takes a few hundred octets
/// here, where a task waiting for a window would take kilobytes). So a
/// receiver that stops answering holds this much and no more, however many
/// messages its account goes on submitting.
#[derive(Debug)]
struct Waiting {
    by_account: HashMap<Bytes, Account>,
    /// Receipts waiting, over all accounts.
    total: usize,
    /// The bound receivers and transceivers of each account.
    receivers: HashMap<Bytes, usize>,
    /// Each session's window.
    window: usize,
}

#[derive(Debug, Default)]
struct Account {
    queue: VecDeque<DeliverSm>,
    in_flight: usize,
}

impl Waiting {
    fn new(window: usize) -> Self {
        Self {
            by_account: HashMap::new(),
            total: 0,
            receivers: HashMap::new(),
            window,
        }
    }

    /// How many receipts of `system_id` may be on their way at once.
    fn senders(&self, system_id: &Bytes) -> usize {
        let receivers = self.receivers.get(system_id).copied().unwrap_or(0);
        receivers
            .saturating_mul(self.window)
            .clamp(IN_FLIGHT_PER_ACCOUNT, MAX_IN_FLIGHT_PER_ACCOUNT)
    }

    /// Receipts being sent, over all accounts.
    fn sending(&self) -> usize {
        self.by_account.values().map(|a| a.in_flight).sum()
    }

    /// A receiver or transceiver of `system_id` bound.
    fn receiver_bound(&mut self, system_id: &Bytes) {
        *self.receivers.entry(system_id.clone()).or_default() += 1;
    }

    /// A receiver or transceiver of `system_id` closed.
    fn receiver_closed(&mut self, system_id: &Bytes) {
        if let Some(count) = self.receivers.get_mut(system_id) {
            *count -= 1;
            if *count == 0 {
                self.receivers.remove(system_id);
            }
        }
    }

    /// A new receipt for `system_id`: the receipt to send now (the oldest
    /// of the account's) if fewer than [`Self::senders`] are being sent,
    /// the caller then being one of those; else it waits. Also false if a
    /// receipt was dropped for room (see [`Self::push`]).
    fn enter(
        &mut self,
        system_id: &Bytes,
        receipt: DeliverSm,
        cap: usize,
    ) -> (Option<DeliverSm>, bool) {
        let senders = self.senders(system_id);
        let account = self.by_account.entry(system_id.clone()).or_default();
        if account.queue.is_empty() && account.in_flight < senders {
            account.in_flight += 1;
            return (Some(receipt), true);
        }
        let kept = self.push(system_id, receipt, cap);
        (self.start(system_id), kept)
    }

    /// The next receipt for one more sender of `system_id`, if there is one
    /// waiting and room for another sender.
    fn start(&mut self, system_id: &Bytes) -> Option<DeliverSm> {
        let senders = self.senders(system_id);
        let account = self.by_account.get_mut(system_id)?;
        if account.in_flight >= senders {
            return None;
        }
        let next = account.queue.pop_front()?;
        account.in_flight += 1;
        self.total -= 1;
        Some(next)
    }

    /// A sender of `system_id` is done with its receipt: the next one for
    /// it to send, or none (it stops: none waits, or the account's
    /// receivers closed and fewer senders may run).
    fn next(&mut self, system_id: &Bytes) -> Option<DeliverSm> {
        let senders = self.senders(system_id);
        let account = self.by_account.get_mut(system_id)?;
        if account.in_flight <= senders
            && let Some(next) = account.queue.pop_front()
        {
            self.total -= 1;
            return Some(next);
        }
        account.in_flight = account.in_flight.saturating_sub(1);
        if account.in_flight == 0 && account.queue.is_empty() {
            self.by_account.remove(system_id);
        }
        None
    }

    /// A sender of `system_id` found no receiver for `receipt`: it waits,
    /// first in line, for the next bind, and the sender stops. False if it
    /// was dropped for room.
    fn park(&mut self, system_id: &Bytes, receipt: DeliverSm, cap: usize) -> bool {
        let account = self.by_account.entry(system_id.clone()).or_default();
        account.in_flight = account.in_flight.saturating_sub(1);
        if self.total >= cap {
            if account.queue.is_empty() && account.in_flight == 0 {
                self.by_account.remove(system_id);
            }
            return false;
        }
        account.queue.push_front(receipt);
        self.total += 1;
        true
    }

    /// Keeps `receipt` for `system_id` last in line. With `cap` receipts
    /// waiting in all, the account's oldest makes room (or, if it has none
    /// waiting, `receipt` is dropped): false.
    fn push(&mut self, system_id: &Bytes, receipt: DeliverSm, cap: usize) -> bool {
        let account = self.by_account.entry(system_id.clone()).or_default();
        if self.total < cap {
            account.queue.push_back(receipt);
            self.total += 1;
            return true;
        }
        if account.queue.pop_front().is_some() {
            account.queue.push_back(receipt);
        } else if account.in_flight == 0 {
            self.by_account.remove(system_id);
        }
        false
    }
}

/// How many times a receipt is tried, each time found closed before it was
/// written or refused for now, before it waits for the account's next
/// bind.
const RECEIPT_ROUTES: usize = 4;

/// How long a receipt the ESME could not take for now waits before it is
/// sent again.
const RECEIPT_RETRY: Duration = Duration::from_millis(500);

/// An answer to a `deliver_sm` that asks for it again later: the ESME
/// could not take it for now (`ESME_RX_T_APPN`), or throttles.
fn is_temporary(status: CommandStatus) -> bool {
    matches!(
        status,
        CommandStatus::ESME_RX_T_APPN
            | CommandStatus::ESME_RTHROTTLED
            | CommandStatus::ESME_RMSGQFUL
    )
}

/// Gives `message` its final state, drawn from the mix when it was
/// accepted: true if its `registered_delivery` asks for a receipt in that
/// state.
fn finish(message: &mut Stored) -> bool {
    let state = message.fate;
    message.state = state;
    message.done = Some(unix_now());
    message.error = error_of(state);
    message.asks_receipt()
}

/// What became of a receipt a sender tried to send.
enum Sent {
    /// The ESME acknowledged it.
    Ok,
    /// The ESME refused it, or it was written and no answer came.
    Failed,
    /// It was not written, or the ESME could not take it for now: it
    /// waits for the account's next bind.
    Unsent(Box<DeliverSm>),
}

/// The receipts asked for, where they are: every one asked for is in one
/// of these, or still due (`Inner::receipts_due`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Receipts {
    /// Acknowledged by an ESME.
    pub(crate) sent: u64,
    /// Refused by an ESME, or lost with their session.
    pub(crate) failed: u64,
    /// Waiting for a receiver of their account.
    pub(crate) waiting: usize,
    /// Being sent: waiting for a window slot of a receiver, for an
    /// answer, or to be sent again after a temporary error.
    pub(crate) sending: usize,
    /// Dropped (`--max-waiting-receipts`, `--keep-messages`).
    pub(crate) dropped: u64,
}

/// The handler of the simulator's server.
#[derive(Clone, Debug)]
pub(crate) struct Sim {
    pub(crate) inner: Arc<Inner>,
}

/// Where an injected mobile-originated message goes.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// A receiver of this account.
    SystemId(String),
    /// A receiver whose `address_range` matches the destination.
    Address,
}

/// Why an injected mobile-originated message was not delivered.
#[derive(Debug)]
pub(crate) enum MoError {
    /// The content cannot be split into `deliver_sm`s.
    Split(smpp_std::text::SplitPduError),
    /// No receiver takes it, or its session failed.
    Deliver(Error),
}

impl core::fmt::Display for MoError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Split(e) => e.fmt(f),
            Self::Deliver(Error::NoRoute) => f.write_str("no bound receiver takes the message"),
            Self::Deliver(e) => e.fmt(f),
        }
    }
}

/// What an injected mobile-originated message carries.
#[derive(Clone, Debug)]
pub(crate) enum MoContent {
    /// Text, in GSM 7-bit tables of these national languages if they hold
    /// it in fewer parts than UCS-2.
    Text(String, Vec<Language>),
    Binary(Vec<u8>),
}

impl Sim {
    pub(crate) fn new(settings: Settings) -> Self {
        let (keep, window) = (settings.keep_messages, settings.window);
        let reassembly_timeout = settings.reassembly_timeout;
        Self {
            inner: Arc::new(Inner {
                settings,
                started: Instant::now(),
                counters: Counters::default(),
                next_id: AtomicU64::new(1),
                next_reference: AtomicU64::new(0),
                store: Mutex::new(Store::new(keep)),
                windows: Mutex::new(HashMap::new()),
                tls_peers: Mutex::new(HashSet::new()),
                assembler: Mutex::new(Assembler::new(reassembly_timeout, 1024 * 1024)),
                recent: Mutex::new(VecDeque::new()),
                waiting: Mutex::new(Waiting::new(window)),
                due: Mutex::new(VecDeque::new()),
                due_added: Notify::new(),
            }),
        }
    }
}

/// Seconds since 1970-01-01T00:00:00Z now (0 for a clock set before it).
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn owned(bytes: &[u8]) -> Bytes {
    Bytes::copy_from_slice(bytes)
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The name of a bind type in the JSON and pages.
pub(crate) fn bind_name(bind_type: BindType) -> &'static str {
    match bind_type {
        BindType::Transmitter => "transmitter",
        BindType::Receiver => "receiver",
        BindType::Transceiver => "transceiver",
    }
}

/// True for sessions that receive `deliver_sm`.
pub(crate) fn receives(handle: &Handle) -> bool {
    handle
        .bind_info()
        .is_some_and(|b| b.bind_type != BindType::Transmitter)
}

fn response(pdu: Result<Pdu, smpp_core::Error>) -> Answer {
    match pdu {
        Ok(pdu) => Answer::Response {
            command_status: CommandStatus::ESME_ROK,
            body: pdu.body,
        },
        Err(_) => Answer::Status(CommandStatus::ESME_RSYSERR),
    }
}

/// A message id as the simulator writes it.
fn message_id(n: u64) -> String {
    format!("{n:010}")
}

impl Inner {
    pub(crate) fn is_tls(&self, peer: Option<SocketAddr>) -> bool {
        peer.is_some_and(|p| lock(&self.tls_peers).contains(&p))
    }

    pub(crate) fn set_tls(&self, peer: SocketAddr, tls: bool) {
        let mut peers = lock(&self.tls_peers);
        if tls {
            peers.insert(peer);
        } else {
            peers.remove(&peer);
        }
    }

    pub(crate) fn stored(&self) -> usize {
        lock(&self.store).len()
    }

    /// Where the receipts are. Read under the lock of the receipts
    /// waiting, under which every receipt leaving the senders or the queue
    /// is counted, so that none is seen twice or not at all.
    pub(crate) fn receipts(&self) -> Receipts {
        let waiting = lock(&self.waiting);
        let c = &self.counters;
        Receipts {
            sent: c.receipts_sent.load(Ordering::Relaxed),
            failed: c.receipts_failed.load(Ordering::Relaxed),
            waiting: waiting.total,
            sending: waiting.sending(),
            dropped: c.receipts_dropped.load(Ordering::Relaxed),
        }
    }

    /// The long messages being joined, after dropping those too old now.
    pub(crate) fn assembly(&self) -> Assembly {
        let mut assembler = lock(&self.assembler);
        assembler.expire_now();
        Assembly {
            messages_incomplete: assembler.pending(),
            parts_pending: assembler.parts_pending(),
            messages_expired: assembler.expired(),
            parts_expired: assembler.parts_expired(),
        }
    }

    pub(crate) fn recent(&self) -> Vec<Value> {
        lock(&self.recent).iter().cloned().collect()
    }

    /// True if the session went over `--throttle-above` this second.
    fn throttled(&self, session: &Handle) -> bool {
        let (Some(limit), Some(peer)) = (self.settings.throttle_above, session.peer_addr()) else {
            return false;
        };
        let now = Instant::now();
        let mut windows = lock(&self.windows);
        let window = windows.entry(peer).or_insert(Window {
            start: now,
            count: 0,
        });
        if now.duration_since(window.start) >= Duration::from_secs(1) {
            window.start = now;
            window.count = 0;
        }
        if window.count >= limit {
            return true;
        }
        window.count += 1;
        false
    }

    fn answer(self: &Arc<Self>, cx: &Context, pdu: &Pdu) -> Answer {
        let Some(system_id) = cx.session().system_id().map(|s| owned(s.as_bytes())) else {
            return Answer::Status(CommandStatus::ESME_RINVBNDSTS);
        };
        match &pdu.body {
            Body::SubmitSm(_) | Body::DataSm(_) | Body::SubmitMulti(_) => {
                if self.throttled(cx.session()) {
                    bump(&self.counters.throttled);
                    return Answer::Status(CommandStatus::ESME_RTHROTTLED);
                }
                self.accept(cx.server(), &system_id, pdu)
            }
            Body::QuerySm(query) => self.query(&system_id, query),
            Body::CancelSm(cancel) => self.cancel(&system_id, cancel),
            Body::ReplaceSm(replace) => self.replace(&system_id, replace),
            _ => Answer::Status(CommandStatus::ESME_RINVCMDID),
        }
    }

    /// A `submit_sm`, `data_sm` or `submit_multi`: kept, settled after
    /// the receipt delay, logged once complete.
    fn accept(self: &Arc<Self>, server: &ServerHandle, system_id: &Bytes, pdu: &Pdu) -> Answer {
        let Some(data) = UserData::of(&pdu.body) else {
            return Answer::Status(CommandStatus::ESME_RINVCMDID);
        };
        let Some(Addressing {
            source,
            destinations,
            service_type,
            dls,
        }) = addressing(&pdu.body)
        else {
            return Answer::Status(CommandStatus::ESME_RINVCMDID);
        };
        if destinations.is_empty() {
            bump(&self.counters.refused);
            return Answer::Status(if dls.is_empty() {
                CommandStatus::ESME_RINVNUMDESTS
            } else {
                CommandStatus::ESME_RINVDLNAME
            });
        }
        if destinations.iter().any(|d| d.addr.is_empty()) {
            bump(&self.counters.refused);
            return Answer::Status(CommandStatus::ESME_RINVDSTADR);
        }
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        let id = message_id(n);
        if !self.record(system_id, &data, id.clone()) {
            bump(&self.counters.refused);
            return Answer::Status(CommandStatus::ESME_RSYSERR);
        }
        let content = data.content.clone();
        let message = Stored {
            tables: data.tables,
            system_id: system_id.clone(),
            service_type,
            source,
            destinations,
            data_coding: data.data_coding,
            content,
            registered_delivery: data.registered_delivery,
            submitted: unix_now(),
            state: MessageState::ENROUTE,
            fate: self.settings.mix.draw(),
            done: None,
            error: 0,
        };
        let (forgotten, settle_now) = self.keep(n, message);
        if let Some(forgotten) = forgotten {
            self.forget(forgotten);
        }
        bump(&self.counters.accepted);
        if settle_now {
            let (inner, server) = (Arc::clone(self), server.clone());
            tokio::spawn(async move { inner.settle(&server, n) });
        }
        if dls.is_empty() {
            return Answer::message_id(id);
        }
        // No distribution list is known here: each is unsuccessful.
        let mut resp = SubmitMultiRespBuilder::new(0).message_id(id.as_str());
        for dl in dls {
            resp = resp.unsuccess(
                smpp_core::Ton::UNKNOWN,
                smpp_core::Npi::UNKNOWN,
                dl,
                CommandStatus::ESME_RINVDLNAME,
            );
        }
        response(resp.build())
    }

    /// Joins the parts of long messages; logs and shows complete ones.
    /// False if a complete message could not be logged.
    fn record(&self, system_id: &Bytes, data: &UserData, id: String) -> bool {
        let Some(message) = lock(&self.assembler).push(system_id.clone(), data, Some(id)) else {
            return true;
        };
        bump(&self.counters.complete);
        let mut line = Map::new();
        line.insert("system_id".into(), lossy(system_id).into());
        line.extend(message.to_json());
        let line = Value::Object(line);
        if let Some(log) = &self.settings.log
            && !log.line(&line)
        {
            return false;
        }
        let mut recent = lock(&self.recent);
        if recent.len() >= RECENT {
            recent.pop_front();
        }
        recent.push_back(line);
        true
    }

    /// Keeps message `n` and queues it for [`Self::settle_due`], or says
    /// that it settles now (no `--dlr-delay-ms`); gives back the message
    /// the store forgot to make room for it. Both are done under the
    /// store's lock: the store and the queue, each capped at
    /// `--keep-messages` and dropping its oldest, then take messages in the
    /// same order and drop the same one, so that no message the store keeps
    /// loses its place in the queue and never settles.
    fn keep(&self, n: u64, message: Stored) -> (Option<Stored>, bool) {
        let mut store = lock(&self.store);
        let forgotten = store.insert(n, message);
        let delay = self.settings.dlr_delay;
        if delay.is_zero() {
            return (forgotten, true);
        }
        let mut due = lock(&self.due);
        if due.len() >= self.settings.keep_messages.max(1) {
            due.pop_front();
        }
        due.push_back((Instant::now() + delay, n));
        if due.len() == 1 {
            self.due_added.notify_one();
        }
        (forgotten, false)
    }

    /// Settles each queued message once its delay is over, for ever.
    pub(crate) async fn settle_due(self: Arc<Self>, server: ServerHandle) {
        loop {
            let next = lock(&self.due).front().copied();
            match next {
                None => self.due_added.notified().await,
                Some((at, _)) if at > Instant::now() => tokio::time::sleep_until(at).await,
                Some(_) => {
                    let Some((_, n)) = lock(&self.due).pop_front() else {
                        continue;
                    };
                    let (inner, server) = (Arc::clone(&self), server.clone());
                    tokio::spawn(async move { inner.settle(&server, n) });
                }
            }
        }
    }

    /// Gives message `n` its final state from the mix and sends the
    /// receipts its `registered_delivery` asks for.
    fn settle(self: &Arc<Self>, server: &ServerHandle, n: u64) {
        let settled = lock(&self.store).update(None, n, |message| {
            if !message.is_pending() {
                // Cancelled meanwhile.
                return None;
            }
            if !finish(message) {
                return None;
            }
            let id = message_id(n);
            let receipts: Vec<DeliverSm> = message
                .destinations
                .iter()
                .filter_map(|dest| receipt(&id, message, dest))
                .collect();
            Some((message.system_id.clone(), receipts))
        });
        let Some(Some((system_id, receipts))) = settled else {
            return;
        };
        for pdu in receipts {
            self.deliver_receipt(server, &system_id, pdu);
        }
    }

    /// Receipts of the messages not settled yet (waiting out
    /// `--dlr-delay-ms` or about to settle; not cancelled, still kept):
    /// one per destination of each whose `registered_delivery` asks for a
    /// receipt in the final state it is to reach. They are neither sent,
    /// failed, waiting nor dropped yet; a simulator that stops never sends
    /// them. A count the store keeps as messages come, change and go.
    pub(crate) fn receipts_due(&self) -> usize {
        lock(&self.store).receipts_due()
    }

    /// The store forgot `message` to make room (`--keep-messages`). If it
    /// had not settled yet, it settles now, and the receipts it asks for,
    /// which can no longer be made, count as dropped: every receipt asked
    /// for is sent, failed, waiting, being sent, dropped or still due.
    fn forget(&self, mut message: Stored) {
        if message.is_pending() && finish(&mut message) {
            let lost = u64::try_from(message.destinations.len()).unwrap_or(u64::MAX);
            self.counters
                .receipts_dropped
                .fetch_add(lost, Ordering::Relaxed);
        }
    }

    /// Sends `pdu` to a receiver of `system_id` when its turn comes (see
    /// [`Waiting`]).
    fn deliver_receipt(self: &Arc<Self>, server: &ServerHandle, system_id: &Bytes, pdu: DeliverSm) {
        let cap = self.settings.max_waiting_receipts;
        let now = {
            // Counted under the lock: see `Inner::receipts`.
            let mut waiting = lock(&self.waiting);
            let (now, kept) = waiting.enter(system_id, pdu, cap);
            if !kept {
                bump(&self.counters.receipts_dropped);
            }
            now
        };
        if let Some(first) = now {
            self.spawn_sender(server.clone(), system_id.clone(), first);
        }
    }

    /// One sender of receipts of `system_id`: sends `first`, then the
    /// account's next waiting receipt, until none waits or no receiver is
    /// bound.
    fn spawn_sender(self: &Arc<Self>, server: ServerHandle, system_id: Bytes, first: DeliverSm) {
        let inner = Arc::clone(self);
        tokio::spawn(async move {
            let mut pdu = first;
            loop {
                let outcome = Self::send_receipt(&server, &system_id, pdu).await;
                // Counted under the lock, as the receipt leaves the
                // senders: see `Inner::receipts`.
                let mut waiting = lock(&inner.waiting);
                let counters = &inner.counters;
                match outcome {
                    Sent::Unsent(unsent) => {
                        let cap = inner.settings.max_waiting_receipts;
                        if !waiting.park(&system_id, *unsent, cap) {
                            bump(&counters.receipts_dropped);
                        }
                        return;
                    }
                    Sent::Ok => bump(&counters.receipts_sent),
                    Sent::Failed => bump(&counters.receipts_failed),
                }
                match waiting.next(&system_id) {
                    Some(next) => pdu = next,
                    None => return,
                }
            }
        });
    }

    /// Sends `pdu` to a receiver of `system_id`. One whose session closed
    /// before writing it goes to another receiver of the account; one the
    /// ESME could not take for now (a temporary error: `ESME_RX_T_APPN`,
    /// or it throttles) is sent again after [`RECEIPT_RETRY`]; with none
    /// bound, or after [`RECEIPT_ROUTES`] tries, it comes back, to wait
    /// for the next bind. One that was written and got no answer (it may
    /// have arrived: sending it again could deliver it twice), or another
    /// error answer, is failed.
    async fn send_receipt(server: &ServerHandle, system_id: &Bytes, pdu: DeliverSm) -> Sent {
        // Each try that finds the session closed takes another session.
        for _ in 0..RECEIPT_ROUTES {
            match server
                .deliver_to_system_id(&lossy(system_id), pdu.clone())
                .await
            {
                Ok(resp) if resp.is_ok() => return Sent::Ok,
                Ok(resp) if is_temporary(resp.command_status) => {
                    tokio::time::sleep(RECEIPT_RETRY).await;
                }
                Err(Error::Closed(_)) => {}
                Err(Error::NoRoute) => break,
                Ok(_) | Err(_) => return Sent::Failed,
            }
        }
        Sent::Unsent(Box::new(pdu))
    }

    /// A receiver of `system_id` bound: the receipts that waited for one
    /// go out.
    fn flush_waiting(self: &Arc<Self>, server: &ServerHandle, system_id: &Bytes) {
        let mut waiting = lock(&self.waiting);
        while let Some(first) = waiting.start(system_id) {
            self.spawn_sender(server.clone(), system_id.clone(), first);
        }
    }

    /// Answers with `f` on the message of the account `system_id` whose id,
    /// as the simulator writes it, is `id`; with `ESME_RINVMSGID` if there
    /// is none.
    fn with_message(
        &self,
        system_id: &[u8],
        id: &[u8],
        f: impl FnOnce(&mut Stored) -> Answer,
    ) -> Answer {
        let mut store = lock(&self.store);
        let n = core::str::from_utf8(id).ok().and_then(|id| id.parse().ok());
        n.and_then(|n| store.update(Some(system_id), n, f))
            .unwrap_or(Answer::Status(CommandStatus::ESME_RINVMSGID))
    }

    fn query(&self, system_id: &[u8], query: &QuerySm) -> Answer {
        bump(&self.counters.queries);
        self.with_message(system_id, query.message_id.as_bytes(), |message| {
            let final_date = message
                .done
                .and_then(|t| AbsoluteTime::from_unix_seconds(t, 0).ok())
                .map(|t| String::from_utf8_lossy(&SmppTime::Absolute(t).format()).into_owned())
                .unwrap_or_default();
            response(
                QuerySmRespBuilder::new(0)
                    .message_id(query.message_id.as_bytes())
                    .final_date(final_date)
                    .message_state(message.state)
                    .error_code(message.error)
                    .build(),
            )
        })
    }

    fn cancel(&self, system_id: &[u8], cancel: &CancelSm) -> Answer {
        bump(&self.counters.cancels);
        let now = unix_now();
        let source = cancel.source_addr.as_bytes();
        let delete = |m: &mut Stored| {
            m.state = MessageState::DELETED;
            m.done = Some(now);
        };
        if !cancel.message_id.is_empty() {
            return self.with_message(system_id, cancel.message_id.as_bytes(), |message| {
                if !message.may_change(source) {
                    return Answer::Status(CommandStatus::ESME_RCANCELFAIL);
                }
                delete(message);
                Answer::Ok
            });
        }
        // No message id: every pending message from the source to the
        // destination (and of the service type, if given).
        let mut store = lock(&self.store);
        let dest = cancel.destination_addr.as_bytes();
        let service_type = cancel.service_type.as_bytes();
        let mut cancelled = 0usize;
        store.update_account(system_id, |message| {
            let matches = message.is_pending()
                && message.source.addr == source
                && (dest.is_empty() || message.destinations.iter().any(|d| d.addr == dest))
                && (service_type.is_empty() || message.service_type == service_type);
            if matches {
                delete(message);
                cancelled += 1;
            }
        });
        if cancelled == 0 {
            Answer::Status(CommandStatus::ESME_RCANCELFAIL)
        } else {
            Answer::Ok
        }
    }

    fn replace(&self, system_id: &[u8], replace: &ReplaceSm) -> Answer {
        bump(&self.counters.replaces);
        self.with_message(system_id, replace.message_id.as_bytes(), |message| {
            if !message.may_change(replace.source_addr.as_bytes()) {
                return Answer::Status(CommandStatus::ESME_RREPLACEFAIL);
            }
            message.content = match replace.tlvs.get(TlvTag::MESSAGE_PAYLOAD) {
                Some(tlv) if replace.short_message.is_empty() => owned(tlv.value),
                _ => owned(&replace.short_message),
            };
            // A replace_sm has no user data header.
            message.tables = Tables::DEFAULT;
            message.registered_delivery = replace.registered_delivery;
            Answer::Ok
        })
    }

    /// Sends a mobile-originated message (split as long as it needs) to
    /// `target`; the status of each part's `deliver_sm_resp`.
    pub(crate) async fn inject_mo(
        &self,
        server: &ServerHandle,
        target: &Target,
        source: &str,
        destination: &str,
        content: &MoContent,
    ) -> Result<Vec<CommandStatus>, MoError> {
        let template = SubmitSm {
            source_addr: COctet::new(owned(source.as_bytes())),
            destination_addr: COctet::new(owned(destination.as_bytes())),
            ..SubmitSm::default()
        };
        let reference = self.next_reference.fetch_add(1, Ordering::Relaxed);
        let method = Method::Udh8 {
            reference: u8::try_from(reference % 256).unwrap_or(0),
        };
        let content = match content {
            MoContent::Text(text, languages) => {
                Content::Text(text, choose_for(text, languages, Concatenation::Udh8))
            }
            MoContent::Binary(octets) => Content::Binary(octets),
        };
        let parts =
            smpp_std::text::deliver_sms(&template, content, method, SplitOptions::default())
                .map_err(MoError::Split)?;
        let mut statuses = Vec::with_capacity(parts.len());
        for part in parts {
            let sent = match target {
                Target::SystemId(system_id) => server.deliver_to_system_id(system_id, part).await,
                Target::Address => server.deliver_to_address(destination, part).await,
            };
            match sent {
                Ok(resp) => {
                    bump(if resp.is_ok() {
                        &self.counters.mo_sent
                    } else {
                        &self.counters.mo_failed
                    });
                    statuses.push(resp.command_status);
                }
                Err(e) => {
                    bump(&self.counters.mo_failed);
                    return Err(MoError::Deliver(e));
                }
            }
        }
        Ok(statuses)
    }
}

/// Where a message goes: its source, its SME destinations, its service
/// type and the distribution lists it names.
struct Addressing {
    source: Address,
    destinations: Vec<Address>,
    service_type: Bytes,
    dls: Vec<Bytes>,
}

/// The addressing of a `submit_sm`, `data_sm` or `submit_multi`.
fn addressing(body: &Body<Bytes>) -> Option<Addressing> {
    let address = |ton, npi, addr: &[u8]| Address {
        ton,
        npi,
        addr: owned(addr),
    };
    // submit_sm and data_sm name these fields alike.
    macro_rules! one_destination {
        ($sm:expr) => {
            Addressing {
                source: address(
                    $sm.source_addr_ton,
                    $sm.source_addr_npi,
                    $sm.source_addr.as_bytes(),
                ),
                destinations: vec![address(
                    $sm.dest_addr_ton,
                    $sm.dest_addr_npi,
                    $sm.destination_addr.as_bytes(),
                )],
                service_type: owned($sm.service_type.as_bytes()),
                dls: Vec::new(),
            }
        };
    }
    Some(match body {
        Body::SubmitSm(sm) => one_destination!(sm),
        Body::DataSm(sm) => one_destination!(sm),
        Body::SubmitMulti(sm) => {
            let mut destinations = Vec::new();
            let mut dls = Vec::new();
            for dest in &sm.dest_address {
                match dest {
                    smpp_core::DestAddress::SmeAddress {
                        dest_addr_ton,
                        dest_addr_npi,
                        destination_addr,
                    } => destinations.push(address(
                        dest_addr_ton,
                        dest_addr_npi,
                        destination_addr.as_bytes(),
                    )),
                    smpp_core::DestAddress::DistributionList { dl_name } => {
                        dls.push(owned(dl_name.as_bytes()));
                    }
                }
            }
            Addressing {
                source: address(
                    sm.source_addr_ton,
                    sm.source_addr_npi,
                    sm.source_addr.as_bytes(),
                ),
                destinations,
                service_type: owned(sm.service_type.as_bytes()),
                dls,
            }
        }
        _ => return None,
    })
}

/// The first characters of a message for a receipt's `text:`, in plain
/// ASCII.
fn excerpt(message: &Stored) -> String {
    decode_parts(
        message.data_coding,
        [(message.tables, &message.content[..])],
    )
    .unwrap_or_default()
    .chars()
    .take(20)
    .map(|c| {
        if c.is_ascii_graphic() || c == ' ' {
            c
        } else {
            '?'
        }
    })
    .collect()
}

/// The delivery receipt of message `id` for its destination `dest`
/// (`smpp_std::receipt`): the text of SMPP's appendix, with
/// `receipted_message_id` and `message_state` (and `network_error_code`
/// when it failed), from the destination back to the source.
fn receipt(id: &str, message: &Stored, dest: &Address) -> Option<DeliverSm> {
    let date = |secs| ReceiptDate::from_unix_seconds(secs, false).ok();
    let excerpt = excerpt(message);
    let receipt = ReceiptBuilder {
        // Network type 3: GSM.
        network_error_code: (message.error != 0).then_some((3, u16::from(message.error))),
        submit_date: date(message.submitted),
        done_date: date(message.done.unwrap_or(message.submitted)),
        text: excerpt.as_bytes(),
        ..ReceiptBuilder::new(id.as_bytes(), message.state)
    };
    let mut body =
        smpp_std::receipt::deliver_sm(&receipt, &dest.addr, &message.source.addr).ok()?;
    body.service_type = COctet::new(message.service_type.clone());
    body.source_addr_ton = dest.ton;
    body.source_addr_npi = dest.npi;
    body.dest_addr_ton = message.source.ton;
    body.dest_addr_npi = message.source.npi;
    Some(body)
}

impl Handler for Sim {
    async fn bind(&self, _cx: &Context, request: &BindRequest) -> CommandStatus {
        let Some(users) = &self.inner.settings.users else {
            return CommandStatus::ESME_ROK;
        };
        let status = match users.get(request.system_id()) {
            None => CommandStatus::ESME_RINVSYSID,
            Some(password) if password != request.password() => CommandStatus::ESME_RINVPASWD,
            Some(_) => CommandStatus::ESME_ROK,
        };
        if !status.is_ok() {
            bump(&self.inner.counters.binds_refused);
        }
        status
    }

    async fn request(&self, cx: &Context, pdu: Pdu) -> Answer {
        self.inner.answer(cx, &pdu)
    }

    fn bound(&self, cx: &Context) {
        if receives(cx.session())
            && let Some(system_id) = cx.session().system_id()
        {
            let system_id = owned(system_id.as_bytes());
            lock(&self.inner.waiting).receiver_bound(&system_id);
            self.inner.flush_waiting(cx.server(), &system_id);
        }
    }

    fn closed(&self, cx: &Context, _reason: CloseReason) {
        if receives(cx.session())
            && let Some(system_id) = cx.session().system_id()
        {
            lock(&self.inner.waiting).receiver_closed(&owned(system_id.as_bytes()));
        }
        if let Some(peer) = cx.session().peer_addr() {
            lock(&self.inner.windows).remove(&peer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{
        Bytes, DeliverSm, IN_FLIGHT_PER_ACCOUNT, MAX_IN_FLIGHT_PER_ACCOUNT, Mix, Settings, Sim,
        Waiting, lock,
    };
    use crate::store::Stored;
    use core::sync::atomic::Ordering;
    use core::time::Duration;
    use smpp_core::MessageState;

    #[test]
    fn every_message_kept_stays_queued_to_settle_when_sessions_race() {
        let settings = Settings {
            users: None,
            dlr_delay: Duration::from_secs(3600),
            mix: Mix::parse("delivered=1").unwrap(),
            throttle_above: None,
            keep_messages: 4,
            max_waiting_receipts: 16,
            window: 10,
            log: None,
            reassembly_timeout: Duration::from_secs(300),
        };
        let sim = Sim::new(settings);
        // Sessions on several threads accept messages at once. The store
        // and the queue to settle, both capped at 4 and dropping their
        // oldest, change together: at any time they hold the same messages
        // in the same order, so neither drops one the other keeps (a
        // message kept but no longer queued would never settle).
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..2000 {
                        let n = sim.inner.next_id.fetch_add(1, Ordering::Relaxed);
                        let (_, now) = sim.inner.keep(n, message());
                        assert!(!now, "a receipt delay is set");
                        let store = lock(&sim.inner.store);
                        let due = lock(&sim.inner.due);
                        let queued: Vec<u64> = due.iter().map(|(_, n)| *n).collect();
                        assert_eq!(store.ids().collect::<Vec<_>>(), queued);
                    }
                });
            }
        });
        assert_eq!(lock(&sim.inner.due).len(), 4);
    }

    /// A message as `accept` keeps it.
    fn message() -> Stored {
        let address = crate::store::Address {
            ton: smpp_core::Ton::UNKNOWN,
            npi: smpp_core::Npi::UNKNOWN,
            addr: Bytes::from_static(b"447700900123"),
        };
        Stored {
            system_id: Bytes::from_static(b"shop"),
            service_type: Bytes::new(),
            source: address.clone(),
            destinations: vec![address],
            data_coding: smpp_core::DataCoding::default(),
            content: Bytes::from_static(b"hi"),
            tables: smpp_core::text::gsm7::Tables::DEFAULT,
            registered_delivery: smpp_core::RegisteredDelivery::default(),
            submitted: 0,
            state: MessageState::ENROUTE,
            fate: MessageState::DELIVERED,
            done: None,
            error: 0,
        }
    }

    #[test]
    fn waiting_receipts_are_capped_in_all_the_oldest_of_the_account_going() {
        let (a, b) = (Bytes::from_static(b"a"), Bytes::from_static(b"b"));
        let mut waiting = Waiting::new(10);
        assert!(waiting.push(&a, numbered(1), 3));
        assert!(waiting.push(&b, numbered(2), 3));
        assert!(waiting.push(&a, numbered(3), 3));
        assert!(!waiting.push(&a, numbered(4), 3), "three in all");
        assert_eq!(waiting.total, 3);
        assert_eq!(waiting.by_account[&a].in_flight, 0);
        let queued = |w: &Waiting| {
            w.by_account[&a]
                .queue
                .iter()
                .map(number)
                .collect::<Vec<_>>()
        };
        assert_eq!(queued(&waiting), [3, 4]);
        // An account with none waiting cannot make room: the new one goes.
        let c = Bytes::from_static(b"c");
        assert!(!waiting.push(&c, numbered(5), 3));
        assert!(!waiting.by_account.contains_key(&c));
        // Nor can a receipt put back.
        assert!(!waiting.park(&b, numbered(6), 3));
        assert_eq!(waiting.total, 3);
    }

    /// A receipt numbered `n` (in its `esm_class`).
    fn numbered(n: u32) -> DeliverSm {
        DeliverSm {
            esm_class: smpp_core::EsmClass::from(u8::try_from(n % 256).unwrap()),
            ..DeliverSm::default()
        }
    }

    fn number(receipt: &DeliverSm) -> u32 {
        u32::from(u8::from(receipt.esm_class))
    }

    #[test]
    fn receipts_beyond_the_senders_wait_and_are_taken_in_order() {
        let a = Bytes::from_static(b"a");
        let mut waiting = Waiting::new(10);
        // The first IN_FLIGHT_PER_ACCOUNT each get a sender, the rest wait.
        for n in 0..300 {
            let (now, kept) = waiting.enter(&a, numbered(n), usize::MAX);
            assert!(kept);
            assert_eq!(now.is_some(), (n as usize) < IN_FLIGHT_PER_ACCOUNT, "{n}");
        }
        assert_eq!(waiting.total, 300 - IN_FLIGHT_PER_ACCOUNT);
        // A sender that finishes takes the oldest waiting one.
        assert_eq!(waiting.next(&a).as_ref().map(number), Some(0));
        // One with no receiver puts its receipt back first in line.
        assert!(waiting.park(&a, numbered(7), usize::MAX));
        assert_eq!(waiting.start(&a).as_ref().map(number), Some(7));
        assert!(waiting.start(&a).is_none(), "every sender busy again");
        assert_eq!(waiting.next(&a).as_ref().map(number), Some(1));
        // When none waits, each sender stops, and the account is forgotten.
        while waiting.next(&a).is_some() {}
        for _ in 1..IN_FLIGHT_PER_ACCOUNT {
            assert!(waiting.next(&a).is_none());
        }
        assert!(waiting.by_account.is_empty());
        assert_eq!(waiting.total, 0);
    }

    #[test]
    fn an_account_sends_as_many_receipts_at_once_as_its_receivers_windows_hold() {
        let a = Bytes::from_static(b"a");
        let mut waiting = Waiting::new(10);
        for _ in 0..100 {
            waiting.receiver_bound(&a);
        }
        let started = (0..1500)
            .filter(|&n| waiting.enter(&a, numbered(n), usize::MAX).0.is_some())
            .count();
        assert_eq!(started, 1000, "100 windows of 10");
        assert_eq!(waiting.total, 500);
        // 99 receivers close: senders stop as they finish, down to the
        // floor, without taking the receipts that wait.
        for _ in 0..99 {
            waiting.receiver_closed(&a);
        }
        for _ in 0..1000 - IN_FLIGHT_PER_ACCOUNT {
            assert!(waiting.next(&a).is_none());
        }
        assert_eq!(waiting.total, 500);
        assert!(waiting.next(&a).is_some(), "within the floor again");
        assert_eq!(waiting.total, 499);
        // With thousands of receivers, at most the cap.
        let b = Bytes::from_static(b"b");
        for _ in 0..10_000 {
            waiting.receiver_bound(&b);
        }
        assert_eq!(waiting.senders(&b), MAX_IN_FLIGHT_PER_ACCOUNT);
        assert_eq!(
            waiting.senders(&Bytes::from_static(b"c")),
            IN_FLIGHT_PER_ACCOUNT
        );
    }

    #[test]
    fn the_mix_is_parsed_and_drawn_by_weight() {
        let mix = Mix::parse("delivered=0,undeliverable=1").unwrap();
        assert!((0..100).all(|_| mix.draw() == MessageState::UNDELIVERABLE));
        let mix = Mix::parse("Delivered=95, expired=5").unwrap();
        assert_eq!(
            mix.0,
            vec![(MessageState::DELIVERED, 95), (MessageState::EXPIRED, 5)]
        );
        // Weights that add up beyond u32::MAX keep their proportions.
        let mix = Mix::parse("delivered=4294967295,expired=4294967295").unwrap();
        let expired = (0..1000)
            .filter(|_| mix.draw() == MessageState::EXPIRED)
            .count();
        assert!((300..700).contains(&expired), "{expired} of 1000");
        assert!(Mix::parse("delivered=0").is_err());
        assert!(Mix::parse("enroute=1").is_err());
        assert!(Mix::parse("delivered").is_err());
        assert!(Mix::parse("delivered=x").is_err());
    }
}
