//! Counters and latencies of sessions: PDUs in and out by command and
//! status, response latency percentiles, throttling, timeouts and protocol
//! errors, as snapshots ([`Handle::stats`](super::Handle::stats),
//! [`ServerHandle::traffic`](crate::server::ServerHandle::traffic)) and,
//! with the `metrics` feature, through the `metrics` facade.
//!
//! A session counts in a meter of its own, without locks, and adds what it
//! counted to its snapshot (and its server's) once per turn of its task.

use core::time::Duration;
use std::sync::{Mutex, MutexGuard};

use smpp_core::session::ProtocolError;
use smpp_core::{CommandId, CommandStatus};

/// How many PDUs of one command went one way with one status.
///
/// See the example on [`Traffic`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PduCount {
    /// The PDUs' `command_id`.
    pub command_id: CommandId,
    /// Their `command_status`.
    pub command_status: CommandStatus,
    /// How many.
    pub count: u64,
}

/// Response latencies: how long requests waited for their response.
///
/// See the example on [`Traffic`].
///
/// Percentiles are read from a histogram with eight buckets per power of
/// two (within about 12 % of the true value, never below it); `max` is
/// exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Latency {
    /// Responses measured.
    pub count: u64,
    /// The median.
    pub p50: Duration,
    /// The 90th percentile.
    pub p90: Duration,
    /// The 99th percentile.
    pub p99: Duration,
    /// The longest.
    pub max: Duration,
}

/// What went over one session, or over every session of a server.
///
/// ```
/// use smpp_core::session::{BindType, Config};
/// use smpp_core::{CommandId, CommandStatus};
/// use smpp_std::session::PduCount;
/// use smpp_std::{SubmitSmBuilder, client};
/// # use std::sync::Arc;
/// # use smpp_std::server::{self, BindRequest, Context, Handler};
/// # use smpp_std::session::Answer;
/// # struct Smsc;
/// # impl Handler for Smsc {
/// #     async fn bind(&self, _: &Context, _: &BindRequest) -> CommandStatus { CommandStatus::ESME_ROK }
/// #     async fn request(&self, _: &Context, _: smpp_std::Pdu) -> Answer {
/// #         Answer::Status(CommandStatus::ESME_RTHROTTLED)
/// #     }
/// # }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let (esme_side, mc_side) = tokio::io::duplex(64 * 1024);
/// # tokio::spawn(server::serve(mc_side, Config::mc(), Arc::new(Smsc)));
/// // An SMSC that answers every message ESME_RTHROTTLED.
/// let (esme, _incoming) = client::bind(esme_side, Config::esme(BindType::Transmitter)).await?;
/// for _ in 0..3 {
///     let submit = SubmitSmBuilder::new(0).destination_addr("447700900123").build()?;
///     esme.submit_sm(submit).await?;
/// }
///
/// let stats = esme.stats();
/// assert_eq!((stats.outstanding, stats.window), (0, 10)); // the default window
/// let traffic = stats.traffic;
/// assert_eq!(traffic.sent_of(CommandId::SUBMIT_SM), 3);
/// assert_eq!(traffic.received_of(CommandId::SUBMIT_SM_RESP), 3);
/// let throttled = |c: &&PduCount| c.command_status == CommandStatus::ESME_RTHROTTLED;
/// assert_eq!(traffic.received.iter().find(throttled).map(|c| c.count), Some(3));
/// assert_eq!(traffic.throttled, 3);
/// assert_eq!(traffic.latency.count, 3);
/// assert!(traffic.latency.p50 <= traffic.latency.max);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Traffic {
    /// PDUs received, by command and status (sorted).
    pub received: Vec<PduCount>,
    /// PDUs sent, by command and status (sorted); the engine's own
    /// (`enquire_link`, `generic_nack`, refusals) included.
    pub sent: Vec<PduCount>,
    /// How long this side's requests waited for their responses.
    pub latency: Latency,
    /// Responses to this side's requests that asked it to slow down
    /// (`ESME_RTHROTTLED`, `ESME_RMSGQFUL`).
    pub throttled: u64,
    /// This side's requests that got no response within the
    /// `response_timer`.
    pub timeouts: u64,
    /// Protocol errors of the peer (malformed PDUs, PDUs the state does
    /// not allow, unexpected responses, ...).
    pub protocol_errors: u64,
}

