//! What `--encode` adds to the JSON shape of `smpp_tools::json`: defaults
//! for mandatory fields left out, `short_message_text`, and the keys of a
//! capture's lines (`ts`, `src`, `dst`), which it ignores.

use core::fmt;
use std::collections::HashSet;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value, json};
use smpp_core::text::dcs::{Alphabet, DataCoding};
use smpp_core::text::gsm7::{self, Tables};
use smpp_core::text::{OnUnmappable, latin1, ucs2};
use smpp_core::{CommandId, EsmClass};
use smpp_tools::json::PduWire;

use crate::to_hex;

/// The keys a line read from a capture has besides the PDU's.
pub(crate) const CAPTURE_KEYS: [&str; 3] = ["ts", "src", "dst"];

/// The specification's default for a mandatory field left out, as the
/// builders of `smpp-std` take them: `interface_version` 0x34, 0 for the
/// other integers (unknown TON and NPI, default `esm_class`, no receipt, MC
/// default alphabet, ...), an empty `short_message`, empty lists, and NULL
/// (the empty string) for C-Octet Strings.
fn default_for(field: &str) -> Value {
    match field {
        "interface_version" => json!(0x34),
        "dest_address" | "unsuccess_sme" => json!([]),
        "short_message" => json!(""),
        f if f.ends_with("_ton")
            || f.ends_with("_npi")
            || matches!(
                f,
                "esm_class"
                    | "protocol_id"
                    | "priority_flag"
                    | "registered_delivery"
                    | "replace_if_present_flag"
                    | "data_coding"
                    | "sm_default_msg_id"
                    | "message_state"
                    | "error_code"
                    | "error_status_code"
            ) =>
        {
            json!(0)
        }
        _ => json!(""),
    }
}

/// The place a `... : missing` error names, as keys and list indexes
/// (`body.dest_address[0].dest_addr_ton`).
fn missing_path(error: &str) -> Option<Vec<PathStep>> {
    let path = error.strip_suffix(": missing")?;
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, indexes) = part.split_once('[').unwrap_or((part, ""));
        steps.push(PathStep::Key(key.to_owned()));
        for index in indexes.split('[') {
            if let Some(i) = index.strip_suffix(']') {
                steps.push(PathStep::Index(i.parse().ok()?));
            }
        }
    }
    // Only fields inside the body; the header's `sequence_number` has no
    // default.
    matches!(steps.first(), Some(PathStep::Key(k)) if k == "body").then_some(steps)
}

enum PathStep {
    Key(String),
    Index(usize),
}

/// Sets the missing field at `path` to its default; false if the path does
/// not lead to a map that lacks it.
fn fill(v: &mut Value, path: &[PathStep]) -> bool {
    let Some((PathStep::Key(last), parents)) = path.split_last() else {
        return false;
    };
    let mut at = v;
    for step in parents {
        at = match (step, at) {
            (PathStep::Key(k), Value::Object(m)) => match m.get_mut(k) {
                Some(next) => next,
                None => return false,
            },
            (PathStep::Index(i), Value::Array(a)) => match a.get_mut(*i) {
                Some(next) => next,
                None => return false,
            },
            _ => return false,
        };
    }
    let Value::Object(map) = at else {
        return false;
    };
    if map.get(last).is_some_and(|v| !v.is_null()) {
        return false;
    }
    // A body left out is an empty one, filled field by field.
    let value = if path.len() == 1 {
        Value::Object(Map::new())
    } else {
        default_for(last)
    };
    map.insert(last.clone(), value);
    true
}

/// The command a JSON PDU names, by `command` or `command_id`.
fn command_name(v: &Value) -> Option<String> {
    match (v.get("command"), v.get("command_id")) {
        (Some(Value::String(name)), _) => Some(name.clone()),
        (_, Some(id)) => id
            .as_u64()
            .and_then(|id| u32::try_from(id).ok())
            .and_then(|id| CommandId(id).name())
            .map(str::to_owned),
        _ => None,
    }
}

