//! Helpers shared by the integration tests.
#![allow(dead_code, unused_macros)]

// A link to the workspace's `tests/src/testdata.rs`, which `cargo package`
// follows, so that the packaged crate carries the one reader of the vectors.
#[allow(unreachable_pub)]
mod testdata;

// Each test binary uses some of these.
#[allow(unused_imports)]
pub(crate) use testdata::{dir as testdata, hex, load, vectors};

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

/// Lowercase hex of octets.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    smpp_core::hex::Hex(bytes).to_string()
}
