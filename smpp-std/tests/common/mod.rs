//! Helpers shared by the integration tests.
#![allow(dead_code)]

// A link to the workspace's `tests/src/testdata.rs`, which `cargo package`
// follows, so that the packaged crate carries the one reader of the vectors.
#[allow(unreachable_pub)]
mod testdata;

// Each test binary uses some of these.
#[allow(unused_imports)]
pub(crate) use testdata::{dir as testdata, hex, load, vectors};

/// Lowercase hex of octets.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    smpp_core::hex::Hex(bytes).to_string()
}
