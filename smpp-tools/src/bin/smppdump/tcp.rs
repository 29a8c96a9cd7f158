//! TCP stream reassembly for captures: each direction of each connection put
//! back in sequence order and cut into PDUs on `command_length`.
//!
//! - Segments are placed by sequence number (relative to the SYN, or to the
//!   first segment seen when the capture starts mid-connection). Octets seen
//!   before are dropped (a retransmission or an overlap: the first copy
//!   counts); octets ahead of the next expected one wait, up to
//!   [`MAX_OUT_OF_ORDER`] per stream.
//! - A hole is declared a gap, reported once as [`Event::Gap`]: at an
//!   acknowledgement from the peer, once the peer acknowledged the hole and
//!   the capture then showed the sender going on past that acknowledgement
//!   (so the capture missed the octets; an acknowledgement alone does not
//!   tell, as a capture whose directions take different paths may show it
//!   before the octets it acknowledges); when the waiting octets pass
//!   [`MAX_OUT_OF_ORDER`]; when the connection is reset; and at the end of the
//!   capture. The octets after a gap are searched for the next plausible
//!   header, where framing starts again.
//! - A reset (RST) ends the connection. Octets it carries are a diagnostic
//!   for the peer (RFC 1122 4.2.2.12), not part of the stream: never read.
//! - Which connections are SMPP: those with a port given by `--port`; without
//!   `--port`, those with port 2775 and those whose first 16 octets (in either
//!   direction, whichever sends first) are a plausible header. For a
//!   connection the capture joins after it started, first octets that end
//!   with a whole PDU count as well (the end of a PDU, then whole ones), and
//!   when the first direction to speak shows neither, the other decides.
//! - At most [`MAX_CONNECTIONS`] connections are followed and at most
//!   [`MAX_BUFFERED`] octets held for all of them together. Connections that
//!   are over (closed, or not SMPP) are kept only while there is room, to
//!   ignore their late segments, and are the first to go, silently; past
//!   either limit with live connections only, the least recently active one
//!   is closed as at the end of the capture (its holes reported), and one
//!   [`Event::Notice`] says so the first time.

use core::net::SocketAddr;
use std::collections::{BTreeMap, HashMap};

use smpp_core::{DEFAULT_MAX_COMMAND_LENGTH, Header, frame_len};

use crate::capture::Ts;

/// Connections followed at once.
pub(crate) const MAX_CONNECTIONS: usize = 4096;
/// Octets waiting ahead of a hole, per direction.
pub(crate) const MAX_OUT_OF_ORDER: usize = 256 << 10;
/// Octets held for all connections together (waiting out of order, and
/// PDUs not yet complete).
pub(crate) const MAX_BUFFERED: usize = 64 << 20;
/// What a segment waiting out of order costs besides its octets, counted
/// in [`MAX_BUFFERED`]: its map entry and its allocation (about 90 octets
/// on a 64-bit system), so that a peer sending one octet per segment does
/// not hold a hundred times what is counted.
const WAITING_SEGMENT_COST: usize = 96;

/// The default SMPP port.
const SMPP_PORT: u16 = 2775;

/// What the reassembly found, in the order it found it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// One whole PDU; `ts` is that of the packet that completed it.
    Pdu { at: At, octets: Vec<u8> },
    /// A header whose `command_length` cannot be framed, in a stream being
    /// framed; the stream then looks for the next plausible header.
    Unframed {
        at: At,
        error: String,
        command_status: u32,
    },
    /// Octets `from..to` of a stream never came.
    Gap { at: At, to: u64 },
    /// The capture ends (or the connection is closed) `have` octets into a
    /// PDU of `length` octets (`None`: fewer than 4 octets of it seen).
    Cut {
        at: At,
        have: usize,
        length: Option<u32>,
    },
    /// Something about the capture as a whole.
    Notice(String),
}

/// Where an event happened: the time, the direction, and the offset in the
/// stream (octets after the SYN).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct At {
    pub(crate) ts: Option<Ts>,
    pub(crate) src: SocketAddr,
    pub(crate) dst: SocketAddr,
    pub(crate) offset: u64,
}

/// One TCP segment as the capture holds it.
pub(crate) struct Segment<'a> {
    pub(crate) src: SocketAddr,
    pub(crate) dst: SocketAddr,
    pub(crate) seq: u32,
    /// The acknowledgement number, when the ACK flag is set.
    pub(crate) ack: Option<u32>,
    pub(crate) syn: bool,
    pub(crate) fin: bool,
    pub(crate) rst: bool,
    /// The captured payload (less than the segment carried if the capture
    /// cut the packet short).
    pub(crate) payload: &'a [u8],
    /// The octets of the payload after `payload` that the capture did not
    /// keep (a snapshot length shorter than the packet).
    pub(crate) truncated: usize,
}

/// The ports given by `--port` (empty: the default rule).
#[derive(Debug, Default, Clone)]
pub(crate) struct Ports(pub(crate) Vec<u16>);

impl Ports {
    fn mode_for(&self, a: u16, b: u16) -> Mode {
        if self.0.is_empty() {
            if a == SMPP_PORT || b == SMPP_PORT {
                Mode::Smpp
            } else {
                Mode::Undecided
            }
        } else if self.0.contains(&a) || self.0.contains(&b) {
            Mode::Smpp
        } else {
            Mode::Ignored
        }
    }
}

/// Whether 16 octets look like the start of an SMPP PDU: a `command_length`
/// that can be framed, a `command_id` the specification defines,
/// `command_status` 0 in a request, a `sequence_number` in range.
pub(crate) fn plausible_header(octets: &[u8]) -> bool {
    Header::parse(octets).is_ok_and(|h| {
        (16..=DEFAULT_MAX_COMMAND_LENGTH).contains(&h.command_length)
            && h.command_id.name().is_some()
            && (h.command_id.is_response() || h.command_status.0 == 0)
            && h.sequence_number <= 0x7FFF_FFFF
    })
}

