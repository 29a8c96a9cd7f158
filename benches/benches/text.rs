//! smpp-core's text tools against its peers on the same texts: GSM 7-bit
//! encode and decode (unpacked septets, as `data_coding` 0 carries them),
//! packing 8-in-7, and splitting a long text into concatenated parts; and
//! smpp-std's reassembler refusing a part of a peer at its memory cap while
//! many other peers' messages are held.
//!
//! Run: `cargo bench -p smpp-benches --bench text -- --warm-up-time 1 --measurement-time 2`.

#![allow(missing_docs, clippy::missing_panics_doc)]

use core::hint::black_box;
use core::time::Duration;
use std::time::Instant;

use bytes::Bytes;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use smpp_benches::{GSM_TEXT_160, GSM_TEXT_MIXED, long_gsm_text, long_ucs2_text, septets};
use smpp_core::text::OnUnmappable;
use smpp_core::text::choose::Encoding;
use smpp_core::text::gsm7::{self, Tables};
use smpp_core::text::split::{Content, Method, Splitter};
use smpp_std::reassembly::{Config, MessageKey, Reassembler, ReassemblyError, ReferenceKind};

/// A group of `name` whose every run handles `elements` characters or
/// septets.
fn group(c: &mut Criterion, name: String, elements: usize) -> BenchmarkGroup<'_, WallTime> {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(elements as u64));
    g
}

fn gsm7_codec(c: &mut Criterion) {
    let rusmpp_encoder = rusmpp::extra::encoding::gsm7bit::Gsm7BitUnpacked::new();
    for (name, text) in [("ascii_160", GSM_TEXT_160), ("mixed_160", GSM_TEXT_MIXED)] {
        let mut g = group(c, format!("text/gsm7_encode_{name}"), text.chars().count());
        let mut out = [0u8; 512];
        g.bench_function("smpp-core", |b| {
            b.iter(|| {
                gsm7::encode_unpacked(
                    black_box(text),
                    Tables::DEFAULT,
                    OnUnmappable::Error,
                    &mut out,
                )
                .unwrap()
            });
        });
        g.bench_function("rusmpp", |b| {
            b.iter(|| rusmpp_encoder.encode_to_vec(black_box(text)).unwrap());
        });
        g.bench_function("smpp-codec", |b| {
            b.iter(|| smpp_codec::encoding::gsm_7bit_encode(black_box(text)).unwrap());
        });
        g.finish();

        let encoded = septets(text);
        let mut g = group(c, format!("text/gsm7_decode_{name}"), text.chars().count());
        let mut utf8 = [0u8; 1024];
        g.bench_function("smpp-core", |b| {
            b.iter(|| {
                gsm7::decode_to_utf8(
                    black_box(&encoded),
                    Tables::DEFAULT,
                    OnUnmappable::Error,
                    &mut utf8,
                )
                .unwrap()
            });
        });
        g.bench_function("smpp-core-string", |b| {
            b.iter(|| {
                gsm7::decode_unpacked(black_box(&encoded), Tables::DEFAULT, OnUnmappable::Error)
                    .collect::<Result<String, _>>()
                    .unwrap()
            });
        });
        g.bench_function("smpp-codec", |b| {
            b.iter(|| smpp_codec::encoding::gsm_7bit_decode(black_box(&encoded)));
        });
        g.finish();

        let mut g = group(c, format!("text/gsm7_pack_{name}"), encoded.len());
        let mut packed = [0u8; 512];
        g.bench_function("smpp-core", |b| {
            b.iter(|| gsm7::pack(black_box(&encoded), 0, &mut packed).unwrap());
        });
        g.finish();
    }
}

