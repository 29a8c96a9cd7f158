//! smpp-core against its peers on the same octets: decode, encode, a stream
//! of 10,000 framed PDUs, conversion to owned storage, and two baselines (a
//! plain copy of the frame, a hand-written read of the header).
//!
//! Run: `cargo bench -p smpp-benches -- --warm-up-time 1 --measurement-time 2`.
//! Results and the machine they came from: `benches/RESULTS.md`.

#![allow(missing_docs, clippy::missing_panics_doc)]

mod peers;

use core::hint::black_box;

use bytes::{Bytes, BytesMut};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use smpp_benches::{Inputs, read_header};
use smpp_core::{DEFAULT_MAX_COMMAND_LENGTH, Pdu, ValidPdu, frame_len};

use peers::{rusmpp_borrowed, rusmpp_owned, smpp_codec, smpp34};

/// PDUs in the stream benchmark.
const STREAM_PDUS: usize = 10_000;

/// Visits every TLV of a decoded PDU (our TLVs are validated on decode but
/// iterated lazily; this adds the iteration the peers do eagerly).
fn visit_tlvs(pdu: &Pdu<&[u8]>) -> usize {
    let mut n = 0;
    if let smpp_core::Body::SubmitSm(b) | smpp_core::Body::DeliverSm(b) = &pdu.body {
        for tlv in &b.tlvs {
            n += tlv.value.len() + usize::from(tlv.tag.0);
        }
    }
    n
}

/// A decoder (`$decode`, whose result says `$ok` when it decoded) on one
/// frame.
macro_rules! decode_one {
    ($g:expr, $name:literal, $frame:expr, $decode:path, $ok:ident) => {
        $g.bench_function($name, |b| {
            b.iter(|| {
                let decoded = $decode(black_box($frame));
                assert!(decoded.$ok());
                black_box(&decoded);
            });
        })
    };
}

fn decode(c: &mut Criterion) {
    let inputs = Inputs::new();
    for (name, frame) in inputs.named() {
        let mut g = c.benchmark_group(format!("decode/{name}"));
        g.throughput(Throughput::Bytes(frame.len() as u64));
        decode_one!(g, "smpp-core", frame, Pdu::parse, is_ok);
        g.bench_function("smpp-core+visit-tlvs", |b| {
            b.iter(|| visit_tlvs(&Pdu::parse(black_box(frame)).unwrap()));
        });
        decode_one!(
            g,
            "rusmpp-borrowed",
            frame,
            rusmpp_borrowed::decode,
            is_some
        );
        g.bench_function("rusmpp-owned", |b| {
            b.iter_batched(
                || rusmpp_owned::input(frame),
                |mut src| {
                    let cmd = rusmpp_owned::decode(black_box(&mut src));
                    assert!(cmd.is_some());
                    black_box(&cmd);
                },
                BatchSize::SmallInput,
            );
        });
        decode_one!(g, "smpp34", frame, smpp34::decode, is_some);
        decode_one!(g, "smpp-codec", frame, smpp_codec::decode, is_some);
        let mut buf = vec![0u8; frame.len()];
        g.bench_function("baseline-memcpy", |b| {
            b.iter(|| {
                buf.copy_from_slice(black_box(frame));
                black_box(&mut buf);
            });
        });
        g.bench_function("baseline-header-read", |b| {
            b.iter(|| read_header(black_box(frame)).unwrap());
        });
        g.finish();
    }
}

fn encode(c: &mut Criterion) {
    let inputs = Inputs::new();
    for (name, frame) in inputs.named() {
        let mut g = c.benchmark_group(format!("encode/{name}"));
        g.throughput(Throughput::Bytes(frame.len() as u64));
        let mut out = vec![0u8; 4096];

        // A `Pdu` checks every rule before it is written; a decoded PDU
        // kept as a `ValidPdu` is known to keep them and is only written.
        let ours = Pdu::parse(frame).unwrap();
        g.bench_function("smpp-core", |b| {
            b.iter(|| black_box(&ours).emit(&mut out).unwrap());
        });
        let valid = ValidPdu::parse(frame).unwrap();
        g.bench_function("smpp-core-valid", |b| {
            b.iter(|| black_box(&valid).emit(&mut out).unwrap());
        });
        let cmd = rusmpp_borrowed::decode(frame).unwrap();
        g.bench_function("rusmpp-borrowed", |b| {
            b.iter(|| rusmpp_borrowed::encode(black_box(&cmd), &mut out));
        });
        let cmd = rusmpp_owned::decode(&mut rusmpp_owned::input(frame)).unwrap();
        g.bench_function("rusmpp-owned", |b| {
            b.iter(|| rusmpp_owned::encode(black_box(&cmd), &mut out));
        });
        let msg = smpp34::decode(frame).unwrap();
        g.bench_function("smpp34", |b| {
            // Its encoders consume the message: clone outside the timing.
            b.iter_batched(
                || msg.clone(),
                |m| smpp34::encode(black_box(m)),
                BatchSize::SmallInput,
            );
        });
        let msg = smpp_codec::decode(frame).unwrap();
        let mut v = Vec::with_capacity(4096);
        g.bench_function("smpp-codec", |b| {
            b.iter(|| smpp_codec::encode(black_box(&msg), &mut v));
        });
        g.bench_function("baseline-memcpy", |b| {
            b.iter(|| {
                out[..frame.len()].copy_from_slice(black_box(frame));
                black_box(&mut out);
            });
        });
        // What every encoder copies as one block: `short_message` and the
        // TLV region (the end of the frame), to where it goes in the output.
        if let smpp_core::Body::SubmitSm(sm) | smpp_core::Body::DeliverSm(sm) = ours.body {
            let start = frame.len() - sm.short_message.len() - sm.tlvs.as_bytes().len();
            g.bench_function("baseline-memcpy-message", |b| {
                b.iter(|| {
                    out[start..frame.len()].copy_from_slice(black_box(&frame[start..]));
                    black_box(&mut out);
                });
            });
        }
        g.finish();
    }
}

