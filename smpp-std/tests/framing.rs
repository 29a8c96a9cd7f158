//! Framing: split points, byte-at-a-time reads, impossible lengths,
//! non-SMPP peers and malformed bodies.

mod common;

use bytes::{Bytes, BytesMut};
use smpp_core::{
    CommandId, CommandStatus, DEFAULT_MAX_COMMAND_LENGTH, ErrorKind, ForeignProtocol, Header,
};
use smpp_std::{Frame, FrameDecoder, SmppReader, StreamError};

fn stream() -> (Vec<Vec<u8>>, Vec<u8>) {
    let vectors: Vec<Vec<u8>> = common::vectors().into_iter().map(|(_, v)| v).collect();
    let all = vectors.concat();
    (vectors, all)
}

fn drain(decoder: &mut FrameDecoder, buf: &mut BytesMut, out: &mut Vec<Frame>) {
    while let Some(frame) = decoder.decode(buf).unwrap() {
        out.push(frame);
    }
}

#[test]
fn every_split_point_yields_the_same_frames() {
    let (vectors, all) = stream();
    for split in 0..=all.len() {
        let mut decoder = FrameDecoder::new();
        let mut buf = BytesMut::new();
        let mut frames = Vec::new();
        buf.extend_from_slice(&all[..split]);
        drain(&mut decoder, &mut buf, &mut frames);
        buf.extend_from_slice(&all[split..]);
        drain(&mut decoder, &mut buf, &mut frames);
        assert!(buf.is_empty(), "split {split}: leftover");
        assert_eq!(frames.len(), vectors.len(), "split {split}");
        for (frame, vector) in frames.iter().zip(&vectors) {
            assert_eq!(frame.bytes[..], vector[..], "split {split}");
            assert_eq!(frame.header, Header::parse(vector).unwrap());
            frame.to_pdu().unwrap();
        }
    }
}

/// A reader returning one octet per call.
struct Trickle<'a>(&'a [u8]);
impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((&b, rest)), Some(dst)) => {
                *dst = b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

#[test]
fn byte_at_a_time_decoder_and_reader() {
    let (vectors, all) = stream();
    let mut decoder = FrameDecoder::new();
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    for &b in &all {
        buf.extend_from_slice(&[b]);
        drain(&mut decoder, &mut buf, &mut frames);
    }
    let got: Vec<&[u8]> = frames.iter().map(|f| &f.bytes[..]).collect();
    let want: Vec<&[u8]> = vectors.iter().map(Vec::as_slice).collect();
    assert_eq!(got, want);

    let frames: Vec<Frame> = SmppReader::new(Trickle(&all))
        .collect::<Result<_, _>>()
        .unwrap();
    let got: Vec<&[u8]> = frames.iter().map(|f| &f.bytes[..]).collect();
    assert_eq!(got, want);
}

/// One octet per call, like [`Trickle`], and 0xEE over up to 16 more
/// octets of the window (a reader may leave anything past what it returns).
/// It notes the calls whose window no longer holds the previous call's
/// marks, that is, windows cleared again, and the smallest window offered.
struct Scribble<'a> {
    data: &'a [u8],
    marked: usize,
    calls: usize,
    cleared: usize,
    smallest_window: usize,
}

impl std::io::Read for Scribble<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let Some((&b, rest)) = self.data.split_first() else {
            return Ok(0);
        };
        self.calls += 1;
        self.smallest_window = self.smallest_window.min(buf.len());
        if buf.iter().take(self.marked).any(|&m| m != 0xEE) {
            self.cleared += 1;
        }
        let Some((first, after)) = buf.split_first_mut() else {
            return Ok(0);
        };
        *first = b;
        self.marked = after.len().min(16);
        after.iter_mut().take(self.marked).for_each(|m| *m = 0xEE);
        self.data = rest;
        Ok(1)
    }
}

