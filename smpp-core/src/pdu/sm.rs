//! `submit_sm` and `deliver_sm` (one body layout), and the responses that
//! carry a `message_id` and TLVs: `submit_sm_resp`, `deliver_sm_resp`,
//! `data_sm_resp`, `broadcast_sm_resp` (SMPP v5.0 4.2.4-4.2.5, 4.3.1-4.3.2,
//! 4.4.1-4.4.2, 4.6.1).

use crate::error::{Error, Field};
use crate::tlv::{TlvTag, Tlvs};
use crate::types::COctet;
use crate::values::{
    DataCoding, EsmClass, Npi, PriorityFlag, RegisteredDelivery, ReplaceIfPresentFlag, Ton,
};
use crate::wire::read::{Res, cstr, short_message, time, u8_fields};
use crate::wire::write::{Writer, check_cstr, check_short_message, check_time};

use super::{tlvs_tail, tlvs_tail_requiring};

/// The body of `submit_sm` (ESME to MC) and `deliver_sm` (MC to ESME; also
/// delivery receipts): SMPP v5.0 Tables 4-10 and 4-14.
///
/// `sm_length` is not stored: it is `short_message.len()`, checked on parse
/// and written on encode.
///
/// ```
/// use smpp_core::{Body, COctet, Npi, Pdu, SubmitSm, Ton};
///
/// let submit = SubmitSm {
///     source_addr_ton: Ton::ALPHANUMERIC,
///     source_addr: COctet::from("INFO"),
///     dest_addr_ton: Ton::INTERNATIONAL,
///     dest_addr_npi: Npi::ISDN,
///     destination_addr: COctet::from("447700900123"),
///     short_message: b"Hello",
///     ..SubmitSm::default()
/// };
/// let pdu = Pdu::new(7, Body::SubmitSm(submit));
/// let mut buf = [0u8; 256];
/// let n = pdu.emit(&mut buf).unwrap();
/// assert_eq!(n, pdu.encoded_len());
///
/// let back = Pdu::parse(&buf[..n]).unwrap();
/// assert_eq!(back, pdu);
/// let Body::SubmitSm(sm) = back.body else { unreachable!() };
/// assert_eq!(sm.short_message, b"Hello");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct SubmitSm<B: AsRef<[u8]>> {
    /// `service_type` (C-Octet String, max 6).
    pub service_type: COctet<B>,
    /// `source_addr_ton`.
    pub source_addr_ton: Ton,
    /// `source_addr_npi`.
    pub source_addr_npi: Npi,
    /// `source_addr` (C-Octet String, max 21).
    pub source_addr: COctet<B>,
    /// `dest_addr_ton`.
    pub dest_addr_ton: Ton,
    /// `dest_addr_npi`.
    pub dest_addr_npi: Npi,
    /// `destination_addr` (C-Octet String, max 21).
    pub destination_addr: COctet<B>,
    /// `esm_class`.
    pub esm_class: EsmClass,
    /// `protocol_id` (GSM TP-PID).
    pub protocol_id: u8,
    /// `priority_flag`.
    pub priority_flag: PriorityFlag,
    /// `schedule_delivery_time` (empty or 16 characters).
    pub schedule_delivery_time: COctet<B>,
    /// `validity_period` (empty or 16 characters).
    pub validity_period: COctet<B>,
    /// `registered_delivery`.
    pub registered_delivery: RegisteredDelivery,
    /// `replace_if_present_flag`.
    pub replace_if_present_flag: ReplaceIfPresentFlag,
    /// `data_coding`.
    pub data_coding: DataCoding,
    /// `sm_default_msg_id`.
    pub sm_default_msg_id: u8,
    /// `short_message` (0-255 octets; its length is `sm_length`).
    pub short_message: B,
    /// The TLVs.
    pub tlvs: Tlvs<B>,
}

/// `deliver_sm` has the same body as `submit_sm`.
pub type DeliverSm<B> = SubmitSm<B>;

body_codec!(SubmitSm);

