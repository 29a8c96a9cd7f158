//! A session engine driven by frames from its peer (valid, `Arbitrary` and
//! raw), clock ticks and application commands, its invariants checked after
//! every step. The oracle lives in `smpp_tests::fuzzing`, shared with the
//! stable corpus replay test.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| smpp_tests::fuzzing::session(data));
