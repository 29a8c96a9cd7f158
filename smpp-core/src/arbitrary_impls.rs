//! `arbitrary::Arbitrary` implementations (feature `arbitrary`).
//!
//! Every generated [`Pdu`] encodes without error and decodes back equal
//! (with [`Pdu::parse_any`]), so a fuzz target can use it as a round-trip
//! oracle. A derive would not do:
//! it would produce C-Octet Strings with NULs inside or over their maximum,
//! time fields of any length, and TLV regions that do not parse.
//!
//! Octet fields borrow from the fuzzer's input (`Unstructured` data):
//!
//! - C-Octet Strings take at most `max - 1` input octets and stop before the
//!   first NUL;
//! - time fields are empty, 16 input octets without NUL, or a sample value;
//! - `short_message` is at most 255 input octets;
//! - a TLV region is the longest prefix of a run of input octets that is a
//!   valid region (each TLV complete, each known tag with a length its rule
//!   allows; unknown tags take any length), or one of a few fixed regions;
//!   `broadcast_sm` and `query_broadcast_sm_resp` always carry their
//!   mandatory TLVs;
//! - `dest_address` and `unsuccess_sme` lists are the longest valid prefix of
//!   a run of input octets (at most 255 entries), or a fixed list
//!   (`number_of_dests` is at least 1);
//! - a [`Body::Raw`] has a `command_id` the specification does not define
//!   and up to 512 input octets.

use arbitrary::{Arbitrary, Error as ArbError, Result, Unstructured};

use crate::command_id::CommandId;
use crate::command_status::CommandStatus;
use crate::fields::{CString, MESSAGE_ID, SHORT_MESSAGE_MAX, TIME_LEN};
use crate::pdu::{
    BROADCAST_SM_MANDATORY_TLVS, Body, DestAddresses, Pdu, QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS,
    RawBody, SubmitSmResp, UnsuccessSmes, dest_address, unsuccess_sme,
};
use crate::tlv::{Tlv, TlvTag, Tlvs, len_rule};
use crate::types::COctet;
use crate::wire::read::{Res, finish};

/// Up to `n` octets of input (fewer if the input runs out).
fn take<'a>(u: &mut Unstructured<'a>, n: usize) -> Result<&'a [u8]> {
    u.bytes(n.min(u.len()))
}

/// A value of a C-Octet String field: at most `max - 1` octets without
/// NUL, or for a time field a time value.
pub(crate) fn cstr<'a>(u: &mut Unstructured<'a>, kind: CString) -> Result<COctet<&'a [u8]>> {
    if kind.time {
        return time(u, kind);
    }
    let len = u.int_in_range(0..=kind.max.saturating_sub(1))?;
    let raw = take(u, len)?;
    let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    Ok(COctet::new(raw.get(..end).unwrap_or_default()))
}

/// Valid SMPP time values (absolute with offsets, relative).
const TIME_SAMPLES: [&[u8]; 4] = [
    b"000001000000000R",
    b"251231235959000+",
    b"240229120000148-",
    b"991231235959900+",
];

/// An SMPP time field: empty or an SMPP time of 16 characters that the
/// field's rule accepts (16 octets of the input when they are one, else a
/// sample).
fn time<'a>(u: &mut Unstructured<'a>, kind: CString) -> Result<COctet<&'a [u8]>> {
    let empty: &'a [u8] = &[];
    let valid = |v: &[u8]| kind.check(v).is_ok();
    let sample = |u: &mut Unstructured<'a>| -> Result<&'a [u8]> {
        let s: &'a [u8] = u.choose(&TIME_SAMPLES)?;
        Ok(if valid(s) { s } else { empty })
    };
    Ok(COctet::new(match u.int_in_range(0u8..=3)? {
        0 => empty,
        1 => {
            let raw = take(u, TIME_LEN)?;
            if raw.len() == TIME_LEN && valid(raw) {
                raw
            } else {
                sample(u)?
            }
        }
        _ => sample(u)?,
    }))
}

