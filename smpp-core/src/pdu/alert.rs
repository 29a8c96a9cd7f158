//! `alert_notification` (SMPP v3.4 4.12.1, v5.0 4.1.3.1): the MC
//! reports that a subscriber became available. It has no response PDU.

use crate::error::Field;
use crate::fields::{ESME_ADDR, SOURCE_ADDR_65};
use crate::tlv::Tlvs;
use crate::types::COctet;
use crate::values::{Npi, Ton};
use crate::wire::emit::Emit;
use crate::wire::read::{Res, u8_field};

use super::tlvs_tail;
#[cfg(feature = "serde")]
use alloc::vec::Vec;

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(bound(serialize = "")))]
#[cfg_attr(feature = "serde", serde(bound(deserialize = "B: From<Vec<u8>>")))]
pub struct AlertNotification<B: AsRef<[u8]>> {
    /// `source_addr_ton`.
    pub source_addr_ton: Ton,
    /// `source_addr_npi`.
    pub source_addr_npi: Npi,
    /// `source_addr` (max 65): the subscriber now available.
    pub source_addr: COctet<B>,
    /// `esme_addr_ton`.
    pub esme_addr_ton: Ton,
    /// `esme_addr_npi`.
    pub esme_addr_npi: Npi,
    /// `esme_addr` (max 65): the ESME that asked for the alert.
    pub esme_addr: COctet<B>,
    /// TLVs (`ms_availability_status`).
    pub tlvs: Tlvs<B>,
}

body_codec!(AlertNotification);

impl<'a> AlertNotification<&'a [u8]> {
    fn parse_fields(i: &'a [u8]) -> Res<'a, Self> {
        let (i, source_addr_ton) = u8_field(i, Field::SourceAddrTon)?;
        let (i, source_addr_npi) = u8_field(i, Field::SourceAddrNpi)?;
        let (i, source_addr) = SOURCE_ADDR_65.read(i)?;
        let (i, esme_addr_ton) = u8_field(i, Field::EsmeAddrTon)?;
        let (i, esme_addr_npi) = u8_field(i, Field::EsmeAddrNpi)?;
        let (i, esme_addr) = ESME_ADDR.read(i)?;
        let (i, tlvs) = tlvs_tail(i)?;
        Ok((
            i,
            Self {
                source_addr_ton: Ton(source_addr_ton),
                source_addr_npi: Npi(source_addr_npi),
                source_addr,
                esme_addr_ton: Ton(esme_addr_ton),
                esme_addr_npi: Npi(esme_addr_npi),
                esme_addr,
                tlvs,
            },
        ))
    }
}

impl<B: AsRef<[u8]>> AlertNotification<B> {
    /// Converts the storage of every octet field.
    pub fn map<C: AsRef<[u8]>>(self, mut f: impl FnMut(B) -> C) -> AlertNotification<C> {
        AlertNotification {
            source_addr_ton: self.source_addr_ton,
            source_addr_npi: self.source_addr_npi,
            source_addr: self.source_addr.map(&mut f),
            esme_addr_ton: self.esme_addr_ton,
            esme_addr_npi: self.esme_addr_npi,
            esme_addr: self.esme_addr.map(&mut f),
            tlvs: self.tlvs.map(&mut f),
        }
    }
}

impl<B: AsRef<[u8]>> AlertNotification<B> {
    /// The fields in wire order, for [`Emit`].
    pub(crate) fn encode<E: Emit>(&self, e: &mut E) {
        e.array([self.source_addr_ton.0, self.source_addr_npi.0]);
        e.cstr(SOURCE_ADDR_65, self.source_addr.as_bytes());
        e.array([self.esme_addr_ton.0, self.esme_addr_npi.0]);
        e.cstr(ESME_ADDR, self.esme_addr.as_bytes());
        e.tlvs(&self.tlvs);
    }
}
