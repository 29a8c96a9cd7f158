//! `query_sm` and `query_sm_resp` (SMPP v3.4 4.8, v5.0 4.5.2). The body of
//! `query_sm` is also that of `query_broadcast_sm` (see
//! [`super::QueryBroadcastSm`]).

use crate::fields::{FINAL_DATE, MESSAGE_ID, SOURCE_ADDR};
use crate::types::COctet;
use crate::values::MessageState;

body_struct! {
    /// The body of `query_sm` (SMPP v3.4 4.8.1, v5.0 4.5.2.1): the
    /// ESME asks for the state of a message it submitted, naming it by the
    /// `message_id` the MC returned and the source address it was sent from.
    /// [`QueryBroadcastSm`](super::QueryBroadcastSm) is the same body.
    ///
    /// ```
    /// use smpp_core::{Body, COctet, Npi, Pdu, QuerySm, Ton};
    ///
    /// let query = QuerySm {
    ///     message_id: COctet::from("12345"),
    ///     source_addr_ton: Ton::INTERNATIONAL,
    ///     source_addr_npi: Npi::ISDN,
    ///     source_addr: COctet::from("40404"),
    ///     ..QuerySm::default()
    /// };
    /// let pdu = Pdu::new(20456, Body::QuerySm(query));
    /// let mut buf = [0u8; 32];
    /// let n = pdu.emit(&mut buf).unwrap();
    /// assert_eq!(n, 16 + 6 + 2 + 6);
    ///
    /// let back = Pdu::parse(&buf[..n]).unwrap();
    /// assert_eq!(back, pdu);
    /// let Body::QuerySm(q) = back.body else { unreachable!() };
    /// assert_eq!(q.message_id.to_str(), Some("12345"));
    /// ```
    pub struct QuerySm {
        message_id,
        source_addr(21 = SOURCE_ADDR),
        /// TLVs: none are defined; unknown ones are kept.
        tlvs,
    }
    fields __query_sm_fields
}

body_struct! {
    /// The body of `query_sm_resp` (SMPP v3.4 4.8.2, v5.0 4.5.2.2):
    /// the message's state, and when it reached a final one.
    ///
    /// In a [`Body`](super::Body) it is an `Option`: an error response usually
    /// has no body at all (`None`, `command_length` 16), and one cut short
    /// after `message_id` is kept as a [`RawBody`](super::RawBody).
    ///
    /// ```
    /// use smpp_core::{Body, COctet, MessageState, Pdu, QuerySmResp};
    ///
    /// let resp = QuerySmResp {
    ///     message_id: COctet::from("12345"),
    ///     // Absolute time: 2025-01-01 12:00:00.0, UTC.
    ///     final_date: COctet::from("250101120000000+"),
    ///     message_state: MessageState::DELIVERED,
    ///     ..QuerySmResp::default()
    /// };
    /// let pdu = Pdu::new(20456, Body::QuerySmResp(Some(resp)));
    /// let mut buf = [0u8; 48];
    /// let n = pdu.emit(&mut buf).unwrap();
    ///
    /// let back = Pdu::parse(&buf[..n]).unwrap();
    /// assert_eq!(back, pdu);
    /// let Body::QuerySmResp(Some(r)) = back.body else { unreachable!() };
    /// assert!(r.message_state.is_final());
    /// assert_eq!(r.final_date.to_str(), Some("250101120000000+"));
    /// ```
    pub struct QuerySmResp {
        message_id,
        /// `final_date`: empty until the message reaches a final state, then an
        /// absolute SMPP time.
        final_date: COctet<B> = cstr(FINAL_DATE),
        int {
            message_state: MessageState = MessageState,
            /// `error_code`: network error code, 0 if none.
            error_code: u8 = ErrorCode,
        },
        /// TLVs (`congestion_state` in v5.0).
        tlvs,
    }
    fields __query_sm_resp_fields
}
