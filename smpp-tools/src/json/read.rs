//! Reading the JSON shape: the map becomes wire octets ([`PduWire`]),
//! which the codec then checks as it checks received ones.

use serde::de::{Deserialize, Deserializer};
use serde_json::{Map, Value as Val};
use smpp_core::hex::octets;
use smpp_core::{Body, CommandId, Error, ErrorKind, FieldProblem, Pdu, TlvTag, Tlvs};

use super::F::{Cstr, Dests, Sm, U8, Unsuccess};
use super::{F, Shape, Tk, shape};

/// What a value is, for messages.
fn what(v: &Val) -> &'static str {
    match v {
        Val::Null => "null",
        Val::Bool(_) => "a boolean",
        Val::Number(n) if n.is_u64() => "a number",
        Val::Number(_) => "a negative or fractional number",
        Val::String(_) => "a string",
        Val::Array(_) => "a list",
        Val::Object(_) => "a map",
    }
}

/// The error for `v` at `at`, where `wanted` (a number, a list, ...) was
/// expected.
fn expected(at: &str, wanted: &str, v: &Val) -> String {
    format!("{at}: expected {wanted}, got {}", what(v))
}

type Res<T> = Result<T, String>;

/// A map being taken apart key by key; leftovers are errors.
struct Obj {
    at: String,
    entries: Map<String, Val>,
}

impl Obj {
    fn new(at: &str, v: Val) -> Res<Self> {
        match v {
            Val::Object(entries) => Ok(Self {
                at: at.to_string(),
                entries,
            }),
            other => Err(expected(at, "a map", &other)),
        }
    }

    fn take(&mut self, key: &str) -> Option<Val> {
        self.entries.shift_remove(key)
    }

    fn missing(&self, key: &str) -> String {
        self.path(key) + ": missing"
    }

    fn path(&self, key: &str) -> String {
        if self.at.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.at)
        }
    }

    fn num_opt(&mut self, key: &str, max: u64) -> Res<Option<u64>> {
        match self.take(key) {
            None => Ok(None),
            Some(Val::Number(n)) if n.as_u64().is_some_and(|n| n <= max) => Ok(n.as_u64()),
            Some(Val::Number(n)) if n.is_u64() => {
                Err(format!("{}: {n} is above {max}", self.path(key)))
            }
            Some(v) => Err(expected(&self.path(key), "a number", &v)),
        }
    }

    fn num(&mut self, key: &str, max: u64) -> Res<u64> {
        self.num_opt(key, max)?.ok_or_else(|| self.missing(key))
    }

    fn u8(&mut self, key: &str) -> Res<u8> {
        self.num(key, 0xFF).map(|n| n.to_be_bytes()[7])
    }

    fn str_opt(&mut self, key: &str) -> Res<Option<String>> {
        match self.take(key) {
            None => Ok(None),
            Some(Val::String(s)) => Ok(Some(s)),
            Some(v) => Err(expected(&self.path(key), "a string", &v)),
        }
    }

    /// A string, or `None` when absent or `null`.
    fn str_opt_or_null(&mut self, key: &str) -> Res<Option<String>> {
        match self.take(key) {
            None | Some(Val::Null) => Ok(None),
            Some(v) => {
                self.entries.insert(key.into(), v);
                self.str_opt(key)
            }
        }
    }

    fn hex(&mut self, key: &str) -> Res<Option<Vec<u8>>> {
        match self.str_opt(key)? {
            None => Ok(None),
            Some(s) => octets(s.bytes())
                .collect::<Option<_>>()
                .map(Some)
                .ok_or_else(|| format!("{}: not an even-length hex string", self.path(key))),
        }
    }

    /// A C-Octet String by its name or its `_hex` name, without NUL.
    fn cstr_opt(&mut self, key: &str) -> Res<Option<Vec<u8>>> {
        let text = self.str_opt(key)?.map(String::into_bytes);
        let hex = self.hex(&format!("{key}_hex"))?;
        let value = match (text, hex) {
            (Some(_), Some(_)) => {
                return Err(format!("{}: given both as text and as hex", self.path(key)));
            }
            (v, None) | (None, v) => v,
        };
        if value.as_ref().is_some_and(|v| v.contains(&0)) {
            return Err(format!("{}: NUL inside a C-Octet String", self.path(key)));
        }
        Ok(value)
    }

    fn cstr(&mut self, key: &str) -> Res<Vec<u8>> {
        self.cstr_opt(key)?.ok_or_else(|| self.missing(key))
    }

    fn done(self) -> Res<()> {
        match self.entries.keys().next() {
            None => Ok(()),
            Some(k) => Err(format!("{}: unexpected key", self.path(k))),
        }
    }
}

