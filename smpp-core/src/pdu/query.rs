//! `query_sm` and `query_sm_resp` (SMPP v3.4 4.8, v5.0 4.5.2). The body of
//! `query_sm` is also that of `query_broadcast_sm` (see
//! [`super::QueryBroadcastSm`]).

use crate::error::Field;
use crate::fields::{FINAL_DATE, MESSAGE_ID, SOURCE_ADDR};
use crate::tlv::Tlvs;
use crate::types::COctet;
use crate::values::{MessageState, Npi, Ton};
use crate::wire::emit::Emit;
use crate::wire::read::{Res, u8_field};

use super::tlvs_tail;
#[cfg(feature = "serde")]
use alloc::vec::Vec;

/// The body of `query_sm` (SMPP v3.4 4.8.1, v5.0 4.5.2.1): the
/// ESME asks for the state of a message it submitted, naming it by the
/// `message_id` the MC returned and the source address it was sent from.
/// [`QueryBroadcastSm`](super::QueryBroadcastSm) is the same body.
///
/// ```
/// use smpp_core::{Body, COctet, Npi, Pdu, QuerySm, Ton};
///
/// let query = QuerySm {
///     message_id: COctet::from("12345"),
///     source_addr_ton: Ton::INTERNATIONAL,
///     source_addr_npi: Npi::ISDN,
///     source_addr: COctet::from("40404"),
///     ..QuerySm::default()
/// };
/// let pdu = Pdu::new(20456, Body::QuerySm(query));
/// let mut buf = [0u8; 32];
/// let n = pdu.emit(&mut buf).unwrap();
/// assert_eq!(n, 16 + 6 + 2 + 6);
///
/// let back = Pdu::parse(&buf[..n]).unwrap();
/// assert_eq!(back, pdu);
/// let Body::QuerySm(q) = back.body else { unreachable!() };
/// assert_eq!(q.message_id.to_str(), Some("12345"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(bound(serialize = "")))]
#[cfg_attr(feature = "serde", serde(bound(deserialize = "B: From<Vec<u8>>")))]
pub struct QuerySm<B: AsRef<[u8]>> {
    /// `message_id` (max 65).
    pub message_id: COctet<B>,
    /// `source_addr_ton`.
    pub source_addr_ton: Ton,
    /// `source_addr_npi`.
    pub source_addr_npi: Npi,
    /// `source_addr` (max 21).
    pub source_addr: COctet<B>,
    /// TLVs: none are defined; unknown ones are kept.
    pub tlvs: Tlvs<B>,
}

body_codec!(QuerySm);

