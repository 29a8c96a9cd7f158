//! What the integration tests share: the golden vectors of `testdata/`,
//! information elements, and the helpers of the session engine tests.
#![allow(dead_code)]

pub(crate) mod ie;
pub(crate) mod session;

// A link to the workspace's `tests/src/testdata.rs`, which `cargo package`
// follows, so that the packaged crate carries the one reader of the vectors.
#[allow(unreachable_pub)]
mod testdata;

// Each test binary uses some of these.
#[allow(unused_imports)]
pub(crate) use testdata::{
    dir as testdata, encode, hex, is_cstr_value, load, prefix_error, vectors,
};

/// Sets `command_length` to the frame's length.
pub(crate) fn patch_len(frame: &mut [u8]) {
    let len = u32::try_from(frame.len()).unwrap();
    frame[..4].copy_from_slice(&len.to_be_bytes());
}

/// The TLV region of a body, if it has one.
pub(crate) fn body_tlvs<'a>(body: &smpp_core::Body<&'a [u8]>) -> Option<smpp_core::Tlvs<&'a [u8]>> {
    body.tlvs().copied()
}