impl Traffic {
    /// PDUs of `command_id` received, whatever their status.
    ///
    /// See the example on [`Traffic`].
    pub fn received_of(&self, command_id: CommandId) -> u64 {
        count_of(&self.received, command_id)
    }

    /// PDUs of `command_id` sent, whatever their status.
    ///
    /// See the example on [`Traffic`].
    pub fn sent_of(&self, command_id: CommandId) -> u64 {
        count_of(&self.sent, command_id)
    }
}

fn count_of(counts: &[PduCount], command_id: CommandId) -> u64 {
    counts
        .iter()
        .filter(|c| c.command_id == command_id)
        .map(|c| c.count)
        .sum()
}

/// A session's state and what went over it ([`Handle::stats`](super::Handle::stats)).
///
/// See the example on [`Traffic`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionStats {
    /// What went over the session.
    pub traffic: Traffic,
    /// This side's requests awaiting their response now.
    pub outstanding: usize,
    /// The window: how many may.
    pub window: usize,
    /// The peer's latest protocol error, if it made one (the engine
    /// answered it as due; [`Traffic::protocol_errors`] counts them all).
    pub last_protocol_error: Option<ProtocolError>,
}

/// Sub-buckets per power of two.
const SUB: usize = 8;
/// Powers of two of microseconds covered (up to about 19 hours).
const POWERS: usize = 37;
const BUCKETS: usize = POWERS * SUB;

/// A log-linear histogram of microseconds.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Histogram {
    counts: Box<[u32; BUCKETS]>,
    total: u64,
    max: u64,
}

impl Histogram {
    fn new() -> Self {
        Self {
            counts: Box::new([0; BUCKETS]),
            total: 0,
            max: 0,
        }
    }

    fn bucket(micros: u64) -> usize {
        if micros < SUB as u64 {
            return usize::try_from(micros).unwrap_or(0);
        }
        let power = 63 - micros.leading_zeros() as usize;
        let sub = usize::try_from((micros >> (power - 3)) & (SUB as u64 - 1)).unwrap_or(0);
        ((power - 2) * SUB + sub).min(BUCKETS - 1)
    }

    /// The largest value of a bucket.
    fn upper(bucket: usize) -> u64 {
        if bucket < SUB {
            return bucket as u64;
        }
        let power = bucket / SUB + 2;
        let sub = (bucket % SUB) as u64;
        ((SUB as u64 + sub + 1) << (power - 3)) - 1
    }

    fn record(&mut self, micros: u64) {
        if let Some(c) = self.counts.get_mut(Self::bucket(micros)) {
            *c = c.saturating_add(1);
        }
        self.total += 1;
        self.max = self.max.max(micros);
    }

    fn merge(&mut self, other: &Self) {
        for (a, b) in self.counts.iter_mut().zip(other.counts.iter()) {
            *a = a.saturating_add(*b);
        }
        self.total += other.total;
        self.max = self.max.max(other.max);
    }

    fn percentile(&self, p: u64) -> Duration {
        if self.total == 0 {
            return Duration::ZERO;
        }
        let rank = (self.total * p).div_ceil(100).max(1);
        let mut seen = 0u64;
        for (bucket, &n) in self.counts.iter().enumerate() {
            seen += u64::from(n);
            if seen >= rank {
                return Duration::from_micros(Self::upper(bucket).min(self.max));
            }
        }
        Duration::from_micros(self.max)
    }

    fn latency(&self) -> Latency {
        Latency {
            count: self.total,
            p50: self.percentile(50),
            p90: self.percentile(90),
            p99: self.percentile(99),
            max: Duration::from_micros(self.max),
        }
    }
}

