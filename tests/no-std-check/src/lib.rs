//! A `#![no_std]` staticlib that links `smpp-core` with default features
//! off and uses its decoder, encoder, TLV builder and text tools. It has its
//! own panic handler, so if `smpp-core` (or anything it depends on) pulled
//! in `std`, this crate would no longer build.

#![no_std]

use core::hint::black_box;

use smpp_core::text::{OnUnmappable, gsm7};
use smpp_core::{Body, COctet, CommandStatus, Npi, Pdu, SubmitSm, TlvBuf, TlvTag, Ton, frame_len};

/// Decodes the first whole frame of `input` and encodes it again into
/// `out`. Returns the octets written, or the `command_status` a peer would
/// get for a bad frame (as a negative number).
pub fn reencode(input: &[u8], out: &mut [u8]) -> i64 {
    let Ok(Some(len)) = frame_len(input, 4096) else {
        return -i64::from(CommandStatus::ESME_RINVCMDLEN.0);
    };
    let Some(frame) = input.get(..len) else {
        return -1;
    };
    match Pdu::parse(frame) {
        Ok(pdu) => match pdu.emit(out) {
            Ok(n) => i64::try_from(n).unwrap_or(-1),
            Err(e) => -i64::from(e.command_status().0),
        },
        Err(e) => -i64::from(e.command_status().0),
    }
}

/// Builds a `submit_sm` with a TLV and a GSM 7-bit text and encodes it into
/// `out`. Returns the octets written, or 0 on error.
pub fn submit(sequence_number: u32, text: &str, out: &mut [u8]) -> usize {
    let mut septets = [0u8; 160];
    let Ok(n) = gsm7::encode_unpacked(
        text,
        gsm7::Tables::DEFAULT,
        OnUnmappable::Error,
        &mut septets,
    ) else {
        return 0;
    };
    let mut tlvs = TlvBuf::<16>::new();
    if tlvs.push_u16(TlvTag::USER_MESSAGE_REFERENCE, 7).is_err() {
        return 0;
    }
    let submit = SubmitSm {
        source_addr_ton: Ton::ALPHANUMERIC,
        source_addr: COctet::from("INFO"),
        dest_addr_ton: Ton::INTERNATIONAL,
        dest_addr_npi: Npi::ISDN,
        destination_addr: COctet::from("447700900123"),
        short_message: septets.get(..n).unwrap_or_default(),
        tlvs: tlvs.tlvs(),
        ..SubmitSm::default()
    };
    let pdu = Pdu::new(sequence_number, Body::SubmitSm(submit));
    pdu.emit(out).unwrap_or(0)
}

/// Runs both functions once, so that the linker keeps them.
pub fn check() -> usize {
    let mut out = [0u8; 256];
    let n = submit(black_box(1), black_box("Hello @ world"), &mut out);
    let mut again = [0u8; 256];
    let m = reencode(black_box(&out[..n]), &mut again);
    black_box(usize::try_from(m).unwrap_or(0))
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
