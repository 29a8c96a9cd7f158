//! SMPP time strings: SmppTime::parse accepts exactly the format, and formats back to the same octets.
//! The oracle lives in `smpp_tests::fuzzing`, shared with the stable
//! corpus replay test.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| smpp_tests::fuzzing::smpp_time(data));
