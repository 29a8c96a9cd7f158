//! The v5.0 cell broadcast operations: `broadcast_sm` (SMPP v5.0 4.4.1),
//! `query_broadcast_sm` (its body is that of `query_sm`),
//! `query_broadcast_sm_resp` (a `message_id` and TLVs) and
//! `cancel_broadcast_sm` (v5.0 4.6). SMPP v3.4 has none of them.
//! `broadcast_sm_resp` is [`super::BroadcastSmResp`].

use crate::error::Error;
use crate::fields::{
    MESSAGE_ID, SCHEDULE_DELIVERY_TIME, SERVICE_TYPE, SOURCE_ADDR, VALIDITY_PERIOD,
};
use crate::tlv::TlvTag;
use crate::values::{DataCoding, PriorityFlag, ReplaceIfPresentFlag};
use crate::wire::read::finish;

use super::{QuerySm, SubmitSmResp};

/// `query_broadcast_sm` (SMPP v5.0 4.6.1) has the body of
/// `query_sm`: see [`QuerySm`]. The broadcast is named by the `message_id`
/// of its `broadcast_sm_resp`, or, with an empty `message_id`, by the
/// `user_message_reference` TLV the ESME gave it.
/// [`Body::QueryBroadcastSm`](super::Body::QueryBroadcastSm) gives the
/// `command_id`.
///
/// ```
/// use smpp_core::{Body, Pdu, QueryBroadcastSm, TlvBuf, TlvTag};
///
/// let mut tlvs = TlvBuf::<8>::new();
/// tlvs.push_u16(TlvTag::USER_MESSAGE_REFERENCE, 0x1234).unwrap();
/// let query = QueryBroadcastSm { tlvs: tlvs.tlvs(), ..QueryBroadcastSm::default() };
/// let pdu = Pdu::new(8, Body::QueryBroadcastSm(query));
/// let mut buf = [0u8; 32];
/// let n = pdu.emit(&mut buf).unwrap();
///
/// let back = Pdu::parse(&buf[..n]).unwrap();
/// assert_eq!(back, pdu);
/// let Body::QueryBroadcastSm(q) = back.body else { unreachable!() };
/// assert!(q.message_id.is_empty());
/// let reference = q.tlvs.get(TlvTag::USER_MESSAGE_REFERENCE).and_then(|t| t.as_u16());
/// assert_eq!(reference, Some(0x1234));
/// ```
pub type QueryBroadcastSm<B> = QuerySm<B>;

