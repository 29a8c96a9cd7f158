//! PDU bodies and the [`Pdu`] that ties one to its header.
//!
//! # Contract
//!
//! - [`Pdu::parse`] takes exactly one frame (see [`crate::frame_len`]) and
//!   never panics, whatever the octets: it returns a view borrowing the frame,
//!   or an [`Error`] naming the PDU, the field or TLV, and the status to
//!   answer. It reads the octets once and copies none of them.
//! - Every view re-encodes to the octets it was parsed from: field order,
//!   TLV order, duplicate and unknown TLVs, and absent response bodies are
//!   kept.
//! - [`Pdu::emit`] never panics and never writes a partial PDU: a buffer
//!   shorter than [`Pdu::encoded_len`], or a field that breaks its rules, is
//!   an error and the caller's buffer holds nothing meaningful. Derived
//!   lengths (`command_length`, `sm_length`, `number_of_dests`,
//!   `no_unsuccess`) are computed, never stored.

/// Generates `parse` (from the type's `parse_fields`) and `emit` (from its
/// `validate`, `encoded_len` and `write`) for a body type.
macro_rules! body_codec {
    ($ty:ident) => {
        impl<'a> $ty<&'a [u8]> {
            /// Parses the body: the octets after the 16-octet header.
            pub fn parse(body: &'a [u8]) -> Result<Self, $crate::Error> {
                $crate::wire::read::finish(Self::parse_fields(body)).map(|(_, v)| v)
            }
        }

        impl<B: AsRef<[u8]>> $ty<B> {
            /// Encodes the body into `out`, returning the octets written.
            pub fn emit(&self, out: &mut [u8]) -> Result<usize, $crate::Error> {
                self.validate()?;
                let mut w = $crate::wire::write::Writer::new(out, self.encoded_len())?;
                self.write(&mut w);
                w.finish()
            }
        }
    };
}

mod alert;
mod bind;
mod broadcast;
mod cancel_replace;
mod data_sm;
mod query;
mod sm;
mod submit_multi;

pub use alert::AlertNotification;
pub use bind::{Bind, BindResp, Outbind};
pub use broadcast::{
    BROADCAST_SM_MANDATORY_TLVS, BroadcastSm, CancelBroadcastSm,
    QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS, QueryBroadcastSm, QueryBroadcastSmResp,
};
pub use cancel_replace::{CancelSm, ReplaceSm};
pub use data_sm::DataSm;
pub use query::{QuerySm, QuerySmResp};
pub use sm::{BroadcastSmResp, DataSmResp, DeliverSm, DeliverSmResp, SubmitSm, SubmitSmResp};
pub use submit_multi::{
    DEST_FLAG_DISTRIBUTION_LIST, DEST_FLAG_SME_ADDRESS, DestAddress, DestAddressBuf,
    DestAddressIter, DestAddresses, SubmitMulti, SubmitMultiResp, UnsuccessSme, UnsuccessSmeBuf,
    UnsuccessSmeIter, UnsuccessSmes,
};

use crate::command_id::CommandId;
use crate::command_status::CommandStatus;
use crate::error::{Error, ErrorKind};
use crate::header::Header;
use crate::tlv::{TlvTag, Tlvs};
use crate::types::COctet;
use crate::values::{Npi, Ton};
use crate::wire::read::{Res, fail};
use crate::wire::write::Writer;

/// The rest of a body as its TLV region.
#[inline]
pub(crate) fn tlvs_tail(i: &[u8]) -> Res<'_, Tlvs<&[u8]>> {
    tlvs_tail_requiring(i, &[])
}

/// The rest of a body as its TLV region, which must hold every tag of
/// `required` (checked in the one walk over the region).
#[inline]
pub(crate) fn tlvs_tail_requiring<'a, const N: usize>(
    i: &'a [u8],
    required: &[TlvTag; N],
) -> Res<'a, Tlvs<&'a [u8]>> {
    let tlvs = Tlvs::parse_requiring(i, required).map_err(fail)?;
    Ok((&[], tlvs))
}

/// TON, NPI, then the address.
pub(crate) fn write_addr<B: AsRef<[u8]>>(w: &mut Writer<'_>, ton: Ton, npi: Npi, addr: &COctet<B>) {
    w.array([ton.0, npi.0]);
    w.cstr(addr.as_bytes());
}

