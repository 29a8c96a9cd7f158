//! Helpers shared by the integration tests.
#![allow(dead_code, unused_macros)]

// A link to the workspace's `tests/src/testdata.rs`, which `cargo package`
// follows, so that the packaged crate carries the one reader of the vectors.
#[allow(unreachable_pub)]
mod testdata;

// Each test binary uses some of these.
#[allow(unused_imports)]
pub(crate) use testdata::{dir as testdata, encode, hex, load, vectors};

/// `err` is the framing error of a `command_length` over `max`, answered
/// with a `generic_nack` `ESME_RINVCMDLEN` of `sequence_number`.
pub(crate) fn assert_command_length_too_long(
    err: &smpp_std::StreamError,
    command_length: u32,
    max: u32,
    sequence_number: u32,
) {
    let smpp_std::StreamError::Framing(e) = err else {
        panic!("expected a framing error, got {err}");
    };
    assert_eq!(
        e.kind(),
        smpp_core::ErrorKind::CommandLengthTooLong {
            command_length,
            max
        }
    );
    let reply = err.reply().unwrap();
    assert_eq!(reply.command_id, smpp_core::CommandId::GENERIC_NACK);
    assert_eq!(
        reply.command_status,
        smpp_core::CommandStatus::ESME_RINVCMDLEN
    );
    assert_eq!(reply.sequence_number, sequence_number);
}

/// Asserts that `value` matches `pattern` (and its guard), showing the
/// value if not.
macro_rules! assert_matches {
    ($value:expr, $pattern:pat $(if $guard:expr)?) => {
        match $value {
            $pattern $(if $guard)? => {}
            ref other => panic!("{other:?} does not match {}", stringify!($pattern)),
        }
    };
}
#[allow(unused_imports)]
pub(crate) use assert_matches;

/// The octets of a PDU with `command_id`, `sequence_number` and the body
/// given as it is (garbage included).
pub(crate) fn raw_pdu(
    command_id: smpp_core::CommandId,
    sequence_number: u32,
    body: &[u8],
) -> Vec<u8> {
    let len = u32::try_from(16 + body.len()).unwrap();
    let mut out = Vec::with_capacity(16 + body.len());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&command_id.0.to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(&sequence_number.to_be_bytes());
    out.extend_from_slice(body);
    out
}

/// A `submit_sm`/`deliver_sm` body with a 30-digit `source_addr` (21
/// octets at most): `ESME_RINVSRCADR`.
pub(crate) fn bad_source_addr_sm() -> Vec<u8> {
    let mut body = vec![0, 1, 1];
    body.extend_from_slice(&[b'9'; 30]);
    body.extend_from_slice(b"\0\x01\x01447700900123\0");
    body.extend_from_slice(&[0; 10]);
    body
}

/// Lowercase hex of octets.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    smpp_core::hex::Hex(bytes).to_string()
}