fn check_count(given: Option<u64>, actual: usize, path: &str) -> Res<()> {
    match given {
        Some(n) if usize::try_from(n).ok() != Some(actual) => {
            Err(format!("{path}: {n} does not match the {actual} given"))
        }
        _ => Ok(()),
    }
}

fn write_fields(fields: &[F], body: &mut Obj, out: &mut PduWire) -> Res<()> {
    for f in fields {
        match f {
            U8(name) => out.push(body.u8(name)?),
            Cstr(name) => out.cstr(name, &body.cstr(name)?),
            Sm => {
                let sm = body
                    .hex("short_message")?
                    .ok_or_else(|| body.missing("short_message"))?;
                let given = body.num_opt("sm_length", 0xFF)?;
                check_count(given, sm.len(), &body.path("sm_length"))?;
                let len = u8::try_from(sm.len())
                    .map_err(|_| body.path("short_message") + ": longer than 255 octets")?;
                out.push(len);
                out.extend_from_slice(&sm);
            }
            Dests => {
                for e in list_entries(body, "number_of_dests", "dest_address", out)? {
                    let mut e = e?;
                    let flag = e.num_opt("dest_flag", 0xFF)?;
                    let is_dl = match flag {
                        Some(1) => false,
                        Some(2) => true,
                        None => e.entries.keys().any(|k| k.starts_with("dl_name")),
                        Some(n) => {
                            return Err(format!("{}: {n} is not 1 or 2", e.path("dest_flag")));
                        }
                    };
                    if is_dl {
                        out.push(smpp_core::DEST_FLAG_DISTRIBUTION_LIST);
                        out.cstr("dl_name", &e.cstr("dl_name")?);
                    } else {
                        out.push(smpp_core::DEST_FLAG_SME_ADDRESS);
                        out.push(e.u8("dest_addr_ton")?);
                        out.push(e.u8("dest_addr_npi")?);
                        out.cstr("destination_addr", &e.cstr("destination_addr")?);
                    }
                    e.done()?;
                }
            }
            Unsuccess => {
                for e in list_entries(body, "no_unsuccess", "unsuccess_sme", out)? {
                    let mut e = e?;
                    out.push(e.u8("dest_addr_ton")?);
                    out.push(e.u8("dest_addr_npi")?);
                    out.cstr("destination_addr", &e.cstr("destination_addr")?);
                    let code = e.num("error_status_code", u64::from(u32::MAX))?;
                    out.extend_from_slice(&code.to_be_bytes()[4..]);
                    e.done()?;
                }
            }
        }
    }
    Ok(())
}

/// Writes the count of the list `key` (`dest_address`, `unsuccess_sme`),
/// which `count_key` may give too, and returns its entries, each read
/// when it is reached.
fn list_entries(
    body: &mut Obj,
    count_key: &str,
    key: &str,
    out: &mut PduWire,
) -> Res<impl Iterator<Item = Res<Obj>> + use<>> {
    let given = body.num_opt(count_key, 0xFF)?;
    let list = seq(body, key)?;
    check_count(given, list.len(), &body.path(count_key))?;
    let at = body.path(key);
    out.push(count_u8(list.len(), &at)?);
    Ok(list
        .into_iter()
        .enumerate()
        .map(move |(i, v)| Obj::new(&format!("{at}[{i}]"), v)))
}

fn count_u8(n: usize, path: &str) -> Res<u8> {
    u8::try_from(n).map_err(|_| format!("{path}: more than 255 entries"))
}