/// Counters kept while a session runs, and the sum kept for snapshots.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Meter {
    received: Vec<PduCount>,
    sent: Vec<PduCount>,
    latency: Option<Histogram>,
    throttled: u64,
    timeouts: u64,
    protocol_errors: u64,
    /// Latencies not yet in a histogram, in microseconds: a session's own
    /// meter keeps samples (cheap to add to a sum), a sum a histogram.
    samples: Vec<u64>,
    /// Something was counted since the last [`Meter::publish_to`].
    dirty: bool,
}

/// True for the statuses by which an MC asks to slow down.
pub(crate) fn is_throttling(status: CommandStatus) -> bool {
    matches!(
        status,
        CommandStatus::ESME_RTHROTTLED | CommandStatus::ESME_RMSGQFUL
    )
}

fn bump(counts: &mut Vec<PduCount>, command_id: CommandId, command_status: CommandStatus, n: u64) {
    match counts
        .iter_mut()
        .find(|c| c.command_id == command_id && c.command_status == command_status)
    {
        Some(c) => c.count += n,
        None => counts.push(PduCount {
            command_id,
            command_status,
            count: n,
        }),
    }
}

impl Meter {
    pub(crate) fn count_received(&mut self, command_id: CommandId, command_status: CommandStatus) {
        bump(&mut self.received, command_id, command_status, 1);
        self.dirty = true;
    }

    pub(crate) fn count_sent(&mut self, command_id: CommandId, command_status: CommandStatus) {
        bump(&mut self.sent, command_id, command_status, 1);
        self.dirty = true;
    }

    /// A response came after `waited`, with `status`.
    pub(crate) fn answered(&mut self, waited: Duration, status: CommandStatus) {
        let micros = u64::try_from(waited.as_micros()).unwrap_or(u64::MAX);
        self.samples.push(micros);
        if is_throttling(status) {
            self.throttled += 1;
        }
        self.dirty = true;
    }

    pub(crate) fn timed_out(&mut self) {
        self.timeouts += 1;
        self.dirty = true;
    }

    pub(crate) fn protocol_error(&mut self) {
        self.protocol_errors += 1;
        self.dirty = true;
    }

    /// PDUs received, by command and status.
    #[cfg_attr(not(feature = "metrics"), allow(dead_code))]
    pub(crate) fn received(&self) -> &[PduCount] {
        &self.received
    }

    /// PDUs sent, by command and status.
    #[cfg_attr(not(feature = "metrics"), allow(dead_code))]
    pub(crate) fn sent(&self) -> &[PduCount] {
        &self.sent
    }

    /// Throttled responses, timeouts and protocol errors.
    #[cfg_attr(not(feature = "metrics"), allow(dead_code))]
    pub(crate) const fn events(&self) -> (u64, u64, u64) {
        (self.throttled, self.timeouts, self.protocol_errors)
    }

    pub(crate) const fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Adds what was counted since the last call to each of `sums`, and
    /// starts over, keeping its memory for the next counts.
    pub(crate) fn publish_to(&mut self, sums: &[&SharedMeter]) {
        for sum in sums {
            sum.lock().merge(self);
        }
        for c in self.received.iter_mut().chain(self.sent.iter_mut()) {
            c.count = 0;
        }
        self.samples.clear();
        self.latency = None;
        self.throttled = 0;
        self.timeouts = 0;
        self.protocol_errors = 0;
        self.dirty = false;
    }

    /// Adds another meter's counts.
    pub(crate) fn merge(&mut self, other: &Self) {
        for c in other.received.iter().filter(|c| c.count > 0) {
            bump(&mut self.received, c.command_id, c.command_status, c.count);
        }
        for c in other.sent.iter().filter(|c| c.count > 0) {
            bump(&mut self.sent, c.command_id, c.command_status, c.count);
        }
        if !other.samples.is_empty() || other.latency.is_some() {
            let latency = self.latency.get_or_insert_with(Histogram::new);
            for &micros in &other.samples {
                latency.record(micros);
            }
            if let Some(h) = &other.latency {
                latency.merge(h);
            }
        }
        self.throttled += other.throttled;
        self.timeouts += other.timeouts;
        self.protocol_errors += other.protocol_errors;
    }

