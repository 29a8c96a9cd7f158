//! The `reassembly` oracle: the fixed-capacity reassembler of `smpp-core`
//! driven by a script of parts (through `Part::from_short_message` and
//! `Part::from_sar`), clock ticks, expiry and handle use, against a model
//! of what it must hold.

use std::collections::{BTreeMap, BTreeSet};

use smpp_core::text::reassembly::{
    Handle, Part, Pending, Reassembler, ReassemblyError, ReferenceKind, Status,
};
use smpp_core::text::udh::Udh;

use super::Octets;

/// Slots of the reassembler under test.
const SLOTS: usize = 4;
/// Parts a message may have.
const PARTS: usize = 4;
/// Payload octets a message may hold.
const BYTES: usize = 32;

/// The reassembler under test: small, so that it fills up.
type Engine = Reassembler<SLOTS, PARTS, BYTES>;

/// One step of a [`ReassemblyScript`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReassemblyOp<'a> {
    /// A part: `Part(who, reference, total, seq, len)`. `who`: bits 0-1 the sender key, bits 2-3 the kind (0 8-bit
    /// concatenation element, 1 16-bit, else SAR), bit 7 remove the message
    /// as soon as it completes. `reference` modulo 4, so that references
    /// meet; `total` modulo 6 and `seq` modulo 7, so that bad numbering and
    /// too many parts occur; a payload of `len` modulo 40 octets (more than
    /// a message holds), made of the step's number so that every part is
    /// told apart.
    Part(u8, u8, u8, u8, u8),
    /// A `short_message` with UDHI set, from sender `key` modulo 4, as it
    /// is: `Part::from_short_message` decides.
    Raw(u8, &'a [u8]),
    /// The clock moves `n` units.
    Tick(u8),
    /// `expire` of the messages whose first part is more than `age` units
    /// old (0: every one up to now).
    Expire(u8),
    /// `remove` of the `i`-th handle ever handed out (modulo their number),
    /// current or stale.
    Remove(u8),
    /// `parts` and `copy_out` of the `i`-th handle ever handed out.
    Read(u8),
}

/// The input of the `reassembly` target: operations, each an octet (its
/// number modulo 8 below) and its arguments. 0 `Part(who, reference,
/// total, seq, len)`, 1 `Raw(key, len, that many octets)`, 2 `Tick(n)`,
/// 3 `Expire(age)`, 4 `Remove(i)`, 5 `Read(i)`; 6 and 7 are skipped.
/// Missing arguments read as 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReassemblyScript<'a> {
    /// The operations.
    pub ops: Vec<ReassemblyOp<'a>>,
}

impl<'a> ReassemblyScript<'a> {
    /// Reads the layout described on [`ReassemblyScript`].
    pub fn parse(data: &'a [u8]) -> Self {
        let mut r = Octets(data);
        let mut ops = Vec::new();
        while !r.0.is_empty() {
            let op = match r.octet() % 8 {
                0 => ReassemblyOp::Part(r.octet(), r.octet(), r.octet(), r.octet(), r.octet()),
                1 => {
                    let key = r.octet();
                    let n = r.octet();
                    ReassemblyOp::Raw(key, r.take(usize::from(n)))
                }
                2 => ReassemblyOp::Tick(r.octet()),
                3 => ReassemblyOp::Expire(r.octet()),
                4 => ReassemblyOp::Remove(r.octet()),
                5 => ReassemblyOp::Read(r.octet()),
                _ => continue,
            };
            ops.push(op);
        }
        Self { ops }
    }

    /// The octets [`Self::parse`] reads back as this script.
    ///
    /// # Panics
    ///
    /// On a `Raw` short message longer than 255 octets.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for op in &self.ops {
            match *op {
                ReassemblyOp::Part(who, reference, total, seq, len) => {
                    out.extend([0, who, reference, total, seq, len]);
                }
                ReassemblyOp::Raw(key, sm) => {
                    out.extend([1, key, u8::try_from(sm.len()).expect("at most 255 octets")]);
                    out.extend_from_slice(sm);
                }
                ReassemblyOp::Tick(n) => out.extend([2, n]),
                ReassemblyOp::Expire(age) => out.extend([3, age]),
                ReassemblyOp::Remove(i) => out.extend([4, i]),
                ReassemblyOp::Read(i) => out.extend([5, i]),
            }
        }
        out
    }
}

