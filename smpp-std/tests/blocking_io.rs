//! The blocking adapters over a loopback std TCP connection.

use core::time::Duration;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::thread;

use smpp_core::{Body, CommandId};
use smpp_std::{Frame, SmppReader, SmppWriter, StreamError, SubmitSmBuilder, SubmitSmRespBuilder};

const COUNT: u32 = 5_000;

#[test]
fn request_response_over_loopback() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();

    // Server: answers every submit_sm with a submit_sm_resp.
    let server = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut reader = SmppReader::new(stream.try_clone().unwrap());
        let mut writer = SmppWriter::with_batch(stream, 4096);
        let mut n = 0;
        while let Some(frame) = reader.read_frame().unwrap() {
            let pdu = frame.to_pdu().unwrap();
            let Body::SubmitSm(sm) = &pdu.body else {
                panic!("unexpected {:?}", pdu.command_id())
            };
            let resp = SubmitSmRespBuilder::new(pdu.sequence_number)
                .message_id(format!("id-{}", String::from_utf8_lossy(&sm.short_message)))
                .build()
                .unwrap();
            writer.queue(&resp).unwrap();
            if reader.buffered().is_empty() {
                writer.flush().unwrap();
            }
            n += 1;
        }
        writer.flush().unwrap();
        n
    });

    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let read_half = stream.try_clone().unwrap();
    let responses = thread::spawn(move || {
        let mut reader = SmppReader::new(read_half);
        let mut ids = Vec::new();
        for _ in 0..COUNT {
            let frame = reader.read_frame().unwrap().expect("server closed early");
            assert_eq!(frame.header.command_id, CommandId::SUBMIT_SM_RESP);
            let pdu = frame.to_pdu().unwrap();
            let Body::SubmitSmResp(Some(resp)) = pdu.body else {
                panic!("no body")
            };
            ids.push((
                pdu.sequence_number,
                resp.message_id.to_str().unwrap().to_owned(),
            ));
        }
        ids
    });
    let mut writer = SmppWriter::new(stream.try_clone().unwrap());
    for seq in 1..=COUNT {
        let pdu = SubmitSmBuilder::new(seq)
            .destination_addr("447700900123")
            .short_message(seq.to_string())
            .build()
            .unwrap();
        writer.queue(&pdu).unwrap();
    }
    writer.flush().unwrap();
    let ids = responses.join().unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    assert_eq!(server.join().unwrap(), COUNT);
    assert_eq!(ids.len(), COUNT as usize);
    for (i, (seq, id)) in ids.iter().enumerate() {
        let want = u32::try_from(i).unwrap() + 1;
        assert_eq!(*seq, want);
        assert_eq!(*id, format!("id-{want}"));
    }
}

