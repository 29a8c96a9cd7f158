//! `data_sm` (SMPP v3.4 4.7.1, v5.0 4.2.2 and 4.3.2): a message
//! with its user data in the `message_payload` TLV, in either direction.

use crate::fields::{DESTINATION_ADDR_65, SERVICE_TYPE, SOURCE_ADDR_65};
use crate::values::{DataCoding, EsmClass, RegisteredDelivery};

body_struct! {
    /// The body of `data_sm` (SMPP v3.4 4.7.1, v5.0 4.2.2.1), sent
    /// by an ESME or by the MC. It has no `short_message`: the user data goes
    /// in the `message_payload` TLV. Addresses allow 65 octets here (not 21).
    /// The response is [`DataSmResp`](super::DataSmResp).
    ///
    /// ```
    /// use smpp_core::{Body, COctet, DataSm, Npi, Pdu, RegisteredDelivery, TlvBuf, TlvTag, Ton};
    ///
    /// let mut tlvs = TlvBuf::<32>::new();
    /// tlvs.push(TlvTag::MESSAGE_PAYLOAD, b"Test").unwrap();
    /// let data = DataSm {
    ///     source_addr_ton: Ton::INTERNATIONAL,
    ///     source_addr_npi: Npi::ISDN,
    ///     source_addr: COctet::from("5552710000"),
    ///     dest_addr_npi: Npi::ISDN,
    ///     destination_addr: COctet::from("9695"),
    ///     registered_delivery: RegisteredDelivery::RECEIPT_ON_FINAL,
    ///     tlvs: tlvs.tlvs(),
    ///     ..DataSm::default()
    /// };
    /// let pdu = Pdu::new(1, Body::DataSm(data));
    /// let mut buf = [0u8; 64];
    /// let n = pdu.emit(&mut buf).unwrap();
    ///
    /// let back = Pdu::parse(&buf[..n]).unwrap();
    /// assert_eq!(back, pdu);
    /// let Body::DataSm(d) = back.body else { unreachable!() };
    /// assert_eq!(d.tlvs.get(TlvTag::MESSAGE_PAYLOAD).map(|t| t.value), Some(&b"Test"[..]));
    /// assert_eq!(d.registered_delivery, RegisteredDelivery::RECEIPT_ON_FINAL);
    /// ```
    pub struct DataSm {
        service_type,
        source_addr(65 = SOURCE_ADDR_65),
        destination_addr(65 = DESTINATION_ADDR_65),
        int {
            esm_class: EsmClass = EsmClass,
            registered_delivery: RegisteredDelivery = RegisteredDelivery,
            data_coding: DataCoding = DataCoding,
        },
        /// The TLVs, `message_payload` among them.
        tlvs,
    }
    fields __data_sm_fields
}
