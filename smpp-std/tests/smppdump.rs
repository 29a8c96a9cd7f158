//! The `smppdump` binary: every golden vector to JSON and back, and errors.
#![cfg(feature = "smppdump")]

mod common;

use core::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn run(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_smppdump"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn lines(out: &Output) -> Vec<String> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The command a vector's file name starts with (the longest match).
fn command_of(stem: &str) -> &'static str {
    smpp_core::CommandId::ALL
        .iter()
        .filter_map(|id| id.name())
        .filter(|name| stem == *name || stem.starts_with(&format!("{name}_")))
        .max_by_key(|name| name.len())
        .unwrap()
}

fn by_name<'a>(all: &'a [(String, Value)], name: &str) -> &'a Value {
    &all.iter().find(|(n, _)| n == name).unwrap().1
}

/// Spot checks of field values against the vectors' documented contents.
fn check_key_fields(decoded: &[(String, Value)]) {
    let submit = by_name(decoded, "submit_sm");
    assert_eq!(submit["sequence_number"], 20456);
    assert_eq!(submit["body"]["source_addr"], "40404");
    assert_eq!(submit["body"]["destination_addr"], "44951361920");
    assert_eq!(submit["body"]["registered_delivery"], 1);
    assert_eq!(submit["body"]["sm_length"], 8);
    assert_eq!(submit["body"]["short_message"], "4024232125262f3a");

    let sar = by_name(decoded, "submit_sm_sar_tlvs");
    assert_eq!(
        sar["tlvs"][0],
        serde_json::json!({"tag": 524, "name": "sar_msg_ref_num", "value": 66, "hex": "0042"})
    );
    assert_eq!(sar["tlvs"][1]["name"], "sar_total_segments");
    assert_eq!(sar["tlvs"][1]["value"], 2);

    let multi = by_name(decoded, "submit_multi");
    assert_eq!(multi["body"]["number_of_dests"], 3);
    assert_eq!(
        multi["body"]["dest_address"][0],
        serde_json::json!({"dest_flag": 1, "dest_addr_ton": 1, "dest_addr_npi": 1,
                           "destination_addr": "447700900001"})
    );
    assert_eq!(
        multi["body"]["dest_address"][2],
        serde_json::json!({"dest_flag": 2, "dl_name": "FRIENDS"})
    );

    let multi_resp = by_name(decoded, "submit_multi_resp");
    assert_eq!(multi_resp["body"]["no_unsuccess"], 1);
    assert_eq!(
        multi_resp["body"]["unsuccess_sme"][0]["error_status_code"],
        11
    );

    let receipt = by_name(decoded, "deliver_sm_delivery_receipt");
    let receipted = receipt["tlvs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "receipted_message_id")
        .unwrap();
    assert_eq!(receipted["value"], "38601fa");
    assert_eq!(receipted["hex"], "3338363031666100");

    let broadcast = by_name(decoded, "broadcast_sm");
    let content_type = broadcast["tlvs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tag"] == 0x0601)
        .unwrap();
    assert_eq!(content_type["value"]["network_type"], 0);
    assert!(content_type["value"]["content_type"].is_u64());

    for name in [
        "generic_nack",
        "enquire_link",
        "unbind_resp",
        "submit_sm_resp_error",
    ] {
        assert!(by_name(decoded, name)["body"].is_null(), "{name}");
    }
    assert!(by_name(decoded, "bind_transceiver_resp_error_with_body")["body"].is_object());
}

#[test]
fn every_vector_decodes_and_encodes_back() {
    let vectors = common::vectors();
    let mut input = String::from("# golden vectors\n\n");
    for (i, (name, bytes)) in vectors.iter().enumerate() {
        let hex = common::to_hex(bytes);
        // Alternate plain, spaced and colon-separated forms, with comments.
        let line = match i % 3 {
            0 => hex,
            1 => hex
                .as_bytes()
                .chunks(2)
                .map(|p| core::str::from_utf8(p).unwrap())
                .collect::<Vec<_>>()
                .join(" "),
            _ => hex
                .as_bytes()
                .chunks(2)
                .map(|p| core::str::from_utf8(p).unwrap().to_uppercase())
                .collect::<Vec<_>>()
                .join(":"),
        };
        writeln!(input, "{line}  # {name}").unwrap();
    }
    let out = run(&[], &input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json_lines = lines(&out);
    assert_eq!(json_lines.len(), vectors.len());

    let mut decoded = Vec::new();
    for ((name, bytes), line) in vectors.iter().zip(&json_lines) {
        let v: Value = serde_json::from_str(line).unwrap();
        let header = smpp_core::Header::parse(bytes).unwrap();
        assert_eq!(v["command"], command_of(name), "{name}");
        assert_eq!(v["command_id"], header.command_id.0, "{name}");
        assert_eq!(v["command_status"], header.command_status.0, "{name}");
        assert_eq!(v["sequence_number"], header.sequence_number, "{name}");
        assert!(v["tlvs"].is_array(), "{name}");
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "command",
                "command_id",
                "command_status",
                "sequence_number",
                "body",
                "tlvs"
            ]
        );
        decoded.push((name.clone(), v));
    }

    check_key_fields(&decoded);

    // And back: the JSON lines encode to the original octets.
    let back = run(&["--encode"], &(json_lines.join("\n") + "\n"));
    assert!(
        back.status.success(),
        "{}",
        String::from_utf8_lossy(&back.stdout)
    );
    let hex_lines = lines(&back);
    assert_eq!(hex_lines.len(), vectors.len());
    for ((name, bytes), hex) in vectors.iter().zip(&hex_lines) {
        assert_eq!(*hex, common::to_hex(bytes), "{name}");
    }
}