impl<'a> SubmitSm<&'a [u8]> {
    fn parse_fields(i: &'a [u8]) -> Res<'a, Self> {
        let (i, service_type) = cstr(i, Field::ServiceType, 6)?;
        let (i, [source_addr_ton, source_addr_npi]) =
            u8_fields(i, [Field::SourceAddrTon, Field::SourceAddrNpi])?;
        let (i, source_addr) = cstr(i, Field::SourceAddr, 21)?;
        let (i, [dest_addr_ton, dest_addr_npi]) =
            u8_fields(i, [Field::DestAddrTon, Field::DestAddrNpi])?;
        let (i, destination_addr) = cstr(i, Field::DestinationAddr, 21)?;
        let (i, [esm_class, protocol_id, priority_flag]) =
            u8_fields(i, [Field::EsmClass, Field::ProtocolId, Field::PriorityFlag])?;
        let (i, schedule_delivery_time) = time(i, Field::ScheduleDeliveryTime)?;
        let (i, validity_period) = time(i, Field::ValidityPeriod)?;
        let (
            i,
            [
                registered_delivery,
                replace_if_present_flag,
                data_coding,
                sm_default_msg_id,
            ],
        ) = u8_fields(
            i,
            [
                Field::RegisteredDelivery,
                Field::ReplaceIfPresentFlag,
                Field::DataCoding,
                Field::SmDefaultMsgId,
            ],
        )?;
        let (i, short_message) = short_message(i)?;
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
                protocol_id,
                priority_flag: PriorityFlag(priority_flag),
                schedule_delivery_time,
                validity_period,
                registered_delivery: RegisteredDelivery(registered_delivery),
                replace_if_present_flag: ReplaceIfPresentFlag(replace_if_present_flag),
                data_coding: DataCoding(data_coding),
                sm_default_msg_id,
                short_message,
                tlvs,
            },
        ))
    }
}

impl<B: AsRef<[u8]>> SubmitSm<B> {
    /// Converts the storage of every octet field.
    pub fn map<C: AsRef<[u8]>>(self, mut f: impl FnMut(B) -> C) -> SubmitSm<C> {
        SubmitSm {
            service_type: self.service_type.map(&mut f),
            source_addr_ton: self.source_addr_ton,
            source_addr_npi: self.source_addr_npi,
            source_addr: self.source_addr.map(&mut f),
            dest_addr_ton: self.dest_addr_ton,
            dest_addr_npi: self.dest_addr_npi,
            destination_addr: self.destination_addr.map(&mut f),
            esm_class: self.esm_class,
            protocol_id: self.protocol_id,
            priority_flag: self.priority_flag,
            schedule_delivery_time: self.schedule_delivery_time.map(&mut f),
            validity_period: self.validity_period.map(&mut f),
            registered_delivery: self.registered_delivery,
            replace_if_present_flag: self.replace_if_present_flag,
            data_coding: self.data_coding,
            sm_default_msg_id: self.sm_default_msg_id,
            short_message: f(self.short_message),
            tlvs: self.tlvs.map(&mut f),
        }
    }
}

impl<B: AsRef<[u8]>> SubmitSm<B> {
    /// Octets of the body on the wire.
    pub fn encoded_len(&self) -> usize {
        self.service_type.encoded_len()
            + 2
            + self.source_addr.encoded_len()
            + 2
            + self.destination_addr.encoded_len()
            + 3
            + self.schedule_delivery_time.encoded_len()
            + self.validity_period.encoded_len()
            + 5
            + self.short_message.as_ref().len()
            + self.tlvs.encoded_len()
    }

    /// Checks every field against its rules, as encoding does.
    pub fn validate(&self) -> Result<(), Error> {
        check_cstr(Field::ServiceType, self.service_type.as_bytes(), 6)?;
        check_cstr(Field::SourceAddr, self.source_addr.as_bytes(), 21)?;
        check_cstr(Field::DestinationAddr, self.destination_addr.as_bytes(), 21)?;
        check_time(
            Field::ScheduleDeliveryTime,
            self.schedule_delivery_time.as_bytes(),
        )?;
        check_time(Field::ValidityPeriod, self.validity_period.as_bytes())?;
        check_short_message(self.short_message.as_ref())?;
        self.tlvs.validate()
    }

