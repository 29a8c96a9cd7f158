//! The 16-octet PDU header and framing on `command_length`.

use crate::command_id::CommandId;
use crate::command_status::CommandStatus;
use crate::error::{Error, ErrorKind};

/// The default maximum `command_length` accepted by framing: large enough for
/// a 64 KiB `message_payload` plus every mandatory field.
pub const DEFAULT_MAX_COMMAND_LENGTH: u32 = 70_000;

/// The PDU header: `command_length`, `command_id`, `command_status`,
/// `sequence_number`, each a big-endian Integer4.
///
/// ```
/// use smpp_core::{CommandId, Header};
///
/// let bytes = [0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 9];
/// let header = Header::parse(&bytes).unwrap();
/// assert_eq!(header.command_id, CommandId::ENQUIRE_LINK);
/// assert_eq!(header.sequence_number, 9);
/// assert_eq!(header.to_bytes(), bytes);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Header {
    /// Total PDU length in octets, these four included (at least 16).
    pub command_length: u32,
    /// The operation.
    pub command_id: CommandId,
    /// 0 in requests, the outcome in responses.
    pub command_status: CommandStatus,
    /// Correlates a response with its request.
    pub sequence_number: u32,
}

/// `command_length`: the first four octets, big-endian.
fn command_length(buf: &[u8]) -> Option<u32> {
    buf.first_chunk::<4>().map(|b| u32::from_be_bytes(*b))
}

impl Header {
    /// The header's size in octets.
    pub const LEN: usize = 16;

    /// Reads the header from the first 16 octets of `buf`.
    ///
    /// Only the octet count is checked here; [`frame_len`] and
    /// [`crate::Pdu::parse`] check `command_length`. Octets after the first
    /// 16 are ignored.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::HeaderTruncated`] when `buf` is shorter than 16 octets
    /// (answered with `generic_nack` and `sequence_number` 0).
    #[inline]
    pub fn parse(buf: &[u8]) -> Result<Self, Error> {
        let Some(head) = buf.first_chunk::<16>() else {
            return Err(Error::new(ErrorKind::HeaderTruncated { len: buf.len() }));
        };
        let [
            l0,
            l1,
            l2,
            l3,
            i0,
            i1,
            i2,
            i3,
            s0,
            s1,
            s2,
            s3,
            n0,
            n1,
            n2,
            n3,
        ] = *head;
        Ok(Self {
            command_length: u32::from_be_bytes([l0, l1, l2, l3]),
            command_id: CommandId(u32::from_be_bytes([i0, i1, i2, i3])),
            command_status: CommandStatus(u32::from_be_bytes([s0, s1, s2, s3])),
            sequence_number: u32::from_be_bytes([n0, n1, n2, n3]),
        })
    }

    /// The header as its 16 wire octets.
    pub fn to_bytes(&self) -> [u8; 16] {
        let mut out = [0u8; 16];
        let fields = [
            self.command_length,
            self.command_id.0,
            self.command_status.0,
            self.sequence_number,
        ];
        for (chunk, value) in out.chunks_exact_mut(4).zip(fields) {
            chunk.copy_from_slice(&value.to_be_bytes());
        }
        out
    }

    /// The body length `command_length` announces (0 if it is below 16).
    pub const fn body_len(&self) -> usize {
        (self.command_length as usize).saturating_sub(Self::LEN)
    }
}

/// Framing: how long the PDU at the start of `buf` is.
///
/// Returns `Ok(None)` while fewer octets are buffered than the frame needs
/// (read more and call again), `Ok(Some(n))` when the first `n` octets of
/// `buf` are one complete PDU, and an error when `command_length` is below 16
/// or above `max_command_length`. The check happens as soon as the first four
/// octets are there, so a peer speaking TLS or HTTP is rejected before any
/// buffer grows. Such an error is fatal for the connection: answer
/// `generic_nack` with [`Error::command_status`] (`ESME_RINVCMDLEN`), then
/// close.
///
/// ```
/// use smpp_core::frame_len;
///
/// let enquire_link = [0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 1];
/// assert_eq!(frame_len(&enquire_link[..10], 4096), Ok(None));
/// assert_eq!(frame_len(&enquire_link, 4096), Ok(Some(16)));
/// assert!(frame_len(b"GET / HTTP/1.1\r\n", 4096).is_err());
/// ```
#[inline]
pub fn frame_len(buf: &[u8], max_command_length: u32) -> Result<Option<usize>, Error> {
    let Some(command_length) = command_length(buf) else {
        return Ok(None);
    };
    match usize::try_from(command_length) {
        Ok(len) if (16..=max_command_length).contains(&command_length) => {
            Ok((buf.len() >= len).then_some(len))
        }
        _ => Err(frame_len_error(buf, command_length, max_command_length)),
    }
}

/// The error for a `command_length` out of bounds, with the header when the
/// buffer holds one.
#[cold]
fn frame_len_error(buf: &[u8], command_length: u32, max: u32) -> Error {
    let kind = if command_length < 16 {
        ErrorKind::CommandLengthTooShort { command_length }
    } else {
        ErrorKind::CommandLengthTooLong {
            command_length,
            max,
        }
    };
    let err = Error::new(kind);
    match Header::parse(buf) {
        Ok(header) => err.with_header(header),
        Err(_) => err,
    }
}
