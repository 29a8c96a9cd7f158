//! `data_sm` (SMPP v3.4 4.7.1, v5.0 4.2.2 and 4.3.2): a message
//! with its user data in the `message_payload` TLV, in either direction.

use crate::error::Field;
use crate::fields::{DESTINATION_ADDR_65, SERVICE_TYPE, SOURCE_ADDR_65};
use crate::tlv::Tlvs;
use crate::types::COctet;
use crate::values::{DataCoding, EsmClass, Npi, RegisteredDelivery, Ton};
use crate::wire::emit::Emit;
use crate::wire::read::{Res, u8_field};

use super::tlvs_tail;
#[cfg(feature = "serde")]
use alloc::vec::Vec;

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(bound(serialize = "")))]
#[cfg_attr(feature = "serde", serde(bound(deserialize = "B: From<Vec<u8>>")))]
pub struct DataSm<B: AsRef<[u8]>> {
    /// `service_type` (max 6).
    pub service_type: COctet<B>,
    /// `source_addr_ton`.
    pub source_addr_ton: Ton,
    /// `source_addr_npi`.
    pub source_addr_npi: Npi,
    /// `source_addr` (max 65).
    pub source_addr: COctet<B>,
    /// `dest_addr_ton`.
    pub dest_addr_ton: Ton,
    /// `dest_addr_npi`.
    pub dest_addr_npi: Npi,
    /// `destination_addr` (max 65).
    pub destination_addr: COctet<B>,
    /// `esm_class`.
    pub esm_class: EsmClass,
    /// `registered_delivery`.
    pub registered_delivery: RegisteredDelivery,
    /// `data_coding`.
    pub data_coding: DataCoding,
    /// The TLVs, `message_payload` among them.
    pub tlvs: Tlvs<B>,
}

body_codec!(DataSm);

impl<'a> DataSm<&'a [u8]> {
    fn parse_fields(i: &'a [u8]) -> Res<'a, Self> {
        let (i, service_type) = SERVICE_TYPE.read(i)?;
        let (i, source_addr_ton) = u8_field(i, Field::SourceAddrTon)?;
        let (i, source_addr_npi) = u8_field(i, Field::SourceAddrNpi)?;
        let (i, source_addr) = SOURCE_ADDR_65.read(i)?;
        let (i, dest_addr_ton) = u8_field(i, Field::DestAddrTon)?;
        let (i, dest_addr_npi) = u8_field(i, Field::DestAddrNpi)?;
        let (i, destination_addr) = DESTINATION_ADDR_65.read(i)?;
        let (i, esm_class) = u8_field(i, Field::EsmClass)?;
        let (i, registered_delivery) = u8_field(i, Field::RegisteredDelivery)?;
        let (i, data_coding) = u8_field(i, Field::DataCoding)?;
        let (i, tlvs) = tlvs_tail(i)?;
        Ok((
            i,
            Self {
                service_type,
                source_addr_ton: Ton(source_addr_ton),
                source_addr_npi: Npi(source_addr_npi),
                source_addr,
                dest_addr_ton: Ton(dest_addr_ton),
                dest_addr_npi: Npi(dest_addr_npi),
                destination_addr,
                esm_class: EsmClass(esm_class),
                registered_delivery: RegisteredDelivery(registered_delivery),
                data_coding: DataCoding(data_coding),
                tlvs,
            },
        ))
    }
}

impl<B: AsRef<[u8]>> DataSm<B> {
    /// Converts the storage of every octet field.
    pub fn map<C: AsRef<[u8]>>(self, mut f: impl FnMut(B) -> C) -> DataSm<C> {
        DataSm {
            service_type: self.service_type.map(&mut f),
            source_addr_ton: self.source_addr_ton,
            source_addr_npi: self.source_addr_npi,
            source_addr: self.source_addr.map(&mut f),
            dest_addr_ton: self.dest_addr_ton,
            dest_addr_npi: self.dest_addr_npi,
            destination_addr: self.destination_addr.map(&mut f),
            esm_class: self.esm_class,
            registered_delivery: self.registered_delivery,
            data_coding: self.data_coding,
            tlvs: self.tlvs.map(&mut f),
        }
    }
}

impl<B: AsRef<[u8]>> DataSm<B> {
    /// The fields in wire order, for [`Emit`].
    pub(crate) fn encode<E: Emit>(&self, e: &mut E) {
        e.cstr(SERVICE_TYPE, self.service_type.as_bytes());
        e.array([self.source_addr_ton.0, self.source_addr_npi.0]);
        e.cstr(SOURCE_ADDR_65, self.source_addr.as_bytes());
        e.array([self.dest_addr_ton.0, self.dest_addr_npi.0]);
        e.cstr(DESTINATION_ADDR_65, self.destination_addr.as_bytes());
        e.array([
            self.esm_class.0,
            self.registered_delivery.0,
            self.data_coding.0,
        ]);
        e.tlvs(&self.tlvs);
    }
}
