//! Every strict prefix of every golden vector: an error (or, once its
//! `command_length` is patched, a shorter PDU that is valid on its own),
//! never a panic; framing waits for the rest.

mod common;

use common::{body_tlvs as tlvs, vectors};
use smpp_core::{Body, DEFAULT_MAX_COMMAND_LENGTH, ErrorKind, Pdu, frame_len};

/// Lengths at which a prefix is a complete PDU of its own, with a typed
/// body: 16 for a response whose body may be absent, and every TLV
/// boundary.
fn complete_lengths(frame: &[u8]) -> Vec<usize> {
    let pdu = Pdu::parse(frame).unwrap();
    let mut lens = Vec::new();
    // A body that may be absent: responses with a body of their own.
    if Body::parse(pdu.command_id(), &[]).is_ok() {
        lens.push(16);
    }
    if let Some(tlvs) = tlvs(&pdu.body) {
        let mut at = frame.len() - tlvs.encoded_len();
        for tlv in &tlvs {
            lens.push(at);
            at += tlv.encoded_len();
        }
    }
    lens
}

/// An error response: a response id with a status other than `ESME_ROK`.
fn is_error_response(pdu: &Pdu<&[u8]>) -> bool {
    pdu.command_id().is_response() && !pdu.command_status.is_ok()
}

#[test]
fn prefixes_with_the_original_command_length() {
    for (name, frame) in vectors() {
        for n in 0..frame.len() {
            let err = Pdu::parse(&frame[..n]).unwrap_err();
            let expected = if n < 16 {
                ErrorKind::HeaderTruncated { len: n }
            } else {
                ErrorKind::CommandLengthMismatch {
                    command_length: u32::try_from(frame.len()).unwrap(),
                    actual: n,
                }
            };
            assert_eq!(err.kind(), expected, "{name}[..{n}]");
        }
    }
}

#[test]
fn prefixes_with_a_patched_command_length() {
    let mut complete = 0;
    let mut raw_bodies = 0;
    for (name, frame) in vectors() {
        let allowed = complete_lengths(&frame);
        for n in 4..frame.len() {
            let mut prefix = frame[..n].to_vec();
            prefix[..4].copy_from_slice(&u32::try_from(n).unwrap().to_be_bytes());
            match Pdu::parse(&prefix) {
                Err(err) => {
                    if n < 16 {
                        assert_eq!(err.kind(), ErrorKind::HeaderTruncated { len: n });
                    } else {
                        let header = smpp_core::Header::parse(&prefix).unwrap();
                        assert!(
                            !header.command_id.is_response() || header.command_status.is_ok(),
                            "{name}[..{n}]: an error response must decode: {err}"
                        );
                    }
                }
                Ok(pdu) => {
                    if allowed.contains(&n) {
                        assert!(!matches!(pdu.body, Body::Raw(_)), "{name}[..{n}]: {pdu:?}");
                    } else {
                        // SMPP v5.0 3.2.1.3: an error response's body may be
                        // cut anywhere; it is kept as it is.
                        assert!(is_error_response(&pdu), "{name}[..{n}] parsed: {pdu:?}");
                        let Body::Raw(raw) = pdu.body else {
                            panic!("{name}[..{n}]: {pdu:?}")
                        };
                        assert_eq!(raw.octets, &prefix[16..], "{name}[..{n}]");
                        raw_bodies += 1;
                    }
                    let mut out = vec![0u8; pdu.encoded_len()];
                    pdu.emit(&mut out).unwrap();
                    assert_eq!(out, prefix, "{name}[..{n}]");
                    complete += 1;
                }
            }
        }
    }
    // Bodiless responses, TLV boundaries and cut error responses exist
    // among the vectors.
    assert!(complete >= 10, "{complete}");
    assert!(raw_bodies >= 5, "{raw_bodies}");
}

#[test]
fn frame_len_waits_for_the_whole_frame() {
    for (name, frame) in vectors() {
        for n in 0..frame.len() {
            assert_eq!(
                frame_len(&frame[..n], DEFAULT_MAX_COMMAND_LENGTH),
                Ok(None),
                "{name}[..{n}]"
            );
        }
        assert_eq!(
            frame_len(&frame, DEFAULT_MAX_COMMAND_LENGTH),
            Ok(Some(frame.len()))
        );
        // Followed by the start of another PDU.
        let mut two = frame.clone();
        two.extend_from_slice(&frame[..7]);
        assert_eq!(
            frame_len(&two, DEFAULT_MAX_COMMAND_LENGTH),
            Ok(Some(frame.len()))
        );
    }
}