/// `query_broadcast_sm_resp` (SMPP v5.0 4.6.1) is a `message_id`
/// and TLVs, of which `message_state`, `broadcast_area_identifier` and
/// `broadcast_area_success` are mandatory
/// ([`QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS`]).
///
/// # The mandatory TLVs are checked by `Body` and `Pdu` only
///
/// This is an alias of [`SubmitSmResp`], so the methods called on the
/// struct itself (`QueryBroadcastSmResp::parse`, `validate`, `emit`) are
/// those of `submit_sm_resp`: they do **not** require the three mandatory
/// TLVs. Only the [`Body::QueryBroadcastSmResp`](super::Body::QueryBroadcastSmResp)
/// variant carries the `command_id` that asks for them, so the checks run
/// in [`Body::parse`](super::Body::parse), [`Body::validate`](super::Body::validate),
/// [`Body::emit`](super::Body::emit), [`Pdu::parse`](super::Pdu::parse),
/// [`Pdu::validate`](super::Pdu::validate) and [`Pdu::emit`](super::Pdu::emit):
/// with `command_status` 0 a missing one is an error (`ESME_RMISSINGTLV`);
/// an error response (any other status) needs none of them. To check a
/// bare struct, look its TLVs up against
/// [`QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS`], or wrap it in the variant.
///
/// ```
/// use smpp_core::{Body, COctet, CommandStatus, Pdu, QueryBroadcastSmResp, TlvBuf, TlvTag, Tlvs};
/// use smpp_core::QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS;
///
/// let bare = QueryBroadcastSmResp { message_id: COctet::from("BC123"), tlvs: Tlvs::EMPTY };
/// // The struct's own methods do not ask for the mandatory TLVs...
/// assert!(bare.validate().is_ok());
/// let mut buf = [0u8; 64];
/// assert_eq!(bare.emit(&mut buf), Ok(6));
/// assert!(QueryBroadcastSmResp::parse(&buf[..6]).is_ok());
/// // ...the Body and the Pdu do, in a successful response...
/// let body = Body::QueryBroadcastSmResp(Some(bare));
/// assert_eq!(body.validate().unwrap_err().command_status(), CommandStatus::ESME_RMISSINGTLV);
/// let err = Pdu::new(8, body).emit(&mut buf).unwrap_err();
/// assert_eq!(err.command_status(), CommandStatus::ESME_RMISSINGTLV);
/// // ...and not in an error response.
/// let failed = Pdu::new(8, body).with_status(CommandStatus::ESME_RBCASTQUERYFAIL);
/// let n = failed.emit(&mut buf).unwrap();
/// assert_eq!(Pdu::parse(&buf[..n]).unwrap(), failed);
///
/// // A successful response carries all three.
/// let mut tlvs = TlvBuf::<32>::new();
/// tlvs.push_u8(TlvTag::MESSAGE_STATE, 1).unwrap(); // ENROUTE
/// tlvs.push(TlvTag::BROADCAST_AREA_IDENTIFIER, b"\x00ZONE-A").unwrap(); // format 0: a name
/// tlvs.push_u8(TlvTag::BROADCAST_AREA_SUCCESS, 80).unwrap(); // percent
/// let resp = QueryBroadcastSmResp { message_id: COctet::from("BC123"), tlvs: tlvs.tlvs() };
/// let pdu = Pdu::new(8, Body::QueryBroadcastSmResp(Some(resp)));
/// let n = pdu.emit(&mut buf).unwrap();
///
/// let back = Pdu::parse(&buf[..n]).unwrap();
/// assert_eq!(back, pdu);
/// let Body::QueryBroadcastSmResp(Some(r)) = back.body else { unreachable!() };
/// assert!(QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS.iter().all(|&tag| r.tlvs.get(tag).is_some()));
/// assert_eq!(r.tlvs.get(TlvTag::BROADCAST_AREA_SUCCESS).and_then(|t| t.as_u8()), Some(80));
/// ```
pub type QueryBroadcastSmResp<B> = SubmitSmResp<B>;

/// The TLVs `broadcast_sm` must carry, in any order among its
/// TLVs: checked by [`BroadcastSm::parse`], [`BroadcastSm::validate`] and
/// [`BroadcastSm::emit`] (`ESME_RMISSINGTLV` names the first one missing).
pub const BROADCAST_SM_MANDATORY_TLVS: [TlvTag; 4] = [
    TlvTag::BROADCAST_AREA_IDENTIFIER,
    TlvTag::BROADCAST_CONTENT_TYPE,
    TlvTag::BROADCAST_REP_NUM,
    TlvTag::BROADCAST_FREQUENCY_INTERVAL,
];

/// The TLVs `query_broadcast_sm_resp` must carry when its
/// `command_status` is 0. [`Body`](super::Body) and [`Pdu`](super::Pdu)
/// check them; the methods of [`QueryBroadcastSmResp`] itself do not (see
/// there).
pub const QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS: [TlvTag; 3] = [
    TlvTag::MESSAGE_STATE,
    TlvTag::BROADCAST_AREA_IDENTIFIER,
    TlvTag::BROADCAST_AREA_SUCCESS,
];

/// Parses a `query_broadcast_sm_resp` body whose mandatory TLVs are
/// checked in the walk that validates the TLV region.
pub(crate) fn parse_query_broadcast_resp(
    body: &[u8],
) -> Result<QueryBroadcastSmResp<&[u8]>, Error> {
    finish(SubmitSmResp::parse_fields_requiring(
        body,
        &QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS,
    ))
    .map(|(_, v)| v)
}

/// Checks that a successful `query_broadcast_sm_resp` carries its
/// mandatory TLVs (the rest of its body is checked as `submit_sm_resp`'s).
pub(crate) fn require_query_broadcast_resp_tlvs<B: AsRef<[u8]>>(
    resp: &QueryBroadcastSmResp<B>,
) -> Result<(), Error> {
    resp.tlvs
        .validate_requiring(&QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS)
}

