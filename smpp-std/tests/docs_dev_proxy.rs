//! A proxy between an ESME and an MC that renumbers `sequence_number`,
//! written from the crates' documentation: frames cut with
//! [`FrameDecoder`], decoded with [`Frame::parse_any`], renumbered and
//! encoded again. Decoding then encoding is documented as lossless, so the
//! proxy must change nothing but the four octets of `sequence_number`.

mod common;

use bytes::BytesMut;
use smpp_core::{CommandId, CommandStatus, ErrorKind, Header};
use smpp_std::{Frame, FrameDecoder};

/// What the proxy does with one frame from the ESME: the octets it sends
/// on to the MC under `new_seq`, or the answer it sends back to the ESME.
enum Forward {
    /// To the MC.
    On(Vec<u8>),
    /// Back to the ESME.
    Back(Vec<u8>),
}

/// Renumbers one frame, encoding the decoded PDU again.
fn renumber(frame: &Frame, new_seq: u32) -> Forward {
    match frame.parse_any() {
        Ok(mut pdu) => {
            pdu.sequence_number = new_seq;
            let mut out = vec![0u8; pdu.encoded_len()];
            let n = pdu.emit(&mut out).expect("a decoded PDU encodes");
            assert_eq!(n, out.len());
            Forward::On(out)
        }
        Err(e) => {
            let reply = e.reply();
            let mut out = vec![0u8; reply.encoded_len()];
            let n = reply.emit(&mut out).expect("a reply encodes");
            assert_eq!(n, out.len());
            Forward::Back(out)
        }
    }
}

/// Every golden vector goes through the proxy unchanged but for its
/// `sequence_number`, the stream cut into reads of every size from 1 to 40.
#[test]
fn renumbering_changes_only_the_sequence_number() {
    let vectors = common::vectors();
    let stream: Vec<u8> = vectors
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .collect();
    for read in 1..=40 {
        let mut decoder = FrameDecoder::new();
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        let mut next_seq = 0x7FFF_FFF0_u32;
        for chunk in stream.chunks(read) {
            buf.extend_from_slice(chunk);
            while let Some(frame) = decoder.decode(&mut buf).expect("SMPP frames") {
                let Forward::On(octets) = renumber(&frame, next_seq) else {
                    panic!("a golden vector refused: {:?}", frame.header);
                };
                assert_eq!(Header::parse(&octets).unwrap().sequence_number, next_seq);
                out.push(octets);
                next_seq = next_seq.wrapping_add(1);
            }
        }
        assert!(buf.is_empty());
        assert_eq!(out.len(), vectors.len());
        for ((i, (name, original)), octets) in vectors.iter().enumerate().zip(&out) {
            let mut expected = original.clone();
            let seq = 0x7FFF_FFF0_u32.wrapping_add(u32::try_from(i).unwrap());
            expected[12..16].copy_from_slice(&seq.to_be_bytes());
            assert_eq!(octets, &expected, "{name}, reads of {read}");
        }
    }
}

/// A frame whose body does not decode stays a frame (the stream goes on),
/// and its answer carries the ESME's own `sequence_number`, not the one
/// the proxy would have given it.
#[test]
fn a_bad_body_is_answered_under_the_esmes_number() {
    // submit_sm, sequence 77, whose body is one octet with no NUL.
    let bad = [0, 0, 0, 17, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 77, b'x'];
    let enquire_link = [0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 78];
    let mut buf = BytesMut::from(&[&bad[..], &enquire_link[..]].concat()[..]);
    let mut decoder = FrameDecoder::new();
    let frame = decoder.decode(&mut buf).unwrap().unwrap();
    let Forward::Back(answer) = renumber(&frame, 5) else {
        panic!("forwarded a bad PDU")
    };
    let header = Header::parse(&answer).unwrap();
    assert_eq!(header.command_id, CommandId::SUBMIT_SM_RESP);
    assert_ne!(header.command_status, CommandStatus::ESME_ROK);
    assert_eq!(header.sequence_number, 77);
    assert_eq!(frame.error_reply().map(|p| p.sequence_number), Some(77));
    let next = decoder.decode(&mut buf).unwrap().unwrap();
    assert!(matches!(renumber(&next, 6), Forward::On(o) if o[12..16] == [0, 0, 0, 6]));
}

/// `Frame::new`'s `# Errors`: fewer than 16 octets, or a `command_length`
/// other than the octets given.
#[test]
fn frame_new_refuses_what_its_doc_says() {
    let enquire_link = [0u8, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 1];
    assert!(Frame::new(bytes::Bytes::copy_from_slice(&enquire_link)).is_ok());
    let short = Frame::new(bytes::Bytes::copy_from_slice(&enquire_link[..15])).unwrap_err();
    assert_eq!(short.kind(), ErrorKind::HeaderTruncated { len: 15 });
    let mut long = enquire_link.to_vec();
    long.push(0);
    let err = Frame::new(long.into()).unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::CommandLengthMismatch {
            command_length: 16,
            actual: 17
        }
    );
    assert_eq!(err.reply().sequence_number, 1);
}

/// `FrameDecoder::with_max_command_length` takes at least 16, and a frame
/// over the maximum is refused once its length is read.
#[test]
fn decoder_maximum() {
    assert_eq!(
        FrameDecoder::with_max_command_length(3).max_command_length(),
        16
    );
    let mut decoder = FrameDecoder::with_max_command_length(20);
    let mut buf = BytesMut::from(&[0u8, 0, 0, 21][..]);
    let err = decoder.decode(&mut buf).unwrap_err();
    assert_eq!(err.command_status(), CommandStatus::ESME_RINVCMDLEN);
    assert_eq!(err.reply().command_id, CommandId::GENERIC_NACK);
}
