//! Helpers shared by the integration tests.
#![allow(dead_code)]

#[allow(unreachable_pub)]
#[path = "../../../tests/src/testdata.rs"]
mod testdata;

// Each test binary uses some of these.
#[allow(unused_imports)]
pub(crate) use testdata::{dir as testdata, hex, load, vectors};

/// Lowercase hex of octets.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    use core::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
