//! `alert_notification` (SMPP v3.4 4.12.1, v5.0 4.1.3.1): the MC
//! reports that a subscriber became available. It has no response PDU.

use crate::fields::{ESME_ADDR, SOURCE_ADDR_65};

body_struct! {
    /// The body of `alert_notification` (SMPP v3.4 4.12.1, v5.0 4.1.3.1), sent
    /// by the MC when a subscriber for whom an ESME set
    /// `set_dpf` becomes available. Both addresses allow 65 octets (NUL
    /// included), not the 21 of `submit_sm`. No response PDU exists.
    ///
    /// ```
    /// use smpp_core::{AlertNotification, Body, COctet, Npi, Pdu, TlvBuf, TlvTag, Ton};
    ///
    /// let mut tlvs = TlvBuf::<8>::new();
    /// // ms_availability_status: 0 = available.
    /// tlvs.push_u8(TlvTag::MS_AVAILABILITY_STATUS, 0).unwrap();
    /// let alert = AlertNotification {
    ///     source_addr_ton: Ton::INTERNATIONAL,
    ///     source_addr_npi: Npi::ISDN,
    ///     source_addr: COctet::from("447700900123"),
    ///     esme_addr_ton: Ton::INTERNATIONAL,
    ///     esme_addr_npi: Npi::ISDN,
    ///     esme_addr: COctet::from("12025550100"),
    ///     tlvs: tlvs.tlvs(),
    /// };
    /// let pdu = Pdu::new(3, Body::AlertNotification(alert));
    /// let mut buf = [0u8; 64];
    /// let n = pdu.emit(&mut buf).unwrap();
    /// assert_eq!(n, pdu.encoded_len());
    ///
    /// let back = Pdu::parse(&buf[..n]).unwrap();
    /// assert_eq!(back, pdu);
    /// let Body::AlertNotification(a) = back.body else { unreachable!() };
    /// assert_eq!(a.source_addr.to_str(), Some("447700900123"));
    /// let status = a.tlvs.get(TlvTag::MS_AVAILABILITY_STATUS).and_then(|t| t.as_u8());
    /// assert_eq!(status, Some(0));
    /// ```
    pub struct AlertNotification {
        source_addr(65 = SOURCE_ADDR_65, ": the subscriber now available"),
        esme_addr(65 = ESME_ADDR, ": the ESME that asked for the alert"),
        /// TLVs (`ms_availability_status`).
        tlvs,
    }
    fields __alert_notification_fields
}