/// The body of a PDU, one variant per `command_id` of SMPP v3.4 and v5.0.
///
/// Response bodies are `Option`s: `None` is a response with no body at all
/// (`command_length` 16), as the specification asks for error responses.
/// Header-only responses carry a [`Tlvs`] (usually empty) since v5.0 allows
/// `congestion_state` in any response. `unbind` and `enquire_link` have no
/// body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum Body<B: AsRef<[u8]>> {
    GenericNack(Tlvs<B>),
    BindReceiver(Bind<B>),
    BindReceiverResp(Option<BindResp<B>>),
    BindTransmitter(Bind<B>),
    BindTransmitterResp(Option<BindResp<B>>),
    QuerySm(QuerySm<B>),
    QuerySmResp(Option<QuerySmResp<B>>),
    SubmitSm(SubmitSm<B>),
    SubmitSmResp(Option<SubmitSmResp<B>>),
    DeliverSm(DeliverSm<B>),
    DeliverSmResp(Option<DeliverSmResp<B>>),
    Unbind,
    UnbindResp(Tlvs<B>),
    ReplaceSm(ReplaceSm<B>),
    ReplaceSmResp(Tlvs<B>),
    CancelSm(CancelSm<B>),
    CancelSmResp(Tlvs<B>),
    BindTransceiver(Bind<B>),
    BindTransceiverResp(Option<BindResp<B>>),
    Outbind(Outbind<B>),
    EnquireLink,
    EnquireLinkResp(Tlvs<B>),
    SubmitMulti(SubmitMulti<B>),
    SubmitMultiResp(Option<SubmitMultiResp<B>>),
    AlertNotification(AlertNotification<B>),
    DataSm(DataSm<B>),
    DataSmResp(Option<DataSmResp<B>>),
    BroadcastSm(BroadcastSm<B>),
    BroadcastSmResp(Option<BroadcastSmResp<B>>),
    QueryBroadcastSm(QueryBroadcastSm<B>),
    QueryBroadcastSmResp(Option<QueryBroadcastSmResp<B>>),
    CancelBroadcastSm(CancelBroadcastSm<B>),
    CancelBroadcastSmResp(Tlvs<B>),
}

/// Parses a response body that may be absent.
fn optional<'a, T>(
    body: &'a [u8],
    parse: impl FnOnce(&'a [u8]) -> Result<T, Error>,
) -> Result<Option<T>, Error> {
    if body.is_empty() {
        Ok(None)
    } else {
        parse(body).map(Some)
    }
}

fn empty(body: &[u8]) -> Result<(), Error> {
    if body.is_empty() {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::TrailingBytes { count: body.len() }))
    }
}

impl<'a> Body<&'a [u8]> {
    /// Parses the body of a PDU with this `command_id`.
    pub fn parse(command_id: CommandId, body: &'a [u8]) -> Result<Self, Error> {
        Self::parse_with(command_id, body, |body| body)
    }