fn seq(o: &mut Obj, key: &str) -> Res<Vec<Val>> {
    match o.take(key) {
        None => Err(o.missing(key)),
        Some(Val::Array(v)) => Ok(v),
        Some(v) => Err(expected(&o.path(key), "a list", &v)),
    }
}

/// An integer TLV value in big-endian octets: `length` octets when given,
/// else `default` (or, for 0, as few as the number needs).
fn int_octets(v: &Val, default: usize, length: Option<u64>, at: &str) -> Res<Vec<u8>> {
    let Some(n) = v.as_u64() else {
        return Err(expected(at, "a number", v));
    };
    let fewest = usize::try_from(u64::BITS - n.leading_zeros())
        .unwrap_or(64)
        .div_ceil(8)
        .max(1);
    let width = match length {
        None if default == 0 => fewest,
        None => default,
        Some(len @ 1..=8) => usize::try_from(len).unwrap_or(8),
        Some(len) => {
            return Err(format!(
                "{at}: length {len}: an integer value takes 1 to 8 octets"
            ));
        }
    };
    let bytes = n.to_be_bytes();
    let (high, low) = bytes.split_at(8usize.saturating_sub(width));
    if high.iter().any(|&b| b != 0) {
        return Err(format!("{at}: {n} does not fit {width} octet(s)"));
    }
    Ok(low.to_vec())
}

/// Encodes a typed TLV `value` back to octets; `length`, when given, is the
/// size of an integer value.
fn tlv_octets(kind: Tk, v: Val, length: Option<u64>, at: &str) -> Res<Vec<u8>> {
    let int = |v: &Val, default: usize| int_octets(v, default, length, at);
    let text = |v: Val| -> Res<Vec<u8>> {
        match v {
            Val::String(s) => Ok(s.into_bytes()),
            other => Err(expected(at, "a string", &other)),
        }
    };
    Ok(match kind {
        Tk::Int(w) => int(&v, w)?,
        Tk::VarInt => int(&v, 0)?,
        Tk::Cstr => {
            let mut s = text(v)?;
            if s.contains(&0) {
                return Err(format!("{at}: NUL inside a C-Octet String"));
            }
            s.push(0);
            s
        }
        Tk::Text => text(v)?,
        Tk::Octets => octets(text(v)?)
            .collect::<Option<_>>()
            .ok_or_else(|| format!("{at}: not an even-length hex string"))?,
        Tk::NetworkErrorCode | Tk::BroadcastContentType | Tk::FrequencyInterval => {
            let (first, second) = match kind {
                Tk::NetworkErrorCode => ("network_type", "error_code"),
                Tk::BroadcastContentType => ("network_type", "content_type"),
                _ => ("time_unit", "number"),
            };
            let mut o = Obj::new(at, v)?;
            let mut out = vec![o.u8(first)?];
            let n = o.num(second, 0xFFFF)?;
            out.extend_from_slice(&n.to_be_bytes()[6..]);
            o.done()?;
            out
        }
        Tk::AreaIdentifier => {
            let mut o = Obj::new(at, v)?;
            let mut out = vec![o.u8("format")?];
            out.extend(o.hex("area")?.unwrap_or_default());
            o.done()?;
            out
        }
        Tk::CallbackNum => {
            let mut o = Obj::new(at, v)?;
            let mut out = vec![o.u8("digit_mode")?, o.u8("ton")?, o.u8("npi")?];
            out.extend(o.cstr("number")?);
            o.done()?;
            out
        }
        Tk::ItsSessionInfo => {
            let mut o = Obj::new(at, v)?;
            let session = o.u8("session_number")?;
            let seq = o.num("sequence_number", 0x7F)?.to_be_bytes()[7];
            let end = match o.take("end_of_session") {
                None | Some(Val::Bool(false)) => 0,
                Some(Val::Bool(true)) => 1,
                Some(other) => {
                    return Err(expected(
                        &format!("{at}.end_of_session"),
                        "a boolean",
                        &other,
                    ));
                }
            };
            o.done()?;
            vec![session, seq << 1 | end]
        }
        Tk::MsValidity => match v {
            Val::Number(_) => int(&v, 1)?,
            other => {
                let mut o = Obj::new(at, other)?;
                let mut out = vec![o.u8("behaviour")?, o.u8("time_unit")?];
                out.extend_from_slice(&o.num("number", 0xFFFF)?.to_be_bytes()[6..]);
                o.done()?;
                out
            }
        },
        Tk::AlertOnDelivery => match v {
            Val::Null => Vec::new(),
            other => int(&other, 1)?,
        },
    })
}

