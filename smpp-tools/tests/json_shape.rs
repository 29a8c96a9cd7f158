//! The JSON shape against the specification's PDU tables: for every PDU,
//! the `body` keys are the mandatory fields of `pdu_fields.csv` in order,
//! each a JSON value of its type column (numbers, strings, lowercase hex,
//! arrays of entries), and each body type, [`Body`] and [`Tlvs`] serialize on their own in the
//! same shape and read back.

#[path = "../../smpp-std/tests/common/mod.rs"]
mod common;
mod dump;
use dump::keys;

use bytes::Bytes;
use serde_json::Value;
use smpp_core::{Body, CommandId, CommandStatus, MessageState, Npi, Ton};
use smpp_std::{
    BindBuilder, BindRespBuilder, HeaderOnlyBuilder, SubmitMultiRespBuilder, parse_owned,
};
use smpp_tools::json;

/// The rows of the specification's `pdu_fields.csv` after the header rows,
/// cut to the columns `pdu,field_index,field_name,type` (type cut to its
/// first line); a type holding a comma is quoted.
const PDU_FIELDS: &str = include_str!("pdu_fields.csv");

/// One row of [`PDU_FIELDS`].
struct Row<'a> {
    pdu: &'a str,
    name: &'a str,
    kind: &'a str,
}

fn rows() -> Vec<Row<'static>> {
    PDU_FIELDS
        .lines()
        .skip(1)
        .map(|l| {
            let mut parts = l.splitn(4, ',');
            let pdu = parts.next().unwrap();
            let _index = parts.next().unwrap();
            let name = parts.next().unwrap();
            let kind = parts.next().unwrap().trim_matches('"');
            Row { pdu, name, kind }
        })
        .collect()
}

/// The mandatory fields of a PDU, in order, as `body` holds them: no TLVs
/// (mandatory TLVs travel in `tlvs`), no list entry fields.
fn body_fields(pdu: &str) -> Vec<&'static str> {
    rows()
        .into_iter()
        .filter(|r| r.pdu == pdu)
        .filter(|r| !r.kind.starts_with("TLV") && r.kind != "-")
        .filter(|r| !r.name.contains('.'))
        .map(|r| r.name)
        .collect()
}

/// The type column of `pdu`'s row for `name` (`dest_address.dest_flag`
/// for a list entry's field).
fn kind_of(pdu: &str, name: &str) -> &'static str {
    rows()
        .into_iter()
        .find(|r| r.pdu == pdu && r.name == name)
        .map_or_else(|| panic!("no row {pdu}.{name}"), |r| r.kind)
}

/// The JSON value of a field is the one its type calls for: integers are
/// numbers, C-Octet Strings strings, Octet Strings lowercase hex, the
/// composite lists arrays.
fn assert_json_type(at: &str, kind: &str, v: &Value) {
    let ok = match kind {
        k if k.starts_with("Integer") => v.is_u64(),
        "C-Octet String" => v.is_string(),
        "Octet String" => v.as_str().is_some_and(|h| {
            h.len().is_multiple_of(2) && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        }),
        k if k.starts_with("composite") => v.is_array(),
        _ => false,
    };
    assert!(ok, "{at}: {kind} as {v}");
}

/// The fields of `pdu`'s list entries (`dest_address.dest_flag`, ...).
fn entry_fields(pdu: &str, list: &str) -> Vec<&'static str> {
    rows()
        .into_iter()
        .filter(|r| r.pdu == pdu)
        .filter_map(|r| r.name.strip_prefix(list)?.strip_prefix('.'))
        .collect()
}

/// True if the table gives `pdu` a TLV list.
fn has_tlv_row(pdu: &str) -> bool {
    rows().iter().any(|r| r.pdu == pdu && r.name == "tlvs")
}

/// One PDU of every command: the golden vectors, plus built PDUs for the
/// commands without a vector.
fn every_command() -> Vec<(String, Bytes)> {
    let mut out: Vec<(String, Bytes)> = common::vectors()
        .into_iter()
        .map(|(name, bytes)| (name, Bytes::from(bytes)))
        .collect();
    let built = [
        BindBuilder::receiver(2).system_id("ESME").build(),
        BindRespBuilder::receiver_resp(2).system_id("MC").build(),
        BindRespBuilder::transmitter_resp(3).system_id("MC").build(),
        HeaderOnlyBuilder::replace_sm_resp(4).build(),
        SubmitMultiRespBuilder::new(5)
            .message_id("m1")
            .unsuccess(
                Ton::INTERNATIONAL,
                Npi::ISDN,
                "4477",
                CommandStatus::ESME_RINVDSTADR,
            )
            .unsuccess(Ton::UNKNOWN, Npi::UNKNOWN, "", CommandStatus::ESME_RSYSERR)
            .message_state(MessageState::DELIVERED)
            .build(),
    ];
    for pdu in built {
        let pdu = pdu.unwrap();
        out.push((
            format!("built {}", pdu.command_id()),
            dump::wire(&pdu).into(),
        ));
    }
    let covered: Vec<CommandId> = out
        .iter()
        .map(|(_, b)| smpp_core::Header::parse(b).unwrap().command_id)
        .collect();
    for id in CommandId::ALL {
        assert!(covered.contains(id), "no PDU of {id}");
    }
    out
}