    /// Parses a body and hands it to `wrap` in each arm, so a caller that
    /// embeds the body (see [`Pdu::parse`]) builds its value in place
    /// instead of moving a whole `Body` out of a temporary.
    // Inlined into both callers so each builds its value in place; the
    // arms call out-of-line body parsers, so the copies stay small.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn parse_with<T>(
        command_id: CommandId,
        body: &'a [u8],
        wrap: impl FnOnce(Self) -> T,
    ) -> Result<T, Error> {
        match command_id {
            CommandId::GENERIC_NACK => Ok(wrap(Self::GenericNack(Tlvs::parse(body)?))),
            CommandId::BIND_RECEIVER => Ok(wrap(Self::BindReceiver(Bind::parse(body)?))),
            CommandId::BIND_RECEIVER_RESP => Ok(wrap(Self::BindReceiverResp(optional(
                body,
                BindResp::parse,
            )?))),
            CommandId::BIND_TRANSMITTER => Ok(wrap(Self::BindTransmitter(Bind::parse(body)?))),
            CommandId::BIND_TRANSMITTER_RESP => Ok(wrap(Self::BindTransmitterResp(optional(
                body,
                BindResp::parse,
            )?))),
            CommandId::QUERY_SM => Ok(wrap(Self::QuerySm(QuerySm::parse(body)?))),
            CommandId::QUERY_SM_RESP => {
                Ok(wrap(Self::QuerySmResp(optional(body, QuerySmResp::parse)?)))
            }
            CommandId::SUBMIT_SM => Ok(wrap(Self::SubmitSm(SubmitSm::parse(body)?))),
            CommandId::SUBMIT_SM_RESP => Ok(wrap(Self::SubmitSmResp(optional(
                body,
                SubmitSmResp::parse,
            )?))),
            CommandId::DELIVER_SM => Ok(wrap(Self::DeliverSm(DeliverSm::parse(body)?))),
            CommandId::DELIVER_SM_RESP => Ok(wrap(Self::DeliverSmResp(optional(
                body,
                DeliverSmResp::parse,
            )?))),
            CommandId::UNBIND => {
                empty(body)?;
                Ok(wrap(Self::Unbind))
            }
            CommandId::UNBIND_RESP => Ok(wrap(Self::UnbindResp(Tlvs::parse(body)?))),
            CommandId::REPLACE_SM => Ok(wrap(Self::ReplaceSm(ReplaceSm::parse(body)?))),
            CommandId::REPLACE_SM_RESP => Ok(wrap(Self::ReplaceSmResp(Tlvs::parse(body)?))),
            CommandId::CANCEL_SM => Ok(wrap(Self::CancelSm(CancelSm::parse(body)?))),
            CommandId::CANCEL_SM_RESP => Ok(wrap(Self::CancelSmResp(Tlvs::parse(body)?))),
            CommandId::BIND_TRANSCEIVER => Ok(wrap(Self::BindTransceiver(Bind::parse(body)?))),
            CommandId::BIND_TRANSCEIVER_RESP => Ok(wrap(Self::BindTransceiverResp(optional(
                body,
                BindResp::parse,
            )?))),
            CommandId::OUTBIND => Ok(wrap(Self::Outbind(Outbind::parse(body)?))),
            CommandId::ENQUIRE_LINK => {
                empty(body)?;
                Ok(wrap(Self::EnquireLink))
            }
            CommandId::ENQUIRE_LINK_RESP => Ok(wrap(Self::EnquireLinkResp(Tlvs::parse(body)?))),
            CommandId::SUBMIT_MULTI => Ok(wrap(Self::SubmitMulti(SubmitMulti::parse(body)?))),
            CommandId::SUBMIT_MULTI_RESP => Ok(wrap(Self::SubmitMultiResp(optional(
                body,
                SubmitMultiResp::parse,
            )?))),
            CommandId::ALERT_NOTIFICATION => Ok(wrap(Self::AlertNotification(
                AlertNotification::parse(body)?,
            ))),
            CommandId::DATA_SM => Ok(wrap(Self::DataSm(DataSm::parse(body)?))),
            CommandId::DATA_SM_RESP => {
                Ok(wrap(Self::DataSmResp(optional(body, DataSmResp::parse)?)))
            }
            CommandId::BROADCAST_SM => Ok(wrap(Self::BroadcastSm(BroadcastSm::parse(body)?))),
            CommandId::BROADCAST_SM_RESP => Ok(wrap(Self::BroadcastSmResp(optional(
                body,
                BroadcastSmResp::parse,
            )?))),
            CommandId::QUERY_BROADCAST_SM => {
                Ok(wrap(Self::QueryBroadcastSm(QueryBroadcastSm::parse(body)?)))
            }
            CommandId::QUERY_BROADCAST_SM_RESP => Ok(wrap(Self::QueryBroadcastSmResp(optional(
                body,
                broadcast::parse_query_broadcast_resp,
            )?))),
            CommandId::CANCEL_BROADCAST_SM => Ok(wrap(Self::CancelBroadcastSm(
                CancelBroadcastSm::parse(body)?,
            ))),
            CommandId::CANCEL_BROADCAST_SM_RESP => {
                Ok(wrap(Self::CancelBroadcastSmResp(Tlvs::parse(body)?)))
            }
            _ => Err(Error::new(ErrorKind::UnknownCommandId)),
        }
    }
}