fn split(c: &mut Criterion) {
    let gsm = long_gsm_text();
    let ucs2 = long_ucs2_text();
    let cases = [
        (
            "split_gsm_1000",
            gsm.as_str(),
            Encoding::Gsm7(Tables::DEFAULT),
        ),
        ("split_ucs2_400", ucs2.as_str(), Encoding::Ucs2),
    ];
    for (name, text, encoding) in cases {
        let mut g = group(c, format!("text/{name}"), text.chars().count());
        let mut part = [0u8; 256];
        g.bench_function("smpp-core", |b| {
            b.iter(|| {
                let splitter = Splitter::new(
                    Content::Text(black_box(text), encoding),
                    Method::Udh8 { reference: 7 },
                )
                .unwrap();
                let mut octets = 0;
                for n in 0..splitter.total() {
                    octets += splitter.segment(n, &mut part).unwrap().len;
                    black_box(&part);
                }
                octets
            });
        });
        let coding = match encoding {
            Encoding::Ucs2 => smpp_codec::splitter::EncodingType::Ucs2,
            _ => smpp_codec::splitter::EncodingType::Gsm7Bit,
        };
        g.bench_function("smpp-codec", |b| {
            b.iter(|| {
                smpp_codec::splitter::MessageSplitter::split(
                    black_box(text).to_owned(),
                    coding,
                    smpp_codec::splitter::SplitMode::Udh,
                )
                .unwrap()
            });
        });
        g.finish();
    }
}

/// The key of a message from `peer` with a 16-bit `reference`.
fn reassembly_key(peer: u32, reference: u16) -> MessageKey<u32> {
    MessageKey::new(
        peer,
        "447700900001",
        "40404",
        ReferenceKind::Udh16,
        reference,
    )
}

/// Peer 0 fills its cap (64 KiB) at `now`; then the benchmark `name` times
/// the first part of one more message of it, which is refused.
fn refused_at_cap(c: &mut Criterion, name: &str, mut r: Reassembler<u32>, now: Instant) {
    let part = Bytes::from_static(b"x");
    let mut reference = 0;
    while r
        .insert(now, reassembly_key(0, reference), 2, 1, part.clone())
        .is_ok()
    {
        reference += 1;
    }
    let mut g = group(c, format!("text/{name}"), 1);
    g.bench_function("smpp-std", |b| {
        b.iter(|| {
            let refused = r.insert(now, reassembly_key(0, u16::MAX), 2, 1, part.clone());
            assert!(matches!(
                refused,
                Err(ReassemblyError::MemoryCapExceeded { .. })
            ));
        });
    });
    g.finish();
}

const REASSEMBLY_TIMEOUT: Duration = Duration::from_mins(5);

fn reassembler() -> Reassembler<u32> {
    Reassembler::new(Config {
        timeout: REASSEMBLY_TIMEOUT,
        max_bytes_per_peer: 64 * 1024,
    })
}

/// A peer at its cap sends the first part of one more message, which is
/// refused, while 1,000 other peers hold as many messages as their caps
/// allow (about 190 each); then the same with 1,000 other peers' reports
/// waiting for `expire` (100 each, from references reused after the time
/// limit) and none of the peer's own.
fn reassembly_at_cap(c: &mut Criterion) {
    let part = Bytes::from_static(b"x");
    let (start, later) = (Instant::now(), Instant::now() + REASSEMBLY_TIMEOUT * 2);
    let mut full = reassembler();
    for peer in 1..=1000 {
        let mut reference = 0;
        while full
            .insert(start, reassembly_key(peer, reference), 2, 1, part.clone())
            .is_ok()
        {
            reference += 1;
        }
    }
    refused_at_cap(c, "reassembly_refused_at_cap", full, start);
    let mut reports = reassembler();
    for peer in 1..=1000 {
        for now in [start, later] {
            for reference in 0..100 {
                reports
                    .insert(now, reassembly_key(peer, reference), 2, 1, part.clone())
                    .unwrap();
            }
        }
    }
    refused_at_cap(c, "reassembly_refused_at_cap_reports", reports, later);
}

criterion_group!(benches, gsm7_codec, split, reassembly_at_cap);
criterion_main!(benches);
