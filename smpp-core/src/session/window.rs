//! The window of outstanding requests (SMPP v5.0 2.7, "windowing").

use core::fmt;

use crate::command_id::CommandId;

use super::clock::Millis;
use super::sequence::SequenceNumbers;
use super::storage::{Fixed, List, Storage};

/// A request sent and not answered yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Outstanding {
    /// The request's `sequence_number`.
    pub sequence_number: u32,
    /// The request's `command_id`.
    pub command_id: CommandId,
    /// When the `response_timer` runs out.
    pub deadline: Millis,
    /// The caller's own reference for the request (a message id, an index
    /// into its own table); the window only carries it.
    pub tag: u64,
}

/// Why [`Window::insert`] refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WindowError {
    /// Every slot is taken: wait for a response (or a timeout) before
    /// sending more. This is the SMPP window at work.
    Full,
    /// A request with this `sequence_number` is still outstanding.
    DuplicateSequenceNumber(u32),
    /// The `sequence_number` is outside 1..=0x7FFFFFFF.
    InvalidSequenceNumber(u32),
    /// The `command_id` is a response, or a request that gets no response
    /// (`outbind`, `alert_notification`), or unknown.
    NoResponseExpected(CommandId),
}

impl fmt::Display for WindowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Full => f.write_str("the window is full"),
            Self::DuplicateSequenceNumber(n) => {
                write!(f, "sequence_number {n} is already outstanding")
            }
            Self::InvalidSequenceNumber(n) => {
                write!(f, "sequence_number {n:#x} is outside 1..=0x7FFFFFFF")
            }
            Self::NoResponseExpected(id) => write!(f, "{id} gets no response"),
        }
    }
}

impl core::error::Error for WindowError {}

/// What a response is to the window ([`Window::match_response`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Matched {
    /// It answers this request, now removed from the window: the response
    /// `command_id` is the request's, or `generic_nack`.
    Response(Outstanding),
    /// Its `sequence_number` is an outstanding request's, but its
    /// `command_id` answers another request. The request stays outstanding.
    Mismatch {
        /// The request with that `sequence_number`.
        request: Outstanding,
        /// The response `command_id` received.
        response: CommandId,
    },
    /// It answers a request that already timed out ([`Window::expire`]) but
    /// has not been reported yet; the request stays timed out.
    Expired(Outstanding),
    /// No outstanding request has its `sequence_number`.
    Unknown,
}

/// An entry of the window, with what the window knows of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Slot {
    entry: Outstanding,
    expired: bool,
    /// Where the request starts in the stream of octets sent (the
    /// session's count of octets queued before it).
    offset: u64,
    /// Some of its octets were written (settled when it is abandoned).
    written: bool,
}

/// The requests a session sent and awaits responses for, at most
/// `S::WINDOW` of them (see [`Storage`]: [`Fixed`] by default, 16).
///
/// SMPP lets a side send several requests before the first response comes
/// back (v5.0 2.7); the window bounds how many. [`Self::insert`] refuses a
/// request when the window is full (the caller waits), a response is
/// matched by `sequence_number` and must carry the request's response
/// `command_id` (or be a `generic_nack`), and requests past their deadline
/// are marked by [`Self::expire`] and handed out by [`Self::pop_expired`].
/// An entry leaves the window only through [`Self::match_response`],
/// [`Self::pop_expired`], [`Self::pop`] or [`Self::remove`], so none is
/// ever lost; an expired entry keeps its slot, and its `sequence_number`
/// stays taken, until it is popped.
///
/// ```
/// use smpp_core::CommandId;
/// use smpp_core::session::{Fixed, Matched, Millis, Outstanding, Window, WindowError};
///
/// let mut window = Window::<Fixed<2>>::new();
/// let request = |sequence_number, tag| Outstanding {
///     sequence_number,
///     command_id: CommandId::SUBMIT_SM,
///     deadline: Millis(30_000),
///     tag,
/// };
/// window.insert(request(1, 100)).unwrap();
/// window.insert(request(2, 200)).unwrap();
/// assert_eq!(window.insert(request(3, 300)), Err(WindowError::Full));
///
/// // submit_sm_resp for sequence 2 frees a slot.
/// let Matched::Response(done) = window.match_response(CommandId::SUBMIT_SM_RESP, 2) else {
///     panic!("no match")
/// };
/// assert_eq!(done.tag, 200);
/// window.insert(request(3, 300)).unwrap();
///
/// // Sequence 1 runs out of time.
/// assert_eq!(window.expire(Millis(30_000)), 2);
/// assert_eq!(window.pop_expired().map(|r| r.tag), Some(100));
/// assert_eq!(window.pop_expired().map(|r| r.tag), Some(300));
/// assert!(window.is_empty());
/// ```
pub struct Window<S: Storage = Fixed> {
    slots: S::List<Slot>,
}