impl<B: AsRef<[u8]>> Body<B> {
    /// The `command_id` of this body.
    pub const fn command_id(&self) -> CommandId {
        match self {
            Self::GenericNack(_) => CommandId::GENERIC_NACK,
            Self::BindReceiver(_) => CommandId::BIND_RECEIVER,
            Self::BindReceiverResp(_) => CommandId::BIND_RECEIVER_RESP,
            Self::BindTransmitter(_) => CommandId::BIND_TRANSMITTER,
            Self::BindTransmitterResp(_) => CommandId::BIND_TRANSMITTER_RESP,
            Self::QuerySm(_) => CommandId::QUERY_SM,
            Self::QuerySmResp(_) => CommandId::QUERY_SM_RESP,
            Self::SubmitSm(_) => CommandId::SUBMIT_SM,
            Self::SubmitSmResp(_) => CommandId::SUBMIT_SM_RESP,
            Self::DeliverSm(_) => CommandId::DELIVER_SM,
            Self::DeliverSmResp(_) => CommandId::DELIVER_SM_RESP,
            Self::Unbind => CommandId::UNBIND,
            Self::UnbindResp(_) => CommandId::UNBIND_RESP,
            Self::ReplaceSm(_) => CommandId::REPLACE_SM,
            Self::ReplaceSmResp(_) => CommandId::REPLACE_SM_RESP,
            Self::CancelSm(_) => CommandId::CANCEL_SM,
            Self::CancelSmResp(_) => CommandId::CANCEL_SM_RESP,
            Self::BindTransceiver(_) => CommandId::BIND_TRANSCEIVER,
            Self::BindTransceiverResp(_) => CommandId::BIND_TRANSCEIVER_RESP,
            Self::Outbind(_) => CommandId::OUTBIND,
            Self::EnquireLink => CommandId::ENQUIRE_LINK,
            Self::EnquireLinkResp(_) => CommandId::ENQUIRE_LINK_RESP,
            Self::SubmitMulti(_) => CommandId::SUBMIT_MULTI,
            Self::SubmitMultiResp(_) => CommandId::SUBMIT_MULTI_RESP,
            Self::AlertNotification(_) => CommandId::ALERT_NOTIFICATION,
            Self::DataSm(_) => CommandId::DATA_SM,
            Self::DataSmResp(_) => CommandId::DATA_SM_RESP,
            Self::BroadcastSm(_) => CommandId::BROADCAST_SM,
            Self::BroadcastSmResp(_) => CommandId::BROADCAST_SM_RESP,
            Self::QueryBroadcastSm(_) => CommandId::QUERY_BROADCAST_SM,
            Self::QueryBroadcastSmResp(_) => CommandId::QUERY_BROADCAST_SM_RESP,
            Self::CancelBroadcastSm(_) => CommandId::CANCEL_BROADCAST_SM,
            Self::CancelBroadcastSmResp(_) => CommandId::CANCEL_BROADCAST_SM_RESP,
        }
    }