/// What a run went through, for checking that seeds reach every case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReassemblySummary {
    /// The results of `insert` seen: `Single`, `Incomplete`, `Duplicate`,
    /// `Complete`, `Restarted`, and the `ReassemblyError` variants by name.
    pub outcomes: BTreeSet<&'static str>,
    /// Incomplete messages reported by `expire` before the final one.
    pub expired: usize,
    /// Incomplete messages ended by a part of a new message reusing their
    /// reference, reported by `insert` (`Restarted`).
    pub ended: usize,
    /// Stale handles refused by `remove`, `parts` or `copy_out`.
    pub stale_refused: usize,
    /// Messages completed.
    pub completed: usize,
}

/// A message the model holds.
#[derive(Debug)]
struct Held {
    key: u64,
    kind: ReferenceKind,
    reference: u16,
    total: u8,
    stamp: u64,
    parts: BTreeMap<u8, Vec<u8>>,
    /// The handle, once complete.
    handle: Option<Handle>,
}

impl Held {
    fn octets(&self) -> usize {
        self.parts.values().map(Vec::len).sum()
    }

    fn received(&self) -> u8 {
        u8::try_from(self.parts.len()).expect("at most PARTS parts")
    }

    fn pending(&self) -> Pending {
        Pending {
            key: self.key,
            kind: self.kind,
            reference: self.reference,
            received: self.received(),
            total: self.total,
            stamp: self.stamp,
        }
    }
}

/// The name of an `insert` result.
fn outcome_name(result: &Result<Status, ReassemblyError>) -> &'static str {
    match result {
        Ok(Status::Single) => "Single",
        Ok(Status::Incomplete { .. }) => "Incomplete",
        Ok(Status::Duplicate) => "Duplicate",
        Ok(Status::Complete(_)) => "Complete",
        Ok(Status::Restarted { .. }) => "Restarted",
        Err(ReassemblyError::InvalidPart) => "InvalidPart",
        Err(ReassemblyError::TooManyParts) => "TooManyParts",
        Err(ReassemblyError::TotalMismatch) => "TotalMismatch",
        Err(ReassemblyError::Full) => "Full",
        Err(ReassemblyError::TooLarge) => "TooLarge",
        Err(_) => "other error",
    }
}

/// Sorted, for comparing sets of reports.
fn sorted(mut v: Vec<Pending>) -> Vec<Pending> {
    v.sort_by_key(|p| (p.key, p.kind, p.reference, p.stamp, p.received, p.total));
    v
}

/// The reassembler, the model of what it holds, and every handle it gave.
struct Harness {
    engine: Engine,
    held: Vec<Held>,
    /// Every handle handed out, with the message it completed (in sequence
    /// order, joined).
    handles: Vec<(Handle, Vec<u8>)>,
    now: u64,
    step: usize,
    summary: ReassemblySummary,
}

impl Harness {
    fn new() -> Self {
        Self {
            engine: Engine::new(),
            held: Vec::new(),
            handles: Vec::new(),
            now: 0,
            step: 0,
            summary: ReassemblySummary::default(),
        }
    }

    /// The index in `held` of the message `handle` completed, if still held.
    fn held_by_handle(&self, handle: Handle) -> Option<usize> {
        self.held.iter().position(|m| m.handle == Some(handle))
    }

