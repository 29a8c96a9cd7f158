//! The `smppdump` binary: hex as `xxd` and `xxd -p` print it and in other
//! common forms, errors with their column, and what `--encode` fills in.

// The golden vectors, loaded as the smpp-std tests load them.
#[path = "../../smpp-std/tests/common/mod.rs"]
mod common;
mod dump;
use dump::{decode, encode, encoded, lines, objects, run, run_ok, wire};

use core::fmt::Write as _;
use std::process::Output;

use serde_json::{Value, json};
use smpp_core::{DataCoding, EsmClass};
use smpp_std::SubmitSmBuilder;

/// `bytes` as `xxd` prints them: offset, eight groups of two octets, the
/// text column.
fn xxd(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(16).enumerate() {
        let groups: Vec<String> = chunk.chunks(2).map(common::to_hex).collect();
        let text: String = chunk
            .iter()
            .map(|&b| {
                if (0x20..0x7f).contains(&b) {
                    char::from(b)
                } else {
                    '.'
                }
            })
            .collect();
        writeln!(out, "{:08x}: {:<39}  {text}", i * 16, groups.join(" ")).unwrap();
    }
    out
}

/// `bytes` as `xxd -p` prints them: 30 octets a line.
fn xxd_p(bytes: &[u8]) -> String {
    bytes.chunks(30).map(|c| common::to_hex(c) + "\n").collect()
}

/// Every golden vector, back to back, as one stream.
fn stream() -> (Vec<(String, Vec<u8>)>, Vec<u8>) {
    let vectors = common::vectors();
    let all = vectors.iter().flat_map(|(_, b)| b.clone()).collect();
    (vectors, all)
}

/// The decoded vectors: one object each, in order.
fn check_vectors(out: &Output, vectors: &[(String, Vec<u8>)]) {
    assert_eq!(out.status.code(), Some(0), "{:?}", lines(out));
    let got = objects(out);
    assert_eq!(got.len(), vectors.len());
    for (v, (name, bytes)) in got.iter().zip(vectors) {
        let header = smpp_core::Header::parse(bytes).unwrap();
        assert_eq!(v["command_id"], header.command_id.0, "{name}");
        assert_eq!(v["sequence_number"], header.sequence_number, "{name}");
        // And back to the same octets.
        let hex = lines(&run(&["--encode"], format!("{v}\n")))[0].clone();
        assert_eq!(hex, common::to_hex(bytes), "{name}");
    }
}

#[test]
fn xxd_with_its_offset_and_text_columns() {
    let (vectors, all) = stream();
    let dump = xxd(&all);
    // PDUs start and end inside lines, and the text column holds hex
    // digits (from addresses) and '#'.
    let text_columns: Vec<&str> = dump.lines().map(|l| &l[51..]).collect();
    assert!(text_columns.iter().any(|t| t.contains("40404")));
    assert!(text_columns.iter().any(|t| t.contains('#')));
    // Fewer lines than PDUs: several start on one line.
    assert!(text_columns.len() < vectors.len() * 3);
    check_vectors(&run(&[], &dump), &vectors);
}

#[test]
fn xxd_plain_wrapped_lines() {
    let (vectors, all) = stream();
    let dump = xxd_p(&all);
    assert!(dump.lines().all(|l| l.len() <= 60));
    check_vectors(&run(&[], &dump), &vectors);
    // One PDU per file, as `xxd -p pdu.bin` gives it.
    let long = common::load("submit_sm_message_payload_ucs2");
    assert!(long.len() > 60);
    let got = objects(&run(&[], xxd_p(&long)));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["content"]["text"], "Hello €");
}

#[test]
fn prefixes_separators_and_comments() {
    let (submit, link) = (common::load("submit_sm"), common::load("enquire_link"));
    // A C array over several lines, with comments between.
    let c_array: String = submit
        .chunks(8)
        .map(|c| {
            let octets: Vec<String> = c.iter().map(|b| format!("0x{b:02X}")).collect();
            octets.join(", ") + ",  # part\n# between\n"
        })
        .collect();
    // 0x-prefixed words, and a prefix on the whole line.
    let words: Vec<String> = link
        .chunks(4)
        .map(|w| format!("0x{}", common::to_hex(w)))
        .collect();
    let input = format!(
        "{c_array}{}\n0x{}\n{}\n",
        words.join(" "),
        common::to_hex(&link),
        words.join(",")
    );
    let got = objects(&run_ok(&[], &input));
    assert_eq!(got.len(), 4);
    assert_eq!(got[0]["command"], "submit_sm");
    assert_eq!(got[0]["body"]["destination_addr"], "44951361920");
    for v in &got[1..] {
        assert_eq!(v["command"], "enquire_link");
    }
}

