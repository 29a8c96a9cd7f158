//! The queue of encoded PDUs waiting to be written to the connection.

use crate::command_id::CommandId;
use crate::error::Error;

use super::storage::{Octets, Storage};

/// Encoded PDUs, in the order they were queued, in at most
/// `S::TRANSMIT` octets of storage.
///
/// PDUs are written whole into the free tail (the queued octets move to the
/// front when the tail is too short) and leave from the head, whole
/// ([`Self::pop_into`]) or in any number of octets ([`Self::advance`]).
/// The queue counts the octets ever queued and ever taken, so that a PDU's
/// place in the stream tells whether any of it left.
pub(crate) struct TransmitQueue<S: Storage> {
    buf: S::Octets,
    start: usize,
    end: usize,
    /// Octets of the head PDU still queued when [`Self::advance`] stopped
    /// inside it (0 at a PDU boundary).
    head_left: usize,
    /// Octets ever queued.
    pushed: u64,
    /// Octets ever taken (written).
    taken: u64,
}

/// The queue has no room for a PDU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NoRoom {
    pub(crate) needed: usize,
    pub(crate) available: usize,
}

impl<S: Storage> TransmitQueue<S> {
    pub(crate) fn new() -> Self {
        Self {
            buf: S::Octets::default(),
            start: 0,
            end: 0,
            head_left: 0,
            pushed: 0,
            taken: 0,
        }
    }

    /// Octets queued.
    pub(crate) const fn len(&self) -> usize {
        self.end - self.start
    }

    /// Octets that can still be queued.
    pub(crate) const fn free(&self) -> usize {
        S::TRANSMIT.saturating_sub(self.len())
    }

    /// Octets ever queued: the stream offset where the next PDU starts.
    pub(crate) const fn pushed(&self) -> u64 {
        self.pushed
    }

    /// Octets ever taken from the queue (written to the connection).
    pub(crate) const fn taken(&self) -> u64 {
        self.taken
    }

    /// The queued octets.
    pub(crate) fn bytes(&self) -> &[u8] {
        self.buf
            .as_slice()
            .get(self.start..self.end)
            .unwrap_or_default()
    }

    /// Queues one PDU of `len` octets written by `write` (which returns the
    /// octets written). Nothing is queued if there is no room for `len`
    /// octets plus `reserve`, or if `write` fails or writes another length.
    pub(crate) fn push(
        &mut self,
        len: usize,
        reserve: usize,
        write: impl FnOnce(&mut [u8]) -> Result<usize, Error>,
    ) -> Result<Result<(), Error>, NoRoom> {
        let needed = len.saturating_add(reserve);
        if needed > self.free() {
            return Err(NoRoom {
                needed,
                available: self.free(),
            });
        }
        if self.buf.as_slice().len() - self.end < len && self.start > 0 {
            self.buf.as_mut_slice().copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let room = self.end.saturating_add(len);
        let out = if self.buf.grow_to(room, S::TRANSMIT) {
            self.buf.as_mut_slice().get_mut(self.end..room)
        } else {
            None
        };
        let Some(out) = out else {
            return Err(NoRoom {
                needed,
                available: self.free(),
            });
        };
        match write(out) {
            Ok(n) if n == len => {
                self.end = room;
                self.pushed += len as u64;
                Ok(Ok(()))
            }
            Ok(_) => Ok(Err(Error::new(crate::error::ErrorKind::BufferTooSmall {
                needed: len,
                available: len,
            }))),
            Err(e) => Ok(Err(e)),
        }
    }

    /// The length of the PDU at `at` (clipped to the queued octets).
    fn len_at(&self, at: usize) -> Option<usize> {
        let rest = self.buf.as_slice().get(at..self.end)?;
        let len = rest.first_chunk::<4>().map(|b| u32::from_be_bytes(*b))?;
        usize::try_from(len)
            .ok()
            .map(|len| len.clamp(1, rest.len()))
    }

    /// The length of the head PDU (what is left of it after a partial
    /// [`Self::advance`]).
    fn head_len(&self) -> Option<usize> {
        if self.len() == 0 {
            return None;
        }
        if self.head_left > 0 {
            return Some(self.head_left);
        }
        self.len_at(self.start)
    }

    /// Moves whole PDUs from the head into `out`, as many as fit, and
    /// returns the octets moved (0 if the head PDU does not fit in `out`).
    pub(crate) fn pop_into(&mut self, out: &mut [u8]) -> usize {
        let mut moved = 0;
        while let Some(len) = self.head_len() {
            let Some(dst) = out.get_mut(moved..moved + len) else {
                break;
            };
            let Some(src) = self.buf.as_slice().get(self.start..self.start + len) else {
                break;
            };
            dst.copy_from_slice(src);
            moved += len;
            self.consume(len);
        }
        moved
    }

    /// The length of the head PDU, for sizing the buffer of
    /// [`Self::pop_into`].
    pub(crate) fn next_len(&self) -> Option<usize> {
        self.head_len()
    }

    /// Drops the first `n` queued octets (all of them if fewer are queued).
    pub(crate) fn advance(&mut self, n: usize) {
        let mut n = n.min(self.len());
        while n > 0 {
            let Some(head) = self.head_len() else {
                break;
            };
            let step = head.min(n);
            self.consume(step);
            if step < head {
                self.head_left = head - step;
            }
            n -= step;
        }
    }

    /// Drops `n` octets that end at or before the end of the head PDU.
    fn consume(&mut self, n: usize) {
        self.start += n;
        self.taken += n as u64;
        self.head_left = 0;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
            self.buf.emptied();
        }
    }