impl<S: Storage> fmt::Debug for Window<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<S: Storage> Window<S> {
    /// An empty window.
    pub fn new() -> Self {
        Self {
            slots: Default::default(),
        }
    }

    /// The most requests it holds: `S::WINDOW`.
    pub const fn capacity(&self) -> usize {
        S::WINDOW
    }

    /// The requests it holds, expired ones included.
    pub fn len(&self) -> usize {
        self.slots.as_slice().len()
    }

    /// True when it holds no request.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when every slot is taken.
    pub fn is_full(&self) -> bool {
        self.len() >= S::WINDOW
    }

    /// Adds a request. Refused, adding nothing, when the window is full,
    /// when the `sequence_number` is invalid or already outstanding, or
    /// when the `command_id` gets no response.
    pub fn insert(&mut self, entry: Outstanding) -> Result<(), WindowError> {
        self.insert_at(entry, 0)
    }

    /// [`Self::insert`], recording where the request starts in the stream
    /// of octets sent.
    pub(crate) fn insert_at(&mut self, entry: Outstanding, offset: u64) -> Result<(), WindowError> {
        if !SequenceNumbers::is_valid(entry.sequence_number) {
            return Err(WindowError::InvalidSequenceNumber(entry.sequence_number));
        }
        if !entry.command_id.expects_response() {
            return Err(WindowError::NoResponseExpected(entry.command_id));
        }
        if self.contains(entry.sequence_number) {
            return Err(WindowError::DuplicateSequenceNumber(entry.sequence_number));
        }
        self.slots
            .push(Slot {
                entry,
                expired: false,
                offset,
                written: false,
            })
            .map_err(|_| WindowError::Full)
    }

    /// True if a request with this `sequence_number` is in the window
    /// (expired or not).
    pub fn contains(&self, sequence_number: u32) -> bool {
        self.position(sequence_number).is_some()
    }

    /// The request with this `sequence_number`, if it is in the window.
    pub fn get(&self, sequence_number: u32) -> Option<&Outstanding> {
        self.slots
            .as_slice()
            .iter()
            .find(|s| s.entry.sequence_number == sequence_number)
            .map(|s| &s.entry)
    }

