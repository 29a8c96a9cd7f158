//! `submit_sm` and `deliver_sm` (one body layout), and the responses that
//! carry a `message_id` and TLVs: `submit_sm_resp`, `deliver_sm_resp`,
//! `data_sm_resp`, `broadcast_sm_resp` (SMPP v3.4 4.4, 4.6 and 4.7.2; v5.0
//! 4.2.1, 4.2.2.2, 4.3.1 and 4.4.1.2). `query_broadcast_sm_resp` has the same
//! layout (see [`super::QueryBroadcastSmResp`]).

use crate::fields::{
    DESTINATION_ADDR, MESSAGE_ID, SCHEDULE_DELIVERY_TIME, SERVICE_TYPE, SOURCE_ADDR,
    VALIDITY_PERIOD,
};
use crate::tlv::TlvTag;
use crate::wire::read::Res;

use super::tlvs_tail_requiring;

body_struct! {
    /// The body of `submit_sm` (ESME to MC; SMPP v3.4 4.4.1, v5.0 4.2.1.1) and
    /// `deliver_sm` (MC to ESME, delivery receipts included; v3.4 4.6.1, v5.0
    /// 4.3.1.1).
    ///
    /// `sm_length` is not stored: it is `short_message.len()`, checked on parse
    /// and written on encode.
    ///
    /// ```
    /// use smpp_core::{Body, COctet, Npi, Pdu, SubmitSm, Ton};
    ///
    /// let submit = SubmitSm {
    ///     source_addr_ton: Ton::ALPHANUMERIC,
    ///     source_addr: COctet::from("INFO"),
    ///     dest_addr_ton: Ton::INTERNATIONAL,
    ///     dest_addr_npi: Npi::ISDN,
    ///     destination_addr: COctet::from("447700900123"),
    ///     short_message: b"Hello",
    ///     ..SubmitSm::default()
    /// };
    /// let pdu = Pdu::new(7, Body::SubmitSm(submit));
    /// let mut buf = [0u8; 256];
    /// let n = pdu.emit(&mut buf).unwrap();
    /// assert_eq!(n, pdu.encoded_len());
    ///
    /// let back = Pdu::parse(&buf[..n]).unwrap();
    /// assert_eq!(back, pdu);
    /// let Body::SubmitSm(sm) = back.body else { unreachable!() };
    /// assert_eq!(sm.short_message, b"Hello");
    /// ```
    pub struct SubmitSm {
        submit {
            destination_addr(21 = DESTINATION_ADDR),
        },
    }
    fields __submit_sm_fields
}

/// `deliver_sm` (SMPP v3.4 4.6.1, v5.0 4.3.1.1) has the same body as
/// `submit_sm`: see [`SubmitSm`]. [`Body::DeliverSm`](super::Body::DeliverSm)
/// gives it its `command_id`.
///
/// A delivery receipt is a `deliver_sm` with the receipt bit of `esm_class`
/// set (see [`crate::receipt`] for its text):
///
/// ```
/// use smpp_core::{Body, COctet, DeliverSm, EsmClass, MessageState, Pdu, TlvBuf, TlvTag};
///
/// let mut tlvs = TlvBuf::<32>::new();
/// tlvs.push_cstr(TlvTag::RECEIPTED_MESSAGE_ID, b"38601fa").unwrap();
/// tlvs.push_u8(TlvTag::MESSAGE_STATE, MessageState::DELIVERED.0).unwrap();
/// let receipt = DeliverSm {
///     source_addr: COctet::from("44951361920"),
///     destination_addr: COctet::from("40404"),
///     esm_class: EsmClass::DELIVERY_RECEIPT,
///     short_message: b"id:38601fa stat:DELIVRD",
///     tlvs: tlvs.tlvs(),
///     ..DeliverSm::default()
/// };
/// let pdu = Pdu::new(2, Body::DeliverSm(receipt));
/// let mut buf = [0u8; 128];
/// let n = pdu.emit(&mut buf).unwrap();
///
/// let back = Pdu::parse(&buf[..n]).unwrap();
/// assert_eq!(back, pdu);
/// let Body::DeliverSm(d) = back.body else { unreachable!() };
/// assert!(d.esm_class.is_delivery_receipt());
/// let id = d.tlvs.get(TlvTag::RECEIPTED_MESSAGE_ID).map(|t| t.as_cstr());
/// assert_eq!(id, Some(&b"38601fa"[..]));
/// ```
pub type DeliverSm<B> = SubmitSm<B>;

