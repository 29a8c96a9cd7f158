//! `bind_transmitter`, `bind_receiver`, `bind_transceiver`, their responses,
//! and `outbind` (SMPP v3.4 4.1.1-4.1.7, v5.0 4.1.1.1-4.1.1.7).

use crate::fields::{ADDRESS_RANGE, PASSWORD, SYSTEM_ID, SYSTEM_TYPE};
use crate::types::COctet;
use crate::values::{InterfaceVersion, Npi, Ton};

body_struct! {
    /// The body of the three bind requests: `bind_transmitter` (SMPP v3.4
    /// 4.1.1, v5.0 4.1.1.1), `bind_receiver` (v3.4 4.1.3, v5.0 4.1.1.3) and
    /// `bind_transceiver` (v3.4 4.1.5, v5.0 4.1.1.5).
    /// The [`Body`](super::Body) variant gives the kind of bind.
    ///
    /// The example encodes the sample PDU of SMPP v5.0 3.2.2 and reads it back.
    ///
    /// ```
    /// use smpp_core::{Bind, Body, COctet, InterfaceVersion, Npi, Pdu, Ton};
    ///
    /// let bind = Bind {
    ///     system_id: COctet::from("SMPP3TEST"),
    ///     password: COctet::from("secret08"),
    ///     system_type: COctet::from("SUBMIT1"),
    ///     interface_version: InterfaceVersion::V50,
    ///     addr_ton: Ton::INTERNATIONAL,
    ///     addr_npi: Npi::ISDN,
    ///     ..Bind::default()
    /// };
    /// let pdu = Pdu::new(1, Body::BindTransmitter(bind));
    /// let mut buf = [0u8; 64];
    /// let n = pdu.emit(&mut buf).unwrap();
    /// assert_eq!(n, 16 + 10 + 9 + 8 + 3 + 1);
    /// assert_eq!(
    ///     &buf[..n],
    ///     b"\0\0\0\x2f\0\0\0\x02\0\0\0\0\0\0\0\x01SMPP3TEST\0secret08\0SUBMIT1\0\x50\x01\x01\0"
    /// );
    ///
    /// let back = Pdu::parse(&buf[..n]).unwrap();
    /// assert_eq!(back, pdu);
    /// let Body::BindTransmitter(b) = back.body else { unreachable!() };
    /// assert_eq!(b.system_id.to_str(), Some("SMPP3TEST"));
    /// assert_eq!(b.interface_version, InterfaceVersion::V50);
    /// assert!(b.address_range.is_empty());
    /// ```
    pub struct Bind {
        /// `system_id` (max 16).
        system_id: COctet<B> = cstr(SYSTEM_ID),
        /// `password` (max 9).
        password: COctet<B> = cstr(PASSWORD),
        /// `system_type` (max 13).
        system_type: COctet<B> = cstr(SYSTEM_TYPE),
        int {
            interface_version: InterfaceVersion = InterfaceVersion,
            addr_ton: Ton = AddrTon,
            addr_npi: Npi = AddrNpi,
        },
        /// `address_range` (max 41).
        address_range: COctet<B> = cstr(ADDRESS_RANGE),
        /// TLVs: none are defined for binds; unknown ones are kept.
        tlvs,
    }
    fields __bind_fields
}

body_struct! {
    /// The body of the three bind responses: `bind_transmitter_resp` (SMPP v3.4
    /// 4.1.2, v5.0 4.1.1.2), `bind_receiver_resp` (v3.4 4.1.4, v5.0 4.1.1.4)
    /// and `bind_transceiver_resp` (v3.4 4.1.6, v5.0 4.1.1.6): the MC's
    /// `system_id` and TLVs (`sc_interface_version`).
    ///
    /// In a [`Body`](super::Body) it is an `Option`: a refused bind is usually
    /// answered with no body at all (`None`, `command_length` 16).
    ///
    /// ```
    /// use smpp_core::{BindResp, Body, COctet, CommandStatus, InterfaceVersion, Pdu};
    /// use smpp_core::{TlvBuf, TlvTag, TlvValue};
    ///
    /// let mut tlvs = TlvBuf::<8>::new();
    /// tlvs.push_value(&TlvValue::ScInterfaceVersion(InterfaceVersion::V50)).unwrap();
    /// let resp = BindResp { system_id: COctet::from("SMSC01"), tlvs: tlvs.tlvs() };
    /// let pdu = Pdu::new(2, Body::BindTransceiverResp(Some(resp)));
    /// let mut buf = [0u8; 32];
    /// let n = pdu.emit(&mut buf).unwrap();
    /// assert_eq!(n, 16 + 7 + 5);
    ///
    /// let back = Pdu::parse(&buf[..n]).unwrap();
    /// assert_eq!(back, pdu);
    /// let Body::BindTransceiverResp(Some(r)) = back.body else { unreachable!() };
    /// assert_eq!(r.system_id.to_str(), Some("SMSC01"));
    /// assert_eq!(
    ///     r.tlvs.value(TlvTag::SC_INTERFACE_VERSION),
    ///     Some(TlvValue::ScInterfaceVersion(InterfaceVersion::V50))
    /// );
    ///
    /// // A refused bind: header only.
    /// let refused = Pdu::new(2, Body::BindTransceiverResp(None::<BindResp<&[u8]>>))
    ///     .with_status(CommandStatus::ESME_RINVPASWD);
    /// let n = refused.emit(&mut buf).unwrap();
    /// assert_eq!(n, 16);
    /// assert_eq!(Pdu::parse(&buf[..n]).unwrap(), refused);
    /// ```
    pub struct BindResp {
        /// `system_id` (max 16).
        system_id: COctet<B> = cstr(SYSTEM_ID),
        /// TLVs, usually `sc_interface_version`.
        tlvs,
    }
    fields __bind_resp_fields
}

body_struct! {
    /// The body of `outbind` (SMPP v3.4 4.1.7, v5.0 4.1.1.7): the MC
    /// asks the ESME to bind (with `bind_receiver` or `bind_transceiver`). It
    /// has no response PDU.
    ///
    /// ```
    /// use smpp_core::{Body, COctet, Outbind, Pdu};
    ///
    /// let outbind = Outbind {
    ///     system_id: COctet::from("SMSC01"),
    ///     password: COctet::from("pwd1234"),
    ///     ..Outbind::default()
    /// };
    /// let pdu = Pdu::new(1, Body::Outbind(outbind));
    /// let mut buf = [0u8; 32];
    /// let n = pdu.emit(&mut buf).unwrap();
    /// assert_eq!(n, 16 + 7 + 8);
    ///
    /// let back = Pdu::parse(&buf[..n]).unwrap();
    /// assert_eq!(back, pdu);
    /// let Body::Outbind(o) = back.body else { unreachable!() };
    /// assert_eq!(o.password.to_str(), Some("pwd1234"));
    /// ```
    pub struct Outbind {
        /// `system_id` (max 16).
        system_id: COctet<B> = cstr(SYSTEM_ID),
        /// `password` (max 9).
        password: COctet<B> = cstr(PASSWORD),
        /// TLVs: none are defined; unknown ones are kept.
        tlvs,
    }
    fields __outbind_fields
}