/// The frame length a peer's framing reads: the first four octets.
fn peer_frame_len(buf: &[u8]) -> Option<usize> {
    let len = usize::try_from(u32::from_be_bytes(buf.get(..4)?.try_into().ok()?)).ok()?;
    (len >= 16 && len <= buf.len()).then_some(len)
}

/// A peer decoding every frame of `stream` in turn, split by the first
/// four octets as its framing does.
macro_rules! peer_stream {
    ($g:expr, $peer:literal, $stream:expr, $decode:path) => {
        $g.bench_function($peer, |b| {
            b.iter(|| {
                let mut rest = black_box($stream);
                while let Some(len) = peer_frame_len(rest) {
                    let (frame, tail) = rest.split_at(len);
                    let cmd = $decode(frame);
                    assert!(cmd.is_some());
                    black_box(&cmd);
                    rest = tail;
                }
            });
        })
    };
}

fn stream_benches(c: &mut Criterion, group: &str, throughput: Throughput, stream: &[u8]) {
    let mut g = c.benchmark_group(group);
    g.throughput(throughput);
    g.bench_function("smpp-core", |b| {
        b.iter(|| {
            let mut rest = black_box(stream);
            let mut n = 0;
            while let Some(len) = frame_len(rest, DEFAULT_MAX_COMMAND_LENGTH).unwrap() {
                let (frame, tail) = rest.split_at(len);
                let pdu = Pdu::parse(frame);
                assert!(pdu.is_ok());
                black_box(&pdu);
                rest = tail;
                n += 1;
            }
            assert_eq!(n, STREAM_PDUS);
        });
    });
    peer_stream!(g, "rusmpp-borrowed", stream, rusmpp_borrowed::decode);
    g.bench_function("rusmpp-owned", |b| {
        // As its tokio codec does: split each frame off a BytesMut, decode it.
        b.iter_batched(
            || BytesMut::from(stream),
            |mut buf| {
                while let Some(len) = peer_frame_len(&buf) {
                    let mut frame = buf.split_to(len);
                    let _ = frame.split_to(4);
                    let cmd = rusmpp_owned::decode(&mut frame);
                    assert!(cmd.is_some());
                    black_box(&cmd);
                }
            },
            BatchSize::LargeInput,
        );
    });
    peer_stream!(g, "smpp34", stream, smpp34::decode);
    peer_stream!(g, "smpp-codec", stream, smpp_codec::decode);
    g.finish();
}

fn stream(c: &mut Criterion) {
    let inputs = Inputs::new();
    let stream = inputs.stream(STREAM_PDUS);
    for (group, throughput) in [
        ("stream_10k/pdus", Throughput::Elements(STREAM_PDUS as u64)),
        ("stream_10k/bytes", Throughput::Bytes(stream.len() as u64)),
    ] {
        stream_benches(c, group, throughput, &stream);
    }
}

fn to_owned(c: &mut Criterion) {
    let inputs = Inputs::new();
    for (name, frame) in inputs.named() {
        let mut g = c.benchmark_group(format!("to_owned/{name}"));
        g.throughput(Throughput::Bytes(frame.len() as u64));
        g.bench_function("smpp-core-vec", |b| {
            b.iter(|| Pdu::parse(black_box(frame)).unwrap().map(<[u8]>::to_vec));
        });
        // The frame already in a `Bytes` (as a buffered reader hands it
        // over): owned fields are reference-counted slices of it.
        let shared = Bytes::copy_from_slice(frame);
        g.bench_function("smpp-core-bytes", |b| {
            b.iter(|| {
                let frame = black_box(&shared);
                Pdu::parse(frame).unwrap().map(|s| frame.slice_ref(s))
            });
        });
        g.bench_function("rusmpp-owned", |b| {
            b.iter_batched(
                || rusmpp_owned::input(frame),
                |mut src| rusmpp_owned::decode(black_box(&mut src)).unwrap(),
                BatchSize::SmallInput,
            );
        });
        g.finish();
    }
}

criterion_group!(benches, decode, encode, stream, to_owned);
criterion_main!(benches);
