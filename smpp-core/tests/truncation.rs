//! Every strict prefix of every golden vector: an error (or, once its
//! `command_length` is patched, a shorter PDU that is valid on its own),
//! never a panic; framing waits for the rest. The same for each part on
//! its own: the header, the body and the TLV region.

mod common;

use common::{body_tlvs as tlvs, encode, prefix_error, vectors};
use smpp_core::{Body, DEFAULT_MAX_COMMAND_LENGTH, ErrorKind, Header, Pdu, Tlvs, frame_len};

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
            assert_eq!(err.kind(), prefix_error(frame.len(), n), "{name}[..{n}]");
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
                        let header = Header::parse(&prefix).unwrap();
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
                    assert_eq!(encode(&pdu), prefix, "{name}[..{n}]");
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

#[test]
fn header_prefixes() {
    for (name, frame) in vectors() {
        let whole = Header::parse(&frame).unwrap();
        assert_eq!(whole.to_bytes()[..], frame[..Header::LEN]);
        for n in 0..frame.len() {
            let header = Header::parse(&frame[..n]);
            if n < Header::LEN {
                let err = header.unwrap_err();
                assert_eq!(
                    err.kind(),
                    ErrorKind::HeaderTruncated { len: n },
                    "{name}[..{n}]"
                );
                assert_eq!(err.header(), None);
            } else {
                // The header is read from the first 16 octets alone.
                assert_eq!(header, Ok(whole), "{name}[..{n}]");
            }
        }
    }
}

#[test]
fn body_prefixes() {
    let mut complete = 0;
    for (name, frame) in vectors() {
        let header = Header::parse(&frame).unwrap();
        let body = &frame[Header::LEN..];
        let whole =
            Body::parse_with_status(header.command_id, header.command_status, body).unwrap();
        assert_eq!(Pdu::parse(&frame).unwrap().body, whole, "{name}");
        let allowed = complete_lengths(&frame);
        for k in 0..body.len() {
            match Body::parse_with_status(header.command_id, header.command_status, &body[..k]) {
                Ok(b) => {
                    // An error response keeps any body it cannot type as
                    // raw octets; every other prefix must be complete.
                    let raw = matches!(b, Body::Raw(_)) && header.command_status.0 != 0;
                    assert!(
                        raw || allowed.contains(&(Header::LEN + k)),
                        "{name}: body[..{k}] parsed: {b:?}"
                    );
                    assert_eq!(b.encoded_len(), k, "{name}: body[..{k}]");
                    complete += 1;
                }
                Err(err) => {
                    assert!(!err.to_string().is_empty());
                    assert_ne!(err.command_status().0, 0, "{name}: body[..{k}]: {err:?}");
                }
            }
        }
    }
    assert!(complete >= 10, "{complete}");
}

#[test]
fn tlv_region_prefixes() {
    let mut regions = 0;
    for (name, frame) in vectors() {
        let pdu = Pdu::parse(&frame).unwrap();
        let Some(region) = tlvs(&pdu.body).map(Tlvs::into_inner) else {
            continue;
        };
        if region.is_empty() {
            continue;
        }
        regions += 1;
        let parsed = Tlvs::parse(region).unwrap();
        let mut boundaries = vec![0];
        for tlv in &parsed {
            boundaries.push(boundaries.last().unwrap() + tlv.encoded_len());
        }
        assert_eq!(boundaries.last(), Some(&region.len()), "{name}");
        for k in 0..region.len() {
            let prefix = Tlvs::parse(&region[..k]);
            assert_eq!(
                prefix.is_ok(),
                boundaries.contains(&k),
                "{name}: TLVs[..{k}]: {prefix:?}"
            );
            match prefix {
                Ok(t) => {
                    let count = boundaries.iter().position(|&b| b == k).unwrap();
                    assert_eq!(t.iter().count(), count, "{name}: TLVs[..{k}]");
                }
                Err(err) => assert_ne!(err.command_status().0, 0),
            }
        }
    }
    assert!(regions >= 5, "only {regions} vectors with TLVs");
}
