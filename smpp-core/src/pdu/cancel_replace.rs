//! `cancel_sm` and `replace_sm` (SMPP v5.0 4.5.1, 4.5.4).

use crate::error::{Error, Field};
use crate::tlv::Tlvs;
use crate::types::COctet;
use crate::values::{Npi, RegisteredDelivery, Ton};
use crate::wire::read::{Res, cstr, short_message, time, u8_field};
use crate::wire::write::{Writer, check_cstr, check_short_message, check_time};

use super::{tlvs_tail, write_addr};

/// The body of `cancel_sm` (Table 4-30).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct CancelSm<B: AsRef<[u8]>> {
    /// `service_type` (max 6).
    pub service_type: COctet<B>,
    /// `message_id` (max 65); empty to cancel by addresses.
    pub message_id: COctet<B>,
    /// `source_addr_ton`.
    pub source_addr_ton: Ton,
    /// `source_addr_npi`.
    pub source_addr_npi: Npi,
    /// `source_addr` (max 21).
    pub source_addr: COctet<B>,
    /// `dest_addr_ton`.
    pub dest_addr_ton: Ton,
    /// `dest_addr_npi`.
    pub dest_addr_npi: Npi,
    /// `destination_addr` (max 21).
    pub destination_addr: COctet<B>,
    /// TLVs: none are defined; unknown ones are kept.
    pub tlvs: Tlvs<B>,
}

body_codec!(CancelSm);

impl<'a> CancelSm<&'a [u8]> {
    fn parse_fields(i: &'a [u8]) -> Res<'a, Self> {
        let (i, service_type) = cstr(i, Field::ServiceType, 6)?;
        let (i, message_id) = cstr(i, Field::MessageId, 65)?;
        let (i, source_addr_ton) = u8_field(i, Field::SourceAddrTon)?;
        let (i, source_addr_npi) = u8_field(i, Field::SourceAddrNpi)?;
        let (i, source_addr) = cstr(i, Field::SourceAddr, 21)?;
        let (i, dest_addr_ton) = u8_field(i, Field::DestAddrTon)?;
        let (i, dest_addr_npi) = u8_field(i, Field::DestAddrNpi)?;
        let (i, destination_addr) = cstr(i, Field::DestinationAddr, 21)?;
        let (i, tlvs) = tlvs_tail(i)?;
        Ok((
            i,
            Self {
                service_type,
                message_id,
                source_addr_ton: Ton(source_addr_ton),
                source_addr_npi: Npi(source_addr_npi),
                source_addr,
                dest_addr_ton: Ton(dest_addr_ton),
                dest_addr_npi: Npi(dest_addr_npi),
                destination_addr,
                tlvs,
            },
        ))
    }
}

impl<B: AsRef<[u8]>> CancelSm<B> {
    /// Converts the storage of every octet field.
    pub fn map<C: AsRef<[u8]>>(self, mut f: impl FnMut(B) -> C) -> CancelSm<C> {
        CancelSm {
            service_type: self.service_type.map(&mut f),
            message_id: self.message_id.map(&mut f),
            source_addr_ton: self.source_addr_ton,
            source_addr_npi: self.source_addr_npi,
            source_addr: self.source_addr.map(&mut f),
            dest_addr_ton: self.dest_addr_ton,
            dest_addr_npi: self.dest_addr_npi,
            destination_addr: self.destination_addr.map(&mut f),
            tlvs: self.tlvs.map(&mut f),
        }
    }
}

impl<B: AsRef<[u8]>> CancelSm<B> {
    /// Octets of the body on the wire.
    pub fn encoded_len(&self) -> usize {
        self.service_type.encoded_len()
            + self.message_id.encoded_len()
            + 2
            + self.source_addr.encoded_len()
            + 2
            + self.destination_addr.encoded_len()
            + self.tlvs.encoded_len()
    }