    /// The requests in the window, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Outstanding> {
        self.slots.as_slice().iter().map(|s| &s.entry)
    }

    fn position(&self, sequence_number: u32) -> Option<usize> {
        self.slots
            .as_slice()
            .iter()
            .position(|s| s.entry.sequence_number == sequence_number)
    }

    /// Matches a response (`command_id`, `sequence_number`) with its
    /// request: a response removes the request it answers (see
    /// [`Matched`]). `generic_nack` answers any request with its
    /// `sequence_number`.
    pub fn match_response(&mut self, command_id: CommandId, sequence_number: u32) -> Matched {
        let Some(i) = self.position(sequence_number) else {
            return Matched::Unknown;
        };
        let Some(slot) = self.slots.as_slice().get(i).copied() else {
            return Matched::Unknown;
        };
        if slot.expired {
            return Matched::Expired(slot.entry);
        }
        let answers = command_id == CommandId::GENERIC_NACK
            || (command_id.is_response() && command_id == slot.entry.command_id.response());
        if answers {
            self.slots.swap_remove(i);
            Matched::Response(slot.entry)
        } else {
            Matched::Mismatch {
                request: slot.entry,
                response: command_id,
            }
        }
    }

    /// Marks every request whose deadline is `now` or earlier as timed out;
    /// returns how many were marked by this call. Marked requests no longer
    /// match responses and are handed out by [`Self::pop_expired`].
    pub fn expire(&mut self, now: Millis) -> usize {
        let mut marked = 0;
        for slot in self.slots.as_mut_slice() {
            if !slot.expired && slot.entry.deadline <= now {
                slot.expired = true;
                marked += 1;
            }
        }
        marked
    }

    /// Removes and returns a timed-out request, the one with the earliest
    /// deadline first.
    pub fn pop_expired(&mut self) -> Option<Outstanding> {
        let i = self.earliest(|s| s.expired)?;
        self.slots.swap_remove(i).map(|s| s.entry)
    }

    /// Removes and returns a request, expired or not (for example to
    /// report it abandoned when the session ends), the earliest deadline
    /// first.
    pub fn pop(&mut self) -> Option<Outstanding> {
        self.pop_settled().map(|(entry, _)| entry)
    }

    /// [`Self::pop`], with whether some of the request's octets were
    /// written, as [`Self::settle_written`] found.
    pub(crate) fn pop_settled(&mut self) -> Option<(Outstanding, bool)> {
        let i = self.earliest(|_| true)?;
        self.slots.swap_remove(i).map(|s| (s.entry, s.written))
    }

    /// The index of the slot with the earliest deadline (then the lowest
    /// `sequence_number`) among those `keep` accepts.
    fn earliest(&self, keep: impl Fn(&Slot) -> bool) -> Option<usize> {
        let slots = self.slots.as_slice().iter().enumerate();
        slots
            .filter(|(_, s)| keep(s))
            .min_by_key(|(_, s)| (s.entry.deadline, s.entry.sequence_number))
            .map(|(i, _)| i)
    }

    /// Records, for every request, whether some of its octets were written:
    /// those that start before `written`, the count of octets that left.
    pub(crate) fn settle_written(&mut self, written: u64) {
        for slot in self.slots.as_mut_slice() {
            slot.written = slot.offset < written;
        }
    }

    /// Removes the request with this `sequence_number`.
    pub fn remove(&mut self, sequence_number: u32) -> Option<Outstanding> {
        let i = self.position(sequence_number)?;
        self.slots.swap_remove(i).map(|s| s.entry)
    }

    /// The earliest deadline of a request not yet timed out.
    pub fn next_deadline(&self) -> Option<Millis> {
        self.slots
            .as_slice()
            .iter()
            .filter(|s| !s.expired)
            .map(|s| s.entry.deadline)
            .min()
    }

    /// True if some request is marked timed out and not popped yet.
    pub fn has_expired(&self) -> bool {
        self.slots.as_slice().iter().any(|s| s.expired)
    }
}

