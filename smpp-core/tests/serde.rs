//! The derived `serde` form: every golden vector through JSON and back to
//! the same octets, and deserializing a PDU refuses what breaks a rule, with
//! the codec's error.
#![cfg(feature = "serde")]

mod common;

use common::encode;
use serde_json::{Value, json};
use smpp_core::{Body, CommandStatus, Pdu, QuerySm, SubmitSm, Tlvs};

#[test]
fn every_vector_round_trips_through_json() {
    let vectors = common::vectors();
    assert!(vectors.len() >= 39);
    for (name, bytes) in vectors {
        let pdu = Pdu::parse_any(&bytes).unwrap();
        let json = serde_json::to_string(&pdu).unwrap();
        let back: Pdu<Vec<u8>> =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}\n{json}"));
        assert_eq!(encode(&back), bytes, "{name}");
        assert_eq!(back, pdu.map(<[u8]>::to_vec), "{name}");
        // Owned storage serializes the same.
        assert_eq!(serde_json::to_string(&back).unwrap(), json, "{name}");
    }
}

/// The parts of the `submit_sm` vector with TLVs, as JSON.
fn submit_sm() -> Value {
    let frame = common::load("submit_sm_sar_tlvs");
    serde_json::to_value(Pdu::parse(&frame).unwrap()).unwrap()
}

#[test]
fn the_form_follows_the_types() {
    let v = submit_sm();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["body", "command_status", "sequence_number"]);
    let sm = &v["body"]["SubmitSm"];
    // C-Octet Strings are text, integers numbers, octet strings bytes.
    assert!(sm["source_addr"].is_string(), "{sm}");
    assert!(sm["data_coding"].is_u64(), "{sm}");
    assert!(sm["short_message"].is_array(), "{sm}");
    assert!(sm["tlvs"].is_array(), "{sm}");
    assert!(
        sm.get("sm_length").is_none(),
        "derived lengths are not written"
    );
    let enquire = Pdu::new(5, Body::<&[u8]>::EnquireLink);
    assert_eq!(
        serde_json::to_value(enquire).unwrap(),
        json!({"command_status": 0, "sequence_number": 5, "body": "EnquireLink"})
    );
}

#[test]
fn non_utf8_strings_travel_as_bytes() {
    let q = QuerySm {
        source_addr: smpp_core::COctet::new(vec![0xff, 0x41]),
        message_id: smpp_core::COctet::new(b"7".to_vec()),
        ..QuerySm::default()
    };
    let v = serde_json::to_value(&q).unwrap();
    assert_eq!(v["source_addr"], json!([0xff, 0x41]));
    assert_eq!(v["message_id"], "7");
    let back: QuerySm<Vec<u8>> = serde_json::from_value(v).unwrap();
    assert_eq!(back, q);
}

#[test]
fn deserializing_checks_every_rule() {
    // A field too long: the codec's error, naming the field and the status.
    let mut v = submit_sm();
    v["body"]["SubmitSm"]["source_addr"] = json!("1234567890123456789012345");
    let err = serde_json::from_value::<Pdu<Vec<u8>>>(v.clone())
        .unwrap_err()
        .to_string();
    assert!(err.contains("source_addr"), "{err}");
    assert!(err.contains("ESME_RINVSRCADR"), "{err}");
    // A body struct alone is checked by its validate.
    let body = v["body"]["SubmitSm"].clone();
    let sm: SubmitSm<Vec<u8>> = serde_json::from_value(body).unwrap();
    assert!(sm.validate().is_err());

    // A NUL inside a C-Octet String.
    let mut v = submit_sm();
    v["body"]["SubmitSm"]["service_type"] = json!("a\u{0}b");
    assert!(serde_json::from_value::<Pdu<Vec<u8>>>(v).is_err());

    // A TLV region that breaks a length rule (sar_total_segments, 2 octets).
    let bad = json!([0x02, 0x0E, 0, 2, 1, 2]);
    let err = serde_json::from_value::<Tlvs<Vec<u8>>>(bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("ESME_RINVTLVLEN"), "{err}");

    // More than 255 octets of short_message.
    let mut v = submit_sm();
    v["body"]["SubmitSm"]["short_message"] = json!(vec![0x41; 256]);
    assert!(serde_json::from_value::<Pdu<Vec<u8>>>(v).is_err());
}

/// A raw body is valid in an error response only: the PDU is checked with
/// its own `command_status`; a body alone validates as with status 0.
#[test]
fn raw_bodies_are_checked_with_the_pdus_status() {
    // query_sm_resp, ESME_RQUERYFAIL, sequence 9: message_id only.
    let frame = common::hex("00000015800000030000006700000009 69642d3100");
    let pdu = Pdu::parse(&frame).unwrap();
    assert!(matches!(pdu.body, Body::Raw(_)));
    let v = serde_json::to_value(pdu).unwrap();
    let back: Pdu<Vec<u8>> = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(encode(&back), frame);

    let mut ok = v.clone();
    ok["command_status"] = json!(0);
    let err = serde_json::from_value::<Pdu<Vec<u8>>>(ok).unwrap_err();
    assert!(err.to_string().contains("query_sm_resp"), "{err}");
    // Alone, with no status to say it is an error response's, the raw body
    // is refused as a query_sm_resp body would be.
    assert!(serde_json::from_value::<Body<Vec<u8>>>(v["body"].clone()).is_err());
    assert_eq!(back.command_status, CommandStatus(0x67));
}
