//! A fixed-capacity receive buffer that cuts a byte stream into frames.

use crate::error::{Error, ErrorKind, ForeignProtocol};
use crate::header::frame_len;

/// A receive buffer of `N` octets that cuts a TCP (or serial) byte stream
/// into PDU frames, without an allocator.
///
/// Octets go in as they arrive, in chunks of any size: [`FrameBuf::feed`]
/// copies a chunk, or [`FrameBuf::space`] and [`FrameBuf::commit`] let a
/// driver read straight into the buffer. [`FrameBuf::next_frame`] then hands
/// out each complete PDU as a slice of the buffer, ready for
/// [`Pdu::parse`](crate::Pdu::parse). Octets already taken are dropped by
/// moving what remains to the front (compaction) when room is needed.
///
/// The checks are those of [`frame_len`]: `command_length` is checked as
/// soon as its four octets are there, against the maximum (at most `N`, so
/// every frame the buffer accepts fits in it), and the first octets are
/// checked for another protocol ([`ForeignProtocol::detect`]: a TLS or SSL
/// 2.0 handshake, an HTTP request). Either failure is fatal for the
/// connection: answer with [`Error::reply`] (a `generic_nack` with
/// `ESME_RINVCMDLEN`, see [`Reply::emit`](crate::Reply::emit)), close, and
/// [`FrameBuf::clear`] the buffer before the next connection. Until then
/// `next_frame` keeps returning the error.
///
/// A `FrameBuf<N>` takes `N` octets and three words: `N + 24` octets on
/// 64-bit targets, `N + 12` on 32-bit ones (held by a test).
///
/// ```
/// use smpp_core::{Body, FrameBuf, Pdu};
///
/// let enquire_link = [0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 7];
/// let mut stream = enquire_link.repeat(3);
/// stream.extend_from_slice(&[0, 0, 0]); // the start of a fourth
///
/// let mut rx = FrameBuf::<64>::new();
/// let mut frames = 0;
/// // Octets arrive 5 at a time.
/// for chunk in stream.chunks(5) {
///     assert_eq!(rx.feed(chunk), chunk.len());
///     while let Some(frame) = rx.next_frame()? {
///         let pdu = Pdu::parse(frame)?;
///         assert!(matches!(pdu.body, Body::EnquireLink));
///         frames += 1;
///     }
/// }
/// assert_eq!(frames, 3);
/// assert_eq!(rx.len(), 3);
///
/// // A frame longer than the buffer is refused as soon as its length is read.
/// let mut small = FrameBuf::<32>::new();
/// assert_eq!(small.feed(&[0, 0, 0, 33]), 4);
/// assert!(small.next_frame().is_err());
/// # Ok::<(), smpp_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct FrameBuf<const N: usize> {
    buf: [u8; N],
    /// The first octet not yet taken as a frame.
    start: usize,
    /// The end of the octets received.
    end: usize,
    max_command_length: u32,
}

impl<const N: usize> Default for FrameBuf<N> {
    fn default() -> Self {
        Self::new()
    }
}

/// `N` as a `command_length`.
#[allow(clippy::cast_possible_truncation)] // clamped to u32::MAX first
const fn capacity_u32(n: usize) -> u32 {
    if n > u32::MAX as usize {
        u32::MAX
    } else {
        n as u32
    }
}

impl<const N: usize> FrameBuf<N> {
    /// An empty buffer accepting `command_length` up to `N`.
    ///
    /// `N` must be at least 16, a header: a smaller buffer holds no PDU,
    /// and one below 4 octets never even holds a `command_length`, so it
    /// would wait for ever without reporting an error. Such sizes do not
    /// compile:
    ///
    /// ```compile_fail
    /// let _rx = smpp_core::FrameBuf::<3>::new();
    /// ```
    pub const fn new() -> Self {
        const {
            assert!(N >= 16, "a FrameBuf needs room for a header (16 octets)");
        }
        Self {
            buf: [0; N],
            start: 0,
            end: 0,
            max_command_length: capacity_u32(N),
        }
    }

    /// An empty buffer accepting `command_length` up to `max` or `N`,
    /// whichever is smaller, and at least 16 (a `max` below the header's
    /// length would refuse every PDU), as `smpp-std`'s `FrameDecoder` does.
    ///
    /// ```
    /// use smpp_core::FrameBuf;
    ///
    /// assert_eq!(FrameBuf::<64>::with_max_command_length(32).max_command_length(), 32);
    /// assert_eq!(FrameBuf::<64>::with_max_command_length(4096).max_command_length(), 64);
    /// assert_eq!(FrameBuf::<64>::with_max_command_length(0).max_command_length(), 16);
    /// ```
    pub const fn with_max_command_length(max: u32) -> Self {
        let mut buf = Self::new();
        if max < buf.max_command_length {
            buf.max_command_length = if max < 16 { 16 } else { max };
        }
        buf
    }

