//! A fixed-capacity reassembler for concatenated messages, for `no_std` receivers.
//!
//! Parts arrive from a UDH concatenation element ([`Part::from_short_message`]) or from the SAR
//! TLVs ([`Part::from_sar`]) in any order. [`Reassembler`] keeps up to `SLOTS` messages in
//! progress, each with up to `PARTS` parts and `BYTES` octets of payload; nothing is allocated.
//! The caller supplies a `key` separating senders (for example a hash of the source and destination
//! addresses) and a monotonic `stamp` used by [`Reassembler::expire`]. Parts belong to the same
//! message when key, [`ReferenceKind`] and reference agree: an 8-bit reference 5, a 16-bit
//! reference 5 and a SAR reference 5 from one sender are three messages. Senders reuse
//! references (an 8-bit one after 256 messages), so a part that cannot belong to the incomplete
//! message held under its reference, announcing another total or repeating a part with another
//! payload, ends that message and begins a new one ([`Status::Restarted`]).
//!
//! A [`Status::Complete`] hands out a [`Handle`] to the finished message, valid until
//! [`Reassembler::remove`]; the slot is then reused, and a handle kept past that is refused
//! (each slot counts its reuses, and a handle remembers the count it was made at).
//!
//! ```
//! use smpp_core::text::reassembly::{Part, Reassembler, Status};
//!
//! let mut r: Reassembler<4, 8, 512> = Reassembler::new();
//! let p2 = [0x05, 0x00, 0x03, 0x11, 0x02, 0x02, b'l', b'd'];
//! let p1 = [0x05, 0x00, 0x03, 0x11, 0x02, 0x01, b'w', b'o', b'r'];
//! let part = Part::from_short_message(&p2, true)?.expect("concatenated");
//! assert_eq!(r.insert(1, 0, part), Ok(Status::Incomplete { received: 1, total: 2 }));
//! let part = Part::from_short_message(&p1, true)?.expect("concatenated");
//! let Ok(Status::Complete(done)) = r.insert(1, 0, part) else { panic!() };
//! let mut out = [0u8; 16];
//! let n = r.copy_out(done, &mut out).expect("complete");
//! assert_eq!(&out[..n], b"world");
//! r.remove(done);
//! assert_eq!(r.in_progress(), 0);
//! # Ok::<(), smpp_core::text::udh::UdhError>(())
//! ```

use core::fmt;

use super::gsm7::Tables;
use super::udh::{Udh, UdhError};
use crate::pdu::{DataSm, DeliverSm};
use crate::tlv::{TlvTag, Tlvs};
use crate::values::EsmClass;

/// Errors from [`Part::from_deliver_sm`] and [`Part::from_data_sm`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PartError {
    /// The user data header is malformed.
    Udh(UdhError),
    /// Some of the three SAR TLVs (`sar_msg_ref_num`, `sar_total_segments`,
    /// `sar_segment_seqnum`) are present and some are not, or one has a length its definition
    /// does not allow.
    IncompleteSar,
}

impl fmt::Display for PartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Udh(e) => write!(f, "user data header: {e}"),
            Self::IncompleteSar => f.write_str("the SAR TLVs are incomplete"),
        }
    }
}

impl core::error::Error for PartError {}

impl From<UdhError> for PartError {
    fn from(e: UdhError) -> Self {
        Self::Udh(e)
    }
}

/// How the parts of a message are tied together, which decides the width of the reference.
///
/// Senders keep a counter per kind, so equal numbers of different kinds are different
/// messages; the kind is part of what [`Reassembler`] matches parts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReferenceKind {
    /// The concatenation element with an 8-bit reference (IEI 0x00).
    Udh8,
    /// The concatenation element with a 16-bit reference (IEI 0x08).
    Udh16,
    /// The `sar_msg_ref_num` TLV (0x020C), 16 bits.
    Sar,
}

/// One part of a concatenated message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Part<'a> {
    /// Where the reference came from: the two concatenation elements or the SAR TLVs.
    pub kind: ReferenceKind,
    /// Reference number shared by all parts.
    pub reference: u16,
    /// Total number of parts.
    pub total: u8,
    /// This part's sequence number, from 1.
    pub seq: u8,
    /// The part's payload (after the UDH, if any).
    pub payload: &'a [u8],
}