/// Replaces `short_message_text` in the body by `short_message`, coded as
/// `data_coding` says.
fn short_message_text(v: &mut Value) -> Result<(), String> {
    let command = command_name(v);
    let Some(Value::Object(body)) = v.get_mut("body") else {
        return Ok(());
    };
    let Some(text) = body.remove("short_message_text") else {
        return Ok(());
    };
    let Value::String(text) = text else {
        return Err("body.short_message_text: expected a string".into());
    };
    if body.contains_key("short_message") {
        return Err("body.short_message_text: given with short_message; give one of them".into());
    }
    let byte = |key: &str| {
        body.get(key)
            .and_then(Value::as_u64)
            .and_then(|n| u8::try_from(n).ok())
            .unwrap_or(0)
    };
    if EsmClass(byte("esm_class")).udhi() {
        return Err(
            "body.short_message_text: esm_class has UDHI (0x40), so short_message \
                    starts with a user data header: give short_message in hex"
                .into(),
        );
    }
    // replace_sm has no data_coding: the MC keeps the replaced message's,
    // and its text is read as GSM 7-bit.
    let data_coding = if command.as_deref() == Some("replace_sm") {
        DataCoding::DEFAULT
    } else {
        DataCoding(byte("data_coding"))
    };
    let octets =
        encode_text(data_coding, &text).map_err(|e| format!("body.short_message_text: {e}"))?;
    body.insert("short_message".into(), Value::String(to_hex(&octets)));
    Ok(())
}

/// `text` in the coding `data_coding` names: GSM 7-bit unpacked (one septet
/// per octet, default tables) for 0x00 and the GSM 7-bit groups, ASCII for
/// 0x01, Latin-1 for 0x03, UCS-2 (UTF-16BE) for 0x08 and the UCS-2 groups.
fn encode_text(data_coding: DataCoding, text: &str) -> Result<Vec<u8>, String> {
    // At most two octets per octet of UTF-8: an escaped GSM character, a
    // UCS-2 unit for an ASCII one, a surrogate pair for a four-octet one.
    let mut out = vec![0u8; text.len() * 2];
    let written = if data_coding.is_compressed() {
        return Err(format!(
            "data_coding {:#04x} is compressed text, which has no encoder: give short_message in hex",
            data_coding.0
        ));
    } else {
        match data_coding.alphabet() {
            Alphabet::McDefault | Alphabet::Gsm7 => {
                gsm7::encode_unpacked(text, Tables::DEFAULT, OnUnmappable::Error, &mut out)
            }
            Alphabet::Ia5 => latin1::encode_ascii(text, OnUnmappable::Error, &mut out),
            Alphabet::Latin1 => latin1::encode_latin1(text, OnUnmappable::Error, &mut out),
            Alphabet::Ucs2 => ucs2::encode(text, &mut out),
            other => {
                return Err(format!(
                    "data_coding {:#04x} ({other:?}) has no text encoder: give short_message in hex",
                    data_coding.0
                ));
            }
        }
    };
    let n = written.map_err(|e| format!("data_coding {:#04x}: {e}", data_coding.0))?;
    out.truncate(n);
    Ok(out)
}

/// Reads the shape, filling each field its error names as missing; `Err`
/// holds the first other error.
fn fill_and_read(mut v: Value) -> Result<PduWire, String> {
    // One round per field filled; a body has fewer than 32 fields.
    for _ in 0..64 {
        match serde_json::from_value::<PduWire>(v.clone()) {
            Ok(wire) => return Ok(wire),
            Err(e) => {
                let message = e.to_string();
                if !missing_path(&message).is_some_and(|path| fill(&mut v, &path)) {
                    return Err(message);
                }
            }
        }
    }
    Err("too many fields left out".into())
}