fn write_tlvs(list: Vec<Val>, out: &mut Vec<u8>) -> Res<()> {
    for (i, v) in list.into_iter().enumerate() {
        let at = format!("tlvs[{i}]");
        let mut o = Obj::new(&at, v)?;
        let by_num = o
            .num_opt("tag", 0xFFFF)?
            .map(|n| TlvTag(u16::try_from(n).unwrap_or(u16::MAX)));
        let by_name = match o.str_opt("name")? {
            None => None,
            Some(name) => Some(
                // v3.4 or v5.0 name (`dest_port` for `destination_port`).
                TlvTag::from_name(&name)
                    .ok_or_else(|| format!("{at}.name: unknown TLV name `{name}`"))?,
            ),
        };
        let tag = match (by_num, by_name) {
            (Some(a), Some(b)) if a != b => {
                return Err(format!("{at}: tag {} and name disagree", a.0));
            }
            (Some(t), _) | (None, Some(t)) => t,
            (None, None) => return Err(format!("{at}: needs `tag` or `name`")),
        };
        let given_len = o.num_opt("length", 0xFFFF)?;
        let value = o.take("value");
        let value = match (o.hex("hex")?, value) {
            (Some(raw), _) => raw,
            (None, Some(v)) => {
                let kind = super::tlv_kind(tag).ok_or_else(|| {
                    format!("{at}: tag {:#06x} has no known type; give `hex`", tag.0)
                })?;
                tlv_octets(kind, v, given_len, &format!("{at}.value"))?
            }
            (None, None) => return Err(format!("{at}: needs `hex` or `value`")),
        };
        check_count(given_len, value.len(), &format!("{at}.length"))?;
        o.done()?;
        let len = u16::try_from(value.len())
            .map_err(|_| format!("{at}: value longer than 65535 octets"))?;
        out.extend_from_slice(&tag.0.to_be_bytes());
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&value);
    }
    Ok(())
}

/// The `tlvs` list of a map (empty when absent or `null`).
fn take_tlvs(o: &mut Obj) -> Res<Vec<Val>> {
    match o.take("tlvs") {
        None | Some(Val::Null) => Ok(Vec::new()),
        Some(Val::Array(list)) => Ok(list),
        Some(other) => Err(expected(&o.path("tlvs"), "a list", &other)),
    }
}

