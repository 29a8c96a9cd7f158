//! [`ValidPdu`]: a PDU known to keep every rule, which encodes without
//! checking them again.

use core::ops::Deref;

use crate::command_id::CommandId;
use crate::error::Error;
use crate::header::Header;
use crate::wire::write::write_pdu;

use super::{Body, Pdu};

/// A PDU that keeps every rule of [`Pdu::validate`]: decoded by
/// [`Self::parse`] or [`Self::parse_any`], or checked once by
/// [`Self::new`]. It encodes ([`Self::emit`]) without checking its fields
/// again; only the size of the output buffer can make that fail.
///
/// It gives the PDU to read ([`Deref`], [`Self::get`]) but not to change:
/// [`Self::into_inner`] gives it back as a [`Pdu`] to edit, and
/// [`Self::new`] checks it again. [`Self::map`] converts its storage, as
/// [`Pdu::map`] does; the new storage must hold the same octets, as `map`
/// asks everywhere.
///
/// What [`Pdu::validate`] accepts is what [`Pdu::parse`] decodes and the
/// other way round, so a `ValidPdu` never encodes to octets its own
/// decoder refuses.
///
/// ```
/// use smpp_core::{Body, COctet, Pdu, SubmitSm, ValidPdu};
///
/// let submit = SubmitSm { destination_addr: COctet::from("447700900123"), ..SubmitSm::default() };
/// let pdu = ValidPdu::new(Pdu::new(7, Body::SubmitSm(submit))).unwrap();
/// let mut frame = [0u8; 64];
/// let n = pdu.emit(&mut frame).unwrap();
///
/// // Decoding gives a ValidPdu too: it re-encodes to the same octets.
/// let back = ValidPdu::parse(&frame[..n]).unwrap();
/// assert_eq!(back, pdu);
/// let mut again = [0u8; 64];
/// assert_eq!(back.emit(&mut again), Ok(n));
/// assert_eq!(again, frame);
///
/// // A PDU that breaks a rule is refused once, when it is made.
/// let long = SubmitSm { source_addr: COctet::from("123456789012345678901"), ..SubmitSm::default() };
/// assert!(ValidPdu::new(Pdu::new(8, Body::SubmitSm(long))).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ValidPdu<B: AsRef<[u8]>> {
    pdu: Pdu<B>,
    /// `command_length`, found when the PDU was checked or decoded.
    command_length: u32,
}

impl<B: AsRef<[u8]>> ValidPdu<B> {
    /// Checks `pdu` ([`Pdu::validate`]) and keeps it as valid.
    pub fn new(pdu: Pdu<B>) -> Result<Self, Error> {
        let header = pdu.checked_header()?;
        Ok(Self {
            pdu,
            command_length: header.command_length,
        })
    }

    /// The PDU.
    pub const fn get(&self) -> &Pdu<B> {
        &self.pdu
    }

    /// The PDU, to change or to take apart.
    pub fn into_inner(self) -> Pdu<B> {
        self.pdu
    }

    /// Converts the storage of every octet field (for example from slices
    /// of a frame to owned buffers), and checks the PDU again, since `f`
    /// may return other octets than it was given: what comes back valid
    /// still encodes to a PDU the decoder takes.
    pub fn map<C: AsRef<[u8]>>(self, f: impl FnMut(B) -> C) -> Result<ValidPdu<C>, Error> {
        ValidPdu::new(self.pdu.map(f))
    }

    /// Octets of the whole PDU: its `command_length`, found when it was
    /// checked or decoded.
    pub fn encoded_len(&self) -> usize {
        usize::try_from(self.command_length).unwrap_or(usize::MAX)
    }

    /// Encodes the PDU into `out`, returning the octets written
    /// ([`Pdu::encoded_len`]); fails only if `out` is too small.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, Error> {
        // `submit_sm` and `deliver_sm` are written without the general
        // dispatch; anything else, or an `out` they do not fit, takes the
        // general encoder (which reports the error).
        let (command_id, sm) = match &self.pdu.body {
            Body::SubmitSm(sm) => (CommandId::SUBMIT_SM, sm),
            Body::DeliverSm(sm) => (CommandId::DELIVER_SM, sm),
            _ => return self.pdu.emit_checked(self.command_length, out),
        };
        let header = Header {
            command_length: self.command_length,
            command_id,
            command_status: self.pdu.command_status,
            sequence_number: self.pdu.sequence_number,
        };
        match write_pdu(out, &header, |w| sm.encode(w)) {
            Some(n) => Ok(n),
            None => self.pdu.emit_checked(self.command_length, out),
        }
    }
}

impl<'a> ValidPdu<&'a [u8]> {
    /// Decodes one whole PDU as [`Pdu::parse`] does; what decodes is valid.
    #[inline]
    pub fn parse(frame: &'a [u8]) -> Result<Self, Error> {
        Pdu::parse(frame).map(|pdu| Self::decoded(pdu, frame))
    }

    /// Decodes one whole PDU as [`Pdu::parse_any`] does (keeping a PDU of an
    /// unknown `command_id`); what decodes is valid.
    pub fn parse_any(frame: &'a [u8]) -> Result<Self, Error> {
        Pdu::parse_any(frame).map(|pdu| Self::decoded(pdu, frame))
    }

    /// A PDU decoded from `frame` (whose length `Pdu::parse` checked
    /// against `command_length`).
    #[inline]
    fn decoded(pdu: Pdu<&'a [u8]>, frame: &[u8]) -> Self {
        Self {
            pdu,
            command_length: u32::try_from(frame.len()).unwrap_or(u32::MAX),
        }
    }
}

impl<B: AsRef<[u8]>> Deref for ValidPdu<B> {
    type Target = Pdu<B>;

    fn deref(&self) -> &Pdu<B> {
        &self.pdu
    }
}

impl<B: AsRef<[u8]>> AsRef<Pdu<B>> for ValidPdu<B> {
    fn as_ref(&self) -> &Pdu<B> {
        &self.pdu
    }
}

impl<B: AsRef<[u8]>> From<ValidPdu<B>> for Pdu<B> {
    fn from(pdu: ValidPdu<B>) -> Self {
        pdu.pdu
    }
}

impl<B: AsRef<[u8]>> TryFrom<Pdu<B>> for ValidPdu<B> {
    type Error = Error;

    fn try_from(pdu: Pdu<B>) -> Result<Self, Error> {
        Self::new(pdu)
    }
}