    /// Converts the storage of every octet field (for example from slices of
    /// a received frame to owned, reference-counted slices of it).
    pub fn map<C: AsRef<[u8]>>(self, mut f: impl FnMut(B) -> C) -> Body<C> {
        match self {
            Self::GenericNack(t) => Body::GenericNack(t.map(f)),
            Self::BindReceiver(b) => Body::BindReceiver(b.map(f)),
            Self::BindReceiverResp(b) => Body::BindReceiverResp(b.map(|b| b.map(f))),
            Self::BindTransmitter(b) => Body::BindTransmitter(b.map(f)),
            Self::BindTransmitterResp(b) => Body::BindTransmitterResp(b.map(|b| b.map(f))),
            Self::QuerySm(b) => Body::QuerySm(b.map(f)),
            Self::QuerySmResp(b) => Body::QuerySmResp(b.map(|b| b.map(f))),
            Self::SubmitSm(b) => Body::SubmitSm(b.map(f)),
            Self::SubmitSmResp(b) => Body::SubmitSmResp(b.map(|b| b.map(f))),
            Self::DeliverSm(b) => Body::DeliverSm(b.map(f)),
            Self::DeliverSmResp(b) => Body::DeliverSmResp(b.map(|b| b.map(f))),
            Self::Unbind => Body::Unbind,
            Self::UnbindResp(t) => Body::UnbindResp(t.map(f)),
            Self::ReplaceSm(b) => Body::ReplaceSm(b.map(f)),
            Self::ReplaceSmResp(t) => Body::ReplaceSmResp(t.map(f)),
            Self::CancelSm(b) => Body::CancelSm(b.map(f)),
            Self::CancelSmResp(t) => Body::CancelSmResp(t.map(f)),
            Self::BindTransceiver(b) => Body::BindTransceiver(b.map(f)),
            Self::BindTransceiverResp(b) => Body::BindTransceiverResp(b.map(|b| b.map(f))),
            Self::Outbind(b) => Body::Outbind(b.map(f)),
            Self::EnquireLink => Body::EnquireLink,
            Self::EnquireLinkResp(t) => Body::EnquireLinkResp(t.map(f)),
            Self::SubmitMulti(b) => Body::SubmitMulti(b.map(f)),
            Self::SubmitMultiResp(b) => Body::SubmitMultiResp(b.map(|b| b.map(f))),
            Self::AlertNotification(b) => Body::AlertNotification(b.map(f)),
            Self::DataSm(b) => Body::DataSm(b.map(f)),
            Self::DataSmResp(b) => Body::DataSmResp(b.map(|b| b.map(f))),
            Self::BroadcastSm(b) => Body::BroadcastSm(b.map(f)),
            Self::BroadcastSmResp(b) => Body::BroadcastSmResp(b.map(|b| b.map(f))),
            Self::QueryBroadcastSm(b) => Body::QueryBroadcastSm(b.map(f)),
            Self::QueryBroadcastSmResp(b) => Body::QueryBroadcastSmResp(b.map(|b| b.map(&mut f))),
            Self::CancelBroadcastSm(b) => Body::CancelBroadcastSm(b.map(f)),
            Self::CancelBroadcastSmResp(t) => Body::CancelBroadcastSmResp(t.map(f)),
        }
    }
}

/// Dispatches `$e` over every body variant, binding the inner value as `$b`
/// (an `Option` for response bodies). `$unit` is the result for the
/// bodiless variants.
macro_rules! each_body {
    ($self:expr, $b:ident => $e:expr, opt $o:ident => $oe:expr, unit => $unit:expr) => {
        match $self {
            Body::GenericNack($b)
            | Body::UnbindResp($b)
            | Body::ReplaceSmResp($b)
            | Body::CancelSmResp($b)
            | Body::EnquireLinkResp($b)
            | Body::CancelBroadcastSmResp($b) => $e,
            Body::BindReceiver($b) | Body::BindTransmitter($b) | Body::BindTransceiver($b) => $e,
            Body::BindReceiverResp($o)
            | Body::BindTransmitterResp($o)
            | Body::BindTransceiverResp($o) => $oe,
            Body::QuerySm($b) | Body::QueryBroadcastSm($b) => $e,
            Body::QuerySmResp($o) => $oe,
            Body::SubmitSm($b) | Body::DeliverSm($b) => $e,
            Body::SubmitSmResp($o)
            | Body::DeliverSmResp($o)
            | Body::DataSmResp($o)
            | Body::BroadcastSmResp($o)
            | Body::QueryBroadcastSmResp($o) => $oe,
            Body::ReplaceSm($b) => $e,
            Body::CancelSm($b) => $e,
            Body::Outbind($b) => $e,
            Body::SubmitMulti($b) => $e,
            Body::SubmitMultiResp($o) => $oe,
            Body::AlertNotification($b) => $e,
            Body::DataSm($b) => $e,
            Body::BroadcastSm($b) => $e,
            Body::CancelBroadcastSm($b) => $e,
            Body::Unbind | Body::EnquireLink => $unit,
        }
    };
}

// One closure serves bodies of several types in `each_body!`.
#[allow(clippy::redundant_closure_for_method_calls)]
impl<B: AsRef<[u8]>> Body<B> {
    /// Octets of the body on the wire (the header not included).
    pub fn encoded_len(&self) -> usize {
        each_body!(self,
            b => b.encoded_len(),
            opt o => o.as_ref().map_or(0, |b| b.encoded_len()),
            unit => 0)
    }