/// `short_message`: 0 to 255 octets.
pub(crate) fn short_message<'a>(u: &mut Unstructured<'a>) -> Result<&'a [u8]> {
    let len = u.int_in_range(0..=SHORT_MESSAGE_MAX)?;
    take(u, len)
}

/// The longest prefix of `raw` that is a valid TLV region.
fn valid_tlv_prefix(raw: &[u8]) -> &[u8] {
    let valid = |t: &Tlv<'_>| len_rule(t.tag).is_none_or(|rule| rule.allows(t.value.len()));
    let region = Tlvs::EMPTY.map(|_| raw);
    let used = region
        .iter()
        .take_while(valid)
        .map(|t| t.encoded_len())
        .sum();
    raw.get(..used).unwrap_or_default()
}

/// A TLV region written out: `TAG => [value octets]` per TLV, `TAG` a
/// [`TlvTag`] constant or `(n)` for the tag `n`.
macro_rules! tlv_region {
    ($($tag:tt => [$($octet:expr),* $(,)?]),* $(,)?) => {
        &[$(
            tlv_tag!($tag).0.to_be_bytes()[0],
            tlv_tag!($tag).0.to_be_bytes()[1],
            0,
            <[u8]>::len(&[$($octet),*]) as u8
            $(, $octet)*
        ),*]
    };
}

macro_rules! tlv_tag {
    (($tag:expr)) => {
        TlvTag($tag)
    };
    ($tag:ident) => {
        TlvTag::$tag
    };
}

/// Fixed valid TLV regions: SAR, a payload, a receipt, unknown and vendor
/// tags, a duplicate tag, an empty C-Octet String value.
#[allow(clippy::cast_possible_truncation)] // values of at most 255 octets
const TLV_SAMPLES: [&[u8]; 6] = [
    tlv_region![
        SAR_MSG_REF_NUM => [0x00, 0x42],
        SAR_TOTAL_SEGMENTS => [2],
        SAR_SEGMENT_SEQNUM => [1],
    ],
    tlv_region![MESSAGE_PAYLOAD => [b'H', b'i']],
    // message_state DELIVERED
    tlv_region![RECEIPTED_MESSAGE_ID => [b'a', b'b', b'1', b'2', 0], MESSAGE_STATE => [2]],
    // a vendor tag and an unknown one
    tlv_region![(0x1400) => [1, 2, 3], (0xfffe) => []],
    // a repeatable tag
    tlv_region![CALLBACK_NUM => [0, 1, 1, b'1'], CALLBACK_NUM => [0, 1, 1, b'1', b'2']],
    tlv_region![CONGESTION_STATE => [90]],
];

/// A valid TLV region (usually from the input).
pub(crate) fn tlv_region<'a>(u: &mut Unstructured<'a>) -> Result<Tlvs<&'a [u8]>> {
    let raw: &'a [u8] = match u.int_in_range(0u8..=7)? {
        0 => &[],
        1 => u.choose(&TLV_SAMPLES)?,
        _ => {
            let len = u.int_in_range(0..=u.len())?;
            valid_tlv_prefix(take(u, len)?)
        }
    };
    Tlvs::parse(raw).map_err(|_| ArbError::IncorrectFormat)
}

/// Fixed `broadcast_sm` TLV regions with every mandatory TLV.
#[allow(clippy::cast_possible_truncation)] // values of at most 255 octets
const BROADCAST_SM_TLVS: [&[u8]; 2] = [
    // area (format 0, "A1"), GSM content 0x0001, once, every 5 minutes
    tlv_region![
        BROADCAST_AREA_IDENTIFIER => [0, b'A', b'1'],
        BROADCAST_CONTENT_TYPE => [1, 0, 1],
        BROADCAST_REP_NUM => [0, 1],
        BROADCAST_FREQUENCY_INTERVAL => [9, 0, 5],
    ],
    // the same in another order, two areas, a one-octet rep_num, a vendor TLV
    tlv_region![
        BROADCAST_FREQUENCY_INTERVAL => [8, 0, 30],
        BROADCAST_AREA_IDENTIFIER => [1],
        BROADCAST_AREA_IDENTIFIER => [0, b'Z'],
        (0x1401) => [],
        BROADCAST_REP_NUM => [3],
        BROADCAST_CONTENT_TYPE => [2, 0, 0x10],
    ],
];