impl<'a> Part<'a> {
    /// Reads the concatenation element of a `short_message`; `Ok(None)` if UDHI is clear or the
    /// header has no concatenation element, or only one numbered impossibly (total 0, sequence
    /// number 0 or above the total), which a receiver ignores ([`Udh::concat`]): the message
    /// stands alone.
    pub fn from_short_message(
        short_message: &'a [u8],
        udhi: bool,
    ) -> Result<Option<Self>, UdhError> {
        if !udhi {
            return Ok(None);
        }
        let (udh, payload) = Udh::split(short_message)?;
        Ok(udh.concat()?.map(|c| Self {
            kind: if c.wide {
                ReferenceKind::Udh16
            } else {
                ReferenceKind::Udh8
            },
            reference: c.reference,
            total: c.total,
            seq: c.seq,
            payload,
        }))
    }

    /// The part a `deliver_sm` (or `submit_sm`, the same body) carries, by whichever method
    /// it uses: a concatenation element in the user data header (UDHI set in `esm_class`), or
    /// the `sar_msg_ref_num`, `sar_total_segments` and `sar_segment_seqnum` TLVs. The user data
    /// is `short_message`, or the `message_payload` TLV when `short_message` is empty; the
    /// payload is what follows the header. `Ok(None)` for a message that is not part of a
    /// longer one. A message should not use both methods (SMPP v5.0 4.7.12); if it does, the
    /// header's element is used.
    ///
    /// ```
    /// use smpp_core::text::reassembly::{Part, Reassembler, ReferenceKind, Status};
    /// use smpp_core::{DeliverSm, TlvBuf, TlvTag};
    ///
    /// let mut r: Reassembler<2, 4, 256> = Reassembler::new();
    /// let mut status = Status::Single;
    /// for (seq, text) in [(2u8, &b"rld"[..]), (1, b"wo")] {
    ///     let mut tlvs = TlvBuf::<32>::new();
    ///     tlvs.push_u16(TlvTag::SAR_MSG_REF_NUM, 0x2A)?;
    ///     tlvs.push_u8(TlvTag::SAR_TOTAL_SEGMENTS, 2)?;
    ///     tlvs.push_u8(TlvTag::SAR_SEGMENT_SEQNUM, seq)?;
    ///     let sm = DeliverSm { short_message: text, tlvs: tlvs.tlvs(), ..DeliverSm::default() };
    ///     let part = Part::from_deliver_sm(&sm)?.expect("a SAR part");
    ///     assert_eq!(part.kind, ReferenceKind::Sar);
    ///     status = r.insert(1, 0, part)?;
    /// }
    /// let Status::Complete(done) = status else { panic!("{status:?}") };
    /// let mut out = [0u8; 8];
    /// let n = r.copy_out(done, &mut out).unwrap();
    /// assert_eq!(&out[..n], b"world");
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn from_deliver_sm<B: AsRef<[u8]>>(
        sm: &'a DeliverSm<B>,
    ) -> Result<Option<Self>, PartError> {
        Self::from_user_data(sm.esm_class, sm.short_message.as_ref(), &sm.tlvs)
    }

    /// The part a `data_sm` carries in its `message_payload` TLV, by a header's concatenation
    /// element or the SAR TLVs, as [`Self::from_deliver_sm`] reads it.
    pub fn from_data_sm<B: AsRef<[u8]>>(sm: &'a DataSm<B>) -> Result<Option<Self>, PartError> {
        Self::from_user_data(sm.esm_class, &[], &sm.tlvs)
    }

    fn from_user_data<B: AsRef<[u8]>>(
        esm_class: EsmClass,
        short_message: &'a [u8],
        tlvs: &'a Tlvs<B>,
    ) -> Result<Option<Self>, PartError> {
        let user_data = super::user_data(short_message, tlvs);
        let payload = if esm_class.udhi() {
            if let Some(part) = Self::from_short_message(user_data, true)? {
                return Ok(Some(part));
            }
            Udh::split(user_data)?.1
        } else {
            user_data
        };
        let reference = tlvs.get(TlvTag::SAR_MSG_REF_NUM);
        let total = tlvs.get(TlvTag::SAR_TOTAL_SEGMENTS);
        let seq = tlvs.get(TlvTag::SAR_SEGMENT_SEQNUM);
        match (reference, total, seq) {
            (None, None, None) => Ok(None),
            (Some(r), Some(t), Some(s)) => match (r.as_u16(), t.as_u8(), s.as_u8()) {
                (Some(r), Some(t), Some(s)) => Ok(Some(Self::from_sar(r, t, s, payload))),
                _ => Err(PartError::IncompleteSar),
            },
            _ => Err(PartError::IncompleteSar),
        }
    }

