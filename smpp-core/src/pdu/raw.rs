//! A body kept as its octets: error responses whose body does not follow
//! the layout (SMPP v5.0 3.2.1.3), and `command_id`s this codec does not
//! know ([`super::Pdu::parse_any`]).

use core::fmt;

use crate::command_id::CommandId;
use crate::command_status::CommandStatus;
use crate::error::Error;
use crate::hex::Hex;
use crate::types::COctet;
use crate::wire::emit::Emit;
use crate::wire::scan::find_nul;

use super::Body;
#[cfg(feature = "serde")]
use alloc::vec::Vec;

/// A PDU body kept as the octets received, with the `command_id` it came
/// under (the id of [`Body::Raw`]).
///
/// Two kinds of PDU decode to it:
///
/// - An error response (a `*_resp` or `generic_nack` with a
///   `command_status` other than `ESME_ROK`) whose body does not follow the
///   response's layout. SMPP v5.0 3.2.1.3 says such a body may be absent or
///   cut short (a `query_sm_resp` carrying only its `message_id`, say) and
///   that the receiver should cope, so [`super::Pdu::parse`] keeps it rather
///   than failing. An absent body, or one that follows the layout, still
///   decodes to the typed body.
/// - With [`super::Pdu::parse_any`] only: a `command_id` the specification
///   does not define (vendor ids such as `0x00010200`, or future ones).
///
/// It re-encodes to exactly the octets it holds. Encoding checks that the
/// parser would take those octets back: under a known `command_id` they
/// must either belong to an error response or decode as that PDU's body.
///
/// ```
/// use smpp_core::{Body, CommandId, CommandStatus, Pdu};
///
/// // query_sm_resp, ESME_RQUERYFAIL, sequence 9, body: message_id "42" only.
/// let frame = [
///     0, 0, 0, 19, 0x80, 0, 0, 3, 0, 0, 0, 0x67, 0, 0, 0, 9, b'4', b'2', 0,
/// ];
/// let pdu = Pdu::parse(&frame).unwrap();
/// assert_eq!(pdu.command_status, CommandStatus::ESME_RQUERYFAIL);
/// let Body::Raw(raw) = pdu.body else { unreachable!() };
/// assert_eq!(raw.command_id, CommandId::QUERY_SM_RESP);
/// assert_eq!(raw.leading_cstr(65).map(|id| id.into_inner()), Some(&b"42"[..]));
///
/// let mut out = [0u8; 19];
/// assert_eq!(pdu.emit(&mut out), Ok(19));
/// assert_eq!(out, frame);
/// ```
///
/// Built by hand: a vendor PDU, and a body the known `command_id` would
/// refuse.
///
/// ```
/// use smpp_core::{Body, CommandId, CommandStatus, ErrorKind, Pdu, RawBody};
///
/// // A vendor request 0x00010200 with a two-octet body.
/// let vendor = Pdu::new(5, Body::Raw(RawBody::new(CommandId(0x0001_0200), &[0xAB, 0xCD][..])));
/// let mut buf = [0u8; 32];
/// let n = vendor.emit(&mut buf).unwrap();
/// assert_eq!(n, 18);
/// // Pdu::parse refuses the unknown id; Pdu::parse_any keeps it.
/// assert_eq!(Pdu::parse(&buf[..n]).unwrap_err().kind(), ErrorKind::UnknownCommandId);
/// let back = Pdu::parse_any(&buf[..n]).unwrap();
/// assert_eq!(back, vendor);
/// let Body::Raw(raw) = back.body else { unreachable!() };
/// assert_eq!(raw.as_bytes(), [0xAB, 0xCD]);
///
/// // Octets that are no query_sm_resp body: accepted in an error response
/// // only, as the parser would take them back.
/// let partial = Body::Raw(RawBody::new(CommandId::QUERY_SM_RESP, &b"42\0"[..]));
/// assert!(Pdu::new(9, partial).emit(&mut buf).is_err());
/// let failed = Pdu::new(9, partial).with_status(CommandStatus::ESME_RQUERYFAIL);
/// let n = failed.emit(&mut buf).unwrap();
/// assert_eq!(Pdu::parse(&buf[..n]).unwrap(), failed);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(bound(serialize = "B: AsRef<[u8]>")))]
#[cfg_attr(feature = "serde", serde(bound(deserialize = "B: From<Vec<u8>>")))]
pub struct RawBody<B> {
    /// The `command_id` of the PDU.
    pub command_id: CommandId,
    /// The body octets (everything after the 16-octet header).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde::octets"))]
    pub octets: B,
}

impl<B> RawBody<B> {
    /// A body of `octets` under `command_id`.
    pub const fn new(command_id: CommandId, octets: B) -> Self {
        Self { command_id, octets }
    }

    /// Converts the storage. `f` must return storage holding exactly the
    /// octets it was given.
    pub fn map<C>(self, f: impl FnOnce(B) -> C) -> RawBody<C> {
        RawBody {
            command_id: self.command_id,
            octets: f(self.octets),
        }
    }
}

impl<B: AsRef<[u8]>> RawBody<B> {
    /// The body octets.
    pub fn as_bytes(&self) -> &[u8] {
        self.octets.as_ref()
    }

    /// Octets of the body on the wire.
    pub fn encoded_len(&self) -> usize {
        self.as_bytes().len()
    }

    /// The C-Octet String the body starts with, if a NUL ends it within
    /// `max` octets (NUL included): the `message_id` (max 65) or
    /// `system_id` (max 16) of a response body cut short after it.
    pub fn leading_cstr(&self, max: usize) -> Option<COctet<&[u8]>> {
        let bytes = self.as_bytes();
        let nul = find_nul(bytes.get(..max).unwrap_or(bytes))?;
        bytes.get(..nul).map(COctet::new)
    }

    /// Checks, as encoding a PDU with `command_status` does, that the
    /// parser takes these octets back: any octets under an unknown
    /// `command_id` ([`super::Pdu::parse_any`]) or in an error response,
    /// else the octets must decode as the body of `command_id`.
    pub(crate) fn validate_for(&self, command_status: CommandStatus) -> Result<(), Error> {
        let id = self.command_id;
        if id.name().is_none() || (id.is_response() && !command_status.is_ok()) {
            return Ok(());
        }
        Body::parse(id, self.as_bytes()).map(|_| ())
    }

    /// The octets, for [`Emit`], with the rule of a body in a PDU with
    /// `command_status`.
    pub(crate) fn encode<E: Emit>(&self, e: &mut E, command_status: CommandStatus) {
        e.rule(|| self.validate_for(command_status));
        e.bytes(self.as_bytes());
    }
}

impl<B: AsRef<[u8]>> fmt::Debug for RawBody<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawBody")
            .field("command_id", &self.command_id)
            .field("octets", &Hex(self.as_bytes()))
            .finish()
    }
}
