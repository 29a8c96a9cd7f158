//! Owned reassembly of concatenated messages received from many peers.
//!
//! Parts are keyed by [`MessageKey`]: the peer (for example the bound session), the source and
//! destination addresses, the kind of reference (8-bit or 16-bit concatenation element, or SAR)
//! and the reference number, so equal references from different senders, or of different
//! kinds from one sender, never mix. A part that cannot belong to the incomplete message under
//! its key (another total, or a part number received with another payload) means the sender
//! reused the reference: that message ends, to be reported like an expired one, and the part
//! begins a new one. Incomplete messages expire after a time limit measured with the `now`
//! instants the caller passes in, and each peer may hold at most a configured number of octets:
//! the payloads it sent plus the bookkeeping of each incomplete message ([`message_overhead`]),
//! so parts without payload still cost memory, plus the reports of its messages dropped for
//! their age or ended by a new message reusing their reference, that wait for
//! [`Reassembler::expire`] ([`report_overhead`]). Stored payloads are copied out of the
//! received buffer, so a part never keeps a larger frame alive.
//!
//! ```
//! use std::time::Instant;
//! use bytes::Bytes;
//! use smpp_core::text::reassembly::ReferenceKind;
//! use smpp_std::reassembly::{Config, MessageKey, Outcome, Reassembler};
//!
//! let mut r = Reassembler::new(Config::default());
//! let now = Instant::now();
//! let key = MessageKey::new("esme-1", "447700900001", "447700900002", ReferenceKind::Sar, 0x2A);
//! assert!(matches!(r.insert(now, key.clone(), 2, 2, Bytes::from_static(b"rld")), Ok(Outcome::Incomplete { .. })));
//! let Ok(Outcome::Complete(msg)) = r.insert(now, key, 2, 1, Bytes::from_static(b"wo")) else { panic!() };
//! assert_eq!(msg.concat(), Bytes::from_static(b"world"));
//! ```

use core::hash::Hash;
use core::time::Duration;
use std::collections::hash_map::Entry as MapEntry;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use smpp_core::EsmClass;
pub use smpp_core::text::reassembly::ReferenceKind;
use smpp_core::text::reassembly::{Part, PartError};
use smpp_core::text::udh::{Udh, UdhError};

use crate::owned::{DataSm, DeliverSm, Tlvs};

/// Identifies one concatenated message.
///
/// Equal references from two peers are two messages:
///
/// ```
/// use std::time::Instant;
///
/// use bytes::Bytes;
/// use smpp_std::reassembly::{Config, MessageKey, Outcome, Reassembler, ReferenceKind};
///
/// let mut r = Reassembler::new(Config::default());
/// let now = Instant::now();
/// let key = |peer| MessageKey::new(peer, "447700900001", "40404", ReferenceKind::Udh8, 7);
/// let first = r.insert(now, key("esme-1"), 2, 1, Bytes::from_static(b"Hello, "))?;
/// assert_eq!(first, Outcome::Incomplete { received: 1, total: 2 });
/// let other = r.insert(now, key("esme-2"), 2, 2, Bytes::from_static(b"Bob"))?;
/// assert_eq!(other, Outcome::Incomplete { received: 1, total: 2 });
/// assert_eq!(r.len(), 2);
///
/// let last = r.insert(now, key("esme-1"), 2, 2, Bytes::from_static(b"Alice"))?;
/// let Outcome::Complete(message) = last else { panic!("complete") };
/// assert_eq!(message.concat(), "Hello, Alice");
/// assert_eq!(r.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageKey<P> {
    /// The peer the parts came from (session, system id...).
    pub peer: P,
    /// Source address of the parts.
    pub source: Bytes,
    /// Destination address of the parts.
    pub dest: Bytes,
    /// Where the reference comes from: a sender numbers its 8-bit and 16-bit concatenation
    /// elements and its SAR messages apart, so equal numbers of different kinds are different
    /// messages.
    pub kind: ReferenceKind,
    /// Concatenation reference (UDH or `sar_msg_ref_num`).
    pub reference: u16,
}

impl<P> MessageKey<P> {
    /// Builds a key (see the example on [`MessageKey`]).
    pub fn new(
        peer: P,
        source: impl AsRef<[u8]>,
        dest: impl AsRef<[u8]>,
        kind: ReferenceKind,
        reference: u16,
    ) -> Self {
        Self {
            peer,
            source: Bytes::copy_from_slice(source.as_ref()),
            dest: Bytes::copy_from_slice(dest.as_ref()),
            kind,
            reference,
        }
    }
}

/// Limits of a [`Reassembler`].
///
/// A peer with room for one message and one report, that reuses a reference after the time
/// limit:
///
/// ```
/// use std::time::{Duration, Instant};
///
/// use bytes::Bytes;
/// use smpp_std::reassembly::{
///     Config, MessageKey, ReassemblyError, Reassembler, ReferenceKind, message_overhead,
///     report_overhead,
/// };
///
/// let key = MessageKey::new("esme-1", "447700900001", "40404", ReferenceKind::Udh8, 7);
/// // One part of 3 octets of a 2-part message, and the report of one dropped message.
/// let cap = 3 + message_overhead(&key, 2) + report_overhead(&key);
/// let config = Config { timeout: Duration::from_secs(60), max_bytes_per_peer: cap };
/// let mut r = Reassembler::new(config);
/// let part = || Bytes::from_static(b"abc");
/// let mut now = Instant::now();
/// r.insert(now, key.clone(), 2, 1, part())?;
/// assert_eq!(r.held_by(&"esme-1"), cap - report_overhead(&key));
///
/// // The reference again after the time limit: a new message; the old one is reported later.
/// now += Duration::from_secs(61);
/// r.insert(now, key.clone(), 2, 1, part())?;
/// assert_eq!((r.len(), r.reports_waiting()), (1, 1));
/// assert_eq!(r.held_by(&"esme-1"), cap);
///
/// // Once more: no room for two reports, so the older is discarded.
/// now += Duration::from_secs(61);
/// r.insert(now, key.clone(), 2, 1, part())?;
/// assert_eq!((r.reports_waiting(), r.reports_discarded()), (1, 1));
/// assert_eq!(r.expire(now).len(), 1);
/// assert_eq!(r.reports_waiting(), 0);
///
/// // A second message does not fit; a part numbered past its total is refused.
/// let other = MessageKey::new("esme-1", "447700900001", "40404", ReferenceKind::Udh8, 8);
/// let refused = r.insert(now, other, 2, 1, part());
/// assert!(matches!(refused, Err(ReassemblyError::MemoryCapExceeded { .. })));
/// assert_eq!(r.insert(now, key, 2, 3, part()), Err(ReassemblyError::InvalidPart));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// How long an incomplete message is kept after its first part.
    pub timeout: Duration,
    /// Octets that one peer's incomplete messages may hold together: payloads plus the
    /// bookkeeping of each message ([`message_overhead`]), plus the reports of its messages
    /// dropped for their age (or ended by a new message under their key) that wait for
    /// [`Reassembler::expire`] ([`report_overhead`]).
    pub max_bytes_per_peer: usize,
}

impl Default for Config {
    /// Five minutes and 1 MiB per peer: room for the incomplete long
    /// messages of a bulk ESME with about a thousand parts in flight (each
    /// part can begin a message, and each message is charged its
    /// [`message_overhead`] besides its payloads).
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(300),
            max_bytes_per_peer: 1024 * 1024,
        }
    }
}