#[test]
fn byte_at_a_time_reads_do_not_clear_the_window_again() {
    // A frame larger than a read chunk among the vectors: the reader's
    // window then covers the whole missing rest of it. It was zero-filled
    // on every read, about 70 KB of work for each octet received.
    let big = smpp_std::SubmitSmBuilder::new(9)
        .message_payload(vec![0x41u8; 60_000])
        .build()
        .unwrap();
    let big_wire = common::encode(&big);
    let (vectors, all) = stream();
    let input = [&all[..], &big_wire, &all].concat();
    let mut want: Vec<&[u8]> = vectors.iter().map(Vec::as_slice).collect();
    want.push(&big_wire);
    want.extend(vectors.iter().map(Vec::as_slice));

    let mut source = Scribble {
        data: &input,
        marked: 0,
        calls: 0,
        cleared: 0,
        smallest_window: usize::MAX,
    };
    let mut reader = SmppReader::new(&mut source);
    let frames: Vec<Frame> = reader.by_ref().collect::<Result<_, _>>().unwrap();
    // The marks past each octet never read as data.
    let got: Vec<&[u8]> = frames.iter().map(|f| &f.bytes[..]).collect();
    assert_eq!(got, want);
    assert!(reader.buffered().is_empty());
    drop(reader);
    assert_eq!(source.calls, input.len());
    // Room once made ready is not cleared again for the next read ...
    assert_eq!(source.cleared, 0, "of {} reads", source.calls);
    // ... and reads stay buffered: each may fill at least a chunk.
    assert!(
        source.smallest_window >= 8 * 1024,
        "{}",
        source.smallest_window
    );
}

#[test]
fn oversized_command_length_is_fatal_before_allocating() {
    let mut decoder = FrameDecoder::with_max_command_length(1024);
    let mut buf = BytesMut::new();
    // command_length 1025, submit_sm, sequence 77.
    buf.extend_from_slice(&[0, 0, 4, 1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 77]);
    let err = decoder.decode(&mut buf).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::CommandLengthTooLong {
            command_length: 1025,
            max: 1024
        }
    ));
    let reply = err.reply();
    assert_eq!(reply.command_id, CommandId::GENERIC_NACK);
    assert_eq!(reply.command_status, CommandStatus::ESME_RINVCMDLEN);
    assert_eq!(reply.sequence_number, 77);
    assert!(buf.capacity() < 1024, "reserved {}", buf.capacity());

    // Exactly at the maximum is fine, and waited for without reserving
    // room for what is announced: memory follows what arrives.
    let mut ok = BytesMut::new();
    ok.extend_from_slice(&[0, 0, 4, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 77]);
    assert_eq!(decoder.decode(&mut ok), Ok(None));
    assert!(ok.capacity() < 1024, "reserved {}", ok.capacity());
}

#[test]
fn reader_refuses_an_oversized_command_length() {
    // command_length 1025 over a maximum of 1024, submit_sm, sequence 77;
    // the rest of the frame follows, but the reader must not wait for it.
    let mut input = vec![0u8, 0, 4, 1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 77];
    input.resize(1025, 0);
    let mut reader =
        SmppReader::with_decoder(&input[..], FrameDecoder::with_max_command_length(1024));
    let err = reader.read_frame().unwrap_err();
    common::assert_command_length_too_long(&err, 1025, 1024, 77);
    assert!(reader.read_frame().unwrap().is_none());

    // With the default maximum, a length just above it.
    let too_long = DEFAULT_MAX_COMMAND_LENGTH + 1;
    let mut head = too_long.to_be_bytes().to_vec();
    head.extend_from_slice(&[0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1]);
    let err = SmppReader::new(&head[..]).read_frame().unwrap_err();
    assert_eq!(err.command_status(), Some(CommandStatus::ESME_RINVCMDLEN));
}

#[test]
fn undersized_command_length_is_fatal() {
    let mut decoder = FrameDecoder::new();
    // command_length 15: the reply is known from the first four octets.
    let mut buf = BytesMut::from(&[0u8, 0, 0, 15][..]);
    let err = decoder.decode(&mut buf).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::CommandLengthTooShort { command_length: 15 }
    ));
    assert_eq!(err.reply().command_status, CommandStatus::ESME_RINVCMDLEN);
    assert_eq!(err.reply().sequence_number, 0);
    assert_eq!(err.reply().command_id, CommandId::GENERIC_NACK);
}

