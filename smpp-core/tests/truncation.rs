//! Every strict prefix of every golden vector: an error (or, once its
//! `command_length` is patched, a shorter PDU that is valid on its own),
//! never a panic; framing waits for the rest. The same for each part on
//! its own: the header, the body and the TLV region.

use std::path::PathBuf;

use smpp_core::{Body, DEFAULT_MAX_COMMAND_LENGTH, ErrorKind, Header, Pdu, Tlvs, frame_len};

/// Every golden vector as (file stem, octets), sorted by name; `#` lines
/// are comments.
fn vectors() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata");
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hex"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let hex: Vec<u8> = text
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .flat_map(str::bytes)
                .filter(u8::is_ascii_hexdigit)
                .collect();
            assert_eq!(
                hex.len() % 2,
                0,
                "{}: odd number of hex digits",
                p.display()
            );
            let bytes = hex
                .chunks(2)
                .map(|pair| u8::from_str_radix(core::str::from_utf8(pair).unwrap(), 16).unwrap())
                .collect();
            (p.file_stem().unwrap().to_str().unwrap().to_owned(), bytes)
        })
        .collect();
    out.sort();
    assert!(out.len() >= 39, "only {} golden vectors", out.len());
    out
}

/// The TLV region of a body, if it has one.
fn tlvs<'a>(body: &Body<&'a [u8]>) -> Option<Tlvs<&'a [u8]>> {
    Some(match *body {
        Body::GenericNack(t)
        | Body::UnbindResp(t)
        | Body::ReplaceSmResp(t)
        | Body::CancelSmResp(t)
        | Body::EnquireLinkResp(t)
        | Body::CancelBroadcastSmResp(t) => t,
        Body::BindReceiver(b) | Body::BindTransmitter(b) | Body::BindTransceiver(b) => b.tlvs,
        Body::BindReceiverResp(Some(b))
        | Body::BindTransmitterResp(Some(b))
        | Body::BindTransceiverResp(Some(b)) => b.tlvs,
        Body::QuerySm(b) | Body::QueryBroadcastSm(b) => b.tlvs,
        Body::QuerySmResp(Some(b)) => b.tlvs,
        Body::SubmitSm(b) | Body::DeliverSm(b) => b.tlvs,
        Body::SubmitSmResp(Some(b))
        | Body::DeliverSmResp(Some(b))
        | Body::DataSmResp(Some(b))
        | Body::BroadcastSmResp(Some(b))
        | Body::QueryBroadcastSmResp(Some(b)) => b.tlvs,
        Body::ReplaceSm(b) => b.tlvs,
        Body::CancelSm(b) => b.tlvs,
        Body::Outbind(b) => b.tlvs,
        Body::SubmitMulti(b) => b.tlvs,
        Body::SubmitMultiResp(Some(b)) => b.tlvs,
        Body::AlertNotification(b) => b.tlvs,
        Body::DataSm(b) => b.tlvs,
        Body::BroadcastSm(b) => b.tlvs,
        Body::CancelBroadcastSm(b) => b.tlvs,
        _ => return None,
    })
}

/// Lengths at which a prefix is a complete PDU of its own: 16 for a response
/// whose body may be absent, and every TLV boundary.
fn complete_lengths(frame: &[u8]) -> Vec<usize> {
    let pdu = Pdu::parse(frame).unwrap();
    let mut lens = Vec::new();
    if matches!(
        pdu.body,
        Body::BindTransceiverResp(Some(_))
            | Body::SubmitSmResp(Some(_))
            | Body::DeliverSmResp(Some(_))
            | Body::DataSmResp(Some(_))
            | Body::SubmitMultiResp(Some(_))
            | Body::QuerySmResp(Some(_))
            | Body::BroadcastSmResp(Some(_))
            | Body::QueryBroadcastSmResp(Some(_))
    ) {
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
    for (name, frame) in vectors() {
        let allowed = complete_lengths(&frame);
        for n in 4..frame.len() {
            let mut prefix = frame[..n].to_vec();
            prefix[..4].copy_from_slice(&u32::try_from(n).unwrap().to_be_bytes());
            match Pdu::parse(&prefix) {
                Err(err) => {
                    if n < 16 {
                        assert_eq!(err.kind(), ErrorKind::HeaderTruncated { len: n });
                    }
                }
                Ok(pdu) => {
                    assert!(allowed.contains(&n), "{name}[..{n}] parsed: {pdu:?}");
                    let mut out = vec![0u8; pdu.encoded_len()];
                    pdu.emit(&mut out).unwrap();
                    assert_eq!(out, prefix, "{name}[..{n}]");
                    complete += 1;
                }
            }
        }
    }
    // Bodiless responses and TLV boundaries exist among the vectors.
    assert!(complete >= 10, "{complete}");
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
        let whole = Body::parse(header.command_id, body).unwrap();
        assert_eq!(Pdu::parse(&frame).unwrap().body, whole, "{name}");
        let allowed = complete_lengths(&frame);
        for k in 0..body.len() {
            match Body::parse(header.command_id, &body[..k]) {
                Ok(b) => {
                    assert!(
                        allowed.contains(&(Header::LEN + k)),
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
