//! The JSON shape: every golden vector through JSON and back, and the rules for
//! derived lengths, TLV values and non-UTF-8 strings.

#[path = "../../smpp-std/tests/common/mod.rs"]
mod common;
mod dump;
use dump::wire;

use bytes::Bytes;
use serde_json::{Value, json};
use smpp_core::Body;
use smpp_std::{Pdu, SubmitSmBuilder, parse_owned};
use smpp_tools::json::{self, Json};

/// The octets of the PDU a JSON value describes.
fn wire_of(v: &Value) -> Vec<u8> {
    wire(&json::from_value::<Pdu>(v.clone()).unwrap())
}

#[test]
fn every_vector_round_trips_through_json() {
    for (name, bytes) in common::vectors() {
        let frame = Bytes::from(bytes.clone());
        let pdu = parse_owned(&frame).unwrap();
        let json = serde_json::to_string(&Json(&pdu)).unwrap();
        let Json(back): Json<Pdu> = serde_json::from_str(&json).unwrap_or_else(|e| {
            panic!(
                "{name}: {e}
{json}"
            )
        });
        assert_eq!(back, pdu, "{name}");
        assert_eq!(wire(&back), bytes, "{name}");

        // The borrowed view serializes the same.
        let view = smpp_core::Pdu::parse(&bytes).unwrap();
        assert_eq!(serde_json::to_string(&Json(&view)).unwrap(), json, "{name}");
    }
}

#[test]
fn derived_lengths_may_be_absent_and_must_match_when_present() {
    let vectors = common::vectors();
    let multi = &vectors.iter().find(|(n, _)| n == "submit_multi").unwrap().1;
    let pdu = parse_owned(&Bytes::from(multi.clone())).unwrap();
    let mut v: Value = json::to_value(&pdu).unwrap();
    let body = v["body"].as_object_mut().unwrap();
    body.remove("number_of_dests");
    body.remove("sm_length");
    assert_eq!(wire_of(&v), *multi);

    // command_length: right is accepted, wrong is refused.
    v["command_length"] = json!(multi.len());
    assert_eq!(wire_of(&v), *multi);
    v["command_length"] = json!(multi.len() + 1);
    let err = json::from_value::<Pdu>(v.clone()).unwrap_err();
    assert!(err.to_string().contains("command_length"), "{err}");
    v.as_object_mut().unwrap().remove("command_length");

    v["body"]["number_of_dests"] = json!(2);
    let err = json::from_value::<Pdu>(v.clone()).unwrap_err();
    assert!(err.to_string().contains("number_of_dests"), "{err}");
}

#[test]
fn tlvs_are_written_from_hex_or_from_value() {
    let pdu = SubmitSmBuilder::new(3)
        .short_message("hi")
        .sar(0x42, 2, 1)
        .network_error_code(3, 0x0101)
        .receipted_message_id("abc")
        .its_session_info(7, 2, true)
        .build()
        .unwrap();
    let octets = wire(&pdu);
    let mut v = json::to_value(&pdu).unwrap();
    let tlvs = v["tlvs"].as_array().unwrap().clone();
    assert_eq!(
        tlvs[3]["value"],
        json!({"network_type": 3, "error_code": 257})
    );
    assert_eq!(tlvs[4]["value"], "abc");
    assert_eq!(tlvs[4]["hex"], "61626300");
    assert_eq!(
        tlvs[5]["value"],
        json!({"session_number": 7, "sequence_number": 2, "end_of_session": true})
    );
    // Without `hex` (and with a matching length) the values encode the same.
    for t in v["tlvs"].as_array_mut().unwrap() {
        let hex = t.as_object_mut().unwrap().remove("hex").unwrap();
        t["length"] = json!(hex.as_str().unwrap().len() / 2);
    }
    assert_eq!(wire_of(&v), octets);

    // `hex` wins over `value`.
    v["tlvs"][0]["value"] = json!(7);
    v["tlvs"][0]["hex"] = json!("0042");
    assert_eq!(wire_of(&v), octets);

    // A length that disagrees is refused, as is a value too big for the tag.
    v["tlvs"][1]["length"] = json!(2);
    assert!(json::from_value::<Pdu>(v.clone()).is_err());
    v["tlvs"][1]["length"] = json!(1);
    v["tlvs"][1]["value"] = json!(300);
    let err = json::from_value::<Pdu>(v).unwrap_err();
    assert!(err.to_string().contains("tlvs[1]"), "{err}");
}

