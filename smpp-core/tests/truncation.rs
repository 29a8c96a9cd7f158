//! Every strict prefix of every golden vector: an error (or, once its
//! `command_length` is patched, a shorter PDU that is valid on its own),
//! never a panic; framing waits for the rest.

use std::path::PathBuf;

use smpp_core::{Body, DEFAULT_MAX_COMMAND_LENGTH, ErrorKind, Pdu, Tlvs, frame_len};

fn vectors() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata");
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hex"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let hex: String = text.chars().filter(char::is_ascii_hexdigit).collect();
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect();
            (p.file_stem().unwrap().to_str().unwrap().to_owned(), bytes)
        })
        .collect();
    out.sort();
    assert_eq!(out.len(), 39);
    out
}

/// The TLV region of a body, if it has one.
fn tlvs<'a>(body: &Body<&'a [u8]>) -> Option<Tlvs<&'a [u8]>> {
    Some(match *body {
        Body::SubmitSm(b) | Body::DeliverSm(b) => b.tlvs,
        Body::DataSm(b) => b.tlvs,
        Body::SubmitMulti(b) => b.tlvs,
        Body::BroadcastSm(b) => b.tlvs,
        Body::AlertNotification(b) => b.tlvs,
        Body::BindTransceiverResp(Some(b)) => b.tlvs,
        Body::DataSmResp(Some(b)) | Body::QueryBroadcastSmResp(Some(b)) => b.tlvs,
        Body::QueryBroadcastSm(b) => b.tlvs,
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