    /// What `insert` must answer (`None`: `Complete`, with a handle the
    /// engine chooses), and the model after it.
    fn expect_insert(
        &mut self,
        key: u64,
        part: &Part<'_>,
    ) -> Result<Option<Status>, ReassemblyError> {
        if part.total == 0 || part.seq == 0 || part.seq > part.total {
            return Err(ReassemblyError::InvalidPart);
        }
        if part.total == 1 {
            return Ok(Some(Status::Single));
        }
        if usize::from(part.total) > PARTS {
            return Err(ReassemblyError::TooManyParts);
        }
        let existing = self
            .held
            .iter()
            .position(|m| m.key == key && m.kind == part.kind && m.reference == part.reference);
        let mut ended = None;
        let index = if let Some(i) = existing {
            let m = &self.held[i];
            let conflicts = m.total != part.total
                || m.parts
                    .get(&part.seq)
                    .is_some_and(|p| p[..] != *part.payload);
            if conflicts && m.handle.is_none() {
                // A new message reusing the reference of an incomplete one, which ends.
                if part.payload.len() > BYTES {
                    return Err(ReassemblyError::TooLarge);
                }
                ended = Some(m.pending());
                self.held[i] = Held {
                    key,
                    kind: part.kind,
                    reference: part.reference,
                    total: part.total,
                    stamp: self.now,
                    parts: BTreeMap::new(),
                    handle: None,
                };
            } else if m.total != part.total {
                return Err(ReassemblyError::TotalMismatch);
            } else if m.parts.contains_key(&part.seq) {
                return Ok(Some(Status::Duplicate));
            } else if m.octets() + part.payload.len() > BYTES {
                return Err(ReassemblyError::TooLarge);
            }
            i
        } else {
            if self.held.len() == SLOTS {
                return Err(ReassemblyError::Full);
            }
            if part.payload.len() > BYTES {
                return Err(ReassemblyError::TooLarge);
            }
            self.held.push(Held {
                key,
                kind: part.kind,
                reference: part.reference,
                total: part.total,
                stamp: self.now,
                parts: BTreeMap::new(),
                handle: None,
            });
            self.held.len() - 1
        };
        let m = &mut self.held[index];
        m.parts.insert(part.seq, part.payload.to_vec());
        if let Some(ended) = ended {
            self.summary.ended += 1;
            Ok(Some(Status::Restarted { ended }))
        } else if m.received() == m.total {
            // The handle is the engine's to choose.
            Ok(None)
        } else {
            Ok(Some(Status::Incomplete {
                received: m.received(),
                total: m.total,
            }))
        }
    }

    /// Inserts `part` from sender `key`, checks the answer against the
    /// model, and for a completed message its parts and joined octets.
    fn insert(&mut self, key: u64, part: &Part<'_>, remove_at_once: bool) {
        let expected = self.expect_insert(key, part);
        let got = self.engine.insert(key, self.now, *part);
        self.summary.outcomes.insert(outcome_name(&got));
        let (Ok(Status::Complete(handle)), Ok(None)) = (got, expected) else {
            assert_eq!(
                got.map(Some),
                expected,
                "step {}: insert {part:?} from {key}",
                self.step
            );
            return;
        };
        self.summary.completed += 1;
        assert!(
            self.handles.iter().all(|(h, _)| *h != handle),
            "step {}: handle {handle:?} handed out twice",
            self.step
        );
        let index = self
            .held
            .iter()
            .position(|m| m.handle.is_none() && m.received() == m.total)
            .expect("the model completed the same message");
        let message = &mut self.held[index];
        message.handle = Some(handle);
        let joined: Vec<u8> = message.parts.values().flatten().copied().collect();
        let parts: Vec<Vec<u8>> = message.parts.values().cloned().collect();
        let read: Vec<Vec<u8>> = self
            .engine
            .parts(handle)
            .expect("a complete message is readable")
            .map(<[u8]>::to_vec)
            .collect();
        assert_eq!(read, parts, "step {}: parts in sequence order", self.step);
        self.handles.push((handle, joined));
        self.check_read(self.handles.len() - 1);
        if remove_at_once {
            self.remove(self.handles.len() - 1);
        }
    }

    /// `parts` and `copy_out` of handle `i`: the joined message while it
    /// is held, nothing once removed.
    fn check_read(&mut self, i: usize) {
        let (handle, joined) = self.handles[i].clone();
        let mut out = vec![0u8; BYTES + 1];
        let copied = self.engine.copy_out(handle, &mut out);
        if self.held_by_handle(handle).is_some() {
            assert_eq!(copied, Some(joined.len()), "step {}", self.step);
            assert_eq!(out[..joined.len()], joined[..], "step {}", self.step);
            if let Some(short) = joined.len().checked_sub(1) {
                assert_eq!(self.engine.copy_out(handle, &mut out[..short]), None);
            }
        } else {
            assert_eq!(copied, None, "step {}: stale handle read", self.step);
            assert!(self.engine.parts(handle).is_none());
            self.summary.stale_refused += 1;
        }
    }

