//! The golden vectors of `testdata/` and the reader of their `.hex` format
//! (on smpp-core's hex digits), for every test, benchmark and fuzz seed of
//! the workspace, with the few checks on PDUs those tests share. The
//! crates that do not depend on `smpp-tests` include this file as a module:
//! the integration tests of smpp-core and smpp-std through a link to it
//! (`tests/common/testdata.rs`), which `cargo package` follows, the
//! benchmarks by `#[path]`. It needs nothing but `std`.

use std::path::{Path, PathBuf};

/// The `testdata/` folder, through the crate's link to the workspace's
/// (which `cargo package` follows, so a packaged crate carries it).
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// The octets of a `.hex` vector: hex digits, `#` comment lines and
/// anything not a hex digit ignored.
///
/// # Panics
///
/// On an odd number of hex digits.
pub fn hex(text: &str) -> Vec<u8> {
    let digits = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(str::bytes)
        .filter(u8::is_ascii_hexdigit);
    smpp_core::hex::octets(digits)
        .collect::<Option<_>>()
        .expect("an even number of hex digits")
}

/// The vector `testdata/<name>.hex`.
///
/// # Panics
///
/// If it cannot be read.
pub fn load(name: &str) -> Vec<u8> {
    let path = dir().join(format!("{name}.hex"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    hex(&text)
}

/// Every vector, as (file name without `.hex`, octets), sorted by name.
///
/// # Panics
///
/// If `testdata/` cannot be read, or holds fewer than the 39 vectors it
/// has.
pub fn vectors() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir())
        .expect("testdata/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "hex"))
        .map(|p| {
            let name = p.file_stem().and_then(|s| s.to_str()).expect("UTF-8 name");
            (name.to_owned(), load(name))
        })
        .collect();
    out.sort();
    assert!(out.len() >= 39, "only {} vectors", out.len());
    out
}

/// What decoding or framing the first `n` octets of a frame of `len`
/// octets reports, its `command_length` left as it was: a truncated header
/// below 16 octets, else a `command_length` the octets do not reach.
///
/// # Panics
///
/// If `len` does not fit a `u32`.
pub fn prefix_error(len: usize, n: usize) -> smpp_core::ErrorKind {
    if n < smpp_core::Header::LEN {
        smpp_core::ErrorKind::HeaderTruncated { len: n }
    } else {
        smpp_core::ErrorKind::CommandLengthMismatch {
            command_length: u32::try_from(len).expect("a length that fits a u32"),
            actual: n,
        }
    }
}

/// `pdu` encoded into a frame of exactly its `encoded_len` octets.
///
/// # Panics
///
/// If the PDU does not encode, or `emit` writes another length.
pub fn encode<B: AsRef<[u8]>>(pdu: &smpp_core::Pdu<B>) -> Vec<u8> {
    let mut frame = vec![0u8; pdu.encoded_len()];
    let written = pdu.emit(&mut frame).expect("a PDU that encodes");
    assert_eq!(written, frame.len(), "emit writes encoded_len octets");
    frame
}

/// Whether a typed TLV value holds a C-Octet String (its characters,
/// without the NUL that ends them on the wire).
pub fn is_cstr_value(value: &smpp_core::TlvValue<'_>) -> bool {
    use smpp_core::TlvValue::{
        AdditionalStatusInfoText, BroadcastEndTime, DestNetworkId, ReceiptedMessageId,
        SourceNetworkId,
    };
    matches!(
        value,
        AdditionalStatusInfoText(_)
            | ReceiptedMessageId(_)
            | BroadcastEndTime(_)
            | SourceNetworkId(_)
            | DestNetworkId(_)
    )
}