#[test]
fn bad_lines_report_and_the_rest_goes_on() {
    let vectors = common::vectors();
    let get = |n: &str| common::to_hex(&vectors.iter().find(|(v, _)| v == n).unwrap().1);
    // submit_sm with sequence 0x1234 whose source_addr has no NUL.
    let bad_pdu = "00000031000000040000000000001234000101393939393939393939393939393939393939393939393939393939393939";
    let input = format!(
        "{}\n{bad_pdu}\n# comment\nzz\n{}\n",
        get("enquire_link"),
        get("submit_sm")
    );
    let out = run(&[], &input);
    assert_eq!(out.status.code(), Some(1));
    let got = lines(&out);
    assert_eq!(got.len(), 4, "{got:?}");
    let first: Value = serde_json::from_str(&got[0]).unwrap();
    assert_eq!(first["command"], "enquire_link");
    let err: Value = serde_json::from_str(&got[1]).unwrap();
    assert_eq!(err["line"], 2);
    assert_eq!(err["command_status"], 0x0A); // ESME_RINVSRCADR
    assert!(
        err["error"].as_str().unwrap().contains("source_addr"),
        "{err}"
    );
    let not_hex: Value = serde_json::from_str(&got[2]).unwrap();
    assert_eq!(not_hex["line"], 4);
    assert!(not_hex["command_status"].is_null());
    let last: Value = serde_json::from_str(&got[3]).unwrap();
    assert_eq!(last["command"], "submit_sm");
    assert_eq!(last["sequence_number"], 20456);

    // An impossible command_length answers ESME_RINVCMDLEN.
    let out = run(&[], "0000000f0000001500000000000000\n");
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_str(&lines(&out)[0]).unwrap();
    assert_eq!(err["command_status"], 0x02);

    // All good: exit code 0.
    let out = run(&[], &format!("{}\n", get("unbind")));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn encode_computes_derived_lengths_and_checks_given_ones() {
    let json = r#"{"command":"submit_sm","sequence_number":7,"body":{"service_type":"","source_addr_ton":1,"source_addr_npi":1,"source_addr":"40404","dest_addr_ton":1,"dest_addr_npi":1,"destination_addr":"44951361920","esm_class":0,"protocol_id":0,"priority_flag":0,"schedule_delivery_time":"","validity_period":"","registered_delivery":1,"replace_if_present_flag":0,"data_coding":0,"sm_default_msg_id":0,"short_message":"4869"},"tlvs":[{"name":"sar_msg_ref_num","value":1}]}"#;
    let out = run(&["--encode"], &format!("{json}\n"));
    assert!(out.status.success(), "{:?}", lines(&out));
    let hex = &lines(&out)[0];
    let bytes = common::hex(hex);
    let pdu = smpp_core::Pdu::parse(&bytes).unwrap();
    assert_eq!(pdu.sequence_number, 7);
    assert_eq!(pdu.encoded_len(), bytes.len());
    assert!(hex.ends_with("024869020c00020001"), "{hex}");

    let wrong = json.replace(
        r#""short_message":"4869""#,
        r#""sm_length":3,"short_message":"4869""#,
    );
    let out = run(&["--encode"], &format!("{wrong}\n{json}\n"));
    assert_eq!(out.status.code(), Some(1));
    let got = lines(&out);
    let err: Value = serde_json::from_str(&got[0]).unwrap();
    assert_eq!(err["line"], 1);
    assert!(
        err["error"].as_str().unwrap().contains("sm_length"),
        "{err}"
    );
    assert_eq!(got[1], *hex);
}

#[test]
fn pretty_prints_fields_and_tlvs() {
    let vectors = common::vectors();
    let sar = &vectors
        .iter()
        .find(|(n, _)| n == "submit_sm_sar_tlvs")
        .unwrap()
        .1;
    let out = run(&["--pretty"], &format!("{}\n", common::to_hex(sar)));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("submit_sm "), "{text}");
    assert!(text.contains("  source_addr: \"INFO\"\n"), "{text}");
    assert!(
        text.contains("tlv sar_msg_ref_num (0x020c) = 66 [0042]"),
        "{text}"
    );
}
