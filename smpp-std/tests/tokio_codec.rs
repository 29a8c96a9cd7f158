//! The tokio codec over a real loopback TCP connection, both directions
//! busy at once.
#![cfg(feature = "tokio")]

mod common;

use common::assert_matches;
use core::time::Duration;

use futures_util::{SinkExt, StreamExt};
use smpp_core::{Body, CommandId, CommandStatus};
use smpp_std::{Frame, Pdu, PduCodec, SmppCodec, StreamError, SubmitSmBuilder};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::{Decoder, Encoder, Framed, FramedRead, FramedWrite};

const COUNT: u32 = 10_000;

fn message(seq: u32) -> Pdu {
    SubmitSmBuilder::new(seq)
        .source_addr("INFO")
        .destination_addr(format!("4477009{seq:05}"))
        .short_message(format!("message {seq}"))
        .sar(u16::try_from(seq % 65_536).unwrap(), 1, 1)
        .build()
        .unwrap()
}

/// Whether the PDU of `seq` goes out as [`malformed_frame`] instead, when
/// malformed PDUs are mixed in.
fn is_malformed(seq: u32) -> bool {
    seq.is_multiple_of(97)
}

/// Feeds `COUNT` PDUs into `sink`, alternating owned PDUs and borrowed
/// views, with a [`malformed_frame`] in place of every 97th if `malformed`;
/// then flushes.
async fn send_all<C>(
    mut sink: FramedWrite<OwnedWriteHalf, C>,
    malformed: bool,
) -> Result<(), StreamError>
where
    C: Encoder<Pdu, Error = StreamError>
        + for<'a> Encoder<&'a smpp_core::Pdu<&'a [u8]>, Error = StreamError>
        + Encoder<Frame, Error = StreamError>,
{
    for seq in 1..=COUNT {
        let pdu = message(seq);
        if malformed && is_malformed(seq) {
            sink.feed(malformed_frame(seq)).await?;
        } else if seq % 2 == 0 {
            sink.feed(pdu).await?;
        } else {
            let wire = common::encode(&pdu);
            let view = smpp_core::Pdu::parse(&wire).unwrap();
            sink.feed(&view).await?;
        }
    }
    SinkExt::<Pdu>::flush(&mut sink).await
}

/// Checks a received PDU against the one sent under its sequence number.
fn check_received(seq: u32, pdu: &Pdu) {
    assert_eq!(*pdu, message(seq));
    let Body::SubmitSm(sm) = &pdu.body else {
        panic!("not a submit_sm")
    };
    assert_eq!(sm.short_message, format!("message {seq}").as_bytes());
}

/// Sends `COUNT` PDUs through `codecs.1` (with malformed ones mixed in if
/// `malformed`) while receiving `COUNT` items through `codecs.0`, each
/// handed to `check` with its place (1 on); how many came.
async fn exchange_with<C>(
    stream: TcpStream,
    codecs: (C, C),
    malformed: bool,
    mut check: impl FnMut(u32, C::Item),
) -> Result<u32, StreamError>
where
    C: Decoder<Error = StreamError>
        + Encoder<Pdu, Error = StreamError>
        + for<'a> Encoder<&'a smpp_core::Pdu<&'a [u8]>, Error = StreamError>
        + Encoder<Frame, Error = StreamError>
        + Send
        + 'static,
{
    let (read_half, write_half) = stream.into_split();
    let mut items = FramedRead::new(read_half, codecs.0);
    let writer = tokio::spawn(send_all(FramedWrite::new(write_half, codecs.1), malformed));
    let mut received = 0;
    while received < COUNT {
        let item = items.next().await.expect("peer closed early")?;
        received += 1;
        check(received, item);
    }
    writer.await.unwrap()?;
    Ok(received)
}

/// Sends `COUNT` PDUs while receiving `COUNT` frames from the peer; checks
/// each received one.
async fn exchange(stream: TcpStream) -> Result<u32, StreamError> {
    let codecs = (SmppCodec::new(), SmppCodec::new());
    exchange_with(stream, codecs, false, |seq, frame: Frame| {
        assert_eq!(frame.header.sequence_number, seq);
        check_received(seq, &frame.to_pdu().unwrap());
    })
    .await
}