    /// A part described by the `sar_msg_ref_num`, `sar_total_segments` and `sar_segment_seqnum` TLVs.
    pub const fn from_sar(reference: u16, total: u8, seq: u8, payload: &'a [u8]) -> Self {
        Self {
            kind: ReferenceKind::Sar,
            reference,
            total,
            seq,
            payload,
        }
    }
}

/// Errors from [`Reassembler::insert`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReassemblyError {
    /// Total is 0, or the sequence number is 0 or above the total.
    InvalidPart,
    /// More parts than the reassembler's `PARTS` capacity.
    TooManyParts,
    /// The part announces a different total than the complete message, not yet
    /// [removed](Reassembler::remove), held under the same reference. (Against an incomplete
    /// message, a different total begins a new message instead: [`Status::Restarted`].)
    TotalMismatch,
    /// Every slot is in use.
    Full,
    /// The message's payload would exceed the `BYTES` capacity.
    TooLarge,
}

impl fmt::Display for ReassemblyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidPart => "invalid part numbering",
            Self::TooManyParts => "message has more parts than the reassembler holds",
            Self::TotalMismatch => "part total differs from earlier parts",
            Self::Full => "no free reassembly slot",
            Self::TooLarge => "message exceeds the reassembly buffer",
        })
    }
}

impl core::error::Error for ReassemblyError {}

/// A completed message held by the reassembler, from [`Status::Complete`].
///
/// Valid until the message is removed: after [`Reassembler::remove`] the slot may hold another
/// message, and [`Reassembler::parts`], [`Reassembler::copy_out`] and [`Reassembler::remove`]
/// refuse the old handle (they compare the slot's reuse count with the handle's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Handle {
    slot: usize,
    generation: u64,
}

/// Result of inserting a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// A message of one part: nothing was stored, use the payload as it is.
    Single,
    /// Stored; more parts are missing.
    Incomplete {
        /// Parts received so far.
        received: u8,
        /// Parts expected.
        total: u8,
    },
    /// This sequence number was already received with the same payload (a part sent again),
    /// or belongs to a complete message not yet removed; the part was ignored.
    Duplicate,
    /// All parts are here; read them with [`Reassembler::parts`] or
    /// [`Reassembler::copy_out`], then free the slot with [`Reassembler::remove`].
    Complete(Handle),
    /// The part reuses the reference of an incomplete message but cannot belong to it: it
    /// announces another total, or its sequence number was received with another payload.
    /// The 8-bit reference wraps after 256 messages, so this is a new message: the old one is
    /// ended and reported here, as [`Reassembler::expire`] would report it, and the part is
    /// stored as the first of the new message (1 of [`Part::total`] received).
    Restarted {
        /// The incomplete message that was ended.
        ended: Pending,
    },
}

#[derive(Debug)]
struct Slot<const PARTS: usize, const BYTES: usize> {
    key: u64,
    kind: ReferenceKind,
    reference: u16,
    total: u8,
    received: u8,
    stamp: u64,
    /// Each part's place in `data` and the GSM 7-bit tables its header named.
    parts: [Option<(usize, usize, Tables)>; PARTS],
    data: heapless::Vec<u8, BYTES>,
}

/// An incomplete message reported by [`Reassembler::expire`], [`Reassembler::pending`] or, when
/// a new message reuses its reference, [`Status::Restarted`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pending {
    /// The caller's key.
    pub key: u64,
    /// The kind of reference.
    pub kind: ReferenceKind,
    /// The reference number.
    pub reference: u16,
    /// Parts received.
    pub received: u8,
    /// Parts expected.
    pub total: u8,
    /// Stamp of the first part.
    pub stamp: u64,
}

/// How a part relates to the message held under its reference.
enum Fit {
    /// It is one of the message's missing parts.
    Joins,
    /// The message already has this part, with the same payload.
    Duplicate,
    /// It cannot be a part of this message: another total, or this sequence number with
    /// another payload.
    Conflicts,
}

impl<const PARTS: usize, const BYTES: usize> Slot<PARTS, BYTES> {
    const fn is_complete(&self) -> bool {
        self.received == self.total
    }