    /// `remove` of handle `i`: frees its message if still held, else
    /// changes nothing.
    fn remove(&mut self, i: usize) {
        let handle = self.handles[i].0;
        let held = self.held_by_handle(handle);
        assert_eq!(
            self.engine.remove(handle),
            held.is_some(),
            "step {}: remove {handle:?}",
            self.step
        );
        match held {
            Some(index) => {
                self.held.remove(index);
            }
            None => self.summary.stale_refused += 1,
        }
    }

    /// `expire` before `older_than`: exactly the incomplete messages with
    /// an older first part, each once.
    fn expire(&mut self, older_than: u64) -> usize {
        let mut reported = Vec::new();
        let n = self.engine.expire(older_than, |p| reported.push(p));
        assert_eq!(n, reported.len());
        let (gone, kept): (Vec<Held>, Vec<Held>) = core::mem::take(&mut self.held)
            .into_iter()
            .partition(|m| m.handle.is_none() && m.stamp < older_than);
        self.held = kept;
        let expected = sorted(gone.iter().map(Held::pending).collect());
        assert_eq!(sorted(reported), expected, "step {}: expire", self.step);
        n
    }

    /// The invariants between steps: no more than `SLOTS` messages, the
    /// same ones as the model, `pending` listing the incomplete ones.
    fn check(&self) {
        assert!(self.engine.in_progress() <= SLOTS);
        assert_eq!(
            self.engine.in_progress(),
            self.held.len(),
            "step {}",
            self.step
        );
        let pending = sorted(self.engine.pending().collect());
        let expected = sorted(
            self.held
                .iter()
                .filter(|m| m.handle.is_none())
                .map(Held::pending)
                .collect(),
        );
        assert_eq!(pending, expected, "step {}: pending", self.step);
    }

    fn step(&mut self, op: &ReassemblyOp<'_>) {
        self.step += 1;
        match *op {
            ReassemblyOp::Part(who, reference, total, seq, len) => {
                let key = u64::from(who & 3);
                let reference = reference % 4;
                let (total, seq) = (total % 6, seq % 7);
                let fill = u8::try_from(self.step % 256).expect("below 256");
                let payload = vec![fill; usize::from(len % 40)];
                let part = match (who >> 2) & 3 {
                    0 => from_udh(&[0x00, 3, reference, total, seq], &payload),
                    1 => from_udh(&[0x08, 4, 0, reference, total, seq], &payload),
                    _ => Part::from_sar(u16::from(reference), total, seq, &payload),
                };
                self.insert(key, &part, who & 0x80 != 0);
            }
            ReassemblyOp::Raw(key, sm) => {
                let part = Part::from_short_message(sm, true);
                // The element the header names, read through `Udh`.
                let expected = Udh::split(sm).and_then(|(udh, payload)| {
                    Ok(udh
                        .concat()?
                        .map(|c| (c.wide, c.reference, c.total, c.seq, payload)))
                });
                let got = part.map(|p| {
                    p.map(|p| {
                        let wide = match p.kind {
                            ReferenceKind::Udh8 => false,
                            ReferenceKind::Udh16 => true,
                            ReferenceKind::Sar => panic!("a SAR part from a header"),
                        };
                        (wide, p.reference, p.total, p.seq, p.payload)
                    })
                });
                assert_eq!(got, expected, "step {}: {sm:x?}", self.step);
                assert_eq!(Part::from_short_message(sm, false), Ok(None));
                if let Ok(Some(part)) = part {
                    self.insert(u64::from(key & 3), &part, false);
                }
            }
            ReassemblyOp::Tick(n) => self.now += u64::from(n),
            ReassemblyOp::Expire(age) => {
                let older_than = (self.now + 1).saturating_sub(u64::from(age));
                self.summary.expired += self.expire(older_than);
            }
            ReassemblyOp::Remove(i) => {
                if !self.handles.is_empty() {
                    self.remove(usize::from(i) % self.handles.len());
                }
            }
            ReassemblyOp::Read(i) => {
                if !self.handles.is_empty() {
                    self.check_read(usize::from(i) % self.handles.len());
                }
            }
        }
        self.check();
    }