    /// Drops every queued PDU none of whose octets has left yet and whose
    /// `command_id` `keep` refuses. The PDUs left keep their order.
    pub(crate) fn retain_unsent(&mut self, keep: impl Fn(CommandId) -> bool) {
        // The head PDU has started to leave if part of it is gone.
        let mut read = self.start;
        if self.head_left > 0 {
            read += self.head_left;
        }
        let mut write = read;
        while let Some(len) = self.len_at(read) {
            let id = self
                .buf
                .as_slice()
                .get(read + 4..read + 8)
                .and_then(|b| b.first_chunk::<4>())
                .map_or(CommandId(0), |b| CommandId(u32::from_be_bytes(*b)));
            if keep(id) {
                if write != read {
                    self.buf.as_mut_slice().copy_within(read..read + len, write);
                }
                write += len;
            } else {
                self.pushed -= len as u64;
            }
            read += len;
        }
        self.end = write;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
            self.buf.emptied();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{NoRoom, TransmitQueue};
    use crate::header::Header;
    use crate::session::Fixed;
    use crate::{CommandId, CommandStatus};

    fn pdu(seq: u32, len: usize) -> impl FnOnce(&mut [u8]) -> Result<usize, crate::Error> {
        move |out: &mut [u8]| {
            out.fill(0xAA);
            let header = Header {
                command_length: u32::try_from(len).unwrap(),
                command_id: CommandId::SUBMIT_SM,
                command_status: CommandStatus::ESME_ROK,
                sequence_number: seq,
            };
            out[..16].copy_from_slice(&header.to_bytes());
            Ok(len)
        }
    }

    #[test]
    fn whole_pdus_leave_in_order() {
        let mut q = TransmitQueue::<Fixed<1, 64>>::new();
        q.push(20, 0, pdu(1, 20)).unwrap().unwrap();
        q.push(16, 0, pdu(2, 16)).unwrap().unwrap();
        assert_eq!(q.len(), 36);
        let mut out = [0u8; 30];
        assert_eq!(q.pop_into(&mut out), 20, "only the first fits");
        assert_eq!(out[15], 1);
        assert_eq!(q.next_len(), Some(16));
        let mut small = [0u8; 8];
        assert_eq!(q.pop_into(&mut small), 0);
        assert_eq!(q.pop_into(&mut out), 16);
        assert_eq!(out[15], 2);
        assert_eq!(q.next_len(), None);
        assert_eq!(q.pop_into(&mut out), 0);
    }

    #[test]
    fn refuses_without_room_and_compacts() {
        let mut q = TransmitQueue::<Fixed<1, 48>>::new();
        q.push(20, 0, pdu(1, 20)).unwrap().unwrap();
        q.push(20, 0, pdu(2, 20)).unwrap().unwrap();
        assert_eq!(
            q.push(16, 0, pdu(3, 16)),
            Err(NoRoom {
                needed: 16,
                available: 8
            })
        );
        assert_eq!(
            q.push(4, 8, pdu(3, 4)),
            Err(NoRoom {
                needed: 12,
                available: 8
            })
        );
        let mut out = [0u8; 20];
        assert_eq!(q.pop_into(&mut out), 20);
        // 28 free, but only 8 at the tail: the queue moves to the front.
        q.push(24, 0, pdu(3, 24)).unwrap().unwrap();
        assert_eq!(q.len(), 44);
        let mut all = [0u8; 48];
        assert_eq!(q.pop_into(&mut all), 44);
        assert_eq!(all[15], 2);
        assert_eq!(all[20 + 15], 3);
    }

    #[test]
    fn a_failed_write_queues_nothing() {
        let mut q = TransmitQueue::<Fixed<1, 48>>::new();
        let r = q.push(20, 0, |_| {
            Err(crate::Error::new(crate::ErrorKind::UnknownCommandId))
        });
        assert!(matches!(r, Ok(Err(_))));
        let r = q.push(20, 0, |_| Ok(19));
        assert!(matches!(r, Ok(Err(_))));
        assert_eq!(q.len(), 0);
    }

    #[test]
    fn partial_advances_keep_pdu_boundaries() {
        let mut q = TransmitQueue::<Fixed<1, 64>>::new();
        q.push(20, 0, pdu(1, 20)).unwrap().unwrap();
        q.push(16, 0, pdu(2, 16)).unwrap().unwrap();
        q.advance(5);
        assert_eq!(q.bytes().len(), 31);
        assert_eq!(q.next_len(), Some(15));
        let mut out = [0u8; 15];
        assert_eq!(q.pop_into(&mut out), 15, "the rest of the first PDU");
        assert_eq!(q.next_len(), Some(16));
        q.advance(20);
        assert_eq!(q.len(), 0);
        assert_eq!(q.free(), 64);
    }
}