/// Fixed `query_broadcast_sm_resp` TLV regions with every mandatory TLV.
#[allow(clippy::cast_possible_truncation)] // values of at most 255 octets
const QUERY_BROADCAST_SM_RESP_TLVS: [&[u8]; 1] = [
    // message_state ENROUTE, an area, 100 % success
    tlv_region![
        MESSAGE_STATE => [1],
        BROADCAST_AREA_IDENTIFIER => [0, b'A', b'1'],
        BROADCAST_AREA_SUCCESS => [100],
    ],
];

/// A TLV region holding every tag of `required`: from the input if it
/// happens to, else a fixed one.
fn tlv_region_with<'a>(
    u: &mut Unstructured<'a>,
    required: &[TlvTag],
    samples: &[&'static [u8]],
) -> Result<Tlvs<&'a [u8]>> {
    let from_input = tlv_region(u)?;
    if required.iter().all(|&tag| from_input.get(tag).is_some()) {
        return Ok(from_input);
    }
    Tlvs::parse(u.choose(samples)?).map_err(|_| ArbError::IncorrectFormat)
}

/// A TLV region with every tag of `required`: `broadcast_sm` (the one body
/// of [`crate::pdu`] that declares its mandatory TLVs), with its samples.
pub(crate) fn tlv_region_requiring<'a, const N: usize>(
    u: &mut Unstructured<'a>,
    required: &[TlvTag; N],
) -> Result<Tlvs<&'a [u8]>> {
    debug_assert_eq!(required[..], BROADCAST_SM_MANDATORY_TLVS[..]);
    tlv_region_with(u, required, &BROADCAST_SM_TLVS)
}

/// The longest prefix of `raw` made of at most 255 entries that `entry`
/// reads, and their count.
fn valid_entries<'a, T>(raw: &'a [u8], entry: fn(&'a [u8]) -> Res<'a, T>) -> (u8, &'a [u8]) {
    let (mut count, mut rest) = (0u8, raw);
    while count < u8::MAX {
        let Ok((next, _)) = entry(rest) else {
            break;
        };
        rest = next;
        count += 1;
    }
    (count, raw.get(..raw.len() - rest.len()).unwrap_or_default())
}

/// Fixed `dest_address` lists: (count, entries).
const DEST_SAMPLES: [(u8, &[u8]); 2] = [
    (
        2,
        &[
            1, 1, 1, b'4', b'4', b'7', b'7', 0, 2, b'F', b'R', b'I', b'E', b'N', b'D', b'S', 0,
        ],
    ),
    (1, &[1, 0, 0, 0]),
];

/// Fixed `unsuccess_sme` lists: (count, entries).
const UNSUCCESS_SAMPLES: [(u8, &[u8]); 1] = [(1, &[1, 1, b'4', b'4', 0, 0, 0, 0, 0x0b])];

/// The `dest_address` list: from the input, or a fixed one.
fn dest_addresses<'a>(u: &mut Unstructured<'a>) -> Result<DestAddresses<&'a [u8]>> {
    let (count, raw): (u8, &'a [u8]) = if u.ratio(1u8, 4)? {
        *u.choose(&DEST_SAMPLES)?
    } else {
        let len = u.int_in_range(0..=u.len())?;
        match valid_entries(take(u, len)?, dest_address) {
            // `number_of_dests` is at least 1.
            (0, _) => *u.choose(&DEST_SAMPLES)?,
            list => list,
        }
    };
    let (_, list) =
        finish(DestAddresses::parse_counted(count, raw)).map_err(|_| ArbError::IncorrectFormat)?;
    Ok(list)
}