/// Errors from [`Reassembler::insert`].
///
/// See the example on [`Config`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReassemblyError {
    /// Total is 0, or the sequence number is 0 or above the total.
    #[error("invalid part numbering")]
    InvalidPart,
    /// Storing the part would take the peer above its memory cap, even after dropping the
    /// peer's messages older than the time limit and discarding its waiting reports; the part
    /// was dropped.
    #[error("peer holds {held} octets, {incoming} more would exceed the cap of {cap}")]
    MemoryCapExceeded {
        /// Octets charged to the peer now.
        held: usize,
        /// Octets the part would add: its payload, plus [`message_overhead`] for the first
        /// part of a message.
        incoming: usize,
        /// The configured cap.
        cap: usize,
    },
    /// The short message's user data header is malformed.
    #[error("user data header: {0}")]
    Udh(UdhError),
    /// Some of the three SAR TLVs are present and some are not (see
    /// [`PartError::IncompleteSar`]).
    #[error("the SAR TLVs are incomplete")]
    IncompleteSar,
}

impl From<PartError> for ReassemblyError {
    fn from(e: PartError) -> Self {
        match e {
            PartError::Udh(e) => Self::Udh(e),
            // PartError is non_exhaustive: anything else is a SAR problem.
            _ => Self::IncompleteSar,
        }
    }
}

/// A reassembled message.
///
/// See the example on [`MessageKey`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The payloads in sequence order (UDH removed).
    pub parts: Vec<Bytes>,
    /// The user data header of each part (with its UDHL octet), in the same order; empty for
    /// a part without one (joined by the SAR TLVs, or given to [`Reassembler::insert`]). A
    /// national language shift applies to its own part only (TS 23.038 annex C): decode each
    /// part with its header's tables ([`smpp_std::text::decode_message`](crate::text::decode_message)
    /// does).
    pub headers: Vec<Bytes>,
}

impl Message {
    /// All payloads joined. Joining is right for 8-bit and UCS-2 data and for unpacked GSM
    /// septets; packed GSM parts must be unpacked one by one instead.
    ///
    /// See the example on [`MessageKey`].
    pub fn concat(&self) -> Bytes {
        let mut out = BytesMut::with_capacity(self.parts.iter().map(Bytes::len).sum());
        for p in &self.parts {
            out.extend_from_slice(p);
        }
        out.freeze()
    }
}

/// Result of inserting a part.
///
/// See the examples on [`MessageKey`] and [`Reassembler`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Stored; parts are missing.
    Incomplete {
        /// Parts received.
        received: u8,
        /// Parts expected.
        total: u8,
    },
    /// The sequence number was already received with the same payload; the part was ignored.
    /// (With another payload, the part begins a new message: see [`Reassembler::insert`].)
    Duplicate,
    /// The message is complete and removed from the reassembler.
    Complete(Message),
}

/// A message dropped by [`Reassembler::expire`] (or by [`Reassembler::insert`], for its age or
/// because a new message reused its key), or still pending.
///
/// See the example on [`Reassembler`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incomplete<P> {
    /// The message's key.
    pub key: MessageKey<P>,
    /// Parts received.
    pub received: u8,
    /// Parts expected.
    pub total: u8,
    /// When its first part arrived.
    pub first_seen: Instant,
}

/// A part received: its user data header (empty without one) and its payload.
#[derive(Debug, Clone)]
struct Stored {
    header: Bytes,
    payload: Bytes,
}

#[derive(Debug)]
struct Entry {
    total: u8,
    parts: Vec<Option<Stored>>,
    received: u8,
    /// Octets charged to the peer: headers and payloads plus [`message_overhead`].
    bytes: usize,
    first_seen: Instant,
    /// Where the message is in its peer's [`Reassembler::by_age`].
    age: Age,
}

impl Entry {
    /// Whether part `seq` is stored.
    fn has(&self, seq: u8) -> bool {
        self.part(seq).is_some()
    }

    fn part(&self, seq: u8) -> Option<&Stored> {
        self.parts.get(usize::from(seq).checked_sub(1)?)?.as_ref()
    }

    /// Whether part `seq` of `total` cannot belong to this message: it announces another
    /// total, or the message holds part `seq` with another payload.
    fn conflicts(&self, total: u8, seq: u8, payload: &[u8]) -> bool {
        self.total != total || self.part(seq).is_some_and(|p| p.payload != payload)
    }
}

/// A message's place among its peer's by age: when its first part arrived, then the order in
/// which the messages began (to tell apart those begun at the same instant).
type Age = (Instant, u64);

/// Octets charged to a peer for keeping an incomplete message of `total` parts under `key`,
/// besides its payloads: the key (with its addresses), the entry, its slot for every part, the
/// table's share, and its place (a second key, sharing the addresses) in the peer's messages
/// by age. An estimate of the heap the reassembler spends on it.
///
/// See the example on [`Config`].
pub fn message_overhead<P>(key: &MessageKey<P>, total: u8) -> usize {
    // Hash tables keep some free room: count one control word per entry as well.
    let table = size_of::<MessageKey<P>>() + size_of::<Entry>() + size_of::<usize>();
    // The entry in the peer's tree by age, and a word of its node's bookkeeping.
    let by_age = size_of::<Age>() + size_of::<MessageKey<P>>() + size_of::<usize>();
    table
        + by_age
        + key.source.len()
        + key.dest.len()
        + usize::from(total) * size_of::<Option<Stored>>()
}

/// Octets charged to a peer for the report of one of its messages that [`Reassembler::insert`]
/// dropped (for its age, or because a new message reused its key), from then until
/// [`Reassembler::expire`] hands it out: the report and the addresses of its key. Always less
/// than the [`message_overhead`] the message was charged.
///
/// See the example on [`Config`].
pub fn report_overhead<P>(key: &MessageKey<P>) -> usize {
    size_of::<Incomplete<P>>() + key.source.len() + key.dest.len()
}

/// Reassembles concatenated messages from many peers; see the [module documentation](self).
///
/// A message whose last part never comes:
///
/// ```
/// use std::time::{Duration, Instant};
///
/// use bytes::Bytes;
/// use smpp_std::reassembly::{
///     Config, Incomplete, MessageKey, Outcome, Reassembler, ReferenceKind, message_overhead,
/// };
///
/// let config = Config { timeout: Duration::from_secs(60), ..Config::default() };
/// let mut r = Reassembler::new(config);
/// let start = Instant::now();
/// let key = MessageKey::new(1_u64, "447700900001", "40404", ReferenceKind::Sar, 0x2A);
///
/// let part = r.insert(start, key.clone(), 3, 1, Bytes::from_static(b"one "))?;
/// assert_eq!(part, Outcome::Incomplete { received: 1, total: 3 });
/// let again = r.insert(start, key.clone(), 3, 1, Bytes::from_static(b"one "))?;
/// assert_eq!(again, Outcome::Duplicate);
/// assert_eq!(r.held_by(&1), 4 + message_overhead(&key, 3)); // the payload and the bookkeeping
/// assert_eq!(r.len(), 1);
/// let pending: Vec<Incomplete<u64>> = r.incomplete().collect();
/// assert_eq!((pending[0].received, pending[0].total, pending[0].first_seen), (1, 3, start));
///
/// // Not yet too old; then dropped and reported once.
/// assert!(r.expire(start + Duration::from_secs(30)).is_empty());
/// let expired = r.expire(start + Duration::from_secs(61));
/// assert_eq!(expired.len(), 1);
/// assert_eq!((expired[0].key.clone(), expired[0].received, expired[0].total), (key, 1, 3));
/// assert!(r.is_empty());
/// assert_eq!(r.held_by(&1), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Reassembler<P> {
    config: Config,
    pending: HashMap<MessageKey<P>, Entry>,
    /// Each peer's incomplete messages, oldest first, so that making room for a part looks at
    /// the peer's stale messages only, not at every message held.
    by_age: HashMap<P, BTreeMap<Age, MessageKey<P>>>,
    /// The next message's place in [`Age`].
    begun: u64,
    held: HashMap<P, usize>,
    /// Messages dropped by [`Reassembler::insert`] (for their age, or ended by a new message
    /// under their key), oldest first, reported by the next [`Reassembler::expire`]; each
    /// charged to its peer ([`report_overhead`]).
    dropped: Vec<Incomplete<P>>,
    /// How many of [`Self::dropped`] each peer has, so that making room for a part of a peer
    /// without any does not look through the others'.
    dropped_of: HashMap<P, usize>,
    /// Reports discarded to make room for a part of the same peer.
    discarded: u64,
}

