//! Encoding choice, splitting and reassembly.

#![allow(clippy::cast_possible_truncation, clippy::unreadable_literal)]

mod common;

use common::gsm7::KNOWN_PACKED;
use common::ie::{concat8, concat16, port8, port16};
use proptest::prelude::*;
use smpp_core::text::choose::{
    Concatenation, Encoding, choose, choose_for, segment_count, segment_count_with,
};
use smpp_core::text::gsm7::{self, Language, Tables};
use smpp_core::text::reassembly::{
    Handle, Part, Pending, Reassembler, ReassemblyError, ReferenceKind, Status,
};
use smpp_core::text::split::{
    Content, MAX_MESSAGE_PAYLOAD, Method, Sar, SplitError, SplitOptions, Splitter,
};
use smpp_core::text::udh::{Ie, Udh};
use smpp_core::text::{OnUnmappable, TextError, ucs2};
use smpp_core::{DeliverSm, EsmClass, Tlvs};

const GSM: Encoding = Encoding::Gsm7(Tables::DEFAULT);

/// A splitter for content it must accept.
fn split(content: Content<'_>, method: Method) -> Splitter<'_> {
    Splitter::new(content, method).unwrap()
}

/// Options that add these information elements to every part.
fn with_ies<'a>(ies: &'a [Ie<'a>]) -> SplitOptions<'a> {
    SplitOptions {
        ies,
        ..SplitOptions::default()
    }
}

/// The 8-bit concatenation header with reference 1.
const UDH8: Method = Method::Udh8 { reference: 1 };

/// Text as packed septets of the default tables.
fn packed(text: &str) -> Content<'_> {
    Content::PackedGsm7(text, Tables::DEFAULT)
}

#[test]
fn capacities() {
    assert_eq!(GSM.capacity(0), 160);
    assert_eq!(Encoding::Latin1.capacity(0), 140);
    assert_eq!(Encoding::Ucs2.capacity(0), 70);
    assert_eq!(GSM.capacity(6), 153);
    assert_eq!(Encoding::Latin1.capacity(6), 134);
    assert_eq!(Encoding::Ucs2.capacity(6), 67);
    assert_eq!(GSM.capacity(7), 152);
    assert_eq!(Encoding::Latin1.capacity(7), 133);
    assert_eq!(Encoding::Ucs2.capacity(7), 66);
    // Concatenation plus one shift element: 9-octet header.
    assert_eq!(GSM.capacity(9), 149);
    // A shift element alone: 4-octet header.
    assert_eq!(GSM.capacity(4), 155);
}

#[test]
fn segment_counts() {
    use Concatenation::{Payload, Udh8, Udh16};
    let tr = Encoding::Gsm7(Tables::single_shift(Language::Turkish));
    // (character, how many, encoding, concatenation, segments)
    let cases = [
        ("a", 160, GSM, Udh8, 1),
        ("a", 161, GSM, Udh8, 2),
        ("a", 306, GSM, Udh8, 2),
        ("a", 307, GSM, Udh8, 3),
        ("a", 304, GSM, Udh16, 2),
        ("a", 305, GSM, Udh16, 3),
        ("€", 80, GSM, Udh8, 1),
        ("€", 81, GSM, Udh8, 2),
        ("ж", 70, Encoding::Ucs2, Udh8, 1),
        ("ж", 71, Encoding::Ucs2, Udh8, 2),
        ("ж", 134, Encoding::Ucs2, Udh8, 2),
        ("ж", 135, Encoding::Ucs2, Udh8, 3),
        ("ж", 133, Encoding::Ucs2, Udh16, 3),
        ("ж", 1000, Encoding::Ucs2, Payload, 1),
        ("a", 155, tr, Udh8, 1),
        ("a", 156, tr, Udh8, 2),
        ("a", 298, tr, Udh8, 2),
        ("a", 299, tr, Udh8, 3),
    ];
    for (ch, n, enc, concat, segments) in cases {
        assert_eq!(
            segment_count(&ch.repeat(n), enc, concat),
            Ok(segments),
            "{n} x {ch:?} in {enc:?} with {concat:?}"
        );
    }
}

#[test]
fn choosing() {
    assert_eq!(choose("Hello {world}", &[]), GSM);
    assert_eq!(choose("Привет", &[Language::Turkish]), Encoding::Ucs2);
    assert_eq!(choose("Ğ", &[]), Encoding::Ucs2);
    let e = choose(
        "İstanbul'da güzel bir gün",
        &[Language::Spanish, Language::Turkish],
    );
    assert!(
        matches!(e, Encoding::Gsm7(t) if t.locking() == Language::Turkish || t.single() == Language::Turkish)
    );
    assert_eq!(
        choose("¿Qué tal? Ú", &[Language::Spanish]),
        Encoding::Gsm7(Tables::single_shift(Language::Spanish))
    );
    assert_eq!(GSM.data_coding(), 0x00);
    assert_eq!(Encoding::Ucs2.data_coding(), 0x08);
}

#[test]
fn udh8_segments() {
    let text = "x".repeat(200);
    let s = split(Content::Text(&text, GSM), Method::Udh8 { reference: 0x42 });
    assert_eq!(s.total(), 2);
    let mut out = [0u8; 255];
    let seg = s.segment(1, &mut out).unwrap();
    assert_eq!(out[..6], [0x05, 0x00, 0x03, 0x42, 0x02, 0x02]);
    assert_eq!(seg.len, 6 + 47);
    assert!(seg.udhi);
    assert_eq!(seg.sar, None);
    assert_eq!(s.segment(2, &mut out), Err(SplitError::NoSuchSegment));
}

#[test]
fn single_segment_has_no_udh() {
    let s = split(Content::Text("hi", GSM), Method::Udh16 { reference: 1 });
    let mut out = [0u8; 16];
    let seg = s.segment(0, &mut out).unwrap();
    assert_eq!((seg.len, seg.udhi, seg.udh_len), (2, false, 0));
    assert_eq!(&out[..2], b"hi");
}

#[test]
fn sar_segments() {
    let text = "ж".repeat(100);
    let s = split(
        Content::Text(&text, Encoding::Ucs2),
        Method::Sar { reference: 0x1234 },
    );
    assert_eq!(s.total(), 2);
    assert_eq!(s.data_coding(), 0x08);
    let mut out = [0u8; 255];
    let seg = s.segment(0, &mut out).unwrap();
    assert!(!seg.udhi);
    assert_eq!(seg.len, 134);
    assert_eq!(
        seg.sar,
        Some(Sar {
            msg_ref_num: 0x1234,
            total_segments: 2,
            segment_seqnum: 1
        })
    );
    assert_eq!(out[..2], [0x04, 0x36]);
    // SAR parts leave room for the concatenation header the MC adds for the handset: 153
    // septets or 134 octets, as with the 8-bit element, not 160 or 140.
    let text = "x".repeat(200);
    let s = split(Content::Text(&text, GSM), Method::Sar { reference: 1 });
    assert_eq!(s.total(), 2);
    let seg = s.segment(0, &mut out).unwrap();
    assert_eq!((seg.udh_len, seg.units, seg.len), (0, 153, 153));
    let data = [0u8; 200];
    let s = split(Content::Binary(&data), Method::Sar { reference: 1 });
    assert_eq!(s.segment(0, &mut out).unwrap().len, 134);
    // A message that fits one SMS is sent whole, with no SAR TLVs.
    let s = split(
        Content::Text(&text[..160], GSM),
        Method::Sar { reference: 1 },
    );
    assert_eq!(s.total(), 1);
    assert_eq!(s.segment(0, &mut out).unwrap().sar, None);
}

#[test]
fn payload_is_whole() {
    let text = "y".repeat(1000);
    let s = split(Content::Text(&text, GSM), Method::Payload);
    assert_eq!(s.total(), 1);
    let mut out = [0u8; 1000];
    assert_eq!(s.segment(0, &mut out).unwrap().len, 1000);
}

#[test]
fn payload_longer_than_a_message_payload_tlv_is_refused_up_front() {
    assert_eq!(MAX_MESSAGE_PAYLOAD, 65_535);
    let binary = vec![0x42u8; 70_000];
    let a = "a".repeat(80_000);
    let zh = "ж".repeat(40_000);
    let ports = [port16(2948, 9200)];
    let with_ports = with_ies(&ports);
    let turkish = Encoding::Gsm7(Tables::single_shift(Language::Turkish));
    let none = SplitOptions::default();
    // (content, options, octets of the message_payload value)
    let cases: [(Content<'_>, SplitOptions<'_>, usize); 12] = [
        (Content::Binary(&binary[..65_535]), none, 65_535),
        (Content::Binary(&binary[..65_536]), none, 65_536),
        (Content::Binary(&binary), none, 70_000),
        // A header counts: UDHL and the 6-octet port element.
        (Content::Binary(&binary[..65_528]), with_ports, 65_535),
        (Content::Binary(&binary[..65_529]), with_ports, 65_536),
        (Content::Text(&a[..65_535], GSM), none, 65_535),
        (Content::Text(&a[..65_536], GSM), none, 65_536),
        // A shift element: 4 octets of header.
        (Content::Text(&a[..65_531], turkish), none, 65_535),
        (Content::Text(&a[..65_532], turkish), none, 65_536),
        // Two octets a character.
        (
            Content::Text(&zh[..2 * 32_767], Encoding::Ucs2),
            none,
            65_534,
        ),
        (
            Content::Text(&zh[..2 * 32_768], Encoding::Ucs2),
            none,
            65_536,
        ),
        // Packed: 74,897 septets take 524,279 bits, 65,535 octets; one more takes 65,536.
        (packed(&a[..74_898]), none, 65_536),
    ];
    let mut out = vec![0u8; 70_000];
    for (content, options, len) in cases {
        match Splitter::with_options(content, Method::Payload, options) {
            Ok(s) => {
                assert!(len <= MAX_MESSAGE_PAYLOAD, "{len} octets accepted");
                assert_eq!(s.segment(0, &mut out).unwrap().len, len);
            }
            Err(e) => {
                assert!(len > MAX_MESSAGE_PAYLOAD, "{len} octets refused: {e}");
                assert_eq!(e, SplitError::MessagePayloadTooLong { len });
            }
        }
    }
    let packed = split(packed(&a[..74_897]), Method::Payload);
    assert_eq!(packed.segment(0, &mut out).unwrap().len, 65_535);
    // Other methods split instead.
    let s = Splitter::new(Content::Binary(&binary), Method::Udh16 { reference: 1 });
    assert_eq!(s.unwrap_err(), SplitError::TooManySegments);
    assert_eq!(
        SplitError::MessagePayloadTooLong { len: 70_000 }.to_string(),
        "message_payload would hold 70000 octets, more than 65535"
    );
}

#[test]
fn escape_pairs_and_surrogates_never_split() {
    // 152 'a' then '€': the escape pair would straddle the 153-septet boundary.
    let text = format!("{}€{}", "a".repeat(152), "b".repeat(10));
    let s = split(Content::Text(&text, GSM), UDH8);
    let mut out = [0u8; 255];
    let first = s.segment(0, &mut out).unwrap();
    assert_eq!(first.units, 152);
    let second = s.segment(1, &mut out).unwrap();
    assert_eq!(&out[6..8], &[0x1B, 0x65]);
    assert_eq!(second.units, 12);

    let text = format!("{}😀bbbbb", "a".repeat(66));
    let s = split(Content::Text(&text, Encoding::Ucs2), UDH8);
    assert_eq!(s.total(), 2);
    assert_eq!(s.segment(0, &mut out).unwrap().units, 66);
    assert_eq!(s.segment(1, &mut out).unwrap().units, 7);
    assert_eq!(&out[6..10], &[0xD8, 0x3D, 0xDE, 0x00]);
}

#[test]
fn binary_port_split() {
    let data: Vec<u8> = (0..=255).collect();
    let s = split(Content::Binary(&data), Method::Udh8 { reference: 9 });
    assert_eq!(s.total(), 2);
    assert_eq!(s.data_coding(), 0x04);
    let mut out = [0u8; 255];
    let a = s.segment(0, &mut out).unwrap();
    assert_eq!(a.len, 140);
    assert_eq!(out[6], 0);
    let b = s.segment(1, &mut out).unwrap();
    assert_eq!(b.len, 6 + 256 - 134);
    assert_eq!(out[6], 134);
}

#[test]
fn national_shift_segments_carry_shift_ie() {
    let t = Tables::single_shift(Language::Turkish);
    let text = "ğ".repeat(100); // 200 septets
    let s = split(
        Content::Text(&text, Encoding::Gsm7(t)),
        Method::Udh8 { reference: 5 },
    );
    assert_eq!(s.total(), 2);
    let mut out = [0u8; 255];
    let seg = s.segment(0, &mut out).unwrap();
    assert_eq!(
        out[..9],
        [0x08, 0x00, 0x03, 0x05, 0x02, 0x01, 0x24, 0x01, 0x01]
    );
    assert_eq!(seg.units, 148); // 149 available, escape pairs keep it even
    let one = split(
        Content::Text("ğ", Encoding::Gsm7(t)),
        Method::Udh8 { reference: 5 },
    );
    let seg = one.segment(0, &mut out).unwrap();
    assert!(seg.udhi);
    assert_eq!(out[..seg.len], [0x03, 0x24, 0x01, 0x01, 0x1B, 0x67]);
}

#[test]
fn packed_segments() {
    let text = "hellohello";
    let s = split(packed(text), UDH8);
    let mut out = [0u8; 140];
    let seg = s.segment(0, &mut out).unwrap();
    assert_eq!(
        out[..seg.len],
        [0xE8, 0x32, 0x9B, 0xFD, 0x46, 0x97, 0xD9, 0xEC, 0x37]
    );
    // 7 septets leave 7 spare bits: a CR pads them.
    let s = split(packed("1234567"), Method::Payload);
    let seg = s.segment(0, &mut out).unwrap();
    assert_eq!(seg.units, 8);
    assert_eq!(out[..seg.len], [0x31, 0xD9, 0x8C, 0x56, 0xB3, 0xDD, 0x1A]);
    // Two parts with the 8-bit header: 153 septets fill 134 octets after one fill bit.
    let long = "z".repeat(200);
    let s = split(packed(&long), Method::Udh8 { reference: 3 });
    let seg = s.segment(0, &mut out).unwrap();
    assert_eq!(seg.len, 140);
    let mut septets = [0u8; 160];
    let n = gsm7::unpack(
        &out[6..seg.len],
        gsm7::fill_bits_for_udh(6),
        Some(153),
        &mut septets,
    )
    .unwrap();
    assert!(septets[..n].iter().all(|&c| c == b'z'));
}

/// The indices `0..len`, shuffled deterministically from `order`.
fn shuffled(len: usize, order: u64) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..len).collect();
    let mut x = order | 1;
    for i in (1..len).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        idx.swap(i, (x % (i as u64 + 1)) as usize);
    }
    idx
}

