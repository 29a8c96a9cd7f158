//! `bind_transmitter`, `bind_receiver`, `bind_transceiver`, their responses,
//! and `outbind` (SMPP v5.0 4.1.1-4.1.7).

use crate::error::{Error, Field};
use crate::tlv::Tlvs;
use crate::types::COctet;
use crate::values::{InterfaceVersion, Npi, Ton};
use crate::wire::read::{Res, cstr, u8_field};
use crate::wire::write::{Writer, check_cstr};

use super::{tlvs_tail, write_addr};

/// The body of the three bind requests (Table 4-1, 4-3, 4-5).
///
/// ```
/// use smpp_core::{Bind, Body, COctet, InterfaceVersion, Pdu};
///
/// let bind = Bind {
///     system_id: COctet::from("SMPP3TEST"),
///     password: COctet::from("secret08"),
///     system_type: COctet::from("SUBMIT1"),
///     interface_version: InterfaceVersion::V50,
///     ..Bind::default()
/// };
/// let mut buf = [0u8; 64];
/// let n = Pdu::new(1, Body::BindTransmitter(bind)).emit(&mut buf).unwrap();
/// assert_eq!(n, 16 + 10 + 9 + 8 + 3 + 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Bind<B: AsRef<[u8]>> {
    /// `system_id` (max 16).
    pub system_id: COctet<B>,
    /// `password` (max 9).
    pub password: COctet<B>,
    /// `system_type` (max 13).
    pub system_type: COctet<B>,
    /// `interface_version`.
    pub interface_version: InterfaceVersion,
    /// `addr_ton`.
    pub addr_ton: Ton,
    /// `addr_npi`.
    pub addr_npi: Npi,
    /// `address_range` (max 41).
    pub address_range: COctet<B>,
    /// TLVs: none are defined for binds; unknown ones are kept.
    pub tlvs: Tlvs<B>,
}

body_codec!(Bind);

impl<'a> Bind<&'a [u8]> {
    fn parse_fields(i: &'a [u8]) -> Res<'a, Self> {
        let (i, system_id) = cstr(i, Field::SystemId, 16)?;
        let (i, password) = cstr(i, Field::Password, 9)?;
        let (i, system_type) = cstr(i, Field::SystemType, 13)?;
        let (i, interface_version) = u8_field(i, Field::InterfaceVersion)?;
        let (i, addr_ton) = u8_field(i, Field::AddrTon)?;
        let (i, addr_npi) = u8_field(i, Field::AddrNpi)?;
        let (i, address_range) = cstr(i, Field::AddressRange, 41)?;
        let (i, tlvs) = tlvs_tail(i)?;
        Ok((
            i,
            Self {
                system_id,
                password,
                system_type,
                interface_version: InterfaceVersion(interface_version),
                addr_ton: Ton(addr_ton),
                addr_npi: Npi(addr_npi),
                address_range,
                tlvs,
            },
        ))
    }
}

impl<B: AsRef<[u8]>> Bind<B> {
    /// Converts the storage of every octet field.
    pub fn map<C: AsRef<[u8]>>(self, mut f: impl FnMut(B) -> C) -> Bind<C> {
        Bind {
            system_id: self.system_id.map(&mut f),
            password: self.password.map(&mut f),
            system_type: self.system_type.map(&mut f),
            interface_version: self.interface_version,
            addr_ton: self.addr_ton,
            addr_npi: self.addr_npi,
            address_range: self.address_range.map(&mut f),
            tlvs: self.tlvs.map(&mut f),
        }
    }
}

impl<B: AsRef<[u8]>> Bind<B> {
    /// Octets of the body on the wire.
    pub fn encoded_len(&self) -> usize {
        self.system_id.encoded_len()
            + self.password.encoded_len()
            + self.system_type.encoded_len()
            + 1
            + 2
            + self.address_range.encoded_len()
            + self.tlvs.encoded_len()
    }