#[test]
fn a_blank_line_ends_a_pdu_early() {
    let submit = xxd_p(&common::load("submit_sm"));
    let first_line = submit.lines().next().unwrap();
    let input = format!("{first_line}\n\n{}", xxd_p(&common::load("enquire_link")));
    let out = run(&[], &input);
    assert_eq!(out.status.code(), Some(1));
    let got = objects(&out);
    assert_eq!(got.len(), 2, "{got:?}");
    // The submit_sm cut at 30 of its 57 octets, reported at its first line.
    assert_eq!(got[0]["line"], 1);
    assert_eq!(got[0]["command_status"], 2, "{}", got[0]);
    assert!(got[0].get("column").is_none());
    assert_eq!(got[1]["command"], "enquire_link");
    // The end of the input ends a PDU too.
    let out = run(&[], first_line);
    assert_eq!(objects(&out)[0]["line"], 1);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn errors_name_the_line_and_the_column() {
    let (_, all) = stream();
    let mut dump: Vec<String> = xxd(&all).lines().map(str::to_owned).collect();
    // Line 3, the 'g' at column 19 (the offset column counts).
    dump[2].replace_range(18..19, "g");
    let input = dump.join("\n") + "\n" + &xxd_p(&common::load("enquire_link")) + "00 1x\n";
    let out = run(&[], &input);
    assert_eq!(out.status.code(), Some(1));
    let got = objects(&out);
    let errors: Vec<&Value> = got.iter().filter(|v| v.get("error").is_some()).collect();
    // The PDU the bad line was part of is dropped with it; the next
    // lines are read for a header again, and a few do not give one.
    assert_eq!(
        *errors[0],
        json!({"line": 3, "column": 19, "error": "not hex: 'g' (the PDU begun on line 1 is dropped)",
               "command_status": null})
    );
    assert_eq!(
        **errors.last().unwrap(),
        json!({"line": dump.len() + 2, "column": 5, "error": "not hex: 'x'", "command_status": null})
    );
    // The enquire_link after the dump is read.
    let link_at = got
        .iter()
        .position(|v| v["command"] == "enquire_link")
        .is_some();
    assert!(link_at, "{got:?}");
    // --pretty: line:column.
    let out = run(&["--pretty"], "0000 0010\n0000 00é5\n");
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "line 2:8: error: not hex: 'é' (the PDU begun on line 1 is dropped) (command_status none)\n"
    );
    // An odd digit is named where it is.
    let got = objects(&run(&[], "00000010 0000001\n"));
    assert_eq!(
        got[0],
        json!({"line": 1, "column": 16, "error": "odd number of hex digits", "command_status": null})
    );
}

// ------------------------------------------------------------- --encode

