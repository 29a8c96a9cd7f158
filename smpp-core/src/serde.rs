//! `serde::Serialize` and `Deserialize` for PDUs (feature `serde`), derived
//! from the types themselves, with every rule checked after deserializing.
//!
//! The serialized form follows the Rust types: a [`Pdu`] is a map of
//! `command_status`, `sequence_number` and `body`; a [`Body`] is an
//! externally tagged enum (`{"SubmitSm": {...}}`, `"EnquireLink"`); a body
//! struct is a map of its fields, by their specification names. The wire
//! integers ([`Ton`](crate::Ton), [`CommandStatus`](crate::CommandStatus),
//! ...) are their numbers. A [`COctet`] is a string when its
//! octets are UTF-8 and bytes otherwise; `short_message`, a [`Tlvs`]
//! region, a [`RawBody`](crate::pdu::RawBody)'s octets and the entries of
//! `submit_multi` and `submit_multi_resp` are bytes as on the wire (in JSON,
//! arrays of numbers). Derived lengths (`command_length`, `sm_length`,
//! `number_of_dests`, `no_unsuccess`) are not written.
//!
//! Deserializing needs storage made from a `Vec<u8>` (`Vec<u8>`,
//! `bytes::Bytes`, ...). A [`Pdu`] is then checked with [`Pdu::validate`]
//! (the rules of its own `command_status`), so that what deserializes
//! encodes and decodes back; a PDU that breaks a rule is refused with the
//! codec's [`Error`](crate::Error) as the message: the PDU, the field or
//! TLV, and the `command_status` a peer would get. A [`Tlvs`] region is
//! checked as [`Tlvs::parse`] checks it. A [`Body`] deserialized alone is
//! checked with [`Body::validate`] (what [`Body::parse`] accepts), and
//! refused with the codec's error, which names the field or TLV. A body
//! struct deserialized alone is checked where it is used (`emit` refuses
//! what breaks a rule) or by its `validate`.
//!
//! ```
//! use smpp_core::{Body, COctet, Pdu, QuerySm};
//!
//! let pdu = Pdu::new(3, Body::QuerySm(QuerySm {
//!     message_id: COctet::from("42"),
//!     source_addr: COctet::from("12345"),
//!     ..QuerySm::default()
//! }));
//! let json = serde_json::to_string(&pdu).unwrap();
//! assert!(json.contains(r#""body":{"QuerySm":{"message_id":"42","#));
//! let back: Pdu<Vec<u8>> = serde_json::from_str(&json).unwrap();
//! assert_eq!(back, pdu.map(<[u8]>::to_vec));
//!
//! // A source_addr of 25 characters (21 octets at most, NUL included).
//! let long = json.replace("12345", "1234567890123456789012345");
//! let err = serde_json::from_str::<Pdu<Vec<u8>>>(&long).unwrap_err();
//! assert!(err.to_string().contains("ESME_RINVSRCADR"), "{err}");
//!
//! // A body alone keeps the rules of Body::parse.
//! let body = serde_json::to_string(&pdu.body).unwrap().replace("12345", "1234567890123456789012345");
//! let err = serde_json::from_str::<Body<Vec<u8>>>(&body).unwrap_err();
//! assert!(err.to_string().contains("field source_addr"), "{err}");
//! ```

use alloc::vec::Vec;
use core::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

use crate::pdu::{Body, Pdu, UncheckedBody};
use crate::tlv::Tlvs;
use crate::types::COctet;

/// Octets as serde bytes (`#[serde(with = "octets")]`): written with
/// `serialize_bytes`, read from bytes, a string or a sequence of numbers.
pub(crate) mod octets {
    use super::{Deserializer, Serializer, Vec, Visitor, de, fmt};
    use serde::de::SeqAccess;

    pub(crate) fn serialize<B: AsRef<[u8]>, S: Serializer>(v: &B, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(v.as_ref())
    }

    pub(crate) fn deserialize<'de, B: From<Vec<u8>>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<B, D::Error> {
        d.deserialize_byte_buf(OctetsVisitor).map(B::from)
    }

    /// Reads octets from any of the forms formats give them.
    pub(super) struct OctetsVisitor;

    impl<'de> Visitor<'de> for OctetsVisitor {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("octets")
        }
        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }
        fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<u8>, E> {
            Ok(v.as_bytes().to_vec())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(b) = seq.next_element()? {
                out.push(b);
            }
            Ok(out)
        }
    }
}

impl<B: AsRef<[u8]>> Serialize for COctet<B> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.to_str() {
            Some(text) => s.serialize_str(text),
            None => s.serialize_bytes(self.as_bytes()),
        }
    }
}

impl<'de, B: From<Vec<u8>>> Deserialize<'de> for COctet<B> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        octets::deserialize(d).map(Self::new)
    }
}

impl<B: AsRef<[u8]>> Serialize for Tlvs<B> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.as_bytes())
    }
}

impl<'de, B: From<Vec<u8>>> Deserialize<'de> for Tlvs<B> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw: Vec<u8> = octets::deserialize(d)?;
        let tlvs = Tlvs::parse(&raw).map_err(de::Error::custom)?;
        Ok(tlvs.map(|v| B::from(v.to_vec())))
    }
}

/// A [`Body`] deserialized alone keeps the rules of [`Body::parse`]
/// ([`Body::validate`]); one that breaks a rule is refused with the
/// codec's error after its `command_id`.
impl<'de, B: AsRef<[u8]> + From<Vec<u8>>> Deserialize<'de> for Body<B> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let body = UncheckedBody::deserialize(d)?;
        match body.validate() {
            Ok(()) => Ok(body),
            Err(e) => Err(de::Error::custom(format_args!(
                "{} body: {e}",
                body.command_id()
            ))),
        }
    }
}

/// A [`Pdu`] as deserialized, before [`Pdu::validate`] accepts it.
#[derive(serde::Deserialize)]
#[serde(bound = "B: AsRef<[u8]> + From<Vec<u8>>")]
pub(crate) struct PduFields<B: AsRef<[u8]>> {
    command_status: crate::CommandStatus,
    sequence_number: u32,
    /// Checked with the PDU's `command_status`, by [`Pdu::validate`].
    #[serde(with = "UncheckedBody")]
    body: Body<B>,
}

impl<B: AsRef<[u8]>> TryFrom<PduFields<B>> for Pdu<B> {
    type Error = crate::Error;

    fn try_from(v: PduFields<B>) -> Result<Self, crate::Error> {
        let pdu = Self::new(v.sequence_number, v.body).with_status(v.command_status);
        pdu.validate().map(|()| pdu)
    }
}