/// As [`exchange`], through [`PduCodec`] on both sides, with malformed
/// PDUs mixed in: each arrives with its body error in the item and the
/// stream goes on.
async fn exchange_pdus(stream: TcpStream) -> Result<u32, StreamError> {
    let mut bad = 0;
    let codecs = (PduCodec::new(), PduCodec::new());
    let received = exchange_with(stream, codecs, true, |seq, (frame, pdu)| {
        assert_eq!(frame.header.sequence_number, seq);
        if is_malformed(seq) {
            assert_eq!(frame, malformed_frame(seq));
            let reply = pdu.unwrap_err().reply();
            assert_eq!(reply.command_id, CommandId::SUBMIT_SM_RESP);
            assert_eq!(reply.command_status, CommandStatus::ESME_RINVSRCADR);
            assert_eq!(reply.sequence_number, seq);
            bad += 1;
        } else {
            let pdu = pdu.unwrap();
            // The PDU shares the frame's memory.
            let Body::SubmitSm(sm) = &pdu.body else {
                panic!("not a submit_sm")
            };
            assert!(
                frame
                    .bytes
                    .as_ptr_range()
                    .contains(&sm.short_message.as_ptr())
            );
            check_received(seq, &pdu);
        }
    })
    .await?;
    assert_eq!(bad, COUNT / 97);
    Ok(received)
}

/// Both ends of a loopback connection: the connecting one, the accepted
/// one.
async fn tcp_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let connecting = TcpStream::connect(listener.local_addr().unwrap());
    let (client, accepted) = tokio::join!(connecting, listener.accept());
    (client.unwrap(), accepted.unwrap().0)
}

