//! The JSON shape of `smppdump`: one map per PDU, with the specification's
//! field names (those of its PDU and TLV tables).
//!
//! [`Json`] wraps a PDU, a body, a body struct or a TLV list to serialize
//! and deserialize it in this shape (with `serde_json`, whose
//! `preserve_order` keeps the keys in wire order):
//!
//! ```json
//! {"command":"submit_sm","command_id":4,"command_status":0,"sequence_number":7,
//!  "body":{"service_type":"","source_addr_ton":1,"...":"...","sm_length":2,"short_message":"6869"},
//!  "tlvs":[{"tag":524,"name":"sar_msg_ref_num","value":1,"hex":"0001"}]}
//! ```
//!
//! # Keys
//!
//! - `command` is the command's name; `command_id`, `command_status` and
//!   `sequence_number` are the header's numbers. `command_length` is not
//!   written (it is derived).
//! - `body` holds every mandatory field in wire order; it is `null` for a
//!   PDU without body (`unbind`, `enquire_link`, the header-only responses
//!   and error responses sent without body). Integers are numbers;
//!   C-Octet Strings are strings; octet strings (`short_message`) are
//!   lowercase hex. Derived counts (`sm_length`, `number_of_dests`,
//!   `no_unsuccess`) are included as decoded. A C-Octet String that is not
//!   UTF-8 is written in hex under its name with a `_hex` suffix (for
//!   example `"source_addr_hex":"ff41"`); either key is accepted back.
//! - `body_hex` is written instead of the fields for a body kept as its
//!   octets ([`Body::Raw`]): the body of a `command_id` the specification
//!   does not define (a vendor PDU, kept by [`Pdu::parse_any`]; its
//!   `command` is `null`) and the body of an error response that does not
//!   follow its command's layout. It holds every octet after the header in
//!   lowercase hex (`""` for none); `body` is then `null` and `tlvs` empty.
//!   Other PDUs have no `body_hex` key.
//!
//! ```
//! use smpp_core::Pdu;
//! use smpp_tools::json::Json;
//!
//! // A vendor request 0x00010200 (sequence 5) with a two-octet body.
//! let frame = [0, 0, 0, 18, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0xAB, 0xCD];
//! let json = serde_json::to_string(&Json(&Pdu::parse_any(&frame).unwrap())).unwrap();
//! assert_eq!(
//!     json,
//!     r#"{"command":null,"command_id":66048,"command_status":0,"sequence_number":5,"body":null,"body_hex":"abcd","tlvs":[]}"#
//! );
//! let Json(back): Json<Pdu<Vec<u8>>> = serde_json::from_str(&json).unwrap();
//! let mut out = [0u8; 18];
//! assert_eq!(back.emit(&mut out), Ok(18));
//! assert_eq!(out, frame);
//! ```
//! - `submit_multi`'s `dest_address` is a list of maps (`dest_flag` then
//!   `dest_addr_ton`, `dest_addr_npi`, `destination_addr`, or `dl_name`);
//!   `submit_multi_resp`'s `unsuccess_sme` a list of maps (`dest_addr_ton`,
//!   `dest_addr_npi`, `destination_addr`, `error_status_code`).
//! - `tlvs` lists the TLVs in wire order: `tag`, `name` (known tags only;
//!   the v3.4 name where v5.0 renamed one, `destination_port`), `value`
//!   (typed, when the octets fit the tag's type) and `hex` (the raw value
//!   octets, always).
//!
//! # TLV values
//!
//! The `json` column of smpp-core's TLV table types each tag's `value`:
//!
//! - Integer tags: a number, decoded from however many octets were sent.
//!   This includes `dest_addr_np_country` (0x0613), which the specification
//!   types as an Integer of 1 to 5 octets.
//! - C-Octet String tags: a string without the NUL. `source_node_id` and
//!   `dest_node_id`: their decimal digits as a string.
//! - Octet String tags (`message_payload`, `source_subaddress`, ...): hex.
//! - Composites are maps: `network_error_code` `{network_type, error_code}`,
//!   `broadcast_content_type` `{network_type, content_type}`,
//!   `broadcast_frequency_interval` `{time_unit, number}`,
//!   `broadcast_area_identifier` `{format, area}` (area in hex),
//!   `callback_num` `{digit_mode, ton, npi, number}` (`number_hex` if not
//!   UTF-8), `its_session_info` `{session_number, sequence_number,
//!   end_of_session}`.
//! - `ms_validity` is a number (1 octet) or `{behaviour, time_unit, number}`
//!   (4 octets); `alert_on_message_delivery` is `null` (no value) or a
//!   number.
//! - Unknown and vendor tags have no `value`, only `hex`.
//!
//! # Deserializing
//!
//! Deserializing needs a self-describing format (JSON, ...). It takes the
//! same map:
//!
//! - `command` or `command_id` (both must agree when given),
//!   `command_status` (0 if absent), `sequence_number`, `body`, `tlvs`
//!   (empty if absent).
//! - `body_hex` instead of `body` and `tlvs` (`body` `null` or absent, no
//!   TLVs): the body octets as they are, for any `command_id`. It is the
//!   only way to give a PDU of an unknown `command_id`, which is then kept
//!   raw as [`Pdu::parse_any`] keeps it.
//! - Derived lengths (`command_length`, `sm_length`, `number_of_dests`,
//!   `no_unsuccess`, a TLV's `length`) may be left out; when present they
//!   must match.
//! - A TLV is identified by `tag` or `name` (the v5.0 name `dest_port` is
//!   accepted too) and written from `hex` when given, else from `value`. An
//!   integer `value` takes the tag's size, or the `length` given with it
//!   (`{"name":"dest_addr_np_country","value":44,"length":5}`);
//!   `dest_addr_np_country` without `length` takes as few octets as the
//!   number needs.
//! - A top-level `content` key is reserved for derived, read-only views
//!   (`smppdump` writes one) and ignored. Unknown keys are refused.
//!
//! The map is first turned into wire octets, refusing what does not fit the
//! shape; the octets are then checked exactly as [`Pdu::parse`] checks
//! received ones (an unknown `command_id` kept, as by [`Pdu::parse_any`]).
//! [`PduWire`] stops after the first step, so that the second one's
//! [`Error`](smpp_core::Error) keeps its type and its `command_status`
//! (`smppdump --encode` reports it for a line that breaks a field rule).
//!
//! # Bodies and TLV lists
//!
//! The body types have the shape too:
//!
//! - Each body struct ([`SubmitSm`],
//!   [`Bind`], [`SubmitMultiResp`],
//!   ...) is the `body` map above followed by its `tlvs` list under the key
//!   `tlvs`, the specification's last field. A struct that serves several
//!   commands (`SubmitSm` is also `deliver_sm`'s, `SubmitSmResp` also
//!   `data_sm_resp`'s, ...) is checked by the rules of the first command
//!   its type is named after.
//! - [`Body`] is the PDU's map without `command_status`, `sequence_number`
//!   and `command_length`: `command`, `command_id`, `body`, `tlvs`. Without
//!   a `command_status` it is written and read by the rules of a PDU with
//!   status 0, so the body of an error response that breaks them (a raw
//!   body, missing mandatory TLVs) is written and read only inside its
//!   [`Pdu`].
//! - [`Tlvs`] is the `tlvs` list.
//!
//! ```
//! use smpp_core::{Body, Pdu, SubmitSm};
//! use smpp_tools::json::Json;
//!
//! let json = r#"{"command":"submit_sm","sequence_number":7,"body":{
//!     "service_type":"","source_addr_ton":5,"source_addr_npi":0,"source_addr":"INFO",
//!     "dest_addr_ton":1,"dest_addr_npi":1,"destination_addr":"447700900123",
//!     "esm_class":0,"protocol_id":0,"priority_flag":0,"schedule_delivery_time":"",
//!     "validity_period":"","registered_delivery":0,"replace_if_present_flag":0,
//!     "data_coding":0,"sm_default_msg_id":0,"short_message":"6869"},
//!     "tlvs":[{"name":"sar_msg_ref_num","value":1}]}"#;
//! let Json(pdu): Json<Pdu<Vec<u8>>> = serde_json::from_str(json).unwrap();
//! let Body::SubmitSm(sm) = &pdu.body else { unreachable!() };
//! assert_eq!(sm.short_message, b"hi");
//!
//! let text = serde_json::to_string(&Json(sm)).unwrap();
//! assert!(text.ends_with(r#""sm_length":2,"short_message":"6869","tlvs":[{"tag":524,"name":"sar_msg_ref_num","value":1,"hex":"0001"}]}"#));
//! let Json(back): Json<SubmitSm<Vec<u8>>> = serde_json::from_str(&text).unwrap();
//! assert_eq!(&back, sm);
//! ```