/// Whether `octets` end with a whole PDU: a plausible header whose
/// `command_length` reaches the last octet exactly. The first octets of a
/// stream the capture joined after it started look like this when they
/// are SMPP (the end of a PDU, then PDUs written whole); other traffic
/// seldom does by chance.
fn ends_with_a_pdu(octets: &[u8]) -> bool {
    (0..octets.len().saturating_sub(15)).any(|at| {
        octets.get(at..at + 16).is_some_and(|head| {
            plausible_header(head)
                && head
                    .first_chunk::<4>()
                    .is_some_and(|l| u32::from_be_bytes(*l) as usize == octets.len() - at)
        })
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Waiting for the first 16 octets.
    Undecided,
    /// Still undecided: the first octets of one direction, which the
    /// capture joined after it started, hold no plausible header; the
    /// other direction's first octets decide.
    Doubtful,
    Smpp,
    Ignored,
    /// FIN in both directions, or RST: nothing more is read until a new SYN.
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// The buffer starts at a PDU boundary.
    Aligned,
    /// Looking for a plausible header.
    Hunting,
}

/// One direction of a connection.
struct Stream {
    src: SocketAddr,
    dst: SocketAddr,
    /// The sequence number of stream offset 0.
    base: Option<u32>,
    /// The SYN's sequence number.
    isn: Option<u32>,
    /// The offset of the next octet in order.
    next: u64,
    /// The end of the furthest octet seen.
    seen: u64,
    /// The furthest offset the peer acknowledged.
    acked: Option<u64>,
    /// The octets before it are missing if not seen: the peer acknowledged
    /// them, and then the capture showed the sender going on past that
    /// acknowledgement.
    proven: u64,
    fin: Option<u64>,
    /// Octets ahead of `next`, by offset.
    waiting: BTreeMap<u64, Vec<u8>>,
    waiting_len: usize,
    framing: Framing,
    /// Octets in order not yet framed; they end at `next`.
    buf: Vec<u8>,
    /// Its first octets made the connection [`Mode::Doubtful`].
    doubted: bool,
}

impl Stream {
    fn new(src: SocketAddr, dst: SocketAddr) -> Self {
        Self {
            src,
            dst,
            base: None,
            isn: None,
            next: 0,
            seen: 0,
            acked: None,
            proven: 0,
            fin: None,
            waiting: BTreeMap::new(),
            waiting_len: 0,
            framing: Framing::Hunting,
            buf: Vec::new(),
            doubted: false,
        }
    }

    fn at(&self, ts: Option<Ts>, offset: u64) -> At {
        At {
            ts,
            src: self.src,
            dst: self.dst,
            offset,
        }
    }

    fn memory(&self) -> usize {
        self.buf.capacity() + self.waiting_len + self.waiting.len() * WAITING_SEGMENT_COST
    }

    /// The stream offset of sequence number `seq`, taken within 2^31 of
    /// the next expected one; `None` before the stream has a base.
    fn offset_of(&self, seq: u32) -> Option<i64> {
        let base = self.base?;
        // Sequence numbers are taken modulo 2^32.
        #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
        let diff = seq.wrapping_sub(base.wrapping_add(self.next as u32)) as i32;
        Some(i64::try_from(self.next).ok()? + i64::from(diff))
    }

    /// Takes a segment's octets (after the connection decided what to do
    /// with them).
    fn accept(&mut self, ts: Option<Ts>, seg: &Segment<'_>, mode: &mut Mode, out: &mut Vec<Event>) {
        if self.base.is_none() {
            if seg.syn {
                self.isn = Some(seg.seq);
                self.base = Some(seg.seq.wrapping_add(1));
                self.framing = Framing::Aligned;
            } else if !seg.payload.is_empty() {
                // The capture starts after the connection did: where PDUs
                // start is not known.
                self.base = Some(seg.seq);
                self.framing = Framing::Hunting;
            } else {
                return;
            }
        }
        let data_seq = if seg.syn {
            seg.seq.wrapping_add(1)
        } else {
            seg.seq
        };
        let Some(start) = self.offset_of(data_seq) else {
            return;
        };
        // The end of the octets the segment carried, including those the
        // capture did not keep.
        let len = seg.payload.len().saturating_add(seg.truncated);
        let end = start.saturating_add(i64::try_from(len).unwrap_or(i64::MAX));
        let (Ok(end), Ok(next)) = (u64::try_from(end), i64::try_from(self.next)) else {
            return;
        };
        if seg.fin {
            self.fin = Some(end);
        }
        self.seen = self.seen.max(end);
        // Octets (or the FIN) at or after what the peer acknowledged, sent
        // after the peer had every octet before it (it would have
        // acknowledged them too otherwise), so after those octets: had they
        // been captured they would have come first.
        if (len > 0 || seg.fin)
            && let Some(acked) = self.acked
            && u64::try_from(start).is_ok_and(|start| start >= acked)
        {
            self.proven = self.proven.max(acked);
        }
        if end <= self.next {
            return;
        }
        if start <= next {
            let skip = usize::try_from(next - start).unwrap_or(usize::MAX);
            self.deliver(ts, seg.payload.get(skip..).unwrap_or_default(), mode, out);
            // The octets the capture cut off this segment will not come
            // again (a retransmission is cut the same way).
            self.gap(ts, end, mode, out);
            self.drain(ts, mode, out);
        } else if !seg.payload.is_empty() {
            let start = u64::try_from(start).unwrap_or(u64::MAX);
            let kept = self.waiting.entry(start).or_default();
            if kept.len() < seg.payload.len() {
                self.waiting_len += seg.payload.len() - kept.len();
                *kept = seg.payload.to_vec();
            }
            while self.waiting_len > MAX_OUT_OF_ORDER {
                let Some(&first) = self.waiting.keys().next() else {
                    break;
                };
                self.gap(ts, first, mode, out);
            }
        }
    }

    /// Passes octets that follow `next` to the framing.
    fn deliver(&mut self, ts: Option<Ts>, octets: &[u8], mode: &mut Mode, out: &mut Vec<Event>) {
        self.next += octets.len() as u64;
        if matches!(*mode, Mode::Undecided | Mode::Doubtful | Mode::Smpp) {
            self.buf.extend_from_slice(octets);
            self.frame(ts, mode, out);
        }
    }

    /// Delivers the waiting octets that now follow on.
    fn drain(&mut self, ts: Option<Ts>, mode: &mut Mode, out: &mut Vec<Event>) {
        while let Some(entry) = self.waiting.first_entry() {
            if *entry.key() > self.next {
                break;
            }
            let (start, octets) = entry.remove_entry();
            self.waiting_len -= octets.len();
            let skip = usize::try_from(self.next - start).unwrap_or(usize::MAX);
            if let Some(new) = octets.get(skip..) {
                self.deliver(ts, new, mode, out);
            }
        }
    }

    /// Octets `next..upto` will never come: reports them, drops the PDU they
    /// cut, and looks for the next header after them.
    fn gap(&mut self, ts: Option<Ts>, upto: u64, mode: &mut Mode, out: &mut Vec<Event>) {
        if upto <= self.next {
            return;
        }
        match *mode {
            Mode::Smpp => out.push(Event::Gap {
                at: self.at(ts, self.next),
                to: upto,
            }),
            // Without its first octets nothing tells what the stream is.
            Mode::Undecided | Mode::Doubtful => *mode = Mode::Ignored,
            Mode::Ignored | Mode::Closed => {}
        }
        self.buf.clear();
        self.trim();
        self.framing = Framing::Hunting;
        self.next = upto;
        self.drain(ts, mode, out);
    }

    /// Cuts the buffer into PDUs.
    fn frame(&mut self, ts: Option<Ts>, mode: &mut Mode, out: &mut Vec<Event>) {
        if matches!(*mode, Mode::Undecided | Mode::Doubtful) {
            let Some(head) = self.buf.get(..16) else {
                return;
            };
            // Hunting before any decision: the capture joined the stream
            // after it started, so a PDU may start anywhere in its first
            // octets.
            let joined = self.framing == Framing::Hunting;
            if !self.doubted && (plausible_header(head) || (joined && ends_with_a_pdu(&self.buf))) {
                *mode = Mode::Smpp;
            } else if self.doubted || (joined && *mode == Mode::Undecided) {
                // Its first octets had their say: keep what may be the
                // start of a header for when the other direction decides.
                self.doubted = true;
                *mode = Mode::Doubtful;
                let old = self.buf.len().saturating_sub(15);
                self.buf.drain(..old);
                self.trim();
                return;
            } else {
                *mode = Mode::Ignored;
            }
        }
        if *mode != Mode::Smpp {
            self.buf = Vec::new();
            return;
        }
        let first = self.next - self.buf.len() as u64;
        let mut pos = 0;
        while let Some(rest) = self.buf.get(pos..) {
            match self.framing {
                Framing::Hunting => {
                    let found = rest.windows(16).position(plausible_header);
                    if let Some(p) = found {
                        pos += p;
                        self.framing = Framing::Aligned;
                    } else {
                        // Keep what may be the start of a header.
                        pos += rest.len().saturating_sub(15);
                        break;
                    }
                }
                Framing::Aligned => match frame_len(rest, DEFAULT_MAX_COMMAND_LENGTH) {
                    Ok(None) => break,
                    Ok(Some(n)) => {
                        out.push(Event::Pdu {
                            at: self.at(ts, first + pos as u64),
                            octets: rest.get(..n).unwrap_or_default().to_vec(),
                        });
                        pos += n;
                    }
                    Err(e) => {
                        out.push(Event::Unframed {
                            at: self.at(ts, first + pos as u64),
                            error: e.to_string(),
                            command_status: e.command_status().0,
                        });
                        self.framing = Framing::Hunting;
                        pos += 1;
                    }
                },
            }
        }
        self.buf.drain(..pos.min(self.buf.len()));
        self.trim();
    }

    /// Gives back the room a large segment made in the buffer once the
    /// octets it held are framed: what a stream keeps (and is counted for)
    /// is what it still holds, not the largest segment it ever read.
    fn trim(&mut self) {
        const KEPT: usize = 4096;
        if self.buf.is_empty() && self.buf.capacity() > KEPT {
            self.buf = Vec::new();
        } else if self.buf.capacity() > KEPT && self.buf.capacity() > 2 * self.buf.len() {
            self.buf.shrink_to(self.buf.len().max(KEPT));
        }
    }

    /// No more octets will come: holes are gaps, a PDU begun is cut.
    fn finish(&mut self, ts: Option<Ts>, mode: &mut Mode, out: &mut Vec<Event>) {
        while let Some(&first) = self.waiting.keys().next() {
            self.gap(ts, first, mode, out);
        }
        if *mode == Mode::Smpp && self.framing == Framing::Aligned && !self.buf.is_empty() {
            out.push(Event::Cut {
                at: self.at(ts, self.next - self.buf.len() as u64),
                have: self.buf.len(),
                length: self.buf.first_chunk::<4>().map(|b| u32::from_be_bytes(*b)),
            });
        }
        self.buf = Vec::new();
        self.framing = Framing::Hunting;
    }

    /// The peer acknowledged everything before sequence number `ack`: the
    /// holes before it are gaps once the sender was seen going on past an
    /// acknowledgement of them.
    ///
    /// The acknowledgement alone does not tell: when the two directions
    /// reach the capture by different paths (a tap with a port for each,
    /// a mirror port), it may show an acknowledgement before the octets it
    /// acknowledges, and a retransmission that filled a hole for the peer
    /// after it. The sender's octets after the acknowledged ones, captured
    /// after the acknowledgement, were sent after them and so follow them
    /// in the capture too: if the octets have not come by then, they will
    /// not come.
    fn acked(&mut self, ts: Option<Ts>, ack: u32, mode: &mut Mode, out: &mut Vec<Event>) {
        let Some(ack) = self.offset_of(ack).and_then(|a| u64::try_from(a).ok()) else {
            return;
        };
        self.acked = Some(self.acked.map_or(ack, |a| a.max(ack)));
        // The FIN takes a sequence number of its own; octets never seen
        // are not reported until something after them is.
        let limit = ack
            .min(self.proven)
            .min(self.seen)
            .min(self.fin.unwrap_or(u64::MAX));
        while self.next < limit {
            let upto = self
                .waiting
                .keys()
                .next()
                .map_or(limit, |&first| first.min(limit));
            self.gap(ts, upto, mode, out);
        }
    }

    fn done(&self) -> bool {
        self.fin.is_some_and(|f| self.next >= f)
    }
}

struct Connection {
    streams: [Stream; 2],
    mode: Mode,
    /// When it was last active (a tick of the tracker).
    tick: u64,
    last_ts: Option<Ts>,
}

impl Connection {
    fn memory(&self) -> usize {
        self.streams.iter().map(Stream::memory).sum()
    }

    fn finish(&mut self, out: &mut Vec<Event>) {
        let ts = self.last_ts;
        for s in &mut self.streams {
            s.finish(ts, &mut self.mode, out);
        }
        self.mode = Mode::Closed;
    }

    fn receive(&mut self, side: usize, ts: Option<Ts>, seg: &Segment<'_>, out: &mut Vec<Event>) {
        self.last_ts = ts;
        if self.mode == Mode::Closed {
            return;
        }
        let before = self.mode;
        let [a, b] = &mut self.streams;
        let (this, other) = if side == 0 { (a, b) } else { (b, a) };
        if let Some(ack) = seg.ack {
            other.acked(ts, ack, &mut self.mode, out);
        }
        if seg.rst {
            // What a reset carries is a diagnostic for whoever reads it
            // (RFC 1122 4.2.2.12, RFC 9293), never octets of the stream.
            self.finish(out);
            return;
        }
        this.accept(ts, seg, &mut self.mode, out);
        let undecided = |mode| matches!(mode, Mode::Undecided | Mode::Doubtful);
        if undecided(before) && !undecided(self.mode) {
            // Decided on this stream's first octets: the other's follow.
            other.frame(ts, &mut self.mode, out);
        }
        if self.streams.iter().all(Stream::done) {
            self.finish(out);
        }
    }
}

type Key = (SocketAddr, SocketAddr);

/// Follows every TCP connection of a capture.
#[derive(Default)]
pub(crate) struct Tracker {
    ports: Ports,
    conns: HashMap<Key, Connection>,
    /// Live connections (SMPP, or not yet decided) by their last activity,
    /// oldest first.
    by_tick: BTreeMap<u64, Key>,
    /// Connections that are over (closed, or not SMPP), likewise: what
    /// they hold is kept only to ignore their late segments.
    over: BTreeMap<u64, Key>,
    tick: u64,
    buffered: usize,
    told_of_limit: bool,
}

impl Tracker {
    pub(crate) fn new(ports: Ports) -> Self {
        Self {
            ports,
            ..Self::default()
        }
    }

    /// Takes one segment; what it completes goes to `out`.
    pub(crate) fn segment(&mut self, ts: Option<Ts>, seg: &Segment<'_>, out: &mut Vec<Event>) {
        let key = if seg.src <= seg.dst {
            (seg.src, seg.dst)
        } else {
            (seg.dst, seg.src)
        };
        let side = usize::from(seg.src != key.0);
        // A new connection on the same addresses and ports ends the old one.
        let restarted = seg.syn
            && seg.ack.is_none()
            && self
                .conns
                .get(&key)
                .is_some_and(|c| c.streams[side].isn != Some(seg.seq));
        if restarted {
            self.remove(key, out);
        }
        if !self.conns.contains_key(&key) {
            let mode = self.ports.mode_for(key.0.port(), key.1.port());
            // A reset of a connection not followed has nothing to tell,
            // whatever it carries.
            if (seg.payload.is_empty() && !seg.syn) || seg.rst || mode == Mode::Ignored {
                return;
            }
            while self.conns.len() >= MAX_CONNECTIONS && self.evict_oldest(out, "connections") {}
            let streams = [Stream::new(key.0, key.1), Stream::new(key.1, key.0)];
            self.conns.insert(
                key,
                Connection {
                    streams,
                    mode,
                    tick: 0,
                    last_ts: ts,
                },
            );
        }
        self.tick += 1;
        let Some(conn) = self.conns.get_mut(&key) else {
            return;
        };
        self.by_tick.remove(&conn.tick);
        self.over.remove(&conn.tick);
        conn.tick = self.tick;
        let before = conn.memory();
        conn.receive(side, ts, seg, out);
        self.buffered = self.buffered - before + conn.memory();
        if matches!(conn.mode, Mode::Closed | Mode::Ignored) {
            self.over.insert(self.tick, key);
        } else {
            self.by_tick.insert(self.tick, key);
        }
        while self.buffered > MAX_BUFFERED
            && self.conns.len() > 1
            && self.evict_oldest(out, "buffered octets")
        {}
    }

    fn remove(&mut self, key: Key, out: &mut Vec<Event>) {
        if let Some(mut conn) = self.conns.remove(&key) {
            self.by_tick.remove(&conn.tick);
            self.over.remove(&conn.tick);
            self.buffered -= conn.memory();
            conn.finish(out);
        }
    }

    /// Forgets the least recently active connection that is over, or else
    /// closes the least recently active live one; false if there is none.
    fn evict_oldest(&mut self, out: &mut Vec<Event>, what: &str) -> bool {
        if let Some((_, key)) = self.over.pop_first() {
            if let Some(mut conn) = self.conns.remove(&key) {
                self.buffered -= conn.memory();
                // Nothing to report: a connection that is over, or not
                // SMPP, has nothing left to say.
                conn.finish(out);
            }
            return true;
        }
        let Some((_, key)) = self.by_tick.pop_first() else {
            return false;
        };
        if !self.told_of_limit {
            self.told_of_limit = true;
            let limit = if what == "connections" {
                format!("{MAX_CONNECTIONS} connections")
            } else {
                format!("{MAX_BUFFERED} buffered octets")
            };
            out.push(Event::Notice(format!(
                "more than {limit}: the least recently active connections are closed to make room"
            )));
        }
        if let Some(mut conn) = self.conns.remove(&key) {
            self.buffered -= conn.memory();
            conn.finish(out);
        }
        true
    }

    /// The end of the capture: every connection finishes, oldest activity
    /// first.
    pub(crate) fn finish(&mut self, out: &mut Vec<Event>) {
        while let Some((_, key)) = self.by_tick.pop_first() {
            if let Some(mut conn) = self.conns.remove(&key) {
                conn.finish(out);
            }
        }
        self.over.clear();
        self.conns.clear();
        self.buffered = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: &str = "192.0.2.1:40000";
    const SERVER: &str = "192.0.2.2:2775";

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    fn ts(secs: i64) -> Ts {
        Ts {
            secs,
            nanos: 0,
            digits: 6,
        }
    }

    /// A PDU of `len` octets: `enquire_link` when 16, else a `submit_sm`
    /// header with a body of `fill`.
    fn pdu(len: u32, seq: u32, fill: u8) -> Vec<u8> {
        let id: u32 = if len == 16 { 0x15 } else { 4 };
        let mut v = [
            len.to_be_bytes(),
            id.to_be_bytes(),
            [0; 4],
            seq.to_be_bytes(),
        ]
        .concat();
        v.resize(len as usize, fill);
        v
    }

    /// Feeds segments: (time, from client?, seq, ack, flags "S", "F", "R",
    /// payload).
    struct Feed {
        tracker: Tracker,
        events: Vec<Event>,
        client: SocketAddr,
        server: SocketAddr,
    }

    impl Feed {
        fn new(ports: &[u16], client: &str, server: &str) -> Self {
            Self {
                tracker: Tracker::new(Ports(ports.to_vec())),
                events: Vec::new(),
                client: addr(client),
                server: addr(server),
            }
        }

        fn send(
            &mut self,
            t: i64,
            from_client: bool,
            seq: u32,
            ack: Option<u32>,
            flags: &str,
            payload: &[u8],
        ) {
            let (src, dst) = if from_client {
                (self.client, self.server)
            } else {
                (self.server, self.client)
            };
            let seg = Segment {
                src,
                dst,
                seq,
                ack,
                syn: flags.contains('S'),
                fin: flags.contains('F'),
                rst: flags.contains('R'),
                payload,
                truncated: 0,
            };
            self.tracker.segment(Some(ts(t)), &seg, &mut self.events);
        }

        fn finish(&mut self) {
            self.tracker.finish(&mut self.events);
        }

        /// The events so far, as short strings.
        fn take(&mut self) -> Vec<String> {
            // The time and the ports of a place in a stream.
            let stream = |at: &At| {
                let t = at.ts.map_or(0, |t| t.secs);
                format!("t{t} {}>{}", at.src.port(), at.dst.port())
            };
            self.events
                .drain(..)
                .map(|e| match e {
                    Event::Pdu { at, octets } => format!(
                        "pdu {} @{} seq{} len{}",
                        stream(&at),
                        at.offset,
                        u32::from_be_bytes(octets[12..16].try_into().unwrap()),
                        octets.len()
                    ),
                    Event::Gap { at, to } => format!("gap {} {}..{to}", stream(&at), at.offset),
                    Event::Unframed {
                        at, command_status, ..
                    } => format!("unframed @{} status{command_status}", at.offset),
                    Event::Cut { at, have, length } => {
                        format!("cut @{} have{have} of{length:?}", at.offset)
                    }
                    Event::Notice(n) => format!("notice {n}"),
                })
                .collect()
        }

        /// A handshake with client ISN 1000 and server ISN 5000.
        /// A feed of `CLIENT` and `SERVER` on any port, past the
        /// handshake.
        fn connected() -> Self {
            let mut f = Self::new(&[], CLIENT, SERVER);
            f.handshake();
            f
        }

        fn handshake(&mut self) {
            self.send(0, true, 1000, None, "S", &[]);
            self.send(0, false, 5000, Some(1001), "S", &[]);
            self.send(0, true, 1001, Some(5001), "", &[]);
        }
    }

    #[test]
    fn split_and_batched_pdus_in_both_directions() {
        let mut f = Feed::connected();
        let (a, b, c) = (pdu(16, 1, 0), pdu(40, 2, 7), pdu(16, 3, 0));
        f.send(1, true, 1001, Some(5001), "", &a[..10]);
        let batch = [&a[10..], &b[..], &c[..3]].concat();
        f.send(2, true, 1011, Some(5001), "", &batch);
        f.send(3, true, 1060, Some(5001), "", &c[3..]);
        f.send(4, false, 5001, Some(1073), "", &pdu(16, 1, 0));
        assert_eq!(
            f.take(),
            [
                "pdu t2 40000>2775 @0 seq1 len16",
                "pdu t2 40000>2775 @16 seq2 len40",
                "pdu t3 40000>2775 @56 seq3 len16",
                "pdu t4 2775>40000 @0 seq1 len16",
            ]
        );
        f.finish();
        assert!(f.take().is_empty());
    }

    #[test]
    fn out_of_order_duplicates_and_overlaps_give_each_pdu_once() {
        let mut f = Feed::connected();
        let stream = [pdu(16, 1, 0), pdu(30, 2, 1), pdu(16, 3, 0)].concat();
        // 0..20 arrives last; 20..40 twice; 30..62 overlaps it.
        f.send(1, true, 1021, None, "", &stream[20..40]);
        f.send(2, true, 1021, None, "", &stream[20..40]);
        f.send(3, true, 1031, None, "", &stream[30..62]);
        assert!(f.take().is_empty());
        f.send(4, true, 1001, None, "", &stream[..20]);
        // A retransmission of what was read already.
        f.send(5, true, 1001, None, "", &stream[..62]);
        assert_eq!(
            f.take(),
            [
                "pdu t4 40000>2775 @0 seq1 len16",
                "pdu t4 40000>2775 @16 seq2 len30",
                "pdu t4 40000>2775 @46 seq3 len16",
            ]
        );
    }

    #[test]
    fn an_acknowledged_hole_is_one_gap_and_reading_resumes_at_a_header() {
        let mut f = Feed::connected();
        let stream = [pdu(16, 1, 0), pdu(40, 2, 9), pdu(40, 3, 9), pdu(16, 4, 0)].concat();
        f.send(1, true, 1001, None, "", &stream[..30]);
        // 30..60 never captured: the rest of PDU 2 and the start of PDU 3.
        f.send(2, true, 1061, None, "", &stream[60..112]);
        assert_eq!(f.take(), ["pdu t1 40000>2775 @0 seq1 len16"]);
        // The server has it all; but 30..60 may yet follow its
        // acknowledgement (see the test after this one).
        f.send(3, false, 5001, Some(1113), "", &[]);
        assert!(f.take().is_empty());
        // The client goes on past the acknowledgement: 30..60 did not
        // come before, so it will not.
        f.send(4, true, 1113, None, "", &pdu(16, 5, 0));
        f.send(5, false, 5001, Some(1129), "", &[]);
        assert_eq!(
            f.take(),
            [
                "gap t5 40000>2775 30..60",
                "pdu t5 40000>2775 @96 seq4 len16",
                "pdu t5 40000>2775 @112 seq5 len16"
            ]
        );
        // Reported once.
        f.send(6, false, 5001, Some(1129), "", &[]);
        f.finish();
        assert!(f.take().is_empty());
    }

    #[test]
    fn an_acknowledgement_captured_before_the_octets_it_acknowledges_is_no_gap() {
        // 0..16 was lost before the capture point, and its retransmission
        // reached the server after 16..32; the capture shows the server's
        // acknowledgement of both before the retransmission (its two
        // directions took different paths), or after it.
        let stream = [pdu(16, 1, 0), pdu(16, 2, 0), pdu(16, 3, 0)].concat();
        for ack_first in [true, false] {
            let mut f = Feed::connected();
            f.send(1, true, 1017, None, "", &stream[16..32]);
            f.send(2, false, 5001, Some(1001), "", &[]);
            if ack_first {
                f.send(3, false, 5001, Some(1033), "", &[]);
                f.send(4, true, 1001, None, "", &stream[..16]);
            } else {
                f.send(3, true, 1001, None, "", &stream[..16]);
                f.send(4, false, 5001, Some(1033), "", &[]);
            }
            let t = if ack_first { 4 } else { 3 };
            let first = [
                format!("pdu t{t} 40000>2775 @0 seq1 len16"),
                format!("pdu t{t} 40000>2775 @16 seq2 len16"),
            ];
            assert_eq!(f.take(), first, "ack first: {ack_first}");
            // The client goes on; the server acknowledges; the end.
            f.send(5, true, 1033, None, "F", &stream[32..]);
            f.send(6, false, 5001, Some(1050), "F", &[]);
            f.send(7, true, 1050, Some(5002), "", &[]);
            f.finish();
            assert_eq!(f.take(), ["pdu t5 40000>2775 @32 seq3 len16"]);
        }
        // Still missing when the client goes on past the acknowledgement:
        // a gap, at the next acknowledgement.
        let mut f = Feed::connected();
        f.send(1, true, 1017, None, "", &stream[16..32]);
        f.send(2, false, 5001, Some(1033), "", &[]);
        f.send(3, true, 1033, None, "", &stream[32..]);
        assert!(f.take().is_empty());
        f.send(4, false, 5001, Some(1049), "", &[]);
        f.send(5, true, 1001, None, "", &stream[..16]);
        assert_eq!(
            f.take(),
            [
                "gap t4 40000>2775 0..16",
                "pdu t4 40000>2775 @16 seq2 len16",
                "pdu t4 40000>2775 @32 seq3 len16"
            ]
        );
        // Or when the client ends the connection past it (its FIN), or
        // the capture ends.
        for fin in [true, false] {
            let mut f = Feed::connected();
            f.send(1, true, 1017, None, "", &stream[16..32]);
            f.send(2, false, 5001, Some(1033), "", &[]);
            if fin {
                f.send(3, true, 1033, None, "F", &[]);
                f.send(4, false, 5001, Some(1034), "F", &[]);
            } else {
                f.finish();
            }
            let t = if fin { 4 } else { 2 };
            assert_eq!(
                f.take(),
                [
                    format!("gap t{t} 40000>2775 0..16"),
                    format!("pdu t{t} 40000>2775 @16 seq2 len16"),
                ],
                "fin: {fin}"
            );
        }
    }

    #[test]
    fn holes_left_at_the_end_are_gaps_and_a_pdu_begun_is_cut() {
        let mut f = Feed::connected();
        let stream = [pdu(16, 1, 0), pdu(16, 2, 0), pdu(40, 3, 5)].concat();
        f.send(1, true, 1017, None, "", &stream[16..50]);
        f.finish();
        assert_eq!(
            f.take(),
            [
                "gap t1 40000>2775 0..16",
                "pdu t1 40000>2775 @16 seq2 len16",
                "cut @32 have18 ofSome(40)"
            ]
        );
    }

    #[test]
    fn a_capture_that_starts_mid_stream_hunts_for_a_header() {
        let mut f = Feed::new(&[], CLIENT, SERVER);
        let stream = [pdu(40, 1, 0x41), pdu(16, 2, 0)].concat();
        f.send(1, true, 777, None, "", &stream[25..]);
        assert_eq!(f.take(), ["pdu t1 40000>2775 @15 seq2 len16"]);
    }

    #[test]
    fn which_connections_are_read() {
        let smpp = pdu(16, 1, 0);
        let http = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        for (ports, expected) in [
            // Default: 2775, and streams that start with a plausible header.
            (&[][..], vec!["pdu t1 40000>4000 @0 seq1 len16"]),
            // --port 4001: only that port, whatever it carries.
            (&[4001][..], vec!["unframed @0 status2"]),
            (&[2775][..], vec![]),
        ] {
            let mut a = Feed::new(ports, CLIENT, "192.0.2.2:4000");
            a.handshake();
            a.send(1, true, 1001, None, "", &smpp);
            let mut b = Feed::new(ports, CLIENT, "192.0.2.2:4001");
            b.handshake();
            b.send(1, true, 1001, None, "", http);
            let mut got = a.take();
            got.extend(b.take());
            assert_eq!(got, expected, "{ports:?}");
        }
        // The server's first octets decide as well as the client's.
        let mut f = Feed::new(&[], CLIENT, "192.0.2.2:4000");
        f.handshake();
        f.send(1, true, 1001, None, "", &smpp[..8]);
        f.send(2, false, 5001, None, "", &pdu(16, 9, 0));
        f.send(3, true, 1009, None, "", &smpp[8..]);
        assert_eq!(
            f.take(),
            [
                "pdu t2 4000>40000 @0 seq9 len16",
                "pdu t3 40000>4000 @0 seq1 len16"
            ]
        );
    }

    #[test]
    fn a_connection_joined_mid_way_on_any_port_is_found_by_either_direction() {
        let big = pdu(100, 1, 0x41);
        let http = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        // The client's first octets: the end of a PDU, then a whole one.
        let mut f = Feed::new(&[], CLIENT, "192.0.2.2:4000");
        f.send(
            1,
            true,
            7000,
            None,
            "",
            &[&big[60..], &pdu(16, 2, 0)[..]].concat(),
        );
        f.send(2, false, 9000, None, "", &pdu(16, 2, 0));
        assert_eq!(
            f.take(),
            [
                "pdu t1 40000>4000 @40 seq2 len16",
                "pdu t2 4000>40000 @0 seq2 len16"
            ]
        );
        // The middle of a PDU only: the server's first octets decide, and
        // the client's next PDU is found.
        let mut f = Feed::new(&[], CLIENT, "192.0.2.2:4000");
        f.send(1, true, 7000, None, "", &big[20..80]);
        f.send(2, false, 9000, None, "", &pdu(16, 1, 0));
        f.send(
            3,
            true,
            7060,
            None,
            "",
            &[&big[80..], &pdu(16, 3, 0)[..]].concat(),
        );
        assert_eq!(
            f.take(),
            [
                "pdu t2 4000>40000 @0 seq1 len16",
                "pdu t3 40000>4000 @80 seq3 len16"
            ]
        );
        // A header, but not a whole PDU to the end of the first octets; the
        // other direction is not SMPP either.
        let mut f = Feed::new(&[], CLIENT, "192.0.2.2:4000");
        let first = [&big[60..], &pdu(16, 2, 0)[..], &big[..30]].concat();
        f.send(1, true, 7000, None, "", &first);
        f.send(2, false, 9000, None, "", http);
        f.send(
            3,
            true,
            7086,
            None,
            "",
            &[&big[30..], &pdu(16, 3, 0)[..]].concat(),
        );
        assert!(f.take().is_empty());
        // Neither direction: not SMPP, and later octets do not change that.
        let mut f = Feed::new(&[], CLIENT, "192.0.2.2:4000");
        f.send(1, true, 7000, None, "", &big[20..80]);
        f.send(2, false, 9000, None, "", http);
        f.send(3, true, 7060, None, "", &pdu(16, 3, 0));
        f.send(4, false, 9027, None, "", &pdu(16, 3, 0));
        assert!(f.take().is_empty());
        // A connection seen from its SYN is still decided by its first 16
        // octets alone.
        let mut f = Feed::new(&[], CLIENT, "192.0.2.2:4000");
        f.handshake();
        f.send(
            1,
            true,
            1001,
            None,
            "",
            &[&big[60..], &pdu(16, 2, 0)[..]].concat(),
        );
        f.send(2, false, 5001, None, "", &pdu(16, 2, 0));
        assert!(f.take().is_empty());
    }

    #[test]
    fn a_bad_length_is_reported_and_framing_resumes() {
        let mut f = Feed::connected();
        let mut bad = pdu(16, 1, 0);
        bad[3] = 15;
        let stream = [&bad[..], &pdu(16, 2, 0)].concat();
        f.send(1, true, 1001, None, "", &stream);
        assert_eq!(
            f.take(),
            ["unframed @0 status2", "pdu t1 40000>2775 @16 seq2 len16"]
        );
    }

    #[test]
    fn sequence_numbers_wrap() {
        let mut f = Feed::new(&[], CLIENT, SERVER);
        let isn = u32::MAX - 5;
        f.send(0, true, isn, None, "S", &[]);
        let stream = [pdu(16, 1, 0), pdu(16, 2, 0)].concat();
        f.send(1, true, isn.wrapping_add(17), None, "", &stream[16..]);
        f.send(2, true, isn.wrapping_add(1), None, "", &stream[..16]);
        assert_eq!(
            f.take(),
            [
                "pdu t2 40000>2775 @0 seq1 len16",
                "pdu t2 40000>2775 @16 seq2 len16"
            ]
        );
    }

    #[test]
    fn reset_closes_and_a_new_syn_starts_over() {
        let mut f = Feed::connected();
        let stream = [pdu(16, 1, 0), pdu(16, 2, 0)].concat();
        f.send(1, true, 1017, None, "", &stream[16..]);
        f.send(2, false, 5001, None, "R", &[]);
        assert_eq!(
            f.take(),
            [
                "gap t2 40000>2775 0..16",
                "pdu t2 40000>2775 @16 seq2 len16"
            ]
        );
        // Closed: a late copy is not read again.
        f.send(3, true, 1017, None, "", &stream[16..]);
        assert!(f.take().is_empty());
        // The same ports again.
        f.send(4, true, 9000, None, "S", &[]);
        f.send(5, true, 9001, None, "", &stream[..16]);
        assert_eq!(f.take(), ["pdu t5 40000>2775 @0 seq1 len16"]);
    }

    #[test]
    fn what_a_reset_carries_is_not_read_as_the_stream() {
        let mut f = Feed::connected();
        let (a, b) = (pdu(16, 1, 0), pdu(16, 2, 0));
        f.send(1, true, 1001, None, "", &a[..8]);
        // A reset whose diagnostic text would complete the PDU begun, and
        // one from the server holding whole PDUs: the connection ends as
        // for a reset without octets.
        f.send(2, true, 1009, None, "R", &[&a[8..], &b[..]].concat());
        assert_eq!(f.take(), ["cut @0 have8 ofSome(16)"]);
        f.send(3, false, 5001, Some(1009), "R", &b);
        f.send(4, true, 1009, None, "", &a[8..]);
        f.finish();
        assert!(f.take().is_empty());
        // The same from the server, after a PDU; and a reset opens no
        // connection.
        let mut f = Feed::connected();
        f.send(1, false, 5001, None, "", &b);
        f.send(2, false, 5017, Some(1001), "R", &a);
        f.client = SocketAddr::new(f.client.ip(), 40_001);
        f.send(3, false, 5017, None, "R", &a);
        assert_eq!(f.tracker.conns.len(), 1);
        f.finish();
        assert_eq!(f.take(), ["pdu t1 2775>40000 @0 seq2 len16"]);
    }

    #[test]
    fn fin_in_both_directions_closes() {
        let mut f = Feed::connected();
        let p = pdu(16, 1, 0);
        f.send(1, true, 1001, None, "F", &p);
        f.send(2, false, 5001, Some(1018), "F", &[]);
        assert_eq!(f.take(), ["pdu t1 40000>2775 @0 seq1 len16"]);
        // The FIN's own sequence number is no hole.
        f.send(3, true, 1018, Some(5002), "", &[]);
        f.send(4, true, 1001, None, "F", &p);
        f.finish();
        assert!(f.take().is_empty());
    }

    #[test]
    fn out_of_order_octets_are_capped() {
        let mut f = Feed::connected();
        // 0..16 missing; then enquire_links out of order past the cap.
        let link = pdu(16, 7, 0);
        let count = MAX_OUT_OF_ORDER / 16 + 1;
        for i in 0..count {
            let seq = 1017 + u32::try_from(i * 16).unwrap();
            f.send(1, true, seq, None, "", &link);
        }
        let got = f.take();
        assert_eq!(got[0], "gap t1 40000>2775 0..16");
        assert_eq!(got.len(), count + 1);
        assert!(f.tracker.buffered < 4096, "{}", f.tracker.buffered);
    }

    #[test]
    fn connections_are_capped() {
        let mut f = Feed::new(&[], CLIENT, SERVER);
        let p = pdu(16, 1, 0);
        for i in 0..=MAX_CONNECTIONS {
            f.client = SocketAddr::new(f.client.ip(), 10_000 + u16::try_from(i).unwrap());
            f.send(1, true, 1000, None, "S", &[]);
            // Half a PDU each.
            f.send(1, true, 1001, None, "", &p[..8]);
        }
        assert_eq!(f.tracker.conns.len(), MAX_CONNECTIONS);
        let got = f.take();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got[0].starts_with("notice more than 4096 connections"),
            "{}",
            got[0]
        );
        // The first connection, closed to make room.
        assert_eq!(got[1], "cut @0 have8 ofSome(16)");
    }

    #[test]
    fn buffered_octets_are_capped_in_all() {
        let mut f = Feed::new(&[], CLIENT, SERVER);
        let chunk = vec![0x41u8; 60 << 10];
        // Each connection: a hole, then 240 KiB waiting after it.
        let per_connection = 4 * chunk.len();
        let connections = MAX_BUFFERED / per_connection + 8;
        for i in 0..connections {
            f.client = SocketAddr::new(f.client.ip(), 10_000 + u16::try_from(i).unwrap());
            f.send(1, true, 1000, None, "S", &[]);
            for k in 0..4u32 {
                let seq = 2001 + k * u32::try_from(chunk.len()).unwrap();
                f.send(1, true, seq, None, "", &chunk);
            }
            assert!(f.tracker.buffered <= MAX_BUFFERED + per_connection);
        }
        let got = f.take();
        assert!(
            got[0].starts_with("notice more than 67108864 buffered octets"),
            "{}",
            got[0]
        );
        // The oldest connections closed to make room, each with its gap.
        let gaps = got.iter().filter(|e| e.starts_with("gap")).count();
        assert_eq!(gaps, connections - f.tracker.conns.len());
        assert!(gaps >= 8, "{gaps}");
        assert_eq!(got[1], "gap t1 10000>2775 0..1000");
    }

    #[test]
    fn connections_that_are_over_make_room_without_closing_live_ones() {
        let mut f = Feed::new(&[], CLIENT, SERVER);
        // A long session, half a PDU into a submit_sm.
        f.handshake();
        let long = pdu(40, 1, 3);
        f.send(1, true, 1001, None, "", &long[..20]);
        // More short connections than are followed at once, one after the
        // other: each closed by FIN both ways.
        let link = pdu(16, 2, 0);
        for i in 0..MAX_CONNECTIONS + 10 {
            f.client = SocketAddr::new(f.client.ip(), 10_000 + u16::try_from(i).unwrap());
            f.handshake();
            f.send(2, true, 1001, Some(5001), "F", &link);
            f.send(2, false, 5001, Some(1018), "F", &[]);
            f.send(2, true, 1018, Some(5002), "", &[]);
        }
        f.client = addr(CLIENT);
        f.send(3, true, 1021, None, "", &long[20..]);
        f.finish();
        let got = f.take();
        assert_eq!(got.len(), MAX_CONNECTIONS + 11, "{:?}", &got[..3]);
        assert!(got.iter().all(|e| e.starts_with("pdu")), "{got:?}");
        assert_eq!(got[MAX_CONNECTIONS + 10], "pdu t3 40000>2775 @0 seq1 len40");
        // Connections on other ports than those given are not followed.
        let mut f = Feed::new(&[2775], CLIENT, "192.0.2.2:4000");
        f.handshake();
        f.send(1, true, 1001, None, "", &link);
        assert!(f.tracker.conns.is_empty());
    }

    #[test]
    fn a_stream_keeps_the_room_it_holds_not_that_of_its_largest_segment() {
        let mut f = Feed::connected();
        // 60 KiB of PDUs and the start of one more, in one segment.
        let mut batch: Vec<u8> = (1..=1500).flat_map(|i| pdu(40, i, 1)).collect();
        batch.extend_from_slice(&pdu(40, 1501, 1)[..20]);
        f.send(1, true, 1001, None, "", &batch);
        assert_eq!(f.take().len(), 1500);
        assert!(f.tracker.buffered <= 4096, "{}", f.tracker.buffered);
        f.send(2, true, 1001 + 60_020, None, "", &pdu(40, 1501, 1)[20..]);
        assert_eq!(f.take(), ["pdu t2 40000>2775 @60000 seq1501 len40"]);
    }

    #[test]
    fn segments_waiting_out_of_order_count_more_than_their_octets() {
        let mut f = Feed::connected();
        // 0..16 missing; then 1,000 segments of one octet each.
        for i in 0..1000 {
            f.send(1, true, 1017 + i, None, "", &[0]);
        }
        assert!(f.take().is_empty());
        let waiting = 1000 * (1 + WAITING_SEGMENT_COST);
        assert_eq!(f.tracker.buffered, waiting);
    }

    #[test]
    fn octets_the_capture_cut_off_are_a_gap_at_once() {
        let mut f = Feed::connected();
        let stream = [pdu(16, 1, 0), pdu(200, 2, 5), pdu(16, 3, 0)].concat();
        // A snapshot length kept 40 octets of the first segment's 216.
        let seg = Segment {
            src: f.client,
            dst: f.server,
            seq: 1001,
            ack: None,
            syn: false,
            fin: false,
            rst: false,
            payload: &stream[..40],
            truncated: 176,
        };
        f.tracker.segment(Some(ts(1)), &seg, &mut f.events);
        assert_eq!(
            f.take(),
            [
                "pdu t1 40000>2775 @0 seq1 len16",
                "gap t1 40000>2775 40..216"
            ]
        );
        // No acknowledgement needed to read on.
        f.send(2, true, 1217, None, "", &stream[216..]);
        assert_eq!(f.take(), ["pdu t2 40000>2775 @216 seq3 len16"]);
        f.finish();
        assert!(f.take().is_empty());
    }

    #[test]
    fn plausible_headers() {
        assert!(plausible_header(&pdu(16, 1, 0)));
        let with = |at: usize, v: u8| {
            let mut p = pdu(16, 1, 0);
            p[at] = v;
            p
        };
        // command_length 15; a command_id not defined; a request with a status;
        // a sequence_number above 0x7FFFFFFF.
        for bad in [with(3, 15), with(7, 0x77), with(11, 1), with(12, 0x80)] {
            assert!(!plausible_header(&bad), "{bad:?}");
        }
        // A response may carry a status.
        let mut resp = with(4, 0x80);
        resp[11] = 8;
        assert!(plausible_header(&resp));
        assert!(!plausible_header(&[0, 0, 0, 16]));
    }
}
