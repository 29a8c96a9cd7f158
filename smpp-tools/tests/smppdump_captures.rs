//! The `smppdump` binary on the captures of `testdata/captures/`, written
//! by tcpdump and dumpcap during a real SMPP exchange across a path that
//! reordered, delayed and dropped segments (see `make.sh` there).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

mod dump;
use dump::{keys, objects, run, run_ok, scratch, xorshift};

fn capture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/captures")
        .join(name)
}

fn dump(args: &[&str]) -> (Option<i32>, Vec<Value>) {
    let out = run(args, b"");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), objects(&out))
}

/// A PDU expected on a given direction: from the client?, `command`,
/// `sequence_number`, and the field that tells it apart (`destination_addr`,
/// `message_id` or `system_id`; "" for none).
type Expected = (bool, &'static str, u32, &'static str);

/// The `main` exchange of peer.py, as both reorder captures show it up to
/// the burst of submits (8, 9, 10), whose responses interleave differently.
const MAIN: [Expected; 16] = [
    (true, "bind_transceiver", 1, "esme01"),
    (false, "bind_transceiver_resp", 1, "SMSC"),
    (true, "enquire_link", 2, ""),
    (true, "enquire_link", 3, ""),
    (false, "enquire_link_resp", 2, ""),
    (false, "enquire_link_resp", 3, ""),
    (true, "submit_sm", 4, "447700900004"),
    (false, "submit_sm_resp", 4, "msg-4"),
    (true, "submit_sm", 5, "447700900005"),
    (true, "submit_sm", 6, "447700900006"),
    (true, "submit_sm", 7, "447700900007"),
    (false, "submit_sm_resp", 5, "msg-5"),
    (false, "submit_sm_resp", 6, "msg-6"),
    (false, "submit_sm_resp", 7, "msg-7"),
    (false, "deliver_sm", 1, "INFO"),
    (true, "deliver_sm_resp", 1, ""),
];

const TEXT_4: &str = "Привет! Это длинное сообщение в UCS-2, длиннее одного сегмента, с эмодзи 😀.";

/// Checks the PDU lines against `expected`, then the key fields of the
/// `main` exchange's messages.
fn check_pdus(got: &[Value], client: &str, server: &str, expected: &[Expected]) {
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    for (v, &(from_client, command, seq, key)) in got.iter().zip(expected) {
        let (src, dst) = if from_client {
            (client, server)
        } else {
            (server, client)
        };
        assert_eq!(
            (v["src"].as_str(), v["dst"].as_str()),
            (Some(src), Some(dst)),
            "{v}"
        );
        assert_eq!(v["command"], command, "{v}");
        assert_eq!(v["sequence_number"], seq, "{v}");
        assert_eq!(v["command_status"], 0, "{v}");
        let field = match command {
            "submit_sm" | "deliver_sm" => "destination_addr",
            "bind_transceiver" | "bind_transceiver_resp" => "system_id",
            _ => "message_id",
        };
        let found = v["body"].get(field).and_then(Value::as_str).unwrap_or("");
        assert_eq!(found, key, "{v}");
        // ts, src and dst, then the keys of a PDU read from hex.
        let k = keys(v);
        assert_eq!(k[..3], ["ts", "src", "dst"], "{v}");
        assert_eq!(k[3..6], ["command", "command_id", "command_status"], "{v}");
    }
}