    /// Checks every field against its rules, as encoding does.
    pub fn validate(&self) -> Result<(), Error> {
        if let Self::QueryBroadcastSmResp(Some(resp)) = self {
            return broadcast::validate_query_broadcast_resp(resp);
        }
        each_body!(self,
            b => b.validate(),
            opt o => o.as_ref().map_or(Ok(()), |b| b.validate()),
            unit => Ok(()))
    }

    fn write(&self, w: &mut Writer<'_>) {
        each_body!(self,
            b => b.write(w),
            opt o => if let Some(b) = o { b.write(w) },
            unit => ());
    }
}

/// A PDU: the header's `command_status` and `sequence_number` and a body,
/// whose variant gives the `command_id`. `command_length` is computed.
///
/// ```
/// use smpp_core::{Body, Pdu, Tlvs};
///
/// // enquire_link, sequence 171192039 (a golden vector).
/// let frame = [0, 0, 0, 0x10, 0, 0, 0, 0x15, 0, 0, 0, 0, 0x0a, 0x34, 0x2e, 0xe7];
/// let pdu = Pdu::parse(&frame).unwrap();
/// assert_eq!(pdu.body, Body::EnquireLink);
/// assert_eq!(pdu.sequence_number, 171192039);
///
/// // Answer it.
/// let resp = Pdu::new(pdu.sequence_number, Body::EnquireLinkResp(Tlvs::EMPTY));
/// let mut out = [0u8; 16];
/// assert_eq!(resp.emit(&mut out), Ok(16));
/// assert_eq!(out[4..8], [0x80, 0, 0, 0x15]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pdu<B: AsRef<[u8]>> {
    /// `command_status`: 0 in requests.
    pub command_status: CommandStatus,
    /// `sequence_number`.
    pub sequence_number: u32,
    /// The body.
    pub body: Body<B>,
}

impl<B: AsRef<[u8]>> Pdu<B> {
    /// A PDU with `command_status` 0 (`ESME_ROK`).
    pub const fn new(sequence_number: u32, body: Body<B>) -> Self {
        Self {
            command_status: CommandStatus::ESME_ROK,
            sequence_number,
            body,
        }
    }

    /// The same PDU with another `command_status`.
    #[must_use]
    pub const fn with_status(mut self, command_status: CommandStatus) -> Self {
        self.command_status = command_status;
        self
    }

    /// The `command_id`, from the body.
    pub const fn command_id(&self) -> CommandId {
        self.body.command_id()
    }

    /// Converts the storage of every octet field.
    pub fn map<C: AsRef<[u8]>>(self, f: impl FnMut(B) -> C) -> Pdu<C> {
        Pdu {
            command_status: self.command_status,
            sequence_number: self.sequence_number,
            body: self.body.map(f),
        }
    }
}

impl<'a> Pdu<&'a [u8]> {
    /// Parses one whole PDU (header and body) from `frame`.
    ///
    /// `command_length` must equal `frame.len()`; use [`crate::frame_len`] to
    /// cut frames from a stream. On error, [`Error::reply`] tells what to
    /// send back.
    #[inline]
    pub fn parse(frame: &'a [u8]) -> Result<Self, Error> {
        match Self::parse_keepalive(frame) {
            Some(pdu) => Ok(pdu),
            None => Self::parse_frame(frame),
        }
    }

    /// The link-level PDUs with a header only (`enquire_link`, `unbind`,
    /// their responses, `generic_nack`), decoded without the general
    /// dispatch; `None` sends anything else down [`Self::parse_frame`].
    #[inline]
    fn parse_keepalive(frame: &'a [u8]) -> Option<Self> {
        let head: &[u8; 16] = frame.try_into().ok()?;
        let header = Header::parse(head).ok()?;
        if header.command_length != 16 {
            return None;
        }
        let body = match header.command_id {
            CommandId::ENQUIRE_LINK => Body::EnquireLink,
            CommandId::ENQUIRE_LINK_RESP => Body::EnquireLinkResp(Tlvs::EMPTY),
            CommandId::UNBIND => Body::Unbind,
            CommandId::UNBIND_RESP => Body::UnbindResp(Tlvs::EMPTY),
            CommandId::GENERIC_NACK => Body::GenericNack(Tlvs::EMPTY),
            _ => return None,
        };
        Some(Self {
            command_status: header.command_status,
            sequence_number: header.sequence_number,
            body,
        })
    }