fn decode_part(payload: &[u8], enc: Encoding) -> String {
    match enc {
        Encoding::Gsm7(t) => gsm7::decode_unpacked(payload, t, OnUnmappable::Error)
            .collect::<Result<_, _>>()
            .unwrap(),
        Encoding::Ucs2 => ucs2::decode(payload).collect::<Result<_, _>>().unwrap(),
        Encoding::Latin1 => payload.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Any text of up to `max` characters. `"\\PC"` (and proptest's `any::<String>()`, which is
/// made of it) leaves out control, format and private-use characters; this takes any `char`,
/// with line feed, carriage return, form feed, escape, NUL, DEL, zero width joiner, byte order
/// mark and U+E000 often, among letters.
fn any_text(max: usize) -> impl Strategy<Value = String> {
    let special = vec![
        '\n',
        '\r',
        '\u{0C}',
        '\u{1B}',
        '\0',
        '\u{7F}',
        '\u{200D}',
        '\u{FEFF}',
        '\u{E000}',
        '\u{F8FF}',
        '\u{10FFFF}',
        '\u{85}',
    ];
    let ch = prop_oneof![
        3 => any::<char>(),
        2 => proptest::sample::select(special),
        3 => proptest::char::range('a', 'z'),
    ];
    proptest::collection::vec(ch, 0..=max).prop_map(String::from_iter)
}

proptest! {
    #[test]
    fn split_reassemble_round_trip(
        text in prop_oneof![
            "\\PC{0,400}",
            any_text(400),
            // Only characters of the GSM tables and controls they hold: stays GSM 7-bit.
            proptest::collection::vec(
                proptest::sample::select(vec!['a', ' ', '\n', '\r', '\u{0C}', '€', '{', 'ç', 'Ç']),
                0..400,
            )
            .prop_map(String::from_iter),
            "[a-zA-Z0-9 {}€\\[\\]~^|\\\\@£$]{0,500}",
            "[a-zçğıöşüİĞŞ ]{0,400}",
        ],
        wide in any::<bool>(),
        reference in any::<u16>(),
        order in any::<u64>(),
    ) {
        let langs = [Language::Turkish, Language::Spanish, Language::Portuguese];
        let enc = choose(&text, &langs);
        let method = if wide { Method::Udh16 { reference } } else { Method::Udh8 { reference: reference as u8 } };
        let s = split(Content::Text(&text, enc), method);
        let mut parts: Vec<Vec<u8>> = Vec::new();
        for n in 0..s.total() {
            let mut out = [0u8; 255];
            let seg = s.segment(n, &mut out).unwrap();
            let body_units = seg.units;
            // Fits one SMS of 140 octets on the air with its header.
            let air = match enc {
                Encoding::Gsm7(_) => seg.udh_len + gsm7::packed_len(body_units, gsm7::fill_bits_for_udh(seg.udh_len)),
                _ => seg.len,
            };
            prop_assert!(air <= 140, "segment {} is {} octets", n, air);
            parts.push(out[..seg.len].to_vec());
        }
        let idx = shuffled(parts.len(), order);
        let mut r: Reassembler<2, 16, 2048> = Reassembler::new();
        let mut result = None;
        for &i in &idx {
            let sm = &parts[i];
            let udhi = s.total() > 1 || enc.shift_ie_len() > 0;
            let payload = if udhi { Udh::split(sm).unwrap().1 } else { &sm[..] };
            match Part::from_short_message(sm, udhi).unwrap() {
                None => result = Some(decode_part(payload, enc)),
                Some(p) => {
                    prop_assert_eq!(p.payload, payload);
                    if let Status::Complete(h) = r.insert(7, 0, p).unwrap() {
                        let mut text_out = String::new();
                        for payload in r.parts(h).unwrap() {
                            text_out.push_str(&decode_part(payload, enc));
                        }
                        r.remove(h);
                        result = Some(text_out);
                    }
                }
            }
        }
        // GSM 0x09 is capital Ç; small ç is accepted on encoding and comes
        // back capital unless a national table in force has its own ç.
        let result = result.unwrap_or_default();
        prop_assert!(
            result == text || result == text.replace('ç', "Ç"),
            "{:?} came back as {:?}", text, result
        );
    }
}

#[test]
fn core_reassembler_cases() {
    let mut r: Reassembler<2, 4, 16> = Reassembler::new();
    let p = |seq, payload| Part::from_sar(1, 3, seq, payload);
    let incomplete = |received, total| Ok(Status::Incomplete { received, total });
    // (key, now, part, outcome), in order.
    let steps = [
        (1, 10, p(3, b"c"), incomplete(1, 3)),
        (1, 11, p(3, b"c"), Ok(Status::Duplicate)),
        (1, 11, p(4, b"x"), Err(ReassemblyError::InvalidPart)),
        (1, 11, p(0, b"x"), Err(ReassemblyError::InvalidPart)),
        (
            1,
            11,
            Part::from_sar(2, 5, 1, b"x"),
            Err(ReassemblyError::TooManyParts),
        ),
        (1, 11, Part::from_sar(2, 1, 1, b"x"), Ok(Status::Single)),
        (2, 12, p(1, b"other"), incomplete(1, 3)),
        (3, 12, p(1, b"x"), Err(ReassemblyError::Full)),
        (2, 12, p(2, b"0123456789AB"), Err(ReassemblyError::TooLarge)),
        (1, 12, p(1, b"a"), incomplete(2, 3)),
    ];
    for (i, (key, now, part, outcome)) in steps.into_iter().enumerate() {
        assert_eq!(r.insert(key, now, part), outcome, "step {i}");
    }
    let Ok(Status::Complete(h)) = r.insert(1, 13, p(2, b"b")) else {
        panic!("incomplete")
    };
    let mut out = [0u8; 8];
    assert_eq!(r.copy_out(h, &mut out), Some(3));
    assert_eq!(&out[..3], b"abc");
    r.remove(h);
    let mut expired = Vec::new();
    assert_eq!(r.expire(13, |p| expired.push(p)), 1);
    assert_eq!(
        (expired[0].key, expired[0].received, expired[0].total),
        (2, 1, 3)
    );
    assert_eq!(r.in_progress(), 0);
}

#[test]
fn core_reassembler_a_reused_reference_ends_the_incomplete_message() {
    let mut r: Reassembler<2, 4, 16> = Reassembler::new();
    let incomplete = |received, total| Ok(Status::Incomplete { received, total });
    let ended = |key, reference, received, total, stamp| {
        Ok(Status::Restarted {
            ended: Pending {
                key,
                kind: ReferenceKind::Sar,
                reference,
                received,
                total,
                stamp,
            },
        })
    };
    // Part 1 of 3 never followed by the others; the reference comes back with a total of 2.
    assert_eq!(
        r.insert(1, 10, Part::from_sar(1, 3, 1, b"a")),
        incomplete(1, 3)
    );
    assert_eq!(
        r.insert(1, 11, Part::from_sar(1, 3, 1, b"a")),
        Ok(Status::Duplicate)
    );
    assert_eq!(
        r.insert(1, 20, Part::from_sar(1, 2, 2, b"y")),
        ended(1, 1, 1, 3, 10)
    );
    let pending: Vec<Pending> = r.pending().collect();
    assert_eq!(
        pending
            .iter()
            .map(|p| (p.received, p.total, p.stamp))
            .collect::<Vec<_>>(),
        [(1, 2, 20)]
    );
    let Ok(Status::Complete(xy)) = r.insert(1, 21, Part::from_sar(1, 2, 1, b"x")) else {
        panic!("incomplete")
    };
    let mut out = [0u8; 16];
    assert_eq!(r.copy_out(xy, &mut out), Some(2));
    assert_eq!(&out[..2], b"xy");

    // The same total, but part 1 again with another payload: a new message too, rather than
    // a duplicate whose part 2 would complete the old message with the new one's text.
    assert_eq!(
        r.insert(2, 30, Part::from_sar(4, 2, 1, b"old")),
        incomplete(1, 2)
    );
    assert_eq!(
        r.insert(2, 40, Part::from_sar(4, 2, 1, b"new")),
        ended(2, 4, 1, 2, 30)
    );
    let Ok(Status::Complete(new)) = r.insert(2, 41, Part::from_sar(4, 2, 2, b"!")) else {
        panic!("incomplete")
    };
    assert_eq!(r.copy_out(new, &mut out), Some(4));
    assert_eq!(&out[..4], b"new!");
    assert!(r.remove(new));

    // A first part too large for a message leaves the old message alone.
    assert_eq!(
        r.insert(2, 50, Part::from_sar(9, 2, 1, b"kept")),
        incomplete(1, 2)
    );
    assert_eq!(
        r.insert(2, 51, Part::from_sar(9, 3, 1, &[0; 17])),
        Err(ReassemblyError::TooLarge)
    );
    assert_eq!(
        r.pending().map(|p| (p.total, p.stamp)).collect::<Vec<_>>(),
        [(2, 50)]
    );

    // A complete message not yet removed is the caller's: nothing ends it.
    assert_eq!(
        r.insert(1, 60, Part::from_sar(1, 3, 1, b"z")),
        Err(ReassemblyError::TotalMismatch)
    );
    assert_eq!(
        r.insert(1, 60, Part::from_sar(1, 2, 1, b"z")),
        Ok(Status::Duplicate)
    );
    assert_eq!(r.copy_out(xy, &mut out), Some(2));
    assert_eq!(&out[..2], b"xy");
    // The ended messages were handed back once: expiry reports only the one still pending.
    let mut expired = Vec::new();
    assert_eq!(r.expire(u64::MAX, |p| expired.push(p)), 1);
    assert_eq!((expired[0].key, expired[0].reference), (2, 9));
    assert!(r.remove(xy));
    assert_eq!(r.in_progress(), 0);
}

#[test]
fn core_reassembler_keeps_reference_kinds_apart() {
    let mut r: Reassembler<4, 4, 64> = Reassembler::new();
    // Part 1 of a message with 8-bit reference 5, part 2 of one with 16-bit reference 5, and
    // part 3 of a SAR message with reference 5, all from the same sender.
    let udh8 = [0x05, 0x00, 0x03, 0x05, 0x02, 0x01, b'a'];
    let udh16 = [0x06, 0x08, 0x04, 0x00, 0x05, 0x02, 0x02, b'b'];
    let p8 = Part::from_short_message(&udh8, true).unwrap().unwrap();
    let p16 = Part::from_short_message(&udh16, true).unwrap().unwrap();
    assert_eq!(
        (p8.kind, p16.kind),
        (ReferenceKind::Udh8, ReferenceKind::Udh16)
    );
    assert_eq!(p8.reference, p16.reference);
    let incomplete = |received, total| Ok(Status::Incomplete { received, total });
    assert_eq!(r.insert(1, 0, p8), incomplete(1, 2));
    assert_eq!(r.insert(1, 0, p16), incomplete(1, 2));
    let sar = Part::from_sar(5, 2, 2, b"c");
    assert_eq!(sar.kind, ReferenceKind::Sar);
    assert_eq!(r.insert(1, 0, sar), incomplete(1, 2));
    assert_eq!(r.in_progress(), 3);
    let mut kinds: Vec<_> = r.pending().map(|p| (p.kind, p.reference)).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            (ReferenceKind::Udh8, 5),
            (ReferenceKind::Udh16, 5),
            (ReferenceKind::Sar, 5)
        ]
    );
    // Each completes with its own parts.
    let Ok(Status::Complete(h)) = r.insert(1, 0, Part::from_sar(5, 2, 1, b"C")) else {
        panic!("incomplete")
    };
    let mut out = [0u8; 8];
    assert_eq!(r.copy_out(h, &mut out), Some(2));
    assert_eq!(&out[..2], b"Cc");
}

#[test]
fn concatenation_elements_numbered_impossibly_are_ignored() {
    // TS 23.040 9.2.3.24.1: a total of 0, or a sequence number of 0 or above the total, has
    // the receiver ignore the element, so the message stands alone rather than being refused.
    for (ie, what) in [
        (&[0x00, 0x03, 0x07, 0x02, 0x00][..], "part 0 of 2"),
        (&[0x00, 0x03, 0x07, 0x02, 0x03], "part 3 of 2"),
        (&[0x00, 0x03, 0x07, 0x00, 0x00], "part 0 of 0"),
        (&[0x08, 0x04, 0x01, 0x07, 0x00, 0x01], "16-bit, part 1 of 0"),
    ] {
        let sm = [&[u8::try_from(ie.len()).unwrap()][..], ie, b"hi"].concat();
        let (udh, payload) = Udh::split(&sm).unwrap();
        assert_eq!(udh.concat(), Ok(None), "{what}");
        assert_eq!(payload, b"hi", "{what}");
        assert_eq!(udh.ies().count(), 1, "{what}: still listed");
        assert_eq!(Part::from_short_message(&sm, true), Ok(None), "{what}");
    }
    // A valid element before an invalid one counts.
    let sm = [
        0x0A, 0x00, 0x03, 0x07, 0x02, 0x01, 0x00, 0x03, 0x07, 0x02, 0x09, b'x',
    ];
    let part = Part::from_short_message(&sm, true).unwrap().unwrap();
    assert_eq!((part.total, part.seq, part.payload), (2, 1, &b"x"[..]));
    // Through a deliver_sm with SAR TLVs as well, the SAR numbering is used.
    let mut tlvs = smpp_core::TlvBuf::<32>::new();
    tlvs.push_u16(smpp_core::TlvTag::SAR_MSG_REF_NUM, 9)
        .unwrap();
    tlvs.push_u8(smpp_core::TlvTag::SAR_TOTAL_SEGMENTS, 2)
        .unwrap();
    tlvs.push_u8(smpp_core::TlvTag::SAR_SEGMENT_SEQNUM, 2)
        .unwrap();
    let udh = [0x05, 0x00, 0x03, 0x07, 0x02, 0x00, b'y'];
    let sm = DeliverSm {
        esm_class: EsmClass::UDHI,
        short_message: &udh[..],
        tlvs: tlvs.tlvs(),
        ..DeliverSm::default()
    };
    let part = Part::from_deliver_sm(&sm).unwrap().unwrap();
    assert_eq!(
        (part.kind, part.reference, part.seq, part.payload),
        (ReferenceKind::Sar, 9, 2, &b"y"[..])
    );
}

/// Sends `r` both parts of the SAR message "ab" (reference 1) from `key`
/// at `now`; the handle of the message they complete.
fn complete_ab<const S: usize, const P: usize, const B: usize>(
    r: &mut Reassembler<S, P, B>,
    key: u64,
    now: u64,
) -> Handle {
    r.insert(key, now, Part::from_sar(1, 2, 1, b"a")).unwrap();
    let status = r.insert(key, now, Part::from_sar(1, 2, 2, b"b"));
    let Ok(Status::Complete(handle)) = status else {
        panic!("incomplete: {status:?}")
    };
    handle
}

#[test]
fn core_reassembler_refuses_a_handle_to_a_reused_slot() {
    let mut r: Reassembler<1, 2, 16> = Reassembler::new();
    let first = complete_ab(&mut r, 1, 0);
    assert!(r.remove(first));
    assert_eq!(r.in_progress(), 0);
    // The only slot now holds another message.
    r.insert(2, 1, Part::from_sar(9, 2, 2, b"y")).unwrap();
    let Ok(Status::Complete(second)) = r.insert(2, 1, Part::from_sar(9, 2, 1, b"x")) else {
        panic!("incomplete")
    };
    assert_ne!(first, second);
    let mut out = [0u8; 8];
    assert!(r.parts(first).is_none());
    assert_eq!(r.copy_out(first, &mut out), None);
    assert!(!r.remove(first), "a stale handle removes nothing");
    assert_eq!(r.in_progress(), 1);
    assert_eq!(r.copy_out(second, &mut out), Some(2));
    assert_eq!(&out[..2], b"xy");
    assert!(r.remove(second));
    assert!(!r.remove(second));
    // A slot freed by expiry or by a first part that is too large is reused the same way.
    r.insert(3, 2, Part::from_sar(4, 2, 1, b"p")).unwrap();
    assert_eq!(r.expire(3, |_| {}), 1);
    assert_eq!(
        r.insert(3, 3, Part::from_sar(4, 2, 1, &[0u8; 17])),
        Err(ReassemblyError::TooLarge)
    );
    assert_eq!(r.in_progress(), 0);
    assert!(r.parts(second).is_none());
}

#[test]
fn core_reassembler_pending_and_expiry_leave_complete_messages_alone() {
    let mut r: Reassembler<2, 2, 16> = Reassembler::new();
    let done = complete_ab(&mut r, 1, 10);
    r.insert(2, 20, Part::from_sar(2, 2, 1, b"z")).unwrap();
    assert_eq!(r.in_progress(), 2);
    // Only the incomplete message is pending.
    let pending: Vec<_> = r.pending().map(|p| (p.key, p.received, p.total)).collect();
    assert_eq!(pending, [(2, 1, 2)]);
    // Expiry drops (and reports) incomplete messages only, however old the complete one is.
    let mut reported = Vec::new();
    assert_eq!(r.expire(u64::MAX, |p| reported.push(p.key)), 1);
    assert_eq!(reported, [2]);
    assert_eq!(r.in_progress(), 1);
    let mut out = [0u8; 4];
    assert_eq!(r.copy_out(done, &mut out), Some(2));
    assert!(r.remove(done));
    assert_eq!(r.expire(u64::MAX, |_| panic!("nothing left")), 0);
}

#[test]
fn choose_takes_the_fewest_segments_default_tables_included() {
    let euros = "€".repeat(100);
    let pt_lock = Encoding::Gsm7(Tables::new(Language::Portuguese, Language::Default).unwrap());
    assert_eq!(segment_count(&euros, GSM, Concatenation::Udh8), Ok(2));
    assert_eq!(segment_count(&euros, pt_lock, Concatenation::Udh8), Ok(1));
    assert_eq!(choose(&euros, &[Language::Portuguese]), pt_lock);
    assert_eq!(choose(&euros, &[]), GSM);
    // A tie in segments goes to the fewest septets, and the default tables win an exact tie.
    assert_eq!(choose("€", &[Language::Portuguese]), GSM);
    assert_eq!(choose("hello", &[Language::Turkish, Language::Hindi]), GSM);
    // Under message_payload everything is one segment: fewest septets with the header decides.
    for (euros, expected) in [(300, pt_lock), (2, GSM)] {
        let text = "€".repeat(euros);
        let chosen = choose_for(&text, &[Language::Portuguese], Concatenation::Payload);
        assert_eq!(chosen, expected, "{euros} euros");
    }
}

#[test]
fn unmappable_policy_for_counting_and_splitting() {
    let text = "Tschüss жук";
    let latin1 = Content::Text(text, Encoding::Latin1);
    assert!(matches!(
        Encoding::Latin1.units(text),
        Err(TextError::Unmappable { ch: 'ж', .. })
    ));
    assert_eq!(
        Encoding::Latin1.units_with(text, OnUnmappable::Replace),
        Ok(11)
    );
    assert!(matches!(
        Splitter::new(latin1, UDH8),
        Err(SplitError::Text(TextError::Unmappable {
            ch: 'ж',
            offset: 9
        }))
    ));
    let replace = SplitOptions {
        on_unmappable: OnUnmappable::Replace,
        ..SplitOptions::default()
    };
    let s = Splitter::with_options(latin1, UDH8, replace).unwrap();
    let mut out = [0u8; 140];
    let seg = s.segment(0, &mut out).unwrap();
    assert_eq!(&out[..seg.len], b"Tsch\xFCss ???");

    // GSM: an unmappable character (even a two-unit one) is one '?' septet.
    let gsm = Content::Text("a😀€", GSM);
    assert_eq!(GSM.units_with("a😀€", OnUnmappable::Replace), Ok(4));
    let s = Splitter::with_options(gsm, Method::Payload, replace).unwrap();
    let seg = s.segment(0, &mut out).unwrap();
    assert_eq!(&out[..seg.len], &[0x61, 0x3F, 0x1B, 0x65]);
    let packed = packed("😀");
    assert!(Splitter::new(packed, Method::Payload).is_err());
    let s = Splitter::with_options(packed, Method::Payload, replace).unwrap();
    let seg = s.segment(0, &mut out).unwrap();
    assert_eq!(&out[..seg.len], &[0x3F]);

    // 161 characters of which one is unmappable: counted as its '?', two segments.
    let long = format!("{}ж", "a".repeat(160));
    assert!(segment_count(&long, GSM, Concatenation::Udh8).is_err());
    assert_eq!(
        segment_count_with(&long, GSM, Concatenation::Udh8, OnUnmappable::Replace),
        Ok(2)
    );
    assert_eq!(
        segment_count_with(
            &"a".repeat(160),
            GSM,
            Concatenation::Udh8,
            OnUnmappable::Replace
        ),
        Ok(1)
    );
}

const WAP_PORTS: [Ie<'static>; 1] = [port16(2948, 9200)];

#[test]
fn wap_push_parts_carry_the_port_element() {
    let wsp: Vec<u8> = (0..300u16).map(|i| (i * 7) as u8).collect();
    let options = with_ies(&WAP_PORTS);
    for method in [
        Method::Udh8 { reference: 0x21 },
        Method::Udh16 { reference: 0x4321 },
    ] {
        let s = Splitter::with_options(Content::Binary(&wsp), method, options).unwrap();
        // 12- or 13-octet header: 128 or 127 octets of WSP per part.
        assert_eq!(s.total(), 3);
        let mut joined = Vec::new();
        for n in 0..s.total() {
            let mut out = [0u8; 255];
            let seg = s.segment(n, &mut out).unwrap();
            assert!(seg.len <= 140, "{method:?} part {n}: {} octets", seg.len);
            assert!(seg.udhi);
            let sm = &out[..seg.len];
            let (udh, payload) = Udh::split(sm).unwrap();
            assert_eq!(udh.ports(), Ok(Some((2948, 9200))));
            let concat = udh.concat().unwrap().unwrap();
            assert_eq!((concat.total, usize::from(concat.seq)), (3, n + 1));
            // The concatenation element first, then the port element: 05 04 0B 84 23 F0.
            let port_at = udh.len() - 6;
            assert_eq!(
                &sm[port_at..udh.len()],
                &[0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0]
            );
            joined.extend_from_slice(payload);
        }
        assert_eq!(joined, wsp);
    }
    // One part: the port element alone.
    let s = Splitter::with_options(Content::Binary(&wsp[..100]), UDH8, options).unwrap();
    let mut out = [0u8; 255];
    let seg = s.segment(0, &mut out).unwrap();
    assert_eq!(&out[..7], &[0x06, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0]);
    assert_eq!(seg.len, 107);
    // 128 octets still fit one message with the port element alone (7 + 128 <= 140).
    for (len, total) in [(133, 1), (134, 2)] {
        let s = Splitter::with_options(Content::Binary(&wsp[..len]), UDH8, options).unwrap();
        assert_eq!(s.total(), total, "{len} octets");
    }
}

#[test]
fn extra_elements_count_in_text_capacity() {
    let options = with_ies(&WAP_PORTS);
    // Port (6) + concatenation (5) + UDHL: 12 octets, 145 septets per part (one fill bit... 2).
    let text = "q".repeat(300);
    let s = Splitter::with_options(packed(&text), Method::Udh8 { reference: 2 }, options).unwrap();
    let mut out = [0u8; 255];
    let seg = s.segment(0, &mut out).unwrap();
    assert_eq!(seg.udh_len, 12);
    assert_eq!(seg.units, GSM.capacity(12));
    assert_eq!(seg.len, 140);
    assert_eq!(s.total(), 300usize.div_ceil(GSM.capacity(12)));
}

#[test]
fn reserved_and_oversized_elements_are_refused() {
    for ie in [
        concat8(1, 2, 1),
        concat16(1, 2, 1),
        Ie::SingleShift(1),
        Ie::LockingShift(1),
    ] {
        let ies = [ie];
        assert_eq!(
            Splitter::with_options(Content::Text("hi", GSM), UDH8, with_ies(&ies)).err(),
            Some(SplitError::ReservedIe(ie.iei()))
        );
    }
    let big = [0u8; 137];
    let ies = [Ie::Other {
        iei: 0x70,
        data: &big,
    }];
    let options = with_ies(&ies);
    // 140 octets of header: nothing left.
    assert_eq!(
        Splitter::with_options(Content::Binary(b"x"), UDH8, options).err(),
        Some(SplitError::HeaderTooLong)
    );
    let ies = [Ie::Other {
        iei: 0x70,
        data: &big[..136],
    }];
    let options = with_ies(&ies);
    // One octet left: a binary octet fits, a UCS-2 unit does not.
    let s = Splitter::with_options(Content::Binary(b"x"), UDH8, options).unwrap();
    let mut out = [0u8; 255];
    assert_eq!(s.segment(0, &mut out).unwrap().len, 140);
    assert_eq!(
        Splitter::with_options(Content::Text("ж", Encoding::Ucs2), UDH8, options).err(),
        Some(SplitError::HeaderTooLong)
    );
}

fn packed_part(text: &str, method: Method) -> (Vec<u8>, usize, usize) {
    let s = split(packed(text), method);
    let mut out = [0u8; 255];
    let seg = s.segment(0, &mut out).unwrap();
    (out[seg.udh_len..seg.len].to_vec(), seg.units, seg.udh_len)
}

fn unpacked(octets: &[u8], fill: u8) -> Vec<u8> {
    let mut out = vec![0u8; 2048];
    let n = gsm7::unpack(octets, fill, None, &mut out).unwrap();
    out[..n].to_vec()
}

#[test]
fn packed_carriage_return_padding() {
    // 7 septets: 7 spare bits are filled with a CR.
    let (octets, units, _) = packed_part("1234567", Method::Payload);
    assert_eq!((octets.len(), units), (7, 8));
    assert_eq!(unpacked(&octets, 0), b"1234567\r");
    // 8 septets end on an octet boundary: nothing added.
    let (octets, units, _) = packed_part("12345678", Method::Payload);
    assert_eq!((octets.len(), units), (7, 8));
    assert_eq!(unpacked(&octets, 0), b"12345678");
    // 8 septets ending with a wanted CR on an octet boundary: a second CR and one zero bit.
    let (octets, units, _) = packed_part("1234567\r", Method::Payload);
    assert_eq!((octets.len(), units), (8, 9));
    assert_eq!(unpacked(&octets, 0), b"1234567\r\r");
    assert_eq!(octets[7] & 0x80, 0);
    // 7 septets ending with a wanted CR: the padding CR follows it.
    let (octets, units, _) = packed_part("123456\r", Method::Payload);
    assert_eq!((octets.len(), units), (7, 8));
    assert_eq!(unpacked(&octets, 0), b"123456\r\r");
    // A CR elsewhere changes nothing.
    let (octets, units, _) = packed_part("12\r45678", Method::Payload);
    assert_eq!((octets.len(), units), (7, 8));
    // After the 6-octet header (one fill bit) 9 septets end on a boundary (1 + 63 = 64 bits),
    // so a final CR of the second part is doubled: 10 septets in 9 octets.
    let text = format!("{}\r", "a".repeat(8));
    let whole = format!("{}{text}", "b".repeat(153));
    let s = split(packed(&whole), Method::Udh8 { reference: 4 });
    let mut out = [0u8; 255];
    let seg = s.segment(1, &mut out).unwrap();
    assert_eq!((seg.udh_len, seg.units, seg.len), (6, 10, 6 + 9));
    let mut body = unpacked(&out[6..seg.len], 1);
    assert_eq!(body.pop(), Some(b'\r'));
    assert_eq!(body, text.as_bytes());
}

#[test]
fn packed_carriage_return_never_overflows_a_part() {
    // 160 septets ending in CR: a single packed SMS would need 161.
    let text = format!("{}\r", "a".repeat(159));
    let s = split(packed(&text), UDH8);
    assert_eq!(s.total(), 2);
    // Unpacked septets are packed by the MC, which applies the rule itself: one segment.
    let s = split(Content::Text(&text, GSM), UDH8);
    assert_eq!(s.total(), 1);
    // A CR that would take the 153rd septet of a part moves to the next part.
    let text = format!("{}\r{}", "a".repeat(152), "b".repeat(10));
    let s = split(packed(&text), UDH8);
    let mut out = [0u8; 255];
    let first = s.segment(0, &mut out).unwrap();
    assert!(first.len <= 140);
    // 152 septets after one fill bit leave 7 spare bits: a padding CR, 153 septets in all.
    assert_eq!((first.units, first.len), (153, 140));
    let second = s.segment(1, &mut out).unwrap();
    assert_eq!(unpacked(&out[6..second.len], 1)[0], b'\r');
    assert_eq!(second.units, 11);
}

/// A short message split by `s`, shuffled by `order`, fed to a reassembler; the payloads in
/// sequence order and the header length of the parts.
fn split_and_reassemble(
    s: &Splitter<'_>,
    order: u64,
    unpacked_gsm: bool,
    payload_method: bool,
    ports: bool,
) -> Result<(usize, Vec<Vec<u8>>), TestCaseError> {
    let mut segments = Vec::new();
    for n in 0..s.total() {
        let mut out = vec![0u8; 4096];
        let seg = s.segment(n, &mut out).unwrap();
        if !payload_method {
            let air = if unpacked_gsm {
                seg.udh_len + gsm7::packed_len(seg.units, gsm7::fill_bits_for_udh(seg.udh_len))
            } else {
                seg.len
            };
            prop_assert!(air <= 140, "segment {} is {} octets", n, air);
        }
        if ports {
            let (udh, _) = Udh::split(&out[..seg.len]).unwrap();
            prop_assert_eq!(udh.ports(), Ok(Some((2948, 9200))));
        }
        if seg.sar.is_some() {
            // The MC delivers a SAR part to the handset as a concatenated SMS: it adds the
            // 8-bit concatenation element (5 octets, and the UDHL when the part has no header
            // yet), and the part must still fit.
            let udh = if seg.udh_len == 0 { 6 } else { seg.udh_len + 5 };
            let room = match s.data_coding() {
                0x00 => GSM.capacity(udh),
                0x08 => Encoding::Ucs2.capacity(udh),
                _ => Encoding::Latin1.capacity(udh),
            };
            prop_assert!(
                seg.units <= room,
                "SAR segment {} has {} units, {} fit beside the MC's {}-octet header",
                n,
                seg.units,
                room,
                udh
            );
        }
        segments.push((seg, out[..seg.len].to_vec()));
    }
    let udh_len = segments[0].0.udh_len;
    if s.total() == 1 {
        return Ok((udh_len, vec![segments[0].1[udh_len..].to_vec()]));
    }
    let idx = shuffled(segments.len(), order);
    let mut r: Reassembler<2, 32, 4096> = Reassembler::new();
    for &i in &idx {
        let (seg, sm) = &segments[i];
        prop_assert_eq!(seg.udh_len, udh_len);
        let payload = &sm[seg.udh_len..];
        let part = match seg.sar {
            Some(sar) => Part::from_sar(
                sar.msg_ref_num,
                sar.total_segments,
                sar.segment_seqnum,
                payload,
            ),
            None => Part::from_short_message(sm, seg.udhi).unwrap().unwrap(),
        };
        prop_assert_eq!(part.payload, payload);
        match r.insert(7, 0, part).unwrap() {
            Status::Complete(h) => {
                let payloads = r.parts(h).unwrap().map(<[u8]>::to_vec).collect();
                return Ok((udh_len, payloads));
            }
            Status::Incomplete { .. } => {}
            other => prop_assert!(false, "unexpected {:?}", other),
        }
    }
    Err(TestCaseError::fail("the message never completed"))
}

fn method_of(kind: u8, reference: u16) -> Method {
    match kind % 4 {
        0 => Method::Udh8 {
            reference: reference as u8,
        },
        1 => Method::Udh16 { reference },
        2 => Method::Sar { reference },
        _ => Method::Payload,
    }
}

/// Text of characters of a language's tables, from (code, escaped) pairs.
fn national_text(lang: Language, codes: &[(u8, bool)]) -> (String, Tables) {
    let tables = Tables::new(lang, lang).unwrap_or(Tables::single_shift(lang));
    let text = codes
        .iter()
        .filter_map(|&(code, escaped)| {
            if escaped {
                tables.single_shift_char(code)
            } else {
                tables.decode_septet(code)
            }
        })
        .collect();
    (text, tables)
}

/// Carriage return and CR CR are the same (TS 23.038 6.1.1), so packed padding may double a CR.
fn collapse_cr(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if !(c == '\r' && out.ends_with('\r')) {
            out.push(c);
        }
    }
    out
}

proptest! {
    #[test]
    fn every_language_splits_and_reassembles(
        lang in 0u8..14,
        codes in proptest::collection::vec((0u8..128, any::<bool>()), 0..500),
        kind in any::<u8>(),
        reference in any::<u16>(),
        order in any::<u64>(),
        ports in any::<bool>(),
    ) {
        let (text, tables) = national_text(Language::from_id(lang).unwrap(), &codes);
        let enc = Encoding::Gsm7(tables);
        let method = method_of(kind, reference);
        let options = with_ies(if ports { &WAP_PORTS } else { &[] });
        let s = Splitter::with_options(Content::Text(&text, enc), method, options).unwrap();
        if matches!(method, Method::Udh8 { .. }) && !ports {
            prop_assert_eq!(segment_count(&text, enc, Concatenation::Udh8), Ok(s.total()));
        }
        let (_, parts) = split_and_reassemble(&s, order, true, method == Method::Payload, ports)?;
        let mut back = String::new();
        for part in &parts {
            // Each part decodes by itself: no escape pair is cut.
            back.push_str(&decode_part(part, enc));
        }
        prop_assert_eq!(back, text);
    }

    #[test]
    fn packed_text_splits_and_reassembles(
        lang in 0u8..14,
        codes in proptest::collection::vec(
            prop_oneof![(0u8..128, any::<bool>()), Just((0x0D, false))], 0..500),
        kind in any::<u8>(),
        reference in any::<u16>(),
        order in any::<u64>(),
        ports in any::<bool>(),
    ) {
        let (text, tables) = national_text(Language::from_id(lang).unwrap(), &codes);
        let method = method_of(kind, reference);
        let options = with_ies(if ports { &WAP_PORTS } else { &[] });
        let s = Splitter::with_options(Content::PackedGsm7(&text, tables), method, options).unwrap();
        let (udh_len, parts) = split_and_reassemble(&s, order, false, method == Method::Payload, ports)?;
        let fill = gsm7::fill_bits_for_udh(udh_len);
        let mut back = String::new();
        for part in &parts {
            let mut septets = unpacked(part, fill);
            // A receiver drops a CR that ends exactly on an octet boundary: it is padding.
            if (usize::from(fill) + 7 * septets.len()).is_multiple_of(8) && septets.last() == Some(&0x0D) {
                septets.pop();
            }
            back.push_str(&decode_part(&septets, Encoding::Gsm7(tables)));
        }
        prop_assert_eq!(collapse_cr(&back), collapse_cr(&text));
    }

    #[test]
    fn binary_splits_and_reassembles(
        data in proptest::collection::vec(any::<u8>(), 0..1200),
        kind in any::<u8>(),
        reference in any::<u16>(),
        order in any::<u64>(),
        ports in any::<bool>(),
    ) {
        let method = method_of(kind, reference);
        let options = with_ies(if ports { &WAP_PORTS } else { &[] });
        let s = Splitter::with_options(Content::Binary(&data), method, options).unwrap();
        let (_, parts) = split_and_reassemble(&s, order, false, method == Method::Payload, ports)?;
        prop_assert_eq!(parts.concat(), data);
    }

    #[test]
    fn any_text_splits_and_reassembles_under_sar_and_ucs2(
        text in prop_oneof!["\\PC{0,400}", any_text(400)],
        reference in any::<u16>(),
        order in any::<u64>(),
    ) {
        for method in [Method::Sar { reference }, Method::Udh16 { reference }] {
            let s = split(Content::Text(&text, Encoding::Ucs2), method);
            let (_, parts) = split_and_reassemble(&s, order, false, false, false)?;
            let back: String = parts.iter().map(|p| decode_part(p, Encoding::Ucs2)).collect();
            prop_assert_eq!(&back, &text);
        }
    }
}

/// The concatenation method counted by `segment_count` for a splitting method.
fn concatenation_of(method: Method) -> Concatenation {
    match method {
        Method::Udh8 { .. } => Concatenation::Udh8,
        Method::Udh16 { .. } => Concatenation::Udh16,
        Method::Sar { .. } => Concatenation::Sar,
        Method::Payload => Concatenation::Payload,
    }
}

#[test]
fn segment_counts_under_sar_and_payload() {
    for (text, enc, udh8, udh16, sar) in [
        ("a".repeat(160), GSM, 1, 1, 1),
        ("a".repeat(161), GSM, 2, 2, 2),
        ("a".repeat(306), GSM, 2, 3, 2),
        ("a".repeat(307), GSM, 3, 3, 3),
        ("€".repeat(153), GSM, 3, 3, 3),
        ("ж".repeat(70), Encoding::Ucs2, 1, 1, 1),
        ("ж".repeat(134), Encoding::Ucs2, 2, 3, 2),
        ("ж".repeat(135), Encoding::Ucs2, 3, 3, 3),
        // 67 emoji take 134 units: two parts of 33 pairs and one more, never half a pair.
        ("😀".repeat(67), Encoding::Ucs2, 3, 3, 3),
        ("😀".repeat(35), Encoding::Ucs2, 1, 1, 1),
        ("😀".repeat(36), Encoding::Ucs2, 2, 2, 2),
    ] {
        let what = format!("{} x {:?}", text.chars().count(), text.chars().next());
        for (method, count) in [
            (Concatenation::Udh8, udh8),
            (Concatenation::Udh16, udh16),
            (Concatenation::Sar, sar),
            (Concatenation::Payload, 1),
        ] {
            assert_eq!(
                segment_count(&text, enc, method),
                Ok(count),
                "{what} {method:?}"
            );
        }
        for method in [
            UDH8,
            Method::Udh16 { reference: 1 },
            Method::Sar { reference: 1 },
            Method::Payload,
        ] {
            let s = split(Content::Text(&text, enc), method);
            assert_eq!(
                Ok(s.total()),
                segment_count(&text, enc, concatenation_of(method)),
                "{what} {method:?}"
            );
        }
    }
}

proptest! {
    #[test]
    fn segment_count_is_what_the_splitter_makes(
        text in prop_oneof!["\\PC{0,500}", any_text(500), "[a-z€{}]{0,500}", "[a-zçğış]{0,400}"],
        kind in any::<u8>(),
    ) {
        let method = method_of(kind, 1);
        let langs = [Language::Turkish, Language::Portuguese];
        for enc in [choose_for(&text, &langs, concatenation_of(method)), Encoding::Ucs2] {
            let s = split(Content::Text(&text, enc), method);
            prop_assert_eq!(
                segment_count(&text, enc, concatenation_of(method)),
                Ok(s.total()),
                "{:?}", method
            );
        }
    }
}

#[test]
fn choose_uses_a_locking_shift_table_only_when_allowed() {
    let hindi = "नमस्ते दुनिया";
    assert_eq!(choose(hindi, &[]), Encoding::Ucs2);
    assert_eq!(choose(hindi, &[Language::Turkish]), Encoding::Ucs2);
    let Encoding::Gsm7(t) = choose(hindi, &[Language::Turkish, Language::Hindi]) else {
        panic!("not GSM 7-bit")
    };
    assert_eq!(t.locking(), Language::Hindi);
    assert_eq!(gsm7::septet_count(hindi, t), Ok(hindi.chars().count()));
    // A character no allowed table holds anywhere in the text: UCS-2.
    assert_eq!(choose("नमस्ते ж", &[Language::Hindi]), Encoding::Ucs2);
    // Whatever is chosen encodes the text.
    for (text, langs) in [
        ("Çok güzel ğ", &[Language::Turkish][..]),
        ("ação €", &[Language::Portuguese][..]),
        ("ঢাকা", &[Language::Bengali][..]),
        ("سلام", &[Language::Urdu][..]),
    ] {
        let Encoding::Gsm7(t) = choose(text, langs) else {
            panic!("{text}: not GSM 7-bit")
        };
        assert!(gsm7::is_encodable(text, t), "{text}");
        assert_eq!(choose(text, &[]), Encoding::Ucs2, "{text}");
    }
}

#[test]
fn known_characters_packed_after_a_header() {
    let text = "@$¤€[|^{}\\~";
    let [(0, bare), _, (2, after_two_fill_bits)] = KNOWN_PACKED else {
        panic!("fill bits 0, 1 and 2")
    };
    // Without a header: no fill bits.
    let s = split(packed(text), Method::Payload);
    let mut out = [0u8; 64];
    let seg = s.segment(0, &mut out).unwrap();
    assert_eq!((seg.udh_len, seg.units), (0, 19));
    assert_eq!(out[..seg.len], bare);
    // After an 8-bit port element (5-octet header): two fill bits.
    let ports = [port8(1, 2)];
    let options = with_ies(&ports);
    let s = Splitter::with_options(packed(text), UDH8, options).unwrap();
    let seg = s.segment(0, &mut out).unwrap();
    assert!(seg.udhi);
    assert_eq!(out[..5], [0x04, 0x04, 0x02, 0x01, 0x02]);
    assert_eq!(out[5..seg.len], after_two_fill_bits);
    // Two parts with the 8-bit concatenation element: one fill bit, and the escape of a
    // character never ends a part.
    let long = format!("{}€{text}", "a".repeat(152));
    let s = split(packed(&long), UDH8);
    assert_eq!(s.total(), 2);
    let mut out = [0u8; 140];
    let first = s.segment(0, &mut out).unwrap();
    let septets = unpacked(&out[6..first.len], 1);
    // The euro's escape pair would take septets 153 and 154: it starts the second part, and
    // the 7 spare bits after the 152 letters are the padding carriage return.
    assert_eq!((first.units, first.len), (153, 140));
    assert_eq!(septets[..153], [&[b'a'; 152][..], &[0x0D]].concat()[..]);
    let second = s.segment(1, &mut out).unwrap();
    let rest = unpacked(&out[6..second.len], 1);
    assert_eq!(rest[..2], [0x1B, 0x65]);
    let mut all = septets[..152].to_vec();
    all.extend_from_slice(&rest[..second.units]);
    let back: String = gsm7::decode_unpacked(&all, Tables::DEFAULT, OnUnmappable::Error)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back, long);
}