/// The key fields of the main exchange's PDUs, wherever they are.
fn check_main_fields(got: &[Value], client: &str) {
    let find = |command: &str, seq: u32| {
        got.iter()
            .find(|v| v["command"] == command && v["sequence_number"] == seq)
            .unwrap_or_else(|| panic!("no {command} {seq}"))
    };
    let bind = &find("bind_transceiver", 1)["body"];
    assert_eq!(bind["system_id"], "esme01", "{bind}");
    assert_eq!(bind["password"], "secret", "{bind}");
    assert_eq!(bind["interface_version"], 0x34, "{bind}");
    // Over three segments, one of them out of order in the IPv4 capture.
    let long = find("submit_sm", 4);
    assert_eq!(long["src"], client);
    assert_eq!(long["body"]["data_coding"], 8);
    assert_eq!(long["body"]["sm_length"], TEXT_4.encode_utf16().count() * 2);
    assert_eq!(long["content"], json!({"text": TEXT_4}));
    for (seq, text, receipt) in [
        (5, "Message five", 0),
        (6, "Message six", 1),
        (7, "Message seven", 0),
        (8, "Burst message number 8", 0),
        (9, "Burst message number 9", 0),
        (10, "Burst message number 10", 0),
    ] {
        let v = find("submit_sm", seq);
        assert_eq!(v["content"]["text"], text, "{v}");
        assert_eq!(v["body"]["registered_delivery"], receipt, "{v}");
        assert_eq!(v["body"]["source_addr"], "INFO", "{v}");
    }
    // The receipt, sent in two writes.
    let receipt = &find("deliver_sm", 1)["content"]["receipt"];
    assert_eq!(receipt["id"], "msg-6");
    assert_eq!(receipt["stat"], "DELIVRD");
    assert_eq!(receipt["receipted_message_id"], "msg-6");
    assert_eq!(receipt["state"], "DELIVERED");
}

/// Every `ts` is RFC 3339 UTC with `digits` fraction digits, in order.
fn check_times(got: &[Value], digits: usize) {
    let mut last = String::new();
    for v in got {
        let ts = v["ts"].as_str().unwrap();
        assert_eq!(ts.len(), 21 + digits, "{ts}");
        assert!(
            ts.starts_with("2026-12-07T01:4") && ts.ends_with('Z'),
            "{ts}"
        );
        assert_eq!(&ts[19..20], ".", "{ts}");
        assert!(*ts >= *last, "{ts} after {last}");
        ts.clone_into(&mut last);
    }
}