/// Reads one `--encode` line: the JSON shape of `smpp_tools::json` with the
/// additions above. `Err` holds what is wrong with the line as JSON.
pub(crate) fn read(line: &str) -> Result<PduWire, String> {
    let mut v: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    refuse_duplicate_keys(line)?;
    let Value::Object(top) = &mut v else {
        // Let the shape's own reading say what is wrong.
        return serde_json::from_str(line).map_err(|e| e.to_string());
    };
    for key in CAPTURE_KEYS {
        top.remove(key);
    }
    // A response with status 0 whose body is left out has its mandatory
    // fields left out (`"body":null` still gives one without body).
    let ok_status = top
        .get("command_status")
        .is_none_or(|s| s.as_u64() == Some(0));
    let body_left_out = !top.contains_key("body") && !top.contains_key("body_hex");
    short_message_text(&mut v)?;
    if ok_status && body_left_out {
        let mut with_body = v.clone();
        if let Value::Object(top) = &mut with_body {
            top.insert("body".into(), Value::Object(Map::new()));
        }
        if let Ok(wire) = fill_and_read(with_body) {
            return Ok(wire);
        }
    }
    let original: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    match fill_and_read(v.clone()) {
        Ok(wire) => Ok(wire),
        // Nothing added or taken away: the error as the line's own reading
        // gives it, with its position.
        Err(_) if v == original => serde_json::from_str(line).map_err(|e| e.to_string()),
        Err(message) => Err(message),
    }
}

/// Refuses a line in which an object gives a key twice, at any depth:
/// reading it into a [`Value`] would keep the last value without a word,
/// and a key given twice in a script's output is almost always a mistake.
fn refuse_duplicate_keys(line: &str) -> Result<(), String> {
    let mut de = serde_json::Deserializer::from_str(line);
    UniqueKeys { path: "" }
        .deserialize(&mut de)
        .map_err(|e| e.to_string())
}

/// Walks one JSON value; `path` is where it stands (`body`,
/// `tlvs[0]`, empty at the top).
struct UniqueKeys<'p> {
    path: &'p str,
}

impl<'de> DeserializeSeed<'de> for UniqueKeys<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// The [`Visitor`] methods of scalars, which hold no keys.
macro_rules! scalars {
    ($($visit:ident($($ty:ty)?)),*) => {
        $(fn $visit<E>(self $(, _: $ty)?) -> Result<(), E> {
            Ok(())
        })*
    };
}

impl<'de> Visitor<'de> for UniqueKeys<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    scalars!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64),
        visit_str(&str),
        visit_unit()
    );

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        loop {
            let path = format!("{}[{index}]", self.path);
            if seq.next_element_seed(UniqueKeys { path: &path })?.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            if !seen.insert(key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate key {path:?}: each key may be given once"
                )));
            }
            map.next_value_seed(UniqueKeys { path: &path })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_codings() {
        let enc = |dc: u8, text: &str| encode_text(DataCoding(dc), text);
        assert_eq!(enc(0, "@£$"), Ok(vec![0x00, 0x01, 0x02]));
        assert_eq!(enc(0, "€"), Ok(vec![0x1B, 0x65]));
        assert_eq!(enc(0xF0, "A"), Ok(vec![0x41]));
        assert_eq!(enc(1, "A@"), Ok(vec![0x41, 0x40]));
        assert_eq!(enc(3, "é"), Ok(vec![0xE9]));
        assert_eq!(enc(8, "é😀"), Ok(vec![0x00, 0xE9, 0xD8, 0x3D, 0xDE, 0x00]));
        assert!(enc(0, "ж").unwrap_err().contains("'ж'"));
        assert!(enc(1, "é").is_err());
        assert!(enc(4, "x").unwrap_err().contains("no text encoder"));
        assert!(enc(0x20, "x").unwrap_err().contains("compressed"));
        assert_eq!(enc(0, ""), Ok(vec![]));
    }

    #[test]
    fn missing_paths() {
        let steps = |e: &str| {
            missing_path(e).map(|p| {
                p.iter()
                    .map(|s| match s {
                        PathStep::Key(k) => k.clone(),
                        PathStep::Index(i) => i.to_string(),
                    })
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            steps("body.service_type: missing"),
            Some(vec!["body".into(), "service_type".into()])
        );
        assert_eq!(
            steps("body.dest_address[2].dest_addr_npi: missing"),
            Some(vec![
                "body".into(),
                "dest_address".into(),
                "2".into(),
                "dest_addr_npi".into()
            ])
        );
        assert_eq!(steps("body: missing"), Some(vec!["body".into()]));
        assert_eq!(steps("sequence_number: missing"), None);
        assert_eq!(steps("body.sm_length: 3 does not match the 2 given"), None);
    }
}
