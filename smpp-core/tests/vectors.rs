//! Every golden vector in `testdata/` decodes and re-encodes to the same bytes.

use std::path::PathBuf;

use smpp_core::Pdu;

fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.chars())
        .filter(char::is_ascii_hexdigit)
        .collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn every_vector_round_trips() {
    let mut n = 0;
    for entry in std::fs::read_dir(testdata()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("hex") {
            continue;
        }
        let bytes = hex(&std::fs::read_to_string(&path).unwrap());
        let pdu = Pdu::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut out = vec![0u8; pdu.encoded_len()];
        let len = pdu.emit(&mut out).unwrap();
        assert_eq!(out[..len], bytes[..], "{}", path.display());
        n += 1;
    }
    assert!(n >= 39, "only {n} vectors");
}
