//! The tokio session of `smpp-std` (client or server side) against an
//! adversarial peer over a small in-memory pipe, on a virtual clock: every
//! run must end, every request of the application come back with an
//! outcome, no request of the peer be answered twice, and the live heap
//! stay under a bound. The oracle lives in `smpp_tests::fuzzing`, shared
//! with the stable corpus replay test.
#![no_main]

use std::alloc::System;

use libfuzzer_sys::fuzz_target;
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Octets allocated and not freed, reallocations counted.
fn live() -> usize {
    let stats = GLOBAL.stats();
    let net = i128::try_from(stats.bytes_allocated).unwrap_or(i128::MAX)
        + i128::try_from(stats.bytes_reallocated).unwrap_or(0)
        - i128::try_from(stats.bytes_deallocated).unwrap_or(i128::MAX);
    usize::try_from(net.max(0)).unwrap_or(usize::MAX)
}

fuzz_target!(|data: &[u8]| smpp_tests::fuzzing::session_driver_with(data, Some(live)));
