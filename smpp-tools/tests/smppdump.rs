//! The `smppdump` binary: every golden vector to JSON and back, and errors.

// The golden vectors, loaded as the smpp-std tests load them.
#[path = "../../smpp-std/tests/common/mod.rs"]
mod common;
mod dump;
use dump::{
    decode, encode, encoded, keys, lines, objects, run, run_ok, scratch, stdout, wire, xorshift,
};

use core::fmt::Write as _;

use serde_json::{Value, json};
use smpp_core::receipt::DeliveryReceipt;
use smpp_core::text::choose::Encoding;
use smpp_core::text::gsm7::{self, Language, Tables};
use smpp_core::text::split::{Content, Method, Splitter};
use smpp_core::text::udh::{Ie, write_udh};
use smpp_core::text::{OnUnmappable, ucs2};
use smpp_core::{DataCoding, EsmClass, MessageState, Npi, TlvBuf, TlvTag, Ton};
use smpp_std::{
    BroadcastSmBuilder, DataSmBuilder, ReplaceSmBuilder, SubmitMultiBuilder, SubmitSmBuilder,
};

/// The commands whose JSON has a `content` object.
const CONTENT_COMMANDS: [&str; 6] = [
    "submit_sm",
    "submit_multi",
    "deliver_sm",
    "data_sm",
    "replace_sm",
    "broadcast_sm",
];

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
    let json_lines = lines(&run_ok(&[], &input));
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
        let keys = keys(&v);
        let mut expected = vec![
            "command",
            "command_id",
            "command_status",
            "sequence_number",
            "body",
            "tlvs",
        ];
        // A body kept as octets (an error response cut short) is given in
        // hex after `body`.
        if matches!(
            smpp_core::Pdu::parse(bytes).unwrap().body,
            smpp_core::Body::Raw(_)
        ) {
            expected.insert(5, "body_hex");
            assert!(v["body"].is_null(), "{name}");
        }
        // The PDUs that carry a message gain a derived `content` object.
        if CONTENT_COMMANDS.contains(&command_of(name)) {
            expected.push("content");
            assert!(v["content"].is_object(), "{name}");
        }
        assert_eq!(keys, expected, "{name}");
        decoded.push((name.clone(), v));
    }

    check_key_fields(&decoded);

    // And back: the JSON lines encode to the original octets.
    encodes_to_the_vectors(&(json_lines.join("\n") + "\n"), &vectors, "as dumped");
}

/// Checks that `--encode` turns the JSON lines `input` into the octets of
/// `vectors`, one line each, all lines succeeding; `what` names the input.
fn encodes_to_the_vectors(input: &str, vectors: &[(String, Vec<u8>)], what: &str) {
    let hex = lines(&run_ok(&["--encode"], input));
    assert_eq!(hex.len(), vectors.len(), "{what}");
    for ((name, bytes), h) in vectors.iter().zip(&hex) {
        assert_eq!(*h, common::to_hex(bytes), "{name} ({what})");
    }
}