    /// The checks [`Self::write`] does not make as it copies (see
    /// [`Writer::cstr_checked`]): with them, a write that the writer does
    /// not mark invalid encodes a body that [`Self::validate`] accepts.
    #[inline]
    pub(crate) fn validate_unwritten(&self) -> Result<(), Error> {
        check_short_message(self.short_message.as_ref())?;
        self.tlvs.validate()
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        let short_message = self.short_message.as_ref();
        w.cstr_checked(self.service_type.as_bytes(), 6);
        w.array([self.source_addr_ton.0, self.source_addr_npi.0]);
        w.cstr_checked(self.source_addr.as_bytes(), 21);
        w.array([self.dest_addr_ton.0, self.dest_addr_npi.0]);
        w.cstr_checked(self.destination_addr.as_bytes(), 21);
        w.array([self.esm_class.0, self.protocol_id, self.priority_flag.0]);
        w.time_checked(self.schedule_delivery_time.as_bytes());
        w.time_checked(self.validity_period.as_bytes());
        w.array([
            self.registered_delivery.0,
            self.replace_if_present_flag.0,
            self.data_coding.0,
            self.sm_default_msg_id,
            u8::try_from(short_message.len()).unwrap_or(u8::MAX),
        ]);
        w.bytes(short_message);
        self.tlvs.write(w);
    }
}

/// A response body of a `message_id` then TLVs: `submit_sm_resp`,
/// `deliver_sm_resp`, `data_sm_resp`, `broadcast_sm_resp` (all allow 65
/// octets for `message_id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct SubmitSmResp<B: AsRef<[u8]>> {
    /// `message_id` (C-Octet String, max 65). Empty in `deliver_sm_resp`.
    pub message_id: COctet<B>,
    /// The TLVs (v5.0 response TLVs, `congestion_state`, delivery failure
    /// details in `data_sm_resp`).
    pub tlvs: Tlvs<B>,
}

/// `deliver_sm_resp` has the body of `submit_sm_resp`.
pub type DeliverSmResp<B> = SubmitSmResp<B>;
/// `data_sm_resp` has the body of `submit_sm_resp`.
pub type DataSmResp<B> = SubmitSmResp<B>;
/// `broadcast_sm_resp` has the body of `submit_sm_resp`.
pub type BroadcastSmResp<B> = SubmitSmResp<B>;

body_codec!(SubmitSmResp);

impl<'a> SubmitSmResp<&'a [u8]> {
    fn parse_fields(i: &'a [u8]) -> Res<'a, Self> {
        Self::parse_fields_requiring(i, &[])
    }

    /// The body, whose TLVs must include every tag of `required`
    /// (`query_broadcast_sm_resp`).
    #[inline]
    pub(crate) fn parse_fields_requiring<const N: usize>(
        i: &'a [u8],
        required: &[TlvTag; N],
    ) -> Res<'a, Self> {
        let (i, message_id) = cstr(i, Field::MessageId, 65)?;
        let (i, tlvs) = tlvs_tail_requiring(i, required)?;
        Ok((i, Self { message_id, tlvs }))
    }
}

impl<B: AsRef<[u8]>> SubmitSmResp<B> {
    /// Converts the storage of every octet field.
    pub fn map<C: AsRef<[u8]>>(self, mut f: impl FnMut(B) -> C) -> SubmitSmResp<C> {
        SubmitSmResp {
            message_id: self.message_id.map(&mut f),
            tlvs: self.tlvs.map(&mut f),
        }
    }
}

impl<B: AsRef<[u8]>> SubmitSmResp<B> {
    /// Octets of the body on the wire.
    pub fn encoded_len(&self) -> usize {
        self.message_id.encoded_len() + self.tlvs.encoded_len()
    }

    /// Checks every field against its rules, as encoding does.
    pub fn validate(&self) -> Result<(), Error> {
        check_cstr(Field::MessageId, self.message_id.as_bytes(), 65)?;
        self.tlvs.validate()
    }

    /// The checks [`Self::write`] does not make as it copies.
    #[inline]
    pub(crate) fn validate_unwritten(&self) -> Result<(), Error> {
        self.tlvs.validate()
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        w.cstr_checked(self.message_id.as_bytes(), 65);
        self.tlvs.write(w);
    }
}
