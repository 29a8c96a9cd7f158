//! Decoding (`Pdu::parse`) and encoding (`Pdu::emit`) never touch the heap:
//! a counting global allocator sees zero allocations for every golden
//! vector, for the error of every truncated prefix (and the reply it
//! names), and for iterating and typing every TLV and every entry of the
//! `submit_multi` lists.
//!
//! One test function only: the counter is process-wide, and the test
//! harness runs test functions on parallel threads. The harness's own
//! thread may still allocate while a region counts (seen on a loaded
//! machine), so each figure is the fewest of three runs: a code path that
//! allocates does so in every run.

use std::alloc::System;

use smpp_core::{Body, Pdu, TlvValue, Tlvs};
use smpp_tests::fuzzing::{body_tlvs, golden_vectors};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, Stats, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// What `run` returns and allocates, in the run of three that allocates
/// least.
fn fewest<T>(mut run: impl FnMut() -> T) -> (T, Stats) {
    let mut best: Option<(T, Stats)> = None;
    for _ in 0..3 {
        let region = Region::new(GLOBAL);
        let out = run();
        let stats = region.change();
        let count = |s: &Stats| s.allocations + s.reallocations;
        if best.as_ref().is_none_or(|(_, b)| count(&stats) < count(b)) {
            best = Some((out, stats));
        }
    }
    best.expect("three runs")
}

#[test]
#[allow(clippy::too_many_lines)] // one test: the counter is process-wide
fn parse_and_emit_allocate_nothing() {
    let vectors = golden_vectors();
    assert!(vectors.len() >= 39, "only {} vectors", vectors.len());
    let mut out = vec![0u8; 4096];
    let mut results = Vec::with_capacity(vectors.len());

    // The counter works: a heap allocation inside a region is seen.
    let region = Region::new(GLOBAL);
    let boxed = core::hint::black_box(Box::new(7u64));
    drop(boxed);
    assert_eq!(region.change().allocations, 1);

    for (name, bytes) in &vectors {
        let (pdu, parsed) = fewest(|| Pdu::parse(core::hint::black_box(bytes)));
        let pdu = pdu.unwrap_or_else(|e| panic!("{name}: {e}"));
        let (written, emitted) = fewest(|| pdu.emit(core::hint::black_box(&mut out)));

        results.push((name, parsed, emitted, written));
    }

    for (name, parsed, emitted, written) in results {
        assert_eq!(
            (parsed.allocations, parsed.reallocations),
            (0, 0),
            "{name}: parse"
        );
        assert_eq!(
            (emitted.allocations, emitted.reallocations),
            (0, 0),
            "{name}: emit"
        );
        let bytes = &vectors.iter().find(|(n, _)| n == name).unwrap().1;
        assert_eq!(written, Ok(bytes.len()), "{name}");
    }

    // The error path: every strict prefix fails, with a reply, and nothing
    // is allocated on the way.
    let ((failures, statuses), errors) = fewest(|| {
        let mut failures = 0usize;
        let mut statuses = 0u64;
        for (_, bytes) in &vectors {
            for n in 0..bytes.len() {
                if let Err(err) = Pdu::parse(core::hint::black_box(&bytes[..n])) {
                    let reply = err.reply();
                    statuses += u64::from(reply.command_status.0);
                    core::hint::black_box((err.kind(), reply.sequence_number));
                    failures += 1;
                }
            }
        }
        (failures, statuses)
    });
    let prefixes: usize = vectors.iter().map(|(_, b)| b.len()).sum();
    assert_eq!(failures, prefixes, "every strict prefix fails");
    assert!(statuses > 0);
    assert_eq!(
        (errors.allocations, errors.reallocations),
        (0, 0),
        "error path: {errors:?}"
    );

    // TLV regions: iterate, look up, type and write back every value.
    let views: Vec<Pdu<&[u8]>> = vectors
        .iter()
        .map(|(_, b)| Pdu::parse(b).unwrap())
        .collect();
    let mut value = [0u8; 4096];
    let ((tlvs_seen, typed_written, entries), walked) = fewest(|| {
        let mut tlvs_seen = 0usize;
        let mut typed_written = 0usize;
        let mut entries = 0usize;
        for pdu in &views {
            // The submit_multi lists, decoded lazily from the frame.
            entries += match &pdu.body {
                Body::SubmitMulti(m) => m.dest_address.iter().count(),
                Body::SubmitMultiResp(Some(r)) => r.unsuccess_sme.iter().count(),
                _ => 0,
            };
            let Some(raw) = body_tlvs(&pdu.body) else {
                continue;
            };
            let tlvs = Tlvs::parse(core::hint::black_box(raw)).unwrap();
            for tlv in &tlvs {
                tlvs_seen += 1;
                let typed = tlv.typed();
                assert!(tlvs.get(tlv.tag).is_some());
                if !matches!(typed, TlvValue::Unknown(..)) {
                    typed_written += typed.write_value(&mut value).unwrap();
                }
                core::hint::black_box((tlv.as_u8(), tlv.as_u16(), tlv.as_u32(), tlv.as_cstr()));
            }
        }
        (tlvs_seen, typed_written, entries)
    });
    assert!(tlvs_seen >= 10, "only {tlvs_seen} TLVs among the vectors");
    assert!(entries >= 4, "only {entries} submit_multi list entries");
    assert!(typed_written > 0);
    assert_eq!(
        (walked.allocations, walked.reallocations),
        (0, 0),
        "TLV and list iteration, typed(): {walked:?}"
    );
}
