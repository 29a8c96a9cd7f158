//! The memory of the fixed-capacity pieces, as their documentation gives it
//! (64-bit targets; the `no_std` check crate holds the 32-bit figures when
//! built for a 32-bit target).

#![cfg(target_pointer_width = "64")]

use core::mem::size_of;

use smpp_core::FrameBuf;
use smpp_core::text::reassembly::Reassembler;
use smpp_core::text::split::Splitter;

#[test]
fn splitter_and_reassembler_sizes_are_as_documented() {
    assert_eq!(size_of::<Splitter<'static>>(), 1080);
    assert_eq!(size_of::<Reassembler<1, 4, 536>>(), 672);
    assert_eq!(size_of::<Reassembler<4, 8, 512>>(), 2976);
    assert_eq!(size_of::<Reassembler<8, 16, 2048>>(), 19_776);
}

#[test]
fn a_frame_buffer_is_its_capacity_and_three_words() {
    assert_eq!(size_of::<FrameBuf<512>>(), 512 + 24);
    assert_eq!(size_of::<FrameBuf<70_000>>(), 70_000 + 24);
}

#[test]
fn session_sizes_are_as_documented() {
    use smpp_core::session::{Fixed, Session};
    // The default: a window of 16 each way and 4 KiB to send.
    assert_eq!(size_of::<Session>(), size_of::<Session<Fixed<16, 4096>>>());
    assert_eq!(size_of::<Session<Fixed<16, 4096>>>(), 5952);
    // For a small device: a window of 2 each way and 512 octets to send
    // (room for a submit_sm of 160 GSM characters and the engine's own).
    assert_eq!(size_of::<Session<Fixed<2, 512>>>(), 1696);
    assert!(size_of::<Session<Fixed<4, 1024>>>() < 4096);
}
