//! What the integration tests share: the golden vectors of `testdata/`,
//! information elements, and the helpers of the session engine tests.
#![allow(dead_code)]

pub(crate) mod gsm7;
pub(crate) mod ie;
pub(crate) mod session;

use smpp_core::{ErrorKind, Field, FieldProblem, TlvProblem, TlvTag};

// A link to the workspace's `tests/src/testdata.rs`, which `cargo package`
// follows, so that the packaged crate carries the one reader of the vectors.
#[allow(unreachable_pub)]
mod testdata;

// Each test binary uses some of these.
#[allow(unused_imports)]
pub(crate) use testdata::{
    dir as testdata, encode, hex, is_cstr_value, load, prefix_error, vectors,
};

/// A frame of `id`, `status`, `seq` and `body`, its `command_length` its
/// length.
pub(crate) fn frame_of(
    id: smpp_core::CommandId,
    status: smpp_core::CommandStatus,
    seq: u32,
    body: &[u8],
) -> Vec<u8> {
    let mut frame: Vec<u8> = [0, id.0, status.0, seq]
        .iter()
        .flat_map(|v| v.to_be_bytes())
        .collect();
    frame.extend_from_slice(body);
    patch_len(&mut frame);
    frame
}

/// The error of `problem` with `field`.
pub(crate) fn field_error(field: Field, problem: FieldProblem) -> ErrorKind {
    ErrorKind::Field { field, problem }
}

/// The error of `problem` with the TLV `tag`.
pub(crate) fn tlv_error(tag: TlvTag, problem: TlvProblem) -> ErrorKind {
    ErrorKind::Tlv { tag, problem }
}

/// One TLV on the wire: `tag`, the length of `value`, `value`.
pub(crate) fn tlv(tag: TlvTag, value: &[u8]) -> Vec<u8> {
    let len = u16::try_from(value.len()).unwrap();
    [&tag.0.to_be_bytes()[..], &len.to_be_bytes(), value].concat()
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
