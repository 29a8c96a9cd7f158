//! `alert_notification` (SMPP v5.0 4.1.3.1, Table 4-12): the MC reports that
//! a subscriber became available. It has no response PDU.

use crate::error::{Error, Field};
use crate::tlv::Tlvs;
use crate::types::COctet;
use crate::values::{Npi, Ton};
use crate::wire::read::{Res, cstr, u8_field};
use crate::wire::write::{Writer, check_cstr};

use super::{tlvs_tail, write_addr};

/// The body of `alert_notification`. Both addresses allow 65 octets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
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
        let (i, source_addr) = cstr(i, Field::SourceAddr, 65)?;
        let (i, esme_addr_ton) = u8_field(i, Field::EsmeAddrTon)?;
        let (i, esme_addr_npi) = u8_field(i, Field::EsmeAddrNpi)?;
        let (i, esme_addr) = cstr(i, Field::EsmeAddr, 65)?;
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
    /// Octets of the body on the wire.
    pub fn encoded_len(&self) -> usize {
        2 + self.source_addr.encoded_len()
            + 2
            + self.esme_addr.encoded_len()
            + self.tlvs.encoded_len()
    }

    /// Checks every field against its rules, as encoding does.
    pub fn validate(&self) -> Result<(), Error> {
        check_cstr(Field::SourceAddr, self.source_addr.as_bytes(), 65)?;
        check_cstr(Field::EsmeAddr, self.esme_addr.as_bytes(), 65)?;
        self.tlvs.validate()
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        write_addr(
            w,
            self.source_addr_ton,
            self.source_addr_npi,
            &self.source_addr,
        );
        write_addr(w, self.esme_addr_ton, self.esme_addr_npi, &self.esme_addr);
        self.tlvs.write(w);
    }
}
