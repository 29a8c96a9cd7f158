//! Owned PDUs: the core's PDU types with [`Bytes`] storage.
//!
//! Every body type of `smpp-core` is generic over its storage. Here the
//! storage is [`Bytes`], a reference-counted slice: a PDU made from a
//! received [`Frame`](crate::Frame) points into the frame's buffer (no field
//! is copied), is cheap to clone, and is `Send + Sync + 'static`, so it can be
//! handed to other tasks and threads.

use bytes::Bytes;
use smpp_core::{Error, Reply};

/// An owned PDU of any command.
pub type Pdu = smpp_core::Pdu<Bytes>;
/// An owned [`smpp_core::ValidPdu`]: a PDU known to keep every rule,
/// which encodes without being checked again.
pub type ValidPdu = smpp_core::ValidPdu<Bytes>;
/// An owned PDU body (one variant per `command_id`).
pub type Body = smpp_core::Body<Bytes>;
/// An owned TLV region.
pub type Tlvs = smpp_core::Tlvs<Bytes>;
/// An owned C-Octet String.
pub type COctet = smpp_core::COctet<Bytes>;
/// `bind_transmitter`, `bind_receiver`, `bind_transceiver` body.
pub type Bind = smpp_core::Bind<Bytes>;
/// The bind responses' body.
pub type BindResp = smpp_core::BindResp<Bytes>;
/// `outbind` body.
pub type Outbind = smpp_core::Outbind<Bytes>;
/// `submit_sm` body.
pub type SubmitSm = smpp_core::SubmitSm<Bytes>;
/// `deliver_sm` body.
pub type DeliverSm = smpp_core::DeliverSm<Bytes>;
/// `submit_sm_resp` body.
pub type SubmitSmResp = smpp_core::SubmitSmResp<Bytes>;
/// `deliver_sm_resp` body.
pub type DeliverSmResp = smpp_core::DeliverSmResp<Bytes>;
/// `data_sm` body.
pub type DataSm = smpp_core::DataSm<Bytes>;
/// `data_sm_resp` body.
pub type DataSmResp = smpp_core::DataSmResp<Bytes>;
/// `submit_multi` body.
pub type SubmitMulti = smpp_core::SubmitMulti<Bytes>;
/// `submit_multi_resp` body.
pub type SubmitMultiResp = smpp_core::SubmitMultiResp<Bytes>;
/// The `dest_address` list of `submit_multi`.
pub type DestAddresses = smpp_core::DestAddresses<Bytes>;
/// The `unsuccess_sme` list of `submit_multi_resp`.
pub type UnsuccessSmes = smpp_core::UnsuccessSmes<Bytes>;
/// `query_sm` body.
pub type QuerySm = smpp_core::QuerySm<Bytes>;
/// `query_sm_resp` body.
pub type QuerySmResp = smpp_core::QuerySmResp<Bytes>;
/// `cancel_sm` body.
pub type CancelSm = smpp_core::CancelSm<Bytes>;
/// `replace_sm` body.
pub type ReplaceSm = smpp_core::ReplaceSm<Bytes>;
/// `broadcast_sm` body.
pub type BroadcastSm = smpp_core::BroadcastSm<Bytes>;
/// `broadcast_sm_resp` body.
pub type BroadcastSmResp = smpp_core::BroadcastSmResp<Bytes>;
/// `query_broadcast_sm` body.
pub type QueryBroadcastSm = smpp_core::QueryBroadcastSm<Bytes>;
/// `query_broadcast_sm_resp` body.
pub type QueryBroadcastSmResp = smpp_core::QueryBroadcastSmResp<Bytes>;
/// `cancel_broadcast_sm` body.
pub type CancelBroadcastSm = smpp_core::CancelBroadcastSm<Bytes>;
/// `alert_notification` body.
pub type AlertNotification = smpp_core::AlertNotification<Bytes>;

/// Parses one whole frame into an owned PDU whose fields are slices of
/// `frame` (reference counts, no copies).
///
/// ```
/// use bytes::Bytes;
/// use smpp_core::Body;
///
/// let frame = Bytes::from_static(&[0, 0, 0, 16, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 3]);
/// let pdu = smpp_std::parse_owned(&frame).unwrap();
/// assert_eq!(pdu.body, Body::Unbind);
/// assert_eq!(pdu.sequence_number, 3);
/// ```
pub fn parse_owned(frame: &Bytes) -> Result<Pdu, Error> {
    Ok(smpp_core::Pdu::parse(frame)?.map(|s| frame.slice_ref(s)))
}

/// Parses one whole frame as [`parse_owned`] does, but keeps a PDU whose
/// `command_id` the specification does not define (a vendor id, a future
/// one) with its body as [`smpp_core::Body::Raw`] instead of failing with
/// `ESME_RINVCMDID` (see [`smpp_core::Pdu::parse_any`]). It re-encodes to
/// `frame`.
///
/// ```
/// use bytes::Bytes;
/// use smpp_core::{Body, CommandId};
///
/// // A vendor request 0x00010200 with a two-octet body.
/// let frame = Bytes::from_static(&[0, 0, 0, 18, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0xAB, 0xCD]);
/// assert!(smpp_std::parse_owned(&frame).is_err());
/// let pdu = smpp_std::parse_owned_any(&frame).unwrap();
/// assert_eq!(pdu.command_id(), CommandId(0x0001_0200));
/// assert!(matches!(pdu.body, Body::Raw(raw) if raw.octets == [0xAB, 0xCD][..]));
/// ```
pub fn parse_owned_any(frame: &Bytes) -> Result<Pdu, Error> {
    Ok(smpp_core::Pdu::parse_any(frame)?.map(|s| frame.slice_ref(s)))
}

/// The PDU to send for a [`Reply`]: the response (or `generic_nack`) with
/// the reply's status and sequence number and no body.
///
/// ```
/// use smpp_core::{CommandId, CommandStatus, Reply};
///
/// let reply = Reply {
///     command_id: CommandId::SUBMIT_SM_RESP,
///     command_status: CommandStatus::ESME_RINVSRCADR,
///     sequence_number: 9,
/// };
/// let pdu = smpp_std::reply_pdu(&reply);
/// assert_eq!(pdu.command_id(), CommandId::SUBMIT_SM_RESP);
/// assert_eq!(pdu.encoded_len(), 16);
/// ```
pub fn reply_pdu(reply: &Reply) -> Pdu {
    // Every response id parses from an empty body (no body / no TLVs); any
    // other id gets a generic_nack.
    let body = smpp_core::Body::parse(reply.command_id, &[])
        .ok()
        .filter(|b| b.command_id().is_response())
        .unwrap_or(smpp_core::Body::GenericNack(smpp_core::Tlvs::EMPTY))
        .map(|_: &[u8]| Bytes::new());
    smpp_core::Pdu::new(reply.sequence_number, body).with_status(reply.command_status)
}