#[test]
fn bad_lines_report_and_the_rest_goes_on() {
    // submit_sm with sequence 0x1234 whose source_addr has no NUL.
    let bad_pdu = "00000031000000040000000000001234000101393939393939393939393939393939393939393939393939393939393939";
    let input = format!(
        "{}\n{bad_pdu}\n# comment\nzz\n{}\n",
        vector_hex("enquire_link"),
        vector_hex("submit_sm")
    );
    let got = objects(&run_failing(&[], &input, 4));
    assert_eq!(got[0]["command"], "enquire_link");
    let err = &got[1];
    assert_eq!(err["line"], 2);
    assert_eq!(err["command_status"], 0x0A); // ESME_RINVSRCADR
    assert!(
        err["error"].as_str().unwrap().contains("source_addr"),
        "{err}"
    );
    assert_eq!(got[2]["line"], 4);
    assert!(got[2]["command_status"].is_null());
    assert_eq!(got[3]["command"], "submit_sm");
    assert_eq!(got[3]["sequence_number"], 20456);

    // An impossible command_length answers ESME_RINVCMDLEN.
    let out = run(&[], "0000000f0000001500000000000000\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(objects(&out)[0]["command_status"], 0x02);

    // All good: exit code 0.
    run_ok(&[], format!("{}\n", vector_hex("unbind")));
}

#[test]
fn encode_computes_derived_lengths_and_checks_given_ones() {
    let json = r#"{"command":"submit_sm","sequence_number":7,"body":{"service_type":"","source_addr_ton":1,"source_addr_npi":1,"source_addr":"40404","dest_addr_ton":1,"dest_addr_npi":1,"destination_addr":"44951361920","esm_class":0,"protocol_id":0,"priority_flag":0,"schedule_delivery_time":"","validity_period":"","registered_delivery":1,"replace_if_present_flag":0,"data_coding":0,"sm_default_msg_id":0,"short_message":"4869"},"tlvs":[{"name":"sar_msg_ref_num","value":1}]}"#;
    let hex = &encoded(json);
    let bytes = common::hex(hex);
    let pdu = smpp_core::Pdu::parse(&bytes).unwrap();
    assert_eq!(pdu.sequence_number, 7);
    assert_eq!(pdu.encoded_len(), bytes.len());
    assert!(hex.ends_with("024869020c00020001"), "{hex}");

    let wrong = json.replace(
        r#""short_message":"4869""#,
        r#""sm_length":3,"short_message":"4869""#,
    );
    let out = run(&["--encode"], format!("{wrong}\n{json}\n"));
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
fn encode_reports_the_status_of_a_broken_field_rule() {
    // query_sm with a source_addr of 25 characters (21 octets at most).
    let bad = r#"{"command":"query_sm","sequence_number":3,"body":{"message_id":"1","source_addr_ton":1,"source_addr_npi":1,"source_addr":"1234567890123456789012345"}}"#;
    let good = bad.replace("1234567890123456789012345", "12345");
    let got = lines(&run_failing(&["--encode"], format!("{bad}\n{good}\n"), 2));
    let err: Value = serde_json::from_str(&got[0]).unwrap();
    assert_eq!(err["line"], 1);
    assert_eq!(err["command_status"], 10, "{err}"); // ESME_RINVSRCADR
    let text = err["error"].as_str().unwrap();
    assert!(text.contains("source_addr"), "{text}");
    assert!(
        text.contains("26 octets, more than its maximum 21"),
        "{text}"
    );
    let octets = common::hex(&got[1]);
    assert_eq!(smpp_core::Pdu::parse(&octets).unwrap().sequence_number, 3);

    // A TLV value breaking the tag's rule reports its status too.
    let tlv = good.replace(
        r#""}}"#,
        r#""},"tlvs":[{"name":"sar_total_segments","hex":"0102"}]}"#,
    );
    let err = &objects(&encode(&tlv))[0];
    assert_eq!(err["command_status"], 0xC2, "{err}"); // ESME_RINVTLVLEN
    // Not the shape at all: no status.
    let err = &objects(&run(&["--encode"], "{\"command\":\"query_sm\"}\n"))[0];
    assert!(err["command_status"].is_null(), "{err}");
}

#[test]
fn encode_refuses_a_key_given_twice() {
    // A key given twice would otherwise take its last value without a
    // word; each such line fails alone, naming the key, and the rest goes
    // on.
    let good = r#"{"command":"query_sm","sequence_number":3,"body":{"message_id":"1","source_addr_ton":1,"source_addr_npi":1,"source_addr":"12345"},"tlvs":[{"name":"user_message_reference","value":7}]}"#;
    for (twice, key) in [
        (
            good.replace(
                r#""sequence_number":3"#,
                r#""sequence_number":3,"sequence_number":4"#,
            ),
            "\"sequence_number\"",
        ),
        (
            good.replace(
                r#""source_addr":"12345""#,
                r#""source_addr":"1","source_addr":"12345""#,
            ),
            "\"body.source_addr\"",
        ),
        (
            good.replace(r#""value":7"#, r#""value":7,"value":8"#),
            "\"tlvs[0].value\"",
        ),
    ] {
        let got = lines(&run_failing(&["--encode"], format!("{twice}\n{good}\n"), 2));
        let err: Value = serde_json::from_str(&got[0]).unwrap();
        assert_eq!(err["line"], 1, "{err}");
        assert!(err["command_status"].is_null(), "{err}");
        let text = err["error"].as_str().unwrap();
        assert!(text.contains(&format!("duplicate key {key}")), "{text}");
        let octets = common::hex(&got[1]);
        assert_eq!(smpp_core::Pdu::parse(&octets).unwrap().sequence_number, 3);
    }
}

#[test]
fn a_line_that_is_not_utf8_fails_alone() {
    // Decoding: a good line, a Latin-1 line, a good line (CRLF endings).
    let mut input = format!("{}\r\n", vector_hex("enquire_link")).into_bytes();
    input.extend_from_slice(b"0000 \xe9\xff 10\r\n");
    input.extend_from_slice(format!("{}\r\n", vector_hex("unbind")).as_bytes());
    let got = objects(&run_failing(&[], &input, 3));
    assert_eq!(got[0]["command"], "enquire_link");
    assert_eq!(got[1]["line"], 2);
    assert!(got[1]["command_status"].is_null());
    assert!(got[1].get("file").is_none());
    let text = got[1]["error"].as_str().unwrap();
    assert!(text.contains("not UTF-8"), "{text}");
    assert!(text.contains("0xe9 at octet 6"), "{text}");
    assert_eq!(got[2]["command"], "unbind");

    // Encoding: the same between two JSON lines; the last line has no
    // line ending.
    let json = lines(&run(&[], format!("{}\n", vector_hex("unbind"))))[0].clone();
    let mut input = format!("{json}\n").into_bytes();
    input.extend_from_slice(b"{\"command\":\"unbind\xc3\"}\n");
    input.extend_from_slice(json.as_bytes());
    let got = lines(&run_failing(&["--encode"], &input, 3));
    assert_eq!(got[0], vector_hex("unbind"));
    let err: Value = serde_json::from_str(&got[1]).unwrap();
    assert_eq!(err["line"], 2);
    assert!(err["command_status"].is_null());
    assert_eq!(got[2], vector_hex("unbind"));
}

/// Runs `smppdump` with `args` on `input`, of which some line fails
/// (exit code 1); it prints `count` lines.
fn run_failing(args: &[&str], input: impl AsRef<[u8]>, count: usize) -> std::process::Output {
    let out = run(args, input);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert_eq!(lines(&out).len(), count, "{stdout}");
    out
}

/// Writes `text` to a file `name` of this test binary's scratch directory.
fn input_file(name: &str, text: &str) -> std::path::PathBuf {
    let path = scratch("smppdump-files").join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn several_files_name_the_file_and_count_lines_per_file() {
    let first = input_file(
        "first.hex",
        &format!("zz\n{}\n", vector_hex("enquire_link")),
    );
    let second = input_file(
        "second.hex",
        &format!("# c\n{}\n0000000f\n", vector_hex("unbind")),
    );
    let (a, b) = (first.to_str().unwrap(), second.to_str().unwrap());

    let out = run(&[a, b], "");
    assert_eq!(out.status.code(), Some(1));
    let got = objects(&out);
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(keys(&got[0]), ["file", "line", "error", "command_status"]);
    assert_eq!(got[0]["file"], a);
    assert_eq!(got[0]["line"], 1);
    assert_eq!(got[1]["command"], "enquire_link");
    // PDUs carry no file key: they must encode back as they are.
    assert!(got[1].get("file").is_none());
    assert_eq!(got[2]["command"], "unbind");
    assert_eq!(got[3]["file"], b);
    assert_eq!(got[3]["line"], 3);
    assert_eq!(got[3]["command_status"], 2);

    // One file: no file key, as before.
    let got = objects(&run(&[a], ""));
    assert_eq!(keys(&got[0]), ["line", "error", "command_status"]);

    // --pretty names file and line.
    let text = stdout(&run(&["--pretty", a, b], ""));
    assert!(text.contains(&format!("{b}:3: error: ")), "{text}");

    // A file that cannot be opened: exit code 2.
    let missing = first.with_file_name("missing.hex");
    let out = run(&[missing.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(2));
    // An unknown option: exit code 2 and the usage.
    let out = run(&["--bogus"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Exit code"));
}

#[test]
fn a_line_too_long_fails_alone() {
    // 4 MiB of hex digits is the most a line may hold; one more fails.
    let most = "0".repeat(4 << 20);
    let input = format!(
        "{}\n{most}\n{most}0\n{}\n{most}00",
        vector_hex("enquire_link"),
        vector_hex("unbind")
    );
    let got = objects(&run_failing(&[], &input, 5));
    assert_eq!(got[0]["command"], "enquire_link");
    // Read and decoded: not a PDU, but not too long either.
    assert_eq!(got[1]["line"], 2);
    assert_eq!(got[1]["command_status"], 2);
    let too_long = |line: u32| json!({"line": line, "error": "line longer than 4194304 octets", "command_status": null});
    assert_eq!(got[2], too_long(3));
    assert_eq!(got[3]["command"], "unbind");
    // The last line, without a line ending.
    assert_eq!(got[4], too_long(5));
}

#[test]
fn a_dash_among_files_reads_standard_input() {
    let file = input_file("one.hex", &format!("{}\n", vector_hex("enquire_link")));
    let file = file.to_str().unwrap();
    let got = objects(&run_failing(
        &[file, "-"],
        format!("# stdin\n{}\nzz\n", vector_hex("unbind")),
        3,
    ));
    assert_eq!(got[0]["command"], "enquire_link");
    assert_eq!(got[1]["command"], "unbind");
    assert_eq!(
        got[2],
        json!({"file": "-", "line": 3, "error": "not hex: 'z'", "command_status": null})
    );
}

/// Runs `smppdump` with `args` and its standard output sent to `stdout`;
/// gives the exit code and what it wrote on standard error.
fn run_to(args: &[&str], stdout: impl Into<std::process::Stdio>) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_smppdump"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_reader_that_goes_away_ends_the_output_quietly() {
    use std::io::BufRead as _;
    // Far more output than a pipe holds: 20,000 PDUs of about 110 octets
    // of JSON each.
    let line = vector_hex("enquire_link") + "\n";
    let path = input_file("many.hex", &line.repeat(20_000));
    let path = path.to_str().unwrap();

    // The reader takes three lines and leaves, as `head -n 3` does.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_smppdump"))
        .arg(path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    for _ in 0..3 {
        let mut first = String::new();
        reader.read_line(&mut first).unwrap();
        assert!(first.contains("\"enquire_link\""), "{first}");
    }
    drop(reader);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        (out.status.code(), String::from_utf8_lossy(&out.stderr)),
        (Some(0), "".into())
    );

    // A pipe closed before anything is written: the PDUs, a failed line,
    // --pretty, --encode and --help all stop at their first write.
    let failing = input_file("failing.hex", "zz\n");
    let json = input_file("one.json", &format!("{}\n", decode(&vector_hex("unbind"))));
    for args in [
        &[path][..],
        &[failing.to_str().unwrap()],
        &["--pretty", path],
        &["--encode", json.to_str().unwrap()],
        &["--help"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        assert_eq!(run_to(args, writer), (Some(0), String::new()), "{args:?}");
    }

    // Any other write error is one: a full disk.
    if std::path::Path::new("/dev/full").exists() {
        for args in [&[path][..], &["--help"]] {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            let (code, stderr) = run_to(args, full);
            assert_eq!(code, Some(2), "{args:?}");
            assert!(stderr.starts_with("smppdump: "), "{stderr}");
            assert!(stderr.contains("No space left on device"), "{stderr}");
        }
    }
}

/// Every golden vector's JSON with `edit` applied (given the vector's
/// octets) encodes to the vector's octets.
fn encode_edited(what: &str, edit: impl Fn(&mut Value, &[u8])) {
    let vectors = common::vectors();
    let mut docs = dump(&vectors.iter().map(|(_, b)| b).collect::<Vec<_>>());
    for (v, (_, bytes)) in docs.iter_mut().zip(&vectors) {
        edit(v, bytes);
    }
    let input: String = docs.iter().map(|v| v.to_string() + "\n").collect();
    encodes_to_the_vectors(&input, &vectors, what);
}

/// The TLV maps of a PDU's JSON.
fn tlv_maps(v: &mut Value) -> impl Iterator<Item = &mut serde_json::Map<String, Value>> {
    v["tlvs"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .map(|t| t.as_object_mut().unwrap())
}

/// Adds every derived length (checked when given), then removes them all.
fn derived_lengths_given(v: &mut Value, wire: &[u8]) {
    v["command_length"] = Value::from(wire.len());
    for t in tlv_maps(v) {
        let len = t["hex"].as_str().unwrap().len() / 2;
        t.insert("length".into(), Value::from(len));
    }
}

fn strip_derived_lengths(v: &mut Value) {
    let obj = v.as_object_mut().unwrap();
    obj.remove("command_length");
    obj.remove("content");
    if let Some(body) = obj.get_mut("body").and_then(Value::as_object_mut) {
        for key in ["sm_length", "number_of_dests", "no_unsuccess"] {
            body.remove(key);
        }
    }
    for t in tlv_maps(v) {
        t.remove("length");
    }
}

#[test]
fn every_vector_encodes_with_derived_lengths_given_or_left_out() {
    // Given and right: the same octets.
    encode_edited("lengths given", derived_lengths_given);
    // Every one left out: the same octets.
    encode_edited("lengths left out", |v, wire| {
        derived_lengths_given(v, wire);
        strip_derived_lengths(v);
        assert!(v.get("command_length").is_none());
    });
    // And a wrong one is refused.
    let sar = vector("submit_sm_sar_tlvs");
    let mut v = dump(&[&sar]).remove(0);
    derived_lengths_given(&mut v, &sar);
    v["tlvs"][0]["length"] = Value::from(3);
    let err = &objects(&encode(&v.to_string()))[0];
    assert!(
        err["error"].as_str().unwrap().contains("tlvs[0].length"),
        "{err}"
    );
}

#[test]
fn every_vector_encodes_with_tlvs_given_by_value_only() {
    let typed = core::cell::Cell::new(0);
    encode_edited("values only", |v, _| {
        strip_derived_lengths(v);
        for t in tlv_maps(v) {
            // Every TLV with a typed value loses its raw octets.
            if t.contains_key("value") {
                t.remove("hex");
                typed.set(typed.get() + 1);
            }
        }
    });
    assert!(typed.get() >= 20, "only {} typed TLVs", typed.get());
}

#[test]
fn tlv_names_and_integer_values() {
    // `dest_port` (v5.0) names 0x020B, which prints as destination_port.
    let json = r#"{"command":"data_sm","sequence_number":1,"body":{"service_type":"","source_addr_ton":0,"source_addr_npi":0,"source_addr":"","dest_addr_ton":0,"dest_addr_npi":0,"destination_addr":"","esm_class":0,"registered_delivery":0,"data_coding":0},"tlvs":[{"name":"dest_port","value":2948},{"name":"dest_addr_np_country","value":44},{"name":"dest_addr_np_country","value":44,"length":5}]}"#;
    let hex = &encoded(json);
    assert!(
        hex.ends_with("020b00020b84061300012c06130005000000002c"),
        "{hex}"
    );
    let v = &decode(hex);
    assert_eq!(v["tlvs"][0]["name"], "destination_port");
    assert_eq!(v["tlvs"][0]["value"], 2948);
    // dest_addr_np_country is an Integer of 1-5 octets: a number.
    assert_eq!(
        v["tlvs"][1],
        json!({"tag": 0x0613, "name": "dest_addr_np_country", "value": 44, "hex": "2c"})
    );
    assert_eq!(v["tlvs"][2]["value"], 44);
    assert_eq!(v["tlvs"][2]["hex"], "000000002c");
}

#[test]
fn pretty_prints_fields_and_tlvs() {
    let text = stdout(&run_ok(
        &["--pretty"],
        format!("{}\n", vector_hex("submit_sm_sar_tlvs")),
    ));
    assert!(text.starts_with("submit_sm "), "{text}");
    assert!(text.contains("  source_addr: \"INFO\"\n"), "{text}");
    assert!(
        text.contains("tlv sar_msg_ref_num (0x020c) = 66 [0042]"),
        "{text}"
    );
}

/// Every row of the specification's `tlvs.csv` (`tag,name`), with a value
/// of a length its `length` column allows, as hex.
const TLV_ROWS: &str = "
    0x0005,dest_addr_subunit,01
    0x0006,dest_network_type,01
    0x0007,dest_bearer_type,01
    0x0008,dest_telematics_id,0001
    0x000D,source_addr_subunit,01
    0x000E,source_network_type,01
    0x000F,source_bearer_type,01
    0x0010,source_telematics_id,01
    0x0017,qos_time_to_live,00000e10
    0x0019,payload_type,00
    0x001D,additional_status_info_text,616273656e7400
    0x001E,receipted_message_id,61626300
    0x0030,ms_msg_wait_facilities,80
    0x0201,privacy_indicator,00
    0x0202,source_subaddress,a001
    0x0203,dest_subaddress,a002
    0x0204,user_message_reference,0007
    0x0205,user_response_code,01
    0x020A,source_port,0b84
    0x020B,destination_port,23f0
    0x020C,sar_msg_ref_num,0042
    0x020D,language_indicator,01
    0x020E,sar_total_segments,02
    0x020F,sar_segment_seqnum,01
    0x0210,sc_interface_version,34
    0x0302,callback_num_pres_ind,01
    0x0303,callback_num_atag,4142
    0x0304,number_of_messages,03
    0x0381,callback_num,00010131323334
    0x0420,dpf_result,01
    0x0421,set_dpf,01
    0x0422,ms_availability_status,00
    0x0423,network_error_code,030022
    0x0424,message_payload,4869
    0x0425,delivery_failure_reason,01
    0x0426,more_messages_to_send,00
    0x0427,message_state,02
    0x0428,congestion_state,28
    0x0501,ussd_service_op,00
    0x0600,broadcast_channel_indicator,00
    0x0601,broadcast_content_type,010001
    0x0602,broadcast_content_type_info,01
    0x0603,broadcast_message_class,01
    0x0604,broadcast_rep_num,0001
    0x0605,broadcast_frequency_interval,080001
    0x0606,broadcast_area_identifier,000102
    0x0607,broadcast_error_status,00000000
    0x0608,broadcast_area_success,50
    0x0609,broadcast_end_time,3236303130313132303030303030302b00
    0x060A,broadcast_service_group,01
    0x060B,billing_identification,01
    0x060D,source_network_id,6e6574776f726b00
    0x060E,dest_network_id,6e6574776f726b00
    0x060F,source_node_id,313233343536
    0x0610,dest_node_id,363534333231
    0x0611,dest_addr_np_resolution,00
    0x0612,dest_addr_np_information,30313233343536373839
    0x0613,dest_addr_np_country,2c
    0x1201,display_time,00
    0x1203,sms_signal,0001
    0x1204,ms_validity,00
    0x130C,alert_on_message_delivery,
    0x1380,its_reply_type,00
    0x1383,its_session_info,0702
";

#[test]
fn every_tlv_of_the_table_has_its_name_typed_value_and_hex_in_wire_order() {
    // (tag, name, value) for every row, in reverse table order, with two
    // vendor tags among them: output follows the wire, not the table.
    let mut tlvs: Vec<(u16, Option<&str>, Vec<u8>)> = TLV_ROWS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut parts = l.split(',');
            let tag = parts.next().unwrap().trim_start_matches("0x");
            let tag = u16::from_str_radix(tag, 16).unwrap();
            let name = parts.next().unwrap();
            (tag, Some(name), common::hex(parts.next().unwrap()))
        })
        .rev()
        .collect();
    assert_eq!(tlvs.len(), 64);
    tlvs.insert(10, (0x1400, None, vec![0xbe, 0xef]));
    tlvs.push((0x3fff, None, vec![]));

    // A data_sm with empty and zero mandatory fields, sequence 7.
    let mut frame = vec![0, 0, 0, 0, 0, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 7];
    frame.extend_from_slice(&[0; 10]);
    for (tag, _, value) in &tlvs {
        frame.extend_from_slice(&tag.to_be_bytes());
        frame.extend_from_slice(&u16::try_from(value.len()).unwrap().to_be_bytes());
        frame.extend_from_slice(value);
    }
    let len = u32::try_from(frame.len()).unwrap();
    frame[..4].copy_from_slice(&len.to_be_bytes());

    let mut v = dump(&[&frame]).remove(0);
    let got = v["tlvs"].as_array().unwrap();
    assert_eq!(got.len(), tlvs.len());
    for (t, (tag, name, value)) in got.iter().zip(&tlvs) {
        assert_eq!(t["tag"], *tag, "{t}");
        assert_eq!(t["hex"], common::to_hex(value), "{t}");
        match name {
            Some(name) => {
                assert_eq!(keys(t), ["tag", "name", "value", "hex"], "{t}");
                assert_eq!(t["name"], *name, "{t}");
            }
            // An unknown tag: its octets only.
            None => assert_eq!(keys(t), ["tag", "hex"], "{t}"),
        }
    }
    // Typed values: integers are numbers, C-Octet Strings strings without
    // their NUL, octet strings lowercase hex, composites objects.
    let by_name = |n: &str| got.iter().find(|t| t["name"] == n).unwrap()["value"].clone();
    assert_eq!(by_name("qos_time_to_live"), 3600);
    assert_eq!(by_name("destination_port"), 0x23f0);
    assert_eq!(by_name("receipted_message_id"), "abc");
    assert_eq!(by_name("source_subaddress"), "a001");
    assert_eq!(
        by_name("network_error_code"),
        json!({"network_type": 3, "error_code": 0x22})
    );

    // Back from the typed values alone (no `hex`, no lengths) for every
    // known tag, from `hex` for the unknown ones: the same octets.
    for t in tlv_maps(&mut v) {
        if t.contains_key("value") {
            t.remove("hex");
        }
    }
    v.as_object_mut().unwrap().remove("content");
    let out = run_ok(&["--encode"], format!("{v}\n"));
    assert_eq!(lines(&out), [common::to_hex(&frame)]);
}

#[test]
fn encode_writes_a_tlv_from_hex_when_both_are_given() {
    let sar = vector("submit_sm_sar_tlvs");
    let mut v = dump(&[&sar]).remove(0);
    // `value` says 7, `hex` the vector's 0x0042: the octets are the hex.
    assert_eq!(v["tlvs"][0]["hex"], "0042");
    v["tlvs"][0]["value"] = json!(7);
    let out = run_ok(&["--encode"], format!("{v}\n"));
    assert_eq!(lines(&out), [common::to_hex(&sar)]);
    // Without `hex`, the value is written.
    v["tlvs"][0].as_object_mut().unwrap().remove("hex");
    let back = &decode(&encoded(&v.to_string()));
    assert_eq!(back["tlvs"][0]["value"], 7);
    assert_eq!(back["tlvs"][0]["hex"], "0007");
}

// ------------------------------------------------------------- content

/// The octets of an owned PDU.
/// A binary `submit_sm` to the WAP push port (2948, from 9200): `rest`
/// after the port element.
fn wap_push(rest: &[u8]) -> smpp_std::Pdu {
    let port = Ie::Port16 {
        dest: 2948,
        src: 9200,
    };
    submit()
        .esm_class(EsmClass::DEFAULT.with_udhi())
        .data_coding(DataCoding::OCTET_UNSPECIFIED)
        .short_message(user_data(&[port], rest))
        .build()
        .unwrap()
}

/// User data: a header of the elements `ies`, then `rest`.
fn user_data(ies: &[Ie<'_>], rest: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; 7 * ies.len() + 1];
    let n = write_udh(ies, &mut out).unwrap();
    out.truncate(n);
    out.extend_from_slice(rest);
    out
}

/// Dumps frames (one hex line each); every line must decode.
fn dump(frames: &[impl AsRef<[u8]>]) -> Vec<Value> {
    let input: String = frames
        .iter()
        .map(|f| common::to_hex(f.as_ref()) + "\n")
        .collect();
    let got = objects(&run_ok(&[], &input));
    assert_eq!(got.len(), frames.len());
    got
}

/// The `content` object of one frame.
fn content_of(frame: &[u8]) -> Value {
    dump(&[frame])[0]["content"].clone()
}

/// The `content` object of a PDU built by a builder of smpp-std.
fn content_built(pdu: Result<smpp_std::Pdu, impl core::fmt::Debug>) -> Value {
    content_of(&wire(&pdu.unwrap()))
}

/// The `content` of the golden vector `name` is `{"text": text}` alone.
fn assert_vector_text(name: &str, text: &str) {
    assert_eq!(content_of(&vector(name)), json!({ "text": text }), "{name}");
}

fn vector(name: &str) -> Vec<u8> {
    common::load(name)
}

/// A vector as one line of hex.
fn vector_hex(name: &str) -> String {
    common::to_hex(&vector(name))
}

fn gsm(text: &str, tables: Tables) -> Vec<u8> {
    let mut septets = vec![0u8; text.len() * 2];
    let n = gsm7::encode_unpacked(text, tables, OnUnmappable::Error, &mut septets).unwrap();
    septets.truncate(n);
    septets
}

fn utf16(text: &str) -> Vec<u8> {
    let mut out = vec![0u8; text.len() * 2];
    let n = ucs2::encode(text, &mut out).unwrap();
    out.truncate(n);
    out
}

fn submit() -> SubmitSmBuilder {
    SubmitSmBuilder::new(1)
        .source_addr("INFO")
        .destination_addr("447700900123")
}

/// Every segment of `content` split by `method`, as `submit_sm` frames built by the core's
/// splitter.
fn split_frames(content: Content<'_>, method: Method) -> Vec<Vec<u8>> {
    let splitter = Splitter::new(content, method).unwrap();
    let template = smpp_core::SubmitSm {
        source_addr: smpp_core::COctet::from("INFO"),
        destination_addr: smpp_core::COctet::from("447700900123"),
        ..smpp_core::SubmitSm::default()
    };
    (0..splitter.total())
        .map(|n| {
            let (mut data, mut tlvs) = ([0u8; 160], TlvBuf::<64>::new());
            let segment = splitter.segment(n, &mut data).unwrap();
            let sm = splitter
                .submit_sm(&segment, &template, &data[..segment.len], &mut tlvs)
                .unwrap();
            let seq = u32::try_from(n).unwrap() + 1;
            wire(&smpp_core::Pdu::new(seq, smpp_core::Body::SubmitSm(sm)))
        })
        .collect()
}

#[test]
fn content_gsm_text_submit_sm() {
    let text = "Hello @home: {price} 5€ ñ ü_^";
    let septets = gsm(text, Tables::DEFAULT);
    // '@' is septet 0 and '€' an escape pair: this really is GSM, not ASCII.
    assert!(septets.contains(&0x00) && septets.contains(&0x1B));
    let pdu = submit().short_message(septets).build();
    assert_eq!(content_built(pdu), json!({ "text": text }));

    // Under the GSM reading the golden submit_sm's ASCII '@' (0x40) is the inverted '!'.
    assert_vector_text("submit_sm", "¡¤#!%&/:");
}

#[test]
fn content_ucs2_with_emoji() {
    let text = "Привет 😀👍🏽";
    let octets = utf16(text);
    assert!(
        octets.windows(2).any(|w| w == [0xD8, 0x3D]),
        "a surrogate pair"
    );
    let pdu = submit()
        .data_coding(DataCoding::UCS2)
        .short_message(octets)
        .build();
    assert_eq!(content_built(pdu), json!({ "text": text }));
}

#[test]
fn content_concatenated_parts_8_and_16_bit_reference() {
    let text = "The quick brown fox jumps over the lazy dog. ".repeat(5);
    let gsm = Encoding::Gsm7(Tables::DEFAULT);
    for (method, iei, reference, ref_hex) in [
        (Method::Udh8 { reference: 0x2A }, 0x00, 0x2A, "2a"),
        (Method::Udh16 { reference: 0xBEEF }, 0x08, 0xBEEF, "beef"),
    ] {
        for (i, c) in two_parts(&text, gsm, method, reference).iter().enumerate() {
            let hex = format!("{ref_hex}02{:02x}", i + 1);
            assert_eq!(c["udh"], json!([{"iei": iei, "hex": hex}]));
            assert!(c.get("port").is_none() && c.get("error").is_none(), "{c}");
        }
    }
}

/// The `content` of the two parts `method` splits `text` into: each names
/// its place by `concat` with `reference`, and their texts joined are the
/// whole message.
fn two_parts(text: &str, encoding: Encoding, method: Method, reference: u16) -> Vec<Value> {
    let frames = split_frames(Content::Text(text, encoding), method);
    assert_eq!(frames.len(), 2);
    let contents: Vec<Value> = dump(&frames).iter().map(|v| v["content"].clone()).collect();
    let mut joined = String::new();
    for (i, c) in contents.iter().enumerate() {
        let concat = json!({"ref": reference, "total": 2, "seq": i + 1});
        assert_eq!(c["concat"], concat, "{c}");
        joined.push_str(c["text"].as_str().unwrap());
    }
    // The parts' texts, after their headers, are the whole message.
    assert_eq!(joined, text);
    contents
}

#[test]
fn content_sar_tlvs() {
    let text = "Ünïcödé ".repeat(12);
    let sar = Method::Sar { reference: 0x1234 };
    for c in two_parts(&text, Encoding::Ucs2, sar, 0x1234) {
        assert!(c.get("udh").is_none(), "no header: {c}");
    }

    assert_eq!(
        content_of(&vector("submit_sm_sar_tlvs")),
        json!({"concat": {"ref": 66, "total": 2, "seq": 1}, "text": "Hello part"})
    );

    // One SAR TLV alone is no concatenation, and says so.
    let pdu = submit()
        .tlv_u16(TlvTag::SAR_MSG_REF_NUM, 5)
        .short_message("hi")
        .build();
    let c = content_built(pdu);
    assert!(c.get("concat").is_none());
    assert_eq!(c["text"], "hi");
    assert!(c["error"].as_str().unwrap().starts_with("sar: "), "{c}");
}

#[test]
fn content_wap_push_port_and_binary() {
    // A WSP push PDU: binary, no text.
    let wsp = [
        0x01, 0x06, 0x04, 0x03, 0xAE, 0x81, 0xEA, 0x02, 0x05, 0x6A, 0x00,
    ];
    let pdu = wap_push(&wsp[..]);
    assert_eq!(
        content_of(&wire(&pdu)),
        json!({"udh": [{"iei": 5, "hex": "0b8423f0"}], "port": {"dest": 2948, "src": 9200}})
    );

    // 8-bit ports, binary by a GSM class group (0xF5): still no text.
    let pdu = submit()
        .esm_class(EsmClass::DEFAULT.with_udhi())
        .data_coding(DataCoding(0xF5))
        .short_message(user_data(&[Ie::Port8 { dest: 16, src: 32 }], b"\x00\xFF"))
        .build();
    assert_eq!(
        content_built(pdu),
        json!({"udh": [{"iei": 4, "hex": "1020"}], "port": {"dest": 16, "src": 32}})
    );

    // Without a header the port TLVs say it.
    let pdu = submit()
        .data_coding(DataCoding::OCTET_UNSPECIFIED)
        .destination_port(2948)
        .source_port(9200)
        .short_message(&wsp)
        .build();
    assert_eq!(
        content_built(pdu),
        json!({"port": {"dest": 2948, "src": 9200}})
    );

    // The golden binary vector: 16-bit ports 5505 (a Nokia smart message), data_coding 0xF5.
    assert_eq!(
        content_of(&vector("submit_sm_udh_binary")),
        json!({"udh": [{"iei": 5, "hex": "15811581"}], "port": {"dest": 5505, "src": 5505}})
    );
}

#[test]
fn content_from_message_payload() {
    // Longer than one short_message could hold.
    let text = "Доставка 🚚 сегодня. ".repeat(8);
    let payload = utf16(&text);
    assert!(payload.len() > 254);
    let pdu = submit()
        .data_coding(DataCoding::UCS2)
        .message_payload(payload)
        .build();
    assert_eq!(content_built(pdu), json!({ "text": text }));

    assert_vector_text("submit_sm_message_payload_ucs2", "Hello €");
}

#[test]
fn content_delivery_receipt_from_testdata() {
    let c = content_of(&vector("deliver_sm_delivery_receipt"));
    let r = &c["receipt"];
    for (key, value) in [
        ("id", "0059113978"),
        ("sub", "001"),
        ("dlvrd", "001"),
        ("submit_date", "1002101730"),
        ("done_date", "1002101731"),
        ("stat", "DELIVRD"),
        ("err", "000"),
    ] {
        assert_eq!(r[key], value, "{key}");
    }
    // Receipt fields are the octets as sent (ASCII), not the GSM reading of `text`.
    assert_eq!(r["text"], "@$#!%&/:");
    assert!(c["text"].as_str().unwrap().ends_with("text:¡¤#!%&/:"));
    // The TLVs.
    assert_eq!(r["receipted_message_id"], "38601fa");
    assert_eq!(r["message_state"], 2);
    assert!(r.get("network_error_code").is_none());
    assert_eq!(r["message_id"], "38601fa");
    assert_eq!(r["state"], "DELIVERED");
    assert!(c.get("error").is_none());

    // The plain golden deliver_sm (esm_class 0) has no receipt.
    let plain = content_of(&vector("deliver_sm"));
    assert!(plain.get("receipt").is_none(), "{plain}");
}

#[test]
fn content_delivery_receipt_built() {
    let fields = DeliveryReceipt {
        id: Some(b"7A3F"),
        submit_date: Some(b"2501311200"),
        done_date: Some(b"250131120105"),
        stat: Some(b"DELIVRD"),
        err: Some(b"000"),
        text: Some(b"Your code"),
        ..DeliveryReceipt::default()
    };
    let mut buf = [0u8; 160];
    let n = fields.format(&mut buf).unwrap();
    let receipt_text = &buf[..n];

    // The TLVs disagree with the text: they win in `message_id` and `state`.
    let pdu = SubmitSmBuilder::deliver_sm(3)
        .esm_class(EsmClass::DELIVERY_RECEIPT)
        .short_message(receipt_text)
        .receipted_message_id("7a3f")
        .message_state(MessageState::UNDELIVERABLE)
        .network_error_code(3, 0x0022)
        .build();
    let c = content_built(pdu);
    assert_eq!(
        c["receipt"],
        json!({
            "id": "7A3F", "sub": null, "dlvrd": null, "submit_date": "2501311200",
            "done_date": "250131120105", "stat": "DELIVRD", "err": "000", "text": "Your code",
            "receipted_message_id": "7a3f", "message_state": 5,
            "network_error_code": {"network_type": 3, "error_code": 34},
            "message_id": "7a3f", "state": "UNDELIVERABLE"
        })
    );

    // An intermediate notification in a data_sm's message_payload, UCS-2 encoded: the receipt
    // is read from the decoded text.
    let ucs2_receipt = utf16("id:99 sub:001 dlvrd:000 stat:ENROUTE err:000 text:Привет");
    let pdu = DataSmBuilder::new(4)
        .esm_class(EsmClass::INTERMEDIATE_NOTIFICATION)
        .data_coding(DataCoding::UCS2)
        .message_payload(ucs2_receipt)
        .build();
    let r = &content_built(pdu)["receipt"];
    assert_eq!(r["id"], "99");
    assert_eq!(r["stat"], "ENROUTE");
    assert_eq!(r["text"], "Привет");
    assert_eq!(r["message_id"], "99");
    assert_eq!(r["state"], "ENROUTE");
    assert!(r["submit_date"].is_null());

    // A receipt type whose text is no receipt: an error note, fields null.
    let pdu = SubmitSmBuilder::deliver_sm(5)
        .esm_class(EsmClass::DELIVERY_RECEIPT)
        .short_message("delivered, thanks")
        .build();
    let c = content_built(pdu);
    assert_eq!(c["text"], "delivered, thanks");
    assert!(c["receipt"]["id"].is_null() && c["receipt"]["stat"].is_null());
    assert!(c["error"].as_str().unwrap().starts_with("receipt: "), "{c}");

    // An SME acknowledgement with the user's own text is no receipt, and no error.
    let pdu = SubmitSmBuilder::deliver_sm(6)
        .esm_class(EsmClass::USER_ACK)
        .short_message("OK")
        .build();
    assert_eq!(content_built(pdu), json!({"text": "OK"}));

    // A submit_sm is never a receipt, whatever its esm_class.
    let pdu = submit()
        .esm_class(EsmClass::DELIVERY_RECEIPT)
        .short_message(receipt_text)
        .build();
    assert!(content_built(pdu).get("receipt").is_none());
}

#[test]
fn content_turkish_shift_tables() {
    let text = "Günaydın! Çay ve şeker için teşekkürler, Ağrı'dan İzmir'e.";
    let single = Tables::single_shift(Language::Turkish);
    let locking = Tables::new(Language::Turkish, Language::Turkish).unwrap();
    for (tables, ies) in [
        (single, json!([{"iei": 0x24, "hex": "01"}])),
        (
            locking,
            json!([{"iei": 0x25, "hex": "01"}, {"iei": 0x24, "hex": "01"}]),
        ),
    ] {
        let frames = split_frames(
            Content::Text(text, Encoding::Gsm7(tables)),
            Method::Udh8 { reference: 7 },
        );
        assert_eq!(frames.len(), 1);
        let c = content_of(&frames[0]);
        // One part: only the shift elements, no concatenation.
        let mut udh = c["udh"].as_array().unwrap().clone();
        udh.sort_by_key(|ie| core::cmp::Reverse(ie["iei"].as_u64()));
        assert_eq!(Value::Array(udh), ies);
        assert!(c.get("concat").is_none());
        assert_eq!(c["text"], text, "{c}");
    }

    // The same septets without the shift element read as something else.
    let septets = gsm(text, single);
    let c = content_built(submit().short_message(septets).build());
    assert_ne!(c["text"], text);
}

#[test]
fn content_errors_leave_the_pdu_decoded() {
    let udhi = EsmClass::DEFAULT.with_udhi();
    let frames: Vec<Vec<u8>> = [
        // UDHL 10 with 6 octets after it.
        submit()
            .esm_class(udhi)
            .short_message(b"\x0a\x00\x03\x01\x02\x01h"),
        // A concatenation element of length 2, then the text.
        submit()
            .esm_class(udhi)
            .short_message(b"\x04\x00\x02\x01\x02hi"),
        // UDHI with nothing at all.
        submit().esm_class(udhi),
        // UCS-2 with an odd number of octets.
        submit()
            .data_coding(DataCoding::UCS2)
            .short_message(b"\x00\x41\x00"),
        // Packed GSM 7-bit ("hello") where SMPP carries unpacked septets.
        submit().short_message(b"\xe8\x32\x9b\xfd\x06"),
        // A lone surrogate.
        submit()
            .data_coding(DataCoding::UCS2)
            .short_message(b"\xd8\x3d\x00\x41"),
    ]
    .into_iter()
    .map(|b| wire(&b.build().unwrap()))
    .collect();
    // Exit code 0: every PDU decoded, only its content is odd.
    let got = dump(&frames);
    for v in &got {
        assert_eq!(v["command"], "submit_sm");
    }
    let error = |i: usize| got[i]["content"]["error"].as_str().unwrap().to_owned();

    assert_eq!(
        got[0]["content"].as_object().unwrap().len(),
        1,
        "{}",
        got[0]
    );
    assert!(error(0).starts_with("udh: UDHL 10"), "{}", error(0));

    let c = &got[1]["content"];
    assert_eq!(c["udh"], json!([{"iei": 0, "hex": "0102"}]));
    assert!(c.get("concat").is_none());
    assert_eq!(c["text"], "hi");
    assert!(
        error(1).contains("0x00 has invalid length 2"),
        "{}",
        error(1)
    );

    assert!(error(2).starts_with("udh: "), "{}", error(2));
    assert!(got[2]["content"].get("text").is_none());

    for (i, v) in got.iter().enumerate().skip(3) {
        assert!(v["content"].get("text").is_none(), "{v}");
        assert!(error(i).starts_with("text: data_coding 0x"), "{}", error(i));
    }
    assert!(error(3).contains("odd number"), "{}", error(3));
    assert!(error(4).contains("unpacked"), "{}", error(4));
    assert!(error(5).contains("surrogate"), "{}", error(5));
}

#[test]
fn content_data_sm_replace_sm_broadcast_sm() {
    // data_sm: a concatenated UCS-2 part in message_payload.
    let data_sm = DataSmBuilder::new(1)
        .source_addr("12345")
        .destination_addr("447700900123")
        .esm_class(EsmClass::DEFAULT.with_udhi())
        .data_coding(DataCoding::UCS2)
        .message_payload(user_data(
            &[Ie::Concat16 {
                reference: 0x0102,
                total: 3,
                seq: 3,
            }],
            &utf16("конец ✓"),
        ))
        .build()
        .unwrap();
    // replace_sm: no data_coding of its own, read as GSM 7-bit.
    let replace_sm = ReplaceSmBuilder::new(2)
        .message_id("msg-1")
        .source_addr("12345")
        .short_message(gsm("Updated: 10€ @ noon", Tables::DEFAULT))
        .build()
        .unwrap();
    // broadcast_sm: the text is in message_payload.
    let broadcast_sm = BroadcastSmBuilder::new(3)
        .message_id("BC1")
        .data_coding(DataCoding::UCS2)
        .broadcast_area_identifier(0, "ZONE-A")
        .broadcast_content_type(0, 0x33)
        .broadcast_rep_num(5)
        .broadcast_frequency_interval(9, 15)
        .message_payload(utf16("Sturmwarnung ⚠"))
        .build()
        .unwrap();
    let got = dump(&[wire(&data_sm), wire(&replace_sm), wire(&broadcast_sm)]);
    assert_eq!(
        got[0]["content"],
        json!({"udh": [{"iei": 8, "hex": "01020303"}],
               "concat": {"ref": 0x0102, "total": 3, "seq": 3}, "text": "конец ✓"})
    );
    assert_eq!(got[1]["command"], "replace_sm");
    assert_eq!(got[1]["content"], json!({"text": "Updated: 10€ @ noon"}));
    assert_eq!(got[2]["command"], "broadcast_sm");
    assert_eq!(got[2]["content"], json!({"text": "Sturmwarnung ⚠"}));

    // And the golden vectors of the three.
    assert_vector_text("data_sm", "Test");
    assert_vector_text("replace_sm", "text");
    assert_vector_text("broadcast_sm", "Storm warning");
}

#[test]
fn encode_ignores_content_for_every_vector() {
    let vectors = common::vectors();
    let decoded = dump(&vectors.iter().map(|(_, b)| b).collect::<Vec<_>>());
    let with_content = decoded
        .iter()
        .filter(|v| v.get("content").is_some())
        .count();
    assert!(with_content >= 9, "{with_content}");

    // As dumped, and with the content replaced by nonsense: the same octets either way.
    for tamper in [false, true] {
        let json_lines: String = decoded
            .iter()
            .map(|v| {
                let mut v = v.clone();
                if tamper {
                    v["content"] = json!({"text": "tampered", "udh": 7, "concat": null});
                }
                v.to_string() + "\n"
            })
            .collect();
        encodes_to_the_vectors(&json_lines, &vectors, &format!("tampered: {tamper}"));
    }
}

#[test]
fn pretty_prints_content() {
    let push = wap_push(b"\x01\x06");
    let input = format!(
        "{}\n{}\n{}\n",
        common::to_hex(&wire(&push)),
        vector_hex("deliver_sm_delivery_receipt"),
        vector_hex("enquire_link"),
    );
    let text = stdout(&run_ok(&["--pretty"], &input));
    for expected in [
        "  content:\n    udh:\n      - iei 0x05 [0b8423f0]\n    port: dest: 2948, src: 9200\n",
        "    receipt:\n      id: \"0059113978\"\n",
        "      stat: \"DELIVRD\"\n",
        "      receipted_message_id: \"38601fa\"\n",
        "      state: \"DELIVERED\"\n",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    // Two PDUs with content, one (enquire_link) without.
    assert_eq!(text.matches("  content:\n").count(), 2, "{text}");
}

#[test]
fn content_of_arbitrary_user_data_never_fails_a_line() {
    // A fixed xorshift stream: the same cases on every run.
    let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
    let codings = [
        0x00, 0x01, 0x03, 0x04, 0x08, 0x18, 0x30, 0xF0, 0xF5, 0xC0, 0xE8,
    ];
    let esm_classes = [0x00, 0x04, 0x08, 0x20, 0x40, 0x44, 0x60];
    let mut frames = Vec::new();
    for i in 0..400u32 {
        let len = usize::try_from(next() % 40).unwrap();
        let mut data: Vec<u8> = (0..len).map(|_| next().to_le_bytes()[0]).collect();
        // Half of them start with a plausible header length.
        if i % 2 == 0 && !data.is_empty() {
            data[0] = u8::try_from(next() % 12).unwrap();
        }
        let dc = codings[usize::try_from(next()).unwrap() % codings.len()];
        let esm = esm_classes[usize::try_from(next()).unwrap() % esm_classes.len()];
        let builder = SubmitSmBuilder::deliver_sm(i)
            .esm_class(EsmClass(esm))
            .data_coding(DataCoding(dc));
        let builder = if i % 3 == 0 {
            builder.message_payload(data)
        } else {
            builder.short_message(data)
        };
        frames.push(wire(&builder.build().unwrap()));
    }
    // `dump` checks the exit code (0: no line failed, no panic) and one line per PDU.
    for v in dump(&frames) {
        let content = v["content"].as_object().unwrap();
        if let Some(error) = content.get("error") {
            assert!(!error.as_str().unwrap().is_empty());
        }
        if let Some(text) = content.get("text") {
            assert!(text.is_string());
        }
    }
}

#[test]
fn vendor_command_ids_decode_raw_and_encode_back() {
    // A vendor request 0x00010200 (sequence 5) with a four-octet body, a
    // vendor response without body, and an unknown id carrying a status.
    let lines_in = [
        "0000001400010200000000000000000561626300",
        "0000001080010200000000000000000a",
        "0000001400000777000000080000000bdeadbeef",
    ];
    let decoded = objects(&run_ok(&[], format!("{}\n", lines_in.join("\n"))));
    assert_eq!(decoded.len(), 3);
    assert_eq!(
        decoded[0],
        json!({"command": null, "command_id": 0x0001_0200, "command_status": 0,
               "sequence_number": 5, "body": null, "body_hex": "61626300", "tlvs": []})
    );
    assert_eq!(decoded[1]["command_id"], 0x8001_0200_u32);
    assert_eq!(decoded[1]["body_hex"], "");
    assert_eq!(decoded[2]["command_status"], 8);
    assert_eq!(decoded[2]["body_hex"], "deadbeef");
    for v in &decoded {
        assert!(v.get("content").is_none(), "{v}");
    }

    // Back to the same octets.
    let json_lines: Vec<String> = decoded.iter().map(Value::to_string).collect();
    let out = run_ok(&["--encode"], format!("{}\n", json_lines.join("\n")));
    assert_eq!(lines(&out), lines_in);

    // --pretty names no command but still shows the id.
    let text = stdout(&run_ok(&["--pretty"], format!("{}\n", lines_in[0])));
    assert!(text.contains("0x00010200"), "{text}");
    assert!(text.contains("61626300"), "{text}");
}

#[test]
fn content_submit_multi() {
    // A concatenated GSM part to two destinations, with a port element.
    let multi = SubmitMultiBuilder::new(4)
        .source_addr("INFO")
        .dest_sme(Ton::INTERNATIONAL, Npi::ISDN, "447700900001")
        .dest_dl("FRIENDS")
        .esm_class(EsmClass::DEFAULT.with_udhi())
        .short_message(user_data(
            &[
                Ie::Concat8 {
                    reference: 7,
                    total: 2,
                    seq: 1,
                },
                Ie::Port16 {
                    dest: 2948,
                    src: 9200,
                },
            ],
            &gsm("Hi @all: 5€", Tables::DEFAULT),
        ))
        .build()
        .unwrap();
    // UCS-2 text in message_payload, with the SAR TLVs.
    let payload = SubmitMultiBuilder::new(5)
        .dest_sme(Ton::INTERNATIONAL, Npi::ISDN, "447700900002")
        .data_coding(DataCoding::UCS2)
        .sar(0x0A0B, 3, 2)
        .message_payload(utf16("привет ✓"))
        .build()
        .unwrap();
    let got = dump(&[wire(&multi), wire(&payload)]);
    assert_eq!(got[0]["command"], "submit_multi");
    assert_eq!(
        got[0]["content"],
        json!({"udh": [{"iei": 0, "hex": "070201"}, {"iei": 5, "hex": "0b8423f0"}],
               "concat": {"ref": 7, "total": 2, "seq": 1},
               "port": {"dest": 2948, "src": 9200}, "text": "Hi @all: 5€"})
    );
    assert_eq!(
        got[1]["content"],
        json!({"concat": {"ref": 0x0A0B, "total": 3, "seq": 2}, "text": "привет ✓"})
    );
    // submit_multi carries no delivery receipt: no `receipt`, no error,
    // whatever its esm_class says.
    let receipt_like = SubmitMultiBuilder::new(6)
        .dest_sme(Ton::INTERNATIONAL, Npi::ISDN, "447700900003")
        .esm_class(EsmClass::DELIVERY_RECEIPT)
        .short_message("id:1 sub:001 dlvrd:001 submit date:2401010000 done date:2401010000 stat:DELIVRD err:000 text:x")
        .build()
        .unwrap();
    let content = content_of(&wire(&receipt_like));
    assert!(content.get("receipt").is_none(), "{content}");
    assert!(content.get("error").is_none(), "{content}");

    // The golden vectors.
    assert_vector_text("submit_multi", "Hello");
    assert_vector_text("submit_multi_gosmpp_lenient", "nghắ nghiêng nghiễng ngả");
}