mod read;

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Error as _, Serialize, Serializer};
use serde_json::{Map, Value};
use smpp_core::hex::Hex;
use smpp_core::{
    AlertNotification, Bind, BindResp, Body, BroadcastSm, CancelBroadcastSm, CancelSm, CommandId,
    DEST_FLAG_DISTRIBUTION_LIST, DataSm, Header, Outbind, Pdu, QuerySm, QuerySmResp, ReplaceSm,
    SubmitMulti, SubmitMultiResp, SubmitSm, SubmitSmResp, TlvTag, Tlvs,
};

pub use read::PduWire;
use serde_json::Value as Val;

/// A PDU ([`Pdu`]), a [`Body`], a body struct or a [`Tlvs`] list, that
/// serializes and deserializes in `smppdump`'s JSON shape (see the
/// [module](self)). Serialize `Json(&value)`; deserialize `Json<T>` for an
/// owned `T` (octets in a storage made from a `Vec<u8>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Json<T>(pub T);

/// `Serialize` for `Json<&$ty>` by `$to` (the type's JSON value) and
/// `Deserialize` for `Json<$ty>` by `$from` (the PDU, body or list a JSON value describes).
macro_rules! json_serde {
    ($ty:ident, $to:expr, $from:expr) => {
        impl<B: AsRef<[u8]>> Serialize for Json<&$ty<B>> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let to: fn(&$ty<B>) -> Result<Value, String> = $to;
                to(self.0).map_err(S::Error::custom)?.serialize(s)
            }
        }

        impl<'de, B: AsRef<[u8]> + From<Vec<u8>>> Deserialize<'de> for Json<$ty<B>> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let from: fn(Val) -> Result<$ty<B>, String> = $from;
                from(Val::deserialize(d)?)
                    .map(Json)
                    .map_err(D::Error::custom)
            }
        }
    };
}