#[test]
fn writer_batches_and_reader_handles_a_pipe() {
    /// Records the size of every write.
    struct Recorder {
        data: Vec<u8>,
        writes: Vec<usize>,
    }
    impl Write for Recorder {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.data.extend_from_slice(buf);
            self.writes.push(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    let mut writer = SmppWriter::with_batch(
        Recorder {
            data: Vec::new(),
            writes: Vec::new(),
        },
        1000,
    );
    let pdu = SubmitSmBuilder::new(1).short_message("x").build().unwrap();
    let len = pdu.encoded_len();
    for _ in 0..100 {
        writer.queue(&pdu).unwrap();
    }
    let rec = writer.into_inner().unwrap();
    assert_eq!(rec.data.len(), 100 * len);
    // Far fewer writes than PDUs: each write is a batch of at least 1000
    // octets, except the final flush.
    assert!(rec.writes.len() <= 100 * len / 1000 + 1, "{:?}", rec.writes);
    assert!(
        rec.writes[..rec.writes.len() - 1]
            .iter()
            .all(|&w| w >= 1000)
    );

    // An in-memory pipe: a thread writes in odd-sized pieces.
    let (rx, mut tx) = std::io::pipe().unwrap();
    let data = rec.data.clone();
    let feeder = thread::spawn(move || {
        for piece in data.chunks(7) {
            tx.write_all(piece).unwrap();
        }
    });
    let frames: Vec<_> = SmppReader::new(rx).collect::<Result<_, _>>().unwrap();
    feeder.join().unwrap();
    assert_eq!(frames.len(), 100);
    assert!(frames.iter().all(|f| f.to_pdu().unwrap() == pdu));
}

#[test]
fn writer_forwards_received_frames_as_they_are() {
    // A good submit_sm, an enquire_link with a body it must not have (a
    // frame that does not decode), and a vendor PDU.
    let good = SubmitSmBuilder::new(1).short_message("hi").build().unwrap();
    let mut wire = vec![0u8; good.encoded_len()];
    good.emit(&mut wire).unwrap();
    wire.extend_from_slice(&[0, 0, 0, 17, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 2, 0]);
    wire.extend_from_slice(&[0, 0, 0, 18, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0xAB, 0xCD]);
    let frames: Vec<Frame> = SmppReader::new(&wire[..])
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(frames.len(), 3);
    assert!(frames[1].to_pdu().is_err());

    // Queued frames wait for the batch; the batch size still applies.
    let mut writer = SmppWriter::with_batch(Vec::new(), 64);
    writer.queue_frame(&frames[1]).unwrap();
    writer.queue_frame(&frames[2]).unwrap();
    assert!(writer.get_ref().is_empty());
    assert_eq!(writer.queued(), 35);
    writer.queue_frame(&frames[0]).unwrap();
    assert_eq!(writer.queued(), 0, "a full batch is written");
    assert_eq!(writer.get_ref().len(), wire.len());
    // send_frame flushes at once, and frames mix with PDUs.
    writer.queue(&good).unwrap();
    writer.send_frame(&frames[1]).unwrap();
    assert_eq!(writer.queued(), 0);
    let out = writer.into_inner().unwrap();
    let expected = [
        &wire[good.encoded_len()..],
        &wire[..good.encoded_len()],
        &wire[..good.encoded_len()],
        &frames[1].bytes[..],
    ]
    .concat();
    assert_eq!(out, expected);
}

/// Returns its steps in turn: octets, or an error of that kind.
struct Steps(Vec<Result<Vec<u8>, std::io::ErrorKind>>);

impl std::io::Read for Steps {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() {
            return Ok(0);
        }
        match self.0.remove(0) {
            Ok(octets) => {
                buf[..octets.len()].copy_from_slice(&octets);
                Ok(octets.len())
            }
            Err(kind) => Err(kind.into()),
        }
    }
}

fn is_io(result: Result<Option<Frame>, StreamError>, kind: std::io::ErrorKind) -> bool {
    matches!(result, Err(StreamError::Io(e)) if e.kind() == kind)
}

#[test]
fn a_read_timeout_is_not_fatal_and_keeps_what_was_read() {
    use std::io::ErrorKind::{ConnectionReset, TimedOut, WouldBlock};
    let link = [0u8, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 7];
    let unbind = [0u8, 0, 0, 16, 0, 0, 0, 0x06, 0, 0, 0, 0, 0, 0, 0, 8];
    let mut reader = SmppReader::new(Steps(vec![
        Ok(link[..5].to_vec()),
        Err(TimedOut),
        Err(WouldBlock),
        Ok([&link[5..], &unbind[..3]].concat()),
        Err(WouldBlock),
        Ok(unbind[3..].to_vec()),
        Err(ConnectionReset),
        Ok(link.to_vec()),
    ]));
    assert!(is_io(reader.read_frame(), TimedOut));
    assert_eq!(reader.buffered(), &link[..5]);
    assert!(is_io(reader.read_frame(), WouldBlock));
    let frame = reader.read_frame().unwrap().unwrap();
    assert_eq!(frame.bytes[..], link);
    assert!(is_io(reader.read_frame(), WouldBlock));
    assert_eq!(reader.read_frame().unwrap().unwrap().bytes[..], unbind);
    // Any other I/O error ends the stream.
    assert!(is_io(reader.read_frame(), ConnectionReset));
    assert!(reader.read_frame().unwrap().is_none());
}

/// A socket's read timeout, as the platform reports it.
fn timed_out(e: &StreamError) -> bool {
    use std::io::ErrorKind::{TimedOut, WouldBlock};
    matches!(e, StreamError::Io(e) if matches!(e.kind(), WouldBlock | TimedOut))
}

#[test]
fn a_socket_read_timeout_lets_a_blocking_esme_go_on() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let peer = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        // Half a PDU, then the rest once the reader has timed out.
        stream.write_all(&[0, 0, 0, 16, 0, 0]).unwrap();
        rx.recv().unwrap();
        stream
            .write_all(&[0, 0x15, 0, 0, 0, 0, 0, 0, 0, 9])
            .unwrap();
    });
    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let mut reader = SmppReader::new(stream);
    let err = reader.read_frame().unwrap_err();
    assert!(timed_out(&err), "{err}");
    tx.send(()).unwrap();
    let frame = loop {
        match reader.read_frame() {
            Ok(Some(frame)) => break frame,
            Err(e) if timed_out(&e) => {}
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(frame.header.command_id, CommandId::ENQUIRE_LINK);
    assert_eq!(frame.header.sequence_number, 9);
    peer.join().unwrap();
}

#[test]
fn writer_refuses_an_invalid_pdu_and_queues_nothing_of_it() {
    let good = SubmitSmBuilder::new(1).short_message("hi").build().unwrap();
    let mut bad = good.clone();
    if let Body::SubmitSm(sm) = &mut bad.body {
        // 30 characters: more than source_addr's 21 octets.
        sm.source_addr = smpp_core::COctet::new(bytes::Bytes::from_static(&[b'1'; 30]));
    }
    let mut writer = SmppWriter::with_batch(Vec::new(), 1 << 16);
    writer.queue(&good).unwrap();
    let queued = writer.queued();
    let err = writer.queue(&bad).unwrap_err();
    let StreamError::Encode(e) = &err else {
        panic!("expected an encoding error, got {err}");
    };
    assert_eq!(
        e.command_status(),
        smpp_core::CommandStatus::ESME_RINVSRCADR
    );
    assert_eq!(writer.queued(), queued);
    assert!(matches!(writer.send(&bad), Err(StreamError::Encode(_))));
    writer.send(&good).unwrap();
    // Only the good PDUs went out, whole.
    let out = writer.into_inner().unwrap();
    let frames: Vec<Frame> = SmppReader::new(&out[..]).collect::<Result<_, _>>().unwrap();
    assert_eq!(frames.len(), 2);
    assert!(frames.iter().all(|f| f.to_pdu().unwrap() == good));
}
