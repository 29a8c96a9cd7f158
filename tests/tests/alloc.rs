//! Decoding (`Pdu::parse`) and encoding (`Pdu::emit`) never touch the heap:
//! a counting global allocator sees zero allocations for every golden
//! vector.
//!
//! One test function only: the counter is process-wide, and the test
//! harness runs test functions on parallel threads.

use std::alloc::System;

use smpp_core::Pdu;
use smpp_tests::fuzzing::golden_vectors;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[test]
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
        let region = Region::new(GLOBAL);
        let pdu = Pdu::parse(core::hint::black_box(bytes));
        let parsed = region.change();
        let pdu = pdu.unwrap_or_else(|e| panic!("{name}: {e}"));

        let region = Region::new(GLOBAL);
        let written = pdu.emit(core::hint::black_box(&mut out));
        let emitted = region.change();

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
}