impl<P: Eq + Hash + Clone> Reassembler<P> {
    /// An empty reassembler.
    ///
    /// See the example on [`Reassembler`].
    pub fn new(config: Config) -> Self {
        Self {
            config,
            pending: HashMap::new(),
            by_age: HashMap::new(),
            begun: 0,
            held: HashMap::new(),
            dropped: Vec::new(),
            dropped_of: HashMap::new(),
            discarded: 0,
        }
    }

    /// Octets charged to the peer: its incomplete messages' payloads and bookkeeping, and the
    /// reports of its messages dropped (for their age, or ended by a new message under their
    /// key) that wait for [`expire`](Self::expire).
    ///
    /// See the example on [`Reassembler`].
    pub fn held_by(&self, peer: &P) -> usize {
        self.held.get(peer).copied().unwrap_or(0)
    }

    /// Number of reports of messages [`insert`](Self::insert) dropped (for their age, or ended
    /// by a new message under their key), waiting for the next [`expire`](Self::expire).
    ///
    /// See the example on [`Config`].
    pub fn reports_waiting(&self) -> usize {
        self.dropped.len()
    }

    /// How many such reports were discarded, oldest of the peer first, to make room for a part
    /// from the same peer; they are never reported. Calling [`expire`](Self::expire) often
    /// keeps this at 0.
    ///
    /// See the example on [`Config`].
    pub fn reports_discarded(&self) -> u64 {
        self.discarded
    }

    /// Number of incomplete messages.
    ///
    /// See the example on [`Reassembler`].
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// Whether no message is pending.
    ///
    /// See the example on [`Reassembler`].
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    fn release(&mut self, peer: &P, bytes: usize) {
        release(&mut self.held, peer, bytes);
    }

    fn is_stale(&self, e: &Entry, now: Instant) -> bool {
        now.saturating_duration_since(e.first_seen) > self.config.timeout
    }

    /// Takes the message out of its peer's messages by age.
    fn forget_age(&mut self, peer: &P, age: Age) {
        if let Some(ages) = self.by_age.get_mut(peer) {
            ages.remove(&age);
            if ages.is_empty() {
                self.by_age.remove(peer);
            }
        }
    }

    /// Removes the message under `key`, returning it for reporting.
    fn drop_entry(&mut self, key: &MessageKey<P>) -> Option<Incomplete<P>> {
        let e = self.pending.remove(key)?;
        self.forget_age(&key.peer, e.age);
        self.release(&key.peer, e.bytes);
        Some(Incomplete {
            key: key.clone(),
            received: e.received,
            total: e.total,
            first_seen: e.first_seen,
        })
    }

    /// Drops the message under `key`, keeping its report for [`Self::expire`], charged to its peer.
    fn drop_for_later(&mut self, key: &MessageKey<P>) {
        if let Some(gone) = self.drop_entry(key) {
            *self.held.entry(key.peer.clone()).or_insert(0) += report_overhead(key);
            *self.dropped_of.entry(key.peer.clone()).or_insert(0) += 1;
            self.dropped.push(gone);
        }
    }

    /// Drops `peer`'s messages older than the time limit, keeping them for [`Self::expire`]:
    /// the oldest of the peer's messages, one by one, until one is recent enough.
    fn drop_stale_of(&mut self, peer: &P, now: Instant) {
        loop {
            let Some(ages) = self.by_age.get_mut(peer) else {
                return;
            };
            let Some(oldest) = ages.first_entry() else {
                self.by_age.remove(peer);
                return;
            };
            if now.saturating_duration_since(oldest.key().0) <= self.config.timeout {
                return;
            }
            let key = oldest.remove();
            self.drop_for_later(&key);
        }
    }

    /// Discards `peer`'s oldest waiting report; `false` if it has none.
    fn discard_oldest_report_of(&mut self, peer: &P) -> bool {
        let Some(waiting) = self.dropped_of.get_mut(peer) else {
            return false;
        };
        *waiting = waiting.saturating_sub(1);
        if *waiting == 0 {
            self.dropped_of.remove(peer);
        }
        let Some(i) = self.dropped.iter().position(|g| &g.key.peer == peer) else {
            return false;
        };
        let gone = self.dropped.remove(i);
        self.release(peer, report_overhead(&gone.key));
        self.discarded += 1;
        true
    }