/// `input` is refused as `protocol` at once by a reader and a decoder with
/// the default maximum and with the largest one, answering `generic_nack`
/// `ESME_RINVCMDLEN` with `sequence_number` 0, without growing any buffer.
fn assert_rejected_quickly(input: &[u8], protocol: ForeignProtocol) {
    for max in [DEFAULT_MAX_COMMAND_LENGTH, u32::MAX] {
        let decoder = FrameDecoder::with_max_command_length(max);
        let mut reader = SmppReader::with_decoder(input, decoder);
        let err = reader.read_frame().unwrap_err();
        let StreamError::Framing(e) = &err else {
            panic!("expected a framing error, got {err}");
        };
        assert_eq!(e.kind(), ErrorKind::NotSmpp { protocol }, "max {max}");
        assert_eq!(e.header(), None);
        assert_eq!(err.command_status(), Some(CommandStatus::ESME_RINVCMDLEN));
        let reply = err.reply().unwrap();
        assert_eq!(reply.command_id, CommandId::GENERIC_NACK);
        assert_eq!(reply.command_status, CommandStatus::ESME_RINVCMDLEN);
        assert_eq!(reply.sequence_number, 0);
        let nack = smpp_std::reply_pdu(&reply);
        assert_eq!(nack.command_id(), CommandId::GENERIC_NACK);
        assert_eq!(nack.sequence_number, 0);
        // The reader never grew its buffer for the announced length.
        assert!(reader.buffered().len() <= input.len());
        // Nothing more after a fatal error.
        assert!(reader.read_frame().unwrap().is_none());

        // The decoder alone: no reservation for the announced length, and
        // four octets are enough to tell.
        for n in [4, input.len()] {
            let mut buf = BytesMut::from(&input[..n]);
            let before = buf.capacity();
            let err = { decoder }.decode(&mut buf).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::NotSmpp { protocol });
            assert_eq!(buf.capacity(), before);
        }
    }
}

#[test]
fn http_request_is_fatal() {
    for request in [
        &b"GET / HTTP/1.1\r\nHost: smsc.example\r\n\r\n"[..],
        b"POST /submit HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
        b"PUT /x HTTP/1.1\r\n\r\n",
        b"HEAD / HTTP/1.0\r\n\r\n",
        b"CONNECT smsc.example:2775 HTTP/1.1\r\n\r\n",
        b"OPTIONS * HTTP/1.1\r\n\r\n",
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    ] {
        assert_rejected_quickly(request, ForeignProtocol::Http);
    }
}

/// A TLS record header (handshake, TLS 1.0 record version, length
/// 0x0200), then the start of a `ClientHello`.
const TLS_HELLO: [u8; 11] = [
    0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03,
];

/// An `SSLv2` record length 0x2e with the high bit set, CLIENT-HELLO, version
/// 3.1, cipher spec, session id and challenge lengths.
const SSLV2_HELLO: [u8; 11] = [
    0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10,
];

/// `start`, then `count` octets `filler`.
fn hello(start: &[u8], filler: u8, count: usize) -> Vec<u8> {
    let mut hello = start.to_vec();
    hello.resize(start.len() + count, filler);
    hello
}

#[test]
fn tls_client_hello_is_fatal() {
    let mut hello = hello(&TLS_HELLO, 0xab, 32);
    assert_rejected_quickly(&hello, ForeignProtocol::Tls);
    // A TLS 1.2 record version.
    hello[2] = 0x03;
    assert_rejected_quickly(&hello, ForeignProtocol::Tls);
}

#[test]
fn sslv2_client_hello_is_fatal() {
    assert_rejected_quickly(&hello(&SSLV2_HELLO, 0x07, 37), ForeignProtocol::Sslv2);
}

