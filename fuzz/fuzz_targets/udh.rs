//! User data headers: Udh::split, the raw and typed elements, and writing them back give the input's octets.
//! The oracle lives in `smpp_tests::fuzzing`, shared with the stable
//! corpus replay test.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| smpp_tests::fuzzing::udh(data));