    /// Checks every field against its rules, as encoding does.
    pub fn validate(&self) -> Result<(), Error> {
        check_cstr(Field::ServiceType, self.service_type.as_bytes(), 6)?;
        check_cstr(Field::MessageId, self.message_id.as_bytes(), 65)?;
        check_cstr(Field::SourceAddr, self.source_addr.as_bytes(), 21)?;
        check_cstr(Field::DestinationAddr, self.destination_addr.as_bytes(), 21)?;
        self.tlvs.validate()
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        w.cstr(self.service_type.as_bytes());
        w.cstr(self.message_id.as_bytes());
        write_addr(
            w,
            self.source_addr_ton,
            self.source_addr_npi,
            &self.source_addr,
        );
        write_addr(
            w,
            self.dest_addr_ton,
            self.dest_addr_npi,
            &self.destination_addr,
        );
        self.tlvs.write(w);
    }
}

/// The body of `replace_sm` (Table 4-35). There is no `service_type` here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct ReplaceSm<B: AsRef<[u8]>> {
    /// `message_id` (max 65).
    pub message_id: COctet<B>,
    /// `source_addr_ton`.
    pub source_addr_ton: Ton,
    /// `source_addr_npi`.
    pub source_addr_npi: Npi,
    /// `source_addr` (max 21).
    pub source_addr: COctet<B>,
    /// `schedule_delivery_time` (empty keeps the original).
    pub schedule_delivery_time: COctet<B>,
    /// `validity_period` (empty keeps the original).
    pub validity_period: COctet<B>,
    /// `registered_delivery`.
    pub registered_delivery: RegisteredDelivery,
    /// `sm_default_msg_id`.
    pub sm_default_msg_id: u8,
    /// `short_message` (its length is `sm_length`).
    pub short_message: B,
    /// TLVs (`message_payload` in v5.0).
    pub tlvs: Tlvs<B>,
}

body_codec!(ReplaceSm);

impl<'a> ReplaceSm<&'a [u8]> {
    fn parse_fields(i: &'a [u8]) -> Res<'a, Self> {
        let (i, message_id) = cstr(i, Field::MessageId, 65)?;
        let (i, source_addr_ton) = u8_field(i, Field::SourceAddrTon)?;
        let (i, source_addr_npi) = u8_field(i, Field::SourceAddrNpi)?;
        let (i, source_addr) = cstr(i, Field::SourceAddr, 21)?;
        let (i, schedule_delivery_time) = time(i, Field::ScheduleDeliveryTime)?;
        let (i, validity_period) = time(i, Field::ValidityPeriod)?;
        let (i, registered_delivery) = u8_field(i, Field::RegisteredDelivery)?;
        let (i, sm_default_msg_id) = u8_field(i, Field::SmDefaultMsgId)?;
        let (i, short_message) = short_message(i)?;
        let (i, tlvs) = tlvs_tail(i)?;
        Ok((
            i,
            Self {
                message_id,
                source_addr_ton: Ton(source_addr_ton),
                source_addr_npi: Npi(source_addr_npi),
                source_addr,
                schedule_delivery_time,
                validity_period,
                registered_delivery: RegisteredDelivery(registered_delivery),
                sm_default_msg_id,
                short_message,
                tlvs,
            },
        ))
    }
}

impl<B: AsRef<[u8]>> ReplaceSm<B> {
    /// Converts the storage of every octet field.
    pub fn map<C: AsRef<[u8]>>(self, mut f: impl FnMut(B) -> C) -> ReplaceSm<C> {
        ReplaceSm {
            message_id: self.message_id.map(&mut f),
            source_addr_ton: self.source_addr_ton,
            source_addr_npi: self.source_addr_npi,
            source_addr: self.source_addr.map(&mut f),
            schedule_delivery_time: self.schedule_delivery_time.map(&mut f),
            validity_period: self.validity_period.map(&mut f),
            registered_delivery: self.registered_delivery,
            sm_default_msg_id: self.sm_default_msg_id,
            short_message: f(self.short_message),
            tlvs: self.tlvs.map(&mut f),
        }
    }
}

impl<B: AsRef<[u8]>> ReplaceSm<B> {
    /// Octets of the body on the wire.
    pub fn encoded_len(&self) -> usize {
        self.message_id.encoded_len()
            + 2
            + self.source_addr.encoded_len()
            + self.schedule_delivery_time.encoded_len()
            + self.validity_period.encoded_len()
            + 3
            + self.short_message.as_ref().len()
            + self.tlvs.encoded_len()
    }

    /// Checks every field against its rules, as encoding does.
    pub fn validate(&self) -> Result<(), Error> {
        check_cstr(Field::MessageId, self.message_id.as_bytes(), 65)?;
        check_cstr(Field::SourceAddr, self.source_addr.as_bytes(), 21)?;
        check_time(
            Field::ScheduleDeliveryTime,
            self.schedule_delivery_time.as_bytes(),
        )?;
        check_time(Field::ValidityPeriod, self.validity_period.as_bytes())?;
        check_short_message(self.short_message.as_ref())?;
        self.tlvs.validate()
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        let short_message = self.short_message.as_ref();
        w.cstr(self.message_id.as_bytes());
        write_addr(
            w,
            self.source_addr_ton,
            self.source_addr_npi,
            &self.source_addr,
        );
        w.cstr(self.schedule_delivery_time.as_bytes());
        w.cstr(self.validity_period.as_bytes());
        w.u8(self.registered_delivery.0);
        w.u8(self.sm_default_msg_id);
        w.u8(u8::try_from(short_message.len()).unwrap_or(u8::MAX));
        w.bytes(short_message);
        self.tlvs.write(w);
    }
}