    /// The end: expiring everything reports each message still incomplete
    /// once; removing every current handle empties the reassembler.
    fn finish(mut self) -> ReassemblySummary {
        self.step += 1;
        self.expire(u64::MAX);
        assert_eq!(self.engine.pending().count(), 0);
        assert_eq!(self.engine.expire(u64::MAX, |p| panic!("{p:?} twice")), 0);
        for i in 0..self.handles.len() {
            self.remove(i);
        }
        assert_eq!(self.engine.in_progress(), 0);
        assert!(self.held.is_empty());
        self.summary
    }
}

/// The part `Part::from_short_message` reads from a header holding one
/// concatenation element (`element`: IEI, length, data), which it must
/// find, unless its numbering is impossible (total 0, sequence number 0 or
/// above the total): a receiver ignores such an element, so the part is
/// built by hand then, for the reassembler to refuse.
fn from_udh<'p>(element: &[u8], payload: &'p [u8]) -> Part<'p> {
    let mut sm = vec![u8::try_from(element.len()).expect("a short element")];
    sm.extend_from_slice(element);
    sm.extend_from_slice(payload);
    let read = Part::from_short_message(&sm, true).expect("a valid header");
    let (kind, reference) = if element[0] == 0x08 {
        (
            ReferenceKind::Udh16,
            u16::from_be_bytes([element[2], element[3]]),
        )
    } else {
        (ReferenceKind::Udh8, u16::from(element[2]))
    };
    let (total, seq) = (element[element.len() - 2], element[element.len() - 1]);
    if total == 0 || seq == 0 || seq > total {
        assert_eq!(read, None, "an element numbered {seq} of {total}");
        return Part {
            kind,
            reference,
            total,
            seq,
            payload,
        };
    }
    let part = read.expect("a concatenation element");
    assert_eq!(part.payload, payload);
    assert_eq!(
        (part.kind, part.reference, part.total, part.seq),
        (kind, reference, total, seq)
    );
    Part { payload, ..part }
}

/// Runs a script and returns what it went through.
///
/// # Panics
///
/// When a property of [`reassembly`] breaks.
pub fn reassembly_summary(data: &[u8]) -> ReassemblySummary {
    let script = ReassemblyScript::parse(data);
    let mut harness = Harness::new();
    for op in &script.ops {
        harness.step(op);
    }
    harness.finish()
}

/// The fixed-capacity reassembler, driven by a [`ReassemblyScript`] and
/// checked against a model after every step:
///
/// - `Part::from_short_message` reads the concatenation element `Udh`
///   finds (8-bit or 16-bit kind), and nothing without UDHI;
/// - `insert` answers as the model: bad numbering, a single part, too many
///   parts, a duplicate (the same payload again, or any part of a complete
///   message not yet removed), a different total than a complete message,
///   no free slot, too many octets; parts join only a message of the same
///   sender, kind and reference; a part with another total, or a part
///   received before with another payload, ends the incomplete message
///   under its reference (reported once, by `insert`) and begins a new one;
/// - a completed message reads back as its parts in sequence order, and
///   `copy_out` gives their concatenation (and refuses a buffer one octet
///   short); every handle is new;
/// - never more than the capacity held; `pending` lists exactly the
///   incomplete messages;
/// - `expire` drops and reports exactly the incomplete messages whose
///   first part is older, each once, and leaves complete ones;
/// - `remove`, `parts` and `copy_out` refuse a handle whose message was
///   removed, even once its slot holds another message;
/// - at the end, expiring everything reports every message still
///   incomplete exactly once.
///
/// # Panics
///
/// When a property above breaks.
pub fn reassembly(data: &[u8]) {
    reassembly_summary(data);
}

/// `who` bits of a SAR part.
const SAR: u8 = 0x08;
/// `who` bits of a part with a 16-bit concatenation element.
const UDH16: u8 = 0x04;
/// `who` bit: remove the message once complete.
const REMOVE: u8 = 0x80;