#[test]
fn encode_fills_every_mandatory_field_left_out_with_its_default() {
    // Every command with a body, from its name alone: integers 0 (but
    // interface_version 0x34), C-Octet Strings empty, lists empty.
    let mut seen = 0;
    for id in smpp_core::CommandId::ALL {
        let name = id.name().unwrap();
        let out = encode(&format!(r#"{{"command":"{name}","sequence_number":7}}"#));
        match name {
            // A rule of the PDU, not a field left out: at least one
            // destination, and mandatory TLVs, which have no default.
            "submit_multi" => {
                assert_eq!(objects(&out)[0]["command_status"], 0x33);
                continue;
            }
            "broadcast_sm" | "query_broadcast_sm_resp" => {
                assert_eq!(objects(&out)[0]["command_status"], 0xC3, "{name}");
                continue;
            }
            _ => assert_eq!(out.status.code(), Some(0), "{name}: {:?}", lines(&out)),
        }
        let v = decode(&lines(&out)[0]);
        assert_eq!(v["command"], name);
        assert_eq!(v["sequence_number"], 7);
        let Some(body) = v["body"].as_object() else {
            assert!(v["body"].is_null());
            continue;
        };
        seen += 1;
        for (field, value) in body {
            let expected = match field.as_str() {
                "interface_version" => json!(0x34),
                "short_message" => json!(""),
                "unsuccess_sme" => json!([]),
                _ if value.is_number() => json!(0),
                _ => json!(""),
            };
            assert_eq!(*value, expected, "{name}.{field}");
        }
    }
    // Every command with a body but the three refused above.
    assert_eq!(seen, 22);

    // A few fields given: the rest as a builder of smpp-std leaves them.
    let hex = encoded(
        r#"{"command":"submit_sm","sequence_number":3,"body":{"destination_addr":"447700900123","registered_delivery":1,"short_message":"4869"},"tlvs":[{"name":"sar_msg_ref_num","value":1}]}"#,
    );
    let built = SubmitSmBuilder::new(3)
        .destination_addr("447700900123")
        .registered_delivery(smpp_core::RegisteredDelivery(1))
        .short_message("Hi")
        .tlv(smpp_core::TlvTag::SAR_MSG_REF_NUM, &[0u8, 1][..])
        .build()
        .unwrap();
    assert_eq!(hex, common::to_hex(&wire(&built)));

    // The header's sequence_number has no default; a response with an error
    // status left without body has none; `"body":null` keeps none.
    let err = &objects(&encode(r#"{"command":"submit_sm"}"#))[0];
    assert!(
        err["error"].as_str().unwrap().contains("sequence_number"),
        "{err}"
    );
    for json in [
        r#"{"command":"submit_sm_resp","command_status":20,"sequence_number":1}"#,
        r#"{"command":"submit_sm_resp","sequence_number":1,"body":null}"#,
    ] {
        assert_eq!(encoded(json).len(), 32, "{json}");
    }
    // A list entry's fields too.
    let hex = encoded(
        r#"{"command":"submit_multi","sequence_number":1,"body":{"dest_address":[{"destination_addr":"447700900001"},{"dl_name":"FRIENDS"}]}}"#,
    );
    let v = decode(&hex);
    assert_eq!(
        v["body"]["dest_address"],
        json!([{"dest_flag": 1, "dest_addr_ton": 0, "dest_addr_npi": 0, "destination_addr": "447700900001"},
               {"dest_flag": 2, "dl_name": "FRIENDS"}])
    );
}

#[test]
fn encode_takes_short_message_as_text_coded_as_data_coding_says() {
    let submit = |data_coding: u8, text: &str| {
        format!(
            r#"{{"command":"submit_sm","sequence_number":1,"body":{{"destination_addr":"447700900123","data_coding":{data_coding},"short_message_text":{}}}}}"#,
            json!(text)
        )
    };
    for (data_coding, text, octets) in [
        // GSM 7-bit, unpacked: '@' is 0x00, '€' the escape 0x1B 0x65.
        (0x00, "Hi @ 10€", "486920002031301b65"),
        // The GSM 7-bit class groups.
        (0xF0, "Flash!", "466c61736821"),
        (0x01, "Hi @", "48692040"),
        (0x03, "Café", "436166e9"),
        (0x08, "Привет 😀", "041f044004380432043504420020d83dde00"),
        (0x18, "ok", "006f006b"),
        (0x00, "", ""),
    ] {
        let v = decode(&encoded(&submit(data_coding, text)));
        assert_eq!(v["body"]["short_message"], octets, "{data_coding:#x}");
        assert_eq!(v["body"]["data_coding"], data_coding);
        if !text.is_empty() {
            assert_eq!(v["content"]["text"], text, "{data_coding:#x}");
        }
    }
    // replace_sm has no data_coding: GSM 7-bit.
    let v = decode(&encoded(
        r#"{"command":"replace_sm","sequence_number":2,"body":{"message_id":"m1","short_message_text":"Now @ 5"}}"#,
    ));
    assert_eq!(v["body"]["short_message"], "4e6f7720002035");
    assert_eq!(v["content"]["text"], "Now @ 5");

    // What cannot be coded is refused, naming the key.
    for (json, part) in [
        (submit(0, "Привет"), "'П'"),
        (submit(1, "Café"), "not"),
        (submit(0x04, "binary"), "no text encoder"),
        (submit(0x20, "compressed"), "compressed"),
        (
            submit(0, "x").replace(
                r#""data_coding":0"#,
                r#""data_coding":0,"short_message":"78""#,
            ),
            "give one",
        ),
        (
            submit(0, "x").replace(
                r#""data_coding":0"#,
                &format!(
                    r#""data_coding":0,"esm_class":{}"#,
                    EsmClass::DEFAULT.with_udhi().0
                ),
            ),
            "UDHI",
        ),
    ] {
        let out = encode(&json);
        assert_eq!(out.status.code(), Some(1), "{json}");
        let err = &objects(&out)[0];
        let text = err["error"].as_str().unwrap();
        assert!(text.starts_with("body.short_message_text: "), "{text}");
        assert!(text.contains(part), "{part}: {text}");
        assert!(err["command_status"].is_null());
    }
    // Longer than short_message allows: the codec's own rule.
    let long = submit(DataCoding::UCS2.0, &"x".repeat(128));
    let err = &objects(&encode(&long))[0];
    assert!(err["error"].as_str().unwrap().contains("255"), "{err}");
}