body_struct! {
    /// A response body of a `message_id` then TLVs: `submit_sm_resp` (SMPP v3.4
    /// 4.4.2, v5.0 4.2.1.2), and under the aliases [`DeliverSmResp`],
    /// [`DataSmResp`] and [`BroadcastSmResp`] (and
    /// [`QueryBroadcastSmResp`](super::QueryBroadcastSmResp)) the bodies of
    /// `deliver_sm_resp`, `data_sm_resp`, `broadcast_sm_resp` and
    /// `query_broadcast_sm_resp`, which share this layout. All allow 65 octets
    /// for `message_id`; the [`Body`](super::Body) variant gives the
    /// `command_id`.
    ///
    /// In a [`Body`](super::Body) it is an `Option`: an error response usually
    /// has no body at all (`None`, `command_length` 16).
    ///
    /// ```
    /// use smpp_core::{Body, COctet, CommandStatus, DeliverSmResp, Pdu, SubmitSmResp};
    ///
    /// let resp = SubmitSmResp {
    ///     message_id: COctet::from("94258431594"),
    ///     ..SubmitSmResp::default()
    /// };
    /// let pdu = Pdu::new(171192033, Body::SubmitSmResp(Some(resp)));
    /// let mut buf = [0u8; 32];
    /// let n = pdu.emit(&mut buf).unwrap();
    /// assert_eq!(n, 16 + 12);
    ///
    /// let back = Pdu::parse(&buf[..n]).unwrap();
    /// assert_eq!(back, pdu);
    /// let Body::SubmitSmResp(Some(r)) = back.body else { unreachable!() };
    /// assert_eq!(r.message_id.to_str(), Some("94258431594"));
    ///
    /// // deliver_sm_resp: the same struct; its message_id is left empty.
    /// let ack = Pdu::new(3, Body::DeliverSmResp(Some(DeliverSmResp::<&[u8]>::default())));
    /// let n = ack.emit(&mut buf).unwrap();
    /// assert_eq!(buf[16..n], [0]);
    /// assert_eq!(Pdu::parse(&buf[..n]).unwrap(), ack);
    ///
    /// // A refused submit_sm: header only.
    /// let refused = Pdu::new(4, Body::SubmitSmResp(None::<SubmitSmResp<&[u8]>>))
    ///     .with_status(CommandStatus::ESME_RMSGQFUL);
    /// assert_eq!(refused.emit(&mut buf), Ok(16));
    /// ```
    pub struct SubmitSmResp {
        message_id(". Empty in `deliver_sm_resp`"),
        /// The TLVs (v5.0 response TLVs, `congestion_state`, delivery failure
        /// details in `data_sm_resp`).
        tlvs,
    }
    fields __submit_sm_resp_fields
}

/// `deliver_sm_resp` (SMPP v3.4 4.6.2, v5.0 4.3.1.2) has the body of
/// `submit_sm_resp`: see [`SubmitSmResp`] (and its example). The
/// `message_id` is unused and left empty;
/// [`Body::DeliverSmResp`](super::Body::DeliverSmResp) gives the
/// `command_id`.
pub type DeliverSmResp<B> = SubmitSmResp<B>;
/// `data_sm_resp` (SMPP v3.4 4.7.2, v5.0 4.2.2.2) has the body of
/// `submit_sm_resp`: see [`SubmitSmResp`].
/// [`Body::DataSmResp`](super::Body::DataSmResp) gives the `command_id`.
///
/// In transaction mode an error response may carry the body, with TLVs
/// telling why delivery failed:
///
/// ```
/// use smpp_core::{Body, CommandStatus, DataSmResp, Pdu, TlvBuf, TlvTag};
///
/// let mut tlvs = TlvBuf::<16>::new();
/// // delivery_failure_reason: 3 = temporary network error.
/// tlvs.push_u8(TlvTag::DELIVERY_FAILURE_REASON, 3).unwrap();
/// let resp = DataSmResp { tlvs: tlvs.tlvs(), ..DataSmResp::default() };
/// let pdu = Pdu::new(9, Body::DataSmResp(Some(resp)))
///     .with_status(CommandStatus::ESME_RDELIVERYFAILURE);
/// let mut buf = [0u8; 32];
/// let n = pdu.emit(&mut buf).unwrap();
///
/// let back = Pdu::parse(&buf[..n]).unwrap();
/// assert_eq!(back, pdu);
/// let Body::DataSmResp(Some(r)) = back.body else { unreachable!() };
/// let reason = r.tlvs.get(TlvTag::DELIVERY_FAILURE_REASON).and_then(|t| t.as_u8());
/// assert_eq!(reason, Some(3));
/// ```
pub type DataSmResp<B> = SubmitSmResp<B>;
/// `broadcast_sm_resp` (SMPP v5.0 4.4.1.2) has the body of `submit_sm_resp`:
/// see [`SubmitSmResp`]. Its TLVs may name the areas that failed
/// (`broadcast_area_identifier`, each paired with a
/// `broadcast_error_status`).
/// [`Body::BroadcastSmResp`](super::Body::BroadcastSmResp) gives the
/// `command_id`.
///
/// ```
/// use smpp_core::{Body, BroadcastSmResp, COctet, Pdu};
///
/// let resp = BroadcastSmResp { message_id: COctet::from("BC123"), ..BroadcastSmResp::default() };
/// let pdu = Pdu::new(7, Body::BroadcastSmResp(Some(resp)));
/// let mut buf = [0u8; 32];
/// let n = pdu.emit(&mut buf).unwrap();
/// assert_eq!(&buf[4..8], [0x80, 0x00, 0x01, 0x11]);
///
/// let back = Pdu::parse(&buf[..n]).unwrap();
/// assert_eq!(back, pdu);
/// let Body::BroadcastSmResp(Some(r)) = back.body else { unreachable!() };
/// assert_eq!(r.message_id.to_str(), Some("BC123"));
/// ```
pub type BroadcastSmResp<B> = SubmitSmResp<B>;

impl<'a> SubmitSmResp<&'a [u8]> {
    /// The body, whose TLVs must include every tag of `required`
    /// (`query_broadcast_sm_resp`).
    pub(crate) fn parse_fields_requiring<const N: usize>(
        i: &'a [u8],
        required: &[TlvTag; N],
    ) -> Res<'a, Self> {
        let (i, message_id) = MESSAGE_ID.read(i)?;
        let (i, tlvs) = tlvs_tail_requiring(i, required)?;
        Ok((i, Self { message_id, tlvs }))
    }
}