// ---------------------------------------------------------------- layouts

/// One mandatory field (or group) of a body, in wire order.
enum F {
    /// Integer1.
    U8(String),
    /// C-Octet String.
    Cstr(String),
    /// `sm_length` then `short_message`.
    Sm,
    /// `number_of_dests` then the `dest_address` entries.
    Dests,
    /// `no_unsuccess` then the `unsuccess_sme` entries.
    Unsuccess,
}

use F::{Cstr, Dests, Sm, U8, Unsuccess};

/// The mandatory fields of the body struct `T` in wire order: the keys of
/// its derived serde form (the specification's names, in field order), each
/// typed by its value there.
fn fields<T: Default + Serialize>() -> Vec<F> {
    let Ok(Value::Object(form)) = serde_json::to_value(T::default()) else {
        return Vec::new();
    };
    form.into_iter()
        .filter_map(|(name, value)| match (name.as_str(), value) {
            ("tlvs", _) => None,
            ("short_message", _) => Some(Sm),
            ("dest_address", _) => Some(Dests),
            ("unsuccess_sme", _) => Some(Unsuccess),
            (_, Value::String(_)) => Some(Cstr(name)),
            _ => Some(U8(name)),
        })
        .collect()
}

/// How a command's body looks.
enum Shape {
    /// Mandatory fields, then TLVs.
    Fields(Vec<F>),
    /// A response body that may be absent (then `body` is `null`).
    Optional(Vec<F>),
    /// Header-only: TLVs only, `body` is `null`.
    TlvsOnly,
    /// No body at all.
    Empty,
}

