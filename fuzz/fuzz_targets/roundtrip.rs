//! An `Arbitrary` PDU encodes, decodes back equal, and re-encodes identically.
//! The oracle lives in `smpp_tests::fuzzing`, shared with the stable
//! corpus replay test.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| smpp_tests::fuzzing::roundtrip(data));
