//! The smpp-std FrameDecoder and SmppReader fed a stream in arbitrary chunks: the frames frame_len cuts from the whole stream.
//! The oracle lives in `smpp_tests::fuzzing`, shared with the stable
//! corpus replay test.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| smpp_tests::fuzzing::frame_decoder(data));