/// The `unsuccess_sme` list: from the input, or a fixed one.
fn unsuccess_smes<'a>(u: &mut Unstructured<'a>) -> Result<UnsuccessSmes<&'a [u8]>> {
    let (count, raw): (u8, &'a [u8]) = if u.ratio(1u8, 4)? {
        *u.choose(&UNSUCCESS_SAMPLES)?
    } else {
        let len = u.int_in_range(0..=u.len())?;
        valid_entries(take(u, len)?, unsuccess_sme)
    };
    let (_, list) =
        finish(UnsuccessSmes::parse_counted(count, raw)).map_err(|_| ArbError::IncorrectFormat)?;
    Ok(list)
}

impl<'a> Arbitrary<'a> for Tlvs<&'a [u8]> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        tlv_region(u)
    }
}

impl<'a> Arbitrary<'a> for DestAddresses<&'a [u8]> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        dest_addresses(u)
    }
}

impl<'a> Arbitrary<'a> for UnsuccessSmes<&'a [u8]> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        unsuccess_smes(u)
    }
}

/// A response body that may be absent (`command_length` 16), made by
/// `make` when present.
fn optional<'a, T>(
    u: &mut Unstructured<'a>,
    make: impl FnOnce(&mut Unstructured<'a>) -> Result<T>,
) -> Result<Option<T>> {
    if u.ratio(1u8, 4)? {
        Ok(None)
    } else {
        make(u).map(Some)
    }
}

/// A `query_broadcast_sm_resp` body, with its mandatory TLVs.
fn query_broadcast_resp<'a>(u: &mut Unstructured<'a>) -> Result<SubmitSmResp<&'a [u8]>> {
    Ok(SubmitSmResp {
        message_id: cstr(u, MESSAGE_ID)?,
        tlvs: tlv_region_with(
            u,
            &QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS,
            &QUERY_BROADCAST_SM_RESP_TLVS,
        )?,
    })
}

/// A raw body under a `command_id` the specification does not define (a
/// known id is moved into the vendor range), as `Pdu::parse_any` keeps it.
fn unknown_raw<'a>(u: &mut Unstructured<'a>) -> Result<RawBody<&'a [u8]>> {
    let mut id = CommandId(u.arbitrary()?);
    if id.name().is_some() {
        id = CommandId((id.0 & CommandId::RESPONSE_BIT) | 0x0001_0200 | (id.0 & 0xFF));
    }
    let len = u.int_in_range(0..=u.len().min(512))?;
    Ok(RawBody::new(id, take(u, len)?))
}

/// A body variant from the input, as its row of the body table says.
macro_rules! arbitrary_variant {
    ($u:ident, $v:ident) => {{
        // Nothing to take from the input.
        let _ = $u;
        Body::$v
    }};
    ($u:ident, QueryBroadcastSmResp(opt $t:ident)) => {
        Body::QueryBroadcastSmResp(optional($u, query_broadcast_resp)?)
    };
    ($u:ident, $v:ident(opt $t:ident)) => {
        Body::$v(optional($u, Unstructured::arbitrary)?)
    };
    ($u:ident, $v:ident($t:ident)) => {
        Body::$v($u.arbitrary()?)
    };
}

/// Any body: a variant of the body table, or a [`Body::Raw`].
macro_rules! arbitrary_body {
    ($($(#[$doc:meta])* $v:ident $(($($k:ident)+))? = $id:ident,)+) => {
        impl<'a> Arbitrary<'a> for Body<&'a [u8]> {
            fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
                let variants: &[fn(&mut Unstructured<'a>) -> Result<Self>] =
                    &[$(|u| Ok(arbitrary_variant!(u, $v $(($($k)+))?))),+];
                let raw = u8::try_from(variants.len()).unwrap_or(u8::MAX);
                match variants.get(usize::from(u.int_in_range(0..=raw)?)) {
                    Some(variant) => variant(u),
                    None => Ok(Self::Raw(unknown_raw(u)?)),
                }
            }
        }
    };
}

crate::pdu::body_table!(arbitrary_body! {});

impl<'a> Arbitrary<'a> for Pdu<&'a [u8]> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        // The body first: it is the interesting part, and the integers
        // below still get input when the body used most of it.
        let body = u.arbitrary()?;
        Ok(Self {
            command_status: CommandStatus(u.arbitrary()?),
            sequence_number: u.arbitrary()?,
            body,
        })
    }
}