    /// How `part`, under this message's key and reference, relates to it.
    fn accepts(&self, part: &Part<'_>) -> Fit {
        if self.total != part.total {
            return Fit::Conflicts;
        }
        match self.parts.get(usize::from(part.seq - 1)) {
            Some(Some((start, len, _))) => {
                if self.data.get(*start..start + len) == Some(part.payload) {
                    Fit::Duplicate
                } else {
                    Fit::Conflicts
                }
            }
            _ => Fit::Joins,
        }
    }

    const fn pending(&self) -> Pending {
        Pending {
            key: self.key,
            kind: self.kind,
            reference: self.reference,
            received: self.received,
            total: self.total,
            stamp: self.stamp,
        }
    }
}

/// Fixed-capacity reassembler: `SLOTS` messages of up to `PARTS` parts and `BYTES` octets each.
///
/// # Memory
///
/// Everything is inline: per slot, the payload (`BYTES`), the position of each part (24
/// octets each on 64-bit targets, 12 on 32-bit ones) and about 48 octets (40 on 32-bit) of
/// bookkeeping. Some configurations, in octets (`rustc` 1.95; the sizes are held by a test):
///
/// | parameters | use | 64-bit | 32-bit (Cortex-M) |
/// |---|---|---|---|
/// | `<1, 4, 536>` | one message of up to 4 parts of 134 octets | 672 | 624 |
/// | `<4, 8, 512>` | the module example | 2,976 | 2,592 |
/// | `<8, 16, 2048>` | 8 senders, 16 parts of 128 octets | 19,776 | 18,240 |
#[derive(Debug)]
pub struct Reassembler<const SLOTS: usize, const PARTS: usize, const BYTES: usize> {
    slots: [Option<Slot<PARTS, BYTES>>; SLOTS],
    /// How many times each slot has been freed, so that a stale [`Handle`] is refused.
    generations: [u64; SLOTS],
}

impl<const SLOTS: usize, const PARTS: usize, const BYTES: usize> Default
    for Reassembler<SLOTS, PARTS, BYTES>
{
    fn default() -> Self {
        Self::new()
    }
}

impl<const SLOTS: usize, const PARTS: usize, const BYTES: usize> Reassembler<SLOTS, PARTS, BYTES> {
    /// An empty reassembler.
    pub fn new() -> Self {
        Self {
            slots: core::array::from_fn(|_| None),
            generations: [0; SLOTS],
        }
    }