    /// Adds part `seq` (from 1) of `total`. An incomplete message older than the time limit with
    /// the same key is dropped first, so a reused reference starts afresh. So is one the part
    /// cannot belong to: when the part announces another total, or repeats a part number
    /// received with another payload, the sender has reused the reference for a new message
    /// (an 8-bit reference wraps after 256 messages), and the part begins it. The same part
    /// again, with the same payload, is an [`Outcome::Duplicate`].
    ///
    /// When the part would take the peer above [`Config::max_bytes_per_peer`], the peer's
    /// messages older than the time limit are dropped before the cap is checked again, and
    /// then, while it still does not fit, the peer's oldest waiting reports are discarded
    /// ([`reports_discarded`](Self::reports_discarded)). Messages dropped here, for their age
    /// or for a reused reference, are reported by the next [`expire`](Self::expire); until
    /// then each report is charged to its peer ([`report_overhead`]), so they cannot pile up
    /// without limit. Making room looks at the peer's own messages, oldest first, whatever the
    /// number of other peers' messages held.
    ///
    /// A reference reused before the old message's last part came:
    ///
    /// ```
    /// use std::time::Instant;
    ///
    /// use bytes::Bytes;
    /// use smpp_std::reassembly::{Config, MessageKey, Outcome, Reassembler, ReferenceKind};
    ///
    /// let mut r = Reassembler::new(Config::default());
    /// let now = Instant::now();
    /// let key = MessageKey::new("esme-1", "447700900001", "40404", ReferenceKind::Udh8, 7);
    /// r.insert(now, key.clone(), 3, 1, Bytes::from_static(b"Hello "))?;
    /// // Reference 7 again, in 2 parts: a new message.
    /// let first = r.insert(now, key.clone(), 2, 1, Bytes::from_static(b"Hi "))?;
    /// assert_eq!(first, Outcome::Incomplete { received: 1, total: 2 });
    /// let Outcome::Complete(message) = r.insert(now, key, 2, 2, Bytes::from_static(b"Bob"))? else {
    ///     panic!()
    /// };
    /// assert_eq!(message.concat(), "Hi Bob");
    /// // The old message is reported as incomplete.
    /// let lost = r.expire(now);
    /// assert_eq!((lost[0].received, lost[0].total), (1, 3));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn insert(
        &mut self,
        now: Instant,
        key: MessageKey<P>,
        total: u8,
        seq: u8,
        payload: Bytes,
    ) -> Result<Outcome, ReassemblyError> {
        self.insert_part(now, key, total, seq, Bytes::new(), payload)
    }

    /// [`Self::insert`] of a part with its user data `header` (empty without one), which is
    /// kept and charged to the peer with the payload.
    fn insert_part(
        &mut self,
        now: Instant,
        key: MessageKey<P>,
        total: u8,
        seq: u8,
        header: Bytes,
        payload: Bytes,
    ) -> Result<Outcome, ReassemblyError> {
        if total == 0 || seq == 0 || seq > total {
            return Err(ReassemblyError::InvalidPart);
        }
        if total == 1 {
            return Ok(Outcome::Complete(Message {
                parts: vec![payload],
                headers: vec![header],
            }));
        }
        if self
            .pending
            .get(&key)
            .is_some_and(|e| self.is_stale(e, now) || e.conflicts(total, seq, &payload))
        {
            self.drop_for_later(&key);
        }
        if self.pending.get(&key).is_some_and(|e| e.has(seq)) {
            return Ok(Outcome::Duplicate);
        }
        let overhead = if self.pending.contains_key(&key) {
            0
        } else {
            message_overhead(&key, total)
        };
        let incoming = payload
            .len()
            .saturating_add(header.len())
            .saturating_add(overhead);
        let cap = self.config.max_bytes_per_peer;
        if self.held_by(&key.peer).saturating_add(incoming) > cap {
            self.drop_stale_of(&key.peer, now);
            while self.held_by(&key.peer).saturating_add(incoming) > cap
                && self.discard_oldest_report_of(&key.peer)
            {}
            let held = self.held_by(&key.peer);
            if held.saturating_add(incoming) > cap {
                return Err(ReassemblyError::MemoryCapExceeded {
                    held,
                    incoming,
                    cap,
                });
            }
        }
        *self.held.entry(key.peer.clone()).or_insert(0) += incoming;
        // Copies: they may be slices of a much larger received buffer.
        let stored = Stored {
            header: Bytes::copy_from_slice(&header),
            payload: Bytes::copy_from_slice(&payload),
        };
        let mut occupied = match self.pending.entry(key) {
            MapEntry::Occupied(o) => o,
            MapEntry::Vacant(v) => {
                let age = (now, self.begun);
                self.begun = self.begun.wrapping_add(1);
                self.by_age
                    .entry(v.key().peer.clone())
                    .or_default()
                    .insert(age, v.key().clone());
                v.insert_entry(Entry {
                    total,
                    parts: vec![None; usize::from(total)],
                    received: 0,
                    bytes: 0,
                    first_seen: now,
                    age,
                })
            }
        };
        let entry = occupied.get_mut();
        entry.bytes += incoming;
        if let Some(slot) = entry.parts.get_mut(usize::from(seq - 1)) {
            *slot = Some(stored);
        }
        entry.received += 1;
        if entry.received < entry.total {
            return Ok(Outcome::Incomplete {
                received: entry.received,
                total: entry.total,
            });
        }
        let (key, done) = occupied.remove_entry();
        self.forget_age(&key.peer, done.age);
        release(&mut self.held, &key.peer, done.bytes);
        let (headers, parts) = done
            .parts
            .into_iter()
            .flatten()
            .map(|p| (p.header, p.payload))
            .unzip();
        Ok(Outcome::Complete(Message { parts, headers }))
    }

    /// Adds a `short_message` whose UDH (UDHI set in `esm_class`) may hold a concatenation
    /// element. A message without one is returned complete as it is (without its header), as is
    /// one whose element is numbered impossibly (total 0, sequence number 0 or above the
    /// total), which TS 23.040 9.2.3.24.1 has a receiver ignore ([`Udh::concat`]).
    ///
    /// ```
    /// use std::time::Instant;
    ///
    /// use bytes::Bytes;
    /// use smpp_std::reassembly::{Config, Message, Outcome, Reassembler};
    ///
    /// let mut r = Reassembler::new(Config::default());
    /// let now = Instant::now();
    /// // A user data header with an 8-bit concatenation element: reference 7, part `n` of 2.
    /// let part = |n: u8, text: &[u8]| Bytes::from([&[5, 0x00, 3, 7, 2, n][..], text].concat());
    /// let mut insert = |sm, udhi| r.insert_short_message(now, "esme-1", b"4477", b"404", sm, udhi);
    /// let first = insert(part(1, b"Hello, "), true)?;
    /// assert_eq!(first, Outcome::Incomplete { received: 1, total: 2 });
    /// let Outcome::Complete(message) = insert(part(2, b"Alice"), true)? else { panic!() };
    /// assert_eq!(message.concat(), "Hello, Alice");
    ///
    /// // Without UDHI, a message of its own.
    /// let single = insert(Bytes::from_static(b"Hi"), false)?;
    /// let Outcome::Complete(Message { parts, .. }) = single else { panic!() };
    /// assert_eq!(parts, [Bytes::from_static(b"Hi")]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn insert_short_message(
        &mut self,
        now: Instant,
        peer: P,
        source: &[u8],
        dest: &[u8],
        short_message: Bytes,
        udhi: bool,
    ) -> Result<Outcome, ReassemblyError> {
        if !udhi {
            return Ok(Outcome::Complete(Message {
                parts: vec![short_message],
                headers: vec![Bytes::new()],
            }));
        }
        let (udh, payload) = Udh::split(&short_message).map_err(ReassemblyError::Udh)?;
        let concat = udh.concat().map_err(ReassemblyError::Udh)?;
        let offset = short_message.len() - payload.len();
        let (header, payload) = (short_message.slice(..offset), short_message.slice(offset..));
        match concat {
            None => Ok(Outcome::Complete(Message {
                parts: vec![payload],
                headers: vec![header],
            })),
            Some(c) => self.insert_part(
                now,
                MessageKey::new(
                    peer,
                    source,
                    dest,
                    if c.wide {
                        ReferenceKind::Udh16
                    } else {
                        ReferenceKind::Udh8
                    },
                    c.reference,
                ),
                c.total,
                c.seq,
                header,
                payload,
            ),
        }
    }

    /// Drops and reports the messages whose first part is older than the time limit at `now`,
    /// together with those [`insert`](Self::insert) dropped (for their age, or ended by a new
    /// message under their key) since the last call
    /// (first, oldest first), whose charge the peers then get back. Each message is reported
    /// once, except the reports [`insert`](Self::insert) had to discard.
    ///
    /// See the example on [`Reassembler`].
    pub fn expire(&mut self, now: Instant) -> Vec<Incomplete<P>> {
        let old: Vec<MessageKey<P>> = self
            .pending
            .iter()
            .filter(|(_, e)| self.is_stale(e, now))
            .map(|(k, _)| k.clone())
            .collect();
        let mut out = core::mem::take(&mut self.dropped);
        self.dropped_of.clear();
        for gone in &out {
            release(&mut self.held, &gone.key.peer, report_overhead(&gone.key));
        }
        out.extend(old.iter().filter_map(|key| self.drop_entry(key)));
        out
    }

    /// Adds a received `deliver_sm` (or `submit_sm`, the same body), whichever way it is
    /// concatenated: by a concatenation element in its user data header or by the SAR TLVs
    /// (see [`Part::from_deliver_sm`]); the key takes its source and destination addresses.
    /// A message that is not part of a longer one is returned complete as it is, without its
    /// header. The user data is `short_message`, or `message_payload` when that is empty.
    ///
    /// ```
    /// use std::time::Instant;
    /// use bytes::Bytes;
    /// use smpp_core::{TlvBuf, TlvTag};
    /// use smpp_std::reassembly::{Config, Outcome, Reassembler};
    /// use smpp_std::{COctet, DeliverSm};
    ///
    /// let mut r = Reassembler::new(Config::default());
    /// let now = Instant::now();
    /// // Two parts of a message joined by the SAR TLVs.
    /// let part = |seq: u8, text: &'static str| {
    ///     let mut tlvs = TlvBuf::<16>::new();
    ///     tlvs.push_u16(TlvTag::SAR_MSG_REF_NUM, 0x2A).unwrap();
    ///     tlvs.push_u8(TlvTag::SAR_TOTAL_SEGMENTS, 2).unwrap();
    ///     tlvs.push_u8(TlvTag::SAR_SEGMENT_SEQNUM, seq).unwrap();
    ///     DeliverSm {
    ///         source_addr: COctet::new(Bytes::from_static(b"447700900001")),
    ///         short_message: Bytes::from_static(text.as_bytes()),
    ///         tlvs: tlvs.tlvs().map(Bytes::copy_from_slice),
    ///         ..DeliverSm::default()
    ///     }
    /// };
    /// assert!(matches!(r.insert_deliver_sm(now, "esme-1", &part(2, "rld")), Ok(Outcome::Incomplete { .. })));
    /// let Ok(Outcome::Complete(msg)) = r.insert_deliver_sm(now, "esme-1", &part(1, "wo")) else { panic!() };
    /// assert_eq!(msg.concat(), Bytes::from_static(b"world"));
    /// ```
    pub fn insert_deliver_sm(
        &mut self,
        now: Instant,
        peer: P,
        sm: &DeliverSm,
    ) -> Result<Outcome, ReassemblyError> {
        let part = Part::from_deliver_sm(sm)?;
        self.insert_user_data(
            now,
            peer,
            (sm.source_addr.as_bytes(), sm.destination_addr.as_bytes()),
            (sm.esm_class, &sm.short_message, &sm.tlvs),
            part,
        )
    }

    /// Adds a received `data_sm`, concatenated by a header's element or by the SAR TLVs, as
    /// [`Self::insert_deliver_sm`] does; its user data is the `message_payload` TLV.
    ///
    /// ```
    /// use std::time::Instant;
    ///
    /// use smpp_core::TlvTag;
    /// use smpp_std::reassembly::{Config, Outcome, Reassembler};
    /// use smpp_std::{Body, DataSm, DataSmBuilder};
    ///
    /// // Part `seq` of two, joined by the SAR TLVs, its text in `message_payload`.
    /// let part = |seq: u8, text: &str| -> DataSm {
    ///     let pdu = DataSmBuilder::new(0)
    ///         .source_addr("447700900001")
    ///         .tlv(TlvTag::MESSAGE_PAYLOAD, text)
    ///         .sar(0x2A, 2, seq)
    ///         .build()
    ///         .unwrap();
    ///     let Body::DataSm(sm) = pdu.body else { unreachable!() };
    ///     sm
    /// };
    /// let mut r = Reassembler::new(Config::default());
    /// let now = Instant::now();
    /// let second = r.insert_data_sm(now, "esme-1", &part(2, "rld"))?;
    /// assert_eq!(second, Outcome::Incomplete { received: 1, total: 2 });
    /// let Outcome::Complete(message) = r.insert_data_sm(now, "esme-1", &part(1, "wo"))? else {
    ///     panic!()
    /// };
    /// assert_eq!(message.concat(), "world");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn insert_data_sm(
        &mut self,
        now: Instant,
        peer: P,
        sm: &DataSm,
    ) -> Result<Outcome, ReassemblyError> {
        let part = Part::from_data_sm(sm)?;
        self.insert_user_data(
            now,
            peer,
            (sm.source_addr.as_bytes(), sm.destination_addr.as_bytes()),
            (sm.esm_class, &Bytes::new(), &sm.tlvs),
            part,
        )
    }

    /// Inserts `part` of a message whose user data is `short_message` or the
    /// `message_payload` of `tlvs`; without a part, the message is complete.
    fn insert_user_data(
        &mut self,
        now: Instant,
        peer: P,
        (source, dest): (&[u8], &[u8]),
        (esm_class, short_message, tlvs): (EsmClass, &Bytes, &Tlvs),
        part: Option<Part<'_>>,
    ) -> Result<Outcome, ReassemblyError> {
        let tlv_octets = tlvs.clone().into_inner();
        // The payload as a slice of the PDU's storage (no copy).
        let share = |payload: &[u8]| {
            [short_message, &tlv_octets]
                .into_iter()
                .find(|whole| {
                    let (outer, inner) = (whole.as_ptr_range(), payload.as_ptr_range());
                    outer.start <= inner.start && inner.end <= outer.end
                })
                .filter(|_| !payload.is_empty())
                .map_or_else(Bytes::new, |whole| whole.slice_ref(payload))
        };
        let user_data = smpp_core::text::user_data(short_message, tlvs);
        // The payload follows the header (if any) in the user data.
        let header_of = |payload: &[u8]| {
            let header = user_data.get(..user_data.len().saturating_sub(payload.len()));
            share(header.unwrap_or_default())
        };
        if let Some(part) = part {
            let key = MessageKey::new(peer, source, dest, part.kind, part.reference);
            let header = header_of(part.payload);
            let payload = share(part.payload);
            return self.insert_part(now, key, part.total, part.seq, header, payload);
        }
        let payload = if esm_class.udhi() {
            Udh::split(user_data).map_err(ReassemblyError::Udh)?.1
        } else {
            user_data
        };
        Ok(Outcome::Complete(Message {
            parts: vec![share(payload)],
            headers: vec![header_of(payload)],
        }))
    }

    /// The messages still incomplete.
    ///
    /// See the example on [`Reassembler`].
    pub fn incomplete(&self) -> impl Iterator<Item = Incomplete<P>> + '_ {
        self.pending.iter().map(|(k, e)| Incomplete {
            key: k.clone(),
            received: e.received,
            total: e.total,
            first_seen: e.first_seen,
        })
    }
}

