//! `SmppReader` and `SmppWriter` as a blocking proxy uses them, checked
//! against their docs: a read timeout mid-frame loses nothing, an error
//! ends the reader, an invalid PDU queues nothing.

use std::collections::VecDeque;
use std::io::{self, Read};

use smpp_core::{Body, COctet, CommandId, SubmitSm};
use smpp_std::{SmppReader, SmppWriter, StreamError};

/// A reader that gives its chunks one per call, and a timeout for `None`.
struct Chunks(VecDeque<Option<Vec<u8>>>);

impl Read for Chunks {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.0.pop_front() {
            None => Ok(0),
            Some(None) => Err(io::Error::new(io::ErrorKind::TimedOut, "timeout")),
            Some(Some(chunk)) => {
                let n = chunk.len().min(buf.len());
                buf[..n].copy_from_slice(&chunk[..n]);
                if n < chunk.len() {
                    self.0.push_front(Some(chunk[n..].to_vec()));
                }
                Ok(n)
            }
        }
    }
}

const ENQUIRE_LINK: [u8; 16] = [0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 3];

#[test]
fn a_timeout_mid_frame_loses_nothing() {
    let chunks = [
        Some(ENQUIRE_LINK[..5].to_vec()),
        None,
        Some(ENQUIRE_LINK[5..].to_vec()),
    ];
    let mut reader = SmppReader::new(Chunks(chunks.into_iter().collect()));
    let err = reader.read_frame().unwrap_err();
    assert!(matches!(&err, StreamError::Io(e) if e.kind() == io::ErrorKind::TimedOut));
    assert_eq!(reader.buffered(), &ENQUIRE_LINK[..5]);
    let frame = reader.read_frame().unwrap().expect("the frame");
    assert_eq!(frame.header.sequence_number, 3);
    assert_eq!(reader.read_frame().unwrap(), None); // end of stream between frames
}

#[test]
fn an_error_ends_the_reader() {
    // A frame cut by the end of the stream, then nothing more.
    let chunks = [Some(ENQUIRE_LINK[..9].to_vec())];
    let mut reader = SmppReader::new(Chunks(chunks.into_iter().collect()));
    let err = reader.read_frame().unwrap_err();
    assert!(matches!(&err, StreamError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof));
    assert_eq!(reader.read_frame().unwrap(), None);

    // An impossible command_length, then a good frame: never read.
    let stream = [&[0u8, 0, 0, 3][..], &ENQUIRE_LINK[..]].concat();
    let mut reader = SmppReader::new(&stream[..]);
    let err = reader.read_frame().unwrap_err();
    assert_eq!(
        err.reply().map(|r| r.command_id),
        Some(CommandId::GENERIC_NACK)
    );
    assert!(reader.next().is_none());
}

#[test]
fn an_invalid_pdu_queues_nothing() {
    let mut writer = SmppWriter::new(Vec::new());
    let bad = SubmitSm {
        source_addr: COctet::new(&[b'1'; 30][..]),
        ..SubmitSm::default()
    };
    let err = writer
        .queue(&smpp_core::Pdu::new(1, Body::SubmitSm(bad)))
        .unwrap_err();
    assert!(matches!(err, StreamError::Encode(_)));
    assert_eq!(writer.queued(), 0);
    writer
        .queue(&smpp_core::Pdu::<&[u8]>::new(2, Body::EnquireLink))
        .unwrap();
    assert_eq!(writer.queued(), 16);
    let out = writer.into_inner().unwrap();
    assert_eq!(out.len(), 16);
}

/// `SmppCodec`: a PDU that breaks a field rule is refused with
/// `StreamError::Encode` and leaves the buffer as it was; `PduCodec`
/// hands a bad body up inside the item and goes on.
#[test]
fn codecs_refuse_and_go_on_as_documented() {
    use bytes::BytesMut;
    use smpp_std::{PduCodec, SmppCodec};
    use tokio_util::codec::{Decoder, Encoder};

    let mut codec = SmppCodec::new();
    let mut buf = BytesMut::new();
    codec
        .encode(smpp_core::Pdu::<&[u8]>::new(1, Body::EnquireLink), &mut buf)
        .unwrap();
    let bad = SubmitSm {
        source_addr: COctet::new(&[b'1'; 30][..]),
        ..SubmitSm::default()
    };
    let err = codec
        .encode(smpp_core::Pdu::new(2, Body::SubmitSm(bad)), &mut buf)
        .unwrap_err();
    assert!(matches!(err, StreamError::Encode(_)));
    assert_eq!(buf.len(), 16, "the buffer is as it was");

    let mut pdus = PduCodec::new();
    let mut stream = BytesMut::from(&[0u8, 0, 0, 17, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 7, b'x'][..]);
    stream.extend_from_slice(&ENQUIRE_LINK);
    let (frame, decoded) = pdus.decode(&mut stream).unwrap().unwrap();
    assert_eq!(frame.header.sequence_number, 7);
    assert_eq!(
        decoded.unwrap_err().reply().command_id,
        CommandId::SUBMIT_SM_RESP
    );
    let (_, decoded) = pdus.decode(&mut stream).unwrap().unwrap();
    assert!(matches!(decoded.unwrap().body, Body::EnquireLink));
}
