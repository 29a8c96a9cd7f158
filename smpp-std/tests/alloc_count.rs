//! Allocation counting: decoding frames (framing, parsing, converting to
//! owned PDUs) allocates nothing per frame, and the core's parse and emit
//! allocate nothing at all. Encoding allocates nothing into a buffer with
//! room (`SmppCodec`), and `SmppWriter` allocates only when its batch buffer
//! grows, however many frames it writes. A `command_length` above the
//! maximum is refused without reserving room for it.
//!
//! This file holds a single test so that no other test thread allocates
//! while it counts.

mod common;

use std::alloc::System;

use bytes::BytesMut;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

use smpp_std::{FrameDecoder, Pdu, SmppReader, SmppWriter, parse_owned};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[test]
#[allow(clippy::too_many_lines)] // one test: the counter is process-wide
fn decoding_allocates_nothing_per_frame() {
    let vectors: Vec<Vec<u8>> = common::vectors().into_iter().map(|(_, v)| v).collect();
    let copies = 20;
    let stream = vectors.concat().repeat(copies);
    let total = vectors.len() * copies;

    // --- FrameDecoder + parse + to_pdu over a filled buffer.
    let stats = fewest(|| {
        let mut buf = BytesMut::with_capacity(stream.len());
        buf.extend_from_slice(&stream);
        let mut decoder = FrameDecoder::new();
        let mut owned: Vec<Pdu> = Vec::with_capacity(total);
        // The first split turns the buffer into a shared one: one small
        // allocation per read buffer, not per frame.
        let first = decoder.decode(&mut buf).unwrap().unwrap();
        owned.push(first.to_pdu().unwrap());

        let region = Region::new(GLOBAL);
        while let Some(frame) = decoder.decode(&mut buf).unwrap() {
            let view = frame.parse().unwrap();
            assert_eq!(view.sequence_number, frame.header.sequence_number);
            owned.push(frame.to_pdu().unwrap());
        }
        let stats = region.change();
        assert_eq!(owned.len(), total);
        stats
    });
    assert_eq!(stats.allocations, 0, "{stats:?}");
    assert_eq!(stats.reallocations, 0, "{stats:?}");

    // --- smpp-core parse and emit allocate nothing.
    let mut out = vec![0u8; 1024];
    let stats = fewest(|| {
        let region = Region::new(GLOBAL);
        for v in &vectors {
            let pdu = smpp_core::Pdu::parse(v).unwrap();
            let n = pdu.emit(&mut out).unwrap();
            assert_eq!(out[..n], v[..]);
        }
        region.change()
    });
    assert_eq!(stats.allocations, 0, "{stats:?}");
    assert_eq!(stats.reallocations, 0, "{stats:?}");

    // --- The blocking reader: allocations follow the read buffer's growth
    // (one per 8 KiB chunk at most, plus the shared-buffer promotions), not
    // the number of frames.
    let region = Region::new(GLOBAL);
    let mut reader = SmppReader::new(&stream[..]);
    let mut frames = 0;
    while let Some(frame) = reader.read_frame().unwrap() {
        frame.to_pdu().unwrap();
        frames += 1;
    }
    let stats = region.change();
    assert_eq!(frames, total);
    let chunks = stream.len() / (8 * 1024) + 1;
    assert!(
        stats.allocations + stats.reallocations <= 2 * chunks + 2,
        "{frames} frames, {} octets: {stats:?}",
        stream.len()
    );

    // --- A command_length above the maximum is refused before anything is
    // reserved for it: a 60,000-octet maximum, a header announcing 60,001
    // octets, and the frame's octets behind it.
    let mut oversized = 60_001u32.to_be_bytes().to_vec();
    oversized.extend_from_slice(&[0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1]);
    oversized.resize(60_001, 0);
    let decoder = FrameDecoder::with_max_command_length(60_000);
    let stats = fewest(|| {
        let region = Region::new(GLOBAL);
        let mut reader = SmppReader::with_decoder(&oversized[..], decoder);
        assert!(reader.read_frame().is_err());
        let mut buf = BytesMut::from(&oversized[..16]);
        let before = region.change();
        assert!({ decoder }.decode(&mut buf).is_err());
        let after = region.change();
        assert_eq!(after.bytes_allocated, before.bytes_allocated, "decoder");
        after
    });
    // The reader's first chunk (8 KiB) and the 16-octet copy, not 60 KB.
    assert!(
        stats.bytes_allocated < 8 * 1024 + 1024,
        "refusing allocated {stats:?}"
    );

    // --- Encoding: the core's views and the owned PDUs of every vector.
    let views: Vec<smpp_core::Pdu<&[u8]>> = vectors
        .iter()
        .map(|v| smpp_core::Pdu::parse(v).unwrap())
        .collect();
    let frames: Vec<bytes::Bytes> = vectors.iter().map(|v| v.clone().into()).collect();
    let owned: Vec<Pdu> = frames.iter().map(|f| parse_owned(f).unwrap()).collect();

    #[cfg(feature = "tokio")]
    {
        use tokio_util::codec::Encoder;

        let one_stream = vectors.concat();
        // SmppCodec into a buffer reserved up front: nothing allocated.
        let stats = fewest(|| {
            let mut codec = smpp_std::SmppCodec::new();
            let mut dst = BytesMut::with_capacity(2 * one_stream.len());
            let region = Region::new(GLOBAL);
            for pdu in &views {
                codec.encode(pdu, &mut dst).unwrap();
            }
            for pdu in &owned {
                codec.encode(pdu, &mut dst).unwrap();
            }
            let stats = region.change();
            assert_eq!(dst[..], one_stream.repeat(2)[..]);
            stats
        });
        assert_eq!(stats.allocations, 0, "SmppCodec::encode: {stats:?}");
        assert_eq!(stats.reallocations, 0, "SmppCodec::encode: {stats:?}");
    }

    // SmppWriter::queue, many batches into a writer with room for all of
    // them: only the batch buffer's growth allocates (once, when a PDU
    // first takes it past the batch size), not the frame count.
    // Each run writes the whole stream through `write` into a fresh writer.
    let through_writer = |write: &dyn Fn(&mut SmppWriter<Vec<u8>>)| {
        fewest(|| {
            let mut writer = SmppWriter::with_batch(Vec::with_capacity(stream.len()), 1024);
            let region = Region::new(GLOBAL);
            write(&mut writer);
            let stats = region.change();
            assert_eq!(writer.get_ref()[..], stream[..]);
            stats
        })
    };
    let stats = through_writer(&|writer| {
        for pdu in views.iter().cycle().take(total) {
            writer.queue(pdu).unwrap();
        }
        writer.flush().unwrap();
    });
    assert!(
        stats.allocations + stats.reallocations <= 1,
        "SmppWriter::queue, {total} frames: {stats:?}"
    );

    // SmppWriter::send: each PDU fits the batch buffer, which is written
    // out at once, so nothing grows.
    let stats = through_writer(&|writer| {
        for pdu in owned.iter().cycle().take(total) {
            writer.send(pdu).unwrap();
        }
    });
    assert_eq!(
        stats.allocations + stats.reallocations,
        0,
        "SmppWriter::send, {total} frames: {stats:?}"
    );
}

/// The counter is process-wide, so an allocation by another thread of the
/// test harness could land in a region: each region is measured three
/// times and the fewest allocations count. An allocation the code makes
/// itself shows in every run.
fn fewest(mut run: impl FnMut() -> stats_alloc::Stats) -> stats_alloc::Stats {
    (0..3)
        .map(|_| run())
        .min_by_key(|s| s.allocations + s.reallocations)
        .expect("three runs")
}