/// The body shape of a command, `None` for ids this crate does not know.
fn shape(id: CommandId) -> Option<Shape> {
    use Shape::{Empty, Fields, Optional, TlvsOnly};
    type S<'a> = &'a [u8];
    Some(match id {
        CommandId::BIND_RECEIVER | CommandId::BIND_TRANSMITTER | CommandId::BIND_TRANSCEIVER => {
            Fields(fields::<Bind<S<'_>>>())
        }
        CommandId::BIND_RECEIVER_RESP
        | CommandId::BIND_TRANSMITTER_RESP
        | CommandId::BIND_TRANSCEIVER_RESP => Optional(fields::<BindResp<S<'_>>>()),
        CommandId::OUTBIND => Fields(fields::<Outbind<S<'_>>>()),
        CommandId::ALERT_NOTIFICATION => Fields(fields::<AlertNotification<S<'_>>>()),
        CommandId::SUBMIT_SM | CommandId::DELIVER_SM => Fields(fields::<SubmitSm<S<'_>>>()),
        CommandId::SUBMIT_SM_RESP
        | CommandId::DELIVER_SM_RESP
        | CommandId::DATA_SM_RESP
        | CommandId::BROADCAST_SM_RESP
        | CommandId::QUERY_BROADCAST_SM_RESP => Optional(fields::<SubmitSmResp<S<'_>>>()),
        CommandId::DATA_SM => Fields(fields::<DataSm<S<'_>>>()),
        CommandId::SUBMIT_MULTI => Fields(fields::<SubmitMulti<S<'_>>>()),
        CommandId::SUBMIT_MULTI_RESP => Optional(fields::<SubmitMultiResp<S<'_>>>()),
        CommandId::QUERY_SM | CommandId::QUERY_BROADCAST_SM => Fields(fields::<QuerySm<S<'_>>>()),
        CommandId::QUERY_SM_RESP => Optional(fields::<QuerySmResp<S<'_>>>()),
        CommandId::CANCEL_SM => Fields(fields::<CancelSm<S<'_>>>()),
        CommandId::REPLACE_SM => Fields(fields::<ReplaceSm<S<'_>>>()),
        CommandId::BROADCAST_SM => Fields(fields::<BroadcastSm<S<'_>>>()),
        CommandId::CANCEL_BROADCAST_SM => Fields(fields::<CancelBroadcastSm<S<'_>>>()),
        CommandId::GENERIC_NACK
        | CommandId::UNBIND_RESP
        | CommandId::REPLACE_SM_RESP
        | CommandId::CANCEL_SM_RESP
        | CommandId::ENQUIRE_LINK_RESP
        | CommandId::CANCEL_BROADCAST_SM_RESP => TlvsOnly,
        CommandId::UNBIND | CommandId::ENQUIRE_LINK => Empty,
        _ => return None,
    })
}

// ------------------------------------------------------------ TLV typing

/// How a TLV's value is typed in JSON (the `json` column of the TLV
/// table).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tk {
    /// Big-endian integer; the width used when encoding from `value`
    /// without `length`.
    Int(usize),
    /// Big-endian integer of 1 to 5 octets (`dest_addr_np_country`); as few
    /// octets as the value needs when encoding from `value` without
    /// `length`.
    VarInt,
    /// C-Octet String (NUL added when encoding from `value`).
    Cstr,
    /// Text without NUL (decimal node ids).
    Text,
    /// Octets, as hex.
    Octets,
    NetworkErrorCode,
    BroadcastContentType,
    FrequencyInterval,
    AreaIdentifier,
    CallbackNum,
    ItsSessionInfo,
    MsValidity,
    AlertOnDelivery,
}

/// Defines [`tlv_kind`] from the `json` column of smpp-core's TLV table.
macro_rules! tlv_kinds {
    ($(
        $(#[$doc:meta])*
        $konst:ident = $value:literal, $name:ident $(| $alias:ident)?, $rule:expr,
        in $placement:expr, json $json:ident $(($width:literal))?,
        $codec:ty => $variant:ident
            $( ( $one:ident : $one_ty:tt $(<$one_arg:tt>)? ) )?
            $( { $( $(#[$field_doc:meta])* $field:ident : $field_ty:tt $(<$field_arg:tt>)? ),* $(,)? } )?
        $(, $setter:ident)?;
    )*) => {
        /// How a tag's value is typed; `None` for tags the specification
        /// does not define.
        const fn tlv_kind(tag: TlvTag) -> Option<Tk> {
            match tag.0 {
                $( $value => Some(Tk::$json $(($width))?), )*
                _ => None,
            }
        }
    };
}

smpp_core::__tlv_table!(tlv_kinds);

// ------------------------------------------------------------- serialize

/// Lowercase hex of octets.
fn hex(v: &[u8]) -> Value {
    Value::String(Hex(v).to_string())
}

/// A map of `entries`, in their order.
fn obj<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// Adds `value` under `key`.
fn put(m: &mut Map<String, Value>, key: &str, value: impl Into<Value>) {
    m.insert(key.to_owned(), value.into());
}

/// Adds a C-Octet String value: text, or hex under the `_hex` key.
fn put_cstr(m: &mut Map<String, Value>, name: &str, value: &[u8]) {
    match core::str::from_utf8(value) {
        Ok(s) => m.insert(name.to_owned(), s.into()),
        Err(_) => m.insert(format!("{name}_hex"), hex(value)),
    };
}

/// Reads wire octets field by field (they were just emitted, so valid).
struct Rd<'a>(&'a [u8]);

impl<'a> Rd<'a> {
    fn u8(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
    fn u32(&mut self) -> Option<u32> {
        let (b, rest) = self.0.split_first_chunk::<4>()?;
        self.0 = rest;
        Some(u32::from_be_bytes(*b))
    }
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (v, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(v)
    }
    fn cstr(&mut self) -> Option<&'a [u8]> {
        let end = self.0.iter().position(|&b| b == 0)?;
        let v = self.take(end)?;
        self.u8()?;
        Some(v)
    }
}

/// Reads a count octet and that many list entries, each by `entry`; adds
/// the count under `count_key` and the entries under `key`.
fn put_list<'a>(
    r: &mut Rd<'a>,
    out: &mut Map<String, Value>,
    count_key: &str,
    key: &str,
    mut entry: impl FnMut(&mut Rd<'a>, &mut Map<String, Value>) -> Option<()>,
) -> Option<()> {
    let count = r.u8()?;
    let mut list = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        let mut e = Map::new();
        entry(r, &mut e)?;
        list.push(Value::Object(e));
    }
    put(out, count_key, count);
    put(out, key, list);
    Some(())
}

/// Reads an SME address: `dest_addr_ton`, `dest_addr_npi`,
/// `destination_addr`.
fn put_sme_address(r: &mut Rd<'_>, e: &mut Map<String, Value>) -> Option<()> {
    put(e, "dest_addr_ton", r.u8()?);
    put(e, "dest_addr_npi", r.u8()?);
    put_cstr(e, "destination_addr", r.cstr()?);
    Some(())
}

/// Walks the mandatory fields into `out`; returns the TLV octets after
/// them.
fn body_json<'a>(fields: &[F], body: &'a [u8], out: &mut Map<String, Value>) -> Option<&'a [u8]> {
    let mut r = Rd(body);
    for f in fields {
        match f {
            U8(name) => put(out, name, r.u8()?),
            Cstr(name) => put_cstr(out, name, r.cstr()?),
            Sm => {
                let len = r.u8()?;
                put(out, "sm_length", len);
                put(out, "short_message", hex(r.take(usize::from(len))?));
            }
            Dests => put_list(&mut r, out, "number_of_dests", "dest_address", |r, e| {
                let flag = r.u8()?;
                put(e, "dest_flag", flag);
                if flag == DEST_FLAG_DISTRIBUTION_LIST {
                    put_cstr(e, "dl_name", r.cstr()?);
                } else {
                    put_sme_address(r, e)?;
                }
                Some(())
            })?,
            Unsuccess => put_list(&mut r, out, "no_unsuccess", "unsuccess_sme", |r, e| {
                put_sme_address(r, e)?;
                put(e, "error_status_code", r.u32()?);
                Some(())
            })?,
        }
    }
    Some(r.0)
}

fn be(v: &[u8]) -> u64 {
    v.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

/// The typed `value` of a TLV, `None` when the octets do not fit its type.
fn tlv_value(kind: Tk, v: &[u8]) -> Option<Value> {
    fn text(b: &[u8]) -> Option<Value> {
        core::str::from_utf8(b).ok().map(Value::from)
    }
    let be16 = |a: u8, b: u8| Value::from(u16::from_be_bytes([a, b]));
    Some(match (kind, v) {
        (Tk::Int(_), _) if (1..=8).contains(&v.len()) => be(v).into(),
        (Tk::VarInt, _) if (1..=5).contains(&v.len()) => be(v).into(),
        (Tk::Cstr, _) => text(&v[..v.iter().position(|&b| b == 0).unwrap_or(v.len())])?,
        (Tk::Text, _) => text(v)?,
        (Tk::Octets, _) => hex(v),
        (Tk::NetworkErrorCode, &[t, a, b]) => {
            obj([("network_type", t.into()), ("error_code", be16(a, b))])
        }
        (Tk::BroadcastContentType, &[t, a, b]) => {
            obj([("network_type", t.into()), ("content_type", be16(a, b))])
        }
        (Tk::FrequencyInterval, &[u, a, b]) => {
            obj([("time_unit", u.into()), ("number", be16(a, b))])
        }
        (Tk::AreaIdentifier, [format, area @ ..]) => {
            obj([("format", (*format).into()), ("area", hex(area))])
        }
        (Tk::CallbackNum, [mode, ton, npi, number @ ..]) => {
            let Value::Object(mut m) = obj([
                ("digit_mode", (*mode).into()),
                ("ton", (*ton).into()),
                ("npi", (*npi).into()),
            ]) else {
                return None;
            };
            put_cstr(&mut m, "number", number);
            Value::Object(m)
        }
        (Tk::ItsSessionInfo, &[session, seq]) => obj([
            ("session_number", session.into()),
            ("sequence_number", (seq >> 1).into()),
            ("end_of_session", (seq & 1 == 1).into()),
        ]),
        (Tk::MsValidity | Tk::AlertOnDelivery, &[b]) => b.into(),
        (Tk::MsValidity, &[behaviour, unit, a, b]) => obj([
            ("behaviour", behaviour.into()),
            ("time_unit", unit.into()),
            ("number", be16(a, b)),
        ]),
        (Tk::AlertOnDelivery, &[]) => Value::Null,
        _ => return None,
    })
}

fn tlvs_json(mut raw: &[u8]) -> Option<Value> {
    let mut out = Vec::new();
    while !raw.is_empty() {
        let (head, rest) = raw.split_first_chunk::<4>()?;
        let tag = TlvTag(u16::from_be_bytes([head[0], head[1]]));
        let len = usize::from(u16::from_be_bytes([head[2], head[3]]));
        let (value, rest) = rest.split_at_checked(len)?;
        raw = rest;
        let mut e = Map::new();
        e.insert("tag".into(), tag.0.into());
        if let Some(name) = tag.name() {
            e.insert("name".into(), name.into());
        }
        if let Some(v) = tlv_kind(tag).and_then(|k| tlv_value(k, value)) {
            e.insert("value".into(), v);
        }
        e.insert("hex".into(), hex(value));
        out.push(Value::Object(e));
    }
    Some(out.into())
}

/// The top-level map of a PDU (`header` is its `command_status` and
/// `sequence_number`) or, without header, of a [`Body`]; `body` is the
/// octets after the header.
fn top_json(
    id: CommandId,
    header: Option<(u32, u32)>,
    body: &[u8],
    raw: bool,
) -> Result<Value, String> {
    let bad = "PDU does not re-read";
    let mut top = Map::new();
    put(&mut top, "command", id.name());
    put(&mut top, "command_id", id.0);
    if let Some((status, seq)) = header {
        put(&mut top, "command_status", status);
        put(&mut top, "sequence_number", seq);
    }
    if raw {
        // A body kept as octets ([`Body::Raw`]): no fields, no TLV list.
        put(&mut top, "body", Value::Null);
        put(&mut top, "body_hex", hex(body));
        put(&mut top, "tlvs", Vec::<Value>::new());
        return Ok(Value::Object(top));
    }
    let (fields, tlvs) = match shape(id).ok_or("unknown command_id")? {
        Shape::Optional(_) if body.is_empty() => (Value::Null, body),
        Shape::Fields(f) | Shape::Optional(f) => {
            let mut fields = Map::new();
            let tlvs = body_json(&f, body, &mut fields).ok_or(bad)?;
            (Value::Object(fields), tlvs)
        }
        Shape::TlvsOnly => (Value::Null, body),
        Shape::Empty => (Value::Null, &[][..]),
    };
    put(&mut top, "body", fields);
    put(&mut top, "tlvs", tlvs_json(tlvs).ok_or(bad)?);
    Ok(Value::Object(top))
}

/// A body struct's map: its mandatory fields, then `tlvs`.
fn struct_json(fields: &[F], octets: &[u8]) -> Result<Value, String> {
    let mut out = Map::new();
    let bad = || String::from("body does not re-read");
    let tlvs = body_json(fields, octets, &mut out).ok_or_else(bad)?;
    put(&mut out, "tlvs", tlvs_json(tlvs).ok_or_else(bad)?);
    Ok(Value::Object(out))
}

/// The wire octets of `emit` for a value of `len` octets.
fn emitted(
    len: usize,
    emit: impl FnOnce(&mut [u8]) -> Result<usize, smpp_core::Error>,
) -> Result<Vec<u8>, String> {
    let mut wire = vec![0u8; len];
    emit(&mut wire).map_err(|e| e.to_string())?;
    Ok(wire)
}

fn pdu_json<B: AsRef<[u8]>>(pdu: &Pdu<B>) -> Result<Value, String> {
    let wire = emitted(pdu.encoded_len(), |w| pdu.emit(w))?;
    let body = wire.get(Header::LEN..).unwrap_or_default();
    let header = (pdu.command_status.0, pdu.sequence_number);
    let raw = matches!(pdu.body, Body::Raw(_));
    top_json(pdu.command_id(), Some(header), body, raw)
}

fn body_value<B: AsRef<[u8]>>(body: &Body<B>) -> Result<Value, String> {
    let wire = emitted(body.encoded_len(), |w| body.emit(w))?;
    top_json(body.command_id(), None, &wire, matches!(body, Body::Raw(_)))
}

fn tlvs_value<B: AsRef<[u8]>>(tlvs: &Tlvs<B>) -> Result<Value, String> {
    tlvs_json(tlvs.as_bytes()).ok_or_else(|| "TLVs do not re-read".into())
}

json_serde!(Pdu, pdu_json, read::pdu);
json_serde!(Body, body_value, read::body);
json_serde!(Tlvs, tlvs_value, read::tlvs);

/// The JSON shape of a body struct: its fields' map with the `tlvs` list
/// last, read back as the body of `$id` (`$pat` takes the struct out of the
/// parsed [`Body`]).
macro_rules! struct_serde {
    ($ty:ident, $id:ident, $pat:pat => $b:ident) => {
        json_serde!(
            $ty,
            |b| {
                let octets = emitted(b.encoded_len(), |w| b.emit(w))?;
                struct_json(&fields::<$ty<&[u8]>>(), &octets)
            },
            |v| {
                let wire = read::struct_wire(&fields::<$ty<&[u8]>>(), v)?;
                match Body::parse(CommandId::$id, wire.as_bytes()) {
                    Ok($pat) => Ok($b.map(read::owned)),
                    Ok(_) => Err("body does not re-read".into()),
                    Err(e) => Err(wire.explain(e).to_string()),
                }
            }
        );
    };
}

struct_serde!(Bind, BIND_TRANSMITTER, Body::BindTransmitter(b) => b);
struct_serde!(BindResp, BIND_TRANSMITTER_RESP, Body::BindTransmitterResp(Some(b)) => b);
struct_serde!(Outbind, OUTBIND, Body::Outbind(b) => b);
struct_serde!(AlertNotification, ALERT_NOTIFICATION, Body::AlertNotification(b) => b);
struct_serde!(SubmitSm, SUBMIT_SM, Body::SubmitSm(b) => b);
struct_serde!(SubmitSmResp, SUBMIT_SM_RESP, Body::SubmitSmResp(Some(b)) => b);
struct_serde!(DataSm, DATA_SM, Body::DataSm(b) => b);
struct_serde!(SubmitMulti, SUBMIT_MULTI, Body::SubmitMulti(b) => b);
struct_serde!(SubmitMultiResp, SUBMIT_MULTI_RESP, Body::SubmitMultiResp(Some(b)) => b);
struct_serde!(QuerySm, QUERY_SM, Body::QuerySm(b) => b);
struct_serde!(QuerySmResp, QUERY_SM_RESP, Body::QuerySmResp(Some(b)) => b);
struct_serde!(CancelSm, CANCEL_SM, Body::CancelSm(b) => b);
struct_serde!(ReplaceSm, REPLACE_SM, Body::ReplaceSm(b) => b);
struct_serde!(BroadcastSm, BROADCAST_SM, Body::BroadcastSm(b) => b);
struct_serde!(CancelBroadcastSm, CANCEL_BROADCAST_SM, Body::CancelBroadcastSm(b) => b);

/// The JSON value of a PDU, body, body struct or TLV list.
pub fn to_value<T>(value: &T) -> serde_json::Result<Value>
where
    for<'a> Json<&'a T>: Serialize,
{
    serde_json::to_value(Json(value))
}

/// The PDU, body, body struct or TLV list a JSON value describes.
pub fn from_value<T>(value: Value) -> serde_json::Result<T>
where
    Json<T>: serde::de::DeserializeOwned,
{
    serde_json::from_value::<Json<T>>(value).map(|Json(t)| t)
}