/// A part read from a `deliver_sm` or `data_sm` by whichever method joins
/// it: a header's concatenation element (which wins over SAR TLVs), the SAR
/// TLVs (with the payload after a header without a concatenation element),
/// in `short_message` or `message_payload`; incomplete SAR TLVs and a
/// broken header are errors, an ordinary message has no part.
/// A `deliver_sm` with this `short_message` (after a header if `udhi`) and
/// these TLVs, every other field at its default.
fn deliver_sm<'a>(
    udhi: bool,
    short_message: &'a [u8],
    tlvs: Tlvs<&'a [u8]>,
) -> DeliverSm<&'a [u8]> {
    DeliverSm {
        esm_class: if udhi {
            EsmClass::UDHI
        } else {
            EsmClass::default()
        },
        short_message,
        tlvs,
        ..DeliverSm::default()
    }
}

#[test]
fn parts_of_deliver_sm_and_data_sm() {
    use smpp_core::text::reassembly::{Part, PartError, ReferenceKind};
    use smpp_core::text::udh::UdhError;
    use smpp_core::{DataSm, TlvBuf, TlvTag};

    let sar = |seq: Option<u8>, payload: Option<&[u8]>| {
        let mut tlvs = TlvBuf::<64>::new();
        if let Some(p) = payload {
            tlvs.push(TlvTag::MESSAGE_PAYLOAD, p).unwrap();
        }
        tlvs.push_u16(TlvTag::SAR_MSG_REF_NUM, 0x0304).unwrap();
        tlvs.push_u8(TlvTag::SAR_TOTAL_SEGMENTS, 3).unwrap();
        if let Some(seq) = seq {
            tlvs.push_u8(TlvTag::SAR_SEGMENT_SEQNUM, seq).unwrap();
        }
        tlvs
    };
    // The part of the SAR message 0x0304 of three parts.
    let want = |seq, payload| {
        Ok(Some(Part {
            kind: ReferenceKind::Sar,
            reference: 0x0304,
            total: 3,
            seq,
            payload,
        }))
    };

    // SAR, in short_message.
    let tlvs = sar(Some(2), None);
    let sm = deliver_sm(false, b"abc", tlvs.tlvs());
    assert_eq!(Part::from_deliver_sm(&sm), want(2, b"abc"));
    // SAR after a header with only a port element: the payload follows it.
    let with_ports = [0x06, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0, b'x'];
    let sm = deliver_sm(true, &with_ports, tlvs.tlvs());
    assert_eq!(Part::from_deliver_sm(&sm), want(2, b"x"));
    // A concatenation element wins over the SAR TLVs.
    let concat = [0x05, 0x00, 0x03, 0x11, 0x02, 0x01, b'y'];
    let sm = deliver_sm(true, &concat, tlvs.tlvs());
    let part = Part::from_deliver_sm(&sm).unwrap().unwrap();
    assert_eq!(
        (part.kind, part.reference, part.total, part.seq),
        (ReferenceKind::Udh8, 0x11, 2, 1)
    );
    assert_eq!(part.payload, b"y");
    // message_payload when short_message is empty; data_sm alike.
    let tlvs = sar(Some(3), Some(b"payload"));
    let sm = deliver_sm(false, &[], tlvs.tlvs());
    assert_eq!(Part::from_deliver_sm(&sm), want(3, b"payload"));
    let data_sm = DataSm {
        tlvs: tlvs.tlvs(),
        ..DataSm::default()
    };
    assert_eq!(Part::from_data_sm(&data_sm), want(3, b"payload"));

    // Errors and ordinary messages.
    let incomplete = sar(None, Some(b"p"));
    let data_sm = DataSm {
        tlvs: incomplete.tlvs(),
        ..DataSm::default()
    };
    assert_eq!(Part::from_data_sm(&data_sm), Err(PartError::IncompleteSar));
    let broken = deliver_sm(true, &[0x09, 0x00], Tlvs::EMPTY);
    assert_eq!(
        Part::from_deliver_sm(&broken),
        Err(PartError::Udh(UdhError::UdhlPastEnd {
            udhl: 9,
            available: 1
        }))
    );
    let plain = deliver_sm(false, b"hello", Tlvs::EMPTY);
    assert_eq!(Part::from_deliver_sm(&plain), Ok(None));
}
