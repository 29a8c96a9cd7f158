//! A `Body` deserialized alone keeps the rules of `Body::parse`: what
//! deserializes is what decodes, and a body that breaks a rule is refused
//! with the codec's error, naming the field or TLV and the status.
#![cfg(feature = "serde")]

mod common;

use serde_json::{Value, json};
use smpp_core::{Body, CommandId, Header, Pdu};

/// The body of the golden vector `name`, as JSON.
fn body_json(name: &str) -> Value {
    let frame = common::load(name);
    serde_json::to_value(Pdu::parse(&frame).unwrap().body).unwrap()
}

/// The error message of deserializing `v` as a body alone.
fn refused(v: Value) -> String {
    serde_json::from_value::<Body<Vec<u8>>>(v)
        .expect_err("the body breaks a rule")
        .to_string()
}

/// The body octets `body` encodes to.
fn octets(body: &Body<Vec<u8>>) -> Vec<u8> {
    let mut out = vec![0u8; body.encoded_len()];
    let n = body.emit(&mut out).unwrap();
    out.truncate(n);
    out
}

#[test]
fn a_body_alone_deserializes_exactly_when_body_parse_decodes_it() {
    let mut accepted = 0;
    let mut refused_alone = Vec::new();
    for (name, frame) in common::vectors() {
        let pdu = Pdu::parse_any(&frame).unwrap();
        let id = pdu.command_id();
        let octets_in = &frame[Header::LEN..];
        let strict = Body::parse(id, octets_in);
        let json = serde_json::to_value(pdu.body).unwrap();
        let alone = serde_json::from_value::<Body<Vec<u8>>>(json.clone());
        // A PDU of an unknown command_id keeps its body raw; any octets
        // pass there, as Pdu::parse_any takes them.
        let unknown = id.name().is_none();
        assert_eq!(
            alone.is_ok(),
            strict.is_ok() || unknown,
            "{name}: {alone:?}"
        );
        match alone {
            Ok(body) => {
                accepted += 1;
                assert_eq!(body, pdu.body.map(<[u8]>::to_vec), "{name}");
                assert_eq!(octets(&body), octets_in, "{name}");
            }
            Err(e) => {
                // Refused with what Body::parse says, after the command_id.
                let want = strict.unwrap_err().to_string();
                let e = e.to_string();
                assert!(e.starts_with(&format!("{id} body: ")), "{name}: {e}");
                assert!(e.contains(&want), "{name}: {e} / {want}");
                refused_alone.push(name.clone());
            }
        }
        // In its PDU, with its own command_status, it is accepted.
        let whole: Pdu<Vec<u8>> = serde_json::from_value(json!({
            "command_status": pdu.command_status.0,
            "sequence_number": pdu.sequence_number,
            "body": json,
        }))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(whole, pdu.map(<[u8]>::to_vec), "{name}");
    }
    assert!(accepted >= 35, "{accepted}");
    // Error responses whose body only an error status allows.
    assert!(
        refused_alone.contains(&"query_sm_resp_error_message_id_only".to_owned()),
        "{refused_alone:?}"
    );
}

#[test]
fn a_body_that_breaks_a_rule_is_refused_naming_the_field() {
    let sar = body_json("submit_sm_sar_tlvs");
    let cases: [(&str, Value, &[&str]); 6] = [
        (
            "source_addr",
            json!("1234567890123456789012345"),
            &["submit_sm body: ", "field source_addr", "ESME_RINVSRCADR"],
        ),
        (
            "destination_addr",
            json!("1234567890123456789012345"),
            &["field destination_addr", "ESME_RINVDSTADR"],
        ),
        ("service_type", json!("a\u{0}b"), &["field service_type"]),
        (
            "schedule_delivery_time",
            json!("2512"),
            &["field schedule_delivery_time", "ESME_RINVSCHED"],
        ),
        (
            "validity_period",
            json!("25123123595900"),
            &["field validity_period", "ESME_RINVEXPIRY"],
        ),
        (
            "short_message",
            json!(vec![0x41; 256]),
            &["field short_message", "ESME_RINVMSGLEN"],
        ),
    ];
    for (field, value, want) in cases {
        let mut v = sar.clone();
        v["SubmitSm"][field] = value;
        let err = refused(v);
        for w in want {
            assert!(err.contains(w), "{field}: {err}");
        }
    }

    // The same body as deliver_sm, under its own command_id.
    let mut v = json!({ "DeliverSm": sar["SubmitSm"].clone() });
    v["DeliverSm"]["source_addr"] = json!("1234567890123456789012345");
    let err = refused(v);
    assert!(
        err.starts_with("deliver_sm body: field source_addr"),
        "{err}"
    );

    // bind_transmitter: system_id of 16 characters (15 at most).
    let mut v = body_json("bind_transmitter_v50_spec");
    v["BindTransmitter"]["system_id"] = json!("0123456789abcdef");
    let err = refused(v);
    assert!(err.contains("field system_id"), "{err}");
    assert!(err.contains("ESME_RINVSYSID"), "{err}");
}

/// `query_broadcast_sm_resp` must carry its mandatory TLVs as a body alone
/// (as `Body::parse` asks), not in an error response.
#[test]
fn mandatory_tlvs_are_asked_of_a_body_alone() {
    let frame = common::load("query_broadcast_sm_resp_error");
    let pdu = Pdu::parse(&frame).unwrap();
    assert!(!pdu.command_status.is_ok());
    let body = serde_json::to_value(pdu.body).unwrap();
    let strict = Body::parse(CommandId::QUERY_BROADCAST_SM_RESP, &frame[Header::LEN..]);
    let err = refused(body.clone());
    assert!(err.contains(&strict.unwrap_err().to_string()), "{err}");
    assert!(err.contains("TLV "), "{err}");
    let back: Pdu<Vec<u8>> = serde_json::from_value(json!({
        "command_status": pdu.command_status.0,
        "sequence_number": pdu.sequence_number,
        "body": body,
    }))
    .unwrap();
    assert_eq!(back, pdu.map(<[u8]>::to_vec));
}

/// A raw body of a known `command_id` passes alone only if it decodes
/// as that command's body; one of an unknown `command_id` passes.
#[test]
fn raw_bodies_alone_follow_body_parse() {
    let raw = |id: u32, octets: &[u8]| json!({ "Raw": { "command_id": id, "octets": octets } });
    // submit_sm_resp with a message_id and nothing else: a valid body.
    let ok: Body<Vec<u8>> = serde_json::from_value(raw(0x8000_0004, b"7\0")).unwrap();
    assert!(matches!(ok, Body::Raw(_)));
    // Without the NUL: not a submit_sm_resp body.
    let err = refused(raw(0x8000_0004, b"7"));
    assert!(
        err.starts_with("submit_sm_resp body: field message_id"),
        "{err}"
    );
    // A vendor command_id: any octets.
    let vendor: Body<Vec<u8>> = serde_json::from_value(raw(0x0001_0200, &[0xAB])).unwrap();
    assert_eq!(vendor.command_id(), CommandId(0x0001_0200));
}