#[test]
fn unknown_tlvs_and_non_utf8_strings_use_hex() {
    let pdu = SubmitSmBuilder::new(9)
        .source_addr(&[0xff, 0x41][..])
        .tlv(smpp_core::TlvTag(0x1401), &[1, 2, 3][..])
        .build()
        .unwrap();
    let v = json::to_value(&pdu).unwrap();
    assert_eq!(v["body"]["source_addr_hex"], "ff41");
    assert!(v["body"].get("source_addr").is_none());
    assert_eq!(v["tlvs"][0], json!({"tag": 0x1401, "hex": "010203"}));
    let back: Pdu = json::from_value(v).unwrap();
    assert_eq!(back, pdu);
    let Body::SubmitSm(sm) = &back.body else {
        panic!("not a submit_sm")
    };
    assert_eq!(sm.source_addr.as_bytes(), [0xff, 0x41]);
}

#[test]
fn malformed_json_is_refused_with_the_reason() {
    let cases = [
        (json!({"sequence_number": 1}), "command"),
        (
            json!({"command": "no_such_pdu", "sequence_number": 1}),
            "no_such_pdu",
        ),
        (
            json!({"command": "enquire_link", "command_id": 6, "sequence_number": 1}),
            "disagree",
        ),
        (
            json!({"command": "enquire_link", "sequence_number": 1, "extra": 1}),
            "extra",
        ),
        (
            json!({"command": "query_sm", "sequence_number": 1, "body": {"message_id": "1"}}),
            "source_addr_ton",
        ),
        (
            json!({"command": "outbind", "sequence_number": 1, "body": {"system_id": "a\u{0}b", "password": ""}}),
            "NUL",
        ),
        (
            json!({"command": "enquire_link", "sequence_number": 1, "tlvs": [{"tag": 1064, "hex": "00"}]}),
            "no body",
        ),
    ];
    for (v, needle) in cases {
        let err = json::from_value::<Pdu>(v.clone()).unwrap_err().to_string();
        assert!(err.contains(needle), "{v}: {err}");
    }
    // A header-only response carries TLVs with a null body.
    let v = json!({"command": "enquire_link_resp", "sequence_number": 4, "body": null,
                   "tlvs": [{"name": "congestion_state", "value": 40}]});
    let pdu: Pdu = json::from_value(v).unwrap();
    assert_eq!(
        wire(&pdu),
        common::hex("000000158000001500000000000000040428000128")
    );
}

/// A body kept as octets (`Body::Raw`) is `body: null` with its octets
/// under `body_hex`, and comes back from it; an unknown `command_id` too.
#[test]
fn raw_bodies_travel_as_body_hex() {
    // query_sm_resp, ESME_RQUERYFAIL, sequence 9: message_id only.
    let frame = common::hex("00000015800000030000006700000009 69642d3100");
    let view = smpp_core::Pdu::parse(&frame).unwrap();
    assert!(matches!(view.body, Body::Raw(_)));
    let v = json::to_value(&view).unwrap();
    assert_eq!(
        v,
        json!({"command": "query_sm_resp", "command_id": 0x8000_0003u32, "command_status": 0x67,
               "sequence_number": 9, "body": null, "body_hex": "69642d3100", "tlvs": []})
    );
    assert_eq!(wire_of(&v), frame);

    // A vendor command_id, kept by parse_any.
    let frame = common::hex("00000012 00010200 00000000 00000005 abcd");
    let view = smpp_core::Pdu::parse_any(&frame).unwrap();
    let v = json::to_value(&view).unwrap();
    assert_eq!(v["command"], Value::Null);
    assert_eq!(v["command_id"], 0x0001_0200);
    assert_eq!(v["body_hex"], "abcd");
    assert_eq!(wire_of(&v), frame);
    // Without body_hex an unknown id is refused; body_hex with a body too.
    let mut no_hex = v.clone();
    no_hex.as_object_mut().unwrap().remove("body_hex");
    assert!(json::from_value::<Pdu>(no_hex).is_err());
    let mut both = v;
    both["body"] = json!({"message_id": "x"});
    let err = json::from_value::<Pdu>(both).unwrap_err();
    assert!(err.to_string().contains("body_hex"), "{err}");
}
