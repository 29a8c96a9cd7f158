//! Framing on `command_length` over a [`BytesMut`] read buffer.

use bytes::{Bytes, BytesMut};
use smpp_core::{DEFAULT_MAX_COMMAND_LENGTH, Error, ErrorKind, ForeignProtocol, Header, frame_len};

use crate::owned::{Pdu, parse_owned, parse_owned_any, reply_pdu};

/// One complete PDU as received: its header and all its octets.
///
/// A frame is what the stream carried, whether or not its body is valid:
/// [`Frame::parse`] and [`Frame::to_pdu`] decode it, and on error
/// [`Error::reply`] (or [`Frame::error_reply`]) says what to answer. A bad
/// body never ends the connection.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Frame {
    /// The header (`command_length` equals `bytes.len()`).
    pub header: Header,
    /// The whole PDU, header included.
    pub bytes: Bytes,
}

impl Frame {
    /// Makes a frame of exactly one PDU's octets.
    ///
    /// Fails if fewer than 16 octets are given or `command_length` is not
    /// `bytes.len()`.
    pub fn new(bytes: Bytes) -> Result<Self, Error> {
        let header = Header::parse(&bytes)?;
        if usize::try_from(header.command_length).ok() != Some(bytes.len()) {
            return Err(Error::new(ErrorKind::CommandLengthMismatch {
                command_length: header.command_length,
                actual: bytes.len(),
            })
            .with_header(header));
        }
        Ok(Self { header, bytes })
    }

    /// The body octets (after the 16-octet header).
    pub fn body(&self) -> &[u8] {
        self.bytes.get(Header::LEN..).unwrap_or_default()
    }

    /// Decodes the PDU as a view borrowing this frame.
    pub fn parse(&self) -> Result<smpp_core::Pdu<&[u8]>, Error> {
        smpp_core::Pdu::parse(&self.bytes)
    }

    /// Decodes the PDU into an owned [`Pdu`] whose fields are slices of this
    /// frame's buffer (no octet is copied).
    pub fn to_pdu(&self) -> Result<Pdu, Error> {
        parse_owned(&self.bytes)
    }

    /// Decodes the PDU as [`Frame::parse`] does, but keeps an unknown
    /// `command_id` (a vendor PDU) with its body as
    /// [`Body::Raw`](smpp_core::Body::Raw) instead of failing (see
    /// [`smpp_core::Pdu::parse_any`]).
    pub fn parse_any(&self) -> Result<smpp_core::Pdu<&[u8]>, Error> {
        smpp_core::Pdu::parse_any(&self.bytes)
    }

    /// Decodes the PDU into an owned [`Pdu`] as [`Frame::to_pdu`] does, but
    /// keeps an unknown `command_id` with its body raw, as
    /// [`Frame::parse_any`] does.
    pub fn to_pdu_any(&self) -> Result<Pdu, Error> {
        parse_owned_any(&self.bytes)
    }

    /// If the frame does not decode, the PDU to answer it with (the
    /// request's `_resp` or a `generic_nack`, carrying the error's status
    /// and the frame's `sequence_number`); `None` if it decodes.
    pub fn error_reply(&self) -> Option<Pdu> {
        self.parse().err().map(|e| reply_pdu(&e.reply()))
    }
}

