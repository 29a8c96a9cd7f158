//! A fixed-capacity reassembler for concatenated messages, for `no_std` receivers.
//!
//! Parts arrive from a UDH concatenation element ([`Part::from_short_message`]) or from the SAR
//! TLVs ([`Part::from_sar`]) in any order. [`Reassembler`] keeps up to `SLOTS` messages in
//! progress, each with up to `PARTS` parts and `BYTES` octets of payload; nothing is allocated.
//! The caller supplies a `key` separating senders (for example a hash of the source and destination
//! addresses) and a monotonic `stamp` used by [`Reassembler::expire`].
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

use super::udh::{Udh, UdhError};

/// One part of a concatenated message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Part<'a> {
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
    /// header has no concatenation element.
    pub fn from_short_message(
        short_message: &'a [u8],
        udhi: bool,
    ) -> Result<Option<Self>, UdhError> {
        if !udhi {
            return Ok(None);
        }
        let (udh, payload) = Udh::split(short_message)?;
        Ok(udh.concat()?.map(|c| Self {
            reference: c.reference,
            total: c.total,
            seq: c.seq,
            payload,
        }))
    }

    /// A part described by the `sar_msg_ref_num`, `sar_total_segments` and `sar_segment_seqnum` TLVs.
    pub const fn from_sar(reference: u16, total: u8, seq: u8, payload: &'a [u8]) -> Self {
        Self {
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
    /// The part announces a different total than earlier parts with the same reference.
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

/// A completed message held by the reassembler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Handle(usize);

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
    /// This sequence number was already received; the part was ignored.
    Duplicate,
    /// All parts are here; read them with [`Reassembler::parts`] or
    /// [`Reassembler::copy_out`], then free the slot with [`Reassembler::remove`].
    Complete(Handle),
}

#[derive(Debug)]
struct Slot<const PARTS: usize, const BYTES: usize> {
    key: u64,
    reference: u16,
    total: u8,
    received: u8,
    stamp: u64,
    parts: [Option<(usize, usize)>; PARTS],
    data: heapless::Vec<u8, BYTES>,
}

/// An in-progress message reported by [`Reassembler::expire`] or [`Reassembler::pending`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pending {
    /// The caller's key.
    pub key: u64,
    /// The reference number.
    pub reference: u16,
    /// Parts received.
    pub received: u8,
    /// Parts expected.
    pub total: u8,
    /// Stamp of the first part.
    pub stamp: u64,
}

/// Fixed-capacity reassembler: `SLOTS` messages of up to `PARTS` parts and `BYTES` octets each.
#[derive(Debug)]
pub struct Reassembler<const SLOTS: usize, const PARTS: usize, const BYTES: usize> {
    slots: [Option<Slot<PARTS, BYTES>>; SLOTS],
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
        }
    }

    /// Number of messages in progress (or complete and not yet removed).
    pub fn in_progress(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    /// Adds a part. `key` separates senders; `stamp` is the caller's current time in any unit.
    pub fn insert(
        &mut self,
        key: u64,
        stamp: u64,
        part: Part<'_>,
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
        let existing = self.slots.iter().position(|s| {
            s.as_ref()
                .is_some_and(|s| s.key == key && s.reference == part.reference)
        });
        let index = if let Some(i) = existing {
            i
        } else {
            let i = self
                .slots
                .iter()
                .position(Option::is_none)
                .ok_or(ReassemblyError::Full)?;
            if let Some(s) = self.slots.get_mut(i) {
                *s = Some(Slot {
                    key,
                    reference: part.reference,
                    total: part.total,
                    received: 0,
                    stamp,
                    parts: [None; PARTS],
                    data: heapless::Vec::new(),
                });
            }
            i
        };
        let Some(Some(slot)) = self.slots.get_mut(index) else {
            return Err(ReassemblyError::Full);
        };
        if slot.total != part.total {
            return Err(ReassemblyError::TotalMismatch);
        }
        let entry = slot
            .parts
            .get_mut(usize::from(part.seq - 1))
            .ok_or(ReassemblyError::InvalidPart)?;
        if entry.is_some() {
            return Ok(Status::Duplicate);
        }
        let start = slot.data.len();
        if slot.data.extend_from_slice(part.payload).is_err() {
            if slot.received == 0 {
                if let Some(s) = self.slots.get_mut(index) {
                    *s = None;
                }
            }
            return Err(ReassemblyError::TooLarge);
        }
        *entry = Some((start, part.payload.len()));
        slot.received += 1;
        if slot.received == slot.total {
            Ok(Status::Complete(Handle(index)))
        } else {
            Ok(Status::Incomplete {
                received: slot.received,
                total: slot.total,
            })
        }
    }

    fn complete_slot(&self, h: Handle) -> Option<&Slot<PARTS, BYTES>> {
        self.slots
            .get(h.0)?
            .as_ref()
            .filter(|s| s.received == s.total)
    }

    /// The payloads of a complete message, in sequence order.
    pub fn parts(&self, h: Handle) -> Option<impl Iterator<Item = &[u8]> + '_> {
        let slot = self.complete_slot(h)?;
        Some(slot.parts.iter().take(usize::from(slot.total)).map(|p| {
            p.and_then(|(s, l)| slot.data.get(s..s + l))
                .unwrap_or_default()
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

    /// Frees a message's slot.
    pub fn remove(&mut self, h: Handle) {
        if let Some(s) = self.slots.get_mut(h.0) {
            *s = None;
        }
    }

    /// Messages still in progress.
    pub fn pending(&self) -> impl Iterator<Item = Pending> + '_ {
        self.slots.iter().flatten().map(|s| Pending {
            key: s.key,
            reference: s.reference,
            received: s.received,
            total: s.total,
            stamp: s.stamp,
        })
    }

    /// Drops messages whose first part arrived before `older_than`, calling `report` for each.
    /// Returns how many were dropped.
    pub fn expire(&mut self, older_than: u64, mut report: impl FnMut(Pending)) -> usize {
        let mut n = 0;
        for slot in &mut self.slots {
            if let Some(s) = slot {
                if s.stamp < older_than {
                    report(Pending {
                        key: s.key,
                        reference: s.reference,
                        received: s.received,
                        total: s.total,
                        stamp: s.stamp,
                    });
                    *slot = None;
                    n += 1;
                }
            }
        }
        n
    }
}