    /// Checks every field against its rules, as encoding does.
    pub fn validate(&self) -> Result<(), Error> {
        check_cstr(Field::SystemId, self.system_id.as_bytes(), 16)?;
        check_cstr(Field::Password, self.password.as_bytes(), 9)?;
        check_cstr(Field::SystemType, self.system_type.as_bytes(), 13)?;
        check_cstr(Field::AddressRange, self.address_range.as_bytes(), 41)?;
        self.tlvs.validate()
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        w.cstr(self.system_id.as_bytes());
        w.cstr(self.password.as_bytes());
        w.cstr(self.system_type.as_bytes());
        w.u8(self.interface_version.0);
        write_addr(w, self.addr_ton, self.addr_npi, &self.address_range);
        self.tlvs.write(w);
    }
}

/// The body of the three bind responses (Tables 4-2, 4-4, 4-6): the MC's
/// `system_id` and TLVs (`sc_interface_version`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct BindResp<B: AsRef<[u8]>> {
    /// `system_id` (max 16).
    pub system_id: COctet<B>,
    /// TLVs, usually `sc_interface_version`.
    pub tlvs: Tlvs<B>,
}

body_codec!(BindResp);

impl<'a> BindResp<&'a [u8]> {
    fn parse_fields(i: &'a [u8]) -> Res<'a, Self> {
        let (i, system_id) = cstr(i, Field::SystemId, 16)?;
        let (i, tlvs) = tlvs_tail(i)?;
        Ok((i, Self { system_id, tlvs }))
    }
}

impl<B: AsRef<[u8]>> BindResp<B> {
    /// Converts the storage of every octet field.
    pub fn map<C: AsRef<[u8]>>(self, mut f: impl FnMut(B) -> C) -> BindResp<C> {
        BindResp {
            system_id: self.system_id.map(&mut f),
            tlvs: self.tlvs.map(&mut f),
        }
    }
}

impl<B: AsRef<[u8]>> BindResp<B> {
    /// Octets of the body on the wire.
    pub fn encoded_len(&self) -> usize {
        self.system_id.encoded_len() + self.tlvs.encoded_len()
    }

    /// Checks every field against its rules, as encoding does.
    pub fn validate(&self) -> Result<(), Error> {
        check_cstr(Field::SystemId, self.system_id.as_bytes(), 16)?;
        self.tlvs.validate()
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        w.cstr(self.system_id.as_bytes());
        self.tlvs.write(w);
    }
}

/// The body of `outbind` (Table 4-7): the MC asks the ESME to bind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Outbind<B: AsRef<[u8]>> {
    /// `system_id` (max 16).
    pub system_id: COctet<B>,
    /// `password` (max 9).
    pub password: COctet<B>,
    /// TLVs: none are defined; unknown ones are kept.
    pub tlvs: Tlvs<B>,
}

body_codec!(Outbind);

impl<'a> Outbind<&'a [u8]> {
    fn parse_fields(i: &'a [u8]) -> Res<'a, Self> {
        let (i, system_id) = cstr(i, Field::SystemId, 16)?;
        let (i, password) = cstr(i, Field::Password, 9)?;
        let (i, tlvs) = tlvs_tail(i)?;
        Ok((
            i,
            Self {
                system_id,
                password,
                tlvs,
            },
        ))
    }
}

impl<B: AsRef<[u8]>> Outbind<B> {
    /// Converts the storage of every octet field.
    pub fn map<C: AsRef<[u8]>>(self, mut f: impl FnMut(B) -> C) -> Outbind<C> {
        Outbind {
            system_id: self.system_id.map(&mut f),
            password: self.password.map(&mut f),
            tlvs: self.tlvs.map(&mut f),
        }
    }
}

impl<B: AsRef<[u8]>> Outbind<B> {
    /// Octets of the body on the wire.
    pub fn encoded_len(&self) -> usize {
        self.system_id.encoded_len() + self.password.encoded_len() + self.tlvs.encoded_len()
    }

    /// Checks every field against its rules, as encoding does.
    pub fn validate(&self) -> Result<(), Error> {
        check_cstr(Field::SystemId, self.system_id.as_bytes(), 16)?;
        check_cstr(Field::Password, self.password.as_bytes(), 9)?;
        self.tlvs.validate()
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        w.cstr(self.system_id.as_bytes());
        w.cstr(self.password.as_bytes());
        self.tlvs.write(w);
    }
}