#[test]
fn a_large_maximum_still_takes_real_pdus() {
    // With the detection on, the largest maximum frames SMPP as usual.
    let (vectors, all) = stream();
    let mut decoder = FrameDecoder::with_max_command_length(u32::MAX);
    let mut buf = BytesMut::from(&all[..]);
    let mut frames = Vec::new();
    drain(&mut decoder, &mut buf, &mut frames);
    assert_eq!(frames.len(), vectors.len());
    // A plausible large length (1 MiB) is waited for, not refused, and
    // costs no more than the octets that came.
    let mut big = BytesMut::from(&[0u8, 0x10, 0, 0, 0, 0, 0, 4][..]);
    assert_eq!(decoder.decode(&mut big), Ok(None));
    assert!(big.capacity() < 64, "reserved {}", big.capacity());
}

#[test]
fn frames_are_cut_from_the_read_buffer_without_copying() {
    let (vectors, all) = stream();
    let mut buf = BytesMut::from(&all[..]);
    let base = buf.as_ptr() as usize;
    let mut decoder = FrameDecoder::new();
    let mut frames = Vec::new();
    drain(&mut decoder, &mut buf, &mut frames);
    assert_eq!(frames.len(), vectors.len());
    // Each frame starts where the previous one ended in the read buffer's
    // memory, so its octets are that memory, not a copy.
    let mut offset = 0;
    for frame in &frames {
        assert_eq!(frame.bytes.as_ptr() as usize, base + offset);
        offset += frame.bytes.len();
    }
    assert_eq!(offset, all.len());

    // The blocking reader too: frames that arrived in one read share it.
    let frames: Vec<Frame> = SmppReader::new(&all[..]).collect::<Result<_, _>>().unwrap();
    for pair in frames.windows(2) {
        let end = pair[0].bytes.as_ptr_range().end;
        assert_eq!(pair[1].bytes.as_ptr(), end);
    }
}

#[test]
fn malformed_body_between_good_pdus_is_not_fatal() {
    let vectors = common::vectors();
    let get = |name: &str| vectors.iter().find(|(n, _)| n == name).unwrap().1.clone();
    let good1 = get("enquire_link");
    let good2 = get("submit_sm");
    // submit_sm whose source_addr runs past the end: no NUL anywhere.
    let body = [&b"\0\x01\x01"[..], &[b'9'; 30]].concat();
    let bad = common::raw_pdu(CommandId::SUBMIT_SM, 0x1234, &body);

    let stream = [good1.clone(), bad.clone(), good2.clone()].concat();
    let frames: Vec<Frame> = SmppReader::new(&stream[..])
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(frames.len(), 3);
    assert_eq!(frames[0].bytes[..], good1[..]);
    assert_eq!(frames[2].bytes[..], good2[..]);
    frames[0].to_pdu().unwrap();
    frames[2].to_pdu().unwrap();
    assert!(frames[0].error_reply().is_none());

    let bad_frame = &frames[1];
    assert_eq!(bad_frame.bytes[..], bad[..]);
    let err = bad_frame.parse().unwrap_err();
    let reply = err.reply();
    assert_eq!(reply.command_id, CommandId::SUBMIT_SM_RESP);
    assert_eq!(reply.command_status, CommandStatus::ESME_RINVSRCADR);
    assert_eq!(reply.sequence_number, 0x1234);
    let resp = bad_frame.error_reply().unwrap();
    assert_eq!(resp.command_id(), CommandId::SUBMIT_SM_RESP);
    assert_eq!(resp.command_status, CommandStatus::ESME_RINVSRCADR);
    assert_eq!(resp.sequence_number, 0x1234);
    assert_eq!(resp.encoded_len(), 16);
}

#[test]
fn eof_inside_a_frame_is_an_io_error() {
    let (_, all) = stream();
    let mut reader = SmppReader::new(&all[..all.len() - 1]);
    let mut n = 0;
    let err = loop {
        match reader.read_frame() {
            Ok(Some(_)) => n += 1,
            Ok(None) => panic!("clean end reported"),
            Err(e) => break e,
        }
    };
    assert_eq!(n, common::vectors().len() - 1);
    assert!(matches!(err, StreamError::Io(ref e) if e.kind() == std::io::ErrorKind::UnexpectedEof));
}