impl<'a> QuerySm<&'a [u8]> {
    fn parse_fields(i: &'a [u8]) -> Res<'a, Self> {
        let (i, message_id) = MESSAGE_ID.read(i)?;
        let (i, source_addr_ton) = u8_field(i, Field::SourceAddrTon)?;
        let (i, source_addr_npi) = u8_field(i, Field::SourceAddrNpi)?;
        let (i, source_addr) = SOURCE_ADDR.read(i)?;
        let (i, tlvs) = tlvs_tail(i)?;
        Ok((
            i,
            Self {
                message_id,
                source_addr_ton: Ton(source_addr_ton),
                source_addr_npi: Npi(source_addr_npi),
                source_addr,
                tlvs,
            },
        ))
    }
}

impl<B: AsRef<[u8]>> QuerySm<B> {
    /// Converts the storage of every octet field.
    pub fn map<C: AsRef<[u8]>>(self, mut f: impl FnMut(B) -> C) -> QuerySm<C> {
        QuerySm {
            message_id: self.message_id.map(&mut f),
            source_addr_ton: self.source_addr_ton,
            source_addr_npi: self.source_addr_npi,
            source_addr: self.source_addr.map(&mut f),
            tlvs: self.tlvs.map(&mut f),
        }
    }
}

impl<B: AsRef<[u8]>> QuerySm<B> {
    /// The fields in wire order, for [`Emit`].
    pub(crate) fn encode<E: Emit>(&self, e: &mut E) {
        e.cstr(MESSAGE_ID, self.message_id.as_bytes());
        e.array([self.source_addr_ton.0, self.source_addr_npi.0]);
        e.cstr(SOURCE_ADDR, self.source_addr.as_bytes());
        e.tlvs(&self.tlvs);
    }
}

/// The body of `query_sm_resp` (SMPP v3.4 4.8.2, v5.0 4.5.2.2):
/// the message's state, and when it reached a final one.
///
/// In a [`Body`](super::Body) it is an `Option`: an error response usually
/// has no body at all (`None`, `command_length` 16), and one cut short
/// after `message_id` is kept as a [`RawBody`](super::RawBody).
///
/// ```
/// use smpp_core::{Body, COctet, MessageState, Pdu, QuerySmResp};
///
/// let resp = QuerySmResp {
///     message_id: COctet::from("12345"),
///     // Absolute time: 2025-01-01 12:00:00.0, UTC.
///     final_date: COctet::from("250101120000000+"),
///     message_state: MessageState::DELIVERED,
///     ..QuerySmResp::default()
/// };
/// let pdu = Pdu::new(20456, Body::QuerySmResp(Some(resp)));
/// let mut buf = [0u8; 48];
/// let n = pdu.emit(&mut buf).unwrap();
///
/// let back = Pdu::parse(&buf[..n]).unwrap();
/// assert_eq!(back, pdu);
/// let Body::QuerySmResp(Some(r)) = back.body else { unreachable!() };
/// assert!(r.message_state.is_final());
/// assert_eq!(r.final_date.to_str(), Some("250101120000000+"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(bound(serialize = "")))]
#[cfg_attr(feature = "serde", serde(bound(deserialize = "B: From<Vec<u8>>")))]
pub struct QuerySmResp<B: AsRef<[u8]>> {
    /// `message_id` (max 65).
    pub message_id: COctet<B>,
    /// `final_date`: empty until the message reaches a final state, then an
    /// absolute SMPP time.
    pub final_date: COctet<B>,
    /// `message_state`.
    pub message_state: MessageState,
    /// `error_code`: network error code, 0 if none.
    pub error_code: u8,
    /// TLVs (`congestion_state` in v5.0).
    pub tlvs: Tlvs<B>,
}

body_codec!(QuerySmResp);

impl<'a> QuerySmResp<&'a [u8]> {
    fn parse_fields(i: &'a [u8]) -> Res<'a, Self> {
        let (i, message_id) = MESSAGE_ID.read(i)?;
        let (i, final_date) = FINAL_DATE.read(i)?;
        let (i, message_state) = u8_field(i, Field::MessageState)?;
        let (i, error_code) = u8_field(i, Field::ErrorCode)?;
        let (i, tlvs) = tlvs_tail(i)?;
        Ok((
            i,
            Self {
                message_id,
                final_date,
                message_state: MessageState(message_state),
                error_code,
                tlvs,
            },
        ))
    }
}

impl<B: AsRef<[u8]>> QuerySmResp<B> {
    /// Converts the storage of every octet field.
    pub fn map<C: AsRef<[u8]>>(self, mut f: impl FnMut(B) -> C) -> QuerySmResp<C> {
        QuerySmResp {
            message_id: self.message_id.map(&mut f),
            final_date: self.final_date.map(&mut f),
            message_state: self.message_state,
            error_code: self.error_code,
            tlvs: self.tlvs.map(&mut f),
        }
    }
}

impl<B: AsRef<[u8]>> QuerySmResp<B> {
    /// The fields in wire order, for [`Emit`].
    pub(crate) fn encode<E: Emit>(&self, e: &mut E) {
        e.cstr(MESSAGE_ID, self.message_id.as_bytes());
        e.cstr(FINAL_DATE, self.final_date.as_bytes());
        e.array([self.message_state.0, self.error_code]);
        e.tlvs(&self.tlvs);
    }
}