    /// The largest `command_length` accepted.
    pub const fn max_command_length(&self) -> u32 {
        self.max_command_length
    }

    /// The octets received and not yet taken as a frame.
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether every octet received was taken as a frame.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Moves the octets not yet taken to the front of the buffer.
    fn compact(&mut self) {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
    }

    /// Copies as much of `chunk` as there is room for and returns how many
    /// octets that was. Fewer than `chunk.len()` means the buffer holds
    /// complete frames: take them with [`Self::next_frame`], then feed the
    /// rest of the chunk. (A partial frame never fills the buffer, as its
    /// `command_length` is at most `N`.) Octets not taken are not in the
    /// buffer: a caller that drops them loses part of the stream.
    #[must_use = "octets beyond the count returned were not taken: feed them again after next_frame"]
    pub fn feed(&mut self, chunk: &[u8]) -> usize {
        if chunk.len() > N - self.end {
            self.compact();
        }
        let n = chunk.len().min(N - self.end);
        if let (Some(dst), Some(src)) = (self.buf.get_mut(self.end..self.end + n), chunk.get(..n)) {
            dst.copy_from_slice(src);
            self.end += n;
            n
        } else {
            0
        }
    }

    /// The free room at the end of the buffer (after compaction), to read
    /// into directly; then [`Self::commit`] the octets read.
    pub fn space(&mut self) -> &mut [u8] {
        self.compact();
        self.buf.get_mut(self.end..).unwrap_or_default()
    }

    /// Marks the first `n` octets of [`Self::space`] as received (at most
    /// the free room).
    pub fn commit(&mut self, n: usize) {
        self.end = self.end.saturating_add(n).min(N);
    }

    /// The next complete frame, borrowed from the buffer until the next
    /// call that changes it; `Ok(None)` while more octets are needed.
    ///
    /// An error means the stream cannot be framed (see the
    /// [type documentation](Self)); it is returned again until
    /// [`Self::clear`].
    pub fn next_frame(&mut self) -> Result<Option<&[u8]>, Error> {
        let data = self.buf.get(self.start..self.end).unwrap_or_default();
        if data.first().is_some_and(|&b| b != 0)
            && let Some(protocol) = ForeignProtocol::detect(data)
        {
            // No header to answer to: the reply's sequence_number is 0.
            return Err(Error::new(ErrorKind::NotSmpp { protocol }));
        }
        let Some(len) = frame_len(data, self.max_command_length)? else {
            return Ok(None);
        };
        let start = self.start;
        self.start += len;
        Ok(self.buf.get(start..start + len))
    }

    /// The octets still missing before the next frame is complete, once its
    /// `command_length` has arrived (0 when a frame is ready); `None` before
    /// that, and for a `command_length` that framing refuses (below 16 or
    /// above the maximum: [`Self::next_frame`] gives its error).
    ///
    /// ```
    /// use smpp_core::FrameBuf;
    ///
    /// let mut buf = FrameBuf::<64>::new();
    /// assert_eq!(buf.feed(&[0, 0, 0, 16, 0, 0]), 6);
    /// assert_eq!(buf.missing(), Some(10));
    /// buf.clear();
    /// assert_eq!(buf.feed(&[0, 0, 0, 5]), 4); // shorter than a header
    /// assert_eq!(buf.missing(), None);
    /// assert!(buf.next_frame().is_err());
    /// ```
    pub fn missing(&self) -> Option<usize> {
        let head = self.buf.get(self.start..self.end)?.first_chunk::<4>()?;
        let command_length = u32::from_be_bytes(*head);
        if !(16..=self.max_command_length).contains(&command_length) {
            return None;
        }
        let command_length = usize::try_from(command_length).ok()?;
        Some(command_length.saturating_sub(self.len()))
    }

    /// Drops every octet buffered, as for a new connection.
    pub fn clear(&mut self) {
        self.start = 0;
        self.end = 0;
    }
}

#[cfg(test)]
mod tests {
    use std::vec::Vec;

    use super::FrameBuf;
    use crate::{CommandStatus, ErrorKind, ForeignProtocol};

    fn enquire_link(seq: u8) -> [u8; 16] {
        [0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, seq]
    }

    /// A PDU of `len` octets (an unbind padded with octets, which framing
    /// does not look at).
    fn frame(len: u8, seq: u8) -> Vec<u8> {
        let mut f = std::vec![0u8; usize::from(len)];
        f[3] = len;
        f[7] = 6;
        f[15] = seq;
        f[16..].fill(0xA5);
        f
    }