    /// Number of slots in use: messages in progress, and complete ones not yet removed.
    pub fn in_progress(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    /// Empties slot `i`, so that handles to what it held are refused.
    fn free(&mut self, i: usize) {
        if let (Some(slot), Some(generation)) = (self.slots.get_mut(i), self.generations.get_mut(i))
            && slot.take().is_some()
        {
            *generation = generation.wrapping_add(1);
        }
    }

    /// Adds a part. `key` separates senders; `stamp` is the caller's current time in any unit.
    ///
    /// The part joins the message held under the same `key`, [`Part::kind`] and
    /// [`Part::reference`], complete or not (a part of a complete message not yet removed is a
    /// [`Status::Duplicate`] or a [`ReassemblyError::TotalMismatch`]); otherwise it starts a new
    /// message in a free slot. A message whose first part is refused as
    /// [`ReassemblyError::TooLarge`] is not kept.
    ///
    /// A part numbered as one already received is a [`Status::Duplicate`] when its payload is
    /// the same. A part that cannot belong to the incomplete message held under its reference
    /// (another total, or a sequence number already received with another payload) begins a
    /// new message that reuses the reference: the old message is ended and handed back in
    /// [`Status::Restarted`], and the part takes its slot, stamped `stamp`. A part too large
    /// to be a message's first ([`ReassemblyError::TooLarge`]) leaves the old message as it is.
    ///
    /// ```
    /// use smpp_core::text::reassembly::{Part, Reassembler, Status};
    ///
    /// let mut r: Reassembler<2, 4, 64> = Reassembler::new();
    /// r.insert(1, 10, Part::from_sar(7, 3, 1, b"Hello "))?;
    /// // Part 1 of a 2-part message with the same reference: the old message is ended.
    /// let Status::Restarted { ended } = r.insert(1, 20, Part::from_sar(7, 2, 1, b"Hi "))? else {
    ///     panic!()
    /// };
    /// assert_eq!((ended.reference, ended.received, ended.total, ended.stamp), (7, 1, 3, 10));
    /// let Status::Complete(done) = r.insert(1, 21, Part::from_sar(7, 2, 2, b"Bob"))? else {
    ///     panic!()
    /// };
    /// let mut out = [0u8; 8];
    /// let n = r.copy_out(done, &mut out).unwrap();
    /// assert_eq!(&out[..n], b"Hi Bob");
    /// # Ok::<(), smpp_core::text::reassembly::ReassemblyError>(())
    /// ```
    pub fn insert(
        &mut self,
        key: u64,
        stamp: u64,
        part: Part<'_>,
    ) -> Result<Status, ReassemblyError> {
        self.insert_with_tables(key, stamp, part, Tables::DEFAULT)
    }

    /// [`Self::insert`] of a part whose user data header names national language shift
    /// `tables` ([`Udh::tables`]), kept with the part for [`Self::parts_with_tables`]: a
    /// national language shift applies to its own segment only (TS 23.038 annex C), so that
    /// each part is decoded with its own ([`super::decode_parts_into`]). No memory is added:
    /// the tables fit in the room the part's place already takes.
    ///
    /// ```
    /// use smpp_core::text::reassembly::{Part, Reassembler, Status};
    /// use smpp_core::text::{OnUnmappable, decode_parts_into, udh::Udh};
    /// use smpp_core::DataCoding;
    ///
    /// let mut r: Reassembler<2, 4, 256> = Reassembler::new();
    /// // Two parts with a Turkish single shift element (0x24, language 1): 0x1B 0x67 is 'ğ'.
    /// let p1 = [0x08, 0x00, 0x03, 0x2A, 0x02, 0x01, 0x24, 0x01, 0x01, b'D', b'a', 0x1B, 0x67, b' '];
    /// let p2 = [0x08, 0x00, 0x03, 0x2A, 0x02, 0x02, 0x24, 0x01, 0x01, b'i', 0x1B, 0x67, b'i'];
    /// let mut status = Status::Single;
    /// for sm in [&p1[..], &p2[..]] {
    ///     let part = Part::from_short_message(sm, true)?.expect("a part");
    ///     let tables = Udh::split(sm)?.0.tables()?;
    ///     status = r.insert_with_tables(1, 0, part, tables)?;
    /// }
    /// let Status::Complete(done) = status else { panic!("{status:?}") };
    /// let mut out = [0u8; 32];
    /// let parts = r.parts_with_tables(done).expect("complete");
    /// let text = decode_parts_into(parts, DataCoding(0), OnUnmappable::Error, &mut out)?;
    /// assert_eq!(text, Some("Dağ iği"));
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn insert_with_tables(
        &mut self,
        key: u64,
        stamp: u64,
        part: Part<'_>,
        tables: Tables,
    ) -> Result<Status, ReassemblyError> {
        if part.total == 0 || part.seq == 0 || part.seq > part.total {
            return Err(ReassemblyError::InvalidPart);
        }
        if part.total == 1 {
            return Ok(Status::Single);
        }
        if usize::from(part.total) > PARTS {
            return Err(ReassemblyError::TooManyParts);
        }
        let existing = self.slots.iter().enumerate().find_map(|(i, s)| {
            s.as_ref()
                .filter(|s| s.key == key && s.kind == part.kind && s.reference == part.reference)
                .map(|s| (i, s))
        });
        let mut ended = None;
        let index = if let Some((i, slot)) = existing {
            match slot.accepts(&part) {
                Fit::Joins => i,
                Fit::Duplicate => return Ok(Status::Duplicate),
                Fit::Conflicts if slot.is_complete() => {
                    return if slot.total == part.total {
                        Ok(Status::Duplicate)
                    } else {
                        Err(ReassemblyError::TotalMismatch)
                    };
                }
                Fit::Conflicts => {
                    // A new message under a reused reference. Its first part must fit before
                    // the old message is given up.
                    if part.payload.len() > BYTES {
                        return Err(ReassemblyError::TooLarge);
                    }
                    ended = Some(slot.pending());
                    self.free(i);
                    self.begin(i, key, stamp, &part);
                    i
                }
            }
        } else {
            let i = self
                .slots
                .iter()
                .position(Option::is_none)
                .ok_or(ReassemblyError::Full)?;
            self.begin(i, key, stamp, &part);
            i
        };
        let Some(Some(slot)) = self.slots.get_mut(index) else {
            return Err(ReassemblyError::Full);
        };
        let entry = slot
            .parts
            .get_mut(usize::from(part.seq - 1))
            .ok_or(ReassemblyError::InvalidPart)?;
        let start = slot.data.len();
        if slot.data.extend_from_slice(part.payload).is_err() {
            if slot.received == 0 {
                self.free(index);
            }
            return Err(ReassemblyError::TooLarge);
        }
        *entry = Some((start, part.payload.len(), tables));
        slot.received += 1;
        if let Some(ended) = ended {
            Ok(Status::Restarted { ended })
        } else if slot.is_complete() {
            Ok(Status::Complete(Handle {
                slot: index,
                generation: self.generations.get(index).copied().unwrap_or_default(),
            }))
        } else {
            Ok(Status::Incomplete {
                received: slot.received,
                total: slot.total,
            })
        }
    }

    /// Puts an empty message for `part` in the free slot `i`.
    fn begin(&mut self, i: usize, key: u64, stamp: u64, part: &Part<'_>) {
        if let Some(s) = self.slots.get_mut(i) {
            *s = Some(Slot {
                key,
                kind: part.kind,
                reference: part.reference,
                total: part.total,
                received: 0,
                stamp,
                parts: [None; PARTS],
                data: heapless::Vec::new(),
            });
        }
    }

    /// The slot of a complete message, if `h` is current.
    fn complete_slot(&self, h: Handle) -> Option<&Slot<PARTS, BYTES>> {
        if self.generations.get(h.slot) != Some(&h.generation) {
            return None;
        }
        self.slots.get(h.slot)?.as_ref().filter(|s| s.is_complete())
    }

    /// The payloads of a complete message, in sequence order; `None` if the handle is stale
    /// (the message was removed).
    pub fn parts(&self, h: Handle) -> Option<impl Iterator<Item = &[u8]> + '_> {
        Some(self.parts_with_tables(h)?.map(|(_, payload)| payload))
    }