/// Runs `side` on both ends of a loopback connection at once.
async fn loopback<F, Fut>(side: F)
where
    F: Fn(TcpStream) -> Fut + Copy + Send + 'static,
    Fut: Future<Output = Result<u32, StreamError>> + Send + 'static,
{
    let both = async {
        let (client, server) = tcp_pair().await;
        let (server, client) = (tokio::spawn(side(server)), tokio::spawn(side(client)));
        (server.await.unwrap(), client.await.unwrap())
    };
    let (s, c) = tokio::time::timeout(Duration::from_secs(60), both)
        .await
        .expect("exchange took too long");
    assert_eq!(s.unwrap(), COUNT);
    assert_eq!(c.unwrap(), COUNT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_directions_busy_over_loopback() {
    loopback(exchange).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_directions_busy_over_loopback_with_pdu_codec() {
    loopback(exchange_pdus).await;
}

#[tokio::test]
async fn non_smpp_peer_gets_a_framing_error() {
    use tokio::io::AsyncWriteExt;
    let (mut client, stream) = tcp_pair().await;
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut framed = Framed::new(stream, SmppCodec::new());
    let err = tokio::time::timeout(Duration::from_secs(10), framed.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap_err();
    let reply = err.reply().unwrap();
    assert_eq!(reply.command_id, CommandId::GENERIC_NACK);
    assert_eq!(reply.command_status, CommandStatus::ESME_RINVCMDLEN);
    // Answer as the error says, then close.
    framed.send(smpp_std::reply_pdu(&reply)).await.unwrap();
    drop(client);
}

#[test]
fn encoder_refuses_invalid_pdus_and_leaves_the_buffer() {
    use tokio_util::codec::Encoder;
    let mut codec = SmppCodec::new();
    let mut buf = bytes::BytesMut::new();
    codec.encode(message(1), &mut buf).unwrap();
    let len = buf.len();
    let mut bad = message(2);
    if let Body::SubmitSm(sm) = &mut bad.body {
        sm.source_addr = smpp_core::COctet::new(bytes::Bytes::from_static(&[b'1'; 30]));
    }
    let err = codec.encode(&bad, &mut buf).unwrap_err();
    assert_matches!(err, StreamError::Encode(_));
    assert_eq!(buf.len(), len);
}

/// A `submit_sm` whose `source_addr` has no NUL: the frame is whole, the body
/// does not decode.
fn malformed_frame(seq: u32) -> Frame {
    let body = [&b"\0\x01\x01"[..], &[b'9'; 30]].concat();
    Frame::new(common::raw_pdu(CommandId::SUBMIT_SM, seq, &body).into()).unwrap()
}

#[tokio::test]
async fn pdu_codec_keeps_the_stream_after_a_malformed_pdu() {
    let (client, stream) = tcp_pair().await;
    // The ESME sends good, malformed, good; raw frames go through the same
    // codec as PDUs.
    let client = tokio::spawn(async move {
        let mut framed = Framed::new(client, PduCodec::new());
        framed.feed(message(1)).await.unwrap();
        framed.feed(malformed_frame(2)).await.unwrap();
        framed.feed(&message(3)).await.unwrap();
        SinkExt::<Pdu>::flush(&mut framed).await.unwrap();
        // Answers: the server's response to each, in order.
        let mut answers = Vec::new();
        for _ in 0..3 {
            let (frame, pdu) = framed.next().await.unwrap().unwrap();
            answers.push((frame.header.sequence_number, pdu.unwrap()));
        }
        answers
    });

    let mut framed = Framed::new(stream, PduCodec::new());
    let mut seen = Vec::new();
    for _ in 0..3 {
        let (frame, pdu) = tokio::time::timeout(Duration::from_secs(10), framed.next())
            .await
            .expect("stream stalled")
            .expect("stream ended after a malformed PDU")
            .expect("a body error ended the stream");
        let answer = match &pdu {
            Ok(pdu) => {
                assert_eq!(pdu, &message(frame.header.sequence_number));
                smpp_std::SubmitSmRespBuilder::new(pdu.sequence_number)
                    .message_id(format!("id{}", pdu.sequence_number))
                    .build()
                    .unwrap()
            }
            Err(e) => {
                assert_eq!(frame, malformed_frame(2));
                assert_eq!(e.command_status(), CommandStatus::ESME_RINVSRCADR);
                smpp_std::reply_pdu(&e.reply())
            }
        };
        framed.send(&answer).await.unwrap();
        seen.push((frame.header.sequence_number, pdu.is_ok()));
    }
    assert_eq!(seen, [(1, true), (2, false), (3, true)]);

    let answers = client.await.unwrap();
    let summary: Vec<(u32, CommandId, CommandStatus)> = answers
        .iter()
        .map(|(seq, p)| (*seq, p.command_id(), p.command_status))
        .collect();
    assert_eq!(
        summary,
        [
            (1, CommandId::SUBMIT_SM_RESP, CommandStatus::ESME_ROK),
            (2, CommandId::SUBMIT_SM_RESP, CommandStatus::ESME_RINVSRCADR),
            (3, CommandId::SUBMIT_SM_RESP, CommandStatus::ESME_ROK),
        ]
    );
}

#[test]
fn frames_are_forwarded_as_received() {
    use tokio_util::codec::{Decoder, Encoder};
    let mut codec = SmppCodec::new();
    let mut buf = bytes::BytesMut::new();
    let bad = malformed_frame(9);
    codec.encode(&bad, &mut buf).unwrap();
    codec.encode(message(4), &mut buf).unwrap();
    codec.encode(bad.clone(), &mut buf).unwrap();
    assert_eq!(codec.decode(&mut buf).unwrap().unwrap(), bad);
    let good = codec.decode(&mut buf).unwrap().unwrap();
    assert_eq!(good.to_pdu().unwrap(), message(4));
    assert_eq!(codec.decode(&mut buf).unwrap().unwrap(), bad);
    assert!(buf.is_empty());

    // PduCodec: the body error is in the item.
    let mut codec = PduCodec::new();
    codec.encode(&bad, &mut buf).unwrap();
    let (frame, pdu) = codec.decode(&mut buf).unwrap().unwrap();
    assert_eq!(frame, bad);
    assert_eq!(pdu.unwrap_err().reply().sequence_number, 9);
    // A framing error still ends the stream.
    buf.extend_from_slice(b"GET / HTTP/1.1\r\n");
    assert_matches!(codec.decode(&mut buf), Err(StreamError::Framing(_)));
}

#[test]
fn codecs_take_the_maximum_of_their_decoder() {
    use smpp_std::FrameDecoder;
    // command_length 65 over a maximum of 64, submit_sm, sequence 12.
    let head = [0u8, 0, 0, 65, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 12];
    let decoder = FrameDecoder::with_max_command_length(64);
    let check = |err: StreamError, buf: &bytes::BytesMut| {
        common::assert_command_length_too_long(&err, 65, 64, 12);
        assert!(buf.capacity() < 65, "reserved {}", buf.capacity());
    };
    let mut buf = bytes::BytesMut::from(&head[..]);
    check(
        SmppCodec::with_decoder(decoder)
            .decode(&mut buf)
            .unwrap_err(),
        &buf,
    );
    let mut buf = bytes::BytesMut::from(&head[..]);
    check(
        PduCodec::with_decoder(decoder)
            .decode(&mut buf)
            .unwrap_err(),
        &buf,
    );
    // The default codecs take it.
    let mut buf = bytes::BytesMut::from(&head[..]);
    assert!(SmppCodec::new().decode(&mut buf).unwrap().is_none());
    assert!(PduCodec::new().decode(&mut buf).unwrap().is_none());
}