#[test]
fn frame_new_checks_the_length() {
    let frame = Frame::new(Bytes::from_static(&[
        0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 1,
    ]))
    .unwrap();
    assert_eq!(frame.header.command_id, CommandId::ENQUIRE_LINK);
    assert!(frame.body().is_empty());
    assert!(
        Frame::new(Bytes::from_static(&[
            0, 0, 0, 17, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 1
        ]))
        .is_err()
    );
    assert!(Frame::new(Bytes::from_static(&[0, 0, 0, 16])).is_err());
}

#[test]
fn to_pdu_slices_the_frame_without_copying() {
    let vectors = common::vectors();
    let bytes = &vectors.iter().find(|(n, _)| n == "submit_sm").unwrap().1;
    let frame = Frame::new(Bytes::from(bytes.clone())).unwrap();
    let pdu = frame.to_pdu().unwrap();
    let smpp_core::Body::SubmitSm(sm) = &pdu.body else {
        panic!("not a submit_sm")
    };
    let range = frame.bytes.as_ptr_range();
    assert!(range.contains(&sm.short_message.as_ptr()));
    assert!(range.contains(&sm.destination_addr.as_bytes().as_ptr()));
    assert_eq!(sm.short_message, bytes[bytes.len() - 8..]);
}

#[test]
fn every_field_of_every_vector_is_a_slice_of_its_frame() {
    let mut fields = 0;
    for (name, bytes) in common::vectors() {
        let frame = Frame::new(Bytes::from(bytes)).unwrap();
        let range = frame.bytes.as_ptr_range();
        // `map` visits every field held in storage: strings, octets, TLV
        // regions and destination lists alike.
        let pdu = frame.to_pdu().unwrap();
        let _ = pdu.map(|field: Bytes| {
            assert!(
                field.is_empty() || range.contains(&field.as_ptr()),
                "{name}: a field outside the frame"
            );
            assert!(field.is_empty() || field.as_ptr_range().end <= range.end);
            fields += usize::from(!field.is_empty());
            field
        });
    }
    assert!(fields >= 60, "only {fields} non-empty fields");
}

#[test]
fn unknown_command_ids_decode_raw_with_the_any_variants() {
    // A vendor request 0x00010200 (sequence 5) with a two-octet body.
    let wire = Bytes::from_static(&[0, 0, 0, 18, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0xAB, 0xCD]);
    let frame = Frame::new(wire.clone()).unwrap();
    let err = frame.to_pdu().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownCommandId);
    assert!(frame.error_reply().is_some());

    let view = frame.parse_any().unwrap();
    assert_eq!(view.command_id(), CommandId(0x0001_0200));
    let owned = frame.to_pdu_any().unwrap();
    assert_eq!(owned, smpp_std::parse_owned_any(&wire).unwrap());
    assert_eq!(owned.command_id(), CommandId(0x0001_0200));
    assert_eq!(owned.sequence_number, 5);
    let smpp_core::Body::Raw(raw) = &owned.body else {
        panic!("not raw: {owned:?}")
    };
    assert_eq!(raw.octets, [0xAB, 0xCD][..]);
    // The body is a slice of the frame, not a copy.
    assert!(wire.as_ptr_range().contains(&raw.octets.as_ptr()));
    let mut out = vec![0u8; owned.encoded_len()];
    assert_eq!(owned.emit(&mut out), Ok(18));
    assert_eq!(out, wire);

    // A known id decodes as with to_pdu; other errors stand.
    let unbind = Bytes::from_static(&[0, 0, 0, 16, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 3]);
    assert_eq!(
        smpp_std::parse_owned_any(&unbind),
        smpp_std::parse_owned(&unbind)
    );
    let bad = Frame::new(Bytes::from_static(&[
        0, 0, 0, 17, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 3, 1,
    ]))
    .unwrap();
    assert_eq!(
        bad.to_pdu_any().unwrap_err().kind(),
        bad.to_pdu().unwrap_err().kind()
    );
}
