//! The tokio codec over a real loopback TCP connection, both directions
//! busy at once.
#![cfg(feature = "tokio")]

use core::time::Duration;

use futures_util::{SinkExt, StreamExt};
use smpp_core::{Body, CommandId, CommandStatus};
use smpp_std::{Frame, Pdu, SmppCodec, StreamError, SubmitSmBuilder};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::{Framed, FramedRead, FramedWrite};

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

/// Sends `COUNT` PDUs while receiving `COUNT` from the peer; checks each
/// received one.
async fn exchange(stream: TcpStream) -> Result<u32, StreamError> {
    let (read_half, write_half) = stream.into_split();
    let mut frames = FramedRead::new(read_half, SmppCodec::new());
    let mut sink = FramedWrite::new(write_half, SmppCodec::new());
    let writer = tokio::spawn(async move {
        for seq in 1..=COUNT {
            // Alternate owned PDUs and borrowed views.
            let pdu = message(seq);
            if seq % 2 == 0 {
                sink.feed(pdu).await?;
            } else {
                let wire = {
                    let mut out = vec![0u8; pdu.encoded_len()];
                    pdu.emit(&mut out).unwrap();
                    out
                };
                let view = smpp_core::Pdu::parse(&wire).unwrap();
                sink.feed(&view).await?;
            }
        }
        SinkExt::<Pdu>::flush(&mut sink).await?;
        Ok::<_, StreamError>(sink)
    });
    let mut received = 0;
    while received < COUNT {
        let frame: Frame = frames.next().await.expect("peer closed early")?;
        received += 1;
        assert_eq!(frame.header.sequence_number, received);
        let pdu = frame.to_pdu().unwrap();
        assert_eq!(pdu, message(received));
        let Body::SubmitSm(sm) = &pdu.body else {
            panic!("not a submit_sm")
        };
        assert_eq!(sm.short_message, format!("message {received}").as_bytes());
    }
    let _sink = writer.await.unwrap()?;
    Ok(received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_directions_busy_over_loopback() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        exchange(stream).await
    });
    let client = tokio::spawn(async move {
        let stream = TcpStream::connect(addr).await.unwrap();
        exchange(stream).await
    });
    let both = async { (server.await.unwrap(), client.await.unwrap()) };
    let (s, c) = tokio::time::timeout(Duration::from_secs(60), both)
        .await
        .expect("exchange took too long");
    assert_eq!(s.unwrap(), COUNT);
    assert_eq!(c.unwrap(), COUNT);
}

#[tokio::test]
async fn non_smpp_peer_gets_a_framing_error() {
    use tokio::io::AsyncWriteExt;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let client = tokio::spawn(async move {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        s
    });
    let (stream, _) = listener.accept().await.unwrap();
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
    drop(client.await.unwrap());
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
    assert!(matches!(err, StreamError::Encode(_)));
    assert_eq!(buf.len(), len);
}