/// Builds the wire octets of the PDU a value describes; without
/// `with_header`, of the [`Body`] it describes (no `command_status`,
/// `sequence_number` or `command_length` keys, zeros in the header).
fn wire_from(v: Val, with_header: bool) -> Res<PduWire> {
    let mut top = Obj::new("", v)?;
    // `command` is null for an unknown command_id, as serialized.
    let by_name = match top.str_opt_or_null("command")? {
        None => None,
        Some(name) => {
            Some(CommandId::from_name(&name).ok_or_else(|| format!("command: unknown `{name}`"))?)
        }
    };
    let by_id = top
        .num_opt("command_id", u64::from(u32::MAX))?
        .map(|n| CommandId(low_u32(n)));
    let id = match (by_name, by_id) {
        (Some(a), Some(b)) if a != b => {
            return Err(format!(
                "command `{a:?}` and command_id {:#010x} disagree",
                b.0
            ));
        }
        (Some(id), _) | (None, Some(id)) => id,
        (None, None) => return Err("needs `command` or `command_id`".into()),
    };
    let (status, seq, given_len) = if with_header {
        let status = top
            .num_opt("command_status", u64::from(u32::MAX))?
            .map_or(0, low_u32);
        let seq = low_u32(top.num("sequence_number", u64::from(u32::MAX))?);
        let given_len = top.num_opt("command_length", u64::from(u32::MAX))?;
        (status, seq, given_len)
    } else {
        (0, 0, None)
    };
    let body = top.take("body").unwrap_or(Val::Null);
    let body_hex = top.hex("body_hex")?;
    let tlvs = take_tlvs(&mut top)?;
    // Reserved for a derived, read-only view of the content.
    top.take("content");
    top.done()?;

    let mut out = PduWire::default();
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&id.0.to_be_bytes());
    out.extend_from_slice(&status.to_be_bytes());
    out.extend_from_slice(&seq.to_be_bytes());
    let body_null = matches!(body, Val::Null);
    if let Some(octets) = body_hex {
        // A body given as its octets (a raw body): nothing else describes it.
        if !body_null || !tlvs.is_empty() {
            return Err("body_hex: given with a body or TLVs".into());
        }
        out.extend_from_slice(&octets);
        return finish_length(out, given_len);
    }
    let shape = shape(id).ok_or_else(|| format!("command_id {:#010x} is not known", id.0))?;
    match shape {
        Shape::Fields(fields) | Shape::Optional(fields) if !body_null => {
            let mut b = Obj::new("body", body)?;
            write_fields(&fields, &mut b, &mut out)?;
            b.done()?;
            write_tlvs(tlvs, &mut out.octets)?;
        }
        Shape::Fields(_) => return Err("body: missing".into()),
        Shape::Optional(_) | Shape::Empty if !tlvs.is_empty() => {
            return Err("tlvs: this PDU has no body to carry TLVs".into());
        }
        Shape::Optional(_) | Shape::Empty => {}
        Shape::TlvsOnly if body_null => write_tlvs(tlvs, &mut out.octets)?,
        Shape::TlvsOnly => return Err("body: this PDU has no mandatory fields (use null)".into()),
    }
    finish_length(out, given_len)
}

/// Writes `command_length` into a PDU built in `out`, checking the one
/// given (if any).
fn finish_length(mut out: PduWire, given_len: Option<u64>) -> Res<PduWire> {
    let len = u32::try_from(out.octets.len()).map_err(|_| String::from("PDU too long"))?;
    check_count(given_len, out.octets.len(), "command_length")?;
    if let Some(head) = out.octets.get_mut(..4) {
        head.copy_from_slice(&len.to_be_bytes());
    }
    Ok(out)
}

/// Builds the body octets (mandatory fields, then TLVs) a body struct's map
/// describes.
pub(super) fn struct_wire(fields: &[F], v: Val) -> Res<PduWire> {
    let mut o = Obj::new("", v)?;
    let tlvs = take_tlvs(&mut o)?;
    let mut out = PduWire::default();
    write_fields(fields, &mut o, &mut out)?;
    o.done()?;
    write_tlvs(tlvs, &mut out.octets)?;
    Ok(out)
}

fn low_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The wire octets a serialized PDU describes, built from its map but not
/// yet checked by [`Pdu::parse`].
///
/// Deserializing a [`Pdu`] takes two steps: the map becomes octets (this
/// step refuses what does not fit the shape described in [the module](super):
/// unknown keys, wrong types, derived lengths that disagree), then
/// [`Pdu::parse_any`] checks the octets as [`Pdu::parse`] checks received
/// ones, keeping a PDU of an unknown `command_id` (given by `body_hex`). A
/// deserializer can only report the second step's [`Error`] as text;
/// deserialize a `PduWire` and call [`PduWire::parse`] to keep it typed,
/// with the PDU's header and the `command_status` a peer would answer.
///
/// ```
/// use smpp_tools::json::PduWire;
/// use smpp_core::{CommandStatus, ErrorKind, Field, FieldProblem};
///
/// // A source_addr of 25 characters (21 octets at most, NUL included).
/// let json = r#"{"command":"query_sm","sequence_number":3,"body":{"message_id":"1",
///     "source_addr_ton":1,"source_addr_npi":1,"source_addr":"1234567890123456789012345"}}"#;
/// let wire: PduWire = serde_json::from_str(json).unwrap();
/// let err = wire.parse().unwrap_err();
/// assert_eq!(err.command_status(), CommandStatus::ESME_RINVSRCADR);
/// assert_eq!(err.sequence_number(), Some(3));
/// assert_eq!(
///     err.kind(),
///     ErrorKind::Field {
///         field: Field::SourceAddr,
///         problem: FieldProblem::TooLong { max: 21, len: 26 },
///     }
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PduWire {
    octets: Vec<u8>,
    /// The C-Octet Strings written, by name, with their length without NUL.
    cstrs: Vec<(String, usize)>,
}