impl<S: Storage> Default for Window<S> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::{CommandId, Fixed, Matched, Millis, Outstanding, Window, WindowError};
    use std::string::ToString;
    use std::vec::Vec;

    fn entry(sequence_number: u32, command_id: CommandId, deadline: u64) -> Outstanding {
        Outstanding {
            sequence_number,
            command_id,
            deadline: Millis(deadline),
            tag: u64::from(sequence_number) * 10,
        }
    }

    #[test]
    fn refuses_bad_entries_without_adding_them() {
        let mut w = Window::<Fixed<4>>::new();
        w.insert(entry(5, CommandId::SUBMIT_SM, 10)).unwrap();
        assert_eq!(
            w.insert(entry(5, CommandId::QUERY_SM, 10)),
            Err(WindowError::DuplicateSequenceNumber(5))
        );
        assert_eq!(
            w.insert(entry(0, CommandId::SUBMIT_SM, 10)),
            Err(WindowError::InvalidSequenceNumber(0))
        );
        assert_eq!(
            w.insert(entry(0x8000_0000, CommandId::SUBMIT_SM, 10)),
            Err(WindowError::InvalidSequenceNumber(0x8000_0000))
        );
        for id in [
            CommandId::SUBMIT_SM_RESP,
            CommandId::ALERT_NOTIFICATION,
            CommandId::OUTBIND,
            CommandId(0x99),
        ] {
            assert_eq!(
                w.insert(entry(6, id, 10)),
                Err(WindowError::NoResponseExpected(id))
            );
        }
        assert_eq!(w.len(), 1);
        assert_eq!(w.capacity(), 4);
    }

    #[test]
    fn generic_nack_matches_and_wrong_ids_mismatch() {
        let mut w = Window::<Fixed<4>>::new();
        w.insert(entry(1, CommandId::SUBMIT_SM, 10)).unwrap();
        w.insert(entry(2, CommandId::QUERY_SM, 10)).unwrap();
        let m = w.match_response(CommandId::QUERY_SM_RESP, 1);
        assert!(matches!(m, Matched::Mismatch { request, response }
                if request.sequence_number == 1 && response == CommandId::QUERY_SM_RESP));
        // A request id is no response either.
        assert!(matches!(
            w.match_response(CommandId::SUBMIT_SM, 1),
            Matched::Mismatch { .. }
        ));
        assert_eq!(w.len(), 2);
        let m = w.match_response(CommandId::GENERIC_NACK, 1);
        assert!(matches!(m, Matched::Response(r) if r.tag == 10));
        assert_eq!(
            w.match_response(CommandId::SUBMIT_SM_RESP, 1),
            Matched::Unknown
        );
        assert_eq!(w.get(2).map(|r| r.command_id), Some(CommandId::QUERY_SM));
        assert_eq!(w.remove(2).map(|r| r.tag), Some(20));
        assert!(w.is_empty());
    }

    #[test]
    fn expired_entries_keep_their_slot_until_popped() {
        let mut w = Window::<Fixed<2>>::new();
        w.insert(entry(1, CommandId::SUBMIT_SM, 30)).unwrap();
        w.insert(entry(2, CommandId::SUBMIT_SM, 10)).unwrap();
        assert_eq!(w.next_deadline(), Some(Millis(10)));
        assert_eq!(w.expire(Millis(9)), 0);
        assert_eq!(w.expire(Millis(10)), 1);
        assert_eq!(w.expire(Millis(10)), 0, "marked once");
        assert!(w.has_expired());
        assert_eq!(w.next_deadline(), Some(Millis(30)));
        assert!(w.is_full());
        assert_eq!(
            w.insert(entry(3, CommandId::SUBMIT_SM, 50)),
            Err(WindowError::Full)
        );
        // Its sequence_number stays taken.
        assert_eq!(
            w.insert(entry(2, CommandId::SUBMIT_SM, 50)),
            Err(WindowError::DuplicateSequenceNumber(2))
        );
        // A late response does not revive it.
        assert!(matches!(
            w.match_response(CommandId::SUBMIT_SM_RESP, 2),
            Matched::Expired(r) if r.sequence_number == 2
        ));
        assert_eq!(w.pop_expired().map(|r| r.sequence_number), Some(2));
        assert_eq!(w.pop_expired(), None);
        assert_eq!(w.pop().map(|r| r.sequence_number), Some(1));
        assert_eq!(w.pop(), None);
        assert_eq!(w.next_deadline(), None);
    }

    #[test]
    fn expired_entries_pop_earliest_first() {
        let mut w = Window::<Fixed<3>>::new();
        for (seq, deadline) in [(1, 30), (2, 10), (3, 20)] {
            w.insert(entry(seq, CommandId::DATA_SM, deadline)).unwrap();
        }
        assert_eq!(w.expire(Millis(100)), 3);
        let order: Vec<u32> = core::iter::from_fn(|| w.pop_expired())
            .map(|r| r.sequence_number)
            .collect();
        assert_eq!(order, [2, 3, 1]);
        assert_eq!(w.iter().count(), 0);
        assert_eq!(WindowError::Full.to_string(), "the window is full");
    }
}