    pub(crate) fn traffic(&self) -> Traffic {
        let counted = |c: &&PduCount| c.count > 0;
        let mut received: Vec<PduCount> = self.received.iter().filter(counted).copied().collect();
        let mut sent: Vec<PduCount> = self.sent.iter().filter(counted).copied().collect();
        received.sort();
        sent.sort();
        Traffic {
            received,
            sent,
            latency: self
                .latency
                .as_ref()
                .map(Histogram::latency)
                .unwrap_or_default(),
            throttled: self.throttled,
            timeouts: self.timeouts,
            protocol_errors: self.protocol_errors,
        }
    }
}

/// A meter many tasks add to and read.
#[derive(Debug, Default)]
pub(crate) struct SharedMeter(Mutex<Meter>);

impl SharedMeter {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Meter> {
        super::lock(&self.0)
    }

    pub(crate) fn traffic(&self) -> Traffic {
        self.lock().traffic()
    }
}

#[cfg(test)]
mod tests {
    use super::{CommandId, CommandStatus, Duration, Histogram, Meter, SharedMeter};

    #[test]
    fn buckets_bound_their_values_within_an_eighth() {
        for micros in (0..100_000u64).chain([1 << 30, (1 << 36) + 12_345]) {
            let bucket = Histogram::bucket(micros);
            let upper = Histogram::upper(bucket);
            assert!(upper >= micros, "{micros} in a bucket up to {upper}");
            assert!(
                upper - micros <= micros / 8 + 1,
                "{micros} in a bucket up to {upper}"
            );
            if bucket > 0 {
                assert!(Histogram::upper(bucket - 1) < micros, "{micros}");
            }
        }
    }

    #[test]
    fn percentiles_and_max() {
        let mut meter = Meter::default();
        for ms in 1..=100 {
            meter.answered(Duration::from_millis(ms), CommandStatus::ESME_ROK);
        }
        meter.answered(Duration::from_millis(5), CommandStatus::ESME_RTHROTTLED);
        let sum = SharedMeter::default();
        meter.publish_to(&[&sum]);
        assert!(!meter.is_dirty());
        let latency = sum.traffic().latency;
        assert_eq!(latency.count, 101);
        assert_eq!(latency.max, Duration::from_millis(100));
        for (p, want) in [(latency.p50, 50), (latency.p90, 90), (latency.p99, 99)] {
            let want = Duration::from_millis(want);
            assert!(p >= want && p <= want + want / 8, "{p:?} for {want:?}");
        }
        assert_eq!(sum.traffic().throttled, 1);
        // Published once: a second publish adds nothing.
        meter.publish_to(&[&sum]);
        assert_eq!(sum.traffic().latency.count, 101);
    }

    #[test]
    fn counts_merge_by_command_and_status() {
        let mut a = Meter::default();
        a.count_received(CommandId::SUBMIT_SM, CommandStatus::ESME_ROK);
        a.count_sent(CommandId::SUBMIT_SM_RESP, CommandStatus::ESME_ROK);
        let mut b = Meter::default();
        b.count_received(CommandId::SUBMIT_SM, CommandStatus::ESME_ROK);
        b.count_received(CommandId::ENQUIRE_LINK, CommandStatus::ESME_ROK);
        b.count_sent(CommandId::SUBMIT_SM_RESP, CommandStatus::ESME_RTHROTTLED);
        let sum = SharedMeter::default();
        a.publish_to(&[&sum]);
        b.publish_to(&[&sum]);
        assert!(!b.is_dirty());
        let t = sum.traffic();
        assert_eq!(t.received_of(CommandId::SUBMIT_SM), 2);
        assert_eq!(t.sent_of(CommandId::SUBMIT_SM_RESP), 2);
        assert_eq!(t.sent.len(), 2);
        assert_eq!(t.received.len(), 2);
    }
}
