//! The golden vectors of `testdata/`, shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The `testdata/` folder: the repository's, through the crate's link to it,
/// which `cargo package` follows so that the packaged crate carries the
/// vectors its tests read.
pub(crate) fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// The octets of a `.hex` vector: hex digits, `#` comment lines skipped.
pub(crate) fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(str::bytes)
        .filter(u8::is_ascii_hexdigit)
        .collect();
    assert_eq!(digits.len() % 2, 0, "odd number of hex digits");
    digits
        .chunks_exact(2)
        .map(|p| u8::from_str_radix(core::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}

/// The vector `testdata/<name>.hex`.
pub(crate) fn load(name: &str) -> Vec<u8> {
    let path = testdata().join(format!("{name}.hex"));
    hex(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// Every vector as (file stem, octets), sorted by name.
pub(crate) fn vectors() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(testdata())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hex"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_str().unwrap().to_owned();
            let bytes = hex(&std::fs::read_to_string(&p).unwrap());
            (name, bytes)
        })
        .collect();
    out.sort();
    assert!(out.len() >= 39, "only {} vectors", out.len());
    out
}

/// Sets `command_length` to the frame's length.
pub(crate) fn patch_len(frame: &mut [u8]) {
    let len = u32::try_from(frame.len()).unwrap();
    frame[..4].copy_from_slice(&len.to_be_bytes());
}

/// The TLV region of a body, if it has one.
pub(crate) fn body_tlvs<'a>(body: &smpp_core::Body<&'a [u8]>) -> Option<smpp_core::Tlvs<&'a [u8]>> {
    body.tlvs().copied()
}
