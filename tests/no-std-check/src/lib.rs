//! A `#![no_std]` staticlib that links `smpp-core` with default features
//! off and uses its decoder, encoder, TLV builder, text tools and session
//! engine, and the [`firmware`] and [`device`] examples. It has its
//! own panic handler, so if `smpp-core` (or anything it depends on) pulled
//! in `std`, this crate would no longer build. Its tests (which run on the
//! host, with `std`) check what the example does.

#![cfg_attr(not(test), no_std)]

pub mod device;
pub mod firmware;

use core::hint::black_box;

use smpp_core::session::{BindType, Config, Event, Fixed, Millis, Session};
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

/// A session engine with a window of 4 and a 512-octet transmit queue.
type Engine = Session<Fixed<4, 512>>;

/// Hands every PDU `from` queued to `to`; returns the octets moved.
fn pump(from: &mut Engine, to: &mut Engine, now: Millis) -> usize {
    let mut buf = [0u8; 512];
    let mut moved = 0;
    while let Some(n) = from.poll_transmit(&mut buf, Millis(0)) {
        let mut rest = buf.get(..n).unwrap_or_default();
        while let Ok(Some(len)) = frame_len(rest, 4096) {
            let (frame, tail) = rest.split_at(len);
            if to.handle_frame(frame, now).is_err() {
                return moved;
            }
            rest = tail;
        }
        moved += n;
    }
    moved
}

/// Binds an ESME session to an MC session in memory, submits one message
/// and unbinds. Returns the octets exchanged, or 0 if a step failed.
pub fn session(text: &str) -> usize {
    let now = Millis(0);
    let Ok(esme_config) = Config::esme(BindType::Transceiver).with_system_id("esme") else {
        return 0;
    };
    let Ok(mc_config) = Config::mc().with_system_id("mc") else {
        return 0;
    };
    let mut esme = Engine::new(esme_config, now);
    let mut mc = Engine::new(mc_config, now);
    if esme.bind(now).is_err() {
        return 0;
    }
    let mut moved = pump(&mut esme, &mut mc, now);
    if mc.accept_bind(CommandStatus::ESME_ROK, now).is_err() {
        return 0;
    }
    moved += pump(&mut mc, &mut esme, now);
    let submit = Body::SubmitSm(SubmitSm {
        short_message: text.as_bytes(),
        ..SubmitSm::default()
    });
    if esme.send_request(submit, 1, now).is_err() {
        return 0;
    }
    moved += pump(&mut esme, &mut mc, now);
    while let Some(event) = mc.poll_event() {
        if let Event::IncomingRequest {
            sequence_number, ..
        } = event
        {
            let _ = mc.respond_status(sequence_number, CommandStatus::ESME_ROK, now);
        }
    }
    moved += pump(&mut mc, &mut esme, now);
    let _ = esme.unbind(now);
    moved += pump(&mut esme, &mut mc, now);
    moved += pump(&mut mc, &mut esme, now);
    let answered = core::iter::from_fn(|| esme.poll_event())
        .filter(|e| matches!(e, Event::Response { .. }))
        .count();
    if answered == 1 && esme.is_closed() {
        moved
    } else {
        0
    }
}

/// Runs every function once, so that the linker keeps them.
pub fn check() -> usize {
    let mut out = [0u8; 256];
    let n = submit(black_box(1), black_box("Hello @ world"), &mut out);
    let mut again = [0u8; 256];
    let m = reencode(black_box(&out[..n]), &mut again);
    let exchanged = session(black_box("Hello"));
    // The firmware example: a long text split into frames, fed back
    // through a link in chunks of 7 octets.
    let mut link = firmware::Link::new();
    let mut answered = 0;
    let mut received = 0;
    let sent = firmware::send_text(
        black_box("Привет, мир! Это сообщение длиннее одной части SMS, поэтому оно идёт в двух."),
        "447700900123",
        1,
        1,
        &mut |frame: &[u8]| {
            for chunk in frame.chunks(7) {
                let _ = link.on_octets(
                    chunk,
                    &mut |answer: &[u8]| answered += answer.len(),
                    &mut |_: firmware::Received<'_>| received += 1,
                );
            }
        },
    )
    .unwrap_or(0);
    // The same on the session engine: a device that answers whatever
    // comes (here only the bind's octets of a peer, by hand).
    let mut device_answered = 0;
    if let Ok(mut device) = device::Device::new("DEVICE", Millis(0)) {
        let bind = [
            0, 0, 0, 23, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0x34, 0, 0, 0,
        ];
        let _ = device.on_octets(
            black_box(&bind),
            Millis(0),
            &mut |answer: &[u8]| device_answered += answer.len(),
            &mut |_: firmware::Received<'_>| received += 1,
        );
    }
    black_box(usize::try_from(m).unwrap_or(0) + exchanged + answered + received + device_answered)
        + usize::try_from(sent).unwrap_or(0)
}

/// The sizes smpp-core documents for 32-bit targets (the Cortex-M column),
/// checked when this crate is built for one, as CI does for
/// `thumbv7em-none-eabihf`.
#[cfg(target_pointer_width = "32")]
const _: () = {
    use core::mem::size_of;
    use smpp_core::FrameBuf;
    use smpp_core::text::reassembly::Reassembler;
    use smpp_core::text::split::Splitter;
    assert!(size_of::<Splitter<'static>>() == 1056);
    assert!(size_of::<Reassembler<1, 4, 536>>() == 624);
    assert!(size_of::<Reassembler<4, 8, 512>>() == 2592);
    assert!(size_of::<Reassembler<8, 16, 2048>>() == 18_240);
    assert!(size_of::<FrameBuf<512>>() == 512 + 12);
};

#[cfg(not(test))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