body_struct! {
    /// The body of `broadcast_sm` (SMPP v5.0 4.4.1.1): a message
    /// for the cell broadcast of one or more areas. The text travels in
    /// `message_payload`; four TLVs are mandatory
    /// ([`BROADCAST_SM_MANDATORY_TLVS`]) and checked on parse and encode. The
    /// response is [`BroadcastSmResp`](super::BroadcastSmResp).
    ///
    /// ```
    /// use smpp_core::{BroadcastSm, Body, COctet, CommandStatus, Pdu, TlvBuf, TlvTag, Tlvs};
    ///
    /// let mut tlvs = TlvBuf::<64>::new();
    /// tlvs.push(TlvTag::BROADCAST_AREA_IDENTIFIER, b"\x00ZONE-A").unwrap(); // format 0: a name
    /// tlvs.push(TlvTag::BROADCAST_CONTENT_TYPE, &[0x00, 0x00, 0x33]).unwrap(); // generic: weather
    /// tlvs.push_u16(TlvTag::BROADCAST_REP_NUM, 5).unwrap();
    /// tlvs.push(TlvTag::BROADCAST_FREQUENCY_INTERVAL, &[0x09, 0x00, 0x0F]).unwrap(); // 15 minutes
    /// tlvs.push(TlvTag::MESSAGE_PAYLOAD, b"Storm warning").unwrap();
    /// let broadcast = BroadcastSm {
    ///     service_type: COctet::from("CBS"),
    ///     tlvs: tlvs.tlvs(),
    ///     ..BroadcastSm::default()
    /// };
    /// let pdu = Pdu::new(7, Body::BroadcastSm(broadcast));
    /// let mut buf = [0u8; 96];
    /// let n = pdu.emit(&mut buf).unwrap();
    /// assert_eq!(n, 78);
    ///
    /// let back = Pdu::parse(&buf[..n]).unwrap();
    /// assert_eq!(back, pdu);
    /// let Body::BroadcastSm(b) = back.body else { unreachable!() };
    /// assert_eq!(b.tlvs.get(TlvTag::BROADCAST_REP_NUM).and_then(|t| t.as_u16()), Some(5));
    ///
    /// // Without its mandatory TLVs it is not encoded.
    /// let bare = BroadcastSm { tlvs: Tlvs::EMPTY, ..broadcast };
    /// let err = Pdu::new(7, Body::BroadcastSm(bare)).emit(&mut buf).unwrap_err();
    /// assert_eq!(err.command_status(), CommandStatus::ESME_RMISSINGTLV);
    /// ```
    pub struct BroadcastSm {
        service_type,
        source_addr(21 = SOURCE_ADDR),
        message_id(": a broadcast to replace, else empty"),
        int {
            priority_flag: PriorityFlag = PriorityFlag,
        },
        delivery_times,
        int {
            replace_if_present_flag: ReplaceIfPresentFlag = ReplaceIfPresentFlag,
            data_coding: DataCoding = DataCoding,
            sm_default_msg_id: u8 = SmDefaultMsgId,
        },
        /// TLVs, the mandatory broadcast ones among them.
        tlvs(BROADCAST_SM_MANDATORY_TLVS),
    }
    fields __broadcast_sm_fields
}

body_struct! {
    /// The body of `cancel_broadcast_sm` (SMPP v5.0 4.6.2.1): the
    /// ESME stops a broadcast, named by the `message_id` of its
    /// `broadcast_sm_resp` or, with an empty `message_id`, by the
    /// `user_message_reference` TLV. The response, `cancel_broadcast_sm_resp`,
    /// is header only.
    ///
    /// ```
    /// use smpp_core::{Body, COctet, CancelBroadcastSm, Pdu};
    ///
    /// let cancel = CancelBroadcastSm { message_id: COctet::from("BC123"), ..CancelBroadcastSm::default() };
    /// let pdu = Pdu::new(9, Body::CancelBroadcastSm(cancel));
    /// let mut buf = [0u8; 32];
    /// let n = pdu.emit(&mut buf).unwrap();
    /// assert_eq!(n, 16 + 1 + 6 + 2 + 1);
    ///
    /// let back = Pdu::parse(&buf[..n]).unwrap();
    /// assert_eq!(back, pdu);
    /// let Body::CancelBroadcastSm(c) = back.body else { unreachable!() };
    /// assert_eq!(c.message_id.to_str(), Some("BC123"));
    /// assert!(c.tlvs.is_empty());
    /// ```
    pub struct CancelBroadcastSm {
        service_type,
        message_id("; empty when `user_message_reference` is used"),
        source_addr(21 = SOURCE_ADDR),
        /// TLVs (`broadcast_content_type`, `user_message_reference`).
        tlvs,
    }
    fields __cancel_broadcast_sm_fields
}