    #[test]
    fn every_chunking_gives_the_same_frames() {
        let mut stream = Vec::new();
        for (i, len) in [16u8, 40, 64, 17, 16, 63].into_iter().enumerate() {
            stream.extend(frame(len, u8::try_from(i).unwrap()));
        }
        for chunk in 1..=stream.len() {
            let mut rx = FrameBuf::<64>::new();
            let mut got = Vec::new();
            let mut rest = &stream[..];
            while !rest.is_empty() {
                let piece = &rest[..chunk.min(rest.len())];
                let n = rx.feed(piece);
                rest = &rest[n..];
                while let Some(f) = rx.next_frame().unwrap() {
                    got.extend_from_slice(f);
                }
                assert!(n > 0 || rx.len() < 64, "chunk {chunk}: stuck");
            }
            assert_eq!(got, stream, "chunk {chunk}");
            assert!(rx.is_empty());
        }
    }

    #[test]
    fn reading_into_the_space_compacts() {
        let mut rx = FrameBuf::<40>::new();
        let mut stream = enquire_link(1).to_vec();
        stream.extend(enquire_link(2));
        stream.extend(enquire_link(3));
        let space = rx.space();
        assert_eq!(space.len(), 40);
        space[..20].copy_from_slice(&stream[..20]);
        rx.commit(20);
        assert_eq!(rx.next_frame().unwrap(), Some(&enquire_link(1)[..]));
        assert_eq!(rx.next_frame().unwrap(), None);
        assert_eq!(rx.missing(), Some(12));
        // The 4 octets left move to the front: 36 octets of room.
        let space = rx.space();
        assert_eq!(space.len(), 36);
        space[..28].copy_from_slice(&stream[20..]);
        rx.commit(28);
        assert_eq!(rx.next_frame().unwrap(), Some(&enquire_link(2)[..]));
        assert_eq!(rx.next_frame().unwrap(), Some(&enquire_link(3)[..]));
        assert_eq!(rx.next_frame().unwrap(), None);
        // Committing more than the room is clamped.
        assert_eq!(rx.space().len(), 40);
        rx.commit(1000);
        assert_eq!(rx.len(), 40);
    }

    #[test]
    fn a_full_buffer_takes_nothing_until_frames_are_taken() {
        let mut rx = FrameBuf::<32>::new();
        let two = [enquire_link(1), enquire_link(2)].concat();
        assert_eq!(rx.feed(&two), 32);
        assert_eq!(rx.feed(&enquire_link(3)), 0);
        assert!(rx.next_frame().unwrap().is_some());
        assert_eq!(rx.feed(&enquire_link(3)), 16);
        assert_eq!(rx.next_frame().unwrap(), Some(&enquire_link(2)[..]));
        assert_eq!(rx.next_frame().unwrap(), Some(&enquire_link(3)[..]));
    }

    #[test]
    fn length_checks_match_frame_len() {
        // Above the capacity: refused with the header once 16 octets are in.
        let mut rx = FrameBuf::<32>::new();
        assert_eq!(rx.feed(&frame(33, 9)[..4]), 4);
        let err = rx.next_frame().unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::CommandLengthTooLong {
                command_length: 33,
                max: 32
            }
        );
        // The error stays until the buffer is cleared.
        assert!(rx.next_frame().is_err());
        rx.clear();
        assert_eq!(rx.feed(&enquire_link(4)), 16);
        assert_eq!(rx.next_frame().unwrap(), Some(&enquire_link(4)[..]));

        // A smaller maximum than the capacity, and a length below 16.
        let mut rx = FrameBuf::<128>::with_max_command_length(40);
        assert_eq!(rx.max_command_length(), 40);
        assert_eq!(rx.feed(&frame(41, 5)[..16]), 16);
        let err = rx.next_frame().unwrap_err();
        assert_eq!(err.reply().sequence_number, 5);
        assert_eq!(err.command_status(), CommandStatus::ESME_RINVCMDLEN);
        assert_eq!(
            FrameBuf::<128>::with_max_command_length(500).max_command_length(),
            128
        );
        let mut rx = FrameBuf::<64>::new();
        assert_eq!(rx.feed(&[0, 0, 0, 15]), 4);
        assert_eq!(
            rx.next_frame().unwrap_err().kind(),
            ErrorKind::CommandLengthTooShort { command_length: 15 }
        );
    }

    #[test]
    fn other_protocols_are_recognised() {
        for (octets, protocol) in [
            (&b"GET / HTTP/1.1\r\n"[..], ForeignProtocol::Http),
            (&[0x16, 0x03, 0x01, 0x02, 0x00][..], ForeignProtocol::Tls),
        ] {
            let mut rx = FrameBuf::<64>::with_max_command_length(u32::MAX);
            assert_eq!(rx.feed(&octets[..3]), 3);
            assert_eq!(rx.next_frame().unwrap(), None);
            assert_eq!(rx.feed(&octets[3..]), octets.len() - 3);
            let err = rx.next_frame().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::NotSmpp { protocol });
            assert_eq!(err.reply().sequence_number, 0);
        }
    }
}