    /// The payloads of a complete message with the GSM 7-bit tables each part was inserted
    /// with ([`Self::insert_with_tables`]; [`Tables::DEFAULT`] by [`Self::insert`]), in
    /// sequence order, as [`super::decode_parts_into`] takes them; `None` if the handle is
    /// stale.
    pub fn parts_with_tables(
        &self,
        h: Handle,
    ) -> Option<impl Iterator<Item = (Tables, &[u8])> + '_> {
        let slot = self.complete_slot(h)?;
        Some(slot.parts.iter().take(usize::from(slot.total)).map(|p| {
            p.and_then(|(s, l, tables)| Some((tables, slot.data.get(s..s + l)?)))
                .unwrap_or((Tables::DEFAULT, &[]))
        }))
    }

    /// Copies the payloads of a complete message, in order, into `out`; `None` if the handle is
    /// stale or `out` is too small.
    pub fn copy_out(&self, h: Handle, out: &mut [u8]) -> Option<usize> {
        let mut pos = 0usize;
        for p in self.parts(h)? {
            let end = pos.checked_add(p.len())?;
            out.get_mut(pos..end)?.copy_from_slice(p);
            pos = end;
        }
        Some(pos)
    }

    /// Frees a complete message's slot. Returns `false`, changing nothing, for a stale handle
    /// (one whose message was already removed, even if its slot now holds another message).
    pub fn remove(&mut self, h: Handle) -> bool {
        if self.complete_slot(h).is_none() {
            return false;
        }
        self.free(h.slot);
        true
    }

    /// The messages still incomplete. Complete messages not yet removed are not listed: they
    /// are the caller's, through their [`Handle`].
    pub fn pending(&self) -> impl Iterator<Item = Pending> + '_ {
        self.slots
            .iter()
            .flatten()
            .filter(|s| !s.is_complete())
            .map(Slot::pending)
    }

    /// Drops the incomplete messages whose first part arrived before `older_than`, calling
    /// `report` once for each. Returns how many were dropped. Complete messages not yet removed
    /// stay, whatever their age, so that their handles remain valid.
    pub fn expire(&mut self, older_than: u64, mut report: impl FnMut(Pending)) -> usize {
        let mut n = 0;
        for i in 0..SLOTS {
            let Some(Some(s)) = self.slots.get(i) else {
                continue;
            };
            if !s.is_complete() && s.stamp < older_than {
                report(s.pending());
                self.free(i);
                n += 1;
            }
        }
        n
    }
}
