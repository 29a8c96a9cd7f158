//! The fixed-capacity reassembler of smpp-core driven by parts (from user
//! data headers and SAR values), clock ticks, expiry and handle use, checked
//! against a model after every step. The oracle lives in
//! `smpp_tests::fuzzing`, shared with the stable corpus replay test.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| smpp_tests::fuzzing::reassembly(data));