/// Cuts frames from a read buffer.
///
/// Any number of PDUs per read and any split point are handled: call
/// [`FrameDecoder::decode`] after each read until it returns `Ok(None)`.
/// Frames are taken with `split_to(n).freeze()`, so they share the read
/// buffer's memory. `command_length` is checked against the maximum as soon
/// as its four octets are there; no memory is ever reserved for what it
/// announces.
///
/// Those four octets are also checked for another protocol (a TLS or SSL 2.0
/// handshake, an HTTP request; see [`ForeignProtocol::detect`]), whatever the
/// maximum: such octets would announce a `command_length` of hundreds of
/// megabytes, which a decoder built with a large
/// [`FrameDecoder::with_max_command_length`] would otherwise wait for. The
/// error is [`ErrorKind::NotSmpp`], answered like a bad `command_length`:
/// `generic_nack` with `ESME_RINVCMDLEN` and `sequence_number` 0 (the
/// octets hold no sequence number), then close.
///
/// ```
/// use bytes::BytesMut;
/// use smpp_core::{CommandId, CommandStatus};
/// use smpp_std::FrameDecoder;
///
/// let mut decoder = FrameDecoder::new();
/// let mut buf = BytesMut::new();
/// // Two enquire_links, the second one incomplete.
/// buf.extend_from_slice(&[0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 1]);
/// buf.extend_from_slice(&[0, 0, 0, 16, 0, 0]);
/// let frame = decoder.decode(&mut buf).unwrap().unwrap();
/// assert_eq!(frame.header.command_id, CommandId::ENQUIRE_LINK);
/// assert_eq!(decoder.decode(&mut buf), Ok(None));
///
/// // An HTTP request is refused at once, even with the largest maximum:
/// // answer generic_nack (sequence_number 0), then close.
/// let mut http = BytesMut::from(&b"GET / HTTP/1.1\r\n"[..]);
/// let mut lenient = FrameDecoder::with_max_command_length(u32::MAX);
/// let err = lenient.decode(&mut http).unwrap_err();
/// assert_eq!(err.command_status(), CommandStatus::ESME_RINVCMDLEN);
/// assert_eq!(err.reply().command_id, CommandId::GENERIC_NACK);
/// assert_eq!(err.reply().sequence_number, 0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameDecoder {
    max_command_length: u32,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameDecoder {
    /// A decoder accepting `command_length` up to
    /// [`DEFAULT_MAX_COMMAND_LENGTH`].
    pub const fn new() -> Self {
        Self {
            max_command_length: DEFAULT_MAX_COMMAND_LENGTH,
        }
    }

    /// A decoder accepting `command_length` up to `max` (at least 16).
    pub const fn with_max_command_length(max: u32) -> Self {
        Self {
            max_command_length: if max < 16 { 16 } else { max },
        }
    }

    /// The largest `command_length` accepted.
    pub const fn max_command_length(&self) -> u32 {
        self.max_command_length
    }

    /// Takes the next complete frame off the front of `buf`.
    ///
    /// `Ok(None)`: more octets are needed. No room is reserved for what a
    /// `command_length` announces: the buffer grows with the octets that
    /// arrive, so a peer that announces a large PDU and sends little costs
    /// little. `Err`: the stream is not
    /// SMPP ([`ErrorKind::NotSmpp`]) or `command_length` is impossible; this
    /// is fatal: send a `generic_nack` built from [`Error::reply`] (status
    /// `ESME_RINVCMDLEN`) and close the connection.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, Error> {
        let mut filled = buf.len();
        self.cut(buf, &mut filled)
    }

    /// Takes the next complete frame off the front of `buf`, of whose
    /// octets only the first `filled` are received data (the rest is room
    /// for the next read); `filled` is reduced by the frame's length.
    pub(crate) fn cut(
        self,
        buf: &mut BytesMut,
        filled: &mut usize,
    ) -> Result<Option<Frame>, Error> {
        let data = buf.get(..*filled).unwrap_or_default();
        if let Some(protocol) = foreign(data) {
            // No header to answer to: the reply's sequence_number is 0.
            return Err(Error::new(ErrorKind::NotSmpp { protocol }));
        }
        let Some(len) = frame_len(data, self.max_command_length)? else {
            return Ok(None);
        };
        // `frame_len` gives at most `data.len()`, so the split stays in
        // the received data.
        let bytes = buf.split_to(len).freeze();
        *filled = filled.saturating_sub(len);
        let header = Header::parse(&bytes)?;
        Ok(Some(Frame { header, bytes }))
    }

    /// The octets still missing before the next frame is complete, if known
    /// (0 when a frame is ready); `None` before its `command_length` has
    /// arrived, and for one that framing refuses (below 16 or above the
    /// maximum: [`Self::decode`] gives its error).
    ///
    /// ```
    /// use smpp_std::FrameDecoder;
    ///
    /// let decoder = FrameDecoder::new();
    /// assert_eq!(decoder.missing(&[0, 0, 0, 16, 0, 0]), Some(10));
    /// assert_eq!(decoder.missing(&[0, 0, 0]), None);
    /// assert_eq!(decoder.missing(&[0, 0, 0, 5]), None); // shorter than a header
    /// ```
    pub fn missing(&self, buf: &[u8]) -> Option<usize> {
        let head = buf.first_chunk::<4>()?;
        let command_length = u32::from_be_bytes(*head);
        if !(16..=self.max_command_length).contains(&command_length) {
            return None;
        }
        Some(
            usize::try_from(command_length)
                .ok()?
                .saturating_sub(buf.len()),
        )
    }
}

/// Another protocol at the start of `buf`. Only a first octet other than 0
/// (a `command_length` of 16 MiB or more) needs a closer look.
#[inline]
fn foreign(buf: &[u8]) -> Option<ForeignProtocol> {
    match buf.first() {
        Some(0) | None => None,
        Some(_) => ForeignProtocol::detect(buf),
    }
}