impl PduWire {
    fn push(&mut self, b: u8) {
        self.octets.push(b);
    }

    fn extend_from_slice(&mut self, v: &[u8]) {
        self.octets.extend_from_slice(v);
    }

    fn cstr(&mut self, name: &str, v: &[u8]) {
        self.cstrs.push((name.to_owned(), v.len()));
        self.octets.extend_from_slice(v);
        self.octets.push(0);
    }

    /// The PDU's octets, header included.
    pub fn as_bytes(&self) -> &[u8] {
        &self.octets
    }

    /// The PDU's octets, header included.
    pub fn into_vec(self) -> Vec<u8> {
        self.octets
    }

    /// Checks the octets with [`Pdu::parse_any`] ([`Pdu::parse`], keeping
    /// an unknown `command_id` that `body_hex` gave). A C-Octet String that
    /// was given longer than its field allows is reported as
    /// [`FieldProblem::TooLong`] (what was written), not as the
    /// [`FieldProblem::Unterminated`] that the octets show.
    pub fn parse(&self) -> Result<Pdu<&[u8]>, Error> {
        // Only a `body_hex` gets an unknown command_id this far.
        Pdu::parse_any(&self.octets).map_err(|e| self.explain(e))
    }

    /// `e` in terms of the values given rather than the octets they made.
    pub(super) fn explain(&self, e: Error) -> Error {
        let ErrorKind::Field {
            field,
            problem: FieldProblem::Unterminated { max },
        } = e.kind()
        else {
            return e;
        };
        let Some(&(_, len)) = self
            .cstrs
            .iter()
            .find(|(name, len)| name == field.name() && *len >= max)
        else {
            return e;
        };
        let kind = ErrorKind::Field {
            field,
            problem: FieldProblem::TooLong { max, len: len + 1 },
        };
        match e.header() {
            Some(h) => Error::new(kind).with_header(h),
            None => Error::new(kind),
        }
    }
}

impl<'de> Deserialize<'de> for PduWire {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        wire_from(Val::deserialize(d)?, true).map_err(D::Error::custom)
    }
}

/// Owned storage for every octet field of a parsed value.
pub(super) fn owned<B: From<Vec<u8>>>(s: &[u8]) -> B {
    B::from(s.to_vec())
}

/// The PDU a value describes.
pub(super) fn pdu<B: AsRef<[u8]> + From<Vec<u8>>>(v: Val) -> Res<Pdu<B>> {
    let wire = wire_from(v, true)?;
    let pdu = wire.parse().map_err(|e| e.to_string())?;
    Ok(pdu.map(owned))
}

/// The [`Body`] a value describes.
pub(super) fn body<B: AsRef<[u8]> + From<Vec<u8>>>(v: Val) -> Res<Body<B>> {
    let wire = wire_from(v, false)?;
    let pdu = wire.parse().map_err(|e| e.to_string())?;
    Ok(pdu.body.map(owned))
}

/// The TLV list a value describes.
pub(super) fn tlvs<B: AsRef<[u8]> + From<Vec<u8>>>(v: Val) -> Res<Tlvs<B>> {
    let Val::Array(list) = v else {
        return Err(expected("tlvs", "a list", &v));
    };
    let mut octets = Vec::new();
    write_tlvs(list, &mut octets)?;
    let tlvs = Tlvs::parse(&octets).map_err(|e| e.to_string())?;
    Ok(tlvs.map(owned))
}