/// Dumps the capture `name`, every PDU of which decodes: the lines.
fn dump_cleanly(name: &str) -> Vec<Value> {
    let path = capture(name);
    let (code, got) = dump(&[path.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{got:#?}");
    got
}

/// Checks the exchange of a reorder capture between `client` and
/// `server`: [`MAIN`], then `burst` (submits 8, 9 and 10, their
/// responses in the capture's order, the unbind).
fn check_reorder_exchange(got: &[Value], client: &str, server: &str, burst: &[Expected]) {
    check_pdus(got, client, server, &[&MAIN[..], burst].concat());
    check_main_fields(got, client);
}

#[test]
fn pcap_over_ethernet_with_reordered_and_retransmitted_segments() {
    let got = dump_cleanly("reorder-ipv4.pcap");
    let (client, server) = ("192.0.2.1:53920", "192.0.2.2:2775");
    let burst = [
        (true, "submit_sm", 8, "447700900008"),
        (false, "submit_sm_resp", 8, "msg-8"),
        (true, "submit_sm", 9, "447700900009"),
        (true, "submit_sm", 10, "447700900010"),
        (false, "submit_sm_resp", 9, "msg-9"),
        (false, "submit_sm_resp", 10, "msg-10"),
        (true, "unbind", 11, ""),
        (false, "unbind_resp", 11, ""),
    ];
    check_reorder_exchange(&got, client, server, &burst);
    // Microseconds: the pcap's own resolution.
    check_times(&got, 6);
    assert_eq!(got[0]["ts"], "2026-12-07T01:41:46.425248Z");
    // The two enquire_links came in one segment, so at one time.
    assert_eq!(got[2]["ts"], got[3]["ts"]);
    // submit_sm 7 was complete only when its last segment came, after the
    // sender's retransmission timeout.
    assert_eq!(got[10]["ts"], "2026-12-07T01:41:46.641971Z");
}

#[test]
fn pcapng_over_linux_cooked_v2_with_ipv6_and_a_session_found_by_its_header() {
    let got = dump_cleanly("reorder-ipv6.pcapng");
    let (client, server) = ("[2001:db8::1]:38916", "[2001:db8::2]:2775");
    let burst = [
        (true, "submit_sm", 8, "447700900008"),
        (true, "submit_sm", 9, "447700900009"),
        (true, "submit_sm", 10, "447700900010"),
        (false, "submit_sm_resp", 8, "msg-8"),
        (false, "submit_sm_resp", 9, "msg-9"),
        (false, "submit_sm_resp", 10, "msg-10"),
        (true, "unbind", 11, ""),
        (false, "unbind_resp", 11, ""),
    ];
    check_reorder_exchange(&got[..24], client, server, &burst);
    // Port 2776: no --port, so read because it starts with a bind. The HTTP
    // request on port 8080 that follows is not.
    let sniffed: [Expected; 6] = [
        (true, "bind_transceiver", 1, "esme01"),
        (false, "bind_transceiver_resp", 1, "SMSC"),
        (true, "enquire_link", 2, ""),
        (false, "enquire_link_resp", 2, ""),
        (true, "unbind", 3, ""),
        (false, "unbind_resp", 3, ""),
    ];
    check_pdus(
        &got[24..],
        "[2001:db8::1]:58032",
        "[2001:db8::2]:2776",
        &sniffed,
    );
    // Nanoseconds: dumpcap's resolution.
    check_times(&got, 9);
    assert_eq!(got[0]["ts"], "2026-12-07T01:41:52.353322055Z");

    // --port picks the ports: only those, whatever the first octets.
    let path = capture("reorder-ipv6.pcapng");
    let path = path.to_str().unwrap();
    let (code, only) = dump(&["--port", "2776", path]);
    assert_eq!(code, Some(0));
    assert_eq!(only, got[24..]);
    let (code, both) = dump(&["--port=2776", "--port", "2775", path]);
    assert_eq!(code, Some(0));
    assert_eq!(both, got);
    // HTTP on a port said to be SMPP: each side's first octets are no
    // header (ESME_RINVCMDLEN), and nothing after them looks like one.
    let (code, http) = dump(&["--port", "8080", path]);
    assert_eq!(code, Some(1));
    assert_eq!(http.len(), 2, "{http:#?}");
    for (v, src) in http.iter().zip(["[2001:db8::1]:", "[2001:db8::2]:8080"]) {
        assert_eq!(
            keys(v),
            ["ts", "src", "dst", "offset", "error", "command_status"]
        );
        assert!(v["src"].as_str().unwrap().starts_with(src), "{v}");
        assert_eq!(v["offset"], 0);
        assert_eq!(v["command_status"], 2, "{v}");
        assert!(
            v["error"].as_str().unwrap().contains("command_length"),
            "{v}"
        );
    }
}

#[test]
fn pcap_with_a_missing_segment_reports_the_gap_once_and_resynchronises() {
    let path = capture("gap-ipv4.pcap");
    let (code, got) = dump(&[path.to_str().unwrap()]);
    // The gap fails the run.
    assert_eq!(code, Some(1), "{got:#?}");
    assert_eq!(got.len(), 10, "{got:#?}");
    let (client, server) = ("192.0.2.1:38178", "192.0.2.2:2775");
    // The segments that started with "GAPX" were left out of the capture:
    // the middle of submit_sm 3 (stream octets 147 to 323), which the
    // server acknowledged.
    assert_eq!(
        got[4],
        json!({"ts": "2026-12-07T01:41:58.641176091Z", "src": client, "dst": server,
               "gap": {"from": 147, "to": 323},
               "error": "octets 147..323 of the stream are missing from the capture; \
                         reading resumes at the next plausible header",
               "command_status": null})
    );
    let pdus: Vec<Value> = got
        .iter()
        .filter(|v| v.get("command").is_some())
        .cloned()
        .collect();
    check_pdus(
        &pdus,
        client,
        server,
        &[
            (true, "bind_transceiver", 1, "esme01"),
            (false, "bind_transceiver_resp", 1, "SMSC"),
            (true, "submit_sm", 2, "447700900002"),
            (false, "submit_sm_resp", 2, "msg-2"),
            // submit_sm 3 is lost; its response is not.
            (false, "submit_sm_resp", 3, "msg-3"),
            (true, "submit_sm", 4, "447700900004"),
            (false, "submit_sm_resp", 4, "msg-4"),
            (true, "unbind", 5, ""),
            (false, "unbind_resp", 5, ""),
        ],
    );
    assert_eq!(pdus[5]["content"]["text"], "After the gap");
    // A pcap with nanosecond timestamps.
    check_times(&got, 9);

    // --pretty: the stream, then the PDU or the error.
    let out = run(&["--pretty", path.to_str().unwrap()], b"");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!(
            "2026-12-07T01:41:58.590305671Z {client} -> {server}\nbind_transceiver (command_id 0x00000009)"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "2026-12-07T01:41:58.641176091Z {client} -> {server} offset 147: error: octets 147..323"
        )),
        "{text}"
    );
}

/// The records of a little-endian, microsecond pcap: (header, frame).
fn pcap_records(file: &[u8]) -> Vec<([u8; 16], Vec<u8>)> {
    assert_eq!(file[..4], [0xd4, 0xc3, 0xb2, 0xa1]);
    let mut records = Vec::new();
    let mut at = 24;
    while at < file.len() {
        let header: [u8; 16] = file[at..at + 16].try_into().unwrap();
        let len = u32::from_le_bytes(header[8..12].try_into().unwrap()) as usize;
        records.push((header, file[at + 16..at + 16 + len].to_vec()));
        at += 16 + len;
    }
    records
}

/// A pcap of `linktype` whose frames are `frame(ethernet frame)`, in the
/// given byte order.
fn write_pcap(
    records: &[([u8; 16], Vec<u8>)],
    linktype: u32,
    big_endian: bool,
    frame: impl Fn(&[u8]) -> Vec<u8>,
) -> Vec<u8> {
    // A number's big-endian octets, in the file's byte order.
    let ordered = |be: &[u8]| -> Vec<u8> {
        if big_endian {
            be.to_vec()
        } else {
            be.iter().rev().copied().collect()
        }
    };
    let u32b = |v: u32| ordered(&v.to_be_bytes());
    let mut out = Vec::new();
    out.extend(u32b(0xa1b2_c3d4));
    out.extend(ordered(&2u16.to_be_bytes()));
    out.extend(ordered(&4u16.to_be_bytes()));
    out.extend([0; 8]);
    out.extend(u32b(262_144));
    out.extend(u32b(linktype));
    for (header, data) in records {
        let data = frame(data);
        let field = |i: usize| u32::from_le_bytes(header[i * 4..i * 4 + 4].try_into().unwrap());
        let len = u32::try_from(data.len()).unwrap();
        for v in [field(0), field(1), len, len] {
            out.extend(u32b(v));
        }
        out.extend(data);
    }
    out
}

#[test]
fn loopback_raw_ip_and_big_endian_pcaps_give_the_same_pdus() {
    let original = capture("reorder-ipv4.pcap");
    let (_, expected) = dump(&[original.to_str().unwrap()]);
    assert_eq!(expected.len(), 24);
    let records = pcap_records(&std::fs::read(&original).unwrap());
    let dir = scratch("smppdump-linktypes");
    let ip = |f: &[u8]| f[14..].to_vec();
    let cases: [(&str, Vec<u8>); 6] = [
        // BSD loopback: the address family in the capturing host's order
        // (AF_INET, 2) for NULL, big-endian for LOOP.
        (
            "null",
            write_pcap(&records, 0, false, |f| [&[2, 0, 0, 0], &f[14..]].concat()),
        ),
        (
            "loop",
            write_pcap(&records, 108, false, |f| [&[0, 0, 0, 2], &f[14..]].concat()),
        ),
        ("raw", write_pcap(&records, 101, false, ip)),
        ("ipv4", write_pcap(&records, 228, true, ip)),
        ("ethernet-be", write_pcap(&records, 1, true, <[u8]>::to_vec)),
        // An 802.1Q tag between the addresses and the ethertype.
        (
            "vlan",
            write_pcap(&records, 1, false, |f| {
                [&f[..12], &[0x81, 0x00, 0x00, 0x07], &f[12..]].concat()
            }),
        ),
    ];
    for (name, bytes) in cases {
        let path = dir.join(format!("{name}.pcap"));
        std::fs::write(&path, bytes).unwrap();
        let (code, got) = dump(&[path.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{name}");
        assert_eq!(got, expected, "{name}");
    }
    // An unknown link type is said once.
    let path = dir.join("unknown.pcap");
    std::fs::write(&path, write_pcap(&records, 147, false, <[u8]>::to_vec)).unwrap();
    let (code, got) = dump(&[path.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_eq!(
        got,
        [
            json!({"error": "link type 147 is not supported: its packets are skipped",
                "command_status": null})
        ]
    );
}

#[test]
fn standard_input_several_files_and_encode() {
    let gap = capture("gap-ipv4.pcap");
    let reorder = capture("reorder-ipv4.pcap");
    let (gap, reorder) = (gap.to_str().unwrap(), reorder.to_str().unwrap());
    let (_, from_file) = dump(&[gap]);
    // Standard input: known by its magic number too.
    let out = run(&[], std::fs::read(gap).unwrap());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(objects(&out), from_file);
    let out = run(&["-"], std::fs::read(gap).unwrap());
    assert_eq!(objects(&out), from_file);

    // Several inputs: failures name their file, PDUs do not.
    let (code, got) = dump(&[reorder, gap]);
    assert_eq!(code, Some(1));
    assert_eq!(got.len(), 24 + 10);
    assert!(
        got.iter()
            .all(|v| v.get("command").is_none() == v.get("file").is_some())
    );
    assert_eq!(got[24 + 4]["file"], gap);
    assert_eq!(keys(&got[24 + 4])[..2], ["file", "ts"]);

    // --encode takes the lines back (ts, src and dst ignored), to the same
    // PDUs.
    let (_, lines) = dump(&[reorder]);
    let input: String = lines.iter().map(|v| v.to_string() + "\n").collect();
    let out = run_ok(&["--encode"], input.as_bytes());
    let back = run(&[], &out.stdout);
    let back = objects(&back);
    assert_eq!(back.len(), lines.len());
    for (b, l) in back.iter().zip(&lines) {
        let mut l = l.clone();
        for k in ["ts", "src", "dst"] {
            l.as_object_mut().unwrap().remove(k);
        }
        assert_eq!(*b, l);
    }

    // But not a capture.
    let out = run(&["--encode", reorder], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("a capture file, but --encode reads JSON lines"),
        "{err}"
    );
    // --port needs a port.
    for bad in [&["--port"][..], &["--port", "0"], &["--port=http"]] {
        assert_eq!(run(bad, b"").status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn damaged_captures_never_crash() {
    let dir = scratch("smppdump-damaged");
    // A fixed xorshift stream: the same cases on every run.
    let mut random = xorshift(0x2545_F491_4F6C_DD1D);
    let mut next = move || usize::try_from(random() >> 33).unwrap();
    let mut truncated_reported = 0;
    for name in ["reorder-ipv4.pcap", "reorder-ipv6.pcapng", "gap-ipv4.pcap"] {
        let original = std::fs::read(capture(name)).unwrap();
        for case in 0..40 {
            let mut bytes = original.clone();
            if case % 2 == 0 {
                // Cut short somewhere after the magic number.
                bytes.truncate(4 + next() % (original.len() - 4));
            } else {
                for _ in 0..=case % 5 {
                    let at = next() % bytes.len();
                    bytes[at] ^= u8::try_from(1 + next() % 255).unwrap();
                }
            }
            let path = dir.join(format!("{name}.{case}"));
            std::fs::write(&path, &bytes).unwrap();
            let out = run(&[path.to_str().unwrap()], b"");
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{name} case {case}: {:?} {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
            let got = objects(&out);
            truncated_reported += usize::from(got.iter().any(|v| {
                v["error"]
                    .as_str()
                    .is_some_and(|e| e.starts_with("capture file: "))
            }));
        }
    }
    assert!(truncated_reported >= 30, "{truncated_reported}");
}

#[test]
fn standard_input_is_read_as_it_comes() {
    use std::io::BufRead as _;
    for name in ["reorder-ipv4.pcap", "reorder-ipv6.pcapng"] {
        let bytes = std::fs::read(capture(name)).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_smppdump"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        // The first half of the capture, the input kept open: the first
        // PDUs come out before the rest is written.
        stdin.write_all(&bytes[..bytes.len() / 2]).unwrap();
        stdin.flush().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                tx.send(line.unwrap()).unwrap();
            }
        });
        let first = rx
            .recv_timeout(core::time::Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("{name}: nothing before the end of the input"));
        let v: Value = serde_json::from_str(&first).unwrap();
        assert_eq!(v["command"], "bind_transceiver", "{name}");
        stdin.write_all(&bytes[bytes.len() / 2..]).unwrap();
        drop(stdin);
        assert_eq!(child.wait().unwrap().code(), Some(0), "{name}");
        reader.join().unwrap();
        let (_, whole) = dump(&[capture(name).to_str().unwrap()]);
        assert_eq!(1 + rx.iter().count(), whole.len(), "{name}");
    }
}

/// The client of the crafted captures (the server is 192.0.2.2:2775).
const CLIENT: &str = "192.0.2.1:40000";
/// Their initial sequence numbers.
const CLIENT_ISN: u32 = 1000;
const SERVER_ISN: u32 = 5000;

/// TCP flags.
const SYN: u8 = 0x02;
const RST: u8 = 0x04;
const PSH: u8 = 0x08;

/// One segment of a crafted capture: its time in microseconds, whether the
/// client sent it, the stream offsets of its first octet and of the
/// octet it acknowledges (in the other direction; `None`: no ACK flag),
/// its other flags, and its payload.
type Crafted<'a> = (u32, bool, u32, Option<u32>, u8, &'a [u8]);

/// The three segments of the handshake (at time 0).
fn handshake() -> [Crafted<'static>; 3] {
    // The SYN takes the sequence number before offset 0.
    [
        (0, true, u32::MAX, None, SYN, &[]),
        (0, false, u32::MAX, Some(0), SYN, &[]),
        (0, true, 0, Some(0), 0, &[]),
    ]
}

/// A raw-IP pcap (link type 101) of IPv4 segments between [`CLIENT`] and
/// the server, written to the scratch file `name`; its path.
fn crafted_pcap(name: &str, segments: &[Crafted<'_>]) -> String {
    let records: Vec<([u8; 16], Vec<u8>)> = segments
        .iter()
        .map(|&(us, from_client, offset, ack, flags, payload)| {
            let (src, dst, isn, peer_isn) = if from_client {
                ([192, 0, 2, 1], [192, 0, 2, 2], CLIENT_ISN, SERVER_ISN)
            } else {
                ([192, 0, 2, 2], [192, 0, 2, 1], SERVER_ISN, CLIENT_ISN)
            };
            let (sport, dport): (u16, u16) = if from_client {
                (40000, 2775)
            } else {
                (2775, 40000)
            };
            let total = u16::try_from(40 + payload.len()).unwrap();
            let mut packet = vec![0x45, 0];
            packet.extend(total.to_be_bytes());
            packet.extend([0, 0, 0x40, 0, 64, 6, 0, 0]);
            packet.extend(src);
            packet.extend(dst);
            packet.extend(sport.to_be_bytes());
            packet.extend(dport.to_be_bytes());
            packet.extend(isn.wrapping_add(1).wrapping_add(offset).to_be_bytes());
            let ack_number = ack.map_or(0, |a| peer_isn.wrapping_add(1).wrapping_add(a));
            packet.extend(ack_number.to_be_bytes());
            let flags = flags | if ack.is_some() { 0x10 } else { 0 };
            packet.extend([5 << 4, flags, 0xff, 0xff, 0, 0, 0, 0]);
            packet.extend(payload);
            let mut header = [0u8; 16];
            header[..4].copy_from_slice(&1_796_600_000u32.to_le_bytes());
            header[4..8].copy_from_slice(&us.to_le_bytes());
            (header, packet)
        })
        .collect();
    let path = scratch("smppdump-crafted").join(name);
    std::fs::write(&path, write_pcap(&records, 101, false, <[u8]>::to_vec)).unwrap();
    path.to_str().unwrap().to_owned()
}

/// An `enquire_link` (or its response) with `sequence_number` `seq`.
fn enquire_link(resp: bool, seq: u32) -> Vec<u8> {
    let id: u32 = if resp { 0x8000_0015 } else { 0x15 };
    [16u32, id, 0, seq]
        .iter()
        .flat_map(|v| v.to_be_bytes())
        .collect()
}

/// The `command`, `sequence_number` and direction of a PDU line (`>` from
/// the client, `<` from the server), or its error.
fn brief(v: &Value) -> String {
    let dir = if v["src"] == CLIENT { ">" } else { "<" };
    match v.get("command") {
        Some(command) => format!(
            "{dir} {} {}",
            command.as_str().unwrap(),
            v["sequence_number"]
        ),
        None => format!("{dir} {}", v["error"].as_str().unwrap()),
    }
}

#[test]
fn octets_a_reset_carries_are_not_read_as_the_stream() {
    let (link, resp) = (enquire_link(false, 1), enquire_link(true, 1));
    // A reset may carry a diagnostic text (RFC 1122 4.2.2.12); here the
    // octets of a whole PDU, and the rest of the PDU the client began.
    let started = enquire_link(false, 2);
    let first = [&link[..], &started[..8]].concat();
    let whole = enquire_link(true, 9);
    let mut segments = handshake().to_vec();
    segments.extend([
        (100, true, 0, Some(0), PSH, &first[..]),
        (200, false, 0, Some(24), PSH, &resp[..]),
        (300, false, 16, Some(24), RST, &whole[..]),
        (400, true, 24, None, RST, &started[8..]),
    ]);
    let (code, got) = dump(&[&crafted_pcap("rst-with-data.pcap", &segments)]);
    assert_eq!(code, Some(1), "{got:#?}");
    let got: Vec<String> = got.iter().map(brief).collect();
    assert_eq!(
        got,
        [
            "> enquire_link 1",
            "< enquire_link_resp 1",
            // The reset ends the connection: the PDU begun is cut.
            "> the stream ends 8 octets into a PDU of 16 octets",
        ]
    );
}

#[test]
fn an_acknowledgement_captured_before_the_octets_it_acknowledges_is_no_gap() {
    let links: Vec<Vec<u8>> = (1..=3).map(|seq| enquire_link(false, seq)).collect();
    let resps: Vec<u8> = (1..=2).flat_map(|seq| enquire_link(true, seq)).collect();
    // enquire_link 1 was lost before the capture point and sent again;
    // the server acknowledges it with enquire_link 2 once it has it. A
    // tap with a port for each direction may show that acknowledgement
    // before the retransmission, or after it.
    for ack_first in [true, false] {
        let (ack_at, again_at) = if ack_first { (200, 210) } else { (210, 200) };
        let mut segments = handshake().to_vec();
        segments.extend([
            (100, true, 16, Some(0), PSH, &links[1][..]),
            (150, false, 0, Some(0), 0, &[][..]),
            (ack_at, false, 0, Some(32), 0, &[]),
            (again_at, true, 0, Some(0), PSH, &links[0][..]),
        ]);
        segments.sort_by_key(|s| s.0);
        segments.extend([
            (300, false, 0, Some(32), PSH, &resps[..]),
            (400, true, 32, Some(32), PSH, &links[2][..]),
            (500, false, 32, Some(48), 0, &[]),
        ]);
        let name = format!("ack-first-{ack_first}.pcap");
        let (code, got) = dump(&[&crafted_pcap(&name, &segments)]);
        assert_eq!(code, Some(0), "{got:#?}");
        let got: Vec<String> = got.iter().map(brief).collect();
        assert_eq!(
            got,
            [
                "> enquire_link 1",
                "> enquire_link 2",
                "< enquire_link_resp 1",
                "< enquire_link_resp 2",
                "> enquire_link 3",
            ],
            "ack first: {ack_first}"
        );
    }
    // The retransmission never captured: once the client goes on past the
    // acknowledgement, the octets are a gap.
    let mut segments = handshake().to_vec();
    segments.extend([
        (100, true, 16, Some(0), PSH, &links[1][..]),
        (200, false, 0, Some(32), 0, &[][..]),
        (300, false, 0, Some(32), PSH, &resps[..]),
        (400, true, 32, Some(32), PSH, &links[2][..]),
        (500, false, 32, Some(48), 0, &[]),
    ]);
    let (code, got) = dump(&[&crafted_pcap("ack-no-data.pcap", &segments)]);
    assert_eq!(code, Some(1), "{got:#?}");
    assert_eq!(
        got[2],
        json!({"ts": "2026-12-06T23:33:20.000500Z", "src": CLIENT, "dst": "192.0.2.2:2775",
               "gap": {"from": 0, "to": 16},
               "error": "octets 0..16 of the stream are missing from the capture; \
                         reading resumes at the next plausible header",
               "command_status": null})
    );
    let got: Vec<String> = got.iter().map(brief).collect();
    assert_eq!(got[..2], ["< enquire_link_resp 1", "< enquire_link_resp 2"]);
    assert_eq!(got[3..], ["> enquire_link 2", "> enquire_link 3"]);
}