/// The seed scripts made of parts, ticks, expiry and handle use, by name.
fn part_seeds() -> Vec<(&'static str, Vec<ReassemblyOp<'static>>)> {
    use ReassemblyOp::{Expire, Read, Remove, Tick};
    let part = ReassemblyOp::Part;
    vec![
        (
            "in_order",
            vec![part(0, 1, 2, 1, 5), part(0, 1, 2, 2, 3), Read(0), Remove(0)],
        ),
        (
            "out_of_order_duplicate_mismatch",
            vec![
                part(SAR, 2, 3, 3, 4),
                // Empty payloads: the same part twice.
                part(SAR, 2, 3, 1, 0),
                part(SAR, 2, 3, 1, 0),
                part(SAR, 2, 3, 0, 1),
                part(SAR, 2, 3, 2, 7),
                // The complete message, not yet removed, keeps its reference.
                part(SAR, 2, 4, 2, 1),
                part(SAR, 2, 3, 2, 3),
                Read(0),
                Remove(0),
                Read(0),
                Remove(0),
            ],
        ),
        (
            "reference_reused",
            vec![
                part(0, 1, 3, 1, 2),
                part(0, 1, 2, 2, 2),
                part(0, 1, 2, 2, 3),
                part(0, 1, 2, 1, 2),
                part(1, 1, 2, 1, 2),
                part(1, 1, 3, 1, 39),
                Read(0),
                Expire(0),
            ],
        ),
        (
            "kinds_apart",
            vec![
                part(0, 3, 2, 1, 1),
                part(UDH16, 3, 2, 2, 2),
                part(SAR, 3, 2, 1, 3),
                part(SAR, 3, 2, 2, 4),
                part(0, 3, 2, 2, 5),
                part(UDH16, 3, 2, 1, 6),
            ],
        ),
        (
            "full_too_large_too_many",
            vec![
                part(0, 0, 2, 1, 1),
                part(1, 0, 2, 1, 1),
                part(2, 0, 2, 1, 1),
                part(3, 0, 2, 1, 1),
                part(3, 1, 2, 1, 1),
                part(0, 0, 2, 2, 39),
                part(0, 0, 5, 1, 1),
                part(0, 0, 1, 1, 9),
                part(3, 0, 2, 2, 31),
            ],
        ),
        (
            "expiry",
            vec![
                part(0, 1, 3, 1, 2),
                Tick(10),
                part(1, 1, 3, 1, 2),
                part(0, 1, 3, 2, 2),
                Tick(5),
                Expire(10),
                part(0, 1, 3, 3, 2),
                Tick(20),
                part(2, 2, 2, 1, 1),
                part(2, 2, 2, 2, 1),
                Expire(0),
                Read(0),
            ],
        ),
        (
            "stale_handle_after_reuse",
            vec![
                part(REMOVE | SAR, 0, 2, 1, 1),
                part(REMOVE | SAR, 0, 2, 2, 1),
                part(1, 0, 2, 2, 2),
                part(1, 0, 2, 1, 2),
                Read(0),
                Remove(0),
                Read(1),
                Remove(1),
                Remove(1),
            ],
        ),
    ]
}

/// Seed scripts: parts in and out of order with duplicates and a wrong
/// total, references reused by new messages, the three kinds of reference meeting, a full reassembler,
/// oversized parts, expiry, stale handles; then each `udh` message given
/// (`short_message`s with a user data header) as a raw part.
pub fn reassembly_seeds<'a>(
    udh_messages: &[(String, &'a [u8])],
) -> Vec<(String, ReassemblyScript<'a>)> {
    let mut out = part_seeds()
        .into_iter()
        .map(|(name, ops)| (name.to_owned(), ReassemblyScript { ops }))
        .collect::<Vec<_>>();
    for (name, sm) in udh_messages {
        out.push((
            name.clone(),
            ReassemblyScript {
                ops: vec![ReassemblyOp::Raw(0, sm), ReassemblyOp::Expire(0)],
            },
        ));
    }
    out
}