#[test]
fn the_table_is_complete() {
    // Every command has rows, and the copied table has every PDU's fields.
    for id in CommandId::ALL {
        let name = id.name().unwrap();
        assert!(rows().iter().any(|r| r.pdu == name), "{name}");
    }
    assert_eq!(
        PDU_FIELDS.lines().next(),
        Some("pdu,field_index,field_name,type")
    );
    assert_eq!(rows().len(), 197);
    assert_eq!(body_fields("submit_sm").len(), 18);
    assert_eq!(body_fields("broadcast_sm").len(), 11);
    assert_eq!(
        entry_fields("submit_multi", "dest_address"),
        [
            "dest_flag",
            "dest_addr_ton",
            "dest_addr_npi",
            "destination_addr",
            "dl_name"
        ]
    );
}

#[test]
fn body_keys_are_the_specification_fields_in_order() {
    for (name, bytes) in every_command() {
        let pdu = parse_owned(&bytes).unwrap();
        let command = pdu.command_id().name().unwrap();
        let v = json::to_value(&pdu).unwrap();
        assert_eq!(v["command"], command, "{name}");
        let fields = body_fields(command);
        let body = &v["body"];
        if body.is_null() {
            // No mandatory fields, or a response sent without body.
            assert!(
                fields.is_empty() || command.ends_with("_resp"),
                "{name}: body null but the table has {fields:?}"
            );
            continue;
        }
        assert_eq!(keys(body), fields, "{name}");
        for key in keys(body) {
            assert_json_type(&format!("{name}: {key}"), kind_of(command, key), &body[key]);
        }
        for (list, count) in [
            ("dest_address", "number_of_dests"),
            ("unsuccess_sme", "no_unsuccess"),
        ] {
            let Some(entries) = body.get(list) else {
                continue;
            };
            let entries = entries.as_array().unwrap();
            assert_eq!(body[count], entries.len(), "{name}");
            let allowed = entry_fields(command, list);
            for entry in entries {
                // Each entry's keys are the table's entry fields, in order
                // (an SME address or a distribution list name).
                let mut rest = allowed.iter();
                for key in keys(entry) {
                    assert!(rest.any(|f| f == &key), "{name}: {list} key {key}");
                    let kind = kind_of(command, &format!("{list}.{key}"));
                    assert_json_type(&format!("{name}: {list}.{key}"), kind, &entry[key]);
                }
            }
        }
    }
}

/// Serializes a body struct, checks its keys (the body's, then `tlvs`) and
/// reads it back.
macro_rules! check_struct {
    ($name:expr, $pdu_json:expr, $b:expr, $ty:ty) => {{
        let v = json::to_value($b).unwrap();
        let mut want: Vec<&str> = keys(&$pdu_json["body"]);
        want.push("tlvs");
        assert_eq!(keys(&v), want, "{}", $name);
        assert_eq!(v["tlvs"], $pdu_json["tlvs"], "{}", $name);
        let back: $ty = json::from_value(v).unwrap_or_else(|e| panic!("{}: {e}", $name));
        assert_eq!(&back, $b, "{}", $name);
        true
    }};
}