    fn parse_frame(frame: &'a [u8]) -> Result<Self, Error> {
        let header = Header::parse(frame)?;
        // `Header::parse` needs 16 octets, so an equal length is at least 16.
        if usize::try_from(header.command_length).ok() != Some(frame.len()) {
            return Err(length_error(header, frame.len()));
        }
        let body = frame.get(Header::LEN..).unwrap_or_default();
        Body::parse_with(header.command_id, body, |body| Self {
            command_status: header.command_status,
            sequence_number: header.sequence_number,
            body,
        })
        .map_err(|e| e.with_header(header))
    }
}

/// The `command_length` of a PDU of `len` octets, if an Integer4 holds it.
#[inline]
fn command_length(len: usize) -> Result<u32, Error> {
    u32::try_from(len).map_err(|_| Error::new(ErrorKind::CommandLengthOverflow { len }))
}

/// The error for a frame whose length is not its `command_length`.
#[cold]
fn length_error(header: Header, actual: usize) -> Error {
    let command_length = header.command_length;
    let kind = if command_length < 16 {
        ErrorKind::CommandLengthTooShort { command_length }
    } else {
        ErrorKind::CommandLengthMismatch {
            command_length,
            actual,
        }
    };
    Error::new(kind).with_header(header)
}

impl<B: AsRef<[u8]>> Pdu<B> {
    /// Octets of the whole PDU: the `command_length` it will carry.
    pub fn encoded_len(&self) -> usize {
        Header::LEN + self.body.encoded_len()
    }

    /// The header for a PDU with this `command_length`.
    fn header_with(&self, command_length: u32) -> Header {
        Header {
            command_length,
            command_id: self.command_id(),
            command_status: self.command_status,
            sequence_number: self.sequence_number,
        }
    }

    /// The header this PDU encodes with. `command_length` saturates at
    /// `u32::MAX` for a PDU longer than that, which [`Self::emit`] refuses
    /// (`ErrorKind::CommandLengthOverflow`).
    pub fn header(&self) -> Header {
        self.header_with(u32::try_from(self.encoded_len()).unwrap_or(u32::MAX))
    }

    /// Encodes the PDU into `out`, returning the octets written
    /// ([`Self::encoded_len`]). Fails, writing nothing of use, if `out` is
    /// too small, a field breaks its rules, or the PDU is longer than
    /// `command_length` can say.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, Error> {
        let len = self.encoded_len();
        let header =
            self.header_with(command_length(len).map_err(|e| e.with_header(self.header()))?);
        self.body.validate().map_err(|e| e.with_header(header))?;
        let mut w = Writer::new(out, len).map_err(|e| e.with_header(header))?;
        w.array(header.to_bytes());
        self.body.write(&mut w);
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::{CommandId, ErrorKind, Pdu, command_length};

    #[test]
    fn command_length_is_an_integer4_or_an_error() {
        assert_eq!(command_length(16), Ok(16));
        assert_eq!(command_length(u32::MAX as usize), Ok(u32::MAX));
        if let Some(len) = (u32::MAX as usize).checked_add(1) {
            let err = command_length(len).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::CommandLengthOverflow { len });
        }
    }

    /// The header-only fast path of `Pdu::parse` agrees with the general
    /// path for every command id, status and length.
    #[test]
    fn the_keepalive_path_agrees_with_the_general_path() {
        let ids = CommandId::ALL
            .iter()
            .map(|id| id.0)
            .chain([0x0000_0099, 0x8000_0099]);
        for id in ids {
            for status in [0u32, 0x45, 0x400] {
                for command_length in [16u32, 17, 15] {
                    let mut frame = [0u8; 16];
                    frame[..4].copy_from_slice(&command_length.to_be_bytes());
                    frame[4..8].copy_from_slice(&id.to_be_bytes());
                    frame[8..12].copy_from_slice(&status.to_be_bytes());
                    frame[12..].copy_from_slice(&7u32.to_be_bytes());
                    assert_eq!(
                        Pdu::parse(&frame),
                        Pdu::parse_frame(&frame),
                        "id {id:#x} status {status:#x} length {command_length}"
                    );
                }
            }
        }
    }
}
