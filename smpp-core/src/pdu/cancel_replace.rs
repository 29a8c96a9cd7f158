//! `cancel_sm` and `replace_sm` (SMPP v3.4 4.9 and 4.10, v5.0 4.5.1 and
//! 4.5.3). Their responses are header only (TLVs allowed in v5.0).

use crate::fields::{
    DESTINATION_ADDR, MESSAGE_ID, SCHEDULE_DELIVERY_TIME, SERVICE_TYPE, SOURCE_ADDR,
    VALIDITY_PERIOD,
};
use crate::values::RegisteredDelivery;

body_struct! {
    /// The body of `cancel_sm` (SMPP v3.4 4.9.1, v5.0 4.5.1.1): the
    /// ESME withdraws messages still waiting in the MC, one by its
    /// `message_id`, or with an empty `message_id` all those from the source
    /// to the destination address (of the given `service_type`, if any). The
    /// response, `cancel_sm_resp`, is header only.
    ///
    /// ```
    /// use smpp_core::{Body, COctet, CancelSm, Npi, Pdu, Ton};
    ///
    /// let cancel = CancelSm {
    ///     message_id: COctet::from("12345"),
    ///     source_addr_ton: Ton::INTERNATIONAL,
    ///     source_addr_npi: Npi::ISDN,
    ///     source_addr: COctet::from("40404"),
    ///     dest_addr_ton: Ton::INTERNATIONAL,
    ///     dest_addr_npi: Npi::ISDN,
    ///     destination_addr: COctet::from("44951361920"),
    ///     ..CancelSm::default()
    /// };
    /// let pdu = Pdu::new(20456, Body::CancelSm(cancel));
    /// let mut buf = [0u8; 64];
    /// let n = pdu.emit(&mut buf).unwrap();
    /// assert_eq!(n, 45);
    ///
    /// let back = Pdu::parse(&buf[..n]).unwrap();
    /// assert_eq!(back, pdu);
    /// let Body::CancelSm(c) = back.body else { unreachable!() };
    /// assert_eq!(c.destination_addr.to_str(), Some("44951361920"));
    /// ```
    pub struct CancelSm {
        service_type,
        message_id("; empty to cancel by addresses"),
        source_addr(21 = SOURCE_ADDR),
        destination_addr(21 = DESTINATION_ADDR),
        /// TLVs: none are defined; unknown ones are kept.
        tlvs,
    }
    fields __cancel_sm_fields
}

body_struct! {
    /// The body of `replace_sm` (SMPP v3.4 4.10.1, v5.0 4.5.3.1):
    /// the ESME replaces the text (and optionally the times and
    /// `registered_delivery`) of a message still waiting in the MC. There is
    /// no `service_type` here. `sm_length` is not stored: it is
    /// `short_message.len()`. The response, `replace_sm_resp`, is header only.
    ///
    /// ```
    /// use smpp_core::{Body, COctet, Npi, Pdu, RegisteredDelivery, ReplaceSm, Ton};
    ///
    /// let replace = ReplaceSm {
    ///     message_id: COctet::from("msg-12345"),
    ///     source_addr_ton: Ton::INTERNATIONAL,
    ///     source_addr_npi: Npi::ISDN,
    ///     source_addr: COctet::from("5552710000"),
    ///     // Relative time: valid for one more hour.
    ///     validity_period: COctet::from("000000010000000R"),
    ///     registered_delivery: RegisteredDelivery::RECEIPT_ON_FINAL,
    ///     short_message: b"new text",
    ///     ..ReplaceSm::default()
    /// };
    /// let pdu = Pdu::new(20456, Body::ReplaceSm(replace));
    /// let mut buf = [0u8; 80];
    /// let n = pdu.emit(&mut buf).unwrap();
    ///
    /// let back = Pdu::parse(&buf[..n]).unwrap();
    /// assert_eq!(back, pdu);
    /// let Body::ReplaceSm(r) = back.body else { unreachable!() };
    /// assert_eq!(r.short_message, b"new text");
    /// assert_eq!(r.validity_period.to_str(), Some("000000010000000R"));
    /// ```
    pub struct ReplaceSm {
        message_id,
        source_addr(21 = SOURCE_ADDR),
        delivery_times("; empty keeps the original"),
        int {
            registered_delivery: RegisteredDelivery = RegisteredDelivery,
            sm_default_msg_id: u8 = SmDefaultMsgId,
        },
        short_message,
        /// TLVs (`message_payload` in v5.0).
        tlvs,
    }
    fields __replace_sm_fields
}
