//! GSM 7-bit unpack/pack and decode/encode/decode, and UCS-2 decode/encode, on any octets.
//! The oracle lives in `smpp_tests::fuzzing`, shared with the stable
//! corpus replay test.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| smpp_tests::fuzzing::gsm7(data));
