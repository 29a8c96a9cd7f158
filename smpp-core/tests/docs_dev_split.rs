//! A splitter for a 400-character UCS-2 text, written from the
//! documentation of `smpp_core::text`: the text is counted, split under
//! each method, each segment checked against its documented limits, the
//! parts reassembled with the fixed-capacity `Reassembler` and decoded
//! back.

use smpp_core::text::choose::{Concatenation, Encoding, choose, segment_count};
use smpp_core::text::reassembly::{Part, Reassembler, Status};
use smpp_core::text::split::{Content, Method, SplitError, Splitter};
use smpp_core::text::{OnUnmappable, decode_parts_into};
use smpp_core::{Body, COctet, DataCoding, Pdu, SubmitSm, TlvBuf};

/// 400 characters that need UCS-2: Cyrillic, with an emoji (a surrogate
/// pair) wherever a part of 67 (UDH 8-bit), 66 (16-bit) units could end.
fn text() -> String {
    let mut s = String::new();
    let mut chars = 0u32;
    while chars < 400 {
        let units: usize = s.chars().map(char::len_utf16).sum();
        if [66, 67, 133, 134, 199, 201].contains(&(units + 1)) {
            s.push('😀');
        } else {
            s.push(char::from_u32(0x0410 + chars % 32).unwrap());
        }
        chars += 1;
    }
    s
}

/// Splits `text` under `method`, checks every segment, reassembles them
/// and returns the number of parts.
fn round_trip(text: &str, method: Method, per_part: usize) -> usize {
    let splitter = Splitter::new(Content::Text(text, Encoding::Ucs2), method).unwrap();
    assert_eq!(splitter.data_coding(), 0x08);
    let concatenation = match method {
        Method::Udh8 { .. } => Concatenation::Udh8,
        Method::Udh16 { .. } => Concatenation::Udh16,
        Method::Sar { .. } => Concatenation::Sar,
        Method::Payload => Concatenation::Payload,
    };
    assert_eq!(
        segment_count(text, Encoding::Ucs2, concatenation),
        Ok(splitter.total())
    );

    let mut r: Reassembler<1, 8, 1024> = Reassembler::new();
    let mut done = None;
    let mut buf = [0u8; 255];
    let (mut tlvs, mut frame) = (TlvBuf::<64>::new(), [0u8; 512]);
    let template = SubmitSm {
        destination_addr: COctet::from("447700900123"),
        ..SubmitSm::default()
    };
    for n in splitter.segments() {
        let seg = splitter.segment(n, &mut buf).unwrap();
        assert_eq!(
            (usize::from(seg.seq), usize::from(seg.total)),
            (n + 1, splitter.total())
        );
        assert!(seg.len <= 140, "{seg:?}");
        assert!(seg.units <= per_part, "{seg:?}");
        assert_eq!(seg.units * 2, seg.len - seg.udh_len);
        // A part never ends with a high surrogate.
        let body = &buf[seg.udh_len..seg.len];
        let last = u16::from_be_bytes([body[body.len() - 2], body[body.len() - 1]]);
        assert!(
            !(0xD800..0xDC00).contains(&last),
            "part {n} ends inside a pair"
        );

        // As a PDU, then as the MC's receiver would read it.
        let sm = splitter
            .submit_sm(&seg, &template, &buf[..seg.len], &mut tlvs)
            .unwrap();
        assert_eq!(sm.esm_class.udhi(), seg.udhi);
        let len = Pdu::new(1, Body::SubmitSm(sm)).emit(&mut frame).unwrap();
        let pdu = Pdu::parse(&frame[..len]).unwrap();
        let Body::SubmitSm(sm) = pdu.body else {
            panic!("not a submit_sm")
        };
        let part = if let Some(sar) = seg.sar {
            Part::from_sar(
                sar.msg_ref_num,
                sar.total_segments,
                sar.segment_seqnum,
                sm.short_message,
            )
        } else {
            Part::from_short_message(sm.short_message, sm.esm_class.udhi())
                .unwrap()
                .expect("a part")
        };
        match r.insert(9, n as u64, part).unwrap() {
            Status::Complete(h) => done = Some(h),
            Status::Incomplete { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    let h = done.expect("complete");
    let mut out = [0u8; 2048];
    let back = decode_parts_into(
        r.parts_with_tables(h).unwrap(),
        DataCoding::UCS2,
        OnUnmappable::Error,
        &mut out,
    )
    .unwrap();
    assert_eq!(back, Some(text));
    assert!(r.remove(h));
    splitter.total()
}

#[test]
fn a_400_character_ucs2_text_in_every_method() {
    let text = text();
    assert_eq!(text.chars().count(), 400);
    assert_eq!(choose(&text, &[]), Encoding::Ucs2);
    let units: usize = text.chars().map(char::len_utf16).sum();
    assert!(round_trip(&text, Method::Udh8 { reference: 0x42 }, 67) >= units.div_ceil(67));
    assert!(round_trip(&text, Method::Udh16 { reference: 0x4242 }, 66) >= units.div_ceil(66));
    assert!(round_trip(&text, Method::Sar { reference: 7 }, 67) >= units.div_ceil(67));
}

/// `Method::Payload`: one segment, carried in `message_payload`; too long a
/// payload is refused with the length it would need.
#[test]
fn payload_holds_the_whole_text_and_refuses_more_than_65535_octets() {
    let text = text();
    let splitter = Splitter::new(Content::Text(&text, Encoding::Ucs2), Method::Payload).unwrap();
    assert_eq!(splitter.total(), 1);
    let mut buf = [0u8; 1024];
    let seg = splitter.segment(0, &mut buf).unwrap();
    assert!(!seg.udhi);
    let units: usize = text.chars().map(char::len_utf16).sum();
    assert_eq!(seg.len, 2 * units);

    let long = "Ж".repeat(32_768); // 65,536 octets
    assert_eq!(
        Splitter::new(Content::Text(&long, Encoding::Ucs2), Method::Payload).unwrap_err(),
        SplitError::MessagePayloadTooLong { len: 65_536 }
    );
}

/// The errors `segment` documents: an index past the last segment, a
/// buffer too small; and more than 255 segments at `new`.
#[test]
fn split_errors() {
    let text = text();
    let splitter = Splitter::new(
        Content::Text(&text, Encoding::Ucs2),
        Method::Udh8 { reference: 1 },
    )
    .unwrap();
    let mut buf = [0u8; 255];
    assert_eq!(
        splitter.segment(splitter.total(), &mut buf),
        Err(SplitError::NoSuchSegment)
    );
    let mut small = [0u8; 100];
    assert_eq!(
        splitter.segment(0, &mut small),
        Err(SplitError::BufferTooSmall)
    );
    let huge = "Ж".repeat(67 * 255 + 1);
    assert_eq!(
        Splitter::new(
            Content::Text(&huge, Encoding::Ucs2),
            Method::Udh8 { reference: 1 }
        )
        .unwrap_err(),
        SplitError::TooManySegments
    );
    let max = "Ж".repeat(67 * 255);
    assert_eq!(
        Splitter::new(
            Content::Text(&max, Encoding::Ucs2),
            Method::Udh8 { reference: 1 }
        )
        .unwrap()
        .total(),
        255
    );
}