#[test]
fn body_types_serialize_alone_and_read_back() {
    let mut structs = 0;
    for (name, bytes) in every_command() {
        let pdu = parse_owned(&bytes).unwrap();
        let command = pdu.command_id().name().unwrap();
        let v = json::to_value(&pdu).unwrap();
        let checked = match &pdu.body {
            Body::BindReceiver(b) | Body::BindTransmitter(b) | Body::BindTransceiver(b) => {
                check_struct!(name, v, b, smpp_std::Bind)
            }
            Body::BindReceiverResp(Some(b))
            | Body::BindTransmitterResp(Some(b))
            | Body::BindTransceiverResp(Some(b)) => check_struct!(name, v, b, smpp_std::BindResp),
            Body::Outbind(b) => check_struct!(name, v, b, smpp_std::Outbind),
            Body::AlertNotification(b) => check_struct!(name, v, b, smpp_std::AlertNotification),
            Body::SubmitSm(b) | Body::DeliverSm(b) => check_struct!(name, v, b, smpp_std::SubmitSm),
            Body::SubmitSmResp(Some(b))
            | Body::DeliverSmResp(Some(b))
            | Body::DataSmResp(Some(b))
            | Body::BroadcastSmResp(Some(b))
            | Body::QueryBroadcastSmResp(Some(b)) => {
                check_struct!(name, v, b, smpp_std::SubmitSmResp)
            }
            Body::DataSm(b) => check_struct!(name, v, b, smpp_std::DataSm),
            Body::SubmitMulti(b) => check_struct!(name, v, b, smpp_std::SubmitMulti),
            Body::SubmitMultiResp(Some(b)) => {
                check_struct!(name, v, b, smpp_std::SubmitMultiResp)
            }
            Body::QuerySm(b) | Body::QueryBroadcastSm(b) => {
                check_struct!(name, v, b, smpp_std::QuerySm)
            }
            Body::QuerySmResp(Some(b)) => check_struct!(name, v, b, smpp_std::QuerySmResp),
            Body::CancelSm(b) => check_struct!(name, v, b, smpp_std::CancelSm),
            Body::ReplaceSm(b) => check_struct!(name, v, b, smpp_std::ReplaceSm),
            Body::BroadcastSm(b) => check_struct!(name, v, b, smpp_std::BroadcastSm),
            Body::CancelBroadcastSm(b) => check_struct!(name, v, b, smpp_std::CancelBroadcastSm),
            _ => false,
        };
        if checked {
            structs += 1;
            // The table's last field of a PDU with a body struct is `tlvs`,
            // except for the v3.4 PDUs the table lists without TLVs.
            let no_tlvs = ["bind_", "query_sm", "cancel_sm", "outbind"];
            assert!(
                has_tlv_row(command) || no_tlvs.iter().any(|p| command.starts_with(p)),
                "{name}"
            );
        }

        // Body: the PDU's map without the header's numbers.
        if pdu.body.validate().is_err() {
            // An error response's body that only its status makes valid:
            // alone, a body is checked as for status 0.
            assert_ne!(pdu.command_status.0, 0, "{name}");
            assert!(json::to_value(&pdu.body).is_err(), "{name}");
            continue;
        }
        let body_v = json::to_value(&pdu.body).unwrap();
        let mut want = v.clone();
        let obj = want.as_object_mut().unwrap();
        obj.remove("command_status");
        obj.remove("sequence_number");
        assert_eq!(body_v, want, "{name}");
        let back: smpp_std::Body = json::from_value(body_v).unwrap();
        assert_eq!(back, pdu.body, "{name}");
    }
    assert!(structs >= 30, "{structs}");
}

#[test]
fn body_and_struct_deserializing_checks_the_rules() {
    // A header key has no place in a Body.
    let err = json::from_value::<smpp_std::Body>(serde_json::json!({
        "command": "enquire_link", "sequence_number": 1}))
    .unwrap_err();
    assert!(err.to_string().contains("sequence_number"), "{err}");
    // A body struct is checked like a received body: a 25-character
    // source_addr is too long, naming the field and the status.
    let v = serde_json::json!({"message_id": "1", "source_addr_ton": 1,
        "source_addr_npi": 1, "source_addr": "1234567890123456789012345", "tlvs": []});
    let err = json::from_value::<smpp_std::QuerySm>(v)
        .unwrap_err()
        .to_string();
    assert!(err.contains("source_addr"), "{err}");
    assert!(err.contains("ESME_RINVSRCADR"), "{err}");
    // `tlvs` may be left out; unknown keys are refused.
    let v = serde_json::json!({"message_id": "1", "source_addr_ton": 1,
        "source_addr_npi": 1, "source_addr": "1"});
    let q: smpp_std::QuerySm = json::from_value(v.clone()).unwrap();
    assert_eq!(q.message_id.as_bytes(), b"1");
    let mut extra = v;
    extra["priority"] = serde_json::json!(1);
    assert!(json::from_value::<smpp_std::QuerySm>(extra).is_err());
}

#[test]
fn tlv_lists_serialize_alone_and_read_back() {
    let bytes = std::fs::read_to_string(common::testdata().join("submit_sm_sar_tlvs.hex")).unwrap();
    let pdu = parse_owned(&Bytes::from(common::hex(&bytes))).unwrap();
    let Body::SubmitSm(sm) = &pdu.body else {
        panic!("not a submit_sm")
    };
    let v = json::to_value(&sm.tlvs).unwrap();
    assert_eq!(v, json::to_value(&pdu).unwrap()["tlvs"]);
    let back: smpp_std::Tlvs = json::from_value(v).unwrap();
    assert_eq!(back.as_bytes(), sm.tlvs.as_bytes());
    // A TLV breaking its length rule is refused with the codec's error.
    let bad = serde_json::json!([{"name": "sar_total_segments", "hex": "0102"}]);
    let err = json::from_value::<smpp_std::Tlvs>(bad).unwrap_err();
    assert!(err.to_string().contains("ESME_RINVTLVLEN"), "{err}");
}