fn release<P: Eq + Hash>(held: &mut HashMap<P, usize>, peer: &P, bytes: usize) {
    if let Some(h) = held.get_mut(peer) {
        *h = h.saturating_sub(bytes);
        if *h == 0 {
            held.remove(peer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(timeout_secs: u64, cap: usize) -> Config {
        Config {
            timeout: Duration::from_secs(timeout_secs),
            max_bytes_per_peer: cap,
        }
    }

    fn key(peer: u32, reference: u16) -> MessageKey<u32> {
        MessageKey::new(peer, "111", "222", ReferenceKind::Sar, reference)
    }

    fn octets(s: &'static [u8]) -> Bytes {
        Bytes::from_static(s)
    }

    /// The outcome of a part that leaves its message incomplete.
    fn incomplete(received: u8, total: u8) -> Outcome {
        Outcome::Incomplete { received, total }
    }

    #[test]
    fn out_of_order_and_duplicate() {
        let mut r = Reassembler::new(cfg(60, 1024));
        let t0 = Instant::now();
        let part = |s: &'static str| Bytes::from_static(s.as_bytes());
        assert_eq!(
            r.insert(t0, key(1, 7), 3, 3, part("C")),
            Ok(incomplete(1, 3))
        );
        assert_eq!(
            r.insert(t0, key(1, 7), 3, 1, part("A")),
            Ok(incomplete(2, 3))
        );
        assert_eq!(
            r.insert(t0, key(1, 7), 3, 1, part("A")),
            Ok(Outcome::Duplicate)
        );
        // Same reference from another peer stays separate.
        assert!(matches!(
            r.insert(t0, key(2, 7), 3, 2, part("x")),
            Ok(Outcome::Incomplete { received: 1, .. })
        ));
        assert_eq!(r.held_by(&1), 2 + message_overhead(&key(1, 7), 3));
        assert_eq!(
            r.insert(t0, key(1, 7), 3, 0, part("B")),
            Err(ReassemblyError::InvalidPart)
        );
        let Ok(Outcome::Complete(m)) = r.insert(t0, key(1, 7), 3, 2, part("B")) else {
            panic!("not complete");
        };
        assert_eq!(m.concat(), octets(b"ABC"));
        assert_eq!(m.parts.len(), 3);
        assert_eq!(r.held_by(&1), 0);
        assert_eq!(r.len(), 1);
    }

    #[test]
    fn a_reused_reference_ends_the_incomplete_message() {
        let mut r = Reassembler::new(cfg(60, 4096));
        let t0 = Instant::now();
        let t1 = t0 + Duration::from_secs(5);
        assert_eq!(
            r.insert(t0, key(1, 7), 3, 1, octets(b"old")),
            Ok(incomplete(1, 3))
        );
        // The reference again with a total of 2: a new message, whose first part arrived at
        // t1; the old one waits for expire, charged as a report.
        assert_eq!(
            r.insert(t1, key(1, 7), 2, 2, octets(b"there")),
            Ok(incomplete(1, 2))
        );
        assert_eq!((r.len(), r.reports_waiting()), (1, 1));
        let report = report_overhead(&key(1, 7));
        assert_eq!(r.held_by(&1), 5 + message_overhead(&key(1, 7), 2) + report);
        let pending: Vec<_> = r.incomplete().collect();
        assert_eq!(
            (pending[0].received, pending[0].total, pending[0].first_seen),
            (1, 2, t1)
        );
        let ages: Vec<Instant> = r.by_age[&1].keys().map(|age| age.0).collect();
        assert_eq!(ages, [t1]);
        let Ok(Outcome::Complete(m)) = r.insert(t1, key(1, 7), 2, 1, octets(b"hi ")) else {
            panic!("not complete");
        };
        assert_eq!(m.concat(), octets(b"hi there"));
        assert!(r.by_age.is_empty());
        assert_eq!(r.held_by(&1), report);
        let gone = r.expire(t1);
        let old = Incomplete {
            key: key(1, 7),
            received: 1,
            total: 3,
            first_seen: t0,
        };
        assert_eq!(gone, [old]);
        assert!(r.held.is_empty() && r.pending.is_empty() && r.dropped_of.is_empty());

        // The same total, and part 1 again with another payload: a new message as well, not a
        // duplicate whose part 2 would complete the old message with the new one's text.
        r.insert(t0, key(2, 9), 2, 1, octets(b"old")).unwrap();
        assert_eq!(
            r.insert(t0, key(2, 9), 2, 1, octets(b"old")),
            Ok(Outcome::Duplicate)
        );
        assert_eq!(r.reports_waiting(), 0);
        assert_eq!(
            r.insert(t1, key(2, 9), 2, 1, octets(b"new")),
            Ok(incomplete(1, 2))
        );
        assert_eq!(r.reports_waiting(), 1);
        let Ok(Outcome::Complete(m)) = r.insert(t1, key(2, 9), 2, 2, octets(b"!")) else {
            panic!("not complete");
        };
        assert_eq!(m.concat(), octets(b"new!"));
        let gone = r.expire(t1);
        assert_eq!(
            gone.iter()
                .map(|g| (g.key.reference, g.received, g.total, g.first_seen))
                .collect::<Vec<_>>(),
            [(9, 1, 2, t0)]
        );
        assert_eq!(r.held_by(&2), 0);
    }

    #[test]
    fn a_reused_reference_at_the_cap_keeps_within_it() {
        // Room for one message of 9 octets, and nothing more.
        let o = message_overhead(&key(1, 7), 3);
        let cap = o + 9;
        assert!(report_overhead(&key(1, 7)) > 6);
        let mut r = Reassembler::new(cfg(60, cap));
        let t0 = Instant::now();
        r.insert(t0, key(1, 7), 3, 1, octets(b"abcdefghi")).unwrap();
        assert_eq!(r.held_by(&1), cap);
        // A new message under the reference: the old one ends, and its report, for which
        // there is no room beside the new part, is discarded and counted.
        assert_eq!(
            r.insert(t0, key(1, 7), 3, 1, octets(b"xyz")),
            Ok(incomplete(1, 3))
        );
        assert_eq!(r.held_by(&1), o + 3);
        assert_eq!(
            (r.len(), r.reports_waiting(), r.reports_discarded()),
            (1, 0, 1)
        );
        assert_eq!(r.by_age[&1].len(), 1);
        let Ok(Outcome::Complete(m)) = [(2, b"def"), (3, b"ghi")]
            .into_iter()
            .map(|(seq, p)| r.insert(t0, key(1, 7), 3, seq, octets(p)))
            .last()
            .unwrap()
        else {
            panic!("not complete");
        };
        assert_eq!(m.concat(), octets(b"xyzdefghi"));
        assert_eq!(r.held_by(&1), 0);
        assert!(r.by_age.is_empty() && r.dropped_of.is_empty());
    }

    #[test]
    fn expiry_by_time() {
        let mut r = Reassembler::new(cfg(10, 1024));
        let t0 = Instant::now();
        r.insert(t0, key(1, 1), 2, 1, octets(b"a")).unwrap();
        r.insert(t0 + Duration::from_secs(5), key(1, 2), 2, 1, octets(b"b"))
            .unwrap();
        assert!(r.expire(t0 + Duration::from_secs(10)).is_empty());
        let gone = r.expire(t0 + Duration::from_secs(11));
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].key, key(1, 1));
        assert_eq!((gone[0].received, gone[0].total), (1, 2));
        let overhead = message_overhead(&key(1, 2), 2);
        assert_eq!(r.held_by(&1), 1 + overhead);
        let left: Vec<_> = r.incomplete().collect();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].key.reference, 2);
        // A stale entry is replaced when its reference is reused.
        let later = t0 + Duration::from_secs(100);
        assert_eq!(
            r.insert(later, key(1, 2), 2, 1, octets(b"new")),
            Ok(incomplete(1, 2))
        );
        // The replaced entry's report waits for expire, charged to the peer.
        assert_eq!(r.reports_waiting(), 1);
        assert_eq!(r.held_by(&1), 3 + overhead + report_overhead(&key(1, 2)));
        let gone = r.expire(later);
        assert_eq!(gone.len(), 1);
        assert_eq!(
            (gone[0].key.reference, gone[0].first_seen),
            (2, t0 + Duration::from_secs(5))
        );
        assert_eq!(r.len(), 1);
        assert_eq!(r.held_by(&1), 3 + overhead);
        assert_eq!(r.reports_waiting(), 0);
    }

    #[test]
    fn memory_cap_per_peer() {
        let o = message_overhead(&key(1, 1), 2);
        let cap = 2 * o + 10;
        let mut r = Reassembler::new(cfg(60, cap));
        let t0 = Instant::now();
        r.insert(t0, key(1, 1), 2, 1, octets(b"123456")).unwrap();
        assert_eq!(r.held_by(&1), o + 6);
        assert_eq!(
            r.insert(t0, key(1, 2), 2, 1, octets(b"12345")),
            Err(ReassemblyError::MemoryCapExceeded {
                held: o + 6,
                incoming: o + 5,
                cap
            })
        );
        // Other peers are unaffected.
        assert!(r.insert(t0, key(2, 2), 2, 1, octets(b"12345")).is_ok());
        // A later part of a message already held costs its payload only.
        assert!(matches!(
            r.insert(t0, key(1, 1), 2, 2, octets(b"7890")),
            Ok(Outcome::Complete(_))
        ));
        // Completing frees the peer's budget.
        assert_eq!(r.held_by(&1), 0);
    }

    #[test]
    fn the_default_holds_a_thousand_long_messages_begun_by_one_peer() {
        // A bulk ESME with a thousand parts in flight: each may be the
        // first of a three-part message.
        let mut r = Reassembler::new(Config::default());
        let t0 = Instant::now();
        for reference in 0..1000 {
            let first = Bytes::from(vec![b'a'; 153]);
            let outcome = r.insert(t0, key(1, reference), 3, 1, first);
            assert!(
                matches!(outcome, Ok(Outcome::Incomplete { .. })),
                "{reference}: {outcome:?}"
            );
        }
        assert_eq!(r.len(), 1000);
    }

    #[test]
    fn empty_parts_are_charged_their_bookkeeping() {
        let cap = 64 * 1024;
        let mut r = Reassembler::new(cfg(60, cap));
        let t0 = Instant::now();
        let per = message_overhead(&key(1, 0), 255);
        assert!(per > 255 * 8, "a slot per part is counted: {per}");
        let mut stored = 0usize;
        for reference in 0..=u16::MAX {
            match r.insert(t0, key(1, reference), 255, 1, Bytes::new()) {
                Ok(Outcome::Incomplete { .. }) => stored += 1,
                Err(ReassemblyError::MemoryCapExceeded { held, incoming, .. }) => {
                    assert_eq!(incoming, per);
                    assert!(held + incoming > cap);
                    break;
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(stored, cap / per);
        assert!(r.held_by(&1) <= cap);
        assert_eq!(r.len(), stored);
    }

    #[test]
    fn stale_messages_of_the_peer_give_way_before_the_cap() {
        let o = message_overhead(&key(1, 1), 2);
        // Room for the report of the message that gives way.
        let cap = o + 100 + report_overhead(&key(1, 1));
        let mut r = Reassembler::new(cfg(10, cap));
        let t0 = Instant::now();
        r.insert(t0, key(1, 1), 2, 1, Bytes::from(vec![1u8; 100]))
            .unwrap();
        // Another peer's old message is not touched by peer 1's inserts.
        r.insert(t0, key(2, 1), 2, 1, octets(b"x")).unwrap();
        // Still fresh: the cap holds.
        assert!(matches!(
            r.insert(t0 + Duration::from_secs(10), key(1, 2), 2, 1, octets(b"y")),
            Err(ReassemblyError::MemoryCapExceeded { .. })
        ));
        // Older than the limit: dropped, and the new message fits.
        let later = t0 + Duration::from_secs(11);
        assert_eq!(
            r.insert(later, key(1, 2), 2, 1, octets(b"y")),
            Ok(incomplete(1, 2))
        );
        assert_eq!(r.held_by(&1), 1 + o + report_overhead(&key(1, 1)));
        assert_eq!(r.len(), 2);
        let mut gone = r.expire(later);
        gone.sort_by_key(|g| g.key.peer);
        assert_eq!(gone.len(), 2);
        assert_eq!((gone[0].key.clone(), gone[0].received), (key(1, 1), 1));
        assert_eq!(gone[1].key, key(2, 1));
        assert!(r.expire(later).is_empty());
    }

    #[test]
    fn reports_of_dropped_messages_are_charged_and_bounded() {
        let o = message_overhead(&key(1, 0), 2);
        let report = report_overhead(&key(1, 0));
        assert!(report < o);
        // Room for three messages.
        let cap = 3 * (o + 1);
        let mut r = Reassembler::new(cfg(10, cap));
        let t0 = Instant::now();
        // A peer starts a new message every 11 s and never finishes one, and nobody calls
        // expire: each insert that hits the cap drops the stale ones, keeping their reports.
        for i in 0..2000u16 {
            let now = t0 + Duration::from_secs(11 * u64::from(i));
            let outcome = r.insert(now, key(1, i), 2, 1, octets(b"x"));
            assert_eq!(outcome, Ok(incomplete(1, 2)), "part {i}");
            assert!(r.held_by(&1) <= cap, "{} > {cap}", r.held_by(&1));
            assert!(r.reports_waiting() * report <= cap);
        }
        assert!(r.reports_waiting() > 0);
        let waiting = r.reports_waiting();
        let discarded = r.reports_discarded();
        // Every message is either pending, waiting to be reported, or counted as discarded.
        assert_eq!(
            r.len() + waiting + usize::try_from(discarded).unwrap(),
            2000
        );
        // The oldest reports went first: those left are the latest ones.
        let late = t0 + Duration::from_secs(11 * 2000);
        let gone = r.expire(late);
        let references: Vec<u16> = gone.iter().map(|g| g.key.reference).collect();
        let mut sorted = references.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), references.len(), "each reported once");
        // The waiting reports first, oldest first; then the messages still pending.
        assert!(references[..waiting].windows(2).all(|w| w[0] < w[1]));
        let first_kept = u16::try_from(discarded).unwrap();
        assert_eq!(sorted, (first_kept..2000).collect::<Vec<_>>());
        assert_eq!(r.held_by(&1), 0);
        assert_eq!(r.reports_waiting(), 0);
        // Another peer's reports are not discarded for this one.
        let mut r = Reassembler::new(cfg(10, cap));
        r.insert(t0, key(2, 1), 2, 1, octets(b"x")).unwrap();
        let t1 = t0 + Duration::from_secs(11);
        r.insert(t1, key(2, 1), 2, 1, octets(b"y")).unwrap();
        assert_eq!(r.reports_waiting(), 1);
        for i in 0..100 {
            let now = t1 + Duration::from_secs(11 * u64::from(i));
            r.insert(now, key(1, i), 2, 1, octets(b"x")).unwrap();
        }
        assert!(r.expire(t1).iter().any(|g| g.key == key(2, 1)));
    }

    #[test]
    fn stored_payloads_do_not_pin_the_received_buffer() {
        let mut r = Reassembler::new(Config::default());
        let t0 = Instant::now();
        let frame = Bytes::from(vec![7u8; 4096]);
        let part = frame.slice(100..103);
        r.insert(t0, key(1, 1), 2, 1, part.clone()).unwrap();
        drop(frame);
        let Ok(Outcome::Complete(m)) = r.insert(t0, key(1, 1), 2, 2, octets(b"z")) else {
            panic!("not complete");
        };
        assert_eq!(m.parts[0], part);
        assert_ne!(m.parts[0].as_ptr(), part.as_ptr());
    }

    #[test]
    fn short_messages_with_udh() {
        let mut r = Reassembler::new(Config::default());
        let t0 = Instant::now();
        let p1 = Bytes::from_static(&[0x05, 0x00, 0x03, 0x09, 0x02, 0x01, b'h', b'e']);
        let p2 = Bytes::from_static(&[0x06, 0x08, 0x04, 0x00, 0x09, 0x02, 0x02, b'y']);
        let p3 = Bytes::from_static(&[0x05, 0x00, 0x03, 0x09, 0x02, 0x02, b'y']);
        assert!(matches!(
            r.insert_short_message(t0, "peer", b"1", b"2", p1, true),
            Ok(Outcome::Incomplete { .. })
        ));
        // A 16-bit reference 9 from the same sender is another message.
        assert!(matches!(
            r.insert_short_message(t0, "peer", b"1", b"2", p2, true),
            Ok(Outcome::Incomplete { .. })
        ));
        assert_eq!(r.len(), 2);
        let mut kinds: Vec<_> = r
            .incomplete()
            .map(|i| (i.key.kind, i.key.reference))
            .collect();
        kinds.sort();
        assert_eq!(kinds, [(ReferenceKind::Udh8, 9), (ReferenceKind::Udh16, 9)]);
        // To another destination: another message too.
        assert!(matches!(
            r.insert_short_message(t0, "peer", b"1", b"3", p3.clone(), true),
            Ok(Outcome::Incomplete { .. })
        ));
        // The 8-bit part 2 completes the 8-bit message.
        let Ok(Outcome::Complete(m)) = r.insert_short_message(t0, "peer", b"1", b"2", p3, true)
        else {
            panic!("not complete");
        };
        assert_eq!(m.concat(), octets(b"hey"));
        assert_eq!(r.len(), 2);
        assert_eq!(
            r.insert_short_message(
                t0,
                "peer",
                b"1",
                b"2",
                Bytes::from_static(&[0x09, 0x00]),
                true
            ),
            Err(ReassemblyError::Udh(UdhError::UdhlPastEnd {
                udhl: 9,
                available: 1
            }))
        );
        let Ok(Outcome::Complete(m)) =
            r.insert_short_message(t0, "peer", b"1", b"2", octets(b"plain"), false)
        else {
            panic!("not complete");
        };
        assert_eq!(m.parts, vec![octets(b"plain")]);
    }

    /// A peer that counts how often it is compared.
    #[derive(Debug, Clone)]
    struct Counted(u32);

    impl Hash for Counted {
        fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
            self.0.hash(state);
        }
    }

    thread_local! {
        static COMPARED: core::cell::Cell<u64> = const { core::cell::Cell::new(0) };
    }

    impl PartialEq for Counted {
        fn eq(&self, other: &Self) -> bool {
            COMPARED.with(|c| c.set(c.get() + 1));
            self.0 == other.0
        }
    }

    impl Eq for Counted {}

    fn counted_key(peer: u32, reference: u16) -> MessageKey<Counted> {
        MessageKey::new(Counted(peer), "111", "222", ReferenceKind::Udh16, reference)
    }

    /// Fills peer 0's cap at `now`, then has it send the first parts of 100 more messages,
    /// each refused: how many times peers were compared for those 100.
    fn comparisons_refusing_100(r: &mut Reassembler<Counted>, now: Instant) -> u64 {
        let mut filled = 0;
        while r
            .insert(now, counted_key(0, filled), 2, 1, octets(b"x"))
            .is_ok()
        {
            filled += 1;
        }
        assert!(filled >= 10);
        COMPARED.with(|c| c.set(0));
        for reference in filled..filled + 100 {
            let refused = r.insert(now, counted_key(0, reference), 2, 1, octets(b"x"));
            assert!(
                matches!(refused, Err(ReassemblyError::MemoryCapExceeded { .. })),
                "{refused:?}"
            );
        }
        COMPARED.with(core::cell::Cell::get)
    }

    #[test]
    fn a_peer_at_its_cap_does_not_look_at_other_peers_messages() {
        let key = counted_key;
        let cap = 10 * (1 + message_overhead(&key(0, 0), 2));
        let mut r = Reassembler::new(cfg(300, cap));
        let now = Instant::now();
        // 200 other peers with 10 incomplete messages each, none stale.
        for peer in 1..=200 {
            for reference in 0..10 {
                r.insert(now, key(peer, reference), 2, 1, octets(b"x"))
                    .unwrap();
            }
        }
        // Looking for peer 0's stale messages among the 2,010 held compared peer 0 with
        // every one of them, for each refused part; its own messages by age need a handful.
        let compared = comparisons_refusing_100(&mut r, now);
        // A few hundred, plus what the hash tables' probing adds (their seeds are random, and
        // so is that part: once 1,000 of a usual 400); comparing with every other peer would be
        // about 200,000.
        assert!(compared < 100 * 100, "{compared} comparisons of peers");
        assert_eq!(r.len(), 2010);
        // Expired, nothing of them is left.
        assert_eq!(r.expire(now + Duration::from_secs(301)).len(), 2010);
        assert!(r.by_age.is_empty() && r.held.is_empty() && r.pending.is_empty());
    }

    #[test]
    fn a_peer_at_its_cap_does_not_look_at_other_peers_reports() {
        let key = counted_key;
        let (timeout, one) = (300, 1 + message_overhead(&key(0, 0), 2));
        let mut r = Reassembler::new(cfg(timeout, 10 * one + 10 * report_overhead(&key(0, 0))));
        let start = Instant::now();
        let later = start + Duration::from_secs(timeout + 1);
        // 200 other peers reuse their 10 references after the time limit: 2,000 reports of
        // the messages dropped for it wait for the next expire.
        for peer in 1..=200 {
            for now in [start, later] {
                for reference in 0..10 {
                    r.insert(now, key(peer, reference), 2, 1, octets(b"x"))
                        .unwrap();
                }
            }
        }
        assert_eq!(r.reports_waiting(), 2000);
        // Peer 0 has no reports: looking for one among the 2,000 waiting compared peer 0 with
        // every one of them, for each refused part.
        let compared = comparisons_refusing_100(&mut r, later);
        // A few hundred, plus what the hash tables' probing adds (their seeds are random, and
        // so is that part: once 1,000 of a usual 400); comparing with every other peer would be
        // about 200,000.
        assert!(compared < 100 * 100, "{compared} comparisons of peers");
        assert_eq!((r.reports_waiting(), r.reports_discarded()), (2000, 0));
        // A peer with reports still gives up as many as it takes for room.
        let fits = r.insert(later, key(1, 10), 2, 1, octets(b"x"));
        assert_eq!(fits, Ok(incomplete(1, 2)));
        let discarded = usize::try_from(r.reports_discarded()).unwrap();
        assert!((1..10).contains(&discarded), "{discarded}");
        assert_eq!(r.reports_waiting(), 2000 - discarded);
        let reported = r.expire(later);
        assert_eq!(reported.len(), 2000 - discarded);
        // Peer 1's oldest went: its reports left start at the reference after them.
        let first_of_1 = reported.iter().find(|g| g.key.peer.0 == 1).unwrap();
        assert_eq!(usize::from(first_of_1.key.reference), discarded);
        assert!(r.dropped_of.is_empty());
    }

    #[test]
    fn a_concatenation_element_numbered_impossibly_leaves_the_message_alone() {
        // Part 0 of 2 and part 3 of 2: TS 23.040 has the receiver ignore such an element.
        let mut r = Reassembler::new(Config::default());
        let t0 = Instant::now();
        for seq in [0, 3] {
            let sm = Bytes::from(vec![0x05, 0x00, 0x03, 0x09, 0x02, seq, b'h', b'i']);
            let outcome = r.insert_short_message(t0, "peer", b"1", b"2", sm, true);
            let Ok(Outcome::Complete(m)) = outcome else {
                panic!("part {seq}: {outcome:?}")
            };
            assert_eq!(m.parts, vec![octets(b"hi")], "part {seq}");
        }
        assert!(r.is_empty());
    }
}
