//! Delivery receipt texts: fields are slices of the input, and a formatted receipt parses back equal.
//! The oracle lives in `smpp_tests::fuzzing`, shared with the stable
//! corpus replay test.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| smpp_tests::fuzzing::receipt(data));
